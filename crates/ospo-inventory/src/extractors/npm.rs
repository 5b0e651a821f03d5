//! `package-lock.json` (lockfile v1, v2, v3) and `npm-shrinkwrap.json`, paired with the
//! `package.json` beside them.
//!
//! v2/v3 list every installed package in `packages`, keyed by its folder
//! (`node_modules/a/node_modules/b`); the key `""` is the project itself and keys outside
//! `node_modules` are workspace members. v1 (and the v2 compatibility section, ignored here)
//! nests `dependencies` trees instead; each level is a `node_modules` folder, so both are read
//! into the same location-keyed tree and dependency names are resolved with Node's lookup rule
//! (the nearest `node_modules` walking up). npm records each package's scope itself (`dev`,
//! `optional`, `devOptional`, `peer`), so no propagation is needed.
//!
//! Counting: every `packages` key except `""` is a component, except `link: true` entries whose
//! target is itself a key (a workspace member linked into `node_modules`): the link is an alias
//! of its target, which is the component (relationship Root, source Path). The project itself
//! (`""`) is one more component, with relationship Root, when it has a name.

use crate::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Edge, Hash, Level, Location, Relationship, Scope, Source};
use serde::Deserialize;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

use super::js::{self, AnyValue, DepKind, DepMap, DepNames, Keyed, Manifest, Pairs, Text};
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

mod fast;

pub struct NpmLock;

const ID: &str = "npm-package-lock";

/// The top level as the one-pass reader reads it: `packages` is read with the document (an
/// entry that cannot be read makes the whole read fail, and [`SlowLock`] reads the file
/// instead); `dependencies` is kept raw, as it is only read for v1 files (in v2 it is a
/// compatibility copy of `packages`).
#[derive(Deserialize)]
struct FastLock<'a> {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<serde_json::Value>,
    #[serde(borrow, default)]
    packages: Option<Keyed<'a, Entry<'a>>>,
    #[serde(borrow, default)]
    dependencies: Option<&'a RawValue>,
}

/// The top level with every entry kept raw, so that an entry that cannot be read is only a
/// diagnostic (and a broken file an error with its line).
#[derive(Deserialize)]
struct SlowLock<'a> {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<serde_json::Value>,
    #[serde(borrow, default)]
    packages: Option<Pairs<'a>>,
    #[serde(borrow, default)]
    dependencies: Option<Pairs<'a>>,
}

/// The lockfile as either reader read it.
struct Lock<'a> {
    lockfile_version: Option<serde_json::Value>,
    packages: Option<Packages<'a>>,
    dependencies: Option<V1Tree<'a>>,
    /// `dependencies` already read as a v1 tree (by [`fast`]).
    v1: Option<Keyed<'a, V1Fast<'a>>>,
}

/// The `packages` map: read with the document, or each entry raw.
enum Packages<'a> {
    Read(Keyed<'a, Entry<'a>>),
    Raw(Pairs<'a>),
}

impl Packages<'_> {
    fn has_root(&self) -> bool {
        match self {
            Packages::Read(k) => k.0.iter().any(|(k, _)| k.is_empty()),
            Packages::Raw(p) => p.0.iter().any(|(k, _)| k.is_empty()),
        }
    }
}

/// A v1 `dependencies` tree: not read yet (the raw text of an object), or each entry raw.
enum V1Tree<'a> {
    Unread(&'a str),
    Raw(Pairs<'a>),
}

/// Reads the top level. Well-formed files (all of the corpus) are read in one pass; anything
/// the one-pass reader refuses (a bad entry, a key with escapes, a broken file) is read again
/// entry by entry, which finds the same for every entry it can read and a diagnostic or an
/// error with its line for the rest.
fn read_lock(text: &str, reader: Reader) -> Result<Lock<'_>, ExtractError> {
    if reader == Reader::Hand
        && let Some(top) = fast::read(text, fast::Fields::Lock)
    {
        return Ok(Lock {
            lockfile_version: top.lockfile_version,
            packages: top.packages.map(Packages::Read),
            dependencies: top.dependencies.map(V1Tree::Unread),
            v1: top.v1,
        });
    }
    if reader.one_pass()
        && let Ok(lock) = serde_json::from_str::<FastLock>(text)
        // `dependencies` must be an object, as `SlowLock` requires.
        && lock.dependencies.is_none_or(|d| d.get().starts_with('{'))
    {
        return Ok(Lock {
            lockfile_version: lock.lockfile_version,
            packages: lock.packages.map(Packages::Read),
            dependencies: lock.dependencies.map(|d| V1Tree::Unread(d.get())),
            v1: None,
        });
    }
    let lock: SlowLock = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
    Ok(Lock {
        lockfile_version: lock.lockfile_version,
        packages: lock.packages.map(Packages::Raw),
        dependencies: lock.dependencies.map(V1Tree::Raw),
        v1: None,
    })
}

/// One entry of `packages` (v2/v3, and `node_modules/.package-lock.json`), borrowing its text
/// from the lockfile.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    version: Option<Text<'a>>,
    #[serde(borrow)]
    resolved: Option<Text<'a>>,
    #[serde(borrow)]
    integrity: Option<Text<'a>>,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dev_optional: bool,
    #[serde(default)]
    peer: bool,
    #[serde(borrow, default)]
    license: Licenses<'a>,
    #[serde(borrow)]
    dependencies: Option<DepNames<'a>>,
    #[serde(borrow)]
    optional_dependencies: Option<DepNames<'a>>,
    #[serde(borrow)]
    peer_dependencies: Option<DepNames<'a>>,
    #[serde(borrow)]
    dev_dependencies: Option<DepNames<'a>>,
}

/// One entry of a v1 `dependencies` tree, its children kept raw (the entry-by-entry reader).
#[derive(Deserialize)]
struct V1Entry<'a> {
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    requires: Option<DepMap>,
    #[serde(borrow, default)]
    dependencies: Option<Pairs<'a>>,
}

/// One entry of a v1 `dependencies` tree read in one pass with its children, borrowing its
/// text. It accepts exactly what [`V1Entry`] accepts at every level (`requires` ranges are
/// checked as JSON values, as `DepMap` does), or the tree is read again entry by entry.
#[derive(Deserialize)]
struct V1Fast<'a> {
    #[serde(borrow)]
    version: Option<Text<'a>>,
    #[serde(borrow)]
    resolved: Option<Text<'a>>,
    #[serde(borrow)]
    integrity: Option<Text<'a>>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(borrow)]
    requires: Option<DepNames<'a, AnyValue>>,
    #[serde(borrow, default)]
    dependencies: Option<Keyed<'a, V1Fast<'a>>>,
}

/// The fields of a v1 entry that make its node, from either reader.
struct V1Fields<'e> {
    version: Option<&'e str>,
    resolved: Option<&'e str>,
    integrity: Option<&'e str>,
    dev: bool,
    optional: bool,
    requires: Vec<(Cow<'e, str>, DepKind)>,
}

/// The licences of a `license` field: a string, `{"type": …}`, or an array of these; any other
/// value names none. Read as a `serde_json::Value` would be (the same values are accepted), but
/// without building one.
#[derive(Default)]
struct Licenses<'a>(Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Licenses<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Vis<'a> {
            type Value = Licenses<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Licenses::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Licenses::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Licenses::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Licenses::default())
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Licenses::default())
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Licenses::default())
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Self::Value, D::Error> {
                Licenses::deserialize(d)
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Licenses(vec![Cow::Borrowed(s)]))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Licenses(vec![Cow::Owned(s.to_owned())]))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                let mut out = Vec::new();
                while let Some(l) = seq.next_element::<Licenses<'a>>()? {
                    out.extend(l.0);
                }
                Ok(Licenses(out))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                // Of repeated `type` keys the last counts, as in a `Value` object.
                let mut of_type = Licenses::default();
                while let Some(k) = map.next_key::<Text<'de>>()? {
                    if k.0 == "type" {
                        of_type = map.next_value()?;
                    } else {
                        map.next_value::<AnyValue>()?;
                    }
                }
                Ok(of_type)
            }
        }
        d.deserialize_any(Vis(std::marker::PhantomData))
    }
}

