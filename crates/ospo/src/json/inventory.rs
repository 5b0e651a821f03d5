//! The inventory's components and edges written straight into a buffer as pretty JSON: the
//! same bytes their `Serialize` implementations give through serde_json's pretty printer (a
//! property test holds the two together), without a formatter call per token or an escape-table
//! look-up per byte. They are most of an inventory document's bytes.
//!
//! What comes between two values (a comma, a new line, the indentation and the next field's
//! name, with the opening quote of a string value) is one slice of a table built at compile time
//! for each field name and nesting level ([`Lead`]): one copy per field.

use std::cell::RefCell;
use std::io;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Edge, HashAlgorithm, Location, Relationship, Scope, Source};

use super::{WriteJson, indent_buf as indent, string, string_rest};

/// Nesting levels [`Lead`] tables hold; deeper ones (never met in an inventory, whose
/// components sit at level 5) are written in pieces.
const LEVELS: usize = 12;

/// A comma, a new line, the indentation of each level and `text`, one row per level, laid out
/// in `rows` every `width` bytes: the start of every field but an object's first (which starts
/// one byte in, after the comma), and with `text` `}` or `]`, the end of an object or array.
pub(super) struct Lead {
    text: &'static str,
    rows: &'static [u8],
    width: usize,
}

/// Bytes [`Lead::put`] copies at once: more than the longest row (`2 + 2 * (LEVELS - 1)` bytes
/// of comma, new line and indentation, and a field name), so that a row is one fixed-size copy
/// (two vector moves, with no call to `memcpy`) and the bytes past its end are cut off after.
const BLOCK: usize = 64;

/// The rows of a [`Lead`]: `N` is `LEVELS` times the width of the deepest row, and [`BLOCK`]
/// bytes of padding after the last row.
const fn rows<const N: usize>(text: &str) -> [u8; N] {
    let t = text.as_bytes();
    let width = (N - BLOCK) / LEVELS;
    let mut rows = [b' '; N];
    let mut level = 0;
    while level < LEVELS {
        let row = level * width;
        rows[row] = b',';
        rows[row + 1] = b'\n';
        let mut i = 0;
        while i < t.len() {
            rows[row + 2 + 2 * level + i] = t[i];
            i += 1;
        }
        level += 1;
    }
    rows
}

/// The [`Lead`] of `text` (a literal), built at compile time.
macro_rules! lead {
    ($text:expr) => {{
        const TEXT: &str = $text;
        const WIDTH: usize = 2 + 2 * (LEVELS - 1) + TEXT.len();
        const ROWS: [u8; LEVELS * WIDTH + BLOCK] = rows::<{ LEVELS * WIDTH + BLOCK }>(TEXT);
        const LEAD: Lead = Lead {
            text: TEXT,
            rows: &ROWS,
            width: WIDTH,
        };
        &LEAD
    }};
}

/// The lead of a field called `$name`: `"name": `, and with `str`, the opening quote of its
/// string value too.
macro_rules! key {
    ($name:literal) => {
        lead!(concat!("\"", $name, "\": "))
    };
    ($name:literal, str) => {
        lead!(concat!("\"", $name, "\": \""))
    };
}

impl Lead {
    /// Appends the lead at `level`, without its comma when `first`. Inlined into each field's
    /// writer, where the lead is a constant: its width and text length fold away, and no call
    /// saves and restores registers around a copy of a few dozen bytes.
    #[inline(always)]
    pub(super) fn put(&self, out: &mut Vec<u8>, level: usize, first: bool) {
        let skip = usize::from(first);
        let start = level * self.width + skip;
        let len = 2 + 2 * level + self.text.len() - skip;
        match self
            .rows
            .get(start..start + BLOCK)
            .and_then(|block| <&[u8; BLOCK]>::try_from(block).ok())
        {
            Some(block) if level < LEVELS && len <= BLOCK => {
                let end = out.len() + len;
                out.extend_from_slice(block);
                out.truncate(end);
            }
            _ => {
                out.extend_from_slice(&b",\n"[skip..]);
                indent(out, level);
                out.extend_from_slice(self.text.as_bytes());
            }
        }
    }
}

/// What ends an object or an array on a line of its own.
const CLOSE_OBJECT: &Lead = lead!("}");
const CLOSE_ARRAY: &Lead = lead!("]");
/// What comes before an array element.
pub(super) const ITEM: &Lead = lead!("");

