//! Upstream repositories of dependencies (filled in below).
