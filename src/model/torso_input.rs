//! What a torso reads: one embedded row per position, or a table of the few distinct embedded rows and an index into it.

use std::sync::Arc;

use candle_core::Tensor;

use crate::error::Result;
use crate::kernels::gather_rows;

/// The embedded inputs (B, T, E) of a torso.
#[derive(Debug, Clone)]
pub(crate) enum TorsoInput {
    /// One row per position.
    Dense(Tensor),
    /// Position (b, t) holds row `index[b·T + t]` of the (R, E) `rows`.
    Table { rows: Tensor, index: Arc<[u32]>, batch: usize, length: usize },
}

impl TorsoInput {
    /// Applies the row-wise map `f` (a dense layer, say) and returns its (B, T, C) outputs;
    /// on a table, `f` runs once per distinct row and the results are gathered.
    pub(crate) fn map_rows(&self, f: impl Fn(&Tensor) -> Result<Tensor>) -> Result<Tensor> {
        match self {
            TorsoInput::Dense(x) => f(x),
            TorsoInput::Table { rows, index, batch, length } => {
                let mapped = f(rows)?;
                let width = mapped.dim(1)?;
                Ok(gather_rows(&mapped, index.clone())?.reshape((*batch, *length, width))?)
            }
        }
    }

    /// The (B, T, E) rows, one per position.
    pub(crate) fn rows(&self) -> Result<Tensor> {
        self.map_rows(|x| Ok(x.clone()))
    }
}
