//! CocoaPods `Podfile.lock`.
//!
//! `PODS` lists every installed pod or subspec with its version and, nested under it, what it
//! depends on (the graph); `DEPENDENCIES` lists what the Podfile names (direct); `SPEC CHECKSUMS`
//! gives each pod's podspec SHA-1; `SPEC REPOS`, `EXTERNAL SOURCES` and `CHECKOUT OPTIONS` say
//! where pods come from (a spec repo, a path, a git commit).
//!
//! Subspecs (`Firebase/Core`) are components of their own, with the subspec as the purl subpath
//! (`pkg:cocoapods/Firebase@8.0.0#Core`), as the purl spec for CocoaPods says; the checksum and
//! source of the pod apply to each of its subspecs. The lockfile does not record scopes: all are
//! runtime.

use crate::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Edge, Hash, Level, Relationship, Source};
use serde_json::Value;

use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct PodfileLock;

const ID: &str = "podfile-lock";

/// `Name (version)` → (name, version); `Name` alone → (name, None).
fn split_entry(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    match s.split_once(" (") {
        Some((name, rest)) => (name.trim(), rest.strip_suffix(')').map(str::trim)),
        None => (s, None),
    }
}

/// The pod a name belongs to (`Firebase/Core` → `Firebase`).
fn pod_of(name: &str) -> &str {
    name.split('/').next().unwrap_or(name)
}

impl Extractor for PodfileLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::CocoaPods
    }
    fn files(&self) -> &'static str {
        "Podfile.lock"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("Podfile.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "Podfile.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let doc: Value = crate::yaml::from_str(text)?;
        let Some(doc) = doc.as_object() else {
            return Err(ExtractError::syntax(Some(1), "expected a YAML mapping"));
        };
        let Some(pods) = doc.get("PODS").and_then(Value::as_array) else {
            return Err(ExtractError::syntax(Some(1), "no `PODS` list"));
        };
        let mut out = Extraction::default();
        let lines = pod_lines(text);

        let direct: HashSet<&str> = doc
            .get("DEPENDENCIES")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|d| split_entry(d).0)
            .collect();
        let checksums = doc.get("SPEC CHECKSUMS").and_then(Value::as_object);
        let external = doc.get("EXTERNAL SOURCES").and_then(Value::as_object);
        let checkout = doc.get("CHECKOUT OPTIONS").and_then(Value::as_object);
        // pod → spec repo (`trunk` or a repo URL)
        let mut repo_of: HashMap<&str, &str> = HashMap::default();
        for (repo, names) in doc
            .get("SPEC REPOS")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for n in names
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                repo_of.insert(n, repo);
            }
        }

        // (purl, dependency names)
        let mut nodes: Vec<(Arc<str>, Vec<&str>)> = Vec::new();
        let mut by_name: HashMap<&str, Arc<str>> = HashMap::default();
        for item in pods {
            let (entry, deps): (&str, Vec<&str>) = match item {
                Value::String(s) => (s, Vec::new()),
                Value::Object(m) if m.len() == 1 => match m.iter().next() {
                    Some((k, v)) => (
                        k,
                        v.as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .map(|d| split_entry(d).0)
                            .collect(),
                    ),
                    None => continue,
                },
                _ => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        None,
                        "a `PODS` item is neither `Name (version)` nor a one-key mapping",
                    ));
                    continue;
                }
            };
            let line = lines.get(entry.trim()).copied();
            let (name, version) = split_entry(entry);
            let Some(version) = version else {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    line,
                    format!("`{entry}` has no version"),
                ));
                continue;
            };
            let mut c = match Component::new(Ecosystem::CocoaPods, name, Some(version)) {
                Ok(c) => c,
                Err(e) => {
                    out.diagnostics
                        .push(input.diagnostic(ID, Level::Error, line, e.to_string()));
                    continue;
                }
            };
            let pod = pod_of(name);
            c.relationship = if direct.contains(name) {
                Relationship::Direct
            } else {
                Relationship::Transitive
            };
            c.source = source_of(pod, external, checkout, repo_of.get(pod).copied());
            if let Some(sum) = checksums.and_then(|m| m.get(pod)).and_then(Value::as_str) {
                c = c.with_hash(Hash::from_hex("sha1", sum));
            }
            c = c.at(input.path, line);
            by_name.insert(name, c.key());
            nodes.push((c.key(), deps));
            out.components.push(c);
        }
        for (from, deps) in &nodes {
            for dep in deps {
                match by_name.get(dep) {
                    Some(to) => out.edges.push(Edge {
                        from: from.clone(),
                        to: to.clone(),
                    }),
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        None,
                        format!("`{from}` depends on `{dep}`, which `PODS` does not list"),
                    )),
                }
            }
        }
        Ok(out)
    }
}

