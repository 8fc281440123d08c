//! Locating the export's files in a folder or a zip, and opening them as byte streams.
//!
//! A zip is read where it lies: entries are decompressed into memory one at a time and
//! nothing is ever extracted to disk (FORMATS.md: files sit at the root, or in the zip's one
//! top-level folder).

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use super::ReadError;

/// The kinds of file orchard reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum FileKind {
    /// `Connections.csv`
    Connections,
    /// `messages.csv` (2018: `Messages.csv`)
    Messages,
    /// `Invitations.csv`
    Invitations,
    /// `Profile.csv`
    Profile,
}

impl FileKind {
    /// Every kind, in reading order.
    pub const ALL: [FileKind; 4] = [
        FileKind::Connections,
        FileKind::Messages,
        FileKind::Invitations,
        FileKind::Profile,
    ];

    fn prefix(self) -> &'static str {
        match self {
            FileKind::Connections => "connections",
            FileKind::Messages => "messages",
            FileKind::Invitations => "invitations",
            FileKind::Profile => "profile",
        }
    }

    /// The usual file name, for messages.
    pub fn usual_name(self) -> &'static str {
        match self {
            FileKind::Connections => "Connections.csv",
            FileKind::Messages => "messages.csv",
            FileKind::Invitations => "Invitations.csv",
            FileKind::Profile => "Profile.csv",
        }
    }

    /// Whether a file name (no folder) is a file of this kind: by prefix, case-insensitively.
    fn matches(self, name: &str) -> bool {
        let lower = name.to_lowercase();
        lower.starts_with(self.prefix()) && lower.ends_with(".csv")
    }
}

/// Where the export's files live.
pub enum Source {
    /// A plain folder.
    Folder(PathBuf),
    /// A zip archive, with the folder inside it that holds the files ("" for its root).
    Zip {
        path: PathBuf,
        archive: Box<zip::ZipArchive<Box<dyn ReadSeek>>>,
        inner: String,
    },
}

/// What a zip archive is read from: a file, or bytes in memory.
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// One located file.
#[derive(Clone, Debug)]
pub struct Located {
    /// Which file this is.
    pub kind: FileKind,
    /// The name to show users: the path of the file, or `archive.zip:folder/name.csv`.
    pub display: String,
    /// The name inside the folder or zip.
    entry: String,
    /// Other files of the same kind that were not read (for example `messages.csv` beside `Messages.csv`).
    pub ignored: Vec<String>,
}

impl Source {
    /// Opens a folder or a `.zip` file.
    pub fn open(path: &Path) -> Result<Source, ReadError> {
        let meta = std::fs::metadata(path).map_err(|e| ReadError::Io {
            file: path.display().to_string(),
            source: e,
        })?;
        if meta.is_dir() {
            return Ok(Source::Folder(path.to_path_buf()));
        }
        let file = File::open(path).map_err(|e| ReadError::Io {
            file: path.display().to_string(),
            source: e,
        })?;
        Source::zip(path, Box::new(BufReader::new(file)))
    }

    /// A zip archive held in memory (for fuzzing); `path` is only shown in messages.
    pub fn zip_bytes(path: &Path, bytes: &[u8]) -> Result<Source, ReadError> {
        Source::zip(path, Box::new(Cursor::new(bytes.to_vec())))
    }

    fn zip(path: &Path, reader: Box<dyn ReadSeek>) -> Result<Source, ReadError> {
        let archive = zip::ZipArchive::new(reader).map_err(|e| ReadError::NotAnExport {
            path: path.display().to_string(),
            why: format!("it is neither a folder nor a readable .zip archive ({e})"),
        })?;
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        let inner = zip_inner_folder(&names);
        Ok(Source::Zip {
            path: path.to_path_buf(),
            archive: Box::new(archive),
            inner,
        })
    }

