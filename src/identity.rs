//! Who is who (METRICS.md §1): the owner, person keys, name resolution, and each counted
//! message's sender and recipients as dense person ids.

use std::collections::hash_map::Entry;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use rayon::prelude::*;

use crate::hash::{HashMap, HashSet, IdIndex};
use crate::parallel::{concat, gather};

use serde::Serialize;

use crate::export::{Export, Instant, MessageRow, Messages, SymInfo};
use crate::keys::{is_anonymous, is_linkedin_member, name_key, normalise_name, tidy, url_key};
use crate::strings::{Interner, PrintId, Sym};

/// A dense person id; [`OWNER`] is the owner.
pub type Pid = u32;

/// The owner's person id.
pub const OWNER: Pid = 0;

/// Why identity could not be established.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// The owner cannot be found.
    #[error("cannot tell whose export this is: {why}; pass --owner \"First Last\" or --owner https://www.linkedin.com/in/<you>")]
    NoOwner {
        /// What was missing.
        why: String,
    },
}

/// How the owner was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerSource {
    /// `--owner`.
    Option,
    /// `Profile.csv`.
    Profile,
    /// The name in the most conversations.
    Messages,
    /// Not found, and not needed (no messages).
    Unknown,
}

/// The export's owner.
#[derive(Clone, Debug, Serialize)]
pub struct Owner {
    /// The owner's name as shown.
    pub name: Option<String>,
    /// The owner's key.
    pub key: Option<String>,
    /// How the owner was found.
    #[serde(skip)]
    pub source: OwnerSource,
}

/// A person: the owner, an alter, or someone who only appears in others' messages.
#[derive(Clone, Debug, Default)]
pub struct Person {
    /// URL key, name key, or `name:<name>#n`.
    pub key: String,
    /// Name as shown.
    pub name: String,
    /// Company (connections only).
    pub company: String,
    /// Position (connections only).
    pub position: String,
    /// `Connected On`, for connections.
    pub connected_on: Option<Instant>,
    /// Whether a counted connection row.
    pub is_connection: bool,
    /// Whether an alter (METRICS.md §1).
    pub is_alter: bool,
}

/// One counted message, resolved.
#[derive(Clone, Copy, Debug)]
pub struct Message {
    /// When it was sent.
    pub at: Instant,
    /// Dense conversation id.
    pub conversation: u32,
    /// Who sent it.
    pub sender: Pid,
    /// Range into [`Identified::recipients`].
    pub recipients: (u32, u32),
}

/// The outcome of identity: people and resolved messages.
#[derive(Debug)]
pub struct Identified {
    /// The owner.
    pub owner: Owner,
    /// Everyone; `people[OWNER]` is the owner.
    pub people: Vec<Person>,
    /// Counted messages.
    pub messages: Vec<Message>,
    /// Recipients of all messages, flat.
    pub recipients: Vec<Pid>,
    /// Number of distinct conversations.
    pub conversations: u32,
    /// Distinct ambiguous names (METRICS.md §1).
    pub ambiguous_names: usize,
    /// Whether the export has a messages file at all.
    pub has_messages: bool,
    /// Invitation counterparts, when the export has an invitations file.
    pub invitations: Option<Vec<Invitation>>,
    /// What the timeline needs to reuse this identity for an earlier cut-off.
    pub stability: Stability,
}

/// What identifying as of an earlier cut-off `E` would share with this identity. Name resolution
/// and `TO` grouping draw on evidence that grows with the cut-off (METRICS.md §1, §3), so a row
/// before `E` may resolve differently as of `E`; each such dependence is recorded with the
/// cut-offs at which its outcome may differ.
#[derive(Clone, Debug, Default)]
pub struct Stability {
    /// Sorted, disjoint `(from, to)`: the cut-offs `E` with `from < E ≤ to`, at which a row dated
    /// before `E` drew on evidence that was not yet complete.
    unsettled: Vec<(Instant, Instant)>,
    /// Each counted connection row's person and `Connected On`; rows of the owner left out.
    pub connections: Vec<(Pid, Instant)>,
}

impl Stability {
    /// Whether some row before cut-off `end` may be resolved or grouped differently as of `end`.
    fn unsettled_at(&self, end: Instant) -> bool {
        let i = self.unsettled.partition_point(|&(from, _)| from < end);
        i > 0 && end <= self.unsettled[i - 1].1
    }
}

/// The two earliest instants of a count that grows with the cut-off: from just after the first
/// the count is 1, from just after the second several (`Instant::MAX` when never).
#[derive(Clone, Copy, Debug)]
struct FirstTwo([Instant; 2]);

impl Default for FirstTwo {
    fn default() -> Self {
        FirstTwo([Instant::MAX; 2])
    }
}

impl FirstTwo {
    fn add(&mut self, at: Instant) {
        if at < self.0[0] {
            self.0 = [at, self.0[0]];
        } else if at < self.0[1] {
            self.0[1] = at;
        }
    }
}

/// Cut-offs `E` with `from < E ≤ to`, for each `(from, to, relabel)`: where a resolution may
/// differ from the one reached now. `relabel`: there it differs only in that the name key
/// stands for the key reached now (see [`Uses`]).
type Differs = Vec<(Instant, Instant, bool)>;

/// [`Differs`] of a row's resolutions, a relabel carrying the person it stands for.
type Spans = Vec<(Instant, Instant, Option<Pid>)>;

/// The spans of `differs` of a name resolved to person `pid`.
fn of_person(differs: Differs, pid: Pid) -> Spans {
    differs
        .into_iter()
        .map(|(from, to, relabel)| (from, to, relabel.then_some(pid)))
        .collect()
}

/// Resolutions that drew on growing evidence, each as (its earliest row, the cut-offs at which
/// it may come out otherwise): a cut-off after that row and in one of those spans may resolve
/// the row differently.
///
/// A relabel is harmless: where a name resolves to its name key instead of person `p`'s URL
/// key, and no other row before the cut-off is `p` (no row keyed by `p`'s URL, and no other
/// name resolved to `p`), the name's rows form the same person under either key, and so every
/// figure is the same. Hence the rows keyed directly by URL, and the names resolved to each
/// person, are recorded too.
#[derive(Default)]
struct Uses {
    uses: Vec<(Instant, Spans)>,
    /// Each person's earliest row keyed directly by its URL (`Instant::MAX` for none).
    direct: Vec<Instant>,
    /// The name resolved to each person, and whether several were.
    resolved: HashMap<Pid, (String, bool)>,
}

impl Uses {
    /// A new use; `None` when its outcome is the same at every cut-off.
    fn add(&mut self, mut spans: Spans) -> Option<usize> {
        spans.retain(|(from, to, _)| from < to);
        (!spans.is_empty()).then(|| {
            self.uses.push((Instant::MAX, spans));
            self.uses.len() - 1
        })
    }

    /// A row dated `at` relied on use `i`.
    fn seen(&mut self, i: Option<usize>, at: Instant) {
        if let Some(i) = i {
            let first = &mut self.uses[i].0;
            *first = (*first).min(at);
        }
    }

    /// A row dated `at` is keyed by person `pid`'s URL.
    fn direct(&mut self, pid: Pid, at: Instant) {
        let i = pid as usize;
        if i >= self.direct.len() {
            self.direct.resize(i + 1, Instant::MAX);
        }
        self.direct[i] = self.direct[i].min(at);
    }

    /// Name `norm` resolved to person `pid`.
    fn resolved(&mut self, pid: Pid, norm: &str) {
        match self.resolved.get_mut(&pid) {
            Some((first, shared)) => *shared |= first != norm,
            None => {
                self.resolved.insert(pid, (norm.to_string(), false));
            }
        }
    }

    /// The cut-offs at which some row before them may resolve differently, merged.
    fn into_unsettled(self) -> Vec<(Instant, Instant)> {
        let direct = |p: Pid| match p {
            // Any name resolved to the owner's key is the owner: never a mere relabel.
            OWNER => Instant::MIN,
            _ => self.direct.get(p as usize).copied().unwrap_or(Instant::MAX),
        };
        let shared = |p: Pid| self.resolved.get(&p).is_some_and(|r| r.1);
        let mut spans: Vec<_> = self
            .uses
            .iter()
            .flat_map(|(first, spans)| {
                spans.iter().map(move |&(from, to, relabel)| {
                    let from = from.max(*first);
                    match relabel {
                        Some(p) if !shared(p) => (from.max(direct(p)), to),
                        _ => (from, to),
                    }
                })
            })
            .filter(|(from, to)| from < to)
            .collect();
        spans.sort_unstable();
        let mut merged: Vec<(Instant, Instant)> = Vec::with_capacity(spans.len());
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    }
}

impl Identified {
    /// A message's recipients.
    pub fn recipients_of(&self, m: &Message) -> &[Pid] {
        &self.recipients[m.recipients.0 as usize..m.recipients.1 as usize]
    }
}

/// `--owner` as given.
#[derive(Clone, Debug)]
pub enum OwnerHint {
    /// A name.
    Name(String),
    /// A profile URL.
    Url(String),
}

impl OwnerHint {
    /// A value with `linkedin.com/` in it is a URL; anything else a name.
    pub fn parse(s: &str) -> OwnerHint {
        if s.to_lowercase().contains("linkedin.com/") {
            OwnerHint::Url(s.to_string())
        } else {
            OwnerHint::Name(s.to_string())
        }
    }
}

