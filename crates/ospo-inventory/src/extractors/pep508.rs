//! Python helpers shared by the PyPI extractors: PEP 503 name normalisation, a PEP 508
//! requirement splitter, VCS/URL requirement sources, and the direct dependencies a
//! `pyproject.toml` declares (PEP 621, PEP 735 groups, Poetry, uv and PDM tables).
//!
//! The requirement parser is our own rather than `pep508_rs`: the extractors only need the
//! name, extras, specifier, URL and marker split apart (never marker evaluation or version
//! ordering), and this keeps the regex/unicode dependency tree out of the build.

use crate::HashMap;
use std::path::Path;

use ospo_model::{Component, Ecosystem, Hash, Level, Relationship, Scope, Source};

use crate::extractors::graph;
use crate::text::LineIndex;
use crate::{Extraction, Input};

/// A Python package name as PEP 503 compares names ([`ospo_model::ecosystem::pep503_name`]).
/// Lockfiles mostly write names already in that form (`typing-extensions`): those are copied
/// as they are, which is what `pep503_name` gives for them, without its per-character
/// lower-casing (about 1000 instructions a name, called several times per package).
pub fn normalise(name: &str) -> String {
    let bytes = name.as_bytes();
    let plain = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.contains("--");
    if plain {
        name.to_owned()
    } else {
        ospo_model::ecosystem::pep503_name(name)
    }
}

/// One PEP 508 requirement, split into its parts (borrowed from the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement<'a> {
    pub name: &'a str,
    pub extras: Vec<&'a str>,
    /// The version specifier, without parentheses (`>=1.0,<2`); empty when none.
    pub spec: &'a str,
    /// The URL of a `name @ url` requirement.
    pub url: Option<&'a str>,
    pub marker: Option<&'a str>,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

impl<'a> Requirement<'a> {
    /// Parses `name[extras] (spec) ; marker` or `name[extras] @ url ; marker`.
    pub fn parse(s: &'a str) -> Result<Requirement<'a>, String> {
        let s = s.trim();
        let end = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
        let name = &s[..end];
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(format!("`{s}` does not start with a package name"));
        }
        let mut rest = s[end..].trim_start();
        let mut extras = Vec::new();
        if let Some(r) = rest.strip_prefix('[') {
            let close = r
                .find(']')
                .ok_or_else(|| format!("`{s}`: unclosed `[` in extras"))?;
            extras = r[..close]
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .collect();
            rest = r[close + 1..].trim_start();
        }
        let mut url = None;
        let spec;
        let marker;
        if let Some(r) = rest.strip_prefix('@') {
            let r = r.trim_start();
            // A URL ends at whitespace; a `;` glued to it is part of the URL (PEP 508).
            let u_end = r.find(char::is_whitespace).unwrap_or(r.len());
            if u_end == 0 {
                return Err(format!("`{s}`: `@` without a URL"));
            }
            url = Some(&r[..u_end]);
            let after = r[u_end..].trim_start();
            marker = match after.strip_prefix(';') {
                Some(m) => Some(m.trim()),
                None if after.is_empty() => None,
                None => return Err(format!("`{s}`: unexpected `{after}` after the URL")),
            };
            spec = "";
        } else {
            let (sp, m) = match rest.split_once(';') {
                Some((sp, m)) => (sp, Some(m.trim())),
                None => (rest, None),
            };
            let sp = sp.trim();
            let sp = sp
                .strip_prefix('(')
                .and_then(|x| x.strip_suffix(')'))
                .unwrap_or(sp)
                .trim();
            if !sp.is_empty() && !sp.starts_with(['=', '<', '>', '!', '~']) {
                return Err(format!("`{s}`: `{sp}` is not a version specifier"));
            }
            spec = sp;
            marker = m;
        }
        Ok(Requirement {
            name,
            extras,
            spec,
            url,
            marker,
        })
    }

    /// The exact version of a `==x` or `===x` specifier (not a `==1.*` wildcard).
    pub fn pinned(&self) -> Option<&'a str> {
        pinned_version(self.spec)
    }
}

