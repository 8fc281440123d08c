//! `orchard synth`: synthetic LinkedIn exports of any size, in the exact layout of one era
//! (FORMATS.md), with the ground truth the generator planted written beside them.
//!
//! Everything follows from one seed through a PRNG of our own, so a seed gives the same bytes
//! whatever crate versions are in use. Memory is one small struct per connection: messages
//! are decided one conversation at a time and streamed to disk (or straight into a zip).
//!
//! The truth is worked out from the generator's own choices — which conversations it wrote,
//! with whom, when — applying the definitions of METRICS.md §1–4 and §6 (cohorts), never by
//! running orchard's metrics. See `plan.rs` for why each tie's state is what was planned
//! whatever conversations orchard merges.

mod connections;
mod invitations;
mod messages;
mod people;
mod plan;
mod rng;
mod table;
mod text;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use self::people::Cast;
use self::plan::{Kind, Plan};
use self::table::{days_from_civil, year_of, ymd, DAY};

/// The export format era to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    /// Nov 2018: no preamble, no URLs, `Messages.csv` with `Direction`, US dates everywhere.
    Y2018,
    /// 2021–Feb 2023: preamble, conversation ids, sender URLs; connections without URLs.
    Y2021,
    /// Jul–Dec 2023: connection URLs, `RECIPIENT PROFILE URLS`, invitation URNs.
    Y2023,
    /// 2026: fully quoted `messages.csv` with newlines in `CONTENT`, draft flags, invitation URLs.
    Y2026,
}

impl Era {
    /// Every era, oldest first.
    pub const ALL: [Era; 4] = [Era::Y2018, Era::Y2021, Era::Y2023, Era::Y2026];

    /// The era's year, as `--era` takes it.
    pub fn year(self) -> u16 {
        match self {
            Era::Y2018 => 2018,
            Era::Y2021 => 2021,
            Era::Y2023 => 2023,
            Era::Y2026 => 2026,
        }
    }

    /// The era of a year given to `--era` (2018, 2021, 2023 or 2026).
    pub fn from_year(year: u16) -> Option<Era> {
        Era::ALL.into_iter().find(|e| e.year() == year)
    }

    /// The as-of date `D`: the export's newest date (the newest connection is made that day).
    fn as_of_day(self) -> i64 {
        match self {
            Era::Y2018 => days_from_civil(2018, 11, 1),
            Era::Y2021 => days_from_civil(2021, 11, 15),
            Era::Y2023 => days_from_civil(2023, 9, 15),
            Era::Y2026 => days_from_civil(2026, 10, 15),
        }
    }

    /// How many years of connections the export spans.
    fn span_years(self) -> i64 {
        match self {
            Era::Y2018 => 6,
            Era::Y2021 => 7,
            Era::Y2023 => 8,
            Era::Y2026 => 9,
        }
    }

    /// `Connections.csv` has a `URL` column (Jul 2023 on).
    fn connections_have_urls(self) -> bool {
        matches!(self, Era::Y2023 | Era::Y2026)
    }

    /// `messages.csv` has `CONVERSATION ID` (2021 on), hence drafts by empty id and `TO`.
    fn has_conversation_ids(self) -> bool {
        self != Era::Y2018
    }

    /// `messages.csv` has `CONVERSATION TITLE` (2021 on), hence sponsored rows.
    fn has_titles(self) -> bool {
        self != Era::Y2018
    }

    /// Seconds in the smallest time step of message dates (2018 dates have no seconds).
    fn quantum(self) -> i64 {
        if self == Era::Y2018 {
            60
        } else {
            1
        }
    }

    fn messages_file(self) -> &'static str {
        if self == Era::Y2018 {
            "Messages.csv"
        } else {
            "messages.csv"
        }
    }
}

impl std::fmt::Display for Era {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.year())
    }
}

