//! What the policy makes of an inventory and its reports: bans (`ban-denied`) and sources
//! (`source-*-not-allowed`) from the inventory itself ([`inventory`]); the licence report judged
//! by the licence rules ([`licenses`], with [`Policy::license_options`] telling the licence
//! engine which side of an `OR` to take and what the policy clarified); the vulnerability
//! matches with VEX documents and ignores applied and `fail-on` deciding what is an error
//! ([`vulnerabilities`]). A repository's own packages (`Relationship::Root`) are never judged.
//! Every function marks the exceptions it used in a [`Usage`] and says which sections it
//! evaluated, so [`Policy::exception_findings`] can tell the unused ones.

use ospo_license::report::{Clarification, ComponentLicense, LicenseReport};
use ospo_model::{Component, Relationship, Repository, Source};
use ospo_vuln::matching::{Certainty, Kind, MatchReport};
use ospo_vuln::vex::{self, IgnoreOutcome, Statement};
use time::Date;

use crate::finding::{Finding, Location, Severity};
use crate::policy::{LicenseDecision, Policy, Section};
use crate::rules;
use crate::usage::Usage;

impl Policy {
    /// The licence engine's options from the policy: its preference for `OR`, and the
    /// clarifications live on `today` (tagged with their index in `licenses.clarify`).
    pub fn license_options(
        &self,
        today: Date,
    ) -> (ospo_license::classes::Preference, Vec<Clarification>) {
        let clarify = self
            .licenses
            .clarify
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                self.exceptions
                    .get(c.exception)
                    .is_some_and(|e| e.is_live(today))
            })
            .map(|(i, c)| Clarification {
                package: c.package.purl.clone(),
                expression: c.expression.clone(),
                tag: i,
            })
            .collect();
        (self.licenses.preference(), clarify)
    }
}

/// The licence report's findings, and `license-denied` for every dependency whose chosen
/// licence the policy denies (unless a live `[[licenses.exceptions]]` entry allows that id for
/// the package). Marks the clarifications the report used (the report must have been made with
/// [`Policy::license_options`]) and the exceptions that decided a case. Sorted.
pub fn licenses(
    policy: &Policy,
    report: &LicenseReport,
    today: Date,
    usage: &Usage,
) -> Vec<Finding> {
    let mut out: Vec<Finding> = report.findings.iter().map(Finding::from_license).collect();
    for repo in &report.repositories {
        for project in &repo.projects {
            let project_path = project.path.display().to_string();
            for c in &project.components {
                if let Some(i) = c.clarified_by
                    && let Some(k) = policy.licenses.clarify.get(i)
                {
                    usage.mark(k.exception);
                }
                if c.relationship == Relationship::Root {
                    continue;
                }
                if let Some(f) = denied(policy, c, today, usage) {
                    out.push(f.in_project(&repo.name, &project_path));
                }
            }
        }
    }
    usage.evaluated(Section::Licenses);
    out.sort();
    out
}

/// `license-denied` for one component, when a licence of the side taken is denied.
fn denied(policy: &Policy, c: &ComponentLicense, today: Date, usage: &Usage) -> Option<Finding> {
    let chosen = c.chosen_expr.as_ref()?;
    let Ok(purl) = c.purl.parse::<ospo_model::Purl>() else {
        return None;
    };
    let mut why = Vec::new();
    for term in chosen.terms() {
        let class = ospo_license::classes::class_of_term(term);
        if let LicenseDecision::Denied(reason) = policy.licenses.decide(&term.id, class)
            && policy
                .license_exception(&purl, &term.id, today, usage)
                .is_none()
        {
            why.push(reason);
        }
    }
    if why.is_empty() {
        return None;
    }
    why.dedup();
    let name = match &c.version {
        Some(v) => format!("`{}@{v}`", c.name),
        None => format!("`{}`", c.name),
    };
    let mut f = Finding::new(
        rules::LICENSE_DENIED.code,
        format!(
            "{name} is licensed {}: {}",
            c.concluded,
            why.join("; ")
        ),
    )
    .for_component(&c.purl)
    .with_hint(
        "replace the dependency; or, when legal has agreed, add a [[licenses.exceptions]] entry with a reason and an expiry date",
    );
    if let Some(l) = &c.location {
        f = f.at(Location::from(l));
    }
    Some(f)
}

