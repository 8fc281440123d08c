//! Charts (DESIGN.md, "What a report folder holds"): each figure is drawn twice with plotters,
//! once into an SVG document and once into an RGB buffer that is encoded as PNG.
//!
//! Text is set in DejaVu Sans, bundled by the `dejavu` crate and registered once in plotters'
//! ab_glyph font table, so no system font is ever looked up. Colours are Okabe–Ito, chosen so
//! that series which sit side by side also differ in lightness; lines differ in dash pattern too,
//! so every chart still reads in greyscale.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, ValueFormatter};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{percent, thousands, OutputError};
use crate::analysis::Analysis;
use crate::metrics::insights::Cohort;
use crate::metrics::stats::{Proportion, Survival};
use crate::metrics::State;

/// One chart, in both forms.
pub struct Chart {
    /// File stem: `charts/<name>.svg` and `.png`.
    pub name: &'static str,
    /// Title shown on the chart and as the report section heading.
    pub title: String,
    /// One sentence: how to read it.
    pub caption: String,
    /// The SVG document.
    pub svg: String,
    /// The PNG bytes.
    pub png: Vec<u8>,
}

/// PNG and SVG width in pixels.
pub const WIDTH: u32 = 960;
/// PNG and SVG height in pixels.
pub const HEIGHT: u32 = 540;

/// Every chart the analysis has data for, in report order. Charts whose data is unavailable
/// (no messages file → no pollination; no invitations; no companies) are left out.
pub fn charts(a: &Analysis) -> Result<Vec<Chart>, OutputError> {
    register_fonts()?;
    let mut out = Vec::new();
    if let Some(p) = states(a) {
        out.push(p.render()?);
    }
    if let Some(p) = cohorts(a) {
        out.push(p.render()?);
    }
    if let Some(p) = survival(a) {
        out.push(p.render()?);
    }
    if let Some(p) = timeline(a) {
        out.push(p.render()?);
    }
    if let Some(p) = invites(a) {
        out.push(p.render()?);
    }
    if let Some(p) = lorenz(a) {
        out.push(p.render()?);
    }
    if let Some(p) = companies(a) {
        out.push(p.render()?);
    }
    if let Some(p) = messages(a) {
        out.push(p.render()?);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Fonts, palette and the shared styling.

/// The family every text style names. In SVG it is a CSS font list, so a viewer without
/// DejaVu Sans falls back to its own sans-serif; for PNG it is the key of the bundled font.
const FAMILY: &str = "DejaVu Sans, sans-serif";
/// Font sizes in plotters' units (SVG `font-size` is the size / 1.24): title, axis titles,
/// tick labels and annotations. The smallest is 14.5 px in SVG.
const TITLE: f64 = 28.0;
const AXIS: f64 = 20.0;
const LABEL: f64 = 18.0;

fn register_fonts() -> Result<(), OutputError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(OutputError::Render {
            file: "charts",
            why: "the bundled DejaVu Sans font could not be loaded".into(),
        })
    }
}

/// The Okabe–Ito palette (Okabe & Ito 2008), with its greyscale luma in the comments.
mod oi {
    use plotters::style::RGBColor;
    pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00); // 0
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00); // 162
    pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9); // 158
    pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73); // 106
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42); // 213
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2); // 87
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00); // 119
    pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7); // 151
}

const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
const GRID: RGBColor = RGBColor(0xE2, 0xE2, 0xE2);
const OUTLINE: RGBColor = RGBColor(0x44, 0x44, 0x44);

/// A state's colour: dormant light, faded a lighter shade of active, one-way between.
fn state_colour(s: State) -> RGBColor {
    match s {
        State::Dormant => oi::YELLOW,
        State::OneWay => oi::VERMILLION,
        State::Active => oi::BLUE,
        State::Faded => oi::SKY,
    }
}

fn state_label(s: State) -> &'static str {
    match s {
        State::Dormant => "dormant",
        State::OneWay => "one-way",
        State::Active => "active",
        State::Faded => "faded",
    }
}

/// Text that reads on a filled area of `background`.
fn text_on(background: RGBColor) -> &'static RGBColor {
    let RGBColor(r, g, b) = background;
    let luma = 0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64;
    if luma < 128.0 {
        &WHITE
    } else {
        &INK
    }
}

fn text(size: f64) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&INK)
}

fn bold(size: f64) -> TextStyle<'static> {
    // Not `.style(Bold)` on a normal font: that keeps the regular face's glyphs.
    (FAMILY, size, FontStyle::Bold).into_font().color(&INK)
}

fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// The width of `s` in pixels at `size`, as plotters will lay it out.
fn width(s: &str, size: f64) -> i32 {
    (FAMILY, size)
        .into_font()
        .box_size(s)
        .map_or(s.chars().count() as i32 * size as i32 * 6 / 10, |(w, _)| {
            w as i32
        })
}

/// `s` without control characters (not allowed in XML), cut to at most `max` characters with
/// an ellipsis when cut.
fn truncate(s: &str, max: usize) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() <= max {
        return clean;
    }
    let cut: String = clean.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A line's look: colour, width and an optional dash (length, gap) in pixels.
#[derive(Clone, Copy)]
struct Pen {
    colour: RGBColor,
    width: u32,
    dash: Option<(u32, u32)>,
}

impl Pen {
    const fn solid(colour: RGBColor, width: u32) -> Pen {
        Pen {
            colour,
            width,
            dash: None,
        }
    }
    const fn dashed(colour: RGBColor, width: u32, dash: (u32, u32)) -> Pen {
        Pen {
            colour,
            width,
            dash: Some(dash),
        }
    }
    fn style(self) -> ShapeStyle {
        self.colour.stroke_width(self.width)
    }
}

/// A point marker's shape.
#[derive(Clone, Copy)]
enum Shape {
    Circle,
    Triangle,
}

