//! A source as an exchangeable law: the probability of one particular sequence depends only on its token counts.

use super::classes::xlogy;
use crate::bayes::logsumexp;
use crate::sources::Source;

/// A (validated) source prepared for evaluating ln P(one sequence with counts x).
///
/// Conditioning on a prefix is then a ratio: the prompted predictor's
/// probability of a continuation with counts m after a prefix with counts c is
/// `P(c + m) / P(c)` — the chain rule of the exact Bayes predictor, summed
/// over its steps.
#[derive(Debug, Clone)]
pub(crate) enum Exchangeable {
    /// Fixed coins: a single coin is one component of weight 1.
    Coins {
        /// ln of each component's weight.
        ln_w: Vec<f64>,
        /// ln of each component's token probabilities.
        ln_p: Vec<Vec<f64>>,
    },
    /// Dirichlet(alphas): ln P(x) = ln B(alpha + x) − ln B(alpha).
    Dirichlet {
        /// Concentration per token.
        alphas: Vec<f64>,
    },
}

impl Exchangeable {
    /// The law of `source` (assumed validated).
    pub(crate) fn new(source: &Source) -> Self {
        let ln = |row: &Vec<f64>| row.iter().map(|p| p.ln()).collect::<Vec<f64>>();
        match source {
            Source::Single { probs } => Exchangeable::Coins { ln_w: vec![0.0], ln_p: vec![ln(probs)] },
            Source::Mixture { weights, probs } => Exchangeable::Coins {
                ln_w: weights.iter().map(|w| w.ln()).collect(),
                ln_p: probs.iter().map(ln).collect(),
            },
            Source::Random { alphas } => Exchangeable::Dirichlet { alphas: alphas.clone() },
        }
    }

    /// Number of components summed over per evaluation (1 for a Dirichlet).
    pub(crate) fn components(&self) -> usize {
        match self {
            Exchangeable::Coins { ln_w, .. } => ln_w.len(),
            Exchangeable::Dirichlet { .. } => 1,
        }
    }

    /// ln P(one particular sequence whose token counts are `x`); −∞ when impossible.
    pub(crate) fn ln_prob(&self, x: &[u64]) -> f64 {
        match self {
            Exchangeable::Coins { ln_w, ln_p } => {
                let terms: Vec<f64> = ln_w.iter().zip(ln_p).map(|(w, row)| w + dot(x, row)).collect();
                logsumexp(&terms)
            }
            Exchangeable::Dirichlet { alphas } => {
                let total: f64 = alphas.iter().sum();
                let n: u64 = x.iter().sum();
                let per_token: f64 =
                    alphas.iter().zip(x).map(|(&a, &c)| libm::lgamma(a + c as f64) - libm::lgamma(a)).sum();
                per_token - (libm::lgamma(total + n as f64) - libm::lgamma(total))
            }
        }
    }
}

/// Σ_v x_v ln p_v with 0 · ln 0 = 0.
pub(crate) fn dot(x: &[u64], ln_p: &[f64]) -> f64 {
    x.iter().zip(ln_p).map(|(&c, &lp)| xlogy(c as f64, lp)).sum()
}
