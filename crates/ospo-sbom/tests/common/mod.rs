//! Fixture portfolios for the SBOM tests, built from model values.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use ospo_model::{
    Component, Ecosystem, Edge, Hash, Portfolio, Project, Relationship, Repository, Scope, Source,
};

pub const SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

pub fn comp(eco: Ecosystem, name: &str, version: &str) -> Component {
    Component::new(eco, name, Some(version)).unwrap()
}

fn project(
    extractor: &str,
    eco: Ecosystem,
    path: &str,
    mut components: Vec<Component>,
    edges: &[(&Component, &Component)],
) -> Project {
    for c in &mut components {
        if c.locations.is_empty() {
            *c = c.clone().at(path, Some(7));
        }
    }
    let mut p = Project {
        extractor: extractor.into(),
        ecosystem: eco,
        path: PathBuf::from(path),
        manifest: None,
        edges: edges
            .iter()
            .map(|(a, b)| Edge {
                from: a.key(),
                to: b.key(),
            })
            .collect(),
        components,
    };
    p.normalise();
    p
}

/// One repository, three projects over several ecosystems: scoped npm names, Maven groups,
/// PyPI, Go, Cargo with git and registry sources, a generic URL download, every scope and
/// relationship, SPDX ids, expressions and free-text licences, a purl shared by two projects.
pub fn repository(name: &str) -> Repository {
    let app = comp(Ecosystem::Npm, "web-app", "1.0.0")
        .with_relationship(Relationship::Root)
        .with_license("MIT");
    let babel = comp(Ecosystem::Npm, "@babel/core", "7.24.0")
        .with_relationship(Relationship::Direct)
        .with_scope(Scope::Dev)
        .with_hash(Hash::from_sri("sha512-z4kP7y5wR8Jj1ZIe5O2R7AlJ8w02Cmcr5AmzD9XpnyJdsK5k8Pw/37CeRLB3ogyQdgU2p5XwSiBgd6f4OTo8pg=="))
        .with_license("MIT")
        .with_source(Source::Registry { url: Some("https://registry.npmjs.org".into()) });
    let lodash = comp(Ecosystem::Npm, "lodash", "4.17.21")
        .with_relationship(Relationship::Direct)
        .with_license("MIT OR Apache-2.0")
        .with_source(Source::Url {
            url: "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz".into(),
        });
    let fsevents = comp(Ecosystem::Npm, "fsevents", "2.3.3")
        .with_relationship(Relationship::Transitive)
        .with_scope(Scope::Optional)
        .with_license("Apache 2");
    let ms = comp(Ecosystem::Npm, "ms", "2.1.3")
        .with_relationship(Relationship::Transitive)
        .with_scope(Scope::Dev);
    let npm = project(
        "npm-package-lock",
        Ecosystem::Npm,
        "web/package-lock.json",
        vec![
            app.clone(),
            babel.clone(),
            lodash.clone(),
            fsevents.clone(),
            ms.clone(),
        ],
        &[
            (&app, &babel),
            (&app, &lodash),
            (&babel, &ms),
            (&lodash, &fsevents),
        ],
    );

    let slf4j = comp(Ecosystem::Maven, "org.slf4j:slf4j-api", "2.0.13")
        .with_relationship(Relationship::Direct)
        .with_hash(Hash::from_hex(
            "sha1",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        ))
        .with_license("MIT");
    let junit = comp(Ecosystem::Maven, "junit:junit", "4.13.2")
        .with_relationship(Relationship::Direct)
        .with_scope(Scope::Dev)
        .with_license("EPL-1.0");
    let lombok = comp(Ecosystem::Maven, "org.projectlombok:lombok", "1.18.32")
        .with_relationship(Relationship::Direct)
        .with_scope(Scope::Build);
    let hamcrest = comp(Ecosystem::Maven, "org.hamcrest:hamcrest-core", "1.3")
        .with_relationship(Relationship::Transitive)
        .with_scope(Scope::Dev)
        .with_license("BSD-3-Clause")
        .with_license("Custom licence\nsee LICENSE.txt");
    let maven = project(
        "maven-pom",
        Ecosystem::Maven,
        "api/pom.xml",
        vec![
            slf4j,
            junit.clone(),
            lombok,
            hamcrest.clone(),
            lodash.clone(),
        ],
        &[(&junit, &hamcrest)],
    );

    let serde = comp(Ecosystem::CratesIo, "serde", "1.0.200")
        .with_relationship(Relationship::Direct)
        .with_hash(Hash::from_hex("sha256", SHA256))
        .with_source(Source::Registry {
            url: Some("https://github.com/rust-lang/crates.io-index".into()),
        })
        .with_license("MIT OR Apache-2.0");
    let gitdep = comp(Ecosystem::CratesIo, "mylib", "0.3.0")
        .with_relationship(Relationship::Direct)
        .with_source(Source::Git {
            url: "https://github.com/example/mylib".into(),
            rev: Some("0123abcd".into()),
        });
    let requests =
        comp(Ecosystem::PyPI, "Requests", "2.32.3").with_relationship(Relationship::Unknown);
    let errors = comp(Ecosystem::Go, "github.com/pkg/errors", "v0.9.1")
        .with_relationship(Relationship::Transitive);
    let zlib = comp(Ecosystem::Generic, "zlib", "1.3.1").with_source(Source::Url {
        url: "https://zlib.net/zlib-1.3.1.tar.gz".into(),
    });
    let tool = comp(Ecosystem::CratesIo, "tool", "0.1.0")
        .with_relationship(Relationship::Root)
        .with_source(Source::Path {
            path: "tools".into(),
        });
    let mixed = project(
        "cargo-lock",
        Ecosystem::CratesIo,
        "tools/Cargo.lock",
        vec![
            tool.clone(),
            serde.clone(),
            gitdep.clone(),
            requests,
            errors.clone(),
            zlib,
        ],
        &[(&tool, &serde), (&tool, &gitdep), (&gitdep, &errors)],
    );
    Repository {
        name: name.into(),
        path: PathBuf::from(name),
        projects: vec![npm, maven, mixed],
        diagnostics: vec![],
    }
}

