//! The data beside every figure: the numbers the engine drew (cumulative regret bit for bit as in summary.csv, the Predict view's curves as `predict` computes them), the px mapping, hidden series, stems, option errors and escaped user text.

#[path = "common/chart_fixture.rs"]
mod chart_fixture;
#[path = "common/predict_fixture.rs"]
mod predict_fixture;

use chart_fixture::{fixture, N_EVAL, SOURCES};
use promptlab::charts::{self, data::Series, FigureData, FigureOptions};
use promptlab::results::Results;

fn d() -> FigureOptions {
    FigureOptions::default()
}

fn series<'a>(data: &'a FigureData, key: &str) -> &'a Series {
    data.series.iter().find(|s| s.key == key).unwrap_or_else(|| panic!("{}: no series {key}", data.name))
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// The first point of the first `stroke-width="2"` polyline in `colour`: a method's median line.
fn first_median_point(svg: &str, colour: &str) -> (f64, f64) {
    let tag = svg
        .split("<polyline")
        .find(|t| t.contains(&format!("stroke=\"{colour}\"")) && t.contains("stroke-width=\"2\"") && t.contains("opacity=\"1\""))
        .expect("a median line");
    let points = tag.split("points=\"").nth(1).expect("points");
    let first = points.split_whitespace().next().expect("a point");
    let (x, y) = first.split_once(',').expect("x,y");
    (x.parse().unwrap(), y.parse().unwrap())
}

#[test]
fn cumulative_regret_data_is_summary_csv_bit_for_bit() {
    let results = fixture();
    let csv = results.summary_csv();
    for source in SOURCES {
        let data = charts::cumulative_regret(&results, source, &d()).unwrap().data;
        assert_eq!(data.readout, "x");
        let mut checked = 0;
        for line in csv.lines().skip(1).filter(|l| l.starts_with(&format!("{source},"))) {
            let cells: Vec<&str> = line.split(',').collect();
            let (method, step) = (cells[1], cells[2].parse::<usize>().unwrap());
            let [median, q25, q75] = [3, 4, 5].map(|i| cells[i].parse::<f64>().unwrap());
            let s = series(&data, method);
            assert_eq!(s.x[step - 1], step as f64);
            assert!(same(s.y[step - 1], median), "{source} {method} step {step}: {} vs {median}", s.y[step - 1]);
            if let (Some(a), Some(b)) = (&s.q25, &s.q75) {
                assert!(same(a[step - 1], q25) && same(b[step - 1], q75), "{source} {method} step {step}: quartiles");
            } else {
                assert_eq!(results.methods.iter().find(|m| m.method == method).unwrap().repetitions.len(), 1);
            }
            checked += 1;
        }
        assert_eq!(checked, N_EVAL * (results.methods.len() - 1), "{source}: every step of every method");
        assert!(data.series.iter().all(|s| s.key != "ground_truth"), "the oracle is not a series");
    }
}

#[test]
fn the_mapping_puts_a_median_where_the_svg_drew_it() {
    let results = fixture();
    for width in [280, 360, 800, 1280] {
        for chrome in [true, false] {
            let opts = FigureOptions { width, chrome, ..d() };
            let f = charts::cumulative_regret(&results, SOURCES[0], &opts).unwrap();
            let (data, s) = (&f.data, series(&f.data, "SoftPT"));
            let px = data.plot.left + (s.x[0] - data.x.lo) / (data.x.hi - data.x.lo) * data.plot.width;
            let py = data.plot.top + data.plot.height - (s.y[0] - data.y.lo) / (data.y.hi - data.y.lo) * data.plot.height;
            let (sx, sy) = first_median_point(&f.svg, &charts::css_hex("SoftPT"));
            assert!((px - sx).abs() <= 1.0 && (py - sy).abs() <= 1.0, "{width} px, chrome {chrome}: ({px}, {py}) vs ({sx}, {sy})");
        }
    }
}

