//! The stacked LSTM torso: each layer's input projection and its recurrence, the fused [`lstm_scan`].

use candle_core::Tensor;
use rand::Rng;

use super::init::{lecun_normal, orthogonal_gates};
use super::params::Params;
use super::predictor::States;
use super::torso_input::TorsoInput;
use super::weight::Weight;
use crate::error::Result;
use crate::kernels::{dense, lstm_scan, StepInputs};

/// One LSTM layer: gates packed as (input, forget, cell, output).
#[derive(Debug, Clone)]
struct Layer {
    w_ih: Weight,
    w_hh: Weight,
    bias: Weight,
}

/// Stacked LSTM with zero initial state.
#[derive(Debug, Clone)]
pub struct Lstm {
    layers: Vec<Layer>,
}

impl Lstm {
    /// Creates `torso.layer{l}.{w_ih,w_hh,bias}` for each hidden size.
    pub fn new<R: Rng>(params: &mut Params, rng: &mut R, input: usize, hidden_sizes: &[usize]) -> Result<Self> {
        let mut layers = Vec::new();
        let mut width = input;
        for (l, &h) in hidden_sizes.iter().enumerate() {
            let name = |p: &str| format!("torso.layer{l}.{p}");
            let w_ih = params.add(&name("w_ih"), lecun_normal(rng, width, width * 4 * h), &[width, 4 * h])?;
            let w_hh = params.add(&name("w_hh"), orthogonal_gates(rng, h), &[h, 4 * h])?;
            let bias = params.add(&name("bias"), vec![0.0; 4 * h], &[4 * h])?;
            layers.push(Layer { w_ih, w_hh, bias });
            width = h;
        }
        Ok(Lstm { layers })
    }

    /// Every weight, for freezing.
    pub fn weights_mut(&mut self) -> impl Iterator<Item = &mut Weight> {
        self.layers.iter_mut().flat_map(|l| [&mut l.w_ih, &mut l.w_hh, &mut l.bias])
    }

    /// Runs (B, T, E) through every layer; records `layer{l}_cell` and `layer{l}_hidden`.
    pub(crate) fn forward(&self, input: &TorsoInput, mut states: Option<&mut States>) -> Result<Tensor> {
        let mut x: Option<Tensor> = None;
        for (l, layer) in self.layers.iter().enumerate() {
            // Input projections for all time steps in one matmul (layer 0: once per distinct input row).
            let project = |x: &Tensor| dense(x, &layer.w_ih.tensor(), Some(&layer.bias.tensor()));
            let (w_hh, keep_cells) = (layer.w_hh.tensor(), states.is_some());
            let (h, c) = match (&x, input) {
                (Some(x), _) => lstm_scan(StepInputs::PerPosition(&project(x)?), &w_hh, keep_cells)?,
                // Layer 0 on a table: the recurrence reads the projected rows by index.
                (None, TorsoInput::Table { rows, index, batch, length }) => {
                    let steps = StepInputs::Table { table: &project(rows)?, index: index.clone(), batch: *batch, length: *length };
                    lstm_scan(steps, &w_hh, keep_cells)?
                }
                (None, TorsoInput::Dense(x)) => lstm_scan(StepInputs::PerPosition(&project(x)?), &w_hh, keep_cells)?,
            };
            if let Some(s) = states.as_deref_mut() {
                if let Some(c) = c {
                    s.insert(format!("layer{l}_cell"), c);
                }
                s.insert(format!("layer{l}_hidden"), h.clone());
            }
            x = Some(h);
        }
        match x {
            Some(x) => Ok(x),
            None => input.rows(),
        }
    }
}
