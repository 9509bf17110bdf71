//! The network's best hard prefixes as a dot plot of their loss, each with the exact Bayes loss and rank of the same prefix beside it.

use std::collections::HashMap;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, Axes};
use super::data::{sig3, Axis, Figure, FigureData, Rect, Series, Table};
use super::frame::{self, Heading};
use super::legend::{Legend, Swatch};
use super::options::FigureOptions;
use super::palette;
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

/// Least height of one prefix row, px.
const ROW: f64 = 15.0;

/// The `top` best prefixes of the network's HardPT ranking (loss in nats) next to the exact Bayes loss and rank of each.
///
/// A dot plot, since the losses differ by a few percent (`readout = "y"`): series `network` (filled dots)
/// and `bayes` (rings), each with `y` = the row's category index (best at the top, i.e. the highest index)
/// and `x` = the loss; a thin line leads from the axis to each row's dots.
pub fn hard_prefix_ranking(results: &Results, top: usize, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
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
    let (show_net, show_bayes) = (opts.shows("network"), opts.shows("bayes"));

    let values = rows
        .iter()
        .flat_map(|(_, net, b)| [Some(*net).filter(|_| show_net), b.map(|b| b.1).filter(|_| show_bayes)])
        .flatten()
        .collect::<Vec<_>>();
    let (lo, hi) = stats::finite_range(&values).unwrap_or((0.0, 1.0));
    let (x_lo, x_hi) = stats::padded(lo, hi, 0.08, false);
    let n = rows.len();
    let label_width = rows.iter().map(|(l, _, _)| text::width(l, text::SMALL)).fold(0.0, f64::max);

    let net = palette::colour("HardPT");
    let ink = RGBColor(0x22, 0x22, 0x22);
    let (net_label, bayes_label) = ("network (HardPT)", "exact Bayes (PreBayesPT)");
    let mut legend = Legend::default();
    if show_net {
        legend.push(net_label, Swatch::Marker { colour: net, filled: true });
    }
    if show_bayes {
        legend.push(bayes_label, Swatch::Marker { colour: ink, filled: false });
    }
    legend.push("#k: the prefix's place", Swatch::Note);
    legend.push("in the Bayes ranking", Swatch::Note);
    let total = results.hard_prefix_ranking.len();
    let title = "Hard-prefix ranking: network vs exact Bayes";
    let subtitle = format!("the network's best {n} of {total} prefixes, best at the top; loss on the tuning sequences");
    let x_desc = "mean cumulative log loss (nats per sequence)";
    let heading = Heading::new(opts, title, &subtitle);
    // Rows of at least ROW px between the heading, the axis areas (6 px above, 44 below) and the margins.
    let rows_h = (ROW * n as f64).ceil() as u32 + 50 + 18;
    let base = frame::base_height(opts.width).max(rows_h + if opts.chrome && !opts.legend_below() { heading.height() as u32 } else { 0 });
    let size = (opts.width, frame::natural_height(opts, base, &heading, legend.height_for(opts)));

    let mut plot = Rect::default();
    let svg = frame::render(size, |root| {
        let (area, legend_area) = frame::panels(root, opts, &heading, (legend.width(), legend.height_for(opts)))?;
        let (pw, _) = area.dim_in_pixel();
        let (bars_area, rank_area) = area.split_horizontally(pw - RANK_COLUMN as u32);
        let chart = axes::draw(
            &bars_area,
            &Axes {
                x: (x_lo, x_hi),
                y: (-0.5, n as f64 - 0.5),
                x_desc,
                x_short: &["log loss (nats per sequence)", "loss (nats)"],
                y_desc: "prefix (tokens)",
                y_short: &["prefix"],
                y_ticks: 0,
                y_label_width: label_width,
                ..Axes::default()
            },
        )?;
        plot = axes::plot_rect(&chart);
        let area = chart.plotting_area();
        let row_y = |i: usize| (n - 1 - i) as f64;
        let label = text::font(text::SMALL).color(&ink);
        let ((left, _), (_, bottom)) = axes::panel(&chart);
        for (i, (name, loss, b)) in rows.iter().enumerate() {
            let y = row_y(i);
            let net_x = Some(*loss).filter(|v| show_net && v.is_finite());
            let bayes_x = b.map(|b| b.1).filter(|v| show_bayes && v.is_finite());
            if let Some(end) = [net_x, bayes_x].into_iter().flatten().reduce(f64::max) {
                area.draw(&PathElement::new(vec![(x_lo, y), (end, y)], RGBColor(0x99, 0x99, 0x99).stroke_width(1)))?;
            }
            if let Some(x) = net_x {
                strokes::marker(area, (x, y), net, true)?;
            }
            // The ring is drawn over the dot without a fill, so a prefix where both agree shows both.
            if let Some(x) = bayes_x {
                area.draw(&Circle::new((x, y), 5, ink.stroke_width(2)))?;
            }
            let (_, py) = chart.backend_coord(&(x_lo, y));
            root.draw_text(name, &label.pos(Pos::new(HPos::Right, VPos::Center)), (left - 8, py))?;
            let rank = b.map_or_else(|| "–".to_string(), |(rank, _)| format!("#{rank}"));
            let (rx, _) = rank_area.get_base_pixel();
            root.draw_text(&rank, &label.pos(Pos::new(HPos::Left, VPos::Center)), (rx + 10, py))?;
        }
        let (rx, _) = rank_area.get_base_pixel();
        let head = text::font(text::SMALL).color(&text::MUTED).pos(Pos::new(HPos::Left, VPos::Top));
        root.draw_text("Bayes", &head, (rx + 10, bottom + 10))?;
        root.draw_text("rank", &head, (rx + 10, bottom + 25))?;
        frame::finish(&chart, show_net || show_bayes, &legend, legend_area.as_ref())
    })?;

    let mut data = FigureData::new("hard_prefix_ranking", title, subtitle, "y");
    data.place(size, plot);
    data.x = Axis::linear(x_desc, (x_lo, x_hi));
    // Category j is drawn at value j: the last shown prefix at the bottom (0), the best at the top.
    data.y = Axis::categories("prefix (tokens)", rows.iter().rev().map(|(l, _, _)| l.clone()).collect());
    let index: Vec<f64> = (0..n).map(|i| (n - 1 - i) as f64).collect();
    let mut net_series = Series::plain("network", net_label, &palette::css_hex("HardPT"), "marker");
    if show_net {
        net_series.y = index.clone();
        net_series.x = rows.iter().map(|(_, l, _)| *l).collect();
        net_series.labels = Some(
            rows.iter().enumerate().map(|(i, (p, l, _))| format!("prefix {p}: network's #{}, {} nats", i + 1, sig3(*l))).collect(),
        );
    } else {
        net_series.hidden = true;
    }
    let mut bayes_series = Series::plain("bayes", bayes_label, "#222222", "ring");
    if show_bayes {
        bayes_series.y = index;
        bayes_series.x = rows.iter().map(|(_, _, b)| b.map_or(f64::NAN, |b| b.1)).collect();
        bayes_series.labels = Some(
            rows.iter()
                .map(|(p, _, b)| match b {
                    Some((r, l)) => format!("prefix {p}: exact Bayes's #{r}, {} nats", sig3(*l)),
                    None => format!("prefix {p}: not in the exact Bayes ranking"),
                })
                .collect(),
        );
    } else {
        bayes_series.hidden = true;
    }
    data.series = vec![net_series, bayes_series];
    data.notes = vec!["#k: the prefix's place in the exact Bayes ranking".into()];
    data.table = Table {
        caption: format!("The network's best {n} of {total} hard prefixes (loss in nats per sequence on the tuning sequences) beside exact Bayes"),
        columns: ["prefix", "network's rank", "network loss", "exact Bayes loss", "exact Bayes rank"].map(String::from).to_vec(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, (p, l, b))| {
                let (bl, br) = b.map_or(("–".to_string(), "–".to_string()), |(r, bl)| (sig3(bl), format!("#{r}")));
                vec![p.clone(), format!("#{}", i + 1), sig3(*l), bl, br]
            })
            .collect(),
    };
    let best = &rows[0];
    let bayes_best = results.bayes_prefix_ranking.first().map(|s| prefix_label(&s.prefix));
    data.summary = match (best.2, bayes_best) {
        (Some((rank, _)), Some(bb)) => format!(
            "The network's best prefix is {} ({} nats); exact Bayes ranks it #{rank} of {}; exact Bayes's best is {bb}.",
            best.0,
            sig3(best.1),
            results.bayes_prefix_ranking.len()
        ),
        _ => format!("The network's best prefix is {} ({} nats).", best.0, sig3(best.1)),
    };
    Ok(Figure { svg, data })
}
