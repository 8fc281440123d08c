//! The snapshot store: a folder with one sub-folder per snapshot, named by its id — the
//! as-of date and a short content hash (`2026-10-15-3f9a2c41d0`). A snapshot folder holds
//! `ties.parquet`, `summary.json` and `manifest.json`, is written to a temporary folder and
//! renamed into place, and is never changed afterwards.
//!
//! Folders whose name starts with `.` are not snapshots: temporary folders being written (or
//! left by a crash — the next `add` removes those whose process is gone) and folders being
//! removed.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{Snapshot, SnapshotError};
use crate::analysis::{analyse, Analysis, AnalysisError, Options};
use crate::export::{self, format_day, format_instant, ReadError};
use crate::report::{
    write_atomically, write_file, Exporter, OutputError, Report, SummaryJson, TiesParquet,
    SUMMARY_SCHEMA,
};

/// The schema of a snapshot folder: bumped whenever its files change meaning.
pub const SCHEMA: &str = "orchard.snapshot/1";

/// The file that makes a folder of the store a snapshot.
const MANIFEST: &str = "manifest.json";

/// Hex digits of the content hash in a snapshot id.
const ID_HASH_DIGITS: usize = 10;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store path exists but is not a folder.
    #[error("the snapshot store {path} is not a folder; pass --store with a folder (or set ORCHARD_STORE)")]
    NotAFolder {
        /// The path.
        path: String,
    },
    /// The file system refused.
    #[error("the snapshot store {path} cannot be used: {cause}")]
    Io {
        /// The path.
        path: String,
        /// The underlying error (not a `source`: the message already says it).
        cause: std::io::Error,
    },
    /// No snapshot has this id (or id prefix).
    #[error("no snapshot {id} in the store {store}; `orchard snapshot list` shows the ids")]
    NotFound {
        /// What was asked for.
        id: String,
        /// The store.
        store: String,
    },
    /// An id prefix matches several snapshots.
    #[error("{id} matches several snapshots ({matches}); give more of the id")]
    Ambiguous {
        /// What was asked for.
        id: String,
        /// The ids it matches.
        matches: String,
    },
    /// `remove` was given a prefix.
    #[error("remove takes a snapshot's whole id; {id} is the start of {whole}")]
    WholeId {
        /// What was given.
        id: String,
        /// The id it starts.
        whole: String,
    },
    /// A snapshot folder that this orchard cannot read.
    #[error("snapshot {id} cannot be read: {why}")]
    Unreadable {
        /// The snapshot.
        id: String,
        /// Why.
        why: String,
    },
    /// Analysing the export failed.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// Reading the export failed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Writing the snapshot failed.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Reading a snapshot's files failed.
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
}

/// What `manifest.json` records about a snapshot.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// [`SCHEMA`].
    pub schema: String,
    /// The orchard version that wrote it.
    pub orchard_version: String,
    /// The snapshot id.
    pub id: String,
    /// The as-of date, `YYYY-MM-DD`.
    pub as_of: String,
    /// When it was added, RFC 3339 UTC.
    pub added_at: String,
    /// The schema of its `summary.json`.
    pub summary_schema: String,
    /// The export it was made from.
    pub source: SourceInfo,
    /// SHA-256 of the export's files and the parameters, hex; the id holds its start.
    pub content_hash: String,
    /// The parameters it was measured with.
    pub parameters: Value,
}

/// The export a snapshot was made from.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SourceInfo {
    /// The path given to `snapshot add`.
    pub path: String,
    /// Each file read, with its size.
    pub files: Vec<SourceFile>,
}

/// One file of the export.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SourceFile {
    /// The file's name as shown to users (a path, or `archive.zip:folder/name.csv`).
    pub name: String,
    /// Its size in bytes (uncompressed).
    pub bytes: u64,
}

/// One folder of the store.
#[derive(Debug)]
pub struct Entry {
    /// The folder's name: the snapshot id.
    pub id: String,
    /// The folder.
    pub dir: PathBuf,
    /// Its manifest, or why it cannot be read.
    pub manifest: Result<Manifest, String>,
}

/// The outcome of `add`.
#[derive(Debug)]
pub enum Added {
    /// A new snapshot was stored.
    New(Manifest),
    /// The same export with the same parameters was stored before: nothing written.
    Existing(Manifest),
}

/// A snapshot store at a folder (which need not exist yet).
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
}

