//! The report every renderer's tests read: two repositories (a Rust one, a web shop with npm,
//! PyPI and Maven projects) and an organisation-wide policy file, at least one finding of every
//! rule of the registry (a test checks it), severities raised and lowered by a policy, findings
//! without a location, without a component, with a column, with `|`, a newline, `<`, quotes
//! and URLs in their text, a baseline and diagnostics.

use std::collections::BTreeMap;

use ospo_model::{Diagnostic, Level};
use ospo_policy::{Finding, Location, Severity, rules};

use crate::{Baseline, CheckReport, Checked, ComponentRef, Reported, SCHEMA, Summary};

fn at(path: &str, line: Option<u32>, column: Option<u32>) -> Location {
    Location {
        path: path.into(),
        line,
        column,
    }
}

/// A finding of `code` in a project, about a component at a place.
fn f(
    code: &'static str,
    (repository, project): (&str, &str),
    purl: Option<&str>,
    location: Option<Location>,
    message: &str,
    hint: &str,
) -> Finding {
    let mut f = Finding::new(code, message)
        .in_project(repository, project)
        .with_hint(hint);
    if let Some(p) = purl {
        f = f.for_component(p);
    }
    if let Some(l) = location {
        f = f.at(l);
    }
    f
}

const RG: (&str, &str) = ("ripgrep", "Cargo.toml");
const NPM: (&str, &str) = ("webshop", "package.json");
const PY: (&str, &str) = ("webshop", "requirements.txt");
const MVN: (&str, &str) = ("webshop", "services/billing/pom.xml");

const UPGRADE_OR_RECORD: &str =
    "no fixed version: replace the package, or record why it does not apply (VEX or an ignore)";