/// Applies the VEX `statements` and the policy's ignores to the match report (a finding they
/// cover is marked suppressed there, and reported no further), and returns a finding for every
/// other match. A vulnerability rated at or above `vulnerabilities.fail-on` is an error; one
/// below it is at most a warning. Sorted.
pub fn vulnerabilities(
    policy: &Policy,
    report: &mut MatchReport,
    statements: &[Statement],
    today: Date,
    usage: &Usage,
) -> Vec<Finding> {
    vex::apply_vex(&mut report.findings, statements);
    let ignores: Vec<&vex::Ignore> = policy
        .vulnerabilities
        .ignore
        .iter()
        .map(|i| &i.ignore)
        .collect();
    let sources: Vec<String> = policy
        .vulnerabilities
        .ignore
        .iter()
        .map(|i| {
            policy
                .exceptions
                .get(i.exception)
                .map(|e| e.origin.to_string())
                .unwrap_or_default()
        })
        .collect();
    let outcomes = vex::apply_ignores(&mut report.findings, &ignores, &sources, &today.to_string());
    for (i, outcome) in policy.vulnerabilities.ignore.iter().zip(outcomes) {
        if outcome == IgnoreOutcome::Used {
            usage.mark(i.exception);
        }
    }
    usage.evaluated(Section::Vulnerabilities);
    let mut out: Vec<Finding> = report
        .findings
        .iter()
        .filter(|v| v.suppressed.is_none())
        .map(|v| {
            let f = Finding::from_vuln(v);
            let rated = v.kind == Kind::Vulnerability && v.certainty == Certainty::Affected;
            if !rated {
                return f;
            }
            let fails = policy
                .vulnerabilities
                .fail_on
                .is_some_and(|t| v.rated.severity >= t);
            let severity = if fails {
                Severity::Error
            } else {
                f.severity.max(Severity::Warning)
            };
            f.with_severity(severity)
        })
        .collect();
    out.sort();
    out
}

/// `ban-denied` and `source-*-not-allowed` findings for every component of every project of a
/// repository, sorted; ban exceptions that decide a case are marked used. Marks the bans and
/// sources sections evaluated.
pub fn inventory(
    policy: &Policy,
    repository: &Repository,
    today: Date,
    usage: &Usage,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for project in &repository.projects {
        let project_path = project.path.display().to_string();
        for c in &project.components {
            if c.relationship == Relationship::Root {
                continue;
            }
            let base = |code: &'static str, message: String| {
                let f = Finding::new(code, message)
                    .in_project(&repository.name, &project_path)
                    .for_component(c.purl.as_str());
                match c.locations.first() {
                    Some(l) => f.at(Location::from(l)),
                    None => f,
                }
            };
            if let Some(ban) = policy.bans.ban_of(&c.purl) {
                let exception = policy.bans.exceptions.iter().find(|x| {
                    x.package.matches(&c.purl)
                        && policy
                            .exceptions
                            .get(x.exception)
                            .is_some_and(|e| e.is_live(today))
                });
                match exception {
                    Some(x) => usage.mark(x.exception),
                    None => out.push(
                        base(
                            rules::BAN_DENIED.code,
                            format!("{} is banned: {}", describe(c), ban.reason),
                        )
                        .with_hint(format!(
                            "remove or replace it (banned at {}), or add a [[bans.exceptions]] entry with a reason and an expiry date",
                            ban.origin.relative_to(&repository.path)
                        )),
                    ),
                }
            }
            if let Some(code) = policy.sources.check(&c.source) {
                let (what, key) = match &c.source {
                    Source::Git { url, .. } => (format!("from git `{url}`"), "sources.allow-git"),
                    Source::Path { path } => {
                        (format!("from the path `{path}`"), "sources.allow-path")
                    }
                    Source::Url { url } => (format!("from the URL `{url}`"), "sources.allow-url"),
                    Source::Registry { url } => (
                        format!("from the registry `{}`", url.as_deref().unwrap_or_default()),
                        "sources.allow-registries",
                    ),
                    Source::Unknown => (String::new(), ""),
                };
                out.push(
                    base(code, format!("{} comes {what}", describe(c))).with_hint(format!(
                        "use a released version from an allowed registry, or change `{key}`"
                    )),
                );
            }
        }
    }
    usage.evaluated(Section::Bans);
    usage.evaluated(Section::Sources);
    out.sort();
    out
}

