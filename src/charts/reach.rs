//! Reachability by hard prompting: the exact excess regret of the best prefix of each length, its K → ∞ limit and the best length.

use plotters::style::{Color, RGBColor};

use super::axes::Axes;
use super::data::{sig3, Axis, Figure, FigureData, Series, Table};
use super::frame::{self, Heading};
use super::legend::{Legend, Swatch};
use super::options::FigureOptions;
use super::palette::LineStyle;
use super::{stats, strokes};
use crate::error::Result;
use crate::theory::Reach;

/// Prefix lengths up to which every row also gets a marker.
const MARK_EVERY_ROW: usize = 60;

/// R_k against prefix length k (nats), the limit as a dashed line and the best k as a ring;
/// series keys `reach` (the curve), `limit` and `best` (not toggleable).
pub fn reach_figure(reach: &Reach, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
    let k_max = reach.rows.len().saturating_sub(1);
    let points: Vec<(f64, f64)> = reach.rows.iter().map(|r| (r.prefix_length as f64, r.excess_regret)).collect();
    let best = reach.rows.iter().min_by(|a, b| a.excess_regret.total_cmp(&b.excess_regret));
    let (show_curve, show_limit) = (opts.shows("reach"), opts.shows("limit"));
    let values = reach
        .rows
        .iter()
        .map(|r| &r.excess_regret)
        .filter(|_| show_curve)
        .chain(std::iter::once(&reach.limit).filter(|_| show_limit))
        .chain(best.map(|b| &b.excess_regret));
    let (lo, hi) = stats::finite_range(values).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.05, true);
    let x_hi = (k_max as f64).max(1.0);

    let ink = RGBColor(0x22, 0x22, 0x22);
    let grey = RGBColor(0x77, 0x77, 0x77);
    let accent = RGBColor(0xD5, 0x5E, 0x00);
    let curve_label = "best hard prefix of length k";
    let limit_label = format!("limit K → ∞: {:.3} nats", reach.limit);
    let mut legend = Legend::default();
    if show_curve {
        legend.push(curve_label, Swatch::Line { colour: ink, style: LineStyle::Solid, band: false });
    }
    if show_limit {
        legend.push(limit_label.clone(), Swatch::Line { colour: grey, style: LineStyle::Dashed, band: false });
    }
    let best_label = best.map(|b| format!("best: k = {}, {:.3} nats", b.prefix_length, b.excess_regret));
    let counts = best.map(|b| format!("counts {:?}", b.best_counts));
    if let (Some(l), Some(c)) = (&best_label, &counts) {
        legend.push(l.clone(), Swatch::Marker { colour: accent, filled: false });
        legend.push(c.clone(), Swatch::Note);
    }
    let title = format!("Hard prompting of {} Bayes for {}", reach.pretrain.label(), reach.target.label());
    let subtitle = format!(
        "exact excess regret over N = {} target steps (KL to the target's Bayes predictor) of the best prefix of each length",
        reach.steps
    );
    let (x_desc, y_desc) = ("prefix length k (tokens)", "excess regret (nats)");
    let heading = Heading::new(opts, &title, &subtitle);
    let axes = Axes {
        x: (0.0, x_hi),
        y: (y_lo, y_hi),
        x_desc,
        x_short: &["prefix length k", "k (tokens)"],
        y_desc,
        y_short: &["regret (nats)"],
        ..Axes::default()
    };
    let drawn = frame::plot(opts, &heading, &legend, &axes, show_curve || show_limit, |_, chart| {
        if show_limit {
            strokes::line(chart, [(0.0, reach.limit), (x_hi, reach.limit)], grey.to_rgba(), LineStyle::Dashed, 2)?;
        }
        if show_curve {
            strokes::line(chart, points.iter().copied(), ink.to_rgba(), LineStyle::Solid, 2)?;
            if k_max <= MARK_EVERY_ROW {
                for &p in points.iter().filter(|p| p.1.is_finite()) {
                    strokes::marker(chart.plotting_area(), p, ink, true)?;
                }
            }
        }
        if let Some(b) = best.filter(|b| b.excess_regret.is_finite()) {
            strokes::marker(chart.plotting_area(), (b.prefix_length as f64, b.excess_regret), accent, false)?;
        }
        Ok(())
    })?;

    let mut data = FigureData::new("reach", title, subtitle, "x");
    data.place(drawn.size, drawn.plot);
    data.x = Axis::linear(x_desc, (0.0, x_hi));
    data.y = Axis::linear(y_desc, (y_lo, y_hi));
    let mut curve = Series::plain("reach", curve_label, "#222222", "line");
    if show_curve {
        curve.x = points.iter().map(|p| p.0).collect();
        curve.y = points.iter().map(|p| p.1).collect();
    } else {
        curve.hidden = true;
    }
    let mut limit = Series::plain("limit", limit_label, "#777777", "line");
    limit.dash = Some("7 4".into());
    if show_limit {
        (limit.x, limit.y) = (vec![0.0, x_hi], vec![reach.limit, reach.limit]);
    } else {
        limit.hidden = true;
    }
    data.series = vec![curve, limit];
    if let (Some(b), Some(l)) = (best, &best_label) {
        let mut s = Series::plain("best", l.clone(), "#D55E00", "ring");
        s.toggle = false;
        (s.x, s.y) = (vec![b.prefix_length as f64], vec![b.excess_regret]);
        data.series.push(s);
    }
    data.notes = counts.into_iter().collect();
    let mut marks: Vec<usize> = [0, k_max / 4, k_max / 2, 3 * k_max / 4, k_max].to_vec();
    if let Some(b) = best {
        marks.push(b.prefix_length);
    }
    marks.sort_unstable();
    marks.dedup();
    data.table = Table {
        caption: format!("Exact excess regret (nats over {} target steps) of the best hard prefix of each shown length k", reach.steps),
        columns: ["k", "excess regret (nats)", "best counts"].map(String::from).to_vec(),
        rows: marks
            .iter()
            .filter_map(|&k| reach.rows.iter().find(|r| r.prefix_length == k))
            .map(|r| vec![r.prefix_length.to_string(), sig3(r.excess_regret), format!("{:?}", r.best_counts)])
            .collect(),
    };
    data.summary = match best {
        Some(b) => format!(
            "The best hard prefix has length k = {} ({} nats of excess regret); as K → ∞ the best reaches {} nats.",
            b.prefix_length,
            sig3(b.excess_regret),
            sig3(reach.limit)
        ),
        None => format!("As K → ∞ the best hard prefix reaches {} nats.", sig3(reach.limit)),
    };
    Ok(Figure { svg: drawn.svg, data })
}
