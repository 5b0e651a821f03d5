//! The one parallel walk that serves every extractor.
//!
//! Walks each path given (honouring `.gitignore` and `.ignore` unless told not to, and
//! `.ospoignore` always), finds the extractors that want each file from one table of their
//! declared names ([`Dispatch`]), reads wanted files once, runs the extractors on the walk's
//! threads, and groups what they found into projects, repositories (folders with `.git`) and one
//! portfolio. Nothing here stops a scan: an unreadable folder, a symlink loop, a file over the size
//! limit, a file no extractor can parse, even a panicking extractor, becomes a diagnostic.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ignore::{WalkBuilder, WalkState};
use ospo_model::{Diagnostic, Level, Portfolio, Project, Repository};
use rayon::prelude::*;
use std::sync::Arc;

use crate::fs::{DiskSource, FileSource};
use crate::{Dispatch, Extraction, Extractor, Input, REGISTRY};

/// How to walk.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Read files that `.gitignore`/`.ignore` exclude (installed `node_modules`, virtualenvs…).
    pub no_ignore: bool,
    /// Follow symbolic links (loops are detected and reported).
    pub follow_links: bool,
    /// Files larger than this are reported and skipped.
    pub max_file_size: u64,
    /// Walker threads; 0 means one per core.
    pub threads: usize,
    /// Walk and read every wanted file but run no extractor: the baseline the benchmarks compare
    /// a whole scan against.
    pub read_only: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            no_ignore: false,
            follow_links: false,
            max_file_size: 256 * 1024 * 1024,
            threads: 0,
            read_only: false,
        }
    }
}

/// Counters a progress display can read while a scan runs.
#[derive(Debug, Default)]
pub struct ScanProgress {
    /// Files and folders visited.
    pub entries: AtomicU64,
    /// Files read by at least one extractor.
    pub files_read: AtomicU64,
    /// Bytes of those files.
    pub bytes_read: AtomicU64,
}

/// One extractor's result for one file, before grouping.
struct FileResult {
    /// Path relative to the scanned root.
    rel: PathBuf,
    extractor: &'static dyn Extractor,
    outcome: Result<Extraction, Diagnostic>,
}

/// A file the walk found that some extractors want.
struct Wanted {
    /// Path relative to the scanned root.
    rel: PathBuf,
    extractors: Vec<&'static dyn Extractor>,
}

/// A repository the walk found, not yet read: its files and the walk's diagnostics in it.
struct Found {
    /// The path given on the command line that it was found under.
    scan_root: PathBuf,
    /// Its place under `scan_root` (empty for `scan_root` itself).
    rel: PathBuf,
    name: Option<String>,
    files: Vec<Wanted>,
    diagnostics: Vec<Diagnostic>,
}

enum Job {
    /// Found by a walk: read and extracted when its turn comes.
    Found(Found),
    /// A single file given on the command line, read already.
    Built(Repository),
}

impl Job {
    /// Where the repository's `path` will be: the order repositories come in.
    fn path(&self) -> PathBuf {
        match self {
            Job::Found(f) => f.scan_root.join(&f.rel),
            Job::Built(r) => r.path.clone(),
        }
    }
}

/// The result of walking every path of a scan: the repositories found, in output order, each
/// still to be read. [`Walk::each`] reads and extracts them a few at a time, so a scan's memory
/// follows its largest repositories, not the whole portfolio.
pub struct Walk {
    jobs: Vec<Job>,
    /// Diagnostics that belong to no repository (a path that does not exist).
    pub diagnostics: Vec<Diagnostic>,
}

/// Scans every path and returns the portfolio. Paths that do not exist are diagnostics.
pub fn scan(paths: &[PathBuf], opts: &ScanOptions, progress: &ScanProgress) -> Portfolio {
    let mut walk = walk(paths, opts, progress);
    let mut portfolio = Portfolio {
        repositories: Vec::new(),
        diagnostics: std::mem::take(&mut walk.diagnostics),
    };
    let _ = walk.each(opts, progress, |repo| {
        portfolio.repositories.push(repo);
        Ok::<(), std::convert::Infallible>(())
    });
    portfolio
}

