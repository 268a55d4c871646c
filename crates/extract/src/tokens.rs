//! Word, number and punctuation tokens with their byte spans.
//!
//! Every later stage reads tokens rather than characters so that "U.S.", "ez-Zor",
//! "2,000" and "al-Qaeda" are one unit each. A word takes internal `.`, `-`, `'`, `’` and
//! `&` when a letter or digit follows; a possessive `'s` is split off so that
//! "Russia's" yields the token "Russia".

use claimgraph_model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// A line break (or more) lies between the previous token and this one.
    pub newline_before: bool,
    /// No whitespace between the previous token and this one.
    pub glued: bool,
}

impl Token {
    pub fn text(self, text: &str) -> &str {
        self.span.of(text)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '-' | '\'' | '’' | '&' | '‑')
}

/// Splits `text` into tokens. Whitespace is dropped; every other character belongs to
/// exactly one token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    let mut newline_before = false;
    let mut glued = false;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            if c == '\n' {
                newline_before = true;
            }
            glued = false;
            continue;
        }
        let mut end = start + c.len_utf8();
        let kind = if is_word_char(c) {
            let mut all_digits = c.is_ascii_digit();
            loop {
                match chars.peek() {
                    Some(&(i, n)) if is_word_char(n) => {
                        all_digits &= n.is_ascii_digit();
                        end = i + n.len_utf8();
                        chars.next();
                    }
                    Some(&(i, n)) if is_joiner(n) || (all_digits && n == ',') => {
                        // Join only when a word character follows the joiner.
                        let after = text[i + n.len_utf8()..].chars().next();
                        let ok = match after {
                            Some(a) if n == ',' => {
                                // "2,000" but not "5,Paris": exactly three digits follow.
                                let rest = &text[i + 1..];
                                a.is_ascii_digit()
                                    && rest.len() >= 3
                                    && rest.as_bytes()[..3].iter().all(u8::is_ascii_digit)
                                    && !rest.as_bytes().get(3).is_some_and(u8::is_ascii_digit)
                            }
                            Some(a) => is_word_char(a),
                            None => false,
                        };
                        if !ok {
                            break;
                        }
                        // A possessive ending stays outside the word.
                        if matches!(n, '\'' | '’') {
                            let rest = &text[i + n.len_utf8()..];
                            let mut it = rest.chars();
                            if matches!(it.next(), Some('s')) && !it.next().is_some_and(is_word_char) {
                                break;
                            }
                        }
                        end = i + n.len_utf8();
                        chars.next();
                    }
                    _ => break,
                }
            }
            let word = &text[start..end];
            if word.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
                TokenKind::Number
            } else {
                TokenKind::Word
            }
        } else {
            TokenKind::Punct
        };
        tokens.push(Token { span: Span::new(start, end), kind, newline_before, glued });
        newline_before = false;
        glued = true;
    }
    tokens
}

/// Starts with an upper-case letter.
pub fn is_capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Every letter is upper case and there are at least two of them ("ISIS", "U.S.").
pub fn is_all_caps(word: &str) -> bool {
    let mut n_letters = 0;
    for c in word.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            n_letters += 1;
        }
    }
    n_letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn joins_abbreviations_hyphens_and_thousands() {
        assert_eq!(
            words("The U.S. said 2,000 died in Deir ez-Zor, 5,6 hurt."),
            ["The", "U.S", ".", "said", "2,000", "died", "in", "Deir", "ez-Zor", ",", "5", ",", "6", "hurt", "."]
        );
    }

    #[test]
    fn splits_possessives_but_keeps_elisions() {
        assert_eq!(
            words("Russia's army, Russia’s foray"),
            ["Russia", "'", "s", "army", ",", "Russia", "’", "s", "foray"]
        );
        assert_eq!(words("Quai d'Orsay"), ["Quai", "d'Orsay"]);
    }

    #[test]
    fn marks_newlines() {
        let t = tokenize("Headline\nTEHRAN -");
        assert!(t[1].newline_before);
        assert!(!t[2].newline_before);
    }
}