#[test]
fn hidden_series_leave_the_drawing_and_the_axes_refit() {
    let results = fixture();
    for source in SOURCES {
        let all = charts::cumulative_regret(&results, source, &d()).unwrap();
        let opts = FigureOptions { hidden: vec!["RandomPF".into(), "NoSuchMethod".into()], ..d() };
        let fewer = charts::cumulative_regret(&results, source, &opts).unwrap();
        let hidden = series(&fewer.data, "RandomPF");
        assert!(hidden.hidden && hidden.x.is_empty() && hidden.y.is_empty(), "{source}: hidden RandomPF keeps no columns");
        assert!(!fewer.svg.contains("RandomPF"), "{source}: RandomPF still in the legend");
        assert!(fewer.data.y.hi < all.data.y.hi, "{source}: the y axis did not refit ({} vs {})", fewer.data.y.hi, all.data.y.hi);
        assert!(!fewer.data.table.rows.iter().any(|r| r[0] == "RandomPF"), "{source}: RandomPF in the table");
        assert_eq!(fewer.data.series.len(), all.data.series.len(), "{source}: the legend still lists every series");
        let keys: Vec<String> = all.data.series.iter().filter(|s| s.toggle).map(|s| s.key.clone()).collect();
        let none = FigureOptions { hidden: keys, ..d() };
        for stem in charts::figure_names(&results).iter().filter(|s| s.contains(&charts::file_stem(source))) {
            let empty = charts::figure(&results, stem, &none).unwrap();
            assert!(empty.svg.contains("every series is hidden"), "{stem}: no message when everything is hidden");
        }
    }
    // Hiding every toggleable series of any figure draws empty axes with a message.
    for stem in charts::figure_names(&results) {
        let keys: Vec<String> = charts::figure(&results, &stem, &d()).unwrap().data.series.iter().filter(|s| s.toggle).map(|s| s.key.clone()).collect();
        for chrome in [true, false] {
            let empty = charts::figure(&results, &stem, &FigureOptions { hidden: keys.clone(), chrome, width: 360, ..d() }).unwrap();
            assert!(empty.svg.contains("every series is hidden"), "{stem}: no message when everything is hidden");
            assert!(empty.data.series.iter().all(|s| !s.toggle || (s.hidden && s.y.is_empty())), "{stem}: hidden series keep columns");
        }
    }
    // An unknown key changes nothing.
    let unknown = FigureOptions { hidden: vec!["NoSuchMethod".into()], ..d() };
    let (a, b) = (charts::regret_bars(&results, SOURCES[0], &unknown).unwrap(), charts::regret_bars(&results, SOURCES[0], &d()).unwrap());
    assert_eq!(a.svg, b.svg);
    assert_eq!(serde_json::to_string(&a.data).unwrap(), serde_json::to_string(&b.data).unwrap());
    // Other figures' keys.
    let pre = charts::pretraining_loss(&results, &FigureOptions { hidden: vec!["loss".into()], ..d() }).unwrap().data;
    assert!(series(&pre, "loss").hidden && !series(&pre, "mean").hidden);
    let rank = charts::hard_prefix_ranking(&results, 24, &FigureOptions { hidden: vec!["bayes".into()], ..d() }).unwrap().data;
    assert!(series(&rank, "bayes").hidden && series(&rank, "network").x.len() == 24);
    let pca = charts::pca_states(&results, &FigureOptions { hidden: vec!["source".into()], ..d() }).unwrap().data;
    assert!(series(&pca, "source").hidden && !series(&pca, "SoftPT").hidden);
}

