//! `poetry.lock` (lock-version 1.x and 2.x), paired with the `pyproject.toml` beside it.
//!
//! Each `[[package]]` gives the name, version, source (`[package.source]`: git, url, file,
//! directory or a legacy registry), artifact hashes (`files`, or `[metadata.files]` in the
//! 1.x format) and its dependencies (`[package.dependencies]`). The scope is what the lock
//! records: `groups` (2.x; `main` is runtime, any other group dev) or `category` (1.x), with
//! `optional = true` for extras. The manifest (`[tool.poetry.*dependencies]`, groups, PEP 621
//! `[project]`) tells direct from transitive; without it the relationship is unknown.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use ospo_model::{Ecosystem, Scope, Source};
use serde::Deserialize;
use toml::Spanned;

use super::pep508::{self, Dep, Locked};
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

mod reader;

pub struct PoetryLock;

const ID: &str = "poetry-lock";

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(default, borrow)]
    package: Vec<Spanned<Package<'a>>>,
    #[serde(default, borrow)]
    metadata: Metadata<'a>,
}

#[derive(Deserialize, Default)]
struct Metadata<'a> {
    #[serde(rename = "lock-version")]
    lock_version: Option<String>,
    /// 1.x: artifact hashes by package name.
    #[serde(default, borrow)]
    files: BTreeMap<String, Vec<File<'a>>>,
}

#[derive(Deserialize)]
struct Package<'a> {
    name: String,
    version: String,
    #[serde(default)]
    optional: bool,
    category: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default, borrow)]
    files: Vec<File<'a>>,
    source: Option<PkgSource>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

/// Borrowed from the text where no escape was decoded: a lockfile lists thousands of files.
#[derive(Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    file: Option<Cow<'a, str>>,
    #[serde(borrow)]
    hash: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct PkgSource {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    reference: Option<String>,
    resolved_reference: Option<String>,
}

impl Extractor for PoetryLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }
    fn files(&self) -> &'static str {
        "poetry.lock (1.x, 2.x) with pyproject.toml"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("poetry.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "poetry.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        // Poetry's own shape is read directly; anything else goes through serde and the TOML
        // readers (see `reader`).
        if let Some(lock) = reader::read(text) {
            check_version(lock.lock_version)?;
            return Ok(pep508::from_read_lock(ID, input, || {
                lock.packages
                    .iter()
                    .map(|p| read_locked(&lock, p))
                    .collect()
            }));
        }
        let lock: Lock = crate::toml_fast::from_str(text)?;
        check_version(lock.metadata.lock_version.as_deref())?;
        Ok(pep508::from_toml_lock(
            ID,
            input,
            text,
            &lock.package,
            |_, p, line| locked(p, line, &lock.metadata.files),
        ))
    }
}

/// Lock versions 1.x and 2.x are read (a file without one too).
fn check_version(version: Option<&str>) -> Result<(), ExtractError> {
    if let Some(v) = version {
        let major = v.split('.').next().unwrap_or("");
        if !matches!(major, "1" | "2") {
            return Err(ExtractError::Unsupported(format!("poetry.lock {v}")));
        }
    }
    Ok(())
}

/// A package as [`reader`] gives it.
fn read_locked(lock: &reader::Lock<'_>, p: &reader::Package<'_>) -> Locked {
    let deps = lock
        .deps_of(p)
        .iter()
        .map(|d| dep(d.name, d.optional))
        .collect();
    Locked {
        name: p.name.to_owned(),
        version: Some(p.version.to_owned()),
        line: p.line,
        source: p
            .source
            .as_ref()
            .map_or(Source::Registry { url: None }, source),
        hashes: hashes(lock.files_of(p).iter().copied()),
        deps,
        scope: scope(p.groups_main.or(p.category_main), p.optional),
        root: false,
    }
}

