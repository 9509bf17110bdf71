//! The exact posterior over the coin's bias after some tokens, as numbers a page can draw.
//!
//! "Bias" is P(token 0) throughout (heads = token 0 on the page).

use serde::{Deserialize, Serialize};

use super::Posterior;
use crate::error::{Error, Result};
use crate::sources::Source;

/// Most grid points [`bias_posterior`] evaluates a density on.
pub const MAX_DENSITY_POINTS: usize = 10_000;

/// The posterior over P(token 0) of a source's latent coin after some tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BiasPosterior {
    /// `Random Coins`: P(token 0) ~ Beta(a, b), with a = alpha_0 + count_0 and
    /// b = the other alphas + counts (the marginal of the Dirichlet for V > 2).
    Beta {
        /// First Beta parameter, alpha_0 + count_0.
        a: f64,
        /// Second Beta parameter, sum over v > 0 of alpha_v + count_v.
        b: f64,
        /// Posterior mean of P(token 0), a / (a + b).
        mean: f64,
        /// Grid points x_i = (i + 1/2) / n in (0, 1), probabilities of token 0.
        points: Vec<f64>,
        /// Beta(a, b) density at each point (per unit of probability).
        density: Vec<f64>,
    },
    /// A mixture: posterior weight of each component and its P(token 0).
    Mixture {
        /// Posterior weight of each component, summing to 1.
        weights: Vec<f64>,
        /// P(token 0) of each component's coin.
        p0: Vec<f64>,
        /// Posterior mean of P(token 0), sum of weights × p0.
        mean: f64,
    },
    /// `Single Coin`: no latent variable, all mass on the known P(token 0).
    Point {
        /// The coin's P(token 0).
        p0: f64,
    },
}

/// The posterior over P(token 0) of `source` after `tokens`, with a Beta
/// density evaluated on `points` grid points (2 ..= [`MAX_DENSITY_POINTS`]).
pub fn bias_posterior(source: &Source, tokens: &[u32], points: usize) -> Result<BiasPosterior> {
    if !(2..=MAX_DENSITY_POINTS).contains(&points) {
        return Err(Error::invalid("points", points, format!("an integer in 2..={MAX_DENSITY_POINTS}")));
    }
    let mut post = Posterior::new(source)?;
    post.observe_all(tokens)?;
    Ok(match source {
        Source::Single { probs } => BiasPosterior::Point { p0: probs[0] },
        Source::Mixture { probs, .. } => {
            let weights = post.mixture_weights();
            let p0: Vec<f64> = probs.iter().map(|row| row[0]).collect();
            let mean = weights.iter().zip(&p0).map(|(w, p)| w * p).sum();
            BiasPosterior::Mixture { weights, p0, mean }
        }
        Source::Random { .. } => {
            let params = post.dirichlet_params();
            let a = params[0];
            let b: f64 = params[1..].iter().sum();
            let points: Vec<f64> = (0..points).map(|i| (i as f64 + 0.5) / points as f64).collect();
            let density = points.iter().map(|&x| beta_log_density(a, b, x).exp()).collect();
            BiasPosterior::Beta { a, b, mean: a / (a + b), points, density }
        }
    })
}

