//! Grouped bars of cumulative regret at N_tune, N_train and N_eval per method on one evaluation source, with 25–75 % whiskers.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::Axes;
use super::data::{with_quartiles, Axis, Figure, FigureData, Series, Table};
use super::frame::{self, Heading};
use super::legend::{method_label, Legend, Swatch};
use super::options::FigureOptions;
use super::regret::{curves, key_marks, Curve, RegretKind, CUMULATIVE_SHORT, SINGLE_VALUE};
use super::{describe, palette, stats, text};
use crate::error::Result;
use crate::results::Results;

/// Fraction of a group's width filled by its bars.
const GROUP_FILL: f64 = 0.84;

/// The key steps in 1..=`evaluated` as bar groups: (step, "N_train = N_eval", label lines), equal steps
/// merged, in step order; when a label is wider than `room` px every label goes on two lines
/// ("N_train = N_eval" over "= 200"), or one name a line.
fn groups(results: &Results, evaluated: usize, room: f64) -> Vec<(usize, String, Vec<String>)> {
    let marks = key_marks(results.key_steps, evaluated);
    // One rule for every group, so the labels line up: all on one line, or all split.
    let one_line = marks.iter().all(|(s, names)| text::width(&format!("{names} = {s}"), text::SMALL) <= room);
    let two_lines = marks.iter().all(|(_, names)| text::width(names, text::SMALL) <= room);
    marks
        .into_iter()
        .map(|(s, names)| {
            let lines = if one_line {
                vec![format!("{names} = {s}")]
            } else if two_lines {
                vec![names.clone(), format!("= {s}")]
            } else {
                let mut lines: Vec<String> = names.split(" = ").map(str::to_string).collect();
                lines.push(format!("= {s}"));
                lines
            };
            (s, names, lines)
        })
        .collect()
}

/// The subtitle: what bars and whiskers are, and why a key step past the evaluated steps has no group.
fn subtitle(results: &Results, evaluated: usize) -> String {
    let k = results.key_steps;
    let mut out = "bar: median over repetitions; whisker: 25–75 %".to_string();
    if k.train < evaluated {
        out.push_str("; past N_train the net extrapolates");
    }
    let all = key_marks(k, k.eval.max(k.train).max(k.tune));
    let past: Vec<String> = all.iter().filter(|(s, _)| *s > evaluated).map(|(s, names)| format!("{names} = {s}")).collect();
    if !past.is_empty() {
        out.push_str(&format!("; no bars at {}: past the last evaluated step ({evaluated})", past.join(" or ")));
    }
    out
}

