//! Text without fonts: font styles and a width estimate, because plotters' own text measurement needs system fonts natively and a DOM in wasm.
//!
//! plotters measures text only for captions, legends, multi-line text and
//! right-hand axis labels; the figures use none of those and place every
//! label themselves with [`width`], so the same SVG comes out natively, in a
//! browser tab, in a Web Worker and under Node.

use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};

/// plotters-svg writes `font-size = size / 1.24`; sizes here are in CSS pixels.
const PLOTTERS_FONT_SCALE: f64 = 1.24;

/// Body text (axis ticks, legend) in px.
pub const SMALL: f64 = 12.0;
/// Axis titles in px.
pub const MEDIUM: f64 = 13.0;
/// Figure titles in px.
pub const LARGE: f64 = 16.0;

/// Dark grey for secondary text (subtitles, annotations).
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// A regular sans-serif style of `px` pixels.
pub fn font(px: f64) -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, px * PLOTTERS_FONT_SCALE, FontStyle::Normal).into()
}

/// A bold sans-serif style of `px` pixels.
pub fn bold(px: f64) -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, px * PLOTTERS_FONT_SCALE, FontStyle::Bold).into()
}

/// Advance width of one character in em, for a wide sans-serif (DejaVu Sans
/// class), so estimates err on the generous side for Helvetica or Arial.
fn advance(c: char) -> f64 {
    match c {
        ' ' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | 'i' | 'j' | 'l' | '·' => 0.32,
        'f' | 't' | 'I' | '(' | ')' | '[' | ']' | '-' | '/' => 0.40,
        'r' => 0.42,
        'm' => 0.98,
        'w' => 0.82,
        'M' | 'W' | '%' | '@' => 0.96,
        '0'..='9' | '_' | '–' => 0.64,
        '+' | '=' | '<' | '>' | '#' | '∅' | '~' => 0.84,
        'a'..='z' => 0.62,
        'A'..='Z' => 0.72,
        _ => 0.8,
    }
}

/// Estimated width in px of `text` set at `px` pixels.
pub fn width(text: &str, px: f64) -> f64 {
    text.chars().map(advance).sum::<f64>() * px
}

/// `text` shortened with "…" so that its estimated width fits `max_px`.
pub fn fit(text: &str, px: f64, max_px: f64) -> String {
    if width(text, px) <= max_px {
        return text.to_string();
    }
    let budget = max_px - width("…", px);
    let mut used = 0.0;
    let mut out: String = text
        .chars()
        .take_while(|&c| {
            used += advance(c) * px;
            used <= budget
        })
        .collect();
    out.push('…');
    out
}

/// `text` broken at spaces into at most `max_lines` lines of at most `max_px`, the last one shortened with "…" if needed.
pub fn wrap(text: &str, px: f64, max_px: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut words = text.split(' ').filter(|w| !w.is_empty()).peekable();
    while words.peek().is_some() {
        if lines.len() + 1 == max_lines.max(1) {
            let rest: Vec<&str> = words.collect();
            lines.push(fit(&rest.join(" "), px, max_px));
            break;
        }
        let mut line = String::new();
        while let Some(&w) = words.peek() {
            let candidate = if line.is_empty() { w.to_string() } else { format!("{line} {w}") };
            if !line.is_empty() && width(&candidate, px) > max_px {
                break;
            }
            line = candidate;
            words.next();
        }
        lines.push(fit(&line, px, max_px));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        assert!(width("N_train", 12.0) > width("N_eval", 12.0));
        assert!(width("SoftPT", 16.0) > width("SoftPT", 12.0));
        let short = fit("Un+EmbedWT (diverged at steps 12, 40, 77)", 12.0, 100.0);
        assert!(short.ends_with('…') && width(&short, 12.0) <= 100.0);
        assert_eq!(fit("SoftPT", 12.0, 100.0), "SoftPT");
        let lines = wrap("one two three four five six seven", 12.0, 80.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| width(l, 12.0) <= 80.0) && lines[1].ends_with('…'), "{lines:?}");
        assert_eq!(wrap("", 12.0, 80.0, 2), Vec::<String>::new());
    }
}
