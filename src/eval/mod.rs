//! Evaluation against the exact Bayes predictors: KL (on a held-out batch), regret, quantiles across repetitions, PCA.

mod held_out;
mod kl;
mod pca;
mod quantiles;
mod regret;

pub use held_out::{held_out_batch, MAX_KL_LENGTH, MAX_KL_SEQUENCES};
pub use kl::{kl_to_bayes, mean_kl, KlReport};
pub use pca::Pca;
pub use quantiles::{cumulative, quantile, summarise};
pub use regret::{bayes_instant_regret, network_instant_regret, EvalSet};
