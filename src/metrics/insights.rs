//! The network figures of METRICS.md §6 beyond the state counts: cohorts, time to
//! pollination, concentration, bursts, companies, reconnect suggestions, the group graph.

use std::collections::BTreeMap;

use crate::hash::HashMap;

use petgraph::unionfind::UnionFind;

use super::stats::{gini, Survival};
use super::{whole_days, Params, Pollination, State, Tie};
use crate::export::{civil_from_days, day_of, Instant};
use crate::graph::{Edge, Network, Node};
use crate::identity::{Identified, Person};

/// One connection-year cohort.
#[derive(Clone, Debug, PartialEq)]
pub struct Cohort {
    /// Calendar year of `Connected On`.
    pub year: i64,
    /// Connections made that year.
    pub n: u64,
    /// Counts by state, in [`State::ALL`] order.
    pub states: [u64; 4],
}

impl Cohort {
    /// Active plus faded, over `n`.
    pub fn pollinated_share(&self) -> f64 {
        (self.states[2] + self.states[3]) as f64 / self.n as f64
    }
}

/// Time to pollination for one group of connections (METRICS.md §6).
#[derive(Clone, Debug, PartialEq)]
pub struct TimeToPollination {
    /// The Kaplan–Meier estimate.
    pub km: Survival,
}

impl TimeToPollination {
    /// `S` at the days reported in `summary.json`.
    pub const DAYS: [i64; 4] = [7, 30, 90, 365];
}

/// Concentration of messages over connections.
#[derive(Clone, Debug, PartialEq)]
pub struct Concentration {
    /// Gini coefficient.
    pub gini: f64,
    /// Share held by the top `ceil(1%·n)` connections.
    pub top1_share: f64,
    /// Share held by the top `ceil(10%·n)` connections.
    pub top10_share: f64,
    /// Lorenz curve points `(share of connections, share of messages)`.
    pub lorenz: Vec<(f64, f64)>,
}

/// Accept-all days.
#[derive(Clone, Debug, PartialEq)]
pub struct Bursts {
    /// Days with at least `--burst-min` new connections.
    pub days: u64,
    /// Connections made on those days.
    pub connections: u64,
    /// Pollinated share of those connections.
    pub pollinated_share: Option<f64>,
    /// Pollinated share of connections made on all other days.
    pub other_pollinated_share: Option<f64>,
}

/// A company among the most frequent.
#[derive(Clone, Debug, PartialEq)]
pub struct Company {
    /// The company text, tidied.
    pub company: String,
    /// Connections there.
    pub n: u64,
    /// Pollinated share of them (`None` without messages).
    pub pollinated_share: Option<f64>,
}

/// A faded tie worth reviving.
#[derive(Clone, Debug, PartialEq)]
pub struct Reconnect {
    /// The alter's key.
    pub key: String,
    /// Name.
    pub name: String,
    /// Company.
    pub company: String,
    /// The last message.
    pub last_message_at: Instant,
    /// Messages.
    pub messages: u32,
    /// Exchanges.
    pub exchanges: u32,
    /// Reciprocity: how two-way the tie was (part of its rank).
    pub reciprocity: f64,
}

/// The group co-participation graph among alters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupGraph {
    /// Alters with at least one group edge.
    pub alters_with_edges: u64,
    /// Connected components of size ≥ 2 among alters.
    pub components: u64,
    /// The largest component's size (0 without any).
    pub largest_component: u64,
}

/// The connections' ties with their person and pollination (messages present).
fn connections<'a>(
    ties: &'a [Tie],
    id: &'a Identified,
) -> impl Iterator<Item = (&'a Person, Option<&'a Pollination>)> {
    ties.iter()
        .map(|t| (&id.people[t.alter as usize], t.pollination.as_ref()))
        .filter(|(p, _)| p.is_connection)
}

fn state_index(s: State) -> usize {
    State::ALL.iter().position(|&x| x == s).unwrap_or(0)
}

