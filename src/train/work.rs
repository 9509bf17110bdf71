//! The arithmetic work of one pretraining step, counted from the config's shapes: the multiply-adds the engine's matrix products execute forward and backward, and the update's per-weight operations.
//!
//! Forward and backward count the products only (every call of the engine's one gemm
//! wrapper, m·n·k each); the element-wise work beside them — the LSTM cell, softmax,
//! LayerNorm, GELU, the loss — is not counted. The counts follow what the engine runs,
//! not a textbook formula: the embedding and an LSTM's first input projection run once
//! per distinct input row (BOS and the V tokens), not once per position; the recurrence
//! has no product at its first step (zero state); attention multiplies the causal
//! triangle in blocks of rows, the diagonal blocks whole. Every torso product is recomputed twice
//! backwards (the input's and the weight's gradient); the embedding only once (its input
//! is constant, so it gets no gradient).

use serde::Serialize;

use crate::config::{Architecture, Config};
use crate::error::{Error, Result};
use crate::kernels::causal_area;

/// Operations per trained weight of one Adam update, each multiply, add, multiply-add,
/// square root or division counted once, as candle's AdamW computes it:
/// m ← β₁m + (1−β₁)g (2), v ← β₂v + (1−β₂)g² (3), m̂ = m·c₁ (1), v̂ = v·c₂ (1),
/// √v̂ (1), + ε (1), m̂ / (…) (1), θ·(1 − lr·λ) (1), θ − lr·(…) (1).
pub const ADAM_OPS_PER_WEIGHT: u64 = 12;

/// Operations per trained weight of the global gradient norm before clipping (g·g summed).
/// Rescaling the gradients (one more multiply each) happens only when the norm exceeds
/// the limit, which depends on the data, so it is not counted.
pub const NORM_OPS_PER_WEIGHT: u64 = 1;

/// The work of one pretraining step (one Adam step on a batch of B sequences of N tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepWork {
    /// Multiply-adds of the forward pass's matrix products.
    pub forward: u64,
    /// Multiply-adds of the backward pass's matrix products.
    pub backward: u64,
    /// Operations of the clipping norm and the Adam update ([`NORM_OPS_PER_WEIGHT`] +
    /// [`ADAM_OPS_PER_WEIGHT`] per trained weight).
    pub update: u64,
    /// forward + backward + update.
    pub total: u64,
    /// Trained weights (every weight but the LoRA adapters).
    pub trained_weights: u64,
}

/// Multiply-adds of an m × k by k × n product.
fn product(m: usize, k: usize, n: usize) -> u64 {
    (m as u64) * (k as u64) * (n as u64)
}

/// Products of one direction of the step, and the trained weights.
struct Counts {
    /// Forward products that are recomputed twice backwards (input and weight gradients).
    twice: u64,
    /// Forward products that are recomputed once backwards (weight gradient only).
    once: u64,
    weights: u64,
}

/// The work of one pretraining step of `config` (validated first).
pub fn step_work(config: &Config) -> Result<StepWork> {
    config.validate()?;
    if !config.model.trained {
        return Err(Error::invalid("model.trained", false, "true (an untrained net takes no pretraining step)"));
    }
    let c = counts(config);
    let (forward, backward) = (c.twice + c.once, 2 * c.twice + c.once);
    let update = (ADAM_OPS_PER_WEIGHT + NORM_OPS_PER_WEIGHT) * c.weights;
    Ok(StepWork { forward, backward, update, total: forward + backward + update, trained_weights: c.weights })
}

