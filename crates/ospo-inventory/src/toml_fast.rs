//! A fast reader for the TOML subset that lockfile writers emit (Cargo.lock, uv.lock,
//! poetry.lock, pdm.lock, pylock.toml): `[table]` and `[[array]]` headers, `key = value` lines
//! with bare or quoted keys, basic and literal strings on one line, decimal integers, booleans,
//! arrays (over several lines, with comments and a trailing comma) and one-line inline tables.
//!
//! Anything else (dotted keys, multi-line strings, floats, dates, other integer forms, TOML 1.1
//! extensions, a BOM, a lone carriage return, control characters, duplicate keys, a table
//! defined twice, nesting deeper than [`MAX_DEPTH`]) makes [`parse`] return `None`, and
//! [`from_str`] reads the file with the `toml` crate, which reads all of TOML and reports errors
//! with their line. So this reader never has to be right about a file it does not fully
//! understand; it only has to recognise that it does not. It exists because the `toml` crate
//! spent 70-150 CPU instructions per byte of a lockfile (lexer, escapes, its own tree, then
//! serde); on what this reader accepts, the typed result is the same (the tests check it on
//! every lockfile of the corpus and on generated documents).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_spanned::de::{SpannedDeserializer, is_spanned};

use crate::ExtractError;

/// Nesting of arrays and inline tables deeper than this is left to the full parser (and keeps
/// recursion bounded).
pub(crate) const MAX_DEPTH: usize = 32;

/// A TOML value of the subset.
#[derive(Debug, PartialEq)]
pub(crate) enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    /// A static array (`[1, 2]`), closed once written.
    Array(Vec<Value<'a>>),
    /// An array of tables (`[[name]]`): the only array a header can add to.
    Tables(Vec<Table<'a>>),
    Table(Table<'a>),
}

/// A table: its entries in document order, and for one opened by a header, the header's span
/// (what the `toml` crate gives a `Spanned` table).
#[derive(Debug, PartialEq)]
pub(crate) struct Table<'a> {
    entries: Vec<(Cow<'a, str>, Value<'a>)>,
    span: Option<Range<usize>>,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// The root, or opened by its own header.
    Defined,
    /// Created by a header naming a table inside it (`[a.b]` creates `a`); a later `[a]` may
    /// still define it.
    Implicit,
    /// An inline table: closed once written.
    Inline,
}

impl<'a> Table<'a> {
    fn new(kind: Kind, span: Option<Range<usize>>) -> Self {
        Table {
            entries: Vec::new(),
            span,
            kind,
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }

    /// The table a header walks through at `key`, created implicitly when missing; the last
    /// table of an array of tables. `None` where TOML forbids the walk (into a value or an
    /// inline table).
    fn descend(&mut self, key: Cow<'a, str>) -> Option<&mut Table<'a>> {
        let i = match self.position(&key) {
            Some(i) => i,
            None => {
                self.entries
                    .push((key, Value::Table(Table::new(Kind::Implicit, None))));
                self.entries.len() - 1
            }
        };
        match &mut self.entries.get_mut(i)?.1 {
            Value::Table(t) if t.kind != Kind::Inline => Some(t),
            Value::Tables(ts) => ts.last_mut(),
            _ => None,
        }
    }
}

/// A header and the key/value lines under it, added to the tree at the next header.
struct Section<'a> {
    path: Vec<Cow<'a, str>>,
    array: bool,
    table: Table<'a>,
}

/// Parses a whole document, or `None` when it uses TOML this reader leaves to the full parser.
pub(crate) fn parse(text: &str) -> Option<Table<'_>> {
    if has_stray_control(text.as_bytes()) {
        return None;
    }
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        // Room for the longest arrays of a lockfile (a package's files or wheels) from the
        // start: grown later, these reallocations were large and came when freed small blocks
        // were about, which made the allocator consolidate them each time.
        items: Vec::with_capacity(512),
        pairs: Vec::with_capacity(32),
    };
    let mut root = Table::new(Kind::Defined, None);
    // The header whose key/value lines are being read (the root's before the first header);
    // the lines wait in `p.pairs` and become its table when the next header comes.
    let mut section: Option<Section<'_>> = None;
    loop {
        p.skip_ws();
        match p.peek() {
            None => break,
            Some(b'\n') => p.pos += 1,
            Some(b'\r' | b'#') => p.end_of_line()?,
            Some(b'[') => {
                p.close(&mut root, section.take())?;
                section = Some(p.header()?);
            }
            Some(_) => {
                let key = p.key()?;
                p.skip_ws();
                p.expect(b'=')?;
                p.skip_ws();
                let value = p.value(0)?;
                p.end_of_line()?;
                p.pairs.push((key, value));
            }
        }
    }
    p.close(&mut root, section)?;
    unique_keys(&root).then_some(root)
}

