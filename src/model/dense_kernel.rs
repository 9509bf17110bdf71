//! A dense layer x·W (+ b) as one candle op whose backward computes only the gradients the graph needs.
//!
//! candle's `matmul` backward always computes both operands' gradients; with frozen
//! weights (prefix tuners, single-layer tuners) or a constant one-hot input, half of
//! that work and its zero-filled accumulators were wasted.

use candle_core::{CpuStorage, CustomOp2, CustomOp3, Layout, Shape, Tensor};
use num_traits::Float;

use super::gemm::{matmul, Mat};

/// (R, in) · (in, out) [+ (out)] → (R, out). Used through [`super::layers::dense`].
pub(super) struct Dense;

impl Dense {
    fn check(x: &Layout, w: &Layout, b: Option<&Layout>) -> candle_core::Result<(usize, usize, usize)> {
        let (rows, inner) = x.shape().dims2()?;
        let (w_in, out) = w.shape().dims2()?;
        if w_in != inner || b.is_some_and(|b| b.dims() != [out]) {
            candle_core::bail!("dense: x {:?}, w {:?} and b {:?} do not match", x.dims(), w.dims(), b.map(|b| b.dims().to_vec()));
        }
        Ok((rows, inner, out))
    }

    /// Gradients of x and W (each only if its tensor takes part in backprop).
    fn grads(x: &Tensor, w: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let grad = grad.detach().contiguous()?;
        let dx = if x.track_op() { Some(grad.matmul(&w.detach().t()?)?) } else { None };
        let dw = if w.track_op() { Some(x.detach().t()?.matmul(&grad)?) } else { None };
        Ok((dx, dw))
    }
}

fn slice<'a, T>(data: &'a [T], layout: &Layout) -> candle_core::Result<&'a [T]> {
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&data[start..end]),
        None => candle_core::bail!("dense: inputs must be contiguous"),
    }
}

/// x · w (+ b) row by row, with the bias rows written first and the product accumulated onto them.
fn forward<T: Float + 'static>(x: &[T], w: &[T], b: Option<&[T]>, rows: usize, inner: usize, out: usize) -> candle_core::Result<Vec<T>> {
    let mut y = Vec::with_capacity(rows * out);
    match b {
        Some(b) => (0..rows).for_each(|_| y.extend_from_slice(b)),
        None => y.resize(rows * out, T::zero()),
    }
    matmul(rows, out, inner, &mut y, out, b.is_some(), Mat { data: x, rs: inner, cs: 1 }, Mat { data: w, rs: out, cs: 1 })?;
    Ok(y)
}

fn run(x: (&CpuStorage, &Layout), w: (&CpuStorage, &Layout), b: Option<(&CpuStorage, &Layout)>) -> candle_core::Result<(CpuStorage, Shape)> {
    let (rows, inner, out) = Dense::check(x.1, w.1, b.map(|b| b.1))?;
    macro_rules! typed {
        ($variant:ident) => {{
            let (CpuStorage::$variant(xs), CpuStorage::$variant(ws)) = (x.0, w.0) else {
                candle_core::bail!("dense: x and w must have one element type")
            };
            let bias = match b {
                None => None,
                Some((CpuStorage::$variant(bs), layout)) => Some(slice(bs, layout)?),
                Some(_) => candle_core::bail!("dense: b must have x's element type"),
            };
            CpuStorage::$variant(forward(slice(xs, x.1)?, slice(ws, w.1)?, bias, rows, inner, out)?)
        }};
    }
    let storage = match x.0 {
        CpuStorage::F32(_) => typed!(F32),
        CpuStorage::F64(_) => typed!(F64),
        _ => candle_core::bail!("dense: needs F32 or F64 tensors"),
    };
    Ok((storage, Shape::from((rows, out))))
}

impl CustomOp2 for Dense {
    fn name(&self) -> &'static str {
        "dense"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        run((s1, l1), (s2, l2), None)
    }

    fn bwd(&self, x: &Tensor, w: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        Dense::grads(x, w, grad)
    }
}

impl CustomOp3 for Dense {
    fn name(&self) -> &'static str {
        "dense-bias"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        run((s1, l1), (s2, l2), Some((s3, l3)))
    }

    fn bwd(
        &self,
        x: &Tensor,
        w: &Tensor,
        b: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let (dx, dw) = Dense::grads(x, w, grad)?;
        // Σ over rows as 1ᵀ · G: one matrix product instead of a strided reduction.
        let db = if b.track_op() {
            let rows = grad.dim(0)?;
            let ones = Tensor::ones((1, rows), grad.dtype(), grad.device())?;
            Some(ones.matmul(&grad.detach().contiguous()?)?.squeeze(0)?)
        } else {
            None
        };
        Ok((dx, dw, db))
    }
}

