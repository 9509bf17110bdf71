//! The Predict view's next-flip figure: exact Bayes's and the network's P(next flip = H) after each flip read, the flips as squares above the plot.

use plotters::prelude::*;

use super::axes::{Axes, Chart};
use super::data::{prob, Axis, Figure, FigureData, Series, Table};
use super::frame::{self, Area, DrawResult, Heading};
use super::legend::{Legend, Swatch};
use super::options::FigureOptions;
use super::palette::{dash_pattern, LineStyle};
use super::strokes;
use crate::error::{Error, Result};
use crate::predict::PredictView;

/// Exact Bayes: black, dashed; the network: blue (as on the page).
pub(crate) const BAYES: RGBColor = RGBColor(0x00, 0x00, 0x00);
pub(crate) const NETWORK: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Their legend labels.
const BAYES_LABEL: &str = "exact Bayes";
const NETWORK_LABEL: &str = "network";
/// Most points that still get a marker each, and most flips drawn as squares above the plot.
const MARKERS_UP_TO: usize = 61;
const STRIP_UP_TO: usize = 200;
/// Room above the plot for the strip of flips, px.
const STRIP_ROOM: u32 = 14;

/// Flips as the letters H (token 0) and T (any other).
pub(crate) fn as_ht(tokens: &[u32]) -> String {
    tokens.iter().map(|&t| if t == 0 { 'H' } else { 'T' }).collect()
}

/// The key numbers of flips of 0..=n: each up to 10, else 0, a quarter, a half, three quarters and n.
fn key_steps(n: usize) -> Vec<usize> {
    if n <= 10 {
        return (0..=n).collect();
    }
    let at = |q: f64| (n as f64 * q).round() as usize;
    let mut steps = vec![0, at(0.25), at(0.5), at(0.75), n];
    steps.dedup();
    steps
}

/// The line of P(token 0) per row, x = flips read.
fn p0_column(rows: &[Vec<f64>]) -> Vec<f64> {
    rows.iter().map(|r| r.first().copied().unwrap_or(f64::NAN)).collect()
}

/// "n flips: h H, t T" and the prompt both predictors read first, if any.
pub(crate) fn flips_words(view: &PredictView) -> String {
    let n = view.flips.len();
    let heads = view.flips.iter().filter(|&&t| t == 0).count();
    let mut words = match n {
        0 => "no flips yet".to_string(),
        _ => format!("{n} flip{}: {heads} H, {} T", if n == 1 { "" } else { "s" }, n - heads),
    };
    if !view.hard.is_empty() {
        let k = view.hard.len();
        words.push_str(&format!("; both read the hard prompt {} ({k} flip{}) first", as_ht(&view.hard), if k == 1 { "" } else { "s" }));
    }
    words
}

/// Filled squares for H and open ones for T above the plot, one over each flip's x.
fn strip(root: &Area, chart: &Chart, flips: &[u32], x_hi: f64) -> DrawResult<()> {
    let (left, top) = chart.backend_coord(&(0.0, 1.0));
    let (right, _) = chart.backend_coord(&(x_hi, 1.0));
    let size = ((f64::from(right - left) / x_hi.max(1.0)) * 0.7).clamp(2.0, 8.0).round() as i32;
    let y0 = top - 4 - size;
    for (i, &t) in flips.iter().enumerate() {
        let (cx, _) = chart.backend_coord(&((i + 1) as f64, 1.0));
        let (a, b) = ((cx - size / 2, y0), (cx - size / 2 + size, y0 + size));
        if t == 0 {
            root.draw(&Rectangle::new([a, b], BAYES.filled()))?;
        } else {
            root.draw(&Rectangle::new([a, b], WHITE.filled()))?;
            root.draw(&Rectangle::new([a, b], RGBColor(0x66, 0x66, 0x66).stroke_width(1)))?;
        }
    }
    Ok(())
}

