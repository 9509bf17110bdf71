//! The Transformer's MLP, GELU(x·W₁)·W₂, as one candle op: its wide activations stay inside the op.
//!
//! As a GELU-dense op followed by a dense op, the (rows, wide) activation would be a graph
//! node: candle would zero-fill a buffer for its gradient and add the dense op's gradient
//! into it. Here both wide arrays are kept in the op, and the backward pass goes from dy
//! through dh and dz to dx, dW₁ and dW₂ without leaving it.

use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp3, DType, Device, Layout, Shape, Tensor, WithDType};

use super::cpu::elements::{contiguous, inputs};
use super::cpu::fast_math::KernelMath;
use super::cpu::threads::locked;
use super::dense::{self, over_rows, Dense};
use super::gelu::{slope_times_of, values};
use crate::error::Result;

/// The MLP GELU(x · W₁) · W₂ over the last axis of x, as the one fused [`Mlp`] op.
pub fn mlp(x: &Tensor, w1: &Tensor, w2: &Tensor) -> Result<Tensor> {
    let w2 = w2.contiguous()?;
    over_rows(x, w1, |x, w1| x.apply_op3(w1, &w2, Mlp::new()))
}

/// (R, in) · (in, wide) → GELU → · (wide, out) → (R, out). Keeps the pre-activation z and
/// the activation h = GELU(z) for backward.
struct Mlp {
    kept: Mutex<Option<(CpuStorage, Tensor)>>,
}

impl Mlp {
    fn new() -> Self {
        Mlp { kept: Mutex::new(None) }
    }

    #[allow(clippy::too_many_arguments)]
    fn run<T: KernelMath + WithDType>(&self, x: &[T], w1: &[T], w2: &[T], rows: usize, inner: usize, wide: usize, out: usize) -> candle_core::Result<Vec<T>> {
        let z = dense::forward(x, w1, None, rows, inner, wide)?;
        let h = values(&z)?;
        let y = dense::forward(&h, w2, None, rows, wide, out)?;
        *locked(&self.kept, "mlp")? = Some((T::to_cpu_storage_owned(z), Tensor::from_vec(h, (rows, wide), &Device::Cpu)?));
        Ok(y)
    }
}

impl CustomOp3 for Mlp {
    fn name(&self) -> &'static str {
        "mlp"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout, s3: &CpuStorage, l3: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (rows, inner, wide) = Dense::check(l1, l2, None)?;
        let (w2_in, out) = l3.shape().dims2()?;
        if w2_in != wide {
            candle_core::bail!("mlp: w1 {:?} and w2 {:?} do not match", l2.dims(), l3.dims());
        }
        macro_rules! typed {
            ($t:ty, $variant:ident) => {{
                let (x, w1, _) = inputs::<$t>((s1, l1), (s2, l2), None, self.name())?;
                let w2 = contiguous(s3.as_slice::<$t>()?, l3, self.name())?;
                CpuStorage::$variant(self.run(x, w1, w2, rows, inner, wide, out)?)
            }};
        }
        let storage = match s1 {
            CpuStorage::F32(_) => typed!(f32, F32),
            CpuStorage::F64(_) => typed!(f64, F64),
            _ => candle_core::bail!("mlp: needs F32 or F64 tensors"),
        };
        Ok((storage, Shape::from((rows, out))))
    }

    #[allow(clippy::type_complexity)]
    fn bwd(&self, x: &Tensor, w1: &Tensor, w2: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let guard = locked(&self.kept, "mlp")?;
        let Some((z, h)) = guard.as_ref() else { candle_core::bail!("mlp: backward before forward") };
        // dh = dy·W₂ᵀ and dW₂ = hᵀ·dy; then dz = dh ⊙ GELU'(z); then dx and dW₁ from dz.
        let (dh, dw2) = Dense::inner_grads(h, w2, grad)?;
        let Some(dh) = dh else { candle_core::bail!("mlp: no gradient for the activation") };
        let dz = match (x.dtype(), z) {
            (DType::F32, CpuStorage::F32(z)) => slope_times_of(z, &dh)?,
            (DType::F64, CpuStorage::F64(z)) => slope_times_of(z, &dh)?,
            (d, _) => candle_core::bail!("mlp: unsupported dtype {d:?}"),
        };
        let (dx, dw1) = Dense::grads(x, w1, &dz)?;
        Ok((dx, dw1, dw2))
    }
}