/// Splits `TO` at every comma not followed by a space (METRICS.md §3); pieces trimmed, empty dropped.
pub fn split_to(to: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let bytes = to.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b',' && bytes.get(i + 1) != Some(&b' ') {
            pieces.push(&to[start..i]);
            start = i + 1;
        }
    }
    pieces.push(&to[start..]);
    pieces
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// How many pieces [`split_to`] gives, without collecting them for the many names that have no
/// comma.
fn count_pieces(to: &str) -> usize {
    if to.contains(',') {
        split_to(to).len()
    } else {
        usize::from(!to.trim().is_empty())
    }
}

/// Groups `TO` pieces into names: left to right, the longest run of pieces whose comma-joined
/// text is a known name, else the single piece (METRICS.md §3). Also returns when the last of
/// the names it glued together became known (`Instant::MIN` when none): from then on the
/// grouping is this one.
fn group_names(pieces: &[&str], known: &KnownNames) -> (Vec<String>, Instant) {
    let mut out = Vec::new();
    let mut settled = Instant::MIN;
    let mut i = 0;
    while i < pieces.len() {
        let mut taken = 1;
        // No known name spans more pieces than the longest one: bounds the search, which
        // would otherwise be quadratic in a large group's TO.
        for j in (i + 2..=pieces.len().min(i + known.longest)).rev() {
            if let Some(at) = known.first_known(&normalise_name(&pieces[i..j].join(","))) {
                taken = j - i;
                settled = settled.max(at);
                break;
            }
        }
        out.push(pieces[i..i + taken].join(","));
        i += taken;
    }
    (out, settled)
}

/// Normalised known names (senders of counted messages, connections, the owner), each with
/// when it first became known. Names are borrowed from the export: large exports have
/// hundreds of thousands.
#[derive(Default)]
struct KnownNames<'a> {
    /// Sender names.
    names: HashMap<&'a str, Instant>,
    /// Connection names.
    connected: Option<&'a HashMap<&'a str, Connected<'a>>>,
    /// The owner's name, known at every cut-off with this owner.
    owner: Option<String>,
    /// The most `TO` pieces any known name splits into.
    longest: usize,
}

impl<'a> KnownNames<'a> {
    /// Room for `n` names without growing.
    fn with_capacity(n: usize) -> Self {
        KnownNames {
            names: HashMap::with_capacity_and_hasher(n, Default::default()),
            ..KnownNames::default()
        }
    }

    fn insert(&mut self, norm: &'a str, at: Instant) {
        match self.names.entry(norm) {
            Entry::Occupied(mut first) => *first.get_mut() = (*first.get()).min(at),
            Entry::Vacant(first) => {
                self.longest = self.longest.max(count_pieces(norm));
                first.insert(at);
            }
        }
    }

    fn insert_owner(&mut self, norm: String) {
        self.longest = self.longest.max(split_to(&norm).len());
        self.owner = Some(norm);
    }

    /// When `norm` became known, if it is.
    fn first_known(&self, norm: &str) -> Option<Instant> {
        if self.owner.as_deref() == Some(norm) {
            return Some(Instant::MIN);
        }
        let connected = self
            .connected
            .and_then(|c| c.get(norm))
            .map(Connected::first);
        match (self.names.get(norm).copied(), connected) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Evidence from counted messages and connections that name resolution draws on; names and
/// keys are borrowed from the export.
struct Evidence<'a> {
    /// Normalised sender name → usable URL keys seen with it, each with when it was first seen.
    sender_urls: HashMap<&'a str, SenderUrls<'a>>,
    /// Normalised name → what the connection rows holding it say.
    connected: &'a HashMap<&'a str, Connected<'a>>,
    /// Names met while resolving that were ambiguous.
    ambiguous: HashSet<String>,
    /// Memo of resolutions.
    memo: HashMap<String, String>,
}

/// The usable URL keys seen with one sender name, each with when it was first seen, in the
/// order met: nearly always one, kept in place (a list a name, or a map, was a million
/// allocations at L, and freeing them a tenth of a second on one thread); the rest in a
/// list, and past a few an index beside it, so that a name sent under thousands of URLs is
/// not searched in turn for each.
#[derive(Clone, Debug, Default)]
struct SenderUrls<'a> {
    first: Option<(&'a str, Instant)>,
    more: Vec<(&'a str, Instant)>,
    /// Each key's place in [`SenderUrls::seen`]'s order.
    index: Option<HashMap<&'a str, usize>>,
}

impl<'a> SenderUrls<'a> {
    /// Keys kept without an index.
    const LIST: usize = 8;

    /// `key` seen at `at`.
    fn see(&mut self, key: &'a str, at: Instant) {
        let Some(first) = &mut self.first else {
            self.first = Some((key, at));
            return;
        };
        let found = match &self.index {
            Some(index) => index.get(key).copied(),
            None if first.0 == key => Some(0),
            None => self.more.iter().position(|&(k, _)| k == key).map(|i| i + 1),
        };
        match found {
            Some(0) => first.1 = first.1.min(at),
            Some(i) => self.more[i - 1].1 = self.more[i - 1].1.min(at),
            None => {
                self.more.push((key, at));
                if let Some(index) = &mut self.index {
                    index.insert(key, self.more.len());
                } else if self.len() > Self::LIST {
                    let index = self.seen().enumerate().map(|(i, (k, _))| (k, i));
                    self.index = Some(index.collect());
                }
            }
        }
    }

    /// How many keys.
    fn len(&self) -> usize {
        self.first.map_or(0, |_| 1 + self.more.len())
    }

    /// The keys with when each was first seen, in the order met.
    fn seen(&self) -> impl Iterator<Item = (&'a str, Instant)> + '_ {
        self.first.into_iter().chain(self.more.iter().copied())
    }
}

/// For tests' evidence, written as lists of sightings.
#[cfg(test)]
impl<'a> FromIterator<(&'a str, Instant)> for SenderUrls<'a> {
    fn from_iter<I: IntoIterator<Item = (&'a str, Instant)>>(seen: I) -> Self {
        let mut urls = SenderUrls::default();
        seen.into_iter().for_each(|(k, at)| urls.see(k, at));
        urls
    }
}

/// What the counted connection rows with one normalised name say: one entry per name, so that
/// a million connections cost one lookup each.
#[derive(Clone, Copy, Default)]
struct Connected<'a> {
    /// How many have a usable URL, and the first one's key.
    with_url: (usize, &'a str),
    /// How many have none.
    urlless: usize,
    /// When those with and those without a usable URL were made.
    dates: (FirstTwo, FirstTwo),
}

impl<'a> Connected<'a> {
    /// The connections' evidence by normalised name, and the most `TO` pieces a name splits
    /// into.
    fn by_name(
        connections: &[&'a crate::export::ConnectionRow],
    ) -> (HashMap<&'a str, Connected<'a>>, usize) {
        let mut by_name: HashMap<&str, Connected> =
            HashMap::with_capacity_and_hasher(connections.len(), Default::default());
        let mut longest = 0;
        for c in connections {
            let norm = c.norm.as_str();
            let at = c.connected_on.unwrap_or(Instant::MIN);
            let e = by_name.entry(norm).or_insert_with(|| {
                longest = longest.max(count_pieces(norm));
                Connected::default()
            });
            match c.url_key.as_deref() {
                Some(k) => {
                    e.dates.0.add(at);
                    if e.with_url.0 == 0 {
                        e.with_url.1 = k;
                    }
                    e.with_url.0 += 1;
                }
                None => {
                    e.dates.1.add(at);
                    e.urlless += 1;
                }
            }
        }
        (by_name, longest)
    }

    /// When the first connection with the name was made.
    fn first(&self) -> Instant {
        self.dates.0 .0[0].min(self.dates.1 .0[0])
    }
}

/// The senders' evidence: each normalised sender name's usable URL keys, and the names known
/// from senders.
fn sender_evidence<'a>(
    pairs: &Pairs,
    info: &'a SymInfo,
) -> (HashMap<&'a str, SenderUrls<'a>>, KnownNames<'a>) {
    // The two maps are made beside each other (a million senders at L).
    let norm = |from: Sym| info.norm[from.0 as usize].as_str();
    rayon::join(
        || {
            let mut sender_urls: HashMap<&str, SenderUrls> =
                HashMap::with_capacity_and_hasher(pairs.senders.len(), Default::default());
            for (&(from, from_url), &Seen { at, .. }) in &pairs.senders {
                if let Some(k) = info.url_key[from_url.0 as usize].as_deref() {
                    sender_urls.entry(norm(from)).or_default().see(k, at);
                }
            }
            sender_urls
        },
        || {
            let mut known = KnownNames::with_capacity(pairs.senders.len());
            for (&(from, _), &Seen { at, .. }) in &pairs.senders {
                known.insert(norm(from), at);
            }
            known
        },
    )
}

impl Evidence<'_> {
    /// How many connections without a usable URL hold the name `norm`.
    fn urlless(&self, norm: &str) -> usize {
        self.connected.get(norm).map_or(0, |c| c.urlless)
    }

