//! Dependencies' upstream repositories: a component's repository URL (from its git source, its
//! Go module path, or its package metadata: `Cargo.toml` `repository`, `package.json`
//! `repository`, Python `Project-URL`…), normalised to `host/owner/repo`, and the clone of it in
//! a folder of mirrors.
//!
//! A mirrors folder holds clones (work trees or bare) laid out any way: each is indexed by its
//! `origin` URL (read from its git config), by its path (`github.com/owner/repo[.git]`), and by
//! its folder name. A match by name alone is the weakest and said so (`how: "name"`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ospo_model::{Component, Ecosystem, Source};
use serde::Serialize;

/// A repository URL as a comparable key: `github.com/serde-rs/serde` (no scheme, user, port,
/// `.git`, query or fragment; host lower-cased, and the path too on the big forges, which
/// ignore case).
pub fn normalise(url: &str) -> Option<String> {
    let mut u = url.trim();
    u = u.split(['#', '?']).next().unwrap_or_default();
    for p in ["git+", "scm:git:", "scm:"] {
        u = u.strip_prefix(p).unwrap_or(u);
    }
    // npm shorthands: `github:owner/repo`, `gitlab:…`, `bitbucket:…`.
    let expanded;
    for (short, host) in [
        ("github:", "github.com"),
        ("gitlab:", "gitlab.com"),
        ("bitbucket:", "bitbucket.org"),
    ] {
        if let Some(rest) = u.strip_prefix(short) {
            expanded = format!("{host}/{rest}");
            return normalise_hostpath(&expanded);
        }
    }
    let rest = match u.split_once("://") {
        Some((_, r)) => r.to_owned(),
        // scp-like `git@github.com:owner/repo.git`.
        None => match u.split_once(':') {
            Some((host, path)) if host.contains('@') || host.contains('.') => {
                format!("{host}/{path}")
            }
            _ => u.to_owned(),
        },
    };
    normalise_hostpath(&rest)
}

fn normalise_hostpath(rest: &str) -> Option<String> {
    let rest = rest
        .rsplit_once('@')
        .map_or(rest, |(user, r)| if user.contains('/') { rest } else { r });
    let (host, path) = rest.split_once('/')?;
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let mut segs: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect();
    let forge = matches!(
        host.as_str(),
        "github.com" | "bitbucket.org" | "codeberg.org"
    );
    if forge {
        segs.truncate(2);
    } else if let Some(i) = segs
        .iter()
        .position(|s| *s == "-" || *s == "tree" || *s == "blob")
    {
        // GitLab's `/-/tree/main`, other forges' `/tree/…`.
        segs.truncate(i);
    }
    if segs.is_empty() {
        return None;
    }
    let last = segs.len() - 1;
    let trimmed = segs[last].trim_end_matches(".git");
    let mut key = host.clone();
    for (i, s) in segs.iter().enumerate() {
        key.push('/');
        key.push_str(if i == last { trimmed } else { s });
    }
    if forge || host == "gitlab.com" {
        key = key.to_ascii_lowercase();
    }
    Some(key)
}

/// The repository of a Go module path (`github.com/owner/repo/v2/sub` → `github.com/owner/repo`),
/// with the vanity domains of well-known projects.
pub fn go_module_repository(module: &str) -> Option<String> {
    let segs: Vec<&str> = module.split('/').collect();
    let host = *segs.first()?;
    let at = |i: usize| segs.get(i).copied();
    let key = match host {
        "github.com" | "gitlab.com" | "bitbucket.org" | "codeberg.org" => {
            format!("{host}/{}/{}", at(1)?, at(2)?)
        }
        "golang.org" if at(1) == Some("x") => format!("github.com/golang/{}", at(2)?),
        "gopkg.in" => {
            // gopkg.in/yaml.v3 → go-yaml/yaml; gopkg.in/user/pkg.v1 → user/pkg.
            let name = |s: &str| s.split(".v").next().unwrap_or(s).to_owned();
            match (at(1), at(2)) {
                (Some(a), Some(b)) if !a.contains(".v") => format!("github.com/{a}/{}", name(b)),
                (Some(a), _) => format!("github.com/go-{0}/{0}", name(a)),
                _ => return None,
            }
        }
        "k8s.io" => format!("github.com/kubernetes/{}", at(1)?),
        "sigs.k8s.io" => format!("github.com/kubernetes-sigs/{}", at(1)?),
        "go.uber.org" => format!("github.com/uber-go/{}", at(1)?),
        "go.opentelemetry.io" if at(1) == Some("otel") => {
            "github.com/open-telemetry/opentelemetry-go".to_owned()
        }
        "google.golang.org" => match at(1)? {
            "grpc" => "github.com/grpc/grpc-go".to_owned(),
            "protobuf" => "github.com/protocolbuffers/protobuf-go".to_owned(),
            "genproto" => "github.com/googleapis/go-genproto".to_owned(),
            "api" => "github.com/googleapis/google-api-go-client".to_owned(),
            _ => return None,
        },
        _ => return None,
    };
    normalise(&format!("https://{key}"))
}

