//! `HardPT`: score every hard prefix of length K with the network on one fixed tuning batch.

use candle_core::DType;

use super::{data_stream, one_hot_rows, Tuned};
use crate::bayes::PrefixScore;
use crate::config::{TuningConfig, MAX_HARD_PREFIXES};
use crate::error::{Error, Result};
use crate::model::{one_hot, Predictor, Prefix};
use crate::train::log_loss;

/// Exhaustive search: the prefix with the lowest mean cumulative log loss on
/// the repetition's first tuning batch wins; the full ranking is returned too.
pub fn hard_search(pretrained: &Predictor, cfg: &TuningConfig, seed: u64, repetition: usize) -> Result<Tuned> {
    let v = pretrained.vocab;
    let k = cfg.prefix_length;
    let total = (v as u64).checked_pow(k as u32).filter(|&n| n <= MAX_HARD_PREFIXES).ok_or_else(|| {
        Error::invalid("tuning.prefix_length", k, format!("small enough that V^K ≤ {MAX_HARD_PREFIXES} for HardPT"))
    })?;
    let batch = cfg.source.sample(&mut data_stream(seed, repetition), cfg.batch_size, cfg.sequence_length)?;
    let x = one_hot(&batch.tokens, batch.batch_size, batch.length, v, pretrained.params.dtype())?;
    let mut ranking = Vec::with_capacity(total as usize);
    for index in 0..total {
        let mut prefix = vec![0u32; k];
        let mut rest = index;
        for slot in prefix.iter_mut().rev() {
            *slot = (rest % v as u64) as u32;
            rest /= v as u64;
        }
        let lp = pretrained.forward(&x, &Prefix::Hard(prefix.clone()), false)?.log_probs;
        let loss = log_loss(&lp, &x)?.to_dtype(DType::F64)?.to_scalar::<f64>()?;
        ranking.push(PrefixScore { prefix, loss });
    }
    ranking.sort_by(|a, b| a.loss.total_cmp(&b.loss));
    let best = ranking[0].prefix.clone();
    let rows = one_hot_rows(&best, v);
    Ok(Tuned {
        predictor: pretrained.clone(),
        prefix: Prefix::Hard(best),
        initial_rows: None,
        rows: Some(rows),
        losses: Vec::new(),
        diverged: None,
        ranking,
    })
}
