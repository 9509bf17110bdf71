//! A bounds-checked matrix multiply-accumulate on strided slices (for the fused kernels).

use num_traits::Float;

/// A matrix inside a slice: element (i, j) is `data[i * rs + j * cs]`.
#[derive(Clone, Copy)]
pub(crate) struct Mat<'a, T> {
    pub data: &'a [T],
    pub rs: usize,
    pub cs: usize,
}

fn fits(len: usize, rows: usize, cols: usize, rs: usize, cs: usize) -> bool {
    rows == 0 || cols == 0 || (rows - 1) * rs + (cols - 1) * cs < len
}

#[cfg(test)]
thread_local! {
    /// Multiply-adds of the products run on this thread (test builds only: checks of the counted work).
    static MULTIPLY_ADDS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Multiply-adds of every product [`matmul`] ran on this thread so far (test builds only).
#[cfg(test)]
pub(crate) fn multiply_adds() -> u64 {
    MULTIPLY_ADDS.with(|c| c.get())
}

/// Products at least this large (m·n·k) are split over candle's threads natively.
const PARALLEL_WORK: usize = 1 << 20;

/// How gemm may split an m·n·k product: over candle's threads natively when it is
/// large (the CLI keeps candle at one thread), never in wasm.
fn parallelism(work: usize) -> gemm::Parallelism {
    #[cfg(not(target_arch = "wasm32"))]
    match candle_core::utils::get_num_threads() {
        threads if threads > 1 && work >= PARALLEL_WORK => gemm::Parallelism::Rayon(threads),
        _ => gemm::Parallelism::None,
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = (work, PARALLEL_WORK);
        gemm::Parallelism::None
    }
}

/// dst (m × n, row stride `dst_rs`) = [dst +] lhs (m × k) · rhs (k × n).
#[allow(clippy::too_many_arguments)]
pub(crate) fn matmul<T: Float + 'static>(
    m: usize,
    n: usize,
    k: usize,
    dst: &mut [T],
    dst_rs: usize,
    accumulate: bool,
    lhs: Mat<T>,
    rhs: Mat<T>,
) -> candle_core::Result<()> {
    if !(fits(dst.len(), m, n, dst_rs, 1) && fits(lhs.data.len(), m, k, lhs.rs, lhs.cs) && fits(rhs.data.len(), k, n, rhs.rs, rhs.cs)) {
        candle_core::bail!("matmul: a {m}×{k}·{k}×{n} product does not fit its buffers");
    }
    if m == 0 || n == 0 {
        return Ok(());
    }
    if k == 0 {
        if !accumulate {
            dst.iter_mut().for_each(|x| *x = T::zero());
        }
        return Ok(());
    }
    #[cfg(test)]
    MULTIPLY_ADDS.with(|c| c.set(c.get() + (m * n * k) as u64));
    // SAFETY: every index gemm touches, (rows − 1)·rs + (cols − 1)·cs at most,
    // was checked above to lie inside its slice; dst is exclusively borrowed and
    // cannot alias lhs or rhs. T is f32 or f64 (callers only use those).
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            dst_rs as isize,
            accumulate,
            lhs.data.as_ptr(),
            lhs.cs as isize,
            lhs.rs as isize,
            rhs.data.as_ptr(),
            rhs.cs as isize,
            rhs.rs as isize,
            T::one(),
            T::one(),
            false,
            false,
            false,
            parallelism(m * n * k),
        );
    }
    Ok(())
}
