//! The plan of an export, decided before a byte is written: every connection's date, kind of
//! tie, invitation, planned last message and exact row budget. One small struct per
//! connection; messages themselves are decided later, one conversation at a time.
//!
//! A tie's kind fixes its state's pollination once and for all, whatever conversations
//! orchard later merges (2018 files have no conversation ids, so all of a tie's one-to-one
//! threads become one conversation there):
//! - `Pollinated`: its newest one-to-one thread holds a message each way;
//! - `GroupOnly`: no one-to-one thread, but it writes in a group thread where the owner writes;
//! - `PitchOut`: only the owner writes to it (one-to-one, or in groups it never writes in);
//! - `PitchIn`: only it writes to the owner (one-to-one, or in groups the owner never writes in).
//!
//! Merging conversations can only create exchanges, and a pitch tie never has both directions
//! anywhere, so its state is one-way however orchard groups its messages.

use super::rng::Rng;
use super::table::DAY;
use super::Era;

/// What kind of tie a connection has with the owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Never a message.
    Dormant,
    /// A one-to-one exchange.
    Pollinated,
    /// An exchange in a group thread only.
    GroupOnly,
    /// The owner wrote, never the alter.
    PitchOut,
    /// The alter wrote, never the owner to them.
    PitchIn,
}

/// Flag bits of a [`Tie`].
pub(crate) mod flag {
    /// Connected on an accept-all day.
    pub const BURST: u8 = 1;
    /// Shares the previous connection's name (deliberately: METRICS.md §1 shared names).
    pub const TWIN: u8 = 2;
    /// Starts a group thread.
    pub const HOST: u8 = 4;
    /// The group thread it starts is one the owner never writes in.
    pub const SILENT: u8 = 8;
    /// Has an invitation row.
    pub const INVITED: u8 = 16;
    /// The owner sent that invitation.
    pub const INVITE_OUT: u8 = 32;
    /// Wears credentials with a bare comma after their name, which `TO` splitting cuts apart
    /// and known names glue back (METRICS.md §3): planted on a few messaged ties.
    pub const CREDENTIALS: u8 = 64;
}

/// The note of an invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Note {
    /// No note.
    Empty,
    /// LinkedIn's default text (not personal, METRICS.md §5).
    Default,
    /// A personal note.
    Personal,
}

/// One connection: what was planned, and (filled in while messages are written) what its
/// counted messages turned out to be.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tie {
    /// `Connected On`, days since 1970-01-01.
    pub day: i32,
    /// Its kind.
    pub kind: Kind,
    /// [`flag`] bits.
    pub flags: u8,
    /// Its invitation's note, when invited.
    pub note: Note,
    /// Days between the invitation and the connection.
    pub lag: u8,
    /// Rows of its one-to-one threads.
    pub rows: u32,
    /// Rows of the group thread it starts.
    pub group_rows: u32,
    /// The planned time of its last one-to-one message.
    pub end: i64,
    /// Its latest counted tie message so far (`i64::MIN`: none).
    pub last: i64,
    /// Any counted tie message.
    pub messaged: bool,
    /// A conversation with a message each way.
    pub exchanged: bool,
}

impl Tie {
    /// Whether a flag is set.
    pub fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }

    /// Records a counted tie message at `t`.
    pub fn saw(&mut self, t: i64) {
        self.messaged = true;
        self.last = self.last.max(t);
    }
}

/// Quirk rows of `Connections.csv` (METRICS.md §3 buckets).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ConnectionQuirks {
    /// Members who hide their profile: only a date.
    pub blank: u64,
    /// Exact copies of the row before.
    pub duplicate: u64,
    /// The same URL again with another position (URL eras only).
    pub url_duplicate: u64,
    /// No `Connected On`.
    pub bad_date: u64,
    /// An unquoted comma: one field too many.
    pub malformed: u64,
}

impl ConnectionQuirks {
    fn total(&self) -> u64 {
        self.blank + self.duplicate + self.url_duplicate + self.bad_date + self.malformed
    }
}

