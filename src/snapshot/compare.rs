//! `compare` (DESIGN.md, "Over time"): what changed between an older and a newer snapshot of
//! one network. People are matched by person key (METRICS.md §1), which is the same in every
//! export of the same network.
//!
//! Connections added and removed, the state transition matrix and the three lists of state
//! changes are over connections (the population of the headline); the lost-history warning is
//! over every alter that has messages on both sides.

use serde::Serialize;

use super::{Snapshot, TieRecord};
use crate::export::format_day;
use crate::hash::{HashMap, HashSet};
use crate::metrics::{State, StateCounts, StateShares};

/// The schema version of `compare.json`.
pub const SCHEMA: &str = "orchard.compare/1";

/// The rows and columns of the transition matrix: "not a connection", then the states.
pub const TRANSITION_LABELS: [&str; 5] = ["none", "dormant", "one_way", "active", "faded"];

/// One side's figures, over its connections.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Side {
    /// The snapshot id, or the export or report folder.
    pub label: String,
    /// The as-of date.
    pub as_of: String,
    /// Connections.
    pub connections: u64,
    /// Connections by state; `None` without messages.
    pub states: Option<StateCounts>,
    /// Shares by state; `None` without messages or connections.
    pub shares: Option<StateShares>,
    /// The headline: (dormant + one-way) / connections.
    pub never_pollinated_share: Option<f64>,
}

/// A person in one of the lists.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Person {
    /// Person key.
    pub key: String,
    /// Name.
    pub name: String,
    /// Company (the newer side's, for people on both sides).
    pub company: String,
    /// Position (likewise).
    pub position: String,
    /// The state on the side the person is listed from (the newer, or for removed
    /// connections the older); `None` without messages.
    pub state: Option<&'static str>,
}

/// A connection whose company or position changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct JobChange {
    /// Person key.
    pub key: String,
    /// Name (newer side).
    pub name: String,
    /// Company before.
    pub old_company: String,
    /// Position before.
    pub old_position: String,
    /// Company now.
    pub new_company: String,
    /// Position now.
    pub new_position: String,
}

/// A tie for which the newer side holds fewer messages than the older.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LostHistory {
    /// Person key.
    pub key: String,
    /// Name (newer side).
    pub name: String,
    /// Messages on the older side.
    pub old_messages: u32,
    /// Messages on the newer side.
    pub new_messages: u32,
}

/// Everything `compare` reports.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The orchard version.
    pub orchard_version: &'static str,
    /// The older side.
    pub old: Side,
    /// The newer side.
    pub new: Side,
    /// Connections on the newer side only.
    pub added: Vec<Person>,
    /// Connections on the older side only.
    pub removed: Vec<Person>,
    /// `transitions[i][j]`: connections in [`TRANSITION_LABELS`]`[i]` before and `[j]` now
    /// (row `none`: added; column `none`: removed); `None` when a side has no messages.
    pub transitions: Option<[[u64; 5]; 5]>,
    /// Why the state figures (transitions, the three lists, share changes) are missing: a
    /// side without messages. Written into `compare.json` as each figure's `_unavailable`.
    #[serde(skip)]
    pub unavailable: Option<String>,
    /// Dormant or one-way before, pollinated now; `None` when a side has no messages.
    pub newly_pollinated: Option<Vec<Person>>,
    /// Active before, faded now; likewise.
    pub newly_faded: Option<Vec<Person>>,
    /// Faded before, active now; likewise.
    pub reactivated: Option<Vec<Person>>,
    /// Same person, other company or position.
    pub job_changes: Vec<JobChange>,
    /// New minus old never-pollinated share.
    pub never_pollinated_share_change: Option<f64>,
    /// New minus old share of each state.
    pub share_changes: Option<StateShares>,
    /// Ties with fewer messages on the newer side: the newer export lost history.
    pub lost_history: Vec<LostHistory>,
    /// Connection pairs made by name because their keys differ (an export without profile
    /// URLs on one side).
    pub matched_by_name: usize,
    /// What to keep in mind reading the figures (sides in the wrong order, different
    /// parameters, lost history).
    pub notes: Vec<String>,
}

impl Side {
    /// The figures of one snapshot.
    pub fn of(s: &Snapshot) -> Side {
        let states = s.state_counts();
        Side {
            label: s.label.clone(),
            as_of: format_day(s.as_of),
            connections: s.connections().count() as u64,
            states,
            shares: states.and_then(|c| c.shares()),
            never_pollinated_share: states.and_then(|c| c.never_pollinated_share()),
        }
    }
}

