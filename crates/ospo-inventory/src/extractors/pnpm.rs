//! `pnpm-lock.yaml` (lockfile 5.x, 6.x, 9.x), paired with the `package.json` files of its
//! importers.
//!
//! Every `packages` key is a component. The key formats differ by version: `/name/1.0.0_peer@2`
//! (5.x), `/name@1.0.0(peer@2)` (6.x), `name@1.0.0` (9.x, whose peer-suffixed variants live in
//! `snapshots`). A peer suffix is not part of the version: two keys that differ only by it are two
//! entries of the file with the same purl. `importers` are the workspace's projects (`.` is the
//! root); what they list is direct, and dev scope is propagated from them along the graph unless
//! the file records it (`dev: true|false` in 5.x/6.x). An importer whose `package.json` can be
//! read becomes a Root component.

use crate::HashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Hash, Level, Location, Relationship, Scope, Source};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::yaml::{Entry, Node as YNode, Tree};

use super::js::{self, DepKind};

mod reader;
use crate::extractors::graph;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct PnpmLock;

const ID: &str = "pnpm-lock";

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
#[serde(untagged)]
enum Scalar {
    Num(f64),
    Str(String),
}

/// The parts of a lockfile the extractor reads, from either parser: borrowed from the fast
/// reader's tree or the text (the shape reader), owned when serde-saphyr read the file.
#[cfg_attr(test, derive(Debug, PartialEq))]
struct Lock<'a> {
    lockfile_version: Option<Scalar>,
    /// By folder, sorted (as a `BTreeMap` would hold them).
    importers: Option<Vec<(Str<'a>, Importer<'a>)>>,
    /// `(key, line of the key, entry)` in file order.
    packages: Vec<(Str<'a>, Option<u32>, Package<'a>)>,
    snapshots: Option<Vec<(Str<'a>, Snapshot<'a>)>>,
    // A 5.x lockfile without workspaces has the root importer's fields at the top level.
    root: Importer<'a>,
}

type Str<'a> = Cow<'a, str>;

/// The lockfile as serde-saphyr reads it (any YAML).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SerdeLock {
    lockfile_version: Option<Scalar>,
    importers: Option<BTreeMap<Str<'static>, Importer<'static>>>,
    packages: Option<js::YPairs<Spanned<String>, Package<'static>>>,
    snapshots: Option<js::YPairs<Spanned<String>, Snapshot<'static>>>,
    #[serde(flatten)]
    root: Importer<'static>,
}

impl From<SerdeLock> for Lock<'static> {
    fn from(l: SerdeLock) -> Self {
        Lock {
            lockfile_version: l.lockfile_version,
            importers: l.importers.map(|m| m.into_iter().collect()),
            packages: l
                .packages
                .map(|p| p.0)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, p)| {
                    let line = u32::try_from(k.referenced.line()).ok().filter(|&l| l > 0);
                    (Cow::Owned(k.value), line, p)
                })
                .collect(),
            snapshots: l.snapshots.map(|s| {
                s.0.into_iter()
                    .map(|(k, v)| (Cow::Owned(k.value), v))
                    .collect()
            }),
            root: l.root,
        }
    }
}

/// Which YAML reader to use: the fast one for the subset pnpm writes (falling back to the full
/// one for anything else), or only the full one (tests compare the two).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    Fast,
    #[cfg_attr(not(test), allow(dead_code))]
    Full,
}

/// The lockfile from the fast reader's `tree` (see [`crate::yaml::parse`]) when there is one
/// the extractor can read, else from serde-saphyr.
fn parse_lock<'t>(text: &str, tree: Option<&'t Tree<'_>>) -> Result<Lock<'t>, ExtractError> {
    if let Some(lock) = tree.and_then(from_node) {
        return Ok(lock);
    }
    let lock: SerdeLock = serde_saphyr::from_str_with_options(text, js::yaml_options(text.len()))
        .map_err(|e| js::yaml_error(&e))?;
    Ok(lock.into())
}

/// The lockfile from the fast reader's tree, or `None` where a value has a type serde would
/// not take (the full parser then gives its error).
fn from_node<'n>(t: &'n Tree<'_>) -> Option<Lock<'n>> {
    let root = t.root();
    let lockfile_version = version_scalar(t.get(root, "lockfileVersion"))?;
    let importers_node = t.get(root, "importers");
    let importers = match map(t, importers_node)? {
        None => None,
        Some(entries) => {
            let mut importers = Vec::with_capacity(entries.len());
            for e in entries {
                importers.push((Cow::Borrowed(e.key.as_ref()), importer(t, &e.value)?));
            }
            // The reader refused repeated keys: sorting the rest gives a `BTreeMap`'s order.
            if !importers_node.is_some_and(YNode::is_sorted_map) {
                importers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            }
            Some(importers)
        }
    };
    // Loops rather than `collect::<Option<Vec<_>>>()`, which cannot size the vector up front
    // and so moves every (large) entry again each time it grows.
    let entries = map(t, t.get(root, "packages"))?.unwrap_or_default();
    let mut packages = Vec::with_capacity(entries.len());
    for e in entries {
        // Filled in place: a `Package` is large, and returning one by value copied it several
        // times on its way into the vector.
        packages.push((
            Cow::Borrowed(e.key.as_ref()),
            Some(e.line),
            Package::default(),
        ));
        let (_, _, p) = packages.last_mut()?;
        package(t, &e.value, p)?;
    }
    let snapshots = match map(t, t.get(root, "snapshots"))? {
        None => None,
        Some(entries) => {
            let mut snapshots = Vec::with_capacity(entries.len());
            for e in entries {
                snapshots.push((Cow::Borrowed(e.key.as_ref()), snapshot(t, &e.value)?));
            }
            Some(snapshots)
        }
    };
    Some(Lock {
        lockfile_version,
        importers,
        packages,
        snapshots,
        root: importer(t, root)?,
    })
}

