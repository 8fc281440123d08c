//! `messages.csv` (2018: `Messages.csv`): one conversation at a time, streamed.
//!
//! Conversations are one-to-one threads of planned ties, group threads started by a host tie,
//! and threads with people who are not connections (recruiters, cold outreach, acquaintances).
//! Quirk rows are spread evenly between them; exact duplicates follow the row they copy.
//!
//! Accidental exact duplicates would break the accounting, so none can happen: every
//! conversation has its own id (2021 on); within one, a sender's rows are at least a minute
//! apart (2018 dates have minute precision); in 2018, where rows carry no id, a tie's
//! one-to-one rows are all one timeline, a group's member set is unique (its host is its
//! newest connection and hosts one group), and one-off rows have a one-off sender or a time
//! from a strictly increasing sequence.

use std::io::{self, Write};

use super::people::Cast;
use super::plan::{flag, Kind, Plan, Tie};
use super::rng::{mix64, Rng};
use super::table::{iso_utc, us_datetime, CsvOut, DAY};
use super::text::{self, Style, Voice, GROUP_TITLES};
use super::{Era, Tally};

/// orchard's message buckets, in the order they are tested (METRICS.md §3).
const BUCKETS: [&str; 9] = [
    "malformed",
    "duplicate",
    "draft",
    "sponsored",
    "spam",
    "anonymous",
    "bad_date",
    "after_cutoff",
    "counted",
];
const MALFORMED: usize = 0;
const DUPLICATE: usize = 1;
const DRAFT: usize = 2;
const SPONSORED: usize = 3;
const SPAM: usize = 4;
const ANONYMOUS: usize = 5;
const BAD_DATE: usize = 6;
const COUNTED: usize = 8;

/// Quirks interleaved between conversations (duplicates are placed row by row instead).
const QUIRKS: [usize; 6] = [MALFORMED, DRAFT, SPONSORED, SPAM, ANONYMOUS, BAD_DATE];

/// A sender in a thread: the owner, or a member by index.
const OWNER: u32 = u32::MAX;

/// Per-conversation texts, reused.
#[derive(Default)]
struct Scratch {
    conv: String,
    title: String,
    subject: String,
    content: String,
}

/// The people columns of one row.
struct Row<'r> {
    from: &'r str,
    from_url: &'r str,
    to: &'r str,
    to_urls: &'r str,
    /// `None`: an empty `DATE`.
    at: Option<i64>,
    outgoing: bool,
    folder: &'r str,
    draft: bool,
    /// `CONTENT` written unquoted, with its comma: a malformed row.
    broken: bool,
}

/// One participant of a group thread.
#[derive(Clone, Copy)]
struct Member {
    person: u64,
    name: u64,
    first: &'static str,
    /// The connection's tie, when a connection.
    tie: Option<usize>,
    writer: bool,
    /// Newest row they wrote.
    last: Option<i64>,
}

/// Times that strictly increase by at least a minute: for one-off rows with no id and a
/// shared sender (drafts, `LinkedIn Member`), which must never coincide.
struct Sequence {
    next: i64,
    step: i64,
}

impl Sequence {
    fn new(count: u64, cutoff: i64, quantum: i64) -> Sequence {
        let span = 3 * 365 * DAY;
        let step = (span / count.max(1) as i64).max(60) / quantum * quantum;
        Sequence {
            next: cutoff - (count as i64 + 1) * step,
            step,
        }
    }
    fn take(&mut self, rng: &mut Rng, quantum: i64) -> i64 {
        let base = self.next;
        self.next += self.step;
        let jitter = if self.step >= 120 {
            rng.between(0, self.step - 60)
        } else {
            0
        };
        (base + jitter).div_euclid(quantum) * quantum
    }
}