    /// File names directly in the export's folder, sorted.
    fn file_names(&self) -> Result<Vec<String>, ReadError> {
        let mut names = match self {
            Source::Folder(dir) => {
                let entries = std::fs::read_dir(dir).map_err(|e| ReadError::Io {
                    file: dir.display().to_string(),
                    source: e,
                })?;
                let mut names = Vec::new();
                let root = dir.canonicalize().ok();
                for entry in entries.flatten() {
                    let path = entry.path();
                    // A symlink is followed only when it stays inside the export's folder:
                    // orchard reads what the user pointed it at, nothing else.
                    let inside = match (&root, path.canonicalize()) {
                        (Some(root), Ok(real)) => real.starts_with(root),
                        _ => false,
                    };
                    let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                        continue;
                    };
                    if path.is_file() && !inside {
                        if FileKind::ALL.iter().any(|k| k.matches(&name)) {
                            return Err(ReadError::NotAnExport {
                                path: path.display().to_string(),
                                why: "it is a link to a file outside the export's folder, which \
                                      orchard does not follow; copy the file into the folder"
                                    .into(),
                            });
                        }
                    } else if path.is_file() {
                        names.push(name);
                    }
                }
                names
            }
            Source::Zip { archive, inner, .. } => archive
                .file_names()
                .filter_map(|n| n.ok())
                .filter_map(|n| n.strip_prefix(inner.as_str()).map(str::to_string))
                .filter(|n| !n.is_empty() && !n.contains('/'))
                .collect(),
        };
        names.sort();
        Ok(names)
    }

    /// Finds the file of each kind. Where several match, the one named exactly as LinkedIn
    /// names it wins, else the shortest name; the others are listed as ignored.
    pub fn locate(&self) -> Result<Vec<Located>, ReadError> {
        let names = self.file_names()?;
        let mut found = Vec::new();
        for kind in FileKind::ALL {
            let mut matching: Vec<&String> = names.iter().filter(|n| kind.matches(n)).collect();
            if matching.is_empty() {
                continue;
            }
            matching.sort_by_key(|n| {
                (
                    !n.eq_ignore_ascii_case(kind.usual_name()),
                    *n != kind.usual_name(),
                    n.len(),
                    n.to_string(),
                )
            });
            let entry = matching[0].clone();
            found.push(Located {
                kind,
                display: self.display(&entry),
                ignored: matching[1..].iter().map(|n| self.display(n)).collect(),
                entry,
            });
        }
        Ok(found)
    }

    fn display(&self, entry: &str) -> String {
        match self {
            Source::Folder(dir) => dir.join(entry).display().to_string(),
            Source::Zip { path, inner, .. } => format!("{}:{inner}{entry}", path.display()),
        }
    }

    /// One located file opened for reading, and the size it declares (a zip entry's is only
    /// a hint: either of its sizes can lie). A size over the limit is refused at once.
    pub fn open_file(
        &mut self,
        file: &Located,
    ) -> Result<(Box<dyn Read + Send + '_>, u64), ReadError> {
        let io = |e: std::io::Error| ReadError::Io {
            file: file.display.clone(),
            source: e,
        };
        match self {
            Source::Folder(dir) => {
                let path = dir.join(&file.entry);
                let size = std::fs::metadata(&path).map_err(io)?.len();
                check_size(file, size)?;
                Ok((Box::new(File::open(path).map_err(io)?), size))
            }
            Source::Zip { archive, inner, .. } => {
                let name = format!("{inner}{}", file.entry);
                let entry = archive.by_name(&name).map_err(|e| ReadError::Io {
                    file: file.display.clone(),
                    source: std::io::Error::other(e),
                })?;
                // A zip bomb declares a small size or a huge one; refuse the huge one at once
                // (the reader stops the small liar at the limit).
                check_size(file, entry.size())?;
                // Fuzzing found a 24 KiB zip declaring 4 GiB, compressed and not.
                let hint = entry
                    .size()
                    .min(entry.compressed_size().saturating_mul(1032));
                Ok((Box::new(entry), hint))
            }
        }
    }

    /// The bytes of one located file. A zip entry is decompressed in memory.
    pub fn read(&mut self, file: &Located) -> Result<Vec<u8>, ReadError> {
        let (reader, size) = self.open_file(file)?;
        let limit = max_file_bytes();
        // Reserve at most 64 MiB on the declared size's word; the vector grows with what is
        // really there, and reading stops one byte past the limit.
        let mut bytes = Vec::with_capacity(size.min(RESERVE_AT_MOST) as usize);
        reader
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Io {
                file: file.display.clone(),
                source: e,
            })?;
        check_size(file, bytes.len() as u64)?;
        Ok(bytes)
    }
}

/// The most a zip entry's declared size reserves before its bytes are read.
const RESERVE_AT_MOST: u64 = 64 << 20;

/// The largest file orchard reads, in bytes: 8 GiB (a LinkedIn export's largest file, the
/// message history of a 30,000-connection account, is far below 1 GiB). The environment
/// variable `ORCHARD_MAX_FILE_MB` lowers or raises it.
pub fn max_file_bytes() -> u64 {
    std::env::var("ORCHARD_MAX_FILE_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(8 << 30, |mb| mb << 20)
}

pub(super) fn check_size(file: &Located, size: u64) -> Result<(), ReadError> {
    let limit = max_file_bytes();
    if size > limit {
        return Err(ReadError::TooLarge {
            file: file.display.clone(),
            limit_mb: limit >> 20,
        });
    }
    Ok(())
}

/// The folder inside a zip that holds the export: the root when any file sits there, else the
/// one top-level folder when everything sits in it.
fn zip_inner_folder(names: &[String]) -> String {
    let files: Vec<&String> = names.iter().filter(|n| !n.ends_with('/')).collect();
    if files.iter().any(|n| !n.contains('/')) {
        return String::new();
    }
    let mut tops = files
        .iter()
        .filter_map(|n| n.split_once('/').map(|(t, _)| t));
    match tops.next() {
        // `../x` and `/x` name no folder inside the zip: such entries are never the export.
        Some(first) if !matches!(first, "" | "." | "..") && tops.all(|t| t == first) => {
            format!("{first}/")
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_by_prefix_case_insensitively() {
        assert!(FileKind::Messages.matches("Messages.csv"));
        assert!(FileKind::Messages.matches("messages.EXCERPT.csv"));
        assert!(FileKind::Connections.matches("connections.CSV"));
        assert!(!FileKind::Connections.matches("Connections.xlsx"));
        assert!(!FileKind::Profile.matches("Profile Summary.txt"));
    }

    #[test]
    fn zip_folder_is_root_or_the_single_top_folder() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(zip_inner_folder(&n(&["Connections.csv", "x/y.csv"])), "");
        assert_eq!(
            zip_inner_folder(&n(&["Export/", "Export/Connections.csv", "Export/a/b.csv"])),
            "Export/"
        );
        assert_eq!(
            zip_inner_folder(&n(&["a/Connections.csv", "b/messages.csv"])),
            ""
        );
        assert_eq!(zip_inner_folder(&n(&["../Connections.csv"])), "");
        assert_eq!(zip_inner_folder(&n(&["/Connections.csv"])), "");
        assert_eq!(zip_inner_folder(&n(&["./Connections.csv"])), "");
    }
}
