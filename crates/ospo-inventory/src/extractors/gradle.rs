//! Gradle dependency locks: `gradle.lockfile` (Gradle 6+), `buildscript-gradle.lockfile` and
//! `settings-gradle.lockfile`, and the legacy per-configuration
//! `gradle/dependency-locks/<configuration>.lockfile`.
//!
//! Each line is `group:artifact:version=configuration,…` (legacy files: `group:artifact:version`,
//! the configuration being the file name). The configurations give the scope: a module locked
//! only in test (or JMH benchmark) configurations is dev, one locked only for annotation
//! processing (or in the build script's classpath) is build, anything else runtime. A lockfile
//! does not say which modules the build script names, so the relationship is unknown.

use std::path::Path;

use ospo_model::{Component, Ecosystem, Level, Relationship, Scope, Source};

use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct GradleLockfile;

const ID: &str = "gradle-lockfile";

impl Extractor for GradleLockfile {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Maven
    }
    fn files(&self) -> &'static str {
        "gradle.lockfile, buildscript-gradle.lockfile, settings-gradle.lockfile, \
         gradle/dependency-locks/*.lockfile"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::EndsWith(".lockfile")]
    }
    fn wants(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return false;
        };
        matches!(
            name,
            "gradle.lockfile" | "buildscript-gradle.lockfile" | "settings-gradle.lockfile"
        ) || (name.ends_with(".lockfile") && legacy_dir(path))
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let name = input
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        // The whole file is for the build itself (plugins on the build script's classpath).
        let build_file = matches!(
            name,
            "buildscript-gradle.lockfile" | "settings-gradle.lockfile"
        );
        // A legacy file locks the one configuration it is named after.
        let legacy_conf = (!build_file && name != "gradle.lockfile")
            .then(|| name.strip_suffix(".lockfile"))
            .flatten();
        let mut out = Extraction::default();
        let mut seen_entry = false;
        let mut first_bad = None;
        for (n, raw) in text.lines().enumerate() {
            let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
                continue;
            }
            let (coords, confs) = match line.split_once('=') {
                Some((c, confs)) => (c, Some(confs)),
                None => (line, None),
            };
            let mut parts = coords.split(':');
            let (Some(group), Some(artifact), Some(version), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                first_bad = first_bad.or(Some(line_no));
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Warning,
                    Some(line_no),
                    format!("ignored a line that is not `group:artifact:version`: `{line}`"),
                ));
                continue;
            };
            if [group, artifact, version].iter().any(|s| s.is_empty()) {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Warning,
                    Some(line_no),
                    format!("ignored an entry with an empty coordinate: `{line}`"),
                ));
                continue;
            }
            seen_entry = true;
            let c = match Component::new(
                Ecosystem::Maven,
                &format!("{group}:{artifact}"),
                Some(version),
            ) {
                Ok(c) => c,
                Err(e) => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        Some(line_no),
                        e.to_string(),
                    ));
                    continue;
                }
            };
            let scope = if build_file {
                Scope::Build
            } else {
                let confs = confs.or(legacy_conf).unwrap_or_default();
                scope_of(confs.split(',').map(str::trim).filter(|c| !c.is_empty()))
            };
            out.components.push(
                c.with_scope(scope)
                    .with_relationship(Relationship::Unknown)
                    .with_source(Source::Registry { url: None })
                    .at(input.path, Some(line_no)),
            );
        }
        // Not one good entry, only bad ones: this is not a lockfile at all.
        if let (false, Some(line)) = (seen_entry, first_bad) {
            return Err(ExtractError::syntax(
                Some(line),
                "expected `group:artifact:version=configurations`",
            ));
        }
        Ok(out)
    }
}

/// `…/gradle/dependency-locks/<name>.lockfile`.
fn legacy_dir(path: &Path) -> bool {
    let mut dirs = path.parent().into_iter().flat_map(Path::iter).rev();
    dirs.next().is_some_and(|d| d == "dependency-locks")
        && dirs.next().is_some_and(|d| d == "gradle")
}

