//! The four files orchard reads, each into typed rows with their METRICS.md §3 bucket.

use std::borrow::Cow;

use crate::hash::{HashMap, HashSet};

use serde::Serialize;

use super::dates::{parse_date, parse_instant, Instant};
use super::stream::Input;
use super::table::{
    decode, find_header, for_each_row, newlines, read_range, Encoding, HeaderSpec, Prepared, Row,
};
use super::{FileInfo, FileKind, ReadError, ReadOptions};
use crate::keys::{is_anonymous, url_key};
use crate::strings::{trim, Interner, PrintId, Prints, Sym};

/// Row counts by bucket for every file read (METRICS.md §3).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Accounting {
    /// `Connections.csv`.
    pub connections: Option<Buckets>,
    /// `messages.csv`.
    pub messages: Option<Buckets>,
    /// `Invitations.csv`.
    pub invitations: Option<Buckets>,
}

/// Bucket name → rows, in the order the buckets are tested, plus `rows`, their sum.
#[derive(Clone, Debug, Default)]
pub struct Buckets(pub Vec<(&'static str, u64)>);

impl Buckets {
    /// Counts `rows` by `bucket`, a part of them on each thread.
    fn count<R: Sync, B: Bucket>(rows: &[R], bucket: impl Fn(&R) -> B + Sync) -> Buckets {
        let counts = crate::parallel::tally(rows, B::NAMES.len(), |r, counts| {
            counts[bucket(r).index()] += 1
        });
        Buckets(B::NAMES.iter().copied().zip(counts).collect())
    }
    /// Rows read: the sum of the buckets.
    pub fn rows(&self) -> u64 {
        self.0.iter().map(|(_, n)| n).sum()
    }
    /// One bucket's count.
    pub fn get(&self, name: &str) -> u64 {
        self.0
            .iter()
            .find(|(b, _)| *b == name)
            .map_or(0, |(_, n)| *n)
    }
}

impl Serialize for Buckets {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len() + 1))?;
        map.serialize_entry("rows", &self.rows())?;
        for (name, n) in &self.0 {
            map.serialize_entry(name, n)?;
        }
        map.end()
    }
}

trait Bucket: Copy {
    const NAMES: &'static [&'static str];
    fn index(self) -> usize;
}

macro_rules! buckets {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vdoc])* $variant),* }
        impl Bucket for $name {
            const NAMES: &'static [&'static str] = &[$($text),*];
            fn index(self) -> usize { self as usize }
        }
        impl $name {
            /// The bucket's name in `summary.json`.
            pub fn name(self) -> &'static str { <Self as Bucket>::NAMES[self as usize] }
        }
    };
}

buckets!(
    /// Where a `Connections.csv` row went (METRICS.md §3; `malformed` is orchard's addition,
    /// for rows whose field count differs from the header's).
    ConnectionBucket {
        /// A field count that differs from the header's.
        Malformed = "malformed",
        /// No name and no usable URL: a member who hides their profile.
        Blank = "blank",
        /// Identical to an earlier row, or the same URL key as an earlier row.
        Duplicate = "duplicate",
        /// Unparseable or missing `Connected On`.
        BadDate = "bad_date",
        /// At or after the cut-off.
        AfterCutoff = "after_cutoff",
        /// Counted.
        Counted = "counted",
    }
);

buckets!(
    /// Where a `messages.csv` row went (METRICS.md §3).
    MessageBucket {
        /// A field count that differs from the header's.
        Malformed = "malformed",
        /// Identical to an earlier row in every column.
        Duplicate = "duplicate",
        /// A draft.
        Draft = "draft",
        /// `Sponsored Conversation`.
        Sponsored = "sponsored",
        /// Folder `SPAM`.
        Spam = "spam",
        /// Anonymous sender.
        Anonymous = "anonymous",
        /// Unparseable or missing date.
        BadDate = "bad_date",
        /// At or after the cut-off.
        AfterCutoff = "after_cutoff",
        /// Counted.
        Counted = "counted",
    }
);

buckets!(
    /// Where an `Invitations.csv` row went (METRICS.md §3).
    InvitationBucket {
        /// A field count that differs from the header's.
        Malformed = "malformed",
        /// Unparseable or missing `Sent At`.
        BadDate = "bad_date",
        /// At or after the cut-off.
        AfterCutoff = "after_cutoff",
        /// Counted.
        Counted = "counted",
    }
);

/// One `Connections.csv` row. `NA` fields are empty.
#[derive(Clone, Debug)]
pub struct ConnectionRow {
    /// The line the row starts on.
    pub line: u64,
    /// `Company`.
    pub company: String,
    /// `Position`.
    pub position: String,
    /// `Connected On`, as its date at 00:00Z.
    pub connected_on: Option<Instant>,
    /// Its bucket.
    pub bucket: ConnectionBucket,
    /// `First Name` and `Last Name` joined by a space, tidied (the two are not kept apart:
    /// nothing needs them, and at a million connections they were 100 MB).
    pub name: String,
    /// The name's normalised form.
    pub norm: String,
    /// The URL key, when the URL is usable.
    pub url_key: Option<String>,
}

