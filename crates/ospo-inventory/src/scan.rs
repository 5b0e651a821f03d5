//! The one parallel walk.
pub struct ScanOptions;
pub fn scan() {}