/// A package at a location of the installed tree, borrowing its text from the lockfile where
/// it can.
pub(crate) struct Node<'a> {
    /// `""` for the project, `node_modules/a/node_modules/b`, or a workspace folder.
    loc: Cow<'a, str>,
    name: Cow<'a, str>,
    version: Option<Cow<'a, str>>,
    source: Source,
    hashes: Vec<Hash>,
    licenses: Vec<String>,
    scope: Scope,
    root: bool,
    line: u32,
    deps: Vec<(Cow<'a, str>, DepKind)>,
    /// A `link: true` entry: the location it points at.
    link: Option<String>,
}

impl Extractor for NpmLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }
    fn files(&self) -> &'static str {
        "package-lock.json (v1–v3) and npm-shrinkwrap.json, with package.json"
    }
    fn names(&self) -> &'static [FileName] {
        &[
            FileName::Is("package-lock.json"),
            FileName::Is("npm-shrinkwrap.json"),
        ]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name()
            .is_some_and(|n| n == "package-lock.json" || n == "npm-shrinkwrap.json")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        extract(input, Reader::Hand)
    }
}

/// Which readers read the lockfile: the hand-written reader ([`fast`]), falling back to
/// serde's one-pass reader and then to the entry-by-entry reader on anything each refuses; or
/// (to test that all find the same) only the last two, or only the last.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    Hand,
    #[cfg(test)]
    OnePass,
    #[cfg(test)]
    EntryByEntry,
}

impl Reader {
    /// Whether serde's one-pass readers are tried before the entry-by-entry reader.
    fn one_pass(self) -> bool {
        match self {
            Reader::Hand => true,
            #[cfg(test)]
            Reader::OnePass => true,
            #[cfg(test)]
            Reader::EntryByEntry => false,
        }
    }
}

fn extract(input: &Input<'_>, reader: Reader) -> Result<Extraction, ExtractError> {
    let text = input.text()?;
    let mut lock = read_lock(text, reader)?;
    let v1 = lock.v1.take();
    let version = match &lock.lockfile_version {
        Some(v) => v
            .as_u64()
            .ok_or_else(|| ExtractError::Unsupported(v.to_string()))?,
        None if lock.packages.is_some() => 3,
        None if lock.dependencies.is_some() => 1,
        None => {
            return Err(ExtractError::syntax(
                Some(1),
                "not a package-lock: no `lockfileVersion`, `packages` or `dependencies`",
            ));
        }
    };
    let mut out = Extraction::default();
    let lines = js::Lines::new(text);
    match (version, &lock.packages, &lock.dependencies) {
        (2 | 3, Some(packages), _) => {
            let nodes = packages_nodes(input, ID, &lines, packages, &mut out);
            // The root entry names the direct dependencies; the manifest only when it is missing.
            let has_root = packages.has_root();
            let manifest = if has_root {
                None
            } else {
                js::read_manifest(input, ID, &mut out)
            };
            if manifest.is_some() {
                out.manifest = Some(input.sibling("package.json"));
            }
            build(input, ID, nodes, manifest.as_ref(), &mut out);
        }
        (1, _, deps) | (2 | 3, None, deps) => {
            // Read the tree before the manifest: a tree the one-pass reader refuses is read
            // again entry by entry, and its diagnostics follow the manifest's as before.
            let fast = match deps {
                Some(V1Tree::Unread(raw)) if reader.one_pass() => {
                    let hand = || fast::read_v1(raw).filter(|_| reader == Reader::Hand);
                    v1.or_else(hand)
                        .or_else(|| serde_json::from_str::<Keyed<V1Fast>>(raw).ok())
                }
                _ => None,
            };
            let manifest = js::read_manifest(input, ID, &mut out);
            if manifest.is_some() {
                out.manifest = Some(input.sibling("package.json"));
            }
            let mut nodes = Vec::new();
            if let Some(m) = &manifest
                && let Some(name) = &m.name
            {
                nodes.push(root_node(name, m.version.as_deref(), m, 1));
            }
            match (&fast, deps) {
                (Some(tree), _) => v1_fast_nodes(&lines, "", tree, &mut nodes),
                (None, Some(V1Tree::Raw(deps))) => {
                    v1_nodes(input, &lines, "", deps, &mut nodes, &mut out);
                }
                (None, Some(V1Tree::Unread(raw))) => {
                    // `read_lock` checked that this is an object, so it reads as `Pairs`.
                    let deps: Pairs = serde_json::from_str(raw).map_err(|e| {
                        let first = lines.line(js::offset_in(text, raw));
                        let line = u32::try_from(e.line()).unwrap_or(1).max(1);
                        ExtractError::syntax(Some(first.saturating_add(line - 1)), e)
                    })?;
                    v1_nodes(input, &lines, "", &deps, &mut nodes, &mut out);
                }
                (None, None) => {}
            }
            build(input, ID, nodes, manifest.as_ref(), &mut out);
        }
        (v, _, _) => return Err(ExtractError::Unsupported(format!("lockfileVersion {v}"))),
    }
    Ok(out)
}

fn root_node(name: &str, version: Option<&str>, m: &Manifest, line: u32) -> Node<'static> {
    let mut deps: Vec<(Cow<str>, DepKind)> = m
        .deps()
        .into_iter()
        .map(|(n, k)| (Cow::Owned(n), k))
        .collect();
    deps.sort();
    Node {
        loc: Cow::Borrowed(""),
        name: Cow::Owned(name.to_owned()),
        version: version.map(|v| Cow::Owned(v.to_owned())),
        source: Source::Path { path: ".".into() },
        hashes: Vec::new(),
        licenses: Vec::new(),
        scope: Scope::Runtime,
        root: true,
        line,
        deps,
        link: None,
    }
}

/// The package name a `node_modules` location holds (`node_modules/a/node_modules/@s/b` → `@s/b`).
fn name_of_location(loc: &str) -> &str {
    const NM: &str = "node_modules/";
    // `loc.rfind(NM)`, without building a substring searcher for every entry: the last `n`
    // that starts `node_modules/`.
    let bytes = loc.as_bytes();
    let mut end = bytes.len();
    while let Some(i) = memchr::memrchr(b'n', bytes.get(..end).unwrap_or_default()) {
        if bytes.get(i..).is_some_and(|b| b.starts_with(NM.as_bytes())) {
            return loc.get(i + NM.len()..).unwrap_or(loc);
        }
        end = i;
    }
    loc.rsplit('/').next().unwrap_or(loc)
}

fn hashes_of(integrity: Option<&str>) -> Vec<Hash> {
    match integrity {
        // The common case, one hash: printable ASCII holds no whitespace, so there is nothing
        // to split (`split_whitespace` decodes every character).
        Some(s) if !s.is_empty() && all_graphic(s.as_bytes()) => match Hash::from_sri(s) {
            Some(h) => vec![h],
            None => Vec::new(),
        },
        _ => integrity
            .into_iter()
            .flat_map(str::split_whitespace)
            .filter_map(Hash::from_sri)
            .collect(),
    }
}

/// Whether every byte is printable ASCII. A fold, not `all`: with no early exit the compiler
/// checks 32 bytes a step (an integrity value is about 100 bytes, and nearly always passes).
fn all_graphic(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, b| ok & b.is_ascii_graphic())
}

/// `key.starts_with("node_modules/") || key.contains("/node_modules/")`, the second found by
/// the key's few `/` rather than a substring searcher built for every entry.
fn in_node_modules(key: &str) -> bool {
    const NM: &[u8] = b"node_modules/";
    let bytes = key.as_bytes();
    bytes.starts_with(NM)
        || memchr::memchr_iter(b'/', bytes)
            .any(|i| bytes.get(i + 1..).is_some_and(|rest| rest.starts_with(NM)))
}

