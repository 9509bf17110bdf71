//! Every figure (and the reach and Predict view figures) at 280, 360, 559, 560, 800, 1280 and 2400 px, with and without chrome: no text under 11 px, no two texts overlapping, every text inside the canvas.
//!
//! Text boxes are estimated from the SVG's own attributes (x, y, dy, anchor, rotation,
//! font size) and the engine's generous width estimate, so a pass here is a conservative
//! pass in a browser. The drawings are written to `target/chart-preview/layout/` for a look.

#[path = "common/chart_fixture.rs"]
mod chart_fixture;
#[path = "common/predict_fixture.rs"]
mod predict_fixture;

use chart_fixture::fixture;
use promptlab::charts::{self, text, Figure, FigureOptions};
use promptlab::sources::Source;

/// One `<text>` element as drawn.
#[derive(Debug)]
struct Text {
    content: String,
    size: f64,
    /// left, top, right, bottom in px.
    bounds: [f64; 4],
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..].split('"').next()?.to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// Every `<text>` of `svg` with its estimated box.
fn texts(svg: &str) -> Vec<Text> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let open = &rest[start..];
        let tag_end = open.find('>').expect("text tag ends");
        let close = open.find("</text>").expect("text closes");
        let tag = &open[..tag_end];
        let content = unescape(open[tag_end + 1..close].trim());
        let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok()).unwrap_or_else(|| panic!("{n} of {tag}"));
        let (x, y, size) = (num("x"), num("y"), num("font-size"));
        let w = text::width(&content, size);
        // Along the text: from the anchor; across it: from dy (top, centre or baseline).
        let (a0, a1) = match attr(tag, "text-anchor").as_deref() {
            Some("middle") => (-w / 2.0, w / 2.0),
            Some("end") => (-w, 0.0),
            _ => (0.0, w),
        };
        let (c0, c1) = match attr(tag, "dy").as_deref() {
            Some("0.76em") => (0.0, size),
            Some("0.5ex") => (-size / 2.0, size / 2.0),
            Some("-0.5ex") => (-size, 0.0),
            other => panic!("unexpected dy {other:?} in {tag}"),
        };
        let bounds = match attr(tag, "transform") {
            // rotate(270): along the text is up the page, across it is to the right.
            Some(t) if t.starts_with("rotate(270") => [x + c0, y - a1, x + c1, y - a0],
            Some(t) => panic!("unexpected transform {t}"),
            None => [x + a0, y + c0, x + a1, y + c1],
        };
        out.push(Text { content, size, bounds });
        rest = &open[close..];
    }
    out
}

fn overlap(a: &Text, b: &Text) -> bool {
    // One px of slack: boxes that touch do not overlap.
    let (a, b) = (a.bounds, b.bounds);
    a[0] < b[2] - 1.0 && b[0] < a[2] - 1.0 && a[1] < b[3] - 1.0 && b[1] < a[3] - 1.0
}

/// (smallest font size, overlapping pairs, texts outside the canvas) of one SVG.
fn problems(svg: &str, width: f64, height: f64) -> (f64, Vec<String>, Vec<String>) {
    let all = texts(svg);
    let smallest = all.iter().map(|t| t.size).fold(f64::INFINITY, f64::min);
    let mut pairs = Vec::new();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            if overlap(a, b) {
                pairs.push(format!("{:?} {:?} × {:?} {:?}", a.content, a.bounds, b.content, b.bounds));
            }
        }
    }
    let outside = all
        .iter()
        .filter(|t| t.bounds[0] < 0.0 || t.bounds[1] < 0.0 || t.bounds[2] > width || t.bounds[3] > height)
        .map(|t| format!("{:?} {:?}", t.content, t.bounds))
        .collect();
    (smallest, pairs, outside)
}

/// The Predict view's two figures of every fixture view, named "predictive_VIEW" and "posterior_VIEW".
fn predict_figures(opts: &FigureOptions) -> Vec<(String, Figure)> {
    let mut out = Vec::new();
    for (name, view) in predict_fixture::views() {
        for (stem, figure) in charts::predict_figures(&view, opts).expect("predict figures") {
            out.push((format!("{stem}_{name}"), figure));
        }
    }
    out
}

