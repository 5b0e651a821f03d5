//! A reader for `poetry.lock` as Poetry writes it, straight into borrowed packages.
//!
//! Poetry writes its lockfile in one shape: a comment, `[[package]]` tables of plain keys whose
//! values are strings (its markers hold `\"` escapes), booleans, arrays and one-line inline
//! tables (`files = [{file = "…", hash = "…"}, …]`), each followed by optional
//! `[package.dependencies]`, `[package.extras]` and `[package.source]` tables; then, in this
//! order, the optional top-level `[extras]`, `[metadata]` and, in the 1.x format,
//! `[metadata.files]`. This reader takes exactly that and returns `None`
//! on anything else (another table, a dotted key, another escape, a literal or multi-line
//! string, a float or date, a comment inside an array, a key twice…), and the extractor then
//! reads the file through `toml_fast::from_str` and serde, which read all of TOML and report
//! errors with their line. Values the extractor does not use are checked (so a file the TOML
//! readers reject is never accepted here) but not kept.
//!
//! It exists because building a TOML tree, deserialising it and dropping it cost about 22 of the
//! 31 instructions per byte of a poetry.lock. As `uv/reader.rs` for uv.lock, it builds on
//! `toml_shape::Reader`, and counts lines as it goes (so no line index is built either).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::extractors::toml_shape::Reader;

/// A `[[package]]` of the lockfile with the line of its header.
#[derive(Debug)]
pub(super) struct Package<'a> {
    pub line: u32,
    pub name: &'a str,
    pub version: &'a str,
    pub optional: bool,
    /// Whether `groups` (2.x) names `main`, when there is `groups`.
    pub groups_main: Option<bool>,
    /// Whether `category` (1.x) is `main`, when there is `category`.
    pub category_main: Option<bool>,
    /// Its `files` in [`Lock::files`].
    pub files: Range<usize>,
    pub source: Option<Source<'a>>,
    /// Its `[package.dependencies]` in [`Lock::deps`], in key order (serde reads a `BTreeMap`).
    pub deps: Range<usize>,
}

/// A `[package.source]` table.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Source<'a> {
    pub kind: Option<&'a str>,
    pub url: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub resolved_reference: Option<&'a str>,
}

/// An artifact of `files`: its name and hash, when they are there.
pub(super) type File<'a> = (Option<&'a str>, Option<&'a str>);

/// A dependency: its name, and whether it may be absent (optional, or with markers).
#[derive(Debug, Clone, Copy)]
pub(super) struct Dep<'a> {
    pub name: &'a str,
    pub optional: bool,
}

/// What the extractor reads from a lockfile, borrowed from its text.
#[derive(Debug, Default)]
pub(super) struct Lock<'a> {
    pub lock_version: Option<&'a str>,
    pub packages: Vec<Package<'a>>,
    /// Every package's files, then `[metadata.files]`' ones.
    pub files: Vec<File<'a>>,
    /// Every package's dependencies, one after the other.
    pub deps: Vec<Dep<'a>>,
    /// `[metadata.files]` (1.x): the files of each package name in [`Lock::files`].
    pub metadata_files: BTreeMap<&'a str, Range<usize>>,
}

impl<'a> Lock<'a> {
    pub fn deps_of(&self, p: &Package<'a>) -> &[Dep<'a>] {
        self.deps.get(p.deps.clone()).unwrap_or_default()
    }

    /// The package's `files`, else (1.x) its entry in `[metadata.files]`.
    pub fn files_of(&self, p: &Package<'a>) -> &[File<'a>] {
        let range = if p.files.is_empty() {
            self.metadata_files.get(p.name).cloned().unwrap_or(0..0)
        } else {
            p.files.clone()
        };
        self.files.get(range).unwrap_or_default()
    }
}

/// Where the reader is: which table the lines below the last header belong to.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    Root,
    Package,
    Dependencies,
    Extras,
    Source,
    /// The top-level `[extras]` (2.x), after the packages.
    RootExtras,
    Metadata,
    MetadataFiles,
}

