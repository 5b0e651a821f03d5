//! `composer.lock`, paired with the `composer.json` beside it.
//!
//! The lockfile splits packages into `packages` (runtime) and `packages-dev` (dev) itself, so
//! scopes need no propagation; each package's `require` gives the graph. The manifest gives the
//! root (its `name`) and which packages are direct (`require`, `require-dev`).
//!
//! Versions are kept exactly as written (`v5.4.47`), as osv-scanner and Composer itself do: the
//! Packagist version comparison ignores a leading `v`, so advisory matching must too.
//! Platform requirements (`php`, `ext-*`, `lib-*`, `composer-plugin-api`: names without a `/`) are
//! not components. Requirements satisfied through another package's `provide`/`replace` become
//! edges to that package.

use crate::{HashMap, HashSet};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Edge, Hash, Level, Relationship, Scope, Source};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct ComposerLock;

const ID: &str = "composer-lock";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Vec<Value>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Vec<Value>,
}

/// A package. Its strings are borrowed from the lockfile by the fast reader (no allocation per
/// string); the general reader, which reads from a `Value`, owns them.
#[derive(Deserialize)]
struct Package<'a> {
    name: Cow<'a, str>,
    version: Cow<'a, str>,
    source: Option<Location<'a>>,
    dist: Option<Location<'a>>,
    #[serde(rename = "notification-url")]
    notification_url: Option<Cow<'a, str>>,
    #[serde(default)]
    license: Licenses<'a>,
    #[serde(default)]
    require: Names<'a>,
    #[serde(default)]
    provide: Names<'a>,
    #[serde(default)]
    replace: Names<'a>,
}

#[derive(Deserialize)]
struct Location<'a> {
    #[serde(rename = "type")]
    kind: Option<Cow<'a, str>>,
    url: Option<Cow<'a, str>>,
    reference: Option<Cow<'a, str>>,
    shasum: Option<Cow<'a, str>>,
}

/// `license` is an array, but a plain string appears in old lockfiles.
#[derive(Deserialize)]
#[serde(untagged)]
enum Licenses<'a> {
    Many(Vec<Cow<'a, str>>),
    One(Cow<'a, str>),
    Other(IgnoredAny),
}

impl Default for Licenses<'_> {
    fn default() -> Self {
        Licenses::Other(IgnoredAny)
    }
}

/// A `require`-like object; an empty one is written `[]` by PHP.
#[derive(Deserialize)]
#[serde(untagged)]
enum Names<'a> {
    Map(serde_json::Map<String, Value>),
    /// The fast reader's: the names in file order, a repeated one kept at its first place (as
    /// in a `Map`).
    #[serde(skip)]
    Keys(Vec<Cow<'a, str>>),
    Other(IgnoredAny),
}

impl Default for Names<'_> {
    fn default() -> Self {
        Names::Other(IgnoredAny)
    }
}

impl Names<'_> {
    fn keys(&self) -> impl Iterator<Item = &str> {
        let (map, list) = match self {
            Names::Map(m) => (Some(m), None),
            Names::Keys(k) => (None, Some(k)),
            Names::Other(_) => (None, None),
        };
        map.into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
            .chain(list.into_iter().flat_map(|k| k.iter().map(|k| k.as_ref())))
    }
}

/// `name` lower-cased (names are compared so), borrowed when it is already, as most are.
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Platform packages (`php`, `ext-json`, `lib-icu`, `composer-plugin-api`) have no vendor.
fn is_platform(name: &str) -> bool {
    !name.contains('/')
}

