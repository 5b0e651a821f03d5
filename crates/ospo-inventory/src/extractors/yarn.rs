//! `yarn.lock`, classic (v1, its own syntax) and berry (v2+, a restricted YAML with a
//! `__metadata` entry), paired with `package.json`.
//!
//! Both are read by one line parser: Yarn writes a fixed shape (an unindented header listing the
//! descriptors an entry satisfies, two-space fields, four-space dependency lists), and `key value`
//! (classic) and `key: value` (berry) differ only by the colon. Each top-level entry except
//! `__metadata` is a component. Direct and dev come from the manifests (the root `package.json`,
//! and each berry workspace's own), and scope is propagated along the graph: a package reached
//! only through dev dependencies is dev. Berry's `checksum` is the hash of Yarn's cache archive,
//! not of the published package, so it is not recorded as a component hash.

use crate::HashMap;
use std::cell::{OnceCell, RefCell};
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Hash, Level, Location, Relationship, Scope, Source};

use super::js::{self, DepKind, Manifest};
use crate::extractors::graph;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct YarnLock;

const ID: &str = "yarn-lock";

#[derive(Default)]
struct Entry<'a> {
    line: u32,
    /// Indices into [`Lock::descriptors`].
    descriptors: std::ops::Range<usize>,
    version: Option<&'a str>,
    resolved: Option<&'a str>,
    integrity: Option<&'a str>,
    resolution: Option<&'a str>,
    /// Indices into [`Lock::deps`].
    deps: std::ops::Range<usize>,
}

impl Extractor for YarnLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }
    fn files(&self) -> &'static str {
        "yarn.lock (classic v1 and berry), with package.json"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("yarn.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "yarn.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let lock = parse(text)?;
        let (entries, berry) = (&lock.entries, lock.berry);
        let mut out = Extraction::default();

        // Descriptors by their two halves (`name`, `range`), so that a dependency's
        // `name@range` is found without building the string: for a name with no `@` after its
        // first character, `name@range` is the descriptor that splits into exactly that pair.
        // Any other name looks in `full` (descriptor → entry, built on first use).
        let mut by_parts = PartsMap::with_capacity(lock.descriptors.len());
        let finders = Finders::new();
        let mut nodes: Vec<Node> = Vec::with_capacity(entries.len() + 1);
        for (i, e) in entries.iter().enumerate() {
            for &d in lock.descriptors(e) {
                if let Some((name, range)) = split_descriptor(d) {
                    by_parts.insert(name, range, i);
                }
            }
            match node_of(e, lock.descriptors(e), &finders) {
                Some(n) => nodes.push(n),
                None => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        Some(e.line),
                        "entry ignored: cannot read its package name",
                    ));
                    nodes.push(Node::default());
                }
            }
        }
        let full: OnceCell<HashMap<&str, usize>> = OnceCell::new();
        let by_descriptor = || {
            full.get_or_init(|| {
                let mut map =
                    HashMap::with_capacity_and_hasher(lock.descriptors.len(), Default::default());
                for (i, e) in entries.iter().enumerate() {
                    for &d in lock.descriptors(e) {
                        map.insert(d, i);
                    }
                }
                map
            })
        };
        let manifest = js::read_manifest(input, ID, &mut out);
        if manifest.is_some() {
            out.manifest = Some(input.sibling("package.json"));
        }
        // The descriptors with a `::` (berry's `::locator=` suffix, which patch values gain),
        // the last entry listing each first: all an override's prefix search needs to look at,
        // found in one pass on first use rather than by building the map of every descriptor.
        let located: OnceCell<Vec<(&str, usize)>> = OnceCell::new();
        let with_locator = || {
            located.get_or_init(|| {
                let mut found = Vec::new();
                for (i, e) in entries.iter().enumerate().rev() {
                    for &d in lock.descriptors(e) {
                        if has_double_colon(d) {
                            found.push((d, i));
                        }
                    }
                }
                found
            })
        };
        // `resolutions` keys end with the package they override.
        let overrides: Vec<(&str, &str)> = manifest
            .iter()
            .flat_map(|m| m.resolutions.iter().flatten())
            .filter_map(|(k, v)| Some((override_target(k), v.as_str()?)))
            .collect();
        // Keys that must be built are built in one buffer: a lockfile has a dependency list per
        // entry.
        let key = RefCell::new(String::new());
        let descriptor = |name: &str, protocol: &str, range: &str| -> Option<usize> {
            let mut key = key.borrow_mut();
            key.clear();
            key.extend([name, "@", protocol, range]);
            by_descriptor().get(key.as_str()).copied()
        };
        // Whether `name@…` splits back into `name` (see `by_parts`).
        let splits = |name: &str| {
            name.get(1..)
                .is_some_and(|r| find2(r.as_bytes(), b'@', b'@').is_none())
        };
        // The entry of descriptor `name@range`, else of `name@npm:range`: berry writes `npm:`
        // ranges in descriptors; a manifest may not.
        let find = |name: &str, range: &str| -> Option<usize> {
            if splits(name) {
                by_parts.get(name, range)
            } else {
                descriptor(name, "", range).or_else(|| descriptor(name, "npm:", range))
            }
        };
        // A `resolutions` override replaces the range in the descriptor but not in the
        // dependents' lists.
        // Keys may name a range (`a@^1`); patch values gain a `::locator=` suffix.
        let overridden = |name: &str, range: &str| -> Option<usize> {
            overrides
                .iter()
                .filter(|(target, _)| match js::split_name_version(target) {
                    Some((n, r)) if !target.starts_with('@') || n.contains('/') => {
                        n == name && r == range.trim_start_matches("npm:")
                    }
                    _ => *target == name,
                })
                .find_map(|(_, r)| {
                    find(name, r).or_else(|| {
                        let prefix = format!("{name}@{r}::");
                        with_locator()
                            .iter()
                            .find(|(d, _)| d.starts_with(&prefix))
                            .map(|&(_, i)| i)
                    })
                })
        };
        // Not `or_else`: the compiler keeps that call, with the override search in it, out
        // of line for every dependency.
        let lookup = |name: &str, range: &str| -> Option<usize> {
            match find(name, range) {
                Some(i) => Some(i),
                None => overridden(name, range),
            }
        };
        let mut graph: Vec<Vec<usize>> = Vec::with_capacity(nodes.len() + 1);
        for (i, e) in entries.iter().enumerate() {
            let deps = lock.deps(e);
            graph.push(Vec::with_capacity(deps.len()));
            for (name, range) in deps {
                match lookup(name, range) {
                    Some(j) => graph[i].push(j),
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        Some(e.line),
                        format!("depends on `{name}@{range}`, which the lockfile does not list"),
                    )),
                }
            }
        }

        let dir = input.path.parent().unwrap_or(Path::new(""));
        let mut start: Vec<(usize, DepKind)> = Vec::new();
        let mut direct = vec![false; nodes.len()];
        let mut known = false;
        let root_indices: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].root).collect();
        let mut members = js::Members::default();
        for i in root_indices {
            known = true;
            let ws = nodes[i].workspace.unwrap_or_default();
            let own = if ws == "." {
                None
            } else {
                members.read(input, &dir.join(ws).join("package.json"), ID, &mut out)
            };
            // A member whose manifest cannot be read: its dependencies count as runtime.
            let kinds = if ws == "." {
                manifest.as_ref().map(Manifest::deps)
            } else {
                own.as_ref().map(Manifest::deps)
            };
            for &j in &graph[i] {
                let kind = kinds
                    .as_ref()
                    .and_then(|m| m.get(nodes[j].name).copied())
                    .unwrap_or(DepKind::Normal);
                direct[j] = true;
                start.push((j, kind));
            }
        }
        if !berry && let Some(m) = &manifest {
            known = true;
            // The first entry naming each package: the fallback for a manifest range that no
            // descriptor matches (only classic lockfiles with a manifest need it).
            let mut by_name: HashMap<&str, usize> =
                HashMap::with_capacity_and_hasher(lock.descriptors.len(), Default::default());
            for (i, e) in entries.iter().enumerate() {
                for d in lock.descriptors(e) {
                    if let Some((name, _)) = split_descriptor(d) {
                        by_name.entry(name).or_insert(i);
                    }
                }
            }
            let mut deps: Vec<(String, DepKind)> = m.deps().into_iter().collect();
            deps.sort();
            let mut edges = Vec::new();
            for (name, kind) in deps {
                let target = m
                    .ranges(&name)
                    .into_iter()
                    .find_map(|r| lookup(&name, r))
                    .or_else(|| by_name.get(name.as_str()).copied());
                if let Some(j) = target {
                    direct[j] = true;
                    start.push((j, kind));
                    edges.push(j);
                }
            }
            if let Some(name) = m.name.as_deref() {
                nodes.push(Node {
                    name,
                    version: m.version.as_deref(),
                    source: Source::Path { path: ".".into() },
                    root: true,
                    workspace: Some("."),
                    hash: None,
                    line: None,
                });
                graph.push(edges);
                direct.push(false);
            }
        }
        let kinds = js::propagate(&graph, start);

        let mut purls: Vec<Option<Arc<str>>> = Vec::with_capacity(nodes.len());
        // One shared copy of the file's path for every component's location.
        let path: Arc<Path> = Arc::from(input.path);
        out.components.reserve(nodes.len());
        for (i, n) in nodes.into_iter().enumerate() {
            if n.name.is_empty() {
                purls.push(None);
                continue;
            }
            let mut c = match Component::new(Ecosystem::Npm, n.name, n.version) {
                Ok(c) => c,
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
            };
            c.relationship = if n.root {
                Relationship::Root
            } else if direct.get(i).copied().unwrap_or(false) {
                Relationship::Direct
            } else if known {
                Relationship::Transitive
            } else {
                Relationship::Unknown
            };
            c.scope = if n.root {
                Scope::Runtime
            } else {
                kinds
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or(Scope::Runtime, DepKind::scope)
            };
            // Fields set in place: the builder methods move the whole component each call.
            c.source = n.source;
            if let Some(hash) = n.hash {
                c.hashes = vec![hash];
            }
            c.locations = vec![Location {
                path: Arc::clone(&path),
                line: n.line,
            }];
            purls.push(Some(c.key()));
            out.components.push(c);
        }
        out.edges.reserve(graph.iter().map(Vec::len).sum());
        out.edges.extend(graph::edges(&graph, &purls));
        Ok(out)
    }
}

