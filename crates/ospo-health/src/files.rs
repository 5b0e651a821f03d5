//! File checks at HEAD: community health files, CI, and OpenSSF Scorecard's checks that can run
//! on files alone (Binary-Artifacts, Dangerous-Workflow, Dependency-Update-Tool, Fuzzing,
//! License, Packaging, Pinned-Dependencies, SAST, Security-Policy, Token-Permissions), plus a
//! deprecation notice.
//!
//! The files are read from HEAD's tree through gix, not from the work tree: a mirror is often a
//! bare clone, a work tree holds build outputs and local edits that were never committed (a
//! `.pyc` beside its source is not a committed binary), and a tree has no symbolic link loops to
//! follow. Only small text files are read (at most [`MAX_READ`] bytes each); a bigger file is
//! named in `skipped` and otherwise judged by its name.

use std::collections::BTreeSet;

use gix::ObjectId;
use gix::objs::Find as _;
use serde::Serialize;
use serde_json::Value;

use crate::Error;

/// The largest file read for its content.
pub const MAX_READ: u64 = 1 << 20;
/// At most this many Go test files are read looking for fuzz functions.
const MAX_GO_TESTS: usize = 2000;

/// One file of HEAD's tree.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `/`-separated, relative to the repository root.
    pub path: String,
    pub id: ObjectId,
    pub link: bool,
}

/// HEAD's files, and a way to read them.
pub struct Tree<'r> {
    repo: Option<&'r gix::Repository>,
    pub entries: Vec<Entry>,
    /// Files given as text (tests and callers without a repository).
    texts: std::collections::HashMap<String, Vec<u8>>,
    skipped: std::cell::RefCell<BTreeSet<String>>,
}

impl<'r> Tree<'r> {
    /// Lists every file of HEAD's tree (submodules are left out).
    pub fn head(repo: &'r gix::Repository, path: &std::path::Path) -> Result<Tree<'r>, Error> {
        let err = |message: String| Error::Read {
            path: path.to_owned(),
            message,
        };
        let mut t = Tree {
            repo: Some(repo),
            entries: Vec::new(),
            texts: Default::default(),
            skipped: Default::default(),
        };
        let tree = match repo.head_tree_id() {
            Ok(id) => id.detach(),
            Err(_) => return Ok(t),
        };
        let mut stack = vec![(String::new(), tree, 0usize)];
        let mut buf = Vec::new();
        while let Some((prefix, id, depth)) = stack.pop() {
            if depth > 256 {
                return Err(err(format!(
                    "tree `{prefix}` is nested deeper than 256 levels"
                )));
            }
            let data = match repo.objects.try_find(&id, &mut buf) {
                Ok(Some(d)) if d.kind == gix::objs::Kind::Tree => d,
                Ok(_) => return Err(err(format!("tree {id} of `{prefix}` is missing"))),
                Err(e) => return Err(err(format!("cannot read tree {id} of `{prefix}`: {e}"))),
            };
            let tree = gix::objs::TreeRef::from_bytes(data.data, id.kind())
                .map_err(|e| err(format!("cannot decode tree {id} of `{prefix}`: {e}")))?;
            for e in &tree.entries {
                let name = String::from_utf8_lossy(e.filename);
                let path = if prefix.is_empty() {
                    name.into_owned()
                } else {
                    format!("{prefix}/{name}")
                };
                if e.mode.is_tree() {
                    stack.push((path, e.oid.to_owned(), depth + 1));
                } else if e.mode.is_blob_or_symlink() {
                    t.entries.push(Entry {
                        path,
                        id: e.oid.to_owned(),
                        link: e.mode.is_link(),
                    });
                }
            }
        }
        t.entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(t)
    }

    /// A tree of the files given, for tests: no repository behind it.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Tree<'static> {
        let mut t = Tree {
            repo: None,
            entries: Vec::new(),
            texts: Default::default(),
            skipped: Default::default(),
        };
        for (p, bytes) in files {
            t.entries.push(Entry {
                path: p.to_owned(),
                id: ObjectId::null(gix::hash::Kind::Sha1),
                link: false,
            });
            t.texts.insert(p.to_owned(), bytes.to_vec());
        }
        t.entries.sort_by(|a, b| a.path.cmp(&b.path));
        t
    }

    /// A file's bytes, when it is a regular file of at most [`MAX_READ`] bytes.
    pub fn read(&self, e: &Entry) -> Option<Vec<u8>> {
        if e.link {
            return None;
        }
        let Some(repo) = self.repo else {
            return self.texts.get(&e.path).cloned();
        };
        let size = match repo.find_header(e.id) {
            Ok(h) => h.size(),
            Err(_) => {
                self.skip(&e.path, "cannot be read");
                return None;
            }
        };
        if size > MAX_READ {
            self.skip(&e.path, &format!("{size} bytes, larger than {MAX_READ}"));
            return None;
        }
        let mut buf = Vec::new();
        match repo.objects.try_find(&e.id, &mut buf) {
            Ok(Some(d)) => Some(d.data.to_vec()),
            _ => {
                self.skip(&e.path, "cannot be read");
                None
            }
        }
    }

    fn read_text(&self, e: &Entry) -> Option<String> {
        self.read(e)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    fn skip(&self, path: &str, why: &str) {
        self.skipped.borrow_mut().insert(format!("{path}: {why}"));
    }

    fn find(&self, path: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.entries[i])
    }
}

