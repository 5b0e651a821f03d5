//! SwiftPM `Package.resolved` (format v1 `object.pins`, v2 and v3 `pins` with `originHash`).
//!
//! Each pin is a git checkout: the component is named by its repository URL without scheme and
//! `.git` (`github.com/apple/swift-nio`, the SwiftURL convention of OSV and the purl `swift`
//! type), versioned by `state.version` when the pin is on a tag, else unversioned with the pinned
//! revision in its git source. The file records no graph and not which pins the manifest names:
//! when a `Package.swift` sits beside it, pins whose URL it mentions are direct and the rest
//! transitive; otherwise (an Xcode project's resolved file) the relationship is unknown.
//! Registry pins (`kind: registry`, SE-0292) have no repository URL and are reported as warnings.

use crate::HashSet;
use std::path::Path;

use ospo_model::{Component, Ecosystem, Level, Relationship, Source};
use serde::Deserialize;

use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct PackageResolved;

const ID: &str = "swift-package-resolved";

#[derive(Deserialize)]
struct File {
    version: Option<u64>,
    #[serde(default)]
    pins: Vec<serde_json::Value>,
    object: Option<V1Object>,
}

#[derive(Deserialize)]
struct V1Object {
    #[serde(default)]
    pins: Vec<serde_json::Value>,
}

/// A pin of any format version (v1 names in aliases).
#[derive(Deserialize)]
struct Pin {
    #[serde(alias = "package")]
    identity: Option<String>,
    kind: Option<String>,
    #[serde(alias = "repositoryURL")]
    location: Option<String>,
    #[serde(default)]
    state: State,
}

#[derive(Deserialize, Default)]
struct State {
    revision: Option<String>,
    version: Option<String>,
}

/// `https://github.com/apple/swift-nio.git` → `github.com/apple/swift-nio`; also for
/// `git@github.com:apple/swift-nio.git` and `ssh://git@host/x.git`.
pub(crate) fn swift_name(url: &str) -> String {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    // user@ before the host
    let rest = match rest.split_once('@') {
        Some((user, r)) if !user.contains('/') => r,
        _ => rest,
    };
    // scp-like `host:path`
    let rest = match rest.split_once(':') {
        Some((host, path))
            if !host.contains('/') && !path.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            format!("{host}/{path}")
        }
        _ => rest.to_owned(),
    };
    let rest = rest.trim_end_matches('/');
    rest.strip_suffix(".git").unwrap_or(rest).to_owned()
}

impl Extractor for PackageResolved {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::SwiftURL
    }
    fn files(&self) -> &'static str {
        "Package.resolved (v1–v3), with Package.swift beside it for direct pins"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("Package.resolved")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "Package.resolved")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let file: File = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
        let pins = match file.version {
            Some(1) => file.object.map(|o| o.pins).unwrap_or_default(),
            Some(2 | 3) => file.pins,
            Some(v) => return Err(ExtractError::Unsupported(v.to_string())),
            None => {
                return Err(ExtractError::syntax(
                    Some(1),
                    "`version` is missing: not a Package.resolved file",
                ));
            }
        };
        let mut out = Extraction::default();
        let index = LineIndex::new(text);

        let manifest_urls: Option<HashSet<String>> = match input.read_sibling("Package.swift") {
            Some(Ok(bytes)) => {
                out.manifest = Some(input.sibling("Package.swift"));
                Some(package_swift_urls(&String::from_utf8_lossy(&bytes)))
            }
            Some(Err(e)) => {
                out.diagnostics.push(ospo_model::Diagnostic::new(
                    Level::Warning,
                    ID,
                    input.sibling("Package.swift"),
                    None,
                    format!("manifest ignored: {e}"),
                ));
                None
            }
            None => None,
        };

        let mut cursor = 0;
        for value in pins {
            let key = value
                .get("identity")
                .or_else(|| value.get("package"))
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            let line = index
                .find(&format!("\"{key}\""), cursor)
                .map(|(line, end)| {
                    cursor = end;
                    line
                });
            let pin: Pin = match serde_json::from_value(value) {
                Ok(p) => p,
                Err(e) => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        line,
                        format!("pin ignored: {e}"),
                    ));
                    continue;
                }
            };
            if pin.kind.as_deref() == Some("registry") {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Warning,
                    line,
                    format!(
                        "registry pin `{}` has no repository URL to name it by",
                        pin.identity.as_deref().unwrap_or("")
                    ),
                ));
                continue;
            }
            let Some(location) = pin.location.filter(|l| !l.trim().is_empty()) else {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    line,
                    "pin without a location",
                ));
                continue;
            };
            let name = swift_name(&location);
            let mut c =
                match Component::new(Ecosystem::SwiftURL, &name, pin.state.version.as_deref()) {
                    Ok(c) => c,
                    Err(e) => {
                        out.diagnostics.push(input.diagnostic(
                            ID,
                            Level::Error,
                            line,
                            format!("`{location}`: {e}"),
                        ));
                        continue;
                    }
                };
            c.source = if pin.kind.as_deref() == Some("localSourceControl") {
                Source::Path { path: location }
            } else {
                Source::Git {
                    url: location,
                    rev: pin.state.revision,
                }
            };
            c.relationship = match &manifest_urls {
                Some(urls) if urls.contains(&name.to_ascii_lowercase()) => Relationship::Direct,
                Some(_) => Relationship::Transitive,
                None => Relationship::Unknown,
            };
            out.components.push(c.at(input.path, line));
        }
        Ok(out)
    }
}

