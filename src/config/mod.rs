//! The run configuration: plain serde data with documented defaults, validated once.

mod evaluation;
mod forward_memory;
mod memory;
mod method;
mod model;
mod pretrain;
mod tuning;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::sources::Source;

pub use evaluation::EvalConfig;
pub(crate) use forward_memory::{chunk_sequences, max_positions};
pub use memory::{estimate_bytes, EVAL_CHUNK, MAX_BYTES};
pub use method::{Method, PrefixInit, TheoryK};
pub use model::{Architecture, ModelConfig};
pub use pretrain::PretrainConfig;
pub use tuning::{TuningConfig, MAX_HARD_PREFIXES, MAX_PREFIX_LENGTH, MAX_REPETITIONS};

/// Largest embedding width E and hidden size (keeps a browser tab well under 1 GB).
pub const MAX_WIDTH: usize = 1024;
/// Most torso layers.
pub const MAX_LAYERS: usize = 8;
/// Longest training sequence N (tokens).
pub const MAX_SEQUENCE_LENGTH: usize = 10_000;
/// Largest batch B (sequences).
pub const MAX_BATCH: usize = 4096;
/// Most optimiser steps in one run.
pub const MAX_STEPS: usize = 1_000_000;
/// Largest LoRA rank.
pub const MAX_LORA_RANK: usize = 256;

/// Everything one run needs; every field has a default, so `{}` is a valid config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Seed of every random draw (weights, data). Default 0.
    pub seed: u64,
    /// The network.
    pub model: ModelConfig,
    /// How it is pretrained.
    pub pretraining: PretrainConfig,
    /// How it is adapted to the target (used by `promptlab experiment`).
    pub tuning: TuningConfig,
    /// How tuned predictors are judged (used by `promptlab experiment`).
    pub evaluation: EvalConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 0,
            model: ModelConfig::default(),
            pretraining: PretrainConfig::default(),
            tuning: TuningConfig::default(),
            evaluation: EvalConfig::default(),
        }
    }
}

impl Config {
    /// Parses and validates a JSON config; unknown fields are errors.
    pub fn from_json(text: &str) -> Result<Self> {
        let config = Self::parse_unchecked(text)?;
        config.validate()?;
        Ok(config)
    }

    /// Parses a JSON config whose model and pretraining are those of a saved
    /// net's `model` config, then validates the whole (so a Transformer's
    /// `LoRAWT` is judged against the Transformer, not the default model).
    pub fn from_json_with_model(text: &str, model: &Config) -> Result<Self> {
        let mut config = Self::parse_unchecked(text)?;
        config.model = model.model.clone();
        config.pretraining = model.pretraining.clone();
        config.validate()?;
        Ok(config)
    }

    fn parse_unchecked(text: &str) -> Result<Self> {
        // serde would also read a struct from an array of its fields in order; a config is an object.
        if !text.trim_start().starts_with('{') {
            return Err(Error::invalid("config", text.trim(), "a JSON object, e.g. {} for all defaults"));
        }
        serde_json::from_str(text).map_err(|e| Error::other(format!("config: {e}")))
    }

    /// Checks every field against its documented range.
    pub fn validate(&self) -> Result<()> {
        self.model.validate("model")?;
        self.pretraining.validate("pretraining")?;
        self.tuning.validate("tuning", &self.model)?;
        let v = self.vocab_size();
        if self.tuning.source.vocab_size() != v {
            return Err(Error::invalid(
                "tuning.source",
                format!("V = {}", self.tuning.source.vocab_size()),
                format!("the pretraining source's vocabulary size {v}"),
            ));
        }
        self.evaluation.validate("evaluation", v)?;
        if self.evaluation.record_states && self.model.architecture == Architecture::Linear {
            return Err(Error::invalid("evaluation.record_states", true, "false for the Linear torso (it has no internal states)"));
        }
        memory::check_memory(self)
    }

    /// This config with the network and pretraining of `model` (a saved model's
    /// config), validated: tuning and evaluation stay as they are.
    pub fn with_model_of(&self, model: &Config) -> Result<Config> {
        let mut merged = self.clone();
        merged.model = model.model.clone();
        merged.pretraining = model.pretraining.clone();
        merged.validate()?;
        Ok(merged)
    }

    /// The tuning methods to run, in display order (all applicable ones when unset).
    pub fn methods(&self) -> Vec<Method> {
        match &self.tuning.methods {
            Some(list) => Method::ALL.into_iter().filter(|m| list.contains(m)).collect(),
            None => Method::applicable(&self.model),
        }
    }

    /// The evaluation sources by name (the tuning source as `target` when none are set).
    pub fn eval_sources(&self) -> Vec<(String, crate::sources::Source)> {
        if self.evaluation.sources.is_empty() {
            vec![("target".to_string(), self.tuning.source.clone())]
        } else {
            self.evaluation.sources.iter().map(|(n, s)| (n.clone(), s.clone())).collect()
        }
    }

    /// Vocabulary size V, set by the pretraining source.
    pub fn vocab_size(&self) -> usize {
        self.pretraining.source.vocab_size()
    }
}

/// The settings every training loop shares (pretraining and tuning): its source,
/// sequence length, batch size, steps, learning rate and clip.
pub fn check_loop(field: &str, source: &Source, length: usize, batch: usize, steps: usize, lr: f64, clip: f64) -> Result<()> {
    source.validate(&format!("{field}.source"))?;
    in_range(&format!("{field}.sequence_length"), length, 1, MAX_SEQUENCE_LENGTH)?;
    in_range(&format!("{field}.batch_size"), batch, 1, MAX_BATCH)?;
    in_range(&format!("{field}.steps"), steps, 1, MAX_STEPS)?;
    positive(&format!("{field}.learning_rate"), lr, 10.0)?;
    positive(&format!("{field}.max_grad_norm"), clip, 1e6)
}

/// An integer field in `lo..=hi`.
pub fn in_range(field: &str, value: usize, lo: usize, hi: usize) -> Result<()> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(field, value, format!("an integer in {lo}..={hi}")))
    }
}

/// A finite real field in (0, hi].
pub fn positive(field: &str, value: f64, hi: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 && value <= hi {
        Ok(())
    } else {
        Err(Error::invalid(field, value, format!("a finite number in (0, {hi}]")))
    }
}
