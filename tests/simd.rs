//! The engine's loops on each wide instruction set the CPU has against the baseline path, on the same inputs; and training on the wide path at one and two threads.

mod common;

use std::sync::{Arc, Mutex};

use candle_core::{DType, Tensor, Var};
use common::{as64, random};
use promptlab::config::Config;
use promptlab::kernels::{
    attention_block, causal_attention, gelu, layer_norm, lstm_scan, mlp, mlp_block, set_kernel_threads, simd, simd_detected, use_simd, AttentionWeights, MlpWeights, Simd,
    StepInputs,
};
use promptlab::train::Pretrainer;

/// The path is one per process: the tests here take turns.
static PATH: Mutex<()> = Mutex::new(());

/// The wide paths this CPU has, narrowest first; empty (with a note) where it has none.
fn wide_paths() -> Vec<Simd> {
    let wide: Vec<Simd> = [Simd::Avx2Fma, Simd::Avx512].into_iter().filter(|&p| p <= simd_detected()).collect();
    if wide.is_empty() {
        eprintln!("note: this CPU has no AVX2 + FMA: only the baseline path exists, nothing to compare");
        assert_eq!(simd(), Simd::Baseline);
    }
    wide
}

/// Every kernel's output and every input's gradient under a fixed random objective, on `path`.
/// Sizes are odd (no multiple of a vector width) and past the thresholds for cutting over the cores.
fn outputs(dtype: DType, path: Simd) -> Vec<(String, Vec<f64>)> {
    use_simd(path).unwrap();
    assert_eq!(simd(), path, "the kernels must take the path asked for");
    let (b, t, e, heads, h) = (67, 37, 24, 4, 13);
    let var = |shape: &[usize], seed| Var::from_tensor(&random(shape, seed).to_dtype(dtype).unwrap()).unwrap();
    let (x, q, k, v) = (var(&[b, t, e], 80), var(&[b, t, e], 81), var(&[b, t, e], 82), var(&[b, t, e], 83));
    let (g, o, w1, w2) = (var(&[e], 84), var(&[e], 85), var(&[e, 3 * e], 86), var(&[3 * e, e], 87));
    let (wq, wk) = (var(&[e, e], 88), var(&[e, e], 89));
    // The LSTM: inputs per position, and a table of 5 rows read by index (with the cells as an output).
    let (xw, w_hh, table) = (var(&[b, t, 4 * h], 90), Var::from_tensor(&(random(&[h, 4 * h], 91) * 0.5).unwrap().to_dtype(dtype).unwrap()).unwrap(), var(&[5, 4 * h], 92));
    let index: Arc<[u32]> = (0..b * t).map(|i| ((i * 7 + i / 3) % 5) as u32).collect();
    let (gt, ot) = (g.as_tensor(), o.as_tensor());
    let attention = AttentionWeights { projections: [wq.as_tensor(), wk.as_tensor(), wq.as_tensor(), wk.as_tensor()], norms: [gt, ot, gt, gt] };
    let mlp_weights = MlpWeights { w1: w1.as_tensor(), w2: w2.as_tensor(), norms: [gt, ot, gt, ot] };
    let (lstm_h, _) = lstm_scan(StepInputs::PerPosition(xw.as_tensor()), w_hh.as_tensor(), false).unwrap();
    let (table_h, table_c) = lstm_scan(StepInputs::Table { table: table.as_tensor(), index, batch: b, length: t }, w_hh.as_tensor(), true).unwrap();
    let ys: Vec<(&str, Tensor)> = vec![
        ("attention", causal_attention(q.as_tensor(), k.as_tensor(), v.as_tensor(), heads).unwrap()),
        ("layer norm", layer_norm(x.as_tensor(), gt, Some(ot)).unwrap()),
        ("layer norm without offset", layer_norm(q.as_tensor(), ot, None).unwrap()),
        ("gelu", gelu(x.as_tensor()).unwrap()),
        ("mlp", mlp(x.as_tensor(), w1.as_tensor(), w2.as_tensor()).unwrap()),
        ("blocks", mlp_block(&attention_block(x.as_tensor(), &attention, heads).unwrap(), &mlp_weights).unwrap()),
        ("lstm", lstm_h),
        ("lstm from a table", table_h),
        ("lstm cells", table_c.unwrap()),
    ];
    let mut objective = Tensor::zeros((), dtype, &candle_core::Device::Cpu).unwrap();
    let mut out = Vec::new();
    for (i, (name, y)) in ys.iter().enumerate() {
        let r = random(y.dims(), 100 + i as u64).to_dtype(dtype).unwrap();
        objective = (objective + (y * r).unwrap().sum_all().unwrap()).unwrap();
        out.push((name.to_string(), as64(y)));
    }
    let grads = objective.backward().unwrap();
    let vars = [("x", &x), ("q", &q), ("k", &k), ("v", &v), ("scale", &g), ("offset", &o), ("w1", &w1), ("w2", &w2), ("wq", &wq), ("wk", &wk), ("xw", &xw), ("w_hh", &w_hh), ("table", &table)];
    for (name, var) in vars {
        out.push((format!("d{name}"), as64(grads.get(var).unwrap())));
    }
    use_simd(simd_detected()).unwrap();
    out
}

