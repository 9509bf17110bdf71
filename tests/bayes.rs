//! Exact Bayes predictors against closed forms, and their stability on 10^6 tokens.

mod common;

use common::{coin, two_coins, uniform};
use promptlab::bayes::{best_hard_prefix, log_predictive, Posterior};
use promptlab::seed::stream;
use promptlab::sources::Source;

fn probs(source: &Source, tokens: &[u32]) -> Vec<Vec<f64>> {
    let v = source.vocab_size();
    let lp = log_predictive(source, &[], tokens).unwrap();
    lp.chunks(v).map(|row| row.iter().map(|l| l.exp()).collect()).collect()
}

#[test]
fn uniform_beta_is_laplaces_rule() {
    let source = uniform();
    let tokens = [0, 1, 1, 0, 1, 1, 1, 0, 0, 1];
    let (mut zeros, mut n) = (0.0, 0.0);
    for (step, p) in probs(&source, &tokens).iter().enumerate() {
        let laplace = (zeros + 1.0) / (n + 2.0);
        assert!((p[0] - laplace).abs() < 1e-12, "step {step}: {} vs Laplace {laplace}", p[0]);
        assert!((p[0] + p[1] - 1.0).abs() < 1e-12);
        zeros += if tokens[step] == 0 { 1.0 } else { 0.0 };
        n += 1.0;
    }
}

#[test]
fn dirichlet_categorical_matches_closed_form() {
    let alphas = vec![0.5, 1.0, 2.5];
    let source = Source::Random { alphas: alphas.clone() };
    let tokens = [2, 2, 0, 1, 2, 0];
    let mut counts = [0.0; 3];
    for (step, p) in probs(&source, &tokens).iter().enumerate() {
        for v in 0..3 {
            let expect = (alphas[v] + counts[v]) / (4.0 + step as f64);
            assert!((p[v] - expect).abs() < 1e-12);
        }
        counts[tokens[step] as usize] += 1.0;
    }
}

#[test]
fn mixture_matches_hand_computed_posterior() {
    let (w, p0, p1) = ([0.3, 0.7], [0.2, 0.8], [0.9, 0.1]);
    let source = Source::Mixture { weights: w.to_vec(), probs: vec![p0.to_vec(), p1.to_vec()] };
    let tokens = [0, 1, 1, 0, 0];
    let pred = probs(&source, &tokens);
    // Direct (non-log) products are exact enough for five tokens.
    let (mut l0, mut l1) = (1.0, 1.0);
    for (step, p) in pred.iter().enumerate() {
        let (a, b) = (w[0] * l0, w[1] * l1);
        let post0 = a / (a + b);
        let expect0 = post0 * p0[0] + (1.0 - post0) * p1[0];
        assert!((p[0] - expect0).abs() < 1e-12, "step {step}: {} vs {expect0}", p[0]);
        l0 *= p0[tokens[step] as usize];
        l1 *= p1[tokens[step] as usize];
    }
    // After "01100": posterior of component 0 is 0.3·0.2³·0.8² / (that + 0.7·0.9³·0.1²).
    let mut post = Posterior::new(&source).unwrap();
    post.observe_all(&tokens).unwrap();
    let a = 0.3 * 0.2f64.powi(3) * 0.8f64.powi(2);
    let b = 0.7 * 0.9f64.powi(3) * 0.1f64.powi(2);
    assert!((post.mixture_weights()[0] - a / (a + b)).abs() < 1e-12);
}

#[test]
fn categorical_ignores_the_past() {
    let source = coin(0.25);
    for p in probs(&source, &[0, 0, 0, 1]) {
        assert!((p[0] - 0.25).abs() < 1e-15 && (p[1] - 0.75).abs() < 1e-15);
    }
}