/// A package being read: its fields as they come, checked when the next table comes.
#[derive(Default)]
struct Partial<'a> {
    line: u32,
    name: Option<&'a str>,
    version: Option<&'a str>,
    optional: bool,
    groups_main: Option<bool>,
    category_main: Option<bool>,
    files: Option<Range<usize>>,
    source: Option<Source<'a>>,
    /// Where its dependencies start in [`Lock::deps`].
    deps_start: usize,
    /// The sub-tables seen (a bit each), for TOML's rule against a table twice.
    tables: u8,
}

/// Reads a lockfile in Poetry's own shape, or `None` for anything else.
pub(super) fn read(text: &str) -> Option<Lock<'_>> {
    let mut r = Reader::new(text)?;
    // A package takes about 2500 bytes of a poetry.lock, with a few dependencies and files.
    let mut out = Lock {
        packages: Vec::with_capacity(text.len() / 2048 + 1),
        files: Vec::with_capacity(text.len() / 128 + 1),
        deps: Vec::with_capacity(text.len() / 512 + 1),
        ..Lock::default()
    };
    let mut section = Section::Root;
    // The keys of the table being read, for TOML's rule against a key twice.
    let mut keys: Vec<&str> = Vec::with_capacity(16);
    let mut package: Option<Partial<'_>> = None;
    while let Some(b) = r.next_content()? {
        if b == b'[' {
            let line = r.line;
            keys.clear();
            section = header(&mut r, section, &mut package, &mut out, line)?;
            r.end_of_line()?;
            continue;
        }
        let key = key(&mut r)?;
        // `[metadata.files]` keeps its keys in its map.
        if section != Section::MetadataFiles {
            if keys.contains(&key) {
                return None;
            }
            keys.push(key);
        }
        r.equals()?;
        match section {
            Section::Root => return None,
            Section::Package => package_value(&mut r, package.as_mut()?, key, &mut out)?,
            Section::Dependencies => {
                let optional = dep_spec(&mut r)?;
                out.deps.push(Dep {
                    name: key,
                    optional,
                });
            }
            Section::Extras | Section::RootExtras => skip_value(&mut r, 0)?,
            Section::Source => {
                let source = package.as_mut()?.source.get_or_insert_default();
                let field = match key {
                    "type" => &mut source.kind,
                    "url" => &mut source.url,
                    "reference" => &mut source.reference,
                    "resolved_reference" => &mut source.resolved_reference,
                    _ => {
                        skip_value(&mut r, 0)?;
                        r.end_of_line()?;
                        continue;
                    }
                };
                *field = Some(r.string()?);
            }
            Section::Metadata => match key {
                "lock-version" => out.lock_version = Some(r.string()?),
                // The header `[metadata.files]` opens this table.
                "files" => return None,
                _ => skip_value(&mut r, 0)?,
            },
            Section::MetadataFiles => {
                let files = files(&mut r, &mut out.files)?;
                if out.metadata_files.insert(key, files).is_some() {
                    return None;
                }
            }
        }
        r.end_of_line()?;
    }
    if let Some(p) = package.take() {
        finish(p, &mut out)?;
    }
    Some(out)
}

