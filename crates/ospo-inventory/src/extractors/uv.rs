//! `uv.lock` (version 1, any revision), paired with the `pyproject.toml` beside it.
//!
//! Each `[[package]]` names its source (`registry`, `git`, `url`, `path`, `directory`,
//! `editable`, `virtual`); the project's own packages (editable or virtual: the workspace
//! members) are roots. Their `dependencies`, `[package.optional-dependencies]` and
//! `[package.dev-dependencies]` give the direct dependencies with their scope (runtime,
//! optional, dev), which is then propagated along the graph. Hashes: the sdist's, else every
//! wheel's.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use ospo_model::{Ecosystem, Scope, Source};
use serde::Deserialize;
use toml::Spanned;

use super::pep508::{self, Dep, Locked};
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

mod reader;

pub struct UvLock;

const ID: &str = "uv-lock";

// Strings are borrowed from the text where no escape was decoded: a lockfile has thousands.
#[derive(Deserialize)]
struct Lock<'a> {
    version: Option<i64>,
    #[serde(default, borrow)]
    package: Vec<Spanned<Package<'a>>>,
}

#[derive(Deserialize)]
struct Package<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(default)]
    source: BTreeMap<String, String>,
    #[serde(default, borrow)]
    dependencies: Vec<UvDep<'a>>,
    #[serde(default, borrow, rename = "optional-dependencies")]
    optional: BTreeMap<Cow<'a, str>, Vec<UvDep<'a>>>,
    #[serde(default, borrow, rename = "dev-dependencies")]
    dev: BTreeMap<Cow<'a, str>, Vec<UvDep<'a>>>,
    #[serde(borrow)]
    sdist: Option<Artifact<'a>>,
    #[serde(default, borrow)]
    wheels: Vec<Artifact<'a>>,
}

#[derive(Deserialize)]
struct UvDep<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Artifact<'a> {
    #[serde(borrow)]
    hash: Option<Cow<'a, str>>,
}

impl Extractor for UvLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }
    fn files(&self) -> &'static str {
        "uv.lock (version 1) with pyproject.toml"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("uv.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "uv.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        // uv's own shape is read directly; anything else goes through serde and the TOML
        // readers (see `reader`).
        if let Some(lock) = reader::read(text) {
            check_version(lock.version)?;
            return Ok(pep508::from_read_lock(ID, input, || {
                lock.packages
                    .iter()
                    .map(|p| read_locked(&lock, p))
                    .collect()
            }));
        }
        let lock: Lock = crate::toml_fast::from_str(text)?;
        check_version(lock.version)?;
        Ok(pep508::from_toml_lock(
            ID,
            input,
            text,
            &lock.package,
            |_, p, line| locked(p, line),
        ))
    }
}

/// Only version 1 is read; a file without `version` is not a uv.lock.
fn check_version(version: Option<i64>) -> Result<(), ExtractError> {
    match version {
        Some(1) => {}
        Some(v) => return Err(ExtractError::Unsupported(format!("uv.lock version {v}"))),
        None => {
            return Err(ExtractError::syntax(
                Some(1),
                "no `version` key: not a uv.lock",
            ));
        }
    }
    Ok(())
}

/// A package as [`reader`] gives it.
fn read_locked(lock: &reader::Lock<'_>, p: &reader::Package<'_>) -> Locked {
    let deps = lock
        .deps_of(p)
        .iter()
        .map(|d| Dep {
            version: d.version.map(str::to_owned),
            ..Dep::new(d.name, d.scope)
        })
        .collect();
    let (source, root) = source(p.source);
    Locked {
        name: p.name.to_owned(),
        version: p.version.map(str::to_owned),
        line: p.line,
        source,
        hashes: pep508::artifact_hashes(p.sdist, lock.wheels_of(p).iter().copied()),
        deps,
        scope: None,
        root,
    }
}

