//! NuGet `packages.lock.json` (lock format v1 and v2, central package management included).
//!
//! The file lists, per target framework (and per runtime identifier, `net8.0/linux-x64`), every
//! resolved package with its type: `Direct`, `Transitive`, `CentralTransitive` (a transitive
//! package pinned by `Directory.Packages.props`) or `Project` (a project reference: first-party
//! code of the same solution, reported as a root with a path source and no version). A package
//! locked for several frameworks is one component (merged by purl); one locked at different
//! versions per framework is one component per version. `contentHash` is the base64 SHA-512 of
//! the package. Each entry's `dependencies` name packages of the same framework: the edges.
//!
//! The project that owns the lockfile is the `*.csproj`/`*.fsproj`/`*.vbproj` beside it; when
//! there is exactly one it becomes the root, with edges to the direct packages and references.

use crate::HashMap;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Edge, Hash, Level, Relationship, Source};
use serde_json::Value;

use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct NugetPackagesLock;

const ID: &str = "nuget-packages-lock";

impl Extractor for NugetPackagesLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::NuGet
    }
    fn files(&self) -> &'static str {
        "packages.lock.json (v1, v2)"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("packages.lock.json")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "packages.lock.json")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        extract_lock(input, true)
    }
}

/// A framework's packages as both readers give them (`None`: the framework is not an object).
struct Framework<'a> {
    name: &'a str,
    packages: Option<Vec<Package<'a>>>,
}

/// A package entry as both readers give it: a field of the wrong type reads as absent.
struct Package<'a> {
    name: &'a str,
    /// Where the fast reader borrowed `name` from the text: its line is found there.
    at: Option<usize>,
    kind: &'a str,
    resolved: Option<&'a str>,
    content_hash: Option<&'a str>,
    dependencies: Vec<&'a str>,
}

/// The extraction, through the typed reader when `fast` (and it reads the document), else
/// through a `serde_json::Value`. Both give the same result (the tests compare them); the typed
/// one borrows its strings from the text, builds no tree and finds each package's line where it
/// borrowed the name instead of searching for it.
fn extract_lock(input: &Input<'_>, fast: bool) -> Result<Extraction, ExtractError> {
    let text = input.text()?;
    let typed = if fast {
        serde_json::from_str::<fast::Doc<'_>>(text)
            .ok()
            .filter(|d| matches!(d.version, 1 | 2))
    } else {
        None
    };
    let doc: Value;
    let frameworks = match &typed {
        Some(d) => d.frameworks(text),
        None => {
            doc = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
            general(&doc)?
        }
    };

    let index = LineIndex::new(text);
    let mut out = Extraction::default();
    let mut by_purl: HashMap<Arc<str>, usize> = HashMap::default();
    let mut direct: Vec<Arc<str>> = Vec::new();
    // serde_json keeps member order, so a forward search finds each key's line in one pass.
    let mut cursor = 0;
    for Framework {
        name: framework,
        packages,
    } in frameworks
    {
        cursor = index
            .find(&format!("\"{framework}\""), cursor)
            .map_or(cursor, |(_, end)| end);
        let Some(packages) = packages else {
            out.diagnostics.push(input.diagnostic(
                ID,
                Level::Error,
                None,
                format!("framework `{framework}` is not an object"),
            ));
            continue;
        };
        // Purls of this framework's packages by lower-case name, for the edges.
        let mut local: HashMap<String, Arc<str>> = HashMap::default();
        let mut deps: Vec<(Arc<str>, Vec<&str>, Option<u32>)> = Vec::new();
        for entry in packages {
            let name = entry.name;
            let line = match entry.at {
                Some(at) => find_key_at(&index, name, at, &mut cursor),
                None => find_key(&index, name, &mut cursor),
            };
            let kind = entry.kind;
            let resolved = entry.resolved;
            let built = if kind == "Project" {
                Component::new(Ecosystem::NuGet, name, None).map(|c| {
                    c.with_relationship(Relationship::Root)
                        .with_source(Source::Path {
                            path: name.to_owned(),
                        })
                })
            } else if let Some(version) = resolved {
                Component::new(Ecosystem::NuGet, name, Some(version)).map(|c| {
                    c.with_relationship(match kind {
                        "Direct" => Relationship::Direct,
                        "Transitive" | "CentralTransitive" => Relationship::Transitive,
                        _ => Relationship::Unknown,
                    })
                    .with_source(Source::Registry { url: None })
                })
            } else {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    line,
                    format!("`{name}` has no `resolved` version"),
                ));
                continue;
            };
            let mut c = match built {
                Ok(c) => c,
                Err(e) => {
                    out.diagnostics
                        .push(input.diagnostic(ID, Level::Error, line, e.to_string()));
                    continue;
                }
            };
            if let Some(b64) = entry.content_hash {
                c = c.with_hash(Hash::from_sri(&format!("sha512-{b64}")));
            }
            c = c.at(input.path, line);
            let key = c.key();
            if matches!(kind, "Direct" | "Project") {
                direct.push(key.clone());
            }
            local.insert(name.to_ascii_lowercase(), key.clone());
            deps.push((key.clone(), entry.dependencies, line));
            match by_purl.get(&key) {
                Some(&i) => {
                    if let Some(old) = out.components.get_mut(i) {
                        old.merge(c);
                    }
                }
                None => {
                    by_purl.insert(key, out.components.len());
                    out.components.push(c);
                }
            }
        }
        for (from, names, line) in deps {
            for name in names {
                match local.get(&name.to_ascii_lowercase()) {
                    Some(to) => out.edges.push(Edge {
                        from: from.clone(),
                        to: to.clone(),
                    }),
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        line,
                        format!("a dependency `{name}` is not locked for framework `{framework}`"),
                    )),
                }
            }
        }
    }

    if let Some(root) = owning_project(input) {
        let key = root.key();
        direct.sort();
        direct.dedup();
        for to in direct {
            out.edges.push(Edge {
                from: key.clone(),
                to,
            });
        }
        out.components.push(root);
    }
    out.edges.sort();
    out.edges.dedup();
    Ok(out)
}

