//! The predictor wrapper (SPEC §3): BOS slot, embedding, prefixes, torso, unembedding, log-softmax.

use std::collections::BTreeMap;

use candle_core::{DType, Device, Tensor, D};

use super::init::lecun_normal;
use super::linear::Linear;
use super::lstm::Lstm;
use super::params::Params;
use super::prefix::{zeros, Prefix};
use super::torso_input::TorsoInput;
use super::transformer::Transformer;
use super::weight::Weight;
use crate::config::{Architecture, ModelConfig};
use crate::error::{Error, Result};
use crate::kernels::dense;
use crate::sources::Batch;

/// Recorded internal states by name (`layer0_hidden`, `layer0_cell`,
/// `layer0_attention_out`), each (B, T, width).
pub type States = BTreeMap<String, Tensor>;

#[derive(Debug, Clone)]
enum Torso {
    Lstm(Lstm),
    Transformer(Transformer),
    Linear(Linear),
}

/// A sequence predictor: embedding, torso and unembedding over V tokens.
#[derive(Debug, Clone)]
pub struct Predictor {
    /// The network's shape.
    pub config: ModelConfig,
    /// Vocabulary size V.
    pub vocab: usize,
    /// Every weight, by name.
    pub params: Params,
    torso: Torso,
    embedding: (Weight, Weight),
    unembedding: (Weight, Weight),
}

/// What one forward pass returns.
#[derive(Debug, Clone)]
pub struct Forward {
    /// (B, N, V) log probabilities (nats); row n is the prediction of token n
    /// made before seeing it (row 0: before any token).
    pub log_probs: Tensor,
    /// Internal states aligned with `log_probs` (B, N, width), if recorded.
    pub states: Option<States>,
    /// Internal states at the K prefix positions (B, K, width), if recorded and K > 0.
    pub prefix_states: Option<States>,
}

impl Predictor {
    /// A freshly initialised network for V tokens; weights drawn from `seed`.
    pub fn new(config: &ModelConfig, vocab: usize, seed: u64, dtype: DType) -> Result<Self> {
        config.validate("model")?;
        if !(2..=crate::sources::MAX_VOCAB).contains(&vocab) {
            return Err(Error::invalid("vocab", vocab, format!("an integer in 2..={}", crate::sources::MAX_VOCAB)));
        }
        let mut rng = crate::seed::stream(seed, "init");
        let mut params = Params::new(dtype);
        let e = config.embedding_dim;
        let embedding = (
            params.add("embedding.weight", lecun_normal(&mut rng, vocab, vocab * e), &[vocab, e])?,
            params.add("embedding.bias", vec![0.0; e], &[e])?,
        );
        let hs = &config.hidden_sizes;
        let (torso, out_width) = match config.architecture {
            Architecture::Lstm => (Torso::Lstm(Lstm::new(&mut params, &mut rng, e, hs)?), *hs.last().unwrap_or(&e)),
            Architecture::Linear => (Torso::Linear(Linear::new(&mut params, &mut rng, e, hs)?), *hs.last().unwrap_or(&e)),
            Architecture::Transformer => {
                let lora = if config.has_lora() { config.lora_rank } else { 0 };
                let t = Transformer::new(&mut params, &mut rng, e, hs, config.num_heads, config.widening_factor, lora)?;
                (Torso::Transformer(t), e)
            }
        };
        let unembedding = (
            params.add("unembedding.weight", lecun_normal(&mut rng, out_width, out_width * vocab), &[out_width, vocab])?,
            params.add("unembedding.bias", vec![0.0; vocab], &[vocab])?,
        );
        Ok(Predictor { config: config.clone(), vocab, params, torso, embedding, unembedding })
    }

    /// An independent copy: same weights, separate variables (tuning the copy
    /// leaves this network untouched).
    pub fn duplicate(&self) -> Result<Predictor> {
        let copy = Predictor::new(&self.config, self.vocab, 0, self.params.dtype())?;
        copy.params.copy_from(&self.params)?;
        Ok(copy)
    }

