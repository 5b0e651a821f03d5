//! Each extractor on the largest real lockfile of its format in the shared corpus, as input
//! bytes per second: the parsers are most of a scan's CPU (docs/benchmarks.md).
//!
//!     cargo bench -p ospo-inventory --bench extract [-- FILTER]
//!
//! Needs the shared data folder (`OSPO_TEST_DATA`, else `../shared/data` beside the workspace);
//! without it there is nothing to measure. For instruction counts that do not depend on the
//! machine's load, run `examples/extract` under `valgrind --tool=callgrind`.
#![allow(clippy::print_stderr)] // says why nothing was measured

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ospo_inventory::fs::{DiskSource, FileSource};
use ospo_inventory::{Dispatch, Input};

/// One corpus file per format, the largest of each (relative to `lockfiles/`).
const FILES: &[&str] = &[
    "npm/axios/package-lock.json",
    "npm/jest/yarn.lock",
    "npm/vite/pnpm-lock.yaml",
    "crates.io/uv/Cargo.lock",
    "PyPI/flask/uv.lock",
    "PyPI/poetry/poetry.lock",
    "PyPI/pipenv/Pipfile.lock",
    "Packagist/demo/composer.lock",
    "Go/prometheus/go.mod",
    "RubyGems/rails/Gemfile.lock",
    "Pub/localsend/pubspec.lock",
    "NuGet/bitwarden-server/packages.lock.json",
    "Hex/hexpm/mix.lock",
    "Maven/commons-lang/pom.xml",
];

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("OSPO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("lockfiles");
    dir.is_dir().then_some(dir)
}

fn bench(c: &mut Criterion) {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: shared lockfile corpus not found (set OSPO_TEST_DATA)");
        return;
    };
    let dispatch = Dispatch::registry();
    let mut group = c.benchmark_group("extract");
    for rel in FILES {
        let path = corpus.join(rel);
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            continue;
        };
        let name = Path::new(name);
        let fs = DiskSource::new(dir, u64::MAX);
        let Ok(bytes) = fs.read(name) else {
            eprintln!("skipped: {rel} not found");
            continue;
        };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        for ex in dispatch.wanting(name) {
            let input = Input {
                path: name,
                bytes: &bytes,
                fs: &fs,
            };
            group.bench_function(format!("{}/{rel}", ex.id()), |b| {
                b.iter(|| ex.extract(black_box(&input)));
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
