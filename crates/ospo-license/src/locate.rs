//! Where a component's own files are on disk, so that its licence texts can be read and its
//! manifest's licence taken when the inventory has none: installed trees
//! (`node_modules/<name>/`, `site-packages/<dist>.dist-info/`), vendor folders (`vendor/<crate>/`,
//! Go's `vendor/<module>/`, Composer's `vendor/<vendor>/<name>/`), and the local caches of
//! package managers: Cargo's `$CARGO_HOME/registry/src/*/<name>-<version>/` and Go's
//! `$GOMODCACHE/<module>@<version>/`.
//!
//! Guards: a folder is used only when it is a real folder under the scanned repository or the
//! cache root (no symbolic link leads out), a file only when it is a regular file inside that
//! folder and not larger than the size limit; at most [`MAX_FILES`] licence files per folder.

use std::path::{Path, PathBuf};

use ospo_model::{Component, Ecosystem, Source};
use serde::Serialize;

/// Licence files read per folder, at most.
pub const MAX_FILES: usize = 32;

/// Where the caches are, and limits.
#[derive(Clone, Debug)]
pub struct LocateOptions {
    /// `$CARGO_HOME` (its `registry/src` is read); `None`: not used.
    pub cargo_home: Option<PathBuf>,
    /// `$GOMODCACHE`; `None`: not used.
    pub go_mod_cache: Option<PathBuf>,
    /// Maven's local repository (`~/.m2/repository`); `None`: not used.
    pub maven_repo: Option<PathBuf>,
    /// NuGet's global packages folder (`~/.nuget/packages`); `None`: not used.
    pub nuget_packages: Option<PathBuf>,
    /// Dart's pub cache (`~/.pub-cache`); `None`: not used.
    pub pub_cache: Option<PathBuf>,
    /// Licence files larger than this are skipped.
    pub max_file_size: u64,
}

impl Default for LocateOptions {
    fn default() -> Self {
        LocateOptions {
            cargo_home: None,
            go_mod_cache: None,
            maven_repo: None,
            nuget_packages: None,
            pub_cache: None,
            max_file_size: 1024 * 1024,
        }
    }
}

impl LocateOptions {
    /// The caches where the environment (or the usual default) says they are.
    pub fn from_env() -> LocateOptions {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".cargo")));
        let go_mod_cache = std::env::var_os("GOMODCACHE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("GOPATH").map(|p| PathBuf::from(p).join("pkg/mod")))
            .or_else(|| home.as_ref().map(|h| h.join("go/pkg/mod")));
        let nuget_packages = std::env::var_os("NUGET_PACKAGES")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".nuget/packages")));
        LocateOptions {
            cargo_home,
            go_mod_cache,
            maven_repo: home.as_ref().map(|h| h.join(".m2/repository")),
            nuget_packages,
            pub_cache: std::env::var_os("PUB_CACHE")
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".pub-cache"))),
            ..LocateOptions::default()
        }
    }
}

/// What kind of place a component's folder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// An installed tree in the repository (node_modules, site-packages).
    Installed,
    /// A vendor folder in the repository.
    Vendored,
    /// The local Cargo registry cache.
    CargoCache,
    /// The local Go module cache.
    GoModCache,
    /// Maven's local repository.
    MavenRepo,
    /// NuGet's global packages folder.
    NugetCache,
    /// Dart's pub cache.
    PubCache,
}

/// A folder holding a component's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageDir {
    pub dir: PathBuf,
    pub place: Place,
    /// A manifest kept outside the folder (an installed gem's `specifications/*.gemspec`).
    pub manifest: Option<PathBuf>,
}

/// A licence, notice or copyright file read from a component's folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFile {
    pub path: PathBuf,
    pub text: String,
}

/// What a folder holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirFiles {
    pub files: Vec<FoundFile>,
    /// The licence its manifest declares (`Cargo.toml` `license`, `package.json` `license`),
    /// with the manifest's path.
    pub declared: Vec<(String, PathBuf)>,
}

