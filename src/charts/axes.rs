//! Numeric axes: a plotters Cartesian chart with a light grid, left and bottom tick labels and axis titles, sized without font measurement.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

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

/// Draws the grid, the axes, their ticks and titles on `area` and returns the chart to draw data into.
pub(crate) fn draw<'a>(area: &Area<'a>, axes: &Axes) -> DrawResult<Chart<'static, 'a>> {
    let (xd, yd) = (decimals(axes.x.1 - axes.x.0, axes.x_ticks), decimals(axes.y.1 - axes.y.0, axes.y_ticks));
    let y_label_width = if axes.y_ticks == 0 {
        axes.y_label_width
    } else {
        let samples = [axes.y.0, axes.y.1, (axes.y.0 + axes.y.1) / 2.0];
        samples.iter().map(|&v| text::width(&number(v, yd), text::SMALL)).fold(0.0, f64::max)
    };
    // Axis title (rotated, one line high) + gap + labels + two tick lengths.
    let left = (text::MEDIUM * 1.3 + 6.0 + y_label_width + 2.0 * TICK as f64).ceil() as u32;

    let mut chart = ChartBuilder::on(area)
        .margin_top(TOP)
        .margin_right(8)
        .x_label_area_size(BOTTOM)
        .y_label_area_size(left)
        .build_cartesian_2d(axes.x.0..axes.x.1, axes.y.0..axes.y.1)?;

    let x_fmt = |v: &f64| number(*v, xd);
    let y_fmt = |v: &f64| number(*v, yd);
    let label = text::font(text::SMALL).color(&RGBColor(0x33, 0x33, 0x33));
    chart
        .configure_mesh()
        .x_labels(axes.x_ticks)
        .y_labels(axes.y_ticks)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(label)
        .axis_desc_style(text::font(text::MEDIUM))
        .x_desc(axes.x_desc)
        .y_desc(axes.y_desc)
        .set_all_tick_mark_size(TICK)
        .axis_style(RGBColor(0x44, 0x44, 0x44))
        .bold_line_style(RGBColor(0, 0, 0).mix(0.08))
        .max_light_lines(0)
        .draw()?;
    Ok(chart)
}

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
}
