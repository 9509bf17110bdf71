//! `Two-Coin Mixture`: the per-sequence choice of component.

use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::Rng;

use crate::error::{Error, Result};

/// Index of the component a new sequence uses, drawn with `weights`.
pub(super) fn pick_component<R: Rng>(rng: &mut R, weights: &[f64]) -> Result<usize> {
    let dist = WeightedIndex::new(weights).map_err(|e| Error::other(format!("cannot sample weights {weights:?}: {e}")))?;
    Ok(dist.sample(rng))
}
