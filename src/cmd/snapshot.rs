//! `orchard snapshot add | list | show | remove`: the snapshot store.

use anyhow::{anyhow, Result};
use serde_json::Value;

use crate::cli::{SnapshotAction, SnapshotAddArgs, SnapshotArgs, StoreArgs};
use crate::progress::Progress;
use crate::report::{percent, thousands};
use crate::snapshot::store::{default_root, Added, Entry, Manifest, Store};

/// The store the arguments name: `--store`, else `ORCHARD_STORE` (clap reads both), else the
/// platform default.
pub fn open_store(args: &StoreArgs) -> Result<Store> {
    let root = match &args.store {
        Some(dir) => dir.clone(),
        None => default_root().ok_or_else(|| {
            anyhow!("this platform has no user data folder for the snapshot store; pass --store DIR or set ORCHARD_STORE")
        })?,
    };
    Ok(Store::open(&root)?)
}

/// Runs `orchard snapshot`.
pub fn run(args: &SnapshotArgs) -> Result<()> {
    let store = open_store(&args.store)?;
    match &args.action {
        SnapshotAction::Add(add_args) => add(&store, add_args),
        SnapshotAction::List => list(&store),
        SnapshotAction::Show { id } => show(&store, id),
        SnapshotAction::Remove { id } => {
            let entry = store.remove(id)?;
            let as_of = entry
                .manifest
                .map(|m| format!(" (as of {})", m.as_of))
                .unwrap_or_default();
            println!(
                "Removed snapshot {}{as_of} from {}",
                entry.id,
                store.root().display()
            );
            Ok(())
        }
    }
}

fn add(store: &Store, args: &SnapshotAddArgs) -> Result<()> {
    let opts = args.metrics.apply(args.export.options());
    let step = Progress::start(
        format!("Measuring {}", args.export.export.display()),
        args.quiet,
    );
    let (added, cleaned) = store.add(&args.export.export, &opts)?;
    drop(step);
    for failed in &cleaned.failed {
        eprintln!("warning: a leftover temporary folder could not be removed: {failed}");
    }
    if args.quiet {
        return Ok(());
    }
    if !cleaned.removed.is_empty() {
        println!(
            "Removed {} temporary folder(s) left by an interrupted add: {}",
            cleaned.removed.len(),
            cleaned.removed.join(", ")
        );
    }
    match added {
        Added::New(m) => {
            let figures = figures(&store.root().join(&m.id));
            println!(
                "Added snapshot {} (as of {}{figures}) to {}",
                m.id,
                m.as_of,
                store.root().display()
            );
        }
        Added::Existing(m) => println!(
            "Already stored as snapshot {} (added {}); nothing written.",
            m.id, m.added_at
        ),
    }
    Ok(())
}

/// ", 343 connections, 89.2% never pollinated" from a snapshot folder's summary.json, or
/// nothing when it cannot be read.
fn figures(dir: &std::path::Path) -> String {
    let Ok(bytes) = std::fs::read(dir.join("summary.json")) else {
        return String::new();
    };
    let Ok(summary) = serde_json::from_slice::<Value>(&bytes) else {
        return String::new();
    };
    let mut out = String::new();
    if let Some(n) = summary.get("connections").and_then(Value::as_u64) {
        out.push_str(&format!(", {} connections", thousands(n)));
    }
    if let Some(s) = summary
        .get("never_pollinated_share")
        .and_then(Value::as_f64)
    {
        out.push_str(&format!(", {} never pollinated", percent(s)));
    }
    out
}

fn list(store: &Store) -> Result<()> {
    let entries = store.entries()?;
    if entries.is_empty() {
        println!(
            "No snapshots in {} yet. Add one: orchard snapshot add EXPORT",
            store.root().display()
        );
        return Ok(());
    }
    println!("Snapshots in {}:", store.root().display());
    let (readable, unreadable): (Vec<&Entry>, Vec<&Entry>) =
        entries.iter().partition(|e| e.manifest.is_ok());
    for e in readable {
        let Ok(m) = &e.manifest else { continue };
        println!(
            "  {:<24} as of {}  added {}{}",
            e.id,
            m.as_of,
            m.added_at.get(..10).unwrap_or(&m.added_at),
            figures(&e.dir)
        );
    }
    for e in unreadable {
        if let Err(why) = &e.manifest {
            println!("  {:<24} cannot be read: {why}", e.id);
        }
    }
    Ok(())
}

fn show(store: &Store, id: &str) -> Result<()> {
    let entry = store.find(id)?;
    let m: Manifest = entry
        .manifest
        .map_err(|why| anyhow!("snapshot {} cannot be read: {why}", entry.id))?;
    println!("Snapshot {}", m.id);
    println!("  as of          {}", m.as_of);
    println!(
        "  added          {} by orchard {}",
        m.added_at, m.orchard_version
    );
    println!(
        "  schema         {} (summary {})",
        m.schema, m.summary_schema
    );
    println!("  source         {}", m.source.path);
    for f in &m.source.files {
        println!("                 {} ({} bytes)", f.name, thousands(f.bytes));
    }
    println!("  content hash   {}", m.content_hash);
    if let Some(p) = m.parameters.as_object() {
        let shown: Vec<String> = p
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        println!("  parameters     {}", shown.join(", "));
    }
    let figures = figures(&entry.dir);
    if let Some(rest) = figures.strip_prefix(", ") {
        println!("  figures        {rest}");
    }
    println!("  folder         {}", entry.dir.display());
    Ok(())
}
