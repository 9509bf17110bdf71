//! The target's side of the regret: its token-count marginals, mean token frequencies and the entropy of its N-token sequences.

use super::classes::{for_each_class, xlogy, LnFactorials};
use super::exchangeable::Exchangeable;
use crate::sources::Source;

/// E_target[count of each token] / N: the target's mean token frequencies p̄ (sum to 1).
pub(crate) fn mean_frequencies(target: &Source) -> Vec<f64> {
    match target {
        Source::Single { probs } => probs.clone(),
        Source::Mixture { weights, probs } => {
            let v = probs.first().map_or(0, Vec::len);
            (0..v).map(|t| weights.iter().zip(probs).map(|(w, row)| w * row[t]).sum()).collect()
        }
        Source::Random { alphas } => {
            let total: f64 = alphas.iter().sum();
            alphas.iter().map(|a| a / total).collect()
        }
    }
}

/// P_target(count of token `v` in N tokens = j) for j = 0..=N: a binomial, a
/// mixture of binomials, or a beta-binomial (the Dirichlet's marginal on one token
/// is Beta(alpha_v, Σ alpha − alpha_v)).
pub(crate) fn count_marginal(target: &Source, v: usize, n: usize, lf: &LnFactorials) -> Vec<f64> {
    let binomial = |p: f64| -> Vec<f64> {
        let (lp, lq) = (p.ln(), (-p).ln_1p());
        (0..=n).map(|j| (lf.ln_choose(n, j) + xlogy(j as f64, lp) + xlogy((n - j) as f64, lq)).exp()).collect()
    };
    match target {
        Source::Single { probs } => binomial(probs[v]),
        Source::Mixture { weights, probs } => {
            let mut out = vec![0.0; n + 1];
            for (w, row) in weights.iter().zip(probs) {
                binomial(row[v]).iter().zip(out.iter_mut()).for_each(|(b, o)| *o += w * b);
            }
            out
        }
        Source::Random { alphas } => {
            let a = alphas[v];
            let b: f64 = alphas.iter().enumerate().filter(|&(t, _)| t != v).map(|(_, x)| x).sum();
            let ln_beta = |x: f64, y: f64| libm::lgamma(x) + libm::lgamma(y) - libm::lgamma(x + y);
            let base = ln_beta(a, b);
            (0..=n).map(|j| (lf.ln_choose(n, j) + ln_beta(j as f64 + a, (n - j) as f64 + b) - base).exp()).collect()
        }
    }
}

/// E_target[ln P_target(x_1..x_N)] in nats: minus the entropy of the target's
/// N-token sequences, i.e. minus the expected cumulative log loss of its own
/// Bayes predictor (`TargetBayes`).
///
/// Closed forms for a single coin (N Σ p ln p) and a Dirichlet (through the
/// beta-binomial marginals, since ln P is a sum over tokens); a mixture sums
/// over all C(N + V − 1, V − 1) count classes.
pub(crate) fn neg_entropy(target: &Source, n: usize, lf: &LnFactorials) -> f64 {
    match target {
        Source::Single { probs } => n as f64 * probs.iter().map(|&p| xlogy(p, p.ln())).sum::<f64>(),
        Source::Random { alphas } => {
            let total: f64 = alphas.iter().sum();
            let per_token: f64 = alphas
                .iter()
                .enumerate()
                .map(|(v, &a)| {
                    let marginal = count_marginal(target, v, n, lf);
                    let base = libm::lgamma(a);
                    marginal.iter().enumerate().map(|(j, q)| q * (libm::lgamma(a + j as f64) - base)).sum::<f64>()
                })
                .sum();
            per_token - (libm::lgamma(total + n as f64) - libm::lgamma(total))
        }
        Source::Mixture { .. } => {
            let law = Exchangeable::new(target);
            let mut sum = 0.0;
            for_each_class(n, target.vocab_size(), |m| {
                let ln_p = law.ln_prob(m);
                if ln_p > f64::NEG_INFINITY {
                    sum += (lf.ln_multinomial(m) + ln_p).exp() * ln_p;
                }
            });
            sum
        }
    }
}
