//! Every extractor in the registry meets hostile input without panicking: arbitrary bytes, and
//! truncated or corrupted copies of the real files it reads (its `testdata/<id>/` fixtures and the
//! shared lockfile corpus). A parse failure must be an `Err` or diagnostics, never a panic.

use std::path::{Path, PathBuf};

use ospo_inventory::fs::MemorySource;
use ospo_inventory::{Extractor, Input, REGISTRY};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Real files an extractor wants: its fixtures and the shared corpus (only files under 512 KiB,
/// to keep the run short; the big ones are covered by the per-extractor tests).
fn seeds(ex: &dyn Extractor) -> Vec<(PathBuf, Vec<u8>)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut roots = vec![manifest.join("testdata")];
    let shared = std::env::var_os("OSPO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../../shared/data"));
    roots.push(shared.join("lockfiles"));
    let mut out = Vec::new();
    for root in roots {
        for entry in ignore::WalkBuilder::new(&root)
            .hidden(false)
            .standard_filters(false)
            .build()
            .flatten()
        {
            let Ok(rel) = entry.path().strip_prefix(&root) else {
                continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) || !ex.wants(rel) {
                continue;
            }
            if let Ok(bytes) = std::fs::read(entry.path())
                && bytes.len() <= 512 * 1024
            {
                out.push((rel.to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn run(ex: &dyn Extractor, path: &Path, bytes: &[u8]) {
    let fs = MemorySource::new();
    let _ = ex.extract(&Input {
        path,
        bytes,
        fs: &fs,
    });
}

/// A path the extractor wants, for feeding it arbitrary bytes.
fn wanted_path(ex: &dyn Extractor, seeds: &[(PathBuf, Vec<u8>)]) -> Option<PathBuf> {
    seeds
        .first()
        .map(|(p, _)| p.clone())
        .or_else(|| ospo_inventory::sample_path(ex))
}

#[test]
fn arbitrary_bytes_never_panic() {
    for &ex in REGISTRY {
        let seeds = seeds(ex);
        let Some(path) = wanted_path(ex, &seeds) else {
            eprintln!("{}: no seed path, skipped", ex.id());
            continue;
        };
        let mut runner = TestRunner::new(Config {
            cases: 128,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&proptest::collection::vec(any::<u8>(), 0..2048), |bytes| {
                run(ex, &path, &bytes);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", ex.id()));
        // Text-shaped noise gets further into parsers than random bytes.
        runner
            .run(&"[\\[\\]{}:=,\"'@ #\\-\n\ta-z0-9.<>/]{0,400}", |text| {
                run(ex, &path, text.as_bytes());
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", ex.id()));
    }
}

#[test]
fn truncated_and_corrupted_real_files_never_panic() {
    for &ex in REGISTRY {
        for (path, bytes) in seeds(ex) {
            if bytes.is_empty() {
                continue;
            }
            let len = bytes.len();
            let mut runner = TestRunner::new(Config {
                cases: 24,
                failure_persistence: None,
                ..Config::default()
            });
            runner
                .run(&(0..len, 0..len, any::<u8>()), |(cut, at, byte)| {
                    run(ex, &path, &bytes[..cut]);
                    let mut corrupted = bytes.clone();
                    corrupted[at] = byte;
                    run(ex, &path, &corrupted);
                    Ok(())
                })
                .unwrap_or_else(|e| panic!("{} on {}: {e}", ex.id(), path.display()));
        }
    }
}
