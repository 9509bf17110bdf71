//! Causal softmax as one fused candle op: masks future positions and normalises rows, with its backward.

use candle_core::{CpuStorage, CustomOp1, DType, Layout, Shape, Tensor};
use num_traits::Float;

/// (…, T, T) attention scores → row-wise softmax over columns j ≤ i (row i);
/// entries above the diagonal are exactly 0.
pub(super) struct CausalSoftmax;

impl CustomOp1 for CausalSoftmax {
    fn name(&self) -> &'static str {
        "causal-softmax"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let dims = l.dims();
        let t = *dims.last().unwrap_or(&0);
        if dims.len() < 2 || dims[dims.len() - 2] != t {
            candle_core::bail!("causal-softmax: needs (…, T, T) scores, got {dims:?}");
        }
        let Some((start, end)) = l.contiguous_offsets() else {
            candle_core::bail!("causal-softmax: scores must be contiguous");
        };
        let out = match s {
            CpuStorage::F32(x) => CpuStorage::F32(forward(&x[start..end], t)),
            CpuStorage::F64(x) => CpuStorage::F64(forward(&x[start..end], t)),
            _ => candle_core::bail!("causal-softmax: needs F32 or F64"),
        };
        Ok((out, l.shape().clone()))
    }

    fn bwd(&self, _arg: &Tensor, res: &Tensor, grad: &Tensor) -> candle_core::Result<Option<Tensor>> {
        let t = res.dim(candle_core::D::Minus1)?;
        let g = match res.dtype() {
            DType::F32 => Tensor::from_vec(backward::<f32>(&flat(res)?, &flat(grad)?, t), res.shape(), res.device())?,
            DType::F64 => Tensor::from_vec(backward::<f64>(&flat(res)?, &flat(grad)?, t), res.shape(), res.device())?,
            d => candle_core::bail!("causal-softmax: unsupported dtype {d:?}"),
        };
        Ok(Some(g))
    }
}

fn flat<T: candle_core::WithDType>(t: &Tensor) -> candle_core::Result<Vec<T>> {
    t.flatten_all()?.to_vec1::<T>()
}

fn forward<T: Float>(x: &[T], t: usize) -> Vec<T> {
    let mut out = vec![T::zero(); x.len()];
    for (row_index, (xr, or)) in x.chunks(t).zip(out.chunks_mut(t)).enumerate() {
        let live = row_index % t + 1; // row i sees columns 0..=i
        let max = xr[..live].iter().copied().fold(T::neg_infinity(), T::max);
        let mut sum = T::zero();
        for (o, &v) in or[..live].iter_mut().zip(&xr[..live]) {
            *o = (v - max).exp();
            sum = sum + *o;
        }
        or[..live].iter_mut().for_each(|o| *o = *o / sum);
    }
    out
}

/// dS = P ⊙ (dP − Σ_j P_j dP_j), row by row.
fn backward<T: Float>(p: &[T], g: &[T], t: usize) -> Vec<T> {
    let mut out = vec![T::zero(); p.len()];
    for (row_index, ((pr, gr), or)) in p.chunks(t).zip(g.chunks(t)).zip(out.chunks_mut(t)).enumerate() {
        let live = row_index % t + 1;
        let dot = pr[..live].iter().zip(&gr[..live]).fold(T::zero(), |s, (&a, &b)| s + a * b);
        for ((o, &pv), &gv) in or[..live].iter_mut().zip(&pr[..live]).zip(&gr[..live]) {
            *o = pv * (gv - dot);
        }
    }
    out
}
