//! SVG figures of an experiment's [`Results`], the same natively and in the browser: they only draw numbers already computed.
//!
//! Every figure is an 800×500 px SVG document returned as a `String`. Text is
//! placed without measuring fonts (see `charts/text.rs`), so no system font, DOM or
//! network is needed at run time.

mod axes;
mod bars;
mod frame;
mod legend;
mod loss;
pub mod palette;
mod pca;
mod ranking;
mod reach;
mod regret;
pub mod stats;
mod strokes;
mod text;

pub use bars::regret_bars;
pub use frame::{HEIGHT, WIDTH};
pub use loss::{pretraining_loss, tuning_loss};
pub use palette::{colour, css_dasharray, css_hex, is_dashed, line_style, LineStyle};
pub use pca::{bias_colour, pca_states, pca_states_coloured, ColourBy};
pub use ranking::{hard_prefix_ranking, prefix_label, DEFAULT_TOP};
pub use reach::reach_figure;
pub use regret::{cumulative_regret, instant_regret, regret_figure, RegretKind};

use crate::error::Result;
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

/// Every figure the results support, as (file name, SVG document): per
/// evaluation source the cumulative and instant regret curves and the key-step
/// bars, then tuning loss, hard-prefix ranking, PCA states and pretraining loss
/// when the results hold data for them.
pub fn all_figures(results: &Results) -> Result<Vec<(String, String)>> {
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
        figures.push((format!("regret_cumulative_{stem}.svg"), cumulative_regret(results, source)?));
        figures.push((format!("regret_instant_{stem}.svg"), instant_regret(results, source)?));
        figures.push((format!("bars_{stem}.svg"), regret_bars(results, source)?));
    }
    if results.methods.iter().any(|m| m.repetitions.iter().any(|r| !r.tuning_loss.is_empty())) {
        figures.push(("tuning_loss.svg".into(), tuning_loss(results)?));
    }
    if !results.hard_prefix_ranking.is_empty() {
        figures.push(("hard_prefix_ranking.svg".into(), hard_prefix_ranking(results, DEFAULT_TOP)?));
    }
    if results.states.is_some() {
        figures.push(("pca_states.svg".into(), pca_states(results)?));
        figures.push(("pca_states_by_step.svg".into(), pca_states_coloured(results, ColourBy::Step)?));
    }
    if results.pretraining_loss.iter().any(|v| v.is_finite()) {
        figures.push(("pretraining_loss.svg".into(), pretraining_loss(results)?));
    }
    Ok(figures)
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
