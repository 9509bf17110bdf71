//! The one error type of the engine: every refusal names what was wrong.

use std::fmt;

/// An error the engine reports instead of panicking.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A config or input field is outside what the engine accepts.
    Invalid {
        /// Dotted path of the field, e.g. `pretraining.batch_size`.
        field: String,
        /// The offending value as the user wrote it (shortened).
        value: String,
        /// What is allowed, in words, e.g. `an integer in 1..=4096`.
        allowed: String,
    },
    /// Anything else (I/O, a corrupt model file, a tensor failure), one line.
    Other(String),
}

/// Result with the engine's error.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A refusal of `field` holding `value`, with the allowed range in words.
    pub fn invalid(field: impl Into<String>, value: impl fmt::Display, allowed: impl Into<String>) -> Self {
        let mut value = value.to_string();
        // Rust writes 1e308 as 309 digits: long numbers read better in scientific notation.
        if value.len() > 20 {
            if let Ok(x) = value.parse::<f64>() {
                value = format!("{x:e}");
            }
        }
        if value.len() > 80 {
            let cut = (0..=77).rev().find(|&i| value.is_char_boundary(i)).unwrap_or(0);
            value.truncate(cut);
            value.push_str("...");
        }
        Error::Invalid { field: field.into(), value, allowed: allowed.into() }
    }

    /// Any other failure, described in one line.
    pub fn other(message: impl Into<String>) -> Self {
        Error::Other(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { field, value, allowed } => {
                write!(f, "invalid {field} = {value}: must be {allowed}")
            }
            Error::Other(message) => {
                // Keep it to one line whatever the source said.
                let one_line: Vec<&str> = message.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
                write!(f, "{}", one_line.join("; "))
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<candle_core::Error> for Error {
    fn from(e: candle_core::Error) -> Self {
        Error::Other(format!("tensor error: {e}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Other(format!("i/o error: {e}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Other(format!("malformed JSON: {e}"))
    }
}
