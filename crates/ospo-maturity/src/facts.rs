//! The automatic evidence, as plain data: what a scan found in each repository and once for the
//! portfolio. Each fact is either known, with the evidence it rests on (paths, commands), or
//! unknown with the reason; [`crate::assess`] turns facts into criterion results. The file
//! probes ([`crate::probe`]) fill most of a [`RepoFacts`]; the inventory comes from the scan
//! ([`inventory_of`]), the vulnerability database from its status ([`vuln_db_of`]); the
//! organisation's upstream contributions are measured by `ospo assess --mirrors DIR --org-domain D`
//! (ospo-health reads the dependencies' clones), else unknown.

use std::path::PathBuf;

use ospo_model::{Level, Repository};
use serde::Serialize;
use time::Date;

/// A fact: known with its evidence, or unknown and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Fact<T> {
    Known { value: T, evidence: Vec<String> },
    Unknown { reason: String },
}

impl<T> Fact<T> {
    pub fn known(value: T, evidence: Vec<String>) -> Fact<T> {
        Fact::Known { value, evidence }
    }

    pub fn unknown(reason: impl Into<String>) -> Fact<T> {
        Fact::Unknown {
            reason: reason.into(),
        }
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Fact::Known { value, .. } => Some(value),
            Fact::Unknown { .. } => None,
        }
    }
}

/// What the inventory found in a repository.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Inventory {
    pub projects: usize,
    pub components: usize,
    /// Files that could not be read (error diagnostics).
    pub errors: usize,
}

/// A repository's `ospo.toml`, as `ospo_policy::load` read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyFile {
    pub path: String,
    /// Validation errors (`file:line:column: message`); empty when the policy is valid.
    pub errors: Vec<String>,
    /// Its exceptions (every one has a reason: the loader rejects those without).
    pub exceptions: Vec<PolicyException>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyException {
    /// `[licenses] exceptions`, `[vulnerabilities] ignore`…, and what it is about.
    pub subject: String,
    #[serde(serialize_with = "crate::date_opt")]
    pub expires: Option<Date>,
    /// `file:line:column`.
    pub place: String,
}

/// A tool named in a CI file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Tool {
    pub name: String,
    pub file: String,
}

/// The CI configuration of a repository.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ci {
    /// CI files found (GitHub workflows, .gitlab-ci.yml, Jenkinsfile…).
    pub files: Vec<String>,
    /// Software composition analysis tools they run.
    pub sca: Vec<Tool>,
    /// SBOM generators they run.
    pub sbom: Vec<Tool>,
    /// Dependency health checks (Scorecard, `ospo health`).
    pub health: Vec<Tool>,
    /// Third-party notice generators.
    pub notice: Vec<Tool>,
    /// Dependency update bots configured (Dependabot, Renovate): their config files.
    pub update_bots: Vec<String>,
}

/// A security policy file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecurityPolicy {
    pub file: String,
    /// E-mail addresses and URLs found in it.
    pub contacts: Vec<String>,
}

/// Everything known about one repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RepoFacts {
    pub name: String,
    pub path: PathBuf,
    pub inventory: Fact<Inventory>,
    /// SBOM files committed to the repository.
    pub sbom_files: Fact<Vec<String>>,
    pub policy: Fact<Option<PolicyFile>>,
    pub ci: Fact<Ci>,
    pub security_policy: Fact<Option<SecurityPolicy>>,
    pub licence_files: Fact<Vec<String>>,
    pub contributing: Fact<Vec<String>>,
    pub code_of_conduct: Fact<Vec<String>>,
    /// CODEOWNERS, GOVERNANCE, MAINTAINERS, OWNERS.
    pub ownership: Fact<Vec<String>>,
    /// NOTICE and third-party notices files.
    pub notice_files: Fact<Vec<String>>,
}

