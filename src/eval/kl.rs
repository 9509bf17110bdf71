//! How far a network's predictions are from a source's exact Bayes predictor (KL, nats per step).

use candle_core::DType;
use serde::{Deserialize, Serialize};

use crate::bayes::log_predictive_batch;
use crate::config::chunk_sequences;
use crate::error::{Error, Result};
use crate::model::{Predictor, Prefix};
use crate::sources::{Batch, Source};

/// KL divergence of a network from Bayes on a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KlReport {
    /// Mean over sequences and steps of KL(Bayes ‖ network), nats per step.
    pub mean: f64,
    /// Mean over sequences of the KL at each step (length N), nats.
    pub per_step: Vec<f64>,
}

/// KL(P_bayes(· | x_<n) ‖ P_net(· | x_<n)) averaged over the batch, where
/// P_bayes is `source`'s exact predictor and the network sees no prefix.
pub fn kl_to_bayes(predictor: &Predictor, source: &Source, batch: &Batch) -> Result<KlReport> {
    if source.vocab_size() != predictor.vocab {
        return Err(Error::invalid("source", format!("V = {}", source.vocab_size()), format!("the model's V = {}", predictor.vocab)));
    }
    let bayes = log_predictive_batch(source, &[], batch)?;
    let net = predictor.log_probs(batch, &Prefix::None)?.to_dtype(DType::F64)?.flatten_all()?.to_vec1::<f64>()?;
    let (b, n, v) = (batch.batch_size, batch.length, batch.vocab);
    let mut per_step = vec![0.0; n];
    for s in 0..b {
        for (t, slot) in per_step.iter_mut().enumerate() {
            let at = (s * n + t) * v;
            let kl: f64 = (0..v)
                .map(|k| {
                    let lp = bayes[at + k];
                    if lp == f64::NEG_INFINITY { 0.0 } else { lp.exp() * (lp - net[at + k]) }
                })
                .sum();
            *slot += kl / b as f64;
        }
    }
    let mean = per_step.iter().sum::<f64>() / n.max(1) as f64;
    Ok(KlReport { mean, per_step })
}

/// Mean KL(Bayes ‖ network) in nats per step over `batch`, evaluated in chunks of
/// sequences ([`chunk_sequences`]) so activations, and attention over long sequences, stay small.
pub fn mean_kl(predictor: &Predictor, source: &Source, batch: &Batch) -> Result<f64> {
    let (n, v) = (batch.length, batch.vocab);
    let chunk = chunk_sequences(&predictor.config, n + 1);
    let mut total = 0.0;
    let mut start = 0;
    while start < batch.batch_size {
        let b = chunk.min(batch.batch_size - start);
        let part = Batch {
            batch_size: b,
            length: n,
            vocab: v,
            tokens: batch.tokens[start * n..(start + b) * n].to_vec(),
            truth: batch.truth[start * v..(start + b) * v].to_vec(),
        };
        total += kl_to_bayes(predictor, source, &part)?.mean * b as f64;
        start += b;
    }
    Ok(total / batch.batch_size as f64)
}
