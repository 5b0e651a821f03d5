//! The registry of every rule ospo reports: a stable kebab-case code that is never renamed (a
//! policy, a baseline and a SARIF consumer refer to it), its default severity, its risk category,
//! a one-line summary and its documentation — the rule's doc comment below, which `ospo explain
//! CODE` prints. The licence rules are the licence report's own ([`ospo_license::report::CODES`]),
//! taken from there, not copied.

use std::sync::OnceLock;

use ospo_model::RiskCategory;

use crate::finding::Severity;

/// One rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub category: RiskCategory,
    pub summary: &'static str,
    /// The documentation, as written in the doc comment (lines start with a space).
    pub doc: &'static str,
}

impl Rule {
    /// The domain: the code's first word (`license`, `vulnerability`, `ban`, `source`, …).
    pub fn domain(&self) -> &'static str {
        self.code.split('-').next().unwrap_or(self.code)
    }

    /// The documentation as text: the doc comment without its leading spaces.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_owned()
    }
}

macro_rules! rules {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $code:literal, $severity:ident, $category:ident, $summary:literal;
    )*) => {
        $(
            $(#[doc = $doc])*
            pub const $name: Rule = Rule {
                code: $code,
                severity: Severity::$severity,
                category: RiskCategory::$category,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
            };
        )*
        /// The rules defined here (the licence report's come from its crate).
        pub const OWN: &[Rule] = &[$($name),*];
    };
}

