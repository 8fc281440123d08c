//! `summary.json` (METRICS.md §7): every network-level number, the parameters, the owner and
//! the data-quality accounting. A figure that cannot be computed is `null` with a sibling
//! `<name>_unavailable` saying why.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{Exporter, OutputError, Report};
use crate::analysis::Analysis;
use crate::export::{day_of, format_day, format_instant, FileKind};
use crate::metrics::insights::TimeToPollination;
use crate::metrics::invitations::Effect;
use crate::metrics::stats::Proportion;
use crate::metrics::State;

/// The schema version of `summary.json`.
pub const SCHEMA: &str = "orchard.summary/2";

/// The `summary.json` exporter.
pub struct SummaryJson;

/// Sets `name` to the value, or to `null` with `<name>_unavailable` holding the reason.
fn put<T: Serialize>(map: &mut Map<String, Value>, name: &str, value: Result<T, String>) {
    match value {
        Ok(v) => {
            map.insert(name.into(), serde_json::to_value(v).unwrap_or(Value::Null));
        }
        Err(why) => {
            map.insert(name.into(), Value::Null);
            map.insert(format!("{name}_unavailable"), Value::String(why));
        }
    }
}

/// Why message-derived figures are missing, if they are.
pub fn no_messages_reason(a: &Analysis) -> Option<String> {
    (!a.id.has_messages).then(|| {
        "the export has no messages.csv: without messages there is no evidence of pollination \
         (and no evidence is not dormancy)"
            .to_string()
    })
}

/// A message-derived figure, or why it is missing.
fn needed<T: Serialize>(
    no_messages: &Option<String>,
    value: Option<T>,
    over_connections: bool,
) -> Result<Value, String> {
    match (no_messages, value) {
        (Some(why), _) => Err(why.clone()),
        (None, Some(v)) => serde_json::to_value(v).map_err(|e| e.to_string()),
        (None, None) if over_connections => Err("the export has no counted connections".into()),
        (None, None) => Err("not available".into()),
    }
}

/// The summary as a JSON value.
pub fn summary(a: &Analysis) -> Value {
    let s = &a.summary;
    let mut m = Map::new();
    m.insert("schema".into(), json!(SCHEMA));
    m.insert("orchard_version".into(), json!(env!("CARGO_PKG_VERSION")));
    m.insert(
        "parameters".into(),
        json!({
            "as_of": format_day(a.params.as_of),
            "cutoff": format_instant(a.params.cutoff()),
            "active_days": a.params.active_days,
            "half_life": a.params.half_life,
            "burst_min": a.params.burst_min,
        }),
    );
    m.insert(
        "owner".into(),
        serde_json::to_value(&a.id.owner).unwrap_or(Value::Null),
    );
    m.insert("connections".into(), json!(s.connections));
    m.insert(
        "hidden_connections".into(),
        json!(a.export.hidden_connections(a.params.cutoff())),
    );
    m.insert("ambiguous_names".into(), json!(a.id.ambiguous_names));
    m.insert("message_partner_count".into(), json!(s.partners));
    let no_messages = no_messages_reason(a);
    put(&mut m, "states", needed(&no_messages, s.states, true));
    put(&mut m, "shares", needed(&no_messages, s.shares, true));
    put(
        &mut m,
        "never_pollinated_share",
        needed(&no_messages, s.never_pollinated_share, true),
    );
    put(
        &mut m,
        "message_partners",
        needed(&no_messages, s.message_partners, false),
    );
    put(&mut m, "layers", needed(&no_messages, s.layers, false));

    let acc = a.export.accounting();
    let mut accounting = Map::new();
    for (name, kind, buckets) in [
        ("connections", FileKind::Connections, acc.connections),
        ("messages", FileKind::Messages, acc.messages),
        ("invitations", FileKind::Invitations, acc.invitations),
    ] {
        let value = buckets.ok_or_else(|| format!("no {} in the export", kind.usual_name()));
        put(&mut accounting, name, value);
    }
    m.insert("accounting".into(), Value::Object(accounting));
    m.insert(
        "files".into(),
        serde_json::to_value(&a.export.files).unwrap_or(Value::Null),
    );
    insights(a, &mut m, &no_messages);
    Value::Object(m)
}