    /// The key of a person known only by name, given normalised (METRICS.md §1, rules 1–3).
    fn resolve(&mut self, norm: &str) -> String {
        if let Some(k) = self.memo.get(norm) {
            return k.clone();
        }
        let urls = self.sender_urls.get(norm);
        let n_urls = urls.map_or(0, SenderUrls::len);
        let c = self.connected.get(norm).copied().unwrap_or_default();
        let key = if n_urls == 1 {
            urls.and_then(|u| u.first)
                .map(|(k, _)| k.to_string())
                .unwrap_or_default()
        } else if let ((1, key), 0) = (c.with_url, c.urlless) {
            key.to_string()
        } else {
            format!("name:{norm}")
        };
        // "(2) finds several connections": with or without URLs, more than one holds the name.
        let several_connections = c.with_url.0 + c.urlless > 1;
        if n_urls > 1 || (n_urls == 0 && several_connections) {
            self.ambiguous.insert(norm.to_string());
        }
        self.memo.insert(norm.to_string(), key.clone());
        key
    }

    /// The cut-offs at which `resolve(norm)` may give another key than it gives now. Counts
    /// only grow with the cut-off, and the rules tell only 0, 1 and several apart. Where the
    /// other key is the name key and the key now a URL key, the span is a relabel.
    fn differs(&self, norm: &str) -> Differs {
        let c = self.connected.get(norm).copied().unwrap_or_default();
        let ((with, without), n_with, n_without) = (c.dates, c.with_url.0, c.urlless);
        // Rule (2) holds at cut-offs in `holds`: exactly one connection with a URL and none
        // without hold the name; before its first connection it fails (the name key).
        let holds = (with.0[0], with.0[1].min(without.0[0]));
        let mut urls = FirstTwo::default();
        let n_urls = self.sender_urls.get(norm).map_or(0, |u| {
            u.seen().for_each(|(_, at)| urls.add(at));
            u.len()
        });
        let mut differs = match n_urls {
            // Rule (1) decides once its URL is seen; before, rule (2) where it holds (another
            // URL), else the name key.
            1 => vec![
                (Instant::MIN, urls.0[0], true),
                (holds.0, holds.1.min(urls.0[0]), false),
            ],
            // Rule (2) decides now: before its connection, the name key.
            _ if n_with == 1 && n_without == 0 => vec![(Instant::MIN, with.0[0], true)],
            // The name key now: rule (2) gave a URL where it held.
            _ => vec![(holds.0, holds.1, false)],
        };
        if n_urls > 1 {
            // Several URLs: rule (1) gave one while there was just one.
            differs.push((urls.0[0], urls.0[1], false));
        }
        differs.retain(|(from, to, _)| from < to);
        differs
    }
}

/// A pair of interned texts that resolves to people: a sender (`FROM`, `SENDER PROFILE URL`)
/// or recipients (`TO`, `RECIPIENT PROFILE URLS`).
type Pair = (Sym, Sym);

/// Where a pair first appears among the counted rows, and the earliest date of its rows.
#[derive(Clone, Copy)]
struct Seen {
    row: usize,
    at: Instant,
}

/// The distinct sender and recipients pairs of the counted rows. Finding them is most of the
/// work over the rows and depends on no order, so it runs in parallel; only resolving each
/// pair, once, must follow the rows' order (people are numbered as first met).
#[derive(Default)]
struct Pairs {
    senders: HashMap<Pair, Seen>,
    recipients: HashMap<Pair, Seen>,
}

impl Pairs {
    fn of(counted: &[&MessageRow]) -> Pairs {
        let (senders, recipients) = counted
            .par_iter()
            .enumerate()
            .fold(
                <(Front<Pair, Seen>, Front<Pair, Seen>)>::default,
                |(mut senders, mut recipients), (row, m)| {
                    let seen = Seen {
                        row,
                        at: m.at().unwrap_or_default(),
                    };
                    senders.add((m.from, m.from_url), seen);
                    recipients.add((m.to, m.recipient_urls), seen);
                    (senders, recipients)
                },
            )
            .reduce(Default::default, |a, b| (a.0.merge(b.0), a.1.merge(b.1)));
        Pairs {
            senders: senders.finish(),
            recipients: recipients.finish(),
        }
    }

    /// Every pair in the order the rows first meet them, a row's sender before its
    /// recipients; `true` for recipients.
    fn in_order(&self) -> Vec<(usize, bool, Pair, Instant)> {
        let senders = self.senders.iter().map(|(&p, s)| (s.row, false, p, s.at));
        let recipients = self.recipients.iter().map(|(&p, s)| (s.row, true, p, s.at));
        let mut order: Vec<_> = senders.chain(recipients).collect();
        order.par_sort_unstable_by_key(|&(row, is_recipients, _, _)| (row, is_recipients));
        order
    }
}

/// A value that sights or counts of one key add up into: a pair's first sight, a count.
trait Merge: Copy {
    fn merge(&mut self, other: Self);
}

impl Merge for Seen {
    fn merge(&mut self, other: Seen) {
        self.row = self.row.min(other.row);
        self.at = self.at.min(other.at);
    }
}

impl Merge for usize {
    fn merge(&mut self, other: usize) {
        *self += other;
    }
}

/// A map with the last two keys added held in front of it: a conversation's rows come
/// together, its two people writing in turn, so most rows repeat one of the two and are
/// added without a lookup in a map of a million keys.
struct Front<K, V> {
    map: HashMap<K, V>,
    last: [Option<(K, V)>; 2],
}

impl<K, V> Default for Front<K, V> {
    fn default() -> Self {
        Front {
            map: HashMap::default(),
            last: [None, None],
        }
    }
}

impl<K: std::hash::Hash + Eq + Copy, V: Merge> Front<K, V> {
    /// Adds `value` to `key`'s.
    fn add(&mut self, key: K, value: V) {
        let last = self.last.iter_mut().flatten();
        if let Some((_, v)) = last.into_iter().find(|(k, _)| *k == key) {
            v.merge(value);
            return;
        }
        if let Some((k, v)) = self.last[1].take() {
            add_to(&mut self.map, k, v);
        }
        self.last = [Some((key, value)), self.last[0]];
    }

    /// Both fronts' values in one (the smaller map added into the larger).
    fn merge(self, other: Front<K, V>) -> Front<K, V> {
        let (a, b) = (self.finish(), other.finish());
        let (mut map, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
        for (k, v) in small {
            add_to(&mut map, k, v);
        }
        Front {
            map,
            last: [None, None],
        }
    }

    /// Every key added, with its values merged.
    fn finish(mut self) -> HashMap<K, V> {
        for (k, v) in self.last.into_iter().flatten() {
            add_to(&mut self.map, k, v);
        }
        self.map
    }
}

/// Adds `value` to `key`'s in `map`.
fn add_to<K: std::hash::Hash + Eq, V: Merge>(map: &mut HashMap<K, V>, key: K, value: V) {
    map.entry(key)
        .and_modify(|v| v.merge(value))
        .or_insert(value);
}

/// The people table being built, each person found by key.
struct People {
    people: Vec<Person>,
    /// Pids by the hash of their key: the key is kept once, in the person (at a million
    /// connections a second copy in a map was over 100 MB).
    by_key: IdIndex,
    state: foldhash::fast::RandomState,
}

impl People {
    /// Room for `n` people without growing: growing moves every person and rehashes every key.
    fn with_capacity(n: usize) -> People {
        People {
            people: Vec::with_capacity(n),
            by_key: IdIndex::with_capacity(n),
            state: foldhash::fast::RandomState::default(),
        }
    }

    /// The person keyed `key`, if any.
    fn get(&self, key: &str) -> Option<Pid> {
        let hash = self.state.hash_one(key);
        let people = &self.people;
        self.by_key.find(hash, |p| people[p as usize].key == key)
    }

    /// The person keyed `key`, added without a name when new.
    fn keyed<K: AsRef<str> + Into<String>>(&mut self, key: K) -> Pid {
        self.keyed_by_hash(self.hash(key.as_ref()), key)
    }

    /// The hash of a key, as the index has it.
    fn hash(&self, key: &str) -> u64 {
        self.state.hash_one(key)
    }

    /// Has the index's slot for a key of `hash` fetched, ahead of its use.
    fn prefetch(&self, hash: u64) {
        self.by_key.prefetch(hash);
    }

    /// [`People::keyed`], given the key's [`People::hash`].
    fn keyed_by_hash<K: AsRef<str> + Into<String>>(&mut self, hash: u64, key: K) -> Pid {
        let People {
            people,
            by_key,
            state,
        } = self;
        if let Some(p) = by_key.find(hash, |p| people[p as usize].key == key.as_ref()) {
            return p;
        }
        let pid = people.len() as Pid;
        people.push(Person {
            key: key.into(),
            ..Person::default()
        });
        by_key.insert_unique(hash, pid, |p| state.hash_one(&people[p as usize].key));
        pid
    }