    /// A view of this network (same variables) in which only the weights whose
    /// names pass `trains` take part in backprop; the others enter every forward
    /// pass detached, so no gradient is computed for them. Values are unchanged.
    pub fn training_only(&self, trains: impl Fn(&str) -> bool) -> Predictor {
        let mut view = self.clone();
        let torso: Box<dyn Iterator<Item = &mut Weight>> = match &mut view.torso {
            Torso::Lstm(t) => Box::new(t.weights_mut()),
            Torso::Transformer(t) => Box::new(t.weights_mut()),
            Torso::Linear(t) => Box::new(t.weights_mut()),
        };
        let (e, u) = (&mut view.embedding, &mut view.unembedding);
        for w in torso.chain([&mut e.0, &mut e.1, &mut u.0, &mut u.1]) {
            let frozen = !trains(w.name());
            w.set_frozen(frozen);
        }
        view
    }

    /// Log predictions for (B, N, V) one-hot `tokens` after `prefix`, with internal states if `record`.
    ///
    /// When `tokens` is a constant one-hot batch (as in training, tuning and evaluation),
    /// the embedding and the LSTM's input projection run once per distinct input row
    /// (BOS, the V tokens, the K prefix rows) and are gathered per position; otherwise,
    /// and in [`Predictor::forward_per_position`], once per position. Same numbers.
    pub fn forward(&self, tokens: &Tensor, prefix: &Prefix, record: bool) -> Result<Forward> {
        self.forward_with(tokens, prefix, record, true)
    }

    /// [`Predictor::forward`] embedding every position separately (the reference path).
    pub fn forward_per_position(&self, tokens: &Tensor, prefix: &Prefix, record: bool) -> Result<Forward> {
        self.forward_with(tokens, prefix, record, false)
    }

    fn forward_with(&self, tokens: &Tensor, prefix: &Prefix, record: bool, tables: bool) -> Result<Forward> {
        let (b, n, v) = tokens.dims3()?;
        if v != self.vocab {
            return Err(Error::invalid("tokens", format!("V = {v}"), format!("the model's vocabulary size {}", self.vocab)));
        }
        let k = prefix.len();
        if let Prefix::Soft(soft) = prefix {
            let e = self.config.embedding_dim;
            if soft.dims() != [k, e] {
                return Err(Error::invalid("prefix", format!("soft prefix of shape {:?}", soft.dims()), format!("a (K, {e}) matrix")));
            }
        }
        let ids = if tables { token_ids(tokens)? } else { None };
        let input = match ids {
            Some(ids) => self.embed_table(&ids, b, n, prefix)?,
            None => self.embed_positions(tokens, prefix)?,
        };
        let mut all_states = if record { Some(States::new()) } else { None };
        let out = match &self.torso {
            Torso::Lstm(t) => t.forward(&input, all_states.as_mut())?,
            Torso::Transformer(t) => t.forward(&input, all_states.as_mut())?,
            Torso::Linear(t) => {
                if record {
                    return Err(Error::other("the Linear torso has no internal states to record"));
                }
                t.forward(&input)?
            }
        };
        // Drop the outputs at prefix positions and after the last token.
        let logits = dense(&out.narrow(1, k, n)?, &self.unembedding.0.tensor(), Some(&self.unembedding.1.tensor()))?;
        let log_probs = candle_nn::ops::log_softmax(&logits, D::Minus1)?;
        let (states, prefix_states) = match all_states {
            None => (None, None),
            Some(all) => {
                let mut real = States::new();
                let mut pre = States::new();
                for (name, s) in all {
                    real.insert(name.clone(), s.narrow(1, k, n)?);
                    if k > 0 {
                        pre.insert(name, s.narrow(1, 0, k)?);
                    }
                }
                (Some(real), if k > 0 { Some(pre) } else { None })
            }
        };
        Ok(Forward { log_probs, states, prefix_states })
    }

