//! One experiment (SPEC §4–6): pretrain or not, tune every method R times, evaluate all on the same sequences.

mod baselines;
mod merge;
pub mod partial;
mod presets;
mod repetition;
mod shard;
mod sharded;
mod states;

pub use baselines::{baselines, Baseline};
pub use presets::{preset, PRESETS};
pub use merge::{assemble_dirs, write_results};
pub use repetition::run_repetition;
pub use shard::Shard;
pub use sharded::{run_shard, ShardRun};
pub use states::project_states;

use std::collections::BTreeMap;

use crate::bayes::{best_hard_prefix, PrefixScore, MAX_PREFIX_SEARCH};
use crate::config::{Config, Method};
use crate::error::Result;
use crate::eval::{summarise, EvalSet};
use crate::model::Predictor;
use crate::results::{KeySteps, MethodKind, MethodResult, Repetition, Results, Timings};
use crate::train::Pretrainer;
use crate::model::Prefix;
use crate::tune::data_stream;

/// What the runner reports while it works.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// A pretraining step finished.
    Pretraining { step: usize, total: usize, loss: f64 },
    /// A tuning step of one repetition finished.
    Tuning { method: Method, repetition: usize, step: usize, total: usize, loss: f64 },
    /// A repetition is being evaluated.
    Evaluating { method: Method, repetition: usize },
    /// The baselines are being evaluated.
    Baselines,
}

/// The pretrained net and the fixed evaluation sequences every method is judged on.
pub struct Prepared {
    /// The validated config.
    pub config: Config,
    /// The pretrained (or untrained, frozen) network.
    pub predictor: Predictor,
    /// Pretraining loss per step (empty when untrained or given).
    pub pretraining_loss: Vec<f64>,
    /// Seconds spent pretraining.
    pub pretraining_seconds: f64,
    /// One fixed set of sequences per evaluation source.
    pub eval_sets: Vec<EvalSet>,
}

/// Pretrains per `config` (or takes `pretrained`) and draws the evaluation sets.
pub fn prepare(config: &Config, pretrained: Option<Predictor>, progress: &dyn Fn(&Progress)) -> Result<Prepared> {
    config.validate()?;
    let start = web_time::now();
    let (predictor, pretraining_loss) = match pretrained {
        Some(p) => (p, Vec::new()),
        None => {
            let mut trainer = Pretrainer::new(config)?;
            let total = trainer.remaining();
            trainer.run(total, |step, loss| progress(&Progress::Pretraining { step, total, loss }))?;
            let losses = trainer.losses.clone();
            (trainer.predictor, losses)
        }
    };
    let pretraining_seconds = web_time::now() - start;
    let e = &config.evaluation;
    let eval_sets = config
        .eval_sources()
        .iter()
        .map(|(name, source)| EvalSet::new(name, source, e.num_sequences, e.sequence_length, config.seed))
        .collect::<Result<Vec<_>>>()?;
    Ok(Prepared { config: config.clone(), predictor, pretraining_loss, pretraining_seconds, eval_sets })
}

/// The exact Bayes predictor's ranking of every hard prefix on repetition 0's
/// first tuning batch (PreBayesPT); empty when V^K is too large to enumerate.
pub fn bayes_ranking(prep: &Prepared) -> Result<Vec<PrefixScore>> {
    let t = &prep.config.tuning;
    let v = prep.predictor.vocab as u64;
    if v.checked_pow(t.prefix_length as u32).is_none_or(|n| n > MAX_PREFIX_SEARCH) {
        return Ok(Vec::new());
    }
    let batch = t.source.sample(&mut data_stream(prep.config.seed, 0), t.batch_size, t.sequence_length)?;
    best_hard_prefix(&prep.config.pretraining.source, &batch, t.prefix_length)
}

/// Every (method, repetition) job of `config`, in the order runners start them: the
/// methods that backpropagate through the torso first, then the short ones (HardPT,
/// UnembedWT), each group in display order with a method's repetitions together. With
/// the short jobs last, the workers run out of work at nearly the same time.
pub fn jobs(config: &Config) -> Vec<(Method, usize)> {
    let mut methods = config.methods();
    methods.sort_by_key(|m| !m.backprops_through_torso());
    methods.into_iter().flat_map(|m| (0..config.tuning.repetitions).map(move |r| (m, r))).collect()
}

/// Runs a whole experiment: prepare, every method × repetition on up to
/// `threads` threads (natively; one in the browser), baselines, states.
/// Each repetition depends only on the config, so the numbers do not depend on `threads`.
pub fn run(config: &Config, pretrained: Option<Predictor>, threads: usize, progress: &(dyn Fn(&Progress) + Sync)) -> Result<Results> {
    let start = web_time::now();
    let prep = prepare(config, pretrained, progress)?;
    let jobs = jobs(&prep.config);
    let mut done = run_jobs(&prep, &jobs, threads, progress, &|_, _| Ok(()))?.into_iter();
    let mut grouped: Vec<(Method, Vec<Repetition>)> = Vec::new();
    for &(method, _) in &jobs {
        let finished = done.next().ok_or_else(|| crate::error::Error::other("a tuning job was lost"))?;
        match grouped.last_mut() {
            Some((m, reps)) if *m == method => reps.push(finished),
            _ => grouped.push((method, vec![finished])),
        }
    }
    grouped.sort_by_key(|&(method, _)| method);
    progress(&Progress::Baselines);
    let bayes_prefix_ranking = bayes_ranking(&prep)?;
    assemble(&prep, grouped, bayes_prefix_ranking, start)
}