#[derive(Default)]
struct Node<'a> {
    name: &'a str,
    version: Option<&'a str>,
    source: Source,
    root: bool,
    /// For a berry workspace: its folder.
    workspace: Option<&'a str>,
    hash: Option<Hash>,
    line: Option<u32>,
}

/// The component an entry stands for.
fn node_of<'a>(e: &Entry<'a>, descriptors: &[&'a str], finders: &Finders) -> Option<Node<'a>> {
    let first = descriptors.first()?;
    let (desc_name, range) = split_descriptor(first)?;
    let mut node = Node {
        line: Some(e.line),
        version: e.version,
        ..Node::default()
    };
    if let Some(res) = e.resolution {
        // Berry: `name@npm:1.2.3`, `name@workspace:path`, `name@patch:…`, `name@https://…`.
        let (name, reference) = split_descriptor(res)?;
        node.name = name;
        node.source = if let Some(ws) = reference.strip_prefix("workspace:") {
            node.root = true;
            node.workspace = Some(ws);
            Source::Path {
                path: ws.to_owned(),
            }
        } else if reference.starts_with("npm:") {
            Source::Registry { url: None }
        } else if let Some(p) = ["file:", "portal:", "link:"]
            .iter()
            .find_map(|p| reference.strip_prefix(p))
        {
            Source::Path {
                path: p.split('#').next().unwrap_or(p).to_owned(),
            }
        } else if reference.starts_with("patch:") {
            // A patched package: the base descriptor follows, percent-encoded.
            let inner = reference.trim_start_matches("patch:").replace("%3A", ":");
            let base = inner.split('#').next().unwrap_or(&inner);
            match js::split_name_version(base) {
                Some((_, r)) if r.starts_with("npm:") => Source::Registry { url: None },
                _ => Source::Unknown,
            }
        } else if reference.contains("#commit=") || reference.starts_with("git") {
            let (url, rev) = reference.split_once("#commit=").unwrap_or((reference, ""));
            let url = url.split('#').next().unwrap_or(url);
            Source::Git {
                url: url.to_owned(),
                rev: (!rev.is_empty()).then(|| rev.to_owned()),
            }
        } else if reference.starts_with("http") {
            Source::Url {
                url: reference.to_owned(),
            }
        } else {
            Source::Unknown
        };
        return Some(node);
    }
    // Classic: the name is the descriptor's, unless it is an `npm:` alias.
    node.name = match js::parse_alias(range) {
        Some((real, _)) => real,
        None => desc_name,
    };
    if let Some(resolved) = e.resolved {
        // `split_once('#')` by a byte search: a `char` search is slow on every entry's URL.
        let (url, fragment) = match memchr::memchr(b'#', resolved.as_bytes()) {
            Some(i) => (
                resolved.get(..i).unwrap_or(resolved),
                resolved.get(i + 1..).unwrap_or(""),
            ),
            None => (resolved, ""),
        };
        node.source = if url.starts_with("http") && finders.codeload.find(url.as_bytes()).is_none()
        {
            tarball_source(url, node.name, finders)
        } else {
            js::parse_source(resolved, node.name)
        };
        if e.integrity.is_none() && matches!(node.source, Source::Registry { .. }) {
            node.hash = Hash::from_hex("sha1", fragment);
        }
    }
    if let Some(i) = e.integrity {
        // Yarn writes one hash; only a value with whitespace needs splitting (by `char`s).
        node.hash = if i.bytes().all(plain) {
            Some(i).filter(|i| !i.is_empty()).and_then(Hash::from_sri)
        } else {
            i.split_whitespace().find_map(Hash::from_sri)
        };
    }
    Some(node)
}

/// Substring searchers built once per file: `str::contains` and `split_once` with a `&str`
/// pattern set up a new searcher on every call, and they run for every classic entry.
struct Finders {
    /// Between a registry's package URL and its tarball's name.
    tarball: memchr::memmem::Finder<'static>,
    codeload: memchr::memmem::Finder<'static>,
}

impl Finders {
    fn new() -> Finders {
        Finders {
            tarball: memchr::memmem::Finder::new("/-/"),
            codeload: memchr::memmem::Finder::new("codeload.github.com"),
        }
    }
}

/// `js::parse_source(url, name)`, with a fast path for what a registry writes
/// (`https://host/name/-/name-1.0.0.tgz`: an `http` URL with nothing to trim, not ending in
/// `.git`, whose part before the first `/-/` ends with the name): the registry's base URL, found
/// with a prebuilt searcher. Anything else is left to `js::parse_source`.
fn tarball_source(url: &str, name: &str, finders: &Finders) -> Source {
    let plain_end = url.as_bytes().last().is_some_and(|&z| plain(z));
    if (url.starts_with("https://") || url.starts_with("http://"))
        && plain_end
        && !url.ends_with(".git")
        && let Some(i) = finders.tarball.find(url.as_bytes())
        && let Some(base) = url.get(..i).and_then(|b| b.strip_suffix(name))
    {
        return Source::Registry {
            url: Some(base.trim_end_matches('/').to_owned()),
        };
    }
    js::parse_source(url, name)
}

/// Entries by their descriptors' two halves ([`split_descriptor`]), keyed by the name and the
/// range without an `npm:` prefix, so that both `name@range` and `name@npm:range` (berry writes
/// the protocol in descriptors, not in dependency lists) are found by one hash look-up of
/// borrowed strings, not a look-up per form with the second key built.
struct PartsMap<'a> {
    /// `[entry of name@range, entry of name@npm:range]` by `(name, range)`, the last entry
    /// listing each descriptor winning.
    map: HashMap<(&'a str, &'a str), [Option<usize>; 2]>,
}

