//! Dense and LayerNorm layers as plain functions of their weights.

use candle_core::{Tensor, D};

use super::dense_kernel::Dense;
use super::layer_norm_kernel::ScaledNorm;
use super::mlp_kernel::Mlp;
use crate::error::Result;

/// LayerNorm epsilon, as in the reference library.
pub(super) const LN_EPS: f64 = 1e-6;

/// x · W (+ b) over the last axis of x (any leading shape); W is (in, out).
/// Runs as the fused [`Dense`] op, which computes only the gradients backprop needs.
pub fn dense(x: &Tensor, w: &Tensor, b: Option<&Tensor>) -> Result<Tensor> {
    over_rows(x, w, |x, w| match b {
        Some(b) => x.apply_op3(w, &b.contiguous()?, Dense),
        None => x.apply_op2(w, Dense),
    })
}

/// The MLP GELU(x · W₁) · W₂ over the last axis of x, as the one fused [`Mlp`] op.
pub fn mlp(x: &Tensor, w1: &Tensor, w2: &Tensor) -> Result<Tensor> {
    let w2 = w2.contiguous()?;
    over_rows(x, w1, |x, w1| x.apply_op3(w1, &w2, Mlp::new()))
}

/// Applies an op from (rows, in) to (rows, out) to x of any leading shape and restores that shape.
fn over_rows(x: &Tensor, w: &Tensor, op: impl FnOnce(&Tensor, &Tensor) -> candle_core::Result<Tensor>) -> Result<Tensor> {
    let dims = x.dims().to_vec();
    let Some((&last, lead)) = dims.split_last() else {
        return Err(crate::error::Error::other("dense layer applied to a scalar"));
    };
    let rows: usize = lead.iter().product();
    let x = x.reshape((rows, last))?.contiguous()?;
    let y = op(&x, &w.contiguous()?)?;
    let mut out_dims = lead.to_vec();
    out_dims.push(y.dim(1)?);
    Ok(y.reshape(out_dims)?)
}

/// LayerNorm over the last axis with a scale and an optional offset, through
/// the fused [`ScaledNorm`] op; [`layer_norm_unfused`] is the reference.
pub fn layer_norm(x: &Tensor, scale: &Tensor, offset: Option<&Tensor>) -> Result<Tensor> {
    let (x, scale, norm) = (x.contiguous()?, scale.contiguous()?, ScaledNorm { eps: LN_EPS });
    Ok(match offset {
        Some(o) => x.apply_op3(&scale, &o.contiguous()?, norm)?,
        None => x.apply_op2(&scale, norm)?,
    })
}

/// LayerNorm over the last axis with optional scale and offset, in generic candle ops.
pub fn layer_norm_unfused(x: &Tensor, scale: Option<&Tensor>, offset: Option<&Tensor>) -> Result<Tensor> {
    let mean = x.mean_keepdim(D::Minus1)?;
    let centred = x.broadcast_sub(&mean)?;
    let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
    let mut y = centred.broadcast_div(&(var + LN_EPS)?.sqrt()?)?;
    if let Some(s) = scale {
        y = y.broadcast_mul(s)?;
    }
    if let Some(o) = offset {
        y = y.broadcast_add(o)?;
    }
    Ok(y)
}
