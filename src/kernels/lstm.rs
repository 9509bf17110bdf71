//! The LSTM recurrence as one fused candle op with a hand-derived backward pass (BPTT).

use std::sync::{Arc, Mutex};

use candle_core::{CpuStorage, CustomOp2, DType, Layout, Shape, Tensor, WithDType};

use super::cpu::dispatch::{simd_kernel, Isa};
use super::cpu::elements::{contiguous, with_elements};
use super::cpu::fast_math::KernelMath;
use super::cpu::gemm::{matmul, Mat};
use super::cpu::threads::{locked, pieces, run_parts, split, sum_parts};
use crate::error::Result;

/// The input projections plus bias that the recurrence reads, one 4H row per step.
#[derive(Debug, Clone)]
pub enum StepInputs<'a> {
    /// (B, T, 4H): one row per position.
    PerPosition(&'a Tensor),
    /// An (R, 4H) table of distinct rows; position (b, t) reads row `index[b·T + t]`, so
    /// the (B, T, 4H) gathered rows never exist.
    Table { table: &'a Tensor, index: Arc<[u32]>, batch: usize, length: usize },
}

/// The LSTM recurrence over time from zero state. `xw` gives every step's input
/// projection plus bias (a (B, T, 4H) tensor, or a table and an index); `w_hh` is (H, 4H),
/// gates packed (input, forget, cell, output). Returns the hidden states (B, T, H) and,
/// if `keep_cells`, the cell states (B, T, H).
///
/// Runs as the fused [`LstmScan`] op; [`super::reference::lstm_scan`] is the same
/// computation in generic candle ops.
pub fn lstm_scan(xw: StepInputs<'_>, w_hh: &Tensor, keep_cells: bool) -> Result<(Tensor, Option<Tensor>)> {
    let (xw, steps) = match xw {
        StepInputs::PerPosition(xw) => (xw, Steps::PerPosition),
        StepInputs::Table { table, index, batch, length } => (table, Steps::Table { index, batch, length }),
    };
    let h = w_hh.dim(0)?;
    let out = xw.contiguous()?.apply_op2(&w_hh.contiguous()?, LstmScan::new(keep_cells, steps))?;
    if keep_cells {
        Ok((out.narrow(2, 0, h)?, Some(out.narrow(2, h, h)?)))
    } else {
        Ok((out, None))
    }
}

/// Fused recurrence: (xw (B, T, 4H), w_hh (H, 4H)) → the hidden states (B, T, H),
/// or with `keep_cells` (B, T, 2H) = [h | c]. Gates are packed (input, forget,
/// cell, output); the initial state is zero. The forward pass also keeps every
/// step's [h | c | i f g o] rows (B·T·6H, each part of the batch step by step: see
/// [`forward`]) in the op itself, so the backward
/// pass needs no recomputation and the graph carries only the narrow output.
///
/// With [`Steps::Table`], xw is instead a small (R, 4H) table of distinct input
/// projections and each position reads its row by index: the (B, T, 4H) gathered
/// projections and their gradient never exist, and the backward pass adds each
/// position's gradient straight into its table row.
struct LstmScan {
    keep_cells: bool,
    steps: Steps,
    rows: Mutex<Option<CpuStorage>>,
}

/// How the op's first input gives each step its input projection.
enum Steps {
    /// xw is (B, T, 4H): one row per position.
    PerPosition,
    /// xw is an (R, 4H) table; position b·T + t reads row `index[b·T + t]`.
    Table { index: Arc<[u32]>, batch: usize, length: usize },
}

/// Each position's 4H input row, for one part of the batch.
#[derive(Clone, Copy)]
enum StepRows<'a, T> {
    PerPosition(&'a [T]),
    Table { table: &'a [T], index: &'a [u32] },
}

impl<'a, T> StepRows<'a, T> {
    /// The rows of the sequences in `range` only (each `t` steps long).
    fn part(self, range: &std::ops::Range<usize>, t: usize, g4: usize) -> Self {
        match self {
            StepRows::PerPosition(x) => StepRows::PerPosition(&x[range.start * t * g4..range.end * t * g4]),
            StepRows::Table { table, index } => StepRows::Table { table, index: &index[range.start * t..range.end * t] },
        }
    }

    fn row(&self, pos: usize, g4: usize) -> &'a [T] {
        let (data, at) = match *self {
            StepRows::PerPosition(x) => (x, pos),
            StepRows::Table { table, index } => (table, index[pos] as usize),
        };
        &data[at * g4..(at + 1) * g4]
    }
}

