//! Readers: write → read round trips for each format, third-party-style SBOMs, bad input,
//! reproducibility and snapshots.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use ospo_model::{Edge, Level, Relationship, Scope, Source};
use ospo_sbom::{Format, SbomError, read, sniff, write};

type Key = (String, Option<ospo_model::CompactString>, Vec<String>);

fn expected(p: &ospo_model::Portfolio) -> (BTreeSet<Key>, BTreeSet<Edge>) {
    let mut comps = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for r in &p.repositories {
        for pr in &r.projects {
            for c in &pr.components {
                let mut h: Vec<String> = c.hashes.iter().map(|h| h.value.clone()).collect();
                h.sort();
                comps.insert((c.purl.to_string(), c.version.clone(), h));
            }
            edges.extend(pr.edges.iter().cloned());
        }
    }
    (comps, edges)
}

fn got(c: &ospo_sbom::SbomContent) -> (BTreeSet<Key>, BTreeSet<Edge>) {
    let comps = c
        .components
        .iter()
        .map(|c| {
            let mut h: Vec<String> = c.hashes.iter().map(|h| h.value.clone()).collect();
            h.sort();
            (c.purl.to_string(), c.version.clone(), h)
        })
        .collect();
    (comps, c.edges.iter().cloned().collect())
}

fn round_trip(format: Format, file: &str) -> ospo_sbom::SbomContent {
    let p = common::portfolio();
    let out = write(&p, format, &common::opts()).unwrap();
    let content = read(Path::new(file), out.as_bytes()).unwrap();
    assert!(content.diagnostics.is_empty(), "{:?}", content.diagnostics);
    let (want_c, want_e) = expected(&p);
    let (got_c, got_e) = got(&content);
    assert_eq!(got_c, want_c, "{format:?}: components");
    assert_eq!(got_e, want_e, "{format:?}: edges");
    assert_eq!(content.root_name.as_deref(), Some("acme"));
    content
}

fn find<'a>(c: &'a ospo_sbom::SbomContent, purl: &str) -> &'a ospo_model::Component {
    c.components
        .iter()
        .find(|x| x.purl.to_string() == purl)
        .unwrap_or_else(|| panic!("{purl} missing"))
}

#[test]
fn cyclonedx_round_trip() {
    let c = round_trip(Format::CycloneDxJson, "bom.cdx.json");
    assert_eq!(c.format, "cyclonedx-json");
    // Scope, relationship, licences and sources all survive through ospo's properties.
    let babel = find(&c, "pkg:npm/%40babel/core@7.24.0");
    assert_eq!(
        (babel.scope, babel.relationship),
        (Scope::Dev, Relationship::Direct)
    );
    assert_eq!(babel.name, "@babel/core");
    assert_eq!(
        find(&c, "pkg:maven/org.projectlombok/lombok@1.18.32").scope,
        Scope::Build
    );
    assert_eq!(find(&c, "pkg:npm/fsevents@2.3.3").scope, Scope::Optional);
    assert_eq!(find(&c, "pkg:npm/fsevents@2.3.3").licenses, ["Apache 2"]);
    assert_eq!(
        find(&c, "pkg:npm/lodash@4.17.21").licenses,
        ["MIT OR Apache-2.0"]
    );
    assert_eq!(
        find(&c, "pkg:cargo/tool@0.1.0").relationship,
        Relationship::Root
    );
    assert_eq!(
        find(&c, "pkg:cargo/mylib@0.3.0").source,
        Source::Git {
            url: "https://github.com/example/mylib".into(),
            rev: Some("0123abcd".into())
        }
    );
    assert!(babel.locations[0].line.is_some());
}

#[test]
fn spdx_json_round_trip() {
    let c = round_trip(Format::SpdxJson, "sbom.spdx.json");
    // Scope is representable only for what the project depends on directly.
    assert_eq!(find(&c, "pkg:npm/%40babel/core@7.24.0").scope, Scope::Dev);
    assert_eq!(
        find(&c, "pkg:maven/org.projectlombok/lombok@1.18.32").scope,
        Scope::Build
    );
    assert_eq!(
        find(&c, "pkg:npm/lodash@4.17.21").relationship,
        Relationship::Direct
    );
    assert_eq!(
        find(&c, "pkg:npm/ms@2.1.3").relationship,
        Relationship::Transitive
    );
    // Free text comes back from hasExtractedLicensingInfos.
    assert_eq!(find(&c, "pkg:npm/fsevents@2.3.3").licenses, ["Apache 2"]);
    assert_eq!(
        find(&c, "pkg:cargo/mylib@0.3.0").source,
        Source::Git {
            url: "https://github.com/example/mylib".into(),
            rev: Some("0123abcd".into())
        }
    );
}

