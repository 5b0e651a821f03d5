//! A fast reader for the block-YAML subset that lockfile writers emit (pnpm's `pnpm-lock.yaml`
//! above all): block mappings and sequences by indentation, plain, single- and double-quoted
//! scalars, and flow mappings and sequences that close on their own line.
//!
//! Anything else (anchors, aliases, tags, block scalars, multi-line scalars or flows, complex
//! keys, several documents, tabs in indentation, nesting deeper than [`MAX_DEPTH`]) makes
//! [`parse`] return `None`, and the caller parses the file with serde-saphyr, which reads all of
//! YAML and reports errors with their line. So this reader never has to be right about a file it
//! does not fully understand; it only has to recognise that it does not. It exists because a
//! general YAML parser was a third of a whole scan's CPU time on pnpm-heavy trees
//! (docs/benchmarks.md); on what it accepts it gives the same tree as serde-saphyr, which the
//! tests check on real lockfiles and on generated documents.
//!
//! The reader is one pass over the lines (found with `memchr`, never stored), and the tree is
//! flat: every mapping's entries and sequence's items sit side by side in one arena
//! ([`Tree`]), so a document of any size costs a few allocations, not one per collection, and
//! dropping it does not walk a tree of boxes.

use std::borrow::Cow;

use crate::ExtractError;

/// Nesting deeper than this is left to the full parser (and keeps recursion bounded).
pub(crate) const MAX_DEPTH: usize = 64;

/// A YAML node. Plain scalars keep their text: the reader of a field decides its type, as serde
/// does with a typed target. Collections are spans of their [`Tree`]'s arena.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    /// A plain (unquoted) scalar other than a null.
    Plain(&'a str),
    /// A quoted scalar: always a string.
    Str(Cow<'a, str>),
    /// A mapping: its entries in the arena.
    Map(Span),
    /// A sequence: its items in the arena, as entries with an empty key.
    Seq(Span),
}

/// Where a collection's children sit in its tree's arena.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Span {
    start: usize,
    len: usize,
    /// For a mapping: whether its keys rise strictly (checked anyway for repeats), so that a
    /// reader wanting them sorted need not check again.
    sorted: bool,
}

/// One mapping entry (or sequence item, whose key is empty), with the 1-based line of its key
/// (0 inside a flow and for items).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub line: u32,
    pub value: Node<'a>,
}

/// A parsed document: its root and the arena its collections point into.
#[derive(Debug)]
pub(crate) struct Tree<'a> {
    root: Node<'a>,
    arena: Vec<Entry<'a>>,
}

impl<'a> Tree<'a> {
    pub(crate) fn root(&self) -> &Node<'a> {
        &self.root
    }

    fn span(&self, s: Span) -> &[Entry<'a>] {
        s.start
            .checked_add(s.len)
            .and_then(|end| self.arena.get(s.start..end))
            .unwrap_or_default()
    }

    /// The entries of a mapping.
    pub(crate) fn entries(&self, node: &Node<'a>) -> Option<&[Entry<'a>]> {
        match node {
            Node::Map(s) => Some(self.span(*s)),
            _ => None,
        }
    }

    /// The items of a sequence (entries with an empty key).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn items(&self, node: &Node<'a>) -> Option<&[Entry<'a>]> {
        match node {
            Node::Seq(s) => Some(self.span(*s)),
            _ => None,
        }
    }

    /// The value of a mapping's key (keys are distinct: the reader leaves repeated keys to the
    /// full parser).
    pub(crate) fn get(&self, node: &Node<'a>, key: &str) -> Option<&Node<'a>> {
        self.entries(node)?
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
    }
}

impl Node<'_> {
    /// Whether this is a mapping whose keys rise strictly (byte order): what a `BTreeMap` of
    /// it would hold, in the same order.
    pub(crate) fn is_sorted_map(&self) -> bool {
        matches!(self, Node::Map(s) if s.sorted)
    }

    /// A scalar's text (plain or quoted); `None` for null, mappings and sequences.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::Plain(s) => Some(s),
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A plain scalar that serde-saphyr reads as a boolean: YAML 1.1's `y`/`yes`/`on`/`true`
    /// and `n`/`no`/`off`/`false`, in any case.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        let Node::Plain(p) = self else { return None };
        let is = |words: [&str; 4]| words.iter().any(|w| p.eq_ignore_ascii_case(w));
        if is(["true", "yes", "y", "on"]) {
            Some(true)
        } else if is(["false", "no", "n", "off"]) {
            Some(false)
        } else {
            None
        }
    }

    /// Whether a plain scalar might be read as a number or a boolean by a parser that types
    /// untyped values (serde's untagged enums): such values are left to the full parser. Errs
    /// on the side of "might": `1.0`, `0x1f`, `1_000`, `.inf`, `yes`; but `4.17.21` is a string.
    pub(crate) fn maybe_not_a_string(&self) -> bool {
        let Node::Plain(p) = self else { return false };
        if self.as_bool().is_some() {
            return true;
        }
        let t = p.trim_start_matches(['+', '-']);
        let lower = t.to_ascii_lowercase();
        if matches!(lower.as_str(), ".inf" | ".nan" | "inf" | "nan" | "infinity") {
            return true;
        }
        if let Some(rest) = lower
            .strip_prefix("0x")
            .or_else(|| lower.strip_prefix("0o"))
            .or_else(|| lower.strip_prefix("0b"))
        {
            return rest.bytes().all(|b| b.is_ascii_hexdigit() || b == b'_');
        }
        let (mantissa, exponent) = match lower.split_once('e') {
            Some((m, e)) => (m, Some(e.trim_start_matches(['+', '-']))),
            None => (lower.as_str(), None),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || b == b'_');
        mantissa.bytes().filter(|&b| b == b'.').count() <= 1
            && mantissa.bytes().any(|b| b.is_ascii_digit())
            && digits(&mantissa.replace('.', ""))
            && exponent.is_none_or(|e| !e.is_empty() && digits(e))
    }
}

