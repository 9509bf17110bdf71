//! Sources: seeded reproducibility, the right frequencies, and clear refusals.

mod common;

use common::{coin, two_coins, uniform};
use promptlab::seed::stream;
use promptlab::sources::{parse_tokens, Source};

#[test]
fn same_seed_same_sequences() {
    let sources = [
        coin(0.2),
        two_coins(),
        uniform(),
    ];
    for s in &sources {
        let a = s.sample(&mut stream(9, "x"), 8, 30).unwrap();
        let b = s.sample(&mut stream(9, "x"), 8, 30).unwrap();
        let c = s.sample(&mut stream(10, "x"), 8, 30).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.tokens, c.tokens);
    }
}

#[test]
fn single_coin_frequency() {
    let s = coin(0.2);
    let b = s.sample(&mut stream(1, "f"), 100, 1000).unwrap();
    let zeros = b.tokens.iter().filter(|&&t| t == 0).count() as f64 / 1e5;
    // Standard error sqrt(0.16 / 1e5) ≈ 0.0013; allow 4 of them.
    assert!((zeros - 0.2).abs() < 0.0052, "{zeros}");
    assert!(b.truth.chunks(2).all(|p| p == [0.2, 0.8]));
}

#[test]
fn mixture_picks_components_by_weight_and_dice_work() {
    let s = Source::Mixture {
        weights: vec![0.1, 0.6, 0.3],
        probs: vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0], vec![0.0, 0.0, 1.0]],
    };
    let b = s.sample(&mut stream(2, "m"), 20_000, 3).unwrap();
    let mut counts = [0.0f64; 3];
    for i in 0..b.batch_size {
        let seq = b.sequence(i);
        assert!(seq.iter().all(|&t| t == seq[0]), "a sequence switched components");
        counts[seq[0] as usize] += 1.0 / 20_000.0;
    }
    // Binomial standard errors are at most 0.0035; allow 4 of them.
    for (c, w) in counts.iter().zip([0.1, 0.6, 0.3]) {
        assert!((c - w).abs() < 0.014, "{counts:?}");
    }
}

#[test]
fn random_coins_have_dirichlet_means() {
    let s = Source::Random { alphas: vec![2.0, 6.0] };
    let b = s.sample(&mut stream(3, "r"), 20_000, 1).unwrap();
    let mean0 = b.truth.chunks(2).map(|p| p[0]).sum::<f64>() / 20_000.0;
    // Beta(2, 6): mean 0.25, sd 0.144, so the mean of 20,000 has sd 0.001.
    assert!((mean0 - 0.25).abs() < 0.004, "{mean0}");
    assert!(b.truth.chunks(2).all(|p| (p[0] + p[1] - 1.0).abs() < 1e-12));
}

#[test]
fn tiny_alphas_do_not_break_sampling() {
    let s = Source::Random { alphas: vec![1e-6, 1e-6] };
    let b = s.sample(&mut stream(4, "t"), 100, 10).unwrap();
    assert!(b.truth.iter().all(|p| p.is_finite()));
}

#[test]
fn refusals_name_the_field_and_the_range() {
    let cases = [
        (r#"{"kind":"single","probs":[0.3,0.6]}"#, "source.probs"),
        (r#"{"kind":"single","probs":[1.5,-0.5]}"#, "source.probs[0]"),
        (r#"{"kind":"single","probs":[1.0]}"#, "source.probs"),
        (r#"{"kind":"mixture","weights":[0.5],"probs":[[0.2,0.8],[0.8,0.2]]}"#, "source.weights"),
        (r#"{"kind":"mixture","weights":[0.5,0.5],"probs":[[0.2,0.8],[0.8,0.1,0.1]]}"#, "source.probs[1]"),
        (r#"{"kind":"random","alphas":[1,0]}"#, "source.alphas[1]"),
    ];
    for (json, field) in cases {
        let s: Source = serde_json::from_str(json).unwrap();
        let err = s.validate("source").unwrap_err().to_string();
        assert!(err.contains(field) && err.contains("must be"), "{json}: {err}");
    }
    assert!(serde_json::from_str::<Source>(r#"{"kind":"single","probs":[0.5,0.5],"bias":1}"#).is_err());
    assert!(serde_json::from_str::<Source>(r#"{"kind":"coin"}"#).is_err());
}

#[test]
fn tokens_are_digits_below_v() {
    assert_eq!(parse_tokens("0 1,1 0", 2).unwrap(), vec![0, 1, 1, 0]);
    let err = parse_tokens("0120", 2).unwrap_err().to_string();
    assert!(err.contains("tokens[2]") && err.contains("0..=1"), "{err}");
    assert!(parse_tokens("0x", 2).is_err());
}