/// Splits a path into its folder (`""` at the root) and file name.
fn split(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", path),
    }
}

/// The name's stem before the first dot, upper-cased, with `-` as `_` (`code-of-conduct.md` →
/// `CODE_OF_CONDUCT`).
fn stem(name: &str) -> String {
    name.split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase()
        .replace('-', "_")
}

/// Where a community file is looked for.
fn community_dir(dir: &str) -> bool {
    matches!(dir, "" | ".github" | "docs" | ".gitlab" | "doc")
}

/// Community health files, as GitHub looks for them (root, `.github/`, `docs/`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Community {
    pub readme: Option<String>,
    pub contributing: Option<String>,
    pub code_of_conduct: Option<String>,
    pub security: Option<String>,
    pub governance: Option<String>,
    pub codeowners: Option<String>,
    pub maintainers: Option<String>,
    pub changelog: Option<String>,
    pub license: Option<String>,
    pub support: Option<String>,
    pub funding: Option<String>,
}

impl Community {
    /// `(name, path)` of every kind, in a fixed order.
    pub fn kinds(&self) -> [(&'static str, &Option<String>); 11] {
        [
            ("readme", &self.readme),
            ("contributing", &self.contributing),
            ("code_of_conduct", &self.code_of_conduct),
            ("security", &self.security),
            ("governance", &self.governance),
            ("codeowners", &self.codeowners),
            ("maintainers", &self.maintainers),
            ("changelog", &self.changelog),
            ("license", &self.license),
            ("support", &self.support),
            ("funding", &self.funding),
        ]
    }
}

fn community(tree: &Tree<'_>) -> Community {
    let mut c = Community::default();
    // Root files first, then .github, then docs (the entries are sorted by path, so take the
    // shallowest match).
    let mut candidates: Vec<&Entry> = tree
        .entries
        .iter()
        .filter(|e| community_dir(split(&e.path).0))
        .collect();
    candidates.sort_by_key(|e| (e.path.matches('/').count(), e.path.clone()));
    for e in candidates {
        let (_, name) = split(&e.path);
        let s = stem(name);
        let slot = match s.as_str() {
            "README" => &mut c.readme,
            "CONTRIBUTING" => &mut c.contributing,
            "CODE_OF_CONDUCT" | "CONDUCT" => &mut c.code_of_conduct,
            "SECURITY" => &mut c.security,
            "GOVERNANCE" => &mut c.governance,
            "CODEOWNERS" | "OWNERS" => &mut c.codeowners,
            "MAINTAINERS" => &mut c.maintainers,
            "CHANGELOG" | "CHANGES" | "HISTORY" | "NEWS" | "RELEASES" | "RELEASE_NOTES" => {
                &mut c.changelog
            }
            "SUPPORT" => &mut c.support,
            "FUNDING" => &mut c.funding,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(e.path.clone());
        }
    }
    if c.license.is_none() {
        c.license = license_files(tree).first().map(|e| e.path.clone());
    }
    c
}

/// CI configuration found and whether it runs tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ci {
    /// CI systems (`github-actions`, `gitlab-ci`, …), sorted.
    pub systems: Vec<String>,
    pub files: Vec<String>,
    /// Test commands found in the CI files (`file: command`).
    pub test_commands: Vec<String>,
}

const CI_FILES: &[(&str, &str)] = &[
    (".gitlab-ci.yml", "gitlab-ci"),
    (".travis.yml", "travis"),
    (".circleci/config.yml", "circleci"),
    ("Jenkinsfile", "jenkins"),
    ("azure-pipelines.yml", "azure-pipelines"),
    (".azure-pipelines.yml", "azure-pipelines"),
    ("appveyor.yml", "appveyor"),
    (".appveyor.yml", "appveyor"),
    (".buildkite/pipeline.yml", "buildkite"),
    (".drone.yml", "drone"),
    ("bitbucket-pipelines.yml", "bitbucket"),
    (".woodpecker.yml", "woodpecker"),
    (".cirrus.yml", "cirrus"),
    (".zuul.yaml", "zuul"),
];

const TEST_COMMANDS: &[&str] = &[
    "cargo test",
    "cargo nextest",
    "go test",
    "gotestsum",
    "npm test",
    "npm run test",
    "npm ci && npm test",
    "yarn test",
    "pnpm test",
    "pnpm run test",
    "pytest",
    "tox",
    "nox",
    "python -m unittest",
    "mvn test",
    "mvn verify",
    "mvn -b verify",
    "mvn install",
    "gradle test",
    "gradlew test",
    "gradle check",
    "gradlew check",
    "gradlew build",
    "gradle build",
    "make test",
    "make check",
    "ctest",
    "bazel test",
    "rake test",
    "rspec",
    "phpunit",
    "dotnet test",
    "mix test",
    "swift test",
    "flutter test",
    "dart test",
    "jest",
    "vitest",
    "just test",
    "run-tests",
    "test.sh",
    "scripts/test",
];