fn findings() -> Vec<Finding> {
    let lock = |line| Some(at("Cargo.lock", Some(line), None));
    let npm_lock = |line| Some(at("package-lock.json", Some(line), None));
    vec![
        // ripgrep: Rust.
        f(rules::VULNERABILITY_HIGH.code, RG, Some("pkg:cargo/regex@1.2.0"), lock(412),
            "RUSTSEC-2022-0013 (high 7.5) in `regex@1.2.0`: Regexes with large repetitions on empty sub-expressions take a very long time to parse",
            "upgrade to 1.5.5"),
        f(rules::VULNERABILITY_INFORMATIONAL.code, RG, Some("pkg:cargo/atty@0.2.14"), lock(31),
            "RUSTSEC-2024-0375 (unknown) in `atty@0.2.14`: `atty` is unmaintained",
            UPGRADE_OR_RECORD),
        f(rules::VULNERABILITY_LOW.code, RG, Some("pkg:cargo/smallvec@0.6.9"), lock(980),
            "RUSTSEC-2019-0009 (low 3.1) in `smallvec@0.6.9`: Double-free and use-after-free in SmallVec::grow()",
            "upgrade to 0.6.10"),
        f(rules::VULNERABILITY_UNDECIDABLE.code, RG, Some("pkg:cargo/git2@0.13.0"), lock(377),
            "GHSA-8643-3wh5-rmjq (high 8.1) in `git2@0.13.0`: its affected ranges are git commits only",
            "check by hand, then record the decision in a VEX document or an ignore"),
        f("license-mismatch", RG, Some("pkg:cargo/encoding_rs@0.8.33"), lock(233),
            "`encoding_rs@0.8.33` declares `(Apache-2.0 OR MIT) AND BSD-3-Clause`; its files also contain `Unicode-DFS-2016`",
            "declared in Cargo.toml of encoding_rs"),
        f("license-caveat", RG, Some("pkg:cargo/option-ext@0.2.0"), lock(520),
            "`option-ext@0.2.0` is MPL-2.0 (weak copyleft): it fits `Unlicense OR MIT` kept as a separate, replaceable part",
            ""),
        f(rules::SOURCE_GIT_NOT_ALLOWED.code, RG, Some("pkg:cargo/pcre2@0.2.4"), Some(at("Cargo.lock", Some(700), Some(12))),
            "`pcre2@0.2.4` comes from git `https://github.com/BurntSushi/rust-pcre2?rev=2b5d6e1` (sources.allow-git is false)",
            "use the registry release, or list the host in sources.allow-git"),
        f(rules::SOURCE_PATH_NOT_ALLOWED.code, RG, Some("pkg:cargo/grep-local@0.1.0"), lock(455),
            "`grep-local@0.1.0` is a path dependency outside the workspace: `../grep-local`",
            "publish it, or set sources.allow-path = true").with_severity(Severity::Info),
        f("license-project-mismatch", RG, None, Some(at("Cargo.toml", Some(11), None)),
            "The manifest declares `Unlicense OR MIT`; the licence files say `MIT` and `Unlicense` and `Apache-2.0`",
            "make the manifest's `license` and the LICENSE files agree"),
        f(rules::POLICY_EXCEPTION_EXPIRED.code, RG, None, Some(at(".ospo/policy.toml", Some(14), Some(1))),
            "[[licenses.exceptions]] for `ring` expired on 2025-01-31 (\"OpenSSL-style licence reviewed by legal\")",
            "fix what it covered, or renew it with a new date and a reason that is still true"),
        f(rules::POLICY_EXCEPTION_UNUSED.code, RG, None, Some(at(".ospo/policy.toml", Some(22), Some(1))),
            "[[vulnerabilities.ignore]] `RUSTSEC-2020-0071` matches nothing",
            "remove it, so it cannot hide a future problem"),
        f(rules::VEX_INVALID.code, RG, None, Some(at(".ospo/vex.json", None, None)),
            "`.ospo/vex.json` is neither OpenVEX nor CycloneDX: expected value at line 1 column 1",
            "its statements suppress nothing until it is fixed"),
        // webshop: npm.
        f(rules::VULNERABILITY_CRITICAL.code, NPM, Some("pkg:npm/lodash@4.17.11"), npm_lock(2210),
            "GHSA-jf85-cpcp-j695 (critical 9.1) in `lodash@4.17.11`: Prototype Pollution in lodash",
            "upgrade to 4.17.12"),
        f(rules::VULNERABILITY_MEDIUM.code, NPM, Some("pkg:npm/semver@5.7.1"), npm_lock(3011),
            "GHSA-c2qf-rxjj-qqgw (medium 5.3) in `semver@5.7.1`: semver vulnerable to Regular Expression Denial of Service",
            "upgrade to 5.7.2"),
        f(rules::VULNERABILITY_UNKNOWN.code, NPM, Some("pkg:npm/%40angular/core@11.0.0"), npm_lock(95),
            "GHSA-c75v-2vq8-878f (unknown) in `@angular/core@11.0.0`: Cross-site scripting via <svg> animation & \"unsafe\" 'bindings'",
            "upgrade to 11.0.5"),
        f("license-denied", NPM, Some("pkg:npm/ghostscript4js@3.2.2"), npm_lock(1480),
            "`ghostscript4js@3.2.2` is AGPL-3.0-only: class network-copyleft is denied (licenses.deny-classes)",
            "replace the dependency, or add a [[licenses.exceptions]] entry with a reason and an expiry date"),
        f("license-restricted", NPM, Some("pkg:npm/%40fortawesome/fontawesome-pro@6.4.0"), npm_lock(1202),
            "`@fortawesome/fontawesome-pro@6.4.0` is LicenseRef-FontAwesome-Pro (proprietary)",
            "check the subscription covers this use"),
        f("license-unknown", NPM, Some("pkg:npm/internal-utils@0.0.1"), None,
            "`internal-utils@0.0.1` declares no licence and ships no licence file (NOASSERTION)",
            "ask the owner; record the answer in [[licenses.clarify]]").with_severity(Severity::Error),
        f("license-unresolved", NPM, Some("pkg:npm/xmldom@0.1.27"), npm_lock(4120),
            "`xmldom@0.1.27` declares `MIT/X11`: not an SPDX name",
            "record what it is in [[licenses.clarify]]"),
        f("license-expression-invalid", NPM, Some("pkg:npm/pako@0.2.9"), npm_lock(2750),
            "`pako@0.2.9` declares `MIT | Apache-2.0`, not an SPDX expression:\nunexpected `|` at offset 4",
            ""),
        f(rules::BAN_DENIED.code, NPM, Some("pkg:npm/event-stream@3.3.6"), npm_lock(1390),
            "`event-stream@3.3.6` is banned: compromised release (flatmap-stream)",
            "remove it (also where it comes in transitively)"),
        f(rules::SOURCE_REGISTRY_NOT_ALLOWED.code, NPM, Some("pkg:npm/colors@1.4.1"), npm_lock(640),
            "`colors@1.4.1` comes from `https://registry.npmjs.example.net/`, which sources.allow-registries does not list",
            "install it from an allowed registry"),
        f(rules::SOURCE_URL_NOT_ALLOWED.code, NPM, Some("pkg:npm/xlsx@0.20.2"), npm_lock(4302),
            "`xlsx@0.20.2` is downloaded from `https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz`",
            "vendor the tarball with a checksum, or set sources.allow-url = true"),
        f("license-project-unresolved", NPM, None, Some(at("package.json", Some(4), Some(14))),
            "The project declares `SEE LICENSE IN LICENSE.txt`, which is not an SPDX expression",
            ""),
        // webshop: PyPI and Maven.
        f("license-incompatible", PY, Some("pkg:pypi/pyqt5@5.15.10"), Some(at("requirements.txt", Some(7), None)),
            "`pyqt5@5.15.10` is GPL-3.0-only: strong copyleft cannot be combined with the project's MIT",
            "replace it (PySide6 is LGPL-3.0), or relicense the project"),
        f("license-review", PY, Some("pkg:pypi/certifi@2024.2.2"), Some(at("requirements.txt", Some(3), None)),
            "`certifi@2024.2.2` is MPL-2.0 and the project is LGPL-3.0-or-later: two copyleft licences",
            "review by hand").with_severity(Severity::Warning),
        f("license-project-undeclared", MVN, None, None,
            "The project declares no licence and has no licence file: its code is all rights reserved",
            "add <licenses> to the POM and a LICENSE file"),
        // Health: the repository's own, and a dependency's upstream clone.
        f(rules::HEALTH_SCORE_LOW.code, ("webshop", ""), None, None,
            "repository: health score 4.2 is below health.min-score 6.0",
            "`ospo health` shows each check's score, reason and inputs"),
        f(rules::HEALTH_BUS_FACTOR.code, ("webshop", ""), None, None,
            "repository: one person made half of the commits of the last 365 days (bus factor 1)",
            "share reviews and ownership (CODEOWNERS) with a second maintainer"),
        f(rules::HEALTH_NO_SECURITY_POLICY.code, ("webshop", ""), None, None,
            "repository: no SECURITY.md says how to report a vulnerability",
            "add SECURITY.md with a contact"),
        f(rules::HEALTH_NO_LICENSE.code, ("webshop", ""), None, None,
            "repository: no licence file at the root",
            "add a LICENSE file"),
        f(rules::HEALTH_DANGEROUS_WORKFLOW.code, ("webshop", ""), None,
            Some(at(".github/workflows/pr.yml", Some(12), None)),
            "repository: a pull_request_target workflow checks out the pull request's head",
            "do not run untrusted code with secrets; use pull_request"),
        f(rules::HEALTH_BINARY_ARTIFACTS.code, ("webshop", ""), None,
            Some(at("tools/gradle-wrapper.jar", None, None)),
            "repository: a binary artifact is committed",
            "build it in CI instead of committing it"),
        f(rules::HEALTH_ABANDONED.code, NPM, Some("pkg:npm/request@2.88.2"), None,
            "upstream of `pkg:npm/request@2.88.2`: no commit or release for 1,460 days; a deprecation notice at HEAD",
            "replace the dependency"),
        f(rules::HEALTH_HISTORY_UNKNOWN.code, NPM, Some("pkg:npm/left-pad@1.3.0"), None,
            "upstream of `pkg:npm/left-pad@1.3.0`: a shallow clone: its history metrics are unknown",
            "fetch the full history (`git fetch --unshallow`)"),
        // The organisation's policy file: about no repository.
        Finding::new(rules::POLICY_INVALID.code, "unknown key `fail-onn` in [vulnerabilities]; did you mean `fail-on`?")
            .at(at("ospo.toml", Some(3), Some(17)))
            .with_hint("`ospo policy check-file` lists every error"),
    ]
}

