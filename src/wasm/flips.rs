//! Exports for flips a person pastes or uploads: reading them, the engine's limit, and the flips with every prediction as CSV.

use wasm_bindgen::prelude::*;

use super::{js, JsResult};
use crate::error::Error;
use crate::predict::{parse_flips as read_flips, predictions_csv as write_csv, FlipsTextError, MAX_FLIPS};

/// Most flips the Predict view reads (the network's longest sequence).
#[wasm_bindgen]
pub fn max_flips() -> usize {
    MAX_FLIPS
}

/// `text` (H/T or 0/1, any separators) as tokens written as digits, e.g. "0110". A refusal is the
/// engine's `Error` (field `flips`) with also `sentence` (a plain sentence for the person) and, when
/// one character is refused, `character` (the character itself), `position`, `line` and `column` (1-based, in characters).
#[wasm_bindgen]
pub fn parse_flips(text: &str) -> JsResult<String> {
    match read_flips(text, MAX_FLIPS) {
        Ok(tokens) => Ok(tokens.iter().map(|&t| if t == 0 { '0' } else { '1' }).collect()),
        Err(e) => Err(refusal(e)),
    }
}

fn refusal(e: FlipsTextError) -> JsValue {
    let sentence = e.to_string();
    let place = e.place();
    let error = js(Error::from(e));
    let mut extra = vec![("sentence", JsValue::from_str(&sentence))];
    if let Some((c, p)) = place {
        extra.push(("character", JsValue::from_str(&c.to_string())));
        extra.push(("position", JsValue::from(p.position as u32)));
        extra.push(("line", JsValue::from(p.line as u32)));
        extra.push(("column", JsValue::from(p.column as u32)));
    }
    for (key, value) in extra {
        // Setting a property on a fresh Error cannot fail; were it to, the message still says it all.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
    }
    error
}

/// The flips `tokens` (digits 0/1) and the predictions after each prefix of them as CSV (see
/// [`crate::predict::predictions_csv`]): `bayes_p_heads` and `network_p_heads` (absent when there is
/// no network) hold N + 1 probabilities of H each.
#[wasm_bindgen]
pub fn predictions_csv(tokens: &str, bayes_p_heads: Vec<f64>, network_p_heads: Option<Vec<f64>>) -> JsResult<String> {
    let tokens = crate::sources::parse_tokens(tokens, 2).map_err(js)?;
    write_csv(&tokens, &bayes_p_heads, network_p_heads.as_deref()).map_err(js)
}
