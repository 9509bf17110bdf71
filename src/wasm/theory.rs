//! Exports of the Theory view: exact reachability of a target by prompting a Bayes predictor, as a plain JS object.

use wasm_bindgen::prelude::*;

use super::{js, to_plain, JsResult};
use crate::sources::Source;
use crate::theory;

/// The best hard prefix of every length 0..=`max_prefix` for the Bayes predictor of
/// `pretrain_json` on `steps` tokens of `target_json`: `{pretrain, target, steps,
/// rows: [{prefix_length, best_counts, excess_regret}], limit, limit_probs, …}` (nats);
/// errors name `pretrain.*` / `target.*`.
#[wasm_bindgen]
pub fn reach(pretrain_json: &str, target_json: &str, max_prefix: usize, steps: usize) -> JsResult<JsValue> {
    let pretrain = Source::from_json("pretrain", pretrain_json).map_err(js)?;
    let target = Source::from_json("target", target_json).map_err(js)?;
    to_plain(&theory::reach(&pretrain, &target, max_prefix, steps).map_err(js)?)
}
