//! One optimiser step: backprop, global-norm clipping, Adam.

use candle_core::backprop::GradStore;
use candle_core::{DType, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};

use crate::error::Result;

/// Adam (β = 0.9, 0.999, ε = 1e-8, no weight decay) over `vars`.
pub fn adam(vars: Vec<Var>, learning_rate: f64) -> Result<AdamW> {
    let params = ParamsAdamW { lr: learning_rate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0 };
    Ok(AdamW::new(vars, params)?)
}

/// A loss above this many times a uniform guess's counts as a blow-up.
pub const BLOW_UP_FACTOR: f64 = 100.0;

/// The loss ceiling of a run (nats per sequence): [`BLOW_UP_FACTOR`] × N ln V, the
/// uniform guess's loss on sequences of `length` tokens over `vocab` symbols.
/// Training starts near N ln V; a loss 100 times that has blown up, even when finite.
pub fn loss_ceiling(length: usize, vocab: usize) -> f64 {
    BLOW_UP_FACTOR * length as f64 * (vocab as f64).ln()
}

/// The words for a diverged step: `what = value`, plus the ceiling when a finite loss passed it.
pub fn divergence_reason(what: &str, value: f64, ceiling: f64) -> String {
    if value.is_finite() && what == "loss" {
        format!("loss = {value:.1}, over {BLOW_UP_FACTOR}× a uniform guess's {:.1}", ceiling / BLOW_UP_FACTOR)
    } else {
        format!("{what} = {value}")
    }
}

/// Outcome of one optimiser step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// The step was applied; the unclipped global gradient norm.
    Applied(f64),
    /// The loss was not finite or above the ceiling, or the gradient norm was
    /// not finite (what, and its value); nothing changed.
    Diverged(&'static str, f64),
}

/// Backpropagates `loss`, rescales the gradients of `vars` so their global
/// L2 norm is at most `max_norm`, and applies `opt`. A loss that is not finite
/// or above `ceiling` (see [`loss_ceiling`]), or a non-finite gradient, changes
/// nothing and is reported as [`Step::Diverged`].
pub fn clipped_step(loss: &Tensor, vars: &[Var], opt: &mut AdamW, max_norm: f64, ceiling: f64) -> Result<Step> {
    let loss_value = loss.to_dtype(DType::F64)?.to_scalar::<f64>()?;
    if let Some(diverged) = loss_check(loss_value, ceiling) {
        return Ok(diverged);
    }
    clip_and_apply(loss.backward()?, vars, opt, max_norm)
}

/// [`Step::Diverged`] for a loss that is not finite or above `ceiling`; `None` for a good one.
pub(super) fn loss_check(loss: f64, ceiling: f64) -> Option<Step> {
    (!loss.is_finite() || loss > ceiling).then_some(Step::Diverged("loss", loss))
}

/// The second half of [`clipped_step`]: rescales the gradients of `vars` in `grads`
/// to a global L2 norm of at most `max_norm` and applies `opt`; a non-finite norm
/// changes nothing and is reported as [`Step::Diverged`].
pub(super) fn clip_and_apply(mut grads: GradStore, vars: &[Var], opt: &mut AdamW, max_norm: f64) -> Result<Step> {
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
