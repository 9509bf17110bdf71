//! A prompt written in JSON, as the page and `tuned_prompts` write it, and the network prefix it becomes.

use candle_core::{DType, Tensor};
use serde::{Deserialize, Serialize};

use crate::config::{in_range, MAX_PREFIX_LENGTH};
use crate::error::{Error, Result};
use crate::model::{Predictor, Prefix};
use crate::sources::parse_tokens;

/// A prompt in JSON: `{"kind":"hard","tokens":"011"}`, or
/// `{"kind":"simplex"|"real","rows":[[…V…],…]}` (input space) or
/// `{"kind":"soft","rows":[[…E…],…]}` (embedding space).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum PromptSpec {
    /// Hard tokens written as digits (`HardPT`).
    Hard { tokens: String },
    /// (K, V) logits whose row-wise softmax is prepended (`SimplexPT`).
    Simplex { rows: Vec<Vec<f64>> },
    /// (K, V) real input vectors (`RealPT`).
    Real { rows: Vec<Vec<f64>> },
    /// (K, E) vectors after the BOS embedding (`SoftPT`).
    Soft { rows: Vec<Vec<f64>> },
}

impl PromptSpec {
    /// Parses `text`; absent, empty or `null` means no prompt. Errors name `prefix`.
    pub fn parse(text: Option<&str>) -> Result<Option<PromptSpec>> {
        match text.map(str::trim) {
            None | Some("") | Some("null") => Ok(None),
            Some(t) => serde_json::from_str(t).map(Some).map_err(|e| Error::other(format!("prefix: malformed JSON: {e}"))),
        }
    }

    /// The prefix this prompt puts in front of `predictor`'s input, checked against its sizes.
    pub fn to_prefix(&self, predictor: &Predictor) -> Result<Prefix> {
        let dtype = predictor.params.dtype();
        Ok(match self {
            PromptSpec::Hard { tokens } => {
                let tokens = parse_tokens(tokens, predictor.vocab)?;
                in_range("prefix.tokens", tokens.len(), 0, MAX_PREFIX_LENGTH)?;
                Prefix::Hard(tokens)
            }
            PromptSpec::Simplex { rows } => Prefix::Simplex(prefix_tensor(rows, predictor.vocab, dtype)?),
            PromptSpec::Real { rows } => Prefix::Real(prefix_tensor(rows, predictor.vocab, dtype)?),
            PromptSpec::Soft { rows } => Prefix::Soft(prefix_tensor(rows, predictor.config.embedding_dim, dtype)?),
        })
    }
}

/// Rows of a prefix matrix as a (K, width) tensor.
fn prefix_tensor(rows: &[Vec<f64>], width: usize, dtype: DType) -> Result<Tensor> {
    in_range("prefix.rows", rows.len(), 1, MAX_PREFIX_LENGTH)?;
    let mut data = Vec::with_capacity(rows.len() * width);
    for (k, row) in rows.iter().enumerate() {
        if row.len() != width {
            return Err(Error::invalid(format!("prefix.rows[{k}]"), format!("{} entries", row.len()), format!("{width} entries")));
        }
        if let Some(x) = row.iter().find(|x| !x.is_finite()) {
            return Err(Error::invalid(format!("prefix.rows[{k}]"), x, "finite numbers"));
        }
        data.extend(row.iter().map(|&x| x as f32));
    }
    Ok(Tensor::from_vec(data, (rows.len(), width), &candle_core::Device::Cpu)?.to_dtype(dtype)?)
}