/// Where a part's input gradients go: one row per position, or added into table rows.
enum StepGrads<'a, T> {
    PerPosition(&'a mut [T]),
    Table { dtable: Vec<T>, index: &'a [u32] },
}

impl<T: KernelMath> StepGrads<'_, T> {
    #[inline(always)]
    fn put(&mut self, pos: usize, dz: &[T]) {
        let g4 = dz.len();
        match self {
            StepGrads::PerPosition(dx) => dx[pos * g4..(pos + 1) * g4].copy_from_slice(dz),
            StepGrads::Table { dtable, index } => {
                let at = index[pos] as usize * g4;
                dtable[at..at + g4].iter_mut().zip(dz).for_each(|(d, &g)| *d = *d + g);
            }
        }
    }
}

/// Width of one kept row per step, in units of H.
const ROW: usize = 6;

impl LstmScan {
    fn new(keep_cells: bool, steps: Steps) -> Self {
        LstmScan { keep_cells, steps, rows: Mutex::new(None) }
    }

    /// (B, T, H) of a call with first input `xw` and w_hh `w`, checked; with `check_index`,
    /// also every table index (once, in the forward pass: backward sees the same shapes).
    fn dims(&self, xw: &Shape, w: &Shape, check_index: bool) -> candle_core::Result<(usize, usize, usize)> {
        let (b, t, four_h) = match &self.steps {
            Steps::PerPosition => xw.dims3()?,
            Steps::Table { index, batch, length } => {
                let (r, four_h) = xw.dims2()?;
                if index.len() != batch * length || (check_index && index.iter().any(|&i| i as usize >= r)) {
                    candle_core::bail!("lstm-scan: an index of {} entries into {r} rows for {batch} × {length} steps", index.len());
                }
                (*batch, *length, four_h)
            }
        };
        let h = four_h / 4;
        let (wr, wc) = w.dims2()?;
        if four_h != 4 * h || wr != h || wc != four_h {
            candle_core::bail!("lstm-scan: xw {:?} and w_hh {:?} do not match", xw.dims(), w.dims());
        }
        Ok((b, t, h))
    }

    /// The step rows `xw` holds.
    fn step_rows<'a, T>(&'a self, xw: &'a [T]) -> StepRows<'a, T> {
        match &self.steps {
            Steps::PerPosition => StepRows::PerPosition(xw),
            Steps::Table { index, .. } => StepRows::Table { table: xw, index },
        }
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
        let input = self.step_rows(xw);
        let (g4, row) = (4 * h, ROW * h);
        let mut rows = vec![T::zero(); b * t * row];
        // Sequences are independent: each part of the batch runs its own recurrence.
        let ranges = split(b, parts(b));
        let chunks = pieces(&mut rows, &ranges, t * row);
        let done = run_parts(ranges.len(), |p| {
            let r = &ranges[p];
            let mut out = locked(&chunks[p], "lstm-scan")?;
            forward(input.part(r, t, g4), w, &mut out, r.len(), t, h)
        });
        done.into_iter().collect::<candle_core::Result<()>>()?;
        drop(chunks);
        // The output is (B, T, width): each sequence's rows, gathered from its part's steps.
        let width = self.width() * h;
        let mut out = Vec::with_capacity(b * t * width);
        for r in &ranges {
            let part = &rows[r.start * t * row..r.end * t * row];
            for bi in 0..r.len() {
                for ti in 0..t {
                    let at = (ti * r.len() + bi) * row;
                    out.extend_from_slice(&part[at..at + width]);
                }
            }
        }
        *self.lock()? = Some(T::to_cpu_storage_owned(rows));
        Ok(out)
    }

    fn lock(&self) -> candle_core::Result<std::sync::MutexGuard<'_, Option<CpuStorage>>> {
        locked(&self.rows, "lstm-scan")
    }
}

