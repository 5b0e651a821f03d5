//! The command line as a user meets it: exit codes, stdout/stderr separation, generated docs.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn ospo() -> Command {
    let mut cmd = Command::cargo_bin("ospo").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    cmd
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_lockfiles() -> Option<PathBuf> {
    let dir = std::env::var_os("OSPO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"))
        .join("lockfiles");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: shared lockfile corpus not found (set OSPO_TEST_DATA)");
        None
    }
}

#[test]
fn extractor_table_in_docs_is_current() {
    let out = ospo()
        .args(["extractors", "list", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let want = String::from_utf8(out.stdout).unwrap();
    let have = std::fs::read_to_string(repo_root().join("docs/extractors.md")).unwrap_or_default();
    assert!(
        have == want,
        "docs/extractors.md is stale: run `cargo run -q -- extractors list --format markdown > docs/extractors.md`"
    );
}

#[test]
fn broken_file_exits_2_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("good")).unwrap();
    std::fs::create_dir_all(dir.path().join("bad")).unwrap();
    std::fs::write(
        dir.path().join("good/Cargo.lock"),
        "version = 3\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad/Cargo.lock"),
        "[[package]]\nname = \"x\"\nversion = [\n",
    )
    .unwrap();
    let out = ospo()
        .arg("scan")
        .arg(dir.path())
        .args(["-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "ospo-inventory/1");
    let purls: Vec<&str> = doc["repositories"][0]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["components"].as_array().unwrap())
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    assert_eq!(purls, ["pkg:cargo/serde@1.0.0"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad/Cargo.lock:3"), "{stderr}");
    assert!(stderr.contains("summary"), "{stderr}");
}

#[test]
fn clean_scan_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.lock"),
        "version = 3\n[[package]]\nname = \"a\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let out = ospo().arg("scan").arg(dir.path()).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("1 component(s) in 1 project(s) of 1 repository"),
        "{stdout}"
    );
}

#[test]
fn missing_path_exits_2() {
    let out = ospo()
        .args(["scan", "/nonexistent/ospo-test"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no such file or folder")
    );
}

#[test]
fn whole_corpus_scans_without_errors() {
    let Some(corpus) = shared_lockfiles() else {
        return;
    };
    let out = ospo()
        .arg("scan")
        .arg(&corpus)
        .args(["-f", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("error:"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let projects = doc["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["projects"].as_array().unwrap())
        .count();
    // Each lockfile or manifest-only file is a project; companions (package.json, Cargo.toml,
    // go.sum, Pipfile, pyproject.toml, pubspec.yaml, composer.json) are not. Warehouse's pip-compile
    // output is kept as `main.txt` (its real path is requirements/main.txt), a name the
    // requirements extractor does not claim: it is tested under its real path instead.
    assert_eq!(projects, 39);
    let components: usize = doc["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["projects"].as_array().unwrap())
        .map(|p| p["components"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        components, 17056,
        "sum of the per-extractor counts the extractor tests assert"
    );
}
