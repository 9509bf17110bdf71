//! LayerNorm with a scale (and an offset) as one fused candle op (normalise each row over its last axis), with its backward.

use candle_core::{CpuStorage, CustomOp2, CustomOp3, DType, Layout, Shape, Tensor};
use num_traits::Float;

use super::cpu::dispatch::simd_kernel;
use super::cpu::elements::{inputs, with_elements};
use super::cpu::fast_math::KernelMath;
use super::cpu::sums::{sum_of, sum_pairs};
use super::cpu::threads::{independent_rows, locked, on_pieces, pieces};
use crate::error::Result;

/// LayerNorm epsilon, as in the reference library.
pub(super) const LN_EPS: f64 = 1e-6;

/// LayerNorm over the last axis with a scale and an optional offset, through
/// the fused [`ScaledNorm`] op; [`super::reference::layer_norm`] is the same in generic candle ops.
pub fn layer_norm(x: &Tensor, scale: &Tensor, offset: Option<&Tensor>) -> Result<Tensor> {
    let (x, scale, norm) = (x.contiguous()?, scale.contiguous()?, ScaledNorm { eps: LN_EPS });
    Ok(match offset {
        Some(o) => x.apply_op3(&scale, &o.contiguous()?, norm)?,
        None => x.apply_op2(&scale, norm)?,
    })
}

/// (…, D) rows x and a (D) scale g → (x − mean) / √(var + ε) · g, row by row; as a
/// three-input op, plus a (D) offset b (one graph node instead of two).
struct ScaledNorm {
    eps: f64,
}

impl ScaledNorm {
    fn run(&self, x: (&CpuStorage, &Layout), g: (&CpuStorage, &Layout), b: Option<(&CpuStorage, &Layout)>) -> candle_core::Result<(CpuStorage, Shape)> {
        let d = *x.1.dims().last().unwrap_or(&0);
        if g.1.dims() != [d] || b.is_some_and(|b| b.1.dims() != [d]) || d == 0 {
            candle_core::bail!("scaled-layer-norm: x {:?}, scale {:?} and offset {:?} do not match", x.1.dims(), g.1.dims(), b.map(|b| b.1.dims().to_vec()));
        }
        let op = "scaled-layer-norm";
        let out = match x.0 {
            CpuStorage::F32(_) => {
                let (xs, gs, bs) = inputs::<f32>(x, g, b, op)?;
                CpuStorage::F32(forward(xs, gs, bs, self.eps)?)
            }
            CpuStorage::F64(_) => {
                let (xs, gs, bs) = inputs::<f64>(x, g, b, op)?;
                CpuStorage::F64(forward(xs, gs, bs, self.eps)?)
            }
            _ => candle_core::bail!("scaled-layer-norm: needs F32 or F64 tensors"),
        };
        Ok((out, x.1.shape().clone()))
    }

    /// Gradients of x, g and (if `b`) the offset, each only if it takes part in backprop.
    fn grads(&self, x: &Tensor, g: &Tensor, b: Option<&Tensor>, grad: &Tensor) -> candle_core::Result<[Option<Tensor>; 3]> {
        macro_rules! run {
            ($t:ty) => {{
                let (dx, dg, db) = with_elements(x, |x| with_elements(g, |g| with_elements(grad, |d| backward::<$t>(x, g, d, self.eps))))?;
                (Tensor::from_vec(dx, x.shape(), x.device())?, Tensor::from_vec(dg, g.shape(), g.device())?, Tensor::from_vec(db, g.shape(), g.device())?)
            }};
        }
        let (dx, dg, db) = match x.dtype() {
            DType::F32 => run!(f32),
            DType::F64 => run!(f64),
            d => candle_core::bail!("scaled-layer-norm: unsupported dtype {d:?}"),
        };
        Ok([x.track_op().then_some(dx), g.track_op().then_some(dg), b.is_some_and(|b| b.track_op()).then_some(db)])
    }
}

impl CustomOp2 for ScaledNorm {
    fn name(&self) -> &'static str {
        "scaled-layer-norm"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        self.run((s1, l1), (s2, l2), None)
    }

    fn bwd(&self, x: &Tensor, g: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let [dx, dg, _] = self.grads(x, g, None, grad)?;
        Ok((dx, dg))
    }
}

impl CustomOp3 for ScaledNorm {
    fn name(&self) -> &'static str {
        "layer-norm"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout, s3: &CpuStorage, l3: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        self.run((s1, l1), (s2, l2), Some((s3, l3)))
    }

    fn bwd(&self, x: &Tensor, g: &Tensor, b: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let [dx, dg, db] = self.grads(x, g, Some(b), grad)?;
        Ok((dx, dg, db))
    }
}

/// Mean and 1/√(var + ε) of one row (each sum in the order of [`sum_of`]).
#[inline(always)]
fn stats<T: Float>(row: &[T], eps: f64) -> (T, T) {
    let n = T::from(row.len()).unwrap_or(T::one());
    let mean = sum_of(row, |v| v) / n;
    let var = sum_of(row, |v| (v - mean) * (v - mean)) / n;
    (mean, T::one() / (var + T::from(eps).unwrap_or(T::zero())).sqrt())
}

/// The row width (the scale's length) and the number of rows of x; an error unless x is whole rows of a non-zero width.
fn rows_of<T>(x: &[T], g: &[T]) -> candle_core::Result<(usize, usize)> {
    let d = g.len();
    if d == 0 || !x.len().is_multiple_of(d) {
        candle_core::bail!("layer-norm: {} values are not rows of width {d}", x.len());
    }
    Ok((d, x.len() / d))
}