/// What a legend entry shows beside its label.
enum Swatch {
    Bar(RGBColor),
    Line(Pen),
    Whisker(RGBColor, Shape),
}

/// A legend entry.
struct Key {
    label: String,
    swatch: Swatch,
}

impl Key {
    fn new(label: impl Into<String>, swatch: Swatch) -> Key {
        Key {
            label: label.into(),
            swatch,
        }
    }
}

/// One axis: title, range, tick positions and how a tick is labelled.
struct Axis {
    desc: String,
    range: Range<f64>,
    ticks: Vec<f64>,
    label: Box<dyn Fn(f64) -> String>,
    grid: bool,
}

type Area<DB> = DrawingArea<DB, Shift>;
type Failure<DB> = DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>;
type Drawn<DB> = Result<(), Failure<DB>>;
type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<Scale, Scale>>;

/// A linear coordinate over `f64` whose grid lines and tick labels sit exactly at `ticks`.
struct Scale {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Scale {
    /// The axis's scale; a range from 0 starts 1% below it, so that lines and bars at zero
    /// clear the axis line.
    fn of(axis: &Axis) -> Scale {
        let Range { start, end } = axis.range;
        let start = if start == 0.0 { -0.01 * end } else { start };
        Scale {
            range: start..end,
            ticks: axis.ticks.clone(),
        }
    }
}

impl Ranged for Scale {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        if span == 0.0 {
            return limit.0;
        }
        let share = (value - self.range.start) / span;
        limit.0 + ((limit.1 - limit.0) as f64 * share + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Only bold points: the light grid stays empty.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

impl ValueFormatter<f64> for Scale {
    fn format(value: &f64) -> String {
        value.to_string()
    }
}

const SWATCH: i32 = 30;

/// The shared frame of every chart: white page, bold title, legend rows when there is more
/// than one series; returns the area left for the plot.
fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    keys: &[Key],
) -> Result<Area<DB>, Failure<DB>> {
    root.fill(&WHITE)?;
    let centre = WIDTH as i32 / 2;
    let title_style = anchored(bold(TITLE), HPos::Center, VPos::Top);
    root.draw(&Text::new(title.to_string(), (centre, 16), title_style))?;
    let mut top = 58;
    if keys.len() > 1 {
        for row in legend_rows(keys) {
            let total: i32 = row.iter().map(|(_, w)| w).sum::<i32>() + 28 * (row.len() as i32 - 1);
            let mut x = centre - total / 2;
            let y = top + 11;
            for (key, w) in row {
                draw_swatch(root, &key.swatch, x, y)?;
                let style = anchored(text(LABEL), HPos::Left, VPos::Center);
                root.draw(&Text::new(key.label.clone(), (x + SWATCH + 8, y), style))?;
                x += w + 28;
            }
            top += 26;
        }
        top += 6;
    }
    Ok(root.margin(top, 10, 14, 10))
}

/// Legend entries flowed into rows that fit the width, each with its width in pixels.
fn legend_rows(keys: &[Key]) -> Vec<Vec<(&Key, i32)>> {
    let mut rows: Vec<Vec<(&Key, i32)>> = vec![Vec::new()];
    let mut used = 0;
    for key in keys {
        let w = SWATCH + 8 + width(&key.label, LABEL);
        let row = rows.last_mut().expect("one row at least");
        if !row.is_empty() && used + 28 + w > WIDTH as i32 - 80 {
            rows.push(vec![(key, w)]);
            used = w;
        } else {
            used += if row.is_empty() { w } else { 28 + w };
            row.push((key, w));
        }
    }
    rows
}

fn draw_swatch<DB: DrawingBackend>(root: &Area<DB>, swatch: &Swatch, x: i32, y: i32) -> Drawn<DB> {
    match *swatch {
        Swatch::Bar(c) => {
            root.draw(&Rectangle::new(
                [(x + 4, y - 8), (x + SWATCH - 4, y + 8)],
                c.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x + 4, y - 8), (x + SWATCH - 4, y + 8)],
                OUTLINE.stroke_width(1),
            ))?;
        }
        Swatch::Line(pen) => {
            let ends = vec![(x, y), (x + SWATCH, y)];
            match pen.dash {
                None => root.draw(&PathElement::new(ends, pen.style()))?,
                Some((on, off)) => {
                    root.draw(&DashedPathElement::new(ends, on, off, pen.style()))?
                }
            }
        }
        Swatch::Whisker(c, shape) => {
            let mid = x + SWATCH / 2;
            root.draw(&PathElement::new(
                vec![(mid, y - 10), (mid, y + 10)],
                c.stroke_width(2),
            ))?;
            draw_marker(root, (mid, y), c, shape)?;
        }
    }
    Ok(())
}

/// A marker at `at` in `area`'s coordinates.
fn draw_marker<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    at: CT::From,
    colour: RGBColor,
    shape: Shape,
) -> Drawn<DB>
where
    CT::From: Clone + 'static,
{
    match shape {
        Shape::Circle => area.draw(&Circle::new(at, 6, colour.filled())),
        Shape::Triangle => area.draw(&TriangleMarker::new(at, 8, colour.filled())),
    }
}