    /// The person keyed `key`, added when new; a person without a name (first met as a
    /// recipient URL) takes the first name seen.
    fn pid<K: AsRef<str> + Into<String>>(&mut self, key: K, name: &str) -> Pid {
        let pid = self.keyed(key);
        let person = &mut self.people[pid as usize];
        if person.name.is_empty() {
            person.name = tidy(name);
        }
        pid
    }
}

/// Establishes the owner and every person, and resolves counted messages and invitation
/// counterparts (METRICS.md §1, §3, §5). Only rows dated before `cutoff` are evidence: the
/// export's own cut-off for a report, a month's end for a timeline point.
pub fn identify(
    export: &Export,
    hint: Option<&OwnerHint>,
    cutoff: Instant,
) -> Result<Identified, IdentityError> {
    let empty = Messages::default();
    let msgs = export.messages.as_ref().unwrap_or(&empty);
    let s = &msgs.strings;
    let connections: Vec<_> = export
        .connections
        .iter()
        .flat_map(|c| c.counted_before(cutoff))
        .collect();
    // The connections' evidence, on one thread, beside the messages' texts and pairs on the
    // others; then the senders' evidence beside the owner: none draws on another.
    let ((connected, longest), (info, counted, pairs)) = rayon::join(
        || Connected::by_name(&connections),
        || {
            let info = msgs.sym_info();
            let counted = gather(&msgs.rows, |r| msgs.is_counted_before(r, cutoff));
            // Senders and recipients repeat: each distinct pair of texts once, with its first
            // row and its earliest message.
            let pairs = Pairs::of(&counted);
            (info, counted, pairs)
        },
    );
    let n = connections.len();
    let (owner, (sender_urls, mut known)) = rayon::join(
        || find_owner(export, hint, &counted, s, info),
        || sender_evidence(&pairs, info),
    );
    let owner = owner?;
    known.connected = Some(&connected);
    known.longest = known.longest.max(longest);
    let mut ev = Evidence {
        sender_urls,
        connected: &connected,
        ambiguous: HashSet::default(),
        memo: HashMap::default(),
    };
    let owner_norm = owner.name.as_deref().map(normalise_name);
    if let Some(n) = &owner_norm {
        known.insert_owner(n.clone());
    }
    // A reference is the owner's by URL key, or, without a usable URL, by normalised name.
    let is_owner = |key: Option<&str>, norm: &str| match key {
        Some(k) => owner.key.as_deref() == Some(k),
        None => owner_norm.as_deref() == Some(norm),
    };

    // Roughly the owner, a person per connection and per sender, and a few per recipients.
    // Room never used costs little: the people's table and the key index (allocated zeroed)
    // only address space.
    let mut people =
        People::with_capacity(1 + n + pairs.senders.len() + 2 * pairs.recipients.len());
    let owner_key = owner.key.clone().unwrap_or_else(|| "owner".into());
    people.pid(owner_key, owner.name.as_deref().unwrap_or(""));

    let mut uses = Uses::default();
    // The connections are added in file order on one thread, while on the others the pairs
    // are put in the order they are resolved in, the conversations' first rows found, and
    // the messages' table made.
    let (stable_connections, (order, first_rows, blank_messages)) = rayon::join(
        || add_connections(&connections, &mut ev, &mut people, &is_owner, &mut uses),
        || {
            let blank = Message {
                at: 0,
                conversation: 0,
                sender: OWNER,
                recipients: (0, 0),
            };
            // The messages' table, filled on every thread: each fresh page of memory is dear
            // to touch first.
            let mut messages = Vec::new();
            (0..counted.len())
                .into_par_iter()
                .map(|_| blank)
                .collect_into_vec(&mut messages);
            (
                pairs.in_order(),
                Conversations::first_rows(&counted, msgs.conversation_ids.len()),
                messages,
            )
        },
    );

    // Each pair resolved once, in the order the rows first meet it, with the use of growing
    // evidence it made; a use is first relied on, and a URL first keys its person, at the
    // pair's earliest row.
    let mut senders: HashMap<Pair, Pid> =
        HashMap::with_capacity_and_hasher(pairs.senders.len(), Default::default());
    let mut lists: HashMap<Pair, (u32, u32)> =
        HashMap::with_capacity_and_hasher(pairs.recipients.len(), Default::default());
    let mut listed: Vec<Pid> = Vec::new();
    // In blocks: a block's recipients pairs are read on the pool while the block before it
    // is resolved.
    const BLOCK: usize = 1 << 12;
    let read = |block: &[(usize, bool, Pair, Instant)]| -> Vec<Option<Listed>> {
        block
            .par_iter()
            .map(|&(_, is_recipients, pair, _)| {
                is_recipients.then(|| read_recipients(msgs, pair, &known))
            })
            .collect()
    };
    let mut resolve = |block: &[(usize, bool, Pair, Instant)], reads: Vec<Option<Listed>>| {
        for (&(_, _, pair, at), read) in block.iter().zip(reads) {
            match read {
                // A sender.
                None => {
                    let (from, from_url) = pair;
                    let (name, norm) = (s.get(from), info.norm[from.0 as usize].as_str());
                    let pid = match info.url_key[from_url.0 as usize].as_deref() {
                        Some(k) if is_owner(Some(k), norm) => OWNER,
                        Some(k) => people.pid(k, name),
                        None if is_owner(None, norm) => OWNER,
                        None => {
                            let pid = people.pid(ev.resolve(norm), name);
                            uses.resolved(pid, norm);
                            let u = uses.add(of_person(ev.differs(norm), pid));
                            uses.seen(u, at);
                            pid
                        }
                    };
                    if info.url_key[from_url.0 as usize].is_some() {
                        uses.direct(pid, at);
                    }
                    senders.insert(pair, pid);
                }
                Some(read) => {
                    let (pids, spans, by_url) =
                        resolve_recipients(read, &mut ev, &mut people, &is_owner, &mut uses);
                    let u = uses.add(spans);
                    uses.seen(u, at);
                    if by_url {
                        pids.iter().for_each(|&p| uses.direct(p, at));
                    }
                    let start = listed.len() as u32;
                    listed.extend(pids);
                    lists.insert(pair, (start, listed.len() as u32));
                }
            }
        }
    };
    let mut blocks = order.chunks(BLOCK);
    let mut next = blocks.next().map(|b| (b, read(b)));
    while let Some((block, reads)) = next {
        let following = blocks.next();
        next = rayon::join(|| following.map(|b| (b, read(b))), || resolve(block, reads)).0;
    }
    drop(pairs);
    // A row's sender, and the recipients listed for it (the sender among them, at times).
    let resolved = |m: &MessageRow| {
        let (start, end) = lists[&(m.to, m.recipient_urls)];
        (
            senders[&(m.from, m.from_url)],
            &listed[start as usize..end as usize],
        )
    };
    // The messages resolved on every thread but one, which resolves the invitations.
    let resolve_messages = || {
        let conversations = Conversations::number(&counted, &resolved, first_rows);

        // Each chunk of rows lists its recipients apart, from 0; the lists are then put end to end
        // and each chunk's ranges moved by where its list starts.
        const CHUNK: usize = 1 << 14;
        let mut messages = blank_messages;
        let chunks: Vec<Vec<Pid>> = messages
            .par_chunks_mut(CHUNK)
            .zip(counted.par_chunks(CHUNK))
            .map(|(out, rows)| {
                let mut chunk = Vec::new();
                let (mut senders_met, mut lists_met) = (Recent::default(), Recent::default());
                for (message, m) in out.iter_mut().zip(rows) {
                    let sender = senders_met.get((m.from, m.from_url), |p| senders[&p]);
                    let (start, end) = lists_met.get((m.to, m.recipient_urls), |p| lists[&p]);
                    let list = &listed[start as usize..end as usize];
                    let start = chunk.len() as u32;
                    chunk.extend(list.iter().filter(|&&p| p != sender));
                    *message = Message {
                        at: m.at().unwrap_or_default(),
                        conversation: conversations.of(m, sender, list),
                        sender,
                        recipients: (start, chunk.len() as u32),
                    };
                }
                chunk
            })
            .collect();
        let starts: Vec<u32> = chunks
            .iter()
            .scan(0, |start, chunk| {
                let this = *start;
                *start += chunk.len() as u32;
                Some(this)
            })
            .collect();
        messages
            .par_chunks_mut(CHUNK)
            .zip(starts)
            .for_each(|(out, start)| {
                for m in out {
                    m.recipients = (m.recipients.0 + start, m.recipients.1 + start);
                }
            });
        let recipients = concat(&chunks);
        let conversations = conversations.count;

        (messages, recipients, conversations)
    };
    let ((messages, recipients, conversations), invitations) =
        rayon::join(resolve_messages, || {
            export.invitations.as_ref().map(|inv| {
                resolve_invitations(inv.counted_before(cutoff), &mut ev, &people, &is_owner)
            })
        });

    // Alters (METRICS.md §1): connections, senders other than the owner, recipients of the owner.
    // The messages are marked on every thread (ten million at L took 80 ms on one).
    let mut people = people.people;
    let messaged: Vec<AtomicBool> = people.iter().map(|_| AtomicBool::new(false)).collect();
    messages.par_iter().for_each(|m| {
        let mark = |p: Pid| messaged[p as usize].store(true, Ordering::Relaxed);
        if m.sender != OWNER {
            mark(m.sender);
        } else {
            recipients[m.recipients.0 as usize..m.recipients.1 as usize]
                .iter()
                .for_each(|&r| mark(r));
        }
    });
    people
        .par_iter_mut()
        .zip(messaged)
        .for_each(|(p, messaged)| p.is_alter = p.is_connection || messaged.into_inner());
    people[OWNER as usize].is_alter = false;

    Ok(Identified {
        owner,
        people,
        conversations,
        messages,
        recipients,
        ambiguous_names: ev.ambiguous.len(),
        has_messages: export.messages.is_some(),
        invitations,
        stability: Stability {
            unsettled: uses.into_unsettled(),
            connections: stable_connections,
        },
    })
}

/// The values of the last two keys looked up: a conversation's rows come together and repeat
/// their sender and recipients pairs, its two people writing in turn, so most lookups in the
/// maps of a million pairs are answered here.
#[derive(Default)]
struct Recent<K, V>([Option<(K, V)>; 2]);

impl<K: PartialEq + Copy, V: Copy> Recent<K, V> {
    /// The value of `key`, by `find` unless it is one of the last two looked up.
    fn get(&mut self, key: K, find: impl FnOnce(K) -> V) -> V {
        match self.0 {
            [Some((k, v)), _] if k == key => v,
            [first, Some((k, v))] if k == key => {
                self.0 = [Some((k, v)), first];
                v
            }
            [first, _] => {
                let v = find(key);
                self.0 = [Some((key, v)), first];
                v
            }
        }
    }
}

/// The first row of each conversation id among the counted rows, by its number (`u32::MAX` for
/// none); the first rows in order, each with `None` (a participant set's index is added
/// later); and the rows without an id.
struct FirstRows {
    by_id: Vec<u32>,
    starts: Vec<(usize, Option<u32>)>,
    idless: Vec<usize>,
}

/// Conversation numbers in order of first message: by id, or, without one (2018, or an empty
/// cell), by set of participants; an empty id must not merge unrelated threads into one.
struct Conversations {
    /// The number of each conversation of a counted row, by its id's number.
    by_id: Vec<u32>,
    /// The number of each participant set of counted rows without an id.
    by_participants: HashMap<Vec<Pid>, u32>,
    /// How many there are.
    count: u32,
}

impl Conversations {
    /// What numbering the conversations of `counted` needs before any person is known: the
    /// first row of each id (`ids` is the number of conversation ids), and the rows without one.
    fn first_rows(counted: &[&MessageRow], ids: usize) -> FirstRows {
        // The first row of each id: a minimum, found in parallel.
        let first: Vec<AtomicU32> = (0..ids).map(|_| AtomicU32::new(u32::MAX)).collect();
        counted.par_iter().enumerate().for_each(|(row, m)| {
            if m.conversation != PrintId::EMPTY {
                first[m.conversation.0 as usize].fetch_min(row as u32, Ordering::Relaxed);
            }
        });
        let by_id: Vec<u32> = first.into_iter().map(AtomicU32::into_inner).collect();
        // Each conversation's first row, and for a participant set its index among the sets.
        let starts: Vec<(usize, Option<u32>)> = (0..counted.len())
            .into_par_iter()
            .filter(|&row| {
                let id = counted[row].conversation;
                id != PrintId::EMPTY && by_id[id.0 as usize] == row as u32
            })
            .map(|row| (row, None))
            .collect();
        // Rows without an id are rare (2018 exports): they are found on every thread.
        let idless: Vec<usize> = (0..counted.len())
            .into_par_iter()
            .filter(|&row| counted[row].conversation == PrintId::EMPTY)
            .collect();
        FirstRows {
            by_id,
            starts,
            idless,
        }
    }

