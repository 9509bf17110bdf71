//! Merging run directories (shards of one experiment) into the results one whole run writes, and writing them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::partial::{job_files, read_record, JobRecord, RUN_FILE};
use super::sharded::load_run;
use super::{assemble, bayes_ranking, jobs, web_time};
use crate::config::Method;
use crate::error::{Error, Result};
use crate::results::{Repetition, Results};

/// Merges the run directories `dirs` (written by [`super::run_shard`]) into [`Results`]: the
/// jobs from their `jobs/`, the baselines, rankings and states computed here from the first
/// directory's net. Refuses directories of different configs or nets, a job found twice, a job
/// that is not part of the config, and missing jobs, naming them. `timings.total` is the sum of
/// the compute seconds (pretraining once, every job, this merge), not wall-clock time.
pub fn assemble_dirs(dirs: &[PathBuf]) -> Result<Results> {
    let merge_start = web_time::now();
    let first = dirs.first().ok_or_else(|| Error::invalid("directories", "none", "at least one run directory"))?;
    let (record, prep) = load_run(first)?;
    for dir in &dirs[1..] {
        let other = read_record::<super::partial::RunRecord>(&dir.join(RUN_FILE))?;
        if other.config_key != record.config_key {
            return Err(Error::other(format!(
                "{} holds another experiment (config key {}) than {} (config key {})",
                dir.display(),
                other.config_key,
                first.display(),
                record.config_key
            )));
        }
        if other.model_key != record.model_key {
            return Err(Error::other(format!(
                "{} tuned another network (model key {}) than {} (model key {}): pretrain once and pass --model to every shard",
                dir.display(),
                other.model_key,
                first.display(),
                record.model_key
            )));
        }
    }
    let expected = jobs(&prep.config);
    let mut found: BTreeMap<(Method, usize), (PathBuf, Repetition)> = BTreeMap::new();
    for dir in dirs {
        for path in job_files(dir)? {
            let job: JobRecord = read_record(&path)?;
            if job.config_key != record.config_key || job.model_key != record.model_key {
                return Err(Error::other(format!("{} belongs to another experiment or network than {}", path.display(), first.display())));
            }
            let method = Method::from_label(&job.method)?;
            if !expected.contains(&(method, job.repetition)) {
                return Err(Error::other(format!("{}: job {} rep {} is not part of this experiment", path.display(), job.method, job.repetition)));
            }
            if let Some((earlier, _)) = found.get(&(method, job.repetition)) {
                return Err(Error::other(format!("job {} rep {} is in both {} and {}", job.method, job.repetition, earlier.display(), path.display())));
            }
            found.insert((method, job.repetition), (path, job.result));
        }
    }
    let missing: Vec<String> =
        expected.iter().filter(|j| !found.contains_key(j)).map(|(m, r)| format!("{} rep {r}", m.label())).collect();
    if !missing.is_empty() {
        return Err(Error::other(format!(
            "{} of {} jobs are missing: {} (run the shards that own them, or rerun with --resume)",
            missing.len(),
            expected.len(),
            missing.join(", ")
        )));
    }
    let mut grouped: Vec<(Method, Vec<Repetition>)> = Vec::new();
    let mut compute = prep.pretraining_seconds;
    for (method, rep) in &expected {
        let (_, result) = found.remove(&(*method, *rep)).ok_or_else(|| Error::other("a job was lost"))?;
        compute += result.seconds;
        match grouped.last_mut() {
            Some((m, reps)) if m == method => reps.push(result),
            _ => grouped.push((*method, vec![result])),
        }
    }
    grouped.sort_by_key(|&(method, _)| method);
    let ranking = bayes_ranking(&prep)?;
    // `assemble` counts total time from `start`: the compute before this merge, then the merge itself.
    assemble(&prep, grouped, ranking, merge_start - compute)
}

/// Writes `results.json`, `summary.csv` and every figure (`NAME.svg` + `NAME.json`) into `out`.
pub fn write_results(out: &Path, results: &Results) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| Error::other(format!("cannot create {}: {e}", out.display())))?;
    std::fs::write(out.join("results.json"), serde_json::to_string(results)?)?;
    std::fs::write(out.join("summary.csv"), results.summary_csv())?;
    for (stem, figure) in crate::charts::all_figure_data(results, &crate::charts::FigureOptions::default())? {
        std::fs::write(out.join(format!("{stem}.svg")), figure.svg)?;
        std::fs::write(out.join(format!("{stem}.json")), serde_json::to_string_pretty(&figure.data)?)?;
    }
    Ok(())
}
