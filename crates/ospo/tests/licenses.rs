//! `ospo licenses` and `ospo notice` on the fixture repositories of
//! `crates/ospo-license/testdata/` (see its README), and on ospo's own repository with the local
//! Cargo registry cache.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ospo-license/testdata")
}

/// `ospo` run inside a fixture folder, with no ambient package manager caches (HOME points at
/// an empty folder).
fn ospo(dir: &str) -> Command {
    let mut cmd = Command::cargo_bin("ospo").unwrap();
    let home = std::env::temp_dir().join("ospo-licenses-test-empty-home");
    std::fs::create_dir_all(&home).unwrap();
    cmd.current_dir(testdata().join(dir))
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env_remove("CARGO_HOME")
        .env_remove("GOMODCACHE")
        .env_remove("GOPATH")
        .env_remove("NUGET_PACKAGES");
    cmd
}

fn licenses(dir: &str, extra: &[&str]) -> (i32, Value) {
    let out = ospo(dir)
        .args(["licenses", "-q", "--no-ignore", "-f", "json"])
        .args(extra)
        .arg(".")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), doc)
}

/// Every component of the document by name (the first seen).
fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["projects"].as_array().unwrap())
        .flat_map(|p| p["components"].as_array().unwrap())
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no component `{name}`"))
}

fn codes_for(doc: &Value, purl: &str) -> BTreeSet<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["purl"] == purl)
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn version_names_the_spdx_list() {
    let out = ospo("npm-app").arg("--version").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.trim(), "ospo 0.1.0 (SPDX License List 3.29.0)");
}

#[test]
fn npm_installed_and_locked() {
    let (code, doc) = licenses("npm-app", &[]);
    assert_eq!(doc["schema"], "ospo-licenses/1");
    assert_eq!(doc["spdx_list_version"], "3.29.0");
    assert_eq!(code, 1, "an incompatible licence is an error finding");

    let left_pad = component(&doc, "left-pad");
    assert_eq!(left_pad["concluded"], "WTFPL");
    assert_eq!(left_pad["class"], "permissive");
    assert_eq!(left_pad["declared"][0]["how"], "id");
    assert_eq!(
        left_pad["copyrights"][0],
        "Copyright (C) 2004 Sam Hocevar <sam@hocevar.net>"
    );

    let gpl = component(&doc, "gpl-lib");
    assert_eq!(gpl["concluded"], "GPL-3.0-only");
    assert_eq!(gpl["declared"][0]["raw"], "GPL-3.0", "the raw text is kept");
    assert_eq!(gpl["declared"][0]["how"], "deprecated");
    assert_eq!(gpl["class"], "strong-copyleft");
    assert!(codes_for(&doc, "pkg:npm/gpl-lib@2.0.0").contains("license-incompatible"));

    let apache = component(&doc, "apache-thing");
    assert_eq!(apache["concluded"], "Apache-2.0");
    assert_eq!(apache["declared"][0]["how"], "alias");
    assert!(
        apache["obligations"]
            .as_array()
            .unwrap()
            .contains(&Value::from("include-notice"))
    );

    let vague = component(&doc, "@acme/vague");
    assert_eq!(vague["concluded"], "NOASSERTION");
    assert_eq!(vague["declared"][0]["how"], "unresolved");
    assert!(
        vague["declared"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("BSD family")
    );
    assert_eq!(
        codes_for(&doc, "pkg:npm/%40acme/vague@0.1.0"),
        BTreeSet::from([
            "license-unknown".to_owned(),
            "license-unresolved".to_owned()
        ])
    );

    // The project's own licence and the risk categories.
    let own = &doc["repositories"][0]["projects"][0]["own"];
    assert_eq!(own["concluded"], "MIT");
    assert_eq!(own["declared"][0]["file"], "package.json");
    for f in doc["findings"].as_array().unwrap() {
        assert_eq!(f["category"], "dependency", "{f}");
    }
    // Locations point at the declaring file and line.
    let incompatible = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "license-incompatible" && f["project"] == "package-lock.json")
        .unwrap();
    assert_eq!(incompatible["location"]["path"], "package-lock.json");
    assert_eq!(incompatible["location"]["line"], 28);
}

