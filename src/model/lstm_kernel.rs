//! The LSTM recurrence as one fused candle op with a hand-derived backward pass (BPTT).

use candle_core::{CpuStorage, CustomOp2, DType, Layout, Shape, Tensor};
use num_traits::Float;

/// Fused recurrence: (xw (B, T, 4H), w_hh (H, 4H)) → (B, T, 6H) holding, per
/// step, [h | c | i f g o]: hidden state, cell state and the gate activations
/// (kept so the backward pass needs no recomputation). Gates are packed
/// (input, forget, cell, output); the initial state is zero.
pub(super) struct LstmScan;

/// Width of one output row per step, in units of H.
pub(super) const ROW: usize = 6;

impl CustomOp2 for LstmScan {
    fn name(&self) -> &'static str {
        "lstm-scan"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (b, t, four_h) = l1.shape().dims3()?;
        let h = four_h / 4;
        let (wr, wc) = l2.shape().dims2()?;
        if four_h != 4 * h || wr != h || wc != four_h {
            candle_core::bail!("lstm-scan: xw {:?} and w_hh {:?} do not match", l1.dims(), l2.dims());
        }
        let out = match (s1, s2) {
            (CpuStorage::F32(x), CpuStorage::F32(w)) => CpuStorage::F32(forward(slice(x, l1)?, slice(w, l2)?, b, t, h)),
            (CpuStorage::F64(x), CpuStorage::F64(w)) => CpuStorage::F64(forward(slice(x, l1)?, slice(w, l2)?, b, t, h)),
            _ => candle_core::bail!("lstm-scan: needs two F32 or two F64 tensors"),
        };
        Ok((out, Shape::from((b, t, ROW * h))))
    }

    fn bwd(&self, xw: &Tensor, w: &Tensor, res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let (b, t, four_h) = xw.dims3()?;
        let h = four_h / 4;
        let (dxw, dw) = match xw.dtype() {
            DType::F32 => {
                let (dx, dw) = backward::<f32>(&flat(w)?, &flat(res)?, &flat(grad)?, b, t, h);
                (Tensor::from_vec(dx, (b, t, four_h), xw.device())?, Tensor::from_vec(dw, (h, four_h), w.device())?)
            }
            DType::F64 => {
                let (dx, dw) = backward::<f64>(&flat(w)?, &flat(res)?, &flat(grad)?, b, t, h);
                (Tensor::from_vec(dx, (b, t, four_h), xw.device())?, Tensor::from_vec(dw, (h, four_h), w.device())?)
            }
            d => candle_core::bail!("lstm-scan: unsupported dtype {d:?}"),
        };
        Ok((Some(dxw), Some(dw)))
    }
}

fn slice<'a, T>(data: &'a [T], layout: &Layout) -> candle_core::Result<&'a [T]> {
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&data[start..end]),
        None => candle_core::bail!("lstm-scan: inputs must be contiguous"),
    }
}

fn flat<T: candle_core::WithDType>(t: &Tensor) -> candle_core::Result<Vec<T>> {
    t.flatten_all()?.to_vec1::<T>()
}

fn sigmoid<T: Float>(x: T) -> T {
    T::one() / (T::one() + (-x).exp())
}