/// The exact version of a specifier that pins one (`==1.0`, `===1.0`, ` == 1.0 `).
pub fn pinned_version(spec: &str) -> Option<&str> {
    let spec = spec.trim();
    if spec.contains(',') {
        return None;
    }
    let v = spec
        .strip_prefix("===")
        .or_else(|| spec.strip_prefix("=="))?
        .trim();
    (!v.is_empty() && !v.contains('*') && !v.contains(char::is_whitespace)).then_some(v)
}

/// The source of a requirement URL: `git+https://host/r.git@rev#egg=x` → Git, `file:` or
/// a local path → Path, anything else → Url.
pub fn url_source(url: &str) -> Source {
    let no_frag = url.split_once('#').map_or(url, |(u, _)| u);
    for vcs in ["git+", "hg+", "svn+", "bzr+"] {
        if let Some(rest) = no_frag.strip_prefix(vcs) {
            // The revision follows the last `@` of the path part (`git@host` is a user).
            let path_start = rest
                .find("://")
                .map(|i| i + 3)
                .and_then(|i| rest[i..].find('/').map(|j| i + j))
                .unwrap_or(0);
            let (u, rev) = match rest[path_start..].rfind('@') {
                Some(at) => (
                    &rest[..path_start + at],
                    Some(rest[path_start + at + 1..].to_owned()),
                ),
                None => (rest, None),
            };
            if vcs == "git+" {
                return Source::Git {
                    url: u.to_owned(),
                    rev: rev.filter(|r| !r.is_empty()),
                };
            }
            return Source::Url {
                url: no_frag.to_owned(),
            };
        }
    }
    if let Some(p) = no_frag.strip_prefix("file://") {
        return Source::Path { path: p.to_owned() };
    }
    if no_frag.contains("://") {
        return Source::Url {
            url: no_frag.to_owned(),
        };
    }
    Source::Path {
        path: no_frag.to_owned(),
    }
}

/// The `#egg=name` of a pip URL, without any `[extras]`.
pub fn egg_name(url: &str) -> Option<&str> {
    let (_, frag) = url.split_once('#')?;
    let egg = frag
        .split('&')
        .find_map(|kv| kv.strip_prefix("egg="))?
        .trim();
    let egg = egg.split('[').next().unwrap_or(egg);
    (!egg.is_empty()).then_some(egg)
}

/// The name and version in a wheel (`name-1.0-py3-none-any.whl`) or sdist
/// (`name-1.0.tar.gz`, `.zip`) file name at the end of a URL or path.
pub fn archive_name_version(url: &str) -> Option<(&str, &str)> {
    let no_frag = url.split_once('#').map_or(url, |(u, _)| u);
    let file = no_frag.rsplit('/').next()?;
    if let Some(stem) = file.strip_suffix(".whl") {
        let mut parts = stem.splitn(3, '-');
        let name = parts.next()?;
        let version = parts.next()?;
        return (!name.is_empty() && !version.is_empty()).then_some((name, version));
    }
    let stem = [".tar.gz", ".zip", ".tar.bz2", ".tgz"]
        .iter()
        .find_map(|ext| file.strip_suffix(ext))?;
    let (name, version) = stem.rsplit_once('-')?;
    (!name.is_empty() && version.starts_with(|c: char| c.is_ascii_digit()))
        .then_some((name, version))
}

/// What a `pyproject.toml` says about the project: its own name and how it uses each direct
/// dependency (by normalised name; the most needed scope wins when named twice).
#[derive(Debug, Default)]
pub struct Pyproject {
    pub name: Option<String>,
    pub direct: HashMap<String, Scope>,
}

