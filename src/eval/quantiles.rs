//! Medians and quartiles across repetitions, with linear interpolation between order statistics.

use crate::results::RegretSummary;

/// The q-quantile (q in [0, 1]) of `values` (any order), interpolating linearly
/// between order statistics like numpy's default; NaN for no values.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Running sum: cumulative regret after each step.
pub fn cumulative(instant: &[f64]) -> Vec<f64> {
    instant
        .iter()
        .scan(0.0, |acc, x| {
            *acc += x;
            Some(*acc)
        })
        .collect()
}

/// Median and 25/75 % quantiles of cumulative regret across repetitions, per step.
pub fn summarise(instant_per_repetition: &[&[f64]]) -> RegretSummary {
    let cums: Vec<Vec<f64>> = instant_per_repetition.iter().map(|r| cumulative(r)).collect();
    let n = cums.iter().map(Vec::len).min().unwrap_or(0);
    let at = |q: f64| -> Vec<f64> { (0..n).map(|t| quantile(&cums.iter().map(|c| c[t]).collect::<Vec<_>>(), q)).collect() };
    RegretSummary { median: at(0.5), q25: at(0.25), q75: at(0.75) }
}
