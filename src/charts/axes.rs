//! Numeric axes: a plotters Cartesian chart with a light grid, left and bottom tick labels and axis titles, with as many ticks as the room allows.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::data::Rect;
use super::frame::{Area, DrawResult};
use super::text;

/// A chart whose both axes are plain numbers.
pub(crate) type Chart<'c, 'a> = ChartContext<'c, SVGBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Space above the plot for labels placed inside the top edge, px.
const TOP: u32 = 6;
/// Height of the bottom label area (ticks, labels, axis title), px.
const BOTTOM: u32 = 44;
/// Tick mark length, px (plotters puts labels two tick lengths from the axis).
const TICK: i32 = 5;

/// What the axes show.
pub(crate) struct Axes<'t> {
    /// Horizontal range (left, right).
    pub x: (f64, f64),
    /// Vertical range (bottom, top).
    pub y: (f64, f64),
    /// Horizontal axis title with unit.
    pub x_desc: &'t str,
    /// Vertical axis title with unit.
    pub y_desc: &'t str,
    /// About how many labelled ticks on x; 0 draws none (the caller labels the axis).
    pub x_ticks: usize,
    /// About how many labelled ticks on y; 0 draws none.
    pub y_ticks: usize,
    /// Width reserved for y labels when `y_ticks` is 0, px.
    pub y_label_width: f64,
    /// Extra 14-px lines the caller draws under the x axis (stacked group labels).
    pub x_lines: u32,
    /// Shorter horizontal titles, longest first, for when `x_desc` does not fit (whole words, never cut).
    pub x_short: &'t [&'t str],
    /// Shorter vertical titles, longest first, for when `y_desc` does not fit.
    pub y_short: &'t [&'t str],
    /// Extra room above the plot for marks the caller draws there (a strip of flips), px.
    pub top_room: u32,
}

impl Default for Axes<'_> {
    fn default() -> Self {
        Axes { x: (0.0, 1.0), y: (0.0, 1.0), x_desc: "", y_desc: "", x_ticks: 10, y_ticks: 10, y_label_width: 0.0, x_lines: 0, x_short: &[], y_short: &[], top_room: 0 }
    }
}

/// Least room between two x tick labels, and the least px per y tick, px.
const X_GAP: f64 = 16.0;
const Y_STEP: f64 = 26.0;

/// Widest label of ticks `ticks` over `range`, and the decimals they get.
fn label_width(range: (f64, f64), ticks: usize) -> (f64, usize) {
    let d = decimals(range.1 - range.0, ticks);
    let samples = [range.0, range.1, (range.0 + range.1) / 2.0, range.0 + (range.1 - range.0) / 3.0];
    (samples.iter().map(|&v| text::width(&number(v, d), text::SMALL)).fold(0.0, f64::max), d)
}

/// Decimals that tell ticks about `span / ticks` apart from each other.
fn decimals(span: f64, ticks: usize) -> usize {
    let step = span.abs() / ticks.max(1) as f64;
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (1.0 - step.log10().floor()).clamp(0.0, 8.0) as usize
}

