//! Which instruction set the engine's own loops run on natively: detected once at run time (AVX2 + FMA, AVX-512), overridable, the same for every thread.
//!
//! A kernel loop is written once, generic over an [`Isa`] marker, and [`simd_kernel!`]
//! makes copies of it compiled for each instruction set (`#[target_feature]`), so the
//! compiler vectorises the same code for the wider registers; a call runs the copy of
//! the path chosen for the whole process. wasm32 and other targets have only the baseline.
//! `PROMPTLAB_SIMD=baseline` (or `avx2`, `avx512`, `auto`) chooses the path at start;
//! [`use_simd`] changes it (tests compare the paths on the same inputs).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// The code paths of the engine's own loops, narrowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Simd {
    /// The target's baseline instructions (SSE2 on x86-64); the only path off x86-64.
    Baseline,
    /// x86-64 with AVX2 and FMA: 8 f32 lanes.
    Avx2Fma,
    /// x86-64 with AVX-512F (and AVX2, FMA): 16 f32 lanes.
    Avx512,
}

impl Simd {
    /// The name `PROMPTLAB_SIMD` takes for this path.
    pub fn name(self) -> &'static str {
        match self {
            Simd::Baseline => "baseline",
            Simd::Avx2Fma => "avx2",
            Simd::Avx512 => "avx512",
        }
    }

    fn code(self) -> u8 {
        self as u8 + 1
    }

    fn from_code(code: u8) -> Option<Simd> {
        [Simd::Baseline, Simd::Avx2Fma, Simd::Avx512].get(usize::from(code).checked_sub(1)?).copied()
    }
}

/// The widest path this CPU runs, detected once.
pub fn simd_detected() -> Simd {
    static DETECTED: OnceLock<Simd> = OnceLock::new();
    *DETECTED.get_or_init(detect)
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Simd {
    let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
    match (avx2, is_x86_feature_detected!("avx512f")) {
        (true, true) => Simd::Avx512,
        (true, false) => Simd::Avx2Fma,
        _ => Simd::Baseline,
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Simd {
    Simd::Baseline
}

/// The path chosen for the process; 0 = not chosen yet.
static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// The path the kernels take now: [`use_simd`]'s choice, else `PROMPTLAB_SIMD`'s, else the detected one.
#[inline]
pub fn simd() -> Simd {
    match Simd::from_code(CHOSEN.load(Ordering::Relaxed)) {
        Some(s) => s,
        None => {
            let s = from_env();
            // A racing first call computes the same choice.
            CHOSEN.store(s.code(), Ordering::Relaxed);
            s
        }
    }
}

/// Makes the kernels take `path` from now on, for every thread; an error naming the
/// path if this CPU lacks it (the path then stays as it was).
pub fn use_simd(path: Simd) -> Result<(), String> {
    if path > simd_detected() {
        return Err(format!("SIMD path {} is not available on this CPU (the widest is {})", path.name(), simd_detected().name()));
    }
    CHOSEN.store(path.code(), Ordering::Relaxed);
    Ok(())
}

/// The path `PROMPTLAB_SIMD` names, or the detected one; a bad or unavailable name is
/// reported on standard error once, with the allowed values, and the detected path is used.
fn from_env() -> Simd {
    let Ok(value) = std::env::var("PROMPTLAB_SIMD") else { return simd_detected() };
    match parse(&value) {
        Ok(Some(path)) if path <= simd_detected() => path,
        Ok(None) => simd_detected(),
        Ok(Some(path)) => {
            eprintln!("PROMPTLAB_SIMD={value}: {} is not available on this CPU; using {}", path.name(), simd_detected().name());
            simd_detected()
        }
        Err(e) => {
            eprintln!("{e}; using {}", simd_detected().name());
            simd_detected()
        }
    }
}

/// A `PROMPTLAB_SIMD` value: a path, or `None` for `auto` (the detected one).
pub fn parse(value: &str) -> Result<Option<Simd>, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "baseline" => Ok(Some(Simd::Baseline)),
        "avx2" => Ok(Some(Simd::Avx2Fma)),
        "avx512" => Ok(Some(Simd::Avx512)),
        "auto" | "" => Ok(None),
        _ => Err(format!("PROMPTLAB_SIMD={value:?} is not one of baseline, avx2, avx512, auto")),
    }
}

/// What a kernel loop's copy for one instruction set may rely on.
pub(crate) trait Isa: 'static {
    /// The f32 exp is the branch-free polynomial one (it vectorises), not libm's.
    const VECTOR_EXP: bool;
}

