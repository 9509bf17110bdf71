//! The prompt each prefix tuner of a run found: its best repetition, written as a prompt the predictors take.

use serde::Serialize;

use super::{Repetition, Results};
use crate::config::Method;
use crate::error::{Error, Result};
use crate::predict::PromptSpec;

/// Tuning losses at the end of a run whose mean ranks the repetitions.
const TAIL: usize = 10;

/// A prefix tuner's best repetition and its tuned prefix as a prompt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TunedPrompt {
    /// The tuner's label (`HardPT`, `SimplexPT`, `RealPT` or `SoftPT`).
    pub method: String,
    /// The chosen repetition, 0-based.
    pub repetition: usize,
    /// How many repetitions the tuner ran.
    pub repetitions: usize,
    /// K, the rows of the tuned prefix.
    pub prefix_length: usize,
    /// The prefix as a prompt: hard tokens (each row's largest entry) for HardPT, the
    /// embedding-space rows for SoftPT, the input-space rows for SimplexPT and RealPT.
    pub prefix: PromptSpec,
}

impl Results {
    /// For each prefix tuner in [`Results::methods`] (in that order), the repetition with a
    /// prefix, not diverged, with the lowest finite mean of its last ≤ 10 tuning losses (the
    /// first on ties; no losses count as 0). A tuner with no such repetition is left out.
    pub fn tuned_prompts(&self) -> Result<Vec<TunedPrompt>> {
        let mut out = Vec::new();
        for (i, m) in self.methods.iter().enumerate() {
            let Some(method) = Method::from_label(&m.method).ok().filter(|t| t.is_prefix()) else { continue };
            let mut best: Option<(usize, &Vec<Vec<f64>>, f64)> = None;
            for (r, rep) in m.repetitions.iter().enumerate() {
                let Some(rows) = rep.prefix.as_ref().filter(|_| rep.diverged.is_none()) else { continue };
                let score = tail_score(rep);
                if score.is_finite() && best.is_none_or(|(_, _, s)| score < s) {
                    best = Some((r, rows, score));
                }
            }
            let Some((repetition, rows, _)) = best else { continue };
            let prefix = match method {
                Method::HardPt => PromptSpec::Hard { tokens: hard_tokens(rows, &format!("results.methods[{i}].repetitions[{repetition}].prefix"))? },
                Method::SoftPt => PromptSpec::Soft { rows: rows.clone() },
                _ => PromptSpec::Real { rows: rows.clone() },
            };
            out.push(TunedPrompt { method: m.method.clone(), repetition, repetitions: m.repetitions.len(), prefix_length: rows.len(), prefix });
        }
        Ok(out)
    }
}

/// Mean of the last ≤ [`TAIL`] tuning losses, summed in order from 0 (0 when there are none).
fn tail_score(rep: &Repetition) -> f64 {
    let tail = &rep.tuning_loss[rep.tuning_loss.len().saturating_sub(TAIL)..];
    tail.iter().fold(0.0, |acc, &x| acc + x) / tail.len().max(1) as f64
}

/// Each row's index of its largest entry (the first on ties), as decimal digits.
fn hard_tokens(rows: &[Vec<f64>], field: &str) -> Result<String> {
    let mut tokens = String::new();
    for (k, row) in rows.iter().enumerate() {
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let at = row.iter().position(|&x| x == max).filter(|_| !row.iter().any(|x| x.is_nan()));
        let Some(at) = at else {
            return Err(Error::invalid(format!("{field}[{k}]"), format!("{row:?}"), "a non-empty row of numbers"));
        };
        tokens.push_str(&at.to_string());
    }
    Ok(tokens)
}