/// The fast reader's tree of a whole document, for a caller that reads it as it would read a
/// `toml::Value` (see the accessors below), or `None`: then read the document with the `toml`
/// crate. On what the reader accepts, the tree holds what the `toml` crate's table holds (the
/// tests check it).
pub(crate) fn tree(text: &str) -> Option<Value<'_>> {
    #[cfg(test)]
    if FULL_ONLY.get() {
        return None;
    }
    parse(text).map(Value::Table)
}

// What `toml::Value`'s accessors of the same names give.
impl<'a> Value<'a> {
    pub(crate) fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Table(t) => t.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The strings of an array (none for another value, or for an array of tables).
    pub(crate) fn strings(&self) -> impl Iterator<Item = &str> {
        let items = match self {
            Value::Array(items) => items.as_slice(),
            _ => &[],
        };
        items.iter().filter_map(Value::as_str)
    }

    /// The entries of a table (none for another value).
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &Value<'a>)> {
        let entries = match self {
            Value::Table(t) => t.entries.as_slice(),
            _ => &[],
        };
        entries.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

/// Puts a section's table where its header says, or `None` where TOML forbids it (the table is
/// already defined, or the name is a value or the other kind of table).
fn attach<'a>(root: &mut Table<'a>, section: Section<'a>) -> Option<()> {
    let Section {
        mut path,
        array,
        table,
    } = section;
    let last = path.pop()?;
    let mut parent = root;
    for key in path {
        parent = parent.descend(key)?;
    }
    match parent.position(&last) {
        None => {
            let value = if array {
                Value::Tables(vec![table])
            } else {
                Value::Table(table)
            };
            parent.entries.push((last, value));
        }
        Some(i) => match (&mut parent.entries.get_mut(i)?.1, array) {
            (Value::Tables(ts), true) => ts.push(table),
            (Value::Table(t), false) if t.kind == Kind::Implicit => {
                // Where the `toml` crate puts the span of a table defined after its subtables
                // is its own business: no span here, so a `Spanned` read of it falls back.
                t.kind = Kind::Defined;
                t.span = None;
                t.entries.extend(table.entries);
            }
            _ => return None,
        },
    }
    Some(())
}

/// Whether no table of the tree has a key twice (the `toml` crate's "duplicate key" error,
/// which includes a key/value line naming a table a header created).
fn unique_keys(t: &Table<'_>) -> bool {
    let n = t.entries.len();
    let distinct = if n <= 8 {
        (0..n).all(|i| (i + 1..n).all(|j| t.entries[i].0 != t.entries[j].0))
    } else {
        let mut keys: Vec<&str> = t.entries.iter().map(|(k, _)| k.as_ref()).collect();
        keys.sort_unstable();
        keys.windows(2).all(|w| w[0] != w[1])
    };
    distinct && t.entries.iter().all(|(_, v)| unique_in(v))
}

fn unique_in(v: &Value<'_>) -> bool {
    match v {
        Value::Table(t) => unique_keys(t),
        Value::Tables(ts) => ts.iter().all(unique_keys),
        Value::Array(items) => items.iter().all(unique_in),
        Value::Str(_) | Value::Int(_) | Value::Bool(_) => true,
    }
}

/// Where the line from `pos` ends: past spaces, an optional comment and a newline (or at the
/// end of the text); `None` when something else comes first. No control character is in the
/// text ([`has_stray_control`]) but a newline's carriage return.
#[inline]
pub(crate) fn past_line_end(bytes: &[u8], mut pos: usize) -> Option<usize> {
    while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    if bytes.get(pos) == Some(&b'#') {
        let rest = bytes.get(pos..)?;
        let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let comment = rest.get(..len)?;
        pos += comment.strip_suffix(b"\r").unwrap_or(comment).len();
    }
    match bytes.get(pos) {
        None => Some(pos),
        Some(b'\n') => Some(pos + 1),
        Some(b'\r') if bytes.get(pos + 1) == Some(&b'\n') => Some(pos + 2),
        Some(_) => None,
    }
}