/// The repository URL a package's manifest declares, from the manifest's file name and text.
pub fn manifest_repository(file_name: &str, text: &str) -> Option<String> {
    match file_name {
        "Cargo.toml" => {
            let v: toml::Table = toml::from_str(text).ok()?;
            let package = v.get("package")?;
            let key = |k: &str| package.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            key("repository").or_else(|| key("homepage"))
        }
        "package.json" | "composer.json" => {
            let v: serde_json::Value = serde_json::from_str(text).ok()?;
            let r = v.get("repository").or_else(|| v.get("source"));
            match r {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(o) => o.get("url").and_then(|u| u.as_str()).map(str::to_owned),
                None => v
                    .get("support")
                    .and_then(|s| s.get("source"))
                    .and_then(|u| u.as_str())
                    .map(str::to_owned),
            }
        }
        "METADATA" | "PKG-INFO" => {
            let mut home = None;
            for line in text.lines() {
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Project-URL:") {
                    let (label, url) = v.split_once(',')?;
                    let label = label.trim().to_ascii_lowercase();
                    if ["source", "source code", "repository", "code", "github"]
                        .contains(&label.as_str())
                    {
                        return Some(url.trim().to_owned());
                    }
                } else if let Some(v) = line.strip_prefix("Home-page:") {
                    home = Some(v.trim().to_owned());
                }
            }
            home
        }
        _ => None,
    }
    .filter(|u| normalise(u).is_some())
}

/// Where a component's upstream URL came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// `host/owner/repo`.
    pub key: String,
    /// `git-source`, `go-module`, `action-name`, `package-metadata`.
    pub from: &'static str,
}

/// The upstream repositories a component names, best first. `metadata` is the repository URL
/// of its package manifest, when the caller found one.
pub fn candidates(c: &Component, metadata: Option<&str>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut push = |key: Option<String>, from| {
        if let Some(key) = key
            && !out.iter().any(|c| c.key == key)
        {
            out.push(Candidate { key, from });
        }
    };
    if let Source::Git { url, .. } = &c.source {
        push(normalise(url), "git-source");
    }
    match c.ecosystem {
        Ecosystem::Go => push(go_module_repository(&c.name), "go-module"),
        // `actions/checkout`, `github/codeql-action/analyze`: the repository is the name.
        Ecosystem::GitHubActions => {
            push(
                normalise(&format!("https://github.com/{}", c.name)),
                "action-name",
            );
        }
        _ => {}
    }
    if let Some(m) = metadata {
        push(normalise(m), "package-metadata");
    }
    out
}

/// One clone of the mirrors folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mirror {
    pub path: PathBuf,
    /// The normalised `origin` URL, when the clone has one.
    pub origin: Option<String>,
}

/// The clones of a mirrors folder, indexed.
#[derive(Clone, Debug, Default)]
pub struct Mirrors {
    pub clones: Vec<Mirror>,
    by_key: BTreeMap<String, usize>,
    by_name: BTreeMap<String, Vec<usize>>,
}

/// How a component's clone was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    pub path: PathBuf,
    /// The upstream key, when matched by URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
    /// `origin-url`, `path`, or `name` (the folder's name is the package's: weakest).
    pub how: &'static str,
    /// Where the URL came from (`git-source`, `go-module`, `package-metadata`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<&'static str>,
}

/// Whether a folder is a git repository: a work tree or a bare clone.
pub fn is_repository(path: &Path) -> bool {
    path.join(".git").exists() || (path.join("HEAD").is_file() && path.join("objects").is_dir())
}

/// The `origin` URL in a repository's config file (work tree or bare).
fn origin_url(repo: &Path) -> Option<String> {
    let config = if repo.join(".git").is_dir() {
        repo.join(".git/config")
    } else {
        repo.join("config")
    };
    let text = std::fs::read_to_string(config).ok()?;
    let mut in_origin = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_origin = l.replace(' ', "") == "[remote\"origin\"]";
            continue;
        }
        if in_origin
            && let Some((k, v)) = l.split_once('=')
            && k.trim() == "url"
        {
            return Some(v.trim().to_owned());
        }
    }
    None
}

