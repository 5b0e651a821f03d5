//! OSV range evaluation over realistic data: the real versions of the reference vectors (OSV
//! events and lockfile versions) arranged into records of 1–3 ranges with 2–4 events, matched
//! against component versions from the same pool.
//!
//! `cargo bench -p ospo-version --bench evaluate`

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ospo_version::{Event, ParsedAffected, Range, RangeKind, Scheme, Version, evaluate};

/// A small deterministic generator (no dependency on `rand`).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn real_versions(scheme: Scheme, file: &str) -> Vec<Version> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/vectors")
        .join(file);
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut v: Vec<Version> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split('\t').take(2))
        .filter_map(|t| scheme.parse(t).ok())
        .collect();
    ospo_version::sort_versions(&mut v);
    v.dedup();
    v
}

struct Data {
    records: Vec<(Vec<Range>, Vec<String>)>,
    components: Vec<String>,
}

fn data(scheme: Scheme, file: &str, kind: RangeKind) -> Data {
    let pool = real_versions(scheme, file);
    let mut rng = Lcg(42);
    let mut records = Vec::new();
    for _ in 0..1000 {
        let mut ranges = Vec::new();
        for _ in 0..1 + rng.next(3) {
            let mut events = Vec::new();
            let mut at = rng.next(pool.len() / 2);
            for _ in 0..1 + rng.next(2) {
                events.push(Event::Introduced(if at == 0 {
                    "0".to_owned()
                } else {
                    pool[at].to_string()
                }));
                at = (at + 1 + rng.next(pool.len() / 8)).min(pool.len() - 1);
                events.push(Event::Fixed(pool[at].to_string()));
                at = (at + 1 + rng.next(pool.len() / 8)).min(pool.len() - 1);
            }
            ranges.push(Range { kind, events });
        }
        records.push((ranges, Vec::new()));
    }
    let components = (0..1000)
        .map(|_| pool[rng.next(pool.len())].to_string())
        .collect();
    Data {
        records,
        components,
    }
}

fn bench(c: &mut Criterion) {
    for (scheme, file, kind) in [
        (Scheme::PyPI, "pypi.tsv", RangeKind::Ecosystem),
        (Scheme::Npm, "npm.tsv", RangeKind::Semver),
        (Scheme::SemVer, "semver.tsv", RangeKind::Semver),
        (Scheme::Go, "go.tsv", RangeKind::Semver),
        (Scheme::Maven, "maven.tsv", RangeKind::Ecosystem),
        (Scheme::RubyGems, "rubygems.tsv", RangeKind::Ecosystem),
        (Scheme::Packagist, "packagist.tsv", RangeKind::Ecosystem),
        (Scheme::Debian, "debian.tsv", RangeKind::Ecosystem),
    ] {
        let d = data(scheme, file, kind);
        let parsed: Vec<ParsedAffected> = d
            .records
            .iter()
            .map(|(r, v)| ParsedAffected::new(scheme, r, v))
            .collect();
        let versions: Vec<Version> = d
            .components
            .iter()
            .map(|v| scheme.parse(v).unwrap())
            .collect();
        // Each component against 5 records (a package typically has a handful of advisories).
        let n = parsed.len();
        let pairs: Vec<(usize, usize)> = (0..versions.len())
            .flat_map(|i| (0..5).map(move |k| (i, (i * 7 + k * 131) % n)))
            .collect();
        let mut g = c.benchmark_group(format!("evaluate/{scheme}"));
        g.throughput(Throughput::Elements(pairs.len() as u64));
        g.bench_function("pre-parsed", |b| {
            b.iter(|| {
                let mut hits = 0usize;
                for &(i, r) in &pairs {
                    if parsed[r].evaluate(&versions[i]) == ospo_version::Verdict::Affected {
                        hits += 1;
                    }
                }
                black_box(hits)
            })
        });
        g.finish();
        let mut g = c.benchmark_group(format!("evaluate-strings/{scheme}"));
        g.throughput(Throughput::Elements(500));
        g.bench_function("from strings", |b| {
            b.iter(|| {
                let mut hits = 0usize;
                for &(i, r) in pairs.iter().take(500) {
                    let (ranges, vs) = &d.records[r];
                    if evaluate(scheme, &d.components[i], ranges, vs)
                        == ospo_version::Verdict::Affected
                    {
                        hits += 1;
                    }
                }
                black_box(hits)
            })
        });
        g.finish();
        let mut g = c.benchmark_group(format!("parse/{scheme}"));
        g.throughput(Throughput::Elements(d.components.len() as u64));
        g.bench_function("versions", |b| {
            b.iter(|| {
                for v in &d.components {
                    black_box(scheme.parse(v).ok());
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
