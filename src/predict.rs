//! Step-by-step predictions of a source's exact Bayes predictor, and optionally a network, on given tokens.

use candle_core::DType;
use serde::{Deserialize, Serialize};

use crate::bayes::log_predictive;
use crate::error::{Error, Result};
use crate::model::{one_hot, Predictor, Prefix};
use crate::sources::Source;

/// The predictive distributions before one token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictStep {
    /// 1-based step: the predictions are made before seeing token `step`.
    pub step: usize,
    /// Exact Bayes predictive of the source, P(token = v) for v in 0..V-1.
    pub probs: Vec<f64>,
    /// The network's predictive for the same step, when a model is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_probs: Option<Vec<f64>>,
}

/// One [`PredictStep`] per token: step 1 is the prior predictive.
pub fn predict(source: &Source, tokens: &[u32], model: Option<&Predictor>) -> Result<Vec<PredictStep>> {
    source.validate("source")?;
    let v = source.vocab_size();
    let bayes = log_predictive(source, &[], tokens)?;
    let network = match model {
        None => None,
        Some(p) => {
            if p.vocab != v {
                return Err(Error::invalid("model", format!("V = {}", p.vocab), format!("the source's vocabulary size {v}")));
            }
            if tokens.is_empty() {
                Some(Vec::new())
            } else {
                let x = one_hot(tokens, 1, tokens.len(), v, p.params.dtype())?;
                let lp = p.forward(&x, &Prefix::None, false)?.log_probs;
                Some(lp.to_dtype(DType::F64)?.flatten_all()?.to_vec1::<f64>()?)
            }
        }
    };
    Ok((0..tokens.len())
        .map(|n| PredictStep {
            step: n + 1,
            probs: bayes[n * v..(n + 1) * v].iter().map(|l| l.exp()).collect(),
            model_probs: network.as_ref().map(|lp| lp[n * v..(n + 1) * v].iter().map(|l| l.exp()).collect()),
        })
        .collect())
}
