//! `Single Coin`: i.i.d. tokens from fixed probabilities (also the inner draw of every source).

use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::Rng;

use crate::error::{Error, Result};

/// Appends `length` i.i.d. draws from `probs` to `out`.
pub(super) fn draw_tokens<R: Rng>(rng: &mut R, probs: &[f64], length: usize, out: &mut Vec<u32>) -> Result<()> {
    let dist = WeightedIndex::new(probs).map_err(|e| Error::other(format!("cannot sample from {probs:?}: {e}")))?;
    out.extend((0..length).map(|_| dist.sample(rng) as u32));
    Ok(())
}
