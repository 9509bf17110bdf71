//! Instant and cumulative regret curves of every method on one evaluation source: median line, 25–75 % band, thin repetitions, key-step markers.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, Axes, Chart};
use super::data::{with_quartiles, Axis, Figure, FigureData, Series, Table};
use super::frame::{self, DrawResult, Heading};
use super::legend::{method_label, Legend};
use super::options::FigureOptions;
use super::stats::{self, cumulative, per_step_quartiles};
use super::{describe, palette, strokes, text};
use crate::error::{Error, Result};
use crate::results::{KeySteps, MethodResult, Results};

/// The oracle: its regret is 0 by definition, so it is never drawn.
const ORACLE: &str = "ground_truth";

/// Which regret a figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegretKind {
    /// Regret at each step (nats).
    Instant,
    /// Regret summed over the steps so far (nats).
    Cumulative,
}

/// One method's curves; index n is step n + 1.
pub(super) struct Curve<'r> {
    pub method: &'r MethodResult,
    pub median: Vec<f64>,
    pub q25: Vec<f64>,
    pub q75: Vec<f64>,
    /// One per repetition that did not diverge.
    pub repetitions: Vec<Vec<f64>>,
}

/// Quartiles per step as three columns (NaN where nothing was finite).
fn columns(quartiles: &[Option<[f64; 3]>]) -> [Vec<f64>; 3] {
    let pick = |k: usize| quartiles.iter().map(|q| q.map_or(f64::NAN, |q| q[k])).collect();
    [pick(0), pick(1), pick(2)]
}

/// The curves of `m` on `source`, `None` when it has no regret there.
fn curve<'r>(m: &'r MethodResult, source: &str, kind: RegretKind) -> Option<Curve<'r>> {
    let all: Vec<&[f64]> =
        m.repetitions.iter().filter_map(|r| r.instant_regret.get(source)).map(Vec::as_slice).collect();
    let per_rep: Vec<Vec<f64>> = match kind {
        RegretKind::Instant => all.iter().map(|r| r.to_vec()).collect(),
        RegretKind::Cumulative => all.iter().map(|r| cumulative(r)).collect(),
    };
    let summary = m.summary.get(source).filter(|_| kind == RegretKind::Cumulative);
    let [median, q25, q75] = match summary {
        Some(s) => [s.median.clone(), s.q25.clone(), s.q75.clone()],
        None => {
            if per_rep.is_empty() {
                return None;
            }
            let refs: Vec<&[f64]> = per_rep.iter().map(Vec::as_slice).collect();
            columns(&per_step_quartiles(&refs))
        }
    };
    let repetitions = m
        .repetitions
        .iter()
        .filter(|r| r.instant_regret.contains_key(source))
        .zip(per_rep)
        .filter(|(r, _)| r.diverged.is_none())
        .map(|(_, v)| v)
        .collect();
    Some(Curve { method: m, median, q25, q75, repetitions })
}

/// Every drawable curve on `source`, in display order.
pub(super) fn curves<'r>(results: &'r Results, source: &str, kind: RegretKind) -> Result<Vec<Curve<'r>>> {
    if !results.eval_sources.iter().any(|s| s == source) {
        let known = results.eval_sources.join(", ");
        return Err(Error::invalid("source", source, format!("one of the evaluation sources ({known})")));
    }
    let curves: Vec<Curve> =
        results.methods.iter().filter(|m| m.method != ORACLE).filter_map(|m| curve(m, source, kind)).collect();
    if curves.is_empty() {
        return Err(Error::invalid("source", source, "a source on which at least one method was evaluated"));
    }
    Ok(curves)
}

/// The key steps `(step, "N_tune = N_train")` that lie in 1..=n, equal steps merged, in step order.
pub(super) fn key_marks(keys: KeySteps, n: usize) -> Vec<(usize, String)> {
    let mut marks: Vec<(usize, String)> = Vec::new();
    for (step, name) in [(keys.tune, "N_tune"), (keys.train, "N_train"), (keys.eval, "N_eval")] {
        match marks.iter_mut().find(|(s, _)| *s == step) {
            Some((_, label)) => *label = format!("{label} = {name}"),
            None => marks.push((step, name.to_string())),
        }
    }
    marks.retain(|(s, _)| (1..=n).contains(s));
    marks.sort_by_key(|(s, _)| *s);
    marks
}

/// Shorter titles of the regret axes.
const INSTANT_SHORT: &[&str] = &["instant regret (nats)", "regret (nats)"];
pub(super) const CUMULATIVE_SHORT: &[&str] = &["cumulative regret (nats)", "regret (nats)"];

/// What a table cell without brackets means.
pub(super) const SINGLE_VALUE: &str =
    "a value without brackets: a method with one repetition (a deterministic baseline, or a run of one repetition), so no spread";

