//! A reader for `uv.lock` as uv writes it, straight into borrowed packages.
//!
//! uv writes its lockfile in one shape: top-level keys (`version`, `revision`,
//! `requires-python`, `resolution-markers`…), optional `[options]` and `[manifest]` tables, then
//! `[[package]]` tables whose values are plain strings, integers, booleans, one-line inline
//! tables and (multi-line) arrays of them, each followed by optional
//! `[package.optional-dependencies]`, `[package.dev-dependencies]`, `[package.metadata]` and
//! `[package.metadata.requires-dev]` tables. This reader takes exactly that and returns `None` on
//! anything else (another table, a dotted or quoted key, an escape, a literal or multi-line
//! string, a float or date, a comment inside an array, a duplicate key…), and the extractor then
//! reads the file through `toml_fast::from_str` and serde, which read all of TOML and report
//! errors with their line. Values the extractor does not use are checked (so a file the TOML
//! readers reject is never accepted here) but not kept.
//!
//! It exists because building a TOML tree, deserialising it and dropping it cost about 17
//! instructions per byte of a uv.lock, most of the extraction; this costs a few, and counts
//! lines as it goes (so no line index is built either). On what it accepts the packages are the
//! same (the tests check it on every uv.lock of the corpus and on generated ones), as in
//! `cargo/lock_reader.rs`.
//!
//! The low-level reading (bytes, line ends, strings, keys, integers, arrays, inline tables) is
//! `toml_shape::Reader`'s, shared with the Cargo.lock reader; this module adds uv's values
//! (sources, artifacts, dependencies) and its keys and tables.

use std::ops::Range;

use ospo_model::Scope;

use crate::extractors::toml_shape::Reader;

/// A `[[package]]` of the lockfile with the line of its header.
#[derive(Debug)]
pub(super) struct Package<'a> {
    pub line: u32,
    pub name: &'a str,
    pub version: Option<&'a str>,
    /// The `source` table's first entry in key order (what serde's map gives first), if any.
    pub source: Option<(&'a str, &'a str)>,
    /// The `sdist` table's `hash`.
    pub sdist: Option<&'a str>,
    /// This package's wheels' hashes in [`Lock::hashes`].
    pub wheels: Range<usize>,
    /// This package's dependencies in [`Lock::deps`]: `dependencies`, then each
    /// `optional-dependencies` group, then each `dev-dependencies` group, groups in key order.
    pub deps: Range<usize>,
}

/// A dependency: its name, the version when it names one, and how it is used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Dep<'a> {
    pub name: &'a str,
    pub version: Option<&'a str>,
    pub scope: Scope,
}

/// What the extractor reads from a lockfile, borrowed from its text.
#[derive(Debug, Default)]
pub(super) struct Lock<'a> {
    pub version: Option<i64>,
    pub packages: Vec<Package<'a>>,
    /// Every package's dependencies, one after the other.
    pub deps: Vec<Dep<'a>>,
    /// Every package's wheels' hashes, one after the other.
    pub hashes: Vec<&'a str>,
}

impl<'a> Lock<'a> {
    pub fn deps_of(&self, p: &Package<'a>) -> &[Dep<'a>] {
        self.deps.get(p.deps.clone()).unwrap_or_default()
    }
    pub fn wheels_of(&self, p: &Package<'a>) -> &[&'a str] {
        self.hashes.get(p.wheels.clone()).unwrap_or_default()
    }
}

/// Where the reader is: which table the lines below the last header belong to.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Section {
    Root,
    Options,
    Manifest,
    /// `[[package]]` and, in the order uv writes them, its sub-tables.
    Package,
    Optional,
    Dev,
    Metadata,
    RequiresDev,
}

/// A package being read: its fields as they come, checked when the next package comes.
struct Partial<'a> {
    line: u32,
    name: Option<&'a str>,
    version: Option<&'a str>,
    /// `Some` once a `source` key is read (its first entry in key order, if any).
    source: Option<Option<(&'a str, &'a str)>>,
    sdist: Option<Option<&'a str>>,
    wheels: Option<Range<usize>>,
    /// Where its dependencies start in [`Lock::deps`].
    deps_start: usize,
}