impl CustomOp2 for LstmScan {
    fn name(&self) -> &'static str {
        "lstm-scan"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (b, t, h) = self.dims(l1.shape(), l2.shape(), true)?;
        let out = match (s1, s2) {
            (CpuStorage::F32(x), CpuStorage::F32(w)) => CpuStorage::F32(self.run(contiguous(x, l1, "lstm-scan")?, contiguous(w, l2, "lstm-scan")?, b, t, h)?),
            (CpuStorage::F64(x), CpuStorage::F64(w)) => CpuStorage::F64(self.run(contiguous(x, l1, "lstm-scan")?, contiguous(w, l2, "lstm-scan")?, b, t, h)?),
            _ => candle_core::bail!("lstm-scan: needs two F32 or two F64 tensors"),
        };
        Ok((out, Shape::from((b, t, self.width() * h))))
    }

    fn bwd(&self, xw: &Tensor, w: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let (b, t, h) = self.dims(xw.shape(), w.shape(), false)?;
        let guard = self.lock()?;
        let table = match &self.steps {
            Steps::PerPosition => None,
            Steps::Table { index, .. } => Some(&index[..]),
        };
        let width = self.width();
        // A frozen w_hh (prefix and single-layer tuners) needs no gradient: skip its products.
        let want_dw = w.track_op();
        // The kept rows are borrowed where they lie, not copied.
        let (dxw, dw) = match (xw.dtype(), guard.as_ref()) {
            (DType::F32, Some(CpuStorage::F32(rows))) => {
                let (dx, dw) = with_elements(w, |w| with_elements(grad, |g| backward::<f32>(table, xw.dim(0)?, w, rows, g, width, want_dw, b, t, h)))?;
                (Tensor::from_vec(dx, xw.shape(), xw.device())?, dw.map(|dw| Tensor::from_vec(dw, (h, 4 * h), w.device())).transpose()?)
            }
            (DType::F64, Some(CpuStorage::F64(rows))) => {
                let (dx, dw) = with_elements(w, |w| with_elements(grad, |g| backward::<f64>(table, xw.dim(0)?, w, rows, g, width, want_dw, b, t, h)))?;
                (Tensor::from_vec(dx, xw.shape(), xw.device())?, dw.map(|dw| Tensor::from_vec(dw, (h, 4 * h), w.device())).transpose()?)
            }
            (_, None) => candle_core::bail!("lstm-scan: backward before forward"),
            (d, _) => candle_core::bail!("lstm-scan: unsupported dtype {d:?}"),
        };
        Ok((xw.track_op().then_some(dxw), dw))
    }
}

/// Sequences per part of the batch: parts are a function of the batch size only,
/// so results never depend on how many cores ran them.
fn parts(b: usize) -> usize {
    (b / 32).clamp(1, 4)
}

simd_kernel! {
    /// The recurrence for `b` sequences, writing their [h | c | i f g o] rows into `out`
    /// (T·b·6H) step by step: the b rows of a step lie together, so each step reads and
    /// writes one contiguous block (and backward reads it back the same way).
    fn forward<T, S>(xw: StepRows<T>, w: &[T], out: &mut [T], b: usize, t: usize, h: usize) -> candle_core::Result<()> {
        let g4 = 4 * h;
        let row = ROW * h;
        let mut z = vec![T::zero(); b * g4];
        let zeros = vec![T::zero(); h];
        for ti in 0..t {
            for bi in 0..b {
                z[bi * g4..(bi + 1) * g4].copy_from_slice(xw.row(bi * t + ti, g4));
            }
            if ti > 0 {
                // Z += H_{t−1} · W for the whole batch; H_{t−1} rows sit one row apart in `out`.
                let h_prev = Mat { data: &out[(ti - 1) * b * row..], rs: row, cs: 1 };
                matmul(b, g4, h, &mut z, g4, true, h_prev, Mat { data: w, rs: g4, cs: 1 })?;
            }
            for bi in 0..b {
                let at = (ti * b + bi) * row;
                let (before, now) = out.split_at_mut(at);
                let (hc, gates) = now[..row].split_at_mut(2 * h);
                let zr = &z[bi * g4..(bi + 1) * g4];
                // The gates block by block: plain loops over contiguous slices, which the compiler vectorises.
                for (g, &v) in gates[..2 * h].iter_mut().zip(&zr[..2 * h]) {
                    *g = v.sigmoid_on::<S>();
                }
                for (g, &v) in gates[2 * h..3 * h].iter_mut().zip(&zr[2 * h..3 * h]) {
                    *g = v.tanh_on::<S>();
                }
                for (g, &v) in gates[3 * h..].iter_mut().zip(&zr[3 * h..]) {
                    *g = v.sigmoid_on::<S>();
                }
                // c_{−1} = 0: f ⊙ 0 + i ⊙ g is exactly i ⊙ g.
                let prev = at.saturating_sub(b * row);
                let c_prev = if ti > 0 { &before[prev + h..prev + 2 * h] } else { &zeros[..] };
                cell_step::<T, S>(hc, gates, c_prev, h);
            }
        }
        Ok(())
    }
}