fn is_workflow(path: &str) -> bool {
    let (dir, name) = split(path);
    dir == ".github/workflows" && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

fn ci(tree: &Tree<'_>) -> Ci {
    let mut systems = BTreeSet::new();
    let mut files = Vec::new();
    for e in &tree.entries {
        let system = if is_workflow(&e.path) {
            Some("github-actions")
        } else if let Some((_, s)) = CI_FILES.iter().find(|(p, _)| *p == e.path) {
            Some(*s)
        } else if e.path.starts_with(".woodpecker/") || e.path.starts_with("zuul.d/") {
            Some(if e.path.starts_with("zuul") {
                "zuul"
            } else {
                "woodpecker"
            })
        } else if e.path.starts_with(".builds/") && e.path.ends_with(".yml") {
            Some("sourcehut")
        } else {
            None
        };
        if let Some(s) = system {
            systems.insert(s.to_owned());
            files.push(e.clone());
        }
    }
    let mut test_commands = Vec::new();
    for e in &files {
        let Some(text) = tree.read_text(e) else {
            continue;
        };
        let lower = text.to_ascii_lowercase();
        if let Some(cmd) = TEST_COMMANDS.iter().find(|c| contains_word(&lower, c)) {
            test_commands.push(format!("{}: {cmd}", e.path));
        }
    }
    Ci {
        systems: systems.into_iter().collect(),
        files: files.into_iter().map(|e| e.path).collect(),
        test_commands,
    }
}

/// Whether `needle` occurs in `hay` not glued to letters on either side.
fn contains_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !glued(before) && !glued(after) {
            return true;
        }
        from = end;
    }
    false
}

/// The file extensions Scorecard's Binary-Artifacts counts.
const BINARY_EXTENSIONS: &[&str] = &[
    "crx", "deb", "dex", "dey", "elf", "o", "a", "so", "macho", "iso", "class", "jar", "bundle",
    "dylib", "lib", "msi", "dll", "drv", "efi", "exe", "ocx", "pyc", "pyo", "par", "rpm", "wasm",
    "whl",
];

/// A place in a file, and what was found there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Hit {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub detail: String,
}

impl Hit {
    fn new(path: &str, line: Option<u32>, detail: impl Into<String>) -> Hit {
        Hit {
            path: path.to_owned(),
            line,
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Hit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path, self.detail),
            None => write!(f, "{}: {}", self.path, self.detail),
        }
    }
}

/// The first line (1-based) of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> Option<u32> {
    text.lines()
        .position(|l| l.contains(needle))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The licence file Scorecard's License check scores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicenseFile {
    pub path: String,
    /// At the root or in `LICENSES/` (Scorecard's expected location).
    pub expected_location: bool,
    /// The SPDX expression detected in it, if any.
    pub detected: Option<String>,
    /// Every licence detected is OSI-approved or FSF-free.
    pub approved: bool,
}

/// The security policy and what it says (Scorecard's probes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecurityPolicy {
    pub path: String,
    /// An email address or a URL.
    pub links: bool,
    /// Text beyond the links.
    pub text: bool,
    /// Words about disclosure or vulnerabilities, or a number (a timeline).
    pub disclosure: bool,
}

/// One GitHub workflow's token permissions (Scorecard's Token-Permissions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorkflowPermissions {
    pub path: String,
    /// Write scopes at the top level; `all` when undeclared or `write-all`.
    pub top_write: BTreeSet<String>,
    /// Write scopes of jobs; `all` when a job declares none.
    pub job_write: BTreeSet<String>,
}

/// Everything the file checks found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FileChecks {
    /// Whether HEAD has a tree to check (an empty repository has none).
    pub has_tree: bool,
    pub files: u64,
    pub community: Community,
    pub ci: Ci,
    pub workflows: Vec<String>,
    pub binary_artifacts: Vec<String>,
    /// Binaries Scorecard exempts (`gradle-wrapper.jar`; Scorecard checks its hash online).
    pub binary_exempt: Vec<String>,
    pub dangerous_workflow: Vec<Hit>,
    pub dependency_update_tool: Vec<String>,
    pub fuzzing: Vec<Hit>,
    pub license: Option<LicenseFile>,
    pub packaging: Vec<Hit>,
    pub pinned: Vec<Hit>,
    pub unpinned: Vec<Hit>,
    pub sast: Vec<Hit>,
    pub security_policy: Option<SecurityPolicy>,
    pub token_permissions: Vec<WorkflowPermissions>,
    pub deprecation: Option<Hit>,
    /// Workflows that are not valid YAML (judged by what could be read).
    pub unreadable: Vec<String>,
    /// Files too large (or unreadable) to look into.
    pub skipped: Vec<String>,
}

/// Runs every file check on a tree.
pub fn check(tree: &Tree<'_>) -> FileChecks {
    let mut f = FileChecks {
        has_tree: !tree.entries.is_empty(),
        files: tree.entries.len() as u64,
        community: community(tree),
        ci: ci(tree),
        ..FileChecks::default()
    };
    for e in &tree.entries {
        let (_, name) = split(&e.path);
        if let Some((_, ext)) = name.rsplit_once('.')
            && BINARY_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
            && !e.link
        {
            if name == "gradle-wrapper.jar" {
                f.binary_exempt.push(e.path.clone());
            } else {
                f.binary_artifacts.push(e.path.clone());
            }
        }
    }
    dependency_update_tool(tree, &mut f);
    let workflows: Vec<&Entry> = tree
        .entries
        .iter()
        .filter(|e| is_workflow(&e.path))
        .collect();
    for e in workflows {
        f.workflows.push(e.path.clone());
        let Some(text) = tree.read_text(e) else {
            continue;
        };
        workflow(&e.path, &text, &mut f);
    }
    other_ci_checks(tree, &mut f);
    dockerfiles(tree, &mut f);
    fuzzing(tree, &mut f);
    f.license = license(tree);
    f.security_policy = security_policy(tree, f.community.security.as_deref());
    f.deprecation = deprecation(tree, f.community.readme.as_deref());
    for v in [
        &mut f.dangerous_workflow,
        &mut f.fuzzing,
        &mut f.packaging,
        &mut f.pinned,
        &mut f.unpinned,
        &mut f.sast,
    ] {
        v.sort();
        v.dedup();
    }
    f.skipped = tree.skipped.borrow().iter().cloned().collect();
    f
}