impl std::str::FromStr for Era {
    type Err = String;
    fn from_str(s: &str) -> Result<Era, String> {
        s.trim()
            .parse()
            .ok()
            .and_then(Era::from_year)
            .ok_or_else(|| format!("expected an era 2018, 2021, 2023 or 2026, got {s:?}"))
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct SynthOptions {
    /// Rows of `Connections.csv` (quirk rows included).
    pub connections: u64,
    /// Rows of `messages.csv` (quirk rows and duplicates included).
    pub messages: u64,
    /// The seed: the same seed gives the same bytes.
    pub seed: u64,
    /// The format era.
    pub era: Era,
    /// Write `DIR/export.zip` instead of the folder `DIR/export/`.
    pub zip: bool,
    /// The output folder `DIR`, created if missing.
    pub out: PathBuf,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct SynthOutput {
    /// The export: the folder, or the `.zip`.
    pub export: PathBuf,
    /// `truth.json`.
    pub truth: PathBuf,
    /// Data rows written over all files (headers and preambles not counted).
    pub rows: u64,
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The file system refused.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The zip archive could not be written.
    #[error("{}: cannot write the zip archive: {source}", path.display())]
    Zip {
        /// The archive.
        path: PathBuf,
        /// The underlying error.
        source: zip::result::ZipError,
    },
    /// More rows than the generator can give unique people to.
    #[error(
        "cannot generate {connections} connections and {messages} messages: the generator names \
         at most {max} distinct people, and needs up to 5 per connection and 3 per message"
    )]
    TooLarge {
        /// `--connections`.
        connections: u64,
        /// `--messages`.
        messages: u64,
        /// The most people the generator can name.
        max: u64,
    },
}

/// One file's accounting: rows by orchard's bucket names, and the newest date read from it.
pub(crate) struct Tally {
    buckets: Vec<(&'static str, u64)>,
    max_day: Option<i64>,
}

impl Tally {
    fn rows(&self) -> u64 {
        self.buckets.iter().map(|(_, n)| n).sum()
    }

    /// `{rows, <bucket>: n…}` as `summary.json` writes it.
    fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("rows".into(), json!(self.rows()));
        for (name, n) in &self.buckets {
            m.insert((*name).into(), json!(n));
        }
        Value::Object(m)
    }
}

/// Where the export's files go: a folder, or entries of a zip written as a stream.
enum Sink {
    Folder(PathBuf),
    Zip {
        zip: Box<zip::ZipWriter<BufWriter<File>>>,
        path: PathBuf,
        inner: String,
        options: zip::write::SimpleFileOptions,
    },
}

impl Sink {
    /// A zip written as a stream, its files in one top-level folder as LinkedIn's are.
    fn zip(path: &Path, as_of: i64, opts: &SynthOptions) -> Result<(PathBuf, Sink), SynthError> {
        let file = File::create(path).map_err(io_error(path))?;
        let (y, m, d) = table::civil_from_days(as_of);
        // A fixed time, so that the same seed gives the same archive bytes.
        let modified = zip::DateTime::from_date_and_time(y as u16, m as u8, d as u8, 9, 30, 0)
            .unwrap_or_default();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            // Fast deflate: the largest exports must be written in well under a minute.
            .compression_level(Some(1))
            .last_modified_time(modified)
            .unix_permissions(0o644)
            .large_file(opts.messages > 4_000_000 || opts.connections > 8_000_000);
        let sink = Sink::Zip {
            zip: Box::new(zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, file))),
            path: path.to_path_buf(),
            inner: format!("Basic_LinkedInDataExport_{m:02}-{d:02}-{y}"),
            options,
        };
        Ok((path.to_path_buf(), sink))
    }

    /// A folder, rid of the files a previous run of another era may have left there (orchard
    /// would pick them up too).
    fn folder(dir: &Path) -> Result<(PathBuf, Sink), SynthError> {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let names = [
            "Connections.csv",
            "messages.csv",
            "Messages.csv",
            "Invitations.csv",
            "Profile.csv",
        ];
        for name in names {
            let path = dir.join(name);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(SynthError::Io { path, source: e })
                }
                _ => {}
            }
        }
        Ok((dir.to_path_buf(), Sink::Folder(dir.to_path_buf())))
    }

    /// Writes one file through `body`.
    fn file<T>(
        &mut self,
        name: &str,
        body: impl FnOnce(&mut dyn Write) -> io::Result<T>,
    ) -> Result<T, SynthError> {
        match self {
            Sink::Folder(dir) => {
                let path = dir.join(name);
                let io = |source| SynthError::Io {
                    path: path.clone(),
                    source,
                };
                let mut w = BufWriter::with_capacity(1 << 20, File::create(&path).map_err(io)?);
                let value = body(&mut w).map_err(io)?;
                w.flush().map_err(io)?;
                Ok(value)
            }
            Sink::Zip {
                zip,
                path,
                inner,
                options,
            } => {
                let entry = format!("{inner}/{name}");
                zip.start_file(entry.as_str(), *options)
                    .map_err(|source| SynthError::Zip {
                        path: path.clone(),
                        source,
                    })?;
                body(zip.as_mut()).map_err(|source| SynthError::Io {
                    path: PathBuf::from(format!("{}:{entry}", path.display())),
                    source,
                })
            }
        }
    }

    fn finish(self) -> Result<(), SynthError> {
        if let Sink::Zip { zip, path, .. } = self {
            let mut file = zip.finish().map_err(|source| SynthError::Zip {
                path: path.clone(),
                source,
            })?;
            file.flush()
                .map_err(|source| SynthError::Io { path, source })?;
        }
        Ok(())
    }
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> SynthError + '_ {
    move |source| SynthError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Generates an export in `opts.out` (`export/` or `export.zip`) and `truth.json` beside it.
