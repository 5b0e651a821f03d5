//! CycloneDX 1.6 JSON writer.
//!
//! Shape: `metadata.component` is the repository (type application), or a synthetic `portfolio`
//! component when there are several, whose nested components are the repositories; projects are
//! nested components of their repository. Packages are the flat top-level `components` (type
//! library; `application` for a project's own packages), one per project that uses them.
//! `dependencies` lists every bom-ref: root → repositories → projects → the project's own and
//! direct packages → the recorded graph.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use ospo_model::{Component, Ecosystem, Portfolio, Relationship, Scope, Source};
use serde::Serialize;

use crate::layout::{self, Layout};
use crate::license::{self, Declared};
use crate::{SbomError, WriteOptions};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom<'a> {
    bom_format: &'static str,
    spec_version: &'static str,
    serial_number: String,
    version: u32,
    metadata: Metadata<'a>,
    components: Vec<Comp<'a>>,
    dependencies: Vec<Dependency<'a>>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    timestamp: String,
    tools: Tools<'a>,
    component: Comp<'a>,
}

#[derive(Serialize)]
struct Tools<'a> {
    components: Vec<Comp<'a>>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
/// A component as written: its text borrowed from the inventory and the layout wherever it can
/// be (a portfolio's SBOM has hundreds of thousands of them).
struct Comp<'a> {
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<HashEntry<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    components: Vec<Comp<'a>>,
}

#[derive(Serialize)]
struct HashEntry<'a> {
    alg: ospo_model::HashAlgorithm,
    content: &'a str,
}

#[derive(Serialize)]
struct ExternalRef {
    #[serde(rename = "type")]
    ty: &'static str,
    url: String,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Property<'a> {
    name: &'static str,
    value: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency<'a> {
    #[serde(rename = "ref")]
    reference: Cow<'a, str>,
    depends_on: Vec<Cow<'a, str>>,
}

pub(crate) fn write(
    portfolio: &Portfolio,
    opts: &WriteOptions,
    out: &mut dyn std::io::Write,
) -> Result<(), SbomError> {
    let layout = layout::layout(portfolio, opts.name.as_deref());
    let (root, components, graph) = build(&layout);
    let mut bom = Bom {
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: String::new(),
        version: 1,
        metadata: Metadata {
            timestamp: crate::timestamp(opts)?,
            tools: Tools {
                components: vec![Comp {
                    ty: "application",
                    name: Cow::Borrowed(&opts.tool_name),
                    version: Some(&opts.tool_version),
                    ..Comp::default()
                }],
            },
            component: root,
        },
        components,
        dependencies: graph
            .into_iter()
            .map(|(reference, deps)| Dependency {
                reference,
                depends_on: deps.into_iter().collect(),
            })
            .collect(),
    };
    bom.serial_number = format!("urn:uuid:{}", crate::document_uuid(opts, &bom)?);
    crate::write_json(&bom, out)
}

type Graph<'a> = BTreeMap<Cow<'a, str>, BTreeSet<Cow<'a, str>>>;

fn build<'a>(layout: &'a Layout<'_>) -> (Comp<'a>, Vec<Comp<'a>>, Graph<'a>) {
    let mut graph: Graph<'a> = BTreeMap::new();
    let mut components = Vec::new();
    let mut used = BTreeSet::new();
    let mut unique = |base: String| {
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}~{n}");
            n += 1;
        }
        id
    };

    let mut repo_comps = Vec::new();
    for repo in &layout.repositories {
        let repo_ref = unique(format!("repository:{}", repo.name));
        let mut project_comps = Vec::new();
        for node in &repo.projects {
            let project_ref = unique(format!("project:{}", node.id));
            graph
                .entry(Cow::Owned(repo_ref.clone()))
                .or_default()
                .insert(Cow::Owned(project_ref.clone()));
            let refs: Vec<&'a str> = node.components.iter().map(|o| o.bom_ref.as_str()).collect();
            let deps = graph.entry(Cow::Owned(project_ref.clone())).or_default();
            for i in node.top_level() {
                if let Some(r) = refs.get(i) {
                    deps.insert(Cow::Borrowed(*r));
                }
            }
            for r in &refs {
                graph.entry(Cow::Borrowed(*r)).or_default();
            }
            for &(from, to) in &node.edges {
                if let (Some(f), Some(t)) = (refs.get(from), refs.get(to)) {
                    graph
                        .entry(Cow::Borrowed(*f))
                        .or_default()
                        .insert(Cow::Borrowed(*t));
                }
            }
            for o in &node.components {
                components.push(package(&o.component, &o.bom_ref));
            }
            project_comps.push(Comp {
                ty: "application",
                bom_ref: Some(Cow::Owned(project_ref)),
                name: Cow::Borrowed(&node.id),
                properties: vec![
                    Property {
                        name: "ospo:ecosystem",
                        value: Cow::Borrowed(node.project.ecosystem.osv_name()),
                    },
                    Property {
                        name: "ospo:extractor",
                        value: Cow::Borrowed(&node.project.extractor),
                    },
                ],
                ..Comp::default()
            });
        }
        graph.entry(Cow::Owned(repo_ref.clone())).or_default();
        repo_comps.push(Comp {
            ty: "application",
            bom_ref: Some(Cow::Owned(repo_ref)),
            name: Cow::Borrowed(repo.name),
            components: project_comps,
            ..Comp::default()
        });
    }

    let root = if repo_comps.len() == 1 {
        let mut root = repo_comps.remove(0);
        root.name = Cow::Borrowed(&layout.name);
        root
    } else {
        let root_ref = unique("portfolio".to_owned());
        let deps = graph.entry(Cow::Owned(root_ref.clone())).or_default();
        for r in &repo_comps {
            deps.extend(r.bom_ref.clone());
        }
        Comp {
            ty: "application",
            bom_ref: Some(Cow::Owned(root_ref)),
            name: Cow::Borrowed(&layout.name),
            components: repo_comps,
            ..Comp::default()
        }
    };
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    (root, components, graph)
}

