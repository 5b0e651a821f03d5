//! `Gemfile.lock` (Bundler 1.x–4.x), paired with the `Gemfile` beside it.
//!
//! The lockfile lists every resolved gem under its source section (`GEM`, `GIT`, `PATH`) with its
//! dependencies (the graph), the gems the Gemfile names (`DEPENDENCIES`, direct) and, since
//! Bundler 2.5, `CHECKSUMS` (sha256). Gems of a `PATH` section whose remote is `.` are the
//! project's own (a gem's repository with `gemspec` in its Gemfile).
//!
//! Platform variants: `nokogiri (1.19.1-x86_64-linux-gnu)` is version `1.19.1` with a
//! `platform=x86_64-linux-gnu` purl qualifier. Each variant is a separate component (its own purl,
//! line and checksum: they are different files), so a lockfile for three platforms lists three
//! nokogiri components; advisory matching by name and version sees all of them.
//!
//! Scopes are not in the lockfile: they come from the Gemfile's `group` blocks and `group:` /
//! `groups:` options. A gem only in `development` and/or `test` groups is dev; the scope of every
//! direct gem is propagated along the graph. Without a Gemfile every gem is runtime.

use crate::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Hash, Level, Relationship, Scope, Source};

use crate::extractors::graph;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct GemfileLock;

const ID: &str = "gemfile-lock";

/// Groups whose gems are not installed in production.
const DEV_GROUPS: &[&str] = &["development", "test"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Gem,
    Git,
    Path,
    Dependencies,
    Checksums,
    Other,
}

/// One `    name (version)` entry.
struct Spec<'a> {
    name: &'a str,
    version: &'a str,
    platform: Option<&'a str>,
    /// `version[-platform]` as written, the key of `CHECKSUMS`.
    full: &'a str,
    line: u32,
    source: usize,
    deps: Vec<(&'a str, u32)>,
}

/// A `GEM`/`GIT`/`PATH` section's source.
#[derive(Default)]
struct SourceBlock<'a> {
    kind: Option<Section>,
    remote: Option<&'a str>,
    revision: Option<&'a str>,
}

