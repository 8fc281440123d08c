//! The findings in words and numbers, written once and rendered by both `index.html` and
//! `report.md`: the headline, a plain-language verdict, and one section per finding with its
//! chart, the numbers behind it and a sentence on how to read it.

use serde::Serialize;

use super::{headline, percent, thousands};
use crate::analysis::Analysis;
use crate::export::{day_of, format_day, format_instant, FileKind};
use crate::metrics::insights::TimeToPollination;
use crate::metrics::State;

/// One finding.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// Anchor id.
    pub id: &'static str,
    /// Heading.
    pub title: String,
    /// The chart's file stem, when the section has one.
    pub chart: Option<&'static str>,
    /// What the numbers say, in a sentence or two.
    pub finding: String,
    /// How to read the chart or table.
    pub read: String,
    /// The numbers behind it: label, value.
    pub facts: Vec<(String, String)>,
}

impl Section {
    /// Drops facts that only repeat what the chart already labels, when the chart is there.
    fn facts_unless_charted(mut self) -> Self {
        if self.chart.is_some() {
            self.facts.clear();
        }
        self
    }
}

/// A row of the data-quality table.
#[derive(Clone, Debug, Serialize)]
pub struct QualityRow {
    /// File.
    pub file: String,
    /// Rows read.
    pub rows: String,
    /// Rows counted.
    pub counted: String,
    /// Every non-empty bucket but `counted`, as "bucket n".
    pub skipped: String,
}

/// Everything a report page says.
#[derive(Clone, Debug, Serialize)]
pub struct Findings {
    /// The headline.
    pub headline: String,
    /// The verdict paragraph.
    pub verdict: String,
    /// One section per finding.
    pub sections: Vec<Section>,
    /// Reconnect suggestions: name, company, last message, messages, exchanges, reply balance.
    pub reconnect: Vec<[String; 6]>,
    /// Why there are no reconnect suggestions, when there are none.
    pub reconnect_note: String,
    /// Row accounting per file.
    pub quality: Vec<QualityRow>,
    /// What the buckets mean.
    pub quality_notes: Vec<String>,
    /// Files found: kind, file, format era.
    pub files: Vec<[String; 3]>,
    /// Parameters: name, value.
    pub parameters: Vec<(String, String)>,
    /// orchard's version.
    pub version: String,
    /// Whether names are pseudonyms.
    pub anonymized: bool,
}

fn share_or(v: Option<f64>, none: &str) -> String {
    v.map(percent).unwrap_or_else(|| none.to_string())
}

/// The plain-language verdict under the headline.
fn verdict(a: &Analysis) -> String {
    let s = &a.summary;
    let Some(states) = s.states else {
        return "This export has no message history, so orchard can count your connections but \
                cannot tell which of them ever turned into a conversation."
            .to_string();
    };
    if s.connections == 0 {
        return "This export holds messages but no counted connections.".to_string();
    }
    let pollinated = states.pollinated();
    let mut v = format!(
        "Of your {} connections, {} ever had a real two-way conversation with you — the bee \
         landed and pollinated. {} were never messaged at all, and {} saw messages go one way only.",
        thousands(s.connections),
        thousands(pollinated),
        thousands(states.dormant),
        thousands(states.one_way),
    );
    if pollinated > 0 {
        v.push_str(&format!(
            " Of the pollinated ties, {} are active (a message within {} days) and {} have faded.",
            thousands(states.active),
            a.params.active_days,
            thousands(states.faded)
        ));
    }
    if let Some((all, _)) = &a.insights.survival {
        if let Some(s365) = all.km.at(365) {
            v.push_str(&format!(
                " A year after connecting, {} of connections had been pollinated.",
                percent(1.0 - s365)
            ));
        }
    }
    if let Some(list) = &a.insights.reconnect {
        if !list.is_empty() {
            v.push_str(&format!(
                " {} faded ties with a strong past are listed below as worth reviving.",
                list.len()
            ));
        }
    }
    v
}

fn survival_facts(t: &TimeToPollination) -> Vec<(String, String)> {
    let mut facts: Vec<(String, String)> = TimeToPollination::DAYS
        .iter()
        .map(|&d| {
            (
                format!("Pollinated within {d} days"),
                t.km.at(d)
                    .map(|s| percent(1.0 - s))
                    .unwrap_or_else(|| "not observed".into()),
            )
        })
        .collect();
    facts.push((
        "Median days to pollination".into(),
        t.km.median()
            .map(|d| thousands(d.max(0) as u64))
            .unwrap_or_else(|| "not reached".into()),
    ));
    facts
}

