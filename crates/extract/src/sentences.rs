//! The `sentences` stage: where each sentence begins and ends.
//!
//! Rules over tokens, tuned for news: a blank line always ends a sentence, and so does
//! a line break after a line that reads as a headline or dateline; `.`, `!`, `?` end one
//! when the next word starts a new one (upper case, a digit, an opening quote), except
//! after titles and initials ("Dr.", "Gen.", "J."), and after abbreviations that can end
//! a sentence ("U.S.", "a.m.", "Jan.") only when a typical sentence opener follows.
//! Sentences cover every token exactly once, in order (they tile the text).
//!
//! No sentence is longer than [`MAX_SENTENCE_TOKENS`]: a longer run without a full stop
//! is not prose but a list, a table or a text made to slow us down, and later stages
//! look at every pair of words in a sentence. Such a run is cut at its last comma or
//! semicolon before the limit (or at the limit), which keeps the work per sentence
//! bounded and so the work per document linear in its length. News sentences are far
//! shorter (the demo corpus's longest is about 60 tokens), so the cap changes nothing
//! on them.

use std::ops::Range;

use claimgraph_model::{Sentence, Span};

use crate::lexicon;
use crate::tokens::{is_capitalized, Token, TokenKind};

/// A sentence with the tokens it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceTokens {
    pub span: Span,
    pub tokens: Range<usize>,
}

impl SentenceTokens {
    pub fn to_model(&self) -> Sentence {
        Sentence { span: self.span }
    }
}

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

fn is_opener(s: &str) -> bool {
    matches!(s, "\"" | "“" | "‘" | "'" | "(" | "[" | "«")
}

fn is_terminal(s: &str) -> bool {
    matches!(s, "." | "!" | "?" | "…")
}

/// Most tokens in one sentence: about 1,000 bytes of text, several times the longest
/// sentence of an ordinary news article.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Splits the text into sentences.
pub fn split(text: &str, tokens: &[Token]) -> Vec<SentenceTokens> {
    let mut out = Vec::new();
    for s in split_unbounded(text, tokens) {
        cap_length(text, tokens, s.tokens, &mut out);
    }
    out
}

/// Cuts a run of tokens into sentences of at most [`MAX_SENTENCE_TOKENS`], each cut
/// after the last `,` or `;` of the second half of the allowed length when there is one.
fn cap_length(text: &str, tokens: &[Token], range: Range<usize>, out: &mut Vec<SentenceTokens>) {
    let mut start = range.start;
    while range.end - start > MAX_SENTENCE_TOKENS {
        let limit = start + MAX_SENTENCE_TOKENS;
        let cut = (start + MAX_SENTENCE_TOKENS / 2..limit)
            .rev()
            .find(|&i| tokens[i].kind == TokenKind::Punct && matches!(tokens[i].text(text), "," | ";"))
            .map_or(limit, |i| i + 1);
        out.push(make(tokens, start..cut));
        start = cut;
    }
    out.push(make(tokens, start..range.end));
}

