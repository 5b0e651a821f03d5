//! `vendor/modules.txt`: the Go modules copied into a `vendor` folder by `go mod vendor`.
//!
//! Each vendored module has a `# path version` line (`# path version => replacement [version]`
//! when replaced), followed by `## explicit[; go 1.N]` when the main module's go.mod names it,
//! and the packages copied. A module marked explicit is direct, unless the go.mod beside the
//! vendor folder (read when present) marks it `// indirect`; the others are transitive.
//! `# old => new` lines without a version record a replacement of every version, not a module.

use crate::HashSet;
use std::path::Path;

use ospo_model::{Component, Ecosystem, Level, Relationship, Scope, Source};

use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct GoVendor;

const ID: &str = "go-vendor";

/// A `# …` module line being read, until its `##` marker (if any) is seen.
struct Pending {
    component: Component,
    name: String,
    explicit: bool,
}

impl Extractor for GoVendor {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Go
    }
    fn files(&self) -> &'static str {
        "vendor/modules.txt (with the go.mod beside the vendor folder)"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("modules.txt")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "modules.txt")
            && path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|d| d == "vendor")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let vendor = input.path.parent().unwrap_or(Path::new(""));
        let project = vendor.parent().unwrap_or(Path::new(""));
        let mut out = Extraction {
            group: Some(project.to_path_buf()),
            ..Extraction::default()
        };
        let indirect = read_indirect(input, project, &mut out);

        let mut pending: Option<Pending> = None;
        let finish = |p: Option<Pending>, out: &mut Extraction| {
            if let Some(p) = p {
                let direct =
                    p.explicit && indirect.as_ref().is_none_or(|ind| !ind.contains(&p.name));
                out.components
                    .push(p.component.with_relationship(if direct {
                        Relationship::Direct
                    } else {
                        Relationship::Transitive
                    }));
            }
        };
        for (n, raw) in text.lines().enumerate() {
            let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let line = raw.trim();
            if let Some(marker) = line.strip_prefix("##") {
                if let Some(p) = pending.as_mut() {
                    p.explicit |= marker.split(';').any(|m| m.trim() == "explicit");
                }
                continue;
            }
            let Some(module) = line.strip_prefix('#') else {
                // A package line (or blank): belongs to the module above.
                continue;
            };
            finish(pending.take(), &mut out);
            let (left, right) = match module.split_once("=>") {
                Some((l, r)) => (l, Some(r)),
                None => (module, None),
            };
            let left: Vec<&str> = left.split_whitespace().collect();
            let right: Option<Vec<&str>> = right.map(|r| r.split_whitespace().collect());
            let (name, version, source) = match (left.as_slice(), right.as_deref()) {
                // A replacement of every version: no module of its own.
                ([_], Some(_)) => continue,
                ([path, version], None) => (*path, Some(*version), registry()),
                ([_, _], Some([new, new_version])) => (*new, Some(*new_version), registry()),
                ([path, _], Some([local])) => {
                    let joined = project.join(local);
                    let local = crate::fs::confine(&joined)
                        .unwrap_or(joined)
                        .to_string_lossy()
                        .replace('\\', "/");
                    (*path, None, Source::Path { path: local })
                }
                _ => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        Some(line_no),
                        format!("ignored a malformed module line `{line}`"),
                    ));
                    continue;
                }
            };
            match Component::new(Ecosystem::Go, name, version) {
                Ok(c) => {
                    let original = left.first().copied().unwrap_or(name);
                    pending = Some(Pending {
                        component: c
                            .with_scope(Scope::Runtime)
                            .with_source(source)
                            .at(input.path, Some(line_no)),
                        name: original.to_owned(),
                        explicit: false,
                    });
                }
                Err(e) => out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Warning,
                    Some(line_no),
                    e.to_string(),
                )),
            }
        }
        finish(pending.take(), &mut out);
        Ok(out)
    }
}

fn registry() -> Source {
    Source::Registry { url: None }
}

/// The modules the go.mod beside the vendor folder marks `// indirect`; `None` without one.
fn read_indirect(
    input: &Input<'_>,
    project: &Path,
    out: &mut Extraction,
) -> Option<HashSet<String>> {
    let path = project.join("go.mod");
    let bytes = input.fs.read(&path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    out.manifest = Some(path);
    let mut set = HashSet::default();
    for line in text.lines() {
        let Some((code, comment)) = line.split_once("//") else {
            continue;
        };
        let comment = comment.trim();
        if comment != "indirect" && !comment.starts_with("indirect;") {
            continue;
        }
        let mut words = code.split_whitespace();
        let first = words.next();
        let path = if first == Some("require") {
            words.next()
        } else {
            first
        };
        if let Some(p) = path {
            set.insert(p.trim_matches(['"', '`']).to_owned());
        }
    }
    Some(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use proptest::prelude::*;

    #[test]
    fn modules_txt_with_replacements() {
        let (ex, p) = extract_testdata(&GoVendor, "go-vendor/vendor/modules.txt");
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        // grep -c '^# ' minus the `# old => new` line without a version.
        assert_eq!(p.components.len(), 6, "{:#?}", purls(&p));
        assert_eq!(ex.group.as_deref(), Some(Path::new("go-vendor")));
        assert_eq!(ex.manifest.as_deref(), Some(Path::new("go-vendor/go.mod")));
        let errors = find(&p, "pkg:golang/github.com/pkg/errors@v0.9.1");
        assert_eq!(errors.relationship, Relationship::Direct);
        assert_eq!(errors.locations[0].line, Some(1));
        let text = find(&p, "pkg:golang/golang.org/x/text@v0.14.0");
        assert_eq!(
            text.relationship,
            Relationship::Transitive,
            "explicit, but `// indirect` in go.mod"
        );
        let sys = find(&p, "pkg:golang/golang.org/x/sys@v0.18.0");
        assert_eq!(sys.relationship, Relationship::Transitive, "not explicit");
        let new = find(&p, "pkg:golang/github.com/new/lib@v1.1.0");
        assert_eq!(new.relationship, Relationship::Direct);
        assert_eq!(new.locations[0].line, Some(9));
        let local = find(&p, "pkg:golang/example.com/local");
        assert_eq!(
            local.source,
            Source::Path {
                path: "go-vendor/local".into()
            },
            "relative to the scanned root, as go-mod reports it"
        );
        find(&p, "pkg:golang/github.com/google/uuid@v1.6.0");
    }

    #[test]
    fn without_go_mod_explicit_is_direct() {
        let txt = b"# a.example/x v1.0.0\n## explicit; go 1.20\na.example/x\n# b.example/y v2.0.0+incompatible\nb.example/y\n# bad\n";
        let ex = extract_bytes(&GoVendor, "vendor/modules.txt", txt, &[]).unwrap();
        assert_eq!(ex.components.len(), 2);
        assert_eq!(ex.components[0].relationship, Relationship::Direct);
        assert_eq!(ex.components[1].relationship, Relationship::Transitive);
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(6));
        assert!(GoVendor.wants(Path::new("x/vendor/modules.txt")));
        assert!(!GoVendor.wants(Path::new("x/modules.txt")));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&GoVendor, "vendor/modules.txt", &bytes, &[("go.mod", &bytes)]);
        }
    }
}
