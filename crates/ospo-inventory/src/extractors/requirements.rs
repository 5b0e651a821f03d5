//! pip requirements files: `requirements*.txt`, `requirements/*.txt` and `constraints*.txt`.
//!
//! Full pip syntax: `==`/`===` pins, other specifiers (reported without a version and a "not
//! pinned" warning), `--hash` options, `\` continuations, ` #` comments, environment markers,
//! extras, `-r`/`-c` includes (read through the scanned tree, relative to the including file),
//! `-e` and URL/VCS/path requirements, and the global options (`--index-url` gives the registry
//! URL; the rest are skipped).
//!
//! pip-compile output says why each package is there: a `# via -r requirements.in` (or
//! `# via pkg (pyproject.toml)`) annotation makes it direct, a `# via other-package` one makes it
//! transitive and gives the edge. Without annotations everything listed is direct.
//!
//! A `-c` constraints file does not install anything: its pins fill in the versions of
//! requirements that are not pinned themselves. Files whose name marks them as development
//! requirements (`requirements-dev.txt`, `requirements/test.txt`, …) give dev scope.

use crate::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ospo_model::{Component, Ecosystem, Edge, Hash, Level, Relationship, Scope, Source};

use super::pep508::{self, Requirement};
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct PipRequirements;

const ID: &str = "pip-requirements";
/// Includes nested deeper than this are not read (a guard besides the cycle check).
const MAX_DEPTH: usize = 16;

/// One requirement read from a file, before constraints and annotations are applied.
struct Entry {
    name: String,
    version: Option<String>,
    hashes: Vec<Hash>,
    source: Source,
    root: bool,
    path: PathBuf,
    line: u32,
    /// The `# via` annotation: whether a requirements input names it, and the packages that
    /// pull it in. `None`: no annotation.
    via: Option<Via>,
}

#[derive(Default)]
struct Via {
    direct: bool,
    parents: Vec<String>,
}

struct Parser<'i, 'a> {
    input: &'i Input<'a>,
    out: Extraction,
    reqs: Vec<Entry>,
    constraints: Vec<Entry>,
    index_url: Option<String>,
    stack: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
}

impl Extractor for PipRequirements {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }
    fn files(&self) -> &'static str {
        "requirements*.txt, requirements/*.txt, constraints*.txt (with -r/-c includes)"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::EndsWith(".txt")]
    }
    fn wants(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return false;
        };
        let lower = name.to_ascii_lowercase();
        if !lower.ends_with(".txt") {
            return false;
        }
        lower.starts_with("requirements")
            || lower.starts_with("constraints")
            || path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|d| d.eq_ignore_ascii_case("requirements"))
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let mut p = Parser {
            input,
            out: Extraction::default(),
            reqs: Vec::new(),
            constraints: Vec::new(),
            index_url: None,
            stack: vec![input.path.to_path_buf()],
            seen: [input.path.to_path_buf()].into_iter().collect(),
        };
        p.parse_file(input.path, text, false);
        Ok(p.finish())
    }
}

/// Whether a file name marks development requirements.
fn is_dev_file(path: &Path) -> bool {
    const DEV: &[&str] = &[
        "dev",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "lint",
        "linting",
        "doc",
        "docs",
        "typing",
        "ci",
    ];
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    stem.to_ascii_lowercase()
        .split(['-', '_', '.'])
        .any(|t| DEV.contains(&t))
}

/// The text before a ` #` comment (pip: `#` at the start or after whitespace).
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || b.get(i - 1).is_some_and(u8::is_ascii_whitespace)) {
            return &line[..i];
        }
    }
    line
}

/// Whether a requirement is a URL or a local path rather than a PEP 508 name.
fn is_url_or_path(req: &str) -> bool {
    ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|p| req.starts_with(p))
        || req.contains("://")
        || req.starts_with(['.', '/', '~'])
        || req.ends_with(".whl")
        || req.ends_with(".tar.gz")
        || req.ends_with(".zip")
}

