//! The monthly timeline (METRICS.md §6): one point per calendar month, each computed as the
//! report as of that month's end would compute it.

use rayon::prelude::*;

use super::Tie;
use crate::export::{civil_from_days, day_of, days_from_civil, Instant, DAY};
use crate::identity::{Identified, OWNER};

/// One month of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Connections made before the month's end.
    pub connections: u64,
    /// Of them, pollinated before the month's end (`None` without messages).
    pub pollinated: Option<u64>,
    /// `(connections − pollinated) / connections`.
    pub never_pollinated_share: Option<f64>,
    /// Tie messages the owner sent within the month (once per alter recipient).
    pub sent: Option<u64>,
    /// Tie messages received within the month.
    pub received: Option<u64>,
}

/// A month's span: its label, first instant and end (the next month's first instant, or the
/// cut-off for the last month).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// `YYYY-MM`.
    pub label: String,
    /// First instant.
    pub start: Instant,
    /// End, exclusive.
    pub end: Instant,
}

/// The months from the first connection's month to the as-of day's month.
pub fn months(first: Instant, cutoff: Instant) -> Vec<Span> {
    let (mut y, mut m, _) = civil_from_days(day_of(first));
    let last = civil_from_days(day_of(cutoff - 1));
    let mut spans = Vec::new();
    while (y, m) <= (last.0, last.1) {
        let start = days_from_civil(y, m, 1) * DAY;
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let end = (days_from_civil(ny, nm, 1) * DAY).min(cutoff);
        spans.push(Span {
            label: format!("{y:04}-{m:02}"),
            start,
            end,
        });
        (y, m) = (ny, nm);
    }
    spans
}

/// A month's figures from identity and ties computed as of the month's end.
pub fn month(span: &Span, id: &Identified, ties: &[Tie]) -> Month {
    let mut connections = 0;
    let mut pollinated = 0;
    for t in ties {
        if id.people[t.alter as usize].is_connection {
            connections += 1;
            pollinated += t
                .pollination
                .as_ref()
                .is_some_and(|p| p.state.is_pollinated()) as u64;
        }
    }
    let (mut sent, mut received) = (0, 0);
    for m in id
        .messages
        .iter()
        .filter(|m| m.at >= span.start && m.at < span.end)
    {
        if m.sender == OWNER {
            sent += id.recipients_of(m).len() as u64;
        } else {
            received += 1;
        }
    }
    figures(
        span,
        id.has_messages,
        connections,
        pollinated,
        (sent, received),
    )
}

/// A month from its counts.
fn figures(
    span: &Span,
    has_messages: bool,
    connections: u64,
    pollinated: u64,
    (sent, received): (u64, u64),
) -> Month {
    let has = has_messages;
    Month {
        month: span.label.clone(),
        connections,
        pollinated: has.then_some(pollinated),
        never_pollinated_share: (has && connections > 0)
            .then(|| (connections - pollinated) as f64 / connections as f64),
        sent: has.then_some(sent),
        received: has.then_some(received),
    }
}

/// Months taken from the report's own identity and ties, for the months whose identity as of
/// their end is the report's restricted to the rows before it (`identity::unchanged_as_of`).
/// There a connection counts at a month's end `E` when its earliest row is before `E`, and is
/// pollinated when its first exchange is too: the tie's messages before `E` then hold an
/// exchange exactly when its first exchange is before `E`. Each month costs two binary searches.
pub struct FromReport {
    /// Each connection's earliest `Connected On`, sorted.
    connected: Vec<Instant>,
    /// For each pollinated connection, when it was both connected and pollinated, sorted.
    pollinated: Vec<Instant>,
    /// Tie messages sent and received within each span.
    messages: Vec<(u64, u64)>,
    has_messages: bool,
}

impl FromReport {
    /// Counts once what every month needs.
    pub fn new(spans: &[Span], id: &Identified, ties: &[Tie]) -> FromReport {
        let mut earliest = vec![Instant::MAX; id.people.len()];
        for &(p, at) in &id.stability.connections {
            earliest[p as usize] = earliest[p as usize].min(at);
        }
        let mut connected = Vec::new();
        let mut pollinated = Vec::new();
        for t in ties {
            let at = earliest[t.alter as usize];
            if at == Instant::MAX {
                continue;
            }
            connected.push(at);
            if let Some(first) = t.pollination.as_ref().and_then(|p| p.first_exchange_at) {
                pollinated.push(at.max(first));
            }
        }
        connected.par_sort_unstable();
        pollinated.par_sort_unstable();
        // Sent (bin 2i) and received (2i + 1) within span i, a part of the messages on each
        // thread (ten million took 0.15 s on one).
        let counts = crate::parallel::tally(&id.messages, 2 * spans.len(), |m, counts| {
            let i = spans.partition_point(|s| s.end <= m.at);
            if i == spans.len() || m.at < spans[i].start {
                return;
            }
            if m.sender == OWNER {
                counts[2 * i] += id.recipients_of(m).len() as u64;
            } else {
                counts[2 * i + 1] += 1;
            }
        });
        let messages = counts.chunks(2).map(|c| (c[0], c[1])).collect();
        FromReport {
            connected,
            pollinated,
            messages,
            has_messages: id.has_messages,
        }
    }

    /// The figures of `spans[i]`.
    pub fn month(&self, i: usize, span: &Span) -> Month {
        let before = |dates: &[Instant]| dates.partition_point(|&at| at < span.end) as u64;
        figures(
            span,
            self.has_messages,
            before(&self.connected),
            before(&self.pollinated),
            self.messages[i],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_to_the_cutoff() {
        let at = |y, m, d| days_from_civil(y, m, d) * DAY;
        let spans = months(at(2023, 11, 20) + 5, at(2024, 2, 10));
        let labels: Vec<_> = spans.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(spans[0].start, at(2023, 11, 1));
        assert_eq!(spans[1].end, at(2024, 1, 1));
        assert_eq!(spans[3].end, at(2024, 2, 10));
        // A cut-off on the first of a month ends the previous month there.
        let spans = months(at(2024, 1, 5), at(2024, 2, 1));
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].end, at(2024, 2, 1));
    }
}
