//! CycloneDX readers: JSON and XML, spec 1.2–1.6 (1.7 is read too: it only adds fields).
//!
//! Nested components are flattened; `dependencies` become edges between the purls of the
//! components they name; the components the root depends on are direct, the others transitive
//! (unknown when the file has no graph). ospo's own `ospo:*` properties are read back.

use std::collections::HashMap;
use std::path::Path;

use ospo_model::{
    CompactString, Component, Diagnostic, Ecosystem, Edge, Hash, Level, Purl, Relationship, Scope,
    Source,
};
use serde_json::Value;

use crate::layout::{parse_relationship, parse_scope};
use crate::{CYCLONEDX_JSON, CYCLONEDX_XML, Lines, SbomContent, SbomError};

const VERSIONS: &[&str] = &["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// One component as read, before the graph is applied.
#[derive(Default)]
pub(crate) struct Raw {
    pub bom_ref: Option<String>,
    pub group: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub scope: Option<String>,
    pub hashes: Vec<(String, String)>,
    pub licenses: Vec<String>,
    pub vcs: Option<String>,
    pub distribution: Option<String>,
    pub properties: Vec<(String, String)>,
    pub line: Option<u32>,
}

/// Builds a component from a purl (or a name and version as `pkg:generic`), with a diagnostic
/// when there is no usable purl.
pub(crate) fn component_of(
    origin: &str,
    path: &Path,
    purl: Option<&str>,
    name: Option<&str>,
    version: Option<&str>,
    line: Option<u32>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Component> {
    let label = name.unwrap_or("(unnamed)");
    let mut warn = |msg: String| {
        diagnostics.push(Diagnostic::new(Level::Warning, origin, path, line, msg));
    };
    if let Some(p) = purl.map(str::trim).filter(|p| !p.is_empty()) {
        match p.parse::<Purl>() {
            Ok(purl) => {
                let ecosystem = purl.ecosystem().unwrap_or(Ecosystem::Generic);
                let version = purl
                    .version()
                    .or(version)
                    .filter(|v| !v.is_empty())
                    .map(CompactString::from);
                return Some(Component {
                    name: purl.package_name().into(),
                    ecosystem,
                    version,
                    purl,
                    scope: Scope::default(),
                    relationship: Relationship::default(),
                    source: Source::default(),
                    hashes: Vec::new(),
                    licenses: Vec::new(),
                    locations: Vec::new(),
                });
            }
            Err(e) => warn(format!(
                "component `{label}` has an invalid purl `{p}`: {e}"
            )),
        }
    } else {
        warn(format!("component `{label}` has no purl"));
    }
    match (
        name.filter(|n| !n.is_empty()),
        version.filter(|v| !v.is_empty()),
    ) {
        (Some(n), Some(v)) => Component::new(Ecosystem::Generic, n, Some(v)).ok(),
        _ => None,
    }
}

pub(crate) fn read_json(path: &Path, text: &str) -> Result<SbomContent, SbomError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| SbomError::json(&e))?;
    if doc.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(SbomError::syntax(None, "`bomFormat` is not `CycloneDX`"));
    }
    let spec = doc
        .get("specVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !VERSIONS.contains(&spec.as_str()) {
        return Err(SbomError::Unsupported(format!("CycloneDX `{spec}`")));
    }
    let lines = Lines::new(text);
    let mut offset = 0;
    let mut raws = Vec::new();
    let mut stack: Vec<&Value> = doc
        .get("components")
        .and_then(Value::as_array)
        .map(|a| a.iter().rev().collect())
        .unwrap_or_default();
    while let Some(c) = stack.pop() {
        let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
        let mut raw = Raw {
            bom_ref: s("bom-ref"),
            group: s("group"),
            name: s("name"),
            version: s("version"),
            purl: s("purl"),
            scope: s("scope"),
            ..Raw::default()
        };
        let needle = raw
            .bom_ref
            .as_ref()
            .or(raw.purl.as_ref())
            .or(raw.name.as_ref());
        if let Some(n) = needle
            && let Ok(quoted) = serde_json::to_string(n)
            && let Some((line, end)) = lines.find(&quoted, offset)
        {
            raw.line = Some(line);
            offset = end;
        }
        for h in c
            .get("hashes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(a), Some(v)) = (
                h.get("alg").and_then(Value::as_str),
                h.get("content").and_then(Value::as_str),
            ) {
                raw.hashes.push((a.to_owned(), v.to_owned()));
            }
        }
        for l in c
            .get("licenses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let lic = l.get("license");
            let text = l
                .get("expression")
                .or_else(|| lic.and_then(|x| x.get("id")))
                .or_else(|| lic.and_then(|x| x.get("name")))
                .and_then(Value::as_str);
            raw.licenses.extend(text.map(str::to_owned));
        }
        for r in c
            .get("externalReferences")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let url = r.get("url").and_then(Value::as_str).map(str::to_owned);
            match r.get("type").and_then(Value::as_str) {
                Some("vcs") if raw.vcs.is_none() => raw.vcs = url,
                Some("distribution") if raw.distribution.is_none() => raw.distribution = url,
                _ => {}
            }
        }
        for p in c
            .get("properties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(n), Some(v)) = (
                p.get("name").and_then(Value::as_str),
                p.get("value").and_then(Value::as_str),
            ) {
                raw.properties.push((n.to_owned(), v.to_owned()));
            }
        }
        raws.push(raw);
        if let Some(nested) = c.get("components").and_then(Value::as_array) {
            stack.extend(nested.iter().rev());
        }
    }
    let root = doc.get("metadata").and_then(|m| m.get("component"));
    let root_ref = root
        .and_then(|r| r.get("bom-ref"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let root_name = root
        .and_then(|r| r.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut deps = Vec::new();
    for d in doc
        .get("dependencies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(from) = d.get("ref").and_then(Value::as_str) else {
            continue;
        };
        let on = d
            .get("dependsOn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        deps.push((from.to_owned(), on));
    }
    let has_graph = doc.get("dependencies").is_some();
    Ok(finish(
        CYCLONEDX_JSON,
        path,
        spec,
        raws,
        deps,
        root_ref,
        root_name,
        has_graph,
    ))
}

pub(crate) fn read_xml(path: &Path, text: &str) -> Result<SbomContent, SbomError> {
    let opt = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opt)
        .map_err(|e| SbomError::syntax(Some(e.pos().row), e))?;
    let bom = doc.root_element();
    let ns = bom.tag_name().namespace().unwrap_or_default();
    let spec = ns
        .rsplit('/')
        .next()
        .filter(|_| ns.starts_with("http://cyclonedx.org/schema/bom/"))
        .unwrap_or_default()
        .to_owned();
    if bom.tag_name().name() != "bom" {
        return Err(SbomError::syntax(Some(1), "the root element is not `bom`"));
    }
    if !VERSIONS.contains(&spec.as_str()) {
        return Err(SbomError::Unsupported(format!("CycloneDX `{spec}`")));
    }
    let mut raws = Vec::new();
    let mut stack: Vec<roxmltree::Node<'_, '_>> = child(bom, "components")
        .map(|cs| children(cs, "component").into_iter().rev().collect())
        .unwrap_or_default();
    while let Some(c) = stack.pop() {
        let mut raw = Raw {
            bom_ref: c.attribute("bom-ref").map(str::to_owned),
            group: text_of(child(c, "group")),
            name: text_of(child(c, "name")),
            version: text_of(child(c, "version")),
            purl: text_of(child(c, "purl")),
            scope: text_of(child(c, "scope")),
            line: Some(doc.text_pos_at(c.range().start).row),
            ..Raw::default()
        };
        if let Some(hs) = child(c, "hashes") {
            for h in children(hs, "hash") {
                if let (Some(a), Some(v)) = (h.attribute("alg"), h.text()) {
                    raw.hashes.push((a.to_owned(), v.trim().to_owned()));
                }
            }
        }
        if let Some(ls) = child(c, "licenses") {
            for l in ls.children().filter(roxmltree::Node::is_element) {
                let t = match l.tag_name().name() {
                    "expression" => text_of(Some(l)),
                    "license" => text_of(child(l, "id")).or_else(|| text_of(child(l, "name"))),
                    _ => None,
                };
                raw.licenses.extend(t);
            }
        }
        if let Some(rs) = child(c, "externalReferences") {
            for r in children(rs, "reference") {
                let url = text_of(child(r, "url"));
                match r.attribute("type") {
                    Some("vcs") if raw.vcs.is_none() => raw.vcs = url,
                    Some("distribution") if raw.distribution.is_none() => raw.distribution = url,
                    _ => {}
                }
            }
        }
        if let Some(ps) = child(c, "properties") {
            for p in children(ps, "property") {
                if let (Some(n), Some(v)) = (p.attribute("name"), p.text()) {
                    raw.properties.push((n.to_owned(), v.trim().to_owned()));
                }
            }
        }
        raws.push(raw);
        if let Some(nested) = child(c, "components") {
            stack.extend(children(nested, "component").into_iter().rev());
        }
    }
    let root = child(bom, "metadata").and_then(|m| child(m, "component"));
    let root_ref = root.and_then(|r| r.attribute("bom-ref")).map(str::to_owned);
    let root_name = root.and_then(|r| text_of(child(r, "name")));
    let mut deps = Vec::new();
    let graph = child(bom, "dependencies");
    if let Some(ds) = graph {
        // 1.2–1.4 nest `dependency` elements; each level is a `ref` and its direct dependencies.
        let mut stack = children(ds, "dependency");
        while let Some(d) = stack.pop() {
            let inner = children(d, "dependency");
            if let Some(from) = d.attribute("ref") {
                let on = inner
                    .iter()
                    .filter_map(|x| x.attribute("ref"))
                    .map(str::to_owned)
                    .collect();
                deps.push((from.to_owned(), on));
            }
            stack.extend(inner);
        }
    }
    Ok(finish(
        CYCLONEDX_XML,
        path,
        spec,
        raws,
        deps,
        root_ref,
        root_name,
        graph.is_some(),
    ))
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .collect()
}

fn text_of(n: Option<roxmltree::Node<'_, '_>>) -> Option<String> {
    n.and_then(|n| n.text()).map(|t| t.trim().to_owned())
}

#[allow(clippy::too_many_arguments)]
fn finish(
    origin: &'static str,
    path: &Path,
    spec: String,
    raws: Vec<Raw>,
    deps: Vec<(String, Vec<String>)>,
    root_ref: Option<String>,
    root_name: Option<String>,
    has_graph: bool,
) -> SbomContent {
    let mut out = SbomContent {
        format: origin,
        spec_version: spec,
        root_name,
        ..SbomContent::default()
    };
    // bom-ref → purl key of the component it names.
    let mut keys: HashMap<String, std::sync::Arc<str>> = HashMap::new();
    let mut comps: Vec<(Component, bool)> = Vec::new();
    for raw in raws {
        let full_name = match (&raw.group, &raw.name) {
            (Some(g), Some(n)) if !g.is_empty() => Some(format!("{g}/{n}")),
            (_, n) => n.clone(),
        };
        let Some(mut c) = component_of(
            origin,
            path,
            raw.purl.as_deref(),
            full_name.as_deref(),
            raw.version.as_deref(),
            raw.line,
            &mut out.diagnostics,
        ) else {
            continue;
        };
        c.scope = match raw.scope.as_deref() {
            Some("optional") => Scope::Optional,
            Some("excluded") => Scope::Dev,
            _ => Scope::Runtime,
        };
        let mut explicit_relationship = false;
        for (n, v) in &raw.properties {
            match n.as_str() {
                "ospo:scope" => c.scope = parse_scope(v).unwrap_or(c.scope),
                "ospo:relationship" => {
                    if let Some(r) = parse_relationship(v) {
                        c.relationship = r;
                        explicit_relationship = true;
                    }
                }
                "ospo:source" if v == "registry" => c.source = Source::Registry { url: None },
                "ospo:source" if v == "path" => {
                    c.source = Source::Path {
                        path: String::new(),
                    }
                }
                _ => {}
            }
        }
        if let Some(vcs) = &raw.vcs {
            let (url, rev) = match vcs.split_once('#') {
                Some((u, r)) => (u.to_owned(), Some(r.to_owned()).filter(|r| !r.is_empty())),
                None => (vcs.clone(), None),
            };
            c.source = Source::Git { url, rev };
        } else if let Some(url) = &raw.distribution {
            c.source = Source::Url { url: url.clone() };
        }
        for (alg, value) in &raw.hashes {
            match Hash::from_hex(alg, value) {
                Some(h) if !c.hashes.contains(&h) => c.hashes.push(h),
                Some(_) => {}
                None => out.diagnostics.push(Diagnostic::new(
                    Level::Warning,
                    origin,
                    path,
                    raw.line,
                    format!("unreadable {alg} hash of `{}` ignored", c.purl),
                )),
            }
        }
        for l in &raw.licenses {
            c = c.with_license(l);
        }
        c = c.at(path, raw.line);
        if let Some(r) = &raw.bom_ref {
            keys.insert(r.clone(), c.key());
        }
        comps.push((c, explicit_relationship));
    }
    // Edges between components; what the root (or a component-less ref) points at is direct.
    let mut direct: std::collections::HashSet<std::sync::Arc<str>> =
        std::collections::HashSet::new();
    for (from, on) in &deps {
        let from_key = keys.get(from);
        for to in on {
            let Some(to_key) = keys.get(to) else { continue };
            match from_key {
                Some(f) if f != to_key => out.edges.push(Edge {
                    from: f.clone(),
                    to: to_key.clone(),
                }),
                Some(_) => {}
                None => {
                    if root_ref.as_deref() == Some(from.as_str()) || !keys.contains_key(from) {
                        direct.insert(to_key.clone());
                    }
                }
            }
        }
    }
    for (mut c, explicit) in comps {
        if !explicit && has_graph {
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
