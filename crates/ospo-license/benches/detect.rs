//! Per-file licence detection on a few typical files.
//!
//!     cargo bench -p ospo-license --bench detect
//!
//! The detector is built once outside the measured loop (its construction is timed by the
//! `detect` example, which prints it).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ospo_license::detect::{Detector, license_text};

fn code(lines: usize) -> String {
    let mut s = String::new();
    for i in 0..lines {
        s.push_str(&format!(
            "    let value_{i} = compute(&input[{i}..], Options {{ depth: {i}, verbose: false }})?;\n"
        ));
    }
    s
}

fn bench(c: &mut Criterion) {
    let detector = Detector::new();
    let apache_header = "// Copyright 2020 Example Authors\n//\n// Licensed under the Apache License, Version 2.0 (the \"License\");\n// you may not use this file except in compliance with the License.\n// You may obtain a copy of the License at\n//\n//     http://www.apache.org/licenses/LICENSE-2.0\n//\n// Unless required by applicable law or agreed to in writing, software\n// distributed under the License is distributed on an \"AS IS\" BASIS,\n// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\n// See the License for the specific language governing permissions and\n// limitations under the License.\n\n";
    let files: Vec<(&str, &str, String)> = vec![
        (
            "mit-license",
            "LICENSE",
            license_text("MIT").unwrap_or_default().to_owned(),
        ),
        (
            "apache-2.0-license",
            "LICENSE-APACHE",
            license_text("Apache-2.0").unwrap_or_default().to_owned(),
        ),
        (
            "gpl-3.0-copying",
            "COPYING",
            license_text("GPL-3.0-only").unwrap_or_default().to_owned(),
        ),
        (
            "rs-with-apache-header-300-lines",
            "lib.rs",
            format!("{apache_header}{}", code(300)),
        ),
        (
            "rs-spdx-tag-300-lines",
            "lib.rs",
            format!(
                "// SPDX-License-Identifier: MIT OR Apache-2.0\n{}",
                code(300)
            ),
        ),
        ("rs-no-licence-300-lines", "lib.rs", code(300)),
    ];
    let mut group = c.benchmark_group("detect");
    for (name, file, text) in &files {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| detector.detect(Path::new(file), black_box(text)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
