//! Small closed word lists the stages share: function words, abbreviations, months,
//! weekdays. Open-ended tables (places, groups, outlets, names) are data files under
//! `data/`, loaded by [`crate::resources`].

/// Frequent English words that begin sentences or headlines capitalised but name
/// nothing. Lower case; sorted for binary search.
const COMMON_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "across",
    "after",
    "afterwards",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "always",
    "among",
    "an",
    "and",
    "another",
    "any",
    "anyone",
    "anything",
    "are",
    "around",
    "as",
    "asked",
    "at",
    "authorities",
    "back",
    "be",
    "because",
    "been",
    "before",
    "behind",
    "being",
    "below",
    "beside",
    "besides",
    "between",
    "beyond",
    "both",
    "but",
    "by",
    "can",
    "children",
    "come",
    "could",
    "critics",
    "despite",
    "did",
    "do",
    "does",
    "down",
    "during",
    "each",
    "earlier",
    "early",
    "either",
    "else",
    "elsewhere",
    "even",
    "ever",
    "every",
    "everyone",
    "experts",
    "few",
    "first",
    "five",
    "following",
    "for",
    "four",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "inside",
    "instead",
    "into",
    "investigators",
    "is",
    "it",
    "its",
    "just",
    "last",
    "late",
    "later",
    "latest",
    "least",
    "less",
    "let",
    "like",
    "many",
    "may",
    "maybe",
    "me",
    "meanwhile",
    "might",
    "more",
    "moreover",
    "most",
    "much",
    "must",
    "my",
    "near",
    "nearly",
    "neither",
    "never",
    "nevertheless",
    "new",
    "next",
    "nine",
    "no",
    "nobody",
    "none",
    "nor",
    "not",
    "nothing",
    "now",
    "of",
    "officials",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "our",
    "out",
    "over",
    "people",
    "perhaps",
    "please",
    "police",
    "rather",
    "residents",
    "said",
    "same",
    "seven",
    "several",
    "she",
    "should",
    "since",
    "six",
    "so",
    "some",
    "someone",
    "something",
    "soon",
    "still",
    "such",
    "ten",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "third",
    "this",
    "those",
    "though",
    "three",
    "through",
    "thus",
    "to",
    "today",
    "together",
    "tonight",
    "too",
    "two",
    "under",
    "unlike",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "whatever",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whoever",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "witnesses",
    "would",
    "yesterday",
    "yet",
    "you",
    "your",
];

pub fn is_common_word(lower: &str) -> bool {
    COMMON_WORDS.binary_search(&lower).is_ok()
}

/// Share of the words in `text` that are common English words.
pub fn english_ratio(text: &str) -> f64 {
    let mut n_words = 0usize;
    let mut n_common = 0usize;
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).take(400) {
        n_words += 1;
        if word.len() <= 12 && crate::resources::with_lower(word, is_common_word) {
            n_common += 1;
        }
    }
    if n_words == 0 {
        0.0
    } else {
        n_common as f64 / n_words as f64
    }
}

/// Words that end with a period yet rarely end a sentence: titles and name parts.
/// Lower case, without the period.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "adm", "brig", "capt", "cmdr", "col", "cpl", "dr", "fr", "gen", "gov", "hon", "insp", "jr", "lt", "maj", "messrs",
    "mr", "mrs", "ms", "mt", "no", "pres", "prof", "pvt", "rep", "rev", "sen", "sgt", "sr", "st", "supt", "vs",
];

/// Abbreviations that may or may not end a sentence ("at 8 a.m. The …" does; "a.m.
/// Tuesday" does not). Lower case, without the final period.
const AMBIGUOUS_ABBREVIATIONS: &[&str] = &[
    "a.m", "apr", "aug", "co", "corp", "dec", "e.g", "etc", "feb", "i.e", "inc", "jan", "jul", "jun", "ltd", "mar",
    "nov", "oct", "p.m", "sep", "sept", "u.k", "u.n", "u.s", "u.s.a",
];

pub fn is_title_abbreviation(lower: &str) -> bool {
    TITLE_ABBREVIATIONS.binary_search(&lower).is_ok()
}

pub fn is_ambiguous_abbreviation(lower: &str) -> bool {
    AMBIGUOUS_ABBREVIATIONS.binary_search(&lower).is_ok()
}

/// Month number for a month name or its abbreviation ("jan", "sept", "november").
pub fn month(lower: &str) -> Option<u8> {
    let lower = lower.trim_end_matches('.');
    let n = match lower {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// Weekday number, Monday = 0.
pub fn weekday(lower: &str) -> Option<u8> {
    let n = match lower.trim_end_matches('.') {
        "monday" | "mon" => 0,
        "tuesday" | "tue" | "tues" => 1,
        "wednesday" | "wed" => 2,
        "thursday" | "thu" | "thur" | "thurs" => 3,
        "friday" | "fri" => 4,
        "saturday" | "sat" => 5,
        "sunday" | "sun" => 6,
        _ => return None,
    };
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_for_binary_search() {
        for list in [COMMON_WORDS, TITLE_ABBREVIATIONS, AMBIGUOUS_ABBREVIATIONS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "unsorted near {:?}", list.windows(2).find(|w| w[0] >= w[1]));
        }
    }
}
