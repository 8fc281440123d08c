//! Metrics: one tie at a time (METRICS.md §4), then the network (§6).

pub mod insights;
pub mod invitations;
mod network;
pub mod stats;
mod tie;
pub mod timeline;

pub use network::{summarise, NetworkSummary, StateCounts, StateShares};
pub use tie::{measure_ties, Layer, Pollination, State, Tie};

use crate::export::{Instant, DAY};

/// The parameters every figure depends on.
#[derive(Clone, Debug)]
pub struct Params {
    /// The as-of day `D` (days since 1970-01-01).
    pub as_of: i64,
    /// `--active-days`.
    pub active_days: u32,
    /// `--half-life`, in days.
    pub half_life: f64,
    /// `--burst-min`.
    pub burst_min: u32,
}

impl Params {
    /// The cut-off `C = D + 1 day, 00:00:00Z`.
    pub fn cutoff(&self) -> Instant {
        (self.as_of + 1) * DAY
    }
}

/// Whole days from `a` to `b`: the floor of the signed difference (METRICS.md §2).
pub fn whole_days(a: Instant, b: Instant) -> i64 {
    (b - a).div_euclid(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_days_floor() {
        assert_eq!(whole_days(0, DAY), 1);
        assert_eq!(whole_days(DAY, 0), -1);
        assert_eq!(whole_days(DAY / 2, 0), -1);
        assert_eq!(whole_days(0, DAY - 1), 0);
    }
}