#[test]
fn million_token_sequences_stay_finite_and_normalised() {
    let n = 1_000_000;
    let coin = coin(0.3);
    let batch = coin.sample(&mut stream(1, "test"), 1, n).unwrap();
    // Each source with where its predictive must end up: the Dirichlet ones at
    // the empirical frequency, a mixture at its component nearest the truth.
    let sources = [
        (uniform(), 0.3),
        (Source::Random { alphas: vec![0.01, 0.02] }, 0.3),
        (two_coins(), 0.2),
        (Source::Mixture { weights: vec![0.25, 0.75], probs: vec![vec![0.3, 0.7], vec![0.31, 0.69]] }, 0.3),
        (coin.clone(), 0.3),
    ];
    for (source, end) in &sources {
        let lp = log_predictive(source, &[], &batch.tokens).unwrap();
        for row in lp.chunks(2) {
            assert!(row.iter().all(|x| x.is_finite()), "{source:?} produced {row:?}");
            let total: f64 = row.iter().map(|x| x.exp()).sum();
            assert!((total - 1.0).abs() < 1e-9, "{source:?} not normalised: {total}");
        }
        let last = &lp[lp.len() - 2..];
        assert!((last[0].exp() - end).abs() < 0.002, "{source:?}: final P(0) = {}", last[0].exp());
    }
    let mut post = Posterior::new(&sources[3].0).unwrap();
    post.observe_all(&batch.tokens).unwrap();
    let w = post.mixture_weights();
    assert!(w[0] > 0.999 && w.iter().all(|x| x.is_finite()), "posterior {w:?}");
}

#[test]
fn best_hard_prefix_moves_a_beta_towards_a_single_coin() {
    let pre = uniform();
    let target = coin(0.2);
    let batch = target.sample(&mut stream(3, "test"), 256, 50).unwrap();
    let ranking = best_hard_prefix(&pre, &batch, 6).unwrap();
    assert_eq!(ranking.len(), 64);
    let best = &ranking[0];
    let zeros = best.prefix.iter().filter(|&&t| t == 0).count();
    // Beta(1 + zeros, 1 + ones) has mean (1 + zeros) / 8 for token 0; 0.2 wants zeros ≈ 0.6.
    assert!(zeros <= 1, "best prefix {:?}", best.prefix);
    let empty_like = ranking.iter().find(|s| s.prefix.iter().filter(|&&t| t == 0).count() == 3).unwrap();
    assert!(best.loss < empty_like.loss);
    // Orderings of the same counts tie exactly: the posterior only sees counts.
    let same: Vec<f64> = ranking.iter().filter(|s| s.prefix.iter().filter(|&&t| t == 0).count() == zeros).map(|s| s.loss).collect();
    assert!(same.iter().all(|&l| l == same[0]));
}

#[test]
fn no_hard_prefix_helps_a_beta_on_a_symmetric_mixture() {
    let pre = uniform();
    let target = two_coins();
    let batch = target.sample(&mut stream(4, "test"), 512, 50).unwrap();
    let ranking = best_hard_prefix(&pre, &batch, 6).unwrap();
    let zeros = ranking[0].prefix.iter().filter(|&&t| t == 0).count();
    // Any prefix narrows the Beta; the least harmful keeps it symmetric.
    assert_eq!(zeros, 3, "best prefix {:?}", ranking[0].prefix);
    let lp = promptlab::bayes::log_predictive_batch(&pre, &[], &batch).unwrap();
    let no_prefix = promptlab::bayes::token_log_losses(&lp, &batch).iter().sum::<f64>() / batch.batch_size as f64;
    assert!(ranking[0].loss >= no_prefix, "a 6-token prefix ({}) beat the empty one ({no_prefix})", ranking[0].loss);
}

#[test]
fn exhaustive_search_refuses_intractable_lengths() {
    let pre = uniform();
    let batch = pre.sample(&mut stream(5, "test"), 2, 5).unwrap();
    let err = best_hard_prefix(&pre, &batch, 17).unwrap_err().to_string();
    assert!(err.contains("prefix_length") && err.contains("16"), "{err}");
}
