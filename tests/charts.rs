//! The figures on a small hand-made experiment: well-formed SVG, every method in its colour, key steps marked, nothing non-finite drawn.
//!
//! The rendered figures are written to `target/chart-preview/` for a look.

use std::collections::BTreeMap;

use promptlab::bayes::PrefixScore;
use promptlab::charts::{self, stats::quantile, FigureOptions};
use promptlab::config::Config;
use promptlab::results::{
    Divergence, KeySteps, MethodKind, MethodResult, RegretSummary, Repetition, Results, StateProjection, Timings,
    Trajectory,
};

const SOURCES: [&str; 2] = ["Single Coin", "Two-Coin Mixture"];
const N_EVAL: usize = 200;

/// A deterministic noise source in [-1, 1) (a tiny LCG, so the fixture needs no RNG crate).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
}

/// Instant regret shaped like a Bayes learner's: `scale / (n + 1)` plus a floor and extrapolation drift after step 100.
fn regret_curve(scale: f64, floor: f64, drift: f64, noise: &mut Noise) -> Vec<f64> {
    (1..=N_EVAL)
        .map(|n| {
            let past_train = n.saturating_sub(100) as f64;
            (scale / (n as f64 + 1.0) + floor + drift * past_train) * (1.0 + 0.15 * noise.next())
        })
        .collect()
}

fn cumsum(v: &[f64]) -> Vec<f64> {
    v.iter()
        .scan(0.0, |a, x| {
            *a += x;
            Some(*a)
        })
        .collect()
}

/// Median and quartiles across repetitions of the cumulative regret, as the engine stores them.
fn summary(reps: &[Repetition], source: &str) -> RegretSummary {
    let cums: Vec<Vec<f64>> = reps.iter().map(|r| cumsum(&r.instant_regret[source])).collect();
    let at = |q: f64| {
        (0..N_EVAL).map(|n| quantile(&cums.iter().map(|c| c[n]).collect::<Vec<_>>(), q).unwrap_or(f64::NAN)).collect()
    };
    RegretSummary { median: at(0.5), q25: at(0.25), q75: at(0.75) }
}

/// A method with `reps` repetitions whose regret on each source has the given (scale, floor, drift).
fn method(
    name: &str,
    kind: MethodKind,
    reps: usize,
    shape: [(f64, f64, f64); 2],
    tuned: bool,
    noise: &mut Noise,
) -> MethodResult {
    let repetitions: Vec<Repetition> = (0..reps)
        .map(|_| {
            let instant_regret = SOURCES
                .iter()
                .zip(shape)
                .map(|(s, (scale, floor, drift))| (s.to_string(), regret_curve(scale, floor, drift, noise)))
                .collect();
            let tuning_loss = if tuned {
                let start = 45.0 + 10.0 * noise.next().abs();
                (0..150).map(|t| 30.0 + (start - 30.0) * (-(t as f64) / 30.0).exp() + 0.8 * noise.next()).collect()
            } else {
                Vec::new()
            };
            Repetition { tuning_loss, initial_prefix: None, prefix: None, instant_regret, diverged: None, seconds: 1.0, ranking: Vec::new() }
        })
        .collect();
    let summary = SOURCES.iter().map(|s| (s.to_string(), summary(&repetitions, s))).collect();
    MethodResult { method: name.into(), kind, repetitions, summary }
}

