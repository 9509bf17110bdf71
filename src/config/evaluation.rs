//! Evaluation settings (SPEC §5): which sources, how many sequences, how long, and state recording.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{in_range, MAX_SEQUENCE_LENGTH};
use crate::error::{Error, Result};
use crate::sources::Source;

/// Most evaluation sequences per source.
pub const MAX_EVAL_SEQUENCES: usize = 65_536;
/// Most evaluation sources.
pub const MAX_EVAL_SOURCES: usize = 8;

/// How every tuned predictor is judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvalConfig {
    /// Named evaluation sources; absent or empty = the tuning source, named `target`.
    pub sources: BTreeMap<String, Source>,
    /// Tokens per evaluation sequence N_eval. Default 200.
    pub sequence_length: usize,
    /// Sequences per evaluation source (the same for every method). Default 512.
    pub num_sequences: usize,
    /// Record internal states and project them by PCA. Default false.
    pub record_states: bool,
    /// Pretraining-source sequences whose state trajectories are drawn. Default 24.
    pub state_sequences: usize,
}

impl Default for EvalConfig {
    fn default() -> Self {
        EvalConfig { sources: BTreeMap::new(), sequence_length: 200, num_sequences: 512, record_states: false, state_sequences: 24 }
    }
}

impl EvalConfig {
    /// Checks sizes and sources; every source must have `vocab` tokens.
    pub fn validate(&self, field: &str, vocab: usize) -> Result<()> {
        if self.sources.len() > MAX_EVAL_SOURCES {
            return Err(Error::invalid(format!("{field}.sources"), format!("{} sources", self.sources.len()), format!("at most {MAX_EVAL_SOURCES} sources")));
        }
        for (name, s) in &self.sources {
            let f = format!("{field}.sources.{name}");
            if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
                return Err(Error::invalid(format!("{field}.sources"), format!("{name:?}"), "names of 1 to 64 printable characters"));
            }
            s.validate(&f)?;
            if s.vocab_size() != vocab {
                return Err(Error::invalid(f, format!("V = {}", s.vocab_size()), format!("the pretraining source's vocabulary size {vocab}")));
            }
        }
        in_range(&format!("{field}.sequence_length"), self.sequence_length, 1, MAX_SEQUENCE_LENGTH)?;
        in_range(&format!("{field}.num_sequences"), self.num_sequences, 1, MAX_EVAL_SEQUENCES)?;
        in_range(&format!("{field}.state_sequences"), self.state_sequences, 1, 1024)
    }
}
