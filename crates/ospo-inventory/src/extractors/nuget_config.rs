//! NuGet `packages.config` (the pre-PackageReference format of .NET Framework projects).
//!
//! `<package id="…" version="…" targetFramework="…" developmentDependency="true"/>` entries.
//! NuGet writes every installed package here, transitive ones included, and the file does not
//! say which is which, so all are reported as direct (the project references each of them);
//! `developmentDependency="true"` makes a package dev. No graph is recorded.

use std::path::Path;

use ospo_model::{Component, Ecosystem, Level, Relationship, Scope, Source};

use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct NugetPackagesConfig;

const ID: &str = "nuget-packages-config";

impl Extractor for NugetPackagesConfig {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::NuGet
    }
    fn files(&self) -> &'static str {
        "packages.config"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("packages.config")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "packages.config")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let doc = roxmltree::Document::parse(text).map_err(|e| ExtractError::xml(&e))?;
        let root = doc.root_element();
        if root.tag_name().name() != "packages" {
            return Err(ExtractError::syntax(
                Some(doc.text_pos_at(root.range().start).row),
                format!(
                    "expected a `<packages>` root element, found `<{}>`",
                    root.tag_name().name()
                ),
            ));
        }
        let mut out = Extraction::default();
        for node in root
            .children()
            .filter(|n| n.is_element() && n.tag_name().name() == "package")
        {
            let line = Some(doc.text_pos_at(node.range().start).row);
            let (Some(id), Some(version)) = (node.attribute("id"), node.attribute("version"))
            else {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    line,
                    "a `<package>` needs `id` and `version` attributes",
                ));
                continue;
            };
            match Component::new(Ecosystem::NuGet, id, Some(version)) {
                Ok(c) => {
                    let dev = node
                        .attribute("developmentDependency")
                        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
                    out.components.push(
                        c.with_relationship(Relationship::Direct)
                            .with_scope(if dev { Scope::Dev } else { Scope::Runtime })
                            .with_source(Source::Registry { url: None })
                            .at(input.path, line),
                    );
                }
                Err(e) => {
                    out.diagnostics
                        .push(input.diagnostic(ID, Level::Error, line, e.to_string()))
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;

    /// Synthetic, in the shape Visual Studio writes.
    const CONFIG: &[u8] = br#"<?xml version="1.0" encoding="utf-8"?>
<packages>
  <package id="Newtonsoft.Json" version="12.0.3" targetFramework="net472" />
  <!-- a comment -->
  <package id="StyleCop.Analyzers" version="1.1.118" targetFramework="net472" developmentDependency="true" />
  <package id="NoVersion" targetFramework="net472" />
  <package id="System.Memory" version="4.5.4"
           targetFramework="net472" />
</packages>
"#;

    #[test]
    fn packages_config() {
        let ex = extract_bytes(&NugetPackagesConfig, "Web/packages.config", CONFIG, &[]).unwrap();
        let got: Vec<(String, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.to_string(), c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:nuget/Newtonsoft.Json@12.0.3".to_owned(),
                    Scope::Runtime,
                    Some(3)
                ),
                (
                    "pkg:nuget/StyleCop.Analyzers@1.1.118".to_owned(),
                    Scope::Dev,
                    Some(5)
                ),
                (
                    "pkg:nuget/System.Memory@4.5.4".to_owned(),
                    Scope::Runtime,
                    Some(7)
                ),
            ]
        );
        assert!(
            ex.components
                .iter()
                .all(|c| c.relationship == Relationship::Direct)
        );
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(6));
    }

    #[test]
    fn broken_xml_names_the_line() {
        let err = extract_err(
            &NugetPackagesConfig,
            "packages.config",
            b"<packages>\n  <package id=\"a\" version=\"1\">\n</packages>\n",
        );
        assert_eq!(err.line(), Some(3), "{err}");
        let err = extract_err(&NugetPackagesConfig, "packages.config", b"<configuration/>");
        assert_eq!(err.line(), Some(1));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&NugetPackagesConfig, "packages.config", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..400) {
            let end = cut.min(CONFIG.len());
            let _ = extract_bytes(&NugetPackagesConfig, "packages.config", &CONFIG[..end], &[]);
        }
    }
}
