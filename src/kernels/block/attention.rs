//! A Transformer block's attention half, x + Wₒ·Attention(LN_q(a·W_q), LN_k(a·W_k), a·W_v) with a = LN(x), as one candle op.
//!
//! As a chain of fused ops (LayerNorm, three projections, two q/k norms, attention, the
//! output projection, a residual add), eight (B, T, E) arrays would be graph nodes: for each,
//! candle would zero-fill a gradient buffer and add every contribution into it, on one core.
//! Here they stay inside the op, and the backward pass runs from dy to dx and the weights'
//! gradients through the same kernels (LayerNorm, dense, attention) that the chain uses.
//! The forward pass computes exactly what the chain ([`crate::kernels::reference::attention_block`])
//! computes, in the same order, so its values are the chain's bit for bit.

use candle_core::{Shape, Tensor, WithDType};

use super::{added, packed, packed_grads, shaped, BlockKernel, BlockOp, Kept};
use crate::kernels::attention::{self, Dims};
use crate::kernels::cpu::fast_math::KernelMath;
use crate::kernels::cpu::threads::fill;
use crate::kernels::dense;
use crate::kernels::layer_norm::{self as norm, LN_EPS};
use crate::error::Result;

/// The attention half's weights: projections W_q, W_k, W_v, W_o, each (E, E), and norms:
/// the block LayerNorm's scale and offset and the q and k norms' scales, each (E).
pub struct AttentionWeights<'a> {
    pub projections: [&'a Tensor; 4],
    pub norms: [&'a Tensor; 4],
}

/// x + W_o·Attention(LN_q(a·W_q), LN_k(a·W_k), a·W_v) with a = LN(x), x (B, T, E), as the one fused [`AttentionBlock`] op.
pub fn attention_block(x: &Tensor, w: &AttentionWeights, heads: usize) -> Result<Tensor> {
    let e = x.dims().last().copied().unwrap_or(0);
    shaped("attention projection", &w.projections, &[e, e])?;
    shaped("attention norm", &w.norms, &[e])?;
    Ok(x.contiguous()?.apply_op3(&packed(&w.projections)?, &packed(&w.norms)?, BlockOp(AttentionBlock::new(heads)))?)
}

/// (x (B, T, E), weights (4E²): W_q, W_k, W_v, W_o, each (E, E) row-major as (in, out),
/// norms (4E): the block LayerNorm's scale and offset, then the q and k norms' scales)
/// → (B, T, E). Keeps the inner arrays for backward: a = LN(x), the q and k projections
/// before and after their norms, v, the attention weights (B, heads, T, T) and the attention output.
struct AttentionBlock {
    heads: usize,
    kept: Kept,
}

/// `data` cut into four consecutive pieces of `len` each.
fn four<T>(data: &[T], len: usize) -> [&[T]; 4] {
    [&data[..len], &data[len..2 * len], &data[2 * len..3 * len], &data[3 * len..4 * len]]
}

impl AttentionBlock {
    fn new(heads: usize) -> Self {
        AttentionBlock { heads, kept: Kept::new() }
    }
}

impl BlockKernel for AttentionBlock {
    const NAME: &'static str = "attention-block";

    fn check(&self, x: &Shape, w: &Shape, norms: &Shape) -> candle_core::Result<()> {
        let e = Dims::of(x, self.heads)?.e;
        if w.dims() != [4 * e * e] || norms.dims() != [4 * e] {
            candle_core::bail!("attention-block: x {:?} needs weights [{}] and norms [{}], not {:?} and {:?}", x.dims(), 4 * e * e, 4 * e, w.dims(), norms.dims());
        }
        Ok(())
    }

    fn forward<T: KernelMath + WithDType>(&self, shape: &Shape, x: &[T], w: &[T], norms: &[T]) -> candle_core::Result<Vec<T>> {
        let n = Dims::of(shape, self.heads)?;
        let (rows, e) = (n.b * n.t, n.e);
        let [wq, wk, wv, wo] = four(w, e * e);
        let [scale, offset, q_scale, k_scale] = four(norms, e);
        let a = norm::forward(x, scale, Some(offset), LN_EPS)?;
        let q_pre = dense::forward(&a, wq, None, rows, e, e)?;
        let q = norm::forward(&q_pre, q_scale, None, LN_EPS)?;
        let k_pre = dense::forward(&a, wk, None, rows, e, e)?;
        let k = norm::forward(&k_pre, k_scale, None, LN_EPS)?;
        let v = dense::forward(&a, wv, None, rows, e, e)?;
        let (att, p) = attention::forward(&q, &k, &v, n)?;
        let o = dense::forward(&att, wo, None, rows, e, e)?;
        let y = added(x, &o)?;
        self.kept.keep([a, q_pre, k_pre, q, k, v, p, att], Self::NAME)?;
        Ok(y)
    }

    fn backward<T: KernelMath + WithDType>(&self, shape: &Shape, x: &[T], w: &[T], norms: &[T], dy: &[T], want_w: bool) -> candle_core::Result<(Vec<T>, Option<Vec<T>>, Vec<T>)> {
        let n = Dims::of(shape, self.heads)?;
        let (rows, e) = (n.b * n.t, n.e);
        let [wq, wk, wv, wo] = four(w, e * e);
        let [scale, _, q_scale, k_scale] = four(norms, e);
        self.kept.with(Self::NAME, |[a, q_pre, k_pre, q, k, v, p, att]| {
            let (d_att, dwo) = dense::inner_backward(att, wo, dy, rows, e, e, want_w)?;
            let (dq, dk, dv) = attention::backward(q, k, v, p, &d_att, n)?;
            let (dq_pre, d_q_scale, _) = norm::backward(q_pre, q_scale, &dq, LN_EPS)?;
            let (dk_pre, d_k_scale, _) = norm::backward(k_pre, k_scale, &dk, LN_EPS)?;
            let (da_q, dwq) = dense::inner_backward(a, wq, &dq_pre, rows, e, e, want_w)?;
            let (da_k, dwk) = dense::inner_backward(a, wk, &dk_pre, rows, e, e, want_w)?;
            let (da_v, dwv) = dense::inner_backward(a, wv, &dv, rows, e, e, want_w)?;
            let da = fill(dy.len(), 2, |r, da| {
                da.iter_mut().zip(&da_q[r.clone()]).zip(&da_k[r.clone()]).zip(&da_v[r]).for_each(|(((d, &q), &k), &v)| *d = q + k + v)
            })?;
            let (dx_norm, d_scale, d_offset) = norm::backward(x, scale, &da, LN_EPS)?;
            let dx = added(dy, &dx_norm)?;
            Ok((dx, packed_grads(vec![dwq, dwk, dwv, dwo]), [d_scale, d_offset, d_q_scale, d_k_scale].concat()))
        })
    }
}