/// A pretty JSON object being written at `level` (its fields one level deeper).
struct Object<'b> {
    out: &'b mut Vec<u8>,
    level: usize,
    empty: bool,
}

impl<'b> Object<'b> {
    fn open(out: &'b mut Vec<u8>, level: usize) -> Self {
        out.push(b'{');
        Object {
            out,
            level,
            empty: true,
        }
    }

    /// The separator, indentation and name of the next field (`key` made by [`key!`]). Inlined
    /// (as are the field writers below) so that each field's lead is a constant where it is put:
    /// a call here cost more than the copy itself.
    #[inline(always)]
    fn key(&mut self, key: &Lead) -> &mut Vec<u8> {
        key.put(self.out, self.level + 1, self.empty);
        self.empty = false;
        self.out
    }

    /// A field whose value is JSON already (a quoted literal).
    #[inline(always)]
    fn raw(&mut self, key: &Lead, json: &str) {
        self.key(key).extend_from_slice(json.as_bytes());
    }

    /// A string field (`key` made by `key!(name, str)`, with the opening quote).
    #[inline(always)]
    fn str(&mut self, key: &Lead, value: &str) {
        string_rest(self.key(key), value);
    }

    /// A string field whose value needs no escaping, copied as it is (a purl's canonical form,
    /// an ecosystem's name: see the tests); checked in debug builds.
    #[inline(always)]
    fn plain(&mut self, key: &Lead, value: &str) {
        debug_assert!(super::clean(value.as_bytes()), "{value}");
        let out = self.key(key);
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    }

    /// An array field, left out when empty (as `skip_serializing_if = "Vec::is_empty"` does).
    fn array<T>(
        &mut self,
        key: &Lead,
        items: &[T],
        mut item: impl FnMut(&mut Vec<u8>, &T, usize) -> io::Result<()>,
    ) -> io::Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let level = self.level + 1;
        let out = self.key(key);
        out.push(b'[');
        for (i, x) in items.iter().enumerate() {
            ITEM.put(out, level + 1, i == 0);
            item(out, x, level + 1)?;
        }
        CLOSE_ARRAY.put(out, level, true);
        Ok(())
    }

    #[inline(always)]
    fn close(self) {
        if self.empty {
            self.out.push(b'}');
        } else {
            CLOSE_OBJECT.put(self.out, self.level, true);
        }
    }
}

/// Quoted, as JSON.
fn scope(s: Scope) -> &'static str {
    match s {
        Scope::Runtime => "\"runtime\"",
        Scope::Dev => "\"dev\"",
        Scope::Optional => "\"optional\"",
        Scope::Build => "\"build\"",
    }
}

/// Quoted, as JSON.
fn relationship(r: Relationship) -> &'static str {
    match r {
        Relationship::Root => "\"root\"",
        Relationship::Direct => "\"direct\"",
        Relationship::Transitive => "\"transitive\"",
        Relationship::Unknown => "\"unknown\"",
    }
}

/// Quoted, as JSON.
fn algorithm(a: HashAlgorithm) -> &'static str {
    match a {
        HashAlgorithm::Md5 => "\"MD5\"",
        HashAlgorithm::Sha1 => "\"SHA-1\"",
        HashAlgorithm::Sha256 => "\"SHA-256\"",
        HashAlgorithm::Sha384 => "\"SHA-384\"",
        HashAlgorithm::Sha512 => "\"SHA-512\"",
        HashAlgorithm::Blake2b256 => "\"BLAKE2b-256\"",
        HashAlgorithm::Blake3 => "\"BLAKE3\"",
    }
}

fn source(out: &mut Vec<u8>, s: &Source, level: usize) {
    let mut o = Object::open(out, level);
    match s {
        Source::Registry { url } => {
            o.raw(key!("kind"), "\"registry\"");
            if let Some(url) = url {
                o.str(key!("url", str), url);
            }
        }
        Source::Git { url, rev } => {
            o.raw(key!("kind"), "\"git\"");
            o.str(key!("url", str), url);
            if let Some(rev) = rev {
                o.str(key!("rev", str), rev);
            }
        }
        Source::Path { path } => {
            o.raw(key!("kind"), "\"path\"");
            o.str(key!("path", str), path);
        }
        Source::Url { url } => {
            o.raw(key!("kind"), "\"url\"");
            o.str(key!("url", str), url);
        }
        Source::Unknown => o.raw(key!("kind"), "\"unknown\""),
    }
    o.close();
}