/// Whether the text has a control character TOML forbids everywhere (all but tab and line
/// ends), or a carriage return not ending a line. Checked once for the whole text, so strings
/// and comments need only look for their end (a newline before it means a multi-line string,
/// left to the full parser).
pub(crate) fn has_stray_control(bytes: &[u8]) -> bool {
    // A fold without early exit, so the compiler can check many bytes at once.
    let control = bytes.iter().fold(false, |acc, &b| {
        acc | ((b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b == 0x7f)
    });
    control || memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// The bytes of a bare key (`A-Za-z0-9_-`), as a table: the key loop runs on every key.
pub(crate) static KEY_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    t
};

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Values of the arrays and entries of the inline tables being read, innermost last:
    /// each is moved into a vector of its exact size when it closes (one allocation instead
    /// of a vector grown item by item).
    items: Vec<Value<'a>>,
    pairs: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Parser<'a> {
    /// Ends a section: its key/value lines become its table's entries, put in the tree.
    fn close(&mut self, root: &mut Table<'a>, section: Option<Section<'a>>) -> Option<()> {
        let entries = self.pairs.drain(..).collect();
        match section {
            // The root's own lines come before any header, so before any table is put in it.
            None if root.entries.is_empty() => {
                root.entries = entries;
                Some(())
            }
            None => None,
            Some(mut s) => {
                s.table.entries = entries;
                attach(root, s)
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.pos += 1)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Spaces, an optional comment, then a newline or the end of the text.
    fn end_of_line(&mut self) -> Option<()> {
        self.pos = past_line_end(self.bytes, self.pos)?;
        Some(())
    }

    /// Spaces, newlines and comments, as allowed between the values of an array.
    fn skip_blank(&mut self) -> Option<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'\n' | b'\r' | b'#') => self.end_of_line()?,
                _ => return Some(()),
            }
        }
    }

    /// `[a.b]` or `[[a.b]]` and the rest of its line.
    fn header(&mut self) -> Option<Section<'a>> {
        let start = self.pos;
        let array = self.bytes.get(start..start + 2) == Some(b"[[");
        self.pos += if array { 2 } else { 1 };
        let mut path = Vec::with_capacity(2);
        loop {
            self.skip_ws();
            path.push(self.key()?);
            self.skip_ws();
            match self.peek()? {
                b'.' => self.pos += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.pos += 1;
        if array {
            self.expect(b']')?;
        }
        let span = start..self.pos;
        self.end_of_line()?;
        Some(Section {
            path,
            array,
            table: Table::new(Kind::Defined, Some(span)),
        })
    }

    /// A bare or quoted key (not dotted: the caller rejects a following `.`).
    fn key(&mut self) -> Option<Cow<'a, str>> {
        let key = match self.peek()? {
            b'"' => self.basic_string()?,
            b'\'' => self.literal_string()?,
            _ => {
                let start = self.pos;
                while self.peek().is_some_and(|b| KEY_BYTE[usize::from(b)]) {
                    self.pos += 1;
                }
                if self.pos == start {
                    return None;
                }
                Cow::Borrowed(self.text.get(start..self.pos)?)
            }
        };
        // Keys of this form are serde_spanned's and toml's private protocol: leave them be.
        if key.starts_with("$__") {
            return None;
        }
        Some(key)
    }

    fn value(&mut self, depth: usize) -> Option<Value<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.basic_string().map(Value::Str),
            b'\'' => self.literal_string().map(Value::Str),
            b'[' => self.array(depth),
            b'{' => self.inline_table(depth),
            b't' => self.word("true").map(|()| Value::Bool(true)),
            b'f' => self.word("false").map(|()| Value::Bool(false)),
            b'-' | b'0'..=b'9' => self.integer(),
            _ => None,
        }
    }

    /// Whether the value just read ends here (so `truex`, `1.5`, `1e3`, `0x1f`, `1_000` and
    /// dates are left to the full parser).
    fn at_delimiter(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}' | b'#')
        )
    }

    fn word(&mut self, word: &str) -> Option<()> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word.as_bytes()).then_some(())?;
        self.pos = end;
        self.at_delimiter().then_some(())
    }

    /// `0`, `42`, `-7`: decimal integers without a sign `+`, leading zeros or underscores.
    fn integer(&mut self) -> Option<Value<'a>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let len = self.pos - digits;
        if len == 0 || (len > 1 && self.bytes.get(digits) == Some(&b'0')) || !self.at_delimiter() {
            return None;
        }
        self.text.get(start..self.pos)?.parse().ok().map(Value::Int)
    }

    fn array(&mut self, depth: usize) -> Option<Value<'a>> {
        self.pos += 1;
        let base = self.items.len();
        loop {
            self.skip_blank()?;
            if self.peek()? == b']' {
                self.pos += 1;
                break;
            }
            let value = self.value(depth + 1)?;
            self.items.push(value);
            self.skip_blank()?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        Some(Value::Array(self.items.drain(base..).collect()))
    }

    /// `{ a = 1, b = "x" }` on one line, without a trailing comma (TOML 1.0's form).
    fn inline_table(&mut self, depth: usize) -> Option<Value<'a>> {
        self.pos += 1;
        let base = self.pairs.len();
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(Value::Table(Table::new(Kind::Inline, None)));
        }
        loop {
            self.skip_ws();
            let key = self.key()?;
            self.skip_ws();
            self.expect(b'=')?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            self.pairs.push((key, value));
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    let mut table = Table::new(Kind::Inline, None);
                    table.entries = self.pairs.drain(base..).collect();
                    return Some(Value::Table(table));
                }
                _ => return None,
            }
        }
    }

    /// `"..."` on one line with TOML 1.0's escapes; borrowed when it has none.
    fn basic_string(&mut self) -> Option<Cow<'a, str>> {
        let rest = self.bytes.get(self.pos..)?;
        if rest.starts_with(b"\"\"\"") {
            return None;
        }
        let start = self.pos + 1;
        // No control character is in the text (`has_stray_control`): the string is on one line
        // if no newline comes before its end.
        let len = memchr::memchr3(b'"', b'\\', b'\n', rest.get(1..)?)?;
        let end = start + len;
        if self.bytes.get(end) == Some(&b'"') {
            self.pos = end + 1;
            return Some(Cow::Borrowed(self.text.get(start..end)?));
        }
        let mut out = String::from(self.text.get(start..end)?);
        self.pos = end;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    let escape = *self.bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    out.push(match escape {
                        b'b' => '\u{8}',
                        b't' => '\t',
                        b'n' => '\n',
                        b'f' => '\u{c}',
                        b'r' => '\r',
                        b'"' => '"',
                        b'\\' => '\\',
                        b'u' => self.unicode(4)?,
                        b'U' => self.unicode(8)?,
                        _ => return None,
                    });
                }
                b'\n' => return None,
                _ => {
                    let run = self.bytes.get(self.pos..)?;
                    let len = memchr::memchr3(b'"', b'\\', b'\n', run)?;
                    out.push_str(self.text.get(self.pos..self.pos + len)?);
                    self.pos += len;
                }
            }
        }
    }

    fn unicode(&mut self, digits: usize) -> Option<char> {
        let hex = self.bytes.get(self.pos..self.pos + digits)?;
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let code = u32::from_str_radix(self.text.get(self.pos..self.pos + digits)?, 16).ok()?;
        self.pos += digits;
        char::from_u32(code)
    }

    /// `'...'` on one line, taken as written.
    fn literal_string(&mut self) -> Option<Cow<'a, str>> {
        let rest = self.bytes.get(self.pos..)?;
        if rest.starts_with(b"'''") {
            return None;
        }
        let start = self.pos + 1;
        let len = memchr::memchr2(b'\'', b'\n', rest.get(1..)?)?;
        let end = start + len;
        if self.bytes.get(end) != Some(&b'\'') {
            return None;
        }
        self.pos = end + 1;
        Some(Cow::Borrowed(self.text.get(start..end)?))
    }
}

