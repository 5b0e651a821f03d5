//! The inventory: which open source components a tree uses.
//!
//! Extractors ([`extractor::Extractor`]) declare which files they want and turn bytes into
//! components; they never walk or open files themselves. One parallel walk ([`scan`]) serves them
//! all, reads what they ask for, groups the results into projects, repositories and a portfolio,
//! and turns every failure into a [`ospo_model::Diagnostic`] without stopping.

pub mod dispatch;
pub mod extractor;
pub mod extractors;
pub mod fs;
pub mod scan;
pub mod text;
mod toml_fast;
mod yaml;

/// Maps and sets keyed by text from the files read: foldhash instead of SipHash (2 % of a scan's
/// time), seeded per process like the standard library's, so a hostile file cannot choose
/// collisions.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

pub use dispatch::Dispatch;
pub use extractor::{ExtractError, Extraction, Extractor, FileName, Input};
pub use extractors::{REGISTRY, by_id, sample_path};
pub use scan::{ScanOptions, ScanProgress, Walk, scan, walk};
