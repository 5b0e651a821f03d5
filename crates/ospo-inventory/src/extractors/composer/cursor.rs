//! A hand-written reader for the `packages` and `packages-dev` arrays of a composer.lock, the
//! common case of every real file: most of a package (`description`, `authors`, `autoload`,
//! `support`, `funding`, ...) is unused, and is checked and stepped over here with a loop over
//! its bytes instead of being driven through serde's `MapAccess` (about a third of serde's
//! instructions per byte).
//!
//! It reads a strict subset of JSON and returns `None` on anything outside it (a number with a
//! fraction or an exponent, a repeated member, a member of an unusual type, a `"name"` key with
//! escapes, deep nesting, broken text): the caller then leaves the file to the general reader,
//! which gives the old result, diagnostics and error lines. Where it returns a value, it is
//! what the serde visitors this replaced read from the same text (the JSON stepping is the one
//! of `extractors/npm/fast.rs`, which this module may not share).

use std::borrow::Cow;

use ospo_model::Scope;

use super::{Licenses, Location, Names, Package};
use crate::HashSet;

/// A package and its `"name"` key, borrowed from the input (for its offset).
pub(super) struct Entry<'a> {
    pub package: Package<'a>,
    pub name_key: &'a str,
}

/// Nesting deeper than this is refused (serde_json's limit is 128, so anything read here is
/// within it).
const MAX_DEPTH: u32 = 64;

/// The packages of `packages` (runtime) then those of `packages-dev`, in file order within each.
pub(super) fn read(text: &str) -> Option<Vec<(Entry<'_>, Scope)>> {
    let mut c = Cursor::new(text);
    let (mut runtime, mut dev) = (None, None);
    c.open(b'{')?;
    let mut first = true;
    while let Some(key) = c.key(&mut first)? {
        let slot = match key.as_ref() {
            "packages" => &mut runtime,
            "packages-dev" => &mut dev,
            _ => {
                c.skip(1)?;
                continue;
            }
        };
        // A repeated member is an error to serde's derive.
        if slot.is_some() {
            return None;
        }
        *slot = Some(c.entries()?);
    }
    c.ws();
    if c.pos != c.bytes.len() {
        return None;
    }
    let runtime = runtime.unwrap_or_default();
    let dev = dev.unwrap_or_default();
    let mut out = Vec::with_capacity(runtime.len() + dev.len());
    out.extend(runtime.into_iter().map(|e| (e, Scope::Runtime)));
    out.extend(dev.into_iter().map(|e| (e, Scope::Dev)));
    Some(out)
}

struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

/// Eight spaces, as one word.
const SPACES: u64 = u64::from_le_bytes([b' '; 8]);

/// The bytes of `x` (little-endian) that end a JSON string scan (`"`, `\`, a control character),
/// as their high bits. Unlike package-lock's reader (which also stops at spaces, for one test
/// less), spaces do not stop it: a composer.lock steps over long prose (`description`) whose
/// spaces would stop the scan every few bytes. Borrows only run upwards, so the lowest bit set
/// is exactly the first such byte (bits above it may be false).
#[inline]
fn special(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let control = x.wrapping_sub(ONES * 0x20) & !x;
    let q = x ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let v = x ^ (ONES * u64::from(b'\\'));
    let backslash = v.wrapping_sub(ONES) & !v;
    (control | quote | backslash) & HIGH
}

