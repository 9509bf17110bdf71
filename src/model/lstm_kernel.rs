//! The LSTM recurrence as one fused candle op with a hand-derived backward pass (BPTT).

use candle_core::{CpuStorage, CustomOp2, DType, Layout, Shape, Tensor};
use num_traits::Float;

use super::gemm::{matmul, Mat};

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
            (CpuStorage::F32(x), CpuStorage::F32(w)) => CpuStorage::F32(forward(slice(x, l1)?, slice(w, l2)?, b, t, h)?),
            (CpuStorage::F64(x), CpuStorage::F64(w)) => CpuStorage::F64(forward(slice(x, l1)?, slice(w, l2)?, b, t, h)?),
            _ => candle_core::bail!("lstm-scan: needs two F32 or two F64 tensors"),
        };
        Ok((out, Shape::from((b, t, ROW * h))))
    }

    fn bwd(&self, xw: &Tensor, w: &Tensor, res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let (b, t, four_h) = xw.dims3()?;
        let h = four_h / 4;
        let (dxw, dw) = match xw.dtype() {
            DType::F32 => {
                let (dx, dw) = backward::<f32>(&flat(w)?, &flat(res)?, &flat(grad)?, b, t, h)?;
                (Tensor::from_vec(dx, (b, t, four_h), xw.device())?, Tensor::from_vec(dw, (h, four_h), w.device())?)
            }
            DType::F64 => {
                let (dx, dw) = backward::<f64>(&flat(w)?, &flat(res)?, &flat(grad)?, b, t, h)?;
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

fn forward<T: Float + 'static>(xw: &[T], w: &[T], b: usize, t: usize, h: usize) -> candle_core::Result<Vec<T>> {
    let g4 = 4 * h;
    let row = ROW * h;
    let mut out = vec![T::zero(); b * t * row];
    let mut z = vec![T::zero(); b * g4];
    for ti in 0..t {
        for bi in 0..b {
            z[bi * g4..(bi + 1) * g4].copy_from_slice(&xw[(bi * t + ti) * g4..(bi * t + ti + 1) * g4]);
        }
        if ti > 0 {
            // Z += H_{t−1} · W for the whole batch; H_{t−1} rows sit T·row apart in `out`.
            let h_prev = Mat { data: &out[(ti - 1) * row..], rs: t * row, cs: 1 };
            matmul(b, g4, h, &mut z, g4, true, h_prev, Mat { data: w, rs: g4, cs: 1 })?;
        }
        for bi in 0..b {
            let at = (bi * t + ti) * row;
            let (before, now) = out.split_at_mut(at);
            let c_prev = if ti > 0 { Some(&before[at - row + h..at - row + 2 * h]) } else { None };
            let zr = &z[bi * g4..(bi + 1) * g4];
            for j in 0..h {
                let ig = sigmoid(zr[j]);
                let fg = sigmoid(zr[h + j]);
                let gg = zr[2 * h + j].tanh();
                let og = sigmoid(zr[3 * h + j]);
                let c = c_prev.map_or(T::zero(), |cp| fg * cp[j]) + ig * gg;
                now[j] = og * c.tanh();
                now[h + j] = c;
                now[2 * h + j] = ig;
                now[3 * h + j] = fg;
                now[4 * h + j] = gg;
                now[5 * h + j] = og;
            }
        }
    }
    Ok(out)
}

/// Backpropagation through time. `grad` is the loss gradient w.r.t. every
/// output entry (h, c and gate activations); returns (dL/dxw, dL/dw_hh).
fn backward<T: Float + 'static>(w: &[T], res: &[T], grad: &[T], b: usize, t: usize, h: usize) -> candle_core::Result<(Vec<T>, Vec<T>)> {
    let g4 = 4 * h;
    let row = ROW * h;
    let one = T::one();
    let mut dxw = vec![T::zero(); b * t * g4];
    let mut dw = vec![T::zero(); h * g4];
    let mut dh_rec = vec![T::zero(); b * h];
    let mut dc_rec = vec![T::zero(); b * h];
    let mut dz = vec![T::zero(); b * g4];
    for ti in (0..t).rev() {
        for bi in 0..b {
            let at = (bi * t + ti) * row;
            let r = &res[at..at + row];
            let gr = &grad[at..at + row];
            let c_prev = if ti > 0 { Some(&res[at - row + h..at - row + 2 * h]) } else { None };
            let dzr = &mut dz[bi * g4..(bi + 1) * g4];
            for j in 0..h {
                let (c, ig, fg, gg, og) = (r[h + j], r[2 * h + j], r[3 * h + j], r[4 * h + j], r[5 * h + j]);
                let tc = c.tanh();
                let dh = gr[j] + dh_rec[bi * h + j];
                let dc = gr[h + j] + dc_rec[bi * h + j] + dh * og * (one - tc * tc);
                let di = dc * gg + gr[2 * h + j];
                let df = dc * c_prev.map_or(T::zero(), |cp| cp[j]) + gr[3 * h + j];
                let dg = dc * ig + gr[4 * h + j];
                let d_o = dh * tc + gr[5 * h + j];
                dc_rec[bi * h + j] = dc * fg;
                dzr[j] = di * ig * (one - ig);
                dzr[h + j] = df * fg * (one - fg);
                dzr[2 * h + j] = dg * (one - gg * gg);
                dzr[3 * h + j] = d_o * og * (one - og);
            }
            dxw[(bi * t + ti) * g4..(bi * t + ti + 1) * g4].copy_from_slice(dzr);
        }
        if ti > 0 {
            let dz_m = Mat { data: &dz, rs: g4, cs: 1 };
            // dW += H_{t−1}ᵀ · dZ (H_{t−1}ᵀ: element (k, b) at b·T·row + k).
            let h_prev_t = Mat { data: &res[(ti - 1) * row..], rs: 1, cs: t * row };
            matmul(h, g4, b, &mut dw, g4, true, h_prev_t, dz_m)?;
            // dH_{t−1} = dZ · Wᵀ (Wᵀ: element (j, k) at k·4H + j).
            matmul(b, h, g4, &mut dh_rec, h, false, dz_m, Mat { data: w, rs: 1, cs: g4 })?;
        }
    }
    Ok((dxw, dw))
}