/// ln Beta(a, b) density at x in (0, 1), via lgamma so large counts neither overflow nor underflow.
pub fn beta_log_density(a: f64, b: f64, x: f64) -> f64 {
    let log_beta = libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b);
    (a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p() - log_beta
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(alphas: &[f64]) -> Source {
        Source::Random { alphas: alphas.to_vec() }
    }

    fn beta(p: BiasPosterior) -> (f64, f64, Vec<f64>, Vec<f64>) {
        match p {
            BiasPosterior::Beta { a, b, points, density, .. } => (a, b, points, density),
            other => panic!("expected a Beta posterior, got {other:?}"),
        }
    }

    /// Trapezoid rule over the grid plus the two end slivers (density held constant there).
    fn integral(points: &[f64], density: &[f64]) -> f64 {
        let inner: f64 = points.windows(2).zip(density.windows(2)).map(|(x, d)| (x[1] - x[0]) * (d[0] + d[1]) / 2.0).sum();
        inner + points[0] * density[0] + (1.0 - points[points.len() - 1]) * density[density.len() - 1]
    }

    #[test]
    fn uniform_prior_is_flat_at_one() {
        let (a, b, points, density) = beta(bias_posterior(&random(&[1.0, 1.0]), &[], 50).unwrap());
        assert_eq!((a, b), (1.0, 1.0));
        assert_eq!(points.len(), 50);
        assert!(points.iter().all(|&x| x > 0.0 && x < 1.0));
        for d in density {
            assert!((d - 1.0).abs() < 1e-12, "Beta(1,1) density {d}");
        }
    }

    #[test]
    fn one_head_gives_density_two_x() {
        // Beta(1,1) after one token 0 is Beta(2,1), density 2x.
        let (a, b, points, density) = beta(bias_posterior(&random(&[1.0, 1.0]), &[0], 40).unwrap());
        assert_eq!((a, b), (2.0, 1.0));
        for (x, d) in points.iter().zip(density) {
            assert!((d - 2.0 * x).abs() < 1e-12, "at {x}: {d}");
        }
        // And one token 1 gives Beta(1,2), density 2(1 - x).
        let (_, _, points, density) = beta(bias_posterior(&random(&[1.0, 1.0]), &[1], 40).unwrap());
        for (x, d) in points.iter().zip(density) {
            assert!((d - 2.0 * (1.0 - x)).abs() < 1e-12, "at {x}: {d}");
        }
    }

    #[test]
    fn closed_form_beta_three_two() {
        // Beta(3,2) density = 12 x^2 (1 - x).
        let (_, _, points, density) = beta(bias_posterior(&random(&[1.0, 1.0]), &[0, 1, 0], 25).unwrap());
        for (x, d) in points.iter().zip(density) {
            assert!((d - 12.0 * x * x * (1.0 - x)).abs() < 1e-11, "at {x}: {d}");
        }
    }

    #[test]
    fn densities_integrate_to_one() {
        for (alphas, tokens) in [(vec![1.0, 1.0], vec![0, 1, 1, 0]), (vec![2.0, 5.0], vec![1; 30]), (vec![0.5, 0.5], vec![0, 0, 1])] {
            let (_, _, points, density) = beta(bias_posterior(&random(&alphas), &tokens, 2000).unwrap());
            let total = integral(&points, &density);
            assert!((total - 1.0).abs() < 1e-3, "alphas {alphas:?}, {} tokens: integral {total}", tokens.len());
        }
    }

    #[test]
    fn long_sequences_stay_finite() {
        // 10^6 tokens: the density peaks near the empirical frequency without overflow.
        let tokens: Vec<u32> = (0..1_000_000).map(|i| u32::from(i % 4 == 0)).collect();
        let (a, b, points, density) = beta(bias_posterior(&random(&[1.0, 1.0]), &tokens, 1000).unwrap());
        assert_eq!((a, b), (750_001.0, 250_001.0));
        assert!(density.iter().all(|d| d.is_finite()));
        let (peak, _) = points.iter().zip(&density).fold((0.0, 0.0), |best, (&x, &d)| if d > best.1 { (x, d) } else { best });
        assert!((peak - 0.75).abs() < 1e-3, "peak at {peak}");
    }

    #[test]
    fn die_marginal_of_token_zero() {
        // V = 3: P(token 0) ~ Beta(alpha_0 + c_0, alpha_1 + c_1 + alpha_2 + c_2).
        let (a, b, _, _) = beta(bias_posterior(&random(&[1.0, 2.0, 3.0]), &[0, 2, 2, 1], 10).unwrap());
        assert_eq!((a, b), (2.0, 1.0 + 2.0 + 3.0 + 2.0));
    }

    #[test]
    fn mixture_weights_follow_bayes_rule() {
        let source = Source::Mixture { weights: vec![0.5, 0.5], probs: vec![vec![0.2, 0.8], vec![0.8, 0.2]] };
        match bias_posterior(&source, &[0], 10).unwrap() {
            BiasPosterior::Mixture { weights, p0, mean } => {
                // By hand: (0.5 × 0.2, 0.5 × 0.8) / 0.5 = (0.2, 0.8).
                assert!((weights[0] - 0.2).abs() < 1e-12 && (weights[1] - 0.8).abs() < 1e-12, "{weights:?}");
                assert_eq!(p0, vec![0.2, 0.8]);
                assert!((mean - 0.68).abs() < 1e-12);
            }
            other => panic!("expected a mixture posterior, got {other:?}"),
        }
    }

    #[test]
    fn single_coin_is_a_point_mass() {
        let source = Source::Single { probs: vec![0.3, 0.7] };
        assert_eq!(bias_posterior(&source, &[0, 1, 1], 10).unwrap(), BiasPosterior::Point { p0: 0.3 });
    }

    #[test]
    fn refusals_name_the_field() {
        let err = bias_posterior(&random(&[1.0, 1.0]), &[], 1).unwrap_err().to_string();
        assert!(err.contains("points"), "{err}");
        let err = bias_posterior(&random(&[1.0, 1.0]), &[2], 10).unwrap_err().to_string();
        assert!(err.contains("token"), "{err}");
        let err = bias_posterior(&Source::Single { probs: vec![1.5, -0.5] }, &[], 10).unwrap_err().to_string();
        assert!(err.contains("source.probs"), "{err}");
    }
}
