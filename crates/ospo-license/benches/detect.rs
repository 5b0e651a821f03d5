//! Per-file licence detection on a few typical files (placeholder, filled in below).
fn main() {}
