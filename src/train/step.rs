//! One optimiser step: backprop, global-norm clipping, Adam.

use candle_core::{DType, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};

use crate::error::Result;

/// Adam (β = 0.9, 0.999, ε = 1e-8, no weight decay) over `vars`.
pub fn adam(vars: Vec<Var>, learning_rate: f64) -> Result<AdamW> {
    let params = ParamsAdamW { lr: learning_rate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0 };
    Ok(AdamW::new(vars, params)?)
}

/// Outcome of one optimiser step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// The step was applied; the unclipped global gradient norm.
    Applied(f64),
    /// The loss or the gradient norm was not finite (the value); nothing changed.
    Diverged(&'static str, f64),
}

/// Backpropagates `loss`, rescales the gradients of `vars` so their global
/// L2 norm is at most `max_norm`, and applies `opt`. A non-finite loss or
/// gradient changes nothing and is reported as [`Step::Diverged`].
pub fn clipped_step(loss: &Tensor, vars: &[Var], opt: &mut AdamW, max_norm: f64) -> Result<Step> {
    let loss_value = loss.to_dtype(DType::F64)?.to_scalar::<f64>()?;
    if !loss_value.is_finite() {
        return Ok(Step::Diverged("loss", loss_value));
    }
    let mut grads = loss.backward()?;
    let mut squares = 0.0;
    for v in vars {
        if let Some(g) = grads.get(v) {
            squares += g.sqr()?.sum_all()?.to_dtype(DType::F64)?.to_scalar::<f64>()?;
        }
    }
    let norm = squares.sqrt();
    if !norm.is_finite() {
        return Ok(Step::Diverged("gradient norm", norm));
    }
    if norm > max_norm {
        let scale = max_norm / norm;
        for v in vars {
            if let Some(g) = grads.remove(v) {
                grads.insert(v, (g * scale)?);
            }
        }
    }
    opt.step(&grads)?;
    Ok(Step::Applied(norm))
}
