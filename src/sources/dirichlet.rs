//! `Random Coins`: a fresh coin per sequence from Dirichlet(alphas) (Beta for V = 2).

use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::Rng;
use rand_distr::Gamma;

use crate::error::{Error, Result};

/// Draws p ~ Dirichlet(alphas) as normalised Gamma(alpha_v, 1) variates.
///
/// For tiny alphas every Gamma draw can underflow to 0; the Dirichlet then
/// puts (numerically) all mass on one token, so we return that limit: a
/// one-hot coin on a token drawn with probability alpha_v / sum(alpha).
pub(super) fn draw_coin<R: Rng>(rng: &mut R, alphas: &[f64]) -> Result<Vec<f64>> {
    let mut p = Vec::with_capacity(alphas.len());
    for &a in alphas {
        let gamma = Gamma::new(a, 1.0).map_err(|e| Error::other(format!("bad Dirichlet alpha {a}: {e}")))?;
        p.push(gamma.sample(rng));
    }
    let sum: f64 = p.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        p.iter_mut().for_each(|x| *x /= sum);
    } else {
        let pick = WeightedIndex::new(alphas).map_err(|e| Error::other(format!("bad Dirichlet alphas: {e}")))?;
        let k = pick.sample(rng);
        p.iter_mut().enumerate().for_each(|(i, x)| *x = if i == k { 1.0 } else { 0.0 });
    }
    Ok(p)
}
