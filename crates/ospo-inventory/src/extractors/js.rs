//! Helpers shared by the JavaScript extractors: the `package.json` manifest, npm source strings
//! (`npm:` aliases, `git+`, `file:`, registry tarballs), JSON objects kept in file order with
//! the raw text of each value (for line numbers), and dev-scope propagation along a graph.

use crate::{HashMap, HashSet};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use ospo_model::{Level, Scope, Source};
use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::{ExtractError, Extraction, Input};

/// A JSON object as `(key, raw value)` pairs in file order; each raw value borrows the input,
/// so its offset in the file (and so its line) is known.
pub(crate) struct Pairs<'a>(pub Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Pairs<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A JSON string borrowed from the input unless it holds escapes.
#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(transparent)]
pub(crate) struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl Text<'_> {
    /// The text of an optional field.
    pub(crate) fn of<'s>(t: &'s Option<Text<'_>>) -> Option<&'s str> {
        t.as_ref().map(|t| t.0.as_ref())
    }
}

/// The names of a dependency table (`{"name": "range", ...}`), sorted and unique, borrowed from
/// the input. The ranges are not kept: with the default `V` they are skipped unread; with
/// [`AnyValue`] they are checked as a `serde_json::Value` would be (for a reader that must
/// accept exactly what a map of values accepts).
pub(crate) struct DepNames<'a, V = IgnoredAny>(pub Vec<Text<'a>>, PhantomData<V>);

impl<V> Default for DepNames<'_, V> {
    fn default() -> Self {
        DepNames(Vec::new(), PhantomData)
    }
}

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for DepNames<'a, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<'a, V>(PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for Vis<'a, V> {
            type Value = DepNames<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Text<'de>>()? {
                    map.next_value::<V>()?;
                    out.push(k);
                }
                out.sort();
                out.dedup();
                Ok(DepNames(out, PhantomData))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

/// Any JSON value, read and dropped: it accepts exactly what `serde_json::Value` accepts (numbers
/// are parsed, so `1e999` is an error as there) without building the value.
pub(crate) struct AnyValue;

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = AnyValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_i64<E>(self, _: i64) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_u64<E>(self, _: u64) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_f64<E>(self, _: f64) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_str<E>(self, _: &str) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_none<E>(self) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<AnyValue, D::Error> {
                AnyValue::deserialize(d)
            }
            fn visit_unit<E>(self) -> Result<AnyValue, E> {
                Ok(AnyValue)
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<AnyValue, S::Error> {
                while seq.next_element::<AnyValue>()?.is_some() {}
                Ok(AnyValue)
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<AnyValue, M::Error> {
                while map.next_entry::<AnyValue, AnyValue>()?.is_some() {}
                Ok(AnyValue)
            }
        }
        d.deserialize_any(Vis)
    }
}

