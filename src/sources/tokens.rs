//! Tokens written as digits `0..V-1`: parsing them, and drawing a seeded sequence of them.

use super::{check_vocab, Source};
use crate::config::in_range;
use crate::error::{Error, Result};

/// Most tokens [`random_digits`] draws at once.
pub const MAX_RANDOM_TOKENS: usize = 10_000;

/// Parses tokens written as digits `0..V-1` (e.g. `"0110"`), ignoring spaces and commas.
pub fn parse_tokens(text: &str, vocab: usize) -> Result<Vec<u32>> {
    let mut tokens = Vec::with_capacity(text.len());
    push_tokens(text, vocab, 0, &mut tokens)?;
    Ok(tokens)
}

/// [`parse_tokens`] of one piece of a longer text whose first token is `tokens[first]`: appends the
/// piece's tokens to `out` and returns how many there were (errors name the whole text's index).
pub fn push_tokens(text: &str, vocab: usize, first: usize, out: &mut Vec<u32>) -> Result<usize> {
    check_vocab("vocab", vocab)?;
    let before = out.len();
    for (i, ch) in text.chars().filter(|c| !c.is_whitespace() && *c != ',').enumerate() {
        match ch.to_digit(10) {
            Some(d) if (d as usize) < vocab => out.push(d),
            _ => {
                return Err(Error::invalid(
                    format!("tokens[{}]", first + i),
                    format!("{ch:?}"),
                    format!("a digit in 0..={}", vocab - 1),
                ))
            }
        }
    }
    Ok(out.len() - before)
}

/// `n` tokens (digits) of one sequence drawn from `source` with `seed`'s "random-tokens"
/// stream: the same seed gives the same tokens natively and in the browser.
pub fn random_digits(source: &Source, n: usize, seed: u64) -> Result<String> {
    in_range("n", n, 1, MAX_RANDOM_TOKENS)?;
    let batch = source.sample(&mut crate::seed::stream(seed, "random-tokens"), 1, n)?;
    Ok(batch.tokens.iter().filter_map(|&t| char::from_digit(t, 10)).collect())
}