rules! {
    /// A component has a known vulnerability rated critical (CVSS base score 9.0 to 10.0, or a
    /// database rating of critical) that no VEX statement or ignore covers.
    ///
    /// Fix: upgrade to a fixed version (the finding names the smallest upgrade that fixes every
    /// advisory of the component). If the vulnerable code cannot be reached, say so in a VEX
    /// document (`vulnerabilities.vex`) or a `[[vulnerabilities.ignore]]` entry with a reason
    /// and an expiry date.
    VULNERABILITY_CRITICAL = "vulnerability-critical", Error, Dependency,
        "Known vulnerability rated critical.";
    /// A component has a known vulnerability rated high (CVSS 7.0 to 8.9).
    ///
    /// The balanced profile fails the check from this severity up (`vulnerabilities.fail-on`).
    /// Fix it as `vulnerability-critical` says.
    VULNERABILITY_HIGH = "vulnerability-high", Error, Dependency,
        "Known vulnerability rated high.";
    /// A component has a known vulnerability rated medium (CVSS 4.0 to 6.9).
    ///
    /// The strict profile fails the check from this severity up.
    VULNERABILITY_MEDIUM = "vulnerability-medium", Warning, Dependency,
        "Known vulnerability rated medium.";
    /// A component has a known vulnerability rated low (CVSS 0.1 to 3.9).
    VULNERABILITY_LOW = "vulnerability-low", Info, Dependency,
        "Known vulnerability rated low.";
    /// A component has a known vulnerability that neither a CVSS vector nor a database rating
    /// rates.
    ///
    /// Read the advisory and decide: a `fail-on` of `unknown` fails on these too.
    VULNERABILITY_UNKNOWN = "vulnerability-unknown", Warning, Dependency,
        "Known vulnerability without a severity.";
    /// An informational advisory covers a component: RustSec's `unmaintained`, `unsound` or
    /// `notice`. Not a vulnerability, but a reason to look for a replacement.
    VULNERABILITY_INFORMATIONAL = "vulnerability-informational", Info, Dependency,
        "Informational advisory (unmaintained, unsound, notice).";
    /// ospo cannot tell whether an advisory affects a component: its ranges are only git
    /// commits, or the component's version cannot be read with the ecosystem's rules.
    ///
    /// It is never counted as clean: check by hand, then record the decision in a VEX document
    /// or an ignore.
    VULNERABILITY_UNDECIDABLE = "vulnerability-undecidable", Warning, Dependency,
        "An advisory may affect a component; ospo cannot decide.";
    /// A VEX document named by `vulnerabilities.vex` or `--vex` cannot be read: not JSON, or
    /// neither OpenVEX nor CycloneDX. Its statements suppress nothing.
    VEX_INVALID = "vex-invalid", Error, Dependency,
        "A VEX document cannot be read.";
    /// A dependency's licence is denied by the policy: its id is in `licenses.deny`, its class
    /// in `licenses.deny-classes`, or `licenses.allow-classes` is set and does not hold its
    /// class. For `A OR B`, the side the policy prefers is judged; the finding is only raised
    /// when no side is allowed.
    ///
    /// Fix: replace the dependency, or, when legal has agreed, add a
    /// `[[licenses.exceptions]]` entry for the package with a reason and an expiry date. When
    /// the licence metadata is wrong, a `[[licenses.clarify]]` entry says what it really is.
    LICENSE_DENIED = "license-denied", Error, Dependency,
        "A dependency's licence is denied by the policy.";
    /// A component matches a `[[bans.deny]]` entry: the package, or one of the versions the
    /// entry's requirement covers. The finding repeats the ban's reason.
    ///
    /// Fix: remove or replace the dependency (also where it comes in transitively), or add a
    /// `[[bans.exceptions]]` entry with a reason and an expiry date.
    BAN_DENIED = "ban-denied", Error, Dependency,
        "A banned package (or version) is used.";
    /// A component comes from a registry that `sources.allow-registries` does not list (a
    /// lockfile that names its registry: Cargo, npm, pip with an index URL, …). Packages from
    /// unexpected registries are how dependency confusion attacks arrive.
    SOURCE_REGISTRY_NOT_ALLOWED = "source-registry-not-allowed", Error, Dependency,
        "A package comes from a registry the policy does not allow.";
    /// A component is fetched from a git repository while `sources.allow-git` is `false` or
    /// does not list the repository's host. Git dependencies bypass the registry's immutability
    /// and advisories.
    SOURCE_GIT_NOT_ALLOWED = "source-git-not-allowed", Error, Dependency,
        "A git dependency the policy does not allow.";
    /// A component is a local path dependency (outside the project's workspace) while
    /// `sources.allow-path` is `false`.
    SOURCE_PATH_NOT_ALLOWED = "source-path-not-allowed", Warning, Dependency,
        "A path dependency the policy does not allow.";
    /// A component is downloaded from a plain URL (a tarball, a wheel) while `sources.allow-url`
    /// is `false`: nothing pins what the URL serves tomorrow.
    SOURCE_URL_NOT_ALLOWED = "source-url-not-allowed", Error, Dependency,
        "A URL dependency the policy does not allow.";
    /// The policy file cannot be used: a syntax error, an unknown key, a value of the wrong type
    /// or form, an exception without a reason or an expiry date, an `extends` cycle. Every
    /// error is reported with its file, line and column; nothing is checked until it is fixed.
    ///
    /// `ospo policy check-file` shows them all.
    POLICY_INVALID = "policy-invalid", Error, Codebase,
        "The policy file has errors.";
    /// An exception (a licence exception or clarification, a vulnerability ignore, a ban
    /// exception) is past its expiry date. It no longer applies: what it covered is reported
    /// again.
    ///
    /// Fix what it covered, or renew it with a new date and a reason that is still true.
    POLICY_EXCEPTION_EXPIRED = "policy-exception-expired", Warning, Dependency,
        "An exception of the policy has expired.";
    /// An exception matched nothing in the code checked: the package is gone or the advisory
    /// no longer applies. Remove it, so it cannot hide a future problem. Only reported for the
    /// sections the run checked.
    POLICY_EXCEPTION_UNUSED = "policy-exception-unused", Warning, Dependency,
        "An exception of the policy matches nothing.";
    // Project health (`ospo health`, and dependencies' upstream repositories in `ospo scan
    // --mirrors`). A finding about a dependency's upstream is in the Dependency category
    // whatever the rule's own category: the rule's category is the one for own repositories.
    /// The aggregate health score (0 to 10, the weighted mean of OpenSSF Scorecard's checks
    /// that run offline) is below `health.min-score`. Checks whose inputs are unknown (a
    /// shallow clone, no workflow) are left out of the mean, never counted as 0.
    ///
    /// `ospo health PATH` prints every check with its score, reason and inputs: fix the
    /// heaviest low ones first (Dangerous-Workflow weighs 10; Binary-Artifacts, Code-Review,
    /// Dependency-Update-Tool, Maintained, Signed-Releases and Token-Permissions 7.5). For a
    /// dependency: look for a healthier alternative, or accept the risk in the policy.
    HEALTH_SCORE_LOW = "health-score-low", Error, Codebase,
        "The health score is below the policy's minimum.";
    /// The project looks abandoned: its README or manifest carries a deprecation notice ("no
    /// longer maintained", a repostatus.org "abandoned" badge, Cargo's `maintenance.status =
    /// "deprecated"`), or it has had no commit and no release for longer than
    /// `health.max-inactive-days` (365 days when unset).
    ///
    /// A stable project that is simply finished can be declared feature-complete
    /// (`ospo health --feature-complete`): inactivity is then not abandonment. A deprecation
    /// notice is never waived. For a dependency: plan its replacement.
    HEALTH_ABANDONED = "health-abandoned", Warning, Codebase,
        "The project is deprecated or inactive.";
    /// One person made at least half of the commits of the last year (CHAOSS's contributor
    /// absence factor, or bus factor, is 1): if they leave, the project stalls.
    ///
    /// For an own repository: spread reviews and knowledge (CODEOWNERS, pairing, a second
    /// maintainer). For a dependency: a single-maintainer component is a supply-chain risk
    /// worth tracking, and a candidate for sponsorship.
    HEALTH_BUS_FACTOR = "health-bus-factor", Warning, Staff,
        "One person makes most of the commits (bus factor 1).";
    /// A GitHub workflow is dangerous (Scorecard's Dangerous-Workflow, risk critical): a
    /// `pull_request_target` or `workflow_run` workflow checks out the pull request's code, or
    /// a script expands attacker-controlled text (`${{ github.event.issue.title }}`, a PR
    /// title or body, a branch name) where the shell interprets it.
    ///
    /// Fix: never run untrusted code with the privileged token; pass untrusted values through
    /// `env:` and quote them in the script.
    HEALTH_DANGEROUS_WORKFLOW = "health-dangerous-workflow", Warning, Codebase,
        "A CI workflow runs untrusted code or input with privileges.";
    /// Binary files are committed (executables, libraries, `.jar`, `.pyc`, `.whl`…, by
    /// Scorecard's list of extensions): they cannot be reviewed and may not match the sources.
    /// A `gradle-wrapper.jar` is exempt.
    ///
    /// Fix: build them in CI from the sources, or fetch them with a pinned hash.
    HEALTH_BINARY_ARTIFACTS = "health-binary-artifacts", Warning, Codebase,
        "Binary artifacts are committed.";
    /// There is no security policy (`SECURITY.md` at the root, in `.github/` or `docs/`):
    /// whoever finds a vulnerability does not know how to report it privately.
    HEALTH_NO_SECURITY_POLICY = "health-no-security-policy", Info, Codebase,
        "No security policy.";
    /// There is no licence file at HEAD: without one, nobody may legally use, change or share
    /// the code.
    HEALTH_NO_LICENSE = "health-no-license", Warning, Codebase,
        "No licence file.";
    /// The history could not be read in full (a shallow clone): the history metrics and the
    /// checks that need them are unknown and left out of the score.
    ///
    /// Fix: `git fetch --unshallow` in the clone (or clone without `--depth`).
    HEALTH_HISTORY_UNKNOWN = "health-history-unknown", Info, Codebase,
        "The history is unknown (shallow clone).";
}