/// Reads a lockfile in uv's own shape, or `None` for anything else.
pub(super) fn read(text: &str) -> Option<Lock<'_>> {
    let mut r = Reader::new(text)?;
    // A package takes about 2000 bytes of a uv.lock, and has a few dependencies and wheels.
    let mut out = Lock {
        version: None,
        packages: Vec::with_capacity(text.len() / 2048 + 1),
        deps: Vec::with_capacity(text.len() / 512 + 1),
        hashes: Vec::with_capacity(text.len() / 256 + 1),
    };
    let mut section = Section::Root;
    let mut options_seen = false;
    let mut manifest_seen = false;
    // The keys of the table being read, for TOML's rule against a key twice.
    let mut keys: Vec<&str> = Vec::with_capacity(16);
    let mut package: Option<Partial<'_>> = None;
    // The package's `optional-dependencies` and `dev-dependencies` groups: scope, key, entries
    // (in `out.deps` after its runtime ones).
    let mut groups: Vec<(Scope, &str, Range<usize>)> = Vec::new();
    while let Some(b) = r.next_content()? {
        match b {
            b'[' => {
                let line = r.line;
                keys.clear();
                let next = if r.eat(b"[[package]]") {
                    if let Some(p) = package.take() {
                        finish(p, &mut groups, &mut out)?;
                    }
                    groups.clear();
                    package = Some(Partial {
                        line,
                        name: None,
                        version: None,
                        source: None,
                        sdist: None,
                        wheels: None,
                        deps_start: out.deps.len(),
                    });
                    Section::Package
                } else if package.is_some() {
                    // A package's sub-tables, each at most once and in uv's order.
                    let next = if r.eat(b"[package.optional-dependencies]") {
                        Section::Optional
                    } else if r.eat(b"[package.dev-dependencies]") {
                        Section::Dev
                    } else if r.eat(b"[package.metadata]") {
                        Section::Metadata
                    } else if r.eat(b"[package.metadata.requires-dev]") {
                        Section::RequiresDev
                    } else {
                        return None;
                    };
                    if next <= section {
                        return None;
                    }
                    next
                } else if !options_seen && r.eat(b"[options]") {
                    options_seen = true;
                    Section::Options
                } else if !manifest_seen && r.eat(b"[manifest]") {
                    manifest_seen = true;
                    Section::Manifest
                } else {
                    return None;
                };
                section = next;
                r.end_of_line()?;
            }
            _ => {
                let key = r.bare_key()?;
                if keys.contains(&key) {
                    return None;
                }
                keys.push(key);
                r.equals()?;
                match section {
                    Section::Root => match key {
                        "version" => out.version = Some(r.integer()?),
                        // Tables the headers above open (a key of the same name clashes).
                        "package" | "options" | "manifest" => return None,
                        _ => r.skip_value(0)?,
                    },
                    Section::Options | Section::Manifest => r.skip_value(0)?,
                    Section::Package => {
                        let p = package.as_mut()?;
                        match key {
                            "name" => p.name = Some(r.string()?),
                            "version" => p.version = Some(r.string()?),
                            "source" => p.source = Some(r.source()?),
                            "sdist" => p.sdist = Some(r.artifact()?),
                            "wheels" => {
                                let start = out.hashes.len();
                                r.array(|r| {
                                    if let Some(h) = r.artifact()? {
                                        out.hashes.push(h);
                                    }
                                    Some(())
                                })?;
                                p.wheels = Some(start..out.hashes.len());
                            }
                            "dependencies" => r.deps(&mut out.deps, Scope::Runtime)?,
                            // Sub-tables the headers above open.
                            "optional-dependencies" | "dev-dependencies" | "metadata" => {
                                return None;
                            }
                            _ => r.skip_value(0)?,
                        }
                    }
                    Section::Optional | Section::Dev => {
                        let scope = if section == Section::Optional {
                            Scope::Optional
                        } else {
                            Scope::Dev
                        };
                        let start = out.deps.len();
                        r.deps(&mut out.deps, scope)?;
                        groups.push((scope, key, start..out.deps.len()));
                    }
                    // `requires-dev` is the header above's table.
                    Section::Metadata if key == "requires-dev" => return None,
                    Section::Metadata | Section::RequiresDev => r.skip_value(0)?,
                }
                r.end_of_line()?;
            }
        }
    }
    if let Some(p) = package.take() {
        finish(p, &mut groups, &mut out)?;
    }
    Some(out)
}