/// `Connections.csv`, read.
#[derive(Debug, Default)]
pub struct Connections {
    /// Every row, in file order.
    pub rows: Vec<ConnectionRow>,
    /// Whether the file has a `URL` column.
    pub has_url: bool,
}

/// One `messages.csv` row: only the columns orchard needs, interned (the conversation id
/// numbered by its fingerprint).
#[derive(Clone, Copy, Debug)]
pub struct MessageRow {
    /// The line the row starts on.
    pub line: u64,
    /// `CONVERSATION ID`, numbered in [`Messages::conversation_ids`] (the empty id in
    /// 2018/2019 files).
    pub conversation: PrintId,
    /// `FROM`.
    pub from: Sym,
    /// `SENDER PROFILE URL`.
    pub from_url: Sym,
    /// `TO`.
    pub to: Sym,
    /// `RECIPIENT PROFILE URLS`.
    pub recipient_urls: Sym,
    /// `DATE`, when a plausible date ([`MessageRow::at`]). Never zero: the epoch's first
    /// second is not plausible, and the niche keeps a row at 40 bytes rather than 48 (80 MB
    /// at ten million rows).
    pub date: Option<std::num::NonZeroI64>,
    /// Its bucket.
    pub bucket: MessageBucket,
}

impl MessageRow {
    /// A row on `line` in `bucket` with every column empty.
    fn empty(line: u64, bucket: MessageBucket) -> MessageRow {
        MessageRow {
            line,
            conversation: PrintId::EMPTY,
            from: Sym::EMPTY,
            from_url: Sym::EMPTY,
            to: Sym::EMPTY,
            recipient_urls: Sym::EMPTY,
            date: None,
            bucket,
        }
    }

    /// When it was sent, when its `DATE` is plausible.
    pub fn at(&self) -> Option<Instant> {
        self.date.map(std::num::NonZeroI64::get)
    }
}

/// What identity needs to know of every interned text, worked out once per export (the
/// timeline runs identity once per month over the same texts).
#[derive(Debug, Default)]
pub struct SymInfo {
    /// The normalised name form of each text.
    pub norm: Vec<String>,
    /// The URL key of each text, when it is a usable profile URL.
    pub url_key: Vec<Option<String>>,
    /// For texts used as `TO`: the normalised pieces split at bare commas.
    to_pieces: HashMap<Sym, Vec<String>>,
}

impl SymInfo {
    /// The normalised `TO` pieces of a text (METRICS.md §3 split), for `TO` texts.
    pub fn to_pieces(&self, to: Sym) -> &[String] {
        self.to_pieces.get(&to).map_or(&[], Vec::as_slice)
    }
}

/// `messages.csv`, read.
#[derive(Debug, Default)]
pub struct Messages {
    /// Every row, in file order.
    pub rows: Vec<MessageRow>,
    /// The text of the interned fields.
    pub strings: Interner,
    /// The conversation ids, numbered by fingerprint: their text is not kept.
    pub conversation_ids: Prints,
    /// Whether the format has `CONVERSATION ID` (2021 on).
    pub has_conversation_id: bool,
    /// Whether the format has `RECIPIENT PROFILE URLS` (Apr 2023 on).
    pub has_recipient_urls: bool,
    info: std::sync::OnceLock<SymInfo>,
}

impl Messages {
    /// Normalised names and URL keys of the interned texts, computed on first use: names of
    /// the texts used as `FROM` or `TO`, keys of those used as `SENDER PROFILE URL` (the
    /// rest need neither).
    pub fn sym_info(&self) -> &SymInfo {
        self.info.get_or_init(|| {
            use rayon::prelude::*;
            use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
            const NAME: u8 = 1;
            const URL: u8 = 2;
            const TO: u8 = 4;
            // Marked in parallel; a mark already there is only read, so that the texts in
            // most rows (the owner's name) are not written from every thread.
            let uses: Vec<AtomicU8> = (0..self.strings.len()).map(|_| AtomicU8::new(0)).collect();
            let mark = |sym: Sym, what: u8| {
                let used = &uses[sym.0 as usize];
                if used.load(Relaxed) & what != what {
                    used.fetch_or(what, Relaxed);
                }
            };
            self.rows.par_iter().for_each(|r| {
                mark(r.from, NAME);
                mark(r.to, NAME | TO);
                mark(r.from_url, URL);
            });
            let uses = uses.into_iter().map(AtomicU8::into_inner);
            let texts: Vec<(&str, u8)> = self.strings.iter().zip(uses).collect();
            let to_pieces = texts
                .par_iter()
                .enumerate()
                .filter(|(_, (_, uses))| uses & TO != 0)
                .map(|(i, &(to, _))| {
                    let pieces = crate::identity::split_to(to);
                    (
                        Sym(i as u32),
                        pieces
                            .into_iter()
                            .map(crate::keys::normalise_name)
                            .collect(),
                    )
                })
                .collect();
            SymInfo {
                norm: texts
                    .par_iter()
                    .map(|&(t, uses)| {
                        if uses & NAME != 0 {
                            crate::keys::normalise_name(t)
                        } else {
                            String::new()
                        }
                    })
                    .collect(),
                url_key: texts
                    .par_iter()
                    .map(|&(t, uses)| if uses & URL != 0 { url_key(t) } else { None })
                    .collect(),
                to_pieces,
            }
        })
    }
}

