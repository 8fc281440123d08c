//! Who is who (METRICS.md §1): the owner, person keys, name resolution, and each counted
//! message's sender and recipients as dense person ids.

use std::collections::BTreeSet;

use crate::hash::{HashMap, HashSet};

use serde::Serialize;

use crate::export::{Export, Instant, MessageRow, Messages, SymInfo};
use crate::keys::{is_anonymous, is_linkedin_member, name_key, normalise_name, tidy, url_key};
use crate::strings::{Interner, Sym};

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

/// Groups `TO` pieces into names: left to right, the longest run of pieces whose comma-joined
/// text is a known name, else the single piece (METRICS.md §3).
fn group_names(pieces: &[&str], known: &KnownNames) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let mut taken = 1;
        // No known name spans more pieces than the longest one: bounds the search, which
        // would otherwise be quadratic in a large group's TO.
        for j in (i + 2..=pieces.len().min(i + known.longest)).rev() {
            if known
                .names
                .contains(&normalise_name(&pieces[i..j].join(",")))
            {
                taken = j - i;
                break;
            }
        }
        out.push(pieces[i..i + taken].join(","));
        i += taken;
    }
    out
}

/// Normalised known names (senders of counted messages, connections, the owner).
#[derive(Default)]
struct KnownNames {
    names: HashSet<String>,
    /// The most `TO` pieces any known name splits into.
    longest: usize,
}

impl KnownNames {
    fn insert(&mut self, norm: String) {
        self.longest = self.longest.max(split_to(&norm).len());
        self.names.insert(norm);
    }
}

/// Evidence from counted messages and connections that name resolution draws on.
struct Evidence {
    /// Normalised sender name → usable URL keys seen with it.
    sender_urls: HashMap<String, BTreeSet<String>>,
    /// Normalised name → number of connections with a usable URL, and the first one's key.
    url_connections: HashMap<String, (usize, String)>,
    /// Normalised name → number of connections without a usable URL.
    urlless_connections: HashMap<String, usize>,
    /// Names met while resolving that were ambiguous.
    ambiguous: HashSet<String>,
    /// Memo of resolutions.
    memo: HashMap<String, String>,
}

impl Evidence {
    /// The key of a person known only by name, given normalised (METRICS.md §1, rules 1–3).
    fn resolve(&mut self, norm: &str) -> String {
        if let Some(k) = self.memo.get(norm) {
            return k.clone();
        }
        let urls = self.sender_urls.get(norm);
        let n_urls = urls.map_or(0, BTreeSet::len);
        let urlless = self.urlless_connections.get(norm).copied().unwrap_or(0);
        let with_url = self.url_connections.get(norm);
        let key = if n_urls == 1 {
            urls.and_then(|u| u.iter().next())
                .cloned()
                .unwrap_or_default()
        } else if let (Some((1, key)), 0) = (with_url, urlless) {
            key.clone()
        } else {
            format!("name:{norm}")
        };
        // "(2) finds several connections": with or without URLs, more than one holds the name.
        let several_connections = with_url.map_or(0, |(n, _)| *n) + urlless > 1;
        if n_urls > 1 || (n_urls == 0 && several_connections) {
            self.ambiguous.insert(norm.to_string());
        }
        self.memo.insert(norm.to_string(), key.clone());
        key
    }
}

/// The people table being built: key → pid.
struct People {
    people: Vec<Person>,
    by_key: HashMap<String, Pid>,
}

