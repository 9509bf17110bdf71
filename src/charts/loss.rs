//! Training curves: tuning loss per method (median and repetitions) and the pretraining loss with a moving average.

use plotters::style::Color;

use super::axes::{self, Axes};
use super::frame;
use super::legend::{Legend, Swatch};
use super::palette::{self, LineStyle};
use super::stats::{self, per_step_quartiles};
use super::strokes;
use crate::error::{Error, Result};
use crate::results::Results;

/// Tuning loss (nats per sequence) per tuning step of every gradient-tuned method.
pub fn tuning_loss(results: &Results) -> Result<String> {
    let tuned: Vec<_> =
        results.methods.iter().filter(|m| m.repetitions.iter().any(|r| !r.tuning_loss.is_empty())).collect();
    if tuned.is_empty() {
        return Err(Error::invalid("methods", "no tuning loss", "at least one method tuned by gradient descent"));
    }
    // Median per step across the repetitions that have a finite loss there.
    let medians: Vec<Vec<f64>> = tuned
        .iter()
        .map(|m| {
            let reps: Vec<&[f64]> = m.repetitions.iter().map(|r| r.tuning_loss.as_slice()).collect();
            per_step_quartiles(&reps).iter().map(|q| q.map_or(f64::NAN, |q| q[0])).collect()
        })
        .collect();
    let steps = tuned.iter().flat_map(|m| m.repetitions.iter().map(|r| r.tuning_loss.len())).max().unwrap_or(1);
    let all = tuned.iter().flat_map(|m| m.repetitions.iter().flat_map(|r| r.tuning_loss.iter()));
    let (lo, hi) = stats::finite_range(all).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.05, false);

    let mut legend = Legend::default();
    for m in &tuned {
        legend.push_method_line(m, false);
    }
    let subtitle = "thick: median over repetitions; thin: each repetition; lines stop where a run diverged";
    frame::render(|root| {
        let body = frame::titled(root, "Tuning loss", subtitle)?;
        let (plot, legend_area) = frame::with_legend(&body, legend.width());
        let chart = axes::draw(
            &plot,
            &Axes {
                x: (0.0, steps as f64),
                y: (y_lo, y_hi),
                x_desc: "tuning step",
                y_desc: "tuning loss (nats per sequence)",
                x_ticks: 10,
                y_ticks: 10,
                y_label_width: 0.0,
            },
        )?;
        for m in &tuned {
            let colour = palette::colour(&m.method).mix(0.3);
            for r in m.repetitions.iter().filter(|_| m.repetitions.len() > 1) {
                let points = r.tuning_loss.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y));
                strokes::line(&chart, points, colour, LineStyle::Solid, 1)?;
            }
        }
        for (m, median) in tuned.iter().zip(&medians) {
            let points = median.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y));
            strokes::line(&chart, points, palette::colour(&m.method).to_rgba(), palette::line_style(&m.method), 2)?;
        }
        legend.draw(&legend_area, 6)
    })
}

/// Centred moving average over `window` steps, ignoring non-finite values.
fn moving_average(values: &[f64], window: usize) -> Vec<f64> {
    let half = window / 2;
    (0..values.len())
        .map(|i| {
            let part = &values[i.saturating_sub(half)..(i + half + 1).min(values.len())];
            let finite: Vec<f64> = part.iter().copied().filter(|v| v.is_finite()).collect();
            if finite.is_empty() {
                f64::NAN
            } else {
                finite.iter().sum::<f64>() / finite.len() as f64
            }
        })
        .collect()
}

/// Pretraining loss (nats per sequence) per step, raw and as a moving average.
pub fn pretraining_loss(results: &Results) -> Result<String> {
    let loss = &results.pretraining_loss;
    let (lo, hi) = stats::finite_range(loss)
        .ok_or_else(|| Error::invalid("pretraining_loss", "empty", "at least one finite pretraining loss"))?;
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.05, false);
    let window = (loss.len() / 50).max(1) | 1;
    let smooth = moving_average(loss, window);
    let colour = palette::colour("NoTuning");
    let blue = plotters::style::RGBColor(0x00, 0x72, 0xB2);

    let mut legend = Legend::default();
    legend.push("loss per step", Swatch::Line { colour: blue, style: LineStyle::Solid, band: false });
    if window > 1 {
        legend.push(format!("mean of {window} steps"), Swatch::Line { colour, style: LineStyle::Solid, band: false });
    }
    let subtitle = format!("{} steps; a fresh batch every step", loss.len());
    frame::render(|root| {
        let body = frame::titled(root, "Pretraining loss", &subtitle)?;
        let (plot, legend_area) = frame::with_legend(&body, legend.width());
        let chart = axes::draw(
            &plot,
            &Axes {
                x: (0.0, loss.len() as f64),
                y: (y_lo, y_hi),
                x_desc: "pretraining step",
                y_desc: "loss (nats per sequence)",
                x_ticks: 10,
                y_ticks: 10,
                y_label_width: 0.0,
            },
        )?;
        let raw = loss.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y));
        let alpha = if window > 1 { 0.45 } else { 1.0 };
        strokes::line(&chart, raw, blue.mix(alpha), LineStyle::Solid, 1)?;
        if window > 1 {
            let points = smooth.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y));
            strokes::line(&chart, points, colour.to_rgba(), LineStyle::Solid, 2)?;
        }
        legend.draw(&legend_area, 6)
    })
}

#[cfg(test)]
mod tests {
    use super::moving_average;

    #[test]
    fn moving_average_is_centred_and_skips_nan() {
        let m = moving_average(&[1.0, 2.0, f64::NAN, 4.0, 5.0], 3);
        assert_eq!(m, vec![1.5, 1.5, 3.0, 4.5, 4.5]);
    }
}