    /// Numbers the conversations of `counted`, given each row's sender and listed recipients,
    /// and their [`Conversations::first_rows`].
    fn number<'a>(
        counted: &[&MessageRow],
        resolved: &(impl Fn(&MessageRow) -> (Pid, &'a [Pid]) + Sync),
        first: FirstRows,
    ) -> Conversations {
        let FirstRows {
            mut by_id,
            mut starts,
            idless,
        } = first;
        // The sets of the rows without an id, in order.
        let mut by_participants: HashMap<Vec<Pid>, u32> = HashMap::default();
        for row in idless {
            let (sender, list) = resolved(counted[row]);
            let sets = by_participants.len() as u32;
            if let Entry::Vacant(e) = by_participants.entry(participants(sender, list)) {
                e.insert(sets);
                starts.push((row, Some(sets)));
            }
        }
        starts.par_sort_unstable();
        let mut by_set = vec![0; by_participants.len()];
        for (number, &(row, set)) in starts.iter().enumerate() {
            match set {
                Some(set) => by_set[set as usize] = number as u32,
                None => by_id[counted[row].conversation.0 as usize] = number as u32,
            }
        }
        by_participants
            .values_mut()
            .for_each(|set| *set = by_set[*set as usize]);
        Conversations {
            by_id,
            by_participants,
            count: starts.len() as u32,
        }
    }

    /// The number of a counted row's conversation, given its sender and listed recipients.
    fn of(&self, m: &MessageRow, sender: Pid, list: &[Pid]) -> u32 {
        if m.conversation != PrintId::EMPTY {
            self.by_id[m.conversation.0 as usize]
        } else {
            self.by_participants[&participants(sender, list)]
        }
    }
}

/// The participants of a row without a conversation id: sender, recipients and owner.
fn participants(sender: Pid, list: &[Pid]) -> Vec<Pid> {
    let mut set = list.to_vec();
    set.push(sender);
    set.push(OWNER);
    set.sort_unstable();
    set.dedup();
    set
}

/// One invitation counterpart (METRICS.md §5), after keeping the latest row per counterpart.
#[derive(Clone, Debug)]
pub struct Invitation {
    /// The counterpart's key.
    pub key: String,
    /// The counterpart's person id when the key is a person (a connection or an alter).
    pub person: Option<Pid>,
    /// `OUTGOING`: the owner invited them.
    pub outgoing: bool,
    /// When the winning row was sent.
    pub sent_at: Instant,
    /// The winning row's `Message`, trimmed.
    pub message: String,
    /// Keyed by a name shared by several URL-less connections: neither accepted nor pending.
    pub ambiguous: bool,
}

/// Resolves counterparts: the invitee on outgoing rows, the inviter on incoming ones; key from
/// the profile URL when usable, else the name resolved as in §1. The latest row per counterpart
/// wins (equal times: the first in the file).
fn resolve_invitations<'a>(
    rows: impl Iterator<Item = &'a crate::export::InvitationRow>,
    ev: &mut Evidence,
    people: &People,
    is_owner: &dyn Fn(Option<&str>, &str) -> bool,
) -> Vec<Invitation> {
    let mut by_key: HashMap<String, Invitation> = HashMap::default();
    let mut order: Vec<String> = Vec::new();
    fn counterpart(r: &crate::export::InvitationRow) -> (&str, &str) {
        if r.outgoing {
            (&r.to, &r.invitee_url)
        } else {
            (&r.from, &r.inviter_url)
        }
    }
    // Each counterpart's URL key and normalised name, on every thread.
    let rows: Vec<_> = rows.filter(|r| r.sent_at.is_some()).collect();
    let keys: Vec<(Option<String>, String)> = rows
        .par_iter()
        .map(|r| {
            let (name, url) = counterpart(r);
            (url_key(url), normalise_name(name))
        })
        .collect();
    for (r, (url, norm)) in rows.into_iter().zip(keys) {
        let Some(sent_at) = r.sent_at else { continue };
        let name = counterpart(r).0;
        // The owner is never a counterpart, and anonymous is never a person (§1).
        if is_owner(url.as_deref(), &norm) || (url.is_none() && is_anonymous(name, "")) {
            continue;
        }
        let (key, ambiguous) = match url {
            Some(k) => (k, false),
            None => {
                let shared = ev.urlless(&norm) > 1;
                (ev.resolve(&norm), shared)
            }
        };
        let candidate = Invitation {
            person: people.get(&key),
            key: key.clone(),
            outgoing: r.outgoing,
            sent_at,
            message: r.message.clone(),
            ambiguous,
        };
        match by_key.get_mut(&key) {
            Some(existing) if sent_at > existing.sent_at => *existing = candidate,
            Some(_) => {}
            None => {
                order.push(key.clone());
                by_key.insert(key, candidate);
            }
        }
    }
    order
        .into_iter()
        .filter_map(|k| by_key.remove(&k))
        .collect()
}

/// Adds every connection row's person; returns each row's person and date, the owner's rows
/// left out.
fn add_connections(
    connections: &[&crate::export::ConnectionRow],
    ev: &mut Evidence,
    people: &mut People,
    is_owner: &dyn Fn(Option<&str>, &str) -> bool,
    uses: &mut Uses,
) -> Vec<(Pid, Instant)> {
    // Names shared by several URL-less rows are several people (METRICS.md §1): number them by
    // Connected On ascending, then by reverse file order.
    let mut shared: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, c) in connections.iter().enumerate() {
        if c.url_key.is_none() {
            let norm = c.norm.clone();
            if ev.urlless(&norm) > 1 {
                shared.entry(norm).or_default().push(i);
            }
        }
    }
    let mut numbered: HashMap<usize, String> = HashMap::default();
    for (norm, mut rows) in shared {
        rows.sort_by_key(|&i| {
            (
                connections[i].connected_on,
                std::cmp::Reverse(connections[i].line),
            )
        });
        for (n, i) in rows.into_iter().enumerate() {
            numbered.insert(i, format!("name:{norm}#{}", n + 1));
        }
        ev.ambiguous.insert(norm);
    }
    // What each row gives the person it is the first connection row of, and its URL key
    // with the key's hash: made on every thread (three texts tidied a row), then taken in
    // file order.
    let mut fresh: Vec<(Person, u64)> = connections
        .par_iter()
        .map(|c| {
            let key = c.url_key.clone().unwrap_or_default();
            let hash = people.hash(&key);
            let person = Person {
                key,
                name: c.name.clone(),
                company: tidy(&c.company),
                position: tidy(&c.position),
                connected_on: c.connected_on,
                is_connection: true,
                is_alter: false,
            };
            (person, hash)
        })
        .collect();
    let mut rows = Vec::with_capacity(connections.len());
    // How many rows ahead a URL key's slot in the index is fetched: the rows between are
    // dealt with while it comes from memory.
    const AHEAD: usize = 16;
    for (i, c) in connections.iter().enumerate() {
        if let Some((_, hash)) = fresh.get(i + AHEAD) {
            people.prefetch(*hash);
        }
        if is_owner(c.url_key.as_deref(), &c.norm) {
            continue;
        }
        let (mut row, hash) = std::mem::take(&mut fresh[i]);
        let at = c.connected_on.unwrap_or(Instant::MIN);
        let pid = match (c.url_key.as_deref(), numbered.remove(&i)) {
            (Some(_), _) => {
                let pid = people.keyed_by_hash(hash, std::mem::take(&mut row.key));
                uses.direct(pid, at);
                pid
            }
            (None, Some(k)) => {
                // Numbered only from the cut-off at which a second row holds the name.
                let second = ev
                    .connected
                    .get(c.norm.as_str())
                    .map_or(Instant::MAX, |d| d.dates.1 .0[1]);
                let u = uses.add(vec![(Instant::MIN, second, None)]);
                uses.seen(u, at);
                people.keyed(k)
            }
            (None, None) => {
                let pid = people.keyed(ev.resolve(&c.norm));
                uses.resolved(pid, &c.norm);
                let u = uses.add(of_person(ev.differs(&c.norm), pid));
                uses.seen(u, at);
                pid
            }
        };
        if pid != OWNER {
            rows.push((pid, at));
        }
        // The first connection row of a person gives the name as the file has it.
        let p = &mut people.people[pid as usize];
        if !p.is_connection {
            p.is_connection = true;
            p.name = row.name;
            p.company = row.company;
            p.position = row.position;
            p.connected_on = row.connected_on;
        } else if p.name.is_empty() {
            p.name = tidy(&c.name);
        }
    }
    rows
}

