//! Running a fused kernel's independent parts on several cores (natively), with results that never depend on the core count.
//!
//! A kernel splits its work into a fixed number of parts chosen from the problem size
//! alone and combines their results in part order; only *where* the parts run depends
//! on the cores. So the numbers are the same on 1, 2 or 16 cores, and in wasm.

use std::cell::Cell;

thread_local! {
    /// Threads a kernel called from this thread may use; 0 = one per core.
    static LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// Sets the threads of kernels called from the current thread natively: 0 = one per core
/// (the default), 1 = run parts in turn, n = up to n threads even past the core count
/// (so a test can compare one thread with several on a one-core machine). The experiment
/// runner sets this in each of its job threads so jobs and kernels together do not
/// oversubscribe the cores. No number depends on it; wasm always runs parts in turn.
pub fn set_kernel_threads(threads: usize) {
    LIMIT.with(|l| l.set(threads));
}

/// Threads a kernel may use now: the limit of [`set_kernel_threads`], or one per core.
pub(crate) fn available() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        match LIMIT.with(|l| l.get()) {
            // Asked once: the question reads the cgroup files, a few percent of a small step.
            0 => {
                static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
                *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            }
            limit => limit,
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

/// Runs `part(0..parts)` and returns the results in part order: concurrently on up to
/// the available threads natively, in turn otherwise.
pub(crate) fn run_parts<R: Send>(parts: usize, part: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let threads = available().min(parts);
    if threads <= 1 {
        return (0..parts).map(&part).collect();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let part = &part;
        std::thread::scope(|scope| {
            // Part p runs on thread p mod threads; this thread takes its share too.
            let handles: Vec<_> = (1..threads)
                .map(|first| scope.spawn(move || (first..parts).step_by(threads).map(|p| (p, part(p))).collect::<Vec<_>>()))
                .collect();
            let mut done: Vec<(usize, R)> = (0..parts).step_by(threads).map(|p| (p, part(p))).collect();
            for h in handles {
                match h.join() {
                    Ok(more) => done.extend(more),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            done.sort_by_key(|(p, _)| *p);
            done.into_iter().map(|(_, r)| r).collect()
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        (0..parts).map(&part).collect()
    }
}

/// `m` locked; a lock poisoned by a panicking part becomes an error of `op`, not a panic.
pub(crate) fn locked<'a, T>(m: &'a std::sync::Mutex<T>, op: &str) -> candle_core::Result<std::sync::MutexGuard<'a, T>> {
    m.lock().map_err(|_| candle_core::Error::Msg(format!("{op}: poisoned lock")))
}

/// `buf` cut at the `ranges` (in items of `stride` elements each), one lockable piece per
/// part, so [`run_parts`] can hand each part its own output.
pub(crate) fn pieces<'a, T>(buf: &'a mut [T], ranges: &[std::ops::Range<usize>], stride: usize) -> Vec<std::sync::Mutex<&'a mut [T]>> {
    let mut rest = buf;
    let mut out = Vec::with_capacity(ranges.len());
    for r in ranges {
        let (piece, tail) = std::mem::take(&mut rest).split_at_mut(r.len() * stride);
        out.push(std::sync::Mutex::new(piece));
        rest = tail;
    }
    out
}

/// Two partial sums of each part (say a weight's and a bias's gradient, either
/// absent), each summed over the parts in part order; the first part's stays as it is.
pub(crate) type PartSums<T> = (Option<Vec<T>>, Option<Vec<T>>);

/// Sums [`PartSums`] of every part in part order (the first error wins).
pub(crate) fn sum_parts<T: num_traits::Float>(parts: Vec<candle_core::Result<PartSums<T>>>) -> candle_core::Result<PartSums<T>> {
    let (mut a, mut b) = (None, None);
    for part in parts {
        let (pa, pb) = part?;
        add_into(&mut a, pa);
        add_into(&mut b, pb);
    }
    Ok((a, b))
}

fn add_into<T: num_traits::Float>(sum: &mut Option<Vec<T>>, more: Option<Vec<T>>) {
    match (sum.as_mut(), more) {
        (Some(sum), Some(more)) => sum.iter_mut().zip(more).for_each(|(s, m)| *s = *s + m),
        (None, more) => *sum = more,
        (Some(_), None) => {}
    }
}

/// Multiply-adds (about) from which a kernel of independent rows cuts them over the cores.
const ROW_SPLIT_WORK: usize = 1 << 20;

/// Ranges of `rows` rows that do not interact (each row's result depends on that row
/// alone), one range per available thread when the kernel's `work` (about its multiply-adds)
/// is worth a thread. Unlike a sum over rows, such rows give the same numbers however
/// they are cut, so here the cut may follow the cores.
pub(crate) fn independent_rows(rows: usize, work: usize) -> Vec<std::ops::Range<usize>> {
    split(rows, if work < ROW_SPLIT_WORK { 1 } else { available() })
}

/// Runs `f(part, rows, piece)` for each of the `ranges`, with `out` cut at them ([`pieces`]),
/// on the available threads; the results come back in part order, the first error wins.
pub(crate) fn on_pieces<T: Send, R: Send>(
    out: &mut [T],
    stride: usize,
    ranges: &[std::ops::Range<usize>],
    op: &str,
    f: impl Fn(usize, std::ops::Range<usize>, &mut [T]) -> candle_core::Result<R> + Sync,
) -> candle_core::Result<Vec<R>> {
    let chunks = pieces(out, ranges, stride);
    run_parts(ranges.len(), |p| f(p, ranges[p].clone(), &mut locked(&chunks[p], op)?)).into_iter().collect()
}

/// A new buffer of `len` elements filled by `f(range, piece)` piece by piece, cut over the
/// cores when it is long (`cost`: about the multiply-adds of one element).
pub(crate) fn fill<T: Copy + Send + Default>(len: usize, cost: usize, f: impl Fn(std::ops::Range<usize>, &mut [T]) + Sync) -> candle_core::Result<Vec<T>> {
    let mut out = vec![T::default(); len];
    on_pieces(&mut out, 1, &independent_rows(len, len * cost), "element-wise", |_, r, o| {
        f(r, o);
        Ok(())
    })?;
    Ok(out)
}

/// Contiguous ranges splitting `n` items into `parts` near-equal pieces.
pub(crate) fn split(n: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let parts = parts.clamp(1, n.max(1));
    (0..parts).map(|p| (p * n / parts)..((p + 1) * n / parts)).collect()
}

#[cfg(test)]
mod tests {
    use super::{run_parts, set_kernel_threads, split};

    #[test]
    fn parts_come_back_in_order_whatever_the_thread_limit() {
        for limit in [0, 1, 2, 3] {
            set_kernel_threads(limit);
            assert_eq!(run_parts(7, |p| p * p), vec![0, 1, 4, 9, 16, 25, 36]);
        }
        set_kernel_threads(0);
    }

    #[test]
    fn splits_cover_every_item_once() {
        assert_eq!(split(10, 3), vec![0..3, 3..6, 6..10]);
        assert_eq!(split(2, 4), vec![0..1, 1..2]);
        assert_eq!(split(0, 2), vec![0..0]);
    }
}
