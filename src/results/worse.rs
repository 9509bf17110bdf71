//! Where a tuner did worse than no tuning, and where even exact Bayes does worse behind its best K-flip prompt than with none.

use serde::Serialize;

use super::{MethodKind, MethodResult, Results};
use crate::config::Method;
use crate::experiment::Baseline;

/// The smallest gap counted, as a fraction of the reference's median (and at least [`MIN_GAP`] nats).
const RELATIVE_GAP: f64 = 0.01;
/// The smallest gap counted, in nats.
const MIN_GAP: f64 = 0.001;

/// A method that did worse than a reference at one or more key steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Worse {
    /// The method (a tuner, or PreBayesPT).
    pub method: String,
    /// The reference it lost to: NoTuning for a tuner, PreBayes for PreBayesPT.
    pub baseline: String,
    /// The key steps where it lost, in increasing order.
    pub steps: Vec<WorseAt>,
    /// For a hard prompt (HardPT, PreBayesPT): true when, at a step listed, even exact Bayes does worse
    /// behind its best prompt of exactly K flips (PreBayesPT) than with none (PreBayes): no prompt at
    /// all beats every prompt of K flips, and a hard prompt must have K.
    pub forced_flips: bool,
}

/// The two cumulative regrets at one key step (nats, against the oracle).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorseAt {
    /// Tokens (1-based step).
    pub step: usize,
    /// The method's median over repetitions.
    pub median: f64,
    /// Its 25 % quantile.
    pub q25: f64,
    /// Its 75 % quantile.
    pub q75: f64,
    /// The reference's median.
    pub baseline: f64,
    /// The reference's 75 % quantile.
    pub baseline_q75: f64,
}

impl Results {
    /// On `source`, at each key step (N_tune, N_train, N_eval, distinct, within 1..=N_eval), every
    /// tuner against NoTuning and PreBayesPT against PreBayes. A method counts as worse at a step
    /// when its 25 % quantile over repetitions is above the reference's 75 % quantile (their bands
    /// do not overlap: at least three in four repetitions lost) and its median exceeds the
    /// reference's by more than [`RELATIVE_GAP`] of the reference's median and [`MIN_GAP`] nats. The
    /// evaluation sequences are the same for both, so sampling them moves both alike. Methods
    /// that never lost are left out; the order is that of [`Results::methods`].
    pub fn worse_than_baselines(&self, source: &str) -> Vec<Worse> {
        let find = |label: &str| self.methods.iter().find(|m| m.method == label);
        let (pre_bayes, pre_bayes_pt) = (Baseline::PreBayes.label(), Baseline::PreBayesPt.label());
        let forced = match (find(pre_bayes_pt), find(pre_bayes)) {
            (Some(pt), Some(pre)) => self.lost_at(pt, pre, source),
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for m in &self.methods {
            let baseline = match m.kind {
                MethodKind::Tuner => Baseline::NoTuning.label(),
                MethodKind::Baseline if m.method == pre_bayes_pt => pre_bayes,
                _ => continue,
            };
            let Some(reference) = find(baseline) else { continue };
            let steps = self.lost_at(m, reference, source);
            if steps.is_empty() {
                continue;
            }
            let hard = m.method == Method::HardPt.label() || m.method == pre_bayes_pt;
            let forced_flips = hard && steps.iter().any(|s| forced.iter().any(|f| f.step == s.step));
            out.push(Worse { method: m.method.clone(), baseline: baseline.to_string(), steps, forced_flips });
        }
        out
    }

    /// The key steps at which `m` lost to `reference` on `source`, by the rule of [`Results::worse_than_baselines`].
    fn lost_at(&self, m: &MethodResult, reference: &MethodResult, source: &str) -> Vec<WorseAt> {
        let (Some(a), Some(b)) = (m.summary.get(source), reference.summary.get(source)) else { return Vec::new() };
        let k = self.key_steps;
        let mut steps = vec![k.tune, k.train, k.eval];
        steps.sort_unstable();
        steps.dedup();
        steps
            .into_iter()
            .filter(|&n| n >= 1 && n <= k.eval)
            .filter_map(|n| {
                let i = n - 1;
                let at = WorseAt {
                    step: n,
                    median: *a.median.get(i)?,
                    q25: *a.q25.get(i)?,
                    q75: *a.q75.get(i)?,
                    baseline: *b.median.get(i)?,
                    baseline_q75: *b.q75.get(i)?,
                };
                let gap = at.median - at.baseline;
                let lost = at.q25 > at.baseline_q75 && gap > MIN_GAP.max(RELATIVE_GAP * at.baseline.abs());
                lost.then_some(at)
            })
            .collect()
    }
}