/// Files of those names are replaced.
pub fn synth(opts: &SynthOptions) -> Result<SynthOutput, SynthError> {
    let era = opts.era;
    let capacity = people::Names::new(opts.seed).capacity();
    let needed = opts
        .connections
        .saturating_mul(5)
        .saturating_add(opts.messages.saturating_mul(3));
    if needed > capacity || opts.messages > u64::from(u32::MAX) {
        return Err(SynthError::TooLarge {
            connections: opts.connections,
            messages: opts.messages,
            max: capacity,
        });
    }
    std::fs::create_dir_all(&opts.out).map_err(io_error(&opts.out))?;
    let mut plan = Plan::new(era, opts.seed, opts.connections, opts.messages);
    let cast = Cast::new(opts.seed, plan.ties.len() as u64, plan.credential_names());

    let (export, mut sink) = if opts.zip {
        Sink::zip(&opts.out.join("export.zip"), plan.as_of, opts)?
    } else {
        Sink::folder(&opts.out.join("export"))?
    };

    let mut next_person = plan.ties.len() as u64;
    let conn = sink.file("Connections.csv", |w| {
        connections::write(w, &plan, &cast, opts.seed, &mut next_person)
    })?;
    let msgs = sink.file(era.messages_file(), |w| {
        messages::write(w, &mut plan, &cast, opts.seed, &mut next_person)
    })?;
    let invs = sink.file("Invitations.csv", |w| {
        invitations::write(w, &plan, &cast, opts.seed, &mut next_person)
    })?;
    sink.file("Profile.csv", |w| write_profile(w, era, &cast))?;
    sink.finish()?;

    let truth = opts.out.join("truth.json");
    let value = truth_json(opts, &plan, [&conn, &msgs, &invs]);
    let file = File::create(&truth).map_err(io_error(&truth))?;
    let mut w = BufWriter::new(file);
    serde_json::to_writer_pretty(&mut w, &value)
        .map_err(io::Error::from)
        .and_then(|()| w.write_all(b"\n"))
        .and_then(|()| w.flush())
        .map_err(io_error(&truth))?;
    Ok(SynthOutput {
        export,
        truth,
        rows: conn.rows() + msgs.rows() + invs.rows() + 1,
    })
}