#[test]
fn every_figure_carries_a_table_a_summary_and_consistent_columns() {
    let results = fixture();
    for (stem, f) in charts::all_figure_data(&results, &d()).unwrap() {
        let data = &f.data;
        assert_eq!(data.name, stem);
        assert!(!data.summary.is_empty() && !data.table.caption.is_empty(), "{stem}: summary and caption");
        assert!(!data.table.rows.is_empty() && data.table.rows.iter().all(|r| r.len() == data.table.columns.len()), "{stem}: table shape");
        assert!(data.plot.width > 50.0 && data.plot.height > 50.0, "{stem}: plot rect {:?}", data.plot);
        assert!(data.plot.left + data.plot.width <= f64::from(data.width) && data.plot.top + data.plot.height <= f64::from(data.height));
        assert!(["x", "y", "point"].contains(&data.readout.as_str()), "{stem}: readout");
        for s in &data.series {
            assert_eq!(s.x.len(), s.y.len(), "{stem} {}: columns", s.key);
            for q in [&s.q25, &s.q75].into_iter().flatten() {
                assert_eq!(q.len(), s.y.len(), "{stem} {}: quartiles", s.key);
            }
            if let Some(l) = &s.labels {
                assert_eq!(l.len(), s.y.len(), "{stem} {}: labels", s.key);
            }
            assert!(s.colour.starts_with('#') && s.colour.len() == 7, "{stem} {}: colour", s.key);
        }
        let json = serde_json::to_value(data).unwrap();
        for key in ["name", "title", "subtitle", "summary", "width", "height", "plot", "x", "y", "readout", "series", "notes", "gradient", "table"] {
            assert!(json.get(key).is_some(), "{stem}: no {key} in JSON");
        }
    }
    let cum = charts::cumulative_regret(&results, SOURCES[0], &d()).unwrap().data;
    let cols = &cum.table.columns;
    assert_eq!(cols[0], "method");
    for head in ["step 1", "N_tune = 50", "N_train = 100", "N_eval = 200"] {
        assert!(cols.contains(&head.to_string()), "regret table: no {head} in {cols:?}");
    }
    // The summary names the method lowest at the last step, from the data.
    let last = |s: &Series| s.y[N_EVAL - 1];
    let lowest = cum.series.iter().filter(|s| last(s).is_finite()).min_by(|a, b| last(a).total_cmp(&last(b))).unwrap();
    assert!(cum.summary.starts_with(&format!("After {N_EVAL} steps {} is lowest", lowest.key)), "{}", cum.summary);
    assert!(cum.summary.contains("SoftPT diverged in 1 of 3 repetitions"), "{}", cum.summary);

    let bars = charts::regret_bars(&results, SOURCES[0], &d()).unwrap().data;
    assert_eq!(bars.x.categories.as_ref().unwrap().len(), 3);
    assert_eq!((bars.x.lo, bars.x.hi), (-0.5, 2.5));
    let soft = series(&bars, "SoftPT");
    let summary = &results.methods.iter().find(|m| m.method == "SoftPT").unwrap().summary[SOURCES[0]];
    assert_eq!(soft.x, vec![0.0, 1.0, 2.0]);
    assert_eq!(soft.y, vec![summary.median[49], summary.median[99], summary.median[199]]);

    let rank = charts::hard_prefix_ranking(&results, 24, &d()).unwrap().data;
    assert_eq!(rank.readout, "y");
    let best = charts::prefix_label(&results.hard_prefix_ranking[0].prefix);
    assert_eq!(rank.y.categories.as_ref().unwrap().last(), Some(&best), "the best prefix is the top category");
    assert_eq!(series(&rank, "network").y[0], 23.0);
    assert_eq!(series(&rank, "network").x[0], results.hard_prefix_ranking[0].loss);

    let pca = charts::pca_states(&results, &d()).unwrap().data;
    assert_eq!(pca.readout, "point");
    assert!(pca.gradient.is_some() && pca.table.rows.len() <= 40);
    assert_eq!(series(&pca, "source").x.len(), 12 * 40);
}

#[test]
fn figure_finds_every_stem_and_refuses_others() {
    let results = fixture();
    let all = charts::all_figures(&results).unwrap();
    assert_eq!(charts::figure_names(&results).len(), all.len());
    for (name, svg) in &all {
        let stem = name.trim_end_matches(".svg");
        let f = charts::figure(&results, stem, &d()).unwrap();
        assert_eq!(&f.svg, svg, "{stem}: figure() and all_figures() differ");
        assert_eq!(f.data.name, stem);
    }
    let e = charts::figure(&results, "no_such_figure", &d()).unwrap_err().to_string();
    assert!(e.contains("figure") && e.contains("no_such_figure") && e.contains("tuning_loss"), "{e}");
}

