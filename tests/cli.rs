//! CLI behaviour: bad input exits 1 with one message naming the file, the line and what was
//! expected; zips are read in place; report folders are never half-written or overwritten.

use std::io::Write;
use std::path::Path;

use assert_cmd::Command;

mod common;
use common::Dir;

/// `orchard report <export> -o <out> <extra…>`, for this file's tests.
trait Report {
    fn report(&self, extra: &[&str]) -> assert_cmd::assert::Assert;
}

impl Report for Dir {
    fn report(&self, extra: &[&str]) -> assert_cmd::assert::Assert {
        Command::cargo_bin("orchard")
            .unwrap()
            .arg("report")
            .arg(self.export())
            .arg("-o")
            .arg(self.out())
            .args(extra)
            .assert()
    }
}

const CONNECTIONS: &str = "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Lovelace,https://www.linkedin.com/in/ada,,Engines,Analyst,09 Sep 2022\nAlan,Turing,https://www.linkedin.com/in/alan,,Bletchley,\"Codes, Ciphers\",10 Sep 2022\n";

const MESSAGES: &str = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\nc1,,Ada Lovelace,https://www.linkedin.com/in/ada,Grace Hopper,https://www.linkedin.com/in/grace,2022-09-12 10:00:00 UTC,,Hello,INBOX\nc1,,Grace Hopper,https://www.linkedin.com/in/grace,Ada Lovelace,https://www.linkedin.com/in/ada,2022-09-11 10:00:00 UTC,,Hi,INBOX\n";

const PROFILE: &str = "First Name,Last Name,Headline\nGrace,Hopper,Admiral\n";

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// Asserts exit code 1, a single-line message, and that it mentions every `needle`.
fn fails_with(a: assert_cmd::assert::Assert, needles: &[&str]) {
    let a = a.code(1);
    let err = stderr_of(&a);
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err:?}");
    }
}

#[test]
fn a_small_export_reports() {
    let d = Dir::new();
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", MESSAGES)
        .write("Profile.csv", PROFILE);
    let a = d.report(&[]).success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    // Ada exchanged with Grace; Alan never: one of two never pollinated.
    assert!(
        out.starts_with("50.0% of your 2 connections were never pollinated"),
        "{out}"
    );
    assert!(d.out().join("summary.json").is_file() && d.out().join("ties.csv").is_file());
}

#[test]
fn no_connections_and_no_messages() {
    let d = Dir::new();
    d.write("Invitations.csv", "From,To,Sent At,Message,Direction\n");
    fails_with(
        d.report(&[]),
        &["export", "neither Connections.csv nor messages.csv"],
    );
    let empty = Dir::new();
    empty.export();
    fails_with(empty.report(&[]), &["no Connections.csv, messages.csv"]);
}

#[test]
fn header_missing_a_required_column() {
    let d = Dir::new();
    d.write(
        "Connections.csv",
        "First Name,Last Name,URL,Company\nAda,Lovelace,,X\n",
    );
    fails_with(
        d.report(&[]),
        &["Connections.csv", "line 1", "Connected On"],
    );
}

#[test]
fn unparseable_dates() {
    let d = Dir::new();
    d.write(
        "Connections.csv",
        "First Name,Last Name,Connected On\nAda,Lovelace,the ninth of September\nAlan,Turing,tomorrow\n",
    );
    fails_with(
        d.report(&[]),
        &[
            "Connections.csv",
            "line 2",
            "the ninth of September",
            "09 Sep 2022",
        ],
    );
}

#[test]
fn one_bad_date_is_a_counted_skip_unless_strict() {
    let d = Dir::new();
    d.write(
        "Connections.csv",
        "First Name,Last Name,Connected On\nAda,Lovelace,09 Sep 2022\nAlan,Turing,31 Sep 2022\n",
    );
    d.report(&[]).success();
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.out().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(s["accounting"]["connections"]["bad_date"], 1);
    assert_eq!(s["accounting"]["connections"]["counted"], 1);
    let strict = Dir::new();
    strict.write(
        "Connections.csv",
        "First Name,Last Name,Connected On\nAda,Lovelace,09 Sep 2022\nAlan,Turing,31 Sep 2022\n",
    );
    fails_with(
        strict.report(&["--strict"]),
        &["Connections.csv", "line 3", "--strict"],
    );
    assert!(!strict.out().exists(), "no report folder after an error");
}

