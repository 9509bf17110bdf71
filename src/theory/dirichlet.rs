//! Exact search for `Random Coins` (Dirichlet) pretraining: the regret of a prefix is a sum over tokens, so all best counts come from one small dynamic programme.
//!
//! After a prefix with counts c (|c| = k) the prompted predictor is the
//! Dirichlet(alpha + c) predictor, so a continuation with counts m has
//!
//! ln Q_c(m) = Σ_v [lnΓ(alpha_v + c_v + m_v) − lnΓ(alpha_v + c_v)] − [lnΓ(A + k + N) − lnΓ(A + k)],
//!
//! with A = Σ alpha. Taking the expectation over the target,
//!
//! R(c) = E_P ln P − Σ_v g_v(c_v) + lnΓ(A + k + N) − lnΓ(A + k),
//! g_v(i) = E_P[lnΓ(alpha_v + i + m_v) − lnΓ(alpha_v + i)],
//!
//! and g_v needs only the marginal law of the count of token v. Tabulating
//! g_v(i) for i ≤ K costs V (K + 1)(N + 1) terms; maximising Σ_v g_v(c_v) under
//! Σ c_v = k for every k ≤ K is a knapsack-like recursion over tokens costing
//! (V − 1)(K + 1)(K + 2)/2 — for V = 2 exactly the k + 1 prefixes (c_0, k − c_0).

use super::classes::LnFactorials;
use super::improves;
use super::target::count_marginal;
use crate::sources::Source;

/// Best counts and excess regret (nats) for every prefix length 0..=k_max.
pub(crate) fn search(
    alphas: &[f64],
    target: &Source,
    n: usize,
    k_max: usize,
    neg_h: f64,
    lf: &LnFactorials,
) -> Vec<(Vec<u64>, f64)> {
    let v = alphas.len();
    let g: Vec<Vec<f64>> = (0..v)
        .map(|t| {
            let marginal = count_marginal(target, t, n, lf);
            let ln_gamma: Vec<f64> = (0..=k_max + n).map(|i| libm::lgamma(alphas[t] + i as f64)).collect();
            (0..=k_max)
                .map(|i| marginal.iter().enumerate().map(|(j, q)| q * (ln_gamma[i + j] - ln_gamma[i])).sum())
                .collect()
        })
        .collect();

    // best[t]: max of Σ g_u(c_u) over the tokens so far with Σ c_u = t;
    // picks[s][t]: the count of token s + 1 at that maximum. Ties keep the
    // smaller count of the later token, i.e. favour lower-index tokens.
    let mut best = g[0].clone();
    let mut picks: Vec<Vec<u32>> = Vec::with_capacity(v.saturating_sub(1));
    for g_t in &g[1..] {
        let mut next = vec![f64::NEG_INFINITY; k_max + 1];
        let mut pick = vec![0u32; k_max + 1];
        for total in 0..=k_max {
            for c in 0..=total {
                let s = best[total - c] + g_t[c];
                if improves(-s, -next[total]) {
                    next[total] = s;
                    pick[total] = c as u32;
                }
            }
        }
        best = next;
        picks.push(pick);
    }

    let a_total: f64 = alphas.iter().sum();
    (0..=k_max)
        .map(|k| {
            let mut counts = vec![0u64; v];
            let mut left = k;
            for (s, pick) in picks.iter().enumerate().rev() {
                let c = pick[left] as usize;
                counts[s + 1] = c as u64;
                left -= c;
            }
            counts[0] = left as u64;
            let normaliser = libm::lgamma(a_total + (k + n) as f64) - libm::lgamma(a_total + k as f64);
            // A KL divergence is ≥ 0; rounding may leave −1e-13.
            let regret = (neg_h - best[k] + normaliser).max(0.0);
            (counts, regret)
        })
        .collect()
}