/// `lockfileVersion` as serde reads it; `Some(None)` when missing or null, `None` for a type
/// serde would not take (or might read otherwise: left to the full parser).
fn version_scalar(node: Option<&YNode<'_>>) -> Option<Option<Scalar>> {
    Some(match node {
        None | Some(YNode::Null) => None,
        Some(n @ YNode::Plain(p)) => Some(match p.parse::<f64>() {
            Ok(v) if n.maybe_not_a_string() && n.as_bool().is_none() => Scalar::Num(v),
            _ if n.maybe_not_a_string() => return None,
            _ => Scalar::Str((*p).to_owned()),
        }),
        Some(YNode::Str(s)) => Some(Scalar::Str(s.to_string())),
        Some(_) => return None,
    })
}

/// A mapping's entries; `Some(None)` for a missing or null value, `None` for another type.
fn map<'n, 'a>(t: &'n Tree<'a>, node: Option<&'n YNode<'a>>) -> Option<Option<&'n [Entry<'a>]>> {
    match node {
        None | Some(YNode::Null) => Some(None),
        Some(n) => t.entries(n).map(Some),
    }
}

fn importer<'n>(t: &'n Tree<'_>, node: &'n YNode<'_>) -> Option<Importer<'n>> {
    let deps = |key: &str| -> Option<Option<Deps<'n>>> {
        let n = match t.get(node, key) {
            None | Some(YNode::Null) => return Some(None),
            Some(n) => n,
        };
        let entries = t.entries(n)?;
        let mut deps = Vec::with_capacity(entries.len());
        for e in entries {
            let r = match &e.value {
                // Untagged: a number or a boolean is neither form.
                p @ YNode::Plain(_) if p.maybe_not_a_string() => return None,
                YNode::Plain(_) | YNode::Str(_) => {
                    DepRef::Version(Cow::Borrowed(e.value.as_str()?))
                }
                v @ YNode::Map(_) => DepRef::Spec {
                    version: string(t.get(v, "version")?)?,
                },
                _ => return None,
            };
            deps.push((Cow::Borrowed(e.key.as_ref()), r));
        }
        // Keys are distinct (the reader refuses repeats): sorted, as a `BTreeMap` holds them.
        if !n.is_sorted_map() {
            deps.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        }
        Some(Some(deps))
    };
    match node {
        YNode::Null => Some(Importer::default()),
        YNode::Map(_) => Some(Importer {
            dependencies: deps("dependencies")?,
            dev_dependencies: deps("devDependencies")?,
            optional_dependencies: deps("optionalDependencies")?,
        }),
        _ => None,
    }
}

/// A `packages` entry into `p` (a default one), read in one pass over its fields (the fields
/// serde would read; the reader has already refused repeated keys, so each is seen at most
/// once); `None` where a value has a type serde would not take.
fn package<'n>(t: &'n Tree<'_>, node: &'n YNode<'_>, p: &mut Package<'n>) -> Option<()> {
    if *node == YNode::Null {
        return Some(());
    }
    for e in t.entries(node)? {
        let v = &e.value;
        match e.key.as_ref() {
            "resolution" => resolution(t, v, &mut p.resolution)?,
            "name" => p.name = opt_string(v)?,
            "version" => p.version = opt_string(v)?,
            "dev" if *v == YNode::Null => {}
            "dev" => p.dev = Some(v.as_bool()?),
            "optional" => p.optional = v.as_bool()?,
            "dependencies" => p.dependencies = table(t, v)?,
            "optionalDependencies" => p.optional_dependencies = table(t, v)?,
            _ => {}
        }
    }
    Some(())
}

/// A `resolution` into `out` (`None` so far), in place as [`package`] is.
fn resolution<'n>(
    t: &'n Tree<'_>,
    node: &'n YNode<'_>,
    out: &mut Option<Resolution<'n>>,
) -> Option<()> {
    if *node == YNode::Null {
        return Some(());
    }
    let entries = t.entries(node)?;
    let r = out.insert(Resolution::default());
    for e in entries {
        let v = &e.value;
        match e.key.as_ref() {
            "integrity" => r.integrity = opt_string(v)?,
            "tarball" => r.tarball = opt_string(v)?,
            "repo" => r.repo = opt_string(v)?,
            "commit" => r.commit = opt_string(v)?,
            "directory" => r.directory = opt_string(v)?,
            _ => {}
        }
    }
    Some(())
}

fn snapshot<'n>(t: &'n Tree<'_>, node: &'n YNode<'_>) -> Option<Snapshot<'n>> {
    let mut s = Snapshot::default();
    if *node == YNode::Null {
        return Some(s);
    }
    for e in t.entries(node)? {
        match e.key.as_ref() {
            "dependencies" => s.dependencies = table(t, &e.value)?,
            "optionalDependencies" => s.optional_dependencies = table(t, &e.value)?,
            _ => {}
        }
    }
    Some(s)
}

fn string<'n>(node: &'n YNode<'_>) -> Option<Str<'n>> {
    node.as_str().map(Cow::Borrowed)
}

/// `Some(None)` for a null value, `None` for a value that is not a scalar.
fn opt_string<'n>(node: &'n YNode<'_>) -> Option<Option<Str<'n>>> {
    match node {
        YNode::Null => Some(None),
        n => string(n).map(Some),
    }
}

