//! Internal-state trajectories in the 2-D PCA plane: source runs coloured by the coin's bias, prefixed runs in their method's colour with the prefix's end state marked.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, Axes};
use super::frame::{self, Area, DrawResult};
use super::legend::{Legend, Swatch};
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
    /// The whole run in the colour of its coin's P(token 0).
    Bias,
    /// Each segment in the colour of its position in the sequence (start → end).
    Step,
}

impl ColourBy {
    fn heading(self) -> &'static str {
        match self {
            ColourBy::Bias => "source runs: coin's P(token 0)",
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

/// The PCA state figure, source runs coloured by bias; fails when the results carry no state projection.
pub fn pca_states(results: &Results) -> Result<String> {
    pca_states_coloured(results, ColourBy::Bias)
}

/// The PCA state figure with source runs coloured as `by` says.
pub fn pca_states_coloured(results: &Results, by: ColourBy) -> Result<String> {
    let states = results
        .states
        .as_ref()
        .ok_or_else(|| Error::invalid("states", "none", "results recorded with a state projection"))?;
    let all = states.source_trajectories.iter().chain(&states.prefix_trajectories);
    let xs: Vec<f64> = all.clone().flat_map(|t| t.points.iter().map(|p| p[0])).collect();
    let ys: Vec<f64> = all.flat_map(|t| t.points.iter().map(|p| p[1])).collect();
    let (x_lo, x_hi) = stats::finite_range(&xs)
        .map(|(lo, hi)| stats::padded(lo, hi, 0.05, false))
        .ok_or_else(|| Error::invalid("states", "no finite point", "trajectories with finite coordinates"))?;
    let (y_lo, y_hi) = stats::finite_range(&ys).map_or((0.0, 1.0), |(lo, hi)| stats::padded(lo, hi, 0.05, false));

    let mut legend = Legend::default();
    let mut methods: Vec<&str> = Vec::new();
    for t in &states.prefix_trajectories {
        if !methods.contains(&t.method.as_str()) {
            methods.push(&t.method);
        }
    }
    for m in &methods {
        legend.push(
            format!("{m} (prefixed)"),
            Swatch::Line { colour: palette::colour(m), style: LineStyle::Solid, band: false },
        );
    }
    if !methods.is_empty() {
        legend.push("prefix positions", Swatch::Marker { colour: RGBColor(0x44, 0x44, 0x44), filled: true });
        legend.push("state the prefix sets", Swatch::Marker { colour: RGBColor(0x22, 0x22, 0x22), filled: false });
    }
    legend.push("first position", Swatch::Square { colour: RGBColor(0x22, 0x22, 0x22) });
    let legend_width = legend.width().max(text::width(by.heading(), text::SMALL) + 20.0);
    let [v1, v2] = states.explained_variance;
    let (x_desc, y_desc) = (format!("PC1 ({:.1} %)", v1 * 100.0), format!("PC2 ({:.1} %)", v2 * 100.0));
    let subtitle = format!(
        "state {}, projected on the pretraining source's principal components; a prefix sets where a run starts",
        states.state
    );

    frame::render(|root| {
        let title = match by {
            ColourBy::Bias => "Internal states (PCA), coloured by the coin's bias",
            ColourBy::Step => "Internal states (PCA), coloured by position",
        };
        let body = frame::titled(root, title, &subtitle)?;
        let (plot, legend_area) = frame::with_legend(&body, legend_width);
        let chart = axes::draw(
            &plot,
            &Axes {
                x: (x_lo, x_hi),
                y: (y_lo, y_hi),
                x_desc: &x_desc,
                y_desc: &y_desc,
                x_ticks: 10,
                y_ticks: 10,
                y_label_width: 0.0,
            },
        )?;
        let area = chart.plotting_area();
        for t in &states.source_trajectories {
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
        for t in &states.prefix_trajectories {
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
        for t in states.source_trajectories.iter().chain(&states.prefix_trajectories) {
            if let Some((x, y)) = points(t).next().filter(|(x, y)| x.is_finite() && y.is_finite()) {
                let (px, py) = chart.backend_coord(&(x, y));
                root.draw(&Rectangle::new([(px - 3, py - 3), (px + 3, py + 3)], RGBColor(0x22, 0x22, 0x22).filled()))?;
            }
        }
        legend.draw(&legend_area, 6)?;
        let below = 6 + legend.height() + 14;
        bias_bar(&legend_area, 10, below, 120, by)
    })
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