/// One `Invitations.csv` row.
#[derive(Clone, Debug)]
pub struct InvitationRow {
    /// The line the row starts on.
    pub line: u64,
    /// `From`.
    pub from: String,
    /// `To`.
    pub to: String,
    /// `Sent At`.
    pub sent_at: Option<Instant>,
    /// `Message`, trimmed.
    pub message: String,
    /// `Direction` is `OUTGOING`.
    pub outgoing: bool,
    /// `inviterProfileUrl`.
    pub inviter_url: String,
    /// `inviteeProfileUrl`.
    pub invitee_url: String,
    /// Its bucket.
    pub bucket: InvitationBucket,
}

/// `Invitations.csv`, read.
#[derive(Debug, Default)]
pub struct Invitations {
    /// Every row, in file order.
    pub rows: Vec<InvitationRow>,
}

const CONNECTIONS: HeaderSpec = HeaderSpec {
    required: &["First Name", "Last Name", "Connected On"],
    optional: &["URL", "Email Address", "Company", "Position"],
};

const MESSAGES: HeaderSpec = HeaderSpec {
    required: &["FROM", "TO", "DATE"],
    optional: &[
        "CONVERSATION ID",
        "CONVERSATION TITLE",
        "SENDER PROFILE URL",
        "RECIPIENT PROFILE URLS",
        "SUBJECT",
        "CONTENT",
        "FOLDER",
        "DIRECTION",
        "ATTACHMENTS",
        "IS MESSAGE DRAFT",
        "IS CONVERSATION DRAFT",
    ],
};

const INVITATIONS: HeaderSpec = HeaderSpec {
    required: &["From", "To", "Sent At", "Direction"],
    optional: &[
        "Message",
        "inviterProfileUrn",
        "inviteeProfileUrn",
        "inviterProfileUrl",
        "inviteeProfileUrl",
    ],
};

const PROFILE: HeaderSpec = HeaderSpec {
    required: &["First Name", "Last Name"],
    optional: &[
        "Maiden Name",
        "Address",
        "Birth Date",
        "Headline",
        "Summary",
        "Industry",
    ],
};

/// Remembers the first unparseable date, so that a file whose dates are all in an unknown
/// format is an error rather than a file of `bad_date` rows.
struct DateCheck {
    column: &'static str,
    expected: &'static str,
    parsed_any: bool,
    first_bad: Option<(u64, String)>,
}

impl DateCheck {
    fn new(column: &'static str, expected: &'static str) -> Self {
        DateCheck {
            column,
            expected,
            parsed_any: false,
            first_bad: None,
        }
    }
    fn see(&mut self, line: u64, value: &str, parsed: Option<Instant>) {
        if parsed.is_some() {
            self.parsed_any = true;
        } else if self.first_bad.is_none() && !value.trim().is_empty() {
            self.first_bad = Some((line, value.to_string()));
        }
    }
    /// Takes in what another check saw of later rows, its lines counted from `line`.
    fn absorb(&mut self, later: DateCheck, line: u64) {
        self.parsed_any |= later.parsed_any;
        if self.first_bad.is_none() {
            self.first_bad = later.first_bad.map(|(l, v)| (l + line, v));
        }
    }
    fn finish(self, file: &str) -> Result<(), ReadError> {
        match (self.parsed_any, self.first_bad) {
            (false, Some((line, value))) => Err(ReadError::UnknownDateFormat {
                file: file.to_string(),
                line,
                column: self.column,
                value,
                expected: self.expected,
            }),
            _ => Ok(()),
        }
    }
}

/// Whether a parsed date can be a LinkedIn date: from 2003 (LinkedIn opened in May 2003)
/// through 2099. Anything else is damage — an epoch-zero `1970-01-01`, a year typed `0022` or
/// `9999` — and its row is `bad_date`: such a date would otherwise set the as-of day or the
/// first cohort, and the timeline (one month at a time) would run over centuries.
fn plausible(t: Instant) -> bool {
    let (first, end) = (
        super::days_from_civil(2003, 1, 1) * super::DAY,
        super::days_from_civil(2100, 1, 1) * super::DAY,
    );
    (first..end).contains(&t)
}

fn strict_check(opts: &ReadOptions, file: &str, line: u64, bucket: &str) -> Result<(), ReadError> {
    if opts.strict {
        let why = match bucket {
            "malformed" => "the row's field count differs from the header's",
            _ => "the row's date cannot be read, or lies outside 2003–2099",
        };
        return Err(ReadError::StrictSkip {
            file: file.to_string(),
            line,
            why: why.to_string(),
        });
    }
    Ok(())
}

fn file_info(
    kind: FileKind,
    file: &str,
    encoding: Encoding,
    header: &super::table::Header,
    era: &'static str,
) -> FileInfo {
    FileInfo {
        kind,
        path: file.to_string(),
        era,
        encoding,
        preamble_lines: header.preamble_lines(),
        columns: header.names.clone(),
        ignored: Vec::new(),
    }
}