/// The platform's default store: `orchard` in the user data folder (`$XDG_DATA_HOME/orchard`,
/// `~/.local/share/orchard` on Linux).
pub fn default_root() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("orchard"))
}

impl Store {
    /// The store at `root`, which need not exist yet (`add` creates it). Fails when `root`
    /// is not a folder or cannot be looked at (a link loop, a folder on the way that denies
    /// access).
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        let store = Store {
            root: root.to_path_buf(),
        };
        match fs::metadata(root) {
            Ok(meta) if !meta.is_dir() => Err(StoreError::NotAFolder {
                path: root.display().to_string(),
            }),
            Ok(_) => Ok(store),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(store),
            Err(e) => Err(store.io()(e)),
        }
    }

    /// The store's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn io(&self) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
        |cause| StoreError::Io {
            path: self.root.display().to_string(),
            cause,
        }
    }

    /// Every snapshot folder — a visible sub-folder holding a `manifest.json`; anything else in
    /// the store is not orchard's and is left alone — sorted by as-of date, then the time it
    /// was added, then id (unreadable ones last). A store that does not exist yet is empty.
    pub fn entries(&self) -> Result<Vec<Entry>, StoreError> {
        if !self.root.exists() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for item in fs::read_dir(&self.root).map_err(self.io())? {
            let item = item.map_err(self.io())?;
            let id = item.file_name().to_string_lossy().into_owned();
            let dir = item.path();
            if id.starts_with('.') || !dir.join(MANIFEST).is_file() {
                continue;
            }
            let manifest = read_manifest(&dir, &id);
            out.push(Entry { id, dir, manifest });
        }
        out.sort_by(|a, b| {
            let key = |e: &Entry| match &e.manifest {
                Ok(m) => (0, m.as_of.clone(), m.added_at.clone()),
                Err(_) => (1, String::new(), String::new()),
            };
            key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
        });
        Ok(out)
    }

    /// The entry whose id is `id`, or the only one whose id starts with `id`.
    pub fn find(&self, id: &str) -> Result<Entry, StoreError> {
        let entries = self.entries()?;
        let not_found = || StoreError::NotFound {
            id: id.into(),
            store: self.root.display().to_string(),
        };
        if id.is_empty() {
            return Err(not_found());
        }
        let mut matching: Vec<Entry> = entries
            .into_iter()
            .filter(|e| e.id.starts_with(id))
            .collect();
        if let Some(i) = matching.iter().position(|e| e.id == id) {
            return Ok(matching.swap_remove(i));
        }
        match matching.len() {
            0 => Err(not_found()),
            1 => Ok(matching.remove(0)),
            _ => Err(StoreError::Ambiguous {
                id: id.into(),
                matches: matching
                    .iter()
                    .map(|e| e.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// The snapshot `id` (or id prefix), read.
    pub fn load(&self, id: &str) -> Result<(Manifest, Snapshot), StoreError> {
        load_entry(self.find(id)?)
    }

    /// Removes the snapshot `id` — the whole id, not a prefix: removal is not undone —
    /// readable or not. It is renamed to a hidden folder first, so that it leaves the list at
    /// once even if deleting its files fails.
    pub fn remove(&self, id: &str) -> Result<Entry, StoreError> {
        let entry = self.find(id)?;
        if entry.id != id {
            return Err(StoreError::WholeId {
                id: id.into(),
                whole: entry.id,
            });
        }
        let doomed = self
            .root
            .join(format!(".{}.removing-{}", entry.id, std::process::id()));
        fs::rename(&entry.dir, &doomed).map_err(self.io())?;
        fs::remove_dir_all(&doomed).map_err(self.io())?;
        Ok(entry)
    }

    /// Removes the temporary folders left by `add`s and `remove`s whose process is gone.
    /// Returns what was removed, and what could not be (with the reason): a leftover that
    /// cannot be removed is reported, never a reason to fail.
    pub fn clean_leftovers(&self) -> Result<Cleaned, StoreError> {
        let mut cleaned = Cleaned::default();
        if !self.root.exists() {
            return Ok(cleaned);
        }
        for item in fs::read_dir(&self.root).map_err(self.io())? {
            let item = item.map_err(self.io())?;
            let name = item.file_name().to_string_lossy().into_owned();
            let Some(pid) = leftover_pid(&name) else {
                continue;
            };
            if !item.path().is_dir() || pid == std::process::id() || process_alive(pid) {
                continue;
            }
            match fs::remove_dir_all(item.path()) {
                Ok(()) => cleaned.removed.push(name),
                Err(e) => cleaned.failed.push(format!("{name}: {e}")),
            }
        }
        cleaned.removed.sort();
        cleaned.failed.sort();
        Ok(cleaned)
    }

    /// Analyses the export and stores its snapshot, unless the same export with the same
    /// parameters is stored already. Returns the outcome and the leftovers cleaned first.
    pub fn add(&self, export: &Path, opts: &Options) -> Result<(Added, Cleaned), StoreError> {
        fs::create_dir_all(&self.root).map_err(self.io())?;
        let cleaned = self.clean_leftovers()?;
        let analysis = analyse(export, opts)?;
        let parameters = parameters(&analysis);
        let (content_hash, files) = content_hash(export, &parameters)?;
        let id = format!(
            "{}-{}",
            format_day(analysis.params.as_of),
            &content_hash[..ID_HASH_DIGITS]
        );
        let dir = self.root.join(&id);
        let existing = |id: String| -> Result<(Added, Cleaned), StoreError> {
            let manifest = read_manifest(&dir, &id).map_err(|why| StoreError::Unreadable {
                id: id.clone(),
                why,
            })?;
            if manifest.content_hash != content_hash {
                return Err(StoreError::Unreadable {
                    id,
                    why: "it holds another export whose content hash starts the same; remove \
                          it or use another store"
                        .into(),
                });
            }
            Ok((Added::Existing(manifest), cleaned.clone()))
        };
        if dir.exists() {
            return existing(id);
        }
        let manifest = Manifest {
            schema: SCHEMA.into(),
            orchard_version: env!("CARGO_PKG_VERSION").into(),
            id,
            as_of: format_day(analysis.params.as_of),
            added_at: format_instant(chrono::Utc::now().timestamp()),
            summary_schema: SUMMARY_SCHEMA.into(),
            source: SourceInfo {
                path: export.display().to_string(),
                files,
            },
            content_hash: content_hash.clone(),
            parameters,
        };
        match write_snapshot(&dir, &analysis, &manifest) {
            Ok(()) => Ok((Added::New(manifest), cleaned)),
            // Another `add` of the same export renamed its folder into place first.
            Err(OutputError::Exists { .. }) => existing(manifest.id),
            Err(e) => Err(e.into()),
        }
    }
}

/// What cleaning leftovers did.
#[derive(Clone, Debug, Default)]
pub struct Cleaned {
    /// Leftover folders removed.
    pub removed: Vec<String>,
    /// Leftover folders that could not be removed, with the reason.
    pub failed: Vec<String>,
}

/// An entry's snapshot, read; an unreadable manifest is the error.
pub fn load_entry(entry: Entry) -> Result<(Manifest, Snapshot), StoreError> {
    let manifest = entry.manifest.map_err(|why| StoreError::Unreadable {
        id: entry.id.clone(),
        why,
    })?;
    let snapshot = Snapshot::from_folder(&entry.dir, entry.id)?;
    Ok((manifest, snapshot))
}

/// Writes a snapshot folder: the tie table and summary first, the manifest last.
fn write_snapshot(dir: &Path, a: &Analysis, manifest: &Manifest) -> Result<(), OutputError> {
    write_atomically(dir, false, |tmp| {
        let report = Report::new(a, &[]);
        for e in [&SummaryJson as &dyn Exporter, &TiesParquet] {
            e.write(&report, &tmp.join(e.file_name()))?;
        }
        let json = serde_json::to_vec_pretty(manifest).map_err(|e| OutputError::Render {
            file: "manifest.json",
            why: e.to_string(),
        })?;
        write_file(&tmp.join(MANIFEST), &json)
    })
}

/// The parameters a snapshot records and its content hash covers: those that change its
/// figures. The owner is the one the analysis settled on (however it was found), so that
/// naming the owner that would be found anyway makes the same snapshot; `--strict` is left
/// out, since a strict run either fails or gives the same figures.
fn parameters(a: &Analysis) -> Value {
    json!({
        "as_of": format_day(a.params.as_of),
        "active_days": a.params.active_days,
        "half_life": a.params.half_life,
        "burst_min": a.params.burst_min,
        "owner": a.id.owner.key,
    })
}

/// SHA-256 over the snapshot and summary schemas (a snapshot of another schema is another
/// snapshot), the parameters, and each file orchard reads (its kind, length and bytes), hex;
/// and the files with their sizes. The same export as a folder or as a zip hashes the same.
fn content_hash(export: &Path, parameters: &Value) -> Result<(String, Vec<SourceFile>), ReadError> {
    let mut hash = Sha256::new();
    for part in [SCHEMA, SUMMARY_SCHEMA] {
        hash.update(part.as_bytes());
        hash.update(b"\n");
    }
    hash.update(parameters.to_string().as_bytes());
    let mut files = Vec::new();
    export::visit_files(export, |kind, name, bytes| {
        hash.update(b"\n");
        hash.update(kind.usual_name().as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
        files.push(SourceFile {
            name: name.to_string(),
            bytes: bytes.len() as u64,
        });
    })?;
    let digest = hash.finalize();
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((hex, files))
}

/// A snapshot folder's manifest, checked: a folder without one, with a schema this orchard
/// does not read, or damaged, gives the reason instead.
fn read_manifest(dir: &Path, id: &str) -> Result<Manifest, String> {
    let path = dir.join(MANIFEST);
    let bytes = fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "it has no manifest.json, so it is not an orchard snapshot".to_string()
        }
        _ => format!("{}: {e}", path.display()),
    })?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("its manifest.json is not valid JSON ({e})"))?;
    let schema = value.get("schema").and_then(Value::as_str).unwrap_or("");
    if schema != SCHEMA {
        let by = value
            .get("orchard_version")
            .and_then(Value::as_str)
            .map(|v| format!(" by orchard {v}"))
            .unwrap_or_default();
        return Err(format!(
            "it was written with schema {:?}{by}, and this orchard ({}) reads only {SCHEMA}; \
             use the orchard version that wrote it, or remove it and add its export again",
            schema,
            env!("CARGO_PKG_VERSION")
        ));
    }
    let manifest: Manifest =
        serde_json::from_value(value).map_err(|e| format!("its manifest.json is damaged ({e})"))?;
    if manifest.summary_schema != SUMMARY_SCHEMA {
        return Err(format!(
            "its summary.json has schema {:?}, and this orchard ({}) reads only {SUMMARY_SCHEMA}; \
             remove it and add its export again",
            manifest.summary_schema,
            env!("CARGO_PKG_VERSION")
        ));
    }
    if manifest.id != id {
        return Err(format!(
            "its manifest.json names snapshot {}, not the folder's name",
            manifest.id
        ));
    }
    Ok(manifest)
}

/// The process id in the name of a temporary folder left by `add` (`.<id>.tmp-<pid>`, as
/// `write_atomically` names it, or `.<id>.old-<pid>`) or by `remove` (`.<id>.removing-<pid>`).
fn leftover_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    [".tmp-", ".old-", ".removing-"]
        .iter()
        .find_map(|mark| name.rsplit_once(mark))
        .and_then(|(_, pid)| pid.parse().ok())
}

