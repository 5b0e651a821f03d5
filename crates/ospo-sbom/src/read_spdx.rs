//! SPDX 2.2/2.3 readers, JSON and tag-value, into one intermediate form.
//!
//! Components are the packages with a `purl` external reference (or a name and version, as
//! `pkg:generic`). Packages the document DESCRIBES, and what they CONTAIN without a purl, are
//! what the SBOM is about (ospo writes repositories and projects so), not components.
//! `A DEPENDS_ON B` and `B *_DEPENDENCY_OF A` are edges; a `DEV_`/`OPTIONAL_`/`BUILD_`
//! `DEPENDENCY_OF` gives the package's scope. `LicenseRef-` ids defined in the document are read
//! back as their extracted text.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use ospo_model::{Diagnostic, Edge, Hash, Level, Relationship, Scope, Source};
use serde_json::Value;

use crate::read_cdx::component_of;
use crate::{Lines, SPDX_JSON, SPDX_TAG_VALUE, SbomContent, SbomError};

const VERSIONS: &[&str] = &["SPDX-2.2", "SPDX-2.3"];

#[derive(Default)]
struct Pkg {
    id: String,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    checksums: Vec<(String, String)>,
    license: Option<String>,
    download: Option<String>,
    /// `PackageSourceInfo`; ospo writes `ospo source: registry` or `ospo source: path <dir>`
    /// there for what a download location cannot say.
    source_info: Option<String>,
    line: Option<u32>,
}

#[derive(Default)]
struct Doc {
    spec: String,
    name: Option<String>,
    packages: Vec<Pkg>,
    rels: Vec<(String, String, String)>,
    describes: Vec<String>,
    extracted: HashMap<String, String>,
}

pub(crate) fn read_json(path: &Path, text: &str) -> Result<SbomContent, SbomError> {
    let v: Value = serde_json::from_str(text).map_err(|e| SbomError::json(&e))?;
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut doc = Doc {
        spec: s(&v, "spdxVersion").unwrap_or_default(),
        name: s(&v, "name"),
        ..Doc::default()
    };
    check_version(&doc.spec)?;
    let lines = Lines::new(text);
    let mut offset = 0;
    for p in v
        .get("packages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(id) = s(p, "SPDXID") else { continue };
        let mut pkg = Pkg {
            name: s(p, "name"),
            version: s(p, "versionInfo"),
            license: s(p, "licenseDeclared"),
            download: s(p, "downloadLocation"),
            source_info: s(p, "sourceInfo"),
            ..Pkg::default()
        };
        if let Ok(q) = serde_json::to_string(&id)
            && let Some((line, end)) = lines.find(&q, offset)
        {
            pkg.line = Some(line);
            offset = end;
        }
        pkg.id = id;
        for r in p
            .get("externalRefs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if s(r, "referenceType").as_deref() == Some("purl") && pkg.purl.is_none() {
                pkg.purl = s(r, "referenceLocator");
            }
        }
        for c in p
            .get("checksums")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(a), Some(val)) = (s(c, "algorithm"), s(c, "checksumValue")) {
                pkg.checksums.push((a, val));
            }
        }
        doc.packages.push(pkg);
    }
    for r in v
        .get("relationships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(a), Some(t), Some(b)) = (
            s(r, "spdxElementId"),
            s(r, "relationshipType"),
            s(r, "relatedSpdxElement"),
        ) {
            doc.rels.push((a, t, b));
        }
    }
    doc.describes = v
        .get("documentDescribes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for e in v
        .get("hasExtractedLicensingInfos")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(id), Some(t)) = (s(e, "licenseId"), s(e, "extractedText")) {
            doc.extracted.insert(id, t);
        }
    }
    Ok(finish(SPDX_JSON, path, doc))
}

fn check_version(spec: &str) -> Result<(), SbomError> {
    if VERSIONS.contains(&spec) {
        Ok(())
    } else {
        Err(SbomError::Unsupported(format!("SPDX `{spec}`")))
    }
}