impl Mirrors {
    /// Indexes the clones under `dir`, up to three levels deep (`host/owner/repo`).
    pub fn index(dir: &Path) -> std::io::Result<Mirrors> {
        let mut m = Mirrors::default();
        let mut stack = vec![(dir.to_owned(), 0usize)];
        let mut found = Vec::new();
        std::fs::read_dir(dir)?;
        while let Some((d, depth)) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.filter_map(Result::ok) {
                // No symbolic links: a mirrors folder is walked, never followed out of.
                let Ok(ft) = e.file_type() else { continue };
                if !ft.is_dir() {
                    continue;
                }
                let p = e.path();
                if is_repository(&p) {
                    found.push(p);
                } else if depth < 2 {
                    stack.push((p, depth + 1));
                }
            }
        }
        found.sort();
        for path in found {
            let i = m.clones.len();
            let origin = origin_url(&path).and_then(|u| normalise(&u));
            if let Some(o) = &origin {
                m.by_key.entry(o.clone()).or_insert(i);
            }
            if let Ok(rel) = path.strip_prefix(dir)
                && let Some(key) = normalise_hostpath(&rel.to_string_lossy())
            {
                m.by_key.entry(key).or_insert(i);
            }
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                let name = name.trim_end_matches(".git").to_ascii_lowercase();
                m.by_name.entry(name).or_default().push(i);
            }
            m.clones.push(Mirror { path, origin });
        }
        Ok(m)
    }

    /// The clone of a component: by its upstream URLs first, then by its name when exactly one
    /// clone has that folder name.
    pub fn find(&self, c: &Component, metadata: Option<&str>) -> Option<Found> {
        for cand in candidates(c, metadata) {
            if let Some(&i) = self.by_key.get(&cand.key) {
                let mirror = &self.clones[i];
                let how = if mirror.origin.as_deref() == Some(cand.key.as_str()) {
                    "origin-url"
                } else {
                    "path"
                };
                return Some(Found {
                    path: mirror.path.clone(),
                    upstream: Some(cand.key),
                    how,
                    from: Some(cand.from),
                });
            }
        }
        let name = c
            .name
            .rsplit(['/', ':'])
            .next()
            .unwrap_or(&c.name)
            .to_ascii_lowercase();
        match self.by_name.get(&name).map(Vec::as_slice) {
            Some([i]) => Some(Found {
                path: self.clones[*i].path.clone(),
                upstream: self.clones[*i].origin.clone(),
                how: "name",
                from: None,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_normalise() {
        for (url, want) in [
            (
                "https://github.com/Serde-RS/serde.git",
                "github.com/serde-rs/serde",
            ),
            (
                "git+https://github.com/serde-rs/serde",
                "github.com/serde-rs/serde",
            ),
            (
                "git@github.com:serde-rs/serde.git",
                "github.com/serde-rs/serde",
            ),
            (
                "ssh://git@github.com/serde-rs/serde",
                "github.com/serde-rs/serde",
            ),
            (
                "https://github.com/rust-lang/cargo/tree/master/crates/x",
                "github.com/rust-lang/cargo",
            ),
            ("github:npm/cli", "github.com/npm/cli"),
            (
                "git+ssh://git@gitlab.com/Group/Sub/Proj.git#main",
                "gitlab.com/group/sub/proj",
            ),
            (
                "https://gitlab.com/group/proj/-/tree/main",
                "gitlab.com/group/proj",
            ),
            (
                "https://git.example.org:8443/Team/Repo.git",
                "git.example.org/Team/Repo",
            ),
            (
                "scm:git:https://github.com/apache/commons-lang.git",
                "github.com/apache/commons-lang",
            ),
        ] {
            assert_eq!(normalise(url).as_deref(), Some(want), "{url}");
        }
        assert_eq!(normalise("not a url"), None);
        assert_eq!(normalise("https://github.com/"), None);
    }

    #[test]
    fn go_modules() {
        for (m, want) in [
            ("github.com/spf13/cobra", "github.com/spf13/cobra"),
            ("github.com/go-chi/chi/v5", "github.com/go-chi/chi"),
            ("golang.org/x/net", "github.com/golang/net"),
            ("gopkg.in/yaml.v3", "github.com/go-yaml/yaml"),
            (
                "gopkg.in/alecthomas/kingpin.v2",
                "github.com/alecthomas/kingpin",
            ),
            ("k8s.io/client-go", "github.com/kubernetes/client-go"),
            ("google.golang.org/grpc", "github.com/grpc/grpc-go"),
        ] {
            assert_eq!(go_module_repository(m).as_deref(), Some(want), "{m}");
        }
        assert_eq!(go_module_repository("example.com/x"), None);
    }

    #[test]
    fn manifests() {
        assert_eq!(
            manifest_repository(
                "Cargo.toml",
                "[package]\nname = \"x\"\nrepository = \"https://github.com/a/x\"\n"
            )
            .as_deref(),
            Some("https://github.com/a/x")
        );
        assert_eq!(
            manifest_repository(
                "package.json",
                r#"{"repository": {"type": "git", "url": "git+https://github.com/a/b.git"}}"#
            )
            .as_deref(),
            Some("git+https://github.com/a/b.git")
        );
        assert_eq!(
            manifest_repository("package.json", r#"{"repository": "github:a/b"}"#).as_deref(),
            Some("github:a/b")
        );
        assert_eq!(
            manifest_repository("METADATA", "Name: x\nHome-page: https://x.example.org/\nProject-URL: Source, https://github.com/a/x\n\nbody").as_deref(),
            Some("https://github.com/a/x")
        );
        assert_eq!(
            manifest_repository("Cargo.toml", "[package]\nname = 3"),
            None
        );
    }
}
