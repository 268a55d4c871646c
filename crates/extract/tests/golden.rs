//! Golden tests: each `golden/<stage>/<name>.txt` is an input (first line
//! `published: YYYY-MM-DD` or `published: none`, a blank line, then the text), and
//! `<name>.expected` beside it is the stage's output rendered for people to read.
//!
//! Run with `UPDATE_GOLDEN=1` to rewrite the expected files after an intended change,
//! then review the diff.

use std::fmt::Write;
use std::path::Path;

use claimgraph_extract::{Extractor, Meta};
use claimgraph_model::{Analysis, Date};

fn render(stage: &str, a: &Analysis) -> String {
    let text = a.document.text.as_str();
    let mut out = String::new();
    match stage {
        "sentences" => {
            for s in &a.sentences {
                let _ = writeln!(out, "| {}", s.span.of(text).replace('\n', "⏎"));
            }
        }
        "entities" => {
            for e in &a.entities {
                let mentions: Vec<&str> = e.mentions.iter().map(|m| m.of(text)).collect();
                let _ = write!(out, "{:<12} {}", e.kind.as_str(), e.name);
                if let Some(c) = &e.country {
                    let _ = write!(out, " [{c}]");
                }
                let _ = writeln!(out, " <- {}", mentions.join(" | "));
            }
        }
        "times" => {
            for t in &a.times {
                let v = t.value.as_ref().map_or_else(|| "null".to_string(), ToString::to_string);
                let _ = writeln!(out, "{:<28} {v}", format!("{:?}", t.span.of(text)));
            }
        }
        "quantities" => {
            for q in &a.quantities {
                let upper = q.upper.map(|u| format!("-{u}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{:<22} {:<9} {:<10} {}{upper} {}",
                    format!("{:?}", q.span.of(text)),
                    q.category.as_str(),
                    q.qualifier.as_str(),
                    q.value,
                    q.unit.as_deref().unwrap_or("-")
                );
            }
        }
        "incidents" => {
            for i in &a.incidents {
                let mentions: Vec<&str> = i.mentions.iter().map(|m| m.of(text)).collect();
                let _ = writeln!(out, "{} {} ({})", i.id, i.label.as_deref().unwrap_or("-"), i.kind.as_str());
                let _ = writeln!(
                    out,
                    "  date: {}",
                    i.date.as_ref().map_or_else(|| "null".to_string(), ToString::to_string)
                );
                let _ = writeln!(out, "  place: {}", i.place.as_ref().map_or("null", |p| p.name.as_str()));
                let fig = |f: &Option<claimgraph_model::Figure>| {
                    f.as_ref().map_or_else(|| "null".to_string(), |f| format!("{} {:?}", f.value, f.qualifier))
                };
                let _ = writeln!(out, "  killed: {}; injured: {}", fig(&i.killed), fig(&i.injured));
                for p in &i.perpetrators {
                    let _ = writeln!(out, "  perpetrator: {} ({})", p.name, p.status.as_str());
                }
                let _ = writeln!(out, "  mentions: {}", mentions.join(" | "));
            }
        }
        "claims" => {
            for c in &a.claims {
                let targets: Vec<&str> = c.targets.iter().filter_map(|t| t.name.as_deref()).collect();
                let _ = writeln!(
                    out,
                    "{} {:<14} speaker={:?} cue={:?} targets={:?} about={:?}",
                    c.id,
                    c.kind.as_str(),
                    c.speaker.name.as_deref().unwrap_or("-"),
                    c.cue.as_deref().unwrap_or("-"),
                    targets,
                    c.about.as_deref().unwrap_or("-")
                );
                let _ = writeln!(out, "   content: {:?}", c.content.of(text));
            }
        }
        _ => panic!("unknown stage folder {stage}"),
    }
    out
}

#[test]
fn golden_files() {
    let extractor = Extractor::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    let mut n_checked = 0;
    for stage in ["sentences", "entities", "times", "quantities", "incidents", "claims"] {
        let mut inputs: Vec<_> = std::fs::read_dir(root.join(stage))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        inputs.sort();
        for input in inputs {
            let raw = std::fs::read_to_string(&input).unwrap();
            let (header, body) = raw.split_once("\n\n").expect("a header line, a blank line, then the text");
            let published = header.strip_prefix("published: ").and_then(Date::parse_iso);
            let meta = Meta { published, ..Meta::default() };
            let analysis = extractor.extract(body.as_bytes(), &meta).unwrap();
            let actual = render(stage, &analysis);
            let expected_path = input.with_extension("expected");
            n_checked += 1;
            if update {
                std::fs::write(&expected_path, &actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != actual {
                failures.push(format!("{}:\n--- expected\n{expected}\n+++ actual\n{actual}", input.display()));
            }
        }
    }
    assert!(n_checked >= 6, "golden inputs are missing");
    assert!(
        failures.is_empty(),
        "golden files differ (rerun with UPDATE_GOLDEN=1 to accept):\n{}",
        failures.join("\n")
    );
}