/// Quirk rows of `messages.csv`, in the order their buckets are tested.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MessageQuirks {
    /// An unquoted comma in `CONTENT`.
    pub malformed: u64,
    /// Exact copies of a counted row.
    pub duplicate: u64,
    /// Unsent drafts (formats with conversation ids only).
    pub draft: u64,
    /// `Sponsored Conversation` (formats with titles only).
    pub sponsored: u64,
    /// Folder `SPAM`.
    pub spam: u64,
    /// `LinkedIn Member`, or empty `FROM`, `TO` and `CONTENT`.
    pub anonymous: u64,
    /// No `DATE`.
    pub bad_date: u64,
}

impl MessageQuirks {
    fn total(&self) -> u64 {
        self.malformed
            + self.duplicate
            + self.draft
            + self.sponsored
            + self.spam
            + self.anonymous
            + self.bad_date
    }
}

/// Everything decided up front.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The era.
    pub era: Era,
    /// The as-of day `D`: the latest date written.
    pub as_of: i64,
    /// `D + 1 day` at 00:00Z: nothing is dated at or after it.
    pub cutoff: i64,
    /// The earliest connection day.
    pub first_day: i64,
    /// One per counted connection, newest first (the order of `Connections.csv`).
    pub ties: Vec<Tie>,
    /// Quirk rows of `Connections.csv`.
    pub connection_quirks: ConnectionQuirks,
    /// Quirk rows of `messages.csv`.
    pub message_quirks: MessageQuirks,
    /// Counted rows of `messages.csv`.
    pub counted_messages: u64,
    /// Counted rows in conversations with people who are not connections.
    pub partner_rows: u64,
}

/// The most rows one tie's one-to-one threads, or one group thread, may have.
const MOST_ROWS: u32 = 500_000;

/// `n × per_10k / 10,000`, but at least 1 once `n` reaches `min_at` (so that small exports
/// still show every quirk).
fn share(n: u64, per_10k: u64, min_at: u64) -> u64 {
    let k = n.saturating_mul(per_10k) / 10_000;
    if k == 0 && n >= min_at {
        1
    } else {
        k
    }
}

/// The fewest one-to-one rows a kind needs.
fn one_to_one_min(kind: Kind) -> u64 {
    match kind {
        Kind::Pollinated => 2,
        Kind::PitchOut | Kind::PitchIn => 1,
        Kind::Dormant | Kind::GroupOnly => 0,
    }
}

/// The fewest rows a tie needs, its group thread included.
fn min_rows(t: &Tie) -> u64 {
    let group = match (t.has(flag::HOST), t.kind) {
        (false, _) => 0,
        // The owner and the group-only alter each write once.
        (true, Kind::GroupOnly) => 2,
        (true, _) => 1,
    };
    one_to_one_min(t.kind) + group
}

impl Plan {
    /// Plans an export of `connections` and `messages` rows.
    pub fn new(era: Era, seed: u64, connections: u64, messages: u64) -> Plan {
        let mut rng = Rng::new(seed, 1);
        let as_of = era.as_of_day();
        let cutoff = (as_of + 1) * DAY;
        let active_from = cutoff - 365 * DAY;
        let first_day = as_of - era.span_years() * 365;
        let url_era = era.connections_have_urls();

        let connection_quirks = ConnectionQuirks {
            blank: share(connections, 120, 50),
            duplicate: share(connections, 20, 100),
            url_duplicate: if url_era {
                share(connections, 10, 150)
            } else {
                0
            },
            bad_date: share(connections, 5, 200),
            malformed: share(connections, 3, 300),
        };
        let people = (connections - connection_quirks.total()) as usize;
        let mut ties = connection_days(&mut rng, people, first_day, as_of);

        // Shared names: common in every era; without URLs they are different people that no
        // message can be attributed to (METRICS.md §1), so there they stay dormant.
        for j in 1..people {
            if !ties[j - 1].has(flag::TWIN) && rng.chance(0.008) {
                ties[j].flags |= flag::TWIN;
            }
        }
        plan_invitations(&mut rng, &mut ties, as_of);
        for j in 0..people {
            let shared =
                ties[j].has(flag::TWIN) || ties.get(j + 1).is_some_and(|t| t.has(flag::TWIN));
            let t = &mut ties[j];
            t.kind = if !url_era && shared {
                Kind::Dormant
            } else {
                pick_kind(&mut rng, t)
            };
            plan_timing(&mut rng, t, era, active_from, cutoff);
        }

        let m = messages;
        let message_quirks = MessageQuirks {
            malformed: share(m, 3, 2000),
            duplicate: share(m, 20, 500),
            draft: if era.has_conversation_ids() {
                share(m, 20, 400)
            } else {
                0
            },
            sponsored: if era.has_titles() {
                share(m, 80, 200)
            } else {
                0
            },
            spam: share(m, 40, 300),
            anonymous: share(m, 30, 300),
            bad_date: share(m, 5, 1000),
        };
        let counted_messages = m - message_quirks.total();
        let mut plan = Plan {
            era,
            as_of,
            cutoff,
            first_day,
            ties,
            connection_quirks,
            message_quirks,
            counted_messages,
            partner_rows: 0,
        };
        plan.budget(&mut rng);
        plan.plant_credentials();
        plan
    }

