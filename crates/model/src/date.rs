//! Calendar dates and the precision-aware time values the `times` stage produces.
//!
//! A tiny proleptic-Gregorian implementation (days from the civil epoch, after Howard
//! Hinnant's algorithm) is all the arithmetic we need: weekdays and day offsets for
//! resolving "on Sunday" or "last week" against a publication date.

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A date, if the day exists in that month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (and tolerates a trailing time, as in `2024-01-04T09:00:00Z`).
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        if b.len() > 10 && !matches!(b[10], b'T' | b' ' | b't') {
            return None;
        }
        let year = s.get(0..4)?.parse().ok()?;
        let month = s.get(5..7)?.parse().ok()?;
        let day = s.get(8..10)?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01.
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// Day of the week, Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (3).
        ((self.to_days() + 3).rem_euclid(7)) as u8
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A point in time at the precision the text gave, or an interval of two such points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeValue {
    Year(i32),
    Month(i32, u8),
    Day(Date),
    Interval(Box<TimeValue>, Box<TimeValue>),
}

impl TimeValue {
    /// Parses what [`Display`](fmt::Display) prints: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or two
    /// of them joined by `/`.
    pub fn parse(s: &str) -> Option<TimeValue> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once('/') {
            return Some(TimeValue::Interval(Box::new(TimeValue::parse(a)?), Box::new(TimeValue::parse(b)?)));
        }
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        match s.len() {
            4 if digits(s) => s.parse().ok().map(TimeValue::Year),
            7 if digits(&s[..4]) && s.as_bytes()[4] == b'-' && digits(&s[5..]) => {
                let month: u8 = s[5..].parse().ok()?;
                (1..=12).contains(&month).then(|| TimeValue::Month(s[..4].parse().unwrap_or(0), month))
            }
            10 => Date::parse_iso(s).map(TimeValue::Day),
            _ => None,
        }
    }

    /// The first day the value covers.
    pub fn first_day(&self) -> Date {
        match self {
            TimeValue::Year(y) => Date { year: *y, month: 1, day: 1 },
            TimeValue::Month(y, m) => Date { year: *y, month: *m, day: 1 },
            TimeValue::Day(d) => *d,
            TimeValue::Interval(a, _) => a.first_day(),
        }
    }

    /// The last day the value covers.
    pub fn last_day(&self) -> Date {
        match self {
            TimeValue::Year(y) => Date { year: *y, month: 12, day: 31 },
            TimeValue::Month(y, m) => Date { year: *y, month: *m, day: days_in_month(*y, *m) },
            TimeValue::Day(d) => *d,
            TimeValue::Interval(_, b) => b.last_day(),
        }
    }
}

impl fmt::Display for TimeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeValue::Year(y) => write!(f, "{y:04}"),
            TimeValue::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            TimeValue::Day(d) => write!(f, "{d}"),
            TimeValue::Interval(a, b) => write!(f, "{a}/{b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_weekday() {
        let d = Date::new(2024, 1, 3).unwrap();
        assert_eq!(Date::from_days(d.to_days()), d);
        assert_eq!(d.weekday(), 2, "3 January 2024 was a Wednesday");
        assert_eq!(Date::new(2015, 11, 13).unwrap().weekday(), 4, "a Friday");
        assert_eq!(d.add_days(-3).to_string(), "2023-12-31");
        assert_eq!(Date::new(2023, 2, 29), None);
        assert_eq!(Date::parse_iso("2024-01-04T09:00:00Z"), Date::new(2024, 1, 4));
        assert_eq!(Date::parse_iso("2024-1-4"), None);
    }

    #[test]
    fn time_values_print_at_their_precision() {
        let d = Date::new(2024, 1, 3).unwrap();
        assert_eq!(TimeValue::Year(2008).to_string(), "2008");
        assert_eq!(TimeValue::Month(2015, 11).to_string(), "2015-11");
        assert_eq!(TimeValue::Day(d).to_string(), "2024-01-03");
        let iv = TimeValue::Interval(Box::new(TimeValue::Year(1992)), Box::new(TimeValue::Year(1995)));
        assert_eq!(iv.to_string(), "1992/1995");
        for v in [TimeValue::Year(2008), TimeValue::Month(2015, 11), TimeValue::Day(d), iv] {
            assert_eq!(TimeValue::parse(&v.to_string()), Some(v));
        }
        assert_eq!(TimeValue::parse("2015-13"), None);
        assert_eq!(TimeValue::Month(2024, 2).last_day().to_string(), "2024-02-29");
    }
}
