//! A saved model: `config.json` (the full run config) beside `model.safetensors`.

use std::path::Path;

use candle_core::DType;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Predictor;

/// File name of the weights inside a model directory.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// File name of the config inside a model directory.
pub const CONFIG_FILE: &str = "config.json";

/// Rebuilds a network from its config JSON and safetensors bytes, checking they match.
pub fn from_bytes(config_json: &str, weights: &[u8]) -> Result<(Config, Predictor)> {
    let config = Config::from_json(config_json)?;
    let predictor = Predictor::new(&config.model, config.vocab_size(), config.seed, DType::F32)?;
    predictor.params.load_safetensors(weights)?;
    Ok((config, predictor))
}

/// Writes `config.json` and `model.safetensors` into `dir` (created if needed).
pub fn save(dir: &Path, config: &Config, predictor: &Predictor) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::other(format!("cannot create {}: {e}", dir.display())))?;
    let json = serde_json::to_string_pretty(config)?;
    std::fs::write(dir.join(CONFIG_FILE), json + "\n")?;
    std::fs::write(dir.join(WEIGHTS_FILE), predictor.params.to_safetensors()?)?;
    Ok(())
}

/// Loads a model directory written by [`save`].
pub fn load(dir: &Path) -> Result<(Config, Predictor)> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|e| Error::other(format!("cannot read model file {}: {e}", path.display())))
    };
    let config = String::from_utf8(read(CONFIG_FILE)?).map_err(|_| Error::other(format!("{CONFIG_FILE} is not UTF-8")))?;
    from_bytes(&config, &read(WEIGHTS_FILE)?)
}
