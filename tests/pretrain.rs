//! Pretraining: determinism, and networks that approach the exact Bayes predictor.

use candle_core::DType;
use promptlab::checkpoint;
use promptlab::config::{Architecture, Config};
use promptlab::eval::kl_to_bayes;
use promptlab::model::{Predictor, Prefix};
use promptlab::seed::stream;
use promptlab::train::Pretrainer;

fn config(json: &str) -> Config {
    Config::from_json(json).unwrap()
}

#[test]
fn same_seed_same_losses_other_seed_other_losses() {
    for arch in ["lstm", "transformer", "linear"] {
        let json = |seed: u64| {
            format!(r#"{{"seed":{seed},"model":{{"architecture":"{arch}","embedding_dim":8,"hidden_sizes":[8],"num_heads":2}},"pretraining":{{"batch_size":8,"sequence_length":20,"steps":5}}}}"#)
        };
        let run = |seed| {
            let mut t = Pretrainer::new(&config(&json(seed))).unwrap();
            t.run(5, |_, _| {}).unwrap()
        };
        let (a, b, c) = (run(1), run(1), run(2));
        assert_eq!(a, b, "{arch}: same seed gave different losses");
        assert_ne!(a, c, "{arch}: different seeds gave the same losses");
        assert!(a.iter().all(|l| l.is_finite()));
    }
}

/// Pretrains on Random Coins and returns (KL before, KL after) to Bayes on held-out sequences.
fn approach_bayes(arch: Architecture, steps: usize) -> (f64, f64) {
    promptlab::native::keep_freed_memory();
    let mut c = Config::default();
    c.model.architecture = arch;
    c.pretraining.steps = steps;
    let source = c.pretraining.source.clone();
    let held_out = source.sample(&mut stream(99, "held-out"), 256, 100).unwrap();
    let mut t = Pretrainer::new(&c).unwrap();
    let before = kl_to_bayes(&t.predictor, &source, &held_out).unwrap().mean;
    t.run(steps, |_, _| {}).unwrap();
    let after = kl_to_bayes(&t.predictor, &source, &held_out).unwrap();
    eprintln!(
        "{arch:?}: {steps} steps, mean KL to Bayes {before:.4} -> {:.4} nats/step (steps 1-10: {:.4}, 91-100: {:.4}); final loss {:.3}",
        after.mean,
        after.per_step[..10].iter().sum::<f64>() / 10.0,
        after.per_step[90..].iter().sum::<f64>() / 10.0,
        t.losses.last().unwrap()
    );
    (before, after.mean)
}

#[test]
fn lstm_approaches_bayes() {
    let (before, after) = approach_bayes(Architecture::Lstm, 600);
    assert!(after < 0.01 && after < before / 5.0, "LSTM KL {before} -> {after}");
}

#[test]
fn transformer_approaches_bayes() {
    let (before, after) = approach_bayes(Architecture::Transformer, 600);
    assert!(after < 0.01 && after < before / 5.0, "Transformer KL {before} -> {after}");
}

#[test]
fn untrained_nets_stay_frozen_at_their_random_init() {
    let c = config(r#"{"seed":5,"model":{"trained":false,"embedding_dim":8,"hidden_sizes":[8]}}"#);
    let mut t = Pretrainer::new(&c).unwrap();
    assert_eq!(t.remaining(), 0);
    assert!(t.run(10, |_, _| {}).unwrap().is_empty());
    let err = t.step().unwrap_err().to_string();
    assert!(err.contains("model.trained"), "{err}");
    // The frozen net is the same random net every time for a seed.
    let fresh = Predictor::new(&c.model, 2, 5, DType::F32).unwrap();
    assert_eq!(fresh.params.to_safetensors().unwrap(), t.predictor.params.to_safetensors().unwrap());
}

#[test]
fn saved_models_reload_to_identical_predictions() {
    let c = config(r#"{"seed":8,"model":{"architecture":"transformer","embedding_dim":8,"num_heads":2,"hidden_sizes":[4]},"pretraining":{"batch_size":4,"sequence_length":10,"steps":3}}"#);
    let mut t = Pretrainer::new(&c).unwrap();
    t.run(3, |_, _| {}).unwrap();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("roundtrip");
    checkpoint::save(&dir, &c, &t.predictor).unwrap();
    let (c2, p2) = checkpoint::load(&dir).unwrap();
    assert_eq!(c, c2);
    let batch = c.pretraining.source.sample(&mut stream(1, "rt"), 3, 12).unwrap();
    let a = t.predictor.log_probs(&batch, &Prefix::Hard(vec![1, 0])).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
    let b = p2.log_probs(&batch, &Prefix::Hard(vec![1, 0])).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
    assert_eq!(a, b);
}