/// Parses a whole document, or `None` when it uses YAML this reader leaves to the full parser.
pub(crate) fn parse(text: &str) -> Option<Tree<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser {
        text,
        pos: 0,
        line: 0,
        seen_content: false,
        cur: None,
        b: Builder {
            scratch: Vec::with_capacity(64),
            // About one entry per line of a lockfile, a line being some 30 bytes.
            arena: Vec::with_capacity(text.len() / 24),
        },
    };
    p.advance()?;
    let root = match p.cur {
        None => Node::Null,
        Some(l) => p.block(l.indent, 0)?,
    };
    // Everything must have been read (a line less indented than the root is not YAML).
    if p.cur.is_some() {
        return None;
    }
    Some(Tree {
        root,
        arena: p.b.arena,
    })
}

/// Reads YAML into any serde type: through the fast reader when the file is in its subset and
/// every value converts exactly, else (or when the typed read fails) through serde-saphyr, whose
/// errors keep their line. The result is the same either way; only the time differs.
pub(crate) fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ExtractError> {
    if let Some(value) = parse(text).and_then(|t| to_value(&t, t.root()))
        && let Ok(t) = T::deserialize(value)
    {
        return Ok(t);
    }
    from_str_full(text)
}

/// Reads YAML with serde-saphyr only, with a budget that grows with the input (its defaults
/// reject big lockfiles) and errors that keep their line.
pub(crate) fn from_str_full<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ExtractError> {
    let room = text.len().saturating_mul(2).saturating_add(4096);
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: room,
            max_nodes: room,
            max_total_scalar_bytes: room,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let line = e
            .location()
            .and_then(|l| u32::try_from(l.line()).ok())
            .filter(|&l| l > 0);
        ExtractError::syntax(line, e)
    })
}

/// The node as the value serde-saphyr would give an untyped target, or `None` where a plain
/// scalar's type is one this reader does not reproduce exactly (`0x1f`, `1_000`, `.inf`, `00`…).
pub(crate) fn to_value(tree: &Tree<'_>, node: &Node<'_>) -> Option<serde_json::Value> {
    use serde_json::Value;
    Some(match node {
        Node::Null => Value::Null,
        Node::Str(s) => Value::String(s.to_string()),
        Node::Plain(p) => {
            if let Some(b) = node.as_bool() {
                Value::Bool(b)
            } else if !node.maybe_not_a_string() {
                Value::String((*p).to_owned())
            } else if simple_number(p) {
                if let Ok(u) = p.parse::<u64>() {
                    Value::from(u)
                } else if let Ok(i) = p.parse::<i64>() {
                    Value::from(i)
                } else {
                    Value::from(p.parse::<f64>().ok()?)
                }
            } else {
                return None;
            }
        }
        Node::Seq(s) => Value::Array(
            tree.span(*s)
                .iter()
                .map(|e| to_value(tree, &e.value))
                .collect::<Option<_>>()?,
        ),
        Node::Map(s) => {
            let entries = tree.span(*s);
            let mut m = serde_json::Map::with_capacity(entries.len());
            for e in entries {
                m.insert(e.key.to_string(), to_value(tree, &e.value)?);
            }
            Value::Object(m)
        }
    })
}

/// `-12`, `0`, `3.25`: numbers every YAML reader types alike (no leading zeros, underscores,
/// exponents or special forms).
fn simple_number(p: &str) -> bool {
    let digits = p.strip_prefix('-').unwrap_or(p);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(int)
        && (int == "0" || !int.starts_with('0'))
        && frac.is_none_or(all_digits)
        && int.len() + frac.map_or(0, str::len) <= 15
}

/// A line with content (not blank, not only a comment).
#[derive(Clone, Copy)]
pub(crate) struct Line<'a> {
    pub(crate) indent: usize,
    /// Its number, from 1.
    pub(crate) line: u32,
    pub(crate) content: &'a str,
}

/// The next line with content of `text` from `pos` (blank lines and comments stepped over, and
/// counted in `line`), `Some(None)` at the end of the text; `None` for a tab in the indentation
/// or a line number past `u32`, syntax left to a full parser. The tree's reader and the pnpm
/// lockfile's shape reader read their lines with it, each once a line: always inlined.
#[inline(always)]
pub(crate) fn next_line<'a>(
    text: &'a str,
    pos: &mut usize,
    line: &mut usize,
) -> Option<Option<Line<'a>>> {
    while let Some(rest) = text.get(*pos..).filter(|r| !r.is_empty()) {
        let end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let raw = rest.get(..end)?;
        *pos += end + 1;
        *line += 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let indent = position(raw.as_bytes(), |c| c != b' ').unwrap_or(raw.len());
        let content = raw.get(indent..)?;
        match content.as_bytes().first() {
            None | Some(b'#') => continue,
            Some(b'\t') => return None,
            Some(_) => {
                let line = u32::try_from(*line).ok()?;
                return Some(Some(Line {
                    indent,
                    line,
                    content,
                }));
            }
        }
    }
    Some(None)
}

/// Whether a line at the margin may be a document marker or a directive (`---`, `...`, `%`).
pub(crate) fn at_margin_marker(l: &Line<'_>) -> bool {
    l.indent == 0 && matches!(l.content.as_bytes().first(), Some(b'-' | b'.' | b'%'))
}

/// Where collections are put together: the children of the collections being read wait on
/// `scratch` (a stack), and each collection, once complete, moves its children to `arena` in
/// one piece, so that they are contiguous there.
struct Builder<'a> {
    scratch: Vec<Entry<'a>>,
    arena: Vec<Entry<'a>>,
}

