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
        let text = input.text()?;
        let doc: Value = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
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

        let index = LineIndex::new(text);
        let mut out = Extraction::default();
        let mut by_purl: HashMap<Arc<str>, usize> = HashMap::default();
        let mut direct: Vec<Arc<str>> = Vec::new();
        // serde_json keeps member order, so a forward search finds each key's line in one pass.
        let mut cursor = 0;
        for (framework, packages) in frameworks {
            cursor = index
                .find(&format!("\"{framework}\""), cursor)
                .map_or(cursor, |(_, end)| end);
            let Some(packages) = packages.as_object() else {
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
            for (name, entry) in packages {
                let line = find_key(&index, name, &mut cursor);
                let kind = entry.get("type").and_then(Value::as_str).unwrap_or("");
                let resolved = entry.get("resolved").and_then(Value::as_str);
                let built = if kind == "Project" {
                    Component::new(Ecosystem::NuGet, name, None).map(|c| {
                        c.with_relationship(Relationship::Root)
                            .with_source(Source::Path { path: name.clone() })
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
                        out.diagnostics.push(input.diagnostic(
                            ID,
                            Level::Error,
                            line,
                            e.to_string(),
                        ));
                        continue;
                    }
                };
                if let Some(b64) = entry.get("contentHash").and_then(Value::as_str) {
                    c = c.with_hash(Hash::from_sri(&format!("sha512-{b64}")));
                }
                c = c.at(input.path, line);
                let key = c.key();
                if matches!(kind, "Direct" | "Project") {
                    direct.push(key.clone());
                }
                local.insert(name.to_ascii_lowercase(), key.clone());
                let dep_names = entry
                    .get("dependencies")
                    .and_then(Value::as_object)
                    .map(|d| d.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                deps.push((key.clone(), dep_names, line));
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
                            format!(
                                "a dependency `{name}` is not locked for framework `{framework}`"
                            ),
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

    proptest::proptest! {
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