impl Extractor for GemfileLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::RubyGems
    }
    fn files(&self) -> &'static str {
        "Gemfile.lock / gems.locked (Bundler 1–4) with the Gemfile / gems.rb beside it"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("Gemfile.lock"), FileName::Is("gems.locked")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name()
            .is_some_and(|n| n == "Gemfile.lock" || n == "gems.locked")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let mut out = Extraction::default();

        let mut section = Section::Other;
        let mut seen_section = false;
        let mut sources: Vec<SourceBlock<'_>> = Vec::new();
        let mut specs: Vec<Spec<'_>> = Vec::new();
        let mut direct: Vec<(&str, u32)> = Vec::new();
        let mut checksums: HashMap<(&str, &str), &str> = HashMap::default();

        for (n, raw) in text.lines().enumerate() {
            let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            let body = line.trim_start_matches(' ');
            if indent == 0 {
                seen_section = true;
                section = match body {
                    "GEM" => Section::Gem,
                    "GIT" => Section::Git,
                    "PATH" => Section::Path,
                    "DEPENDENCIES" => Section::Dependencies,
                    "CHECKSUMS" => Section::Checksums,
                    // PLATFORMS, RUBY VERSION, BUNDLED WITH, PLUGIN SOURCE, …
                    s if s.bytes().all(|b| b.is_ascii_uppercase() || b == b' ') => Section::Other,
                    _ => {
                        return Err(ExtractError::syntax(
                            Some(line_no),
                            format!("expected a section name such as `GEM`, found `{body}`"),
                        ));
                    }
                };
                if matches!(section, Section::Gem | Section::Git | Section::Path) {
                    sources.push(SourceBlock {
                        kind: Some(section),
                        ..SourceBlock::default()
                    });
                }
                continue;
            }
            if !seen_section {
                return Err(ExtractError::syntax(
                    Some(line_no),
                    "indented line before the first section",
                ));
            }
            match section {
                Section::Gem | Section::Git | Section::Path => {
                    let src = sources.len().saturating_sub(1);
                    match indent {
                        2 => {
                            if let (Some((key, value)), Some(block)) =
                                (body.split_once(": "), sources.last_mut())
                            {
                                match key {
                                    "remote" if block.remote.is_none() => {
                                        block.remote = Some(value.trim());
                                    }
                                    "revision" => block.revision = Some(value.trim()),
                                    _ => {}
                                }
                            }
                        }
                        4 => match parse_spec(body) {
                            Some((name, full)) => {
                                let (version, platform) = split_platform(full);
                                specs.push(Spec {
                                    name,
                                    version,
                                    platform,
                                    full,
                                    line: line_no,
                                    source: src,
                                    deps: Vec::new(),
                                });
                            }
                            None => out.diagnostics.push(input.diagnostic(
                                ID,
                                Level::Error,
                                Some(line_no),
                                format!("expected `name (version)`, found `{body}`"),
                            )),
                        },
                        6 => {
                            let name = dep_name(body);
                            if let Some(spec) = specs.last_mut().filter(|_| !name.is_empty()) {
                                spec.deps.push((name, line_no));
                            }
                        }
                        _ => {}
                    }
                }
                Section::Dependencies if indent == 2 => {
                    let name = dep_name(body);
                    let name = name.strip_suffix('!').unwrap_or(name);
                    if !name.is_empty() {
                        direct.push((name, line_no));
                    }
                }
                Section::Checksums if indent == 2 => {
                    // `name (version[-platform]) sha256=HEX[,sha512=HEX]`; the hash may be absent.
                    if let Some((spec, sums)) = body.split_once(") ")
                        && let Some((name, full)) = parse_spec(&body[..=spec.len()])
                    {
                        for sum in sums.split(',') {
                            if let Some(hex) = sum.trim().strip_prefix("sha256=") {
                                checksums.insert((name, full), hex);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if !seen_section && !text.trim().is_empty() {
            return Err(ExtractError::syntax(
                Some(1),
                "no Gemfile.lock section found",
            ));
        }

        // Graph by name: a dependency line names a gem, which may have several platform variants.
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, s) in specs.iter().enumerate() {
            by_name.entry(s.name).or_default().push(i);
        }
        let mut graph: Vec<Vec<usize>> = vec![Vec::new(); specs.len()];
        for (i, s) in specs.iter().enumerate() {
            for &(dep, line) in &s.deps {
                match by_name.get(dep) {
                    Some(targets) => graph[i].extend(targets.iter().copied()),
                    // Bundler itself is never locked as a spec.
                    None if dep == "bundler" => {}
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        Some(line),
                        format!(
                            "`{}` depends on `{dep}`, which the lockfile does not list",
                            s.name
                        ),
                    )),
                }
            }
        }

        let is_root = |s: &Spec<'_>| {
            sources.get(s.source).is_some_and(|b| {
                b.kind == Some(Section::Path) && matches!(b.remote, Some("." | "./"))
            })
        };

        let groups = read_gemfile(input, &mut out);
        let mut seeds = Vec::new();
        let mut direct_set: HashSet<usize> = HashSet::default();
        for &(name, line) in &direct {
            let Some(targets) = by_name.get(name) else {
                // Platform-restricted gems (`platforms: :windows`) are listed but not resolved
                // when the lockfile has none of their platforms: normal, hence only Info.
                if name != "bundler" {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Info,
                        Some(line),
                        format!("`{name}` is a dependency the lockfile does not resolve (not for its platforms?)"),
                    ));
                }
                continue;
            };
            let scope = groups
                .as_ref()
                .and_then(|g| g.get(name).copied())
                .unwrap_or(Scope::Runtime);
            for &t in targets {
                direct_set.insert(t);
                seeds.push((t, scope));
            }
        }
        for (i, s) in specs.iter().enumerate() {
            if is_root(s) {
                seeds.push((i, Scope::Runtime));
            }
        }
        let scopes = graph::propagate(&graph, &seeds);

        let mut purls: Vec<Option<Arc<str>>> = Vec::with_capacity(specs.len());
        for (i, s) in specs.iter().enumerate() {
            let built =
                Component::new(Ecosystem::RubyGems, s.name, Some(s.version)).and_then(|c| match s
                    .platform
                {
                    Some(p) => Ok(Component {
                        purl: c.purl.clone().with_qualifier("platform", p)?,
                        ..c
                    }),
                    None => Ok(c),
                });
            let mut c = match built {
                Ok(c) => c,
                Err(e) => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        Some(s.line),
                        e.to_string(),
                    ));
                    purls.push(None);
                    continue;
                }
            };
            c.relationship = if is_root(s) {
                Relationship::Root
            } else if direct_set.contains(&i) {
                Relationship::Direct
            } else {
                Relationship::Transitive
            };
            c.scope = scopes.get(i).copied().flatten().unwrap_or(Scope::Runtime);
            if let Some(block) = sources.get(s.source) {
                c.source = match (block.kind, block.remote) {
                    (Some(Section::Git), Some(url)) => Source::Git {
                        url: url.to_owned(),
                        rev: block.revision.map(str::to_owned),
                    },
                    (Some(Section::Path), Some(path)) => Source::Path {
                        path: path.to_owned(),
                    },
                    (Some(Section::Gem), url) => Source::Registry {
                        url: url.map(str::to_owned),
                    },
                    _ => Source::Unknown,
                };
            }
            if let Some(hex) = checksums.get(&(s.name, s.full)) {
                c = c.with_hash(Hash::from_hex("sha256", hex));
            }
            c = c.at(input.path, Some(s.line));
            purls.push(Some(c.key()));
            out.components.push(c);
        }
        out.edges.extend(graph::edges(&graph, &purls));
        if groups.is_some() {
            out.manifest = Some(input.sibling(gemfile_name(input.path)));
        }
        Ok(out)
    }
}

