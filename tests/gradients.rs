//! Every parameter group and every prefix kind: backprop gradients against finite differences (F64).

mod common;

use candle_core::backprop::GradStore;
use candle_core::{DType, Device, Tensor, Var};
use common::{as64, random};
use promptlab::config::{Architecture, ModelConfig};
use promptlab::kernels::{lstm_scan, reference, StepInputs};
use promptlab::model::{one_hot, Predictor, Prefix};
use promptlab::train::log_loss;
use rand::Rng;

const B: usize = 2;
const N: usize = 5;
const V: usize = 3;

fn tokens() -> Tensor {
    let toks = [0, 2, 1, 1, 0, 2, 2, 0, 1, 0];
    one_hot(&toks, B, N, V, DType::F64).unwrap()
}

fn loss(p: &Predictor, prefix: &Prefix) -> Tensor {
    let x = tokens();
    log_loss(&p.forward(&x, prefix, false).unwrap().log_probs, &x).unwrap()
}

fn scalar(t: &Tensor) -> f64 {
    t.to_scalar::<f64>().unwrap()
}

/// Compares d loss / d var with central differences for every entry of `var`.
fn check(name: &str, var: &Var, f: &dyn Fn() -> f64, analytic: &Tensor) {
    let base = var.as_tensor().flatten_all().unwrap().to_vec1::<f64>().unwrap();
    let grad = analytic.flatten_all().unwrap().to_vec1::<f64>().unwrap();
    let eps = 1e-6;
    for i in 0..base.len() {
        let mut shifted = base.clone();
        shifted[i] = base[i] + eps;
        var.set(&Tensor::from_vec(shifted.clone(), var.shape(), &Device::Cpu).unwrap()).unwrap();
        let up = f();
        shifted[i] = base[i] - eps;
        var.set(&Tensor::from_vec(shifted, var.shape(), &Device::Cpu).unwrap()).unwrap();
        let down = f();
        var.set(&Tensor::from_vec(base.clone(), var.shape(), &Device::Cpu).unwrap()).unwrap();
        let fd = (up - down) / (2.0 * eps);
        assert!((fd - grad[i]).abs() <= 1e-6 * (1.0 + fd.abs()), "{name}[{i}]: backprop {} vs finite difference {fd}", grad[i]);
    }
}

/// `a` equals `c` entry by entry to `tol` times the largest entry of `c` (plus one): sums of many
/// terms cancel to small entries whose rounding error is that of the terms, not of the result.
fn close_to_largest(a: &[f64], c: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), c.len(), "{what}");
    let scale = 1.0 + c.iter().fold(0.0f64, |m, z| m.max(z.abs()));
    for (x, z) in a.iter().zip(c) {
        assert!((x - z).abs() <= tol * scale, "{what}: {x} vs {z}");
    }
}

fn model(architecture: Architecture) -> Predictor {
    let config = match architecture {
        Architecture::Lstm => ModelConfig { architecture, embedding_dim: 3, hidden_sizes: vec![4, 3], ..Default::default() },
        Architecture::Transformer => ModelConfig {
            architecture,
            embedding_dim: 4,
            hidden_sizes: vec![2, 3],
            num_heads: 2,
            widening_factor: 2,
            lora_rank: 2,
            ..Default::default()
        },
        Architecture::Linear => ModelConfig { architecture, embedding_dim: 3, hidden_sizes: vec![4, 2], ..Default::default() },
    };
    let p = Predictor::new(&config, V, 11, DType::F64).unwrap();
    // Give zero-initialised weights (LoRA up-projections, biases, norms) generic values
    // so that no gradient is trivially zero.
    for (i, (_, var)) in p.params.iter().enumerate() {
        let noise = (random(var.dims(), 100 + i as u64) * 0.3).unwrap();
        var.set(&(var.as_tensor() + noise).unwrap()).unwrap();
    }
    p
}

/// Checks a fused op against its reference through `objective(fused)`, a scalar of the op's output:
/// the values agree, so does every var's gradient (relative 1e-12 in F64, 1e-5 in F32), and with
/// `finite_differences` the fused gradients match finite differences. Returns the fused gradients.
fn fused_matches_reference(what: &str, dtype: DType, vars: &[&Var], objective: &dyn Fn(bool) -> Tensor, finite_differences: bool) -> GradStore {
    let tol = if dtype == DType::F64 { 1e-12 } else { 1e-5 };
    let (f, u) = (objective(true), objective(false));
    assert!((as64(&f)[0] - as64(&u)[0]).abs() < tol * 10.0, "{what} {dtype:?}: fused value vs reference");
    let (gf, gu) = (f.backward().unwrap(), u.backward().unwrap());
    for var in vars {
        let (fused, reference) = (as64(gf.get(var).unwrap()), as64(gu.get(var).unwrap()));
        assert_eq!(fused.len(), reference.len(), "{what}");
        for (a, c) in fused.iter().zip(&reference) {
            assert!((a - c).abs() < tol * (1.0 + c.abs()), "{what} {dtype:?}: fused gradient {a} vs reference {c}");
        }
        if finite_differences {
            check(what, var, &|| scalar(&objective(true)), gf.get(var).unwrap());
        }
    }
    gf
}


