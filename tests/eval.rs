//! Evaluation helpers: quantiles like numpy, cumulative sums, PCA, and regret identities.

mod common;

use common::{coin, two_coins, uniform};
use promptlab::eval::{bayes_instant_regret, cumulative, quantile, summarise, EvalSet, Pca};

#[test]
fn quantiles_interpolate_like_numpy() {
    let xs = [7.0, 1.0, 3.0, 4.0];
    // numpy.quantile([1,3,4,7], [0, .25, .5, .75, 1]) = [1, 2.5, 3.5, 4.75, 7]
    for (q, want) in [(0.0, 1.0), (0.25, 2.5), (0.5, 3.5), (0.75, 4.75), (1.0, 7.0)] {
        assert!((quantile(&xs, q) - want).abs() < 1e-12, "q{q}: {}", quantile(&xs, q));
    }
    assert!(quantile(&[], 0.5).is_nan());
    assert_eq!(cumulative(&[1.0, 2.0, 3.0]), vec![1.0, 3.0, 6.0]);
    let s = summarise(&[&[1.0, 1.0], &[2.0, 0.0], &[3.0, 3.0]]);
    assert_eq!(s.median, vec![2.0, 2.0]);
    assert_eq!(s.q25, vec![1.5, 2.0]);
    assert_eq!(s.q75, vec![2.5, 4.0]);
}

#[test]
fn pca_finds_the_dominant_direction() {
    // Points spread along (1, 2, 0) with a little noise along (0, 0, 1).
    let rows: Vec<Vec<f64>> = (0..50)
        .map(|i| {
            let t = i as f64 / 10.0 - 2.5;
            let e = if i % 2 == 0 { 0.01 } else { -0.01 };
            vec![1.0 + t, 2.0 * t, e]
        })
        .collect();
    let pca = Pca::fit(&rows).unwrap();
    assert!(pca.explained[0] > 0.999, "{:?}", pca.explained);
    let a = pca.project(&rows[0]);
    let b = pca.project(&rows[49]);
    let along = ((b[0] - a[0]).powi(2)).sqrt();
    assert!((along - 4.9 * 5f64.sqrt()).abs() < 1e-3, "distance along PC1 {along}");
    assert!(Pca::fit(&rows[..1]).is_err());
}

#[test]
fn target_bayes_of_a_single_coin_is_the_oracle_and_mixtures_pay_to_learn() {
    let coin = coin(0.3);
    let set = EvalSet::new("c", &coin, 64, 40, 1).unwrap();
    assert!(bayes_instant_regret(&set, &coin, &[]).unwrap().iter().all(|&r| r.abs() < 1e-12));
    // A uniform Beta predictor pays about (1/2) ln n per coin: regret is positive and grows slowly.
    let beta = uniform();
    let r = cumulative(&bayes_instant_regret(&set, &beta, &[]).unwrap());
    assert!(r[39] > 0.5 && r[39] < 3.5, "{}", r[39]);
    let mixture = two_coins();
    let mset = EvalSet::new("m", &mixture, 2000, 200, 2).unwrap();
    let total: f64 = bayes_instant_regret(&mset, &mixture, &[]).unwrap().iter().sum();
    // Identifying one of two equally likely coins costs at most ln 2 nats, and nearly that for long runs.
    assert!(total > 0.6 && total < 2f64.ln() + 0.01, "{total}");
}