/// The frameworks from a `Value`, with the errors for a document that is not a lockfile.
fn general(doc: &Value) -> Result<Vec<Framework<'_>>, ExtractError> {
    let Some(obj) = doc.as_object() else {
        return Err(ExtractError::syntax(Some(1), "expected a JSON object"));
    };
    match obj.get("version").and_then(Value::as_u64) {
        Some(1 | 2) => {}
        Some(v) => return Err(ExtractError::Unsupported(v.to_string())),
        None => {
            return Err(ExtractError::syntax(
                Some(1),
                "`version` is missing: not a NuGet lockfile",
            ));
        }
    }
    let Some(frameworks) = obj.get("dependencies").and_then(Value::as_object) else {
        return Err(ExtractError::syntax(
            Some(1),
            "`dependencies` is missing or not an object",
        ));
    };
    Ok(frameworks
        .iter()
        .map(|(framework, packages)| Framework {
            name: framework,
            packages: packages.as_object().map(|packages| {
                packages
                    .iter()
                    .map(|(name, entry)| Package {
                        name,
                        at: None,
                        kind: entry.get("type").and_then(Value::as_str).unwrap_or(""),
                        resolved: entry.get("resolved").and_then(Value::as_str),
                        content_hash: entry.get("contentHash").and_then(Value::as_str),
                        dependencies: entry
                            .get("dependencies")
                            .and_then(Value::as_object)
                            .map(|d| d.keys().map(String::as_str).collect())
                            .unwrap_or_default(),
                    })
                    .collect()
            }),
        })
        .collect())
}

/// The typed reader: strings borrowed from the text where they have no escapes, and an error
/// (so the `Value` path reads the document) for anything that path would read differently: a
/// field of an unexpected type, a repeated key (a `Value` keeps the last value at the first
/// key's place), a version other than a plain integer.
mod fast {
    use std::borrow::Cow;
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{Deserializer, Error, IgnoredAny, MapAccess, Visitor};

    use crate::HashSet;