fn source_of(
    pod: &str,
    external: Option<&serde_json::Map<String, Value>>,
    checkout: Option<&serde_json::Map<String, Value>>,
    repo: Option<&str>,
) -> Source {
    let get = |m: Option<&serde_json::Map<String, Value>>, key: &str| {
        m.and_then(|m| m.get(pod))
            .and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if let Some(path) = get(external, ":path") {
        return Source::Path { path };
    }
    if let Some(url) = get(checkout, ":git").or_else(|| get(external, ":git")) {
        let rev = get(checkout, ":commit")
            .or_else(|| get(external, ":commit"))
            .or_else(|| get(external, ":tag"))
            .or_else(|| get(external, ":branch"));
        return Source::Git { url, rev };
    }
    if let Some(url) = get(external, ":podspec") {
        return Source::Url { url };
    }
    match repo {
        Some("trunk") | None => Source::Registry { url: None },
        Some(url) => Source::Registry {
            url: Some(url.to_owned()),
        },
    }
}

/// The line of each `  - Name (version)` item of the `PODS` section.
fn pod_lines(text: &str) -> HashMap<&str, u32> {
    let mut lines = HashMap::default();
    let mut in_pods = false;
    for (n, line) in text.lines().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_pods = line.trim_end() == "PODS:";
            continue;
        }
        if in_pods && let Some(item) = line.strip_prefix("  - ") {
            let item = item.trim_end();
            let item = item.strip_suffix(':').unwrap_or(item);
            let item = item.trim_matches(['"', '\'']);
            lines.insert(item, u32::try_from(n + 1).unwrap_or(u32::MAX));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;

    #[test]
    fn synthetic_podfile_lock() {
        let (ex, p) = extract_testdata(&PodfileLock, "podfile-lock/Podfile.lock");
        // grep -c '^  - ' under PODS: → 8 (the fixture's only 2-space list items before
        // DEPENDENCIES); one has no version and is reported.
        assert_eq!(ex.components.len(), 7);
        assert_eq!(p.components.len(), 7);
        let purls = purls(&p);
        for want in [
            "pkg:cocoapods/Alamofire@5.4.0",
            "pkg:cocoapods/Firebase@8.0.0#Core",
            "pkg:cocoapods/Firebase@8.0.0#CoreOnly",
            "pkg:cocoapods/FirebaseCore@8.0.0",
            "pkg:cocoapods/MyLib@1.0.0",
            "pkg:cocoapods/GitPod@2.1.0",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want} not in {purls:?}");
        }
        let get = |k: &str| p.components.iter().find(|c| c.purl.as_str() == k).unwrap();
        let core = get("pkg:cocoapods/Firebase@8.0.0#Core");
        assert_eq!(core.relationship, Relationship::Direct);
        assert_eq!(core.locations[0].line, Some(3));
        assert_eq!(
            core.hashes,
            [Hash::from_hex("sha1", "3ec537f71edc9804815215393ae2b1a8ea33a844").unwrap()]
        );
        let only = get("pkg:cocoapods/Firebase@8.0.0#CoreOnly");
        assert_eq!(only.relationship, Relationship::Transitive);
        assert_eq!(
            get("pkg:cocoapods/MyLib@1.0.0").source,
            Source::Path {
                path: "../MyLib".into()
            }
        );
        assert_eq!(
            get("pkg:cocoapods/GitPod@2.1.0").source,
            Source::Git {
                url: "https://github.com/x/GitPod.git".into(),
                rev: Some("0123456789abcdef0123456789abcdef01234567".into())
            }
        );
        assert_eq!(
            get("pkg:cocoapods/Alamofire@5.4.0").source,
            Source::Registry { url: None }
        );
        assert!(p.edges.contains(&Edge {
            from: "pkg:cocoapods/Firebase@8.0.0#Core".into(),
            to: "pkg:cocoapods/Firebase@8.0.0#CoreOnly".into()
        }));
        assert_eq!(p.edges.len(), 4);
        assert_eq!(ex.diagnostics.len(), 1, "{:?}", ex.diagnostics);
        assert_eq!(ex.diagnostics[0].line, Some(10));
    }

    #[test]
    fn broken_files() {
        let err = extract_err(&PodfileLock, "Podfile.lock", b"PODS:\n  - A (1.0\n  - [\n");
        assert!(err.line().is_some(), "{err}");
        let err = extract_err(&PodfileLock, "Podfile.lock", b"COCOAPODS: 1.0\n");
        assert_eq!(err.line(), Some(1));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&PodfileLock, "Podfile.lock", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..1200) {
            let text = std::fs::read(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/podfile-lock/Podfile.lock"),
            ).unwrap();
            let end = cut.min(text.len());
            let _ = extract_bytes(&PodfileLock, "Podfile.lock", &text[..end], &[]);
        }
    }
}