fn location(out: &mut Vec<u8>, l: &Location, level: usize) -> io::Result<()> {
    // A file's components share one path: the last one written is kept escaped, with its
    // closing quote, and copied again while the next components point at the same path (the
    // cache holds the path itself, so its address cannot be another path's).
    thread_local! {
        static LAST: RefCell<Option<(Arc<Path>, Vec<u8>)>> = const { RefCell::new(None) };
    }
    let mut o = Object::open(out, level);
    let out = o.key(key!("path", str));
    LAST.with_borrow_mut(|last| {
        if let Some((path, text)) = last
            && Arc::ptr_eq(path, &l.path)
        {
            out.extend_from_slice(text);
            return Ok(());
        }
        // serde refuses a path that is not UTF-8 the same way.
        let path = l.path.to_str().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "path contains invalid UTF-8 characters",
            )
        })?;
        let mut text = last.take().map(|(_, t)| t).unwrap_or_default();
        text.clear();
        string_rest(&mut text, path);
        out.extend_from_slice(&text);
        *last = Some((l.path.clone(), text));
        Ok::<(), io::Error>(())
    })?;
    if let Some(line) = l.line {
        o.key(key!("line"))
            .extend_from_slice(itoa::Buffer::new().format(line).as_bytes());
    }
    o.close();
    Ok(())
}

impl WriteJson for Component {
    fn write_json(&self, out: &mut Vec<u8>, level: usize) -> io::Result<()> {
        let mut o = Object::open(out, level);
        o.plain(key!("purl", str), self.purl.as_str());
        o.plain(key!("ecosystem", str), self.ecosystem.osv_name());
        o.str(key!("name", str), &self.name);
        if let Some(v) = &self.version {
            o.str(key!("version", str), v);
        }
        o.raw(key!("scope"), scope(self.scope));
        o.raw(key!("relationship"), relationship(self.relationship));
        source(o.key(key!("source")), &self.source, level + 1);
        o.array(key!("hashes"), &self.hashes, |out, h, level| {
            let mut h_o = Object::open(out, level);
            h_o.raw(key!("algorithm"), algorithm(h.algorithm));
            h_o.str(key!("value", str), &h.value);
            h_o.close();
            Ok(())
        })?;
        o.array(key!("licenses"), &self.licenses, |out, l, _| {
            string(out, l);
            Ok(())
        })?;
        o.array(key!("locations"), &self.locations, location)?;
        o.close();
        Ok(())
    }
}

