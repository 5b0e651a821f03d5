//! Licence detection in files: whole licence texts, licence notices in source headers and
//! `SPDX-License-Identifier` tags, matched against the SPDX licence list embedded in the binary,
//! plus copyright statements for attribution.
//!
//! The API below is fixed; the matching engine behind it is being built (issue 4).

use serde::Serialize;

/// The SPDX licence list version the embedded data comes from.
pub const SPDX_LIST_VERSION: &str = spdx::identifiers::VERSION;

/// How a licence was found in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// An `SPDX-License-Identifier:` tag.
    SpdxTag,
    /// A whole licence text (LICENSE, COPYING…).
    Text,
    /// A standard licence notice or header (the "Licensed under the Apache License…" paragraph).
    Header,
    /// A short reference by name or URL ("released under the MIT license").
    Reference,
}

/// One licence found in a file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicenseMatch {
    /// An SPDX expression: a list id, `id WITH exception`, or `LicenseRef-…`.
    pub expression: String,
    /// 0.0–1.0: how much of the licence's template the matched text covers, and how exactly.
    pub confidence: f32,
    pub kind: MatchKind,
    /// 1-based, inclusive.
    pub start_line: u32,
    pub end_line: u32,
}

/// One copyright statement, for attribution.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Copyright {
    /// The statement as written, whitespace collapsed (`Copyright (c) 2015 The Rust Project Developers`).
    pub statement: String,
    /// 1-based line where it starts.
    pub line: u32,
}

/// Everything found in one file, sorted by start line.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FileLicenses {
    pub licenses: Vec<LicenseMatch>,
    pub copyrights: Vec<Copyright>,
}

/// The licence matcher: built once (from the embedded SPDX list), shared across threads.
#[derive(Debug, Default)]
pub struct Detector {}

impl Detector {
    pub fn new() -> Self {
        Self {}
    }

    /// Detects licences and copyrights in one file's text. `path` is only a hint (a file named
    /// LICENSE is expected to hold a whole text; a `.rs` file a header).
    pub fn detect(&self, path: &std::path::Path, text: &str) -> FileLicenses {
        let _ = (path, text);
        FileLicenses::default()
    }
}

/// Whether a file name is one that holds licence or notice text (LICENSE, LICENCE-MIT,
/// COPYING.txt, NOTICE, UNLICENSE, …), case-insensitive.
pub fn is_license_file(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "LICENSE",
        "LICENCE",
        "COPYING",
        "NOTICE",
        "UNLICENSE",
        "COPYRIGHT",
    ]
    .iter()
    .any(|p| upper.starts_with(p))
}