/// What a recipients pair says before anyone is resolved: the names in `TO`, grouped
/// (METRICS.md §3), from when that grouping holds, and the URL keys of `RECIPIENT PROFILE
/// URLS`. Reading draws on nothing that grows while pairs are resolved, so pairs are read in
/// parallel.
struct Listed {
    names: Vec<String>,
    grouped: Instant,
    urls: Vec<Option<String>>,
}

fn read_recipients(msgs: &Messages, (to, urls): Pair, known: &KnownNames) -> Listed {
    let s = &msgs.strings;
    let (names, grouped) = group_names(&split_to(s.get(to)), known);
    let urls = if msgs.has_recipient_urls {
        s.get(urls).split(',').map(url_key).collect()
    } else {
        Vec::new()
    };
    Listed {
        names,
        grouped,
        urls,
    }
}

fn resolve_recipients(
    Listed {
        names,
        grouped,
        urls,
    }: Listed,
    ev: &mut Evidence,
    people: &mut People,
    is_owner: &dyn Fn(Option<&str>, &str) -> bool,
    uses: &mut Uses,
) -> (Vec<Pid>, Spans, bool) {
    let mut out = Vec::new();
    // Where the names below may resolve or group otherwise; URLs draw on no evidence.
    let mut spans = Spans::new();
    // RECIPIENT PROFILE URLS where it holds a usable URL; else the names in TO (§3).
    let by_url = urls.iter().any(Option::is_some);
    if by_url {
        // Names line up with URLs only when the counts agree; a name is for show.
        let aligned = names.len() == urls.len();
        for (i, k) in urls.into_iter().enumerate() {
            let Some(k) = k else { continue };
            let pid = if is_owner(Some(&k), "") {
                OWNER
            } else {
                people.pid(k, if aligned { &names[i] } else { "" })
            };
            out.push(pid);
        }
    } else {
        for name in names {
            if is_linkedin_member(&name) {
                continue;
            }
            let norm = normalise_name(&name);
            let pid = if is_owner(None, &norm) {
                OWNER
            } else {
                let pid = people.pid(ev.resolve(&norm), &name);
                uses.resolved(pid, &norm);
                spans.extend(of_person(ev.differs(&norm), pid));
                pid
            };
            out.push(pid);
        }
        spans.push((Instant::MIN, grouped, None));
    }
    out.sort_unstable();
    out.dedup();
    (out, spans, by_url)
}

fn find_owner(
    export: &Export,
    hint: Option<&OwnerHint>,
    counted: &[&MessageRow],
    s: &Interner,
    info: &SymInfo,
) -> Result<Owner, IdentityError> {
    let (name, source, given_key) = match hint {
        Some(OwnerHint::Url(u)) => {
            let key = url_key(u).ok_or_else(|| IdentityError::NoOwner {
                why: format!("--owner {u:?} is not a usable profile URL (expected https://www.linkedin.com/in/<slug>)"),
            })?;
            let name =
                most_common_name_for(&key, counted, s).or_else(|| export.profile_name.clone());
            (name, OwnerSource::Option, Some(key))
        }
        Some(OwnerHint::Name(n)) => (Some(tidy(n)), OwnerSource::Option, None),
        None => match &export.profile_name {
            Some(n) => (Some(n.clone()), OwnerSource::Profile, None),
            None => (
                most_conversations(counted, s, info),
                OwnerSource::Messages,
                None,
            ),
        },
    };
    let Some(name) = name else {
        return match given_key {
            Some(key) => Ok(Owner {
                name: None,
                key: Some(key),
                source: OwnerSource::Option,
            }),
            None if counted.is_empty() => Ok(Owner {
                name: None,
                key: None,
                source: OwnerSource::Unknown,
            }),
            None => Err(IdentityError::NoOwner {
                why: "no Profile.csv, and no named sender or recipient in the counted messages"
                    .into(),
            }),
        };
    };
    let key = given_key.unwrap_or_else(|| owner_key(&name, counted, s, info));
    Ok(Owner {
        name: Some(name),
        key: Some(key),
        source,
    })
}

/// The name most often paired with `key` as a sender.
fn most_common_name_for(key: &str, counted: &[&MessageRow], s: &Interner) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::default();
    for m in counted {
        if url_key(s.get(m.from_url)).as_deref() == Some(key) && !s.get(m.from).trim().is_empty() {
            *counts.entry(tidy(s.get(m.from))).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(n, _)| n)
}

/// The name in the most distinct conversations, as sender or `TO` piece (METRICS.md §1).
fn most_conversations(counted: &[&MessageRow], s: &Interner, info: &SymInfo) -> Option<String> {
    #[derive(PartialEq, Eq, Hash)]
    enum Conv {
        Id(PrintId),
        Participants(String),
    }
    // Normalised name → (its conversations, the first way it was written).
    let mut convs: HashMap<&str, (HashSet<Conv>, &str)> = HashMap::default();
    for m in counted {
        let mut names: Vec<(&str, &str)> = split_to(s.get(m.to))
            .into_iter()
            .zip(info.to_pieces(m.to))
            .map(|(shown, norm)| (norm.as_str(), shown))
            .collect();
        names.push((info.norm[m.from.0 as usize].as_str(), s.get(m.from)));
        names.retain(|(norm, _)| !norm.is_empty() && *norm != "linkedin member");
        let conv = |names: &[(&str, &str)]| {
            if m.conversation != PrintId::EMPTY {
                Conv::Id(m.conversation)
            } else {
                let mut set: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
                set.sort_unstable();
                set.dedup();
                Conv::Participants(set.join("\u{1f}"))
            }
        };
        for &(norm, shown) in &names {
            convs
                .entry(norm)
                .or_insert_with(|| (HashSet::default(), shown))
                .0
                .insert(conv(&names));
        }
    }
    convs
        .into_iter()
        .max_by(|a, b| a.1 .0.len().cmp(&b.1 .0.len()).then(b.0.cmp(a.0)))
        .map(|(_, (_, shown))| tidy(shown))
}

/// The owner's key: the usable URL most often paired with the owner's name as sender, else as
/// the only recipient; ties to the key that sorts first; else the name key (METRICS.md §1).
fn owner_key(name: &str, counted: &[&MessageRow], s: &Interner, info: &SymInfo) -> String {
    owner_keys(name, counted, s, info, &[Instant::MAX])
        .pop()
        .unwrap_or_else(|| name_key(name))
}

