//! Pretraining settings (SPEC §4).

use serde::{Deserialize, Serialize};

use super::check_loop;
use crate::error::Result;
use crate::sources::Source;

/// Pretraining (SPEC §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PretrainConfig {
    /// The pretraining source. Default Random Coins with alphas (1, 1).
    pub source: Source,
    /// Tokens per training sequence N_train. Default 100.
    pub sequence_length: usize,
    /// Sequences per step B. Default 64.
    pub batch_size: usize,
    /// Adam steps, a fresh batch each. Default 500.
    pub steps: usize,
    /// Adam learning rate. Default 1e-3.
    pub learning_rate: f64,
    /// Global gradient-norm clip before Adam. Default 1.0.
    pub max_grad_norm: f64,
}

impl Default for PretrainConfig {
    fn default() -> Self {
        PretrainConfig {
            source: Source::default(),
            sequence_length: 100,
            batch_size: 64,
            steps: 500,
            learning_rate: 1e-3,
            max_grad_norm: 1.0,
        }
    }
}

impl PretrainConfig {
    /// Checks the pretraining settings; `field` prefixes error paths.
    pub fn validate(&self, field: &str) -> Result<()> {
        let (s, n, b, k) = (&self.source, self.sequence_length, self.batch_size, self.steps);
        check_loop(field, s, n, b, k, self.learning_rate, self.max_grad_norm)
    }
}

