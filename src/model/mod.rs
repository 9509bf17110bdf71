//! Neural predictors in candle: the wrapper of SPEC §3 around an LSTM, Transformer or Linear torso (the ops they run are in [`crate::kernels`]).

mod init;
mod linear;
mod lora;
mod lstm;
mod params;
mod predictor;
mod prefix;
mod torso_input;
mod transformer;
mod weight;

pub use params::Params;
pub use predictor::{one_hot, Forward, Predictor, States};
pub use prefix::Prefix;
pub use weight::Weight;
