//! A two-component PCA (power iteration with deflation on the covariance), for state trajectories.

use crate::error::{Error, Result};

/// Mean and the two leading principal directions of a set of points.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    mean: Vec<f64>,
    components: [Vec<f64>; 2],
    /// Fraction of the total variance along each component.
    pub explained: [f64; 2],
}

impl Pca {
    /// Fits on `rows` (each of the same dimension d ≥ 1).
    pub fn fit(rows: &[Vec<f64>]) -> Result<Pca> {
        let d = rows.first().map_or(0, Vec::len);
        if rows.len() < 2 || d == 0 || rows.iter().any(|r| r.len() != d) {
            return Err(Error::other("PCA needs at least two points of equal, non-zero dimension"));
        }
        let n = rows.len() as f64;
        let mut mean = vec![0.0; d];
        rows.iter().for_each(|r| r.iter().zip(mean.iter_mut()).for_each(|(x, m)| *m += x / n));
        let mut cov = vec![0.0; d * d];
        for r in rows {
            let c: Vec<f64> = r.iter().zip(&mean).map(|(x, m)| x - m).collect();
            for i in 0..d {
                for j in 0..d {
                    cov[i * d + j] += c[i] * c[j] / n;
                }
            }
        }
        let total: f64 = (0..d).map(|i| cov[i * d + i]).sum();
        let (v1, l1) = leading(&cov, d, 0);
        // Deflate the first component away and find the second.
        for i in 0..d {
            for j in 0..d {
                cov[i * d + j] -= l1 * v1[i] * v1[j];
            }
        }
        let (v2, l2) = leading(&cov, d, 1);
        let share = |l: f64| if total > 0.0 { (l / total).clamp(0.0, 1.0) } else { 0.0 };
        Ok(Pca { mean, components: [v1, v2], explained: [share(l1), share(l2)] })
    }

    /// Coordinates of `row` along the two components.
    pub fn project(&self, row: &[f64]) -> [f64; 2] {
        let dot = |v: &[f64]| row.iter().zip(&self.mean).zip(v).map(|((x, m), c)| (x - m) * c).sum::<f64>();
        [dot(&self.components[0]), dot(&self.components[1])]
    }
}

/// Leading eigenvector and eigenvalue of a symmetric PSD matrix by power iteration,
/// from a fixed start (deterministic), with the sign fixed so the largest entry is positive.
fn leading(m: &[f64], d: usize, salt: usize) -> (Vec<f64>, f64) {
    let mut v: Vec<f64> = (0..d).map(|i| 1.0 + ((i * 7 + salt * 13) % 11) as f64 * 0.01).collect();
    normalise(&mut v);
    let mut lambda = 0.0;
    for _ in 0..500 {
        let w: Vec<f64> = (0..d).map(|i| (0..d).map(|j| m[i * d + j] * v[j]).sum()).collect();
        let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm < 1e-300 {
            break;
        }
        let next: Vec<f64> = w.iter().map(|x| x / norm).collect();
        let change: f64 = next.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
        v = next;
        lambda = norm;
        if change < 1e-12 {
            break;
        }
    }
    let big = v.iter().copied().fold(0.0f64, |a, b| if b.abs() > a.abs() { b } else { a });
    if big < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
    (v, lambda)
}

fn normalise(v: &mut [f64]) {
    let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}