/// A `name: reference` table; `Some(None)` for a null value, `None` for another type.
fn table<'n>(t: &'n Tree<'_>, node: &'n YNode<'_>) -> Option<Option<Table<'n>>> {
    if *node == YNode::Null {
        return Some(None);
    }
    let entries = t.entries(node)?;
    if entries.iter().any(|e| e.value.as_str().is_none()) {
        return None;
    }
    // pnpm writes these sorted already (the reader noted it), so the tree's entries serve as
    // they are; the keys are distinct (the reader refuses repeats).
    if node.is_sorted_map() {
        return Some(Some(Table::Tree(entries)));
    }
    let mut pairs = entries
        .iter()
        .map(|e| Some((Cow::Borrowed(e.key.as_ref()), string(&e.value)?)))
        .collect::<Option<Vec<_>>>()?;
    pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(Some(Table::Pairs(pairs)))
}

#[derive(Deserialize, Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
#[serde(rename_all = "camelCase")]
struct Importer<'a> {
    #[serde(default, deserialize_with = "sorted_deps")]
    dependencies: Option<Deps<'a>>,
    #[serde(default, deserialize_with = "sorted_deps")]
    dev_dependencies: Option<Deps<'a>>,
    #[serde(default, deserialize_with = "sorted_deps")]
    optional_dependencies: Option<Deps<'a>>,
}

/// An importer's dependencies by name, sorted, with distinct names: what a `BTreeMap` would
/// hold, without building one per importer on the fast path.
type Deps<'a> = Vec<(Str<'a>, DepRef<'a>)>;

/// [`Deps`] from serde-saphyr: through a `BTreeMap`, as before (a repeated name: the last wins).
fn sorted_deps<'de, 'a, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Deps<'a>>, D::Error> {
    let map = Option::<BTreeMap<Str<'a>, DepRef<'a>>>::deserialize(d)?;
    Ok(map.map(|m| m.into_iter().collect()))
}

/// `1.0.0` (5.x) or `{specifier, version}` (6.x and later).
#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
#[serde(untagged)]
enum DepRef<'a> {
    Version(Str<'a>),
    Spec { version: Str<'a> },
}

impl DepRef<'_> {
    fn version(&self) -> &str {
        match self {
            DepRef::Version(v) | DepRef::Spec { version: v } => v,
        }
    }
}

#[derive(Deserialize, Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
#[serde(rename_all = "camelCase")]
struct Package<'a> {
    resolution: Option<Resolution<'a>>,
    name: Option<Str<'a>>,
    version: Option<Str<'a>>,
    dev: Option<bool>,
    #[serde(default)]
    optional: bool,
    dependencies: Option<Table<'a>>,
    optional_dependencies: Option<Table<'a>>,
}

#[derive(Deserialize, Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
#[serde(rename_all = "camelCase")]
struct Snapshot<'a> {
    dependencies: Option<Table<'a>>,
    optional_dependencies: Option<Table<'a>>,
}

/// A dependency table (`name: reference`) sorted by name, with distinct names: what a
/// `BTreeMap` would hold, without building one per package.
enum Table<'a> {
    /// The fast reader's entries, when already sorted, with scalar values: not copied.
    Tree(&'a [Entry<'a>]),
    Pairs(Vec<(Str<'a>, Str<'a>)>),
}

impl Table<'_> {
    fn len(&self) -> usize {
        match self {
            Table::Tree(entries) => entries.len(),
            Table::Pairs(pairs) => pairs.len(),
        }
    }

    /// The `(name, reference)` pairs, by name.
    fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let (tree, pairs) = match self {
            Table::Tree(entries) => (*entries, &[][..]),
            Table::Pairs(pairs) => (&[][..], pairs.as_slice()),
        };
        // `table` only keeps entries with scalar values.
        let tree = tree
            .iter()
            .map(|e| (e.key.as_ref(), e.value.as_str().unwrap_or_default()));
        tree.chain(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
    }
}

/// Tables are equal when their pairs are, whichever way each is held.
#[cfg(test)]
impl PartialEq for Table<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

#[cfg(test)]
impl std::fmt::Debug for Table<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'de, 'a> Deserialize<'de> for Table<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<Str<'a>, Str<'a>>::deserialize(d)?;
        Ok(Table::Pairs(map.into_iter().collect()))
    }
}

#[derive(Deserialize, Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct Resolution<'a> {
    integrity: Option<Str<'a>>,
    tarball: Option<Str<'a>>,
    repo: Option<Str<'a>>,
    commit: Option<Str<'a>>,
    directory: Option<Str<'a>>,
}

impl Extractor for PnpmLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }
    fn files(&self) -> &'static str {
        "pnpm-lock.yaml (5.x, 6.x, 9.x), with the importers' package.json"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("pnpm-lock.yaml")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "pnpm-lock.yaml")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        extract(input, Reader::Fast)
    }
}

