//! Findings as values: what every check of ospo reports, whatever its domain — a stable code, a
//! severity, a risk category, the component and the exact place it comes from, a message and a
//! hint. Renderers (table, JSON, SARIF, Markdown) and the CI gate read only these.

use std::cmp::Ordering;
use std::path::PathBuf;

use ospo_model::RiskCategory;
use serde::{Deserialize, Deserializer, Serialize};

use crate::rules;

/// How serious a finding is. The names are the licence report's; [`Severity::sarif_level`]
/// gives SARIF's (`error`, `warning`, `note`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The SARIF 2.1.0 `level`.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        }
    }

    /// A `--fail-on` value: a severity, or `never` (`None`: nothing fails), any case.
    pub fn threshold(text: &str) -> Result<Option<Severity>, String> {
        match text.to_ascii_lowercase().as_str() {
            "never" => Ok(None),
            other => Severity::ALL
                .into_iter()
                .find(|s| s.as_str() == other)
                .map(Some)
                .ok_or_else(|| format!("`{other}` is not error, warning, info or never")),
        }
    }

    /// Whether this is at least as serious as `threshold`.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ospo_license::Severity> for Severity {
    fn from(s: ospo_license::Severity) -> Severity {
        match s {
            ospo_license::Severity::Error => Severity::Error,
            ospo_license::Severity::Warning => Severity::Warning,
            ospo_license::Severity::Info => Severity::Info,
        }
    }
}

/// A place in a file: relative to the repository root (a policy file: as given); line and
/// column are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub path: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

impl From<&ospo_model::Location> for Location {
    fn from(l: &ospo_model::Location) -> Location {
        Location {
            path: l.path.to_path_buf(),
            line: l.line,
            column: None,
        }
    }
}

impl From<&crate::policy::Origin> for Location {
    fn from(o: &crate::policy::Origin) -> Location {
        Location {
            path: o.file.clone(),
            line: Some(o.line),
            column: Some(o.column),
        }
    }
}

/// One finding. It reads back from a report ([`Deserialize`]) for baselines and diffs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable kebab-case code (see [`rules::all`]).
    pub code: &'static str,
    pub severity: Severity,
    pub category: RiskCategory,
    /// The repository (its folder name or path, as the scan names it); empty when not about one.
    pub repository: String,
    /// The project (its primary file, relative to the repository); empty when not about one.
    pub project: String,
    /// The component, for findings about a dependency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Where it comes from: the lockfile line of the component, the policy file line of an
    /// exception.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hint: String,
}

/// A finding as read back: its code as a string.
#[derive(Deserialize)]
struct ReadFinding {
    code: String,
    severity: Severity,
    category: RiskCategory,
    #[serde(default)]
    repository: String,
    #[serde(default)]
    project: String,
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    location: Option<Location>,
    message: String,
    #[serde(default)]
    hint: String,
}

/// The code is the registry's own `&'static str`; a code this version does not know (a report
/// of a newer ospo) is kept, leaked once per finding read.
impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Finding, D::Error> {
        let r = ReadFinding::deserialize(d)?;
        Ok(Finding {
            code: match rules::get(&r.code) {
                Some(rule) => rule.code,
                None => Box::leak(r.code.into_boxed_str()),
            },
            severity: r.severity,
            category: r.category,
            repository: r.repository,
            project: r.project,
            purl: r.purl,
            location: r.location,
            message: r.message,
            hint: r.hint,
        })
    }
}

impl Finding {
    /// A finding of a rule, with the rule's severity and category. An unknown code (a bug) is
    /// kept, as a warning about the dependency.
    pub fn new(code: &'static str, message: impl Into<String>) -> Finding {
        let (severity, category) = rules::get(code)
            .map_or((Severity::Warning, RiskCategory::Dependency), |r| {
                (r.severity, r.category)
            });
        Finding {
            code,
            severity,
            category,
            repository: String::new(),
            project: String::new(),
            purl: None,
            location: None,
            message: message.into(),
            hint: String::new(),
        }
    }

    pub fn in_project(mut self, repository: &str, project: &str) -> Finding {
        self.repository = repository.to_owned();
        self.project = project.to_owned();
        self
    }

    pub fn for_component(mut self, purl: &str) -> Finding {
        self.purl = Some(purl.to_owned());
        self
    }

