//! Exports of the Pretrain view: config checks and memory figures, the `Trainer` the page advances in slices, a saved network's KL to Bayes.

use wasm_bindgen::prelude::*;

use super::{js, to_plain, JsResult};
use crate::checkpoint;
use crate::config::{estimate_bytes, Config};
use crate::error::Error;
use crate::eval::{held_out_batch, mean_kl};
use crate::predict::predict;
use crate::sources::{parse_tokens, Batch};
use crate::train::{PartGradients, Pretrainer};

/// Checks a config (model, pretraining and all) without allocating a network:
/// `Ok` when a run of it would start, else the engine's message naming the field.
#[wasm_bindgen]
pub fn check_config(config_json: &str) -> JsResult<()> {
    Config::from_json(config_json).map(|_| ()).map_err(js)
}

/// The engine's estimate of the bytes a run of `config_json` needs at its peak (the figure
/// that refuses configs over the browser's cap), for the page and the tests.
#[wasm_bindgen]
pub fn memory_estimate(config_json: &str) -> JsResult<f64> {
    Config::from_json(config_json).map(|c| estimate_bytes(&c)).map_err(js)
}

/// Bytes of the engine's wasm memory now: its high-water mark, as wasm memory never shrinks.
#[wasm_bindgen]
pub fn engine_memory() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65536.0
}

/// Pretrains a fresh network of `config_json` for `steps` steps; returns the losses (nats per sequence).
#[wasm_bindgen]
pub fn pretrain_steps(config_json: &str, steps: usize) -> JsResult<Vec<f64>> {
    let config = Config::from_json(config_json).map_err(js)?;
    let max = config.pretraining.steps;
    if steps == 0 || steps > max {
        return Err(js(Error::invalid("steps", steps, format!("an integer in 1..={max} (pretraining.steps)"))));
    }
    let mut trainer = Pretrainer::new(&config).map_err(js)?;
    trainer.run(steps, |_, _| {}).map_err(js)
}

/// Mean KL(Bayes ‖ network), nats per step, of a saved network on
/// `num_sequences` held-out sequences of `length` tokens from its pretraining
/// source, drawn from the "held-out" stream of `seed`.
#[wasm_bindgen]
pub fn model_kl_to_bayes(config_json: &str, weights: &[u8], num_sequences: usize, length: usize, seed: u64) -> JsResult<f64> {
    let (config, predictor) = checkpoint::from_bytes(config_json, weights).map_err(js)?;
    let source = &config.pretraining.source;
    let batch = held_out_batch(source, num_sequences, length, seed).map_err(js)?;
    mean_kl(&predictor, source, &batch).map_err(js)
}

/// A pretraining run the page advances in slices.
#[wasm_bindgen]
pub struct Trainer {
    inner: Pretrainer,
    /// The held-out batch of `kl_to_bayes`, drawn once per (sequences, length).
    held_out: Option<Batch>,
}

/// A JS object `{loss, grads}` (grads a Float64Array).
fn part_object(loss: f64, grads: &[f64]) -> JsResult<JsValue> {
    let out = js_sys::Object::new();
    let failed = |_| js(Error::other("could not build the part"));
    js_sys::Reflect::set(&out, &"loss".into(), &loss.into()).map_err(failed)?;
    js_sys::Reflect::set(&out, &"grads".into(), &js_sys::Float64Array::from(grads)).map_err(failed)?;
    Ok(out.into())
}

#[wasm_bindgen]
impl Trainer {
    /// A fresh network and optimiser for `config_json`.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> JsResult<Trainer> {
        let config = Config::from_json(config_json).map_err(js)?;
        Ok(Trainer { inner: Pretrainer::new(&config).map_err(js)?, held_out: None })
    }

    /// Runs up to `n` more steps; returns their losses.
    pub fn step(&mut self, n: usize) -> JsResult<Vec<f64>> {
        self.inner.run(n, |_, _| {}).map_err(js)
    }

    /// Parts of a data-parallel step: `train::PAGE_PARTS` (2), or the batch size if smaller.
    pub fn parts(&self) -> usize {
        self.inner.parts()
    }

    /// Part `part` of `parts` of this step, computed but not applied: `{loss, grads}`, its
    /// share of the batch's loss and its gradient (a Float64Array over every trained weight).
    /// Any copy of the same run may compute any part; see `apply`.
    pub fn part(&mut self, part: usize, parts: usize) -> JsResult<JsValue> {
        let share = self.inner.part_gradients(part, parts).map_err(js)?;
        part_object(share.loss, &share.grads)
    }

    /// Ends the step with every part's share, in part order: `losses[p]` and `grads[p]`
    /// (a Float64Array) as `part` returned them. Summed in that order, so every copy that
    /// applies the same shares ends the step with the same weights. Returns the step's loss.
    pub fn apply(&mut self, losses: Vec<f64>, grads: js_sys::Array) -> JsResult<f64> {
        if losses.len() != grads.length() as usize {
            return Err(js(Error::invalid("grads", format!("{} arrays", grads.length()), format!("{} arrays, one per loss", losses.len()))));
        }
        let mut shares = Vec::with_capacity(losses.len());
        for (p, loss) in losses.into_iter().enumerate() {
            let g = grads
                .get(p as u32)
                .dyn_into::<js_sys::Float64Array>()
                .map_err(|_| js(Error::invalid(format!("grads[{p}]"), "not a Float64Array", "a Float64Array")))?;
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
    pub fn model_probs(&self, tokens: &str) -> JsResult<JsValue> {
        let source = &self.inner.config.pretraining.source;
        let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
        to_plain(&predict(source, &tokens, Some(&self.inner.predictor)).map_err(js)?)
    }

    /// Mean KL(Bayes ‖ network) in nats per step on a held-out batch of the
    /// pretraining source, drawn once from the config seed's "held-out" stream
    /// (the same batch on every call, so a curve of it is smooth).
    pub fn kl_to_bayes(&mut self, num_sequences: usize, length: usize) -> JsResult<f64> {
        let source = &self.inner.config.pretraining.source;
        let stale = self.held_out.as_ref().is_none_or(|b| b.batch_size != num_sequences || b.length != length);
        if stale {
            self.held_out = Some(held_out_batch(source, num_sequences, length, self.inner.config.seed).map_err(js)?);
        }
        let batch = self.held_out.as_ref().ok_or_else(|| js(Error::other("no held-out batch")))?;
        mean_kl(&self.inner.predictor, source, batch).map_err(js)
    }

    /// The network's weights as safetensors bytes.
    pub fn weights(&self) -> JsResult<Vec<u8>> {
        self.inner.predictor.params.to_safetensors().map_err(js)
    }

    /// The run's full config as JSON (a validated config always serialises).
    pub fn config_json(&self) -> String {
        serde_json::to_string(&self.inner.config).unwrap_or_default()
    }
}
