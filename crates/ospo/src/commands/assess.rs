//! `ospo assess`: the OSPO maturity assessment of one repository or a folder of repositories —
//! the inventory scan and the work-tree probes give the automatic evidence, the attestation file
//! the rest; `--interactive` asks a person the open questions and adds the answers to the file.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use ospo_maturity::assess::{Assessment, Status as CriterionStatus};
use ospo_maturity::attest::{self, Answer, Attestation, Loaded, Severity};
use ospo_maturity::facts::{self, PortfolioFacts};
use ospo_maturity::framework::{Catalogue, EvidenceKind};
use ospo_maturity::{Options, probe, render};

use super::Status;
use crate::cli::{AssessArgs, AssessFormat};
use crate::output::{emit, scan_with_progress};

pub fn run(args: &AssessArgs) -> anyhow::Result<Status> {
    let catalogue = Catalogue::builtin().map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("the built-in frameworks are broken:\n{}", list.join("\n"))
    })?;
    for id in &args.frameworks {
        if catalogue.framework(id).is_none() {
            let known: Vec<&str> = catalogue.frameworks.iter().map(|f| f.id.as_str()).collect();
            bail!(
                "no framework `{id}`: the frameworks are {}",
                known.join(", ")
            );
        }
    }
    let as_of = match &args.as_of {
        Some(d) => attest::parse_date(d).map_err(|e| anyhow::anyhow!("--as-of: {e}"))?,
        None => super::policy::today(),
    };
    let loaded = attest::load(&args.attestations, &catalogue, as_of);
    if report(&loaded) {
        return Ok(Status::Error);
    }
    let facts = gather(args)?;
    let options = Options {
        as_of,
        frameworks: args.frameworks.clone(),
    };
    let mut assessment = ospo_maturity::assess(&catalogue, &facts, &loaded.attestations, &options);
    if args.interactive {
        if !std::io::stdin().is_terminal() {
            bail!("--interactive needs a terminal on standard input");
        }
        let existing = match std::fs::read_to_string(&args.attestations) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("failed to read `{}`", args.attestations.display()));
            }
        };
        let new = ask(
            &catalogue,
            &assessment,
            &mut std::io::stdin().lock(),
            &mut std::io::stderr(),
            as_of,
        )?;
        if !new.is_empty() {
            std::fs::write(&args.attestations, attest::append(&existing, &new))
                .with_context(|| format!("failed to write `{}`", args.attestations.display()))?;
            let _ = writeln!(
                std::io::stderr(),
                "wrote {} attestation(s) to `{}`",
                new.len(),
                args.attestations.display()
            );
            let loaded = attest::load(&args.attestations, &catalogue, as_of);
            if report(&loaded) {
                return Ok(Status::Error);
            }
            assessment = ospo_maturity::assess(&catalogue, &facts, &loaded.attestations, &options);
        }
    }
    let text = match args.format {
        AssessFormat::Text => render::text(&assessment),
        AssessFormat::Json => render::json(&assessment),
        AssessFormat::Md => render::markdown(&assessment),
        AssessFormat::Html => render::html_page(&assessment),
    };
    emit(args.output.as_deref(), &text)?;
    Ok(Status::Clean)
}

/// Prints the attestation file's diagnostics; returns whether one was an error.
fn report(loaded: &Loaded) -> bool {
    let mut stderr = std::io::stderr().lock();
    for d in &loaded.diagnostics {
        let _ = writeln!(stderr, "{d}");
    }
    let errors = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        let _ = writeln!(
            stderr,
            "{errors} error(s) in the attestation file: nothing was assessed"
        );
    }
    errors > 0
}

/// The facts of every repository under the paths, and of the vulnerability database.
fn gather(args: &AssessArgs) -> anyhow::Result<PortfolioFacts> {
    let scanned = scan_with_progress(&args.walk);
    crate::output::print_diagnostics(scanned.all_diagnostics());
    let mut facts = facts_of(&scanned, &args.db, args.max_age_days);
    if let Some(mirrors) = &args.mirrors {
        facts.upstream = upstream(&scanned, mirrors, &args.org_domains, args.as_of.as_deref())?;
    }
    crate::output::discard(scanned);
    Ok(facts)
}