/// [`js::parse_source`] of the common `resolved`, a tarball of the public registry
/// (`https://registry.npmjs.org/<name>/-/<file>`), without its general checks and searches;
/// `None` for anything else (which `parse_source` then reads).
///
/// The answer is the same: the text is neither a path nor git (it starts `https://` and does not
/// end `.git`), and the first `/-/` is the one after the name, as a name that neither starts
/// with `-` nor holds `/-` cannot make an earlier one, so the registry is the text before
/// `/<name>/-/`. The last byte is printable ASCII, so `trim` would keep the text whole.
fn npm_registry_source(resolved: &str, name: &str) -> Option<Source> {
    const REGISTRY: &str = "https://registry.npmjs.org";
    let rest = resolved.strip_prefix(REGISTRY)?.strip_prefix('/')?;
    let after = rest.strip_prefix(name)?;
    let bytes = name.as_bytes();
    let plain_name = !name.starts_with('-')
        && !memchr::memchr_iter(b'/', bytes).any(|i| bytes.get(i + 1) == Some(&b'-'));
    let plain_end = resolved.as_bytes().last().is_some_and(u8::is_ascii_graphic);
    (after.starts_with("/-/") && plain_name && plain_end && !resolved.ends_with(".git")).then(
        || Source::Registry {
            url: Some(REGISTRY.to_owned()),
        },
    )
}

/// Reads the `packages` map of a v2/v3 lockfile (or a hidden `.package-lock.json`) into nodes;
/// an entry that cannot be read is a diagnostic.
fn packages_nodes<'a>(
    input: &Input<'_>,
    id: &str,
    lines: &js::Lines<'_>,
    packages: &Packages<'a>,
    out: &mut Extraction,
) -> Vec<Node<'a>> {
    let text = lines.text();
    match packages {
        Packages::Read(entries) => entries
            .0
            .iter()
            .map(|(key, e)| {
                let at = js::value_offset(text, key).unwrap_or_else(|| js::offset_in(text, key));
                entry_node(Cow::Borrowed(key), lines.line(at), e)
            })
            .collect(),
        Packages::Raw(pairs) => {
            let mut nodes = Vec::with_capacity(pairs.0.len());
            for (key, raw) in &pairs.0 {
                let line = lines.line(js::offset_in(text, raw.get()));
                match serde_json::from_str::<Entry>(raw.get()) {
                    Ok(e) => nodes.push(entry_node(Cow::Owned(key.clone()), line, &e)),
                    Err(err) => out.diagnostics.push(input.diagnostic(
                        id,
                        Level::Error,
                        Some(line),
                        format!("package `{key}` ignored: {err}"),
                    )),
                }
            }
            nodes
        }
    }
}

/// The node of one `packages` entry.
fn entry_node<'a>(key: Cow<'a, str>, line: u32, e: &Entry<'a>) -> Node<'a> {
    let in_node_modules = in_node_modules(&key);
    let named = key.is_empty() || !in_node_modules || e.name.is_some();
    let name = match (&e.name, &key) {
        (Some(n), _) if named => n.0.clone(),
        (_, Cow::Borrowed(k)) => Cow::Borrowed(name_of_location(k)),
        (_, Cow::Owned(k)) => Cow::Owned(name_of_location(k).to_owned()),
    };
    let tables = [
        (&e.dependencies, DepKind::Normal),
        (&e.optional_dependencies, DepKind::Optional),
        (&e.peer_dependencies, DepKind::Peer),
        (&e.dev_dependencies, DepKind::Dev),
    ];
    let count = tables.iter().flat_map(|(t, _)| t.iter()).map(|t| t.0.len());
    let mut deps = Vec::with_capacity(count.sum());
    for (table, kind) in tables {
        deps.extend(
            table
                .iter()
                .flat_map(|t| t.0.iter())
                .map(|n| (n.0.clone(), kind)),
        );
    }
    let scope = if e.dev {
        Scope::Dev
    } else if e.optional || e.dev_optional || e.peer {
        Scope::Optional
    } else {
        Scope::Runtime
    };
    let root = key.is_empty() || !in_node_modules;
    let source = if root {
        Source::Path {
            path: if key.is_empty() {
                ".".into()
            } else {
                key.to_string()
            },
        }
    } else if e.link {
        Source::Path {
            path: Text::of(&e.resolved).unwrap_or_default().to_owned(),
        }
    } else {
        Text::of(&e.resolved).map_or(Source::Unknown, |r| {
            npm_registry_source(r, &name).unwrap_or_else(|| js::parse_source(r, &name))
        })
    };
    Node {
        loc: key,
        name,
        version: e.version.as_ref().map(|v| v.0.clone()),
        source,
        hashes: hashes_of(Text::of(&e.integrity)),
        licenses: e.license.0.iter().map(|l| l.to_string()).collect(),
        scope,
        root,
        line,
        deps,
        link: e
            .link
            .then(|| Text::of(&e.resolved).unwrap_or_default().to_owned()),
    }
}

/// Reads a v1 `dependencies` tree (recursively) into nodes, each entry on its own so that one
/// that cannot be read is a diagnostic.
fn v1_nodes(
    input: &Input<'_>,
    lines: &js::Lines<'_>,
    parent: &str,
    deps: &Pairs<'_>,
    nodes: &mut Vec<Node<'_>>,
    out: &mut Extraction,
) {
    for (key, raw) in &deps.0 {
        let line = lines.line(js::offset_in(lines.text(), raw.get()));
        let e: V1Entry = match serde_json::from_str::<V1Entry>(raw.get()) {
            Ok(e) => e,
            Err(err) => {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    Some(line),
                    format!("dependency `{key}` ignored: {err}"),
                ));
                continue;
            }
        };
        let loc = format!("{parent}node_modules/{key}");
        let fields = V1Fields {
            version: e.version.as_deref(),
            resolved: e.resolved.as_deref(),
            integrity: e.integrity.as_deref(),
            dev: e.dev,
            optional: e.optional,
            requires: e
                .requires
                .iter()
                .flat_map(|r| r.keys())
                .map(|n| (Cow::Owned(n.clone()), DepKind::Normal))
                .collect(),
        };
        nodes.push(v1_node(key, loc.clone(), line, fields).into_owned());
        if let Some(children) = &e.dependencies {
            v1_nodes(input, lines, &format!("{loc}/"), children, nodes, out);
        }
    }
}

/// Reads a v1 `dependencies` tree read in one pass into nodes (as [`v1_nodes`] does), the
/// nodes borrowing their text from the tree.
fn v1_fast_nodes<'t>(
    lines: &js::Lines<'_>,
    parent: &str,
    deps: &'t Keyed<'_, V1Fast<'_>>,
    nodes: &mut Vec<Node<'t>>,
) {
    let text = lines.text();
    for (key, e) in &deps.0 {
        let at = js::value_offset(text, key).unwrap_or_else(|| js::offset_in(text, key));
        // `{parent}node_modules/{key}`, without `format!`'s machinery.
        let mut loc = String::with_capacity(parent.len() + "node_modules/".len() + key.len());
        loc.push_str(parent);
        loc.push_str("node_modules/");
        loc.push_str(key);
        let fields = V1Fields {
            version: Text::of(&e.version),
            resolved: Text::of(&e.resolved),
            integrity: Text::of(&e.integrity),
            dev: e.dev,
            optional: e.optional,
            requires: e
                .requires
                .iter()
                .flat_map(|r| r.0.iter())
                .map(|n| (Cow::Borrowed(n.0.as_ref()), DepKind::Normal))
                .collect(),
        };
        match &e.dependencies {
            Some(children) => {
                nodes.push(v1_node(key, loc.clone(), lines.line(at), fields));
                loc.push('/');
                v1_fast_nodes(lines, &loc, children, nodes);
            }
            None => nodes.push(v1_node(key, loc, lines.line(at), fields)),
        }
    }
}

