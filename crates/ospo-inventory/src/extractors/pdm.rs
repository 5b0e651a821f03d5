//! `pdm.lock` (lock_version 3.x and 4.x), paired with the `pyproject.toml` beside it.
//!
//! Each `[[package]]` gives the name, version, `groups` (`default` is runtime, any other group
//! dev), the artifact hashes (`files`), the dependencies as PEP 508 strings, and a non-registry
//! source when it has one (`git` + `revision`, `url`, `path` with `editable`). An editable local
//! path is the project's own package; the manifest tells direct from transitive.

use std::path::Path;

use ospo_model::{Ecosystem, Scope, Source};
use serde::Deserialize;
use toml::Spanned;

use super::pep508::{self, Dep, Locked, Requirement};
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct PdmLock;

const ID: &str = "pdm-lock";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    package: Vec<Spanned<Package>>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    lock_version: Option<String>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    files: Vec<File>,
    #[serde(default)]
    dependencies: Vec<String>,
    git: Option<String>,
    revision: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    editable: bool,
}

#[derive(Deserialize)]
struct File {
    file: Option<String>,
    url: Option<String>,
    hash: Option<String>,
}

impl Extractor for PdmLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }
    fn files(&self) -> &'static str {
        "pdm.lock (lock_version 3.x, 4.x) with pyproject.toml"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("pdm.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "pdm.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let lock: Lock = crate::toml_fast::from_str(text)?;
        if let Some(v) = &lock.metadata.lock_version
            && !matches!(v.split('.').next(), Some("3" | "4"))
        {
            return Err(ExtractError::Unsupported(format!("pdm.lock {v}")));
        }
        Ok(pep508::from_toml_lock(
            ID,
            input,
            text,
            &lock.package,
            |out, p, line| locked(input, out, p, line),
        ))
    }
}

fn locked(input: &Input<'_>, out: &mut Extraction, p: &Package, line: u32) -> Locked {
    let is_sdist = |f: &&File| {
        f.file
            .as_deref()
            .or(f.url.as_deref())
            .is_some_and(|n| !n.ends_with(".whl"))
    };
    let hashes = pep508::artifact_hashes(
        p.files
            .iter()
            .filter(is_sdist)
            .filter_map(|f| f.hash.as_deref()),
        p.files
            .iter()
            .filter(|f| !is_sdist(f))
            .filter_map(|f| f.hash.as_deref()),
    );
    let mut deps = Vec::new();
    for d in &p.dependencies {
        match Requirement::parse(d) {
            Ok(r) => {
                let mut dep = Dep::new(r.name, Scope::Runtime);
                dep.optional = r.marker.is_some();
                deps.push(dep);
            }
            Err(msg) => out.diagnostics.push(input.diagnostic(
                ID,
                ospo_model::Level::Warning,
                Some(line),
                format!("`{}`: {msg}", p.name),
            )),
        }
    }
    let source = if let Some(git) = &p.git {
        Source::Git {
            url: git.clone(),
            rev: p.revision.clone().or_else(|| p.reference.clone()),
        }
    } else if let Some(path) = &p.path {
        Source::Path { path: path.clone() }
    } else if let Some(url) = &p.url {
        pep508::url_source(url)
    } else {
        Source::Registry { url: None }
    };
    let scope = p.groups.as_ref().map(|g| {
        if g.iter().any(|g| g == "default") {
            Scope::Runtime
        } else {
            Scope::Dev
        }
    });
    Locked {
        name: p.name.clone(),
        version: p.version.clone(),
        line,
        root: p.editable && p.path.is_some(),
        source,
        hashes,
        deps,
        scope,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Relationship;
    use proptest::prelude::*;

    #[test]
    fn pdm_lock_4() {
        let (ex, _) = extract_testdata(&PdmLock, "pdm-lock/pdm.lock");
        // grep -c '^\[\[package\]\]' pdm.lock
        assert_eq!(ex.components.len(), 6);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let requests = get(&ex, "requests");
        assert_eq!(requests.relationship, Relationship::Direct);
        assert_eq!(requests.scope, Scope::Runtime);
        assert_eq!(requests.hashes.len(), 1, "the sdist hash");
        assert_eq!(requests.locations[0].line, Some(38));
        let certifi = get(&ex, "certifi");
        assert_eq!(certifi.relationship, Relationship::Transitive);
        assert_eq!(certifi.hashes.len(), 2, "wheels only");
        assert_eq!(get(&ex, "pytest").scope, Scope::Dev);
        assert_eq!(get(&ex, "pytest").relationship, Relationship::Direct);
        assert_eq!(
            get(&ex, "mylib").source,
            Source::Git {
                url: "https://github.com/example/mylib.git".into(),
                rev: Some("0123456789abcdef0123456789abcdef01234567".into())
            }
        );
        assert_eq!(get(&ex, "app").relationship, Relationship::Root);
        assert_eq!(ex.edges.len(), 4);
    }

    #[test]
    fn errors() {
        let err = extract_err(
            &PdmLock,
            "pdm.lock",
            b"[[package]]\nname = \"a\"\ngroups = 1\n",
        );
        assert_eq!(err.line(), Some(3));
        let err = extract_err(
            &PdmLock,
            "pdm.lock",
            b"[metadata]\nlock_version = \"5.0\"\n",
        );
        assert!(matches!(err, ExtractError::Unsupported(_)));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&PdmLock, "pdm.lock", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..3000) {
            let text = include_str!("../../testdata/pdm-lock/pdm.lock");
            let end = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let _ = extract_bytes(&PdmLock, "pdm.lock", &text.as_bytes()[..end], &[]);
        }
    }
}