fn year_of(t: Instant) -> i64 {
    civil_from_days(day_of(t)).0
}

/// Cohorts by calendar year of `Connected On`, ascending; `None` without messages.
pub fn cohorts(ties: &[Tie], id: &Identified) -> Option<Vec<Cohort>> {
    if !id.has_messages {
        return None;
    }
    let mut by_year: BTreeMap<i64, Cohort> = BTreeMap::new();
    for (person, p) in connections(ties, id) {
        let (Some(on), Some(p)) = (person.connected_on, p) else {
            continue;
        };
        let year = year_of(on);
        let c = by_year.entry(year).or_insert(Cohort {
            year,
            n: 0,
            states: [0; 4],
        });
        c.n += 1;
        c.states[state_index(p.state)] += 1;
    }
    Some(by_year.into_values().collect())
}

/// Kaplan–Meier time to pollination, overall and per cohort year (METRICS.md §6).
pub fn survival(
    ties: &[Tie],
    id: &Identified,
    params: &Params,
) -> Option<(TimeToPollination, BTreeMap<i64, TimeToPollination>)> {
    if !id.has_messages {
        return None;
    }
    let cutoff = params.cutoff();
    let mut all = Vec::new();
    let mut by_year: BTreeMap<i64, Vec<(i64, bool)>> = BTreeMap::new();
    for (person, p) in connections(ties, id) {
        let (Some(on), Some(p)) = (person.connected_on, p) else {
            continue;
        };
        let subject = match p.days_to_pollination {
            Some(d) if p.state.is_pollinated() => (d.max(0), true),
            _ => (whole_days(on, cutoff), false),
        };
        all.push(subject);
        by_year.entry(year_of(on)).or_default().push(subject);
    }
    let overall = TimeToPollination {
        km: Survival::estimate(&all),
    };
    let cohorts = by_year
        .into_iter()
        .map(|(y, s)| {
            (
                y,
                TimeToPollination {
                    km: Survival::estimate(&s),
                },
            )
        })
        .collect();
    Some((overall, cohorts))
}

/// Gini, top shares and the Lorenz curve of `messages` over connections; `None` without
/// messages or when no connection has any.
pub fn concentration(ties: &[Tie], id: &Identified) -> Option<Concentration> {
    let mut x: Vec<u64> = connections(ties, id)
        .map(|(_, p)| p.map_or(0, |p| p.messages() as u64))
        .collect();
    if !id.has_messages {
        return None;
    }
    let g = gini(&x)?;
    x.sort_unstable();
    let n = x.len();
    let total: u64 = x.iter().sum();
    let top = |fraction_percent: usize| {
        let k = (n * fraction_percent).div_ceil(100);
        x[n - k..].iter().sum::<u64>() as f64 / total as f64
    };
    let mut prefix = Vec::with_capacity(n + 1);
    prefix.push(0u64);
    for v in &x {
        prefix.push(prefix.last().unwrap() + v);
    }
    let mut points: Vec<usize> = if n <= 100 {
        (0..=n).collect()
    } else {
        (0..=100).map(|k| (k * n + 50) / 100).collect()
    };
    points.dedup();
    let lorenz = points
        .into_iter()
        .map(|i| (i as f64 / n as f64, prefix[i] as f64 / total as f64))
        .collect();
    Some(Concentration {
        gini: g,
        top1_share: top(1),
        top10_share: top(10),
        lorenz,
    })
}

fn share(pollinated: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| pollinated as f64 / n as f64)
}

