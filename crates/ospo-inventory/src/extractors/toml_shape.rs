//! The low-level reader shared by the readers of lockfiles in their writers' own TOML shape
//! (`cargo/lock_reader.rs` for Cargo.lock, `uv/reader.rs` for uv.lock, `poetry/reader.rs` for
//! poetry.lock): a byte reader over the text that counts lines as it goes and takes only the
//! plainest TOML (basic strings on one line without escapes, or skipped with only `\"` and
//! `\\`, bare keys, decimal integers, booleans, arrays of values over one or several lines,
//! one-line inline tables), returning `None` on anything else so that the caller leaves the file to `toml_fast` and the
//! `toml` crate. Each reader adds what is its own (its keys, tables and values) in its module.

/// The most keys an inline table may have (the writers write at most five).
const INLINE_KEYS: usize = 8;

/// A byte reader over a lockfile's text, with the line of its position.
pub(crate) struct Reader<'a> {
    pub text: &'a str,
    pub bytes: &'a [u8],
    pub pos: usize,
    /// The 1-based line of `pos`.
    pub line: u32,
}

/// A byte of a bare key (`A-Za-z0-9_-`).
#[inline]
pub(crate) fn is_key_byte(b: u8) -> bool {
    crate::toml_fast::KEY_BYTE[usize::from(b)]
}

/// A byte that may follow a number or boolean.
pub(crate) fn ends_scalar(b: Option<u8>) -> bool {
    matches!(
        b,
        None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'#' | b',' | b']' | b'}')
    )
}

/// How deep arrays and inline tables may nest in values a reader skips.
pub(crate) const MAX_SKIP_DEPTH: u32 = 4;

impl<'a> Reader<'a> {
    /// A reader at the start of `text`, or `None` when `text` is not for a shape reader: it has
    /// a control character TOML forbids (so strings and comments need only look for their end),
    /// or tests comparing whole extractions with the `toml` crate's reading turn these readers
    /// off.
    pub fn new(text: &'a str) -> Option<Self> {
        #[cfg(test)]
        if crate::toml_fast::full_reader_only() {
            return None;
        }
        if crate::toml_fast::has_stray_control(text.as_bytes()) {
            return None;
        }
        Some(Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
        })
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn eat(&mut self, word: &[u8]) -> bool {
        let found = self
            .bytes
            .get(self.pos..)
            .is_some_and(|r| r.starts_with(word));
        if found {
            self.pos += word.len();
        }
        found
    }

    pub fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Spaces, an optional comment, then a newline or the end of the text.
    #[inline]
    pub fn end_of_line(&mut self) -> Option<()> {
        self.pos = crate::toml_fast::past_line_end(self.bytes, self.pos)?;
        self.line = self.line.checked_add(1)?;
        Some(())
    }

