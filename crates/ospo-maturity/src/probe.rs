//! File-presence probes of a repository's work tree: licence, security policy, contributing
//! guide, code of conduct, ownership, notices, committed SBOMs, the policy file and the CI
//! configuration (which tools it runs). Names are matched case-insensitively, with or without an
//! extension, at the root and in `.github/`, `docs/` and `.gitlab/` where those are conventional.
//! The only entry point is [`repository`]; the inventory fact is left for the scan to fill.

use std::path::Path;

use crate::facts::{Ci, Fact, PolicyException, PolicyFile, RepoFacts, SecurityPolicy, Tool};

/// CI and security files are read up to this size.
const MAX_READ: u64 = 1024 * 1024;

/// The folders community files may sit in, besides the root.
const COMMUNITY_DIRS: &[&str] = &["", ".github", "docs", ".gitlab"];

/// The facts of every repository of a scanned portfolio: each work tree probed, the inventory
/// taken from the scan.
pub fn portfolio(scanned: &ospo_model::Portfolio) -> Vec<RepoFacts> {
    scanned
        .repositories
        .iter()
        .map(|repo| {
            let mut facts = repository(&repo.path);
            facts.name.clone_from(&repo.name);
            facts.path.clone_from(&repo.path);
            facts.inventory = crate::facts::inventory_of(repo);
            facts
        })
        .collect()
}

/// Probes a repository's work tree.
pub fn repository(root: &Path) -> RepoFacts {
    let name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    let Ok(top) = list(root, "") else {
        return RepoFacts::unknown(
            name,
            root,
            &format!("cannot read the folder `{}`", root.display()),
        );
    };
    let mut facts = RepoFacts::unknown(name, root, "not scanned: run the inventory");
    let found = |stems: &[&str], dirs: &[&str]| -> Fact<Vec<String>> {
        let mut files = Vec::new();
        for dir in dirs {
            let entries = if dir.is_empty() {
                top.clone()
            } else {
                list(root, dir).unwrap_or_default()
            };
            files.extend(
                entries
                    .into_iter()
                    .filter(|(rel, is_file)| *is_file && stem_matches(rel, stems)),
            );
        }
        let files: Vec<String> = files.into_iter().map(|(rel, _)| rel).collect();
        Fact::known(files.clone(), files)
    };
    facts.licence_files = {
        let mut f = found(&["license", "licence", "copying", "unlicense"], &[""]);
        // LICENSE-MIT, LICENCE-APACHE, COPYING.LESSER…
        if let Fact::Known { value, evidence } = &mut f {
            for (rel, is_file) in &top {
                let lower = rel.to_ascii_lowercase();
                if *is_file
                    && ["license-", "licence-", "copying."]
                        .iter()
                        .any(|p| lower.starts_with(p))
                    && !value.contains(rel)
                {
                    value.push(rel.clone());
                    evidence.push(rel.clone());
                }
            }
            value.sort();
            evidence.sort();
        }
        f
    };
    facts.contributing = found(&["contributing"], COMMUNITY_DIRS);
    facts.code_of_conduct = found(&["code_of_conduct", "code-of-conduct"], COMMUNITY_DIRS);
    facts.ownership = found(
        &["codeowners", "governance", "maintainers", "owners"],
        COMMUNITY_DIRS,
    );
    facts.notice_files = found(
        &[
            "notice",
            "notices",
            "third-party-notices",
            "third_party_notices",
            "thirdpartynotices",
            "third-party-licenses",
            "third_party_licenses",
            "thirdpartylicenses",
            "third-party-licences",
            "third_party_licences",
        ],
        &["", "docs"],
    );
    facts.sbom_files = {
        let mut files = Vec::new();
        for dir in ["", "sbom", ".sbom", "docs"] {
            let entries = if dir.is_empty() {
                top.clone()
            } else {
                list(root, dir).unwrap_or_default()
            };
            files.extend(
                entries
                    .into_iter()
                    .filter(|(rel, is_file)| *is_file && is_sbom_name(rel))
                    .map(|(rel, _)| rel),
            );
        }
        Fact::known(files.clone(), files)
    };
    facts.security_policy = security_policy(root);
    facts.policy = policy(root);
    facts.ci = ci(root, &top);
    facts
}

