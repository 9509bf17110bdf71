//! The stacked LSTM torso; the recurrence itself lives in one function, [`lstm_scan`].

use std::sync::Arc;

use candle_core::Tensor;
use rand::Rng;

use super::init::{lecun_normal, orthogonal_gates};
use super::lstm_kernel::{LstmScan, Steps};
use super::layers::dense;
use super::params::Params;
use super::predictor::States;
use super::torso_input::TorsoInput;
use super::weight::Weight;
use crate::error::Result;

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
                (Some(x), _) => lstm_scan(&project(x)?, &w_hh, keep_cells)?,
                // Layer 0 on a table: the recurrence reads the projected rows by index.
                (None, TorsoInput::Table { rows, index, batch, length }) => lstm_scan_table(&project(rows)?, index.clone(), *batch, *length, &w_hh, keep_cells)?,
                (None, TorsoInput::Dense(x)) => lstm_scan(&project(x)?, &w_hh, keep_cells)?,
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

/// The LSTM recurrence over time. `xw` is (B, T, 4H): the input projection
/// plus bias for every step; `w_hh` is (H, 4H). Returns the hidden states
/// (B, T, H) and, if `keep_cells`, the cell states (B, T, H).
///
/// Runs the fused kernel of [`super::lstm_kernel`]; [`lstm_scan_unfused`] is
/// the same computation in generic candle ops, kept as its reference.
pub fn lstm_scan(xw: &Tensor, w_hh: &Tensor, keep_cells: bool) -> Result<(Tensor, Option<Tensor>)> {
    scan(xw, w_hh, keep_cells, Steps::PerPosition)
}

/// [`lstm_scan`] of the (B, T, 4H) projections whose row (b, t) is row
/// `index[b·T + t]` of the (R, 4H) `table`, without gathering them.
pub fn lstm_scan_table(table: &Tensor, index: Arc<[u32]>, batch: usize, length: usize, w_hh: &Tensor, keep_cells: bool) -> Result<(Tensor, Option<Tensor>)> {
    scan(table, w_hh, keep_cells, Steps::Table { index, batch, length })
}

fn scan(xw: &Tensor, w_hh: &Tensor, keep_cells: bool, steps: Steps) -> Result<(Tensor, Option<Tensor>)> {
    let h = w_hh.dim(0)?;
    let out = xw.contiguous()?.apply_op2(&w_hh.contiguous()?, LstmScan::new(keep_cells, steps))?;
    if keep_cells {
        Ok((out.narrow(2, 0, h)?, Some(out.narrow(2, h, h)?)))
    } else {
        Ok((out, None))
    }
}

/// [`lstm_scan`] written with one set of generic candle ops per time step.
pub fn lstm_scan_unfused(xw: &Tensor, w_hh: &Tensor, keep_cells: bool) -> Result<(Tensor, Option<Tensor>)> {
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
