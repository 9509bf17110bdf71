//! Pretraining (SPEC §4): a fresh batch from the pretraining source every step, clipped Adam.

use candle_core::{DType, Var};
use candle_nn::AdamW;
use rand::rngs::StdRng;

use super::{adam, clipped_step, divergence_reason, log_loss, loss_ceiling, Step};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{one_hot, Predictor, Prefix};
use crate::sources::Batch;

/// A pretraining run that can be advanced step by step (the page calls it in slices).
pub struct Pretrainer {
    /// The validated config of the run.
    pub config: Config,
    /// The network being trained.
    pub predictor: Predictor,
    pub(super) vars: Vec<Var>,
    pub(super) opt: AdamW,
    pub(super) data_rng: StdRng,
    /// This step's batch and its number of parts, once a data-parallel step has drawn it (see `parts.rs`).
    pub(super) pending: Option<(Batch, usize)>,
    /// Loss (nats per sequence) of every step taken so far.
    pub losses: Vec<f64>,
    /// Unclipped global gradient norm of every step taken so far.
    pub grad_norms: Vec<f64>,
}

impl Pretrainer {
    /// A fresh network and optimiser for `config`, in F32.
    pub fn new(config: &Config) -> Result<Self> {
        Self::with_dtype(config, DType::F32)
    }

    /// As [`Pretrainer::new`] with another element type (F64 for precise checks).
    pub fn with_dtype(config: &Config, dtype: DType) -> Result<Self> {
        config.validate()?;
        // Pretraining trains every weight except the LoRA adapters, which only LoRAWT tunes.
        let trains = |n: &str| config.model.trained && !n.contains(".lora_");
        let predictor = Predictor::new(&config.model, config.vocab_size(), config.seed, dtype)?.training_only(trains);
        let vars = predictor.params.select(trains);
        let opt = adam(vars.clone(), config.pretraining.learning_rate)?;
        Ok(Pretrainer {
            config: config.clone(),
            predictor,
            vars,
            opt,
            data_rng: crate::seed::stream(config.seed, "pretrain-data"),
            pending: None,
            losses: Vec::new(),
            grad_norms: Vec::new(),
        })
    }

    /// Steps still to go of `pretraining.steps` (0 for an untrained net).
    pub fn remaining(&self) -> usize {
        if self.config.model.trained {
            self.config.pretraining.steps.saturating_sub(self.losses.len())
        } else {
            0
        }
    }

    /// Refuses to train an untrained (frozen) net.
    pub(super) fn check_trainable(&self) -> Result<()> {
        if !self.config.model.trained {
            return Err(Error::invalid("model.trained", false, "true to pretrain (an untrained net stays frozen at its random initialisation)"));
        }
        Ok(())
    }

    /// One Adam step on a fresh batch; returns its loss (nats per sequence).
    pub fn step(&mut self) -> Result<f64> {
        self.check_trainable()?;
        if self.pending.is_some() {
            return Err(Error::other("a step begun part by part is not applied yet (call apply_parts first)"));
        }
        let p = &self.config.pretraining;
        let batch = p.source.sample(&mut self.data_rng, p.batch_size, p.sequence_length)?;
        let targets = one_hot(&batch.tokens, batch.batch_size, batch.length, batch.vocab, self.predictor.params.dtype())?;
        let log_probs = self.predictor.forward(&targets, &Prefix::None, false)?.log_probs;
        let loss = log_loss(&log_probs, &targets)?;
        let value = loss.to_dtype(DType::F64)?.to_scalar::<f64>()?;
        let ceiling = self.ceiling();
        let outcome = clipped_step(&loss, &self.vars, &mut self.opt, self.config.pretraining.max_grad_norm, ceiling)?;
        self.record(outcome, value)
    }

    /// The loss above which a step counts as diverged (see [`loss_ceiling`]).
    pub(super) fn ceiling(&self) -> f64 {
        loss_ceiling(self.config.pretraining.sequence_length, self.config.vocab_size())
    }

    /// Records an applied step's loss and gradient norm and returns the loss, or turns a
    /// diverged step into the run's error.
    pub(super) fn record(&mut self, outcome: Step, loss: f64) -> Result<f64> {
        match outcome {
            Step::Applied(norm) => {
                self.losses.push(loss);
                self.grad_norms.push(norm);
                Ok(loss)
            }
            Step::Diverged(what, value) => {
                let (step, reason) = (self.losses.len() + 1, divergence_reason(what, value, self.ceiling()));
                Err(Error::other(format!("pretraining diverged at step {step} ({reason}); try a smaller learning rate")))
            }
        }
    }

    /// Takes up to `n` more steps (never past `pretraining.steps`), calling
    /// `progress(step, loss)` after each; returns the losses of these steps.
    pub fn run(&mut self, n: usize, mut progress: impl FnMut(usize, f64)) -> Result<Vec<f64>> {
        let todo = n.min(self.remaining());
        let mut out = Vec::with_capacity(todo);
        for _ in 0..todo {
            let loss = self.step()?;
            progress(self.losses.len(), loss);
            out.push(loss);
        }
        Ok(out)
    }
}
