//! Flips a person writes or pastes (H/T or 0/1, with any separators) read as tokens, refusing the first bad character by its position.

use std::fmt;

use crate::config::MAX_SEQUENCE_LENGTH;
use crate::error::Error;

/// Most flips the Predict view reads: the network's longest sequence.
pub const MAX_FLIPS: usize = MAX_SEQUENCE_LENGTH;

/// What may stand between flips, in words.
const SEPARATORS: &str = "spaces, new lines, commas, semicolons, |, /, -, _ or .";

/// The two ways of writing a flip: letters H/T (either case) or digits 0/1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// `H` (token 0) and `T` (token 1), either case.
    Letters,
    /// `0` and `1`, the tokens themselves.
    Digits,
}

impl Notation {
    fn words(self) -> &'static str {
        match self {
            Notation::Letters => "H and T",
            Notation::Digits => "0 and 1",
        }
    }
}

/// Where a character stands in the text, all 1-based and counted in characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Position in the whole text.
    pub position: usize,
    /// Line (LF, CR LF and a lone CR each end one).
    pub line: usize,
    /// Position within its line.
    pub column: usize,
    /// Whether the text has more than one line (then line and column are worth saying).
    pub multiline: bool,
}

/// Why a text is not a sequence of flips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlipsTextError {
    /// A character that is neither a flip nor a separator.
    BadCharacter {
        /// The character.
        character: char,
        /// Where it stands.
        place: Place,
    },
    /// A flip written in the other notation than the flips before it.
    MixedNotation {
        /// The character.
        character: char,
        /// Where it stands.
        place: Place,
        /// The notation of the flips before it.
        earlier: Notation,
    },
    /// More flips than the engine reads.
    TooMany {
        /// Flips in the text.
        count: usize,
        /// The most accepted.
        max: usize,
    },
    /// No flip at all.
    Empty,
}

/// A character as a person can see it: itself, or `U+XXXX` for control and invisible characters.
pub fn shown(c: char) -> String {
    let invisible = c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}');
    if invisible {
        format!("U+{:04X}", c as u32)
    } else {
        format!("“{c}”")
    }
}

impl Place {
    fn words(&self) -> String {
        if self.multiline {
            format!("character {} (line {}, column {})", self.position, self.line, self.column)
        } else {
            format!("character {}", self.position)
        }
    }
}

impl FlipsTextError {
    /// Where the refused character stands, for the two refusals of one character.
    pub fn place(&self) -> Option<(char, Place)> {
        match self {
            FlipsTextError::BadCharacter { character, place } | FlipsTextError::MixedNotation { character, place, .. } => Some((*character, *place)),
            _ => None,
        }
    }

    /// The refused value in a few words (the engine error's `value`).
    fn value(&self) -> String {
        match self {
            FlipsTextError::BadCharacter { character, place } | FlipsTextError::MixedNotation { character, place, .. } => {
                format!("{} {}", place.words(), shown(*character))
            }
            FlipsTextError::TooMany { count, .. } => format!("{count} flips"),
            FlipsTextError::Empty => "no flips".into(),
        }
    }

    /// What is allowed, in words (the engine error's `allowed`).
    fn allowed(&self) -> String {
        match self {
            FlipsTextError::BadCharacter { .. } => format!("H and T (or 0 and 1), with only {SEPARATORS} between flips"),
            FlipsTextError::MixedNotation { earlier, .. } => format!("{} like the flips before it (one notation per text)", earlier.words()),
            FlipsTextError::TooMany { max, .. } => format!("at most {max} flips"),
            FlipsTextError::Empty => "at least one flip, written as H and T or as 0 and 1".into(),
        }
    }
}

/// A plain sentence for the person who typed the text.
impl fmt::Display for FlipsTextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let capital = |place: &Place| {
            let w = place.words();
            format!("C{}", &w[1..])
        };
        match self {
            FlipsTextError::BadCharacter { character, place } => write!(
                f,
                "{} is {}: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like.",
                capital(place),
                shown(*character)
            ),
            FlipsTextError::MixedNotation { character, place, earlier } => write!(
                f,
                "{} is {}, but the flips before it are written as {}: write every flip as H and T, or every flip as 0 and 1.",
                capital(place),
                shown(*character),
                earlier.words()
            ),
            FlipsTextError::TooMany { count, max } => write!(f, "That is {count} flips; at most {max} are read at once."),
            FlipsTextError::Empty => write!(f, "There are no flips here: write them as H and T (or 0 and 1)."),
        }
    }
}

impl std::error::Error for FlipsTextError {}

/// The refusal as the engine's usual error: field `flips`, the value, and what is allowed.
impl From<FlipsTextError> for Error {
    fn from(e: FlipsTextError) -> Self {
        Error::invalid("flips", e.value(), e.allowed())
    }
}

/// Whether `c` may stand between flips.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | '|' | '/' | '-' | '_' | '.')
}

/// The flip `c` writes, with its notation, if it is one.
fn flip_of(c: char) -> Option<(u32, Notation)> {
    match c {
        'H' | 'h' => Some((0, Notation::Letters)),
        'T' | 't' => Some((1, Notation::Letters)),
        '0' => Some((0, Notation::Digits)),
        '1' => Some((1, Notation::Digits)),
        _ => None,
    }
}

/// Reads `text` as flips: tokens 0 (H) and 1 (T), written all as H/T (either case) or all as 0/1,
/// with any separators between them (whitespace, new lines, `, ; | / - _ .`); a byte order mark at
/// the start is skipped. Refuses the first character that is neither (or that switches notation), by
/// its position; then more than `max` flips; then a text with no flips.
pub fn parse_flips(text: &str, max: usize) -> Result<Vec<u32>, FlipsTextError> {
    let multiline = text.contains(['\n', '\r']);
    let mut tokens = Vec::new();
    let mut notation = None;
    let (mut line, mut column) = (1, 0);
    let mut after_cr = false;
    for (i, c) in text.chars().enumerate() {
        // CR LF ends one line, so the LF after a CR starts nothing new.
        if c == '\n' && after_cr {
            after_cr = false;
            continue;
        }
        after_cr = c == '\r';
        if c == '\n' || c == '\r' {
            line += 1;
            column = 0;
            continue;
        }
        column += 1;
        if i == 0 && c == '\u{FEFF}' {
            continue;
        }
        let place = Place { position: i + 1, line, column, multiline };
        match flip_of(c) {
            Some((token, n)) => match notation {
                Some(earlier) if earlier != n => return Err(FlipsTextError::MixedNotation { character: c, place, earlier }),
                _ => {
                    notation = Some(n);
                    tokens.push(token);
                }
            },
            None if is_separator(c) => {}
            None => return Err(FlipsTextError::BadCharacter { character: c, place }),
        }
    }
    if tokens.len() > max {
        return Err(FlipsTextError::TooMany { count: tokens.len(), max });
    }
    if tokens.is_empty() {
        return Err(FlipsTextError::Empty);
    }
    Ok(tokens)
}
