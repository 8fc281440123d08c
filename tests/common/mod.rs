//! What the CLI test files share: a temporary export folder a test writes its own files into
//! (after ripgrep's `Dir`), and the report folder beside it.
#![allow(dead_code)] // each test file uses its own part of it

use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// A temporary folder holding an export folder (`export/`) and a report folder (`out/`).
pub struct Dir {
    tmp: TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().unwrap(),
        }
    }
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }
    pub fn export(&self) -> PathBuf {
        let p = self.path().join("export");
        std::fs::create_dir_all(&p).unwrap();
        p
    }
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> &Self {
        std::fs::write(self.export().join(name), bytes).unwrap();
        self
    }
    pub fn out(&self) -> PathBuf {
        self.path().join("out")
    }
    /// The report's `summary.json`.
    pub fn summary(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.out().join("summary.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}