/// Writes the messages file; fills each tie's truth fields in `plan`.
pub(crate) fn write(
    w: &mut dyn Write,
    plan: &mut Plan,
    cast: &Cast,
    seed: u64,
    next_person: &mut u64,
) -> io::Result<Tally> {
    let era = plan.era;
    let q = plan.message_quirks;
    let totals = [
        q.malformed,
        0,
        q.draft,
        q.sponsored,
        q.spam,
        q.anonymous,
        q.bad_date,
        0,
        0,
    ];
    let mut m = Messages {
        era,
        cast,
        csv: CsvOut::new(w, era == Era::Y2026),
        rng: Rng::new(seed, 3),
        text: text::Writer::new(era == Era::Y2026),
        s: Scratch::default(),
        date: String::new(),
        alter_name: String::new(),
        alter_url: String::new(),
        to: String::new(),
        to_urls: String::new(),
        counts: [0; 9],
        max_time: None,
        counted_left: plan.counted_messages,
        duplicates_left: q.duplicate.min(plan.counted_messages),
        quirk_totals: totals,
        anonymous_times: Sequence::new(q.anonymous, plan.cutoff, era.quantum()),
        draft_times: Sequence::new(q.draft, plan.cutoff, era.quantum()),
        conversations: 0,
        salt: mix64(seed ^ 0xc0),
        next_person: *next_person,
        pool_active: Vec::new(),
        pool_silent: Vec::new(),
        members: Vec::new(),
        member_names: Vec::new(),
        member_urls: Vec::new(),
        writers: Vec::new(),
        senders: Vec::new(),
        plan,
    };
    m.run()?;
    *next_person = m.next_person;
    let counts = m.counts;
    let max_day = m.max_time.map(|t| t.div_euclid(DAY));
    let rows = m.csv.finish(true)?;
    debug_assert_eq!(rows, counts.iter().sum::<u64>());
    Ok(Tally {
        buckets: BUCKETS.iter().copied().zip(counts).collect(),
        max_day,
    })
}

struct Messages<'a, 'w> {
    era: Era,
    plan: &'a mut Plan,
    cast: &'a Cast,
    csv: CsvOut<'w>,
    rng: Rng,
    text: text::Writer,
    s: Scratch,
    date: String,
    alter_name: String,
    alter_url: String,
    to: String,
    to_urls: String,
    counts: [u64; 9],
    max_time: Option<i64>,
    counted_left: u64,
    duplicates_left: u64,
    quirk_totals: [u64; 9],
    anonymous_times: Sequence,
    draft_times: Sequence,
    conversations: u64,
    salt: u64,
    next_person: u64,
    /// Ties already written that may join a group the owner writes in.
    pool_active: Vec<u32>,
    /// Ties already written that may join a group the owner never writes in.
    pool_silent: Vec<u32>,
    members: Vec<Member>,
    member_names: Vec<String>,
    member_urls: Vec<String>,
    writers: Vec<u32>,
    senders: Vec<u32>,
}

/// A gap of about `gap` seconds back in time, short enough that the `left` rows still to
/// write fit above `floor` a minute apart, and a whole number of `quantum`s.
fn bounded(gap: i64, at: i64, floor: i64, left: i64, quantum: i64) -> i64 {
    let room = (at - floor) / left.max(1);
    gap.min(room).max(60) / quantum * quantum
}

/// Writes one row in the era's columns.
fn emit(
    csv: &mut CsvOut<'_>,
    era: Era,
    date: &mut String,
    s: &Scratch,
    r: &Row<'_>,
) -> io::Result<()> {
    csv.begin()?;
    date.clear();
    if let Some(t) = r.at {
        if era == Era::Y2018 {
            us_datetime(t, date);
        } else {
            iso_utc(t, date);
        }
    }
    let content = |csv: &mut CsvOut<'_>| {
        if r.broken {
            csv.raw(&s.content);
        } else {
            csv.field(&s.content);
        }
    };
    if era == Era::Y2018 {
        csv.field(r.from);
        csv.field(r.to);
        csv.field(date);
        csv.field(&s.subject);
        content(csv);
        csv.field(if r.outgoing { "OUTGOING" } else { "INCOMING" });
        csv.field(r.folder);
    } else {
        csv.field(&s.conv);
        csv.field(&s.title);
        csv.field(r.from);
        csv.field(r.from_url);
        csv.field(r.to);
        if era != Era::Y2021 {
            csv.field(r.to_urls);
        }
        csv.field(date);
        csv.field(&s.subject);
        content(csv);
        csv.field(r.folder);
        if era == Era::Y2026 {
            csv.field("");
            csv.field(if r.draft { "Yes" } else { "No" });
        }
    }
    csv.end();
    Ok(())
}