/// A JSON object read in one pass with the document: `(key, value)` pairs in file order, each
/// key borrowed from the input so that the value's offset (and so its line) can be found from it
/// ([`value_offset`]). A key holding escapes is not borrowed and is an error: the caller then
/// reads the document with [`Pairs`] instead.
pub(crate) struct Keyed<'a, V>(pub Vec<(&'a str, V)>);

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Keyed<'a, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<'a, V>(PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for Vis<'a, V> {
            type Value = Keyed<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(k) = map.next_key::<Text<'de>>()? {
                    let Cow::Borrowed(k) = k.0 else {
                        return Err(serde::de::Error::custom("a key with escapes"));
                    };
                    out.push((k, map.next_value::<V>()?));
                }
                Ok(Keyed(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

/// The offset of the value that follows `key`, a key borrowed from `text`
/// (`"key"` whitespace `:` whitespace value), as a `RawValue` of it would start.
pub(crate) fn value_offset(text: &str, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let start = (key.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let mut i = start.checked_add(key.len())?;
    let is_space = |b: &u8| matches!(b, b' ' | b'\n' | b'\t' | b'\r');
    if bytes.get(start.checked_sub(1)?) != Some(&b'"') || bytes.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    while bytes.get(i).is_some_and(is_space) {
        i += 1;
    }
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    while bytes.get(i).is_some_and(is_space) {
        i += 1;
    }
    (i < bytes.len()).then_some(i)
}

/// A YAML mapping as `(key, value)` pairs in file order (keys may be `Spanned` for their line).
pub(crate) struct YPairs<K, V>(pub Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for YPairs<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Vis<K, V> {
            type Value = YPairs<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some(kv) = map.next_entry::<K, V>()? {
                    out.push(kv);
                }
                Ok(YPairs(out))
            }
        }
        d.deserialize_map(Vis(std::marker::PhantomData))
    }
}

/// serde-saphyr options for lockfiles: its default budget (a million events) rejects big
/// lockfiles, so the limits grow with the input, which is already in memory.
pub(crate) fn yaml_options(len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    let scaled = len.saturating_mul(2).saturating_add(1_000_000);
    budget.max_events = budget.max_events.max(scaled);
    budget.max_nodes = budget.max_nodes.max(scaled);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(scaled);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// A serde-saphyr error with its line.
pub(crate) fn yaml_error(e: &serde_saphyr::Error) -> ExtractError {
    let line = e
        .location()
        .and_then(|l| u32::try_from(l.line()).ok())
        .filter(|&l| l > 0);
    ExtractError::syntax(line, e)
}

/// The byte offset of a raw value borrowed from `text`.
pub(crate) fn offset_in(text: &str, raw: &str) -> usize {
    (raw.as_ptr() as usize)
        .checked_sub(text.as_ptr() as usize)
        .filter(|&o| o <= text.len())
        .unwrap_or(0)
}

/// 1-based line numbers of offsets met in file order (as a one-pass reader meets its entries):
/// each look-up counts the newlines since the previous one, so the text is scanned once, and
/// only up to the last offset asked for, instead of indexing every line first
/// ([`crate::text::LineIndex`]). An offset before the previous one counts again from the start.
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// The last offset looked up, and its line.
    at: Cell<(usize, u32)>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            at: Cell::new((0, 1)),
        }
    }

    /// The 1-based line of a byte offset (past the end: the last line).
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        let (mut pos, mut line) = self.at.get();
        if offset < pos {
            (pos, line) = (0, 1);
        }
        let between = self.text.as_bytes().get(pos..offset).unwrap_or_default();
        // memchr counts with SIMD (its iterator's `count` is specialised).
        let newlines = memchr::memchr_iter(b'\n', between).count();
        line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.at.set((offset, line));
        line
    }

    pub(crate) fn text(&self) -> &'a str {
        self.text
    }
}

/// A JSON dependency map (`{"name": "range"}`); values of any type are tolerated.
pub(crate) type DepMap = BTreeMap<String, serde_json::Value>;

/// How a manifest asks for a dependency, most needed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DepKind {
    Normal,
    Optional,
    Peer,
    Dev,
}

impl DepKind {
    pub(crate) fn scope(self) -> Scope {
        match self {
            DepKind::Normal => Scope::Runtime,
            DepKind::Optional | DepKind::Peer => Scope::Optional,
            DepKind::Dev => Scope::Dev,
        }
    }
}

/// The parts of a `package.json` the extractors need.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub dependencies: Option<DepMap>,
    #[serde(default)]
    pub dev_dependencies: Option<DepMap>,
    #[serde(default)]
    pub optional_dependencies: Option<DepMap>,
    #[serde(default)]
    pub peer_dependencies: Option<DepMap>,
    /// Yarn's overrides: `name`, `parent/name` or `**/name` → range.
    #[serde(default)]
    pub resolutions: Option<DepMap>,
}

impl Manifest {
    /// Every dependency named, with the most needed kind it is asked for with.
    pub(crate) fn deps(&self) -> HashMap<String, DepKind> {
        let mut out = HashMap::default();
        let tables = [
            (&self.dependencies, DepKind::Normal),
            (&self.optional_dependencies, DepKind::Optional),
            (&self.peer_dependencies, DepKind::Peer),
            (&self.dev_dependencies, DepKind::Dev),
        ];
        for (table, kind) in tables {
            for name in table.iter().flat_map(|t| t.keys()) {
                let e = out.entry(name.clone()).or_insert(kind);
                *e = (*e).min(kind);
            }
        }
        out
    }

    /// The ranges the manifest asks for `name` with, in every dependency table.
    pub(crate) fn ranges(&self, name: &str) -> Vec<&str> {
        [
            &self.dependencies,
            &self.optional_dependencies,
            &self.peer_dependencies,
            &self.dev_dependencies,
        ]
        .into_iter()
        .flatten()
        .filter_map(|t| t.get(name)?.as_str())
        .collect()
    }
}

/// Reads the `package.json` beside the file. Missing: `None`; unreadable: a warning.
pub(crate) fn read_manifest(input: &Input<'_>, id: &str, out: &mut Extraction) -> Option<Manifest> {
    read_manifest_at(input, &input.sibling("package.json"), id, out)
}

