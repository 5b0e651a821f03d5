//! Runs the licence detector over files and prints one JSON object per file (stdout), then the
//! totals (stderr). Used by `scripts/compare-scancode.py` and `scripts/bench-licenses.sh`.
//!
//!     cargo run --release -p ospo-license --example detect -- [--list FILE] [--quiet] [PATH…]
//!
//! `--list FILE` reads paths from FILE (one a line); `--quiet` prints only the totals;
//! `--slowest N` lists the N slowest files.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use ospo_license::detect::Detector;

fn main() -> std::io::Result<()> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut quiet = false;
    let mut slowest = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quiet" => quiet = true,
            "--slowest" => slowest = args.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            "--list" => {
                let list = args.next().unwrap_or_default();
                let text = std::fs::read_to_string(&list)?;
                paths.extend(text.lines().filter(|l| !l.is_empty()).map(PathBuf::from));
            }
            _ => paths.push(PathBuf::from(a)),
        }
    }
    let t0 = Instant::now();
    let detector = Detector::new();
    let build = t0.elapsed();
    let mut bytes = 0usize;
    let mut matched = 0usize;
    let out = std::io::stdout();
    let mut out = out.lock();
    let t1 = Instant::now();
    let mut times: Vec<(f64, &PathBuf)> = Vec::new();
    for path in &paths {
        let data = match std::fs::read(path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        bytes += data.len();
        let t = Instant::now();
        let r = detector.detect_bytes(path, &data);
        times.push((t.elapsed().as_secs_f64(), path));
        matched += usize::from(!r.licenses.is_empty());
        if !quiet {
            let line = serde_json::json!({"path": path, "licenses": r.licenses, "copyrights": r.copyrights});
            writeln!(out, "{line}")?;
        }
    }
    let secs = t1.elapsed().as_secs_f64();
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (t, p) in times.iter().take(slowest) {
        eprintln!("{:8.2} ms  {}", t * 1000.0, p.display());
    }
    eprintln!(
        "detector built in {:.1} ms; {} files, {:.2} MB in {:.3} s: {:.1} MB/s, {:.0} files/s; {} with a licence",
        build.as_secs_f64() * 1000.0,
        paths.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs.max(1e-9),
        paths.len() as f64 / secs.max(1e-9),
        matched
    );
    Ok(())
}
