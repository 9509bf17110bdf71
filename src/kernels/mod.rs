//! How a network runs fast on the CPU: each fused candle op with its hand-written backward pass, one entry function per op.
//!
//! Every op lives in its own module with its entry function; [`reference`] holds the
//! slower chains of generic or smaller ops that compute the same thing, and `cpu` the
//! pieces the ops share (matrix products, fast exp and tanh, cutting work over cores,
//! borrowing tensor elements). The numbers never depend on the number of cores.

mod attention;
mod block;
mod cpu;
mod dense;
mod gather;
mod gelu;
mod layer_norm;
mod lstm;
mod mlp;
mod peak;
pub mod reference;

pub use attention::causal_attention;
pub(crate) use attention::causal_area;
pub use block::attention::{attention_block, AttentionWeights};
pub use block::mlp::{mlp_block, MlpWeights};
pub use cpu::dispatch::{simd, simd_detected, use_simd, Simd};
pub use cpu::threads::set_kernel_threads;
#[cfg(test)]
pub(crate) use cpu::gemm::multiply_adds as gemm_multiply_adds;
pub(crate) use dense::dense;
pub(crate) use gather::gather_rows;
pub use gelu::gelu;
pub use layer_norm::layer_norm;
pub use lstm::{lstm_scan, StepInputs};
pub use mlp::mlp;
pub use peak::{measure_peak, Peak, DEFAULT_PEAK_SIZE, MAX_PEAK_REPS, PEAK_SIZES};
