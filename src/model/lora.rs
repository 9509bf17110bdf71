//! A Transformer's bias-free E → E projection with its optional rank-r LoRA adapter (`lora_in`, `lora_out`) beside it.

use candle_core::{DType, Tensor};
use rand::Rng;

use super::init::lecun_normal;
use super::params::Params;
use super::weight::Weight;
use crate::error::Result;

/// A bias-free projection E → E with an optional rank-r LoRA adapter beside it.
#[derive(Debug, Clone)]
pub(super) struct Projection {
    weight: Weight,
    /// (down E × r, up r × E); `up` starts at zero so the adapter starts silent.
    lora: Option<(Weight, Weight)>,
}

impl Projection {
    /// Creates `{name}.weight` and, for a rank above 0, `{name}.lora_in` and `{name}.lora_out`.
    pub(super) fn new<R: Rng>(params: &mut Params, rng: &mut R, name: &str, e: usize, rank: usize) -> Result<Self> {
        let weight = params.add(&format!("{name}.weight"), lecun_normal(rng, e, e * e), &[e, e])?;
        let lora = if rank > 0 {
            let down = params.add(&format!("{name}.lora_in"), lecun_normal(rng, e, e * rank), &[e, rank])?;
            let up = params.add(&format!("{name}.lora_out"), vec![0.0; rank * e], &[rank, e])?;
            Some((down, up))
        } else {
            None
        };
        Ok(Projection { weight, lora })
    }

    /// The weight and the adapter's two, for freezing.
    pub(super) fn weights_mut(&mut self) -> impl Iterator<Item = &mut Weight> {
        std::iter::once(&mut self.weight).chain(self.lora.iter_mut().flat_map(|(down, up)| [down, up]))
    }

    /// The projection's weight as it acts: W, or W + down·up with an adapter that is not silent.
    pub(super) fn effective(&self) -> Result<Tensor> {
        match &self.lora {
            Some((down, up)) if !silent(up)? => Ok((self.weight.tensor() + down.tensor().matmul(&up.tensor())?)?),
            _ => Ok(self.weight.tensor()),
        }
    }
}

/// Whether an adapter with this `up` adds exactly zero and gets no gradient: `up` is frozen
/// and all zeros, as it starts and stays except under LoRAWT. The forward pass then skips
/// the adapter (and backprop its nodes), which changes no number.
fn silent(up: &Weight) -> Result<bool> {
    Ok(up.is_frozen() && up.tensor().flatten_all()?.to_dtype(DType::F64)?.to_vec1::<f64>()?.iter().all(|&v| v == 0.0))
}
