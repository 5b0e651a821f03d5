//! `pylock.toml` and `pylock.<name>.toml` (PEP 751, lock-version 1.x), paired with the
//! `pyproject.toml` beside it.
//!
//! Each `[[packages]]` gives the name, an optional version, its source (`vcs`, `archive`,
//! `directory`, else the `index` registry), hashes (`sdist`'s, else every wheel's, or the
//! archive's) and `dependencies` (tables naming other packages). An editable `directory` is the
//! project's own package; the manifest tells direct from transitive and gives the scope.

use std::collections::BTreeMap;
use std::path::Path;

use ospo_model::{Ecosystem, Hash, Scope, Source};
use serde::Deserialize;
use toml::Spanned;

use super::pep508::{self, Dep, Locked};
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct Pylock;

const ID: &str = "pylock";

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "lock-version")]
    lock_version: Option<String>,
    #[serde(default)]
    packages: Vec<Spanned<Package>>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: Option<String>,
    index: Option<String>,
    vcs: Option<Vcs>,
    archive: Option<Archive>,
    directory: Option<Directory>,
    sdist: Option<Archive>,
    #[serde(default)]
    wheels: Vec<Archive>,
    #[serde(default)]
    dependencies: Vec<PyDep>,
}

#[derive(Deserialize)]
struct Vcs {
    url: Option<String>,
    path: Option<String>,
    #[serde(rename = "commit-id")]
    commit_id: Option<String>,
    #[serde(rename = "requested-revision")]
    requested_revision: Option<String>,
}

#[derive(Deserialize)]
struct Archive {
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Directory {
    path: String,
    #[serde(default)]
    editable: bool,
}

#[derive(Deserialize)]
struct PyDep {
    name: Option<String>,
    version: Option<String>,
}

impl Extractor for Pylock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }
    fn files(&self) -> &'static str {
        "pylock.toml, pylock.*.toml (PEP 751) with pyproject.toml"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::EndsWith(".toml")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
            n == "pylock.toml" || (n.starts_with("pylock.") && n.ends_with(".toml"))
        })
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let lock: Lock = crate::toml_fast::from_str(text)?;
        match lock.lock_version.as_deref() {
            Some(v) if v.split('.').next() == Some("1") => {}
            Some(v) => {
                return Err(ExtractError::Unsupported(format!(
                    "pylock lock-version {v}"
                )));
            }
            None => {
                return Err(ExtractError::syntax(
                    Some(1),
                    "no `lock-version`: not a pylock.toml",
                ));
            }
        }
        Ok(pep508::from_toml_lock(
            ID,
            input,
            text,
            &lock.packages,
            |_, p, line| locked(p, line),
        ))
    }
}

fn hashes(a: &Archive) -> impl Iterator<Item = Hash> + '_ {
    a.hashes
        .iter()
        .filter_map(|(alg, v)| Hash::from_hex(alg, v))
}

fn locked(p: &Package, line: u32) -> Locked {
    let mut root = false;
    let (source, mut hs): (Source, Vec<Hash>) = if let Some(v) = &p.vcs {
        let rev = v.commit_id.clone().or_else(|| v.requested_revision.clone());
        let src = match (&v.url, &v.path) {
            (Some(url), _) => Source::Git {
                url: url.clone(),
                rev,
            },
            (None, Some(path)) => Source::Path { path: path.clone() },
            (None, None) => Source::Unknown,
        };
        (src, Vec::new())
    } else if let Some(d) = &p.directory {
        root = d.editable;
        (
            Source::Path {
                path: d.path.clone(),
            },
            Vec::new(),
        )
    } else if let Some(a) = &p.archive {
        let src = match (&a.url, &a.path) {
            (Some(url), _) => Source::Url { url: url.clone() },
            (None, Some(path)) => Source::Path { path: path.clone() },
            (None, None) => Source::Unknown,
        };
        (src, hashes(a).collect())
    } else {
        (
            Source::Registry {
                url: p.index.clone(),
            },
            Vec::new(),
        )
    };
    if hs.is_empty() {
        hs = p.sdist.iter().flat_map(hashes).collect();
    }
    if hs.is_empty() {
        hs = p.wheels.iter().flat_map(hashes).collect();
    }
    let deps = p
        .dependencies
        .iter()
        .filter_map(|d| {
            Some(Dep {
                version: d.version.clone(),
                ..Dep::new(d.name.as_deref()?, Scope::Runtime)
            })
        })
        .collect();
    Locked {
        name: p.name.clone(),
        version: p.version.clone(),
        line,
        source,
        hashes: hs,
        deps,
        scope: None,
        root,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Relationship;
    use proptest::prelude::*;

    #[test]
    fn wants() {
        assert!(Pylock.wants(Path::new("pylock.toml")));
        assert!(Pylock.wants(Path::new("a/pylock.dev.toml")));
        assert!(!Pylock.wants(Path::new("pyproject.toml")));
    }

    #[test]
    fn pep751_sources_and_scopes() {
        let (ex, _) = extract_testdata(&Pylock, "pylock/pylock.toml");
        // grep -c '^\[\[packages\]\]' pylock.toml
        assert_eq!(ex.components.len(), 6);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let attrs = get(&ex, "attrs");
        assert_eq!(attrs.purl.to_string(), "pkg:pypi/attrs@25.1.0");
        assert_eq!(attrs.relationship, Relationship::Direct);
        assert_eq!(attrs.hashes.len(), 1);
        assert_eq!(attrs.locations[0].line, Some(7));
        assert_eq!(
            attrs.source,
            Source::Registry {
                url: Some("https://pypi.org/simple".into())
            }
        );
        assert_eq!(get(&ex, "app").relationship, Relationship::Root);
        assert_eq!(
            get(&ex, "gitdep").source,
            Source::Git {
                url: "https://github.com/example/gitdep.git".into(),
                rev: Some("0123456789abcdef0123456789abcdef01234567".into())
            }
        );
        assert!(matches!(get(&ex, "archived").source, Source::Url { .. }));
        assert_eq!(get(&ex, "archived").hashes.len(), 1);
        assert_eq!(get(&ex, "idna").relationship, Relationship::Transitive);
        assert_eq!(get(&ex, "pytest").scope, Scope::Dev);
        assert_eq!(get(&ex, "idna").hashes.len(), 2, "wheels only");
        assert_eq!(ex.edges.len(), 2, "attrs -> idna, pytest -> archived");
    }

    #[test]
    fn errors() {
        let err = extract_err(
            &Pylock,
            "pylock.toml",
            b"lock-version = \"1.0\"\n[[packages]]\nname = 1\n",
        );
        assert_eq!(err.line(), Some(3));
        let err = extract_err(&Pylock, "pylock.toml", b"lock-version = \"2.0\"\n");
        assert!(matches!(err, ExtractError::Unsupported(_)));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&Pylock, "pylock.toml", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..3000) {
            let text = include_str!("../../testdata/pylock/pylock.toml");
            let end = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let _ = extract_bytes(&Pylock, "pylock.toml", &text.as_bytes()[..end], &[]);
        }
    }
}
