//! Training: the log-loss objective, one clipped Adam step, and pretraining.

mod loss;
mod parts;
mod pretrain;
mod step;
mod work;

pub use loss::{log_loss, log_loss_share};
pub use parts::{PartGradients, PAGE_PARTS};
pub use pretrain::Pretrainer;
pub use work::{step_work, StepWork, ADAM_OPS_PER_WEIGHT, NORM_OPS_PER_WEIGHT};
pub use step::{adam, clipped_step, divergence_reason, loss_ceiling, Step, BLOW_UP_FACTOR};
