//! Initial prefixes: random one-hot rows, uniform [0, 1) entries, or zeros.

use rand::Rng;

use crate::config::PrefixInit;

/// A (K, dim) prefix, row-major, drawn as `init` says. One-hot rows put the 1
/// at the largest of `dim` uniform draws, as the reference library does.
pub fn initial_prefix<R: Rng>(init: PrefixInit, k: usize, dim: usize, rng: &mut R) -> Vec<f64> {
    match init {
        PrefixInit::Zeros => vec![0.0; k * dim],
        PrefixInit::Simplex => (0..k * dim).map(|_| rng.random::<f64>()).collect(),
        PrefixInit::OneHot => {
            let mut out = vec![0.0; k * dim];
            for row in out.chunks_mut(dim) {
                let draws: Vec<f64> = (0..dim).map(|_| rng.random::<f64>()).collect();
                let hot = (0..dim).max_by(|&a, &b| draws[a].total_cmp(&draws[b])).unwrap_or(0);
                row[hot] = 1.0;
            }
            out
        }
    }
}
