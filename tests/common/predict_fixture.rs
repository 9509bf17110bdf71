//! Predict views for the figure tests: each source kind, with and without a hard prompt and a (small, untrained) network, short and long.
// Each test file uses only some of these.
#![allow(dead_code)]

use candle_core::DType;
use promptlab::config::ModelConfig;
use promptlab::model::Predictor;
use promptlab::predict::PredictView;
use promptlab::sources::Source;

/// A small LSTM at its seeded initialisation: a network whose predictions are not Bayes's.
pub fn network() -> Predictor {
    let config = ModelConfig { embedding_dim: 8, hidden_sizes: vec![8], ..ModelConfig::default() };
    Predictor::new(&config, 2, 7, DType::F32).expect("network")
}

/// `n` flips in a fixed irregular pattern (about 60 % H).
pub fn flips(n: usize) -> Vec<u32> {
    (0..n).map(|i| u32::from((i * 7 + i / 3) % 5 >= 3)).collect()
}

/// Every source kind the page offers, as JSON the page writes.
pub const SOURCES: [&str; 3] = [
    r#"{"kind":"random","alphas":[1,1]}"#,
    r#"{"kind":"mixture","weights":[0.5,0.5],"probs":[[0.2,0.8],[0.8,0.2]]}"#,
    r#"{"kind":"single","probs":[0.2,0.8]}"#,
];

/// (name, view) for each source × {no flips, 12 flips behind a hard prompt, 300 flips}, with the network
/// except for the long Random Coins run, which is Bayes alone.
pub fn views() -> Vec<(String, PredictView)> {
    let net = network();
    let mut out = Vec::new();
    for (i, json) in SOURCES.iter().enumerate() {
        let source = Source::from_json("source", json).expect("source");
        let kind = ["random", "mixture", "single"][i];
        let cases: [(&str, Vec<u32>, Vec<u32>, bool); 3] =
            [("empty", vec![], vec![], true), ("hard", vec![0, 0, 1], flips(12), true), ("long", vec![], flips(300), i != 0)];
        for (case, hard, tokens, with_net) in cases {
            let view = PredictView::compute(&source, &hard, &tokens, with_net.then_some(&net)).expect("view");
            out.push((format!("{kind}_{case}"), view));
        }
    }
    out
}