pub(crate) fn read_tag_value(path: &Path, text: &str) -> Result<SbomContent, SbomError> {
    let mut doc = Doc::default();
    let mut current: Option<Pkg> = None;
    let mut license_id: Option<String> = None;
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            return Err(SbomError::syntax(
                Some(line_no),
                format!("expected `Tag: value`, found `{line}`"),
            ));
        };
        let mut value = value.trim().to_owned();
        if let Some(rest) = value.strip_prefix("<text>") {
            // A multi-line value runs to `</text>`.
            let mut buf = rest.to_owned();
            while !buf.contains("</text>") {
                match lines.next() {
                    Some((_, l)) => {
                        buf.push('\n');
                        buf.push_str(l);
                    }
                    None => {
                        return Err(SbomError::syntax(Some(line_no), "unterminated `<text>`"));
                    }
                }
            }
            value = buf.split("</text>").next().unwrap_or_default().to_owned();
        }
        match tag.trim() {
            "SPDXVersion" => {
                check_version(&value)?;
                doc.spec = value;
            }
            "DocumentName" => doc.name = Some(value),
            "PackageName" => {
                doc.packages.extend(current.take());
                current = Some(Pkg {
                    name: Some(value),
                    line: Some(line_no),
                    ..Pkg::default()
                });
            }
            "SPDXID" => {
                if let Some(p) = current.as_mut().filter(|p| p.id.is_empty()) {
                    p.id = value;
                }
            }
            "FileName" | "SnippetSPDXID" => doc.packages.extend(current.take()),
            "PackageVersion" => set(&mut current, |p| p.version = Some(value)),
            "PackageDownloadLocation" => set(&mut current, |p| p.download = Some(value)),
            "PackageSourceInfo" => set(&mut current, |p| {
                p.source_info = Some(strip_text_tags(&value).to_owned());
            }),
            "PackageLicenseDeclared" => set(&mut current, |p| p.license = Some(value)),
            "PackageChecksum" => {
                if let Some((a, v)) = value.split_once(':') {
                    let (a, v) = (a.trim().to_owned(), v.trim().to_owned());
                    set(&mut current, |p| p.checksums.push((a, v)));
                }
            }
            "ExternalRef" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let [_, "purl", locator, ..] = parts.as_slice() {
                    let locator = (*locator).to_owned();
                    set(&mut current, |p| {
                        p.purl.get_or_insert(locator);
                    });
                }
            }
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let [a, t, b, ..] = parts.as_slice() {
                    doc.rels.push(((*a).into(), (*t).into(), (*b).into()));
                }
            }
            "LicenseID" => license_id = Some(value),
            "ExtractedText" => {
                if let Some(id) = license_id.take() {
                    doc.extracted.insert(id, value);
                }
            }
            _ => {}
        }
    }
    doc.packages.extend(current.take());
    if doc.spec.is_empty() {
        return Err(SbomError::syntax(Some(1), "no `SPDXVersion`"));
    }
    Ok(finish(SPDX_TAG_VALUE, path, doc))
}

fn set(current: &mut Option<Pkg>, f: impl FnOnce(&mut Pkg)) {
    if let Some(p) = current.as_mut() {
        f(p);
    }
}

