//! The objective of SPEC §4: summed log loss over steps, mean over the batch.

use candle_core::Tensor;

use crate::error::Result;

/// −(1/B) Σ_b Σ_n log P(x_bn) in nats, from (B, N, V) log predictions and one-hot targets.
pub fn log_loss(log_probs: &Tensor, targets: &Tensor) -> Result<Tensor> {
    log_loss_share(log_probs, targets, log_probs.dim(0)?)
}

/// A part's share of the [`log_loss`] of a batch of `batch` sequences:
/// −(1/batch) Σ over the part's sequences, so the shares of a batch's parts sum to its loss.
pub fn log_loss_share(log_probs: &Tensor, targets: &Tensor, batch: usize) -> Result<Tensor> {
    Ok((log_probs.mul(targets)?.sum_all()? * (-1.0 / batch as f64))?)
}