/// A `Connections.csv` field: `NA` (an Excel re-save's empty cell) is empty (METRICS.md §1).
fn connection_field<'r>(row: &'r Row<'_>, index: Option<usize>) -> std::borrow::Cow<'r, str> {
    let v = row.get(index);
    if v == "NA" {
        std::borrow::Cow::Borrowed("")
    } else {
        v
    }
}

pub(super) fn read_connections(
    file: &str,
    prepared: &Prepared<'_>,
    opts: &ReadOptions,
) -> Result<(FileInfo, Connections), ReadError> {
    let bytes = &prepared.bytes;
    let header = find_header(file, bytes, &CONNECTIONS)?;
    let col = |n| header.index(n);
    let (first, last, url, company, position, date) = (
        col("First Name"),
        col("Last Name"),
        col("URL"),
        col("Company"),
        col("Position"),
        col("Connected On"),
    );
    let mut dates = DateCheck::new(
        "Connected On",
        "a date like `09 Sep 2022`, `9-Sep-22` or `1/8/18, 6:14 PM`",
    );
    // At most a row a line: one allocation rather than a table grown, and copied into fresh
    // memory, by doubling. Capped (a file of empty lines has no rows), far above LinkedIn's
    // 30,000 connections; a larger file grows past it.
    let lines = (newlines(&bytes[header.data_start..]) as usize + 1).min(1 << 21);
    let (mut seen_rows, mut seen_urls, mut rows) =
        (HashSet::default(), HashSet::default(), Vec::new());
    // Only where memory allows: under an address-space limit a reservation may fail, and
    // the tables then grow as they go.
    let _ = seen_rows.try_reserve(lines);
    let _ = seen_urls.try_reserve(lines);
    let _ = rows.try_reserve(lines);
    let mut us_dates = false;
    for_each_row(file, bytes, &header, |row| {
        let mut r = ConnectionRow {
            line: row.line,
            company: connection_field(&row, company).into_owned(),
            position: connection_field(&row, position).into_owned(),
            connected_on: None,
            bucket: ConnectionBucket::Counted,
            name: String::new(),
            norm: String::new(),
            url_key: None,
        };
        // The first and last names joined by a space, tidied: their words in turn.
        let (first, last) = (connection_field(&row, first), connection_field(&row, last));
        r.name = crate::keys::tidy_pair(&first, &last);
        r.norm = crate::keys::normalise_name(&r.name);
        // `URL` (Jul 2023 on) is kept only as its key: nothing else needs it, and at a
        // million connections the text was 70 MB.
        r.url_key = url_key(&connection_field(&row, url));
        let key = r.url_key.clone();
        r.bucket = if row.malformed {
            ConnectionBucket::Malformed
        } else if r.name.is_empty() && key.is_none() {
            ConnectionBucket::Blank
        } else {
            let fresh_row = seen_rows.insert(row.fingerprint(true));
            let fresh_url = key.is_none_or(|k| seen_urls.insert(k));
            if !(fresh_row && fresh_url) {
                ConnectionBucket::Duplicate
            } else {
                ConnectionBucket::Counted
            }
        };
        if r.bucket != ConnectionBucket::Malformed {
            let value = connection_field(&row, date);
            let parsed = parse_date(&value);
            us_dates |= parsed.is_some() && value.contains('/');
            dates.see(row.line, &value, parsed);
            r.connected_on = parsed.filter(|&t| plausible(t));
            if r.connected_on.is_none() && r.bucket == ConnectionBucket::Counted {
                r.bucket = ConnectionBucket::BadDate;
            }
        }
        if matches!(
            r.bucket,
            ConnectionBucket::Malformed | ConnectionBucket::BadDate
        ) {
            strict_check(opts, file, r.line, r.bucket.name())?;
        }
        rows.push(r);
        Ok(())
    })?;
    dates.finish(file)?;
    let era = match (header.has("URL"), header.preamble_lines() > 0, us_dates) {
        (true, true, _) => "Jul 2023–2026",
        (true, false, _) => "Jul 2023–2026 (preamble removed)",
        (false, true, _) => "2021–Feb 2023",
        (false, false, true) => "2018",
        (false, false, false) => "2021–Feb 2023 (preamble removed)",
    };
    let info = file_info(FileKind::Connections, file, prepared.encoding, &header, era);
    Ok((
        info,
        Connections {
            rows,
            has_url: header.has("URL"),
        },
    ))
}

/// The columns of `messages.csv` orchard reads (absent ones are `None`).
#[derive(Clone, Copy)]
struct MessageColumns {
    conv: Option<usize>,
    title: Option<usize>,
    from: Option<usize>,
    from_url: Option<usize>,
    to: Option<usize>,
    rcpt: Option<usize>,
    date: Option<usize>,
    folder: Option<usize>,
    draft: Option<usize>,
}

/// A chunk of `messages.csv` read on its own ([`super::stream`]): rows with lines counted
/// from the chunk's start, symbols of the chunk's own interner and numbers of its own
/// conversation ids, each row's fingerprint,
/// and the dates seen. Duplicates need every earlier row: the merge gathers the fingerprints
/// ([`Fingerprints`]), and they are found once every row is read.
struct MessageChunk {
    rows: Vec<MessageRow>,
    fingerprints: Vec<u128>,
    strings: Interner,
    conversation_ids: Prints,
    /// The last row's conversation id as read, and its number: the rows of a conversation
    /// mostly come together.
    last_conversation: (Vec<u8>, PrintId),
    dates: DateCheck,
}