/// A package as serde gives it.
fn locked(p: &Package, line: u32, v1_files: &BTreeMap<String, Vec<File>>) -> Locked {
    let files = if p.files.is_empty() {
        v1_files.get(&p.name).map_or(&[][..], Vec::as_slice)
    } else {
        &p.files[..]
    };
    let main = match (&p.groups, &p.category) {
        (Some(groups), _) => Some(groups.iter().any(|g| g == "main")),
        (None, Some(c)) => Some(c == "main"),
        (None, None) => None,
    };
    let deps = p
        .dependencies
        .iter()
        .map(|(name, spec)| {
            // `name = "spec"`, `{version, optional, markers}` or a list of such.
            let optional = match spec {
                toml::Value::Table(t) => t.get("optional").and_then(toml::Value::as_bool),
                toml::Value::Array(a) => a
                    .iter()
                    .filter_map(|t| t.get("optional").and_then(toml::Value::as_bool))
                    .reduce(|a, b| a && b),
                _ => None,
            }
            .unwrap_or(false);
            dep(name, optional || spec.get("markers").is_some())
        })
        .collect();
    let source_of = |s: &PkgSource| {
        source(&reader::Source {
            kind: s.kind.as_deref(),
            url: s.url.as_deref(),
            reference: s.reference.as_deref(),
            resolved_reference: s.resolved_reference.as_deref(),
        })
    };
    Locked {
        name: p.name.clone(),
        version: Some(p.version.clone()),
        line,
        source: p
            .source
            .as_ref()
            .map_or(Source::Registry { url: None }, source_of),
        hashes: hashes(files.iter().map(|f| (f.file.as_deref(), f.hash.as_deref()))),
        deps,
        scope: scope(main, p.optional),
        root: false,
    }
}

/// The sdist's hash, else every wheel's (of `(file name, hash)` pairs).
fn hashes<'f>(
    files: impl Iterator<Item = (Option<&'f str>, Option<&'f str>)> + Clone,
) -> Vec<ospo_model::Hash> {
    let is_sdist =
        |name: Option<&str>| name.is_some_and(|n| !n.ends_with(".whl") && !n.ends_with(".egg"));
    pep508::artifact_hashes(
        files.clone().filter(|f| is_sdist(f.0)).filter_map(|f| f.1),
        files.filter(|f| !is_sdist(f.0)).filter_map(|f| f.1),
    )
}

/// The scope from whether the package is in `main` (when the lock says) and `optional`.
fn scope(main: Option<bool>, optional: bool) -> Option<Scope> {
    main.map(|main| match (main, optional) {
        (true, false) => Scope::Runtime,
        (true, true) => Scope::Optional,
        (false, _) => Scope::Dev,
    })
}

/// A dependency; one that may be absent (an extra's, a platform's: `optional`) need not be
/// locked for every case.
fn dep(name: &str, optional: bool) -> Dep {
    let mut d = Dep::new(name, Scope::Runtime);
    d.optional = optional;
    d
}

