//! `ospo scan`: the inventory of every path given.
use ospo_model::{Diagnostic, Portfolio, Project, Relationship, Repository, Scope};

use ospo_vuln::matching::MatchReport;

use super::health::UpstreamHealth;
use super::{Status, sbom, vulns};
use crate::cli::{SbomFormat, ScanArgs, ScanFormat};
use crate::json::{ArrayWriter, ObjectWriter, Plan};
use crate::output::{
    discard, emit_with, print_diagnostics, report_diagnostics, scan_with_progress, summarise,
    with_progress,
};

/// The version of the JSON inventory document; bumped on any incompatible change.
pub const INVENTORY_SCHEMA: &str = "ospo-inventory/1";

pub fn run(args: &ScanArgs) -> anyhow::Result<Status> {
    let threshold = vulns::threshold(&args.vulns.fail_on)?;
    let check_vulns = !args.no_vulns && !args.walk.read_only;
    if args.format == ScanFormat::Json
        && args.mirrors.is_none()
        && (!check_vulns || !vulns::database_present(&args.vulns)?)
    {
        return stream_json(args, check_vulns);
    }
    let portfolio = scan_with_progress(&args.walk);
    let had_errors = report_diagnostics(&portfolio);
    let report = if args.no_vulns || args.walk.read_only {
        None
    } else {
        vulns::check(&portfolio, &args.vulns, &args.walk.paths, false)?
    };
    let upstream = match &args.mirrors {
        Some(m) => Some(super::health::upstream(&portfolio, m, &args.walk.paths)?),
        None => None,
    };
    let out = args.output.as_deref();
    match args.format {
        ScanFormat::Table => emit_with(out, |w| {
            write_table(w, &portfolio)?;
            if let Some(report) = &report {
                write!(w, "\n\n{}", vulns::table(report))?;
            }
            if let Some(u) = &upstream {
                write!(w, "\n\n{}", super::health::upstream_table(u))?;
            }
            Ok(())
        })?,
        ScanFormat::Json => emit_with(out, |w| {
            write_document(
                w,
                |repositories| {
                    for repo in &portfolio.repositories {
                        write_one(repositories, repo)?;
                    }
                    Ok(())
                },
                &portfolio.diagnostics,
                report.as_ref(),
                upstream.as_ref(),
            )
        })?,
        ScanFormat::CyclonedxJson => {
            sbom::write(&portfolio, SbomFormat::CyclonedxJson, None, false, out)?
        }
        ScanFormat::SpdxJson => sbom::write(&portfolio, SbomFormat::SpdxJson, None, false, out)?,
        ScanFormat::SpdxTagValue => {
            sbom::write(&portfolio, SbomFormat::SpdxTagValue, None, false, out)?
        }
    }
    let status = exit_status(report.as_ref(), threshold, had_errors);
    discard(portfolio);
    Ok(status)
}

/// `scan -f json` when nothing needs the whole portfolio at once (no vulnerability database to
/// match against, no upstream health): each repository is written as soon as it is built and
/// then dropped, so memory follows the largest repositories, not the portfolio, and the memory
/// one repository used is used again by the next. The same document, byte for byte, and the
/// same diagnostics in the same order as the whole-portfolio path.
fn stream_json(args: &ScanArgs, check_vulns: bool) -> anyhow::Result<Status> {
    let (mut errors, mut warnings) = (0, 0);
    let mut count = |(e, w): (usize, usize)| {
        errors += e;
        warnings += w;
    };
    with_progress(&args.walk, |opts, progress| -> anyhow::Result<()> {
        let mut walk = ospo_inventory::walk(&args.walk.paths, opts, progress);
        count(print_diagnostics(&walk.diagnostics));
        let diagnostics = std::mem::take(&mut walk.diagnostics);
        emit_with(args.output.as_deref(), |w| {
            write_document(
                w,
                |repositories| {
                    walk.each(opts, progress, |repo| {
                        count(print_diagnostics(&repo.diagnostics));
                        write_one(repositories, &repo)?;
                        // Freeing a repository's strings one by one takes as long as writing
                        // them: on the pool, beside the next repository's rendering, instead of
                        // on this thread while a core waits.
                        rayon::spawn(move || drop(repo));
                        Ok(())
                    })
                },
                &diagnostics,
                None,
                None,
            )
        })
    })
    .unwrap_or_else(|| Err(anyhow::anyhow!("internal error: the scan panicked")))?;
    let had_errors = summarise(errors, warnings);
    if check_vulns {
        // No database: says so exactly as the whole-portfolio path does, and checks nothing.
        vulns::check(&Portfolio::default(), &args.vulns, &args.walk.paths, false)?;
    }
    Ok(exit_status(None, None, had_errors))
}