fn person(t: &TieRecord) -> Person {
    Person {
        key: t.key.clone(),
        name: t.name.clone(),
        company: t.company.clone(),
        position: t.position.clone(),
        state: t.state.map(State::name),
    }
}

/// Trimmed, inner whitespace collapsed: company and position texts are compared so.
fn normalised(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The row or column of a state in the transition matrix.
fn slot(state: Option<State>) -> usize {
    match state {
        None => 0,
        Some(s) => 1 + State::ALL.iter().position(|&x| x == s).unwrap_or(0),
    }
}

/// Connections on both sides, paired: by person key, and then — for those left over — by
/// name where exactly one connection on each side has it (an export without profile URLs keys
/// people by name; METRICS.md §1). Returns the pairs, the connections only the newer and only
/// the older side has, and how many pairs were made by name.
#[allow(clippy::type_complexity)]
fn pair<'a>(
    old: &'a Snapshot,
    new: &'a Snapshot,
) -> (
    Vec<(&'a TieRecord, &'a TieRecord)>,
    Vec<&'a TieRecord>,
    Vec<&'a TieRecord>,
    usize,
) {
    let before: HashMap<&str, &TieRecord> =
        old.connections().map(|t| (t.key.as_str(), t)).collect();
    let mut pairs = Vec::new();
    let mut only_new = Vec::new();
    let mut matched: HashSet<&str> = HashSet::default();
    for n in new.connections() {
        match before.get(n.key.as_str()) {
            Some(o) => {
                matched.insert(o.key.as_str());
                pairs.push((*o, n));
            }
            None => only_new.push(n),
        }
    }
    let mut only_old: Vec<&TieRecord> = old
        .connections()
        .filter(|o| !matched.contains(o.key.as_str()))
        .collect();
    // Names held by exactly one unpaired connection on a side.
    fn unique<'t>(ties: &[&'t TieRecord]) -> HashMap<String, &'t TieRecord> {
        let mut seen: HashMap<String, Option<&TieRecord>> = HashMap::default();
        for t in ties {
            seen.entry(normalised(&t.name).to_lowercase())
                .and_modify(|v| *v = None)
                .or_insert(Some(*t));
        }
        seen.into_iter()
            .filter_map(|(k, v)| v.map(|t| (k, t)))
            .collect()
    }
    let (olds, news) = (unique(&only_old), unique(&only_new));
    let mut by_name = 0;
    let mut named: HashSet<&str> = HashSet::default();
    for (name, n) in &news {
        if let Some(o) = olds.get(name) {
            pairs.push((*o, *n));
            named.insert(o.key.as_str());
            named.insert(n.key.as_str());
            by_name += 1;
        }
    }
    only_new.retain(|n| !named.contains(n.key.as_str()));
    only_old.retain(|o| !named.contains(o.key.as_str()));
    (pairs, only_new, only_old, by_name)
}