/// "at step 1, N_tune = 50, N_train = 100 and N_eval = 200, and at steps 150 (quarters of the 200 steps)":
/// the steps [`table_steps`] picks from 1..=n, in words.
pub(super) fn steps_words(steps: &[(usize, String)], n: usize) -> String {
    let list = |v: Vec<String>| match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        _ => format!("{} and {}", v[..v.len() - 1].join(", "), v[v.len() - 1]),
    };
    let named: Vec<String> = steps.iter().filter(|(_, h)| !h.starts_with("step ")).map(|(_, h)| h.clone()).collect();
    let plain: Vec<String> = steps.iter().filter(|(s, h)| *s > 1 && h.starts_with("step ")).map(|(s, _)| s.to_string()).collect();
    let mut first: Vec<String> = Vec::new();
    if steps.iter().any(|(s, h)| *s == 1 && h.starts_with("step ")) {
        first.push("step 1".into());
    }
    first.extend(named);
    let mut out = format!("at {}", list(first));
    if !plain.is_empty() {
        let what = if plain.len() == 1 { "step" } else { "steps" };
        out.push_str(&format!(", and at {what} {} (quarters of the {n} steps)", list(plain)));
    }
    out
}

/// The steps a table shows: step 1, the key steps and the quarters of 1..=n (n/4, n/2, 3n/4, n), each once, with their column heads.
pub(super) fn table_steps(keys: KeySteps, n: usize) -> Vec<(usize, String)> {
    let mut steps: Vec<(usize, String)> = key_marks(keys, n).into_iter().map(|(s, l)| (s, format!("{l} = {s}"))).collect();
    for s in [1, n / 4, n / 2, 3 * n / 4, n] {
        if s >= 1 && !steps.iter().any(|(t, _)| *t == s) {
            steps.push((s, format!("step {s}")));
        }
    }
    steps.sort_by_key(|(s, _)| *s);
    steps
}

/// Dotted vertical lines at N_tune, N_train and N_eval, labelled at the top in as many rows as their labels need.
fn key_step_markers(chart: &Chart, keys: KeySteps, x_max: f64) -> DrawResult<()> {
    let marks = key_marks(keys, x_max.max(0.0) as usize);
    let (y_lo, y_hi) = {
        let r = chart.y_range();
        (r.start, r.end)
    };
    let ((left, top), (right, bottom)) = axes::panel(chart);
    let grey = RGBColor(0x55, 0x55, 0x55);
    // Right end of the last label in each row.
    let mut rows: Vec<i32> = Vec::new();
    for (step, label) in marks {
        let x = step as f64;
        strokes::line(chart, [(x, y_lo), (x, y_hi)], grey.mix(0.8), palette::LineStyle::Dotted, 1)?;
        let (px, _) = chart.backend_coord(&(x, y_hi));
        let w = text::width(&label, text::SMALL).ceil() as i32;
        // Label right of the line, or left of it when it would leave the panel.
        let fits_right = px + 4 + w <= right;
        let (anchor, x0, x1) =
            if fits_right { (HPos::Left, px + 4, px + 4 + w) } else { (HPos::Right, px - 4 - w, px - 4) };
        let row = match rows.iter().position(|&end| x0 > end + 4) {
            Some(r) => r,
            None => {
                rows.push(i32::MIN);
                rows.len() - 1
            }
        };
        rows[row] = x1;
        let y = 4 + row as i32 * 15;
        if top + y + 14 > bottom {
            continue;
        }
        let style = text::font(text::SMALL).color(&grey).pos(Pos::new(anchor, VPos::Top));
        let tx = if fits_right { x0 } else { x1 };
        let area = chart.plotting_area().strip_coord_spec();
        // A pale box behind the label keeps it legible where a curve passes under it.
        area.draw(&Rectangle::new([(x0 - left - 2, y - 1), (x1 - left + 2, y + 14)], WHITE.mix(0.85).filled()))?;
        area.draw_text(&label, &style, (tx - left, y))?;
    }
    Ok(())
}

/// A method's median at step `s` (1-based) with its quartiles when it has a spread.
fn cell(c: &Curve, s: usize) -> String {
    let at = |v: &[f64]| v.get(s - 1).copied().unwrap_or(f64::NAN);
    let spread = c.method.repetitions.len() > 1;
    with_quartiles(at(&c.median), spread.then(|| at(&c.q25)), spread.then(|| at(&c.q75)))
}