/// Walks every path (reading nothing yet): the repositories found, sorted by path, and the
/// diagnostics of paths that do not exist.
pub fn walk(paths: &[PathBuf], opts: &ScanOptions, progress: &ScanProgress) -> Walk {
    let mut jobs = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk_dir(path, opts, progress, &mut jobs);
        } else if path.is_file() {
            let mut repositories = Vec::new();
            scan_file(path, opts, progress, &mut repositories, &mut diagnostics);
            jobs.extend(repositories.into_iter().map(Job::Built));
        } else {
            diagnostics.push(Diagnostic::new(
                Level::Error,
                "walk",
                path,
                None,
                "no such file or folder",
            ));
        }
    }
    // Stable: a folder given twice keeps the order it was given in.
    jobs.sort_by_cached_key(Job::path);
    diagnostics.sort();
    Walk { jobs, diagnostics }
}

impl Walk {
    /// Reads, extracts and builds each repository, handing them to `each` in order as they are
    /// done; a few are built at a time, on every core. Stops at the first error `each` returns.
    pub fn each<E>(
        self,
        opts: &ScanOptions,
        progress: &ScanProgress,
        mut each: impl FnMut(Repository) -> Result<(), E>,
    ) -> Result<(), E> {
        // A repository per core at once: each one's files are read and extracted on every core
        // too, so that one large repository does not leave a core idle; more at once only
        // holds more inventories in memory (twice as many: 88 against 65 MB on the
        // 40-repository bench tree, and more system time spent on fresh pages).
        let window = rayon::current_num_threads().max(1);
        let mut jobs = self.jobs.into_iter().peekable();
        while jobs.peek().is_some() {
            let batch: Vec<Job> = jobs.by_ref().take(window).collect();
            let built: Vec<Repository> = batch
                .into_par_iter()
                .map(|job| match job {
                    Job::Built(r) => r,
                    Job::Found(f) => build_found(f, opts, progress),
                })
                .collect();
            for repo in built {
                each(repo)?;
            }
        }
        Ok(())
    }
}

/// A single file given on the command line: the extractors that want its name read it, and when
/// none does, one that recognises its content (an SBOM under any name).
fn scan_file(
    path: &Path,
    opts: &ScanOptions,
    progress: &ScanProgress,
    repositories: &mut Vec<Repository>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = PathBuf::from(path.file_name().unwrap_or_default());
    let fs = DiskSource::new(dir, opts.max_file_size);
    let mut wanting = Dispatch::registry().wanting(&name);
    let bytes = match fs.read(&name) {
        Ok(b) => b,
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                Level::Error,
                "walk",
                path,
                None,
                e.to_string(),
            ));
            return;
        }
    };
    if wanting.is_empty() {
        wanting = REGISTRY
            .iter()
            .copied()
            .filter(|e| e.sniff(&bytes))
            .collect();
    }
    if wanting.is_empty() {
        diagnostics.push(Diagnostic::new(
            Level::Error,
            "walk",
            path,
            None,
            "no extractor reads this file (see `ospo extractors list`)",
        ));
        return;
    }
    progress.files_read.fetch_add(1, Ordering::Relaxed);
    let results = wanting
        .into_iter()
        .map(|ex| run_extractor(ex, &name, &bytes, &fs))
        .collect();
    let repo_name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    repositories.push(build_repository(
        dir,
        repo_name,
        Path::new(""),
        results,
        Vec::new(),
    ));
}

/// The file, in `.gitignore` syntax, that takes paths out of every scan.
pub const IGNORE_FILE: &str = ".ospoignore";