/// The node of one v1 entry, at `loc`.
fn v1_node<'e>(key: &'e str, loc: String, line: u32, e: V1Fields<'e>) -> Node<'e> {
    let raw_version = e.version.unwrap_or("");
    // `npm:real@1.0.0` aliases; `git+…#sha` and `file:` versions are sources.
    let (name, version, source) = if let Some((real, v)) = js::parse_alias(raw_version) {
        let source = e
            .resolved
            .map_or(Source::Unknown, |r| js::parse_source(r, real));
        (real, Some(Cow::Borrowed(v)), source)
    } else if raw_version.is_empty() || raw_version.starts_with(|c: char| c.is_ascii_digit()) {
        let source = e
            .resolved
            .map_or(Source::Unknown, |r| js::parse_source(r, key));
        (key, e.version.map(Cow::Borrowed), source)
    } else {
        match js::parse_source(raw_version, key) {
            Source::Git { url, rev } => {
                (key, rev.clone().map(Cow::Owned), Source::Git { url, rev })
            }
            s => (key, None, s),
        }
    };
    let scope = if e.dev {
        Scope::Dev
    } else if e.optional {
        Scope::Optional
    } else {
        Scope::Runtime
    };
    Node {
        loc: Cow::Owned(loc),
        name: Cow::Borrowed(name),
        version,
        source,
        hashes: hashes_of(e.integrity),
        licenses: Vec::new(),
        scope,
        root: false,
        line,
        deps: e.requires,
        link: None,
    }
}

impl Node<'_> {
    /// The node with its text owned.
    fn into_owned(self) -> Node<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        Node {
            loc: own(self.loc),
            name: own(self.name),
            version: self.version.map(own),
            source: self.source,
            hashes: self.hashes,
            licenses: self.licenses,
            scope: self.scope,
            root: self.root,
            line: self.line,
            deps: self.deps.into_iter().map(|(n, k)| (own(n), k)).collect(),
            link: self.link,
        }
    }
}

/// Resolves dependency names as Node does: from the package at `loc`, `loc/node_modules/name`,
/// then the same in each folder above; a link resolves to its target.
///
/// Why not one map of locations: most packages sit at the top (`node_modules/a`) and have no
/// `node_modules` of their own, so looking up `loc/node_modules/name` (built, hashed, missed)
/// and then `node_modules/name` for every dependency cost two string builds and two hashes of
/// long keys. Here the top level is a map of bare names, and a folder's own `node_modules` is
/// only looked into when some location lies inside it (`nested`); the answers are the same.
struct Resolver<'n> {
    /// `node_modules/<name>` locations by `<name>`.
    top: HashMap<&'n str, usize>,
    /// The locations inside a package's own `node_modules` (`D/node_modules/…`, `D` not empty):
    /// the only ones a look-up below the top can find.
    inner: HashMap<&'n str, usize>,
    /// Every such `D`.
    nested: HashSet<&'n str>,
    /// A link's target when that target is listed (the link is then only its alias).
    target: Vec<Option<usize>>,
    /// Reused to build `dir/node_modules/name`.
    candidate: String,
}

impl<'n> Resolver<'n> {
    fn new(nodes: &'n [Node<'_>]) -> Resolver<'n> {
        const NM: &[u8] = b"node_modules/";
        let mut top = HashMap::with_capacity_and_hasher(nodes.len(), Default::default());
        let mut inner = HashMap::default();
        let mut nested = HashSet::default();
        for (i, n) in nodes.iter().enumerate() {
            let loc: &str = &n.loc;
            if let Some(name) = loc.strip_prefix("node_modules/") {
                top.insert(name, i);
            }
            // Every `/node_modules/` after the start, found by the location's few `/` (a plain
            // loop: locations are short, and `memchr_iter` costs more to set up).
            let bytes = loc.as_bytes();
            let slashes = bytes.iter().enumerate().filter(|&(_, &b)| b == b'/');
            for (at, _) in slashes {
                if bytes.get(at + 1..).is_some_and(|rest| rest.starts_with(NM))
                    && let Some(dir) = loc.get(..at).filter(|d| !d.is_empty())
                {
                    nested.insert(dir);
                    inner.insert(loc, i);
                }
            }
        }
        // Links are rare: only then is a map of every location needed.
        let target = if nodes.iter().any(|n| n.link.is_some()) {
            let index: HashMap<&str, usize> = nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.loc.as_ref(), i))
                .collect();
            nodes
                .iter()
                .map(|n| n.link.as_deref().and_then(|t| index.get(t).copied()))
                .collect()
        } else {
            vec![None; nodes.len()]
        };
        Resolver {
            top,
            inner,
            nested,
            target,
            candidate: String::new(),
        }
    }

    /// Whether node `i` is a link to a listed location.
    fn is_alias(&self, i: usize) -> bool {
        self.target.get(i).is_some_and(Option::is_some)
    }

    /// Whether some location lies in `dir`'s own `node_modules`.
    fn has_nested(&self, dir: &str) -> bool {
        !dir.is_empty() && !self.nested.is_empty() && self.nested.contains(dir)
    }

    /// The folders Node looks into from the package at `loc`, nearest first (`loc`, then each
    /// folder above), keeping only those some location lies in (the top is always looked into
    /// last, by [`Resolver::resolve`]). Found once per package, not once per dependency: for
    /// most packages there are none.
    fn dirs<'l>(&self, loc: &'l str, dirs: &mut Vec<&'l str>) {
        dirs.clear();
        let mut dir = loc;
        while !dir.is_empty() {
            if self.has_nested(dir) {
                dirs.push(dir);
            }
            // `dir.rfind('/')`, by bytes: the reverse char searcher costs more on short text.
            let up = dir.as_bytes().iter().rposition(|&b| b == b'/');
            dir = up.and_then(|p| dir.get(..p)).unwrap_or("");
            // `a/node_modules` is not a package folder: step over it.
            if dir == "node_modules" {
                dir = "";
            } else if let Some(d) = dir.strip_suffix("/node_modules") {
                dir = d;
            }
        }
    }

    /// The node `name` resolves to from a package whose [`Resolver::dirs`] are `dirs`.
    fn resolve(&mut self, dirs: &[&str], name: &str) -> Option<usize> {
        let found = self.find(dirs, name)?;
        Some(self.target.get(found).copied().flatten().unwrap_or(found))
    }

    fn find(&mut self, dirs: &[&str], name: &str) -> Option<usize> {
        for dir in dirs {
            let candidate = &mut self.candidate;
            candidate.clear();
            candidate.push_str(dir);
            candidate.push_str("/node_modules/");
            candidate.push_str(name);
            if let Some(&i) = self.inner.get(candidate.as_str()) {
                return Some(i);
            }
        }
        self.top.get(name).copied()
    }
}

