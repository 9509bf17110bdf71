//! The network's best hard prefixes as bars of their loss, each with the exact Bayes loss and rank of the same prefix beside it.

use std::collections::HashMap;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, Axes};
use super::frame;
use super::legend::{Legend, Swatch};
use super::palette::{self, LineStyle};
use super::{stats, strokes, text};
use crate::error::{Error, Result};
use crate::results::Results;

/// How many prefixes [`all_figures`](super::all_figures) shows.
pub const DEFAULT_TOP: usize = 24;

/// Width of the Bayes-rank column right of the bars, px.
const RANK_COLUMN: i32 = 56;

/// A prefix as the user typed it: digits `011111` (comma-separated when a token is ≥ 10), `∅` when empty.
pub fn prefix_label(tokens: &[u32]) -> String {
    if tokens.is_empty() {
        "∅".into()
    } else if tokens.iter().all(|&t| t < 10) {
        tokens.iter().map(|t| t.to_string()).collect()
    } else {
        tokens.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(",")
    }
}

/// The `top` best prefixes of the network's HardPT ranking (loss in nats) next to the exact Bayes loss and rank of each.
pub fn hard_prefix_ranking(results: &Results, top: usize) -> Result<String> {
    let shown = &results.hard_prefix_ranking[..results.hard_prefix_ranking.len().min(top.max(1))];
    if shown.is_empty() {
        return Err(Error::invalid("hard_prefix_ranking", "empty", "a HardPT ranking with at least one prefix"));
    }
    let bayes: HashMap<&[u32], (usize, f64)> = results
        .bayes_prefix_ranking
        .iter()
        .enumerate()
        .map(|(rank, s)| (s.prefix.as_slice(), (rank + 1, s.loss)))
        .collect();
    // (label, network loss, Bayes (rank, loss)) per shown prefix.
    type Row = (String, f64, Option<(usize, f64)>);
    let rows: Vec<Row> =
        shown.iter().map(|s| (prefix_label(&s.prefix), s.loss, bayes.get(s.prefix.as_slice()).copied())).collect();

    let values = rows.iter().flat_map(|(_, net, b)| [Some(*net), b.map(|b| b.1)]).flatten().collect::<Vec<_>>();
    let (lo, hi) = stats::finite_range(&values).unwrap_or((0.0, 1.0));
    let (x_lo, x_hi) = stats::padded(lo, hi, 0.08, false);
    let n = rows.len();
    let label_width = rows.iter().map(|(l, _, _)| text::width(l, text::SMALL)).fold(0.0, f64::max);

    let net = palette::colour("HardPT");
    let mut legend = Legend::default();
    legend.push("network (HardPT)", Swatch::Bar { colour: net, style: LineStyle::Solid });
    legend.push("exact Bayes (PreBayesPT)", Swatch::Marker { colour: RGBColor(0x22, 0x22, 0x22), filled: false });
    legend.push("#k: the prefix's place", Swatch::Note);
    legend.push("in the Bayes ranking", Swatch::Note);
    let total = results.hard_prefix_ranking.len();
    let title = "Hard-prefix ranking: network vs exact Bayes";
    let subtitle = format!("the network's best {n} of {total} prefixes, best at the top; loss on the tuning sequences");

    frame::render(|root| {
        let body = frame::titled(root, title, &subtitle)?;
        let (plot, legend_area) = frame::with_legend(&body, legend.width());
        let (pw, _) = plot.dim_in_pixel();
        let (bars_area, rank_area) = plot.split_horizontally(pw - RANK_COLUMN as u32);
        let chart = axes::draw(
            &bars_area,
            &Axes {
                x: (x_lo, x_hi),
                y: (-0.5, n as f64 - 0.5),
                x_desc: "mean cumulative log loss (nats per sequence)",
                y_desc: "prefix (tokens)",
                x_ticks: 10,
                y_ticks: 0,
                y_label_width: label_width,
            },
        )?;
        let area = chart.plotting_area();
        let row_y = |i: usize| (n - 1 - i) as f64;
        let label = text::font(text::SMALL).color(&RGBColor(0x22, 0x22, 0x22));
        let ((left, _), (_, bottom)) = axes::panel(&chart);
        for (i, (name, loss, b)) in rows.iter().enumerate() {
            let y = row_y(i);
            if loss.is_finite() {
                let (a, b) = (chart.backend_coord(&(x_lo, y - 0.36)), chart.backend_coord(&(*loss, y + 0.36)));
                strokes::bar(root, a, b, net, LineStyle::Solid)?;
            }
            let (_, py) = chart.backend_coord(&(x_lo, y));
            root.draw_text(name, &label.pos(Pos::new(HPos::Right, VPos::Center)), (left - 8, py))?;
            let rank = match b {
                Some((rank, bl)) => {
                    if bl.is_finite() {
                        strokes::marker(area, (*bl, y), RGBColor(0x22, 0x22, 0x22), false)?;
                    }
                    format!("#{rank}")
                }
                None => "–".into(),
            };
            let (rx, _) = rank_area.get_base_pixel();
            root.draw_text(&rank, &label.pos(Pos::new(HPos::Left, VPos::Center)), (rx + 10, py))?;
        }
        let (rx, _) = rank_area.get_base_pixel();
        let head = text::font(text::SMALL).color(&text::MUTED).pos(Pos::new(HPos::Left, VPos::Top));
        root.draw_text("Bayes", &head, (rx + 10, bottom + 10))?;
        root.draw_text("rank", &head, (rx + 10, bottom + 25))?;
        legend.draw(&legend_area, 6)
    })
}