impl<'a> PartsMap<'a> {
    fn with_capacity(n: usize) -> PartsMap<'a> {
        PartsMap {
            map: HashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    /// Records that entry `i` satisfies `name@range`.
    fn insert(&mut self, name: &'a str, range: &'a str, i: usize) {
        let (bare, slot) = match range.strip_prefix("npm:") {
            Some(bare) => (bare, 1),
            None => (range, 0),
        };
        let slots = self.map.entry((name, bare)).or_default();
        if let Some(s) = slots.get_mut(slot) {
            *s = Some(i);
        }
    }

    /// The entry of descriptor `name@range`, else of `name@npm:range`. Not inlined: inlined
    /// into the look-up closure it cost a quarter more instructions a call (callgrind).
    #[inline(never)]
    fn get(&self, name: &str, range: &str) -> Option<usize> {
        let slots = |name: &str, bare: &str| parts_get(&self.map, name, bare).unwrap_or_default();
        match range.strip_prefix("npm:") {
            // `name@npm:x` is stored under `x`, `name@npm:npm:x` under `npm:x`.
            Some(bare) => slots(name, bare)[1].or_else(|| slots(name, range)[1]),
            None => {
                let [exact, npm] = slots(name, range);
                exact.or(npm)
            }
        }
    }
}

/// An entry of `map` by a descriptor's two halves ([`split_descriptor`]). A function so that the
/// map's borrowed keys may be compared with a pair that lives shorter.
fn parts_get<'k, V: Copy>(
    map: &HashMap<(&'k str, &'k str), V>,
    name: &'k str,
    range: &'k str,
) -> Option<V> {
    map.get(&(name, range)).copied()
}

/// The package a `resolutions` key overrides: `a/b` → `b`, `**/@s/n` → `@s/n`.
fn override_target(key: &str) -> &str {
    let mut parts = key.rsplitn(3, '/');
    let last = parts.next().unwrap_or(key);
    match parts.next() {
        Some(scope) if scope.starts_with('@') => {
            let start = key.len() - last.len() - scope.len() - 1;
            key.get(start..).unwrap_or(last)
        }
        _ => last,
    }
}

/// A parsed yarn.lock: its entries, with their descriptors and dependencies kept in two shared
/// lists (one allocation each for the whole file, not two per entry).
struct Lock<'a> {
    entries: Vec<Entry<'a>>,
    descriptors: Vec<&'a str>,
    deps: Vec<(&'a str, &'a str)>,
    berry: bool,
}

impl<'a> Lock<'a> {
    /// The descriptors an entry satisfies, as written in its header.
    fn descriptors(&self, e: &Entry<'a>) -> &[&'a str] {
        self.descriptors
            .get(e.descriptors.clone())
            .unwrap_or_default()
    }
    /// An entry's `name range` dependency pairs.
    fn deps(&self, e: &Entry<'a>) -> &[(&'a str, &'a str)] {
        self.deps.get(e.deps.clone()).unwrap_or_default()
    }
}

/// `js::split_name_version` with a byte search: `@scope/name@range` → `("@scope/name", "range")`,
/// split at the first `@` after the first character. It runs for every entry, and `str::find`
/// with a `char` is slow on such short strings.
fn split_descriptor(s: &str) -> Option<(&str, &str)> {
    let rest = s.get(1..)?;
    let at = find2(rest.as_bytes(), b'@', b'@')? + 1;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The entry fields the extractor reads.
const KEYS: [&str; 6] = [
    "version",
    "resolved",
    "integrity",
    "resolution",
    "dependencies",
    "optionalDependencies",
];

/// A key of [`KEYS`], by its place there: the reader matches an enum, not a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Version,
    Resolved,
    Integrity,
    Resolution,
    Dependencies,
    OptionalDependencies,
}

impl Key {
    const ALL: [Key; 6] = [
        Key::Version,
        Key::Resolved,
        Key::Integrity,
        Key::Resolution,
        Key::Dependencies,
        Key::OptionalDependencies,
    ];

    fn name(self) -> &'static str {
        KEYS[self as usize]
    }
}