fn dependency_update_tool(tree: &Tree<'_>, f: &mut FileChecks) {
    const FILES: &[&str] = &[
        ".github/dependabot.yml",
        ".github/dependabot.yaml",
        "renovate.json",
        "renovate.json5",
        ".renovaterc",
        ".renovaterc.json",
        ".renovaterc.json5",
        ".github/renovate.json",
        ".github/renovate.json5",
        ".gitlab/renovate.json",
        ".gitlab/renovate.json5",
        ".pyup.yml",
        ".scala-steward.conf",
        ".github/.scala-steward.conf",
        ".config/.scala-steward.conf",
    ];
    for p in FILES {
        if tree.find(p).is_some() {
            f.dependency_update_tool.push((*p).to_owned());
        }
    }
}

/// Expressions an attacker controls in `pull_request_target`, issue and comment events
/// (Scorecard's list of untrusted inputs for script injection).
const UNTRUSTED: &[&str] = &[
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.pages",
    "github.event.commits",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.head_ref",
];

/// Refs that check out the code of a pull request under review.
const PR_HEAD_REFS: &[&str] = &[
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.merge_commit_sha",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.head_ref",
    "refs/pull/",
];

const PUBLISH_ACTIONS: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "docker/build-push-action",
    "goreleaser/goreleaser-action",
    "JS-DevTools/npm-publish",
    "rust-lang/crates-io-auth-action",
    "gradle/gradle-build-action",
    "ko-build/setup-ko",
    "cycjimmy/semantic-release-action",
];

const PUBLISH_COMMANDS: &[&str] = &[
    "npm publish",
    "yarn publish",
    "yarn npm publish",
    "pnpm publish",
    "twine upload",
    "poetry publish",
    "flit publish",
    "hatch publish",
    "uv publish",
    "cargo publish",
    "gradle publish",
    "gradlew publish",
    "mvn deploy",
    "mvnw deploy",
    "gem push",
    "dotnet nuget push",
    "nuget push",
    "docker push",
    "ko publish",
    "helm push",
    "goreleaser release",
    "semantic-release",
];

const SAST_ACTIONS: &[&str] = &[
    "github/codeql-action/analyze",
    "github/codeql-action/init",
    "snyk/actions",
    "sonarsource/sonarcloud-github-action",
    "sonarsource/sonarqube-scan-action",
    "jetbrains/qodana-action",
    "facebook/pysa-action",
    "returntocorp/semgrep-action",
    "semgrep/semgrep-action",
    "securego/gosec",
];

/// The step lists of a workflow's jobs, with each job's name and value.
fn jobs(doc: &Value) -> Vec<(&str, &Value)> {
    doc.get("jobs")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default()
}

fn steps(job: &Value) -> &[Value] {
    job.get("steps")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// A workflow's triggers, lower-cased.
fn triggers(doc: &Value) -> BTreeSet<String> {
    // `on` may be read as the key "on" or, by YAML 1.1 readers, "true".
    let on = doc.get("on").or_else(|| doc.get("true"));
    let mut out = BTreeSet::new();
    match on {
        Some(Value::String(s)) => {
            out.insert(s.to_ascii_lowercase());
        }
        Some(Value::Array(a)) => {
            out.extend(
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_ascii_lowercase),
            );
        }
        Some(Value::Object(m)) => out.extend(m.keys().map(|k| k.to_ascii_lowercase())),
        _ => {}
    }
    out
}

/// The write scopes of a `permissions` value; `None` when undeclared.
fn write_scopes(p: Option<&Value>) -> Option<BTreeSet<String>> {
    let p = p?;
    let mut out = BTreeSet::new();
    match p {
        Value::String(s) if s == "write-all" => {
            out.insert("all".to_owned());
        }
        Value::Object(m) => {
            for (k, v) in m {
                if v.as_str() == Some("write") {
                    out.insert(k.clone());
                }
            }
        }
        _ => {}
    }
    Some(out)
}

