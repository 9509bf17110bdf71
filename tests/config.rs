//! Config decoding: 100,000 generated documents never panic, and every one is either valid or refused with a message.

use promptlab::config::{estimate_bytes, Config, MAX_BYTES};
use promptlab::experiment::{preset, PRESETS};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Map, Value};

const KEYS: &[&str] = &[
    "seed", "model", "pretraining", "tuning", "evaluation", "source", "kind", "probs", "weights", "alphas", "architecture",
    "embedding_dim", "hidden_sizes", "num_heads", "widening_factor", "lora_rank", "trained", "sequence_length", "batch_size",
    "steps", "learning_rate", "max_grad_norm", "prefix_length", "prefix_init", "repetitions", "methods", "sources",
    "num_sequences", "record_states", "state_sequences", "target",
];
const WORDS: &[&str] = &[
    "lstm", "transformer", "linear", "single", "mixture", "random", "one_hot", "simplex", "zeros", "HardPT", "SimplexPT",
    "RealPT", "SoftPT", "FullWT", "LoRAWT", "EmbedWT", "UnembedWT", "Un+EmbedWT", "<script>alert(1)</script>", "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (0u64..12).prop_map(Value::from),
        prop::sample::select(vec![0.0, 0.2, 0.5, 0.8, 1.0, 1e-3, 5e-3, -1.0, 1e300, 0.3333333]).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("JSON has no NaN/inf", |x| x.is_finite()).prop_map(Value::from),
        prop::sample::select(WORDS.to_vec()).prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::String),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![4 => prop::sample::select(KEYS.to_vec()).prop_map(String::from), 1 => "[a-z_]{1,10}"]
}

fn document() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A number near the edges of what the fields accept.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u64..8).prop_map(Value::from),
        prop::sample::select(vec![0.0, 1e-3, 0.2, 0.5, 0.8, 1.0, 1.5, -0.5, 4096.0, 4097.0, 1e6, 1e7]).prop_map(Value::from),
        any::<u32>().prop_map(Value::from),
    ]
}

fn source() -> impl Strategy<Value = Value> {
    let probs = prop::collection::vec(prop::sample::select(vec![0.0, 0.2, 0.5, 0.8, 1.0, 0.25, 0.75, -0.1]), 0..4);
    prop_oneof![
        probs.clone().prop_map(|p| json!({"kind": "single", "probs": p})),
        (prop::collection::vec(probs.clone(), 0..3), probs.clone()).prop_map(|(p, w)| json!({"kind": "mixture", "weights": w, "probs": p})),
        prop::collection::vec(number(), 0..4).prop_map(|a| json!({"kind": "random", "alphas": a})),
    ]
}

/// A placeholder the key-aware [`fit_keys`] replaces with a value typical for its key.
fn typical() -> impl Strategy<Value = Value> {
    (0u64..1000).prop_map(|i| json!({"typical": i}))
}

/// Replaces each placeholder with a mostly valid value for its key (seeded by the placeholder).
fn fit_keys(section: Value) -> Value {
    let Value::Object(map) = section else { return section };
    let pick = |i: u64, options: &[Value]| options[(i as usize) % options.len()].clone();
    let map = map
        .into_iter()
        .map(|(k, v)| {
            let Some(i) = v.get("typical").and_then(Value::as_u64) else { return (k, v) };
            let value = match k.as_str() {
                "architecture" => pick(i, &[json!("lstm"), json!("transformer"), json!("linear")]),
                "embedding_dim" => pick(i, &[json!(4), json!(8), json!(12), json!(2000)]),
                "hidden_sizes" => pick(i, &[json!([4]), json!([8, 4]), json!([]), json!([0])]),
                "num_heads" => pick(i, &[json!(1), json!(2), json!(4), json!(3)]),
                "widening_factor" | "lora_rank" | "repetitions" => pick(i, &[json!(0), json!(1), json!(2), json!(4)]),
                "trained" | "record_states" => pick(i, &[json!(true), json!(false)]),
                "source" => pick(i, &[json!({"kind":"random","alphas":[1,1]}), json!({"kind":"single","probs":[0.2,0.8]}), json!({"kind":"single","probs":[0.2,0.3,0.5]})]),
                "methods" => pick(i, &[json!(["SoftPT"]), json!(["HardPT", "FullWT"]), json!(["LoRAWT"]), json!(null), json!(["SoftPT", "SoftPT"])]),
                "prefix_init" => pick(i, &[json!("one_hot"), json!("simplex"), json!("zeros"), json!("ones")]),
                "learning_rate" | "max_grad_norm" => pick(i, &[json!(1e-3), json!(0.5), json!(0), json!(11)]),
                "prefix_length" => pick(i, &[json!(1), json!(6), json!(12), json!(13)]),
                _ => pick(i, &[json!(1), json!(10), json!(50), json!(100), json!(0)]),
            };
            (k, value)
        })
        .collect();
    Value::Object(map)
}