fn check_all_weights(architecture: Architecture) {
    let p = model(architecture);
    let l = loss(&p, &Prefix::None);
    let grads = l.backward().unwrap();
    let mut checked = 0;
    for (name, var) in p.params.iter() {
        let g = grads.get(var).unwrap_or_else(|| panic!("no gradient for {name}"));
        check(name, var, &|| scalar(&loss(&p, &Prefix::None)), g);
        checked += 1;
    }
    assert_eq!(checked, p.params.iter().count());
}

#[test]
fn lstm_weights() {
    check_all_weights(Architecture::Lstm);
}

#[test]
fn transformer_weights_including_lora() {
    let p = model(Architecture::Transformer);
    assert!(p.params.iter().any(|(n, _)| n.contains("lora_in")) && p.params.iter().any(|(n, _)| n.contains("lora_out")));
    check_all_weights(Architecture::Transformer);
}

#[test]
fn linear_weights() {
    check_all_weights(Architecture::Linear);
}

#[test]
fn prefixes_of_every_kind_for_every_torso() {
    for architecture in [Architecture::Lstm, Architecture::Transformer, Architecture::Linear] {
        let p = model(architecture);
        let e = p.config.embedding_dim;
        let kinds: [(&str, Var, fn(Tensor) -> Prefix); 3] = [
            ("simplex", Var::from_tensor(&random(&[2, V], 1)).unwrap(), Prefix::Simplex),
            ("real", Var::from_tensor(&random(&[2, V], 2)).unwrap(), Prefix::Real),
            ("soft", Var::from_tensor(&random(&[3, e], 3)).unwrap(), Prefix::Soft),
        ];
        for (kind, var, make) in kinds {
            let prefix = make(var.as_tensor().clone());
            let grads = loss(&p, &prefix).backward().unwrap();
            let g = grads.get(&var).unwrap_or_else(|| panic!("{architecture:?} {kind}: no prefix gradient"));
            check(&format!("{architecture:?} {kind} prefix"), &var, &|| scalar(&loss(&p, &make(var.as_tensor().clone()))), g);
            // The embedding gradient also flows through the prefixed path.
            let emb = p.params.get("embedding.weight").unwrap();
            check(&format!("{architecture:?} {kind} embedding"), emb, &|| scalar(&loss(&p, &make(var.as_tensor().clone()))), grads.get(emb).unwrap());
        }
        // A hard prefix changes the predictions but has nothing to differentiate.
        let with = scalar(&loss(&p, &Prefix::Hard(vec![0, 2])));
        assert_ne!(with, scalar(&loss(&p, &Prefix::None)));
    }
}