/// The regret figure of `kind` for `source`; series keys are the method labels.
pub fn regret_figure(results: &Results, source: &str, kind: RegretKind, opts: &FigureOptions) -> Result<Figure> {
    opts.validate()?;
    let all = curves(results, source, kind)?;
    let curves: Vec<&Curve> = all.iter().filter(|c| opts.shows(&c.method.method)).collect();
    let n = all.iter().map(|c| c.median.len()).max().unwrap_or(0).max(results.key_steps.eval).max(1);
    let xs: Vec<f64> = (1..=n).map(|s| s as f64).collect();

    let drawn = curves.iter().flat_map(|c| {
        c.median
            .iter()
            .chain(&c.q25)
            .chain(&c.q75)
            .chain(c.repetitions.iter().filter(|_| c.repetitions.len() > 1).flatten())
    });
    let (lo, hi) = stats::finite_range(drawn).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = stats::padded(lo, hi, 0.05, true);

    let mut legend = Legend::default();
    for c in &curves {
        legend.push_method_line(c.method, c.method.repetitions.len() > 1);
    }
    let (title, y_desc, y_short, what) = match kind {
        RegretKind::Instant => (format!("Instant regret against the oracle on {source}"), "instant regret against the oracle (nats)", INSTANT_SHORT, "Instant regret"),
        RegretKind::Cumulative => (format!("Cumulative regret against the oracle on {source}"), "cumulative regret against the oracle (nats)", CUMULATIVE_SHORT, "Cumulative regret"),
    };
    let subtitle =
        "regret = log loss − the oracle's (it knows the coin); median over repetitions, band 25–75 %, thin lines: repetitions";
    let heading = Heading::new(opts, &title, subtitle);
    let axes = Axes { x: (0.0, n as f64), y: (y_lo, y_hi), x_desc: "step (tokens)", x_short: &["step"], y_desc, y_short, ..Axes::default() };
    let drawn = frame::plot(opts, &heading, &legend, &axes, !curves.is_empty(), |_, chart| {
        for c in &curves {
            if c.method.repetitions.len() > 1 {
                strokes::band(chart, &xs, &c.q25, &c.q75, palette::colour(&c.method.method), 0.16)?;
            }
        }
        for c in curves.iter().filter(|c| c.repetitions.len() > 1) {
            let colour = palette::colour(&c.method.method).mix(0.28);
            for rep in &c.repetitions {
                strokes::line(chart, xs.iter().copied().zip(rep.iter().copied()), colour, palette::LineStyle::Solid, 1)?;
            }
        }
        for c in &curves {
            let name = &c.method.method;
            let points = xs.iter().copied().zip(c.median.iter().copied());
            strokes::line(chart, points, palette::colour(name).to_rgba(), palette::line_style(name), 2)?;
        }
        key_step_markers(chart, results.key_steps, n as f64)
    })?;

    let stem = match kind {
        RegretKind::Instant => "regret_instant_",
        RegretKind::Cumulative => "regret_cumulative_",
    };
    let mut data = FigureData::new(format!("{stem}{}", super::file_stem(source)), title, subtitle, "x");
    data.place(drawn.size, drawn.plot);
    data.x = Axis::linear("step (tokens)", (0.0, n as f64));
    data.y = Axis::linear(y_desc, (y_lo, y_hi));
    for c in &all {
        let spread = c.method.repetitions.len() > 1;
        let mut s = Series::method(&c.method.method, method_label(c.method), if spread { "band" } else { "line" });
        if opts.shows(&c.method.method) {
            s.x = (1..=c.median.len()).map(|i| i as f64).collect();
            s.y = c.median.clone();
            if spread {
                (s.q25, s.q75) = (Some(c.q25.clone()), Some(c.q75.clone()));
            }
        } else {
            s.hidden = true;
        }
        data.series.push(s);
    }
    let steps = table_steps(results.key_steps, n);
    data.table = Table {
        caption: format!("{what} against the oracle on {source} (nats): median [25 %, 75 %] over repetitions, {}; {SINGLE_VALUE}", steps_words(&steps, n)),
        columns: std::iter::once("method".to_string()).chain(steps.iter().map(|(_, h)| h.clone())).collect(),
        rows: curves
            .iter()
            .map(|c| std::iter::once(method_label(c.method)).chain(steps.iter().map(|(s, _)| cell(c, *s))).collect())
            .collect(),
    };
    let ends: Vec<(String, f64)> =
        curves.iter().map(|c| (c.method.method.clone(), c.median.get(n - 1).copied().unwrap_or(f64::NAN))).collect();
    let when = match kind {
        RegretKind::Instant => format!("At step {n}"),
        RegretKind::Cumulative => format!("After {n} steps"),
    };
    data.summary = format!(
        "{}{}",
        describe::lowest_highest(&when, &ends, "nats"),
        describe::divergences(curves.iter().map(|c| c.method))
    );
    Ok(Figure { svg: drawn.svg, data })
}

/// Cumulative regret (nats) per step on `source`, from the precomputed summary.
pub fn cumulative_regret(results: &Results, source: &str, opts: &FigureOptions) -> Result<Figure> {
    regret_figure(results, source, RegretKind::Cumulative, opts)
}

/// Instant regret (nats) per step on `source`, quartiles across repetitions.
pub fn instant_regret(results: &Results, source: &str, opts: &FigureOptions) -> Result<Figure> {
    regret_figure(results, source, RegretKind::Instant, opts)
}
