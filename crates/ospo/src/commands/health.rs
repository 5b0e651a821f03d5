//! `ospo health`: project health and sustainability of git repositories (work trees, bare
//! clones, folders of clones, or URLs cloned into a cache), each number with its inputs and
//! reason; findings against the policy's `health.min-score` decide the exit code.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ospo_health::{Options, OrgMap, Report};
use ospo_policy::health::HealthContext;
use ospo_policy::{Finding, Policy};
use rayon::prelude::*;
use serde::Serialize;

use super::Status;
use crate::cli::{HealthArgs, HealthFormat};
use crate::output::{emit, emit_json, warning};

/// One repository that could not be assessed.
#[derive(Serialize)]
struct Failure {
    repository: String,
    error: String,
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: &'static str,
    version: &'static str,
    as_of: String,
    repositories: &'a [Report],
    findings: &'a [Finding],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [Failure],
}

pub fn run(args: &HealthArgs) -> anyhow::Result<Status> {
    let threshold = super::check::fail_on(&args.fail_on)?;
    let policy = load_policy(args.policy.as_deref())?;
    let opts = options(args, &policy)?;
    let min_score = args.min_score.unwrap_or(policy.health.min_score);
    if !(0.0..=10.0).contains(&min_score) {
        bail!("--min-score: {min_score} is not between 0 and 10");
    }

    let mut targets = Vec::new();
    let mut failures = Vec::new();
    for t in &args.targets {
        if is_url(t) {
            let cache = cache_dir(args.cache_dir.as_deref())?;
            match clone_into_cache(t, &cache) {
                Ok(p) => targets.push((t.clone(), p)),
                Err(e) => failures.push(Failure {
                    repository: t.clone(),
                    error: format!("{e:#}"),
                }),
            }
        } else {
            targets.extend(
                expand(Path::new(t))
                    .into_iter()
                    .map(|p| (p.display().to_string(), p)),
            );
        }
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .context("cannot start the worker threads")?;
    let results: Vec<(String, Result<Report, ospo_health::Error>)> = pool.install(|| {
        targets
            .par_iter()
            .map(|(name, path)| (name.clone(), ospo_health::assess(path, &opts)))
            .collect()
    });
    let mut reports = Vec::new();
    for (name, r) in results {
        match r {
            Ok(mut report) => {
                report.repository = name;
                reports.push(report);
            }
            Err(e) => failures.push(Failure {
                repository: name,
                error: e.to_string(),
            }),
        }
    }
    let mut findings: Vec<Finding> = reports
        .iter()
        .flat_map(|r| {
            Finding::from_health(
                r,
                &HealthContext {
                    repository: &r.repository,
                    purl: None,
                    min_score,
                },
            )
        })
        .collect();
    findings.sort();

    for f in &failures {
        crate::output::error(&f.error);
    }
    let out = args.output.as_deref();
    match args.format {
        HealthFormat::Json => emit_json(
            out,
            &Document {
                schema: ospo_health::SCHEMA,
                tool: "ospo",
                version: env!("CARGO_PKG_VERSION"),
                as_of: ospo_health::history::date(opts.as_of),
                repositories: &reports,
                findings: &findings,
                errors: &failures,
            },
        )?,
        HealthFormat::Table => {
            let mut text = String::new();
            for (i, r) in reports.iter().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                table(&mut text, r);
            }
            if !findings.is_empty() {
                text.push_str("\nfindings\n");
                for f in &findings {
                    let place = f
                        .location
                        .as_ref()
                        .map(|l| format!(" {l}"))
                        .unwrap_or_default();
                    let _ = writeln!(
                        text,
                        "  {:<8} {:<26} {}{place}: {}",
                        f.severity.as_str(),
                        f.code,
                        f.repository,
                        f.message
                    );
                }
            }
            emit(out, text.trim_end())?;
        }
    }
    Ok(if !failures.is_empty() {
        Status::Error
    } else if threshold.is_some_and(|t| findings.iter().any(|f| f.severity.at_least(t))) {
        Status::Findings
    } else {
        Status::Clean
    })
}