    /// Marks the first group host the owner writes to, the first group-only tie and the first
    /// pitched tie, so that every export holds bare-comma names in one-to-one and group `TO`s.
    fn plant_credentials(&mut self) {
        let wanted: [fn(&Tie) -> bool; 3] = [
            |t| t.kind == Kind::Pollinated && t.has(flag::HOST) && !t.has(flag::SILENT),
            |t| t.kind == Kind::GroupOnly,
            |t| t.kind == Kind::PitchOut,
        ];
        for want in wanted {
            if let Some(t) = self
                .ties
                .iter_mut()
                .find(|t| want(t) && !t.has(flag::CREDENTIALS))
            {
                t.flags |= flag::CREDENTIALS;
            }
        }
    }

    /// The names that wear planted credentials.
    pub fn credential_names(&self) -> Vec<u64> {
        (0..self.ties.len())
            .filter(|&j| self.ties[j].has(flag::CREDENTIALS))
            .map(|j| self.name_of(j))
            .collect()
    }

    /// The person index whose name connection `j` bears.
    pub fn name_of(&self, j: usize) -> u64 {
        (j - usize::from(self.ties[j].has(flag::TWIN))) as u64
    }

    /// Shares the counted rows out exactly: every tie its minimum, then the rest by
    /// heavy-tailed weights (cumulative rounding, so the parts add up to the whole).
    fn budget(&mut self, rng: &mut Rng) {
        let mut cost: u64 = self.ties.iter().map(min_rows).sum();
        // Too few messages for every planned tie: the oldest ties stay dormant.
        let mut j = self.ties.len();
        while cost > self.counted_messages && j > 0 {
            j -= 1;
            let t = &mut self.ties[j];
            if t.kind != Kind::Dormant {
                cost -= min_rows(t);
                t.kind = Kind::Dormant;
                t.flags &= !(flag::HOST | flag::SILENT);
            }
        }
        let surplus = self.counted_messages - cost;
        let has_ties = self.ties.iter().any(|t| one_to_one_min(t.kind) > 0);
        let has_groups = self.ties.iter().any(|t| t.has(flag::HOST));
        let mut partner_rows = surplus * 12 / 100;
        let group_extra = if has_groups { surplus / 10 } else { 0 };
        let mut tie_extra = surplus - partner_rows - group_extra;
        if !has_ties {
            partner_rows += tie_extra;
            tie_extra = 0;
        }
        self.partner_rows = partner_rows;

        // Weights first (kept in the row fields), then the exact shares.
        for t in &mut self.ties {
            t.rows = match t.kind {
                Kind::Pollinated => (rng.heavy(400.0) * 4000.0) as u32,
                Kind::PitchOut => 300,
                Kind::PitchIn => 400,
                Kind::Dormant | Kind::GroupOnly => 0,
            };
            t.group_rows = if t.has(flag::HOST) {
                (rng.heavy(100.0) * 1000.0) as u32
            } else {
                0
            };
        }
        let total_w: u128 = self.ties.iter().map(|t| u128::from(t.rows)).sum();
        let total_g: u128 = self.ties.iter().map(|t| u128::from(t.group_rows)).sum();
        let (mut cum_w, mut cum_g) = (0u128, 0u128);
        let (mut given_w, mut given_g) = (0u64, 0u64);
        for t in &mut self.ties {
            let group_min = min_rows(t) - one_to_one_min(t.kind);
            cum_w += u128::from(t.rows);
            cum_g += u128::from(t.group_rows);
            let upto_w = share_of(tie_extra, cum_w, total_w);
            let upto_g = share_of(group_extra, cum_g, total_g);
            t.rows = (one_to_one_min(t.kind) + upto_w - given_w) as u32;
            t.group_rows = (group_min + upto_g - given_g) as u32;
            (given_w, given_g) = (upto_w, upto_g);
            // One timeline of rows a minute or more apart must stay within a few years (2018
            // dates have two-digit years): the excess goes to threads with non-connections.
            for rows in [&mut t.rows, &mut t.group_rows] {
                if *rows > MOST_ROWS {
                    self.partner_rows += u64::from(*rows - MOST_ROWS);
                    *rows = MOST_ROWS;
                }
            }
        }
    }

