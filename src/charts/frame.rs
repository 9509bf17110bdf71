//! The canvas every figure shares: a white SVG of the asked size with a title block, a plot panel and a legend beside or below it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, Axes, Chart};
use super::data::Rect;
use super::legend::Legend;
use super::options::FigureOptions;
use super::text;
use crate::error::{Error, Result};

/// Default figure width in px.
pub const WIDTH: u32 = 800;
/// Figure height in px at the default width.
pub const HEIGHT: u32 = 500;
/// Blank border around everything, px.
const MARGIN: i32 = 14;
/// Line heights of the title and the subtitle, px.
const TITLE_LINE: i32 = 20;
const SUBTITLE_LINE: i32 = 15;
/// Gap between the plot and a legend below it, px.
const BELOW_GAP: i32 = 8;

/// A region of the SVG canvas in pixel coordinates.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// What plotters reports when drawing fails (it never does on a string, but it says it might).
pub(crate) type DrawResult<T> = std::result::Result<T, DrawingAreaErrorKind<std::io::Error>>;

/// Runs `draw` on a white `width` × `height` canvas and returns the finished SVG document.
pub(crate) fn render(size: (u32, u32), draw: impl FnOnce(&Area<'_>) -> DrawResult<()>) -> Result<String> {
    let failed = |e: DrawingAreaErrorKind<std::io::Error>| Error::other(format!("cannot draw figure: {e}"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        draw(&root).map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// A figure's title and subtitle broken into lines for its width (nothing when chrome is off).
pub(crate) struct Heading {
    title: Vec<String>,
    subtitle: Vec<String>,
}

impl Heading {
    /// The lines of `title` (at most three) and `subtitle` (at most three) at `opts.width`.
    pub fn new(opts: &FigureOptions, title: &str, subtitle: &str) -> Self {
        if !opts.chrome {
            return Heading { title: Vec::new(), subtitle: Vec::new() };
        }
        let room = f64::from(opts.width) - 2.0 * f64::from(MARGIN);
        Heading { title: text::wrap(title, text::LARGE, room, 3), subtitle: text::wrap(subtitle, text::SMALL, room, 3) }
    }

    /// Height of the block from the top of the canvas, px (a small margin when empty).
    pub fn height(&self) -> i32 {
        if self.title.is_empty() {
            return 8;
        }
        let sub = if self.subtitle.is_empty() { 0 } else { 2 + SUBTITLE_LINE * self.subtitle.len() as i32 };
        12 + TITLE_LINE * self.title.len() as i32 + sub + if sub == 0 { 8 } else { 9 }
    }

    fn draw(&self, root: &Area) -> DrawResult<()> {
        let top_left = Pos::new(HPos::Left, VPos::Top);
        let mut y = 12;
        for line in &self.title {
            root.draw_text(line, &text::bold(text::LARGE).pos(top_left), (MARGIN, y))?;
            y += TITLE_LINE;
        }
        y += 2;
        for line in &self.subtitle {
            root.draw_text(line, &text::font(text::SMALL).color(&text::MUTED).pos(top_left), (MARGIN, y))?;
            y += SUBTITLE_LINE;
        }
        Ok(())
    }
}

/// The natural canvas height: `base` for the plot, grown for a heading and a legend
/// `legend_height` px tall below the plot (narrow, with chrome) or beside it.
pub(crate) fn natural_height(opts: &FigureOptions, base: u32, heading: &Heading, legend_height: i32) -> u32 {
    // The legend is drawn 6 px into its area.
    let extra = (heading.height() + legend_height.max(0) + 6 + BELOW_GAP + MARGIN).max(0) as u32;
    let h = if !opts.chrome {
        base
    } else if opts.legend_below() {
        base + extra
    } else {
        base.max((heading.height() + legend_height + 3 * MARGIN).max(0) as u32)
    };
    opts.height_or(h)
}

/// The plot-to-width ratio most figures look right at: 0.625 (500 px at 800), between 260 and 900 px.
pub(crate) fn base_height(width: u32) -> u32 {
    (f64::from(width) * 0.625).round().clamp(260.0, 900.0) as u32
}

/// Draws the heading (with chrome) and splits the rest into the plot panel and, when
/// there is a legend of `legend_size` = (width, height) px and chrome is on, the legend
/// area: a column on the right, or a band below the plot under [`super::options::LEGEND_BELOW`] px.
pub(crate) fn panels<'a>(
    root: &Area<'a>,
    opts: &FigureOptions,
    heading: &Heading,
    legend_size: (f64, i32),
) -> DrawResult<(Area<'a>, Option<Area<'a>>)> {
    if !opts.chrome {
        return Ok((root.margin(8, 8, 8, 6), None));
    }
    heading.draw(root)?;
    let body = root.margin(heading.height(), MARGIN, MARGIN, MARGIN / 2);
    let (w, h) = body.dim_in_pixel();
    if legend_size.1 <= 0 {
        return Ok((body, None));
    }
    if opts.legend_below() {
        let plot_h = (h as i32 - legend_size.1 - 6 - BELOW_GAP).max(h as i32 / 3) as u32;
        let (plot, legend) = body.split_vertically(plot_h);
        Ok((plot, Some(legend.margin(BELOW_GAP, 0, 0, 0))))
    } else {
        let legend = (legend_size.0.ceil() as u32).min(w / 2);
        let (plot, legend) = body.split_horizontally(w - legend);
        Ok((plot, Some(legend)))
    }
}

/// Ends a drawing: a message in the panel when nothing is `shown`, then the legend in its area (if it has one).
pub(crate) fn finish(chart: &Chart, shown: bool, legend: &Legend, legend_area: Option<&Area>) -> DrawResult<()> {
    if !shown {
        axes::message(chart, axes::ALL_HIDDEN)?;
    }
    match legend_area {
        Some(l) => legend.draw(l, 6),
        None => Ok(()),
    }
}

/// A figure drawn by [`plot`]: the SVG document, its size and its plot panel.
pub(crate) struct Drawn {
    /// The SVG document.
    pub svg: String,
    /// Width and height, px.
    pub size: (u32, u32),
    /// Where the axes map their ranges, SVG px.
    pub plot: Rect,
}

/// The usual figure at its natural height over [`base_height`]: heading, one axes panel, the legend beside
/// or below; `draw` gets the canvas and the chart, and [`finish`] ends it (nothing `shown`: a message).
pub(crate) fn plot(
    opts: &FigureOptions,
    heading: &Heading,
    legend: &Legend,
    axes: &Axes,
    shown: bool,
    draw: impl FnOnce(&Area, &Chart) -> DrawResult<()>,
) -> Result<Drawn> {
    let legend_size = (legend.width(), legend.height_for(opts));
    let size = (opts.width, natural_height(opts, base_height(opts.width), heading, legend_size.1));
    let mut plot = Rect::default();
    let svg = render(size, |root| {
        let (area, legend_area) = panels(root, opts, heading, legend_size)?;
        let chart = axes::draw(&area, axes)?;
        plot = axes::plot_rect(&chart);
        draw(root, &chart)?;
        finish(&chart, shown, legend, legend_area.as_ref())
    })?;
    Ok(Drawn { svg, size, plot })
}
