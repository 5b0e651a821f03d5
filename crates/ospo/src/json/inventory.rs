//! The inventory's components and edges written straight into a buffer as pretty JSON: the
//! same bytes their `Serialize` implementations give through serde_json's pretty printer (a
//! property test holds the two together), without a formatter call per token or an escape-table
//! look-up per byte. They are most of an inventory document's bytes.

use std::io;

use ospo_model::{Component, Edge, HashAlgorithm, Location, Relationship, Scope, Source};

use super::{WriteJson, indent_buf as indent, string};

/// `"name": `, the way [`Object::key`] takes a field's name.
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\": ")
    };
}

/// A comma, a new line and indentation for up to [`MAX_LEAD`] levels: the start of every field
/// but the first (which starts one byte in).
const LEAD: [u8; 2 + 2 * MAX_LEAD] = {
    let mut t = [b' '; 2 + 2 * MAX_LEAD];
    t[0] = b',';
    t[1] = b'\n';
    t
};
const MAX_LEAD: usize = 32;

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

    /// The separator, indentation and `"key": ` of the next field (`key` written so, by
    /// [`key!`]): two copies where the level allows.
    fn key(&mut self, key: &str) -> &mut Vec<u8> {
        let first = usize::from(self.empty);
        self.empty = false;
        match LEAD.get(first..2 + 2 * (self.level + 1)) {
            Some(lead) => self.out.extend_from_slice(lead),
            None => {
                self.out.extend_from_slice(&LEAD[first..2]);
                indent(self.out, self.level + 1);
            }
        }
        self.out.extend_from_slice(key.as_bytes());
        self.out
    }

    /// A field whose value is JSON already (a quoted literal).
    fn raw(&mut self, key: &str, json: &str) {
        self.key(key).extend_from_slice(json.as_bytes());
    }

    fn str(&mut self, key: &str, value: &str) {
        string(self.key(key), value);
    }

    /// An array field, left out when empty (as `skip_serializing_if = "Vec::is_empty"` does).
    fn array<T>(
        &mut self,
        key: &str,
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
            out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            indent(out, level + 1);
            item(out, x, level + 1)?;
        }
        out.push(b'\n');
        indent(out, level);
        out.push(b']');
        Ok(())
    }

    fn close(self) {
        if !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.level);
        }
        self.out.push(b'}');
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
                o.str(key!("url"), url);
            }
        }
        Source::Git { url, rev } => {
            o.raw(key!("kind"), "\"git\"");
            o.str(key!("url"), url);
            if let Some(rev) = rev {
                o.str(key!("rev"), rev);
            }
        }
        Source::Path { path } => {
            o.raw(key!("kind"), "\"path\"");
            o.str(key!("path"), path);
        }
        Source::Url { url } => {
            o.raw(key!("kind"), "\"url\"");
            o.str(key!("url"), url);
        }
        Source::Unknown => o.raw(key!("kind"), "\"unknown\""),
    }
    o.close();
}

fn location(out: &mut Vec<u8>, l: &Location, level: usize) -> io::Result<()> {
    // serde refuses a path that is not UTF-8 the same way.
    let path = l.path.to_str().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "path contains invalid UTF-8 characters",
        )
    })?;
    let mut o = Object::open(out, level);
    o.str(key!("path"), path);
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
        o.str(key!("purl"), self.purl.as_str());
        o.str(key!("ecosystem"), self.ecosystem.osv_name());
        o.str(key!("name"), &self.name);
        if let Some(v) = &self.version {
            o.str(key!("version"), v);
        }
        o.raw(key!("scope"), scope(self.scope));
        o.raw(key!("relationship"), relationship(self.relationship));
        source(o.key(key!("source")), &self.source, level + 1);
        o.array(key!("hashes"), &self.hashes, |out, h, level| {
            let mut h_o = Object::open(out, level);
            h_o.raw(key!("algorithm"), algorithm(h.algorithm));
            h_o.str(key!("value"), &h.value);
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
        o.str(key!("from"), &self.from);
        o.str(key!("to"), &self.to);
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
                    c.name = name;
                    c.version = version;
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
        fn edges_are_written_as_serde_writes_them(from in text(), to in text(), level in 0usize..12) {
            let e = Edge { from: Arc::from(from), to: Arc::from(to) };
            prop_assert_eq!(direct_at(&e, level), serde_at(&e, level));
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