    #[derive(Deserialize)]
    pub(super) struct Doc<'a> {
        pub version: u64,
        #[serde(borrow)]
        dependencies: Map<'a, Map<'a, Entry<'a>>>,
    }

    #[derive(Deserialize)]
    struct Entry<'a> {
        #[serde(rename = "type", borrow)]
        kind: Option<Text<'a>>,
        #[serde(borrow)]
        resolved: Option<Text<'a>>,
        #[serde(rename = "contentHash", borrow)]
        content_hash: Option<Text<'a>>,
        #[serde(borrow)]
        dependencies: Option<Map<'a, IgnoredAny>>,
    }

    /// A string, borrowed from the text when it has no escapes.
    struct Text<'a>(Cow<'a, str>);

    impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Text<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a string")
                }
                fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                    Ok(Text(Cow::Borrowed(v)))
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Text<'de>, E> {
                    Ok(Text(Cow::Owned(v.to_owned())))
                }
            }
            d.deserialize_str(V)
        }
    }

    /// An object's members in order; a repeated key is an error.
    struct Map<'a, T>(Vec<(Text<'a>, T)>);

    impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Map<'a, T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(std::marker::PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = Map<'de, T>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Map<'de, T>, A::Error> {
                    let mut members: Vec<(Text<'de>, T)> =
                        Vec::with_capacity(m.size_hint().unwrap_or(0));
                    while let Some(key) = m.next_key::<Text<'de>>()? {
                        let value = m.next_value()?;
                        members.push((key, value));
                    }
                    // Small maps are checked pairwise, larger ones through a set.
                    let repeated = if members.len() <= 8 {
                        members
                            .iter()
                            .enumerate()
                            .any(|(i, (k, _))| members[..i].iter().any(|(j, _)| j.0 == k.0))
                    } else {
                        let mut seen = HashSet::default();
                        !members.iter().all(|(k, _)| seen.insert(&*k.0))
                    };
                    if repeated {
                        return Err(A::Error::custom("repeated key"));
                    }
                    Ok(Map(members))
                }
            }
            d.deserialize_map(V(std::marker::PhantomData))
        }
    }

    impl<'a> Doc<'a> {
        /// The frameworks, each package with the offset of its name in `text` when borrowed.
        pub(super) fn frameworks(&'a self, text: &str) -> Vec<super::Framework<'a>> {
            let offset = |t: &Text<'_>| match &t.0 {
                // A borrowed key is a slice of `text`: its offset is the distance between them.
                Cow::Borrowed(s) => (s.as_ptr() as usize)
                    .checked_sub(text.as_ptr() as usize)
                    .filter(|&at| at.saturating_add(s.len()) <= text.len()),
                Cow::Owned(_) => None,
            };
            self.dependencies
                .0
                .iter()
                .map(|(framework, packages)| super::Framework {
                    name: &framework.0,
                    packages: Some(
                        packages
                            .0
                            .iter()
                            .map(|(name, e)| super::Package {
                                name: &name.0,
                                at: offset(name),
                                kind: e.kind.as_ref().map_or("", |t| &*t.0),
                                resolved: e.resolved.as_ref().map(|t| &*t.0),
                                content_hash: e.content_hash.as_ref().map(|t| &*t.0),
                                dependencies: e
                                    .dependencies
                                    .iter()
                                    .flat_map(|d| d.0.iter().map(|(k, _)| &*k.0))
                                    .collect(),
                            })
                            .collect(),
                    ),
                })
                .collect()
        }
    }
}

/// The line of `"name": {` or `"name":{` at or after the cursor, advancing it, for a name the
/// fast reader borrowed from the text at byte `at`: when the key there is in one of those forms
/// and no other match ends before it, that key is what [`find_key`] would find, so it is taken
/// without building needles or searching; otherwise [`find_key`] decides.
fn find_key_at(index: &LineIndex<'_>, name: &str, at: usize, cursor: &mut usize) -> Option<u32> {
    let bytes = index.text().as_bytes();
    let after = at.saturating_add(name.len());
    let brace = match bytes.get(after..after.saturating_add(4)) {
        Some([b'"', b':', b'{', _]) => Some(after + 2),
        Some([b'"', b':', b' ', b'{']) => Some(after + 3),
        // The key closes the text's last bytes: `":{` with nothing after.
        None if bytes.get(after..) == Some(b"\":{") => Some(after + 2),
        _ => None,
    };
    let start = at.checked_sub(1);
    if let (Some(brace), Some(start)) = (brace, start)
        && start >= *cursor
        && bytes.get(start) == Some(&b'"')
        && let Some(gap) = bytes.get(*cursor..brace)
    {
        // An earlier match would end at an earlier `{`: look only at those.
        let ends_a_match = |b: usize| {
            let before = &gap[..b];
            let before = before.strip_suffix(b" ").unwrap_or(before);
            before
                .strip_suffix(b":")
                .and_then(|x| x.strip_suffix(b"\""))
                .and_then(|x| x.strip_suffix(name.as_bytes()))
                .and_then(|x| x.strip_suffix(b"\""))
                .is_some()
        };
        if !memchr::memchr_iter(b'{', gap).any(ends_a_match) {
            *cursor = brace + 1;
            return Some(index.line(start));
        }
    }
    find_key(index, name, cursor)
}

