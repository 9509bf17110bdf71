//! A conservative estimate of the memory a run needs, so oversized configs are refused before allocating.

use super::{Architecture, Config};
use crate::error::{Error, Result};

/// Largest estimated working set of one run: in the browser 768 MB, which keeps
/// a tab under ~1 GB; natively 16 GB (the paper's Transformer needs ~0.5 GB).
pub const MAX_BYTES: f64 = if cfg!(target_arch = "wasm32") { 768.0 * 1048576.0 } else { 16384.0 * 1048576.0 };

/// Sequences per evaluation forward pass: the evaluation runs in chunks of this size to bound memory.
pub const EVAL_CHUNK: usize = 128;

/// Bytes of f32 activations (and their gradients) one forward + backward pass
/// over `batch` sequences of `positions` inputs keeps alive, for this model.
fn pass_bytes(config: &Config, batch: usize, positions: usize, backward: bool) -> f64 {
    let m = &config.model;
    let e = m.embedding_dim as f64;
    let per_position: f64 = match m.architecture {
        // Input projection (4H), fused-kernel rows (6H), their gradients and the hidden-state copies
        // (calibrated: E = hidden = 128 at 256 × 101 measured 465 MB peak RSS, this gives 650 MB).
        Architecture::Lstm => e + m.hidden_sizes.iter().map(|&h| 16.0 * h as f64).sum::<f64>(),
        // Per layer: ~8 E-wide arrays the fused half-block ops keep (norms, q, k, v, residuals), the
        // MLP's pre-activation and activation (1.5 × hidden × widening, with their gradients) and the
        // attention weights (heads × positions) (calibrated: the paper's size at 256 × 101 grew the
        // wasm memory to 500 MB, natively 0.51 GB peak RSS; this gives 689 MB).
        Architecture::Transformer => {
            e + m
                .hidden_sizes
                .iter()
                .map(|&h| 8.0 * e + 1.5 * (h * m.widening_factor) as f64 + (m.num_heads * positions) as f64)
                .sum::<f64>()
        }
        Architecture::Linear => e + m.hidden_sizes.iter().map(|&h| 2.0 * h as f64).sum::<f64>(),
    };
    let factor = if backward { 3.0 } else { 1.0 };
    4.0 * factor * per_position * (batch * positions) as f64
}

/// Each phase with the fields that size it and its estimated bytes.
fn phases(config: &Config) -> [(&'static str, f64); 3] {
    let p = &config.pretraining;
    let t = &config.tuning;
    let e = &config.evaluation;
    // The evaluation sets stay in memory throughout: tokens and oracle losses.
    let sets = 16.0 * (e.num_sequences * e.sequence_length * config.eval_sources().len()) as f64;
    let eval = pass_bytes(config, EVAL_CHUNK.min(e.num_sequences), e.sequence_length + t.prefix_length + 1, false);
    [
        ("pretraining.batch_size × pretraining.sequence_length", pass_bytes(config, p.batch_size, p.sequence_length + 1, true) + sets),
        ("tuning.batch_size × tuning.sequence_length", pass_bytes(config, t.batch_size, t.sequence_length + t.prefix_length + 1, true) + sets),
        ("evaluation.num_sequences × evaluation.sequence_length", eval + sets),
    ]
}

/// Estimated peak bytes of the largest phase: a pretraining step, a tuning step or an evaluation chunk.
pub fn estimate_bytes(config: &Config) -> f64 {
    phases(config).iter().map(|(_, b)| *b).fold(0.0, f64::max)
}

/// Refuses a config whose estimate exceeds [`MAX_BYTES`], naming the biggest phase.
pub fn check_memory(config: &Config) -> Result<()> {
    let bytes = estimate_bytes(config);
    if bytes <= MAX_BYTES {
        return Ok(());
    }
    let mb = |b: f64| format!("{:.0} MB", b / 1048576.0);
    let (field, _) = phases(config).into_iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or(("model", bytes));
    Err(Error::invalid(field, format!("a run needing about {}", mb(bytes)), format!("sizes that need at most {} (shrink the batch, the sequences or the model)", mb(MAX_BYTES))))
}