impl People {
    fn pid(&mut self, key: String, name: &str) -> Pid {
        if let Some(&p) = self.by_key.get(&key) {
            // A person first met without a name (a recipient URL) takes the first name seen.
            let person = &mut self.people[p as usize];
            if person.name.is_empty() {
                person.name = tidy(name);
            }
            return p;
        }
        let pid = self.people.len() as Pid;
        self.people.push(Person {
            key: key.clone(),
            name: tidy(name),
            ..Person::default()
        });
        self.by_key.insert(key, pid);
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
    let info = msgs.sym_info();
    let counted: Vec<&MessageRow> = msgs.counted_before(cutoff).collect();
    let connections: Vec<_> = export
        .connections
        .iter()
        .flat_map(|c| c.counted_before(cutoff))
        .collect();

    let mut ev = Evidence {
        sender_urls: HashMap::default(),
        url_connections: HashMap::default(),
        urlless_connections: HashMap::default(),
        ambiguous: HashSet::default(),
        memo: HashMap::default(),
    };
    let mut known = KnownNames::default();
    for m in &counted {
        let norm = info.norm[m.from.0 as usize].clone();
        if let Some(k) = info.url_key[m.from_url.0 as usize].clone() {
            ev.sender_urls.entry(norm.clone()).or_default().insert(k);
        }
        known.insert(norm);
    }
    for c in &connections {
        let norm = c.norm.clone();
        match c.url_key.clone() {
            Some(k) => {
                ev.url_connections.entry(norm.clone()).or_insert((0, k)).0 += 1;
            }
            None => *ev.urlless_connections.entry(norm.clone()).or_insert(0) += 1,
        }
        known.insert(norm);
    }

    let owner = find_owner(export, hint, &counted, s, info)?;
    let owner_norm = owner.name.as_deref().map(normalise_name);
    if let Some(n) = &owner_norm {
        known.insert(n.clone());
    }
    // A reference is the owner's by URL key, or, without a usable URL, by normalised name.
    let is_owner = |key: Option<&str>, norm: &str| match key {
        Some(k) => owner.key.as_deref() == Some(k),
        None => owner_norm.as_deref() == Some(norm),
    };

    let mut people = People {
        people: Vec::new(),
        by_key: HashMap::default(),
    };
    let owner_key = owner.key.clone().unwrap_or_else(|| "owner".into());
    people.pid(owner_key, owner.name.as_deref().unwrap_or(""));

    add_connections(&connections, &mut ev, &mut people, &is_owner);

    // Messages: sender and recipients, memoised by their interned texts.
    let mut sender_memo: HashMap<(Sym, Sym), Pid> = HashMap::default();
    let mut recipient_memo: HashMap<(Sym, Sym), Vec<Pid>> = HashMap::default();
    let mut conv_ids: HashMap<ConvKey, u32> = HashMap::default();
    let mut messages = Vec::with_capacity(counted.len());
    let mut recipients: Vec<Pid> = Vec::new();
    for m in &counted {
        let sender = *sender_memo.entry((m.from, m.from_url)).or_insert_with(|| {
            let (name, norm) = (s.get(m.from), info.norm[m.from.0 as usize].as_str());
            match info.url_key[m.from_url.0 as usize].clone() {
                Some(k) if is_owner(Some(&k), norm) => OWNER,
                Some(k) => people.pid(k, name),
                None if is_owner(None, norm) => OWNER,
                None => {
                    let k = ev.resolve(norm);
                    people.pid(k, name)
                }
            }
        });
        let rcpts = recipient_memo
            .entry((m.to, m.recipient_urls))
            .or_insert_with(|| {
                resolve_recipients(
                    s,
                    m,
                    msgs.has_recipient_urls,
                    &known,
                    &mut ev,
                    &mut people,
                    &is_owner,
                )
            });
        let start = recipients.len() as u32;
        recipients.extend(rcpts.iter().copied().filter(|&p| p != sender));
        let end = recipients.len() as u32;
        // Without a conversation id (2018, or an empty cell) a conversation is its set of
        // participants; an empty id must not merge unrelated threads into one.
        let key = if m.conversation != Sym::EMPTY {
            ConvKey::Id(m.conversation)
        } else {
            let mut set: Vec<Pid> = recipients[start as usize..].to_vec();
            set.push(sender);
            set.push(OWNER);
            set.sort_unstable();
            set.dedup();
            ConvKey::Participants(set)
        };
        let next = conv_ids.len() as u32;
        let conversation = *conv_ids.entry(key).or_insert(next);
        messages.push(Message {
            at: m.date.unwrap_or_default(),
            conversation,
            sender,
            recipients: (start, end),
        });
    }

    let invitations = export
        .invitations
        .as_ref()
        .map(|inv| resolve_invitations(inv.counted_before(cutoff), &mut ev, &people, &is_owner));

    // Alters (METRICS.md §1): connections, senders other than the owner, recipients of the owner.
    let mut people = people.people;
    for p in people.iter_mut() {
        p.is_alter = p.is_connection;
    }
    for m in &messages {
        if m.sender != OWNER {
            people[m.sender as usize].is_alter = true;
        } else {
            for &r in &recipients[m.recipients.0 as usize..m.recipients.1 as usize] {
                people[r as usize].is_alter = true;
            }
        }
    }
    people[OWNER as usize].is_alter = false;

    Ok(Identified {
        owner,
        people,
        conversations: conv_ids.len() as u32,
        messages,
        recipients,
        ambiguous_names: ev.ambiguous.len(),
        has_messages: export.messages.is_some(),
        invitations,
    })
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
    for r in rows {
        let Some(sent_at) = r.sent_at else { continue };
        let (name, url) = if r.outgoing {
            (&r.to, &r.invitee_url)
        } else {
            (&r.from, &r.inviter_url)
        };
        let url = url_key(url);
        let norm = normalise_name(name);
        // The owner is never a counterpart, and anonymous is never a person (§1).
        if is_owner(url.as_deref(), &norm) || (url.is_none() && is_anonymous(name, "")) {
            continue;
        }
        let (key, ambiguous) = match url {
            Some(k) => (k, false),
            None => {
                let shared = ev.urlless_connections.get(&norm).copied().unwrap_or(0) > 1;
                (ev.resolve(&norm), shared)
            }
        };
        let candidate = Invitation {
            person: people.by_key.get(&key).copied(),
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

#[derive(PartialEq, Eq, Hash)]
enum ConvKey {
    Id(Sym),
    Participants(Vec<Pid>),
}

fn add_connections(
    connections: &[&crate::export::ConnectionRow],
    ev: &mut Evidence,
    people: &mut People,
    is_owner: &dyn Fn(Option<&str>, &str) -> bool,
) {
    // Names shared by several URL-less rows are several people (METRICS.md §1): number them by
    // Connected On ascending, then by reverse file order.
    let mut shared: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, c) in connections.iter().enumerate() {
        if c.url_key.is_none() {
            let norm = c.norm.clone();
            if ev.urlless_connections.get(&norm).copied().unwrap_or(0) > 1 {
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
    for (i, c) in connections.iter().enumerate() {
        let name = c.name.clone();
        let url = c.url_key.clone();
        if is_owner(url.as_deref(), &c.norm) {
            continue;
        }
        let key = match (url, numbered.remove(&i)) {
            (Some(k), _) => k,
            (None, Some(k)) => k,
            (None, None) => ev.resolve(&c.norm),
        };
        let pid = people.pid(key, &name);
        let p = &mut people.people[pid as usize];
        if !p.is_connection {
            p.is_connection = true;
            p.name = name;
            p.company = tidy(&c.company);
            p.position = tidy(&c.position);
            p.connected_on = c.connected_on;
        }
    }
}

fn resolve_recipients(
    s: &Interner,
    m: &MessageRow,
    has_urls: bool,
    known: &KnownNames,
    ev: &mut Evidence,
    people: &mut People,
    is_owner: &dyn Fn(Option<&str>, &str) -> bool,
) -> Vec<Pid> {
    let mut out = Vec::new();
    let names = group_names(&split_to(s.get(m.to)), known);
    let urls: Vec<Option<String>> = if has_urls {
        s.get(m.recipient_urls).split(',').map(url_key).collect()
    } else {
        Vec::new()
    };
    // RECIPIENT PROFILE URLS where it holds a usable URL; else the names in TO (§3).
    if urls.iter().any(Option::is_some) {
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
                let k = ev.resolve(&norm);
                people.pid(k, &name)
            };
            out.push(pid);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
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
        Id(Sym),
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
            if m.conversation != Sym::EMPTY {
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
    let norm = normalise_name(name);
    let best = |counts: HashMap<&str, usize>| {
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(k, _)| k.to_string())
    };
    let mut as_sender: HashMap<&str, usize> = HashMap::default();
    let mut as_recipient: HashMap<String, usize> = HashMap::default();
    let mut only_url: HashMap<Sym, Option<String>> = HashMap::default();
    for m in counted {
        if info.norm[m.from.0 as usize] == norm {
            if let Some(k) = &info.url_key[m.from_url.0 as usize] {
                *as_sender.entry(k).or_default() += 1;
            }
        }
        if info.norm[m.to.0 as usize] == norm {
            let url = only_url.entry(m.recipient_urls).or_insert_with(|| {
                let urls: Vec<String> = s
                    .get(m.recipient_urls)
                    .split(',')
                    .filter_map(url_key)
                    .collect();
                match urls.as_slice() {
                    [k] => Some(k.clone()),
                    _ => None,
                }
            });
            if let Some(k) = url {
                *as_recipient.entry(k.clone()).or_default() += 1;
            }
        }
    }
    let as_recipient = as_recipient.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    best(as_sender)
        .or_else(|| best(as_recipient))
        .unwrap_or_else(|| name_key(name))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        known.insert("kehinde akande-akangbe (sphri, acipm,pchrm,iphr)".to_string());
        known.insert("ola bello".to_string());
        assert_eq!(known.longest, 3);
        let pieces = split_to("Kehinde Akande-Akangbe (SPHRi, ACIPM,PCHRM,IPHR),Ola Bello");
        assert_eq!(
            group_names(&pieces, &known),
            vec![
                "Kehinde Akande-Akangbe (SPHRi, ACIPM,PCHRM,IPHR)",
                "Ola Bello"
            ]
        );
        assert_eq!(group_names(&pieces, &KnownNames::default()).len(), 4);
    }

    fn evidence() -> Evidence {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        Evidence {
            sender_urls: HashMap::from_iter([
                ("ada".to_string(), set(&["linkedin.com/in/ada"])),
                (
                    "bob".to_string(),
                    set(&["linkedin.com/in/bob-1", "linkedin.com/in/bob-2"]),
                ),
            ]),
            url_connections: HashMap::from_iter([
                ("cy".to_string(), (1, "linkedin.com/in/cy".to_string())),
                ("dee".to_string(), (2, "linkedin.com/in/dee-1".to_string())),
                ("eve".to_string(), (1, "linkedin.com/in/eve".to_string())),
                ("bob".to_string(), (1, "linkedin.com/in/bob-c".to_string())),
            ]),
            urlless_connections: HashMap::from_iter([
                ("eve".to_string(), 1),
                ("fay".to_string(), 2),
            ]),
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
