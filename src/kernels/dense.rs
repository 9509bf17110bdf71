//! A dense layer x·W (+ b) as one candle op whose backward computes only the gradients the graph needs.
//!
//! candle's `matmul` backward always computes both operands' gradients; with frozen
//! weights (prefix tuners, single-layer tuners) or a constant one-hot input, half of
//! that work and its zero-filled accumulators would be wasted.
//!
//! Large products are cut into row parts that run on several cores natively (see
//! [`super::cpu::threads`]); the parts depend on the sizes alone, and the weight and
//! bias gradients are summed in part order, so no number depends on the core count.

use candle_core::{CpuStorage, CustomOp2, CustomOp3, DType, Layout, Shape, Tensor};
use num_traits::Float;

use super::cpu::elements::{inputs, with_elements};
use super::cpu::gemm::{matmul, Mat};
use super::cpu::threads::{locked, pieces, run_parts, split, sum_parts};
use crate::error::{Error, Result};

/// x · W (+ b) over the last axis of x (any leading shape); W is (in, out).
/// Runs as the fused [`Dense`] op, which computes only the gradients backprop needs.
pub fn dense(x: &Tensor, w: &Tensor, b: Option<&Tensor>) -> Result<Tensor> {
    over_rows(x, w, |x, w| match b {
        Some(b) => x.apply_op3(w, &b.contiguous()?, Dense),
        None => x.apply_op2(w, Dense),
    })
}

/// Applies an op from (rows, in) to (rows, out) to x of any leading shape and restores that shape.
pub(super) fn over_rows(x: &Tensor, w: &Tensor, op: impl FnOnce(&Tensor, &Tensor) -> candle_core::Result<Tensor>) -> Result<Tensor> {
    let dims = x.dims().to_vec();
    let Some((&last, lead)) = dims.split_last() else {
        return Err(Error::other("dense layer applied to a scalar"));
    };
    let rows: usize = lead.iter().product();
    let x = x.reshape((rows, last))?.contiguous()?;
    let y = op(&x, &w.contiguous()?)?;
    let mut out_dims = lead.to_vec();
    out_dims.push(y.dim(1)?);
    Ok(y.reshape(out_dims)?)
}

/// Products of at least this many multiply-adds are cut into row parts: the paper-size
/// Transformer's, which run alone in pretraining. Smaller ones stay whole (measured: cutting
/// the small nets' products cost ~5 % when experiment jobs already fill the cores).
const SPLIT_WORK: usize = 1 << 28;

/// Row parts of a rows × inner × out product: a function of the sizes only.
pub(super) fn row_parts(rows: usize, inner: usize, out: usize) -> Vec<std::ops::Range<usize>> {
    let parts = if rows * inner * out < SPLIT_WORK { 1 } else { (rows / 64).clamp(1, 4) };
    split(rows, parts)
}

/// (R, in) · (in, out) [+ (out)] → (R, out). Used through [`dense`].
pub(super) struct Dense;

impl Dense {
    pub(super) fn check(x: &Layout, w: &Layout, b: Option<&Layout>) -> candle_core::Result<(usize, usize, usize)> {
        let (rows, inner) = x.shape().dims2()?;
        let (w_in, out) = w.shape().dims2()?;
        if w_in != inner || b.is_some_and(|b| b.dims() != [out]) {
            candle_core::bail!("dense: x {:?}, w {:?} and b {:?} do not match", x.dims(), w.dims(), b.map(|b| b.dims().to_vec()));
        }
        Ok((rows, inner, out))
    }

    /// Gradients of x and W (each only if its tensor takes part in backprop).
    pub(super) fn grads(x: &Tensor, w: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let (dx, dw, _) = Dense::all_grads(x, w, None, grad)?;
        Ok((dx, dw))
    }

    /// dx always (x is a fused op's inner activation, not a graph node) and dW if W takes part in backprop.
    pub(super) fn inner_grads(x: &Tensor, w: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let (dx, dw, _) = Dense::wanted_grads(x, w, grad, Wanted { x: true, w: w.track_op(), b: false })?;
        Ok((dx, dw))
    }