/// [`owner_key`] as of each cut-off in `ends` (ascending), counting only the messages before it.
fn owner_keys(
    name: &str,
    counted: &[&MessageRow],
    s: &Interner,
    info: &SymInfo,
    ends: &[Instant],
) -> Vec<String> {
    debug_assert!(ends.is_sorted());
    let norm = normalise_name(name);
    // Which texts are the owner's name, found once a text rather than compared twice a row.
    let is_name: Vec<bool> = info.norm.par_iter().map(|n| *n == norm).collect();
    // The votes, counted by slot, URL text and role, over the rows in parallel: a vote dated
    // `at` counts at the cut-offs after it, from `ends[slot]` on (a slot past the last
    // cut-off counts nowhere). An owner is in most messages: counts, not a list of votes.
    let by_text = counted
        .par_chunks(1 << 14)
        .map(|rows| {
            let (mut sent, mut received) = (Front::default(), Front::default());
            for m in rows {
                let slot = ends.partition_point(|&end| end <= m.at().unwrap_or_default());
                if is_name[m.from.0 as usize] {
                    sent.add((slot, m.from_url, true), 1usize);
                }
                if is_name[m.to.0 as usize] {
                    received.add((slot, m.recipient_urls, false), 1);
                }
            }
            sent.merge(received)
        })
        .reduce(Front::default, Front::merge)
        .finish();
    // Then by key: a sender's usable URL, or the only usable URL among the recipients. The
    // keys voted for, each once (their order does not matter: ties go to the key that sorts
    // first).
    let mut keys: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    let mut counted_votes: HashMap<(usize, usize, bool), usize> = HashMap::default();
    for ((slot, urls, sender), n) in by_text {
        let key = if sender {
            info.url_key[urls.0 as usize].clone()
        } else {
            let mut usable = s.get(urls).split(',').filter_map(url_key);
            usable.next().filter(|_| usable.next().is_none())
        };
        let Some(key) = key else { continue };
        let i = *index.entry(key).or_insert_with_key(|k| {
            keys.push(k.clone());
            keys.len() - 1
        });
        *counted_votes.entry((slot, i, sender)).or_insert(0) += n;
    }
    let best = |counts: &[usize]| {
        (0..counts.len())
            .filter(|&i| counts[i] > 0)
            .max_by(|&a, &b| counts[a].cmp(&counts[b]).then(keys[b].cmp(&keys[a])))
    };
    let mut votes: Vec<Vec<(usize, bool, usize)>> = vec![Vec::new(); ends.len() + 1];
    for ((slot, key, sender), n) in counted_votes {
        votes[slot].push((key, sender, n));
    }
    let (mut as_sender, mut as_recipient) = (vec![0; keys.len()], vec![0; keys.len()]);
    votes
        .iter()
        .take(ends.len())
        .map(|slot| {
            for &(i, sender, n) in slot {
                if sender {
                    as_sender[i] += n;
                } else {
                    as_recipient[i] += n;
                }
            }
            best(&as_sender)
                .or_else(|| best(&as_recipient))
                .map_or_else(|| name_key(name), |i| keys[i].clone())
        })
        .collect()
}

