//! The pipeline, one stage after another: export → identity → graph → metrics.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant as Clock};

use crate::export::{self, day_of, Export, ReadError, ReadOptions};
use crate::graph::{self, Network};
use crate::identity::{self, Identified, IdentityError, OwnerHint};
use crate::metrics::{self, NetworkSummary, Params, Tie};

/// Everything `report` needs to know.
#[derive(Clone, Debug)]
pub struct Options {
    /// Reading options.
    pub read: ReadOptions,
    /// `--owner`.
    pub owner: Option<OwnerHint>,
    /// `--as-of`, as a day number.
    pub as_of: Option<i64>,
    /// `--active-days`.
    pub active_days: u32,
    /// `--half-life`.
    pub half_life: f64,
    /// `--burst-min`.
    pub burst_min: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            read: ReadOptions::default(),
            owner: None,
            as_of: None,
            active_days: 365,
            half_life: 180.0,
            burst_min: 10,
        }
    }
}

/// Why an analysis failed.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// Reading failed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Identity failed.
    #[error(transparent)]
    Identity(#[from] IdentityError),
}

/// The outcome of every stage.
pub struct Analysis {
    /// What was read.
    pub export: Export,
    /// Who is who.
    pub id: Identified,
    /// The parameters used.
    pub params: Params,
    /// One tie per alter.
    pub ties: Vec<Tie>,
    /// The network graph.
    pub network: Network,
    /// Network figures.
    pub summary: NetworkSummary,
    /// Wall time per stage.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Reads an export and applies the as-of cut-off: the part `inspect` and `report` share.
pub fn read(path: &Path, opts: &Options) -> Result<(Export, Params), ReadError> {
    let mut export = export::read(path, &opts.read)?;
    let today = day_of(chrono::Utc::now().timestamp());
    let params = Params {
        as_of: opts.as_of.or_else(|| export.latest_day()).unwrap_or(today),
        active_days: opts.active_days,
        half_life: opts.half_life,
        burst_min: opts.burst_min,
    };
    export.apply_cutoff(params.cutoff());
    Ok((export, params))
}

/// Runs every stage on one export.
pub fn analyse(path: &Path, opts: &Options) -> Result<Analysis, AnalysisError> {
    let mut timings = Vec::new();
    let mut clock = Clock::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Clock::now();
    };
    let (export, params) = read(path, opts)?;
    lap("read", &mut timings);
    let id = identity::identify(&export, opts.owner.as_ref())?;
    lap("identity", &mut timings);
    let ties = metrics::measure_ties(&id, &params);
    lap("tie metrics", &mut timings);
    let messages: HashMap<_, _> = ties
        .iter()
        .filter_map(|t| t.pollination.as_ref().map(|p| (t.alter, p.messages())))
        .collect();
    let network = graph::build(&id, &messages);
    lap("graph", &mut timings);
    let summary = metrics::summarise(&ties, &id);
    lap("network metrics", &mut timings);
    Ok(Analysis {
        export,
        id,
        params,
        ties,
        network,
        summary,
        timings,
    })
}
