//! orchard: network health analytics for LinkedIn data exports.
//!
//! Data flows one way, one module per stage (see `ARCHITECTURE.md`):
//! [`export`] → [`identity`] → [`graph`] → [`metrics`] → [`report`].

pub mod analysis;
#[cfg(feature = "app")]
pub mod cli;
#[cfg(feature = "app")]
pub mod cmd;
pub mod export;
pub mod graph;
pub mod hash;
pub mod identity;
pub mod keys;
#[cfg(feature = "app")]
pub mod memory;
pub mod metrics;
pub mod progress;
#[cfg(feature = "app")]
pub mod report;
#[cfg(feature = "app")]
pub mod snapshot;
pub mod strings;
pub mod synth;

/// Temporary timing probe.
pub fn probe(label: &str) {
    if std::env::var_os("ORCHARD_PROBE").is_none() {
        return;
    }
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(std::time::Instant::now);
    let rss = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 4096
        / (1 << 20);
    eprintln!(
        "probe {:>9.3} s  {rss:>6} MiB  {label}",
        start.elapsed().as_secs_f64()
    );
}
