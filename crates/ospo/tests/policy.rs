//! The policy commands as a user meets them: `policy init | check-file | show`, `rules list`,
//! `explain`; snapshots of what they print, exit codes, and a loader that never panics.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use assert_cmd::Command;
use proptest::prelude::*;

fn ospo() -> Command {
    let mut cmd = Command::cargo_bin("ospo").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
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

/// A policy with many different mistakes: each is reported, with its line and column.
const BAD: &str = r#"extend = "org.toml"

[licenses]
allow = ["MIT", "apache-2.0", "GPL3"]
deny-classes = ["copyleft"]
prefer = "MIT"

[[licenses.exceptions]]
package = "left-pad"
allow = ["WTFPL"]
reason = "  "

[[licenses.clarify]]
package = "pkg:npm/foo"
expression = "MIT AND AND BSD"
reason = "the README says so"

[vulnerabilities]
fail-on = "severe"
vex = "vex.json"

[[vulnerabilities.ignore]]
id = "RUSTSEC-2020-0071"
reason = "not reachable"
expires = "next year"

[[bans.deny]]
package = "pkg:npm/event-stream@3.3.6"
reason = "compromised"

[[bans.deny]]
package = "Maven:org.apache.logging.log4j:log4j-core"
versions = "[2.0,2.15"
reason = "Log4Shell"

[sources]
allow-git = ["https://github.com"]
allow-registries = ["registry.npmjs.org"]

[health]
min-score = "high"

[secrets]
allow-paths = ["tests/[fixtures"]
scan-histroy = true
"#;

#[test]
fn check_file_reports_every_error_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ospo.toml"), BAD).unwrap();
    let r = run(dir.path(), &["policy", "check-file"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty(), "errors go to stderr");
    insta::assert_snapshot!("check-file-errors", r.stderr);
    // The same errors from a folder argument, and for `show`.
    let from_dir = run(
        dir.path().parent().unwrap(),
        &[
            "policy",
            "check-file",
            dir.path().file_name().unwrap().to_str().unwrap(),
        ],
    );
    assert_eq!(from_dir.code, 2);
    assert_eq!(from_dir.stderr.lines().count(), r.stderr.lines().count());
    assert_eq!(run(dir.path(), &["policy", "show"]).code, 2);
}

#[test]
fn a_syntax_error_is_placed_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ospo.toml"),
        "[licenses]\ndeny = [\"WTFPL\" \"MIT\"]\nallow = 3\n",
    )
    .unwrap();
    let r = run(dir.path(), &["policy", "check-file"]);
    assert_eq!(r.code, 2);
    // Only the syntax error: the tree recovered after one is a guess, not worth checking.
    assert_eq!(
        r.stderr,
        "error: ospo.toml:2:17: missing comma between array elements, expected `,`\n1 error(s) in the policy: nothing was checked\n"
    );
}

