//! The folders of `compare` and `history`: `<stem>.json`, `<stem>.html` (self-contained, under
//! the same rules as `index.html`), `<stem>.md` and `charts/`, written whole or not at all
//! like a report folder.

use std::path::{Path, PathBuf};

use minijinja::context;
use rayon::prelude::*;
use serde::Serialize;

use super::charts::{compare_charts, history_charts, Chart};
use super::page::{chart_values, environment};
use super::{percent, thousands, write_file, write_files, OutputError};
use crate::metrics::State;
use crate::snapshot::compare::{Comparison, Person, Side, TRANSITION_LABELS};
use crate::snapshot::history::{History, Skipped};

/// Rows a list shows on the page; `compare.json` holds them all.
const LIST_ROWS: usize = 200;

/// Writes the compare folder at `dir`; returns the files written.
pub fn write_compare(
    c: &Comparison,
    dir: &Path,
    force: bool,
    with_charts: bool,
) -> Result<Vec<PathBuf>, OutputError> {
    let charts = if with_charts {
        compare_charts(c)?
    } else {
        Vec::new()
    };
    write_pages(
        dir,
        force,
        "compare",
        &c.to_json(),
        &compare_page(c),
        &charts,
    )
}

/// Writes the history folder at `dir`; returns the files written.
pub fn write_history(
    h: &History,
    dir: &Path,
    force: bool,
    with_charts: bool,
) -> Result<Vec<PathBuf>, OutputError> {
    let charts = if with_charts {
        history_charts(h)?
    } else {
        Vec::new()
    };
    write_pages(dir, force, "history", h, &history_page(h), &charts)
}

/// `<stem>.json` from `data`, `<stem>.html` and `<stem>.md` from `page`, and the charts.
fn write_pages(
    dir: &Path,
    force: bool,
    stem: &'static str,
    data: &impl Serialize,
    page: &impl Serialize,
    charts: &[Chart],
) -> Result<Vec<PathBuf>, OutputError> {
    let env = environment();
    let mut json = serde_json::to_vec_pretty(data).map_err(|e| OutputError::Render {
        file: stem,
        why: e.to_string(),
    })?;
    json.push(b'\n');
    let mut files = vec![(format!("{stem}.json"), json)];
    for (ext, inline) in [("html", true), ("md", false)] {
        let name = format!("{stem}.{ext}");
        let text = env
            .get_template(&name)
            .and_then(|t| t.render(context! { p => page, charts => chart_values(charts, inline) }))
            .map_err(|e| OutputError::Render {
                file: stem,
                why: e.to_string(),
            })?;
        files.push((name, text.into_bytes()));
    }
    let files = files.into_par_iter().map(|(name, bytes)| {
        move |tmp: &Path| {
            write_file(&tmp.join(&name), &bytes)?;
            Ok(name)
        }
    });
    write_files(dir, force, files, charts)
}

// ---------------------------------------------------------------------------------------------
// Wording shared by the pages and the terminal.

/// A change of share in percentage points: `+1.2 pp`, `-3.0 pp`, `0.0 pp`.
pub fn points(change: f64) -> String {
    let pp = change * 100.0;
    if pp.abs() < 0.05 {
        "0.0 pp".into()
    } else {
        format!("{pp:+.1} pp")
    }
}

/// A signed count change: `+18`, `-3`, `0`.
fn signed(old: u64, new: u64) -> String {
    match new.cmp(&old) {
        std::cmp::Ordering::Greater => format!("+{}", thousands(new - old)),
        std::cmp::Ordering::Less => format!("-{}", thousands(old - new)),
        std::cmp::Ordering::Equal => "0".into(),
    }
}

/// `1 connection`, `3 connections`, `1,204 job changes`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(n as u64),
        if n == 1 { one } else { many }
    )
}

