//! Exports for the bench: a config's counted work per pretraining step and the measured peak of the engine's matrix product in this thread.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{js, to_plain, JsResult};
use crate::config::Config;

/// The work of one pretraining step of `config_json`: `{forward, backward, update, total,
/// trained_weights}` (multiply-adds of the products, and the update's operations).
#[wasm_bindgen]
pub fn step_work(config_json: &str) -> JsResult<JsValue> {
    let config = Config::from_json(config_json).map_err(js)?;
    to_plain(&crate::train::step_work(&config).map_err(js)?)
}

/// The fastest of `reps` `size` × `size` f32 products through the engine's dense path, in
/// this thread: `{gmacs, gflops, size, ms, reps, threads, gemm_threads}`.
#[wasm_bindgen]
pub fn peak_gemm(size: usize, reps: usize) -> JsResult<JsValue> {
    to_plain(&crate::kernels::measure_peak(size, reps, now_ms).map_err(js)?)
}

/// `performance.now()` of this page or worker (milliseconds), or `Date.now()` without one.
fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).ok();
    let now = performance.as_ref().and_then(|p| {
        let f = js_sys::Reflect::get(p, &JsValue::from_str("now")).ok()?.dyn_into::<js_sys::Function>().ok()?;
        f.call0(p).ok()?.as_f64()
    });
    now.unwrap_or_else(js_sys::Date::now)
}
