//! Causal multi-head dot-product attention: the one place attention is computed.

use candle_core::{DType, Device, Tensor, D};

use super::attention_kernel::CausalAttention;
use crate::error::Result;

/// Attention of (B, T, E) queries, keys and values split into `heads` heads,
/// each position attending to itself and earlier ones; returns (B, T, E).
///
/// Runs as the fused [`CausalAttention`] op; [`causal_attention_unfused`] is the
/// same computation in generic candle ops.
pub fn causal_attention(q: &Tensor, k: &Tensor, v: &Tensor, heads: usize) -> Result<Tensor> {
    Ok(q.contiguous()?.apply_op3(&k.contiguous()?, &v.contiguous()?, CausalAttention::new(heads))?)
}

/// [`causal_attention`] with an additive −∞ mask and candle's composed softmax (the reference path).
pub fn causal_attention_unfused(q: &Tensor, k: &Tensor, v: &Tensor, heads: usize) -> Result<Tensor> {
    attend(q, k, v, heads, |scores| {
        let t = scores.dim(D::Minus1)?;
        let masked = scores.broadcast_add(&causal_mask(t, scores.dtype())?)?;
        Ok(candle_nn::ops::softmax(&masked, D::Minus1)?)
    })
}

/// Splits heads, scales q·kᵀ by 1/√d, turns scores into weights with `softmax`, mixes values.
fn attend(q: &Tensor, k: &Tensor, v: &Tensor, heads: usize, softmax: impl Fn(&Tensor) -> Result<Tensor>) -> Result<Tensor> {
    let (b, t, e) = q.dims3()?;
    let d = e / heads;
    let split = |x: &Tensor| -> Result<Tensor> { Ok(x.reshape((b, t, heads, d))?.transpose(1, 2)?.contiguous()?) };
    let (q, k, v) = (split(q)?, split(k)?, split(v)?);
    let scores = (q.matmul(&k.t()?.contiguous()?)? * (1.0 / (d as f64).sqrt()))?;
    let out = softmax(&scores)?.matmul(&v)?; // (B, H, T, D)
    Ok(out.transpose(1, 2)?.contiguous()?.reshape((b, t, e))?)
}

/// (T, T) additive mask: 0 on and below the diagonal, −∞ above.
fn causal_mask(t: usize, dtype: DType) -> Result<Tensor> {
    let mask: Vec<f32> = (0..t).flat_map(|i| (0..t).map(move |j| if j <= i { 0.0 } else { f32::NEG_INFINITY })).collect();
    Ok(Tensor::from_vec(mask, (t, t), &Device::Cpu)?.to_dtype(dtype)?)
}
