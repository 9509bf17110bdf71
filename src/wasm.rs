//! The browser door: a thin wasm-bindgen API over the engine, every error a JS `Error` with the engine's message.

use candle_core::{DType, Tensor};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::bayes::{bias_posterior, Posterior};
use crate::checkpoint;
use crate::config::{estimate_bytes, in_range, Architecture, Config, ModelConfig};
use crate::error::{Error, Result};
use crate::eval::kl_to_bayes;
use crate::model::{one_hot, Predictor, Prefix};
use crate::predict::predict;
use crate::sources::{parse_tokens, Batch, Source};
use crate::train::{PartGradients, Pretrainer};

/// Most sequences in a held-out KL batch.
pub const MAX_KL_SEQUENCES: usize = 4096;
/// Longest held-out KL sequence, in tokens.
pub const MAX_KL_LENGTH: usize = 1000;
/// Most tokens `random_tokens` draws at once.
pub const MAX_RANDOM_TOKENS: usize = 10_000;
/// Bytes one forward pass may spend on attention weights (scores, softmax, copies): a Transformer's
/// grow with the square of the length, and running out of wasm memory would kill the page's engine.
const ATTENTION_BYTES: f64 = 256.0 * 1048576.0;
/// Input positions per forward pass in a KL chunk (bounds the LSTM's and the Transformer's activations).
const CHUNK_POSITIONS: usize = 32_768;

/// Most input positions (BOS, prefix, tokens) one sequence may have in a forward pass of `model`.
fn max_positions(model: &ModelConfig) -> usize {
    match model.architecture {
        Architecture::Transformer => (ATTENTION_BYTES / (12.0 * model.num_heads as f64)).sqrt() as usize,
        _ => usize::MAX,
    }
}

/// Sequences of `positions` inputs per forward pass that keep within [`ATTENTION_BYTES`] and [`CHUNK_POSITIONS`].
fn chunk_sequences(model: &ModelConfig, positions: usize) -> usize {
    let by_positions = CHUNK_POSITIONS / positions.max(1);
    let by_attention = match model.architecture {
        Architecture::Transformer => (ATTENTION_BYTES / (12.0 * (model.num_heads * positions * positions) as f64)) as usize,
        _ => usize::MAX,
    };
    by_positions.min(by_attention).clamp(1, 256)
}

/// Installs the panic hook so a Rust panic shows its message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Engine error → JS `Error` carrying the one-line message.
pub(crate) fn js(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Parses and validates a source JSON.
fn parse_source(source_json: &str) -> Result<Source> {
    let source: Source =
        serde_json::from_str(source_json).map_err(|e| Error::other(format!("source: malformed JSON: {e}")))?;
    source.validate("source")?;
    Ok(source)
}

/// Any serde value → a plain JS value (objects, not `Map`s).
pub(crate) fn to_plain<T: Serialize>(value: &T) -> std::result::Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot convert the result: {e}")))
}

/// Exact Bayes predictive of `source_json` before each of `tokens` (digits 0..V-1).
#[wasm_bindgen]
pub fn bayes_predict(source_json: &str, tokens: &str) -> std::result::Result<JsValue, JsError> {
    let source = parse_source(source_json).map_err(js)?;
    let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
    to_plain(&predict(&source, &tokens, None).map_err(js)?)
}

/// Checks a config (model, pretraining and all) without allocating a network:
/// `Ok` when a run of it would start, else the engine's message naming the field.
#[wasm_bindgen]
pub fn check_config(config_json: &str) -> std::result::Result<(), JsError> {
    Config::from_json(config_json).map(|_| ()).map_err(js)
}

/// The engine's estimate of the bytes a run of `config_json` needs at its peak (the figure
/// that refuses configs over the browser's cap), for the page and the tests.
#[wasm_bindgen]
pub fn memory_estimate(config_json: &str) -> std::result::Result<f64, JsError> {
    Config::from_json(config_json).map(|c| estimate_bytes(&c)).map_err(js)
}

/// Bytes of the engine's wasm memory now: its high-water mark, as wasm memory never shrinks.
#[wasm_bindgen]
pub fn engine_memory() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65536.0
}

/// Pretrains a fresh network of `config_json` for `steps` steps; returns the losses (nats per sequence).
#[wasm_bindgen]
pub fn pretrain_steps(config_json: &str, steps: usize) -> std::result::Result<Vec<f64>, JsError> {
    let config = Config::from_json(config_json).map_err(js)?;
    let max = config.pretraining.steps;
    if steps == 0 || steps > max {
        return Err(js(Error::invalid("steps", steps, format!("an integer in 1..={max} (pretraining.steps)"))));
    }
    let mut trainer = Pretrainer::new(&config).map_err(js)?;
    trainer.run(steps, |_, _| {}).map_err(js)
}

