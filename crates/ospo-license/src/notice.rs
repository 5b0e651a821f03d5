//! The third-party notices file a release ships: the components it includes grouped by the
//! licence they are used under (the chosen side of each `OR`), each group with its components
//! (name, version, purl, the copyright lines found in their files), the NOTICE files they carry
//! (Apache-2.0 §4(d)) and the full licence text once; components whose licence is not known are
//! listed first, loudly. Text, Markdown and self-contained, escaped HTML; deterministic (no
//! dates), so it can be checked in and compared.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ospo_model::{Relationship, Scope};

use crate::expr::Expr;
use crate::report::{ComponentLicense, LicenseReport};

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

/// What goes in.
#[derive(Clone, Debug)]
pub struct NoticeOptions {
    /// What the notices are for (the product's name).
    pub title: String,
    /// The tool line (`ospo 0.1.0`).
    pub generator: String,
    /// Also list development dependencies (which a release does not normally ship).
    pub include_dev: bool,
}

/// The embedded SPDX text of a list licence.
pub fn license_text(id: &str) -> Option<&'static str> {
    let l = crate::expr::list_entry(id)?;
    spdx::text::LICENSE_TEXTS
        .get(l.index)
        .filter(|(name, _)| *name == id)
        .map(|(_, text)| *text)
        .or_else(|| {
            spdx::text::LICENSE_TEXTS
                .iter()
                .find(|(name, _)| *name == id)
                .map(|(_, text)| *text)
        })
}

/// The embedded SPDX text of an exception.
pub fn exception_text(id: &str) -> Option<&'static str> {
    spdx::text::EXCEPTION_TEXTS
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(_, text)| *text)
}

/// One component in the notices.
#[derive(Clone, Debug)]
struct Entry {
    name: String,
    version: Option<String>,
    purl: String,
    concluded: String,
    copyrights: Vec<String>,
    /// (file name, text) of NOTICE files.
    notices: Vec<(String, String)>,
    /// (file name, text) of its licence files: printed for licences SPDX has no text for.
    licence_files: Vec<(String, String)>,
}