/// The folders of a component, best first. `repo` is the repository root on disk; component
/// locations are relative to it.
pub fn package_dirs(repo: &Path, c: &Component, opts: &LocateOptions) -> Vec<PackageDir> {
    let mut out: Vec<PackageDir> = Vec::new();
    let mut extra: Vec<PackageDir> = Vec::new();
    let mut push = |dir: PathBuf, place: Place, root: &Path| {
        if inside(&dir, root) && !out.iter().any(|d| d.dir == dir) {
            out.push(PackageDir {
                dir,
                place,
                manifest: None,
            });
        }
    };
    for loc in &c.locations {
        let path = &loc.path;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let parent = path.parent().unwrap_or(Path::new(""));
        let parent_name = parent
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match name {
            "package.json" if path.iter().any(|p| p == "node_modules") => {
                push(repo.join(parent), Place::Installed, repo);
            }
            "METADATA" | "PKG-INFO"
                if parent_name.ends_with(".dist-info") || parent_name.ends_with(".egg-info") =>
            {
                push(repo.join(parent), Place::Installed, repo);
            }
            ".cargo-checksum.json" => push(repo.join(parent), Place::Vendored, repo),
            "modules.txt" if parent_name == "vendor" && c.ecosystem == Ecosystem::Go => {
                push(repo.join(parent).join(&c.name), Place::Vendored, repo);
            }
            "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "bun.lock"
            | ".package-lock.json"
                if c.ecosystem == Ecosystem::Npm =>
            {
                let base = if name == ".package-lock.json" {
                    parent.parent().unwrap_or(Path::new(""))
                } else {
                    parent
                };
                let dir = repo.join(base).join("node_modules").join(&c.name);
                if installed_version(&dir).as_deref() == c.version.as_deref() {
                    push(dir, Place::Installed, repo);
                }
            }
            "Cargo.lock" if c.ecosystem == Ecosystem::CratesIo => {
                // `cargo vendor` (plain or `--versioned-dirs`) beside the lockfile.
                let vendor = repo.join(parent).join("vendor");
                for dir in [
                    vendor.join(&c.name),
                    vendor.join(format!(
                        "{}-{}",
                        c.name,
                        c.version.as_deref().unwrap_or_default()
                    )),
                ] {
                    let manifest =
                        read_capped(&dir.join("Cargo.toml"), 1024 * 1024).unwrap_or_default();
                    let version = toml::from_str::<toml::Value>(&manifest).ok().and_then(|v| {
                        v.get("package")?
                            .get("version")?
                            .as_str()
                            .map(str::to_owned)
                    });
                    if version.is_some() && version.as_deref() == c.version.as_deref() {
                        push(dir, Place::Vendored, repo);
                    }
                }
            }
            "mix.lock" if c.ecosystem == Ecosystem::Hex => {
                push(
                    repo.join(parent).join("deps").join(&c.name),
                    Place::Installed,
                    repo,
                );
            }
            "Podfile.lock" if c.ecosystem == Ecosystem::CocoaPods => {
                let pod = c.name.split('/').next().unwrap_or(&c.name);
                push(
                    repo.join(parent).join("Pods").join(pod),
                    Place::Installed,
                    repo,
                );
            }
            "Package.resolved" if c.ecosystem == Ecosystem::SwiftURL => {
                if let Some(repo_name) = c.name.rsplit('/').next() {
                    let repo_name = repo_name.trim_end_matches(".git");
                    push(
                        repo.join(parent).join(".build/checkouts").join(repo_name),
                        Place::Installed,
                        repo,
                    );
                }
            }
            "Gemfile.lock" if c.ecosystem == Ecosystem::RubyGems => {
                // `bundle install --path vendor/bundle` (or `BUNDLE_PATH`): one folder per Ruby ABI.
                let bundle = repo.join(parent).join("vendor/bundle/ruby");
                let mut abis: Vec<PathBuf> = std::fs::read_dir(&bundle)
                    .map(|rd| rd.filter_map(|e| Some(e.ok()?.path())).collect())
                    .unwrap_or_default();
                abis.sort();
                if let Some(v) = &c.version {
                    for abi in abis {
                        let dir = abi.join("gems").join(format!("{}-{v}", c.name));
                        if dir.is_dir() {
                            let spec = abi
                                .join("specifications")
                                .join(format!("{}-{v}.gemspec", c.name));
                            if inside(&dir, repo) {
                                extra.push(PackageDir {
                                    dir,
                                    place: Place::Installed,
                                    manifest: spec.is_file().then_some(spec),
                                });
                            }
                            break;
                        }
                    }
                }
            }
            "composer.lock" if c.ecosystem == Ecosystem::Packagist => {
                push(
                    repo.join(parent).join("vendor").join(&c.name),
                    Place::Vendored,
                    repo,
                );
            }
            _ => {}
        }
    }
    let registry = matches!(c.source, Source::Registry { .. } | Source::Unknown);
    if c.ecosystem == Ecosystem::CratesIo
        && registry
        && let (Some(home), Some(version)) = (&opts.cargo_home, &c.version)
    {
        let src = home.join("registry").join("src");
        // One folder per registry (`index.crates.io-<hash>`), sorted for determinism.
        let mut registries: Vec<PathBuf> = std::fs::read_dir(&src)
            .map(|rd| rd.filter_map(|e| Some(e.ok()?.path())).collect())
            .unwrap_or_default();
        registries.sort();
        for r in registries {
            let dir = r.join(format!("{}-{version}", c.name));
            if dir.join("Cargo.toml").is_file() {
                push(dir, Place::CargoCache, &src);
                break;
            }
        }
    }
    if c.ecosystem == Ecosystem::Go
        && let (Some(cache), Some(version)) = (&opts.go_mod_cache, &c.version)
        && c.name != "stdlib"
    {
        let v = if version.starts_with('v') {
            version.to_string()
        } else {
            format!("v{version}")
        };
        let dir = cache.join(format!("{}@{}", go_escape(&c.name), go_escape(&v)));
        push(dir, Place::GoModCache, cache);
    }
    if c.ecosystem == Ecosystem::Maven
        && let (Some(m2), Some(version), Some((group, artifact))) =
            (&opts.maven_repo, &c.version, c.name.split_once(':'))
    {
        let mut dir = m2.clone();
        dir.extend(group.split('.'));
        push(dir.join(artifact).join(version), Place::MavenRepo, m2);
    }
    if c.ecosystem == Ecosystem::Pub
        && let (Some(cache), Some(version)) = (&opts.pub_cache, &c.version)
    {
        let hosted = cache.join("hosted").join("pub.dev");
        push(
            hosted.join(format!("{}-{version}", c.name)),
            Place::PubCache,
            cache,
        );
    }
    if c.ecosystem == Ecosystem::NuGet
        && let (Some(cache), Some(version)) = (&opts.nuget_packages, &c.version)
    {
        let id = c.name.to_lowercase();
        push(
            cache.join(&id).join(version.to_lowercase()),
            Place::NugetCache,
            cache,
        );
    }
    for e in extra {
        if !out.iter().any(|d| d.dir == e.dir) {
            out.push(e);
        }
    }
    out.retain(|d| d.dir.is_dir());
    out
}