/// The inventory document, `ospo-inventory/1` (docs/schemas in the README): the repositories
/// are written one at a time by `repositories`, from a portfolio in memory or as a scan builds
/// them; both give the same bytes.
fn write_document<W: std::io::Write + ?Sized>(
    w: &mut W,
    repositories: impl FnOnce(&mut ArrayWriter<'_, W>) -> anyhow::Result<()>,
    diagnostics: &[Diagnostic],
    report: Option<&MatchReport>,
    upstream: Option<&UpstreamHealth>,
) -> anyhow::Result<()> {
    let mut doc = ObjectWriter::new(w)?;
    doc.field("schema", INVENTORY_SCHEMA)?;
    doc.field("tool", "ospo")?;
    doc.field("version", env!("CARGO_PKG_VERSION"))?;
    let mut array = doc.stream_array("repositories")?;
    repositories(&mut array)?;
    array.end()?;
    if !diagnostics.is_empty() {
        doc.field("diagnostics", diagnostics)?;
    }
    if let Some(report) = report {
        doc.field("vulnerabilities", report)?;
    }
    if let Some(u) = upstream {
        doc.field("upstream_health", u)?;
    }
    doc.end()?;
    Ok(())
}

/// One repository of the document: planned, its components and edges rendered on every core.
fn write_one<W: std::io::Write + ?Sized>(
    repositories: &mut ArrayWriter<'_, W>,
    repo: &Repository,
) -> anyhow::Result<()> {
    repositories.item(|w, level| {
        let mut plan = Plan::default();
        write_repository(&mut plan, repo, level)?;
        plan.write_to(w)
    })?;
    Ok(())
}

/// A repository as its `Serialize` implementation writes it (a test holds the two together),
/// with the components and edges of each project rendered on every core in bounded pieces: a
/// large repository is never held whole as text.
fn write_repository<'a>(
    w: &mut Plan<'a>,
    repo: &'a Repository,
    level: usize,
) -> serde_json::Result<()> {
    let mut o = ObjectWriter::nested(w, level).map_err(serde_json::Error::io)?;
    o.field("name", &repo.name)?;
    o.field("path", &repo.path)?;
    o.array("projects", &repo.projects, |w, p: &'a Project, level| {
        let mut o = ObjectWriter::nested(w, level).map_err(serde_json::Error::io)?;
        o.field("extractor", &p.extractor)?;
        o.field("ecosystem", &p.ecosystem)?;
        o.field("path", &p.path)?;
        if let Some(m) = &p.manifest {
            o.field("manifest", m)?;
        }
        o.par_array("components", &p.components)?;
        if !p.edges.is_empty() {
            o.par_array("edges", &p.edges)?;
        }
        o.end().map_err(serde_json::Error::io)
    })?;
    if !repo.diagnostics.is_empty() {
        o.field("diagnostics", &repo.diagnostics)?;
    }
    o.end().map_err(serde_json::Error::io)
}

