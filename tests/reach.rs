//! Exact reachability (`promptlab::theory`): against Monte Carlo, derived bounds, the definition, and the `reach` command.

mod common;

use common::{coin, promptlab, tmp, two_coins, uniform};
use proptest::prelude::*;

use promptlab::bayes::{log_predictive_batch, token_log_losses};
use promptlab::seed::stream;
use promptlab::sources::Source;
use promptlab::theory::{excess_regret, reach, Reach, MAX_PREFIX, MAX_STEPS};

const N: usize = 200;

fn rows(r: &Reach) -> Vec<f64> {
    r.rows.iter().map(|row| row.excess_regret).collect()
}

/// Mean and standard error over `b` sampled target sequences of
/// (cumulative log loss of `pre`'s Bayes predictor after `prefix`) − (that of the target's Bayes predictor).
fn monte_carlo(pre: &Source, target: &Source, prefix: &[u32], b: usize, seed: u64) -> (f64, f64) {
    let batch = target.sample(&mut stream(seed, "reach-monte-carlo"), b, N).unwrap();
    let prompted = token_log_losses(&log_predictive_batch(pre, prefix, &batch).unwrap(), &batch);
    let own = token_log_losses(&log_predictive_batch(target, &[], &batch).unwrap(), &batch);
    let diffs: Vec<f64> =
        prompted.chunks(N).zip(own.chunks(N)).map(|(p, o)| p.iter().sum::<f64>() - o.iter().sum::<f64>()).collect();
    let mean = diffs.iter().sum::<f64>() / b as f64;
    let var = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (b - 1) as f64;
    (mean, (var / b as f64).sqrt())
}

/// A prefix with the given counts: all token 0s, then all 1s, … (order is irrelevant to a Bayes predictor).
fn prefix_of(counts: &[u64]) -> Vec<u32> {
    counts.iter().enumerate().flat_map(|(v, &c)| std::iter::repeat_n(v as u32, c as usize)).collect()
}

fn agrees(exact: f64, (mean, se): (f64, f64), what: &str) {
    assert!((exact - mean).abs() < 4.0 * se, "{what}: exact {exact} vs Monte Carlo {mean} ± {se}");
}

#[test]
fn empty_prefix_is_prebayes_expected_regret_on_single_coins() {
    for (i, p0) in [0.2, 0.9].into_iter().enumerate() {
        let r = reach(&uniform(), &coin(p0), 0, N).unwrap();
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].best_counts, vec![0, 0]);
        let mc = monte_carlo(&uniform(), &coin(p0), &[], 4000, i as u64);
        assert!(mc.1 < 0.05 * mc.0, "Monte Carlo too noisy to test anything: {mc:?}");
        agrees(r.rows[0].excess_regret, mc, &format!("Single Coin {p0}, k = 0"));
    }
}

#[test]
fn mixture_target_matches_monte_carlo_with_and_without_prefix() {
    let r = reach(&uniform(), &two_coins(), 10, N).unwrap();
    for (k, seed) in [(0, 7), (3, 8), (10, 9)] {
        let row = &r.rows[k];
        let mc = monte_carlo(&uniform(), &two_coins(), &prefix_of(&row.best_counts), 4000, seed);
        agrees(row.excess_regret, mc, &format!("Two-Coin Mixture, k = {k}, counts {:?}", row.best_counts));
    }
    // A mixture pretraining source and a lopsided prefix, too.
    let pre = Source::Mixture { weights: vec![0.3, 0.7], probs: vec![vec![0.1, 0.9], vec![0.6, 0.4]] };
    let exact = excess_regret(&pre, &two_coins(), &[4, 1], N).unwrap();
    agrees(exact, monte_carlo(&pre, &two_coins(), &[0, 1, 0, 0, 0], 4000, 10), "mixture pretraining, counts [4, 1]");
}

/// Σ_{j=a}^{b-1} 1/j = ψ(b) − ψ(a) for integers 1 ≤ a ≤ b.
fn digamma_gap(a: u64, b: u64) -> f64 {
    (a..b).map(|j| 1.0 / j as f64).sum()
}

