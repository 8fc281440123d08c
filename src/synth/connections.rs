//! `Connections.csv`: every planned connection, newest first, with the quirk rows of real
//! files placed among them by date (FORMATS.md, METRICS.md §3).

use std::io::{self, Write};

use super::people::{Cast, COMPANIES, POSITIONS};
use super::plan::{flag, Plan};
use super::rng::Rng;
use super::table::{day_month_year, us_datetime, CsvOut, DAY};
use super::{Era, Tally};

/// The preamble of 2021–2026 files: `Notes:`, one quoted sentence, an empty line.
const NOTES: &str = "\"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261\"";

/// A quirk row's kind, with the one-off person it names.
#[derive(Clone, Copy)]
enum Quirk {
    Blank,
    BadDate(u64),
    Malformed(u64),
}

struct Writer<'a, 'w> {
    era: Era,
    cast: &'a Cast,
    csv: CsvOut<'w>,
    rng: Rng,
    first: String,
    last: String,
    url: String,
    email: String,
    date: String,
}

/// Writes the file and returns its accounting.
pub(crate) fn write(
    w: &mut dyn Write,
    plan: &Plan,
    cast: &Cast,
    seed: u64,
    next_person: &mut u64,
) -> io::Result<Tally> {
    let era = plan.era;
    let mut out = Writer {
        era,
        cast,
        csv: CsvOut::new(w, false),
        rng: Rng::new(seed, 2),
        first: String::new(),
        last: String::new(),
        url: String::new(),
        email: String::new(),
        date: String::new(),
    };
    if era != Era::Y2018 {
        out.csv.line("Notes:");
        out.csv.line(NOTES);
        out.csv.line("");
    }
    let header: &[&str] = if era.connections_have_urls() {
        &[
            "First Name",
            "Last Name",
            "URL",
            "Email Address",
            "Company",
            "Position",
            "Connected On",
        ]
    } else {
        &[
            "First Name",
            "Last Name",
            "Email Address",
            "Company",
            "Position",
            "Connected On",
        ]
    };
    out.csv.header(header)?;

    let q = plan.connection_quirks;
    let mut quirks: Vec<(i64, Quirk)> = Vec::new();
    let mut fresh = || {
        *next_person += 1;
        *next_person - 1
    };
    for _ in 0..q.blank {
        quirks.push((out.rng.between(plan.first_day, plan.as_of), Quirk::Blank));
    }
    for _ in 0..q.bad_date {
        quirks.push((
            out.rng.between(plan.first_day, plan.as_of),
            Quirk::BadDate(fresh()),
        ));
    }
    for _ in 0..q.malformed {
        quirks.push((
            out.rng.between(plan.first_day, plan.as_of),
            Quirk::Malformed(fresh()),
        ));
    }
    quirks.sort_by_key(|q| std::cmp::Reverse(q.0));

    let mut max_day = None::<i64>;
    let mut seen = |d: i64| max_day = Some(max_day.map_or(d, |m| m.max(d)));
    let (mut duplicates, mut url_duplicates) = (q.duplicate, q.url_duplicate);
    let mut next_quirk = quirks.iter().peekable();
    let mut previous_company = None;
    let n = plan.ties.len();
    for j in 0..n {
        let day = i64::from(plan.ties[j].day);
        while let Some(&&(qday, quirk)) = next_quirk.peek() {
            if qday <= day {
                break;
            }
            out.quirk(quirk, qday)?;
            if matches!(quirk, Quirk::Blank) {
                seen(qday);
            }
            next_quirk.next();
        }
        let twin = plan.ties[j].has(flag::TWIN);
        previous_company =
            Some(out.person(j as u64, plan.name_of(j), day, twin, previous_company)?);
        seen(day);
        // Exactly the planned duplicates, evenly spread (selection sampling).
        let remaining = (n - j) as u64;
        if duplicates > 0 && out.rng.below(remaining) < duplicates {
            out.csv.repeat_last();
            duplicates -= 1;
        }
        if url_duplicates > 0 && out.rng.below(remaining) < url_duplicates {
            out.url_duplicate(j as u64, plan.name_of(j), day)?;
            url_duplicates -= 1;
        }
    }
    for &(qday, quirk) in next_quirk {
        out.quirk(quirk, qday)?;
        if matches!(quirk, Quirk::Blank) {
            seen(qday);
        }
    }
    out.csv.finish(false)?;
    Ok(Tally {
        buckets: vec![
            ("malformed", q.malformed),
            ("blank", q.blank),
            ("duplicate", q.duplicate + q.url_duplicate),
            ("bad_date", q.bad_date),
            ("after_cutoff", 0),
            ("counted", n as u64),
        ],
        max_day,
    })
}

