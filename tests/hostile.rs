//! Hostile and damaged input (issue 7, point 3), each through the real binary: orchard decodes
//! it and accounts for every row, or exits 1 with one message naming the file, the line and
//! what was expected. It never panics, never writes outside the output folder, and a failed
//! write leaves the previous report as it was.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

mod common;
use common::Dir;

const CONNECTIONS: &str = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Lovelace,https://www.linkedin.com/in/ada,,Engines,Analyst,09 Sep 2022\nAlan,Turing,https://www.linkedin.com/in/alan,,Bletchley,\"Codes, Ciphers\",10 Sep 2022\n";

const MESSAGES_HEADER: &str = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n";

const MESSAGES: &str = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\nc1,,Ada Lovelace,https://www.linkedin.com/in/ada,Grace Hopper,https://www.linkedin.com/in/grace,2022-09-12 10:00:00 UTC,,Hello,INBOX\nc1,,Grace Hopper,https://www.linkedin.com/in/grace,Ada Lovelace,https://www.linkedin.com/in/ada,2022-09-11 10:00:00 UTC,,Hi,INBOX\n";

const PROFILE: &str = "First Name,Last Name,Headline\nGrace,Hopper,Admiral\n";

/// `orchard report <export> -o <out> -q --no-charts <extra…>`, for this file's tests.
trait Report {
    fn report(&self, extra: &[&str]) -> assert_cmd::assert::Assert;
}

impl Report for Dir {
    fn report(&self, extra: &[&str]) -> assert_cmd::assert::Assert {
        report_cmd(&self.export(), &self.out()).args(extra).assert()
    }
}

fn report_cmd(export: &Path, out: &Path) -> Command {
    let mut c = Command::cargo_bin("orchard").unwrap();
    c.arg("report")
        .arg(export)
        .arg("-o")
        .arg(out)
        .args(["-q", "--no-charts"]);
    c
}

/// No panic, no backtrace hint, and an exit code orchard chooses (0 or 1; a panic is 101).
fn no_panic(output: &Output) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "a panic reached the user: {err}"
    );
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit status {:?}: {err}",
        output.status
    );
}

/// Succeeds without a panic.
fn succeeds(a: assert_cmd::assert::Assert) -> assert_cmd::assert::Assert {
    no_panic(a.get_output());
    a.success()
}

/// Exit code 1 with a single-line message mentioning every `needle`; returns the message.
fn fails_with(a: assert_cmd::assert::Assert, needles: &[&str]) -> String {
    no_panic(a.get_output());
    let a = a.code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    eprintln!("message: {}", err.trim());
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err:?}");
    }
    err
}