fn is_sha_pinned(reference: &str) -> bool {
    reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One GitHub workflow: dangerous patterns, pinning of actions, permissions, packaging, SAST.
fn workflow(path: &str, text: &str, f: &mut FileChecks) {
    let doc: Value = match serde_saphyr::from_str(text) {
        Ok(v) => v,
        Err(_) => {
            f.unreadable.push(path.to_owned());
            return;
        }
    };
    let triggers = triggers(&doc);
    let privileged = triggers.contains("pull_request_target") || triggers.contains("workflow_run");
    let mut perms = WorkflowPermissions {
        path: path.to_owned(),
        top_write: write_scopes(doc.get("permissions"))
            .unwrap_or_else(|| BTreeSet::from(["all".to_owned()])),
        job_write: BTreeSet::new(),
    };
    for (job_name, job) in jobs(&doc) {
        match write_scopes(job.get("permissions")) {
            Some(w) => perms.job_write.extend(w),
            None => {
                perms.job_write.insert("all".to_owned());
            }
        }
        // A reusable workflow called by the job.
        if let Some(uses) = job.get("uses").and_then(Value::as_str) {
            action_pin(path, text, uses, f);
        }
        for step in steps(job) {
            let uses = step.get("uses").and_then(Value::as_str);
            if let Some(uses) = uses {
                action_pin(path, text, uses, f);
                let lower = uses.to_ascii_lowercase();
                let action = lower.split('@').next().unwrap_or_default();
                if PUBLISH_ACTIONS
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(action))
                {
                    f.packaging.push(Hit::new(
                        path,
                        line_of(text, uses),
                        format!("job `{job_name}` publishes with {action}"),
                    ));
                }
                if SAST_ACTIONS.iter().any(|a| action.starts_with(a)) {
                    f.sast
                        .push(Hit::new(path, line_of(text, uses), action.to_owned()));
                }
                // Checkout of the pull request's head in a privileged workflow.
                if privileged && action == "actions/checkout" {
                    let r = step
                        .get("with")
                        .and_then(|w| w.get("ref"))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    if let Some(pr) = PR_HEAD_REFS.iter().find(|p| r.contains(*p)) {
                        f.dangerous_workflow.push(Hit::new(
                            path,
                            line_of(text, pr),
                            format!("untrusted checkout: job `{job_name}` checks out `{r}` in a workflow triggered by {}", triggers.iter().filter(|t| *t == "pull_request_target" || *t == "workflow_run").cloned().collect::<Vec<_>>().join(", ")),
                        ));
                    }
                }
                if action == "actions/github-script"
                    && let Some(script) = step
                        .get("with")
                        .and_then(|w| w.get("script"))
                        .and_then(Value::as_str)
                {
                    injection(path, text, job_name, script, f);
                }
            }
            if let Some(run) = step.get("run").and_then(Value::as_str) {
                injection(path, text, job_name, run, f);
                shell_pins(path, text, run, f);
                let lower = run.to_ascii_lowercase();
                if let Some(cmd) = PUBLISH_COMMANDS.iter().find(|c| contains_word(&lower, c)) {
                    f.packaging.push(Hit::new(
                        path,
                        line_of(text, cmd),
                        format!("job `{job_name}` runs `{cmd}`"),
                    ));
                }
            }
        }
    }
    f.token_permissions.push(perms);
}

/// Script injection: an untrusted `${{ … }}` expression inside a script.
fn injection(path: &str, text: &str, job: &str, script: &str, f: &mut FileChecks) {
    let mut rest = script;
    while let Some(i) = rest.find("${{") {
        let after = &rest[i + 3..];
        let end = after.find("}}").unwrap_or(after.len());
        let expr = after[..end].trim();
        if let Some(u) = UNTRUSTED.iter().find(|u| expr.contains(*u)) {
            f.dangerous_workflow.push(Hit::new(
                path,
                line_of(text, expr),
                format!("script injection: job `{job}` expands `${{{{ {expr} }}}}` ({u} is attacker-controlled) inside a script"),
            ));
        }
        rest = &after[end..];
    }
}

fn action_pin(path: &str, text: &str, uses: &str, f: &mut FileChecks) {
    let uses = uses.trim();
    if uses.starts_with("./") {
        return;
    }
    let line = line_of(text, uses);
    if let Some(image) = uses.strip_prefix("docker://") {
        if image.contains("@sha256:") {
            f.pinned
                .push(Hit::new(path, line, format!("container `{image}`")));
        } else {
            f.unpinned.push(Hit::new(
                path,
                line,
                format!("container `{image}` not pinned by digest"),
            ));
        }
        return;
    }
    match uses.rsplit_once('@') {
        Some((_, r)) if is_sha_pinned(r) => {
            f.pinned
                .push(Hit::new(path, line, format!("action `{uses}`")))
        }
        _ => f.unpinned.push(Hit::new(
            path,
            line,
            format!("action `{uses}` not pinned by commit hash"),
        )),
    }
}

/// Downloads run by shell scripts: `curl … | sh`, `pip install pkg`, `npm install` (Scorecard's
/// pinning checks of scripts, simplified).
fn shell_pins(path: &str, text: &str, script: &str, f: &mut FileChecks) {
    for line in script.lines() {
        let l = line.trim().to_ascii_lowercase();
        if l.starts_with('#') {
            continue;
        }
        let piped_to_shell = (l.contains("curl ") || l.contains("wget "))
            && ["| sh", "|sh", "| bash", "|bash", "| sudo sh", "| sudo bash"]
                .iter()
                .any(|p| l.contains(p));
        let pip = (l.contains("pip install") || l.contains("pip3 install"))
            && !l.contains("--require-hashes")
            && !l.contains(" -r ")
            && !l.contains("--requirement")
            && !l.ends_with(" .")
            && !l.contains(" -e .");
        let npm = contains_word(&l, "npm install") || contains_word(&l, "npm i");
        let what = if piped_to_shell {
            "download piped to a shell"
        } else if pip {
            "pip install without hashes"
        } else if npm {
            "npm install (npm ci installs the lockfile's pinned versions)"
        } else {
            continue;
        };
        f.unpinned.push(Hit::new(
            path,
            line_of(text, line.trim()),
            format!("{what}: `{}`", line.trim()),
        ));
    }
}

