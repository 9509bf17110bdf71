//! The browser door for experiments: one session per web worker, jobs run one by one, results assembled as plain data.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::checkpoint;
use crate::config::{Config, Method};
use crate::error::{Error, Result};
use crate::experiment::{assemble, bayes_ranking, prepare, run_repetition, Prepared, Progress};
use crate::results::{Repetition, Results};
use crate::wasm::{js, to_plain};

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T> {
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::other(format!("{what}: {e}")))
}

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
    pub fn new(config_json: &str, model_config_json: &str, weights: &[u8]) -> std::result::Result<ExperimentSession, JsError> {
        let session = || -> Result<ExperimentSession> {
            let (model_config, predictor) = checkpoint::from_bytes(model_config_json, weights)?;
            let config = Config::from_json_with_model(config_json, &model_config)?;
            Ok(ExperimentSession { prep: prepare(&config, Some(predictor), &|_| {})? })
        };
        session().map_err(js)
    }

    /// Every (method, repetition) job of the config, as `[{method, repetition}]`, long ones first.
    pub fn jobs(&self) -> std::result::Result<JsValue, JsError> {
        to_plain(&job_list(&self.prep.config))
    }

    /// Runs one job; calls `on_step(step, total, loss)` after every tuning step. Returns the Repetition.
    pub fn run_job(&self, method: &str, repetition: usize, on_step: &js_sys::Function) -> std::result::Result<JsValue, JsError> {
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
        let rep = run_repetition(&self.prep, method, repetition, &report).map_err(js)?;
        to_plain(&rep)
    }

    /// Assembles finished jobs `[{method, repetitions: [Repetition…]}]` with the
    /// baselines, rankings and state projection into the full Results;
    /// `started_ms` (`Date.now()` when the run began) sets `timings.total`.
    pub fn assemble(&self, finished: JsValue, started_ms: f64) -> std::result::Result<JsValue, JsError> {
        #[derive(serde::Deserialize)]
        struct Finished {
            method: String,
            repetitions: Vec<Repetition>,
        }
        let run = || -> Result<Results> {
            let finished: Vec<Finished> = from_js(finished, "finished jobs")?;
            let mut grouped = Vec::new();
            for m in self.prep.config.methods() {
                let f = finished.iter().find(|f| f.method == m.label()).ok_or_else(|| Error::other(format!("no results for {}", m.label())))?;
                if f.repetitions.len() != self.prep.config.tuning.repetitions {
                    return Err(Error::other(format!("{}: {} of {} repetitions", m.label(), f.repetitions.len(), self.prep.config.tuning.repetitions)));
                }
                grouped.push((m, f.repetitions.clone()));
            }
            assemble(&self.prep, grouped, bayes_ranking(&self.prep)?, started_ms / 1000.0)
        };
        to_plain(&run().map_err(js)?)
    }
}

/// Every SVG figure of a Results object, as `[[file name, svg], …]`.
#[wasm_bindgen]
pub fn experiment_figures(results: JsValue) -> std::result::Result<JsValue, JsError> {
    let results: Results = from_js(results, "results").map_err(js)?;
    to_plain(&crate::charts::all_figures(&results).map_err(js)?)
}

/// The `summary.csv` text of a Results object.
#[wasm_bindgen]
pub fn experiment_summary_csv(results: JsValue) -> std::result::Result<String, JsError> {
    let results: Results = from_js(results, "results").map_err(js)?;
    Ok(results.summary_csv())
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

/// Checks an experiment config against a saved net's `config.json` without
/// loading weights: `{methods, applicable, jobs, order}` = the methods that will
/// run, every method the net allows, the number of (method, repetition) jobs,
/// and those jobs `[{method, repetition}]` in the order the workers take them.
#[wasm_bindgen]
pub fn check_experiment(config_json: &str, model_config_json: &str) -> std::result::Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Plan {
        methods: Vec<&'static str>,
        applicable: Vec<&'static str>,
        jobs: usize,
        order: Vec<Job>,
    }
    let plan = || -> Result<Plan> {
        let model = Config::from_json(model_config_json)?;
        let config = Config::from_json_with_model(config_json, &model)?;
        let methods: Vec<&'static str> = config.methods().into_iter().map(Method::label).collect();
        let order = job_list(&config);
        Ok(Plan { methods, applicable: Method::applicable(&config.model).into_iter().map(Method::label).collect(), jobs: order.len(), order })
    };
    to_plain(&plan().map_err(js)?)
}

/// The colour (`#RRGGBB`) and dash pattern (`null` = solid) of a method label, as in every engine figure.
#[wasm_bindgen]
pub fn method_style(label: &str) -> std::result::Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Style {
        colour: String,
        dash: Option<&'static str>,
    }
    to_plain(&Style { colour: crate::charts::palette::css_hex(label), dash: crate::charts::palette::css_dasharray(label) })
}