/// The reach figure of a uniform prior prompted towards a 0.2 coin.
fn reach_figure(opts: &FigureOptions) -> Figure {
    let pretrain = Source::from_json("pretrain", r#"{"kind":"random","alphas":[1,1]}"#).expect("pretrain");
    let target = Source::from_json("target", r#"{"kind":"single","probs":[0.2,0.8]}"#).expect("target");
    let reach = promptlab::theory::reach(&pretrain, &target, 12, 50).expect("reach");
    charts::reach_figure(&reach, opts).expect("reach figure")
}

#[test]
fn text_is_legible_and_never_overlaps_at_any_width() {
    let results = fixture();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/chart-preview/layout");
    std::fs::create_dir_all(&dir).expect("preview dir");
    let mut failures = Vec::new();
    for width in [280, 360, 559, 560, 800, 1280, 2400] {
        for chrome in [true, false] {
            let opts = FigureOptions { width, chrome, ..FigureOptions::default() };
            let mut figures = charts::all_figure_data(&results, &opts).expect("figures");
            figures.push(("reach".into(), reach_figure(&opts)));
            let predict = predict_figures(&opts);
            let predict_stems: Vec<String> = predict.iter().map(|(s, _)| s.clone()).collect();
            figures.extend(predict);
            for (stem, figure) in figures {
                let (w, h) = (f64::from(figure.data.width), f64::from(figure.data.height));
                assert_eq!(figure.data.width, width, "{stem}: data width");
                assert!(figure.svg.contains(&format!("width=\"{width}\"")), "{stem}: svg width");
                std::fs::write(dir.join(format!("{stem}_{width}_{}.svg", if chrome { "chrome" } else { "bare" })), &figure.svg)
                    .expect("write preview");
                let (smallest, pairs, outside) = problems(&figure.svg, w, h);
                let what = format!("{stem} at {width} px, chrome {chrome}");
                if smallest < 11.0 || (predict_stems.contains(&stem) && smallest < 12.0) {
                    failures.push(format!("{what}: text of {smallest} px"));
                }
                failures.extend(pairs.iter().map(|p| format!("{what}: overlap {p}")));
                failures.extend(outside.iter().map(|o| format!("{what}: outside {o}")));
                if !chrome {
                    assert!(!figure.svg.contains(&figure.data.title), "{what}: title drawn without chrome");
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} layout problems:\n{}", failures.len(), failures.join("\n"));
}

/// The (left, top, right, bottom) of every pale label box (`<rect … opacity="0.85" fill="#FFFFFF">`).
fn label_boxes(svg: &str) -> Vec<[f64; 4]> {
    svg.split("<rect")
        .skip(1)
        .filter_map(|r| {
            let tag = &r[..r.find('>')?];
            if !(tag.contains("opacity=\"0.85\"") && tag.contains("fill=\"#FFFFFF\"")) {
                return None;
            }
            let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok()).expect("rect attribute");
            let (x, y) = (num("x"), num("y"));
            Some([x, y, x + num("width"), y + num("height")])
        })
        .collect()
}

#[test]
fn key_step_labels_sit_on_their_own_pale_box_inside_the_plot() {
    let results = fixture();
    for width in [280, 360, 800, 1280] {
        for chrome in [true, false] {
            let opts = FigureOptions { width, chrome, ..FigureOptions::default() };
            for source in chart_fixture::SOURCES {
                for f in [charts::cumulative_regret(&results, source, &opts).unwrap(), charts::instant_regret(&results, source, &opts).unwrap()] {
                    let what = format!("{} at {width} px, chrome {chrome}", f.data.name);
                    let labels: Vec<Text> = texts(&f.svg).into_iter().filter(|t| t.content.starts_with("N_")).collect();
                    let boxes = label_boxes(&f.svg);
                    assert_eq!(labels.len(), 3, "{what}: key-step labels");
                    assert_eq!(boxes.len(), labels.len(), "{what}: one box a label");
                    let p = f.data.plot;
                    for (t, b) in labels.iter().zip(&boxes) {
                        let inside = b[0] <= t.bounds[0] && b[1] <= t.bounds[1] && b[2] >= t.bounds[2] && b[3] >= t.bounds[3];
                        assert!(inside, "{what}: {:?} {:?} not on its box {b:?}", t.content, t.bounds);
                        let in_plot = b[0] >= p.left - 1.0 && b[2] <= p.left + p.width + 1.0 && b[1] >= p.top - 1.0 && b[3] <= p.top + p.height + 1.0;
                        assert!(in_plot, "{what}: box {b:?} outside the plot {p:?}");
                    }
                    for (i, a) in boxes.iter().enumerate() {
                        for b in &boxes[i + 1..] {
                            assert!(!(a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]), "{what}: boxes {a:?} and {b:?} overlap");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn axis_titles_shorten_to_whole_words() {
    // At every width and at the lowest height an axis title is a whole phrase, never cut with "…".
    let results = fixture();
    for width in [280, 300, 360, 420, 559, 800] {
        for (chrome, height) in [(true, None), (false, None), (false, Some(200)), (true, Some(200))] {
            let opts = FigureOptions { width, chrome, height, ..FigureOptions::default() };
            let mut figures = charts::all_figure_data(&results, &opts).expect("figures");
            figures.push(("reach".into(), reach_figure(&opts)));
            figures.extend(predict_figures(&opts));
            for (stem, f) in figures {
                for t in texts(&f.svg).into_iter().filter(|t| t.content.ends_with('…')) {
                    let cut = t.content.trim_end_matches('…');
                    let is_title = [&f.data.x.label, &f.data.y.label].iter().any(|l| l.starts_with(cut));
                    assert!(!is_title, "{stem} at {width} px, chrome {chrome}, height {height:?}: axis title cut to {:?}", t.content);
                }
            }
        }
    }
}

#[test]
fn the_box_estimate_sees_an_overlap() {
    // Two labels drawn at the same place must be caught, or the scan above proves nothing.
    let svg = r#"<svg><text x="10" y="10" dy="0.76em" text-anchor="start" font-size="12">N_tune</text><text x="20" y="14" dy="0.76em" text-anchor="start" font-size="10">N_train</text></svg>"#;
    let (smallest, pairs, outside) = problems(svg, 30.0, 100.0);
    assert_eq!(smallest, 10.0);
    assert_eq!(pairs.len(), 1);
    assert_eq!(outside.len(), 2);
}