/// GitLab CI: SAST templates and publishing commands count as they do in GitHub workflows.
fn other_ci_checks(tree: &Tree<'_>, f: &mut FileChecks) {
    if let Some(e) = tree.find(".gitlab-ci.yml")
        && let Some(text) = tree.read_text(e)
    {
        let lower = text.to_ascii_lowercase();
        if lower.contains("sast.gitlab-ci.yml") || lower.contains("sast-iac") {
            f.sast.push(Hit::new(
                &e.path,
                line_of(&lower, "sast"),
                "GitLab SAST template",
            ));
        }
        if let Some(cmd) = PUBLISH_COMMANDS.iter().find(|c| contains_word(&lower, c)) {
            f.packaging.push(Hit::new(
                &e.path,
                line_of(&lower, cmd),
                format!("runs `{cmd}`"),
            ));
        }
    }
}

fn dockerfiles(tree: &Tree<'_>, f: &mut FileChecks) {
    for e in &tree.entries {
        let (_, name) = split(&e.path);
        let lower = name.to_ascii_lowercase();
        if !(lower == "dockerfile"
            || lower.starts_with("dockerfile.")
            || lower.ends_with(".dockerfile")
            || lower == "containerfile")
        {
            continue;
        }
        let Some(text) = tree.read_text(e) else {
            continue;
        };
        let mut stages = BTreeSet::new();
        for (i, line) in text.lines().enumerate() {
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some(first) = words.first() else { continue };
            let ln = u32::try_from(i + 1).ok();
            if first.eq_ignore_ascii_case("FROM") {
                let image = words
                    .iter()
                    .skip(1)
                    .find(|w| !w.starts_with("--"))
                    .copied()
                    .unwrap_or_default();
                if let Some(pos) = words.iter().position(|w| w.eq_ignore_ascii_case("AS"))
                    && let Some(stage) = words.get(pos + 1)
                {
                    stages.insert(stage.to_ascii_lowercase());
                }
                if image.is_empty()
                    || image.eq_ignore_ascii_case("scratch")
                    || stages.contains(&image.to_ascii_lowercase())
                    || image.starts_with('$')
                {
                    continue;
                }
                if image.contains("@sha256:") {
                    f.pinned
                        .push(Hit::new(&e.path, ln, format!("image `{image}`")));
                } else {
                    f.unpinned.push(Hit::new(
                        &e.path,
                        ln,
                        format!("image `{image}` not pinned by digest"),
                    ));
                }
            } else if first.eq_ignore_ascii_case("RUN") {
                shell_pins(&e.path, &text, line, f);
            }
        }
    }
}

fn fuzzing(tree: &Tree<'_>, f: &mut FileChecks) {
    let mut go_tests = 0usize;
    for e in &tree.entries {
        let (dir, name) = split(&e.path);
        let lname = name.to_ascii_lowercase();
        if e.path.starts_with(".clusterfuzzlite/") {
            f.fuzzing
                .push(Hit::new(".clusterfuzzlite", None, "ClusterFuzzLite"));
        } else if lname == "cargo.toml" && (dir == "fuzz" || dir.ends_with("/fuzz")) {
            if let Some(text) = tree.read_text(e)
                && (text.contains("libfuzzer-sys") || text.contains("cargo-fuzz"))
            {
                f.fuzzing.push(Hit::new(
                    &e.path,
                    line_of(&text, "fuzz"),
                    "cargo-fuzz targets",
                ));
            }
        } else if lname.ends_with("_test.go") && go_tests < MAX_GO_TESTS {
            go_tests += 1;
            if let Some(text) = tree.read_text(e)
                && let Some(l) = text
                    .lines()
                    .position(|l| l.starts_with("func Fuzz") && l.contains("*testing.F"))
            {
                f.fuzzing.push(Hit::new(
                    &e.path,
                    u32::try_from(l + 1).ok(),
                    "Go native fuzz test",
                ));
            }
        } else if (lname.ends_with("_fuzzer.cc")
            || lname.ends_with("_fuzzer.c")
            || lname.ends_with("_fuzzer.cpp")
            || lname.starts_with("fuzz_")
                && (lname.ends_with(".c")
                    || lname.ends_with(".cc")
                    || lname.ends_with(".cpp")
                    || lname.ends_with(".py")))
            && f.fuzzing.len() < 20
        {
            f.fuzzing
                .push(Hit::new(&e.path, None, "libFuzzer/atheris target"));
        } else if lname == "package.json"
            && dir.is_empty()
            && let Some(text) = tree.read_text(e)
        {
            for (dep, what) in [
                ("@jazzer.js/", "Jazzer.js"),
                ("\"fast-check\"", "fast-check property tests"),
            ] {
                if text.contains(dep) {
                    f.fuzzing.push(Hit::new(&e.path, line_of(&text, dep), what));
                }
            }
        }
    }
}

