//! A reader of `pnpm-lock.yaml` in the shape pnpm writes it: block mappings one key a line,
//! dependency tables of scalars, `resolution: {integrity: …}` flow mappings on one line. It
//! builds the [`Lock`] straight from the text, borrowing as the YAML tree path does, where that
//! path builds a general tree first and then walks it (on the corpus files some 14
//! instructions a byte, where the tree alone took 18).
//!
//! It returns `None` at the first thing it does not expect (anchors, tags, block scalars,
//! multi-line values, flows it does not know, unsorted or repeated keys, document markers,
//! nesting past [`MAX_DEPTH`]; comments it reads as the tree does), and the caller then reads the file as before (YAML tree, then serde-saphyr),
//! which decides every odd file exactly as it always did. The parts the extractor does not use
//! (`engines`, `peerDependencies`, `settings`, …) are checked as strictly as the parts it does,
//! so that a file this reader accepts is a file the general path reads the same way.

use std::borrow::Cow;

use crate::yaml::{self, Line, MAX_DEPTH, Node as YNode};

use super::{DepRef, Deps, Importer, Lock, Package, Resolution, Snapshot, Str, Table};

/// The lockfile, or `None` when it is not in the shape this reader knows.
pub(super) fn read(text: &str) -> Option<Lock<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = Cursor {
        text,
        pos: 0,
        line: 0,
        cur: None,
        keys: Vec::with_capacity(64),
        pairs: Vec::with_capacity(64),
    };
    r.advance()?;
    let mut lock = Lock {
        lockfile_version: None,
        importers: None,
        packages: Vec::new(),
        snapshots: None,
        root: Importer::default(),
    };
    r.map::<false>(0, |r, key, _, rest| {
        match key.as_ref() {
            "lockfileVersion" => {
                lock.lockfile_version = super::version_scalar(Some(&r.scalar_at(0, rest)?))?;
            }
            "importers" => lock.importers = r.importers(rest)?,
            "packages" => r.packages(rest, &mut lock.packages)?,
            "snapshots" => lock.snapshots = r.snapshots(rest)?,
            // A 5.x lockfile without workspaces: the root importer's fields.
            "dependencies" => lock.root.dependencies = r.deps(0, rest)?,
            "devDependencies" => lock.root.dev_dependencies = r.deps(0, rest)?,
            "optionalDependencies" => lock.root.optional_dependencies = r.deps(0, rest)?,
            _ => r.skip(0, rest, 0)?,
        }
        Some(())
    })?;
    // Every line was read (a first line indented would have stopped the loop at once).
    r.cur.is_none().then_some(lock)
}

struct Cursor<'a> {
    text: &'a str,
    /// Where the next line not yet looked at starts.
    pos: usize,
    /// How many lines have been looked at.
    line: usize,
    /// The next line with content, `None` at the end.
    cur: Option<Line<'a>>,
    /// The keys of the mappings being read, a stack: each mapping checks its own are distinct.
    keys: Vec<Str<'a>>,
    /// The pairs of the table being read: moved out in one exact allocation at its end, where
    /// a vector of its own grew several times.
    pairs: Vec<(Str<'a>, Str<'a>)>,
}

/// What a mapping value or table holds when its line ends in `{}` or a null.
enum Empty {
    /// `{}`: an empty mapping.
    Map,
    /// A null, or no value at all.
    Null,
}

impl<'a> Cursor<'a> {
    /// Moves `cur` to the next line with content, skipping blank lines and comments; `None`
    /// for a tab in the indentation or a document marker or directive at the margin. Always
    /// inlined, as the tree's is: it runs once a line.
    #[inline(always)]
    fn advance(&mut self) -> Option<()> {
        self.cur = yaml::next_line(self.text, &mut self.pos, &mut self.line)?;
        // A document marker or directive, which pnpm never writes.
        if self.cur.as_ref().is_some_and(yaml::at_margin_marker) {
            return None;
        }
        Some(())
    }

