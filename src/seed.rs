//! Named, independent random streams derived from one user seed.

use rand::rngs::StdRng;
use rand::SeedableRng;

/// A reproducible stream for `purpose` (e.g. `"pretrain-data"`) under `seed`.
///
/// Different purposes give unrelated streams, so adding a new consumer never
/// shifts the numbers an existing one draws.
pub fn stream(seed: u64, purpose: &str) -> StdRng {
    StdRng::seed_from_u64(mix(seed, purpose))
}

/// A sub-stream `index` of `purpose` (e.g. one per tuning repetition).
pub fn substream(seed: u64, purpose: &str, index: u64) -> StdRng {
    StdRng::seed_from_u64(mix(mix(seed, purpose) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15), "sub"))
}

/// FNV-1a over the purpose, folded into the seed with a SplitMix64 finaliser.
fn mix(seed: u64, purpose: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in purpose.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = seed ^ h;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