/// The baseline copy: libm's exp natively (faster than the polynomial without wide registers), the polynomial in wasm.
pub(crate) struct Baseline;
impl Isa for Baseline {
    const VECTOR_EXP: bool = cfg!(target_arch = "wasm32");
}

/// The AVX2 + FMA copy.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) struct Avx2;
impl Isa for Avx2 {
    const VECTOR_EXP: bool = true;
}

/// The AVX-512 copy.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) struct Avx512;
impl Isa for Avx512 {
    const VECTOR_EXP: bool = true;
}

/// Defines `fn NAME<T: KernelMath>(args) -> R` that runs `body` compiled for the
/// process's [`simd`] path, with `S` naming the [`Isa`] marker inside the body. Arguments
/// are plain identifiers; everything the body calls should be `#[inline(always)]` (or
/// inlined anyway) so that it, too, is compiled for the wider instructions.
macro_rules! simd_kernel {
    ($(#[$attr:meta])* $vis:vis fn $name:ident<$T:ident, $S:ident>($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$attr])*
        $vis fn $name<$T: $crate::kernels::cpu::fast_math::KernelMath>($($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            #[allow(clippy::too_many_arguments)]
            fn body<$T: $crate::kernels::cpu::fast_math::KernelMath, $S: $crate::kernels::cpu::dispatch::Isa>($($arg: $ty),*) $(-> $ret)? $body

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            #[allow(clippy::too_many_arguments)]
            fn avx2<$T: $crate::kernels::cpu::fast_math::KernelMath>($($arg: $ty),*) $(-> $ret)? {
                body::<$T, $crate::kernels::cpu::dispatch::Avx2>($($arg),*)
            }

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx512f,avx2,fma")]
            #[allow(clippy::too_many_arguments)]
            fn avx512<$T: $crate::kernels::cpu::fast_math::KernelMath>($($arg: $ty),*) $(-> $ret)? {
                body::<$T, $crate::kernels::cpu::dispatch::Avx512>($($arg),*)
            }

            match $crate::kernels::cpu::dispatch::simd() {
                // SAFETY: simd() returns Avx512 only when the CPU was detected to have
                // AVX-512F, AVX2 and FMA (use_simd and PROMPTLAB_SIMD cannot pick a wider path).
                #[cfg(target_arch = "x86_64")]
                $crate::kernels::cpu::dispatch::Simd::Avx512 => unsafe { avx512::<$T>($($arg),*) },
                // SAFETY: simd() returns Avx2Fma only when the CPU was detected to have AVX2 and FMA.
                #[cfg(target_arch = "x86_64")]
                $crate::kernels::cpu::dispatch::Simd::Avx2Fma => unsafe { avx2::<$T>($($arg),*) },
                _ => body::<$T, $crate::kernels::cpu::dispatch::Baseline>($($arg),*),
            }
        }
    };
}
pub(crate) use simd_kernel;

#[cfg(test)]
mod tests {
    use super::{parse, Simd};

    #[test]
    fn names_parse_and_bad_ones_name_the_allowed_values() {
        for s in [Simd::Baseline, Simd::Avx2Fma, Simd::Avx512] {
            assert_eq!(parse(s.name()), Ok(Some(s)));
            assert_eq!(Simd::from_code(s.code()), Some(s));
        }
        assert_eq!(parse(" AUTO "), Ok(None));
        let e = parse("sse9").unwrap_err();
        assert!(e.contains("PROMPTLAB_SIMD") && e.contains("baseline, avx2, avx512, auto"), "{e}");
        assert_eq!(Simd::from_code(0), None);
    }
}
