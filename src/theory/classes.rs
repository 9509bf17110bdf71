//! Count vectors, the sufficient statistics of exchangeable sequences: how many there are, enumeration, multinomial coefficients.

/// Number of count vectors of `v` entries summing to `n`, C(n + v − 1, v − 1), as f64 (no overflow).
pub(crate) fn classes_of(n: usize, v: usize) -> f64 {
    binomial(n + v.saturating_sub(1), v.saturating_sub(1))
}

/// Number of count vectors of `v` entries summing to at most `n`, C(n + v, v).
pub(crate) fn classes_up_to(n: usize, v: usize) -> f64 {
    binomial(n + v, v)
}

/// C(n, r) in floating point, exact while it fits in 53 bits.
fn binomial(n: usize, r: usize) -> f64 {
    let r = r.min(n.saturating_sub(r));
    (0..r).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// Calls `f` with every count vector of `v` entries summing to `n`, in
/// descending lexicographic order: (n, 0, …, 0) first, (0, …, 0, n) last.
pub(crate) fn for_each_class(n: usize, v: usize, mut f: impl FnMut(&[u64])) {
    if v == 0 {
        return;
    }
    let mut c = vec![0u64; v];
    c[0] = n as u64;
    loop {
        f(&c);
        // Move one unit from the last non-empty entry before the end to its right
        // neighbour, and gather everything after it there.
        let Some(j) = (0..v - 1).rev().find(|&j| c[j] > 0) else { return };
        let rest: u64 = c[j + 1..].iter().sum::<u64>() + 1;
        c[j] -= 1;
        c[j + 1..].iter_mut().for_each(|x| *x = 0);
        c[j + 1] = rest;
    }
}

/// ln(i!) for i = 0..=n, so multinomial coefficients cost V additions.
pub(crate) struct LnFactorials(Vec<f64>);

impl LnFactorials {
    /// The table up to `n`.
    pub(crate) fn new(n: usize) -> Self {
        let mut table = Vec::with_capacity(n + 1);
        let mut acc = 0.0;
        table.push(0.0);
        for i in 1..=n {
            acc += (i as f64).ln();
            table.push(acc);
        }
        LnFactorials(table)
    }

    /// ln of the number of orderings of a sequence with counts `m`: ln(|m|! / ∏ m_v!).
    pub(crate) fn ln_multinomial(&self, m: &[u64]) -> f64 {
        let n: u64 = m.iter().sum();
        self.0[n as usize] - m.iter().map(|&x| self.0[x as usize]).sum::<f64>()
    }

    /// ln C(n, j).
    pub(crate) fn ln_choose(&self, n: usize, j: usize) -> f64 {
        self.0[n] - self.0[j] - self.0[n - j]
    }
}

/// x · ln p with 0 · ln 0 = 0 (a token never seen costs nothing, even when impossible).
pub(crate) fn xlogy(x: f64, ln_p: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        x * ln_p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerates_every_class_once() {
        for (n, v) in [(0, 2), (3, 2), (4, 3), (5, 4)] {
            let mut seen = Vec::new();
            for_each_class(n, v, |c| seen.push(c.to_vec()));
            assert_eq!(seen.len() as f64, classes_of(n, v));
            assert!(seen.iter().all(|c| c.iter().sum::<u64>() == n as u64));
            assert!(seen.windows(2).all(|w| w[0] > w[1]), "not descending: {seen:?}");
        }
        assert_eq!(classes_up_to(3, 2), 10.0);
    }

    #[test]
    fn multinomials_count_orderings() {
        let lf = LnFactorials::new(10);
        assert!((lf.ln_multinomial(&[2, 1, 1]).exp() - 12.0).abs() < 1e-9);
        assert!((lf.ln_choose(10, 3).exp() - 120.0).abs() < 1e-9);
    }
}
