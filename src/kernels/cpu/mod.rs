//! What the fused ops share on the CPU: matrix products, vectorised sums, their exp and tanh, the instruction set their loops run on, work cut over cores, tensor elements borrowed in place.

pub(crate) mod dispatch;
pub(crate) mod elements;
pub(crate) mod fast_math;
pub(crate) mod gemm;
pub(crate) mod sums;
pub(crate) mod threads;
