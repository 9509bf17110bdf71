//! Sentences generated from a figure's numbers for its screen-reader summary: who ends lowest and highest, who diverged.

use super::data::sig3;
use crate::results::MethodResult;

/// "{when} X is lowest (v unit) and Y highest (w unit)." over the finite `values`
/// (`when` e.g. "After 100 steps"), naming the series that have none.
pub(crate) fn lowest_highest(when: &str, values: &[(String, f64)], unit: &str) -> String {
    if values.is_empty() {
        return "Every series is hidden.".into();
    }
    let mut finite: Vec<&(String, f64)> = values.iter().filter(|(_, v)| v.is_finite()).collect();
    finite.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut out = match (finite.first(), finite.last()) {
        (Some(lo), Some(hi)) if finite.len() > 1 => format!(
            "{when} {} is lowest ({} {unit}) and {} highest ({} {unit}).",
            lo.0,
            sig3(lo.1),
            hi.0,
            sig3(hi.1)
        ),
        (Some(only), _) => format!("{when} {} is at {} {unit}.", only.0, sig3(only.1)),
        _ => format!("Nothing shown has a finite value ({when})."),
    };
    let missing: Vec<&str> = values.iter().filter(|(_, v)| !v.is_finite()).map(|(k, _)| k.as_str()).collect();
    if !missing.is_empty() && !finite.is_empty() {
        out.push_str(&format!(" No finite value there: {}.", missing.join(", ")));
    }
    out
}

/// " X diverged in 1 of 3 repetitions." for every method of `methods` with a diverged repetition.
pub(crate) fn divergences<'m>(methods: impl IntoIterator<Item = &'m MethodResult>) -> String {
    let mut out = String::new();
    for m in methods {
        let d = m.repetitions.iter().filter(|r| r.diverged.is_some()).count();
        if d > 0 {
            out.push_str(&format!(" {} diverged in {d} of {} repetitions.", m.method, m.repetitions.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::lowest_highest;

    #[test]
    fn names_the_ends() {
        let v = vec![("A".to_string(), 1.2), ("B".to_string(), 0.331), ("C".to_string(), f64::NAN)];
        assert_eq!(
            lowest_highest("After 100 steps", &v, "nats"),
            "After 100 steps B is lowest (0.331 nats) and A highest (1.20 nats). No finite value there: C."
        );
        assert_eq!(lowest_highest("After 1 step", &v[..1], "nats"), "After 1 step A is at 1.20 nats.");
    }
}
