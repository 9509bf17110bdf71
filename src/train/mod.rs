//! Training: the log-loss objective, one clipped Adam step, and pretraining.

mod loss;
mod pretrain;
mod step;

pub use loss::log_loss;
pub use pretrain::Pretrainer;
pub use step::{adam, clipped_step, divergence_reason, loss_ceiling, Step, BLOW_UP_FACTOR};