#[test]
fn fused_lstm_matches_unfused_and_finite_differences() {
    // 100 sequences make the kernel split the batch into parts (run on several cores natively).
    for ((b, t, h), dtype) in [((3, 7, 4), DType::F64), ((3, 7, 4), DType::F32), ((100, 5, 3), DType::F64), ((100, 5, 3), DType::F32)] {
        let xw = Var::from_tensor(&random(&[b, t, 4 * h], 7).to_dtype(dtype).unwrap()).unwrap();
        let w = Var::from_tensor(&(random(&[h, 4 * h], 8) * 0.5).unwrap().to_dtype(dtype).unwrap()).unwrap();
        let (rh, rc) = (random(&[b, t, h], 9).to_dtype(dtype).unwrap(), random(&[b, t, h], 10).to_dtype(dtype).unwrap());
        let objective = |fused: bool| -> Tensor {
            let (hs, cs) = if fused { lstm_scan(StepInputs::PerPosition(&xw), &w, true) } else { reference::lstm_scan(&xw, &w, true) }.unwrap();
            ((hs * &rh).unwrap().sum_all().unwrap() + (cs.unwrap() * &rc).unwrap().sum_all().unwrap()).unwrap()
        };
        let tol = if dtype == DType::F64 { 1e-12 } else { 1e-5 };
        fused_matches_reference("fused lstm", dtype, &[&xw, &w], &objective, dtype == DType::F64 && b < 10);
        // Without the cells (as in training) the op returns only h: the same gradients through h alone.
        let hidden_only = |fused: bool| -> Tensor {
            let (hs, cs) = if fused { lstm_scan(StepInputs::PerPosition(&xw), &w, false) } else { reference::lstm_scan(&xw, &w, false) }.unwrap();
            assert!(cs.is_none());
            (hs * &rh).unwrap().sum_all().unwrap()
        };
        let (gf, gu) = (hidden_only(true).backward().unwrap(), hidden_only(false).backward().unwrap());
        for var in [&xw, &w] {
            for (a, c) in as64(gf.get(var).unwrap()).iter().zip(as64(gu.get(var).unwrap())) {
                assert!((a - c).abs() < tol * (1.0 + c.abs()), "{dtype:?}, h only: fused gradient {a} vs unfused {c}");
            }
        }
        // A frozen (detached) w_hh gets no gradient and leaves the input's gradient exactly as it was.
        let (hs, _) = lstm_scan(StepInputs::PerPosition(&xw), &w.as_detached_tensor(), false).unwrap();
        let frozen = (hs * &rh).unwrap().sum_all().unwrap().backward().unwrap();
        assert!(frozen.get(&w).is_none());
        assert_eq!(as64(frozen.get(&xw).unwrap()), as64(gf.get(&xw).unwrap()));
    }
}

#[test]
fn the_lstm_reading_a_table_by_index_equals_the_lstm_on_the_gathered_rows() {
    use std::sync::Arc;
    // 100 sequences: several parts, each adding into the same few table rows.
    for ((b, t, h, r), dtype) in [((3, 7, 4, 5), DType::F64), ((100, 6, 3, 4), DType::F64), ((100, 6, 3, 4), DType::F32)] {
        let mut rng = promptlab::seed::stream(11, "table-index");
        let index: Arc<[u32]> = (0..b * t).map(|_| rng.random_range(0..r as u32)).collect();
        let table = Var::from_tensor(&random(&[r, 4 * h], 12).to_dtype(dtype).unwrap()).unwrap();
        let w = Var::from_tensor(&(random(&[h, 4 * h], 13) * 0.5).unwrap().to_dtype(dtype).unwrap()).unwrap();
        let (rh, rc) = (random(&[b, t, h], 14).to_dtype(dtype).unwrap(), random(&[b, t, h], 15).to_dtype(dtype).unwrap());
        let ids = Tensor::from_slice(&index[..], b * t, &Device::Cpu).unwrap();
        let objective = |by_index: bool, w: &Tensor, keep_cells: bool| -> Tensor {
            let (hs, cs) = if by_index {
                lstm_scan(StepInputs::Table { table: &table, index: index.clone(), batch: b, length: t }, w, keep_cells)
            } else {
                lstm_scan(StepInputs::PerPosition(&table.index_select(&ids, 0).unwrap().reshape((b, t, 4 * h)).unwrap()), w, keep_cells)
            }
            .unwrap();
            let hs = (hs * &rh).unwrap().sum_all().unwrap();
            match cs {
                Some(cs) => (hs + (cs * &rc).unwrap().sum_all().unwrap()).unwrap(),
                None => hs,
            }
        };
        let tol = if dtype == DType::F64 { 1e-12 } else { 1e-5 };
        for (w, keep_cells) in [(w.as_tensor().clone(), true), (w.as_tensor().clone(), false), (w.as_detached_tensor(), false)] {
            let (a, c) = (objective(true, &w, keep_cells), objective(false, &w, keep_cells));
            assert!((as64(&a)[0] - as64(&c)[0]).abs() < tol * 10.0, "{dtype:?}: {} vs {}", as64(&a)[0], as64(&c)[0]);
            let (ga, gc) = (a.backward().unwrap(), c.backward().unwrap());
            assert_eq!(ga.get(&w).is_some(), w.track_op(), "w_hh gets a gradient exactly when it is trained");
            for (x, y) in as64(ga.get(&table).unwrap()).iter().zip(as64(gc.get(&table).unwrap())) {
                assert!((x - y).abs() < tol * (1.0 + y.abs()), "{dtype:?}, table gradient: {x} vs {y}");
            }
            if let (Some(x), Some(y)) = (ga.get(&w), gc.get(&w)) {
                for (x, y) in as64(x).iter().zip(as64(y)) {
                    assert!((x - y).abs() < tol * (1.0 + y.abs()), "{dtype:?}, w_hh gradient: {x} vs {y}");
                }
            }
        }
        if dtype == DType::F64 && b < 10 {
            let f = objective(true, w.as_tensor(), true);
            check("table rows", &table, &|| scalar(&objective(true, w.as_tensor(), true)), f.backward().unwrap().get(&table).unwrap());
        }
    }
    // An index past the table, or of the wrong length, is refused, not read.
    let table = Tensor::zeros((2, 4), DType::F32, &Device::Cpu).unwrap();
    let w = Tensor::zeros((1, 4), DType::F32, &Device::Cpu).unwrap();
    assert!(lstm_scan(StepInputs::Table { table: &table, index: vec![0u32, 2].into(), batch: 1, length: 2 }, &w, false).is_err());
    assert!(lstm_scan(StepInputs::Table { table: &table, index: vec![0u32].into(), batch: 1, length: 2 }, &w, false).is_err());
}