    /// Past spaces, blank lines and comment lines: the first byte of the next line's content
    /// (`None` at the end of the text), or `None` when a line ends badly.
    #[inline]
    pub fn next_content(&mut self) -> Option<Option<u8>> {
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'\n' | b'\r' | b'#') => self.end_of_line()?,
                b => return Some(b),
            }
        }
    }

    /// `=` with spaces around it.
    pub fn equals(&mut self) -> Option<()> {
        if self.eat(b" = ") {
            return Some(());
        }
        self.skip_ws();
        if !self.eat(b"=") {
            return None;
        }
        self.skip_ws();
        Some(())
    }

    pub fn bare_key(&mut self) -> Option<&'a str> {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(|&b| is_key_byte(b)) {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        self.text.get(start..self.pos)
    }

    /// `"..."` on one line without escapes, lent from the text.
    pub fn string(&mut self) -> Option<&'a str> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos + 1;
        // No control character is in the text (`toml_fast::has_stray_control`), so the string
        // is on one line if no newline comes before its end.
        let len = memchr::memchr3(b'"', b'\\', b'\n', self.bytes.get(start..)?)?;
        let end = start + len;
        // An escape is left to the full reader (and so is `"""`: the `"` after `""` ends no
        // line, array item nor inline table entry).
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        self.text.get(start..end)
    }

    /// A value a reader checks but does not use: a string (read by `string`, whose escapes
    /// differ between readers), an integer, a boolean, or an array or inline table of those,
    /// nested at most [`MAX_SKIP_DEPTH`] deep counting from `depth`.
    pub fn skip_value_with(
        &mut self,
        depth: u32,
        string: fn(&mut Self) -> Option<()>,
    ) -> Option<()> {
        if depth > MAX_SKIP_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => string(self),
            b'[' => self.array(|r| r.skip_value_with(depth + 1, string)),
            b'{' => self.inline_table(|r, _| r.skip_value_with(depth + 1, string)),
            b't' | b'f' => self.boolean().map(drop),
            _ => self.integer().map(drop),
        }
    }

    /// `"..."` on one line whose only escapes are `\"` and `\\` (poetry writes them in its
    /// markers), skipped: for values a reader checks but does not use. Any other escape is left
    /// to the full reader.
    pub fn skip_escaped_string(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let mut pos = self.pos + 1;
        loop {
            let at = pos + memchr::memchr3(b'"', b'\\', b'\n', self.bytes.get(pos..)?)?;
            match (self.bytes.get(at), self.bytes.get(at + 1)) {
                (Some(b'"'), _) => {
                    self.pos = at + 1;
                    return Some(());
                }
                (Some(b'\\'), Some(b'"' | b'\\')) => pos = at + 2,
                _ => return None,
            }
        }
    }

    /// `true` or `false`, followed by what may follow a scalar ([`ends_scalar`]).
    pub fn boolean(&mut self) -> Option<bool> {
        let value = if self.eat(b"true") {
            true
        } else if self.eat(b"false") {
            false
        } else {
            return None;
        };
        ends_scalar(self.peek()).then_some(value)
    }

    /// `0` or a decimal integer without sign, leading zero or underscore, that fits an `i64`,
    /// followed by what may follow a number ([`ends_scalar`]; so `1.5`, `1e3` and dates are not
    /// taken).
    pub fn integer(&mut self) -> Option<i64> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = self.bytes.get(start..self.pos)?;
        if digits.is_empty()
            || digits.len() > 18
            || (digits.len() > 1 && digits.first() == Some(&b'0'))
            || !ends_scalar(self.peek())
        {
            return None;
        }
        // At most 18 digits: no overflow.
        Some(
            digits
                .iter()
                .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0')),
        )
    }

    /// `[ a, b ]` over one or several lines (a trailing comma allowed), each item read by
    /// `item`.
    pub fn array(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if !self.eat(b"[") {
            return None;
        }
        loop {
            self.blank()?;
            if self.eat(b"]") {
                return Some(());
            }
            item(self)?;
            self.blank()?;
            if self.eat(b"]") {
                return Some(());
            }
            if !self.eat(b",") {
                return None;
            }
        }
    }

    /// `{ k = v, … }` on one line, without a trailing comma, dotted or quoted keys or a key
    /// twice; each value read by `value` with its key.
    pub fn inline_table(
        &mut self,
        mut value: impl FnMut(&mut Self, &'a str) -> Option<()>,
    ) -> Option<()> {
        if !self.eat(b"{") {
            return None;
        }
        self.skip_ws();
        if self.eat(b"}") {
            return Some(());
        }
        let mut keys: [&str; INLINE_KEYS] = [""; INLINE_KEYS];
        let mut n = 0;
        loop {
            let key = self.bare_key()?;
            let seen = keys.get(..n)?;
            if seen.contains(&key) {
                return None;
            }
            *keys.get_mut(n)? = key;
            n += 1;
            self.equals()?;
            value(self, key)?;
            self.skip_ws();
            if self.eat(b"}") {
                return Some(());
            }
            if !self.eat(b",") {
                return None;
            }
            self.skip_ws();
        }
    }

    /// Spaces and newlines between the values of an array (comments there are left to the full
    /// reader).
    pub fn blank(&mut self) -> Option<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'\n') => {
                    self.pos += 1;
                    self.line = self.line.checked_add(1)?;
                }
                Some(b'\r') if self.bytes.get(self.pos + 1) == Some(&b'\n') => {
                    self.pos += 2;
                    self.line = self.line.checked_add(1)?;
                }
                Some(b'\r' | b'#') => return None,
                _ => return Some(()),
            }
        }
    }
}

/// What the tests of the shape readers share.
#[cfg(test)]
pub(crate) mod testing {
    use crate::Extractor;
    use crate::extractors::testutil::extract_bytes;
    use crate::toml_fast::with_full_reader;

    /// The whole extraction of `doc` (at `path`, with `companions`) is the same with and
    /// without the shape readers (or the same error).
    pub(crate) fn assert_same_extraction(
        ex: &dyn Extractor,
        path: &str,
        doc: &str,
        companions: &[(&str, &[u8])],
    ) {
        let run = || format!("{:?}", extract_bytes(ex, path, doc.as_bytes(), companions));
        assert_eq!(run(), with_full_reader(run), "{doc}");
    }

    /// The property test every shape reader has: arbitrary text never panics `$read`.
    macro_rules! never_panics {
        ($read:path) => {
            proptest::proptest! {
                /// Arbitrary text never panics the reader.
                #[test]
                fn never_panics(doc in "(?s).{0,400}") {
                    let _ = $read(&doc);
                }
            }
        };
    }
    pub(crate) use never_panics;

