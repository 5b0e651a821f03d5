//! `ospo health` as a user meets it: the readable report (snapshot), JSON, exit codes against a
//! minimum score, folders of clones, URLs cloned into the cache (a `file://` URL: no network),
//! and errors that name the path. The repositories are the ospo-health fixtures, built by
//! script with fixed identities and dates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../ospo-health/tests/common/mod.rs"]
mod common;

use std::path::Path;

use assert_cmd::Command;
use common::*;

fn ospo() -> Command {
    let mut cmd = Command::cargo_bin("ospo").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH")
        .env_remove("OSPO_CACHE_DIR")
        .env("NO_COLOR", "1");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = ospo().current_dir(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn readable_report_explains_every_number() {
    let repo = team_repo();
    let r = run(
        repo.path.parent().unwrap(),
        &["health", "--as-of", "2025-01-01", "repo"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("health-team-table", r.stdout);
}

#[test]
fn json_and_the_minimum_score() {
    let repo = team_repo();
    let dir = repo.path.parent().unwrap();
    let r = run(
        dir,
        &["health", "--as-of", "2025-01-01", "-f", "json", "repo"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], "ospo-health/1");
    assert_eq!(v["as_of"], "2025-01-01");
    let rep = &v["repositories"][0];
    assert_eq!(rep["repository"], "repo");
    assert_eq!(rep["history"]["commits"]["value"], 13);
    assert_eq!(rep["history"]["bus_factor"]["value"], 1);
    let score = rep["score"]["value"].as_f64().unwrap();
    // Every check carries a value (or null), its inputs and a reason.
    for c in rep["checks"].as_array().unwrap() {
        assert!(c.get("value").is_some());
        assert!(!c["reason"].as_str().unwrap().is_empty(), "{c}");
        assert!(c["weight"].as_f64().unwrap() > 0.0);
    }
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"health-bus-factor"), "{codes:?}");
    assert!(!codes.contains(&"health-score-low"));

    // A minimum above the score: a finding, exit 1.
    let r = run(
        dir,
        &[
            "health",
            "--as-of",
            "2025-01-01",
            "--min-score",
            &format!("{:.1}", score + 0.1),
            "repo",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("health-score-low"));
    // The same from the policy file.
    std::fs::write(dir.join("ospo.toml"), "[health]\nmin-score = 9.5\n").unwrap();
    let r = run(dir, &["health", "--as-of", "2025-01-01", "repo"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    // Warnings fail too when asked.
    std::fs::remove_file(dir.join("ospo.toml")).unwrap();
    let r = run(
        dir,
        &[
            "health",
            "--as-of",
            "2025-01-01",
            "--fail-on",
            "warning",
            "repo",
        ],
    );
    assert_eq!(r.code, 1);
    let r = run(
        dir,
        &[
            "health",
            "--as-of",
            "2025-01-01",
            "--fail-on",
            "never",
            "--min-score",
            "10",
            "repo",
        ],
    );
    assert_eq!(r.code, 0);
}

/// A folder of clones is every repository in it; a URL is cloned into the cache (and fetched
/// into on the next run).
#[test]
fn folders_of_clones_and_urls() {
    let repo = team_repo();
    let dir = repo.path.parent().unwrap();
    let clones = dir.join("clones");
    std::fs::create_dir_all(&clones).unwrap();
    repo.git_in(dir, &["clone", "-q", "--bare", "repo", "clones/a.git"], &[]);
    repo.git_in(dir, &["clone", "-q", "repo", "clones/b"], &[]);
    std::fs::create_dir_all(clones.join("not-a-repo")).unwrap();
    let r = run(
        dir,
        &["health", "--as-of", "2025-01-01", "-f", "json", "clones"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let names: Vec<&str> = v["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["repository"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["clones/a.git", "clones/b"]);
    // A bare clone and a work tree of the same history say the same.
    assert_eq!(v["repositories"][0]["score"], v["repositories"][1]["score"]);

    let url = format!("file://{}", repo.path.display());
    let cache = dir.join("cache");
    for _ in 0..2 {
        let r = run(
            dir,
            &[
                "health",
                "--as-of",
                "2025-01-01",
                "-f",
                "json",
                "--cache-dir",
                cache.to_str().unwrap(),
                &url,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["repositories"][0]["repository"], url.as_str());
        assert_eq!(v["repositories"][0]["history"]["commits"]["value"], 13);
        assert_eq!(v["repositories"][0]["history"]["releases"]["value"], 3);
    }
    assert!(
        cache
            .join(format!(
                "{}.git",
                repo.path.display().to_string().trim_start_matches('/')
            ))
            .join("HEAD")
            .is_file()
    );
}

#[test]
fn errors_name_the_path_and_exit_2() {
    let repo = team_repo();
    let dir = repo.path.parent().unwrap();
    let r = run(
        dir,
        &["health", "--as-of", "2025-01-01", "repo", "missing-repo"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing-repo"), "{}", r.stderr);
    // The other repository is still reported.
    assert!(r.stdout.contains("Maintained"));
    let r = run(dir, &["health", "--as-of", "yesterday", "repo"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--as-of"), "{}", r.stderr);
    let r = run(dir, &["health", "--org", "nodomain", "repo"]);
    assert_eq!(r.code, 2);
}

/// The organisation map from a file and from `--org`.
#[test]
fn org_map_file() {
    let repo = team_repo();
    let dir = repo.path.parent().unwrap();
    std::fs::write(
        dir.join("orgs.toml"),
        "\"acme.example\" = \"Acme Corp\"\n[organisations]\n\"globex.example\" = \"Globex\"\n",
    )
    .unwrap();
    let r = run(
        dir,
        &[
            "health",
            "--as-of",
            "2025-01-01",
            "-f",
            "json",
            "--org-map",
            "orgs.toml",
            "repo",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["repositories"][0]["history"]["organisations_365d"]["inputs"]["organisations"],
        serde_json::json!(["Acme Corp", "Globex"])
    );
}

/// `ospo scan --mirrors`: components whose upstream clone is in the mirrors folder get its
/// health (a git source matched by the clone's path `github.com/acme/widgets.git`, a registry
/// crate by the clone's folder name), with Dependency-risk findings.
#[test]
fn scan_with_mirrors_adds_upstream_health() {
    let repo = team_repo();
    let dir = repo.path.parent().unwrap();
    std::fs::create_dir_all(dir.join("mirrors/github.com/acme")).unwrap();
    repo.git_in(
        dir,
        &[
            "clone",
            "-q",
            "--bare",
            "repo",
            "mirrors/github.com/acme/widgets.git",
        ],
        &[],
    );
    repo.git_in(dir, &["clone", "-q", "repo", "mirrors/team"], &[]);
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(
        dir.join("app/Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"team\", \"widgets\"]\n\n[[package]]\nname = \"team\"\nversion = \"2.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"unmirrored\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"widgets\"\nversion = \"1.0.0\"\nsource = \"git+https://github.com/acme/widgets#0123456789abcdef0123456789abcdef01234567\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("cargo-home")).unwrap();
    let out = ospo()
        .current_dir(dir)
        .env("CARGO_HOME", dir.join("cargo-home"))
        .args([
            "scan",
            "-q",
            "--no-vulns",
            "-f",
            "json",
            "--mirrors",
            "mirrors",
            "app",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let u = &v["upstream_health"];
    assert_eq!(u["found"], 2, "{u}");
    let entries = u["entries"].as_array().unwrap();
    assert_eq!(entries[0]["purl"], "pkg:cargo/team@2.0.0");
    assert_eq!(entries[0]["clone"]["how"], "name");
    assert_eq!(entries[1]["purl"], "pkg:cargo/widgets@1.0.0");
    assert_eq!(entries[1]["clone"]["how"], "path");
    assert_eq!(entries[1]["clone"]["from"], "git-source");
    assert_eq!(entries[1]["clone"]["upstream"], "github.com/acme/widgets");
    // Scanned today, the fixture's last commit (2025-01-11) is long past: abandoned.
    assert_eq!(entries[1]["abandoned"]["value"], true);
    let findings = u["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["code"] == "health-abandoned"
        && f["category"] == "dependency"
        && f["purl"] == "pkg:cargo/widgets@1.0.0"));

    // The table has the section.
    let out = ospo()
        .current_dir(dir)
        .env("CARGO_HOME", dir.join("cargo-home"))
        .args(["scan", "-q", "--no-vulns", "--mirrors", "mirrors", "app"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("upstream health (2 of"), "{text}");
    assert!(text.contains("pkg:cargo/widgets@1.0.0"));
}
