//! Exports of the Prompt view: one experiment session per web worker, plans, figures, CSV, and what the methods of a run are.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{from_js, js, to_plain, JsResult};
use crate::checkpoint;
use crate::config::{Config, Method};
use crate::error::{Error, Result};
use crate::experiment::{assemble, bayes_ranking, prepare, run_repetition, Prepared, Progress};
use crate::results::{method_catalog as catalog, Repetition, Results};

/// One experiment in one worker: the pretrained net and the fixed evaluation
/// sets, rebuilt identically in every worker from the same config and weights.
#[wasm_bindgen]
pub struct ExperimentSession {
    prep: Prepared,
}

#[wasm_bindgen]
impl ExperimentSession {
    /// `config_json`: the experiment config; `model_config_json` + `weights`: the
    /// pretrained net (its `config.json` and `model.safetensors`), whose model
    /// and pretraining fields replace the experiment config's.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str, model_config_json: &str, weights: &[u8]) -> JsResult<ExperimentSession> {
        let (model_config, predictor) = checkpoint::from_bytes(model_config_json, weights).map_err(js)?;
        let config = Config::from_json_with_model(config_json, &model_config).map_err(js)?;
        Ok(ExperimentSession { prep: prepare(&config, Some(predictor), &|_| {}).map_err(js)? })
    }

    /// Every (method, repetition) job of the config, as `[{method, repetition}]`, long ones first.
    pub fn jobs(&self) -> JsResult<JsValue> {
        to_plain(&job_list(&self.prep.config))
    }

    /// Runs one job; calls `on_step(step, total, loss)` after every tuning step. Returns the Repetition.
    pub fn run_job(&self, method: &str, repetition: usize, on_step: &js_sys::Function) -> JsResult<JsValue> {
        let method = Method::from_label(method).map_err(js)?;
        if repetition >= self.prep.config.tuning.repetitions {
            let max = self.prep.config.tuning.repetitions - 1;
            return Err(js(Error::invalid("repetition", repetition, format!("an integer in 0..={max}"))));
        }
        let report = |p: &Progress| {
            if let Progress::Tuning { step, total, loss, .. } = p {
                // A throwing callback must not abort the run; the page sees the result anyway.
                let _ = on_step.call3(&JsValue::NULL, &JsValue::from(*step as f64), &JsValue::from(*total as f64), &JsValue::from(*loss));
            }
        };
        to_plain(&run_repetition(&self.prep, method, repetition, &report).map_err(js)?)
    }

    /// Assembles finished jobs `[{method, repetitions: [Repetition…]}]` with the
    /// baselines, rankings and state projection into the full Results;
    /// `started_ms` (`Date.now()` when the run began) sets `timings.total`.
    pub fn assemble(&self, finished: JsValue, started_ms: f64) -> JsResult<JsValue> {
        let finished: Vec<Finished> = from_js(finished, "finished jobs").map_err(js)?;
        to_plain(&self.results(&finished, started_ms / 1000.0).map_err(js)?)
    }
}

/// One method's finished repetitions, as the page hands them to `assemble`.
#[derive(serde::Deserialize)]
struct Finished {
    method: String,
    repetitions: Vec<Repetition>,
}

impl ExperimentSession {
    /// The Results of every method of the config, each with all its repetitions; `start`
    /// in seconds since the epoch.
    fn results(&self, finished: &[Finished], start: f64) -> Result<Results> {
        let reps = self.prep.config.tuning.repetitions;
        let mut grouped = Vec::new();
        for m in self.prep.config.methods() {
            let f = finished.iter().find(|f| f.method == m.label()).ok_or_else(|| Error::other(format!("no results for {}", m.label())))?;
            if f.repetitions.len() != reps {
                return Err(Error::other(format!("{}: {} of {} repetitions", m.label(), f.repetitions.len(), reps)));
            }
            grouped.push((m, f.repetitions.clone()));
        }
        assemble(&self.prep, grouped, bayes_ranking(&self.prep)?, start)
    }
}

/// Every SVG figure of a Results object, as `[[file name, svg], …]`.
#[wasm_bindgen]
pub fn experiment_figures(results: JsValue) -> JsResult<JsValue> {
    let results: Results = from_js(results, "results").map_err(js)?;
    to_plain(&crate::charts::all_figures(&results).map_err(js)?)
}

/// The `summary.csv` text of a Results object.
#[wasm_bindgen]
pub fn experiment_summary_csv(results: JsValue) -> JsResult<String> {
    let results: Results = from_js(results, "results").map_err(js)?;
    Ok(results.summary_csv())
}