/// [`field`] for an entry's two-space line, when its key is one of [`KEYS`]: most lines are not
/// (`checksum`, `languageName`, `linkType`, `peerDependencies`, …) and are passed over by their
/// first letters. An unquoted key runs to the first space or colon, so it equals a key of
/// [`KEYS`] (which hold neither) exactly when the line starts with that key followed by either or
/// by the end.
fn entry_field(line: &str) -> Option<(Key, &str)> {
    // Each arm strips a literal, which compiles to a few loads; a key from a table would call
    // `memcmp`.
    let (key, rest) = match line.as_bytes().first()? {
        b'"' => {
            let (key, value) = field(line);
            return Key::ALL
                .into_iter()
                .find(|k| k.name() == key)
                .map(|k| (k, value));
        }
        b'v' => (Key::Version, line.strip_prefix("version")?),
        b'i' => (Key::Integrity, line.strip_prefix("integrity")?),
        b'd' => (Key::Dependencies, line.strip_prefix("dependencies")?),
        b'o' => (
            Key::OptionalDependencies,
            line.strip_prefix("optionalDependencies")?,
        ),
        b'r' => match line.strip_prefix("resolved") {
            Some(rest) => (Key::Resolved, rest),
            None => (Key::Resolution, line.strip_prefix("resolution")?),
        },
        _ => return None,
    };
    // Bytes, not `char`s: both are ASCII.
    if !matches!(rest.as_bytes().first(), None | Some(b' ' | b':')) {
        return None;
    }
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    Some((key, unquote(rest)))
}

/// The bytes of `word` equal to the byte repeated in `pattern`, eight at a time (SWAR): their
/// high bits are set, and the lowest set bit marks the first match exactly (bits above it may
/// be false matches, which the callers never look at).
fn equal_bytes(word: u64, pattern: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let x = word ^ pattern;
    x.wrapping_sub(LO) & !x & HI
}

/// The first byte of `hay` equal to `a` or `b`, eight bytes a step. For short strings (package
/// names and keys, 10-40 bytes): a byte loop costs four instructions a byte, and `memchr`'s
/// set-up more than the whole search.
fn find2(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    let (pa, pb) = (u64::from_ne_bytes([a; 8]), u64::from_ne_bytes([b; 8]));
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default());
        let m = equal_bytes(word, pa) | equal_bytes(word, pb);
        if m != 0 {
            return Some(base + m.trailing_zeros() as usize / 8);
        }
        base += 8;
    }
    let tail = chunks.remainder();
    tail.iter()
        .position(|&c| c == a || c == b)
        .map(|i| base + i)
}

/// Whether `s` holds `::`, by the byte search of [`find2`] (a `memmem` searcher's set-up costs
/// more than a descriptor's whole length).
fn has_double_colon(s: &str) -> bool {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = b.get(from..).and_then(|rest| find2(rest, b':', b':')) {
        if b.get(from + i + 1) == Some(&b':') {
            return true;
        }
        from += i + 1;
    }
    false
}

/// Not whitespace and ASCII: a byte that no `trim` can remove.
fn plain(b: u8) -> bool {
    b > b' ' && b.is_ascii()
}

/// `s.trim()`. Fast path: only ASCII spaces to strip (what Yarn writes); anything else (tabs,
/// carriage returns, Unicode spaces) goes to `str::trim`, so the result is always the same.
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b.iter().position(|&c| c != b' ').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b' ').map_or(start, |i| i + 1);
    match (b.get(start), end.checked_sub(1).and_then(|i| b.get(i))) {
        (None, _) => "",
        (Some(&first), Some(&last)) if plain(first) && plain(last) => {
            s.get(start..end).unwrap_or_else(|| s.trim())
        }
        _ => s.trim(),
    }
}

/// A line's indentation (bytes of leading whitespace) and its text without surrounding
/// whitespace: `(line.len() - line.trim_start().len(), line.trim())` for the line without its
/// trailing whitespace, with a fast path for lines that start with spaces and end plainly
/// (a `\r` of a CRLF file included).
fn split_line(raw: &str) -> (usize, &str) {
    let b = raw.as_bytes();
    let start = b.iter().position(|&c| c != b' ').unwrap_or(b.len());
    let mut end = b.len();
    while end > start && matches!(b.get(end - 1), Some(b' ' | b'\r')) {
        end -= 1;
    }
    match (b.get(start), end.checked_sub(1).and_then(|i| b.get(i))) {
        (None, _) => (start, ""),
        (Some(&first), Some(&last)) if plain(first) && plain(last) => {
            if let Some(text) = raw.get(start..end) {
                return (start, text);
            }
            let line = raw.trim_end();
            let text = line.trim_start();
            (line.len() - text.len(), text)
        }
        _ => {
            let line = raw.trim_end();
            let text = line.trim_start();
            (line.len() - text.len(), text)
        }
    }
}

/// `s` without its surrounding whitespace and then without one pair of enclosing quotes.
/// Fast path for what follows a key as Yarn writes it (one space, then a value that starts and
/// ends with a byte no trim removes): no scan for whitespace from either end.
fn unquote(s: &str) -> &str {
    let s = match s.as_bytes() {
        [c, .., z] if plain(*c) && plain(*z) => s,
        [b' ', c] if plain(*c) => s.get(1..).unwrap_or(s),
        [b' ', c, .., z] if plain(*c) && plain(*z) => s.get(1..).unwrap_or(s),
        _ => trim(s),
    };
    match s.as_bytes() {
        [b'"', .., b'"'] => s.get(1..s.len() - 1).unwrap_or(s),
        _ => s,
    }
}

/// Splits a field line's text, without surrounding whitespace (`key value`, `key: value`,
/// `"key" "value"`), into key and value.
fn field(line: &str) -> (&str, &str) {
    let (key, rest) = if let Some(rest) = line.strip_prefix('"') {
        match find2(rest.as_bytes(), b'"', b'"') {
            Some(end) => (
                rest.get(..end).unwrap_or(""),
                rest.get(end + 1..).unwrap_or(""),
            ),
            None => (rest, ""),
        }
    } else {
        // Both are ASCII, so a byte search finds the same place as a `char` one.
        match find2(line.as_bytes(), b' ', b':') {
            Some(i) => (line.get(..i).unwrap_or(""), line.get(i..).unwrap_or("")),
            None => (line, ""),
        }
    };
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    (key, unquote(rest))
}

/// `s.trim_matches('"')`, byte by byte.
fn strip_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b.iter().position(|&c| c != b'"').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b'"').map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or("")
}

/// A searcher for `\n`. `memchr::memchr` picks its vector routine through a function pointer
/// on every call, about a third of the cost of a call on a yarn.lock's lines (33 bytes on
/// average, one call each): the AVX2 searcher, when the CPU has it, is called directly.
enum Newline {
    #[cfg(target_arch = "x86_64")]
    Avx2(memchr::arch::x86_64::avx2::memchr::One),
    Any,
}

