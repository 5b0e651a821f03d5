//! The generated part of docs/maturity.md: every framework's stages and criteria, from the data.
//! The doc holds it between `<!-- generated:criteria -->` markers and a test fails when it is
//! stale (`OSPO_BLESS=1` rewrites it).

use std::fmt::Write as _;

use crate::framework::{Catalogue, EvidenceKind};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Every framework: its stages, then one row per criterion.
pub fn criteria_markdown(cat: &Catalogue) -> String {
    let mut out = String::new();
    for f in &cat.frameworks {
        let _ = writeln!(
            out,
            "### {} (`{}` {})\n\nSource: {}.\n",
            f.title,
            f.id,
            f.version,
            cell(&f.source)
        );
        let _ = writeln!(out, "| {} | name | summary |\n|---|---|---|", f.step);
        for s in &f.stages {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                s.number,
                cell(&s.name),
                cell(&s.summary)
            );
        }
        let _ = writeln!(
            out,
            "\n| criterion | {} | group | evidence | statement | seed |\n|---|---|---|---|---|---|",
            f.step
        );
        for c in &f.criteria {
            let evidence = match (c.evidence, c.fact) {
                (EvidenceKind::Automatic, Some(fact)) => format!("automatic: `{}`", fact.id()),
                _ => "attested".to_owned(),
            };
            let seeds: Vec<String> = c
                .citations
                .iter()
                .map(|q| format!("{} “{}”", q.seed, cell(&q.quote)))
                .collect();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                c.id,
                c.stage,
                c.group.title(),
                evidence,
                cell(&c.statement),
                seeds.join("; ")
            );
        }
        out.push('\n');
    }
    out
}

pub use ospo_policy::docs::splice;