/// The sentences by the rules above, whatever their length.
fn split_unbounded(text: &str, tokens: &[Token]) -> Vec<SentenceTokens> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        // A line break before token i may end the sentence before it.
        if i > start && tokens[i].newline_before && breaks_at_line(text, tokens, i) {
            sentences.push(make(tokens, start..i));
            start = i;
        }
        let word = tokens[i].text(text);
        if tokens[i].kind == TokenKind::Punct && is_terminal(word) {
            // Swallow runs of terminal marks ("...", "?!") and closing quotes or brackets.
            let mut end = i + 1;
            while end < tokens.len() && tokens[end].glued && !tokens[end].newline_before {
                let t = tokens[end].text(text);
                if is_terminal(t) || is_closer(t) {
                    end += 1;
                } else {
                    break;
                }
            }
            if end < tokens.len() && !tokens[end].newline_before && ends_sentence(text, tokens, i, end) {
                sentences.push(make(tokens, start..end));
                start = end;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    if start < tokens.len() {
        sentences.push(make(tokens, start..tokens.len()));
    }
    sentences
}

fn make(tokens: &[Token], range: Range<usize>) -> SentenceTokens {
    let span = Span::new(tokens[range.start].span.start, tokens[range.end - 1].span.end);
    SentenceTokens { span, tokens: range }
}

/// Whether the line break before token `i` ends the sentence: after a blank line always;
/// after a single break unless the text reads on (no final mark and a lower-case word
/// or a digit next, as in hard-wrapped paragraphs).
fn breaks_at_line(text: &str, tokens: &[Token], i: usize) -> bool {
    let gap = &text[tokens[i - 1].span.end..tokens[i].span.start];
    if gap.matches('\n').count() >= 2 {
        return true;
    }
    let prev = tokens[i - 1].text(text);
    if is_terminal(prev) || is_closer(prev) && i >= 2 && is_terminal(tokens[i - 2].text(text)) {
        return true;
    }
    let next = tokens[i].text(text);
    let reads_on = next.chars().next().is_some_and(|c| c.is_lowercase())
        || matches!(prev, "," | ";" | "-" | "–" | "(")
        || prev.chars().next().is_some_and(|c| c.is_lowercase()) && line_length(text, tokens[i - 1].span.end) > 60;
    !reads_on
}

/// Length in bytes of the line ending at `end`.
fn line_length(text: &str, end: usize) -> usize {
    let line_start = text[..end].rfind('\n').map_or(0, |p| p + 1);
    end - line_start
}

/// Whether the terminal mark at token `mark` (with closers up to `next`) ends the
/// sentence, judging by the word before it and the word after.
fn ends_sentence(text: &str, tokens: &[Token], mark: usize, next: usize) -> bool {
    let mut following = next;
    if is_opener(tokens[following].text(text)) && following + 1 < tokens.len() {
        following += 1;
    }
    let next_word = tokens[following].text(text);
    let starts_new =
        is_capitalized(next_word) || tokens[following].kind == TokenKind::Number || is_opener(tokens[next].text(text));
    if !starts_new {
        return false;
    }
    let mark_text = tokens[mark].text(text);
    if mark_text != "." || mark == 0 || !tokens[mark].glued {
        return true;
    }
    let before = tokens[mark - 1];
    if before.kind != TokenKind::Word {
        return true;
    }
    let word = before.text(text);
    let lower = word.to_lowercase();
    if lexicon::is_title_abbreviation(&lower) {
        return false;
    }
    // An initial: one capital letter ("Seymour M. Hersh").
    let mut chars = word.chars();
    if chars.next().is_some_and(char::is_uppercase) && chars.next().is_none() {
        return false;
    }
    if lexicon::is_ambiguous_abbreviation(&lower) || is_dotted_abbreviation(word) {
        // Only a typical opener ("The", "He", "But") starts a new sentence after these.
        return tokens[following].kind == TokenKind::Word && lexicon::is_common_word(&next_word.to_lowercase());
    }
    true
}

/// "U.S", "a.m", "U.N": letters joined by dots.
fn is_dotted_abbreviation(word: &str) -> bool {
    word.contains('.') && word.split('.').all(|part| part.chars().count() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn sentences(text: &str) -> Vec<&str> {
        let tokens = tokenize(text);
        split(text, &tokens).into_iter().map(|s| s.span.of(text)).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences("Dr. Ali Reza met Gen. Smith at 9 a.m. Tuesday in the U.S. capital. He left."),
            ["Dr. Ali Reza met Gen. Smith at 9 a.m. Tuesday in the U.S. capital.", "He left."]
        );
        assert_eq!(
            sentences("The blast came at 3 p.m. The toll rose."),
            ["The blast came at 3 p.m.", "The toll rose."]
        );
        assert_eq!(
            sentences("It happened on Jan. 4, 2024. Police came."),
            ["It happened on Jan. 4, 2024.", "Police came."]
        );
        assert_eq!(
            sentences("He blamed the U.S. But Washington denied it."),
            ["He blamed the U.S.", "But Washington denied it."]
        );
    }

    #[test]
    fn initials_stay_inside() {
        assert_eq!(
            sentences("Reporter Seymour M. Hersh wrote it. Nobody agreed."),
            ["Reporter Seymour M. Hersh wrote it.", "Nobody agreed."]
        );
    }

    #[test]
    fn quotations() {
        assert_eq!(
            sentences("\"We will find them,\" he said. \"Nobody is safe.\" The minister left."),
            ["\"We will find them,\" he said.", "\"Nobody is safe.\"", "The minister left."]
        );
        assert_eq!(
            sentences("\"Who did this?\" she asked. Nobody knew."),
            ["\"Who did this?\" she asked.", "Nobody knew."]
        );
        assert_eq!(
            sentences("He told reporters: “It was a massacre.” Officials agreed."),
            ["He told reporters: “It was a massacre.”", "Officials agreed."]
        );
    }

    #[test]
    fn headlines_and_datelines_stand_alone() {
        assert_eq!(
            sentences(
                "Twin blasts kill dozens in Kerman\n\nTEHRAN, Jan 4 (Meridian Wire) - Two bombs went off. More died."
            ),
            ["Twin blasts kill dozens in Kerman", "TEHRAN, Jan 4 (Meridian Wire) - Two bombs went off.", "More died."]
        );
        assert_eq!(
            sentences("Headline without a stop\nFirst sentence here."),
            ["Headline without a stop", "First sentence here."]
        );
    }

    #[test]
    fn hard_wrapped_lines_read_on() {
        assert_eq!(
            sentences("Gunmen attacked the hotel late on Wednesday and held\nguests hostage for three days. It ended."),
            ["Gunmen attacked the hotel late on Wednesday and held\nguests hostage for three days.", "It ended."]
        );
    }

    #[test]
    fn ellipses_and_numbers() {
        assert_eq!(
            sentences("The toll rose... 130 were dead by Sunday."),
            ["The toll rose...", "130 were dead by Sunday."]
        );
        assert_eq!(sentences("It cost 3.5 million. Then it fell."), ["It cost 3.5 million.", "Then it fell."]);
    }
}
