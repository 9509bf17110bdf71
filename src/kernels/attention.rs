//! Causal multi-head attention as one fused candle op (scores, masked softmax, value mix) with its backward.
//!
//! Composed of generic ops, every (B, heads, T, T) intermediate would be a graph node whose
//! gradient candle zero-fills and accumulates: a third of a small Transformer's step.

use std::ops::Range;
use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp3, DType, Layout, Shape, Tensor, WithDType};

use super::cpu::dispatch::simd_kernel;
use super::cpu::elements::{contiguous, with_elements};
use super::cpu::fast_math::KernelMath;
use super::cpu::gemm::{matmul, Mat};
use super::cpu::sums::{max_of, sum_of, sum_pairs};
use super::cpu::threads::{independent_rows, locked, on_pieces, pieces};
use crate::error::Result;

/// Attention of (B, T, E) queries, keys and values split into `heads` heads,
/// each position attending to itself and earlier ones; returns (B, T, E).
///
/// Runs as the fused [`CausalAttention`] op; [`super::reference::causal_attention`] is the
/// same computation in generic candle ops.
pub fn causal_attention(q: &Tensor, k: &Tensor, v: &Tensor, heads: usize) -> Result<Tensor> {
    Ok(q.contiguous()?.apply_op3(&k.contiguous()?, &v.contiguous()?, CausalAttention::new(heads))?)
}

/// (q, k, v), each (B, T, E) with heads of width d = E / heads side by side in
/// the last axis → (B, T, E). Position i attends to positions j ≤ i with weights
/// softmax_j(q_i · k_j / √d). The weights (B, heads, T, T) are kept in the op for
/// the backward pass.
struct CausalAttention {
    heads: usize,
    weights: Mutex<Option<CpuStorage>>,
}

impl CausalAttention {
    fn new(heads: usize) -> Self {
        CausalAttention { heads, weights: Mutex::new(None) }
    }
}

/// Sizes of one call: batch, positions, model width, heads, head width.
#[derive(Clone, Copy)]
pub(super) struct Dims {
    pub b: usize,
    pub t: usize,
    pub e: usize,
    heads: usize,
    d: usize,
}

impl Dims {
    pub(super) fn of(shape: &Shape, heads: usize) -> candle_core::Result<Self> {
        let (b, t, e) = shape.dims3()?;
        if heads == 0 || e % heads != 0 {
            candle_core::bail!("causal-attention: width {e} does not split into {heads} heads");
        }
        Ok(Dims { b, t, e, heads, d: e / heads })
    }

    /// Offset of head `h` of sequence `bi` in a (B, T, E) buffer; its (t, i) entry is at + t·E + i.
    fn head(&self, bi: usize, h: usize) -> usize {
        bi * self.t * self.e + h * self.d
    }

    /// The sequences cut over the cores (each costs about 4·heads·T²·d multiply-adds).
    fn sequence_parts(&self) -> Vec<Range<usize>> {
        independent_rows(self.b, 4 * self.b * self.heads * self.t * self.t * self.d)
    }
}

impl CustomOp3 for CausalAttention {
    fn name(&self) -> &'static str {
        "causal-attention"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        if l1.shape() != l2.shape() || l1.shape() != l3.shape() {
            candle_core::bail!("causal-attention: q {:?}, k {:?} and v {:?} differ", l1.dims(), l2.dims(), l3.dims());
        }
        let dims = Dims::of(l1.shape(), self.heads)?;
        let op = self.name();
        let out = match (s1, s2, s3) {
            (CpuStorage::F32(q), CpuStorage::F32(k), CpuStorage::F32(v)) => CpuStorage::F32(self.run(contiguous(q, l1, op)?, contiguous(k, l2, op)?, contiguous(v, l3, op)?, dims)?),
            (CpuStorage::F64(q), CpuStorage::F64(k), CpuStorage::F64(v)) => CpuStorage::F64(self.run(contiguous(q, l1, op)?, contiguous(k, l2, op)?, contiguous(v, l3, op)?, dims)?),
            _ => candle_core::bail!("causal-attention: needs three F32 or three F64 tensors"),
        };
        Ok((out, l1.shape().clone()))
    }

    #[allow(clippy::type_complexity)]
    fn bwd(
        &self,
        q: &Tensor,
        k: &Tensor,
        v: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let dims = Dims::of(q.shape(), self.heads)?;
        let guard = self.lock()?;
        let (shape, device) = (q.shape(), q.device());
        // The kept weights are borrowed where they lie, not copied.
        let (dq, dk, dv) = match (q.dtype(), guard.as_ref()) {
            (DType::F32, Some(CpuStorage::F32(p))) => {
                let (dq, dk, dv) = with_all(q, k, v, grad, |q, k, v, g| backward::<f32>(q, k, v, p, g, dims))?;
                (Tensor::from_vec(dq, shape, device)?, Tensor::from_vec(dk, shape, device)?, Tensor::from_vec(dv, shape, device)?)
            }
            (DType::F64, Some(CpuStorage::F64(p))) => {
                let (dq, dk, dv) = with_all(q, k, v, grad, |q, k, v, g| backward::<f64>(q, k, v, p, g, dims))?;
                (Tensor::from_vec(dq, shape, device)?, Tensor::from_vec(dk, shape, device)?, Tensor::from_vec(dv, shape, device)?)
            }
            (_, None) => candle_core::bail!("causal-attention: backward before forward"),
            (d, _) => candle_core::bail!("causal-attention: unsupported dtype {d:?}"),
        };
        Ok((Some(dq), Some(dk), Some(dv)))
    }
}

