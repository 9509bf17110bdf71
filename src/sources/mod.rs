//! Coin-flip sources: their serde description, parsing and validation, seeded sampling, and tokens written as digits.

mod dirichlet;
mod mixture;
mod single;
mod tokens;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use tokens::{parse_tokens, push_tokens, random_digits, MAX_RANDOM_TOKENS};

/// Largest vocabulary: tokens are written as the digits `0..V-1`.
pub const MAX_VOCAB: usize = 10;
/// Most components a mixture may have.
pub const MAX_COMPONENTS: usize = 64;
/// Tolerance on "sums to 1" for probabilities and weights.
pub const SUM_TOLERANCE: f64 = 1e-6;

/// A data generator (SPEC §1). Written in JSON as
/// `{"kind":"single","probs":[0.2,0.8]}`,
/// `{"kind":"mixture","weights":[0.5,0.5],"probs":[[0.2,0.8],[0.8,0.2]]}` or
/// `{"kind":"random","alphas":[1,1]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Source {
    /// `Single Coin`: i.i.d. tokens with fixed probabilities of token 0..V-1.
    Single {
        /// Probability of each token; in [0, 1], summing to 1.
        probs: Vec<f64>,
    },
    /// `Two-Coin Mixture` (any number of components): each sequence picks a
    /// component with `weights`, then draws i.i.d. from its `probs` row.
    Mixture {
        /// Prior weight of each component; in [0, 1], summing to 1.
        weights: Vec<f64>,
        /// One probability row per component, each summing to 1.
        probs: Vec<Vec<f64>>,
    },
    /// `Random Coins`: each sequence draws p ~ Dirichlet(alphas) (Beta for V = 2).
    Random {
        /// Dirichlet concentration per token; finite and > 0.
        alphas: Vec<f64>,
    },
}

impl Default for Source {
    /// SPEC's pretraining source: uniform Beta, `Random Coins` with alphas (1, 1).
    fn default() -> Self {
        Source::Random { alphas: vec![1.0, 1.0] }
    }
}

/// B sequences of N tokens with the probabilities that generated them.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Number of sequences B.
    pub batch_size: usize,
    /// Tokens per sequence N.
    pub length: usize,
    /// Vocabulary size V.
    pub vocab: usize,
    /// Tokens in 0..V-1, row-major B × N.
    pub tokens: Vec<u32>,
    /// The true token probabilities of each sequence, B × V (the sources are
    /// i.i.d. given their latent coin, so they are the same at every step).
    pub truth: Vec<f64>,
}

impl Batch {
    /// Tokens of sequence `b`.
    pub fn sequence(&self, b: usize) -> &[u32] {
        &self.tokens[b * self.length..(b + 1) * self.length]
    }

    /// Ground-truth probabilities that generated token `step` (0-based) of sequence `b`.
    pub fn truth_at(&self, b: usize, _step: usize) -> &[f64] {
        &self.truth[b * self.vocab..(b + 1) * self.vocab]
    }
}

impl Source {
    /// Parses a source written in JSON (see [`Source`]) and validates it; every error names
    /// `field` (`{field}: malformed JSON: …`, `invalid {field}.probs = …`).
    pub fn from_json(field: &str, json: &str) -> Result<Source> {
        let source: Source =
            serde_json::from_str(json).map_err(|e| Error::other(format!("{field}: malformed JSON: {e}")))?;
        source.validate(field)?;
        Ok(source)
    }

    /// The label users see in plots.
    pub fn label(&self) -> &'static str {
        match self {
            Source::Single { .. } => "Single Coin",
            Source::Mixture { .. } => "Two-Coin Mixture",
            Source::Random { .. } => "Random Coins",
        }
    }

    /// Vocabulary size V (2 for a coin).
    pub fn vocab_size(&self) -> usize {
        match self {
            Source::Single { probs } => probs.len(),
            Source::Mixture { probs, .. } => probs.first().map_or(0, Vec::len),
            Source::Random { alphas } => alphas.len(),
        }
    }

    /// Checks every number; `field` is the path used in error messages.
    pub fn validate(&self, field: &str) -> Result<()> {
        match self {
            Source::Single { probs } => check_distribution(&format!("{field}.probs"), probs),
            Source::Mixture { weights, probs } => {
                if probs.is_empty() || probs.len() > MAX_COMPONENTS {
                    return Err(Error::invalid(
                        format!("{field}.probs"),
                        format!("{} components", probs.len()),
                        format!("between 1 and {MAX_COMPONENTS} probability rows"),
                    ));
                }
                if weights.len() != probs.len() {
                    return Err(Error::invalid(
                        format!("{field}.weights"),
                        format!("{} weights", weights.len()),
                        format!("one weight per component ({})", probs.len()),
                    ));
                }
                check_simplex(&format!("{field}.weights"), weights)?;
                let v = probs[0].len();
                for (c, row) in probs.iter().enumerate() {
                    check_distribution(&format!("{field}.probs[{c}]"), row)?;
                    if row.len() != v {
                        return Err(Error::invalid(
                            format!("{field}.probs[{c}]"),
                            format!("{} entries", row.len()),
                            format!("the same vocabulary size as probs[0] ({v})"),
                        ));
                    }
                }
                Ok(())
            }
            Source::Random { alphas } => {
                check_vocab(&format!("{field}.alphas"), alphas.len())?;
                for (i, &a) in alphas.iter().enumerate() {
                    if !(a.is_finite() && a > 0.0 && a <= 1e6) {
                        return Err(Error::invalid(format!("{field}.alphas[{i}]"), a, "a finite number in (0, 1e6]"));
                    }
                }
                Ok(())
            }
        }
    }

    /// Draws B sequences of N tokens. The source must be valid.
    pub fn sample<R: Rng>(&self, rng: &mut R, batch_size: usize, length: usize) -> Result<Batch> {
        self.validate("source")?;
        let vocab = self.vocab_size();
        let mut tokens = Vec::with_capacity(batch_size * length);
        let mut truth = Vec::with_capacity(batch_size * vocab);
        for _ in 0..batch_size {
            let p = match self {
                Source::Single { probs } => probs.clone(),
                Source::Mixture { weights, probs } => probs[mixture::pick_component(rng, weights)?].clone(),
                Source::Random { alphas } => dirichlet::draw_coin(rng, alphas)?,
            };
            single::draw_tokens(rng, &p, length, &mut tokens)?;
            truth.extend_from_slice(&p);
        }
        Ok(Batch { batch_size, length, vocab, tokens, truth })
    }
}

fn check_vocab(field: &str, v: usize) -> Result<()> {
    if (2..=MAX_VOCAB).contains(&v) {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{v} entries"), format!("between 2 and {MAX_VOCAB} entries (one per token)")))
    }
}

/// Entries in [0, 1] summing to 1 within [`SUM_TOLERANCE`].
fn check_simplex(field: &str, xs: &[f64]) -> Result<()> {
    for (i, &x) in xs.iter().enumerate() {
        if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
            return Err(Error::invalid(format!("{field}[{i}]"), x, "a probability in [0, 1]"));
        }
    }
    let sum: f64 = xs.iter().sum();
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        return Err(Error::invalid(field, format!("entries summing to {sum}"), format!("entries summing to 1 (within {SUM_TOLERANCE})")));
    }
    Ok(())
}

fn check_distribution(field: &str, xs: &[f64]) -> Result<()> {
    check_vocab(field, xs.len())?;
    check_simplex(field, xs)
}