/// c = f ⊙ c_prev + i ⊙ g and h = o ⊙ tanh(c) into `hc` = [h | c], from `gates` = [i f g o].
/// Every slice is cut to exactly H first, so the loop has no bounds checks and vectorises.
#[inline(always)]
fn cell_step<T: KernelMath, S: Isa>(hc: &mut [T], gates: &[T], c_prev: &[T], h: usize) {
    let (hs, cs) = hc.split_at_mut(h);
    let (hs, cs, c_prev) = (&mut hs[..h], &mut cs[..h], &c_prev[..h]);
    let (ig, fg, gg, og) = (&gates[..h], &gates[h..2 * h], &gates[2 * h..3 * h], &gates[3 * h..4 * h]);
    for j in 0..h {
        cs[j] = fg[j] * c_prev[j] + ig[j] * gg[j];
        hs[j] = og[j] * cs[j].tanh_on::<S>();
    }
}

/// Backpropagation through time, part by part of the batch (see [`parts`]); the
/// parts' w_hh gradients (and table gradients) are summed in part order. Returns the
/// gradient of the op's first input: (B, T, 4H), or (`table_rows`, 4H) for a `table` index.
#[allow(clippy::too_many_arguments)]
fn backward<T: KernelMath + Send + Sync + 'static>(
    table: Option<&[u32]>,
    table_rows: usize,
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
    let ranges = split(b, parts(b));
    let mut dxw = vec![T::zero(); if table.is_some() { 0 } else { b * t * g4 }];
    let chunks = pieces(&mut dxw, &ranges, if table.is_some() { 0 } else { t * g4 });
    let partials = run_parts(ranges.len(), |p| {
        let r = &ranges[p];
        let mut dx = locked(&chunks[p], "lstm-scan")?;
        let mut sink = match table {
            None => StepGrads::PerPosition(&mut dx),
            Some(index) => StepGrads::Table { dtable: vec![T::zero(); table_rows * g4], index: &index[r.start * t..r.end * t] },
        };
        let (res, grad) = (&res[r.start * t * row..r.end * t * row], &grad[r.start * t * width * h..r.end * t * width * h]);
        let dw = backward_part(w, res, grad, &mut sink, width, want_dw, r.len(), t, h)?;
        let dtable = match sink {
            StepGrads::Table { dtable, .. } => Some(dtable),
            StepGrads::PerPosition(_) => None,
        };
        Ok::<_, candle_core::Error>((dw, dtable))
    });
    drop(chunks);
    let (dw, dtable) = sum_parts(partials)?;
    Ok((dtable.unwrap_or(dxw), dw))
}

