//! Exact Bayesian predictors (SPEC §2), all in log space.

mod density;
mod logspace;
mod posterior;
mod prebayes;

pub use density::{beta_log_density, bias_posterior, BiasPosterior, MAX_DENSITY_POINTS};
pub use logspace::logsumexp;
pub use posterior::Posterior;
pub use prebayes::{best_hard_prefix, PrefixScore, MAX_PREFIX_SEARCH};

use crate::error::Result;
use crate::sources::{Batch, Source};

/// Log predictive of `source`'s Bayes predictor on one sequence after
/// conditioning on `prefix`: N × V row-major, row n = log P(x_n = v | prefix, x_<n)
/// in nats (row 0 is the prior predictive, or the predictive after the prefix).
pub fn log_predictive(source: &Source, prefix: &[u32], tokens: &[u32]) -> Result<Vec<f64>> {
    let mut post = Posterior::new(source)?;
    post.observe_all(prefix)?;
    let v = post.vocab();
    let mut out = vec![0.0; tokens.len() * v];
    for (n, &t) in tokens.iter().enumerate() {
        post.log_predictive(&mut out[n * v..(n + 1) * v]);
        post.observe(t)?;
    }
    Ok(out)
}

/// [`log_predictive`] for every sequence of a batch: B × N × V row-major.
pub fn log_predictive_batch(source: &Source, prefix: &[u32], batch: &Batch) -> Result<Vec<f64>> {
    let mut out = Vec::with_capacity(batch.tokens.len() * batch.vocab);
    for b in 0..batch.batch_size {
        out.extend(log_predictive(source, prefix, batch.sequence(b))?);
    }
    Ok(out)
}

/// The oracle (`ground_truth`): log of the true probabilities of each sequence, B × N × V.
pub fn oracle_log_predictive(batch: &Batch) -> Vec<f64> {
    let mut out = Vec::with_capacity(batch.tokens.len() * batch.vocab);
    for b in 0..batch.batch_size {
        for n in 0..batch.length {
            out.extend(batch.truth_at(b, n).iter().map(|p| p.ln()));
        }
    }
    out
}

/// Per-token log loss −log P(x_n) in nats from a B × N × V log predictive: B × N.
pub fn token_log_losses(log_pred: &[f64], batch: &Batch) -> Vec<f64> {
    let v = batch.vocab;
    batch.tokens.iter().enumerate().map(|(i, &t)| -log_pred[i * v + t as usize]).collect()
}