/// Resolves the graph, marks direct dependencies and emits components and edges.
/// `manifest`: the project's own `package.json` when the tree has no root node.
pub(crate) fn build(
    input: &Input<'_>,
    id: &str,
    mut nodes: Vec<Node<'_>>,
    manifest: Option<&Manifest>,
    out: &mut Extraction,
) {
    let mut resolver = Resolver::new(&nodes);
    let mut diagnostics = Vec::new();
    // The graph in one vector (node `i` depends on `targets[starts[i]..starts[i + 1]]`), not a
    // vector per node.
    let mut targets: Vec<usize> = Vec::with_capacity(nodes.iter().map(|n| n.deps.len()).sum());
    let mut starts: Vec<usize> = Vec::with_capacity(nodes.len() + 1);
    let mut dirs = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        starts.push(targets.len());
        if resolver.is_alias(i) {
            continue;
        }
        resolver.dirs(&n.loc, &mut dirs);
        for (dep, kind) in &n.deps {
            match resolver.resolve(&dirs, dep) {
                Some(j) => targets.push(j),
                None if matches!(kind, DepKind::Normal) => diagnostics.push(input.diagnostic(
                    id,
                    Level::Warning,
                    Some(n.line),
                    format!(
                        "`{}` depends on `{dep}`, which the lockfile does not list",
                        n.name
                    ),
                )),
                None => {}
            }
        }
    }
    starts.push(targets.len());
    let deps_of = |i: usize| {
        let range = starts.get(i).copied().zip(starts.get(i + 1).copied());
        range
            .and_then(|(a, b)| targets.get(a..b))
            .unwrap_or_default()
    };
    // Direct: what a root (the project, a workspace member) depends on, or what the manifest names.
    let mut direct = vec![false; nodes.len()];
    let mut known = false;
    for (i, n) in nodes.iter().enumerate() {
        if n.root {
            known = true;
            for &j in deps_of(i) {
                if let Some(d) = direct.get_mut(j) {
                    *d = true;
                }
            }
        }
    }
    if let Some(m) = manifest.filter(|_| !known) {
        known = true;
        for name in m.deps().keys() {
            if let Some(j) = resolver.resolve(&[], name)
                && let Some(d) = direct.get_mut(j)
            {
                *d = true;
            }
        }
    }
    let alias: Vec<bool> = (0..nodes.len()).map(|i| resolver.is_alias(i)).collect();
    drop(resolver);
    // One path for every component of the file, set in place (`Component::at` moves the
    // component in and out, and looks the path up again, for each).
    let path: Arc<Path> = Arc::from(input.path);
    let mut purls: Vec<Option<Arc<str>>> = Vec::with_capacity(nodes.len());
    out.components.reserve(nodes.len());
    for (i, n) in nodes.iter_mut().enumerate() {
        if alias.get(i).copied().unwrap_or(false) {
            purls.push(None);
            continue;
        }
        let version = n.version.as_deref().filter(|v| !v.is_empty());
        let mut c = match Component::new(Ecosystem::Npm, &n.name, version) {
            Ok(c) => c,
            Err(e) => {
                out.diagnostics.push(input.diagnostic(
                    id,
                    Level::Error,
                    Some(n.line),
                    format!("`{}`: {e}", n.loc),
                ));
                purls.push(None);
                continue;
            }
        };
        if version.is_none() && !n.root && n.link.is_none() {
            out.diagnostics.push(input.diagnostic(
                id,
                Level::Warning,
                Some(n.line),
                format!("`{}` has no version", n.loc),
            ));
        }
        // A link whose target is not listed is a local package of the project.
        c.relationship = if n.root || n.link.is_some() {
            Relationship::Root
        } else if direct.get(i).copied().unwrap_or(false) {
            Relationship::Direct
        } else if known {
            Relationship::Transitive
        } else {
            Relationship::Unknown
        };
        c.scope = n.scope;
        c.source = std::mem::take(&mut n.source);
        c.hashes = std::mem::take(&mut n.hashes);
        // As `Component::with_license` adds them (trimmed, non-empty, once), moving the text;
        // the common single clean licence moves with its vector.
        let licenses = std::mem::take(&mut n.licenses);
        if let [one] = licenses.as_slice()
            && !one.is_empty()
            && one.trim().len() == one.len()
        {
            c.licenses = licenses;
        } else {
            add_licenses(&mut c, licenses);
        }
        c.locations = vec![Location {
            path: Arc::clone(&path),
            line: Some(n.line),
        }];
        purls.push(Some(c.key()));
        out.components.push(c);
    }
    // As `graph::edges` gives them: in node order, each node's in dependency order, between
    // nodes that both became components.
    out.edges.reserve(targets.len());
    for (i, from) in purls.iter().enumerate() {
        let Some(from) = from else { continue };
        for to in deps_of(i).iter().filter_map(|&j| purls.get(j)?.as_ref()) {
            out.edges.push(Edge {
                from: Arc::clone(from),
                to: Arc::clone(to),
            });
        }
    }
    out.diagnostics.extend(diagnostics);
}

/// Adds licences to a component as `Component::with_license` does (trimmed, non-empty, once),
/// moving the text where it needs no trimming.
fn add_licenses(c: &mut Component, licenses: Vec<String>) {
    for l in licenses {
        let t = l.trim();
        if t.is_empty() || c.licenses.iter().any(|x| x == t) {
            continue;
        }
        let l = if t.len() == l.len() { l } else { t.to_owned() };
        c.licenses.push(l);
    }
}

/// Parses the `packages` map of a hidden `node_modules/.package-lock.json` (same shape as v3),
/// in one pass when every entry reads, else entry by entry.
pub(crate) fn hidden_lock_nodes<'t>(
    input: &Input<'_>,
    id: &str,
    text: &'t str,
    out: &mut Extraction,
) -> Result<Vec<Node<'t>>, ExtractError> {
    hidden_nodes_by(input, id, text, out, Reader::Hand)
}

