//! Methods ranked by their excess over TargetBayes: which of a chosen few came closest, the rule the lessons' answers use.

use serde::Serialize;

use super::{Excess, Results};
use crate::error::{Error, Result};
use crate::experiment::Baseline;

/// `methods` ordered by median excess over TargetBayes, and those with no result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    /// Lowest median first; equal medians keep the order they were asked in.
    pub ranked: Vec<Excess>,
    /// Methods asked for that have no finite repetition (every one diverged), in the order asked.
    pub missing: Vec<String>,
}

impl Results {
    /// Ranks `methods` (labels this run reports, TargetBayes and ground_truth excepted) by their
    /// median cumulative regret over TargetBayes's after `step` tokens of `source`
    /// ([`Results::excess_over_target`]); the first of `ranked` came closest to TargetBayes.
    pub fn rank_by_excess(&self, source: &str, step: usize, methods: &[String]) -> Result<Ranking> {
        let all = self.excess_over_target(source, step)?;
        let floor = [Baseline::TargetBayes.label(), Baseline::GroundTruth.label()];
        let rankable: Vec<&str> = self.methods.iter().map(|m| m.method.as_str()).filter(|m| !floor.contains(m)).collect();
        let mut ranked = Vec::new();
        let mut missing = Vec::new();
        for (i, label) in methods.iter().enumerate() {
            if !rankable.contains(&label.as_str()) {
                return Err(Error::invalid(format!("methods[{i}]"), label, format!("one of {}", rankable.join(", "))));
            }
            if methods[..i].contains(label) {
                return Err(Error::invalid(format!("methods[{i}]"), label, "each method once"));
            }
            match all.iter().find(|e| e.method == *label) {
                Some(e) => ranked.push(e.clone()),
                None => missing.push(label.clone()),
            }
        }
        // A stable sort: equal medians keep the asked order.
        ranked.sort_by(|a, b| a.median.total_cmp(&b.median));
        Ok(Ranking { ranked, missing })
    }
}