/// CycloneDX `group` and `name` of a package, split as syft and cdxgen do: the Maven group id,
/// the npm scope; other ecosystems keep their native name whole.
fn group_and_name(c: &Component) -> (Option<&str>, &str) {
    match (c.ecosystem, c.purl.namespace()) {
        (Ecosystem::Maven | Ecosystem::Npm | Ecosystem::Generic, Some(ns)) => {
            (Some(ns), c.purl.name())
        }
        _ => (None, &c.name),
    }
}

fn package<'a>(c: &'a Component, bom_ref: &'a str) -> Comp<'a> {
    let (group, name) = group_and_name(c);
    let mut properties = vec![
        Property {
            name: "ospo:scope",
            value: Cow::Borrowed(layout::scope_name(c.scope)),
        },
        Property {
            name: "ospo:relationship",
            value: Cow::Borrowed(layout::relationship_name(c.relationship)),
        },
    ];
    if let Some(kind) = layout::source_kind(&c.source) {
        properties.push(Property {
            name: "ospo:source",
            value: Cow::Borrowed(kind),
        });
    }
    for l in &c.locations {
        properties.push(Property {
            name: "ospo:location",
            value: Cow::Owned(layout::location_text(l)),
        });
    }
    properties.sort();
    Comp {
        ty: if c.relationship == Relationship::Root {
            "application"
        } else {
            "library"
        },
        bom_ref: Some(Cow::Borrowed(bom_ref)),
        group,
        name: Cow::Borrowed(name),
        version: c.version.as_deref(),
        scope: Some(match c.scope {
            Scope::Runtime => "required",
            Scope::Optional => "optional",
            Scope::Dev | Scope::Build => "excluded",
        }),
        hashes: c
            .hashes
            .iter()
            .map(|h| HashEntry {
                alg: h.algorithm,
                content: &h.value,
            })
            .collect(),
        licenses: licenses(&c.licenses),
        purl: Some(c.purl.as_str()),
        external_references: external_refs(&c.source),
        properties,
        components: Vec::new(),
    }
}

/// Declared licences: one SPDX expression alone, else one licence object each (`id` for a list
/// id, `name` for anything else), all marked as declared.
fn licenses(raw: &[String]) -> Vec<serde_json::Value> {
    use serde_json::json;
    if let [one] = raw
        && let Declared::Expression(e) = license::classify(one)
    {
        return vec![json!({"expression": e, "acknowledgement": "declared"})];
    }
    let mut out: Vec<serde_json::Value> = raw
        .iter()
        .map(|l| match license::classify(l) {
            Declared::Id(id) => json!({"license": {"id": id, "acknowledgement": "declared"}}),
            Declared::Expression(t) | Declared::Text(t) => {
                json!({"license": {"name": t, "acknowledgement": "declared"}})
            }
        })
        .collect();
    out.sort_by_key(|v| v.to_string());
    out
}

fn external_refs(source: &Source) -> Vec<ExternalRef> {
    let is_url = |u: &str| {
        u.split_once("://").is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }) && !u.chars().any(|c| c.is_whitespace() || c.is_control())
    };
    match source {
        Source::Git { url, rev } if is_url(url) => vec![ExternalRef {
            ty: "vcs",
            url: match rev {
                Some(rev) => format!("{url}#{rev}"),
                None => url.clone(),
            },
        }],
        Source::Url { url } if is_url(url) => vec![ExternalRef {
            ty: "distribution",
            url: url.clone(),
        }],
        _ => Vec::new(),
    }
}