/// [`hidden_lock_nodes`] with the readers `reader` names.
fn hidden_nodes_by<'t>(
    input: &Input<'_>,
    id: &str,
    text: &'t str,
    out: &mut Extraction,
    reader: Reader,
) -> Result<Vec<Node<'t>>, ExtractError> {
    #[derive(Deserialize)]
    struct Fast<'a> {
        #[serde(borrow)]
        packages: Option<Keyed<'a, Entry<'a>>>,
    }
    #[derive(Deserialize)]
    struct Slow<'a> {
        #[serde(borrow)]
        packages: Option<Pairs<'a>>,
    }
    let hand = || fast::read(text, fast::Fields::Packages).filter(|_| reader == Reader::Hand);
    let packages = if let Some(top) = hand() {
        top.packages.map(Packages::Read)
    } else if let Ok(lock) = serde_json::from_str::<Fast>(text)
        && reader.one_pass()
    {
        lock.packages.map(Packages::Read)
    } else {
        serde_json::from_str::<Slow>(text)
            .map_err(|e| ExtractError::json(&e))?
            .packages
            .map(Packages::Raw)
    };
    let lines = js::Lines::new(text);
    Ok(packages
        .map(|p| packages_nodes(input, id, &lines, &p, out))
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Edge;
    use proptest::prelude::*;

    #[test]
    fn axios_v2() {
        let Some((ex, p)) = extract_shared(&NpmLock, "npm/axios/package-lock.json") else {
            return;
        };
        // python3: d=json.load(f); len(d["packages"]) - 1 (without "") → 2115; no `link` entries.
        // Distinct (name, version) pairs: len({(v.get("name") or k.rsplit("node_modules/")[-1],
        // v["version"]) for k, v in packages if k}) → 1672.
        assert_eq!(
            ex.components.len(),
            2115 + 1,
            "packages except \"\", plus the root"
        );
        assert_eq!(p.components.len(), 1672 + 1);
        let root = find(&p, "pkg:npm/axios@1.7.9");
        assert_eq!(root.relationship, Relationship::Root);
        let fr = find(&p, "pkg:npm/follow-redirects@1.15.6");
        assert_eq!(fr.relationship, Relationship::Direct);
        assert_eq!(fr.scope, Scope::Runtime);
        assert!(fr.licenses.is_empty(), "this v2 file records no licences");
        assert_eq!(
            fr.source,
            Source::Registry {
                url: Some("https://registry.npmjs.org".into())
            }
        );
        assert_eq!(fr.hashes.len(), 1);
        let babel = find(&p, "pkg:npm/%40babel/core@7.23.9");
        assert_eq!(babel.relationship, Relationship::Direct);
        assert_eq!(babel.scope, Scope::Dev);
        assert!(
            ex.diagnostics.is_empty(),
            "{:?}",
            &ex.diagnostics[..3.min(ex.diagnostics.len())]
        );
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/axios@1.7.9".into(),
            to: "pkg:npm/follow-redirects@1.15.6".into()
        }));
    }

    #[test]
    fn phoenix_v3_aliases_and_lines() {
        let Some((ex, p)) = extract_shared(&NpmLock, "npm/phoenix/package-lock.json") else {
            return;
        };
        // python3: len(d["packages"]) - 1 → 726 (no `link` entries); 634 distinct
        // (name, version) pairs.
        assert_eq!(ex.components.len(), 726 + 1);
        assert_eq!(p.components.len(), 634 + 1);
        // `node_modules/react-is-18` is `"name": "react-is"`, an alias.
        let aliased = ex
            .components
            .iter()
            .filter(|c| c.name == "react-is")
            .count();
        assert!(aliased >= 2, "{aliased}");
        assert!(!ex.components.iter().any(|c| c.name == "react-is-18"));
        // grep -n '"node_modules/@asamuzakjp/css-color": {' → line 23.
        let css = find(&p, "pkg:npm/%40asamuzakjp/css-color@6.0.5");
        assert_eq!(css.locations[0].line, Some(23));
        assert_eq!(css.scope, Scope::Dev);
        assert_eq!(css.relationship, Relationship::Transitive);
        assert_eq!(
            find(&p, "pkg:npm/jest@30.4.2").relationship,
            Relationship::Direct
        );
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
        // The nested lru-cache resolves from css-color, not the hoisted one.
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/%40asamuzakjp/css-color@6.0.5".into(),
            to: "pkg:npm/lru-cache@11.5.2".into()
        }));
    }

    #[test]
    fn axios_v1_tree() {
        let Some((ex, p)) = extract_shared(&NpmLock, "npm/axios@face016/package-lock.json") else {
            return;
        };
        // python3: count every entry of the nested `dependencies` trees, recursively → 1191.
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
        assert_eq!(ex.components.len(), 1191 + 1, "tree entries plus the root");
        // Distinct (name, version) pairs over the tree (python3, same walk) → 945.
        assert_eq!(p.components.len(), 945 + 1);
        assert_eq!(
            ex.manifest.as_deref(),
            Some(Path::new("npm/axios@face016/package.json"))
        );
        let root = find(&p, "pkg:npm/axios@0.18.1");
        assert_eq!(root.relationship, Relationship::Root);
        let fr = find(&p, "pkg:npm/follow-redirects@1.5.10");
        assert_eq!(fr.relationship, Relationship::Direct);
        assert_eq!(fr.scope, Scope::Runtime);
        let abbrev = find(&p, "pkg:npm/abbrev@1.1.1");
        assert_eq!(abbrev.scope, Scope::Dev);
        assert_eq!(abbrev.locations[0].line, Some(7));
        // acorn-jsx nests its own acorn 3.3.0 (line 38): the edge goes to it, not to 5.7.3.
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/acorn-jsx@3.0.1".into(),
            to: "pkg:npm/acorn@3.3.0".into()
        }));
        assert_eq!(find(&p, "pkg:npm/acorn@3.3.0").locations[0].line, Some(38));
    }

    #[test]
    fn workspaces_links_and_sources() {
        let (ex, p) = extract_testdata(&NpmLock, "npm-package-lock/workspaces/package-lock.json");
        // 4 packages except "": the link is an alias of `packages/lib`, so 3 + root.
        assert_eq!(ex.components.len(), 4, "{:#?}", ex.components);
        let lib = find(&p, "pkg:npm/lib@0.1.0");
        assert_eq!(lib.relationship, Relationship::Root);
        assert_eq!(
            lib.source,
            Source::Path {
                path: "packages/lib".into()
            }
        );
        let gitdep = find(&p, "pkg:npm/gitdep@2.0.0");
        assert_eq!(
            gitdep.source,
            Source::Git {
                url: "ssh://git@github.com/x/gitdep.git".into(),
                rev: Some("0123abc".into())
            }
        );
        assert_eq!(
            gitdep.relationship,
            Relationship::Direct,
            "lib depends on it"
        );
        let opt = find(&p, "pkg:npm/fsevents@2.3.3");
        assert_eq!(opt.scope, Scope::Optional);
        assert_eq!(opt.licenses, ["MIT"]);
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/app@1.0.0".into(),
            to: "pkg:npm/lib@0.1.0".into()
        }));
    }

    #[test]
    fn v1_aliases_git_and_file() {
        let lock = br#"{
  "name": "x", "version": "1.0.0", "lockfileVersion": 1,
  "dependencies": {
    "sw": { "version": "npm:string-width@4.2.3", "resolved": "https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz" },
    "g": { "version": "git+https://github.com/a/g.git#abcdef", "from": "git+https://github.com/a/g.git" },
    "local": { "version": "file:../local" }
  }
}"#;
        let ex = extract_bytes(&NpmLock, "npm-shrinkwrap.json", lock, &[]).unwrap();
        assert_eq!(ex.components.len(), 3);
        let sw = &ex.components[0];
        assert_eq!(sw.purl.as_str(), "pkg:npm/string-width@4.2.3");
        assert_eq!(sw.relationship, Relationship::Unknown, "no package.json");
        assert_eq!(sw.locations[0].line, Some(4));
        assert_eq!(
            ex.components[1].source,
            Source::Git {
                url: "https://github.com/a/g.git".into(),
                rev: Some("abcdef".into())
            }
        );
        assert_eq!(
            ex.components[2].source,
            Source::Path {
                path: "../local".into()
            }
        );
    }

    #[test]
    fn bad_entries_and_files() {
        let lock = br#"{
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "x", "version": "1.0.0", "dependencies": { "a": "1" } },
    "node_modules/a": { "version": 7 },
    "node_modules/b": { "version": "1.0.0" }
  }
}"#;
        let ex = extract_bytes(&NpmLock, "package-lock.json", lock, &[]).unwrap();
        assert_eq!(ex.components.len(), 2);
        let lines: Vec<_> = ex.diagnostics.iter().map(|d| (d.level, d.line)).collect();
        assert!(lines.contains(&(Level::Error, Some(5))), "{lines:?}");
        assert!(
            lines.contains(&(Level::Warning, Some(4))),
            "unresolved `a`: {lines:?}"
        );

        let err = extract_err(
            &NpmLock,
            "package-lock.json",
            b"{\n \"lockfileVersion\": 3,\n \"packages\": {\n  \"\": {,\n",
        );
        assert_eq!(err.line(), Some(4));
        let err = extract_err(&NpmLock, "package-lock.json", b"{\"lockfileVersion\": 9}");
        assert!(matches!(err, ExtractError::Unsupported(_)));
        assert!(!NpmLock.wants(Path::new("node_modules/.package-lock.json")));
        assert!(NpmLock.wants(Path::new("a/npm-shrinkwrap.json")));
    }

    /// Only the entry-by-entry reader.
    const ENTRY_BY_ENTRY: Reading = Reading {
        like: &NpmLock,
        read: |input| extract(input, Reader::EntryByEntry),
    };
    /// Serde's one-pass reader (the reader before [`fast`]), then entry by entry.
    const SERDE: Reading = Reading {
        like: &NpmLock,
        read: |input| extract(input, Reader::OnePass),
    };

    /// A hidden lockfile read by `hidden_nodes_by` with some of the readers.
    struct Hidden(Reader);

    impl Extractor for Hidden {
        fn id(&self) -> &'static str {
            ID
        }
        fn ecosystem(&self) -> Ecosystem {
            Ecosystem::Npm
        }
        fn files(&self) -> &'static str {
            ""
        }
        fn names(&self) -> &'static [FileName] {
            &[]
        }
        fn wants(&self, _: &Path) -> bool {
            true
        }
        fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
            let mut out = Extraction::default();
            let nodes = hidden_nodes_by(input, ID, input.text()?, &mut out, self.0)?;
            build(input, ID, nodes, None, &mut out);
            Ok(out)
        }
    }

    /// All readers on the same bytes: the same extraction, or the same error.
    fn same_by_both(name: &str, doc: &[u8]) -> String {
        let hand = format!("{:?}", extract_bytes(&NpmLock, name, doc, &[]));
        let one = format!("{:?}", extract_bytes(&SERDE, name, doc, &[]));
        let each = format!("{:?}", extract_bytes(&ENTRY_BY_ENTRY, name, doc, &[]));
        let doc = String::from_utf8_lossy(doc);
        assert_eq!(hand, one, "{doc}");
        assert_eq!(one, each, "{doc}");
        hand
    }

    /// The hand-written reader and serde's one-pass reader read every real lockfile (v1, v2,
    /// v3) exactly as the entry-by-entry reader does, and each reads it in one pass (no
    /// fallback).
    #[test]
    fn one_pass_matches_entry_by_entry() {
        let shared = [
            "npm/axios/package-lock.json",
            "npm/axios@face016/package-lock.json",
            "npm/phoenix/package-lock.json",
        ];
        for rel in shared {
            let (Some((hand, _)), Some((one, _)), Some((each, _))) = (
                extract_shared(&NpmLock, rel),
                extract_shared(&SERDE, rel),
                extract_shared(&ENTRY_BY_ENTRY, rel),
            ) else {
                return;
            };
            assert!(!one.components.is_empty());
            assert_eq!(format!("{hand:?}"), format!("{one:?}"), "{rel}");
            assert_eq!(format!("{one:?}"), format!("{each:?}"), "{rel}");
            let text = std::fs::read_to_string(shared_data().unwrap().join("lockfiles").join(rel))
                .unwrap();
            let top = fast::read(&text, fast::Fields::Lock).expect(rel);
            assert_eq!(top.packages.is_some(), !rel.contains("face016"), "{rel}");
            let lock = serde_json::from_str::<FastLock>(&text).expect(rel);
            if lock.packages.is_none() {
                let raw = lock.dependencies.expect(rel);
                assert_eq!(top.dependencies, Some(raw.get()));
                assert!(fast::read_v1(raw.get()).is_some(), "{rel}");
                assert!(top.v1.is_some(), "{rel}");
                assert!(
                    serde_json::from_str::<Keyed<V1Fast>>(raw.get()).is_ok(),
                    "{rel}"
                );
            }
        }
        let fixture = "npm-package-lock/workspaces/package-lock.json";
        let (hand, _) = extract_testdata(&NpmLock, fixture);
        let (one, _) = extract_testdata(&SERDE, fixture);
        let (each, _) = extract_testdata(&ENTRY_BY_ENTRY, fixture);
        assert_eq!(format!("{hand:?}"), format!("{one:?}"));
        assert_eq!(format!("{one:?}"), format!("{each:?}"));
        let text = include_str!("../../testdata/npm-package-lock/workspaces/package-lock.json");
        assert!(fast::read(text, fast::Fields::Lock).is_some());
    }

    /// What the one-pass reader refuses (a key with escapes, a bad entry, a `dependencies`
    /// that is not an object, a number `Value` rejects) is read entry by entry, with the same
    /// diagnostics and lines.
    #[test]
    fn refused_documents_fall_back() {
        let escaped = br#"{
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "x", "version": "1.0.0", "dependencies": { "a": "1" } },
    "node_modules/\u0061": { "version": "1.0.0", "license": "MIT" }
  }
}"#;
        let out = same_by_both("package-lock.json", escaped);
        assert!(out.contains("pkg:npm/a@1.0.0"), "{out}");
        let ex = extract_bytes(&NpmLock, "package-lock.json", escaped, &[]).unwrap();
        assert_eq!(get(&ex, "a").locations[0].line, Some(5));
        assert_eq!(get(&ex, "a").licenses, ["MIT"]);

        let bad_v1 = br#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": { "version": "1.0.0", "dependencies": { "b": { "version": 2 } } },
    "c": { "version": "1.0.0", "requires": { "a": 1e999 } },
    "d": { "version": "1.0.0", "requires": { "a": "^1" } }
  }
}"#;
        let out = same_by_both("package-lock.json", bad_v1);
        let ex = extract_bytes(&NpmLock, "package-lock.json", bad_v1, &[]).unwrap();
        assert_eq!(ex.components.len(), 2, "{out}");
        let lines: Vec<_> = ex.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(4), Some(5)]);

        for doc in [
            &br#"{"lockfileVersion": 3, "packages": {}, "dependencies": 5}"#[..],
            br#"{"lockfileVersion": 3, "packages": {"node_modules/a": {"license": [1e999]}}}"#,
            br#"{"lockfileVersion": 2, "packages": {"node_modules/a": []}, "dependencies": {}}"#,
            br#"{"lockfileVersion": 3, "packages": {"node_modules/a"  :
              {"version": "1", "license": {"type": "MIT", "x": {"type": "no"}, "type": ["A", {"type": "B"}]}}}}"#,
        ] {
            same_by_both("package-lock.json", doc);
        }
    }

    /// The licences of a `license` value, as the reader before [`Licenses`] found them in a
    /// `serde_json::Value`.
    fn licenses_of_value(v: &serde_json::Value) -> Vec<String> {
        match v {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Object(o) => {
                o.get("type").map(licenses_of_value).unwrap_or_default()
            }
            serde_json::Value::Array(a) => a.iter().flat_map(licenses_of_value).collect(),
            _ => Vec::new(),
        }
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            "[a-zA-Z\\\"é -]{0,6}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::vec(
                    (prop_oneof![Just("type".to_owned()), "[a-z]{1,3}"], inner),
                    0..4
                )
                .prop_map(|kv| {
                    // Repeated keys, as a file may hold them: the last counts.
                    let body: Vec<String> = kv
                        .iter()
                        .map(|(k, v)| format!("{}: {v}", serde_json::Value::from(k.as_str())))
                        .collect();
                    serde_json::from_str(&format!("{{{}}}", body.join(", "))).unwrap()
                }),
            ]
        })
    }

    /// A small package-lock v3 (or v1) from generated entries, laid out with generated
    /// whitespace, with escapes and odd values now and then.
    fn lockfile() -> impl Strategy<Value = String> {
        let ws = prop_oneof![Just(""), Just(" "), Just("\n  "), Just("\t"), Just("\r\n")];
        let name = prop_oneof![
            Just("a"),
            Just("b"),
            Just("@s/c"),
            Just("a/node_modules/b"),
            Just("b/node_modules/a"),
            Just("\\u0061"),
            Just("packages/w"),
        ];
        let value = prop_oneof![
            Just(r#""1.0.0""#),
            Just(r#""^2""#),
            Just("7"),
            Just("null"),
            Just("true"),
            Just(r#""npm:b@2.0.0""#),
            Just(r#""git+https://x/y.git#abc""#),
            Just("1e999"),
        ];
        let field = prop_oneof![
            Just("version"),
            Just("resolved"),
            Just("integrity"),
            Just("dev"),
            Just("optional"),
            Just("link"),
            Just("name"),
            Just("peer"),
            Just("devOptional"),
        ];
        let entry = (
            name,
            proptest::collection::vec((field, value.clone()), 0..4),
            proptest::collection::vec(
                (prop_oneof![Just("a"), Just("b"), Just("@s/c")], value),
                0..3,
            ),
            json_value(),
            ws.clone(),
            ws,
        );
        (any::<bool>(), proptest::collection::vec(entry, 0..6)).prop_map(|(v1, entries)| {
            let mut body = Vec::new();
            for (name, fields, deps, license, w1, w2) in entries {
                let mut parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!(r#""{k}": {v}"#))
                    .collect();
                let deps: Vec<String> =
                    deps.iter().map(|(k, v)| format!(r#""{k}": {v}"#)).collect();
                let table = if v1 { "requires" } else { "dependencies" };
                parts.push(format!(r#""{table}": {{{}}}"#, deps.join(", ")));
                parts.push(format!(r#""license": {license}"#));
                let key = if v1 {
                    name.rsplit('/').next().unwrap_or(name).to_owned()
                } else {
                    format!("node_modules/{name}")
                };
                body.push(format!(r#""{key}"{w1}:{w2}{{{}}}"#, parts.join(",\n")));
            }
            if v1 {
                format!(
                    "{{\"lockfileVersion\": 1, \"dependencies\": {{\n{}\n}}}}",
                    body.join(",\n")
                )
            } else {
                body.insert(
                    0,
                    r#""": {"name": "x", "dependencies": {"a": "1"}}"#.to_owned(),
                );
                format!(
                    "{{\"lockfileVersion\": 3, \"packages\": {{\n{}\n}}}}",
                    body.join(",\n")
                )
            }
        })
    }

    /// A small well-formed package-lock v3 (or v1) inside the hand-written reader's subset:
    /// each field at most once and of its type, any `license` value, odd whitespace.
    fn good_lockfile() -> impl Strategy<Value = String> {
        let fields = proptest::sample::subsequence(
            vec![
                r#""version": "1.0.0""#,
                r#""resolved": "git+https://x/y.git#abc""#,
                r#""integrity": "sha512-AAAA""#,
                r#""dev": true"#,
                r#""optional": false"#,
                r#""link": true"#,
                r#""name": "n\u0061""#,
                r#""peer": true"#,
                r#""devOptional": true"#,
                r#""x": [1, {"y": null}, -0, []]"#,
            ],
            0..6,
        );
        let entry = (
            prop_oneof![
                Just("a"),
                Just("b"),
                Just("@s/c"),
                Just("a/node_modules/b"),
                Just("packages/w"),
            ],
            fields,
            proptest::collection::vec(prop_oneof![Just("a"), Just("b"), Just("@s/c")], 0..3),
            json_value(),
            prop_oneof![Just(" "), Just("\n  "), Just("\t"), Just("\r\n")],
        );
        (any::<bool>(), proptest::collection::vec(entry, 0..6)).prop_map(|(v1, entries)| {
            let mut body = Vec::new();
            for (name, fields, deps, license, w) in entries {
                let mut parts: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
                let deps: Vec<String> = deps.iter().map(|k| format!(r#""{k}":{w}"^1""#)).collect();
                let table = if v1 { "requires" } else { "dependencies" };
                parts.push(format!(r#""{table}": {{{}}}"#, deps.join(",")));
                if !v1 {
                    parts.push(format!(r#""license":{w}{license}"#));
                }
                let key = if v1 {
                    name.rsplit('/').next().unwrap_or(name).to_owned()
                } else {
                    format!("node_modules/{name}")
                };
                body.push(format!(r#""{key}":{w}{{{}}}"#, parts.join(&format!(",{w}"))));
            }
            if v1 {
                format!(
                    "{{\"lockfileVersion\": 1, \"dependencies\": {{\n{}\n}}}}",
                    body.join(",\n")
                )
            } else {
                body.insert(
                    0,
                    r#""": {"name": "x", "dependencies": {"a": "1"}}"#.to_owned(),
                );
                format!(
                    "{{\"lockfileVersion\": 3, \"packages\": {{\n{}\n}}, \"dependencies\": {{\"a\": {{\"version\": \"1\"}}}}}}",
                    body.join(",\n")
                )
            }
        })
    }

    /// A folder name, hostile ones included (`node_modules` itself, `-`, a scope).
    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("@s/c".to_owned()),
            Just("node_modules".to_owned()),
            Just("w".to_owned()),
            Just("".to_owned()),
        ]
    }

    /// A location: segments joined by `/`, mostly `node_modules/<name>` pairs.
    fn location() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                segment().prop_map(|s| format!("node_modules/{s}")),
                segment(),
            ],
            1..4,
        )
        .prop_map(|parts| parts.join("/"))
    }

    fn plain_node(loc: &str, link: Option<String>) -> Node<'static> {
        Node {
            loc: Cow::Owned(loc.to_owned()),
            name: Cow::Borrowed("x"),
            version: None,
            source: Source::Unknown,
            hashes: Vec::new(),
            licenses: Vec::new(),
            scope: Scope::Runtime,
            root: false,
            line: 1,
            deps: Vec::new(),
            link,
        }
    }

    /// Node's lookup as it was written before `Resolver`: every folder from `loc` up, one map
    /// of every location.
    fn resolve_by_locations(nodes: &[Node<'_>], loc: &str, name: &str) -> Option<usize> {
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.loc.as_ref(), i))
            .collect();
        let mut dir = loc;
        loop {
            let candidate = if dir.is_empty() {
                format!("node_modules/{name}")
            } else {
                format!("{dir}/node_modules/{name}")
            };
            if let Some(&i) = index.get(candidate.as_str()) {
                let target = nodes
                    .get(i)
                    .and_then(|n| n.link.as_deref())
                    .and_then(|t| index.get(t).copied());
                return Some(target.unwrap_or(i));
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir.rfind('/').and_then(|p| dir.get(..p)).unwrap_or("");
            if dir == "node_modules" {
                dir = "";
            } else if let Some(d) = dir.strip_suffix("/node_modules") {
                dir = d;
            }
        }
    }

    proptest! {
        /// Well-formed documents are read by the hand-written reader (no fallback), and all
        /// readers find the same in them.
        #[test]
        fn good_documents_read_by_hand(doc in good_lockfile()) {
            let top = fast::read(&doc, fast::Fields::Lock);
            prop_assert!(top.is_some(), "{}", doc);
            let top = top.unwrap();
            prop_assert!(top.packages.is_some() || top.v1.is_some(), "{}", doc);
            prop_assert!(fast::read(&doc, fast::Fields::Packages).is_some(), "{}", doc);
            same_by_both("package-lock.json", doc.as_bytes());
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&NpmLock, "package-lock.json", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..2000) {
            let text = include_bytes!("../../testdata/npm-package-lock/workspaces/package-lock.json");
            let cut = cut.min(text.len());
            let _ = extract_bytes(&NpmLock, "package-lock.json", &text[..cut], &[]);
        }

        /// All readers find the same on generated lockfiles, good and bad.
        #[test]
        fn readers_agree(doc in lockfile()) {
            same_by_both("package-lock.json", doc.as_bytes());
        }

        /// All readers find the same in generated hidden lockfiles, good and bad.
        #[test]
        fn hidden_readers_agree(doc in lockfile()) {
            let by = |reader| format!("{:?}", extract_bytes(&Hidden(reader), "package-lock.json", doc.as_bytes(), &[]));
            let hand = by(Reader::Hand);
            prop_assert_eq!(&hand, &by(Reader::OnePass));
            prop_assert_eq!(&hand, &by(Reader::EntryByEntry));
        }

        /// `name_of_location` is `rfind("node_modules/")`, as it was written before.
        #[test]
        fn name_of_location_is_rfind(loc in "[nodemul_s/@a]{0,40}") {
            let expected = match loc.rfind("node_modules/") {
                Some(i) => loc.get(i + "node_modules/".len()..).unwrap_or(&loc),
                None => loc.rsplit('/').next().unwrap_or(&loc),
            };
            prop_assert_eq!(name_of_location(&loc), expected);
            let nested = format!("node_modules/{loc}/node_modules/@s/b");
            prop_assert_eq!(name_of_location(&nested), "@s/b");
        }

        /// `in_node_modules` is the two searches it replaced.
        #[test]
        fn in_node_modules_is_contains(key in "[nodemul_s/@a]{0,40}") {
            let expected = key.starts_with("node_modules/") || key.contains("/node_modules/");
            prop_assert_eq!(in_node_modules(&key), expected);
        }

        /// The registry fast path, where it answers, answers as `parse_source`.
        #[test]
        fn registry_source_as_parse_source(
            name in "[-a-z/@.%]{0,8}",
            rest in "[-a-z/.@ ]{0,12}",
            spelled_name in any::<bool>(),
        ) {
            let path = if spelled_name { format!("{name}{rest}") } else { rest.clone() };
            for r in [
                format!("https://registry.npmjs.org/{path}"),
                format!("https://registry.npmjs.org/{name}/-/{rest}"),
                format!("https://registry.npmjs.org/{name}/-/{rest}.git"),
            ] {
                if let Some(fast) = npm_registry_source(&r, &name) {
                    prop_assert_eq!(fast, js::parse_source(&r, &name), "{}", r);
                }
            }
        }

        /// `Resolver` finds what Node's rule, spelled out on the location strings, finds.
        #[test]
        fn resolver_as_node_lookup(
            locs in proptest::collection::vec(location(), 0..12),
            links in proptest::collection::vec(proptest::option::of(location()), 12),
            names in proptest::collection::vec(segment(), 1..5),
        ) {
            let nodes: Vec<Node> = locs
                .iter()
                .zip(&links)
                .map(|(loc, link)| plain_node(loc, link.clone()))
                .collect();
            let mut resolver = Resolver::new(&nodes);
            let mut from: Vec<&str> = vec![""];
            from.extend(locs.iter().map(String::as_str));
            for loc in from {
                for name in &names {
                    let mut dirs = Vec::new();
                    resolver.dirs(loc, &mut dirs);
                    prop_assert_eq!(
                        resolver.resolve(&dirs, name),
                        resolve_by_locations(&nodes, loc, name),
                        "{} from {}", name, loc
                    );
                }
            }
        }

        /// `Licenses` finds what a `serde_json::Value` held.
        #[test]
        fn licenses_as_from_a_value(v in json_value()) {
            let text = v.to_string();
            let l: Licenses = serde_json::from_str(&text).unwrap();
            let found: Vec<String> = l.0.iter().map(|l| l.to_string()).collect();
            prop_assert_eq!(found, licenses_of_value(&v));
        }
    }
}