/// Every file under `root` with its bytes (symlinks as their target), for before/after checks.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            if t.is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                out.insert(p, target.into_os_string().into_encoded_bytes());
            } else if t.is_dir() {
                out.insert(p.clone(), b"<dir>".to_vec());
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn accounting(summary: &serde_json::Value, file: &str) -> serde_json::Value {
    summary["accounting"][file].clone()
}

fn zip_of(path: &Path, entries: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

#[test]
fn utf16le_with_a_bom_is_decoded() {
    let d = Dir::new();
    let connections = CONNECTIONS.replace("Lovelace", "Lovelace-Łukasiewicz");
    d.write("Connections.csv", utf16le_with_bom(&connections))
        .write("messages.csv", utf16le_with_bom(MESSAGES))
        .write("Profile.csv", utf16le_with_bom(PROFILE));
    succeeds(d.report(&[]));
    let s = d.summary();
    assert_eq!(accounting(&s, "connections")["counted"], 2);
    assert_eq!(accounting(&s, "messages")["counted"], 2);
    assert_eq!(s["files"][0]["encoding"], "utf16le");
    let ties = std::fs::read_to_string(d.out().join("ties.csv")).unwrap();
    assert!(ties.contains("Lovelace-Łukasiewicz"), "{ties}");
}

#[test]
fn windows_1252_is_decoded_and_its_rows_counted() {
    let d = Dir::new();
    // "Zoë Ñúñez" and curly quotes as Excel on Windows writes them.
    let mut connections = CONNECTIONS.as_bytes().to_vec();
    connections.extend_from_slice(
        b"Zo\xeb,\xd1\xfa\xf1ez,https://www.linkedin.com/in/zoe,,\x93Caf\xe9\x94,,11 Sep 2022\n",
    );
    d.write("Connections.csv", connections)
        .write("messages.csv", MESSAGES)
        .write("Profile.csv", PROFILE);
    succeeds(d.report(&[]));
    let s = d.summary();
    assert_eq!(accounting(&s, "connections")["rows"], 3);
    assert_eq!(accounting(&s, "connections")["counted"], 3);
    let ties = std::fs::read_to_string(d.out().join("ties.csv")).unwrap();
    assert!(ties.contains("Zoë Ñúñez"), "{ties}");
}

/// Invalid UTF-8 in the middle of a file (a byte sequence no encoding of LinkedIn's makes)
/// does not stop reading: the field is read as Windows-1252 and the row counted.
#[test]
fn invalid_utf8_mid_file_is_read_and_counted() {
    let d = Dir::new();
    let mut messages = MESSAGES.as_bytes().to_vec();
    messages.extend_from_slice(
        b"c2,,Alan Turing,https://www.linkedin.com/in/alan,Grace Hopper,https://www.linkedin.com/in/grace,2022-09-13 10:00:00 UTC,,\xff\xfe\xc3\x28 broken \xed\xa0\x80,INBOX\n",
    );
    messages.extend_from_slice(
        b"c2,,Grace Hopper,https://www.linkedin.com/in/grace,Alan Turing,https://www.linkedin.com/in/alan,2022-09-14 10:00:00 UTC,,fine,INBOX\n",
    );
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", messages)
        .write("Profile.csv", PROFILE);
    succeeds(d.report(&[]));
    let m = accounting(&d.summary(), "messages");
    assert_eq!(m["rows"], 4);
    assert_eq!(m["counted"], 4);
}

/// A download cut off inside a quoted field: the open quote swallows the rest of the file,
/// and that last row is a counted `malformed` skip.
#[test]
fn a_file_truncated_inside_a_quoted_field_is_a_malformed_row() {
    let d = Dir::new();
    let full = format!(
        "{MESSAGES}c2,,Alan Turing,https://www.linkedin.com/in/alan,Grace Hopper,https://www.linkedin.com/in/grace,2022-09-13 10:00:00 UTC,,\"A long message, cut off here"
    );
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", full)
        .write("Profile.csv", PROFILE);
    succeeds(d.report(&[]));
    let m = accounting(&d.summary(), "messages");
    assert_eq!(m["rows"], 3);
    assert_eq!(m["malformed"], 1);
    assert_eq!(m["counted"], 2);
    // With --strict the same row is an error naming its line.
    fails_with(
        d.report(&["--force", "--strict"]),
        &["messages.csv", "line 4", "--strict"],
    );
}

/// A date no LinkedIn export can hold — epoch zero, a year typed `0001` or `9999` — is a
/// counted `bad_date`, not the as-of day or the first cohort: the timeline, one month at a
/// time from the first connection to the as-of day, would otherwise run over centuries (a
/// three-row export with one message dated 9999 took 7 s and wrote a 95,000-month timeline).
#[test]
fn dates_outside_linkedins_years_are_bad_dates_not_centuries_of_timeline() {
    let d = Dir::new();
    let connections = CONNECTIONS.replace("09 Sep 2022", "01 Jan 1970")
        + "Alonzo,Church,https://www.linkedin.com/in/alonzo,,,,09 Sep 0001\n";
    let messages = MESSAGES.to_string()
        + "c1,,Ada Lovelace,https://www.linkedin.com/in/ada,Grace Hopper,https://www.linkedin.com/in/grace,9999-09-12 10:00:00 UTC,,Later,INBOX\n";
    d.write("Connections.csv", connections)
        .write("messages.csv", messages)
        .write("Profile.csv", PROFILE)
        .write(
            "Invitations.csv",
            "From,To,Sent At,Message,Direction\nGrace Hopper,Alan Turing,1970-01-01 00:00:00 UTC,,OUTGOING\nGrace Hopper,Ada Lovelace,\"8/18/22, 9:08 AM\",,OUTGOING\n",
        );
    succeeds(d.report(&[]));
    let s = d.summary();
    assert_eq!(accounting(&s, "connections")["bad_date"], 2);
    assert_eq!(accounting(&s, "messages")["bad_date"], 1);
    assert_eq!(accounting(&s, "invitations")["bad_date"], 1);
    assert_eq!(s["parameters"]["as_of"], "2022-09-12");
    let months = s["timeline"].as_array().unwrap();
    assert_eq!(
        months.first().unwrap()["month"],
        "2022-09",
        "{}",
        months.len()
    );
    assert_eq!(months.len(), 1);
    // With --strict the row is an error saying why.
    fails_with(
        d.report(&["--force", "--strict"]),
        &["Connections.csv", "line 2", "outside 2003–2099"],
    );
}

/// A single field of 100 MB is refused at the row limit, naming its line, without reading the
/// rest of the row.
#[test]
fn a_100_mb_field_is_refused_at_the_field_limit() {
    let d = Dir::new();
    let mut messages = MESSAGES.as_bytes().to_vec();
    messages.extend_from_slice(b"c2,,Alan Turing,,Grace Hopper,,2022-09-13 10:00:00 UTC,,\"");
    messages.resize(messages.len() + 100_000_000, b'x');
    messages.extend_from_slice(b"\",INBOX\n");
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", messages);
    let err = fails_with(
        d.report(&[]),
        &[
            "messages.csv",
            "line 4",
            "longer than the 4 MiB",
            "ORCHARD_MAX_FIELD_MB",
        ],
    );
    assert!(!err.contains("xxxx"), "the field is not echoed: {err}");
    assert!(!d.out().exists());
    // The limit can be lowered: a 2 MiB field fails at 1 MiB.
    let small = Dir::new();
    let mut messages = MESSAGES.as_bytes().to_vec();
    messages.extend_from_slice(b"c2,,Alan Turing,,Grace Hopper,,2022-09-13 10:00:00 UTC,,");
    messages.resize(messages.len() + (2 << 20), b'y');
    messages.extend_from_slice(b",INBOX\n");
    small.write("messages.csv", messages);
    fails_with(
        report_cmd(&small.export(), &small.out())
            .env("ORCHARD_MAX_FIELD_MB", "1")
            .assert(),
        &["line 4", "longer than the 1 MiB"],
    );
}

/// A line of ten million commas (ten million empty fields) is refused like a huge field: the
/// parser would hold a word for every field.
#[test]
fn a_line_of_ten_million_commas_is_refused() {
    let d = Dir::new();
    let mut connections = CONNECTIONS.as_bytes().to_vec();
    connections.resize(connections.len() + 10_000_000, b',');
    connections.extend_from_slice(b"\nAda,Byron,,,,,12 Sep 2022\n");
    d.write("Connections.csv", connections)
        .write("messages.csv", MESSAGES);
    fails_with(
        d.report(&[]),
        &["Connections.csv", "line 4", "longer than the 4 MiB"],
    );
}

/// A zip entry whose declared size passes the limit is refused before it is decompressed.
#[test]
fn a_zip_bomb_declaring_its_size_is_refused() {
    let d = Dir::new();
    let bomb = d.path().join("bomb.zip");
    let mut big = b"First Name,Last Name,Connected On\n".to_vec();
    big.resize(big.len() + (3 << 20), b'0');
    zip_of(
        &bomb,
        &[
            ("Connections.csv", &big),
            ("messages.csv", MESSAGES.as_bytes()),
        ],
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 100_000);
    fails_with(
        report_cmd(&bomb, &d.out())
            .env("ORCHARD_MAX_FILE_MB", "2")
            .assert(),
        &["bomb.zip:Connections.csv", "larger than the 2 MiB"],
    );
}

/// A zip entry that declares a few bytes but inflates to megabytes: reading stops at the limit
/// (or at the size mismatch) with a message; it is never read whole.
#[test]
fn a_zip_bomb_lying_about_its_size_is_refused() {
    let d = Dir::new();
    let bomb = d.path().join("liar.zip");
    let mut big = b"First Name,Last Name,Connected On\n".to_vec();
    big.resize(big.len() + (3 << 20), b'0');
    zip_of(
        &bomb,
        &[
            ("Connections.csv", &big),
            ("messages.csv", MESSAGES.as_bytes()),
        ],
    );
    // Rewrite the entry's uncompressed size to 100 bytes in its local header and in the
    // central directory (and any ZIP64 copy the writer did not make: sizes this small have none).
    let mut bytes = std::fs::read(&bomb).unwrap();
    let real = (big.len() as u32).to_le_bytes();
    let mut patched = 0;
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let mut i = 0;
        while let Some(at) = find(&bytes[i..], sig) {
            let at = i + at;
            let size_at = at + if sig[2] == 3 { 22 } else { 24 };
            if bytes[size_at..size_at + 4] == real {
                bytes[size_at..size_at + 4].copy_from_slice(&100u32.to_le_bytes());
                patched += 1;
            }
            i = at + 4;
        }
    }
    assert_eq!(patched, 2, "both headers rewritten");
    std::fs::write(&bomb, bytes).unwrap();
    fails_with(
        report_cmd(&bomb, &d.out())
            .env("ORCHARD_MAX_FILE_MB", "2")
            .assert(),
        &["liar.zip:Connections.csv"],
    );
    assert!(!d.out().exists());
}

/// Fuzzing finding (zip_export): a 24 KiB zip whose entry declares 4 GiB both compressed and
/// uncompressed (under the 8 GiB file limit) made orchard reserve the declared size before
/// reading a byte — 4 GiB of memory on a header's word. The entry's real bytes are honest, so
/// the export must simply be read, in a process limited to 768 MiB of address space.
#[cfg(target_os = "linux")]
#[test]
fn a_zip_entry_lying_about_both_sizes_reserves_nothing_on_its_word() {
    use std::os::unix::process::CommandExt;
    let d = Dir::new();
    let zip_path = d.path().join("liar.zip");
    let connections = "First Name,Last Name,Connected On\nAda,Lovelace,09 Sep 2022\n";
    zip_of(
        &zip_path,
        &[
            ("Connections.csv", connections.as_bytes()),
            ("messages.csv", MESSAGES.as_bytes()),
        ],
    );
    let mut bytes = std::fs::read(&zip_path).unwrap();
    let big = 0xF000_0000u32.to_le_bytes();
    // Local header: compressed size at 18, uncompressed at 22; central directory: 20 and 24.
    assert_eq!(&bytes[30..45], b"Connections.csv");
    bytes[18..22].copy_from_slice(&big);
    bytes[22..26].copy_from_slice(&big);
    let central = find(&bytes, b"PK\x01\x02").unwrap();
    assert_eq!(&bytes[central + 46..central + 61], b"Connections.csv");
    bytes[central + 20..central + 24].copy_from_slice(&big);
    bytes[central + 24..central + 28].copy_from_slice(&big);
    std::fs::write(&zip_path, bytes).unwrap();

    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("orchard"));
    c.arg("report").arg(&zip_path).arg("-o").arg(d.out()).args([
        "-q",
        "--no-charts",
        "--threads",
        "1",
    ]);
    // SAFETY: only setrlimit, async-signal-safe, runs between fork and exec.
    unsafe {
        c.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 768 << 20,
                rlim_max: 768 << 20,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = c.output().unwrap();
    no_panic(&output);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(accounting(&d.summary(), "connections")["counted"], 1);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Entries named `../…` or `/…` are never written anywhere: nothing is extracted, and they are
/// not taken for the export's files. Run from inside a scratch folder, the whole tree around it
/// is unchanged apart from the report.
#[test]
fn zip_entries_with_parent_or_absolute_paths_write_nothing() {
    let d = Dir::new();
    let work = d.path().join("a/b/work");
    std::fs::create_dir_all(&work).unwrap();
    let unique = format!("orchard-hostile-{}", std::process::id());
    let abs = std::env::temp_dir().join(format!("{unique}.csv"));
    let evil = d.path().join("evil.zip");
    let abs_name = abs.display().to_string();
    zip_of(
        &evil,
        &[
            ("Connections.csv", CONNECTIONS.as_bytes()),
            ("messages.csv", MESSAGES.as_bytes()),
            ("../../Profile.csv", b"First Name,Last Name\nMallory,Evil\n"),
            ("../escape.csv", b"x"),
            (&abs_name, b"x"),
            ("../../../../../../../../tmp/orchard-escape.csv", b"x"),
        ],
    );
    let before = tree(d.path());
    let mut c = report_cmd(&evil, Path::new("report"));
    c.current_dir(&work);
    let a = succeeds(c.assert());
    no_panic(a.get_output());
    let mut after = tree(d.path());
    // The report is the only new thing, where it was asked for.
    let report = work.join("report");
    assert!(report.join("summary.json").exists());
    after.retain(|p, _| !p.starts_with(&report));
    assert_eq!(before, after);
    assert!(!abs.exists());
    assert!(!Path::new("/tmp/orchard-escape.csv").exists());
    // `../../Profile.csv` was not taken for Profile.csv: the owner came from the messages.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("summary.json")).unwrap())
            .unwrap();
    let files = summary["files"].to_string();
    assert!(!files.contains("Profile.csv"), "{files}");
    assert!(!summary.to_string().contains("Mallory"));

    // A zip whose only files sit under `../` is not an export at all.
    let only = d.path().join("only.zip");
    zip_of(
        &only,
        &[
            ("../Connections.csv", CONNECTIONS.as_bytes()),
            ("../messages.csv", MESSAGES.as_bytes()),
        ],
    );
    fails_with(
        report_cmd(&only, &d.path().join("r2")).assert(),
        &["only.zip", "not a LinkedIn export"],
    );
}

/// Symlinks that lead out of the folder: a file link named like an export file is refused; a
/// link to a folder outside, or any other link, is not followed.
#[cfg(unix)]
#[test]
fn symlinks_pointing_outside_the_folder_are_not_followed() {
    let d = Dir::new();
    let outside = d.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("Invitations.csv"),
        "From,To,Sent At,Message,Direction\nMallory,Grace Hopper,\"8/18/18, 9:08 AM\",,INCOMING\n",
    )
    .unwrap();
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", MESSAGES)
        .write("Profile.csv", PROFILE);
    std::os::unix::fs::symlink(&outside, d.export().join("Export")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", d.export().join("notes.txt")).unwrap();
    succeeds(d.report(&[]));
    let s = d.summary();
    assert!(s["accounting"]["invitations"].is_null(), "{s}");
    // A file link named Invitations.csv leading outside is refused with a message.
    std::os::unix::fs::symlink(
        outside.join("Invitations.csv"),
        d.export().join("Invitations.csv"),
    )
    .unwrap();
    fails_with(
        d.report(&["--force"]),
        &["Invitations.csv", "outside the export's folder"],
    );
}

/// `messages.csv` and `Messages.csv` in one folder (possible on Linux, or after unzipping two
/// exports into one folder): the one named as LinkedIn names it today is read, the other is
/// reported as ignored in `summary.json` and by `inspect`.
#[test]
fn duplicate_files_read_one_and_report_the_other() {
    let d = Dir::new();
    let older = "From,To,Date,Subject,Content,Direction,Folder\nAda Lovelace,Grace Hopper,\"10/16/18, 8:36 AM\",,Old,INCOMING,INBOX\n";
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", MESSAGES)
        .write("Messages.csv", older)
        .write("Profile.csv", PROFILE);
    succeeds(d.report(&[]));
    let s = d.summary();
    assert_eq!(accounting(&s, "messages")["rows"], 2);
    let files = s["files"].as_array().unwrap();
    let messages = files
        .iter()
        .find(|f| f["kind"] == "Messages")
        .expect("messages read");
    assert!(messages["path"]
        .as_str()
        .unwrap()
        .ends_with("/messages.csv"));
    let ignored = messages["ignored"].to_string();
    assert!(ignored.contains("Messages.csv"), "{ignored}");
    let a = succeeds(
        Command::cargo_bin("orchard")
            .unwrap()
            .arg("inspect")
            .arg(d.export())
            .assert(),
    );
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        out.contains("ignored") && out.contains("Messages.csv"),
        "{out}"
    );
}

/// No Profile.csv and no name to take the owner from: the message says to pass `--owner`.
#[test]
fn an_owner_that_cannot_be_determined_asks_for_owner() {
    let d = Dir::new();
    // Profile.csv with an empty name, and messages between people none of whom is in every
    // conversation.
    d.write("Profile.csv", "First Name,Last Name,Headline\n,,\n").write(
        "messages.csv",
        format!(
            "{MESSAGES_HEADER}c1,,,https://www.linkedin.com/in/x,,,2022-09-12 10:00:00 UTC,,Hello,INBOX\n"
        ),
    );
    fails_with(d.report(&[]), &["cannot tell whose export", "--owner"]);
    succeeds(d.report(&["--owner", "Grace Hopper"]));
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// An output folder that cannot be created or written: exit 1 naming the path, nothing left.
#[cfg(unix)]
#[test]
fn an_output_folder_that_is_not_writable_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", MESSAGES)
        .write("Profile.csv", PROFILE);
    // Under a regular file: no one, root included, can make a folder there.
    let file = d.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let out = file.join("report");
    fails_with(
        report_cmd(&d.export(), &out).assert(),
        &[&file.display().to_string(), "not a folder"],
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");
    // A read-only parent folder: permissions do not stop root, so only as another user.
    if is_root() {
        eprintln!("notice: running as root, where a read-only folder is still writable; the read-only folder case is skipped (the path under a file above still ran)");
        return;
    }
    let locked = d.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let a = report_cmd(&d.export(), &locked.join("report")).assert();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    fails_with(a, &[&locked.display().to_string()]);
    assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 0);
}

/// A disk that fills up while the report is written: the run fails with a message, the
/// previous report is byte for byte as it was, and no temporary folder is left. The full disk
/// is simulated honestly: the child runs with a small RLIMIT_FSIZE and SIGXFSZ ignored, so a
/// write past the limit fails with EFBIG ("File too large") exactly as a full disk fails with
/// ENOSPC, partway through a file.
#[cfg(target_os = "linux")]
#[test]
fn a_disk_that_fills_while_writing_keeps_the_previous_report() {
    use std::os::unix::process::CommandExt;
    let d = Dir::new();
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", MESSAGES)
        .write("Profile.csv", PROFILE);
    // A previous report, with charts (the largest files).
    let mut first = Command::cargo_bin("orchard").unwrap();
    first
        .arg("report")
        .arg(d.export())
        .arg("-o")
        .arg(d.out())
        .arg("-q");
    succeeds(first.assert());
    let before = tree(d.path());
    let biggest = before.values().map(Vec::len).max().unwrap() as u64;
    let limit = 2048u64;
    assert!(biggest > limit, "some output is larger than the limit");

    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("orchard"));
    c.arg("report")
        .arg(d.export())
        .arg("-o")
        .arg(d.out())
        .args(["-q", "--force"]);
    // SAFETY: between fork and exec only async-signal-safe calls are made (setrlimit, signal).
    unsafe {
        c.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let output = c.output().unwrap();
    no_panic(&output);
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    eprintln!("message: {}", err.trim());
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(err.matches("File too large").count(), 1, "said once: {err}");
    assert!(
        err.contains(".out.tmp-"),
        "names the file being written: {err}"
    );
    // The previous report is untouched and nothing else is left behind.
    assert_eq!(tree(d.path()), before);
}