impl MessageChunk {
    /// A chunk for `bytes` bytes of the file. It has room for what such bytes mostly hold
    /// (a row is a few hundred bytes, and most texts repeat the row before's), so that its
    /// tables do not grow row by row, copying rows and re-inserting texts each time.
    fn new(shared: &Interner, bytes: usize) -> Self {
        let rows = bytes / 128 + 16;
        MessageChunk {
            rows: Vec::with_capacity(rows),
            fingerprints: Vec::with_capacity(rows),
            strings: shared.sibling_with_capacity(bytes / 256 + 16, bytes / 8),
            conversation_ids: Prints::with_capacity(bytes / 1024 + 16),
            last_conversation: (Vec::new(), PrintId::EMPTY),
            dates: message_dates(),
        }
    }

    /// Adds a row with its bucket as if it were not a duplicate.
    fn add(&mut self, c: &MessageColumns, row: &Row<'_>) {
        let mut r = MessageRow::empty(row.line, MessageBucket::Malformed);
        if row.malformed {
            self.rows.push(r);
            self.fingerprints.push(0);
            return;
        }
        let strings = &mut self.strings;
        let date_text = row.get(c.date);
        let parsed = parse_instant(&date_text);
        self.dates.see(row.line, &date_text, parsed);
        r.date = parsed
            .filter(|&t| plausible(t))
            .and_then(std::num::NonZeroI64::new);
        // Rows of a conversation come together, its two people writing in turn: each text is
        // first compared with the row before's.
        let b = self.rows.last().copied().unwrap_or(r);
        let id = row.bytes(c.conv);
        let (last_id, last) = &mut self.last_conversation;
        if id != last_id.as_slice() {
            *last = self.conversation_ids.number(Prints::of(&text_of(id)));
            last_id.clear();
            last_id.extend_from_slice(id);
        }
        r.conversation = *last;
        let mut text = |likely: &[Sym], col| strings.intern_likely(likely, row.bytes(col), text_of);
        r.from = text(&[b.from, b.to], c.from);
        r.from_url = text(&[b.from_url, b.recipient_urls], c.from_url);
        r.to = text(&[b.to, b.from], c.to);
        r.recipient_urls = text(&[b.recipient_urls, b.from_url], c.rcpt);
        r.bucket = if trim(&row.get(c.draft)).eq_ignore_ascii_case("yes")
            || (c.conv.is_some() && r.conversation == PrintId::EMPTY && r.to == Sym::EMPTY)
        {
            MessageBucket::Draft
        } else if trim(&row.get(c.title)) == "Sponsored Conversation" {
            MessageBucket::Sponsored
        } else if trim(&row.get(c.folder)).eq_ignore_ascii_case("SPAM") {
            MessageBucket::Spam
        } else if is_anonymous(strings.get(r.from), strings.get(r.from_url)) {
            MessageBucket::Anonymous
        } else if r.date.is_none() {
            MessageBucket::BadDate
        } else {
            MessageBucket::Counted
        };
        self.rows.push(r);
        self.fingerprints.push(row.fingerprint(false));
    }
}

/// A field's text: its bytes decoded ([`decode`]) and trimmed.
fn text_of(raw: &[u8]) -> Cow<'_, str> {
    match decode(raw) {
        Cow::Borrowed(s) => Cow::Borrowed(trim(s)),
        Cow::Owned(s) => Cow::Owned(trim(&s).to_string()),
    }
}

/// The fingerprints of the rows read, for the duplicate test (METRICS.md §3), in parts by
/// their first byte, each in file order. A set of every fingerprint, filled row by row, was a
/// tenth of the reading time at ten million rows: each insert a cache miss into hundreds of
/// megabytes. A part's set fits in the processor's cache.
struct Fingerprints {
    /// Each part's fingerprints (two halves) with their row.
    parts: Vec<Vec<(u64, u64, u64)>>,
}

impl Fingerprints {
    const PARTS: usize = 256;

    fn new() -> Self {
        Fingerprints {
            parts: vec![Vec::new(); Self::PARTS],
        }
    }

    /// Room for `n` rows' fingerprints, where memory allows.
    fn reserve(&mut self, n: usize) {
        for part in &mut self.parts {
            let _ = part.try_reserve(n / Self::PARTS + n / Self::PARTS / 16);
        }
    }

    /// Adds row `row`'s fingerprint.
    fn add(&mut self, row: usize, fp: u128) {
        let (hi, lo) = ((fp >> 64) as u64, fp as u64);
        self.parts[(hi >> 56) as usize].push((hi, lo, row as u64));
    }

    /// Marks the rows that repeat an earlier row exactly as duplicates; the first of equal
    /// rows stays. The parts are searched on every thread.
    fn mark(self, rows: &mut [MessageRow]) {
        use rayon::prelude::*;
        let duplicates: Vec<u64> = self
            .parts
            .into_par_iter()
            .flat_map_iter(|part| {
                let mut seen: HashSet<(u64, u64)> =
                    HashSet::with_capacity_and_hasher(part.len(), Default::default());
                part.into_iter()
                    .filter(move |&(hi, lo, _)| !seen.insert((hi, lo)))
                    .map(|(_, _, row)| row)
            })
            .collect();
        for i in duplicates {
            rows[i as usize].bucket = MessageBucket::Duplicate;
        }
    }
}

