//! Network-level figures over connections (METRICS.md §6; this part: counts and shares by
//! state, message partners, layers).

use serde::Serialize;

use super::tie::{Layer, State, Tie};
use crate::identity::Identified;

/// Counts by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    /// No messages.
    pub dormant: u64,
    /// Messages, no exchange.
    pub one_way: u64,
    /// Exchanged recently.
    pub active: u64,
    /// Exchanged, not recently.
    pub faded: u64,
}

impl StateCounts {
    /// Counts one more in state `s`.
    pub fn add(&mut self, s: State) {
        *match s {
            State::Dormant => &mut self.dormant,
            State::OneWay => &mut self.one_way,
            State::Active => &mut self.active,
            State::Faded => &mut self.faded,
        } += 1;
    }
    /// The count of one state.
    pub fn get(&self, s: State) -> u64 {
        match s {
            State::Dormant => self.dormant,
            State::OneWay => self.one_way,
            State::Active => self.active,
            State::Faded => self.faded,
        }
    }
    /// All four added up.
    pub fn total(&self) -> u64 {
        self.dormant + self.one_way + self.active + self.faded
    }
    /// Active plus faded.
    pub fn pollinated(&self) -> u64 {
        self.active + self.faded
    }
    /// Each state's share of all four; `None` when there are none.
    pub fn shares(&self) -> Option<StateShares> {
        let n = self.total();
        (n > 0).then(|| {
            let n = n as f64;
            StateShares {
                dormant: self.dormant as f64 / n,
                one_way: self.one_way as f64 / n,
                active: self.active as f64 / n,
                faded: self.faded as f64 / n,
            }
        })
    }
    /// Dormant plus one-way over all four (the headline); `None` when there are none.
    pub fn never_pollinated_share(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| (self.dormant + self.one_way) as f64 / n as f64)
    }
}

/// Shares by state, fractions of connections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct StateShares {
    /// Dormant share.
    pub dormant: f64,
    /// One-way share.
    pub one_way: f64,
    /// Active share.
    pub active: f64,
    /// Faded share.
    pub faded: f64,
}

impl StateShares {
    /// The share of one state.
    pub fn get(&self, s: State) -> f64 {
        match s {
            State::Dormant => self.dormant,
            State::OneWay => self.one_way,
            State::Active => self.active,
            State::Faded => self.faded,
        }
    }
}

/// Counts by layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LayerCounts {
    /// Ranks 1–5.
    #[serde(rename = "5")]
    pub l5: u64,
    /// Ranks 6–15.
    #[serde(rename = "15")]
    pub l15: u64,
    /// Ranks 16–50.
    #[serde(rename = "50")]
    pub l50: u64,
    /// Ranks 51–150.
    #[serde(rename = "150")]
    pub l150: u64,
    /// Beyond.
    pub outer: u64,
}

/// The network figures of this scope.
#[derive(Clone, Debug, Default)]
pub struct NetworkSummary {
    /// Counted connections.
    pub connections: u64,
    /// Message partners (alters who are not connections).
    pub partners: u64,
    /// State counts over connections; `None` without a messages file.
    pub states: Option<StateCounts>,
    /// State shares over connections; `None` without messages or connections.
    pub shares: Option<StateShares>,
    /// `(dormant + one_way) / connections`.
    pub never_pollinated_share: Option<f64>,
    /// State counts over message partners.
    pub message_partners: Option<StateCounts>,
    /// Pollinated ties (all alters) by layer.
    pub layers: Option<LayerCounts>,
}

/// Adds up the ties (METRICS.md §6: counts and shares by state, message partners, layers).
pub fn summarise(ties: &[Tie], id: &Identified) -> NetworkSummary {
    let mut s = NetworkSummary::default();
    let mut states = StateCounts::default();
    let mut partners = StateCounts::default();
    let mut layers = LayerCounts::default();
    for t in ties {
        let is_connection = id.people[t.alter as usize].is_connection;
        if is_connection {
            s.connections += 1;
        } else {
            s.partners += 1;
        }
        let Some(p) = &t.pollination else { continue };
        if is_connection {
            states.add(p.state);
        } else {
            partners.add(p.state);
        }
        if let Some(l) = p.layer {
            *match l {
                Layer::L5 => &mut layers.l5,
                Layer::L15 => &mut layers.l15,
                Layer::L50 => &mut layers.l50,
                Layer::L150 => &mut layers.l150,
                Layer::Outer => &mut layers.outer,
            } += 1;
        }
    }
    if id.has_messages {
        s.states = Some(states);
        s.message_partners = Some(partners);
        s.layers = Some(layers);
        s.shares = states.shares();
        s.never_pollinated_share = states.never_pollinated_share();
    }
    s
}