#[test]
fn fused_attention_matches_unfused_and_finite_differences() {
    use promptlab::kernels::causal_attention;
    // Short and odd lengths, and a small model's batch of 32 × 100.
    let cases = [(DType::F64, 2, 5, 4), (DType::F32, 2, 5, 4), (DType::F64, 2, 37, 4), (DType::F32, 2, 37, 4), (DType::F64, 32, 100, 16), (DType::F32, 32, 100, 16)];
    for (dtype, b, t, e) in cases {
        let heads = 2;
        let vars: Vec<Var> = (0..3).map(|i| Var::from_tensor(&random(&[b, t, e], 20 + i).to_dtype(dtype).unwrap()).unwrap()).collect();
        let r = random(&[b, t, e], 30).to_dtype(dtype).unwrap();
        let objective = |fused: bool| -> Tensor {
            let (q, k, v) = (vars[0].as_tensor(), vars[1].as_tensor(), vars[2].as_tensor());
            let out = if fused { causal_attention(q, k, v, heads) } else { reference::causal_attention(q, k, v, heads) }.unwrap();
            (out * &r).unwrap().sum_all().unwrap()
        };
        let vars: Vec<&Var> = vars.iter().collect();
        fused_matches_reference("fused attention", dtype, &vars, &objective, dtype == DType::F64 && b < 10);
    }
}

#[test]
fn fused_gelu_matches_candle_and_finite_differences() {
    use promptlab::kernels::gelu;
    for dtype in [DType::F64, DType::F32] {
        let x = Var::from_tensor(&(random(&[3, 7], 40) * 3.0).unwrap().to_dtype(dtype).unwrap()).unwrap();
        let r = random(&[3, 7], 41).to_dtype(dtype).unwrap();
        let fused = (gelu(x.as_tensor()).unwrap() * &r).unwrap().sum_all().unwrap();
        let unfused = (x.as_tensor().gelu().unwrap() * &r).unwrap().sum_all().unwrap();
        // candle's GELU backward uses 6-digit constants, so the two agree to ~1e-6 relative;
        // the finite-difference check below is the exact referee for the fused op.
        let tol = 1e-5;
        assert!((as64(&fused)[0] - as64(&unfused)[0]).abs() < tol * 10.0);
        let (gf, gu) = (fused.backward().unwrap(), unfused.backward().unwrap());
        for (a, c) in as64(gf.get(&x).unwrap()).iter().zip(as64(gu.get(&x).unwrap())) {
            assert!((a - c).abs() < tol * (1.0 + c.abs()), "{dtype:?}: fused {a} vs candle {c}");
        }
        if dtype == DType::F64 {
            check("fused gelu", &x, &|| scalar(&(gelu(x.as_tensor()).unwrap() * &r).unwrap().sum_all().unwrap()), gf.get(&x).unwrap());
        }
    }
}