#[test]
fn options_out_of_range_name_the_field() {
    let results = fixture();
    for (opts, field) in [
        (FigureOptions { width: 279, ..d() }, "width"),
        (FigureOptions { width: 2401, ..d() }, "width"),
        (FigureOptions { height: Some(199), ..d() }, "height"),
        (FigureOptions { height: Some(3001), ..d() }, "height"),
    ] {
        for stem in charts::figure_names(&results) {
            let e = charts::figure(&results, &stem, &opts).unwrap_err().to_string();
            assert!(e.starts_with(&format!("invalid {field} = ")), "{stem}: {e}");
        }
    }
    let tall = charts::figure(&results, "tuning_loss", &FigureOptions { height: Some(900), ..d() }).unwrap();
    assert_eq!(tall.data.height, 900);
    assert!(tall.svg.contains("height=\"900\""));
}

/// The fixture with its first source and one method renamed to hostile text.
fn hostile() -> Results {
    let mut r = fixture();
    let (old, new) = (SOURCES[0], "<script>alert(1)</script> & co");
    r.eval_sources[0] = new.into();
    for m in &mut r.methods {
        if let Some(s) = m.summary.remove(old) {
            m.summary.insert(new.into(), s);
        }
        for rep in &mut m.repetitions {
            if let Some(v) = rep.instant_regret.remove(old) {
                rep.instant_regret.insert(new.into(), v);
            }
        }
        if m.method == "RealPT" {
            m.method = "<img src=x onerror=alert(2)>".into();
        }
    }
    r
}

#[test]
fn text_from_input_is_escaped() {
    let results = hostile();
    for (name, svg) in charts::all_figures(&results).unwrap() {
        assert!(!svg.contains("<script") && !svg.contains("<img"), "{name}: raw markup from input");
        if name.starts_with("regret_cumulative__script") {
            assert!(svg.contains("&lt;script&gt;") && svg.contains("&amp; co"), "{name}: source not escaped");
            assert!(svg.contains("&lt;img src=x onerror=alert(2)&gt;"), "{name}: method not escaped");
        }
    }
}