/// For each prefix tuner of a Results object, its best repetition's prefix as a prompt
/// [`crate::results::TunedPrompt`]: `[{method, repetition, repetitions, prefix_length, prefix}]`,
/// `prefix` the object whose `JSON.stringify` `model_predict` takes.
#[wasm_bindgen]
pub fn tuned_prompts(results: JsValue) -> JsResult<JsValue> {
    let results: Results = from_js(results, "results").map_err(js)?;
    to_plain(&results.tuned_prompts().map_err(js)?)
}

/// Each method's cumulative regret in excess of TargetBayes after `step` tokens of `source`, per
/// repetition then median and quartiles ([`crate::results::Results::excess_over_target`]):
/// `[{method, step, median, q25, q75, repetitions}]` (nats), the units of the Theory curve.
#[wasm_bindgen]
pub fn excess_over_target(results: JsValue, source: &str, step: usize) -> JsResult<JsValue> {
    let results: Results = from_js(results, "results").map_err(js)?;
    to_plain(&results.excess_over_target(source, step).map_err(js)?)
}

/// `methods` (a JS array of labels) ranked by median excess over TargetBayes after `step` tokens of
/// `source`, lowest first, ties in the asked order ([`crate::results::Results::rank_by_excess`]):
/// `{ranked: [{method, step, median, q25, q75, repetitions}], missing: [label]}`.
#[wasm_bindgen]
pub fn rank_by_excess(results: JsValue, source: &str, step: usize, methods: JsValue) -> JsResult<JsValue> {
    let results: Results = from_js(results, "results").map_err(js)?;
    let methods: Vec<String> = from_js(methods, "methods").map_err(js)?;
    to_plain(&results.rank_by_excess(source, step, &methods).map_err(js)?)
}

/// Where a tuner did worse than NoTuning, or PreBayesPT worse than PreBayes, on `source`
/// ([`crate::results::Results::worse_than_baselines`]): `[{method, baseline, forced_flips,
/// steps: [{step, median, q25, q75, baseline, baseline_q75}]}]` (nats against the oracle).
#[wasm_bindgen]
pub fn worse_than_baselines(results: JsValue, source: &str) -> JsResult<JsValue> {
    let results: Results = from_js(results, "results").map_err(js)?;
    to_plain(&results.worse_than_baselines(source))
}

/// Every label a Results object's `methods` can hold, in display order:
/// `[{label, kind: "tuner"|"baseline", prefix, theory_k: "zero"|"prefix"|"none", oracle, description}]`.
#[wasm_bindgen]
pub fn method_catalog() -> JsResult<JsValue> {
    to_plain(&catalog())
}

/// One (method, repetition) job as the page sees it.
#[derive(Serialize)]
struct Job {
    method: &'static str,
    repetition: usize,
}

/// The config's jobs in the order the runners start them ([`crate::experiment::jobs`]).
fn job_list(config: &Config) -> Vec<Job> {
    crate::experiment::jobs(config).into_iter().map(|(m, repetition)| Job { method: m.label(), repetition }).collect()
}

/// What an experiment config will run on a saved net.
#[derive(Serialize)]
struct Plan {
    methods: Vec<&'static str>,
    applicable: Vec<&'static str>,
    jobs: usize,
    order: Vec<Job>,
}

/// Checks an experiment config against a saved net's `config.json` without
/// loading weights: `{methods, applicable, jobs, order}` = the methods that will
/// run, every method the net allows, the number of (method, repetition) jobs,
/// and those jobs `[{method, repetition}]` in the order the workers take them.
#[wasm_bindgen]
pub fn check_experiment(config_json: &str, model_config_json: &str) -> JsResult<JsValue> {
    let model = Config::from_json(model_config_json).map_err(js)?;
    let config = Config::from_json_with_model(config_json, &model).map_err(js)?;
    let order = job_list(&config);
    to_plain(&Plan {
        methods: config.methods().into_iter().map(Method::label).collect(),
        applicable: Method::applicable(&config.model).into_iter().map(Method::label).collect(),
        jobs: order.len(),
        order,
    })
}

/// The colour (`#RRGGBB`) and dash pattern (`null` = solid) of a method label, as in every engine figure.
#[wasm_bindgen]
pub fn method_style(label: &str) -> JsResult<JsValue> {
    #[derive(Serialize)]
    struct Style {
        colour: String,
        dash: Option<&'static str>,
    }
    to_plain(&Style { colour: crate::charts::palette::css_hex(label), dash: crate::charts::palette::css_dasharray(label) })
}