    /// A block mapping whose keys sit at `indent`: `f` reads each entry's value from `rest`
    /// (what follows the key's colon) and the lines below. Whether its keys rise strictly
    /// (byte order, as a `BTreeMap` holds them); `None` where a key repeats, a line is not an
    /// entry, or one is more indented than the keys. With `SORTED` (the long mappings, which
    /// pnpm writes sorted: importers, packages, snapshots, dependency lists), also `None` at
    /// the first key that does not rise: each key is then compared with the one before only,
    /// none kept for a check of repeats.
    fn map<const SORTED: bool>(
        &mut self,
        indent: usize,
        mut f: impl FnMut(&mut Self, Str<'a>, u32, &'a str) -> Option<()>,
    ) -> Option<bool> {
        let start = self.keys.len();
        let mut sorted = true;
        let mut prev: Option<Str<'a>> = None;
        while let Some(l) = self.cur {
            if l.indent < indent {
                break;
            }
            if l.indent > indent {
                return None;
            }
            let (key, rest) = split_entry(l.content)?;
            if SORTED {
                if prev.as_ref().is_some_and(|p| !rises(p, &key)) {
                    return None;
                }
                prev = Some(key.clone());
            } else {
                if self.keys.len() > start {
                    sorted &= self.keys.last().is_some_and(|p| rises(p, &key));
                }
                self.keys.push(key.clone());
            }
            self.advance()?;
            f(self, key, l.line, rest)?;
        }
        if SORTED {
            return Some(true);
        }
        let distinct = sorted || yaml::no_repeats(self.keys.get(start..)?, |k| k);
        self.keys.truncate(start);
        distinct.then_some(sorted)
    }

    /// The indentation of the block below a key at `indent` whose line ends at its colon;
    /// `None` when the next line is not more indented (the value is null).
    fn child(&self, indent: usize) -> Option<usize> {
        self.cur.filter(|l| l.indent > indent).map(|l| l.indent)
    }

    /// The scalar value of a key at `indent`: on its line, or null when nothing follows it;
    /// `None` for a collection.
    fn scalar_at(&self, indent: usize, rest: &'a str) -> Option<YNode<'a>> {
        if rest.is_empty() {
            return self.child(indent).is_none().then_some(YNode::Null);
        }
        scalar(rest)
    }

    /// A value that is `{}` on the key's line, or null; `None` for anything else on the line
    /// and, when `rest` is empty, for a block below it (which the caller reads instead).
    fn empty(&self, indent: usize, rest: &'a str) -> Option<Empty> {
        if rest == "{}" {
            return Some(Empty::Map);
        }
        match self.scalar_at(indent, rest)? {
            YNode::Null => Some(Empty::Null),
            _ => None,
        }
    }

    /// A value the extractor does not read, checked all the same: scalars, one-line flows of
    /// scalars, and blocks of those, with distinct keys.
    fn skip(&mut self, indent: usize, rest: &'a str, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        if !rest.is_empty() {
            return match rest.as_bytes().first() {
                Some(b'{' | b'[') => flow(rest, |_, _| Some(())),
                _ => scalar(rest).map(drop),
            };
        }
        let Some(c) = self.child(indent) else {
            return Some(());
        };
        if self.cur.is_some_and(|l| yaml::is_seq_item(l.content)) {
            return self.skip_seq(c, depth + 1);
        }
        self.map::<false>(c, |r, _, _, rest| r.skip(c, rest, depth + 1))
            .map(drop)
    }

    /// A block sequence at `indent` of values [`skip`](Self::skip) accepts (no compact
    /// mappings).
    fn skip_seq(&mut self, indent: usize, depth: usize) -> Option<()> {
        while let Some(l) = self.cur {
            if l.indent < indent || (l.indent == indent && !yaml::is_seq_item(l.content)) {
                break;
            }
            if l.indent > indent {
                return None;
            }
            let rest = l.content.get(1..)?.trim_start_matches(' ');
            self.advance()?;
            // A compact mapping (`- a: b`) or a nested item is no scalar: `scalar` refuses it.
            self.skip(indent, rest, depth)?;
        }
        Some(())
    }

    fn importers(&mut self, rest: &'a str) -> Option<Option<Vec<(Str<'a>, Importer<'a>)>>> {
        let Some(c) = self.child(0).filter(|_| rest.is_empty()) else {
            return match self.empty(0, rest)? {
                Empty::Map => Some(Some(Vec::new())),
                Empty::Null => Some(None),
            };
        };
        let mut importers = Vec::new();
        self.map::<true>(c, |r, key, _, rest| {
            importers.push((key, r.importer(c, rest)?));
            Some(())
        })?;
        Some(Some(importers))
    }