/// Licence files where Scorecard looks: the root (`LICENSE`, `COPYING.txt`, `LICENSE-MIT`,
/// `MIT-LICENSE`…) and every file of a top-level `LICENSES/` folder (REUSE).
fn license_files<'t>(tree: &'t Tree<'_>) -> Vec<&'t Entry> {
    let mut out: Vec<&Entry> = tree
        .entries
        .iter()
        .filter(|e| {
            let (dir, name) = split(&e.path);
            if dir == "LICENSES" {
                return true;
            }
            if !dir.is_empty() {
                return false;
            }
            let s = stem(name);
            const BASES: [&str; 5] = ["LICENSE", "LICENCE", "COPYING", "COPYRIGHT", "UNLICENSE"];
            if BASES.contains(&s.as_str()) {
                return true;
            }
            // `LICENSE-MIT`, `LICENSE_APACHE2`, `MIT-LICENSE`: written in capitals, as such files
            // are (so `license-detection.md` is not one).
            let original = name.split('.').next().unwrap_or_default().replace('-', "_");
            original == s
                && BASES
                    .iter()
                    .any(|b| s.starts_with(&format!("{b}_")) || s.ends_with(&format!("_{b}")))
        })
        .collect();
    out.sort_by_key(|e| (e.path.contains('/'), e.path.clone()));
    out
}

fn license(tree: &Tree<'_>) -> Option<LicenseFile> {
    let files = license_files(tree);
    let first = files.first()?;
    let detector = ospo_license::Detector::new();
    let mut ids: Vec<String> = Vec::new();
    for e in files.iter().take(4) {
        let Some(bytes) = tree.read(e) else { continue };
        let found = detector.detect_bytes(std::path::Path::new(&e.path), &bytes);
        for m in found.licenses {
            if m.confidence >= 0.8 && !ids.contains(&m.expression) {
                ids.push(m.expression);
            }
        }
    }
    let approved = !ids.is_empty()
        && ids.iter().all(|expr| {
            expr.split_whitespace()
                .filter(|w| !matches!(*w, "AND" | "OR" | "WITH"))
                .filter(|w| !w.ends_with("exception") && !w.contains("-exception"))
                .all(|id| {
                    ospo_license::classes::info(id.trim_matches(['(', ')']))
                        .is_some_and(|i| i.osi || i.fsf)
                })
        });
    let (dir, _) = split(&first.path);
    Some(LicenseFile {
        path: first.path.clone(),
        expected_location: dir.is_empty() || dir == "LICENSES",
        detected: (!ids.is_empty()).then(|| ids.join(" AND ")),
        approved,
    })
}

fn security_policy(tree: &Tree<'_>, path: Option<&str>) -> Option<SecurityPolicy> {
    let e = tree.find(path?)?;
    let text = tree.read_text(e).unwrap_or_default();
    let lower = text.to_ascii_lowercase();
    let mut linked = 0usize;
    let mut links = false;
    for word in text.split_whitespace() {
        let w = word.trim_matches(|c: char| "<>()[].,;:\"'`*".contains(c));
        let is_url = w.starts_with("http://") || w.starts_with("https://");
        let is_email = w
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.ends_with('.'));
        if is_url || is_email {
            links = true;
            linked += word.len();
        }
    }
    let letters = text.chars().filter(|c| !c.is_whitespace()).count();
    let number = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()));
    Some(SecurityPolicy {
        path: e.path.clone(),
        links,
        text: letters.saturating_sub(linked) > 1,
        disclosure: lower.contains("disclos") || lower.contains("vuln") || number,
    })
}

/// Phrases that say a project is over, looked for in the README's first lines.
const DEPRECATION_PHRASES: &[&str] = &[
    "this project is deprecated",
    "this repository is deprecated",
    "this library is deprecated",
    "this package is deprecated",
    "this crate is deprecated",
    "this module is deprecated",
    "this project has been deprecated",
    "this repository has been deprecated",
    "this package has been deprecated",
    "no longer maintained",
    "no longer being maintained",
    "no longer actively maintained",
    "not maintained anymore",
    "not actively maintained",
    "this project is unmaintained",
    "this repository is unmaintained",
    "is now unmaintained",
    "this project is archived",
    "this repository is archived",
    "this repository has been archived",
    "this project has been archived",
    "repostatus.org/badges/latest/abandoned",
    "repostatus.org/badges/latest/unsupported",
    "repostatus.org/badges/latest/moved",
    "badges/maintenance/no",
    "unmaintained.tech",
];

