//! `ospo check`, `ospo diff` and `ospo report` as a user meets them, on a fixture repository
//! whose policy and dependencies trigger every rule (`tests/fixtures/check-all`, its advisories
//! in `osv/`), and a repository whose policy is broken (`tests/fixtures/check-invalid`). The
//! JSON report is validated against `schemas/ospo-check.schema.json`, the SARIF one against the
//! official SARIF 2.1.0 schema.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

const TODAY: &str = "2026-06-01";

fn ospo() -> Command {
    let mut cmd = Command::cargo_bin("ospo").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .env_remove("OSPO_DB");
    cmd
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The fixture's advisories, imported once into a database.
fn db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep().join("db");
        let out = ospo()
            .args(["db", "--db"])
            .arg(&dir)
            .args(["import", "-q"])
            .arg(fixture("check-all/osv"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        dir
    })
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(path: &Path, args: &[&str]) -> Run {
    let out = ospo()
        .args(["check", "-q", "--no-cache", "--today", TODAY, "--db"])
        .arg(db())
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn validate(schema: &Path, doc: &Value) {
    let schema: Value = serde_json::from_slice(&std::fs::read(schema).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn all_codes() -> BTreeSet<String> {
    let out = ospo()
        .args(["rules", "list", "-f", "json"])
        .output()
        .unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_rule_fires_on_the_fixture_and_the_json_report_keeps_its_schema() {
    let run = check(&fixture("check-all"), &["-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = json(&run);
    validate(&root().join("schemas/ospo-check.schema.json"), &doc);
    let found: BTreeSet<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    let mut expected = all_codes();
    // A broken policy stops the check: it has its own fixture below. Health needs a git
    // history: `the_gate_checks_health_when_the_policy_asks` and tests/health.rs.
    expected.remove("policy-invalid");
    expected.retain(|c| !c.starts_with("health-"));
    assert_eq!(
        expected.difference(&found).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rules that did not fire"
    );
    assert_eq!(doc["passed"], false);
    assert_eq!(doc["date"], TODAY);
    assert_eq!(doc["checked"]["vulnerabilities"], true);
    assert_eq!(
        doc["policies"]["check-all"],
        serde_json::json!(["ospo.toml"])
    );
    // The VEX statement suppressed its advisory; the expired ignore did not.
    assert_eq!(doc["summary"]["vulnerabilities_suppressed"], 1);
    let find = |code: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(
        find("vulnerability-critical")[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("GHSA-fix7-vcri-0001 (critical 9.8) in `vuln-critical@1.0.0`")
    );
    assert!(
        !run.stdout.contains("GHSA-fix7-vvex-0001"),
        "the VEX-covered advisory is reported"
    );
    // fail-on = "high": a medium vulnerability is a warning, a high one an error.
    assert_eq!(find("vulnerability-high")[0]["severity"], "error");
    assert_eq!(find("vulnerability-medium")[0]["severity"], "warning");
    let ban = &find("ban-denied")[0];
    assert_eq!(ban["purl"], "pkg:npm/event-stream@3.3.6");
    assert_eq!(ban["location"]["path"], "app/package-lock.json");
    assert!(ban["location"]["line"].as_u64().unwrap() > 1);
    let expired = &find("policy-exception-expired")[0];
    assert_eq!(
        (
            &expired["location"]["path"],
            &expired["location"]["line"],
            &expired["location"]["column"]
        ),
        (&Value::from("ospo.toml"), &Value::from(15), &Value::from(1))
    );
    let denied: Vec<_> = find("license-denied")
        .iter()
        .map(|f| f["purl"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        denied,
        ["pkg:npm/gpl-lib@1.0.0", "pkg:npm/agpl-lib@2.0.0"],
        "AGPL by the default denied class, GPL by the deny list"
    );
    let vex = &find("vex-invalid")[0];
    assert_eq!(
        (&vex["repository"], &vex["location"]["path"]),
        (&Value::from("check-all"), &Value::from("broken.vex.json"))
    );
    // Sorted, and the same bytes every run.
    assert_eq!(
        check(&fixture("check-all"), &["-f", "json"]).stdout,
        run.stdout
    );
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let run = check(&fixture("check-all"), &["-f", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = json(&run);
    validate(
        &root().join("crates/ospo-report/tests/schemas/sarif-2.1.0.json"),
        &doc,
    );
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), all_codes().len());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(r["partialFingerprints"]["ospo/v1"].is_string());
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.is_empty() && !uri.contains(' '), "{uri}");
    }
    let ban = results
        .iter()
        .find(|r| r["ruleId"] == "ban-denied")
        .unwrap();
    assert_eq!(ban["level"], "error");
    assert_eq!(
        ban["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/package-lock.json"
    );
}

#[test]
fn a_broken_policy_is_reported_with_its_places_and_exits_2() {
    let run = check(&fixture("check-invalid"), &["-f", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let doc = json(&run);
    validate(&root().join("schemas/ospo-check.schema.json"), &doc);
    let places: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["code"], "policy-invalid");
            let l = &f["location"];
            format!(
                "{}:{}:{}",
                l["path"].as_str().unwrap(),
                l["line"],
                l["column"]
            )
        })
        .collect();
    assert_eq!(
        places,
        ["ospo.toml:4:1", "ospo.toml:6:1", "ospo.toml:10:11"],
        "{:#}",
        doc["findings"]
    );
    assert_eq!(doc["checked"]["licenses"], false);
}

#[test]
fn a_baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("app");
    copy_dir(&fixture("check-all"), &repo);
    let baseline = dir.path().join("baseline.json");
    let first = check(&repo, &["-f", "json", "-o", baseline.to_str().unwrap()]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    let known =
        serde_json::from_slice::<Value>(&std::fs::read(&baseline).unwrap()).unwrap()["findings"]
            .as_array()
            .unwrap()
            .len();

    // Nothing new: the gate passes, and says what it left out.
    let again = check(
        &repo,
        &["-f", "json", "--baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(again.code, 0, "{}", again.stdout);
    let doc = json(&again);
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(doc["baseline"]["known"], known);
    assert_eq!(doc["baseline"]["fixed"], 0);
    validate(&root().join("schemas/ospo-check.schema.json"), &doc);

    // A new banned package and lines moved: only the new finding is reported. A SARIF
    // baseline works the same.
    let sarif = dir.path().join("baseline.sarif");
    check(&repo, &["-f", "sarif", "-o", sarif.to_str().unwrap()]);
    let policy = repo.join("ospo.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(
        &policy,
        format!(
            "{text}\n[[bans.deny]]\npackage = \"pkg:npm/lgpl-lib\"\nreason = \"moving to a permissive fork\"\n"
        ),
    )
    .unwrap();
    let lock = repo.join("app/package-lock.json");
    let text = std::fs::read_to_string(&lock).unwrap();
    std::fs::write(&lock, text.replacen("{\n", "{\n\n\n", 1)).unwrap();
    for base in [&baseline, &sarif] {
        let run = check(&repo, &["-f", "json", "--baseline", base.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let doc = json(&run);
        let codes: Vec<_> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["code"].clone(), f["purl"].clone()))
            .collect();
        assert_eq!(
            codes,
            [(
                Value::from("ban-denied"),
                Value::from("pkg:npm/lgpl-lib@1.0.0")
            )],
            "baseline {}",
            base.display()
        );
    }

    // A baseline that is not one is an error, not an empty baseline.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"hello\": 1}").unwrap();
    let run = check(&repo, &["--baseline", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.json"), "{}", run.stderr);
}

#[test]
fn diff_compares_reports_and_inventories_and_report_rerenders() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("app");
    copy_dir(&fixture("check-all"), &repo);
    let a = dir.path().join("a.json");
    check(&repo, &["-f", "json", "-o", a.to_str().unwrap()]);
    // Upgrade the critical package, add one, remove the banned one.
    let lock = repo.join("app/package-lock.json");
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&lock).unwrap()).unwrap();
    let packages = doc["packages"].as_object_mut().unwrap();
    packages.remove("node_modules/event-stream");
    packages["node_modules/vuln-critical"]["version"] = "1.0.1".into();
    packages.insert(
        "node_modules/vuln-new".into(),
        serde_json::json!({"version": "1.0.0", "resolved": "https://registry.npmjs.org/vuln-new/-/vuln-new-1.0.0.tgz", "license": "MIT"}),
    );
    std::fs::write(&lock, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let b = dir.path().join("b.json");
    check(&repo, &["-f", "json", "-o", b.to_str().unwrap()]);

    let out = ospo()
        .args(["diff", "-f", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "no new findings");
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["schema"], "ospo-diff/1");
    assert_eq!(
        d["components"]["added"][0]["purl"],
        "pkg:npm/vuln-new@1.0.0"
    );
    assert_eq!(
        d["components"]["removed"][0]["purl"],
        "pkg:npm/event-stream@3.3.6"
    );
    assert_eq!(
        d["components"]["changed"][0]["package"],
        "pkg:npm/vuln-critical"
    );
    let fixed: BTreeSet<&str> = d["findings"]["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(fixed.contains("ban-denied") && fixed.contains("vulnerability-critical"));
    // The other way round, the fixed findings are new: exit 1.
    let back = ospo().arg("diff").arg(&b).arg(&a).output().unwrap();
    assert_eq!(back.status.code(), Some(1));
    let text = String::from_utf8(back.stdout).unwrap();
    assert!(text.contains("New findings"), "{text}");

    // A report against the folder itself (an inventory): components only.
    let inv = ospo().arg("diff").arg(&b).arg(&repo).output().unwrap();
    let text = String::from_utf8(inv.stdout).unwrap();
    assert!(text.contains("Findings not compared"), "{text}");
    assert!(text.contains("No differences"), "{text}");

    // `ospo report` renders the saved report again, with its exit code.
    let out = ospo()
        .args(["report", "-f", "sarif"])
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn also_writes_every_format_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (j, s) = (dir.path().join("r.json"), dir.path().join("r.sarif"));
    let run = check(
        &fixture("check-all"),
        &[
            "-f",
            "json",
            "--also",
            &format!("json={}", j.display()),
            "--also",
            &format!("sarif={}", s.display()),
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(std::fs::read_to_string(&j).unwrap(), run.stdout);
    let sarif: Value = serde_json::from_slice(&std::fs::read(&s).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let bad = check(&fixture("check-all"), &["--also", "pdf=x.pdf"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("pdf"), "{}", bad.stderr);
}

#[test]
fn without_a_database_vulnerabilities_are_not_checked_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = ospo()
        .args([
            "check",
            "-q",
            "--no-cache",
            "--today",
            TODAY,
            "-f",
            "json",
            "--db",
        ])
        .arg(dir.path().join("empty"))
        .arg(fixture("check-all"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["checked"]["vulnerabilities"], false);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("NOT checked"), "{stderr}");
    assert!(
        !doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"].as_str().unwrap().starts_with("vulnerability-"))
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The `ospo …` commands of the CI examples and the pre-commit hooks, joined across folded
/// lines.
fn example_commands(text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let t = line.trim();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let t = t.strip_prefix("run: ").unwrap_or(t);
        let t = t.strip_prefix("entry: ").unwrap_or(t);
        if let Some(rest) = t.strip_prefix("ospo ") {
            out.push(rest.split_whitespace().map(str::to_owned).collect());
            open = true;
        } else if open && t.starts_with("--") {
            if let Some(last) = out.last_mut() {
                last.extend(t.split_whitespace().map(str::to_owned));
            }
        } else {
            open = false;
        }
    }
    out
}

#[test]
fn the_ci_examples_and_hooks_run() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(&fixture("check-all"), &repo);
    std::fs::write(repo.join("ospo-baseline.json"), {
        let run = check(&repo, &["-f", "json"]);
        run.stdout
    })
    .unwrap();
    let mut seen = 0;
    for file in [
        "examples/ci/github-actions.yml",
        "examples/ci/gitlab-ci.yml",
        ".pre-commit-hooks.yaml",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        for args in example_commands(&text) {
            seen += 1;
            let mut cmd = ospo();
            cmd.current_dir(&repo).env("OSPO_DB", db());
            if args.first().map(String::as_str) == Some("db") {
                // No network here: the arguments must parse.
                let out = cmd.args(&args).arg("--help").output().unwrap();
                assert!(out.status.success(), "{file}: ospo {}", args.join(" "));
                continue;
            }
            let out = if args.first().map(String::as_str) == Some("check") {
                cmd.args(["check", "--today", TODAY, "--no-cache"])
                    .args(&args[1..])
                    .output()
                    .unwrap()
            } else {
                cmd.args(&args).output().unwrap()
            };
            let code = out.status.code();
            assert!(
                code == Some(0) || code == Some(1),
                "{file}: ospo {} exited {code:?}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
            for also in args.iter().filter_map(|a| a.split_once('=')) {
                assert!(
                    repo.join(also.1).is_file(),
                    "{file}: {} not written",
                    also.1
                );
            }
        }
    }
    assert_eq!(seen, 6, "the examples' commands were not all found");
}

#[test]
fn every_renderer_on_the_fixture_snapshot() {
    for (format, name) in [
        ("terminal", "check-all-terminal"),
        ("markdown", "check-all-markdown"),
        ("junit", "check-all-junit"),
    ] {
        let run = check(&fixture("check-all"), &["-f", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        insta::assert_snapshot!(name, run.stdout);
    }
    let html = check(&fixture("check-all"), &["-f", "html"]).stdout;
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    for code in all_codes()
        .iter()
        .filter(|c| *c != "policy-invalid" && !c.starts_with("health-"))
    {
        assert!(
            html.contains(code.as_str()),
            "{code} missing from the HTML report"
        );
    }
}

/// A git repository with one commit by one person, at fixed dates and without the machine's git
/// configuration.
fn git_repo(dir: &Path) {
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .env("GIT_AUTHOR_NAME", "Ada")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", "2025-01-01T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-01-01T12:00:00Z")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "first"]);
}

#[test]
fn the_gate_checks_health_when_the_policy_asks() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("svc");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(
        repo.join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"svc\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    // Without a health key, health is not checked.
    git_repo(&repo);
    let run = check(&repo, &["-f", "json"]);
    let doc = json(&run);
    assert_eq!(doc["checked"]["health"], false, "{}", run.stderr);
    std::fs::write(
        repo.join("ospo.toml"),
        "[health]\nmin-score = 9.5\nmax-inactive-days = 365\n",
    )
    .unwrap();
    let run = check(&repo, &["-f", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = json(&run);
    validate(&root().join("schemas/ospo-check.schema.json"), &doc);
    assert_eq!(doc["checked"]["health"], true);
    let codes: BTreeSet<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    // One author (bus factor 1), no commit in the 365 days before TODAY, no SECURITY.md, no
    // licence, and a score far below 9.5.
    for code in [
        "health-score-low",
        "health-bus-factor",
        "health-abandoned",
        "health-no-security-policy",
        "health-no-license",
    ] {
        assert!(codes.contains(code), "{code} missing: {codes:?}");
    }
}
