//! The browser door: a thin wasm-bindgen API over the engine, every error a JS `Error` with the engine's message.

use wasm_bindgen::prelude::*;

use crate::checkpoint;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::predict::{predict, PredictStep};
use crate::sources::{parse_tokens, Source};
use crate::train::Pretrainer;

/// Installs the panic hook so a Rust panic shows its message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Engine error → JS `Error` carrying the one-line message.
fn js(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Parses and validates a source JSON.
fn parse_source(source_json: &str) -> Result<Source> {
    let source: Source =
        serde_json::from_str(source_json).map_err(|e| Error::other(format!("source: malformed JSON: {e}")))?;
    source.validate("source")?;
    Ok(source)
}

/// Prediction steps → a JS array of `{step, probs[, model_probs]}`.
fn to_js(steps: &[PredictStep]) -> std::result::Result<JsValue, JsError> {
    serde_wasm_bindgen::to_value(steps).map_err(|e| JsError::new(&format!("cannot convert predictions: {e}")))
}

/// Exact Bayes predictive of `source_json` before each of `tokens` (digits 0..V-1).
#[wasm_bindgen]
pub fn bayes_predict(source_json: &str, tokens: &str) -> std::result::Result<JsValue, JsError> {
    let source = parse_source(source_json).map_err(js)?;
    let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
    to_js(&predict(&source, &tokens, None).map_err(js)?)
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
}

#[wasm_bindgen]
impl Trainer {
    /// A fresh network and optimiser for `config_json`.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> std::result::Result<Trainer, JsError> {
        let config = Config::from_json(config_json).map_err(js)?;
        Ok(Trainer { inner: Pretrainer::new(&config).map_err(js)? })
    }

    /// Runs up to `n` more steps; returns their losses.
    pub fn step(&mut self, n: usize) -> std::result::Result<Vec<f64>, JsError> {
        self.inner.run(n, |_, _| {}).map_err(js)
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
        to_js(&predict(source, &tokens, Some(&self.inner.predictor)).map_err(js)?)
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
    to_js(&predict(&source, &tokens, Some(&predictor)).map_err(js)?)
}
