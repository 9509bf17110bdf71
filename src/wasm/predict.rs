//! Exports of the Predict view: exact Bayes predictives and posteriors, a saved network's predictions (behind a prompt), seeded draws.

use wasm_bindgen::prelude::*;

use super::{js, to_plain, JsResult};
use crate::bayes::bias_posterior;
use crate::checkpoint;
use crate::predict::{bayes_rows, network_rows, predict};
use crate::sources::{parse_tokens, random_digits, Source};

/// Exact Bayes predictive of `source_json` before each of `tokens` (digits 0..V-1):
/// `[{step, probs}]`, step 1 the prior predictive.
#[wasm_bindgen]
pub fn bayes_predict(source_json: &str, tokens: &str) -> JsResult<JsValue> {
    let source = Source::from_json("source", source_json).map_err(js)?;
    let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
    to_plain(&predict(&source, &tokens, None).map_err(js)?)
}

/// Exact Bayes predictive of `source_json` after each prefix of `tokens`:
/// N + 1 rows of V probabilities, row k = P(next = v | first k tokens).
#[wasm_bindgen]
pub fn bayes_next(source_json: &str, tokens: &str) -> JsResult<JsValue> {
    let source = Source::from_json("source", source_json).map_err(js)?;
    let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
    to_plain(&bayes_rows(&source, &tokens).map_err(js)?)
}

/// The exact posterior over the coin's bias P(token 0) after `tokens`: for
/// `random`, `{kind:"beta", a, b, mean, points, density}` (Beta density on
/// `points` grid points in (0, 1)); for `mixture`, `{kind:"mixture", weights,
/// p0, mean}`; for `single`, `{kind:"point", p0}`.
#[wasm_bindgen]
pub fn posterior_density(source_json: &str, tokens: &str, points: usize) -> JsResult<JsValue> {
    let source = Source::from_json("source", source_json).map_err(js)?;
    let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
    to_plain(&bias_posterior(&source, &tokens, points).map_err(js)?)
}

/// Rebuilds a saved network and predicts `tokens` with it beside the exact Bayes predictive
/// of `source_json`: `[{step, probs, model_probs}]`.
#[wasm_bindgen]
pub fn load_model_predict(config_json: &str, weights: &[u8], source_json: &str, tokens: &str) -> JsResult<JsValue> {
    let (_, predictor) = checkpoint::from_bytes(config_json, weights).map_err(js)?;
    let source = Source::from_json("source", source_json).map_err(js)?;
    let tokens = parse_tokens(tokens, source.vocab_size()).map_err(js)?;
    to_plain(&predict(&source, &tokens, Some(&predictor)).map_err(js)?)
}

/// A saved network's predictive after each prefix of `tokens`, optionally behind a prompt
/// (`prefix_json`, see [`crate::predict::PromptSpec`]; absent, empty or `null` = none):
/// N + 1 rows of V probabilities, row k = P(next = v | prompt, first k tokens).
#[wasm_bindgen]
pub fn model_predict(config_json: &str, weights: &[u8], tokens: &str, prefix_json: Option<String>) -> JsResult<JsValue> {
    let (_, predictor) = checkpoint::from_bytes(config_json, weights).map_err(js)?;
    let tokens = parse_tokens(tokens, predictor.vocab).map_err(js)?;
    to_plain(&network_rows(&predictor, &tokens, prefix_json.as_deref()).map_err(js)?)
}

/// `n` tokens (digits) of one sequence drawn from `source_json` with `seed`
/// ("random-tokens" stream): the same seed gives the same tokens natively and in the browser.
#[wasm_bindgen]
pub fn random_tokens(source_json: &str, n: usize, seed: u64) -> JsResult<String> {
    let source = Source::from_json("source", source_json).map_err(js)?;
    random_digits(&source, n, seed).map_err(js)
}
