//! Installed Python distributions: `*.dist-info/METADATA`, `*.egg-info/PKG-INFO` and
//! `*.egg-info` files directly inside a `site-packages` (or `dist-packages`) folder.
//!
//! One file per package; all the files of one environment share a `group` (the folder that
//! holds the virtualenv, e.g. the parent of `.venv`; for a bare `site-packages` its parent) so
//! the scanner merges them into one project. The RFC 822 headers give the name, version and
//! declared licences (`License-Expression` (PEP 639), a one-line `License`, and the raw
//! `Classifier: License :: …` values). `Requires-Dist` entries (without an `extra` marker)
//! become edges when the target is installed in the same `site-packages`. `direct_url.json`
//! (PEP 610) beside `METADATA` gives the source; `REQUESTED` (PEP 376) marks a package the user
//! asked for (direct), its absence beside an `INSTALLER` one pulled in (transitive); an
//! editable local install is the project's own package.

use crate::HashMap;
use std::path::{Path, PathBuf};

use ospo_model::{Component, Ecosystem, Edge, Level, Relationship, Source};

use super::pep508::{self, Requirement};
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct PythonInstalled;

const ID: &str = "python-installed";

/// The `site-packages` folder of a metadata path, if the path is one this extractor reads.
fn site_packages(path: &Path) -> Option<&Path> {
    let name = path.file_name()?.to_str()?;
    let parent = path.parent()?;
    let site = if name.ends_with(".egg-info") {
        parent
    } else {
        let dir = parent.file_name()?.to_str()?;
        let ok = (name == "METADATA" && dir.ends_with(".dist-info"))
            || (name == "PKG-INFO" && dir.ends_with(".egg-info"));
        if !ok {
            return None;
        }
        parent.parent()?
    };
    let site_name = site.file_name()?.to_str()?;
    matches!(site_name, "site-packages" | "dist-packages").then_some(site)
}

/// The folder that holds the environment: the parent of the virtualenv for
/// `<venv>/lib/pythonX.Y/site-packages` and `<venv>/Lib/site-packages`, else the parent of a
/// bare `site-packages`.
fn group_of(site: &Path) -> PathBuf {
    let parent = site.parent().unwrap_or(Path::new(""));
    let venv = match parent.file_name().and_then(|n| n.to_str()) {
        Some(n) if n.starts_with("python") || n.starts_with("pypy") => parent
            .parent()
            .filter(|p| p.file_name().is_some_and(|l| l == "lib" || l == "lib64"))
            .and_then(Path::parent),
        Some("Lib") => parent.parent(),
        _ => None,
    };
    match venv {
        Some(v) => v.parent().unwrap_or(Path::new("")).to_path_buf(),
        None => parent.to_path_buf(),
    }
}