impl Pyproject {
    pub fn parse(text: &str) -> Result<Pyproject, toml::de::Error> {
        // The same table through the fast reader when the file is in its subset.
        let t: toml::Table = match crate::toml_fast::from_str_fast(text) {
            Some(t) => t,
            None => toml::from_str(text)?,
        };
        let mut out = Pyproject::default();
        let project = t.get("project");
        out.name = project
            .and_then(|p| p.get("name"))
            .and_then(toml::Value::as_str)
            .or_else(|| {
                t.get("tool")?
                    .get("poetry")?
                    .get("name")
                    .and_then(toml::Value::as_str)
            })
            .map(str::to_owned);
        // PEP 621.
        out.add_strings(project.and_then(|p| p.get("dependencies")), Scope::Runtime);
        for (_, v) in tables(project.and_then(|p| p.get("optional-dependencies"))) {
            out.add_strings(Some(v), Scope::Optional);
        }
        // PEP 735 dependency groups (entries may be `{include-group = "x"}` tables: skipped).
        for (_, v) in tables(t.get("dependency-groups")) {
            out.add_strings(Some(v), Scope::Dev);
        }
        let tool = t.get("tool");
        // Poetry.
        let poetry = tool.and_then(|t| t.get("poetry"));
        for (name, spec) in tables(poetry.and_then(|p| p.get("dependencies"))) {
            if name.eq_ignore_ascii_case("python") {
                continue;
            }
            let optional = spec
                .get("optional")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            out.add(
                name,
                if optional {
                    Scope::Optional
                } else {
                    Scope::Runtime
                },
            );
        }
        for (name, _) in tables(poetry.and_then(|p| p.get("dev-dependencies"))) {
            out.add(name, Scope::Dev);
        }
        for (group, g) in tables(poetry.and_then(|p| p.get("group"))) {
            let scope = if group == "main" {
                Scope::Runtime
            } else {
                Scope::Dev
            };
            for (name, _) in tables(g.get("dependencies")) {
                if !name.eq_ignore_ascii_case("python") {
                    out.add(name, scope);
                }
            }
        }
        // uv and PDM dev dependencies.
        out.add_strings(
            tool.and_then(|t| t.get("uv"))
                .and_then(|u| u.get("dev-dependencies")),
            Scope::Dev,
        );
        for (_, v) in tables(
            tool.and_then(|t| t.get("pdm"))
                .and_then(|p| p.get("dev-dependencies")),
        ) {
            out.add_strings(Some(v), Scope::Dev);
        }
        Ok(out)
    }

    fn add(&mut self, name: &str, scope: Scope) {
        let e = self.direct.entry(normalise(name)).or_insert(scope);
        *e = (*e).min(scope);
    }

    fn add_strings(&mut self, list: Option<&toml::Value>, scope: Scope) {
        for s in list
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
        {
            if let Ok(r) = Requirement::parse(s) {
                self.add(r.name, scope);
            }
        }
    }

    /// The scope of a direct dependency, if the manifest names it.
    pub fn scope_of(&self, name: &str) -> Option<Scope> {
        self.direct.get(&normalise(name)).copied()
    }

    /// Whether the package is the project itself.
    pub fn is_self(&self, name: &str) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| normalise(n) == normalise(name))
    }
}

fn tables(v: Option<&toml::Value>) -> impl Iterator<Item = (&str, &toml::Value)> {
    v.and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
}

/// Scope order used when propagating along a graph: `Runtime < Optional < Dev` by need
/// (build is not recorded by Python lockfiles).
pub fn need(scope: Scope) -> u8 {
    match scope {
        Scope::Runtime => 0,
        Scope::Optional => 1,
        Scope::Build => 2,
        Scope::Dev => 3,
    }
}

/// Propagates scopes from the direct dependencies along `graph` (indices), keeping the most
/// needed scope for each package. `start` holds the scope of each direct package, `None` for
/// the others; the result is `None` for packages no direct package reaches.
pub fn propagate(graph: &[Vec<usize>], start: &[Option<Scope>]) -> Vec<Option<Scope>> {
    let mut scope: Vec<Option<Scope>> = start.to_vec();
    let mut queue: std::collections::VecDeque<usize> =
        (0..start.len()).filter(|&i| start[i].is_some()).collect();
    while let Some(i) = queue.pop_front() {
        let Some(s) = scope.get(i).copied().flatten() else {
            continue;
        };
        for &j in graph.get(i).into_iter().flatten() {
            let Some(slot) = scope.get_mut(j) else {
                continue;
            };
            if slot.is_none_or(|old| need(s) < need(old)) {
                *slot = Some(s);
                queue.push_back(j);
            }
        }
    }
    scope
}