/// A licence file by its name: what the detector calls one, plus names that carry the word
/// elsewhere (`MIT-LICENSE`, `APACHE-LICENSE-2.0.txt`), source files excepted.
pub fn is_license_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let code = [
        ".RS", ".PY", ".JS", ".TS", ".GO", ".JAVA", ".RB", ".C", ".H", ".CS", ".PHP", ".JSON",
        ".TOML", ".YML", ".YAML",
    ];
    if code.iter().any(|ext| upper.ends_with(ext)) {
        return false;
    }
    crate::detect::is_license_file(name)
        || upper.contains("LICENSE")
        || upper.contains("LICENCE")
        || upper.contains("COPYING")
}

/// Go's module cache escapes upper-case letters as `!` + lower case.
fn go_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `dir` stays under `root` once symbolic links are resolved (a folder that does not
/// exist yet is judged by its path).
fn inside(dir: &Path, root: &Path) -> bool {
    match (dir.canonicalize(), root.canonicalize()) {
        (Ok(d), Ok(r)) => d.starts_with(r),
        _ => !dir
            .components()
            .any(|c| c == std::path::Component::ParentDir),
    }
}

/// The `version` of the `package.json` in an installed npm package folder.
fn installed_version(dir: &Path) -> Option<String> {
    let text = read_capped(&dir.join("package.json"), 1024 * 1024)?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("version")?.as_str().map(str::to_owned)
}

fn read_capped(path: &Path, max: u64) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > max {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads a component folder: licence and notice files (and, for a Python distribution, the
/// PEP 639 `licenses/` folder), and the licence its manifest declares.
pub fn read_dir(pd: &PackageDir, opts: &LocateOptions) -> DirFiles {
    let mut out = DirFiles::default();
    let mut names = list(&pd.dir);
    names.sort();
    for name in &names {
        if out.files.len() >= MAX_FILES {
            break;
        }
        let path = pd.dir.join(name);
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir && (name == "licenses" || name == "LICENSES") {
            // PEP 639 `.dist-info/licenses/**` and REUSE `LICENSES/*`: every file counts.
            let mut stack = vec![(path, 0)];
            while let Some((dir, depth)) = stack.pop() {
                for sub in list(&dir) {
                    let p = dir.join(&sub);
                    match std::fs::symlink_metadata(&p) {
                        Ok(m) if m.is_dir() && depth < 3 => stack.push((p, depth + 1)),
                        Ok(m) if m.is_file() && out.files.len() < MAX_FILES => {
                            if let Some(text) = read_capped(&p, opts.max_file_size) {
                                out.files.push(FoundFile { path: p, text });
                            }
                        }
                        _ => {}
                    }
                }
            }
        } else if !is_dir
            && is_license_name(name)
            && let Some(text) = read_capped(&path, opts.max_file_size)
        {
            out.files.push(FoundFile { path, text });
        }
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = |n: &str| pd.dir.join(n);
    if let Some(text) = read_capped(&manifest("Cargo.toml"), opts.max_file_size)
        && let Some(l) = cargo_license(&text, None)
    {
        // `license-file = "…"`: that file is the licence, whatever its name.
        if let Some(file) = l.strip_prefix("license-file:") {
            let path = pd.dir.join(file);
            if inside(&path, &pd.dir)
                && !out.files.iter().any(|f| f.path == path)
                && let Some(text) = read_capped(&path, opts.max_file_size)
            {
                out.files.push(FoundFile { path, text });
            }
        }
        out.declared.push((l, manifest("Cargo.toml")));
    }
    for name in names
        .iter()
        .filter(|n| n.ends_with(".pom") || n.ends_with(".nuspec"))
    {
        if let Some(text) = read_capped(&manifest(name), opts.max_file_size) {
            out.declared.extend(
                crate::own::xml_licenses(&text)
                    .into_iter()
                    .map(|l| (l, manifest(name))),
            );
        }
    }
    let gemspecs = names
        .iter()
        .filter(|n| n.ends_with(".gemspec"))
        .map(|n| manifest(n))
        .chain(pd.manifest.iter().cloned());
    for spec in gemspecs {
        if let Some(text) = read_capped(&spec, opts.max_file_size) {
            for l in crate::own::gemspec_licenses(&text) {
                if !out.declared.iter().any(|(d, _)| *d == l) {
                    out.declared.push((l, spec.clone()));
                }
            }
        }
    }
    if names.iter().any(|n| n == "hex_metadata.config")
        && let Some(text) = read_capped(&manifest("hex_metadata.config"), opts.max_file_size)
    {
        out.declared.extend(
            hex_licenses(&text)
                .into_iter()
                .map(|l| (l, manifest("hex_metadata.config"))),
        );
    }
    if names.iter().any(|n| n == "package.json")
        && let Some(text) = read_capped(&manifest("package.json"), opts.max_file_size)
    {
        out.declared.extend(
            package_json_licenses(&text)
                .into_iter()
                .map(|l| (l, manifest("package.json"))),
        );
    }
    out
}

/// `{<<"licenses">>,[<<"Apache-2.0">>,<<"MIT">>]}.` in a Hex package's `hex_metadata.config`
/// (Erlang terms: only this literal form is read).
pub fn hex_licenses(text: &str) -> Vec<String> {
    let Some(at) = text.find("<<\"licenses\">>") else {
        return Vec::new();
    };
    let rest = &text[at + "<<\"licenses\">>".len()..];
    let list = rest.split(']').next().unwrap_or_default();
    list.split("<<\"")
        .skip(1)
        .filter_map(|p| p.split_once("\">>").map(|(l, _)| l.to_owned()))
        .collect()
}

/// The entries of a folder that are not symbolic links, sorted.
fn list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| {
                let e = e.ok()?;
                if e.file_type().ok()?.is_symlink() {
                    return None;
                }
                e.file_name().into_string().ok()
            })
            .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `license` (or `license-file`, as `license-file:<path>`) of a Cargo manifest. A
/// `license.workspace = true` is looked up in `workspace` (the workspace root's manifest text).
pub fn cargo_license(text: &str, workspace: Option<&str>) -> Option<String> {
    let v: toml::Value = toml::from_str(text).ok()?;
    let pkg = v.get("package");
    let from_ws = |key: &str| -> Option<String> {
        let ws: toml::Value = match workspace {
            Some(w) => toml::from_str(w).ok()?,
            None => v.clone(),
        };
        ws.get("workspace")?
            .get("package")?
            .get(key)?
            .as_str()
            .map(str::to_owned)
    };
    let field = |key: &str| -> Option<String> {
        match pkg?.get(key)? {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Table(t)
                if t.get("workspace").and_then(toml::Value::as_bool) == Some(true) =>
            {
                from_ws(key)
            }
            _ => None,
        }
    };
    match pkg {
        Some(_) => {
            field("license").or_else(|| field("license-file").map(|f| format!("license-file:{f}")))
        }
        None => from_ws("license"),
    }
}

/// `license` / `licenses` of a `package.json`: a string, the legacy `{"type": …}`, or a list.
pub fn package_json_licenses(text: &str) -> Vec<String> {
    fn of(v: Option<&serde_json::Value>) -> Vec<String> {
        match v {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Object(o)) => of(o.get("type")),
            Some(serde_json::Value::Array(a)) => a.iter().flat_map(|l| of(Some(l))).collect(),
            _ => Vec::new(),
        }
    }
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = of(v.get("license"));
    out.extend(of(v.get("licenses")));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::fs;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    #[test]
    fn finds_installed_vendored_and_cached_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        let home = tmp.path().join("cargo");
        write(
            &repo,
            "node_modules/left-pad/package.json",
            r#"{"name":"left-pad","version":"1.3.0","license":"WTFPL"}"#,
        );
        write(
            &repo,
            "node_modules/left-pad/LICENSE",
            "DO WHAT THE FUCK YOU WANT",
        );
        write(
            &home,
            "registry/src/index.crates.io-1/serde-1.0.0/Cargo.toml",
            "[package]\nname='serde'\nversion='1.0.0'\nlicense='MIT OR Apache-2.0'\n",
        );
        write(
            &home,
            "registry/src/index.crates.io-1/serde-1.0.0/LICENSE-MIT",
            "MIT text",
        );
        let opts = LocateOptions {
            cargo_home: Some(home.clone()),
            ..LocateOptions::default()
        };
        let npm = Component::new(Ecosystem::Npm, "left-pad", Some("1.3.0"))
            .unwrap()
            .at("package-lock.json", Some(3));
        let dirs = package_dirs(&repo, &npm, &opts);
        assert_eq!(dirs.len(), 1);
        assert_eq!(dirs[0].place, Place::Installed);
        let files = read_dir(&dirs[0], &opts);
        assert_eq!(files.files.len(), 1);
        assert_eq!(files.declared[0].0, "WTFPL");
        // Another version installed: not this component's folder.
        let other = Component::new(Ecosystem::Npm, "left-pad", Some("1.2.0"))
            .unwrap()
            .at("package-lock.json", Some(3));
        assert!(package_dirs(&repo, &other, &opts).is_empty());

        let serde = Component::new(Ecosystem::CratesIo, "serde", Some("1.0.0")).unwrap();
        let dirs = package_dirs(&repo, &serde, &opts);
        assert_eq!(dirs[0].place, Place::CargoCache);
        let files = read_dir(&dirs[0], &opts);
        assert_eq!(files.declared[0].0, "MIT OR Apache-2.0");
        write(
            &home,
            "registry/src/index.crates.io-1/odd-0.1.0/Cargo.toml",
            "[package]\nname='odd'\nversion='0.1.0'\nlicense-file='legal/terms.txt'\n",
        );
        write(
            &home,
            "registry/src/index.crates.io-1/odd-0.1.0/legal/terms.txt",
            "Acme terms",
        );
        let odd = Component::new(Ecosystem::CratesIo, "odd", Some("0.1.0")).unwrap();
        let odd_files = read_dir(&package_dirs(&repo, &odd, &opts)[0], &opts);
        assert_eq!(odd_files.files[0].text, "Acme terms");
        assert_eq!(odd_files.declared[0].0, "license-file:legal/terms.txt");
        assert_eq!(files.files[0].text, "MIT text");
        // Not cached, or caches off.
        let missing = Component::new(Ecosystem::CratesIo, "serde", Some("9.9.9")).unwrap();
        assert!(package_dirs(&repo, &missing, &opts).is_empty());
        assert!(package_dirs(&repo, &serde, &LocateOptions::default()).is_empty());
    }

    #[test]
    fn maven_and_nuget_caches_and_cargo_vendor_beside_a_lockfile() {
        let tmp = tempfile::tempdir().unwrap();
        let m2 = tmp.path().join("m2");
        let nuget = tmp.path().join("nuget");
        write(
            &m2,
            "org/slf4j/slf4j-api/2.0.13/slf4j-api-2.0.13.pom",
            "<project><licenses><license><name>MIT</name></license></licenses></project>",
        );
        write(
            &nuget,
            "newtonsoft.json/13.0.3/newtonsoft.json.nuspec",
            "<package><metadata><license type=\"expression\">MIT</license></metadata></package>",
        );
        let repo = tmp.path().join("repo");
        write(
            &repo,
            "vendor/foo/Cargo.toml",
            "[package]\nname='foo'\nversion='0.2.0'\nlicense='MIT'",
        );
        let opts = LocateOptions {
            maven_repo: Some(m2),
            nuget_packages: Some(nuget),
            ..LocateOptions::default()
        };
        let mvn = Component::new(Ecosystem::Maven, "org.slf4j:slf4j-api", Some("2.0.13")).unwrap();
        let d = package_dirs(&repo, &mvn, &opts);
        assert_eq!(d[0].place, Place::MavenRepo);
        assert_eq!(read_dir(&d[0], &opts).declared[0].0, "MIT");
        let nu = Component::new(Ecosystem::NuGet, "Newtonsoft.Json", Some("13.0.3")).unwrap();
        let d = package_dirs(&repo, &nu, &opts);
        assert_eq!(read_dir(&d[0], &opts).declared[0].0, "MIT");
        let foo = Component::new(Ecosystem::CratesIo, "foo", Some("0.2.0"))
            .unwrap()
            .at("Cargo.lock", Some(9));
        assert_eq!(package_dirs(&repo, &foo, &opts)[0].place, Place::Vendored);
        let other = Component::new(Ecosystem::CratesIo, "foo", Some("0.3.0"))
            .unwrap()
            .at("Cargo.lock", Some(9));
        assert!(package_dirs(&repo, &other, &opts).is_empty());
    }

    #[test]
    fn installed_gems_hex_deps_and_pods() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path();
        write(
            repo,
            "vendor/bundle/ruby/3.3.0/gems/rack-3.0.8/MIT-LICENSE",
            "Copyright (c) 2007 Leah Neukirchen",
        );
        write(
            repo,
            "vendor/bundle/ruby/3.3.0/specifications/rack-3.0.8.gemspec",
            "Gem::Specification.new do |s|\n  s.licenses = [\"MIT\".freeze]\nend\n",
        );
        write(
            repo,
            "deps/plug/hex_metadata.config",
            "{<<\"app\">>,<<\"plug\">>}.\n{<<\"licenses\">>,[<<\"Apache-2.0\">>]}.\n",
        );
        write(repo, "Pods/Alamofire/LICENSE", "MIT");
        let opts = LocateOptions::default();
        let gem = Component::new(Ecosystem::RubyGems, "rack", Some("3.0.8"))
            .unwrap()
            .at("Gemfile.lock", Some(4));
        let d = package_dirs(repo, &gem, &opts);
        assert_eq!(d.len(), 1);
        let files = read_dir(&d[0], &opts);
        assert_eq!(files.declared[0].0, "MIT");
        assert_eq!(files.files.len(), 1, "MIT-LICENSE in {:?}", d[0]);
        assert!(is_license_name("APACHE-LICENSE-2.0.txt"));
        assert!(!is_license_name("license.rs"));
        let hex = Component::new(Ecosystem::Hex, "plug", Some("1.15.0"))
            .unwrap()
            .at("mix.lock", Some(2));
        let d = package_dirs(repo, &hex, &opts);
        assert_eq!(read_dir(&d[0], &opts).declared[0].0, "Apache-2.0");
        let pod = Component::new(Ecosystem::CocoaPods, "Alamofire", Some("5.9.0"))
            .unwrap()
            .at("Podfile.lock", Some(2));
        assert_eq!(
            read_dir(&package_dirs(repo, &pod, &opts)[0], &opts)
                .files
                .len(),
            1
        );
        assert_eq!(
            hex_licenses("{<<\"licenses\">>,[<<\"MIT\">>,<<\"Apache-2.0\">>]}."),
            ["MIT", "Apache-2.0"]
        );
        assert!(hex_licenses("{<<\"licenses\">>,[<<\"MI").is_empty());
    }

    #[test]
    fn go_cache_paths_are_escaped() {
        assert_eq!(
            go_escape("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "github.com/!burnt!sushi/toml@v1.2.0/COPYING",
            "MIT",
        );
        let opts = LocateOptions {
            go_mod_cache: Some(tmp.path().to_path_buf()),
            ..LocateOptions::default()
        };
        let c =
            Component::new(Ecosystem::Go, "github.com/BurntSushi/toml", Some("v1.2.0")).unwrap();
        let dirs = package_dirs(Path::new("/nonexistent"), &c, &opts);
        assert_eq!(dirs.len(), 1);
        assert_eq!(read_dir(&dirs[0], &opts).files.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_do_not_lead_out_and_sizes_are_capped() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        write(tmp.path(), "secret/LICENSE", "outside");
        write(&repo, "vendor/a/.cargo-checksum.json", "{}");
        write(&repo, "vendor/a/LICENSE-BIG", &"x".repeat(2000));
        std::os::unix::fs::symlink(
            tmp.path().join("secret/LICENSE"),
            repo.join("vendor/a/LICENSE"),
        )
        .unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), repo.join("vendor/b")).unwrap();
        let opts = LocateOptions {
            max_file_size: 1000,
            ..LocateOptions::default()
        };
        let a = Component::new(Ecosystem::CratesIo, "a", Some("1.0.0"))
            .unwrap()
            .at("vendor/a/.cargo-checksum.json", None);
        let dirs = package_dirs(&repo, &a, &opts);
        assert_eq!(dirs.len(), 1);
        assert!(
            read_dir(&dirs[0], &opts).files.is_empty(),
            "symlink skipped, big file skipped"
        );
        let b = Component::new(Ecosystem::CratesIo, "b", Some("1.0.0"))
            .unwrap()
            .at("vendor/b/.cargo-checksum.json", None);
        assert!(
            package_dirs(&repo, &b, &opts).is_empty(),
            "a linked folder outside the repository"
        );
    }

    #[test]
    fn manifests() {
        assert_eq!(
            cargo_license("[package]\nlicense = \"MIT\"", None).unwrap(),
            "MIT"
        );
        assert_eq!(
            cargo_license("[package]\nlicense-file = \"LICENSE.txt\"", None).unwrap(),
            "license-file:LICENSE.txt"
        );
        let ws = "[workspace.package]\nlicense = \"Apache-2.0\"";
        assert_eq!(
            cargo_license("[package]\nlicense.workspace = true", Some(ws)).unwrap(),
            "Apache-2.0"
        );
        assert_eq!(
            cargo_license(
                &format!("{ws}\n[package]\nname='x'\nlicense.workspace = true"),
                None
            )
            .unwrap(),
            "Apache-2.0"
        );
        assert_eq!(cargo_license(ws, None).unwrap(), "Apache-2.0");
        assert!(cargo_license("not toml [", None).is_none());
        assert_eq!(
            package_json_licenses(r#"{"licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}"#),
            ["MIT", "Apache-2.0"]
        );
        assert!(package_json_licenses("[").is_empty());
    }
}
