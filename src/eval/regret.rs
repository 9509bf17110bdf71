//! Instant regret per step: a method's log loss minus the oracle's, averaged over a fixed evaluation set.

use candle_core::DType;

use crate::bayes::log_predictive_batch;
use crate::error::Result;
use crate::model::{one_hot, Predictor, Prefix};
use crate::sources::{Batch, Source};

use crate::config::EVAL_CHUNK as CHUNK;

/// One evaluation source's fixed sequences, shared by every method.
#[derive(Debug, Clone)]
pub struct EvalSet {
    /// Name as in the config.
    pub name: String,
    /// The source the sequences come from.
    pub source: Source,
    /// The sequences and their true coins.
    pub batch: Batch,
    /// Oracle log loss −log p_true(x_bn) of every token, B × N (nats).
    oracle_loss: Vec<f64>,
}

impl EvalSet {
    /// Draws `num_sequences` × `length` tokens from `source` with the stream `eval/<name>` of `seed`.
    pub fn new(name: &str, source: &Source, num_sequences: usize, length: usize, seed: u64) -> Result<Self> {
        let batch = source.sample(&mut crate::seed::stream(seed, &format!("eval/{name}")), num_sequences, length)?;
        let oracle_loss = batch
            .tokens
            .iter()
            .enumerate()
            .map(|(i, &t)| -batch.truth_at(i / batch.length, i % batch.length)[t as usize].ln())
            .collect();
        Ok(EvalSet { name: name.to_string(), source: source.clone(), batch, oracle_loss })
    }

    /// Mean over sequences of (method loss − oracle loss) per step, from per-token method losses (B × N).
    fn regret_from_losses(&self, losses: &[f64]) -> Vec<f64> {
        let (b, n) = (self.batch.batch_size, self.batch.length);
        let mut out = vec![0.0; n];
        for s in 0..b {
            for (t, slot) in out.iter_mut().enumerate() {
                let i = s * n + t;
                *slot += losses[i] - self.oracle_loss[i];
            }
        }
        out.iter_mut().for_each(|x| *x /= b as f64);
        out
    }
}

/// Instant regret of an exact Bayes predictor (`source`'s, after `prefix`) on the set.
pub fn bayes_instant_regret(set: &EvalSet, source: &Source, prefix: &[u32]) -> Result<Vec<f64>> {
    let lp = log_predictive_batch(source, prefix, &set.batch)?;
    Ok(set.regret_from_losses(&crate::bayes::token_log_losses(&lp, &set.batch)))
}

/// Instant regret of a network conditioned on `prefix` on the set (evaluated in chunks).
pub fn network_instant_regret(set: &EvalSet, predictor: &Predictor, prefix: &Prefix) -> Result<Vec<f64>> {
    let (b, n, v) = (set.batch.batch_size, set.batch.length, set.batch.vocab);
    let mut losses = Vec::with_capacity(b * n);
    for start in (0..b).step_by(CHUNK) {
        let rows = CHUNK.min(b - start);
        let tokens = &set.batch.tokens[start * n..(start + rows) * n];
        let x = one_hot(tokens, rows, n, v, predictor.params.dtype())?;
        let lp = predictor.forward(&x, prefix, false)?.log_probs.to_dtype(DType::F64)?.flatten_all()?.to_vec1::<f64>()?;
        losses.extend(tokens.iter().enumerate().map(|(i, &t)| -lp[i * v + t as usize]));
    }
    Ok(set.regret_from_losses(&losses))
}