/// A table header (the reader at its `[`): the section it opens, finishing the package before
/// it when it opens another package or `[metadata]`.
fn header<'a>(
    r: &mut Reader<'a>,
    section: Section,
    package: &mut Option<Partial<'a>>,
    out: &mut Lock<'a>,
    line: u32,
) -> Option<Section> {
    let after_packages = matches!(
        section,
        Section::RootExtras | Section::Metadata | Section::MetadataFiles
    );
    if r.eat(b"[[package]]") {
        // (Valid TOML after `[metadata]` too, but not Poetry's shape.)
        if after_packages {
            return None;
        }
        if let Some(p) = package.take() {
            finish(p, out)?;
        }
        *package = Some(Partial {
            line,
            deps_start: out.deps.len(),
            ..Partial::default()
        });
        return Some(Section::Package);
    }
    if r.eat(b"[package.") {
        let p = package.as_mut().filter(|_| !after_packages)?;
        let (next, bit) = if r.eat(b"dependencies]") {
            (Section::Dependencies, 1)
        } else if r.eat(b"extras]") {
            (Section::Extras, 2)
        } else if r.eat(b"source]") {
            (Section::Source, 4)
        } else {
            return None;
        };
        if p.tables & bit != 0 {
            return None;
        }
        p.tables |= bit;
        if next == Section::Source {
            p.source = Some(Source::default());
        }
        return Some(next);
    }
    if r.eat(b"[extras]") {
        if after_packages {
            return None;
        }
        if let Some(p) = package.take() {
            finish(p, out)?;
        }
        return Some(Section::RootExtras);
    }
    if r.eat(b"[metadata]") {
        if matches!(section, Section::Metadata | Section::MetadataFiles) {
            return None;
        }
        if let Some(p) = package.take() {
            finish(p, out)?;
        }
        return Some(Section::Metadata);
    }
    // Only right after `[metadata]` (so once).
    if section == Section::Metadata && r.eat(b"[metadata.files]") {
        return Some(Section::MetadataFiles);
    }
    None
}

/// A key of a `[[package]]` table and its value.
fn package_value<'a>(
    r: &mut Reader<'a>,
    p: &mut Partial<'a>,
    key: &str,
    out: &mut Lock<'a>,
) -> Option<()> {
    match key {
        "name" => p.name = Some(r.string()?),
        "version" => p.version = Some(r.string()?),
        "optional" => p.optional = r.boolean()?,
        "category" => p.category_main = Some(r.string()? == "main"),
        "groups" => {
            let mut main = false;
            r.array(|r| {
                main |= r.string()? == "main";
                Some(())
            })?;
            p.groups_main = Some(main);
        }
        "files" => p.files = Some(files(r, &mut out.files)?),
        // Tables the headers open (Poetry never writes them inline).
        "dependencies" | "extras" | "source" => return None,
        _ => skip_value(r, 0)?,
    }
    Some(())
}

/// Checks a package (serde requires `name` and `version`) and adds it, its dependencies sorted
/// by name.
fn finish<'a>(p: Partial<'a>, out: &mut Lock<'a>) -> Option<()> {
    let deps = out.deps.get_mut(p.deps_start..)?;
    // Poetry writes them in key order: then this is one pass.
    if !deps.is_sorted_by(|a, b| a.name <= b.name) {
        deps.sort_unstable_by(|a, b| a.name.cmp(b.name));
    }
    out.packages.push(Package {
        line: p.line,
        name: p.name?,
        version: p.version?,
        optional: p.optional,
        groups_main: p.groups_main,
        category_main: p.category_main,
        files: p.files.unwrap_or(0..0),
        source: p.source,
        deps: p.deps_start..out.deps.len(),
    });
    Some(())
}

/// A bare key, or a quoted one without escapes (`"jaraco.classes"`).
fn key<'a>(r: &mut Reader<'a>) -> Option<&'a str> {
    if r.peek() == Some(b'"') {
        r.string()
    } else {
        r.bare_key()
    }
}

/// `[{file = "…", hash = "…"}, …]`, pushed to `files`: where they are there.
fn files<'a>(r: &mut Reader<'a>, files: &mut Vec<File<'a>>) -> Option<Range<usize>> {
    let start = files.len();
    r.array(|r| {
        // Poetry's own layout of it; else the general reading.
        let at = (r.pos, r.line);
        if let Some(file) = poetry_file(r) {
            files.push(file);
            return Some(());
        }
        (r.pos, r.line) = at;
        let mut file = (None, None);
        r.inline_table(|r, key| match key {
            "file" => {
                file.0 = Some(r.string()?);
                Some(())
            }
            "hash" => {
                file.1 = Some(r.string()?);
                Some(())
            }
            _ => skip_value(r, 1),
        })?;
        files.push(file);
        Some(())
    })?;
    Some(start..files.len())
}

