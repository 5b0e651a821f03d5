//! `Pipfile.lock` (pipfile-spec 6 and earlier), paired with the `Pipfile` beside it.
//!
//! `default` holds the runtime packages and `develop` the development ones; a package in both
//! is reported once, as runtime. Entries are pinned (`"version": "==x"`) registry packages
//! (`index` names one of `_meta.sources`), or git (`git` + `ref`), path (`path`, `editable`)
//! and file (`file`) entries. The lock records no graph; the `Pipfile`'s `[packages]` and
//! `[dev-packages]` tell direct from transitive, and an editable local path is the project.

use crate::HashMap;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Hash, Level, Relationship, Scope, Source};
use serde_json::Value;

use super::pep508;
use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

mod read;

pub struct PipfileLock;

const ID: &str = "pipfile-lock";

impl Extractor for PipfileLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }
    fn files(&self) -> &'static str {
        "Pipfile.lock (pipfile-spec ≤ 6) with Pipfile"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("Pipfile.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "Pipfile.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        // The borrowed read first; the `Value` tree (which gives serde_json's own errors and
        // reads escaped strings and repeated keys) only when it declines.
        let doc: Value;
        let lock = match serde_json::from_str::<read::Lock<'_>>(text) {
            Ok(lock) => lock,
            Err(_) => {
                doc = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
                read::Lock::from_value(&doc)
                    .ok_or_else(|| ExtractError::syntax(Some(1), "expected a JSON object"))?
            }
        };
        if let Some(spec) = lock.spec
            && spec > 6
        {
            return Err(ExtractError::Unsupported(format!("pipfile-spec {spec}")));
        }
        let sources: HashMap<&str, &str> = lock.sources.iter().copied().collect();
        let mut out = Extraction::default();
        let direct = pep508::read_manifest(ID, input, "Pipfile", &mut out, read_pipfile);
        let lines = LineIndex::new(text);
        let mut cursor = 0;
        let mut index: HashMap<Arc<str>, usize> = HashMap::default();
        for (section, entries) in &lock.sections {
            let scope = match *section {
                "default" => Scope::Runtime,
                _ => Scope::Dev,
            };
            let Some(entries) = entries else {
                let line = lines.find(&format!("\"{section}\""), 0).map(|(l, _)| l);
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    line,
                    format!("`{section}` is not an object"),
                ));
                continue;
            };
            if let Some((_, end)) = lines.find(&format!("\"{section}\""), cursor) {
                cursor = end;
            }
            for (name, entry) in entries {
                let line = lines.find(&format!("\"{name}\""), cursor).map(|(l, end)| {
                    cursor = end;
                    l
                });
                let Some(c) = component(
                    input,
                    &mut out,
                    name,
                    entry.as_ref(),
                    line,
                    &sources,
                    direct.as_ref(),
                ) else {
                    continue;
                };
                let c = Component {
                    scope: if c.relationship == Relationship::Root {
                        Scope::Runtime
                    } else {
                        scope
                    },
                    ..c
                };
                match index.get(&c.key()).and_then(|&i| out.components.get_mut(i)) {
                    Some(prev) => prev.merge(c),
                    None => {
                        index.insert(c.key(), out.components.len());
                        out.components.push(c);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The `Pipfile`'s direct dependencies by normalised name.
fn read_pipfile(text: &str) -> Result<HashMap<String, Scope>, toml::de::Error> {
    // The same table through the fast reader when the file is in its subset.
    let t: toml::Table = match crate::toml_fast::from_str_fast(text) {
        Some(t) => t,
        None => toml::from_str(text)?,
    };
    let mut out = HashMap::default();
    for (table, scope) in [("dev-packages", Scope::Dev), ("packages", Scope::Runtime)] {
        for name in t
            .get(table)
            .and_then(toml::Value::as_table)
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            out.insert(pep508::normalise(name), scope);
        }
    }
    Ok(out)
}

fn component(
    input: &Input<'_>,
    out: &mut Extraction,
    name: &str,
    entry: Option<&read::Entry<'_>>,
    line: Option<u32>,
    sources: &HashMap<&str, &str>,
    direct: Option<&HashMap<String, Scope>>,
) -> Option<Component> {
    let Some(entry) = entry else {
        out.diagnostics.push(input.diagnostic(
            ID,
            Level::Error,
            line,
            format!("`{name}`: entry is not an object"),
        ));
        return None;
    };
    let version = entry.version.map(|v| {
        v.trim()
            .strip_prefix("===")
            .or_else(|| v.trim().strip_prefix("=="))
            .unwrap_or(v)
            .trim()
    });
    let (source, root) = source(entry, sources);
    let mut c = match Component::new(Ecosystem::PyPI, name, version) {
        Ok(c) => c,
        Err(e) => {
            out.diagnostics
                .push(input.diagnostic(ID, Level::Error, line, e.to_string()));
            return None;
        }
    };
    if matches!(source, Source::Registry { .. }) && version.is_none() {
        out.diagnostics.push(input.diagnostic(
            ID,
            Level::Warning,
            line,
            format!("`{name}` has no locked version"),
        ));
    }
    c.source = source;
    c.hashes = entry
        .hashes
        .iter()
        .filter_map(|h| h.split_once(':').and_then(|(a, v)| Hash::from_hex(a, v)))
        .collect();
    c.relationship = if root {
        Relationship::Root
    } else {
        match direct {
            Some(d) if d.contains_key(&pep508::normalise(name)) => Relationship::Direct,
            Some(_) => Relationship::Transitive,
            None => Relationship::Unknown,
        }
    };
    Some(c.at(input.path, line))
}

/// The source of an entry and whether it is the project itself (an editable local path).
fn source(entry: &read::Entry<'_>, sources: &HashMap<&str, &str>) -> (Source, bool) {
    if let Some(git) = entry.git {
        let url = git.strip_prefix("git+").unwrap_or(git);
        return (
            Source::Git {
                url: url.to_owned(),
                rev: entry.rev.map(str::to_owned),
            },
            false,
        );
    }
    if let Some(path) = entry.path {
        return (
            Source::Path {
                path: path.to_owned(),
            },
            entry.editable,
        );
    }
    if let Some(file) = entry.file {
        return (pep508::url_source(file), false);
    }
    let url = entry
        .index
        .and_then(|i| sources.get(i).copied())
        .or_else(|| {
            (sources.len() == 1)
                .then(|| sources.values().next().copied())
                .flatten()
        });
    (
        Source::Registry {
            url: url.map(str::to_owned),
        },
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use proptest::prelude::*;

    #[test]
    fn pipenv() {
        let Some((ex, p)) = extract_shared(&PipfileLock, "PyPI/pipenv/Pipfile.lock") else {
            return;
        };
        // python3: len({(k, v.get('version')) for s in ('default', 'develop')
        //               for k, v in d[s].items()}) == 105 (10 + 100 entries; 5 packages are in
        //               both sections at the same version, 4 at different versions)
        assert_eq!(ex.components.len(), 105);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        assert_eq!(
            ex.manifest.as_deref(),
            Some(Path::new("PyPI/pipenv/Pipfile"))
        );
        let purls = purls(&p);
        for want in [
            "pkg:pypi/exceptiongroup@1.3.1",
            "pkg:pypi/iniconfig@2.3.0",
            "pkg:pypi/packaging@26.3",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want}");
        }
        let eg = get(&ex, "exceptiongroup");
        assert_eq!(eg.locations[0].line, Some(17));
        assert_eq!(eg.hashes.len(), 2);
        assert_eq!(
            eg.source,
            Source::Registry {
                url: Some("https://pypi.org/simple".into())
            }
        );
        assert_eq!(get(&ex, "pytz").relationship, Relationship::Direct);
        assert_eq!(get(&ex, "pytz").scope, Scope::Runtime);
        assert_eq!(get(&ex, "sphinx").scope, Scope::Dev);
        assert_eq!(get(&ex, "sphinx").relationship, Relationship::Direct);
        assert_eq!(get(&ex, "iniconfig").relationship, Relationship::Transitive);
        // In both sections at one version: runtime wins, both places kept.
        let both: Vec<&Component> = ex
            .components
            .iter()
            .filter(|c| c.locations.len() == 2)
            .collect();
        assert_eq!(both.len(), 5);
        assert!(both.iter().all(|c| c.scope == Scope::Runtime));
        // At different versions: two components.
        let pygments: Vec<_> = ex
            .components
            .iter()
            .filter(|c| c.name == "pygments")
            .collect();
        assert_eq!(pygments.len(), 2);
        assert_eq!(pygments[1].version.as_deref(), Some("2.20.0"));
        assert_eq!(pygments[1].scope, Scope::Dev);
    }

    #[test]
    fn requests_html_editable_project() {
        let Some((ex, _)) = extract_shared(&PipfileLock, "PyPI/requests-html/Pipfile.lock") else {
            return;
        };
        // python3: distinct (name, version) over default + develop == 70 (22 + 69 entries)
        assert_eq!(ex.components.len(), 70);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let me = get(&ex, "requests-html");
        assert_eq!(me.relationship, Relationship::Root);
        assert_eq!(me.version, None);
        assert_eq!(me.source, Source::Path { path: ".".into() });
        assert_eq!(get(&ex, "pyppeteer").relationship, Relationship::Direct);
    }

    #[test]
    fn git_file_and_broken_entries() {
        let (ex, _) = extract_testdata(&PipfileLock, "pipfile-lock/Pipfile.lock");
        assert_eq!(ex.components.len(), 3);
        assert_eq!(
            get(&ex, "mylib").source,
            Source::Git {
                url: "https://github.com/example/mylib.git".into(),
                rev: Some("0123456789abcdef0123456789abcdef01234567".into())
            }
        );
        assert_eq!(get(&ex, "mylib").relationship, Relationship::Unknown);
        assert!(matches!(get(&ex, "wheelpkg").source, Source::Url { .. }));
        assert_eq!(
            get(&ex, "private").source,
            Source::Registry {
                url: Some("https://pypi.example.org/simple".into())
            }
        );
        assert_eq!(get(&ex, "private").locations[0].line, Some(21));
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(30));
    }

    #[test]
    fn errors() {
        let err = extract_err(&PipfileLock, "Pipfile.lock", b"{\n\"default\": {\n");
        assert_eq!(err.line(), Some(3));
        let err = extract_err(
            &PipfileLock,
            "Pipfile.lock",
            br#"{"_meta": {"pipfile-spec": 7}}"#,
        );
        assert!(matches!(err, ExtractError::Unsupported(_)));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&PipfileLock, "Pipfile.lock", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..1500) {
            let text = include_str!("../../testdata/pipfile-lock/Pipfile.lock");
            let end = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let _ = extract_bytes(&PipfileLock, "Pipfile.lock", &text.as_bytes()[..end], &[]);
        }
    }
}