#[test]
fn fused_mlp_matches_the_three_ops_and_finite_differences() {
    use promptlab::kernels::{gelu, mlp};
    for dtype in [DType::F64, DType::F32] {
        let x = Var::from_tensor(&(random(&[2, 3, 5], 42) * 2.0).unwrap().to_dtype(dtype).unwrap()).unwrap();
        let w1 = Var::from_tensor(&random(&[5, 7], 43).to_dtype(dtype).unwrap()).unwrap();
        let w2 = Var::from_tensor(&random(&[7, 4], 45).to_dtype(dtype).unwrap()).unwrap();
        let r = random(&[2, 3, 4], 44).to_dtype(dtype).unwrap();
        let objective = |fused: bool| {
            let y = if fused {
                mlp(x.as_tensor(), w1.as_tensor(), w2.as_tensor()).unwrap()
            } else {
                gelu(&x.as_tensor().broadcast_matmul(w1.as_tensor()).unwrap()).unwrap().broadcast_matmul(w2.as_tensor()).unwrap()
            };
            assert_eq!(y.dims(), [2, 3, 4]);
            (y * &r).unwrap().sum_all().unwrap()
        };
        let gf = fused_matches_reference("fused mlp", dtype, &[&x, &w1, &w2], &objective, dtype == DType::F64);
        // Frozen weights get no gradient, and the others' are unchanged.
        let frozen = (mlp(x.as_tensor(), &w1.as_detached_tensor(), &w2.as_detached_tensor()).unwrap() * &r).unwrap().sum_all().unwrap().backward().unwrap();
        assert!(frozen.get(&w1).is_none() && frozen.get(&w2).is_none());
        assert_eq!(as64(frozen.get(&x).unwrap()), as64(gf.get(&x).unwrap()));
        let only_w2 = (mlp(&x.as_detached_tensor(), &w1.as_detached_tensor(), w2.as_tensor()).unwrap() * &r).unwrap().sum_all().unwrap().backward().unwrap();
        assert!(only_w2.get(&x).is_none() && only_w2.get(&w1).is_none());
        assert_eq!(as64(only_w2.get(&w2).unwrap()), as64(gf.get(&w2).unwrap()));
    }
    // Mismatched weights are refused, not a panic.
    let x = random(&[3, 5], 1);
    assert!(mlp(&x, &random(&[5, 7], 2), &random(&[6, 4], 3)).is_err());
}

#[test]
fn fused_layer_norm_matches_unfused_and_finite_differences() {
    use promptlab::kernels::layer_norm;
    for dtype in [DType::F64, DType::F32] {
        let x = Var::from_tensor(&(random(&[2, 3, 5], 50) * 2.0).unwrap().to_dtype(dtype).unwrap()).unwrap();
        let g = Var::from_tensor(&(random(&[5], 51) + 1.0).unwrap().to_dtype(dtype).unwrap()).unwrap();
        let b = Var::from_tensor(&random(&[5], 52).to_dtype(dtype).unwrap()).unwrap();
        let r = random(&[2, 3, 5], 53).to_dtype(dtype).unwrap();
        let objective = |fused: bool| -> Tensor {
            let y = if fused { layer_norm(x.as_tensor(), g.as_tensor(), Some(b.as_tensor())) } else { reference::layer_norm(x.as_tensor(), g.as_tensor(), Some(b.as_tensor())) };
            (y.unwrap() * &r).unwrap().sum_all().unwrap()
        };
        fused_matches_reference("fused layer norm", dtype, &[&x, &g, &b], &objective, dtype == DType::F64);
    }
}

#[test]
fn the_table_path_equals_the_per_position_path() {
    let close = |a: &[f64], b: &[f64], what: &str| {
        assert_eq!(a.len(), b.len(), "{what}");
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()), "{what}: {x} vs {y}");
        }
    };
    for architecture in [Architecture::Lstm, Architecture::Transformer, Architecture::Linear] {
        let p = model(architecture);
        let e = p.config.embedding_dim;
        let var = |shape: &[usize], seed| Var::from_tensor(&random(shape, seed)).unwrap();
        let (simplex, real, soft) = (var(&[2, V], 1), var(&[2, V], 2), var(&[3, e], 3));
        let prefixes = [
            ("none", Prefix::None, None),
            ("hard", Prefix::Hard(vec![2, 0, 1]), None),
            ("simplex", Prefix::Simplex(simplex.as_tensor().clone()), Some(&simplex)),
            ("real", Prefix::Real(real.as_tensor().clone()), Some(&real)),
            ("soft", Prefix::Soft(soft.as_tensor().clone()), Some(&soft)),
        ];
        for (kind, prefix, prefix_var) in &prefixes {
            let what = format!("{architecture:?}, {kind} prefix");
            let x = tokens();
            let record = architecture != Architecture::Linear;
            let run = |table: bool| {
                let fwd = if table { p.forward(&x, prefix, record) } else { p.forward_per_position(&x, prefix, record) }.unwrap();
                let grads = log_loss(&fwd.log_probs, &x).unwrap().backward().unwrap();
                let mut out = vec![as64(&fwd.log_probs)];
                out.extend(p.params.iter().map(|(_, v)| as64(grads.get(v).unwrap())));
                out.extend(prefix_var.map(|v| as64(grads.get(v).unwrap())));
                out.extend(fwd.states.iter().flat_map(|s| s.values().map(as64)));
                out
            };
            let (table, positions) = (run(true), run(false));
            assert_eq!(table.len(), positions.len(), "{what}");
            for (i, (a, b)) in table.iter().zip(&positions).enumerate() {
                close(a, b, &format!("{what}, output {i}"));
            }
        }
    }
}

