//! `ospo assess`: exit codes, formats, and the interactive attestation driven through a real
//! pseudo-terminal (util-linux `script`), checking the file it writes.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command as Std, Stdio};

use assert_cmd::Command;

fn ospo() -> Command {
    let mut cmd = Command::cargo_bin("ospo").unwrap();
    cmd.env("NO_COLOR", "1").env_remove("OSPO_DB");
    cmd
}

/// A folder with one repository: a lockfile and nothing else (stage 0).
fn bare_repo(root: &Path) {
    let repo = root.join("svc");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(
        repo.join("Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .unwrap();
}

#[test]
fn bad_attestation_file_exits_2_with_placed_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    bare_repo(dir.path());
    let file = dir.path().join("att.toml");
    std::fs::write(
        &file,
        "[[attestation]]\ncriterion = \"ospo-stages:legal-metric\"\nanswer = \"met\"\nby = \"x\"\ndate = 2026-01-01\nstatement = \"s\"\nexpires = \"2027-02-30\"\n",
    )
    .unwrap();
    let out = ospo()
        .args(["assess", "-q", "--as-of", "2026-06-01", "--attestations"])
        .arg(&file)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("att.toml:2:13: error: unknown criterion `ospo-stages:legal-metric`; did you mean `ospo-stages:legal-metrics`?"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("att.toml:7:11: error: `expires`: `2027-02-30` is not a date as YYYY-MM-DD"),
        "{stderr}"
    );
}

#[test]
fn bad_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["assess", "--as-of", "June"],
        vec!["assess", "--framework", "nope"],
    ] {
        let out = ospo().args(&args).arg(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn json_and_html_of_a_bare_repository() {
    let dir = tempfile::tempdir().unwrap();
    bare_repo(dir.path());
    let db = dir.path().join("empty-db");
    let out = ospo()
        .args([
            "assess",
            "-q",
            "-f",
            "json",
            "--as-of",
            "2026-06-01",
            "--db",
        ])
        .arg(&db)
        .arg("--attestations")
        .arg(dir.path().join("none.toml"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "ospo-assessment/1");
    assert_eq!(doc["repositories"], serde_json::json!(["svc"]));
    assert_eq!(doc["frameworks"][0]["id"], "ospo-stages");
    assert_eq!(doc["frameworks"][0]["reached"], 0);
    assert_eq!(
        doc["next"][0]["criterion"],
        "ospo-stages:legal-licence-policy"
    );
    // The empty database is evidence: level 3's vulnerability data criterion is unmet.
    let db_criterion = doc["frameworks"][1]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "security-levels:l3-vuln-db")
        .unwrap();
    assert_eq!(db_criterion["status"], "unmet");

    let out = ospo()
        .args(["assess", "-q", "-f", "html", "--as-of", "2026-06-01"])
        .arg(dir.path())
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg") && !html.contains("<script"));
}

#[test]
fn interactive_needs_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    bare_repo(dir.path());
    let out = ospo()
        .args(["assess", "-q", "--interactive", "--as-of", "2026-06-01"])
        .arg(dir.path())
        .write_stdin("m\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
}

fn has_script() -> bool {
    Std::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A person answers two questions and quits at the third, in a real terminal (a pseudo-terminal
/// that `script` runs the command in); the file keeps its comment and gains two entries that
/// the next assessment counts.
#[test]
fn interactive_attestation_in_a_terminal() {
    if !has_script() {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    bare_repo(dir.path());
    let file = dir.path().join("ospo-attestations.toml");
    std::fs::write(&file, "# The ACME policy repository's attestations.\n").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("ospo");
    let command = format!(
        "'{}' assess -q --as-of 2026-06-01 --framework ospo-stages --interactive --attestations '{}' '{}'",
        bin.display(),
        file.display(),
        dir.path().display()
    );
    let answers = "Ana Example <ana@example.com>\n\
                   m\nEvery engineer took OSPO 101 module 5 in 2026.\nhttps://wiki.example.com/training\n\n\
                   p\nRisks written for two of five business units.\n\n2027-01-31\n\
                   q\n";
    let mut child = Std::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(answers.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{screen}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(screen.contains("[1/"), "{screen}");
    assert!(screen.contains("answer [m/p/u/n/s/q]"), "{screen}");
    assert!(screen.contains("wrote 2 attestation(s)"), "{screen}");

    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.starts_with("# The ACME policy repository's attestations.\n"),
        "{written}"
    );
    let cat = ospo_maturity::Catalogue::builtin().unwrap();
    let as_of = ospo_maturity::attest::parse_date("2026-06-01").unwrap();
    let loaded = ospo_maturity::attest::load_str(&file, &written, &cat, as_of);
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}\n{written}",
        loaded.diagnostics
    );
    let entries = &loaded.attestations.entries;
    assert_eq!(entries.len(), 2, "{written}");
    assert_eq!(
        entries[0].criterion,
        "ospo-stages:legal-developer-education"
    );
    assert_eq!(entries[0].answer, ospo_maturity::Answer::Met);
    assert_eq!(entries[0].by, "Ana Example <ana@example.com>");
    assert_eq!(
        entries[0].link.as_deref(),
        Some("https://wiki.example.com/training")
    );
    assert_eq!(entries[0].expires.to_string(), "2027-06-01");
    assert_eq!(entries[1].criterion, "ospo-stages:legal-identify-risks");
    assert_eq!(entries[1].answer, ospo_maturity::Answer::Partial);
    assert_eq!(entries[1].expires.to_string(), "2027-01-31");
    assert_eq!(entries[1].date.to_string(), "2026-06-01");
}

/// Commits in `dir` (a new repository) by each `(email, date)`, without the machine's git
/// configuration.
fn commits(dir: &Path, by: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    let git = |args: &[&str], email: &str, date: &str| {
        let out = Std::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .env("GIT_AUTHOR_NAME", email)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_COMMITTER_NAME", email)
            .env("GIT_COMMITTER_EMAIL", email)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q", "-b", "main"], "x@x", "2025-01-01T00:00:00Z");
    for (i, (email, date)) in by.iter().enumerate() {
        git(
            &[
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                &format!("change {i}"),
            ],
            email,
            date,
        );
    }
}

fn upstream_status(root: &Path, domains: &[&str]) -> (String, Vec<String>) {
    let mut cmd = ospo();
    cmd.args([
        "assess",
        "-q",
        "-f",
        "json",
        "--as-of",
        "2026-06-01",
        "--mirrors",
    ])
    .arg(root.join("mirrors"))
    .arg("--attestations")
    .arg(root.join("none.toml"));
    for d in domains {
        cmd.args(["--org-domain", d]);
    }
    let out = cmd.arg(root.join("apps")).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = doc["frameworks"][0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "ospo-stages:community-upstream")
        .unwrap()
        .clone();
    let evidence = c["evidence"]
        .as_array()
        .map(|a| a.iter().map(|e| e.to_string()).collect())
        .unwrap_or_default();
    (c["status"].as_str().unwrap().to_owned(), evidence)
}

#[test]
fn upstream_contribution_is_measured_in_the_dependencies_clones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // An application that depends on `left-pad`, and a clone of left-pad among the mirrors:
    // two commits from the organisation (one from a subdomain) in the last year, one older,
    // one from someone else.
    let app = root.join("apps/web");
    std::fs::create_dir_all(app.join(".git")).unwrap();
    std::fs::write(
        app.join("package-lock.json"),
        r#"{"name": "web", "lockfileVersion": 3, "packages": {"": {"name": "web"},
            "node_modules/left-pad": {"version": "1.3.0", "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"}}}"#,
    )
    .unwrap();
    commits(
        &root.join("mirrors/left-pad"),
        &[
            ("dev@acme.example", "2026-03-01T10:00:00Z"),
            ("ops@eu.acme.example", "2026-05-01T10:00:00Z"),
            ("dev@acme.example", "2024-01-01T10:00:00Z"),
            ("someone@else.org", "2026-04-01T10:00:00Z"),
        ],
    );
    let (status, evidence) = upstream_status(root, &["acme.example"]);
    assert_eq!(status, "met", "{evidence:?}");
    assert!(
        evidence[0].contains("2 commit(s) from acme.example"),
        "{evidence:?}"
    );
    // Another organisation's domain: measured, and none.
    assert_eq!(upstream_status(root, &["other.example"]).0, "unmet");
    // No domain: it cannot be measured.
    assert_eq!(upstream_status(root, &[]).0, "unknown");
}
