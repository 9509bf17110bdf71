//! Picking rows of a small table by index as one candle op, whose backward adds each row's gradient back into its table row.
//!
//! The inputs of a sequence model are a handful of distinct rows (BOS, V tokens, K prefix
//! rows), so their embedding and first input projection are computed once per distinct
//! row and then gathered, not once per position with a dense matrix product.

use std::sync::Arc;

use candle_core::{CpuStorage, CustomOp1, DType, Layout, Shape, Tensor, WithDType};

use super::cpu::elements::with_elements;
use crate::error::{Error, Result};

/// Rows `index[i]` of the (R, C) `table`, as an (index.len(), C) tensor.
pub fn gather_rows(table: &Tensor, index: Arc<[u32]>) -> Result<Tensor> {
    let (rows, _) = table.dims2()?;
    if let Some(&bad) = index.iter().find(|&&i| i as usize >= rows) {
        return Err(Error::other(format!("gather: row {bad} of a {rows}-row table")));
    }
    Ok(table.contiguous()?.apply_op1(GatherRows { index })?)
}

struct GatherRows {
    index: Arc<[u32]>,
}

impl GatherRows {
    fn forward<T: Copy>(&self, table: &[T], c: usize) -> Vec<T> {
        let mut out = Vec::with_capacity(self.index.len() * c);
        for &i in self.index.iter() {
            let at = i as usize * c;
            out.extend_from_slice(&table[at..at + c]);
        }
        out
    }

    fn backward<T: WithDType>(&self, grad: &[T], rows: usize, c: usize) -> Vec<T> {
        let mut table = vec![T::zero(); rows * c];
        for (&i, g) in self.index.iter().zip(grad.chunks_exact(c)) {
            let at = i as usize * c;
            for (t, &x) in table[at..at + c].iter_mut().zip(g) {
                *t += x;
            }
        }
        table
    }
}

impl CustomOp1 for GatherRows {
    fn name(&self) -> &'static str {
        "gather-rows"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (rows, c) = l.shape().dims2()?;
        let Some((start, end)) = l.contiguous_offsets() else { candle_core::bail!("gather-rows: the table must be contiguous") };
        if self.index.iter().any(|&i| i as usize >= rows) {
            candle_core::bail!("gather-rows: an index past the table's {rows} rows");
        }
        let out = match s {
            CpuStorage::F32(t) => CpuStorage::F32(self.forward(&t[start..end], c)),
            CpuStorage::F64(t) => CpuStorage::F64(self.forward(&t[start..end], c)),
            _ => candle_core::bail!("gather-rows: needs an F32 or F64 table"),
        };
        Ok((out, Shape::from((self.index.len(), c))))
    }

    fn bwd(&self, table: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<Option<Tensor>> {
        let (rows, c) = table.dims2()?;
        let g = match table.dtype() {
            DType::F32 => Tensor::from_vec(with_elements::<f32, _>(grad, |g| Ok(self.backward(g, rows, c)))?, (rows, c), table.device())?,
            DType::F64 => Tensor::from_vec(with_elements::<f64, _>(grad, |g| Ok(self.backward(g, rows, c)))?, (rows, c), table.device())?,
            d => candle_core::bail!("gather-rows: unsupported dtype {d:?}"),
        };
        Ok(Some(g))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use candle_core::{DType, Device, Tensor, Var};

    use super::gather_rows;

    #[test]
    fn matches_a_one_hot_product_and_its_gradient() {
        let table = Var::from_tensor(&Tensor::arange(0.0, 12.0, &Device::Cpu).unwrap().to_dtype(DType::F64).unwrap().reshape((4, 3)).unwrap()).unwrap();
        let index: Arc<[u32]> = vec![2u32, 0, 2, 3, 1, 2].into();
        let picks: Vec<f64> = index.iter().flat_map(|&i| (0..4).map(move |r| if r == i { 1.0 } else { 0.0 })).collect();
        let picks = Tensor::from_vec(picks, (6, 4), &Device::Cpu).unwrap();
        let weights = Tensor::arange(1.0, 19.0, &Device::Cpu).unwrap().to_dtype(DType::F64).unwrap().reshape((6, 3)).unwrap().cos().unwrap();
        let run = |y: Tensor| {
            let grads = (y.sqr().unwrap() * &weights).unwrap().sum_all().unwrap().backward().unwrap();
            (y.flatten_all().unwrap().to_vec1::<f64>().unwrap(), grads.get(&table).unwrap().flatten_all().unwrap().to_vec1::<f64>().unwrap())
        };
        let (fused, plain) = (run(gather_rows(&table, index).unwrap()), run(picks.matmul(&table).unwrap()));
        assert_eq!(fused.0, plain.0);
        for (a, b) in fused.1.iter().zip(&plain.1) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        assert!(gather_rows(&table, vec![4u32].into()).is_err());
    }
}
