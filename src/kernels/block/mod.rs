//! The two halves of a Transformer block, attention and MLP, as fused ops, and what they share: one op shape (x, packed weights, packed norms) and the arrays kept for backward.

pub(super) mod attention;
pub(super) mod mlp;

use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp3, DType, Layout, Shape, Tensor, WithDType};

use super::cpu::elements::{contiguous, with_elements};
use super::cpu::fast_math::KernelMath;
use super::cpu::threads::{fill, locked};
use crate::error::{Error, Result};

/// Every tensor flattened and laid end to end (one graph node; its gradient is cut back
/// into the pieces' gradients by candle).
fn packed(tensors: &[&Tensor]) -> Result<Tensor> {
    let flat = tensors.iter().map(|t| t.flatten_all()).collect::<candle_core::Result<Vec<_>>>()?;
    Ok(Tensor::cat(&flat, 0)?)
}

/// An error unless every tensor has the shape `dims`.
fn shaped(what: &str, tensors: &[&Tensor], dims: &[usize]) -> Result<()> {
    match tensors.iter().position(|t| t.dims() != dims) {
        Some(i) => Err(Error::other(format!("{what} {i} is {:?}, not {dims:?}", tensors[i].dims()))),
        None => Ok(()),
    }
}

/// A fused block half: y = f(x, weights, norms) with x (…, E), y shaped like x, and
/// every weight matrix (resp. norm vector) of the half packed into one 1-D tensor.
trait BlockKernel {
    /// The op's name in errors.
    const NAME: &'static str;

    /// An error naming the sizes if the three shapes do not fit together.
    fn check(&self, x: &Shape, weights: &Shape, norms: &Shape) -> candle_core::Result<()>;

    /// y, keeping what [`BlockKernel::backward`] needs.
    fn forward<T: KernelMath + WithDType>(&self, shape: &Shape, x: &[T], weights: &[T], norms: &[T]) -> candle_core::Result<Vec<T>>;

    /// (dx, d weights if `want_weights`, d norms) from dy, after a forward pass.
    #[allow(clippy::type_complexity, clippy::too_many_arguments)]
    fn backward<T: KernelMath + WithDType>(
        &self,
        shape: &Shape,
        x: &[T],
        weights: &[T],
        norms: &[T],
        dy: &[T],
        want_weights: bool,
    ) -> candle_core::Result<(Vec<T>, Option<Vec<T>>, Vec<T>)>;
}

/// A [`BlockKernel`] as a candle op.
struct BlockOp<K>(K);

impl<K: BlockKernel + Send + Sync> CustomOp3 for BlockOp<K> {
    fn name(&self) -> &'static str {
        K::NAME
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout, s3: &CpuStorage, l3: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        block_forward(&self.0, (s1, l1), (s2, l2), (s3, l3))
    }

    #[allow(clippy::type_complexity)]
    fn bwd(&self, x: &Tensor, w: &Tensor, norms: &Tensor, _res: &Tensor, dy: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        block_backward(&self.0, x, w, norms, dy)
    }
}

/// a + b, element by element (a residual sum, or two gradients of one array).
fn added<T: KernelMath>(a: &[T], b: &[T]) -> candle_core::Result<Vec<T>> {
    if a.len() != b.len() {
        candle_core::bail!("block: adding {} elements to {}", b.len(), a.len());
    }
    fill(a.len(), 1, |r, out| out.iter_mut().zip(&a[r.clone()]).zip(&b[r]).for_each(|((o, &a), &b)| *o = a + b))
}

/// The weights' gradients laid end to end as the weights are packed, if every one was computed.
fn packed_grads<T: Clone>(grads: Vec<Option<Vec<T>>>) -> Option<Vec<T>> {
    grads.into_iter().collect::<Option<Vec<_>>>().map(|g| g.concat())
}

/// [`BlockKernel::forward`] on candle's CPU storage (the op's `cpu_fwd`).
fn block_forward<K: BlockKernel>(k: &K, (s1, l1): (&CpuStorage, &Layout), (s2, l2): (&CpuStorage, &Layout), (s3, l3): (&CpuStorage, &Layout)) -> candle_core::Result<(CpuStorage, Shape)> {
    k.check(l1.shape(), l2.shape(), l3.shape())?;
    let (op, shape) = (K::NAME, l1.shape());
    let y = match (s1, s2, s3) {
        (CpuStorage::F32(x), CpuStorage::F32(w), CpuStorage::F32(g)) => CpuStorage::F32(k.forward(shape, contiguous(x, l1, op)?, contiguous(w, l2, op)?, contiguous(g, l3, op)?)?),
        (CpuStorage::F64(x), CpuStorage::F64(w), CpuStorage::F64(g)) => CpuStorage::F64(k.forward(shape, contiguous(x, l1, op)?, contiguous(w, l2, op)?, contiguous(g, l3, op)?)?),
        _ => candle_core::bail!("{op}: needs three F32 or three F64 tensors"),
    };
    Ok((y, shape.clone()))
}

/// [`BlockKernel::backward`] on tensors (the op's `bwd`): a gradient for each input that takes part in backprop.
#[allow(clippy::type_complexity)]
fn block_backward<K: BlockKernel>(k: &K, x: &Tensor, w: &Tensor, norms: &Tensor, dy: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
    k.check(x.shape(), w.shape(), norms.shape())?;
    let shape = x.shape();
    macro_rules! typed {
        ($t:ty) => {{
            let (dx, dw, dn) = with_elements::<$t, _>(x, |xs| {
                with_elements(w, |ws| with_elements(norms, |gs| with_elements(dy, |ds| k.backward(shape, xs, ws, gs, ds, w.track_op()))))
            })?;
            let dev = x.device();
            (Tensor::from_vec(dx, shape, dev)?, dw.map(|d| Tensor::from_vec(d, w.shape(), dev)).transpose()?, Tensor::from_vec(dn, norms.shape(), dev)?)
        }};
    }
    let (dx, dw, dn) = match x.dtype() {
        DType::F32 => typed!(f32),
        DType::F64 => typed!(f64),
        d => candle_core::bail!("{}: unsupported dtype {d:?}", K::NAME),
    };
    Ok((x.track_op().then_some(dx), dw, norms.track_op().then_some(dn)))
}

/// Arrays a fused op keeps from its forward pass for its backward pass, in either element type.
struct Kept(Mutex<Option<Vec<CpuStorage>>>);

impl Kept {
    fn new() -> Self {
        Kept(Mutex::new(None))
    }

    /// Keeps `arrays` (replacing those of an earlier forward pass).
    fn keep<T: WithDType, const N: usize>(&self, arrays: [Vec<T>; N], op: &str) -> candle_core::Result<()> {
        *locked(&self.0, op)? = Some(arrays.into_iter().map(T::to_cpu_storage_owned).collect());
        Ok(())
    }

    /// `f` of the kept arrays, borrowed; an error if nothing (or something else) was kept.
    fn with<T: WithDType, R, const N: usize>(&self, op: &str, f: impl FnOnce([&[T]; N]) -> candle_core::Result<R>) -> candle_core::Result<R> {
        let guard = locked(&self.0, op)?;
        let Some(arrays) = guard.as_ref().filter(|a| a.len() == N) else { candle_core::bail!("{op}: backward before forward") };
        let slices = arrays.iter().map(|a| a.as_slice::<T>()).collect::<candle_core::Result<Vec<_>>>()?;
        match slices.try_into() {
            Ok(slices) => f(slices),
            Err(_) => candle_core::bail!("{op}: backward before forward"),
        }
    }
}