/// About the multiply-adds per element of the forward and the backward pass (for cutting rows over the cores).
const COST: usize = 8;

pub(super) fn forward<T: KernelMath>(x: &[T], g: &[T], b: Option<&[T]>, eps: f64) -> candle_core::Result<Vec<T>> {
    let (d, rows) = rows_of(x, g)?;
    let mut out = vec![T::zero(); x.len()];
    on_pieces(&mut out, d, &independent_rows(rows, x.len() * COST), "layer-norm", |_, r, out| {
        forward_rows(&x[r.start * d..r.end * d], g, b, eps, out);
        Ok(())
    })?;
    Ok(out)
}

simd_kernel! {
    /// [`forward`] of the whole rows `x` into `out`.
    fn forward_rows<T, S>(x: &[T], g: &[T], b: Option<&[T]>, eps: f64, out: &mut [T]) {
        let d = g.len();
        for (xr, or) in x.chunks(d).zip(out.chunks_mut(d)) {
            let (mean, inv) = stats(xr, eps);
            for ((o, &v), &s) in or.iter_mut().zip(xr).zip(g) {
                *o = (v - mean) * inv * s;
            }
            if let Some(b) = b {
                or.iter_mut().zip(b).for_each(|(o, &c)| *o = *o + c);
            }
        }
    }
}

/// dx = inv · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)) with ĝ = dy ⊙ g; dg = Σ_rows dy ⊙ x̂; db = Σ_rows dy.
///
/// dx row by row, each row's statistics kept; then dg and db column by column, each
/// summed over the rows in order: both cut over the cores without changing a number.
pub(super) fn backward<T: KernelMath>(x: &[T], g: &[T], dy: &[T], eps: f64) -> candle_core::Result<(Vec<T>, Vec<T>, Vec<T>)> {
    let (d, rows) = rows_of(x, g)?;
    if dy.len() != x.len() {
        candle_core::bail!("layer-norm: {} gradients for {} values", dy.len(), x.len());
    }
    let mut dx = vec![T::zero(); x.len()];
    let mut row_stats = vec![(T::zero(), T::zero()); rows];
    let ranges = independent_rows(rows, x.len() * COST);
    let stat_parts = pieces(&mut row_stats, &ranges, 1);
    on_pieces(&mut dx, d, &ranges, "layer-norm", |part, r, dx| {
        let mut stats_here = locked(&stat_parts[part], "layer-norm")?;
        backward_rows(&x[r.start * d..r.end * d], g, &dy[r.start * d..r.end * d], eps, dx, &mut stats_here);
        Ok(())
    })?;
    drop(stat_parts);
    // dg and db column by column, each summed over the rows in order.
    let (mut dg, mut db) = (vec![T::zero(); d], vec![T::zero(); d]);
    let cols = independent_rows(d, x.len() * 2);
    let db_parts = pieces(&mut db, &cols, 1);
    on_pieces(&mut dg, 1, &cols, "layer-norm", |part, cols, dg| {
        let mut db = locked(&db_parts[part], "layer-norm")?;
        column_sums(x, dy, d, &row_stats, cols, dg, &mut db);
        Ok(())
    })?;
    drop(db_parts);
    Ok((dx, dg, db))
}

simd_kernel! {
    /// dx of the whole rows `x` (row width `g.len()`), with each row's (mean, 1/σ) kept in `kept`.
    fn backward_rows<T, S>(x: &[T], g: &[T], dy: &[T], eps: f64, dx: &mut [T], kept: &mut [(T, T)]) {
        let d = g.len();
        let n = T::from(d).unwrap_or(T::one());
        let (mut xhat, mut gh) = (vec![T::zero(); d], vec![T::zero(); d]);
        for (((xr, dyr), dxr), kept) in x.chunks(d).zip(dy.chunks(d)).zip(dx.chunks_mut(d)).zip(kept.iter_mut()) {
            let (mean, inv) = stats(xr, eps);
            *kept = (mean, inv);
            let (xr, dyr, dxr, g, xhat, gh) = (&xr[..d], &dyr[..d], &mut dxr[..d], &g[..d], &mut xhat[..d], &mut gh[..d]);
            for j in 0..d {
                xhat[j] = (xr[j] - mean) * inv;
                gh[j] = dyr[j] * g[j];
            }
            let (m1, m2) = (sum_of(gh, |v| v) / n, sum_pairs(gh, xhat, |a, b| a * b) / n);
            for j in 0..d {
                dxr[j] = inv * (gh[j] - m1 - xhat[j] * m2);
            }
        }
    }
}

simd_kernel! {
    /// dg and db of the columns `cols` of rows `d` wide (into `dg`, `db`), each summed over all rows in order.
    fn column_sums<T, S>(x: &[T], dy: &[T], d: usize, row_stats: &[(T, T)], cols: std::ops::Range<usize>, dg: &mut [T], db: &mut [T]) {
        for ((xr, dyr), &(mean, inv)) in x.chunks(d).zip(dy.chunks(d)).zip(row_stats) {
            for (((g, b), &v), &dv) in dg.iter_mut().zip(db.iter_mut()).zip(&xr[cols.clone()]).zip(&dyr[cols.clone()]) {
                *g = *g + dv * ((v - mean) * inv);
                *b = *b + dv;
            }
        }
    }
}
