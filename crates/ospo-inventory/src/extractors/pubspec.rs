//! Dart/Flutter `pubspec.lock`, paired with the `pubspec.yaml` beside it (and, for a pub
//! workspace, its members' `pubspec.yaml` files).
//!
//! Each package records how the root uses it (`direct main`, `direct dev`, `direct overridden`,
//! `transitive`), its source (`hosted` with the registry URL and sha256, `git` with the resolved
//! commit, `path`, `sdk`) and its version. The lockfile records no graph: edges go only from the
//! root package(s) to what their manifests name. Transitive packages are runtime: the file does
//! not say whether only dev packages pull them in.
//!
//! `sdk` packages (`flutter`, `flutter_test`, …) ship inside the Flutter SDK: they are kept as
//! components (the project does use them, as osv-scanner keeps them) but without a version, since
//! the lockfile's `0.0.0` is a placeholder, not the version of the SDK in use.

use crate::HashMap;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Edge, Hash, Level, Relationship, Scope, Source};
use serde::Deserialize;
use serde_json::Value;

use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct PubspecLock;

const ID: &str = "pubspec-lock";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Option<serde_json::Map<String, Value>>,
}

/// A package as serde reads it (the general path; see [`from_tree`] for the fast one).
#[derive(Deserialize)]
struct PackageDe {
    dependency: Option<String>,
    #[serde(default)]
    description: Description,
    source: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Description {
    Details(DetailsDe),
    /// `sdk` packages: the SDK's name; anything else unknown.
    Other(serde::de::IgnoredAny),
    #[default]
    None,
}

#[derive(Deserialize)]
struct DetailsDe {
    url: Option<String>,
    sha256: Option<String>,
    path: Option<String>,
    #[serde(rename = "resolved-ref")]
    resolved_ref: Option<String>,
    #[serde(rename = "ref")]
    git_ref: Option<String>,
}

/// A package entry, borrowed from whichever reader read it.
#[derive(Default)]
struct Package<'a> {
    dependency: Option<&'a str>,
    /// `Some` when `description` is a mapping whose fields are all strings (or absent).
    details: Option<Details<'a>>,
    source: Option<&'a str>,
    version: Option<&'a str>,
}

#[derive(Default)]
struct Details<'a> {
    url: Option<&'a str>,
    sha256: Option<&'a str>,
    path: Option<&'a str>,
    resolved_ref: Option<&'a str>,
    git_ref: Option<&'a str>,
}

impl PackageDe {
    fn borrow(&self) -> Package<'_> {
        Package {
            dependency: self.dependency.as_deref(),
            details: match &self.description {
                Description::Details(d) => Some(Details {
                    url: d.url.as_deref(),
                    sha256: d.sha256.as_deref(),
                    path: d.path.as_deref(),
                    resolved_ref: d.resolved_ref.as_deref(),
                    git_ref: d.git_ref.as_deref(),
                }),
                _ => None,
            },
            source: self.source.as_deref(),
            version: self.version.as_deref(),
        }
    }
}

/// A root package read from a `pubspec.yaml`.
struct Root {
    component: Component,
    /// The packages it names, with the scope they are named under.
    deps: HashMap<String, Scope>,
}

impl Extractor for PubspecLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Pub
    }
    fn files(&self) -> &'static str {
        "pubspec.lock with the pubspec.yaml beside it (and pub workspace members)"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("pubspec.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "pubspec.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        extract_lock(input, true)
    }
}

