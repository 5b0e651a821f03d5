//! A reader for `Cargo.lock` as Cargo writes it, straight into borrowed packages.
//!
//! Cargo writes its lockfile in a fixed shape: comments, `version = N`, then `[[package]]`
//! tables of plain strings (`name`, `version`, `source`, `checksum`) and a `dependencies` array
//! of plain strings, and for v1 a `[metadata]` table of `"checksum …" = "…"` lines. This reader
//! takes exactly that and returns `None` on anything else (another key or table, an escape, a
//! literal string, a duplicate key, a control character…), and the extractor then reads the file
//! through `toml_fast::from_str` and serde, which read all of TOML and report errors with their
//! line. It exists because building a TOML tree and deserialising it cost about 45 instructions
//! per byte of a lockfile; this costs a few, and counts lines as it goes (so no line index is
//! built either). On what it accepts the packages are the same (the tests check it on every
//! lockfile of the corpus and on generated ones).
//!
//! The low-level reading (bytes, line ends, strings, keys, integers, arrays) is
//! `toml_shape::Reader`'s, shared with the uv.lock reader; this module has Cargo's keys and tables.

use std::ops::Range;

use crate::extractors::toml_shape::{Reader, is_key_byte};

/// A `[[package]]` of the lockfile with the line of its header.
#[derive(Debug)]
pub(super) struct Package<'a> {
    pub line: u32,
    pub name: &'a str,
    pub version: &'a str,
    pub source: Option<&'a str>,
    pub checksum: Option<&'a str>,
    /// This package's entries in [`Packages::deps`].
    pub deps: Range<usize>,
}

/// What the extractor reads from a lockfile, borrowed from its text.
#[derive(Debug, Default)]
pub(super) struct Packages<'a> {
    pub list: Vec<Package<'a>>,
    /// Every package's `dependencies` entries, one after the other (one vector for the file
    /// instead of one per package).
    pub deps: Vec<&'a str>,
    /// The `[metadata]` entries whose value is a string (v1 lockfiles' checksums).
    pub metadata: Vec<(&'a str, &'a str)>,
}

impl<'a> Packages<'a> {
    pub fn deps_of(&self, p: &Package<'a>) -> &[&'a str] {
        self.deps.get(p.deps.clone()).unwrap_or_default()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Root,
    Package,
    Metadata,
}

/// A package being read: its fields as they come, checked when the next header comes.
#[derive(Default)]
struct Partial<'a> {
    line: u32,
    name: Option<&'a str>,
    version: Option<&'a str>,
    source: Option<&'a str>,
    checksum: Option<&'a str>,
    deps: Option<Range<usize>>,
}

/// Reads a lockfile in Cargo's own shape, or `None` for anything else.
pub(super) fn read(text: &str) -> Option<Packages<'_>> {
    let mut r = Reader::new(text)?;
    // A package takes about 250 bytes of a lockfile, and has about 4 dependencies.
    let mut out = Packages {
        list: Vec::with_capacity(text.len() / 256 + 1),
        deps: Vec::with_capacity(text.len() / 64 + 1),
        metadata: Vec::new(),
    };
    let mut section = Section::Root;
    let mut version_seen = false;
    let mut metadata_seen = false;
    let mut package: Option<Partial<'_>> = None;
    while let Some(b) = r.next_content()? {
        match b {
            b'[' => {
                if let Some(p) = package.take() {
                    out.list.push(finish(p)?);
                }
                let line = r.line;
                if r.eat(b"[[package]]") {
                    section = Section::Package;
                    package = Some(Partial {
                        line,
                        ..Partial::default()
                    });
                } else if !metadata_seen && r.eat(b"[metadata]") {
                    section = Section::Metadata;
                    metadata_seen = true;
                } else {
                    return None;
                }
                r.end_of_line()?;
            }
            _ => match section {
                Section::Root => {
                    if version_seen || !r.eat(b"version") {
                        return None;
                    }
                    version_seen = true;
                    r.equals()?;
                    r.integer()?;
                    r.end_of_line()?;
                }
                Section::Package => {
                    let p = package.as_mut()?;
                    // Cargo's keys, told apart by their first byte: cheaper than reading each
                    // key byte by byte, on lines that are mostly keys.
                    let key: &[u8] = match b {
                        b'n' => b"name",
                        b'v' => b"version",
                        b's' => b"source",
                        b'c' => b"checksum",
                        b'd' => b"dependencies",
                        _ => return None,
                    };
                    if !r.eat(key) || r.peek().is_some_and(is_key_byte) {
                        return None;
                    }
                    r.equals()?;
                    let slot = match key {
                        b"name" => &mut p.name,
                        b"version" => &mut p.version,
                        b"source" => &mut p.source,
                        b"checksum" => &mut p.checksum,
                        b"dependencies" if p.deps.is_none() => {
                            let start = out.deps.len();
                            r.array(|r| {
                                out.deps.push(r.string()?);
                                Some(())
                            })?;
                            p.deps = Some(start..out.deps.len());
                            r.end_of_line()?;
                            continue;
                        }
                        _ => return None,
                    };
                    if slot.is_some() {
                        return None;
                    }
                    *slot = Some(r.string()?);
                    r.end_of_line()?;
                }
                Section::Metadata => {
                    let key = if r.peek() == Some(b'"') {
                        r.string()?
                    } else {
                        r.bare_key()?
                    };
                    // Keys of this form are serde_spanned's and toml's private protocol.
                    if key.starts_with("$__") {
                        return None;
                    }
                    r.equals()?;
                    let value = r.string()?;
                    r.end_of_line()?;
                    out.metadata.push((key, value));
                }
            },
        }
    }
    if let Some(p) = package.take() {
        out.list.push(finish(p)?);
    }
    // A key twice in `[metadata]` is the `toml` crate's "duplicate key" error.
    let mut keys: Vec<&str> = out.metadata.iter().map(|&(k, _)| k).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    Some(out)
}

