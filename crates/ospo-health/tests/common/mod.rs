//! Git fixtures built by script with the `git` command line: fixed identities and dates, no
//! ambient configuration (`GIT_CONFIG_GLOBAL=/dev/null`, `GIT_CONFIG_NOSYSTEM=1`, `HOME` in a
//! temporary folder), so every run builds the same repository.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// 2025-01-01T00:00:00Z: the as-of date of the fixtures.
pub const AS_OF: i64 = 1_735_689_600;
pub const DAY: i64 = 86_400;

/// The Unix time `days` days before [`AS_OF`], one hour earlier still (so that "d days ago"
/// is exactly `d` whole days and never sits on a window's edge).
pub fn days_ago(days: i64) -> i64 {
    AS_OF - days * DAY - 3600
}

/// An identity.
#[derive(Clone, Copy, Debug)]
pub struct Who(pub &'static str, pub &'static str);

pub const ALICE: Who = Who("Alice Smith", "alice@acme.example");
pub const ALICE_OLD: Who = Who("alice", "alice@old-laptop");
pub const BOB: Who = Who("Bob Jones", "bob@acme.example");
pub const CAROL_NOREPLY: Who = Who("Carol White", "12345+carol@users.noreply.github.com");
pub const CAROL_GMAIL: Who = Who("Carol White", "carol@gmail.com");
pub const DAN_EU: Who = Who("Dan Brown", "dan@eu.globex.example");
pub const DAN: Who = Who("Dan Brown", "dan@globex.example");
pub const EVE: Who = Who("Eve Old", "eve@initech.example");
pub const GITHUB: Who = Who("GitHub", "noreply@github.com");
pub const DEPENDABOT: Who = Who(
    "dependabot[bot]",
    "49699333+dependabot[bot]@users.noreply.github.com",
);
pub const RENOVATE: Who = Who(
    "renovate[bot]",
    "29139614+renovate[bot]@users.noreply.github.com",
);

/// A repository being built.
pub struct Repo {
    _tmp: tempfile::TempDir,
    pub path: PathBuf,
    home: PathBuf,
    counter: u32,
}

