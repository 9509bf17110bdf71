//! promptlab: pretrain small sequence models until they behave like Bayesian
//! predictors, prompt them, and compare them with the exact posterior.
//!
//! Data flows one way: [`config`] → [`sources`] → [`model`] → [`train`] →
//! results; [`bayes`] is the referee every number is checked against.

pub mod bayes;
pub mod charts;
pub mod checkpoint;
pub mod config;
pub mod error;
pub mod eval;
pub mod experiment;
pub mod kernels;
pub mod model;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod predict;
pub mod results;
pub mod seed;
pub mod sources;
pub mod theory;
pub mod train;
pub mod tune;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
