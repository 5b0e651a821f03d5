//! Licences: what each component and the repository's own code are licensed under, declared
//! (normalised to SPDX) and detected (licence texts, headers and `SPDX-License-Identifier` tags
//! matched against the SPDX licence list), with classes, obligations and third-party notices.

pub mod classes;
pub mod compat;
pub mod detect;
pub mod expr;
pub mod normalise;

pub use detect::{Copyright, Detector, FileLicenses, LicenseMatch, MatchKind};
pub use expr::{Expr, Term};
pub use normalise::{How, Normalised, normalise};
