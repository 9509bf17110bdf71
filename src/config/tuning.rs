//! Tuning settings (SPEC §4): target source, optimiser, prefix, repetitions, methods.

use serde::{Deserialize, Serialize};

use super::{check_loop, in_range, Method, ModelConfig, PrefixInit};
use crate::error::{Error, Result};
use crate::sources::Source;

/// Most hard prefixes (V^K) HardPT may score with the network.
pub const MAX_HARD_PREFIXES: u64 = 4096;
/// Longest prefix K.
pub const MAX_PREFIX_LENGTH: usize = 256;
/// Most repetitions per method.
pub const MAX_REPETITIONS: usize = 100;

/// How the pretrained net is adapted to the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TuningConfig {
    /// The target task. Default Single Coin (0.2, 0.8).
    pub source: Source,
    /// Tokens per tuning sequence N_tune. Default 50.
    pub sequence_length: usize,
    /// Sequences per tuning step (and in HardPT's fixed batch). Default 64.
    pub batch_size: usize,
    /// Adam steps per repetition, a fresh batch each. Default 200.
    pub steps: usize,
    /// Adam learning rate. Default 5e-3.
    pub learning_rate: f64,
    /// Global gradient-norm clip. Default 1.0.
    pub max_grad_norm: f64,
    /// Prefix length K. Default 6.
    pub prefix_length: usize,
    /// How prefixes start. Default `one_hot`.
    pub prefix_init: PrefixInit,
    /// Repetitions per method, each with a new prefix init and new data. Default 3.
    pub repetitions: usize,
    /// Methods to run; absent = every method that applies to the model.
    pub methods: Option<Vec<Method>>,
}

impl Default for TuningConfig {
    fn default() -> Self {
        TuningConfig {
            source: Source::Single { probs: vec![0.2, 0.8] },
            sequence_length: 50,
            batch_size: 64,
            steps: 200,
            learning_rate: 5e-3,
            max_grad_norm: 1.0,
            prefix_length: 6,
            prefix_init: PrefixInit::OneHot,
            repetitions: 3,
            methods: None,
        }
    }
}

impl TuningConfig {
    /// Checks the settings against each other and against `model`.
    pub fn validate(&self, field: &str, model: &ModelConfig) -> Result<()> {
        let (s, n, b, k) = (&self.source, self.sequence_length, self.batch_size, self.steps);
        check_loop(field, s, n, b, k, self.learning_rate, self.max_grad_norm)?;
        in_range(&format!("{field}.prefix_length"), self.prefix_length, 1, MAX_PREFIX_LENGTH)?;
        in_range(&format!("{field}.repetitions"), self.repetitions, 1, MAX_REPETITIONS)?;
        let methods = self.methods.as_deref().unwrap_or(&[]);
        for (i, m) in methods.iter().enumerate() {
            m.check(model, &format!("{field}.methods[{i}]"))?;
            if methods[..i].contains(m) {
                return Err(Error::invalid(format!("{field}.methods[{i}]"), m.label(), "listed once"));
            }
        }
        // HardPT always applies, so an unset list includes it.
        let hard = self.methods.as_ref().is_none_or(|m| m.contains(&Method::HardPt));
        if hard {
            let v = self.source.vocab_size() as u64;
            let fits = v.checked_pow(self.prefix_length as u32).is_some_and(|n| n <= MAX_HARD_PREFIXES);
            if !fits {
                let most = (1..).take_while(|&k| v.checked_pow(k).is_some_and(|n| n <= MAX_HARD_PREFIXES)).last().unwrap_or(0);
                return Err(Error::invalid(
                    format!("{field}.prefix_length"),
                    self.prefix_length,
                    format!("at most {most} with HardPT and V = {v} (HardPT scores all V^K prefixes, at most {MAX_HARD_PREFIXES})"),
                ));
            }
        }
        Ok(())
    }
}
