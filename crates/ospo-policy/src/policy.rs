//! Stage two: the validated policy, with typed values (licence classes, severities, purls,
//! version requirements, dates) and every exception with the file, line and column it came from.

use std::path::PathBuf;

use ospo_license::classes::{Class, Preference};
use ospo_license::expr::Expr;
use ospo_model::{Ecosystem, Purl, Source};
use ospo_version::{Scheme, VersionReq};
use ospo_vuln::severity::Severity as VulnSeverity;
use ospo_vuln::vex::Ignore;
use time::Date;

/// The effective policy of a repository: its file merged over the files it extends, over the
/// defaults.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The files the policy was read from, the base first (`ospo:<profile>` for a built-in
    /// profile); empty for the built-in defaults.
    pub files: Vec<PathBuf>,
    pub licenses: Licenses,
    pub vulnerabilities: Vulnerabilities,
    pub bans: Bans,
    pub sources: Sources,
    pub health: Health,
    pub secrets: Secrets,
    /// Every exception of every section: base files first, and within a file by table
    /// (clarifications, licence exceptions, ignores, ban exceptions), each in file order. The
    /// sections refer to them by index.
    pub exceptions: Vec<Exception>,
}

/// A place in a policy file (line and column are 1-based; the column counts characters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Origin {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

impl Origin {
    /// The same place with its file relative to `root` when it lies under it (a repository's
    /// own policy file), so a message does not depend on where the repository was checked out.
    pub fn relative_to(&self, root: &std::path::Path) -> Origin {
        let file = self.file.strip_prefix(root).unwrap_or(&self.file);
        Origin {
            file: file.to_path_buf(),
            ..self.clone()
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// What an exception is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionKind {
    /// `[[licenses.clarify]]`
    LicenseClarification,
    /// `[[licenses.exceptions]]`
    LicenseException,
    /// `[[vulnerabilities.ignore]]`
    VulnerabilityIgnore,
    /// `[[bans.exceptions]]`
    BanException,
}

impl ExceptionKind {
    /// The table it is written in.
    pub fn table(self) -> &'static str {
        match self {
            ExceptionKind::LicenseClarification => "licenses.clarify",
            ExceptionKind::LicenseException => "licenses.exceptions",
            ExceptionKind::VulnerabilityIgnore => "vulnerabilities.ignore",
            ExceptionKind::BanException => "bans.exceptions",
        }
    }

    /// The section whose evaluation can use it.
    pub fn section(self) -> Section {
        match self {
            ExceptionKind::LicenseClarification | ExceptionKind::LicenseException => {
                Section::Licenses
            }
            ExceptionKind::VulnerabilityIgnore => Section::Vulnerabilities,
            ExceptionKind::BanException => Section::Bans,
        }
    }
}

/// The sections of a policy that an evaluation covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Licenses,
    Vulnerabilities,
    Bans,
    Sources,
    Health,
    Secrets,
}

/// One exception: what it is about, why, until when, and where it is written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Exception {
    pub kind: ExceptionKind,
    /// The package or advisory it is about, as written.
    pub subject: String,
    pub reason: String,
    /// The last day it applies; `None` only for clarifications without one.
    #[serde(serialize_with = "date_text")]
    pub expires: Option<Date>,
    pub origin: Origin,
}

impl Exception {
    /// Whether it still applies on `today` (it applies through its expiry day).
    pub fn is_live(&self, today: Date) -> bool {
        self.expires.is_none_or(|e| today <= e)
    }
}

fn date_text<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&d.to_string()),
        None => s.serialize_none(),
    }
}

/// A package as a policy names it: a purl whose version, when given, must match too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSpec {
    /// As written in the file.
    pub text: String,
    pub purl: Purl,
}

impl PackageSpec {
    /// Reads a purl (`pkg:npm/left-pad`, version optional) or `<ecosystem>:<name>`
    /// (`npm:left-pad`, `Maven:org.slf4j:slf4j-api`, `crates.io:openssl`).
    pub fn parse(text: &str) -> Result<PackageSpec, String> {
        let text = text.trim();
        let purl = if text.starts_with("pkg:") {
            text.parse::<Purl>()
                .map_err(|e| format!("`{text}` is not a valid package URL: {e}"))?
        } else {
            let Some((eco, name)) = text.split_once(':') else {
                return Err(format!(
                    "`{text}` is neither a package URL (`pkg:npm/left-pad`) nor `<ecosystem>:<name>` (`npm:left-pad`)"
                ));
            };
            let ecosystem = Ecosystem::from_osv_name(eco)
                .or_else(|| Ecosystem::from_purl_type(eco))
                .ok_or_else(|| {
                    format!("`{eco}` is not an ecosystem ospo knows (crates.io, npm, PyPI, Go, Maven, NuGet, RubyGems, Packagist, …)")
                })?;
            Purl::for_package(ecosystem, name, None)
                .map_err(|e| format!("`{text}` does not name a package: {e}"))?
        };
        Ok(PackageSpec {
            text: text.to_owned(),
            purl,
        })
    }

