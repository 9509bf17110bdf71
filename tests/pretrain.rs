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

/// A small pretraining run of `arch` with batch 7 (uneven parts).
fn parted_config(arch: &str) -> Config {
    config(&format!(
        r#"{{"seed":4,"model":{{"architecture":"{arch}","embedding_dim":8,"hidden_sizes":[8],"num_heads":2}},"pretraining":{{"batch_size":7,"sequence_length":12,"steps":4}}}}"#
    ))
}

/// One step cut into `parts` parts, all computed by `t` itself.
fn parted_step(t: &mut Pretrainer, parts: usize) -> f64 {
    let shares: Vec<_> = (0..parts).map(|p| t.part_gradients(p, parts).unwrap()).collect();
    t.apply_parts(&shares).unwrap()
}

#[test]
fn steps_in_parts_match_whole_steps_and_do_not_depend_on_who_computes_them() {
    for arch in ["lstm", "transformer", "linear"] {
        let c = parted_config(arch);
        // Two copies sharing each step (as two page workers do) and one computing both parts.
        let (mut a, mut b, mut alone) = (Pretrainer::new(&c).unwrap(), Pretrainer::new(&c).unwrap(), Pretrainer::new(&c).unwrap());
        assert_eq!(a.parts(), 2);
        for _ in 0..4 {
            let shares = [a.part_gradients(0, 2).unwrap(), b.part_gradients(1, 2).unwrap()];
            let (la, lb) = (a.apply_parts(&shares).unwrap(), b.apply_parts(&shares).unwrap());
            assert_eq!(la.to_bits(), lb.to_bits());
            assert_eq!(la.to_bits(), parted_step(&mut alone, 2).to_bits(), "{arch}");
        }
        let bytes = |t: &Pretrainer| t.predictor.params.to_safetensors().unwrap();
        assert_eq!(bytes(&a), bytes(&b), "{arch}: the two copies drifted apart");
        assert_eq!(bytes(&a), bytes(&alone), "{arch}: sharing the parts changed the numbers");
        // Against whole-batch steps only the order of the sums differs: equal to rounding in F64.
        let mut whole = Pretrainer::with_dtype(&c, DType::F64).unwrap();
        let mut parted = Pretrainer::with_dtype(&c, DType::F64).unwrap();
        for step in 0..4 {
            let (w, p) = (whole.step().unwrap(), parted_step(&mut parted, 2));
            assert!((w - p).abs() <= 1e-10 * w.abs(), "{arch} step {step}: whole {w} vs parts {p}");
            assert!((whole.grad_norms[step] - parted.grad_norms[step]).abs() <= 1e-10 * whole.grad_norms[step]);
        }
        // One part is the whole batch.
        let mut one = Pretrainer::with_dtype(&c, DType::F64).unwrap();
        let mut w = Pretrainer::with_dtype(&c, DType::F64).unwrap();
        let (l1, lw) = (parted_step(&mut one, 1), w.step().unwrap());
        assert!((l1 - lw).abs() <= 1e-12 * lw.abs());
    }
}

/// The error message of a call that must fail.
fn message<T: std::fmt::Debug>(r: promptlab::error::Result<T>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn bad_parts_are_refused_and_change_nothing() {
    let c = parted_config("lstm");
    let mut t = Pretrainer::new(&c).unwrap();
    assert!(message(t.part_gradients(2, 2)).contains("part"));
    assert!(message(t.part_gradients(0, 0)).contains("parts"));
    assert!(message(t.part_gradients(0, 8)).contains("1..=7"));
    let first = t.part_gradients(0, 2).unwrap();
    assert!(message(t.part_gradients(0, 3)).contains("2, the parts this step was cut into"));
    assert!(message(t.step()).contains("apply_parts"));
    let second = t.part_gradients(1, 2).unwrap();
    let mut short = second.clone();
    short.grads.pop();
    assert!(message(t.apply_parts(&[first.clone(), short])).contains("parts[1].grads"));
    assert!(message(t.apply_parts(std::slice::from_ref(&first))).contains("parts"));
    assert!(message(t.apply_parts(&[])).contains("parts"));
    // After all that, the step completes exactly as in an untouched copy.
    let loss = t.apply_parts(&[first, second]).unwrap();
    let mut clean = Pretrainer::new(&c).unwrap();
    assert_eq!(loss.to_bits(), parted_step(&mut clean, 2).to_bits());
    assert_eq!(t.predictor.params.to_safetensors().unwrap(), clean.predictor.params.to_safetensors().unwrap());
    assert_eq!(t.losses.len(), 1);
    // A diverged step is refused with its reason; an untrained net cannot be trained part by part.
    let mut huge = t.part_gradients(0, 2).unwrap();
    huge.loss = f64::INFINITY;
    let other = t.part_gradients(1, 2).unwrap();
    assert!(message(t.apply_parts(&[huge, other])).contains("diverged at step 2"));
    let mut done = Pretrainer::new(&c).unwrap();
    done.run(usize::MAX, |_, _| {}).unwrap();
    assert!(message(done.part_gradients(0, 2)).contains("pretraining.steps"));
    let mut frozen = c.clone();
    frozen.model.trained = false;
    assert!(message(Pretrainer::new(&frozen).unwrap().part_gradients(0, 2)).contains("model.trained"));
}