#[cfg(test)]
mod tests {
    use candle_core::{DType, Device, Tensor, Var};

    use super::Dense;

    fn flat(t: &Tensor) -> Vec<f64> {
        t.flatten_all().unwrap().to_dtype(DType::F64).unwrap().to_vec1::<f64>().unwrap()
    }

    fn close(a: &[f64], b: &[f64], tol: f64, what: &str) {
        assert_eq!(a.len(), b.len(), "{what}");
        for (x, z) in a.iter().zip(b) {
            assert!((x - z).abs() <= tol * (1.0 + z.abs()), "{what}: {x} vs {z}");
        }
    }

    #[test]
    fn matches_matmul_and_broadcast_add_and_their_gradients() {
        for dtype in [DType::F32, DType::F64] {
            let tol = if dtype == DType::F32 { 1e-5 } else { 1e-12 };
            let make = |n: usize, shape: (usize, usize), phase: f64| {
                let t = Tensor::arange(0.0, n as f64, &Device::Cpu).unwrap().affine(0.37, phase).unwrap().sin().unwrap();
                Var::from_tensor(&t.to_dtype(dtype).unwrap().reshape(shape).unwrap()).unwrap()
            };
            let x = make(35, (7, 5), 0.1);
            let w = make(15, (5, 3), 1.3);
            let b = Var::from_tensor(&Tensor::new(&[0.5f64, -1.0, 2.0], &Device::Cpu).unwrap().to_dtype(dtype).unwrap()).unwrap();
            let weights = make(21, (7, 3), 2.0);
            for with_bias in [false, true] {
                let run = |fused: bool| {
                    let y = match (fused, with_bias) {
                        (true, true) => x.apply_op3(&w, &b, Dense).unwrap(),
                        (true, false) => x.apply_op2(&w, Dense).unwrap(),
                        (false, true) => x.matmul(&w).unwrap().broadcast_add(&b).unwrap(),
                        (false, false) => x.matmul(&w).unwrap(),
                    };
                    let loss = (y.sqr().unwrap() * weights.as_tensor()).unwrap().sum_all().unwrap();
                    let grads = loss.backward().unwrap();
                    let mut out = vec![flat(&y), flat(grads.get(&x).unwrap()), flat(grads.get(&w).unwrap())];
                    if with_bias {
                        out.push(flat(grads.get(&b).unwrap()));
                    }
                    out
                };
                for (i, (f, p)) in run(true).iter().zip(run(false)).enumerate() {
                    close(f, &p, tol, &format!("{dtype:?}, bias {with_bias}, output {i}"));
                }
            }
        }
    }

    #[test]
    fn frozen_inputs_get_no_gradient_and_the_others_are_unchanged() {
        let x = Var::from_tensor(&Tensor::new(&[[1.0f32, 2.0], [3.0, -1.0]], &Device::Cpu).unwrap()).unwrap();
        let w = Var::from_tensor(&Tensor::new(&[[0.5f32, -0.25, 1.0], [2.0, 0.0, -1.5]], &Device::Cpu).unwrap()).unwrap();
        let b = Var::from_tensor(&Tensor::new(&[0.1f32, 0.2, 0.3], &Device::Cpu).unwrap()).unwrap();
        let all = x.apply_op3(&w, &b, Dense).unwrap().sqr().unwrap().sum_all().unwrap().backward().unwrap();
        // W and b frozen (detached): only x gets a gradient, and it is the same as before.
        let only_x = x.apply_op3(&w.as_detached_tensor(), &b.as_detached_tensor(), Dense).unwrap().sqr().unwrap().sum_all().unwrap();
        let only_x = only_x.backward().unwrap();
        assert!(only_x.get(&w).is_none() && only_x.get(&b).is_none());
        assert_eq!(flat(only_x.get(&x).unwrap()), flat(all.get(&x).unwrap()));
        // x frozen: W and b get theirs, x none.
        let weights_only = x.as_detached_tensor().apply_op3(&w, &b, Dense).unwrap().sqr().unwrap().sum_all().unwrap().backward().unwrap();
        assert!(weights_only.get(&x).is_none());
        assert_eq!(flat(weights_only.get(&w).unwrap()), flat(all.get(&w).unwrap()));
        assert_eq!(flat(weights_only.get(&b).unwrap()), flat(all.get(&b).unwrap()));
    }
}
