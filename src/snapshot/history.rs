//! `history` (DESIGN.md, "Over time"): every snapshot of a store in date order, with the
//! figures `compare` gives each side — connections, state counts and shares, and the
//! never-pollinated share.

use serde::Serialize;

use super::compare::Side;
use super::store::{load_entry, Store, StoreError};

/// The schema version of `history.json`.
pub const SCHEMA: &str = "orchard.history/1";

/// A snapshot that could not be read, and why.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Skipped {
    /// The snapshot folder's name.
    pub id: String,
    /// Why it was left out.
    pub why: String,
}

/// The series.
#[derive(Clone, Debug, Serialize)]
pub struct History {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The orchard version.
    pub orchard_version: &'static str,
    /// The store's folder.
    pub store: String,
    /// One point per readable snapshot, by as-of date (then the time it was added).
    pub snapshots: Vec<Side>,
    /// Snapshots left out.
    pub skipped: Vec<Skipped>,
}

/// The history of every snapshot in the store. Snapshots that cannot be read are listed in
/// `skipped` with the reason, never silently dropped.
pub fn history(store: &Store) -> Result<History, StoreError> {
    let mut snapshots = Vec::new();
    let mut skipped = Vec::new();
    for entry in store.entries()? {
        let id = entry.id.clone();
        match load_entry(entry) {
            Ok((_, snapshot)) => snapshots.push(Side::of(&snapshot)),
            Err(e) => skipped.push(Skipped {
                why: match e {
                    StoreError::Unreadable { why, .. } => why,
                    other => other.to_string(),
                },
                id,
            }),
        }
    }
    Ok(History {
        schema: SCHEMA,
        orchard_version: env!("CARGO_PKG_VERSION"),
        store: store.root().display().to_string(),
        snapshots,
        skipped,
    })
}
