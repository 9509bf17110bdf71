//! The LSTM recurrence as one fused candle op with a hand-derived backward pass (BPTT).

use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp2, DType, Layout, Shape, Tensor, WithDType};

use super::fast_math::KernelMath;
use super::gemm::{matmul, Mat};
use super::kernel_threads::{pieces, run_parts, split};

/// Fused recurrence: (xw (B, T, 4H), w_hh (H, 4H)) → the hidden states (B, T, H),
/// or with `keep_cells` (B, T, 2H) = [h | c]. Gates are packed (input, forget,
/// cell, output); the initial state is zero. The forward pass also keeps every
/// step's [h | c | i f g o] rows (B, T, 6H) in the op itself, so the backward
/// pass needs no recomputation and the graph carries only the narrow output.
pub(super) struct LstmScan {
    keep_cells: bool,
    rows: Mutex<Option<CpuStorage>>,
}

/// Width of one kept row per step, in units of H.
const ROW: usize = 6;

impl LstmScan {
    pub(super) fn new(keep_cells: bool) -> Self {
        LstmScan { keep_cells, rows: Mutex::new(None) }
    }

    /// Output width per step in units of H: h, or h and c.
    fn width(&self) -> usize {
        if self.keep_cells {
            2
        } else {
            1
        }
    }

    fn run<T: KernelMath + WithDType>(&self, xw: &[T], w: &[T], b: usize, t: usize, h: usize) -> candle_core::Result<Vec<T>> {
        let (g4, row) = (4 * h, ROW * h);
        let mut rows = vec![T::zero(); b * t * row];
        // Sequences are independent: each part of the batch runs its own recurrence.
        let ranges = split(b, parts(b));
        let chunks = pieces(&mut rows, &ranges, t * row);
        let done = run_parts(ranges.len(), |p| {
            let r = &ranges[p];
            let mut out = chunks[p].lock().map_err(|_| candle_core::Error::Msg("lstm-scan: poisoned lock".into()))?;
            forward(&xw[r.start * t * g4..r.end * t * g4], w, &mut out, r.len(), t, h)
        });
        done.into_iter().collect::<candle_core::Result<()>>()?;
        drop(chunks);
        let width = self.width() * h;
        let mut out = Vec::with_capacity(b * t * width);
        for r in rows.chunks_exact(row) {
            out.extend_from_slice(&r[..width]);
        }
        *self.lock()? = Some(T::to_cpu_storage_owned(rows));
        Ok(out)
    }

    fn lock(&self) -> candle_core::Result<std::sync::MutexGuard<'_, Option<CpuStorage>>> {
        self.rows.lock().map_err(|_| candle_core::Error::Msg("lstm-scan: poisoned lock".into()))
    }
}

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
            (CpuStorage::F32(x), CpuStorage::F32(w)) => CpuStorage::F32(self.run(slice(x, l1)?, slice(w, l2)?, b, t, h)?),
            (CpuStorage::F64(x), CpuStorage::F64(w)) => CpuStorage::F64(self.run(slice(x, l1)?, slice(w, l2)?, b, t, h)?),
            _ => candle_core::bail!("lstm-scan: needs two F32 or two F64 tensors"),
        };
        Ok((out, Shape::from((b, t, self.width() * h))))
    }

    fn bwd(&self, xw: &Tensor, w: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let (b, t, four_h) = xw.dims3()?;
        let h = four_h / 4;
        let guard = self.lock()?;
        let width = self.width();
        // A frozen w_hh (prefix and single-layer tuners) needs no gradient: skip its products.
        let want_dw = w.track_op();
        // The kept rows are borrowed where they lie, not copied.
        let (dxw, dw) = match (xw.dtype(), guard.as_ref()) {
            (DType::F32, Some(CpuStorage::F32(rows))) => {
                let (dx, dw) = backward::<f32>(&flat(w)?, rows, &flat(grad)?, width, want_dw, b, t, h)?;
                (Tensor::from_vec(dx, (b, t, four_h), xw.device())?, dw.map(|dw| Tensor::from_vec(dw, (h, four_h), w.device())).transpose()?)
            }
            (DType::F64, Some(CpuStorage::F64(rows))) => {
                let (dx, dw) = backward::<f64>(&flat(w)?, rows, &flat(grad)?, width, want_dw, b, t, h)?;
                (Tensor::from_vec(dx, (b, t, four_h), xw.device())?, dw.map(|dw| Tensor::from_vec(dw, (h, four_h), w.device())).transpose()?)
            }
            (_, None) => candle_core::bail!("lstm-scan: backward before forward"),
            (d, _) => candle_core::bail!("lstm-scan: unsupported dtype {d:?}"),
        };
        Ok((xw.track_op().then_some(dxw), dw))
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

/// Sequences per part of the batch: parts are a function of the batch size only,
/// so results never depend on how many cores ran them.
fn parts(b: usize) -> usize {
    (b / 32).clamp(1, 4)
}

/// The recurrence for `b` sequences, writing their [h | c | i f g o] rows into `out` (b·T·6H).
fn forward<T: KernelMath + 'static>(xw: &[T], w: &[T], out: &mut [T], b: usize, t: usize, h: usize) -> candle_core::Result<()> {
    let g4 = 4 * h;
    let row = ROW * h;
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
            let (hc, gates) = now[..row].split_at_mut(2 * h);
            let zr = &z[bi * g4..(bi + 1) * g4];
            // The gates block by block: plain loops over contiguous slices, which the compiler vectorises.
            for (g, &v) in gates[..2 * h].iter_mut().zip(&zr[..2 * h]) {
                *g = v.kernel_sigmoid();
            }
            for (g, &v) in gates[2 * h..3 * h].iter_mut().zip(&zr[2 * h..3 * h]) {
                *g = v.kernel_tanh();
            }
            for (g, &v) in gates[3 * h..].iter_mut().zip(&zr[3 * h..]) {
                *g = v.kernel_sigmoid();
            }
            let (ig, rest) = gates.split_at(h);
            let (fg, rest) = rest.split_at(h);
            let (gg, og) = rest.split_at(h);
            let (hs, cs) = hc.split_at_mut(h);
            if ti > 0 {
                let cp = &before[at - row + h..at - row + 2 * h];
                for j in 0..h {
                    cs[j] = fg[j] * cp[j] + ig[j] * gg[j];
                }
            } else {
                for j in 0..h {
                    cs[j] = ig[j] * gg[j];
                }
            }
            for j in 0..h {
                hs[j] = og[j] * cs[j].kernel_tanh();
            }
        }
    }
    Ok(())
}

