//! GELU(x·W) as one candle op: the wide pre-activation stays inside the op instead of being a graph node.
//!
//! As two ops, the (rows, 4E) product was a node whose gradient candle zero-fills
//! and accumulates, and the GELU backward copied it out again; here the backward
//! reads the kept pre-activation in place and goes straight to dx and dW.

use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp2, DType, Layout, Shape, Tensor, WithDType};

use super::dense_kernel::{self, Dense};
use super::elements::{inputs, with_elements};
use super::fast_math::KernelMath;
use super::gelu_kernel::{slope, value};
use super::kernel_threads::locked;

/// (R, in) · (in, out) → GELU of each entry, (R, out). The product is kept for backward.
pub(super) struct DenseGelu {
    pre: Mutex<Option<CpuStorage>>,
}

impl DenseGelu {
    pub(super) fn new() -> Self {
        DenseGelu { pre: Mutex::new(None) }
    }

    fn lock(&self) -> candle_core::Result<std::sync::MutexGuard<'_, Option<CpuStorage>>> {
        locked(&self.pre, "dense-gelu")
    }

    fn run<T: KernelMath + WithDType>(&self, x: &[T], w: &[T], rows: usize, inner: usize, out: usize) -> candle_core::Result<Vec<T>> {
        let z = dense_kernel::forward(x, w, None, rows, inner, out)?;
        let y = z.iter().map(|&v| value(v)).collect();
        *self.lock()? = Some(T::to_cpu_storage_owned(z));
        Ok(y)
    }
}

/// dL/dz = dL/dy · GELU'(z), element by element.
fn pre_grad<T: KernelMath + WithDType>(z: &[T], grad: &Tensor) -> candle_core::Result<Tensor> {
    let dz: Vec<T> = with_elements::<T, _>(grad, |g| Ok(z.iter().zip(g).map(|(&v, &g)| g * slope(v)).collect()))?;
    Tensor::from_vec(dz, grad.shape(), grad.device())
}

impl CustomOp2 for DenseGelu {
    fn name(&self) -> &'static str {
        "dense-gelu"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (rows, inner, out) = Dense::check(l1, l2, None)?;
        let storage = match s1 {
            CpuStorage::F32(_) => {
                let (x, w, _) = inputs::<f32>((s1, l1), (s2, l2), None, self.name())?;
                CpuStorage::F32(self.run(x, w, rows, inner, out)?)
            }
            CpuStorage::F64(_) => {
                let (x, w, _) = inputs::<f64>((s1, l1), (s2, l2), None, self.name())?;
                CpuStorage::F64(self.run(x, w, rows, inner, out)?)
            }
            _ => candle_core::bail!("dense-gelu: needs F32 or F64 tensors"),
        };
        Ok((storage, Shape::from((rows, out))))
    }

    fn bwd(&self, x: &Tensor, w: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let dz = {
            let guard = self.lock()?;
            match (x.dtype(), guard.as_ref()) {
                (DType::F32, Some(CpuStorage::F32(z))) => pre_grad(z, grad)?,
                (DType::F64, Some(CpuStorage::F64(z))) => pre_grad(z, grad)?,
                (_, None) => candle_core::bail!("dense-gelu: backward before forward"),
                (d, _) => candle_core::bail!("dense-gelu: unsupported dtype {d:?}"),
            }
        };
        Dense::grads(x, w, &dz)
    }
}