#[test]
fn a_frozen_all_zero_lora_adapter_is_skipped_without_changing_a_number() {
    let config = ModelConfig {
        architecture: Architecture::Transformer,
        embedding_dim: 4,
        hidden_sizes: vec![3],
        num_heads: 2,
        widening_factor: 2,
        lora_rank: 2,
        ..Default::default()
    };
    let p = Predictor::new(&config, V, 11, DType::F64).unwrap();
    // As pretraining and every tuner but LoRAWT run it (adapters frozen at up = 0, so skipped),
    // and as LoRAWT runs it (adapters trainable, so computed): the same loss and weight gradients, bit for bit.
    let skipped = p.clone().training_only(|n| !n.contains(".lora_"));
    let computed = p.clone().training_only(|_| true);
    let (ls, lc) = (loss(&skipped, &Prefix::None), loss(&computed, &Prefix::None));
    assert_eq!(scalar(&ls).to_bits(), scalar(&lc).to_bits());
    let (gs, gc) = (ls.backward().unwrap(), lc.backward().unwrap());
    let bits = |t: &Tensor| t.flatten_all().unwrap().to_vec1::<f64>().unwrap().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    let mut compared = 0;
    for (name, var) in p.params.iter() {
        if name.contains(".lora_") {
            assert!(gs.get(var).is_none(), "{name}: a frozen adapter got a gradient");
            assert!(gc.get(var).is_some(), "{name}: a trainable adapter got no gradient");
        } else {
            assert_eq!(bits(gs.get(var).unwrap()), bits(gc.get(var).unwrap()), "{name}");
            compared += 1;
        }
    }
    assert!(compared > 10);
    // A frozen adapter whose up-projection is not zero (LoRAWT's, once tuned) still counts.
    for (i, (name, var)) in p.params.iter().enumerate() {
        if name.ends_with(".lora_out") {
            var.set(&(random(var.dims(), 200 + i as u64) * 0.3).unwrap()).unwrap();
        }
    }
    let after = scalar(&loss(&skipped, &Prefix::None));
    assert_ne!(after, scalar(&ls));
    assert_eq!(after.to_bits(), scalar(&loss(&computed, &Prefix::None)).to_bits());
}

#[test]
fn kernels_cut_over_the_cores_give_the_bits_of_one_core() {
    use promptlab::kernels::{attention_block, causal_attention, gelu, layer_norm, mlp, mlp_block, set_kernel_threads, AttentionWeights, MlpWeights};
    // Sizes past the kernels' thresholds for cutting rows (and LayerNorm's columns) over the cores.
    let (b, t, e) = (128, 100, 64);
    for dtype in [DType::F32, DType::F64] {
        let var = |shape: &[usize], seed| Var::from_tensor(&random(shape, seed).to_dtype(dtype).unwrap()).unwrap();
        let (x, q, k, v) = (var(&[b, t, e], 60), var(&[b, t, e], 61), var(&[b, t, e], 62), var(&[b, t, e], 63));
        let (g, o, w1, w2) = (var(&[e], 64), var(&[e], 65), var(&[e, 2 * e], 66), var(&[2 * e, e], 67));
        let r = random(&[b, t, e], 68).to_dtype(dtype).unwrap();
        let (wq, wk) = (var(&[e, e], 69), var(&[e, e], 70));
        let vars = [&x, &q, &k, &v, &g, &o, &w1, &w2, &wq, &wk];
        let run = |threads: usize| -> Vec<Vec<f64>> {
            set_kernel_threads(threads);
            let (gt, ot) = (g.as_tensor(), o.as_tensor());
            let attention = AttentionWeights { projections: [wq.as_tensor(), wk.as_tensor(), wq.as_tensor(), wk.as_tensor()], norms: [gt, ot, gt, gt] };
            let mlp_weights = MlpWeights { w1: w1.as_tensor(), w2: w2.as_tensor(), norms: [gt, ot, gt, ot] };
            let y = (causal_attention(q.as_tensor(), k.as_tensor(), v.as_tensor(), 4).unwrap()
                + layer_norm(x.as_tensor(), gt, Some(ot)).unwrap()
                + gelu(x.as_tensor()).unwrap()
                + mlp(x.as_tensor(), w1.as_tensor(), w2.as_tensor()).unwrap()
                + mlp_block(&attention_block(x.as_tensor(), &attention, 4).unwrap(), &mlp_weights).unwrap())
            .unwrap();
            let objective = (&y * &r).unwrap().sum_all().unwrap();
            let grads = objective.backward().unwrap();
            set_kernel_threads(0);
            std::iter::once(as64(&y)).chain(vars.iter().map(|v| as64(grads.get(v).unwrap()))).collect()
        };
        // Two threads even on one core, and one per core.
        let one = run(1);
        assert_eq!(run(2), one, "{dtype:?}: two threads against one");
        assert_eq!(run(0), one, "{dtype:?}: every core against one");
        // And the cut LayerNorm still agrees with the composed one.
        let objective = |fused: bool| {
            let y = if fused { layer_norm(x.as_tensor(), g.as_tensor(), Some(o.as_tensor())) } else { reference::layer_norm(x.as_tensor(), g.as_tensor(), Some(o.as_tensor())) };
            (y.unwrap() * &r).unwrap().sum_all().unwrap().backward().unwrap()
        };
        let (gf, gu) = (objective(true), objective(false));
        let tol = if dtype == DType::F64 { 1e-12 } else { 1e-5 };
        for var in [&x, &g, &o] {
            close_to_largest(&as64(gf.get(var).unwrap()), &as64(gu.get(var).unwrap()), tol, &format!("{dtype:?}: cut layer norm against unfused"));
        }
    }
}

