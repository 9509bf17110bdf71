//! The four kinds of prefix a predictor can be conditioned on (hard, simplex, real, soft).

use candle_core::{DType, Device, Tensor};

use crate::error::{Error, Result};

/// A prompt placed before the real tokens (SPEC §3–4).
#[derive(Debug, Clone)]
pub enum Prefix {
    /// No prefix.
    None,
    /// K hard tokens in 0..V-1, prepended as one-hot inputs (`HardPT`).
    Hard(Vec<u32>),
    /// (K, V) logits; their row-wise softmax is prepended as inputs (`SimplexPT`).
    Simplex(Tensor),
    /// (K, V) unconstrained real input vectors (`RealPT`, `RandomPF`).
    Real(Tensor),
    /// (K, E) vectors inserted right after the BOS embedding (`SoftPT`).
    Soft(Tensor),
}

impl Prefix {
    /// Prefix length K.
    pub fn len(&self) -> usize {
        match self {
            Prefix::None => 0,
            Prefix::Hard(tokens) => tokens.len(),
            Prefix::Simplex(t) | Prefix::Real(t) | Prefix::Soft(t) => t.dims().first().copied().unwrap_or(0),
        }
    }

    /// True when there is no prefix token.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The (K, V) input rows to prepend before embedding, for input-space prefixes.
    pub(crate) fn input_rows(&self, vocab: usize, dtype: DType) -> Result<Option<Tensor>> {
        let check = |t: &Tensor, what: &str| -> Result<()> {
            match t.dims() {
                [_, v] if *v == vocab => Ok(()),
                d => Err(Error::invalid("prefix", format!("{what} of shape {d:?}"), format!("a (K, {vocab}) matrix"))),
            }
        };
        Ok(match self {
            Prefix::None | Prefix::Soft(_) => None,
            Prefix::Hard(tokens) if tokens.is_empty() => None,
            Prefix::Hard(tokens) => Some(super::one_hot(tokens, 1, tokens.len(), vocab, dtype)?.squeeze(0)?),
            Prefix::Simplex(logits) => {
                check(logits, "simplex prefix")?;
                Some(candle_nn::ops::softmax(&logits.to_dtype(dtype)?, 1)?)
            }
            Prefix::Real(rows) => {
                check(rows, "real prefix")?;
                Some(rows.to_dtype(dtype)?)
            }
        })
    }
}

/// An all-zero tensor on the CPU.
pub(crate) fn zeros(shape: &[usize], dtype: DType) -> Result<Tensor> {
    Ok(Tensor::zeros(shape, dtype, &Device::Cpu)?)
}
