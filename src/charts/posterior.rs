//! The Predict view's posterior figure: exact Bayes's belief about the coin's bias P(H) after the flips (a Beta density, the weights of the mixture's coins, or the known bias), with the network's P(next = H) beside it.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{Axes, Chart};
use super::data::{prob, Axis, Figure, FigureData, Series, Table};
use super::frame::{self, Area, DrawResult, Heading};
use super::legend::{Legend, Swatch};
use super::options::FigureOptions;
use super::palette::LineStyle;
use super::predictive::{flips_words, BAYES, NETWORK};
use super::{strokes, text};
use crate::bayes::BiasPosterior;
use crate::error::Result;
use crate::predict::PredictView;

/// The density's fill (as on the page).
const FILL: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);
/// The biases the density table is read at (the grid point nearest each).
const TABLE_BIASES: [f64; 9] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/// Bar widths in units of bias: a mixture's coins, the single coin.
const COIN_BAR: f64 = 0.03;
const POINT_BAR: f64 = 0.02;
/// Room a bar's label needs above the bar, px.
const LABEL_ROOM: i32 = 20;
const NET_LABEL: &str = "network P(next = H)";

/// Six significant digits, trailing zeros cut ("8", "1.5", "0.333333"), as the page prints Beta parameters.
fn short(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return if v == 0.0 { "0".into() } else { "–".into() };
    }
    let decimals = (5 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Four significant digits (exponent form outside 1e-4..1e5), as the page's readouts and Data tables write a density.
fn sig4(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    if v.abs() >= 1e5 || v.abs() < 1e-4 {
        return format!("{v:.3e}");
    }
    short(format!("{v:.3e}").parse().unwrap_or(v))
}

/// The index of the grid point nearest `v` (the first of equally near ones), `None` outside the grid.
fn nearest(xs: &[f64], v: f64) -> Option<usize> {
    let (lo, hi) = (xs.first()?, xs.last()?);
    if v < *lo || v > *hi {
        return None;
    }
    let mut best = 0;
    for (i, x) in xs.iter().enumerate() {
        if (x - v).abs() < (xs[best] - v).abs() {
            best = i;
        }
    }
    Some(best)
}

/// A coin's name: A and B for two coins, else 1, 2, ….
fn coin_name(i: usize, count: usize) -> String {
    if count == 2 {
        ["A", "B"][i].into()
    } else {
        (i + 1).to_string()
    }
}

/// What one kind of posterior draws.
struct Shape {
    title: String,
    y_desc: &'static str,
    y_hi: f64,
    /// Density points (x, y) drawn as a filled curve.
    curve: Vec<(f64, f64)>,
    /// Bars (bias, height, half width, label).
    bars: Vec<(f64, f64, f64, String)>,
    /// The posterior mean = Bayes P(next = H), drawn dashed (none for a known bias).
    mean: Option<f64>,
    /// The posterior's own series.
    series: Series,
    table: Table,
    summary: String,
    notes: Vec<String>,
    legend: Legend,
}

/// The legend rows of the posterior mean: a dashed line "Bayes P(next = H) m" and what it is.
fn mean_rows(legend: &mut Legend, mean: f64) {
    legend.push(format!("Bayes P(next = H) {}", prob(mean)), Swatch::Line { colour: BAYES, style: LineStyle::Dashed, band: false });
    legend.push("= the posterior mean", Swatch::Note);
}

/// What `post` draws, its series, table, summary and legend; `net` is the network's P(next = H).
fn shape(post: &BiasPosterior, net: Option<f64>) -> Shape {
    let net_words = net.map_or(String::new(), |p| format!("; the network's P(next = H) is {}", prob(p)));
    let mean_words = |m: f64| format!("mean {} = Bayes P(next = H)", prob(m));
    let mut legend = Legend::default();
    match post {
        BiasPosterior::Beta { a, b, mean, points, density } => {
            let peak = density.iter().copied().filter(|d| d.is_finite()).fold(f64::NEG_INFINITY, f64::max);
            let y_hi = (peak * 1.1).max(1.2).min(1e6);
            let name = format!("Beta({}, {}) density", short(*a), short(*b));
            let mut series = Series::plain("posterior", name.clone(), "#000000", "band");
            series.toggle = false;
            (series.x, series.y) = (points.clone(), density.clone());
            let row = std::iter::once(name.clone())
                .chain(TABLE_BIASES.iter().map(|&v| nearest(points, v).map_or("–".into(), |i| sig4(density[i]))));
            legend.push(name.clone(), Swatch::Line { colour: BAYES, style: LineStyle::Solid, band: true });
            mean_rows(&mut legend, *mean);
            Shape {
                title: format!("Beta({a}, {b}) posterior density of the bias"),
                y_desc: "density",
                y_hi,
                curve: points.iter().copied().zip(density.iter().copied()).collect(),
                bars: Vec::new(),
                mean: Some(*mean),
                series,
                table: Table {
                    caption: "Posterior density at the grid point nearest each bias".into(),
                    columns: std::iter::once("series".to_string()).chain(TABLE_BIASES.iter().map(|b| format!("bias ≈ {b}"))).collect(),
                    rows: vec![row.collect()],
                },
                summary: format!(
                    "Exact Bayes's posterior over the bias is Beta({}, {}), mean {} = Bayes P(next = H){net_words}.",
                    short(*a),
                    short(*b),
                    prob(*mean)
                ),
                notes: vec![mean_words(*mean)],
                legend,
            }
        }
        BiasPosterior::Mixture { weights, p0, mean } => {
            let k = p0.len();
            let names: Vec<String> = (0..k).map(|i| coin_name(i, k)).collect();
            let mut series = Series::plain("posterior", "posterior weight", "#000000", "bar");
            series.toggle = false;
            (series.x, series.y, series.labels) = (p0.clone(), weights.clone(), Some(names.clone()));
            let list = |v: &[f64]| v.iter().map(|&x| prob(x)).collect::<Vec<_>>().join(" / ");
            legend.push(format!("posterior weights (coin {})", names.join(" / ")), Swatch::Bar { colour: BAYES, style: LineStyle::Solid });
            legend.push(list(weights), Swatch::Note);
            mean_rows(&mut legend, *mean);
            Shape {
                title: "posterior weight of each coin".into(),
                y_desc: "posterior weight",
                y_hi: 1.12,
                curve: Vec::new(),
                bars: (0..k).map(|i| (p0[i], weights[i], COIN_BAR / 2.0, names[i].clone())).collect(),
                mean: Some(*mean),
                series,
                table: Table {
                    caption: "Posterior weight of each coin".into(),
                    columns: ["coin", "bias P(H)", "posterior weight"].map(String::from).to_vec(),
                    rows: (0..k).map(|i| vec![names[i].clone(), prob(p0[i]), prob(weights[i])]).collect(),
                },
                summary: format!(
                    "Exact Bayes's posterior weights of the coins {} are {}, mean {} = Bayes P(next = H){net_words}.",
                    list(p0),
                    list(weights),
                    prob(*mean)
                ),
                notes: Vec::new(),
                legend,
            }
        }
        BiasPosterior::Point { p0 } => {
            let mut series = Series::plain("posterior", "probability", "#000000", "bar");
            series.toggle = false;
            (series.x, series.y) = (vec![*p0], vec![1.0]);
            legend.push(format!("known bias {}", prob(*p0)), Swatch::Bar { colour: BAYES, style: LineStyle::Solid });
            legend.push("= Bayes P(next = H)", Swatch::Note);
            let mut rows = vec![vec!["bias P(H)".to_string(), prob(*p0)]];
            rows.extend(net.map(|p| vec!["network P(next = H)".to_string(), prob(p)]));
            Shape {
                title: "point mass: the bias is known".into(),
                y_desc: "probability",
                y_hi: 1.0,
                curve: Vec::new(),
                bars: vec![(*p0, 1.0, POINT_BAR / 2.0, String::new())],
                mean: None,
                series,
                table: Table { caption: "The known bias".into(), columns: vec!["what".into(), "value".into()], rows },
                summary: format!("The bias is known: {} = Bayes P(next = H){net_words}.", prob(*p0)),
                notes: Vec::new(),
                legend,
            }
        }
    }
}

/// A vertical line across the plot at bias `x`.
fn vline(chart: &Chart, x: f64, y_hi: f64, colour: RGBColor, style: LineStyle) -> DrawResult<()> {
    if !x.is_finite() {
        return Ok(());
    }
    strokes::line(chart, [(x, 0.0), (x, y_hi)], colour.to_rgba(), style, 2)
}

/// The bars, from the axis up to their height.
fn bars(root: &Area, chart: &Chart, bars: &[(f64, f64, f64, String)]) -> DrawResult<()> {
    for (x, y, half, _) in bars {
        let (left, top) = chart.backend_coord(&(x - half, *y));
        let (right, bottom) = chart.backend_coord(&(x + half, 0.0));
        strokes::bar(root, (left, top), (right.max(left + 2), bottom), BAYES, LineStyle::Solid)?;
    }
    Ok(())
}

/// The bars' labels on a pale box over the lines: above a bar where there is room, else beside its top.
fn bar_labels(root: &Area, chart: &Chart, bars: &[(f64, f64, f64, String)]) -> DrawResult<()> {
    let (_, plot_top) = chart.backend_coord(&(0.0, chart.y_range().end));
    let right_edge = chart.backend_coord(&(1.0, 0.0)).0;
    let font = text::bold(text::SMALL);
    for (x, y, half, label) in bars.iter().filter(|b| !b.3.is_empty()) {
        let (left, top) = chart.backend_coord(&(x - half, *y));
        let right = chart.backend_coord(&(x + half, 0.0)).0.max(left + 2);
        let w = text::width(label, text::SMALL).ceil() as i32;
        let h = text::SMALL as i32;
        // (left, top) of the label's box.
        let at = if top - plot_top >= LABEL_ROOM {
            ((left + right - w) / 2, top - 4 - h)
        } else if right + 6 + w <= right_edge {
            (right + 4, top.max(plot_top) + 2)
        } else {
            (left - 4 - w, top.max(plot_top) + 2)
        };
        root.draw(&Rectangle::new([(at.0 - 2, at.1 - 1), (at.0 + w + 2, at.1 + h + 1)], WHITE.mix(0.85).filled()))?;
        root.draw_text(label, &font.clone().pos(Pos::new(HPos::Left, VPos::Top)), at)?;
    }
    Ok(())
}

/// Exact Bayes's posterior over the bias after the view's prompt and flips (series `posterior`, not
/// toggleable) and the network's P(next = H) as a blue line (`network`, when the view has one);
/// readout "x", a table of the density at round biases (or of the coins' weights).
pub fn posterior_figure(view: &PredictView, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
    let net = view.network_p0();
    let shown_net = net.filter(|_| opts.shows("network"));
    let mut s = shape(&view.posterior, net);
    if let Some(p) = shown_net {
        let label = format!("network P(next = H) {}", prob(p));
        s.legend.push(label, Swatch::Line { colour: NETWORK, style: LineStyle::Solid, band: false });
    }
    let subtitle = match (view.flips.len(), view.hard.len()) {
        (0, 0) => "the prior: no flips yet".to_string(),
        (0, _) => flips_words(view),
        _ => format!("after {}", flips_words(view)),
    };
    let x_desc = "bias P(H)";
    let heading = Heading::new(opts, &s.title, &subtitle);
    let axes = Axes { x: (0.0, 1.0), y: (0.0, s.y_hi), x_desc, y_desc: s.y_desc, ..Axes::default() };
    let drawn = frame::plot(opts, &heading, &s.legend, &axes, true, |root, chart| {
        if s.curve.len() > 1 {
            let (xs, ys): (Vec<f64>, Vec<f64>) = s.curve.iter().copied().unzip();
            let zeros = vec![0.0; xs.len()];
            let capped: Vec<f64> = ys.iter().map(|y| y.min(s.y_hi)).collect();
            strokes::band(chart, &xs, &zeros, &capped, FILL, 0.3)?;
            strokes::line(chart, xs.iter().copied().zip(capped.iter().copied()), BAYES.to_rgba(), LineStyle::Solid, 2)?;
        }
        bars(root, chart, &s.bars)?;
        if let Some(m) = s.mean {
            vline(chart, m, s.y_hi, BAYES, LineStyle::Dashed)?;
        }
        if let Some(p) = shown_net {
            vline(chart, p, s.y_hi, NETWORK, LineStyle::Solid)?;
        }
        bar_labels(root, chart, &s.bars)
    })?;

    let mut data = FigureData::new("posterior", s.title, subtitle, "x");
    data.place(drawn.size, drawn.plot);
    data.x = Axis::linear(x_desc, (0.0, 1.0));
    data.y = Axis::linear(s.y_desc, (0.0, s.y_hi));
    data.series.push(s.series);
    if let Some(p) = net {
        let mut line = Series::plain("network", NET_LABEL, "#0072B2", "line");
        if shown_net.is_some() {
            (line.x, line.y) = (vec![p, p], vec![0.0, s.y_hi]);
        } else {
            line.hidden = true;
        }
        data.series.push(line);
    }
    data.table = s.table;
    data.summary = s.summary;
    data.notes = s.notes;
    Ok(Figure { svg: drawn.svg, data })
}

#[cfg(test)]
mod tests {
    use super::{nearest, short, sig4};

    #[test]
    fn numbers_read_like_the_page() {
        assert_eq!(short(8.0), "8");
        assert_eq!(short(1.5), "1.5");
        assert_eq!(short(1.0 / 3.0), "0.333333");
        assert_eq!(sig4(1.23456), "1.235");
        assert_eq!(sig4(0.0), "0");
        assert_eq!(sig4(2.0e-5), "2.000e-5");
    }

    #[test]
    fn nearest_takes_the_first_of_equals() {
        let xs: Vec<f64> = (0..4).map(|i| (i as f64 + 0.5) / 4.0).collect();
        assert_eq!(nearest(&xs, 0.5), Some(1));
        assert_eq!(nearest(&xs, 0.8), Some(3));
        assert_eq!(nearest(&xs, 0.9), None);
        assert_eq!(nearest(&xs, 0.05), None);
    }
}
