//! `ospo versions compare|sort|satisfies`: output, stdin batches, bad lines and exit codes.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;

fn ospo() -> Command {
    let mut cmd = Command::cargo_bin("ospo").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

fn run(args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let out = ospo().args(args).write_stdin(stdin).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn compare_two_arguments() {
    assert_eq!(
        run(
            &["versions", "compare", "-e", "Maven", "1.0-alpha1", "1.0"],
            ""
        ),
        (Some(0), "<\n".into(), String::new())
    );
    assert_eq!(
        run(
            &["versions", "compare", "--ecosystem", "PyPI", "1.0", "1.0.0"],
            ""
        )
        .1,
        "=\n"
    );
    assert_eq!(
        run(
            &["versions", "compare", "-e", "Debian:12", "1:0.1", "2.0"],
            ""
        )
        .1,
        ">\n"
    );
}

#[test]
fn compare_pairs_from_stdin_reports_bad_lines_and_goes_on() {
    let (code, out, err) = run(
        &["versions", "compare", "-e", "crates.io"],
        "1.0.0 2.0.0\n\n1.x 1.0.0\n2.0.0 1.0.0\nonly-one\n1.0.0+a 1.0.0+b\n",
    );
    assert_eq!(code, Some(2));
    assert_eq!(out, "<\n>\n=\n");
    assert!(err.contains("line 3:") && err.contains("`1.x`"), "{err}");
    assert!(err.contains("line 5:"), "{err}");
    assert!(
        !err.contains("line 1:") && !err.contains("line 4:"),
        "{err}"
    );
}

#[test]
fn compare_with_one_argument_is_an_error() {
    let (code, _, err) = run(&["versions", "compare", "-e", "npm", "1.0.0"], "");
    assert_eq!(code, Some(2));
    assert!(err.contains("needs two versions"), "{err}");
}

#[test]
fn unknown_ecosystem_is_an_error() {
    let (code, _, err) = run(&["versions", "sort", "-e", "cobol", "1"], "");
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown version scheme"), "{err}");
}

#[test]
fn sort_arguments_and_stdin() {
    let (code, out, _) = run(
        &[
            "versions",
            "sort",
            "-e",
            "Maven",
            "1.0",
            "1.0-SNAPSHOT",
            "1.0-rc1",
            "1",
            "0.9",
        ],
        "",
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        out, "0.9\n1.0-rc1\n1.0-SNAPSHOT\n1.0\n1\n",
        "stable for equal versions"
    );
    let (code, out, err) = run(
        &["versions", "sort", "-e", "npm", "--reverse"],
        "1.2.3\nnot-a-version\n1.10.0\n1.2.3-beta\n",
    );
    assert_eq!(code, Some(2));
    assert_eq!(out, "1.10.0\n1.2.3\n1.2.3-beta\n");
    assert!(
        err.contains("line 2:") && err.contains("not-a-version"),
        "{err}"
    );
}

#[test]
fn satisfies_filters_and_sets_the_exit_code() {
    let (code, out, _) = run(
        &[
            "versions",
            "satisfies",
            "-e",
            "npm",
            "^1.2.0",
            "1.1.0",
            "1.2.5",
            "2.0.0",
            "1.9.0",
        ],
        "",
    );
    assert_eq!(code, Some(0));
    assert_eq!(out, "1.2.5\n1.9.0\n");
    let (code, out, _) = run(&["versions", "satisfies", "-e", "PyPI", "~=2.0", "1.0"], "");
    assert_eq!((code, out.as_str()), (Some(1), ""));
    let (code, out, err) = run(
        &["versions", "satisfies", "-e", "Maven", "[1.0,2.0)"],
        "1.5\n2.0\n\n0.9\n1.0-SNAPSHOT\n",
    );
    assert_eq!((code, out.as_str(), err.as_str()), (Some(0), "1.5\n", ""));
    let (code, _, err) = run(
        &["versions", "satisfies", "-e", "Maven", "[1.0,2.0"],
        "1.5\n",
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("requirement"), "{err}");
}
