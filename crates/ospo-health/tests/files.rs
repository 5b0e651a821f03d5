//! Scorecard's file checks and the aggregate on a repository built by script, every score
//! computed by hand; the robustness cases (corrupted objects, a missing HEAD, a huge file, a
//! symbolic link loop); and invariants on this repository's own real history.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ospo_health::{Error, Options, assess};
use serde_json::json;

const SHA: &str = "b4ffde65f46336ab88eb53be808477a3936bae11";

/// One commit (d = 10) by one person holding:
/// - ci.yml: top-level `contents: read`; checkout pinned by hash, setup-node@v4 and
///   codeql-action/analyze@v3 by tag; `npm ci && npm test`.
/// - pr.yml: `pull_request_target`, checks out the PR head, echoes the PR title in a script;
///   `permissions: write-all` at the top, `contents: read` in its job; checkout@v4.
/// - release.yml: top `contents: read`, job `packages: write, statuses: write`; checkout and
///   setup-node pinned; `npm publish`.
/// - Dockerfile: golang pinned by digest, alpine by tag, `curl … | sh`.
/// - binaries: tools/helper.exe, lib/old.jar, build/cache.pyc, and the exempt
///   gradle/wrapper/gradle-wrapper.jar.
/// - LICENSE (MIT), SECURITY.md (email, text, "vulnerabilities" and "7 days"), dependabot.yml,
///   fuzz/Cargo.toml (libfuzzer-sys), README, CONTRIBUTING, CODE_OF_CONDUCT, CHANGELOG,
///   .github/CODEOWNERS.
fn scorecard_repo() -> Repo {
    let mut r = Repo::new();
    r.write("README.md", "# widgets\n\nWidgets for everyone.\n");
    r.write("LICENSE", MIT);
    r.write(
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities to security@widgets.example. We answer within 7 days.\n",
    );
    r.write("CONTRIBUTING.md", "Send patches.\n");
    r.write("CODE_OF_CONDUCT.md", "Be kind.\n");
    r.write("CHANGELOG.md", "## 1.0\n");
    r.write(".github/CODEOWNERS", "* @widgets/maintainers\n");
    r.write(
        ".github/dependabot.yml",
        "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n",
    );
    r.write(
        ".github/workflows/ci.yml",
        format!(
            "name: ci
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{SHA}
      - uses: actions/setup-node@v4
      - run: npm ci && npm test
      - uses: github/codeql-action/analyze@v3
"
        ),
    );
    r.write(
        ".github/workflows/pr.yml",
        "name: pr
on: pull_request_target
permissions: write-all
jobs:
  label:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo \"${{ github.event.pull_request.title }}\"
",
    );
    r.write(
        ".github/workflows/release.yml",
        format!(
            "name: release
on:
  push:
    tags: ['v*']
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      packages: write
      statuses: write
    steps:
      - uses: actions/checkout@{SHA}
      - uses: actions/setup-node@1a4442cacd436585916779262731d5b162bc6ec7
      - run: npm publish
"
        ),
    );
    r.write(
        "Dockerfile",
        format!(
            "FROM golang@sha256:{} AS build\nRUN go build ./...\nFROM alpine:3.19\nRUN curl -fsSL https://get.example/install.sh | sh\nCOPY --from=build /app /app\n",
            "a".repeat(64)
        ),
    );
    r.write("tools/helper.exe", b"MZ\x90\x00");
    r.write("lib/old.jar", b"PK\x03\x04");
    r.write("build/cache.pyc", b"\x42\x0d\x0d\x0a");
    r.write("gradle/wrapper/gradle-wrapper.jar", b"PK\x03\x04");
    r.write(
        "fuzz/Cargo.toml",
        "[package]\nname = \"widgets-fuzz\"\n\n[package.metadata]\ncargo-fuzz = true\n\n[dependencies]\nlibfuzzer-sys = \"0.4\"\n",
    );
    r.commit(
        Who("Fay Maker", "fay@widgets.example"),
        days_ago(10),
        "widgets",
    );
    r
}

