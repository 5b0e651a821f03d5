//! What the integration tests share: the shared OSV data and import options.
#![allow(clippy::print_stderr, dead_code)]

use std::path::{Path, PathBuf};

use ospo_vuln::{ImportOptions, source::Limits};

/// The shared OSV exports (`OSPO_TEST_DATA/osv`), or `None` with a message when absent.
pub fn osv_data() -> Option<PathBuf> {
    let base = std::env::var_os("OSPO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let osv = base.join("osv");
    if osv.is_dir() {
        Some(osv)
    } else {
        eprintln!(
            "skipped: no OSV data at {} (set OSPO_TEST_DATA)",
            osv.display()
        );
        None
    }
}

/// Import options with a fixed clock.
pub fn options() -> ImportOptions {
    ImportOptions {
        limits: Limits::default(),
        now: "2026-11-22T00:00:00Z".into(),
        replace: false,
        only: None,
        source_name: None,
    }
}