/// Days with at least `--burst-min` new connections (METRICS.md §6).
pub fn bursts(ties: &[Tie], id: &Identified, params: &Params) -> Bursts {
    let mut per_day: HashMap<i64, Vec<bool>> = HashMap::default();
    for (person, p) in connections(ties, id) {
        if let Some(on) = person.connected_on {
            per_day
                .entry(day_of(on))
                .or_default()
                .push(p.is_some_and(|p| p.state.is_pollinated()));
        }
    }
    let (mut days, mut burst, mut other) = (0, (0, 0), (0, 0));
    for polls in per_day.values() {
        let pollinated = polls.iter().filter(|&&b| b).count() as u64;
        let n = polls.len() as u64;
        if n >= params.burst_min as u64 {
            days += 1;
            burst = (burst.0 + n, burst.1 + pollinated);
        } else {
            other = (other.0 + n, other.1 + pollinated);
        }
    }
    let with_messages = |s: Option<f64>| if id.has_messages { s } else { None };
    Bursts {
        days,
        connections: burst.0,
        pollinated_share: with_messages(share(burst.1, burst.0)),
        other_pollinated_share: with_messages(share(other.1, other.0)),
    }
}

/// The 20 most frequent companies (ties: text ascending by code point), METRICS.md §6.
pub fn companies(ties: &[Tie], id: &Identified) -> Vec<Company> {
    let mut by_company: HashMap<&str, (u64, u64)> = HashMap::default();
    for (person, p) in connections(ties, id) {
        let c = person.company.as_str();
        if c.is_empty() || c == "NA" {
            continue;
        }
        let e = by_company.entry(c).or_default();
        e.0 += 1;
        e.1 += p.is_some_and(|p| p.state.is_pollinated()) as u64;
    }
    let mut list: Vec<_> = by_company.into_iter().collect();
    list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(b.0)));
    list.into_iter()
        .take(20)
        .map(|(company, (n, pollinated))| Company {
            company: company.to_string(),
            n,
            pollinated_share: if id.has_messages {
                share(pollinated, n)
            } else {
                None
            },
        })
        .collect()
}

/// The 25 faded connections with the strongest past (METRICS.md §6).
pub fn reconnect(ties: &[Tie], id: &Identified) -> Option<Vec<Reconnect>> {
    if !id.has_messages {
        return None;
    }
    let strength = |p: &Pollination| p.messages() as f64 * (0.25 + 0.75 * p.reciprocity);
    let mut faded: Vec<(&Person, &Pollination)> = connections(ties, id)
        .filter_map(|(person, p)| p.filter(|p| p.state == State::Faded).map(|p| (person, p)))
        .collect();
    faded.sort_by(|a, b| {
        strength(b.1)
            .total_cmp(&strength(a.1))
            .then(b.1.last_message_at.cmp(&a.1.last_message_at))
            .then_with(|| a.0.key.cmp(&b.0.key))
    });
    Some(
        faded
            .into_iter()
            .take(25)
            .map(|(person, p)| Reconnect {
                key: person.key.clone(),
                name: person.name.clone(),
                company: person.company.clone(),
                last_message_at: p.last_message_at.unwrap_or_default(),
                messages: p.messages(),
                exchanges: p.exchanges,
                reciprocity: p.reciprocity,
            })
            .collect(),
    )
}

/// Components of the alter–alter group edges (owner left out), METRICS.md §6.
pub fn group_graph(network: &Network) -> GroupGraph {
    let g = &network.graph;
    let mut uf = UnionFind::<usize>::new(g.node_count());
    let mut has_edge = vec![false; g.node_count()];
    for e in g.edge_indices() {
        if let (Edge::Group(_), Some((a, b))) = (g[e], g.edge_endpoints(e)) {
            uf.union(a.index(), b.index());
            has_edge[a.index()] = true;
            has_edge[b.index()] = true;
        }
    }
    let mut sizes: HashMap<usize, u64> = HashMap::default();
    for n in g.node_indices() {
        if has_edge[n.index()] && matches!(g[n], Node::Alter(_)) {
            *sizes.entry(uf.find(n.index())).or_default() += 1;
        }
    }
    GroupGraph {
        alters_with_edges: sizes.values().sum(),
        components: sizes.len() as u64,
        largest_component: sizes.values().copied().max().unwrap_or(0),
    }
}
