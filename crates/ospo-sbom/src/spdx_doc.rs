//! SPDX 2.3 writer: one document model, rendered as JSON or as tag-value.
//!
//! The document DESCRIBES each repository; a repository CONTAINS its projects; a project
//! DEPENDS_ON its own and direct packages (or, for a package whose scope is not runtime, the
//! package is a DEV_/OPTIONAL_/BUILD_DEPENDENCY_OF the project); packages DEPENDS_ON each other
//! as the project's graph records. Declared licences that are not SPDX expressions become
//! `LicenseRef-` ids with the raw text in `hasExtractedLicensingInfos`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ospo_model::{Component, HashAlgorithm, Portfolio, Relationship, Scope, Source};
use serde::Serialize;

use crate::layout;
use crate::license::{self, Declared};
use crate::{SbomError, WriteOptions};

const NOASSERTION: &str = "NOASSERTION";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Doc<'a> {
    spdx_version: &'static str,
    data_license: &'static str,
    #[serde(rename = "SPDXID")]
    spdxid: &'static str,
    name: &'a str,
    document_namespace: String,
    creation_info: CreationInfo,
    packages: Vec<Package<'a>>,
    relationships: Vec<Rel>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    has_extracted_licensing_infos: Vec<Extracted>,
}

#[derive(Serialize)]
struct CreationInfo {
    created: String,
    creators: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
/// A package as written: its text borrowed from the inventory where it can be.
struct Package<'a> {
    name: &'a str,
    #[serde(rename = "SPDXID")]
    spdxid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_info: Option<&'a str>,
    download_location: String,
    /// What a download location cannot say: that the package is the project's own code (a
    /// path) or comes from the ecosystem's registry. Read back by ospo.
    #[serde(skip_serializing_if = "Option::is_none")]
    source_info: Option<String>,
    files_analyzed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checksums: Vec<Checksum<'a>>,
    license_concluded: &'static str,
    license_declared: Cow<'a, str>,
    copyright_text: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_refs: Vec<ExtRef<'a>>,
    primary_package_purpose: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Checksum<'a> {
    algorithm: &'static str,
    checksum_value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExtRef<'a> {
    reference_category: &'static str,
    reference_type: &'static str,
    reference_locator: &'a str,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
struct Rel {
    spdx_element_id: String,
    relationship_type: &'static str,
    related_spdx_element: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Extracted {
    license_id: String,
    extracted_text: String,
    name: String,
}

pub(crate) fn write_json(
    portfolio: &Portfolio,
    opts: &WriteOptions,
    out: &mut dyn std::io::Write,
) -> Result<(), SbomError> {
    let layout = layout::layout(portfolio, opts.name.as_deref());
    let doc = build(&layout, opts)?;
    crate::write_json(&doc, out)
}

pub(crate) fn write_tag_value(
    portfolio: &Portfolio,
    opts: &WriteOptions,
    out: &mut dyn std::io::Write,
) -> Result<(), SbomError> {
    let layout = layout::layout(portfolio, opts.name.as_deref());
    let doc = build(&layout, opts)?;
    out.write_all(tag_value(&doc).as_bytes())
        .map_err(|e| SbomError::Write(e.to_string()))
}

/// `SPDXRef-` + the text with every character outside `[A-Za-z0-9.-]` replaced.
fn sanitise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

fn build<'a>(layout: &'a layout::Layout<'_>, opts: &WriteOptions) -> Result<Doc<'a>, SbomError> {
    let mut used = BTreeSet::new();
    let mut unique = |kind: &str, text: &str| {
        let s = sanitise(text);
        let base = if s.is_empty() {
            format!("SPDXRef-{kind}")
        } else {
            format!("SPDXRef-{kind}-{s}")
        };
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    };
    let mut packages = Vec::new();
    let mut rels = BTreeSet::new();
    let mut extracted: BTreeMap<String, String> = BTreeMap::new();
    let rel = |a: &str, ty: &'static str, b: &str| Rel {
        spdx_element_id: a.to_owned(),
        relationship_type: ty,
        related_spdx_element: b.to_owned(),
    };

    for repo in &layout.repositories {
        let repo_id = unique("Repository", repo.name);
        rels.insert(rel("SPDXRef-DOCUMENT", "DESCRIBES", &repo_id));
        packages.push(structural(repo.name, &repo_id));
        for node in &repo.projects {
            let project_id = unique("Project", &node.id);
            rels.insert(rel(&repo_id, "CONTAINS", &project_id));
            packages.push(structural(&node.id, &project_id));
            let ids: Vec<String> = node
                .components
                .iter()
                .map(|o| {
                    let c = &o.component;
                    let mut text = c.purl.ty().to_owned();
                    for part in [c.purl.namespace(), Some(c.purl.name()), c.purl.version()]
                        .into_iter()
                        .flatten()
                    {
                        text.push('-');
                        text.push_str(part);
                    }
                    unique("Package", &text)
                })
                .collect();
            for (o, id) in node.components.iter().zip(&ids) {
                packages.push(package(&o.component, id, &mut extracted));
            }
            for i in node.top_level() {
                let (Some(o), Some(id)) = (node.components.get(i), ids.get(i)) else {
                    continue;
                };
                let r = match (o.component.relationship, o.component.scope) {
                    (Relationship::Root, _) | (_, Scope::Runtime) => {
                        rel(&project_id, "DEPENDS_ON", id)
                    }
                    (_, Scope::Dev) => rel(id, "DEV_DEPENDENCY_OF", &project_id),
                    (_, Scope::Optional) => rel(id, "OPTIONAL_DEPENDENCY_OF", &project_id),
                    (_, Scope::Build) => rel(id, "BUILD_DEPENDENCY_OF", &project_id),
                };
                rels.insert(r);
            }
            for &(from, to) in &node.edges {
                if let (Some(f), Some(t)) = (ids.get(from), ids.get(to)) {
                    rels.insert(rel(f, "DEPENDS_ON", t));
                }
            }
        }
    }
    packages.sort_by(|a, b| a.spdxid.cmp(&b.spdxid));

