//! The JSON stepping shared by the hand-written lockfile readers (`npm/fast.rs` for
//! package-lock, `composer/cursor.rs` for composer.lock): a [`Cursor`] over the text that reads
//! keys and strings (borrowed unless they hold escapes), steps over whitespace and checks and
//! steps over whole values ([`Cursor::skip`]), in a strict subset of JSON. Every method returns
//! `None` on anything outside that subset (a number with a fraction or an exponent, a trailing
//! `,`, deep nesting, broken text), and the reader then leaves the file to its serde reader.
//!
//! The two readers step over different text, so how a string is scanned is a parameter
//! ([`Strings`]): [`Spaced`] for package-lock (short strings), [`Prose`] for composer.lock (long
//! `description`s). Each reader adds its own methods (its entries) in an `impl` of its own
//! `Cursor<'_, Spaced>` or `Cursor<'_, Prose>`.

use std::borrow::Cow;
use std::marker::PhantomData;

/// Nesting deeper than this is refused (serde_json's limit is 128, so anything read here is
/// within it).
pub(crate) const MAX_DEPTH: u32 = 64;

/// Eight spaces, as one word.
const SPACES: u64 = u64::from_le_bytes([b' '; 8]);

/// Bytes that repeat every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// How the strings of a format are scanned and stepped over.
pub(crate) trait Strings: Sized {
    /// The bytes of `x` (little-endian) a string scan stops at, as their high bits: at least
    /// `"`, `\` and the control characters; the lowest bit set must be exactly the first such
    /// byte (bits above it may be false). [`Cursor::scan`] steps over the others it names.
    fn special(x: u64) -> u64;

    /// Steps over the string at the cursor (its `"`).
    fn skip_string(c: &mut Cursor<'_, Self>) -> Option<()>;
}

/// package-lock's strings: short (names, versions, URLs, hashes), so a scan that also stops at
/// a space or a `!` costs less than an exact one, and escapes are left to serde_json.
pub(crate) struct Spaced;

impl Strings for Spaced {
    /// The bytes of `x` (little-endian) that are `\` or below 0x23 (a control character, ` `,
    /// `!` or `"`), as their high bits: the bytes a JSON string scan stops at (`"`, `\`, a
    /// control character), and a space or a `!` (rare in a lockfile's strings), which the scan
    /// steps over. One "below" test for three of the four: about half the work of testing each
    /// exactly. Borrows only run upwards, so the lowest bit set is exactly the first such byte
    /// (bits above it may be false).
    fn special(x: u64) -> u64 {
        let below = x.wrapping_sub(ONES * 0x23) & !x;
        let v = x ^ (ONES * u64::from(b'\\'));
        let backslash = v.wrapping_sub(ONES) & !v;
        (below | backslash) & HIGH
    }

    #[inline]
    fn skip_string(c: &mut Cursor<'_, Self>) -> Option<()> {
        let start = c.pos + 1;
        let end = c.string_end()?;
        if c.bytes.get(end) == Some(&b'"') {
            c.pos = end + 1;
            return Some(());
        }
        c.escaped(start, end).map(drop)
    }
}

/// composer.lock's strings: long prose (`description`) is stepped over, so spaces do not stop
/// the scan (they would every few bytes), and the common escapes (`\\` in `autoload`
/// namespaces) are checked in place.
pub(crate) struct Prose;

impl Strings for Prose {
    /// The bytes of `x` (little-endian) that end a JSON string scan (`"`, `\`, a control
    /// character), as their high bits. Unlike [`Spaced`] (which also stops at spaces, for one
    /// test less), spaces do not stop it. Borrows only run upwards, so the lowest bit set is
    /// exactly the first such byte (bits above it may be false).
    #[inline]
    fn special(x: u64) -> u64 {
        let control = x.wrapping_sub(ONES * 0x20) & !x;
        let q = x ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let v = x ^ (ONES * u64::from(b'\\'));
        let backslash = v.wrapping_sub(ONES) & !v;
        (control | quote | backslash) & HIGH
    }

    /// Its escapes are checked, not decoded: the common ones here; a string with a `\u` escape
    /// is left to serde_json, which knows which are valid (surrogates).
    #[inline]
    fn skip_string(c: &mut Cursor<'_, Self>) -> Option<()> {
        let start = c.pos + 1;
        let mut end = c.string_end()?;
        loop {
            match *c.bytes.get(end)? {
                b'"' => {
                    c.pos = end + 1;
                    return Some(());
                }
                _ => match *c.bytes.get(end + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                        end = c.scan(end + 2)?;
                    }
                    b'u' => return c.escaped(start, end).map(drop),
                    _ => return None,
                },
            }
        }
    }
}

/// Marks field number `field` (below 16) read; `None` when it was read already: serde's
/// derive refuses a repeated field, and so a fast reader leaves the document to it.
fn first_time(seen: &mut u16, field: u32) -> Option<()> {
    let bit = 1u16.checked_shl(field)?;
    (*seen & bit == 0).then(|| *seen |= bit)
}