/// The organisation's commits, in the last 365 days, in the clones of its dependencies that
/// `mirrors` holds.
fn upstream(
    scanned: &ospo_model::Portfolio,
    mirrors: &std::path::Path,
    domains: &[String],
    as_of: Option<&str>,
) -> anyhow::Result<facts::Fact<facts::Upstream>> {
    if domains.is_empty() {
        return Ok(facts::Fact::unknown(
            "no --org-domain: the organisation's commits cannot be told from others'",
        ));
    }
    let index = ospo_health::upstream::Mirrors::index(mirrors)
        .with_context(|| format!("failed to read the mirrors folder `{}`", mirrors.display()))?;
    let as_of = match as_of {
        Some(t) => super::health::parse_as_of(t)?,
        None => super::db::now(),
    };
    let mut clones = std::collections::BTreeSet::new();
    for repo in &scanned.repositories {
        for c in repo.components() {
            if c.relationship != ospo_model::Relationship::Root
                && let Some(found) = index.find(c, None)
            {
                clones.insert(found.path);
            }
        }
    }
    if clones.is_empty() {
        return Ok(facts::Fact::unknown(format!(
            "no clone of a dependency in `{}`",
            mirrors.display()
        )));
    }
    let (mut commits, mut projects, mut evidence) = (0, Vec::new(), Vec::new());
    for clone in &clones {
        match ospo_health::contributions(clone, domains, as_of, 365) {
            Ok(0) => {}
            Ok(n) => {
                commits += n;
                projects.push(clone.display().to_string());
                evidence.push(format!("{n} commit(s) in `{}`", clone.display()));
            }
            Err(e) => crate::output::warning(&e.to_string()),
        }
    }
    evidence.push(format!(
        "{} clone(s) of dependencies read in `{}`",
        clones.len(),
        mirrors.display()
    ));
    Ok(facts::Fact::Known {
        value: facts::Upstream {
            domains: domains.to_vec(),
            commits,
            projects,
        },
        evidence,
    })
}

/// The automatic evidence of a scanned portfolio: its work trees and the vulnerability database.
fn facts_of(
    scanned: &ospo_model::Portfolio,
    db: &crate::cli::DbLocation,
    max_age_days: i64,
) -> PortfolioFacts {
    let mut facts = PortfolioFacts::new(probe::portfolio(scanned));
    facts.vuln_db = match super::db::database(db) {
        Ok(db) => match db.status(super::db::now(), max_age_days) {
            Ok(status) => facts::vuln_db_of(&status, max_age_days),
            Err(e) => facts::Fact::unknown(format!("cannot read the vulnerability database: {e}")),
        },
        Err(e) => facts::Fact::unknown(format!("{e:#}")),
    };
    facts
}

/// The maturity section of `ospo check`'s HTML report: the assessment of the checked portfolio
/// with the attestations of `attestations` (when the file exists). `None`, with a warning, when
/// the attestation file has errors.
pub fn html_section(
    scanned: &ospo_model::Portfolio,
    attestations: &std::path::Path,
    db: &crate::cli::DbLocation,
    as_of: time::Date,
) -> Option<String> {
    let catalogue = Catalogue::builtin().ok()?;
    let loaded = attest::load(attestations, &catalogue, as_of);
    if report(&loaded) {
        crate::output::warning("the HTML report has no maturity section");
        return None;
    }
    let facts = facts_of(scanned, db, 7);
    let options = Options {
        as_of,
        frameworks: Vec::new(),
    };
    let assessment = ospo_maturity::assess(&catalogue, &facts, &loaded.attestations, &options);
    Some(render::html_section(&assessment))
}

/// The criteria a person should answer: attested ones without a live attestation, and
/// automatic ones the scan could not tell (when they have a question), one per crosswalk class.
fn pending<'a>(catalogue: &'a Catalogue, a: &Assessment) -> Vec<(&'a str, String, u32, &'a str)> {
    let classes = catalogue.equivalence_classes();
    let mut seen: Vec<&Vec<String>> = Vec::new();
    let mut out = Vec::new();
    for f in &a.frameworks {
        for r in &f.criteria {
            let Some(c) = catalogue.criterion(&r.id) else {
                continue;
            };
            let Some(question) = c.question.as_deref() else {
                continue;
            };
            let open = match c.evidence {
                EvidenceKind::Attested => r.attestation.is_none(),
                EvidenceKind::Automatic => r.status == CriterionStatus::Unknown,
            };
            if !open {
                continue;
            }
            if let Some(class) = classes.get(&c.id) {
                if seen.contains(&class) {
                    continue;
                }
                seen.push(class);
            }
            out.push((
                c.id.as_str(),
                format!("{} {} {}", f.title, f.step, c.stage),
                c.stage,
                question,
            ));
        }
    }
    out
}

/// Reads one answer line; `None` at the end of input.
fn line(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    prompt: &str,
) -> anyhow::Result<Option<String>> {
    write!(out, "{prompt}")?;
    out.flush()?;
    let mut s = String::new();
    if input.read_line(&mut s)? == 0 {
        writeln!(out)?;
        return Ok(None);
    }
    Ok(Some(s.trim().to_owned()))
}