    /// Whether a component's purl is this package (and this version, when one is given).
    pub fn matches(&self, purl: &Purl) -> bool {
        self.purl.covers(purl)
    }
}

#[derive(Clone, Debug)]
pub struct Licenses {
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    pub allow_classes: Vec<Class>,
    pub deny_classes: Vec<Class>,
    pub prefer: Vec<String>,
    pub clarify: Vec<Clarification>,
    pub exceptions: Vec<LicenseException>,
}

#[derive(Clone, Debug)]
pub struct Clarification {
    pub package: PackageSpec,
    pub expression: Expr,
    /// Index into [`Policy::exceptions`].
    pub exception: usize,
}

#[derive(Clone, Debug)]
pub struct LicenseException {
    pub package: PackageSpec,
    pub allow: Vec<String>,
    /// Index into [`Policy::exceptions`].
    pub exception: usize,
}

/// What the policy says of one licence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LicenseDecision {
    Allowed,
    /// Denied, and why (`denied by id`, `class network-copyleft is denied`, …).
    Denied(String),
}

impl Licenses {
    /// The preference the licence engine uses to choose a side of `OR`: denied ids are never
    /// taken, only allowed classes are, preferred ids first.
    pub fn preference(&self) -> Preference {
        let allowed: Vec<Class> = Class::ALL
            .iter()
            .copied()
            .filter(|c| self.allow_classes.is_empty() || self.allow_classes.contains(c))
            .filter(|c| !self.deny_classes.contains(c))
            .collect();
        Preference {
            denied: self.deny.clone(),
            allowed_classes: (allowed.len() != Class::ALL.len()).then_some(allowed),
            preferred: self.prefer.clone(),
        }
    }

    /// Whether one licence (its id, without `+` or exception, and its class) is allowed: `allow`
    /// first, then `deny`, `deny-classes` and `allow-classes`. Package exceptions are separate
    /// ([`Policy::license_exception`]).
    pub fn decide(&self, id: &str, class: Class) -> LicenseDecision {
        if self.allow.iter().any(|a| a == id) {
            LicenseDecision::Allowed
        } else if self.deny.iter().any(|d| d == id) {
            LicenseDecision::Denied(format!("`{id}` is in licenses.deny"))
        } else if self.deny_classes.contains(&class) {
            LicenseDecision::Denied(format!(
                "`{id}` is {class}, a class in licenses.deny-classes"
            ))
        } else if !self.allow_classes.is_empty() && !self.allow_classes.contains(&class) {
            LicenseDecision::Denied(format!(
                "`{id}` is {class}, not a class in licenses.allow-classes"
            ))
        } else {
            LicenseDecision::Allowed
        }
    }
}

impl Policy {
    /// The live `[[licenses.exceptions]]` entry allowing licence `id` for a component, if any;
    /// it is marked used.
    pub fn license_exception(
        &self,
        purl: &Purl,
        id: &str,
        today: Date,
        usage: &crate::Usage,
    ) -> Option<&LicenseException> {
        let found = self.licenses.exceptions.iter().find(|e| {
            e.package.matches(purl)
                && e.allow.iter().any(|a| a == id)
                && self
                    .exceptions
                    .get(e.exception)
                    .is_some_and(|x| x.is_live(today))
        })?;
        usage.mark(found.exception);
        Some(found)
    }

    /// The live `[[licenses.clarify]]` entry for a component, if any; it is marked used.
    pub fn license_clarification(
        &self,
        purl: &Purl,
        today: Date,
        usage: &crate::Usage,
    ) -> Option<&Clarification> {
        let found = self.licenses.clarify.iter().find(|c| {
            c.package.matches(purl)
                && self
                    .exceptions
                    .get(c.exception)
                    .is_some_and(|x| x.is_live(today))
        })?;
        usage.mark(found.exception);
        Some(found)
    }
}

#[derive(Clone, Debug)]
pub struct Vulnerabilities {
    /// `None`: `never`.
    pub fail_on: Option<VulnSeverity>,
    /// VEX documents, resolved against the policy file that names them.
    pub vex: Vec<PathBuf>,
    pub ignore: Vec<VulnerabilityIgnore>,
}

#[derive(Clone, Debug)]
pub struct VulnerabilityIgnore {
    pub ignore: Ignore,
    /// Index into [`Policy::exceptions`].
    pub exception: usize,
}

#[derive(Clone, Debug)]
pub struct Bans {
    pub deny: Vec<Ban>,
    pub exceptions: Vec<BanException>,
}