fn extract(input: &Input<'_>, reader: Reader) -> Result<Extraction, ExtractError> {
    let text = input.text()?;
    // The shape pnpm writes, read straight into the lock; else the YAML tree, else serde.
    let shaped = match reader {
        Reader::Fast => reader::read(text),
        Reader::Full => None,
    };
    let tree = match (reader, &shaped) {
        (Reader::Fast, None) => crate::yaml::parse(text),
        _ => None,
    };
    let lock = match shaped {
        Some(lock) => lock,
        None => parse_lock(text, tree.as_ref())?,
    };
    let major = match &lock.lockfile_version {
        Some(Scalar::Num(n)) => n.to_string(),
        Some(Scalar::Str(s)) => s.clone(),
        None => return Err(ExtractError::syntax(Some(1), "no `lockfileVersion`")),
    };
    let major: u32 = major
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| ExtractError::Unsupported(major.clone()))?;
    if !(5..=9).contains(&major) {
        return Err(ExtractError::Unsupported(format!(
            "lockfileVersion {major}"
        )));
    }
    let mut out = Extraction::default();

    // Nodes: one per `packages` key, then one per importer.
    let packages = &lock.packages;
    // Room for the importers too: a node is large, and growing moves every one.
    let importer_count = lock.importers.as_ref().map_or(1, |m| m.len().max(1));
    let mut nodes: Vec<Node> = Vec::with_capacity(packages.len() + importer_count);
    // Room for the snapshots' keys too, added below.
    let snapshot_count = lock.snapshots.as_ref().map_or(0, Vec::len);
    let mut by_key = Keys::with_capacity(packages.len() + snapshot_count);
    for (key, line, pkg) in packages {
        let line = *line;
        let Some((name, version)) = split_key(key, pkg, major) else {
            out.diagnostics.push(input.diagnostic(
                ID,
                Level::Error,
                line,
                format!("package `{}` ignored: cannot read its name", key),
            ));
            continue;
        };
        by_key.insert(key, nodes.len());
        nodes.push(Node {
            name: Cow::Borrowed(name),
            version: version.map(Cow::Borrowed),
            line,
            source: source_of(pkg.resolution.as_ref(), key),
            hash: pkg
                .resolution
                .as_ref()
                .and_then(|r| r.integrity.as_deref())
                .and_then(Hash::from_sri),
            dev: pkg.dev,
            optional: pkg.optional,
            root: false,
        });
    }
    // The graph, from `snapshots` (9.x, keyed with peer suffixes) or `packages`.
    let mut graph: Vec<Vec<usize>> = Vec::with_capacity(nodes.capacity());
    graph.resize_with(nodes.len(), Vec::new);
    let mut buf = String::new();
    let mut add_deps = |from: usize, deps: [&Option<Table<'_>>; 2], keys: &Keys| {
        let Some(edges) = graph.get_mut(from) else {
            return;
        };
        edges.reserve(deps.iter().flat_map(|t| t.as_ref()).map(Table::len).sum());
        for (name, v) in deps.into_iter().flatten().flat_map(Table::iter) {
            if let Some(to) = lookup(keys, name, v, &mut buf) {
                edges.push(to);
            }
        }
    };
    match &lock.snapshots {
        Some(snapshots) => {
            // Snapshot keys resolve to the package entry without the peer suffix.
            let mut snap_keys = Keys::with_capacity(snapshots.len());
            let mut snap_nodes = Vec::with_capacity(snapshots.len());
            for (key, _) in snapshots {
                let i = by_key.get(strip_peers(key));
                if let Some(i) = i {
                    snap_keys.insert(key, i);
                }
                snap_nodes.push(i);
            }
            for ((_, snap), i) in snapshots.iter().zip(snap_nodes) {
                if let Some(i) = i {
                    add_deps(
                        i,
                        [&snap.dependencies, &snap.optional_dependencies],
                        &snap_keys,
                    );
                }
            }
            by_key.extend(snap_keys);
        }
        None => {
            for (key, _, pkg) in packages {
                if let Some(i) = by_key.get(key) {
                    add_deps(i, [&pkg.dependencies, &pkg.optional_dependencies], &by_key);
                }
            }
        }
    }

    // Importers: direct dependencies and the start of scope propagation.
    // The lockfile's folder as cleaned components, worked out once for every importer.
    let mut lock_dir = Vec::new();
    push_clean(&mut lock_dir, input.path.parent().unwrap_or(Path::new("")));
    let mut parts = Vec::new();
    let mut importers: Vec<(&str, &Importer)> = lock
        .importers
        .as_ref()
        .map(|m| m.iter().map(|(k, v)| (k.as_ref(), v)).collect())
        .unwrap_or_default();
    if importers.is_empty() {
        importers.push((".", &lock.root));
    }
    let mut importer_index: HashMap<&str, usize> = HashMap::default();
    let mut members = js::Members::default();
    for &(dir, _) in &importers {
        parts.clone_from(&lock_dir);
        push_clean(&mut parts, Path::new(dir));
        parts.push(OsStr::new("package.json"));
        let manifest = members.read(input, &joined(&parts), ID, &mut out);
        if dir == "." && manifest.is_some() {
            out.manifest = Some(input.sibling("package.json"));
        }
        if let Some(name) = manifest.as_ref().and_then(|m| m.name.clone()) {
            importer_index.insert(dir, nodes.len());
            nodes.push(Node {
                name: Cow::Owned(name),
                version: manifest.and_then(|m| m.version).map(Cow::Owned),
                line: None,
                source: Source::Path {
                    path: dir.to_owned(),
                },
                hash: None,
                dev: None,
                optional: false,
                root: true,
            });
            graph.push(Vec::new());
        }
    }
    let mut direct = vec![false; nodes.len()];
    let mut start: Vec<(usize, DepKind)> = Vec::new();
    for &(dir, imp) in &importers {
        let tables = [
            (&imp.dependencies, DepKind::Normal),
            (&imp.optional_dependencies, DepKind::Optional),
            (&imp.dev_dependencies, DepKind::Dev),
        ];
        for (table, kind) in tables {
            for (name, r) in table.iter().flat_map(|t| t.iter()) {
                let v = r.version();
                let target = if let Some(rel) = v.strip_prefix("link:") {
                    parts.clear();
                    push_clean(&mut parts, Path::new(dir));
                    push_clean(&mut parts, Path::new(rel));
                    importer_index
                        .get(joined(&parts).to_string_lossy().as_ref())
                        .copied()
                } else {
                    lookup(&by_key, name, v, &mut buf)
                };
                match target {
                    Some(j) => {
                        direct[j] = true;
                        start.push((j, kind));
                        if let Some(&from) = importer_index.get(dir) {
                            graph[from].push(j);
                        }
                    }
                    None if !v.starts_with("link:") => {
                        out.diagnostics.push(input.diagnostic(
                            ID,
                            Level::Warning,
                            None,
                            format!("importer `{dir}` depends on `{name}@{v}`, which the lockfile does not list"),
                        ));
                    }
                    None => {}
                }
            }
        }
    }
    let kinds = js::propagate(&graph, start);

    let lock_path: Arc<Path> = Arc::from(input.path);
    out.components.reserve(nodes.len());
    let mut purls: Vec<Option<Arc<str>>> = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.into_iter().enumerate() {
        // Into the vector first, then set in place: a component is large, and setting it on
        // the stack before the push copied it once more.
        match Component::new(Ecosystem::Npm, &n.name, n.version.as_deref()) {
            Ok(c) => out.components.push(c),
            Err(e) => {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    n.line,
                    format!("`{}`: {e}", n.name),
                ));
                purls.push(None);
                continue;
            }
        }
        let Some(c) = out.components.last_mut() else {
            continue;
        };
        c.relationship = if n.root {
            Relationship::Root
        } else if direct.get(i).copied().unwrap_or(false) {
            Relationship::Direct
        } else {
            Relationship::Transitive
        };
        let propagated = kinds.get(i).copied().flatten();
        c.scope = if n.root {
            Scope::Runtime
        } else {
            match (n.dev, n.optional) {
                (Some(true), _) => Scope::Dev,
                (_, true) => Scope::Optional,
                (Some(false), false) => Scope::Runtime,
                (None, false) => propagated.map_or(Scope::Runtime, DepKind::scope),
            }
        };
        c.source = n.source;
        // In place, as `with_hash` and `at` would (one slot each): they take and return the
        // component by value, a copy of it each. `vec![x]` allocates the one slot directly,
        // where `reserve_exact` on an empty vector goes through the general growth path.
        if let Some(hash) = n.hash {
            c.hashes = vec![hash];
        }
        c.locations = vec![Location {
            path: Arc::clone(&lock_path),
            line: n.line,
        }];
        purls.push(Some(c.key()));
    }
    out.edges.reserve(graph.iter().map(Vec::len).sum());
    out.edges.extend(graph::edges(&graph, &purls));
    Ok(out)
}