/// Reads a `package.json` anywhere in the tree. Missing: `None`; unreadable or broken: a
/// warning.
pub(crate) fn read_manifest_at(
    input: &Input<'_>,
    path: &Path,
    id: &str,
    out: &mut Extraction,
) -> Option<Manifest> {
    match input.fs.read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        read => parse_manifest(read, path, id, out),
    }
}

/// A manifest read (not missing): parsed, or a warning naming it.
fn parse_manifest(
    read: std::io::Result<Vec<u8>>,
    path: &Path,
    id: &str,
    out: &mut Extraction,
) -> Option<Manifest> {
    let warn = |out: &mut Extraction, line, message: String| {
        out.diagnostics.push(ospo_model::Diagnostic::new(
            Level::Warning,
            id,
            path,
            line,
            format!("manifest ignored: {message}"),
        ));
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            warn(out, None, e.to_string());
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match serde_json::from_slice::<Manifest>(bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            let e = ExtractError::json(&e);
            warn(out, e.line(), e.to_string());
            None
        }
    }
}

/// Reads the `package.json` files of a lockfile's workspace members (pnpm's importers, yarn's
/// workspaces): often hundreds of folders under a few. When a member's manifest is missing, the
/// folders above it are looked at, the highest first and each once, and a folder found missing
/// then answers for every member under it without a system call: a lockfile kept without its
/// workspace (vendored, copied, a sparse checkout) costs a look-up per missing top folder, not
/// one per member. Where every member is there, nothing is looked at beyond the reads.
#[derive(Default)]
pub(crate) struct Members {
    /// Folders looked at and found there.
    present: HashSet<PathBuf>,
    /// The folders found missing, as bytes, to test paths against without parsing them.
    missing: Vec<Vec<u8>>,
}

impl Members {
    /// Reads the manifest at `path` (a member folder's `package.json`) as [`read_manifest_at`].
    pub(crate) fn read(
        &mut self,
        input: &Input<'_>,
        path: &Path,
        id: &str,
        out: &mut Extraction,
    ) -> Option<Manifest> {
        // Only paths of plain folder names are compared as bytes; others are just read.
        let plain = crate::fs::is_plain(path);
        if plain && self.under_missing(path) {
            return None;
        }
        match input.fs.read(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if plain {
                    self.look_above(input, path);
                }
                None
            }
            read => parse_manifest(read, path, id, out),
        }
    }

    /// Whether a folder found missing holds `path`.
    fn under_missing(&self, path: &Path) -> bool {
        let bytes = path.as_os_str().as_encoded_bytes();
        self.missing.iter().any(|dir| {
            bytes.len() > dir.len() && bytes.starts_with(dir) && bytes[dir.len()] == b'/'
        })
    }

    /// After `path` was not found: its folders, from the highest, until one is missing.
    fn look_above(&mut self, input: &Input<'_>, path: &Path) {
        let folders: Vec<&Path> = path
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
            .collect();
        for dir in folders.into_iter().rev() {
            if self.present.contains(dir) {
                continue;
            }
            if !input.fs.is_dir(dir) {
                self.missing
                    .push(dir.as_os_str().as_encoded_bytes().to_vec());
                return;
            }
            self.present.insert(dir.to_path_buf());
        }
    }
}

/// `npm:real-name@1.2.3` (an alias) → `("real-name", "1.2.3")`.
pub(crate) fn parse_alias(version: &str) -> Option<(&str, &str)> {
    let rest = version.strip_prefix("npm:")?;
    split_name_version(rest)
}

/// `@scope/name@1.2.3` → `("@scope/name", "1.2.3")`: the version starts at the first `@` that is
/// not the first character (what follows may hold more: `a@npm:b@1`, `a@patch:a@npm%3A1#…`).
pub(crate) fn split_name_version(s: &str) -> Option<(&str, &str)> {
    let at = s.get(1..)?.find('@')? + 1;
    let (name, version) = (s.get(..at)?, s.get(at + 1..)?);
    (!name.is_empty()).then_some((name, version))
}

