//! The `quantities` stage: counted figures with the qualifier the source used and what
//! they count.
//!
//! A figure is digits ("2,000", "1.5 million") or number words ("four", "a dozen",
//! "tens of thousands"). Qualifier words around it ("at least", "more than", "as many
//! as", "some", "between … and …", "or more") set its qualifier; vague plurals
//! ("dozens", "hundreds") are lower bounds. The category comes from the nearest cue in
//! the same clause: after the figure ("95 people were killed", "left 9 dead", "claimed
//! 60 lives") or before it ("killing at least 95", "the death toll rose to 130").
//! Numbers that are years, clock times, money, percentages or measures are not figures.
//! Figures of things other than people and with no category are left out.

use claimgraph_model::{Category, Qualifier, Quantity, Span, TimeMention};

use crate::tokens::{Token, TokenKind};

struct Words<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

impl Words<'_> {
    fn get(&self, i: usize) -> Option<&str> {
        self.tokens.get(i).map(|t| t.text(self.text))
    }

    fn lower(&self, i: usize) -> Option<String> {
        self.get(i).map(str::to_lowercase)
    }

    fn is(&self, i: usize, s: &str) -> bool {
        self.get(i).is_some_and(|w| w.eq_ignore_ascii_case(s))
    }

    /// Whether token `i` ends a clause (no cue is looked for across it).
    fn is_clause_break(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.kind == TokenKind::Punct)
            && self.get(i).is_some_and(|w| matches!(w, "." | ";" | ":" | "!" | "?" | "(" | ")" | "\"" | "“" | "”"))
    }
}

fn unit_word(n: &str) -> Option<f64> {
    Some(match n {
        "zero" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        _ => return None,
    })
}

/// "forty-two" → 42.
fn word_number(lower: &str) -> Option<f64> {
    if let Some(v) = unit_word(lower) {
        return Some(v);
    }
    let (tens, ones) = lower.split_once('-')?;
    let t = unit_word(tens)?;
    let o = unit_word(ones)?;
    (t >= 20.0 && t % 10.0 == 0.0 && o < 10.0).then_some(t + o)
}

fn scale(lower: &str) -> Option<f64> {
    Some(match lower {
        "hundred" => 100.0,
        "thousand" => 1_000.0,
        "million" => 1_000_000.0,
        "billion" => 1_000_000_000.0,
        _ => return None,
    })
}

/// A number starting at token `i`: its end, value and the qualifier vagueness implies.
fn number_at(w: &Words, i: usize) -> Option<(usize, f64, Option<Qualifier>)> {
    let t = w.tokens.get(i)?;
    // Cheap rejection: number words are short and start with a letter.
    let first = w.get(i)?.as_bytes()[0];
    if t.kind == TokenKind::Punct || t.kind == TokenKind::Word && (w.get(i)?.len() > 16 || !first.is_ascii_alphabetic())
    {
        return None;
    }
    if t.kind == TokenKind::Word
        && !matches!(
            first.to_ascii_lowercase(),
            b'a' | b'd' | b'e' | b'f' | b'h' | b'm' | b'n' | b'o' | b's' | b't' | b'z'
        )
    {
        return None;
    }
    let lower = w.lower(i)?;
    // Vague amounts.
    match lower.as_str() {
        "dozens" => return Some((i + 1, 24.0, Some(Qualifier::AtLeast))),
        "scores" => return Some((i + 1, 40.0, Some(Qualifier::AtLeast))),
        "hundreds" => return Some((i + 1, 200.0, Some(Qualifier::AtLeast))),
        "thousands" => return Some((i + 1, 2_000.0, Some(Qualifier::AtLeast))),
        "millions" => return Some((i + 1, 2_000_000.0, Some(Qualifier::AtLeast))),
        "tens" if w.is(i + 1, "of") && w.is(i + 2, "thousands") => {
            return Some((i + 3, 20_000.0, Some(Qualifier::AtLeast)))
        }
        "a" | "one" if w.is(i + 1, "dozen") => return Some((i + 2, 12.0, Some(Qualifier::Approx))),
        "dozen" if i > 0 && !w.is(i - 1, "a") => return Some((i + 1, 12.0, Some(Qualifier::Approx))),
        _ => {}
    }
    let mut value = if t.kind == TokenKind::Number {
        let s = t.text(w.text).replace(',', "");
        s.parse::<f64>().ok()?
    } else {
        word_number(&lower)?
    };
    let mut end = i + 1;
    // "two hundred", "1.5 million", "three thousand five hundred".
    while let Some(s) = w.lower(end).as_deref().and_then(scale) {
        value *= s;
        end += 1;
        if let Some(v) = w.lower(end).as_deref().and_then(word_number) {
            if w.lower(end + 1).as_deref().and_then(scale).is_some() || v < 100.0 {
                value += v;
                end += 1;
                continue;
            }
        }
    }
    Some((end, value, None))
}

