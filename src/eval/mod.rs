//! Evaluation of networks against the exact Bayes predictors.

mod kl;

pub use kl::{kl_to_bayes, KlReport};