    /// Gradients of x, W and b (each only if its tensor takes part in backprop).
    fn all_grads(x: &Tensor, w: &Tensor, b: Option<&Tensor>, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let want = Wanted { x: x.track_op(), w: w.track_op(), b: b.is_some_and(|b| b.track_op()) };
        Dense::wanted_grads(x, w, grad, want)
    }

    /// The gradients of x, W and the bias that `want` asks for.
    fn wanted_grads(x: &Tensor, w: &Tensor, grad: &Tensor, want: Wanted) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let (rows, inner) = x.dims2()?;
        let out = w.dim(1)?;
        macro_rules! typed {
            ($t:ty) => {{
                let (dx, dw, db) = with_elements::<$t, _>(x, |xs| with_elements(w, |ws| with_elements(grad, |gs| backward(xs, ws, gs, rows, inner, out, want))))?;
                let dev = x.device();
                (
                    dx.map(|d| Tensor::from_vec(d, (rows, inner), dev)).transpose()?,
                    dw.map(|d| Tensor::from_vec(d, (inner, out), dev)).transpose()?,
                    db.map(|d| Tensor::from_vec(d, out, dev)).transpose()?,
                )
            }};
        }
        Ok(match x.dtype() {
            DType::F32 => typed!(f32),
            DType::F64 => typed!(f64),
            d => candle_core::bail!("dense: unsupported dtype {d:?}"),
        })
    }
}

/// Which gradients backprop needs.
#[derive(Clone, Copy)]
struct Wanted {
    x: bool,
    w: bool,
    b: bool,
}

/// dx = G·Wᵀ, dW = xᵀ·G and db = Σ_rows G for the gradients `want` asks for, part by part of the rows.
#[allow(clippy::type_complexity)]
fn backward<T: Float + Send + Sync + 'static>(
    x: &[T],
    w: &[T],
    g: &[T],
    rows: usize,
    inner: usize,
    out: usize,
    want: Wanted,
) -> candle_core::Result<(Option<Vec<T>>, Option<Vec<T>>, Option<Vec<T>>)> {
    let ranges = row_parts(rows, inner, out);
    let mut dx = vec![T::zero(); if want.x { rows * inner } else { 0 }];
    let chunks = pieces(&mut dx, &ranges, if want.x { inner } else { 0 });
    let partials = run_parts(ranges.len(), |p| {
        let r = &ranges[p];
        let gp = Mat { data: &g[r.start * out..], rs: out, cs: 1 };
        if want.x {
            // Wᵀ: element (j, k) at k·out + j.
            let mut dxp = locked(&chunks[p], "dense")?;
            matmul(r.len(), inner, out, &mut dxp, inner, false, gp, Mat { data: w, rs: 1, cs: out })?;
        }
        let dw = if want.w {
            // xᵀ of the part: element (i, r) at r·inner + i.
            let mut dw = vec![T::zero(); inner * out];
            matmul(inner, out, r.len(), &mut dw, out, false, Mat { data: &x[r.start * inner..], rs: 1, cs: inner }, gp)?;
            Some(dw)
        } else {
            None
        };
        let db = want.b.then(|| {
            let mut db = vec![T::zero(); out];
            for row in g[r.start * out..r.end * out].chunks_exact(out) {
                db.iter_mut().zip(row).for_each(|(d, &v)| *d = *d + v);
            }
            db
        });
        Ok::<_, candle_core::Error>((dw, db))
    });
    drop(chunks);
    let (dw, db) = sum_parts(partials)?;
    Ok((want.x.then_some(dx), dw, db))
}

/// dx = G·Wᵀ, and dW = xᵀ·G if `want_w`: the gradients of a product inside a fused op,
/// whose input x is the op's own array (so dx is always needed) and W one of its weights.
#[allow(clippy::too_many_arguments)]
pub(super) fn inner_backward<T: Float + Send + Sync + 'static>(x: &[T], w: &[T], g: &[T], rows: usize, inner: usize, out: usize, want_w: bool) -> candle_core::Result<(Vec<T>, Option<Vec<T>>)> {
    match backward(x, w, g, rows, inner, out, Wanted { x: true, w: want_w, b: false })? {
        (Some(dx), dw, _) => Ok((dx, dw)),
        (None, ..) => candle_core::bail!("dense: no input gradient"),
    }
}