/// One package of a Python lockfile (poetry, uv, PDM, Pipfile.lock, pylock), before the graph
/// and the manifest are applied.
#[derive(Debug, Default)]
pub struct Locked {
    pub name: String,
    pub version: Option<String>,
    pub line: u32,
    pub source: Source,
    pub hashes: Vec<Hash>,
    pub deps: Vec<Dep>,
    /// The scope the lockfile itself records (poetry groups, PDM groups, Pipfile sections).
    pub scope: Option<Scope>,
    /// The project's own package (uv editable/virtual source).
    pub root: bool,
}

/// A dependency of a locked package, by normalised name.
#[derive(Debug, Clone)]
pub struct Dep {
    pub name: String,
    /// The version when the lockfile says which of several candidates it is.
    pub version: Option<String>,
    /// How a root package uses it (runtime, optional extra, dev group).
    pub scope: Scope,
    /// An optional (extra-only) dependency may be absent from the lock without a warning.
    pub optional: bool,
}

impl Dep {
    pub fn new(name: &str, scope: Scope) -> Dep {
        Dep {
            name: normalise(name),
            version: None,
            scope,
            optional: false,
        }
    }
}

/// The hashes to keep from a lockfile's artifacts: the sdist's when there is one (it names the
/// release), else every wheel's.
pub fn artifact_hashes<'a>(
    sdist: impl IntoIterator<Item = &'a str>,
    wheels: impl IntoIterator<Item = &'a str>,
) -> Vec<Hash> {
    let parse = |h: &str| h.split_once(':').and_then(|(a, v)| Hash::from_hex(a, v));
    let mut out: Vec<Hash> = sdist.into_iter().filter_map(parse).collect();
    if out.is_empty() {
        out = wheels.into_iter().filter_map(parse).collect();
    }
    out.dedup();
    out
}

