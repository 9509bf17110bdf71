//! The browser door to the prompting theory: exact reachability as a plain JS object, one prefix's exact regret, and the reach figure.

use wasm_bindgen::prelude::*;

use crate::theory::{self, source_from_json, Reach};
use crate::wasm::{js, to_plain};

/// [`theory::reach`] on two source JSONs (`pretrain.*` / `target.*` in error messages).
fn exact(pretrain_json: &str, target_json: &str, max_prefix: usize, steps: usize) -> crate::Result<Reach> {
    let pretrain = source_from_json("pretrain", pretrain_json)?;
    let target = source_from_json("target", target_json)?;
    theory::reach(&pretrain, &target, max_prefix, steps)
}

/// The best hard prefix of every length 0..=`max_prefix` for the Bayes predictor of
/// `pretrain_json` on `steps` tokens of `target_json`: `{pretrain, target, steps,
/// rows: [{prefix_length, best_counts, excess_regret}], limit, limit_probs}` (nats).
#[wasm_bindgen]
pub fn reach(pretrain_json: &str, target_json: &str, max_prefix: usize, steps: usize) -> Result<JsValue, JsError> {
    to_plain(&exact(pretrain_json, target_json, max_prefix, steps).map_err(js)?)
}

/// The same computation drawn as an 800×500 SVG: excess regret against prefix length, with the limit.
#[wasm_bindgen]
pub fn reach_figure(pretrain_json: &str, target_json: &str, max_prefix: usize, steps: usize) -> Result<String, JsError> {
    let reach = exact(pretrain_json, target_json, max_prefix, steps).map_err(js)?;
    crate::charts::reach_figure(&reach).map_err(js)
}

/// Exact excess regret (nats) over `steps` target tokens of the pretraining Bayes
/// predictor after any prefix with token counts `counts` (one per token).
#[wasm_bindgen]
pub fn excess_regret(pretrain_json: &str, target_json: &str, counts: Vec<u32>, steps: usize) -> Result<f64, JsError> {
    let pretrain = source_from_json("pretrain", pretrain_json).map_err(js)?;
    let target = source_from_json("target", target_json).map_err(js)?;
    let counts: Vec<u64> = counts.into_iter().map(u64::from).collect();
    theory::excess_regret(&pretrain, &target, &counts, steps).map_err(js)
}
