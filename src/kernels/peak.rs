//! The machine's measured limit: a large square f32 matrix product through the engine's own dense path, best of several timings.
//!
//! The product runs as the engine's big products do ([`super::dense`]'s forward pass): cut
//! into row parts by its size alone, the parts on several cores natively and in turn in
//! wasm, each part one call of the gemm wrapper. The clock is the caller's, so the same
//! code times itself natively and in a browser.

use serde::Serialize;

use super::cpu::threads::available;
use super::dense;
use crate::error::{Error, Result};

/// Smallest and largest side of the timed product.
pub const PEAK_SIZES: std::ops::RangeInclusive<usize> = 64..=4096;
/// Side of the timed product by default: large enough to be compute bound (about 10⁹ multiply-adds).
pub const DEFAULT_PEAK_SIZE: usize = 1024;
/// Most timed repetitions.
pub const MAX_PEAK_REPS: usize = 1000;

/// The best timing of an n × n by n × n f32 product.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Peak {
    /// Multiply-adds per second of the fastest repetition, in units of 10⁹.
    pub gmacs: f64,
    /// The same in floating-point operations (2 per multiply-add), in units of 10⁹ per second.
    pub gflops: f64,
    /// Side n of the product.
    pub size: usize,
    /// Milliseconds of the fastest repetition.
    pub ms: f64,
    /// Timed repetitions (after one untimed).
    pub reps: usize,
    /// Row parts of the product run at once: one per core up to the parts its size gives; 1 in wasm.
    pub threads: usize,
    /// Threads gemm itself may use inside each part (candle's thread count natively; 1 in wasm).
    pub gemm_threads: usize,
}

/// Times `reps` products of side `size` (after one untimed) with the clock `now_ms`
/// (milliseconds from any origin) and returns the fastest.
pub fn measure_peak(size: usize, reps: usize, now_ms: impl Fn() -> f64) -> Result<Peak> {
    if !PEAK_SIZES.contains(&size) {
        return Err(Error::invalid("size", size, format!("an integer in {}..={}", PEAK_SIZES.start(), PEAK_SIZES.end())));
    }
    if !(1..=MAX_PEAK_REPS).contains(&reps) {
        return Err(Error::invalid("reps", reps, format!("an integer in 1..={MAX_PEAK_REPS}")));
    }
    let n = size;
    // Small exact values (multiples of 1/16 in −0.5..0.5): no denormals, nothing special-cased.
    let a: Vec<f32> = (0..n * n).map(|i| ((i * 7 + 3) % 17) as f32 / 16.0 - 0.5).collect();
    let b: Vec<f32> = (0..n * n).map(|i| ((i * 5 + 1) % 13) as f32 / 16.0 - 0.375).collect();
    let run = || dense::forward(&a, &b, None, n, n, n).map(|y| std::hint::black_box(y[n * n - 1]));
    run()?;
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let start = now_ms();
        run()?;
        best = best.min(now_ms() - start);
    }
    let macs = (n as f64).powi(3);
    let gmacs = macs / (best.max(1e-6) * 1e-3) / 1e9;
    let parts = dense::row_parts(n, n, n).len();
    Ok(Peak { gmacs, gflops: 2.0 * gmacs, size: n, ms: best, reps, threads: available().min(parts), gemm_threads: gemm_threads() })
}

/// Threads gemm may use inside one product: candle's count natively, 1 in wasm.
fn gemm_threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        candle_core::utils::get_num_threads()
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::measure_peak;

    #[test]
    fn a_peak_is_positive_and_bad_sizes_are_refused() {
        let clock = std::time::Instant::now();
        let peak = measure_peak(64, 2, || clock.elapsed().as_secs_f64() * 1e3).unwrap();
        assert!(peak.gmacs > 0.0 && peak.gflops == 2.0 * peak.gmacs && peak.ms > 0.0, "{peak:?}");
        assert!(peak.threads >= 1 && peak.size == 64 && peak.reps == 2);
        for (size, reps, field) in [(63, 1, "size"), (4097, 1, "size"), (64, 0, "reps")] {
            let err = measure_peak(size, reps, || 0.0).unwrap_err().to_string();
            assert!(err.contains(field) && err.contains("an integer in"), "{err}");
        }
    }
}