/// How the never-pollinated share moved from `a` to `b`: "fell from 91.2% to 89.2%",
/// "rose from …", or "stayed at 50.0%" when the change rounds to nothing.
fn moved(a: f64, b: f64) -> String {
    if points(b - a) == points(0.0) {
        format!("stayed at {}", percent(b))
    } else if b < a {
        format!("fell from {} to {}", percent(a), percent(b))
    } else {
        format!("rose from {} to {}", percent(a), percent(b))
    }
}

/// The headline of a comparison.
pub fn compare_headline(c: &Comparison) -> String {
    let span = format!("between {} and {}", c.old.as_of, c.new.as_of);
    match (c.old.never_pollinated_share, c.new.never_pollinated_share) {
        (Some(a), Some(b)) => format!("The never-pollinated share {} {span}", moved(a, b)),
        _ => format!(
            "Connections went from {} to {} {span}",
            thousands(c.old.connections),
            thousands(c.new.connections)
        ),
    }
}

/// A side as the verdict names it: its label, with its as-of date unless the label starts with
/// it (a snapshot id).
pub fn side_name(s: &Side) -> String {
    if s.label.starts_with(&s.as_of) {
        s.label.clone()
    } else {
        format!("{} as of {}", s.label, s.as_of)
    }
}

/// The one-paragraph verdict of a comparison.
pub fn compare_verdict(c: &Comparison) -> String {
    let mut parts = vec![format!(
        "{} added and {} removed",
        count(c.added.len(), "connection", "connections"),
        thousands(c.removed.len() as u64)
    )];
    if let (Some(p), Some(f), Some(r)) = (&c.newly_pollinated, &c.newly_faded, &c.reactivated) {
        parts.push(format!(
            "{} newly pollinated, {} newly faded and {} reactivated",
            thousands(p.len() as u64),
            thousands(f.len() as u64),
            thousands(r.len() as u64)
        ));
    }
    parts.push(count(c.job_changes.len(), "job change", "job changes"));
    format!(
        "From {} to {}: {}.",
        side_name(&c.old),
        side_name(&c.new),
        parts.join("; ")
    )
}

// ---------------------------------------------------------------------------------------------
// The compare page.

/// A list of people on the page.
#[derive(Serialize)]
struct List {
    id: &'static str,
    title: &'static str,
    read: String,
    columns: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    total: usize,
    more: usize,
}

impl List {
    /// The first [`LIST_ROWS`] of `items`, one row each.
    fn of<T>(
        (id, title, read): (&'static str, &'static str, String),
        columns: Vec<&'static str>,
        items: &[T],
        row: impl Fn(&T) -> Vec<String>,
    ) -> List {
        List {
            id,
            title,
            read,
            columns,
            rows: items.iter().take(LIST_ROWS).map(row).collect(),
            total: items.len(),
            more: items.len().saturating_sub(LIST_ROWS),
        }
    }

    /// People with their company, position and state.
    fn people(
        head: (&'static str, &'static str, String),
        people: &[Person],
        state: &'static str,
    ) -> List {
        List::of(
            head,
            vec!["Name", "Company", "Position", state],
            people,
            |p| {
                vec![
                    p.name.clone(),
                    p.company.clone(),
                    p.position.clone(),
                    p.state.map_or("—", label).into(),
                ]
            },
        )
    }
}

#[derive(Serialize)]
struct ComparePage {
    headline: String,
    verdict: String,
    notes: Vec<String>,
    old_head: String,
    new_head: String,
    states: Vec<[String; 4]>,
    states_note: Option<String>,
    matrix_head: Vec<&'static str>,
    matrix: Option<Vec<Vec<String>>>,
    matrix_unavailable: Option<String>,
    lists: Vec<List>,
    version: &'static str,
}

/// How a state or "not a connection" reads on the page.
fn label(name: &str) -> &'static str {
    match name {
        "none" => "not connected",
        "dormant" => "dormant",
        "one_way" => "one-way",
        "active" => "active",
        "faded" => "faded",
        _ => "unknown",
    }
}

