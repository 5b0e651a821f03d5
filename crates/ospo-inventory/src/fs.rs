//! Read-only access to the scanned tree for extractors that need companion files.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Reads files by a path relative to the scanned root.
pub trait FileSource: Send + Sync {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The names of the entries of a folder, sorted (for manifests that name members by glob).
    fn list(&self, dir: &Path) -> io::Result<Vec<String>>;
    /// Whether `dir` is a folder (one that cannot be looked at is not).
    fn is_dir(&self, dir: &Path) -> bool;
}

/// The real file system under a root, refusing paths that leave it and files over a size limit.
pub struct DiskSource {
    root: PathBuf,
    max_size: u64,
}

impl DiskSource {
    pub fn new(root: impl Into<PathBuf>, max_size: u64) -> DiskSource {
        DiskSource {
            root: root.into(),
            max_size,
        }
    }
}

/// Joins `path` to nothing, resolving `.` and `..` lexically; `None` if it leaves the root or is
/// absolute.
pub fn confine(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Whether `path` is relative and names only folders and a file (no `.`, `..`, empty part, root,
/// drive or backslash): then [`confine`] would give it back unchanged, and need not rebuild it.
pub(crate) fn is_plain(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    !bytes.is_empty()
        && !bytes.iter().any(|&b| b == b'\\' || b == b':')
        && bytes
            .split(|&b| b == b'/')
            .all(|part| !matches!(part, b"" | b"." | b".."))
}

impl FileSource for DiskSource {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        // Most paths asked for are plain (the walk's, a sibling's): joined as they are.
        let full = if is_plain(path) {
            self.root.join(path)
        } else {
            let rel = confine(path).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!("`{}` is outside the scanned folder", path.display()),
                )
            })?;
            self.root.join(rel)
        };
        let meta = std::fs::metadata(&full)?;
        if !meta.is_file() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "not a file"));
        }
        if meta.len() > self.max_size {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!("larger than the {} byte limit", self.max_size),
            ));
        }
        std::fs::read(full)
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<String>> {
        let rel = confine(dir).ok_or_else(|| io::Error::from(io::ErrorKind::PermissionDenied))?;
        let mut names = std::fs::read_dir(self.root.join(rel))?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect::<Vec<_>>();
        names.sort();
        Ok(names)
    }

    fn is_dir(&self, dir: &Path) -> bool {
        confine(dir).is_some_and(|rel| self.root.join(rel).is_dir())
    }
}

/// Files in memory, for tests and fuzzing.
#[derive(Default)]
pub struct MemorySource {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemorySource {
    pub fn new() -> MemorySource {
        MemorySource::default()
    }
    pub fn with(mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> MemorySource {
        self.files.insert(path.into(), bytes.into());
        self
    }
}

impl FileSource for MemorySource {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let rel = confine(path).ok_or_else(|| io::Error::from(io::ErrorKind::PermissionDenied))?;
        self.files
            .get(&rel)
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<String>> {
        let rel = confine(dir).ok_or_else(|| io::Error::from(io::ErrorKind::PermissionDenied))?;
        let mut names: Vec<String> = self
            .files
            .keys()
            .filter_map(|p| p.strip_prefix(&rel).ok()?.components().next())
            .filter_map(|c| c.as_os_str().to_str().map(str::to_owned))
            .collect();
        names.dedup();
        if names.is_empty() {
            return Err(io::Error::from(io::ErrorKind::NotFound));
        }
        Ok(names)
    }

    /// The scanned root, and every folder above a file.
    fn is_dir(&self, dir: &Path) -> bool {
        confine(dir).is_some_and(|rel| {
            self.files.keys().any(|p| {
                p.strip_prefix(&rel)
                    .is_ok_and(|rest| !rest.as_os_str().is_empty())
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confine_refuses_escapes() {
        assert_eq!(confine(Path::new("a/./b/../c")), Some(PathBuf::from("a/c")));
        assert_eq!(confine(Path::new("a/../../etc/passwd")), None);
        assert_eq!(confine(Path::new("/etc/passwd")), None);
    }

    proptest::proptest! {
        /// A path taken as plain is one `confine` gives back unchanged.
        #[test]
        fn plain_paths_are_their_own_confinement(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b.c", ".", "..", "", "x:y", "d\\e", "..f"]),
                1..6,
            ),
            rooted in proptest::prelude::any::<bool>(),
        ) {
            let text = format!("{}{}", if rooted { "/" } else { "" }, parts.join("/"));
            let path = Path::new(&text);
            if is_plain(path) {
                let confined = confine(path);
                proptest::prop_assert_eq!(confined.as_deref(), Some(path));
            }
        }
    }

    #[test]
    fn plain_paths_are_told_apart() {
        assert!(is_plain(Path::new("web/package.json")));
        assert!(is_plain(Path::new("..hidden/x")));
        for p in [
            "",
            "/etc/passwd",
            "a/../b",
            "./a",
            "a//b",
            "a/",
            "C:/x",
            "a\\b",
        ] {
            assert!(!is_plain(Path::new(p)), "{p}");
        }
    }
}
