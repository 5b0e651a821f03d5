//! Project health and sustainability from a git clone, offline: what an OSPO asks of its own
//! repositories (Codebase and Staff risk) and of its dependencies' upstream repositories
//! (Dependency risk) — is it maintained, by how many people and organisations, released, reviewed,
//! and does it follow OpenSSF Scorecard's practices?
//!
//! The pieces: [`history`] walks the commits reachable from HEAD and the version tags (gix, headers
//! only), [`identity`] merges people and tells bots and organisations apart, [`files`] checks
//! HEAD's tree, [`score`] turns both into 0–10 scores with their inputs, and [`upstream`] maps a
//! dependency to its upstream repository and finds its clone in a folder of mirrors.
//!
//! Every number carries its inputs and a one-line reason ([`Metric`]); unknown inputs are never
//! scored 0. Nothing here reads the clock: the date of the assessment is [`Options::as_of`].

pub mod files;
pub mod history;
pub mod identity;
pub mod metric;
pub mod score;
pub mod upstream;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use files::FileChecks;
pub use history::HistoryMetrics;
pub use identity::{Mailmap, OrgMap};
pub use metric::Metric;
pub use score::{Check, Flags, Risk, Sustainability};

/// The version of the JSON health document.
pub const SCHEMA: &str = "ospo-health/1";

/// Days without a commit and a release after which a project counts as abandoned, by default.
pub const DEFAULT_ABANDONED_DAYS: u32 = 365;

/// A repository that cannot be assessed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("`{}` is not a git repository that can be opened: {message}", path.display())]
    Open { path: PathBuf, message: String },
    #[error("failed to read the git repository `{}`: {message}", path.display())]
    Read { path: PathBuf, message: String },
}

/// How to assess.
#[derive(Clone, Debug)]
pub struct Options {
    /// The date of the assessment (Unix seconds): ages are counted to it, later commits and tags
    /// are ignored.
    pub as_of: i64,
    /// Mail domain → organisation, for the elephant factor and the Contributors check.
    pub org_map: OrgMap,
    /// The project is declared feature-complete: activity checks are waived.
    pub feature_complete: bool,
    /// Days without a commit and a release after which the project counts as abandoned.
    pub abandoned_after_days: u32,
}

impl Options {
    pub fn new(as_of: i64) -> Options {
        Options {
            as_of,
            org_map: OrgMap::new(),
            feature_complete: false,
            abandoned_after_days: DEFAULT_ABANDONED_DAYS,
        }
    }
}

/// The health of one repository.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The path as given.
    pub repository: String,
    /// `YYYY-MM-DD` of [`Options::as_of`].
    pub as_of: String,
    /// HEAD's commit id, when there is one.
    pub head: Option<String>,
    pub shallow: bool,
    /// The aggregate score (0–10) of the checks.
    pub score: Metric<f64>,
    pub sustainability: Sustainability,
    pub flags: Flags,
    pub feature_complete: bool,
    pub checks: Vec<Check>,
    /// Scorecard checks that cannot run offline.
    pub not_run: &'static [score::NotRun],
    pub history: HistoryMetrics,
    pub files: FileChecks,
}

impl Report {
    /// A check by name.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// Opens a repository with no ambient configuration (no global or system git config, no
/// environment): the result depends on the repository alone.
pub fn open(path: &Path) -> Result<gix::Repository, Error> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(Error::Open {
            path: path.to_owned(),
            message: e.to_string(),
        });
    }
    gix::open_opts(path, gix::open::Options::isolated()).map_err(|e| Error::Open {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// The commits of people from the organisation — an author e-mail in one of `domains` or a
/// subdomain of one — in the `days` days before `as_of` (Unix seconds): what the organisation
/// contributed to this project. Identities are merged through the project's `.mailmap` first;
/// bots are left out. For the maturity assessment's upstream evidence.
pub fn contributions(path: &Path, domains: &[String], as_of: i64, days: i64) -> Result<u64, Error> {
    let repo = open(path)?;
    let mailmap = files::Tree::head(&repo, path)
        .ok()
        .and_then(|tree| {
            let entry = tree.entries.iter().find(|e| e.path == ".mailmap")?;
            tree.read(entry)
        })
        .map(|b| Mailmap::parse(&String::from_utf8_lossy(&b)))
        .unwrap_or_default();
    let history = history::read(&repo, path, &mailmap, &OrgMap::new())?;
    let from = as_of.saturating_sub(days.saturating_mul(86_400));
    let ours = |email: &str| {
        let Some((_, domain)) = email.rsplit_once('@') else {
            return false;
        };
        let domain = domain.to_ascii_lowercase();
        domains.iter().any(|d| {
            let d = d.trim().trim_start_matches('@').to_ascii_lowercase();
            !d.is_empty() && (domain == d || domain.ends_with(&format!(".{d}")))
        })
    };
    let count = history
        .commits
        .iter()
        .filter(|c| c.author_time > from && c.author_time <= as_of)
        .filter(|c| {
            history
                .people
                .get(c.author)
                .is_some_and(|p| p.bot.is_none() && ours(&p.email))
        })
        .count();
    Ok(count as u64)
}

/// Assesses the repository at `path` (a work tree, its `.git` folder or a bare clone).
pub fn assess(path: &Path, opts: &Options) -> Result<Report, Error> {
    let repo = open(path)?;
    let tree = files::Tree::head(&repo, path)?;
    let mailmap = tree
        .entries
        .iter()
        .find(|e| e.path == ".mailmap")
        .and_then(|e| tree.read(e))
        .map(|b| Mailmap::parse(&String::from_utf8_lossy(&b)))
        .unwrap_or_default();
    let file_checks = files::check(&tree);
    let history = history::read(&repo, path, &mailmap, &opts.org_map)?;
    let head = match repo.head_id() {
        Ok(id) if history.has_head => Some(id.to_string()),
        _ => None,
    };
    let metrics = history::metrics(&history, opts);
    Ok(report(
        path,
        head,
        history.shallow,
        metrics,
        file_checks,
        opts,
    ))
}

/// Scores metrics and file checks into a report.
pub fn report(
    path: &Path,
    head: Option<String>,
    shallow: bool,
    history: HistoryMetrics,
    files: FileChecks,
    opts: &Options,
) -> Report {
    let checks = score::checks(&history, &files, opts);
    let aggregate = score::aggregate(&checks);
    let sustainability = score::sustainability(&history, &files, &checks, opts);
    let flags = score::flags(&history, &files, opts);
    Report {
        repository: path.display().to_string(),
        as_of: history::date(opts.as_of),
        head,
        shallow,
        score: aggregate,
        sustainability,
        flags,
        feature_complete: opts.feature_complete,
        checks,
        not_run: score::NOT_RUN,
        history,
        files,
    }
}