/// Walks one folder in parallel: the wanted files, grouped by the deepest repository (a folder
/// with `.git`) holding each; what is in none belongs to the folder itself, which is a
/// repository of its own only if it has something to show.
fn walk_dir(root: &Path, opts: &ScanOptions, progress: &ScanProgress, jobs: &mut Vec<Job>) {
    let wanted: Mutex<Vec<Wanted>> = Mutex::new(Vec::new());
    let diagnostics: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let repo_roots: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(opts.follow_links)
        .git_ignore(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .parents(!opts.no_ignore)
        // No ambient configuration: the user's global gitignore must not change a scan.
        .git_global(false)
        .require_git(false)
        // `.ospoignore` scopes the scan itself (test fixtures, vendored examples), so unlike
        // `.gitignore` it still applies under `--no-ignore`.
        .add_custom_ignore_filename(IGNORE_FILE)
        .threads(opts.threads);

    let dispatch = &Dispatch::registry();
    builder.build_parallel().run(|| {
        let wanted = &wanted;
        let diagnostics = &diagnostics;
        let repo_roots = &repo_roots;
        Box::new(move |entry| {
            progress.entries.fetch_add(1, Ordering::Relaxed);
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = walk_error_path(&err).unwrap_or_else(|| root.to_path_buf());
                    push(
                        diagnostics,
                        Diagnostic::new(Level::Error, "walk", path, None, walk_error_message(&err)),
                    );
                    return WalkState::Continue;
                }
            };
            // Most entries are folders and files nobody wants: decide from the name and the
            // type, and work out the path (component by component) and allocate only for the
            // few that are read.
            let name = entry.file_name();
            if name == ".git" {
                if let Ok(rel) = entry.path().strip_prefix(root) {
                    let parent = rel.parent().unwrap_or(Path::new("")).to_path_buf();
                    push(repo_roots, parent);
                }
                return WalkState::Skip;
            }
            if !entry.file_type().is_some_and(|ft| ft.is_file()) || !dispatch.may_want(name) {
                return WalkState::Continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                return WalkState::Continue;
            };
            let extractors = dispatch.wanting(rel);
            if !extractors.is_empty() {
                push(
                    wanted,
                    Wanted {
                        rel: rel.to_path_buf(),
                        extractors,
                    },
                );
            }
            WalkState::Continue
        })
    });

    let wanted = wanted.into_inner().unwrap_or_default();
    let mut diagnostics = diagnostics.into_inner().unwrap_or_default();
    let mut roots = repo_roots.into_inner().unwrap_or_default();
    roots.sort();
    roots.dedup();
    let deepest = |rel: &Path| {
        roots
            .iter()
            .filter(|root| rel.starts_with(root))
            .max_by_key(|root| root.components().count())
            .cloned()
            .unwrap_or_default()
    };

    let mut files_by_repo: BTreeMap<PathBuf, Vec<Wanted>> = BTreeMap::new();
    for w in wanted {
        files_by_repo.entry(deepest(&w.rel)).or_default().push(w);
    }
    let mut diags_by_repo: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in diagnostics.drain(..) {
        let rel = d.path.strip_prefix(root).unwrap_or(&d.path).to_path_buf();
        diags_by_repo.entry(deepest(&rel)).or_default().push(d);
    }
    let root_is_repo = roots.iter().any(|r| r.as_os_str().is_empty());
    let mut repo_paths: Vec<PathBuf> = roots.clone();
    if !root_is_repo
        && (roots.is_empty()
            || files_by_repo.contains_key(Path::new(""))
            || diags_by_repo.contains_key(Path::new("")))
    {
        repo_paths.push(PathBuf::new());
    }
    for rel in repo_paths {
        let mut files = files_by_repo.remove(&rel).unwrap_or_default();
        // Read in path order, the same whatever order the walk's threads found them in.
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .or_else(|| {
                root.canonicalize()
                    .ok()?
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            });
        jobs.push(Job::Found(Found {
            scan_root: root.to_path_buf(),
            diagnostics: diags_by_repo.remove(&rel).unwrap_or_default(),
            rel,
            name,
            files,
        }));
    }
}

/// Reads and extracts a repository's files on every core, and groups what they hold. A file
/// that cannot be read is an error diagnostic; the rest is still read.
fn build_found(found: Found, opts: &ScanOptions, progress: &ScanProgress) -> Repository {
    let fs = DiskSource::new(&found.scan_root, opts.max_file_size);
    let outcomes: Vec<Result<Vec<FileResult>, Diagnostic>> = found
        .files
        .par_iter()
        .map(|w| {
            let bytes = fs.read(&w.rel).map_err(|e| {
                Diagnostic::new(
                    Level::Error,
                    "walk",
                    found.scan_root.join(&w.rel),
                    None,
                    e.to_string(),
                )
            })?;
            progress.files_read.fetch_add(1, Ordering::Relaxed);
            progress
                .bytes_read
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            if opts.read_only {
                return Ok(Vec::new());
            }
            Ok(w.extractors
                .iter()
                .map(|&ex| run_extractor(ex, &w.rel, &bytes, &fs))
                .collect())
        })
        .collect();
    let mut results = Vec::with_capacity(outcomes.len());
    let mut diagnostics = found.diagnostics;
    for o in outcomes {
        match o {
            Ok(mut r) => results.append(&mut r),
            Err(d) => diagnostics.push(d),
        }
    }
    build_repository(
        &found.scan_root,
        found.name,
        &found.rel,
        results,
        diagnostics,
    )
}

