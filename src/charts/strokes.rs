//! Drawing one series in its method's style: solid, dashed or dotted lines, translucent bands, bars and markers.

use plotters::coord::CoordTranslate;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::axes::Chart;
use super::frame::{Area, DrawResult};
use super::palette::{dash_pattern, LineStyle};
use super::stats::finite_runs;

/// A polyline in `style` on any drawing area (points in that area's coordinates).
fn path<CT>(
    area: &DrawingArea<SVGBackend<'_>, CT>,
    points: Vec<CT::From>,
    colour: RGBAColor,
    style: LineStyle,
    width: u32,
) -> DrawResult<()>
where
    CT: CoordTranslate,
    CT::From: Clone,
{
    if points.len() < 2 {
        return Ok(());
    }
    let shape = colour.stroke_width(width);
    match dash_pattern(style) {
        None => area.draw(&PathElement::new(points, shape)),
        Some((dash, gap)) => area.draw(&DashedPathElement::new(points, dash, gap, shape)),
    }
}

/// A line in pixel coordinates (legend swatches).
pub(crate) fn pixel_line(
    area: &Area,
    points: &[(i32, i32)],
    colour: RGBAColor,
    style: LineStyle,
    width: u32,
) -> DrawResult<()> {
    path(area, points.to_vec(), colour, style, width)
}

/// A line through `(x, y)` data points; non-finite points break it into pieces rather than being drawn.
pub(crate) fn line(
    chart: &Chart,
    points: impl IntoIterator<Item = (f64, f64)>,
    colour: RGBAColor,
    style: LineStyle,
    width: u32,
) -> DrawResult<()> {
    for mut run in finite_runs(points) {
        // Points that land on the same pixel as their predecessor add bytes, not ink.
        let mut last = None;
        run.retain(|p| {
            let px = Some(chart.backend_coord(p));
            let keep = px != last;
            last = px;
            keep
        });
        path(chart.plotting_area(), run, colour, style, width)?;
    }
    Ok(())
}

/// A translucent band between `low` and `high` over `xs`, skipping steps where either bound is not finite.
pub(crate) fn band(
    chart: &Chart,
    xs: &[f64],
    low: &[f64],
    high: &[f64],
    colour: RGBColor,
    alpha: f64,
) -> DrawResult<()> {
    let mut start = 0;
    let n = xs.len().min(low.len()).min(high.len());
    let ok = |i: usize| xs[i].is_finite() && low[i].is_finite() && high[i].is_finite();
    while start < n {
        if !ok(start) {
            start += 1;
            continue;
        }
        let end = (start..n).find(|&i| !ok(i)).unwrap_or(n);
        if end - start >= 2 {
            let mut outline: Vec<(f64, f64)> = (start..end).map(|i| (xs[i], high[i])).collect();
            outline.extend((start..end).rev().map(|i| (xs[i], low[i])));
            chart.plotting_area().draw(&Polygon::new(outline, colour.mix(alpha).filled()))?;
        }
        start = end;
    }
    Ok(())
}

/// A bar between two pixel corners of `area`: filled (solid style), hatched
/// with an outline (dashed) or pale with a dotted outline (dotted), so
/// baselines that share a grey stay apart.
pub(crate) fn bar(area: &Area, a: (i32, i32), b: (i32, i32), colour: RGBColor, style: LineStyle) -> DrawResult<()> {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    let outline = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
    match style {
        LineStyle::Solid => area.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.mix(0.9).filled())),
        LineStyle::Dashed => {
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.mix(0.08).filled()))?;
            // Diagonal hatching: the lines x + y = c, clipped to the bar.
            let mut c = x0 + y0 + 5;
            while c < x1 + y1 {
                let (from, to) = ((c - y1).max(x0), (c - y0).min(x1));
                if to > from {
                    area.draw(&PathElement::new(vec![(from, c - from), (to, c - to)], colour.stroke_width(1)))?;
                }
                c += 5;
            }
            area.draw(&PathElement::new(outline.to_vec(), colour.stroke_width(1)))
        }
        LineStyle::Dotted => {
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.mix(0.12).filled()))?;
            pixel_line(area, &outline, colour.to_rgba(), LineStyle::Dotted, 2)
        }
    }
}

/// A circle marker of radius 4 px: filled, or a white ring with a coloured rim.
pub(crate) fn marker<CT>(
    area: &DrawingArea<SVGBackend<'_>, CT>,
    at: CT::From,
    colour: RGBColor,
    filled: bool,
) -> DrawResult<()>
where
    CT: CoordTranslate,
    CT::From: Clone,
{
    if filled {
        area.draw(&Circle::new(at, 4, colour.filled()))
    } else {
        area.draw(&Circle::new(at.clone(), 4, WHITE.filled()))?;
        area.draw(&Circle::new(at, 4, colour.stroke_width(2)))
    }
}
