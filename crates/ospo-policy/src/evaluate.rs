//! The checks the policy makes of an inventory on its own: bans (`ban-denied`) and sources
//! (`source-*-not-allowed`). Licences and vulnerabilities are judged from their reports (see
//! [`crate::policy::Licenses::decide`] and [`crate::rules::vulnerability_code`]). A repository's
//! own packages (`Relationship::Root`) are never judged.

use ospo_model::{Component, Relationship, Repository, Source};
use time::Date;

use crate::finding::{Finding, Location};
use crate::policy::{Policy, Section};
use crate::rules;
use crate::usage::Usage;

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
                            ban.origin
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
        let policy = crate::load_str(
            Path::new("ospo.toml"),
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
        assert!(ban.hint.contains("ospo.toml:5:1"), "{}", ban.hint);
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
