//! LayerNorm with a scale as one fused candle op (normalise each row over its last axis), with its backward.

use candle_core::{CpuStorage, CustomOp2, DType, Layout, Shape, Tensor};
use num_traits::Float;

/// (…, D) rows x and a (D) scale g → (x − mean) / √(var + ε) · g, row by row.
pub(super) struct ScaledNorm {
    pub eps: f64,
}

impl CustomOp2 for ScaledNorm {
    fn name(&self) -> &'static str {
        "scaled-layer-norm"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let d = *l1.dims().last().unwrap_or(&0);
        if l2.dims() != [d] || d == 0 {
            candle_core::bail!("scaled-layer-norm: x {:?} and scale {:?} do not match", l1.dims(), l2.dims());
        }
        let (Some((a, b)), Some((c, e))) = (l1.contiguous_offsets(), l2.contiguous_offsets()) else {
            candle_core::bail!("scaled-layer-norm: inputs must be contiguous");
        };
        let out = match (s1, s2) {
            (CpuStorage::F32(x), CpuStorage::F32(g)) => CpuStorage::F32(forward(&x[a..b], &g[c..e], self.eps)),
            (CpuStorage::F64(x), CpuStorage::F64(g)) => CpuStorage::F64(forward(&x[a..b], &g[c..e], self.eps)),
            _ => candle_core::bail!("scaled-layer-norm: needs two F32 or two F64 tensors"),
        };
        Ok((out, l1.shape().clone()))
    }

    fn bwd(&self, x: &Tensor, g: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        macro_rules! run {
            ($t:ty) => {{
                let (dx, dg) = backward::<$t>(&x.flatten_all()?.to_vec1()?, &g.to_vec1()?, &grad.flatten_all()?.to_vec1()?, self.eps);
                (Tensor::from_vec(dx, x.shape(), x.device())?, Tensor::from_vec(dg, g.shape(), g.device())?)
            }};
        }
        let (dx, dg) = match x.dtype() {
            DType::F32 => run!(f32),
            DType::F64 => run!(f64),
            d => candle_core::bail!("scaled-layer-norm: unsupported dtype {d:?}"),
        };
        Ok((x.track_op().then_some(dx), g.track_op().then_some(dg)))
    }
}

/// Mean and 1/√(var + ε) of one row.
fn stats<T: Float>(row: &[T], eps: f64) -> (T, T) {
    let n = T::from(row.len()).unwrap_or(T::one());
    let mean = row.iter().fold(T::zero(), |s, &v| s + v) / n;
    let var = row.iter().fold(T::zero(), |s, &v| s + (v - mean) * (v - mean)) / n;
    (mean, T::one() / (var + T::from(eps).unwrap_or(T::zero())).sqrt())
}

fn forward<T: Float>(x: &[T], g: &[T], eps: f64) -> Vec<T> {
    let d = g.len();
    let mut out = vec![T::zero(); x.len()];
    for (xr, or) in x.chunks(d).zip(out.chunks_mut(d)) {
        let (mean, inv) = stats(xr, eps);
        for ((o, &v), &s) in or.iter_mut().zip(xr).zip(g) {
            *o = (v - mean) * inv * s;
        }
    }
    out
}

/// dx = inv · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)) with ĝ = dy ⊙ g; dg = Σ_rows dy ⊙ x̂.
fn backward<T: Float>(x: &[T], g: &[T], dy: &[T], eps: f64) -> (Vec<T>, Vec<T>) {
    let d = g.len();
    let n = T::from(d).unwrap_or(T::one());
    let mut dx = vec![T::zero(); x.len()];
    let mut dg = vec![T::zero(); d];
    let mut xhat = vec![T::zero(); d];
    for ((xr, dyr), dxr) in x.chunks(d).zip(dy.chunks(d)).zip(dx.chunks_mut(d)) {
        let (mean, inv) = stats(xr, eps);
        let (mut sum_gh, mut sum_gh_xh) = (T::zero(), T::zero());
        for j in 0..d {
            xhat[j] = (xr[j] - mean) * inv;
            let gh = dyr[j] * g[j];
            sum_gh = sum_gh + gh;
            sum_gh_xh = sum_gh_xh + gh * xhat[j];
            dg[j] = dg[j] + dyr[j] * xhat[j];
        }
        let (m1, m2) = (sum_gh / n, sum_gh_xh / n);
        for j in 0..d {
            dxr[j] = inv * (dyr[j] * g[j] - m1 - xhat[j] * m2);
        }
    }
    (dx, dg)
}
