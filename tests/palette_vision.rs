//! The method colours under colour-vision deficiency: every pair stays apart under simulated protanopia, deuteranopia and tritanopia, and every colour has 3:1 contrast on white.
//!
//! Simulation: Machado, Oliveira & Fernandes (2009), severity 1.0 matrices applied to
//! linear sRGB, clamped, then CIELAB (D65). Distance: CIEDE2000. Threshold: ΔE00 ≥ 8
//! in every condition, normal vision included. A ΔE00 of about 2 is the smallest
//! difference seen side by side in large patches; thin lines and small swatches need
//! several times that. 8 (four such steps) is the most these eleven colours keep
//! while every one has 3:1 contrast on white and the Okabe–Ito hues keep their roles;
//! the closest pairs are SimplexPT–EmbedWT under protanopia and HardPT–SimplexPT under
//! deuteranopia (about 8.6). Pairs that share a colour on purpose (the
//! black and grey baselines) are told apart by line style and are left out here;
//! `palette::tests::no_two_labels_look_the_same` checks that their styles differ.

use promptlab::charts::{colour, line_style};
use promptlab::results::method_catalog;

/// Least CIEDE2000 distance between two method colours in any condition.
const MIN_DELTA_E: f64 = 8.0;
/// WCAG 2.1 non-text contrast (1.4.11) against the white figure background.
const MIN_CONTRAST: f64 = 3.0;

const PROTANOPIA: [[f64; 3]; 3] =
    [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];
const DEUTERANOPIA: [[f64; 3]; 3] =
    [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]];
const TRITANOPIA: [[f64; 3]; 3] =
    [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]];
const NORMAL: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// CIELAB (D65) of linear RGB.
fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
    let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    let f = |t: f64| if t > 216.0 / 24389.0 { t.cbrt() } else { (24389.0 / 27.0 * t + 16.0) / 116.0 };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// `method`'s colour as seen through `matrix`, in CIELAB.
fn seen(method: &str, matrix: &[[f64; 3]; 3]) -> [f64; 3] {
    let c = colour(method);
    let rgb = [linear(c.0), linear(c.1), linear(c.2)];
    let m = |row: &[f64; 3]| (row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]).clamp(0.0, 1.0);
    lab([m(&matrix[0]), m(&matrix[1]), m(&matrix[2])])
}

/// CIEDE2000 colour difference (Sharma, Wu & Dalal 2005).
fn delta_e2000([l1, a1, b1]: [f64; 3], [l2, a2, b2]: [f64; 3]) -> f64 {
    let (c1, c2) = (a1.hypot(b1), a2.hypot(b2));
    let cb7 = ((c1 + c2) / 2.0).powi(7);
    let g = 0.5 * (1.0 - (cb7 / (cb7 + 25f64.powi(7))).sqrt());
    let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1p, c2p) = (a1p.hypot(b1), a2p.hypot(b2));
    let hue = |b: f64, a: f64| b.atan2(a).to_degrees().rem_euclid(360.0);
    let (h1p, h2p) = (hue(b1, a1p), hue(b2, a2p));
    let dl = l2 - l1;
    let dc = c2p - c1p;
    let mut dh = h2p - h1p;
    if c1p * c2p == 0.0 {
        dh = 0.0;
    } else if dh > 180.0 {
        dh -= 360.0;
    } else if dh < -180.0 {
        dh += 360.0;
    }
    let dhh = 2.0 * (c1p * c2p).sqrt() * (dh / 2.0).to_radians().sin();
    let lb = (l1 + l2) / 2.0;
    let cbp = (c1p + c2p) / 2.0;
    let hb = if c1p * c2p == 0.0 {
        h1p + h2p
    } else if (h1p - h2p).abs() <= 180.0 {
        (h1p + h2p) / 2.0
    } else if h1p + h2p < 360.0 {
        (h1p + h2p + 360.0) / 2.0
    } else {
        (h1p + h2p - 360.0) / 2.0
    };
    let cos = |deg: f64| deg.to_radians().cos();
    let t = 1.0 - 0.17 * cos(hb - 30.0) + 0.24 * cos(2.0 * hb) + 0.32 * cos(3.0 * hb + 6.0) - 0.20 * cos(4.0 * hb - 63.0);
    let dtheta = 30.0 * (-((hb - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (cbp.powi(7) / (cbp.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (lb - 50.0).powi(2) / (20.0 + (lb - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * cbp;
    let sh = 1.0 + 0.015 * cbp * t;
    let rt = -(2.0 * dtheta).to_radians().sin() * rc;
    ((dl / sl).powi(2) + (dc / sc).powi(2) + (dhh / sh).powi(2) + rt * (dc / sc) * (dhh / sh)).sqrt()
}

/// WCAG contrast ratio of `method`'s colour against white.
fn contrast_on_white(method: &str) -> f64 {
    let c = colour(method);
    let l = 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2);
    1.05 / (l + 0.05)
}

#[test]
fn ciede2000_matches_the_published_test_pairs() {
    // Sharma, Wu & Dalal (2005), table 1, pairs 1, 7 and 17.
    let close = |a: [f64; 3], b: [f64; 3], want: f64| (delta_e2000(a, b) - want).abs() < 1e-4;
    assert!(close([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425));
    assert!(close([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669));
    assert!(close([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492));
    // Simulated protanopia makes red and green alike: the test can fail.
    let (red, green) = ([linear(0xCC), linear(0x44), 0.0], [linear(0x66), linear(0x77), 0.0]);
    let sim = |rgb: [f64; 3]| {
        let m = |row: &[f64; 3]| (row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]).clamp(0.0, 1.0);
        lab([m(&PROTANOPIA[0]), m(&PROTANOPIA[1]), m(&PROTANOPIA[2])])
    };
    assert!(delta_e2000(sim(red), sim(green)) < MIN_DELTA_E);
}

#[test]
fn method_colours_stay_apart_under_colour_vision_deficiency() {
    let labels: Vec<&str> = method_catalog().iter().map(|m| m.label).collect();
    let mut failures = Vec::new();
    for (name, matrix) in [("normal", NORMAL), ("protanopia", PROTANOPIA), ("deuteranopia", DEUTERANOPIA), ("tritanopia", TRITANOPIA)] {
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                if colour(a) == colour(b) {
                    assert_ne!(line_style(a), line_style(b), "{a} and {b} share colour and style");
                    continue;
                }
                let d = delta_e2000(seen(a, &matrix), seen(b, &matrix));
                if d < MIN_DELTA_E {
                    failures.push(format!("{name}: {a} and {b} ΔE00 = {d:.1}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_method_colour_has_three_to_one_contrast_on_white() {
    for m in method_catalog() {
        let c = contrast_on_white(m.label);
        assert!(c >= MIN_CONTRAST, "{}: contrast {c:.2} on white", m.label);
    }
}
