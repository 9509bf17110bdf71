//! What the exact sums accept: caps on steps, prefix length and work, and refusals that name the field and its allowed range.

use super::classes::{classes_of, classes_up_to};
use crate::error::{Error, Result};
use crate::sources::Source;

/// Most target steps N.
pub const MAX_STEPS: usize = 10_000;
/// Longest prefix K_max.
pub const MAX_PREFIX: usize = 10_000;
/// Most terms one exact computation may sum (about a second of work).
pub const MAX_TERMS: f64 = 3e8;
/// Most numbers the fixed-coin search tabulates per target count class and component (80 MB).
pub const MAX_STORED: f64 = 1e7;

/// Validates both sources and returns their common vocabulary size V.
pub(crate) fn vocab(pretrain: &Source, target: &Source) -> Result<usize> {
    pretrain.validate("pretrain")?;
    target.validate("target")?;
    let (vp, vt) = (pretrain.vocab_size(), target.vocab_size());
    if vp != vt {
        return Err(Error::invalid(
            "target",
            format!("V = {vt}"),
            format!("the pretraining source's vocabulary size V = {vp}"),
        ));
    }
    Ok(vp)
}

/// Refuses `steps` outside 1..=[`MAX_STEPS`].
pub(crate) fn steps(n: usize) -> Result<()> {
    if (1..=MAX_STEPS).contains(&n) {
        Ok(())
    } else {
        Err(Error::invalid("steps", n, format!("an integer in 1..={MAX_STEPS}")))
    }
}

/// Refuses a prefix length above [`MAX_PREFIX`].
pub(crate) fn prefix(field: &str, k: u64) -> Result<()> {
    if k <= MAX_PREFIX as u64 {
        Ok(())
    } else {
        Err(Error::invalid(field, k, format!("an integer in 0..={MAX_PREFIX}")))
    }
}

/// Terms summed and numbers stored by `reach` for N = `n`, K_max = `k`.
fn cost(pretrain: &Source, target: &Source, n: usize, k: usize) -> (f64, f64) {
    let v = pretrain.vocab_size() as f64;
    let (n_f, k_f) = (n as f64, k as f64);
    let classes = classes_of(n, pretrain.vocab_size());
    let target_terms = match target {
        Source::Mixture { weights, .. } => classes * weights.len() as f64 * v,
        Source::Random { .. } => v * (n_f + 1.0) * 2.0,
        Source::Single { .. } => v,
    };
    let (search, stored) = match pretrain {
        Source::Random { .. } => {
            (v * ((k_f + 1.0) * (n_f + 1.0) + k_f + n_f + 1.0) + (v - 1.0) * (k_f + 1.0) * (k_f + 2.0) / 2.0, 0.0)
        }
        Source::Single { .. } => (classes * 2.0 * v + (k_f + 1.0) * classes, classes * 2.0),
        Source::Mixture { weights, .. } => {
            let j = weights.len() as f64;
            let prefixes = classes_up_to(k, pretrain.vocab_size());
            (classes * j * v + prefixes * (classes * j + j * v), classes * (j + 1.0))
        }
    };
    (target_terms + search, stored)
}

fn affordable(pretrain: &Source, target: &Source, n: usize, k: usize) -> bool {
    let (terms, stored) = cost(pretrain, target, n, k);
    terms <= MAX_TERMS && stored <= MAX_STORED
}

/// Largest x in lo..=hi with `ok(x)` (ok is monotone: true then false), or `lo`.
fn largest(lo: usize, hi: usize, ok: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (lo, hi);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if ok(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// Refuses `steps` or `max_prefix` when the exact sums would exceed
/// [`MAX_TERMS`] or [`MAX_STORED`], saying how far it may go.
pub(crate) fn work(pretrain: &Source, target: &Source, n: usize, k: usize) -> Result<()> {
    if affordable(pretrain, target, n, k) {
        return Ok(());
    }
    let v = pretrain.vocab_size();
    let (terms, _) = cost(pretrain, target, n, k);
    let why = format!(
        "with V = {v}, {} pretraining and {} target (the exact sum would take {terms:.1e} terms; the cap is {MAX_TERMS:.0e})",
        pretrain.label(),
        target.label()
    );
    if !affordable(pretrain, target, n, 0) {
        let most = largest(1, n, |m| affordable(pretrain, target, m, 0));
        return Err(Error::invalid("steps", n, format!("at most {most} {why}")));
    }
    let most = largest(0, k, |m| affordable(pretrain, target, n, m));
    Err(Error::invalid("max_prefix", k, format!("at most {most} for steps = {n} {why}")))
}