/// A pretraining run the page advances in slices.
#[wasm_bindgen]
pub struct Trainer {
    inner: Pretrainer,
    /// The held-out batch of `kl_to_bayes`, drawn once per (sequences, length).
    held_out: Option<Batch>,
}

#[wasm_bindgen]
impl Trainer {
    /// A fresh network and optimiser for `config_json`.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> std::result::Result<Trainer, JsError> {
        let config = Config::from_json(config_json).map_err(js)?;
        Ok(Trainer { inner: Pretrainer::new(&config).map_err(js)?, held_out: None })
    }

    /// Runs up to `n` more steps; returns their losses.
    pub fn step(&mut self, n: usize) -> std::result::Result<Vec<f64>, JsError> {
        self.inner.run(n, |_, _| {}).map_err(js)
    }

    /// Parts of a data-parallel step: `train::PAGE_PARTS` (2), or the batch size if smaller.
    pub fn parts(&self) -> usize {
        self.inner.parts()
    }

    /// Part `part` of `parts` of this step, computed but not applied: `{loss, grads}`, its
    /// share of the batch's loss and its gradient (a Float64Array over every trained weight).
    /// Any copy of the same run may compute any part; see `apply`.
    pub fn part(&mut self, part: usize, parts: usize) -> std::result::Result<JsValue, JsError> {
        let share = self.inner.part_gradients(part, parts).map_err(js)?;
        let out = js_sys::Object::new();
        js_sys::Reflect::set(&out, &"loss".into(), &share.loss.into()).map_err(|_| JsError::new("could not build the part"))?;
        let grads = js_sys::Float64Array::from(&share.grads[..]);
        js_sys::Reflect::set(&out, &"grads".into(), &grads).map_err(|_| JsError::new("could not build the part"))?;
        Ok(out.into())
    }

    /// Ends the step with every part's share, in part order: `losses[p]` and `grads[p]`
    /// (a Float64Array) as `part` returned them. Summed in that order, so every copy that
    /// applies the same shares ends the step with the same weights. Returns the step's loss.
    pub fn apply(&mut self, losses: Vec<f64>, grads: js_sys::Array) -> std::result::Result<f64, JsError> {
        if losses.len() != grads.length() as usize {
            return Err(js(Error::invalid("grads", format!("{} arrays", grads.length()), format!("{} arrays, one per loss", losses.len()))));
        }
        let mut shares = Vec::with_capacity(losses.len());
        for (p, loss) in losses.into_iter().enumerate() {
            let g = grads.get(p as u32).dyn_into::<js_sys::Float64Array>().map_err(|_| js(Error::invalid(format!("grads[{p}]"), "not a Float64Array", "a Float64Array")))?;
            shares.push(PartGradients { loss, grads: g.to_vec() });
        }
        self.inner.apply_parts(&shares).map_err(js)
    }

    /// Steps taken so far.
    pub fn steps_done(&self) -> usize {
        self.inner.losses.len()
    }

    /// Steps still to go of `pretraining.steps`.
    pub fn remaining(&self) -> usize {
        self.inner.remaining()
    }

    /// Bayes and network predictive before each of `tokens`, for the pretraining source.
    pub fn model_probs(&self, tokens: &str) -> std::result::Result<JsValue, JsError> {
        let source = &self.inner.config.pretraining.source;
        let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
        to_plain(&predict(source, &tokens, Some(&self.inner.predictor)).map_err(js)?)
    }

    /// Mean KL(Bayes ‖ network) in nats per step on a held-out batch of the
    /// pretraining source, drawn once from the config seed's "held-out" stream
    /// (the same batch on every call, so a curve of it is smooth).
    pub fn kl_to_bayes(&mut self, num_sequences: usize, length: usize) -> std::result::Result<f64, JsError> {
        let source = &self.inner.config.pretraining.source;
        let stale = self.held_out.as_ref().is_none_or(|b| b.batch_size != num_sequences || b.length != length);
        if stale {
            self.held_out = Some(held_out_batch(source, num_sequences, length, self.inner.config.seed).map_err(js)?);
        }
        let batch = self.held_out.as_ref().ok_or_else(|| JsError::new("no held-out batch"))?;
        mean_kl(&self.inner.predictor, source, batch).map_err(js)
    }

    /// The network's weights as safetensors bytes.
    pub fn weights(&self) -> std::result::Result<Vec<u8>, JsError> {
        self.inner.predictor.params.to_safetensors().map_err(js)
    }

    /// The run's full config as JSON (a validated config always serialises).
    pub fn config_json(&self) -> String {
        serde_json::to_string(&self.inner.config).unwrap_or_default()
    }
}

