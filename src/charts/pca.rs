//! Internal-state trajectories in the 2-D PCA plane: source runs coloured by the coin's bias, prefixed runs in their method's colour with the prefix's end state marked.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, Axes};
use super::data::{sig3, Axis, Figure, FigureData, Gradient, Rect, Series, Table};
use super::frame::{self, Area, DrawResult, Heading};
use super::legend::{Legend, Swatch};
use super::options::FigureOptions;
use super::palette::{self, LineStyle};
use super::{stats, strokes, text};
use crate::error::{Error, Result};
use crate::results::{Results, Trajectory};

/// Viridis sampled at 0, ¼, ½, ¾ and 0.9 (its last tenth is too pale on white).
const BIAS_ANCHORS: [(u8, u8, u8); 5] =
    [(0x44, 0x01, 0x54), (0x3B, 0x52, 0x8B), (0x21, 0x91, 0x8C), (0x5E, 0xC9, 0x62), (0xBD, 0xDF, 0x26)];

/// Sequential colour-blind-safe colour of a bias in 0..=1 (dark purple → green-yellow).
pub fn bias_colour(bias: f64) -> RGBColor {
    let t = if bias.is_finite() { bias.clamp(0.0, 1.0) } else { 0.5 } * (BIAS_ANCHORS.len() - 1) as f64;
    let i = (t.floor() as usize).min(BIAS_ANCHORS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (BIAS_ANCHORS[i], BIAS_ANCHORS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + f * (f64::from(y) - f64::from(x))).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Points of a trajectory as (x, y) pairs.
fn points(t: &Trajectory) -> impl Iterator<Item = (f64, f64)> + '_ {
    t.points.iter().map(|p| (p[0], p[1]))
}

/// What the colour of a source run shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourBy {
    /// The whole run in the colour of its coin's P(H) (the chance of token 0).
    Bias,
    /// Each segment in the colour of its position in the sequence (start → end).
    Step,
}

impl ColourBy {
    fn heading(self) -> &'static str {
        match self {
            ColourBy::Bias => "source runs: coin's P(H)",
            ColourBy::Step => "source runs: position (start → end)",
        }
    }

    fn ends(self) -> [&'static str; 3] {
        match self {
            ColourBy::Bias => ["1", "0.5", "0"],
            ColourBy::Step => ["end", "middle", "start"],
        }
    }
}

/// A vertical colour bar for the bias (or the position), at `(x, y)` px in `area`, `height` px tall.
fn bias_bar(area: &Area, x: i32, y: i32, height: i32, by: ColourBy) -> DrawResult<()> {
    let head = text::font(text::SMALL).color(&RGBColor(0x22, 0x22, 0x22)).pos(Pos::new(HPos::Left, VPos::Top));
    area.draw_text(by.heading(), &head, (x, y))?;
    let top = y + 20;
    let steps = 40;
    for k in 0..steps {
        // Bias 1 at the top.
        let bias = 1.0 - (k as f64 + 0.5) / steps as f64;
        let (y0, y1) = (top + height * k / steps, top + height * (k + 1) / steps);
        area.draw(&Rectangle::new([(x, y0), (x + 14, y1 + 1)], bias_colour(bias).filled()))?;
    }
    let label = text::font(text::SMALL).color(&text::MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    for (bias, name) in [1.0, 0.5, 0.0].into_iter().zip(by.ends()) {
        let py = top + ((1.0 - bias) * height as f64).round() as i32;
        area.draw_text(name, &label, (x + 20, py))?;
    }
    Ok(())
}

/// Series key of the source runs.
const SOURCE: &str = "source";
/// Keys of the fixed marks.
const PREFIX_POSITIONS: &str = "prefix-positions";
const PREFIX_STATE: &str = "prefix-state";
const FIRST_POSITION: &str = "first-position";

/// A mark the figure draws on top of the runs, listed in the legend and the data as a fixed series.
struct Mark {
    key: &'static str,
    label: &'static str,
    /// `#RRGGBB` and the data's swatch name.
    colour: &'static str,
    kind: &'static str,
    swatch: Swatch,
}

/// The marks: the prefix positions and the state a prefix sets (when there are prefixed runs), and every run's first position.
fn marks(prefixed: bool) -> Vec<Mark> {
    let mut v = Vec::new();
    if prefixed {
        let swatch = Swatch::Marker { colour: RGBColor(0x44, 0x44, 0x44), filled: true };
        v.push(Mark { key: PREFIX_POSITIONS, label: "prefix positions", colour: "#444444", kind: "marker", swatch });
        let swatch = Swatch::Marker { colour: RGBColor(0x22, 0x22, 0x22), filled: false };
        v.push(Mark { key: PREFIX_STATE, label: "state the prefix sets", colour: "#222222", kind: "ring", swatch });
    }
    let swatch = Swatch::Square { colour: RGBColor(0x22, 0x22, 0x22) };
    v.push(Mark { key: FIRST_POSITION, label: "first position", colour: "#222222", kind: "square", swatch });
    v
}
/// Most rows of the data table.
const TABLE_ROWS: usize = 40;

/// The PCA state figure, source runs coloured by bias; fails when the results carry no state projection.
pub fn pca_states(results: &Results, opts: &FigureOptions) -> Result<Figure> {
    pca_states_coloured(results, ColourBy::Bias, opts)
}

/// `#RRGGBB` of an RGB colour.
fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Each run with its number among its method's runs, from 0.
fn numbered<'t>(runs: &[&'t Trajectory]) -> Vec<(usize, &'t Trajectory)> {
    let mut seen: Vec<&str> = Vec::new();
    runs.iter()
        .map(|t| {
            let r = seen.iter().filter(|m| **m == t.method).count();
            seen.push(&t.method);
            (r, *t)
        })
        .collect()
}