/// Splits `-rfile`, `-r file`, `--requirement=file`, `--requirement file` into option and value.
fn split_option(line: &str) -> (&str, &str) {
    if let Some(long) = line.strip_prefix("--") {
        let end = long
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(long.len());
        let value = long[end..].trim_start_matches('=').trim();
        (&line[..end + 2], value)
    } else {
        let split = line.char_indices().nth(2).map_or(line.len(), |(i, _)| i);
        (&line[..split], line[split..].trim())
    }
}

impl Parser<'_, '_> {
    fn warn(&mut self, path: &Path, line: u32, msg: String) {
        self.out.diagnostics.push(ospo_model::Diagnostic::new(
            Level::Warning,
            ID,
            path,
            Some(line),
            msg,
        ));
    }

    fn parse_file(&mut self, path: &Path, text: &str, constraint: bool) {
        let mut buf = String::new();
        let mut start = 0u32;
        // Index of the last requirement of this file, for `# via` annotations that follow it.
        let mut last: Option<usize> = None;
        let mut in_via = false;
        for (i, raw) in text.split('\n').enumerate() {
            let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if buf.is_empty() {
                start = n;
                let t = raw.trim_start();
                if let Some(c) = t.strip_prefix('#') {
                    in_via = self.annotation(c, constraint, last, in_via);
                    continue;
                }
            }
            let is_comment = raw.trim_start().starts_with('#');
            match raw.trim_end().strip_suffix('\\') {
                Some(part) if !is_comment => {
                    buf.push_str(part);
                    buf.push(' ');
                    continue;
                }
                _ if !is_comment => buf.push_str(raw),
                _ => {}
            }
            let logical = std::mem::take(&mut buf);
            in_via = false;
            let line = strip_comment(&logical).trim();
            if line.is_empty() {
                continue;
            }
            if line.starts_with('-') {
                if let Some(i) = self.option(path, start, line, constraint) {
                    last = Some(i);
                }
            } else if let Some(e) = self.requirement(path, start, line, false) {
                last = Some(self.push(e, constraint));
            }
        }
        if !buf.is_empty() {
            let line = strip_comment(&buf).trim().to_owned();
            if !line.is_empty() {
                if line.starts_with('-') {
                    self.option(path, start, &line, constraint);
                } else if let Some(e) = self.requirement(path, start, &line, false) {
                    self.push(e, constraint);
                }
            }
        }
    }

    fn push(&mut self, e: Entry, constraint: bool) -> usize {
        let list = if constraint {
            &mut self.constraints
        } else {
            &mut self.reqs
        };
        list.push(e);
        list.len() - 1
    }