#[test]
fn spdx_tag_value_round_trip() {
    let c = round_trip(Format::SpdxTagValue, "sbom.spdx");
    assert_eq!(c.format, "spdx-tag-value");
    assert_eq!(find(&c, "pkg:npm/%40babel/core@7.24.0").scope, Scope::Dev);
    let h = find(&c, "pkg:maven/org.hamcrest/hamcrest-core@1.3");
    // Two declared licences become one AND expression; the free-text one a LicenseRef.
    assert_eq!(h.licenses.len(), 1);
    assert!(
        h.licenses[0].starts_with("BSD-3-Clause AND LicenseRef-Custom-licence"),
        "{:?}",
        h.licenses
    );
    // Lines point at the PackageName line.
    let out = write(&common::portfolio(), Format::SpdxTagValue, &common::opts()).unwrap();
    let line = find(&c, "pkg:npm/lodash@4.17.21").locations[0]
        .line
        .unwrap() as usize;
    assert_eq!(out.lines().nth(line - 1), Some("PackageName: lodash"));
}

#[test]
fn reproducible_output_is_byte_identical() {
    for f in [
        Format::CycloneDxJson,
        Format::SpdxJson,
        Format::SpdxTagValue,
    ] {
        let a = write(&common::portfolio(), f, &common::opts()).unwrap();
        let b = write(&common::portfolio(), f, &common::opts()).unwrap();
        assert_eq!(a, b);
        let mut other = common::opts();
        other.timestamp = Some(1_700_000_001);
        assert_ne!(a, write(&common::portfolio(), f, &other).unwrap());
        let mut random = common::opts();
        random.reproducible = false;
        assert_ne!(
            write(&common::portfolio(), f, &random).unwrap(),
            write(&common::portfolio(), f, &random).unwrap()
        );
    }
}

#[test]
fn a_purl_in_two_projects_gets_two_bom_refs() {
    let out = write(&common::portfolio(), Format::CycloneDxJson, &common::opts()).unwrap();
    assert!(out.contains("\"bom-ref\": \"pkg:npm/lodash@4.17.21?project=api/pom.xml\""));
    assert!(out.contains("\"bom-ref\": \"pkg:npm/lodash@4.17.21?project=web/package-lock.json\""));
    assert!(out.contains("\"bom-ref\": \"pkg:npm/ms@2.1.3\""));
    assert!(out.contains("\"group\": \"org.slf4j\""));
    assert!(out.contains("\"group\": \"@babel\""));
}

#[test]
fn snapshots() {
    let p = common::small();
    insta::assert_snapshot!(
        "small_cyclonedx",
        write(&p, Format::CycloneDxJson, &common::opts()).unwrap()
    );
    insta::assert_snapshot!(
        "small_spdx_json",
        write(&p, Format::SpdxJson, &common::opts()).unwrap()
    );
    insta::assert_snapshot!(
        "small_spdx_tag_value",
        write(&p, Format::SpdxTagValue, &common::opts()).unwrap()
    );
}