    fn importer(&mut self, indent: usize, rest: &'a str) -> Option<Importer<'a>> {
        let mut imp = Importer::default();
        let Some(c) = self.child(indent).filter(|_| rest.is_empty()) else {
            self.empty(indent, rest)?;
            return Some(imp);
        };
        self.map::<false>(c, |r, key, _, rest| {
            match key.as_ref() {
                "dependencies" => imp.dependencies = r.deps(c, rest)?,
                "devDependencies" => imp.dev_dependencies = r.deps(c, rest)?,
                "optionalDependencies" => imp.optional_dependencies = r.deps(c, rest)?,
                _ => r.skip(c, rest, 1)?,
            }
            Some(())
        })?;
        Some(imp)
    }

    /// An importer's dependency list (`name: 1.0.0` in 5.x, `name:` then `specifier: …` and
    /// `version: …` later); sorted, or `None`.
    fn deps(&mut self, indent: usize, rest: &'a str) -> Option<Option<Deps<'a>>> {
        let Some(c) = self.child(indent).filter(|_| rest.is_empty()) else {
            return match self.empty(indent, rest)? {
                Empty::Map => Some(Some(Vec::new())),
                Empty::Null => Some(None),
            };
        };
        let mut deps = Vec::new();
        self.map::<true>(c, |r, key, _, rest| {
            let d = if rest.is_empty() {
                let spec = r.child(c)?;
                let mut version = None;
                r.map::<false>(spec, |r, k, _, rest| {
                    if k == "version" {
                        version = Some(text(r.scalar_at(spec, rest)?)??);
                    } else {
                        r.skip(spec, rest, 3)?;
                    }
                    Some(())
                })?;
                DepRef::Spec { version: version? }
            } else {
                // Untagged, as the tree path reads it: a number or a boolean is neither form.
                match scalar(rest)? {
                    p @ YNode::Plain(_) if p.maybe_not_a_string() => return None,
                    n => DepRef::Version(text(n)??),
                }
            };
            deps.push((key, d));
            Some(())
        })?;
        Some(Some(deps))
    }

    fn packages(
        &mut self,
        rest: &'a str,
        out: &mut Vec<(Str<'a>, Option<u32>, Package<'a>)>,
    ) -> Option<()> {
        let Some(c) = self.child(0).filter(|_| rest.is_empty()) else {
            return self.empty(0, rest).map(drop);
        };
        self.map::<true>(c, |r, key, line, rest| {
            // Filled in place: a `Package` is large.
            out.push((key, Some(line), Package::default()));
            let (_, _, p) = out.last_mut()?;
            r.package(c, rest, p)
        })?;
        Some(())
    }

    fn package(&mut self, indent: usize, rest: &'a str, p: &mut Package<'a>) -> Option<()> {
        let Some(c) = self.child(indent).filter(|_| rest.is_empty()) else {
            return self.empty(indent, rest).map(drop);
        };
        self.map::<false>(c, |r, key, _, rest| {
            match key.as_ref() {
                "resolution" => r.resolution(c, rest, &mut p.resolution)?,
                "name" => p.name = text(r.scalar_at(c, rest)?)?,
                "version" => p.version = text(r.scalar_at(c, rest)?)?,
                "dev" => match r.scalar_at(c, rest)? {
                    YNode::Null => {}
                    v => p.dev = Some(boolean(&v)?),
                },
                "optional" => p.optional = boolean(&r.scalar_at(c, rest)?)?,
                "dependencies" => p.dependencies = r.table(c, rest)?,
                "optionalDependencies" => p.optional_dependencies = r.table(c, rest)?,
                _ => r.skip(c, rest, 2)?,
            }
            Some(())
        })
        .map(drop)
    }

    /// `resolution: {integrity: …}` (or `tarball`, `directory`, `repo` and `commit`); a
    /// block mapping is left to the general path.
    fn resolution(
        &mut self,
        indent: usize,
        rest: &'a str,
        out: &mut Option<Resolution<'a>>,
    ) -> Option<()> {
        if !rest.starts_with('{') {
            return match self.scalar_at(indent, rest)? {
                YNode::Null => Some(()),
                _ => None,
            };
        }
        let r = out.insert(Resolution::default());
        // The usual one, `{integrity: sha512-…}`: a plain scalar up to the closing brace, with
        // nothing in it the general rules would look at (found by three vector searches where
        // `flow` reads the key and the value byte by byte, then searches).
        if let Some(v) = rest
            .strip_prefix("{integrity: ")
            .and_then(|v| v.strip_suffix('}'))
            .filter(|v| is_bare(v))
        {
            r.integrity = text(yaml::plain(v))?;
            return Some(());
        }
        flow(rest, |key, value| {
            match key {
                "integrity" => r.integrity = text(value)?,
                "tarball" => r.tarball = text(value)?,
                "repo" => r.repo = text(value)?,
                "commit" => r.commit = text(value)?,
                "directory" => r.directory = text(value)?,
                _ => {}
            }
            Some(())
        })
    }

    fn snapshots(&mut self, rest: &'a str) -> Option<Option<Vec<(Str<'a>, Snapshot<'a>)>>> {
        let Some(c) = self.child(0).filter(|_| rest.is_empty()) else {
            return match self.empty(0, rest)? {
                Empty::Map => Some(Some(Vec::new())),
                Empty::Null => Some(None),
            };
        };
        let mut snapshots = Vec::new();
        self.map::<true>(c, |r, key, _, rest| {
            snapshots.push((key, r.snapshot(c, rest)?));
            Some(())
        })?;
        Some(Some(snapshots))
    }

    fn snapshot(&mut self, indent: usize, rest: &'a str) -> Option<Snapshot<'a>> {
        let mut s = Snapshot::default();
        let Some(c) = self.child(indent).filter(|_| rest.is_empty()) else {
            self.empty(indent, rest)?;
            return Some(s);
        };
        self.map::<false>(c, |r, key, _, rest| {
            match key.as_ref() {
                "dependencies" => s.dependencies = r.table(c, rest)?,
                "optionalDependencies" => s.optional_dependencies = r.table(c, rest)?,
                _ => r.skip(c, rest, 2)?,
            }
            Some(())
        })?;
        Some(s)
    }

    /// A `name: reference` table of a package or snapshot, sorted; `None` otherwise.
    fn table(&mut self, indent: usize, rest: &'a str) -> Option<Option<Table<'a>>> {
        let Some(c) = self.child(indent).filter(|_| rest.is_empty()) else {
            return match self.empty(indent, rest)? {
                Empty::Map => Some(Some(Table::Pairs(Vec::new()))),
                Empty::Null => Some(None),
            };
        };
        self.pairs.clear();
        self.map::<true>(c, |r, key, _, rest| {
            let value = text(r.scalar_at(c, rest)?)??;
            r.pairs.push((key, value));
            Some(())
        })?;
        Some(Some(Table::Pairs(self.pairs.drain(..).collect())))
    }
}

/// A boolean as serde reads it: `true` and `false` as pnpm writes them, without the eight
/// case-blind comparisons of the general rule ([`YNode::as_bool`]) that decides the rest.
fn boolean(node: &YNode<'_>) -> Option<bool> {
    match node {
        YNode::Plain("true") => Some(true),
        YNode::Plain("false") => Some(false),
        n => n.as_bool(),
    }
}

/// A scalar's text; `Some(None)` for a null.
fn text(node: YNode<'_>) -> Option<Option<Str<'_>>> {
    match node {
        YNode::Null => Some(None),
        YNode::Plain(p) => Some(Some(Cow::Borrowed(p))),
        YNode::Str(s) => Some(Some(s)),
        YNode::Map(_) | YNode::Seq(_) => None,
    }
}

/// A block line's `key: rest` as the YAML tree splits it; `None` for a line that is not a
/// mapping entry.
fn split_entry(content: &str) -> Option<(Str<'_>, &str)> {
    if let Some(entry) = simple_entry(content) {
        return Some(entry);
    }
    if yaml::is_seq_item(content) {
        return None;
    }
    yaml::split_key(content)?
}

/// The lines pnpm writes most, split without the general rules: `key:` or `key: value` with a
/// plain key of no `#`, or a single-quoted key with no `'` inside (`'@scope/name@1.0.0':`),
/// one space before a value that does not start a comment. `None` sends the line to
/// [`yaml::split_key`], which splits it exactly as the YAML tree does.
fn simple_entry(content: &str) -> Option<(Str<'_>, &str)> {
    let b = content.as_bytes();
    let colon = match *b.first()? {
        b'\'' => 1 + yaml::find2(b.get(1..)?, b'\'', b'\'')? + 1,
        c if c.is_ascii_alphanumeric() || c == b'/' || c == b'.' => {
            let i = yaml::find2(b, b':', b'#')?;
            // A `#` (maybe a comment) or spaces before the colon: the general rules.
            if b.get(i) != Some(&b':') || b.get(i.checked_sub(1)?) == Some(&b' ') {
                return None;
            }
            i
        }
        _ => return None,
    };
    if b.get(colon) != Some(&b':') {
        return None;
    }
    let key = if b.first() == Some(&b'\'') {
        content.get(1..colon - 1)?
    } else {
        content.get(..colon)?
    };
    match b.get(colon + 1) {
        None => Some((Cow::Borrowed(key), "")),
        Some(b' ') if !matches!(b.get(colon + 2), None | Some(b' ' | b'#')) => {
            Some((Cow::Borrowed(key), content.get(colon + 2..)?))
        }
        _ => None,
    }
}

/// Whether `c` (followed by `next`) cannot start a plain scalar: flows, quotes, anchors, tags,
/// block scalars, reserved characters, and `-`, `?` or `:` followed by a space.
fn is_indicator(c: u8, next: Option<u8>) -> bool {
    match c {
        b'{' | b'[' | b']' | b'}' | b',' | b'\'' | b'"' | b'|' | b'>' | b'&' | b'*' | b'!'
        | b'%' | b'@' | b'`' | b'#' => true,
        b'-' | b'?' | b':' => matches!(next, None | Some(b' ')),
        _ => false,
    }
}

/// A scalar on a block line (`s` not empty, no leading spaces): quoted or plain, with an
/// optional comment; `None` for a flow or anything unusual.
fn scalar(s: &str) -> Option<YNode<'_>> {
    let b = s.as_bytes();
    // The usual value (`1.0.0(peer@2)`, `true`): nothing for the general rules to do.
    if b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last() != Some(&b' ')
        && yaml::find2(b, b':', b'#').is_none()
    {
        return Some(yaml::plain(s));
    }
    match *b.first()? {
        b'\'' | b'"' => {
            let (value, used) = yaml::quoted(s)?;
            yaml::end_of_value(s.get(used..)?)?;
            Some(YNode::Str(value))
        }
        c if is_indicator(c, b.get(1).copied()) => None,
        _ => Some(yaml::plain(yaml::plain_text(s)?)),
    }
}

/// The entries of a flow mapping (`{k: v, …}`) or items of a flow sequence (`[v, …]`, with
/// empty keys) that is all of `s`, each given to `f`: scalar keys and values, no nesting,
/// at most [`FLOW_KEYS`] distinct keys.
fn flow<'a>(s: &'a str, mut f: impl FnMut(&'a str, YNode<'a>) -> Option<()>) -> Option<()> {
    let b = s.as_bytes();
    let close = match b.first()? {
        b'{' => b'}',
        b'[' => b']',
        _ => return None,
    };
    let mut keys = [""; FLOW_KEYS];
    let mut n = 0;
    let mut pos = skip_spaces(b, 1);
    if b.get(pos) == Some(&close) {
        return yaml::end_of_value(s.get(pos + 1..)?);
    }
    loop {
        let key = if close == b'}' {
            let (key, end) = match *b.get(pos)? {
                // Quoted without escapes (`{'0': …}`): borrowed as a plain key is.
                b'\'' | b'"' => match yaml::quoted(s.get(pos..)?)? {
                    (Cow::Borrowed(k), used) => (k, pos + used),
                    (Cow::Owned(_), _) => return None,
                },
                _ => {
                    let end = flow_plain_end(b, pos)?;
                    (s.get(pos..end)?, end)
                }
            };
            if b.get(end) != Some(&b':') || key.is_empty() || key.ends_with(' ') {
                return None;
            }
            if keys.get(..n)?.contains(&key) {
                return None;
            }
            *keys.get_mut(n)? = key;
            n += 1;
            pos = skip_spaces(b, end + 1);
            key
        } else {
            ""
        };
        let value = match *b.get(pos)? {
            b'\'' | b'"' => {
                let (v, used) = yaml::quoted(s.get(pos..)?)?;
                pos += used;
                YNode::Str(v)
            }
            _ => {
                let end = flow_plain_end(b, pos)?;
                let v = s.get(pos..end)?.trim_end_matches(' ');
                // A `:` ending the value (`{a: b: c}`) is not pnpm's shape.
                if v.is_empty() || b.get(end) == Some(&b':') {
                    return None;
                }
                pos = end;
                yaml::plain(v)
            }
        };
        f(key, value)?;
        pos = skip_spaces(b, pos);
        match *b.get(pos)? {
            b',' => pos = skip_spaces(b, pos + 1),
            c if c == close => return yaml::end_of_value(s.get(pos + 1..)?),
            _ => return None,
        }
    }
}

/// Whether `v` is a plain scalar in a flow as it stands: it starts with a letter or digit, ends
/// in no space, and holds none of `,[]{}#:`.
fn is_bare(v: &str) -> bool {
    let b = v.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last() != Some(&b' ')
        && memchr::memchr3(b',', b'[', b']', b).is_none()
        && memchr::memchr3(b'{', b'}', b'#', b).is_none()
        && memchr::memchr(b':', b).is_none()
}

/// How many keys a flow mapping may hold here (pnpm's hold one to three).
const FLOW_KEYS: usize = 8;

/// Where a plain scalar starting at `from` in a flow ends (as the YAML tree finds it): at `,`,
/// `]` or `}`, or at a `:` that ends a key; `None` where it starts with an indicator, runs to
/// the end of the line, or stops at what the tree reads otherwise (`[`, `{`, ` #`).
fn flow_plain_end(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    if is_indicator(*rest.first()?, rest.get(1).copied()) {
        return None;
    }
    let end = from + yaml::flow_plain_len(rest);
    matches!(b.get(end)?, b',' | b']' | b'}' | b':').then_some(end)
}

fn skip_spaces(b: &[u8], mut pos: usize) -> usize {
    while b.get(pos) == Some(&b' ') {
        pos += 1;
    }
    pos
}

/// Whether `key` sorts after `prev`: their first bytes decide most pairs without a call to
/// compare the whole keys.
fn rises(prev: &str, key: &str) -> bool {
    match (prev.as_bytes().first(), key.as_bytes().first()) {
        (Some(a), Some(b)) if a != b => a < b,
        _ => prev < key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::{damage, damage_args, shared_data};
    use proptest::prelude::*;

    const FIXTURE: &str = include_str!("../../../testdata/pnpm-lock/v5-single/pnpm-lock.yaml");

    /// Where this reader reads `text`, the general path (YAML tree, else serde-saphyr) reads
    /// the same lock from it. Whether this reader did.
    fn agrees(text: &str) -> bool {
        let shaped = read(text);
        let tree = yaml::parse(text);
        let general = super::super::parse_lock(text, tree.as_ref());
        match (&shaped, &general) {
            (None, _) => {}
            (Some(s), Ok(g)) => assert_eq!(s, g, "{text}"),
            (Some(_), Err(e)) => panic!("read, where the general path fails ({e}):\n{text}"),
        }
        shaped.is_some()
    }

    fn corpus() -> Vec<String> {
        let Some(dir) = shared_data() else {
            return Vec::new();
        };
        ["core", "vite", "vite@523d6f7", "vite@a862ecb"]
            .iter()
            .map(|d| {
                let path = dir.join("lockfiles/npm").join(d).join("pnpm-lock.yaml");
                std::fs::read_to_string(path).unwrap()
            })
            .collect()
    }

    /// Every real lockfile (9.x, 6.x, 5.x) and the fixture are read by this reader, as the
    /// YAML tree reads them (so also as serde-saphyr does: the tree path's own tests).
    #[test]
    fn reads_every_real_lockfile_as_the_tree_does() {
        for text in corpus().iter().map(String::as_str).chain([FIXTURE]) {
            let tree = yaml::parse(text).unwrap();
            let general = super::super::from_node(&tree).unwrap();
            let shaped = read(text).unwrap();
            assert!(shaped == general, "{}", &text[..80]);
            assert!(!shaped.packages.is_empty());
        }
    }

    #[test]
    fn reads_the_small_shapes() {
        let doc = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\n  x: {}\npackages:\n  '@s/a@1.0.0':\n    resolution: {integrity: sha512-AA==, tarball: 'https://x/a.tgz'}\n    engines: {node: '>=18', npm: ^9 || ^10}\n    cpu: [x64, arm64]\n    hasBin: true\n  b@1.0.0: {}\n  c@1.0.0:\n    resolution: {}\n    peerDependencies:\n      a: ^1\n    peerDependenciesMeta:\n      a:\n        optional: true\nsnapshots:\n  '@s/a@1.0.0':\n    dependencies:\n      b: 1.0.0\n    transitivePeerDependencies:\n      - supports-color\n  b@1.0.0: {}\n  c@1.0.0:\n    optionalDependencies: {}\n";
        assert!(agrees(doc));
        let lock = read(doc).unwrap();
        assert_eq!(lock.packages.len(), 3);
        assert_eq!(lock.packages[1].1, Some(15));
        assert!(agrees(""));
        assert!(agrees("lockfileVersion: 5.4\n# a comment\n\npackages:\n"));
    }

    /// What this reader leaves to the general path: the general path decides.
    #[test]
    fn leaves_the_rest_to_the_general_path() {
        let head = "lockfileVersion: '9.0'\npackages:\n";
        let docs = [
            "---\nlockfileVersion: '9.0'\n".to_owned(),
            "lockfileVersion: '9.0'\nlockfileVersion: '9.0'\n".to_owned(),
            "lockfileVersion: [1]\n".to_owned(),
            "  lockfileVersion: '9.0'\n".to_owned(),
            "lockfileVersion: &a '9.0'\n".to_owned(),
            "lockfileVersion: '9.0'\nsettings:\n  a: 1\n  a: 2\n".to_owned(),
            "lockfileVersion: '9.0'\nsettings:\n  a: |\n    x\n".to_owned(),
            "lockfileVersion: '9.0'\nsettings:\n  a: x\n    y\n".to_owned(),
            "lockfileVersion: '9.0'\nsettings:\n- a\n".to_owned(),
            "lockfileVersion: '9.0'\nx:\n  - a: b\n".to_owned(),
            "lockfileVersion: '9.0'\nx: {a: {b: c}}\n".to_owned(),
            "lockfileVersion: '9.0'\nx: {a: b, a: c}\n".to_owned(),
            "lockfileVersion: '9.0'\nimporters:\n  b: {}\n  a: {}\n".to_owned(),
            "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a: 1\n".to_owned(),
            "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: x\n".to_owned(),
            format!("{head}  b@1.0.0: {{}}\n  a@1.0.0: {{}}\n"),
            format!("{head}  a@1.0.0:\n    resolution:\n      integrity: x\n"),
            format!("{head}  a@1.0.0:\n    resolution: {{integrity: }}\n"),
            format!("{head}  a@1.0.0:\n    dev: 'true'\n"),
            format!("{head}  a@1.0.0:\n    optional:\n"),
            format!("{head}  a@1.0.0:\n    dependencies:\n      b: 1.0.0\n      a: 1.0.0\n"),
            format!("{head}  a@1.0.0:\n    dependencies:\n      b:\n"),
            format!("{head}  a@1.0.0:\n    dependencies: {{b: 1.0.0}}\n"),
            format!("{head}  a@1.0.0:\n    name: x\n    name: y\n"),
            format!("{head}  a@1.0.0:\n    engines: {{node: a: b}}\n"),
            format!("{head}  a@1.0.0:\n\tdev: true\n"),
        ];
        for doc in &docs {
            assert!(!agrees(doc), "read: {doc}");
        }
    }

    /// A small xorshift generator: the documents below are built from one seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n.max(1)
        }
        fn pick<'s>(&mut self, of: &[&'s str]) -> &'s str {
            of[self.next(of.len() as u64) as usize]
        }
    }

    /// A lockfile in pnpm's 9.x or 6.x shape: importers, packages with the fields pnpm
    /// writes, peer suffixes, dev flags (6.x), snapshots (9.x), some names quoted.
    fn pnpm_doc(seed: u64, count: usize, v9: bool) -> String {
        let mut r = Rng(seed | 1);
        let names: std::collections::BTreeSet<String> = (0..count)
            .map(|_| {
                let base = r.pick(&["a", "b", "lodash", "x-y", "vite", "z.js", "true", "1"]);
                match r.next(3) {
                    0 => format!("@s{}/{base}", r.next(3)),
                    _ => format!("{base}{}", r.next(4)),
                }
            })
            .collect();
        let names: Vec<String> = names.into_iter().collect();
        let version = |r: &mut Rng| format!("{}.{}.{}", r.next(3), r.next(12), r.next(3));
        let versions: Vec<String> = names.iter().map(|_| version(&mut r)).collect();
        let key = |n: &str, v: &str| {
            let k = if v9 {
                format!("{n}@{v}")
            } else {
                format!("/{n}@{v}")
            };
            if k.starts_with('@') {
                format!("'{k}'")
            } else {
                k
            }
        };
        let name_key = |n: &str| {
            if n.starts_with('@') || n == "true" || n == "1" {
                format!("'{n}'")
            } else {
                n.to_owned()
            }
        };
        let peer = |r: &mut Rng, names: &[String], versions: &[String]| {
            if r.next(3) == 0 && !names.is_empty() {
                let i = r.next(names.len() as u64) as usize;
                format!("({}@{})", names[i], versions[i])
            } else {
                String::new()
            }
        };
        let mut doc = format!("lockfileVersion: '{}'\n\n", if v9 { "9.0" } else { "6.0" });
        doc += "settings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\n";
        doc += "importers:\n\n  .:\n";
        for field in ["dependencies", "devDependencies"] {
            if r.next(2) == 0 {
                continue;
            }
            doc += &format!("    {field}:\n");
            for (n, v) in names.iter().zip(&versions) {
                if r.next(3) == 0 {
                    let p = peer(&mut r, &names, &versions);
                    doc += &format!(
                        "      {}:\n        specifier: ^{v}\n        version: {v}{p}\n",
                        name_key(n)
                    );
                }
            }
        }
        doc += "\n  packages/x: {}\n\npackages:\n\n";
        let mut keys: Vec<(String, usize)> = names
            .iter()
            .zip(&versions)
            .enumerate()
            .map(|(i, (n, v))| (key(n, v), i))
            .collect();
        keys.sort_by(|a, b| a.0.trim_matches('\'').cmp(b.0.trim_matches('\'')));
        let deps = |r: &mut Rng, doc: &mut String, indent: &str| {
            for field in ["dependencies", "optionalDependencies"] {
                if r.next(2) == 0 {
                    continue;
                }
                *doc += &format!("{indent}{field}:\n");
                for (n, v) in names.iter().zip(&versions) {
                    if r.next(3) == 0 {
                        let p = peer(r, &names, &versions);
                        *doc += &format!("{indent}  {}: {v}{p}\n", name_key(n));
                    }
                }
            }
        };
        for (k, _) in &keys {
            doc += &format!("  {k}:\n");
            doc += &format!(
                "    resolution: {{{}}}\n",
                r.pick(&[
                    "integrity: sha512-AB+c/d==",
                    "tarball: https://r.example/a/-/a-1.0.0.tgz",
                    "directory: play/x, type: directory",
                    "commit: abc, repo: https://g/x.git, type: git"
                ])
            );
            if r.next(2) == 0 {
                doc += "    engines: {node: '>=18'}\n";
            }
            if r.next(3) == 0 {
                doc += "    cpu: [x64]\n    os: [linux, darwin]\n";
            }
            if r.next(4) == 0 {
                doc += "    hasBin: true\n";
            }
            if r.next(4) == 0 {
                doc += "    peerDependencies:\n      a: '*'\n      b: ^1 || ^2\n";
            }
            if !v9 {
                deps(&mut r, &mut doc, "    ");
                if r.next(3) == 0 {
                    doc += "    transitivePeerDependencies:\n      - supports-color\n";
                }
                doc += &format!("    dev: {}\n", r.pick(&["true", "false"]));
            }
            if r.next(5) == 0 {
                doc += "    optional: true\n";
            }
            doc += "\n";
        }
        if v9 {
            doc += "snapshots:\n\n";
            for (k, _) in &keys {
                if r.next(3) == 0 {
                    doc += &format!("  {k}: {{}}\n\n");
                    continue;
                }
                doc += &format!("  {k}:\n");
                deps(&mut r, &mut doc, "    ");
                if r.next(3) == 0 {
                    doc += "    transitivePeerDependencies:\n      - supports-color\n";
                }
                doc += "\n";
            }
        }
        doc
    }

    proptest! {
        /// Generated lockfiles in pnpm's shape are read, as the general path reads them.
        #[test]
        fn agrees_on_generated_lockfiles(seed in any::<u64>(), count in 0usize..12, v9 in any::<bool>()) {
            let doc = pnpm_doc(seed, count, v9);
            prop_assert!(agrees(&doc), "{}", doc);
        }

        /// The same with one byte inserted, removed or replaced: never a panic, and read
        /// either as the general path reads it or not at all.
        #[test]
        fn agrees_on_damaged_lockfiles(
            seed in any::<u64>(),
            count in 0usize..8,
            v9 in any::<bool>(),
            (at, how, byte) in damage_args(),
        ) {
            if let Some(doc) = damage(pnpm_doc(seed, count, v9), at, how, byte) {
                agrees(&doc);
            }
        }

        /// The real files and the fixture cut short or damaged anywhere: the same.
        #[test]
        fn agrees_on_damaged_real_files(
            which in 0usize..5,
            cut in any::<proptest::sample::Index>(),
            (at, how, byte) in (any::<proptest::sample::Index>(), 0u8..3, any::<u8>()),
        ) {
            let mut files = corpus();
            files.push(FIXTURE.to_owned());
            let doc = &files[which % files.len()];
            let end = cut.index(doc.len() + 1);
            let end = (0..=end).rev().find(|&i| doc.is_char_boundary(i)).unwrap_or(0);
            let cut = doc[..end].to_owned();
            agrees(&cut);
            if let Some(d) = damage(doc.clone(), at.index(doc.len() + 1), how, byte) {
                agrees(&d);
            }
        }
    }

    /// Every prefix of the fixture: never a panic, and read as the general path reads it.
    #[test]
    fn every_prefix_of_the_fixture() {
        for end in (0..=FIXTURE.len()).filter(|&i| FIXTURE.is_char_boundary(i)) {
            agrees(&FIXTURE[..end]);
        }
    }
}
