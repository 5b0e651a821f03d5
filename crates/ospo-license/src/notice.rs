//! The third-party notices file.
