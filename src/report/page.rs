//! `index.html` and `report.md`: the findings rendered through minijinja templates. HTML is
//! auto-escaped; charts are inlined as SVG; the page carries a Content-Security-Policy that
//! forbids scripts and every external request.

use std::collections::BTreeMap;

use minijinja::{context, Environment, Value};

use super::charts::Chart;
use super::{Exporter, OutputError, Report};

/// The `index.html` exporter.
pub struct IndexHtml;

/// The `report.md` exporter.
pub struct ReportMd;

/// Escapes what Markdown would read as markup in table cells and running text.
fn md_escape(text: String) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Every page template, with the filters they use.
pub(super) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_filter("md", md_escape);
    for (name, source) in [
        ("style.css", include_str!("templates/style.css")),
        ("head.html", include_str!("templates/head.html")),
        ("index.html", include_str!("templates/index.html")),
        ("report.md", include_str!("templates/report.md")),
        ("compare.html", include_str!("templates/compare.html")),
        ("compare.md", include_str!("templates/compare.md")),
        ("history.html", include_str!("templates/history.html")),
        ("history.md", include_str!("templates/history.md")),
    ] {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("the template {name} parses: {e}"));
    }
    env
}

/// An SVG made fit to inline in HTML: no XML declaration, and no namespace attributes (HTML
/// needs none, and their `http://` URIs must not appear in a page that promises no external
/// references).
pub fn inline_svg(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let mut s = svg[start..].to_string();
    for attr in [
        " xmlns=\"http://www.w3.org/2000/svg\"",
        " xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
    ] {
        s = s.replace(attr, "");
    }
    s
}

/// The charts as a template sees them, by name: the inline SVG for HTML, or `true` for
/// Markdown (which links `charts/<name>.svg`).
pub(super) fn chart_values(charts: &[Chart], inline: bool) -> BTreeMap<&'static str, Value> {
    charts
        .iter()
        .map(|c| {
            let v = if inline {
                Value::from_safe_string(inline_svg(&c.svg))
            } else {
                Value::from(true)
            };
            (c.name, v)
        })
        .collect()
}

fn render(template: &str, report: &Report, inline: bool) -> Result<Vec<u8>, OutputError> {
    let f = report.findings();
    let chart_values = chart_values(report.charts, inline);
    let env = environment();
    let out = env
        .get_template(template)
        .and_then(|t| t.render(context! { f => f, charts => chart_values }))
        .map_err(|e| OutputError::Render {
            file: if inline { "index.html" } else { "report.md" },
            why: e.to_string(),
        })?;
    Ok(out.into_bytes())
}

impl Exporter for IndexHtml {
    fn file_name(&self) -> &'static str {
        "index.html"
    }
    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError> {
        render("index.html", report, true)
    }
}

impl Exporter for ReportMd {
    fn file_name(&self) -> &'static str {
        "report.md"
    }
    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError> {
        render("report.md", report, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_markup_is_escaped() {
        assert_eq!(
            md_escape("a|b *c* [d](e)\nf".into()),
            "a\\|b \\*c\\* \\[d\\](e) f"
        );
    }

    #[test]
    fn inline_svg_drops_the_declaration_and_namespaces() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"><text>x</text></svg>";
        assert_eq!(inline_svg(svg), "<svg width=\"10\"><text>x</text></svg>");
    }
}