impl Extractor for PythonInstalled {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::PyPI
    }
    fn files(&self) -> &'static str {
        "site-packages/*.dist-info/METADATA, *.egg-info/PKG-INFO, *.egg-info (with direct_url.json)"
    }
    fn names(&self) -> &'static [FileName] {
        &[
            FileName::Is("METADATA"),
            FileName::Is("PKG-INFO"),
            FileName::EndsWith(".egg-info"),
        ]
    }
    fn wants(&self, path: &Path) -> bool {
        site_packages(path).is_some()
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let Some(site) = site_packages(input.path) else {
            return Err(ExtractError::syntax(
                None,
                "not inside a site-packages folder",
            ));
        };
        let mut out = Extraction {
            group: Some(group_of(site)),
            ..Extraction::default()
        };
        let headers = headers(text);
        let first = |k: &str| {
            headers
                .iter()
                .find(|(h, _, _)| h.eq_ignore_ascii_case(k))
                .map(|(_, v, l)| (v.trim(), *l))
        };
        let Some((name, line)) = first("Name").filter(|(n, _)| !n.is_empty()) else {
            return Err(ExtractError::syntax(Some(1), "no `Name` header"));
        };
        let version = first("Version").map(|(v, _)| v).filter(|v| !v.is_empty());
        if version.is_none() {
            out.diagnostics.push(input.diagnostic(
                ID,
                Level::Warning,
                Some(line),
                format!("`{name}` has no `Version` header"),
            ));
        }
        let mut c = Component::new(Ecosystem::PyPI, name, version)
            .map_err(|e| ExtractError::syntax(Some(line), e))?;
        if let Some((expr, _)) = first("License-Expression") {
            c = c.with_license(expr);
        }
        if let Some((lic, _)) = first("License")
            && !lic.contains('\n')
            && !lic.eq_ignore_ascii_case("UNKNOWN")
        {
            c = c.with_license(lic);
        }
        for (_, v, _) in headers
            .iter()
            .filter(|(h, _, _)| h.eq_ignore_ascii_case("Classifier"))
        {
            if v.trim().starts_with("License ::") {
                c = c.with_license(v);
            }
        }

        // Companions in the `.dist-info` folder.
        let meta_dir = input
            .path
            .parent()
            .filter(|_| input.path.file_name().is_some_and(|n| n == "METADATA"));
        let listing = meta_dir
            .and_then(|d| input.fs.list(d).ok())
            .unwrap_or_default();
        c.source = Source::Registry { url: None };
        c.relationship = if listing.iter().any(|n| n == "REQUESTED") {
            Relationship::Direct
        } else if listing.iter().any(|n| n == "INSTALLER") {
            Relationship::Transitive
        } else {
            Relationship::Unknown
        };
        if let Some(dir) = meta_dir
            && listing.iter().any(|n| n == "direct_url.json")
        {
            match direct_url(
                &input
                    .fs
                    .read(&dir.join("direct_url.json"))
                    .unwrap_or_default(),
            ) {
                Some((source, editable)) => {
                    if editable && matches!(source, Source::Path { .. }) {
                        c.relationship = Relationship::Root;
                    }
                    c.source = source;
                }
                None => out.diagnostics.push(ospo_model::Diagnostic::new(
                    Level::Warning,
                    ID,
                    dir.join("direct_url.json"),
                    None,
                    "direct_url.json not understood; source left as the registry",
                )),
            }
        }
        let from = c.key();
        out.components.push(c.at(input.path, Some(line)));

        // Edges to the dependencies installed beside it.
        let installed = installed(input, site);
        for (_, value, _) in headers
            .iter()
            .filter(|(h, _, _)| h.eq_ignore_ascii_case("Requires-Dist"))
        {
            let Ok(r) = Requirement::parse(value) else {
                continue;
            };
            if r.marker.is_some_and(|m| m.contains("extra")) {
                continue;
            }
            if let Some(version) = installed.get(&pep508::normalise(r.name))
                && let Ok(to) = Component::new(Ecosystem::PyPI, r.name, Some(version))
            {
                out.edges.push(Edge {
                    from: from.clone(),
                    to: to.key(),
                });
            }
        }
        Ok(out)
    }
}

/// The header fields (name, value, 1-based line) up to the first blank line; continuation
/// lines (starting with whitespace) are joined to the value with a newline.
fn headers(text: &str) -> Vec<(&str, String, u32)> {
    let mut out: Vec<(&str, String, u32)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push('\n');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((
                k.trim(),
                v.trim().to_owned(),
                u32::try_from(i + 1).unwrap_or(u32::MAX),
            ));
        }
    }
    out
}

/// The distributions installed in a `site-packages`, by normalised name, from the folder names
/// (`name-version.dist-info`, `name-version-pyX.Y.egg-info`).
fn installed(input: &Input<'_>, site: &Path) -> HashMap<String, String> {
    let mut out = HashMap::default();
    for entry in input.fs.list(site).unwrap_or_default() {
        let stem = entry
            .strip_suffix(".dist-info")
            .or_else(|| entry.strip_suffix(".egg-info"));
        let Some((name, rest)) = stem.and_then(|s| s.split_once('-')) else {
            continue;
        };
        let version = rest.split('-').next().unwrap_or(rest);
        out.insert(pep508::normalise(name), version.to_owned());
    }
    out
}