/// The Jensen bound for a single coin p under a uniform Beta after counts c:
/// KL(p^N ‖ ∫ q^N Beta(q; 1 + c_0, 1 + c_1) dq) ≤ N E_q[KL(p ‖ q)]
/// = N [p (ψ(a+b) − ψ(a)) + (1 − p)(ψ(a+b) − ψ(b)) − H(p)], a = 1 + c_0, b = 1 + c_1
/// (−ln of a mixture is at most the mixture of −ln, i.e. KL is convex in its second argument).
fn jensen_bound(p: f64, c: [u64; 2]) -> f64 {
    let (a, b) = (1 + c[0], 1 + c[1]);
    let entropy = -(p * p.ln() + (1.0 - p) * (1.0 - p).ln());
    N as f64 * (p * digamma_gap(a, a + b) + (1.0 - p) * digamma_gap(b, a + b) - entropy)
}

#[test]
fn single_coin_regret_falls_to_zero_within_the_jensen_bound() {
    for p0 in [0.2, 0.9] {
        let r = reach(&uniform(), &coin(p0), 1000, N).unwrap();
        let regret = rows(&r);
        for (k, &rk) in regret.iter().enumerate() {
            // The best prefix is at least as good as c ≈ k p, whose regret the bound caps; it shrinks like N / (2k).
            let c0 = (k as f64 * p0).round() as u64;
            let bound = jensen_bound(p0, [c0, k as u64 - c0]);
            assert!(rk >= 0.0 && rk <= bound + 1e-9, "p = {p0}, k = {k}: {rk} above the bound {bound}");
        }
        assert!(jensen_bound(p0, [(1000.0 * p0) as u64, (1000.0 * (1.0 - p0)) as u64]) < 0.11);
        assert!(regret[1000] < regret[100] && regret[100] < regret[10] && regret[10] < regret[0], "{p0}: not falling");
        assert!(regret[1000] < 0.01 * regret[0], "p = {p0}: R_1000 = {} vs R_0 = {}", regret[1000], regret[0]);
        // Reachable in the limit: an i.i.d. target is exactly a long prefix's limit predictor.
        assert!(r.limit.abs() < 1e-9, "limit {}", r.limit);
        assert!(r.reachable && r.gap <= r.limit.max(0.0) + 1e-12, "p = {p0}: stated unreachable (gap {})", r.gap);
        assert!((r.limit_probs[0] - p0).abs() < 1e-12);
        // The best counts follow the coin's frequencies.
        let best = &r.rows[1000].best_counts;
        assert!((best[0] as f64 / 1000.0 - p0).abs() < 0.01, "{best:?}");
    }
}

