//! `ospo db` and `ospo vulns` as a user meets them, over the shared OSV exports and lockfiles.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;

fn ospo() -> Command {
    let mut cmd = Command::cargo_bin("ospo").unwrap();
    cmd.env("NO_COLOR", "1").env_remove("OSPO_DB");
    cmd
}

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("OSPO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.join("osv").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: shared data not found (set OSPO_TEST_DATA)");
        None
    }
}

/// A database with every shared export, imported once through the CLI.
fn db() -> Option<&'static Path> {
    static DB: OnceLock<Option<PathBuf>> = OnceLock::new();
    DB.get_or_init(|| {
        let data = shared()?;
        let dir = tempfile::tempdir().unwrap().keep().join("db");
        let out = ospo()
            .arg("db")
            .arg("--db")
            .arg(&dir)
            .args(["import", "-q"])
            .arg(data.join("osv"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(dir)
    })
    .as_deref()
}

fn vulns_json(db: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = ospo()
        .arg("vulns")
        .arg("--db")
        .arg(db)
        .args(["-q", "-f", "json"])
        .args(args)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), doc)
}

/// What cargo-audit 0.22.2 reports (vulnerabilities and informational warnings) for the shared
/// Cargo.lock files with the shared RustSec advisory-db, produced with
/// `cargo audit --db shared/data/rustsec-advisory-db --no-fetch --stale --json -f <lock>`
/// (scripts/compare-cargo-audit.py prints the comparison).
/// (advisory id, package, version).
type Found = (&'static str, &'static str, &'static str);

const CARGO_AUDIT: &[(&str, &[Found])] = &[
    (
        "crates.io/cargo/Cargo.lock",
        &[
            ("RUSTSEC-2026-0173", "proc-macro-error2", "2.0.1"),
            ("RUSTSEC-2026-0204", "crossbeam-epoch", "0.9.18"),
            ("RUSTSEC-2026-0247", "bitmaps", "2.1.0"),
            ("RUSTSEC-2026-0250", "im-rc", "15.1.0"),
            ("RUSTSEC-2026-0251", "sized-chunks", "0.6.5"),
            ("RUSTSEC-2026-0258", "h2", "0.4.15"),
        ],
    ),
    (
        "crates.io/ripgrep@e402d6c/Cargo.lock",
        &[
            ("RUSTSEC-2020-0077", "memmap", "0.7.0"),
            ("RUSTSEC-2021-0145", "atty", "0.2.13"),
            ("RUSTSEC-2022-0006", "thread_local", "0.3.6"),
            ("RUSTSEC-2022-0013", "regex", "1.2.0"),
            ("RUSTSEC-2022-0019", "crossbeam-channel", "0.3.9"),
            ("RUSTSEC-2022-0041", "crossbeam-utils", "0.6.6"),
            ("RUSTSEC-2023-0018", "remove_dir_all", "0.5.2"),
            ("RUSTSEC-2024-0375", "atty", "0.2.13"),
            ("RUSTSEC-2026-0097", "rand", "0.7.0"),
        ],
    ),
    (
        "crates.io/uv/Cargo.lock",
        &[
            ("RUSTSEC-2023-0071", "rsa", "0.9.10"),
            ("RUSTSEC-2026-0173", "proc-macro-error2", "2.0.1"),
            ("RUSTSEC-2026-0186", "memmap2", "0.9.10"),
            ("RUSTSEC-2026-0192", "ttf-parser", "0.25.1"),
            ("RUSTSEC-2026-0204", "crossbeam-epoch", "0.9.18"),
            ("RUSTSEC-2026-0206", "rustybuzz", "0.20.1"),
            ("RUSTSEC-2026-0221", "event-listener", "5.4.1"),
            ("RUSTSEC-2026-0258", "h2", "0.4.15"),
        ],
    ),
];

#[test]
fn cargo_lock_findings_are_exactly_cargo_audits() {
    let (Some(data), Some(db)) = (shared(), db()) else {
        return;
    };
    for (lock, expected) in CARGO_AUDIT {
        let path = data.join("lockfiles").join(lock);
        let (code, doc) = vulns_json(db, &["--fail-on", "never", path.to_str().unwrap()]);
        assert_eq!(code, 0);
        let have: BTreeSet<(String, String, String)> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let id = std::iter::once(&f["id"])
                    .chain(f["aliases"].as_array().unwrap())
                    .filter_map(|i| i.as_str())
                    .find(|i| i.starts_with("RUSTSEC-"))
                    .unwrap()
                    .to_owned();
                (
                    id,
                    f["name"].as_str().unwrap().into(),
                    f["version"].as_str().unwrap().into(),
                )
            })
            .collect();
        let want: BTreeSet<(String, String, String)> = expected
            .iter()
            .map(|(i, n, v)| ((*i).into(), (*n).into(), (*v).into()))
            .collect();
        assert_eq!(have, want, "{lock}");
    }
}

