//! A hand-written reader for the top level and the `packages` map of a package-lock, the
//! common case of every real file: about a tenth of serde's instructions per byte, mostly
//! because the v2 `dependencies` compatibility section (half of a v2 file) is checked and
//! stepped over instead of being driven through serde's `ignore_value`.
//!
//! It reads a strict subset of JSON and returns `None` on anything outside it (a number with a
//! fraction or an exponent, an entry that is not an object, a repeated field, a key of
//! `packages` with escapes, deep nesting, broken text): the caller then reads the file with the
//! serde readers, which give the old result, diagnostics and error lines. Where it returns a
//! value, it is the value the serde reader ([`super::FastLock`]) reads from the same text.

use std::borrow::Cow;

use super::{Entry, Licenses, V1Fast};
use crate::extractors::js::{DepNames, Keyed, Text};

/// The top level as read: `dependencies` is the raw text of an object, as
/// `super::FastLock` keeps it.
pub(super) struct Top<'a> {
    pub lockfile_version: Option<serde_json::Value>,
    pub packages: Option<Keyed<'a, Entry<'a>>>,
    pub dependencies: Option<&'a str>,
    /// `dependencies` read as a v1 tree, when `lockfileVersion: 1` came before it (as npm
    /// writes it): what [`read_v1`] reads from `dependencies`, without a second pass.
    pub v1: Option<Keyed<'a, V1Fast<'a>>>,
}

/// Which top-level keys are fields (read once each, a repeated one refused, as serde's derive
/// does) and which are only checked and stepped over.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Fields {
    /// `lockfileVersion`, `packages` and `dependencies` (a lockfile).
    Lock,
    /// Only `packages` (a hidden `node_modules/.package-lock.json`).
    Packages,
}

/// Nesting deeper than this is refused (serde_json's limit is 128, so anything read here is
/// within it).
const MAX_DEPTH: u32 = 64;

pub(super) fn read(text: &str, fields: Fields) -> Option<Top<'_>> {
    let mut c = Cursor::new(text);
    let mut top = Top {
        lockfile_version: None,
        packages: None,
        dependencies: None,
        v1: None,
    };
    let mut seen = [false; 3];
    c.open(b'{')?;
    let mut first = true;
    while let Some(key) = c.key(&mut first)? {
        let field = match (fields, key.as_ref()) {
            (Fields::Lock, "lockfileVersion") => 0,
            (_, "packages") => 1,
            (Fields::Lock, "dependencies") => 2,
            _ => {
                c.skip(1)?;
                continue;
            }
        };
        if std::mem::replace(&mut seen[field], true) {
            return None;
        }
        c.ws();
        if c.null() {
            continue;
        }
        match field {
            0 => {
                let start = c.pos;
                c.skip(1)?;
                let raw = text.get(start..c.pos)?;
                top.lockfile_version = Some(serde_json::from_str(raw).ok()?);
            }
            1 => top.packages = Some(c.packages()?),
            _ => {
                // Only an object is kept raw; anything else is left to the serde readers.
                if c.peek()? != b'{' {
                    return None;
                }
                let start = c.pos;
                let v1 = top
                    .lockfile_version
                    .as_ref()
                    .and_then(serde_json::Value::as_u64);
                if v1 == Some(1) {
                    top.v1 = c.v1_tree(0);
                    if top.v1.is_none() {
                        c.pos = start;
                    }
                }
                if top.v1.is_none() {
                    c.skip(1)?;
                }
                top.dependencies = Some(text.get(start..c.pos)?);
            }
        }
    }
    c.ws();
    (c.pos == c.bytes.len()).then_some(top)
}

/// A v1 `dependencies` tree (the raw text of an object), as serde reads it into
/// `Keyed<V1Fast>`.
pub(super) fn read_v1(raw: &str) -> Option<Keyed<'_, V1Fast<'_>>> {
    let mut c = Cursor::new(raw);
    let tree = c.v1_tree(0)?;
    c.ws();
    (c.pos == c.bytes.len()).then_some(tree)
}

struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

/// Eight spaces, as one word.
const SPACES: u64 = u64::from_le_bytes([b' '; 8]);

