//! Partial results on disk: a run directory's `run.json`, its pretrained `model/`, and one `jobs/METHOD-REP.json` per finished job.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{Config, Method};
use crate::error::{Error, Result};
use crate::results::Repetition;

/// Written into every partial file, so files of another layout are refused.
pub const FORMAT: &str = "promptlab-partial/1";
/// The run record inside a run directory.
pub const RUN_FILE: &str = "run.json";
/// The pretrained network inside a run directory (a model directory, see [`crate::checkpoint`]).
pub const MODEL_DIR: &str = "model";
/// The finished jobs inside a run directory.
pub const JOBS_DIR: &str = "jobs";

/// What every shard of one experiment shares: its config and pretrained network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`config_key`] of `config`.
    pub config_key: String,
    /// [`bytes_key`] of the pretrained network's safetensors bytes.
    pub model_key: String,
    /// The slice this directory ran, `I/N`.
    pub shard: String,
    /// The validated config.
    pub config: Config,
    /// Pretraining loss per step (nats per sequence); empty when the network was given or untrained.
    #[serde(deserialize_with = "crate::results::nullable_numbers")]
    pub pretraining_loss: Vec<f64>,
    /// Seconds spent pretraining.
    pub pretraining_seconds: f64,
}

/// One finished (method, repetition) job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`config_key`] of the run's config.
    pub config_key: String,
    /// [`bytes_key`] of the network the job tuned.
    pub model_key: String,
    /// The tuner's label.
    pub method: String,
    /// 0-based repetition.
    pub repetition: usize,
    /// The tuned repetition and its evaluation.
    pub result: Repetition,
}

/// A stable 16-hex-digit key of `config` (FNV-1a of its JSON): equal keys, equal runs.
pub fn config_key(config: &Config) -> Result<String> {
    Ok(bytes_key(serde_json::to_string(config)?.as_bytes()))
}

/// FNV-1a (64 bits) of `bytes`, as 16 hex digits.
pub fn bytes_key(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// Where job (`method`, `repetition`) of a run directory is written.
pub fn job_path(dir: &Path, method: Method, repetition: usize) -> PathBuf {
    dir.join(JOBS_DIR).join(format!("{}-{repetition}.json", method.label()))
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let fail = |e: std::io::Error| Error::other(format!("cannot write {}: {e}", path.display()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}

/// Reads and parses a partial file, checking its format; errors name the file.
pub fn read_record<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::other(format!("cannot read {}: {e}", path.display())))?;
    let format: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::other(format!("{}: malformed JSON: {e}", path.display())))?;
    if format.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(Error::invalid(format!("{}: format", path.display()), format.get("format").map_or("none".into(), |f| f.to_string()), FORMAT));
    }
    serde_json::from_str(&text).map_err(|e| Error::other(format!("{}: not a partial result: {e}", path.display())))
}

/// The job files of a run directory (`jobs/*.json`, not the temporary ones), sorted by name.
pub fn job_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let jobs = dir.join(JOBS_DIR);
    if !jobs.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&jobs).map_err(|e| Error::other(format!("cannot list {}: {e}", jobs.display())))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::other(format!("cannot list {}: {e}", jobs.display())))?.path();
        if path.extension().is_some_and(|x| x == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