/// The fused half-block ops against the chains of ops they replace: the same forward bits,
/// gradients to 1e-12 (F64) and 1e-5 (F32) of the largest entry, and finite differences.
#[test]
fn fused_block_halves_match_their_chains_and_finite_differences() {
    use promptlab::kernels::{attention_block, mlp_block, AttentionWeights, MlpWeights};
    // Tiny (checked against finite differences), odd-sized, and past the thresholds for cutting over the cores.
    for (dtype, b, t, e, heads) in [(DType::F64, 2, 5, 4, 2), (DType::F32, 3, 37, 8, 2), (DType::F64, 3, 37, 8, 4), (DType::F32, 64, 50, 32, 4)] {
        let var = |shape: &[usize], seed: u64, offset: f64| Var::from_tensor(&(random(shape, seed) + offset).unwrap().to_dtype(dtype).unwrap()).unwrap();
        let x = var(&[b, t, e], 70, 0.0);
        let projections: Vec<Var> = (0..4).map(|i| var(&[e, e], 71 + i, 0.0)).collect();
        let (w1, w2) = (var(&[e, 3 * e], 75, 0.0), var(&[3 * e, e], 76, 0.0));
        // Scales near one, offsets near zero.
        let norms: Vec<Var> = (0..8).map(|i| var(&[e], 77 + i, if i % 2 == 0 || i == 3 { 1.0 } else { 0.0 })).collect();
        let r = random(&[b, t, e], 90).to_dtype(dtype).unwrap();
        let objective = |fused: bool| -> (Tensor, Tensor) {
            let p: Vec<Tensor> = projections.iter().map(|v| v.as_tensor().clone()).collect();
            let n: Vec<Tensor> = norms.iter().map(|v| v.as_tensor().clone()).collect();
            let attention = AttentionWeights { projections: [&p[0], &p[1], &p[2], &p[3]], norms: [&n[0], &n[1], &n[2], &n[3]] };
            let mlp = MlpWeights { w1: w1.as_tensor(), w2: w2.as_tensor(), norms: [&n[4], &n[5], &n[6], &n[7]] };
            let y = if fused {
                mlp_block(&attention_block(x.as_tensor(), &attention, heads).unwrap(), &mlp).unwrap()
            } else {
                reference::mlp_block(&reference::attention_block(x.as_tensor(), &attention, heads).unwrap().0, &mlp).unwrap()
            };
            let objective = (&y * &r).unwrap().sum_all().unwrap();
            (y, objective)
        };
        let ((yf, f), (yc, c)) = (objective(true), objective(false));
        assert_eq!(as64(&yf), as64(&yc), "{dtype:?} {b}×{t}×{e}: the fused forward pass computes the chain's values");
        let (gf, gc) = (f.backward().unwrap(), c.backward().unwrap());
        let tol = if dtype == DType::F64 { 1e-12 } else { 1e-5 };
        let all: Vec<&Var> = std::iter::once(&x).chain(&projections).chain([&w1, &w2]).chain(&norms).collect();
        for (i, var) in all.iter().enumerate() {
            close_to_largest(&as64(gf.get(var).unwrap()), &as64(gc.get(var).unwrap()), tol, &format!("{dtype:?} {b}×{t}×{e}, input {i}: fused against chain"));
            if b == 2 {
                check("fused block halves", var, &|| scalar(&objective(true).1), gf.get(var).unwrap());
            }
        }
    }
}

