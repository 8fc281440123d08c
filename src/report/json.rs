//! `summary.json` (METRICS.md §7): every network-level number, the parameters, the owner and
//! the data-quality accounting. A figure that cannot be computed is `null` with a sibling
//! `<name>_unavailable` saying why.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{Exporter, OutputError};
use crate::analysis::Analysis;
use crate::export::{format_day, FileKind};

/// The schema version of `summary.json`.
pub const SCHEMA: &str = "orchard.summary/1";

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
            "cutoff": format_day(a.params.as_of + 1),
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
        json!(a
            .export
            .connections
            .as_ref()
            .map_or(0, |c| c.buckets().get("blank"))),
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
    Value::Object(m)
}

impl Exporter for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn render(&self, a: &Analysis) -> Result<Vec<u8>, OutputError> {
        let mut out = serde_json::to_vec_pretty(&summary(a)).map_err(|e| OutputError::Render {
            file: "summary.json",
            why: e.to_string(),
        })?;
        out.push(b'\n');
        Ok(out)
    }
}
