//! Data-parallel pretraining steps: a step's batch cut into parts whose gradients, computed anywhere, are summed in part order.

use candle_core::backprop::GradStore;
use candle_core::{DType, Tensor};

use super::pretrain::Pretrainer;
use super::step::{clip_and_apply, loss_check};
use super::log_loss_share;
use crate::error::{Error, Result};
use crate::model::{one_hot, Prefix};

/// Parts the page cuts every pretraining step into, whatever the number of cores
/// (fewer only for a smaller batch), so its numbers never depend on how many workers
/// shared the work. With one worker, it computes the parts in turn.
pub const PAGE_PARTS: usize = 2;

/// One part's share of a step: its share of the batch's loss (nats per sequence) and
/// its gradient, every trained weight flattened in order.
#[derive(Debug, Clone, PartialEq)]
pub struct PartGradients {
    /// The part's share of the loss; the parts' shares sum to the batch's loss.
    pub loss: f64,
    /// d(share)/d(weights), the trained weights one after another, each row-major.
    pub grads: Vec<f64>,
}

impl Pretrainer {
    /// Parts of a data-parallel step of this run: [`PAGE_PARTS`], or the batch size if smaller.
    pub fn parts(&self) -> usize {
        PAGE_PARTS.min(self.config.pretraining.batch_size)
    }

    /// Loss share and gradient of part `part` of `parts` of this step's batch: its
    /// sequences part·B/parts .. (part + 1)·B/parts. The batch is drawn from the data
    /// stream on the step's first call, so every copy of the same run draws the same
    /// one. Nothing is trained until [`Pretrainer::apply_parts`] ends the step.
    pub fn part_gradients(&mut self, part: usize, parts: usize) -> Result<PartGradients> {
        self.check_parts(parts)?;
        if part >= parts {
            return Err(Error::invalid("part", part, format!("an integer in 0..={}", parts - 1)));
        }
        let b = self.config.pretraining.batch_size;
        let dtype = self.predictor.params.dtype();
        let batch = self.step_batch(parts)?;
        let (start, end, n) = (part * b / parts, (part + 1) * b / parts, batch.length);
        let targets = one_hot(&batch.tokens[start * n..end * n], end - start, n, batch.vocab, dtype)?;
        let log_probs = self.predictor.forward(&targets, &Prefix::None, false)?.log_probs;
        let share = log_loss_share(&log_probs, &targets, b)?;
        let loss = share.to_dtype(DType::F64)?.to_scalar::<f64>()?;
        let store = share.backward()?;
        let mut grads = Vec::with_capacity(self.trained_elements());
        for v in &self.vars {
            match store.get(v) {
                Some(g) => grads.extend(g.flatten_all()?.to_dtype(DType::F64)?.to_vec1::<f64>()?),
                None => grads.extend(std::iter::repeat_n(0.0, v.elem_count())),
            }
        }
        Ok(PartGradients { loss, grads })
    }

    /// Ends the step with every part's share, in part order (whoever computed them):
    /// the losses and gradients are summed in that order, then clipped Adam as in
    /// [`Pretrainer::step`]. Returns the step's loss. A copy that computed no part
    /// of this step still draws its batch, so its data stream stays in step.
    pub fn apply_parts(&mut self, parts: &[PartGradients]) -> Result<f64> {
        self.check_parts(parts.len())?;
        let elements = self.trained_elements();
        if let Some(bad) = parts.iter().position(|p| p.grads.len() != elements) {
            return Err(Error::invalid(
                format!("parts[{bad}].grads"),
                format!("{} numbers", parts[bad].grads.len()),
                format!("{elements} numbers (every trained weight)"),
            ));
        }
        self.step_batch(parts.len())?;
        self.pending = None;
        let loss = parts.iter().fold(0.0, |acc, p| acc + p.loss);
        let outcome = match loss_check(loss, self.ceiling()) {
            Some(diverged) => diverged,
            None => clip_and_apply(self.summed(parts)?, &self.vars, &mut self.opt, self.config.pretraining.max_grad_norm)?,
        };
        self.record(outcome, loss)
    }

    /// Refuses a frozen net, a run that has taken all its `pretraining.steps`, and a
    /// number of parts outside 1..=B or other than the one this step was cut into.
    fn check_parts(&self, parts: usize) -> Result<()> {
        self.check_trainable()?;
        let p = &self.config.pretraining;
        if self.remaining() == 0 {
            return Err(Error::invalid("pretraining.steps", p.steps, format!("more than the {} steps already taken, to train on", p.steps)));
        }
        if parts == 0 || parts > p.batch_size {
            return Err(Error::invalid("parts", parts, format!("an integer in 1..={} (the batch size)", p.batch_size)));
        }
        match &self.pending {
            Some((_, drawn)) if *drawn != parts => Err(Error::invalid("parts", parts, format!("{drawn}, the parts this step was cut into"))),
            _ => Ok(()),
        }
    }

    /// This step's batch, drawn from the data stream unless a part already did.
    fn step_batch(&mut self, parts: usize) -> Result<&crate::sources::Batch> {
        if self.pending.is_none() {
            let p = &self.config.pretraining;
            let batch = p.source.sample(&mut self.data_rng, p.batch_size, p.sequence_length)?;
            self.pending = Some((batch, parts));
        }
        self.pending.as_ref().map(|(batch, _)| batch).ok_or_else(|| Error::other("no batch drawn for this step"))
    }

    /// Numbers in a flattened gradient: the element counts of the trained weights.
    fn trained_elements(&self) -> usize {
        self.vars.iter().map(|v| v.elem_count()).sum()
    }

    /// The parts' gradients summed in part order (in f64, then in the weights' type), as a gradient store.
    fn summed(&self, parts: &[PartGradients]) -> Result<GradStore> {
        let mut store = GradStore::default();
        let mut at = 0;
        for v in &self.vars {
            let n = v.elem_count();
            let sum: Vec<f64> = (at..at + n).map(|i| parts.iter().fold(0.0, |acc, p| acc + p.grads[i])).collect();
            let grad = Tensor::from_vec(sum, v.shape(), v.device())?.to_dtype(v.dtype())?;
            store.insert(v, grad);
            at += n;
        }
        Ok(store)
    }
}