/// Builds components and edges from locked packages: roots are the lock's own root packages
/// or the manifest's project; direct dependencies are those the manifest (or a root) names;
/// scopes come from the lockfile when it records them, else are propagated from the direct
/// dependencies along the graph.
pub fn assemble(
    id: &str,
    input: &Input<'_>,
    pkgs: Vec<Locked>,
    manifest: Option<&Pyproject>,
    out: &mut Extraction,
) {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, p) in pkgs.iter().enumerate() {
        by_name.entry(normalise(&p.name)).or_default().push(i);
    }
    let is_root: Vec<bool> = pkgs
        .iter()
        .map(|p| p.root || manifest.is_some_and(|m| m.is_self(&p.name)))
        .collect();
    let mut graph: Vec<Vec<usize>> = vec![Vec::new(); pkgs.len()];
    let mut start: Vec<Option<Scope>> = vec![None; pkgs.len()];
    let mut known = manifest.is_some_and(|m| !m.direct.is_empty());
    let keep = |slot: &mut Option<Scope>, s: Scope| {
        if slot.is_none_or(|old| need(s) < need(old)) {
            *slot = Some(s);
        }
    };
    for (i, p) in pkgs.iter().enumerate() {
        if let Some(s) = manifest.and_then(|m| m.scope_of(&p.name))
            && !is_root[i]
        {
            keep(&mut start[i], s);
        }
    }
    for (i, p) in pkgs.iter().enumerate() {
        for dep in &p.deps {
            let targets: Vec<usize> = by_name
                .get(&dep.name)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&j| {
                    dep.version.is_none()
                        || pkgs.get(j).and_then(|q| q.version.as_ref()) == dep.version.as_ref()
                })
                .collect();
            if targets.is_empty() && !dep.optional {
                out.diagnostics.push(input.diagnostic(
                    id,
                    Level::Warning,
                    Some(p.line),
                    format!(
                        "`{}` depends on `{}`, which the lockfile does not list",
                        p.name, dep.name
                    ),
                ));
            }
            for j in targets {
                if !graph[i].contains(&j) {
                    graph[i].push(j);
                }
                if is_root[i] && !is_root[j] {
                    known = true;
                    keep(&mut start[j], dep.scope);
                }
            }
        }
    }
    let direct: Vec<bool> = start.iter().map(Option::is_some).collect();
    let propagated = propagate(&graph, &start);
    let mut keys = Vec::with_capacity(pkgs.len());
    for (i, p) in pkgs.iter().enumerate() {
        let mut c = match Component::new(Ecosystem::PyPI, &p.name, p.version.as_deref()) {
            Ok(c) => c,
            Err(e) => {
                out.diagnostics.push(input.diagnostic(
                    id,
                    Level::Error,
                    Some(p.line),
                    e.to_string(),
                ));
                keys.push(None);
                continue;
            }
        };
        c.relationship = if is_root[i] {
            Relationship::Root
        } else if direct[i] {
            Relationship::Direct
        } else if known {
            Relationship::Transitive
        } else {
            Relationship::Unknown
        };
        c.scope = if is_root[i] {
            Scope::Runtime
        } else {
            p.scope
                .or(propagated.get(i).copied().flatten())
                .unwrap_or(Scope::Runtime)
        };
        c.source = p.source.clone();
        c.hashes = p.hashes.clone();
        c = c.at(input.path, Some(p.line));
        keys.push(Some(c.key()));
        out.components.push(c);
    }
    out.edges.extend(graph::edges(&graph, &keys));
}

/// Reads the `pyproject.toml` beside a lockfile; a manifest that cannot be read or parsed is a
/// warning (the lockfile alone still gives every package).
/// The whole extraction of a TOML Python lockfile (poetry.lock, pdm.lock, uv.lock, pylock.toml):
/// the `pyproject.toml` beside it, each package turned into a [`Locked`] by `locked` with its line
/// (which may add diagnostics), then [`assemble`].
pub fn from_toml_lock<P>(
    id: &str,
    input: &Input<'_>,
    text: &str,
    packages: &[toml::Spanned<P>],
    mut locked: impl FnMut(&mut Extraction, &P, u32) -> Locked,
) -> Extraction {
    let mut out = Extraction::default();
    let manifest = read_pyproject(id, input, &mut out);
    let lines = LineIndex::new(text);
    let pkgs = packages
        .iter()
        .map(|p| locked(&mut out, p.get_ref(), lines.line(p.span().start)))
        .collect();
    assemble(id, input, pkgs, manifest.as_ref(), &mut out);
    out
}

/// The extraction of a lock that an own-shape reader read (uv.lock, poetry.lock): the
/// `pyproject.toml` beside it, then the lock's packages from `pkgs`, as [`from_toml_lock`] does
/// for a lock read through serde.
pub fn from_read_lock(
    id: &str,
    input: &Input<'_>,
    pkgs: impl FnOnce() -> Vec<Locked>,
) -> Extraction {
    let mut out = Extraction::default();
    let manifest = read_pyproject(id, input, &mut out);
    assemble(id, input, pkgs(), manifest.as_ref(), &mut out);
    out
}

pub fn read_pyproject(id: &str, input: &Input<'_>, out: &mut Extraction) -> Option<Pyproject> {
    read_manifest(id, input, "pyproject.toml", out, Pyproject::parse)
}

