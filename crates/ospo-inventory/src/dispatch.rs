//! Which extractors want a file: one table from every extractor's declared
//! [`names`](crate::Extractor::names), built once per scan.
//!
//! A tree is mostly files no extractor reads, so the question is asked hundreds of thousands of
//! times. The table answers it from the file name alone (one hash look-up on the exact names, a
//! few suffix comparisons), without allocating; only the extractors whose names match are asked
//! [`wants`](crate::Extractor::wants), which has the final say.

use crate::HashMap;
use std::path::Path;

use crate::{Extractor, FileName};

/// Up to this many extractors (a bit each in a candidate set).
const MAX: usize = 128;

/// The extractors of a registry, indexed by the file names they declare.
pub struct Dispatch {
    extractors: Vec<&'static dyn Extractor>,
    /// Exact name → the extractors (bits by registry position) that declare it.
    exact: HashMap<&'static [u8], u128>,
    /// Lower-case suffix → the extractors that declare it.
    suffixes: Vec<(&'static [u8], u128)>,
}

impl Dispatch {
    /// The table for these extractors, asked in this order. Extractors past the 128th are never
    /// offered a file (a test keeps the registry well below that).
    pub fn new(extractors: &[&'static dyn Extractor]) -> Dispatch {
        let extractors: Vec<_> = extractors.iter().copied().take(MAX).collect();
        let mut exact: HashMap<&'static [u8], u128> = HashMap::default();
        let mut suffixes: Vec<(&'static [u8], u128)> = Vec::new();
        for (i, ex) in extractors.iter().enumerate() {
            let bit = 1u128 << i;
            for name in ex.names() {
                match *name {
                    FileName::Is(n) => *exact.entry(n.as_bytes()).or_default() |= bit,
                    FileName::EndsWith(s) => {
                        match suffixes.iter_mut().find(|(x, _)| *x == s.as_bytes()) {
                            Some((_, bits)) => *bits |= bit,
                            None => suffixes.push((s.as_bytes(), bit)),
                        }
                    }
                }
            }
        }
        Dispatch {
            extractors,
            exact,
            suffixes,
        }
    }

    /// The table for [`crate::REGISTRY`].
    pub fn registry() -> Dispatch {
        Dispatch::new(crate::REGISTRY)
    }

    /// Whether any extractor declares a file of this name: the walk's first test of a file,
    /// before it works out the file's path.
    pub fn may_want(&self, name: &std::ffi::OsStr) -> bool {
        self.candidates(name.as_encoded_bytes()) != 0
    }

    /// The extractors that declare this file name, one bit each: the cheap first test.
    fn candidates(&self, name: &[u8]) -> u128 {
        let mut bits = self.exact.get(name).copied().unwrap_or(0);
        for (suffix, b) in &self.suffixes {
            let tail = name
                .len()
                .checked_sub(suffix.len())
                .and_then(|at| name.get(at..));
            if tail.is_some_and(|t| t.eq_ignore_ascii_case(suffix)) {
                bits |= b;
            }
        }
        bits
    }

    /// The extractors that want `path` (relative to the scanned root), in table order. Allocates
    /// only when one does.
    pub fn wanting(&self, path: &Path) -> Vec<&'static dyn Extractor> {
        let Some(name) = path.file_name() else {
            return Vec::new();
        };
        let mut bits = self.candidates(name.as_encoded_bytes());
        let mut out = Vec::new();
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if let Some(ex) = self.extractors.get(i)
                && ex.wants(path)
            {
                out.push(*ex);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::REGISTRY;
    use crate::extractors::SAMPLE_PATHS;
    use proptest::prelude::*;

    /// What the walk asked before the table: every extractor, one by one.
    fn brute_force(path: &Path) -> Vec<&'static str> {
        REGISTRY
            .iter()
            .filter(|e| e.wants(path))
            .map(|e| e.id())
            .collect()
    }

    fn table(d: &Dispatch, path: &Path) -> Vec<&'static str> {
        d.wanting(path).iter().map(|e| e.id()).collect()
    }

    /// Names no extractor reads, and near misses of names they do.
    const OTHER_PATHS: &[&str] = &[
        "README.md",
        "src/main.rs",
        "a/b/c/file12.json",
        "Cargo.toml",
        "cargo.lock",
        "package.json",
        "x/package.json",
        "node_modules/a/lib/package.json",
        "node_modules/a/node_modules/.package-lock.json",
        "notes.txt",
        "x.egg-info/requires.txt",
        "requirements.in",
        "pyproject.toml",
        "gradle.lockfile.bak",
        "other/compileClasspath.lockfile",
        "src/foo.egg-info/PKG-INFO",
        "docs/METADATA",
        "modules.txt",
        "go.sum",
        "pom.xml.orig",
        "yarn.lock.json",
        "",
        ".git",
    ];

    /// Paths the extractors' own tests say they want, with odd cases.
    const MORE_WANTED: &[&str] = &[
        "sub/buildscript-gradle.lockfile",
        "gradle/dependency-locks/compileClasspath.lockfile",
        "a/pylock.dev.toml",
        "requirements/main.txt",
        "a/REQUIREMENTS-DEV.TXT",
        "Requirements/Base.TXT",
        "dist/app.cdx.json",
        "SBOM.CDX.JSON",
        "BOM.json",
        "x/app-cyclonedx.json",
        "x/my-bom.json",
        "a/app.cdx.xml",
        "BOM.XML",
        "a/app.spdx",
        "A.SPDX.JSON",
        "venv/Lib/site-packages/six-1.16.0-py3.11.egg-info/PKG-INFO",
        "site-packages/six-1.16.0-py2.7.egg-info",
        "web/node_modules/.package-lock.json",
        "node_modules/@s/a/package.json",
        "gems.locked",
        "vendor/modules.txt",
    ];

    #[test]
    fn the_table_and_wants_agree_on_sample_and_other_paths() {
        let d = Dispatch::registry();
        for p in SAMPLE_PATHS.iter().chain(OTHER_PATHS).chain(MORE_WANTED) {
            let p = Path::new(p);
            assert_eq!(table(&d, p), brute_force(p), "{}", p.display());
        }
        for p in SAMPLE_PATHS.iter().chain(MORE_WANTED) {
            assert!(!table(&d, Path::new(p)).is_empty(), "nobody wants {p}");
        }
        for p in OTHER_PATHS {
            let p = Path::new(p);
            assert!(table(&d, p).is_empty(), "{} is wanted", p.display());
        }
    }

    #[test]
    fn the_registry_fits_the_table() {
        assert!(REGISTRY.len() <= MAX);
    }

    #[test]
    fn every_declared_suffix_is_lower_case() {
        for ex in REGISTRY {
            for name in ex.names() {
                if let FileName::EndsWith(s) = name {
                    assert_eq!(*s, s.to_ascii_lowercase(), "{}", ex.id());
                }
            }
        }
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "requirements",
            "constraints",
            "Requirements",
            "REQ",
            ".txt",
            ".TXT",
            ".toml",
            "pylock",
            ".lockfile",
            "gradle",
            "dependency-locks",
            "bom",
            "BOM",
            ".json",
            ".xml",
            ".cdx",
            ".spdx",
            "cyclonedx",
            "-",
            ".",
            "site-packages",
            "dist-packages",
            ".dist-info",
            ".egg-info",
            "METADATA",
            "PKG-INFO",
            "node_modules",
            "@s",
            "package.json",
            ".package-lock.json",
            "vendor",
            "modules.txt",
            "Cargo.lock",
            "a",
            "/",
        ])
        .prop_map(str::to_owned)
    }

    proptest! {
        /// The table never hides a file from an extractor that wants it, nor offers one it does
        /// not: over paths assembled from the pieces extractors look at.
        #[test]
        fn the_table_and_wants_agree(parts in prop::collection::vec(fragment(), 1..8)) {
            let d = Dispatch::registry();
            let path = parts.concat();
            let p = Path::new(&path);
            prop_assert_eq!(table(&d, p), brute_force(p));
            // The walk's first test, on the name alone, never turns away a wanted file.
            if !brute_force(p).is_empty() {
                prop_assert!(p.file_name().is_some_and(|n| d.may_want(n)), "{}", path);
            }
        }
    }

    #[test]
    fn the_name_test_turns_away_no_wanted_path() {
        let d = Dispatch::registry();
        for p in SAMPLE_PATHS.iter().chain(MORE_WANTED) {
            let name = Path::new(p).file_name().expect("a file name");
            assert!(d.may_want(name), "{p}");
        }
        assert!(!d.may_want(std::ffi::OsStr::new("README.md")));
    }
}
