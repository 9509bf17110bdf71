//! What a figure plots, beside its SVG: the plot rectangle and axis mapping, every series' columns, a table and a summary sentence.
//!
//! Px mapping (SVG px = CSS px): `px = plot.left + (v − x.lo) / (x.hi − x.lo) · plot.width`,
//! `py = plot.top + plot.height − (v − y.lo) / (y.hi − y.lo) · plot.height`; a category axis
//! draws category i centred at value i. A series' `x` and `y` always map through `x` and `y`:
//! for horizontal bars (`readout = "y"`) `y` holds the category index and `x` the value.

use serde::Serialize;

use super::palette;

/// A drawn figure: the SVG document and what it plots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The SVG document.
    pub svg: String,
    /// Its data.
    pub data: FigureData,
}

/// The plot panel, SVG px.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// One axis: its title and the data range across the plot panel.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Axis {
    /// Title with unit.
    pub label: String,
    /// Value at the left (bottom) edge of the panel.
    pub lo: f64,
    /// Value at the right (top) edge.
    pub hi: f64,
    /// Whether values map through log10 (no figure uses it yet).
    pub log: bool,
    /// Category names, index i drawn at value i; `None` for a numeric axis.
    pub categories: Option<Vec<String>>,
}

impl Axis {
    /// A linear numeric axis.
    pub fn linear(label: impl Into<String>, (lo, hi): (f64, f64)) -> Self {
        Axis { label: label.into(), lo, hi, log: false, categories: None }
    }

    /// A category axis: category i at value i, from −0.5 to n − 0.5.
    pub fn categories(label: impl Into<String>, names: Vec<String>) -> Self {
        let n = names.len() as f64;
        Axis { label: label.into(), lo: -0.5, hi: n - 0.5, log: false, categories: Some(names) }
    }
}

/// One series: its legend entry and its columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Stable id, what the legend toggles and `hidden` names.
    pub key: String,
    /// Legend text.
    pub label: String,
    /// `#RRGGBB`.
    pub colour: String,
    /// SVG `stroke-dasharray`, `None` when solid.
    pub dash: Option<String>,
    /// `line`, `band`, `bar`, `marker`, `ring` or `square`.
    pub swatch: String,
    /// Whether the legend may hide it.
    pub toggle: bool,
    /// Left out of this drawing (its columns are empty).
    pub hidden: bool,
    /// Horizontal values.
    pub x: Vec<f64>,
    /// Vertical values (the median, or the single value).
    pub y: Vec<f64>,
    /// 25 % quantile per point, `None` without spread.
    pub q25: Option<Vec<f64>>,
    /// 75 % quantile per point.
    pub q75: Option<Vec<f64>>,
    /// Per-point words for point readouts.
    pub labels: Option<Vec<String>>,
}

impl Series {
    /// A series in a method's palette colour and dash, columns empty.
    pub fn method(method: &str, label: impl Into<String>, swatch: &str) -> Self {
        let mut s = Series::plain(method, label, &palette::css_hex(method), swatch);
        s.dash = palette::css_dasharray(method).map(str::to_string);
        s
    }

    /// A series of any colour, solid, columns empty.
    pub fn plain(key: &str, label: impl Into<String>, colour: &str, swatch: &str) -> Self {
        Series {
            key: key.into(),
            label: label.into(),
            colour: colour.into(),
            dash: None,
            swatch: swatch.into(),
            toggle: true,
            hidden: false,
            x: Vec::new(),
            y: Vec::new(),
            q25: None,
            q75: None,
            labels: None,
        }
    }
}

/// A colour bar: what it shows and its stops (colour, position 0…1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gradient {
    /// What the colour shows.
    pub label: String,
    /// Word at position 0.
    pub lo: String,
    /// Word at position 1.
    pub hi: String,
    /// (`#RRGGBB`, position) from 0 to 1.
    pub stops: Vec<(String, f64)>,
}

/// The "Data" table: strings, the first cell of a row its name.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Table {
    /// What the table holds.
    pub caption: String,
    /// Column heads.
    pub columns: Vec<String>,
    /// Rows of formatted cells.
    pub rows: Vec<Vec<String>>,
}

/// Everything the page needs to read a figure without recomputing anything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureData {
    /// File stem (as in [`super::all_figures`]).
    pub name: String,
    /// Title.
    pub title: String,
    /// Subtitle, may be empty.
    pub subtitle: String,
    /// One or two sentences generated from the data.
    pub summary: String,
    /// SVG width, px.
    pub width: u32,
    /// SVG height, px.
    pub height: u32,
    /// Plot panel, SVG px.
    pub plot: Rect,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// `x`, `y` or `point`.
    pub readout: String,
    /// Every series, hidden ones included (with empty columns).
    pub series: Vec<Series>,
    /// Legend lines that are not series.
    pub notes: Vec<String>,
    /// A colour bar, if the figure has one.
    pub gradient: Option<Gradient>,
    /// What it plots as a table.
    pub table: Table,
}

impl FigureData {
    /// Empty data of a figure of `width` × `height` px, to be filled in.
    pub(crate) fn new(name: impl Into<String>, title: impl Into<String>, subtitle: impl Into<String>, readout: &str) -> Self {
        FigureData {
            name: name.into(),
            title: title.into(),
            subtitle: subtitle.into(),
            summary: String::new(),
            width: 0,
            height: 0,
            plot: Rect::default(),
            x: Axis::default(),
            y: Axis::default(),
            readout: readout.into(),
            series: Vec::new(),
            notes: Vec::new(),
            gradient: None,
            table: Table::default(),
        }
    }

    /// Sets the size and plot panel the figure was drawn with.
    pub(crate) fn place(&mut self, (width, height): (u32, u32), plot: Rect) {
        (self.width, self.height, self.plot) = (width, height, plot);
    }
}

/// A number with three significant digits ("0.331", "1.20", "27.4", "1234"); "–" when not finite.
pub fn sig3(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let decimals = (2 - v.abs().log10().floor() as i32).clamp(0, 8) as usize;
    format!("{v:.decimals$}")
}

/// A probability to 4 decimals ("0.6667"), as the page writes them; "–" when not finite.
pub fn prob(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.4}")
    } else {
        "–".into()
    }
}

/// "median [q25, q75]", or the median alone without quartiles.
pub fn with_quartiles(median: f64, q25: Option<f64>, q75: Option<f64>) -> String {
    match (q25, q75) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() => format!("{} [{}, {}]", sig3(median), sig3(a), sig3(b)),
        _ => sig3(median),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_three_significant_digits() {
        assert_eq!(sig3(0.33104), "0.331");
        assert_eq!(sig3(1.2), "1.20");
        assert_eq!(sig3(27.44), "27.4");
        assert_eq!(sig3(1234.4), "1234");
        assert_eq!(sig3(f64::NAN), "–");
        assert_eq!(with_quartiles(0.5, Some(0.4), Some(0.61)), "0.500 [0.400, 0.610]");
        assert_eq!(with_quartiles(0.5, None, None), "0.500");
        assert_eq!(prob(2.0 / 3.0), "0.6667");
        assert_eq!(prob(f64::NAN), "–");
    }
}