/// "Position at Company", either alone, or "—".
fn job(position: &str, company: &str) -> String {
    match (position.is_empty(), company.is_empty()) {
        (false, false) => format!("{position} at {company}"),
        (false, true) => position.into(),
        (true, false) => company.into(),
        (true, true) => "—".into(),
    }
}

/// The state table: connections, each state (count and share), never pollinated.
fn state_rows(c: &Comparison) -> Vec<[String; 4]> {
    let mut rows = vec![[
        "Connections".into(),
        thousands(c.old.connections),
        thousands(c.new.connections),
        signed(c.old.connections, c.new.connections),
    ]];
    let cell = |side: &Side, s: State| match (side.states, side.shares) {
        (Some(n), Some(share)) => format!("{} ({})", thousands(n.get(s)), percent(share.get(s))),
        (Some(n), None) => thousands(n.get(s)),
        _ => "—".into(),
    };
    for s in State::ALL {
        rows.push([
            label(s.name()).into(),
            cell(&c.old, s),
            cell(&c.new, s),
            c.share_changes.map_or("—".into(), |d| points(d.get(s))),
        ]);
    }
    let share = |v: Option<f64>| v.map_or("—".into(), percent);
    rows.push([
        "Never pollinated".into(),
        share(c.old.never_pollinated_share),
        share(c.new.never_pollinated_share),
        c.never_pollinated_share_change.map_or("—".into(), points),
    ]);
    rows
}

fn compare_page(c: &Comparison) -> ComparePage {
    let mut lists = Vec::new();
    for (id, title, read, people) in [
        (
            "newly-pollinated",
            "Newly pollinated",
            "Connections with no exchange before (dormant or one-way) that have one now.",
            &c.newly_pollinated,
        ),
        (
            "newly-faded",
            "Newly faded",
            "Connections that were active before and have gone quiet since.",
            &c.newly_faded,
        ),
        (
            "reactivated",
            "Reactivated",
            "Faded ties that came back to life: active again.",
            &c.reactivated,
        ),
    ] {
        if let Some(people) = people {
            lists.push(List::people((id, title, read.into()), people, "State now"));
        }
    }
    lists.push(List::of(
        (
            "job-changes",
            "Job changes",
            "The same person with another company or position (compared trimmed, with runs of \
             spaces as one)."
                .into(),
        ),
        vec!["Name", "Before", "Now"],
        &c.job_changes,
        |j| {
            vec![
                j.name.clone(),
                job(&j.old_position, &j.old_company),
                job(&j.new_position, &j.new_company),
            ]
        },
    ));
    lists.push(List::people(
        (
            "added",
            "Connections added",
            format!(
                "Connections as of {} that were not as of {}.",
                c.new.as_of, c.old.as_of
            ),
        ),
        &c.added,
        "State now",
    ));
    lists.push(List::people(
        (
            "removed",
            "Connections removed",
            format!(
                "Connections as of {} that are not as of {}: removed, or members who have \
                 since hidden their profile (LinkedIn exports those as blank rows).",
                c.old.as_of, c.new.as_of
            ),
        ),
        &c.removed,
        "State before",
    ));
    lists.push(List::of(
        (
            "lost-history",
            "Fewer messages than before",
            "Ties for which the newer side holds fewer messages than the older: the newer \
             export lost part of their history."
                .into(),
        ),
        vec!["Name", "Messages before", "Messages now"],
        &c.lost_history,
        |l| {
            vec![
                l.name.clone(),
                thousands(l.old_messages.into()),
                thousands(l.new_messages.into()),
            ]
        },
    ));
    ComparePage {
        headline: compare_headline(c),
        verdict: compare_verdict(c),
        notes: c.notes.clone(),
        old_head: format!("Before ({})", c.old.as_of),
        new_head: format!("Now ({})", c.new.as_of),
        states: state_rows(c),
        states_note: c.unavailable.clone(),
        matrix_head: TRANSITION_LABELS.iter().map(|l| label(l)).collect(),
        matrix: c.transitions.map(|m| {
            m.iter()
                .enumerate()
                .map(|(i, row)| {
                    let mut r = vec![label(TRANSITION_LABELS[i]).to_string()];
                    r.extend(row.iter().enumerate().map(|(j, &n)| {
                        if i == 0 && j == 0 {
                            "—".into()
                        } else {
                            thousands(n)
                        }
                    }));
                    r
                })
                .collect()
        }),
        matrix_unavailable: c.unavailable.clone(),
        lists,
        version: env!("CARGO_PKG_VERSION"),
    }
}

