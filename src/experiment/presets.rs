//! Named experiment configs: the paper's setting (SPEC §6), untrained nets, and small variants of each.

use crate::config::Config;
use crate::error::{Error, Result};

/// Every preset name, for `--preset` and the page.
pub const PRESETS: [&str; 13] = [
    "paper-lstm-single",
    "paper-lstm-mixture",
    "paper-transformer-single",
    "paper-transformer-mixture",
    "untrained-lstm-single",
    "untrained-transformer-single",
    "small-lstm-single",
    "small-lstm-mixture",
    "small-transformer-single",
    "small-transformer-mixture",
    "small-untrained-lstm-single",
    "small-untrained-transformer-single",
    "bench-lstm-single",
];

const SINGLE: &str = r#"{"kind":"single","probs":[0.2,0.8]}"#;
const MIXTURE: &str = r#"{"kind":"mixture","weights":[0.5,0.5],"probs":[[0.2,0.8],[0.8,0.2]]}"#;

/// The speed benchmark timed against the reference library (`./build.sh bench`):
/// LSTM E = H = 32, pretraining 500 × 256 (N = 100), seven gradient tuners × 3 repetitions
/// × 300 steps × 256 (N = 50, K = 6) to Single Coin 0.2, evaluation on 2048 × 200.
const BENCH_LSTM_SINGLE: &str = r#"{"seed":0,"model":{"architecture":"lstm","embedding_dim":32,"hidden_sizes":[32]},
    "pretraining":{"source":{"kind":"random","alphas":[1,1]},"sequence_length":100,"batch_size":256,"steps":500},
    "tuning":{"source":{"kind":"single","probs":[0.2,0.8]},"sequence_length":50,"batch_size":256,"steps":300,"prefix_length":6,"repetitions":3,
      "methods":["SimplexPT","RealPT","SoftPT","FullWT","EmbedWT","UnembedWT","Un+EmbedWT"]},
    "evaluation":{"sequence_length":200,"num_sequences":2048}}"#;

/// The config of preset `name`.
pub fn preset(name: &str) -> Result<Config> {
    if name == "bench-lstm-single" {
        return Config::from_json(BENCH_LSTM_SINGLE);
    }
    let unknown = || Error::invalid("preset", name, format!("one of {}", PRESETS.join(", ")));
    let (size, rest) = match name.split_once('-') {
        Some(("small", rest)) => ("small", rest),
        Some(_) => ("paper", name),
        None => return Err(unknown()),
    };
    let (trained, rest) = match rest.strip_prefix("untrained-") {
        Some(r) => (false, r),
        None => (true, rest.strip_prefix("paper-").unwrap_or(rest)),
    };
    let (arch, target) = rest.split_once('-').ok_or_else(unknown)?;
    let target = match target {
        "single" => SINGLE,
        "mixture" if trained => MIXTURE,
        _ => return Err(unknown()),
    };
    let model = match (arch, size) {
        ("lstm", "paper") => r#"{"architecture":"lstm","embedding_dim":128,"hidden_sizes":[128]}"#,
        ("transformer", "paper") => {
            r#"{"architecture":"transformer","embedding_dim":128,"hidden_sizes":[128],"num_heads":4,"widening_factor":4,"lora_rank":4}"#
        }
        ("lstm", "small") => r#"{"architecture":"lstm","embedding_dim":32,"hidden_sizes":[32]}"#,
        ("transformer", "small") => {
            r#"{"architecture":"transformer","embedding_dim":32,"hidden_sizes":[32],"num_heads":4,"widening_factor":4,"lora_rank":4}"#
        }
        _ => return Err(unknown()),
    };
    // SPEC §6: pretraining 1000 × 256 at N = 100; tuning 1000 × 256 at N = 50, K = 6, 10 repetitions;
    // evaluation on 2048 sequences of N = 200. Small: sized for about a minute on 2 cores.
    let (pre_steps, pre_batch, tune_steps, tune_batch, reps, eval_seqs) =
        if size == "paper" { (1000, 256, 1000, 256, 10, 2048) } else { (400, 64, 100, 64, 3, 512) };
    let json = format!(
        r#"{{"seed":0,"model":{model},
            "pretraining":{{"source":{{"kind":"random","alphas":[1,1]}},"sequence_length":100,"batch_size":{pre_batch},"steps":{pre_steps},"learning_rate":1e-3,"max_grad_norm":1.0}},
            "tuning":{{"source":{target},"sequence_length":50,"batch_size":{tune_batch},"steps":{tune_steps},"learning_rate":5e-3,"max_grad_norm":1.0,"prefix_length":6,"prefix_init":"one_hot","repetitions":{reps}}},
            "evaluation":{{"sources":{{"target":{target}}},"sequence_length":200,"num_sequences":{eval_seqs},"record_states":true}}}}"#
    );
    let mut config = Config::from_json(&json)?;
    config.model.trained = trained;
    config.validate()?;
    Ok(config)
}
