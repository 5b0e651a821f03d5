//! One renderer per format, all reading the same [`CheckReport`](crate::CheckReport).

pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod terminal;

#[cfg(test)]
mod testutil;
mod text;