impl Messages<'_, '_> {
    fn run(&mut self) -> io::Result<()> {
        let header: &[&str] = match self.era {
            Era::Y2018 => &[
                "From",
                "To",
                "Date",
                "Subject",
                "Content",
                "Direction",
                "Folder",
            ],
            Era::Y2021 => &[
                "CONVERSATION ID",
                "CONVERSATION TITLE",
                "FROM",
                "SENDER PROFILE URL",
                "TO",
                "DATE",
                "SUBJECT",
                "CONTENT",
                "FOLDER",
            ],
            Era::Y2023 => &[
                "CONVERSATION ID",
                "CONVERSATION TITLE",
                "FROM",
                "SENDER PROFILE URL",
                "TO",
                "RECIPIENT PROFILE URLS",
                "DATE",
                "SUBJECT",
                "CONTENT",
                "FOLDER",
            ],
            Era::Y2026 => &[
                "CONVERSATION ID",
                "CONVERSATION TITLE",
                "FROM",
                "SENDER PROFILE URL",
                "TO",
                "RECIPIENT PROFILE URLS",
                "DATE",
                "SUBJECT",
                "CONTENT",
                "FOLDER",
                "ATTACHMENTS",
                "IS MESSAGE DRAFT",
            ],
        };
        self.csv.header(header)?;
        let partner_total = self.plan.partner_rows;
        let ties_total = self.plan.active_ties().max(1);
        let (mut partner_done, mut ties_done) = (0u64, 0u64);
        for j in 0..self.plan.ties.len() {
            if self.plan.ties[j].kind == Kind::Dormant {
                continue;
            }
            self.tie(j)?;
            ties_done += 1;
            // Threads with non-connections, spread evenly between the ties.
            let due =
                (u128::from(partner_total) * u128::from(ties_done) / u128::from(ties_total)) as u64;
            while partner_done < due {
                partner_done += self.partner(partner_total - partner_done)?;
            }
        }
        while partner_done < partner_total {
            partner_done += self.partner(partner_total - partner_done)?;
        }
        self.interleave_quirks()?;
        debug_assert_eq!((self.counted_left, self.duplicates_left), (0, 0));
        Ok(())
    }

    fn fresh_person(&mut self) -> u64 {
        self.next_person += 1;
        self.next_person - 1
    }

    fn seen(&mut self, t: i64) {
        self.max_time = Some(self.max_time.map_or(t, |m| m.max(t)));
    }

    /// Books a counted row just written, and plants exact duplicates among counted rows by
    /// selection sampling (exactly the planned number, evenly spread).
    fn counted(&mut self, at: i64) {
        self.counts[COUNTED] += 1;
        self.seen(at);
        if self.duplicates_left > 0 && self.rng.below(self.counted_left) < self.duplicates_left {
            self.csv.repeat_last();
            self.duplicates_left -= 1;
            self.counts[DUPLICATE] += 1;
        }
        self.counted_left -= 1;
    }

