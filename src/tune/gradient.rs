//! Gradient tuners: SimplexPT, RealPT, SoftPT (a prefix variable) and the weight tuners (named parameters).

use candle_core::{DType, Device, Tensor, Var};

use super::{data_stream, init_stream, initial_prefix, Tuned};
use crate::config::{Method, TuningConfig};
use crate::error::{Error, Result};
use crate::model::{one_hot, Predictor, Prefix};
use crate::results::Divergence;
use crate::train::{adam, clipped_step, divergence_reason, log_loss, loss_ceiling, Step};

/// Tunes a prefix variable or a copy of the network's named weights with
/// clipped Adam on a fresh tuning batch per step.
pub fn tune_gradient(
    pretrained: &Predictor,
    method: Method,
    cfg: &TuningConfig,
    seed: u64,
    repetition: usize,
    progress: &mut dyn FnMut(usize, f64),
) -> Result<Tuned> {
    method.check(&pretrained.config, "method")?;
    let v = pretrained.vocab;
    let k = cfg.prefix_length;
    let dtype = pretrained.params.dtype();
    let (predictor, prefix_var, make): (Predictor, Option<Var>, fn(Tensor) -> Prefix) = match method {
        Method::SimplexPt | Method::RealPt | Method::SoftPt => {
            let dim = if method == Method::SoftPt { pretrained.config.embedding_dim } else { v };
            let init = initial_prefix(cfg.prefix_init, k, dim, &mut init_stream(seed, repetition));
            let var = Var::from_tensor(&Tensor::from_vec(init, (k, dim), &Device::Cpu)?.to_dtype(dtype)?)?;
            let make: fn(Tensor) -> Prefix = match method {
                Method::SimplexPt => Prefix::Simplex,
                Method::RealPt => Prefix::Real,
                _ => Prefix::Soft,
            };
            // Every weight frozen: backprop computes only the prefix's gradient.
            (pretrained.training_only(|_| false), Some(var), make)
        }
        Method::HardPt => return Err(Error::other("HardPT is a search, not a gradient tuner")),
        _ => (pretrained.duplicate()?.training_only(|n| method.trains(n)), None, |_| Prefix::None),
    };
    let vars = match &prefix_var {
        Some(var) => vec![var.clone()],
        None => predictor.params.iter().filter(|(n, _)| method.trains(n)).map(|(_, var)| var.clone()).collect(),
    };
    let current = |var: &Option<Var>| var.as_ref().map_or(Prefix::None, |p| make(p.as_tensor().clone()));
    let initial_rows = prefix_rows(&current(&prefix_var))?;
    let mut opt = adam(vars.clone(), cfg.learning_rate)?;
    let mut rng = data_stream(seed, repetition);
    let mut losses = Vec::with_capacity(cfg.steps);
    let mut diverged = None;
    let ceiling = loss_ceiling(cfg.sequence_length, v);
    for step in 1..=cfg.steps {
        let batch = cfg.source.sample(&mut rng, cfg.batch_size, cfg.sequence_length)?;
        let x = one_hot(&batch.tokens, batch.batch_size, batch.length, v, dtype)?;
        let loss = log_loss(&predictor.forward(&x, &current(&prefix_var), false)?.log_probs, &x)?;
        let value = loss.to_dtype(DType::F64)?.to_scalar::<f64>()?;
        match clipped_step(&loss, &vars, &mut opt, cfg.max_grad_norm, ceiling)? {
            Step::Applied(_) => {
                losses.push(value);
                progress(step, value);
            }
            Step::Diverged(what, bad) => {
                diverged = Some(Divergence { step, message: format!("diverged at step {step} ({})", divergence_reason(what, bad, ceiling)) });
                break;
            }
        }
    }
    let prefix = current(&prefix_var);
    let rows = prefix_rows(&prefix)?;
    Ok(Tuned { predictor, prefix, initial_rows, rows, losses, diverged, ranking: Vec::new() })
}

/// The K rows a prefix feeds the network (softmax rows for a simplex prefix).
pub fn prefix_rows(prefix: &Prefix) -> Result<Option<Vec<Vec<f64>>>> {
    let t = match prefix {
        Prefix::None | Prefix::Hard(_) => return Ok(None),
        Prefix::Simplex(logits) => candle_nn::ops::softmax(logits, 1)?,
        Prefix::Real(t) | Prefix::Soft(t) => t.clone(),
    };
    Ok(Some(t.to_dtype(DType::F64)?.to_vec2::<f64>()?))
}