/// Builds the plot area and draws grid, axes, ticks and axis titles in the shared style.
fn plane<'a, DB: DrawingBackend>(
    body: &'a Area<DB>,
    x: &Axis,
    y: &Axis,
) -> Result<Plane<'a, DB>, Failure<DB>> {
    let widest = y
        .ticks
        .iter()
        .map(|&v| width(&(y.label)(v), LABEL))
        .max()
        .unwrap_or(0);
    let y_area = widest + if y.desc.is_empty() { 16 } else { 46 };
    let mut chart = ChartBuilder::on(body)
        .margin_top(6)
        .margin_right(44)
        .x_label_area_size(if x.desc.is_empty() { 34 } else { 62 })
        .y_label_area_size(y_area)
        .build_cartesian_2d(Scale::of(x), Scale::of(y))?;
    let fx = |v: &f64| (x.label)(*v);
    let fy = |v: &f64| (y.label)(*v);
    {
        let mut mesh = chart.configure_mesh();
        mesh.label_style(text(LABEL))
            .axis_desc_style(text(AXIS))
            .x_desc(x.desc.as_str())
            .y_desc(y.desc.as_str())
            .x_label_formatter(&fx)
            .y_label_formatter(&fy)
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(MUTED.stroke_width(1))
            .set_all_tick_mark_size(6);
        if !x.grid {
            mesh.disable_x_mesh();
        }
        if !y.grid {
            mesh.disable_y_mesh();
        }
        mesh.draw()?;
    }
    Ok(chart)
}

/// Ticks at 0, s, 2s, … up to the first at or above `max`, with `s` a 1–2–5 step of at least
/// `min_step` giving about `intervals` intervals.
fn ticks(max: f64, intervals: usize, min_step: f64) -> Vec<f64> {
    let max = max.max(min_step);
    let raw = max / intervals as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw * 0.999)
        .unwrap_or(10.0 * magnitude)
        .max(min_step);
    let k = (max / step - 1e-9).ceil().max(1.0) as usize;
    (0..=k).map(|i| i as f64 * step).collect()
}

fn count_label(v: f64) -> String {
    thousands(v.round().max(0.0) as u64)
}

