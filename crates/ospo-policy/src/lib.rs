//! Policy as code: one policy file (`ospo.toml` at a repository's root, optionally extending an
//! organisation-wide one), validated in two stages with every error placed by file, line and
//! column; exceptions that need a reason and an expiry date and become findings when they expire
//! or match nothing; three ready profiles; and findings as values with stable rule codes.
//!
//! The pieces: [`keys`] is the one table of every key (it generates the defaults, `policy init`
//! ([`init`]), the JSON schema ([`schema`]) and the reference in docs/policy.md ([`docs`]));
//! [`mod@load`] validates and reads a file and its `extends` chain into a [`Policy`]; [`usage`]
//! tracks which exceptions an evaluation used; [`finding`] and [`rules`] are the findings and the
//! registry of their codes. Nothing here reads the clock: "today" is always a parameter.

pub mod docs;
pub mod evaluate;
pub mod finding;
pub mod health;
pub mod init;
pub mod keys;
pub mod load;
pub mod policy;
pub mod profiles;
pub mod raw;
pub mod rules;
pub mod schema;
mod show;
pub mod suggest;
pub mod usage;

pub use finding::{Finding, Location, Severity};
pub use load::{FILE_NAME, PolicyError, load, load_for_root, load_str, validate};
pub use policy::{Exception, ExceptionKind, Origin, Policy, Section};
pub use rules::Rule;
pub use usage::Usage;
