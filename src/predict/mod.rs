//! Step-by-step predictions on given tokens: a source's exact Bayes predictor, and a network's (optionally behind a prompt);
//! flips as people write them, and the predictions as CSV.

use serde::{Deserialize, Serialize};

use crate::bayes::Posterior;
use crate::error::{Error, Result};
use crate::model::Predictor;
use crate::sources::Source;

mod carry;
mod flips_text;
mod network;
mod predictions_csv;
mod prompt;
mod stream;
mod view;

pub use carry::LstmCarry;
pub use flips_text::{parse_flips, shown, FlipsTextError, Notation, Place, MAX_FLIPS};
pub use network::network_rows;
pub use predictions_csv::{predictions_csv, PREDICTIONS_HEADER};
pub use prompt::PromptSpec;
pub use stream::{predict_stream, stream_limit, BayesStream, TokenChunks, CHUNK_BYTES};
pub use view::{parse_hard, PredictView, DENSITY_POINTS};

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
    let bayes = bayes_rows(source, tokens)?;
    let network = match model {
        None => None,
        Some(p) => {
            if p.vocab != v {
                return Err(Error::invalid("model", format!("V = {}", p.vocab), format!("the source's vocabulary size {v}")));
            }
            Some(network_rows(p, tokens, None)?)
        }
    };
    Ok((0..tokens.len())
        .map(|n| PredictStep {
            step: n + 1,
            probs: bayes[n].clone(),
            model_probs: network.as_ref().map(|rows| rows[n].clone()),
        })
        .collect())
}

/// The exact Bayes predictive of `source` after each prefix of `tokens`: N + 1 rows of V
/// probabilities, row k = P(next = v | first k tokens) (row 0 is the prior predictive).
pub fn bayes_rows(source: &Source, tokens: &[u32]) -> Result<Vec<Vec<f64>>> {
    let mut post = Posterior::new(source)?;
    let mut log_p = vec![0.0; source.vocab_size()];
    let mut rows = Vec::with_capacity(tokens.len() + 1);
    for k in 0..=tokens.len() {
        post.log_predictive(&mut log_p);
        rows.push(log_p.iter().map(|l| l.exp()).collect());
        if let Some(&t) = tokens.get(k) {
            post.observe(t)?;
        }
    }
    Ok(rows)
}
