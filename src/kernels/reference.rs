//! The slow reference chains: for each fused op `kernels::NAME` that has one, `reference::NAME` computes the same from smaller ops.
//!
//! One rule names them: a reference has its op's name and takes its op's arguments
//! (`attention_block` also returns the attention's projected output). `lstm_scan`,
//! `causal_attention` and `layer_norm` are written in generic candle ops; the block halves
//! are chains of the smaller fused ops (LayerNorm, dense, attention, MLP) and compute the
//! fused halves' values bit for bit, which is why recording a Transformer's states runs
//! them. Tests compare every fused op with its reference.

use candle_core::{DType, Device, Tensor, D};

use super::layer_norm::LN_EPS;
use super::{AttentionWeights, MlpWeights};
use crate::error::Result;
use crate::kernels as fused;

/// [`fused::lstm_scan`] of (B, T, 4H) projections, written with one set of generic candle ops per time step.
pub fn lstm_scan(xw: &Tensor, w_hh: &Tensor, keep_cells: bool) -> Result<(Tensor, Option<Tensor>)> {
    let (b, t, four_h) = xw.dims3()?;
    let h_size = four_h / 4;
    let mut h = Tensor::zeros((b, h_size), xw.dtype(), xw.device())?;
    let mut c = h.clone();
    let mut hs = Vec::with_capacity(t);
    let mut cs = Vec::with_capacity(if keep_cells { t } else { 0 });
    for step in 0..t {
        let x_t = xw.narrow(1, step, 1)?.squeeze(1)?;
        let gates = if step == 0 { x_t } else { (x_t + h.matmul(w_hh)?)? };
        let sig = candle_nn::ops::sigmoid(&gates)?;
        let i = sig.narrow(1, 0, h_size)?;
        let f = sig.narrow(1, h_size, h_size)?;
        let g = gates.narrow(1, 2 * h_size, h_size)?.tanh()?;
        let o = sig.narrow(1, 3 * h_size, h_size)?;
        c = if step == 0 { (i * g)? } else { ((f * &c)? + (i * g)?)? };
        h = (o * c.tanh()?)?;
        hs.push(h.clone());
        if keep_cells {
            cs.push(c.clone());
        }
    }
    let hs = Tensor::stack(&hs, 1)?;
    let cs = if keep_cells { Some(Tensor::stack(&cs, 1)?) } else { None };
    Ok((hs, cs))
}

/// [`fused::causal_attention`] with an additive −∞ mask and candle's composed softmax.
pub fn causal_attention(q: &Tensor, k: &Tensor, v: &Tensor, heads: usize) -> Result<Tensor> {
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

/// [`fused::layer_norm`] (over the last axis, with a scale and an optional offset) in generic candle ops.
pub fn layer_norm(x: &Tensor, scale: &Tensor, offset: Option<&Tensor>) -> Result<Tensor> {
    let mean = x.mean_keepdim(D::Minus1)?;
    let centred = x.broadcast_sub(&mean)?;
    let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
    let y = centred.broadcast_div(&(var + LN_EPS)?.sqrt()?)?.broadcast_mul(scale)?;
    Ok(match offset {
        Some(o) => y.broadcast_add(o)?,
        None => y,
    })
}

/// [`fused::attention_block`] as the chain of LayerNorm, dense, attention ops and an add; also
/// returns the attention's projected output (before the residual add).
pub fn attention_block(x: &Tensor, w: &AttentionWeights, heads: usize) -> Result<(Tensor, Tensor)> {
    let [wq, wk, wv, wo] = w.projections;
    let [scale, offset, q_scale, k_scale] = w.norms;
    let a = fused::layer_norm(x, scale, Some(offset))?;
    let q = fused::layer_norm(&fused::dense(&a, wq, None)?, q_scale, None)?;
    let k = fused::layer_norm(&fused::dense(&a, wk, None)?, k_scale, None)?;
    let v = fused::dense(&a, wv, None)?;
    let out = fused::dense(&fused::causal_attention(&q, &k, &v, heads)?, wo, None)?;
    Ok(((x + &out)?, out))
}

/// [`fused::mlp_block`] as the chain of LayerNorm, MLP, add and LayerNorm ops.
pub fn mlp_block(x: &Tensor, w: &MlpWeights) -> Result<Tensor> {
    let [scale, offset, out_scale, out_offset] = w.norms;
    let m = fused::mlp(&fused::layer_norm(x, scale, Some(offset))?, w.w1, w.w2)?;
    fused::layer_norm(&(x + m)?, out_scale, Some(out_offset))
}
