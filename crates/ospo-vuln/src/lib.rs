//! Known vulnerabilities, offline: an OSV advisory database ospo keeps on disk (imported from
//! osv.dev's exports or folders of OSV JSON), and matching an inventory against it with each
//! ecosystem's own version rules.

pub mod db;
pub mod matching;
pub mod record;
pub mod severity;
pub mod source;
pub mod store;
pub mod vex;

pub use db::{Database, DbError, ImportOptions, ImportReport, OpenDatabase, Status};
pub use record::Advisory;
