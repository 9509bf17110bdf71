//! SVG figures of an experiment's [`Results`], the same natively and in the browser: they only draw numbers already computed.
//!
//! Every figure function takes [`FigureOptions`] (width, height, hidden series, chrome) and
//! returns a [`Figure`]: the SVG document and its [`FigureData`] (plot mapping, series,
//! table, summary). Text is placed without measuring fonts (see `charts/text.rs`), so no
//! system font, DOM or network is needed at run time.
//!
//! Series keys (what `hidden` and the page's `off=` name): the method labels in the regret,
//! bar and tuning-loss figures; `network` and `bayes` in the hard-prefix ranking; `source` and
//! the prefixed methods' labels in the PCA figures (and the fixed marks `prefix-positions`,
//! `prefix-state`, `first-position`); `loss` and `mean` in the pretraining loss;
//! `reach` and `limit` (and the fixed `best`) in the reach figure.

mod axes;
mod bars;
pub mod data;
mod describe;
mod frame;
mod legend;
mod loss;
pub mod options;
pub mod palette;
mod pca;
mod posterior;
mod predictive;
mod ranking;
mod reach;
mod regret;
pub mod stats;
mod strokes;
pub mod text;

pub use bars::regret_bars;
pub use data::{Figure, FigureData};
pub use frame::{HEIGHT, WIDTH};
pub use options::FigureOptions;
pub use loss::{pretraining_loss, tuning_loss};
pub use palette::{colour, css_dasharray, css_hex, is_dashed, line_style, LineStyle};
pub use pca::{bias_colour, pca_states, pca_states_coloured, ColourBy};
pub use posterior::posterior_figure;
pub use predictive::predictive_figure;
pub use ranking::{hard_prefix_ranking, prefix_label, DEFAULT_TOP};
pub use reach::reach_figure;
pub use regret::{cumulative_regret, instant_regret, regret_figure, RegretKind};

use crate::error::{Error, Result};
use crate::results::Results;

/// `name` reduced to letters, digits, `-` and `_` (anything else becomes `_`), never empty.
pub fn file_stem(name: &str) -> String {
    let stem: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if stem.is_empty() {
        "source".into()
    } else {
        stem
    }
}

/// Which figure a stem names.
#[derive(Debug, Clone, Copy)]
enum Kind<'r> {
    Cumulative(&'r str),
    Instant(&'r str),
    Bars(&'r str),
    Tuning,
    Ranking,
    Pca(ColourBy),
    Pretraining,
}

/// Every figure the results support as (stem, kind), in [`all_figures`] order.
fn catalog(results: &Results) -> Vec<(String, Kind<'_>)> {
    let mut figures = Vec::new();
    let mut stems: Vec<String> = Vec::new();
    for source in &results.eval_sources {
        // Two sources that sanitise alike must not overwrite each other's files.
        let base = file_stem(source);
        let mut stem = base.clone();
        let mut k = 2;
        while stems.contains(&stem) {
            stem = format!("{base}_{k}");
            k += 1;
        }
        stems.push(stem.clone());
        figures.push((format!("regret_cumulative_{stem}"), Kind::Cumulative(source)));
        figures.push((format!("regret_instant_{stem}"), Kind::Instant(source)));
        figures.push((format!("bars_{stem}"), Kind::Bars(source)));
    }
    if results.methods.iter().any(|m| m.repetitions.iter().any(|r| !r.tuning_loss.is_empty())) {
        figures.push(("tuning_loss".into(), Kind::Tuning));
    }
    if !results.hard_prefix_ranking.is_empty() {
        figures.push(("hard_prefix_ranking".into(), Kind::Ranking));
    }
    if results.states.is_some() {
        figures.push(("pca_states".into(), Kind::Pca(ColourBy::Bias)));
        figures.push(("pca_states_by_step".into(), Kind::Pca(ColourBy::Step)));
    }
    if results.pretraining_loss.iter().any(|v| v.is_finite()) {
        figures.push(("pretraining_loss".into(), Kind::Pretraining));
    }
    figures
}

/// Draws one catalog entry and names its data after `stem`.
fn draw(results: &Results, stem: &str, kind: Kind, opts: &FigureOptions) -> Result<Figure> {
    let mut figure = match kind {
        Kind::Cumulative(source) => cumulative_regret(results, source, opts),
        Kind::Instant(source) => instant_regret(results, source, opts),
        Kind::Bars(source) => regret_bars(results, source, opts),
        Kind::Tuning => tuning_loss(results, opts),
        Kind::Ranking => hard_prefix_ranking(results, DEFAULT_TOP, opts),
        Kind::Pca(by) => pca_states_coloured(results, by, opts),
        Kind::Pretraining => pretraining_loss(results, opts),
    }?;
    figure.data.name = stem.to_string();
    Ok(figure)
}

/// The stems of every figure the results support, in [`all_figures`] order (file names without `.svg`).
pub fn figure_names(results: &Results) -> Vec<String> {
    catalog(results).into_iter().map(|(stem, _)| stem).collect()
}

/// The figure [`all_figures`] names `stem` (without `.svg`), drawn with `opts`.
pub fn figure(results: &Results, stem: &str, opts: &FigureOptions) -> Result<Figure> {
    let catalog = catalog(results);
    match catalog.iter().find(|(s, _)| s == stem) {
        Some((s, kind)) => draw(results, s, *kind, opts),
        None => {
            let known: Vec<&str> = catalog.iter().map(|(s, _)| s.as_str()).collect();
            Err(Error::invalid("figure", stem, format!("one of {}", known.join(", "))))
        }
    }
}

/// Every figure the results support, drawn with `opts`, as (stem, figure) in [`all_figures`] order.
pub fn all_figure_data(results: &Results, opts: &FigureOptions) -> Result<Vec<(String, Figure)>> {
    catalog(results).into_iter().map(|(stem, kind)| Ok((stem.clone(), draw(results, &stem, kind, opts)?))).collect()
}

/// Stems of the Predict view's figures, in [`predict_figures`] order.
pub const PREDICT_FIGURES: [&str; 2] = ["predictive", "posterior"];

/// The Predict view's figure `stem` (`predictive` or `posterior`) of `view`, drawn with `opts`.
pub fn predict_figure(view: &crate::predict::PredictView, stem: &str, opts: &FigureOptions) -> Result<Figure> {
    match stem {
        "predictive" => predictive_figure(view, opts),
        "posterior" => posterior_figure(view, opts),
        _ => Err(Error::invalid("figure", stem, format!("one of {}", PREDICT_FIGURES.join(", ")))),
    }
}

/// The Predict view's two figures, `predictive` and `posterior`, of `view` drawn with `opts`, as (stem, figure).
pub fn predict_figures(view: &crate::predict::PredictView, opts: &FigureOptions) -> Result<Vec<(String, Figure)>> {
    PREDICT_FIGURES.iter().map(|&stem| Ok((stem.to_string(), predict_figure(view, stem, opts)?))).collect()
}

/// Every figure the results support at the default options, as (file name, SVG document): per
/// evaluation source the cumulative and instant regret curves and the key-step
/// bars, then tuning loss, hard-prefix ranking, PCA states and pretraining loss
/// when the results hold data for them.
pub fn all_figures(results: &Results) -> Result<Vec<(String, String)>> {
    let figures = all_figure_data(results, &FigureOptions::default())?;
    Ok(figures.into_iter().map(|(stem, f)| (format!("{stem}.svg"), f.svg)).collect())
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("Two-Coin Mixture"), "Two-Coin_Mixture");
        assert_eq!(file_stem("../a/b"), "___a_b");
        assert_eq!(file_stem(""), "source");
    }
}