fn describe(c: &Component) -> String {
    match &c.version {
        Some(v) => format!("`{}@{v}`", c.name),
        None => format!("`{}`", c.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ospo_model::{Ecosystem, Project};
    use std::path::Path;
    use time::macros::date;

    fn repo(components: Vec<Component>) -> Repository {
        Repository {
            name: "web".into(),
            path: "web".into(),
            projects: vec![Project {
                extractor: "npm-lock".into(),
                ecosystem: Ecosystem::Npm,
                path: "package-lock.json".into(),
                manifest: None,
                components,
                edges: vec![],
            }],
            diagnostics: vec![],
        }
    }

    #[test]
    fn bans_sources_and_ban_exceptions() {
        // The repository's own policy file: hints name it relative to the repository.
        let policy = crate::load_str(
            Path::new("web/ospo.toml"),
            r#"[sources]
allow-git = ["github.com"]
allow-url = false

[[bans.deny]]
package = "npm:event-stream"
versions = "3.3.6"
reason = "compromised release"

[[bans.deny]]
package = "npm:left-pad"
reason = "use String.prototype.padStart"

[[bans.exceptions]]
package = "npm:left-pad"
reason = "legacy build, removed in Q3"
expires = "2026-09-30"
"#,
        )
        .unwrap();
        let npm = |name: &str, version: &str| {
            Component::new(Ecosystem::Npm, name, Some(version))
                .unwrap()
                .at("package-lock.json", Some(7))
        };
        let components = vec![
            npm("event-stream", "3.3.6"),
            npm("event-stream", "4.0.1"),
            npm("left-pad", "1.3.0"),
            npm("tar", "1.0.0").with_source(Source::Url {
                url: "https://example.com/tar.tgz".into(),
            }),
            npm("a", "1.0.0").with_source(Source::Git {
                url: "git+ssh://git@github.com/x/a.git".into(),
                rev: None,
            }),
            npm("b", "1.0.0").with_source(Source::Git {
                url: "https://gitlab.com/x/b.git".into(),
                rev: None,
            }),
            npm("web", "1.0.0").with_relationship(Relationship::Root),
        ];
        let repo = repo(components);
        let usage = Usage::new(&policy);
        let findings = inventory(&policy, &repo, date!(2026 - 06 - 01), &usage);
        let got: Vec<_> = findings
            .iter()
            .map(|f| (f.code, f.purl.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(
            got,
            [
                ("ban-denied", "pkg:npm/event-stream@3.3.6"),
                ("source-git-not-allowed", "pkg:npm/b@1.0.0"),
                ("source-url-not-allowed", "pkg:npm/tar@1.0.0"),
            ]
        );
        let ban = &findings[0];
        assert_eq!(ban.location.as_ref().unwrap().line, Some(7));
        assert!(ban.message.contains("compromised release"));
        assert!(
            ban.hint.contains("(banned at ospo.toml:5:1)"),
            "{}",
            ban.hint
        );
        assert!(usage.is_used(0));
        assert!(
            policy
                .exception_findings(date!(2026 - 06 - 01), &usage)
                .is_empty()
        );

        // After its expiry the exception no longer applies, and is reported.
        let usage = Usage::new(&policy);
        let later = date!(2026 - 10 - 01);
        let findings = inventory(&policy, &repo, later, &usage);
        assert!(
            findings
                .iter()
                .any(|f| f.purl.as_deref() == Some("pkg:npm/left-pad@1.3.0"))
        );
        let codes: Vec<_> = policy
            .exception_findings(later, &usage)
            .iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, ["policy-exception-expired"]);
    }
}