/// Words for point `p` of trajectory `t`, the `r`-th of its kind.
fn point_words(t: &Trajectory, r: usize, p: usize, source: bool) -> String {
    if source {
        format!("source run {} (coin's P(H) = {:.2}), position {}", r + 1, t.bias, p + 1)
    } else {
        let tag = if p < t.prefix_len { " (prefix)" } else { "" };
        format!("{} run {}, position {}{tag}", t.method, r + 1, p + 1)
    }
}

/// The PCA state figure with source runs coloured as `by` says; series keys: `source` for
/// the source runs and the method label for each prefixed method; readout by nearest point.
pub fn pca_states_coloured(results: &Results, by: ColourBy, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
    let states = results
        .states
        .as_ref()
        .ok_or_else(|| Error::invalid("states", "none", "results recorded with a state projection"))?;
    let mut methods: Vec<&str> = Vec::new();
    for t in &states.prefix_trajectories {
        if !methods.contains(&t.method.as_str()) {
            methods.push(&t.method);
        }
    }
    let show_source = opts.shows(SOURCE);
    let sources: Vec<&Trajectory> = states.source_trajectories.iter().filter(|_| show_source).collect();
    let prefixed: Vec<&Trajectory> = states.prefix_trajectories.iter().filter(|t| opts.shows(&t.method)).collect();
    let every = states.source_trajectories.iter().chain(&states.prefix_trajectories);
    if !every.flat_map(|t| t.points.iter()).any(|p| p[0].is_finite() && p[1].is_finite()) {
        return Err(Error::invalid("states", "no finite point", "trajectories with finite coordinates"));
    }
    let drawn = || sources.iter().chain(&prefixed).flat_map(|t| t.points.iter());
    let xs: Vec<f64> = drawn().map(|p| p[0]).collect();
    let ys: Vec<f64> = drawn().map(|p| p[1]).collect();
    let (x_lo, x_hi) = stats::finite_range(&xs).map_or((0.0, 1.0), |(lo, hi)| stats::padded(lo, hi, 0.05, false));
    let (y_lo, y_hi) = stats::finite_range(&ys).map_or((0.0, 1.0), |(lo, hi)| stats::padded(lo, hi, 0.05, false));

    let mut legend = Legend::default();
    let shown_methods: Vec<&str> = methods.iter().copied().filter(|m| opts.shows(m)).collect();
    for m in &shown_methods {
        legend.push(format!("{m} (prefixed)"), Swatch::Line { colour: palette::colour(m), style: LineStyle::Solid, band: false });
    }
    let marks = marks(!methods.is_empty());
    for m in &marks {
        legend.push(m.label, m.swatch);
    }
    let bar_height = if opts.legend_below() { 80 } else { 120 };
    let legend_width = legend.width().max(text::width(by.heading(), text::SMALL) + 20.0);
    let legend_height = legend.height_for(opts) + 6 + if show_source { 14 + 20 + bar_height + 10 } else { 0 };
    let [v1, v2] = states.explained_variance;
    let (x_desc, y_desc) = (format!("PC1 ({:.1} %)", v1 * 100.0), format!("PC2 ({:.1} %)", v2 * 100.0));
    let subtitle = format!(
        "state {}, projected on the pretraining source's principal components; a prefix sets where a run starts",
        states.state
    );
    let title = match by {
        ColourBy::Bias => "Internal states (PCA), coloured by the coin's bias",
        ColourBy::Step => "Internal states (PCA), coloured by position",
    };
    let heading = Heading::new(opts, title, &subtitle);
    let size = (opts.width, frame::natural_height(opts, frame::base_height(opts.width), &heading, legend_height));

    let mut plot = Rect::default();
    let svg = frame::render(size, |root| {
        let (area, legend_area) = frame::panels(root, opts, &heading, (legend_width, legend_height))?;
        let chart = axes::draw(
            &area,
            &Axes { x: (x_lo, x_hi), y: (y_lo, y_hi), x_desc: &x_desc, y_desc: &y_desc, ..Axes::default() },
        )?;
        plot = axes::plot_rect(&chart);
        let area = chart.plotting_area();
        for t in &sources {
            match by {
                ColourBy::Bias => strokes::line(&chart, points(t), bias_colour(t.bias).mix(0.55), LineStyle::Solid, 1)?,
                ColourBy::Step => {
                    let last = t.points.len().saturating_sub(2).max(1) as f64; // the last segment gets the end colour
                    for (i, pair) in t.points.windows(2).enumerate() {
                        let segment = pair.iter().map(|p| (p[0], p[1]));
                        strokes::line(&chart, segment, bias_colour(i as f64 / last).mix(0.55), LineStyle::Solid, 1)?;
                    }
                }
            }
        }
        for t in &prefixed {
            let colour = palette::colour(&t.method);
            strokes::line(&chart, points(t), colour.mix(0.9), LineStyle::Solid, 2)?;
            let prefix: Vec<(f64, f64)> =
                points(t).take(t.prefix_len).filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
            for &p in &prefix {
                area.draw(&Circle::new(p, 3, colour.filled()))?;
            }
            if let Some(&end) = prefix.last() {
                area.draw(&Circle::new(end, 6, RGBColor(0x22, 0x22, 0x22).stroke_width(2)))?;
            }
        }
        // First positions of every run, drawn last so they stay visible.
        for t in sources.iter().chain(&prefixed) {
            if let Some((x, y)) = points(t).next().filter(|(x, y)| x.is_finite() && y.is_finite()) {
                let (px, py) = chart.backend_coord(&(x, y));
                root.draw(&Rectangle::new([(px - 3, py - 3), (px + 3, py + 3)], RGBColor(0x22, 0x22, 0x22).filled()))?;
            }
        }
        frame::finish(&chart, !(sources.is_empty() && prefixed.is_empty()), &legend, legend_area.as_ref())?;
        match legend_area.filter(|_| show_source) {
            Some(l) => bias_bar(&l, 10, 6 + legend.height_for(opts) + 14, bar_height, by),
            None => Ok(()),
        }
    })?;

    let mut data = FigureData::new(
        match by {
            ColourBy::Bias => "pca_states",
            ColourBy::Step => "pca_states_by_step",
        },
        title,
        subtitle,
        "point",
    );
    data.place(size, plot);
    data.x = Axis::linear(x_desc, (x_lo, x_hi));
    data.y = Axis::linear(y_desc, (y_lo, y_hi));
    let fill = |s: &mut Series, runs: &[&Trajectory], source: bool| {
        for (r, t) in runs.iter().enumerate() {
            for (p, xy) in t.points.iter().enumerate() {
                s.x.push(xy[0]);
                s.y.push(xy[1]);
                s.labels.get_or_insert_with(Vec::new).push(point_words(t, r, p, source));
            }
        }
    };
    let mut src = Series::plain(SOURCE, "source runs", &hex(bias_colour(0.5)), "line");
    if show_source {
        let all: Vec<&Trajectory> = states.source_trajectories.iter().collect();
        fill(&mut src, &all, true);
    } else {
        src.hidden = true;
    }
    data.series.push(src);
    for m in &methods {
        let mut s = Series::plain(m, format!("{m} (prefixed)"), &palette::css_hex(m), "line");
        let runs: Vec<&Trajectory> = states.prefix_trajectories.iter().filter(|t| t.method == *m).collect();
        if opts.shows(m) {
            fill(&mut s, &runs, false);
        } else {
            s.hidden = true;
        }
        data.series.push(s);
    }
    // The marks as fixed legend entries, with the points they mark for the readout.
    let prefixed_runs = numbered(&prefixed);
    let source_runs: Vec<(usize, &Trajectory)> = sources.iter().copied().enumerate().collect();
    for m in &marks {
        let mut s = Series::plain(m.key, m.label, m.colour, m.kind);
        s.toggle = false;
        let mut add = |r: usize, t: &Trajectory, p: usize, source: bool| {
            if let Some(xy) = t.points.get(p).filter(|xy| xy[0].is_finite() && xy[1].is_finite()) {
                s.x.push(xy[0]);
                s.y.push(xy[1]);
                s.labels.get_or_insert_with(Vec::new).push(point_words(t, r, p, source));
            }
        };
        match m.key {
            PREFIX_POSITIONS => prefixed_runs.iter().for_each(|&(r, t)| (0..t.prefix_len).for_each(|p| add(r, t, p, false))),
            PREFIX_STATE => prefixed_runs.iter().filter(|(_, t)| t.prefix_len > 0).for_each(|&(r, t)| add(r, t, t.prefix_len - 1, false)),
            _ => {
                source_runs.iter().for_each(|&(r, t)| add(r, t, 0, true));
                prefixed_runs.iter().for_each(|&(r, t)| add(r, t, 0, false));
            }
        }
        data.series.push(s);
    }
    let ends = by.ends();
    data.gradient = Some(Gradient {
        label: by.heading().into(),
        lo: ends[2].into(),
        hi: ends[0].into(),
        stops: BIAS_ANCHORS.iter().enumerate().map(|(i, &(r, g, b))| (hex(RGBColor(r, g, b)), i as f64 / 4.0)).collect(),
    });

    // Table: each prefixed run's first state and the state its prefix sets, then the first, middle
    // and last state of evenly picked source runs, at most TABLE_ROWS rows.
    let mut rows: Vec<Vec<String>> = Vec::new();
    let cell = |t: &Trajectory, r: usize, p: usize, source: bool| -> Option<Vec<String>> {
        let xy = t.points.get(p)?;
        Some(vec![point_words(t, r, p, source), sig3(xy[0]), sig3(xy[1])])
    };
    for m in &shown_methods {
        for (r, t) in states.prefix_trajectories.iter().filter(|t| t.method == *m).enumerate() {
            let mut picks = vec![0, t.prefix_len.saturating_sub(1)];
            picks.dedup();
            rows.extend(picks.into_iter().filter_map(|p| cell(t, r, p, false)));
        }
    }
    if show_source {
        let runs = &states.source_trajectories;
        let room = TABLE_ROWS.saturating_sub(rows.len()) / 3;
        let stride = runs.len().div_ceil(room.max(1)).max(1);
        for (r, t) in runs.iter().enumerate().step_by(stride) {
            let n = t.points.len();
            let mut picks = vec![0, n / 2, n.saturating_sub(1)];
            picks.dedup();
            rows.extend(picks.into_iter().filter_map(|p| cell(t, r, p, true)));
        }
    }
    rows.truncate(TABLE_ROWS);
    data.table = Table {
        caption: format!(
            "Internal states on PC1 and PC2: each prefixed run's first state and the state its prefix sets, then the first, middle and last state of {} source runs",
            if show_source { "evenly picked" } else { "no" }
        ),
        columns: ["state", "PC1", "PC2"].map(String::from).to_vec(),
        rows,
    };
    let mut summary = format!(
        "The two components explain {:.1} % and {:.1} % of the state's variance. {} source runs",
        v1 * 100.0,
        v2 * 100.0,
        states.source_trajectories.len()
    );
    let biases: Vec<f64> = states.source_trajectories.iter().map(|t| t.bias).collect();
    if let Some((lo, hi)) = stats::finite_range(&biases) {
        summary.push_str(&format!(" (coin's P(H) from {lo:.2} to {hi:.2})"));
    }
    summary.push_str(&format!(" and {} prefixed runs", states.prefix_trajectories.len()));
    if !methods.is_empty() {
        summary.push_str(&format!(" ({})", methods.join(", ")));
    }
    summary.push('.');
    for m in &shown_methods {
        if let Some(t) = states.prefix_trajectories.iter().find(|t| t.method == *m && t.prefix_len > 0) {
            if let Some(xy) = t.points.get(t.prefix_len - 1) {
                summary.push_str(&format!(" {m}'s first prefix sets the state ({}, {}).", sig3(xy[0]), sig3(xy[1])));
            }
        }
    }
    data.summary = summary;
    Ok(Figure { svg, data })
}

#[cfg(test)]
mod tests {
    use super::bias_colour;
    use plotters::style::RGBColor;

    #[test]
    fn bias_map_runs_from_purple_to_yellow_green() {
        assert_eq!(bias_colour(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(bias_colour(1.0), RGBColor(0xBD, 0xDF, 0x26));
        assert_eq!(bias_colour(f64::NAN), bias_colour(0.5));
    }
}