/// Checks a package and adds it, with its groups' dependencies in key order (serde reads the
/// groups into a `BTreeMap`).
fn finish<'a>(
    p: Partial<'a>,
    groups: &mut [(Scope, &'a str, Range<usize>)],
    out: &mut Lock<'a>,
) -> Option<()> {
    // A package needs its name (else the typed read fails, and the TOML readers report it).
    let name = p.name?;
    // uv writes groups in key order: then their entries are already in place.
    if !in_key_order(groups) {
        let runtime_end = groups.first().map_or(out.deps.len(), |g| g.2.start);
        groups.sort_by(|a, b| (a.0 == Scope::Dev, a.1).cmp(&(b.0 == Scope::Dev, b.1)));
        let mut moved: Vec<Dep<'a>> = Vec::new();
        for g in groups.iter() {
            moved.extend_from_slice(out.deps.get(g.2.clone())?);
        }
        out.deps.truncate(runtime_end);
        out.deps.extend(moved);
    }
    out.packages.push(Package {
        line: p.line,
        name,
        version: p.version,
        source: p.source.flatten(),
        sdist: p.sdist.flatten(),
        wheels: p.wheels.unwrap_or(0..0),
        deps: p.deps_start..out.deps.len(),
    });
    Some(())
}

/// Whether the groups are optional ones then dev ones, each kind in increasing key order.
fn in_key_order(groups: &[(Scope, &str, Range<usize>)]) -> bool {
    groups
        .windows(2)
        .all(|w| (w[0].0 == Scope::Dev, w[0].1) < (w[1].0 == Scope::Dev, w[1].1))
}

/// What uv's reader adds to the shared one: the values of its lockfile.
impl<'a> Reader<'a> {
    /// A value the extractor does not use, checked: a string (no escapes), integer, boolean,
    /// array or inline table of those.
    fn skip_value(&mut self, depth: u32) -> Option<()> {
        self.skip_value_with(depth, |r| r.string().map(drop))
    }

    /// A `source` inline table of strings: its first entry in key order.
    fn source(&mut self) -> Option<Option<(&'a str, &'a str)>> {
        let mut first: Option<(&'a str, &'a str)> = None;
        self.inline_table(|r, key| {
            let value = r.string()?;
            if first.is_none_or(|(k, _)| key < k) {
                first = Some((key, value));
            }
            Some(())
        })?;
        Some(first)
    }

    /// An `sdist` or wheel inline table: its `hash`, a string when present.
    fn artifact(&mut self) -> Option<Option<&'a str>> {
        // uv's own layout of it, keys in its order (so none twice); else the general reading.
        let start = (self.pos, self.line);
        if let Some(hash) = self.uv_artifact() {
            return Some(Some(hash));
        }
        (self.pos, self.line) = start;
        let mut hash = None;
        self.inline_table(|r, key| {
            if key == "hash" {
                hash = Some(r.string()?);
                Some(())
            } else {
                r.skip_value(1)
            }
        })?;
        Some(hash)
    }

    /// `{ url = "…", hash = "…", size = N, upload-time = "…" }` (the last entry optional).
    fn uv_artifact(&mut self) -> Option<&'a str> {
        if !self.eat(b"{ url = ") {
            return None;
        }
        self.string()?;
        if !self.eat(b", hash = ") {
            return None;
        }
        let hash = self.string()?;
        if !self.eat(b", size = ") {
            return None;
        }
        self.integer()?;
        if self.eat(b", upload-time = ") {
            self.string()?;
        }
        self.eat(b" }").then_some(hash)
    }

    /// A dependency inline table in uv's own layout: `{ name = "…" }` with, in this order, an
    /// optional `version`, `source` and `marker`. Keys in this order are never twice.
    fn uv_dep(&mut self) -> Option<(&'a str, Option<&'a str>)> {
        if !self.eat(b"{ name = ") {
            return None;
        }
        let name = self.string()?;
        let version = if self.eat(b", version = ") {
            Some(self.string()?)
        } else {
            None
        };
        if self.eat(b", source = ") {
            self.inline_table(|r, _| r.skip_value(2))?;
        }
        if self.eat(b", marker = ") {
            self.string()?;
        }
        self.eat(b" }").then_some((name, version))
    }

    /// An array of dependency inline tables (`name` a string, `version` a string when present),
    /// pushed to `out` with `scope`.
    fn deps(&mut self, out: &mut Vec<Dep<'a>>, scope: Scope) -> Option<()> {
        self.array(|r| {
            // (A value inside an inline table may be an array over several lines.)
            let start = (r.pos, r.line);
            if let Some((name, version)) = r.uv_dep() {
                out.push(Dep {
                    name,
                    version,
                    scope,
                });
                return Some(());
            }
            (r.pos, r.line) = start;
            let mut name = None;
            let mut version = None;
            r.inline_table(|r, key| match key {
                "name" => {
                    name = Some(r.string()?);
                    Some(())
                }
                "version" => {
                    version = Some(r.string()?);
                    Some(())
                }
                _ => r.skip_value(1),
            })?;
            out.push(Dep {
                name: name?,
                version,
                scope,
            });
            Some(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::{damage, damage_args, shared_data};
    use crate::extractors::toml_shape::testing;
    use crate::extractors::uv::UvLock;
    use proptest::prelude::*;

    // Arbitrary text never panics the reader.
    testing::never_panics!(read);

    /// The whole extraction is the same with and without this reader (or the same error).
    fn assert_same_extraction(doc: &str, manifest: &[u8]) {
        let companions: &[(&str, &[u8])] = &[("pyproject.toml", manifest)];
        testing::assert_same_extraction(&UvLock, "uv.lock", doc, companions);
    }

    /// Every uv.lock of the corpus and of the fixtures is in uv's shape (it is what the reader
    /// is for) and gives the same extraction both ways, with its manifest.
    #[test]
    fn reads_every_corpus_lockfile_as_serde_does() {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/uv-lock");
        let mut dirs = vec![fixture.join("workspace")];
        if let Some(data) = shared_data() {
            for dir in ["flask", "uv-scripts-benchmark"] {
                dirs.push(data.join("lockfiles/PyPI").join(dir));
            }
        }
        for dir in &dirs {
            let doc = std::fs::read_to_string(dir.join("uv.lock")).unwrap();
            let manifest = std::fs::read(dir.join("pyproject.toml")).unwrap();
            let lock = read(&doc).unwrap_or_else(|| panic!("{}: not read", dir.display()));
            // As counted by grep: every package has one header.
            assert_eq!(lock.packages.len(), doc.matches("\n[[package]]\n").count());
            assert_eq!(lock.version, Some(1));
            assert_same_extraction(&doc, &manifest);
        }
    }

    #[test]
    fn reads_uv_shapes() {
        let doc = "version = 1\r\nrevision = 3\r\nresolution-markers = [\r\n    \"a\",\r\n]\r\n\r\n\
            [options]\r\nexclude-newer = \"2024-01-01T00:00:00Z\" # why\r\n\r\n\
            [manifest]\r\nmembers = [\"a\", \"b\"]\r\n\r\n\
            [[package]]\r\nname = \"a\"\r\nversion = \"1.0\"\r\n\
            source = { virtual = \".\", editable = \"x\" }\r\n\
            dependencies = [\r\n    { name = \"b\", extra = [\"x\"], marker = \"m\" },\r\n]\r\n\r\n\
            [package.optional-dependencies]\r\nzz = [{ name = \"c\" }]\r\naa = [{ name = \"d\" }]\r\n\r\n\
            [package.dev-dependencies]\r\ndev = [\r\n    { name = \"e\", version = \"2\" },\r\n]\r\n\r\n\
            [package.metadata]\r\nrequires-dist = [{ name = \"b\", specifier = \">=1\" }]\r\n\r\n\
            [package.metadata.requires-dev]\r\ndev = [{ name = \"e\" }]\r\n\r\n\
            [[package]]\nname = \"b\"\nversion = \"1\"\nsource = {}\n\
            sdist = { url = \"u\", size = 0, upload-time = \"t\" }\n\
            wheels = [{ hash = \"sha256:ab\", flag = true }, { url = \"v\" }]\n";
        let lock = read(doc).unwrap();
        assert_eq!(lock.packages.len(), 2);
        let [a, b] = &lock.packages[..] else { panic!() };
        assert_eq!((a.line, b.line), (13, 36));
        assert_eq!(a.source, Some(("editable", "x")));
        let deps: Vec<_> = lock
            .deps_of(a)
            .iter()
            .map(|d| (d.name, d.version, d.scope))
            .collect();
        assert_eq!(
            deps,
            [
                ("b", None, Scope::Runtime),
                ("d", None, Scope::Optional),
                ("c", None, Scope::Optional),
                ("e", Some("2"), Scope::Dev),
            ]
        );
        assert_eq!(b.source, None);
        assert_eq!(b.sdist, None);
        assert_eq!(lock.wheels_of(b), ["sha256:ab"]);
        assert_same_extraction(doc, b"[project]\nname = \"a\"\n");
        assert!(read("").is_some_and(|l| l.packages.is_empty() && l.version.is_none()));
        // uv's layout of a dependency begins, then leaves it after an array over two lines:
        // the general reading takes over from the start, lines still counted once.
        let doc = "version = 1\n[[package]]\nname = \"a\"\n\
            dependencies = [{ name = \"b\", source = { x = [\n\"1\"] }, extra = [] }]\n\
            [[package]]\nname = \"b\"\n";
        let lock = read(doc).unwrap();
        assert_eq!(lock.packages[1].line, 6);
        assert_eq!(lock.deps_of(&lock.packages[0])[0].name, "b");
        assert_same_extraction(doc, b"");
    }

    #[test]
    fn leaves_the_rest_to_the_toml_readers() {
        let pkg = "version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\n";
        let docs = [
            // Broken files (`toml_shape`'s tests check the TOML readers' error line on them).
            "version = 1\n[[package]]\nname = \"a\"\nversion = \"1\n".to_owned(),
            "version = 1\n[[package]]\nname = \"a\"\nname = \"b\"\n".to_owned(),
            "version = 1\n\n[[package]]\nname = \"a\"\nsdist = { hash = \"x\", hash = \"y\" }\n"
                .to_owned(),
            "version = \"1\"\n".to_owned(),
            "version = 1\nversion = 1\n".to_owned(),
            "package = 1\n".to_owned(),
            "[options]\n[options]\n".to_owned(),
            "[package.metadata]\n".to_owned(),
            "[[ package ]]\nname = \"a\"\n".to_owned(),
            "[[package]] x\nname = \"a\"\n".to_owned(),
            "\u{feff}version = 1\n".to_owned(),
            format!("{pkg}name = \"b\"\n"),
            format!("{pkg}source = {{ registry = \"x\", registry = \"y\" }}\n"),
            format!("{pkg}source = {{ registry = 1 }}\n"),
            format!("{pkg}source = {{ registry = \"x\", }}\n"),
            format!("{pkg}source = {{ registry = \"x\"\n}}\n"),
            format!("{pkg}source = \"x\"\n"),
            format!("{pkg}source = 'lit'\n"),
            format!("{pkg}version2 = \"a\\u00e9\"\n"),
            format!("{pkg}x = \"\"\"x\"\"\"\n"),
            format!("{pkg}x = 1.5\n"),
            format!("{pkg}x = 1979-05-27\n"),
            format!("{pkg}x = -1\n"),
            format!("{pkg}x = 01\n"),
            format!("{pkg}x = 1_000\n"),
            format!("{pkg}x = truely\n"),
            format!("{pkg}x = [[[[[[1]]]]]]\n"),
            format!("{pkg}a.b = \"x\"\n"),
            format!("{pkg}\"q\" = \"x\"\n"),
            format!("{pkg}dependencies = [\n # note\n {{ name = \"x\" }},\n]\n"),
            format!("{pkg}dependencies = [{{ version = \"1\" }}]\n"),
            format!("{pkg}dependencies = [\"x\"]\n"),
            format!("{pkg}dependencies = [{{ name = 1 }}]\n"),
            format!("{pkg}sdist = {{ hash = 1 }}\n"),
            format!("{pkg}sdist = []\n"),
            format!("{pkg}wheels = {{}}\n"),
            format!("{pkg}metadata = {{}}\n"),
            format!("{pkg}optional-dependencies = {{}}\n"),
            format!("{pkg}[package.dev-dependencies]\n[package.optional-dependencies]\n"),
            format!("{pkg}[package.metadata]\n[package.metadata]\n"),
            format!("{pkg}[package.metadata]\nrequires-dev = {{}}\n"),
            format!("{pkg}[package.optional-dependencies]\nx = []\nx = []\n"),
            format!("{pkg}[package.optional-dependencies]\nx = {{}}\n"),
            format!("{pkg}[package.other]\n"),
            format!("{pkg}[manifest]\n"),
            format!("{pkg}\r"),
            format!("{pkg}# \u{7}\n"),
            format!("{pkg}[[package]]\nversion = \"1\"\n"),
        ];
        testing::assert_not_read(|doc| read(doc).is_none(), &docs);
    }

    proptest! {
        /// Generated lockfiles in uv's shape are read, and give the same extraction as without
        /// this reader.
        #[test]
        fn agrees_on_generated_lockfiles(doc in lock_strategy()) {
            prop_assert!(read(&doc).is_some(), "{}", doc);
            assert_same_extraction(&doc, MANIFEST);
        }

        /// The same with one byte inserted, removed or replaced: the extraction (or its error)
        /// is the same.
        #[test]
        fn agrees_on_damaged_lockfiles(doc in lock_strategy(), (at, how, byte) in damage_args()) {
            let Some(doc) = damage(doc, at, how, byte) else {
                return Ok(());
            };
            assert_same_extraction(&doc, MANIFEST);
        }
    }

    const MANIFEST: &[u8] =
        b"[project]\nname = \"p0\"\ndependencies = [\"p1\"]\n[dependency-groups]\ndev = [\"p2\"]\n";

    /// Lockfiles as uv writes them, with what TOML lets a writer vary: one-line or multi-line
    /// arrays, comments, blank lines, CRLF, group order.
    fn lock_strategy() -> impl Strategy<Value = String> {
        let source = prop_oneof![
            Just("{ registry = \"https://pypi.org/simple\" }".to_owned()),
            Just("{ git = \"https://github.com/x/y?rev=main#abc123\" }".to_owned()),
            Just("{ virtual = \".\" }".to_owned()),
            Just("{ editable = \"packages/m\" }".to_owned()),
            Just("{ directory = \"libs/x\" }".to_owned()),
            Just("{ url = \"https://x/y.tar.gz\", subdirectory = \"s\" }".to_owned()),
            Just("{}".to_owned()),
        ];
        let dep = (
            0usize..6,
            proptest::option::of("[0-9]\\.[0-9]"),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(n, v, marker, extra)| {
                let mut s = format!("{{ name = \"P{n}\"");
                if let Some(v) = v {
                    s.push_str(&format!(
                        ", version = \"{v}\", source = {{ registry = \"r\" }}"
                    ));
                }
                if marker {
                    s.push_str(", marker = \"python_full_version < '3.11'\"");
                }
                if extra {
                    s.push_str(", extra = [\"x\", \"y\"]");
                }
                s.push_str(" }");
                s
            });
        let deps =
            (proptest::collection::vec(dep, 0..4), any::<bool>()).prop_map(|(deps, multiline)| {
                if multiline {
                    let mut s = String::from("[\n");
                    for d in deps {
                        s.push_str(&format!("    {d},\n"));
                    }
                    s.push(']');
                    s
                } else {
                    format!("[{}]", deps.join(", "))
                }
            });
        let artifact = (proptest::option::of("[0-9a-f]{8}"), 0u32..100000).prop_map(|(h, size)| {
            let hash = h.map_or(String::new(), |h| format!(", hash = \"sha256:{h}\""));
            format!("{{ url = \"https://f/x.whl\"{hash}, size = {size}, upload-time = \"2024-07-26T18:15:03.762Z\" }}")
        });
        let groups = proptest::collection::vec(("[a-z]{1,3}", deps.clone()), 0..3);
        let package = (
            0usize..6,
            proptest::option::of("[0-9]\\.[0-9]"),
            proptest::option::of(source),
            proptest::option::of(deps),
            proptest::option::of(artifact.clone()),
            proptest::option::of(proptest::collection::vec(artifact, 0..3)),
            groups.clone(),
            groups,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(n, version, source, deps, sdist, wheels, optional, dev, metadata, comment)| {
                    let note = if comment { " # note" } else { "" };
                    let mut s = format!("[[package]]{note}\nname = \"p{n}\"\n");
                    if let Some(v) = version {
                        s.push_str(&format!("version = \"{v}\"\n"));
                    }
                    if let Some(src) = source {
                        s.push_str(&format!("source = {src}\n"));
                    }
                    if let Some(d) = deps {
                        s.push_str(&format!("dependencies = {d}\n"));
                    }
                    if let Some(a) = sdist {
                        s.push_str(&format!("sdist = {a}\n"));
                    }
                    if let Some(w) = wheels {
                        s.push_str("wheels = [\n");
                        for a in w {
                            s.push_str(&format!("    {a},\n"));
                        }
                        s.push_str("]\n");
                    }
                    for (header, groups) in [("optional-dependencies", optional), ("dev-dependencies", dev)] {
                        let mut seen = std::collections::BTreeSet::new();
                        let groups: Vec<_> = groups.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect();
                        if !groups.is_empty() {
                            s.push_str(&format!("\n[package.{header}]\n"));
                            for (k, d) in groups {
                                s.push_str(&format!("{k} = {d}\n"));
                            }
                        }
                    }
                    if metadata {
                        s.push_str("\n[package.metadata]\nrequires-dist = [{ name = \"p1\", specifier = \">=1\" }]\nprovides-extras = [\"a\"]\n");
                        s.push_str("\n[package.metadata.requires-dev]\ndev = [{ name = \"p2\" }]\n");
                    }
                    s
                },
            );
        (
            proptest::option::of(0u8..3),
            any::<bool>(),
            proptest::collection::vec(package, 0..5),
            any::<bool>(),
        )
            .prop_map(|(version, options, packages, crlf)| {
                let mut doc = String::new();
                if let Some(v) = version {
                    doc.push_str(&format!("version = {v}\nrevision = 3\nrequires-python = \">=3.10\"\n"));
                }
                doc.push_str("resolution-markers = [\n    \"python_full_version >= '3.12'\",\n]\n");
                if options {
                    doc.push_str("\n[options]\nexclude-newer = \"2024-01-01T00:00:00Z\" # note\n\n[manifest]\nmembers = [\"p0\", \"p3\"]\n");
                }
                for p in packages {
                    doc.push('\n');
                    doc.push_str(&p);
                }
                if crlf { doc.replace('\n', "\r\n") } else { doc }
            })
    }
}
