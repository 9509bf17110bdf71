//! exp and tanh as the fused kernels compute them: fast f32 versions (libm's tanh would be a quarter of an LSTM step, its exp a fifth in wasm; scalar libm calls also keep loops from vectorising), f64's exact ones.

use num_traits::Float;

use super::dispatch::Isa;

/// exp and tanh as the fused kernels compute them on the code path `S`
/// ([`super::dispatch`]): [`fast_exp_f32`] (or libm's exp on the native baseline) and
/// [`fast_tanh_f32`] in f32; `f64::exp` and `f64::tanh` in f64 (the precise reference
/// the tests compare the f32 kernels against).
pub(crate) trait KernelMath: Float + Send + Sync + Default + 'static {
    fn exp_on<S: Isa>(self) -> Self;
    fn tanh_on<S: Isa>(self) -> Self;

    /// 1 / (1 + e^−x).
    #[inline(always)]
    fn sigmoid_on<S: Isa>(self) -> Self {
        Self::one() / (Self::one() + (-self).exp_on::<S>())
    }
}

impl KernelMath for f32 {
    #[inline(always)]
    fn exp_on<S: Isa>(self) -> f32 {
        if S::VECTOR_EXP {
            fast_exp_f32(self)
        } else {
            self.exp()
        }
    }
    #[inline(always)]
    fn tanh_on<S: Isa>(self) -> f32 {
        fast_tanh_f32::<S>(self)
    }
}

impl KernelMath for f64 {
    #[inline(always)]
    fn exp_on<S: Isa>(self) -> f64 {
        self.exp()
    }
    #[inline(always)]
    fn tanh_on<S: Isa>(self) -> f64 {
        self.tanh()
    }
}

/// e^x within ~2 ulp for x in [−87, 88]; it saturates outside (e^88 ≈ 1.7e38
/// above, e^−87 ≈ 1.6e-38 below), which no kernel can tell from the true value
/// after the 1 / (1 + e^x) it feeds. NaN stays NaN. Range reduction x = n ln 2 + r with
/// |r| ≤ ln 2 / 2 (ln 2 split in two parts), a degree-7 Taylor polynomial for
/// e^r, and 2^n put into the exponent bits.
#[inline(always)]
fn fast_exp_f32(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Round to nearest by adding and removing 1.5 · 2^23 (no call to roundf, which
    // baseline x86-64 and wasm lack as an instruction). No branches, so loops vectorise;
    // clamp keeps NaN, and NaN then flows through the polynomial.
    const SHIFT: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let shifted = x * std::f32::consts::LOG2_E + SHIFT;
    let n = shifted - SHIFT;
    let r = x - n * LN2_HI - n * LN2_LO;
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    // n is in [−126, 127] here, so 2^n is a normal f32. The integer n is read from the low
    // bits of 1.5 · 2^23 + n, not converted with `as i32`, whose saturating conversion
    // the compiler does not vectorise; both give the same n.
    let n_bits = shifted.to_bits().wrapping_sub(SHIFT.to_bits());
    f32::from_bits(n_bits.wrapping_add(127) << 23) * p
}

/// tanh(x) within ~1e-6 relative error: an odd Taylor polynomial near 0 (where
/// the exponential form would cancel), else (1 − e^{−2|x|}) / (1 + e^{−2|x|})
/// with the sign of x, which never overflows. Both are computed and one is
/// selected, so loops vectorise. NaN stays NaN.
#[inline(always)]
fn fast_tanh_f32<S: Isa>(x: f32) -> f32 {
    let a = x.abs();
    // x − x³/3 + 2x⁵/15; the next term, 17x⁷/315, is below 4e-9 |x| for |x| < 1/16.
    let x2 = x * x;
    let near_zero = x * (1.0 - x2 * (1.0 / 3.0 - x2 * (2.0 / 15.0)));
    let e = (-2.0 * a).exp_on::<S>();
    let far = ((1.0 - e) / (1.0 + e)).copysign(x);
    if a < 0.0625 {
        near_zero
    } else {
        far
    }
}

#[cfg(test)]
mod tests {
    use super::super::dispatch::{Avx2, Baseline};
    use super::{fast_exp_f32, fast_tanh_f32};

    /// Worst relative error of `f` against `exact` on a fine grid of [lo, hi].
    fn worst(f: fn(f32) -> f32, exact: fn(f64) -> f64, lo: f32, hi: f32) -> f64 {
        let mut worst: f64 = 0.0;
        let mut x = lo;
        while x <= hi {
            let e = exact(x as f64);
            worst = worst.max((f(x) as f64 - e).abs() / e.abs().max(1e-30));
            x += 1.37e-4 * (1.0 + x.abs() / 10.0);
        }
        worst
    }

    #[test]
    fn exp_matches_to_a_few_ulp_and_saturates() {
        let err = worst(fast_exp_f32, f64::exp, -87.0, 88.0);
        assert!(err < 4e-7, "worst relative error {err}");
        assert_eq!(fast_exp_f32(0.0), 1.0);
        assert!(fast_exp_f32(-1000.0) < 2e-38 && fast_exp_f32(f32::NEG_INFINITY) < 2e-38);
        assert!(fast_exp_f32(1000.0) > 1e38 && fast_exp_f32(f32::INFINITY).is_finite());
        assert!(fast_exp_f32(f32::NAN).is_nan());
    }

    #[test]
    fn exp_reads_the_same_power_of_two_as_a_conversion_would() {
        // 2^n from the bits of 1.5 · 2^23 + n against 2^n from `n as i32`: the same bits everywhere.
        let converted = |x: f32| {
            let x = x.clamp(-87.0, 88.0);
            let n = (x * std::f32::consts::LOG2_E + 12_582_912.0) - 12_582_912.0;
            let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
            let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
            f32::from_bits(((n as i32 + 127) as u32) << 23) * p
        };
        let mut x = -100.0f32;
        while x <= 100.0 {
            assert_eq!(fast_exp_f32(x).to_bits(), converted(x).to_bits(), "e^{x}");
            x += 7.7e-4;
        }
        for x in [f32::INFINITY, f32::NEG_INFINITY, f32::MAX, f32::MIN, -0.0, 1e-30] {
            assert_eq!(fast_exp_f32(x).to_bits(), converted(x).to_bits(), "e^{x}");
        }
    }

    #[test]
    fn tanh_matches_to_a_few_ulp_everywhere() {
        // With libm's exp (the native baseline) and with the polynomial one (the wide paths, wasm).
        for tanh in [fast_tanh_f32::<Baseline> as fn(f32) -> f32, fast_tanh_f32::<Avx2>] {
            let err = worst(tanh, f64::tanh, -20.0, 20.0);
            assert!(err < 2e-6, "worst relative error {err}");
            for tiny in [1e-30f32, -1e-20, 1e-7, 0.0] {
                assert_eq!(tanh(tiny), tiny);
            }
            assert_eq!(tanh(f32::INFINITY), 1.0);
            assert_eq!(tanh(f32::NEG_INFINITY), -1.0);
            assert!(tanh(f32::NAN).is_nan());
        }
    }
}
