//! GELU (tanh approximation, as the reference library uses) as one fused candle op with its derivative.

use candle_core::{CpuStorage, CustomOp1, DType, Layout, Shape, Tensor};
use num_traits::Float;

use super::cpu::dispatch::{simd_kernel, Isa};
use super::cpu::elements::with_elements;
use super::cpu::fast_math::KernelMath;
use super::cpu::threads::fill;
use crate::error::Result;

/// GELU of every element of `x` through the fused op.
pub fn gelu(x: &Tensor) -> Result<Tensor> {
    Ok(x.contiguous()?.apply_op1(Gelu)?)
}

/// y = x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³))), element-wise.
struct Gelu;

const C: f64 = 0.044_715;

impl CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "gelu-tanh"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let Some((start, end)) = l.contiguous_offsets() else {
            candle_core::bail!("gelu: input must be contiguous");
        };
        let out = match s {
            CpuStorage::F32(x) => CpuStorage::F32(values(&x[start..end])?),
            CpuStorage::F64(x) => CpuStorage::F64(values(&x[start..end])?),
            _ => candle_core::bail!("gelu: needs F32 or F64"),
        };
        Ok((out, l.shape().clone()))
    }

    fn bwd(&self, arg: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<Option<Tensor>> {
        let g = match arg.dtype() {
            DType::F32 => slope_times::<f32>(arg, grad)?,
            DType::F64 => slope_times::<f64>(arg, grad)?,
            d => candle_core::bail!("gelu: unsupported dtype {d:?}"),
        };
        Ok(Some(g))
    }
}

fn consts<T: Float>() -> (T, T) {
    (T::from((2.0 / std::f64::consts::PI).sqrt()).unwrap_or(T::one()), T::from(C).unwrap_or(T::zero()))
}

/// GELU of one value (always inlined, so the loops over arrays vectorise).
#[inline(always)]
fn value<T: KernelMath, S: Isa>(x: T) -> T {
    let (k, c) = consts::<T>();
    let half = T::from(0.5).unwrap_or(T::one());
    half * x * (T::one() + (k * (x + c * x * x * x)).tanh_on::<S>())
}

/// dy/dx = ½(1 + t) + ½ x (1 − t²) · k (1 + 3c x²), with t = tanh(k (x + c x³)); always inlined, as [`value`].
#[inline(always)]
fn slope<T: KernelMath, S: Isa>(x: T) -> T {
    let (k, c) = consts::<T>();
    let half = T::from(0.5).unwrap_or(T::one());
    let three = T::from(3.0).unwrap_or(T::one());
    let t = (k * (x + c * x * x * x)).tanh_on::<S>();
    half * (T::one() + t) + half * x * (T::one() - t * t) * k * (T::one() + three * c * x * x)
}

/// GELU's slope at every element of `arg`, times the incoming gradient.
fn slope_times<T: KernelMath + candle_core::WithDType>(arg: &Tensor, grad: &Tensor) -> candle_core::Result<Tensor> {
    with_elements::<T, _>(arg, |xs| slope_times_of(xs, grad))
}

/// GELU's slope at every element of `z` (a fused op's kept pre-activation), times the
/// incoming gradient `grad` of the same shape: dL/dz = dL/dy · GELU'(z).
pub(super) fn slope_times_of<T: KernelMath + candle_core::WithDType>(z: &[T], grad: &Tensor) -> candle_core::Result<Tensor> {
    let out: Vec<T> = with_elements::<T, _>(grad, |gs| slopes_times(z, gs))?;
    Tensor::from_vec(out, grad.shape(), grad.device())
}

/// About the multiply-adds of one GELU value and of one slope (for cutting long arrays over the cores).
const VALUE_COST: usize = 16;
const SLOPE_COST: usize = 24;

/// GELU of every element of `z`.
pub(super) fn values<T: KernelMath>(z: &[T]) -> candle_core::Result<Vec<T>> {
    fill(z.len(), VALUE_COST, |r, o| values_into(&z[r], o))
}

simd_kernel! {
    /// GELU of each element of `z` into `out`.
    fn values_into<T, S>(z: &[T], out: &mut [T]) {
        out.iter_mut().zip(z).for_each(|(o, &x)| *o = value::<T, S>(x))
    }
}

simd_kernel! {
    /// g ⊙ GELU'(z) into `out`, element by element.
    fn slopes_into<T, S>(z: &[T], g: &[T], out: &mut [T]) {
        out.iter_mut().zip(z).zip(g).for_each(|((o, &x), &g)| *o = g * slope::<T, S>(x))
    }
}

/// g ⊙ GELU'(z), element by element.
pub(super) fn slopes_times<T: KernelMath>(z: &[T], g: &[T]) -> candle_core::Result<Vec<T>> {
    if z.len() != g.len() {
        candle_core::bail!("gelu: {} values but {} gradients", z.len(), g.len());
    }
    fill(z.len(), SLOPE_COST, |r, o| slopes_into(&z[r.clone()], &g[r], o))
}
