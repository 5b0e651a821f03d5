//! Licences: what each component and the repository's own code are licensed under, declared
//! (normalised to SPDX) and detected (licence texts, headers and `SPDX-License-Identifier` tags
//! matched against the SPDX licence list), with classes, obligations and third-party notices.
//!
//! The pieces, in the order a run uses them: [`normalise`] turns a declared string into an SPDX
//! expression (or says why it cannot), [`expr`] parses, repairs and evaluates expressions,
//! [`locate`] finds a component's files on disk (installed trees, vendor folders, the local
//! Cargo and Go caches) and [`detect`] reads them, [`conclude`] decides between declared and
//! detected, [`classes`] gives classes and obligations, [`own`] reads a project's own licence,
//! [`compat`] checks it against its dependencies', [`report`] ties it all together for a
//! scanned portfolio and [`notice`] writes the third-party notices file.

pub mod classes;
pub mod compat;
pub mod conclude;
pub mod detect;
pub mod expr;
pub mod locate;
pub mod normalise;
pub mod notice;
pub mod own;
pub mod report;

pub use classes::{Class, Obligation};
pub use detect::{Copyright, Detector, FileLicenses, LicenseMatch, MatchKind};
pub use expr::{Expr, Term};
pub use normalise::{How, Normalised, normalise};
pub use report::{Finding, LicenseReport, Options, RiskCategory, Severity, analyse};