/// The entries of `root/dir`: (path relative to the root with `/`, is a file), sorted.
fn list(root: &Path, dir: &str) -> std::io::Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join(dir))? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry
            .file_type()
            .is_ok_and(|t| t.is_file() || t.is_symlink());
        let rel = if dir.is_empty() {
            name
        } else {
            format!("{dir}/{name}")
        };
        out.push((rel, is_file));
    }
    out.sort();
    Ok(out)
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// `LICENSE`, `License.md`, `licence.txt`… for stem `license`.
fn stem_matches(rel: &str, stems: &[&str]) -> bool {
    let name = file_name(rel).to_ascii_lowercase();
    let stem = match name.rsplit_once('.') {
        Some((s, ext)) if ["md", "txt", "rst", "adoc", "markdown", "html"].contains(&ext) => s,
        _ => name.as_str(),
    };
    stems.contains(&stem)
}

fn is_sbom_name(rel: &str) -> bool {
    let name = file_name(rel).to_ascii_lowercase();
    [
        ".cdx.json",
        ".cdx.xml",
        ".spdx.json",
        ".spdx",
        ".spdx.yaml",
        ".spdx.yml",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
        || ["bom.json", "bom.xml"].contains(&name.as_str())
        || (name.contains("sbom") && [".json", ".xml", ".spdx"].iter().any(|e| name.ends_with(e)))
}

fn read_text(path: &Path) -> Option<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_READ).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn security_policy(root: &Path) -> Fact<Option<SecurityPolicy>> {
    for dir in COMMUNITY_DIRS {
        let Ok(entries) = list(root, dir) else {
            continue;
        };
        for (rel, is_file) in entries {
            if !is_file || !stem_matches(&rel, &["security"]) {
                continue;
            }
            let Some(text) = read_text(&root.join(&rel)) else {
                return Fact::unknown(format!("cannot read `{rel}`"));
            };
            let contacts = contacts(&text);
            let mut evidence = vec![rel.clone()];
            evidence.extend(contacts.iter().map(|c| format!("contact: {c}")));
            return Fact::known(
                Some(SecurityPolicy {
                    file: rel,
                    contacts,
                }),
                evidence,
            );
        }
    }
    Fact::known(None, Vec::new())
}

/// E-mail addresses and web links in a text (at most three): where to report a vulnerability.
pub fn contacts(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || "<>()[]\"'`,;".contains(c)) {
        let word = word.trim_matches(|c: char| ".:!?*_".contains(c));
        let word = word.strip_prefix("mailto:").unwrap_or(word);
        let is_url = word.starts_with("https://") || word.starts_with("http://");
        let is_email = word.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty()
                && user
                    .chars()
                    .all(|c| c.is_alphanumeric() || "._+-".contains(c))
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && domain
                    .chars()
                    .all(|c| c.is_alphanumeric() || ".-".contains(c))
        });
        if (is_url || is_email) && !out.iter().any(|o| o == word) {
            out.push(word.to_owned());
            if out.len() == 3 {
                break;
            }
        }
    }
    out
}

fn policy(root: &Path) -> Fact<Option<PolicyFile>> {
    let file = root.join(ospo_policy::FILE_NAME);
    if !file.is_file() {
        return Fact::known(None, Vec::new());
    }
    let path = ospo_policy::FILE_NAME.to_owned();
    let value = match ospo_policy::load(&file) {
        Ok(policy) => {
            let mut exceptions: Vec<PolicyException> = policy
                .exceptions
                .iter()
                .map(|e| PolicyException {
                    subject: format!("[{}] {}", e.kind.table(), e.subject),
                    expires: e.expires,
                    place: format!(
                        "{}:{}:{}",
                        display_rel(root, &e.origin.file),
                        e.origin.line,
                        e.origin.column
                    ),
                })
                .collect();
            exceptions.sort_by(|a, b| a.place.cmp(&b.place));
            PolicyFile {
                path: path.clone(),
                errors: Vec::new(),
                exceptions,
            }
        }
        Err(errors) => PolicyFile {
            path: path.clone(),
            errors: errors
                .iter()
                .map(|e| {
                    let mut e = e.clone();
                    e.file = display_rel(root, &e.file).into();
                    e.to_string()
                })
                .collect(),
            exceptions: Vec::new(),
        },
    };
    Fact::known(Some(value), vec![path])
}