    /// Connections with any planned message.
    pub fn active_ties(&self) -> u64 {
        self.ties.iter().filter(|t| t.kind != Kind::Dormant).count() as u64
    }
}

/// `total × cum / whole`, exactly; 0 when there is no weight.
fn share_of(total: u64, cum: u128, whole: u128) -> u64 {
    (u128::from(total) * cum).checked_div(whole).unwrap_or(0) as u64
}

/// `Connected On` of every connection, newest first: spread over the era's years with more
/// in recent ones, plus accept-all days (bursts) of 10–34 connections each. The newest is
/// the as-of day, so that `D` is known before anything is written.
fn connection_days(rng: &mut Rng, people: usize, first_day: i64, as_of: i64) -> Vec<Tie> {
    let span = as_of - first_day;
    let mut days: Vec<(i32, bool)> = Vec::with_capacity(people);
    let mut left = people;
    for _ in 0..(people + 250) / 500 {
        if left < 20 {
            break;
        }
        let size = (10 + rng.below(25) as usize).min(left / 2);
        let day = as_of - rng.below((span * 4 / 5) as u64) as i64;
        days.extend(std::iter::repeat_n((day as i32, true), size));
        left -= size;
    }
    for _ in 0..left {
        let u = rng.unit();
        // Half uniform, half with a density rising towards the present.
        let x = if rng.chance(0.5) { u } else { u.sqrt() };
        let day = (first_day + (span as f64 * x) as i64).min(as_of);
        days.push((day as i32, false));
    }
    days.sort_by_key(|d| std::cmp::Reverse(d.0));
    if let Some(d) = days.first_mut() {
        d.0 = as_of as i32;
    }
    days.into_iter()
        .map(|(day, burst)| Tie {
            day,
            kind: Kind::Dormant,
            flags: if burst { flag::BURST } else { 0 },
            note: Note::Empty,
            lag: 0,
            rows: 0,
            group_rows: 0,
            end: 0,
            last: i64::MIN,
            messaged: false,
            exchanged: false,
        })
        .collect()
}

/// Invitations cover the last ~10 months (FORMATS.md): most connections made then have one,
/// sent by the owner or to them; bursts are accept-all days of the owner's bare invitations.
fn plan_invitations(rng: &mut Rng, ties: &mut [Tie], as_of: i64) {
    let window = as_of - 300;
    for t in ties.iter_mut().filter(|t| i64::from(t.day) >= window) {
        if t.has(flag::BURST) {
            if rng.chance(0.9) {
                t.flags |= flag::INVITED | flag::INVITE_OUT;
                t.lag = rng.below(2) as u8;
            }
            continue;
        }
        if !rng.chance(0.7) {
            continue;
        }
        let outgoing = rng.chance(0.55);
        t.flags |= flag::INVITED | if outgoing { flag::INVITE_OUT } else { 0 };
        let personal = if outgoing { 0.12 } else { 0.08 };
        let u = rng.unit();
        t.note = if u < personal {
            Note::Personal
        } else if u < personal + 0.05 {
            Note::Default
        } else {
            Note::Empty
        };
        t.lag = if rng.chance(0.6) {
            0
        } else {
            1 + rng.below(14) as u8
        };
    }
}