/// A tick label: fixed decimals, trailing zeros cut, never "-0".
pub(crate) fn number(v: f64, decimals: usize) -> String {
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// Draws the grid, the axes, their ticks and titles on `area` and returns the chart to draw data into;
/// tick counts are at most the asked ones and fewer when their labels would not fit.
pub(crate) fn draw<'a>(area: &Area<'a>, axes: &Axes) -> DrawResult<Chart<'static, 'a>> {
    let (area_w, area_h) = area.dim_in_pixel();
    let bottom = BOTTOM + 14 * axes.x_lines;
    let plot_h = (f64::from(area_h) - f64::from(TOP + axes.top_room + bottom)).max(20.0);
    let y_ticks = if axes.y_ticks == 0 { 0 } else { axes.y_ticks.min((plot_h / Y_STEP).floor().max(2.0) as usize) };
    let (y_width, yd) = label_width(axes.y, y_ticks);
    let y_label_width = if axes.y_ticks == 0 { axes.y_label_width } else { y_width };
    // Axis title (rotated, one line high) + gap + labels + two tick lengths.
    let left = (text::MEDIUM * 1.3 + 6.0 + y_label_width + 2.0 * TICK as f64).ceil() as u32;
    let (mut x_width, _) = label_width(axes.x, axes.x_ticks);
    let right = (x_width / 2.0 + 2.0).ceil().max(8.0) as u32;
    let plot_w = (f64::from(area_w) - f64::from(left + right)).max(20.0);
    let mut x_ticks = axes.x_ticks;
    while x_ticks > 2 && (x_ticks as f64) * (x_width + X_GAP) > plot_w {
        x_ticks -= 1;
        x_width = label_width(axes.x, x_ticks).0;
    }
    let xd = label_width(axes.x, x_ticks).1;
    let x_desc = title_in(axes.x_desc, axes.x_short, plot_w);
    let y_desc = title_in(axes.y_desc, axes.y_short, plot_h - 4.0);

    let mut chart = ChartBuilder::on(area)
        .margin_top(TOP + axes.top_room)
        .margin_right(right)
        .x_label_area_size(bottom)
        .y_label_area_size(left)
        .build_cartesian_2d(axes.x.0..axes.x.1, axes.y.0..axes.y.1)?;

    let x_fmt = |v: &f64| number(*v, xd);
    let y_fmt = |v: &f64| number(*v, yd);
    let label = text::font(text::SMALL).color(&RGBColor(0x33, 0x33, 0x33));
    chart
        .configure_mesh()
        .x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(label)
        .axis_desc_style(text::font(text::MEDIUM))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .set_all_tick_mark_size(TICK)
        .axis_style(RGBColor(0x44, 0x44, 0x44))
        .bold_line_style(RGBColor(0, 0, 0).mix(0.08))
        .max_light_lines(0)
        .draw()?;
    Ok(chart)
}

/// An axis title for `room` px: the first of `long` and then `short` that fits, else the shortest whole.
fn title_in(long: &str, short: &[&str], room: f64) -> String {
    let forms = std::iter::once(long).chain(short.iter().copied());
    let fits = forms.clone().find(|t| text::width(t, text::MEDIUM) <= room);
    fits.or_else(|| forms.last()).unwrap_or(long).to_string()
}

/// Where the chart maps its ranges, in SVG px: the ends of both axes as plotters draws them.
pub(crate) fn plot_rect(chart: &Chart) -> Rect {
    let (x, y) = (chart.x_range(), chart.y_range());
    let (left, bottom) = chart.backend_coord(&(x.start, y.start));
    let (right, top) = chart.backend_coord(&(x.end, y.end));
    Rect { left: f64::from(left), top: f64::from(top), width: f64::from(right - left), height: f64::from(bottom - top) }
}

/// A grey line of text in the middle of the panel (e.g. when every series is hidden).
pub(crate) fn message(chart: &Chart, words: &str) -> DrawResult<()> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let area = chart.plotting_area().strip_coord_spec();
    let (w, h) = area.dim_in_pixel();
    let style = text::font(text::SMALL).color(&text::MUTED).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(&text::fit(words, text::SMALL, f64::from(w) - 8.0), &style, (w as i32 / 2, h as i32 / 2))
}

/// What an empty drawing says.
pub(crate) const ALL_HIDDEN: &str = "every series is hidden";

/// Pixel rectangle of the chart's plotting panel: ((left, top), (right, bottom)).
pub(crate) fn panel(chart: &Chart) -> ((i32, i32), (i32, i32)) {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    ((xs.start, ys.start), (xs.end - 1, ys.end - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(number(0.30000000000000004, decimals(1.0, 6)), "0.3");
        assert_eq!(number(-0.0001, decimals(1.0, 6)), "0");
        assert_eq!(number(150.0, decimals(200.0, 6)), "150");
        assert_eq!(number(0.0025, decimals(0.01, 5)), "0.0025");
    }

    #[test]
    fn axis_titles_shorten_to_words_not_cuts() {
        let short = ["tuning loss (nats)", "loss (nats)"];
        assert_eq!(title_in("tuning loss (nats per sequence)", &short, 400.0), "tuning loss (nats per sequence)");
        assert_eq!(title_in("tuning loss (nats per sequence)", &short, 130.0), "tuning loss (nats)");
        assert_eq!(title_in("tuning loss (nats per sequence)", &short, 90.0), "loss (nats)");
        assert_eq!(title_in("tuning loss (nats per sequence)", &short, 20.0), "loss (nats)");
        assert_eq!(title_in("step", &[], 10.0), "step");
    }
}