#[test]
fn a_workbook_renamed_to_csv() {
    let d = Dir::new();
    d.write(
        "Connections.csv",
        b"PK\x03\x04\x14\x00\x06\x00binary workbook",
    );
    fails_with(
        d.report(&[]),
        &["Connections.csv", "Excel workbook", "save it as CSV"],
    );
}

#[test]
fn an_empty_file() {
    let d = Dir::new();
    d.write("Connections.csv", "");
    fails_with(d.report(&[]), &["Connections.csv", "empty", "header"]);
}

#[test]
fn a_zip_with_no_export_in_it() {
    let d = Dir::new();
    let zip_path = d.path().join("photos.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    z.start_file("holiday.jpg", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"not a csv").unwrap();
    z.finish().unwrap();
    let a = Command::cargo_bin("orchard")
        .unwrap()
        .arg("report")
        .arg(&zip_path)
        .arg("-o")
        .arg(d.out())
        .assert();
    fails_with(a, &["photos.zip", "not a LinkedIn export"]);
}

#[test]
fn a_file_that_is_neither_folder_nor_zip() {
    let d = Dir::new();
    let p = d.path().join("notes.txt");
    std::fs::write(&p, "hello").unwrap();
    let a = Command::cargo_bin("orchard")
        .unwrap()
        .args(["inspect"])
        .arg(&p)
        .assert();
    fails_with(a, &["notes.txt", "neither a folder nor a readable .zip"]);
}

/// A zip as LinkedIn sends it — files in one top-level folder — reads like the folder.
#[test]
fn a_zip_reads_like_its_folder() {
    let d = Dir::new();
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", MESSAGES)
        .write("Profile.csv", PROFILE);
    let zip_path = d.path().join("Basic_LinkedInDataExport_09-12-2022.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("Connections.csv", CONNECTIONS),
        ("messages.csv", MESSAGES),
        ("Profile.csv", PROFILE),
    ] {
        z.start_file(format!("Export/{name}"), opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap();

    d.report(&[]).success();
    let from_zip = d.path().join("zip-out");
    Command::cargo_bin("orchard")
        .unwrap()
        .arg("report")
        .arg(&zip_path)
        .arg("-o")
        .arg(&from_zip)
        .assert()
        .success();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    assert_eq!(
        read(&d.out().join("ties.csv")),
        read(&from_zip.join("ties.csv"))
    );
    let json = |p: &Path| -> serde_json::Value { serde_json::from_str(&read(p)).unwrap() };
    let (a, b) = (
        json(&d.out().join("summary.json")),
        json(&from_zip.join("summary.json")),
    );
    assert_eq!(a["accounting"], b["accounting"]);
    assert_eq!(a["states"], b["states"]);
    assert!(b["files"][0]["path"]
        .as_str()
        .unwrap()
        .contains(".zip:Export/Connections.csv"));
}

#[test]
fn an_existing_report_folder_is_kept_without_force() {
    let d = Dir::new();
    d.write("Connections.csv", CONNECTIONS);
    std::fs::create_dir_all(d.out()).unwrap();
    std::fs::write(d.out().join("mine.txt"), "keep me").unwrap();
    fails_with(d.report(&[]), &["already exists", "--force"]);
    assert_eq!(
        std::fs::read_to_string(d.out().join("mine.txt")).unwrap(),
        "keep me"
    );
    d.report(&["--force"]).success();
    assert!(!d.out().join("mine.txt").exists());
    assert!(d.out().join("summary.json").is_file());
    // Nothing temporary is left beside the report.
    let leftovers: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn bad_usage_exits_2() {
    Command::cargo_bin("orchard")
        .unwrap()
        .args(["report", "x", "--as-of", "2024-02-30"])
        .assert()
        .code(2);
    Command::cargo_bin("orchard")
        .unwrap()
        .args(["report", "x", "--half-life", "0"])
        .assert()
        .code(2);
}

#[test]
fn inspect_shows_files_eras_owner_dates_and_accounting() {
    let d = Dir::new();
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", MESSAGES)
        .write("Profile.csv", PROFILE);
    let a = Command::cargo_bin("orchard")
        .unwrap()
        .arg("inspect")
        .arg(d.export())
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    for needle in [
        "Connections.csv",
        "Jul 2023–2026, Utf8, 3 preamble line(s)",
        "Apr 2023–2026",
        "Owner: Grace Hopper (linkedin.com/in/grace)",
        "Dates: 2022-09-09 to 2022-09-12",
        "2 read: counted 2",
    ] {
        assert!(out.contains(needle), "{needle:?} not in:\n{out}");
    }
    assert!(!d.out().exists(), "inspect writes nothing");
}

#[test]
fn owner_that_cannot_be_found_asks_for_owner() {
    let d = Dir::new();
    // No Profile.csv, and the one counted message names nobody: its sender has a URL but no
    // name and its TO is empty, so no name takes part in any conversation.
    d.write(
        "messages.csv",
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\nc1,,,https://www.linkedin.com/in/x,,2022-09-12 10:00:00 UTC,,Hello,INBOX\n",
    );
    fails_with(d.report(&[]), &["cannot tell whose export", "--owner"]);
    d.report(&["--owner", "https://www.linkedin.com/in/me"])
        .success();
}

fn ties_of(d: &Dir) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(d.out().join("ties.csv")).unwrap();
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .map(Result::unwrap)
        .collect()
}

/// Review finding: a date whose fourth byte sits inside a multi-byte character panicked.
#[test]
fn non_ascii_date_text_is_a_bad_date_not_a_panic() {
    let d = Dir::new();
    d.write(
        "Connections.csv",
        "First Name,Last Name,Connected On\nAda,Lovelace,09 Sep 2022\nAlan,Turing,1/€\n",
    );
    d.report(&[]).success();
    assert_eq!(d.summary()["accounting"]["connections"]["bad_date"], 1);
}

/// METRICS.md §1: `NA` is empty, so a re-saved copy of a row is a duplicate of it.
#[test]
fn na_fields_are_empty_when_finding_duplicates() {
    let d = Dir::new();
    d.write(
        "Connections.csv",
        "First Name,Last Name,URL,Company,Position,Connected On\nAda,Lovelace,,Acme,NA,09 Sep 2022\nAda,Lovelace,,Acme,,09 Sep 2022\n",
    );
    d.report(&[]).success();
    let s = d.summary();
    assert_eq!(s["accounting"]["connections"]["duplicate"], 1);
    assert_eq!(s["connections"], 1);
}

/// Review finding: rows with an empty conversation id were one global conversation, so two
/// unrelated one-way threads made an exchange.
#[test]
fn empty_conversation_ids_do_not_merge_threads() {
    let d = Dir::new();
    d.write("Profile.csv", PROFILE).write(
        "messages.csv",
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n\
         ,,Grace Hopper,https://www.linkedin.com/in/grace,Ada Lovelace,2024-01-01 10:00:00 UTC,,hi,INBOX\n\
         ,,Ada Lovelace,https://www.linkedin.com/in/ada,Bob Bell,2024-02-01 10:00:00 UTC,,x,INBOX\n",
    );
    d.report(&[]).success();
    let ties = ties_of(&d);
    let ada = ties
        .iter()
        .find(|t| t["key"] == "linkedin.com/in/ada")
        .unwrap();
    // Owner → Ada in one thread, Ada → (the owner's mailbox) in another: two conversations.
    assert_eq!(
        (ada["conversations"].as_str(), ada["exchanges"].as_str()),
        ("2", "0")
    );
    assert_eq!(ada["state"], "one_way");
}

/// An unterminated quote on the last line swallows the rest of the file: one malformed row.
#[test]
fn an_unterminated_quote_at_the_end_is_malformed() {
    let d = Dir::new();
    d.write("Profile.csv", PROFILE).write(
        "messages.csv",
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n\
         c1,,Ada Lovelace,https://www.linkedin.com/in/ada,Grace Hopper,2024-01-01 10:00:00 UTC,,hi,\"INBOX\n\
         c1,,Grace Hopper,https://www.linkedin.com/in/grace,Ada Lovelace,2024-01-02 10:00:00 UTC,,yo,INBOX\n",
    );
    d.report(&[]).success();
    let m = &d.summary()["accounting"]["messages"];
    assert_eq!(
        (m["rows"].as_u64(), m["malformed"].as_u64()),
        (Some(1), Some(1))
    );
}

/// `--timings` prints wall time for every stage and the peak memory, on stderr.
#[test]
fn timings_name_every_stage_and_peak_memory() {
    let d = Dir::new();
    d.write("Connections.csv", CONNECTIONS)
        .write("messages.csv", MESSAGES)
        .write("Profile.csv", PROFILE);
    let a = d.report(&["--timings", "-q"]).success();
    let err = stderr_of(&a);
    for stage in [
        "locate",
        "read",
        "identity",
        "tie metrics",
        "graph",
        "network metrics",
        "charts",
        "write",
        "total",
        "peak memory",
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(stage)),
            "{stage} missing:\n{err}"
        );
    }
    assert!(
        a.get_output().stdout.is_empty(),
        "-q prints nothing on stdout"
    );
}

/// A zip entry larger than the limit is refused before it fills memory (a zip bomb).
#[test]
fn a_zip_bomb_is_refused() {
    let d = Dir::new();
    let zip_path = d.path().join("bomb.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("Connections.csv", opts).unwrap();
    z.write_all(b"First Name,Last Name,Connected On\n").unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..3 {
        z.write_all(&zeros).unwrap(); // 3 MiB that compress to a few KiB
    }
    z.finish().unwrap();
    assert!(std::fs::metadata(&zip_path).unwrap().len() < 100_000);
    let a = Command::cargo_bin("orchard")
        .unwrap()
        .env("ORCHARD_MAX_FILE_MB", "2")
        .arg("report")
        .arg(&zip_path)
        .arg("-o")
        .arg(d.out())
        .assert();
    fails_with(
        a,
        &[
            "bomb.zip:Connections.csv",
            "larger than the 2 MiB",
            "ORCHARD_MAX_FILE_MB",
        ],
    );
}

/// A link to a file outside the export's folder is not followed.
#[cfg(unix)]
#[test]
fn links_out_of_the_folder_are_not_followed() {
    let d = Dir::new();
    let outside = d.path().join("elsewhere.csv");
    std::fs::write(&outside, CONNECTIONS).unwrap();
    std::os::unix::fs::symlink(&outside, d.export().join("Connections.csv")).unwrap();
    fails_with(
        d.report(&[]),
        &["Connections.csv", "outside the export's folder"],
    );
    // A link that stays inside is fine.
    let inside = Dir::new();
    inside.write("real.txt", CONNECTIONS);
    std::os::unix::fs::symlink(
        inside.export().join("real.txt"),
        inside.export().join("Connections.csv"),
    )
    .unwrap();
    inside.report(&[]).success();
}

/// A reader that stops early (`orchard inspect … | head -1`) ends orchard quietly, as it ends
/// other tools, instead of a panic on the next print.
#[cfg(unix)]
#[test]
fn a_closed_stdout_pipe_ends_the_run_without_a_panic() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::ExitStatusExt;
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe() writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just created by pipe() and are owned here alone.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read); // the reader is gone before orchard writes a byte
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample-export");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orchard"))
        .arg("inspect")
        .arg(&sample)
        .stdout(std::process::Stdio::from(write))
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
}