/// Marks member number `field` (below 16) read; `None` when it was read already (serde's
/// readers refuse a repeated member).
fn first_time(seen: &mut u16, field: u32) -> Option<()> {
    let bit = 1u16.checked_shl(field)?;
    (*seen & bit == 0).then(|| *seen |= bit)
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
        self.ws();
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
        self.scan(self.pos + 1)
    }

    /// From `i` inside a string, its next `"` or `\` (`None` at a control character).
    /// (memchr's SIMD search costs more here: most strings are short.)
    #[inline]
    fn scan(&self, mut i: usize) -> Option<usize> {
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
                // One of the last seven bytes.
                _ => i += 1,
            }
        }
    }

    /// Steps over the string at the cursor. Its escapes are checked, not decoded: the common
    /// ones (`\\` in `autoload` namespaces) here; a string with a `\u` escape is left to
    /// serde_json, which knows which are valid (surrogates).
    #[inline]
    fn skip_string(&mut self) -> Option<()> {
        let start = self.pos + 1;
        let mut end = self.string_end()?;
        loop {
            match *self.bytes.get(end)? {
                b'"' => {
                    self.pos = end + 1;
                    return Some(());
                }
                _ => match *self.bytes.get(end + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                        end = self.scan(end + 2)?;
                    }
                    b'u' => return self.escaped(start, end).map(drop),
                    _ => return None,
                },
            }
        }
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
    /// package is stepped over here.
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

    /// A string (escapes decoded), as `String` reads it.
    fn owned(&mut self) -> Option<Cow<'a, str>> {
        self.ws();
        self.string()
    }

    /// A string or `null`, as `Option<String>` reads it.
    fn opt_owned(&mut self) -> Option<Option<Cow<'a, str>>> {
        if self.null() {
            return Some(None);
        }
        self.owned().map(Some)
    }

    /// An array of packages (`packages` or `packages-dev`).
    fn entries(&mut self) -> Option<Vec<Entry<'a>>> {
        self.open(b'[')?;
        let mut out = Vec::new();
        let mut first = true;
        while self.element(&mut first)? {
            out.push(self.entry()?);
        }
        Some(out)
    }

    /// One package: an object with at least `name` and `version`, each member once.
    fn entry(&mut self) -> Option<Entry<'a>> {
        // The nesting of a package's members: top level, array, package.
        const DEPTH: u32 = 3;
        self.open(b'{')?;
        let mut name_key = None;
        let (mut name, mut version) = (None, None);
        let (mut source, mut dist, mut notification_url) = (None, None, None);
        let mut license = Licenses::default();
        let (mut require, mut provide, mut replace) =
            (Names::default(), Names::default(), Names::default());
        let mut seen = 0u16;
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let field = match key.as_ref() {
                "name" => 0,
                "version" => 1,
                "source" => 2,
                "dist" => 3,
                "notification-url" => 4,
                "license" => 5,
                "require" => 6,
                "provide" => 7,
                "replace" => 8,
                _ => {
                    self.skip(DEPTH)?;
                    continue;
                }
            };
            first_time(&mut seen, field)?;
            match field {
                0 => {
                    // The key's offset gives the package's line: it must be the text itself.
                    let Cow::Borrowed(k) = key else {
                        return None;
                    };
                    name_key = Some(k);
                    name = Some(self.owned()?);
                }
                1 => version = Some(self.owned()?),
                2 => source = self.location(DEPTH)?,
                3 => dist = self.location(DEPTH)?,
                4 => notification_url = self.opt_owned()?,
                5 => license = self.licenses()?,
                6 => require = self.names(DEPTH)?,
                7 => provide = self.names(DEPTH)?,
                _ => replace = self.names(DEPTH)?,
            }
        }
        Some(Entry {
            package: Package {
                name: name?,
                version: version?,
                source,
                dist,
                notification_url,
                license,
                require,
                provide,
                replace,
            },
            name_key: name_key?,
        })
    }

    /// A `source` or `dist`: `null`, or an object whose `type`, `url`, `reference` and
    /// `shasum` are each a string or `null` and given once.
    fn location(&mut self, depth: u32) -> Option<Option<Location<'a>>> {
        if self.null() {
            return Some(None);
        }
        self.open(b'{')?;
        let mut l = Location {
            kind: None,
            url: None,
            reference: None,
            shasum: None,
        };
        let mut seen = 0u16;
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let (field, slot) = match key.as_ref() {
                "type" => (0, &mut l.kind),
                "url" => (1, &mut l.url),
                "reference" => (2, &mut l.reference),
                "shasum" => (3, &mut l.shasum),
                _ => {
                    self.skip(depth + 1)?;
                    continue;
                }
            };
            first_time(&mut seen, field)?;
            *slot = self.opt_owned()?;
        }
        Some(Some(l))
    }

    /// A `license`: a string, or an array of strings (anything else is refused).
    fn licenses(&mut self) -> Option<Licenses<'a>> {
        self.ws();
        if self.peek()? == b'"' {
            return self.owned().map(Licenses::One);
        }
        self.open(b'[')?;
        let mut all = Vec::new();
        let mut first = true;
        while self.element(&mut first)? {
            all.push(self.owned()?);
        }
        Some(Licenses::Many(all))
    }

    /// A `require`-like member: an object of names (values checked, then dropped; a repeated
    /// name keeps its first place, as in a `Value`), or an array (PHP's empty object), which
    /// names none; anything else is refused.
    fn names(&mut self, depth: u32) -> Option<Names<'a>> {
        /// Beyond this many names, repeats are found by hashing rather than by a search.
        const FEW: usize = 16;
        self.ws();
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut names = Vec::new();
                let mut seen: Option<HashSet<Cow<'a, str>>> = None;
                let mut first = true;
                while let Some(key) = self.key(&mut first)? {
                    self.skip(depth + 1)?;
                    let repeated = match &mut seen {
                        Some(seen) => !seen.insert(key.clone()),
                        None => names.contains(&key),
                    };
                    if !repeated {
                        names.push(key);
                        if seen.is_none() && names.len() > FEW {
                            seen = Some(names.iter().cloned().collect());
                        }
                    }
                }
                Some(Names::Keys(names))
            }
            b'[' => {
                self.skip(depth)?;
                Some(Names::default())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The lowest bit of `special` is exactly the first byte that is `"`, `\` or a control
        /// character.
        #[test]
        fn special_bytes(bytes in proptest::array::uniform8(proptest::num::u8::ANY)) {
            let expected = bytes.iter().position(|&b| b == b'\\' || b == b'"' || b < 0x20);
            let found = special(u64::from_le_bytes(bytes));
            let first = (found != 0).then(|| (found.trailing_zeros() / 8) as usize);
            proptest::prop_assert_eq!(first, expected);
        }

        /// Stepping over a string accepts exactly what serde_json reads as one, and ends
        /// after it.
        #[test]
        fn skip_string_is_serde(text in "\"([ -~\n\t]|\\\\[\"\\\\/bfnrtux]|\\\\u[0-9a-fA-F]{4}){0,12}\"?") {
            let mut c = Cursor::new(&text);
            let skipped = c.skip_string().map(|()| c.pos);
            let serde = serde_json::Deserializer::from_str(&text)
                .into_iter::<String>()
                .next()
                .and_then(Result::ok)
                .is_some();
            proptest::prop_assert_eq!(skipped.is_some(), serde, "{}", text);
            if let Some(end) = skipped {
                let whole = text.get(..end).map(serde_json::from_str::<String>);
                proptest::prop_assert!(matches!(whole, Some(Ok(_))), "{}", text);
            }
        }

        /// What `skip` accepts, serde_json accepts too.
        #[test]
        fn skip_accepts_only_json(text in "[\\[\\]{}\":, a-z0-9.eE\\\\-]{0,24}") {
            let mut c = Cursor::new(&text);
            if c.skip(1).is_some() {
                c.ws();
                if c.pos == text.len() {
                    proptest::prop_assert!(
                        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                        "{}",
                        text
                    );
                }
            }
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
    }
}
