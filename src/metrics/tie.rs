//! Per-tie metrics (METRICS.md §4), computed in parallel over ties with rayon.

use rayon::prelude::*;
use serde::Serialize;

use super::{whole_days, Params};
use crate::export::{Instant, DAY};
use crate::identity::{Identified, Pid, OWNER};

/// A tie's state (METRICS.md §4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// No messages at all.
    #[default]
    Dormant,
    /// Messages, but no exchange.
    OneWay,
    /// Exchanged, and a message within `--active-days`.
    Active,
    /// Exchanged, but not within `--active-days`.
    Faded,
}

impl State {
    /// Every state, in report order.
    pub const ALL: [State; 4] = [State::Dormant, State::OneWay, State::Active, State::Faded];

    /// The state's name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            State::Dormant => "dormant",
            State::OneWay => "one_way",
            State::Active => "active",
            State::Faded => "faded",
        }
    }

    /// The state whose name in outputs is `name`.
    pub fn named(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Pollinated: at least one exchange.
    pub fn is_pollinated(self) -> bool {
        matches!(self, State::Active | State::Faded)
    }
}

/// A pollinated tie's Dunbar layer (METRICS.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Ranks 1–5.
    L5,
    /// Ranks 6–15.
    L15,
    /// Ranks 16–50.
    L50,
    /// Ranks 51–150.
    L150,
    /// Beyond 150.
    Outer,
}

impl Layer {
    /// Every layer, innermost first.
    pub const ALL: [Layer; 5] = [Layer::L5, Layer::L15, Layer::L50, Layer::L150, Layer::Outer];

    /// The layer's name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Layer::L5 => "5",
            Layer::L15 => "15",
            Layer::L50 => "50",
            Layer::L150 => "150",
            Layer::Outer => "outer",
        }
    }

    fn of_rank(rank: usize) -> Layer {
        match rank {
            1..=5 => Layer::L5,
            6..=15 => Layer::L15,
            16..=50 => Layer::L50,
            51..=150 => Layer::L150,
            _ => Layer::Outer,
        }
    }
}

/// Message-derived figures of one tie. Absent when the export has no messages file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pollination {
    /// Messages the owner sent to the alter.
    pub sent: u32,
    /// Messages received from the alter.
    pub received: u32,
    /// Distinct conversations holding a tie message.
    pub conversations: u32,
    /// Conversations with both a sent and a received tie message.
    pub exchanges: u32,
    /// Earliest tie message.
    pub first_message_at: Option<Instant>,
    /// Latest tie message.
    pub last_message_at: Option<Instant>,
    /// When the tie was first pollinated.
    pub first_exchange_at: Option<Instant>,
    /// `min(sent, received) / max(sent, received)`; 0 without messages.
    pub reciprocity: f64,
    /// Share of conversations the owner opened.
    pub initiative: Option<f64>,
    /// Median hours the owner took to reply.
    pub reply_hours_owner: Option<f64>,
    /// Median hours the alter took to reply.
    pub reply_hours_alter: Option<f64>,
    /// Whole days from connecting to the first message.
    pub days_to_first_message: Option<i64>,
    /// Whole days from connecting to the first exchange.
    pub days_to_pollination: Option<i64>,
    /// Decayed, reciprocity-weighted message sum.
    pub engagement: f64,
    /// The tie's state.
    pub state: State,
    /// The tie's layer, when pollinated.
    pub layer: Option<Layer>,
}

impl Pollination {
    /// `sent + received`.
    pub fn messages(&self) -> u32 {
        self.sent + self.received
    }
}

/// One tie: the owner and one alter.
#[derive(Clone, Debug)]
pub struct Tie {
    /// The alter.
    pub alter: Pid,
    /// Message-derived figures; `None` when the export has no messages file.
    pub pollination: Option<Pollination>,
}

/// One tie message: with whom, in which conversation, when, and whether the owner sent it.
/// Ordered by those four; at equal times the owner's message comes first (METRICS.md §4).
/// Packed into two words (sixteen bytes rather than twenty-four): sorting ten million of them
/// is most of the tie stage, and moves a third less memory so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    /// The alter in the high half, the conversation in the low.
    whose: u64,
    /// Twice the time, plus one when received (`at * 2 + received` keeps the order of
    /// `(at, received)` for every date orchard reads).
    when: i64,
}

