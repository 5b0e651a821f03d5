//! Shared body of the fuzz targets: feed bytes to one extractor under a path it wants.
use ospo_inventory::fs::MemorySource;
use ospo_inventory::{Input, by_id, sample_path};

/// Runs the extractor `id` on `data`; the only failure the fuzzer looks for is a panic.
pub fn extract(id: &str, data: &[u8]) {
    let Some(ex) = by_id(id) else { return };
    let Some(path) = sample_path(ex) else { return };
    let fs = MemorySource::new();
    let _ = ex.extract(&Input { path: &path, bytes: data, fs: &fs });
}