fn counts(config: &Config) -> Counts {
    let m = &config.model;
    let (b, n, v, e) = (config.pretraining.batch_size, config.pretraining.sequence_length, config.vocab_size(), m.embedding_dim);
    // The torso reads the BOS slot and the N tokens; the prediction after the last token is dropped.
    let (t, rows, table) = (n + 1, b * (n + 1), v + 1);
    let mut c = Counts { twice: 0, once: product(table, v, e), weights: (v * e + e) as u64 };
    let out_width = match m.architecture {
        Architecture::Lstm => {
            let mut width = e;
            for (l, &h) in m.hidden_sizes.iter().enumerate() {
                // Layer 0 projects the distinct embedded rows; later layers every position.
                let projected = if l == 0 { table } else { rows };
                c.twice += product(projected, width, 4 * h) + product(b * (t - 1), h, 4 * h);
                c.weights += (width * 4 * h + h * 4 * h + 4 * h) as u64;
                width = h;
            }
            width
        }
        Architecture::Transformer => {
            for &h in &m.hidden_sizes {
                let wide = h * m.widening_factor;
                let projections = 4 * product(rows, e, e);
                let attention = 2 * product(b, causal_area(t), e);
                let mlp = product(rows, e, wide) + product(rows, wide, e);
                c.twice += projections + attention + mlp;
                // Four E × E projections, the block, MLP and closing norms (scale and offset), the q and k norms (scale).
                c.weights += (4 * e * e + 2 * e * wide + 3 * 2 * e + 2 * e) as u64;
            }
            e
        }
        Architecture::Linear => {
            let mut width = e;
            for &h in &m.hidden_sizes {
                c.twice += product(rows, width, h);
                c.weights += (width * h + h) as u64;
                width = h;
            }
            width
        }
    };
    c.twice += product(b * n, out_width, v);
    c.weights += (out_width * v + v) as u64;
    c
}

#[cfg(test)]
mod tests {
    use super::{step_work, StepWork, ADAM_OPS_PER_WEIGHT, NORM_OPS_PER_WEIGHT};
    use crate::config::Config;
    use crate::kernels::{gemm_multiply_adds, set_kernel_threads};
    use crate::train::Pretrainer;

    fn config(text: &str) -> Config {
        Config::from_json(text).unwrap()
    }