/// Cumulative regret at the key steps of `source` as grouped bars (median, 25–75 % whisker), nats;
/// series keys are the method labels, x the group index.
pub fn regret_bars(results: &Results, source: &str, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
    let all = curves(results, source, RegretKind::Cumulative)?;
    let curves: Vec<&Curve> = all.iter().filter(|c| opts.shows(&c.method.method)).collect();
    let mut legend = Legend::default();
    for c in &curves {
        let name = &c.method.method;
        legend.push(method_label(c.method), Swatch::Bar { colour: palette::colour(name), style: palette::line_style(name) });
    }
    // Room per group: the width left of the legend column, less the y axis, shared by up to three groups.
    let beside = if opts.chrome && !opts.legend_below() { legend.width().min(f64::from(opts.width) / 2.0) } else { 0.0 };
    let room = ((f64::from(opts.width) - beside - 90.0) / 3.0 - 8.0).max(30.0);
    let evaluated = all.iter().map(|c| c.median.len()).max().unwrap_or(0);
    let groups = groups(results, evaluated, room);
    let lines = groups.iter().map(|(_, _, l)| l.len()).max().unwrap_or(1) as u32;
    // (group, method index, median, q25, q75)
    let at = |v: &Vec<f64>, step: usize| v.get(step - 1).copied().unwrap_or(f64::NAN);
    let mut bars = Vec::new();
    for (g, (step, _, _)) in groups.iter().enumerate() {
        for (i, c) in curves.iter().enumerate() {
            let (m, lo, hi) = (at(&c.median, *step), at(&c.q25, *step), at(&c.q75, *step));
            if m.is_finite() {
                bars.push((g, i, m, lo, hi));
            }
        }
    }
    let (lo, hi) = stats::finite_range(bars.iter().flat_map(|(_, _, m, lo, hi)| [m, lo, hi])).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.06, true);

    let title = format!("Cumulative regret against the oracle at the key steps on {source}");
    let subtitle = subtitle(results, evaluated);
    let y_desc = "cumulative regret against the oracle (nats)";
    let width = GROUP_FILL / curves.len().max(1) as f64;
    let heading = Heading::new(opts, &title, &subtitle);
    let x_range = (-0.5, groups.len().max(1) as f64 - 0.5);
    let axes = Axes {
        x: x_range,
        y: (y_lo, y_hi),
        x_desc: "evaluation step",
        x_short: &["step"],
        y_desc,
        y_short: CUMULATIVE_SHORT,
        x_ticks: 0,
        x_lines: lines - 1,
        ..Axes::default()
    };
    let drawn = frame::plot(opts, &heading, &legend, &axes, !curves.is_empty(), |root, chart| {
        let area = chart.plotting_area();
        let base = 0.0_f64.clamp(y_lo, y_hi);
        for &(g, i, m, q25, q75) in &bars {
            let name = &curves[i].method.method;
            let x0 = g as f64 - 0.5 + (1.0 - GROUP_FILL) / 2.0 + i as f64 * width;
            let x1 = x0 + width * 0.86;
            let (a, b) = (chart.backend_coord(&(x0, base)), chart.backend_coord(&(x1, m)));
            super::strokes::bar(root, a, b, palette::colour(name), palette::line_style(name))?;
            if q25.is_finite() && q75.is_finite() && q75 > q25 {
                let xc = (x0 + x1) / 2.0;
                let whisker = RGBColor(0x22, 0x22, 0x22).stroke_width(1);
                area.draw(&PathElement::new(vec![(xc, q25), (xc, q75)], whisker))?;
                let cap = (x1 - x0) * 0.3;
                for y in [q25, q75] {
                    area.draw(&PathElement::new(vec![(xc - cap, y), (xc + cap, y)], whisker))?;
                }
            }
        }
        // Group labels under the axis, where tick labels would be.
        let label = text::font(text::SMALL).color(&RGBColor(0x22, 0x22, 0x22)).pos(Pos::new(HPos::Center, VPos::Top));
        for (g, (_, _, names)) in groups.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(g as f64, y_lo));
            for (k, line) in names.iter().enumerate() {
                root.draw_text(line, &label, (px, py + 8 + 14 * k as i32))?;
            }
        }
        Ok(())
    })?;

    let names: Vec<String> = groups.iter().map(|(s, names, _)| format!("{names} = {s}")).collect();
    let mut data = FigureData::new(format!("bars_{}", super::file_stem(source)), title, subtitle, "x");
    data.place(drawn.size, drawn.plot);
    data.x = Axis::categories("evaluation step", names.clone());
    data.y = Axis::linear(y_desc, (y_lo, y_hi));
    for c in &all {
        let mut s = Series::method(&c.method.method, method_label(c.method), "bar");
        if opts.shows(&c.method.method) {
            s.x = (0..groups.len()).map(|g| g as f64).collect();
            s.y = groups.iter().map(|(step, _, _)| at(&c.median, *step)).collect();
            if c.method.repetitions.len() > 1 {
                s.q25 = Some(groups.iter().map(|(step, _, _)| at(&c.q25, *step)).collect());
                s.q75 = Some(groups.iter().map(|(step, _, _)| at(&c.q75, *step)).collect());
            }
        } else {
            s.hidden = true;
        }
        data.series.push(s);
    }
    data.table = Table {
        caption: format!("Cumulative regret against the oracle on {source} (nats): median [25 %, 75 %] over repetitions, at the key steps; {SINGLE_VALUE}"),
        columns: std::iter::once("method".to_string()).chain(names).collect(),
        rows: curves
            .iter()
            .map(|c| {
                let spread = c.method.repetitions.len() > 1;
                let cells = groups.iter().map(|(s, _, _)| {
                    with_quartiles(at(&c.median, *s), spread.then(|| at(&c.q25, *s)), spread.then(|| at(&c.q75, *s)))
                });
                std::iter::once(method_label(c.method)).chain(cells).collect()
            })
            .collect(),
    };
    let last = groups.last().map_or(0, |(s, _, _)| *s);
    let ends: Vec<(String, f64)> = curves.iter().map(|c| (c.method.method.clone(), at(&c.median, last.max(1)))).collect();
    data.summary = format!(
        "{}{}",
        describe::lowest_highest(&format!("After {last} steps"), &ends, "nats"),
        describe::divergences(curves.iter().map(|c| c.method))
    );
    Ok(Figure { svg: drawn.svg, data })
}
