//! Reachability by hard prompting: the exact excess regret of the best prefix of each length, its K → ∞ limit and the best length.

use plotters::style::{Color, RGBColor};

use super::axes::{self, Axes};
use super::frame;
use super::legend::{Legend, Swatch};
use super::palette::LineStyle;
use super::{stats, strokes};
use crate::error::Result;
use crate::theory::Reach;

/// Prefix lengths up to which every row also gets a marker.
const MARK_EVERY_ROW: usize = 60;

/// R_k against prefix length k (nats), the limit as a dashed line and the best k as a ring.
pub fn reach_figure(reach: &Reach) -> Result<String> {
    let k_max = reach.rows.len().saturating_sub(1);
    let points: Vec<(f64, f64)> = reach.rows.iter().map(|r| (r.prefix_length as f64, r.excess_regret)).collect();
    let best = reach.rows.iter().min_by(|a, b| a.excess_regret.total_cmp(&b.excess_regret));
    let values = reach.rows.iter().map(|r| &r.excess_regret).chain(std::iter::once(&reach.limit));
    let (lo, hi) = stats::finite_range(values).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.05, true);
    let x_hi = (k_max as f64).max(1.0);

    let ink = RGBColor(0x22, 0x22, 0x22);
    let grey = RGBColor(0x77, 0x77, 0x77);
    let accent = RGBColor(0xD5, 0x5E, 0x00);
    let mut legend = Legend::default();
    legend.push("best hard prefix of length k", Swatch::Line { colour: ink, style: LineStyle::Solid, band: false });
    legend.push(
        format!("limit K → ∞: {:.3} nats", reach.limit),
        Swatch::Line { colour: grey, style: LineStyle::Dashed, band: false },
    );
    if let Some(b) = best {
        legend.push(
            format!("best: k = {}, {:.3} nats", b.prefix_length, b.excess_regret),
            Swatch::Marker { colour: accent, filled: false },
        );
        legend.push(format!("counts {:?}", b.best_counts), Swatch::Note);
    }
    let title = format!("Hard prompting of {} Bayes for {}", reach.pretrain.label(), reach.target.label());
    let subtitle = format!(
        "exact excess regret over N = {} target steps (KL to the target's Bayes predictor) of the best prefix of each length",
        reach.steps
    );
    frame::render(|root| {
        let body = frame::titled(root, &title, &subtitle)?;
        let (plot, legend_area) = frame::with_legend(&body, legend.width());
        let chart = axes::draw(
            &plot,
            &Axes {
                x: (0.0, x_hi),
                y: (y_lo, y_hi),
                x_desc: "prefix length k (tokens)",
                y_desc: "excess regret (nats)",
                x_ticks: 10,
                y_ticks: 10,
                y_label_width: 0.0,
            },
        )?;
        strokes::line(&chart, [(0.0, reach.limit), (x_hi, reach.limit)], grey.to_rgba(), LineStyle::Dashed, 2)?;
        strokes::line(&chart, points.iter().copied(), ink.to_rgba(), LineStyle::Solid, 2)?;
        if k_max <= MARK_EVERY_ROW {
            for &p in points.iter().filter(|p| p.1.is_finite()) {
                strokes::marker(chart.plotting_area(), p, ink, true)?;
            }
        }
        if let Some(b) = best.filter(|b| b.excess_regret.is_finite()) {
            strokes::marker(chart.plotting_area(), (b.prefix_length as f64, b.excess_regret), accent, false)?;
        }
        legend.draw(&legend_area, 6)
    })
}