/// Where an npm `resolved` (or `version`) string points: a registry tarball, a git repository
/// (`git+ssh://…#sha`, `github:user/repo#sha`), a local path (`file:`) or another URL.
pub(crate) fn parse_source(resolved: &str, name: &str) -> Source {
    let r = resolved.trim();
    if let Some(path) = r.strip_prefix("file:").or_else(|| r.strip_prefix("link:")) {
        return Source::Path {
            path: path.to_owned(),
        };
    }
    let git_prefixes = [
        "git+",
        "git://",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ];
    if git_prefixes.iter().any(|p| r.starts_with(p)) || r.ends_with(".git") {
        let r = r.strip_prefix("git+").unwrap_or(r);
        let (url, rev) = match r.split_once('#') {
            Some((u, rev)) => (u, Some(rev.to_owned()).filter(|s| !s.is_empty())),
            None => (r, None),
        };
        return Source::Git {
            url: url.to_owned(),
            rev,
        };
    }
    if r.starts_with("http://") || r.starts_with("https://") {
        if let Some(base) = before_tarball_dir(r) {
            let base = base
                .strip_suffix(name)
                .or_else(|| {
                    // Scoped names are sometimes written `@scope%2fname`.
                    let encoded = name.replacen('/', "%2f", 1);
                    base.strip_suffix(encoded.as_str())
                })
                .unwrap_or(base)
                .trim_end_matches('/');
            return Source::Registry {
                url: Some(base.to_owned()),
            };
        }
        return Source::Url { url: r.to_owned() };
    }
    if r.is_empty() {
        return Source::Unknown;
    }
    Source::Path { path: r.to_owned() }
}

/// What comes before the first `/-/` (`r.split_once("/-/")`'s first part), found by its `/`s:
/// cheaper than building a substring searcher for every `resolved` URL.
fn before_tarball_dir(r: &str) -> Option<&str> {
    let bytes = r.as_bytes();
    memchr::memchr_iter(b'/', bytes)
        .find(|&i| bytes.get(i + 1..i + 3) == Some(b"-/"))
        .and_then(|i| r.get(..i))
}