fn finish(origin: &'static str, path: &Path, doc: Doc) -> SbomContent {
    let mut out = SbomContent {
        format: origin,
        spec_version: doc.spec,
        ..SbomContent::default()
    };
    let mut described: HashSet<String> = doc.describes.iter().cloned().collect();
    for (a, t, b) in &doc.rels {
        match t.as_str() {
            "DESCRIBES" if a == "SPDXRef-DOCUMENT" => {
                described.insert(b.clone());
            }
            "DESCRIBED_BY" if b == "SPDXRef-DOCUMENT" => {
                described.insert(a.clone());
            }
            _ => {}
        }
    }
    // What the described packages contain without a purl (ospo's projects) is structure too.
    let no_purl: HashSet<&str> = doc
        .packages
        .iter()
        .filter(|p| p.purl.is_none())
        .map(|p| p.id.as_str())
        .collect();
    let mut structural: HashSet<String> = described.clone();
    for (a, t, b) in &doc.rels {
        if t == "CONTAINS" && described.contains(a) && no_purl.contains(b.as_str()) {
            structural.insert(b.clone());
        }
    }
    out.root_name = doc
        .packages
        .iter()
        .find(|p| described.contains(&p.id))
        .and_then(|p| p.name.clone())
        .or(doc.name);

    let mut keys: HashMap<&str, std::sync::Arc<str>> = HashMap::new();
    let mut comps = Vec::new();
    for p in &doc.packages {
        if structural.contains(&p.id) && p.purl.is_none() {
            continue;
        }
        let Some(mut c) = component_of(
            origin,
            path,
            p.purl.as_deref(),
            p.name.as_deref(),
            p.version.as_deref().filter(|v| *v != "NOASSERTION"),
            p.line,
            &mut out.diagnostics,
        ) else {
            continue;
        };
        for (alg, value) in &p.checksums {
            match Hash::from_hex(alg, value) {
                Some(h) if !c.hashes.contains(&h) => c.hashes.push(h),
                Some(_) => {}
                None => out.diagnostics.push(Diagnostic::new(
                    Level::Warning,
                    origin,
                    path,
                    p.line,
                    format!("unreadable {alg} checksum of `{}` ignored", c.purl),
                )),
            }
        }
        if let Some(l) = p
            .license
            .as_deref()
            .filter(|l| !matches!(*l, "NOASSERTION" | "NONE" | ""))
        {
            c = c.with_license(doc.extracted.get(l).map_or(l, String::as_str));
        }
        if let Some(d) = p.download.as_deref() {
            c.source = source_of(d);
        }
        if c.source == Source::Unknown
            && let Some(info) = p.source_info.as_deref()
        {
            c.source = source_from_info(info);
        }
        c = c.at(path, p.line);
        keys.insert(p.id.as_str(), c.key());
        comps.push(c);
    }

    let mut direct: HashSet<std::sync::Arc<str>> = HashSet::new();
    let mut scopes: HashMap<std::sync::Arc<str>, Scope> = HashMap::new();
    let mut has_graph = false;
    for (a, t, b) in &doc.rels {
        let (from, to, scope) = match t.as_str() {
            "DEPENDS_ON" => (a, b, None),
            "DEPENDENCY_OF" | "RUNTIME_DEPENDENCY_OF" => (b, a, Some(Scope::Runtime)),
            "DEV_DEPENDENCY_OF" | "TEST_DEPENDENCY_OF" => (b, a, Some(Scope::Dev)),
            "OPTIONAL_DEPENDENCY_OF" => (b, a, Some(Scope::Optional)),
            "BUILD_DEPENDENCY_OF" => (b, a, Some(Scope::Build)),
            _ => continue,
        };
        has_graph = true;
        let Some(to_key) = keys.get(to.as_str()) else {
            continue;
        };
        if let Some(s) = scope {
            let e = scopes.entry(to_key.clone()).or_insert(s);
            *e = (*e).min(s);
        }
        match keys.get(from.as_str()) {
            Some(f) if f != to_key => out.edges.push(Edge {
                from: f.clone(),
                to: to_key.clone(),
            }),
            Some(_) => {}
            None => {
                direct.insert(to_key.clone());
            }
        }
    }
    for mut c in comps {
        if let Some(s) = scopes.get(c.purl.as_str()) {
            c.scope = *s;
        }
        if has_graph {
            c.relationship = if direct.contains(c.purl.as_str()) {
                Relationship::Direct
            } else {
                Relationship::Transitive
            };
        }
        out.components.push(c);
    }
    out.edges.sort();
    out.edges.dedup();
    out
}

/// The source ospo wrote in `PackageSourceInfo` (`ospo source: path crates/cli`); anything
/// else there is free text and says nothing certain.
fn source_from_info(info: &str) -> Source {
    match info.trim().strip_prefix("ospo source: ") {
        Some("registry") => Source::Registry { url: None },
        Some(rest) if rest == "path" || rest.starts_with("path ") => Source::Path {
            path: rest.get(5..).unwrap_or("").trim().to_owned(),
        },
        _ => Source::Unknown,
    }
}

/// A tag-value text field without its `<text>` wrapping.
fn strip_text_tags(value: &str) -> &str {
    value
        .trim()
        .strip_prefix("<text>")
        .and_then(|v| v.strip_suffix("</text>"))
        .unwrap_or(value)
}

/// The source an SPDX download location names (`git+https://host/repo@rev`, a URL).
fn source_of(location: &str) -> Source {
    if matches!(location, "NOASSERTION" | "NONE" | "") {
        return Source::Unknown;
    }
    if let Some(rest) = location.strip_prefix("git+") {
        // The revision follows the last `@` after the host.
        let host_end = rest.find("://").map_or(0, |i| i + 3);
        let path_start = rest
            .get(host_end..)
            .and_then(|r| r.find('/'))
            .map_or(rest.len(), |i| i + host_end);
        return match rest.get(path_start..).and_then(|p| p.rfind('@')) {
            Some(i) => {
                let at = path_start + i;
                Source::Git {
                    url: rest.get(..at).unwrap_or(rest).to_owned(),
                    rev: rest
                        .get(at + 1..)
                        .map(str::to_owned)
                        .filter(|r| !r.is_empty()),
                }
            }
            None => Source::Git {
                url: rest.to_owned(),
                rev: None,
            },
        };
    }
    Source::Url {
        url: location.to_owned(),
    }
}