/// A third-party SBOM goes through the same matching: the CycloneDX and SPDX documents ospo
/// writes for a lockfile give the same findings (id, purl, severity, upgrade) as the lockfile.
#[test]
fn sbom_input_gives_the_lockfiles_findings() {
    let (Some(data), Some(db)) = (shared(), db()) else {
        return;
    };
    let key = |doc: &serde_json::Value| -> BTreeSet<String> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                assert_eq!(f["risk"], "dependency");
                format!(
                    "{} {} {} {}",
                    f["id"], f["purl"], f["severity"], f["upgrade"]
                )
            })
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    for lock in [
        "crates.io/ripgrep@e402d6c/Cargo.lock",
        "npm/axios@face016/package-lock.json",
        "PyPI/requests-html/Pipfile.lock",
        "Go/prometheus/go.mod",
        "RubyGems/devise/Gemfile.lock",
    ] {
        let path = data.join("lockfiles").join(lock);
        let (_, direct) = vulns_json(db, &["--fail-on", "never", path.to_str().unwrap()]);
        let want = key(&direct);
        assert!(
            !want.is_empty(),
            "{lock}: the corpus lockfile has known vulnerabilities"
        );
        for (format, name) in [
            ("cyclonedx-json", "bom.cdx.json"),
            ("spdx-json", "bom.spdx.json"),
        ] {
            let sbom = dir.path().join(name);
            let out = ospo()
                .args(["sbom", "-q", "-f", format, "-o"])
                .arg(&sbom)
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                out.status.code().unwrap() < 2,
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let (_, via_sbom) = vulns_json(db, &["--fail-on", "never", sbom.to_str().unwrap()]);
            assert_eq!(key(&via_sbom), want, "{lock} through {format}");
        }
    }
}

#[test]
fn fail_on_vex_and_ignores_decide_the_exit_code() {
    let (Some(data), Some(db)) = (shared(), db()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        data.join("lockfiles/crates.io/ripgrep@e402d6c/Cargo.lock"),
        dir.path().join("Cargo.lock"),
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    // regex 1.2.0 (RUSTSEC-2022-0013) is high; the others are unknown or informational.
    assert_eq!(vulns_json(db, &[root]).0, 1);
    assert_eq!(vulns_json(db, &["--fail-on", "high", root]).0, 1);
    assert_eq!(vulns_json(db, &["--fail-on", "critical", root]).0, 0);

    // VEX for the high one (by its CVE alias), an ignore for the rest that can fail: clean at high.
    let vex = dir.path().join("vex.json");
    std::fs::write(
        &vex,
        r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
          {"vulnerability": {"name": "CVE-2022-24713"}, "products": [{"@id": "pkg:cargo/regex"}],
           "status": "not_affected", "justification": "inline_mitigations_already_exist"}]}"#,
    )
    .unwrap();
    let (code, doc) = vulns_json(
        db,
        &["--fail-on", "high", "--vex", vex.to_str().unwrap(), root],
    );
    assert_eq!(code, 0, "{doc:#}");
    let suppressed: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_object())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["id"], "RUSTSEC-2022-0013");

    // An ignore without an expiry is a configuration error (exit 2), an expired one is reported.
    std::fs::write(
        dir.path().join("ospo.toml"),
        "[[vulnerabilities.ignore]]\nid = \"RUSTSEC-2022-0013\"\nreason = \"audited\"\n",
    )
    .unwrap();
    let out = ospo()
        .args(["vulns", "-q", "--db"])
        .arg(db)
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expires"));
    std::fs::write(
        dir.path().join("ospo.toml"),
        "[[vulnerabilities.ignore]]\nid = \"RUSTSEC-2022-0013\"\nreason = \"audited\"\nexpires = \"2000-01-01\"\n",
    )
    .unwrap();
    let out = ospo()
        .args(["vulns", "-q", "--fail-on", "high", "--db"])
        .arg(db)
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an expired ignore does not apply"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("expired on 2000-01-01"));
}

