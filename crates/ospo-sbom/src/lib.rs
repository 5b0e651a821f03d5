//! SBOM writers and readers.
//!
//! Writers turn a [`Portfolio`] into CycloneDX 1.6 JSON, SPDX 2.3 JSON or SPDX 2.3 tag-value
//! ([`write`]); readers turn a third-party SBOM (CycloneDX JSON or XML 1.2–1.6, SPDX 2.2/2.3 JSON
//! or tag-value) back into components and edges ([`read`]). The document models are our own
//! serde types, checked against the official schemas in the tests.
//!
//! Identity in written documents: a component is written once per project that uses it. Its
//! CycloneDX `bom-ref` is its canonical purl when only one project of the portfolio has that
//! purl, else the purl with a `project=<project id>` qualifier added (so a reader that takes the
//! `bom-ref` for a purl still gets the right package). SPDX ids are derived from the same
//! occurrences (`SPDXRef-Package-<type>-<name>-<version>`, sanitised, `-2`, `-3`… on collision).
//! Every list is sorted, so identical input gives identical output; with
//! [`WriteOptions::reproducible`] the serial number and namespace are derived from the content
//! too.

use std::path::Path;

use ospo_model::{Component, Diagnostic, Edge, Portfolio};

mod cyclonedx;
mod layout;
mod license;
mod read_cdx;
mod read_spdx;
mod spdx_doc;

/// An SBOM format ospo writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// CycloneDX 1.6, JSON.
    CycloneDxJson,
    /// SPDX 2.3, JSON.
    SpdxJson,
    /// SPDX 2.3, tag-value.
    SpdxTagValue,
}

/// How a document is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteOptions {
    /// The tool named as the document's creator (`ospo`).
    pub tool_name: String,
    pub tool_version: String,
    /// Creation time in Unix seconds; `None` = now (or the epoch in reproducible mode).
    pub timestamp: Option<i64>,
    /// Derive the serial number / namespace from the content instead of at random, so identical
    /// input gives byte-identical output.
    pub reproducible: bool,
    /// The document's name; defaults to the repository name (or `portfolio`).
    pub name: Option<String>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            tool_name: "ospo".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            timestamp: None,
            reproducible: false,
            name: None,
        }
    }
}

/// Why an SBOM could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SbomError {
    /// The file is not a well-formed document of its format; `line` where the parser knows it.
    #[error("{message}")]
    Syntax { line: Option<u32>, message: String },
    /// A version of the format this reader does not read.
    #[error("unsupported format version {0}")]
    Unsupported(String),
    /// Not an SBOM format ospo knows.
    #[error("not a CycloneDX or SPDX document")]
    UnknownFormat,
    /// The document could not be written (an invalid timestamp, a serialisation failure).
    #[error("cannot write the SBOM: {0}")]
    Write(String),
}

impl SbomError {
    pub(crate) fn syntax(line: Option<u32>, message: impl std::fmt::Display) -> SbomError {
        SbomError::Syntax {
            line,
            message: message.to_string(),
        }
    }

    pub(crate) fn json(e: &serde_json::Error) -> SbomError {
        SbomError::syntax(u32::try_from(e.line()).ok().filter(|&l| l > 0), e)
    }

    /// The line the error is at, where known.
    pub fn line(&self) -> Option<u32> {
        match self {
            SbomError::Syntax { line, .. } => *line,
            _ => None,
        }
    }
}

/// Writes a portfolio as an SBOM.
pub fn write(
    portfolio: &Portfolio,
    format: Format,
    opts: &WriteOptions,
) -> Result<String, SbomError> {
    let mut out = Vec::new();
    write_to(portfolio, format, opts, &mut out)?;
    String::from_utf8(out).map_err(|e| SbomError::Write(e.to_string()))
}

/// Writes a portfolio as an SBOM to `out`, streamed: the document is never held as text (a
/// portfolio's SBOM runs to hundreds of megabytes). Ends with a newline.
pub fn write_to(
    portfolio: &Portfolio,
    format: Format,
    opts: &WriteOptions,
    out: &mut dyn std::io::Write,
) -> Result<(), SbomError> {
    match format {
        Format::CycloneDxJson => cyclonedx::write(portfolio, opts, out),
        Format::SpdxJson => spdx_doc::write_json(portfolio, opts, out),
        Format::SpdxTagValue => spdx_doc::write_tag_value(portfolio, opts, out),
    }
}

/// Pretty JSON and a newline, to `out`.
pub(crate) fn write_json<T: serde::Serialize>(
    value: &T,
    out: &mut dyn std::io::Write,
) -> Result<(), SbomError> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)
        .map_err(|e| SbomError::Write(e.to_string()))?;
    std::io::Write::write_all(&mut buffered, b"\n").map_err(|e| SbomError::Write(e.to_string()))?;
    std::io::Write::flush(&mut buffered).map_err(|e| SbomError::Write(e.to_string()))
}

