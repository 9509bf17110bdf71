//! The decoder-only Transformer torso: pre-LN blocks, q/k LayerNorm, GELU MLP, optional LoRA.

use candle_core::{DType, Device, Tensor};
use rand::Rng;

use super::init::lecun_normal;
use super::lora::Projection;
use super::params::Params;
use super::predictor::States;
use super::torso_input::TorsoInput;
use super::weight::Weight;
use crate::error::Result;
use crate::kernels::{attention_block, mlp_block, reference, AttentionWeights, MlpWeights};

/// LayerNorm weights: scale, and an offset unless it is a q/k norm.
#[derive(Debug, Clone)]
struct Norm {
    scale: Weight,
    offset: Option<Weight>,
}

impl Norm {
    fn new(params: &mut Params, name: &str, e: usize, with_offset: bool) -> Result<Self> {
        let scale = params.add(&format!("{name}.scale"), vec![1.0; e], &[e])?;
        let offset = if with_offset { Some(params.add(&format!("{name}.offset"), vec![0.0; e], &[e])?) } else { None };
        Ok(Norm { scale, offset })
    }

    fn weights_mut(&mut self) -> impl Iterator<Item = &mut Weight> {
        std::iter::once(&mut self.scale).chain(self.offset.as_mut())
    }

    /// The scale and the offset (an error for a norm without one).
    fn scale_and_offset(&self) -> Result<(Tensor, Tensor)> {
        match &self.offset {
            Some(offset) => Ok((self.scale.tensor(), offset.tensor())),
            None => Err(crate::error::Error::other("a LayerNorm without offset used where one is needed")),
        }
    }
}

#[derive(Debug, Clone)]
struct Block {
    ln_attn: Norm,
    query: Projection,
    key: Projection,
    value: Projection,
    out: Projection,
    q_norm: Norm,
    k_norm: Norm,
    ln_mlp: Norm,
    mlp_in: Weight,
    mlp_out: Weight,
    ln_out: Norm,
}

impl Block {
    /// One block on (B, T, E) rows: the two fused half-block ops, or, when recording
    /// `layer{l}_attention_out` into `record`, the chains of smaller ops they replace
    /// (which compute the same values, bit for bit).
    fn forward(&self, x: &Tensor, heads: usize, record: Option<(&mut States, usize)>) -> Result<Tensor> {
        let projections = [self.query.effective()?, self.key.effective()?, self.value.effective()?, self.out.effective()?];
        let ((scale, offset), q_scale, k_scale) = (self.ln_attn.scale_and_offset()?, self.q_norm.scale.tensor(), self.k_norm.scale.tensor());
        let attention = AttentionWeights { projections: projections.each_ref(), norms: [&scale, &offset, &q_scale, &k_scale] };
        let ((scale, offset), (out_scale, out_offset)) = (self.ln_mlp.scale_and_offset()?, self.ln_out.scale_and_offset()?);
        let (w1, w2) = (self.mlp_in.tensor(), self.mlp_out.tensor());
        let mlp = MlpWeights { w1: &w1, w2: &w2, norms: [&scale, &offset, &out_scale, &out_offset] };
        match record {
            Some((states, l)) => {
                let (x, attention_out) = reference::attention_block(x, &attention, heads)?;
                states.insert(format!("layer{l}_attention_out"), attention_out);
                reference::mlp_block(&x, &mlp)
            }
            None => mlp_block(&attention_block(x, &attention, heads)?, &mlp),
        }
    }
}

/// Decoder-only Transformer of width E.
#[derive(Debug, Clone)]
pub struct Transformer {
    blocks: Vec<Block>,
    heads: usize,
}

impl Transformer {
    /// Creates the weights of one block per hidden size under `torso.layer{l}.`.
    pub fn new<R: Rng>(
        params: &mut Params,
        rng: &mut R,
        e: usize,
        hidden_sizes: &[usize],
        heads: usize,
        widening: usize,
        lora_rank: usize,
    ) -> Result<Self> {
        let mut blocks = Vec::new();
        for (l, &h) in hidden_sizes.iter().enumerate() {
            let n = |p: &str| format!("torso.layer{l}.{p}");
            let wide = h * widening;
            blocks.push(Block {
                ln_attn: Norm::new(params, &n("ln_attn"), e, true)?,
                query: Projection::new(params, rng, &n("attn.query"), e, lora_rank)?,
                key: Projection::new(params, rng, &n("attn.key"), e, lora_rank)?,
                value: Projection::new(params, rng, &n("attn.value"), e, lora_rank)?,
                out: Projection::new(params, rng, &n("attn.out"), e, lora_rank)?,
                q_norm: Norm::new(params, &n("attn.q_norm"), e, false)?,
                k_norm: Norm::new(params, &n("attn.k_norm"), e, false)?,
                ln_mlp: Norm::new(params, &n("ln_mlp"), e, true)?,
                mlp_in: params.add(&n("mlp.in"), lecun_normal(rng, e, e * wide), &[e, wide])?,
                mlp_out: params.add(&n("mlp.out"), lecun_normal(rng, wide, wide * e), &[wide, e])?,
                ln_out: Norm::new(params, &n("ln_out"), e, true)?,
            });
        }
        Ok(Transformer { blocks, heads })
    }

    /// Every weight, for freezing.
    pub fn weights_mut(&mut self) -> impl Iterator<Item = &mut Weight> {
        self.blocks.iter_mut().flat_map(|b| {
            let projections = [&mut b.query, &mut b.key, &mut b.value, &mut b.out].into_iter().flat_map(|p| p.weights_mut());
            let norms = [&mut b.ln_attn, &mut b.q_norm, &mut b.k_norm, &mut b.ln_mlp, &mut b.ln_out].into_iter().flat_map(|n| n.weights_mut());
            projections.chain(norms).chain([&mut b.mlp_in, &mut b.mlp_out])
        })
    }

    /// Runs (B, T, E) through every block; records `layer{l}_attention_out`.
    pub(crate) fn forward(&self, input: &TorsoInput, mut states: Option<&mut States>) -> Result<Tensor> {
        let x = input.rows()?;
        let (_, t, e) = x.dims3()?;
        let mut x = x.broadcast_add(&sinusoids(t, e, x.dtype())?)?;
        for (l, blk) in self.blocks.iter().enumerate() {
            x = blk.forward(&x, self.heads, states.as_deref_mut().map(|s| (s, l)))?;
        }
        Ok(x)
    }
}

/// Sinusoidal positions (T, E) as in the reference: for inverse frequencies
/// f_i = 10000^(−2i/E), i = 0..=E/2, the row is [sin(t f_i)…, cos(t f_i)…] cut to E.
fn sinusoids(t: usize, e: usize, dtype: DType) -> Result<Tensor> {
    let inv: Vec<f64> = (0..=e).step_by(2).map(|f| 1e4f64.powf(-(f as f64) / e as f64)).collect();
    let mut out = Vec::with_capacity(t * e);
    for pos in 0..t {
        let p = pos as f64;
        let row: Vec<f64> = inv.iter().map(|w| (p * w).sin()).chain(inv.iter().map(|w| (p * w).cos())).take(e).collect();
        out.extend(row);
    }
    Ok(Tensor::from_vec(out, (t, e), &Device::Cpu)?.to_dtype(dtype)?)
}