impl WriteJson for Edge {
    fn write_json(&self, out: &mut Vec<u8>, level: usize) -> io::Result<()> {
        let mut o = Object::open(out, level);
        o.str(key!("from", str), &self.from);
        o.str(key!("to", str), &self.to);
        o.close();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use ospo_model::{Ecosystem, Hash};
    use proptest::prelude::*;

    use super::*;

    /// What [`Object::plain`] copies as it is needs no escaping (purls: ospo-model's
    /// `canonical_strings_need_no_escaping`).
    #[test]
    fn ecosystem_names_need_no_escaping() {
        for &e in Ecosystem::ALL {
            assert!(crate::json::clean(e.osv_name().as_bytes()), "{e:?}");
        }
    }

    fn text() -> impl Strategy<Value = String> {
        // Plain names most of the time; control characters, quotes, backslashes, DEL and
        // non-ASCII often enough to meet every escape at every offset of an 8-byte word.
        prop_oneof![
            "[a-z0-9@/._-]{0,40}",
            proptest::collection::vec(
                prop_oneof![
                    Just('"'),
                    Just('\\'),
                    Just('\u{7f}'),
                    Just('é'),
                    Just('😀'),
                    (0u8..0x20).prop_map(char::from),
                    proptest::char::range('a', 'z'),
                ],
                0..40
            )
            .prop_map(|v| v.into_iter().collect()),
            any::<String>(),
        ]
    }

    fn source() -> impl Strategy<Value = Source> {
        prop_oneof![
            Just(Source::Unknown),
            proptest::option::of(text()).prop_map(|url| Source::Registry { url }),
            (text(), proptest::option::of(text())).prop_map(|(url, rev)| Source::Git { url, rev }),
            text().prop_map(|path| Source::Path { path }),
            text().prop_map(|url| Source::Url { url }),
        ]
    }

    fn component() -> impl Strategy<Value = Component> {
        (
            (
                proptest::sample::select(Ecosystem::ALL),
                "[a-z][a-z0-9-]{0,20}",
                proptest::option::of("[0-9][0-9.]{0,8}"),
                text(),
                proptest::option::of(text()),
            ),
            (
                proptest::sample::select(vec![
                    Scope::Runtime,
                    Scope::Dev,
                    Scope::Optional,
                    Scope::Build,
                ]),
                proptest::sample::select(vec![
                    Relationship::Root,
                    Relationship::Direct,
                    Relationship::Transitive,
                    Relationship::Unknown,
                ]),
                source(),
                proptest::collection::vec(
                    (
                        proptest::sample::select(vec![
                            HashAlgorithm::Md5,
                            HashAlgorithm::Sha1,
                            HashAlgorithm::Sha256,
                            HashAlgorithm::Sha384,
                            HashAlgorithm::Sha512,
                            HashAlgorithm::Blake2b256,
                            HashAlgorithm::Blake3,
                        ]),
                        text(),
                    ),
                    0..3,
                ),
                proptest::collection::vec(text(), 0..3),
                proptest::collection::vec((text(), proptest::option::of(any::<u32>())), 0..3),
            ),
        )
            .prop_map(
                |(
                    (ecosystem, purl_name, purl_version, name, version),
                    (scope, relationship, source, hashes, licenses, locations),
                )| {
                    // Some ecosystems' purls need a namespace: the purl is an npm one, the
                    // ecosystem field any.
                    let mut c = Component::new(Ecosystem::Npm, &purl_name, purl_version.as_deref())
                        .expect("a purl for a plain name");
                    c.ecosystem = ecosystem;
                    c.name = name.into();
                    c.version = version.map(Into::into);
                    c.scope = scope;
                    c.relationship = relationship;
                    c.source = source;
                    c.hashes = hashes
                        .into_iter()
                        .map(|(algorithm, value)| Hash { algorithm, value })
                        .collect();
                    c.licenses = licenses;
                    c.locations = locations
                        .into_iter()
                        .map(|(path, line)| Location {
                            path: Arc::from(PathBuf::from(path)),
                            line,
                        })
                        .collect();
                    c
                },
            )
    }

    /// serde_json's pretty printer of `value` nested `level` steps deep.
    fn serde_at<T: serde::Serialize>(value: &T, level: usize) -> String {
        let mut out = Vec::new();
        super::super::to_writer_at(&mut out, value, level).expect("serialises");
        String::from_utf8(out).expect("UTF-8")
    }

    fn direct_at<T: WriteJson>(value: &T, level: usize) -> String {
        let mut out = Vec::new();
        value.write_json(&mut out, level).expect("writes");
        String::from_utf8(out).expect("UTF-8")
    }

    proptest! {
        /// Every component, at any nesting level, is written byte for byte as serde writes it.
        #[test]
        fn components_are_written_as_serde_writes_them(c in component(), level in 0usize..80) {
            prop_assert_eq!(direct_at(&c, level), serde_at(&c, level));
        }

        #[test]
        fn edges_are_written_as_serde_writes_them(from in text(), to in text(), level in 0usize..20) {
            let e = Edge { from: Arc::from(from), to: Arc::from(to) };
            prop_assert_eq!(direct_at(&e, level), serde_at(&e, level));
        }
    }

    proptest! {
        /// Components written one after another, some sharing one path (as a file's components
        /// do) and some with paths of their own: the bytes serde writes for each, whichever path
        /// was written before.
        #[test]
        fn shared_paths_are_written_as_serde_writes_them(
            cs in proptest::collection::vec((component(), any::<bool>()), 1..6),
            shared in text(),
        ) {
            let shared: Arc<Path> = Arc::from(PathBuf::from(shared));
            for (mut c, share) in cs {
                if share {
                    for l in &mut c.locations {
                        l.path = shared.clone();
                    }
                }
                prop_assert_eq!(direct_at(&c, 5), serde_at(&c, 5));
            }
        }
    }

    /// A path that is not UTF-8 is an error, as it is for serde, not a lossy string.
    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_is_an_error() {
        use std::os::unix::ffi::OsStrExt;
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(b"bad\xff.lock"));
        let c = Component::new(Ecosystem::Npm, "a", Some("1"))
            .expect("a purl")
            .at(path, Some(1));
        let err = c.write_json(&mut Vec::new(), 0).expect_err("not UTF-8");
        assert!(err.to_string().contains("invalid UTF-8"), "{err}");
        assert!(serde_json::to_vec(&c).is_err());
    }
}