/// The extraction, through the fast reader's tree when `fast` (and the document is one it fully
/// understands), else through the general path: a `Value` per package, then serde. Both give
/// the same result (the tests compare them); the fast one builds no `Value` and copies no string
/// it does not keep, for a fraction of the time.
fn extract_lock(input: &Input<'_>, fast: bool) -> Result<Extraction, ExtractError> {
    let text = input.text()?;
    let tree = if !fast || text.trim().is_empty() {
        None
    } else {
        crate::yaml::parse(text)
    };
    let general: Vec<(String, Result<PackageDe, serde_json::Error>)>;
    let packages: Vec<(&str, Result<Package<'_>, &serde_json::Error>)> =
        match tree.as_ref().and_then(from_tree) {
            Some(packages) => packages,
            None => {
                let lock: Lock = if text.trim().is_empty() {
                    Lock { packages: None }
                } else {
                    crate::yaml::from_str(text)?
                };
                general = lock
                    .packages
                    .into_iter()
                    .flatten()
                    .map(|(name, value)| (name, serde_json::from_value(value)))
                    .collect();
                general
                    .iter()
                    .map(|(name, p)| (name.as_str(), p.as_ref().map(PackageDe::borrow)))
                    .collect()
            }
        };
    let mut out = Extraction::default();
    let lines = package_lines(text);
    let roots = read_roots(input, &mut out);
    let mut purl_of: HashMap<&str, Arc<str>> = HashMap::default();

    for (name, p) in packages {
        let line = lines.get(name).copied();
        let p = match p {
            Ok(p) => p,
            Err(e) => {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    line,
                    format!("`{name}` ignored: {e}"),
                ));
                continue;
            }
        };
        let source = p.source.unwrap_or("");
        let version = if source == "sdk" { None } else { p.version };
        if version.is_none() && source != "sdk" {
            out.diagnostics.push(input.diagnostic(
                ID,
                Level::Error,
                line,
                format!("`{name}` has no version"),
            ));
            continue;
        }
        let mut c = match Component::new(Ecosystem::Pub, name, version) {
            Ok(c) => c,
            Err(e) => {
                out.diagnostics
                    .push(input.diagnostic(ID, Level::Error, line, e.to_string()));
                continue;
            }
        };
        let details = p.details.as_ref();
        let dependency = p.dependency.unwrap_or("");
        c.relationship = match dependency {
            d if d.starts_with("direct") => Relationship::Direct,
            "transitive" => Relationship::Transitive,
            _ => Relationship::Unknown,
        };
        c.scope = match dependency {
            "direct dev" => Scope::Dev,
            // An override applies to whatever names the package: dev only if every root
            // that names it does so as a dev dependency.
            "direct overridden" => {
                let named: Vec<Scope> = roots
                    .iter()
                    .filter_map(|r| r.deps.get(name).copied())
                    .collect();
                if !named.is_empty() && named.iter().all(|&s| s == Scope::Dev) {
                    Scope::Dev
                } else {
                    Scope::Runtime
                }
            }
            _ => Scope::Runtime,
        };
        c.source = match (source, details) {
            ("hosted", d) => Source::Registry {
                url: d.and_then(|d| d.url).map(str::to_owned),
            },
            ("git", Some(d)) => match d.url {
                Some(url) => Source::Git {
                    url: url.to_owned(),
                    rev: d.resolved_ref.or(d.git_ref).map(str::to_owned),
                },
                None => Source::Unknown,
            },
            (
                "path",
                Some(Details {
                    path: Some(path), ..
                }),
            ) => Source::Path {
                path: (*path).to_owned(),
            },
            _ => Source::Unknown,
        };
        if let Some(sum) = details.and_then(|d| d.sha256) {
            c = c.with_hash(Hash::from_hex("sha256", sum));
        }
        c = c.at(input.path, line);
        purl_of.insert(name, c.key());
        out.components.push(c);
    }

    for root in roots {
        let from = root.component.key();
        let mut deps: Vec<&String> = root.deps.keys().collect();
        deps.sort();
        for dep in deps {
            if let Some(to) = purl_of.get(dep.as_str()) {
                out.edges.push(Edge {
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
        out.components.push(root.component);
    }
    if out
        .components
        .iter()
        .any(|c| c.relationship == Relationship::Root)
    {
        out.manifest = Some(input.sibling("pubspec.yaml"));
    }
    Ok(out)
}

/// The packages from the fast reader's tree, or `None` where the document holds something the
/// general path must read to give the same result: a root or `packages` that is not a mapping,
/// a package that is not a mapping, or a field that is not a string (serde's error or an
/// untagged `description` then decides).
fn from_tree<'t>(
    t: &'t crate::yaml::Tree<'_>,
) -> Option<Vec<(&'t str, Result<Package<'t>, &'static serde_json::Error>)>> {
    use crate::yaml::Node;
    /// A string field as serde reads it: absent or null is `None`; a plain scalar serde might
    /// type as a bool or a number is not understood here.
    fn text<'t>(node: &'t Node<'_>) -> Option<Option<&'t str>> {
        match node {
            Node::Null => Some(None),
            Node::Str(s) => Some(Some(s)),
            n @ Node::Plain(p) if !n.maybe_not_a_string() => Some(Some(p)),
            _ => None,
        }
    }
    let root = t.root();
    t.entries(root)?;
    let entries = match t.get(root, "packages") {
        None | Some(Node::Null) => &[][..],
        Some(n) => t.entries(n)?,
    };
    let mut packages = Vec::with_capacity(entries.len());
    for e in entries {
        let mut p = Package::default();
        for f in t.entries(&e.value)? {
            match f.key.as_ref() {
                "dependency" => p.dependency = text(&f.value)?,
                "source" => p.source = text(&f.value)?,
                "version" => p.version = text(&f.value)?,
                "description" => {
                    p.details = match &f.value {
                        n @ Node::Map(_) => {
                            let mut d = Details::default();
                            for g in t.entries(n)? {
                                match g.key.as_ref() {
                                    "url" => d.url = text(&g.value)?,
                                    "sha256" => d.sha256 = text(&g.value)?,
                                    "path" => d.path = text(&g.value)?,
                                    "resolved-ref" => d.resolved_ref = text(&g.value)?,
                                    "ref" => d.git_ref = text(&g.value)?,
                                    _ => {}
                                }
                            }
                            Some(d)
                        }
                        // serde's untagged `Description::Other`: whatever it holds.
                        _ => None,
                    }
                }
                _ => {}
            }
        }
        packages.push((e.key.as_ref(), Ok(p)));
    }
    Some(packages)
}

/// The line of each `  name:` key under `packages:` (pub writes the file in this shape).
fn package_lines(text: &str) -> HashMap<&str, u32> {
    let mut lines = HashMap::default();
    let mut in_packages = false;
    // `str::lines`, but with `memchr` finding the line ends (a char-by-char search was a tenth
    // of the extractor's time): lines end at `\n` or `\r\n`, and a final empty line is none.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for (n, end) in ends.enumerate() {
        let Some(line) = text.get(start..end) else {
            break;
        };
        if end == text.len() && line.is_empty() {
            break;
        }
        let line = match line.strip_suffix('\r') {
            Some(l) if end < text.len() => l,
            _ => line,
        };
        start = end + 1;
        if !line.starts_with(' ') && !line.is_empty() {
            in_packages = line.trim_end() == "packages:";
            continue;
        }
        if in_packages
            && let Some(key) = line.strip_prefix("  ")
            && !key.starts_with(' ')
            && let Some(name) = key.trim_end().strip_suffix(':')
        {
            let name = name.trim_matches(['"', '\'']);
            lines.insert(name, u32::try_from(n + 1).unwrap_or(u32::MAX));
        }
    }
    lines
}

/// The `pubspec.yaml` beside the lockfile and those of its workspace members.
fn read_roots(input: &Input<'_>, out: &mut Extraction) -> Vec<Root> {
    let dir = input.path.parent().unwrap_or(Path::new(""));
    let mut roots = Vec::new();
    let Some(top) = read_pubspec(input, dir, out) else {
        return roots;
    };
    let members: Vec<String> = top
        .get("workspace")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    roots.extend(root_of(&top, dir));
    for m in members {
        let member_dir = dir.join(&m);
        if let Some(doc) = read_pubspec(input, &member_dir, out) {
            roots.extend(root_of(&doc, &member_dir));
        }
    }
    roots
}

fn read_pubspec(input: &Input<'_>, dir: &Path, out: &mut Extraction) -> Option<Value> {
    let path = dir.join("pubspec.yaml");
    let parsed = match input.fs.read(&path) {
        Ok(bytes) => std::str::from_utf8(&bytes)
            .map_err(|e| ExtractError::syntax(None, e))
            .and_then(crate::yaml::from_str::<Value>),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => Err(ExtractError::syntax(None, e)),
    };
    match parsed {
        Ok(v) if v.is_object() => Some(v),
        Ok(_) => None,
        Err(e) => {
            out.diagnostics.push(ospo_model::Diagnostic::new(
                Level::Warning,
                ID,
                &path,
                e.line(),
                format!("manifest ignored: {e}"),
            ));
            None
        }
    }
}

fn root_of(doc: &Value, dir: &Path) -> Option<Root> {
    let name = doc.get("name")?.as_str()?;
    let version = doc.get("version").and_then(Value::as_str);
    let path = dir.join("pubspec.yaml");
    let component = Component::new(Ecosystem::Pub, name, version)
        .ok()?
        .with_relationship(Relationship::Root)
        .with_source(Source::Path {
            path: if dir.as_os_str().is_empty() {
                ".".to_owned()
            } else {
                dir.to_string_lossy().replace('\\', "/")
            },
        })
        .at(path, None);
    let mut deps = HashMap::default();
    for (key, scope) in [
        ("dependencies", Scope::Runtime),
        ("dev_dependencies", Scope::Dev),
        ("dependency_overrides", Scope::Runtime),
    ] {
        for dep in doc
            .get(key)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let e = deps.entry(dep.0.clone()).or_insert(scope);
            if key == "dependencies" {
                *e = Scope::Runtime;
            }
        }
    }
    // An override alone does not tell the scope: keep the one the package is named under.
    if let Some(o) = doc.get("dependency_overrides").and_then(Value::as_object) {
        for name in o.keys() {
            let named_dev = doc
                .get("dev_dependencies")
                .and_then(Value::as_object)
                .is_some_and(|d| d.contains_key(name));
            let named_main = doc
                .get("dependencies")
                .and_then(Value::as_object)
                .is_some_and(|d| d.contains_key(name));
            if named_dev && !named_main {
                deps.insert(name.clone(), Scope::Dev);
            }
        }
    }
    Some(Root { component, deps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;

    /// `grep -c '^  [^ ]' pubspec.lock`: the 2-space keys under `packages:` (the file's only
    /// other top-level block, `sdks:`, also has 2-space keys: dart and flutter).
    fn package_keys(rel: &str) -> usize {
        let text =
            std::fs::read_to_string(shared_data().unwrap().join("lockfiles").join(rel)).unwrap();
        let sdks = text.split("\nsdks:").nth(1).map_or(0, |s| {
            s.lines()
                .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
                .count()
        });
        text.lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .count()
            - sdks
    }

    #[test]
    fn gallery() {
        let Some((ex, p)) = extract_shared(&PubspecLock, "Pub/gallery/pubspec.lock") else {
            return;
        };
        // grep -c '^  [^ ]' → 107 package keys (109 minus the 2 `sdks:` entries) + the root.
        assert_eq!(package_keys("Pub/gallery/pubspec.lock"), 105);
        assert_eq!(ex.components.len(), 105 + 1);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        for want in [
            "pkg:pub/gallery@2.10.2%2B021002",
            "pkg:pub/adaptive_breakpoints@0.1.7",
            "pkg:pub/_fe_analyzer_shared@61.0.0",
            "pkg:pub/flutter",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want} not in {purls:?}");
        }
        let get = |n: &str| p.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("gallery").relationship, Relationship::Root);
        let ab = get("adaptive_breakpoints");
        assert_eq!(ab.relationship, Relationship::Direct);
        assert_eq!(ab.scope, Scope::Runtime);
        assert_eq!(ab.locations[0].line, Some(12));
        assert_eq!(ab.hashes.len(), 1);
        assert_eq!(
            ab.source,
            Source::Registry {
                url: Some("https://pub.dev".into())
            }
        );
        assert_eq!(get("args").scope, Scope::Dev);
        assert_eq!(get("analyzer").relationship, Relationship::Transitive);
        assert_eq!(get("flutter").version, None);
        assert!(p.edges.contains(&Edge {
            from: "pkg:pub/gallery@2.10.2%2B021002".into(),
            to: "pkg:pub/adaptive_breakpoints@0.1.7".into()
        }));
        let direct = p
            .components
            .iter()
            .filter(|c| c.relationship == Relationship::Direct)
            .count();
        // grep -c 'dependency: "direct' gallery/pubspec.lock
        let text = std::fs::read_to_string(
            shared_data()
                .unwrap()
                .join("lockfiles/Pub/gallery/pubspec.lock"),
        )
        .unwrap();
        assert_eq!(direct, text.matches("dependency: \"direct").count());
    }

    #[test]
    fn localsend_workspace() {
        let Some((ex, p)) = extract_shared(&PubspecLock, "Pub/localsend/pubspec.lock") else {
            return;
        };
        assert_eq!(package_keys("Pub/localsend/pubspec.lock"), 259);
        // 259 packages + the workspace root (members' pubspecs are not in the corpus).
        assert_eq!(p.components.len(), 259 + 1);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let get = |n: &str| p.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("_localsend_workspace").relationship, Relationship::Root);
        let device_apps = get("device_apps");
        assert_eq!(
            device_apps.source,
            Source::Git {
                url: "https://github.com/Tienisto/device_apps.git".into(),
                rev: Some("5dc7956d938541254d2e175766b3b84ea38bb85b".into())
            }
        );
        assert_eq!(device_apps.version.as_deref(), Some("2.2.0"));
        let rust_lib = p
            .components
            .iter()
            .find(|c| {
                c.source
                    == Source::Path {
                        path: "packages/localsend_isolates/rust_builder".into(),
                    }
            })
            .unwrap();
        assert_eq!(rust_lib.locations[0].line, Some(1371));
        assert!(purls(&p).contains(&"pkg:pub/yaru_window_web@0.0.4".to_owned()));
    }

    #[test]
    fn overrides_and_bad_entries() {
        let lock = br#"# Generated by pub
packages:
  lints:
    dependency: "direct overridden"
    description:
      name: lints
      sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
      url: "https://pub.dev"
    source: hosted
    version: "3.0.0"
  broken:
    dependency: transitive
    source: hosted
  local:
    dependency: "direct main"
    description:
      path: "../local"
      relative: true
    source: path
    version: "0.1.0"
sdks:
  dart: ">=3.0.0 <4.0.0"
"#;
        let pubspec = b"name: app\ndependencies:\n  local:\n    path: ../local\ndev_dependencies:\n  lints: ^2.0.0\ndependency_overrides:\n  lints: 3.0.0\n";
        let ex = extract_bytes(
            &PubspecLock,
            "app/pubspec.lock",
            lock,
            &[("app/pubspec.yaml", pubspec)],
        )
        .unwrap();
        let get = |n: &str| ex.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("lints").scope, Scope::Dev);
        assert_eq!(get("lints").relationship, Relationship::Direct);
        assert_eq!(get("lints").locations[0].line, Some(3));
        assert_eq!(
            get("local").source,
            Source::Path {
                path: "../local".into()
            }
        );
        assert_eq!(get("app").relationship, Relationship::Root);
        assert_eq!(get("app").version, None);
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(11));
        assert_eq!(ex.edges.len(), 2);
        assert_eq!(ex.manifest.as_deref(), Some(Path::new("app/pubspec.yaml")));
    }

    #[test]
    fn broken_yaml_names_the_line() {
        let err = extract_err(
            &PubspecLock,
            "pubspec.lock",
            b"packages:\n  a:\n    version: \"1\n  b: [\n",
        );
        assert!(err.line().is_some(), "{err}");
        let err = extract_err(&PubspecLock, "pubspec.lock", b"packages: 3\n");
        assert!(matches!(err, ExtractError::Syntax { .. }));
    }

    /// The general path, for comparing the fast one against.
    const GENERAL: Reading = Reading {
        like: &PubspecLock,
        read: |input| extract_lock(input, false),
    };

    /// Both paths on the same bytes: equal extractions, or equal errors.
    fn same_both_ways(lock: &[u8], pubspec: &[u8]) {
        assert_same(
            &PubspecLock,
            &GENERAL,
            "pubspec.lock",
            lock,
            &[("pubspec.yaml", pubspec)],
        );
    }

    #[test]
    fn fast_reader_matches_general_path_on_corpus() {
        for rel in ["Pub/gallery/pubspec.lock", "Pub/localsend/pubspec.lock"] {
            let Some((fast, _)) = extract_shared(&PubspecLock, rel) else {
                return;
            };
            let (general, _) = extract_shared(&GENERAL, rel).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{rel}");
            // And the fast reader did read it (else this compares the general path with itself).
            let text = std::fs::read_to_string(shared_data().unwrap().join("lockfiles").join(rel))
                .unwrap();
            assert!(
                crate::yaml::parse(&text)
                    .as_ref()
                    .and_then(from_tree)
                    .is_some()
            );
        }
    }

    #[test]
    fn fast_reader_leaves_odd_entries_to_the_general_path() {
        let pubspec = b"name: app\ndependencies:\n  a: any\n";
        for lock in [
            // Not strings where serde wants one: its error (a diagnostic) must be the same.
            "packages:\n  a:\n    version: 1.0\n    source: hosted\n",
            "packages:\n  a:\n    version: yes\n",
            "packages:\n  a:\n    version: [1]\n",
            "packages:\n  a:\n    version: \"1\"\n    dependency: {x: 1}\n",
            "packages:\n  a: 3\n",
            "packages:\n  a:\n",
            "packages: [a]\n",
            "packages:\n",
            "- packages\n",
            "# nothing\n",
            // `description` shapes: untagged `Details` or `Other`.
            "packages:\n  a:\n    description: {url: 3}\n    source: hosted\n    version: \"1\"\n",
            "packages:\n  a:\n    description: [x]\n    source: git\n    version: \"1\"\n",
            "packages:\n  a:\n    description: ~\n    source: hosted\n    version: \"1\"\n",
            "packages:\n  a:\n    description: {}\n    source: git\n    version: \"1\"\n",
            "packages:\n  a:\n    description:\n      url: u\n      ref: r\n    source: git\n    version: \"1\"\n",
            "packages:\n  a:\n    description:\n      path: p\n      sha256: 0x1f\n    source: path\n    version: \"1\"\n",
            "packages:\n  \"a\":\n    source: sdk\n  'b':\n    version: \"2\"\n\r\n",
        ] {
            same_both_ways(lock.as_bytes(), pubspec);
        }
    }

    /// `package_lines` as it was written before it used `memchr`.
    fn package_lines_by_str_lines(text: &str) -> HashMap<&str, u32> {
        let mut lines = HashMap::default();
        let mut in_packages = false;
        for (n, line) in text.lines().enumerate() {
            if !line.starts_with(' ') && !line.is_empty() {
                in_packages = line.trim_end() == "packages:";
                continue;
            }
            if in_packages
                && let Some(key) = line.strip_prefix("  ")
                && !key.starts_with(' ')
                && let Some(name) = key.trim_end().strip_suffix(':')
            {
                let name = name.trim_matches(['"', '\'']);
                lines.insert(name, u32::try_from(n + 1).unwrap_or(u32::MAX));
            }
        }
        lines
    }

    proptest::proptest! {
        #[test]
        fn package_lines_split_as_str_lines(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["packages:", "sdks:", "  a:", "  \"b\":", "   c:", "\n", "\r\n", "\r", " ", ""]),
                0..24,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(package_lines(&text), package_lines_by_str_lines(&text));
        }

        #[test]
        fn generated_locks_read_the_same_both_ways(
            entries in proptest::collection::vec(
                (
                    "[a-z_]{1,6}",
                    proptest::sample::select(vec!["", "    dependency: \"direct main\"\n", "    dependency: \"direct dev\"\n", "    dependency: \"direct overridden\"\n", "    dependency: transitive\n", "    dependency: 7\n"]),
                    proptest::sample::select(vec!["", "    description: flutter\n", "    description:\n      name: x\n      sha256: \"ab12\"\n      url: \"https://pub.dev\"\n", "    description:\n      path: \"../x\"\n      relative: true\n", "    description:\n      url: \"https://g/x.git\"\n      resolved-ref: abc\n      ref: main\n", "    description: {url: 1.5}\n"]),
                    proptest::sample::select(vec!["", "    source: hosted\n", "    source: git\n", "    source: path\n", "    source: sdk\n", "    source: on\n"]),
                    proptest::sample::select(vec!["", "    version: \"1.2.3\"\n", "    version: 1.2.3\n", "    version: 2\n", "    version: \"0.0.0\"\n", "    version: ~\n"]),
                ),
                0..8,
            ),
            deps in proptest::sample::select(vec!["", "dependencies:\n  a: any\n", "dev_dependencies:\n  b: any\ndependency_overrides:\n  b: 1.0.0\n"]),
        ) {
            let mut lock = String::from("# Generated by pub\npackages:\n");
            for (name, dep, desc, source, version) in &entries {
                lock.push_str(&format!("  {name}:\n{dep}{desc}{source}{version}"));
            }
            lock.push_str("sdks:\n  dart: \">=3.0.0 <4.0.0\"\n");
            let pubspec = format!("name: app\n{deps}");
            same_both_ways(lock.as_bytes(), pubspec.as_bytes());
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&PubspecLock, "pubspec.lock", &bytes, &[("pubspec.yaml", &bytes)]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..400) {
            let lock = b"packages:\n  a:\n    dependency: \"direct main\"\n    description:\n      name: a\n      sha256: abc\n      url: \"https://pub.dev\"\n    source: hosted\n    version: \"1.0.0\"\n  f:\n    dependency: transitive\n    description: flutter\n    source: sdk\n    version: \"0.0.0\"\nsdks:\n  dart: \">=3.0.0\"\n";
            let end = cut.min(lock.len());
            let _ = extract_bytes(&PubspecLock, "pubspec.lock", &lock[..end], &[("pubspec.yaml", b"name: x\ndependencies:\n  a: any\n")]);
        }
    }
}
