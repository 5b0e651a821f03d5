//! The assessment as terminal text, JSON (`ospo-assessment/1`), Markdown, and an HTML section
//! (inline SVG charts, no script, no network, every text escaped) that a report embeds or
//! [`html_page`] wraps into a page of its own. Meaning is never carried by colour alone: every
//! status is a word.

use std::fmt::Write as _;

use crate::assess::{
    Activity, Assessment, CriterionResult, FrameworkAssessment, Proof, Status, Tally,
};
use crate::framework::EvidenceKind;

/// How many next activities the terminal text shows ("the next three things to do").
pub const TEXT_ACTIVITIES: usize = 3;

fn percent(p: f64) -> String {
    format!("{:>3.0}%", p * 100.0)
}

fn bar(p: f64, width: usize) -> String {
    let filled = ((p.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn counts(t: &Tally) -> String {
    let mut parts = vec![format!("{} met", t.met)];
    for (n, what) in [
        (t.partial, "partial"),
        (t.unmet, "unmet"),
        (t.unknown, "unknown"),
        (t.not_applicable, "n/a"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    format!("{} of {}", parts.join(", "), t.total)
}

fn short(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, c)| c)
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Partial => "partial",
        Status::Unmet => "unmet",
        Status::Unknown => "unknown",
        Status::NotApplicable => "n/a",
    }
}

fn title_case(step: &str) -> String {
    let mut c = step.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn repos_line(a: &Assessment) -> String {
    let n = a.repositories.len();
    format!(
        "{n} repositor{} as of {}",
        if n == 1 { "y" } else { "ies" },
        a.as_of
    )
}

/// Terminal text: each framework's stages and criteria with their evidence, the mindmap groups,
/// then the next three activities (last, where a terminal leaves them in view).
pub fn text(a: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "OSPO maturity: {}", repos_line(a));
    for f in &a.frameworks {
        let _ = writeln!(
            out,
            "\n{} ({} {}): {} {}, {}",
            f.title, f.id, f.version, f.step, f.reached, f.reached_name
        );
        for s in &f.stages {
            let mark = if s.complete { "done" } else { "    " };
            let _ = writeln!(
                out,
                "  {} {:<2} {:<32} {} {} {}  {}",
                f.step,
                s.number,
                s.name,
                mark,
                bar(s.tally.progress, 10),
                percent(s.tally.progress),
                if s.tally.total == 0 {
                    "baseline".to_owned()
                } else {
                    counts(&s.tally)
                }
            );
        }
        for s in f.stages.iter().filter(|s| s.tally.total > 0) {
            let _ = writeln!(out, "\n  {} {} {}:", f.step, s.number, s.name);
            for c in f.criteria.iter().filter(|c| c.stage == s.number) {
                criterion_text(&mut out, c);
            }
        }
    }
    let _ = writeln!(out, "\nBy mindmap group (all frameworks shown):");
    for g in &a.groups {
        let _ = writeln!(
            out,
            "  {:<32} {} {}  {}",
            g.title,
            bar(g.tally.progress, 10),
            percent(g.tally.progress),
            counts(&g.tally)
        );
    }
    if a.next.is_empty() {
        let _ = writeln!(out, "\nNext activities: none, every stage is complete.");
    } else {
        let _ = writeln!(out, "\nNext activities:");
        for act in a.next.iter().take(TEXT_ACTIVITIES) {
            activity_text(&mut out, act);
        }
        if a.next.len() > TEXT_ACTIVITIES {
            let _ = writeln!(
                out,
                "  …and {} more (`-f md` or `-f json` list them all)",
                a.next.len() - TEXT_ACTIVITIES
            );
        }
    }
    out
}

fn criterion_text(out: &mut String, c: &CriterionResult) {
    let kind = match c.evidence_kind {
        EvidenceKind::Automatic => "auto",
        EvidenceKind::Attested => "attested",
    };
    let _ = writeln!(
        out,
        "    {:<8} {} ({kind}, {} confidence): {}",
        status_word(c.status),
        short(&c.id),
        match c.confidence {
            crate::assess::Confidence::High => "high",
            crate::assess::Confidence::Medium => "medium",
            crate::assess::Confidence::Low => "low",
        },
        c.statement
    );
    for e in c.evidence.iter().take(4) {
        let _ = writeln!(out, "             - {e}");
    }
    if c.evidence.len() > 4 {
        let _ = writeln!(
            out,
            "             - …{} more line(s) in `-f json`",
            c.evidence.len() - 4
        );
    }
}

fn activity_text(out: &mut String, act: &Activity) {
    let _ = writeln!(
        out,
        "  {}. [{}] {}: {}",
        act.rank,
        status_word(act.status),
        act.criterion,
        act.statement
    );
    let mut why = Vec::new();
    if !act.completes.is_empty() {
        why.push(format!("completes {}", act.completes.join(", ")));
    } else if !act.blocks.is_empty() {
        why.push(format!("blocks {}", act.blocks.join(", ")));
    }
    if act.satisfies.len() > 1 {
        why.push(format!("satisfies {}", act.satisfies.join(", ")));
    }
    if !why.is_empty() {
        let _ = writeln!(out, "     why: {}", why.join("; "));
    }
    let _ = writeln!(out, "     how: {}", act.how_to);
    if act.proof == Proof::Attestation
        && let Some(q) = &act.question
    {
        let _ = writeln!(out, "     attest (`ospo assess --interactive`): {q}");
    }
}

/// The JSON document (`ospo-assessment/1`), pretty-printed; its order is the frameworks' own.
pub fn json(a: &Assessment) -> String {
    serde_json::to_string_pretty(a).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown: summary, every next activity, then per framework its stages and criteria.
pub fn markdown(a: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# OSPO maturity assessment\n");
    let _ = writeln!(out, "{}.\n", title_case(&repos_line(a)));
    let _ = writeln!(out, "| framework | reached | next |\n|---|---|---|");
    for f in &a.frameworks {
        let next = f
            .next
            .and_then(|n| f.stages.iter().find(|s| s.number == n))
            .map_or_else(
                || "—".to_owned(),
                |s| {
                    format!(
                        "{} {} {} ({})",
                        f.step,
                        s.number,
                        s.name,
                        percent(s.tally.progress).trim()
                    )
                },
            );
        let _ = writeln!(
            out,
            "| {} | {} {} {} | {} |",
            md_cell(&f.title),
            f.step,
            f.reached,
            md_cell(&f.reached_name),
            next
        );
    }
    let _ = writeln!(out, "\n## Next activities\n");
    if a.next.is_empty() {
        let _ = writeln!(out, "None: every stage is complete.");
    }
    for act in &a.next {
        let mut why = Vec::new();
        if !act.completes.is_empty() {
            why.push(format!("completes {}", act.completes.join(", ")));
        } else if !act.blocks.is_empty() {
            why.push(format!("blocks {}", act.blocks.join(", ")));
        }
        if act.satisfies.len() > 1 {
            why.push(format!(
                "satisfies {}",
                act.satisfies
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let _ = writeln!(
            out,
            "{}. **{}** (`{}`, {}): {}  \n   {}.  \n   How: {}",
            act.rank,
            md_cell(&act.statement),
            act.criterion,
            status_word(act.status),
            why.join("; "),
            match act.proof {
                Proof::Scan => "Proven by a scan",
                Proof::Attestation => "Attested by a person (`ospo assess --interactive`)",
            },
            md_cell(&act.how_to)
        );
    }
    let _ = writeln!(
        out,
        "\n## By mindmap group\n\n| group | progress | results |\n|---|---|---|"
    );
    for g in &a.groups {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            g.title,
            percent(g.tally.progress).trim(),
            counts(&g.tally)
        );
    }
    for f in &a.frameworks {
        framework_markdown(&mut out, f);
    }
    out
}

fn framework_markdown(out: &mut String, f: &FrameworkAssessment) {
    let _ = writeln!(
        out,
        "\n## {} (`{}` {})\n\nReached: {} {}, {}.\n",
        md_cell(&f.title),
        f.id,
        f.version,
        f.step,
        f.reached,
        md_cell(&f.reached_name)
    );
    let _ = writeln!(
        out,
        "| {} | name | complete | progress | results |\n|---|---|---|---|---|",
        f.step
    );
    for s in &f.stages {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            s.number,
            md_cell(&s.name),
            if s.complete { "yes" } else { "no" },
            percent(s.tally.progress).trim(),
            if s.tally.total == 0 {
                "baseline".to_owned()
            } else {
                counts(&s.tally)
            }
        );
    }
    for s in f.stages.iter().filter(|s| s.tally.total > 0) {
        let _ = writeln!(
            out,
            "\n### {} {} {}\n\n| result | criterion | evidence | how to |\n|---|---|---|---|",
            title_case(&f.step),
            s.number,
            md_cell(&s.name)
        );
        for c in f.criteria.iter().filter(|c| c.stage == s.number) {
            let evidence: Vec<String> = c.evidence.iter().take(6).map(|e| md_cell(e)).collect();
            let _ = writeln!(
                out,
                "| {} | `{}`: {} | {} | {} |",
                status_word(c.status),
                short(&c.id),
                md_cell(&c.statement),
                evidence.join("<br>"),
                if c.status.done() {
                    String::new()
                } else {
                    md_cell(&c.how_to)
                }
            );
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub use ospo_model::html::escape;

/// A horizontal bar chart: one labelled bar per row, the value as a percentage beside it.
fn svg_bars(title: &str, rows: &[(String, f64)]) -> String {
    const LABEL: usize = 260;
    const BAR: usize = 300;
    const ROW: usize = 26;
    let height = ROW * rows.len() + 30;
    let width = LABEL + BAR + 60;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"13\"><title>{}</title>",
        escape(title)
    );
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"16\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    for (i, (label, p)) in rows.iter().enumerate() {
        let y = 26 + i * ROW;
        let filled = (p.clamp(0.0, 1.0) * BAR as f64).round() as usize;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"{LABEL}\" y=\"{y}\" width=\"{BAR}\" height=\"16\" fill=\"#e5e7eb\"/><rect x=\"{LABEL}\" y=\"{y}\" width=\"{filled}\" height=\"16\" fill=\"#2563eb\"/><text x=\"{}\" y=\"{}\">{}</text>",
            y + 13,
            escape(label),
            LABEL + BAR + 8,
            y + 13,
            percent(*p).trim()
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The assessment as one self-contained HTML section (for the HTML report to embed).
pub fn html_section(a: &Assessment) -> String {
    let mut out = String::from("<section class=\"ospo-maturity\">\n<h2>OSPO maturity</h2>\n");
    let _ = writeln!(out, "<p>{}.</p>", escape(&title_case(&repos_line(a))));
    out.push_str("<table><thead><tr><th>framework</th><th>reached</th></tr></thead><tbody>\n");
    for f in &a.frameworks {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{} {}: {}</td></tr>",
            escape(&f.title),
            escape(&f.step),
            f.reached,
            escape(&f.reached_name)
        );
    }
    out.push_str("</tbody></table>\n");
    for f in &a.frameworks {
        let rows: Vec<(String, f64)> = f
            .stages
            .iter()
            .filter(|s| s.tally.total > 0)
            .map(|s| {
                (
                    format!("{} {} {}", f.step, s.number, s.name),
                    s.tally.progress,
                )
            })
            .collect();
        out.push_str(&svg_bars(
            &format!("{}: progress per {}", f.title, f.step),
            &rows,
        ));
        out.push('\n');
    }
    let rows: Vec<(String, f64)> = a
        .groups
        .iter()
        .map(|g| (g.title.clone(), g.tally.progress))
        .collect();
    out.push_str(&svg_bars("Progress per mindmap group", &rows));
    out.push_str("\n<h3>Next activities</h3>\n<ol>\n");
    for act in &a.next {
        let _ = writeln!(
            out,
            "<li><strong>{}</strong> (<code>{}</code>, {}). {}<br>How: {}</li>",
            escape(&act.statement),
            escape(&act.criterion),
            status_word(act.status),
            escape(&if act.completes.is_empty() {
                format!("Blocks {}.", act.blocks.join(", "))
            } else {
                format!("Completes {}.", act.completes.join(", "))
            }),
            escape(&act.how_to)
        );
    }
    out.push_str("</ol>\n");
    for f in &a.frameworks {
        let _ = writeln!(out, "<h3>{}</h3>", escape(&f.title));
        out.push_str("<table><thead><tr><th>result</th><th>criterion</th><th>evidence</th></tr></thead><tbody>\n");
        for c in &f.criteria {
            let evidence: Vec<String> = c.evidence.iter().take(6).map(|e| escape(e)).collect();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{} {}: <code>{}</code> {}</td><td>{}</td></tr>",
                status_word(c.status),
                escape(&f.step),
                c.stage,
                escape(short(&c.id)),
                escape(&c.statement),
                evidence.join("<br>")
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
    out
}

/// A standalone page around [`html_section`].
pub fn html_page(a: &Assessment) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>OSPO maturity assessment</title>\n<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}}svg{{display:block;margin:1em 0}}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        html_section(a)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn bars_are_bounded() {
        assert_eq!(bar(0.0, 4), "░░░░");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(2.0, 4), "████");
        assert_eq!(bar(f64::NAN, 4).chars().count(), 4);
    }
}
