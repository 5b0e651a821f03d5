//! The data model every other ospo crate speaks: package URLs, ecosystems, components found in a
//! project, the projects of a repository and the repositories of a portfolio, and diagnostics for
//! input that could not be read.

pub mod component;
pub mod diagnostic;
pub mod ecosystem;
pub mod html;
pub mod inventory;
pub mod purl;
pub mod risk;

/// The string type of a component's name and version, for the crates that build or read them.
pub use compact_str::CompactString;
pub use component::{Component, Edge, Hash, HashAlgorithm, Location, Relationship, Scope, Source};
pub use diagnostic::{Diagnostic, Level};
pub use ecosystem::Ecosystem;
pub use inventory::{Portfolio, Project, Repository};
pub use purl::{Purl, PurlError};
pub use risk::RiskCategory;