/// Whether a process with this id is running. Where that cannot be told (no `/proc`), every
/// process counts as running, so that nothing another `add` may be writing is removed.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if proc.is_dir() {
        proc.join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::temporary_prefix;

    #[test]
    fn leftover_folders_are_known_by_name() {
        let tmp = format!("{}4242", temporary_prefix("2026-10-15-0123456789"));
        assert_eq!(leftover_pid(&tmp), Some(4242));
        assert_eq!(leftover_pid(".2026-10-15-0123456789.removing-17"), Some(17));
        assert_eq!(leftover_pid("2026-10-15-0123456789"), None);
        assert_eq!(leftover_pid(".hidden"), None);
    }

    #[test]
    fn a_manifest_of_another_schema_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("manifest.json"),
            r#"{"schema": "orchard.snapshot/9", "orchard_version": "9.0.0"}"#,
        )
        .unwrap();
        let why = read_manifest(dir.path(), "x").unwrap_err();
        assert!(
            why.contains("\"orchard.snapshot/9\" by orchard 9.0.0"),
            "{why}"
        );
        assert!(why.contains(SCHEMA), "{why}");
        fs::remove_file(dir.path().join("manifest.json")).unwrap();
        assert!(read_manifest(dir.path(), "x")
            .unwrap_err()
            .contains("no manifest.json"));
    }
}