impl<'a> Builder<'a> {
    /// The collection whose children are `scratch[start..]`; `None` for a mapping whose keys
    /// repeat (serde-saphyr rejects that, so the full parser decides).
    fn finish(&mut self, start: usize, map: bool) -> Option<Node<'a>> {
        let children = self.scratch.get(start..)?;
        // Most collections of a lockfile hold one child (`{integrity: …}`, `[x64]`) or none
        // (`{}`): a lone key is sorted with no comparison, and one pop (or nothing) replaces
        // the general drain, whose set-up cost more than the move.
        let sorted = map && (children.len() <= 1 || is_sorted(children));
        if map && !sorted && !distinct_unsorted(children) {
            return None;
        }
        let span = Span {
            start: self.arena.len(),
            len: children.len(),
            sorted,
        };
        match span.len {
            0 => {}
            1 => self.arena.extend(self.scratch.pop()),
            _ => self.arena.extend(self.scratch.drain(start..)),
        }
        Some(if map {
            Node::Map(span)
        } else {
            Node::Seq(span)
        })
    }
}

struct Parser<'a> {
    text: &'a str,
    /// Where the next line not yet looked at starts.
    pos: usize,
    /// How many lines have been looked at.
    line: usize,
    /// Whether content (or a `---`) was seen: a later `---` is a second document.
    seen_content: bool,
    /// The next line with content, `None` at the end of the document.
    cur: Option<Line<'a>>,
    b: Builder<'a>,
}

pub(crate) fn is_seq_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

impl<'a> Parser<'a> {
    /// Moves `cur` to the next line with content; `None` when a line uses syntax left to the
    /// full parser (a tab in the indentation, a directive, a second document).
    ///
    /// Always inlined, like [`split_key`]: it runs once per line, from five places (measured:
    /// 0.8 M fewer instructions per pass over the corpus pnpm lockfiles).
    #[inline(always)]
    fn advance(&mut self) -> Option<()> {
        self.cur = None;
        while let Some(l) = next_line(self.text, &mut self.pos, &mut self.line)? {
            if at_margin_marker(&l) {
                if l.content == "---" || l.content.starts_with("--- ") {
                    // One explicit document start, before any content.
                    if self.seen_content || l.content != "---" {
                        return None;
                    }
                    self.seen_content = true;
                    continue;
                }
                if l.content.starts_with("...") || l.content.starts_with('%') {
                    return None;
                }
            }
            self.seen_content = true;
            self.cur = Some(l);
            return Some(());
        }
        Some(())
    }

    /// A block node whose first line is the current one, at `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let first = self.cur?;
        if is_seq_item(first.content) {
            self.seq(indent, depth)
        } else if let Some(entry) = split_key(first.content)? {
            self.map(indent, depth, Some(entry))
        } else {
            // A lone scalar as a block node: the document root, or a value on its own line.
            self.advance()?;
            let node = self.inline(first.content, depth)?;
            self.no_continuation(indent)?;
            Some(node)
        }
    }

    /// The value of a key or item whose line ends after `:` / `-`: a more indented block, a
    /// sequence at the key's own indent (`key:\n- a`, allowed for mapping values), or null.
    fn nested(
        &mut self,
        indent: usize,
        allow_same_indent_seq: bool,
        depth: usize,
    ) -> Option<Node<'a>> {
        match self.cur {
            Some(l) if l.indent > indent => self.block(l.indent, depth + 1),
            Some(l) if allow_same_indent_seq && l.indent == indent && is_seq_item(l.content) => {
                self.seq(indent, depth + 1)
            }
            _ => Some(Node::Null),
        }
    }

    /// After an inline value, the next line must not be more indented (that would be a
    /// multi-line scalar, left to the full parser).
    fn no_continuation(&self, indent: usize) -> Option<()> {
        match self.cur {
            Some(l) if l.indent > indent => None,
            _ => Some(()),
        }
    }

    /// A block mapping at `indent`; `first` is its first line already split (by the caller
    /// that had to know whether it was a mapping), so no line is split twice.
    fn map(
        &mut self,
        indent: usize,
        depth: usize,
        mut first: Option<KeyRest<'a>>,
    ) -> Option<Node<'a>> {
        let start = self.b.scratch.len();
        while let Some(l) = self.cur {
            if l.indent < indent {
                break;
            }
            if l.indent > indent || is_seq_item(l.content) {
                return None;
            }
            let (key, rest) = match first.take() {
                Some(entry) => entry,
                None => split_key(l.content)??,
            };
            self.advance()?;
            let value = if rest.is_empty() {
                self.nested(indent, true, depth)?
            } else {
                let v = self.inline(rest, depth)?;
                self.no_continuation(indent)?;
                v
            };
            self.b.scratch.push(Entry {
                key,
                line: l.line,
                value,
            });
        }
        self.b.finish(start, true)
    }

    fn seq(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let start = self.b.scratch.len();
        while let Some(l) = self.cur {
            if l.indent < indent {
                break;
            }
            if l.indent > indent {
                return None;
            }
            if !is_seq_item(l.content) {
                break;
            }
            let rest = trim_start_spaces(l.content.get(1..)?);
            let offset = l.content.len() - rest.len();
            let value = if rest.is_empty() || rest.starts_with('#') {
                self.advance()?;
                self.nested(indent, false, depth)?
            } else if is_seq_item(rest) {
                return None;
            } else if let Some(entry) = split_key(rest)? {
                // A compact mapping (`- key: value`): its first entry shares the item's line.
                self.cur = Some(Line {
                    indent: indent + offset,
                    line: l.line,
                    content: rest,
                });
                self.map(indent + offset, depth + 1, Some(entry))?
            } else {
                self.advance()?;
                let v = self.inline(rest, depth)?;
                self.no_continuation(indent)?;
                v
            };
            self.b.scratch.push(Entry {
                key: Cow::Borrowed(""),
                line: 0,
                value,
            });
        }
        self.b.finish(start, false)
    }

    /// An inline value: a quoted scalar, a flow collection or a plain scalar, with an optional
    /// trailing comment.
    fn inline(&mut self, s: &'a str, depth: usize) -> Option<Node<'a>> {
        match s.as_bytes().first()? {
            b'\'' | b'"' => {
                let (value, used) = quoted(s)?;
                end_of_value(s.get(used..)?)?;
                Some(Node::Str(value))
            }
            b'{' | b'[' => {
                let mut f = Flow {
                    s,
                    pos: 0,
                    b: &mut self.b,
                };
                let node = f.value(depth)?;
                end_of_value(s.get(f.pos..)?)?;
                Some(node)
            }
            b'|' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' => {
                None
            }
            b'-' | b'?' if matches!(s.as_bytes().get(1), None | Some(b' ')) => None,
            _ => Some(plain(plain_text(s)?)),
        }
    }
}