/// The registry's code (the licence rules have no constant here): a misspelt one shows.
fn code(c: &str) -> &'static str {
    rules::get(c).map_or("unknown-code", |r| r.code)
}

/// The fixture report: fails at `error`, every check ran.
pub(crate) fn report() -> CheckReport {
    let mut findings: Vec<Finding> = findings()
        .into_iter()
        .map(|mut f| {
            f.code = code(f.code);
            f
        })
        .collect();
    findings.sort();
    let findings: Vec<Reported> = findings.into_iter().map(Reported::new).collect();
    let diagnostics = vec![
        Diagnostic::new(
            Level::Error,
            "yarn-lock",
            "webshop/services/legacy/yarn.lock",
            Some(88),
            "unexpected indentation: expected 4 spaces, found 3",
        ),
        Diagnostic::new(
            Level::Warning,
            "maven-pom",
            "webshop/services/billing/pom.xml",
            Some(12),
            "parent POM `com.example:parent:1.4` not found: properties from it are unresolved",
        ),
    ];
    let mut summary = Summary {
        repositories: 2,
        projects: 4,
        components: 933,
        components_by_ecosystem: counts(&[
            ("crates.io", 41),
            ("npm", 812),
            ("PyPI", 23),
            ("Maven", 57),
        ]),
        licenses_by_class: counts(&[
            ("permissive", 871),
            ("weak-copyleft", 14),
            ("strong-copyleft", 1),
            ("network-copyleft", 1),
            ("public-domain", 9),
            ("proprietary", 1),
            ("unknown", 36),
        ]),
        vulnerabilities_by_severity: counts(&[
            ("critical", 1),
            ("high", 2),
            ("medium", 1),
            ("low", 1),
            ("unknown", 2),
        ]),
        vulnerabilities_suppressed: 3,
        ..Summary::default()
    };
    summary.count_findings(&findings, &diagnostics);
    CheckReport {
        schema: SCHEMA.to_owned(),
        tool: "ospo".to_owned(),
        version: "0.1.0".to_owned(),
        date: "2025-06-02".to_owned(),
        fail_on: Some(Severity::Error),
        passed: false,
        policies: BTreeMap::from([
            ("ripgrep".to_owned(), vec![".ospo/policy.toml".into()]),
            (
                "webshop".to_owned(),
                vec!["ospo.toml".into(), "../org/ospo-base.toml".into()],
            ),
        ]),
        checked: Checked {
            licenses: true,
            vulnerabilities: true,
            bans: true,
            sources: true,
            health: false,
        },
        summary,
        baseline: Some(Baseline {
            file: ".ospo/baseline.json".into(),
            known: 7,
            fixed: 2,
        }),
        findings,
        components: vec![
            ComponentRef {
                repository: "ripgrep".into(),
                purl: "pkg:cargo/regex@1.2.0".into(),
            },
            ComponentRef {
                repository: "webshop".into(),
                purl: "pkg:npm/lodash@4.17.11".into(),
            },
        ],
        diagnostics,
    }
}