impl CausalAttention {
    fn run<T: KernelMath + WithDType>(&self, q: &[T], k: &[T], v: &[T], dims: Dims) -> candle_core::Result<Vec<T>> {
        let (out, weights) = forward(q, k, v, dims)?;
        *self.lock()? = Some(T::to_cpu_storage_owned(weights));
        Ok(out)
    }

    fn lock(&self) -> candle_core::Result<std::sync::MutexGuard<'_, Option<CpuStorage>>> {
        locked(&self.weights, "causal-attention")
    }
}

/// `f` of the elements of q, k, v and the output gradient, borrowed in place.
fn with_all<T: WithDType, R>(q: &Tensor, k: &Tensor, v: &Tensor, g: &Tensor, f: impl FnOnce(&[T], &[T], &[T], &[T]) -> candle_core::Result<R>) -> candle_core::Result<R> {
    with_elements(q, |q| with_elements(k, |k| with_elements(v, |v| with_elements(g, |g| f(q, k, v, g)))))
}

fn scale<T: KernelMath>(d: usize) -> T {
    T::one() / T::from(d).unwrap_or(T::one()).sqrt()
}

/// Rows per block of the causal products: a block of query rows [r0, r1) meets only keys [0, r1),
/// so the products skip the blocks above the diagonal (about a third of the square at T = 100).
const BLOCK: usize = 32;

/// The blocks [r0, r1) of `t` positions, in order.
fn blocks(t: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..t).step_by(BLOCK).map(move |r0| (r0, (r0 + BLOCK).min(t)))
}

/// Entries of the T × T square one head's causal products multiply: Σ over the blocks of (r1 − r0)·r1,
/// the diagonal blocks whole. Each of the four products per head forward and backward is d times this.
pub(crate) fn causal_area(t: usize) -> usize {
    blocks(t).map(|(r0, r1)| (r1 - r0) * r1).sum()
}

/// The attention output (B, T, E) and the weights P (B, heads, T, T), zero above the diagonal.
/// Sequences do not interact, so they are cut over the cores (see [`independent_rows`]).
pub(super) fn forward<T: KernelMath>(q: &[T], k: &[T], v: &[T], n: Dims) -> candle_core::Result<(Vec<T>, Vec<T>)> {
    let mut out = vec![T::zero(); q.len()];
    let mut weights = vec![T::zero(); n.b * n.heads * n.t * n.t];
    let ranges = n.sequence_parts();
    let weight_parts = pieces(&mut weights, &ranges, n.heads * n.t * n.t);
    on_pieces(&mut out, n.t * n.e, &ranges, "causal-attention", |part, seqs, out| {
        forward_sequences(q, k, v, seqs, out, &mut locked(&weight_parts[part], "causal-attention")?, n)
    })?;
    Ok((out, weights))
}

simd_kernel! {
    /// [`forward`] of the sequences `seqs`, into their pieces of the output and the weights.
    fn forward_sequences<T, S>(q: &[T], k: &[T], v: &[T], seqs: Range<usize>, out: &mut [T], weights: &mut [T], n: Dims) -> candle_core::Result<()> {
        let (t, e, d) = (n.t, n.e, n.d);
        let s = scale::<T>(d);
        for (local, bi) in seqs.enumerate() {
            for h in 0..n.heads {
                let at = n.head(bi, h);
                let p = &mut weights[(local * n.heads + h) * t * t..(local * n.heads + h + 1) * t * t];
                let here = local * t * e + h * d;
                for (r0, r1) in blocks(t) {
                    // S = Q · Kᵀ for rows [r0, r1) and keys [0, r1) (Kᵀ: element (i, j) at j·E + i).
                    let q_rows = Mat { data: &q[at + r0 * e..], rs: e, cs: 1 };
                    matmul(r1 - r0, r1, d, &mut p[r0 * t..], t, false, q_rows, Mat { data: &k[at..], rs: 1, cs: e })?;
                    for (i, row) in p[r0 * t..r1 * t].chunks_mut(t).enumerate().map(|(i, row)| (r0 + i, row)) {
                        let live = &mut row[..=i];
                        let max = max_of(live, |x| x * s);
                        // The exps first, in a loop of their own so it vectorises; then their sum.
                        live.iter_mut().for_each(|x| *x = (*x * s - max).exp_on::<S>());
                        let sum = sum_of(live, |x| x);
                        live.iter_mut().for_each(|x| *x = *x / sum);
                        row[i + 1..].iter_mut().for_each(|x| *x = T::zero());
                    }
                    // O = P · V for rows [r0, r1): P is zero from column r1 on.
                    let p_rows = Mat { data: &p[r0 * t..], rs: t, cs: 1 };
                    matmul(r1 - r0, d, r1, &mut out[here + r0 * e..], e, false, p_rows, Mat { data: &v[at..], rs: e, cs: 1 })?;
                }
            }
        }
        Ok(())
    }
}

