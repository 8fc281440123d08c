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
pub mod parallel;
pub mod progress;
#[cfg(feature = "app")]
pub mod report;
#[cfg(feature = "app")]
pub mod snapshot;
pub mod strings;
pub mod synth;