/// A package needs its name and version (else the typed read fails, and the `toml` crate's
/// reading reports it).
fn finish(p: Partial<'_>) -> Option<Package<'_>> {
    Some(Package {
        line: p.line,
        name: p.name?,
        version: p.version?,
        source: p.source,
        checksum: p.checksum,
        deps: p.deps.unwrap_or(0..0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::cargo::{CargoLock, Lock};
    use crate::extractors::testutil::shared_data;
    use crate::extractors::toml_shape::testing;
    use crate::toml_fast::from_str_full;
    use proptest::prelude::*;

    // Arbitrary text never panics the reader.
    testing::never_panics!(read);

    type Flat<'a> = (
        Vec<(
            u32,
            &'a str,
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Vec<&'a str>,
        )>,
        Vec<(&'a str, &'a str)>,
    );

    /// What the extractor uses of `Packages`: each package with its dependencies, and the
    /// metadata (in file order here, in key order through serde: a map either way).
    fn flat<'a>(p: &Packages<'a>) -> Flat<'a> {
        let list = p
            .list
            .iter()
            .map(|q| {
                (
                    q.line,
                    q.name,
                    q.version,
                    q.source,
                    q.checksum,
                    p.deps_of(q).to_vec(),
                )
            })
            .collect();
        let mut metadata = p.metadata.clone();
        metadata.sort_unstable();
        (list, metadata)
    }

    /// The reader, when it accepts `doc`, gives what serde gives through the `toml` crate.
    fn assert_agrees(doc: &str) {
        let Some(quick) = read(doc) else { return };
        let typed: Lock<'_> = from_str_full(doc)
            .unwrap_or_else(|e| panic!("accepted what the toml crate rejects ({e}):\n{doc}"));
        assert_eq!(flat(&quick), flat(&typed.packages(doc)), "{doc}");
    }

    /// The whole extraction is the same with and without this reader (or the same error).
    fn assert_same_extraction(doc: &str, manifest: &[u8]) {
        let companions: &[(&str, &[u8])] = &[("Cargo.toml", manifest)];
        testing::assert_same_extraction(&CargoLock, "Cargo.lock", doc, companions);
    }

    /// Every Cargo.lock of the corpus is in Cargo's shape (it is what the reader is for) and
    /// reads the same both ways, as does the whole extraction with its manifests.
    #[test]
    fn reads_every_corpus_lockfile_as_serde_does() {
        let Some(data) = shared_data() else { return };
        let mut seen = 0;
        for dir in ["cargo", "ripgrep@e402d6c", "uv"] {
            let dir = data.join("lockfiles/crates.io").join(dir);
            let doc = std::fs::read_to_string(dir.join("Cargo.lock")).unwrap();
            let manifest = std::fs::read(dir.join("Cargo.toml")).unwrap();
            let packages = read(&doc).unwrap_or_else(|| panic!("{}: not read", dir.display()));
            // As counted by grep: every package has one header.
            assert_eq!(packages.list.len(), doc.matches("\n[[package]]\n").count());
            assert_agrees(&doc);
            assert_same_extraction(&doc, &manifest);
            seen += 1;
        }
        assert_eq!(seen, 3);
    }

    #[test]
    fn reads_cargo_shapes() {
        let doc = "# This file is automatically @generated by Cargo.\r\n\
            version = 3\r\n\r\n\
            [[package]]\r\nname = \"a\"\r\nversion = \"0.1.0\"\r\n\
            dependencies = [\r\n \"b 1.0.0 (registry+https://x)\",\r\n \"c\",\r\n]\r\n\r\n\
            [[package]] # why\nname = \"b\"\nversion = \"1.0.0\"\n\
            source = \"registry+https://x\"\ndependencies = [\"c\", \"d\"]\n\n\
            [[package]]\nversion = \"2.0.0\"\nname = \"c\"\n\
            checksum = \"ab\"\ndependencies = []\n\n\
            [metadata]\n\"checksum b 1.0.0 (registry+https://x)\" = \"cd\"\n";
        let p = read(doc).unwrap();
        assert_eq!(p.list.len(), 3);
        assert_eq!(p.list[1].line, 12);
        assert_eq!(p.list[2].line, 18);
        assert_eq!(p.deps_of(&p.list[0]), ["b 1.0.0 (registry+https://x)", "c"]);
        assert_eq!(p.deps_of(&p.list[1]), ["c", "d"]);
        assert!(p.deps_of(&p.list[2]).is_empty());
        assert_eq!(p.list[2].checksum, Some("ab"));
        assert_eq!(
            p.metadata,
            [("checksum b 1.0.0 (registry+https://x)", "cd")]
        );
        assert_agrees(doc);
        assert!(read("").is_some_and(|p| p.list.is_empty() && p.metadata.is_empty()));
    }

    #[test]
    fn leaves_the_rest_to_the_toml_readers() {
        let pkg = "[[package]]\nname = \"a\"\nversion = \"1\"\n";
        let docs = [
            format!("{pkg}name = \"b\"\n"),
            format!("{pkg}dependencies = [\"x\"]\ndependencies = []\n"),
            format!("{pkg}replace = \"b\"\n"),
            format!("{pkg}source = 'lit'\n"),
            format!("{pkg}source = \"a\\u00e9\"\n"),
            format!("{pkg}source = \"\"\"x\"\"\"\n"),
            format!("{pkg}source = \"tab\u{1}\"\n"),
            format!("{pkg}dependencies = [\n # note\n \"x\",\n]\n"),
            format!("{pkg}dependencies = [\"x\" \"y\"]\n"),
            format!("{pkg}dependencies = [,]\n"),
            format!("{pkg}dependencies = \"x\"\n"),
            format!("{pkg}source = \"x\" y\n"),
            format!("{pkg}\"name\" = \"b\"\n"),
            format!("{pkg}[metadata]\na = \"1\"\n[metadata]\n"),
            format!("{pkg}[metadata]\na = \"1\"\n\"a\" = \"2\"\n"),
            format!("{pkg}[metadata]\na = 1\n"),
            format!("{pkg}[metadata]\n\"$__x\" = \"1\"\n"),
            format!("{pkg}[[patch.unused]]\nname = \"p\"\n"),
            format!("[root]\nname = \"r\"\n{pkg}"),
            format!("version = 3\nversion = 3\n{pkg}"),
            format!("version = 03\n{pkg}"),
            format!("version = 3.0\n{pkg}"),
            format!("version = \"3\"\n{pkg}"),
            format!("\u{feff}{pkg}"),
            format!("{pkg}\r"),
            format!("{pkg}# \u{7}\n"),
            "[[package]]\nname = \"a\"\n".to_owned(),
            "[[package]]\nversion = \"1\"\n".to_owned(),
            "[[ package ]]\nname = \"a\"\nversion = \"1\"\n".to_owned(),
            "[[package]] x\nname = \"a\"\nversion = \"1\"\n".to_owned(),
            "name = \"a\"\n".to_owned(),
            // Broken files (`toml_shape`'s tests check the TOML readers' error line on them).
            "[[package]]\nname = \"a\"\nversion = \"1\n".to_owned(),
            "[[package]]\nname = \"a\"\nname = \"b\"\n".to_owned(),
            "version = 3\n\n[[package]]\nname = \"a\"\nversion = 1.0.0\n".to_owned(),
        ];
        testing::assert_not_read(|doc| read(doc).is_none(), &docs);
    }

    proptest! {
        /// Generated lockfiles in Cargo's shape are read, as serde reads them, and give the same
        /// extraction as without this reader.
        #[test]
        fn agrees_on_generated_lockfiles(doc in lock_strategy()) {
            prop_assert!(read(&doc).is_some(), "{}", doc);
            assert_agrees(&doc);
            let manifest = b"[package]\nname = \"p0\"\n[dev-dependencies]\np1 = \"1\"\n";
            assert_same_extraction(&doc, manifest);
        }

        /// The same with one byte inserted, removed or replaced: what the reader accepts reads
        /// as serde reads it, and the extraction (or its error) is the same.
        #[test]
        fn agrees_on_damaged_lockfiles(
            doc in lock_strategy(),
            (at, how, byte) in crate::extractors::testutil::damage_args(),
        ) {
            let Some(doc) = crate::extractors::testutil::damage(doc, at, how, byte) else {
                return Ok(());
            };
            assert_agrees(&doc);
            assert_same_extraction(&doc, b"");
        }
    }

    /// Lockfiles as Cargo writes them (v1 with `[metadata]` checksums to v4), with what TOML
    /// lets a writer vary: one-line arrays, comments, blank lines, CRLF, key order.
    fn lock_strategy() -> impl Strategy<Value = String> {
        let source = prop_oneof![
            Just("registry+https://github.com/rust-lang/crates.io-index".to_owned()),
            Just("git+https://github.com/x/y?branch=main#abc123".to_owned()),
            Just("path+file:///tmp/x".to_owned()),
        ];
        let dep = (
            0usize..6,
            proptest::option::of(("[0-9]\\.[0-9]", proptest::option::of(source.clone()))),
        )
            .prop_map(|(n, v)| match v {
                None => format!("p{n}"),
                Some((v, None)) => format!("p{n} {v}"),
                Some((v, Some(s))) => format!("p{n} {v} ({s})"),
            });
        let package = (
            0usize..6,
            "[0-9]\\.[0-9]",
            proptest::option::of(source),
            proptest::option::of("[0-9a-f]{8}"),
            proptest::option::of((proptest::collection::vec(dep, 0..4), any::<bool>())),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(n, version, source, checksum, deps, swap, comment)| {
                let mut lines = vec![
                    format!("name = \"p{n}\""),
                    format!("version = \"{version}\""),
                ];
                if swap {
                    lines.swap(0, 1);
                }
                if let Some(s) = source {
                    lines.push(format!("source = \"{s}\""));
                }
                if let Some(c) = checksum {
                    lines.push(format!("checksum = \"{c}\""));
                }
                if let Some((deps, multiline)) = deps {
                    let quoted: Vec<String> = deps.iter().map(|d| format!("\"{d}\"")).collect();
                    if multiline {
                        let mut s = String::from("dependencies = [\n");
                        for q in quoted {
                            s.push_str(&format!(" {q},\n"));
                        }
                        s.push(']');
                        lines.push(s);
                    } else {
                        lines.push(format!("dependencies = [{}]", quoted.join(", ")));
                    }
                }
                let note = if comment { " # note" } else { "" };
                format!("[[package]]{note}\n{}\n", lines.join("\n"))
            });
        let metadata = proptest::collection::btree_map(
            "p[0-5] [0-9]\\.[0-9] \\(registry\\+x\\)",
            "[0-9a-f]{8}|<none>",
            0..4,
        );
        (
            proptest::option::of(1u8..5),
            proptest::collection::vec(package, 0..6),
            metadata,
            any::<bool>(),
        )
            .prop_map(|(version, packages, metadata, crlf)| {
                let mut doc = String::from("# This file is automatically @generated by Cargo.\n");
                if let Some(v) = version {
                    doc.push_str(&format!("version = {v}\n"));
                }
                for p in packages {
                    doc.push('\n');
                    doc.push_str(&p);
                }
                if !metadata.is_empty() {
                    doc.push_str("\n[metadata]\n");
                    for (k, v) in metadata {
                        doc.push_str(&format!("\"checksum {k}\" = \"{v}\"\n"));
                    }
                }
                if crlf { doc.replace('\n', "\r\n") } else { doc }
            })
    }
}
