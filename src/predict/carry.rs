//! An LSTM network's predictions one token at a time, its state carried from token to token, so any length runs in constant memory.

use candle_core::DType;

use crate::config::Architecture;
use crate::error::{Error, Result};
use crate::model::Predictor;

/// One LSTM layer's weights, row-major as the engine stores them (gates: input, forget, cell, output).
struct Layer {
    /// (input width, 4H).
    w_ih: Vec<f32>,
    /// (H, 4H).
    w_hh: Vec<f32>,
    /// (4H).
    bias: Vec<f32>,
    /// H.
    width: usize,
}

/// An LSTM predictor's state between tokens: feed the tokens in order, read the predictive after each.
/// Computes what [`Predictor::forward`] computes in f32, token by token (the same numbers up to
/// the rounding of a different summation order).
pub struct LstmCarry {
    layers: Vec<Layer>,
    /// Layer 0's input projection plus bias for each distinct input: row 0 the BOS slot, row 1 + t token t.
    table: Vec<f32>,
    unembed: Vec<f32>,
    unembed_bias: Vec<f32>,
    vocab: usize,
    hidden: Vec<Vec<f32>>,
    cells: Vec<Vec<f32>>,
    gates: Vec<f32>,
}

fn values(predictor: &Predictor, name: &str) -> Result<Vec<f32>> {
    Ok(predictor.params.get(name)?.as_tensor().to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?)
}

/// `x` (len n) times the row-major (n, m) matrix `w`, added into `out` (len m).
fn add_product(x: &[f32], w: &[f32], out: &mut [f32]) {
    let m = out.len();
    for (xk, row) in x.iter().zip(w.chunks_exact(m)) {
        out.iter_mut().zip(row).for_each(|(o, &wkj)| *o += xk * wkj);
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl LstmCarry {
    /// The state of `predictor` (an LSTM) before the first token; refuses other torsos.
    pub fn new(predictor: &Predictor) -> Result<Self> {
        let config = &predictor.config;
        if config.architecture != Architecture::Lstm {
            return Err(Error::invalid("model", format!("{:?}", config.architecture), "an LSTM (only a recurrent net carries its state)"));
        }
        let (v, e) = (predictor.vocab, config.embedding_dim);
        let mut layers = Vec::new();
        let mut input = e;
        for (l, &h) in config.hidden_sizes.iter().enumerate() {
            let w = |p: &str| values(predictor, &format!("torso.layer{l}.{p}"));
            layers.push(Layer { w_ih: w("w_ih")?, w_hh: w("w_hh")?, bias: w("bias")?, width: h });
            input = h;
        }
        let (emb, emb_bias) = (values(predictor, "embedding.weight")?, values(predictor, "embedding.bias")?);
        let first = layers.first().ok_or_else(|| Error::other("an LSTM without layers"))?;
        let mut table = Vec::with_capacity((v + 1) * 4 * first.width);
        for row in 0..=v {
            // The BOS slot is an all-zero input: its embedding is the bias alone.
            let mut x = emb_bias.clone();
            if row > 0 {
                x.iter_mut().zip(&emb[(row - 1) * e..row * e]).for_each(|(a, &b)| *a += b);
            }
            let mut z = first.bias.clone();
            add_product(&x, &first.w_ih, &mut z);
            table.extend(z);
        }
        let hidden = layers.iter().map(|l| vec![0.0; l.width]).collect();
        let cells = layers.iter().map(|l| vec![0.0; l.width]).collect();
        let (unembed, unembed_bias) = (values(predictor, "unembedding.weight")?, values(predictor, "unembedding.bias")?);
        if unembed.len() != input * v {
            return Err(Error::other("the unembedding does not match the last LSTM layer"));
        }
        Ok(LstmCarry { layers, table, unembed, unembed_bias, vocab: v, hidden, cells, gates: Vec::new() })
    }

    /// The predictive before the first token (after the BOS slot), P(token = v).
    pub fn start(&mut self) -> Vec<f64> {
        self.feed(0)
    }

    /// Feeds `token` (checked against V by the caller) and returns the predictive of the next one.
    pub fn step(&mut self, token: u32) -> Vec<f64> {
        self.feed(1 + token as usize)
    }

    fn feed(&mut self, row: usize) -> Vec<f64> {
        for l in 0..self.layers.len() {
            let layer = &self.layers[l];
            let h = layer.width;
            self.gates.clear();
            if l == 0 {
                self.gates.extend_from_slice(&self.table[row * 4 * h..(row + 1) * 4 * h]);
            } else {
                self.gates.extend_from_slice(&layer.bias);
                add_product(&self.hidden[l - 1], &layer.w_ih, &mut self.gates);
            }
            add_product(&self.hidden[l], &layer.w_hh, &mut self.gates);
            let (c, hid) = (&mut self.cells[l], &mut self.hidden[l]);
            for j in 0..h {
                let (i, f, g, o) = (self.gates[j], self.gates[h + j], self.gates[2 * h + j], self.gates[3 * h + j]);
                c[j] = sigmoid(f) * c[j] + sigmoid(i) * g.tanh();
                hid[j] = sigmoid(o) * c[j].tanh();
            }
        }
        let mut logits = self.unembed_bias.clone();
        add_product(self.hidden.last().map_or(&[][..], Vec::as_slice), &self.unembed, &mut logits);
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        let sum: f64 = logits.iter().map(|&z| (z as f64 - max).exp()).sum();
        let probs: Vec<f64> = logits.iter().map(|&z| (z as f64 - max).exp() / sum).collect();
        debug_assert_eq!(probs.len(), self.vocab);
        probs
    }
}
