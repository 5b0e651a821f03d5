//! Crates vendored by `cargo vendor`: `<vendor>/<crate>/.cargo-checksum.json` with the crate's
//! normalised `Cargo.toml` beside it.
//!
//! The manifest gives the name, version and declared licence; the checksum file's `package`
//! entry is the SHA-256 of the `.crate` downloaded from the registry (it is `null` for a crate
//! vendored from git). Every crate of one vendor folder belongs to the project that holds it
//! (`group` = the vendor folder's parent). A vendor folder does not say which crates the project
//! names itself, so the relationship is unknown.

use std::path::Path;

use ospo_model::{Component, Ecosystem, Hash, Level, Relationship, Scope, Source};
use serde::Deserialize;

use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct CargoVendor;

const ID: &str = "cargo-vendor";

#[derive(Deserialize)]
struct Checksums {
    package: Option<String>,
}

#[derive(Deserialize)]
struct Manifest {
    package: Option<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<toml::Value>,
    version: Option<toml::Value>,
    license: Option<toml::Value>,
    #[serde(rename = "license-file")]
    license_file: Option<toml::Value>,
}

impl Extractor for CargoVendor {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::CratesIo
    }
    fn files(&self) -> &'static str {
        "<vendor>/<crate>/.cargo-checksum.json with the Cargo.toml beside it"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is(".cargo-checksum.json")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name()
            .is_some_and(|n| n == ".cargo-checksum.json")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let sums: Checksums = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
        let crate_dir = input.path.parent().unwrap_or(Path::new(""));
        let vendor = crate_dir.parent().unwrap_or(Path::new(""));
        let mut out = Extraction {
            group: Some(vendor.parent().unwrap_or(Path::new("")).to_path_buf()),
            ..Extraction::default()
        };
        let manifest_path = input.sibling("Cargo.toml");
        let warn = |line: Option<u32>, msg: String| {
            ospo_model::Diagnostic::new(Level::Warning, ID, &manifest_path, line, msg)
        };
        let bytes = match input.read_sibling("Cargo.toml") {
            Some(Ok(b)) => b,
            Some(Err(e)) => {
                out.diagnostics
                    .push(warn(None, format!("cannot be read: {e}")));
                return Ok(out);
            }
            None => {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Warning,
                    None,
                    "no Cargo.toml beside the checksum file: the vendored crate is unknown",
                ));
                return Ok(out);
            }
        };
        let Ok(manifest_text) = std::str::from_utf8(&bytes) else {
            out.diagnostics
                .push(warn(None, "is not valid UTF-8".into()));
            return Ok(out);
        };
        let manifest: Manifest = match toml::from_str(manifest_text) {
            Ok(m) => m,
            Err(e) => {
                let e = ExtractError::toml(manifest_text, &e);
                out.diagnostics.push(warn(e.line(), e.to_string()));
                return Ok(out);
            }
        };
        let lines = LineIndex::new(manifest_text);
        let package_line = lines.line_of("[package]");
        let Some(pkg) = manifest.package else {
            out.diagnostics.push(warn(None, "has no [package]".into()));
            return Ok(out);
        };
        let (Some(name), Some(version)) = (
            pkg.name.as_ref().and_then(toml::Value::as_str),
            pkg.version.as_ref().and_then(toml::Value::as_str),
        ) else {
            out.diagnostics.push(warn(
                package_line,
                "the package name or version is missing or not a string".into(),
            ));
            return Ok(out);
        };
        let mut c = match Component::new(Ecosystem::CratesIo, name, Some(version)) {
            Ok(c) => c,
            Err(e) => {
                out.diagnostics.push(warn(package_line, e.to_string()));
                return Ok(out);
            }
        };
        if let Some(l) = pkg.license.as_ref().and_then(toml::Value::as_str) {
            c = c.with_license(l);
        } else if let Some(f) = pkg.license_file.as_ref().and_then(toml::Value::as_str) {
            // A licence in a file of the crate: named by its path, not an SPDX expression.
            let file = crate_dir.join(f).to_string_lossy().replace('\\', "/");
            c = c.with_license(&format!("license-file:{file}"));
        }
        c.source = match &sums.package {
            Some(sum) => {
                c = c.with_hash(Hash::from_hex("sha256", sum));
                Source::Registry { url: None }
            }
            None => Source::Unknown,
        };
        let checksum_line = LineIndex::new(text).line_of("\"package\"");
        out.components.push(
            c.with_scope(Scope::Runtime)
                .with_relationship(Relationship::Unknown)
                .at(&manifest_path, package_line)
                .at(input.path, checksum_line),
        );
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use proptest::prelude::*;

    #[test]
    fn vendored_crates() {
        let (ex, p) = extract_testdata(
            &CargoVendor,
            "cargo-vendor/vendor/itoa/.cargo-checksum.json",
        );
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        assert_eq!(ex.group.as_deref(), Some(Path::new("cargo-vendor")));
        let c = &p.components[0];
        assert_eq!(c.purl.to_string(), "pkg:cargo/itoa@1.0.11");
        assert_eq!(c.licenses, ["MIT OR Apache-2.0"]);
        assert_eq!(
            c.hashes[0].value,
            "49f1f14873335454500d59611f1cf4a4b0f786f9ac11f4312a78e4cf2566695b"
        );
        assert_eq!(c.source, Source::Registry { url: None });
        // The manifest's `[package]` line first, then the checksum file's `"package"` line.
        let locs = &ex.components[0].locations;
        assert_eq!(
            &*locs[0].path,
            Path::new("cargo-vendor/vendor/itoa/Cargo.toml")
        );
        assert_eq!(locs[0].line, Some(10));
        assert_eq!(
            &*locs[1].path,
            Path::new("cargo-vendor/vendor/itoa/.cargo-checksum.json")
        );
        assert_eq!(locs[1].line, Some(1));

        let (ex, p) = extract_testdata(
            &CargoVendor,
            "cargo-vendor/vendor/ring/.cargo-checksum.json",
        );
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let c = &p.components[0];
        assert_eq!(c.purl.to_string(), "pkg:cargo/ring@0.17.8");
        assert_eq!(
            c.licenses,
            ["license-file:cargo-vendor/vendor/ring/LICENSE"]
        );
        assert!(c.hashes.is_empty(), "vendored from git: `package` is null");
        assert_eq!(c.source, Source::Unknown);
    }

    #[test]
    fn bad_inputs() {
        let err = extract_err(
            &CargoVendor,
            "vendor/a/.cargo-checksum.json",
            b"{\"files\":{},\n\"package\": 3\n}",
        );
        assert_eq!(err.line(), Some(2), "{err}");
        // No manifest: a warning, no guess from the folder name.
        let ex = extract_bytes(
            &CargoVendor,
            "vendor/a-1.0.0/.cargo-checksum.json",
            b"{\"files\":{},\"package\":null}",
            &[],
        )
        .unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.diagnostics.len(), 1);
        // A broken manifest: a warning with its line.
        let ex = extract_bytes(
            &CargoVendor,
            "vendor/a/.cargo-checksum.json",
            b"{\"files\":{},\"package\":null}",
            &[(
                "vendor/a/Cargo.toml",
                b"[package]\nname = \"a\"\nversion = 1\n",
            )],
        )
        .unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.diagnostics[0].line, Some(1));
    }

    proptest! {
        #[test]
        fn never_panics(a in proptest::collection::vec(any::<u8>(), 0..256),
                        b in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = extract_bytes(&CargoVendor, "vendor/x/.cargo-checksum.json", &a,
                &[("vendor/x/Cargo.toml", &b)]);
            let _ = extract_bytes(&CargoVendor, "vendor/x/.cargo-checksum.json",
                b"{\"package\":\"00\"}", &[("vendor/x/Cargo.toml", &b)]);
        }
    }
}
