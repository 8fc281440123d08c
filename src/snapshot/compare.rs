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
use crate::hash::HashMap;
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
    /// Why there is no transition matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transitions_unavailable: Option<String>,
    /// Dormant or one-way before, pollinated now.
    pub newly_pollinated: Vec<Person>,
    /// Active before, faded now.
    pub newly_faded: Vec<Person>,
    /// Faded before, active now.
    pub reactivated: Vec<Person>,
    /// Same person, other company or position.
    pub job_changes: Vec<JobChange>,
    /// New minus old never-pollinated share.
    pub never_pollinated_share_change: Option<f64>,
    /// New minus old share of each state.
    pub share_changes: Option<StateShares>,
    /// Ties with fewer messages on the newer side: the newer export lost history.
    pub lost_history: Vec<LostHistory>,
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

/// Compares an older and a newer snapshot.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Comparison {
    let before: HashMap<&str, &TieRecord> = old.ties.iter().map(|t| (t.key.as_str(), t)).collect();
    let after: HashMap<&str, &TieRecord> = new.ties.iter().map(|t| (t.key.as_str(), t)).collect();
    let both_have_messages = old.has_messages() && new.has_messages();
    let mut c = Comparison {
        schema: SCHEMA,
        orchard_version: env!("CARGO_PKG_VERSION"),
        old: Side::of(old),
        new: Side::of(new),
        added: Vec::new(),
        removed: Vec::new(),
        transitions: None,
        transitions_unavailable: None,
        newly_pollinated: Vec::new(),
        newly_faded: Vec::new(),
        reactivated: Vec::new(),
        job_changes: Vec::new(),
        never_pollinated_share_change: None,
        share_changes: None,
        lost_history: Vec::new(),
        notes: Vec::new(),
    };
    let mut matrix = [[0u64; 5]; 5];
    for n in new.connections() {
        match before.get(n.key.as_str()).filter(|o| o.is_connection) {
            None => {
                c.added.push(person(n));
                matrix[0][slot(n.state)] += 1;
            }
            Some(o) => {
                matrix[slot(o.state)][slot(n.state)] += 1;
                let list = match (o.state, n.state) {
                    (Some(State::Dormant | State::OneWay), Some(State::Active | State::Faded)) => {
                        Some(&mut c.newly_pollinated)
                    }
                    (Some(State::Active), Some(State::Faded)) => Some(&mut c.newly_faded),
                    (Some(State::Faded), Some(State::Active)) => Some(&mut c.reactivated),
                    _ => None,
                };
                if let Some(list) = list {
                    list.push(person(n));
                }
                let (oc, op) = (normalised(&o.company), normalised(&o.position));
                let (nc, np) = (normalised(&n.company), normalised(&n.position));
                if oc != nc || op != np {
                    c.job_changes.push(JobChange {
                        key: n.key.clone(),
                        name: n.name.clone(),
                        old_company: oc,
                        old_position: op,
                        new_company: nc,
                        new_position: np,
                    });
                }
            }
        }
    }
    for o in old.connections() {
        if !after.get(o.key.as_str()).is_some_and(|n| n.is_connection) {
            c.removed.push(person(o));
            matrix[slot(o.state)][0] += 1;
        }
    }
    for n in &new.ties {
        let Some(o) = before.get(n.key.as_str()) else {
            continue;
        };
        if let (Some(was), Some(now)) = (o.messages, n.messages) {
            if now < was {
                c.lost_history.push(LostHistory {
                    key: n.key.clone(),
                    name: n.name.clone(),
                    old_messages: was,
                    new_messages: now,
                });
            }
        }
    }
    if both_have_messages {
        c.transitions = Some(matrix);
    } else {
        let which = if old.has_messages() { "newer" } else { "older" };
        c.transitions_unavailable = Some(format!(
            "the {which} export has no messages.csv, so its connections have no state"
        ));
    }
    if let (Some(a), Some(b)) = (c.old.never_pollinated_share, c.new.never_pollinated_share) {
        c.never_pollinated_share_change = Some(b - a);
    }
    if let (Some(a), Some(b)) = (c.old.shares, c.new.shares) {
        c.share_changes = Some(StateShares {
            dormant: b.dormant - a.dormant,
            one_way: b.one_way - a.one_way,
            active: b.active - a.active,
            faded: b.faded - a.faded,
        });
    }
    let by_name = |a: &Person, b: &Person| {
        (a.name.to_lowercase(), &a.key).cmp(&(b.name.to_lowercase(), &b.key))
    };
    for list in [
        &mut c.added,
        &mut c.removed,
        &mut c.newly_pollinated,
        &mut c.newly_faded,
        &mut c.reactivated,
    ] {
        list.sort_by(by_name);
    }
    c.job_changes
        .sort_by(|a, b| (a.name.to_lowercase(), &a.key).cmp(&(b.name.to_lowercase(), &b.key)));
    c.lost_history.sort_by(|a, b| {
        (b.old_messages - b.new_messages)
            .cmp(&(a.old_messages - a.new_messages))
            .then_with(|| a.key.cmp(&b.key))
    });
    c.notes = notes(old, new, &c);
    c
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
        assert_eq!(keys(&c.newly_pollinated), ["p"]);
        assert_eq!(keys(&c.newly_faded), ["f"]);
        assert_eq!(keys(&c.reactivated), ["r"]);
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
        assert!(c.transitions.is_none());
        assert!(c.transitions_unavailable.unwrap().contains("older export"));
        assert!(c.never_pollinated_share_change.is_none());
    }

    #[test]
    fn sides_in_the_wrong_order_are_pointed_out() {
        let a = snapshot("a", "2026-01-01", vec![], true);
        let b = snapshot("b", "2025-01-01", vec![], true);
        let c = compare(&a, &b);
        assert!(c.notes[0].contains("Swap them"), "{:?}", c.notes);
    }
}