// ---------------------------------------------------------------------------------------------
// The history page.

/// The columns of the history table (page and terminal).
pub const HISTORY_COLUMNS: [&str; 8] = [
    "As of",
    "Connections",
    "Dormant",
    "One-way",
    "Active",
    "Faded",
    "Never pollinated",
    "Snapshot",
];

/// One history row, as text, in [`HISTORY_COLUMNS`] order.
pub fn history_row(s: &Side) -> Vec<String> {
    let count = |st: State| s.states.map_or("—".into(), |c| thousands(c.get(st)));
    vec![
        s.as_of.clone(),
        thousands(s.connections),
        count(State::Dormant),
        count(State::OneWay),
        count(State::Active),
        count(State::Faded),
        s.never_pollinated_share.map_or("—".into(), percent),
        s.label.clone(),
    ]
}

/// The headline of a history.
pub fn history_headline(h: &History) -> String {
    let with: Vec<&Side> = h
        .snapshots
        .iter()
        .filter(|s| s.never_pollinated_share.is_some())
        .collect();
    match (with.first(), with.last()) {
        (Some(a), Some(b)) if with.len() > 1 => format!(
            "The never-pollinated share {} between {} and {}, over {} snapshots",
            moved(
                a.never_pollinated_share.unwrap_or(0.0),
                b.never_pollinated_share.unwrap_or(0.0)
            ),
            a.as_of,
            b.as_of,
            with.len()
        ),
        (Some(a), _) => format!(
            "One snapshot with messages: {} never pollinated as of {}",
            percent(a.never_pollinated_share.unwrap_or(0.0)),
            a.as_of
        ),
        _ => format!(
            "{}, none with messages",
            count(h.snapshots.len(), "snapshot", "snapshots")
        ),
    }
}

#[derive(Serialize)]
struct HistoryPage {
    headline: String,
    verdict: String,
    columns: [&'static str; 8],
    rows: Vec<Vec<String>>,
    skipped: Vec<Skipped>,
    store: String,
    version: &'static str,
}

fn history_page(h: &History) -> HistoryPage {
    let verdict = match (h.snapshots.first(), h.snapshots.last()) {
        (Some(a), Some(b)) => format!(
            "{} from {} to {}; connections went from {} to {}.",
            count(h.snapshots.len(), "snapshot", "snapshots"),
            a.as_of,
            b.as_of,
            thousands(a.connections),
            thousands(b.connections)
        ),
        _ => "The store holds no readable snapshot.".into(),
    };
    HistoryPage {
        headline: history_headline(h),
        verdict,
        columns: HISTORY_COLUMNS,
        rows: h.snapshots.iter().map(history_row).collect(),
        skipped: h.skipped.clone(),
        store: h.store.clone(),
        version: env!("CARGO_PKG_VERSION"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_of_share_read_in_points() {
        assert_eq!(points(0.0123), "+1.2 pp");
        assert_eq!(points(-0.04), "-4.0 pp");
        assert_eq!(points(-0.0001), "0.0 pp");
        assert_eq!(signed(3, 21), "+18");
        assert_eq!(signed(1_500, 200), "-1,300");
    }

    #[test]
    fn a_job_reads_as_position_at_company() {
        assert_eq!(job("CTO", "Acme"), "CTO at Acme");
        assert_eq!(job("", "Acme"), "Acme");
        assert_eq!(job("", ""), "—");
    }
}
