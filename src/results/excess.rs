//! Each method's cumulative regret in excess of TargetBayes after n steps: the units of the Theory view's curve.

use serde::Serialize;

use super::Results;
use crate::experiment::Baseline;
use crate::error::{Error, Result};
use crate::eval::quantile;

/// One method's cumulative log loss in excess of TargetBayes's after `step` tokens, across its repetitions (nats).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excess {
    /// The method's label.
    pub method: String,
    /// Tokens summed over (1-based step).
    pub step: usize,
    /// Median over the repetitions that did not diverge.
    pub median: f64,
    /// 25 % quantile over those repetitions.
    pub q25: f64,
    /// 75 % quantile over those repetitions.
    pub q75: f64,
    /// How many repetitions were counted.
    pub repetitions: usize,
}

impl Results {
    /// For every method but TargetBayes and ground_truth, in [`Results::methods`] order: for each
    /// repetition that did not diverge, its mean instant regret on `source` summed over steps
    /// 1..=`step` minus TargetBayes's (the same sequences, so this is the mean over the evaluation
    /// sequences of the method's cumulative log loss minus TargetBayes's), then the median and
    /// quartiles across those repetitions. TargetBayes is exact, so it has one repetition. A
    /// method with no finite repetition is left out.
    pub fn excess_over_target(&self, source: &str, step: usize) -> Result<Vec<Excess>> {
        if !self.eval_sources.iter().any(|s| s == source) {
            return Err(Error::invalid("source", source, format!("one of {}", self.eval_sources.join(", "))));
        }
        if step == 0 || step > self.key_steps.eval {
            return Err(Error::invalid("step", step, format!("an integer in 1..={}", self.key_steps.eval)));
        }
        let target = self.methods.iter().find(|m| m.method == Baseline::TargetBayes.label()).ok_or_else(|| Error::other("the results have no TargetBayes row"))?;
        let [floor] = target.repetitions.as_slice() else {
            return Err(Error::other(format!("TargetBayes has {} repetitions, not one", target.repetitions.len())));
        };
        let floor = cumulative_at(floor.instant_regret.get(source), step).ok_or_else(|| Error::other(format!("TargetBayes has no regret on {source} up to step {step}")))?;
        let mut out = Vec::new();
        for m in self.methods.iter().filter(|m| m.method != Baseline::TargetBayes.label() && m.method != Baseline::GroundTruth.label()) {
            let values: Vec<f64> = m
                .repetitions
                .iter()
                .filter(|r| r.diverged.is_none())
                .filter_map(|r| cumulative_at(r.instant_regret.get(source), step))
                .map(|c| c - floor)
                .filter(|x| x.is_finite())
                .collect();
            if values.is_empty() {
                continue;
            }
            out.push(Excess {
                method: m.method.clone(),
                step,
                median: quantile(&values, 0.5),
                q25: quantile(&values, 0.25),
                q75: quantile(&values, 0.75),
                repetitions: values.len(),
            });
        }
        Ok(out)
    }
}

/// The sum of the first `step` instant regrets, added in order from 0 as the summaries do.
fn cumulative_at(instant: Option<&Vec<f64>>, step: usize) -> Option<f64> {
    let instant = instant.filter(|v| v.len() >= step)?;
    Some(instant[..step].iter().fold(0.0, |acc, &x| acc + x))
}