/// Rebuilds a saved network and predicts `tokens` with it beside the exact Bayes predictive of `source_json`.
#[wasm_bindgen]
pub fn load_model_predict(
    config_json: &str,
    weights: &[u8],
    source_json: &str,
    tokens: &str,
) -> std::result::Result<JsValue, JsError> {
    let (_, predictor) = checkpoint::from_bytes(config_json, weights).map_err(js)?;
    let source = parse_source(source_json).map_err(js)?;
    let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
    to_plain(&predict(&source, &tokens, Some(&predictor)).map_err(js)?)
}

/// The exact posterior over the coin's bias P(token 0) after `tokens`: for
/// `random`, `{kind:"beta", a, b, mean, points, density}` (Beta density on
/// `points` grid points in (0, 1)); for `mixture`, `{kind:"mixture", weights,
/// p0, mean}`; for `single`, `{kind:"point", p0}`.
#[wasm_bindgen]
pub fn posterior_density(source_json: &str, tokens: &str, points: usize) -> std::result::Result<JsValue, JsError> {
    let source = parse_source(source_json).map_err(js)?;
    let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
    to_plain(&bias_posterior(&source, &tokens, points).map_err(js)?)
}

/// Exact Bayes predictive of `source_json` after each prefix of `tokens`:
/// N + 1 rows of V probabilities, row k = P(next = v | first k tokens).
#[wasm_bindgen]
pub fn bayes_next(source_json: &str, tokens: &str) -> std::result::Result<JsValue, JsError> {
    let rows = || -> Result<Vec<Vec<f64>>> {
        let source = parse_source(source_json)?;
        let tokens = parse_tokens(tokens, source.vocab_size())?;
        let mut post = Posterior::new(&source)?;
        let mut log_p = vec![0.0; source.vocab_size()];
        let mut rows = Vec::with_capacity(tokens.len() + 1);
        for k in 0..=tokens.len() {
            post.log_predictive(&mut log_p);
            rows.push(log_p.iter().map(|l| l.exp()).collect());
            if let Some(&t) = tokens.get(k) {
                post.observe(t)?;
            }
        }
        Ok(rows)
    };
    to_plain(&rows().map_err(js)?)
}

/// A prompt for [`model_predict`], in JSON: `{"kind":"hard","tokens":"011"}`,
/// or `{"kind":"simplex"|"real","rows":[[…V…],…]}` (input space) or
/// `{"kind":"soft","rows":[[…E…],…]}` (embedding space).
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
enum PrefixSpec {
    /// Hard tokens written as digits (`HardPT`).
    Hard { tokens: String },
    /// (K, V) logits whose row-wise softmax is prepended (`SimplexPT`).
    Simplex { rows: Vec<Vec<f64>> },
    /// (K, V) real input vectors (`RealPT`).
    Real { rows: Vec<Vec<f64>> },
    /// (K, E) vectors after the BOS embedding (`SoftPT`).
    Soft { rows: Vec<Vec<f64>> },
}

/// Rows of a prefix matrix as a (K, width) tensor.
fn prefix_tensor(rows: &[Vec<f64>], width: usize, dtype: DType) -> Result<Tensor> {
    in_range("prefix.rows", rows.len(), 1, 256)?;
    let mut data = Vec::with_capacity(rows.len() * width);
    for (k, row) in rows.iter().enumerate() {
        if row.len() != width {
            return Err(Error::invalid(format!("prefix.rows[{k}]"), format!("{} entries", row.len()), format!("{width} entries")));
        }
        if let Some(x) = row.iter().find(|x| !x.is_finite()) {
            return Err(Error::invalid(format!("prefix.rows[{k}]"), x, "finite numbers"));
        }
        data.extend(row.iter().map(|&x| x as f32));
    }
    Ok(Tensor::from_vec(data, (rows.len(), width), &candle_core::Device::Cpu)?.to_dtype(dtype)?)
}

/// The prompt of `prefix_json` for `predictor`; absent, empty or `null` means no prompt.
fn parse_prefix(prefix_json: Option<String>, predictor: &Predictor) -> Result<Prefix> {
    let text = match prefix_json.as_deref().map(str::trim) {
        None | Some("") | Some("null") => return Ok(Prefix::None),
        Some(t) => t,
    };
    let spec: PrefixSpec = serde_json::from_str(text).map_err(|e| Error::other(format!("prefix: malformed JSON: {e}")))?;
    let dtype = predictor.params.dtype();
    Ok(match spec {
        PrefixSpec::Hard { tokens } => {
            let tokens = parse_tokens(&tokens, predictor.vocab)?;
            in_range("prefix.tokens", tokens.len(), 0, 256)?;
            Prefix::Hard(tokens)
        }
        PrefixSpec::Simplex { rows } => Prefix::Simplex(prefix_tensor(&rows, predictor.vocab, dtype)?),
        PrefixSpec::Real { rows } => Prefix::Real(prefix_tensor(&rows, predictor.vocab, dtype)?),
        PrefixSpec::Soft { rows } => Prefix::Soft(prefix_tensor(&rows, predictor.config.embedding_dim, dtype)?),
    })
}