    /// `read_none` is true of each document: the shape reader leaves it to the TOML readers.
    pub(crate) fn assert_not_read(read_none: impl Fn(&str) -> bool, docs: &[String]) {
        for doc in docs {
            assert!(read_none(doc), "{doc:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Extractor;
    use crate::extractors::cargo::CargoLock;
    use crate::extractors::testutil::extract_bytes;
    use crate::extractors::uv::UvLock;

    const CARGO0: &str = "[[package]]\nname = \"a\"\nversion = \"1\n";
    const CARGO1: &str = "[[package]]\nname = \"a\"\nname = \"b\"\n";
    const CARGO2: &str = "version = 3\n\n[[package]]\nname = \"a\"\nversion = 1.0.0\n";
    const UV0: &str = "version = 1\n[[package]]\nname = \"a\"\nversion = \"1\n";
    const UV1: &str = "version = 1\n[[package]]\nname = \"a\"\nname = \"b\"\n";
    const UV2: &str =
        "version = 1\n\n[[package]]\nname = \"a\"\nsdist = { hash = \"x\", hash = \"y\" }\n";

    #[test]
    fn reads_plain_pieces_and_counts_lines() {
        let mut r = Reader::new("key-1 = \"v\" # c\r\nn=42\nxs = [\n \"a\",\n \"b\", ]\n").unwrap();
        assert_eq!(r.bare_key(), Some("key-1"));
        assert_eq!(r.equals(), Some(()));
        assert_eq!(r.string(), Some("v"));
        assert_eq!(r.end_of_line(), Some(()));
        assert_eq!(r.line, 2);
        assert_eq!(r.bare_key(), Some("n"));
        assert_eq!(r.equals(), Some(()));
        assert_eq!(r.integer(), Some(42));
        assert_eq!(r.end_of_line(), Some(()));
        assert_eq!(r.bare_key(), Some("xs"));
        assert_eq!(r.equals(), Some(()));
        let mut items = Vec::new();
        let array = r.array(|r| {
            items.push(r.string()?);
            Some(())
        });
        assert_eq!(array, Some(()));
        assert_eq!(items, ["a", "b"]);
        assert_eq!(r.line, 5);
        assert_eq!(r.end_of_line(), Some(()));
        assert_eq!(r.peek(), None);
    }

    /// A broken lockfile, which the shape readers leave to the TOML readers (their
    /// `leaves_the_rest_to_the_toml_readers` tests check it), still gets the TOML readers'
    /// error, with its line.
    #[test]
    fn broken_files_keep_the_line() {
        let cargo: &dyn Extractor = &CargoLock;
        let uv: &dyn Extractor = &UvLock;
        for (ex, path, doc, line) in [
            (cargo, "Cargo.lock", CARGO0, 3),
            (cargo, "Cargo.lock", CARGO1, 3),
            (cargo, "Cargo.lock", CARGO2, 5),
            (uv, "uv.lock", UV0, 4),
            (uv, "uv.lock", UV1, 4),
            (uv, "uv.lock", UV2, 5),
        ] {
            let e = extract_bytes(ex, path, doc.as_bytes(), &[]).unwrap_err();
            assert_eq!(e.line(), Some(line), "{doc:?}: {e}");
        }
    }

    #[test]
    fn leaves_the_rest_to_the_full_readers() {
        assert!(Reader::new("a = \"\u{1}\"\n").is_none());
        assert!(Reader::new("a\rb").is_none());
        for text in ["\"a\\n\"", "'a'", "\"a\nb\"", "\"\"\"a\"\"\""] {
            let mut r = Reader::new(text).unwrap();
            assert!(
                r.string()
                    .is_none_or(|s| s.is_empty() && r.peek() == Some(b'"')),
                "{text:?}"
            );
        }
        for text in ["01", "1.5", "1e3", "-1", "1_000", "1979-05-27", ""] {
            assert!(Reader::new(text).unwrap().integer().is_none(), "{text:?}");
        }
        for text in ["[\n# c\n\"a\"]", "[\"a\" \"b\"]", "[,]", "[\"a\"\n# c\n]"] {
            let mut r = Reader::new(text).unwrap();
            assert!(r.array(|r| r.string().map(drop)).is_none(), "{text:?}");
        }
        assert!(Reader::new("=x").unwrap().bare_key().is_none());
        for text in [
            "\"a\\n\"",
            "\"a\\u00e9\"",
            "\"a\\\"",
            "\"a\nb\"",
            "'a'",
            "\"a",
        ] {
            let mut r = Reader::new(text).unwrap();
            assert!(r.skip_escaped_string().is_none(), "{text:?}");
        }
        for text in ["tru", "truex", "False", "1"] {
            assert!(Reader::new(text).unwrap().boolean().is_none(), "{text:?}");
        }
    }

    #[test]
    fn skips_poetry_escapes_and_reads_booleans() {
        let mut r = Reader::new("\"a \\\"b\\\" \\\\\" true,false").unwrap();
        assert_eq!(r.skip_escaped_string(), Some(()));
        r.skip_ws();
        assert_eq!(r.boolean(), Some(true));
        assert!(r.eat(b","));
        assert_eq!(r.boolean(), Some(false));
        assert_eq!(r.peek(), None);
    }
}
