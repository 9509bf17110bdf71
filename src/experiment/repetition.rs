//! One repetition of one tuner: tune, then evaluate on every evaluation set.

use std::collections::BTreeMap;

use super::{web_time, Prepared, Progress};
use crate::config::Method;
use crate::error::Result;
use crate::eval::network_instant_regret;
use crate::results::Repetition;
use crate::tune::tune;

/// Tunes `method` (repetition `repetition`) on the prepared net and evaluates it.
/// Depends only on its arguments, so repetitions may run in any order, in
/// parallel threads or in separate browser workers.
pub fn run_repetition(prep: &Prepared, method: Method, repetition: usize, progress: &dyn Fn(&Progress)) -> Result<Repetition> {
    let start = web_time::now();
    let cfg = &prep.config.tuning;
    let total = cfg.steps;
    let tuned = tune(&prep.predictor, method, cfg, prep.config.seed, repetition, &mut |step, loss| {
        progress(&Progress::Tuning { method, repetition, step, total, loss })
    })?;
    progress(&Progress::Evaluating { method, repetition });
    let mut instant_regret = BTreeMap::new();
    for set in &prep.eval_sets {
        instant_regret.insert(set.name.clone(), network_instant_regret(set, &tuned.predictor, &tuned.prefix)?);
    }
    let rep = Repetition {
        tuning_loss: tuned.losses.clone(),
        initial_prefix: tuned.initial_rows.clone(),
        prefix: tuned.rows.clone(),
        instant_regret,
        diverged: tuned.diverged.clone(),
        seconds: web_time::now() - start,
        ranking: tuned.ranking,
    };
    Ok(rep)
}