/// Whether the keys rise strictly (so are distinct).
fn is_sorted(entries: &[Entry<'_>]) -> bool {
    entries.is_sorted_by(|a, b| a.key < b.key)
}

/// Whether no key repeats. Lockfile writers sort most mappings (pnpm's `packages`,
/// `snapshots` and dependency lists): keys in strictly rising order are distinct, found with
/// one comparison per key. Otherwise keys are compared in pairs while there are few of them.
/// (What [`Builder::finish`] checks, in two steps, as it keeps the first.)
#[cfg(test)]
fn distinct(entries: &[Entry<'_>]) -> bool {
    is_sorted(entries) || distinct_unsorted(entries)
}

/// [`distinct`] for keys already known not to rise strictly.
fn distinct_unsorted(entries: &[Entry<'_>]) -> bool {
    no_repeats(entries, |e| &e.key)
}

/// Whether no two items have the same `key`: compared in pairs while there are few, through a
/// set otherwise. For keys not known to rise strictly (rising keys are distinct already); the
/// pnpm shape reader checks its mappings with it too.
pub(crate) fn no_repeats<T>(items: &[T], key: impl Fn(&T) -> &str) -> bool {
    if items.len() <= 16 {
        items
            .iter()
            .enumerate()
            .all(|(i, a)| items.iter().take(i).all(|b| key(b) != key(a)))
    } else {
        let mut seen = crate::HashSet::with_capacity_and_hasher(items.len(), Default::default());
        items.iter().all(|x| seen.insert(key(x)))
    }
}

/// A mapping entry's line split in its key and the rest of the line.
pub(crate) type KeyRest<'a> = (Cow<'a, str>, &'a str);

/// Splits `key: rest` (rest trimmed, comment removed). `Some(None)`: the line is not a mapping
/// entry (a scalar or a flow); `None`: it uses syntax this reader leaves to the full parser.
///
/// Always inlined: it runs once per line, and as a call its nested `Option` result went
/// through memory and its prologue and epilogue cost more than its usual loop (measured: 1.3 M
/// fewer instructions per pass over the corpus pnpm lockfiles, 2 %).
#[inline(always)]
pub(crate) fn split_key(content: &str) -> Option<Option<KeyRest<'_>>> {
    let (key, after) = match content.as_bytes().first()? {
        b'\'' | b'"' => {
            let (key, used) = quoted(content)?;
            let after = trim_start_spaces(content.get(used..)?);
            match after.strip_prefix(':') {
                Some(a) if a.is_empty() || a.starts_with(' ') => (key, a),
                // A quoted scalar that is not a key.
                _ => return Some(None),
            }
        }
        b'?' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' => return None,
        b'{' | b'[' => return Some(None),
        _ => {
            // The first `:` followed by a space or the end of the line ends a plain key; a
            // ` #` before it is a comment inside the key: not something to guess at.
            let b = content.as_bytes();
            let mut comment = false;
            let mut from = 0;
            let colon = loop {
                let Some(i) = b.get(from..).and_then(|r| find2(r, b':', b'#')) else {
                    break None;
                };
                let i = from + i;
                if b.get(i) == Some(&b'#') {
                    comment |= i > 0 && b.get(i - 1) == Some(&b' ');
                } else if matches!(b.get(i + 1), None | Some(b' ')) {
                    break Some(i);
                }
                from = i + 1;
            };
            let Some(i) = colon else {
                return Some(None);
            };
            let key = trim_end_spaces(content.get(..i)?);
            if key.is_empty() || comment {
                return None;
            }
            (Cow::Borrowed(key), content.get(i + 1..)?)
        }
    };
    let rest = trim_start_spaces(after);
    let rest = if rest.starts_with('#') { "" } else { rest };
    Some(Some((key, rest)))
}

/// A plain scalar's text on a block line: up to a ` #` comment, trailing spaces trimmed; `None`
/// when a `:` followed by a space or the end comes first (`a: b: c` is not YAML; the full
/// parser says so). One loop over the bytes, no substring searcher: this runs on every value
/// of the file, and values are short.
pub(crate) fn plain_text(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = b.get(from..).and_then(|r| find2(r, b':', b'#')) {
        let i = from + i;
        if b.get(i) == Some(&b'#') {
            if i > 0 && b.get(i - 1) == Some(&b' ') {
                return Some(trim_end_spaces(s.get(..i - 1)?));
            }
        } else if matches!(b.get(i + 1), None | Some(b' ')) {
            return None;
        }
        from = i + 1;
    }
    Some(trim_end_spaces(s))
}

/// The first byte of `b` that is `x` or `y`, eight bytes per step in a `u64` (SWAR). Lines,
/// keys and values of a lockfile are a few dozen bytes: memchr's vector searches cost more to
/// set up than they save there (memchr2 on keys and values measured slower than a byte loop,
/// though memchr stays the faster for finding a line's end), and a byte loop costs some seven
/// instructions per byte where this costs two.
pub(crate) fn find2(b: &[u8], x: u8, y: u8) -> Option<usize> {
    const LO: u64 = u64::from_ne_bytes([1; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte of `w` equal to `c`. A borrow can also mark a byte above a
    // match, never one below: the lowest mark is always a true match.
    let matches = |w: u64, c: u8| {
        let v = w ^ (LO * u64::from(c));
        v.wrapping_sub(LO) & !v & HI
    };
    let mut chunks = b.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        // Little-endian: the lowest bits are the first byte.
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let m = matches(w, x) | matches(w, y);
        if m != 0 {
            return Some(base + (m.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    let tail = chunks.remainder();
    position(tail, |c| c == x || c == y).map(|i| base + i)
}

/// The first byte that `pred` accepts. Keys, values and indentation are a few bytes long: a
/// plain loop beats a vector search's set-up there (memchr is kept for lines and long values).
fn position(b: &[u8], pred: impl Fn(u8) -> bool) -> Option<usize> {
    b.iter().position(|&c| pred(c))
}

/// Where a plain scalar in a flow ends: at `,`, `]`, `}`, `[`, `{`, a `:` followed by a space,
/// the end or a closing bracket, or a ` #` comment. Keys and most values end within a few
/// bytes, found by a byte loop over the first [`FLOW_HEAD`]; integrity hashes make the rest
/// the longest scalars of a lockfile, so past the head the usual case (none of `[{:#` before
/// the first `,]}`) is found by vector searches, and the rest byte by byte.
pub(crate) fn flow_plain_len(b: &[u8]) -> usize {
    let head = b.len().min(FLOW_HEAD);
    if let Some(i) = flow_plain_end_in(b, 0, head) {
        return i;
    }
    let tail = b.get(head..).unwrap_or_default();
    memchr::memchr3(b',', b']', b'}', tail)
        .filter(|&e| {
            tail.get(..e).is_some_and(|before| {
                memchr::memchr3(b'[', b'{', b':', before).is_none()
                    && memchr::memchr(b'#', before).is_none()
            })
        })
        .map_or_else(|| flow_plain_end(b), |e| head + e)
}

/// How many bytes [`flow_plain_len`] reads one by one before it searches.
const FLOW_HEAD: usize = 16;

fn flow_plain_end(b: &[u8]) -> usize {
    flow_plain_end_in(b, 0, b.len()).unwrap_or(b.len())
}

/// The first end of a flow plain scalar (see [`flow_plain_len`]) at `from..to` of `b`, its
/// neighbours read in all of `b`.
fn flow_plain_end_in(b: &[u8], from: usize, to: usize) -> Option<usize> {
    let window = b.get(from..to)?;
    for (k, &c) in window.iter().enumerate() {
        if !may_end_flow_plain(c) {
            continue;
        }
        let i = from + k;
        let ends = match c {
            b':' => matches!(b.get(i + 1), None | Some(b' ' | b',' | b']' | b'}')),
            b'#' => i > 0 && b.get(i - 1) == Some(&b' '),
            _ => true,
        };
        if ends {
            return Some(i);
        }
    }
    None
}

/// The bytes that may end a flow plain scalar (`:`, `#`, `,[]{}`), as a table: the loop over a
/// scalar's bytes then does one look-up per byte, where a `match` on seven bytes costs a
/// comparison and a branch for each. (On block keys and values, which only look for `:` and
/// `#`, a table measured no faster than the `match`.)
const FLOW_PLAIN_ENDS: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let ends = b":#,[]{}";
    while k < ends.len() {
        t[ends[k] as usize] = true;
        k += 1;
    }
    t
};

fn may_end_flow_plain(c: u8) -> bool {
    // A `u8` always indexes a 256-entry table: no bounds check, no panic.
    FLOW_PLAIN_ENDS[usize::from(c)]
}

/// Only spaces and a comment may follow a quoted or flow value.
pub(crate) fn end_of_value(rest: &str) -> Option<()> {
    let rest = trim_start_spaces(rest);
    (rest.is_empty() || rest.starts_with('#')).then_some(())
}

pub(crate) fn plain(text: &str) -> Node<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Node::Null,
        _ => Node::Plain(text),
    }
}
/// A quoted scalar at the start of `s` (which starts with `'` or `"`) that closes on this line:
/// its value and the bytes it used.
pub(crate) fn quoted(s: &str) -> Option<(Cow<'_, str>, usize)> {
    let quote = *s.as_bytes().first()?;
    let body = s.get(1..)?;
    if quote == b'\'' {
        // `''` is an escaped quote; nothing else is special.
        let mut owned: Option<String> = None;
        let mut start = 0;
        let b = body.as_bytes();
        let mut i = 0;
        loop {
            let q = start + find2(b.get(start..)?, b'\'', b'\'')?;
            if b.get(q + 1) == Some(&b'\'') {
                owned
                    .get_or_insert_with(String::new)
                    .push_str(body.get(i..q + 1)?);
                start = q + 2;
                i = start;
            } else {
                let value = match owned {
                    Some(mut o) => {
                        o.push_str(body.get(i..q)?);
                        Cow::Owned(o)
                    }
                    None => Cow::Borrowed(body.get(..q)?),
                };
                return Some((value, q + 2));
            }
        }
    }
    let b = body.as_bytes();
    let end = find2(b, b'"', b'\\')?;
    if b.get(end) == Some(&b'"') {
        return Some((Cow::Borrowed(body.get(..end)?), end + 2));
    }
    // Escapes: decode the common ones; anything unusual goes to the full parser.
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(out), i + 2)),
            '\\' => {
                let (_, e) = chars.next()?;
                out.push(match e {
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    ' ' => ' ',
                    _ => return None,
                });
            }
            _ => out.push(c),
        }
    }
    None
}

