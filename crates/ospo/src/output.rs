//! Where output goes: data to stdout or a file, everything else to stderr (with colour only on a
//! terminal and never when NO_COLOR is set).

use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ospo_inventory::{ScanOptions, ScanProgress};
use ospo_model::{Diagnostic, Level, Portfolio};

use crate::cli::WalkArgs;

/// Writes data to the file given, or to stdout.
pub fn emit(output: Option<&Path>, data: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, data)
            .with_context(|| format!("failed to write `{}`", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(data.as_bytes())?;
            if !data.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(())
        }
    }
}

/// Streams data to the file given, or to stdout, through a buffer: big documents (a portfolio's
/// JSON runs to hundreds of megabytes) are never held whole in memory. A newline ends the output.
pub fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    stream(output, true, write)
}

/// [`emit_with`] for writers that end their output themselves (no newline added).
pub fn emit_stream(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    stream(output, false, write)
}

fn stream(
    output: Option<&Path>,
    newline: bool,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let finish = |w: &mut dyn Write| -> anyhow::Result<()> {
        write(w)?;
        if newline {
            w.write_all(b"\n")?;
        }
        w.flush()?;
        Ok(())
    };
    match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("failed to write `{}`", path.display()))?;
            finish(&mut std::io::BufWriter::with_capacity(1 << 16, file))
                .with_context(|| format!("failed to write `{}`", path.display()))
        }
        None => finish(&mut std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout().lock(),
        )),
    }
}

/// Leaves a big value (a portfolio of millions of strings) for the process exit to free at once:
/// freeing it piece by piece on one thread was 4 % of a whole scan. Call it last, when the
/// command is done with the value.
pub fn discard<T>(value: T) {
    std::mem::forget(value);
}

/// Streams a value as pretty-printed JSON (see [`emit_with`]).
pub fn emit_json(output: Option<&Path>, value: &impl serde::Serialize) -> anyhow::Result<()> {
    emit_with(output, |w| Ok(serde_json::to_writer_pretty(w, value)?))
}

fn style(text: &str, level: Level) -> String {
    let s = console::style(text).for_stderr();
    match level {
        Level::Error => s.red().bold().to_string(),
        Level::Warning => s.yellow().bold().to_string(),
        Level::Info => s.cyan().to_string(),
    }
}

pub fn error(message: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "{}: {message}",
        style("error", Level::Error)
    );
}

/// Scans with a spinner on stderr (hidden when stderr is not a terminal or `--quiet`).
pub fn scan_with_progress(walk: &WalkArgs) -> Portfolio {
    with_progress(walk, |opts, progress| {
        ospo_inventory::scan(&walk.paths, opts, progress)
    })
    .unwrap_or_else(|| {
        error("internal error: the scan panicked");
        Portfolio::default()
    })
}

/// Runs `work` (a scan, and whatever is done with it as it goes) with the walk's options and a
/// spinner on stderr counting what it has walked and read (hidden when stderr is not a terminal
/// or `--quiet`). `None` if it panicked.
pub fn with_progress<T: Send>(
    walk: &WalkArgs,
    work: impl FnOnce(&ScanOptions, &ScanProgress) -> T + Send,
) -> Option<T> {
    let opts = ScanOptions {
        no_ignore: walk.no_ignore,
        follow_links: walk.follow_links,
        max_file_size: walk.max_file_size,
        threads: walk.threads,
        read_only: walk.read_only,
    };
    let progress = ScanProgress::default();
    let target = if walk.quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let result = std::thread::scope(|s| {
        // The working thread says when it is done, so a short scan does not wait out a tick.
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let (progress, opts) = (&progress, &opts);
        let handle = s.spawn(move || {
            let result = work(opts, progress);
            let _ = done.send(());
            result
        });
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
            finished.recv_timeout(Duration::from_millis(80))
        {
            bar.set_message(format!(
                "{} entries walked, {} files read",
                progress.entries.load(Ordering::Relaxed),
                progress.files_read.load(Ordering::Relaxed)
            ));
            bar.tick();
        }
        handle.join()
    });
    bar.finish_and_clear();
    result.ok()
}

/// Prints the summary line of [`report_diagnostics`] for `errors` errors and `warnings`
/// warnings printed before.
pub fn summarise(errors: usize, warnings: usize) -> bool {
    if errors > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "{}: {} problem(s) kept part of the inventory from being read; the rest was scanned ({} warning(s))",
            style("summary", Level::Error),
            errors,
            warnings,
        );
    }
    errors > 0
}

/// Prints every diagnostic and a summary to stderr; returns whether any was an error.
pub fn report_diagnostics(portfolio: &Portfolio) -> bool {
    let (errors, warnings) = print_diagnostics(portfolio.all_diagnostics());
    summarise(errors, warnings)
}

/// Prints diagnostics to stderr, one per line; returns the number of errors and warnings.
pub fn print_diagnostics<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> (usize, usize) {
    let mut stderr = std::io::stderr().lock();
    let mut errors = 0;
    let mut warnings = 0;
    for d in diagnostics {
        let level = match d.level {
            Level::Error => {
                errors += 1;
                "error"
            }
            Level::Warning => {
                warnings += 1;
                "warning"
            }
            Level::Info => "info",
        };
        let place = match d.line {
            Some(line) => format!("{}:{line}", d.path.display()),
            None => d.path.display().to_string(),
        };
        let _ = writeln!(
            stderr,
            "{}: {place}: {} [{}]",
            style(level, d.level),
            d.message,
            d.origin
        );
    }
    (errors, warnings)
}

/// A warning on stderr.
pub fn warning(message: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "{}: {message}",
        style("warning", Level::Warning)
    );
}
