//! One shard of an experiment run into a directory: pretrain once (reused on resume), then each of its jobs, saved as it finishes.

use std::path::Path;

use super::partial::{bytes_key, config_key, job_path, read_record, write_atomic, JobRecord, RunRecord, FORMAT, JOBS_DIR, MODEL_DIR, RUN_FILE};
use super::{prepare, run_jobs, Prepared, Progress, Shard};
use crate::checkpoint;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Predictor;

/// What [`run_shard`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRun {
    /// Jobs of the shard.
    pub jobs: usize,
    /// Jobs run now.
    pub ran: usize,
    /// Jobs an earlier run had finished (with `resume`).
    pub skipped: usize,
}

/// Runs `shard`'s jobs of `config` into `dir`: `run.json` and `model/` (the pretrained or given
/// net), then `jobs/METHOD-REP.json` per job, each written atomically as soon as it finishes.
/// With `resume`, reuses the saved net and skips the jobs already written (refusing files of
/// another config); without it, removes the job files an earlier run left in `dir`. Every job tunes the net as read back from `model/`, so a resumed run computes
/// exactly what an uninterrupted one does.
pub fn run_shard(
    config: &Config,
    pretrained: Option<Predictor>,
    shard: Shard,
    threads: usize,
    resume: bool,
    dir: &Path,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<ShardRun> {
    config.validate()?;
    let mine = shard.jobs(config)?;
    let key = config_key(config)?;
    let jobs_dir = dir.join(JOBS_DIR);
    std::fs::create_dir_all(&jobs_dir).map_err(|e| Error::other(format!("cannot create {}: {e}", jobs_dir.display())))?;
    if !resume {
        // A fresh run owns its directory's jobs: earlier runs' files would be mixed in.
        for stale in super::partial::job_files(dir)? {
            std::fs::remove_file(&stale).map_err(|e| Error::other(format!("cannot remove {}: {e}", stale.display())))?;
        }
    }
    if !(resume && dir.join(RUN_FILE).exists()) {
        let prep = prepare(config, pretrained, progress)?;
        save_run(dir, &prep, &key, shard)?;
    }
    let (record, prep) = load_run(dir)?;
    if record.config_key != key {
        return Err(Error::other(format!(
            "--resume: {} was written for another config (key {}, this run's is {key}); use another --out",
            dir.join(RUN_FILE).display(),
            record.config_key
        )));
    }
    let mut todo = Vec::new();
    for &(_, method, rep) in &mine {
        let path = job_path(dir, method, rep);
        if resume && path.exists() {
            let job: JobRecord = read_record(&path)?;
            if job.config_key != key || job.model_key != record.model_key || job.method != method.label() || job.repetition != rep {
                return Err(Error::other(format!("--resume: {} is not job {} rep {rep} of this run; remove it or use another --out", path.display(), method.label())));
            }
            continue;
        }
        todo.push((method, rep));
    }
    let save = |i: usize, result: &crate::results::Repetition| {
        let (method, repetition) = todo[i];
        let job = JobRecord {
            format: FORMAT.to_string(),
            config_key: key.clone(),
            model_key: record.model_key.clone(),
            method: method.label().to_string(),
            repetition,
            result: result.clone(),
        };
        write_atomic(&job_path(dir, method, repetition), serde_json::to_string(&job)?.as_bytes())
    };
    run_jobs(&prep, &todo, threads, progress, &save)?;
    Ok(ShardRun { jobs: mine.len(), ran: todo.len(), skipped: mine.len() - todo.len() })
}

/// Writes `model/` and then `run.json` (last, so a run directory with `run.json` has its net).
fn save_run(dir: &Path, prep: &Prepared, key: &str, shard: Shard) -> Result<()> {
    let model = dir.join(MODEL_DIR);
    checkpoint::save(&model, &prep.config, &prep.predictor)?;
    let weights = std::fs::read(model.join(checkpoint::WEIGHTS_FILE))?;
    let record = RunRecord {
        format: FORMAT.to_string(),
        config_key: key.to_string(),
        model_key: bytes_key(&weights),
        shard: shard.to_string(),
        config: prep.config.clone(),
        pretraining_loss: prep.pretraining_loss.clone(),
        pretraining_seconds: prep.pretraining_seconds,
    };
    write_atomic(&dir.join(RUN_FILE), serde_json::to_string(&record)?.as_bytes())
}

/// A run directory's record and its net read back from `model/`, with the evaluation sets drawn.
pub(super) fn load_run(dir: &Path) -> Result<(RunRecord, Prepared)> {
    let record: RunRecord = read_record(&dir.join(RUN_FILE))?;
    let model = dir.join(MODEL_DIR);
    let weights = std::fs::read(model.join(checkpoint::WEIGHTS_FILE))
        .map_err(|e| Error::other(format!("cannot read {}: {e}", model.join(checkpoint::WEIGHTS_FILE).display())))?;
    if bytes_key(&weights) != record.model_key {
        return Err(Error::other(format!("{}: the weights are not the ones {} names", model.display(), dir.join(RUN_FILE).display())));
    }
    let (_, predictor) = checkpoint::load(&model)?;
    let mut prep = prepare(&record.config, Some(predictor), &|_| {})?;
    prep.pretraining_loss = record.pretraining_loss.clone();
    prep.pretraining_seconds = record.pretraining_seconds;
    Ok((record, prep))
}
