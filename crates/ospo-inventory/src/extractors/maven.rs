//! `pom.xml`: the project and the dependencies it declares.
//!
//! A POM names only direct dependencies. Versions and scopes missing from a `<dependency>` come
//! from `<dependencyManagement>` (this file's, or a parent POM's); `${…}` properties are
//! interpolated from `<properties>`, the `project.*` coordinates and the parent's properties.
//! A parent POM is read from the scanned tree (at `<relativePath>`, default `../pom.xml`) when
//! it is there with the right coordinates; a parent that is not (one from a repository), an
//! imported BOM, and any version left unresolved are reported as warnings, never guessed.

use crate::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ospo_model::{Component, Diagnostic, Ecosystem, Edge, Level, Relationship, Scope, Source};
use roxmltree::{Document, Node};

use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct MavenPom;

const ID: &str = "maven-pom";

/// How many parent POMs are followed before giving up (a cycle, or an absurd chain).
const MAX_PARENTS: usize = 16;
/// How deep `${…}` references may nest before interpolation gives up.
const MAX_DEPTH: usize = 32;

impl Extractor for MavenPom {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Maven
    }
    fn files(&self) -> &'static str {
        "pom.xml (with parent POMs found in the scanned tree)"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("pom.xml")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "pom.xml")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let doc = Document::parse(text).map_err(|e| ExtractError::xml(&e))?;
        let project = doc.root_element();
        if project.tag_name().name() != "project" {
            return Err(ExtractError::syntax(
                Some(row(&doc, project)),
                format!(
                    "the root element is `<{}>`, not `<project>`",
                    project.tag_name().name()
                ),
            ));
        }
        let mut out = Extraction::default();
        let this = Model::read(project, input.path);

        // The inheritance chain, nearest first: parents that are in the tree; the first one that
        // is not ends the chain with a warning.
        let mut parents: Vec<Model> = Vec::new();
        let mut unresolved_parent = None;
        {
            let mut dir = input.path.parent().unwrap_or(Path::new("")).to_path_buf();
            let mut next = this.parent.clone();
            let mut seen = HashSet::default();
            while let Some(p) = next.take() {
                if parents.len() >= MAX_PARENTS || !seen.insert(p.coordinates()) {
                    break;
                }
                match find_parent(input, &dir, &p) {
                    Some(m) => {
                        dir = m.path.parent().unwrap_or(Path::new("")).to_path_buf();
                        next = m.parent.clone();
                        parents.push(m);
                    }
                    None => {
                        unresolved_parent = Some(p);
                        break;
                    }
                }
            }
        }
        if let Some(m) = parents.first() {
            out.manifest = Some(m.path.clone());
        }

        if let Some(p) = &unresolved_parent {
            out.diagnostics.push(Diagnostic::new(
                Level::Warning,
                ID,
                &p.file,
                Some(p.line),
                format!(
                    "parent POM {} is not in the scanned tree: the properties, dependency \
                     management and versions it defines are unknown",
                    p.coordinates()
                ),
            ));
        }

        // Coordinates, inherited from the parent element when missing.
        let parent_group = this.parent.as_ref().and_then(|p| p.group.clone());
        let parent_version = this.parent.as_ref().and_then(|p| p.version.clone());
        let group = this.group.clone().or_else(|| parent_group.clone());
        let version = this.version.clone().or_else(|| parent_version.clone());

        // Properties: the farthest parent first, so nearer definitions win.
        let mut props: HashMap<String, String> = HashMap::default();
        for m in parents.iter().rev().chain(std::iter::once(&this)) {
            for (k, v) in &m.properties {
                props.insert(k.clone(), v.clone());
            }
        }
        let mut builtin = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                for prefix in ["project.", "pom."] {
                    props.insert(format!("{prefix}{k}"), v.clone());
                }
            }
        };
        builtin("groupId", &group);
        builtin("artifactId", &this.artifact);
        builtin("version", &version);
        builtin("parent.groupId", &parent_group);
        builtin("parent.version", &parent_version);
        builtin(
            "parent.artifactId",
            &this.parent.as_ref().and_then(|p| p.artifact.clone()),
        );
        let interp = Interpolator { props: &props };

        let mut root_purl = None;
        match (&group, &this.artifact) {
            (Some(g), Some(a)) => {
                let g = interp.resolve(g);
                let a = interp.resolve(a);
                let v = version.as_deref().map(|v| interp.resolve(v));
                let v = v.filter(|v| !v.contains("${"));
                match Component::new(Ecosystem::Maven, &format!("{g}:{a}"), v.as_deref()) {
                    Ok(mut c) => {
                        // Licences are inherited when the project names none.
                        let licenses = std::iter::once(&this)
                            .chain(&parents)
                            .map(|m| &m.licenses)
                            .find(|l| !l.is_empty());
                        for l in licenses.into_iter().flatten() {
                            c = c.with_license(l);
                        }
                        let c = c
                            .with_relationship(Relationship::Root)
                            .with_source(Source::Path {
                                path: input
                                    .path
                                    .parent()
                                    .unwrap_or(Path::new(""))
                                    .to_string_lossy()
                                    .replace('\\', "/"),
                            })
                            .at(input.path, Some(row(&doc, project)));
                        root_purl = Some(c.key());
                        out.components.push(c);
                    }
                    Err(e) => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        None,
                        e.to_string(),
                    )),
                }
            }
            _ => out.diagnostics.push(input.diagnostic(
                ID,
                Level::Warning,
                Some(row(&doc, project)),
                "the project's groupId or artifactId is missing",
            )),
        }

        // Dependency management: this file's first, then the parents', the first match wins.
        let mut managed: HashMap<String, (Option<String>, Option<String>)> = HashMap::default();
        let mut imports = Vec::new();
        for m in std::iter::once(&this).chain(parents.iter()) {
            for d in &m.managed {
                let scope = d.scope.as_deref().map(|s| interp.resolve(s));
                if scope.as_deref() == Some("import") {
                    imports.push(d);
                    continue;
                }
                managed
                    .entry(d.key(&interp))
                    .or_insert((d.version.as_deref().map(|v| interp.resolve(v)), scope));
            }
        }
        let incomplete = unresolved_parent.is_some() || !imports.is_empty();
        for bom in imports {
            out.diagnostics.push(Diagnostic::new(
                Level::Warning,
                ID,
                &bom.file,
                bom.line,
                format!(
                    "imported BOM {}:{}:{} is not read: the versions it manages are unknown",
                    interp.resolve(bom.group.as_deref().unwrap_or("?")),
                    interp.resolve(bom.artifact.as_deref().unwrap_or("?")),
                    interp.resolve(bom.version.as_deref().unwrap_or("?")),
                ),
            ));
        }

        // A parent's dependencies are inherited: they are this project's too.
        let deps = this
            .dependencies
            .iter()
            .chain(parents.iter().flat_map(|m| &m.dependencies));
        for d in deps {
            let line = d.line;
            let warn = |msg: String| Diagnostic::new(Level::Warning, ID, &d.file, line, msg);
            let (Some(g), Some(a)) = (&d.group, &d.artifact) else {
                out.diagnostics.push(warn(
                    "a dependency without groupId or artifactId was ignored".into(),
                ));
                continue;
            };
            let g = interp.resolve(g);
            let a = interp.resolve(a);
            let m = managed.get(&d.key(&interp));
            let version = d
                .version
                .as_deref()
                .map(|v| interp.resolve(v))
                .or_else(|| m.and_then(|m| m.0.clone()));
            let scope = d
                .scope
                .as_deref()
                .map(|s| interp.resolve(s))
                .or_else(|| m.and_then(|m| m.1.clone()));
            let version = match version {
                Some(v) if v.contains("${") => {
                    out.diagnostics.push(warn(format!(
                        "the version of {g}:{a} (`{v}`) uses a property defined neither here \
                         nor in a parent POM in the tree"
                    )));
                    None
                }
                Some(v) if v.starts_with(['[', '(']) => {
                    out.diagnostics.push(warn(format!(
                        "{g}:{a} asks for the version range `{v}`: the POM does not say \
                         which version is used"
                    )));
                    None
                }
                Some(v) if !v.is_empty() => Some(v),
                _ => {
                    out.diagnostics.push(warn(format!(
                        "the version of {g}:{a} is not set here{}",
                        if incomplete {
                            ": it is managed by a parent POM or BOM that is not available"
                        } else {
                            ""
                        }
                    )));
                    None
                }
            };
            let mut c =
                match Component::new(Ecosystem::Maven, &format!("{g}:{a}"), version.as_deref()) {
                    Ok(c) => c,
                    Err(e) => {
                        out.diagnostics.push(warn(e.to_string()));
                        continue;
                    }
                };
            let ty =
                d.ty.as_deref()
                    .map(|t| interp.resolve(t))
                    .unwrap_or_default();
            if !ty.is_empty() && ty != "jar" {
                c.purl = c.purl.clone().with_qualifier("type", &ty).unwrap_or(c.purl);
            }
            let classifier = d
                .classifier
                .as_deref()
                .map(|t| interp.resolve(t))
                .unwrap_or_default();
            if !classifier.is_empty() {
                c.purl = c
                    .purl
                    .clone()
                    .with_qualifier("classifier", &classifier)
                    .unwrap_or(c.purl);
            }
            let optional =
                d.optional.as_deref().map(|o| interp.resolve(o)).as_deref() == Some("true");
            c.scope = match scope.as_deref().unwrap_or("compile") {
                "test" => Scope::Dev,
                "provided" | "system" => Scope::Build,
                _ if optional => Scope::Optional,
                _ => Scope::Runtime,
            };
            c.relationship = Relationship::Direct;
            c.source = Source::Registry { url: None };
            c = c.at(&d.file, line);
            if let Some(root) = &root_purl {
                out.edges.push(Edge {
                    from: root.clone(),
                    to: c.key(),
                });
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

/// The 1-based line where a node starts.
fn row(doc: &Document<'_>, node: Node<'_, '_>) -> u32 {
    doc.text_pos_at(node.range().start).row
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    let t = child(node, name)?.text()?.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The `<parent>` element.
#[derive(Clone)]
struct Parent {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    relative_path: Option<String>,
    line: u32,
    /// The POM that names this parent.
    file: PathBuf,
}

impl Parent {
    fn coordinates(&self) -> String {
        format!(
            "{}:{}:{}",
            self.group.as_deref().unwrap_or("?"),
            self.artifact.as_deref().unwrap_or("?"),
            self.version.as_deref().unwrap_or("?")
        )
    }
}

/// A `<dependency>` as written (not yet interpolated).
struct Dep {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    scope: Option<String>,
    ty: Option<String>,
    classifier: Option<String>,
    optional: Option<String>,
    line: Option<u32>,
    /// The POM that declares it (a parent's dependencies are inherited).
    file: PathBuf,
}

impl Dep {
    fn read(doc: &Document<'_>, node: Node<'_, '_>, file: &Path) -> Dep {
        Dep {
            group: text_of(node, "groupId"),
            artifact: text_of(node, "artifactId"),
            version: text_of(node, "version"),
            scope: text_of(node, "scope"),
            ty: text_of(node, "type"),
            classifier: text_of(node, "classifier"),
            optional: text_of(node, "optional"),
            line: Some(row(doc, node)),
            file: file.to_owned(),
        }
    }

    /// The dependency management key: `group:artifact:type[:classifier]`.
    fn key(&self, interp: &Interpolator<'_>) -> String {
        let r = |v: &Option<String>| v.as_deref().map(|v| interp.resolve(v)).unwrap_or_default();
        let ty = r(&self.ty);
        let ty = if ty.is_empty() { "jar".to_owned() } else { ty };
        format!(
            "{}:{}:{}:{}",
            r(&self.group),
            r(&self.artifact),
            ty,
            r(&self.classifier)
        )
    }
}

/// What one POM says, as written.
struct Model {
    path: PathBuf,
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    parent: Option<Parent>,
    properties: Vec<(String, String)>,
    managed: Vec<Dep>,
    dependencies: Vec<Dep>,
    licenses: Vec<String>,
}

impl Model {
    fn read(project: Node<'_, '_>, path: &Path) -> Model {
        let doc = project.document();
        let parent = child(project, "parent").map(|p| Parent {
            group: text_of(p, "groupId"),
            artifact: text_of(p, "artifactId"),
            version: text_of(p, "version"),
            // `<relativePath/>` (empty) means: never look in the tree.
            relative_path: child(p, "relativePath")
                .map(|r| r.text().unwrap_or("").trim().to_owned()),
            line: row(doc, p),
            file: path.to_owned(),
        });
        let mut properties = Vec::new();
        let mut managed = Vec::new();
        let mut dependencies = Vec::new();
        let mut read_section = |section: Node<'_, '_>, properties: &mut Vec<(String, String)>| {
            if let Some(props) = child(section, "properties") {
                for p in props.children().filter(Node::is_element) {
                    properties.push((
                        p.tag_name().name().to_owned(),
                        p.text().unwrap_or("").trim().to_owned(),
                    ));
                }
            }
            if let Some(dm) =
                child(section, "dependencyManagement").and_then(|dm| child(dm, "dependencies"))
            {
                managed.extend(children(dm, "dependency").map(|d| Dep::read(doc, d, path)));
            }
            if let Some(deps) = child(section, "dependencies") {
                dependencies.extend(children(deps, "dependency").map(|d| Dep::read(doc, d, path)));
            }
        };
        read_section(project, &mut properties);
        // Profiles: their dependencies count (any profile may be active); their properties
        // only when active by default, as Maven applies them.
        if let Some(profiles) = child(project, "profiles") {
            for profile in children(profiles, "profile") {
                let active = child(profile, "activation")
                    .and_then(|a| text_of(a, "activeByDefault"))
                    .is_some_and(|v| v == "true");
                let mut profile_props = Vec::new();
                read_section(profile, &mut profile_props);
                if active {
                    properties.extend(profile_props);
                }
            }
        }
        let licenses = child(project, "licenses")
            .into_iter()
            .flat_map(|l| children(l, "license"))
            .filter_map(|l| text_of(l, "name"))
            .collect();
        Model {
            path: path.to_owned(),
            group: text_of(project, "groupId"),
            artifact: text_of(project, "artifactId"),
            version: text_of(project, "version"),
            parent,
            properties,
            managed,
            dependencies,
            licenses,
        }
    }
}

/// Finds a parent POM in the scanned tree: at `<relativePath>` (a file, or a folder holding
/// `pom.xml`), default `../pom.xml`, and only if its coordinates are the parent's.
fn find_parent(input: &Input<'_>, dir: &Path, parent: &Parent) -> Option<Model> {
    let rel = match parent.relative_path.as_deref() {
        Some("") => return None,
        Some(r) => r.to_owned(),
        None => "../pom.xml".to_owned(),
    };
    let mut path = dir.join(&rel);
    if !rel.ends_with(".xml") {
        path = path.join("pom.xml");
    }
    let path = crate::fs::confine(&path)?;
    let bytes = input.fs.read(&path).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let doc = Document::parse(&text).ok()?;
    let m = Model::read(doc.root_element(), &path);
    let group = m
        .group
        .as_ref()
        .or(m.parent.as_ref().and_then(|p| p.group.as_ref()));
    let version = m
        .version
        .as_ref()
        .or(m.parent.as_ref().and_then(|p| p.version.as_ref()));
    let matches = group == parent.group.as_ref()
        && m.artifact == parent.artifact
        && (parent.version.is_none() || version == parent.version.as_ref());
    matches.then_some(m)
}

/// `${name}` interpolation over a property map, with a guard against cycles.
struct Interpolator<'a> {
    props: &'a HashMap<String, String>,
}

impl Interpolator<'_> {
    /// The value with every known `${…}` replaced; unknown ones are left as written.
    fn resolve(&self, value: &str) -> String {
        let mut stack = Vec::new();
        self.expand(value, &mut stack)
    }

    fn expand<'s>(&'s self, value: &str, stack: &mut Vec<&'s str>) -> String {
        if !value.contains("${") {
            return value.to_owned();
        }
        let mut out = String::with_capacity(value.len());
        let mut rest = value;
        while let Some(start) = rest.find("${") {
            out.push_str(rest.get(..start).unwrap_or_default());
            let after = rest.get(start + 2..).unwrap_or_default();
            let Some(end) = after.find('}') else {
                out.push_str(rest.get(start..).unwrap_or_default());
                return out;
            };
            let name = after.get(..end).unwrap_or_default();
            match self.props.get_key_value(name) {
                Some((key, v)) if stack.len() < MAX_DEPTH && !stack.contains(&key.as_str()) => {
                    stack.push(key);
                    out.push_str(&self.expand(v, stack));
                    stack.pop();
                }
                _ => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = after.get(end + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Project;
    use proptest::prelude::*;

    fn count(p: &Project, f: impl Fn(&Component) -> bool) -> usize {
        p.components.iter().filter(|c| f(c)).count()
    }

    #[test]
    fn spring_petclinic() {
        let Some((ex, p)) = extract_shared(&MavenPom, "Maven/spring-petclinic/pom.xml") else {
            return;
        };
        // python ElementTree: 24 project/dependencies/dependency (none in profiles), 21 of them
        // without <version>; scopes: 8 compile, 7 runtime, 1 compile+optional, 8 test. + root.
        assert_eq!(ex.components.len(), 25);
        assert_eq!(p.components.len(), 25);
        let root = find(
            &p,
            "pkg:maven/org.springframework.samples/spring-petclinic@4.0.0-SNAPSHOT",
        );
        assert_eq!(root.relationship, Relationship::Root);
        assert_eq!(count(&p, |c| c.relationship == Relationship::Direct), 24);
        assert_eq!(count(&p, |c| c.scope == Scope::Dev), 8);
        assert_eq!(count(&p, |c| c.scope == Scope::Optional), 1);
        assert_eq!(
            count(&p, |c| c.scope == Scope::Runtime),
            7 + 8 + 1,
            "incl. root"
        );
        // Versions from properties of this file.
        let bootstrap = find(&p, "pkg:maven/org.webjars.npm/bootstrap@5.3.8");
        assert_eq!(bootstrap.locations[0].line, Some(102)); // grep -n "<dependency>"
        find(&p, "pkg:maven/org.webjars/webjars-locator-lite@1.1.3");
        find(&p, "pkg:maven/org.webjars.npm/font-awesome@4.7.0");
        // Managed by spring-boot-starter-parent, which is not here: no version, a warning each.
        let h2 = find(&p, "pkg:maven/com.h2database/h2");
        assert_eq!(h2.version, None);
        assert_eq!(h2.locations[0].line, Some(76));
        assert_eq!(count(&p, |c| c.version.is_none()), 21);
        let devtools = find(
            &p,
            "pkg:maven/org.springframework.boot/spring-boot-devtools",
        );
        assert_eq!(devtools.scope, Scope::Optional);
        // Plugin dependencies (checkstyle) are build tooling, not project dependencies.
        assert!(!purls(&p).iter().any(|u| u.contains("checkstyle")));
        assert_eq!(ex.diagnostics.len(), 1 + 21, "{:#?}", ex.diagnostics);
        assert!(
            ex.diagnostics[0]
                .message
                .contains("spring-boot-starter-parent:4.0.3")
        );
        assert_eq!(ex.diagnostics[0].line, Some(5));
        assert_eq!(ex.edges.len(), 24);
    }

    #[test]
    fn commons_lang_parent_not_available() {
        let Some((ex, p)) = extract_shared(&MavenPom, "Maven/commons-lang/pom.xml") else {
            return;
        };
        // python ElementTree: 7 dependencies (3 without <version>, 2 more with
        // ${commons.jmh.version}, which only commons-parent defines); + root.
        assert_eq!(p.components.len(), 8);
        // groupId inherited from the <parent> element itself.
        let root = find(
            &p,
            "pkg:maven/org.apache.commons/commons-lang3@3.21.0-SNAPSHOT",
        );
        assert_eq!(root.relationship, Relationship::Root);
        find(&p, "pkg:maven/org.easymock/easymock@5.6.0");
        let text = find(&p, "pkg:maven/org.apache.commons/commons-text@1.15.0");
        assert_eq!(text.scope, Scope::Dev);
        assert_eq!(text.locations[0].line, Some(84));
        let jmh = find(&p, "pkg:maven/org.openjdk.jmh/jmh-core");
        assert_eq!(jmh.version, None);
        find(&p, "pkg:maven/org.junit.jupiter/junit-jupiter");
        find(&p, "pkg:maven/org.mockito/mockito-inline");
        assert_eq!(count(&p, |c| c.version.is_none()), 5);
        let parent = &ex.diagnostics[0];
        assert_eq!(parent.level, Level::Warning);
        assert!(
            parent
                .message
                .contains("org.apache.commons:commons-parent:104")
        );
        assert_eq!(parent.line, Some(22));
        assert_eq!(ex.diagnostics.len(), 1 + 5, "{:#?}", ex.diagnostics);
    }

    #[test]
    fn parent_in_tree_properties_management_profiles() {
        let (ex, p) = extract_testdata(&MavenPom, "maven-pom/multi/app/pom.xml");
        assert_eq!(p.components.len(), 12, "{:#?}", purls(&p));
        assert_eq!(
            ex.manifest.as_deref(),
            Some(Path::new("maven-pom/multi/pom.xml"))
        );
        let root = find(&p, "pkg:maven/org.example/app@2.1.0");
        assert_eq!(root.relationship, Relationship::Root);
        assert_eq!(root.licenses, ["Apache-2.0"], "inherited");
        let slf4j = find(&p, "pkg:maven/org.slf4j/slf4j-api@2.0.13");
        assert_eq!(slf4j.scope, Scope::Runtime);
        assert_eq!(slf4j.locations[0].line, Some(18));
        find(&p, "pkg:maven/org.example/core@2.1.0");
        assert_eq!(find(&p, "pkg:maven/junit/junit@4.13.2").scope, Scope::Dev);
        let guava = find(&p, "pkg:maven/com.google.guava/guava@33.2.0-jre");
        assert_eq!(guava.scope, Scope::Optional);
        let netty = find(
            &p,
            "pkg:maven/io.netty/netty-transport-native-epoll@4.1.110.Final?classifier=linux-x86_64",
        );
        assert_eq!(netty.scope, Scope::Runtime);
        let api = find(&p, "pkg:maven/org.example/api@2.1.0?type=test-jar");
        assert_eq!(api.scope, Scope::Dev);
        let pg = find(&p, "pkg:maven/org.postgresql/postgresql@42.7.3");
        assert_eq!(pg.scope, Scope::Build, "system, from a profile");
        assert_eq!(pg.locations[0].line, Some(70));
        let jsr = find(&p, "pkg:maven/com.google.code.findbugs/jsr305@3.0.2");
        assert_eq!(
            jsr.scope,
            Scope::Build,
            "provided, inherited from the parent"
        );
        assert_eq!(
            &*jsr.locations[0].path,
            Path::new("maven-pom/multi/pom.xml")
        );
        assert_eq!(jsr.locations[0].line, Some(46));
        for unresolved in ["jackson-databind", "cyclic", "ranged"] {
            let c = p
                .components
                .iter()
                .find(|c| c.name.ends_with(unresolved))
                .unwrap();
            assert_eq!(c.version, None, "{unresolved}");
        }
        let msgs: Vec<&str> = ex.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert!(msgs[0].contains("org.example.corp:corp-parent:7"));
        assert_eq!(ex.diagnostics[0].path, Path::new("maven-pom/multi/pom.xml"));
        assert!(msgs[1].contains("com.fasterxml.jackson:jackson-bom:2.17.1"));
        assert!(msgs[2].contains("jackson-databind") && msgs[2].contains("not available"));
        assert!(msgs[3].contains("${loop.a}") || msgs[3].contains("${loop.b}"));
        assert!(msgs[4].contains("[1.0,2.0)"));
        assert_eq!(ex.edges.len(), 11);
    }

    #[test]
    fn interpolation_guards_cycles() {
        let props: HashMap<String, String> = [
            ("a", "${b}"),
            ("b", "${a}"),
            ("c", "x-${d}-${d}"),
            ("d", "1"),
            ("e", "${e}"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let i = Interpolator { props: &props };
        assert_eq!(i.resolve("${c}"), "x-1-1");
        assert!(i.resolve("${a}").contains("${"));
        assert_eq!(i.resolve("${e}"), "${e}");
        assert_eq!(i.resolve("${unknown}.${d}"), "${unknown}.1");
        assert_eq!(i.resolve("${open"), "${open");
    }

    #[test]
    fn broken_xml_names_the_line() {
        let err = extract_err(
            &MavenPom,
            "pom.xml",
            b"<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n",
        );
        assert_eq!(err.line(), Some(4), "{err}");
        let err = extract_err(&MavenPom, "pom.xml", b"<settings/>");
        assert_eq!(err.line(), Some(1));
        let ex = extract_bytes(
            &MavenPom,
            "pom.xml",
            b"<project><groupId>g</groupId><artifactId>a</artifactId>\n<dependencies>\n\
              <dependency><artifactId>x</artifactId></dependency>\n\
              <dependency><groupId>g</groupId><artifactId>y</artifactId><version>1</version></dependency>\n\
              </dependencies></project>",
            &[],
        )
        .unwrap();
        assert_eq!(ex.components.len(), 2);
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(3));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&MavenPom, "a/pom.xml", &bytes, &[("pom.xml", &bytes)]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..3000) {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/maven-pom/multi");
            let parent = std::fs::read(dir.join("pom.xml")).unwrap();
            let child = std::fs::read(dir.join("app/pom.xml")).unwrap();
            let cut = cut.min(child.len());
            let pcut = cut.min(parent.len());
            let _ = extract_bytes(&MavenPom, "app/pom.xml", &child[..cut], &[("pom.xml", &parent[..pcut])]);
            let _ = extract_bytes(&MavenPom, "app/pom.xml", &child, &[("pom.xml", &parent[..pcut])]);
        }
    }
}
