//! The references every tuner is compared with: Bayes predictors, the untuned net, random prefixes, the oracle.

use std::collections::BTreeMap;

use candle_core::{Device, Tensor};

use super::{web_time, Prepared};
use crate::config::TheoryK;
use crate::error::Result;
use crate::eval::{bayes_instant_regret, network_instant_regret, EvalSet};
use crate::model::Prefix;
use crate::results::Repetition;
use crate::tune::{init_stream, initial_prefix, one_hot_rows};

/// A reference every tuner is compared with, by its plot label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// The pretrained net as it is.
    NoTuning,
    /// The untuned initial prefixes of RealPT.
    RandomPf,
    /// The pretraining source's exact Bayes predictor on the target's sequences.
    PreBayes,
    /// PreBayes after the best hard prefix (exhaustive search).
    PreBayesPt,
    /// The evaluated source's own exact Bayes predictor.
    TargetBayes,
    /// The oracle that knows each sequence's coin.
    GroundTruth,
}

impl Baseline {
    /// Every baseline, in the order a run reports them (after the tuners).
    pub const ALL: [Baseline; 6] =
        [Baseline::NoTuning, Baseline::RandomPf, Baseline::PreBayes, Baseline::PreBayesPt, Baseline::TargetBayes, Baseline::GroundTruth];

    /// The label users see in plots.
    pub fn label(self) -> &'static str {
        match self {
            Baseline::NoTuning => "NoTuning",
            Baseline::RandomPf => "RandomPF",
            Baseline::PreBayes => "PreBayes",
            Baseline::PreBayesPt => "PreBayesPT",
            Baseline::TargetBayes => "TargetBayes",
            Baseline::GroundTruth => "ground_truth",
        }
    }

    /// What the baseline is, in one line of plain words for a student who has not read the paper.
    pub fn description(self) -> &'static str {
        match self {
            Baseline::NoTuning => "the pretrained network as it is, with no prompt and no retraining",
            Baseline::RandomPf => "the pretrained network behind RealPT's random starting prompts, before any tuning",
            Baseline::PreBayes => "the exact Bayes predictor of the pretraining data run on the target: what a perfectly pretrained network does",
            Baseline::PreBayesPt => "PreBayes behind the best prompt of K real flips: the best any hard prompt can do for a perfect pretrained network",
            Baseline::TargetBayes => "the exact Bayes predictor of the target task itself: the best any method can do without knowing the coin",
            Baseline::GroundTruth => "the oracle that knows each sequence's coin; regret is measured against it, so its regret is 0",
        }
    }

    /// Where the Theory view plots this baseline: the predictors without a prompt at K = 0,
    /// PreBayesPT at the run's K; RandomPF, TargetBayes (the curve's floor) and the oracle not at all.
    pub fn theory_k(self) -> TheoryK {
        match self {
            Baseline::NoTuning | Baseline::PreBayes => TheoryK::Zero,
            Baseline::PreBayesPt => TheoryK::Prefix,
            Baseline::RandomPf | Baseline::TargetBayes | Baseline::GroundTruth => TheoryK::None,
        }
    }
}

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
    out.push((Baseline::NoTuning.label().to_string(), one(&|s| network_instant_regret(s, &prep.predictor, &Prefix::None))?));
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
    out.push((Baseline::RandomPf.label().to_string(), random));
    out.push((Baseline::PreBayes.label().to_string(), one(&|s| bayes_instant_regret(s, pre, &[]))?));
    if let Some(prefix) = best_bayes_prefix {
        let mut reps = one(&|s| bayes_instant_regret(s, pre, prefix))?;
        reps[0].prefix = Some(one_hot_rows(prefix, v));
        out.push((Baseline::PreBayesPt.label().to_string(), reps));
    }
    out.push((Baseline::TargetBayes.label().to_string(), one(&|s| bayes_instant_regret(s, &s.source, &[]))?));
    out.push((Baseline::GroundTruth.label().to_string(), one(&|s| Ok(vec![0.0; s.batch.length]))?));
    Ok(out)
}

fn plain(instant_regret: BTreeMap<String, Vec<f64>>, seconds: f64, prefix: Option<Vec<Vec<f64>>>) -> Repetition {
    Repetition { tuning_loss: Vec::new(), initial_prefix: None, prefix, instant_regret, diverged: None, seconds, ranking: Vec::new() }
}