fn fixture() -> Results {
    let mut noise = Noise(7);
    let b = MethodKind::Baseline;
    let t = MethodKind::Tuner;
    let mut methods = vec![
        method("ground_truth", b, 1, [(0.0, 0.0, 0.0); 2], false, &mut noise),
        method("TargetBayes", b, 1, [(0.5, 0.0, 0.0), (0.7, 0.0, 0.0)], false, &mut noise),
        method("PreBayes", b, 1, [(1.6, 0.0, 0.0), (1.2, 0.004, 0.0)], false, &mut noise),
        method("PreBayesPT", b, 1, [(0.9, 0.0, 0.0), (1.2, 0.004, 0.0)], false, &mut noise),
        method("NoTuning", b, 1, [(1.7, 0.001, 0.00004), (1.3, 0.005, 0.00003)], false, &mut noise),
        method("RandomPF", b, 3, [(2.5, 0.004, 0.00005), (2.0, 0.006, 0.00004)], false, &mut noise),
        method("HardPT", t, 3, [(1.0, 0.0005, 0.00003), (1.3, 0.005, 0.00003)], false, &mut noise),
        method("SoftPT", t, 3, [(0.6, 0.0002, 0.00002), (1.0, 0.003, 0.00003)], true, &mut noise),
        method("RealPT", t, 3, [(1.1, 0.0008, 0.00003), (1.2, 0.004, 0.00003)], true, &mut noise),
        method("FullWT", t, 3, [(0.55, 0.0001, 0.00001), (0.8, 0.0005, 0.00002)], true, &mut noise),
    ];
    // SoftPT's second repetition blew up at tuning step 12: its loss stops, its regret is NaN.
    let soft = methods.iter_mut().find(|m| m.method == "SoftPT").expect("SoftPT in fixture");
    let rep = &mut soft.repetitions[1];
    rep.diverged = Some(Divergence { step: 12, message: "loss = NaN".into() });
    rep.tuning_loss.truncate(12);
    rep.tuning_loss[11] = f64::NAN;
    for v in rep.instant_regret.values_mut() {
        v.iter_mut().for_each(|x| *x = f64::NAN);
    }
    // An infinite value in a baseline must not reach the SVG either.
    methods[4].repetitions[0].instant_regret.get_mut("Single Coin").expect("source")[150] = f64::INFINITY;
    for m in &mut methods {
        let reps = m.repetitions.clone();
        m.summary = SOURCES.iter().map(|s| (s.to_string(), summary(&reps, s))).collect();
    }

    // Every hard prefix of length 6; the network likes about five ones, Bayes six.
    let prefixes: Vec<Vec<u32>> = (0..64u32).map(|i| (0..6).rev().map(|b| (i >> b) & 1).collect()).collect();
    let ones = |p: &[u32]| p.iter().sum::<u32>() as f64;
    let rank = |f: &dyn Fn(&[u32]) -> f64| {
        let mut r: Vec<PrefixScore> = prefixes.iter().map(|p| PrefixScore { prefix: p.clone(), loss: f(p) }).collect();
        r.sort_by(|a, b| a.loss.total_cmp(&b.loss));
        r
    };
    let mut wiggle = Noise(3);
    let jitter: Vec<f64> = (0..64).map(|_| 0.15 * wiggle.next()).collect();
    let hard_prefix_ranking =
        rank(&|p: &[u32]| 27.0 + 0.45 * (ones(p) - 5.0).powi(2) + jitter[p.iter().fold(0, |a, &b| a * 2 + b as usize)]);
    let bayes_prefix_ranking = rank(&|p: &[u32]| 26.6 + 0.4 * (ones(p) - 6.0).powi(2));

    // Source runs spiral from a common start towards a bias-dependent point; prefixed runs start further along.
    let mut jiggle = Noise(11);
    let run = |bias: f64, offset: usize, len: usize, noise: &mut Noise| -> Vec<[f64; 2]> {
        (0..len)
            .map(|n| {
                let s = 1.0 - (-((n + offset) as f64) / 8.0).exp();
                let target = [4.0 * (bias - 0.5), 1.5 - 3.0 * (bias - 0.5).abs()];
                [target[0] * s + 0.08 * noise.next(), target[1] * s + 0.6 * (s * 3.0).sin() + 0.08 * noise.next()]
            })
            .collect()
    };
    let source_trajectories = (0..12)
        .map(|i| {
            let bias = (i as f64 + 0.5) / 12.0;
            Trajectory { method: "NoTuning".into(), bias, prefix_len: 0, points: run(bias, 0, 40, &mut jiggle) }
        })
        .collect();
    let prefix_trajectories = [("HardPT", 0.25, 6), ("SoftPT", 0.2, 6)]
        .iter()
        .flat_map(|&(m, bias, k)| {
            (0..2)
                .map(|_| Trajectory { method: m.into(), bias, prefix_len: k, points: run(bias, 3, 46, &mut jiggle) })
                .collect::<Vec<_>>()
        })
        .collect();

    let pretraining_loss: Vec<f64> =
        (0..400).map(|s| 58.0 + 14.0 * (-(s as f64) / 60.0).exp() + 1.2 * noise.next()).collect();

    Results {
        config: Config::default(),
        pretraining_loss,
        eval_sources: SOURCES.iter().map(|s| s.to_string()).collect(),
        key_steps: KeySteps { tune: 50, train: 100, eval: N_EVAL },
        methods,
        hard_prefix_ranking,
        bayes_prefix_ranking,
        states: Some(StateProjection {
            state: "layer0_hidden".into(),
            explained_variance: [0.612, 0.207],
            source_trajectories,
            prefix_trajectories,
        }),
        timings: Timings { pretraining: 1.0, methods: BTreeMap::new(), total: 2.0 },
    }
}

