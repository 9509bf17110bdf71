//! A kernel's view of tensor elements where they lie: contiguous slices of CPU storage, borrowed, not copied.

use candle_core::{CpuStorage, Layout, Storage, Tensor, WithDType};

/// The elements a contiguous `layout` covers in `data`; `op` names the kernel in the error.
pub(crate) fn contiguous<'a, T>(data: &'a [T], layout: &Layout, op: &str) -> candle_core::Result<&'a [T]> {
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&data[start..end]),
        None => candle_core::bail!("{op}: inputs must be contiguous"),
    }
}

/// The contiguous elements of a kernel's inputs x and w and its optional third input b, all
/// of element type T (a mismatch is an error); `op` names the kernel in errors.
#[allow(clippy::type_complexity)]
pub(crate) fn inputs<'a, T: WithDType>(
    x: (&'a CpuStorage, &Layout),
    w: (&'a CpuStorage, &Layout),
    b: Option<(&'a CpuStorage, &Layout)>,
    op: &str,
) -> candle_core::Result<(&'a [T], &'a [T], Option<&'a [T]>)> {
    let elements = |(s, l): (&'a CpuStorage, &Layout)| contiguous(s.as_slice::<T>()?, l, op);
    Ok((elements(x)?, elements(w)?, b.map(elements).transpose()?))
}

/// Calls `f` with the elements of `t` in row-major order: borrowed from its CPU
/// storage when `t` is contiguous (a backward pass's usual case), else copied.
/// `f` must not run tensor ops on `t` (its storage is read-locked meanwhile).
pub(crate) fn with_elements<T: WithDType, R>(t: &Tensor, f: impl FnOnce(&[T]) -> candle_core::Result<R>) -> candle_core::Result<R> {
    {
        let (storage, layout) = t.storage_and_layout();
        if let (Storage::Cpu(cpu), Some((start, end))) = (&*storage, layout.contiguous_offsets()) {
            return f(&cpu.as_slice::<T>()?[start..end]);
        }
    }
    f(&t.flatten_all()?.to_vec1::<T>()?)
}