/// Asks the open questions; returns the new attestations (none written yet).
fn ask(
    catalogue: &Catalogue,
    a: &Assessment,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    as_of: time::Date,
) -> anyhow::Result<Vec<Attestation>> {
    let questions = pending(catalogue, a);
    if questions.is_empty() {
        writeln!(out, "Every question has a live answer: nothing to ask.")?;
        return Ok(Vec::new());
    }
    writeln!(
        out,
        "{} question(s) to answer. For each: m(et), p(artial), u(nmet), n(ot applicable), s(kip) or q(uit).\nAnswers are added to the attestation file when you are done; review them like code.\n",
        questions.len()
    )?;
    let by = loop {
        match line(input, out, "Your name and e-mail (recorded as `by`): ")? {
            None => return Ok(Vec::new()),
            Some(s) if !s.is_empty() => break s,
            Some(_) => writeln!(out, "  a name is needed")?,
        }
    };
    let default_expiry = as_of
        .checked_add(time::Duration::days(365))
        .unwrap_or(as_of);
    let mut new = Vec::new();
    'questions: for (i, (id, place, _, question)) in questions.iter().enumerate() {
        let c = catalogue.criterion(id);
        writeln!(out, "\n[{}/{}] {id} ({place})", i + 1, questions.len())?;
        if let Some(c) = c {
            writeln!(out, "  {}", c.statement)?;
            if let Some(q) = c.citations.first() {
                writeln!(out, "  seed {}: “{}”", q.seed, q.quote)?;
            }
        }
        writeln!(out, "  {question}")?;
        let answer = loop {
            let Some(s) = line(input, out, "  answer [m/p/u/n/s/q]: ")? else {
                break 'questions;
            };
            match s.to_ascii_lowercase().as_str() {
                "m" | "met" => break Answer::Met,
                "p" | "partial" => break Answer::Partial,
                "u" | "unmet" => break Answer::Unmet,
                "n" | "not-applicable" | "na" | "n/a" => break Answer::NotApplicable,
                "s" | "skip" | "" => continue 'questions,
                "q" | "quit" => break 'questions,
                _ => writeln!(out, "  please answer m, p, u, n, s or q")?,
            }
        };
        let statement = loop {
            match line(input, out, "  statement (what shows it): ")? {
                None => break 'questions,
                Some(s) if !s.is_empty() => break s,
                Some(_) => writeln!(out, "  a statement is needed: it is what reviewers check")?,
            }
        };
        let Some(link) = line(input, out, "  link (optional, Enter for none): ")? else {
            break;
        };
        let expires = loop {
            let prompt = format!("  expires (YYYY-MM-DD, Enter for {default_expiry}): ");
            let Some(s) = line(input, out, &prompt)? else {
                break 'questions;
            };
            if s.is_empty() {
                break default_expiry;
            }
            match attest::parse_date(&s) {
                Ok(d) if d >= as_of => break d,
                Ok(d) => writeln!(out, "  {d} is before {as_of}: the answer would never count")?,
                Err(e) => writeln!(out, "  {e}")?,
            }
        };
        new.push(Attestation {
            criterion: (*id).to_owned(),
            answer,
            by: by.clone(),
            date: as_of,
            statement,
            link: (!link.is_empty()).then_some(link),
            expires,
            place: String::new(),
        });
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dialogue reads answers line by line, re-asks on bad input, skips, and stops at `q`.
    #[test]
    fn scripted_dialogue() {
        let cat = Catalogue::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let as_of = attest::parse_date("2026-06-01").unwrap_or_else(|e| panic!("{e}"));
        let facts = PortfolioFacts::new(Vec::new());
        let a = ospo_maturity::assess(
            &cat,
            &facts,
            &attest::Attestations::default(),
            &Options {
                as_of,
                frameworks: vec!["ospo-stages".into()],
            },
        );
        let first = pending(&cat, &a);
        assert_eq!(first[0].0, "ospo-stages:legal-sbom");
        let script = "\nAna <ana@example.com>\nx\nm\n\nAll repos publish SBOMs from the release pipeline.\nhttps://ci.example.com/sbom\n2025-01-01\n2027-01-01\ns\np\nHalf the teams.\n\n\nq\n";
        let mut out = Vec::new();
        let new = ask(&cat, &a, &mut script.as_bytes(), &mut out, as_of)
            .unwrap_or_else(|e| panic!("{e}"));
        let shown = String::from_utf8_lossy(&out);
        assert!(
            shown.contains("please answer m, p, u, n, s or q"),
            "{shown}"
        );
        assert!(shown.contains("a statement is needed"), "{shown}");
        assert!(shown.contains("2025-01-01 is before 2026-06-01"), "{shown}");
        assert_eq!(new.len(), 2, "{shown}");
        assert_eq!(new[0].criterion, first[0].0);
        assert_eq!(new[0].answer, Answer::Met);
        assert_eq!(new[0].link.as_deref(), Some("https://ci.example.com/sbom"));
        assert_eq!(new[0].expires.to_string(), "2027-01-01");
        assert_eq!(new[1].criterion, first[2].0);
        assert_eq!(new[1].answer, Answer::Partial);
        assert_eq!(new[1].link, None);
        assert_eq!(new[1].expires.to_string(), "2027-06-01");
        assert_eq!(new[1].by, "Ana <ana@example.com>");
    }
}