/// `{file = "…", hash = "…"}`, as Poetry writes an artifact (its keys in this order, so none
/// twice).
fn poetry_file<'a>(r: &mut Reader<'a>) -> Option<File<'a>> {
    if !r.eat(b"{file = ") {
        return None;
    }
    let file = r.string()?;
    if !r.eat(b", hash = ") {
        return None;
    }
    let hash = r.string()?;
    r.eat(b"}").then_some((Some(file), Some(hash)))
}

/// A dependency's value (a version string, an inline table or an array of them): whether it
/// may be absent. A table's `optional = true` or `markers` says so; an array's tables all
/// `optional = true` do.
fn dep_spec(r: &mut Reader<'_>) -> Option<bool> {
    match r.peek()? {
        b'{' => {
            let (optional, markers) = dep_table(r)?;
            Some(optional.unwrap_or(false) || markers)
        }
        b'[' => {
            let mut all: Option<bool> = None;
            r.array(|r| {
                if r.peek() != Some(b'{') {
                    return skip_value(r, 1);
                }
                if let Some(optional) = dep_table(r)?.0 {
                    all = Some(all.unwrap_or(true) && optional);
                }
                Some(())
            })?;
            Some(all.unwrap_or(false))
        }
        _ => skip_value(r, 0).map(|()| false),
    }
}

/// A dependency's inline table: its `optional` when a boolean, and whether it has `markers`.
fn dep_table(r: &mut Reader<'_>) -> Option<(Option<bool>, bool)> {
    let mut optional = None;
    let mut markers = false;
    r.inline_table(|r, key| {
        if key == "optional" && matches!(r.peek(), Some(b't' | b'f')) {
            optional = Some(r.boolean()?);
            return Some(());
        }
        markers |= key == "markers";
        skip_value(r, 1)
    })?;
    Some((optional, markers))
}