#[test]
fn scorecard_checks_are_exact() {
    let repo = scorecard_repo();
    let r = assess(&repo.path, &Options::new(AS_OF)).unwrap();
    let f = &r.files;
    let score = |name: &str| r.check(name).unwrap().score();

    assert_eq!(
        f.binary_artifacts,
        ["build/cache.pyc", "lib/old.jar", "tools/helper.exe"]
    );
    assert_eq!(f.binary_exempt, ["gradle/wrapper/gradle-wrapper.jar"]);
    // 10 - 3 binaries.
    assert_eq!(score("Binary-Artifacts"), Some(7));

    // The untrusted checkout (pr.yml line 12) and the script injection (line 13).
    let dangerous: Vec<(u32, bool)> = f
        .dangerous_workflow
        .iter()
        .map(|h| (h.line.unwrap(), h.detail.starts_with("untrusted checkout")))
        .collect();
    assert_eq!(
        dangerous,
        [(12, true), (13, false)],
        "{:?}",
        f.dangerous_workflow
    );
    assert_eq!(score("Dangerous-Workflow"), Some(0));

    assert_eq!(f.dependency_update_tool, [".github/dependabot.yml"]);
    assert_eq!(score("Dependency-Update-Tool"), Some(10));
    assert_eq!(f.fuzzing.len(), 1);
    assert_eq!(f.fuzzing[0].path, "fuzz/Cargo.toml");
    assert_eq!(score("Fuzzing"), Some(10));

    // A file (6), at the root (3), MIT is OSI-approved (1).
    let license = f.license.as_ref().unwrap();
    assert_eq!(license.detected.as_deref(), Some("MIT"));
    assert_eq!(score("License"), Some(10));

    assert_eq!(f.packaging.len(), 1);
    assert_eq!(f.packaging[0].path, ".github/workflows/release.yml");
    assert_eq!(score("Packaging"), Some(10));

    // Pinned: ci checkout, release checkout and setup-node, golang: 4. Unpinned: setup-node@v4,
    // codeql@v3, pr checkout@v4, alpine:3.19, curl | sh: 5. 10 * 4 / 9 = 4.
    assert_eq!(f.pinned.len(), 4, "{:?}", f.pinned);
    assert_eq!(f.unpinned.len(), 5, "{:?}", f.unpinned);
    assert_eq!(score("Pinned-Dependencies"), Some(4));

    assert_eq!(f.sast[0].detail, "github/codeql-action/analyze");
    assert_eq!(score("SAST"), Some(10));
    // Links (6), text (3), disclosure (1).
    assert_eq!(score("Security-Policy"), Some(10));
    // pr.yml: write-all at the top but its job declares: -0.5; release.yml: statuses: -0.5.
    assert_eq!(score("Token-Permissions"), Some(9));
    assert_eq!(f.ci.test_commands, [".github/workflows/ci.yml: npm test"]);
    assert_eq!(score("CI-Tests"), Some(10));
    // One changeset, committed by its author: no review evidence.
    assert_eq!(score("Code-Review"), Some(0));
    // One organisation (widgets.example) of 3.
    assert_eq!(score("Contributors"), Some(3));
    // The repository is 10 days old: Scorecard's "created in the last 90 days" is 0.
    assert_eq!(score("Maintained"), Some(0));
    assert_eq!(score("Signed-Releases"), None);

    // Weighted: 7*7.5 + 10*2.5 + 0*7.5 + 3*2.5 + 0*10 + 10*7.5 + 10*5 + 10*2.5 + 0*7.5 + 10*5
    // + 4*5 + 10*5 + 10*5 + 9*7.5 = 472.5 over 80 (Signed-Releases left out) = 5.9.
    assert_eq!(r.score.inputs["weighted_sum"], json!(472.5));
    assert_eq!(r.score.inputs["total_weight"], json!(80.0));
    assert_eq!(r.score.value, Some(5.9));
    assert_eq!(
        r.score.inputs["left_out"],
        json!([{"check": "Signed-Releases", "reason": "no version tag (`1.2.3`, `v1.2`, `name-1.0`…): no release to measure from"}])
    );

    // Community files: all 7 kinds present.
    assert_eq!(
        r.sustainability.governance.inputs.values().next(),
        Some(&json!(10.0))
    );
    // Every check explains itself.
    for c in &r.checks {
        assert!(!c.result.reason.is_empty(), "{}", c.name);
    }
}

/// A workflow that is not YAML is reported, and the rest still checked.
#[test]
fn unreadable_workflow_is_named() {
    let mut repo = Repo::new();
    repo.write(".github/workflows/bad.yml", "on: [push\njobs: {\n");
    repo.write("README.md", "x");
    repo.commit(ALICE, days_ago(1), "bad");
    let r = assess(&repo.path, &Options::new(AS_OF)).unwrap();
    assert_eq!(r.files.unreadable, [".github/workflows/bad.yml"]);
    assert_eq!(r.check("Binary-Artifacts").unwrap().score(), Some(10));
}

