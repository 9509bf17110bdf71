//! The sequential posterior of each source: Dirichlet counts, mixture log weights, or nothing.

use super::logsumexp;
use crate::error::{Error, Result};
use crate::sources::Source;

/// The exact posterior state of a source's Bayes predictor after some tokens.
#[derive(Debug, Clone)]
pub enum Posterior {
    /// Categorical: no latent variable, the predictive is log p.
    Categorical { log_p: Vec<f64> },
    /// Dirichlet-Categorical: P(v) = (alpha_v + count_v) / (sum alpha + n).
    Dirichlet { alphas: Vec<f64>, counts: Vec<f64> },
    /// Mixture: normalised log posterior over components and log p per component.
    Mixture { log_post: Vec<f64>, log_p: Vec<Vec<f64>> },
}

impl Posterior {
    /// The prior of a (valid) source.
    pub fn new(source: &Source) -> Result<Self> {
        source.validate("source")?;
        Ok(match source {
            Source::Single { probs } => Posterior::Categorical { log_p: probs.iter().map(|p| p.ln()).collect() },
            Source::Random { alphas } => Posterior::Dirichlet { alphas: alphas.clone(), counts: vec![0.0; alphas.len()] },
            Source::Mixture { weights, probs } => Posterior::Mixture {
                log_post: weights.iter().map(|w| w.ln()).collect(),
                log_p: probs.iter().map(|row| row.iter().map(|p| p.ln()).collect()).collect(),
            },
        })
    }

    /// Vocabulary size V.
    pub fn vocab(&self) -> usize {
        match self {
            Posterior::Categorical { log_p } => log_p.len(),
            Posterior::Dirichlet { alphas, .. } => alphas.len(),
            Posterior::Mixture { log_p, .. } => log_p[0].len(),
        }
    }

    /// Conditions on one token.
    pub fn observe(&mut self, token: u32) -> Result<()> {
        let v = self.vocab();
        let t = token as usize;
        if t >= v {
            return Err(Error::invalid("token", token, format!("a token in 0..={}", v - 1)));
        }
        match self {
            Posterior::Categorical { .. } => {}
            Posterior::Dirichlet { counts, .. } => counts[t] += 1.0,
            Posterior::Mixture { log_post, log_p } => {
                for (lp, row) in log_post.iter_mut().zip(log_p.iter()) {
                    *lp += row[t];
                }
                // Renormalise every step so the log weights stay O(1) for any length.
                let z = logsumexp(log_post);
                if z.is_finite() {
                    log_post.iter_mut().for_each(|lp| *lp -= z);
                }
            }
        }
        Ok(())
    }

    /// Conditions on each token in turn.
    pub fn observe_all(&mut self, tokens: &[u32]) -> Result<()> {
        tokens.iter().try_for_each(|&t| self.observe(t))
    }

    /// Writes log P(next = v) for v in 0..V into `out` (nats).
    pub fn log_predictive(&self, out: &mut [f64]) {
        match self {
            Posterior::Categorical { log_p } => out.copy_from_slice(log_p),
            Posterior::Dirichlet { alphas, counts } => {
                let total: f64 = alphas.iter().sum::<f64>() + counts.iter().sum::<f64>();
                let log_total = total.ln();
                for ((o, a), c) in out.iter_mut().zip(alphas).zip(counts) {
                    *o = (a + c).ln() - log_total;
                }
            }
            Posterior::Mixture { log_post, log_p } => {
                let mut terms = vec![0.0; log_post.len()];
                for (v, o) in out.iter_mut().enumerate() {
                    for (term, (lp, row)) in terms.iter_mut().zip(log_post.iter().zip(log_p)) {
                        *term = lp + row[v];
                    }
                    *o = logsumexp(&terms);
                }
            }
        }
    }

    /// Posterior weight of each mixture component (empty for other sources).
    pub fn mixture_weights(&self) -> Vec<f64> {
        match self {
            Posterior::Mixture { log_post, .. } => log_post.iter().map(|lp| lp.exp()).collect(),
            _ => Vec::new(),
        }
    }

    /// Dirichlet parameters alpha + counts of the posterior (empty for other sources).
    pub fn dirichlet_params(&self) -> Vec<f64> {
        match self {
            Posterior::Dirichlet { alphas, counts } => alphas.iter().zip(counts).map(|(a, c)| a + c).collect(),
            _ => Vec::new(),
        }
    }
}