fn percent_label(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// A count axis from 0 with room above the largest value.
fn count_axis(desc: &str, max: f64) -> Axis {
    let ticks = ticks(max, 5, 1.0);
    let end = ticks.last().copied().unwrap_or(1.0).max(max * 1.05);
    Axis {
        desc: desc.into(),
        range: 0.0..end,
        ticks,
        label: Box::new(count_label),
        grid: true,
    }
}

/// A share axis from 0% to `top` (at most 100%).
fn share_axis(desc: &str, top: f64) -> Axis {
    let ticks = ticks(top.min(1.0), 5, 0.05);
    let end = ticks.last().copied().unwrap_or(1.0);
    Axis {
        desc: desc.into(),
        range: 0.0..end,
        ticks,
        label: Box::new(percent_label),
        grid: true,
    }
}

/// Categories at 0, 1, …, labelled by `labels`; `every` thins the tick labels.
fn category_axis(desc: &str, labels: Vec<String>, every: usize) -> Axis {
    let n = labels.len();
    Axis {
        desc: desc.into(),
        range: -0.5..n as f64 - 0.5,
        ticks: (0..n).step_by(every.max(1)).map(|i| i as f64).collect(),
        label: Box::new(move |v| labels.get(v.round() as usize).cloned().unwrap_or_default()),
        grid: false,
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A month axis over `YYYY-MM` labels: ticks on calendar-aligned steps of 1, 2, 3 or 6 months
/// (at most 8 ticks, labelled `Apr 2023`) or whole years (at most 12, labelled `2023`).
fn month_axis(months: &[String]) -> Axis {
    let parsed: Vec<(i32, u32)> = months
        .iter()
        .map(|m| {
            let (y, mo) = m.split_once('-').unwrap_or((m, "1"));
            (y.parse().unwrap_or(0), mo.parse().unwrap_or(1).clamp(1, 12))
        })
        .collect();
    let serial = |&(y, m): &(i32, u32)| y * 12 + m as i32 - 1;
    let (step, ticks) = [1, 2, 3, 6, 12, 24, 60, 120, 240]
        .into_iter()
        .map(|s| {
            let at: Vec<f64> = parsed
                .iter()
                .enumerate()
                .filter(|(_, p)| serial(p).rem_euclid(s) == 0)
                .map(|(i, _)| i as f64)
                .collect();
            (s, at)
        })
        .find(|(s, at)| at.len() <= if *s >= 12 { 12 } else { 8 })
        .unwrap_or((240, Vec::new()));
    let n = months.len();
    let label = move |v: f64| match parsed.get(v.round().max(0.0) as usize) {
        Some(&(y, _)) if step >= 12 => y.to_string(),
        Some(&(y, m)) => format!("{} {y}", MONTHS[m as usize - 1]),
        None => String::new(),
    };
    Axis {
        desc: "Month".into(),
        range: if n <= 1 {
            -0.5..0.5
        } else {
            0.0..(n - 1) as f64
        },
        ticks,
        label: Box::new(label),
        grid: true,
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering.

/// A chart's drawing, done once per backend.
trait Draw {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, title: &str) -> Drawn<DB>;
}

/// A chart ready to render: its name, files, texts and drawing.
struct Planned<P> {
    name: &'static str,
    files: [&'static str; 2],
    title: String,
    caption: String,
    plot: P,
}

macro_rules! planned {
    ($name:literal, $title:expr, $caption:expr, $plot:expr) => {
        Planned {
            name: $name,
            files: [
                concat!("charts/", $name, ".svg"),
                concat!("charts/", $name, ".png"),
            ],
            title: $title,
            caption: $caption,
            plot: $plot,
        }
    };
}

// After `planned!`, which it uses.
mod over_time;
pub use over_time::{compare_charts, history_charts};

impl<P: Draw> Planned<P> {
    fn render(self) -> Result<Chart, OutputError> {
        let [svg_file, png_file] = self.files;
        let fail = |file: &'static str| {
            move |e: &dyn std::fmt::Display| OutputError::Render {
                file,
                why: e.to_string(),
            }
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            self.plot
                .draw(&root, &self.title)
                .map_err(|e| fail(svg_file)(&e))?;
            root.present().map_err(|e| fail(svg_file)(&e))?;
        }
        let mut rgb = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
            self.plot
                .draw(&root, &self.title)
                .map_err(|e| fail(png_file)(&e))?;
            root.present().map_err(|e| fail(png_file)(&e))?;
        }
        let png = encode_png(&rgb).map_err(|e| fail(png_file)(&e))?;
        Ok(Chart {
            name: self.name,
            title: self.title,
            caption: self.caption,
            svg,
            png,
        })
    }
}

fn encode_png(rgb: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Horizontal bars: states and companies.

/// One bar: its label, length, an optional darker part from zero, and the note at its end.
struct Bar {
    label: String,
    total: u64,
    part: Option<u64>,
    colour: RGBColor,
    note: String,
}

/// Horizontal bars, first row on top.
struct Bars {
    rows: Vec<Bar>,
    part_colour: RGBColor,
    keys: Vec<Key>,
    x_desc: &'static str,
    y_desc: &'static str,
}

impl Draw for Bars {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, title: &str) -> Drawn<DB> {
        let body = frame(root, title, &self.keys)?;
        let k = self.rows.len();
        let max = self.rows.iter().map(|r| r.total).max().unwrap_or(1).max(1) as f64;
        // Leave room at the right for the longest bar's note.
        let label_w = self
            .rows
            .iter()
            .map(|r| width(&r.label, LABEL))
            .max()
            .unwrap_or(0);
        let note_w = self
            .rows
            .iter()
            .map(|r| width(&r.note, LABEL))
            .max()
            .unwrap_or(0);
        let plot_w = (body.dim_in_pixel().0 as i32 - label_w - 46 - 44).max(200) as f64;
        let end = max * plot_w / (plot_w - note_w as f64 - 14.0).max(plot_w / 3.0);
        let mut x = count_axis(self.x_desc, max);
        x.ticks.retain(|&t| t <= end);
        x.range = 0.0..end;
        let labels = self.rows.iter().rev().map(|r| r.label.clone()).collect();
        let y = category_axis(self.y_desc, labels, 1);
        let mut chart = plane(&body, &x, &y)?;
        let half = if k <= 6 { 0.3 } else { 0.36 };
        for (i, row) in self.rows.iter().enumerate() {
            let at = (k - 1 - i) as f64;
            let bar = [(0.0, at - half), (row.total as f64, at + half)];
            chart.draw_series([Rectangle::new(bar, row.colour.filled())])?;
            if let Some(part) = row.part.filter(|&p| p > 0) {
                let inner = [(0.0, at - half), (part as f64, at + half)];
                chart.draw_series([Rectangle::new(inner, self.part_colour.filled())])?;
            }
            chart.draw_series([Rectangle::new(bar, OUTLINE.stroke_width(1))])?;
            let note = anchored(text(LABEL), HPos::Left, VPos::Center);
            chart.draw_series([EmptyElement::at((row.total as f64, at))
                + Text::new(row.note.clone(), (8, 0), note)])?;
        }
        Ok(())
    }
}

fn states(a: &Analysis) -> Option<Planned<Bars>> {
    let counts = a.summary.states?;
    let total = counts.total();
    if total == 0 {
        return None;
    }
    let rows = State::ALL
        .iter()
        .map(|&s| Bar {
            label: state_label(s).into(),
            total: counts.get(s),
            part: None,
            colour: state_colour(s),
            note: format!(
                "{} ({})",
                thousands(counts.get(s)),
                percent(counts.get(s) as f64 / total as f64)
            ),
        })
        .collect();
    let caption = format!(
        "Each bar counts your connections in one state: dormant (no messages), one-way \
         (messages but never an exchange), active (an exchange and a message within the last \
         {} days) or faded (an exchange, but no message since then).",
        a.params.active_days
    );
    Some(planned!(
        "states",
        format!("Your {} connections by state", thousands(total)),
        caption,
        Bars {
            rows,
            part_colour: oi::BLUE,
            keys: Vec::new(),
            x_desc: "Connections",
            y_desc: "State",
        }
    ))
}

/// Company names longer than this are cut with an ellipsis.
const COMPANY_CHARS: usize = 30;

fn companies(a: &Analysis) -> Option<Planned<Bars>> {
    let list = &a.insights.companies;
    if list.is_empty() {
        return None;
    }
    let with_messages = list.iter().any(|c| c.pollinated_share.is_some());
    let rows = list
        .iter()
        .map(|c| {
            let part = c.pollinated_share.map(|s| (s * c.n as f64).round() as u64);
            let note = match c.pollinated_share {
                Some(s) => format!("{} · {} pollinated", thousands(c.n), percent(s)),
                None => thousands(c.n),
            };
            Bar {
                label: truncate(&c.company, COMPANY_CHARS),
                total: c.n,
                part,
                colour: oi::SKY,
                note,
            }
        })
        .collect();
    let keys = if with_messages {
        vec![
            Key::new("All connections there", Swatch::Bar(oi::SKY)),
            Key::new("Of them pollinated", Swatch::Bar(oi::BLUE)),
        ]
    } else {
        Vec::new()
    };
    let caption = if with_messages {
        "The companies where most of your connections work, by number of connections; the \
         darker part of each bar, and the share beside it, are those ever pollinated."
    } else {
        "The companies where most of your connections work, by number of connections."
    };
    Some(planned!(
        "companies",
        format!("Top {} companies among your connections", list.len()),
        caption.into(),
        Bars {
            rows,
            part_colour: oi::BLUE,
            keys,
            x_desc: "Connections",
            y_desc: "",
        }
    ))
}

// ---------------------------------------------------------------------------------------------
// Stacked shares: cohorts.

/// 100% bars per connection year, pollinated states at the bottom.
struct Stacked {
    cohorts: Vec<Cohort>,
}

/// Stacking order, bottom up: the pollinated states first, so their share reads off the axis.
const STACK: [State; 4] = [State::Active, State::Faded, State::OneWay, State::Dormant];

impl Draw for Stacked {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, title: &str) -> Drawn<DB> {
        let keys: Vec<Key> = State::ALL
            .iter()
            .map(|&s| Key::new(state_label(s), Swatch::Bar(state_colour(s))))
            .collect();
        let body = frame(root, title, &keys)?;
        let k = self.cohorts.len();
        let years: Vec<String> = self.cohorts.iter().map(|c| c.year.to_string()).collect();
        let every = k.div_ceil(14);
        let x = category_axis(
            "Year connected (n = connections made that year)",
            years,
            every,
        );
        let mut y = share_axis("Share of that year's connections", 1.0);
        y.range = 0.0..1.1;
        let mut chart = plane(&body, &x, &y)?;
        let slot = chart.plotting_area().dim_in_pixel().0 as f64 / k as f64;
        // Bars at most 110 px wide, however few the years.
        let half = (55.0 / slot).min(0.36);
        for (i, c) in self.cohorts.iter().enumerate() {
            let at = i as f64;
            let mut low = 0.0;
            for s in STACK {
                let count = c.states[State::ALL.iter().position(|&x| x == s).unwrap_or(0)];
                let share = count as f64 / c.n.max(1) as f64;
                if count == 0 {
                    continue;
                }
                let high = low + share;
                let rect = [(at - half, low), (at + half, high)];
                chart.draw_series([Rectangle::new(rect, state_colour(s).filled())])?;
                chart.draw_series([Rectangle::new(rect, OUTLINE.stroke_width(1))])?;
                let label = percent_label(share);
                if share >= 0.08 && slot * 2.0 * half >= (width(&label, LABEL) + 6) as f64 {
                    let style = anchored(text(LABEL), HPos::Center, VPos::Center)
                        .color(text_on(state_colour(s)));
                    chart.draw_series([Text::new(label, (at, (low + high) / 2.0), style)])?;
                }
                low = high;
            }
            let n = [format!("n={}", thousands(c.n)), thousands(c.n)]
                .into_iter()
                .find(|s| (width(s, LABEL) + 4) as f64 <= slot);
            if let Some(n) = n {
                let style = anchored(text(LABEL), HPos::Center, VPos::Bottom);
                chart.draw_series([EmptyElement::at((at, 1.0)) + Text::new(n, (0, -6), style)])?;
            }
        }
        Ok(())
    }
}

fn cohorts(a: &Analysis) -> Option<Planned<Stacked>> {
    let cohorts = a.insights.cohorts.clone()?;
    if cohorts.is_empty() {
        return None;
    }
    Some(planned!(
        "cohorts",
        "Connections by year connected, and what became of them".into(),
        "Each bar is the connections made in one year, split by their state today; the \
         pollinated states (active, faded) sit at the bottom, and n above a bar is the \
         number of connections made that year."
            .into(),
        Stacked { cohorts }
    ))
}

// ---------------------------------------------------------------------------------------------
// Lines: survival, timeline, Lorenz curve, messages.

/// One line series.
struct Line {
    label: String,
    pen: Pen,
    points: Vec<(f64, f64)>,
    /// Shade the area under the line.
    fill: bool,
}

/// Lines over shared axes, with notes in the upper left of the plot.
struct Lines {
    x: Axis,
    y: Axis,
    lines: Vec<Line>,
    notes: Vec<String>,
    /// Mark each point (short series).
    markers: bool,
}

impl Draw for Lines {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, title: &str) -> Drawn<DB> {
        let keys: Vec<Key> = self
            .lines
            .iter()
            .map(|l| Key::new(l.label.clone(), Swatch::Line(l.pen)))
            .collect();
        let body = frame(root, title, &keys)?;
        let mut chart = plane(&body, &self.x, &self.y)?;
        for line in self.lines.iter().filter(|l| l.fill) {
            let shade = line.pen.colour.mix(0.15).filled();
            chart.draw_series(AreaSeries::new(line.points.clone(), 0.0, shade))?;
        }
        for line in &self.lines {
            let style = line.pen.style();
            match line.pen.dash {
                None => chart.draw_series(LineSeries::new(line.points.clone(), style))?,
                Some((on, off)) => {
                    chart.draw_series(DashedLineSeries::new(line.points.clone(), on, off, style))?
                }
            };
            if self.markers {
                let colour = line.pen.colour;
                chart.draw_series(
                    line.points
                        .iter()
                        .map(|&p| Circle::new(p, 4, colour.filled())),
                )?;
            }
        }
        let notes = chart.plotting_area().strip_coord_spec();
        for (i, note) in self.notes.iter().enumerate() {
            let style = anchored(text(LABEL), HPos::Left, VPos::Top);
            notes.draw(&Text::new(note.clone(), (14, 12 + 24 * i as i32), style))?;
        }
        Ok(())
    }
}

/// Pens for up to six cohort lines: colours and dashes both differ.
const COHORT_PENS: [Pen; 6] = [
    Pen::dashed(oi::ORANGE, 2, (14, 6)),
    Pen::dashed(oi::SKY, 2, (6, 4)),
    Pen::dashed(oi::GREEN, 2, (2, 4)),
    Pen::dashed(oi::VERMILLION, 2, (20, 5)),
    Pen::dashed(oi::PURPLE, 2, (10, 3)),
    Pen::solid(oi::BLUE, 2),
];

/// The longest time shown on the survival chart: two years.
const SURVIVAL_DAYS: i64 = 730;

/// `1 − S(t)` as a step curve from day 0 to the group's largest time (at most `cap`).
fn steps(km: &Survival, cap: i64) -> Vec<(f64, f64)> {
    let end = km.max_time.unwrap_or(0).min(cap);
    let mut points = vec![(0.0, 0.0)];
    let mut share = 0.0;
    for &(t, s) in km.curve.iter().take_while(|&&(t, _)| t <= end) {
        points.push((t as f64, share));
        share = 1.0 - s;
        points.push((t as f64, share));
    }
    points.push((end as f64, share));
    points
}

fn survival(a: &Analysis) -> Option<Planned<Lines>> {
    let (all, by_year) = a.insights.survival.as_ref()?;
    let max = all.km.max_time?;
    let cap = max.clamp(1, SURVIVAL_DAYS);
    let sizes: BTreeMap<i64, u64> = a
        .insights
        .cohorts
        .iter()
        .flatten()
        .map(|c| (c.year, c.n))
        .collect();
    let mut recent: Vec<_> = by_year
        .iter()
        .rev()
        .filter_map(|(year, t)| Some((*year, sizes.get(year).copied()?, t)))
        .filter(|&(_, n, _)| n >= 10)
        .take(COHORT_PENS.len())
        .collect();
    recent.reverse();
    let mut lines = vec![Line {
        label: "All connections".into(),
        pen: Pen::solid(oi::BLACK, 3),
        points: steps(&all.km, cap),
        fill: false,
    }];
    for ((year, n, t), pen) in recent.into_iter().zip(COHORT_PENS) {
        lines.push(Line {
            label: format!("{year} (n={})", thousands(n)),
            pen,
            points: steps(&t.km, cap),
            fill: false,
        });
    }
    let top = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let x_ticks = ticks(cap as f64, 7, 1.0);
    let x = Axis {
        desc: "Days since connecting".into(),
        range: 0.0..cap as f64,
        ticks: x_ticks.into_iter().filter(|&t| t <= cap as f64).collect(),
        label: Box::new(count_label),
        grid: true,
    };
    let mut y = share_axis("Share pollinated (Kaplan–Meier)", (top + 0.05).max(0.2));
    // A band above the top grid line for the note, clear of the curves.
    y.range.end *= 1.14;
    let notes = match all.km.median() {
        Some(d) => vec![format!(
            "Half of all connections pollinated by day {}",
            thousands(d as u64)
        )],
        None => vec!["Fewer than half of all connections were ever pollinated".to_string()],
    };
    let stop = if max > cap {
        format!(", and the chart stops at {cap} days")
    } else {
        String::new()
    };
    let caption = format!(
        "The share of connections pollinated (a first exchange of messages) by each day after \
         connecting, estimated with Kaplan–Meier so that recent connections count only for the \
         days they have had; each cohort line ends at its longest observed time{stop}."
    );
    Some(planned!(
        "survival",
        "How soon connections are pollinated".into(),
        caption,
        Lines {
            x,
            y,
            lines,
            notes,
            markers: false,
        }
    ))
}

fn timeline(a: &Analysis) -> Option<Planned<Lines>> {
    let months = &a.insights.timeline;
    if months.is_empty() {
        return None;
    }
    let labels: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
    let series = |f: &dyn Fn(&crate::metrics::timeline::Month) -> f64| -> Vec<(f64, f64)> {
        months
            .iter()
            .enumerate()
            .map(|(i, m)| (i as f64, f(m)))
            .collect()
    };
    let max = months.iter().map(|m| m.connections).max().unwrap_or(0) as f64;
    let mut lines = vec![Line {
        label: "Connections".into(),
        pen: Pen::solid(oi::BLUE, 3),
        points: series(&|m| m.connections as f64),
        fill: false,
    }];
    let with_messages = months.iter().all(|m| m.pollinated.is_some());
    if with_messages {
        lines.push(Line {
            label: "Of them pollinated".into(),
            pen: Pen::dashed(oi::ORANGE, 3, (12, 6)),
            points: series(&|m| m.pollinated.unwrap_or(0) as f64),
            fill: false,
        });
    }
    let (title, caption) = if with_messages {
        (
            "Connections and pollinated connections over time",
            "At the end of each month: how many connections you had, and how many of them had \
             been pollinated (had an exchange of messages) by then.",
        )
    } else {
        (
            "Connections over time",
            "At the end of each month: how many connections you had (without a messages file, \
             pollination cannot be shown).",
        )
    };
    Some(planned!(
        "timeline",
        title.into(),
        caption.into(),
        Lines {
            x: month_axis(&labels),
            y: count_axis("Connections at month end", max),
            markers: months.len() <= 24,
            lines,
            notes: Vec::new(),
        }
    ))
}

fn lorenz(a: &Analysis) -> Option<Planned<Lines>> {
    let c = a.insights.concentration.as_ref()?;
    if c.lorenz.len() < 2 {
        return None;
    }
    let lines = vec![
        Line {
            label: "Your connections (Lorenz curve)".into(),
            pen: Pen::solid(oi::BLUE, 3),
            points: c.lorenz.clone(),
            fill: true,
        },
        Line {
            label: "Everyone equal".into(),
            pen: Pen::dashed(oi::BLACK, 2, (8, 6)),
            points: vec![(0.0, 0.0), (1.0, 1.0)],
            fill: false,
        },
    ];
    let notes = vec![
        format!(
            "Top 1% of connections: {} of messages",
            percent(c.top1_share)
        ),
        format!(
            "Top 10% of connections: {} of messages",
            percent(c.top10_share)
        ),
    ];
    Some(planned!(
        "lorenz",
        format!("How concentrated your messages are (Gini {:.2})", c.gini),
        "Connections sorted from fewest to most messages: the curve shows what share of all \
         messages the first x% of them hold; the further it sags below the diagonal, the more \
         your messages go to a few connections (Gini 0 = equal, 1 = all to one)."
            .into(),
        Lines {
            x: share_axis("Connections, fewest messages first (cumulative)", 1.0),
            y: share_axis("Messages (cumulative)", 1.0),
            lines,
            notes,
            markers: false,
        }
    ))
}

fn messages(a: &Analysis) -> Option<Planned<Mirrored>> {
    let months = &a.insights.timeline;
    if !a.id.has_messages || months.is_empty() {
        return None;
    }
    Some(planned!(
        "messages",
        "Messages sent and received per month".into(),
        "Messages you sent (above the line) and received (below it) per calendar month, with \
         the people in your network (a message to several people counts once per recipient)."
            .into(),
        Mirrored {
            months: months.iter().map(|m| m.month.clone()).collect(),
            up: months.iter().map(|m| m.sent.unwrap_or(0)).collect(),
            down: months.iter().map(|m| m.received.unwrap_or(0)).collect(),
        }
    ))
}

// ---------------------------------------------------------------------------------------------
// Mirrored bars: messages per month.

/// Monthly bars, one series above the zero line and one below, on a symmetric axis.
struct Mirrored {
    months: Vec<String>,
    up: Vec<u64>,
    down: Vec<u64>,
}

const MIRRORED: [(RGBColor, &str); 2] = [
    (oi::BLUE, "Sent by you (above the line)"),
    (oi::ORANGE, "Received (below the line)"),
];

impl Draw for Mirrored {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, title: &str) -> Drawn<DB> {
        let keys: Vec<Key> = MIRRORED
            .iter()
            .map(|&(c, label)| Key::new(label, Swatch::Bar(c)))
            .collect();
        let body = frame(root, title, &keys)?;
        let n = self.months.len();
        let mut x = month_axis(&self.months);
        x.range = -0.5..n as f64 - 0.5;
        let max = self.up.iter().chain(&self.down).copied().max().unwrap_or(0) as f64;
        let half = ticks(max, 4, 1.0);
        let end = half.last().copied().unwrap_or(1.0);
        let y = Axis {
            desc: "Messages per month".into(),
            range: -end * 1.04..end * 1.04,
            ticks: half
                .iter()
                .rev()
                .map(|t| -t)
                .chain(half.iter().skip(1).copied())
                .collect(),
            label: Box::new(|v| count_label(v.abs())),
            grid: true,
        };
        let mut chart = plane(&body, &x, &y)?;
        let slot = chart.plotting_area().dim_in_pixel().0 as f64 / n as f64;
        let w = if slot >= 6.0 { 0.4 } else { 0.5 };
        for (sign, values, colour) in [
            (1.0, &self.up, MIRRORED[0].0),
            (-1.0, &self.down, MIRRORED[1].0),
        ] {
            chart.draw_series(values.iter().enumerate().filter(|(_, &v)| v > 0).map(
                |(i, &v)| {
                    let at = i as f64;
                    Rectangle::new([(at - w, 0.0), (at + w, sign * v as f64)], colour.filled())
                },
            ))?;
        }
        let zero = vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)];
        chart.draw_series([PathElement::new(zero, INK.stroke_width(1))])?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Whiskers: the invite effect.