/// Largest difference of `a` from `base`, relative to the largest entry of `base` (plus one).
fn worst(a: &[f64], base: &[f64]) -> f64 {
    assert_eq!(a.len(), base.len());
    let scale = 1.0 + base.iter().fold(0.0f64, |m, z| m.max(z.abs()));
    a.iter().zip(base).fold(0.0f64, |m, (x, z)| m.max((x - z).abs() / scale))
}

#[test]
fn every_wide_path_matches_the_baseline() {
    let _turn = PATH.lock().unwrap_or_else(|e| e.into_inner());
    for path in wide_paths() {
        // F64: no polynomial exp and no fused multiply-add, so the same bits.
        assert_eq!(outputs(DType::F64, path), outputs(DType::F64, Simd::Baseline), "{path:?}: F64 must not change");
        let (wide, base) = (outputs(DType::F32, path), outputs(DType::F32, Simd::Baseline));
        for ((name, w), (_, b)) in wide.iter().zip(&base) {
            let err = worst(w, b);
            eprintln!("{path:?} {name}: worst difference {err:.1e} of the largest entry");
            assert!(err <= 2e-6, "{path:?} {name}: {err:e} from the baseline");
            // LayerNorm has no exp; sums stay in order, and nothing is fused: the baseline's bits.
            if name.starts_with("layer norm") {
                assert_eq!(w, b, "{path:?} {name}: LayerNorm must give the baseline's bits");
            }
        }
        // The wide copy really ran: its polynomial exp rounds differently from libm's somewhere.
        for name in ["attention", "gelu", "lstm"] {
            let (w, b) = (&wide.iter().find(|(n, _)| n == name).unwrap().1, &base.iter().find(|(n, _)| n == name).unwrap().1);
            assert_ne!(w, b, "{path:?} {name}: the same bits as the baseline, so the wide copy did not run");
        }
    }
}

/// Losses of a few pretraining steps with the kernels on `threads` threads.
fn losses(arch: &str, threads: usize) -> Vec<u64> {
    let json = format!(
        r#"{{"seed":3,"model":{{"architecture":"{arch}","embedding_dim":16,"hidden_sizes":[16],"num_heads":2}},"pretraining":{{"batch_size":96,"sequence_length":40,"steps":3}}}}"#
    );
    let config = Config::from_json(&json).unwrap();
    set_kernel_threads(threads);
    let mut t = Pretrainer::new(&config).unwrap();
    let out = (0..3).map(|_| t.step().unwrap().to_bits()).collect();
    set_kernel_threads(0);
    out
}

#[test]
fn training_on_the_widest_path_gives_the_same_bits_at_one_and_two_threads() {
    let _turn = PATH.lock().unwrap_or_else(|e| e.into_inner());
    use_simd(simd_detected()).unwrap();
    eprintln!("training on the {} path", simd().name());
    for arch in ["lstm", "transformer"] {
        assert_eq!(losses(arch, 2), losses(arch, 1), "{arch}: two threads against one");
    }
}
