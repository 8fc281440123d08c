//! The short summary printed after a report, led by the headline.

use std::fmt::Write;

use crate::analysis::Analysis;
use crate::metrics::State;

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal: `0.7243` → `72.4%`.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The headline: "72.4% of your 1,204 connections were never pollinated".
pub fn headline(a: &Analysis) -> String {
    let n = a.summary.connections;
    match a.summary.never_pollinated_share {
        Some(share) => format!(
            "{} of your {} connections were never pollinated",
            percent(share),
            thousands(n)
        ),
        None if !a.id.has_messages => format!(
            "{} connections; no messages file, so pollination cannot be measured",
            thousands(n)
        ),
        None => "No counted connections in this export".to_string(),
    }
}

/// The terminal summary: headline, states, message partners, data quality.
pub fn terminal_summary(a: &Analysis) -> String {
    let mut out = String::new();
    let s = &a.summary;
    let _ = writeln!(out, "{}", headline(a));
    if let (Some(states), Some(shares)) = (s.states, s.shares) {
        let share = |st: State| match st {
            State::Dormant => shares.dormant,
            State::OneWay => shares.one_way,
            State::Active => shares.active,
            State::Faded => shares.faded,
        };
        for st in State::ALL {
            let _ = writeln!(
                out,
                "  {:<8} {:>7}  {:>6}",
                st.name(),
                thousands(states.get(st)),
                percent(share(st))
            );
        }
    }
    if let Some(p) = s.message_partners {
        let _ = writeln!(
            out,
            "Message partners (not connections): {} ({} pollinated)",
            thousands(s.partners),
            thousands(p.pollinated())
        );
    }
    if let Some(line) = note_effect_line(a) {
        let _ = writeln!(out, "{line}");
    }
    if let Some((all, _)) = &a.insights.survival {
        let line = match all.km.median() {
            Some(d) => format!("Half of your connections were pollinated within {d} days of connecting"),
            None => "Median time to pollination: not reached — fewer than half of your connections were ever pollinated".to_string(),
        };
        let _ = writeln!(out, "{line}");
    }
    let acc = a.export.accounting();
    let mut quality = Vec::new();
    for (name, b) in [
        ("connection", &acc.connections),
        ("message", &acc.messages),
        ("invitation", &acc.invitations),
    ] {
        if let Some(b) = b {
            quality.push(format!(
                "{} {name} rows read, {} counted",
                thousands(b.rows()),
                thousands(b.get("counted"))
            ));
        }
    }
    let _ = writeln!(out, "Data: {}", quality.join("; "));
    let hidden = a.export.hidden_connections(a.params.cutoff());
    if hidden > 0 {
        let _ = writeln!(
            out,
            "      {} connections hide their profile (blank rows)",
            thousands(hidden)
        );
    }
    let _ = writeln!(
        out,
        "As of {} · owner {}",
        crate::export::format_day(a.params.as_of),
        a.id.owner.name.as_deref().unwrap_or("unknown")
    );
    out
}

/// The personal-note effect over all accepted invitations, when both groups exist.
fn note_effect_line(a: &Analysis) -> Option<String> {
    let inv = a.insights.invitations.as_ref()?;
    let [_, _, all] = inv.effect.as_ref()?;
    let (p, g, d) = (all.personalised?, all.generic?, all.difference?);
    let points = |x: f64| format!("{:+.1}", x * 100.0);
    Some(format!(
        "Personal notes: {} of {} accepted invitations with a note were pollinated, {} of {} without \
         ({} points, 95% CI {} to {})",
        percent(p.rate),
        thousands(p.n),
        percent(g.rate),
        thousands(g.n),
        points(d.value),
        points(d.low),
        points(d.high)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(percent(0.72435), "72.4%");
    }
}
