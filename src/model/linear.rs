//! The Linear torso: a stack of dense layers without activation (for tests).

use candle_core::Tensor;
use rand::Rng;

use super::init::lecun_normal;
use super::params::Params;
use super::torso_input::TorsoInput;
use super::weight::Weight;
use crate::error::Result;
use crate::kernels::dense;

/// Dense layers with bias, one per hidden size.
#[derive(Debug, Clone)]
pub struct Linear {
    layers: Vec<(Weight, Weight)>,
}

impl Linear {
    /// Creates `torso.layer{l}.{weight,bias}`.
    pub fn new<R: Rng>(params: &mut Params, rng: &mut R, input: usize, hidden_sizes: &[usize]) -> Result<Self> {
        let mut layers = Vec::new();
        let mut width = input;
        for (l, &h) in hidden_sizes.iter().enumerate() {
            let w = params.add(&format!("torso.layer{l}.weight"), lecun_normal(rng, width, width * h), &[width, h])?;
            let b = params.add(&format!("torso.layer{l}.bias"), vec![0.0; h], &[h])?;
            layers.push((w, b));
            width = h;
        }
        Ok(Linear { layers })
    }

    /// Every weight, for freezing.
    pub fn weights_mut(&mut self) -> impl Iterator<Item = &mut Weight> {
        self.layers.iter_mut().flat_map(|(w, b)| [w, b])
    }

    /// Applies every layer to (B, T, E).
    pub(crate) fn forward(&self, input: &TorsoInput) -> Result<Tensor> {
        self.layers.iter().try_fold(input.rows()?, |x, (w, b)| dense(&x, &w.tensor(), Some(&b.tensor())))
    }
}