/// Every rule: the licence report's, then this module's, sorted by code.
pub fn all() -> &'static [Rule] {
    static ALL: OnceLock<Vec<Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<Rule> = ospo_license::report::CODES
            .iter()
            .map(|&(code, severity, category, doc)| Rule {
                code,
                severity: severity.into(),
                category,
                summary: first_sentence(doc),
                doc,
            })
            .chain(OWN.iter().copied())
            .collect();
        all.sort_by_key(|r| r.code);
        all
    })
}

fn first_sentence(doc: &'static str) -> &'static str {
    match doc.find(". ") {
        Some(i) => &doc[..=i],
        None => doc,
    }
}

/// The rule of a code.
pub fn get(code: &str) -> Option<&'static Rule> {
    all().iter().find(|r| r.code == code)
}

/// The codes closest to a misspelt one, for "did you mean".
pub fn suggest(code: &str) -> Vec<&'static str> {
    let mut out = crate::suggest::closest(code, all().iter().map(|r| r.code));
    if out.is_empty() {
        out = all()
            .iter()
            .map(|r| r.code)
            .filter(|c| c.contains(code) && !code.is_empty())
            .take(3)
            .collect();
    }
    out
}

/// The code of a vulnerability finding: by kind, certainty and severity.
pub fn vulnerability_code(f: &ospo_vuln::matching::VulnFinding) -> &'static str {
    use ospo_vuln::matching::{Certainty, Kind};
    use ospo_vuln::severity::Severity as S;
    match (&f.kind, &f.certainty) {
        (Kind::Informational(_), _) => VULNERABILITY_INFORMATIONAL.code,
        (_, Certainty::Undecidable(_)) => VULNERABILITY_UNDECIDABLE.code,
        (Kind::Vulnerability, Certainty::Affected) => match f.rated.severity {
            S::Critical => VULNERABILITY_CRITICAL.code,
            S::High => VULNERABILITY_HIGH.code,
            S::Medium => VULNERABILITY_MEDIUM.code,
            S::Low | S::None => VULNERABILITY_LOW.code,
            S::Unknown => VULNERABILITY_UNKNOWN.code,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in all() {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(
                r.code
                    .split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
                "{} is not kebab-case",
                r.code
            );
            assert!(
                r.documentation().len() > 40,
                "{} has no documentation",
                r.code
            );
            assert!(r.summary.ends_with('.'), "{}: summary", r.code);
        }
        // Every licence rule of the licence report is here.
        for (code, ..) in ospo_license::report::CODES {
            assert!(get(code).is_some(), "{code}");
        }
        assert!(all().windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn documentation_is_the_doc_comment() {
        let doc = POLICY_EXCEPTION_UNUSED.documentation();
        assert!(doc.starts_with("An exception matched nothing"));
        assert!(!doc.contains("\n "));
        assert_eq!(POLICY_INVALID.domain(), "policy");
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("ban-deny"), ["ban-denied"]);
        assert!(suggest("vulnerability").contains(&"vulnerability-low"));
        assert!(suggest("").is_empty());
    }
}
