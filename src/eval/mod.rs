//! Evaluation against the exact Bayes predictors: KL, regret, quantiles across repetitions, PCA.

mod kl;
mod pca;
mod quantiles;
mod regret;

pub use kl::{kl_to_bayes, KlReport};
pub use pca::Pca;
pub use quantiles::{cumulative, quantile, summarise};
pub use regret::{bayes_instant_regret, network_instant_regret, EvalSet};
