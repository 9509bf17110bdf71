//! A Transformer block's MLP half, LN_out(x + GELU(LN(x)·W₁)·W₂), as one candle op.
//!
//! As a chain (LayerNorm, the fused MLP, a residual add, the closing LayerNorm), three
//! (B, T, E) arrays would be graph nodes whose gradients candle zero-fills and accumulates
//! on one core. Here they stay inside the op; the forward pass runs the chain's
//! ([`crate::kernels::reference::mlp_block`]) kernels in the chain's order, so its values
//! are the chain's bit for bit.

use candle_core::{Shape, Tensor, WithDType};

use super::{added, packed, packed_grads, shaped, BlockKernel, BlockOp, Kept};
use crate::kernels::cpu::fast_math::KernelMath;
use crate::kernels::dense;
use crate::kernels::gelu::{slopes_times, values};
use crate::kernels::layer_norm::{self as norm, LN_EPS};
use crate::error::Result;

/// The MLP half's weights: W₁ (E, wide), W₂ (wide, E), and the MLP LayerNorm's and the
/// closing LayerNorm's scale and offset, each (E).
pub struct MlpWeights<'a> {
    pub w1: &'a Tensor,
    pub w2: &'a Tensor,
    pub norms: [&'a Tensor; 4],
}

/// LN_out(x + GELU(LN(x)·W₁)·W₂), x (…, E), as the one fused [`MlpBlock`] op.
pub fn mlp_block(x: &Tensor, w: &MlpWeights) -> Result<Tensor> {
    let e = x.dims().last().copied().unwrap_or(0);
    let wide = w.w1.dims().last().copied().unwrap_or(0);
    shaped("MLP input weight", &[w.w1], &[e, wide])?;
    shaped("MLP output weight", &[w.w2], &[wide, e])?;
    shaped("MLP norm", &w.norms, &[e])?;
    Ok(x.contiguous()?.apply_op3(&packed(&[w.w1, w.w2])?, &packed(&w.norms)?, BlockOp(MlpBlock::new(wide)))?)
}

/// (x (…, E), weights: W₁ (E, wide) then W₂ (wide, E), row-major, norms (4E): the MLP
/// LayerNorm's scale and offset, then the closing LayerNorm's) → (…, E). Keeps the
/// MLP's input, pre-activation and activation and the residual sum for backward.
struct MlpBlock {
    wide: usize,
    kept: Kept,
}

/// Rows, width E and MLP width of one call.
#[derive(Clone, Copy)]
struct Sizes {
    rows: usize,
    e: usize,
    wide: usize,
}

impl MlpBlock {
    /// The op for an MLP `wide` units wide.
    fn new(wide: usize) -> Self {
        MlpBlock { wide, kept: Kept::new() }
    }

    fn sizes(&self, x: &Shape, w: &Shape, norms: &Shape) -> candle_core::Result<Sizes> {
        let (e, wide) = (x.dims().last().copied().unwrap_or(0), self.wide);
        if e == 0 || wide == 0 || w.dims() != [2 * e * wide] || norms.dims() != [4 * e] {
            candle_core::bail!("mlp-block: x {:?} needs weights [{}] and norms [{}], not {:?} and {:?}", x.dims(), 2 * e * wide, 4 * e, w.dims(), norms.dims());
        }
        Ok(Sizes { rows: x.elem_count() / e, e, wide })
    }
}

impl BlockKernel for MlpBlock {
    const NAME: &'static str = "mlp-block";

    fn check(&self, x: &Shape, w: &Shape, norms: &Shape) -> candle_core::Result<()> {
        self.sizes(x, w, norms).map(|_| ())
    }

    fn forward<T: KernelMath + WithDType>(&self, shape: &Shape, x: &[T], w: &[T], norms: &[T]) -> candle_core::Result<Vec<T>> {
        let n = self.sizes(shape, &Shape::from(w.len()), &Shape::from(norms.len()))?;
        let (w1, w2) = w.split_at(n.e * n.wide);
        let (scale, offset, out_scale, out_offset) = (&norms[..n.e], &norms[n.e..2 * n.e], &norms[2 * n.e..3 * n.e], &norms[3 * n.e..]);
        let m_in = norm::forward(x, scale, Some(offset), LN_EPS)?;
        let z = dense::forward(&m_in, w1, None, n.rows, n.e, n.wide)?;
        let h = values(&z)?;
        let m = dense::forward(&h, w2, None, n.rows, n.wide, n.e)?;
        let sum = added(x, &m)?;
        let y = norm::forward(&sum, out_scale, Some(out_offset), LN_EPS)?;
        self.kept.keep([m_in, z, h, sum], Self::NAME)?;
        Ok(y)
    }

    fn backward<T: KernelMath + WithDType>(&self, shape: &Shape, x: &[T], w: &[T], norms: &[T], dy: &[T], want_w: bool) -> candle_core::Result<(Vec<T>, Option<Vec<T>>, Vec<T>)> {
        let n = self.sizes(shape, &Shape::from(w.len()), &Shape::from(norms.len()))?;
        let (w1, w2) = w.split_at(n.e * n.wide);
        let (scale, out_scale) = (&norms[..n.e], &norms[2 * n.e..3 * n.e]);
        self.kept.with(Self::NAME, |[m_in, z, h, sum]| {
            let (d_sum, d_out_scale, d_out_offset) = norm::backward(sum, out_scale, dy, LN_EPS)?;
            let (dh, dw2) = dense::inner_backward(h, w2, &d_sum, n.rows, n.wide, n.e, want_w)?;
            let dz = slopes_times(z, &dh)?;
            let (dm_in, dw1) = dense::inner_backward(m_in, w1, &dz, n.rows, n.e, n.wide, want_w)?;
            let (dx_norm, d_scale, d_offset) = norm::backward(x, scale, &dm_in, LN_EPS)?;
            let dx = added(&d_sum, &dx_norm)?;
            Ok((dx, packed_grads(vec![dw1, dw2]), [d_scale, d_offset, d_out_scale, d_out_offset].concat()))
        })
    }
}
