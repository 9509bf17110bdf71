//! The browser door: thin wasm-bindgen exports over the engine, one file per area; every engine
//! error reaches JS as an `Error` with the engine's one-line message (and, for a refused field,
//! `field`, `value` and `allowed` properties).

mod experiment;
mod figures;
mod flips;
mod predict;
mod predict_figures;
mod theory;
mod trainer;
mod work;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::Error;

/// What every export returns: its value, or a JS `Error` built by [`js`].
pub(crate) type JsResult<T> = std::result::Result<T, JsValue>;

/// Installs the panic hook so a Rust panic shows its message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Engine error → JS `Error` whose `message` is the engine's one line; a refused field
/// ([`Error::Invalid`]) also carries `field`, `value` and `allowed` as string properties.
pub(crate) fn js(e: Error) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    if let Error::Invalid { field, value, allowed } = &e {
        for (key, text) in [("field", field), ("value", value), ("allowed", allowed)] {
            // Setting a property on a fresh Error cannot fail; were it to, the message still says it all.
            let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &JsValue::from_str(text));
        }
    }
    error.into()
}

/// Any serde value → a plain JS value (objects, not `Map`s).
pub(crate) fn to_plain<T: Serialize>(value: &T) -> JsResult<JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js(Error::other(format!("cannot convert the result: {e}"))))
}

/// A plain JS value → serde data; `what` names it in the error.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> crate::Result<T> {
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::other(format!("{what}: {e}")))
}
