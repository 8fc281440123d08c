//! Invitations (METRICS.md §5): personalised or generic, accepted or pending, and whether a
//! personal note paid off.

use super::stats::{newcombe, wilson, Difference, Proportion, Z95};
use super::Tie;
use crate::export::Instant;
use crate::identity::{Identified, Invitation};

/// Whether an invitation's text is a personal note: non-empty and not LinkedIn's default
/// "I'd like to add you to my professional network" (with or without " on LinkedIn").
pub fn is_personalised(message: &str) -> bool {
    let text = message.trim().to_lowercase().replace('’', "'");
    let text = text.strip_suffix('.').unwrap_or(&text);
    const DEFAULT: &str = "i'd like to add you to my professional network";
    !(text.is_empty() || text == DEFAULT || text == format!("{DEFAULT} on linkedin"))
}

/// The invite effect for one direction (or both).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Effect {
    /// Accepted invitations with a personal note: pollinated of n, with Wilson interval.
    pub personalised: Option<Proportion>,
    /// Accepted invitations without one.
    pub generic: Option<Proportion>,
    /// Personalised − generic with Newcombe's interval.
    pub difference: Option<Difference>,
    /// Counts behind the proportions, kept when `n` = 0 too: (n, x) personalised, generic.
    pub counts: [(u64, u64); 2],
}

/// Everything §5 reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InvitationSummary {
    /// Distinct counterparts.
    pub counterparts: u64,
    /// Counterparts who are connections.
    pub accepted: u64,
    /// First and last `Sent At` of counted rows.
    pub window: Option<(Instant, Instant)>,
    /// Pending counterparts: outgoing, incoming.
    pub pending: (u64, u64),
    /// Counterparts keyed by a name shared by several URL-less connections.
    pub ambiguous: u64,
    /// Share of outgoing counterparts whose invitation carried a personal note.
    pub outgoing_note_share: Option<f64>,
    /// Outgoing, incoming and all; `None` without a messages file (pollination unknown).
    pub effect: Option<[Effect; 3]>,
}

/// The §5 figures from identity's counterparts and the ties.
pub fn summarise(
    id: &Identified,
    ties: &[Tie],
    rows_window: Option<(Instant, Instant)>,
) -> Option<InvitationSummary> {
    let invitations: &[Invitation] = id.invitations.as_deref()?;
    // By person id: a table, not a map of a million ties.
    let mut pollinated = vec![false; id.people.len()];
    for t in ties {
        if let Some(p) = &t.pollination {
            pollinated[t.alter as usize] = p.state.is_pollinated();
        }
    }
    let mut s = InvitationSummary {
        counterparts: invitations.len() as u64,
        window: rows_window,
        ..InvitationSummary::default()
    };
    // [direction][personalised? 0 : 1] → (n, x); direction 0 outgoing, 1 incoming.
    let mut cells = [[(0u64, 0u64); 2]; 2];
    let (mut outgoing, mut outgoing_notes) = (0u64, 0u64);
    for inv in invitations {
        let personalised = is_personalised(&inv.message);
        if inv.outgoing {
            outgoing += 1;
            outgoing_notes += personalised as u64;
        }
        let connection = inv.person.filter(|&p| id.people[p as usize].is_connection);
        if inv.ambiguous {
            s.ambiguous += 1;
        } else if let Some(p) = connection {
            s.accepted += 1;
            let cell = &mut cells[!inv.outgoing as usize][!personalised as usize];
            cell.0 += 1;
            cell.1 += pollinated.get(p as usize).copied().unwrap_or(false) as u64;
        } else if inv.outgoing {
            s.pending.0 += 1;
        } else {
            s.pending.1 += 1;
        }
    }
    s.outgoing_note_share = (outgoing > 0).then(|| outgoing_notes as f64 / outgoing as f64);
    if id.has_messages {
        let both = [0, 1].map(|k| (cells[0][k].0 + cells[1][k].0, cells[0][k].1 + cells[1][k].1));
        s.effect = Some([effect(cells[0]), effect(cells[1]), effect(both)]);
    }
    Some(s)
}

fn effect(cells: [(u64, u64); 2]) -> Effect {
    let personalised = wilson(cells[0].1, cells[0].0, Z95);
    let generic = wilson(cells[1].1, cells[1].0, Z95);
    let difference = match (&personalised, &generic) {
        (Some(a), Some(b)) => Some(newcombe(a, b)),
        _ => None,
    };
    Effect {
        personalised,
        generic,
        difference,
        counts: cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkedin_default_text_is_not_a_note() {
        assert!(!is_personalised(""));
        assert!(!is_personalised("   "));
        assert!(!is_personalised(
            "I’d like to add you to my professional network"
        ));
        assert!(!is_personalised(
            "I'd like to add you to my professional network."
        ));
        assert!(!is_personalised(
            " I'd like to add you to my professional network on LinkedIn. "
        ));
        assert!(is_personalised(
            "I'd like to add you to my professional network, Sam!"
        ));
        assert!(is_personalised(
            "Great talk at RustConf — let's stay in touch."
        ));
    }
}