fn message_dates() -> DateCheck {
    DateCheck::new(
        "DATE",
        "a timestamp like `2022-09-08 18:08:14 UTC` or `10/16/18, 8:36 AM`",
    )
}

/// Reads `messages.csv` from `input`, a window at a time, in chunks on all threads.
pub(super) fn read_messages(
    mut input: Input<'_>,
    opts: &ReadOptions,
) -> Result<(FileInfo, Messages), ReadError> {
    let file = input.file().to_string();
    let file = file.as_str();
    let header = input.header(&MESSAGES)?;
    let col = |n| header.index(n);
    let columns = MessageColumns {
        conv: col("CONVERSATION ID"),
        title: col("CONVERSATION TITLE"),
        from: col("FROM"),
        from_url: col("SENDER PROFILE URL"),
        to: col("TO"),
        rcpt: col("RECIPIENT PROFILE URLS"),
        date: col("DATE"),
        folder: col("FOLDER"),
        draft: col("IS MESSAGE DRAFT"),
    };
    let encoding = input.encoding;
    let size = input.size_hint();
    let mut dates = message_dates();
    // Chunks intern into siblings of `shared`; the merge takes their texts into `strings`
    // without hashing them again.
    let shared = Interner::default();
    let mut strings = shared.sibling();
    let mut conversation_ids = Prints::default();
    let mut fingerprints = Fingerprints::new();
    let mut rows: Vec<MessageRow> = Vec::new();
    let mut read = input.read_chunked(
        &header,
        |bytes, range| {
            // A chunk parsed again from where the record before it really ended may start
            // past its cut (that record held two cuts): it then reads nothing.
            let mut chunk = MessageChunk::new(&shared, range.stop.saturating_sub(range.from));
            let end = read_range(file, bytes, range, |row| {
                chunk.add(&columns, &row);
                Ok(())
            });
            (chunk, end)
        },
        |chunks, bytes| {
            let first = rows.len();
            for (chunk, line) in chunks {
                // Merged in file order, the texts get the symbols one pass would give them.
                let base = rows.len();
                let local = strings.absorb(&chunk.strings);
                let sym = |s: Sym| local[s.0 as usize];
                let ids = conversation_ids.absorb(&chunk.conversation_ids);
                rows.extend(chunk.rows.into_iter().map(|r| MessageRow {
                    line: r.line + line,
                    conversation: ids[r.conversation.0 as usize],
                    from: sym(r.from),
                    from_url: sym(r.from_url),
                    to: sym(r.to),
                    recipient_urls: sym(r.recipient_urls),
                    ..r
                }));
                for (row, fp) in (base..).zip(chunk.fingerprints) {
                    if rows[row].bucket != MessageBucket::Malformed {
                        fingerprints.add(row, fp);
                    }
                }
                dates.absorb(chunk.dates, line);
            }
            if first == 0 && bytes > 0 {
                // Room for the whole file's rows at the first window's density: growing a
                // table of millions of rows by doubling copies it again and again, into
                // fresh memory each time. (The size is the file system's, not a zip's word.)
                let total = rows.len() as u64 * size / bytes as u64;
                let total = (total + total / 16).min(size / 16) as usize;
                // Only where memory allows (see read_connections).
                let _ = rows.try_reserve(total.saturating_sub(rows.len()));
                fingerprints.reserve(total);
                // And for the texts at the first window's rate of new ones.
                let scale =
                    |n: usize| (n as u64 * total as u64 / rows.len().max(1) as u64) as usize;
                strings.reserve(
                    scale(strings.len()).saturating_sub(strings.len()),
                    scale(strings.bytes()).saturating_sub(strings.bytes()),
                );
                conversation_ids
                    .reserve(scale(conversation_ids.len()).saturating_sub(conversation_ids.len()));
            }
        },
    );
    fingerprints.mark(&mut rows);
    // A file that cannot be read, or is too large, is that before anything in it; then a
    // skipped row before a failure is the first error of a `--strict` pass.
    if let Err(e) = read {
        if e.is_about_reading() {
            return Err(e);
        }
        read = Err(e);
    }
    if let Some(r) = rows
        .iter()
        .find(|r| matches!(r.bucket, MessageBucket::Malformed | MessageBucket::BadDate))
    {
        strict_check(opts, file, r.line, r.bucket.name())?;
    }
    read?;
    dates.finish(file)?;
    let era = if header.has("DIRECTION") {
        "2018"
    } else if !header.has("CONVERSATION ID") {
        "2019"
    } else if !header.has("RECIPIENT PROFILE URLS") {
        "May 2021–Feb 2023"
    } else if header.quoted {
        "2026 (fully quoted)"
    } else {
        "Apr 2023–2026"
    };
    let info = file_info(FileKind::Messages, file, encoding, &header, era);
    Ok((
        info,
        Messages {
            rows,
            strings,
            conversation_ids,
            has_conversation_id: columns.conv.is_some(),
            has_recipient_urls: columns.rcpt.is_some(),
            info: Default::default(),
        },
    ))
}