/// (dL/dq, dL/dk, dL/dv) from the output gradient `g` and the kept weights `p`, sequences cut over the cores.
pub(super) fn backward<T: KernelMath>(q: &[T], k: &[T], v: &[T], p: &[T], g: &[T], n: Dims) -> candle_core::Result<(Vec<T>, Vec<T>, Vec<T>)> {
    let (mut dq, mut dk, mut dv) = (vec![T::zero(); q.len()], vec![T::zero(); k.len()], vec![T::zero(); v.len()]);
    let ranges = n.sequence_parts();
    let (dk_parts, dv_parts) = (pieces(&mut dk, &ranges, n.t * n.e), pieces(&mut dv, &ranges, n.t * n.e));
    on_pieces(&mut dq, n.t * n.e, &ranges, "causal-attention", |part, seqs, dq| {
        let (mut dk, mut dv) = (locked(&dk_parts[part], "causal-attention")?, locked(&dv_parts[part], "causal-attention")?);
        backward_sequences(q, k, v, p, g, seqs, [dq, &mut dk, &mut dv], n)
    })?;
    Ok((dq, dk, dv))
}

simd_kernel! {
    /// [`backward`] of the sequences `seqs`, into their pieces of dq, dk and dv.
    #[allow(clippy::too_many_arguments)]
    fn backward_sequences<T, S>(q: &[T], k: &[T], v: &[T], p: &[T], g: &[T], seqs: Range<usize>, grads: [&mut [T]; 3], n: Dims) -> candle_core::Result<()> {
        let [dq, dk, dv] = grads;
        let (t, e, d) = (n.t, n.e, n.d);
        let s = scale::<T>(d);
        let mut ds = vec![T::zero(); t * t];
        for (local, bi) in seqs.enumerate() {
            for h in 0..n.heads {
                let (at, here) = (n.head(bi, h), local * t * e + h * d);
                let ph = &p[(bi * n.heads + h) * t * t..(bi * n.heads + h + 1) * t * t];
                // Row blocks [r0, r1) meet keys [0, r1) only; column blocks [c0, c1) rows [c0, T) only.
                for (r0, r1) in blocks(t) {
                    // dP = dO · Vᵀ, then dS = P ⊙ (dP − Σ_j P_j dP_j) · scale, row by row.
                    let dout = Mat { data: &g[at + r0 * e..], rs: e, cs: 1 };
                    matmul(r1 - r0, r1, d, &mut ds[r0 * t..], t, false, dout, Mat { data: &v[at..], rs: 1, cs: e })?;
                    for (i, (row, pr)) in ds[r0 * t..r1 * t].chunks_mut(t).zip(ph[r0 * t..r1 * t].chunks(t)).enumerate().map(|(i, rows)| (r0 + i, rows)) {
                        let dot = sum_pairs(&row[..=i], &pr[..=i], |a, b| a * b);
                        for (x, &pv) in row[..=i].iter_mut().zip(&pr[..=i]) {
                            *x = pv * (*x - dot) * s;
                        }
                        row[i + 1..].iter_mut().for_each(|x| *x = T::zero());
                    }
                    // dQ = dS · K.
                    matmul(r1 - r0, d, r1, &mut dq[here + r0 * e..], e, false, Mat { data: &ds[r0 * t..], rs: t, cs: 1 }, Mat { data: &k[at..], rs: e, cs: 1 })?;
                }
                for (c0, c1) in blocks(t) {
                    // dV = Pᵀ · dO and dK = dSᵀ · Q for columns [c0, c1), over rows [c0, T).
                    let (rows, from) = (t - c0, at + c0 * e);
                    let dout = Mat { data: &g[from..], rs: e, cs: 1 };
                    matmul(c1 - c0, d, rows, &mut dv[here + c0 * e..], e, false, Mat { data: &ph[c0 * t + c0..], rs: 1, cs: t }, dout)?;
                    matmul(c1 - c0, d, rows, &mut dk[here + c0 * e..], e, false, Mat { data: &ds[c0 * t + c0..], rs: 1, cs: t }, Mat { data: &q[from..], rs: e, cs: 1 })?;
                }
            }
        }
        Ok(())
    }
}