    /// The embedded inputs, one row per position: [BOS, prefix, tokens] (soft rows after BOS).
    fn embed_positions(&self, tokens: &Tensor, prefix: &Prefix) -> Result<TorsoInput> {
        let (b, n, v) = tokens.dims3()?;
        let (dtype, k) = (self.params.dtype(), prefix.len());
        let mut x = tokens.to_dtype(dtype)?;
        if let Some(rows) = prefix.input_rows(v, dtype)? {
            let rows = rows.unsqueeze(0)?.broadcast_as((b, k, v))?.contiguous()?;
            x = Tensor::cat(&[&rows, &x], 1)?;
        }
        // The BOS slot: an all-zero input so a prediction exists before the first token.
        x = Tensor::cat(&[&zeros(&[b, 1, v], dtype)?, &x], 1)?;
        let mut emb = dense(&x, &self.embedding.0.tensor(), Some(&self.embedding.1.tensor()))?;
        if let Prefix::Soft(soft) = prefix {
            let soft = soft.to_dtype(dtype)?.unsqueeze(0)?.broadcast_as((b, k, self.config.embedding_dim))?.contiguous()?;
            emb = Tensor::cat(&[&emb.narrow(1, 0, 1)?, &soft, &emb.narrow(1, 1, n)?], 1)?;
        }
        Ok(TorsoInput::Dense(emb))
    }

    /// The embedded inputs as a table of distinct rows — BOS (an all-zero input), the V
    /// tokens, then the K prefix rows — and, per position, the index of its row.
    fn embed_table(&self, ids: &[u32], b: usize, n: usize, prefix: &Prefix) -> Result<TorsoInput> {
        let (dtype, v, k) = (self.params.dtype(), self.vocab, prefix.len());
        let mut inputs = Tensor::cat(&[&zeros(&[1, v], dtype)?, &Tensor::eye(v, dtype, &Device::Cpu)?], 0)?;
        if let Some(rows) = prefix.input_rows(v, dtype)? {
            inputs = Tensor::cat(&[&inputs, &rows], 0)?;
        }
        let mut table = dense(&inputs, &self.embedding.0.tensor(), Some(&self.embedding.1.tensor()))?;
        if let Prefix::Soft(soft) = prefix {
            table = Tensor::cat(&[&table, &soft.to_dtype(dtype)?], 0)?;
        }
        let first_prefix_row = 1 + v as u32;
        let mut index = Vec::with_capacity(b * (1 + k + n));
        for seq in ids.chunks_exact(n.max(1)).take(b) {
            index.push(0);
            index.extend((0..k as u32).map(|i| first_prefix_row + i));
            index.extend(seq.iter().map(|&t| 1 + t));
        }
        Ok(TorsoInput::Table { rows: table, index: index.into(), batch: b, length: 1 + k + n })
    }

    /// (B, N, V) log predictions for a batch of token sequences.
    pub fn log_probs(&self, batch: &Batch, prefix: &Prefix) -> Result<Tensor> {
        let x = one_hot(&batch.tokens, batch.batch_size, batch.length, self.vocab, self.params.dtype())?;
        Ok(self.forward(&x, prefix, false)?.log_probs)
    }
}

/// The token ids of a constant (B, N, V) batch in which every row is exactly one-hot;
/// None for anything else (a tracked input, soft rows), which takes the per-position path.
fn token_ids(x: &Tensor) -> Result<Option<Vec<u32>>> {
    let (_, n, v) = x.dims3()?;
    if x.track_op() || n == 0 {
        return Ok(None);
    }
    let data = x.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?;
    let mut ids = Vec::with_capacity(data.len() / v.max(1));
    for row in data.chunks_exact(v) {
        let mut hot = row.iter().enumerate().filter(|(_, &x)| x != 0.0);
        match (hot.next(), hot.next()) {
            (Some((i, &one)), None) if one == 1.0 => ids.push(i as u32),
            _ => return Ok(None),
        }
    }
    Ok(Some(ids))
}

/// (B, N, V) one-hot encoding of row-major tokens.
pub fn one_hot(tokens: &[u32], b: usize, n: usize, v: usize, dtype: DType) -> Result<Tensor> {
    if tokens.len() != b * n {
        return Err(Error::other(format!("{} tokens do not fill a {b} × {n} batch", tokens.len())));
    }
    let mut data = vec![0f32; b * n * v];
    for (i, &t) in tokens.iter().enumerate() {
        let t = t as usize;
        if t >= v {
            return Err(Error::invalid("tokens", t, format!("a token in 0..={}", v - 1)));
        }
        data[i * v + t] = 1.0;
    }
    Ok(Tensor::from_vec(data, (b, n, v), &Device::Cpu)?.to_dtype(dtype)?)
}