#[test]
fn python_site_packages() {
    let (_, doc) = licenses("python-venv", &[]);
    let requests = component(&doc, "requests");
    assert_eq!(requests["concluded"], "Apache-2.0");
    assert_eq!(requests["declared_spdx"], "Apache-2.0");
    assert_eq!(
        requests["declared"][1]["raw"],
        "License :: OSI Approved :: Apache Software License"
    );
    assert_eq!(
        requests["declared"][1]["how"], "unresolved",
        "no version named"
    );
    assert_eq!(component(&doc, "attrs")["concluded"], "MIT");
    assert_eq!(component(&doc, "attrs")["declared"][0]["how"], "classifier");
    assert_eq!(component(&doc, "chardet")["concluded"], "LGPL-2.0-or-later");
    assert_eq!(component(&doc, "oldlib")["concluded"], "GPL-2.0-or-later");
    assert_eq!(component(&doc, "vaguelib")["concluded"], "NOASSERTION");
    assert!(codes_for(&doc, "pkg:pypi/oldlib@1.0").contains("license-incompatible"));
    assert!(codes_for(&doc, "pkg:pypi/chardet@5.2.0").contains("license-caveat"));
    let own = &doc["repositories"][0]["projects"][0]["own"];
    assert_eq!(own["concluded"], "MIT");
    assert_eq!(own["declared"][0]["file"], "pyproject.toml");
    // The PEP 639 licence file was read.
    assert_eq!(
        requests["folders"][0]["path"],
        ".venv/lib/python3.12/site-packages/requests-2.32.3.dist-info"
    );
    assert_eq!(requests["copyrights"][0], "Copyright 2019 Kenneth Reitz");
}

#[test]
fn cargo_vendor_and_registry_cache() {
    let (code, doc) = licenses("rust-vendor", &["--cargo-home", "../cargo-home"]);
    assert_eq!(code, 0, "an MPL-2.0 dependency is only a caveat");
    let lock = doc["repositories"][0]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "Cargo.lock")
        .unwrap();
    let get = |name: &str| {
        lock["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
    };
    assert_eq!(get("bar")["concluded"], "MPL-2.0");
    assert_eq!(get("bar")["folders"][0]["place"], "cargo-cache");
    assert_eq!(get("foo")["concluded"], "MIT OR Apache-2.0");
    assert_eq!(get("foo")["declared"][0]["how"], "repaired");
    assert_eq!(get("foo")["chosen"], "MIT");
    assert_eq!(get("foo")["folders"][0]["place"], "vendored");
    assert_eq!(get("rust-vendor")["concluded"], "Apache-2.0");
    assert_eq!(get("rust-vendor")["basis"], "project");
    assert_eq!(lock["own"]["concluded"], "Apache-2.0");

    // Without the cache, `bar` is unknown.
    let (_, doc) = licenses("rust-vendor", &["--no-cache"]);
    assert_eq!(component(&doc, "bar")["concluded"], "NOASSERTION");
}

#[test]
fn composer_lists_are_choices() {
    let (code, doc) = licenses("php-composer", &[]);
    assert_eq!(code, 0);
    let dual = component(&doc, "acme/dual");
    assert_eq!(dual["concluded"], "GPL-2.0-or-later OR MIT");
    assert_eq!(dual["chosen"], "MIT");
    assert_eq!(dual["declined"][0], "GPL-2.0-or-later");
    assert_eq!(dual["class"], "permissive");
    assert_eq!(component(&doc, "acme/lesser")["concluded"], "LGPL-3.0-only");
    let own = &doc["repositories"][0]["projects"][0]["own"];
    assert_eq!(own["concluded"], "LicenseRef-ospo-proprietary");
    // With --fail-on info the caveat counts.
    let (code, _) = licenses("php-composer", &["--fail-on", "info"]);
    assert_eq!(code, 1);
}