fn load_policy(file: Option<&Path>) -> anyhow::Result<Policy> {
    let result = match file {
        Some(f) => ospo_policy::load(f),
        None => ospo_policy::load_for_root(Path::new(".")),
    };
    result.map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("the policy has errors:\n{}", lines.join("\n"))
    })
}

/// The assessment options from the arguments and the policy.
pub fn options(args: &HealthArgs, policy: &Policy) -> anyhow::Result<Options> {
    let as_of = match &args.as_of {
        Some(t) => parse_as_of(t)?,
        None => super::db::now(),
    };
    let mut opts = Options::new(as_of);
    opts.org_map = org_map(args.org_map.as_deref(), &args.orgs)?;
    opts.feature_complete = args.feature_complete;
    opts.abandoned_after_days = match (args.abandoned_after, policy.health.max_inactive_days) {
        (Some(d), _) => d,
        (None, 0) => ospo_health::DEFAULT_ABANDONED_DAYS,
        (None, d) => d,
    };
    Ok(opts)
}

/// `YYYY-MM-DD` (00:00 UTC) or Unix seconds.
pub fn parse_as_of(text: &str) -> anyhow::Result<i64> {
    if let Ok(secs) = text.trim().parse::<i64>() {
        return Ok(secs);
    }
    let date = ospo_policy::load::parse_date(text.trim())
        .map_err(|e| anyhow::anyhow!("--as-of: {e} (or Unix seconds)"))?;
    Ok(date.midnight().assume_utc().unix_timestamp())
}

/// The organisation map: a TOML file of `"domain" = "Organisation"` (top level, or in an
/// `[organisations]` table), then `--org DOMAIN=ORG` arguments.
pub fn org_map(file: Option<&Path>, pairs: &[String]) -> anyhow::Result<OrgMap> {
    let mut map = OrgMap::new();
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("failed to read `{}`", file.display()))?;
        let value: toml::Table = toml::from_str(&text)
            .with_context(|| format!("failed to parse `{}` as TOML", file.display()))?;
        for (k, v) in &value {
            match v {
                toml::Value::String(org) => map.insert(k, org),
                toml::Value::Table(t) if k == "organisations" || k == "organizations" => {
                    for (d, o) in t {
                        let Some(o) = o.as_str() else {
                            bail!("`{}`: `{d}` must map to a string", file.display());
                        };
                        map.insert(d, o);
                    }
                }
                _ => bail!(
                    "`{}`: `{k}` must map a mail domain to an organisation name",
                    file.display()
                ),
            }
        }
    }
    for p in pairs {
        let Some((d, o)) = p.split_once('=') else {
            bail!("--org `{p}`: expected DOMAIN=ORGANISATION");
        };
        map.insert(d, o);
    }
    Ok(map)
}

/// A path: the repository itself, or, for a folder that is no repository, the repositories
/// directly inside it (a folder of clones), sorted.
pub fn expand(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() || is_repository(path) {
        return vec![path.to_owned()];
    }
    let mut out: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir() && is_repository(p))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    if out.is_empty() {
        // Let the assessment say why it is not a repository.
        out.push(path.to_owned());
    }
    out
}

/// A work tree (`.git` inside) or a bare repository (`HEAD` and `objects/`).
pub fn is_repository(path: &Path) -> bool {
    path.join(".git").exists() || (path.join("HEAD").is_file() && path.join("objects").is_dir())
}

pub fn is_url(t: &str) -> bool {
    t.contains("://") || (t.starts_with("git@") && t.contains(':'))
}

