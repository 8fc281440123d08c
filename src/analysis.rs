//! The pipeline, one stage after another: export → identity → graph → metrics.

use std::collections::BTreeMap;

use std::path::Path;
use std::time::{Duration, Instant as Clock};

use crate::export::{self, day_of, Export, ReadError, ReadOptions};
use crate::graph::{self, Network};
use crate::identity::{self, Identified, IdentityError, OwnerHint};
use rayon::prelude::*;

use crate::metrics::insights::{self, Bursts, Cohort, Company, Concentration, GroupGraph};
use crate::metrics::insights::{Reconnect, TimeToPollination};
use crate::metrics::invitations::{self, InvitationSummary};
use crate::metrics::timeline::{self, Month};
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
    /// Network figures: states, shares, partners, layers.
    pub summary: NetworkSummary,
    /// The rest of the network figures (METRICS.md §5–6).
    pub insights: Insights,
    /// Wall time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Whether names were replaced by pseudonyms (`--anonymize`).
    pub anonymized: bool,
}

/// The network figures of METRICS.md §5–6 beyond the state counts.
pub struct Insights {
    /// Invitations; `None` without an invitations file.
    pub invitations: Option<InvitationSummary>,
    /// Cohorts by connection year; `None` without messages.
    pub cohorts: Option<Vec<Cohort>>,
    /// Time to pollination overall and per cohort year; `None` without messages.
    pub survival: Option<(TimeToPollination, BTreeMap<i64, TimeToPollination>)>,
    /// Concentration; `None` without messages or when no connection has any.
    pub concentration: Option<Concentration>,
    /// Accept-all days.
    pub bursts: Bursts,
    /// The 20 most frequent companies.
    pub companies: Vec<Company>,
    /// Faded ties worth reviving; `None` without messages.
    pub reconnect: Option<Vec<Reconnect>>,
    /// One point per month.
    pub timeline: Vec<Month>,
    /// The group graph; `None` without messages.
    pub group_graph: Option<GroupGraph>,
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
    // Reading includes finding the files; report the two apart.
    if let Some(read) = timings.last_mut() {
        read.1 = read.1.saturating_sub(export.locate_time);
    }
    timings.insert(0, ("locate", export.locate_time));
    let id = identity::identify(&export, opts.owner.as_ref(), params.cutoff())?;
    lap("identity", &mut timings);
    let ties = metrics::measure_ties(&id, &params);
    lap("tie metrics", &mut timings);
    let network = build_graph(&id, &ties);
    lap("graph", &mut timings);
    let (summary, insights) = network_metrics(&export, &id, &ties, &network, &params, opts)?;
    lap("network metrics", &mut timings);
    Ok(Analysis {
        export,
        id,
        params,
        ties,
        network,
        summary,
        insights,
        timings,
        anonymized: false,
    })
}

/// The network graph, with each tie's message count (METRICS.md §6 group graph).
pub fn build_graph(id: &Identified, ties: &[Tie]) -> Network {
    let mut messages = vec![0; id.people.len()];
    for t in ties {
        if let Some(p) = &t.pollination {
            messages[t.alter as usize] = p.messages();
        }
    }
    graph::build(id, &messages)
}

/// Every network figure of METRICS.md §5–6, the timeline included.
pub fn network_metrics(
    export: &Export,
    id: &Identified,
    ties: &[Tie],
    network: &Network,
    params: &Params,
    opts: &Options,
) -> Result<(NetworkSummary, Insights), IdentityError> {
    // The timeline beside everything else: the two take about as long.
    let (timeline, (summary, mut insights)) = rayon::join(
        || timeline(export, id, ties, params, opts),
        || {
            let window = export.invitations.as_ref().and_then(|inv| {
                let dates: Vec<_> = inv.counted().filter_map(|r| r.sent_at).collect();
                Some((*dates.iter().min()?, *dates.iter().max()?))
            });
            let insights = Insights {
                invitations: invitations::summarise(id, ties, window),
                cohorts: insights::cohorts(ties, id),
                survival: insights::survival(ties, id, params),
                concentration: insights::concentration(ties, id),
                bursts: insights::bursts(ties, id, params),
                companies: insights::companies(ties, id),
                reconnect: insights::reconnect(ties, id),
                timeline: Vec::new(),
                group_graph: id.has_messages.then(|| insights::group_graph(network)),
            };
            (metrics::summarise(ties, id), insights)
        },
    );
    insights.timeline = timeline?;
    Ok((summary, insights))
}

/// The monthly timeline: each point is what `report --as-of <month end>` gives (METRICS.md §6).
/// A month whose identity as of its end is provably the report's, restricted to the rows before
/// it, is counted from the report's own ties; any other month is identified and measured on its
/// own, in parallel.
fn timeline(
    export: &Export,
    id: &Identified,
    ties: &[Tie],
    params: &Params,
    opts: &Options,
) -> Result<Vec<Month>, IdentityError> {
    let spans = month_spans(id, params);
    let ends: Vec<_> = spans.iter().map(|s| s.end).collect();
    let (unchanged, from_report) = rayon::join(
        || identity::unchanged_as_of(export, opts.owner.as_ref(), id, &ends),
        || timeline::FromReport::new(&spans, id, ties),
    );
    spans
        .par_iter()
        .enumerate()
        .map(|(i, span)| match unchanged[i] {
            true => Ok(from_report.month(i, span)),
            false => month_on_its_own(export, id, ties, span, params, opts),
        })
        .collect()
}

/// The timeline by its definition: every month identified and measured on its own, as of its
/// end. The report's timeline must equal it; tests compare the two.
pub fn timeline_month_by_month(
    export: &Export,
    id: &Identified,
    ties: &[Tie],
    params: &Params,
    opts: &Options,
) -> Result<Vec<Month>, IdentityError> {
    month_spans(id, params)
        .par_iter()
        .map(|span| month_on_its_own(export, id, ties, span, params, opts))
        .collect()
}

/// The timeline's months: from the first connection's month to the as-of day's month.
pub fn month_spans(id: &Identified, params: &Params) -> Vec<timeline::Span> {
    let first = id
        .people
        .iter()
        .filter(|p| p.is_connection)
        .filter_map(|p| p.connected_on)
        .min();
    first.map_or_else(Vec::new, |first| timeline::months(first, params.cutoff()))
}

/// One month identified and measured as of its end.
fn month_on_its_own(
    export: &Export,
    id: &Identified,
    ties: &[Tie],
    span: &timeline::Span,
    params: &Params,
    opts: &Options,
) -> Result<Month, IdentityError> {
    // The last month ends at the report's own cut-off: it is the report itself.
    if span.end == params.cutoff() {
        return Ok(timeline::month(span, id, ties));
    }
    let month_params = Params {
        as_of: day_of(span.end) - 1,
        ..params.clone()
    };
    let month_id = identity::identify(export, opts.owner.as_ref(), span.end)?;
    let ties = metrics::measure_ties(&month_id, &month_params);
    Ok(timeline::month(span, &month_id, &ties))
}