/// The source recorded by a PEP 610 `direct_url.json`, and whether it is an editable install.
fn direct_url(bytes: &[u8]) -> Option<(Source, bool)> {
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let url = v.get("url")?.as_str()?;
    if let Some(vcs) = v.get("vcs_info") {
        let rev = vcs
            .get("commit_id")
            .or_else(|| vcs.get("requested_revision"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        return Some((
            Source::Git {
                url: url.to_owned(),
                rev,
            },
            false,
        ));
    }
    let editable = v
        .get("dir_info")
        .and_then(|d| d.get("editable"))
        .and_then(serde_json::Value::as_bool)
        == Some(true);
    let source = match url.strip_prefix("file://") {
        Some(p) => Source::Path { path: p.to_owned() },
        None => Source::Url {
            url: url.to_owned(),
        },
    };
    Some((source, editable))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use proptest::prelude::*;

    const VENV: &str = "python-installed/proj/.venv/lib/python3.11/site-packages";

    #[test]
    fn wants_metadata_files_in_site_packages() {
        let w = |p: &str| PythonInstalled.wants(Path::new(p));
        assert!(w(
            ".venv/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA"
        ));
        assert!(w(
            "venv/Lib/site-packages/six-1.16.0-py3.11.egg-info/PKG-INFO"
        ));
        assert!(w("site-packages/six-1.16.0-py2.7.egg-info"));
        assert!(!w(
            ".venv/lib/python3.11/site-packages/foo/tests/x.dist-info/METADATA"
        ));
        assert!(!w("src/foo.egg-info/PKG-INFO"));
        assert!(!w(
            ".venv/lib/python3.11/site-packages/requests-2.31.0.dist-info/RECORD"
        ));
    }

    #[test]
    fn groups() {
        assert_eq!(
            group_of(Path::new("proj/.venv/lib/python3.11/site-packages")),
            Path::new("proj")
        );
        assert_eq!(
            group_of(Path::new("proj/env/Lib/site-packages")),
            Path::new("proj")
        );
        assert_eq!(
            group_of(Path::new("opt/app/site-packages")),
            Path::new("opt/app")
        );
    }

    #[test]
    fn dist_info_with_licences_edges_and_requested() {
        let (ex, _) = extract_testdata(
            &PythonInstalled,
            &format!("{VENV}/requests-2.31.0.dist-info/METADATA"),
        );
        assert_eq!(
            ex.group.as_deref(),
            Some(Path::new("python-installed/proj"))
        );
        let c = &ex.components[0];
        assert_eq!(c.purl.to_string(), "pkg:pypi/requests@2.31.0");
        assert_eq!(c.locations[0].line, Some(2));
        assert_eq!(
            c.licenses,
            [
                "Apache-2.0",
                "License :: OSI Approved :: Apache Software License"
            ]
        );
        assert_eq!(c.relationship, Relationship::Direct);
        assert_eq!(c.source, Source::Registry { url: None });
        // idna is installed, PySocks (an extra) and chardet (not installed) are not edges.
        let to: Vec<&str> = ex.edges.iter().map(|e| &*e.to).collect();
        assert_eq!(to, ["pkg:pypi/idna@3.6"]);
    }

    #[test]
    fn direct_url_sources() {
        let (ex, _) = extract_testdata(
            &PythonInstalled,
            &format!("{VENV}/idna-3.6.dist-info/METADATA"),
        );
        let c = &ex.components[0];
        assert_eq!(c.relationship, Relationship::Transitive);
        assert_eq!(
            c.source,
            Source::Git {
                url: "https://github.com/kjd/idna".into(),
                rev: Some("0123456789abcdef0123456789abcdef01234567".into())
            }
        );
        let (ex, _) = extract_testdata(
            &PythonInstalled,
            &format!("{VENV}/proj-0.1.0.dist-info/METADATA"),
        );
        let c = &ex.components[0];
        assert_eq!(c.relationship, Relationship::Root);
        assert_eq!(
            c.source,
            Source::Path {
                path: "/home/dev/proj".into()
            }
        );
        assert_eq!(c.licenses, ["MIT"]);
    }

    #[test]
    fn egg_info_file() {
        let (ex, _) = extract_testdata(
            &PythonInstalled,
            "python-installed/site-packages/six-1.16.0-py3.11.egg-info",
        );
        assert_eq!(ex.group.as_deref(), Some(Path::new("python-installed")));
        assert_eq!(ex.components[0].purl.to_string(), "pkg:pypi/six@1.16.0");
        assert_eq!(ex.components[0].relationship, Relationship::Unknown);
        assert_eq!(ex.components[0].licenses, ["MIT"]);
    }

    #[test]
    fn errors() {
        let p = "site-packages/x-1.dist-info/METADATA";
        let err = extract_bytes(
            &PythonInstalled,
            p,
            b"Metadata-Version: 2.1\nSummary: x\n",
            &[],
        )
        .unwrap_err();
        assert_eq!(err.line(), Some(1));
        let ex = extract_bytes(
            &PythonInstalled,
            p,
            b"Metadata-Version: 2.1\nName: x\n",
            &[],
        )
        .unwrap();
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.components[0].version, None);
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&PythonInstalled, "site-packages/x-1.dist-info/METADATA", &bytes,
                &[("site-packages/x-1.dist-info/direct_url.json", &bytes[..])]);
        }
    }
}