/// About 9 in 10 connections stay dormant; a personal invitation note makes a tie likelier
/// to be used and to be pollinated; accept-all bursts rarely lead anywhere.
fn pick_kind(rng: &mut Rng, t: &Tie) -> Kind {
    let invited_note = if t.has(flag::INVITED) {
        t.note
    } else {
        Note::Empty
    };
    let p = if t.has(flag::BURST) {
        0.03
    } else {
        match invited_note {
            Note::Personal => 0.45,
            Note::Default => 0.10,
            Note::Empty => 0.085,
        }
    };
    if !rng.chance(p) {
        return Kind::Dormant;
    }
    let cuts = if invited_note == Note::Personal {
        [0.62, 0.72, 0.90]
    } else {
        [0.47, 0.54, 0.76]
    };
    let u = rng.unit();
    if u < cuts[0] {
        Kind::Pollinated
    } else if u < cuts[1] {
        Kind::GroupOnly
    } else if u < cuts[2] {
        Kind::PitchOut
    } else {
        Kind::PitchIn
    }
}

/// The planned last message, and which ties start group threads. Pollinated ties connected in
/// the last year are active; older ones are active 3 times in 10.
fn plan_timing(rng: &mut Rng, t: &mut Tie, era: Era, active_from: i64, cutoff: i64) {
    let c = i64::from(t.day) * DAY;
    let last_second = cutoff - 1;
    t.end = match t.kind {
        Kind::Dormant => return,
        Kind::Pollinated | Kind::GroupOnly => {
            if c >= active_from - 30 * DAY || rng.chance(0.3) {
                rng.between(c.max(active_from), last_second)
            } else {
                rng.between(c + 3600, active_from - 1)
            }
        }
        // Pitches mostly follow soon after connecting.
        Kind::PitchOut => (c + rng.spread(3600, 120 * DAY)).min(last_second),
        Kind::PitchIn => rng.between(c, last_second),
    };
    t.end = t.end.div_euclid(era.quantum()) * era.quantum();
    match t.kind {
        Kind::GroupOnly => t.flags |= flag::HOST,
        Kind::Pollinated if rng.chance(0.12) => {
            t.flags |= flag::HOST | if rng.chance(0.4) { flag::SILENT } else { 0 };
        }
        Kind::PitchIn if rng.chance(0.05) => t.flags |= flag::HOST | flag::SILENT,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_add_up_exactly() {
        for (c, m) in [
            (400, 4000),
            (50, 100_000),
            (10_000, 50),
            (0, 500),
            (1, 0),
            (3000, 7),
        ] {
            let p = Plan::new(Era::Y2026, 9, c, m);
            let rows: u64 = p
                .ties
                .iter()
                .map(|t| u64::from(t.rows) + u64::from(t.group_rows))
                .sum();
            assert_eq!(rows + p.partner_rows, p.counted_messages, "{c} {m}");
            for t in &p.ties {
                assert!(u64::from(t.rows) >= one_to_one_min(t.kind));
                assert!(t.rows <= MOST_ROWS && t.group_rows <= MOST_ROWS);
                assert!(i64::from(t.day) <= p.as_of);
                if t.kind != Kind::Dormant {
                    assert!(t.end < p.cutoff);
                }
            }
            assert!(p.ties.windows(2).all(|w| w[0].day >= w[1].day));
        }
    }

    #[test]
    fn most_connections_are_dormant() {
        let p = Plan::new(Era::Y2023, 4, 20_000, 200_000);
        let share = p.active_ties() as f64 / p.ties.len() as f64;
        assert!((0.05..0.16).contains(&share), "{share}");
    }
}
