//! Prompting theory (SPEC §2): how close the best hard prefix brings an exact Bayes predictor to a target, computed exactly over token counts.
//!
//! A Bayes predictor's posterior after a prefix depends only on the prefix's
//! token counts, and every source here is exchangeable, so both the search
//! over prefixes and the expectation over target sequences are sums over
//! count vectors weighted by multinomial coefficients, in log space.

mod caps;
mod classes;
mod coins;
mod dirichlet;
mod exchangeable;
mod limit;
mod reach;
mod regret;
mod target;

pub use caps::{MAX_PREFIX, MAX_STEPS, MAX_STORED, MAX_TERMS};
pub use reach::{reach, Reach, ReachRow, REACHABLE_TOLERANCE};
pub use regret::excess_regret;

/// Relative difference below which two regrets count as tied (the first found is kept).
const TIE: f64 = 1e-12;

/// Whether `new` is lower than `old` by more than the tie tolerance (∞ and −∞ allowed).
fn improves(new: f64, old: f64) -> bool {
    if old.is_finite() {
        new < old - TIE * old.abs().max(1.0)
    } else {
        new < old
    }
}