fn push<T>(v: &Mutex<Vec<T>>, item: T) {
    if let Ok(mut v) = v.lock() {
        v.push(item);
    }
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithLineNumber { err, .. } | ignore::Error::WithDepth { err, .. } => {
            walk_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn walk_error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            walk_error_message(err)
        }
        ignore::Error::Loop { ancestor, .. } => {
            format!(
                "symbolic link loop back to `{}`, not followed",
                ancestor.display()
            )
        }
        other => other.to_string(),
    }
}

/// Runs one extractor on one file; a parse failure or a panic becomes an error diagnostic.
fn run_extractor(
    ex: &'static dyn Extractor,
    rel: &Path,
    bytes: &[u8],
    fs: &dyn FileSource,
) -> FileResult {
    let input = Input {
        path: rel,
        bytes,
        fs,
    };
    let outcome = match catch_unwind(AssertUnwindSafe(|| ex.extract(&input))) {
        Ok(Ok(extraction)) => Ok(extraction),
        Ok(Err(e)) => Err(Diagnostic::new(
            Level::Error,
            ex.id(),
            rel,
            e.line(),
            format!("failed to parse `{}` as {}: {e}", rel.display(), ex.id()),
        )),
        Err(_) => Err(Diagnostic::new(
            Level::Error,
            ex.id(),
            rel,
            None,
            format!(
                "internal error: the {} extractor panicked on this file (please report it)",
                ex.id()
            ),
        )),
    };
    FileResult {
        rel: rel.to_path_buf(),
        extractor: ex,
        outcome,
    }
}