/// What an SBOM holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SbomContent {
    /// The extractor id of the format read (`cyclonedx-json`, `spdx-tag-value`…).
    pub format: &'static str,
    /// The spec version (`1.6`, `SPDX-2.3`).
    pub spec_version: String,
    /// Components, nested ones flattened, in document order.
    pub components: Vec<Component>,
    /// Dependency edges by canonical purl.
    pub edges: Vec<Edge>,
    /// The name of what the SBOM describes (CycloneDX `metadata.component`, SPDX `DESCRIBES`).
    pub root_name: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Extractor id of CycloneDX JSON.
pub const CYCLONEDX_JSON: &str = "cyclonedx-json";
/// Extractor id of CycloneDX XML.
pub const CYCLONEDX_XML: &str = "cyclonedx-xml";
/// Extractor id of SPDX JSON.
pub const SPDX_JSON: &str = "spdx-json";
/// Extractor id of SPDX tag-value.
pub const SPDX_TAG_VALUE: &str = "spdx-tag-value";

/// Which SBOM format these bytes are in, as an extractor id; `None` when none.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace())?;
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    match first {
        b'{' if has(b"\"bomFormat\"") && has(b"CycloneDX") => Some(CYCLONEDX_JSON),
        b'{' if has(b"\"spdxVersion\"") => Some(SPDX_JSON),
        b'<' if has(b"cyclonedx.org/schema/bom") => Some(CYCLONEDX_XML),
        b'{' | b'<' => None,
        _ if bytes.starts_with(b"SPDXVersion:") || has(b"\nSPDXVersion:") => Some(SPDX_TAG_VALUE),
        _ => None,
    }
}

/// Reads an SBOM in any supported format. `path` is used for the components' locations and the
/// diagnostics.
pub fn read(path: &Path, bytes: &[u8]) -> Result<SbomContent, SbomError> {
    let text = text_of(bytes)?;
    match sniff(bytes).ok_or(SbomError::UnknownFormat)? {
        CYCLONEDX_XML => read_cdx::read_xml(path, text),
        SPDX_JSON => read_spdx::read_json(path, text),
        SPDX_TAG_VALUE => read_spdx::read_tag_value(path, text),
        _ => read_cdx::read_json(path, text),
    }
}

fn text_of(bytes: &[u8]) -> Result<&str, SbomError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes
            .get(..e.valid_up_to())
            .map_or(0, |b| memchr::memchr_iter(b'\n', b).count());
        SbomError::syntax(
            Some(u32::try_from(line + 1).unwrap_or(u32::MAX)),
            "the file is not valid UTF-8",
        )
    })
}

/// Line numbers of a text, looked up by offset.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts }
    }

    pub(crate) fn line(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }

    /// The line of `needle` at or after `from` (else anywhere), and the offset past it, so that
    /// lookups in document order cost one pass.
    pub(crate) fn find(&self, needle: &str, from: usize) -> Option<(u32, usize)> {
        let hay = self.text.as_bytes();
        let pos = hay
            .get(from..)
            .and_then(|h| memchr::memmem::find(h, needle.as_bytes()))
            .map(|p| p + from)
            .or_else(|| memchr::memmem::find(hay, needle.as_bytes()))?;
        Some((self.line(pos), pos + needle.len()))
    }
}

/// RFC 3339 UTC time of the options' timestamp.
pub(crate) fn timestamp(opts: &WriteOptions) -> Result<String, SbomError> {
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;
    let t = match opts.timestamp {
        Some(secs) => OffsetDateTime::from_unix_timestamp(secs)
            .map_err(|e| SbomError::Write(format!("invalid timestamp {secs}: {e}")))?,
        None if opts.reproducible => OffsetDateTime::UNIX_EPOCH,
        None => {
            let now = OffsetDateTime::now_utc();
            now.replace_nanosecond(0).unwrap_or(now)
        }
    };
    t.format(&Rfc3339)
        .map_err(|e| SbomError::Write(e.to_string()))
}

/// A UUID: v5 of the content in reproducible mode, else random.
pub(crate) fn document_uuid<T: serde::Serialize>(
    opts: &WriteOptions,
    draft: &T,
) -> Result<uuid::Uuid, SbomError> {
    if !opts.reproducible {
        return Ok(uuid::Uuid::new_v4());
    }
    /// Hashes what is written: the draft is digested as it is serialised, never held.
    struct Hashing(sha2::Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            sha2::Digest::update(&mut self.0, buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(<sha2::Sha256 as sha2::Digest>::new());
    serde_json::to_writer(&mut h, draft).map_err(|e| SbomError::Write(e.to_string()))?;
    let digest = sha2::Digest::finalize(h.0);
    Ok(uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, &digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        assert_eq!(
            sniff(b" {\"bomFormat\": \"CycloneDX\"}"),
            Some(CYCLONEDX_JSON)
        );
        assert_eq!(sniff(b"{\"spdxVersion\": \"SPDX-2.3\"}"), Some(SPDX_JSON));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>"),
            Some(CYCLONEDX_XML)
        );
        assert_eq!(sniff(b"# c\nSPDXVersion: SPDX-2.2\n"), Some(SPDX_TAG_VALUE));
        assert_eq!(sniff(b"{\"name\": \"x\"}"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"[package]\n"), None);
    }
}
