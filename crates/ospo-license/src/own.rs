//! The licence of a project's own code: what its manifests declare (`Cargo.toml`
//! `package.license` — `license.workspace = true` followed to the workspace root —,
//! `package.json` `license`, `pyproject.toml` `project.license` and licence classifiers,
//! `composer.json` `license`, `pom.xml` `<licenses>`, `*.gemspec` `license(s)`, `*.nuspec` and
//! `*.csproj` licence expressions) and which licence files sit in its folder (or, when it has
//! none, at the repository root).

use std::path::{Path, PathBuf};

use crate::locate::{self, FoundFile};

/// Manifests read per folder larger than this are skipped.
const MAX_MANIFEST: u64 = 4 * 1024 * 1024;

/// A licence declared by one of the project's manifests: the raw text, the manifest (relative
/// to the repository) and the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnDeclared {
    pub raw: String,
    pub file: PathBuf,
    pub line: Option<u32>,
}

fn read(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST {
        return None;
    }
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// The 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> Option<u32> {
    let at = text.find(needle)?;
    u32::try_from(text[..at].matches('\n').count() + 1).ok()
}

/// The licences the manifests in `dir` (relative to `repo`) declare, sorted by file.
pub fn declared(repo: &Path, dir: &Path) -> Vec<OwnDeclared> {
    let abs = repo.join(dir);
    let mut out = Vec::new();
    let mut push = |raw: String, name: &str, text: &str, needle: &str| {
        if !raw.trim().is_empty() {
            out.push(OwnDeclared {
                line: line_of(text, needle),
                raw,
                file: dir.join(name),
            });
        }
    };
    if let Some(text) = read(&abs.join("Cargo.toml")) {
        let ws = workspace_root(repo, dir);
        if let Some(l) = locate::cargo_license(&text, ws.as_deref()) {
            push(l, "Cargo.toml", &text, "license");
        }
    }
    if let Some(text) = read(&abs.join("package.json")) {
        for l in locate::package_json_licenses(&text) {
            push(l, "package.json", &text, "\"license");
        }
    }
    if let Some(text) = read(&abs.join("pyproject.toml")) {
        for l in pyproject_licenses(&text) {
            push(l, "pyproject.toml", &text, "license");
        }
    }
    if let Some(text) = read(&abs.join("composer.json"))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let list = match v.get("license") {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        for l in list {
            push(l, "composer.json", &text, "\"license");
        }
    }
    if let Some(text) = read(&abs.join("pom.xml")) {
        for l in xml_licenses(&text) {
            push(l, "pom.xml", &text, "<licenses>");
        }
    }
    let mut names: Vec<String> = std::fs::read_dir(&abs)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for name in names {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".gemspec") {
            if let Some(text) = read(&abs.join(&name)) {
                for l in gemspec_licenses(&text) {
                    push(l, &name, &text, "license");
                }
            }
        } else if (lower.ends_with(".nuspec") || lower.ends_with(".csproj"))
            && let Some(text) = read(&abs.join(&name))
        {
            for l in xml_licenses(&text) {
                push(l, &name, &text, "icense");
            }
        }
    }
    out
}

/// The text of the Cargo workspace root manifest above `dir`, if any.
fn workspace_root(repo: &Path, dir: &Path) -> Option<String> {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if let Some(text) = read(&repo.join(d).join("Cargo.toml"))
            && text.contains("[workspace")
        {
            return Some(text);
        }
        cur = d.parent();
    }
    None
}

/// `project.license` (a PEP 639 expression, or the older `{text = …}`), licence classifiers,
/// and Poetry's `tool.poetry.license`.
pub fn pyproject_licenses(text: &str) -> Vec<String> {
    let Ok(v) = toml::from_str::<toml::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let project = v.get("project");
    match project.and_then(|p| p.get("license")) {
        Some(toml::Value::String(s)) => out.push(s.clone()),
        Some(toml::Value::Table(t)) => {
            if let Some(s) = t.get("text").and_then(toml::Value::as_str) {
                out.push(s.to_owned());
            } else if let Some(f) = t.get("file").and_then(toml::Value::as_str) {
                out.push(format!("license-file:{f}"));
            }
        }
        _ => {}
    }
    if let Some(classifiers) = project
        .and_then(|p| p.get("classifiers"))
        .and_then(toml::Value::as_array)
    {
        out.extend(
            classifiers
                .iter()
                .filter_map(toml::Value::as_str)
                .filter(|c| c.starts_with("License ::"))
                .map(str::to_owned),
        );
    }
    if let Some(s) = v
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("license"))
        .and_then(toml::Value::as_str)
    {
        out.push(s.to_owned());
    }
    out
}

/// `<licenses><license><name>` (Maven; the `<url>` when there is no name),
/// `<PackageLicenseExpression>` (MSBuild) and `<license type="expression">` (NuGet).
pub fn xml_licenses(text: &str) -> Vec<String> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, opts) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        match name {
            "license"
                if n.parent()
                    .is_some_and(|p| p.tag_name().name() == "licenses") =>
            {
                let child = |tag: &str| {
                    n.children()
                        .find(|c| c.tag_name().name() == tag)
                        .and_then(text_of)
                };
                if let Some(l) = child("name").or_else(|| child("url")) {
                    out.push(l.to_owned());
                }
            }
            "license" if n.attribute("type") == Some("expression") => {
                out.extend(text_of(n).map(str::to_owned));
            }
            "PackageLicenseExpression" => out.extend(text_of(n).map(str::to_owned)),
            "licenseUrl" if !n.ancestors().any(|a| a.tag_name().name() == "dependency") => {
                out.extend(text_of(n).map(str::to_owned));
            }
            _ => {}
        }
    }
    out
}