/// Reads a TOML manifest beside the lockfile with `parse`, recording it in `out.manifest`.
pub fn read_manifest<T>(
    id: &str,
    input: &Input<'_>,
    name: &str,
    out: &mut Extraction,
    parse: impl FnOnce(&str) -> Result<T, toml::de::Error>,
) -> Option<T> {
    let path = input.sibling(name);
    let warn = |out: &mut Extraction, path: &Path, line: Option<u32>, msg: String| {
        out.diagnostics.push(ospo_model::Diagnostic::new(
            Level::Warning,
            id,
            path,
            line,
            msg,
        ));
    };
    let bytes = match input.read_sibling(name)? {
        Ok(b) => b,
        Err(e) => {
            warn(out, &path, None, format!("manifest not read: {e}"));
            return None;
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        warn(out, &path, None, "manifest ignored: not valid UTF-8".into());
        return None;
    };
    match parse(text) {
        Ok(t) => {
            out.manifest = Some(path);
            Some(t)
        }
        Err(e) => {
            let line = e.span().map(|s| crate::text::line_of_offset(text, s.start));
            warn(
                out,
                &path,
                line,
                format!("manifest ignored: {}", e.message()),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The copy of names already normalised gives what `pep503_name` gives, on any name.
        #[test]
        fn normalise_is_pep503(name in "[a-zA-Z0-9._ -]{0,12}|\\PC{0,8}") {
            proptest::prop_assert_eq!(normalise(&name), ospo_model::ecosystem::pep503_name(&name));
        }
    }

    #[test]
    fn names_normalise() {
        for name in [
            "", "-", "a-", "-a", "a--b", "a-b", "Ab", "a b", "a.b", " a", "ǅ", "1-2-x",
        ] {
            assert_eq!(
                normalise(name),
                ospo_model::ecosystem::pep503_name(name),
                "{name:?}"
            );
        }
        assert_eq!(normalise("Typing_Extensions"), "typing-extensions");
        assert_eq!(normalise("zope.interface"), "zope-interface");
        assert_eq!(normalise("a--_b"), "a-b");
    }

    #[test]
    fn requirements_split() {
        let r = Requirement::parse("a[b, c] (>=1,<2) ; python_version < \"3.8\"").unwrap();
        assert_eq!(r.name, "a");
        assert_eq!(r.extras, ["b", "c"]);
        assert_eq!(r.spec, ">=1,<2");
        assert_eq!(r.marker, Some("python_version < \"3.8\""));
        let r =
            Requirement::parse("pkg @ https://x/pkg-1.0-py3-none-any.whl ; os_name=='nt'").unwrap();
        assert_eq!(r.url, Some("https://x/pkg-1.0-py3-none-any.whl"));
        assert_eq!(r.marker, Some("os_name=='nt'"));
        assert_eq!(Requirement::parse("a==1.0").unwrap().pinned(), Some("1.0"));
        assert_eq!(Requirement::parse("a===1.0").unwrap().pinned(), Some("1.0"));
        assert_eq!(Requirement::parse("a==1.*").unwrap().pinned(), None);
        assert_eq!(Requirement::parse("a~=1.0").unwrap().pinned(), None);
        assert!(Requirement::parse("[x]").is_err());
        assert!(Requirement::parse("a b").is_err());
    }

    #[test]
    fn sources() {
        assert_eq!(
            url_source("git+ssh://git@github.com/a/b.git@v1.0#egg=b"),
            Source::Git {
                url: "ssh://git@github.com/a/b.git".into(),
                rev: Some("v1.0".into())
            }
        );
        assert_eq!(
            url_source("git+https://github.com/a/b"),
            Source::Git {
                url: "https://github.com/a/b".into(),
                rev: None
            }
        );
        assert_eq!(
            url_source("./libs/x"),
            Source::Path {
                path: "./libs/x".into()
            }
        );
        assert_eq!(
            egg_name("git+https://x/y@r#egg=Foo[bar]&subdirectory=z"),
            Some("Foo")
        );
        assert_eq!(
            archive_name_version("https://x/a/my_pkg-1.2.0-py3-none-any.whl"),
            Some(("my_pkg", "1.2.0"))
        );
        assert_eq!(
            archive_name_version("/tmp/my-pkg-1.2.0.tar.gz"),
            Some(("my-pkg", "1.2.0"))
        );
    }
}