#[test]
fn maven_project_licence() {
    let (_, doc) = licenses("java-maven", &[]);
    let own = &doc["repositories"][0]["projects"][0]["own"];
    assert_eq!(own["concluded"], "Apache-2.0");
    assert_eq!(
        own["declared"][0]["raw"],
        "The Apache Software License, Version 2.0"
    );
    assert_eq!(own["declared"][0]["file"], "pom.xml");
    assert_eq!(own["declared"][0]["line"], 7);
}

#[test]
fn licenses_json_snapshot() {
    let (_, doc) = licenses("php-composer", &[]);
    insta::assert_json_snapshot!("licenses-php-composer", doc, {".version" => "[version]"});
}

#[test]
fn notice_markdown_snapshot() {
    let out = ospo("php-composer")
        .args(["notice", "-q", "--no-ignore", "-f", "md", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("notice-php-composer-md", text);
}

#[test]
fn notice_lists_unknown_licences_loudly_and_escapes_html() {
    let out = ospo("npm-app")
        .args([
            "notice",
            "-q",
            "--no-ignore",
            "-f",
            "html",
            "--title",
            "Shop <beta>",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a component without a licence");
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("Shop &lt;beta&gt;"));
    assert!(html.contains("Sam Hocevar &lt;sam@hocevar.net&gt;"));
    assert!(!html.contains("<sam@"));
    assert!(html.contains("Warning: 1 component(s) have no known licence"));
    let unknown_at = html
        .find("The licence of these components is not known")
        .unwrap();
    let vague_at = html.find("@acme/vague").unwrap();
    let apache_at = html.find("id=\"licence-apache-2.0\"").unwrap();
    assert!(
        unknown_at < apache_at && vague_at < apache_at,
        "unknown licences come first"
    );
    assert!(
        html.contains("This product includes software developed at"),
        "NOTICE file"
    );
    assert!(
        html.contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"),
        "Apache text"
    );
    assert!(html.contains("GNU GENERAL PUBLIC LICENSE"), "GPL text");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no known licence"), "{stderr}");

    let out = ospo("npm-app")
        .args(["notice", "-q", "--no-ignore", "-f", "text", "."])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("!!! WARNING: 1 component(s) have NO KNOWN LICENCE"));
    assert!(text.contains("* left-pad 1.3.0 (pkg:npm/left-pad@1.3.0)"));
    assert!(text.contains("Licence text: WTFPL"));
}

/// The crates of a Cargo.lock as (name, version), read with a plain line scan.
fn lock_crates(text: &str) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for block in text.split("[[package]]").skip(1) {
        let field = |k: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{k} = \"")))
                .map(|v| v.trim_end_matches('"').to_owned())
        };
        let registry = field("source").is_some_and(|s| s.starts_with("registry+"));
        if let (Some(n), Some(v)) = (field("name"), field("version")) {
            out.push((n, v, registry));
        }
    }
    out
}

