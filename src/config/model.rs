//! The network's shape (SPEC §3).

use serde::{Deserialize, Serialize};

use super::{in_range, MAX_LAYERS, MAX_LORA_RANK, MAX_WIDTH};
use crate::error::{Error, Result};

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