/// Config-shaped documents: the right sections and keys, with plausible and edge values.
fn structured() -> impl Strategy<Value = Value> {
    let section = |keys: &'static [&'static str]| {
        prop::collection::vec((prop::sample::select(keys.to_vec()), prop_oneof![6 => typical(), 2 => number(), 1 => source(), 1 => leaf()]), 0..4)
            .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
            .prop_map(fit_keys)
    };
    let model = section(&["architecture", "embedding_dim", "hidden_sizes", "num_heads", "widening_factor", "lora_rank", "trained"]);
    let training = section(&["source", "sequence_length", "batch_size", "steps", "learning_rate", "max_grad_norm"]);
    let tuning = section(&["source", "sequence_length", "batch_size", "steps", "prefix_length", "repetitions", "methods", "prefix_init"]);
    let evaluation = section(&["sequence_length", "num_sequences", "record_states", "state_sequences"]);
    (model, training, tuning, evaluation, any::<u64>()).prop_map(|(m, p, t, e, seed)| {
        json!({"seed": seed, "model": m, "pretraining": p, "tuning": t, "evaluation": e})
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_document_is_valid_or_refused_in_one_line(doc in prop_oneof![document(), structured()]) {
        let text = doc.to_string();
        // The document as serde reads it, before any check (None unless it is an object serde can read).
        let read = text.starts_with('{').then(|| serde_json::from_str::<Config>(&text).ok()).flatten();
        match Config::from_json(&text) {
            Ok(config) => {
                // Accepting changes nothing serde read, and every source of the config draws tokens.
                prop_assert_eq!(read.as_ref(), Some(&config));
                let mut rng = promptlab::seed::stream(config.seed, "config-test");
                for source in [&config.pretraining.source, &config.tuning.source].into_iter().chain(config.evaluation.sources.values()) {
                    prop_assert!(source.sample(&mut rng, 2, 3).is_ok(), "{:?}", source);
                }
                // A valid config survives its own round trip unchanged.
                let again = Config::from_json(&serde_json::to_string(&config).unwrap()).unwrap();
                prop_assert_eq!(again, config);
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(!msg.is_empty() && !msg.contains('\n'), "message {:?}", msg);
                // A document serde reads is refused by validation, with validation's own message.
                if let Some(read) = read {
                    prop_assert_eq!(read.validate().map_err(|e| e.to_string()), Err(msg));
                }
            }
        }
    }
}

#[test]
fn generated_documents_include_accepted_ones() {
    // Guards the property above against only ever testing refusals: its generators, sampled
    // here from a fixed seed, produce accepted configs as well as refused ones.
    let accepted = ["{}", r#"{"model":{"architecture":"transformer"},"tuning":{"methods":["LoRAWT","SoftPT"]}}"#];
    for text in accepted {
        assert!(Config::from_json(text).is_ok(), "{text}");
    }
    let mut runner = TestRunner::deterministic();
    let mut accepted_of = |strategy: BoxedStrategy<Value>, n: usize| {
        (0..n).filter(|_| Config::from_json(&strategy.new_tree(&mut runner).unwrap().current().to_string()).is_ok()).count()
    };
    let structured_ok = accepted_of(structured().boxed(), 1000);
    let mixed_ok = accepted_of(prop_oneof![document(), structured()].boxed(), 1000);
    eprintln!("accepted: {structured_ok} of 1000 structured documents, {mixed_ok} of 1000 drawn as the property draws them");
    // About 7 % and 8 % with this seed; at least 2 % of each must be accepted, and not all.
    assert!((20..1000).contains(&structured_ok), "{structured_ok} of 1000 structured documents accepted");
    assert!((20..1000).contains(&mixed_ok), "{mixed_ok} of 1000 documents accepted");
}

#[test]
fn every_preset_fits_natively_and_oversized_runs_are_refused_by_field() {
    for name in PRESETS {
        let c = preset(name).unwrap();
        assert!(estimate_bytes(&c) < MAX_BYTES, "{name}");
    }
    let e = Config::from_json(r#"{"pretraining":{"batch_size":4096,"sequence_length":10000}}"#).unwrap_err().to_string();
    assert!(e.contains("pretraining.batch_size") && e.contains("MB"), "{e}");
    let e = Config::from_json(r#"{"model":{"architecture":"transformer","embedding_dim":1024,"hidden_sizes":[1024]},"tuning":{"batch_size":4096,"sequence_length":5000,"methods":["SoftPT"]},"pretraining":{"batch_size":1}}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("tuning.batch_size") && e.contains("MB"), "{e}");
    assert!(preset("paper-gru-single").is_err());
}

#[test]
fn huge_numbers_are_named_in_scientific_notation() {
    let e = Config::from_json(r#"{"tuning":{"learning_rate":1e308}}"#).unwrap_err().to_string();
    assert_eq!(e, "invalid tuning.learning_rate = 1e308: must be a finite number in (0, 10]");
    let e = Config::from_json(r#"{"pretraining":{"source":{"kind":"single","probs":[1e300,0.5]}}}"#).unwrap_err().to_string();
    assert!(e.starts_with("invalid pretraining.source.probs[0] = 1e300:"), "{e}");
    // Short values are written as they are.
    let e = Config::from_json(r#"{"tuning":{"learning_rate":12.5}}"#).unwrap_err().to_string();
    assert!(e.starts_with("invalid tuning.learning_rate = 12.5:"), "{e}");
}