/// Compares an older and a newer snapshot.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Comparison {
    let both_have_messages = old.has_messages() && new.has_messages();
    let (pairs, only_new, only_old, by_name) = pair(old, new);
    let mut matrix = [[0u64; 5]; 5];
    let (mut newly_pollinated, mut newly_faded, mut reactivated) = (vec![], vec![], vec![]);
    let mut job_changes = Vec::new();
    let mut lost_history = Vec::new();
    for &(o, n) in &pairs {
        matrix[slot(o.state)][slot(n.state)] += 1;
        let list = match (o.state, n.state) {
            (Some(State::Dormant | State::OneWay), Some(State::Active | State::Faded)) => {
                Some(&mut newly_pollinated)
            }
            (Some(State::Active), Some(State::Faded)) => Some(&mut newly_faded),
            (Some(State::Faded), Some(State::Active)) => Some(&mut reactivated),
            _ => None,
        };
        if let Some(list) = list {
            list.push(person(n));
        }
        let (oc, op) = (normalised(&o.company), normalised(&o.position));
        let (nc, np) = (normalised(&n.company), normalised(&n.position));
        if oc != nc || op != np {
            job_changes.push(JobChange {
                key: n.key.clone(),
                name: n.name.clone(),
                old_company: oc,
                old_position: op,
                new_company: nc,
                new_position: np,
            });
        }
    }
    for n in &only_new {
        matrix[0][slot(n.state)] += 1;
    }
    for o in &only_old {
        matrix[slot(o.state)][0] += 1;
    }
    // Lost history: every paired connection, and message partners by key.
    let before: HashMap<&str, &TieRecord> = old
        .ties
        .iter()
        .filter(|t| !t.is_connection)
        .map(|t| (t.key.as_str(), t))
        .collect();
    let partners = new
        .ties
        .iter()
        .filter(|t| !t.is_connection)
        .filter_map(|n| before.get(n.key.as_str()).map(|o| (*o, n)));
    for (o, n) in pairs.iter().copied().chain(partners) {
        if let (Some(was), Some(now)) = (o.messages, n.messages) {
            if now < was {
                lost_history.push(LostHistory {
                    key: n.key.clone(),
                    name: n.name.clone(),
                    old_messages: was,
                    new_messages: now,
                });
            }
        }
    }
    let old_side = Side::of(old);
    let new_side = Side::of(new);
    let unavailable = (!both_have_messages).then(|| {
        let which = if old.has_messages() { "newer" } else { "older" };
        format!(
            "the {which} side was measured from an export without messages.csv, so its \
             connections have no state"
        )
    });
    let people = |list: Vec<&TieRecord>| {
        let mut list: Vec<Person> = list.into_iter().map(person).collect();
        list.sort_by_cached_key(|p| list_order(&p.name, &p.key));
        list
    };
    let added = people(only_new);
    let removed = people(only_old);
    let lists = [newly_pollinated, newly_faded, reactivated].map(|mut l| {
        l.sort_by_cached_key(|p| list_order(&p.name, &p.key));
        both_have_messages.then_some(l)
    });
    let [newly_pollinated, newly_faded, reactivated] = lists;
    job_changes.sort_by_cached_key(|j| list_order(&j.name, &j.key));
    lost_history.sort_by(|a, b| {
        (b.old_messages - b.new_messages)
            .cmp(&(a.old_messages - a.new_messages))
            .then_with(|| a.key.cmp(&b.key))
    });
    let mut c = Comparison {
        schema: SCHEMA,
        orchard_version: env!("CARGO_PKG_VERSION"),
        never_pollinated_share_change: old_side
            .never_pollinated_share
            .zip(new_side.never_pollinated_share)
            .map(|(a, b)| b - a),
        share_changes: old_side
            .shares
            .zip(new_side.shares)
            .map(|(a, b)| StateShares {
                dormant: b.dormant - a.dormant,
                one_way: b.one_way - a.one_way,
                active: b.active - a.active,
                faded: b.faded - a.faded,
            }),
        old: old_side,
        new: new_side,
        added,
        removed,
        transitions: both_have_messages.then_some(matrix),
        unavailable,
        newly_pollinated,
        newly_faded,
        reactivated,
        job_changes,
        lost_history,
        matched_by_name: by_name,
        notes: Vec::new(),
    };
    c.notes = notes(old, new, &c);
    c
}

/// The order of people in every list: name (case-insensitive), then key. Lowered once per
/// person (`sort_by_cached_key`), not once per comparison: lists run to many thousands.
fn list_order(name: &str, key: &str) -> (String, String) {
    (name.to_lowercase(), key.to_string())
}

impl Comparison {
    /// `compare.json`: the comparison, with a `<name>_unavailable` reason beside every figure
    /// that is `null` because a side has no messages (METRICS.md §7).
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        let Some(reason) = &self.unavailable else {
            return v;
        };
        let fill = |map: &mut serde_json::Map<String, serde_json::Value>, names: &[&str]| {
            for name in names {
                if map.get(*name).is_some_and(|x| x.is_null()) {
                    map.insert(format!("{name}_unavailable"), reason.clone().into());
                }
            }
        };
        if let Some(map) = v.as_object_mut() {
            fill(
                map,
                &[
                    "transitions",
                    "newly_pollinated",
                    "newly_faded",
                    "reactivated",
                    "never_pollinated_share_change",
                    "share_changes",
                ],
            );
        }
        for side in ["old", "new"] {
            if let Some(map) = v.get_mut(side).and_then(|s| s.as_object_mut()) {
                fill(map, &["states", "shares", "never_pollinated_share"]);
            }
        }
        v
    }
}