impl Repo {
    pub fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("repo");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&path).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let r = Repo {
            _tmp: tmp,
            path,
            home,
            counter: 0,
        };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    /// A folder beside the repository (for clones).
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.path.parent().unwrap().join(name)
    }

    fn command(&self, dir: &Path) -> Command {
        let mut c = Command::new("git");
        c.current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("TZ", "UTC")
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "tag.gpgsign=false",
                "-c",
                "core.autocrlf=false",
                "-c",
                "protocol.file.allow=always",
            ]);
        c
    }

    /// Runs git in the repository; panics with its output when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.path, args, &[])
    }

    pub fn git_in(&self, dir: &Path, args: &[&str], env: &[(&str, String)]) -> String {
        let mut c = self.command(dir);
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Runs git with `input` on its standard input.
    pub fn git_stdin(&self, args: &[&str], input: &[u8]) -> String {
        use std::io::Write as _;
        let mut c = self.command(&self.path);
        c.args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let p = self.path.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    /// Commits everything (a new file under `log/` makes every commit non-empty, and merges clean) as `author`,
    /// committed by `committer` (the author when `None`), at `time`.
    pub fn commit_as(&mut self, author: Who, committer: Option<Who>, time: i64, message: &str) {
        self.counter += 1;
        self.write(&format!("log/{}.txt", self.counter), "x\n");
        self.git(&["add", "-A"]);
        let c = committer.unwrap_or(author);
        let date = format!("@{time} +0000");
        self.git_in(
            &self.path,
            &["commit", "-q", "--no-verify", "-m", message],
            &[
                ("GIT_AUTHOR_NAME", author.0.into()),
                ("GIT_AUTHOR_EMAIL", author.1.into()),
                ("GIT_AUTHOR_DATE", date.clone()),
                ("GIT_COMMITTER_NAME", c.0.into()),
                ("GIT_COMMITTER_EMAIL", c.1.into()),
                ("GIT_COMMITTER_DATE", date),
            ],
        );
    }

    pub fn commit(&mut self, author: Who, time: i64, message: &str) {
        self.commit_as(author, None, time, message);
    }

    /// A commit with a `gpgsig` header (a made-up signature: signatures are not verified),
    /// written with `git hash-object` since no key is at hand.
    pub fn commit_signed(&mut self, author: Who, time: i64, message: &str) {
        self.counter += 1;
        self.write(&format!("log/{}.txt", self.counter), "x\n");
        self.git(&["add", "-A"]);
        let tree = self.git(&["write-tree"]);
        let parent = self.git(&["rev-parse", "HEAD"]);
        let who = format!("{} <{}> {time} +0000", author.0, author.1);
        let body = format!(
            "tree {tree}\nparent {parent}\nauthor {who}\ncommitter {who}\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEEfixturefixturefixture\n -----END PGP SIGNATURE-----\n\n{message}\n"
        );
        let file = self.sibling("commit.txt");
        std::fs::write(&file, body).unwrap();
        let id = self.git(&["hash-object", "-t", "commit", "-w", file.to_str().unwrap()]);
        self.git(&["update-ref", "HEAD", &id]);
    }

    /// A lightweight tag on HEAD.
    pub fn tag(&self, name: &str) {
        self.git(&["tag", name]);
    }

    /// An annotated tag on HEAD, by `who` at `time`; `signed` adds a (made-up) PGP signature.
    pub fn tag_annotated(&self, name: &str, who: Who, time: i64, signed: bool) {
        let head = self.git(&["rev-parse", "HEAD"]);
        let sig = if signed {
            "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEfixture\n-----END PGP SIGNATURE-----\n"
        } else {
            ""
        };
        let body = format!(
            "object {head}\ntype commit\ntag {name}\ntagger {} <{}> {time} +0000\n\nRelease {name}\n{sig}",
            who.0, who.1
        );
        let id = self.git_stdin(&["mktag", "--strict"], body.as_bytes());
        self.git(&["update-ref", &format!("refs/tags/{name}"), &id]);
    }

    /// A shallow clone of this repository (`--depth`), beside it.
    pub fn shallow_clone(&self, depth: u32) -> PathBuf {
        let dest = self.sibling(&format!("shallow-{depth}"));
        let url = format!("file://{}", self.path.display());
        self.git_in(
            self.path.parent().unwrap(),
            &[
                "clone",
                "-q",
                "--depth",
                &depth.to_string(),
                &url,
                dest.to_str().unwrap(),
            ],
            &[],
        );
        dest
    }
}

/// The standard MIT licence text.
pub const MIT: &str = "MIT License

Copyright (c) 2024 Example Authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the \"Software\"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
";

/// The history fixture (commits d days before [`AS_OF`]; see tests/history.rs for the table).
pub fn team_repo() -> Repo {
    let mut r = Repo::new();
    r.write("README.md", "# team\n\nA fixture.\n");
    r.write(
        ".mailmap",
        "Alice Smith <alice@acme.example> <alice@old-laptop>\n",
    );
    r.commit(ALICE_OLD, days_ago(800), "initial");
    r.commit(BOB, days_ago(700), "two");
    r.commit(EVE, days_ago(600), "three");
    r.commit(ALICE, days_ago(500), "four");
    r.commit(DAN_EU, days_ago(400), "five");
    r.tag_annotated("v1.0.0", ALICE, days_ago(400), true);
    r.commit(CAROL_NOREPLY, days_ago(300), "six");
    r.commit(
        ALICE,
        days_ago(200),
        "seven\n\nSigned-off-by: Alice Smith <alice@acme.example>",
    );
    r.tag("1.1.0");
    r.commit_as(
        BOB,
        Some(GITHUB),
        days_ago(100),
        "eight (#12)\n\nSigned-off-by: Bob Jones <bob@acme.example>",
    );
    r.commit(DEPENDABOT, days_ago(80), "Bump serde from 1.0.1 to 1.0.2");
    r.commit(
        CAROL_GMAIL,
        days_ago(60),
        "ten\n\nReviewed-by: Bob Jones <bob@acme.example>",
    );
    r.commit(RENOVATE, days_ago(50), "Update rust crate tokio to v1.40");
    r.commit(DAN, days_ago(40), "twelve");
    r.commit(
        ALICE,
        days_ago(30),
        "thirteen\n\nSigned-off-by: Alice Smith <alice@acme.example>",
    );
    r.tag("v2.0.0-rc.1");
    r.commit_signed(ALICE, days_ago(10), "fourteen");
    r.commit(ALICE, days_ago(5), "fifteen");
    r.tag("nightly");
    r.commit(BOB, days_ago(-10), "after the as-of date");
    r
}
