//! `PreBayesPT`: the best hard prefix for an exact Bayes predictor, by exhaustive search.

use super::log_predictive;
use crate::error::{Error, Result};
use crate::sources::{Batch, Source};
use serde::{Deserialize, Serialize};

/// Most prefixes (V^K) an exhaustive search may enumerate.
pub const MAX_PREFIX_SEARCH: u64 = 1 << 16;

/// One hard prefix and its score on a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrefixScore {
    /// The prefix tokens, in 0..V-1.
    pub prefix: Vec<u32>,
    /// Mean over the batch of the cumulative log loss (nats) of the prompted predictor.
    pub loss: f64,
}

/// Scores every prefix of length `k` for `pre`'s Bayes predictor on `batch`
/// and returns them best first (ties keep lexicographic order).
///
/// A Bayes predictor's posterior after a prefix depends only on the prefix's
/// token counts, so each count class is evaluated once and shared by all of
/// its orderings; the ranking still lists all V^K prefixes.
pub fn best_hard_prefix(pre: &Source, batch: &Batch, k: usize) -> Result<Vec<PrefixScore>> {
    let v = pre.vocab_size();
    if v != batch.vocab {
        return Err(Error::invalid("source", format!("V = {v}"), format!("the batch's vocabulary size {}", batch.vocab)));
    }
    let total = (v as u64).checked_pow(k as u32).filter(|&n| n <= MAX_PREFIX_SEARCH);
    let Some(total) = total else {
        return Err(Error::invalid(
            "prefix_length",
            k,
            format!("at most {} for V = {v} (V^K must be ≤ {MAX_PREFIX_SEARCH})", max_len(v)),
        ));
    };
    let mut by_counts: std::collections::HashMap<Vec<u32>, f64> = std::collections::HashMap::new();
    let mut scores = Vec::with_capacity(total as usize);
    for index in 0..total {
        let prefix = nth_prefix(index, v, k);
        let counts = counts_of(&prefix, v);
        let loss = match by_counts.get(&counts) {
            Some(&l) => l,
            None => {
                let l = mean_cumulative_loss(pre, &prefix, batch)?;
                by_counts.insert(counts, l);
                l
            }
        };
        scores.push(PrefixScore { prefix, loss });
    }
    scores.sort_by(|a, b| a.loss.total_cmp(&b.loss));
    Ok(scores)
}

fn max_len(v: usize) -> usize {
    (0..).take_while(|&k| (v as u64).checked_pow(k as u32).is_some_and(|n| n <= MAX_PREFIX_SEARCH)).last().unwrap_or(0)
}

fn nth_prefix(mut index: u64, v: usize, k: usize) -> Vec<u32> {
    let mut prefix = vec![0u32; k];
    for slot in prefix.iter_mut().rev() {
        *slot = (index % v as u64) as u32;
        index /= v as u64;
    }
    prefix
}

fn counts_of(prefix: &[u32], v: usize) -> Vec<u32> {
    let mut counts = vec![0u32; v];
    prefix.iter().for_each(|&t| counts[t as usize] += 1);
    counts
}

fn mean_cumulative_loss(pre: &Source, prefix: &[u32], batch: &Batch) -> Result<f64> {
    let v = batch.vocab;
    let mut total = 0.0;
    for b in 0..batch.batch_size {
        let seq = batch.sequence(b);
        let lp = log_predictive(pre, prefix, seq)?;
        total -= seq.iter().enumerate().map(|(n, &t)| lp[n * v + t as usize]).sum::<f64>();
    }
    Ok(total / batch.batch_size.max(1) as f64)
}