fn source(s: &reader::Source) -> Source {
    let url = s.url.unwrap_or_default().to_owned();
    match s.kind {
        Some("git") => Source::Git {
            url,
            rev: s.resolved_reference.or(s.reference).map(str::to_owned),
        },
        Some("url") => Source::Url { url },
        Some("file" | "directory") => Source::Path { path: url },
        // `legacy` (a secondary index) and anything newer name a registry.
        _ => Source::Registry {
            url: s.url.map(str::to_owned),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Relationship;
    use proptest::prelude::*;

    #[test]
    fn poetry_2_with_pep621_and_groups() {
        let Some((ex, p)) = extract_shared(&PoetryLock, "PyPI/poetry/poetry.lock") else {
            return;
        };
        // python3 -c "import tomllib;print(len(tomllib.load(open('poetry.lock','rb'))['package']))"
        assert_eq!(ex.components.len(), 78);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        assert_eq!(
            ex.manifest.as_deref(),
            Some(Path::new("PyPI/poetry/pyproject.toml"))
        );
        let purls = purls(&p);
        for want in [
            "pkg:pypi/anyio@4.13.0",
            "pkg:pypi/backports-tarfile@1.2.0",
            "pkg:pypi/build@1.5.0",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want}");
        }
        let anyio = get(&ex, "anyio");
        assert_eq!(anyio.locations[0].line, Some(3));
        assert_eq!(anyio.relationship, Relationship::Transitive);
        assert_eq!(anyio.scope, Scope::Runtime);
        assert_eq!(anyio.hashes.len(), 1, "the sdist hash");
        assert_eq!(get(&ex, "build").relationship, Relationship::Direct);
        let core = get(&ex, "poetry-core");
        assert_eq!(core.relationship, Relationship::Direct);
        assert_eq!(
            core.source,
            Source::Git {
                url: "https://github.com/python-poetry/poetry-core.git".into(),
                rev: Some("e3998b0e111dc03e4aa721fd054c48e5c7de6fc5".into())
            }
        );
        let pytest = get(&ex, "pytest");
        assert_eq!(pytest.scope, Scope::Dev);
        assert_eq!(pytest.relationship, Relationship::Direct);
        assert!(
            ex.edges
                .iter()
                .any(|e| &*e.from == "pkg:pypi/anyio@4.13.0" && e.to.starts_with("pkg:pypi/idna@"))
        );
    }

    #[test]
    fn rich_tool_poetry_dependencies() {
        let Some((ex, _)) = extract_shared(&PoetryLock, "PyPI/rich/poetry.lock") else {
            return;
        };
        // grep -c '^\[\[package\]\]' poetry.lock
        assert_eq!(ex.components.len(), 49);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let ipy = get(&ex, "ipywidgets");
        assert_eq!(ipy.scope, Scope::Optional);
        assert_eq!(ipy.relationship, Relationship::Direct);
        assert_eq!(get(&ex, "pygments").scope, Scope::Runtime);
        assert_eq!(get(&ex, "pygments").relationship, Relationship::Direct);
        assert_eq!(get(&ex, "black").scope, Scope::Dev);
        assert_eq!(get(&ex, "black").relationship, Relationship::Direct);
    }

    #[test]
    fn poetry_1_format_with_category_and_metadata_files() {
        let (ex, _) = extract_testdata(&PoetryLock, "poetry-lock/v1/poetry.lock");
        let names: Vec<&str> = ex.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["certifi", "mylib", "pytest", "requests", "vendored"]
        );
        assert_eq!(get(&ex, "certifi").scope, Scope::Runtime);
        assert_eq!(get(&ex, "certifi").relationship, Relationship::Transitive);
        assert_eq!(get(&ex, "certifi").hashes.len(), 1);
        assert_eq!(get(&ex, "pytest").scope, Scope::Dev);
        assert_eq!(get(&ex, "pytest").relationship, Relationship::Direct);
        assert_eq!(get(&ex, "requests").relationship, Relationship::Direct);
        assert_eq!(get(&ex, "requests").hashes.len(), 2, "two wheels, no sdist");
        assert_eq!(
            get(&ex, "requests").source,
            Source::Registry {
                url: Some("https://pypi.example.org/simple".into())
            }
        );
        assert_eq!(
            get(&ex, "vendored").source,
            Source::Path {
                path: "vendor/vendored".into()
            }
        );
        assert!(matches!(get(&ex, "mylib").source, Source::Url { .. }));
        assert_eq!(get(&ex, "mylib").scope, Scope::Optional);
        assert_eq!(get(&ex, "pytest").locations[0].line, Some(24));
        assert_eq!(ex.edges.len(), 2);
    }

    #[test]
    fn errors() {
        let err = extract_err(
            &PoetryLock,
            "poetry.lock",
            b"[[package]]\nname = \"a\"\nversion = 1\n",
        );
        assert_eq!(err.line(), Some(3));
        let err = extract_err(
            &PoetryLock,
            "poetry.lock",
            b"[metadata]\nlock-version = \"3.0\"\n",
        );
        assert!(matches!(err, ExtractError::Unsupported(_)));
        // A broken manifest is a warning; the lock still counts.
        let ex = extract_bytes(
            &PoetryLock,
            "poetry.lock",
            b"[[package]]\nname = \"a\"\nversion = \"1\"\n",
            &[("pyproject.toml", b"[project\n")],
        )
        .unwrap();
        assert_eq!(ex.components.len(), 1);
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.components[0].relationship, Relationship::Unknown);
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&PoetryLock, "poetry.lock", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..4000) {
            let text = include_str!("../../testdata/poetry-lock/v1/poetry.lock");
            let end = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let _ = extract_bytes(&PoetryLock, "poetry.lock", &text.as_bytes()[..end], &[]);
        }
    }
}