    const LSTM_TINY: &str = r#"{"model": {"architecture": "lstm", "embedding_dim": 2, "hidden_sizes": [3]},
        "pretraining": {"batch_size": 1, "sequence_length": 1}}"#;
    const TRANSFORMER_TINY: &str = r#"{"model": {"architecture": "transformer", "embedding_dim": 2, "hidden_sizes": [2],
        "num_heads": 1, "widening_factor": 1}, "pretraining": {"batch_size": 1, "sequence_length": 1}}"#;

    #[test]
    fn a_tiny_lstm_step_is_counted_by_hand() {
        // V = 2, E = 2, H = 3, B = 1, N = 1: T = 2 positions, a table of 3 rows (BOS, 0, 1).
        // Forward: embedding 3·2·2 = 12, input projection 3·2·12 = 72, recurrence at t = 1 only
        // 1·3·12 = 36, unembedding 1·3·2 = 6. Backward: 12 + 2·(72 + 36 + 6) = 240.
        // Weights: 2·2 + 2, 2·12 + 3·12 + 12, 3·2 + 2 = 86.
        let w = step_work(&config(LSTM_TINY)).unwrap();
        let update = 86 * (ADAM_OPS_PER_WEIGHT + NORM_OPS_PER_WEIGHT);
        assert_eq!(w, StepWork { forward: 126, backward: 240, update, total: 366 + update, trained_weights: 86 });
        assert_eq!(update, 86 * 13);
    }

    #[test]
    fn a_tiny_transformer_step_is_counted_by_hand() {
        // V = 2, E = 2, one head, MLP width 2, B = 1, N = 1: T = 2 rows.
        // Forward: embedding 12, projections 4·2·2·2 = 32, scores and mix 2·(2·2·2) = 16,
        // MLP 2·(2·2·2) = 16, unembedding 1·2·2 = 4. Backward: 12 + 2·(32 + 16 + 16 + 4) = 148.
        // Weights: embedding 6; block 4·4 + 2·4 + 3·4 + 2·2 = 40; unembedding 6; the LoRA adapters are not trained.
        let w = step_work(&config(TRANSFORMER_TINY)).unwrap();
        assert_eq!((w.forward, w.backward, w.trained_weights), (80, 148, 52));
        assert_eq!(w.total, 80 + 148 + 52 * 13);
    }

    #[test]
    fn work_grows_with_the_batch_as_the_engine_runs_it_and_the_update_does_not() {
        for arch in ["lstm", "transformer", "linear"] {
            let at = |b: usize| {
                let text = format!(r#"{{"model": {{"architecture": "{arch}"}}, "pretraining": {{"batch_size": {b}, "sequence_length": 20}}}}"#);
                step_work(&config(&text)).unwrap()
            };
            let (w1, w2, w4) = (at(8), at(16), at(32));
            // Affine in B: the per-position products double, the distinct-row products stay.
            assert_eq!(w4.forward - w2.forward, 2 * (w2.forward - w1.forward), "{arch}");
            assert_eq!(w4.backward - w2.backward, 2 * (w2.backward - w1.backward), "{arch}");
            assert!(w2.forward < 2 * w1.forward && w2.forward > 2 * w1.forward * 9 / 10, "{arch}");
            assert_eq!((w1.update, w1.trained_weights), (w4.update, w4.trained_weights), "{arch}");
        }
    }

    #[test]
    fn the_weights_counted_are_the_weights_pretraining_trains() {
        for text in [LSTM_TINY, TRANSFORMER_TINY, r#"{"model": {"architecture": "lstm", "hidden_sizes": [16, 8]}}"#,
            r#"{"model": {"architecture": "transformer", "embedding_dim": 16, "hidden_sizes": [8, 4], "lora_rank": 2}}"#,
            r#"{"model": {"architecture": "linear", "hidden_sizes": [5, 7]}}"#]
        {
            let c = config(text);
            let trained: usize = Pretrainer::new(&c).unwrap().vars.iter().map(|v| v.elem_count()).sum();
            assert_eq!(step_work(&c).unwrap().trained_weights, trained as u64, "{text}");
        }
    }

    /// The engine's gemm wrapper counts every product it runs on this thread (test builds only);
    /// with kernel parts run in turn, one step's count is its forward and backward products.
    #[test]
    fn forward_and_backward_are_the_products_a_step_runs() {
        set_kernel_threads(1);
        for text in [LSTM_TINY, TRANSFORMER_TINY,
            r#"{"model": {"architecture": "lstm", "embedding_dim": 8, "hidden_sizes": [6, 5]}, "pretraining": {"batch_size": 40, "sequence_length": 9}}"#,
            r#"{"model": {"architecture": "transformer", "embedding_dim": 8, "hidden_sizes": [4, 6], "num_heads": 2, "widening_factor": 3}, "pretraining": {"batch_size": 5, "sequence_length": 7}}"#,
            r#"{"model": {"architecture": "linear", "hidden_sizes": [5, 7]}, "pretraining": {"batch_size": 3, "sequence_length": 4}}"#]
        {
            let c = config(text);
            let mut trainer = Pretrainer::new(&c).unwrap();
            let before = gemm_multiply_adds();
            trainer.step().unwrap();
            let w = step_work(&c).unwrap();
            assert_eq!(gemm_multiply_adds() - before, w.forward + w.backward, "{text}");
        }
        set_kernel_threads(0);
    }

    #[test]
    fn an_untrained_net_has_no_step_and_a_bad_config_is_refused() {
        let err = step_work(&config(r#"{"model": {"trained": false}}"#)).unwrap_err();
        assert!(err.to_string().contains("model.trained"), "{err}");
        let mut c = config(LSTM_TINY);
        c.pretraining.batch_size = 0;
        assert!(step_work(&c).unwrap_err().to_string().contains("pretraining.batch_size"));
    }
}
