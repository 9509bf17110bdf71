//! Adding a bias row to every row as one candle op, whose backward sums the gradient's rows with one matrix product.
//!
//! candle's `broadcast_add` backward reduces over the leading axes element by element; for
//! an LSTM's (B·T, 4H) input projection that was an eighth of a training step.

use candle_core::{CpuStorage, CustomOp2, Layout, Shape, Tensor, WithDType};

use crate::error::Result;

/// y + b over the last axis of y (any leading shape); b is a vector as long as y's last axis.
pub fn add_bias(y: &Tensor, b: &Tensor) -> Result<Tensor> {
    Ok(y.contiguous()?.apply_op2(&b.contiguous()?, AddBias)?)
}

struct AddBias;

impl CustomOp2 for AddBias {
    fn name(&self) -> &'static str {
        "add-bias"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let c = *l1.dims().last().unwrap_or(&0);
        if l2.dims() != [c] {
            candle_core::bail!("add-bias: bias {:?} does not match the last axis of {:?}", l2.dims(), l1.dims());
        }
        let out = match (s1, s2) {
            (CpuStorage::F32(y), CpuStorage::F32(b)) => CpuStorage::F32(forward(slice(y, l1)?, slice(b, l2)?)),
            (CpuStorage::F64(y), CpuStorage::F64(b)) => CpuStorage::F64(forward(slice(y, l1)?, slice(b, l2)?)),
            _ => candle_core::bail!("add-bias: needs two F32 or two F64 tensors"),
        };
        Ok((out, l1.shape().clone()))
    }

    fn bwd(&self, y: &Tensor, b: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let db = if b.track_op() {
            let c = y.dim(candle_core::D::Minus1)?;
            let rows = y.elem_count() / c.max(1);
            // Σ over rows = 1ᵀ · G: one matrix product instead of a strided reduction.
            let ones = Tensor::ones((1, rows), grad.dtype(), grad.device())?;
            Some(ones.matmul(&grad.contiguous()?.reshape((rows, c))?)?.reshape(c)?)
        } else {
            None
        };
        Ok((y.track_op().then(|| grad.clone()), db))
    }
}

fn slice<'a, T>(data: &'a [T], layout: &Layout) -> candle_core::Result<&'a [T]> {
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&data[start..end]),
        None => candle_core::bail!("add-bias: inputs must be contiguous"),
    }
}

fn forward<T: WithDType>(y: &[T], b: &[T]) -> Vec<T> {
    let mut out = y.to_vec();
    for row in out.chunks_mut(b.len().max(1)) {
        for (o, &bias) in row.iter_mut().zip(b) {
            *o += bias;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use candle_core::{DType, Device, Tensor, Var};

    use super::add_bias;

    #[test]
    fn matches_broadcast_add_and_its_gradients() {
        for dtype in [DType::F32, DType::F64] {
            let y = Var::from_tensor(&Tensor::arange(0.0, 24.0, &Device::Cpu).unwrap().to_dtype(dtype).unwrap().reshape((2, 3, 4)).unwrap()).unwrap();
            let b = Var::from_tensor(&Tensor::new(&[0.5f64, -1.0, 2.0, 0.25], &Device::Cpu).unwrap().to_dtype(dtype).unwrap()).unwrap();
            let weights = Tensor::arange(1.0, 25.0, &Device::Cpu).unwrap().to_dtype(dtype).unwrap().reshape((2, 3, 4)).unwrap().sin().unwrap();
            let run = |fused: bool| {
                let out = if fused { add_bias(&y, &b).unwrap() } else { y.broadcast_add(&b).unwrap() };
                let loss = (out.sqr().unwrap() * &weights).unwrap().sum_all().unwrap();
                let grads = loss.backward().unwrap();
                let flat = |t: &Tensor| t.flatten_all().unwrap().to_dtype(DType::F64).unwrap().to_vec1::<f64>().unwrap();
                (flat(&out), flat(grads.get(&y).unwrap()), flat(grads.get(&b).unwrap()))
            };
            let (fused, plain) = (run(true), run(false));
            for (a, c) in [(&fused.0, &plain.0), (&fused.1, &plain.1), (&fused.2, &plain.2)] {
                for (x, z) in a.iter().zip(c) {
                    assert!((x - z).abs() <= 1e-5 * (1.0 + z.abs()), "{dtype:?}: {x} vs {z}");
                }
            }
        }
    }
}
