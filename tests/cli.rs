//! The `promptlab` binary: predict and pretrain outputs, and one-line refusals of bad input.

mod common;

use std::process::Output;

use common::{promptlab, tmp};

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Asserts a clean refusal: non-zero exit, one stderr line containing `needle`, no panic.
fn refused(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "accepted bad input; stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(err.contains(needle), "message {err:?} does not mention {needle:?}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
}

#[test]
fn predict_prints_laplaces_rule_before_each_token() {
    let out = promptlab(&["predict", "--source", r#"{"kind":"random","alphas":[1,1]}"#, "--tokens", "0110"]);
    assert!(out.status.success());
    let rows = lines(&out);
    assert_eq!(rows.len(), 4);
    let expect = [0.5, 2.0 / 3.0, 2.0 / 4.0, 2.0 / 5.0];
    for (n, (row, p0)) in rows.iter().zip(expect).enumerate() {
        assert_eq!(row["step"], n + 1);
        assert!((row["probs"][0].as_f64().unwrap() - p0).abs() < 1e-12, "{row}");
        assert!(row.get("model_probs").is_none());
    }
}

#[test]
fn predict_refuses_bad_input_in_one_line() {
    let coin = r#"{"kind":"random","alphas":[1,1]}"#;
    refused(&promptlab(&["predict", "--source", "{not json", "--tokens", "01"]), "malformed JSON");
    refused(&promptlab(&["predict", "--source", r#"{"kind":"single","probs":[0.3,0.6]}"#, "--tokens", "01"]), "source.probs");
    refused(&promptlab(&["predict", "--source", r#"{"kind":"single","probs":[0.5,0.5],"p":1}"#, "--tokens", "01"]), "unknown field");
    refused(&promptlab(&["predict", "--source", coin, "--tokens", "0120"]), "tokens[2]");
    refused(&promptlab(&["predict", "--source", coin, "--tokens", "01", "--model", "/nonexistent/model"]), "no model directory");
}

#[test]
fn pretrain_writes_a_model_that_predict_loads() {
    let dir = tmp("cli-pretrain");
    let config = dir.join("config-in.json");
    std::fs::write(&config, r#"{"seed":3,"model":{"embedding_dim":8,"hidden_sizes":[8]},"pretraining":{"batch_size":8,"sequence_length":20,"steps":7}}"#).unwrap();
    let model = dir.join("model");
    let out = promptlab(&["pretrain", "--config", config.to_str().unwrap(), "--out", model.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(model.join("loss.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "step,loss,grad_norm");
    assert_eq!(rows.len(), 8);
    assert!(rows[1..].iter().all(|r| r.split(',').skip(1).all(|x| x.parse::<f64>().unwrap().is_finite())));
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(model.join("config.json")).unwrap()).unwrap();
    assert_eq!(saved["pretraining"]["learning_rate"], 0.001, "defaults are written out in full");

    let source = r#"{"kind":"random","alphas":[1,1]}"#;
    let out = promptlab(&["predict", "--source", source, "--tokens", "00000", "--model", model.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for row in lines(&out) {
        let m: Vec<f64> = row["model_probs"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
        assert_eq!(m.len(), 2);
        assert!((m.iter().sum::<f64>() - 1.0).abs() < 1e-5);
    }
    // Same config and seed, same numbers.
    let again = dir.join("again");
    promptlab(&["pretrain", "--config", config.to_str().unwrap(), "--out", again.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(again.join("loss.csv")).unwrap(), csv);

    // A corrupt weights file is refused, not half-loaded.
    let broken = dir.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::copy(model.join("config.json"), broken.join("config.json")).unwrap();
    std::fs::write(broken.join("model.safetensors"), b"definitely not safetensors").unwrap();
    refused(&promptlab(&["predict", "--source", source, "--tokens", "01", "--model", broken.to_str().unwrap()]), "safetensors");
    // Weights that do not fit the config are refused by name.
    let text = std::fs::read_to_string(model.join("config.json")).unwrap().replace("\"embedding_dim\": 8", "\"embedding_dim\": 16");
    std::fs::write(broken.join("config.json"), text).unwrap();
    std::fs::copy(model.join("model.safetensors"), broken.join("model.safetensors")).unwrap();
    refused(&promptlab(&["predict", "--source", source, "--tokens", "01", "--model", broken.to_str().unwrap()]), "shape");
    // A model for another vocabulary is refused.
    refused(&promptlab(&["predict", "--source", r#"{"kind":"random","alphas":[1,1,1]}"#, "--tokens", "01", "--model", model.to_str().unwrap()]), "vocabulary");
}

#[test]
fn pretrain_refuses_bad_configs() {
    let dir = tmp("cli-bad-config");
    let cases = [
        (r#"{"pretraining":{"batch_size":0}}"#, "pretraining.batch_size"),
        (r#"{"pretraining":{"learning_rate":-1}}"#, "pretraining.learning_rate"),
        (r#"{"model":{"architecture":"transformer","embedding_dim":30,"num_heads":4}}"#, "model.num_heads"),
        (r#"{"model":{"hidden_size":3}}"#, "unknown field"),
        (r#"{"pretraining":{"source":{"kind":"mixture","weights":[0.4,0.4],"probs":[[0.2,0.8],[0.8,0.2]]}}}"#, "weights"),
    ];
    for (i, (json, needle)) in cases.iter().enumerate() {
        let path = dir.join(format!("c{i}.json"));
        std::fs::write(&path, json).unwrap();
        refused(&promptlab(&["pretrain", "--config", path.to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()]), needle);
    }
    refused(&promptlab(&["pretrain", "--config", "/nonexistent.json", "--out", "x"]), "cannot read config");
}

#[test]
fn experiment_help_prints_every_method_and_baseline_with_the_catalogs_description() {
    let out = promptlab(&["experiment", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let catalog = promptlab::results::method_catalog();
    assert_eq!(catalog.len(), 15);
    for m in &catalog {
        let line = help.lines().find(|l| l.trim_start().starts_with(&format!("{} ", m.label)));
        let line = line.unwrap_or_else(|| panic!("{} not listed in --help:\n{help}", m.label));
        assert_eq!(line.trim_start()[m.label.len()..].trim(), m.description, "{}", m.label);
    }
    // The oracle is listed apart from the baselines, under what regret is measured against.
    let oracle = help.find("Regret is measured against:").expect("oracle heading");
    assert!(help[oracle..].contains("ground_truth"));
    assert_eq!(catalog.iter().filter(|m| m.oracle).map(|m| m.label).collect::<Vec<_>>(), ["ground_truth"]);
}

#[test]
fn predict_figures_writes_both_figures_and_prints_nothing() {
    let coin = r#"{"kind":"random","alphas":[1,1]}"#;
    let dir = tmp("cli-predict-figures");
    let figures = dir.join("figures");
    let out = promptlab(&["predict", "--source", coin, "--tokens", "0110", "--hard", "00", "--figures", figures.to_str().unwrap(), "--width", "360"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    for stem in ["predictive", "posterior"] {
        let svg = std::fs::read_to_string(figures.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("width=\"360\""), "{stem}.svg");
        let data: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(figures.join(format!("{stem}.json"))).unwrap()).unwrap();
        assert_eq!(data["name"], stem);
        assert_eq!(data["width"], 360);
    }
    // Behind the prompt HH, Laplace's rule reads 2 heads first: P(H) = 3/4, then 4/5, 4/6, 4/7, 5/8.
    let data: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(figures.join("predictive.json")).unwrap()).unwrap();
    let bayes = data["series"].as_array().unwrap().iter().find(|s| s["key"] == "bayes").unwrap();
    let y: Vec<f64> = bayes["y"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    for (got, want) in y.iter().zip([3.0 / 4.0, 4.0 / 5.0, 4.0 / 6.0, 4.0 / 7.0, 5.0 / 8.0]) {
        assert!((got - want).abs() < 1e-12, "{y:?}");
    }
    assert_eq!(y.len(), 5);
    let post: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(figures.join("posterior.json")).unwrap()).unwrap();
    assert_eq!(post["title"], "Beta(5, 3) posterior density of the bias");
}

#[test]
fn predict_figures_refuses_bad_input_in_one_line() {
    let coin = r#"{"kind":"random","alphas":[1,1]}"#;
    let dir = tmp("cli-predict-figures-bad");
    let figures = dir.join("f");
    let f = figures.to_str().unwrap();
    refused(&promptlab(&["predict", "--source", coin, "--tokens", "01", "--hard", "0x", "--figures", f]), "hard[1]");
    refused(&promptlab(&["predict", "--source", coin, "--tokens", "01", "--figures", f, "--width", "100"]), "width");
    refused(&promptlab(&["predict", "--source", coin, "--tokens", "012", "--figures", f]), "tokens[2]");
    assert!(!figures.exists(), "a refused run wrote files");
    // --hard and --width only make sense with --figures: stdout's lines never read a prompt.
    let out = promptlab(&["predict", "--source", coin, "--tokens", "01", "--hard", "0"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--figures"));
}

#[test]
fn bench_prints_the_steps_time_and_work_and_the_peak_as_json_lines() {
    let dir = tmp("cli-bench");
    let config = dir.join("config.json");
    std::fs::write(&config, r#"{"model": {"embedding_dim": 4, "hidden_sizes": [3]}, "pretraining": {"batch_size": 2, "sequence_length": 5}}"#).unwrap();
    let out = promptlab(&["bench", "--config", config.to_str().unwrap(), "--steps", "2", "--warmup", "0"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let row = &lines(&out)[0];
    assert!(row["ms_per_step_median"].as_f64().unwrap() > 0.0, "{row}");
    let work = &row["work"];
    let part = |name: &str| work[name].as_u64().unwrap_or_else(|| panic!("no work.{name} in {row}"));
    assert!(part("forward") > 0 && part("backward") > part("forward") && part("update") > 0, "{row}");
    assert_eq!(part("total"), part("forward") + part("backward") + part("update"));

    let out = promptlab(&["bench", "--peak", "--size", "64", "--steps", "2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let peak = &lines(&out)[0];
    assert!(peak["gmacs"].as_f64().unwrap() > 0.0 && peak["ms"].as_f64().unwrap() > 0.0, "{peak}");
    assert_eq!((peak["size"].as_u64(), peak["reps"].as_u64()), (Some(64), Some(2)));
    assert!(peak["threads"].as_u64().unwrap() >= 1, "{peak}");
}

#[test]
fn bench_refuses_a_peak_size_out_of_range_naming_it() {
    for size in ["63", "4097"] {
        let out = promptlab(&["bench", "--peak", "--size", size]);
        refused(&out, "size");
        refused(&out, "64..=4096");
    }
    refused(&promptlab(&["bench", "--peak", "--steps", "0"]), "reps");
}
