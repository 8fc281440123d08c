//! Charts of networks over time: `compare`'s transition matrix as a heat map and its state
//! shares before and now, and `history`'s shares across snapshots. Same look as the report's
//! charts (the parent module's frame, axes, palette and fonts).

use super::*;
use crate::snapshot::compare::{Comparison, TRANSITION_LABELS};
use crate::snapshot::history::History;

/// The charts of a comparison: the transition matrix and the shares, when both sides have
/// messages (without them no state is known).
pub fn compare_charts(c: &Comparison) -> Result<Vec<Chart>, OutputError> {
    register_fonts()?;
    let mut out = Vec::new();
    if let Some(p) = transitions(c) {
        out.push(p.render()?);
    }
    if let Some(p) = shares(c) {
        out.push(p.render()?);
    }
    Ok(out)
}

/// The chart of a history: shares across snapshots, when any snapshot has states.
pub fn history_charts(h: &History) -> Result<Vec<Chart>, OutputError> {
    register_fonts()?;
    match series(h) {
        Some(p) => Ok(vec![p.render()?]),
        None => Ok(Vec::new()),
    }
}

/// How a transition label reads on a chart.
fn transition_label(name: &str) -> &'static str {
    match name {
        "none" => "not connected",
        "dormant" => state_label(State::Dormant),
        "one_way" => state_label(State::OneWay),
        "active" => state_label(State::Active),
        _ => state_label(State::Faded),
    }
}

// ---------------------------------------------------------------------------------------------
// The transition matrix.

/// A square grid of counts, rows before (top down), columns now; darker is more.
struct Heat {
    labels: Vec<String>,
    counts: [[u64; 5]; 5],
}

/// A colour between white (0) and `full` (1).
fn shade(full: RGBColor, t: f64) -> RGBColor {
    let mix = |c: u8| (255.0 - (255.0 - c as f64) * t.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(full.0), mix(full.1), mix(full.2))
}

impl Draw for Heat {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, title: &str) -> Drawn<DB> {
        let body = frame(root, title, &[])?;
        let n = self.labels.len();
        let x = category_axis("Now", self.labels.clone(), 1);
        let rows: Vec<String> = self.labels.iter().rev().cloned().collect();
        let y = category_axis("Before", rows, 1);
        let mut chart = plane(&body, &x, &y)?;
        let max = self
            .counts
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        for (i, row) in self.counts.iter().enumerate() {
            let at_y = (n - 1 - i) as f64;
            for (j, &count) in row.iter().enumerate() {
                let at_x = j as f64;
                let cell = [(at_x - 0.5, at_y - 0.5), (at_x + 0.5, at_y + 0.5)];
                // "Not connected" before and now is no one: a grey cell without a number.
                let (fill, label) = if i == 0 && j == 0 {
                    (GRID, String::new())
                } else {
                    // Square-root scale, so that small cells beside a large diagonal show.
                    (
                        shade(oi::BLUE, (count as f64 / max).sqrt()),
                        thousands(count),
                    )
                };
                chart.draw_series([Rectangle::new(cell, fill.filled())])?;
                chart.draw_series([Rectangle::new(cell, WHITE.stroke_width(2))])?;
                if !label.is_empty() {
                    let style =
                        anchored(text(LABEL), HPos::Center, VPos::Center).color(text_on(fill));
                    chart.draw_series([Text::new(label, (at_x, at_y), style)])?;
                }
            }
        }
        Ok(())
    }
}

fn transitions(c: &Comparison) -> Option<Planned<Heat>> {
    let counts = c.transitions?;
    Some(planned!(
        "transitions",
        "How each connection's state changed".into(),
        format!(
            "Each cell counts connections by their state as of {} (row) and as of {} \
             (column). The diagonal kept its state; \"not connected\" rows and columns are \
             connections added and removed. Darker cells hold more.",
            c.old.as_of, c.new.as_of
        ),
        Heat {
            labels: TRANSITION_LABELS
                .iter()
                .map(|l| transition_label(l).to_string())
                .collect(),
            counts,
        }
    ))
}

// ---------------------------------------------------------------------------------------------
// State shares before and now.

/// Per state, two horizontal bars: before (light) above now (the state's colour).
struct Paired {
    before_label: String,
    now_label: String,
    before: [f64; 4],
    now: [f64; 4],
}

