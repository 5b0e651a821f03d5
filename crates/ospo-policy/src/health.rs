//! Findings from a health report (`ospo_health::Report`): a low score against
//! `health.min-score`, abandonment, bus factor 1, dangerous workflows, committed binaries, no
//! security policy or licence, an unknown history.

use ospo_health::Report;
use ospo_model::RiskCategory;

use crate::finding::{Finding, Location};
use crate::rules;

/// Whose repository a report is about, and what the policy asks of it.
#[derive(Clone, Debug)]
pub struct HealthContext<'a> {
    /// The repository as findings name it.
    pub repository: &'a str,
    /// The component whose upstream this is (`None`: an own repository).
    pub purl: Option<&'a str>,
    /// `health.min-score`; 0: not checked.
    pub min_score: f64,
}

impl<'a> HealthContext<'a> {
    /// An organisation's own repository.
    pub fn own(repository: &'a str, policy: &crate::Policy) -> HealthContext<'a> {
        HealthContext {
            repository,
            purl: None,
            min_score: policy.health.min_score,
        }
    }

    /// The upstream repository of a dependency.
    pub fn dependency(repository: &'a str, purl: &'a str, policy: &crate::Policy) -> Self {
        HealthContext {
            repository,
            purl: Some(purl),
            min_score: policy.health.min_score,
        }
    }
}

impl Finding {
    /// The findings of a health report, sorted. About a dependency, every finding is in the
    /// Dependency category; about an own repository, each keeps its rule's (Codebase, Staff).
    pub fn from_health(report: &Report, ctx: &HealthContext<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        let subject = match ctx.purl {
            Some(p) => format!("upstream of `{p}`"),
            None => "repository".to_owned(),
        };
        let mut push = |code: &'static str, message: String, hint: &str, at: Option<Location>| {
            let mut f = Finding::new(code, message).with_hint(hint);
            f.repository = ctx.repository.to_owned();
            if let Some(p) = ctx.purl {
                f = f.for_component(p);
                f.category = RiskCategory::Dependency;
            }
            if let Some(l) = at {
                f = f.at(l);
            }
            out.push(f);
        };
        if ctx.min_score > 0.0
            && let Some(score) = report.score.value
            && score < ctx.min_score
        {
            push(
                rules::HEALTH_SCORE_LOW.code,
                format!(
                    "{subject}: health score {score:.1} is below health.min-score {:.1}",
                    ctx.min_score
                ),
                "`ospo health` shows each check's score, reason and inputs",
                None,
            );
        }
        if report.flags.abandoned.value == Some(true) {
            push(
                rules::HEALTH_ABANDONED.code,
                format!(
                    "{subject} looks abandoned: {}",
                    report.flags.abandoned.reason
                ),
                "plan a replacement, or declare it feature-complete if it is finished",
                report.files.deprecation.as_ref().map(|d| Location {
                    path: d.path.clone().into(),
                    line: d.line,
                    column: None,
                }),
            );
        }
        if report.flags.bus_factor_one.value == Some(true) {
            push(
                rules::HEALTH_BUS_FACTOR.code,
                format!("{subject}: {}", report.history.bus_factor.reason),
                "spread knowledge and reviews over more people",
                None,
            );
        }
        for hit in &report.files.dangerous_workflow {
            push(
                rules::HEALTH_DANGEROUS_WORKFLOW.code,
                format!("{subject}: {}", hit.detail),
                "pass untrusted values through `env:`; never check out PR code with a privileged token",
                Some(Location {
                    path: hit.path.clone().into(),
                    line: hit.line,
                    column: None,
                }),
            );
        }
        for path in &report.files.binary_artifacts {
            push(
                rules::HEALTH_BINARY_ARTIFACTS.code,
                format!("{subject}: binary artifact `{path}` is committed"),
                "build it in CI from sources, or fetch it with a pinned hash",
                Some(Location {
                    path: path.into(),
                    line: None,
                    column: None,
                }),
            );
        }
        if report.files.has_tree && report.files.security_policy.is_none() {
            push(
                rules::HEALTH_NO_SECURITY_POLICY.code,
                format!("{subject} has no security policy"),
                "add a SECURITY.md saying how to report a vulnerability privately",
                None,
            );
        }
        if report.files.has_tree && report.files.license.is_none() {
            push(
                rules::HEALTH_NO_LICENSE.code,
                format!("{subject} has no licence file"),
                "add a LICENSE file",
                None,
            );
        }
        if report.shallow {
            push(
                rules::HEALTH_HISTORY_UNKNOWN.code,
                format!("{subject} is a shallow clone: history metrics are unknown"),
                "`git fetch --unshallow`",
                None,
            );
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ospo_health::files::{Tree, check};
    use ospo_health::history::{Commit, History, Person, metrics};
    use ospo_health::identity::Affiliation;
    use ospo_health::{Options, report};

    use super::*;

    const NOW: i64 = 1_735_689_600;

    fn sample() -> Report {
        let opts = Options::new(NOW);
        let commit = |days: i64, parent: Option<u32>| Commit {
            author: 0,
            committer: 0,
            author_time: NOW - days * 86_400,
            commit_time: NOW - days * 86_400,
            parents: parent.into_iter().collect(),
            signed_off: false,
            review_trailer: false,
            signed: false,
        };
        let history = History {
            commits: vec![
                commit(500, Some(1)),
                commit(600, Some(2)),
                commit(700, None),
            ],
            people: vec![Person {
                name: "Solo Dev".into(),
                email: "solo@example.org".into(),
                affiliation: Affiliation::Org("example.org".into()),
                bot: None,
            }],
            has_head: true,
            ..History::default()
        };
        let wf = "on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n";
        let tree = Tree::from_files([
            ("README.md", b"# x\n".as_slice()),
            ("bin/tool.exe", b"MZ".as_slice()),
            (".github/workflows/pr.yml", wf.as_bytes()),
        ]);
        report(
            Path::new("solo"),
            None,
            false,
            metrics(&history, &opts),
            check(&tree),
            &opts,
        )
    }

    #[test]
    fn findings_of_an_own_repository() {
        let r = sample();
        let ctx = HealthContext {
            repository: "solo",
            purl: None,
            min_score: 8.0,
        };
        let f = Finding::from_health(&r, &ctx);
        let codes: Vec<(&str, RiskCategory)> = f.iter().map(|f| (f.code, f.category)).collect();
        assert_eq!(
            codes,
            [
                ("health-abandoned", RiskCategory::Codebase),
                ("health-bus-factor", RiskCategory::Staff),
                ("health-no-license", RiskCategory::Codebase),
                ("health-no-security-policy", RiskCategory::Codebase),
                ("health-score-low", RiskCategory::Codebase),
                ("health-dangerous-workflow", RiskCategory::Codebase),
                ("health-binary-artifacts", RiskCategory::Codebase),
            ]
        );
        let dangerous = f
            .iter()
            .find(|f| f.code == "health-dangerous-workflow")
            .unwrap();
        assert_eq!(
            dangerous.location.as_ref().unwrap().to_string(),
            ".github/workflows/pr.yml:8"
        );
        let low = f.iter().find(|f| f.code == "health-score-low").unwrap();
        assert!(
            low.message.contains("below health.min-score 8.0"),
            "{}",
            low.message
        );
        assert_eq!(low.severity, crate::Severity::Error);
        // min-score 0: not checked.
        let ctx = HealthContext {
            min_score: 0.0,
            ..ctx
        };
        assert!(
            Finding::from_health(&r, &ctx)
                .iter()
                .all(|f| f.code != "health-score-low")
        );
    }

    #[test]
    fn findings_about_a_dependency_are_dependency_risk() {
        let r = sample();
        let policy = crate::Policy::default();
        let ctx = HealthContext::dependency("mirrors/solo", "pkg:cargo/solo@1.0.0", &policy);
        let f = Finding::from_health(&r, &ctx);
        assert!(!f.is_empty());
        assert!(f.iter().all(|f| f.category == RiskCategory::Dependency
            && f.purl.as_deref() == Some("pkg:cargo/solo@1.0.0")));
    }
}