/// Groups a repository's results into projects, with every path made relative to the repository.
fn build_repository(
    scan_root: &Path,
    name: Option<String>,
    repo_rel: &Path,
    results: Vec<FileResult>,
    mut diagnostics: Vec<Diagnostic>,
) -> Repository {
    let rebase = |p: &Path| p.strip_prefix(repo_rel).unwrap_or(p).to_path_buf();
    let mut projects: BTreeMap<(PathBuf, &'static str), Project> = BTreeMap::new();
    for r in results {
        let extraction = match r.outcome {
            Ok(e) => e,
            Err(mut d) => {
                d.path = scan_root.join(&d.path);
                diagnostics.push(d);
                continue;
            }
        };
        let Extraction {
            mut components,
            edges,
            manifest,
            group,
            diagnostics: diags,
        } = extraction;
        for mut d in diags {
            d.path = scan_root.join(&d.path);
            diagnostics.push(d);
        }
        // The components of a file share its path: rebase each path once.
        let mut last: Option<(Arc<Path>, Arc<Path>)> = None;
        for loc in components.iter_mut().flat_map(|c| c.locations.iter_mut()) {
            let rebased = match &last {
                Some((from, to)) if Arc::ptr_eq(from, &loc.path) => Arc::clone(to),
                _ => {
                    let to: Arc<Path> = Arc::from(rebase(&loc.path));
                    last = Some((Arc::clone(&loc.path), Arc::clone(&to)));
                    to
                }
            };
            loc.path = rebased;
        }
        let key_path = rebase(group.as_deref().unwrap_or(&r.rel));
        let project = projects
            .entry((key_path.clone(), r.extractor.id()))
            .or_insert_with(|| Project {
                extractor: r.extractor.id().to_owned(),
                ecosystem: r.extractor.ecosystem(),
                path: key_path,
                manifest: None,
                components: Vec::new(),
                edges: Vec::new(),
            });
        if project.manifest.is_none() {
            project.manifest = manifest.map(|m| rebase(&m));
        }
        // Most projects come from one file: take its vectors whole rather than copy them.
        if project.components.is_empty() {
            project.components = components;
        } else {
            project.components.append(&mut components);
        }
        if project.edges.is_empty() {
            project.edges = edges;
        } else {
            project.edges.extend(edges);
        }
    }
    let mut projects: Vec<Project> = projects.into_values().collect();
    projects.par_iter_mut().for_each(Project::normalise);
    diagnostics.sort();
    diagnostics.dedup();
    Repository {
        name: name.unwrap_or_else(|| "root".to_owned()),
        path: scan_root.join(repo_rel),
        projects,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    const LOCK: &str = "version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

    #[test]
    fn folder_of_repositories_is_a_portfolio() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("one/.git")).unwrap();
        fs::create_dir_all(root.join("two/.git")).unwrap();
        write(root, "one/Cargo.lock", LOCK);
        write(root, "two/sub/Cargo.lock", LOCK);
        write(root, "two/.git/Cargo.lock", LOCK); // never read
        let p = scan(
            &[root.to_path_buf()],
            &ScanOptions::default(),
            &ScanProgress::default(),
        );
        let names: Vec<_> = p.repositories.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["one", "two"]);
        assert_eq!(
            &*p.repositories[1].projects[0].path,
            Path::new("sub/Cargo.lock")
        );
        assert_eq!(
            &*p.repositories[1].projects[0].components[0].locations[0].path,
            Path::new("sub/Cargo.lock")
        );
        assert!(!p.has_errors());
    }

    #[test]
    fn gitignore_is_honoured_unless_told_not_to() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "ignored/\n");
        write(root, "ignored/Cargo.lock", LOCK);
        write(root, "kept/Cargo.lock", LOCK);
        let p = scan(
            &[root.to_path_buf()],
            &ScanOptions::default(),
            &ScanProgress::default(),
        );
        assert_eq!(p.repositories[0].projects.len(), 1);
        let opts = ScanOptions {
            no_ignore: true,
            ..ScanOptions::default()
        };
        let p = scan(&[root.to_path_buf()], &opts, &ScanProgress::default());
        assert_eq!(p.repositories[0].projects.len(), 2);
    }

    #[test]
    fn ospoignore_applies_even_under_no_ignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".ospoignore", "# fixtures\n**/testdata/\n");
        write(root, ".gitignore", "node_modules/\n");
        write(
            root,
            "crate/testdata/bad/Cargo.lock",
            "[[package]]\nname = \n",
        );
        write(root, "node_modules/x/Cargo.lock", LOCK);
        write(root, "kept/Cargo.lock", LOCK);
        let default = scan(
            &[root.to_path_buf()],
            &ScanOptions::default(),
            &ScanProgress::default(),
        );
        assert!(!default.has_errors());
        assert_eq!(default.repositories[0].projects.len(), 1);
        let opts = ScanOptions {
            no_ignore: true,
            ..ScanOptions::default()
        };
        let all = scan(&[root.to_path_buf()], &opts, &ScanProgress::default());
        assert!(!all.has_errors());
        let paths: Vec<_> = all.repositories[0]
            .projects
            .iter()
            .map(|p| p.path.clone())
            .collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("kept/Cargo.lock"),
                PathBuf::from("node_modules/x/Cargo.lock")
            ]
        );
    }

    #[test]
    fn read_only_reads_what_is_wanted_and_parses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "a/Cargo.lock", LOCK);
        let broken = "[[package]]\nname = \n";
        write(root, "b/Cargo.lock", broken);
        write(root, "b/notes.md", "not read");
        let opts = ScanOptions {
            read_only: true,
            ..ScanOptions::default()
        };
        let progress = ScanProgress::default();
        let p = scan(&[root.to_path_buf()], &opts, &progress);
        assert_eq!(progress.files_read.load(Ordering::Relaxed), 2);
        assert_eq!(
            progress.bytes_read.load(Ordering::Relaxed),
            (LOCK.len() + broken.len()) as u64
        );
        assert_eq!(p.component_count(), 0);
        assert!(!p.has_errors(), "the broken file is not parsed");
    }

    #[test]
    fn broken_files_are_diagnostics_and_the_scan_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "bad/Cargo.lock", "[[package]]\nname = \n");
        write(root, "good/Cargo.lock", LOCK);
        let p = scan(
            &[root.to_path_buf(), root.join("missing")],
            &ScanOptions::default(),
            &ScanProgress::default(),
        );
        assert!(p.has_errors());
        assert_eq!(p.component_count(), 1);
        let d: Vec<_> = p.all_diagnostics().collect();
        assert_eq!(d.len(), 2, "{d:?}");
        let bad = d
            .iter()
            .find(|d| d.path.ends_with("bad/Cargo.lock"))
            .unwrap();
        assert_eq!(bad.line, Some(2));
        assert!(bad.message.contains("bad/Cargo.lock"), "{}", bad.message);
    }

    #[test]
    fn oversized_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Cargo.lock", LOCK);
        let opts = ScanOptions {
            max_file_size: 10,
            ..ScanOptions::default()
        };
        let p = scan(&[dir.path().to_path_buf()], &opts, &ScanProgress::default());
        let d: Vec<_> = p.all_diagnostics().collect();
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("limit"), "{}", d[0].message);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "a/Cargo.lock", LOCK);
        std::os::unix::fs::symlink(root.join("a"), root.join("a/loop")).unwrap();
        let opts = ScanOptions {
            follow_links: true,
            ..ScanOptions::default()
        };
        let p = scan(&[root.to_path_buf()], &opts, &ScanProgress::default());
        assert_eq!(p.component_count(), 1);
        assert!(
            p.all_diagnostics().any(|d| d.message.contains("loop")),
            "{:?}",
            p.diagnostics
        );
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_folders_are_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "locked/Cargo.lock", LOCK);
        write(root, "open/Cargo.lock", LOCK);
        fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
        let readable = fs::read_dir(root.join("locked")).is_ok(); // root can read anything
        let p = scan(
            &[root.to_path_buf()],
            &ScanOptions::default(),
            &ScanProgress::default(),
        );
        fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
        if readable {
            assert_eq!(p.component_count(), 2);
        } else {
            assert_eq!(p.component_count(), 1);
            assert!(p.has_errors());
        }
    }

    #[test]
    fn a_single_file_can_be_given() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Cargo.lock", LOCK);
        let p = scan(
            &[dir.path().join("Cargo.lock")],
            &ScanOptions::default(),
            &ScanProgress::default(),
        );
        assert_eq!(p.component_count(), 1);
        write(dir.path(), "notes.txt", "hello");
        let p = scan(
            &[dir.path().join("notes.txt")],
            &ScanOptions::default(),
            &ScanProgress::default(),
        );
        assert!(p.has_errors());
    }

    /// Many repositories of different sizes, built several at a time on every core: handed over
    /// in path order, each whole, from the default pool and from a one-thread pool the scan runs
    /// in.
    #[test]
    fn repositories_are_handed_over_in_order_whatever_builds_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut want = Vec::new();
        for i in 0..23 {
            let name = format!("repo-{i:02}");
            fs::create_dir_all(root.join(&name).join(".git")).unwrap();
            // Later repositories are smaller, so they tend to be built first.
            for j in 0..(23 - i) {
                write(root, &format!("{name}/p{j}/Cargo.lock"), LOCK);
            }
            want.push((name, 23 - i));
        }
        let run = || {
            let walk = walk(
                &[root.to_path_buf()],
                &ScanOptions::default(),
                &ScanProgress::default(),
            );
            let mut got = Vec::new();
            walk.each(&ScanOptions::default(), &ScanProgress::default(), |r| {
                got.push((r.name, r.projects.len()));
                Ok::<(), ()>(())
            })
            .unwrap();
            got
        };
        assert_eq!(run(), want);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(one.install(run), want);
    }

    #[test]
    fn the_first_error_of_the_receiver_stops_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..9 {
            fs::create_dir_all(dir.path().join(format!("r{i}/.git"))).unwrap();
            write(dir.path(), &format!("r{i}/Cargo.lock"), LOCK);
        }
        let walk = walk(
            &[dir.path().to_path_buf()],
            &ScanOptions::default(),
            &ScanProgress::default(),
        );
        let mut seen = Vec::new();
        let result = walk.each(&ScanOptions::default(), &ScanProgress::default(), |r| {
            seen.push(r.name);
            if seen.len() == 3 { Err("full") } else { Ok(()) }
        });
        assert_eq!(result, Err("full"));
        assert_eq!(seen, ["r0", "r1", "r2"]);
    }
}