/// A missing object of the history: an error naming the repository, never a panic.
#[test]
fn corrupted_repository_is_an_error_naming_the_path() {
    let mut repo = Repo::new();
    repo.commit(ALICE, days_ago(3), "one");
    repo.commit(ALICE, days_ago(2), "two");
    repo.commit(ALICE, days_ago(1), "three");
    let first = repo.git(&["rev-parse", "HEAD~2"]);
    let object = repo
        .path
        .join(".git/objects")
        .join(&first[..2])
        .join(&first[2..]);
    std::fs::remove_file(&object).unwrap();
    let e = assess(&repo.path, &Options::new(AS_OF)).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::Read { .. }), "{text}");
    assert!(text.contains(&repo.path.display().to_string()), "{text}");
    assert!(text.contains(&first), "{text}");

    // Garbage in place of the object: also an error.
    std::fs::write(&object, b"not zlib").unwrap();
    let text = assess(&repo.path, &Options::new(AS_OF))
        .unwrap_err()
        .to_string();
    assert!(text.contains(&repo.path.display().to_string()), "{text}");
}

#[test]
fn missing_head_and_missing_folder_are_errors_naming_the_path() {
    let mut repo = Repo::new();
    repo.commit(ALICE, days_ago(1), "one");
    std::fs::remove_file(repo.path.join(".git/HEAD")).unwrap();
    let e = assess(&repo.path, &Options::new(AS_OF)).unwrap_err();
    assert!(matches!(e, Error::Open { .. }));
    assert!(e.to_string().contains(&repo.path.display().to_string()));

    let nowhere = repo.sibling("does-not-exist");
    let e = assess(&nowhere, &Options::new(AS_OF)).unwrap_err();
    assert!(e.to_string().contains("does-not-exist"), "{e}");
}

/// A file larger than the read limit is judged by its name and listed as skipped; symbolic
/// links (a loop among them) are tree entries, never followed; a path that is itself a
/// link loop is an error naming it.
#[test]
fn huge_files_and_symlink_loops() {
    let mut repo = Repo::new();
    let mut readme = b"# big\n".to_vec();
    readme.resize(3 << 20, b'x');
    repo.write("README.md", &readme);
    repo.write("assets/blob.bin", vec![0u8; 2 << 20]);
    std::os::unix::fs::symlink("b", repo.path.join("a")).unwrap();
    std::os::unix::fs::symlink("a", repo.path.join("b")).unwrap();
    std::os::unix::fs::symlink("loop", repo.path.join("loop")).unwrap();
    repo.commit(ALICE, days_ago(1), "big");
    let r = assess(&repo.path, &Options::new(AS_OF)).unwrap();
    assert_eq!(r.files.community.readme.as_deref(), Some("README.md"));
    assert_eq!(
        r.files.skipped,
        ["README.md: 3145728 bytes, larger than 1048576"]
    );
    assert_eq!(r.files.deprecation, None);

    let looped = repo.sibling("self");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let e = assess(&looped, &Options::new(AS_OF)).unwrap_err();
    assert!(e.to_string().contains("self"), "{e}");
}

/// This repository's own history (a real one, hundreds of commits by people and merges):
/// invariants only, since it grows. Skipped when the sources are not a git checkout.
#[test]
fn real_history_invariants() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if !root.join(".git").exists() {
        eprintln!("skipped: {} is not a git checkout", root.display());
        return;
    }
    let opts = Options::new(1_800_000_000);
    let r = assess(&root, &opts).unwrap();
    let h = &r.history;
    assert!(h.complete || r.shallow);
    if r.shallow {
        return;
    }
    let commits = h.commits.value.unwrap();
    assert!(commits >= 100, "{commits}");
    let all = h.contributors_all.value.unwrap();
    assert!(all >= 1);
    assert!(h.bus_factor.value.unwrap() <= all);
    assert!(h.elephant_factor.value.unwrap() >= 1);
    assert!(h.contributors_365d.value.unwrap() <= all);
    assert!(h.commits_365d.value.unwrap() <= commits);
    assert!(h.active_weeks_365d.value.unwrap() <= 52);
    for c in &r.checks {
        assert!(c.score().is_none_or(|s| s <= 10), "{}", c.name);
    }
    let s = r.score.value.unwrap();
    assert!((0.0..=10.0).contains(&s));
    assert!(r.files.community.readme.is_some());
    assert!(r.files.ci.systems.is_empty() || !r.files.ci.files.is_empty());
    // Deterministic.
    let again = assess(&root, &opts).unwrap();
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}