/// A flow collection on one line.
struct Flow<'a, 'b> {
    s: &'a str,
    pos: usize,
    b: &'b mut Builder<'a>,
}

impl<'a> Flow<'a, '_> {
    fn skip_spaces(&mut self) {
        while self.s.as_bytes().get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_spaces();
        match self.peek()? {
            b'{' => self.collection(b'}', depth),
            b'[' => self.collection(b']', depth),
            b'\'' | b'"' => {
                let (v, used) = quoted(self.s.get(self.pos..)?)?;
                self.pos += used;
                Some(Node::Str(v))
            }
            b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'#' | b'?' => None,
            _ => {
                let rest = self.s.get(self.pos..)?;
                let b = rest.as_bytes();
                let end = flow_plain_len(b);
                let text = trim_end_spaces(rest.get(..end)?);
                self.pos += end;
                Some(plain(text))
            }
        }
    }

    /// `{k: v, …}` or `[v, …]`, at the opening bracket.
    fn collection(&mut self, close: u8, depth: usize) -> Option<Node<'a>> {
        self.pos += 1;
        let start = self.b.scratch.len();
        loop {
            self.skip_spaces();
            if self.peek()? == close {
                self.pos += 1;
                break;
            }
            let entry = if close == b'}' {
                let key = match self.value(depth + 1)? {
                    Node::Plain(k) => Cow::Borrowed(k),
                    Node::Str(k) => k,
                    _ => return None,
                };
                self.skip_spaces();
                if self.peek()? != b':' {
                    return None;
                }
                self.pos += 1;
                self.skip_spaces();
                let value = match self.peek()? {
                    b',' | b'}' => Node::Null,
                    _ => self.value(depth + 1)?,
                };
                Entry {
                    key,
                    line: 0,
                    value,
                }
            } else {
                Entry {
                    key: Cow::Borrowed(""),
                    line: 0,
                    value: self.value(depth + 1)?,
                }
            };
            self.b.scratch.push(entry);
            self.skip_spaces();
            match self.peek()? {
                b',' => self.pos += 1,
                c if c == close => {}
                _ => return None,
            }
        }
        self.b.finish(start, close == b'}')
    }
}