/// A value the extractor does not use, checked: a string (with Poetry's escapes), integer,
/// boolean, array or inline table of those.
fn skip_value(r: &mut Reader<'_>, depth: u32) -> Option<()> {
    r.skip_value_with(depth, Reader::skip_escaped_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::poetry::PoetryLock;
    use crate::extractors::testutil::{damage, damage_args, shared_data};
    use crate::extractors::toml_shape::testing;
    use proptest::prelude::*;

    testing::never_panics!(read);

    /// The whole extraction is the same with and without this reader (or the same error).
    fn assert_same_extraction(doc: &str, manifest: &[u8]) {
        let companions: &[(&str, &[u8])] = &[("pyproject.toml", manifest)];
        testing::assert_same_extraction(&PoetryLock, "poetry.lock", doc, companions);
    }

    /// The poetry.lock files of the corpus and the fixtures, with their manifests.
    fn corpus() -> Vec<(String, Vec<u8>)> {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/poetry-lock");
        let mut dirs = vec![fixture.join("v1")];
        if let Some(data) = shared_data() {
            for dir in ["poetry", "rich"] {
                dirs.push(data.join("lockfiles/PyPI").join(dir));
            }
        }
        dirs.iter()
            .map(|dir| {
                let doc = std::fs::read_to_string(dir.join("poetry.lock")).unwrap();
                (doc, std::fs::read(dir.join("pyproject.toml")).unwrap())
            })
            .collect()
    }

    /// Every poetry.lock of the corpus and of the fixtures is in Poetry's shape (it is what the
    /// reader is for) and gives the same extraction both ways, with its manifest.
    #[test]
    fn reads_every_corpus_lockfile_as_serde_does() {
        for (doc, manifest) in corpus() {
            let lock = read(&doc).unwrap_or_else(|| panic!("not read: {}", &doc[..200]));
            // As counted by grep: every package has one header.
            assert_eq!(lock.packages.len(), doc.matches("[[package]]\n").count());
            assert!(lock.lock_version.is_some());
            assert_same_extraction(&doc, &manifest);
        }
    }

    #[test]
    fn reads_poetry_shapes() {
        let doc = "# generated\r\n\r\n[[package]]\r\nname = \"a\"\r\nversion = \"1.0\"\r\n\
            description = \"say \\\"hi\\\" \\\\ bye\"\r\noptional = true\r\n\
            groups = [\"dev\", \"main\"]\r\nmarkers = {main = \"x\"}\r\nfiles = [\r\n\
            {file = \"a-1.0-py3-none-any.whl\", hash = \"sha256:ab\"},\r\n\
            {file = \"a-1.0.tar.gz\", hash = \"sha256:cd\", size = 3},\r\n]\r\n\r\n\
            [package.dependencies]\r\nz = \"*\"\r\n\"b.c\" = {version = \">=1\", markers = \"m == \\\"1\\\"\"}\r\n\
            d = [{version = \"1\", optional = true}, {version = \"2\", optional = true, python = \"<3\"}]\r\n\
            e = {version = \"*\", optional = false, extras = [\"x\"]}\r\n\r\n\
            [package.source]\r\ntype = \"git\"\r\nurl = \"https://x/y.git\"\r\nreference = \"main\"\r\n\
            resolved_reference = \"abc\"\r\nsubdirectory = \"s\"\r\n\r\n\
            [package.extras]\r\nx = [\"e (>=1) ; python_version < \\\"3\\\"\"]\r\n\r\n\
            [[package]]\nname = \"b.c\"\nversion = \"2\"\ncategory = \"dev\"\n\
            [extras]\nx = [\"a\"]\n\
            [metadata]\nlock-version = \"1.1\"\ncontent-hash = \"x\"\n\
            [metadata.files]\n\"b.c\" = [\n    {file = \"b.c-2.tar.gz\", hash = \"sha256:ef\"},\n]\na = []\n";
        let lock = read(doc).unwrap();
        let [a, b] = &lock.packages[..] else { panic!() };
        assert_eq!((a.line, b.line), (3, 31));
        assert_eq!((a.groups_main, a.optional), (Some(true), true));
        assert_eq!(b.category_main, Some(false));
        let deps: Vec<_> = lock
            .deps_of(a)
            .iter()
            .map(|d| (d.name, d.optional))
            .collect();
        assert_eq!(
            deps,
            [("b.c", true), ("d", true), ("e", false), ("z", false)]
        );
        assert_eq!(lock.files_of(a).len(), 2);
        assert_eq!(
            lock.files_of(b),
            [(Some("b.c-2.tar.gz"), Some("sha256:ef"))]
        );
        assert_eq!(a.source.and_then(|s| s.resolved_reference), Some("abc"));
        assert_same_extraction(doc, b"[tool.poetry.dependencies]\na = \"*\"\n");
        assert!(read("").is_some_and(|l| l.packages.is_empty() && l.lock_version.is_none()));
    }

    #[test]
    fn leaves_the_rest_to_the_toml_readers() {
        let pkg = "[[package]]\nname = \"a\"\nversion = \"1\"\n";
        let docs = [
            "[[package]]\nname = \"a\"\nversion = 1\n".to_owned(),
            "[[package]]\nname = \"a\"\n".to_owned(),
            "[[package]]\nversion = \"1\"\n".to_owned(),
            "x = 1\n".to_owned(),
            "[package.dependencies]\n".to_owned(),
            "[metadata]\n[metadata]\n".to_owned(),
            "[metadata.files]\n".to_owned(),
            "[metadata]\nlock-version = 2\n".to_owned(),
            "[metadata]\nfiles = {}\n".to_owned(),
            "[metadata]\n[metadata.files]\na = []\na = []\n".to_owned(),
            "[[ package ]]\nname = \"a\"\n".to_owned(),
            format!("{pkg}name = \"b\"\n"),
            format!("{pkg}optional = \"yes\"\n"),
            format!("{pkg}groups = \"main\"\n"),
            format!("{pkg}groups = [1]\n"),
            format!("{pkg}files = [{{file = \"x\", file = \"y\"}}]\n"),
            format!("{pkg}files = [{{file = 1}}]\n"),
            format!("{pkg}files = [\"x\"]\n"),
            format!("{pkg}dependencies = {{}}\n"),
            format!("{pkg}x = \"a\\u00e9\"\n"),
            format!("{pkg}x = \"a\\\"\n"),
            format!("{pkg}x = \"\"\"x\"\"\"\n"),
            format!("{pkg}x = 'lit'\n"),
            format!("{pkg}x = 1.5\n"),
            format!("{pkg}x = [[[[[[1]]]]]]\n"),
            format!("{pkg}a.b = \"x\"\n"),
            format!("{pkg}\"a\\\"b\" = \"x\"\n"),
            format!("{pkg}[package.dependencies]\nb = \"1\"\nb = \"2\"\n"),
            format!("{pkg}[package.dependencies]\n[package.dependencies]\n"),
            format!("{pkg}[package.dependencies]\nb = {{version = \"1\", optional = tru}}\n"),
            format!("{pkg}[package.source]\ntype = 1\n"),
            format!("{pkg}[package.other]\n"),
            format!("{pkg}[metadata]\n[[package]]\nname = \"b\"\nversion = \"1\"\n"),
            format!("{pkg}[metadata]\n[package.extras]\n"),
            format!("{pkg}[extras]\n[package.extras]\n"),
            format!("{pkg}[extras]\n[extras]\n"),
            format!("{pkg}[metadata]\n[extras]\n"),
            format!("{pkg}[extras]\nx = 1.5\n"),
            format!("{pkg}# \u{7}\n"),
        ];
        testing::assert_not_read(|doc| read(doc).is_none(), &docs);
        for doc in &docs {
            assert_same_extraction(doc, b"");
        }
    }

    proptest! {
        /// Generated lockfiles in Poetry's shape are read, and give the same extraction as
        /// without this reader.
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

        /// The real files, cut short or damaged anywhere: never a panic, and the same
        /// extraction (or error) as without this reader.
        #[test]
        fn agrees_on_damaged_real_files(
            which in 0usize..3,
            cut in any::<proptest::sample::Index>(),
            (at, how, byte) in (any::<proptest::sample::Index>(), 0u8..3, any::<u8>()),
        ) {
            let files = corpus();
            let (doc, manifest) = &files[which % files.len()];
            let end = cut.index(doc.len() + 1);
            let end = (0..=end).rev().find(|&i| doc.is_char_boundary(i)).unwrap_or(0);
            let mut doc = doc[..end].to_owned();
            if byte.is_ascii()
                && let Some(d) = damage(doc.clone(), at.index(doc.len() + 1), how, byte)
            {
                doc = d;
            }
            assert_same_extraction(&doc, manifest);
        }
    }

    const MANIFEST: &[u8] = b"[tool.poetry.dependencies]\np0 = \"*\"\n[tool.poetry.group.dev.dependencies]\np2 = \"*\"\n";

    /// Lockfiles as Poetry writes them (both formats), with what TOML lets a writer vary:
    /// one-line or multi-line arrays, comments, blank lines, CRLF, key order.
    fn lock_strategy() -> impl Strategy<Value = String> {
        let spec = prop_oneof![
            Just("\"*\"".to_owned()),
            Just("{version = \">=1\", markers = \"python_version < \\\"3.11\\\"\"}".to_owned()),
            Just("{version = \"*\", optional = true}".to_owned()),
            Just("{version = \"*\", optional = false, extras = [\"a\", \"b\"]}".to_owned()),
            Just(
                "[{version = \"1\", optional = true}, {version = \"2\", python = \"<3\"}]"
                    .to_owned()
            ),
            Just(
                "[{version = \"1\", optional = true}, {version = \"2\", optional = true}]"
                    .to_owned()
            ),
            Just("{path = \"../x\", develop = true}".to_owned()),
        ];
        let file = (proptest::bool::ANY, "[0-9a-f]{8}").prop_map(|(wheel, h)| {
            let name = if wheel {
                "x-1-py3-none-any.whl"
            } else {
                "x-1.tar.gz"
            };
            format!("{{file = \"{name}\", hash = \"sha256:{h}\"}}")
        });
        let files = proptest::collection::vec(file, 0..3).prop_map(|files| {
            let mut s = String::from("[\n");
            for f in files {
                s.push_str(&format!("    {f},\n"));
            }
            s.push(']');
            s
        });
        let source = prop_oneof![
            Just(
                "type = \"git\"\nurl = \"https://x/y.git\"\nreference = \"main\"\nresolved_reference = \"abc\"\n"
            ),
            Just(
                "type = \"legacy\"\nurl = \"https://pypi.example.org/simple\"\nreference = \"internal\"\n"
            ),
            Just("type = \"directory\"\nurl = \"vendor/x\"\n"),
            Just("type = \"url\"\nurl = \"https://x/y.tar.gz\"\n"),
        ];
        let package = (
            0usize..6,
            "[0-9]\\.[0-9]",
            0u8..4,
            any::<bool>(),
            proptest::option::of(files.clone()),
            proptest::collection::btree_map(0usize..6, spec, 0..4),
            proptest::option::of(source),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(n, version, scope, optional, files, deps, source, extras, comment)| {
                    let note = if comment { " # note" } else { "" };
                    let mut s = format!("[[package]]{note}\nname = \"p{n}\"\n");
                    s.push_str(&format!("version = \"{version}\"\n"));
                    s.push_str("description = \"a \\\"quoted\\\" word\"\n");
                    s.push_str(&format!("optional = {optional}\n"));
                    match scope {
                        0 => s.push_str("category = \"main\"\n"),
                        1 => s.push_str("category = \"dev\"\n"),
                        2 => s.push_str("groups = [\"main\", \"dev\"]\n"),
                        _ => s.push_str(
                            "groups = [\"dev\"]\nmarkers = \"sys_platform == \\\"win32\\\"\"\n",
                        ),
                    }
                    if let Some(f) = files {
                        s.push_str(&format!("files = {f}\n"));
                    }
                    if !deps.is_empty() {
                        s.push_str("\n[package.dependencies]\n");
                        // Dotted names are quoted; the order is TOML's to vary.
                        for (k, v) in deps.iter().rev() {
                            let key = if k % 2 == 0 {
                                format!("p{k}")
                            } else {
                                format!("\"p.{k}\"")
                            };
                            s.push_str(&format!("{key} = {v}\n"));
                        }
                    }
                    if extras {
                        s.push_str(
                            "\n[package.extras]\nx = [\"p1 (>=1) ; python_version < \\\"3\\\"\"]\n",
                        );
                    }
                    if let Some(src) = source {
                        s.push_str(&format!("\n[package.source]\n{src}"));
                    }
                    s
                },
            );
        (
            proptest::collection::vec(package, 0..5),
            proptest::option::of("[12]\\.[0-2]"),
            proptest::collection::btree_map(0usize..6, files, 0..3),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(packages, version, v1_files, extras, crlf)| {
                let mut doc = String::from("# This file is automatically @generated by Poetry.\n");
                for p in packages {
                    doc.push('\n');
                    doc.push_str(&p);
                }
                if extras {
                    doc.push_str("\n[extras]\nx = [\"p1\", \"p2\"]\n");
                }
                doc.push_str("\n[metadata]\n");
                if let Some(v) = version {
                    doc.push_str(&format!("lock-version = \"{v}\"\n"));
                }
                doc.push_str("python-versions = \">=3.8\"\ncontent-hash = \"ab\"\n");
                if !v1_files.is_empty() {
                    doc.push_str("\n[metadata.files]\n");
                    for (k, f) in v1_files {
                        doc.push_str(&format!("p{k} = {f}\n"));
                    }
                }
                if crlf { doc.replace('\n', "\r\n") } else { doc }
            })
    }
}
