//! The extractor interface.

use std::path::{Path, PathBuf};

use ospo_model::{Component, Diagnostic, Ecosystem, Edge, Level};

use crate::fs::FileSource;

/// Reads one file format. Implementations are stateless and pure: bytes in, components out.
pub trait Extractor: Send + Sync {
    /// A stable kebab-case id (`cargo-lock`, `npm-package-lock`), shown by `ospo extractors list`.
    fn id(&self) -> &'static str;
    /// The ecosystem of the components it reports.
    fn ecosystem(&self) -> Ecosystem;
    /// The file names or patterns it reads, for humans (`Cargo.lock (v1–v4) + Cargo.toml`).
    fn files(&self) -> &'static str;
    /// The file names it may want, declared once: the walker builds one table from every
    /// extractor's names ([`crate::dispatch::Dispatch`]) and offers a file to [`Extractor::wants`]
    /// only when its name matches one of them, so most files of a tree cost one table look-up.
    /// Every name `wants` accepts must match here (a test checks it over sample paths); a
    /// pattern may be broader than `wants`, which has the final say.
    fn names(&self) -> &'static [FileName];
    /// Whether it wants this file. `path` is relative to the scanned root and uses `/`-separated
    /// components. Called only for files whose name matches [`Extractor::names`]; it refines that
    /// (the folder a file is in, a prefix) and must stay cheap: compare names, no I/O.
    fn wants(&self, path: &Path) -> bool;
    /// Reads the file. Companion files (a manifest beside a lockfile, an included requirements
    /// file) are read through `input.fs`, never from disk directly.
    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError>;
    /// Whether the bytes of a file given explicitly, under a name `wants` does not know, are in
    /// this format (an SBOM saved as `deps.json`). Only formats with a clear signature say yes.
    fn sniff(&self, _bytes: &[u8]) -> bool {
        false
    }
}

/// A file name an extractor may want, matched against the last component of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileName {
    /// Exactly this name (`Cargo.lock`), case-sensitive.
    Is(&'static str),
    /// Any name ending with this (`.txt`), compared ASCII-case-insensitively; write it in
    /// lower case.
    EndsWith(&'static str),
}

/// What an extractor is given.
pub struct Input<'a> {
    /// The file's path relative to the scanned root.
    pub path: &'a Path,
    pub bytes: &'a [u8],
    /// Read-only access to the rest of the scanned tree (the scanned root is `""`).
    pub fs: &'a dyn FileSource,
}

impl<'a> Input<'a> {
    /// The file as UTF-8 (a leading byte-order mark is dropped).
    pub fn text(&self) -> Result<&'a str, ExtractError> {
        let bytes = self
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(self.bytes);
        // Every byte of every file read is checked: simdutf8 checks 32 bytes a step where the
        // standard library checks a word, and only a file that fails is checked again by the
        // standard library, for the place of the error.
        if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            return Ok(text);
        }
        std::str::from_utf8(bytes).map_err(|e| {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            ExtractError::Syntax {
                line: Some(u32::try_from(line + 1).unwrap_or(u32::MAX)),
                message: "the file is not valid UTF-8".into(),
            }
        })
    }

    /// The path of a file beside this one.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.path.parent().unwrap_or(Path::new("")).join(name)
    }

    /// Reads a file beside this one, if it exists and can be read. A companion that exists but
    /// cannot be read is an error the caller should report through `Extraction::diagnostics`.
    pub fn read_sibling(&self, name: &str) -> Option<Result<Vec<u8>, std::io::Error>> {
        let path = self.sibling(name);
        match self.fs.read(&path) {
            Ok(bytes) => Some(Ok(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// A diagnostic about this file.
    pub fn diagnostic(
        &self,
        origin: &str,
        level: Level,
        line: Option<u32>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(level, origin, self.path, line, message)
    }
}

/// What an extractor found in one file.
#[derive(Debug, Default)]
pub struct Extraction {
    /// Components; the project's own packages have `Relationship::Root`.
    pub components: Vec<Component>,
    /// Dependency edges by canonical purl, where the file records them.
    pub edges: Vec<Edge>,
    /// The manifest read beside the file, relative to the scanned root.
    pub manifest: Option<PathBuf>,
    /// Results from several files with the same `group` (the folder an installed environment
    /// lives in, e.g. a `node_modules` or `site-packages` folder's parent) form one project.
    /// `None`: this file is a project of its own.
    pub group: Option<PathBuf>,
    /// Entries that could not be read or resolved; the rest of the file still counts.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a whole file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The file is not in the expected format; `line` where the parser knows it.
    #[error("{message}")]
    Syntax { line: Option<u32>, message: String },
    /// The file is in a version of the format this extractor does not read.
    #[error("unsupported format version {0}")]
    Unsupported(String),
}

impl ExtractError {
    pub fn syntax(line: Option<u32>, message: impl std::fmt::Display) -> ExtractError {
        ExtractError::Syntax {
            line,
            message: message.to_string(),
        }
    }

    pub fn line(&self) -> Option<u32> {
        match self {
            ExtractError::Syntax { line, .. } => *line,
            ExtractError::Unsupported(_) => None,
        }
    }

    /// From a `serde_json` error, which knows its line.
    pub fn json(e: &serde_json::Error) -> ExtractError {
        ExtractError::syntax(u32::try_from(e.line()).ok().filter(|&l| l > 0), e)
    }

    /// From a `toml` error, which knows its byte span.
    pub fn toml(text: &str, e: &toml::de::Error) -> ExtractError {
        let line = e.span().map(|s| crate::text::line_of_offset(text, s.start));
        ExtractError::syntax(line, e.message())
    }

    /// From a `roxmltree` error, which knows its position.
    pub fn xml(e: &roxmltree::Error) -> ExtractError {
        ExtractError::syntax(Some(e.pos().row), e)
    }
}
