//! Diagnostics: what could not be read, and why. A diagnostic is not a policy finding; it says the
//! inventory may be incomplete, and an error-level one makes the run end with exit code 2.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// A file or part of one could not be read: the inventory is incomplete.
    Error,
    /// Read, but something was left unresolved (an unknown parent POM, an unpinned requirement).
    Warning,
    /// Worth knowing (a file skipped on purpose).
    Info,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    pub level: Level,
    /// The file, relative to the scanned root where possible.
    pub path: PathBuf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What read it (an extractor id, `walk`, `sbom`).
    pub origin: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        level: Level,
        origin: impl Into<String>,
        path: impl Into<PathBuf>,
        line: Option<u32>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            level,
            path: path.into(),
            line,
            origin: origin.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        };
        write!(f, "{level}: `{}`", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {} ({})", self.message, self.origin)
    }
}