/// x · w (+ b) row by row, with the bias rows written first and the product accumulated onto them.
pub(super) fn forward<T: Float + Send + Sync + 'static>(x: &[T], w: &[T], b: Option<&[T]>, rows: usize, inner: usize, out: usize) -> candle_core::Result<Vec<T>> {
    let mut y = Vec::with_capacity(rows * out);
    match b {
        Some(b) => (0..rows).for_each(|_| y.extend_from_slice(b)),
        None => y.resize(rows * out, T::zero()),
    }
    let ranges = row_parts(rows, inner, out);
    let chunks = pieces(&mut y, &ranges, out);
    let done = run_parts(ranges.len(), |p| {
        let r = &ranges[p];
        let mut yp = locked(&chunks[p], "dense")?;
        matmul(r.len(), out, inner, &mut yp, out, b.is_some(), Mat { data: &x[r.start * inner..], rs: inner, cs: 1 }, Mat { data: w, rs: out, cs: 1 })
    });
    drop(chunks);
    done.into_iter().collect::<candle_core::Result<()>>()?;
    Ok(y)
}

fn run(x: (&CpuStorage, &Layout), w: (&CpuStorage, &Layout), b: Option<(&CpuStorage, &Layout)>) -> candle_core::Result<(CpuStorage, Shape)> {
    let (rows, inner, out) = Dense::check(x.1, w.1, b.map(|b| b.1))?;
    let storage = match x.0 {
        CpuStorage::F32(_) => {
            let (xs, ws, bs) = inputs::<f32>(x, w, b, "dense")?;
            CpuStorage::F32(forward(xs, ws, bs, rows, inner, out)?)
        }
        CpuStorage::F64(_) => {
            let (xs, ws, bs) = inputs::<f64>(x, w, b, "dense")?;
            CpuStorage::F64(forward(xs, ws, bs, rows, inner, out)?)
        }
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
        Dense::all_grads(x, w, Some(b), grad)
    }
}

#[cfg(test)]
mod tests {
    use candle_core::{DType, Device, Tensor, Var};

    use crate::kernels::set_kernel_threads;
    use super::Dense;

    fn flat(t: &Tensor) -> Vec<f64> {
        t.flatten_all().unwrap().to_dtype(DType::F64).unwrap().to_vec1::<f64>().unwrap()
    }

    /// Equal to `tol` relative to the largest entry (sums of hundreds of terms cancel to
    /// small entries whose rounding error is that of the terms, not of the result).
    fn close(a: &[f64], b: &[f64], tol: f64, what: &str) {
        assert_eq!(a.len(), b.len(), "{what}");
        let scale = 1.0 + b.iter().fold(0.0f64, |m, z| m.max(z.abs()));
        for (x, z) in a.iter().zip(b) {
            assert!((x - z).abs() <= tol * scale, "{what}: {x} vs {z}");
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
            // 7 × 5 × 3 is one part; 4100 × 256 × 256 (a paper-size product) is cut into four row parts.
            for (rows, inner, out) in [(7, 5, 3), (4100, 256, 256)] {
                let x = make(rows * inner, (rows, inner), 0.1);
                let w = make(inner * out, (inner, out), 1.3);
                let b = Var::from_tensor(&Tensor::arange(0.0, out as f64, &Device::Cpu).unwrap().affine(0.5, -1.0).unwrap().to_dtype(dtype).unwrap()).unwrap();
                let weights = make(rows * out, (rows, out), 2.0);
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
                    let fused = run(true);
                    for (i, (f, p)) in fused.iter().zip(run(false)).enumerate() {
                        close(f, &p, tol, &format!("{dtype:?}, {rows}×{inner}×{out}, bias {with_bias}, output {i}"));
                    }
                    // The parts run in turn or on every core: the same bits.
                    set_kernel_threads(1);
                    assert_eq!(run(true), fused);
                    set_kernel_threads(0);
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
