//! What one forward pass without gradients may hold: the attention budget, the longest sequence it allows, and chunk sizes.

use super::{Architecture, ModelConfig};

/// Bytes one forward pass may spend on a Transformer's attention weights, which grow with the
/// square of the length: running out of wasm memory would kill the page's engine.
const ATTENTION_BYTES: f64 = 256.0 * 1048576.0;

/// Bytes budgeted per attention weight, per head and per sequence: three f32 arrays of
/// (heads, T, T) weights, as if the scores, their softmax and one copy were all alive. The fused
/// attention kernel keeps one such array (4 bytes); the other two are headroom for the rest of the pass.
const BYTES_PER_ATTENTION_WEIGHT: f64 = 12.0;

/// Input positions (sequences × positions) per forward pass of a chunk: bounds the LSTM's
/// and the Transformer's activations.
const CHUNK_POSITIONS: usize = 32_768;

/// Most sequences in one chunk, however short they are.
const MAX_CHUNK_SEQUENCES: usize = 256;

/// Most input positions (BOS, prefix, tokens) one sequence may have in a forward pass of `model`:
/// unbounded but for a Transformer, whose one sequence's weights must fit in [`ATTENTION_BYTES`].
pub(crate) fn max_positions(model: &ModelConfig) -> usize {
    match model.architecture {
        Architecture::Transformer => (ATTENTION_BYTES / (BYTES_PER_ATTENTION_WEIGHT * model.num_heads as f64)).sqrt() as usize,
        _ => usize::MAX,
    }
}

/// Sequences of `positions` inputs per forward pass that keep within [`CHUNK_POSITIONS`] and
/// (for a Transformer) [`ATTENTION_BYTES`]: between 1 and [`MAX_CHUNK_SEQUENCES`].
pub(crate) fn chunk_sequences(model: &ModelConfig, positions: usize) -> usize {
    let by_positions = CHUNK_POSITIONS / positions.max(1);
    let by_attention = match model.architecture {
        Architecture::Transformer => {
            (ATTENTION_BYTES / (BYTES_PER_ATTENTION_WEIGHT * (model.num_heads * positions * positions) as f64)) as usize
        }
        _ => usize::MAX,
    };
    by_positions.min(by_attention).clamp(1, MAX_CHUNK_SEQUENCES)
}