    let mut doc = Doc {
        spdx_version: "SPDX-2.3",
        data_license: "CC0-1.0",
        spdxid: "SPDXRef-DOCUMENT",
        name: &layout.name,
        document_namespace: String::new(),
        creation_info: CreationInfo {
            created: crate::timestamp(opts)?,
            creators: vec![format!("Tool: {}-{}", opts.tool_name, opts.tool_version)],
        },
        packages,
        relationships: rels.into_iter().collect(),
        has_extracted_licensing_infos: extracted
            .into_iter()
            .map(|(license_id, text)| Extracted {
                license_id,
                name: text
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(80)
                    .collect(),
                extracted_text: text,
            })
            .collect(),
    };
    let uuid = crate::document_uuid(opts, &doc)?;
    let name = sanitise(&layout.name);
    doc.document_namespace = format!(
        "https://spdx.org/spdxdocs/{}-{}",
        if name.is_empty() { "sbom" } else { &name },
        uuid
    );
    Ok(doc)
}

/// A repository or project: something the SBOM is about, not a package from a registry.
fn structural<'a>(name: &'a str, id: &str) -> Package<'a> {
    Package {
        name,
        spdxid: id.to_owned(),
        version_info: None,
        download_location: NOASSERTION.into(),
        source_info: None,
        files_analyzed: false,
        checksums: Vec::new(),
        license_concluded: NOASSERTION,
        license_declared: Cow::Borrowed(NOASSERTION),
        copyright_text: NOASSERTION,
        external_refs: Vec::new(),
        primary_package_purpose: "APPLICATION",
    }
}

fn package<'a>(
    c: &'a Component,
    id: &str,
    extracted: &mut BTreeMap<String, String>,
) -> Package<'a> {
    Package {
        name: &c.name,
        spdxid: id.to_owned(),
        version_info: c.version.as_deref(),
        download_location: download_location(&c.source).unwrap_or_else(|| NOASSERTION.into()),
        source_info: source_info(&c.source),
        files_analyzed: false,
        checksums: c
            .hashes
            .iter()
            .map(|h| Checksum {
                algorithm: match h.algorithm {
                    HashAlgorithm::Md5 => "MD5",
                    HashAlgorithm::Sha1 => "SHA1",
                    HashAlgorithm::Sha256 => "SHA256",
                    HashAlgorithm::Sha384 => "SHA384",
                    HashAlgorithm::Sha512 => "SHA512",
                    HashAlgorithm::Blake2b256 => "BLAKE2b-256",
                    HashAlgorithm::Blake3 => "BLAKE3",
                },
                checksum_value: &h.value,
            })
            .collect(),
        license_concluded: NOASSERTION,
        license_declared: Cow::Owned(declared(&c.licenses, extracted)),
        copyright_text: NOASSERTION,
        external_refs: vec![ExtRef {
            reference_category: "PACKAGE-MANAGER",
            reference_type: "purl",
            reference_locator: c.purl.as_str(),
        }],
        primary_package_purpose: if c.relationship == Relationship::Root {
            "APPLICATION"
        } else {
            "LIBRARY"
        },
    }
}