/// `name (version)` → (name, version as written); `None` if malformed.
fn parse_spec(body: &str) -> Option<(&str, &str)> {
    let (name, rest) = body.split_once(" (")?;
    let version = rest.strip_suffix(')')?;
    (!name.is_empty() && !version.is_empty() && !name.contains(' ')).then_some((name, version))
}

/// `1.15.0-x86_64-linux` → (`1.15.0`, Some(`x86_64-linux`)). RubyGems versions never contain `-`
/// (prereleases use `.`), so the first `-` starts the platform.
fn split_platform(full: &str) -> (&str, Option<&str>) {
    match full.split_once('-') {
        Some((v, p)) if !v.is_empty() && !p.is_empty() => (v, Some(p)),
        _ => (full, None),
    }
}

/// The gem name of a dependency line (`rack (>= 2.0)`, `devise!`, `rack`).
fn dep_name(body: &str) -> &str {
    body.split([' ', '(']).next().unwrap_or("")
}

/// `Gemfile.lock` pairs with `Gemfile`, `gems.locked` with `gems.rb`.
fn gemfile_name(lock: &Path) -> &'static str {
    if lock.file_name().is_some_and(|n| n == "gems.locked") {
        "gems.rb"
    } else {
        "Gemfile"
    }
}

/// The scope of each gem the Gemfile names, from its groups; `None` without a readable Gemfile.
fn read_gemfile(input: &Input<'_>, out: &mut Extraction) -> Option<HashMap<String, Scope>> {
    let name = gemfile_name(input.path);
    let bytes = match input.read_sibling(name)? {
        Ok(b) => b,
        Err(e) => {
            out.diagnostics.push(ospo_model::Diagnostic::new(
                Level::Warning,
                ID,
                input.sibling(name),
                None,
                format!("Gemfile ignored: {e}"),
            ));
            return None;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    Some(gemfile_scopes(&text))
}

/// Reads `gem` lines and the groups around them. A Ruby file cannot be evaluated here, so this
/// follows the common shapes: `group :a, :b do … end` blocks (other `do`/`if`/`unless`/`case`/
/// `begin` blocks are tracked so `end` closes the right one) and `group:`/`groups:` options.
/// A gem named several times keeps its most needed scope.
fn gemfile_scopes(text: &str) -> HashMap<String, Scope> {
    // The block stack: `Some(groups)` for a group block, `None` for any other block.
    let mut stack: Vec<Option<Vec<String>>> = Vec::new();
    let mut scopes: HashMap<String, Scope> = HashMap::default();
    for raw in text.lines() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.split([' ', '(']).next().unwrap_or("");
        if first == "end" {
            stack.pop();
            continue;
        }
        let opens_do = line.ends_with(" do") || (line.contains(" do |") && line.ends_with('|'));
        if first == "group" && opens_do {
            let args = line.trim_start_matches("group");
            let args = args.rsplit_once(" do").map_or(args, |(a, _)| a);
            stack.push(Some(symbols(args)));
            continue;
        }
        if first == "gem" {
            let args = line.trim_start_matches("gem").trim_start_matches('(');
            let Some(name) = first_string(args) else {
                continue;
            };
            let mut groups: Vec<String> = stack.iter().flatten().flatten().cloned().collect();
            for key in ["groups:", ":groups =>", "group:", ":group =>"] {
                if let Some(pos) = args.find(key) {
                    let rest = &args[pos + key.len()..];
                    let end = if rest.trim_start().starts_with('[') {
                        rest.find(']').unwrap_or(rest.len())
                    } else {
                        rest.find(',').unwrap_or(rest.len())
                    };
                    groups.extend(symbols(&rest[..end]));
                    break;
                }
            }
            let scope =
                if !groups.is_empty() && groups.iter().all(|g| DEV_GROUPS.contains(&g.as_str())) {
                    Scope::Dev
                } else {
                    Scope::Runtime
                };
            let e = scopes.entry(name.to_owned()).or_insert(scope);
            if scope == Scope::Runtime {
                *e = Scope::Runtime;
            }
            if opens_do {
                stack.push(None);
            }
            continue;
        }
        let opens_block = matches!(
            first,
            "if" | "unless" | "case" | "begin" | "while" | "until" | "def" | "module" | "class"
        ) || opens_do;
        if opens_block {
            stack.push(None);
        }
    }
    scopes
}

/// The first quoted string of a Ruby argument list.
fn first_string(args: &str) -> Option<&str> {
    let start = args.find(['"', '\''])?;
    let quote = args[start..].chars().next()?;
    let rest = &args[start + 1..];
    let end = rest.find(quote)?;
    Some(&rest[..end])
}

/// The group names of `:development, :test`, `[:dev, "test"]`, `"test"`.
fn symbols(s: &str) -> Vec<String> {
    s.split([',', '[', ']', ' '])
        .map(|t| t.trim().trim_start_matches(':').trim_matches(['"', '\'']))
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Edge;

    /// 4-space spec lines of the GEM/GIT/PATH sections, counted independently with
    /// `grep -cE '^    [^ ]+ \(' Gemfile.lock` (no other section indents by 4).
    fn spec_lines(rel: &str) -> usize {
        let text =
            std::fs::read_to_string(shared_data().unwrap().join("lockfiles").join(rel)).unwrap();
        text.lines()
            .filter(|l| l.starts_with("    ") && !l.starts_with("     ") && l.contains(" ("))
            .count()
    }

    #[test]
    fn devise_git_path_gem() {
        let Some((ex, p)) = extract_shared(&GemfileLock, "RubyGems/devise/Gemfile.lock") else {
            return;
        };
        // grep -cE '^    [^ ]+ \(' RubyGems/devise/Gemfile.lock → 99
        assert_eq!(ex.components.len(), 99);
        assert_eq!(
            ex.components.len(),
            spec_lines("RubyGems/devise/Gemfile.lock")
        );
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        for want in [
            "pkg:gem/devise@5.0.3",
            "pkg:gem/mongoid@9.0.10",
            "pkg:gem/nokogiri@1.19.2",
            "pkg:gem/zeitwerk@2.7.5",
            "pkg:gem/action_text-trix@2.1.18",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want}");
        }
        let get = |n: &str| p.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("devise").relationship, Relationship::Root);
        assert_eq!(get("devise").source, Source::Path { path: ".".into() });
        assert_eq!(get("devise").locations[0].line, Some(14));
        assert_eq!(get("mongoid").relationship, Relationship::Direct);
        assert_eq!(
            get("mongoid").source,
            Source::Git {
                url: "https://github.com/mongodb/mongoid.git".into(),
                rev: Some("0623af687a234392ed4b8872f474a9208b908500".into())
            }
        );
        assert_eq!(get("warden").relationship, Relationship::Transitive);
        assert_eq!(
            get("warden").source,
            Source::Registry {
                url: Some("https://rubygems.org/".into())
            }
        );
        assert!(p.edges.contains(&Edge {
            from: "pkg:gem/devise@5.0.3".into(),
            to: "pkg:gem/warden@1.2.9".into()
        }));
        assert!(ex.manifest.is_none(), "no Gemfile in the corpus folder");
    }

    #[test]
    fn rails_platforms_and_checksums() {
        let Some((ex, p)) = extract_shared(&GemfileLock, "RubyGems/rails/Gemfile.lock") else {
            return;
        };
        let want = spec_lines("RubyGems/rails/Gemfile.lock");
        assert_eq!(ex.components.len(), want);
        // grep -cE '^    [^ ]+ \(' → 264; distinct purls: platform variants stay separate.
        assert_eq!(want, 264);
        assert_eq!(p.components.len(), want);
        // tzinfo-data and wdm are Windows-only gems the lockfile does not resolve.
        let unresolved: Vec<_> = ex.diagnostics.iter().map(|d| (d.level, d.line)).collect();
        assert_eq!(
            unresolved,
            [(Level::Info, Some(754)), (Level::Info, Some(758))]
        );
        let purls = purls(&p);
        for want in [
            "pkg:gem/nokogiri@1.19.1?platform=x86_64-linux-gnu",
            "pkg:gem/nokogiri@1.19.1?platform=arm64-darwin",
            "pkg:gem/ffi@1.17.1?platform=x86_64-darwin",
            "pkg:gem/actioncable@8.2.0.alpha",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want}");
        }
        let nokogiri = p
            .components
            .iter()
            .find(|c| c.purl.as_str() == "pkg:gem/nokogiri@1.19.1?platform=x86_64-linux-gnu")
            .unwrap();
        assert_eq!(nokogiri.version.as_deref(), Some("1.19.1"));
        assert_eq!(nokogiri.locations[0].line, Some(390));
        assert_eq!(
            nokogiri.hashes,
            [Hash::from_hex(
                "sha256",
                "1a4902842a186b4f901078e692d12257678e6133858d0566152fe29cdb98456a"
            )
            .unwrap()]
        );
        assert_eq!(nokogiri.relationship, Relationship::Direct);
        let actioncable = p
            .components
            .iter()
            .find(|c| c.name == "actioncable")
            .unwrap();
        assert_eq!(actioncable.relationship, Relationship::Root);
    }

    #[test]
    fn gemfile_groups_give_scopes() {
        let lock = b"GEM
  remote: https://rubygems.org/
  specs:
    rack (3.0.0)
    rspec (3.12.0)
      rspec-core (~> 3.12.0)
    rspec-core (3.12.0)
    rubocop (1.0.0)
      rack (>= 1)
    puma (6.0.0)
      rack

PLATFORMS
  ruby

DEPENDENCIES
  puma
  rspec
  rubocop

CHECKSUMS
  rack (3.0.0) sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
  rspec (3.12.0)

RUBY VERSION
   ruby 3.2.0p0

BUNDLED WITH
   2.5.3
";
        let gemfile = b"source 'https://rubygems.org'
gem 'puma', '~> 6.0' # web server
group :development, :test do
  gem 'rspec'
  if ENV['CI']
    gem 'ci_reporter'
  end
end
gem \"rubocop\", require: false, group: :development
";
        let ex = extract_bytes(
            &GemfileLock,
            "app/Gemfile.lock",
            lock,
            &[("app/Gemfile", gemfile)],
        )
        .unwrap();
        let get = |n: &str| ex.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("puma").scope, Scope::Runtime);
        assert_eq!(get("puma").relationship, Relationship::Direct);
        assert_eq!(get("rspec").scope, Scope::Dev);
        assert_eq!(get("rspec-core").scope, Scope::Dev);
        assert_eq!(get("rspec-core").relationship, Relationship::Transitive);
        assert_eq!(get("rubocop").scope, Scope::Dev);
        assert_eq!(get("rack").scope, Scope::Runtime, "reached through puma");
        assert_eq!(get("rack").hashes.len(), 1);
        assert!(get("rspec").hashes.is_empty());
        assert_eq!(get("rack").locations[0].line, Some(4));
        assert_eq!(ex.edges.len(), 3);
        assert_eq!(ex.manifest.as_deref(), Some(Path::new("app/Gemfile")));
    }

    #[test]
    fn bad_entries_and_broken_files() {
        let ex = extract_bytes(
            &GemfileLock,
            "Gemfile.lock",
            b"GEM\n  specs:\n    ok (1.0)\n    broken\n      missing (>= 1)\n",
            &[],
        )
        .unwrap();
        assert_eq!(ex.components.len(), 1);
        assert_eq!(ex.diagnostics.len(), 2, "{:?}", ex.diagnostics);
        assert_eq!(ex.diagnostics[0].line, Some(4));
        let err = extract_err(&GemfileLock, "Gemfile.lock", b"GEM\n  specs:\nbad line\n");
        assert_eq!(err.line(), Some(3));
        let err = extract_err(&GemfileLock, "Gemfile.lock", b"{\"json\": 1}");
        assert_eq!(err.line(), Some(1));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&GemfileLock, "Gemfile.lock", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..2000) {
            let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    a (1.0-java)\n      b\n    b (2.0)\n\nDEPENDENCIES\n  a!\n\nCHECKSUMS\n  a (1.0-java) sha256=00\n";
            let end = cut.min(lock.len());
            let _ = extract_bytes(&GemfileLock, "Gemfile.lock", &lock.as_bytes()[..end], &[("Gemfile", b"group :test do\n gem 'a'\nend\n")]);
        }
    }
}
