//! Reading back numbers JSON wrote as `null`: serde_json writes NaN and ±∞ as `null`, which are read as NaN.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// An f64 that may have been written as `null` (a non-finite number).
struct Nullable(f64);

impl<'de> Deserialize<'de> for Nullable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Nullable(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN)))
    }
}

fn plain(v: Vec<Nullable>) -> Vec<f64> {
    v.into_iter().map(|x| x.0).collect()
}

/// A list of numbers, `null` read as NaN.
pub fn numbers<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    Ok(plain(Vec::<Nullable>::deserialize(d)?))
}

/// Optional rows of numbers, `null` entries read as NaN.
pub(crate) fn optional_rows<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Vec<f64>>>, D::Error> {
    Ok(Option::<Vec<Vec<Nullable>>>::deserialize(d)?.map(|rows| rows.into_iter().map(plain).collect()))
}

/// Named lists of numbers, `null` read as NaN.
pub(crate) fn named_numbers<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Vec<f64>>, D::Error> {
    Ok(BTreeMap::<String, Vec<Nullable>>::deserialize(d)?.into_iter().map(|(k, v)| (k, plain(v))).collect())
}
