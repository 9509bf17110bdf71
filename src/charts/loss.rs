//! Training curves: tuning loss per method (median and repetitions) and the pretraining loss with a moving average.

use plotters::style::Color;

use super::axes::Axes;
use super::data::{sig3, with_quartiles, Axis, Figure, FigureData, Series, Table};
use super::regret::SINGLE_VALUE;
use super::frame::{self, Heading};
use super::legend::{method_label, Legend, Swatch};
use super::options::FigureOptions;
use super::palette::{self, LineStyle};
use super::stats::{self, per_step_quartiles};
use super::{describe, strokes};
use crate::error::{Error, Result};
use crate::results::Results;

/// Tuning loss (nats per sequence) per tuning step of every gradient-tuned method; series keys are the method labels.
pub fn tuning_loss(results: &Results, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
    let all: Vec<_> =
        results.methods.iter().filter(|m| m.repetitions.iter().any(|r| !r.tuning_loss.is_empty())).collect();
    if all.is_empty() {
        return Err(Error::invalid("methods", "no tuning loss", "at least one method tuned by gradient descent"));
    }
    // Median and quartiles per step across the repetitions that have a finite loss there.
    let quartiles: Vec<Vec<Option<[f64; 3]>>> = all
        .iter()
        .map(|m| {
            let reps: Vec<&[f64]> = m.repetitions.iter().map(|r| r.tuning_loss.as_slice()).collect();
            per_step_quartiles(&reps)
        })
        .collect();
    let pick = |q: &[Option<[f64; 3]>], k: usize| -> Vec<f64> { q.iter().map(|q| q.map_or(f64::NAN, |q| q[k])).collect() };
    let tuned: Vec<(usize, &&crate::results::MethodResult)> =
        all.iter().enumerate().filter(|(_, m)| opts.shows(&m.method)).collect();
    let steps = all.iter().flat_map(|m| m.repetitions.iter().map(|r| r.tuning_loss.len())).max().unwrap_or(1);
    let shown = tuned.iter().flat_map(|(_, m)| m.repetitions.iter().flat_map(|r| r.tuning_loss.iter()));
    let (lo, hi) = stats::finite_range(shown).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.05, false);

    let mut legend = Legend::default();
    for (_, m) in &tuned {
        legend.push_method_line(m, false);
    }
    let title = "Tuning loss";
    let subtitle = "thick: median over repetitions; thin: each repetition; lines stop where a run diverged";
    let y_desc = "tuning loss (nats per sequence)";
    let heading = Heading::new(opts, title, subtitle);
    let axes = Axes {
        x: (0.0, steps as f64),
        y: (y_lo, y_hi),
        x_desc: "tuning step",
        x_short: &["step"],
        y_desc,
        y_short: &["tuning loss (nats)", "loss (nats)"],
        ..Axes::default()
    };
    let drawn = frame::plot(opts, &heading, &legend, &axes, !tuned.is_empty(), |_, chart| {
        for (_, m) in &tuned {
            let colour = palette::colour(&m.method).mix(0.3);
            for r in m.repetitions.iter().filter(|_| m.repetitions.len() > 1) {
                let points = r.tuning_loss.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y));
                strokes::line(chart, points, colour, LineStyle::Solid, 1)?;
            }
        }
        for (i, m) in &tuned {
            let points = pick(&quartiles[*i], 0).into_iter().enumerate().map(|(i, y)| ((i + 1) as f64, y));
            strokes::line(chart, points, palette::colour(&m.method).to_rgba(), palette::line_style(&m.method), 2)?;
        }
        Ok(())
    })?;

    let mut data = FigureData::new("tuning_loss", title, subtitle, "x");
    data.place(drawn.size, drawn.plot);
    data.x = Axis::linear("tuning step", (0.0, steps as f64));
    data.y = Axis::linear(y_desc, (y_lo, y_hi));
    for (i, m) in all.iter().enumerate() {
        let spread = m.repetitions.len() > 1;
        let mut s = Series::method(&m.method, method_label(m), "line");
        if opts.shows(&m.method) {
            s.y = pick(&quartiles[i], 0);
            s.x = (1..=s.y.len()).map(|i| i as f64).collect();
            if spread {
                (s.q25, s.q75) = (Some(pick(&quartiles[i], 1)), Some(pick(&quartiles[i], 2)));
            }
        } else {
            s.hidden = true;
        }
        data.series.push(s);
    }
    let marks: Vec<usize> = {
        let mut v: Vec<usize> = [1, steps / 4, steps / 2, 3 * steps / 4, steps].into_iter().filter(|&s| s >= 1).collect();
        v.dedup();
        v
    };
    let cell = |i: usize, s: usize, spread: bool| {
        let q = quartiles[i].get(s - 1).copied().flatten();
        match q {
            Some([m, a, b]) => with_quartiles(m, spread.then_some(a), spread.then_some(b)),
            None => "–".into(),
        }
    };
    data.table = Table {
        caption: format!("Tuning loss (nats per sequence): median [25 %, 75 %] over repetitions, at step 1 and at quarters of the {steps} tuning steps; {SINGLE_VALUE}"),
        columns: std::iter::once("method".to_string()).chain(marks.iter().map(|s| format!("step {s}"))).collect(),
        rows: tuned
            .iter()
            .map(|(i, m)| {
                let spread = m.repetitions.len() > 1;
                std::iter::once(method_label(m)).chain(marks.iter().map(|&s| cell(*i, s, spread))).collect()
            })
            .collect(),
    };
    // Each method's last finite median: where its loss ended.
    let ends: Vec<(String, f64)> = tuned
        .iter()
        .map(|(i, m)| (m.method.clone(), pick(&quartiles[*i], 0).into_iter().rev().find(|v| v.is_finite()).unwrap_or(f64::NAN)))
        .collect();
    data.summary = format!(
        "{}{}",
        describe::lowest_highest(&format!("After up to {steps} tuning steps"), &ends, "nats per sequence"),
        describe::divergences(tuned.iter().map(|(_, m)| **m))
    );
    Ok(Figure { svg: drawn.svg, data })
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

