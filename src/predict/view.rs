//! The numbers the Predict view draws: exact Bayes's and a network's next-token rows after a hard prompt and the flips, and Bayes's posterior over the bias.

use crate::bayes::{bias_posterior, BiasPosterior};
use crate::config::{in_range, MAX_PREFIX_LENGTH};
use crate::error::{Error, Result};
use crate::model::Predictor;
use crate::sources::{parse_tokens, Source};

use super::{bayes_rows, network_rows};

/// Grid points of a Beta posterior density, as the page asks `posterior_density` for them.
pub const DENSITY_POINTS: usize = 400;

/// What the Predict view shows for one source, hard prompt, flips and (optional) network.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictView {
    /// The hard prompt, read by both predictors before the flips.
    pub hard: Vec<u32>,
    /// The flips.
    pub flips: Vec<u32>,
    /// Exact Bayes's predictive after the prompt and each prefix of the flips: n + 1 rows of V probabilities.
    pub bayes: Vec<Vec<f64>>,
    /// The network's predictive at the same points, when a network is given.
    pub network: Option<Vec<Vec<f64>>>,
    /// Exact Bayes's posterior over P(token 0) after the prompt and every flip.
    pub posterior: BiasPosterior,
}

impl PredictView {
    /// The view's numbers exactly as the page computes them: Bayes reads `hard` then `flips`
    /// (its rows from the prompt's end on), the network reads `flips` behind the hard prompt
    /// `hard` (none when empty), and the posterior is taken after `hard` and `flips`.
    pub fn compute(source: &Source, hard: &[u32], flips: &[u32], network: Option<&Predictor>) -> Result<Self> {
        source.validate("source")?;
        in_range("hard", hard.len(), 0, MAX_PREFIX_LENGTH)?;
        let read: Vec<u32> = hard.iter().chain(flips).copied().collect();
        let bayes = bayes_rows(source, &read)?.split_off(hard.len());
        let posterior = bias_posterior(source, &read, DENSITY_POINTS)?;
        let network = match network {
            None => None,
            Some(p) => {
                if p.vocab != source.vocab_size() {
                    let want = format!("the source's vocabulary size {}", source.vocab_size());
                    return Err(Error::invalid("model", format!("V = {}", p.vocab), want));
                }
                let prompt = (!hard.is_empty()).then(|| hard_prompt_json(hard));
                Some(network_rows(p, flips, prompt.as_deref())?)
            }
        };
        Ok(PredictView { hard: hard.to_vec(), flips: flips.to_vec(), bayes, network, posterior })
    }

    /// The network's P(token 0) after every flip, when there is a network.
    pub fn network_p0(&self) -> Option<f64> {
        self.network.as_ref().and_then(|rows| rows.last()).and_then(|row| row.first()).copied()
    }
}

/// A hard prompt written as digits 0..V-1 (whitespace and commas ignored), refusals naming `hard[i]`.
pub fn parse_hard(text: &str, vocab: usize) -> Result<Vec<u32>> {
    parse_tokens(text, vocab).map_err(|e| match e {
        Error::Invalid { field, value, allowed } => Error::Invalid { field: field.replacen("tokens", "hard", 1), value, allowed },
        other => other,
    })
}

/// `{"kind":"hard","tokens":"011"}`: the prompt the page hands `model_predict` for a typed hard prompt.
fn hard_prompt_json(hard: &[u32]) -> String {
    let tokens: String = hard.iter().map(|t| t.to_string()).collect();
    serde_json::json!({ "kind": "hard", "tokens": tokens }).to_string()
}
