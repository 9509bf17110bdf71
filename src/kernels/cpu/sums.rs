//! Sums over a slice in a fixed order of eight running sums, so the loops vectorise and every run adds the same way.

use num_traits::Float;

/// Running sums per slice: one 8-wide vector of f32 (AVX2), half of AVX-512, two of wasm's 128-bit lanes.
const LANES: usize = 8;

/// `combine` of f(a_j, b_j) over the common length of `a` and `b`, from `start`: element j goes to running
/// value j mod 8 (the last len mod 8 elements to a ninth, in order), and the eight are combined in a fixed tree.
#[inline(always)]
fn reduce_pairs<T: Float>(a: &[T], b: &[T], start: T, f: impl Fn(T, T) -> T, combine: impl Fn(T, T) -> T) -> T {
    let n = a.len().min(b.len());
    let whole = n - n % LANES;
    let mut acc = [start; LANES];
    for (ca, cb) in a[..whole].chunks_exact(LANES).zip(b[..whole].chunks_exact(LANES)) {
        for l in 0..LANES {
            acc[l] = combine(acc[l], f(ca[l], cb[l]));
        }
    }
    let tail = a[whole..n].iter().zip(&b[whole..n]).fold(start, |s, (&x, &y)| combine(s, f(x, y)));
    let mut width = LANES / 2;
    while width > 0 {
        for l in 0..width {
            acc[l] = combine(acc[l], acc[l + width]);
        }
        width /= 2;
    }
    combine(acc[0], tail)
}

/// Σ_j f(a_j, b_j) over the common length of `a` and `b`, in the order of [`reduce_pairs`].
#[inline(always)]
pub(crate) fn sum_pairs<T: Float>(a: &[T], b: &[T], f: impl Fn(T, T) -> T) -> T {
    reduce_pairs(a, b, T::zero(), f, |s, v| s + v)
}

/// Σ_j f(a_j), in the order of [`reduce_pairs`].
#[inline(always)]
pub(crate) fn sum_of<T: Float>(a: &[T], f: impl Fn(T) -> T) -> T {
    sum_pairs(a, a, |x, _| f(x))
}

/// max_j f(a_j) (−∞ for an empty slice).
#[inline(always)]
pub(crate) fn max_of<T: Float>(a: &[T], f: impl Fn(T) -> T) -> T {
    reduce_pairs(a, a, T::neg_infinity(), |x, _| f(x), |m, v| m.max(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_every_element_once_whatever_the_length() {
        for n in 0..40 {
            let a: Vec<f64> = (0..n).map(|i| (i * i) as f64).collect();
            let b: Vec<f64> = (0..n).map(|i| i as f64 + 1.0).collect();
            let exact_sq: f64 = a.iter().sum();
            let exact_dot: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert_eq!(sum_of(&a, |x| x), exact_sq, "length {n}");
            assert_eq!(sum_pairs(&a, &b, |x, y| x * y), exact_dot, "length {n}");
        }
        assert_eq!(sum_pairs(&[1.0f32, 2.0, 3.0], &[1.0], |x, y| x * y), 1.0, "the common length only");
        for n in 1..40 {
            let a: Vec<f32> = (0..n).map(|i| ((i * 7919) % 23) as f32 - 11.0).collect();
            assert_eq!(max_of(&a, |x| 2.0 * x), 2.0 * a.iter().fold(f32::NEG_INFINITY, |m, &x| m.max(x)), "length {n}");
        }
        assert_eq!(max_of(&[] as &[f32], |x| x), f32::NEG_INFINITY);
    }
}
