//! The two halves of a Transformer block, attention and MLP, as fused ops and as the chains of smaller ops they replace.

use candle_core::Tensor;

use super::attention::causal_attention;
use super::attention_block_kernel::AttentionBlock;
use super::block_kernel::BlockOp;
use super::layers::{dense, layer_norm, mlp};
use super::mlp_block_kernel::MlpBlock;
use crate::error::{Error, Result};

/// The attention half's weights: projections W_q, W_k, W_v, W_o, each (E, E), and norms:
/// the block LayerNorm's scale and offset and the q and k norms' scales, each (E).
pub struct AttentionWeights<'a> {
    pub projections: [&'a Tensor; 4],
    pub norms: [&'a Tensor; 4],
}

/// The MLP half's weights: W₁ (E, wide), W₂ (wide, E), and the MLP LayerNorm's and the
/// closing LayerNorm's scale and offset, each (E).
pub struct MlpWeights<'a> {
    pub w1: &'a Tensor,
    pub w2: &'a Tensor,
    pub norms: [&'a Tensor; 4],
}

/// Every tensor flattened and laid end to end (one graph node; its gradient is cut back
/// into the pieces' gradients by candle).
fn packed(tensors: &[&Tensor]) -> Result<Tensor> {
    let flat = tensors.iter().map(|t| t.flatten_all()).collect::<candle_core::Result<Vec<_>>>()?;
    Ok(Tensor::cat(&flat, 0)?)
}

/// An error unless every tensor has the shape `dims`.
fn shaped(what: &str, tensors: &[&Tensor], dims: &[usize]) -> Result<()> {
    match tensors.iter().position(|t| t.dims() != dims) {
        Some(i) => Err(Error::other(format!("{what} {i} is {:?}, not {dims:?}", tensors[i].dims()))),
        None => Ok(()),
    }
}

/// x + W_o·Attention(LN_q(a·W_q), LN_k(a·W_k), a·W_v) with a = LN(x), x (B, T, E), as the one fused [`AttentionBlock`] op.
pub fn attention_block(x: &Tensor, w: &AttentionWeights, heads: usize) -> Result<Tensor> {
    let e = x.dims().last().copied().unwrap_or(0);
    shaped("attention projection", &w.projections, &[e, e])?;
    shaped("attention norm", &w.norms, &[e])?;
    Ok(x.contiguous()?.apply_op3(&packed(&w.projections)?, &packed(&w.norms)?, BlockOp(AttentionBlock::new(heads)))?)
}

/// [`attention_block`] as the chain of LayerNorm, dense, attention ops and an add; also
/// returns the attention's projected output (before the residual add).
pub fn attention_block_composed(x: &Tensor, w: &AttentionWeights, heads: usize) -> Result<(Tensor, Tensor)> {
    let [wq, wk, wv, wo] = w.projections;
    let [scale, offset, q_scale, k_scale] = w.norms;
    let a = layer_norm(x, scale, Some(offset))?;
    let q = layer_norm(&dense(&a, wq, None)?, q_scale, None)?;
    let k = layer_norm(&dense(&a, wk, None)?, k_scale, None)?;
    let v = dense(&a, wv, None)?;
    let out = dense(&causal_attention(&q, &k, &v, heads)?, wo, None)?;
    Ok(((x + &out)?, out))
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

/// [`mlp_block`] as the chain of LayerNorm, MLP, add and LayerNorm ops.
pub fn mlp_block_composed(x: &Tensor, w: &MlpWeights) -> Result<Tensor> {
    let [scale, offset, out_scale, out_offset] = w.norms;
    let m = mlp(&layer_norm(x, scale, Some(offset))?, w.w1, w.w2)?;
    layer_norm(&(x + m)?, out_scale, Some(out_offset))
}