fn exit_status(
    report: Option<&MatchReport>,
    threshold: Option<ospo_vuln::severity::Severity>,
    had_errors: bool,
) -> Status {
    match report {
        Some(report) => vulns::status(report, threshold, had_errors),
        None if had_errors => Status::Error,
        None => Status::Clean,
    }
}

fn scope(s: Scope) -> &'static str {
    match s {
        Scope::Runtime => "runtime",
        Scope::Dev => "dev",
        Scope::Optional => "optional",
        Scope::Build => "build",
    }
}

fn relationship(r: Relationship) -> &'static str {
    match r {
        Relationship::Root => "root",
        Relationship::Direct => "direct",
        Relationship::Transitive => "transitive",
        Relationship::Unknown => "unknown",
    }
}

/// The component listing: a plain aligned table (like `syft` or `docker ps`), widths from the
/// data with a cap per column (longer cells end in `…`), written row by row, so a portfolio of
/// hundreds of thousands of components lists as fast as it is read.
fn write_table(w: &mut dyn std::io::Write, portfolio: &Portfolio) -> std::io::Result<()> {
    const HEADER: [&str; 7] = [
        "repository",
        "name",
        "version",
        "ecosystem",
        "scope",
        "relation",
        "declared in",
    ];
    const CAPS: [usize; 7] = [30, 60, 30, 12, 8, 11, usize::MAX];
    let mut widths = HEADER.map(console::measure_text_width);
    each_row(portfolio, |row| {
        for ((w, cell), cap) in widths.iter_mut().zip(row).zip(CAPS) {
            *w = (*w).max(console::measure_text_width(cell).min(cap));
        }
        Ok(())
    })?;
    let mut line = String::new();
    let mut write_row = |w: &mut dyn std::io::Write, row: [&str; 7]| {
        line.clear();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            let cell = console::truncate_str(cell, width, "…");
            line.push_str(&cell);
            if i + 1 < row.len() {
                let pad = width.saturating_sub(console::measure_text_width(&cell)) + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        w.write_all(line.trim_end().as_bytes())?;
        w.write_all(b"\n")
    };
    write_row(w, HEADER)?;
    each_row(portfolio, |row| write_row(w, row))?;
    let projects: usize = portfolio
        .repositories
        .iter()
        .map(|r| r.projects.len())
        .sum();
    let repos = portfolio.repositories.len();
    write!(
        w,
        "{} component(s) in {projects} project(s) of {repos} repositor{}",
        portfolio.component_count(),
        if repos == 1 { "y" } else { "ies" }
    )
}

/// Calls `f` with the cells of every component's row, in output order.
fn each_row(
    portfolio: &Portfolio,
    mut f: impl FnMut([&str; 7]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let mut place = String::new();
    for repo in &portfolio.repositories {
        for project in &repo.projects {
            for c in &project.components {
                place.clear();
                if let Some(l) = c.locations.first() {
                    let _ = write!(place, "{}", l.path.display());
                    if let Some(line) = l.line {
                        let _ = write!(place, ":{line}");
                    }
                }
                f([
                    repo.name.as_str(),
                    c.name.as_str(),
                    c.version.as_deref().unwrap_or("-"),
                    c.ecosystem.osv_name(),
                    scope(c.scope),
                    relationship(c.relationship),
                    place.as_str(),
                ])?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use ospo_model::{Component, Ecosystem, Portfolio, Project, Repository};

    fn portfolio() -> Portfolio {
        let long = format!("github.com/example/{}", "x".repeat(80));
        let components = vec![
            Component::new(Ecosystem::Go, &long, Some("v1.0.0"))
                .expect("a purl")
                .at("go.mod", Some(7)),
            Component::new(Ecosystem::Npm, "@babel/core", Some("7.24.0"))
                .expect("a purl")
                .at("web/package-lock.json", Some(12)),
            Component::new(Ecosystem::Npm, "left-pad", None)
                .expect("a purl")
                .at("web/package-lock.json", None),
        ];
        Portfolio {
            repositories: vec![Repository {
                name: "repo".into(),
                path: "repo".into(),
                projects: vec![Project {
                    extractor: "test".into(),
                    ecosystem: Ecosystem::Npm,
                    path: "web/package-lock.json".into(),
                    manifest: None,
                    components,
                    edges: Vec::new(),
                }],
                diagnostics: Vec::new(),
            }],
            diagnostics: Vec::new(),
        }
    }

    /// The repositories written piece by piece are byte for byte what serde_json's pretty
    /// printer makes of the same portfolio: projects with and without a manifest and edges,
    /// several chunks of components, an empty project, repository diagnostics.
    #[test]
    fn repositories_are_written_as_serde_writes_them() {
        use ospo_model::{Diagnostic, Edge, Level};
        let mut p = portfolio();
        let many: Vec<Component> = (0..700)
            .map(|i| {
                Component::new(Ecosystem::CratesIo, &format!("crate-{i}"), Some("1.0.0"))
                    .expect("a purl")
                    .with_license("MIT \"quoted\"")
                    .at("Cargo.lock", Some(i))
            })
            .collect();
        let edges: Vec<Edge> = many
            .windows(2)
            .map(|w| Edge {
                from: w[0].key(),
                to: w[1].key(),
            })
            .collect();
        p.repositories[0].projects.push(Project {
            extractor: "cargo-lock".into(),
            ecosystem: Ecosystem::CratesIo,
            path: "Cargo.lock".into(),
            manifest: Some("Cargo.toml".into()),
            components: many,
            edges,
        });
        p.repositories[0].projects.push(Project {
            extractor: "empty".into(),
            ecosystem: Ecosystem::Npm,
            path: "x/package-lock.json".into(),
            manifest: None,
            components: Vec::new(),
            edges: Vec::new(),
        });
        p.repositories[0].diagnostics.push(Diagnostic::new(
            Level::Warning,
            "test",
            "Cargo.lock",
            Some(3),
            "line\nbreak",
        ));
        let mut second = p.repositories[0].clone();
        second.name = "second".into();
        second.projects.truncate(1);
        second.diagnostics.clear();
        p.repositories.push(second);

        #[derive(serde::Serialize)]
        struct Doc<'a> {
            repositories: &'a [Repository],
        }
        let want = serde_json::to_vec_pretty(&Doc {
            repositories: &p.repositories,
        })
        .expect("serialises");
        let mut plan = crate::json::Plan::default();
        let mut doc = crate::json::ObjectWriter::new(&mut plan).expect("writes");
        doc.array("repositories", &p.repositories, super::write_repository)
            .expect("writes");
        doc.end().expect("writes");
        let mut got = Vec::new();
        plan.write_to(&mut got).expect("writes");
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
    }

    /// Columns line up, a long cell ends in `…` at its column's cap, a missing version is `-`,
    /// no line ends in spaces, and the summary counts what was listed.
    #[test]
    fn plain_table_is_aligned_and_capped() {
        let mut out = Vec::new();
        super::write_table(&mut out, &portfolio()).expect("writes");
        let text = String::from_utf8(out).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(lines[0].starts_with("repository  name "));
        let version_col = lines[0].find("version").expect("a version column");
        for row in &lines[1..4] {
            assert_eq!(row.trim_end(), *row);
            assert!(
                row.chars()
                    .nth(version_col - 1)
                    .is_some_and(char::is_whitespace),
                "{row}"
            );
        }
        assert!(lines[1].contains("github.com/example/xxx"));
        assert!(lines[1].contains('…'));
        assert!(!lines[1].contains(&"x".repeat(80)));
        assert!(lines[1].ends_with("go.mod:7"));
        assert!(lines[3].contains("left-pad") && lines[3].contains("  -  "));
        assert!(lines[3].ends_with("web/package-lock.json"));
        assert_eq!(lines[4], "3 component(s) in 1 project(s) of 1 repository");
    }
}