impl Exporter for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError> {
        let mut out = serde_json::to_vec_pretty(&summary(report.analysis)).map_err(|e| {
            OutputError::Render {
                file: "summary.json",
                why: e.to_string(),
            }
        })?;
        out.push(b'\n');
        Ok(out)
    }
}

/// `{n, x, rate, low, high}`; rate and bounds null when `n` = 0.
fn proportion(p: Option<&Proportion>, (n, x): (u64, u64)) -> Value {
    let mut m = Map::new();
    m.insert("n".into(), json!(n));
    m.insert("x".into(), json!(x));
    let why = || "n = 0".to_string();
    put(&mut m, "rate", p.map(|p| p.rate).ok_or_else(why));
    put(&mut m, "low", p.map(|p| p.low).ok_or_else(why));
    put(&mut m, "high", p.map(|p| p.high).ok_or_else(why));
    Value::Object(m)
}

fn effect(e: &Effect) -> Value {
    let mut difference = Map::new();
    let why = || "personalised or generic has n = 0".to_string();
    put(
        &mut difference,
        "value",
        e.difference.map(|d| d.value).ok_or_else(why),
    );
    put(
        &mut difference,
        "low",
        e.difference.map(|d| d.low).ok_or_else(why),
    );
    put(
        &mut difference,
        "high",
        e.difference.map(|d| d.high).ok_or_else(why),
    );
    json!({
        "personalised": proportion(e.personalised.as_ref(), e.counts[0]),
        "generic": proportion(e.generic.as_ref(), e.counts[1]),
        "difference": difference,
    })
}

fn survival_value(t: &TimeToPollination) -> Value {
    let mut m = Map::new();
    for d in TimeToPollination::DAYS {
        let why = || format!("no connection was observed for {d} days");
        put(&mut m, &format!("s{d}"), t.km.at(d).ok_or_else(why));
    }
    let why = || "fewer than half were pollinated in the time observed".to_string();
    put(&mut m, "median_days", t.km.median().ok_or_else(why));
    let curve: Vec<Value> =
        t.km.curve
            .iter()
            .map(|&(day, s)| json!({"day": day, "s": s}))
            .collect();
    m.insert("curve".into(), Value::Array(curve));
    Value::Object(m)
}

/// The reason a message-derived figure is missing, or `fallback` when messages exist.
fn missing(no_messages: &Option<String>, fallback: &str) -> String {
    no_messages.clone().unwrap_or_else(|| fallback.to_string())
}

