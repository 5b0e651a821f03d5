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
mod yaml;

pub use dispatch::Dispatch;
pub use extractor::{ExtractError, Extraction, Extractor, FileName, Input};
pub use extractors::{REGISTRY, by_id, sample_path};
pub use scan::{ScanOptions, ScanProgress, scan};