fn forward<T: Float + std::ops::AddAssign>(xw: &[T], w: &[T], b: usize, t: usize, h: usize) -> Vec<T> {
    let g4 = 4 * h;
    let row = ROW * h;
    let mut out = vec![T::zero(); b * t * row];
    let mut z = vec![T::zero(); g4];
    let mut h_prev = vec![T::zero(); h];
    let mut c_prev = vec![T::zero(); h];
    for bi in 0..b {
        h_prev.iter_mut().for_each(|x| *x = T::zero());
        c_prev.iter_mut().for_each(|x| *x = T::zero());
        for ti in 0..t {
            let x_off = (bi * t + ti) * g4;
            z.copy_from_slice(&xw[x_off..x_off + g4]);
            // z += h_prev · W, one contiguous row of W per hidden unit.
            for (k, &hk) in h_prev.iter().enumerate() {
                if hk != T::zero() {
                    for (zj, &wj) in z.iter_mut().zip(&w[k * g4..(k + 1) * g4]) {
                        *zj += hk * wj;
                    }
                }
            }
            let o = &mut out[(bi * t + ti) * row..(bi * t + ti + 1) * row];
            for j in 0..h {
                let ig = sigmoid(z[j]);
                let fg = sigmoid(z[h + j]);
                let gg = z[2 * h + j].tanh();
                let og = sigmoid(z[3 * h + j]);
                let c = fg * c_prev[j] + ig * gg;
                let hh = og * c.tanh();
                o[j] = hh;
                o[h + j] = c;
                o[2 * h + j] = ig;
                o[3 * h + j] = fg;
                o[4 * h + j] = gg;
                o[5 * h + j] = og;
                h_prev[j] = hh;
                c_prev[j] = c;
            }
        }
    }
    out
}

/// Backpropagation through time. `grad` is the loss gradient w.r.t. every
/// output entry (h, c and gate activations); returns (dL/dxw, dL/dw_hh).
fn backward<T: Float + std::ops::AddAssign>(w: &[T], res: &[T], grad: &[T], b: usize, t: usize, h: usize) -> (Vec<T>, Vec<T>) {
    let g4 = 4 * h;
    let row = ROW * h;
    let one = T::one();
    let mut dxw = vec![T::zero(); b * t * g4];
    let mut dw = vec![T::zero(); h * g4];
    let mut dh_rec = vec![T::zero(); h];
    let mut dc_rec = vec![T::zero(); h];
    let mut dz = vec![T::zero(); g4];
    for bi in 0..b {
        dh_rec.iter_mut().for_each(|x| *x = T::zero());
        dc_rec.iter_mut().for_each(|x| *x = T::zero());
        for ti in (0..t).rev() {
            let at = (bi * t + ti) * row;
            let r = &res[at..at + row];
            let gr = &grad[at..at + row];
            let prev = if ti > 0 { Some(&res[at - row..at]) } else { None };
            for j in 0..h {
                let (c, ig, fg, gg, og) = (r[h + j], r[2 * h + j], r[3 * h + j], r[4 * h + j], r[5 * h + j]);
                let c_prev = prev.map_or(T::zero(), |p| p[h + j]);
                let tc = c.tanh();
                let dh = gr[j] + dh_rec[j];
                let dc = gr[h + j] + dc_rec[j] + dh * og * (one - tc * tc);
                let di = dc * gg + gr[2 * h + j];
                let df = dc * c_prev + gr[3 * h + j];
                let dg = dc * ig + gr[4 * h + j];
                let d_o = dh * tc + gr[5 * h + j];
                dc_rec[j] = dc * fg;
                dz[j] = di * ig * (one - ig);
                dz[h + j] = df * fg * (one - fg);
                dz[2 * h + j] = dg * (one - gg * gg);
                dz[3 * h + j] = d_o * og * (one - og);
            }
            let x_off = (bi * t + ti) * g4;
            dxw[x_off..x_off + g4].copy_from_slice(&dz);
            match prev {
                Some(p) => {
                    for k in 0..h {
                        let wk = &w[k * g4..(k + 1) * g4];
                        // dW[k, :] += h_prev[k] · dz ; dh_prev[k] = W[k, :] · dz
                        let hk = p[k];
                        for (dwj, &dzj) in dw[k * g4..(k + 1) * g4].iter_mut().zip(&dz) {
                            *dwj += hk * dzj;
                        }
                        dh_rec[k] = wk.iter().zip(&dz).fold(T::zero(), |s, (&a, &d)| s + a * d);
                    }
                }
                None => dh_rec.iter_mut().for_each(|x| *x = T::zero()),
            }
        }
    }
    (dxw, dw)
}