/// The declared licences as one SPDX expression (several are joined with AND, the cautious
/// reading); free text becomes a `LicenseRef-` recorded in `extracted`.
fn declared(raw: &[String], extracted: &mut BTreeMap<String, String>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for l in raw {
        let part = match license::classify(l) {
            Declared::Id(id) => id.to_owned(),
            // A reference to a licence the document does not define would not validate.
            Declared::Expression(e)
                if !e.contains("LicenseRef-") && !e.contains("DocumentRef-") =>
            {
                if raw.len() > 1 && e.contains(' ') {
                    format!("({e})")
                } else {
                    e.to_owned()
                }
            }
            Declared::Expression(t) | Declared::Text(t) => {
                if t.is_empty() {
                    continue;
                }
                let id = license::license_ref(t);
                extracted.insert(id.clone(), t.to_owned());
                id
            }
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        NOASSERTION.into()
    } else {
        parts.join(" AND ")
    }
}

/// An SPDX download location for a source, if it has one the SPDX validators accept: a URL with
/// a DNS host, optionally prefixed by the VCS (`git+https://host/repo@rev`).
fn source_info(source: &Source) -> Option<String> {
    match source {
        Source::Registry { .. } => Some("ospo source: registry".to_owned()),
        Source::Path { path } if path.is_empty() => Some("ospo source: path".to_owned()),
        Source::Path { path } => Some(format!("ospo source: path {path}")),
        _ => None,
    }
}

fn download_location(source: &Source) -> Option<String> {
    let (url, vcs_rev) = match source {
        Source::Git { url, rev } => (url.as_str(), Some(rev)),
        Source::Url { url } => (url.as_str(), None),
        _ => return None,
    };
    let bare = url.strip_prefix("git+").unwrap_or(url);
    if !valid_url(bare) {
        return None;
    }
    Some(match vcs_rev {
        Some(Some(rev)) => format!("git+{bare}@{rev}"),
        Some(None) => format!("git+{bare}"),
        None => bare.to_owned(),
    })
}

/// `scheme://[user@]host.tld[:port][/path]`, as the SPDX download-location grammar reads it.
fn valid_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    if !matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "ssh" | "git" | "svn" | "sftp" | "ftp"
    ) || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let authority = rest.split('/').next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
    let port_ok = port.is_empty() || (port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()));
    let labels: Vec<&str> = host.split('.').collect();
    let host_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels.last().is_some_and(|tld| {
            (2..=5).contains(&tld.len()) && tld.bytes().all(|b| b.is_ascii_alphabetic())
        });
    port_ok && host_ok
}

fn tag_value(doc: &Doc) -> String {
    let mut out = String::new();
    let line = |out: &mut String, tag: &str, value: &str| {
        if value.contains('\n') || value.contains('\r') {
            let v = value.replace("</text>", "");
            let _ = writeln!(out, "{tag}: <text>{v}</text>");
        } else {
            let _ = writeln!(out, "{tag}: {value}");
        }
    };
    line(&mut out, "SPDXVersion", doc.spdx_version);
    line(&mut out, "DataLicense", doc.data_license);
    line(&mut out, "SPDXID", doc.spdxid);
    line(&mut out, "DocumentName", doc.name);
    line(&mut out, "DocumentNamespace", &doc.document_namespace);
    for c in &doc.creation_info.creators {
        line(&mut out, "Creator", c);
    }
    line(&mut out, "Created", &doc.creation_info.created);
    for p in &doc.packages {
        out.push('\n');
        line(&mut out, "PackageName", p.name);
        line(&mut out, "SPDXID", &p.spdxid);
        if let Some(v) = &p.version_info {
            line(&mut out, "PackageVersion", v);
        }
        line(&mut out, "PackageDownloadLocation", &p.download_location);
        if let Some(info) = &p.source_info {
            line(
                &mut out,
                "PackageSourceInfo",
                &format!("<text>{info}</text>"),
            );
        }
        line(&mut out, "FilesAnalyzed", "false");
        for c in &p.checksums {
            line(
                &mut out,
                "PackageChecksum",
                &format!("{}: {}", c.algorithm, c.checksum_value),
            );
        }
        line(&mut out, "PackageLicenseConcluded", p.license_concluded);
        line(&mut out, "PackageLicenseDeclared", &p.license_declared);
        line(&mut out, "PackageCopyrightText", p.copyright_text);
        for r in &p.external_refs {
            line(
                &mut out,
                "ExternalRef",
                &format!(
                    "{} {} {}",
                    r.reference_category, r.reference_type, r.reference_locator
                ),
            );
        }
        line(&mut out, "PrimaryPackagePurpose", p.primary_package_purpose);
    }
    if !doc.relationships.is_empty() {
        out.push('\n');
    }
    for r in &doc.relationships {
        line(
            &mut out,
            "Relationship",
            &format!(
                "{} {} {}",
                r.spdx_element_id, r.relationship_type, r.related_spdx_element
            ),
        );
    }
    for e in &doc.has_extracted_licensing_infos {
        out.push('\n');
        line(&mut out, "LicenseID", &e.license_id);
        let text = e.extracted_text.replace("</text>", "");
        let _ = writeln!(out, "ExtractedText: <text>{text}</text>");
        line(&mut out, "LicenseName", &e.name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_spdx_grammar() {
        assert!(valid_url("https://github.com/a/b"));
        assert!(valid_url("ssh://git@github.com:22/a/b"));
        assert!(!valid_url("https://localhost/a"));
        assert!(!valid_url("file:///tmp/x"));
        assert!(!valid_url("git@github.com:a/b"));
        assert_eq!(
            download_location(&Source::Git {
                url: "https://github.com/x/y".into(),
                rev: Some("abc".into())
            })
            .as_deref(),
            Some("git+https://github.com/x/y@abc")
        );
        assert_eq!(download_location(&Source::Registry { url: None }), None);
    }

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(sanitise("npm-@babel/core-7.0.0"), "npm-babel-core-7.0.0");
        assert_eq!(sanitise("a__b"), "a-b");
    }
}