const KILLED: &[&str] = &[
    "bodies",
    "dead",
    "death",
    "deaths",
    "die",
    "died",
    "dies",
    "executed",
    "fatalities",
    "fatally",
    "kill",
    "killed",
    "killing",
    "kills",
    "lives",
    "massacred",
    "murdered",
    "perished",
    "slain",
    "slaughtered",
];
const INJURED: &[&str] =
    &["hospitalised", "hospitalized", "hurt", "injured", "injuries", "injuring", "maimed", "wounded", "wounding"];
const ARRESTED: &[&str] = &[
    "apprehended",
    "arrest",
    "arrested",
    "arresting",
    "arrests",
    "custody",
    "detained",
    "detaining",
    "detentions",
    "rounded",
];
const KIDNAPPED: &[&str] =
    &["abducted", "abducting", "captive", "captives", "hostage", "hostages", "kidnapped", "kidnapping"];
const DISPLACED: &[&str] = &["displaced", "evacuated", "fled", "homeless", "refugees", "uprooted"];
const MISSING: &[&str] = &["missing", "unaccounted"];

fn category_of(lower: &str) -> Option<Category> {
    let lists: [(&[&str], Category); 6] = [
        (KILLED, Category::Killed),
        (INJURED, Category::Injured),
        (ARRESTED, Category::Arrested),
        (KIDNAPPED, Category::Kidnapped),
        (DISPLACED, Category::Displaced),
        (MISSING, Category::Missing),
    ];
    lists.iter().find(|(list, _)| list.binary_search(&lower).is_ok()).map(|&(_, c)| c)
}

/// Nouns for people: a figure followed by one is kept even without a category.
const PEOPLE: &[&str] = &[
    "adults",
    "attackers",
    "bystanders",
    "children",
    "citizens",
    "civilians",
    "commuters",
    "crew",
    "fans",
    "fighters",
    "girls",
    "guards",
    "guests",
    "gunmen",
    "individuals",
    "insurgents",
    "journalists",
    "men",
    "members",
    "migrants",
    "militants",
    "militiamen",
    "mourners",
    "nationals",
    "officers",
    "passengers",
    "people",
    "person",
    "persons",
    "pilgrims",
    "policemen",
    "protesters",
    "recruits",
    "residents",
    "schoolchildren",
    "schoolgirls",
    "shoppers",
    "soldiers",
    "spectators",
    "staff",
    "students",
    "suspects",
    "teenagers",
    "tourists",
    "troops",
    "victims",
    "villagers",
    "women",
    "workers",
    "worshippers",
];

/// Words after a number that make it something other than a count of people.
const NOT_PEOPLE: &[&str] = &[
    "%",
    "acres",
    "billion",
    "cents",
    "days",
    "decades",
    "degrees",
    "dollars",
    "euros",
    "feet",
    "hectares",
    "hours",
    "inches",
    "kg",
    "kilograms",
    "kilometers",
    "kilometres",
    "km",
    "litres",
    "meters",
    "metres",
    "miles",
    "minutes",
    "months",
    "mph",
    "per",
    "percent",
    "pounds",
    "rounds",
    "rupees",
    "seconds",
    "tonnes",
    "tons",
    "weeks",
    "years",
    "yuan",
];

/// Words skipped between a figure and its cue ("95 people were reportedly killed").
const FILLER: &[&str] = &[
    "also",
    "already",
    "are",
    "as",
    "been",
    "being",
    "had",
    "has",
    "have",
    "is",
    "more",
    "now",
    "of",
    "other",
    "others",
    "reportedly",
    "since",
    "still",
    "the",
    "them",
    "then",
    "there",
    "those",
    "were",
    "was",
    "whom",
];