/// Reads TOML into any serde type: through the fast reader when the file is in its subset and
/// the typed read succeeds, else through the `toml` crate, whose errors keep their line. The
/// result is the same either way; only the time differs.
pub(crate) fn from_str<'de, T: serde::Deserialize<'de>>(text: &'de str) -> Result<T, ExtractError> {
    #[cfg(test)]
    if FULL_ONLY.get() {
        return from_str_full(text);
    }
    if let Some(root) = parse(text)
        && let Ok(t) = T::deserialize(&root)
    {
        return Ok(t);
    }
    from_str_full(text)
}

/// The typed read of TOML through the fast reader alone: `None` when the file is not in its
/// subset or the typed read fails (then read it with the `toml` crate, for its errors). For a
/// caller that needs the `toml` crate's own error type.
pub(crate) fn from_str_fast<'de, T: serde::Deserialize<'de>>(text: &'de str) -> Option<T> {
    #[cfg(test)]
    if FULL_ONLY.get() {
        return None;
    }
    T::deserialize(&parse(text)?).ok()
}

#[cfg(test)]
thread_local! {
    /// Set by [`with_full_reader`]: [`from_str`] then skips the fast reader.
    static FULL_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether [`with_full_reader`] is running: readers of their own formats' shapes (the
/// Cargo.lock reader) then step aside too, so whole extractions compare with the `toml` crate's.
#[cfg(test)]
pub(crate) fn full_reader_only() -> bool {
    FULL_ONLY.get()
}

/// Runs `f` with [`from_str`] reading through the `toml` crate only, to compare the two readers
/// on whole extractions.
#[cfg(test)]
pub(crate) fn with_full_reader<R>(f: impl FnOnce() -> R) -> R {
    FULL_ONLY.set(true);
    let r = f();
    FULL_ONLY.set(false);
    r
}

/// Reads TOML with the `toml` crate only.
pub(crate) fn from_str_full<'de, T: serde::Deserialize<'de>>(
    text: &'de str,
) -> Result<T, ExtractError> {
    toml::from_str(text).map_err(|e| ExtractError::toml(text, &e))
}

/// Why the typed read of a tree failed; never shown: the caller then asks the `toml` crate,
/// whose message and line are the ones reported.
#[derive(Debug)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

// Strings without escapes are lent from the text itself ('de), so a target may borrow them.
impl<'de> de::Deserializer<'de> for &Value<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Value::Str(Cow::Owned(s)) => visitor.visit_str(s),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Tables(tables) => visitor.visit_seq(Seq(tables.iter())),
            Value::Table(t) => t.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::Table(t) => t.deserialize_struct(name, fields, visitor),
            _ if is_spanned(name) => Err(de::Error::custom("no span kept for this value")),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::custom("enums are left to the toml crate"))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

