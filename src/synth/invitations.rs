//! `Invitations.csv`: the last ~10 months of invitations (FORMATS.md), outgoing rows first,
//! each newest first; accepted ones for planned connections (their notes were decided with
//! the tie, since a personal note makes pollination likelier), pending ones to strangers.

use std::io::{self, Write};

use super::people::Cast;
use super::plan::{flag, Note, Plan};
use super::rng::Rng;
use super::table::{us_datetime, CsvOut, DAY};
use super::text::{self, Style, Voice, DEFAULT_NOTES};
use super::{Era, Tally};

#[derive(Clone, Copy)]
enum What {
    /// For connection `j`.
    Accepted(usize),
    /// To or from a stranger.
    Pending(u64, Note),
    /// `Sent At` left empty.
    BadDate(u64),
    /// An unquoted comma in `Message`.
    Malformed(u64),
}

#[derive(Clone, Copy)]
struct Invite {
    at: i64,
    outgoing: bool,
    what: What,
}

/// `n × per_10k / 10,000`, at least 1 once `n` reaches `min_at`.
fn share(n: u64, per_10k: u64, min_at: u64) -> u64 {
    let k = n * per_10k / 10_000;
    if k == 0 && n >= min_at {
        1
    } else {
        k
    }
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
    let mut rng = Rng::new(seed, 4);
    let mut fresh = || {
        *next_person += 1;
        *next_person - 1
    };
    let minute = |t: i64| t.div_euclid(60) * 60;
    let window = (plan.as_of - 300) * DAY;
    let mut invites = Vec::new();
    let (mut accepted_out, mut accepted_in) = (0, 0);
    for (j, t) in plan.ties.iter().enumerate() {
        if !t.has(flag::INVITED) {
            continue;
        }
        let day = i64::from(t.day) - i64::from(t.lag);
        let outgoing = t.has(flag::INVITE_OUT);
        if outgoing {
            accepted_out += 1;
        } else {
            accepted_in += 1;
        }
        invites.push(Invite {
            at: minute(day * DAY + rng.below(DAY as u64) as i64),
            outgoing,
            what: What::Accepted(j),
        });
    }
    for (count, outgoing) in [(accepted_out / 4, true), (accepted_in / 8, false)] {
        for _ in 0..count {
            let u = rng.unit();
            let note = if u < 0.1 {
                Note::Personal
            } else if u < 0.15 {
                Note::Default
            } else {
                Note::Empty
            };
            invites.push(Invite {
                at: minute(rng.between(window, plan.cutoff - 1)),
                outgoing,
                what: What::Pending(fresh(), note),
            });
        }
    }
    let rows = invites.len() as u64;
    for (count, bad) in [(share(rows, 30, 20), true), (share(rows, 10, 40), false)] {
        for _ in 0..count {
            let p = fresh();
            invites.push(Invite {
                at: minute(rng.between(window, plan.cutoff - 1)),
                outgoing: rng.chance(0.5),
                what: if bad {
                    What::BadDate(p)
                } else {
                    What::Malformed(p)
                },
            });
        }
    }
    // OUTGOING rows first, then INCOMING; each newest first.
    invites.sort_by(|a, b| b.outgoing.cmp(&a.outgoing).then(b.at.cmp(&a.at)));

    let mut csv = CsvOut::new(w, false);
    let mut header = vec!["From", "To", "Sent At", "Message", "Direction"];
    match era {
        Era::Y2023 => header.extend(["inviterProfileUrn", "inviteeProfileUrn"]),
        Era::Y2026 => header.extend(["inviterProfileUrl", "inviteeProfileUrl"]),
        _ => {}
    }
    csv.header(&header)?;
    let notes = text::Writer::new(false);
    let owner = &cast.owner;
    let (mut name, mut url, mut date, mut message) =
        (String::new(), String::new(), String::new(), String::new());
    let mut counts = [0u64; 3];
    let mut max_day = None::<i64>;
    for inv in &invites {
        let (person, name_idx, note) = match inv.what {
            What::Accepted(j) => (j as u64, plan.name_of(j), plan.ties[j].note),
            What::Pending(p, note) => (p, p, note),
            What::BadDate(p) | What::Malformed(p) => (p, p, Note::Empty),
        };
        name.clear();
        cast.full_name(name_idx, &mut name);
        if rng.chance(0.03) {
            name.push(' ');
        }
        let first = cast.parts(name_idx).first;
        message.clear();
        match note {
            Note::Empty => {}
            Note::Default => message.push_str(rng.pick(DEFAULT_NOTES)),
            Note::Personal => {
                let voice = if inv.outgoing {
                    Voice {
                        to_first: first,
                        me: owner.first,
                    }
                } else {
                    Voice {
                        to_first: owner.first,
                        me: first,
                    }
                };
                notes.write(&mut rng, Style::Note, &voice, &mut message);
            }
        }
        date.clear();
        let bucket = match inv.what {
            What::BadDate(_) => 1,
            What::Malformed(_) => {
                message.push_str("Hi, let's connect");
                0
            }
            _ => {
                us_datetime(inv.at, &mut date);
                let day = inv.at.div_euclid(DAY);
                max_day = Some(max_day.map_or(day, |m| m.max(day)));
                2
            }
        };
        counts[bucket] += 1;
        let (from, to) = if inv.outgoing {
            (owner.name.as_str(), name.as_str())
        } else {
            (name.as_str(), owner.name.as_str())
        };
        csv.begin()?;
        csv.field(from);
        csv.field(to);
        csv.field(&date);
        if bucket == 0 {
            csv.raw(&message);
        } else {
            csv.field(&message);
        }
        csv.field(if inv.outgoing { "OUTGOING" } else { "INCOMING" });
        match era {
            Era::Y2023 => {
                url.clear();
                cast.urn(person, &mut url);
                let (a, b) = if inv.outgoing {
                    (owner.urn.as_str(), url.as_str())
                } else {
                    (url.as_str(), owner.urn.as_str())
                };
                csv.field(a);
                csv.field(b);
            }
            Era::Y2026 => {
                url.clear();
                cast.url(person, name_idx, false, &mut url);
                // Some exports truncate every URL to `…/in` (FORMATS.md).
                let truncated = rng.chance(0.03);
                let (a, b) = if truncated {
                    ("https://www.linkedin.com/in", "https://www.linkedin.com/in")
                } else if inv.outgoing {
                    (owner.url.as_str(), url.as_str())
                } else {
                    (url.as_str(), owner.url.as_str())
                };
                csv.field(a);
                csv.field(b);
            }
            _ => {}
        }
        csv.end();
    }
    csv.finish(true)?;
    Ok(Tally {
        buckets: vec![
            ("malformed", counts[0]),
            ("bad_date", counts[1]),
            ("after_cutoff", 0),
            ("counted", counts[2]),
        ],
        max_day,
    })
}
