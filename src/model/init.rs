//! Seeded weight initialisers (LeCun normal, orthogonal), as the reference library uses.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// `n` draws of N(0, 1/fan_in): LeCun normal, the default for dense kernels.
pub fn lecun_normal<R: Rng>(rng: &mut R, fan_in: usize, n: usize) -> Vec<f64> {
    let std = (1.0 / fan_in.max(1) as f64).sqrt();
    (0..n).map(|_| {
        let z: f64 = StandardNormal.sample(rng);
        std * z
    }).collect()
}

/// A random `n × n` orthogonal matrix, row-major (Gram–Schmidt on a Gaussian
/// matrix), the default for LSTM recurrent kernels.
pub fn orthogonal<R: Rng>(rng: &mut R, n: usize) -> Vec<f64> {
    loop {
        let mut rows: Vec<Vec<f64>> = (0..n).map(|_| (0..n).map(|_| -> f64 { StandardNormal.sample(rng) }).collect()).collect();
        let mut ok = true;
        for i in 0..n {
            for j in 0..i {
                let d: f64 = rows[i].iter().zip(&rows[j]).map(|(a, b)| a * b).sum();
                let rj = rows[j].clone();
                rows[i].iter_mut().zip(&rj).for_each(|(a, b)| *a -= d * b);
            }
            let norm = rows[i].iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm < 1e-8 {
                ok = false;
                break;
            }
            rows[i].iter_mut().for_each(|a| *a /= norm);
        }
        if ok {
            return rows.concat();
        }
    }
}

/// The `h × (4h)` recurrent kernel of an LSTM: one orthogonal block per gate.
pub fn orthogonal_gates<R: Rng>(rng: &mut R, h: usize) -> Vec<f64> {
    let blocks: Vec<Vec<f64>> = (0..4).map(|_| orthogonal(rng, h)).collect();
    let mut out = Vec::with_capacity(4 * h * h);
    for r in 0..h {
        for block in &blocks {
            out.extend_from_slice(&block[r * h..(r + 1) * h]);
        }
    }
    out
}