impl RepoFacts {
    /// A repository nothing is known about yet.
    pub fn unknown(name: impl Into<String>, path: impl Into<PathBuf>, reason: &str) -> RepoFacts {
        RepoFacts {
            name: name.into(),
            path: path.into(),
            inventory: Fact::unknown(reason),
            sbom_files: Fact::unknown(reason),
            policy: Fact::unknown(reason),
            ci: Fact::unknown(reason),
            security_policy: Fact::unknown(reason),
            licence_files: Fact::unknown(reason),
            contributing: Fact::unknown(reason),
            code_of_conduct: Fact::unknown(reason),
            ownership: Fact::unknown(reason),
            notice_files: Fact::unknown(reason),
        }
    }
}

/// One ecosystem of the vulnerability database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DbEcosystem {
    pub name: String,
    pub age_days: Option<i64>,
    pub stale: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VulnDb {
    pub path: String,
    pub max_age_days: i64,
    pub ecosystems: Vec<DbEcosystem>,
}

/// The organisation's contributions to its dependencies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Upstream {
    /// The organisation's e-mail domains the commits were matched with.
    pub domains: Vec<String>,
    /// Commits from those domains in the dependencies' histories.
    pub commits: u64,
    /// The dependencies they are in.
    pub projects: Vec<String>,
}

/// The facts of a whole portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortfolioFacts {
    pub repositories: Vec<RepoFacts>,
    pub vuln_db: Fact<VulnDb>,
    pub upstream: Fact<Upstream>,
}

impl PortfolioFacts {
    /// Repositories, with the portfolio-wide facts unknown.
    pub fn new(mut repositories: Vec<RepoFacts>) -> PortfolioFacts {
        repositories.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.name.cmp(&b.name)));
        PortfolioFacts {
            repositories,
            vuln_db: Fact::unknown("no vulnerability database was looked at"),
            upstream: Fact::unknown(UPSTREAM_UNKNOWN),
        }
    }
}

/// Why upstream contributions are unknown when they were not measured.
pub const UPSTREAM_UNKNOWN: &str = "not measured: needs the organisation's e-mail domains and clones of its dependencies (`ospo assess --mirrors DIR --org-domain DOMAIN`)";

/// Evidence lists are capped so one criterion cannot print a thousand paths.
pub const EVIDENCE_CAP: usize = 8;

pub(crate) fn capped(mut items: Vec<String>) -> Vec<String> {
    if items.len() > EVIDENCE_CAP {
        let more = items.len() - EVIDENCE_CAP;
        items.truncate(EVIDENCE_CAP);
        items.push(format!("…and {more} more"));
    }
    items
}

/// The inventory fact of a scanned repository.
pub fn inventory_of(repo: &Repository) -> Fact<Inventory> {
    let errors = repo
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let inventory = Inventory {
        projects: repo.projects.len(),
        components: repo.projects.iter().map(|p| p.components.len()).sum(),
        errors,
    };
    let mut evidence: Vec<String> = repo
        .projects
        .iter()
        .map(|p| {
            format!(
                "{} ({} component(s), {})",
                p.path.display(),
                p.components.len(),
                p.extractor
            )
        })
        .collect();
    evidence.sort();
    evidence.dedup();
    evidence.extend(
        repo.diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .map(|d| format!("unreadable: {}: {}", d.path.display(), d.message)),
    );
    Fact::known(inventory, capped(evidence))
}

/// The vulnerability database fact, from `ospo_vuln::Database::status`.
pub fn vuln_db_of(status: &ospo_vuln::db::Status, max_age_days: i64) -> Fact<VulnDb> {
    let mut ecosystems: Vec<DbEcosystem> = status
        .ecosystems
        .iter()
        .map(|e| DbEcosystem {
            name: e.meta.ecosystem.clone(),
            age_days: e.age_days,
            stale: e.stale,
        })
        .collect();
    ecosystems.sort_by(|a, b| a.name.cmp(&b.name));
    let evidence = vec![format!(
        "`ospo db status` of {}: {} ecosystem(s)",
        status.path.display(),
        ecosystems.len()
    )];
    Fact::known(
        VulnDb {
            path: status.path.display().to_string(),
            max_age_days,
            ecosystems,
        },
        evidence,
    )
}
