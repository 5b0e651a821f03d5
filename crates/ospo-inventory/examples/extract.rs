//! Runs the extractors that want each file given and prints, per extractor and file, what they
//! found and a digest of it: for timing one parser on real files (under `perf` or
//! `valgrind --tool=callgrind`, whose instruction counts do not depend on the machine's load)
//! and for checking that a faster parser finds exactly the same.
//!
//!     cargo run --release -p ospo-inventory --example extract -- [--repeat N] FILE...
//!
//! The digest is FNV-1a over the normalised project as JSON (components, edges, manifest) and
//! the diagnostics: equal digests mean byte-identical inventories.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool

use std::path::Path;
use std::process::ExitCode;

use ospo_inventory::fs::{DiskSource, FileSource};
use ospo_inventory::{Dispatch, Input};
use ospo_model::Project;

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    let mut repeat = 1usize;
    if args.peek().is_some_and(|a| a == "--repeat") {
        args.next();
        repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    }
    let files: Vec<String> = args.collect();
    if files.is_empty() {
        eprintln!("usage: extract [--repeat N] FILE...");
        return ExitCode::from(2);
    }
    let dispatch = Dispatch::registry();
    let mut status = ExitCode::SUCCESS;
    for file in &files {
        let path = Path::new(file);
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = Path::new(path.file_name().unwrap_or_default());
        let fs = DiskSource::new(dir, u64::MAX);
        let bytes = match fs.read(name) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                status = ExitCode::from(2);
                continue;
            }
        };
        for ex in dispatch.wanting(name) {
            let input = Input {
                path: name,
                bytes: &bytes,
                fs: &fs,
            };
            let mut last = None;
            for _ in 0..repeat {
                last = Some(ex.extract(&input));
            }
            match last {
                Some(Ok(extraction)) => {
                    let mut project = Project {
                        extractor: ex.id().to_owned(),
                        ecosystem: ex.ecosystem(),
                        path: name.to_owned(),
                        manifest: extraction.manifest,
                        components: extraction.components,
                        edges: extraction.edges,
                    };
                    project.normalise();
                    let json = serde_json::to_vec(&project).unwrap_or_default();
                    let diags = format!("{:?}", extraction.diagnostics);
                    let digest = fnv(diags.as_bytes(), fnv(&json, 0xcbf2_9ce4_8422_2325));
                    println!(
                        "{} {file}: {} components, {} edges, {} diagnostics, digest {digest:016x}",
                        ex.id(),
                        project.components.len(),
                        project.edges.len(),
                        extraction.diagnostics.len(),
                    );
                }
                Some(Err(e)) => {
                    println!("{} {file}: error: {e}", ex.id());
                    status = ExitCode::from(1);
                }
                None => {}
            }
        }
    }
    status
}