#[derive(Clone, Debug)]
pub struct Ban {
    pub package: PackageSpec,
    /// `None`: every version.
    pub versions: Option<VersionReq>,
    pub reason: String,
    pub origin: Origin,
}

impl Ban {
    /// Whether a component (its purl with a version) is banned by this entry. A version the
    /// ecosystem's scheme cannot read is banned when the ban covers every version only.
    pub fn matches(&self, purl: &Purl) -> bool {
        if !self.package.matches(&purl.without_version()) {
            return false;
        }
        let Some(req) = &self.versions else {
            return true;
        };
        let Some(version) = purl.version() else {
            return false;
        };
        req.scheme().parse(version).is_ok_and(|v| req.matches(&v))
    }
}

#[derive(Clone, Debug)]
pub struct BanException {
    pub package: PackageSpec,
    /// Index into [`Policy::exceptions`].
    pub exception: usize,
}

impl Bans {
    /// The first ban that covers the component.
    pub fn ban_of(&self, purl: &Purl) -> Option<&Ban> {
        self.deny.iter().find(|b| b.matches(purl))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowGit {
    All,
    None,
    Hosts(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct Sources {
    pub allow_registries: Vec<String>,
    pub allow_git: AllowGit,
    pub allow_path: bool,
    pub allow_url: bool,
}

impl Sources {
    /// The rule code a component's source breaks, if any. A registry the lockfile does not name
    /// is the ecosystem's default one and always allowed.
    pub fn check(&self, source: &Source) -> Option<&'static str> {
        match source {
            Source::Registry { url: Some(url) } => (!self.allow_registries.is_empty()
                && !self.allow_registries.iter().any(|r| {
                    url.trim_end_matches('/')
                        .starts_with(r.trim_end_matches('/'))
                }))
            .then_some(crate::rules::SOURCE_REGISTRY_NOT_ALLOWED.code),
            Source::Git { url, .. } => {
                let allowed = match &self.allow_git {
                    AllowGit::All => true,
                    AllowGit::None => false,
                    AllowGit::Hosts(hosts) => git_host(url)
                        .is_some_and(|h| hosts.iter().any(|a| a.eq_ignore_ascii_case(&h))),
                };
                (!allowed).then_some(crate::rules::SOURCE_GIT_NOT_ALLOWED.code)
            }
            Source::Path { .. } => {
                (!self.allow_path).then_some(crate::rules::SOURCE_PATH_NOT_ALLOWED.code)
            }
            Source::Url { .. } => {
                (!self.allow_url).then_some(crate::rules::SOURCE_URL_NOT_ALLOWED.code)
            }
            Source::Registry { url: None } | Source::Unknown => None,
        }
    }
}

/// The host of a git URL: `https://github.com/a/b`, `git+ssh://git@github.com/a/b`,
/// `git@github.com:a/b`.
fn git_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let host = rest.split(['/', ':']).next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[derive(Clone, Debug)]
pub struct Health {
    /// 0: not checked.
    pub min_score: f64,
    /// 0: not checked.
    pub max_inactive_days: u32,
}

#[derive(Clone, Debug)]
pub struct Secrets {
    pub allow_paths: Vec<String>,
    pub scan_history: bool,
}

/// The scheme a package's versions are read with.
pub fn scheme_of(purl: &Purl) -> Option<Scheme> {
    Scheme::for_ecosystem(purl.ecosystem()?.osv_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_specs() {
        let p = PackageSpec::parse("npm:@babel/core").unwrap();
        assert_eq!(p.purl.as_str(), "pkg:npm/%40babel/core");
        let m = PackageSpec::parse("Maven:org.slf4j:slf4j-api").unwrap();
        assert_eq!(m.purl.as_str(), "pkg:maven/org.slf4j/slf4j-api");
        let any: Purl = "pkg:maven/org.slf4j/slf4j-api@2.0.0".parse().unwrap();
        assert!(m.matches(&any));
        let pinned = PackageSpec::parse("pkg:cargo/time@0.1.43").unwrap();
        assert!(!pinned.matches(&"pkg:cargo/time@0.3.0".parse().unwrap()));
        assert!(pinned.matches(&"pkg:cargo/time@0.1.43".parse().unwrap()));
        assert!(PackageSpec::parse("left-pad").is_err());
        assert!(PackageSpec::parse("cobol:x").is_err());
    }

    #[test]
    fn git_hosts() {
        assert_eq!(
            git_host("https://github.com/a/b").as_deref(),
            Some("github.com")
        );
        assert_eq!(
            git_host("git+ssh://git@GitLab.com/a/b.git").as_deref(),
            Some("gitlab.com")
        );
        assert_eq!(
            git_host("git@github.com:a/b").as_deref(),
            Some("github.com")
        );
    }
}