/// The package URLs a `Package.swift` mentions (`.package(url: "…", …)`), as lower-case names.
fn package_swift_urls(text: &str) -> HashSet<String> {
    let mut urls = HashSet::default();
    let mut rest = text;
    while let Some(pos) = rest.find("url:") {
        rest = &rest[pos + 4..];
        let trimmed = rest.trim_start();
        if let Some(s) = trimmed.strip_prefix('"')
            && let Some(end) = s.find('"')
        {
            urls.insert(swift_name(&s[..end]).to_ascii_lowercase());
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;

    #[test]
    fn names_from_urls() {
        assert_eq!(
            swift_name("https://github.com/apple/swift-nio.git"),
            "github.com/apple/swift-nio"
        );
        assert_eq!(
            swift_name("git@github.com:apple/swift-nio.git"),
            "github.com/apple/swift-nio"
        );
        assert_eq!(
            swift_name("ssh://git@git.example:2222/a/b.git"),
            "git.example:2222/a/b"
        );
        assert_eq!(
            swift_name("https://github.com/sindresorhus/DockProgress"),
            "github.com/sindresorhus/DockProgress"
        );
    }

    #[test]
    fn localsend_v3() {
        let Some((ex, p)) = extract_shared(&PackageResolved, "SwiftURL/localsend/Package.resolved")
        else {
            return;
        };
        // jq '.pins | length' → 2
        assert_eq!(p.components.len(), 2);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        assert_eq!(
            purls(&p),
            [
                "pkg:swift/github.com/sindresorhus/DockProgress@4.3.1",
                "pkg:swift/github.com/sindresorhus/LaunchAtLogin-Legacy@5.0.2"
            ]
        );
        let c = &p.components[0];
        assert_eq!(c.locations[0].line, Some(5));
        assert_eq!(c.relationship, Relationship::Unknown);
        assert_eq!(
            c.source,
            Source::Git {
                url: "https://github.com/sindresorhus/DockProgress".into(),
                rev: Some("d4f23b5a8f5ca0fac393eb7ba78c2fe3e32e52da".into())
            }
        );
    }

    #[test]
    fn mastodon_v1() {
        let Some((ex, p)) = extract_shared(
            &PackageResolved,
            "SwiftURL/mastodon-ios@aedade6/Package.resolved",
        ) else {
            return;
        };
        // jq '.object.pins | length' → 27 (also grep -c '"package"')
        assert_eq!(ex.components.len(), 27);
        assert_eq!(p.components.len(), 27);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        for want in [
            "pkg:swift/github.com/Alamofire/Alamofire@5.6.2",
            "pkg:swift/github.com/Alamofire/AlamofireImage@4.2.0",
            "pkg:swift/github.com/Flipboard/FLAnimatedImage@1.0.17",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want} not in {purls:?}");
        }
        let alamofire = p
            .components
            .iter()
            .find(|c| c.name.ends_with("/Alamofire"))
            .unwrap();
        assert_eq!(alamofire.locations[0].line, Some(5));
        let unversioned = p.components.iter().filter(|c| c.version.is_none()).count();
        // jq '[.object.pins[] | select(.state.version == null)] | length'
        let text = std::fs::read_to_string(
            shared_data()
                .unwrap()
                .join("lockfiles/SwiftURL/mastodon-ios@aedade6/Package.resolved"),
        )
        .unwrap();
        assert_eq!(unversioned, text.matches("\"version\": null").count());
    }

    #[test]
    fn v2_with_manifest_branch_pin_and_errors() {
        let resolved = br#"{
  "pins" : [
    {
      "identity" : "swift-nio",
      "kind" : "remoteSourceControl",
      "location" : "https://github.com/apple/swift-nio.git",
      "state" : { "revision" : "abc", "version" : "2.60.0" }
    },
    {
      "identity" : "swift-atomics",
      "kind" : "remoteSourceControl",
      "location" : "https://github.com/apple/swift-atomics.git",
      "state" : { "branch" : "main", "revision" : "def" }
    },
    {
      "identity" : "mona.linkedlist",
      "kind" : "registry",
      "location" : "",
      "state" : { "version" : "1.0.0" }
    }
  ],
  "version" : 2
}"#;
        let manifest = b"let package = Package(dependencies: [\n  .package(url: \"https://github.com/apple/swift-nio\", from: \"2.0.0\"),\n])\n";
        let ex = extract_bytes(
            &PackageResolved,
            "Package.resolved",
            resolved,
            &[("Package.swift", manifest)],
        )
        .unwrap();
        assert_eq!(ex.components.len(), 2);
        assert_eq!(ex.components[0].relationship, Relationship::Direct);
        assert_eq!(ex.components[1].relationship, Relationship::Transitive);
        assert_eq!(ex.components[1].version, None);
        assert_eq!(
            ex.components[1].purl.as_str(),
            "pkg:swift/github.com/apple/swift-atomics"
        );
        assert_eq!(ex.components[1].locations[0].line, Some(10));
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(16));
        assert_eq!(ex.manifest.as_deref(), Some(Path::new("Package.swift")));

        let err = extract_err(&PackageResolved, "Package.resolved", b"{\"version\": 9}");
        assert_eq!(err, ExtractError::Unsupported("9".into()));
        let err = extract_err(&PackageResolved, "Package.resolved", b"{\n\"pins\": [\n");
        assert_eq!(err.line(), Some(3), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&PackageResolved, "Package.resolved", &bytes, &[("Package.swift", &bytes)]);
        }

        #[test]
        fn urls_never_panic(url in ".{0,64}") {
            let _ = swift_name(&url);
        }
    }
}