/// Called with a job's index and result as soon as it finishes (e.g. to save it).
type OnDone<'a> = dyn Fn(usize, &Repetition) -> Result<()> + Sync + 'a;

/// Runs the jobs on a pool of scoped threads, returning results in job order.
#[cfg(not(target_arch = "wasm32"))]
fn run_jobs(prep: &Prepared, jobs: &[(Method, usize)], threads: usize, progress: &(dyn Fn(&Progress) + Sync), on_done: &OnDone) -> Result<Vec<Repetition>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<Result<Repetition>>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let workers = threads.clamp(1, jobs.len().max(1));
    // Cores left to each job's kernels once every worker runs one job.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let kernel_threads = (cores / workers).max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                crate::kernels::set_kernel_threads(kernel_threads);
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(method, rep)) = jobs.get(i) else { break };
                let out = run_repetition(prep, method, rep, progress).and_then(|r| on_done(i, &r).map(|()| r));
                let failed = out.is_err();
                if let Ok(mut s) = slots.lock() {
                    s[i] = Some(out);
                }
                if failed {
                    // Stop handing out work; the error is reported below.
                    next.store(jobs.len(), Ordering::Relaxed);
                }
            });
        }
    });
    let slots = slots.into_inner().map_err(|_| crate::error::Error::other("a tuning thread panicked"))?;
    slots.into_iter().map(|s| s.unwrap_or_else(|| Err(crate::error::Error::other("a tuning job did not run")))).collect()
}

/// In the browser the page's worker pool provides parallelism; here jobs run in turn.
#[cfg(target_arch = "wasm32")]
fn run_jobs(prep: &Prepared, jobs: &[(Method, usize)], _threads: usize, progress: &(dyn Fn(&Progress) + Sync), on_done: &OnDone) -> Result<Vec<Repetition>> {
    let run = |(i, &(m, r)): (usize, &(Method, usize))| run_repetition(prep, m, r, progress).and_then(|rep| on_done(i, &rep).map(|()| rep));
    jobs.iter().enumerate().map(run).collect()
}

/// Builds the [`Results`] from finished repetitions, grouped by method in display order.
pub fn assemble(prep: &Prepared, jobs: Vec<(Method, Vec<Repetition>)>, bayes_prefix_ranking: Vec<PrefixScore>, start: f64) -> Result<Results> {
    let config = &prep.config;
    let mut timings = Timings { pretraining: prep.pretraining_seconds, ..Default::default() };
    let mut methods = Vec::new();
    let mut hard_prefix_ranking = Vec::new();
    let mut prefixed: Vec<(String, Prefix)> = Vec::new();
    for (method, reps) in jobs {
        timings.methods.insert(method.label().to_string(), reps.iter().map(|r| r.seconds).sum());
        if method == Method::HardPt {
            hard_prefix_ranking = reps.first().map(|r| r.ranking.clone()).unwrap_or_default();
        }
        if let Some(prefix) = reps.first().and_then(|r| states::prefix_of(method, r, prep).transpose()) {
            prefixed.push((method.label().to_string(), prefix?));
        }
        methods.push(method_result(method.label(), MethodKind::Tuner, reps, &prep.eval_sets));
    }
    let best = bayes_prefix_ranking.first().map(|s| s.prefix.clone());
    for (label, repetitions) in baselines(prep, best.as_deref())? {
        methods.push(method_result(&label, MethodKind::Baseline, repetitions, &prep.eval_sets));
    }
    let states = if config.evaluation.record_states {
        Some(project_states(prep, &prefixed)?)
    } else {
        None
    };
    timings.total = web_time::now() - start;
    Ok(Results {
        config: config.clone(),
        pretraining_loss: prep.pretraining_loss.clone(),
        eval_sources: prep.eval_sets.iter().map(|s| s.name.clone()).collect(),
        key_steps: KeySteps {
            tune: config.tuning.sequence_length,
            train: config.pretraining.sequence_length,
            eval: config.evaluation.sequence_length,
        },
        methods,
        hard_prefix_ranking,
        bayes_prefix_ranking,
        states,
        timings,
    })
}

/// Summaries across the repetitions that did not diverge.
fn method_result(label: &str, kind: MethodKind, repetitions: Vec<Repetition>, sets: &[EvalSet]) -> MethodResult {
    let mut summary = BTreeMap::new();
    for set in sets {
        let finite: Vec<&[f64]> = repetitions
            .iter()
            .filter(|r| r.diverged.is_none())
            .filter_map(|r| r.instant_regret.get(&set.name).map(Vec::as_slice))
            .collect();
        summary.insert(set.name.clone(), summarise(&finite));
    }
    MethodResult { method: label.to_string(), kind, repetitions, summary }
}

/// Wall-clock seconds, natively and in the browser.
mod web_time {
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> f64 {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
    }

    #[cfg(target_arch = "wasm32")]
    pub fn now() -> f64 {
        js_sys::Date::now() / 1000.0
    }
}
