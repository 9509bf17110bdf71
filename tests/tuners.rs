//! Tuners change exactly the parameters they name, refuse what they cannot do, and repeat deterministically.

mod common;

use candle_core::DType;
use promptlab::config::{Config, Method, ModelConfig, TuningConfig};
use promptlab::model::Predictor;
use promptlab::tune::tune;

fn tiny(json: &str) -> (Predictor, TuningConfig) {
    let c = Config::from_json(json).unwrap();
    let p = Predictor::new(&c.model, c.vocab_size(), c.seed, DType::F32).unwrap();
    (p, c.tuning)
}

const TRANSFORMER: &str = r#"{"model":{"architecture":"transformer","embedding_dim":8,"num_heads":2,"hidden_sizes":[4],"lora_rank":2},
    "tuning":{"steps":3,"batch_size":4,"sequence_length":6,"prefix_length":2,"learning_rate":0.05}}"#;

fn snapshot(p: &Predictor) -> Vec<(String, Vec<f32>)> {
    p.params.iter().map(|(n, v)| (n.clone(), v.as_tensor().flatten_all().unwrap().to_vec1::<f32>().unwrap())).collect()
}

#[test]
fn weight_tuners_change_exactly_their_parameters() {
    let (p, cfg) = tiny(TRANSFORMER);
    let before = snapshot(&p);
    for method in [Method::FullWt, Method::LoraWt, Method::EmbedWt, Method::UnembedWt, Method::UnEmbedWt] {
        let tuned = tune(&p, method, &cfg, 1, 0, &mut |_, _| {}).unwrap();
        assert_eq!(tuned.losses.len(), 3);
        let after = snapshot(&tuned.predictor);
        let mut changed = 0;
        for ((name, a), (_, b)) in before.iter().zip(&after) {
            if method.trains(name) {
                changed += usize::from(a != b);
            } else {
                assert_eq!(a, b, "{method:?} changed {name}");
            }
        }
        assert!(changed > 0, "{method:?} changed nothing");
        assert_eq!(snapshot(&p), before, "{method:?} touched the pretrained net");
    }
}

#[test]
fn prefix_tuners_leave_every_weight_untouched() {
    let (p, cfg) = tiny(TRANSFORMER);
    let before = snapshot(&p);
    for method in [Method::HardPt, Method::SimplexPt, Method::RealPt, Method::SoftPt] {
        let tuned = tune(&p, method, &cfg, 1, 0, &mut |_, _| {}).unwrap();
        assert_eq!(snapshot(&tuned.predictor), before, "{method:?}");
        assert_eq!(tuned.prefix.len(), 2);
        let rows = tuned.rows.unwrap();
        assert_eq!(rows.len(), 2);
        if method != Method::HardPt {
            assert_ne!(Some(rows), tuned.initial_rows, "{method:?} did not move its prefix");
        }
    }
    assert_eq!(snapshot(&p), before);
}

#[test]
fn hard_search_ranks_every_prefix() {
    let (p, cfg) = tiny(TRANSFORMER);
    let tuned = tune(&p, Method::HardPt, &cfg, 1, 0, &mut |_, _| {}).unwrap();
    assert_eq!(tuned.ranking.len(), 4);
    assert!(tuned.ranking.windows(2).all(|w| w[0].loss <= w[1].loss));
    assert!(tuned.losses.is_empty());
}

#[test]
fn repetitions_are_deterministic_and_distinct() {
    let (p, cfg) = tiny(TRANSFORMER);
    let run = |rep| tune(&p, Method::SoftPt, &cfg, 5, rep, &mut |_, _| {}).unwrap();
    let (a, b, c) = (run(0), run(0), run(1));
    assert_eq!(a.losses, b.losses);
    assert_eq!(a.rows, b.rows);
    assert_ne!(a.initial_rows, c.initial_rows, "a new repetition needs a new prefix init");
    assert_ne!(a.losses, c.losses, "a new repetition needs new tuning data");
}