/// Isotonic (non-decreasing) least-squares fit by pool-adjacent-violators, equal weights.
fn increasing_fit(values: &[f64]) -> Vec<f64> {
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for &v in values {
        blocks.push((v, 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 > blocks[blocks.len() - 1].0 {
            let (m2, n2) = blocks.pop().unwrap();
            let (m1, n1) = blocks.pop().unwrap();
            blocks.push(((m1 * n1 as f64 + m2 * n2 as f64) / (n1 + n2) as f64, n1 + n2));
        }
    }
    blocks.into_iter().flat_map(|(m, n)| std::iter::repeat_n(m, n)).collect()
}

/// inf over unimodal pmfs Q on 0..=N of KL(P ‖ Q).
///
/// Every unimodal Q is non-decreasing up to some split and non-increasing
/// after it, and any two such pieces make a unimodal Q. For a fixed split the
/// KL-best piece of a given mass is the isotonic regression of P on it
/// (Barlow et al. 1972: it minimises every Bregman divergence, here
/// Σ P ln(P/Q) − P + Q, and it keeps the piece's mass), and the best masses are
/// P's own (Gibbs). So the infimum is a minimum over the N + 2 splits.
fn unimodal_floor(p: &[f64]) -> f64 {
    (0..=p.len())
        .map(|s| {
            let mut q = increasing_fit(&p[..s]);
            let mut right: Vec<f64> = p[s..].iter().rev().copied().collect();
            right = increasing_fit(&right);
            q.extend(right.into_iter().rev());
            p.iter().zip(&q).filter(|(pi, _)| **pi > 0.0).map(|(pi, qi)| pi * (pi / qi).ln()).sum::<f64>()
        })
        .fold(f64::INFINITY, f64::min)
}

fn binomial_pmf(n: usize, p: f64) -> Vec<f64> {
    let ln_choose =
        |j: usize| libm::lgamma(n as f64 + 1.0) - libm::lgamma(j as f64 + 1.0) - libm::lgamma((n - j) as f64 + 1.0);
    (0..=n).map(|j| (ln_choose(j) + j as f64 * p.ln() + (n - j) as f64 * (1.0 - p).ln()).exp()).collect()
}

#[test]
fn two_coin_mixture_stays_above_the_unimodal_floor() {
    // Both laws are exchangeable, so the KL over sequences equals the KL over the
    // count T of token 0. Under Beta(1 + c_0, 1 + c_1) the count is beta-binomial
    // with both parameters ≥ 1, whose ratio P(t+1)/P(t) = (N−t)(t+a) / ((t+1)(N−t−1+b))
    // falls with t: log-concave, hence unimodal, for every prefix of every length.
    // The target's count law is bimodal (peaks at 40 and 160), so no prefix gets
    // closer than the best unimodal law.
    let (a, b) = (binomial_pmf(N, 0.2), binomial_pmf(N, 0.8));
    let target_counts: Vec<f64> = a.iter().zip(&b).map(|(x, y)| 0.5 * x + 0.5 * y).collect();
    let floor = unimodal_floor(&target_counts);
    assert!(floor > 0.5, "floor {floor}");

    let r = reach(&uniform(), &two_coins(), 1000, N).unwrap();
    for (k, rk) in rows(&r).into_iter().enumerate() {
        assert!(rk >= floor - 1e-9, "k = {k}: {rk} below the floor {floor}");
    }
    // SPEC §6: for this target the best hard prompt is the empty one.
    let best = r.rows.iter().min_by(|x, y| x.excess_regret.total_cmp(&y.excess_regret)).unwrap();
    assert_eq!(best.prefix_length, 0);
    // Not reachable in the limit: N H(p̄) − H_N = N ln 2 − H_N, about N (ln 2 − H(0.2)) − ln 2.
    let h02 = -(0.2f64 * 0.2f64.ln() + 0.8 * 0.8f64.ln());
    let rough = N as f64 * (2f64.ln() - h02) - 2f64.ln();
    assert!((r.limit - rough).abs() < 1e-3, "limit {} vs {rough}", r.limit);
    assert!(rows(&r).iter().all(|&rk| rk < r.limit), "rows approach the limit from below");
    // The criterion's verdict: not reachable, with the gap of the best (empty) prefix.
    assert!(!r.reachable && r.gap == best.excess_regret && r.gap >= floor - 1e-9, "gap {}", r.gap);
}

#[test]
fn shortcuts_agree_with_the_definition_and_exhaustive_search() {
    // reach's fast paths against excess_regret (a plain sum over every count
    // class) at every count vector of every length: the row is the minimum.
    let cases = [
        (uniform(), coin(0.3)),
        (Source::Random { alphas: vec![0.5, 2.0] }, two_coins()),
        (Source::Random { alphas: vec![1.0, 1.0, 1.0] }, Source::Single { probs: vec![0.5, 0.3, 0.2] }),
        (Source::Random { alphas: vec![0.7, 1.5, 3.0] }, Source::Random { alphas: vec![2.0, 0.5, 1.0] }),
        (
            Source::Random { alphas: vec![1.0, 2.0, 1.0] },
            Source::Mixture { weights: vec![0.4, 0.6], probs: vec![vec![0.7, 0.2, 0.1], vec![0.1, 0.1, 0.8]] },
        ),
        (two_coins(), coin(0.25)),
        (
            Source::Mixture {
                weights: vec![0.2, 0.5, 0.3],
                probs: vec![vec![0.1, 0.9], vec![0.5, 0.5], vec![0.95, 0.05]],
            },
            uniform(),
        ),
        (coin(0.4), two_coins()),
    ];
    let (k_max, n) = (6, 15);
    for (pre, target) in &cases {
        let r = reach(pre, target, k_max, n).unwrap();
        let v = pre.vocab_size();
        for row in &r.rows {
            let k = row.prefix_length;
            let at = excess_regret(pre, target, &row.best_counts, n).unwrap();
            let tol = 1e-9 * at.abs().max(1.0);
            assert!(
                (at - row.excess_regret).abs() < tol,
                "{pre:?} → {target:?}, k = {k}: {} vs {at}",
                row.excess_regret
            );
            // Exhaustive: every count vector of length k (V ≤ 3, k ≤ 6).
            for c0 in 0..=k {
                for c1 in 0..=(k - c0) {
                    let counts: Vec<u64> = if v == 2 {
                        if c1 != k - c0 {
                            continue;
                        }
                        vec![c0 as u64, c1 as u64]
                    } else {
                        vec![c0 as u64, c1 as u64, (k - c0 - c1) as u64]
                    };
                    let other = excess_regret(pre, target, &counts, n).unwrap();
                    assert!(
                        other >= row.excess_regret - tol,
                        "{pre:?} → {target:?}: {counts:?} gives {other} < row {row:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn mixture_pretraining_selects_components() {
    // The target is one of the pretraining components: a long prefix selects it.
    let r = reach(&two_coins(), &coin(0.2), 200, N).unwrap();
    assert!(r.limit.abs() < 1e-9 && r.limit_probs == vec![0.2, 0.8]);
    assert!(r.rows[200].excess_regret < 1e-6 && r.rows[0].excess_regret > 0.5, "{:?} {:?}", r.rows[0], r.rows[200]);
    // The target is the pretraining source: the empty prefix (and every balanced one) is exact.
    let r = reach(&two_coins(), &two_coins(), 20, N).unwrap();
    for row in &r.rows {
        if row.prefix_length % 2 == 0 {
            assert!(row.excess_regret < 1e-9, "{row:?}");
            assert_eq!(row.best_counts[0], row.best_counts[1]);
        }
    }
    // A single coin ignores its prefix: every row is the same.
    let r = reach(&coin(0.5), &coin(0.2), 5, N).unwrap();
    assert!(r.rows.iter().all(|row| (row.excess_regret - r.limit).abs() < 1e-9));
}

#[test]
fn a_thousand_prefix_lengths_over_two_hundred_steps() {
    for target in [coin(0.2), two_coins(), Source::Random { alphas: vec![0.5, 0.5] }] {
        let r = reach(&uniform(), &target, 1000, N).unwrap();
        assert_eq!(r.rows.len(), 1001);
        assert!(r.rows.iter().enumerate().all(|(k, row)| row.prefix_length == k
            && row.best_counts.iter().sum::<u64>() == k as u64
            && row.excess_regret.is_finite()
            && row.excess_regret >= 0.0));
    }
}

fn refused<T: std::fmt::Debug>(result: promptlab::Result<T>, needle: &str) {
    let err = result.expect_err("accepted bad input").to_string();
    assert!(err.contains(needle), "message {err:?} does not mention {needle:?}");
}

#[test]
fn refusals_name_the_field_and_range() {
    let die = Source::Random { alphas: vec![1.0; 3] };
    refused(reach(&uniform(), &die, 5, 10), "target");
    refused(reach(&uniform(), &coin(0.2), 5, 0), "steps");
    refused(reach(&uniform(), &coin(0.2), 5, MAX_STEPS + 1), &format!("1..={MAX_STEPS}"));
    refused(reach(&uniform(), &coin(0.2), MAX_PREFIX + 1, 10), "max_prefix");
    refused(reach(&uniform(), &coin(0.2), usize::MAX, usize::MAX), "steps");
    refused(reach(&Source::Random { alphas: vec![1.0, -1.0] }, &coin(0.2), 5, 10), "pretrain.alphas[1]");
    refused(reach(&uniform(), &Source::Single { probs: vec![0.5, 0.6] }, 5, 10), "target.probs");
    // Intractable sums: a 10-token die mixture over many steps, a long search for a mixture.
    let die_mix = Source::Mixture { weights: vec![0.5, 0.5], probs: vec![vec![0.1; 10], vec![0.1; 10]] };
    refused(reach(&Source::Random { alphas: vec![1.0; 10] }, &die_mix, 5, 200), "steps");
    refused(reach(&two_coins(), &coin(0.2), MAX_PREFIX, 1000), "max_prefix");
    // Infinite regret: a deterministic coin cannot follow a fair one.
    refused(reach(&coin(1.0), &coin(0.5), 3, 10), "target");
    let edge = Source::Mixture { weights: vec![0.5, 0.5], probs: vec![vec![1.0, 0.0], vec![0.0, 1.0]] };
    refused(reach(&edge, &edge, 2, 10), "prefix length 1");
    // One prefix: wrong length, impossible under pretraining.
    refused(excess_regret(&uniform(), &coin(0.2), &[1, 2, 3], 10), "counts");
    refused(excess_regret(&coin(1.0), &coin(1.0), &[0, 2], 10), "counts");
    refused(excess_regret(&uniform(), &coin(0.2), &[u64::MAX, 2], 10), "counts");
}

fn any_source(v: usize) -> impl Strategy<Value = Source> {
    let probs = proptest::collection::vec(0.0f64..1.0, v).prop_map(|xs| {
        let s: f64 = xs.iter().sum::<f64>() + 1e-9;
        let mut p: Vec<f64> = xs.iter().map(|x| x / s).collect();
        let rest = 1.0 - p[1..].iter().sum::<f64>();
        p[0] = rest.max(0.0);
        p
    });
    prop_oneof![
        probs.clone().prop_map(|probs| Source::Single { probs }),
        (proptest::collection::vec(probs, 1..4), 0.0f64..1.0).prop_map(|(rows, w)| {
            let j = rows.len();
            let mut weights = vec![(1.0 - w) / j as f64; j];
            weights[0] += w;
            let s: f64 = weights.iter().sum();
            weights.iter_mut().for_each(|x| *x /= s);
            Source::Mixture { weights, probs: rows }
        }),
        proptest::collection::vec(1e-3f64..50.0, v).prop_map(|alphas| Source::Random { alphas }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_rows_are_finite(
        (pre, target) in (2usize..4).prop_flat_map(|v| (any_source(v), any_source(v))),
        k in 0usize..12,
        n in 0usize..25,
    ) {
        if let Ok(r) = reach(&pre, &target, k, n) {
            prop_assert_eq!(r.rows.len(), k + 1);
            prop_assert!(r.limit.is_finite() && r.limit >= 0.0);
            for row in &r.rows {
                prop_assert!(row.excess_regret.is_finite() && row.excess_regret >= 0.0, "{:?}", row);
            }
        }
    }
}

#[test]
fn cli_prints_one_json_line_per_length_and_writes_the_figure() {
    // --out must create a missing directory.
    let dir = tmp("cli-reach").join("new");
    let out = promptlab(&[
        "reach",
        "--pretrain",
        r#"{"kind":"random","alphas":[1,1]}"#,
        "--target",
        r#"{"kind":"single","probs":[0.2,0.8]}"#,
        "--max-prefix",
        "8",
        "--steps",
        "50",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 9);
    let expect = reach(&uniform(), &coin(0.2), 8, 50).unwrap();
    for (k, (line, row)) in lines.iter().zip(&expect.rows).enumerate() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["best_counts", "excess_regret", "prefix_length"]);
        assert!(line.starts_with(&format!("{{\"prefix_length\":{k},\"best_counts\":[")), "{line}");
        assert_eq!(value["prefix_length"], k);
        assert_eq!(value["best_counts"].as_array().unwrap().len(), 2);
        assert_eq!(value["excess_regret"].as_f64().unwrap(), row.excess_regret);
    }
    let svg = std::fs::read_to_string(dir.join("reach.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("prefix length k") && svg.contains("excess regret (nats)"));
    let saved: Reach = serde_json::from_str(&std::fs::read_to_string(dir.join("reach.json")).unwrap()).unwrap();
    assert_eq!(saved, expect);
    let figure: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("reach_figure.json")).unwrap()).unwrap();
    assert_eq!(figure["name"], "reach");
    assert_eq!(figure["series"][0]["y"].as_array().unwrap().len(), expect.rows.len());
}

#[test]
fn cli_refuses_in_one_line() {
    let coin = r#"{"kind":"random","alphas":[1,1]}"#;
    let die = r#"{"kind":"random","alphas":[1,1,1]}"#;
    for (args, needle) in [
        (
            vec!["--pretrain", "{not json", "--target", coin, "--max-prefix", "3", "--steps", "10"],
            "pretrain: malformed JSON",
        ),
        (vec!["--pretrain", coin, "--target", die, "--max-prefix", "3", "--steps", "10"], "invalid target"),
        (vec!["--pretrain", coin, "--target", coin, "--max-prefix", "3", "--steps", "0"], "invalid steps"),
        (vec!["--pretrain", coin, "--target", coin, "--max-prefix", "99999", "--steps", "10"], "invalid max_prefix"),
    ] {
        let out = promptlab(&[&["reach"][..], &args[..]].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "accepted {args:?}");
        assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
        assert!(err.starts_with("error: ") && err.contains(needle), "{err:?} does not mention {needle:?}");
        assert!(out.stdout.is_empty());
    }
}