/// A package or importer; package names and versions are borrowed from the lockfile.
struct Node<'k> {
    name: Cow<'k, str>,
    version: Option<Cow<'k, str>>,
    line: Option<u32>,
    source: Source,
    hash: Option<Hash>,
    dev: Option<bool>,
    optional: bool,
    /// Whether this is an importer.
    root: bool,
}

/// Appends `path`'s components to `parts`, lexically normalised (`a/./b/../c` → `a/c`) as
/// `Path::join` then dropping `.`, roots and prefixes and resolving `..` would: a path with a
/// root or prefix starts over. The parts of a folder are worked out once and reused, where
/// joining and cleaning `PathBuf`s cost two allocations and a parse of the whole path each.
fn push_clean<'p>(parts: &mut Vec<&'p OsStr>, path: &'p Path) {
    use std::path::Component as C;
    let mut components = path.components().peekable();
    if matches!(components.peek(), Some(C::Prefix(_) | C::RootDir)) {
        parts.clear();
    }
    for c in components {
        match c {
            C::ParentDir => {
                parts.pop();
            }
            C::Normal(p) => parts.push(p),
            _ => {}
        }
    }
}

/// The path of cleaned `parts` ([`push_clean`]), `.` for none.
fn joined(parts: &[&OsStr]) -> PathBuf {
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    let len = parts.iter().map(|p| p.len() + 1).sum();
    let mut out = PathBuf::with_capacity(len);
    for p in parts {
        out.push(p);
    }
    out
}

/// `name@1.0.0(peer@1)(other@2)` → `name@1.0.0`.
fn strip_peers(key: &str) -> &str {
    // A byte loop: keys are short, and `str::find` sets up a searcher each time.
    let end = key.bytes().position(|b| b == b'(');
    end.and_then(|i| key.get(..i)).unwrap_or(key)
}

/// The name and version a `packages` key stands for; the entry's own `name`/`version` win (git,
/// tarball and local packages). 5.x keys are `/name/1.0.0_peer@2`, later ones `name@1.0.0(…)`.
fn split_key<'k>(
    key: &'k str,
    pkg: &'k Package<'_>,
    major: u32,
) -> Option<(&'k str, Option<&'k str>)> {
    let k = strip_peers(key);
    let k = k.strip_prefix('/').unwrap_or(k);
    let parsed = if major < 6 {
        k.rsplit_once('/')
            .map(|(name, version)| (name, version.split('_').next().unwrap_or(version)))
    } else {
        js::split_name_version(k)
    };
    // `file:dir` keys (5.x, 6.x) hold no name: the entry names the package.
    let (name, key_version) = match (&pkg.name, parsed) {
        (Some(n), p) => (n.as_ref(), p.map_or("", |(_, v)| v)),
        (None, Some((n, v))) => (n, v),
        (None, None) => return None,
    };
    let version = match &pkg.version {
        Some(v) => Some(v.as_ref()),
        None if is_version(key_version) => Some(key_version),
        // `file:`, `link:`, URL keys: the key holds no version.
        None => None,
    };
    (!name.is_empty()).then_some((name, version))
}