/// The line of `"name": {` at or after the cursor, advancing it.
fn find_key(index: &LineIndex<'_>, name: &str, cursor: &mut usize) -> Option<u32> {
    let found = [format!("\"{name}\": {{"), format!("\"{name}\":{{")]
        .iter()
        .filter_map(|n| index.find(n, *cursor))
        .min_by_key(|&(_, end)| end);
    found.map(|(line, end)| {
        *cursor = end;
        line
    })
}

/// The single .NET project file beside the lockfile, as the root component.
fn owning_project(input: &Input<'_>) -> Option<Component> {
    let dir = input.path.parent().unwrap_or(Path::new(""));
    let names = input.fs.list(dir).ok()?;
    let mut projects = names.iter().filter(|n| {
        [".csproj", ".fsproj", ".vbproj"]
            .iter()
            .any(|ext| n.ends_with(ext))
    });
    let file = projects.next()?;
    if projects.next().is_some() {
        return None;
    }
    let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
    let path = dir.join(file);
    Component::new(Ecosystem::NuGet, stem, None).ok().map(|c| {
        c.with_relationship(Relationship::Root)
            .with_source(Source::Path {
                path: path.to_string_lossy().replace('\\', "/"),
            })
            .at(path, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Scope;

    #[test]
    fn simple_tweaks_plugin() {
        let Some((ex, p)) = extract_shared(
            &NugetPackagesLock,
            "NuGet/SimpleTweaksPlugin/packages.lock.json",
        ) else {
            return;
        };
        // jq '[.dependencies[] | keys[]] | length' → 4 (3 packages + 1 project reference).
        assert_eq!(p.components.len(), 4);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        for want in [
            "pkg:nuget/DalamudPackager@14.0.1",
            "pkg:nuget/DotNet.ReproducibleBuilds@1.2.39",
            "pkg:nuget/SixLabors.ImageSharp@3.1.12",
            "pkg:nuget/kamitoolkit",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want} not in {purls:?}");
        }
        let get = |n: &str| p.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("kamitoolkit").relationship, Relationship::Root);
        assert_eq!(get("DalamudPackager").relationship, Relationship::Direct);
        assert_eq!(get("DalamudPackager").locations[0].line, Some(5));
        assert_eq!(
            get("SixLabors.ImageSharp").relationship,
            Relationship::Transitive
        );
        assert_eq!(get("SixLabors.ImageSharp").scope, Scope::Runtime);
        let h = &get("DalamudPackager").hashes[0];
        assert_eq!(h.value.len(), 128);
        assert!(h.value.starts_with("cb4596c9"), "{}", h.value);
        assert_eq!(
            p.edges,
            [Edge {
                from: "pkg:nuget/kamitoolkit".into(),
                to: "pkg:nuget/SixLabors.ImageSharp@3.1.12".into()
            }]
        );
    }

    #[test]
    fn bitwarden_api() {
        let Some((ex, p)) = extract_shared(
            &NugetPackagesLock,
            "NuGet/bitwarden-server/packages.lock.json",
        ) else {
            return;
        };
        // python3: 167 entries under net10.0 (14 Direct, 139 Transitive, 14 Project), 167
        // distinct lower-case names.
        assert_eq!(p.components.len(), 167);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let count = |r| p.components.iter().filter(|c| c.relationship == r).count();
        assert_eq!(count(Relationship::Direct), 14);
        assert_eq!(count(Relationship::Transitive), 139);
        assert_eq!(count(Relationship::Root), 14);
        let purls = purls(&p);
        for want in [
            "pkg:nuget/AspNetCore.HealthChecks.SqlServer@8.0.2",
            "pkg:nuget/Azure.Messaging.EventGrid@5.0.0",
            "pkg:nuget/Bitwarden.Server.Sdk.Features@1.4.0",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want}");
        }
        assert!(p.edges.contains(&Edge {
            from: "pkg:nuget/Azure.Messaging.EventGrid@5.0.0".into(),
            to: "pkg:nuget/Azure.Core@1.47.3".into()
        }));
        let sql = p
            .components
            .iter()
            .find(|c| c.name == "AspNetCore.HealthChecks.SqlServer")
            .unwrap();
        assert_eq!(sql.locations[0].line, Some(5));
    }

    #[test]
    fn frameworks_merge_and_root_project() {
        let lock = br#"{
  "version": 2,
  "dependencies": {
    "net8.0": {
      "Newtonsoft.Json": {"type": "Direct", "requested": "[13.0.3, )", "resolved": "13.0.3",
        "dependencies": {"System.Memory": "4.5.0"}},
      "System.Memory": {"type": "CentralTransitive", "requested": "[4.5.5, )", "resolved": "4.5.5"}
    },
    "net8.0/linux-x64": {
      "Newtonsoft.Json": {"type": "Direct", "requested": "[13.0.3, )", "resolved": "13.0.3"},
      "Broken": {"type": "Transitive"}
    }
  }
}"#;
        let ex = extract_bytes(
            &NugetPackagesLock,
            "src/App/packages.lock.json",
            lock,
            &[("src/App/App.csproj", b"<Project/>")],
        )
        .unwrap();
        let names: Vec<&str> = ex.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Newtonsoft.Json", "System.Memory", "App"]);
        assert_eq!(
            ex.components[0].locations.len(),
            2,
            "merged across frameworks"
        );
        assert_eq!(ex.components[1].relationship, Relationship::Transitive);
        assert_eq!(ex.components[2].relationship, Relationship::Root);
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(11));
        assert_eq!(ex.edges.len(), 2);
    }

    #[test]
    fn errors() {
        let err = extract_err(
            &NugetPackagesLock,
            "packages.lock.json",
            br#"{"version": 3, "dependencies": {}}"#,
        );
        assert_eq!(err, ExtractError::Unsupported("3".into()));
        let err = extract_err(
            &NugetPackagesLock,
            "packages.lock.json",
            b"{\n\"version\": 1,\n\"dependencies\": {\n",
        );
        assert_eq!(err.line(), Some(4), "{err}");
    }

    /// The `Value` path, for comparing the typed one against.
    const GENERAL: Reading = Reading {
        like: &NugetPackagesLock,
        read: |input| extract_lock(input, false),
    };

    fn same_both_ways(lock: &[u8]) {
        assert_same(
            &NugetPackagesLock,
            &GENERAL,
            "packages.lock.json",
            lock,
            &[("App.csproj", b"<Project/>")],
        );
    }

    #[test]
    fn typed_reader_matches_value_path_on_corpus() {
        for rel in [
            "NuGet/SimpleTweaksPlugin/packages.lock.json",
            "NuGet/bitwarden-server/packages.lock.json",
        ] {
            let Some((fast, _)) = extract_shared(&NugetPackagesLock, rel) else {
                return;
            };
            let (general, _) = extract_shared(&GENERAL, rel).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{rel}");
            let text = std::fs::read_to_string(shared_data().unwrap().join("lockfiles").join(rel))
                .unwrap();
            assert!(
                serde_json::from_str::<fast::Doc<'_>>(&text).is_ok(),
                "{rel}"
            );
        }
    }

    #[test]
    fn typed_reader_leaves_odd_documents_to_the_value_path() {
        for lock in [
            // Repeated keys: a `Value` keeps the last value at the first key's place.
            r#"{"version": 1, "dependencies": {"net8.0": {"A": {"type": "Direct", "resolved": "1.0.0"}, "A": {"type": "Transitive", "resolved": "2.0.0"}}}}"#,
            r#"{"version": 1, "version": 2, "dependencies": {}}"#,
            r#"{"version": 1, "dependencies": {"net8.0": {"A": {"resolved": "1.0.0", "dependencies": {"B": "1", "B": "2"}}}}}"#,
            // Wrong types, which the `Value` path reads as absent.
            r#"{"version": 1, "dependencies": {"net8.0": {"A": {"type": 3, "resolved": "1.0.0"}, "B": [1], "C": {"resolved": "1", "dependencies": [1]}}}}"#,
            r#"{"version": 1, "dependencies": {"net8.0": 3, "net9.0": {}}}"#,
            r#"{"version": 1.0, "dependencies": {}}"#,
            r#"{"version": 3, "dependencies": {}}"#,
            r#"{"version": 2}"#,
            r#"[1]"#,
            // Keys written so that the borrowed key is not the first `"name": {` after the
            // cursor, or not in that form at all.
            "{\"version\": 1, \"dependencies\": {\"net8.0\": {\"A\" : {\"resolved\": \"1.0.0\"}, \"B\":\n{\"resolved\": \"1\", \"x\": {\"C\": {}}}, \"C\":{\"resolved\": \"2\"}, \"D\": {\"resolved\": \"3\", \"dependencies\": {\"C\": \"2\"}}}}}",
            "{\"version\": 2, \"dependencies\": {\"net8.0\": {\"dependencies\": {\"resolved\": \"1\", \"dependencies\": {\"A\": \"1\"}}, \"A\": {\"resolved\": \"1\"}, \"\\u0042\": {\"resolved\": \"1\"}}}}",
        ] {
            same_both_ways(lock.as_bytes());
        }
    }

    proptest::proptest! {
        #[test]
        fn generated_locks_read_the_same_both_ways(
            frameworks in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["net8.0", "net8.0/linux-x64", "A", "net6.0"]),
                    proptest::collection::vec(
                        (
                            proptest::sample::select(vec!["A", "B", "b", "Microsoft.Extensions.Logging", "dependencies", "C\\\"D"]),
                            proptest::sample::select(vec!["", "\"type\": \"Direct\", ", "\"type\": \"Project\", ", "\"type\": \"CentralTransitive\", ", "\"type\": null, "]),
                            proptest::sample::select(vec!["", "\"resolved\": \"1.2.3\", ", "\"resolved\": \"\", ", "\"resolved\": 1, "]),
                            proptest::sample::select(vec!["", "\"contentHash\": \"AAAA\", "]),
                            proptest::sample::select(vec!["", "\"dependencies\": {\"A\": \"[1.0.0, )\"}, ", "\"dependencies\": {\"b\": \"1\", \"Z\": \"2\"}, "]),
                            proptest::sample::select(vec![": {", ":{", " : {", ":\n{"]),
                        ),
                        0..6,
                    ),
                ),
                0..3,
            ),
        ) {
            let mut lock = String::from("{\n  \"version\": 2,\n  \"dependencies\": {");
            for (i, (framework, packages)) in frameworks.iter().enumerate() {
                let comma = if i == 0 { "" } else { "," };
                lock.push_str(&format!("{comma}\n    \"{framework}\": {{"));
                for (j, (name, kind, resolved, hash, deps, colon)) in packages.iter().enumerate() {
                    let comma = if j == 0 { "" } else { "," };
                    lock.push_str(&format!(
                        "{comma}\n      \"{name}\"{colon}{kind}{resolved}{hash}{deps}\"requested\": \"x\"}}"
                    ));
                }
                lock.push_str("\n    }");
            }
            lock.push_str("\n  }\n}\n");
            same_both_ways(lock.as_bytes());
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&NugetPackagesLock, "packages.lock.json", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..300) {
            let lock = br#"{"version":1,"dependencies":{"net8.0":{"A":{"type":"Direct","resolved":"1.0.0","contentHash":"AAAA","dependencies":{"B":"1"}},"B":{"type":"Transitive","resolved":"1"}}}}"#;
            let end = cut.min(lock.len());
            let _ = extract_bytes(&NugetPackagesLock, "packages.lock.json", &lock[..end], &[]);
        }
    }
}