impl<'de> de::Deserializer<'de> for &Table<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(Map {
            entries: self.entries.iter(),
            value: None,
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if !is_spanned(name) {
            return self.deserialize_any(visitor);
        }
        match &self.span {
            Some(span) => visitor.visit_map(SpannedDeserializer::new(self, span.clone())),
            None => Err(de::Error::custom("no span kept for this table")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::custom("enums are left to the toml crate"))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

impl<'de> IntoDeserializer<'de, Error> for &Table<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

struct Seq<I>(I);

impl<'de, I, D> SeqAccess<'de> for Seq<I>
where
    I: ExactSizeIterator<Item = D>,
    D: de::Deserializer<'de, Error = Error>,
{
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(v)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'t, 'de> {
    entries: std::slice::Iter<'t, (Cow<'de, str>, Value<'de>)>,
    value: Option<&'t Value<'de>>,
}

impl<'t, 'de> MapAccess<'de> for Map<'t, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        match key {
            Cow::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
            Cow::Owned(k) => seed.deserialize(k.as_str().into_deserializer()),
        }
        .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value asked for before its key"))?;
        seed.deserialize(value)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::{DiskSource, FileSource, MemorySource};
    use crate::{Extractor, Input, REGISTRY};
    use serde::Deserialize;
    use std::path::{Path, PathBuf};

    fn full(doc: &str) -> Option<toml::Table> {
        toml::from_str(doc).ok()
    }

    fn fast(doc: &str) -> Option<toml::Table> {
        parse(doc).and_then(|t| toml::Table::deserialize(&t).ok())
    }

    /// The header span of each `[[package]]` / `[[packages]]` table with its value, as a
    /// lockfile extractor reads them.
    #[derive(Deserialize, Debug)]
    struct Packages {
        #[serde(default)]
        package: Vec<toml::Spanned<toml::Value>>,
        #[serde(default)]
        packages: Vec<toml::Spanned<toml::Value>>,
    }

    fn spans(p: &Packages) -> Vec<(Range<usize>, &toml::Value)> {
        p.package
            .iter()
            .chain(&p.packages)
            .map(|s| (s.span(), s.get_ref()))
            .collect()
    }

    /// The fast reader, when it accepts `doc`, gives what the `toml` crate gives: the same
    /// tree and the same spans of packages.
    fn assert_agrees(doc: &str) {
        let Some(tree) = parse(doc) else { return };
        let want = full(doc).unwrap_or_else(|| panic!("fast reader accepted invalid TOML:\n{doc}"));
        assert_eq!(toml::Table::deserialize(&tree).ok(), Some(want), "{doc}");
        let full_spans: Result<Packages, _> = toml::from_str(doc);
        let fast_spans = Packages::deserialize(&tree);
        if let (Ok(a), Ok(b)) = (&full_spans, &fast_spans) {
            assert_eq!(spans(a), spans(b), "{doc}");
        } else {
            assert!(full_spans.is_err(), "{doc}: {fast_spans:?}");
        }
    }

    /// Every TOML lockfile extractor wanting `name`, run on `bytes` with both readers: the
    /// same extraction (or the same error).
    fn assert_same_extractions(name: &str, bytes: &[u8], fs: &dyn FileSource) {
        let input = Input {
            path: Path::new(name),
            bytes,
            fs,
        };
        let mut ran = 0;
        for ex in REGISTRY.iter().filter(|e| e.wants(Path::new(name))) {
            let run = |ex: &&dyn Extractor| format!("{:?}", ex.extract(&input));
            let quick = run(ex);
            let slow = with_full_reader(|| run(ex));
            assert_eq!(quick, slow, "{} on {name}", ex.id());
            ran += 1;
        }
        assert!(ran > 0, "no extractor wants {name}");
    }

    const LOCKFILES: [&str; 5] = [
        "Cargo.lock",
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "pylock.toml",
    ];

    /// Every TOML lockfile of the shared corpus and of the fixtures: the corpus's must be in
    /// the subset (they are what it is for), and every one gives the same tree, spans and
    /// extraction through both readers.
    #[test]
    fn agrees_with_the_toml_crate_on_real_lockfiles() {
        let fixtures = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata"));
        let mut roots = vec![fixtures.clone()];
        roots.extend(crate::extractors::testutil::shared_data().map(|d| d.join("lockfiles")));
        let (mut shared, mut fast_read, mut manifests) = (0, 0, 0);
        for root in roots {
            for entry in ignore::WalkBuilder::new(&root)
                .standard_filters(false)
                .build()
                .flatten()
            {
                let path = entry.path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let Ok(doc) = std::fs::read_to_string(path) else {
                    continue;
                };
                let dir = path.parent().unwrap_or(Path::new("."));
                let fs = DiskSource::new(dir, u64::MAX);
                // The manifests beside the lockfiles, read through the fast reader as a
                // `toml::Table` (`from_str_fast`) when in the subset; the Pipfile's lockfile.
                if matches!(name, "pyproject.toml" | "Pipfile") {
                    manifests += usize::from(parse(&doc).is_some());
                    assert_agrees(&doc);
                    continue;
                }
                if name == "Pipfile.lock" {
                    assert_same_extractions(name, doc.as_bytes(), &fs);
                    continue;
                }
                if !LOCKFILES.contains(&name) {
                    continue;
                }
                if !path.starts_with(&fixtures) {
                    shared += 1;
                    assert!(
                        parse(&doc).is_some(),
                        "{}: not in the subset",
                        path.display()
                    );
                }
                fast_read += usize::from(parse(&doc).is_some());
                assert_agrees(&doc);
                assert_same_extractions(name, doc.as_bytes(), &fs);
            }
        }
        if crate::extractors::testutil::shared_data().is_some() {
            assert!(shared >= 7, "{shared} TOML lockfiles in the corpus");
        }
        assert!(fast_read >= 3, "{fast_read} files read by the fast reader");
        assert!(
            manifests >= 3,
            "{manifests} manifests read by the fast reader"
        );
    }

    #[test]
    fn reads_the_lockfile_shapes() {
        let doc = "# comment\r\nversion = 1\nrequires-python = \">=3.10\" # why\n\
            markers = [\n    \"a < '3'\", # one\n    'lit \"x\"',\n]\n\n\
            [[package]]\nname = \"a\\u00e9\\\"b\\\\\\n\\t\"\nversion = \"1.0\"\n\
            source = { registry = \"https://x\", n = -12, ok = true, e = {} }\n\
            deps = [\n    { name = \"b\", extra = [\"x\", 'y'] },\n]\n\
            \t[package.dependencies]\n\"quoted key\" = { version = \">=1\", optional = false }\n\
            [[package]]\nname = \"b\"\n[ package . extras ]\nall = []\n\
            [metadata.files]\na = [{file = \"a.whl\", hash = \"sha256:0\"}]\n[metadata]\nx = 0\n";
        assert!(parse(doc).is_some());
        assert_agrees(doc);
        let t = fast(doc).unwrap();
        assert_eq!(t["package"][0]["name"].as_str(), Some("a\u{e9}\"b\\\n\t"));
        let p: Packages = from_str(doc).unwrap();
        let at = doc.find("[[package]]").unwrap();
        assert_eq!(p.package[0].span(), at..at + 11);
    }

    #[test]
    fn leaves_the_rest_to_the_full_parser() {
        for doc in [
            "a.b = 1\n",
            "a = \"\"\"x\"\"\"\n",
            "a = '''x'''\n",
            "a = 1.5\n",
            "a = 1e3\n",
            "a = 0x1f\n",
            "a = 1_000\n",
            "a = +1\n",
            "a = 01\n",
            "a = 1979-05-27\n",
            "a = inf\n",
            "a = 1\na = 2\n",
            "[a]\n[a]\n",
            "[[a]]\n[a]\n",
            "[a]\n[[a]]\n",
            "[a]\nb = 1\n[a.b]\n",
            "a = {}\n[a.b]\n",
            "a = [{}]\n[[a]]\n",
            "a = { b = 1,\n c = 2 }\n",
            "a = { b = 1, }\n",
            "a = { b = 1, b = 2 }\n",
            "\u{feff}a = 1\n",
            "a = 1\r",
            "a = 1 # \u{7}\n",
            "a = \"\\e\"\n",
            "a = \"\\x41\"\n",
            "a = \"\\ud800\"\n",
            "a = \"tab\u{1}\"\n",
            "a = \"cr\ry\"\n",
            "a = \"crlf\r\n\"\n",
            "a = 'lit\r\n'\n",
            "a = 'lit\u{7f}'\n",
            "a = \"x\" # \r \n",
            "\"$__toml_private_datetime\" = \"x\"\n",
            "a = \"x\" b = 1\n",
            "a = 1 b\n",
            "[a] b = 1\n",
            "[ [a]]\n",
            "a =\n1\n",
            "a = [1 2]\n",
            "a = [,]\n",
            "é = 1\n",
            "a = \"unterminated\n",
        ] {
            assert_eq!(parse(doc), None, "{doc:?}");
        }
        let deep = format!("a = {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse(&deep), None);
    }

    /// A broken lockfile still gets the `toml` crate's error, with its line.
    #[test]
    fn broken_files_keep_the_toml_crate_error() {
        for (doc, line) in [
            ("[[package]]\nname = \"a\"\nversion = \"1\n", 3),
            ("[[package]]\nname = \"a\"\nname = \"b\"\n", 3),
            ("[[package]]\nname = \"a\"\nversion = 1.0.0\n", 3),
        ] {
            let e = from_str::<toml::Table>(doc).unwrap_err();
            assert_eq!(e.line(), Some(line), "{doc:?}: {e}");
            let full = from_str_full::<toml::Table>(doc).unwrap_err();
            assert_eq!(e.to_string(), full.to_string());
        }
        // Valid TOML of the wrong shape: the typed read fails, and the toml crate says why.
        let e = from_str::<Packages>("package = 3\n").unwrap_err();
        assert_eq!(e.line(), Some(1), "{e}");
    }

    proptest::proptest! {
        /// Arbitrary text never panics the reader.
        #[test]
        fn never_panics(doc in "(?s).{0,400}") {
            let _ = parse(&doc);
        }

        /// Generated lockfiles are in the subset and read as the `toml` crate reads them, and
        /// every TOML lockfile extractor finds the same in them through both readers.
        #[test]
        fn agrees_on_generated_lockfiles(doc in doc_strategy()) {
            proptest::prop_assert!(parse(&doc).is_some(), "{}", doc);
            assert_agrees(&doc);
            for name in LOCKFILES {
                assert_same_extractions(name, doc.as_bytes(), &MemorySource::new());
            }
        }

        /// The same documents with one byte inserted, removed or replaced: whatever the fast
        /// reader accepts, the `toml` crate reads the same; what it does not keeps the `toml`
        /// crate's error.
        #[test]
        fn agrees_on_damaged_lockfiles(
            doc in doc_strategy(),
            (at, how, byte) in crate::extractors::testutil::damage_args(),
        ) {
            let Some(doc) = crate::extractors::testutil::damage(doc, at, how, byte) else {
                return Ok(());
            };
            assert_agrees(&doc);
            let quick = from_str::<toml::Table>(&doc).map_err(|e| e.to_string());
            let slow = from_str_full::<toml::Table>(&doc).map_err(|e| e.to_string());
            proptest::prop_assert_eq!(quick, slow);
        }
    }

    fn doc_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        // String contents with TOML's escapes and some non-ASCII text.
        let text = proptest::collection::vec(
            prop_oneof![
                6 => "[a-z0-9 .<>=~*@:/+-]{1,6}",
                1 => Just("'".to_owned()),
                1 => Just("\\\"".to_owned()),
                1 => Just("\\\\".to_owned()),
                1 => Just("\\n".to_owned()),
                1 => Just("\\u00e9".to_owned()),
                1 => Just("\\U0001F600".to_owned()),
                1 => Just("é\t".to_owned()),
            ],
            0..4,
        )
        .prop_map(|parts| format!("\"{}\"", parts.concat()));
        let key = prop_oneof![
            4 => "[a-z][a-z0-9_-]{0,8}",
            1 => "\"[a-z .()+-]{0,8}\"",
            1 => "'[a-z .]{1,6}'",
        ];
        let scalar = prop_oneof![
            4 => text,
            1 => "'[a-z ./\"]{0,8}'",
            1 => "-?[1-9][0-9]{0,5}",
            1 => Just("0".to_owned()),
            1 => Just("true".to_owned()),
            1 => Just("false".to_owned()),
        ];
        let inline =
            proptest::collection::vec((key.clone(), scalar.clone()), 0..4).prop_map(|kvs| {
                let mut seen = std::collections::HashSet::new();
                let kvs: Vec<String> = kvs
                    .into_iter()
                    .filter(|(k, _)| seen.insert(unquote(k)))
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect();
                if kvs.is_empty() {
                    "{}".to_owned()
                } else {
                    format!("{{ {} }}", kvs.join(", "))
                }
            });
        let item = prop_oneof![3 => scalar.clone(), 2 => inline.clone()];
        let array = (
            proptest::collection::vec(item, 0..4),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(items, multiline, comment)| {
                if multiline {
                    let mut s = String::from("[");
                    if comment {
                        s.push_str(" # list");
                    }
                    s.push('\n');
                    for i in items {
                        s.push_str("    ");
                        s.push_str(&i);
                        s.push_str(",\n");
                    }
                    s.push(']');
                    s
                } else {
                    format!("[{}]", items.join(", "))
                }
            });
        let value = prop_oneof![3 => scalar, 1 => inline, 2 => array];
        // A table's entries (several lines for a long array), each with its key as read.
        let table = proptest::collection::vec((key, value, any::<bool>()), 0..5).prop_map(|kvs| {
            let mut seen = std::collections::HashSet::new();
            kvs.into_iter()
                .filter(|(k, _, _)| seen.insert(unquote(k)))
                .map(|(k, v, c)| {
                    let note = if c { " # note" } else { "" };
                    (unquote(&k), format!("{k} = {v}{note}\n"))
                })
                .collect::<Vec<_>>()
        });
        let package = (
            "[a-zA-Z][a-zA-Z0-9_.-]{0,8}",
            "[0-9]{1,2}(\\.[0-9]{1,2}){0,2}",
            table.clone(),
            proptest::option::of(("dependencies|extras|source|metadata", table.clone())),
        )
            .prop_map(|(name, version, rest, sub)| {
                // The package's other keys: not `name`, `version` or the sub-table's name.
                let taken = |k: &str| {
                    k == "name" || k == "version" || sub.as_ref().is_some_and(|(s, _)| s == k)
                };
                let mut s = format!("[[package]]\nname = \"{name}\"\nversion = \"{version}\"\n");
                for (k, entry) in &rest {
                    if !taken(k) {
                        s.push_str(entry);
                    }
                }
                if let Some((sub, body)) = &sub {
                    s.push_str(&format!("\n[package.{sub}]\n"));
                    for (_, entry) in body {
                        s.push_str(entry);
                    }
                }
                s
            });
        (
            any::<bool>(),
            proptest::collection::vec(package, 0..5),
            proptest::option::of(table),
            any::<bool>(),
        )
            .prop_map(|(versioned, packages, metadata, crlf)| {
                let mut doc = String::new();
                if versioned {
                    doc.push_str("# generated\nversion = 1\n\n");
                }
                for p in packages {
                    doc.push_str(&p);
                    doc.push('\n');
                }
                if let Some(m) = metadata {
                    doc.push_str("[metadata]\n");
                    for (_, entry) in m {
                        doc.push_str(&entry);
                    }
                }
                if crlf { doc.replace('\n', "\r\n") } else { doc }
            })
    }

    /// A generated key as TOML reads it (to keep generated tables free of duplicate keys).
    fn unquote(key: &str) -> String {
        key.trim_matches(|c| c == '"' || c == '\'').to_owned()
    }
}