/// Backpropagation through time, part by part of the batch (see [`parts`]); the
/// parts' w_hh gradients are summed in part order.
#[allow(clippy::too_many_arguments)]
fn backward<T: KernelMath + Send + Sync + 'static>(
    w: &[T],
    res: &[T],
    grad: &[T],
    width: usize,
    want_dw: bool,
    b: usize,
    t: usize,
    h: usize,
) -> candle_core::Result<(Vec<T>, Option<Vec<T>>)> {
    let (g4, row) = (4 * h, ROW * h);
    let mut dxw = vec![T::zero(); b * t * g4];
    let ranges = split(b, parts(b));
    let chunks = pieces(&mut dxw, &ranges, t * g4);
    let partial_dws = run_parts(ranges.len(), |p| {
        let r = &ranges[p];
        let mut dx = chunks[p].lock().map_err(|_| candle_core::Error::Msg("lstm-scan: poisoned lock".into()))?;
        let (res, grad) = (&res[r.start * t * row..r.end * t * row], &grad[r.start * t * width * h..r.end * t * width * h]);
        backward_part(w, res, grad, &mut dx, width, want_dw, r.len(), t, h)
    });
    drop(chunks);
    let mut dw: Option<Vec<T>> = None;
    for part in partial_dws {
        match (dw.as_mut(), part?) {
            (Some(sum), Some(more)) => sum.iter_mut().zip(more).for_each(|(s, m)| *s = *s + m),
            (None, more) => dw = more,
            (Some(_), None) => {}
        }
    }
    Ok((dxw, dw))
}

/// Backpropagation through time for `b` sequences. `grad` is the loss gradient w.r.t. the op's
/// output rows, `width` blocks of H per step (h, or h and c); `res` holds the
/// kept [h | c | i f g o] rows. Writes dL/dxw into `dxw`; returns dL/dw_hh if `want_dw`.
#[allow(clippy::too_many_arguments)]
fn backward_part<T: KernelMath + 'static>(
    w: &[T],
    res: &[T],
    grad: &[T],
    dxw: &mut [T],
    width: usize,
    want_dw: bool,
    b: usize,
    t: usize,
    h: usize,
) -> candle_core::Result<Option<Vec<T>>> {
    let g4 = 4 * h;
    let row = ROW * h;
    let one = T::one();
    let mut dw = if want_dw { Some(vec![T::zero(); h * g4]) } else { None };
    let mut dh_rec = vec![T::zero(); b * h];
    let mut dc_rec = vec![T::zero(); b * h];
    let mut dz = vec![T::zero(); b * g4];
    for ti in (0..t).rev() {
        for bi in 0..b {
            let at = (bi * t + ti) * row;
            let r = &res[at..at + row];
            let g_at = (bi * t + ti) * width * h;
            let gr = &grad[g_at..g_at + width * h];
            let c_prev = if ti > 0 { Some(&res[at - row + h..at - row + 2 * h]) } else { None };
            let dzr = &mut dz[bi * g4..(bi + 1) * g4];
            for j in 0..h {
                let (c, ig, fg, gg, og) = (r[h + j], r[2 * h + j], r[3 * h + j], r[4 * h + j], r[5 * h + j]);
                let tc = c.kernel_tanh();
                let dh = gr[j] + dh_rec[bi * h + j];
                let dc_out = if width > 1 { gr[h + j] } else { T::zero() };
                let dc = dc_out + dc_rec[bi * h + j] + dh * og * (one - tc * tc);
                let di = dc * gg;
                let df = dc * c_prev.map_or(T::zero(), |cp| cp[j]);
                let dg = dc * ig;
                let d_o = dh * tc;
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
            if let Some(dw) = dw.as_mut() {
                // dW += H_{t−1}ᵀ · dZ (H_{t−1}ᵀ: element (k, b) at b·T·row + k).
                let h_prev_t = Mat { data: &res[(ti - 1) * row..], rs: 1, cs: t * row };
                matmul(h, g4, b, dw, g4, true, h_prev_t, dz_m)?;
            }
            // dH_{t−1} = dZ · Wᵀ (Wᵀ: element (j, k) at k·4H + j).
            matmul(b, h, g4, &mut dh_rec, h, false, dz_m, Mat { data: w, rs: 1, cs: g4 })?;
        }
    }
    Ok(dw)
}
