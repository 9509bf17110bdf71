//! A small hand-made experiment Results for the figure tests: deterministic, every figure drawable.

use std::collections::BTreeMap;

use promptlab::bayes::PrefixScore;
use promptlab::charts::stats::quantile;
use promptlab::config::Config;
use promptlab::results::{
    Divergence, KeySteps, MethodKind, MethodResult, RegretSummary, Repetition, Results, StateProjection, Timings,
    Trajectory,
};

pub const SOURCES: [&str; 2] = ["Single Coin", "Two-Coin Mixture"];
pub const N_EVAL: usize = 200;

/// A deterministic noise source in [-1, 1) (a tiny LCG, so the fixture needs no RNG crate).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
}

/// Instant regret shaped like a Bayes learner's: `scale / (n + 1)` plus a floor and extrapolation drift after step 100.
fn regret_curve(scale: f64, floor: f64, drift: f64, noise: &mut Noise) -> Vec<f64> {
    (1..=N_EVAL)
        .map(|n| {
            let past_train = n.saturating_sub(100) as f64;
            (scale / (n as f64 + 1.0) + floor + drift * past_train) * (1.0 + 0.15 * noise.next())
        })
        .collect()
}

fn cumsum(v: &[f64]) -> Vec<f64> {
    v.iter()
        .scan(0.0, |a, x| {
            *a += x;
            Some(*a)
        })
        .collect()
}

/// Median and quartiles across repetitions of the cumulative regret, as the engine stores them.
fn summary(reps: &[Repetition], source: &str) -> RegretSummary {
    let cums: Vec<Vec<f64>> = reps.iter().map(|r| cumsum(&r.instant_regret[source])).collect();
    let at = |q: f64| {
        (0..N_EVAL).map(|n| quantile(&cums.iter().map(|c| c[n]).collect::<Vec<_>>(), q).unwrap_or(f64::NAN)).collect()
    };
    RegretSummary { median: at(0.5), q25: at(0.25), q75: at(0.75) }
}

/// A method with `reps` repetitions whose regret on each source has the given (scale, floor, drift).
fn method(
    name: &str,
    kind: MethodKind,
    reps: usize,
    shape: [(f64, f64, f64); 2],
    tuned: bool,
    noise: &mut Noise,
) -> MethodResult {
    let repetitions: Vec<Repetition> = (0..reps)
        .map(|_| {
            let instant_regret = SOURCES
                .iter()
                .zip(shape)
                .map(|(s, (scale, floor, drift))| (s.to_string(), regret_curve(scale, floor, drift, noise)))
                .collect();
            let tuning_loss = if tuned {
                let start = 45.0 + 10.0 * noise.next().abs();
                (0..150).map(|t| 30.0 + (start - 30.0) * (-(t as f64) / 30.0).exp() + 0.8 * noise.next()).collect()
            } else {
                Vec::new()
            };
            Repetition { tuning_loss, initial_prefix: None, prefix: None, instant_regret, diverged: None, seconds: 1.0, ranking: Vec::new() }
        })
        .collect();
    let summary = SOURCES.iter().map(|s| (s.to_string(), summary(&repetitions, s))).collect();
    MethodResult { method: name.into(), kind, repetitions, summary }
}