/// What to keep in mind reading a comparison.
fn notes(old: &Snapshot, new: &Snapshot, c: &Comparison) -> Vec<String> {
    let mut notes = Vec::new();
    if old.as_of > new.as_of {
        notes.push(format!(
            "The older side ({}, as of {}) is dated after the newer one ({}, as of {}): every \
             change reads backwards. Swap them to read forward.",
            c.old.label, c.old.as_of, c.new.label, c.new.as_of
        ));
    }
    for name in ["active_days", "half_life", "burst_min"] {
        let (a, b) = (old.parameter(name), new.parameter(name));
        if a != b {
            let show =
                |v: Option<&serde_json::Value>| v.map_or("unknown".into(), |v| v.to_string());
            notes.push(format!(
                "The sides were measured with different --{} ({} before, {} now): part of \
                 what changed may come from that, not from the network.",
                name.replace('_', "-"),
                show(a),
                show(b)
            ));
        }
    }
    if c.matched_by_name > 0 {
        notes.push(format!(
            "{} connection(s) were matched by name, not by profile URL: one side's export has \
             no URLs for them (a 2021–2023 format). A namesake could be matched wrongly.",
            c.matched_by_name
        ));
    }
    if !c.lost_history.is_empty() {
        notes.push(format!(
            "The newer side holds fewer messages than the older one for {} tie(s): the newer \
             export lost part of their history (deleted conversations, or a partial export), \
             so their states may look worse than they are.",
            c.lost_history.len()
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tie(key: &str, state: Option<State>, messages: u32, company: &str) -> TieRecord {
        TieRecord {
            key: key.into(),
            name: key.to_uppercase(),
            company: company.into(),
            position: "Engineer".into(),
            is_connection: true,
            messages: state.map(|_| messages),
            state,
            last_message_at: None,
        }
    }

    fn snapshot(label: &str, as_of: &str, ties: Vec<TieRecord>, messages: bool) -> Snapshot {
        let states = if messages { json!({}) } else { json!(null) };
        Snapshot {
            label: label.into(),
            as_of: crate::export::parse_iso_day(as_of).unwrap(),
            ties,
            summary: json!({"parameters": {"as_of": as_of, "active_days": 365}, "states": states}),
        }
    }

    #[test]
    fn a_snapshot_against_itself_changes_nothing() {
        let s = snapshot(
            "a",
            "2026-01-01",
            vec![
                tie("a", Some(State::Dormant), 0, "X"),
                tie("b", Some(State::Active), 4, "Y"),
            ],
            true,
        );
        let c = compare(&s, &s);
        assert!(c.added.is_empty() && c.removed.is_empty() && c.job_changes.is_empty());
        assert_eq!(c.newly_pollinated, Some(vec![]));
        assert!(c.lost_history.is_empty() && c.notes.is_empty());
        let m = c.transitions.unwrap();
        let off_diagonal: u64 = (0..5)
            .flat_map(|i| (0..5).map(move |j| (i, j)))
            .filter(|(i, j)| i != j)
            .map(|(i, j)| m[i][j])
            .sum();
        assert_eq!(off_diagonal, 0);
        assert_eq!((m[1][1], m[3][3]), (1, 1));
        assert_eq!(c.never_pollinated_share_change, Some(0.0));
    }

    #[test]
    fn every_kind_of_change_lands_in_its_list_and_cell() {
        let old = snapshot(
            "old",
            "2025-01-01",
            vec![
                tie("p", Some(State::OneWay), 2, "Acme"),
                tie("f", Some(State::Active), 9, "Acme"),
                tie("r", Some(State::Faded), 5, "Acme"),
                tie("gone", Some(State::Dormant), 0, "Acme"),
                tie("lost", Some(State::Active), 7, "Acme"),
            ],
            true,
        );
        let new = snapshot(
            "new",
            "2026-01-01",
            vec![
                tie("p", Some(State::Active), 4, "Acme"),
                tie("f", Some(State::Faded), 9, "Acme "),
                tie("r", Some(State::Active), 6, "Globex"),
                tie("lost", Some(State::Active), 3, "Acme"),
                tie("fresh", Some(State::Dormant), 0, "Initech"),
            ],
            true,
        );
        let c = compare(&old, &new);
        let keys = |l: &[Person]| l.iter().map(|p| p.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&c.added), ["fresh"]);
        assert_eq!(keys(&c.removed), ["gone"]);
        assert_eq!(keys(c.newly_pollinated.as_deref().unwrap()), ["p"]);
        assert_eq!(keys(c.newly_faded.as_deref().unwrap()), ["f"]);
        assert_eq!(keys(c.reactivated.as_deref().unwrap()), ["r"]);
        // "Acme " is "Acme" once trimmed: only r changed jobs.
        assert_eq!(c.job_changes.len(), 1);
        assert_eq!(
            (
                c.job_changes[0].old_company.as_str(),
                c.job_changes[0].new_company.as_str()
            ),
            ("Acme", "Globex")
        );
        assert_eq!(c.lost_history.len(), 1);
        assert_eq!(
            (
                c.lost_history[0].old_messages,
                c.lost_history[0].new_messages
            ),
            (7, 3)
        );
        let m = c.transitions.unwrap();
        assert_eq!(m[0][1], 1, "added, dormant");
        assert_eq!(m[1][0], 1, "dormant, removed");
        assert_eq!(m[2][3], 1, "one-way → active");
        assert_eq!(m[3][4], 1, "active → faded");
        assert_eq!(m[4][3], 1, "faded → active");
        assert_eq!(m[3][3], 1, "active → active");
        assert_eq!(m.iter().flatten().sum::<u64>(), 6);
        // Old: dormant 1, one-way 1 of 5 → 0.4; new: dormant 1 of 5 → 0.2.
        let change = c.never_pollinated_share_change.unwrap();
        assert!((change - (-0.2)).abs() < 1e-12, "{change}");
        assert!(c
            .notes
            .iter()
            .any(|n| n.contains("lost part of their history")));
    }

    #[test]
    fn without_messages_on_one_side_there_is_no_matrix_and_it_says_why() {
        let old = snapshot("old", "2025-01-01", vec![tie("a", None, 0, "X")], false);
        let new = snapshot(
            "new",
            "2026-01-01",
            vec![tie("a", Some(State::Dormant), 0, "X")],
            true,
        );
        let c = compare(&old, &new);
        assert!(c.transitions.is_none() && c.newly_faded.is_none());
        assert!(c.unavailable.as_deref().unwrap().contains("older side"));
        assert!(c.never_pollinated_share_change.is_none());
        let json = c.to_json();
        for name in ["transitions", "newly_pollinated", "share_changes"] {
            assert!(json[name].is_null(), "{name}");
            assert!(json[format!("{name}_unavailable")].is_string(), "{name}");
        }
        assert!(json["old"]["states_unavailable"].is_string());
        assert!(json["new"].get("states_unavailable").is_none());
    }

    #[test]
    fn connections_keyed_by_name_on_one_side_are_matched_by_a_unique_name() {
        let mut url_less = tie("name:ada", Some(State::Dormant), 0, "Acme");
        url_less.name = "Ada  Ahl".into();
        let mut twin_a = tie("name:sam#1", Some(State::Dormant), 0, "X");
        twin_a.name = "Sam Lee".into();
        let mut twin_b = tie("name:sam#2", Some(State::Dormant), 0, "Y");
        twin_b.name = "Sam Lee".into();
        let old = snapshot("old", "2022-01-01", vec![url_less, twin_a, twin_b], true);
        let mut ada = tie("linkedin.com/in/ada", Some(State::Active), 3, "Globex");
        ada.name = "Ada Ahl".into();
        let mut sam = tie("linkedin.com/in/sam", Some(State::Dormant), 0, "X");
        sam.name = "Sam Lee".into();
        let new = snapshot("new", "2024-01-01", vec![ada, sam], true);
        let c = compare(&old, &new);
        // Ada pairs by name (one on each side); the two old Sam Lees cannot be told apart.
        assert_eq!(c.matched_by_name, 1);
        assert_eq!(c.newly_pollinated.as_ref().map(Vec::len), Some(1));
        assert_eq!(c.job_changes.len(), 1);
        assert_eq!(c.added.len(), 1, "the new Sam Lee");
        assert_eq!(c.removed.len(), 2, "both old Sam Lees");
        assert!(c.notes.iter().any(|n| n.contains("matched by name")));
    }

    #[test]
    fn sides_in_the_wrong_order_are_pointed_out() {
        let a = snapshot("a", "2026-01-01", vec![], true);
        let b = snapshot("b", "2025-01-01", vec![], true);
        let c = compare(&a, &b);
        assert!(c.notes[0].contains("Swap them"), "{:?}", c.notes);
    }
}