/// The light tint that marks the older side's bars.
const BEFORE: f64 = 0.35;

impl Draw for Paired {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, title: &str) -> Drawn<DB> {
        let keys = [
            Key::new(self.before_label.clone(), Swatch::Bar(shade(INK, BEFORE))),
            Key::new(self.now_label.clone(), Swatch::Bar(INK)),
        ];
        let body = frame(root, title, &keys)?;
        let top = self
            .before
            .iter()
            .chain(&self.now)
            .copied()
            .fold(0.0, f64::max);
        let mut x = share_axis("Share of connections", (top * 1.25).max(0.1));
        x.range = 0.0..x.range.end;
        let labels = State::ALL
            .iter()
            .rev()
            .map(|&s| state_label(s).to_string())
            .collect();
        let y = category_axis("State", labels, 1);
        let mut chart = plane(&body, &x, &y)?;
        for (i, &s) in State::ALL.iter().enumerate() {
            let at = (State::ALL.len() - 1 - i) as f64;
            for (value, offset, colour) in [
                (self.before[i], 0.19, shade(state_colour(s), BEFORE)),
                (self.now[i], -0.19, state_colour(s)),
            ] {
                let bar = [(0.0, at + offset - 0.17), (value, at + offset + 0.17)];
                chart.draw_series([Rectangle::new(bar, colour.filled())])?;
                chart.draw_series([Rectangle::new(bar, OUTLINE.stroke_width(1))])?;
                let note = anchored(text(LABEL), HPos::Left, VPos::Center);
                chart.draw_series([EmptyElement::at((value, at + offset))
                    + Text::new(percent(value), (8, 0), note)])?;
            }
        }
        Ok(())
    }
}

fn shares(c: &Comparison) -> Option<Planned<Paired>> {
    let (a, b) = (c.old.shares?, c.new.shares?);
    let four = |s: crate::metrics::StateShares| [s.dormant, s.one_way, s.active, s.faded];
    Some(planned!(
        "shares",
        "State shares before and now".into(),
        format!(
            "Each state's share of your connections as of {} (light, upper bar) and as of {} \
             (full colour, lower bar).",
            c.old.as_of, c.new.as_of
        ),
        Paired {
            before_label: format!("as of {}", c.old.as_of),
            now_label: format!("as of {}", c.new.as_of),
            before: four(a),
            now: four(b),
        }
    ))
}

// ---------------------------------------------------------------------------------------------
// History.

fn series(h: &History) -> Option<Planned<Lines>> {
    let points: Vec<_> = h.snapshots.iter().filter(|s| s.shares.is_some()).collect();
    if points.is_empty() {
        return None;
    }
    let labels: Vec<String> = points.iter().map(|p| p.as_of.clone()).collect();
    let line = |label: &str, pen: Pen, f: &dyn Fn(&crate::snapshot::compare::Side) -> f64| Line {
        label: label.into(),
        pen,
        points: points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f64, f(p)))
            .collect(),
        fill: false,
    };
    let share = |s: &crate::snapshot::compare::Side, state: State| {
        s.states
            .map_or(0.0, |c| c.get(state) as f64 / c.total().max(1) as f64)
    };
    let mut lines = vec![line("never pollinated", Pen::solid(oi::BLACK, 4), &|p| {
        p.never_pollinated_share.unwrap_or(0.0)
    })];
    for (state, dash) in [
        (State::Dormant, Some((12, 6))),
        (State::OneWay, Some((4, 4))),
        (State::Active, None),
        (State::Faded, Some((14, 4))),
    ] {
        let pen = Pen {
            colour: state_colour(state),
            width: 3,
            dash,
        };
        lines.push(line(state_label(state), pen, &|p| share(p, state)));
    }
    let every = labels.len().div_ceil(10);
    Some(planned!(
        "history",
        "Your network across snapshots".into(),
        "For each stored snapshot, by its as-of date: the never-pollinated share (dormant plus \
         one-way, the thick line) and each state's share of your connections."
            .into(),
        Lines {
            x: category_axis("Snapshot as of", labels, every),
            y: share_axis("Share of connections", 1.0),
            lines,
            notes: Vec::new(),
            markers: true,
        }
    ))
}
