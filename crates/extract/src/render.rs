//! Annotations drawn inline for a person to read, and for golden files:
//! `On [[TIME 2024-01-03: Wednesday, January 3]] [[PLACE Kerman: Kerman]] …`.

use std::fmt::Write;

use claimgraph_model::{Analysis, Span};

/// One inline label.
struct Label {
    span: Span,
    tag: String,
}

fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The document text with every entity mention, time and figure marked in place.
/// Where two marks overlap, the one that starts first (then the longer) is kept.
pub fn inline(a: &Analysis) -> String {
    let text = a.document.text.as_str();
    let mut labels = Vec::new();
    for e in &a.entities {
        for &m in &e.mentions {
            labels.push(Label { span: m, tag: format!("{} {}", e.kind.as_str().to_uppercase(), e.name) });
        }
    }
    for t in &a.times {
        let value = t.value.as_ref().map_or_else(|| "?".to_string(), ToString::to_string);
        labels.push(Label { span: t.span, tag: format!("TIME {value}") });
    }
    for q in &a.quantities {
        let mut tag =
            format!("{} {} {}", q.category.as_str().to_uppercase(), q.qualifier.as_str(), fmt_number(q.value));
        if let Some(u) = q.upper {
            let _ = write!(tag, "-{}", fmt_number(u));
        }
        labels.push(Label { span: q.span, tag });
    }
    labels.sort_by_key(|l| (l.span.start, std::cmp::Reverse(l.span.end)));
    let mut out = String::with_capacity(text.len() * 2);
    let mut pos = 0;
    for l in labels {
        if l.span.start < pos {
            continue;
        }
        out.push_str(&text[pos..l.span.start]);
        let _ = write!(out, "[[{}: {}]]", l.tag, l.span.of(text));
        pos = l.span.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// A readable report: metadata, the inline text, then the entities with their
/// aliases, and any diagnostics.
pub fn report(a: &Analysis) -> String {
    let d = &a.document;
    let mut out = String::new();
    let _ = writeln!(out, "document {}", d.id);
    if let Some(t) = &d.title {
        let _ = writeln!(out, "title:     {t}");
    }
    if let Some(s) = &d.source {
        let _ = writeln!(out, "source:    {s}");
    }
    if let Some(u) = &d.url {
        let _ = writeln!(out, "url:       {u}");
    }
    let published = d.published.map_or_else(|| "unknown".to_string(), |p| p.to_string());
    let _ = writeln!(out, "published: {published}");
    let _ = writeln!(out, "language:  {}", d.language);
    let _ = writeln!(
        out,
        "found:     {} sentences, {} entities, {} times, {} figures",
        a.sentences.len(),
        a.entities.len(),
        a.times.len(),
        a.quantities.len()
    );
    for diag in &a.diagnostics {
        let _ = writeln!(out, "note:      {}", diag.message);
    }
    out.push('\n');
    out.push_str(&inline(a));
    out.push_str("\n\nentities:\n");
    for e in &a.entities {
        let _ = write!(out, "  {:<13} {}", e.kind.as_str(), e.name);
        if let Some(c) = &e.country {
            let _ = write!(out, " [{c}]");
        }
        if !e.aliases.is_empty() {
            let _ = write!(out, " (also: {})", e.aliases.join(", "));
        }
        let _ = writeln!(out, " ×{}", e.mentions.len());
    }
    out.push_str(&incidents_and_claims(a));
    out
}

fn fmt_figure(f: &Option<claimgraph_model::Figure>) -> String {
    match f {
        None => "unknown".to_string(),
        Some(f) => {
            let q = match f.qualifier {
                claimgraph_model::Qualifier::Exact => String::new(),
                q => format!("{} ", q.as_str().replace('_', " ")),
            };
            match f.upper {
                Some(u) => format!("{q}{}-{}", fmt_number(f.value), fmt_number(u)),
                None => format!("{q}{}", fmt_number(f.value)),
            }
        }
    }
}

/// Incidents with date, place, figures and perpetrators, then the claims grouped by kind
/// with speaker and quoted content.
pub fn incidents_and_claims(a: &Analysis) -> String {
    use claimgraph_model::ClaimKind;
    let text = a.document.text.as_str();
    let mut out = String::new();
    if !a.incidents.is_empty() {
        out.push_str("\nincidents:\n");
    }
    for i in &a.incidents {
        let date = i.date.as_ref().map_or_else(|| "date unknown".to_string(), ToString::to_string);
        let place = i.place.as_ref().map_or_else(
            || "place unknown".to_string(),
            |p| match &p.country {
                Some(c) => format!("{} [{c}]", p.name),
                None => p.name.clone(),
            },
        );
        let _ = writeln!(
            out,
            "  {} {} — {} — {date} — {place}",
            i.id,
            i.label.as_deref().unwrap_or("(no label)"),
            i.kind.as_str()
        );
        let _ = writeln!(out, "     killed: {}; injured: {}", fmt_figure(&i.killed), fmt_figure(&i.injured));
        for p in &i.perpetrators {
            let _ = writeln!(out, "     perpetrator: {} ({})", p.name, p.status.as_str());
        }
    }
    let kinds = [
        ClaimKind::Responsibility,
        ClaimKind::Accusation,
        ClaimKind::Denial,
        ClaimKind::Warning,
        ClaimKind::Figure,
        ClaimKind::Statement,
    ];
    for kind in kinds {
        let claims: Vec<_> = a.claims.iter().filter(|c| c.kind == kind).collect();
        if claims.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} claims:", kind.as_str());
        for c in claims {
            let speaker = c.speaker.name.as_deref().unwrap_or("(unattributed)");
            let cue = c.cue.as_deref().unwrap_or("");
            let mut content: String = c.content.of(text).split_whitespace().collect::<Vec<_>>().join(" ");
            if content.chars().count() > 160 {
                content = content.chars().take(157).collect::<String>() + "...";
            }
            let _ = write!(out, "  {speaker} [{cue}]: \"{content}\"");
            if !c.targets.is_empty() {
                let names: Vec<&str> = c.targets.iter().filter_map(|t| t.name.as_deref()).collect();
                let _ = write!(out, " → {}", names.join(", "));
            }
            if let Some(about) = &c.about {
                let _ = write!(out, " ({about})");
            }
            out.push('\n');
        }
    }
    out
}
