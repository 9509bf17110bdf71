//! The legend beside or below the plot: one row per series with a swatch in the series' own style, in as many columns as the area holds, laid out with the text estimate.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{Area, DrawResult};
use super::options::FigureOptions;
use super::palette::{self, LineStyle};
use super::{strokes, text};
use crate::results::MethodResult;

/// Swatch width, px.
const SWATCH: i32 = 26;
/// Left padding, gap between swatch and text, px.
const PAD: i32 = 10;
const GAP: i32 = 6;
/// Widest legend column, px.
const MAX_WIDTH: f64 = 250.0;
/// Row height when there is room, px.
const ROW: i32 = 19;

/// What is drawn in front of a legend label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A line in the method's style, with a translucent band behind it when `band`.
    Line { colour: RGBColor, style: LineStyle, band: bool },
    /// A bar: filled (solid), light (dashed) or outlined (dotted).
    Bar { colour: RGBColor, style: LineStyle },
    /// A circle marker, filled or a ring.
    Marker { colour: RGBColor, filled: bool },
    /// A small filled square.
    Square { colour: RGBColor },
    /// No swatch: a note in grey.
    Note,
}

/// One legend row.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The text.
    pub label: String,
    /// What goes in front of it.
    pub swatch: Swatch,
}

/// All rows of a legend, top to bottom.
#[derive(Debug, Clone, Default)]
pub(crate) struct Legend {
    /// The rows.
    pub entries: Vec<Entry>,
}

/// A method's legend text: its label, plus the steps at which repetitions diverged.
pub(crate) fn method_label(m: &MethodResult) -> String {
    let steps: Vec<String> =
        m.repetitions.iter().filter_map(|r| r.diverged.as_ref()).map(|d| d.step.to_string()).collect();
    match steps.len() {
        0 => m.method.clone(),
        1 => format!("{} (diverged at step {})", m.method, steps[0]),
        _ => format!("{} (diverged at steps {})", m.method, steps.join(", ")),
    }
}

impl Legend {
    /// Adds a row.
    pub fn push(&mut self, label: impl Into<String>, swatch: Swatch) {
        self.entries.push(Entry { label: label.into(), swatch });
    }

    /// Adds a method's line row in its palette colour and style.
    pub fn push_method_line(&mut self, m: &MethodResult, band: bool) {
        let swatch = Swatch::Line { colour: palette::colour(&m.method), style: palette::line_style(&m.method), band };
        self.push(method_label(m), swatch);
    }

    /// Width of the column, px.
    pub fn width(&self) -> f64 {
        let widest = self.entries.iter().map(|e| text::width(&e.label, text::SMALL)).fold(0.0, f64::max);
        (f64::from(PAD + SWATCH + GAP) + widest + 8.0).min(MAX_WIDTH)
    }

    /// How many columns fit in `width` px (one for a column beside the plot).
    fn columns(&self, width: f64) -> usize {
        ((width / self.width()).floor() as usize).clamp(1, self.entries.len().max(1))
    }

    /// Rows per column in `width` px.
    fn rows(&self, width: f64) -> usize {
        self.entries.len().div_ceil(self.columns(width))
    }

    /// Height of the rows in one column, px.
    pub fn height(&self) -> i32 {
        ROW * self.entries.len() as i32
    }

    /// Height of the legend as `opts` lays it out: in columns across the figure below the plot, else one column.
    pub fn height_for(&self, opts: &FigureOptions) -> i32 {
        if opts.chrome && opts.legend_below() {
            ROW * self.rows(f64::from(opts.width) - 21.0) as i32
        } else {
            self.height()
        }
    }

    /// Draws the rows into `area`, starting `top` px below its upper edge, down each column then across.
    pub fn draw(&self, area: &Area, top: i32) -> DrawResult<()> {
        let (w, h) = area.dim_in_pixel();
        let columns = self.columns(f64::from(w));
        let per_column = self.rows(f64::from(w)).max(1);
        let column_width = w as i32 / columns as i32;
        let row = ROW.min((h as i32 - top) / per_column as i32).max(12);
        let text_room = f64::from(column_width - PAD - SWATCH - GAP - 2);
        for (i, entry) in self.entries.iter().enumerate() {
            let (c, r) = ((i / per_column) as i32, (i % per_column) as i32);
            let y = top + row * r + row / 2;
            let left = c * column_width;
            let (x0, x1) = (left + PAD, left + PAD + SWATCH);
            let text_x = match entry.swatch {
                Swatch::Note => x0,
                _ => x1 + GAP,
            };
            match entry.swatch {
                Swatch::Line { colour, style, band } => {
                    if band {
                        area.draw(&Rectangle::new([(x0, y - 6), (x1, y + 6)], colour.mix(0.18).filled()))?;
                    }
                    strokes::pixel_line(area, &[(x0, y), (x1, y)], colour.to_rgba(), style, 2)?;
                }
                Swatch::Bar { colour, style } => strokes::bar(area, (x0 + 4, y - 6), (x1 - 4, y + 6), colour, style)?,
                Swatch::Marker { colour, filled } => strokes::marker(area, ((x0 + x1) / 2, y), colour, filled)?,
                Swatch::Square { colour } => {
                    let c = (x0 + x1) / 2;
                    area.draw(&Rectangle::new([(c - 3, y - 3), (c + 3, y + 3)], colour.filled()))?
                }
                Swatch::Note => {}
            }
            let colour = if matches!(entry.swatch, Swatch::Note) { text::MUTED } else { RGBColor(0x22, 0x22, 0x22) };
            let room = text_room + f64::from(x1 + GAP - text_x);
            let style = text::font(text::SMALL).color(&colour).pos(Pos::new(HPos::Left, VPos::Center));
            area.draw_text(&text::fit(&entry.label, text::SMALL, room), &style, (text_x, y))?;
        }
        Ok(())
    }
}
