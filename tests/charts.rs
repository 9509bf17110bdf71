//! The figures on a small hand-made experiment: well-formed SVG, every method in its colour, key steps marked, nothing non-finite drawn.
//!
//! The rendered figures are written to `target/chart-preview/` for a look.

#[path = "common/chart_fixture.rs"]
mod chart_fixture;

use chart_fixture::{fixture, SOURCES};
use promptlab::charts::{self, FigureOptions};

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
    assert!(pca.contains("P(H)") && !pca.contains("token 0"), "pca: the bias colour bar speaks of P(H) as the page does");
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