/// A real check: ospo over its own repository, with the local Cargo registry cache, gives a
/// licence for every crate of its Cargo.lock. Skipped when the cache does not hold them all.
#[test]
fn every_crate_of_ospo_has_a_licence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(home) = home else {
        eprintln!("skipped: no CARGO_HOME or HOME");
        return;
    };
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let crates = lock_crates(&lock);
    let registries: Vec<PathBuf> = std::fs::read_dir(home.join("registry/src"))
        .map(|rd| rd.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    let cached = |n: &str, v: &str| {
        registries
            .iter()
            .any(|r| r.join(format!("{n}-{v}")).is_dir())
    };
    let missing: Vec<_> = crates
        .iter()
        .filter(|(n, v, registry)| *registry && !cached(n, v))
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "skipped: {} crate(s) not in the registry cache, e.g. {:?}",
            missing.len(),
            missing[0]
        );
        return;
    }
    let out = Command::cargo_bin("ospo")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["licenses", "-q", "-f", "json", "--cargo-home"])
        .arg(&home)
        .arg(root.join("Cargo.lock"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let comps = doc["repositories"][0]["projects"][0]["components"]
        .as_array()
        .unwrap();
    assert_eq!(comps.len(), crates.len());
    let unknown: Vec<&str> = comps
        .iter()
        .filter(|c| c["concluded"] == "NOASSERTION" || c["class"] == "unknown")
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    assert!(unknown.is_empty(), "no licence for {unknown:?}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "ospo's dependencies fit its Apache-2.0 licence"
    );

    // And the notices file names every licence with its text.
    let out = Command::cargo_bin("ospo")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["notice", "-q", "-f", "text", "--cargo-home"])
        .arg(&home)
        .arg(root.join("Cargo.lock"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("NO KNOWN LICENCE"));
    assert_eq!(
        text.matches("\nLicence text: MIT\n").count(),
        1,
        "each text once"
    );
    assert!(text.contains("* serde "));
}

/// Needs the detection engine: a whole MIT text in node_modules/<pkg>/LICENSE is detected.
#[test]
fn detected_licence_texts_conclude() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    std::fs::create_dir_all(r.join("node_modules/nolicense")).unwrap();
    std::fs::write(
        r.join("package.json"),
        r#"{"name":"x","version":"1.0.0","license":"MIT"}"#,
    )
    .unwrap();
    std::fs::write(
        r.join("node_modules/nolicense/package.json"),
        r#"{"name":"nolicense","version":"1.0.0"}"#,
    )
    .unwrap();
    std::fs::write(
        r.join("node_modules/nolicense/LICENSE"),
        ospo_license_mit_text(),
    )
    .unwrap();
    std::fs::write(r.join("LICENSE"), ospo_license_mit_text()).unwrap();
    let out = Command::cargo_bin("ospo")
        .unwrap()
        .args(["licenses", "-q", "--no-ignore", "--no-cache", "-f", "json"])
        .arg(r)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = component(&doc, "nolicense");
    assert_eq!(c["concluded"], "MIT");
    assert_eq!(c["basis"], "detected");
    assert_eq!(c["detected"][0]["file"], "node_modules/nolicense/LICENSE");
    let own = &doc["repositories"][0]["projects"][0]["own"];
    assert_eq!(
        own["basis"], "agreed",
        "package.json and the root LICENSE agree"
    );
}

/// Needs the detection engine: the root LICENSE decides a project's licence when no manifest
/// declares one, and a disagreement is a Codebase finding.
#[test]
fn root_licence_file_decides_the_project_licence() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    std::fs::write(r.join("requirements.txt"), "requests==2.32.3\n").unwrap();
    std::fs::write(r.join("LICENSE"), ospo_license_mit_text()).unwrap();
    let out = Command::cargo_bin("ospo")
        .unwrap()
        .args(["licenses", "-q", "--no-cache", "-f", "json"])
        .arg(r)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let own = &doc["repositories"][0]["projects"][0]["own"];
    assert_eq!(own["concluded"], "MIT");
    assert_eq!(own["basis"], "detected");

    std::fs::write(
        r.join("pyproject.toml"),
        "[project]\nname='x'\nlicense='GPL-3.0-only'\n",
    )
    .unwrap();
    let out = Command::cargo_bin("ospo")
        .unwrap()
        .args(["licenses", "-q", "--no-cache", "-f", "json"])
        .arg(r)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "license-project-mismatch")
        .unwrap();
    assert_eq!(f["category"], "codebase");
}

fn ospo_license_mit_text() -> String {
    "MIT License\n\nCopyright (c) 2024 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n".to_owned()
}