/// The scope of a module locked in these configurations: runtime if any configuration is not
/// test-only or processor-only; else build if any is an annotation processor's; else dev.
fn scope_of<'a>(confs: impl Iterator<Item = &'a str>) -> Scope {
    let mut scope = None;
    for conf in confs {
        let s = if conf.starts_with("test") || conf.starts_with("jmh") {
            Scope::Dev
        } else if conf == "annotationProcessor"
            || conf.ends_with("AnnotationProcessor")
            || conf.starts_with("kapt")
        {
            Scope::Build
        } else {
            return Scope::Runtime;
        };
        scope = Some(match (scope, s) {
            (Some(Scope::Build), _) | (_, Scope::Build) => Scope::Build,
            _ => Scope::Dev,
        });
    }
    scope.unwrap_or(Scope::Runtime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Project;
    use proptest::prelude::*;

    fn scopes(p: &Project) -> [usize; 3] {
        let n = |s| p.components.iter().filter(|c| c.scope == s).count();
        [n(Scope::Runtime), n(Scope::Dev), n(Scope::Build)]
    }

    #[test]
    fn mercury() {
        let Some((ex, p)) = extract_shared(&GradleLockfile, "Maven/Mercury/gradle.lockfile") else {
            return;
        };
        // python: 28 lines that are neither comments nor `empty=`; 8 of them only in test*
        // configurations, the other 20 also in a main (or `jdt`) configuration.
        assert_eq!(ex.components.len(), 28);
        assert_eq!(p.components.len(), 28);
        assert_eq!(scopes(&p), [20, 8, 0]);
        let api = find(&p, "pkg:maven/org.apiguardian/apiguardian-api@1.1.0");
        assert_eq!(api.scope, Scope::Dev);
        assert_eq!(api.relationship, Relationship::Unknown);
        assert_eq!(api.locations[0].line, Some(4));
        let at = find(&p, "pkg:maven/org.cadixdev/at@0.1.0-rc1");
        assert_eq!(at.scope, Scope::Runtime);
        find(
            &p,
            "pkg:maven/org.eclipse.platform/org.eclipse.osgi@3.23.200",
        );
        find(&p, "pkg:maven/org.junit/junit-bom@5.7.0");
        assert!(ex.diagnostics.is_empty());
    }

    #[test]
    fn jabref() {
        let Some((ex, p)) = extract_shared(&GradleLockfile, "Maven/jabref@62ba293/gradle.lockfile")
        else {
            return;
        };
        // python: 199 entries; 34 locked only in test*/jmh* configurations.
        assert_eq!(p.components.len(), 199);
        assert_eq!(scopes(&p), [165, 34, 0]);
        let c = find(&p, "pkg:maven/classworlds/classworlds@1.1-alpha-2");
        assert_eq!(c.scope, Scope::Runtime, "a plugin's own configuration");
        assert_eq!(c.locations[0].line, Some(4));
        let x = find(
            &p,
            "pkg:maven/com.tngtech.archunit/archunit-junit5-api@0.23.1",
        );
        assert_eq!(x.scope, Scope::Dev);
        assert_eq!(x.locations[0].line, Some(42));
        find(&p, "pkg:maven/org.yaml/snakeyaml@1.30");
        find(
            &p,
            "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.13.3",
        );
        assert!(ex.diagnostics.is_empty());
    }

    #[test]
    fn variants() {
        let (ex, p) = extract_testdata(
            &GradleLockfile,
            "gradle-lockfile/buildscript-gradle.lockfile",
        );
        assert_eq!(p.components.len(), 2);
        assert!(p.components.iter().all(|c| c.scope == Scope::Build));
        assert!(ex.diagnostics.is_empty());

        let (_, p) = extract_testdata(
            &GradleLockfile,
            "gradle-lockfile/gradle/dependency-locks/testRuntimeClasspath.lockfile",
        );
        assert_eq!(p.components.len(), 2);
        assert!(p.components.iter().all(|c| c.scope == Scope::Dev));

        let (ex, p) = extract_testdata(
            &GradleLockfile,
            "gradle-lockfile/processors/gradle.lockfile",
        );
        assert_eq!(p.components.len(), 4);
        assert_eq!(
            find(&p, "pkg:maven/org.projectlombok/lombok@1.18.32").scope,
            Scope::Build
        );
        assert_eq!(
            find(&p, "pkg:maven/com.google.dagger/dagger-compiler@2.51").scope,
            Scope::Build
        );
        assert_eq!(
            find(&p, "pkg:maven/com.google.dagger/dagger@2.51").scope,
            Scope::Runtime
        );
        assert_eq!(
            find(&p, "pkg:maven/org.mockito/mockito-core@5.11.0").scope,
            Scope::Dev
        );
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(6));
    }

    #[test]
    fn wants_the_right_files() {
        let w = |p: &str| GradleLockfile.wants(Path::new(p));
        assert!(w("gradle.lockfile"));
        assert!(w("sub/buildscript-gradle.lockfile"));
        assert!(w("gradle/dependency-locks/compileClasspath.lockfile"));
        assert!(!w("other/compileClasspath.lockfile"));
        assert!(!w("gradle.lockfile.bak"));
    }

    #[test]
    fn not_a_lockfile() {
        let err = extract_err(&GradleLockfile, "gradle.lockfile", b"# c\n\nhello world\n");
        assert_eq!(err.line(), Some(3));
        assert!(
            extract_bytes(
                &GradleLockfile,
                "gradle.lockfile",
                b"# only comments\nempty=\n",
                &[]
            )
            .unwrap()
            .components
            .is_empty()
        );
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&GradleLockfile, "gradle.lockfile", &bytes, &[]);
            let _ = extract_bytes(&GradleLockfile, "gradle/dependency-locks/x.lockfile", &bytes, &[]);
        }
    }
}