/// A saved network's predictive after each prefix of `tokens` (optionally
/// behind a prompt, see [`PrefixSpec`]): N + 1 rows of V probabilities, row
/// k = P(next = v | prompt, first k tokens).
#[wasm_bindgen]
pub fn model_predict(
    config_json: &str,
    weights: &[u8],
    tokens: &str,
    prefix_json: Option<String>,
) -> std::result::Result<JsValue, JsError> {
    let rows = || -> Result<Vec<Vec<f64>>> {
        let (_, predictor) = checkpoint::from_bytes(config_json, weights)?;
        let v = predictor.vocab;
        let mut tokens = parse_tokens(tokens, v)?;
        in_range("tokens", tokens.len(), 0, crate::config::MAX_SEQUENCE_LENGTH)?;
        let prefix = parse_prefix(prefix_json, &predictor)?;
        // Inputs: BOS, the prefix, the tokens and the placeholder below.
        let cap = max_positions(&predictor.config);
        if tokens.len() + prefix.len() + 2 > cap {
            return Err(Error::invalid(
                "tokens",
                format!("{} tokens", tokens.len()),
                format!(
                    "at most {} tokens for this Transformer (its attention memory grows with the square of the length)",
                    cap.saturating_sub(prefix.len() + 2)
                ),
            ));
        }
        // The net drops its last output, so one placeholder token buys the prediction after the real ones
        // (causal: the placeholder never influences it).
        tokens.push(0);
        let x = one_hot(&tokens, 1, tokens.len(), v, predictor.params.dtype())?;
        let lp = predictor.forward(&x, &prefix, false)?.log_probs.to_dtype(DType::F64)?.flatten_all()?.to_vec1::<f64>()?;
        Ok(lp.chunks(v).map(|row| row.iter().map(|l| l.exp()).collect()).collect())
    };
    to_plain(&rows().map_err(js)?)
}

/// A held-out batch of the pretraining source: `num_sequences` × `length`, drawn from `seed`'s "held-out" stream.
fn held_out_batch(source: &Source, num_sequences: usize, length: usize, seed: u64) -> Result<Batch> {
    in_range("num_sequences", num_sequences, 1, MAX_KL_SEQUENCES)?;
    in_range("length", length, 1, MAX_KL_LENGTH)?;
    source.sample(&mut crate::seed::stream(seed, "held-out"), num_sequences, length)
}

/// Mean KL(Bayes ‖ network) in nats per step over `batch`, evaluated in
/// chunks of sequences so activations (and attention over long sequences) stay small.
fn mean_kl(predictor: &Predictor, source: &Source, batch: &Batch) -> Result<f64> {
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

/// Mean KL(Bayes ‖ network), nats per step, of a saved network on
/// `num_sequences` held-out sequences of `length` tokens from its pretraining
/// source, drawn from the "held-out" stream of `seed`.
#[wasm_bindgen]
pub fn model_kl_to_bayes(
    config_json: &str,
    weights: &[u8],
    num_sequences: usize,
    length: usize,
    seed: u64,
) -> std::result::Result<f64, JsError> {
    let kl = || -> Result<f64> {
        let (config, predictor) = checkpoint::from_bytes(config_json, weights)?;
        let source = &config.pretraining.source;
        mean_kl(&predictor, source, &held_out_batch(source, num_sequences, length, seed)?)
    };
    kl().map_err(js)
}

/// `n` tokens (digits) of one sequence drawn from `source_json` with `seed`
/// ("random-tokens" stream): the same seed gives the same tokens natively and in the browser.
#[wasm_bindgen]
pub fn random_tokens(source_json: &str, n: usize, seed: u64) -> std::result::Result<String, JsError> {
    let draw = || -> Result<String> {
        let source = parse_source(source_json)?;
        in_range("n", n, 1, MAX_RANDOM_TOKENS)?;
        let batch = source.sample(&mut crate::seed::stream(seed, "random-tokens"), 1, n)?;
        Ok(batch.tokens.iter().filter_map(|&t| char::from_digit(t, 10)).collect())
    };
    draw().map_err(js)
}