#[test]
fn the_hard_prefix_ranking_is_a_dot_plot_without_bars() {
    let results = fixture();
    let f = charts::hard_prefix_ranking(&results, 24, &d()).unwrap();
    let net = charts::css_hex("HardPT");
    assert_eq!(series(&f.data, "network").swatch, "marker");
    assert_eq!(series(&f.data, "bayes").swatch, "ring");
    // No bar in the network's colour: losses that differ by a few percent are not drawn as lengths from a cut axis.
    let rects = f.svg.split("<rect").skip(1).filter(|r| r[..r.find('>').unwrap()].contains(&format!("fill=\"{net}\""))).count();
    assert_eq!(rects, 0, "ranking: bars in the network's colour");
    let dots = f.svg.split("<circle").skip(1).filter(|c| c[..c.find('>').unwrap()].contains(&format!("fill=\"{net}\""))).count();
    assert_eq!(dots, 24 + 1, "ranking: a filled dot per prefix and one in the legend");
    let rings = f.svg.split("<circle").skip(1).filter(|c| c[..c.find('>').unwrap()].contains("fill=\"none\" stroke=\"#222222\"")).count();
    let in_bayes = results.hard_prefix_ranking[..24].iter().filter(|s| results.bayes_prefix_ranking.iter().any(|b| b.prefix == s.prefix)).count();
    assert_eq!(rings, in_bayes + 1, "ranking: a ring per prefix exact Bayes ranks and one in the legend");
    // Each dot sits where the data maps its loss.
    let data = &f.data;
    let s = series(data, "network");
    let px = data.plot.left + (s.x[0] - data.x.lo) / (data.x.hi - data.x.lo) * data.plot.width;
    let first = f.svg.split("<circle").skip(1).find(|c| c.contains(&format!("fill=\"{net}\""))).unwrap();
    let cx: f64 = first.split("cx=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    assert!((cx - px).abs() <= 1.0, "the best prefix's dot at {cx}, the data say {px}");
}

#[test]
fn bar_groups_past_the_evaluated_steps_are_left_out_and_said_so() {
    let mut results = fixture();
    results.key_steps.train = 300;
    let f = charts::regret_bars(&results, SOURCES[0], &d()).unwrap();
    let data = &f.data;
    assert_eq!(data.x.categories.as_deref(), Some(&["N_tune = 50".to_string(), "N_eval = 200".to_string()][..]));
    assert_eq!((data.x.lo, data.x.hi), (-0.5, 1.5));
    assert_eq!(data.table.columns, vec!["method", "N_tune = 50", "N_eval = 200"]);
    // Only NoTuning's infinite regret (put in the fixture at step 151) leaves a cell empty.
    let empty: Vec<&Vec<String>> = data.table.rows.iter().filter(|r| r.iter().any(|c| c == "–")).collect();
    assert!(empty.len() == 1 && empty[0][0] == "NoTuning" && empty[0][1] != "–", "empty cells: {empty:?}");
    assert!(data.subtitle.contains("N_train = 300") && data.subtitle.contains("past the last evaluated step (200)"), "{}", data.subtitle);
    assert!(!data.subtitle.contains("past N_train the net extrapolates"), "{}", data.subtitle);
    let bare = charts::regret_bars(&results, SOURCES[0], &FigureOptions { chrome: false, ..d() }).unwrap();
    assert!(!bare.svg.contains("N_train"), "an N_train group label");
    // With every key step evaluated, all three groups and no such note.
    let all = charts::regret_bars(&fixture(), SOURCES[0], &d()).unwrap().data;
    assert_eq!(all.x.categories.as_ref().unwrap().len(), 3);
    assert!(!all.subtitle.contains("no bars"), "{}", all.subtitle);
}

#[test]
fn regret_table_captions_name_their_steps_and_the_single_values() {
    let results = fixture();
    for kind in [charts::RegretKind::Cumulative, charts::RegretKind::Instant] {
        let data = charts::regret_figure(&results, SOURCES[0], kind, &d()).unwrap().data;
        let caption = &data.table.caption;
        assert!(
            caption.contains("at step 1, N_tune = 50, N_train = 100 and N_eval = 200, and at step 150 (quarters of the 200 steps)"),
            "{caption}"
        );
        // Every column's step is named in the caption.
        for head in &data.table.columns[1..] {
            let step = head.rsplit(' ').next().unwrap();
            assert!(caption.contains(step), "{caption}: no {head}");
        }
        assert!(caption.contains("a value without brackets: a method with one repetition"), "{caption}");
        // And that is what the rows do: one repetition, no brackets; more, brackets.
        for row in &data.table.rows {
            let m = results.methods.iter().find(|m| row[0].starts_with(&m.method)).unwrap();
            let bracketed = row[1..].iter().any(|c| c.contains('['));
            assert_eq!(bracketed, m.repetitions.len() > 1, "{}: {row:?}", m.method);
        }
    }
    let mut short = fixture();
    short.key_steps = promptlab::results::KeySteps { tune: 20, train: 100, eval: 30 };
    for m in &mut short.methods {
        for r in &mut m.repetitions {
            r.instant_regret.values_mut().for_each(|v| v.truncate(30));
        }
        for s in m.summary.values_mut() {
            (s.median, s.q25, s.q75) = (s.median[..30].to_vec(), s.q25[..30].to_vec(), s.q75[..30].to_vec());
        }
    }
    let data = charts::cumulative_regret(&short, SOURCES[0], &d()).unwrap().data;
    assert_eq!(data.table.columns, vec!["method", "step 1", "step 7", "step 15", "N_tune = 20", "step 22", "N_eval = 30"]);
    assert!(data.table.caption.contains("at step 1, N_tune = 20 and N_eval = 30, and at steps 7, 15 and 22 (quarters of the 30 steps)"), "{}", data.table.caption);
}

#[test]
fn pca_marks_are_fixed_series_with_their_points_and_speak_of_p_h() {
    let results = fixture();
    let data = charts::pca_states(&results, &d()).unwrap().data;
    assert!(data.notes.is_empty(), "notes: {:?}", data.notes);
    for (key, swatch, points) in [("prefix-positions", "marker", 4 * 6), ("prefix-state", "ring", 4), ("first-position", "square", 12 + 4)] {
        let s = series(&data, key);
        assert!(!s.toggle && !s.hidden, "{key}: fixed");
        assert_eq!(s.swatch, swatch, "{key}");
        assert_eq!(s.x.len(), points, "{key}: points");
        assert_eq!(s.labels.as_ref().map(Vec::len), Some(points), "{key}: labels");
    }
    // The state a prefix sets is the prefix's last position of each prefixed run.
    let t = &results.states.as_ref().unwrap().prefix_trajectories[0];
    let state = series(&data, "prefix-state");
    assert_eq!((state.x[0], state.y[0]), (t.points[t.prefix_len - 1][0], t.points[t.prefix_len - 1][1]));
    assert_eq!(state.labels.as_ref().unwrap()[0], format!("{} run 1, position {} (prefix)", t.method, t.prefix_len));
    let words: Vec<&String> = data.series.iter().flat_map(|s| s.labels.iter().flatten()).chain([&data.summary]).collect();
    assert!(words.iter().any(|w| w.contains("coin's P(H) = ")), "no P(H) in the point labels");
    assert!(words.iter().all(|w| !w.contains("token 0")), "token 0 where the page says H");
    assert_eq!(data.gradient.as_ref().unwrap().label, "source runs: coin's P(H)");
    // Hiding a method takes its marks away too.
    let fewer = charts::pca_states(&results, &FigureOptions { hidden: vec!["SoftPT".into()], ..d() }).unwrap().data;
    assert_eq!(series(&fewer, "prefix-state").x.len(), 2);
    assert_eq!(series(&fewer, "first-position").x.len(), 12 + 2);
}

/// The hard prompt as the page hands it to `model_predict`.
fn hard_json(hard: &[u32]) -> Option<String> {
    let digits: String = hard.iter().map(|t| t.to_string()).collect();
    (!hard.is_empty()).then(|| format!(r#"{{"kind":"hard","tokens":"{digits}"}}"#))
}

#[test]
fn predict_figures_draw_predict_and_the_posterior_bit_for_bit() {
    use promptlab::bayes::{bias_posterior, BiasPosterior};
    use promptlab::predict::{bayes_rows, network_rows, predict, PredictView, DENSITY_POINTS};
    use promptlab::sources::Source;
    let net = predict_fixture::network();
    for json in predict_fixture::SOURCES {
        let source = Source::from_json("source", json).unwrap();
        for hard in [vec![], vec![0, 0, 1]] {
            let flips = predict_fixture::flips(12);
            let view = PredictView::compute(&source, &hard, &flips, Some(&net)).unwrap();
            let what = format!("{json} behind {hard:?}");
            let pred = charts::predictive_figure(&view, &d()).unwrap().data;
            let read: Vec<u32> = hard.iter().chain(&flips).copied().collect();
            let bayes = bayes_rows(&source, &read).unwrap();
            let network = network_rows(&net, &flips, hard_json(&hard).as_deref()).unwrap();
            let (b, n) = (series(&pred, "bayes"), series(&pred, "network"));
            assert_eq!(b.x, (0..=12).map(f64::from).collect::<Vec<_>>(), "{what}: flips read");
            assert_eq!(n.x, b.x, "{what}");
            for k in 0..=12 {
                assert!(same(b.y[k], bayes[hard.len() + k][0]), "{what}: Bayes after {k} flips");
                assert!(same(n.y[k], network[k][0]), "{what}: network after {k} flips");
            }
            if hard.is_empty() {
                // Unprompted, the curves are `predict`'s steps (step k + 1 is the prediction after k flips).
                for s in predict(&source, &flips, Some(&net)).unwrap() {
                    let k = s.step - 1;
                    assert!(same(b.y[k], s.probs[0]) && same(n.y[k], s.model_probs.as_ref().unwrap()[0]), "{what}: step {}", s.step);
                }
            } else if !json.contains("single") {
                // The known coin learns nothing from a prompt; the others do.
                assert_ne!(bayes[hard.len()][0], bayes[0][0], "{what}: the prompt moved Bayes");
            }
            assert_eq!(pred.readout, "x");
            assert_eq!(pred.table.rows.len(), 2);
            assert!(pred.summary.contains(&format!("exact Bayes {:.4} after 12 flips", bayes[hard.len() + 12][0])), "{what}: {}", pred.summary);

            let post = charts::posterior_figure(&view, &d()).unwrap().data;
            let p = series(&post, "posterior");
            assert!(!p.toggle);
            match bias_posterior(&source, &read, DENSITY_POINTS).unwrap() {
                BiasPosterior::Beta { points, density, .. } => assert!(p.x == points && p.y == density, "{what}: density"),
                BiasPosterior::Mixture { weights, p0, .. } => assert!(p.x == p0 && p.y == weights, "{what}: weights"),
                BiasPosterior::Point { p0 } => assert!(p.x == vec![p0] && p.y == vec![1.0], "{what}: point"),
            }
            let line = series(&post, "network");
            assert!(same(line.x[0], network[12][0]) && same(line.x[1], network[12][0]), "{what}: the network's line");
        }
    }
}

#[test]
fn predict_figures_hide_series_and_map_points_where_they_are_drawn() {
    let (_, view) = predict_fixture::views().into_iter().find(|(n, _)| n == "random_hard").unwrap();
    for width in [280, 800, 1280] {
        for chrome in [true, false] {
            let f = charts::predictive_figure(&view, &FigureOptions { width, chrome, ..d() }).unwrap();
            let (data, s) = (&f.data, series(&f.data, "network"));
            let px = data.plot.left + (s.x[0] - data.x.lo) / (data.x.hi - data.x.lo) * data.plot.width;
            let py = data.plot.top + data.plot.height - (s.y[0] - data.y.lo) / (data.y.hi - data.y.lo) * data.plot.height;
            let marker = f.svg.split("<circle").skip(1).find(|c| c.contains("fill=\"#0072B2\"")).expect("a network marker");
            let num = |n: &str| marker.split(&format!("{n}=\"")).nth(1).unwrap().split('"').next().unwrap().parse::<f64>().unwrap();
            assert!((num("cx") - px).abs() <= 1.0 && (num("cy") - py).abs() <= 1.0, "{width} px, chrome {chrome}: ({px}, {py})");
        }
    }
    let hide = |keys: &[&str]| FigureOptions { hidden: keys.iter().map(|k| k.to_string()).collect(), ..d() };
    let no_net = charts::predictive_figure(&view, &hide(&["network"])).unwrap();
    let s = series(&no_net.data, "network");
    assert!(s.hidden && s.y.is_empty() && !no_net.svg.contains("#0072B2"), "the hidden network is still drawn");
    assert_eq!(no_net.data.table.rows.len(), 1);
    let none = charts::predictive_figure(&view, &hide(&["network", "bayes"])).unwrap();
    assert!(none.svg.contains("every series is hidden"));
    let post = charts::posterior_figure(&view, &hide(&["network"])).unwrap();
    assert!(series(&post.data, "network").hidden && !post.svg.contains("#0072B2"));
    // Without a network neither figure has a network series.
    let (_, alone) = predict_fixture::views().into_iter().find(|(n, _)| n == "random_long").unwrap();
    for f in charts::predict_figures(&alone, &d()).unwrap() {
        assert!(f.1.data.series.iter().all(|s| s.key != "network"), "{}: a network series without a network", f.0);
    }
    // Widths out of range are refused by name.
    let e = charts::predictive_figure(&view, &FigureOptions { width: 100, ..d() }).unwrap_err().to_string();
    assert!(e.contains("width"), "{e}");
}