fn locked(p: &Package, line: u32) -> Locked {
    let dep = |d: &UvDep, scope: Scope| Dep {
        version: d.version.as_deref().map(str::to_owned),
        ..Dep::new(&d.name, scope)
    };
    let mut deps: Vec<Dep> = p
        .dependencies
        .iter()
        .map(|d| dep(d, Scope::Runtime))
        .collect();
    deps.extend(
        p.optional
            .values()
            .flatten()
            .map(|d| dep(d, Scope::Optional)),
    );
    deps.extend(p.dev.values().flatten().map(|d| dep(d, Scope::Dev)));
    let (source, root) = source(
        p.source
            .iter()
            .next()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    Locked {
        name: p.name.to_string(),
        version: p.version.as_deref().map(str::to_owned),
        line,
        source,
        hashes: pep508::artifact_hashes(
            p.sdist.iter().filter_map(|a| a.hash.as_deref()),
            p.wheels.iter().filter_map(|a| a.hash.as_deref()),
        ),
        deps,
        scope: None,
        root,
    }
}

/// The source (the `source` table's first entry in key order) and whether it marks one of the
/// project's own packages.
fn source(first: Option<(&str, &str)>) -> (Source, bool) {
    let Some((kind, value)) = first else {
        return (Source::Unknown, false);
    };
    let value = value.to_owned();
    match kind {
        "registry" => (Source::Registry { url: Some(value) }, false),
        "git" => {
            // `https://host/repo?rev=main#<commit>`: the fragment is the locked commit.
            let (base, commit) = match value.split_once('#') {
                Some((b, c)) => (b, Some(c.to_owned())),
                None => (value.as_str(), None),
            };
            let (url, query) = base.split_once('?').unwrap_or((base, ""));
            let rev = commit.or_else(|| {
                query.split('&').find_map(|kv| {
                    let (k, v) = kv.split_once('=')?;
                    matches!(k, "rev" | "tag" | "branch").then(|| v.to_owned())
                })
            });
            (
                Source::Git {
                    url: url.to_owned(),
                    rev,
                },
                false,
            )
        }
        "url" => (Source::Url { url: value }, false),
        "editable" | "virtual" => (Source::Path { path: value }, true),
        _ => (Source::Path { path: value }, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Relationship;
    use proptest::prelude::*;

    #[test]
    fn flask() {
        let Some((ex, p)) = extract_shared(&UvLock, "PyPI/flask/uv.lock") else {
            return;
        };
        // python3 -c "import tomllib;print(len(tomllib.load(open('uv.lock','rb'))['package']))"
        assert_eq!(ex.components.len(), 83);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        for want in [
            "pkg:pypi/alabaster@1.0.0",
            "pkg:pypi/anyio@4.13.0",
            "pkg:pypi/virtualenv@21.2.0",
            "pkg:pypi/flask@3.2.0.dev0",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want}");
        }
        let flask = get(&ex, "flask");
        assert_eq!(flask.relationship, Relationship::Root);
        assert_eq!(flask.source, Source::Path { path: ".".into() });
        assert_eq!(flask.locations[0].line, Some(397));
        let werkzeug = get(&ex, "werkzeug");
        assert_eq!(werkzeug.relationship, Relationship::Direct);
        assert_eq!(werkzeug.scope, Scope::Runtime);
        assert_eq!(get(&ex, "asgiref").scope, Scope::Optional);
        assert_eq!(get(&ex, "tox").scope, Scope::Dev);
        assert_eq!(get(&ex, "tox").relationship, Relationship::Direct);
        assert_eq!(get(&ex, "virtualenv").scope, Scope::Dev);
        assert_eq!(
            get(&ex, "virtualenv").relationship,
            Relationship::Transitive
        );
        let alabaster = get(&ex, "alabaster");
        assert_eq!(alabaster.hashes.len(), 1);
        assert_eq!(
            alabaster.hashes[0].value,
            "c00dca57bca26fa62a6d7d0a9fcce65f3e026e9bfe33e9c538fd3fbb2144fd9e"
        );
        assert_eq!(
            alabaster.source,
            Source::Registry {
                url: Some("https://pypi.org/simple".into())
            }
        );
        assert!(
            ex.edges
                .iter()
                .any(|e| &*e.from == "pkg:pypi/flask@3.2.0.dev0"
                    && e.to.starts_with("pkg:pypi/werkzeug@"))
        );
    }

    #[test]
    fn uv_scripts_benchmark() {
        let Some((ex, _)) = extract_shared(&UvLock, "PyPI/uv-scripts-benchmark/uv.lock") else {
            return;
        };
        // python3 -c "import tomllib;print(len(tomllib.load(open('uv.lock','rb'))['package']))"
        assert_eq!(ex.components.len(), 77);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        assert_eq!(get(&ex, "benchmark").relationship, Relationship::Root);
        assert_eq!(get(&ex, "poetry").relationship, Relationship::Direct);
        assert_eq!(get(&ex, "tomli-w").relationship, Relationship::Direct);
    }

    #[test]
    fn sources_and_versions() {
        let (ex, _) = extract_testdata(&UvLock, "uv-lock/workspace/uv.lock");
        assert_eq!(ex.components.len(), 6);
        assert_eq!(get(&ex, "app").relationship, Relationship::Root);
        assert_eq!(get(&ex, "member").relationship, Relationship::Root);
        assert_eq!(
            get(&ex, "gitpkg").source,
            Source::Git {
                url: "https://github.com/example/gitpkg".into(),
                rev: Some("4a5b6c7d8e9f00112233445566778899aabbccdd".into())
            }
        );
        assert!(matches!(get(&ex, "urlpkg").source, Source::Url { .. }));
        assert_eq!(get(&ex, "urlpkg").hashes.len(), 1);
        assert_eq!(
            get(&ex, "localpkg").source,
            Source::Path {
                path: "libs/localpkg".into()
            }
        );
        // urlpkg names the version of its `six` dependency.
        let six: Vec<_> = ex.components.iter().filter(|c| c.name == "six").collect();
        assert_eq!(six.len(), 1);
        assert_eq!(ex.edges.len(), 5);
        assert_eq!(get(&ex, "gitpkg").scope, Scope::Dev);
    }

    #[test]
    fn errors() {
        let err = extract_err(&UvLock, "uv.lock", b"version = 1\n[[package]]\nname = 3\n");
        assert_eq!(err.line(), Some(3));
        let err = extract_err(&UvLock, "uv.lock", b"version = 2\n");
        assert!(matches!(err, ExtractError::Unsupported(_)));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&UvLock, "uv.lock", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..3000) {
            let text = include_str!("../../testdata/uv-lock/workspace/uv.lock");
            let end = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let _ = extract_bytes(&UvLock, "uv.lock", &text.as_bytes()[..end], &[]);
        }
    }
}