/// Pretraining loss (nats per sequence) per step, raw (series key `loss`) and as a moving average (`mean`).
pub fn pretraining_loss(results: &Results, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
    let loss = &results.pretraining_loss;
    if stats::finite_range(loss).is_none() {
        return Err(Error::invalid("pretraining_loss", "empty", "at least one finite pretraining loss"));
    }
    let window = (loss.len() / 50).max(1) | 1;
    let smooth = moving_average(loss, window);
    let (show_raw, show_mean) = (opts.shows("loss"), window > 1 && opts.shows("mean"));
    let shown = loss.iter().filter(|_| show_raw).chain(smooth.iter().filter(|_| show_mean));
    let (lo, hi) = stats::finite_range(shown).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.05, false);
    let colour = palette::colour("NoTuning");
    let blue = plotters::style::RGBColor(0x00, 0x72, 0xB2);
    let mean_label = format!("mean of {window} steps");

    let mut legend = Legend::default();
    if show_raw {
        legend.push("loss per step", Swatch::Line { colour: blue, style: LineStyle::Solid, band: false });
    }
    if show_mean {
        legend.push(mean_label.clone(), Swatch::Line { colour, style: LineStyle::Solid, band: false });
    }
    let title = "Pretraining loss";
    let subtitle = format!("{} steps; a fresh batch every step", loss.len());
    let y_desc = "loss (nats per sequence)";
    let heading = Heading::new(opts, title, &subtitle);
    let axes = Axes {
        x: (0.0, loss.len() as f64),
        y: (y_lo, y_hi),
        x_desc: "pretraining step",
        x_short: &["step"],
        y_desc,
        y_short: &["loss (nats)"],
        ..Axes::default()
    };
    let drawn = frame::plot(opts, &heading, &legend, &axes, show_raw || show_mean, |_, chart| {
        if show_raw {
            let raw = loss.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y));
            let alpha = if window > 1 { 0.45 } else { 1.0 };
            strokes::line(chart, raw, blue.mix(alpha), LineStyle::Solid, 1)?;
        }
        if show_mean {
            let points = smooth.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y));
            strokes::line(chart, points, colour.to_rgba(), LineStyle::Solid, 2)?;
        }
        Ok(())
    })?;

    let mut data = FigureData::new("pretraining_loss", title, subtitle, "x");
    data.place(drawn.size, drawn.plot);
    data.x = Axis::linear("pretraining step", (0.0, loss.len() as f64));
    data.y = Axis::linear(y_desc, (y_lo, y_hi));
    let steps: Vec<f64> = (1..=loss.len()).map(|i| i as f64).collect();
    let mut raw = Series::plain("loss", "loss per step", "#0072B2", "line");
    if show_raw {
        (raw.x, raw.y) = (steps.clone(), loss.clone());
    } else {
        raw.hidden = true;
    }
    data.series.push(raw);
    if window > 1 {
        let mut mean = Series::plain("mean", mean_label.clone(), &palette::css_hex("NoTuning"), "line");
        if show_mean {
            (mean.x, mean.y) = (steps, smooth.clone());
        } else {
            mean.hidden = true;
        }
        data.series.push(mean);
    }
    let n = loss.len();
    let mut marks: Vec<usize> = [1, n / 4, n / 2, 3 * n / 4, n].into_iter().filter(|&s| s >= 1).collect();
    marks.dedup();
    let mut columns = vec!["step".to_string(), "loss".to_string()];
    if window > 1 {
        columns.push(mean_label);
    }
    data.table = Table {
        caption: "Pretraining loss (nats per sequence) at evenly spaced steps".into(),
        columns,
        rows: marks
            .iter()
            .map(|&s| {
                let mut row = vec![s.to_string(), sig3(loss[s - 1])];
                if window > 1 {
                    row.push(sig3(smooth[s - 1]));
                }
                row
            })
            .collect(),
    };
    let first = smooth.iter().copied().find(|v| v.is_finite()).unwrap_or(f64::NAN);
    let last = smooth.iter().copied().rev().find(|v| v.is_finite()).unwrap_or(f64::NAN);
    data.summary = format!(
        "Over {n} pretraining steps the loss went from {} to {} nats per sequence (mean of {window} steps).",
        sig3(first),
        sig3(last)
    );
    Ok(Figure { svg: drawn.svg, data })
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