/// The figures of METRICS.md §5–6 beyond the state counts.
fn insights(a: &Analysis, m: &mut Map<String, Value>, no_messages: &Option<String>) {
    let ins = &a.insights;

    let invitations = ins.invitations.as_ref().map(|inv| {
        let mut o = Map::new();
        o.insert("counterparts".into(), json!(inv.counterparts));
        o.insert("accepted".into(), json!(inv.accepted));
        let window = inv.window.map(|(first, last)| {
            json!({"first": format_day(day_of(first)), "last": format_day(day_of(last))})
        });
        put(
            &mut o,
            "window",
            window.ok_or_else(|| "no counted invitations".to_string()),
        );
        o.insert(
            "pending".into(),
            json!({"outgoing": inv.pending.0, "incoming": inv.pending.1}),
        );
        o.insert("ambiguous".into(), json!(inv.ambiguous));
        let why = || "no outgoing invitations".to_string();
        put(
            &mut o,
            "outgoing_note_share",
            inv.outgoing_note_share.ok_or_else(why),
        );
        let eff = inv.effect.as_ref().map(|[out, inc, all]| {
            json!({"outgoing": effect(out), "incoming": effect(inc), "all": effect(all)})
        });
        put(
            &mut o,
            "effect",
            eff.ok_or_else(|| missing(no_messages, "")),
        );
        Value::Object(o)
    });
    let why = || "the export has no Invitations.csv".to_string();
    put(m, "invitations", invitations.ok_or_else(why));

    let cohorts = ins.cohorts.as_ref().map(|cs| {
        let rows = cs.iter().map(|c| {
            let mut o = Map::new();
            o.insert("year".into(), json!(c.year));
            o.insert("n".into(), json!(c.n));
            for (i, st) in State::ALL.iter().enumerate() {
                o.insert(st.name().into(), json!(c.states[i]));
            }
            o.insert("pollinated_share".into(), json!(c.pollinated_share()));
            Value::Object(o)
        });
        Value::Array(rows.collect())
    });
    put(
        m,
        "cohorts",
        cohorts.ok_or_else(|| missing(no_messages, "")),
    );

    let survival = ins.survival.as_ref().map(|(all, by_year)| {
        let mut v = survival_value(all);
        let by: Map<String, Value> = by_year
            .iter()
            .map(|(y, t)| (y.to_string(), survival_value(t)))
            .collect();
        v["by_cohort"] = Value::Object(by);
        v
    });
    put(
        m,
        "survival",
        survival.ok_or_else(|| missing(no_messages, "")),
    );

    let concentration = ins.concentration.as_ref().map(|c| {
        let lorenz: Vec<Value> = c.lorenz.iter().map(|&(x, y)| json!([x, y])).collect();
        json!({
            "gini": c.gini,
            "top1_share": c.top1_share,
            "top10_share": c.top10_share,
            "lorenz": lorenz,
        })
    });
    let why = || missing(no_messages, "no connection has any message");
    put(m, "concentration", concentration.ok_or_else(why));

    // A share over a group that may be empty.
    let share_why = |n: u64| missing(no_messages, if n == 0 { "no such connections" } else { "" });
    let b = &ins.bursts;
    let mut bursts = Map::new();
    bursts.insert("days".into(), json!(b.days));
    bursts.insert("connections".into(), json!(b.connections));
    let others = a.summary.connections - b.connections;
    put(
        &mut bursts,
        "pollinated_share",
        b.pollinated_share.ok_or_else(|| share_why(b.connections)),
    );
    put(
        &mut bursts,
        "other_pollinated_share",
        b.other_pollinated_share.ok_or_else(|| share_why(others)),
    );
    m.insert("bursts".into(), Value::Object(bursts));

    let companies = ins.companies.iter().map(|c| {
        let mut o = Map::new();
        o.insert("company".into(), json!(c.company));
        o.insert("n".into(), json!(c.n));
        put(
            &mut o,
            "pollinated_share",
            c.pollinated_share.ok_or_else(|| share_why(c.n)),
        );
        Value::Object(o)
    });
    let companies = Value::Array(companies.collect());
    let why = || "company names are dropped by --anonymize".to_string();
    put(
        m,
        "companies",
        Some(companies).filter(|_| !a.anonymized).ok_or_else(why),
    );

    let reconnect = ins.reconnect.as_ref().map(|list| {
        let rows = list.iter().map(|r| {
            json!({
                "key": r.key,
                "name": r.name,
                "company": r.company,
                "last_message_at": format_instant(r.last_message_at),
                "messages": r.messages,
                "exchanges": r.exchanges,
                "reciprocity": r.reciprocity,
            })
        });
        Value::Array(rows.collect())
    });
    put(
        m,
        "reconnect",
        reconnect.ok_or_else(|| missing(no_messages, "")),
    );

    let timeline = ins.timeline.iter().map(|t| {
        let mut o = Map::new();
        o.insert("month".into(), json!(t.month));
        o.insert("connections".into(), json!(t.connections));
        put(
            &mut o,
            "pollinated",
            t.pollinated.ok_or_else(|| share_why(1)),
        );
        let share = t
            .never_pollinated_share
            .ok_or_else(|| share_why(t.connections));
        put(&mut o, "never_pollinated_share", share);
        put(&mut o, "sent", t.sent.ok_or_else(|| share_why(1)));
        put(&mut o, "received", t.received.ok_or_else(|| share_why(1)));
        Value::Object(o)
    });
    m.insert("timeline".into(), Value::Array(timeline.collect()));

    let group = ins.group_graph.map(|g| {
        json!({
            "alters_with_edges": g.alters_with_edges,
            "components": g.components,
            "largest_component": g.largest_component,
        })
    });
    put(
        m,
        "group_graph",
        group.ok_or_else(|| missing(no_messages, "")),
    );
}
