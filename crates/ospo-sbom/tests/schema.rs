//! Every writer's output validated against the official schema (CycloneDX 1.6 JSON schema,
//! vendored in `schemas/`, `$ref`s resolved offline), plus structural checks of the SPDX output
//! that mirror what the SPDX validator (spdx-tools, `scripts/validate-sboms.py`) demands.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use ospo_model::Portfolio;
use ospo_sbom::{Format, write};
use serde_json::Value;

struct Offline;

impl jsonschema::Retrieve for Offline {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default();
        let name = name.split('#').next().unwrap_or_default();
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name);
        Ok(serde_json::from_slice(
            &std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?,
        )?)
    }
}

fn cyclonedx_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_slice(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bom-1.6.schema.json"))
            .unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .with_retriever(Offline)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_cyclonedx(portfolio: &Portfolio) {
    let out = write(portfolio, Format::CycloneDxJson, &common::opts()).unwrap();
    let doc: Value = serde_json::from_str(&out).unwrap();
    let v = cyclonedx_validator();
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // Every bom-ref is unique and has a dependencies entry; every dependsOn target exists.
    let mut refs = Vec::new();
    fn collect(c: &Value, refs: &mut Vec<String>) {
        if let Some(r) = c["bom-ref"].as_str() {
            refs.push(r.to_owned());
        }
        for n in c["components"].as_array().into_iter().flatten() {
            collect(n, refs);
        }
    }
    collect(&doc["metadata"]["component"], &mut refs);
    for c in doc["components"].as_array().unwrap() {
        collect(c, &mut refs);
    }
    let mut sorted = refs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), refs.len(), "bom-refs are unique");
    let deps = doc["dependencies"].as_array().unwrap();
    let dep_refs: Vec<&str> = deps.iter().map(|d| d["ref"].as_str().unwrap()).collect();
    let mut want: Vec<&str> = sorted.iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(dep_refs, want, "one dependencies entry per bom-ref, sorted");
    for d in deps {
        let on: Vec<&str> = d["dependsOn"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let mut s = on.clone();
        s.sort();
        assert_eq!(on, s);
        for t in on {
            assert!(sorted.iter().any(|r| r == t), "dangling {t}");
        }
    }
}

/// What spdx-tools checks that a JSON schema would: id charset, unique ids, relationships that
/// point at known elements, licence refs that are defined, required package fields.
fn assert_valid_spdx(portfolio: &Portfolio) {
    let out = write(portfolio, Format::SpdxJson, &common::opts()).unwrap();
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert_eq!(doc["SPDXID"], "SPDXRef-DOCUMENT");
    assert_eq!(doc["dataLicense"], "CC0-1.0");
    assert!(
        doc["documentNamespace"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    assert!(!doc["documentNamespace"].as_str().unwrap().contains('#'));
    let mut ids = vec!["SPDXRef-DOCUMENT".to_owned()];
    for p in doc["packages"].as_array().unwrap() {
        let id = p["SPDXID"].as_str().unwrap();
        let rest = id.strip_prefix("SPDXRef-").unwrap();
        assert!(
            rest.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'),
            "{id}"
        );
        assert!(p["name"].is_string() && p["downloadLocation"].is_string());
        assert_eq!(p["filesAnalyzed"], false);
        ids.push(id.to_owned());
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "SPDXIDs are unique");
    for r in doc["relationships"].as_array().unwrap() {
        for k in ["spdxElementId", "relatedSpdxElement"] {
            assert!(
                ids.binary_search(&r[k].as_str().unwrap().to_owned())
                    .is_ok(),
                "{r}"
            );
        }
    }
    let defined: Vec<&str> = doc["hasExtractedLicensingInfos"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["licenseId"].as_str().unwrap())
        .collect();
    for p in doc["packages"].as_array().unwrap() {
        let decl = p["licenseDeclared"].as_str().unwrap();
        for word in decl
            .split([' ', '(', ')'])
            .filter(|w| w.starts_with("LicenseRef-"))
        {
            assert!(defined.contains(&word), "{word} undefined");
        }
        if decl != "NOASSERTION" {
            spdx::Expression::parse(decl).unwrap();
        }
    }
}

#[test]
fn cyclonedx_is_schema_valid() {
    assert_valid_cyclonedx(&common::portfolio());
    assert_valid_cyclonedx(&common::two_repositories());
    assert_valid_cyclonedx(&common::small());
    assert_valid_cyclonedx(&Portfolio::default());
}

#[test]
fn spdx_is_structurally_valid() {
    assert_valid_spdx(&common::portfolio());
    assert_valid_spdx(&common::two_repositories());
    assert_valid_spdx(&Portfolio::default());
}

#[test]
fn the_schema_check_is_not_a_no_op() {
    let out = write(&common::small(), Format::CycloneDxJson, &common::opts()).unwrap();
    let mut doc: Value = serde_json::from_str(&out).unwrap();
    doc["components"][0]["scope"] = "sometimes".into();
    assert!(!cyclonedx_validator().is_valid(&doc));
}

/// The real Cargo.lock of cargo itself, read by the cargo extractor, written in every format.
#[test]
fn real_cargo_lock_is_valid_in_every_format() {
    use ospo_inventory::{Extractor, Input, fs::DiskSource, fs::FileSource};
    let Some(root) = common::shared_lockfiles() else {
        eprintln!("skipped: shared data not found");
        return;
    };
    let fs = DiskSource::new(root.join("crates.io/cargo"), u64::MAX);
    let rel = Path::new("Cargo.lock");
    let bytes = fs.read(rel).unwrap();
    let ex = ospo_inventory::extractors::cargo::CargoLock;
    let extraction = ex
        .extract(&Input {
            path: rel,
            bytes: &bytes,
            fs: &fs,
        })
        .unwrap();
    let mut project = ospo_model::Project {
        extractor: ex.id().into(),
        ecosystem: ex.ecosystem(),
        path: rel.into(),
        manifest: extraction.manifest.clone(),
        components: extraction.components,
        edges: extraction.edges,
    };
    project.normalise();
    assert!(project.components.len() > 100);
    let portfolio = Portfolio {
        repositories: vec![ospo_model::Repository {
            name: "cargo".into(),
            path: "cargo".into(),
            projects: vec![project],
            diagnostics: vec![],
        }],
        diagnostics: vec![],
    };
    assert_valid_cyclonedx(&portfolio);
    assert_valid_spdx(&portfolio);
    let tv = write(&portfolio, Format::SpdxTagValue, &common::opts()).unwrap();
    assert!(tv.starts_with("SPDXVersion: SPDX-2.3\n"));
}

/// With `OSPO_SBOM_DUMP=<dir>`, writes the fixture documents there so that
/// `scripts/validate-sboms.py` can check them with the reference validators.
#[test]
fn dump_for_external_validation() {
    let Some(dir) = std::env::var_os("OSPO_SBOM_DUMP") else {
        return;
    };
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, p) in [
        ("one", common::portfolio()),
        ("two", common::two_repositories()),
        ("small", common::small()),
    ] {
        for (ext, f) in [
            ("cdx.json", Format::CycloneDxJson),
            ("spdx.json", Format::SpdxJson),
            ("spdx", Format::SpdxTagValue),
        ] {
            std::fs::write(
                dir.join(format!("{name}.{ext}")),
                write(&p, f, &common::opts()).unwrap(),
            )
            .unwrap();
        }
    }
}
