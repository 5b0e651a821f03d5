//! The registry of extractors: one file per format, fixtures in `testdata/<id>/`.
//!
//! Adding one: write `extractors/<id>.rs` implementing [`Extractor`], add it to [`REGISTRY`]
//! (kept sorted by id), put real fixtures in `testdata/<id>/`, and the table tests below cover
//! the rest (unique sorted ids, no panic on arbitrary bytes).

use crate::Extractor;

pub mod bun;
pub mod bundler;
pub mod cargo;
pub mod cargo_vendor;
pub mod cocoapods;
pub mod composer;
pub mod conan;
pub mod gomod;
pub mod govendor;
pub mod gradle;
pub(crate) mod graph;
pub(crate) mod js;
pub(crate) mod json_cursor;
pub mod maven;
pub mod mix;
pub mod node_modules;
pub mod npm;
pub mod nuget;
pub mod nuget_config;
pub mod pdm;
pub mod pep508;
pub mod pipfile;
pub mod pnpm;
pub mod poetry;
pub mod pubspec;
pub mod pylock;
pub mod python_installed;
pub mod requirements;
pub mod sbom;
pub mod swift;
mod toml_shape;
pub mod uv;
pub mod yarn;

/// Every extractor, sorted by id.
pub static REGISTRY: &[&dyn Extractor] = &[
    &bun::BunLock,
    &cargo::CargoLock,
    &cargo_vendor::CargoVendor,
    &composer::ComposerLock,
    &conan::ConanLock,
    &sbom::CYCLONEDX_JSON,
    &sbom::CYCLONEDX_XML,
    &bundler::GemfileLock,
    &gomod::GoMod,
    &govendor::GoVendor,
    &gradle::GradleLockfile,
    &maven::MavenPom,
    &mix::MixLock,
    &node_modules::NodeModules,
    &npm::NpmLock,
    &nuget_config::NugetPackagesConfig,
    &nuget::NugetPackagesLock,
    &pdm::PdmLock,
    &requirements::PipRequirements,
    &pipfile::PipfileLock,
    &pnpm::PnpmLock,
    &cocoapods::PodfileLock,
    &poetry::PoetryLock,
    &pubspec::PubspecLock,
    &pylock::Pylock,
    &python_installed::PythonInstalled,
    &sbom::SPDX_JSON,
    &sbom::SPDX_TAG_VALUE,
    &swift::PackageResolved,
    &uv::UvLock,
    &yarn::YarnLock,
];

/// One typical path per format: each extractor must want at least one (a test checks it), so
/// fuzzers and property tests can feed it bytes under a name it reads.
pub const SAMPLE_PATHS: &[&str] = &[
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "node_modules/.package-lock.json",
    "node_modules/a/package.json",
    "requirements.txt",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "pylock.toml",
    "venv/lib/python3.11/site-packages/a-1.0.dist-info/METADATA",
    "go.mod",
    "vendor/modules.txt",
    "vendor/a/.cargo-checksum.json",
    "pom.xml",
    "gradle.lockfile",
    "Gemfile.lock",
    "composer.lock",
    "packages.lock.json",
    "packages.config",
    "mix.lock",
    "pubspec.lock",
    "Package.resolved",
    "Podfile.lock",
    "conan.lock",
    "bom.json",
    "bom.xml",
    "a.spdx.json",
    "a.spdx",
];

/// A path this extractor wants, from [`SAMPLE_PATHS`].
pub fn sample_path(ex: &dyn Extractor) -> Option<std::path::PathBuf> {
    SAMPLE_PATHS
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| ex.wants(p))
}

/// The extractor with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Extractor> {
    REGISTRY.iter().copied().find(|e| e.id() == id)
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_extractor_wants_a_sample_path() {
        for ex in REGISTRY {
            assert!(
                sample_path(*ex).is_some(),
                "add a path {} reads to SAMPLE_PATHS",
                ex.id()
            );
        }
    }

    #[test]
    fn every_extractor_has_a_fuzz_target() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/fuzz_targets");
        let manifest = std::fs::read_to_string(dir.join("../Cargo.toml")).unwrap_or_default();
        for ex in REGISTRY {
            assert!(
                dir.join(format!("{}.rs", ex.id())).is_file()
                    && manifest.contains(&format!("name = \"{}\"", ex.id())),
                "no fuzz target for {}: run scripts/gen-fuzz-targets.py (see its header)",
                ex.id()
            );
        }
    }

    #[test]
    fn ids_are_unique_sorted_kebab_case() {
        let ids: Vec<&str> = REGISTRY.iter().map(|e| e.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "REGISTRY must be sorted by id, ids unique");
        for id in ids {
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id} is not kebab-case"
            );
        }
    }
}
