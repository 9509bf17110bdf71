//! The exact excess regret of one given prefix, straight from the definition: a sum over every count class of the N target tokens.

use super::caps::{self, MAX_TERMS};
use super::classes::{classes_of, for_each_class, LnFactorials};
use super::exchangeable::Exchangeable;
use crate::error::{Error, Result};
use crate::sources::Source;

/// KL(P_target(x_1..x_N) ‖ Q_c(x_1..x_N)) in nats, where Q_c is `pretrain`'s
/// Bayes predictor after any prefix with token counts `counts` and N = `steps`:
///
/// Σ_m multinomial(m) P(m) [ln P(m) − ln Pre(c + m) + ln Pre(c)]
///
/// over all count vectors m of N tokens (P(m), Pre(x): probability of one
/// particular sequence with those counts). Slower than [`super::reach`] but
/// independent of its shortcuts; refuses what `reach` refuses, prefixes the
/// pretraining source cannot produce, and infinite results.
pub fn excess_regret(pretrain: &Source, target: &Source, counts: &[u64], steps: usize) -> Result<f64> {
    let v = caps::vocab(pretrain, target)?;
    caps::steps(steps)?;
    if counts.len() != v {
        return Err(Error::invalid(
            "counts",
            format!("{} entries", counts.len()),
            format!("one count per token ({v})"),
        ));
    }
    let k = counts.iter().try_fold(0u64, |acc, &c| acc.checked_add(c)).unwrap_or(u64::MAX);
    caps::prefix("counts", k)?;
    let pre = Exchangeable::new(pretrain);
    let law = Exchangeable::new(target);
    let terms = classes_of(steps, v) * (pre.components() + law.components()) as f64 * v as f64;
    if terms > MAX_TERMS {
        return Err(Error::invalid(
            "steps",
            steps,
            format!("fewer (the sum over count classes would take {terms:.1e} terms; the cap is {MAX_TERMS:.0e})"),
        ));
    }
    let z = pre.ln_prob(counts);
    if z == f64::NEG_INFINITY {
        return Err(Error::invalid(
            "counts",
            format!("{counts:?}"),
            "a prefix the pretraining source can produce (probability > 0)",
        ));
    }
    let lf = LnFactorials::new(steps);
    let mut joint = vec![0u64; v];
    let mut kl = 0.0;
    for_each_class(steps, v, |m| {
        let ln_p = law.ln_prob(m);
        let w = (lf.ln_multinomial(m) + ln_p).exp();
        if w > 0.0 {
            joint.iter_mut().zip(counts.iter().zip(m)).for_each(|(j, (c, x))| *j = c + x);
            kl += w * (ln_p - (pre.ln_prob(&joint) - z));
        }
    });
    if !kl.is_finite() {
        return Err(Error::invalid("target", target.label(), "a target whose every sequence the prompted predictor gives probability > 0 (the excess regret is infinite)"));
    }
    Ok(kl.max(0.0))
}
