//! What an experiment produces: plain serde data that the CLI writes, the page shows and the charts draw.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bayes::PrefixScore;
use crate::config::Config;

mod catalog;
mod excess;
mod nullable;
mod ranking;
mod tuned;
mod worse;

pub use catalog::{method_catalog, MethodInfo};
pub use excess::Excess;
pub use nullable::numbers as nullable_numbers;
pub use ranking::Ranking;
pub use tuned::TunedPrompt;
pub use worse::{Worse, WorseAt};

/// The whole outcome of `promptlab experiment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// The validated config the run used (defaults filled in).
    pub config: Config,
    /// Pretraining loss per step (nats per sequence); empty for an untrained net.
    pub pretraining_loss: Vec<f64>,
    /// Evaluation source names, in config order.
    pub eval_sources: Vec<String>,
    /// Key steps of the regret plots: N_tune, N_train, N_eval (tokens).
    pub key_steps: KeySteps,
    /// One entry per tuner and baseline, in display order.
    pub methods: Vec<MethodResult>,
    /// The network's HardPT ranking of every hard prefix (first repetition), best first.
    pub hard_prefix_ranking: Vec<PrefixScore>,
    /// The exact Bayes predictor's ranking of every hard prefix (PreBayesPT), best first.
    pub bayes_prefix_ranking: Vec<PrefixScore>,
    /// Internal-state trajectories projected by PCA, when requested.
    pub states: Option<StateProjection>,
    /// Wall-clock seconds per phase.
    pub timings: Timings,
}

impl Results {
    /// `eval_source,method,step,median,q25,q75`: cumulative regret (nats) after
    /// `step` tokens for every step 1..=N_eval, method and baseline except
    /// `ground_truth` (0 by definition).
    pub fn summary_csv(&self) -> String {
        let mut out = String::from("eval_source,method,step,median,q25,q75\n");
        for source in &self.eval_sources {
            for m in self.methods.iter().filter(|m| m.method != crate::experiment::Baseline::GroundTruth.label()) {
                let Some(s) = m.summary.get(source) else { continue };
                for (i, ((med, lo), hi)) in s.median.iter().zip(&s.q25).zip(&s.q75).enumerate() {
                    out.push_str(&format!("{},{},{},{med},{lo},{hi}\n", csv_field(source), csv_field(&m.method), i + 1));
                }
            }
        }
        out
    }
}

/// Quotes a CSV field when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The three steps the paper marks on every regret curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KeySteps {
    /// Tuning sequence length N_tune.
    pub tune: usize,
    /// Pretraining sequence length N_train.
    pub train: usize,
    /// Evaluation sequence length N_eval.
    pub eval: usize,
}

/// Whether a row is something that was tuned or a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MethodKind {
    /// A prefix or weight tuner, repeated R times.
    Tuner,
    /// A reference predictor (Bayes predictors, the untuned net, random prefixes).
    Baseline,
}

/// All repetitions of one method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodResult {
    /// Label as shown in every figure (`SoftPT`, `PreBayes`, …).
    pub method: String,
    /// Tuner or baseline.
    pub kind: MethodKind,
    /// One per repetition (baselines without randomness have one).
    pub repetitions: Vec<Repetition>,
    /// Per evaluation source: median and 25/75 % quantiles across repetitions.
    pub summary: BTreeMap<String, RegretSummary>,
}

/// One tuning run and its evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repetition {
    /// Tuning loss per step (nats per sequence); empty for baselines and HardPT.
    #[serde(deserialize_with = "nullable::numbers")]
    pub tuning_loss: Vec<f64>,
    /// The prefix before tuning (K rows), for prefix methods.
    #[serde(default, deserialize_with = "nullable::optional_rows")]
    pub initial_prefix: Option<Vec<Vec<f64>>>,
    /// The tuned prefix (K rows; one-hot rows for hard prefixes).
    #[serde(default, deserialize_with = "nullable::optional_rows")]
    pub prefix: Option<Vec<Vec<f64>>>,
    /// Per evaluation source: mean instant regret per step (nats), length N_eval.
    #[serde(deserialize_with = "nullable::named_numbers")]
    pub instant_regret: BTreeMap<String, Vec<f64>>,
    /// Set when tuning stopped because the loss or gradient became non-finite.
    pub diverged: Option<Divergence>,
    /// Seconds this repetition took (tuning and evaluation).
    pub seconds: f64,
    /// HardPT only: every hard prefix with the network's loss on the tuning batch, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranking: Vec<PrefixScore>,
}

/// Where a run blew up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    /// 1-based tuning step at which the loss or gradient was not finite.
    pub step: usize,
    /// What was observed, e.g. `loss = NaN`.
    pub message: String,
}

/// Cumulative regret across repetitions, per step (index n = after n + 1 tokens), nats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegretSummary {
    /// Median over repetitions of the cumulative regret.
    pub median: Vec<f64>,
    /// 25 % quantile.
    pub q25: Vec<f64>,
    /// 75 % quantile.
    pub q75: Vec<f64>,
}

/// 2-D PCA projection of internal states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateProjection {
    /// Which recorded state was projected, e.g. `layer0_hidden`.
    pub state: String,
    /// Fraction of variance explained by each of the two components.
    pub explained_variance: [f64; 2],
    /// Trajectories of the pretrained net on pretraining-source sequences.
    pub source_trajectories: Vec<Trajectory>,
    /// Trajectories of the prefixed nets (prefix positions, then tokens) on the same sequences.
    pub prefix_trajectories: Vec<Trajectory>,
}

/// One projected trajectory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    /// Method label (`NoTuning` for the pretrained net without prefix).
    pub method: String,
    /// True probability of token 0 of the sequence (the coin's bias towards 0).
    pub bias: f64,
    /// Number of leading points that belong to the prefix.
    pub prefix_len: usize,
    /// (x, y) per position.
    pub points: Vec<[f64; 2]>,
}

/// Wall-clock seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Pretraining.
    pub pretraining: f64,
    /// Per method label: tuning and evaluation of all repetitions.
    pub methods: BTreeMap<String, f64>,
    /// The whole run.
    pub total: f64,
}
