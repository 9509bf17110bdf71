//! Helpers the integration tests share: seeded tensors, tensors as numbers, the three usual sources, and the `promptlab` binary.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use candle_core::{DType, Device, Tensor};
use promptlab::sources::Source;
use rand::Rng;

/// A (`shape`) F64 tensor of uniform draws in [−1, 1) from the seed `seed`.
pub fn random(shape: &[usize], seed: u64) -> Tensor {
    let mut rng = promptlab::seed::stream(seed, "grad-test");
    let n: usize = shape.iter().product();
    let data: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    Tensor::from_vec(data, shape, &Device::Cpu).unwrap()
}

/// Every element of `t` as an f64, in row-major order.
pub fn as64(t: &Tensor) -> Vec<f64> {
    t.to_dtype(DType::F64).unwrap().flatten_all().unwrap().to_vec1::<f64>().unwrap()
}

/// The uniform prior over coins: Random Coins with α = (1, 1).
pub fn uniform() -> Source {
    Source::Random { alphas: vec![1.0, 1.0] }
}

/// A single coin that shows token 0 with probability `p0`.
pub fn coin(p0: f64) -> Source {
    Source::Single { probs: vec![p0, 1.0 - p0] }
}

/// The symmetric mixture of a 0.2 and a 0.8 coin.
pub fn two_coins() -> Source {
    Source::Mixture { weights: vec![0.5, 0.5], probs: vec![vec![0.2, 0.8], vec![0.8, 0.2]] }
}

/// Runs the `promptlab` binary with `args`.
pub fn promptlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_promptlab")).args(args).output().expect("run promptlab")
}

/// A fresh, empty directory `name` under cargo's temporary directory for tests.
pub fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
