//! Tuners (SPEC §4): exhaustive hard-prefix search and gradient tuning of prefixes or weights.

mod gradient;
mod hard_search;
mod prefix_init;

pub use gradient::tune_gradient;
pub use hard_search::hard_search;
pub use prefix_init::initial_prefix;

use crate::bayes::PrefixScore;
use crate::config::{Method, TuningConfig};
use crate::error::Result;
use crate::model::{Predictor, Prefix};
use crate::results::Divergence;

/// A tuned predictor: the network to use and the prefix to put before every sequence.
#[derive(Debug, Clone)]
pub struct Tuned {
    /// The network (an independent copy for weight tuners; the pretrained net itself otherwise).
    pub predictor: Predictor,
    /// The prefix to condition on (`Prefix::None` for weight tuners).
    pub prefix: Prefix,
    /// The prefix before tuning, as the K input or embedding rows actually used.
    pub initial_rows: Option<Vec<Vec<f64>>>,
    /// The tuned prefix, as the K rows actually used (softmax rows for SimplexPT).
    pub rows: Option<Vec<Vec<f64>>>,
    /// Tuning loss per step (nats per sequence); empty for HardPT.
    pub losses: Vec<f64>,
    /// Set when tuning stopped early on a non-finite loss or gradient.
    pub diverged: Option<Divergence>,
    /// HardPT only: every hard prefix with its loss on the tuning batch, best first.
    pub ranking: Vec<PrefixScore>,
}

/// Runs repetition `repetition` of `method` on `pretrained`, calling
/// `progress(step, loss)` after each gradient step. Repetitions draw their
/// own tuning data and prefix init from `seed`, identically for every method.
pub fn tune(
    pretrained: &Predictor,
    method: Method,
    cfg: &TuningConfig,
    seed: u64,
    repetition: usize,
    progress: &mut dyn FnMut(usize, f64),
) -> Result<Tuned> {
    match method {
        Method::HardPt => hard_search(pretrained, cfg, seed, repetition),
        _ => tune_gradient(pretrained, method, cfg, seed, repetition, progress),
    }
}

/// Hard prefix tokens as the one-hot rows the network is fed (K × V).
pub fn one_hot_rows(tokens: &[u32], vocab: usize) -> Vec<Vec<f64>> {
    tokens.iter().map(|&t| (0..vocab).map(|j| if j == t as usize { 1.0 } else { 0.0 }).collect()).collect()
}

/// The random stream of tuning batches of one repetition (shared by all methods).
pub fn data_stream(seed: u64, repetition: usize) -> rand::rngs::StdRng {
    crate::seed::substream(seed, "tune-data", repetition as u64)
}

/// The random stream of prefix initialisations of one repetition (shared by all methods).
pub fn init_stream(seed: u64, repetition: usize) -> rand::rngs::StdRng {
    crate::seed::substream(seed, "prefix-init", repetition as u64)
}