#[test]
fn init_writes_a_commented_file_that_checks_clean() {
    for profile in ["permissive", "balanced", "strict"] {
        let r = run(
            Path::new("."),
            &["policy", "init", "--profile", profile, "-"],
        );
        assert_eq!(r.code, 0);
        insta::assert_snapshot!(format!("init-{profile}"), r.stdout);
    }
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["policy", "init", "-p", "strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("ospo.toml").is_file());
    let again = run(dir.path(), &["policy", "init"]);
    assert_eq!(again.code, 2, "an existing file is not overwritten");
    assert!(again.stderr.contains("--force"));
    assert_eq!(run(dir.path(), &["policy", "init", "--force"]).code, 0);
    let r = run(dir.path(), &["policy", "check-file"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.starts_with("ok: `ospo.toml` is a valid policy"));
}

#[test]
fn show_merges_extends_and_check_file_reports_expired_exceptions_by_date() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("org")).unwrap();
    std::fs::write(
        dir.path().join("org/policy.toml"),
        "extends = \"ospo:strict\"\n\n[licenses]\ndeny = [\"WTFPL\"]\n\n[[bans.deny]]\npackage = \"npm:event-stream\"\nversions = \"3.3.6\"\nreason = \"compromised release\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ospo.toml"),
        "extends = \"org/policy.toml\"\n\n[vulnerabilities]\nfail-on = \"critical\"\n\n[[vulnerabilities.ignore]]\nid = \"GHSA-xxxx\"\nreason = \"not reachable\"\nexpires = \"2026-12-31\"\n",
    )
    .unwrap();
    let r = run(dir.path(), &["policy", "show"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("show-extends", r.stdout);
    let json = run(dir.path(), &["policy", "show", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["vulnerabilities"]["fail-on"], "critical");
    assert_eq!(v["sources"]["allow-url"], false);

    let r = run(
        dir.path(),
        &["policy", "check-file", "--today", "2026-12-31"],
    );
    assert_eq!(r.code, 0);
    assert!(!r.stderr.contains("expired"), "{}", r.stderr);
    let r = run(
        dir.path(),
        &["policy", "check-file", "--today", "2027-01-01"],
    );
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr.lines().next().unwrap(),
        "warning: ospo.toml:6:1: the vulnerabilities.ignore entry for `GHSA-xxxx` expired on 2026-12-31: it no longer applies"
    );
    assert!(
        r.stderr
            .contains("`ospo:strict` ← `org/policy.toml` ← `ospo.toml`"),
        "{}",
        r.stderr
    );

    // A cycle is an error at the `extends` that closes it.
    std::fs::write(
        dir.path().join("org/policy.toml"),
        "# org\nextends = \"../ospo.toml\"\n",
    )
    .unwrap();
    let r = run(dir.path(), &["policy", "check-file"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: org/policy.toml:2:11: `extends` makes a cycle"),
        "{}",
        r.stderr
    );
}

#[test]
fn without_a_file_show_prints_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["policy", "show"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .starts_with("# The effective policy: the defaults (balanced profile)")
    );
    assert!(r.stdout.contains("fail-on = \"high\""));
    assert_eq!(run(dir.path(), &["policy", "check-file"]).code, 2);
}

#[test]
fn rules_list_and_explain() {
    let r = run(Path::new("."), &["rules", "list"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("rules-list", r.stdout);
    let json = run(Path::new("."), &["rules", "list", "-f", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    let codes: Vec<&str> = rows.iter().map(|r| r["code"].as_str().unwrap()).collect();
    let unique: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len(), "codes are unique");
    assert!(codes.contains(&"license-incompatible") && codes.contains(&"ban-denied"));

    let r = run(Path::new("."), &["explain", "policy-exception-expired"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("explain-policy-exception-expired", r.stdout);
    let r = run(Path::new("."), &["explain", "license-incompatible"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("cannot be combined"));

    let r = run(Path::new("."), &["explain", "vulnerability-hihg"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert_eq!(
        r.stderr.trim(),
        "error: no rule `vulnerability-hihg`; did you mean `vulnerability-high`?"
    );
    let r = run(Path::new("."), &["explain", "zzz"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("ospo rules list"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary text, and arbitrary text built from the policy's own keys, never panics the
    /// loader; an error always has a place within the text.
    #[test]
    fn the_loader_never_panics(
        text in "\\PC{0,200}",
        lines in proptest::collection::vec(
            prop_oneof![
                Just("[licenses]".to_owned()),
                Just("[[bans.deny]]".to_owned()),
                Just("[[vulnerabilities.ignore]]".to_owned()),
                Just("[sources]".to_owned()),
                "[a-z-]{1,12} = (\"[^\"\\\\]{0,12}\"|[0-9]{1,3}|true|\\[\\]|\\[\"[A-Za-z0-9:/@.-]{0,16}\"\\])",
            ],
            0..12,
        ),
    ) {
        let file = Path::new("ospo.toml");
        for text in [text, lines.join("\n")] {
            let total_lines = u32::try_from(text.lines().count().max(1)).unwrap() + 1;
            if let Err(errors) = ospo_policy::load_str(file, &text) {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    if let Some(line) = e.line {
                        prop_assert!(line >= 1 && line <= total_lines, "{e}");
                    }
                }
            }
        }
    }
}
