//! `reach`: for every prefix length, the best hard prefix for an exact Bayes predictor and the excess regret it leaves on a target.

use serde::{Deserialize, Serialize};

use super::classes::LnFactorials;
use super::{caps, coins, dirichlet, limit, target};
use crate::error::{Error, Result};
use crate::sources::Source;

/// The best hard prefix of one length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReachRow {
    /// Prefix length k (tokens).
    pub prefix_length: usize,
    /// How many of each token 0..V-1 the best prefix holds (its order does not
    /// matter to a Bayes predictor); ties go to more of the lower-index tokens.
    pub best_counts: Vec<u64>,
    /// KL(P_target(x_1..x_N) ‖ Q_prompted(x_1..x_N)) in nats: the expected
    /// cumulative log loss over N target steps of the pretraining source's Bayes
    /// predictor after this prefix, minus that of the target's own Bayes
    /// predictor (`TargetBayes`). Always finite and ≥ 0.
    pub excess_regret: f64,
}

/// How far hard prompting can bring an exact Bayes predictor to a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reach {
    /// The source the predictor is the Bayes predictor of (`PreBayes`).
    pub pretrain: Source,
    /// The source it is prompted for and evaluated on.
    pub target: Source,
    /// Target steps N the regret is summed over.
    pub steps: usize,
    /// One row per prefix length 0..=K_max; row 0 is `PreBayes` itself.
    pub rows: Vec<ReachRow>,
    /// Excess regret (nats) as the prefix length grows without bound (see
    /// `theory/limit.rs`): N H(p̄) − H_N(target) for `Random Coins`
    /// pretraining (0 exactly for i.i.d. targets: reachable in the limit), the
    /// best selectable component for a mixture.
    pub limit: f64,
    /// The coin (probabilities of tokens 0..V-1) the prompted predictor tends to in that limit.
    pub limit_probs: Vec<f64>,
    /// The smallest excess regret (nats) any prefix reaches: the least of the
    /// rows and the limit. The criterion's gap: 0 when prompting can make the
    /// Bayes predictor optimal for the target.
    pub gap: f64,
    /// Whether the target is reachable: `gap` ≤ [`REACHABLE_TOLERANCE`] × max(1, N),
    /// i.e. zero up to rounding of the exact sums.
    pub reachable: bool,
}

/// Relative size (per target step) below which an exact excess regret counts as zero.
pub const REACHABLE_TOLERANCE: f64 = 1e-9;

/// Exact reachability: the best hard prefix of every length 0..=`max_prefix`
/// for the Bayes predictor of `pretrain`, scored over `steps` tokens of
/// `target`, and the limit of long prefixes. Sums over count vectors, never samples.
///
/// Refuses (naming the field) sources of different V, `steps` outside
/// 1..=[`caps::MAX_STEPS`], `max_prefix` above [`caps::MAX_PREFIX`], sums
/// beyond [`caps::MAX_TERMS`] terms, and targets left with an infinite regret
/// (some target sequence gets probability 0 after every prefix).
pub fn reach(pretrain: &Source, target: &Source, max_prefix: usize, steps: usize) -> Result<Reach> {
    let v = caps::vocab(pretrain, target)?;
    caps::steps(steps)?;
    caps::prefix("max_prefix", max_prefix as u64)?;
    caps::work(pretrain, target, steps, max_prefix)?;

    let lf = LnFactorials::new(steps.max(max_prefix));
    let neg_h = target::neg_entropy(target, steps, &lf);
    let found = match pretrain {
        Source::Random { alphas } => dirichlet::search(alphas, target, steps, max_prefix, neg_h, &lf),
        Source::Single { probs } => {
            coins::search(&[1.0], std::slice::from_ref(probs), target, steps, max_prefix, neg_h, &lf)
        }
        Source::Mixture { weights, probs } => coins::search(weights, probs, target, steps, max_prefix, neg_h, &lf),
    };
    let (limit, limit_probs) = limit::limit(pretrain, target, steps, neg_h);
    let infinite = |at: String| {
        Error::invalid(
            "target",
            target.label(),
            format!(
                "a target whose every sequence the prompted {} predictor gives probability > 0 over {steps} steps \
                 (the excess regret is infinite {at})",
                pretrain.label()
            ),
        )
    };
    let mut rows = Vec::with_capacity(found.len());
    for (k, (best_counts, excess_regret)) in found.into_iter().enumerate() {
        if !excess_regret.is_finite() {
            return Err(infinite(format!("at prefix length {k}")));
        }
        debug_assert_eq!(best_counts.len(), v);
        rows.push(ReachRow { prefix_length: k, best_counts, excess_regret });
    }
    if !limit.is_finite() {
        return Err(infinite("in the limit of long prefixes".into()));
    }
    let gap = rows.iter().map(|r| r.excess_regret).fold(limit, f64::min);
    let reachable = gap <= REACHABLE_TOLERANCE * steps.max(1) as f64;
    Ok(Reach { pretrain: pretrain.clone(), target: target.clone(), steps, rows, limit, limit_probs, gap, reachable })
}
