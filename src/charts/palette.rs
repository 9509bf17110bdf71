//! One fixed, colour-blind-safe colour and line style per method label, the same in every figure and on the page.
//!
//! Tuners get distinct hues, mostly Okabe–Ito (the eight-colour set of Okabe &
//! Ito, minus its yellow, which is too faint on white), completed from Paul
//! Tol's "muted" set. Okabe–Ito's orange and sky blue and Tol's olive are
//! darkened (and shifted) so that every colour has 3:1 contrast on white and
//! every pair stays apart under simulated protanopia, deuteranopia and
//! tritanopia (`tests/palette_vision.rs`):
//!
//! | label        | colour    | source                             |
//! |--------------|-----------|------------------------------------|
//! | `HardPT`     | `#D55E00` | Okabe–Ito vermillion               |
//! | `SimplexPT`  | `#A08048` | Okabe–Ito orange, darkened ochre   |
//! | `RealPT`     | `#CC79A7` | Okabe–Ito reddish purple           |
//! | `SoftPT`     | `#0072B2` | Okabe–Ito blue                     |
//! | `FullWT`     | `#009E73` | Okabe–Ito bluish green             |
//! | `LoRAWT`     | `#7890E8` | Okabe–Ito sky blue, deepened       |
//! | `EmbedWT`    | `#787048` | Tol muted olive, darkened          |
//! | `UnembedWT`  | `#882255` | Tol muted wine                     |
//! | `Un+EmbedWT` | `#332288` | Tol muted indigo                   |
//!
//! Baselines share black and grey and are told apart by line style, so no
//! (colour, style) pair repeats:
//!
//! | label          | colour    | style  |
//! |----------------|-----------|--------|
//! | `NoTuning`     | `#000000` | solid  |
//! | `TargetBayes`  | `#000000` | dashed |
//! | `ground_truth` | `#000000` | dotted |
//! | `RandomPF`     | `#777777` | solid  |
//! | `PreBayes`     | `#777777` | dashed |
//! | `PreBayesPT`   | `#777777` | dotted |
//!
//! Any other label gets a colour from Paul Tol's "bright" set plus the rest of
//! "muted", picked by a hash of the label, so it is stable across runs.

use plotters::style::RGBColor;

/// How a method's lines are stroked (bars: solid = filled, dashed = light fill, dotted = outline only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// A continuous line.
    Solid,
    /// Long dashes.
    Dashed,
    /// Short dots.
    Dotted,
}

const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
const GREY: RGBColor = RGBColor(0x77, 0x77, 0x77);

/// Colours for labels outside the fixed table (Tol bright and muted, none used above).
const FALLBACK: [RGBColor; 8] = [
    RGBColor(0xEE, 0x66, 0x77),
    RGBColor(0x22, 0x88, 0x33),
    RGBColor(0x44, 0x77, 0xAA),
    RGBColor(0xAA, 0x33, 0x77),
    RGBColor(0x44, 0xAA, 0x99),
    RGBColor(0x11, 0x77, 0x33),
    RGBColor(0xCC, 0x66, 0x77),
    RGBColor(0xAA, 0x44, 0x99),
];

/// The fixed colour and style of a known label, `None` for any other.
fn known(method: &str) -> Option<(RGBColor, LineStyle)> {
    use LineStyle::*;
    let entry = match method {
        "HardPT" => (RGBColor(0xD5, 0x5E, 0x00), Solid),
        "SimplexPT" => (RGBColor(0xA0, 0x80, 0x48), Solid),
        "RealPT" => (RGBColor(0xCC, 0x79, 0xA7), Solid),
        "SoftPT" => (RGBColor(0x00, 0x72, 0xB2), Solid),
        "FullWT" => (RGBColor(0x00, 0x9E, 0x73), Solid),
        "LoRAWT" => (RGBColor(0x78, 0x90, 0xE8), Solid),
        "EmbedWT" => (RGBColor(0x78, 0x70, 0x48), Solid),
        "UnembedWT" => (RGBColor(0x88, 0x22, 0x55), Solid),
        "Un+EmbedWT" => (RGBColor(0x33, 0x22, 0x88), Solid),
        "NoTuning" => (BLACK, Solid),
        "TargetBayes" => (BLACK, Dashed),
        "ground_truth" => (BLACK, Dotted),
        "RandomPF" => (GREY, Solid),
        "PreBayes" => (GREY, Dashed),
        "PreBayesPT" => (GREY, Dotted),
        _ => return None,
    };
    Some(entry)
}

/// FNV-1a: a tiny hash that is the same on every platform and every run.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The colour of `method` in every figure.
pub fn colour(method: &str) -> RGBColor {
    match known(method) {
        Some((c, _)) => c,
        None => FALLBACK[(stable_hash(method) % FALLBACK.len() as u64) as usize],
    }
}

/// The line style of `method` (unknown labels are solid).
pub fn line_style(method: &str) -> LineStyle {
    known(method).map_or(LineStyle::Solid, |(_, s)| s)
}

/// Whether `method` is drawn with a broken (dashed or dotted) line.
pub fn is_dashed(method: &str) -> bool {
    line_style(method) != LineStyle::Solid
}

/// `#RRGGBB` (upper case, as the SVG figures write it) for the page's legends.
pub fn css_hex(method: &str) -> String {
    let RGBColor(r, g, b) = colour(method);
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// SVG/CSS `stroke-dasharray` of `method`'s line in pixels, `None` when solid.
pub fn css_dasharray(method: &str) -> Option<&'static str> {
    match line_style(method) {
        LineStyle::Solid => None,
        LineStyle::Dashed => Some("7 4"),
        LineStyle::Dotted => Some("2 3"),
    }
}

/// Dash and gap length in pixels for plotters' dashed paths, `None` when solid.
pub(crate) fn dash_pattern(style: LineStyle) -> Option<(f64, f64)> {
    match style {
        LineStyle::Solid => None,
        LineStyle::Dashed => Some((7.0, 4.0)),
        LineStyle::Dotted => Some((2.0, 3.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_labels_look_the_same() {
        let labels: Vec<&str> = crate::results::method_catalog().iter().map(|m| m.label).collect();
        assert_eq!(labels.len(), 15);
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!((colour(a), line_style(a)) != (colour(b), line_style(b)), "{a} and {b} look alike");
            }
        }
    }

    #[test]
    fn unknown_labels_are_stable() {
        assert_eq!(css_hex("MyTuner"), css_hex("MyTuner"));
        assert_eq!(css_hex("SoftPT"), "#0072B2");
        assert!(!is_dashed("MyTuner"));
        assert!(is_dashed("PreBayes") && css_dasharray("PreBayes").is_some());
    }
}
