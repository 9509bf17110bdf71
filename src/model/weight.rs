//! One named weight of a network, frozen or trainable: frozen weights enter the graph detached, so backprop skips them.

use std::sync::Arc;

use candle_core::{Tensor, Var};

/// A variable with its dotted name and whether gradients should reach it.
///
/// A frozen weight still holds the live values (its tensor shares the
/// variable's storage); it only stops candle from computing its gradient.
#[derive(Debug, Clone)]
pub struct Weight {
    name: Arc<str>,
    var: Var,
    frozen: bool,
}

impl Weight {
    pub(super) fn new(name: &str, var: Var) -> Self {
        Weight { name: name.into(), var, frozen: false }
    }

    /// The dotted name (`torso.layer0.w_hh`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The weight as it enters a forward pass: tracked when trainable, detached when frozen.
    pub fn tensor(&self) -> Tensor {
        if self.frozen {
            self.var.as_detached_tensor()
        } else {
            self.var.as_tensor().clone()
        }
    }

    /// Whether this copy is frozen (no gradient reaches it).
    pub(super) fn is_frozen(&self) -> bool {
        self.frozen
    }

    /// Freezes or unfreezes this copy of the weight (other copies keep their state).
    pub(super) fn set_frozen(&mut self, frozen: bool) {
        self.frozen = frozen;
    }
}
