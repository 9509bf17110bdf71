//! The objective of SPEC §4: summed log loss over steps, mean over the batch.

use candle_core::Tensor;

use crate::error::Result;

/// −(1/B) Σ_b Σ_n log P(x_bn) in nats, from (B, N, V) log predictions and one-hot targets.
pub fn log_loss(log_probs: &Tensor, targets: &Tensor) -> Result<Tensor> {
    let b = log_probs.dim(0)?;
    Ok((log_probs.mul(targets)?.sum_all()? * (-1.0 / b as f64))?)
}