/// Checks that tags nest properly (a small stand-in for an XML parser).
fn assert_well_formed(name: &str, svg: &str) {
    let trimmed = svg.trim();
    assert!(trimmed.starts_with("<svg") || trimmed.starts_with("<?xml"), "{name}: does not start like SVG");
    assert!(trimmed.ends_with("</svg>"), "{name}: does not end with </svg>");
    let mut open: Vec<String> = Vec::new();
    let mut rest = trimmed;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map(|e| start + e).unwrap_or_else(|| panic!("{name}: unclosed '<'"));
        let tag = &rest[start + 1..end];
        if let Some(closing) = tag.strip_prefix('/') {
            let top = open.pop().unwrap_or_else(|| panic!("{name}: stray </{closing}>"));
            assert_eq!(top, closing.trim(), "{name}: </{closing}> closes <{top}>");
        } else if !tag.starts_with('?') && !tag.starts_with('!') && !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap_or("").to_string());
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "{name}: unclosed tags {open:?}");
}

/// Every `<text>` element of `svg`: its `y` attribute and its content, trimmed, in document order.
fn texts(svg: &str) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let open = &rest[start..];
        let (Some(tag_end), Some(close)) = (open.find('>'), open.find("</text>")) else { break };
        let y = open[..tag_end].split(" y=\"").nth(1).and_then(|v| v.split('"').next()).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
        out.push((y, open[tag_end + 1..close].trim().to_string()));
        rest = &open[close..];
    }
    out
}

/// The default figure options.
fn d() -> FigureOptions {
    FigureOptions::default()
}

fn assert_finite(name: &str, svg: &str) {
    let lower = svg.to_lowercase();
    assert!(!svg.contains("NaN") && !lower.contains("nan"), "{name}: NaN in SVG");
    assert!(!lower.contains("inf"), "{name}: inf in SVG");
}

fn preview(figures: &[(String, String)]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/chart-preview");
    std::fs::create_dir_all(&dir).expect("create target/chart-preview");
    for (name, svg) in figures {
        std::fs::write(dir.join(name), svg).expect("write preview");
    }
}

