//! The run configuration: plain serde data with documented defaults, validated once.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::sources::Source;

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
}

/// Which torso sits between embedding and unembedding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Architecture {
    /// Stacked LSTM, one layer per entry of `hidden_sizes`.
    Lstm,
    /// Decoder-only Transformer, one layer per entry of `hidden_sizes` (MLP hidden = entry × widening factor).
    Transformer,
    /// A stack of dense layers without activation (for tests).
    Linear,
}

/// The network (SPEC §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Torso kind. Default `lstm`.
    pub architecture: Architecture,
    /// Embedding width E. Default 32.
    pub embedding_dim: usize,
    /// One entry per layer: LSTM hidden size, Transformer MLP base width, Linear output width. Default `[32]`.
    pub hidden_sizes: Vec<usize>,
    /// Attention heads (Transformer); must divide E. Default 4.
    pub num_heads: usize,
    /// Transformer MLP widening factor. Default 4.
    pub widening_factor: usize,
    /// Rank of the LoRA adapters on q, k, v and out (Transformer); 0 = none. Default 4.
    pub lora_rank: usize,
    /// `false`: keep the random initial torso, frozen (no pretraining). Default `true`.
    pub trained: bool,
}

/// Pretraining (SPEC §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PretrainConfig {
    /// The pretraining source. Default Random Coins with alphas (1, 1).
    pub source: Source,
    /// Tokens per training sequence N_train. Default 100.
    pub sequence_length: usize,
    /// Sequences per step B. Default 64.
    pub batch_size: usize,
    /// Adam steps, a fresh batch each. Default 500.
    pub steps: usize,
    /// Adam learning rate. Default 1e-3.
    pub learning_rate: f64,
    /// Global gradient-norm clip before Adam. Default 1.0.
    pub max_grad_norm: f64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            architecture: Architecture::Lstm,
            embedding_dim: 32,
            hidden_sizes: vec![32],
            num_heads: 4,
            widening_factor: 4,
            lora_rank: 4,
            trained: true,
        }
    }
}

impl Default for PretrainConfig {
    fn default() -> Self {
        PretrainConfig {
            source: Source::default(),
            sequence_length: 100,
            batch_size: 64,
            steps: 500,
            learning_rate: 1e-3,
            max_grad_norm: 1.0,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config { seed: 0, model: ModelConfig::default(), pretraining: PretrainConfig::default() }
    }
}

impl Config {
    /// Parses and validates a JSON config; unknown fields are errors.
    pub fn from_json(text: &str) -> Result<Self> {
        let config: Config = serde_json::from_str(text).map_err(|e| Error::other(format!("config: {e}")))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks every field against its documented range.
    pub fn validate(&self) -> Result<()> {
        self.model.validate("model")?;
        self.pretraining.validate("pretraining")
    }

    /// Vocabulary size V, set by the pretraining source.
    pub fn vocab_size(&self) -> usize {
        self.pretraining.source.vocab_size()
    }
}

impl ModelConfig {
    /// Checks the network's sizes; `field` prefixes error paths.
    pub fn validate(&self, field: &str) -> Result<()> {
        in_range(&format!("{field}.embedding_dim"), self.embedding_dim, 1, MAX_WIDTH)?;
        if self.hidden_sizes.is_empty() || self.hidden_sizes.len() > MAX_LAYERS {
            return Err(Error::invalid(
                format!("{field}.hidden_sizes"),
                format!("{} layers", self.hidden_sizes.len()),
                format!("a list of 1 to {MAX_LAYERS} layer sizes"),
            ));
        }
        for (i, &h) in self.hidden_sizes.iter().enumerate() {
            in_range(&format!("{field}.hidden_sizes[{i}]"), h, 1, MAX_WIDTH)?;
        }
        if self.architecture == Architecture::Transformer {
            in_range(&format!("{field}.num_heads"), self.num_heads, 1, self.embedding_dim)?;
            if self.embedding_dim % self.num_heads != 0 {
                return Err(Error::invalid(
                    format!("{field}.num_heads"),
                    self.num_heads,
                    format!("a divisor of embedding_dim ({})", self.embedding_dim),
                ));
            }
            in_range(&format!("{field}.widening_factor"), self.widening_factor, 1, 16)?;
            let widest = self.hidden_sizes.iter().max().copied().unwrap_or(0) * self.widening_factor;
            in_range(&format!("{field}.hidden_sizes × widening_factor"), widest, 1, 4 * MAX_WIDTH)?;
            in_range(&format!("{field}.lora_rank"), self.lora_rank, 0, MAX_LORA_RANK)?;
        }
        Ok(())
    }

    /// Whether LoRA adapters exist (Transformer with rank > 0).
    pub fn has_lora(&self) -> bool {
        self.architecture == Architecture::Transformer && self.lora_rank > 0
    }
}

impl PretrainConfig {
    /// Checks the pretraining settings; `field` prefixes error paths.
    pub fn validate(&self, field: &str) -> Result<()> {
        self.source.validate(&format!("{field}.source"))?;
        in_range(&format!("{field}.sequence_length"), self.sequence_length, 1, MAX_SEQUENCE_LENGTH)?;
        in_range(&format!("{field}.batch_size"), self.batch_size, 1, MAX_BATCH)?;
        in_range(&format!("{field}.steps"), self.steps, 1, MAX_STEPS)?;
        positive(&format!("{field}.learning_rate"), self.learning_rate, 10.0)?;
        positive(&format!("{field}.max_grad_norm"), self.max_grad_norm, 1e6)
    }
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
