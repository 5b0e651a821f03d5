//! Test helpers shared by the extractor tests.

use std::path::{Path, PathBuf};

use ospo_model::{Component, Ecosystem, Project};

use crate::fs::{DiskSource, FileSource, MemorySource};
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

/// `like`, reading its files with `read` instead: how a test runs one of a format's readers
/// alone (the fast one, or the general one behind it) to compare them.
pub struct Reading {
    pub like: &'static dyn Extractor,
    pub read: fn(&Input<'_>) -> Result<Extraction, ExtractError>,
}

impl Extractor for Reading {
    fn id(&self) -> &'static str {
        self.like.id()
    }
    fn ecosystem(&self) -> Ecosystem {
        self.like.ecosystem()
    }
    fn files(&self) -> &'static str {
        self.like.files()
    }
    fn names(&self) -> &'static [FileName] {
        self.like.names()
    }
    fn wants(&self, path: &Path) -> bool {
        self.like.wants(path)
    }
    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        (self.read)(input)
    }
}

/// The shared test data folder (`OSPO_TEST_DATA`, else `../shared/data` beside the workspace),
/// or `None` with a message when it is missing.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("OSPO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: shared test data not found at {} (set OSPO_TEST_DATA)",
            dir.display()
        );
        None
    }
}

/// Runs an extractor on a file of the shared lockfile corpus (path relative to `lockfiles/`),
/// with companions read from the same folder, and returns the normalised project.
pub fn extract_shared(ex: &dyn Extractor, rel: &str) -> Option<(Extraction, Project)> {
    let root = shared_data()?.join("lockfiles");
    Some(extract_from(ex, &root, Path::new(rel)))
}

/// Runs an extractor on `testdata/<path>` of this crate.
pub fn extract_testdata(ex: &dyn Extractor, rel: &str) -> (Extraction, Project) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    extract_from(ex, &root, Path::new(rel))
}

fn extract_from(ex: &dyn Extractor, root: &Path, rel: &Path) -> (Extraction, Project) {
    assert!(ex.wants(rel), "{} does not want {}", ex.id(), rel.display());
    let fs = DiskSource::new(root, u64::MAX);
    let bytes = fs.read(rel).unwrap();
    let input = Input {
        path: rel,
        bytes: &bytes,
        fs: &fs,
    };
    let extraction = ex
        .extract(&input)
        .unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
    let project = to_project(ex, rel, &extraction);
    (extraction, project)
}

/// Runs an extractor on bytes in memory, with optional companion files.
pub fn extract_bytes(
    ex: &dyn Extractor,
    path: &str,
    bytes: &[u8],
    companions: &[(&str, &[u8])],
) -> Result<Extraction, crate::ExtractError> {
    let mut fs = MemorySource::new();
    for (p, b) in companions {
        fs = fs.with(*p, *b);
    }
    ex.extract(&Input {
        path: Path::new(path),
        bytes,
        fs: &fs,
    })
}

/// Asserts that two extractors (two readers of one format) give the same extraction, or the
/// same error, for `bytes` with the same companion files.
pub fn assert_same(
    a: &dyn Extractor,
    b: &dyn Extractor,
    path: &str,
    bytes: &[u8],
    companions: &[(&str, &[u8])],
) {
    assert_eq!(
        format!("{:?}", extract_bytes(a, path, bytes, companions)),
        format!("{:?}", extract_bytes(b, path, bytes, companions)),
        "{}",
        String::from_utf8_lossy(bytes)
    );
}

/// The error an extractor gives for bytes in memory (no companion files); panics if it reads them.
pub fn extract_err(ex: &dyn Extractor, path: &str, bytes: &[u8]) -> crate::ExtractError {
    match extract_bytes(ex, path, bytes, &[]) {
        Ok(_) => panic!("{} read {path} without an error", ex.id()),
        Err(e) => e,
    }
}

pub fn to_project(ex: &dyn Extractor, rel: &Path, extraction: &Extraction) -> Project {
    let mut project = Project {
        extractor: ex.id().to_owned(),
        ecosystem: ex.ecosystem(),
        path: rel.to_owned(),
        manifest: extraction.manifest.clone(),
        components: extraction.components.clone(),
        edges: extraction.edges.clone(),
    };
    project.normalise();
    project
}

/// The canonical purls of a project's components.
pub fn purls(project: &Project) -> Vec<String> {
    project
        .components
        .iter()
        .map(|c| c.purl.to_string())
        .collect()
}

/// The first component of an extraction with this native name (file order).
pub fn get<'a>(ex: &'a Extraction, name: &str) -> &'a Component {
    ex.components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

/// The component of a project with this canonical purl.
pub fn find<'a>(p: &'a Project, purl: &str) -> &'a Component {
    p.components
        .iter()
        .find(|c| c.purl.as_str() == purl)
        .unwrap_or_else(|| panic!("{purl} missing from {:#?}", purls(p)))
}

/// Where, how and with what byte [`damage`] damages a document: quotes, brackets, separators,
/// line ends.
pub fn damage_args() -> impl proptest::strategy::Strategy<Value = (usize, u8, u8)> {
    (
        0usize..4096,
        0u8..3,
        proptest::sample::select(b"\"'[]{}=,.#\n\r\\ -0a".to_vec()),
    )
}

/// `doc` with one byte inserted (`how` 0), removed (1) or replaced (2) at `at` (taken modulo
/// its length), or `None` when that leaves it not UTF-8.
pub fn damage(doc: String, at: usize, how: u8, byte: u8) -> Option<String> {
    let mut bytes = doc.into_bytes();
    let at = at % (bytes.len() + 1);
    match how {
        0 => bytes.insert(at, byte),
        1 if at < bytes.len() => {
            bytes.remove(at);
        }
        _ if at < bytes.len() => bytes[at] = byte,
        _ => {}
    }
    String::from_utf8(bytes).ok()
}