    /// A comment line (without its `#`): starts or continues a pip-compile `# via` block.
    /// Returns whether the block goes on.
    fn annotation(
        &mut self,
        comment: &str,
        constraint: bool,
        last: Option<usize>,
        in_via: bool,
    ) -> bool {
        let list = if constraint {
            &mut self.constraints
        } else {
            &mut self.reqs
        };
        let Some(entry) = last.and_then(|i| list.get_mut(i)) else {
            return false;
        };
        let body = comment.trim();
        let items: Vec<&str> = if let Some(rest) = body.strip_prefix("via") {
            if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
                return false;
            }
            entry.via.get_or_insert_with(Via::default);
            rest.split(',').collect()
        } else if in_via && comment.starts_with("   ") && !body.is_empty() {
            vec![body]
        } else {
            return false;
        };
        let Some(via) = entry.via.as_mut() else {
            return false;
        };
        for item in items.into_iter().map(str::trim).filter(|s| !s.is_empty()) {
            if item.starts_with("-r ")
                || item.starts_with("--requirement")
                || item.ends_with("(pyproject.toml)")
                || item.ends_with("(setup.py)")
                || item.ends_with("(setup.cfg)")
            {
                via.direct = true;
            } else if !item.starts_with('-') {
                let name = item.split_whitespace().next().unwrap_or(item);
                via.parents.push(pep508::normalise(name));
            }
        }
        true
    }

    /// A line starting with `-`; returns the index of the requirement it added, if any.
    fn option(&mut self, path: &Path, line: u32, text: &str, constraint: bool) -> Option<usize> {
        let (opt, value) = split_option(text);
        match opt {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                let is_c = matches!(opt, "-c" | "--constraint");
                self.include(path, line, value, constraint || is_c);
                None
            }
            "-e" | "--editable" => {
                let e = self.requirement(path, line, value, true)?;
                Some(self.push(e, constraint))
            }
            "-i" | "--index-url" => {
                if self.index_url.is_none() && !value.is_empty() {
                    self.index_url = Some(value.to_owned());
                }
                None
            }
            _ => None,
        }
    }

    fn include(&mut self, from: &Path, line: u32, value: &str, constraint: bool) {
        if value.is_empty() {
            self.warn(from, line, "include without a file name".into());
            return;
        }
        if value.contains("://") {
            self.warn(
                from,
                line,
                format!("remote include `{value}` is not read (offline)"),
            );
            return;
        }
        let dir = from.parent().unwrap_or(Path::new(""));
        let Some(target) = crate::fs::confine(&dir.join(value)) else {
            self.warn(
                from,
                line,
                format!("include `{value}` is outside the scanned folder; not read"),
            );
            return;
        };
        if self.stack.contains(&target) {
            self.warn(
                from,
                line,
                format!("include cycle: `{}` includes itself", target.display()),
            );
            return;
        }
        if self.stack.len() > MAX_DEPTH {
            self.warn(from, line, format!("includes nested too deep at `{value}`"));
            return;
        }
        if !self.seen.insert(target.clone()) {
            return;
        }
        let bytes = match self.input.fs.read(&target) {
            Ok(b) => b,
            Err(e) => {
                self.warn(
                    from,
                    line,
                    format!("cannot read included `{}`: {e}", target.display()),
                );
                return;
            }
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let Ok(text) = std::str::from_utf8(bytes) else {
            self.warn(
                from,
                line,
                format!("included `{}` is not valid UTF-8", target.display()),
            );
            return;
        };
        self.stack.push(target.clone());
        self.parse_file(&target, text, constraint);
        self.stack.pop();
    }

    /// A requirement line (or the value of `-e`), with its per-requirement options.
    fn requirement(&mut self, path: &Path, line: u32, text: &str, editable: bool) -> Option<Entry> {
        let mut args = Vec::new();
        let mut hashes = Vec::new();
        let mut tokens = text.split_whitespace();
        let mut in_options = false;
        while let Some(tok) = tokens.next() {
            if !in_options && !tok.starts_with('-') {
                args.push(tok);
                continue;
            }
            in_options = true;
            let value = match tok.strip_prefix("--hash") {
                Some(v) if v.starts_with('=') => Some(&v[1..]),
                Some("") => tokens.next(),
                _ => None,
            };
            if let Some(v) = value {
                match v.split_once(':').and_then(|(a, h)| Hash::from_hex(a, h)) {
                    Some(h) => hashes.push(h),
                    None => self.warn(path, line, format!("`{v}` is not a valid hash")),
                }
            }
        }
        let req = args.join(" ");
        let mut e = Entry {
            name: String::new(),
            version: None,
            hashes,
            source: Source::Registry { url: None },
            root: false,
            path: path.to_path_buf(),
            line,
            via: None,
        };
        if editable || is_url_or_path(&req) {
            // `.[test]`: extras on a local path.
            let req = match req.rfind('[') {
                Some(i) if req.ends_with(']') && !req.contains('#') => &req[..i],
                _ => req.as_str(),
            };
            let name = pep508::egg_name(req)
                .map(str::to_owned)
                .or_else(|| {
                    pep508::archive_name_version(req).map(|(n, v)| {
                        e.version = Some(v.to_owned());
                        n.to_owned()
                    })
                })
                .or_else(|| self.local_project_name(path, req));
            e.source = pep508::url_source(req);
            e.root = editable && matches!(e.source, Source::Path { .. });
            let Some(name) = name else {
                self.warn(
                    path,
                    line,
                    format!("`{req}`: no package name (add `#egg=name`); not reported"),
                );
                return None;
            };
            e.name = name;
            return Some(e);
        }
        let r = match Requirement::parse(&req) {
            Ok(r) => r,
            Err(msg) => {
                self.warn(path, line, msg);
                return None;
            }
        };
        e.name = r.name.to_owned();
        if let Some(url) = r.url {
            e.source = pep508::url_source(url);
            e.version = pep508::archive_name_version(url)
                .filter(|(n, _)| pep508::normalise(n) == pep508::normalise(r.name))
                .map(|(_, v)| v.to_owned());
        } else {
            e.version = r.pinned().map(str::to_owned);
        }
        Some(e)
    }

    /// The project name of a local path requirement, from its `pyproject.toml`.
    fn local_project_name(&self, from: &Path, req: &str) -> Option<String> {
        let rel = req.strip_prefix("file://").unwrap_or(req);
        let rel = rel.split_once('#').map_or(rel, |(p, _)| p);
        let dir = crate::fs::confine(&from.parent().unwrap_or(Path::new("")).join(rel))?;
        let bytes = self.input.fs.read(&dir.join("pyproject.toml")).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        pep508::Pyproject::parse(text).ok()?.name
    }

    fn finish(mut self) -> Extraction {
        let dev = is_dev_file(self.input.path);
        let pins: HashMap<String, usize> = self
            .constraints
            .iter()
            .enumerate()
            .filter(|(_, c)| c.version.is_some())
            .map(|(i, c)| (pep508::normalise(&c.name), i))
            .collect();
        let mut comps: Vec<Option<Component>> = Vec::with_capacity(self.reqs.len());
        let mut by_name: HashMap<String, usize> = HashMap::default();
        for e in std::mem::take(&mut self.reqs) {
            let norm = pep508::normalise(&e.name);
            let mut version = e.version.clone();
            let mut hashes = e.hashes.clone();
            let registry = matches!(e.source, Source::Registry { .. });
            if version.is_none()
                && registry
                && let Some(c) = pins.get(&norm).and_then(|&i| self.constraints.get(i))
            {
                version.clone_from(&c.version);
                hashes.extend(c.hashes.iter().cloned());
            }
            if version.is_none() && registry {
                self.warn(
                    &e.path,
                    e.line,
                    format!("`{}` is not pinned to one version", e.name),
                );
            }
            let mut c = match Component::new(Ecosystem::PyPI, &e.name, version.as_deref()) {
                Ok(c) => c,
                Err(err) => {
                    self.warn(&e.path, e.line, err.to_string());
                    comps.push(None);
                    continue;
                }
            };
            c.source = match &e.source {
                Source::Registry { .. } => Source::Registry {
                    url: self.index_url.clone(),
                },
                s => s.clone(),
            };
            for h in hashes {
                if !c.hashes.contains(&h) {
                    c.hashes.push(h);
                }
            }
            c.relationship = if e.root {
                Relationship::Root
            } else {
                match &e.via {
                    Some(v) if !v.direct && !v.parents.is_empty() => Relationship::Transitive,
                    _ => Relationship::Direct,
                }
            };
            c.scope = if dev && !e.root {
                Scope::Dev
            } else {
                Scope::Runtime
            };
            c = c.at(&e.path, Some(e.line));
            by_name.entry(norm).or_insert(comps.len());
            comps.push(Some(c));
            self.reqs.push(e);
        }
        let mut edges = Vec::new();
        for (e, c) in self.reqs.iter().zip(&comps) {
            let (Some(via), Some(c)) = (&e.via, c) else {
                continue;
            };
            for parent in &via.parents {
                if let Some(Some(p)) = by_name.get(parent).and_then(|&i| comps.get(i)) {
                    edges.push(Edge {
                        from: p.key(),
                        to: c.key(),
                    });
                }
            }
        }
        self.out.components = comps.into_iter().flatten().collect();
        self.out.edges = edges;
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use proptest::prelude::*;

    #[test]
    fn wants_requirement_files_only() {
        let w = |p: &str| PipRequirements.wants(Path::new(p));
        assert!(w("requirements.txt"));
        assert!(w("a/requirements-dev.txt"));
        assert!(w("requirements/main.txt"));
        assert!(w("constraints.txt"));
        assert!(!w("requirements/main.in"));
        assert!(!w("requirements.in"));
        assert!(!w("x.egg-info/requires.txt"));
        assert!(!w("notes.txt"));
    }

    #[test]
    fn warehouse_pip_compile_via_annotations() {
        // warehouse keeps this file at requirements/main.txt; the corpus flattens the folder.
        let Some(dir) = shared_data() else { return };
        let bytes = std::fs::read(dir.join("lockfiles/PyPI/warehouse/main.txt")).unwrap();
        let ex = extract_bytes(&PipRequirements, "requirements/main.txt", &bytes, &[]).unwrap();
        // Counted with: grep -cE '^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^]]*\])?==' main.txt
        assert_eq!(ex.components.len(), 184);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls: Vec<String> = ex.components.iter().map(|c| c.purl.to_string()).collect();
        for p in [
            "pkg:pypi/alembic@1.18.5",
            "pkg:pypi/alembic-postgresql-enum@1.10.0",
            "pkg:pypi/amqp@5.3.1",
            "pkg:pypi/argon2-cffi-bindings@25.1.0",
        ] {
            assert!(purls.contains(&p.to_owned()), "{p}");
        }
        // `# via -r requirements/main.in` + another package: still direct.
        assert_eq!(get(&ex, "alembic").relationship, Relationship::Direct);
        assert_eq!(get(&ex, "amqp").relationship, Relationship::Transitive);
        assert_eq!(get(&ex, "amqp").locations[0].line, Some(17));
        assert_eq!(get(&ex, "alembic").hashes.len(), 2);
        assert_eq!(get(&ex, "argon2-cffi-bindings").hashes.len(), 26);
        // Direct count: grep -c '^    # via -r\|^    #   -r' main.txt
        let direct = ex
            .components
            .iter()
            .filter(|c| c.relationship == Relationship::Direct)
            .count();
        assert_eq!(direct, 79);
        assert!(
            ex.edges.contains(&Edge {
                from: "pkg:pypi/kombu@5.6.2".into(),
                to: "pkg:pypi/amqp@5.3.1".into()
            }) || ex
                .edges
                .iter()
                .any(|e| &*e.to == "pkg:pypi/amqp@5.3.1" && e.from.starts_with("pkg:pypi/kombu@"))
        );
    }

    #[test]
    fn sigstore_requirements() {
        let Some((ex, p)) =
            extract_shared(&PipRequirements, "PyPI/sigstore-python/requirements.txt")
        else {
            return;
        };
        // Counted with: grep -cE '^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^]]*\])?==' requirements.txt
        assert_eq!(ex.components.len(), 32);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        for want in [
            "pkg:pypi/annotated-types@0.8.0",
            "pkg:pypi/certifi@2026.7.22",
            "pkg:pypi/cffi@2.1.0",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want}");
        }
        assert!(ex.components.iter().all(|c| !c.hashes.is_empty()));
        assert_eq!(get(&ex, "certifi").relationship, Relationship::Transitive);
        assert_eq!(get(&ex, "certifi").locations[0].line, Some(11));
    }

    #[test]
    fn pip_syntax() {
        let (ex, _) = extract_testdata(&PipRequirements, "pip-requirements/requirements.txt");
        let names: Vec<&str> = ex.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "flask", "Requests", "attrs", "black", "click", "urllib3", "idna", "certifi",
                "mylib", "myapp", "toolz", "pkg_ext", "localpkg"
            ]
        );
        let flask = get(&ex, "flask");
        assert_eq!(flask.version.as_deref(), Some("3.0.0"));
        assert_eq!(flask.hashes.len(), 2);
        assert_eq!(flask.locations[0].line, Some(4));
        assert_eq!(
            flask.source,
            Source::Registry {
                url: Some("https://pypi.example.org/simple".into())
            }
        );
        assert_eq!(
            get(&ex, "Requests").purl.to_string(),
            "pkg:pypi/requests@2.31.0"
        );
        assert_eq!(get(&ex, "attrs").version.as_deref(), Some("23.1.0"), "===");
        assert_eq!(get(&ex, "black").version, None);
        // click is unpinned here but constrained by constraints.txt.
        let click = get(&ex, "click");
        assert_eq!(click.version.as_deref(), Some("8.1.7"));
        assert_eq!(
            &*click.locations[0].path,
            Path::new("pip-requirements/requirements.txt")
        );
        // From the -r include, attributed to it.
        let urllib3 = get(&ex, "urllib3");
        assert_eq!(urllib3.version.as_deref(), Some("2.0.7"));
        assert_eq!(
            &*urllib3.locations[0].path,
            Path::new("pip-requirements/sub/base.txt")
        );
        assert_eq!(urllib3.locations[0].line, Some(2));
        assert_eq!(
            get(&ex, "mylib").source,
            Source::Git {
                url: "https://github.com/example/mylib.git".into(),
                rev: Some("v1.2".into())
            }
        );
        assert_eq!(get(&ex, "mylib").relationship, Relationship::Direct);
        let app = get(&ex, "myapp");
        assert_eq!(app.relationship, Relationship::Root);
        assert_eq!(app.source, Source::Path { path: ".".into() });
        let toolz = get(&ex, "toolz");
        assert_eq!(toolz.version.as_deref(), Some("0.12.0"));
        assert!(matches!(toolz.source, Source::Url { .. }));
        assert_eq!(get(&ex, "localpkg").version.as_deref(), Some("1.0"));
        assert_eq!(get(&ex, "pkg_ext").version.as_deref(), Some("1.0"));
        // Diagnostics: black not pinned, the nameless path, the include cycle, the escaping include.
        let msgs: Vec<(u32, &str)> = ex
            .diagnostics
            .iter()
            .map(|d| (d.line.unwrap_or(0), d.message.as_str()))
            .collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|(_, m)| m.contains("`black` is not pinned"))
        );
        assert!(msgs.iter().any(|(_, m)| m.contains("no package name")));
        assert!(msgs.iter().any(|(_, m)| m.contains("include cycle")));
        assert!(
            msgs.iter()
                .any(|(_, m)| m.contains("outside the scanned folder"))
        );
        // idna (unpinned in the include) takes its pin from the constraints file; six, only
        // constrained, is not installed.
        assert_eq!(get(&ex, "idna").version.as_deref(), Some("3.4"));
        assert_eq!(get(&ex, "idna").relationship, Relationship::Direct);
        assert!(ex.components.iter().all(|c| c.name != "six"));
    }

    #[test]
    fn dev_file_names_give_dev_scope() {
        let ex = extract_bytes(
            &PipRequirements,
            "requirements-dev.txt",
            b"pytest==8.0.0\n-e .[test]  # the project\n",
            &[("pyproject.toml", b"[project]\nname = \"app\"\n")],
        )
        .unwrap();
        assert_eq!(get(&ex, "pytest").scope, Scope::Dev);
        assert_eq!(get(&ex, "app").scope, Scope::Runtime);
        assert_eq!(get(&ex, "app").relationship, Relationship::Root);
    }

    #[test]
    fn bad_lines_are_diagnostics() {
        let ex = extract_bytes(
            &PipRequirements,
            "requirements.txt",
            b"ok==1.0\n[bad\nx y z\nfoo==1 --hash=sha256:nothex\n",
            &[],
        )
        .unwrap();
        assert_eq!(ex.components.len(), 2);
        let lines: Vec<Option<u32>> = ex.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(4)]);
        let err = extract_err(&PipRequirements, "requirements.txt", b"a==1\n\xff\n");
        assert_eq!(err.line(), Some(2));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&PipRequirements, "requirements.txt", &bytes, &[]);
        }

        #[test]
        fn never_panics_on_text(s in "[-a-z=<>~!;@#\\[\\], .:/\\\\\n]{0,200}") {
            let _ = extract_bytes(&PipRequirements, "requirements.txt", s.as_bytes(),
                &[("other.txt", b"-r requirements.txt\nx==1\n")]);
        }
    }
}