/// Builds the findings; `charts` lists the chart names that were rendered.
pub fn findings(a: &Analysis, charts: &[&'static str]) -> Findings {
    let has_chart = |name: &'static str| charts.contains(&name).then_some(name);
    let s = &a.summary;
    let ins = &a.insights;
    let mut sections = Vec::new();

    if let (Some(states), Some(shares)) = (s.states, s.shares) {
        let share = [shares.dormant, shares.one_way, shares.active, shares.faded];
        sections.push(Section {
            id: "states",
            title: "How your connections stand".into(),
            chart: has_chart("states"),
            finding: format!(
                "{} connections were never messaged at all, and {} more saw messages go one way only; {} are pollinated.",
                thousands(states.dormant),
                thousands(states.one_way),
                thousands(states.pollinated())
            ),
            read: "Each bar counts connections by state: dormant (no messages), one-way (messages \
                   in one direction only), active (a two-way exchange and a recent message), faded \
                   (a two-way exchange, but not recently)."
                .into(),
            facts: State::ALL
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    (
                        st.name().replace('_', "-"),
                        format!("{} ({})", thousands(states.get(*st)), percent(share[i])),
                    )
                })
                .chain(s.message_partners.map(|p| {
                    (
                        "message partners (not connections)".to_string(),
                        format!("{} ({} pollinated)", thousands(s.partners), thousands(p.pollinated())),
                    )
                }))
                .collect(),
        });
    }

    if let Some(cohorts) = ins.cohorts.as_ref().filter(|c| !c.is_empty()) {
        let best = cohorts
            .iter()
            .filter(|c| c.n >= 5)
            .max_by(|a, b| a.pollinated_share().total_cmp(&b.pollinated_share()));
        sections.push(
            Section {
                id: "cohorts",
                title: "By the year you connected".into(),
                chart: has_chart("cohorts"),
                finding: match best {
                    Some(c) => format!(
                        "Connections made in {} were pollinated most often: {} of {}.",
                        c.year,
                        percent(c.pollinated_share()),
                        thousands(c.n)
                    ),
                    None => "No year has five or more connections to compare.".into(),
                },
                read:
                    "Each bar is one year of new connections, split into the share of each state; \
                   older cohorts have had longer to turn into conversations."
                        .into(),
                facts: cohorts
                    .iter()
                    .map(|c| {
                        (
                            c.year.to_string(),
                            format!(
                                "{} connections, {} pollinated",
                                thousands(c.n),
                                percent(c.pollinated_share())
                            ),
                        )
                    })
                    .collect(),
            }
            .facts_unless_charted(),
        );
    }

    if let Some((all, _)) = &ins.survival {
        sections.push(Section {
            id: "survival",
            title: "How soon a connection becomes a conversation".into(),
            chart: has_chart("survival"),
            finding: match all.km.median() {
                Some(d) => format!("Half of your connections were pollinated within {d} days of connecting."),
                None => "Fewer than half of your connections were ever pollinated, so there is no median time.".into(),
            },
            read: "The curve shows the share of connections pollinated by each number of days after \
                   connecting (Kaplan–Meier: connections not yet pollinated count for as long as \
                   they have been observed). A flat curve means new connections rarely turn into \
                   conversations later."
                .into(),
            facts: survival_facts(all),
        });
    }

    if let Some(last) = ins.timeline.last() {
        sections.push(Section {
            id: "timeline",
            title: "Your network over time".into(),
            chart: has_chart("timeline"),
            finding: format!(
                "From {} to {}, your network grew to {} connections, {} of them pollinated.",
                ins.timeline[0].month,
                last.month,
                thousands(last.connections),
                last.pollinated
                    .map(thousands)
                    .unwrap_or_else(|| "(unknown)".into())
            ),
            read:
                "Two lines per month-end: all connections made so far, and those of them that had \
                   been pollinated by then. A widening gap is a growing dormant network."
                    .into(),
            facts: vec![],
        });
    }

    if let Some(inv) = &ins.invitations {
        let window = inv
            .window
            .map(|(f, l)| format!("{} to {}", format_day(day_of(f)), format_day(day_of(l))))
            .unwrap_or_else(|| "no dates".into());
        let mut facts = vec![
            ("Invitations file covers".to_string(), window),
            ("Counterparts".into(), thousands(inv.counterparts)),
            ("Accepted (now connections)".into(), thousands(inv.accepted)),
            (
                "Pending".into(),
                format!(
                    "{} sent, {} received",
                    thousands(inv.pending.0),
                    thousands(inv.pending.1)
                ),
            ),
            (
                "Sent invitations with a personal note".into(),
                share_or(inv.outgoing_note_share, "none sent"),
            ),
        ];
        let mut finding =
            "LinkedIn keeps only the last months of invitations, so this covers recent ones only."
                .to_string();
        if let Some([out, inc, all]) = &inv.effect {
            for (label, e) in [("sent", out), ("received", inc), ("all", all)] {
                for (kind, p) in [("with a note", &e.personalised), ("without", &e.generic)] {
                    if let Some(p) = p {
                        facts.push((
                            format!("Pollinated, {label}, {kind}"),
                            format!(
                                "{} of {} ({}; 95% CI {}–{})",
                                thousands(p.x),
                                thousands(p.n),
                                percent(p.rate),
                                percent(p.low),
                                percent(p.high)
                            ),
                        ));
                    }
                }
            }
            if let (Some(p), Some(g), Some(d)) = (all.personalised, all.generic, all.difference) {
                finding = format!(
                    "{} of accepted invitations with a personal note turned into a conversation, \
                     against {} without one: a difference of {:+.1} points (95% CI {:+.1} to {:+.1}). {}",
                    percent(p.rate),
                    percent(g.rate),
                    d.value * 100.0,
                    d.low * 100.0,
                    d.high * 100.0,
                    if d.low > 0.0 {
                        "Notes paid off."
                    } else if d.high < 0.0 {
                        "Notes did worse."
                    } else {
                        "The interval includes zero: no clear effect either way."
                    }
                );
            }
        }
        sections.push(Section {
            id: "invitations",
            title: "Did a personal note pay off?".into(),
            chart: has_chart("invites"),
            finding,
            read: "For accepted invitations, the share that later became a two-way conversation, \
                   with and without a personal note; whiskers are 95% Wilson intervals — where they \
                   overlap widely, the difference may be chance."
                .into(),
            facts,
        });
    }

    if let Some(c) = &ins.concentration {
        sections.push(Section {
            id: "concentration",
            title: "Where your conversations go".into(),
            chart: has_chart("lorenz"),
            finding: format!(
                "The top 1% of your connections hold {} of all messages with connections; the top 10% hold {}.",
                percent(c.top1_share),
                percent(c.top10_share)
            ),
            read: "The Lorenz curve plots the share of messages held by the least-messaged share of \
                   connections; the further it bows from the diagonal, the more your conversations \
                   concentrate on a few people (Gini 0 = even, 1 = all with one person)."
                .into(),
            facts: vec![
                ("Gini".into(), format!("{:.3}", c.gini)),
                ("Top 1% share".into(), percent(c.top1_share)),
                ("Top 10% share".into(), percent(c.top10_share)),
            ],
        });
    }

    if !ins.companies.is_empty() {
        sections.push(Section {
            id: "companies",
            title: "Companies".into(),
            chart: has_chart("companies"),
            finding: format!(
                "Your most frequent company is {} with {} connections.",
                ins.companies[0].company,
                thousands(ins.companies[0].n)
            ),
            read:
                "The 20 companies where most of your connections work, with the share of them you \
                   have pollinated."
                    .into(),
            facts: ins
                .companies
                .iter()
                .map(|c| {
                    (
                        c.company.clone(),
                        format!(
                            "{} ({} pollinated)",
                            thousands(c.n),
                            share_or(c.pollinated_share, "—")
                        ),
                    )
                })
                .collect(),
        }.facts_unless_charted());
    }

    if let Some(last) = ins.timeline.iter().rev().find(|m| m.sent.is_some()) {
        let total = |f: fn(&crate::metrics::timeline::Month) -> Option<u64>| -> u64 {
            ins.timeline.iter().filter_map(f).sum()
        };
        sections.push(Section {
            id: "messages",
            title: "Messages per month".into(),
            chart: has_chart("messages"),
            finding: format!(
                "In all, you sent {} tie messages and received {}; in {} you sent {} and received {}.",
                thousands(total(|m| m.sent)),
                thousands(total(|m| m.received)),
                last.month,
                thousands(last.sent.unwrap_or(0)),
                thousands(last.received.unwrap_or(0))
            ),
            read: "Messages you sent (counted once per recipient) and received, month by month.".into(),
            facts: vec![],
        });
    }

    let b = &ins.bursts;
    let mut more = vec![
        (
            "Burst days (≥ --burst-min new connections)".to_string(),
            thousands(b.days),
        ),
        (
            "Connections made on burst days".into(),
            thousands(b.connections),
        ),
        (
            "Pollinated, burst days".into(),
            share_or(b.pollinated_share, "—"),
        ),
        (
            "Pollinated, other days".into(),
            share_or(b.other_pollinated_share, "—"),
        ),
    ];
    if let Some(g) = &ins.group_graph {
        more.push((
            "People who share group conversations".into(),
            thousands(g.alters_with_edges),
        ));
        more.push(("Groups of connected people".into(), thousands(g.components)));
        more.push(("Largest group".into(), thousands(g.largest_component)));
    }
    sections.push(Section {
        id: "more",
        title: "Accept-all days and group conversations".into(),
        chart: None,
        finding: match (b.pollinated_share, b.other_pollinated_share) {
            (Some(burst), Some(other)) => format!(
                "Connections made on days with {} or more new connections were pollinated {} of the time, against {} on other days.",
                a.params.burst_min,
                percent(burst),
                percent(other)
            ),
            _ => format!("No day had {} or more new connections.", a.params.burst_min),
        },
        read: "Burst days are accept-all days; group conversations link people who were in the same thread with you.".into(),
        facts: more,
    });

    let reconnect: Vec<[String; 6]> = ins
        .reconnect
        .iter()
        .flatten()
        .map(|r| {
            [
                r.name.clone(),
                r.company.clone(),
                format_instant(r.last_message_at)[..10].to_string(),
                thousands(r.messages as u64),
                thousands(r.exchanges as u64),
                percent(r.reciprocity),
            ]
        })
        .collect();
    let reconnect_note = match &ins.reconnect {
        None => "No messages file: faded ties cannot be found.".into(),
        Some(l) if l.is_empty() => "No faded ties: every pollinated tie is still active.".into(),
        Some(_) => String::new(),
    };

    let acc = a.export.accounting();
    let quality = [
        (FileKind::Connections, &acc.connections),
        (FileKind::Messages, &acc.messages),
        (FileKind::Invitations, &acc.invitations),
    ]
    .into_iter()
    .map(|(kind, b)| match b {
        Some(b) => QualityRow {
            file: kind.usual_name().into(),
            rows: thousands(b.rows()),
            counted: thousands(b.get("counted")),
            skipped: b
                .0
                .iter()
                .filter(|(k, n)| *n > 0 && *k != "counted")
                .map(|(k, n)| format!("{} {}", k.replace('_', " "), thousands(*n)))
                .collect::<Vec<_>>()
                .join(", "),
        },
        None => QualityRow {
            file: kind.usual_name().into(),
            rows: "—".into(),
            counted: "—".into(),
            skipped: "file not in the export".into(),
        },
    })
    .collect();

    Findings {
        headline: headline(a),
        verdict: verdict(a),
        sections,
        reconnect,
        reconnect_note,
        quality,
        quality_notes: vec![
            "Every row read lands in exactly one bucket; the buckets add up to the rows read.".into(),
            "malformed: a field count that differs from the header's, or an unterminated quote. duplicate: identical to an earlier row (connections: or the same profile URL). draft, sponsored, spam: not conversations. anonymous: a sender LinkedIn hides. bad date: unreadable date. after cutoff: later than the as-of date. blank: a member who hides their profile (counted only as hidden connections).".into(),
            format!("{} ambiguous names (several people, or several profile URLs, share them).", thousands(a.id.ambiguous_names as u64)),
        ],
        files: a
            .export
            .files
            .iter()
            .map(|f| [format!("{:?}", f.kind), f.path.clone(), f.era.to_string()])
            .collect(),
        parameters: vec![
            ("As of".into(), format_day(a.params.as_of)),
            ("Cut-off".into(), format_instant(a.params.cutoff())),
            ("Active within (days)".into(), a.params.active_days.to_string()),
            ("Engagement half-life (days)".into(), a.params.half_life.to_string()),
            ("Burst day minimum".into(), a.params.burst_min.to_string()),
            ("Owner".into(), a.id.owner.name.clone().unwrap_or_else(|| "unknown".into())),
        ],
        version: env!("CARGO_PKG_VERSION").into(),
        anonymized: a.anonymized,
    }
}
