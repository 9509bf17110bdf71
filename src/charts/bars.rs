//! Grouped bars of cumulative regret at N_tune, N_train and N_eval per method on one evaluation source, with 25–75 % whiskers.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, Axes};
use super::frame;
use super::legend::{method_label, Legend, Swatch};
use super::regret::{curves, RegretKind};
use super::{palette, stats, text};
use crate::error::Result;
use crate::results::Results;

/// Fraction of a group's width filled by its bars.
const GROUP_FILL: f64 = 0.84;

/// The key steps as bar groups: (step, label), equal steps merged, in step order.
fn groups(results: &Results) -> Vec<(usize, String)> {
    let k = results.key_steps;
    let mut groups: Vec<(usize, Vec<&str>)> = Vec::new();
    for (step, name) in [(k.tune, "N_tune"), (k.train, "N_train"), (k.eval, "N_eval")] {
        match groups.iter_mut().find(|(s, _)| *s == step) {
            Some((_, names)) => names.push(name),
            None => groups.push((step, vec![name])),
        }
    }
    groups.sort_by_key(|(s, _)| *s);
    groups.into_iter().filter(|(s, _)| *s >= 1).map(|(s, names)| (s, format!("{} = {s}", names.join(" = ")))).collect()
}

/// Cumulative regret at the key steps of `source` as grouped bars (median, 25–75 % whisker), nats.
pub fn regret_bars(results: &Results, source: &str) -> Result<String> {
    let curves = curves(results, source, RegretKind::Cumulative)?;
    let groups = groups(results);
    // (group, method index, median, q25, q75)
    let at = |v: &Vec<f64>, step: usize| v.get(step - 1).copied().unwrap_or(f64::NAN);
    let mut bars = Vec::new();
    for (g, (step, _)) in groups.iter().enumerate() {
        for (i, c) in curves.iter().enumerate() {
            let (m, lo, hi) = (at(&c.median, *step), at(&c.q25, *step), at(&c.q75, *step));
            if m.is_finite() {
                bars.push((g, i, m, lo, hi));
            }
        }
    }
    let (lo, hi) = stats::finite_range(bars.iter().flat_map(|(_, _, m, lo, hi)| [m, lo, hi])).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.06, true);

    let mut legend = Legend::default();
    for c in &curves {
        let name = &c.method.method;
        legend.push(
            method_label(c.method),
            Swatch::Bar { colour: palette::colour(name), style: palette::line_style(name) },
        );
    }
    let title = format!("Cumulative regret against the oracle at the key steps on {source}");
    let subtitle = "bar: median over repetitions; whisker: 25–75 %; past N_train the net extrapolates";
    let width = GROUP_FILL / curves.len() as f64;

    frame::render(|root| {
        let body = frame::titled(root, &title, subtitle)?;
        let (plot, legend_area) = frame::with_legend(&body, legend.width());
        let chart = axes::draw(
            &plot,
            &Axes {
                x: (0.0, groups.len() as f64),
                y: (y_lo, y_hi),
                x_desc: "evaluation step",
                y_desc: "cumulative regret against the oracle (nats)",
                x_ticks: 0,
                y_ticks: 10,
                y_label_width: 0.0,
            },
        )?;
        let area = chart.plotting_area();
        let base = 0.0_f64.clamp(y_lo, y_hi);
        for &(g, i, m, q25, q75) in &bars {
            let name = &curves[i].method.method;
            let x0 = g as f64 + (1.0 - GROUP_FILL) / 2.0 + i as f64 * width;
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
        for (g, (_, name)) in groups.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(g as f64 + 0.5, y_lo));
            root.draw_text(name, &label, (px, py + 8))?;
        }
        legend.draw(&legend_area, 6)
    })
}