#[test]
fn a_transformer_recording_its_states_predicts_the_same_bits() {
    // Recording runs the chains of smaller ops, training the fused half-block ops.
    let p = model(Architecture::Transformer);
    let x = tokens();
    let recorded = p.forward(&x, &Prefix::None, true).unwrap();
    assert!(recorded.states.as_ref().is_some_and(|s| s.contains_key("layer0_attention_out")));
    let plain = p.forward(&x, &Prefix::None, false).unwrap();
    assert_eq!(as64(&recorded.log_probs), as64(&plain.log_probs));
}

#[test]
fn fused_block_halves_skip_frozen_weights_and_refuse_bad_shapes() {
    use promptlab::kernels::{attention_block, mlp_block, AttentionWeights, MlpWeights};
    let (b, t, e) = (2, 6, 4);
    let x = Var::from_tensor(&random(&[b, t, e], 1)).unwrap();
    let p: Vec<Var> = (0..4).map(|i| Var::from_tensor(&random(&[e, e], 2 + i)).unwrap()).collect();
    let n: Vec<Var> = (0..4).map(|i| Var::from_tensor(&(random(&[e], 6 + i) + 1.0).unwrap()).unwrap()).collect();
    let (w1, w2) = (Var::from_tensor(&random(&[e, 2 * e], 10)).unwrap(), Var::from_tensor(&random(&[2 * e, e], 11)).unwrap());
    let run = |frozen: bool| {
        let t = |v: &Var| if frozen { v.as_detached_tensor() } else { v.as_tensor().clone() };
        let (pt, nt): (Vec<Tensor>, Vec<Tensor>) = (p.iter().map(t).collect(), n.iter().map(t).collect());
        let attention = AttentionWeights { projections: [&pt[0], &pt[1], &pt[2], &pt[3]], norms: [&nt[0], &nt[1], &nt[2], &nt[3]] };
        let (w1t, w2t) = (t(&w1), t(&w2));
        let mlp = MlpWeights { w1: &w1t, w2: &w2t, norms: [&nt[0], &nt[1], &nt[2], &nt[3]] };
        mlp_block(&attention_block(x.as_tensor(), &attention, 2).unwrap(), &mlp).unwrap().sqr().unwrap().sum_all().unwrap().backward().unwrap()
    };
    let (all, frozen) = (run(false), run(true));
    assert!(p.iter().chain(&n).chain([&w1, &w2]).all(|v| frozen.get(v).is_none() && all.get(v).is_some()));
    assert_eq!(as64(frozen.get(&x).unwrap()), as64(all.get(&x).unwrap()), "frozen weights change no gradient of x");
    // Mismatched sizes are errors, not panics.
    let (good, wide) = (random(&[e, e], 12), random(&[e, e + 1], 13));
    let scale = random(&[e], 14);
    let norms = [&scale, &scale, &scale, &scale];
    assert!(attention_block(x.as_tensor(), &AttentionWeights { projections: [&good, &good, &good, &wide], norms }, 2).is_err());
    assert!(attention_block(x.as_tensor(), &AttentionWeights { projections: [&good; 4], norms }, 3).is_err(), "4 does not split into 3 heads");
    let short = random(&[e - 1], 15);
    assert!(attention_block(x.as_tensor(), &AttentionWeights { projections: [&good; 4], norms: [&scale, &scale, &scale, &short] }, 2).is_err());
    // Zero-width rows are refused too, not a division by zero.
    let empty = Tensor::zeros((2, 3, 0), DType::F64, &Device::Cpu).unwrap();
    let none = Tensor::zeros((0, 0), DType::F64, &Device::Cpu).unwrap();
    let nothing = Tensor::zeros(0, DType::F64, &Device::Cpu).unwrap();
    let e0 = attention_block(&empty, &AttentionWeights { projections: [&none; 4], norms: [&nothing; 4] }, 2).unwrap_err().to_string();
    assert!(e0.contains("width 0"), "{e0}");
    let odd = random(&[2 * e, e + 1], 16);
    assert!(mlp_block(x.as_tensor(), &MlpWeights { w1: &random(&[e, 2 * e], 17), w2: &odd, norms: [&scale; 4] }).is_err());
}