/// Rates with 95% intervals, personal note vs none, per invitation direction.
struct Whiskers {
    groups: Vec<(String, [Option<Proportion>; 2])>,
}

const NOTE_MARKS: [(RGBColor, Shape, &str); 2] = [
    (oi::BLUE, Shape::Circle, "With a personal note"),
    (
        oi::VERMILLION,
        Shape::Triangle,
        "Without (LinkedIn's default text)",
    ),
];

impl Draw for Whiskers {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, title: &str) -> Drawn<DB> {
        let keys: Vec<Key> = NOTE_MARKS
            .iter()
            .map(|&(c, s, label)| Key::new(label, Swatch::Whisker(c, s)))
            .collect();
        let body = frame(root, title, &keys)?;
        let top = self
            .groups
            .iter()
            .flat_map(|(_, p)| p.iter().flatten().map(|p| p.high))
            .fold(0.0, f64::max);
        let labels = self.groups.iter().map(|(l, _)| l.clone()).collect();
        let x = category_axis("Accepted invitations", labels, 1);
        let y = share_axis("Share pollinated (95% interval)", top + 0.05);
        let mut chart = plane(&body, &x, &y)?;
        for (i, (_, pair)) in self.groups.iter().enumerate() {
            for (j, p) in pair.iter().enumerate() {
                let Some(p) = p.filter(|p| p.n > 0) else {
                    continue;
                };
                let (colour, shape, _) = NOTE_MARKS[j];
                let at = i as f64 + if j == 0 { -0.12 } else { 0.12 };
                let pen = colour.stroke_width(2);
                chart.draw_series([PathElement::new(vec![(at, p.low), (at, p.high)], pen)])?;
                for end in [p.low, p.high] {
                    chart
                        .draw_series([EmptyElement::at((at, end))
                            + PathElement::new(vec![(-8, 0), (8, 0)], pen)])?;
                }
                draw_marker(chart.plotting_area(), (at, p.rate), colour, shape)?;
                let (h, dx) = if j == 0 {
                    (HPos::Right, -14)
                } else {
                    (HPos::Left, 14)
                };
                // A label at the very bottom would sit on the axis: lift it above the point.
                let (v, dy) = if p.rate < 0.06 * y.range.end {
                    (VPos::Bottom, -6)
                } else {
                    (VPos::Center, 0)
                };
                let style = anchored(text(LABEL), h, v);
                let label = format!("{} of {}", percent_label(p.rate), thousands(p.n));
                chart.draw_series([
                    EmptyElement::at((at, p.rate)) + Text::new(label, (dx, dy), style)
                ])?;
            }
        }
        Ok(())
    }
}