impl Writer<'_, '_> {
    fn date(&mut self, day: i64) {
        self.date.clear();
        if self.era == Era::Y2018 {
            // 2018 files carry a time of day, which orchard drops (METRICS.md §2).
            let t = day * DAY + self.rng.below(24 * 60) as i64 * 60;
            us_datetime(t, &mut self.date);
        } else {
            day_month_year(day, &mut self.date);
        }
    }

    fn names(&mut self, person: u64, name: u64) {
        self.first.clear();
        self.last.clear();
        self.cast.name_fields(name, &mut self.first, &mut self.last);
        // Names carry trailing spaces now and then; orchard tidies them (METRICS.md §1).
        if self.rng.chance(0.02) {
            self.last.push(' ');
        }
        self.url.clear();
        self.cast.url(person, name, true, &mut self.url);
    }

    /// Old exports often list e-mail addresses; newer ones almost never do.
    fn email(&mut self, name: u64) {
        self.email.clear();
        let p = if self.era == Era::Y2018 { 0.3 } else { 0.01 };
        let parts = self.cast.parts(name);
        if !self.rng.chance(p) || parts.middle.is_some() {
            return;
        }
        for (i, word) in [parts.first, parts.last].iter().enumerate() {
            if i > 0 {
                self.email.push('.');
            }
            self.email.extend(
                word.chars()
                    .filter(char::is_ascii_alphabetic)
                    .map(|c| c.to_ascii_lowercase()),
            );
        }
        self.email.push_str("@example.com");
    }

    /// Writes the standard columns around a given company and date text.
    fn row(&mut self, company: &str, position: &str, broken_company: bool) -> io::Result<()> {
        let csv = &mut self.csv;
        csv.begin()?;
        csv.field(&self.first);
        csv.field(&self.last);
        if self.era.connections_have_urls() {
            csv.field(&self.url);
        }
        csv.field(&self.email);
        if broken_company {
            csv.raw(company);
        } else {
            csv.field(company);
        }
        csv.field(position);
        csv.field(&self.date);
        csv.end();
        Ok(())
    }

    /// One connection's row. A twin (a connection sharing the previous one's name) always
    /// names another company, so that the two rows are never exact duplicates. Returns the
    /// company index used (`COMPANIES.len()` for none).
    fn person(
        &mut self,
        person: u64,
        name: u64,
        day: i64,
        twin: bool,
        previous: Option<usize>,
    ) -> io::Result<usize> {
        self.names(person, name);
        self.email(name);
        let none = COMPANIES.len();
        let company = match (twin, previous) {
            (true, Some(p)) => (p + 1 + self.rng.index(COMPANIES.len() - 1)) % COMPANIES.len(),
            _ if self.rng.chance(0.1) => none,
            _ => self.rng.index(COMPANIES.len()),
        };
        let position = if self.rng.chance(0.08) {
            ""
        } else {
            self.rng.pick(POSITIONS)
        };
        self.date(day);
        self.row(
            COMPANIES.get(company).copied().unwrap_or(""),
            position,
            false,
        )?;
        Ok(company)
    }

    /// The same person again under the same URL (unencoded this time) with a newer position:
    /// a duplicate by URL key (METRICS.md §3).
    fn url_duplicate(&mut self, person: u64, name: u64, day: i64) -> io::Result<()> {
        self.names(person, name);
        self.url.clear();
        self.cast.url(person, name, false, &mut self.url);
        self.url.push('/');
        self.email.clear();
        let company = self.rng.pick(COMPANIES);
        self.date(day);
        self.row(company, "Senior Consultant", false)
    }

    fn quirk(&mut self, quirk: Quirk, day: i64) -> io::Result<()> {
        match quirk {
            Quirk::Blank => {
                // A member who hides their profile: nothing but the date.
                for s in [
                    &mut self.first,
                    &mut self.last,
                    &mut self.url,
                    &mut self.email,
                ] {
                    s.clear();
                }
                self.date(day);
                self.row("", "", false)
            }
            Quirk::BadDate(p) => {
                self.names(p, p);
                self.email.clear();
                self.date.clear();
                let company = self.rng.pick(COMPANIES);
                self.row(company, "Analyst", false)
            }
            Quirk::Malformed(p) => {
                self.names(p, p);
                self.email.clear();
                self.date(day);
                self.row("Acme, Inc", "Founder", true)
            }
        }
    }
}