/// Ten methods on two sources (SoftPT with a diverged repetition, an infinite NoTuning value), a 64-prefix ranking, PCA states and a pretraining loss.
pub fn fixture() -> Results {
    let mut noise = Noise(7);
    let b = MethodKind::Baseline;
    let t = MethodKind::Tuner;
    let mut methods = vec![
        method("ground_truth", b, 1, [(0.0, 0.0, 0.0); 2], false, &mut noise),
        method("TargetBayes", b, 1, [(0.5, 0.0, 0.0), (0.7, 0.0, 0.0)], false, &mut noise),
        method("PreBayes", b, 1, [(1.6, 0.0, 0.0), (1.2, 0.004, 0.0)], false, &mut noise),
        method("PreBayesPT", b, 1, [(0.9, 0.0, 0.0), (1.2, 0.004, 0.0)], false, &mut noise),
        method("NoTuning", b, 1, [(1.7, 0.001, 0.00004), (1.3, 0.005, 0.00003)], false, &mut noise),
        method("RandomPF", b, 3, [(2.5, 0.004, 0.00005), (2.0, 0.006, 0.00004)], false, &mut noise),
        method("HardPT", t, 3, [(1.0, 0.0005, 0.00003), (1.3, 0.005, 0.00003)], false, &mut noise),
        method("SoftPT", t, 3, [(0.6, 0.0002, 0.00002), (1.0, 0.003, 0.00003)], true, &mut noise),
        method("RealPT", t, 3, [(1.1, 0.0008, 0.00003), (1.2, 0.004, 0.00003)], true, &mut noise),
        method("FullWT", t, 3, [(0.55, 0.0001, 0.00001), (0.8, 0.0005, 0.00002)], true, &mut noise),
    ];
    // SoftPT's second repetition blew up at tuning step 12: its loss stops, its regret is NaN.
    let soft = methods.iter_mut().find(|m| m.method == "SoftPT").expect("SoftPT in fixture");
    let rep = &mut soft.repetitions[1];
    rep.diverged = Some(Divergence { step: 12, message: "loss = NaN".into() });
    rep.tuning_loss.truncate(12);
    rep.tuning_loss[11] = f64::NAN;
    for v in rep.instant_regret.values_mut() {
        v.iter_mut().for_each(|x| *x = f64::NAN);
    }
    // An infinite value in a baseline must not reach the SVG either.
    methods[4].repetitions[0].instant_regret.get_mut("Single Coin").expect("source")[150] = f64::INFINITY;
    for m in &mut methods {
        let reps = m.repetitions.clone();
        m.summary = SOURCES.iter().map(|s| (s.to_string(), summary(&reps, s))).collect();
    }

    // Every hard prefix of length 6; the network likes about five ones, Bayes six.
    let prefixes: Vec<Vec<u32>> = (0..64u32).map(|i| (0..6).rev().map(|b| (i >> b) & 1).collect()).collect();
    let ones = |p: &[u32]| p.iter().sum::<u32>() as f64;
    let rank = |f: &dyn Fn(&[u32]) -> f64| {
        let mut r: Vec<PrefixScore> = prefixes.iter().map(|p| PrefixScore { prefix: p.clone(), loss: f(p) }).collect();
        r.sort_by(|a, b| a.loss.total_cmp(&b.loss));
        r
    };
    let mut wiggle = Noise(3);
    let jitter: Vec<f64> = (0..64).map(|_| 0.15 * wiggle.next()).collect();
    let hard_prefix_ranking =
        rank(&|p: &[u32]| 27.0 + 0.45 * (ones(p) - 5.0).powi(2) + jitter[p.iter().fold(0, |a, &b| a * 2 + b as usize)]);
    let bayes_prefix_ranking = rank(&|p: &[u32]| 26.6 + 0.4 * (ones(p) - 6.0).powi(2));

    // Source runs spiral from a common start towards a bias-dependent point; prefixed runs start further along.
    let mut jiggle = Noise(11);
    let run = |bias: f64, offset: usize, len: usize, noise: &mut Noise| -> Vec<[f64; 2]> {
        (0..len)
            .map(|n| {
                let s = 1.0 - (-((n + offset) as f64) / 8.0).exp();
                let target = [4.0 * (bias - 0.5), 1.5 - 3.0 * (bias - 0.5).abs()];
                [target[0] * s + 0.08 * noise.next(), target[1] * s + 0.6 * (s * 3.0).sin() + 0.08 * noise.next()]
            })
            .collect()
    };
    let source_trajectories = (0..12)
        .map(|i| {
            let bias = (i as f64 + 0.5) / 12.0;
            Trajectory { method: "NoTuning".into(), bias, prefix_len: 0, points: run(bias, 0, 40, &mut jiggle) }
        })
        .collect();
    let prefix_trajectories = [("HardPT", 0.25, 6), ("SoftPT", 0.2, 6)]
        .iter()
        .flat_map(|&(m, bias, k)| {
            (0..2)
                .map(|_| Trajectory { method: m.into(), bias, prefix_len: k, points: run(bias, 3, 46, &mut jiggle) })
                .collect::<Vec<_>>()
        })
        .collect();

    let pretraining_loss: Vec<f64> =
        (0..400).map(|s| 58.0 + 14.0 * (-(s as f64) / 60.0).exp() + 1.2 * noise.next()).collect();

    Results {
        config: Config::default(),
        pretraining_loss,
        eval_sources: SOURCES.iter().map(|s| s.to_string()).collect(),
        key_steps: KeySteps { tune: 50, train: 100, eval: N_EVAL },
        methods,
        hard_prefix_ranking,
        bayes_prefix_ranking,
        states: Some(StateProjection {
            state: "layer0_hidden".into(),
            explained_variance: [0.612, 0.207],
            source_trajectories,
            prefix_trajectories,
        }),
        timings: Timings { pretraining: 1.0, methods: BTreeMap::new(), total: 2.0 },
    }
}