fn cache_dir(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(d) = given {
        return Ok(d.to_owned());
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    match base {
        Some(b) => Ok(b.join("ospo").join("repos")),
        None => bail!("no cache folder: set --cache-dir or OSPO_CACHE_DIR"),
    }
}

/// The cache folder of a URL: `host/path` with unsafe characters replaced.
fn cache_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("git@").unwrap_or(rest).replace(':', "/");
    let rest = rest.trim_end_matches('/').trim_end_matches(".git");
    rest.split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(|s| {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Clones a URL (bare, full history) into the cache, or fetches into the clone already there.
fn clone_into_cache(url: &str, cache: &Path) -> anyhow::Result<PathBuf> {
    let dest = cache.join(format!("{}.git", cache_name(url)));
    let git = |args: &[&str]| -> anyhow::Result<()> {
        let out = std::process::Command::new("git")
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .context("cannot run `git` (is it installed?)")?;
        if !out.status.success() {
            bail!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(())
    };
    let d = dest.to_string_lossy().into_owned();
    if dest.join("HEAD").is_file() {
        git(&[
            "-C",
            &d,
            "fetch",
            "--quiet",
            "--prune",
            "--tags",
            "origin",
            "+refs/heads/*:refs/heads/*",
        ])
        .with_context(|| format!("failed to update the clone of {url} in `{d}`"))?;
    } else {
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("failed to create `{}`", parent.display()))?;
        }
        git(&["clone", "--quiet", "--bare", url, &d])
            .with_context(|| format!("failed to clone {url}"))?;
        git(&[
            "-C",
            &d,
            "config",
            "remote.origin.fetch",
            "+refs/heads/*:refs/heads/*",
        ])?;
    }
    Ok(dest)
}

/// Compact `k=v` text of a metric's inputs, cut to a readable length.
fn inputs_text(inputs: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut s = String::new();
    for (k, v) in inputs {
        if !s.is_empty() {
            s.push_str(", ");
        }
        let v = match v {
            serde_json::Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        let _ = write!(s, "{k}={v}");
    }
    if s.chars().count() > 240 {
        let cut: String = s.chars().take(239).collect();
        s = format!("{cut}…");
    }
    s
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "?".to_owned(), |v| format!("{v:.1}"))
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

/// The readable report of one repository.
pub fn table(out: &mut String, r: &Report) {
    let head = r
        .head
        .as_deref()
        .map_or("no commit", |h| &h[..h.len().min(12)]);
    let _ = writeln!(out, "{}  (HEAD {head}, as of {})", r.repository, r.as_of);
    let s = &r.sustainability;
    let _ = writeln!(
        out,
        "  score           {:>4} / 10  {}",
        num(r.score.value),
        r.score.reason
    );
    let _ = writeln!(
        out,
        "  sustainability  {:>4} / 10  contributors {}, activity {}, security {}, governance {}",
        num(s.overall.value),
        num(s.contributors.value),
        num(s.activity.value),
        num(s.security.value),
        num(s.governance.value)
    );
    let f = &r.flags;
    let _ = writeln!(
        out,
        "  abandoned       {:<9} {}",
        yes_no(f.abandoned.value),
        f.abandoned.reason
    );
    let _ = writeln!(
        out,
        "  bus factor 1    {:<9} {}",
        yes_no(f.bus_factor_one.value),
        f.bus_factor_one.reason
    );
    if r.feature_complete {
        out.push_str("  feature-complete: activity checks waived\n");
    } else if f.feature_complete_candidate.value == Some(true) {
        let _ = writeln!(
            out,
            "  feature-complete candidate: {}",
            f.feature_complete_candidate.reason
        );
    }
    let _ = writeln!(
        out,
        "\n  {:<23} {:<9} {:<5} reason",
        "check", "risk", "score"
    );
    for c in &r.checks {
        let score = match (c.score(), c.waived) {
            (_, true) => "waived".to_owned(),
            (Some(v), _) => v.to_string(),
            (None, _) => "?".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {:<23} {:<9} {:<5} {}",
            c.name,
            c.risk.as_str(),
            score,
            c.result.reason
        );
        if !c.result.inputs.is_empty() {
            let _ = writeln!(out, "  {:39} inputs: {}", "", inputs_text(&c.result.inputs));
        }
        for d in c.details.iter().take(5) {
            let _ = writeln!(out, "  {:39} - {d}", "");
        }
        if c.details.len() > 5 {
            let _ = writeln!(
                out,
                "  {:39} - … {} more (-f json lists them)",
                "",
                c.details.len() - 5
            );
        }
    }
    let not_run: Vec<&str> = r.not_run.iter().map(|n| n.name).collect();
    let _ = writeln!(out, "  not run offline: {}", not_run.join(", "));

    let v = serde_json::to_value(&r.history).unwrap_or_default();
    if !r.history.complete && r.history.commits.value.is_none() {
        // A shallow clone: one reason for every history metric.
        let _ = writeln!(out, "\n  history: unknown ({})", r.history.commits.reason);
    } else if let Some(m) = v.as_object() {
        let _ = writeln!(out, "\n  {:<27} {:<8} reason", "history", "value");
        for (name, metric) in m {
            let Some(obj) = metric.as_object() else {
                continue;
            };
            let value = match obj.get("value") {
                Some(serde_json::Value::Null) | None => "?".to_owned(),
                Some(v) => v.to_string(),
            };
            let reason = obj
                .get("reason")
                .and_then(|r| r.as_str())
                .unwrap_or_default();
            let _ = writeln!(out, "  {name:<27} {value:<8} {reason}");
        }
    }
    let files = r.files.community.kinds();
    let present: Vec<String> = files
        .iter()
        .filter_map(|(k, p)| p.as_ref().map(|p| format!("{k} ({p})")))
        .collect();
    let missing: Vec<&str> = files
        .iter()
        .filter(|(_, p)| p.is_none())
        .map(|(k, _)| *k)
        .collect();
    let _ = writeln!(
        out,
        "\n  community files: {}",
        if present.is_empty() {
            "none".to_owned()
        } else {
            present.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "  missing: {}",
        if missing.is_empty() {
            "none".to_owned()
        } else {
            missing.join(", ")
        }
    );
    if !r.files.ci.systems.is_empty() {
        let _ = writeln!(out, "  CI: {}", r.files.ci.systems.join(", "));
    }
    if !r.files.skipped.is_empty() {
        warning(&format!(
            "{}: not read (too large or unreadable): {}",
            r.repository,
            r.files.skipped.join("; ")
        ));
    }
}

/// The upstream health of a scan's dependencies: every component whose upstream repository has
/// a clone in the mirrors folder, assessed once per clone.
#[derive(Serialize)]
pub struct UpstreamHealth {
    pub mirrors: String,
    pub as_of: String,
    /// Components checked, and how many had a clone.
    pub components: usize,
    pub found: usize,
    pub entries: Vec<UpstreamEntry>,
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<Failure>,
}

/// One component's upstream, summarised (`ospo health CLONE` has the whole report).
#[derive(Serialize)]
pub struct UpstreamEntry {
    pub purl: String,
    pub clone: ospo_health::upstream::Found,
    pub score: ospo_health::Metric<f64>,
    pub sustainability: Option<f64>,
    pub abandoned: ospo_health::Metric<bool>,
    pub bus_factor_one: ospo_health::Metric<bool>,
    pub last_commit_days: Option<i64>,
    pub last_release_days: Option<i64>,
    pub contributors_365d: Option<u64>,
}

/// The repository URL a component's installed or cached package declares, if any.
fn package_metadata(
    repo: &Path,
    c: &ospo_model::Component,
    opts: &ospo_license::locate::LocateOptions,
) -> Option<String> {
    for pd in ospo_license::locate::package_dirs(repo, c, opts) {
        for name in [
            "Cargo.toml",
            "package.json",
            "composer.json",
            "METADATA",
            "PKG-INFO",
        ] {
            let file = pd.dir.join(name);
            let Ok(meta) = std::fs::metadata(&file) else {
                continue;
            };
            if !meta.is_file() || meta.len() > 1 << 20 {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(&file)
                && let Some(url) = ospo_health::upstream::manifest_repository(name, &text)
            {
                return Some(url);
            }
        }
    }
    None
}

/// Finds each component's clone under `mirrors` and assesses it (`as_of`: now).
pub fn upstream(
    portfolio: &ospo_model::Portfolio,
    mirrors: &Path,
    paths: &[PathBuf],
) -> anyhow::Result<UpstreamHealth> {
    use std::collections::BTreeMap;
    let index = ospo_health::upstream::Mirrors::index(mirrors)
        .with_context(|| format!("failed to read the mirrors folder `{}`", mirrors.display()))?;
    let policy = paths
        .iter()
        .find(|p| p.is_dir())
        .and_then(|p| ospo_policy::load_for_root(p).ok())
        .unwrap_or_default();
    let mut opts = Options::new(super::db::now());
    if policy.health.max_inactive_days > 0 {
        opts.abandoned_after_days = policy.health.max_inactive_days;
    }
    let locate = ospo_license::locate::LocateOptions::from_env();
    // One entry per purl, the first repository that has it giving its package folder.
    let mut wanted: BTreeMap<String, ospo_health::upstream::Found> = BTreeMap::new();
    let mut components = 0usize;
    for repo in &portfolio.repositories {
        for c in repo.components() {
            if c.relationship == ospo_model::Relationship::Root
                || wanted.contains_key(c.purl.as_str())
            {
                continue;
            }
            components += 1;
            let metadata = package_metadata(&repo.path, c, &locate);
            if let Some(found) = index.find(c, metadata.as_deref()) {
                wanted.insert(c.purl.as_str().to_owned(), found);
            }
        }
    }
    let clones: std::collections::BTreeSet<&PathBuf> = wanted.values().map(|f| &f.path).collect();
    let assessed: BTreeMap<&PathBuf, Result<Report, String>> = clones
        .into_par_iter()
        .map(|p| (p, ospo_health::assess(p, &opts).map_err(|e| e.to_string())))
        .collect();
    let mut entries = Vec::new();
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for (purl, found) in &wanted {
        match assessed.get(&found.path) {
            Some(Ok(r)) => {
                let name = found.path.display().to_string();
                findings.extend(Finding::from_health(
                    r,
                    &HealthContext::dependency(&name, purl, &policy),
                ));
                entries.push(UpstreamEntry {
                    purl: purl.clone(),
                    clone: found.clone(),
                    score: r.score.clone(),
                    sustainability: r.sustainability.overall.value,
                    abandoned: r.flags.abandoned.clone(),
                    bus_factor_one: r.flags.bus_factor_one.clone(),
                    last_commit_days: r.history.last_commit_days.value,
                    last_release_days: r.history.last_release_days.value,
                    contributors_365d: r.history.contributors_365d.value,
                });
            }
            Some(Err(e)) => errors.push(Failure {
                repository: format!("{purl} ({})", found.path.display()),
                error: e.clone(),
            }),
            None => {}
        }
    }
    for e in &errors {
        warning(&e.error);
    }
    findings.sort();
    Ok(UpstreamHealth {
        mirrors: mirrors.display().to_string(),
        as_of: ospo_health::history::date(opts.as_of),
        components,
        found: wanted.len(),
        entries,
        findings,
        errors,
    })
}

/// The upstream health section of `ospo scan`'s table.
pub fn upstream_table(u: &UpstreamHealth) -> String {
    let mut out = format!(
        "upstream health ({} of {} component(s) have a clone in {}, as of {})\n",
        u.found, u.components, u.mirrors, u.as_of
    );
    for e in &u.entries {
        let mut flags = Vec::new();
        if e.abandoned.value == Some(true) {
            flags.push("ABANDONED");
        }
        if e.bus_factor_one.value == Some(true) {
            flags.push("bus factor 1");
        }
        let _ = writeln!(
            out,
            "  {:<50} score {:>4}  last commit {:>5} d  {}  ({} by {})",
            e.purl,
            num(e.score.value),
            e.last_commit_days
                .map_or_else(|| "?".to_owned(), |d| d.to_string()),
            flags.join(", "),
            e.clone.path.display(),
            e.clone.how
        );
    }
    out.trim_end().to_owned()
}
