//! The little arithmetic the figures need to draw what is already in the results: quantiles, cumulative sums, ranges.

/// The `q`-quantile (0..=1) of the finite values, interpolating linearly
/// between order statistics (numpy's default); `None` when none is finite.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

/// Per step: (median, 25 %, 75 %) across the series that have a finite value there.
pub fn per_step_quartiles(series: &[&[f64]]) -> Vec<Option<[f64; 3]>> {
    let len = series.iter().map(|s| s.len()).max().unwrap_or(0);
    (0..len)
        .map(|n| {
            let column: Vec<f64> = series.iter().filter_map(|s| s.get(n).copied()).collect();
            Some([quantile(&column, 0.5)?, quantile(&column, 0.25)?, quantile(&column, 0.75)?])
        })
        .collect()
}

/// Running sum; once a value is not finite the rest is NaN (the curve stops there).
pub fn cumulative(values: &[f64]) -> Vec<f64> {
    values
        .iter()
        .scan(0.0, |acc, &x| {
            *acc += x;
            Some(*acc)
        })
        .collect()
}

/// Smallest and largest finite value, `None` when there is none.
pub fn finite_range<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<(f64, f64)> {
    values.into_iter().filter(|x| x.is_finite()).fold(None, |acc, &x| match acc {
        None => Some((x, x)),
        Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
    })
}

/// An axis range covering `lo..hi` with `pad` (fraction) of room on both
/// sides, never empty; `include_zero` stretches it to 0.
pub fn padded(lo: f64, hi: f64, pad: f64, include_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = if include_zero { (lo.min(0.0), hi.max(0.0)) } else { (lo, hi) };
    if hi - lo < 1e-12 {
        let half = if lo.abs() > 1e-12 { lo.abs() * 0.1 } else { 1.0 };
        lo -= half;
        hi += half;
    }
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite()) {
        return (0.0, 1.0);
    }
    let room = (hi - lo) * pad;
    // Keep a zero baseline exactly on the axis when the data never go below it.
    let lo = if include_zero && lo == 0.0 { 0.0 } else { lo - room };
    (lo, hi + room)
}

/// Maximal runs of consecutive points whose values are all finite, as (x, y) pairs.
pub fn finite_runs(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (x, y) in points {
        if x.is_finite() && y.is_finite() {
            runs.last_mut().expect("never empty").push((x, y));
        } else if !runs.last().expect("never empty").is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_matches_numpy_linear() {
        // numpy.quantile([1, 2, 3, 4], [0.25, 0.5, 0.75]) == [1.75, 2.5, 3.25]
        let v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&v, 0.25), Some(1.75));
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.75), Some(3.25));
        assert_eq!(quantile(&[f64::NAN, 7.0], 0.5), Some(7.0));
        assert_eq!(quantile(&[f64::NAN], 0.5), None);
    }

    #[test]
    fn runs_break_at_non_finite_values() {
        let pts = [(1.0, 1.0), (2.0, f64::NAN), (3.0, 3.0), (4.0, 4.0), (5.0, f64::INFINITY)];
        assert_eq!(finite_runs(pts), vec![vec![(1.0, 1.0)], vec![(3.0, 3.0), (4.0, 4.0)]]);
        assert!(cumulative(&[1.0, f64::NAN, 1.0])[2].is_nan());
    }
}