impl Event {
    fn new(alter: Pid, conversation: u32, at: Instant, received: bool) -> Event {
        Event {
            whose: (u64::from(alter) << 32) | u64::from(conversation),
            when: at * 2 + i64::from(received),
        }
    }

    #[cfg(test)]
    fn alter(&self) -> Pid {
        (self.whose >> 32) as Pid
    }

    fn conversation(&self) -> u32 {
        self.whose as u32
    }

    fn at(&self) -> Instant {
        self.when >> 1
    }

    fn received(&self) -> bool {
        self.when & 1 == 1
    }
}

/// Every alter's tie, in person-id order (METRICS.md §4).
pub fn measure_ties(id: &Identified, params: &Params) -> Vec<Tie> {
    let alters: Vec<Pid> = (0..id.people.len() as Pid)
        .into_par_iter()
        .filter(|&p| id.people[p as usize].is_alter)
        .collect();
    if !id.has_messages {
        return alters
            .into_iter()
            .map(|alter| Tie {
                alter,
                pollination: None,
            })
            .collect();
    }
    // Each message's events go to its alters: the owner's recipients, or the sender.
    fn event_alters<'a>(id: &'a Identified, m: &'a crate::identity::Message) -> (&'a [Pid], bool) {
        if m.sender == OWNER {
            (id.recipients_of(m), false)
        } else {
            (std::slice::from_ref(&m.sender), true)
        }
    }
    // The events grouped by alter with a counting sort, then each alter's sorted on its own
    // thread: one comparison sort of every event (ten million on tier L) was most of the tie
    // stage. Counted on every thread (a table of counts each, eight at most: each is four bytes
    // a person).
    let per_thread = id
        .messages
        .len()
        .div_ceil(rayon::current_num_threads().min(8))
        .max(1);
    let counts = id
        .messages
        .par_chunks(per_thread)
        .map(|messages| {
            let mut counts = vec![0u32; id.people.len()];
            for m in messages {
                event_alters(id, m)
                    .0
                    .iter()
                    .for_each(|&a| counts[a as usize] += 1);
            }
            counts
        })
        .reduce_with(|mut a, b| {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
            a
        })
        .unwrap_or_else(|| vec![0; id.people.len()]);
    // Where each person's events start, and (last) where they end.
    let mut starts: Vec<usize> = Vec::with_capacity(id.people.len() + 1);
    let mut total = 0;
    for &n in &counts {
        starts.push(total);
        total += n as usize;
    }
    starts.push(total);
    drop(counts);
    // Placed and sorted in parts of about equal numbers of events, each a range of people
    // and its own slice of the events, on every thread: each part's thread reads every
    // message and keeps its people's events.
    // (Filled on every thread: the first touch of fresh memory is dear.)
    let mut events = Vec::with_capacity(total);
    events.par_extend(rayon::iter::repeat_n(Event { whose: 0, when: 0 }, total));
    let parts = rayon::current_num_threads().clamp(1, 8);
    let people = id.people.len();
    let bounds: Vec<usize> = (0..=parts)
        .map(|k| match k {
            0 => 0,
            k if k == parts => people,
            k => starts[..people].partition_point(|&s| s < k * total / parts),
        })
        .collect();
    let mut slices = Vec::with_capacity(parts);
    let mut rest = &mut events[..];
    for w in bounds.windows(2) {
        let (part, after) = rest.split_at_mut(starts[w[1]] - starts[w[0]]);
        slices.push((w[0]..w[1], part));
        rest = after;
    }
    slices.into_par_iter().for_each(|(range, part)| {
        let base = starts[range.start];
        let mut next: Vec<usize> = starts[range.clone()].iter().map(|&s| s - base).collect();
        for m in &id.messages {
            let (to, received) = event_alters(id, m);
            for &alter in to {
                if range.contains(&(alter as usize)) {
                    let at = &mut next[alter as usize - range.start];
                    part[*at] = Event::new(alter, m.conversation, m.at, received);
                    *at += 1;
                }
            }
        }
        for p in range {
            part[starts[p] - base..starts[p + 1] - base].sort_unstable();
        }
    });

    let cutoff = params.cutoff();
    let mut ties: Vec<Tie> = alters
        .par_iter()
        .map_init(Scratch::default, |scratch, &alter| {
            let run = &events[starts[alter as usize]..starts[alter as usize + 1]];
            let connected_on = id.people[alter as usize].connected_on;
            let p = pollinate(run, connected_on, cutoff, params, scratch);
            Tie {
                alter,
                pollination: Some(p),
            }
        })
        .collect();
    assign_layers(&mut ties, id);
    ties
}

