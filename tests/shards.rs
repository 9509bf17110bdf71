//! Experiments split into shards, resumed and redrawn: `experiment --shard`, `assemble` and `--resume` end with the files one whole run writes, and `figures` draws them again from results.json.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{promptlab, tmp};
use promptlab::config::Config;
use promptlab::experiment::{assemble_dirs, run, run_shard, Shard};

/// Ten quick jobs (5 tuners × 2 repetitions) on a tiny LSTM, with states recorded.
const TINY: &str = r#"{"seed":3,"model":{"architecture":"lstm","embedding_dim":4,"hidden_sizes":[4]},
 "pretraining":{"sequence_length":20,"batch_size":8,"steps":20},
 "tuning":{"source":{"kind":"single","probs":[0.2,0.8]},"sequence_length":10,"batch_size":8,"steps":10,"prefix_length":2,"repetitions":2,
   "methods":["HardPT","SoftPT","RealPT","UnembedWT","FullWT"]},
 "evaluation":{"sequence_length":30,"num_sequences":16,"record_states":true}}"#;

/// Twelve jobs of a fraction of a second each, so a run can be killed midway.
const SLOW: &str = r#"{"seed":5,"model":{"architecture":"lstm","embedding_dim":16,"hidden_sizes":[16]},
 "pretraining":{"sequence_length":20,"batch_size":16,"steps":30},
 "tuning":{"source":{"kind":"single","probs":[0.2,0.8]},"sequence_length":20,"batch_size":32,"steps":80,"prefix_length":2,"repetitions":3,
   "methods":["SoftPT","RealPT","FullWT","UnembedWT"]},
 "evaluation":{"sequence_length":30,"num_sequences":32,"record_states":false}}"#;

fn config_file(dir: &Path, json: &str) -> String {
    let path = dir.join("config.json");
    std::fs::write(&path, json).unwrap();
    path.display().to_string()
}

