//! How an engine figure is drawn: its size, the series left out, and whether the title and legend are inside the SVG.

use crate::error::{Error, Result};

/// Narrowest and widest figure, px.
pub const MIN_WIDTH: u32 = 280;
/// Widest figure, px.
pub const MAX_WIDTH: u32 = 2400;
/// Lowest and highest explicit height, px.
pub const MIN_HEIGHT: u32 = 200;
/// Highest explicit height, px.
pub const MAX_HEIGHT: u32 = 3000;
/// Below this width (with chrome) the legend goes under the plot, px.
pub const LEGEND_BELOW: u32 = 560;

/// What every figure function takes.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureOptions {
    /// Width of the SVG in px (280…2400); the SVG is shown 1:1.
    pub width: u32,
    /// Height in px (200…3000), `None` for the figure's natural height at this width.
    pub height: Option<u32>,
    /// Series keys left out of the drawing (unknown keys are ignored).
    pub hidden: Vec<String>,
    /// Whether the title, subtitle and legend are drawn inside the SVG.
    pub chrome: bool,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions { width: super::WIDTH, height: None, hidden: Vec::new(), chrome: true }
    }
}

/// A px size given as a JS number: finite, whole after rounding down, within `lo..=hi`.
fn pixels(field: &str, value: f64, lo: u32, hi: u32) -> Result<u32> {
    let allowed = || format!("a number of px in {lo}..={hi}");
    if !value.is_finite() || value.floor() < f64::from(lo) || value.floor() > f64::from(hi) {
        return Err(Error::invalid(field, value, allowed()));
    }
    Ok(value.floor() as u32)
}

impl FigureOptions {
    /// Options from loosely typed values (the browser's numbers), each checked against its range.
    pub fn from_numbers(width: Option<f64>, height: Option<f64>, hidden: Vec<String>, chrome: Option<bool>) -> Result<Self> {
        let width = match width {
            Some(w) => pixels("width", w, MIN_WIDTH, MAX_WIDTH)?,
            None => super::WIDTH,
        };
        let height = height.map(|h| pixels("height", h, MIN_HEIGHT, MAX_HEIGHT)).transpose()?;
        Ok(FigureOptions { width, height, hidden, chrome: chrome.unwrap_or(true) })
    }

    /// Refuses a width or height outside its range, naming the field.
    pub fn validate(&self) -> Result<()> {
        pixels("width", f64::from(self.width), MIN_WIDTH, MAX_WIDTH)?;
        if let Some(h) = self.height {
            pixels("height", f64::from(h), MIN_HEIGHT, MAX_HEIGHT)?;
        }
        Ok(())
    }

    /// Whether the series `key` is drawn.
    pub fn shows(&self, key: &str) -> bool {
        !self.hidden.iter().any(|h| h == key)
    }

    /// Whether the legend goes below the plot rather than beside it.
    pub(crate) fn legend_below(&self) -> bool {
        self.width < LEGEND_BELOW
    }

    /// The canvas height: the explicit one, else `natural`.
    pub(crate) fn height_or(&self, natural: u32) -> u32 {
        self.height.unwrap_or_else(|| natural.clamp(MIN_HEIGHT, MAX_HEIGHT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked_by_name() {
        assert!(FigureOptions::default().validate().is_ok());
        let e = FigureOptions::from_numbers(Some(100.0), None, vec![], None).unwrap_err().to_string();
        assert!(e.contains("width") && e.contains("280..=2400"), "{e}");
        let e = FigureOptions::from_numbers(Some(400.0), Some(f64::NAN), vec![], None).unwrap_err().to_string();
        assert!(e.contains("height"), "{e}");
        assert_eq!(FigureOptions::from_numbers(Some(341.7), None, vec![], Some(false)).unwrap().width, 341);
    }
}