/// For each cut-off in `ends` (ascending, none after `id`'s own), whether identifying as of it
/// gives `id` restricted to the rows dated before it: the same owner, and every row before it
/// resolved and grouped as in `id`. Where it does, a month's figures can be taken from `id`
/// (METRICS.md §6 timeline); where it may not, the month must be identified on its own.
pub fn unchanged_as_of(
    export: &Export,
    hint: Option<&OwnerHint>,
    id: &Identified,
    ends: &[Instant],
) -> Vec<bool> {
    let empty = Messages::default();
    let msgs = export.messages.as_ref().unwrap_or(&empty);
    let (s, info) = (&msgs.strings, msgs.sym_info());
    let counted: Vec<&MessageRow> = msgs.counted().collect();
    // The owner as (normalised name, key), as identity would find it as of each cut-off.
    let norm = |name: Option<&str>| name.map(normalise_name);
    let fixed_name = match hint {
        Some(OwnerHint::Name(n)) => Some(tidy(n)),
        Some(OwnerHint::Url(_)) => None,
        None => export.profile_name.clone(),
    };
    let owners: Vec<Option<(Option<String>, Option<String>)>> = match fixed_name {
        // A name from `--owner` or Profile.csv: only the key depends on the messages.
        Some(name) => owner_keys(&name, &counted, s, info, ends)
            .into_iter()
            .map(|key| Some((norm(Some(&name)), Some(key))))
            .collect(),
        None => ends
            .par_iter()
            .map(|&end| {
                let before: Vec<&MessageRow> = counted
                    .iter()
                    .copied()
                    .filter(|m| m.at().is_some_and(|d| d < end))
                    .collect();
                let owner = find_owner(export, hint, &before, s, info).ok()?;
                Some((norm(owner.name.as_deref()), owner.key))
            })
            .collect(),
    };
    let own = (norm(id.owner.name.as_deref()), id.owner.key.clone());
    ends.iter()
        .zip(owners)
        .map(|(&end, owner)| owner.as_ref() == Some(&own) && !id.stability.unsettled_at(end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_held_in_front_are_counted_as_the_map_counts_them() {
        // Runs, alternations and returns of a few pairs, sights out of order of date.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut front, mut plain) = (Front::default(), HashMap::default());
        let mut merged = (Front::default(), Front::default());
        for row in 0..2_000 {
            let k = (next() % 5) as u32;
            let pair = (Sym(k), Sym(k + 10));
            let seen = Seen {
                row: row + (next() % 3) as usize,
                at: (next() % 1_000) as Instant,
            };
            front.add(pair, seen);
            // The same sights, split between two fronts merged after.
            if row % 2 == 0 {
                &mut merged.0
            } else {
                &mut merged.1
            }
            .add(pair, seen);
            plain
                .entry(pair)
                .and_modify(|s: &mut Seen| {
                    s.row = s.row.min(seen.row);
                    s.at = s.at.min(seen.at);
                })
                .or_insert(seen);
        }
        let firsts = |m: HashMap<Pair, Seen>| {
            let mut v: Vec<_> = m.into_iter().map(|(p, s)| (p, s.row, s.at)).collect();
            v.sort_unstable();
            v
        };
        let plain = firsts(plain);
        assert_eq!(plain.len(), 5);
        assert_eq!(firsts(front.finish()), plain);
        assert_eq!(firsts(merged.0.merge(merged.1).finish()), plain);
    }

    #[test]
    fn sender_urls_keep_each_key_once_with_its_first_sight() {
        // Few keys (a list) and many (a list with an index): each key once, at its earliest.
        for n in [1, 3, 8, 9, 40] {
            let keys: Vec<String> = (0..n).map(|i| format!("linkedin.com/in/p{i}")).collect();
            let mut urls = SenderUrls::default();
            for round in (0..3).rev() {
                for (i, k) in keys.iter().enumerate() {
                    urls.see(k, (round * 100 + i) as Instant);
                }
            }
            // Each key once, in the order first met (p0, p1, ... in round 2), at its earliest
            // sight (round 0: time i).
            assert_eq!(urls.len(), n);
            let firsts: Vec<(String, Instant)> =
                urls.seen().map(|(k, at)| (k.to_string(), at)).collect();
            let expected: Vec<(String, Instant)> = (0..n)
                .map(|i| (format!("linkedin.com/in/p{i}"), i as Instant))
                .collect();
            assert_eq!(firsts, expected);
            assert_eq!(urls.index.is_some(), n > SenderUrls::LIST);
        }
    }

    #[test]
    fn a_front_counts_every_key_in_runs_and_apart() {
        let mut a = Front::default();
        for k in ["x", "x", "y", "x", "x", "x", "z", "w", "x"] {
            a.add(k, 1usize);
        }
        let mut b = Front::default();
        for k in ["z", "y", "y"] {
            b.add(k, 1);
        }
        let counts = a.merge(b).finish();
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort();
        assert_eq!(counts, vec![("w", 1), ("x", 6), ("y", 3), ("z", 2)]);
        assert!(Front::<u8, usize>::default().finish().is_empty());
    }

    #[test]
    fn recent_answers_the_last_two_keys_and_asks_for_others() {
        let mut recent = Recent::default();
        let mut asked = Vec::new();
        let mut get = |k: u32| {
            recent.get(k, |k| {
                asked.push(k);
                k * 10
            })
        };
        let got: Vec<u32> = [1, 1, 2, 1, 2, 3, 1, 3].into_iter().map(&mut get).collect();
        assert_eq!(got, [10, 10, 20, 10, 20, 30, 10, 30]);
        assert_eq!(asked, [1, 2, 3, 1], "1 was pushed out by 2 and 3");
    }

    #[test]
    fn to_splits_at_bare_commas_only() {
        assert_eq!(
            split_to("Walid Timimi, FICS (UK), MSc (SE).,Lukas Johansson, ,Ana"),
            vec![
                "Walid Timimi, FICS (UK), MSc (SE).",
                "Lukas Johansson,",
                "Ana"
            ]
        );
        assert_eq!(split_to(""), Vec::<&str>::new());
    }

    #[test]
    fn known_names_glue_pieces_back_together() {
        let mut known = KnownNames::default();
        known.insert("kehinde akande-akangbe (sphri, acipm,pchrm,iphr)", 5);
        known.insert("ola bello", 7);
        assert_eq!(known.longest, 3);
        let pieces = split_to("Kehinde Akande-Akangbe (SPHRi, ACIPM,PCHRM,IPHR),Ola Bello");
        // Glued from the instant the long name became known; "Ola Bello" is a single piece.
        assert_eq!(group_names(&pieces, &known).1, 5);
        assert_eq!(
            group_names(&pieces, &known).0,
            vec![
                "Kehinde Akande-Akangbe (SPHRi, ACIPM,PCHRM,IPHR)",
                "Ola Bello"
            ]
        );
        assert_eq!(group_names(&pieces, &KnownNames::default()).0.len(), 4);
    }

    #[test]
    fn connections_name_known_people_from_their_first_connection() {
        let row =
            |norm: &str, url: Option<&str>, at: Option<Instant>| crate::export::ConnectionRow {
                line: 0,
                company: String::new(),
                position: String::new(),
                connected_on: at,
                bucket: crate::export::ConnectionBucket::Counted,
                name: norm.into(),
                norm: norm.into(),
                url_key: url.map(Into::into),
            };
        let rows = [
            row("ada", Some("linkedin.com/in/ada"), Some(9)),
            row("ada", None, Some(4)),
            row("bob", Some("linkedin.com/in/bob"), Some(6)),
            row("cy dee,eve", None, None),
        ];
        let rows: Vec<&crate::export::ConnectionRow> = rows.iter().collect();
        let (connected, longest) = Connected::by_name(&rows);
        // "cy dee,eve" splits into two TO pieces.
        assert_eq!(longest, 2);
        let ada = connected["ada"];
        assert_eq!(
            (ada.with_url, ada.urlless, ada.first()),
            ((1, "linkedin.com/in/ada"), 1, 4)
        );
        let mut known = KnownNames::default();
        known.insert("bob", 3);
        known.insert("fay", 8);
        known.connected = Some(&connected);
        // The earlier of a sender's first message and the first connection; a connection
        // without a date is known from the start.
        assert_eq!(known.first_known("ada"), Some(4));
        assert_eq!(known.first_known("bob"), Some(3));
        assert_eq!(known.first_known("fay"), Some(8));
        assert_eq!(known.first_known("cy dee,eve"), Some(Instant::MIN));
        assert_eq!(known.first_known("gus"), None);
    }

    fn evidence() -> Evidence<'static> {
        evidence_with(&[])
    }

    /// The evidence of the rules' test, the connections made at `dates`.
    fn evidence_with(dates: &[(&'static str, (FirstTwo, FirstTwo))]) -> Evidence<'static> {
        let set = |v: &[&'static str]| v.iter().map(|&s| (s, 0)).collect::<SenderUrls>();
        let mut connected: HashMap<&str, Connected> = HashMap::default();
        for (norm, n, key) in [
            ("cy", 1, "linkedin.com/in/cy"),
            ("dee", 2, "linkedin.com/in/dee-1"),
            ("eve", 1, "linkedin.com/in/eve"),
            ("bob", 1, "linkedin.com/in/bob-c"),
        ] {
            connected.entry(norm).or_default().with_url = (n, key);
        }
        for (norm, n) in [("eve", 1), ("fay", 2)] {
            connected.entry(norm).or_default().urlless = n;
        }
        for &(norm, d) in dates {
            connected.entry(norm).or_default().dates = d;
        }
        Evidence {
            sender_urls: HashMap::from_iter([
                ("ada", set(&["linkedin.com/in/ada"])),
                (
                    "bob",
                    set(&["linkedin.com/in/bob-1", "linkedin.com/in/bob-2"]),
                ),
            ]),
            connected: Box::leak(Box::new(connected)),
            ambiguous: HashSet::default(),
            memo: HashMap::default(),
        }
    }

    /// METRICS.md §1 "Resolving a name", rules (1)–(3) and when a name is ambiguous.
    #[test]
    fn name_resolution_rules() {
        let mut ev = evidence();
        // (1) one sender URL.
        assert_eq!(ev.resolve("ada"), "linkedin.com/in/ada");
        // (1) finds several URLs: ambiguous; (2) then finds one URL connection.
        assert_eq!(ev.resolve("bob"), "linkedin.com/in/bob-c");
        // (2) one connection with a URL and none without.
        assert_eq!(ev.resolve("cy"), "linkedin.com/in/cy");
        // (2) fails: two connections with URLs → name key, ambiguous.
        assert_eq!(ev.resolve("dee"), "name:dee");
        // (2) fails: a URL-less connection shares the name → name key; two connections hold
        // the name, so it is ambiguous.
        assert_eq!(ev.resolve("eve"), "name:eve");
        // Shared by several URL-less connections → name key, ambiguous.
        assert_eq!(ev.resolve("fay"), "name:fay");
        // Unknown → name key.
        assert_eq!(ev.resolve("gus"), "name:gus");
        let mut amb: Vec<_> = ev.ambiguous.iter().cloned().collect();
        amb.sort();
        assert_eq!(amb, ["bob", "dee", "eve", "fay"]);
    }

    /// The cut-offs at which each rule's outcome may differ from the one reached with all the
    /// evidence (counts only grow with the cut-off).
    #[test]
    fn where_a_resolution_may_differ() {
        let two = |a, b| {
            let mut f = FirstTwo::default();
            f.add(b);
            f.add(a);
            f
        };
        let mut ev = evidence_with(&[
            ("bob", (two(5, Instant::MAX), FirstTwo::default())),
            ("cy", (two(7, Instant::MAX), FirstTwo::default())),
            ("dee", (two(3, 9), FirstTwo::default())),
            ("eve", (two(4, Instant::MAX), two(6, Instant::MAX))),
            ("fay", (FirstTwo::default(), two(1, 2))),
        ]);
        ev.sender_urls
            .insert("ada", SenderUrls::from_iter([("linkedin.com/in/ada", 10)]));
        ev.sender_urls.insert(
            "bob",
            SenderUrls::from_iter([("linkedin.com/in/bob-1", 20), ("linkedin.com/in/bob-2", 30)]),
        );
        // (1) one URL: the URL from its first sight on, before it the name key (a relabel).
        assert_eq!(ev.differs("ada"), [(Instant::MIN, 10, true)]);
        // (1) several URLs: while there was one, (1) gave it; (2) holds from 5 on, before it
        // the name key.
        assert_eq!(
            ev.differs("bob"),
            [(Instant::MIN, 5, true), (20, 30, false)]
        );
        // (2) holds from the connection on.
        assert_eq!(ev.differs("cy"), [(Instant::MIN, 7, true)]);
        // (2) fails now, but held between the first URL connection and the second.
        assert_eq!(ev.differs("dee"), [(3, 9, false)]);
        // ... or until a URL-less connection took the name too.
        assert_eq!(ev.differs("eve"), [(4, 6, false)]);
        // One URL from 10 on, and (2) held from 7 on before that: another URL from 7 to 10.
        ev.sender_urls
            .insert("cy", SenderUrls::from_iter([("linkedin.com/in/cy-2", 10)]));
        assert_eq!(ev.differs("cy"), [(Instant::MIN, 10, true), (7, 10, false)]);
        // Never any URL connection: the name key at every cut-off.
        assert_eq!(ev.differs("fay"), []);
        assert_eq!(ev.differs("gus"), []);
        // A use seen first at 8 may differ only at cut-offs after 8.
        let mut uses = Uses::default();
        let u = uses.add(of_person(ev.differs("dee"), 3));
        uses.seen(u, 8);
        assert_eq!(uses.add(of_person(ev.differs("fay"), 4)), None);
        // A relabel counts only from the first row keyed by the person's URL (here 2).
        let u = uses.add(of_person(ev.differs("bob"), 5));
        uses.seen(u, 1);
        uses.direct(5, 2);
        uses.resolved(5, "bob");
        assert_eq!(uses.into_unsettled(), [(2, 5), (8, 9), (20, 30)]);
        // ... and from the first row at all when another name resolved to the person too.
        let mut uses = Uses::default();
        let u = uses.add(of_person(ev.differs("bob"), 5));
        uses.seen(u, 1);
        uses.resolved(5, "bob");
        uses.resolved(5, "robert");
        assert_eq!(uses.into_unsettled(), [(1, 5), (20, 30)]);
        // Without any row keyed by its URL, a relabel never counts.
        let mut uses = Uses::default();
        let u = uses.add(of_person(ev.differs("ada"), 6));
        uses.seen(u, 1);
        assert_eq!(uses.into_unsettled(), []);
    }

    #[test]
    fn owner_keys_as_of_each_cutoff() {
        let mut msgs = Messages::default();
        let mut row = |from: &str, url: &str, at: Instant| MessageRow {
            line: 0,
            conversation: PrintId::EMPTY,
            from: msgs.strings.intern(from),
            from_url: msgs.strings.intern(url),
            to: msgs.strings.intern("Someone"),
            recipient_urls: Sym::EMPTY,
            date: std::num::NonZeroI64::new(at),
            bucket: crate::export::MessageBucket::Counted,
        };
        let rows = vec![
            row("Ada Lovelace", "https://www.linkedin.com/in/ada-b", 30),
            row("Ada Lovelace", "https://www.linkedin.com/in/ada-a", 10),
            row("Ada Lovelace", "https://www.linkedin.com/in/ada-b", 20),
            row("Someone", "https://www.linkedin.com/in/someone", 5),
        ];
        msgs.rows = rows;
        let counted: Vec<&MessageRow> = msgs.rows.iter().collect();
        let (s, info) = (&msgs.strings, msgs.sym_info());
        let keys = owner_keys("Ada Lovelace", &counted, s, info, &[10, 11, 21, 31]);
        // No vote yet: the name key; one each: the key that sorts first; then b leads.
        assert_eq!(
            keys,
            [
                "name:ada lovelace",
                "linkedin.com/in/ada-a",
                "linkedin.com/in/ada-a",
                "linkedin.com/in/ada-b"
            ]
        );
        assert_eq!(owner_key("Ada Lovelace", &counted, s, info), keys[3]);
    }

    #[test]
    fn owner_hint_parses() {
        assert!(matches!(
            OwnerHint::parse("https://www.linkedin.com/in/x"),
            OwnerHint::Url(_)
        ));
        assert!(matches!(
            OwnerHint::parse("Ada Lovelace"),
            OwnerHint::Name(_)
        ));
    }
}