    pub fn at(mut self, location: Location) -> Finding {
        self.location = Some(location);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = hint.into();
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// A licence finding of the licence report, as a finding value.
    pub fn from_license(f: &ospo_license::Finding) -> Finding {
        Finding {
            code: f.code,
            severity: f.severity.into(),
            category: f.category,
            repository: f.repository.clone(),
            project: f.project.display().to_string(),
            purl: f.purl.clone(),
            location: f.location.as_ref().map(Location::from),
            message: f.message.clone(),
            hint: f.source.clone().unwrap_or_default(),
        }
    }

    /// A vulnerability of the match report, as a finding value (its code from
    /// [`rules::vulnerability_code`]; the advisory's rating kept in the message).
    pub fn from_vuln(f: &ospo_vuln::matching::VulnFinding) -> Finding {
        let rating = match f.rated.score {
            Some(score) => format!("{} {score:.1}", f.rated.severity),
            None => f.rated.severity.to_string(),
        };
        let mut finding = Finding::new(
            rules::vulnerability_code(f),
            format!(
                "{} ({rating}) in `{}@{}`: {}",
                f.id, f.name, f.version, f.summary
            ),
        )
        .in_project(&f.repository, &f.project)
        .for_component(&f.purl);
        finding.category = f.risk;
        if let Some(l) = f.locations.first() {
            finding = finding.at(Location::from(l));
        }
        match &f.upgrade {
            Some(v) => finding.with_hint(format!("upgrade to {v}")),
            None if f.fixed.is_empty() => {
                finding.with_hint("no fixed version: replace the package, or record why it does not apply (VEX or an ignore)")
            }
            None => finding.with_hint(format!("fixed in {}", f.fixed.join(", "))),
        }
    }

    /// An error of the policy file, as a `policy-invalid` finding at its place.
    pub fn from_policy_error(e: &crate::PolicyError) -> Finding {
        Finding::new(rules::POLICY_INVALID.code, e.message.clone())
            .at(Location {
                path: e.file.clone(),
                line: e.line,
                column: e.column,
            })
            .with_hint("`ospo policy check-file` lists every error")
    }

    /// A stable identity for baselines and code-scanning tools: the code, repository, project,
    /// component, file and message, without line numbers (a lockfile that grows above the
    /// finding does not make it new). 16 hex digits of SHA-256.
    pub fn fingerprint(&self) -> String {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for part in [
            self.code,
            &self.repository,
            &self.project,
            self.purl.as_deref().unwrap_or_default(),
            &self
                .location
                .as_ref()
                .map(|l| l.path.to_string_lossy().into_owned())
                .unwrap_or_default(),
            &self.message,
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let digest = h.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The order findings are shown in: by repository, project, place, code, component, message.
    fn key(&self) -> impl Ord + '_ {
        (
            &self.repository,
            &self.project,
            &self.location,
            self.code,
            &self.purl,
            &self.message,
            self.severity,
        )
    }
}

impl PartialOrd for Finding {
    fn partial_cmp(&self, other: &Finding) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Finding {
    fn cmp(&self, other: &Finding) -> Ordering {
        self.key()
            .cmp(&other.key())
            .then_with(|| self.hint.cmp(&other.hint))
            .then_with(|| self.category.cmp(&other.category))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_map_to_sarif() {
        assert!(Severity::Error.at_least(Severity::Warning));
        assert!(!Severity::Info.at_least(Severity::Warning));
        assert_eq!(Severity::Info.sarif_level(), "note");
        assert_eq!(Severity::threshold("Warning"), Ok(Some(Severity::Warning)));
        assert_eq!(Severity::threshold("never"), Ok(None));
        assert!(
            Severity::threshold("severe")
                .unwrap_err()
                .contains("`severe`")
        );
        assert_eq!(
            serde_json::to_string(&Severity::Warning).unwrap(),
            "\"warning\""
        );
    }

    #[test]
    fn vulnerabilities_and_policy_errors_become_findings() {
        use ospo_vuln::matching::{Certainty, Kind, VulnFinding};
        use ospo_vuln::severity::{Rated, Severity as S};
        let mut v = VulnFinding {
            id: "RUSTSEC-2022-0013".into(),
            aliases: vec!["CVE-2022-24713".into()],
            kind: Kind::Vulnerability,
            certainty: Certainty::Affected,
            summary: "Regexes with large repetitions on empty sub-expressions take a very long time to parse".into(),
            risk: RiskCategory::Dependency,
            rated: Rated {
                severity: S::High,
                score: Some(7.5),
                vector: None,
            },
            repository: "ripgrep".into(),
            project: "Cargo.lock".into(),
            purl: "pkg:cargo/regex@1.2.0".into(),
            ecosystem: "crates.io".into(),
            name: "regex".into(),
            version: "1.2.0".into(),
            locations: vec![ospo_model::Location {
                path: std::path::Path::new("Cargo.lock").into(),
                line: Some(412),
            }],
            fixed: vec!["1.5.5".into()],
            upgrade: Some("1.5.5".into()),
            symbols: vec![],
            references: vec![],
            suppressed: None,
        };
        let f = Finding::from_vuln(&v);
        assert_eq!(f.code, "vulnerability-high");
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.location.as_ref().unwrap().to_string(), "Cargo.lock:412");
        assert!(
            f.message
                .starts_with("RUSTSEC-2022-0013 (high 7.5) in `regex@1.2.0`")
        );
        assert_eq!(f.hint, "upgrade to 1.5.5");
        v.kind = Kind::Informational("unmaintained".into());
        assert_eq!(Finding::from_vuln(&v).code, "vulnerability-informational");
        v.kind = Kind::Vulnerability;
        v.certainty = Certainty::Undecidable("git ranges".into());
        assert_eq!(Finding::from_vuln(&v).code, "vulnerability-undecidable");

        let e = crate::PolicyError {
            file: "ospo.toml".into(),
            line: Some(3),
            column: Some(17),
            message: "bad".into(),
        };
        let f = Finding::from_policy_error(&e);
        assert_eq!(f.code, "policy-invalid");
        assert_eq!(f.location.unwrap().to_string(), "ospo.toml:3:17");
    }

    #[test]
    fn findings_sort_by_place_then_code() {
        let at = |line| Location {
            path: "Cargo.lock".into(),
            line: Some(line),
            column: None,
        };
        let mut v = [
            Finding::new(rules::BAN_DENIED.code, "b").at(at(9)),
            Finding::new(rules::POLICY_EXCEPTION_UNUSED.code, "a").at(at(3)),
            Finding::new(rules::BAN_DENIED.code, "a").at(at(3)),
        ];
        v.sort();
        let order: Vec<_> = v.iter().map(|f| (f.code, f.message.as_str())).collect();
        assert_eq!(
            order,
            [
                ("ban-denied", "a"),
                ("policy-exception-unused", "a"),
                ("ban-denied", "b")
            ]
        );
        assert_eq!(v[0].severity, Severity::Error);
    }
}
