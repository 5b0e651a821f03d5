//! One renderer per format, all reading the same [`CheckReport`](crate::CheckReport).

pub mod json;
pub mod sarif;