fn display_rel(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string()
        .replace('\\', "/")
}

/// The tools CI may run, and the phrases that name them (matched in lower case, quotes removed).
const SCA_TOOLS: &[(&str, &[&str])] = &[
    (
        "ospo",
        &["ospo check", "ospo scan", "ospo vulns", "ospo licenses"],
    ),
    ("osv-scanner", &["osv-scanner"]),
    ("trivy", &["trivy"]),
    ("grype", &["grype"]),
    ("snyk", &["snyk"]),
    ("owasp dependency-check", &["dependency-check"]),
    ("cargo-deny", &["cargo deny", "cargo-deny"]),
    ("cargo-audit", &["cargo audit", "cargo-audit"]),
    ("npm audit", &["npm audit", "yarn audit", "pnpm audit"]),
    ("pip-audit", &["pip-audit"]),
    ("govulncheck", &["govulncheck"]),
    ("bundler-audit", &["bundler-audit", "bundle audit"]),
    ("github dependency review", &["dependency-review-action"]),
    ("fossa", &["fossa"]),
    ("scancode", &["scancode"]),
];
const SBOM_TOOLS: &[(&str, &[&str])] = &[
    ("ospo", &["ospo sbom"]),
    ("syft", &["syft"]),
    ("cdxgen", &["cdxgen"]),
    ("cyclonedx", &["cyclonedx"]),
    ("spdx-sbom-generator", &["spdx-sbom-generator"]),
    ("sbom-tool", &["sbom-tool"]),
    ("sbom-action", &["sbom-action"]),
];
const HEALTH_TOOLS: &[(&str, &[&str])] = &[
    ("openssf scorecard", &["scorecard"]),
    ("ospo", &["ospo health"]),
];
const NOTICE_TOOLS: &[(&str, &[&str])] = &[
    ("ospo", &["ospo notice"]),
    ("cargo-about", &["cargo about", "cargo-about"]),
    ("license-checker", &["license-checker"]),
    ("pip-licenses", &["pip-licenses"]),
];