/// A licence and the components used under it.
#[derive(Clone, Debug)]
struct Group {
    /// The licence expression, or `None` for the components without a known licence.
    licence: Option<Expr>,
    entries: Vec<Entry>,
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

fn entry(c: &ComponentLicense) -> Entry {
    let mut notices = Vec::new();
    let mut licence_files = Vec::new();
    for f in &c.files {
        let name = file_name(&f.path);
        if name.to_ascii_uppercase().starts_with("NOTICE") {
            notices.push((name, f.text.clone()));
        } else {
            licence_files.push((name, f.text.clone()));
        }
    }
    Entry {
        name: c.name.clone(),
        version: c.version.clone(),
        purl: c.purl.clone(),
        concluded: c.concluded.clone(),
        copyrights: c.copyrights.clone(),
        notices,
        licence_files,
    }
}

/// The groups, sorted: unknown first, then by licence.
fn groups(report: &LicenseReport, opts: &NoticeOptions) -> Vec<Group> {
    // One entry per purl across projects; the first seen with a licence wins.
    let mut by_purl: BTreeMap<String, (Option<Expr>, Entry)> = BTreeMap::new();
    for c in report.components() {
        if c.relationship == Relationship::Root || (c.scope == Scope::Dev && !opts.include_dev) {
            continue;
        }
        let licence = c.chosen_expr.clone().or_else(|| c.expr.clone());
        match by_purl.get_mut(&c.purl) {
            Some((l, e)) => {
                if l.is_none() && licence.is_some() {
                    *l = licence;
                    *e = entry(c);
                } else {
                    for cr in &c.copyrights {
                        if !e.copyrights.contains(cr) {
                            e.copyrights.push(cr.clone());
                        }
                    }
                }
            }
            None => {
                by_purl.insert(c.purl.clone(), (licence, entry(c)));
            }
        }
    }
    let mut groups: BTreeMap<(bool, String), Group> = BTreeMap::new();
    for (_, (licence, e)) in by_purl {
        let key = (
            licence.is_some(),
            licence
                .as_ref()
                .map_or_else(String::new, |l| l.to_string().to_lowercase()),
        );
        groups
            .entry(key)
            .or_insert_with(|| Group {
                licence,
                entries: Vec::new(),
            })
            .entries
            .push(e);
    }
    let mut out: Vec<Group> = groups.into_values().collect();
    for g in &mut out {
        g.entries.sort_by(|a, b| {
            (a.name.to_lowercase(), &a.version, &a.purl).cmp(&(
                b.name.to_lowercase(),
                &b.version,
                &b.purl,
            ))
        });
    }
    out
}

/// The texts of a group's licence: (heading, text) per list licence and exception; licences
/// SPDX has no text for are printed from each component's own files.
/// Texts already printed in an earlier group are left out and named in the third list.
fn texts(
    g: &Group,
    seen: &mut std::collections::BTreeSet<String>,
) -> (Vec<(String, &'static str)>, Vec<String>, Vec<String>) {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let mut earlier = Vec::new();
    if let Some(l) = &g.licence {
        for t in l.terms() {
            match license_text(&t.id) {
                Some(text) if !out.iter().any(|(h, _)| *h == t.id) => {
                    out.push((t.id.clone(), text))
                }
                Some(_) => {}
                None => missing.push(t.id.clone()),
            }
            // LGPL-3.0 is a set of additional permissions on top of GPL-3.0; §4(b) asks for
            // both texts.
            if t.id.starts_with("LGPL-3.0")
                && let Some(text) = license_text("GPL-3.0-only")
                && !out.iter().any(|(h, _)| h.starts_with("GPL-3.0-only"))
            {
                out.push((
                    "GPL-3.0-only (which LGPL-3.0 §4(b) asks to ship too)".to_owned(),
                    text,
                ));
            }
            if let Some(e) = &t.exception
                && let Some(text) = exception_text(e)
                && !out.iter().any(|(h, _)| h == e)
            {
                out.push((e.clone(), text));
            }
        }
    }
    out.retain(|(heading, _)| {
        let id = heading.split(' ').next().unwrap_or_default().to_owned();
        if seen.insert(id.clone()) {
            true
        } else {
            if !earlier.contains(&id) {
                earlier.push(id);
            }
            false
        }
    });
    (out, missing, earlier)
}

fn label(e: &Entry) -> String {
    match &e.version {
        Some(v) => format!("{} {v}", e.name),
        None => e.name.clone(),
    }
}

/// Renders the notices file.
pub fn render(report: &LicenseReport, format: Format, opts: &NoticeOptions) -> String {
    let groups = groups(report, opts);
    match format {
        Format::Text => text(&groups, opts, report),
        Format::Markdown => markdown(&groups, opts, report),
        Format::Html => html(&groups, opts, report),
    }
}

fn licence_name(g: &Group) -> String {
    g.licence
        .as_ref()
        .map_or_else(|| "Unknown licence".to_owned(), ToString::to_string)
}

fn count(groups: &[Group]) -> usize {
    groups.iter().map(|g| g.entries.len()).sum()
}

fn unknown(groups: &[Group]) -> usize {
    groups
        .iter()
        .filter(|g| g.licence.is_none())
        .map(|g| g.entries.len())
        .sum()
}

const RULE: &str =
    "================================================================================";
const THIN: &str =
    "--------------------------------------------------------------------------------";

fn text(groups: &[Group], opts: &NoticeOptions, report: &LicenseReport) -> String {
    let mut s = String::new();
    let mut seen = std::collections::BTreeSet::new();
    let _ = writeln!(s, "THIRD-PARTY SOFTWARE NOTICES: {}\n{RULE}\n", opts.title);
    let _ = writeln!(
        s,
        "{} includes the {} third-party components listed below, grouped by the licence they\nare used under. Generated by {} (SPDX License List {}).\n",
        opts.title,
        count(groups),
        opts.generator,
        report.spdx_list_version
    );
    let unknown = unknown(groups);
    if unknown > 0 {
        let _ = writeln!(
            s,
            "!!! WARNING: {unknown} component(s) have NO KNOWN LICENCE. Their terms could not be\n!!! checked and their notices may be missing. Review them before release.\n"
        );
    }
    let _ = writeln!(s, "Licences:");
    for g in groups {
        let _ = writeln!(
            s,
            "  - {} ({} component(s))",
            licence_name(g),
            g.entries.len()
        );
    }
    for g in groups {
        let _ = writeln!(s, "\n{RULE}\n{}\n{RULE}\n", licence_name(g));
        if g.licence.is_none() {
            let _ = writeln!(s, "!!! The licence of these components is not known.\n");
        }
        for e in &g.entries {
            let _ = writeln!(s, "* {} ({})", label(e), e.purl);
            if g.licence
                .as_ref()
                .is_some_and(|l| l.to_string() != e.concluded)
            {
                let _ = writeln!(s, "    offered under: {}", e.concluded);
            }
            for c in &e.copyrights {
                let _ = writeln!(s, "    {c}");
            }
        }
        for e in &g.entries {
            for (name, t) in &e.notices {
                let _ = writeln!(
                    s,
                    "\n{THIN}\n{name} of {}:\n{THIN}\n{}",
                    label(e),
                    t.trim_end()
                );
            }
        }
        let (texts, missing, earlier) = texts(g, &mut seen);
        for (heading, t) in texts {
            let _ = writeln!(
                s,
                "\n{THIN}\nLicence text: {heading}\n{THIN}\n\n{}",
                t.trim_end()
            );
        }
        if !earlier.is_empty() {
            let _ = writeln!(
                s,
                "\nLicence text of {}: printed above.",
                earlier.join(", ")
            );
        }
        if g.licence.is_none() || !missing.is_empty() {
            for e in &g.entries {
                for (name, t) in &e.licence_files {
                    let _ = writeln!(
                        s,
                        "\n{THIN}\n{name} of {}:\n{THIN}\n\n{}",
                        label(e),
                        t.trim_end()
                    );
                }
            }
        }
    }
    s
}

/// A code fence longer than any run of backticks in the text.
fn fence(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// Escapes Markdown inline text.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn anchor(g: &Group) -> String {
    let name = licence_name(g).to_lowercase();
    let mut out = String::from("licence-");
    for c in name.chars() {
        out.push(if c.is_ascii_alphanumeric() || c == '.' {
            c
        } else {
            '-'
        });
    }
    out
}

fn markdown(groups: &[Group], opts: &NoticeOptions, report: &LicenseReport) -> String {
    let mut s = String::new();
    let mut seen = std::collections::BTreeSet::new();
    let _ = writeln!(s, "# Third-party software notices: {}\n", md(&opts.title));
    let _ = writeln!(
        s,
        "{} includes the {} third-party components listed below, grouped by the licence they are used under. Generated by {} (SPDX License List {}).\n",
        md(&opts.title),
        count(groups),
        md(&opts.generator),
        report.spdx_list_version
    );
    let unknown = unknown(groups);
    if unknown > 0 {
        let _ = writeln!(
            s,
            "> **Warning: {unknown} component(s) have no known licence.** Their terms could not be checked and their notices may be missing. Review them before release.\n"
        );
    }
    let _ = writeln!(s, "## Licences\n");
    for g in groups {
        let _ = writeln!(
            s,
            "- [{}](#{}) ({} component(s))",
            md(&licence_name(g)),
            anchor(g),
            g.entries.len()
        );
    }
    for g in groups {
        let _ = writeln!(
            s,
            "\n<a id=\"{}\"></a>\n## {}\n",
            anchor(g),
            md(&licence_name(g))
        );
        if g.licence.is_none() {
            let _ = writeln!(s, "> **The licence of these components is not known.**\n");
        }
        for e in &g.entries {
            let _ = write!(s, "- **{}** `{}`", md(&label(e)), e.purl.replace('`', ""));
            if g.licence
                .as_ref()
                .is_some_and(|l| l.to_string() != e.concluded)
            {
                let _ = write!(s, " (offered under {})", md(&e.concluded));
            }
            let _ = writeln!(s);
            for c in &e.copyrights {
                let _ = writeln!(s, "  - {}", md(c));
            }
        }
        for e in &g.entries {
            for (name, t) in &e.notices {
                let f = fence(t);
                let _ = writeln!(
                    s,
                    "\n### {} of {}\n\n{f}text\n{}\n{f}",
                    md(name),
                    md(&label(e)),
                    t.trim_end()
                );
            }
        }
        let (texts, missing, earlier) = texts(g, &mut seen);
        if !earlier.is_empty() {
            let _ = writeln!(
                s,
                "\nLicence text of {}: printed above.",
                md(&earlier.join(", "))
            );
        }
        for (heading, t) in texts {
            let f = fence(t);
            let _ = writeln!(
                s,
                "\n### Licence text: {}\n\n{f}text\n{}\n{f}",
                md(&heading),
                t.trim_end()
            );
        }
        if g.licence.is_none() || !missing.is_empty() {
            for e in &g.entries {
                for (name, t) in &e.licence_files {
                    let f = fence(t);
                    let _ = writeln!(
                        s,
                        "\n### {} of {}\n\n{f}text\n{}\n{f}",
                        md(name),
                        md(&label(e)),
                        t.trim_end()
                    );
                }
            }
        }
    }
    s
}

/// Escapes HTML text and attribute values.
pub use ospo_model::html::escape;

fn html(groups: &[Group], opts: &NoticeOptions, report: &LicenseReport) -> String {
    let mut s = String::new();
    let mut seen = std::collections::BTreeSet::new();
    let title = escape(&opts.title);
    let _ = writeln!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Third-party software notices: {title}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}}\npre{{white-space:pre-wrap;background:#f6f6f6;padding:1rem;border:1px solid #ddd;font-size:.85rem}}\n.warning{{border:3px solid #b00;padding:1rem;font-weight:bold}}\ncode{{font-size:.9rem}}\n</style>\n</head>\n<body>\n<h1>Third-party software notices: {title}</h1>"
    );
    let _ = writeln!(
        s,
        "<p>{title} includes the {} third-party components listed below, grouped by the licence they are used under. Generated by {} (SPDX License List {}).</p>",
        count(groups),
        escape(&opts.generator),
        escape(report.spdx_list_version)
    );
    let unknown = unknown(groups);
    if unknown > 0 {
        let _ = writeln!(
            s,
            "<p class=\"warning\">Warning: {unknown} component(s) have no known licence. Their terms could not be checked and their notices may be missing. Review them before release.</p>"
        );
    }
    let _ = writeln!(s, "<h2>Licences</h2>\n<ul>");
    for g in groups {
        let _ = writeln!(
            s,
            "<li><a href=\"#{}\">{}</a> ({} component(s))</li>",
            escape(&anchor(g)),
            escape(&licence_name(g)),
            g.entries.len()
        );
    }
    let _ = writeln!(s, "</ul>");
    for g in groups {
        let _ = writeln!(
            s,
            "<section id=\"{}\">\n<h2>{}</h2>",
            escape(&anchor(g)),
            escape(&licence_name(g))
        );
        if g.licence.is_none() {
            let _ = writeln!(
                s,
                "<p class=\"warning\">The licence of these components is not known.</p>"
            );
        }
        let _ = writeln!(s, "<ul>");
        for e in &g.entries {
            let _ = write!(
                s,
                "<li><strong>{}</strong> <code>{}</code>",
                escape(&label(e)),
                escape(&e.purl)
            );
            if g.licence
                .as_ref()
                .is_some_and(|l| l.to_string() != e.concluded)
            {
                let _ = write!(s, " (offered under {})", escape(&e.concluded));
            }
            if !e.copyrights.is_empty() {
                let _ = write!(s, "<ul>");
                for c in &e.copyrights {
                    let _ = write!(s, "<li>{}</li>", escape(c));
                }
                let _ = write!(s, "</ul>");
            }
            let _ = writeln!(s, "</li>");
        }
        let _ = writeln!(s, "</ul>");
        for e in &g.entries {
            for (name, t) in &e.notices {
                let _ = writeln!(
                    s,
                    "<h3>{} of {}</h3>\n<pre>{}</pre>",
                    escape(name),
                    escape(&label(e)),
                    escape(t.trim_end())
                );
            }
        }
        let (texts, missing, earlier) = texts(g, &mut seen);
        for (heading, t) in texts {
            let _ = writeln!(
                s,
                "<h3>Licence text: {}</h3>\n<pre>{}</pre>",
                escape(&heading),
                escape(t.trim_end())
            );
        }
        if !earlier.is_empty() {
            let _ = writeln!(
                s,
                "<p>Licence text of {}: printed above.</p>",
                escape(&earlier.join(", "))
            );
        }
        if g.licence.is_none() || !missing.is_empty() {
            for e in &g.entries {
                for (name, t) in &e.licence_files {
                    let _ = writeln!(
                        s,
                        "<h3>{} of {}</h3>\n<pre>{}</pre>",
                        escape(name),
                        escape(&label(e)),
                        escape(t.trim_end())
                    );
                }
            }
        }
        let _ = writeln!(s, "</section>");
    }
    let _ = writeln!(s, "</body>\n</html>");
    s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn texts_are_embedded() {
        assert!(
            license_text("MIT")
                .unwrap()
                .contains("Permission is hereby granted")
        );
        assert!(
            license_text("Apache-2.0")
                .unwrap()
                .contains("TERMS AND CONDITIONS")
        );
        assert!(
            license_text("GPL-2.0-or-later")
                .unwrap()
                .contains("GNU GENERAL PUBLIC LICENSE")
        );
        assert!(license_text("LicenseRef-x").is_none());
        assert!(exception_text("LLVM-exception").unwrap().contains("LLVM"));
        // Every list id has its text.
        for l in crate::classes::all() {
            assert!(
                license_text(&l.id).is_some_and(|t| !t.is_empty()),
                "{}",
                l.id
            );
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(fence("a ``` b"), "````");
        assert_eq!(fence("plain"), "```");
        assert_eq!(md("a_b*c"), "a\\_b\\*c");
    }
}