pub(super) fn read_invitations(
    file: &str,
    prepared: &Prepared<'_>,
    opts: &ReadOptions,
) -> Result<(FileInfo, Invitations), ReadError> {
    let bytes = &prepared.bytes;
    let header = find_header(file, bytes, &INVITATIONS)?;
    let col = |n| header.index(n);
    let (from, to, sent, message, direction, inviter, invitee) = (
        col("From"),
        col("To"),
        col("Sent At"),
        col("Message"),
        col("Direction"),
        col("inviterProfileUrl"),
        col("inviteeProfileUrl"),
    );
    let mut dates = DateCheck::new("Sent At", "a timestamp like `8/18/18, 9:08 AM`");
    let mut rows = Vec::new();
    for_each_row(file, bytes, &header, |row| {
        let sent_text = row.get(sent);
        let parsed = if row.malformed {
            None
        } else {
            parse_instant(&sent_text)
        };
        let sent_at = parsed.filter(|&t| plausible(t));
        let bucket = if row.malformed {
            InvitationBucket::Malformed
        } else if sent_at.is_none() {
            InvitationBucket::BadDate
        } else {
            InvitationBucket::Counted
        };
        if !row.malformed {
            dates.see(row.line, &sent_text, parsed);
        }
        if bucket != InvitationBucket::Counted {
            strict_check(opts, file, row.line, bucket.name())?;
        }
        rows.push(InvitationRow {
            line: row.line,
            from: row.get(from).trim().to_string(),
            to: row.get(to).trim().to_string(),
            sent_at,
            message: row.get(message).trim().to_string(),
            outgoing: row.get(direction).trim().eq_ignore_ascii_case("OUTGOING"),
            inviter_url: row.get(inviter).trim().to_string(),
            invitee_url: row.get(invitee).trim().to_string(),
            bucket,
        });
        Ok(())
    })?;
    dates.finish(file)?;
    let era = if header.has("inviterProfileUrl") {
        "Dec 2023–2026"
    } else if header.has("inviterProfileUrn") {
        "mid 2023"
    } else {
        "2018–2022"
    };
    let info = file_info(FileKind::Invitations, file, prepared.encoding, &header, era);
    Ok((info, Invitations { rows }))
}

pub(super) fn read_profile(
    file: &str,
    prepared: &Prepared<'_>,
) -> Result<(FileInfo, Option<String>), ReadError> {
    let bytes = &prepared.bytes;
    let header = find_header(file, bytes, &PROFILE)?;
    let (first, last) = (header.index("First Name"), header.index("Last Name"));
    let mut name = None;
    for_each_row(file, bytes, &header, |row| {
        if name.is_none() {
            let n = crate::keys::tidy(&format!("{} {}", row.get(first), row.get(last)));
            if !n.is_empty() {
                name = Some(n);
            }
        }
        Ok(())
    })?;
    let info = file_info(FileKind::Profile, file, prepared.encoding, &header, "any");
    Ok((info, name))
}

/// The cut-off, bucket counts and counted rows of one file type (METRICS.md §2–3).
macro_rules! table_impl {
    ($table:ident, $row:ident, $date:expr, $bucket:ident) => {
        impl $table {
            /// Moves counted rows dated at or after the cut-off to `after_cutoff`.
            pub(super) fn apply_cutoff(&mut self, cutoff: Instant) {
                use rayon::prelude::*;
                self.rows.par_iter_mut().for_each(|r| {
                    if r.bucket == $bucket::Counted && ($date)(&*r).is_some_and(|d| d >= cutoff) {
                        r.bucket = $bucket::AfterCutoff;
                    }
                });
            }
            /// Counts by bucket.
            pub fn buckets(&self) -> Buckets {
                Buckets::count(&self.rows, |r| r.bucket)
            }
            /// The counted rows.
            pub fn counted(&self) -> impl Iterator<Item = &$row> {
                self.rows.iter().filter(|r| r.bucket == $bucket::Counted)
            }
            /// The counted rows dated before an earlier cut-off (a timeline month's end).
            pub fn counted_before(&self, cutoff: Instant) -> impl Iterator<Item = &$row> {
                self.rows
                    .iter()
                    .filter(move |r| self.is_counted_before(r, cutoff))
            }
            /// Whether `r` is one of [`Self::counted_before`]`(cutoff)`.
            pub fn is_counted_before(&self, r: &$row, cutoff: Instant) -> bool {
                r.bucket == $bucket::Counted && ($date)(r).is_some_and(|d| d < cutoff)
            }
        }
    };
}