/// The median of a list (mean of the middle two for an even count).
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// Buffers one thread reuses from tie to tie.
#[derive(Default)]
struct Scratch {
    owner_gaps: Vec<f64>,
    alter_gaps: Vec<f64>,
    ages: Vec<Instant>,
}

/// The figures of one tie from its events, sorted by conversation, time, owner first.
fn pollinate(
    events: &[Event],
    connected_on: Option<Instant>,
    cutoff: Instant,
    params: &Params,
    scratch: &mut Scratch,
) -> Pollination {
    let mut p = Pollination::default();
    let mut opened_by_owner = 0u32;
    let Scratch {
        owner_gaps,
        alter_gaps,
        ages,
    } = scratch;
    owner_gaps.clear();
    alter_gaps.clear();
    ages.clear();
    for conv in events.chunk_by(|a, b| a.conversation() == b.conversation()) {
        p.conversations += 1;
        if !conv[0].received() {
            opened_by_owner += 1;
        }
        let first_sent = conv.iter().find(|e| !e.received()).map(|e| e.at());
        let first_received = conv.iter().find(|e| e.received()).map(|e| e.at());
        if let (Some(a), Some(b)) = (first_sent, first_received) {
            p.exchanges += 1;
            let at = a.max(b);
            p.first_exchange_at = Some(p.first_exchange_at.map_or(at, |f| f.min(at)));
        }
        for pair in conv.windows(2) {
            if pair[0].received() != pair[1].received() {
                let hours = (pair[1].at() - pair[0].at()) as f64 / 3600.0;
                if pair[1].received() {
                    alter_gaps.push(hours);
                } else {
                    owner_gaps.push(hours);
                }
            }
        }
        for e in conv {
            if e.received() {
                p.received += 1;
            } else {
                p.sent += 1;
            }
        }
    }
    p.first_message_at = events.iter().map(|e| e.at()).min();
    p.last_message_at = events.iter().map(|e| e.at()).max();
    let (lo, hi) = (p.sent.min(p.received), p.sent.max(p.received));
    p.reciprocity = if hi == 0 { 0.0 } else { lo as f64 / hi as f64 };
    p.initiative = (p.conversations > 0).then(|| opened_by_owner as f64 / p.conversations as f64);
    p.reply_hours_owner = median(owner_gaps);
    p.reply_hours_alter = median(alter_gaps);
    if let Some(c) = connected_on {
        p.days_to_first_message = p.first_message_at.map(|t| whole_days(c, t));
        p.days_to_pollination = p.first_exchange_at.map(|t| whole_days(c, t));
    }
    let weight = 0.25 + 0.75 * p.reciprocity;
    // Terms are added in time order, whatever order the conversations were numbered in (it
    // follows the file), so that reordering rows cannot change the last bit of the sum; the
    // fold starts from +0.0 because `Sum` for floats starts at -0.0 ("-0.0" when empty).
    ages.extend(events.iter().map(|e| e.at()));
    ages.sort_unstable();
    p.engagement = ages.iter().fold(0.0, |acc, &at| {
        let age = (cutoff - at) as f64 / DAY as f64;
        acc + (-age / params.half_life).exp2() * weight
    });
    p.state = match (p.messages(), p.exchanges, p.last_message_at) {
        (0, _, _) => State::Dormant,
        (_, 0, _) => State::OneWay,
        (_, _, Some(last)) if last >= cutoff - params.active_days as i64 * DAY => State::Active,
        _ => State::Faded,
    };
    p
}