fn ci(root: &Path, top: &[(String, bool)]) -> Fact<Ci> {
    let mut files: Vec<String> = Vec::new();
    let root_files = [
        ".gitlab-ci.yml",
        "jenkinsfile",
        "azure-pipelines.yml",
        ".travis.yml",
        "bitbucket-pipelines.yml",
        ".drone.yml",
        ".woodpecker.yml",
    ];
    for (rel, is_file) in top {
        if *is_file && root_files.contains(&rel.to_ascii_lowercase().as_str()) {
            files.push(rel.clone());
        }
    }
    for dir in [
        ".github/workflows",
        ".circleci",
        ".buildkite",
        ".woodpecker",
        ".gitlab/ci",
        ".ci",
    ] {
        for (rel, is_file) in list(root, dir).unwrap_or_default() {
            let lower = rel.to_ascii_lowercase();
            let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
            if is_file && (yaml || dir == ".ci") {
                files.push(rel);
            }
        }
    }
    files.sort();
    let mut ci = Ci::default();
    for rel in &files {
        let Some(text) = read_text(&root.join(rel)) else {
            continue;
        };
        let text = text.to_lowercase().replace(['"', '\''], "");
        let find = |table: &[(&str, &[&str])], into: &mut Vec<Tool>| {
            for (name, phrases) in table {
                if phrases.iter().any(|p| text.contains(p)) {
                    into.push(Tool {
                        name: (*name).to_owned(),
                        file: rel.clone(),
                    });
                }
            }
        };
        find(SCA_TOOLS, &mut ci.sca);
        find(SBOM_TOOLS, &mut ci.sbom);
        find(HEALTH_TOOLS, &mut ci.health);
        find(NOTICE_TOOLS, &mut ci.notice);
    }
    for bot in [
        ".github/dependabot.yml",
        ".github/dependabot.yaml",
        "renovate.json",
        "renovate.json5",
        ".renovaterc",
        ".renovaterc.json",
        ".github/renovate.json",
        ".github/renovate.json5",
        ".gitlab/renovate.json",
    ] {
        if root.join(bot).is_file() {
            ci.update_bots.push(bot.to_owned());
        }
    }
    let mut evidence: Vec<String> = files.clone();
    for t in ci
        .sca
        .iter()
        .chain(&ci.sbom)
        .chain(&ci.health)
        .chain(&ci.notice)
    {
        evidence.push(format!("{} in {}", t.name, t.file));
    }
    evidence.extend(ci.update_bots.iter().cloned());
    ci.files = files;
    Fact::known(ci, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn finds_files_case_insensitively_in_conventional_folders() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        write(root, "License.md", "MIT");
        write(root, "LICENSE-APACHE", "Apache");
        write(root, ".github/CONTRIBUTING.md", "how");
        write(root, "docs/code_of_conduct.md", "be kind");
        write(root, ".github/CODEOWNERS", "* @team");
        write(root, "NOTICE", "notices");
        write(root, "sbom/app.cdx.json", "{}");
        write(
            root,
            ".github/SECURITY.md",
            "Report to <security@example.com> or https://example.com/security.",
        );
        write(
            root,
            ".github/workflows/ci.yml",
            "steps:\n  - run: \"ospo\" check\n  - uses: anchore/sbom-action@v0\n  - uses: ossf/scorecard-action@v2\n",
        );
        write(root, ".github/dependabot.yml", "version: 2");
        let f = repository(root);
        assert_eq!(
            f.licence_files.value(),
            Some(&vec!["LICENSE-APACHE".to_owned(), "License.md".to_owned()])
        );
        assert_eq!(
            f.contributing.value(),
            Some(&vec![".github/CONTRIBUTING.md".to_owned()])
        );
        assert_eq!(
            f.code_of_conduct.value(),
            Some(&vec!["docs/code_of_conduct.md".to_owned()])
        );
        assert_eq!(
            f.ownership.value(),
            Some(&vec![".github/CODEOWNERS".to_owned()])
        );
        assert_eq!(f.notice_files.value(), Some(&vec!["NOTICE".to_owned()]));
        assert_eq!(
            f.sbom_files.value(),
            Some(&vec!["sbom/app.cdx.json".to_owned()])
        );
        let sec = f.security_policy.value().cloned().flatten();
        assert_eq!(
            sec.map(|s| s.contacts),
            Some(vec![
                "security@example.com".to_owned(),
                "https://example.com/security".to_owned()
            ])
        );
        let ci = f.ci.value().cloned().unwrap_or_default();
        assert_eq!(ci.files, [".github/workflows/ci.yml"]);
        let names = |t: &[Tool]| t.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ci.sca), ["ospo"]);
        assert_eq!(names(&ci.sbom), ["sbom-action"]);
        assert_eq!(names(&ci.health), ["openssf scorecard"]);
        assert_eq!(ci.update_bots, [".github/dependabot.yml"]);
        assert_eq!(f.policy.value(), Some(&None));
    }

    #[test]
    fn an_empty_folder_has_nothing_and_a_missing_one_is_unknown() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let f = repository(dir.path());
        assert_eq!(f.licence_files.value(), Some(&Vec::new()));
        assert_eq!(f.security_policy.value(), Some(&None));
        assert_eq!(f.ci.value().map(|c| c.files.len()), Some(0));
        let missing = repository(&dir.path().join("nope"));
        assert!(matches!(missing.licence_files, Fact::Unknown { .. }));
    }

    #[test]
    fn contacts_are_addresses_and_links_only() {
        assert_eq!(
            contacts(
                "Mail: mailto:sec@corp.example. Not a@b, not @handle, see (https://x.example/report)."
            ),
            ["sec@corp.example", "https://x.example/report"]
        );
        assert!(contacts("Please open an issue.").is_empty());
    }

    #[test]
    fn policy_file_is_validated_and_its_exceptions_listed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(dir.path(), "ospo.toml", "[licenses]\nalow = []\n");
        let bad = repository(dir.path()).policy.value().cloned().flatten();
        let errors = bad.map(|p| p.errors).unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("ospo.toml:2:1:"), "{errors:?}");
    }
}