impl Extractor for ComposerLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Packagist
    }
    fn files(&self) -> &'static str {
        "composer.lock with the composer.json beside it"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("composer.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "composer.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let mut out = Extraction::default();
        let packages = match fast::packages(text) {
            Some(packages) => packages,
            None => read_packages(input, text, &mut out)?,
        };

        let manifest = read_manifest(input, &mut out);
        // Names the project itself replaces or provides (symfony/demo replaces the polyfills).
        let root_aliases: HashSet<String> = ["replace", "provide"]
            .iter()
            .filter_map(|k| manifest.as_ref()?.get(*k)?.as_object())
            .flat_map(|o| o.keys())
            .map(|n| n.to_ascii_lowercase())
            .collect();
        let (root_name, direct): (Option<&str>, HashSet<String>) = match &manifest {
            Some(m) => (
                m.get("name").and_then(Value::as_str),
                ["require", "require-dev"]
                    .iter()
                    .filter_map(|k| m.get(*k)?.as_object())
                    .flat_map(|o| o.keys())
                    .filter(|n| !is_platform(n))
                    .map(|n| n.to_ascii_lowercase())
                    .collect(),
            ),
            None => (None, HashSet::default()),
        };

        // Names a package answers to: its own, and what it provides or replaces.
        let mut by_name: HashMap<Cow<'_, str>, usize> = HashMap::default();
        by_name.reserve(packages.len());
        for (i, (p, _, _)) in packages.iter().enumerate() {
            by_name.insert(lower(&p.name), i);
        }
        for (i, (p, _, _)) in packages.iter().enumerate() {
            for alias in p.provide.keys().chain(p.replace.keys()) {
                by_name.entry(lower(alias)).or_insert(i);
            }
        }

        let mut purls: Vec<Option<Arc<str>>> = Vec::with_capacity(packages.len());
        for (p, scope, line) in &packages {
            let mut c = match Component::new(Ecosystem::Packagist, &p.name, Some(&p.version)) {
                Ok(c) => c,
                Err(e) => {
                    out.diagnostics
                        .push(input.diagnostic(ID, Level::Error, *line, e.to_string()));
                    purls.push(None);
                    continue;
                }
            };
            c.scope = *scope;
            c.relationship = if manifest.is_none() {
                Relationship::Unknown
            } else if direct.contains(lower(&p.name).as_ref()) {
                Relationship::Direct
            } else {
                Relationship::Transitive
            };
            c.source = source_of(p);
            if let Some(sum) = p.dist.as_ref().and_then(|d| d.shasum.as_deref()) {
                c = c.with_hash(Hash::from_hex("sha1", sum));
            }
            match &p.license {
                Licenses::Many(l) => {
                    for l in l {
                        c = c.with_license(l);
                    }
                }
                Licenses::One(l) => c = c.with_license(l),
                Licenses::Other(_) => {}
            }
            c = c.at(input.path, *line);
            purls.push(Some(c.key()));
            out.components.push(c);
        }

        for (i, (p, _, line)) in packages.iter().enumerate() {
            let Some(Some(from)) = purls.get(i) else {
                continue;
            };
            for dep in p.require.keys().filter(|n| !is_platform(n)) {
                let dep_lower = lower(dep);
                match by_name.get(dep_lower.as_ref()) {
                    Some(&j) => {
                        if let Some(Some(to)) = purls.get(j)
                            && to != from
                        {
                            out.edges.push(Edge {
                                from: from.clone(),
                                to: to.clone(),
                            });
                        }
                    }
                    None if root_aliases.contains(dep_lower.as_ref()) => {}
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        *line,
                        format!(
                            "`{}` requires `{dep}`, which the lockfile does not list",
                            p.name
                        ),
                    )),
                }
            }
        }

        if let Some(m) = &manifest {
            if let Some(name) = root_name {
                match Component::new(Ecosystem::Packagist, name, None) {
                    Ok(mut root) => {
                        root.relationship = Relationship::Root;
                        root.source = Source::Path {
                            path: input
                                .path
                                .parent()
                                .map(|p| p.to_string_lossy().replace('\\', "/"))
                                .filter(|p| !p.is_empty())
                                .unwrap_or_else(|| ".".to_owned()),
                        };
                        if let Some(l) = m.get("license") {
                            for l in l.as_array().into_iter().flatten().chain([l]) {
                                if let Some(l) = l.as_str() {
                                    root = root.with_license(l);
                                }
                            }
                        }
                        let root = root.at(input.sibling("composer.json"), None);
                        let from = root.key();
                        for d in &direct {
                            if let Some(Some(to)) =
                                by_name.get(d.as_str()).and_then(|&j| purls.get(j))
                            {
                                out.edges.push(Edge {
                                    from: from.clone(),
                                    to: to.clone(),
                                });
                            }
                        }
                        out.components.push(root);
                    }
                    Err(e) => out.diagnostics.push(ospo_model::Diagnostic::new(
                        Level::Warning,
                        ID,
                        input.sibling("composer.json"),
                        None,
                        format!("project name ignored: {e}"),
                    )),
                }
            }
            out.manifest = Some(input.sibling("composer.json"));
        }
        Ok(out)
    }
}