/// `s` without trailing spaces: what `trim_end_matches(' ')` gives, by a byte loop (its char
/// searcher cost some thirty instructions a call, and it runs several times on every line).
fn trim_end_spaces(s: &str) -> &str {
    let spaces = s.bytes().rev().take_while(|&c| c == b' ').count();
    s.get(..s.len() - spaces).unwrap_or(s)
}

/// `s` without leading spaces (see [`trim_end_spaces`]).
fn trim_start_spaces(s: &str) -> &str {
    let spaces = s.bytes().take_while(|&c| c == b' ').count();
    s.get(spaces..).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A node as an owned tree, to compare with expected shapes.
    #[derive(Debug, PartialEq)]
    enum T {
        Null,
        Plain(String),
        Str(String),
        Map(Vec<(String, T)>),
        Seq(Vec<T>),
    }

    fn own(tree: &Tree<'_>, n: &Node<'_>) -> T {
        match n {
            Node::Null => T::Null,
            Node::Plain(p) => T::Plain((*p).to_owned()),
            Node::Str(s) => T::Str(s.to_string()),
            Node::Map(_) => T::Map(
                tree.entries(n)
                    .unwrap_or_default()
                    .iter()
                    .map(|e| (e.key.to_string(), own(tree, &e.value)))
                    .collect(),
            ),
            Node::Seq(_) => T::Seq(
                tree.items(n)
                    .unwrap_or_default()
                    .iter()
                    .map(|e| own(tree, &e.value))
                    .collect(),
            ),
        }
    }

    fn s(v: &str) -> T {
        T::Plain(v.to_owned())
    }

    #[test]
    fn reads_the_pnpm_shapes() {
        let doc = "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\nimporters:\n\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4.17.21\n        version: 4.17.21\n\npackages:\n\n  '@babel/code-frame@7.24.7':\n    resolution: {integrity: sha512-abc==, tarball: 'https://x/y.tgz'}\n    engines: {node: '>=6.9.0'}\n    os: [darwin, linux]\n    cpu: []\n\n  /left-pad/1.3.0:\n    dev: false # a comment\n";
        let t = parse(doc).expect("the subset");
        let root = t.root();
        assert_eq!(
            t.get(root, "lockfileVersion"),
            Some(&Node::Str("9.0".into()))
        );
        let pkgs = t
            .get(root, "packages")
            .and_then(|p| t.entries(p))
            .expect("packages");
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[0].key, "@babel/code-frame@7.24.7");
        assert_eq!(pkgs[0].line, 16);
        assert_eq!(pkgs[1].line, 22);
        let res = t.get(&pkgs[0].value, "resolution").expect("resolution");
        assert_eq!(t.get(res, "integrity"), Some(&Node::Plain("sha512-abc==")));
        assert_eq!(
            t.get(res, "tarball").and_then(Node::as_str),
            Some("https://x/y.tgz")
        );
        assert_eq!(
            t.get(&pkgs[0].value, "os").map(|n| own(&t, n)),
            Some(T::Seq(vec![s("darwin"), s("linux")]))
        );
        assert_eq!(
            t.get(&pkgs[0].value, "cpu").map(|n| own(&t, n)),
            Some(T::Seq(vec![]))
        );
        assert_eq!(t.get(&pkgs[1].value, "dev"), Some(&Node::Plain("false")));
        let lodash = t
            .get(root, "importers")
            .and_then(|i| t.get(i, "."))
            .and_then(|i| t.get(i, "dependencies"))
            .and_then(|d| t.get(d, "lodash"))
            .expect("lodash");
        assert_eq!(t.get(lodash, "version"), Some(&Node::Plain("4.17.21")));
    }

    #[test]
    fn sequences_and_compact_mappings() {
        let doc = "a:\n- x\n- y: 1\n  z: 2\n-\n  - deep\nb: [1, 'two', {c: d}]\n";
        // `-\n  - deep` is a nested sequence under an empty item.
        let t = parse(doc).expect("the subset");
        let a = t.get(t.root(), "a").expect("a");
        assert_eq!(
            own(&t, a),
            T::Seq(vec![
                s("x"),
                T::Map(vec![("y".into(), s("1")), ("z".into(), s("2"))]),
                T::Seq(vec![s("deep")]),
            ])
        );
        assert_eq!(
            t.get(t.root(), "b").map(|b| own(&t, b)),
            Some(T::Seq(vec![
                s("1"),
                T::Str("two".into()),
                T::Map(vec![("c".into(), s("d"))])
            ]))
        );
    }

    /// Collections of none, one and several children, nested in one another (the lone child
    /// is popped from the top of the stack, never a parent's): their entries, and the sorted
    /// flag a `BTreeMap`'s reader relies on (a lone or no key is sorted; a sequence never is).
    #[test]
    fn empty_single_and_larger_collections() {
        let doc = "e: {}\nf: []\no:\n  k: {x: []}\nq: [[a]]\nu: {b: 1, a: {}}\n";
        let t = parse(doc).expect("the subset");
        let get = |k: &str| t.get(t.root(), k).expect(k);
        assert_eq!(own(&t, get("e")), T::Map(vec![]));
        assert!(get("e").is_sorted_map());
        assert_eq!(own(&t, get("f")), T::Seq(vec![]));
        assert!(!get("f").is_sorted_map());
        let x = T::Map(vec![("x".into(), T::Seq(vec![]))]);
        assert_eq!(own(&t, get("o")), T::Map(vec![("k".into(), x)]));
        assert!(get("o").is_sorted_map());
        assert!(t.get(get("o"), "k").expect("k").is_sorted_map());
        assert_eq!(own(&t, get("q")), T::Seq(vec![T::Seq(vec![s("a")])]));
        let u = T::Map(vec![("b".into(), s("1")), ("a".into(), T::Map(vec![]))]);
        assert_eq!(own(&t, get("u")), u);
        assert!(!get("u").is_sorted_map());
        assert!(t.root().is_sorted_map());
    }

    #[test]
    fn quoting_and_escapes() {
        let t = parse("'it''s': \"a\\\"b\\n\"\nk: 'x' # c\n").expect("the subset");
        assert_eq!(t.get(t.root(), "it's"), Some(&Node::Str("a\"b\n".into())));
        assert_eq!(t.get(t.root(), "k"), Some(&Node::Str("x".into())));
        let t = parse("k: ~\nl:\nm: null\nn: a #b\no: a#b\n").expect("nulls");
        assert_eq!(t.get(t.root(), "l"), Some(&Node::Null));
        assert_eq!(t.get(t.root(), "n"), Some(&Node::Plain("a")));
        assert_eq!(t.get(t.root(), "o"), Some(&Node::Plain("a#b")));
    }

    #[test]
    fn leaves_the_rest_to_the_full_parser() {
        for doc in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  folded\n",
            "a: plain\n  continued\n",
            "a: {b: 1,\n  c: 2}\n",
            "a: 'open\n",
            "? complex\n: key\n",
            "---\na: 1\n---\nb: 2\n",
            "a:\n\t- tab\n",
            "a: b: c\n",
            "a: \"\\x41\"\n",
            "a:\n  b: 1\n c: 2\n",
            "- a\nb: 1\n",
            "a: 1\na: 2\n",
            "a: {b: 1, b: 2}\n",
            "a: 1\n...\n",
        ] {
            assert!(parse(doc).is_none(), "{doc:?}");
        }
    }

    fn saphyr(doc: &str) -> Option<serde_json::Value> {
        serde_saphyr::from_str_with_options(doc, crate::extractors::js::yaml_options(doc.len()))
            .ok()
    }

    fn fast(doc: &str) -> Option<Option<serde_json::Value>> {
        parse(doc).map(|t| to_value(&t, t.root()))
    }

    /// Every YAML lockfile of the shared corpus and of the fixtures: either left to the full
    /// parser, or read exactly as serde-saphyr reads it. The pnpm and pubspec lockfiles of the
    /// shared corpus must all be in the subset (they are what it is for).
    #[test]
    fn agrees_with_serde_saphyr_on_real_lockfiles() {
        let mut files = Vec::new();
        let mut roots = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata"
        ))];
        roots.extend(crate::extractors::testutil::shared_data().map(|d| d.join("lockfiles")));
        for root in roots {
            for entry in ignore::WalkBuilder::new(&root)
                .standard_filters(false)
                .build()
                .flatten()
            {
                let p = entry.path();
                if p.extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "lock")
                    && std::fs::metadata(p).is_ok_and(|m| m.is_file())
                {
                    files.push(p.to_path_buf());
                }
            }
        }
        let (mut read, mut must_be_fast, mut typed) = (0, 0, 0);
        for path in &files {
            let Ok(doc) = std::fs::read_to_string(path) else {
                continue;
            };
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let shared = !path.starts_with(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata"));
            if shared && (name == "pnpm-lock.yaml" || name == "pubspec.lock") {
                must_be_fast += 1;
                assert!(
                    parse(&doc).is_some(),
                    "{}: not in the subset",
                    path.display()
                );
            }
            if let Some(value) = fast(&doc) {
                read += 1;
                if let Some(value) = value {
                    assert_eq!(Some(value), saphyr(&doc), "{}", path.display());
                    if shared && (name == "pnpm-lock.yaml" || name == "pubspec.lock") {
                        typed += 1;
                    }
                }
            }
        }
        if crate::extractors::testutil::shared_data().is_some() {
            assert!(
                must_be_fast >= 5,
                "{must_be_fast} pnpm/pubspec lockfiles in the corpus"
            );
            assert_eq!(typed, must_be_fast, "every value of those converts exactly");
        }
        assert!(read >= 10, "{read} files read by the fast reader");
    }

    /// The searches as they were written before they were made fast (substring searches and a
    /// byte loop), to hold the fast ones to.
    fn plain_text_reference(s: &str) -> Option<&str> {
        let text = match s.find(" #") {
            Some(i) => &s[..i],
            None => s,
        }
        .trim_end_matches(' ');
        let b = text.as_bytes();
        let colon = (0..b.len()).any(|i| b[i] == b':' && matches!(b.get(i + 1), None | Some(b' ')));
        (!colon).then_some(text)
    }

    fn split_key_reference(content: &str) -> Option<Option<(&str, &str)>> {
        let b = content.as_bytes();
        let Some(i) =
            (0..b.len()).find(|&i| b[i] == b':' && matches!(b.get(i + 1), None | Some(b' ')))
        else {
            return Some(None);
        };
        let key = content[..i].trim_end_matches(' ');
        if key.is_empty() || key.contains(" #") {
            return None;
        }
        let rest = content[i + 1..].trim_start_matches(' ');
        Some(Some((key, if rest.starts_with('#') { "" } else { rest })))
    }

    proptest::proptest! {
        /// The fast scans give what the plain definitions give, on text made of the bytes
        /// they look for.
        #[test]
        fn fast_scans_match_their_definitions(s in "[a-c :#,\\[\\]{}]{0,48}") {
            proptest::prop_assert_eq!(plain_text(&s), plain_text_reference(&s));
            proptest::prop_assert_eq!(trim_end_spaces(&s), s.trim_end_matches(' '));
            proptest::prop_assert_eq!(trim_start_spaces(&s), s.trim_start_matches(' '));
            for (x, y) in [(b':', b'#'), (b'#', b'#'), (b'a', b' ')] {
                proptest::prop_assert_eq!(
                    find2(s.as_bytes(), x, y),
                    s.bytes().position(|c| c == x || c == y)
                );
            }
            proptest::prop_assert_eq!(
                flow_plain_len(s.as_bytes()),
                flow_plain_end(s.as_bytes())
            );
            // Scalars that run past the byte loop's head, ending on either side of it.
            for n in 12..=20 {
                let long = format!("{}{s}", "x".repeat(n));
                proptest::prop_assert_eq!(
                    flow_plain_len(long.as_bytes()),
                    flow_plain_end(long.as_bytes())
                );
            }
            let key = format!("a{s}");
            let fast = split_key(&key).map(|o| o.map(|(k, r)| (k.into_owned(), r)));
            let reference = split_key_reference(&key).map(|o| o.map(|(k, r)| (k.to_owned(), r)));
            proptest::prop_assert_eq!(fast, reference);
        }

        /// The SWAR search finds what a byte loop finds, on bytes next to the ones it looks
        /// for (`;` is `:` ^ 1, `"` is `#` ^ 1: the neighbours a borrow could mark).
        #[test]
        fn find2_matches_a_byte_loop(
            b in proptest::collection::vec(
                proptest::sample::select(&[b':', b';', b'#', b'"', b'\n', 0x0b, 0, 0x80, 0xff, b'a'][..]),
                0..40,
            ),
        ) {
            for (x, y) in [(b':', b'#'), (b'\n', b'\n'), (0, 0xff)] {
                proptest::prop_assert_eq!(
                    find2(&b, x, y),
                    b.iter().position(|&c| c == x || c == y)
                );
            }
        }

        /// `distinct` (sorted fast path, pairs, set) says what a set of the keys says, on
        /// short and long, sorted and unsorted key lists with and without repeats.
        #[test]
        fn distinct_matches_a_set(
            keys in proptest::collection::vec("[ab]{0,3}", 0..40),
            sort in proptest::bool::ANY,
        ) {
            let mut keys = keys;
            if sort {
                keys.sort();
            }
            let entries: Vec<Entry<'_>> = keys
                .iter()
                .map(|k| Entry { key: Cow::Borrowed(k), line: 0, value: Node::Null })
                .collect();
            let set: std::collections::BTreeSet<&String> = keys.iter().collect();
            proptest::prop_assert_eq!(distinct(&entries), set.len() == keys.len());
        }

        /// Arbitrary text never panics the reader.
        #[test]
        fn never_panics(doc in "(?s).{0,400}") {
            let _ = parse(&doc);
        }

        /// Generated block documents: whenever the reader accepts one, serde-saphyr reads the same.
        #[test]
        fn agrees_with_serde_saphyr(doc in doc_strategy()) {
            // Where the values convert exactly, serde-saphyr reads the same (and reads it).
            if let Some(Some(value)) = fast(&doc) {
                proptest::prop_assert_eq!(Some(value), saphyr(&doc), "{}", doc);
            }
        }
    }

    fn doc_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let scalar = prop_oneof![
            "[a-z@/][a-z0-9@/._()-]{0,10}",
            // Numbers, versions, and forms whose typing is left to serde-saphyr (`00`, `1_0`).
            "[0-9]{1,3}(\\.[0-9]{1,2}){0,2}",
            "-?[0-9]{1,2}(_[0-9])?(e[0-9])?",
            Just(".inf".to_owned()),
            Just("0x1F".to_owned()),
            Just("yes".to_owned()),
            Just("true".to_owned()),
            Just("~".to_owned()),
            "'[a-z :#,{}]{0,6}'",
            "\"[a-z :#'{}]{0,6}\"",
            "[a-z]{1,3}[ #:]{1,2}[a-z]{0,2}",
            "\\{[a-z]{1,4}: [a-z0-9:#]{1,4}(, [a-z]{1,3}: '[a-z ]{0,3}'){0,2}\\}",
            "\\[([a-z0-9]{1,4}(, [a-z]{1,3}){0,2})?\\]",
            "\\[\\{[a-z]: \\[[a-z]\\]\\}, \\[\\]\\]",
        ];
        let line = (
            0usize..4,
            prop_oneof![Just("- "), Just(""), Just("")],
            "[a-z][a-z0-9/@.-]{0,6}",
            prop_oneof![Just(":"), Just(": ")],
            proptest::option::of(scalar),
            proptest::option::of(Just(" # c")),
        )
            .prop_map(|(depth, dash, key, colon, value, comment)| {
                let mut l = " ".repeat(depth * 2);
                l.push_str(dash);
                l.push_str(&key);
                l.push_str(colon);
                if let Some(v) = value {
                    if !colon.ends_with(' ') {
                        l.push(' ');
                    }
                    l.push_str(&v);
                }
                if let Some(c) = comment {
                    l.push_str(c);
                }
                l
            });
        proptest::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n") + "\n")
    }

    #[test]
    fn repeated_keys_are_left_to_the_full_parser() {
        assert!(parse("a: 1\nb: 2\na: 3\n").is_none());
        // A long mapping in order, and the same with one key repeated.
        let sorted: String = (0..40).map(|i| format!("k{i:02}: 1\n")).collect();
        assert!(parse(&sorted).is_some());
        assert!(parse(&format!("{sorted}k05: 2\n")).is_none());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut doc = String::new();
        for i in 0..200 {
            doc.push_str(&" ".repeat(i));
            doc.push_str("k:\n");
        }
        assert!(parse(&doc).is_none());
        let flow = format!("k: {}{}\n", "[".repeat(200), "]".repeat(200));
        assert!(parse(&flow).is_none());
    }
}