/// A clean report of three repositories (one without a policy file of its own) that did not
/// check vulnerabilities: no findings, no baseline, no diagnostics.
pub(crate) fn clean_report() -> CheckReport {
    let mut r = report();
    r.findings.clear();
    r.diagnostics.clear();
    r.baseline = None;
    r.passed = true;
    r.checked.vulnerabilities = false;
    r.summary.vulnerabilities_by_severity.clear();
    r.summary.vulnerabilities_suppressed = 0;
    r.components.push(ComponentRef {
        repository: "docs-site".into(),
        purl: "pkg:npm/vitepress@1.2.3".into(),
    });
    r.summary.repositories = 3;
    let (findings, diagnostics) = (r.findings.clone(), r.diagnostics.clone());
    r.summary.count_findings(&findings, &diagnostics);
    r
}

/// `n` findings with long messages, for the size limits.
pub(crate) fn many_findings(n: usize) -> CheckReport {
    let mut r = report();
    let template = r.findings[0].finding.clone();
    r.findings = (0..n)
        .map(|i| {
            let mut f = template.clone();
            f.severity = Severity::ALL[i % 3];
            f.purl = Some(format!("pkg:npm/package-{i:05}@1.0.{i}"));
            f.message = format!(
                "{i:05} {}",
                "a long advisory summary | with pipes ".repeat(8)
            );
            Reported::new(f)
        })
        .collect();
    let (findings, diagnostics) = (r.findings.clone(), r.diagnostics.clone());
    r.summary.count_findings(&findings, &diagnostics);
    r
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|&(k, n)| (k.to_owned(), n)).collect()
}

#[test]
fn the_fixture_has_every_rule() {
    let r = report();
    for rule in rules::all() {
        assert!(
            r.findings.iter().any(|f| f.finding.code == rule.code),
            "no finding of `{}` in the fixture",
            rule.code
        );
    }
    assert!(r.findings.iter().all(|f| f.finding.code != "unknown-code"));
    let mut sorted = r.findings.clone();
    sorted.sort_by(|a, b| a.finding.cmp(&b.finding));
    assert_eq!(sorted, r.findings);
}
