//! Exact search for pretraining on fixed coins (a single coin or a mixture): every prefix class is scored by summing over the target's count classes.
//!
//! After a prefix with counts c, the mixture's posterior weights are
//! π_j ∝ w_j ∏_v p_jv^{c_v}, so ln Q_c(m) = lse_j(a_j(c) + b_j(m)) − lse_j(a_j(c))
//! with a_j(c) = ln w_j + ⟨c, ln p_j⟩ and b_j(m) = ⟨m, ln p_j⟩. The b_j of every
//! target class m (with its probability ω(m) = multinomial(m) · P(one sequence))
//! is tabulated once; each prefix class then costs (number of target classes) × J.
//! A single coin ignores its prefix, so one prefix per length is scored.

use super::classes::{for_each_class, LnFactorials};
use super::exchangeable::{dot, Exchangeable};
use super::improves;
use crate::bayes::logsumexp;
use crate::sources::Source;

/// Target count classes with positive probability: their probabilities and b_j.
struct TargetTable {
    /// ω(m): probability of seeing counts m in N target tokens.
    weight: Vec<f64>,
    /// b_j(m) = ⟨m, ln p_j⟩, J per class, row-major.
    b: Vec<f64>,
}

fn table(ln_p: &[Vec<f64>], target: &Source, n: usize, lf: &LnFactorials) -> TargetTable {
    let law = Exchangeable::new(target);
    let mut t = TargetTable { weight: Vec::new(), b: Vec::new() };
    for_each_class(n, target.vocab_size(), |m| {
        let w = (lf.ln_multinomial(m) + law.ln_prob(m)).exp();
        if w > 0.0 {
            t.weight.push(w);
            t.b.extend(ln_p.iter().map(|row| dot(m, row)));
        }
    });
    t
}

/// Best counts and excess regret (nats, +∞ when the prompted predictor gives
/// a possible target sequence probability 0) for every prefix length 0..=k_max.
/// Prefixes the pretraining source cannot produce are skipped; ties keep the
/// first class in descending lexicographic order (more of lower-index tokens).
pub(crate) fn search(
    weights: &[f64],
    probs: &[Vec<f64>],
    target: &Source,
    n: usize,
    k_max: usize,
    neg_h: f64,
    lf: &LnFactorials,
) -> Vec<(Vec<u64>, f64)> {
    let v = target.vocab_size();
    let ln_w: Vec<f64> = weights.iter().map(|w| w.ln()).collect();
    let ln_p: Vec<Vec<f64>> = probs.iter().map(|row| row.iter().map(|p| p.ln()).collect()).collect();
    let t = table(&ln_p, target, n, lf);
    let total_weight: f64 = t.weight.iter().sum();
    let j = ln_w.len();
    let mut a = vec![0.0; j];
    let mut buf = vec![0.0; j];
    let mut score = |c: &[u64]| -> Option<f64> {
        for ((a_j, w), row) in a.iter_mut().zip(&ln_w).zip(&ln_p) {
            *a_j = w + dot(c, row);
        }
        let z = logsumexp(&a);
        if z == f64::NEG_INFINITY {
            return None; // the pretraining source never produces this prefix
        }
        let mut expected = 0.0;
        for (w, b) in t.weight.iter().zip(t.b.chunks_exact(j)) {
            buf.iter_mut().zip(&a).zip(b).for_each(|((o, a_j), b_j)| *o = a_j + b_j);
            expected += w * logsumexp(&buf);
        }
        Some((neg_h - expected + z * total_weight).max(0.0))
    };
    (0..=k_max)
        .map(|k| {
            let mut best: Option<(Vec<u64>, f64)> = None;
            if j == 1 {
                // The prefix is ignored: all of it on the first possible token.
                let first = ln_p[0].iter().position(|lp| lp.is_finite()).unwrap_or(0);
                let mut c = vec![0u64; v];
                c[first] = k as u64;
                best = score(&c).map(|r| (c, r));
            } else {
                for_each_class(k, v, |c| {
                    let Some(r) = score(c) else { return };
                    if best.as_ref().is_none_or(|(_, b)| improves(r, *b)) {
                        best = Some((c.to_vec(), r));
                    }
                });
            }
            best.unwrap_or_else(|| (vec![0; v], f64::INFINITY))
        })
        .collect()
}
