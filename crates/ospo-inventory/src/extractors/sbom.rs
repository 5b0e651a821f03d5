//! SBOMs as inventory sources: CycloneDX JSON and XML, SPDX JSON and tag-value, read by
//! `ospo-sbom`. The project is `generic`; each component keeps the ecosystem of its purl.
//! A file named like an SBOM but in another of these formats is still read (the reader sniffs
//! the content); one that is none of them is a syntax error.

use std::path::Path;

use ospo_model::Ecosystem;
use ospo_sbom::SbomError;

use crate::{ExtractError, Extraction, Extractor, FileName, Input};

/// One SBOM format.
pub struct Sbom {
    id: &'static str,
    files: &'static str,
    names: &'static [FileName],
    /// On the lower-cased file name.
    wants: fn(&str) -> bool,
}

pub static CYCLONEDX_JSON: Sbom = Sbom {
    id: ospo_sbom::CYCLONEDX_JSON,
    files: "bom.json, *.cdx.json, *.bom.json, *cyclonedx*.json (CycloneDX 1.2–1.6)",
    names: &[FileName::EndsWith(".json")],
    wants: |n| {
        n == "bom.json"
            || n.ends_with(".cdx.json")
            || n.ends_with(".bom.json")
            || n.ends_with("-bom.json")
            || (n.contains("cyclonedx") && n.ends_with(".json"))
    },
};

pub static CYCLONEDX_XML: Sbom = Sbom {
    id: ospo_sbom::CYCLONEDX_XML,
    files: "bom.xml, *.cdx.xml, *.bom.xml (CycloneDX 1.2–1.6)",
    names: &[
        FileName::EndsWith("bom.xml"),
        FileName::EndsWith(".cdx.xml"),
    ],
    wants: |n| n == "bom.xml" || n.ends_with(".cdx.xml") || n.ends_with(".bom.xml"),
};

pub static SPDX_JSON: Sbom = Sbom {
    id: ospo_sbom::SPDX_JSON,
    files: "*.spdx.json (SPDX 2.2/2.3)",
    names: &[FileName::EndsWith(".spdx.json")],
    wants: |n| n.ends_with(".spdx.json"),
};

pub static SPDX_TAG_VALUE: Sbom = Sbom {
    id: ospo_sbom::SPDX_TAG_VALUE,
    files: "*.spdx (SPDX 2.2/2.3 tag-value)",
    names: &[FileName::EndsWith(".spdx")],
    wants: |n| n.ends_with(".spdx"),
};

/// The extractor for an SBOM's bytes whatever its file name (for `ospo scan --sbom FILE`).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    ospo_sbom::sniff(bytes)
}

impl Extractor for Sbom {
    fn id(&self) -> &'static str {
        self.id
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Generic
    }
    fn files(&self) -> &'static str {
        self.files
    }
    fn names(&self) -> &'static [FileName] {
        self.names
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| (self.wants)(&n.to_ascii_lowercase()))
    }
    fn sniff(&self, bytes: &[u8]) -> bool {
        ospo_sbom::sniff(bytes) == Some(self.id)
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let content = ospo_sbom::read(input.path, input.bytes).map_err(|e| match e {
            SbomError::Syntax { line, message } => ExtractError::syntax(line, message),
            SbomError::Unsupported(v) => ExtractError::Unsupported(v),
            other => ExtractError::syntax(None, other),
        })?;
        Ok(Extraction {
            components: content.components,
            edges: content.edges,
            manifest: None,
            group: None,
            diagnostics: content.diagnostics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Relationship;

    #[test]
    fn wants_sbom_names() {
        let w = |e: &Sbom, p: &str| e.wants(Path::new(p));
        assert!(w(&CYCLONEDX_JSON, "bom.json"));
        assert!(w(&CYCLONEDX_JSON, "dist/app.cdx.json"));
        assert!(w(&CYCLONEDX_JSON, "sbom.cdx.json"));
        assert!(w(&CYCLONEDX_JSON, "x/app.bom.json"));
        assert!(!w(&CYCLONEDX_JSON, "package.json"));
        assert!(w(&CYCLONEDX_XML, "bom.xml"));
        assert!(w(&CYCLONEDX_XML, "a/app.cdx.xml"));
        assert!(!w(&CYCLONEDX_XML, "pom.xml"));
        assert!(w(&SPDX_JSON, "a/app.spdx.json"));
        assert!(!w(&SPDX_JSON, "a/app.spdx"));
        assert!(w(&SPDX_TAG_VALUE, "a/app.spdx"));
        assert!(!w(&SPDX_TAG_VALUE, "a/app.spdx.json"));
    }

    #[test]
    fn reads_each_format() {
        let (ex, p) = extract_testdata(&CYCLONEDX_XML, "cyclonedx-xml/bom.xml");
        assert_eq!(
            purls(&p),
            [
                "pkg:maven/junit/junit@4.13.2?type=jar",
                "pkg:maven/org.slf4j/slf4j-api@2.0.13?type=jar"
            ]
        );
        assert!(ex.diagnostics.is_empty());
        assert_eq!(p.components[1].relationship, Relationship::Direct);
        assert_eq!(p.components[1].locations[0].line, Some(10));
        assert_eq!(p.components[1].ecosystem, Ecosystem::Maven);

        let (_, p) = extract_testdata(&CYCLONEDX_JSON, "cyclonedx-json/sbom.cdx.json");
        assert_eq!(
            purls(&p),
            ["pkg:npm/%40babel/core@7.24.0", "pkg:npm/ms@2.1.3"]
        );
        assert_eq!(p.edges.len(), 1);

        let (_, p) = extract_testdata(&SPDX_JSON, "spdx-json/app.spdx.json");
        assert_eq!(purls(&p), ["pkg:cargo/serde@1.0.200"]);

        let (_, p) = extract_testdata(&SPDX_TAG_VALUE, "spdx-tag-value/app.spdx");
        assert_eq!(purls(&p), ["pkg:pypi/requests@2.31.0"]);
        assert_eq!(p.components[0].locations[0].line, Some(9));
    }

    #[test]
    fn errors_keep_their_line_and_kind() {
        let e = extract_err(
            &CYCLONEDX_JSON,
            "bom.json",
            b"{\n\"bomFormat\": \"CycloneDX\",\n,",
        );
        assert_eq!(e.line(), Some(3));
        let e = extract_err(
            &CYCLONEDX_JSON,
            "bom.json",
            br#"{"bomFormat": "CycloneDX", "specVersion": "2.0"}"#,
        );
        assert!(matches!(e, ExtractError::Unsupported(_)));
        assert!(extract_bytes(&SPDX_JSON, "a.spdx.json", b"not json", &[]).is_err());
        assert_eq!(sniff(b"SPDXVersion: SPDX-2.3\n"), Some("spdx-tag-value"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            for ex in [&CYCLONEDX_JSON, &CYCLONEDX_XML, &SPDX_JSON, &SPDX_TAG_VALUE] {
                let _ = extract_bytes(ex, "bom.json", &bytes, &[]);
            }
        }
    }
}