table_impl!(
    Connections,
    ConnectionRow,
    |r: &ConnectionRow| r.connected_on,
    ConnectionBucket
);
table_impl!(Messages, MessageRow, MessageRow::at, MessageBucket);
table_impl!(
    Invitations,
    InvitationRow,
    |r: &InvitationRow| r.sent_at,
    InvitationBucket
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{days_from_civil, DAY};

    #[test]
    fn a_message_row_is_forty_bytes() {
        // Ten million of them on tier L: each word more is 80 MB.
        assert_eq!(std::mem::size_of::<MessageRow>(), 40);
    }

    #[test]
    fn the_first_of_equal_rows_stays_in_every_part() {
        let row = |bucket| MessageRow::empty(0, bucket);
        // a and b fall in different parts, c in a's with other low bits.
        let (a, b, c) = (1u128 << 127 | 5, 1u128 << 64 | 5, 1u128 << 127 | 6);
        let fps = [a, b, a, c, b, a, c];
        let mut rows: Vec<MessageRow> = fps.iter().map(|_| row(MessageBucket::Counted)).collect();
        rows[3].bucket = MessageBucket::BadDate;
        let mut fingerprints = Fingerprints::new();
        for (i, &fp) in fps.iter().enumerate() {
            fingerprints.add(i, fp);
        }
        fingerprints.mark(&mut rows);
        let buckets: Vec<_> = rows.iter().map(|r| r.bucket).collect();
        use MessageBucket::*;
        assert_eq!(
            buckets,
            [Counted, Counted, Duplicate, BadDate, Duplicate, Duplicate, Duplicate]
        );
    }

    #[test]
    fn conversation_ids_are_numbered_by_their_text_in_first_seen_order() {
        // Trimmed text, not bytes, decides; a malformed row between two rows of one id, and
        // chunks apart (40,000 filler rows make more than one 1 MiB chunk), change nothing.
        let date = "2022-09-08 18:08:14 UTC";
        let mut text =
            format!("CONVERSATION ID,FROM,TO,DATE\nc1,A,B,{date}\n\" c1 \",B,A,{date}\n");
        text += &format!("c2,A,B,{date}\nc2,A\nc2,B,A,{date}\n,A,B,{date}\n");
        for i in 0..40_000 {
            text += &format!("f{i},A,B,{date}\n");
        }
        text += &format!("c2,A,B,{date}\nc1,B,A,{date}\n");
        assert!(text.len() > 1 << 20);
        let export = crate::export::read_file_bytes(
            FileKind::Messages,
            "m.csv",
            text.as_bytes(),
            &ReadOptions::default(),
        )
        .unwrap();
        let m = export.messages.unwrap();
        let ids: Vec<u32> = m.rows.iter().map(|r| r.conversation.0).collect();
        assert_eq!(ids[..6], [1, 1, 2, 0, 2, 0]);
        assert_eq!(m.rows[3].bucket, MessageBucket::Malformed);
        assert_eq!(
            m.rows[5].bucket,
            MessageBucket::Counted,
            "an empty id is still a row"
        );
        assert_eq!((ids[6], ids[6 + 39_999]), (3, 40_002));
        assert_eq!(ids[ids.len() - 2..], [2, 1]);
        assert_eq!(
            m.conversation_ids.len(),
            40_003,
            "the empty id and 40,002 others"
        );
    }

    #[test]
    fn a_message_longer_than_two_chunks_is_one_row() {
        // Its text's lines look like records of the header's width, so chunks are cut inside
        // it twice (chunks are 1 MiB): the chunk after the second cut starts past its own end.
        let lines = 400_000;
        let text = format!(
            "FROM,TO,DATE,CONTENT\nA,B,2022-09-08 18:08:14 UTC,\"{}\"\nB,A,2022-09-09 10:00:00 UTC,hi\n",
            "w,x,y,z\n".repeat(lines)
        );
        assert!(text.len() > 3 << 20 && text.len() < super::super::table::max_row_bytes());
        let export = crate::export::read_file_bytes(
            FileKind::Messages,
            "m.csv",
            text.as_bytes(),
            &ReadOptions::default(),
        )
        .unwrap();
        let m = export.messages.unwrap();
        let rows: Vec<_> = m.rows.iter().map(|r| (r.line, r.bucket)).collect();
        let next = 2 + lines as u64 + 1;
        assert_eq!(
            rows,
            [(2, MessageBucket::Counted), (next, MessageBucket::Counted)]
        );
    }

    #[test]
    fn strict_reports_the_first_problem_in_file_order() {
        // Line 2 has too few fields; line 3 is longer than the row limit. With --strict the
        // malformed row comes first; without, the long row is the error.
        let long = "x".repeat(super::super::table::max_row_bytes() + 1);
        let text = format!("FROM,TO,DATE\nA,B\nA,B,{long}\n");
        let read = |strict| {
            let opts = ReadOptions { strict };
            crate::export::read_file_bytes(FileKind::Messages, "m.csv", text.as_bytes(), &opts)
                .unwrap_err()
        };
        assert!(
            matches!(read(true), ReadError::StrictSkip { line: 2, .. }),
            "{}",
            read(true)
        );
        assert!(
            matches!(read(false), ReadError::RowTooLong { line: 3, .. }),
            "{}",
            read(false)
        );
    }

    #[test]
    fn linkedin_dates_lie_in_2003_through_2099() {
        let at = |y, m, d| days_from_civil(y, m, d) * DAY;
        assert!(!plausible(0));
        assert!(!plausible(at(2002, 12, 31) + DAY - 1));
        assert!(plausible(at(2003, 1, 1)));
        assert!(plausible(at(2099, 12, 31) + DAY - 1));
        assert!(!plausible(at(2100, 1, 1)));
        assert!(!plausible(at(9999, 9, 12)));
    }
}
