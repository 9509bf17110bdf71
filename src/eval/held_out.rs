//! The held-out batch a network's KL to Bayes is measured on, drawn from its own seeded stream.

use crate::config::in_range;
use crate::error::Result;
use crate::sources::{Batch, Source};

/// Most sequences in a held-out KL batch.
pub const MAX_KL_SEQUENCES: usize = 4096;
/// Longest held-out KL sequence, in tokens.
pub const MAX_KL_LENGTH: usize = 1000;

/// `num_sequences` × `length` tokens of `source`, drawn from `seed`'s "held-out" stream
/// (no training draws from it, so the same seed gives the same batch everywhere).
pub fn held_out_batch(source: &Source, num_sequences: usize, length: usize, seed: u64) -> Result<Batch> {
    in_range("num_sequences", num_sequences, 1, MAX_KL_SEQUENCES)?;
    in_range("length", length, 1, MAX_KL_LENGTH)?;
    source.sample(&mut crate::seed::stream(seed, "held-out"), num_sequences, length)
}