fn is_version(v: &str) -> bool {
    // One pass over the bytes, where two `contains` set up a searcher each.
    v.starts_with(|c: char| c.is_ascii_digit()) && !v.bytes().any(|b| b == b':' || b == b'/')
}

/// `packages` (or `snapshots`) keys and the node each stands for.
#[derive(Default)]
struct Keys<'k> {
    map: HashMap<&'k str, usize>,
    /// Whether a key starts with `/` (5.x, 6.x): when none does (9.x), the `/name…` forms of
    /// [`lookup`] cannot match and are not tried.
    slashed: bool,
    /// Whether some key is not [`marked`]: while all are, a reference that is not cannot be a
    /// key, and [`lookup`] does not look it up whole (a plain version, `1.0.0(peer@1)`).
    unmarked: bool,
}

/// Whether `s` has a `@` or `/` before its first `(`, as every real key has (`name@1.0.0(…)`,
/// `/name/1.0.0`) and a plain version (`1.0.0`, `1.0.0(peer@2)`) does not.
fn marked(s: &str) -> bool {
    s.bytes()
        .take_while(|&b| b != b'(')
        .any(|b| b == b'@' || b == b'/')
}

impl<'k> Keys<'k> {
    fn with_capacity(n: usize) -> Self {
        Keys {
            map: HashMap::with_capacity_and_hasher(n, Default::default()),
            ..Keys::default()
        }
    }

    fn insert(&mut self, key: &'k str, node: usize) {
        self.slashed |= key.starts_with('/');
        self.unmarked |= !marked(key);
        self.map.insert(key, node);
    }

    fn get(&self, key: &str) -> Option<usize> {
        self.map.get(key).copied()
    }

    /// Adds `other`'s keys, which win where both have one.
    fn extend(&mut self, other: Keys<'k>) {
        self.slashed |= other.slashed;
        self.unmarked |= other.unmarked;
        self.map.extend(other.map);
    }
}

/// The package a dependency entry (`name: version-or-reference`) points at: the reference is a
/// key itself (`/other/1.0.0`, an alias `other@1.0.0`) or joins the name (`/name/1.0.0`,
/// `/name@1.0.0`, `name@1.0.0`), tried in that order. `key` is a buffer for the joined forms,
/// kept by the caller across look-ups.
fn lookup(keys: &Keys, name: &str, v: &str, key: &mut String) -> Option<usize> {
    if (keys.unmarked || marked(v))
        && let Some(i) = keys.get(v)
    {
        return Some(i);
    }
    let forms: &[(&str, &str)] = if keys.slashed {
        &[("/", "/"), ("/", "@"), ("", "@")]
    } else {
        &[("", "@")]
    };
    forms.iter().find_map(|&(lead, sep)| {
        key.clear();
        key.extend([lead, name, sep, v]);
        keys.get(key)
    })
}

