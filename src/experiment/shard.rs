//! Which slice of an experiment's jobs one machine runs: job i of [`super::jobs`] belongs to shard i mod N.

use crate::config::{Config, Method};
use crate::error::{Error, Result};

/// Shard `index` of `count` (0-based): the jobs whose index in [`super::jobs`] is `index` mod `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, 0..count-1.
    pub index: usize,
    /// How many slices the jobs are cut into.
    pub count: usize,
}

impl Shard {
    /// Every job in one slice.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` (e.g. `3/8`); errors name `shard`.
    pub fn parse(text: &str) -> Result<Shard> {
        let bad = || Error::invalid("shard", format!("{text:?}"), "I/N with integers 0 <= I < N, e.g. 0/4");
        let (i, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let (index, count) = (i.trim().parse::<usize>().map_err(|_| bad())?, n.trim().parse::<usize>().map_err(|_| bad())?);
        if count == 0 {
            return Err(Error::invalid("shard count N", count, "an integer >= 1"));
        }
        if index >= count {
            return Err(Error::invalid("shard index I", index, format!("an integer in 0..={} (I < N = {count})", count - 1)));
        }
        Ok(Shard { index, count })
    }

    /// This shard's jobs of `config` as (job index, method, repetition), in run order. Refuses
    /// more shards than jobs (some would be empty), naming the number of jobs.
    pub fn jobs(&self, config: &Config) -> Result<Vec<(usize, Method, usize)>> {
        let all = super::jobs(config);
        if self.count > all.len().max(1) {
            let allowed = format!("an integer in 1..={} (this experiment has {} jobs, method × repetition)", all.len().max(1), all.len());
            return Err(Error::invalid("shard count N", self.count, allowed));
        }
        Ok(all.into_iter().enumerate().filter(|(i, _)| i % self.count == self.index).map(|(i, (m, r))| (i, m, r)).collect())
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}