fn invites(a: &Analysis) -> Option<Planned<Whiskers>> {
    let effect = a.insights.invitations.as_ref()?.effect.as_ref()?;
    let names = ["Sent by you", "Received by you", "All"];
    let groups: Vec<(String, [Option<Proportion>; 2])> = names
        .iter()
        .zip(effect)
        .map(|(name, e)| {
            let keep = |p: Option<Proportion>| p.filter(|p| p.n > 0);
            (name.to_string(), [keep(e.personalised), keep(e.generic)])
        })
        .filter(|(_, p)| p.iter().any(Option::is_some))
        .collect();
    if groups.is_empty() {
        return None;
    }
    Some(planned!(
        "invites",
        "Does a personal note pay off?".into(),
        "For accepted invitations, the share of connections later pollinated (an exchange of \
         messages), with a personal note and with LinkedIn's default text; each point is \
         labelled with its rate and number of invitations, and the whiskers are 95% Wilson \
         intervals."
            .into(),
        Whiskers { groups }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse, Options};
    use std::path::Path;

    fn sample() -> Analysis {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample-export");
        analyse(&dir, &Options::default()).expect("the sample export analyses")
    }

    /// Writes the charts to the folder named by `ORCHARD_CHARTS_OUT`, when set, to look at them.
    fn save(prefix: &str, charts: &[Chart]) {
        let Some(dir) = std::env::var_os("ORCHARD_CHARTS_OUT") else {
            return;
        };
        std::fs::create_dir_all(&dir).unwrap();
        for c in charts {
            let base = Path::new(&dir).join(format!("{prefix}{}", c.name));
            std::fs::write(base.with_extension("png"), &c.png).unwrap();
            std::fs::write(base.with_extension("svg"), &c.svg).unwrap();
        }
    }

    /// Checks both forms of a chart; returns the parsed SVG's text content.
    fn check(chart: &Chart) -> String {
        let doc = roxmltree::Document::parse(&chart.svg)
            .unwrap_or_else(|e| panic!("{}.svg is not XML: {e}", chart.name));
        let svg = doc.root_element();
        assert_eq!(svg.tag_name().name(), "svg", "{}", chart.name);
        assert_eq!(svg.attribute("width"), Some("960"), "{}", chart.name);
        assert_eq!(svg.attribute("height"), Some("540"), "{}", chart.name);
        let texts: Vec<&str> = svg
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        assert!(
            texts.contains(&chart.title.as_str()),
            "{}: title missing",
            chart.name
        );
        assert!(chart.svg.contains("DejaVu Sans"), "{}", chart.name);

        let decoder = png::Decoder::new(std::io::Cursor::new(&chart.png));
        let reader = decoder.read_info().expect("a PNG");
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
        assert!(!chart.caption.is_empty() && chart.caption.ends_with('.'));
        texts.join("\n")
    }

    #[test]
    fn every_chart_renders_from_the_sample_export() {
        let a = sample();
        let charts = charts(&a).unwrap();
        let names: Vec<_> = charts.iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "states",
                "cohorts",
                "survival",
                "timeline",
                "invites",
                "lorenz",
                "companies",
                "messages"
            ]
        );
        save("", &charts);
        for c in &charts {
            let texts = check(c);
            match c.name {
                "states" => {
                    for s in ["dormant", "one-way", "active", "faded"] {
                        assert!(texts.contains(s), "states lacks {s}");
                    }
                }
                "survival" => {
                    let doc = roxmltree::Document::parse(&c.svg).unwrap();
                    let lines = doc
                        .descendants()
                        .filter(|n| n.has_tag_name("polyline") || n.has_tag_name("path"))
                        .count();
                    assert!(lines > 0, "survival has no curve");
                    assert!(texts.contains("All connections"));
                    assert!(texts.contains("Days since connecting"));
                }
                "lorenz" => assert!(texts.contains("Gini")),
                "companies" => {
                    assert!(texts.contains("pollinated"));
                    assert!(texts.lines().all(|l| l.chars().count() <= 60));
                }
                "timeline" | "messages" => assert!(texts.contains("Month")),
                _ => {}
            }
        }
    }

    #[test]
    fn without_messages_only_connection_charts_remain() {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample-export");
        std::fs::copy(
            src.join("Connections.csv"),
            dir.path().join("Connections.csv"),
        )
        .unwrap();
        let a = analyse(dir.path(), &Options::default()).unwrap();
        assert!(!a.id.has_messages);
        let charts = charts(&a).unwrap();
        save("no-messages-", &charts);
        let names: Vec<_> = charts.iter().map(|c| c.name).collect();
        assert_eq!(names, ["timeline", "companies"]);
        for c in &charts {
            let texts = check(c);
            assert!(
                !texts.contains("pollinated"),
                "{} mentions pollination",
                c.name
            );
        }
    }

    #[test]
    fn small_exports_render_too() {
        for fixture in ["network", "states"] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture);
            let a = analyse(&dir, &Options::default()).unwrap();
            let charts = charts(&a).unwrap();
            save(&format!("{fixture}-"), &charts);
            assert!(charts.len() >= 5, "{fixture}: {}", charts.len());
            charts.iter().for_each(|c| {
                check(c);
            });
        }
    }

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(1234.0, 5, 1.0), [0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(ticks(3.0, 5, 1.0), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.0, 5, 1.0), [0.0, 1.0]);
        let shares = ticks(1.0, 5, 0.05);
        assert_eq!(shares.len(), 6);
        assert!((shares[5] - 1.0).abs() < 1e-9);
    }

    #[test]
    fn month_ticks_follow_the_calendar() {
        let months: Vec<String> = (0..40)
            .map(|i| format!("{}-{:02}", 2020 + (i + 4) / 12, (i + 4) % 12 + 1))
            .collect();
        let axis = month_axis(&months);
        let labels: Vec<String> = axis.ticks.iter().map(|&t| (axis.label)(t)).collect();
        assert_eq!(
            labels,
            ["Jul 2020", "Jan 2021", "Jul 2021", "Jan 2022", "Jul 2022", "Jan 2023", "Jul 2023"]
        );
        let short = month_axis(&["2024-03".to_string()]);
        assert_eq!((short.label)(0.0), "Mar 2024");
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(truncate("Acme", 30), "Acme");
        let cut = truncate("The Extraordinarily Long Company Name of Everything", 30);
        assert_eq!(cut.chars().count(), 30);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("Bell\u{7} & <Co>", 30), "Bell & <Co>");
    }
}