/// A position in a JSON text, its strings scanned as `S` says.
pub(crate) struct Cursor<'a, S> {
    pub(crate) text: &'a str,
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
    strings: PhantomData<S>,
}

impl<'a, S: Strings> Cursor<'a, S> {
    pub(crate) fn new(text: &'a str) -> Self {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            strings: PhantomData,
        }
    }

    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    pub(crate) fn ws(&mut self) {
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
    pub(crate) fn open(&mut self, b: u8) -> Option<()> {
        // Most often `b` is right there (the `:` after a key).
        if self.peek() == Some(b) {
            self.pos += 1;
            return Some(());
        }
        self.ws();
        (self.peek()? == b).then(|| self.pos += 1)
    }

    /// `null` right at the cursor (whitespace before it is not stepped over), consumed.
    #[inline]
    pub(crate) fn null(&mut self) -> bool {
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
    pub(crate) fn key(&mut self, first: &mut bool) -> Option<Option<Cow<'a, str>>> {
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

    /// The members of the object at the cursor (its `{`, after whitespace): each key numbered
    /// by `field` (below 16) is read by `read` (with the number and the key), at most once (a
    /// repeated one refuses the object, as serde's derive does); the others are checked and
    /// stepped over at nesting `depth`.
    #[inline]
    pub(crate) fn members(
        &mut self,
        depth: u32,
        field: impl Fn(&str) -> Option<u32>,
        mut read: impl FnMut(&mut Self, u32, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        self.open(b'{')?;
        let mut seen = 0u16;
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let Some(field) = field(&key) else {
                self.skip(depth)?;
                continue;
            };
            first_time(&mut seen, field)?;
            read(self, field, key)?;
        }
        Some(())
    }

    /// Before the next element of an array whose `[` was consumed: `false` at its `]`
    /// (consumed).
    pub(crate) fn element(&mut self, first: &mut bool) -> Option<bool> {
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
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
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
    pub(crate) fn string_end(&self) -> Option<usize> {
        if self.peek()? != b'"' {
            return None;
        }
        self.scan(self.pos + 1)
    }

    /// From `i` inside a string, its next `"` or `\` (`None` at a control character).
    /// (memchr's SIMD search costs more here: most strings are short.)
    #[inline]
    pub(crate) fn scan(&self, mut i: usize) -> Option<usize> {
        loop {
            // Eight bytes at a time, as serde_json does, to a byte `special` names.
            while let Some(chunk) = self.bytes.get(i..i + 8) {
                let found = S::special(u64::from_le_bytes(chunk.try_into().ok()?));
                if found != 0 {
                    i += (found.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
            match *self.bytes.get(i)? {
                b'"' | b'\\' => return Some(i),
                c if c < 0x20 => return None,
                // A byte `special` names that does not end the string ([`Spaced`]'s space or
                // `!`), or one of the last seven bytes.
                _ => i += 1,
            }
        }
    }

    /// Steps over the string at the cursor.
    #[inline]
    pub(crate) fn skip_string(&mut self) -> Option<()> {
        S::skip_string(self)
    }

    /// The rest of a string that holds escapes (`i` at the first `\`), decoded by serde_json.
    pub(crate) fn escaped(&mut self, start: usize, mut i: usize) -> Option<Cow<'a, str>> {
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

    pub(crate) fn literal(&mut self, word: &[u8]) -> Option<()> {
        let found = self.bytes.get(self.pos..)?.starts_with(word);
        found.then(|| self.pos += word.len())
    }

    /// Checks and steps over any value (`depth`: the nesting it is in). A loop over the
    /// tokens with the open containers as bits (1: object), not a call per value: most of a
    /// lockfile (a v2 package-lock's `dependencies`, a composer package's `autoload`, ...) is
    /// stepped over here.
    pub(crate) fn skip(&mut self, depth: u32) -> Option<()> {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether `skip` steps over the whole of `text` (trailing whitespace allowed).
    fn skips_whole<S: Strings>(text: &str) -> bool {
        let mut c = Cursor::<S>::new(text);
        c.skip(1).is_some() && {
            c.ws();
            c.pos == text.len()
        }
    }

    /// Whether `skip_string` steps over a string that serde_json reads, and ends after it.
    fn skip_string_is_serde<S: Strings>(text: &str) -> Result<(), TestCaseError> {
        let mut c = Cursor::<S>::new(text);
        let skipped = c.skip_string().map(|()| c.pos);
        let serde = serde_json::Deserializer::from_str(text)
            .into_iter::<String>()
            .next()
            .and_then(Result::ok)
            .is_some();
        prop_assert_eq!(skipped.is_some(), serde, "{}", text);
        if let Some(end) = skipped {
            let whole = text.get(..end).map(serde_json::from_str::<String>);
            prop_assert!(matches!(whole, Some(Ok(_))), "{}", text);
        }
        Ok(())
    }

    /// The first stop of a string scan: its first `"` or `\` after the opening `"`, `None`
    /// when a control character comes first.
    fn first_stop(text: &str) -> Option<usize> {
        let stop = text
            .bytes()
            .skip(1)
            .position(|b| b == b'"' || b == b'\\' || b < 0x20);
        stop.map(|p| p + 1)
            .filter(|&p| matches!(text.as_bytes()[p], b'"' | b'\\'))
    }

    proptest! {
        /// The lowest bit of `Spaced::special` is exactly the first byte that is `\` or below
        /// 0x23.
        #[test]
        fn spaced_special_bytes(bytes in proptest::array::uniform8(any::<u8>())) {
            let expected = bytes.iter().position(|&b| b == b'\\' || b < 0x23);
            let found = Spaced::special(u64::from_le_bytes(bytes));
            let first = (found != 0).then(|| (found.trailing_zeros() / 8) as usize);
            prop_assert_eq!(first, expected);
        }

        /// The lowest bit of `Prose::special` is exactly the first byte that is `"`, `\` or a
        /// control character.
        #[test]
        fn prose_special_bytes(bytes in proptest::array::uniform8(any::<u8>())) {
            let expected = bytes.iter().position(|&b| b == b'\\' || b == b'"' || b < 0x20);
            let found = Prose::special(u64::from_le_bytes(bytes));
            let first = (found != 0).then(|| (found.trailing_zeros() / 8) as usize);
            prop_assert_eq!(first, expected);
        }

        /// A string ends where the first `"` or `\` after its opening `"` is, and is refused
        /// when a control character comes first, whatever spaces and `!` it holds.
        #[test]
        fn string_end_is_first_stop(text in "\"[ -~\n\t!]{0,40}") {
            let expected = first_stop(&text);
            prop_assert_eq!(Cursor::<Spaced>::new(&text).string_end(), expected);
            prop_assert_eq!(Cursor::<Prose>::new(&text).string_end(), expected);
        }

        /// The whitespace `ws` steps over (spaces eight at a time) is all of it.
        #[test]
        fn ws_steps_over_whitespace(text in "[ \n\t\r]{0,40}[a ]{0,2}") {
            let mut fast = Cursor::<Spaced>::new(&text);
            fast.ws();
            let spaces = text.len() - text.trim_start_matches([' ', '\n', '\t', '\r']).len();
            prop_assert_eq!(fast.pos, spaces);
        }

        /// Stepping over a string accepts exactly what serde_json reads as one, and ends
        /// after it.
        #[test]
        fn skip_string_matches_serde(text in "\"([ -~\n\t]|\\\\[\"\\\\/bfnrtux]|\\\\u[0-9a-fA-F]{4}){0,12}\"?") {
            skip_string_is_serde::<Prose>(&text)?;
            skip_string_is_serde::<Spaced>(&text)?;
        }

        /// What `skip` accepts, serde_json accepts too.
        #[test]
        fn skip_accepts_only_json(text in "[\\[\\]{}\":, a-z0-9.eE\\\\-]{0,24}") {
            for whole in [skips_whole::<Spaced>(&text), skips_whole::<Prose>(&text)] {
                if whole {
                    prop_assert!(
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
            assert!(!skips_whole::<Spaced>(bad), "{bad}");
            assert!(!skips_whole::<Prose>(bad), "{bad}");
        }
        for good in [
            "[]",
            "{}",
            "[1, -2, 0]",
            "{\"a\": [true, false, null], \"b\": {\"c\": \"\\u0061\"}}",
            " \"x\" ",
        ] {
            assert!(skips_whole::<Spaced>(good), "{good}");
            assert!(skips_whole::<Prose>(good), "{good}");
        }
    }

    /// `members` reads each numbered key once, steps over the others (checked), and refuses
    /// a repeated numbered key or a broken value among the others.
    #[test]
    fn members_once_each() {
        let read = |text: &str| {
            let mut c = Cursor::<Prose>::new(text);
            let mut got = Vec::new();
            let field = |key: &str| ["a", "b"].iter().position(|k| *k == key).map(|i| i as u32);
            c.members(1, field, |c, field, key| {
                c.ws();
                got.push((field, key.into_owned(), c.string()?.into_owned()));
                Some(())
            })
            .map(|()| (got, c.pos))
        };
        let text = r#" {"x": [1, {"y": null}], "b": "2", "a": "1"} "#;
        let want = vec![
            (1, "b".to_owned(), "2".to_owned()),
            (0, "a".to_owned(), "1".to_owned()),
        ];
        assert_eq!(read(text), Some((want, text.len() - 1)));
        assert_eq!(read("{}"), Some((Vec::new(), 2)));
        assert_eq!(read(r#"{"a": "1", "a": "1"}"#), None);
        assert_eq!(read(r#"{"x": 1.5, "a": "1"}"#), None);
        assert_eq!(read(r#"["a"]"#), None);
    }

    /// `first_time` refuses a field read twice, and a field number beyond 15.
    #[test]
    fn first_time_once() {
        let mut seen = 0;
        assert_eq!(first_time(&mut seen, 3), Some(()));
        assert_eq!(first_time(&mut seen, 0), Some(()));
        assert_eq!(first_time(&mut seen, 3), None);
        assert_eq!(first_time(&mut seen, 16), None);
        assert_eq!(seen, 0b1001);
    }
}