/// Finds the figures in `tokens`, leaving alone the numbers inside `times`.
pub fn extract(text: &str, tokens: &[Token], times: &[TimeMention]) -> Vec<Quantity> {
    let w = Words { text, tokens };
    let mut out = Vec::new();
    let mut i = 0;
    let mut time_idx = 0;
    while i < tokens.len() {
        let start_byte = tokens[i].span.start;
        while time_idx < times.len() && times[time_idx].span.end <= start_byte {
            time_idx += 1;
        }
        if times.get(time_idx).is_some_and(|t| t.span.start <= start_byte) {
            i += 1;
            continue;
        }
        match figure_at(&w, i) {
            Some((q_start, end, quantity)) => {
                let _ = q_start;
                out.push(quantity);
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// A figure whose number starts at token `i`: (first token, end token, quantity).
fn figure_at(w: &Words, i: usize) -> Option<(usize, usize, Quantity)> {
    let (mut end, mut value, vague) = number_at(w, i)?;
    // Money, percentages, ordinals and measures are not counts.
    if i > 0 && matches!(w.get(i - 1), Some("$" | "€" | "£" | "#" | "No")) {
        return None;
    }
    // "no one was hurt" is not a count of one.
    if i > 0 && w.lower(i).as_deref() == Some("one") && w.lower(i - 1).as_deref() == Some("no") {
        return None;
    }
    if w.lower(end).is_some_and(|n| NOT_PEOPLE.binary_search(&n.as_str()).is_ok()) {
        return None;
    }
    let mut qualifier = vague.unwrap_or(Qualifier::Exact);
    let mut upper = None;
    let mut start = i;
    // Qualifiers before: look at up to three words back.
    if let Some((q, n)) = qualifier_before(w, i) {
        qualifier = q;
        start = i - n;
    }
    // "between 10 and 15", "10 to 15", "10-15", "two or three".
    if w.is(start.wrapping_sub(1), "between") && w.is(end, "and") {
        if let Some((e2, v2, _)) = number_at(w, end + 1) {
            start -= 1;
            // "between 4,000 and 3,500" still means the range from the lower to the higher.
            upper = Some(v2.max(value));
            value = value.min(v2);
            end = e2;
            qualifier = Qualifier::Range;
        }
    } else if (w.is(end, "to") || w.is(end, "or") || matches!(w.get(end), Some("-" | "–")))
        && number_at(w, end + 1).is_some()
    {
        let (e2, v2, _) = number_at(w, end + 1)?;
        if v2 > value && w.lower(e2).is_none_or(|n| NOT_PEOPLE.binary_search(&n.as_str()).is_err()) {
            upper = Some(v2);
            end = e2;
            qualifier = Qualifier::Range;
        }
    }
    // Qualifiers after: "2,000 or more", "40 or so", "100-plus".
    if w.is(end, "or") && w.is(end + 1, "more") {
        qualifier = Qualifier::AtLeast;
        end += 2;
    } else if w.is(end, "or") && w.is(end + 1, "so") {
        qualifier = Qualifier::Approx;
        end += 2;
    } else if w.is(end, "plus") || w.get(end) == Some("+") {
        qualifier = Qualifier::AtLeast;
        end += 1;
    }
    let unit = following_noun(w, end);
    let category = category_after(w, end).or_else(|| category_before(w, start)).unwrap_or(Category::Other);
    let counts_people = unit.as_deref().is_some_and(|u| PEOPLE.binary_search(&u).is_ok());
    if category == Category::Other && !counts_people {
        return None;
    }
    // A lone "one" or "no" is rarely a figure unless a category says so.
    if category == Category::Other && value <= 1.0 {
        return None;
    }
    let span = Span::new(w.tokens[start].span.start, w.tokens[end - 1].span.end);
    let unit = unit.filter(|_| counts_people).or_else(|| (category != Category::Other).then(|| "people".to_string()));
    Some((start, end, Quantity { span, value, upper, qualifier, category, unit }))
}

/// The qualifier ending right before token `i`, with how many tokens it spans.
fn qualifier_before(w: &Words, i: usize) -> Option<(Qualifier, usize)> {
    let prev = |n: usize| i.checked_sub(n).and_then(|j| w.lower(j));
    let p1 = prev(1)?;
    let p2 = prev(2);
    let p3 = prev(3);
    let two = p2.as_deref().map(|p2| format!("{p2} {p1}"));
    let three = p3.as_deref().zip(two.as_deref()).map(|(p3, two)| format!("{p3} {two}"));
    let table3: &[(&str, Qualifier)] = &[
        ("no fewer than", Qualifier::AtLeast),
        ("no less than", Qualifier::AtLeast),
        ("a minimum of", Qualifier::AtLeast),
        ("no more than", Qualifier::AtMost),
        ("a maximum of", Qualifier::AtMost),
        ("as many as", Qualifier::AtMost),
        ("in excess of", Qualifier::MoreThan),
        ("just over a", Qualifier::MoreThan),
    ];
    if let Some(three) = &three {
        if let Some(&(_, q)) = table3.iter().find(|(s, _)| s == three) {
            return Some((q, 3));
        }
    }
    let table2: &[(&str, Qualifier)] = &[
        ("at least", Qualifier::AtLeast),
        ("more than", Qualifier::MoreThan),
        ("upwards of", Qualifier::MoreThan),
        ("just over", Qualifier::MoreThan),
        ("well over", Qualifier::MoreThan),
        ("up to", Qualifier::AtMost),
        ("at most", Qualifier::AtMost),
        ("fewer than", Qualifier::FewerThan),
        ("less than", Qualifier::FewerThan),
        ("just under", Qualifier::FewerThan),
        ("an estimated", Qualifier::Approx),
        ("close to", Qualifier::Approx),
        ("nearly all", Qualifier::Approx),
        ("almost all", Qualifier::Approx),
    ];
    if let Some(two) = &two {
        if let Some(&(_, q)) = table2.iter().find(|(s, _)| s == two) {
            return Some((q, 2));
        }
    }
    let q = match p1.as_str() {
        "over" | "above" => Qualifier::MoreThan,
        "under" | "below" => Qualifier::FewerThan,
        "about" | "around" | "some" | "nearly" | "almost" | "roughly" | "approximately" | "estimated" | "approx"
        | "circa" => Qualifier::Approx,
        "all" => Qualifier::Exact,
        _ => return None,
    };
    Some((q, 1))
}

/// The plural noun right after a figure ("95 people", "10 gunmen"), skipping one
/// adjective ("95 Iranian pilgrims").
fn following_noun(w: &Words, end: usize) -> Option<String> {
    for j in end..end + 3 {
        let lower = w.lower(j)?;
        if PEOPLE.binary_search(&lower.as_str()).is_ok() {
            return Some(lower);
        }
        if w.tokens[j].kind != TokenKind::Word {
            return None;
        }
    }
    None
}

/// A category cue after the figure, within its clause: "95 people were killed",
/// "9 dead", "60 lives".
fn category_after(w: &Words, end: usize) -> Option<Category> {
    let mut j = end;
    let mut n_content = 0;
    while j < w.tokens.len() && j < end + 8 {
        if w.is_clause_break(j) {
            return None;
        }
        let lower = w.lower(j)?;
        if let Some(c) = category_of(&lower) {
            return Some(c);
        }
        let is_filler = FILLER.binary_search(&lower.as_str()).is_ok()
            || PEOPLE.binary_search(&lower.as_str()).is_ok()
            || w.tokens[j].kind == TokenKind::Punct && lower == "-";
        if !is_filler {
            n_content += 1;
            // One adjective or adverb may sit in between ("95 Iranian pilgrims", "were
            // seriously injured"); more than that is another clause's business.
            if n_content > 2 {
                return None;
            }
        }
        if lower == "and" || lower == "," {
            return None;
        }
        j += 1;
    }
    None
}

/// A category cue before the figure: "killing at least 95", "the death toll rose to
/// 130", "the toll of 60".
fn category_before(w: &Words, start: usize) -> Option<Category> {
    let lo = start.saturating_sub(6);
    let mut j = start;
    let mut n_content = 0;
    while j > lo {
        j -= 1;
        if w.is_clause_break(j) {
            return None;
        }
        let lower = w.lower(j)?;
        if lower == "toll" {
            let injury = w.is(j.wrapping_sub(1), "injury") || w.is(j.wrapping_sub(1), "casualty");
            return Some(if injury { Category::Injured } else { Category::Killed });
        }
        if let Some(c) = category_of(&lower) {
            // "killing 95" and "killed all 298", not "95 killed, 12 wounded" read backwards.
            return Some(c);
        }
        if matches!(lower.as_str(), "," | "and") {
            return None;
        }
        if !matches!(
            lower.as_str(),
            "all"
                | "the"
                | "a"
                | "another"
                | "at"
                | "to"
                | "of"
                | "rose"
                | "risen"
                | "climbed"
                | "stood"
                | "reached"
                | "stands"
                | "is"
                | "was"
                | "had"
                | "has"
                | "least"
        ) {
            n_content += 1;
            if n_content > 1 {
                return None;
            }
        }
    }
    None
}
