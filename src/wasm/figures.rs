//! Exports of the figures: one Results parsed once, each figure drawn on demand at the size it is shown at, with its data.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::{from_js, js, to_plain, JsResult};
use crate::charts::{self, FigureOptions};
use crate::results::Results;

/// The page's figure options, loosely typed: `{width, height?, hidden?, chrome?}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    width: Option<f64>,
    height: Option<f64>,
    hidden: Option<Vec<String>>,
    chrome: Option<bool>,
}

/// The figures of one Results object.
#[wasm_bindgen]
pub struct FigureSet {
    results: Results,
}

#[wasm_bindgen]
impl FigureSet {
    /// Parses `results` (a Results object) once.
    #[wasm_bindgen(constructor)]
    pub fn new(results: JsValue) -> JsResult<FigureSet> {
        Ok(FigureSet { results: from_js(results, "results").map_err(js)? })
    }

    /// The stems of every figure, in the order `experiment_figures` lists them.
    pub fn names(&self) -> JsResult<JsValue> {
        to_plain(&charts::figure_names(&self.results))
    }

    /// The figure `stem` drawn with `options` (`{width, height?, hidden?, chrome?}`, `undefined` for the
    /// defaults): `{svg, data}`, `data` the FigureData. A width outside 280..=2400 px, a height outside
    /// 200..=3000 px or an unknown stem is refused naming the field.
    pub fn figure(&self, stem: &str, options: JsValue) -> JsResult<JsValue> {
        to_plain(&charts::figure(&self.results, stem, &figure_options(options)?).map_err(js)?)
    }
}

/// The page's `{width, height?, hidden?, chrome?}` (`undefined` or `null` for the defaults), each checked by name.
pub(super) fn figure_options(options: JsValue) -> JsResult<FigureOptions> {
    let raw: Options =
        if options.is_undefined() || options.is_null() { Options::default() } else { from_js(options, "options").map_err(js)? };
    FigureOptions::from_numbers(raw.width, raw.height, raw.hidden.unwrap_or_default(), raw.chrome).map_err(js)
}