/// Ranks pollinated ties by engagement desc, last message desc, key asc (METRICS.md §4).
fn assign_layers(ties: &mut [Tie], id: &Identified) {
    let mut ranked: Vec<usize> = (0..ties.len())
        .filter(|&i| {
            ties[i]
                .pollination
                .as_ref()
                .is_some_and(|p| p.state.is_pollinated())
        })
        .collect();
    // A total order (keys are unique): sorted on every thread.
    ranked.par_sort_unstable_by(|&a, &b| {
        let (pa, pb) = (
            ties[a].pollination.as_ref().unwrap(),
            ties[b].pollination.as_ref().unwrap(),
        );
        pb.engagement
            .total_cmp(&pa.engagement)
            .then(pb.last_message_at.cmp(&pa.last_message_at))
            .then_with(|| {
                id.people[ties[a].alter as usize]
                    .key
                    .cmp(&id.people[ties[b].alter as usize].key)
            })
    });
    for (rank, i) in ranked.into_iter().enumerate() {
        if let Some(p) = ties[i].pollination.as_mut() {
            p.layer = Some(Layer::of_rank(rank + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_found_by_its_output_name_and_nothing_else() {
        for s in State::ALL {
            assert_eq!(State::named(s.name()), Some(s));
        }
        assert_eq!(State::named("one-way"), None);
        assert_eq!(State::named(""), None);
    }

    fn ev(conversation: u32, at: Instant, received: bool) -> Event {
        Event::new(1, conversation, at, received)
    }

    #[test]
    fn events_unpack_and_sort_as_their_fields() {
        let fields = [
            (2, 1, -5, true),
            (2, 1, -5, false),
            (1, 9, 100, false),
            (2, 0, 7, true),
            (Pid::MAX, u32::MAX, Instant::MIN / 4, true),
            (2, 1, -6, true),
        ];
        let mut events: Vec<Event> = fields
            .iter()
            .map(|&(a, c, t, r)| Event::new(a, c, t, r))
            .collect();
        for (e, &(a, c, t, r)) in events.iter().zip(&fields) {
            assert_eq!(
                (e.alter(), e.conversation(), e.at(), e.received()),
                (a, c, t, r)
            );
        }
        events.sort();
        let mut want = fields.to_vec();
        want.sort();
        let got: Vec<_> = events
            .iter()
            .map(|e| (e.alter(), e.conversation(), e.at(), e.received()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_messages_file_without_a_counted_message_leaves_every_tie_dormant() {
        use crate::identity::{Owner, OwnerSource, Person};
        let person = |is_alter| Person {
            is_alter,
            is_connection: is_alter,
            ..Person::default()
        };
        let id = Identified {
            owner: Owner {
                name: None,
                key: None,
                source: OwnerSource::Unknown,
            },
            people: vec![person(false), person(true), person(true)],
            messages: Vec::new(),
            recipients: Vec::new(),
            conversations: 0,
            ambiguous_names: 0,
            has_messages: true,
            stability: Default::default(),
            invitations: None,
        };
        let ties = measure_ties(&id, &params());
        assert_eq!(ties.iter().map(|t| t.alter).collect::<Vec<_>>(), [1, 2]);
        for t in &ties {
            let p = t.pollination.as_ref().expect("measured");
            assert_eq!((p.state, p.messages()), (State::Dormant, 0));
        }
    }

    /// One tie's figures, with buffers of its own.
    fn pollinate(
        events: &[Event],
        connected_on: Option<Instant>,
        cutoff: Instant,
        params: &Params,
    ) -> Pollination {
        super::pollinate(
            events,
            connected_on,
            cutoff,
            params,
            &mut Scratch::default(),
        )
    }

    fn params() -> Params {
        Params {
            as_of: 99,
            active_days: 10,
            half_life: 1.0,
            burst_min: 10,
        }
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn one_conversation_worked_by_hand() {
        // Cut-off = day 100. Owner writes at day 98 00:00, alter replies 2 h later, owner
        // replies 4 h after that, alter sends again 1 h later (not a reply: same side? no —
        // alternates: owner→alter→owner→alter).
        let d = 98 * DAY;
        let mut events = vec![
            ev(7, d, false),
            ev(7, d + 2 * 3600, true),
            ev(7, d + 6 * 3600, false),
            ev(7, d + 7 * 3600, true),
        ];
        events.sort();
        let p = pollinate(&events, Some(90 * DAY), 100 * DAY, &params());
        assert_eq!(
            (p.sent, p.received, p.conversations, p.exchanges),
            (2, 2, 1, 1)
        );
        assert_eq!(p.first_exchange_at, Some(d + 2 * 3600));
        assert_eq!(p.reciprocity, 1.0);
        assert_eq!(p.initiative, Some(1.0));
        assert_eq!(p.reply_hours_alter, Some(1.5)); // gaps 2 h and 1 h
        assert_eq!(p.reply_hours_owner, Some(4.0));
        assert_eq!(p.days_to_first_message, Some(8));
        assert_eq!(p.days_to_pollination, Some(8));
        assert_eq!(p.state, State::Active);
        // Ages in days: 2, 2-2/24, 2-6/24, 2-7/24 with H = 1; weight 1.
        let want: f64 = [2.0, 2.0 - 2.0 / 24.0, 2.0 - 6.0 / 24.0, 2.0 - 7.0 / 24.0]
            .iter()
            .map(|a: &f64| (-a).exp2())
            .sum();
        assert!((p.engagement - want).abs() < 1e-12);
    }

    #[test]
    fn ties_in_time_go_to_the_owner() {
        let mut events = vec![ev(1, 50, true), ev(1, 50, false)];
        events.sort();
        let p = pollinate(&events, None, 100 * DAY, &params());
        assert_eq!(p.initiative, Some(1.0));
        assert_eq!(p.reply_hours_alter, Some(0.0));
        assert_eq!(p.reply_hours_owner, None);
        assert_eq!(p.days_to_first_message, None);
    }

    #[test]
    fn states_by_exchange_and_recency() {
        let cutoff = 100 * DAY;
        let one_way = pollinate(&[ev(1, 0, false), ev(2, 5, false)], None, cutoff, &params());
        assert_eq!(
            (one_way.state, one_way.reciprocity, one_way.exchanges),
            (State::OneWay, 0.0, 0)
        );
        // Exchange in different conversations is no exchange.
        let split = pollinate(&[ev(1, 0, false), ev(2, 5, true)], None, cutoff, &params());
        assert_eq!(split.state, State::OneWay);
        assert_eq!(split.reciprocity, 1.0);
        // Last message exactly at C − active_days is still active; one second earlier, faded.
        let edge = cutoff - 10 * DAY;
        let active = pollinate(
            &[ev(1, edge - 5, false), ev(1, edge, true)],
            None,
            cutoff,
            &params(),
        );
        assert_eq!(active.state, State::Active);
        let faded = pollinate(
            &[ev(1, edge - 5, false), ev(1, edge - 1, true)],
            None,
            cutoff,
            &params(),
        );
        assert_eq!(faded.state, State::Faded);
        let dormant = pollinate(&[], Some(0), cutoff, &params());
        assert_eq!(
            (dormant.state, dormant.initiative, dormant.engagement),
            (State::Dormant, None, 0.0)
        );
    }

    #[test]
    fn negative_days_when_messages_came_before_connecting() {
        let p = pollinate(
            &[ev(1, 10 * DAY - 1, false), ev(1, 10 * DAY, true)],
            Some(10 * DAY),
            100 * DAY,
            &params(),
        );
        assert_eq!(p.days_to_first_message, Some(-1));
        assert_eq!(p.days_to_pollination, Some(0));
    }

    #[test]
    fn layer_ranks() {
        assert_eq!(Layer::of_rank(5), Layer::L5);
        assert_eq!(Layer::of_rank(6), Layer::L15);
        assert_eq!(Layer::of_rank(50), Layer::L50);
        assert_eq!(Layer::of_rank(150), Layer::L150);
        assert_eq!(Layer::of_rank(151), Layer::Outer);
    }
}
