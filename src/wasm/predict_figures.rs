//! Exports of the Predict view's engine figures: the view's numbers computed once, each figure drawn on demand at the size it is shown at, with its data.

use wasm_bindgen::prelude::*;

use super::figures::figure_options;
use super::{js, to_plain, JsResult};
use crate::charts;
use crate::checkpoint;
use crate::predict::{parse_hard, PredictView};
use crate::sources::{parse_tokens, Source};

/// The Predict view's figures of one source, hard prompt, flips and (optional) network.
#[wasm_bindgen]
pub struct PredictFigureSet {
    view: PredictView,
}

#[wasm_bindgen]
impl PredictFigureSet {
    /// Computes the view's numbers as the Predict view does: `hard` and `flips` are digits, the hard
    /// prompt read by both predictors first; `config_json` and `weights` a saved network (both absent
    /// for exact Bayes alone).
    #[wasm_bindgen(constructor)]
    pub fn new(source_json: &str, hard: &str, flips: &str, config_json: Option<String>, weights: Option<Vec<u8>>) -> JsResult<PredictFigureSet> {
        let source = Source::from_json("source", source_json).map_err(js)?;
        let hard = parse_hard(hard, source.vocab_size()).map_err(js)?;
        let flips = parse_tokens(flips, source.vocab_size()).map_err(js)?;
        let network = match (config_json, weights) {
            (Some(config), Some(weights)) => Some(checkpoint::from_bytes(&config, &weights).map_err(js)?.1),
            _ => None,
        };
        Ok(PredictFigureSet { view: PredictView::compute(&source, &hard, &flips, network.as_ref()).map_err(js)? })
    }

    /// The stems of the two figures, `predictive` and `posterior`.
    pub fn names(&self) -> JsResult<JsValue> {
        to_plain(&charts::PREDICT_FIGURES)
    }

    /// The figure `stem` drawn with `options` (`{width, height?, hidden?, chrome?}`): `{svg, data}`.
    pub fn figure(&self, stem: &str, options: JsValue) -> JsResult<JsValue> {
        to_plain(&charts::predict_figure(&self.view, stem, &figure_options(options)?).map_err(js)?)
    }
}
