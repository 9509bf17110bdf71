//! The references every tuner is compared with: Bayes predictors, the untuned net, random prefixes, the oracle.

use std::collections::BTreeMap;

use candle_core::{Device, Tensor};

use super::{web_time, Prepared};
use crate::error::Result;
use crate::eval::{bayes_instant_regret, network_instant_regret, EvalSet};
use crate::model::Prefix;
use crate::results::Repetition;
use crate::tune::{init_stream, initial_prefix, one_hot_rows};

/// (label, repetitions) of `NoTuning`, `RandomPF`, `PreBayes`, `PreBayesPT`
/// (when `best_bayes_prefix` is known), `TargetBayes` and `ground_truth`.
pub fn baselines(prep: &Prepared, best_bayes_prefix: Option<&[u32]>) -> Result<Vec<(String, Vec<Repetition>)>> {
    let sets = &prep.eval_sets;
    let pre = &prep.config.pretraining.source;
    let mut out = Vec::new();
    let one = |f: &dyn Fn(&EvalSet) -> Result<Vec<f64>>| -> Result<Vec<Repetition>> {
        let start = web_time::now();
        let mut regret = BTreeMap::new();
        for set in sets {
            regret.insert(set.name.clone(), f(set)?);
        }
        Ok(vec![plain(regret, web_time::now() - start, None)])
    };
    out.push(("NoTuning".to_string(), one(&|s| network_instant_regret(s, &prep.predictor, &Prefix::None))?));
    // RandomPF: each repetition's untuned RealPT prefix (the same draw RealPT starts from).
    let t = &prep.config.tuning;
    let v = prep.predictor.vocab;
    let mut random = Vec::new();
    for r in 0..t.repetitions {
        let start = web_time::now();
        let rows = initial_prefix(t.prefix_init, t.prefix_length, v, &mut init_stream(prep.config.seed, r));
        let prefix = Prefix::Real(Tensor::from_vec(rows.clone(), (t.prefix_length, v), &Device::Cpu)?.to_dtype(prep.predictor.params.dtype())?);
        let mut regret = BTreeMap::new();
        for set in sets {
            regret.insert(set.name.clone(), network_instant_regret(set, &prep.predictor, &prefix)?);
        }
        let rows: Vec<Vec<f64>> = rows.chunks(v).map(<[f64]>::to_vec).collect();
        random.push(plain(regret, web_time::now() - start, Some(rows)));
    }
    out.push(("RandomPF".to_string(), random));
    out.push(("PreBayes".to_string(), one(&|s| bayes_instant_regret(s, pre, &[]))?));
    if let Some(prefix) = best_bayes_prefix {
        let mut reps = one(&|s| bayes_instant_regret(s, pre, prefix))?;
        reps[0].prefix = Some(one_hot_rows(prefix, v));
        out.push(("PreBayesPT".to_string(), reps));
    }
    out.push(("TargetBayes".to_string(), one(&|s| bayes_instant_regret(s, &s.source, &[]))?));
    out.push(("ground_truth".to_string(), one(&|s| Ok(vec![0.0; s.batch.length]))?));
    Ok(out)
}

fn plain(instant_regret: BTreeMap<String, Vec<f64>>, seconds: f64, prefix: Option<Vec<Vec<f64>>>) -> Repetition {
    Repetition { tuning_loss: Vec::new(), initial_prefix: None, prefix, instant_regret, diverged: None, seconds, ranking: Vec::new() }
}