/// P(next flip = H) after 0, 1, …, n flips for the network (series `network`, when the view has one)
/// and exact Bayes (`bayes`), straight from the view's rows; readout "x", a table at the key numbers of flips.
pub fn predictive_figure(view: &PredictView, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
    let n = view.flips.len();
    let rows_ok = |rows: &[Vec<f64>]| rows.len() == n + 1;
    if !rows_ok(&view.bayes) || view.network.as_deref().is_some_and(|r| !rows_ok(r)) {
        return Err(Error::invalid("view", "rows", format!("{} rows of predictions, one per number of flips read", n + 1)));
    }
    let xs: Vec<f64> = (0..=n).map(|k| k as f64).collect();
    let x_hi = n.max(4) as f64;
    // (key, label, colour, dashed, P(H) per row), in the page's order.
    let mut lines: Vec<(&str, &str, RGBColor, bool, Vec<f64>)> = Vec::new();
    if let Some(rows) = &view.network {
        lines.push(("network", NETWORK_LABEL, NETWORK, false, p0_column(rows)));
    }
    lines.push(("bayes", BAYES_LABEL, BAYES, true, p0_column(&view.bayes)));
    let style = |dashed: bool| if dashed { LineStyle::Dashed } else { LineStyle::Solid };
    let shown: Vec<&(&str, &str, RGBColor, bool, Vec<f64>)> = lines.iter().filter(|l| opts.shows(l.0)).collect();

    let mut legend = Legend::default();
    for l in shown.iter().rev() {
        legend.push(l.1, Swatch::Line { colour: l.2, style: style(l.3), band: false });
    }
    let title = "P(next flip = H) after each flip: exact Bayes and the network";
    let subtitle = flips_words(view);
    let (x_desc, y_desc) = ("flips seen", "P(next = H)");
    let heading = Heading::new(opts, title, &subtitle);
    let with_strip = (1..=STRIP_UP_TO).contains(&n);
    let axes = Axes {
        x: (0.0, x_hi),
        y: (0.0, 1.0),
        x_desc,
        y_desc,
        x_ticks: (x_hi as usize + 1).min(10),
        top_room: if with_strip { STRIP_ROOM } else { 0 },
        ..Axes::default()
    };
    let drawn = frame::plot(opts, &heading, &legend, &axes, !shown.is_empty(), |root, chart| {
        if with_strip {
            strip(root, chart, &view.flips, x_hi)?;
        }
        for l in &shown {
            strokes::line(chart, xs.iter().copied().zip(l.4.iter().copied()), l.2.to_rgba(), style(l.3), 2)?;
        }
        if n < MARKERS_UP_TO {
            for l in &shown {
                for (&x, &y) in xs.iter().zip(&l.4).filter(|(_, y)| y.is_finite()) {
                    strokes::marker(chart.plotting_area(), (x, y), l.2, !l.3)?;
                }
            }
        }
        Ok(())
    })?;

    let mut data = FigureData::new("predictive", title, subtitle, "x");
    data.place(drawn.size, drawn.plot);
    data.x = Axis::linear(x_desc, (0.0, x_hi));
    data.y = Axis::linear(y_desc, (0.0, 1.0));
    for l in &lines {
        let colour = if l.3 { "#000000" } else { "#0072B2" };
        let mut s = Series::plain(l.0, l.1, colour, "line");
        s.dash = dash_pattern(style(l.3)).map(|(d, g)| format!("{d} {g}"));
        if opts.shows(l.0) {
            (s.x, s.y) = (xs.clone(), l.4.clone());
        } else {
            s.hidden = true;
        }
        data.series.push(s);
    }
    let steps = key_steps(n);
    data.table = Table {
        caption: "P(next flip = H) after the key numbers of flips".into(),
        columns: std::iter::once("series".to_string()).chain(steps.iter().map(|k| format!("after {k}"))).collect(),
        rows: shown.iter().map(|l| std::iter::once(l.1.to_string()).chain(steps.iter().map(|&k| prob(l.4[k]))).collect()).collect(),
    };
    if with_strip {
        data.notes.push("squares above the plot: the flips, filled H, open T".into());
    }
    let after = format!("after {n} flip{}", if n == 1 { "" } else { "s" });
    let parts: Vec<String> = shown.iter().map(|l| format!("{} {} {after}", l.1, prob(l.4[n]))).collect();
    data.summary = if parts.is_empty() {
        "P(next flip = H): every series is hidden.".into()
    } else {
        format!("P(next flip = H): {}.", parts.join("; "))
    };
    Ok(Figure { svg: drawn.svg, data })
}

#[cfg(test)]
mod tests {
    use super::key_steps;

    #[test]
    fn key_steps_are_every_step_or_the_quarters() {
        assert_eq!(key_steps(0), vec![0]);
        assert_eq!(key_steps(10), (0..=10).collect::<Vec<_>>());
        assert_eq!(key_steps(11), vec![0, 3, 6, 8, 11]);
        assert_eq!(key_steps(100), vec![0, 25, 50, 75, 100]);
    }
}