fn ok(args: &[&str]) {
    let out = promptlab(args);
    assert!(out.status.success(), "promptlab {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn refused(args: &[&str], needle: &str) {
    let out = promptlab(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "promptlab {args:?} accepted it");
    assert!(err.contains(needle), "message {err:?} does not mention {needle:?}");
    assert!(!err.contains("panicked"), "{err}");
}

/// results.json without its wall-clock fields (`timings` and every repetition's `seconds`).
fn without_clock(path: &Path) -> serde_json::Value {
    let mut r: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    r.as_object_mut().unwrap().remove("timings").expect("timings");
    for m in r["methods"].as_array_mut().unwrap() {
        for rep in m["repetitions"].as_array_mut().unwrap() {
            rep.as_object_mut().unwrap().remove("seconds").expect("seconds");
        }
    }
    r
}

/// Asserts that `b` holds the results `a` holds: every output file byte for byte, results.json but for its clock.
fn same_outputs(a: &Path, b: &Path) {
    let outputs = |d: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.retain(|n| n.ends_with(".svg") || n.ends_with(".json") || n.ends_with(".csv"));
        names.retain(|n| n != "run.json" && n != "config.json");
        names.sort();
        names
    };
    let names = outputs(a);
    assert_eq!(names, outputs(b), "{} and {} hold different files", a.display(), b.display());
    assert!(names.iter().any(|n| n.ends_with(".svg")) && names.contains(&"summary.csv".to_string()), "{names:?}");
    for name in &names {
        if name == "results.json" {
            assert_eq!(without_clock(&a.join(name)), without_clock(&b.join(name)), "results.json differs beyond its clock");
        } else {
            assert!(std::fs::read(a.join(name)).unwrap() == std::fs::read(b.join(name)).unwrap(), "{name} differs");
        }
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn three_shards_assembled_write_the_files_of_one_whole_run() {
    let dir = tmp("shards-three");
    let config = config_file(&dir, TINY);
    let whole = dir.join("whole");
    ok(&["experiment", "--config", &config, "--out", s(&whole)]);
    let shards: Vec<PathBuf> = (0..3).map(|i| dir.join(format!("shard{i}"))).collect();
    for (i, shard) in shards.iter().enumerate() {
        ok(&["experiment", "--config", &config, "--out", s(shard), "--shard", &format!("{i}/3"), "--threads", "1"]);
        assert!(!shard.join("results.json").exists(), "a shard wrote whole results");
    }
    let counts: Vec<usize> = shards.iter().map(|d| std::fs::read_dir(d.join("jobs")).unwrap().count()).collect();
    assert_eq!(counts, vec![4, 3, 3], "job i goes to shard i mod 3");
    let merged = dir.join("merged");
    ok(&["assemble", s(&shards[2]), s(&shards[0]), s(&shards[1]), "--out", s(&merged)]);
    same_outputs(&whole, &merged);
}

#[test]
fn assemble_refuses_missing_duplicate_and_foreign_jobs() {
    let dir = tmp("shards-refused");
    let config = config_file(&dir, TINY);
    let (a, b) = (dir.join("a"), dir.join("b"));
    ok(&["experiment", "--config", &config, "--out", s(&a), "--shard", "0/2"]);
    ok(&["experiment", "--config", &config, "--out", s(&b), "--shard", "1/2"]);
    let out = s(&dir.join("out")).to_string();
    refused(&["assemble", s(&a), "--out", &out], "5 of 10 jobs are missing: RealPT rep 1, SoftPT rep 1");
    refused(&["assemble", s(&a), s(&b), s(&a), "--out", &out], "job FullWT rep 0 is in both");
    let other = config_file(&dir, &TINY.replace(r#""seed":3"#, r#""seed":4"#));
    let c = dir.join("c");
    ok(&["experiment", "--config", &other, "--out", s(&c), "--shard", "1/2"]);
    refused(&["assemble", s(&a), s(&c), "--out", &out], "holds another experiment");
    // A job file copied from another experiment into a shard is refused by name.
    std::fs::copy(c.join("jobs/SoftPT-1.json"), a.join("jobs/SoftPT-1.json")).unwrap();
    refused(&["assemble", s(&a), s(&b), "--out", &out], "SoftPT-1.json belongs to another experiment");
    assert!(!dir.join("out/results.json").exists());
    // A fresh run into a shard's directory replaces its jobs instead of mixing them in.
    ok(&["experiment", "--config", &other, "--out", s(&a)]);
    assert_eq!(std::fs::read_dir(a.join("jobs")).unwrap().count(), 10);
}

#[test]
fn shard_refuses_bad_values_naming_the_range() {
    let dir = tmp("shards-bad");
    let config = config_file(&dir, TINY);
    let out = s(&dir.join("out")).to_string();
    for (shard, needle) in [
        ("3/3", "shard index I = 3: must be an integer in 0..=2"),
        ("0/0", "shard count N"),
        ("1", "I/N with integers 0 <= I < N"),
        ("x/2", "I/N with integers"),
        ("0/11", "shard count N = 11: must be an integer in 1..=10 (this experiment has 10 jobs"),
    ] {
        refused(&["experiment", "--config", &config, "--out", &out, "--shard", shard], needle);
    }
}

#[test]
fn shards_in_process_equal_the_whole_run_in_memory() {
    let config = Config::from_json(TINY).unwrap();
    let whole = run(&config, None, 2, &|_| {}).unwrap();
    let dir = tmp("shards-in-process");
    let dirs: Vec<PathBuf> = (0..2).map(|i| dir.join(i.to_string())).collect();
    for (i, d) in dirs.iter().enumerate() {
        run_shard(&config, None, Shard { index: i, count: 2 }, 1, false, d, &|_| {}).unwrap();
    }
    let mut merged = assemble_dirs(&dirs).unwrap();
    let mut whole = whole;
    for r in [&mut whole, &mut merged] {
        r.timings = Default::default();
        r.methods.iter_mut().flat_map(|m| m.repetitions.iter_mut()).for_each(|rep| rep.seconds = 0.0);
    }
    assert!(whole == merged, "sharded results differ from the in-memory run");
}

#[test]
fn a_killed_run_resumed_ends_with_the_files_of_an_uninterrupted_run() {
    let dir = tmp("shards-resume");
    let config = config_file(&dir, SLOW);
    let whole = dir.join("whole");
    ok(&["experiment", "--config", &config, "--out", s(&whole), "--threads", "1"]);

    let cut = dir.join("cut");
    let jobs = cut.join("jobs");
    let done = || std::fs::read_dir(&jobs).map_or(0, |d| d.filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json")).count());
    let mut child = Command::new(env!("CARGO_BIN_EXE_promptlab"))
        .args(["experiment", "--config", &config, "--out", s(&cut), "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while done() < 2 {
        assert!(child.try_wait().unwrap().is_none(), "the run finished before it could be killed");
        assert!(start.elapsed() < Duration::from_secs(60), "no job finished within a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> =
        promptlab::experiment::partial::job_files(&cut).unwrap().into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    assert!(before.len() >= 2 && before.len() < 12, "{} of 12 jobs were written before the kill", before.len());
    assert!(!cut.join("results.json").exists());

    let out = promptlab(&["experiment", "--config", &config, "--out", s(&cut), "--threads", "1", "--resume"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&format!("resumed: {} of 12 jobs were already done", before.len())), "{err}");
    for (path, bytes) in &before {
        assert!(&std::fs::read(path).unwrap() == bytes, "{} was recomputed", path.display());
    }
    same_outputs(&whole, &cut);
    // A resume into a run of another config is refused, not mixed.
    let other = config_file(&dir, &SLOW.replace(r#""seed":5"#, r#""seed":6"#));
    refused(&["experiment", "--config", &other, "--out", s(&cut), "--resume"], "was written for another config");
}

#[test]
fn a_diverged_repetitions_non_finite_numbers_survive_a_job_file() {
    use promptlab::results::Repetition;
    let rep = Repetition {
        tuning_loss: vec![1.0, f64::NAN],
        initial_prefix: Some(vec![vec![0.5, f64::INFINITY]]),
        prefix: None,
        instant_regret: [("target".to_string(), vec![f64::NAN, 0.25])].into_iter().collect(),
        diverged: Some(promptlab::results::Divergence { step: 2, message: "loss = NaN".into() }),
        seconds: 1.5,
        ranking: Vec::new(),
    };
    let back: Repetition = serde_json::from_str(&serde_json::to_string(&rep).unwrap()).unwrap();
    assert!(back.tuning_loss[1].is_nan() && back.instant_regret["target"][0].is_nan());
    // JSON has no infinity: it is written as null and read back as NaN, like every non-finite number.
    assert!(back.initial_prefix.as_ref().unwrap()[0][1].is_nan());
    assert_eq!((back.tuning_loss[0], back.instant_regret["target"][1], back.seconds), (1.0, 0.25, 1.5));
}

#[test]
fn figures_draws_a_runs_figures_again_from_its_results_at_any_width() {
    let dir = tmp("shards-figures");
    let config = config_file(&dir, TINY);
    let run = dir.join("run");
    ok(&["experiment", "--config", &config, "--out", s(&run), "--threads", "1"]);
    let results = run.join("results.json");
    // At the default width, the run's own figures, byte for byte.
    let same = dir.join("same");
    ok(&["figures", "--results", s(&results), "--out", s(&same)]);
    let svgs: Vec<String> = std::fs::read_dir(&run).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).filter(|n| n.ends_with(".svg")).collect();
    assert!(svgs.len() >= 5, "{svgs:?}");
    for name in &svgs {
        assert!(std::fs::read(run.join(name)).unwrap() == std::fs::read(same.join(name)).unwrap(), "{name} differs from the run's");
        let json = name.replace(".svg", ".json");
        assert!(std::fs::read(run.join(&json)).unwrap() == std::fs::read(same.join(&json)).unwrap(), "{json} differs from the run's");
    }
    // At a phone's width, every figure drawn 360 px wide.
    let narrow = dir.join("narrow");
    ok(&["figures", "--results", s(&results), "--out", s(&narrow), "--width", "360", "--no-chrome"]);
    for name in &svgs {
        let data: serde_json::Value = serde_json::from_slice(&std::fs::read(narrow.join(name.replace(".svg", ".json"))).unwrap()).unwrap();
        assert_eq!(data["width"], 360, "{name}");
        assert!(String::from_utf8(std::fs::read(narrow.join(name)).unwrap()).unwrap().contains("width=\"360\""), "{name}");
    }
    refused(&["figures", "--results", s(&results), "--out", s(&narrow), "--width", "100"], "width");
    refused(&["figures", "--results", &config, "--out", s(&narrow)], "results.json");
}