/// The general reader: each package is read as a `serde_json::Value` first, so a bad entry
/// becomes a diagnostic and the rest of the file still counts; its line is found by a forward
/// search for its `"name"` member. [`fast::packages`] reads well-formed files in one pass.
fn read_packages(
    input: &Input<'_>,
    text: &str,
    out: &mut Extraction,
) -> Result<Vec<(Package<'static>, Scope, Option<u32>)>, ExtractError> {
    let lock: Lock = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
    let index = LineIndex::new(text);

    // Packages in file order (runtime first), each with its line, found by a forward search
    // for its `"name"` member so the whole file is scanned once.
    let mut cursor = 0;
    let mut packages: Vec<(Package<'static>, Scope, Option<u32>)> = Vec::new();
    let all = lock
        .packages
        .into_iter()
        .map(|v| (v, Scope::Runtime))
        .chain(lock.packages_dev.into_iter().map(|v| (v, Scope::Dev)));
    for (value, scope) in all {
        let name = value.get("name").and_then(Value::as_str).unwrap_or("");
        let found = [
            format!("\"name\": \"{name}\""),
            format!("\"name\":\"{name}\""),
        ]
        .iter()
        .filter_map(|needle| index.find(needle, cursor))
        .min_by_key(|&(_, end)| end);
        let line = found.map(|(line, end)| {
            cursor = end;
            line
        });
        match serde_json::from_value::<Package>(value) {
            Ok(p) => packages.push((p, scope, line)),
            Err(e) => out.diagnostics.push(input.diagnostic(
                ID,
                Level::Error,
                line,
                format!("package entry ignored: {e}"),
            )),
        }
    }
    Ok(packages)
}

mod cursor;

/// A one-pass reader for well-formed lockfiles (all of them in practice): packages are read
/// straight into [`Package`] by a hand-written reader ([`cursor`]) that steps over what the
/// package does not use (instead of building a `serde_json::Value` of every package first),
/// and each line is searched for only up to the package's own `"name"` key, whose offset is
/// known (the general reader searches each package's two needle forms to the end of the file
/// when one form is absent: quadratic). It accepts only what the general reader reads to the
/// same result: on anything else (a bad entry, a duplicated member, a `license` or `require`
/// of an unusual shape, a `"name"` written otherwise than `"name": "x"` / `"name":"x"`) it
/// returns `None` and [`read_packages`] reads the file.
mod fast {
    use ospo_model::Scope;

    use super::{Package, cursor};
    use crate::extractors::js::{Lines, offset_in};

    pub(super) fn packages(text: &str) -> Option<Vec<(Package<'_>, Scope, Option<u32>)>> {
        let all = cursor::read(text)?;
        let lines = Lines::new(text);
        let mut out = Vec::with_capacity(all.len());
        // The general reader's search position (see `read_packages`).
        let mut cursor = 0;
        const KEY: &str = "\"name\"";
        let key = memchr::memmem::Finder::new(KEY);
        for (entry, scope) in all {
            // The package's own `"name": "x"` (or `"name":"x"`), where the general reader's
            // forward search ends at the latest; it searches only from the previous package's
            // name up to here, so the file is searched once in all.
            let at = offset_in(text, entry.name_key).checked_sub(1)?;
            let rest = text.get(at..)?;
            let value = rest
                .strip_prefix("\"name\": \"")
                .or_else(|| rest.strip_prefix("\"name\":\""))?;
            let name = &entry.package.name;
            if !value.starts_with(name.as_ref()) || value.as_bytes().get(name.len()) != Some(&b'"')
            {
                return None;
            }
            let end = text.len() - value.len() + name.len() + 1;
            let hay = text.as_bytes().get(cursor..end)?;
            // The first `"name"` key in between that is followed by either form (two forms
            // cannot both match with the later start ending first, so the first start is the
            // general reader's `min_by_key(end)`).
            let (start, found_end) = key.find_iter(hay).find_map(|at| {
                let after = hay.get(at + KEY.len()..)?;
                let value = after
                    .strip_prefix(b": \"")
                    .or_else(|| after.strip_prefix(b":\""))?;
                let rest = value.strip_prefix(name.as_bytes())?;
                // The needle ends after the closing quote.
                rest.starts_with(b"\"")
                    .then(|| (cursor + at, cursor + hay.len() - rest.len() + 1))
            })?;
            cursor = found_end;
            out.push((entry.package, scope, Some(lines.line(start))));
        }
        Some(out)
    }
}

/// Packagist packages (with a `notification-url`) come from the registry, whatever mirror their
/// dist points at; `path` repositories are local; VCS repositories are git checkouts.
fn source_of(p: &Package) -> Source {
    let dist_kind = p.dist.as_ref().and_then(|d| d.kind.as_deref());
    if dist_kind == Some("path")
        && let Some(url) = p.dist.as_ref().and_then(|d| d.url.as_deref())
    {
        return Source::Path {
            path: url.to_owned(),
        };
    }
    if let Some(n) = &p.notification_url {
        // `https://packagist.org/downloads/` → the registry's base URL.
        let base = n.strip_suffix("/downloads/").unwrap_or(n);
        return Source::Registry {
            url: Some(base.to_owned()),
        };
    }
    if let Some(src) = &p.source
        && src.kind.as_deref() == Some("git")
        && let Some(url) = &src.url
    {
        return Source::Git {
            url: url.clone().into_owned(),
            rev: src.reference.as_deref().map(str::to_owned),
        };
    }
    match p.dist.as_ref().and_then(|d| d.url.as_deref()) {
        Some(url) => Source::Url {
            url: url.to_owned(),
        },
        None => Source::Unknown,
    }
}

fn read_manifest(input: &Input<'_>, out: &mut Extraction) -> Option<Value> {
    let path = input.sibling("composer.json");
    let parsed = match input.read_sibling("composer.json")? {
        Ok(bytes) => serde_json::from_slice::<Value>(&bytes).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match parsed {
        Ok(v) if v.is_object() => Some(v),
        Ok(_) => {
            out.diagnostics.push(ospo_model::Diagnostic::new(
                Level::Warning,
                ID,
                path,
                None,
                "manifest ignored: not a JSON object",
            ));
            None
        }
        Err(e) => {
            out.diagnostics.push(ospo_model::Diagnostic::new(
                Level::Warning,
                ID,
                path,
                None,
                format!("manifest ignored: {e}"),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;

    #[test]
    fn composer_itself() {
        let Some((ex, p)) = extract_shared(&ComposerLock, "Packagist/composer/composer.lock")
        else {
            return;
        };
        // jq '.packages, ."packages-dev" | length' → 30 and 6, plus the root from composer.json.
        assert_eq!(ex.components.len(), 30 + 6 + 1);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        for want in [
            "pkg:composer/composer/composer",
            "pkg:composer/composer/ca-bundle@1.5.12",
            "pkg:composer/symfony/console@v5.4.47",
            "pkg:composer/phpstan/phpstan@1.12.33",
        ] {
            assert!(
                purls.iter().any(|p| p.starts_with(want)),
                "{want} not in {purls:?}"
            );
        }
        let get = |n: &str| p.components.iter().find(|c| c.name == n).unwrap();
        let ca = get("composer/ca-bundle");
        assert_eq!(ca.relationship, Relationship::Direct);
        assert_eq!(ca.scope, Scope::Runtime);
        assert_eq!(ca.licenses, ["MIT"]);
        assert_eq!(ca.locations[0].line, Some(10));
        assert_eq!(
            ca.source,
            Source::Registry {
                url: Some("https://packagist.org".into())
            }
        );
        assert_eq!(get("composer/composer").relationship, Relationship::Root);
        let phpstan = get("phpstan/phpstan");
        assert_eq!(phpstan.scope, Scope::Dev);
        assert_eq!(phpstan.relationship, Relationship::Direct);
        assert!(
            p.edges
                .iter()
                .any(|e| &*e.from == "pkg:composer/composer/composer"
                    && e.to.starts_with("pkg:composer/symfony/console@"))
        );
    }

    #[test]
    fn symfony_demo() {
        let Some((ex, p)) = extract_shared(&ComposerLock, "Packagist/demo/composer.lock") else {
            return;
        };
        // jq '.packages, ."packages-dev" | length' → 99 and 54, plus the root.
        assert_eq!(ex.components.len(), 99 + 54 + 1);
        assert_eq!(p.components.len(), 154);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        assert!(purls.contains(&"pkg:composer/symfony/symfony-demo".to_owned()));
        let dev = p
            .components
            .iter()
            .filter(|c| c.scope == Scope::Dev)
            .count();
        assert_eq!(dev, 54);
        let get = |n: &str| p.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("doctrine/orm").relationship, Relationship::Direct);
        assert_eq!(get("doctrine/lexer").relationship, Relationship::Transitive);
        assert_eq!(get("phpunit/phpunit").scope, Scope::Dev);
        // every package's line points at its own "name" member
        let text = std::fs::read_to_string(
            shared_data()
                .unwrap()
                .join("lockfiles/Packagist/demo/composer.lock"),
        )
        .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for c in p
            .components
            .iter()
            .filter(|c| c.relationship != Relationship::Root)
        {
            let l = c.locations[0].line.unwrap() as usize;
            assert!(
                lines[l - 1].contains(&format!("\"{}\"", c.name)),
                "{}",
                c.name
            );
        }
    }

    #[test]
    fn synthetic_sources_and_aliases() {
        let lock = br#"{
  "packages": [
    {"name": "acme/local", "version": "dev-main",
     "dist": {"type": "path", "url": "../local", "reference": "abc"},
     "require": {"php": ">=8", "psr/log-implementation": "^3"}},
    {"name": "acme/logger", "version": "1.0.0",
     "source": {"type": "git", "url": "https://git.example/logger.git", "reference": "0123"},
     "dist": {"type": "zip", "url": "https://git.example/logger.zip",
              "shasum": "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
     "provide": {"psr/log-implementation": "3.0"}, "license": "MIT", "require": []},
    {"name": "broken", "version": 3}
  ],
  "packages-dev": []
}"#;
        let ex = extract_bytes(&ComposerLock, "composer.lock", lock, &[]).unwrap();
        assert_eq!(ex.components.len(), 2);
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(11));
        let local = &ex.components[0];
        assert_eq!(
            local.source,
            Source::Path {
                path: "../local".into()
            }
        );
        assert_eq!(local.relationship, Relationship::Unknown);
        assert_eq!(local.locations[0].line, Some(3));
        let logger = &ex.components[1];
        assert_eq!(
            logger.source,
            Source::Git {
                url: "https://git.example/logger.git".into(),
                rev: Some("0123".into())
            }
        );
        assert_eq!(logger.hashes.len(), 1);
        assert_eq!(logger.licenses, ["MIT"]);
        assert_eq!(
            ex.edges,
            [Edge {
                from: "pkg:composer/acme/local@dev-main".into(),
                to: "pkg:composer/acme/logger@1.0.0".into()
            }]
        );
    }

    #[test]
    fn broken_lockfile_names_the_line() {
        let err = extract_err(
            &ComposerLock,
            "composer.lock",
            b"{\n  \"packages\": [\n    {\"name\": \"a/b\",\n",
        );
        assert_eq!(err.line(), Some(4), "{err}");
        let err = extract_err(&ComposerLock, "composer.lock", b"{\"packages\": 3}");
        assert_eq!(err.line(), Some(1));
    }

    /// What the extraction uses of each package read, to compare the two readers.
    fn summary(packages: &[(Package<'_>, Scope, Option<u32>)]) -> Vec<String> {
        let loc = |l: &Option<Location>| {
            l.as_ref()
                .map(|l| format!("{:?} {:?} {:?} {:?}", l.kind, l.url, l.reference, l.shasum))
        };
        let names = |n: &Names| n.keys().collect::<Vec<_>>().join(",");
        packages
            .iter()
            .map(|(p, scope, line)| {
                let license = match &p.license {
                    Licenses::Many(l) => format!("{l:?}"),
                    Licenses::One(l) => format!("one {l:?}"),
                    Licenses::Other(_) => "other".to_owned(),
                };
                format!(
                    "{} {} {:?} {:?} {:?} {license} [{}] [{}] [{}] {scope:?} {line:?}",
                    p.name,
                    p.version,
                    loc(&p.source),
                    loc(&p.dist),
                    p.notification_url,
                    names(&p.require),
                    names(&p.provide),
                    names(&p.replace),
                )
            })
            .collect()
    }

    /// The general reader's packages and diagnostics.
    fn general(text: &str) -> Option<(Vec<String>, usize)> {
        let fs = crate::fs::MemorySource::new();
        let input = Input {
            path: Path::new("composer.lock"),
            bytes: text.as_bytes(),
            fs: &fs,
        };
        let mut out = Extraction::default();
        let packages = read_packages(&input, text, &mut out).ok()?;
        Some((summary(&packages), out.diagnostics.len()))
    }

    /// Where the fast reader reads a file, it reads what the general reader does.
    fn readers_agree(text: &str) {
        if let Some(fast) = fast::packages(text) {
            assert_eq!(general(text), Some((summary(&fast), 0)), "{text}");
        }
    }

    #[test]
    fn fast_reader_reads_every_corpus_file_as_the_general_one() {
        let Some(dir) = shared_data() else {
            return;
        };
        for rel in [
            "Packagist/composer/composer.lock",
            "Packagist/demo/composer.lock",
        ] {
            let text = std::fs::read_to_string(dir.join("lockfiles").join(rel)).unwrap();
            assert!(fast::packages(&text).is_some(), "{rel}");
            readers_agree(&text);
        }
    }

    /// Many names with repeats (past the fast reader's switch from a search to a hash set),
    /// mixed case and escapes: both readers keep each name once, at its first place.
    #[test]
    fn readers_agree_on_long_and_repeated_names() {
        let names: Vec<String> = (0..40)
            .map(|i| format!("\"V{}/p\\u0041{}\": \"*\"", i % 7, i % 23))
            .collect();
        let text = format!(
            r#"{{"packages": [{{"name": "A/B", "version": "1", "require": {{{}}},
               "replace": {{"x/y": "1", "x/y": "2"}}}}]}}"#,
            names.join(", ")
        );
        let fast = fast::packages(&text).expect("read by the fast reader");
        assert_eq!(general(&text), Some((summary(&fast), 0)));
        // (i % 7, i % 23) repeats only after 161 names: all 40 are distinct.
        assert_eq!(fast[0].0.require.keys().count(), 40);
        // (i % 7, i % 5) repeats after 35 names: 35 distinct, in first-seen order.
        let mut seen = Vec::new();
        for i in 0..40 {
            let n = format!("V{}/pA{}", i % 7, i % 5);
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
        let short: Vec<String> = (0..40)
            .map(|i| format!("\"V{}/p\\u0041{}\": \"*\"", i % 7, i % 5))
            .collect();
        let text = text.replace(&names.join(", "), &short.join(", "));
        let fast = fast::packages(&text).expect("read by the fast reader");
        assert_eq!(general(&text), Some((summary(&fast), 0)));
        let keys: Vec<&str> = fast[0].0.require.keys().collect();
        assert_eq!(keys, seen);
    }

    #[test]
    fn fast_reader_leaves_unusual_files_to_the_general_one() {
        for text in [
            r#"{"packages": [{"name": "a/b", "version": 3}]}"#,
            r#"{"packages": [{"name": "a/b", "version": "1", "version": "2"}]}"#,
            r#"{"packages": [{"name": "a/b", "version": "1", "license": ["MIT", 3]}]}"#,
            r#"{"packages": [{"name" : "a/b", "version": "1"}]}"#,
            r#"{"packages": [{"n\u0061me": "a/b", "version": "1"}]}"#,
            r#"{"packages": [{"name": "a/b", "version": "1", "x": 1e999}]}"#,
            r#"{"packages": [{"name": "a/b", "version": "1", "require": null}]}"#,
        ] {
            assert!(fast::packages(text).is_none(), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&ComposerLock, "composer.lock", &bytes, &[("composer.json", &bytes)]);
            if let Ok(text) = std::str::from_utf8(&bytes) {
                readers_agree(text);
            }
        }

        #[test]
        fn readers_agree_on_generated_lockfiles(
            packages in proptest::collection::vec(
                (
                    "[a-c]{1,2}/[a-c]{1,2}",
                    "v?[0-9]\\.[0-9]",
                    proptest::bool::ANY,
                    0u8..4,
                    proptest::collection::vec("[a-c]{1,2}/[a-c]{1,2}|php", 0..4),
                    0u8..3,
                ),
                0..6,
            ),
            dev in 0usize..6,
        ) {
            let mut entries = Vec::new();
            for (name, version, compact, license, require, shape) in &packages {
                let sep = if *compact { ":" } else { ": " };
                let license = match license {
                    0 => String::new(),
                    1 => ",\n \"license\": \"MIT\"".to_owned(),
                    2 => ",\n \"license\": [\"MIT\", \"BSD-3-Clause\"]".to_owned(),
                    _ => ",\n \"license\": null".to_owned(),
                };
                let require = match shape {
                    0 => ",\"require\": []".to_owned(),
                    1 => String::new(),
                    _ => format!(
                        ",\n \"require\": {{{}}}",
                        require
                            .iter()
                            .map(|r| format!("\"{r}\": \"*\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                entries.push(format!(
                    "{{\"authors\": [{{\"name\": \"{name}\"}}],\n \"name\"{sep}\"{name}\",\n \
                     \"version\": \"{version}\",\n \"source\": {{\"type\": \"git\", \
                     \"url\": \"https://x/{name}\", \"reference\": null}},\n \
                     \"dist\": {{\"type\": \"zip\", \"shasum\": \"\"}}{license}{require}}}"
                ));
            }
            let dev = dev.min(entries.len());
            let (runtime, dev) = entries.split_at(entries.len() - dev);
            let text = format!(
                "{{\n\"packages\": [\n{}\n],\n\"packages-dev\": [{}]\n}}",
                runtime.join(",\n"),
                dev.join(",\n")
            );
            readers_agree(&text);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..400) {
            let lock = br#"{"packages":[{"name":"a/b","version":"v1","require":{"c/d":"*"},"license":["MIT"]}],"packages-dev":[{"name":"c/d","version":"2","dist":{"type":"zip","shasum":"x"}}]}"#;
            let end = cut.min(lock.len());
            let _ = extract_bytes(&ComposerLock, "composer.lock", &lock[..end], &[("composer.json", b"{\"name\":\"x/y\",\"require\":{\"a/b\":\"*\"}}")]);
        }
    }
}