fn testdata(name: &str) -> ospo_sbom::SbomContent {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name);
    read(Path::new(name), &std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn syft_like_cyclonedx_json() {
    let c = testdata("syft.cdx.json");
    assert_eq!(c.spec_version, "1.5");
    let purls: Vec<String> = c.components.iter().map(|c| c.purl.to_string()).collect();
    // musl has no purl: a warning and a generic component; its nested child is flattened.
    assert_eq!(
        purls,
        [
            "pkg:npm/%40babel/code-frame@7.24.2",
            "pkg:golang/github.com/pkg/errors@v0.9.1",
            "pkg:generic/musl@1.2.4-r2",
            "pkg:apk/alpine/musl-utils@1.2.4-r2?arch=x86_64",
        ]
    );
    assert_eq!(c.components[0].name, "@babel/code-frame");
    assert_eq!(c.components[0].ecosystem, ospo_model::Ecosystem::Npm);
    assert_eq!(c.components[0].relationship, Relationship::Direct);
    // The line of its bom-ref (counted in the file).
    assert_eq!(c.components[0].locations[0].line, Some(14));
    assert_eq!(c.components[1].relationship, Relationship::Transitive);
    assert_eq!(c.components[1].licenses, ["BSD-2-Clause OR MIT"]);
    assert_eq!(c.components[1].hashes.len(), 1);
    assert_eq!(c.components[3].ecosystem, ospo_model::Ecosystem::Generic);
    assert_eq!(
        c.edges,
        [Edge {
            from: purls[0].as_str().into(),
            to: purls[1].as_str().into()
        }]
    );
    // `musl` and the os-release file (no purl, no version) are reported.
    assert_eq!(c.diagnostics.len(), 2, "{:?}", c.diagnostics);
    assert!(c.diagnostics.iter().all(|d| d.level == Level::Warning));
    assert_eq!(c.root_name.as_deref(), Some("."));
}

#[test]
fn cyclonedx_xml_1_4() {
    let c = testdata("bom-1.4.xml");
    assert_eq!(c.format, "cyclonedx-xml");
    assert_eq!(c.spec_version, "1.4");
    assert_eq!(c.root_name.as_deref(), Some("app"));
    assert_eq!(c.components.len(), 3);
    let slf = &c.components[0];
    assert_eq!(
        slf.purl.to_string(),
        "pkg:maven/org.slf4j/slf4j-api@2.0.13?type=jar"
    );
    assert_eq!(slf.name, "org.slf4j:slf4j-api");
    assert_eq!(slf.relationship, Relationship::Direct);
    assert_eq!(slf.locations[0].line, Some(12));
    assert_eq!(slf.licenses, ["MIT"]);
    assert_eq!(
        slf.source,
        Source::Git {
            url: "https://github.com/qos-ch/slf4j".into(),
            rev: None
        }
    );
    assert_eq!(c.components[1].scope, Scope::Dev);
    assert_eq!(c.components[1].licenses, ["EPL-1.0"]);
    assert_eq!(c.components[2].relationship, Relationship::Transitive);
    assert_eq!(c.edges.len(), 1);
    assert_eq!(
        &*c.edges[0].to,
        "pkg:maven/org.hamcrest/hamcrest-core@1.3?type=jar"
    );
}

#[test]
fn spdx_2_2_json() {
    let c = testdata("example-2.2.spdx.json");
    assert_eq!(c.spec_version, "SPDX-2.2");
    assert_eq!(c.root_name.as_deref(), Some("example-app"));
    let purls: Vec<String> = c.components.iter().map(|c| c.purl.to_string()).collect();
    assert_eq!(
        purls,
        [
            "pkg:pypi/requests@2.31.0",
            "pkg:pypi/urllib3@2.0.7",
            "pkg:generic/pytest@7.4.0"
        ]
    );
    assert_eq!(c.components[0].relationship, Relationship::Direct);
    assert_eq!(c.components[0].hashes.len(), 1);
    assert_eq!(
        c.components[0].source,
        Source::Url {
            url: "https://files.pythonhosted.org/packages/requests-2.31.0.tar.gz".into()
        }
    );
    assert_eq!(c.components[1].licenses, ["MIT-style licence text"]);
    assert_eq!(c.components[1].relationship, Relationship::Transitive);
    assert_eq!(c.components[2].scope, Scope::Dev);
    assert_eq!(c.diagnostics.len(), 1, "pytest has no purl");
    assert_eq!(c.edges.len(), 1);
}

#[test]
fn bad_input_is_an_error_with_a_line() {
    let e = read(Path::new("bom.json"), b"{\n\"bomFormat\": \"CycloneDX\",\n\"specVersion\": \"1.6\",\n\"components\": [\n{\"name\": }\n]}").unwrap_err();
    assert_eq!(e.line(), Some(5));
    let e = read(
        Path::new("bom.json"),
        br#"{"bomFormat": "CycloneDX", "specVersion": "1.1"}"#,
    )
    .unwrap_err();
    assert!(matches!(e, SbomError::Unsupported(_)));
    let e = read(Path::new("bom.xml"), b"<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<components>\n</bom>").unwrap_err();
    assert_eq!(e.line(), Some(4));
    let e = read(Path::new("x.spdx.json"), br#"{"spdxVersion": "SPDX-3.0"}"#).unwrap_err();
    assert!(matches!(e, SbomError::Unsupported(_)));
    let e = read(
        Path::new("x.spdx"),
        b"SPDXVersion: SPDX-2.3\nPackageName: a\nthis is not a tag\n",
    )
    .unwrap_err();
    assert_eq!(e.line(), Some(3));
    assert_eq!(
        read(Path::new("x"), b"hello").unwrap_err(),
        SbomError::UnknownFormat
    );
    assert_eq!(sniff(b"hello"), None);
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = read(Path::new("x"), &bytes);
        let mut cdx = br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":["#.to_vec();
        cdx.extend_from_slice(&bytes);
        let _ = read(Path::new("x"), &cdx);
        let mut tv = b"SPDXVersion: SPDX-2.3\n".to_vec();
        tv.extend_from_slice(&bytes);
        let _ = read(Path::new("x"), &tv);
    }

    #[test]
    fn truncations_never_panic(cut in 0usize..4000, which in 0usize..3) {
        let f = [Format::CycloneDxJson, Format::SpdxJson, Format::SpdxTagValue][which];
        let out = write(&common::small(), f, &common::opts()).unwrap();
        let end = cut.min(out.len());
        let _ = read(Path::new("x"), &out.as_bytes()[..end]);
        let xml = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/bom-1.4.xml")).unwrap();
        let _ = read(Path::new("x"), &xml[..cut.min(xml.len())]);
    }
}