fn source_of(r: Option<&Resolution>, key: &str) -> Source {
    let Some(r) = r else {
        return Source::Unknown;
    };
    if let Some(repo) = &r.repo {
        return Source::Git {
            url: repo.to_string(),
            rev: r.commit.as_deref().map(str::to_owned),
        };
    }
    if let Some(dir) = &r.directory {
        return Source::Path {
            path: dir.to_string(),
        };
    }
    if let Some(t) = &r.tarball {
        if t.starts_with("file:") {
            return js::parse_source(t, key);
        }
        if t.contains("/-/") {
            return js::parse_source(t, strip_peers(key));
        }
        return Source::Url { url: t.to_string() };
    }
    if r.integrity.is_some() {
        return Source::Registry { url: None };
    }
    Source::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Edge;
    use proptest::prelude::*;

    #[test]
    fn keys() {
        let p = Package::default();
        let k5 = |s: &str| {
            let (n, v) = split_key(s, &p, 5).unwrap();
            (n.to_owned(), v.map(str::to_owned))
        };
        assert_eq!(
            k5("/@a/b/1.0.0_x@1.0.0"),
            ("@a/b".into(), Some("1.0.0".into()))
        );
        assert_eq!(k5("/a/1.0.0"), ("a".into(), Some("1.0.0".into())));
        let k = |s: &str| {
            let (n, v) = split_key(s, &p, 9).unwrap();
            (n.to_owned(), v.map(str::to_owned))
        };
        assert_eq!(
            k("/@a/b@1.0.0(x@1)(y@2)"),
            ("@a/b".into(), Some("1.0.0".into()))
        );
        assert_eq!(k("a@1.0.0(@x/y@1)"), ("a".into(), Some("1.0.0".into())));
        assert_eq!(k("@v/t@file:play/x"), ("@v/t".into(), None));
    }

    /// The extractor with only the full YAML parser, to compare with the fast reader.
    const FULL_READER: Reading = Reading {
        like: &PnpmLock,
        read: |input| extract(input, Reader::Full),
    };

    /// The fast reader reads every real lockfile (5.x, 6.x, 9.x) exactly as serde-saphyr does:
    /// the same components, lines, edges and diagnostics.
    #[test]
    fn fast_reader_matches_the_full_parser() {
        let shared = [
            "npm/vite/pnpm-lock.yaml",
            "npm/vite@a862ecb/pnpm-lock.yaml",
            "npm/vite@523d6f7/pnpm-lock.yaml",
            "npm/core/pnpm-lock.yaml",
        ];
        for rel in shared {
            let (Some((fast, _)), Some((full, _))) = (
                extract_shared(&PnpmLock, rel),
                extract_shared(&FULL_READER, rel),
            ) else {
                return;
            };
            assert!(!fast.components.is_empty());
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{rel}");
            let text = std::fs::read_to_string(shared_data().unwrap().join("lockfiles").join(rel))
                .unwrap();
            assert!(
                crate::yaml::parse(&text)
                    .as_ref()
                    .and_then(from_node)
                    .is_some(),
                "{rel}: not read by the fast reader"
            );
        }
        let (fast, _) = extract_testdata(&PnpmLock, "pnpm-lock/v5-single/pnpm-lock.yaml");
        let (full, _) = extract_testdata(&FULL_READER, "pnpm-lock/v5-single/pnpm-lock.yaml");
        assert_eq!(format!("{fast:?}"), format!("{full:?}"));
    }

    /// Where a value has a type the lockfile format does not allow, the full parser decides,
    /// so the error is serde-saphyr's, with its line.
    #[test]
    fn odd_types_fall_back_to_the_full_parser() {
        let doc = b"lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    dependencies: [x]\n";
        let fast = extract_bytes(&PnpmLock, "pnpm-lock.yaml", doc, &[]);
        let full = extract_bytes(&FULL_READER, "pnpm-lock.yaml", doc, &[]);
        assert_eq!(format!("{fast:?}"), format!("{full:?}"));
        assert!(fast.is_err());
        let text = std::str::from_utf8(doc).unwrap();
        assert!(crate::yaml::parse(text).is_some());
        assert!(
            crate::yaml::parse(text)
                .as_ref()
                .and_then(from_node)
                .is_none()
        );
    }

    #[test]
    fn vite_v9_workspace() {
        let Some((ex, p)) = extract_shared(&PnpmLock, "npm/vite/pnpm-lock.yaml") else {
            return;
        };
        // python3 + PyYAML (`testdata/pnpm-lock/count.py`): 1405 `packages` keys,
        // 1403 distinct (name, version): `file:` packages have no version. Plus the root
        // importer, named by package.json.
        assert_eq!(ex.components.len(), 1405 + 1);
        assert_eq!(p.components.len(), 1403 + 1);
        let root = find(&p, "pkg:npm/%40vitejs/vite-monorepo");
        assert_eq!(root.relationship, Relationship::Root);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
        assert!(!ex.edges.is_empty());
    }

    #[test]
    fn core_v9_lines_scopes() {
        let Some((ex, p)) = extract_shared(&PnpmLock, "npm/core/pnpm-lock.yaml") else {
            return;
        };
        // PyYAML: 620 `packages` keys, all distinct; the root package.json has no name.
        assert_eq!(ex.components.len(), 620);
        assert_eq!(p.components.len(), 620);
        // grep -n "^  '@babel/parser@7.29.8':" → 479 (packages), 3354 (snapshots).
        let parser = find(&p, "pkg:npm/%40babel/parser@7.29.8");
        assert_eq!(parser.locations[0].line, Some(479));
        assert_eq!(parser.relationship, Relationship::Direct);
        assert_eq!(parser.hashes.len(), 1);
        assert_eq!(parser.source, Source::Registry { url: None });
        let lru = find(&p, "pkg:npm/lru-cache@11.5.2");
        assert_eq!(lru.relationship, Relationship::Transitive);
        // Reached from the css-color snapshot (line 3328), whose key has no peer suffix.
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/%40asamuzakjp/css-color@6.0.5".into(),
            to: "pkg:npm/lru-cache@11.5.2".into()
        }));
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
    }

    #[test]
    fn vite_v6_peer_suffixes() {
        let Some((ex, p)) = extract_shared(&PnpmLock, "npm/vite@a862ecb/pnpm-lock.yaml") else {
            return;
        };
        // PyYAML: 1135 keys, 1134 distinct (name, version); no package.json in the folder.
        assert_eq!(ex.components.len(), 1135);
        assert_eq!(p.components.len(), 1134);
        // grep -n "^  /esbuild@0.18.20:" → 5715.
        let esb = find(&p, "pkg:npm/esbuild@0.18.20");
        assert_eq!(esb.locations[0].line, Some(5715));
        assert_eq!(esb.scope, Scope::Dev, "dev: true");
        let module = find(&p, "pkg:npm/%40vitejs/test-aliased-module");
        assert_eq!(
            module.source,
            Source::Path {
                path: "playground/alias/dir/module".into()
            }
        );
        assert_eq!(module.scope, Scope::Runtime, "dev: false");
        let plugin = p
            .components
            .iter()
            .find(|c| c.name == "@rollup/plugin-typescript")
            .unwrap();
        assert_eq!(
            plugin.version.as_deref(),
            Some("11.1.6"),
            "peer suffix stripped"
        );
        assert_eq!(plugin.relationship, Relationship::Direct);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
    }

    #[test]
    fn vite_v5_keys() {
        let Some((ex, p)) = extract_shared(&PnpmLock, "npm/vite@523d6f7/pnpm-lock.yaml") else {
            return;
        };
        // PyYAML: 1220 keys, 1215 distinct (name, version); 742 entries with `dev: true`.
        assert_eq!(ex.components.len(), 1220);
        assert_eq!(p.components.len(), 1215);
        let dev = ex
            .components
            .iter()
            .filter(|c| c.scope == Scope::Dev)
            .count();
        assert_eq!(dev, 742);
        let css = find(&p, "pkg:npm/%40adobe/css-tools@4.0.1");
        assert_eq!(css.locations[0].line, Some(1146));
        assert!(
            p.components
                .iter()
                .any(|c| c.purl.as_str() == "pkg:npm/esbuild@0.17.5")
        );
        let alg = find(&p, "pkg:npm/%40algolia/autocomplete-preset-algolia@1.7.4");
        assert_eq!(alg.locations[0].line, Some(1156));
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/%40algolia/autocomplete-preset-algolia@1.7.4".into(),
            to: "pkg:npm/%40algolia/autocomplete-shared@1.7.4".into()
        }));
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
    }

    #[test]
    fn single_project_v5_and_git() {
        let (ex, p) = extract_testdata(&PnpmLock, "pnpm-lock/v5-single/pnpm-lock.yaml");
        assert_eq!(ex.components.len(), 4, "3 packages + the root");
        assert_eq!(
            find(&p, "pkg:npm/app@1.0.0").relationship,
            Relationship::Root
        );
        let a = find(&p, "pkg:npm/a@1.0.0");
        assert_eq!(
            (a.relationship, a.scope),
            (Relationship::Direct, Scope::Runtime)
        );
        let b = find(&p, "pkg:npm/b@2.0.0");
        assert_eq!(
            (b.relationship, b.scope),
            (Relationship::Direct, Scope::Dev)
        );
        let g = find(&p, "pkg:npm/g@0.1.0");
        assert_eq!(
            g.source,
            Source::Git {
                url: "https://github.com/x/g.git".into(),
                rev: Some("abc123".into())
            }
        );
        assert_eq!(g.relationship, Relationship::Direct);
    }

    #[test]
    fn v9_scopes_propagate() {
        let lock = b"lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\n    devDependencies:\n      d:\n        specifier: ^1\n        version: 1.0.0(a@1.0.0)\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n  d@1.0.0:\n    resolution: {tarball: https://example.com/d.tgz}\n  t@1.0.0:\n    resolution: {integrity: sha512-AAAA}\nsnapshots:\n  a@1.0.0: {}\n  d@1.0.0(a@1.0.0):\n    dependencies:\n      t: 1.0.0\n      a: 1.0.0\n  t@1.0.0: {}\n";
        let ex = extract_bytes(&PnpmLock, "pnpm-lock.yaml", lock, &[]).unwrap();
        let get = |n: &str| ex.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("a").scope, Scope::Runtime);
        assert_eq!(get("d").scope, Scope::Dev);
        assert_eq!(
            get("d").source,
            Source::Url {
                url: "https://example.com/d.tgz".into()
            }
        );
        assert_eq!(
            get("t").scope,
            Scope::Dev,
            "only reachable through a dev dependency"
        );
        assert_eq!(get("t").relationship, Relationship::Transitive);
        assert_eq!(get("t").locations[0].line, Some(17));
    }

    /// A reference is looked up whole when some key is not [`marked`] (here a hand-made key
    /// that is a bare version, naming its package): skipping that look-up needs every key marked.
    #[test]
    fn unmarked_keys_are_still_looked_up_whole() {
        let lock = b"lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  1.0.0:\n    name: x\n    version: 2.0.0\n    resolution: {integrity: sha512-AAAA}\n";
        let ex = extract_bytes(&PnpmLock, "pnpm-lock.yaml", lock, &[]).unwrap();
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
        let x = ex.components.iter().find(|c| c.name == "x").unwrap();
        assert_eq!(x.version.as_deref(), Some("2.0.0"));
        assert_eq!(x.relationship, Relationship::Direct);
        assert!(marked("a@1.0.0(b@2)") && marked("/a/1.0.0"));
        assert!(!marked("1.0.0(b@2)") && !marked("1.0.0"));
    }

    #[test]
    fn broken_files() {
        let err = extract_err(
            &PnpmLock,
            "pnpm-lock.yaml",
            b"lockfileVersion: '9.0'\npackages:\n  a@1: [\n",
        );
        assert!(err.line().is_some(), "{err}");
        let err = extract_err(&PnpmLock, "pnpm-lock.yaml", b"lockfileVersion: '3.0'\n");
        assert!(matches!(err, ExtractError::Unsupported(_)));
        let err = extract_err(&PnpmLock, "pnpm-lock.yaml", b"packages: 3\n");
        assert!(matches!(err, ExtractError::Syntax { .. }));
    }

    /// What the importer paths were before [`push_clean`]: `Path::join`, then this.
    fn clean_reference(path: &Path) -> PathBuf {
        let mut out = PathBuf::new();
        for c in path.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::Normal(p) => out.push(p),
                _ => {}
            }
        }
        if out.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            out
        }
    }

    proptest! {
        /// Cleaning the parts of a folder and a path below it gives the path that joining
        /// them and cleaning the whole did.
        #[test]
        fn push_clean_is_join_then_clean(base in "[a./]{0,12}", rel in "[ab./]{0,12}") {
            let mut parts = Vec::new();
            push_clean(&mut parts, Path::new(&base));
            push_clean(&mut parts, Path::new(&rel));
            prop_assert_eq!(
                joined(&parts),
                clean_reference(&Path::new(&base).join(&rel))
            );
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&PnpmLock, "pnpm-lock.yaml", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..1200) {
            let text = include_bytes!("../../testdata/pnpm-lock/v5-single/pnpm-lock.yaml");
            let cut = cut.min(text.len());
            let _ = extract_bytes(&PnpmLock, "pnpm-lock.yaml", &text[..cut], &[]);
        }
    }
}