    /// A new conversation id: `2-` and the base64 of a UUID-like text, unique because its
    /// first half is a bijection of the conversation counter.
    fn new_conversation(&mut self) {
        self.conversations += 1;
        let a = mix64(self.conversations ^ self.salt);
        let b = mix64(a ^ 0x51);
        let hex = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}_{}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff,
            if self.era == Era::Y2026 { "100" } else { "010" }
        );
        self.s.conv.clear();
        self.s.conv.push_str("2-");
        base64(hex.as_bytes(), &mut self.s.conv);
        self.s.title.clear();
        self.s.subject.clear();
    }

    fn folder(&mut self, outgoing: bool) -> &'static str {
        let archived = self.rng.chance(0.1);
        match (self.era, outgoing, archived) {
            (Era::Y2018, true, _) => "SENT",
            (Era::Y2018, false, true) => "ARCHIVED",
            (_, _, true) => "ARCHIVE",
            _ => "INBOX",
        }
    }

    fn tie(&mut self, j: usize) -> io::Result<()> {
        let t = self.plan.ties[j];
        if t.rows > 0 {
            self.one_to_one(j, &t)?;
        }
        if t.has(flag::HOST) && t.group_rows > 0 {
            self.group(j, &t)?;
        }
        // Only ties already written join later groups: in 2018 a group's newest
        // connection is then its host, which keeps every group's member set unique.
        match t.kind {
            Kind::Pollinated => {
                self.pool_active.push(j as u32);
                self.pool_silent.push(j as u32);
            }
            Kind::GroupOnly | Kind::PitchOut => self.pool_active.push(j as u32),
            Kind::PitchIn => self.pool_silent.push(j as u32),
            Kind::Dormant => {}
        }
        Ok(())
    }

    /// How many rows the next thread of a tie gets.
    fn thread_len(&mut self, kind: Kind, left: i64, newest: bool) -> i64 {
        let len = match kind {
            Kind::Pollinated if self.rng.chance(0.05) => 8 + self.rng.below(40) as i64,
            Kind::Pollinated => {
                let mut n = 1;
                while n < 30 && self.rng.chance(0.7) {
                    n += 1;
                }
                n
            }
            _ => 1 + self.rng.below(3) as i64,
        };
        // The newest thread of a pollinated tie holds its exchange.
        let len = if kind == Kind::Pollinated && newest {
            len.max(2)
        } else {
            len
        };
        len.min(left)
    }

    fn one_to_one(&mut self, j: usize, t: &Tie) -> io::Result<()> {
        let cast = self.cast;
        let name = self.plan.name_of(j);
        let alter_first = cast.parts(name).first;
        self.alter_name.clear();
        cast.full_name(name, &mut self.alter_name);
        self.alter_url.clear();
        cast.url(j as u64, name, false, &mut self.alter_url);
        let quantum = self.era.quantum();
        let rows = i64::from(t.rows);
        let mut at = t.end;
        let floor = (i64::from(t.day) * DAY)
            .min(at - 60 * (rows + 1))
            .div_euclid(quantum)
            * quantum;
        let (mut left, mut newest) = (rows, true);
        while left > 0 {
            let len = self.thread_len(t.kind, left, newest);
            self.senders.clear();
            match t.kind {
                Kind::PitchOut => self.senders.resize(len as usize, OWNER),
                Kind::PitchIn => self.senders.resize(len as usize, 0),
                _ => {
                    let mut by_owner = self.rng.chance(0.5);
                    for _ in 0..len {
                        self.senders.push(if by_owner { OWNER } else { 0 });
                        if self.rng.chance(0.65) {
                            by_owner = !by_owner;
                        }
                    }
                    if newest && self.senders.iter().all(|&s| s == self.senders[0]) {
                        let flip = if self.senders[0] == OWNER { 0 } else { OWNER };
                        *self.senders.last_mut().expect("len ≥ 2") = flip;
                    }
                }
            }
            self.new_conversation();
            if t.kind != Kind::Pollinated && self.rng.chance(0.5) {
                self.subject_line();
            }
            let (mut sent, mut received) = (false, false);
            for k in 0..len as usize {
                let by_owner = self.senders[k] == OWNER;
                // The oldest row of a pitch is the pitch; newer ones nudge.
                let style = match t.kind {
                    Kind::Pollinated => Style::Chat,
                    _ if k + 1 == len as usize => Style::Pitch,
                    _ => Style::FollowUp,
                };
                self.one_to_one_row(by_owner, style, alter_first, at)?;
                self.plan.ties[j].saw(at);
                sent |= by_owner;
                received |= !by_owner;
                left -= 1;
                if left > 0 {
                    let gap = if k + 1 < len as usize {
                        self.rng.spread(60, 3 * DAY)
                    } else {
                        self.rng.spread(DAY, 400 * DAY)
                    };
                    at -= bounded(gap, at, floor, left, quantum);
                }
            }
            if sent && received {
                self.plan.ties[j].exchanged = true;
            }
            newest = false;
            self.interleave_quirks()?;
        }
        Ok(())
    }

    /// A recruiter's subject line (and, from 2021, the conversation title with it).
    /// Writes one row between the owner and the current one-to-one alter (`alter_name`,
    /// `alter_url`): planned ties and message partners alike.
    fn one_to_one_row(
        &mut self,
        by_owner: bool,
        style: Style,
        alter_first: &str,
        at: i64,
    ) -> io::Result<()> {
        let owner = &self.cast.owner;
        let voice = if by_owner {
            Voice {
                to_first: alter_first,
                me: owner.first,
            }
        } else {
            Voice {
                to_first: owner.first,
                me: alter_first,
            }
        };
        self.text
            .write(&mut self.rng, style, &voice, &mut self.s.content);
        let folder = self.folder(by_owner);
        let (from, from_url, to, to_urls) = if by_owner {
            (&owner.name, &owner.url, &self.alter_name, &self.alter_url)
        } else {
            (&self.alter_name, &self.alter_url, &owner.name, &owner.url)
        };
        let row = Row {
            from,
            from_url,
            to,
            to_urls,
            at: Some(at),
            outgoing: by_owner,
            folder,
            draft: false,
            broken: false,
        };
        emit(&mut self.csv, self.era, &mut self.date, &self.s, &row)?;
        self.counted(at);
        Ok(())
    }

    fn subject_line(&mut self) {
        use std::fmt::Write as _;
        let role = self.rng.pick(&[
            "Senior Data Engineer",
            "Product Manager",
            "Business Analyst",
        ]);
        let company = self.rng.pick(super::people::COMPANIES).trim_end();
        let _ = write!(self.s.subject, "Interested in {company} {role}?");
        if self.era != Era::Y2018 {
            self.s.title.push_str(&self.s.subject);
        }
    }

    fn member_strings(&mut self, i: usize) {
        if self.member_names.len() <= i {
            self.member_names.resize(i + 1, String::new());
            self.member_urls.resize(i + 1, String::new());
        }
        let m = self.members[i];
        self.member_names[i].clear();
        self.cast.full_name(m.name, &mut self.member_names[i]);
        self.member_urls[i].clear();
        self.cast
            .url(m.person, m.name, false, &mut self.member_urls[i]);
    }

    /// A group thread started by tie `host`: the owner and at least two alters. In a group
    /// the owner writes in, every member is sent the owner's rows; a member who writes too has
    /// an exchange there (METRICS.md §4).
    fn group(&mut self, host: usize, t: &Tie) -> io::Result<()> {
        let silent = t.has(flag::SILENT);
        let cast = self.cast;
        self.members.clear();
        let host_name = self.plan.name_of(host);
        self.members.push(Member {
            person: host as u64,
            name: host_name,
            first: cast.parts(host_name).first,
            tie: Some(host),
            writer: true,
            last: None,
        });
        let want = 1
            + self.rng.below(3)
            + if self.rng.chance(0.1) {
                self.rng.below(8)
            } else {
                0
            };
        for _ in 0..want {
            let pool = if silent {
                &self.pool_silent
            } else {
                &self.pool_active
            };
            if pool.is_empty() {
                break;
            }
            let j = pool[self.rng.index(pool.len())] as usize;
            if self.members.iter().any(|m| m.tie == Some(j)) {
                continue;
            }
            let writes = match self.plan.ties[j].kind {
                Kind::GroupOnly => true,
                Kind::Pollinated | Kind::PitchIn => self.rng.chance(0.8),
                Kind::PitchOut | Kind::Dormant => false,
            };
            let name = self.plan.name_of(j);
            self.members.push(Member {
                person: j as u64,
                name,
                first: cast.parts(name).first,
                tie: Some(j),
                writer: writes,
                last: None,
            });
        }
        // People who are not connections fill small groups, and join some others.
        let mut extra = self.rng.chance(0.15);
        while self.members.len() < 2 || extra {
            extra = false;
            let p = self.fresh_person();
            let writes = self.rng.chance(0.7);
            self.members.push(Member {
                person: p,
                name: p,
                first: cast.parts(p).first,
                tie: None,
                writer: writes,
                last: None,
            });
        }
        for i in 0..self.members.len() {
            self.member_strings(i);
        }

        let quantum = self.era.quantum();
        let rows = i64::from(t.group_rows);
        let end = self
            .members
            .iter()
            .filter_map(|m| m.tie)
            .map(|j| self.plan.ties[j].end)
            .min()
            .unwrap_or(t.end)
            .min(self.plan.cutoff - 1)
            .div_euclid(quantum)
            * quantum;
        let span = (60 * (rows + 1)).max(self.rng.spread(DAY, 30 * DAY));
        let floor = (end - span).div_euclid(quantum) * quantum;

        self.writers.clear();
        self.writers
            .extend((0..self.members.len() as u32).filter(|&i| self.members[i as usize].writer));
        self.senders.clear();
        for _ in 0..rows {
            let s = if !silent && (self.writers.is_empty() || self.rng.chance(0.35)) {
                OWNER
            } else {
                self.writers[self.rng.index(self.writers.len())]
            };
            self.senders.push(s);
        }
        if !silent {
            // The owner writes in their groups; a group-only host writes there too (rows ≥ 2).
            let need_host = t.kind == Kind::GroupOnly && !self.senders.contains(&0);
            if need_host || !self.senders.contains(&OWNER) {
                *self.senders.last_mut().expect("rows ≥ 1") = OWNER;
                if t.kind == Kind::GroupOnly {
                    self.senders[0] = 0;
                }
            }
        }

        self.new_conversation();
        if self.era != Era::Y2018 && self.rng.chance(0.6) {
            self.s.title.push_str(self.rng.pick(GROUP_TITLES));
        }
        // Large threads often leave the owner out of TO (FORMATS.md).
        let owner_in_to = !self.rng.chance(0.1);
        let owner = &cast.owner;
        let mut at = end;
        let mut owner_last = None;
        for k in 0..rows as usize {
            let sender = self.senders[k];
            self.to.clear();
            self.to_urls.clear();
            if sender != OWNER && owner_in_to {
                self.to.push_str(&owner.name);
                self.to_urls.push_str(&owner.url);
            }
            for i in 0..self.members.len() {
                if i as u32 == sender {
                    continue;
                }
                if !self.to.is_empty() {
                    self.to.push(',');
                    self.to_urls.push(',');
                }
                self.to.push_str(&self.member_names[i]);
                self.to_urls.push_str(&self.member_urls[i]);
            }
            let me = if sender == OWNER {
                owner.first
            } else {
                self.members[sender as usize].first
            };
            let voice = Voice { to_first: "", me };
            self.text
                .write(&mut self.rng, Style::Group, &voice, &mut self.s.content);
            let folder = self.folder(sender == OWNER);
            let (from, from_url) = if sender == OWNER {
                (owner.name.as_str(), owner.url.as_str())
            } else {
                (
                    self.member_names[sender as usize].as_str(),
                    self.member_urls[sender as usize].as_str(),
                )
            };
            let row = Row {
                from,
                from_url,
                to: &self.to,
                to_urls: &self.to_urls,
                at: Some(at),
                outgoing: sender == OWNER,
                folder,
                draft: false,
                broken: false,
            };
            emit(&mut self.csv, self.era, &mut self.date, &self.s, &row)?;
            self.counted(at);
            if sender == OWNER {
                owner_last.get_or_insert(at);
            } else {
                self.members[sender as usize].last.get_or_insert(at);
            }
            if k + 1 < rows as usize {
                let gap = self.rng.spread(60, 2 * DAY);
                at -= bounded(gap, at, floor, rows - 1 - k as i64, quantum);
            }
        }
        for m in &self.members {
            let Some(j) = m.tie else { continue };
            let tie = &mut self.plan.ties[j];
            if let Some(t) = owner_last {
                tie.saw(t);
            }
            if let Some(t) = m.last {
                tie.saw(t);
            }
            if owner_last.is_some() && m.last.is_some() {
                tie.exchanged = true;
            }
        }
        self.interleave_quirks()
    }

    /// A thread with someone who is not a connection: a recruiter's pitch, the owner's cold
    /// message, or an exchange. Returns its rows (at most `budget`).
    fn partner(&mut self, budget: u64) -> io::Result<u64> {
        #[derive(PartialEq)]
        enum Way {
            In,
            Out,
            Both,
        }
        let u = self.rng.unit();
        let way = if budget < 2 || u < 0.45 {
            if budget < 2 && u >= 0.8 {
                Way::Out
            } else {
                Way::In
            }
        } else if u < 0.6 {
            Way::Out
        } else {
            Way::Both
        };
        let rows = match way {
            Way::In => 1 + self.rng.below(3),
            Way::Out => 1 + self.rng.below(2),
            Way::Both => {
                let mut n = 2;
                while n < 60 && self.rng.chance(0.8) {
                    n += 1;
                }
                n
            }
        }
        .min(budget);
        let cast = self.cast;
        let p = self.fresh_person();
        let first = cast.parts(p).first;
        self.alter_name.clear();
        cast.full_name(p, &mut self.alter_name);
        self.alter_url.clear();
        cast.url(p, p, false, &mut self.alter_url);

        let quantum = self.era.quantum();
        let earliest = (self.plan.first_day * DAY).max(self.plan.cutoff - 4 * 365 * DAY);
        let end = self
            .rng
            .between(earliest, self.plan.cutoff - 1)
            .div_euclid(quantum)
            * quantum;
        let span = (60 * (rows as i64 + 1)).max(self.rng.spread(DAY, 60 * DAY));
        let floor = (end - span).div_euclid(quantum) * quantum;
        self.senders.clear();
        let mut by_owner = way == Way::Out || (way == Way::Both && self.rng.chance(0.5));
        for _ in 0..rows {
            self.senders.push(if by_owner { OWNER } else { 0 });
            if way == Way::Both && self.rng.chance(0.65) {
                by_owner = !by_owner;
            }
        }
        if way == Way::Both && self.senders.iter().all(|&s| s == self.senders[0]) {
            let flip = if self.senders[0] == OWNER { 0 } else { OWNER };
            *self.senders.last_mut().expect("rows ≥ 2") = flip;
        }
        self.new_conversation();
        if way == Way::In && self.rng.chance(0.6) {
            self.subject_line();
        }
        let mut at = end;
        for k in 0..rows as usize {
            let by_owner = self.senders[k] == OWNER;
            let style = match way {
                Way::Both => Style::Chat,
                _ if k + 1 == rows as usize => Style::Pitch,
                _ => Style::FollowUp,
            };
            self.one_to_one_row(by_owner, style, first, at)?;
            if k + 1 < rows as usize {
                let gap = self.rng.spread(60, 3 * DAY);
                at -= bounded(gap, at, floor, rows as i64 - 1 - k as i64, quantum);
            }
        }
        self.interleave_quirks()?;
        Ok(rows)
    }

    /// Writes the quirk rows due by now, so that each kind is spread evenly through the file.
    fn interleave_quirks(&mut self) -> io::Result<()> {
        let total = self.plan.counted_messages;
        let done = total - self.counted_left;
        for kind in QUIRKS {
            let target = if done == total {
                self.quirk_totals[kind]
            } else {
                (u128::from(self.quirk_totals[kind]) * u128::from(done) / u128::from(total)) as u64
            };
            while self.counts[kind] < target {
                self.quirk(kind)?;
            }
        }
        Ok(())
    }

    /// One row that orchard must not count, in the bucket `kind`.
    fn quirk(&mut self, kind: usize) -> io::Result<()> {
        let cast = self.cast;
        let owner = &cast.owner;
        let quantum = self.era.quantum();
        self.new_conversation();
        let recent = self
            .rng
            .between(self.plan.cutoff - 2 * 365 * DAY, self.plan.cutoff - 1)
            .div_euclid(quantum)
            * quantum;
        let mut row = Row {
            from: "",
            from_url: "",
            to: &owner.name,
            to_urls: &owner.url,
            at: Some(recent),
            outgoing: false,
            folder: "INBOX",
            draft: false,
            broken: false,
        };
        let stranger_voice = Voice {
            to_first: owner.first,
            me: "Alex",
        };
        // A one-off sender who is no connection and appears nowhere else.
        if matches!(kind, MALFORMED | SPAM | BAD_DATE) {
            let p = self.fresh_person();
            self.alter_name.clear();
            cast.full_name(p, &mut self.alter_name);
            self.alter_url.clear();
            cast.url(p, p, false, &mut self.alter_url);
            row.from = &self.alter_name;
            row.from_url = &self.alter_url;
        }
        match kind {
            MALFORMED => {
                // An unquoted comma: one field more than the header.
                self.s.content.clear();
                self.s.content.push_str("Hi, are you still hiring");
                row.broken = true;
            }
            DRAFT => {
                self.s.conv.clear();
                let at = self.draft_times.take(&mut self.rng, quantum);
                let voice = Voice {
                    to_first: "",
                    me: owner.first,
                };
                self.text
                    .write(&mut self.rng, Style::Draft, &voice, &mut self.s.content);
                row = Row {
                    from: &owner.name,
                    from_url: &owner.url,
                    to: "",
                    to_urls: "",
                    at: Some(at),
                    outgoing: true,
                    folder: "",
                    draft: true,
                    broken: false,
                };
            }
            SPONSORED => {
                self.s.title.push_str("Sponsored Conversation");
                self.text.write(
                    &mut self.rng,
                    Style::Sponsored,
                    &stranger_voice,
                    &mut self.s.content,
                );
                row.from = "LinkedIn Member";
            }
            SPAM => {
                self.text.write(
                    &mut self.rng,
                    Style::Spam,
                    &stranger_voice,
                    &mut self.s.content,
                );
                row.folder = "SPAM";
            }
            ANONYMOUS => {
                row.at = Some(self.anonymous_times.take(&mut self.rng, quantum));
                if self.rng.chance(0.3) {
                    // Empty FROM, TO and CONTENT (FORMATS.md).
                    self.s.content.clear();
                    (row.to, row.to_urls) = ("", "");
                } else {
                    self.text.write(
                        &mut self.rng,
                        Style::Pitch,
                        &stranger_voice,
                        &mut self.s.content,
                    );
                    row.from = "LinkedIn Member";
                }
            }
            _ => {
                self.text.write(
                    &mut self.rng,
                    Style::Chat,
                    &stranger_voice,
                    &mut self.s.content,
                );
                row.at = None;
            }
        }
        emit(&mut self.csv, self.era, &mut self.date, &self.s, &row)?;
        // Malformed rows' dates are never read; every other date counts towards `D`.
        if let (Some(t), false) = (row.at, row.broken) {
            self.seen(t);
        }
        self.counts[kind] += 1;
        Ok(())
    }
}

/// Standard base64 with padding.
fn base64(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_real_conversation_ids() {
        let mut s = String::new();
        base64(b"5ffeac91-e14d-9a04-1e89-cc28fed35fa1_010", &mut s);
        assert_eq!(
            s,
            "NWZmZWFjOTEtZTE0ZC05YTA0LTFlODktY2MyOGZlZDM1ZmExXzAxMA=="
        );
    }

    #[test]
    fn gaps_leave_room_for_the_rows_still_to_come() {
        let (mut at, floor) = (1_000_000, 1_000_000 - 60 * 11);
        for left in (1..=10).rev() {
            at -= bounded(86_400, at, floor, left, 60);
            assert!(at - floor >= 60 * (left - 1), "{left}");
            assert_eq!(at % 60, (1_000_000i64) % 60);
        }
    }
}