fn deprecation(tree: &Tree<'_>, readme: Option<&str>) -> Option<Hit> {
    if let Some(e) = readme.and_then(|p| tree.find(p))
        && let Some(text) = tree.read_text(e)
    {
        let head = &text[..text.floor_char_boundary(8192)];
        for (i, line) in head.lines().enumerate() {
            let lower = line.to_ascii_lowercase();
            let heading = lower.trim_start_matches(['#', ' ', '*', '>', '!', '[']);
            if DEPRECATION_PHRASES.iter().any(|p| lower.contains(p))
                || heading.starts_with("deprecated")
                || heading.starts_with("⚠️ deprecated")
                || heading.starts_with("unmaintained")
            {
                let shown: String = line.trim().chars().take(160).collect();
                return Some(Hit::new(&e.path, u32::try_from(i + 1).ok(), shown));
            }
        }
    }
    // Cargo's `[badges] maintenance = { status = "deprecated" }`.
    if let Some(e) = tree.find("Cargo.toml")
        && let Some(text) = tree.read_text(e)
    {
        for (i, line) in text.lines().enumerate() {
            let l = line.replace(' ', "");
            if l.contains("status=\"deprecated\"")
                || l.contains("status=\"looking-for-maintainer\"")
            {
                return Some(Hit::new(
                    &e.path,
                    u32::try_from(i + 1).ok(),
                    line.trim().to_owned(),
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &[(&str, &str)]) -> FileChecks {
        check(&Tree::from_files(
            files.iter().map(|(p, t)| (*p, t.as_bytes())),
        ))
    }

    #[test]
    fn community_files_are_found_in_the_usual_places() {
        let f = run(&[
            ("README.md", "# x"),
            (".github/CONTRIBUTING.md", "x"),
            ("docs/code-of-conduct.md", "x"),
            (".github/CODEOWNERS", "* @a"),
            ("CHANGES.rst", "x"),
            ("src/README.md", "x"),
        ]);
        assert_eq!(f.community.readme.as_deref(), Some("README.md"));
        assert_eq!(
            f.community.contributing.as_deref(),
            Some(".github/CONTRIBUTING.md")
        );
        assert_eq!(
            f.community.code_of_conduct.as_deref(),
            Some("docs/code-of-conduct.md")
        );
        assert_eq!(
            f.community.codeowners.as_deref(),
            Some(".github/CODEOWNERS")
        );
        assert_eq!(f.community.changelog.as_deref(), Some("CHANGES.rst"));
        assert_eq!(f.community.security, None);
    }

    #[test]
    fn dangerous_workflows() {
        let wf = "on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: echo \"${{ github.event.issue.title }}\"\n";
        let f = run(&[(".github/workflows/pr.yml", wf)]);
        assert_eq!(f.dangerous_workflow.len(), 2, "{:?}", f.dangerous_workflow);
        assert!(
            f.dangerous_workflow
                .iter()
                .any(|h| h.detail.starts_with("untrusted checkout") && h.line == Some(8))
        );
        assert!(
            f.dangerous_workflow
                .iter()
                .any(|h| h.detail.starts_with("script injection") && h.line == Some(9))
        );
        // The same checkout in a plain pull_request workflow is not dangerous.
        let safe = wf
            .replace("pull_request_target", "pull_request")
            .replace("issue.title", "sha");
        assert!(
            run(&[(".github/workflows/pr.yml", &safe)])
                .dangerous_workflow
                .is_empty()
        );
    }

    #[test]
    fn pinning_and_permissions() {
        let wf = "on: [push]\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11\n      - uses: actions/setup-go@v5\n      - run: curl -sSL https://x.example/install.sh | bash\n";
        let f = run(&[(".github/workflows/ci.yml", wf)]);
        assert_eq!(f.pinned.len(), 1);
        assert_eq!(f.unpinned.len(), 2, "{:?}", f.unpinned);
        assert_eq!(
            f.token_permissions[0].top_write,
            BTreeSet::from(["all".to_owned()])
        );
        assert_eq!(
            f.token_permissions[0].job_write,
            BTreeSet::from(["all".to_owned()])
        );
        let ro = "on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: x\n    permissions:\n      statuses: write\n    steps: []\n";
        let f = run(&[(".github/workflows/ci.yml", ro)]);
        assert!(f.token_permissions[0].top_write.is_empty());
        assert_eq!(
            f.token_permissions[0].job_write,
            BTreeSet::from(["statuses".to_owned()])
        );
    }

    #[test]
    fn deprecation_notices() {
        let f = run(&[(
            "README.md",
            "# old-lib\n\n**This project is no longer maintained.** Use new-lib.\n",
        )]);
        assert_eq!(f.deprecation.as_ref().and_then(|h| h.line), Some(3));
        let f = run(&[(
            "README.md",
            "# lib\n\nThe `foo` function is deprecated; use `bar`.\n",
        )]);
        assert_eq!(f.deprecation, None);
        let f = run(&[("README.md", "# DEPRECATED\n")]);
        assert!(f.deprecation.is_some());
    }

    #[test]
    fn security_policy_probes() {
        let f = run(&[(
            "SECURITY.md",
            "Report vulnerabilities to security@example.org within 90 days.",
        )]);
        let p = f.security_policy.expect("found");
        assert!(p.links && p.text && p.disclosure);
        let f = run(&[("SECURITY.md", "https://example.org/security")]);
        let p = f.security_policy.expect("found");
        assert!(p.links && !p.text && !p.disclosure);
    }

    #[test]
    fn licence_file_names() {
        let f = run(&[("docs/license-detection.md", "x"), ("src/LICENSE", "x")]);
        assert_eq!(f.license, None);
        for name in [
            "LICENSE-MIT",
            "MIT-LICENSE",
            "COPYING.txt",
            "LICENSES/MIT.txt",
        ] {
            let f = run(&[(name, "x"), ("license-detection.md", "x")]);
            assert_eq!(f.license.map(|l| l.path).as_deref(), Some(name));
        }
    }

    #[test]
    fn ci_and_tests() {
        let f = run(&[
            (
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: cargo test --workspace\n",
            ),
            (".travis.yml", "script: echo hi\n"),
        ]);
        assert_eq!(f.ci.systems, ["github-actions", "travis"]);
        assert_eq!(f.ci.test_commands, [".github/workflows/ci.yml: cargo test"]);
        assert!(contains_word("run: pytest -q", "pytest"));
        assert!(!contains_word("run: mypytest", "pytest"));
    }
}
