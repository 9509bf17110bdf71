//! The excess regret left as the prefix grows without bound (K → ∞), with its derivation.
//!
//! Notation: P is the target's law of N-token sequences, p̄ its mean token
//! frequencies, E_P ln P = −H_N(P) minus its sequence entropy, and for any
//! coin q, KL(P ‖ q^N) = E_P ln P − N Σ_v p̄_v ln q_v (the counts enter
//! linearly), which over q is smallest at q = p̄ (Gibbs' inequality).
//!
//! **Dirichlet pretraining** (`Random Coins`). A prefix with counts c makes the
//! predictor Q_c = ∫ q^N Dir(q; alpha + c) dq. Along any prefixes with c/k → f,
//! Dir(alpha + c) concentrates at f (variance O(1/k)), so Q_c → f^N on the
//! finitely many N-token sequences and, KL being lower semicontinuous,
//! lim inf R_k ≥ inf_f KL(P ‖ f^N) = KL(P ‖ p̄^N); counts c ≈ k p̄ attain it. Hence
//!
//! lim_{k→∞} R_k = N H(p̄) − H_N(P) ≥ 0,
//!
//! zero exactly when the target is i.i.d. (a single coin: reachable in the
//! limit); any latent variable (a mixture, random coins) leaves a positive gap.
//! For a single-coin target the approach is O(N/k): by convexity of KL,
//! R(c) ≤ N E_{q∼Dir(alpha+c)} KL(p ‖ q).
//!
//! **Fixed-coin pretraining** (a mixture; a single coin is one component). A
//! prefix only reweights the components: π_j ∝ w_j exp(⟨c, ln p_j⟩). With
//! c/k → f, ln π_j − ln π_i grows like k (⟨f, ln p_j⟩ − ⟨f, ln p_i⟩), so only the
//! components of least cross-entropy from f survive; at f = p_j that is
//! component j alone (Gibbs), and the predictor tends to p_j^N. The limit
//! reported is the best component a long prefix can select,
//!
//! min_{j : w_j > 0} KL(P ‖ p_j^N) = E_P ln P − N Σ_v p̄_v ln p_jv.
//!
//! Caveat: prefixes whose frequencies leave two or more distinct components
//! exactly tied keep all of them alive at any length, with weights fixed by the
//! exact counts; at some lengths these can do better than any single
//! component (pretraining = target = the symmetric two-coin mixture gives
//! R_k = 0 at every even k, with c_0 = c_1), so for mixtures the value is the
//! limit along prefixes that settle on one component, and rows may lie below it.

use super::classes::xlogy;
use super::target::mean_frequencies;
use crate::sources::Source;

/// The K → ∞ excess regret (nats; +∞ when no long prefix avoids probability 0
/// on some target sequence) and the coin the prompted predictor tends to.
pub(crate) fn limit(pretrain: &Source, target: &Source, n: usize, neg_h: f64) -> (f64, Vec<f64>) {
    let mean = mean_frequencies(target);
    let kl_to = |q: &[f64]| -> f64 {
        let cross: f64 = mean.iter().zip(q).map(|(&m, &qv)| xlogy(m, qv.ln())).sum();
        (neg_h - n as f64 * cross).max(0.0)
    };
    match pretrain {
        Source::Random { .. } => (kl_to(&mean), mean.clone()),
        Source::Single { probs } => (kl_to(probs), probs.clone()),
        Source::Mixture { weights, probs } => {
            let mut best = (f64::INFINITY, probs[0].clone());
            for (w, row) in weights.iter().zip(probs) {
                let r = kl_to(row);
                if *w > 0.0 && r < best.0 {
                    best = (r, row.clone());
                }
            }
            best
        }
    }
}