impl Newline {
    fn new() -> Newline {
        #[cfg(target_arch = "x86_64")]
        if let Some(one) = memchr::arch::x86_64::avx2::memchr::One::new(b'\n') {
            return Newline::Avx2(one);
        }
        Newline::Any
    }

    /// The first `\n` of `hay`.
    fn find(&self, hay: &[u8]) -> Option<usize> {
        match self {
            #[cfg(target_arch = "x86_64")]
            Newline::Avx2(one) => one.find(hay),
            Newline::Any => memchr::memchr(b'\n', hay),
        }
    }
}

/// Reads the entries of a yarn.lock.
///
/// One pass over the lines, found with `memchr`. The shapes Yarn writes (a line indented by 0,
/// 2 or 4 spaces, starting and ending with a byte no trim removes) are read by a look at their
/// first and last bytes; any other line goes through [`split_line`], whose fallback is
/// `str::trim`, so odd whitespace reads as it always did. A four-space line outside a
/// dependency list, and a two-space line whose key no field starts with, are passed over
/// without reading further.
fn parse(text: &str) -> Result<Lock<'_>, ExtractError> {
    // Capacity hints from the size (the corpus has an entry per 320-390 bytes, a descriptor
    // per 260-310 and a four-space line per 130-170): one allocation each, most of the time.
    let mut lock = Lock {
        entries: Vec::with_capacity(text.len() / 256 + 1),
        descriptors: Vec::with_capacity(text.len() / 192 + 1),
        deps: Vec::with_capacity(text.len() / 96 + 1),
        berry: false,
    };
    let mut in_metadata = false;
    // Whether four-space lines are a dependency list (the two-space line before them opened one).
    let mut in_deps = false;
    let mut line_no: u32 = 0;
    let bytes = text.as_bytes();
    let newline = Newline::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = bytes.get(pos..).unwrap_or_default();
        let end = newline.find(rest).map_or(bytes.len(), |i| pos + i);
        let raw = text.get(pos..end).unwrap_or("");
        pos = end + 1;
        line_no = line_no.saturating_add(1);
        // `split_line(raw)`, read from the first and last bytes for the shapes Yarn writes.
        let (indent, line) = match raw.as_bytes() {
            [] => continue,
            // Skipped below whatever follows the indentation (a four-space line counts only in
            // a dependency list, and never as an error).
            [b' ', b' ', b' ', b' ', ..] if in_metadata || !in_deps => continue,
            [b' ', b' ', b' ', b' ', c, .., z] if plain(*c) && plain(*z) => {
                (4, raw.get(4..).unwrap_or(""))
            }
            // A two-space line's key decides whether it is read on: the last byte only matters
            // for the keys read.
            [b' ', b' ', c, ..] if plain(*c) && !b"\"virdo".contains(c) => {
                if in_metadata || *c == b'#' {
                    continue;
                }
                if lock.entries.is_empty() {
                    return Err(ExtractError::syntax(
                        Some(line_no),
                        "a field outside any entry",
                    ));
                }
                in_deps = false;
                continue;
            }
            [b' ', b' ', c, .., z] if plain(*c) && plain(*z) => (2, raw.get(2..).unwrap_or("")),
            [c, .., z] if plain(*c) && plain(*z) => (0, raw),
            _ => split_line(raw),
        };
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        match indent {
            0 => {
                let Some(header) = line.strip_suffix(':') else {
                    return Err(ExtractError::syntax(
                        Some(line_no),
                        format!("expected an entry header ending in `:`, found `{line}`"),
                    ));
                };
                if header == "__metadata" {
                    lock.berry = true;
                    in_metadata = true;
                    continue;
                }
                in_metadata = false;
                // Classic quotes each descriptor, berry the whole list.
                let first = lock.descriptors.len();
                let mut list = header;
                loop {
                    let (d, next) = match memchr::memchr(b',', list.as_bytes()) {
                        Some(i) => (list.get(..i).unwrap_or(""), list.get(i + 1..)),
                        None => (list, None),
                    };
                    let d = strip_quotes(trim(d));
                    if !d.is_empty() {
                        lock.descriptors.push(d);
                    }
                    match next {
                        Some(next) => list = next,
                        None => break,
                    }
                }
                let deps = lock.deps.len();
                lock.entries.push(Entry {
                    line: line_no,
                    descriptors: first..lock.descriptors.len(),
                    deps: deps..deps,
                    ..Entry::default()
                });
                in_deps = false;
            }
            _ if in_metadata => {}
            2 => {
                let Some(e) = lock.entries.last_mut() else {
                    return Err(ExtractError::syntax(
                        Some(line_no),
                        "a field outside any entry",
                    ));
                };
                in_deps = false;
                let Some((key, value)) = entry_field(line) else {
                    continue;
                };
                match key {
                    Key::Version => e.version = Some(value),
                    Key::Resolved => e.resolved = Some(value),
                    Key::Integrity => e.integrity = Some(value),
                    Key::Resolution => e.resolution = Some(value),
                    Key::Dependencies | Key::OptionalDependencies => in_deps = value.is_empty(),
                }
            }
            _ if indent >= 4 => {
                if !in_deps {
                    continue;
                }
                if let Some(e) = lock.entries.last_mut() {
                    let (name, range) = field(line);
                    if !name.is_empty() {
                        lock.deps.push((name, range));
                        e.deps.end = lock.deps.len();
                    }
                }
            }
            _ => {
                return Err(ExtractError::syntax(
                    Some(line_no),
                    format!("unexpected indentation of {indent} spaces"),
                ));
            }
        }
    }
    Ok(lock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use proptest::prelude::*;

    // Counts below: `testdata/yarn-lock/count.py` (a separate Python line scan):
    // top-level `…:` headers except `__metadata`, and distinct (name, version) pairs, the name
    // taken from `resolution` (berry) or the first descriptor / its `npm:` alias (classic).
    // Cross-checked with `grep -c '^[^ #].*:$' yarn.lock` (which includes `__metadata`).

    #[test]
    fn webpack_classic() {
        let Some((ex, p)) = extract_shared(&YarnLock, "npm/webpack/yarn.lock") else {
            return;
        };
        // 1397 entries, 1393 distinct; plus the root from package.json.
        assert_eq!(ex.components.len(), 1397 + 1);
        assert_eq!(p.components.len(), 1393 + 1);
        assert_eq!(
            find(&p, "pkg:npm/webpack@5.109.2").relationship,
            Relationship::Root
        );
        let acorn7 = find(&p, "pkg:npm/acorn@7.4.1");
        assert_eq!(acorn7.locations[0].line, Some(2862));
        assert_eq!(acorn7.hashes.len(), 1);
        assert_eq!(
            acorn7.source,
            Source::Registry {
                url: Some("https://registry.yarnpkg.com".into())
            }
        );
        let acorn = p
            .components
            .iter()
            .find(|c| {
                c.name == "acorn" && c.version.as_deref().is_some_and(|v| v.starts_with("8."))
            })
            .unwrap();
        assert_eq!(
            (acorn.relationship, acorn.scope),
            (Relationship::Direct, Scope::Runtime)
        );
        let jest = p.components.iter().find(|c| c.name == "jest").unwrap();
        assert_eq!(
            (jest.relationship, jest.scope),
            (Relationship::Direct, Scope::Dev)
        );
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
    }

    #[test]
    fn vue_core_classic() {
        let Some((ex, p)) = extract_shared(&YarnLock, "npm/core@914e2e3/yarn.lock") else {
            return;
        };
        // 912 entries, all distinct; the root package.json has no name.
        assert_eq!(ex.components.len(), 912);
        assert_eq!(p.components.len(), 912);
        let ts = find(&p, "pkg:npm/typescript@4.4.3");
        assert_eq!(ts.locations[0].line, Some(6374));
        assert_eq!(
            (ts.relationship, ts.scope),
            (Relationship::Direct, Scope::Dev)
        );
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
    }

    #[test]
    fn jest_berry_workspaces() {
        let Some((ex, p)) = extract_shared(&YarnLock, "npm/jest/yarn.lock") else {
            return;
        };
        // 2227 entries, 2221 distinct.
        assert_eq!(ex.components.len(), 2227);
        assert_eq!(p.components.len(), 2221);
        let console = find(&p, "pkg:npm/%40jest/console@0.0.0-use.local");
        assert_eq!(console.relationship, Relationship::Root);
        assert_eq!(console.locations[0].line, Some(4219));
        assert_eq!(
            console.source,
            Source::Path {
                path: "packages/jest-console".into()
            }
        );
        assert_eq!(
            find(&p, "pkg:npm/%40jest/monorepo@0.0.0-use.local").relationship,
            Relationship::Root
        );
        // A devDependency of the root workspace only (grep "^    tstyche:" → the root entry).
        let ts = find(&p, "pkg:npm/tstyche@7.2.2");
        assert_eq!(
            (ts.relationship, ts.scope),
            (Relationship::Direct, Scope::Dev)
        );
        assert_eq!(ts.locations[0].line, Some(22318));
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
    }

    #[test]
    fn prettier_berry() {
        let Some((ex, p)) = extract_shared(&YarnLock, "npm/prettier/yarn.lock") else {
            return;
        };
        // 1052 entries, 1050 distinct.
        assert_eq!(ex.components.len(), 1052);
        assert_eq!(p.components.len(), 1050);
        let root = find(&p, "pkg:npm/prettier@0.0.0-use.local");
        assert_eq!(root.relationship, Relationship::Root);
        assert_eq!(root.locations[0].line, Some(8238));
        let jest = find(&p, "pkg:npm/jest@30.4.2");
        assert_eq!(
            (jest.relationship, jest.scope),
            (Relationship::Direct, Scope::Dev)
        );
        assert_eq!(jest.locations[0].line, Some(6432));
        assert_eq!(jest.source, Source::Registry { url: None });
        assert!(
            jest.hashes.is_empty(),
            "berry checksums hash the cache archive"
        );
        let ts = find(&p, "pkg:npm/typescript@6.0.3");
        assert_eq!(
            (ts.relationship, ts.scope),
            (Relationship::Direct, Scope::Runtime)
        );
        assert!(p.edges.iter().any(|e| &*e.from == "pkg:npm/jest@30.4.2"));
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
    }

    #[test]
    fn classic_dev_propagation_and_aliases() {
        let (ex, p) = extract_testdata(&YarnLock, "yarn-lock/classic/yarn.lock");
        assert_eq!(ex.components.len(), 6, "5 entries + the root");
        let a = find(&p, "pkg:npm/a@1.1.0");
        assert_eq!(
            (a.relationship, a.scope),
            (Relationship::Direct, Scope::Runtime)
        );
        let shared = find(&p, "pkg:npm/shared@1.0.0");
        assert_eq!(
            shared.scope,
            Scope::Runtime,
            "reached from a (runtime) and d (dev)"
        );
        let only_dev = find(&p, "pkg:npm/only-dev@2.0.0");
        assert_eq!(
            (only_dev.relationship, only_dev.scope),
            (Relationship::Transitive, Scope::Dev)
        );
        // `sw@npm:string-width@^4` is an alias of string-width.
        let sw = find(&p, "pkg:npm/string-width@4.2.3");
        assert_eq!(sw.relationship, Relationship::Direct);
        assert_eq!(sw.locations[0].line, Some(19));
        assert_eq!(
            find(&p, "pkg:npm/only-dev@2.0.0").source,
            Source::Git {
                url: "https://github.com/x/only-dev.git".into(),
                rev: Some("abc123".into())
            }
        );
    }

    /// A `resolutions` override to a patch: the lockfile lists the patched package under the
    /// override's value with a `::locator=` suffix, which the dependent's range does not name.
    #[test]
    fn overrides_find_patched_descriptors() {
        let lock = b"__metadata:\n  version: 8\n\n\"a@npm:^1\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n  dependencies:\n    b: \"npm:^2\"\n\n\"b@patch:b@npm%3A2.0.0#./p.patch::locator=r%40workspace%3A.\":\n  version: 2.0.0\n  resolution: \"b@patch:b@npm%3A2.0.0#./p.patch::version=2.0.0&hash=1\"\n";
        let manifest: &[u8] = b"{\"resolutions\": {\"b\": \"patch:b@npm%3A2.0.0#./p.patch\"}}";
        let ex =
            extract_bytes(&YarnLock, "yarn.lock", lock, &[("package.json", manifest)]).unwrap();
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let edges: Vec<(String, String)> = ex
            .edges
            .iter()
            .map(|e| (e.from.to_string(), e.to.to_string()))
            .collect();
        assert_eq!(
            edges,
            [("pkg:npm/a@1.0.0".to_owned(), "pkg:npm/b@2.0.0".to_owned())]
        );
    }

    /// Dependencies found by their descriptor's halves, and, for names with an `@` after their
    /// first character (no halves to match), by the whole descriptor; berry's `npm:` second try.
    #[test]
    fn dependencies_resolve_by_descriptor() {
        let lock = b"a@^1:\n  version \"1.0.0\"\n  dependencies:\n    \"b@x\" \"2\"\n    c \"^3\"\n    d \"4\"\n    e \"^5\"\n\n\"b@x@2\":\n  version \"2.0.0\"\n\nc@^3:\n  version \"3.0.0\"\n\n\"e@npm:^5\":\n  version \"5.0.0\"\n";
        let ex = extract_bytes(&YarnLock, "yarn.lock", lock, &[]).unwrap();
        let mut edges: Vec<String> = ex.edges.iter().map(|e| e.to.to_string()).collect();
        edges.sort();
        assert_eq!(
            edges,
            ["pkg:npm/b@2.0.0", "pkg:npm/c@3.0.0", "pkg:npm/e@5.0.0"]
        );
        assert_eq!(ex.diagnostics.len(), 1, "{:?}", ex.diagnostics);
        assert!(ex.diagnostics[0].message.contains("`d@4`"));
    }

    #[test]
    fn resolution_keys() {
        assert_eq!(override_target("@types/node"), "@types/node");
        assert_eq!(override_target("a/@types/node"), "@types/node");
        assert_eq!(override_target("**/trim"), "trim");
        assert_eq!(override_target("trim"), "trim");
    }

    #[test]
    fn broken_files() {
        let err = extract_err(
            &YarnLock,
            "yarn.lock",
            b"a@^1:\n  version \"1\"\nnot a header\n",
        );
        assert_eq!(err.line(), Some(3));
        let err = extract_err(&YarnLock, "yarn.lock", b"a@^1:\n   version \"1\"\n");
        assert_eq!(err.line(), Some(2));
        let ex = extract_bytes(
            &YarnLock,
            "yarn.lock",
            b"\"\":\n  version \"1\"\nb@1:\n  version \"1\"\n",
            &[],
        )
        .unwrap();
        assert_eq!(ex.components.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(1));
    }

    /// The line reader as it was before its fast paths (`str::lines`, `str::trim`, `find` with
    /// `char` patterns, a `String` per descriptor): the oracle the fast reader must agree with.
    mod reference {
        use crate::ExtractError;

        #[derive(Default)]
        pub(super) struct Entry<'a> {
            pub line: u32,
            pub descriptors: Vec<String>,
            pub version: Option<&'a str>,
            pub resolved: Option<&'a str>,
            pub integrity: Option<&'a str>,
            pub resolution: Option<&'a str>,
            pub deps: Vec<(&'a str, &'a str)>,
        }

        pub(super) fn unquote(s: &str) -> &str {
            let s = s.trim();
            s.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(s)
        }

        /// Splits a field line (`key value`, `key: value`, `"key" "value"`) into key and value.
        fn field(line: &str) -> (&str, &str) {
            let line = line.trim();
            let (key, rest) = if let Some(rest) = line.strip_prefix('"') {
                match rest.find('"') {
                    Some(end) => (
                        rest.get(..end).unwrap_or(""),
                        rest.get(end + 1..).unwrap_or(""),
                    ),
                    None => (rest, ""),
                }
            } else {
                match line.find([' ', ':']) {
                    Some(i) => (line.get(..i).unwrap_or(""), line.get(i..).unwrap_or("")),
                    None => (line, ""),
                }
            };
            let rest = rest.strip_prefix(':').unwrap_or(rest);
            (key, unquote(rest))
        }

        /// Reads the entries of a yarn.lock; `true` when it is a berry lockfile.
        pub(super) fn parse(text: &str) -> Result<(Vec<Entry<'_>>, bool), ExtractError> {
            let mut entries: Vec<Entry<'_>> = Vec::new();
            let mut berry = false;
            let mut in_metadata = false;
            // The indent-2 block a four-space line belongs to.
            let mut section: &str = "";
            for (n, raw) in text.lines().enumerate() {
                let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
                let line = raw.trim_end();
                if line.trim_start().starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                let indent = line.len() - line.trim_start().len();
                match indent {
                    0 => {
                        let Some(header) = line.strip_suffix(':') else {
                            return Err(ExtractError::syntax(
                                Some(line_no),
                                format!("expected an entry header ending in `:`, found `{line}`"),
                            ));
                        };
                        if header == "__metadata" {
                            berry = true;
                            in_metadata = true;
                            continue;
                        }
                        in_metadata = false;
                        // Classic quotes each descriptor, berry the whole list.
                        let descriptors = header
                            .split(',')
                            .map(|d| d.trim().trim_matches('"'))
                            .filter(|d| !d.is_empty())
                            .map(str::to_owned)
                            .collect();
                        entries.push(Entry {
                            line: line_no,
                            descriptors,
                            ..Entry::default()
                        });
                        section = "";
                    }
                    _ if in_metadata => {}
                    2 => {
                        let Some(e) = entries.last_mut() else {
                            return Err(ExtractError::syntax(
                                Some(line_no),
                                "a field outside any entry",
                            ));
                        };
                        let (key, value) = field(line);
                        section = "";
                        match key {
                            "version" => e.version = Some(value),
                            "resolved" => e.resolved = Some(value),
                            "integrity" => e.integrity = Some(value),
                            "resolution" => e.resolution = Some(value),
                            "dependencies" | "optionalDependencies" if value.is_empty() => {
                                section = key
                            }
                            _ => {}
                        }
                    }
                    _ if indent >= 4 => {
                        if section.is_empty() {
                            continue;
                        }
                        if let Some(e) = entries.last_mut() {
                            let (name, range) = field(line);
                            if !name.is_empty() {
                                e.deps.push((name, range));
                            }
                        }
                    }
                    _ => {
                        return Err(ExtractError::syntax(
                            Some(line_no),
                            format!("unexpected indentation of {indent} spaces"),
                        ));
                    }
                }
            }
            Ok((entries, berry))
        }
    }

    /// An entry as plain data, to compare the two readers.
    type Flat = (u32, Vec<String>, [Option<String>; 4], Vec<(String, String)>);

    fn flat_new(text: &str) -> Result<(Vec<Flat>, bool), (Option<u32>, String)> {
        let lock = parse(text).map_err(|e| (e.line(), e.to_string()))?;
        let own = |s: Option<&str>| s.map(str::to_owned);
        let entries = lock
            .entries
            .iter()
            .map(|e| {
                (
                    e.line,
                    lock.descriptors(e).iter().map(|d| d.to_string()).collect(),
                    [e.version, e.resolved, e.integrity, e.resolution].map(own),
                    lock.deps(e)
                        .iter()
                        .map(|(n, r)| (n.to_string(), r.to_string()))
                        .collect(),
                )
            })
            .collect();
        Ok((entries, lock.berry))
    }

    fn flat_reference(text: &str) -> Result<(Vec<Flat>, bool), (Option<u32>, String)> {
        let (entries, berry) = reference::parse(text).map_err(|e| (e.line(), e.to_string()))?;
        let own = |s: Option<&str>| s.map(str::to_owned);
        let entries = entries
            .into_iter()
            .map(|e| {
                (
                    e.line,
                    e.descriptors,
                    [e.version, e.resolved, e.integrity, e.resolution].map(own),
                    e.deps
                        .iter()
                        .map(|(n, r)| (n.to_string(), r.to_string()))
                        .collect(),
                )
            })
            .collect();
        Ok((entries, berry))
    }

    #[test]
    fn fast_reader_agrees_with_the_reference_on_the_corpus() {
        let Some(data) = shared_data() else {
            return;
        };
        let files = [
            "npm/jest/yarn.lock",
            "npm/webpack/yarn.lock",
            "npm/prettier/yarn.lock",
            "npm/core@914e2e3/yarn.lock",
        ];
        for rel in files {
            let text = std::fs::read_to_string(data.join("lockfiles").join(rel)).unwrap();
            let new = flat_new(&text);
            assert!(new.as_ref().is_ok_and(|(e, _)| e.len() > 900), "{rel}");
            assert!(new == flat_reference(&text), "{rel}");
            // The same file with CRLF line ends and trailing spaces: the slow paths.
            let crlf = text.replace('\n', " \r\n");
            assert!(flat_new(&crlf) == flat_reference(&crlf), "{rel} (CRLF)");
        }
        let text = include_str!("../../testdata/yarn-lock/classic/yarn.lock");
        assert!(flat_new(text) == flat_reference(text));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&YarnLock, "yarn.lock", &bytes, &[]);
        }

        /// Documents made of yarn.lock-like pieces with odd whitespace (tabs, CR, NBSP, U+3000,
        /// vertical tab), odd quoting and odd indentation: both readers agree, errors included.
        #[test]
        fn fast_reader_agrees_with_the_reference(
            lines in proptest::collection::vec(
                (
                    prop::sample::select(vec!["", " ", "  ", "   ", "    ", "      ", "\t", " \t", "\u{a0}", "  \u{3000}", "\u{b}"]),
                    prop::sample::select(vec![
                        "\"a@^1\", b@npm:2:", "a@^1, \"@s/b@^2\":", "__metadata:", "\"\":", "x",
                        "version \"1.0.0\"", "version: 1.0.0", "resolution: \"a@npm:1.0.0\"",
                        "resolved \"https://r.example/a/-/a-1.tgz#abc\"", "integrity sha512-AAAA",
                        "dependencies:", "optionalDependencies:", "peerDependencies:", "dependencies: {}",
                        "\"@s/b\" \"^2\"", "b: \"npm:^2\"", "b \"", "\"b", "c:", ":", "\"\"", "# c",
                        "a\u{a0}b: \"1\"", "resolvedX 1", "versions: 2", "\"version\" \"2\"",
                        "dependencies2:", "resolution", "integrity:sha1-x", "version:\"3\"", "r 1", "k \u{3000}\"v\"\u{a0}", "\"q\"\"r\"", "b  \"  ^2 \" ",
                    ]),
                    prop::sample::select(vec!["", " ", "\r", " \r", "\t", "\u{a0}", "\u{2028}"]),
                ),
                0..40,
            ),
            final_newline in any::<bool>(),
        ) {
            let mut text = String::new();
            for (i, (indent, body, end)) in lines.iter().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                text.extend([*indent, *body, *end]);
            }
            if final_newline {
                text.push('\n');
            }
            prop_assert!(flat_new(&text) == flat_reference(&text), "{text:?}");
        }

        #[test]
        fn find2_finds_the_first_of_either(hay in proptest::collection::vec(prop::sample::select(vec![b'a', b' ', b':', b'"', b'@', 0x80, 0xff, 0x01, 0x7f]), 0..40), a in prop::sample::select(vec![b' ', b'"', b'@', 0x80, 0xff, 0x01]), b in prop::sample::select(vec![b':', b'"', b'@', 0x7f, 0x00])) {
            let want = hay.iter().position(|&c| c == a || c == b);
            prop_assert_eq!(find2(&hay, a, b), want);
        }

        /// The registry fast path gives what `js::parse_source` gives.
        #[test]
        fn tarball_sources_as_js_reads_them(
            scheme in prop::sample::select(vec!["https://", "http://", "http:/", "https://git+", ""]),
            host in "[a-z./]{0,12}",
            name in prop::sample::select(vec!["a", "@s/b", "", "x.git", "/"]),
            sep in prop::sample::select(vec!["/-/", "/", "/-/-/", "//-/"]),
            file in "[a-z.\\-]{0,8}",
            end in prop::sample::select(vec!["", ".git", " ", "\u{a0}", "/"]),
            url_name in prop::sample::select(vec!["a", "@s/b", "@s%2fb", "", "x.git"]),
        ) {
            let finders = Finders::new();
            let url = format!("{scheme}{host}/{url_name}{sep}{file}{end}");
            prop_assert_eq!(tarball_source(&url, name, &finders), js::parse_source(&url, name), "{:?}", url);
        }

        #[test]
        fn double_colons_are_found_as_contains_finds_them(s in "[a:@\u{e9}]{0,20}") {
            prop_assert_eq!(has_double_colon(&s), s.contains("::"));
        }

        #[test]
        fn descriptors_split_as_js_does(s in "[@a/\u{e9}:^]{0,8}") {
            prop_assert_eq!(split_descriptor(&s), js::split_name_version(&s));
        }

        #[test]
        fn entry_fields_are_fields(key in "[\"a-z:]{0,12}", sep in "[ :\"]{0,3}", value in "[ a\"]{0,3}") {
            for k in KEYS.iter().chain(&["resolv", "\"resolved"]) {
                let line = trim(&format!("{k}{key}{sep}{value}")).to_owned();
                let want = Some(field(&line)).filter(|(key, _)| KEYS.contains(key));
                let got = entry_field(&line).map(|(k, v)| (k.name(), v));
                prop_assert_eq!(got, want, "{:?}", line);
            }
        }

        #[test]
        fn parts_map_finds_as_the_descriptor_strings(
            descriptors in proptest::collection::vec("(a|@s/a|b)@(npm:){0,2}[1^]{1,2}", 0..12),
            name in "a|@s/a|b",
            range in "(npm:){0,3}[1^]{1,2}",
        ) {
            // The reference: descriptor strings, the last entry listing one winning.
            let mut full: HashMap<&str, usize> = HashMap::default();
            let mut parts = PartsMap::with_capacity(descriptors.len());
            for (i, d) in descriptors.iter().enumerate() {
                full.insert(d, i);
                if let Some((n, r)) = split_descriptor(d) {
                    parts.insert(n, r, i);
                }
            }
            let want = full
                .get(format!("{name}@{range}").as_str())
                .or_else(|| full.get(format!("{name}@npm:{range}").as_str()))
                .copied();
            prop_assert_eq!(parts.get(&name, &range), want);
        }

        #[test]
        fn unquote_is_the_reference(s in "[ \"a\t\r\u{a0}\u{e9}]{0,6}") {
            prop_assert_eq!(unquote(&s), reference::unquote(&s));
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..1200) {
            let text = include_bytes!("../../testdata/yarn-lock/classic/yarn.lock");
            let cut = cut.min(text.len());
            let _ = extract_bytes(&YarnLock, "yarn.lock", &text[..cut], &[]);
        }
    }
}