#[test]
fn db_status_and_a_missing_database() {
    let Some(db) = db() else { return };
    let out = ospo()
        .arg("db")
        .arg("--db")
        .arg(db)
        .args(["status", "-f", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ecosystems: Vec<&str> = doc["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ecosystem"].as_str().unwrap())
        .collect();
    assert_eq!(
        ecosystems,
        [
            "crates.io",
            "Go",
            "Maven",
            "npm",
            "Packagist",
            "PyPI",
            "RubyGems"
        ]
    );
    let empty = tempfile::tempdir().unwrap();
    let out = ospo()
        .arg("vulns")
        .arg("--db")
        .arg(empty.path().join("none"))
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ospo db update"));
    // `ospo scan` goes on without a database, but says vulnerabilities were not checked and
    // reports no (empty) vulnerability section that could read as "checked, none found".
    let lock = empty.path().join("Cargo.lock");
    std::fs::write(&lock, "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"0.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n").unwrap();
    for format in ["json", "table"] {
        let out = ospo()
            .arg("scan")
            .arg("--db")
            .arg(empty.path().join("none"))
            .args(["-f", format])
            .arg(empty.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("vulnerabilities were not checked"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("smallvec"), "{stdout}");
        assert!(
            !stdout.contains("vulnerabilities") && !stdout.contains("finding(s)"),
            "{format}: {stdout}"
        );
    }
}

/// `scan -f json` writes each repository as it is built when nothing needs the whole portfolio
/// (here `--no-vulns`), and from the portfolio in memory when a database is matched: the two
/// documents are the same bytes up to the vulnerability section, for several repositories and
/// projects, a broken file's diagnostics included.
#[test]
fn streamed_inventory_is_the_in_memory_one() {
    let (Some(db), Some(data)) = (db(), shared()) else {
        return;
    };
    let tree = tempfile::tempdir().unwrap();
    let lockfiles = data.join("lockfiles");
    for (repo, file) in [
        ("a", "crates.io/uv/Cargo.lock"),
        ("a", "npm/axios/package-lock.json"),
        ("b/nested", "PyPI/poetry/poetry.lock"),
        ("c", "npm/vite/pnpm-lock.yaml"),
    ] {
        let to = tree.path().join(repo).join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::create_dir_all(tree.path().join(repo).join(".git")).unwrap();
        std::fs::copy(lockfiles.join(file), &to).unwrap();
    }
    std::fs::write(tree.path().join("c/Cargo.lock"), "[[package]]\nname = 1\n").unwrap();
    let scan = |args: &[&str]| {
        let out = ospo()
            .args(["scan", "-q", "-f", "json"])
            .args(args)
            .arg(tree.path())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, streamed, streamed_err) = scan(&["--no-vulns"]);
    assert_eq!(code, Some(2), "{streamed_err}");
    let db = db.to_str().unwrap();
    let (_, whole, whole_err) = scan(&["--db", db, "--fail-on", "never"]);
    let head = streamed.strip_suffix("\n}\n").unwrap();
    let rest = whole
        .strip_prefix(head)
        .unwrap_or_else(|| panic!("the documents differ before the vulnerabilities"));
    assert!(rest.starts_with(",\n  \"vulnerabilities\": "), "{rest}");
    let doc: serde_json::Value = serde_json::from_str(&streamed).unwrap();
    let names: Vec<&str> = doc["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "nested", "c"]);
    // The same diagnostics, in the same order, on both paths.
    let diagnostics = |err: &str| -> Vec<String> {
        err.lines()
            .filter(|l| l.contains("c/Cargo.lock") || l.starts_with("summary"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(diagnostics(&streamed_err).len(), 2, "{streamed_err}");
    assert_eq!(diagnostics(&streamed_err), diagnostics(&whole_err));
}