simd_kernel! {
    /// Backpropagation through time for `b` sequences. `grad` is the loss gradient w.r.t. the op's
    /// output rows, `width` blocks of H per step (h, or h and c); `res` holds the
    /// kept [h | c | i f g o] rows, step by step as [`forward`] wrote them. Puts each position's
    /// dL/dxw into `dxw`; returns dL/dw_hh if `want_dw`.
    #[allow(clippy::too_many_arguments)]
    fn backward_part<T, S>(
        w: &[T],
        res: &[T],
        grad: &[T],
        dxw: &mut StepGrads<T>,
        width: usize,
        want_dw: bool,
        b: usize,
        t: usize,
        h: usize,
    ) -> candle_core::Result<Option<Vec<T>>> {
        let g4 = 4 * h;
        let row = ROW * h;
        let mut dw = if want_dw { Some(vec![T::zero(); h * g4]) } else { None };
        let mut dh_rec = vec![T::zero(); b * h];
        let mut dc_rec = vec![T::zero(); b * h];
        let mut dz = vec![T::zero(); b * g4];
        let zeros = vec![T::zero(); h];
        for ti in (0..t).rev() {
            for bi in 0..b {
                let at = (ti * b + bi) * row;
                let r = &res[at..at + row];
                let g_at = (bi * t + ti) * width * h;
                let gr = &grad[g_at..g_at + width * h];
                // c_{−1} = 0, and no loss gradient reaches c when only h is an output.
                let prev = at.saturating_sub(b * row);
                let c_prev = if ti > 0 { &res[prev + h..prev + 2 * h] } else { &zeros[..] };
                let dc_out = if width > 1 { &gr[h..2 * h] } else { &zeros[..] };
                let dzr = &mut dz[bi * g4..(bi + 1) * g4];
                let rec = bi * h..(bi + 1) * h;
                cell_grads::<T, S>(dzr, &mut dc_rec[rec.clone()], r, c_prev, &gr[..h], dc_out, &dh_rec[rec], h);
                dxw.put(bi * t + ti, dzr);
            }
            if ti > 0 {
                let dz_m = Mat { data: &dz, rs: g4, cs: 1 };
                if let Some(dw) = dw.as_mut() {
                    // dW += H_{t−1}ᵀ · dZ (H_{t−1}ᵀ: element (k, b) at b·row + k).
                    let h_prev_t = Mat { data: &res[(ti - 1) * b * row..], rs: 1, cs: row };
                    matmul(h, g4, b, dw, g4, true, h_prev_t, dz_m)?;
                }
                // dH_{t−1} = dZ · Wᵀ (Wᵀ: element (j, k) at k·4H + j).
                matmul(b, h, g4, &mut dh_rec, h, false, dz_m, Mat { data: w, rs: 1, cs: g4 })?;
            }
        }
        Ok(dw)
    }
}

/// One step of one sequence backwards: from the kept row `r` = [h | c | i f g o], c_{t−1},
/// the loss gradients dh (output plus recurrent) and dc_out, and dc_rec (from step t + 1,
/// replaced by the gradient for step t − 1), the gate pre-activation gradients into `dz` = [i f g o].
/// Every slice is cut to exactly H first, so the loop has no bounds checks and vectorises.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn cell_grads<T: KernelMath, S: Isa>(dz: &mut [T], dc_rec: &mut [T], r: &[T], c_prev: &[T], dh_out: &[T], dc_out: &[T], dh_rec: &[T], h: usize) {
    let one = T::one();
    let (c, ig, fg, gg, og) = (&r[h..2 * h], &r[2 * h..3 * h], &r[3 * h..4 * h], &r[4 * h..5 * h], &r[5 * h..6 * h]);
    let (c_prev, dh_out, dc_out, dh_rec, dc_rec) = (&c_prev[..h], &dh_out[..h], &dc_out[..h], &dh_rec[..h], &mut dc_rec[..h]);
    let (dzi, rest) = dz.split_at_mut(h);
    let (dzf, rest) = rest.split_at_mut(h);
    let (dzg, dzo) = rest.split_at_mut(h);
    let (dzi, dzf, dzg, dzo) = (&mut dzi[..h], &mut dzf[..h], &mut dzg[..h], &mut dzo[..h]);
    for j in 0..h {
        let tc = c[j].tanh_on::<S>();
        let dh = dh_out[j] + dh_rec[j];
        let dc = dc_out[j] + dc_rec[j] + dh * og[j] * (one - tc * tc);
        dc_rec[j] = dc * fg[j];
        dzi[j] = dc * gg[j] * ig[j] * (one - ig[j]);
        dzf[j] = dc * c_prev[j] * fg[j] * (one - fg[j]);
        dzg[j] = dc * ig[j] * (one - gg[j] * gg[j]);
        dzo[j] = dh * tc * og[j] * (one - og[j]);
    }
}