/// The bytes of `x` (little-endian) that are `\` or below 0x23 (a control character, ` `, `!`
/// or `"`), as their high bits: the bytes a JSON string scan stops at (`"`, `\`, a control
/// character), and a space or a `!` (rare in a lockfile's strings), which the scan steps over.
/// One "below" test for three of the four: about half the work of testing each exactly.
/// Borrows only run upwards, so the lowest bit set is exactly the first such byte (bits above
/// it may be false).
fn special(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = x.wrapping_sub(ONES * 0x23) & !x;
    let v = x ^ (ONES * u64::from(b'\\'));
    let backslash = v.wrapping_sub(ONES) & !v;
    (below | backslash) & HIGH
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                // A line's indentation, most of a lockfile's whitespace, eight spaces a step.
                b'\n' => {
                    self.pos += 1;
                    while let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
                        let other =
                            u64::from_le_bytes(chunk.try_into().unwrap_or_default()) ^ SPACES;
                        if other != 0 {
                            self.pos += (other.trailing_zeros() / 8) as usize;
                            break;
                        }
                        self.pos += 8;
                    }
                }
                b' ' | b'\r' | b'\t' => self.pos += 1,
                _ => return,
            }
        }
    }

    /// After whitespace, the byte `b`.
    #[inline]
    fn open(&mut self, b: u8) -> Option<()> {
        // Most often `b` is right there (the `:` after a key).
        if self.peek() == Some(b) {
            self.pos += 1;
            return Some(());
        }
        self.ws();
        (self.peek()? == b).then(|| self.pos += 1)
    }

    /// `null` at the cursor (after whitespace), consumed.
    #[inline]
    fn null(&mut self) -> bool {
        let found = self
            .bytes
            .get(self.pos..)
            .is_some_and(|b| b.starts_with(b"null"));
        if found {
            self.pos += 4;
        }
        found
    }

    /// The next key of an object whose `{` was consumed (`Some(None)`: its `}` was reached),
    /// with the `:` after it consumed.
    #[inline]
    fn key(&mut self, first: &mut bool) -> Option<Option<Cow<'a, str>>> {
        self.ws();
        let b = self.peek()?;
        if *first {
            *first = false;
            if b == b'}' {
                self.pos += 1;
                return Some(None);
            }
        } else {
            match b {
                b',' => {
                    self.pos += 1;
                    self.ws();
                }
                b'}' => {
                    self.pos += 1;
                    return Some(None);
                }
                _ => return None,
            }
        }
        let key = self.string()?;
        self.open(b':')?;
        Some(Some(key))
    }

    /// Before the next element of an array whose `[` was consumed: `false` at its `]`
    /// (consumed).
    fn element(&mut self, first: &mut bool) -> Option<bool> {
        self.ws();
        let b = self.peek()?;
        if b == b']' {
            // `[1,]` never gets here: the `,` branch refuses it.
            self.pos += 1;
            return Some(false);
        }
        if *first {
            *first = false;
        } else if b == b',' {
            self.pos += 1;
            self.ws();
            if self.peek()? == b']' {
                return None;
            }
        } else {
            return None;
        }
        Some(true)
    }

    /// A string at the cursor (its `"`), borrowed unless it holds escapes.
    #[inline]
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos.checked_add(1)?;
        let end = self.string_end()?;
        if self.bytes.get(end) == Some(&b'"') {
            self.pos = end + 1;
            // Both ends are ASCII quotes, so this is a char boundary.
            return Some(Cow::Borrowed(self.text.get(start..end)?));
        }
        self.escaped(start, end)
    }

    /// Where the string at the cursor stops: its closing `"`, or its first `\`.
    #[inline]
    fn string_end(&self) -> Option<usize> {
        if self.peek()? != b'"' {
            return None;
        }
        let mut i = self.pos + 1;
        loop {
            // Eight bytes at a time, as serde_json does, to a byte `special` names.
            while let Some(chunk) = self.bytes.get(i..i + 8) {
                let found = special(u64::from_le_bytes(chunk.try_into().ok()?));
                if found != 0 {
                    i += (found.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
            match *self.bytes.get(i)? {
                b'"' | b'\\' => return Some(i),
                c if c < 0x20 => return None,
                // A space or a `!` that `special` names, or one of the last seven bytes.
                _ => i += 1,
            }
        }
    }

    /// Steps over the string at the cursor.
    #[inline]
    fn skip_string(&mut self) -> Option<()> {
        let start = self.pos + 1;
        let end = self.string_end()?;
        if self.bytes.get(end) == Some(&b'"') {
            self.pos = end + 1;
            return Some(());
        }
        self.escaped(start, end).map(drop)
    }

    /// The rest of a string that holds escapes (`i` at the first `\`), decoded by serde_json.
    fn escaped(&mut self, start: usize, mut i: usize) -> Option<Cow<'a, str>> {
        loop {
            match *self.bytes.get(i)? {
                b'"' => break,
                b'\\' => i += 2,
                c if c < 0x20 => return None,
                _ => i += 1,
            }
        }
        let quoted = self.text.get(start - 1..=i)?;
        self.pos = i + 1;
        serde_json::from_str::<String>(quoted).ok().map(Cow::Owned)
    }

    /// `-?(0|[1-9][0-9]*)` of at most 15 digits (any reader reads it the same); a fraction or
    /// an exponent is refused.
    fn integer(&mut self) -> Option<()> {
        if self.peek()? == b'-' {
            self.pos += 1;
        }
        let start = self.pos;
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            _ => return None,
        }
        let after = self.peek();
        (self.pos - start <= 15 && !matches!(after, Some(b'.' | b'e' | b'E' | b'0'..=b'9')))
            .then_some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let found = self.bytes.get(self.pos..)?.starts_with(word);
        found.then(|| self.pos += word.len())
    }

    /// Checks and steps over any value (`depth`: the nesting it is in). A loop over the
    /// tokens with the open containers as bits (1: object), not a call per value: most of a
    /// v2 file is stepped over here.
    fn skip(&mut self, depth: u32) -> Option<()> {
        let room = MAX_DEPTH.checked_sub(depth)?;
        // Bit `i` of `open`: whether the container at nesting `i` (from 0) is an object.
        let mut open = 0u64;
        let mut nesting = 0u32;
        loop {
            // A value.
            self.ws();
            match self.peek()? {
                b'"' => self.skip_string()?,
                c @ (b'{' | b'[') => {
                    self.pos += 1;
                    self.ws();
                    let close = if c == b'{' { b'}' } else { b']' };
                    if self.peek()? == close {
                        self.pos += 1;
                    } else {
                        if nesting >= room {
                            return None;
                        }
                        let object = c == b'{';
                        open |= u64::from(object) << nesting;
                        nesting += 1;
                        if object {
                            self.skip_string()?;
                            self.open(b':')?;
                        }
                        continue;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => self.integer()?,
            }
            // After a value: a `,` and the next key or element, or the end of containers.
            loop {
                let Some(top) = nesting.checked_sub(1) else {
                    return Some(());
                };
                let object = open >> top & 1 == 1;
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        if object {
                            self.ws();
                            self.skip_string()?;
                            self.open(b':')?;
                        }
                        break;
                    }
                    b'}' if object => {}
                    b']' if !object => {}
                    _ => return None,
                }
                self.pos += 1;
                open &= !(1 << top);
                nesting = top;
            }
        }
    }

    /// `true` or `false`.
    fn boolean(&mut self) -> Option<bool> {
        self.ws();
        match self.peek()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            _ => None,
        }
    }

    /// A string or `null`, as `Option<Text>` reads it.
    fn opt_text(&mut self) -> Option<Option<Text<'a>>> {
        self.ws();
        if self.null() {
            return Some(None);
        }
        self.string().map(|s| Some(Text(s)))
    }

    /// An object's keys or `null`, as `Option<DepNames<V>>` reads them (with `js::AnyValue`, its
    /// values are checked as JSON values, which `skip` does as strictly).
    fn opt_dep_names<V>(&mut self, depth: u32) -> Option<Option<DepNames<'a, V>>> {
        self.ws();
        if self.null() {
            return Some(None);
        }
        self.open(b'{')?;
        let mut names = DepNames::default();
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            self.skip(depth + 1)?;
            names.0.push(Text(key));
        }
        // npm writes the names sorted: then sorting and removing repeats changes nothing.
        if !names.0.is_sorted_by(|a, b| a < b) {
            names.0.sort();
            names.0.dedup();
        }
        Some(Some(names))
    }

    /// A v1 `dependencies` object: each key borrowed, each value an object read as [`V1Fast`]
    /// (`depth`: the nesting the object is in).
    fn v1_tree(&mut self, depth: u32) -> Option<Keyed<'a, V1Fast<'a>>> {
        if depth + 2 >= MAX_DEPTH {
            return None;
        }
        self.open(b'{')?;
        let mut out = Vec::new();
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let Cow::Borrowed(key) = key else {
                return None;
            };
            out.push((key, self.v1_entry(depth + 1)?));
        }
        Some(Keyed(out))
    }

    /// One v1 entry; a field given twice is refused, as serde's derive refuses it.
    fn v1_entry(&mut self, depth: u32) -> Option<V1Fast<'a>> {
        self.open(b'{')?;
        let mut e = V1Fast {
            version: None,
            resolved: None,
            integrity: None,
            dev: false,
            optional: false,
            requires: None,
            dependencies: None,
        };
        let mut seen = 0u16;
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let field = match key.as_ref() {
                "version" => 0,
                "resolved" => 1,
                "integrity" => 2,
                "dev" => 3,
                "optional" => 4,
                "requires" => 5,
                "dependencies" => 6,
                _ => {
                    self.skip(depth + 1)?;
                    continue;
                }
            };
            first_time(&mut seen, field)?;
            match field {
                0 => e.version = self.opt_text()?,
                1 => e.resolved = self.opt_text()?,
                2 => e.integrity = self.opt_text()?,
                3 => e.dev = self.boolean()?,
                4 => e.optional = self.boolean()?,
                5 => e.requires = self.opt_dep_names(depth + 1)?,
                _ => {
                    self.ws();
                    if !self.null() {
                        e.dependencies = Some(self.v1_tree(depth + 1)?);
                    }
                }
            }
        }
        Some(e)
    }

    /// A `license` value, as [`Licenses`] reads it: a string, the last `type` of an object,
    /// the licences of each element of an array; any other value names none.
    fn licenses(&mut self, depth: u32, out: &mut Vec<Cow<'a, str>>) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => out.push(self.string()?),
            b'[' => {
                self.pos += 1;
                if depth >= MAX_DEPTH {
                    return None;
                }
                let mut first = true;
                while self.element(&mut first)? {
                    self.licenses(depth + 1, out)?;
                }
            }
            b'{' => {
                self.pos += 1;
                if depth >= MAX_DEPTH {
                    return None;
                }
                let mut of_type = Vec::new();
                let mut first = true;
                while let Some(key) = self.key(&mut first)? {
                    if key == "type" {
                        of_type.clear();
                        self.licenses(depth + 1, &mut of_type)?;
                    } else {
                        self.skip(depth + 1)?;
                    }
                }
                out.append(&mut of_type);
            }
            _ => self.skip(depth)?,
        }
        Some(())
    }

    /// The `packages` map: each key borrowed, each value an object read as [`Entry`].
    fn packages(&mut self) -> Option<Keyed<'a, Entry<'a>>> {
        self.open(b'{')?;
        let mut out = Vec::new();
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let Cow::Borrowed(key) = key else {
                return None;
            };
            out.push((key, self.entry()?));
        }
        Some(Keyed(out))
    }

    /// One `packages` entry; a field given twice is refused, as serde's derive refuses it.
    fn entry(&mut self) -> Option<Entry<'a>> {
        const DEPTH: u32 = 3;
        self.open(b'{')?;
        let mut e = Entry::default();
        let mut seen = 0u16;
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let field = match key.as_ref() {
                "name" => 0,
                "version" => 1,
                "resolved" => 2,
                "integrity" => 3,
                "link" => 4,
                "dev" => 5,
                "optional" => 6,
                "devOptional" => 7,
                "peer" => 8,
                "license" => 9,
                "dependencies" => 10,
                "optionalDependencies" => 11,
                "peerDependencies" => 12,
                "devDependencies" => 13,
                _ => {
                    self.skip(DEPTH)?;
                    continue;
                }
            };
            first_time(&mut seen, field)?;
            match field {
                0 => e.name = self.opt_text()?,
                1 => e.version = self.opt_text()?,
                2 => e.resolved = self.opt_text()?,
                3 => e.integrity = self.opt_text()?,
                4 => e.link = self.boolean()?,
                5 => e.dev = self.boolean()?,
                6 => e.optional = self.boolean()?,
                7 => e.dev_optional = self.boolean()?,
                8 => e.peer = self.boolean()?,
                9 => {
                    let mut found = Vec::new();
                    self.licenses(DEPTH, &mut found)?;
                    e.license = Licenses(found);
                }
                10 => e.dependencies = self.opt_dep_names(DEPTH)?,
                11 => e.optional_dependencies = self.opt_dep_names(DEPTH)?,
                12 => e.peer_dependencies = self.opt_dep_names(DEPTH)?,
                _ => e.dev_dependencies = self.opt_dep_names(DEPTH)?,
            }
        }
        Some(e)
    }
}

