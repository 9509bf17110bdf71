//! Neural predictors in candle: the wrapper of SPEC §3 around an LSTM, Transformer or Linear torso.

mod attention;
mod attention_block_kernel;
mod attention_kernel;
mod block;
mod block_kernel;
mod dense_kernel;
mod elements;
mod fast_math;
mod gelu_kernel;
mod gather_kernel;
mod gemm;
mod init;
mod kernel_threads;
mod layer_norm_kernel;
mod layers;
mod linear;
mod lstm;
mod lstm_kernel;
mod mlp_block_kernel;
mod mlp_kernel;
mod params;
mod predictor;
mod prefix;
mod torso_input;
mod transformer;
mod weight;

pub use attention::{causal_attention, causal_attention_unfused};
pub use block::{attention_block, attention_block_composed, mlp_block, mlp_block_composed, AttentionWeights, MlpWeights};
pub use gelu_kernel::gelu;
pub use kernel_threads::set_kernel_threads;
pub use layers::{layer_norm, layer_norm_unfused, mlp};
pub use lstm::{lstm_scan, lstm_scan_table, lstm_scan_unfused};
pub use params::Params;
pub use predictor::{one_hot, Forward, Predictor, States};
pub use prefix::Prefix;
pub use weight::Weight;
