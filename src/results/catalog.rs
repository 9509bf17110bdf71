//! Every label that can appear in a run's methods, in display order, with what it is in plain words.

use serde::Serialize;

use super::MethodKind;
use crate::config::{Method, TheoryK};
use crate::experiment::Baseline;

/// One method or baseline label as the page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodInfo {
    /// The label, as in [`super::MethodResult::method`].
    pub label: &'static str,
    /// Tuner or baseline.
    pub kind: MethodKind,
    /// True for the four prefix tuners (HardPT, SimplexPT, RealPT, SoftPT).
    pub prefix: bool,
    /// Where the Theory view plots its result.
    pub theory_k: TheoryK,
    /// True for `ground_truth`, the oracle regret is measured against (a run lists it, but it is
    /// the zero of regret, not a baseline to compare with).
    pub oracle: bool,
    /// One line in plain words.
    pub description: &'static str,
}

/// The nine tuners of [`Method::ALL`], then the baselines of [`Baseline::ALL`], in the
/// order a run's `methods` lists them.
pub fn method_catalog() -> Vec<MethodInfo> {
    let tuners = Method::ALL.into_iter().map(|m| MethodInfo {
        label: m.label(),
        kind: MethodKind::Tuner,
        prefix: m.is_prefix(),
        theory_k: m.theory_k(),
        oracle: false,
        description: m.description(),
    });
    let baselines = Baseline::ALL.into_iter().map(|b| MethodInfo {
        label: b.label(),
        kind: MethodKind::Baseline,
        prefix: false,
        theory_k: b.theory_k(),
        oracle: b == Baseline::GroundTruth,
        description: b.description(),
    });
    tuners.chain(baselines).collect()
}