/// Marks field number `field` (below 16) read; `None` when it was read already: serde refuses
/// a repeated field, and so the fast reader leaves the document to it.
fn first_time(seen: &mut u16, field: u32) -> Option<()> {
    let bit = 1u16.checked_shl(field)?;
    (*seen & bit == 0).then(|| *seen |= bit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The lowest bit of `special` is exactly the first byte that is `\` or below 0x23.
        #[test]
        fn special_bytes(bytes in proptest::array::uniform8(any::<u8>())) {
            let expected = bytes.iter().position(|&b| b == b'\\' || b < 0x23);
            let found = special(u64::from_le_bytes(bytes));
            let first = (found != 0).then(|| (found.trailing_zeros() / 8) as usize);
            prop_assert_eq!(first, expected);
        }

        /// A string ends where the first `"` or `\` after its opening `"` is, and is refused
        /// when a control character comes first, whatever spaces and `!` it holds.
        #[test]
        fn string_end_is_first_stop(text in "\"[ -~\n\t!]{0,40}") {
            let c = Cursor::new(&text);
            let stop = text.bytes().skip(1).position(|b| b == b'"' || b == b'\\' || b < 0x20);
            let expected = stop
                .map(|p| p + 1)
                .filter(|&p| matches!(text.as_bytes()[p], b'"' | b'\\'));
            prop_assert_eq!(c.string_end(), expected);
        }

        /// The whitespace `ws` steps over (spaces eight at a time) is all of it.
        #[test]
        fn ws_steps_over_whitespace(text in "[ \n\t\r]{0,40}[a ]{0,2}") {
            let mut fast = Cursor::new(&text);
            fast.ws();
            let spaces = text.len() - text.trim_start_matches([' ', '\n', '\t', '\r']).len();
            prop_assert_eq!(fast.pos, spaces);
        }

        /// What `skip` accepts, serde_json accepts too.
        #[test]
        fn skip_accepts_only_json(text in "[\\[\\]{}\":, a-z0-9.eE\\\\-]{0,24}") {
            let mut c = Cursor::new(&text);
            if c.skip(1).is_some() {
                c.ws();
                if c.pos == text.len() {
                    prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{}", text);
                }
            }
        }
    }

    /// Dependency names come out sorted and without repeats, whether written sorted or not.
    #[test]
    fn dep_names_sorted() {
        for (text, want) in [
            (r#"{"a": "1", "b": "2"}"#, &["a", "b"][..]),
            (r#"{"b": "1", "a": "2", "b": "3"}"#, &["a", "b"][..]),
            (r#"{"a": "1", "a": "2"}"#, &["a"][..]),
        ] {
            let mut c = Cursor::new(text);
            let names = c.opt_dep_names::<()>(1).flatten().expect(text);
            let got: Vec<&str> = names.0.iter().map(|t| t.0.as_ref()).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn strict_subset() {
        for bad in [
            "[1,]",
            "{\"a\":1,}",
            "[,1]",
            "{,}",
            "01",
            "1.5",
            "1e3",
            "-",
            "tru",
            "\"a\nb\"",
            "{\"a\" 1}",
            "[1 2]",
        ] {
            let mut c = Cursor::new(bad);
            let whole = c.skip(1).is_some() && {
                c.ws();
                c.pos == bad.len()
            };
            assert!(!whole, "{bad}");
        }
        for good in [
            "[]",
            "{}",
            "[1, -2, 0]",
            "{\"a\": [true, false, null], \"b\": {\"c\": \"\\u0061\"}}",
            " \"x\" ",
        ] {
            let mut c = Cursor::new(good);
            assert!(c.skip(1).is_some(), "{good}");
            c.ws();
            assert_eq!(c.pos, good.len(), "{good}");
        }
    }
}