#[test]
fn prefix_inits() {
    use promptlab::config::PrefixInit;
    use promptlab::tune::initial_prefix;
    let mut rng = promptlab::seed::stream(0, "t");
    let one_hot = initial_prefix(PrefixInit::OneHot, 5, 3, &mut rng);
    assert!(one_hot.chunks(3).all(|r| r.iter().sum::<f64>() == 1.0 && r.iter().all(|&x| x == 0.0 || x == 1.0)));
    assert!(initial_prefix(PrefixInit::Simplex, 5, 3, &mut rng).iter().all(|&x| (0.0..1.0).contains(&x)));
    assert!(initial_prefix(PrefixInit::Zeros, 5, 3, &mut rng).iter().all(|&x| x == 0.0));
}

#[test]
fn refusals_name_the_method_and_why() {
    let lstm = ModelConfig::default();
    let err = Method::LoraWt.check(&lstm, "tuning.methods[0]").unwrap_err().to_string();
    assert!(err.contains("LoRAWT") && err.contains("Transformer"), "{err}");
    let untrained = ModelConfig { trained: false, ..Default::default() };
    for m in [Method::FullWt, Method::LoraWt] {
        let err = m.check(&untrained, "tuning.methods[0]").unwrap_err().to_string();
        assert!(err.contains(m.label()), "{err}");
    }
    assert_eq!(
        Method::applicable(&untrained),
        vec![Method::HardPt, Method::SimplexPt, Method::RealPt, Method::SoftPt, Method::EmbedWt, Method::UnembedWt, Method::UnEmbedWt]
    );
    let e = Config::from_json(r#"{"model":{"trained":false},"tuning":{"methods":["FullWT"]}}"#).unwrap_err().to_string();
    assert!(e.contains("tuning.methods[0]") && e.contains("untrained"), "{e}");
    let e = Config::from_json(r#"{"tuning":{"methods":["LoRAWT"]}}"#).unwrap_err().to_string();
    assert!(e.contains("LoRAWT"), "{e}");
    let e = Config::from_json(r#"{"tuning":{"prefix_length":13}}"#).unwrap_err().to_string();
    assert!(e.contains("tuning.prefix_length") && e.contains("HardPT") && e.contains("12"), "{e}");
    assert!(Config::from_json(r#"{"tuning":{"prefix_length":13,"methods":["SoftPT"]}}"#).is_ok());
    let e = Config::from_json(r#"{"tuning":{"methods":["MagicPT"]}}"#).unwrap_err().to_string();
    assert!(e.contains("MagicPT"), "{e}");
    let e = Config::from_json(r#"{"tuning":{"source":{"kind":"single","probs":[0.2,0.3,0.5]}}}"#).unwrap_err().to_string();
    assert!(e.contains("tuning.source"), "{e}");
}

#[test]
fn a_non_finite_step_is_reported_and_changes_nothing() {
    use candle_core::{Device, Tensor, Var};
    use promptlab::train::{adam, clipped_step, Step};
    let w = Var::from_tensor(&Tensor::new(&[1.0f32, -2.0], &Device::Cpu).unwrap()).unwrap();
    let mut opt = adam(vec![w.clone()], 0.1).unwrap();
    let before = w.as_tensor().to_vec1::<f32>().unwrap();
    // A NaN loss.
    let nan = (w.as_tensor().sum_all().unwrap() * f64::NAN).unwrap();
    assert!(matches!(clipped_step(&nan, &[w.clone()], &mut opt, 1.0, 1e3).unwrap(), Step::Diverged("loss", _)));
    // An infinite loss.
    let inf = (w.as_tensor().sum_all().unwrap() * f64::INFINITY).unwrap();
    assert!(matches!(clipped_step(&inf, &[w.clone()], &mut opt, 1.0, 1e3).unwrap(), Step::Diverged("loss", _)));
    // A finite loss above the ceiling (a blow-up).
    let huge = (w.as_tensor().sum_all().unwrap() * -2000.0).unwrap();
    assert!(matches!(clipped_step(&huge, &[w.clone()], &mut opt, 1.0, 1e3).unwrap(), Step::Diverged("loss", v) if v == 2000.0));
    assert_eq!(w.as_tensor().to_vec1::<f32>().unwrap(), before, "a diverged step moved the weights");
    // A healthy step is applied and reports the unclipped norm.
    let ok = w.as_tensor().sqr().unwrap().sum_all().unwrap();
    match clipped_step(&ok, &[w.clone()], &mut opt, 1.0, 1e3).unwrap() {
        Step::Applied(norm) => assert!((norm - 20f64.sqrt()).abs() < 1e-5, "norm {norm}"),
        other => panic!("{other:?}"),
    }
    assert_ne!(w.as_tensor().to_vec1::<f32>().unwrap(), before);
}

/// Gradients of `loss` for every parameter, by name (None where candle computed none).
fn named_grads(p: &Predictor, grads: &candle_core::backprop::GradStore) -> Vec<(String, Option<Vec<f32>>)> {
    p.params.iter().map(|(n, v)| (n.clone(), grads.get(v).map(|g| g.flatten_all().unwrap().to_vec1::<f32>().unwrap()))).collect()
}

#[test]
fn frozen_weights_get_no_gradient_and_the_trained_ones_the_same_gradient() {
    use candle_core::Var;
    use promptlab::model::{one_hot, Prefix};
    const LSTM: &str = r#"{"model":{"architecture":"lstm","embedding_dim":8,"hidden_sizes":[6]},"tuning":{"batch_size":40}}"#;
    for json in [LSTM, TRANSFORMER] {
        let (p, _) = tiny(json);
        let tokens: Vec<u32> = (0..40 * 7).map(|i| ((i * 7919) % 5 % 2) as u32).collect();
        let x = one_hot(&tokens, 40, 7, 2, DType::F32).unwrap();
        let soft = Var::from_tensor(&common::random(&[2, 8], 5).to_dtype(DType::F32).unwrap()).unwrap();
        let loss = |net: &Predictor| {
            let lp = net.forward(&x, &Prefix::Soft(soft.as_tensor().clone()), false).unwrap().log_probs;
            lp.mul(&x).unwrap().sum_all().unwrap().neg().unwrap()
        };
        let all = loss(&p).backward().unwrap();
        let everything = named_grads(&p, &all);
        for (label, trains) in [("nothing", (|_: &str| false) as fn(&str) -> bool), ("unembedding", |n: &str| n.starts_with("unembedding."))] {
            let view = p.training_only(trains);
            let some = loss(&view).backward().unwrap();
            for ((name, full), (_, partial)) in everything.iter().zip(named_grads(&view, &some)) {
                if trains(name) {
                    assert_eq!(partial.as_ref(), full.as_ref(), "{label}: {name}");
                } else {
                    assert!(partial.is_none(), "{label}: frozen {name} got a gradient");
                }
            }
            // The prefix still gets its full gradient (LSTM: bit for bit; through attention to float tolerance).
            let (a, b) = (all.get(&soft).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap(), some.get(&soft).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap());
            for (x, y) in a.iter().zip(&b) {
                assert!((x - y).abs() <= 1e-6 * (1.0 + x.abs()), "{label}: prefix gradient {y} vs {x}");
            }
        }
    }
}

#[test]
fn kernel_threads_change_no_number() {
    const LSTM: &str = r#"{"model":{"architecture":"lstm","embedding_dim":8,"hidden_sizes":[6]},
        "tuning":{"steps":4,"batch_size":100,"sequence_length":9,"prefix_length":2,"learning_rate":0.05}}"#;
    let (p, cfg) = tiny(LSTM);
    let run = |threads: usize| {
        promptlab::kernels::set_kernel_threads(threads);
        let out: Vec<Vec<f64>> = [Method::SoftPt, Method::FullWt].iter().map(|&m| tune(&p, m, &cfg, 3, 0, &mut |_, _| {}).unwrap().losses).collect();
        promptlab::kernels::set_kernel_threads(0);
        out
    };
    // The LSTM kernel cuts the 100 sequences into three parts: two or three threads run them concurrently, even on one core.
    let one = run(1);
    assert_eq!(run(2), one);
    assert_eq!(run(3), one);
    assert_eq!(run(0), one);
}