fn text_of<'a>(n: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    n.text().map(str::trim).filter(|t| !t.is_empty())
}

/// `spec.license = "MIT"` and `spec.licenses = ["MIT", "Ruby"]` in a gemspec (a Ruby file:
/// only these literal forms are read).
pub fn gemspec_licenses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let Some(at) = t.find(".license") else {
            continue;
        };
        let rest = &t[at..];
        let Some(eq) = rest.find('=') else {
            continue;
        };
        let value = &rest[eq + 1..];
        let mut in_str: Option<char> = None;
        let mut cur = String::new();
        for c in value.chars() {
            match in_str {
                Some(q) if c == q => {
                    out.push(std::mem::take(&mut cur));
                    in_str = None;
                }
                Some(_) => cur.push(c),
                None if c == '"' || c == '\'' => in_str = Some(c),
                None if c == '#' => break,
                None => {}
            }
        }
    }
    out
}

/// The licence files in `dir`, or at the repository root when `dir` has none.
pub fn license_files(repo: &Path, dir: &Path, max: u64) -> Vec<FoundFile> {
    let opts = locate::LocateOptions {
        max_file_size: max,
        ..locate::LocateOptions::default()
    };
    let read_at = |d: &Path| {
        locate::read_dir(
            &locate::PackageDir {
                dir: repo.join(d),
                place: locate::Place::Installed,
                manifest: None,
            },
            &opts,
        )
        .files
    };
    let files = read_at(dir);
    if files.is_empty() && !dir.as_os_str().is_empty() {
        return read_at(Path::new(""));
    }
    files
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn manifests_of_every_kind() {
        let tmp = tempfile::tempdir().unwrap();
        let r = tmp.path();
        let w = |p: &str, t: &str| {
            let p = r.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        w(
            "Cargo.toml",
            "[workspace]\nmembers=['a']\n[workspace.package]\nlicense = \"Apache-2.0\"\n",
        );
        w(
            "a/Cargo.toml",
            "[package]\nname='a'\nlicense.workspace = true\n",
        );
        w("a/package.json", r#"{"name":"a","license":"MIT"}"#);
        w(
            "a/pyproject.toml",
            "[project]\nname='a'\nlicense = {text = \"BSD-3-Clause\"}\nclassifiers = ['License :: OSI Approved :: BSD License', 'Topic :: X']\n",
        );
        w(
            "a/pom.xml",
            "<project><licenses><license><name>The Apache Software License, Version 2.0</name><url>http://www.apache.org/licenses/LICENSE-2.0.txt</url></license></licenses></project>",
        );
        w(
            "a/a.gemspec",
            "Gem::Specification.new do |s|\n  s.licenses = ['MIT', \"Ruby\"] # both\nend\n",
        );
        w(
            "a/a.csproj",
            "<Project><PropertyGroup><PackageLicenseExpression>MIT</PackageLicenseExpression></PropertyGroup></Project>",
        );
        w(
            "a/composer.json",
            r#"{"license":["MIT","GPL-2.0-or-later"]}"#,
        );
        let got: Vec<(String, String)> = declared(r, Path::new("a"))
            .into_iter()
            .map(|d| (d.raw, d.file.to_string_lossy().into_owned()))
            .collect();
        let want: Vec<(String, String)> = [
            ("Apache-2.0", "a/Cargo.toml"),
            ("MIT", "a/package.json"),
            ("BSD-3-Clause", "a/pyproject.toml"),
            ("License :: OSI Approved :: BSD License", "a/pyproject.toml"),
            ("MIT", "a/composer.json"),
            ("GPL-2.0-or-later", "a/composer.json"),
            ("The Apache Software License, Version 2.0", "a/pom.xml"),
            ("MIT", "a/a.csproj"),
            ("MIT", "a/a.gemspec"),
            ("Ruby", "a/a.gemspec"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        assert_eq!(got, want);
        assert_eq!(declared(r, Path::new("a"))[0].line, Some(3));
    }

    #[test]
    fn licence_files_fall_back_to_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("sub")).unwrap();
        std::fs::write(tmp.path().join("LICENSE"), "MIT").unwrap();
        assert_eq!(license_files(tmp.path(), Path::new("sub"), 1000).len(), 1);
        std::fs::write(tmp.path().join("sub/COPYING"), "GPL").unwrap();
        let f = license_files(tmp.path(), Path::new("sub"), 1000);
        assert_eq!(f[0].text, "GPL");
    }

    #[test]
    fn hostile_manifests_do_not_panic() {
        assert!(xml_licenses("<a><licenses><license>").is_empty());
        assert!(pyproject_licenses("[project\n").is_empty());
        assert_eq!(gemspec_licenses("s.license = 'MIT"), Vec::<String>::new());
        assert_eq!(gemspec_licenses("s.license = \"MIT\""), ["MIT"]);
    }
}
