//! The `times` stage: date expressions normalised against the publication date.
//!
//! A value carries the precision the text gives (year, month, day, or an interval of
//! those). Relative expressions ("yesterday", "on Sunday", "last week") are resolved to
//! the past, since news reports what has happened; without a publication date they, and
//! anything else that cannot be pinned to the calendar ("8:30 p.m."), get `None`, never
//! a guess. A month and day without a year take the publication year, or the year
//! before when that would put the date months after publication.

use claimgraph_model::{Date, Span, TimeMention, TimeValue};

use crate::lexicon::{month, weekday};
use crate::tokens::{Token, TokenKind};

/// Words before a bare four-digit number that make it a year.
const YEAR_CUES: &[&str] = &[
    "a", "after", "an", "and", "around", "autumn", "before", "between", "by", "during", "early", "fall", "from", "in",
    "late", "mid", "of", "since", "spring", "summer", "the", "through", "to", "until", "winter",
];

struct Cursor<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

impl Cursor<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.tokens.get(i).map(|t| t.text(self.text))
    }

    fn lower(&self, i: usize) -> Option<String> {
        self.word(i).map(str::to_lowercase)
    }

    fn is(&self, i: usize, s: &str) -> bool {
        self.word(i).is_some_and(|w| w.eq_ignore_ascii_case(s))
    }

    fn number(&self, i: usize) -> Option<u32> {
        let t = self.tokens.get(i)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        let w = t.text(self.text);
        if w.len() > 4 || w.contains([',', '.']) {
            return None;
        }
        w.parse().ok()
    }

    /// A day of the month, allowing ordinals glued to it ("3rd" is one word token).
    fn day(&self, i: usize) -> Option<u8> {
        let w = self.word(i)?;
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        if !(suffix.is_empty() || matches!(suffix, "st" | "nd" | "rd" | "th")) || digits.is_empty() || digits.len() > 2
        {
            return None;
        }
        let d: u8 = digits.parse().ok()?;
        (1..=31).contains(&d).then_some(d)
    }

    fn year(&self, i: usize) -> Option<i32> {
        let n = self.number(i)?;
        (1000..=2999).contains(&n).then_some(n as i32)
    }

    fn month(&self, i: usize) -> Option<u8> {
        let w = self.word(i)?;
        if w.len() < 3 || w.len() > 9 || !w.chars().next()?.is_uppercase() {
            return None;
        }
        // "May" and "March" are also words: accept them only next to a number.
        let m = month(&w.to_lowercase())?;
        Some(m)
    }

    /// Index past a glued "." after token `i` ("Jan." is "Jan" and ".").
    fn skip_dot(&self, i: usize) -> usize {
        if self.word(i + 1) == Some(".") && self.tokens[i + 1].glued {
            i + 2
        } else {
            i + 1
        }
    }

    fn skip_comma(&self, i: usize) -> usize {
        if self.word(i) == Some(",") {
            i + 1
        } else {
            i
        }
    }
}

