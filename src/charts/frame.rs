//! The canvas every figure shares: an 800×500 px white SVG with a title block, a plot panel and a legend column on the right.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::text;
use crate::error::{Error, Result};

/// Figure width in px.
pub const WIDTH: u32 = 800;
/// Figure height in px.
pub const HEIGHT: u32 = 500;
/// Blank border around everything, px.
const MARGIN: i32 = 14;

/// A region of the SVG canvas in pixel coordinates.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// What plotters reports when drawing fails (it never does on a string, but it says it might).
pub(crate) type DrawResult<T> = std::result::Result<T, DrawingAreaErrorKind<std::io::Error>>;

/// Runs `draw` on a white canvas and returns the finished SVG document.
pub(crate) fn render(draw: impl FnOnce(&Area<'_>) -> DrawResult<()>) -> Result<String> {
    let failed = |e: DrawingAreaErrorKind<std::io::Error>| Error::other(format!("cannot draw figure: {e}"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        draw(&root).map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// Draws a bold title and a grey one-line subtitle at the top left and
/// returns the area below them, inside the figure's margins.
pub(crate) fn titled<'a>(root: &Area<'a>, title: &str, subtitle: &str) -> DrawResult<Area<'a>> {
    let room = WIDTH as f64 - 2.0 * MARGIN as f64;
    let top_left = Pos::new(HPos::Left, VPos::Top);
    root.draw_text(&text::fit(title, text::LARGE, room), &text::bold(text::LARGE).pos(top_left), (MARGIN, 12))?;
    let mut body_top = 40;
    if !subtitle.is_empty() {
        let style = text::font(text::SMALL).color(&text::MUTED).pos(top_left);
        root.draw_text(&text::fit(subtitle, text::SMALL, room), &style, (MARGIN, 34))?;
        body_top = 58;
    }
    Ok(root.margin(body_top, MARGIN, MARGIN, MARGIN / 2))
}

/// Splits `body` into the plot panel and a legend column `legend_width` px wide on the right.
pub(crate) fn with_legend<'a>(body: &Area<'a>, legend_width: f64) -> (Area<'a>, Area<'a>) {
    let (w, _) = body.dim_in_pixel();
    let legend = (legend_width.ceil() as u32).min(w / 2);
    body.split_horizontally(w - legend)
}