#[test]
fn every_figure_is_drawn_well_formed_and_finite() {
    let results = fixture();
    let figures = charts::all_figures(&results).expect("figures");
    preview(&figures);
    let names: Vec<&str> = figures.iter().map(|(n, _)| n.as_str()).collect();
    let expected = [
        "regret_cumulative_Single_Coin.svg",
        "regret_instant_Single_Coin.svg",
        "bars_Single_Coin.svg",
        "regret_cumulative_Two-Coin_Mixture.svg",
        "regret_instant_Two-Coin_Mixture.svg",
        "bars_Two-Coin_Mixture.svg",
        "tuning_loss.svg",
        "hard_prefix_ranking.svg",
        "pca_states.svg",
        "pca_states_by_step.svg",
        "pretraining_loss.svg",
    ];
    assert_eq!(names, expected);
    for (name, svg) in &figures {
        assert_well_formed(name, svg);
        assert_finite(name, svg);
        assert!(svg.contains(r#"width="800""#) && svg.contains(r#"height="500""#), "{name}: not 800×500");
    }
}

#[test]
fn regret_figures_show_every_method_in_its_colour_but_not_the_oracle() {
    let results = fixture();
    for source in SOURCES {
        for (kind, svg) in [
            ("cumulative", charts::cumulative_regret(&results, source, &d()).map(|f| f.svg).expect("cumulative")),
            ("instant", charts::instant_regret(&results, source, &d()).map(|f| f.svg).expect("instant")),
            ("bars", charts::regret_bars(&results, source, &d()).map(|f| f.svg).expect("bars")),
        ] {
            let what = format!("{kind} regret on {source}");
            for m in results.methods.iter().filter(|m| m.method != "ground_truth") {
                assert!(svg.contains(&m.method), "{what}: no {}", m.method);
                assert!(svg.contains(&charts::css_hex(&m.method)), "{what}: no colour of {}", m.method);
            }
            for key in ["N_tune", "N_train", "N_eval"] {
                assert!(svg.contains(key), "{what}: no {key} marker");
            }
            assert!(svg.contains("SoftPT (diverged at step 12)"), "{what}: divergence not in legend");
            assert!(!svg.contains("ground_truth"), "{what}: the oracle is drawn");
            assert!(svg.contains("(nats)"), "{what}: no unit on the regret axis");
        }
    }
}

#[test]
fn regret_figures_say_what_regret_is_measured_against() {
    let results = fixture();
    for source in SOURCES {
        for (kind, svg, title, axis) in [
            ("cumulative", charts::cumulative_regret(&results, source, &d()).map(|f| f.svg).expect("cumulative"), "Cumulative regret against the oracle on", "cumulative regret against the oracle (nats)"),
            ("instant", charts::instant_regret(&results, source, &d()).map(|f| f.svg).expect("instant"), "Instant regret against the oracle on", "instant regret against the oracle (nats)"),
            ("bars", charts::regret_bars(&results, source, &d()).map(|f| f.svg).expect("bars"), "Cumulative regret against the oracle at the key steps on", "cumulative regret against the oracle (nats)"),
        ] {
            assert!(svg.contains(title), "{kind} on {source}: title does not say 'against the oracle'");
            assert!(svg.contains(axis), "{kind} on {source}: axis does not say 'against the oracle'");
            assert!(!svg.contains("against TargetBayes"), "{kind} on {source}: regret said to be against TargetBayes");
        }
    }
}

#[test]
fn other_figures_carry_their_labels() {
    let results = fixture();
    let tuning = charts::tuning_loss(&results, &d()).map(|f| f.svg).expect("tuning loss");
    for m in ["SoftPT (diverged at step 12)", "RealPT", "FullWT"] {
        assert!(tuning.contains(m), "tuning loss: no {m}");
    }
    assert!(!tuning.contains("HardPT"), "tuning loss: HardPT has no loss curve");

    let ranking = charts::hard_prefix_ranking(&results, 24, &d()).map(|f| f.svg).expect("ranking");
    let best = charts::prefix_label(&results.hard_prefix_ranking[0].prefix);
    // The prefix labels as drawn, top to bottom: the network's best 24 in its order, the best at the top.
    let mut labels: Vec<(f64, String)> = texts(&ranking).into_iter().filter(|(_, t)| t.len() == 6 && t.chars().all(|c| c == '0' || c == '1')).collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let labels: Vec<String> = labels.into_iter().map(|(_, t)| t).collect();
    assert_eq!(labels.first(), Some(&best), "ranking: best prefix {best} not at the top");
    let shown: Vec<String> = results.hard_prefix_ranking[..24].iter().map(|s| charts::prefix_label(&s.prefix)).collect();
    assert_eq!(labels, shown, "ranking: the prefix labels");
    assert!(ranking.contains("#1"), "ranking: no Bayes rank");
    assert_eq!(charts::prefix_label(&[0, 1, 1, 1, 1, 1]), "011111");

    let pca = charts::pca_states(&results, &d()).map(|f| f.svg).expect("pca");
    assert!(pca.contains("PC1 (61.2 %)") && pca.contains("PC2 (20.7 %)"), "pca: axis labels");
    assert!(pca.contains(&charts::css_hex("SoftPT")), "pca: SoftPT colour");
    assert!(pca.contains("P(token 0)"), "pca: bias colour bar");
    let by_step = charts::pca_states_coloured(&results, charts::ColourBy::Step, &d()).map(|f| f.svg).expect("pca by step");
    assert!(by_step.contains("position (start") && by_step.contains(&charts::css_hex("SoftPT")), "pca by step: labels");
    // Per-segment colouring: the start and the end of the viridis map both appear.
    let hex = |c: plotters::style::RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    assert!(by_step.contains(&hex(charts::bias_colour(0.0))) && by_step.contains(&hex(charts::bias_colour(1.0))), "pca by step: colour ramp");

    let pre = charts::pretraining_loss(&results, &d()).map(|f| f.svg).expect("pretraining loss");
    assert!(pre.contains("pretraining step"), "pretraining loss: x label");
}

#[test]
fn missing_data_is_refused_or_skipped() {
    let mut results = fixture();
    assert!(charts::cumulative_regret(&results, "No Such Source", &d()).map(|f| f.svg).is_err());
    results.states = None;
    results.pretraining_loss.clear();
    assert!(charts::pca_states(&results, &d()).map(|f| f.svg).is_err());
    let names: Vec<String> = charts::all_figures(&results).expect("figures").into_iter().map(|(n, _)| n).collect();
    assert!(!names.iter().any(|n| n.starts_with("pca_states") || n == "pretraining_loss.svg"), "{names:?}");
}