/// Finds and resolves the time expressions in `tokens`.
pub fn extract(text: &str, tokens: &[Token], published: Option<Date>) -> Vec<TimeMention> {
    let cur = Cursor { text, tokens };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((end, value)) = match_at(&cur, i, published) {
            let span = Span::new(tokens[i].span.start, tokens[end - 1].span.end);
            out.push(TimeMention { span, value });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

type Match = (usize, Option<TimeValue>);

fn match_at(cur: &Cursor, i: usize, published: Option<Date>) -> Option<Match> {
    let t = cur.tokens[i];
    if t.kind == TokenKind::Number {
        return match_numeric(cur, i, published);
    }
    if t.kind != TokenKind::Word {
        return None;
    }
    let word = t.text(cur.text);
    let first = word.chars().next()?;
    if first.is_ascii_digit() {
        return match_word_with_digits(cur, i, published);
    }
    if first.is_uppercase() {
        if let Some(m) = match_weekday(cur, i, published) {
            return Some(m);
        }
        if let Some(m) = match_month_first(cur, i, published) {
            return Some(m);
        }
    }
    match_relative(cur, i, published)
}

/// Infers the year of a month (and day) given without one: the publication year, or the
/// year before if that would place it more than two months after publication.
fn infer_year(published: Option<Date>, m: u8, d: Option<u8>) -> Option<i32> {
    let p = published?;
    let candidate = Date::new(p.year, m, d.unwrap_or(1))?;
    if candidate.to_days() - p.to_days() > 62 {
        Some(p.year - 1)
    } else {
        Some(p.year)
    }
}

fn day_value(year: Option<i32>, m: u8, d: u8) -> Option<TimeValue> {
    Date::new(year?, m, d).map(TimeValue::Day)
}

/// "January 3, 2024", "Jan. 3", "November 2015", "Sept. 26, 2022".
fn match_month_first(cur: &Cursor, i: usize, published: Option<Date>) -> Option<Match> {
    let m = cur.month(i)?;
    let j = cur.skip_dot(i);
    if let Some(d) = cur.day(j) {
        // Not "March 2015": a four-digit number is a year.
        if cur.year(j).is_none() {
            let k = cur.skip_comma(j + 1);
            if let Some(y) = cur.year(k) {
                return Some((k + 1, day_value(Some(y), m, d)));
            }
            return Some((j + 1, day_value(infer_year(published, m, Some(d)), m, d)));
        }
    }
    if let Some(y) = cur.year(j) {
        return Some((j + 1, Some(TimeValue::Month(y, m))));
    }
    // A bare month name: only after "in", "since", "early", "late", "last".
    let lower = cur.word(i)?.to_lowercase();
    if lower == "may" || lower == "march" {
        return None;
    }
    let prev = i.checked_sub(1).and_then(|p| cur.lower(p));
    if matches!(prev.as_deref(), Some("in" | "since" | "early" | "late" | "mid" | "until" | "by" | "last" | "next")) {
        let p = published?;
        let y = match prev.as_deref() {
            Some("next") => {
                if m > p.month {
                    p.year
                } else {
                    p.year + 1
                }
            }
            _ if m > p.month => p.year - 1,
            Some("last") if m == p.month => p.year - 1,
            _ => p.year,
        };
        return Some((i + 1, Some(TimeValue::Month(y, m))));
    }
    None
}

/// "3 January 2024", "13 November", "2015", "1992 to 1995" and friends.
fn match_numeric(cur: &Cursor, i: usize, published: Option<Date>) -> Option<Match> {
    if let Some(m) = match_clock(cur, i) {
        return Some(m);
    }
    if let Some(d) = cur.day(i) {
        if let Some(m) = cur.month(i + 1) {
            let j = cur.skip_dot(i + 1);
            let k = cur.skip_comma(j);
            if let Some(y) = cur.year(k) {
                return Some((k + 1, day_value(Some(y), m, d)));
            }
            return Some((j, day_value(infer_year(published, m, Some(d)), m, d)));
        }
    }
    let y = cur.year(i)?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    // Follow-on number that makes it a quantity ("2015 people") is left alone by the cue
    // rule below; "2014 - 2016" with spaced dashes is an interval.
    if matches!(cur.word(i + 1), Some("-" | "–" | "—")) {
        if let Some(y2) = cur.year(i + 2) {
            if y2 > y {
                return Some((i + 3, Some(year_interval(y, y2))));
            }
        }
    }
    let prev = i.checked_sub(1).and_then(|p| cur.lower(p))?;
    if prev == "from" || prev == "between" {
        let link = i + 1;
        if (cur.is(link, "to") || cur.is(link, "and") || cur.is(link, "until") || cur.is(link, "through"))
            && cur.year(link + 1).is_some()
        {
            let y2 = cur.year(link + 1)?;
            if y2 > y {
                return Some((link + 2, Some(year_interval(y, y2))));
            }
        }
    }
    if YEAR_CUES.binary_search(&prev.as_str()).is_ok() || prev == "'s" {
        return Some((i + 1, Some(TimeValue::Year(y))));
    }
    // "2015's attacks", "(2008)".
    if matches!(cur.word(i + 1), Some("'" | "’" | ")")) {
        return Some((i + 1, Some(TimeValue::Year(y))));
    }
    None
}

/// "8:30 p.m.", "9 a.m.", "14:00 GMT": a time of day, which alone names no date.
fn match_clock(cur: &Cursor, i: usize) -> Option<Match> {
    let hour = cur.number(i)?;
    if hour > 24 {
        return None;
    }
    let mut end = i + 1;
    let mut has_minutes = false;
    if cur.word(end) == Some(":")
        && cur.number(end + 1).is_some_and(|m| m < 60)
        && cur.word(end + 1).is_some_and(|w| w.len() == 2)
    {
        end += 2;
        has_minutes = true;
    }
    let meridiem =
        cur.word(end).is_some_and(|w| matches!(w.to_ascii_lowercase().as_str(), "a.m" | "p.m" | "am" | "pm"));
    if meridiem {
        end = cur.skip_dot(end);
    } else if !has_minutes {
        return None;
    }
    if cur.word(end).is_some_and(|w| matches!(w, "GMT" | "UTC" | "IST" | "CET" | "CEST" | "EST" | "EDT" | "BST")) {
        end += 1;
    }
    Some((end, None))
}

fn year_interval(a: i32, b: i32) -> TimeValue {
    TimeValue::Interval(Box::new(TimeValue::Year(a)), Box::new(TimeValue::Year(b)))
}

/// Tokens that start with a digit but are not plain numbers: "2014-2016", "2024-01-03",
/// "3rd", "1990s", "8:30" is three tokens and handled as a clock time.
fn match_word_with_digits(cur: &Cursor, i: usize, published: Option<Date>) -> Option<Match> {
    let w = cur.word(i)?;
    if let Some(d) = Date::parse_iso(w) {
        if w.len() == 10 {
            return Some((i + 1, Some(TimeValue::Day(d))));
        }
    }
    if let Some((a, b)) = w.split_once('-') {
        if a.len() == 4 && b.len() == 4 {
            if let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>()) {
                if (1900..=2100).contains(&a) && b > a && b <= 2100 {
                    return Some((i + 1, Some(year_interval(a, b))));
                }
            }
        }
    }
    if let Some(decade) = w.strip_suffix('s') {
        if decade.len() == 4 && decade.ends_with('0') {
            if let Ok(y) = decade.parse::<i32>() {
                if (1800..=2090).contains(&y) {
                    return Some((i + 1, Some(year_interval(y, y + 9))));
                }
            }
        }
    }
    // "3rd of January" / "3rd January".
    if let Some(d) = cur.day(i) {
        let j = if cur.is(i + 1, "of") { i + 2 } else { i + 1 };
        if let Some(m) = cur.month(j) {
            let j2 = cur.skip_dot(j);
            let k = cur.skip_comma(j2);
            if let Some(y) = cur.year(k) {
                return Some((k + 1, day_value(Some(y), m, d)));
            }
            return Some((j2, day_value(infer_year(published, m, Some(d)), m, d)));
        }
    }
    let _ = published;
    None
}

/// "Wednesday, January 3", "Thursday evening", "Sunday".
fn match_weekday(cur: &Cursor, i: usize, published: Option<Date>) -> Option<Match> {
    let w = cur.word(i)?;
    if w.len() < 6 {
        return None;
    }
    let wd = weekday(&w.to_lowercase())?;
    // A full date follows: "Wednesday, January 3[, 2024]" or "Friday 13 November".
    let j = cur.skip_comma(i + 1);
    if let Some((end, value)) = match_month_first(cur, j, published).or_else(|| match_numeric(cur, j, published)) {
        if matches!(value, Some(TimeValue::Day(_)) | None) {
            return Some((end, value));
        }
    }
    let mut end = i + 1;
    if let Some(next) = cur.lower(i + 1) {
        if matches!(next.as_str(), "morning" | "afternoon" | "evening" | "night" | "overnight") {
            end += 1;
        }
    }
    let value = published.map(|p| {
        let back = (i64::from(p.weekday()) - i64::from(wd)).rem_euclid(7);
        TimeValue::Day(p.add_days(-back))
    });
    Some((end, value))
}

/// "yesterday", "last week", "two days ago", "this month", "8:30 p.m.".
fn match_relative(cur: &Cursor, i: usize, published: Option<Date>) -> Option<Match> {
    // Every pattern here starts with one of these words (or a small number).
    let w = cur.word(i)?;
    let starts = ["yesterday", "today", "tonight", "tomorrow", "overnight", "last", "this", "next", "earlier", "later"];
    if !starts.iter().any(|s| s.eq_ignore_ascii_case(w)) && small_number(&w.to_ascii_lowercase()).is_none() {
        return None;
    }
    let lower = w.to_lowercase();
    let p = published;
    let day = |n: i64| p.map(|p| TimeValue::Day(p.add_days(n)));
    match lower.as_str() {
        "yesterday" => return Some((i + 1, day(-1))),
        "today" => return Some((i + 1, day(0))),
        "tonight" => return Some((i + 1, day(0))),
        "tomorrow" => return Some((i + 1, day(1))),
        "overnight" => return Some((i + 1, day(0))),
        _ => {}
    }
    let next = cur.lower(i + 1);
    match (lower.as_str(), next.as_deref()) {
        (
            "last" | "this" | "next",
            Some(unit @ ("week" | "month" | "year" | "night" | "morning" | "evening" | "weekend")),
        ) => {
            let value = p.and_then(|p| relative_unit(p, &lower, unit));
            return Some((i + 2, value));
        }
        ("last" | "next", Some(w)) if weekday(w).is_some() && w.len() >= 6 => {
            let wd = weekday(w)?;
            let value = p.map(|p| {
                let back = (i64::from(p.weekday()) - i64::from(wd)).rem_euclid(7);
                let days = if lower == "next" {
                    -(if back == 0 { 7 } else { 7 - back })
                } else if back == 0 {
                    7
                } else {
                    back
                };
                TimeValue::Day(p.add_days(-days))
            });
            return Some((i + 2, value));
        }
        ("earlier" | "later", Some("this")) => {
            if let Some(unit) = cur.lower(i + 2).filter(|u| matches!(u.as_str(), "week" | "month" | "year")) {
                let value = p.and_then(|p| relative_unit(p, "this", &unit));
                return Some((i + 3, value));
            }
        }
        _ => {}
    }
    // "two days ago", "a week ago", "three years ago".
    if let Some(n) = small_number(&lower) {
        if let Some(unit) = next.as_deref() {
            if cur.is(i + 2, "ago") {
                let value = p.and_then(|p| match unit.trim_end_matches('s') {
                    "day" => Some(TimeValue::Day(p.add_days(-n))),
                    "month" => {
                        let total = i64::from(p.year) * 12 + i64::from(p.month) - 1 - n;
                        Some(TimeValue::Month(total.div_euclid(12) as i32, (total.rem_euclid(12) + 1) as u8))
                    }
                    "year" => Some(TimeValue::Year(p.year - n as i32)),
                    _ => None,
                });
                if matches!(unit.trim_end_matches('s'), "day" | "week" | "month" | "year") {
                    return Some((i + 3, value));
                }
            }
        }
    }
    None
}

fn small_number(lower: &str) -> Option<i64> {
    Some(match lower {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        _ => return lower.parse().ok().filter(|n| (1..=100).contains(n)),
    })
}

fn relative_unit(p: Date, which: &str, unit: &str) -> Option<TimeValue> {
    let shift: i64 = match which {
        "last" => -1,
        "next" => 1,
        _ => 0,
    };
    Some(match unit {
        "week" => {
            let monday = p.add_days(-i64::from(p.weekday()) + 7 * shift);
            TimeValue::Interval(Box::new(TimeValue::Day(monday)), Box::new(TimeValue::Day(monday.add_days(6))))
        }
        "month" => {
            let total = i64::from(p.year) * 12 + i64::from(p.month) - 1 + shift;
            TimeValue::Month(total.div_euclid(12) as i32, (total.rem_euclid(12) + 1) as u8)
        }
        "year" => TimeValue::Year(p.year + shift as i32),
        "night" if which == "last" => TimeValue::Day(p.add_days(-1)),
        "night" | "morning" | "evening" => TimeValue::Day(p),
        "weekend" => {
            let saturday =
                p.add_days(5 - i64::from(p.weekday()) + 7 * if shift == 0 && p.weekday() >= 5 { -1 } else { shift });
            TimeValue::Interval(Box::new(TimeValue::Day(saturday)), Box::new(TimeValue::Day(saturday.add_days(1))))
        }
        _ => return None,
    })
}