/// `Profile.csv`: the owner's own row.
fn write_profile(w: &mut dyn Write, era: Era, cast: &Cast) -> io::Result<()> {
    let mut csv = table::CsvOut::new(w, false);
    let o = &cast.owner;
    if era == Era::Y2018 {
        csv.header(&[
            "First Name",
            "Last Name",
            "Maiden Name",
            "Address",
            "Birth Date",
            "Contact Instructions",
            "Headline",
            "Summary",
            "Industry",
            "Country",
            "Zip Code",
            "Geo Location",
            "Twitter Handles",
            "Websites",
            "Instant Messengers",
        ])?;
    } else {
        csv.header(&[
            "First Name",
            "Last Name",
            "Maiden Name",
            "Address",
            "Birth Date",
            "Headline",
            "Summary",
            "Industry",
            "Zip Code",
            "Geo Location",
            "Twitter Handles",
            "Websites",
            "Instant Messengers",
        ])?;
    }
    csv.begin()?;
    for f in [o.first, o.last, "", "", "Mar 3, 1990"] {
        csv.field(f);
    }
    if era == Era::Y2018 {
        csv.field("");
    }
    csv.field("Data analyst, network gardener and \"recovering\" consultant");
    csv.field("I help teams turn messy data into decisions.");
    csv.field("Information Technology & Services");
    if era == Era::Y2018 {
        csv.field("Ireland");
    }
    for f in ["", "Cork, Ireland", "", "", ""] {
        csv.field(f);
    }
    csv.end();
    csv.finish(true)?;
    Ok(())
}

/// The truth: each connection's state from its own counted tie messages (METRICS.md §4, with
/// `--active-days 365` and `D` the newest date written), cohorts by `Connected On` year (§6),
/// and every file's buckets as written (§3).
fn truth_json(opts: &SynthOptions, plan: &Plan, tallies: [&Tally; 3]) -> Value {
    let as_of = tallies
        .iter()
        .filter_map(|t| t.max_day)
        .max()
        .unwrap_or(plan.as_of);
    let cutoff = (as_of + 1) * DAY;
    let active_from = cutoff - 365 * DAY;
    let mut states = [0u64; 4];
    let mut cohorts: BTreeMap<i64, [u64; 5]> = BTreeMap::new();
    for t in &plan.ties {
        let state = match (t.messaged, t.exchanged) {
            (false, _) => 0,
            (true, false) => 1,
            (true, true) if t.last >= active_from => 2,
            (true, true) => 3,
        };
        // What was planned is what was written (see plan.rs).
        debug_assert_eq!(
            (t.messaged, t.exchanged),
            match t.kind {
                Kind::Dormant => (false, false),
                Kind::PitchOut | Kind::PitchIn => (true, false),
                Kind::Pollinated | Kind::GroupOnly => (true, true),
            },
            "{t:?}"
        );
        states[state] += 1;
        let c = cohorts.entry(year_of(i64::from(t.day))).or_default();
        c[0] += 1;
        c[1 + state] += 1;
    }
    let names = ["dormant", "one_way", "active", "faded"];
    let state_map = |counts: &[u64]| {
        let mut m = Map::new();
        for (name, n) in names.iter().zip(counts) {
            m.insert((*name).into(), json!(n));
        }
        m
    };
    let mut pollinated = Map::new();
    let mut by_year = Map::new();
    for (year, c) in &cohorts {
        pollinated.insert(year.to_string(), json!(c[3] + c[4]));
        let mut m = Map::new();
        m.insert("n".into(), json!(c[0]));
        m.extend(state_map(&c[1..]));
        by_year.insert(year.to_string(), Value::Object(m));
    }
    let mut day = String::new();
    ymd(as_of, &mut day);
    let [conn, msgs, invs] = tallies;
    json!({
        "schema": "orchard.synth-truth/1",
        "seed": opts.seed,
        "era": opts.era.year(),
        "as_of": day,
        "connections": plan.ties.len(),
        "states": Value::Object(state_map(&states)),
        "pollinated_by_cohort": Value::Object(pollinated),
        "cohorts": Value::Object(by_year),
        "accounting": {
            "connections": conn.json(),
            "messages": msgs.json(),
            "invitations": invs.json(),
        },
    })
}