/// Propagates the most needed dependency kind from the direct dependencies along the graph
/// (a package reached only through dev dependencies is dev). `start` gives each direct
/// dependency's kind; returns each node's kind (`None`: unreachable).
pub(crate) fn propagate(
    graph: &[Vec<usize>],
    start: impl IntoIterator<Item = (usize, DepKind)>,
) -> Vec<Option<DepKind>> {
    let mut kind: Vec<Option<DepKind>> = vec![None; graph.len()];
    let mut queue = VecDeque::new();
    for (i, k) in start {
        if let Some(slot) = kind.get_mut(i)
            && slot.is_none_or(|old| k < old)
        {
            *slot = Some(k);
            queue.push_back(i);
        }
    }
    while let Some(i) = queue.pop_front() {
        let Some(k) = kind.get(i).copied().flatten() else {
            continue;
        };
        // A dependency of an optional or peer package is itself optional.
        let k = if k == DepKind::Peer {
            DepKind::Optional
        } else {
            k
        };
        for &j in graph.get(i).into_iter().flatten() {
            if let Some(slot) = kind.get_mut(j)
                && slot.is_none_or(|old| k < old)
            {
                *slot = Some(k);
                queue.push_back(j);
            }
        }
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A tree in memory that counts what is asked of it.
    struct Counting {
        inner: crate::fs::MemorySource,
        reads: AtomicUsize,
        looks: AtomicUsize,
    }

    impl crate::fs::FileSource for Counting {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            self.reads.fetch_add(1, Ordering::Relaxed);
            self.inner.read(path)
        }
        fn list(&self, dir: &Path) -> std::io::Result<Vec<String>> {
            self.inner.list(dir)
        }
        fn is_dir(&self, dir: &Path) -> bool {
            self.looks.fetch_add(1, Ordering::Relaxed);
            self.inner.is_dir(dir)
        }
    }

    /// Members under a missing folder cost one look at that folder between them; members that
    /// are there, or missing beside ones that are, read as before, warnings included.
    #[test]
    fn members_under_a_missing_folder_are_not_each_looked_for() {
        let fs = Counting {
            inner: crate::fs::MemorySource::new()
                .with("web/pnpm-lock.yaml", "")
                .with("web/packages/a/package.json", r#"{"name": "a"}"#)
                .with("web/packages/b/package.json", "{broken")
                .with("web/packages/c/index.js", ""),
            reads: AtomicUsize::new(0),
            looks: AtomicUsize::new(0),
        };
        let input = Input {
            path: Path::new("web/pnpm-lock.yaml"),
            bytes: b"",
            fs: &fs,
        };
        let mut out = Extraction::default();
        let mut members = Members::default();
        let mut read = |dir: &str| {
            let path = PathBuf::from(format!("{dir}/package.json"));
            members
                .read(&input, &path, "test", &mut out)
                .and_then(|m| m.name)
        };
        assert_eq!(read("web/packages/a").as_deref(), Some("a"));
        assert_eq!(read("web/packages/b"), None);
        assert_eq!(fs.looks.load(Ordering::Relaxed), 0, "nothing missing yet");
        // A folder that is there without a manifest: its folders are looked at once each.
        assert_eq!(read("web/packages/c"), None);
        assert_eq!(fs.looks.load(Ordering::Relaxed), 3);
        // A missing top folder: found once, then it answers for everything under it.
        for dir in ["web/playground/x", "web/playground/y/z", "web/playground/w"] {
            assert_eq!(read(dir), None);
        }
        assert_eq!(fs.looks.load(Ordering::Relaxed), 4);
        assert_eq!(fs.reads.load(Ordering::Relaxed), 4);
        // `web/playground-2` is not under `web/playground`: read, and looked at.
        assert_eq!(read("web/playground-2"), None);
        assert_eq!(fs.reads.load(Ordering::Relaxed), 5);
        assert_eq!(fs.looks.load(Ordering::Relaxed), 5);
        // Paths that are not plain are read as they are.
        assert_eq!(read("web/playground/../packages/a").as_deref(), Some("a"));
        assert_eq!(fs.reads.load(Ordering::Relaxed), 6);
        let warned: Vec<String> = out
            .diagnostics
            .iter()
            .map(|d| d.path.display().to_string())
            .collect();
        assert_eq!(warned, ["web/packages/b/package.json"]);
    }

    #[test]
    fn dependency_names_are_borrowed_sorted_and_unique() {
        let text = r#"{"b": "^1", "a\u0041": {"x": [1]}, "a": "2", "b": "3"}"#;
        let d: DepNames = serde_json::from_str(text).expect("an object");
        let names: Vec<&str> = d.0.iter().map(|t| t.0.as_ref()).collect();
        assert_eq!(names, ["a", "aA", "b"]);
        assert!(matches!(d.0[0].0, Cow::Borrowed(_)));
        assert!(matches!(d.0[1].0, Cow::Owned(_)));
        assert!(serde_json::from_str::<DepNames>("[1]").is_err());
    }

    #[test]
    fn lines_in_any_order_match_the_line_index() {
        let t = "a\nbb\n\nccc\n";
        let index = crate::text::LineIndex::new(t);
        let lines = Lines::new(t);
        for offset in [0, 1, 2, 5, 6, 3, 9, 100, 0, 7, 4] {
            assert_eq!(lines.line(offset), index.line(offset), "{offset}");
        }
    }

    #[test]
    fn names_and_aliases() {
        assert_eq!(split_name_version("@a/b@1.0.0"), Some(("@a/b", "1.0.0")));
        assert_eq!(split_name_version("b@^1"), Some(("b", "^1")));
        assert_eq!(split_name_version("@a/b"), None);
        assert_eq!(
            split_name_version("a@npm:@b/c@1"),
            Some(("a", "npm:@b/c@1"))
        );
        assert_eq!(
            parse_alias("npm:string-width@4.2.3"),
            Some(("string-width", "4.2.3"))
        );
        assert_eq!(parse_alias("4.2.3"), None);
    }

    #[test]
    fn tarball_dir_is_split_once() {
        for r in [
            "a/-/b",
            "/-/",
            "a/-",
            "a//-/b/-/c",
            "-/x",
            "",
            "a/b/-/-/c",
            "é/-/é",
        ] {
            assert_eq!(
                before_tarball_dir(r),
                r.split_once("/-/").map(|(a, _)| a),
                "{r}"
            );
        }
    }

    #[test]
    fn sources() {
        assert_eq!(
            parse_source(
                "https://registry.npmjs.org/@babel/core/-/core-7.0.0.tgz",
                "@babel/core"
            ),
            Source::Registry {
                url: Some("https://registry.npmjs.org".into())
            }
        );
        assert_eq!(
            parse_source("git+ssh://git@github.com/a/b.git#abc", "b"),
            Source::Git {
                url: "ssh://git@github.com/a/b.git".into(),
                rev: Some("abc".into())
            }
        );
        assert_eq!(
            parse_source("file:../x", "x"),
            Source::Path {
                path: "../x".into()
            }
        );
        assert_eq!(
            parse_source("https://example.com/x.tgz", "x"),
            Source::Url {
                url: "https://example.com/x.tgz".into()
            }
        );
    }
}