pub fn portfolio() -> Portfolio {
    Portfolio {
        repositories: vec![repository("acme")],
        diagnostics: vec![],
    }
}

pub fn two_repositories() -> Portfolio {
    Portfolio {
        repositories: vec![repository("beta"), repository("alpha")],
        diagnostics: vec![],
    }
}

/// One small project, for snapshots.
pub fn small() -> Portfolio {
    let root = comp(Ecosystem::CratesIo, "demo", "0.1.0").with_relationship(Relationship::Root);
    let anyhow = comp(Ecosystem::CratesIo, "anyhow", "1.0.86")
        .with_relationship(Relationship::Direct)
        .with_hash(Hash::from_hex("sha256", SHA256))
        .with_license("MIT OR Apache-2.0")
        .with_source(Source::Registry { url: None });
    let p = project(
        "cargo-lock",
        Ecosystem::CratesIo,
        "Cargo.lock",
        vec![root.clone(), anyhow.clone()],
        &[(&root, &anyhow)],
    );
    Portfolio {
        repositories: vec![Repository {
            name: "demo".into(),
            path: "demo".into(),
            projects: vec![p],
            diagnostics: vec![],
        }],
        diagnostics: vec![],
    }
}

pub fn opts() -> ospo_sbom::WriteOptions {
    ospo_sbom::WriteOptions {
        tool_name: "ospo".into(),
        tool_version: "0.1.0".into(),
        timestamp: Some(1_700_000_000),
        reproducible: true,
        name: None,
    }
}

/// The shared lockfile corpus, if present.
pub fn shared_lockfiles() -> Option<PathBuf> {
    let dir = std::env::var_os("OSPO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("lockfiles");
    dir.is_dir().then_some(dir)
}
