//! Package ecosystems, named as the OSV schema names them, with their Package URL type.

use serde::{Deserialize, Serialize};

/// A package ecosystem. The serialised name is the OSV ecosystem name, so an inventory can be
/// matched against OSV advisories without a translation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ecosystem {
    #[serde(rename = "crates.io")]
    CratesIo,
    #[serde(rename = "npm")]
    Npm,
    #[serde(rename = "PyPI")]
    PyPI,
    #[serde(rename = "Go")]
    Go,
    #[serde(rename = "Maven")]
    Maven,
    #[serde(rename = "NuGet")]
    NuGet,
    #[serde(rename = "RubyGems")]
    RubyGems,
    #[serde(rename = "Packagist")]
    Packagist,
    #[serde(rename = "Hex")]
    Hex,
    #[serde(rename = "Pub")]
    Pub,
    #[serde(rename = "SwiftURL")]
    SwiftURL,
    #[serde(rename = "CocoaPods")]
    CocoaPods,
    #[serde(rename = "ConanCenter")]
    ConanCenter,
    #[serde(rename = "GitHub Actions")]
    GitHubActions,
    /// Anything else (an SBOM component of an unknown purl type, a plain URL dependency).
    #[serde(rename = "generic")]
    Generic,
}

impl Ecosystem {
    /// Every ecosystem, in a stable order.
    pub const ALL: &'static [Ecosystem] = &[
        Ecosystem::CratesIo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::Maven,
        Ecosystem::NuGet,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::Hex,
        Ecosystem::Pub,
        Ecosystem::SwiftURL,
        Ecosystem::CocoaPods,
        Ecosystem::ConanCenter,
        Ecosystem::GitHubActions,
        Ecosystem::Generic,
    ];

    /// The OSV ecosystem name (`crates.io`, `PyPI`, …).
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::Maven => "Maven",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Hex => "Hex",
            Ecosystem::Pub => "Pub",
            Ecosystem::SwiftURL => "SwiftURL",
            Ecosystem::CocoaPods => "CocoaPods",
            Ecosystem::ConanCenter => "ConanCenter",
            Ecosystem::GitHubActions => "GitHub Actions",
            Ecosystem::Generic => "generic",
        }
    }

    /// The Package URL type of this ecosystem.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::NuGet => "nuget",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::Hex => "hex",
            Ecosystem::Pub => "pub",
            Ecosystem::SwiftURL => "swift",
            Ecosystem::CocoaPods => "cocoapods",
            Ecosystem::ConanCenter => "conan",
            Ecosystem::GitHubActions => "githubactions",
            Ecosystem::Generic => "generic",
        }
    }

    /// The ecosystem of a Package URL type, if ospo knows it.
    pub fn from_purl_type(ty: &str) -> Option<Ecosystem> {
        Ecosystem::ALL.iter().copied().find(|e| e.purl_type() == ty)
    }

    /// The ecosystem of an OSV ecosystem name; a `:suffix` (`Debian:12`, `Packagist:https://…`) is
    /// ignored.
    pub fn from_osv_name(name: &str) -> Option<Ecosystem> {
        let base = name.split_once(':').map_or(name, |(b, _)| b);
        Ecosystem::ALL
            .iter()
            .copied()
            .find(|e| e.osv_name() == base)
    }
}

impl std::fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.osv_name())
    }
}

/// A Python package name as PEP 503 compares names: lower case, every run of `-`, `_` and `.`
/// one `-` (separators at either end dropped). Lockfiles, installed metadata and the OSV index
/// all key PyPI names by it.
pub fn pep503_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &e in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv_name(e.osv_name()), Some(e));
            assert_eq!(Ecosystem::from_purl_type(e.purl_type()), Some(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.osv_name()));
        }
        assert_eq!(
            Ecosystem::from_osv_name("Packagist:https://packages.drupal.org/8"),
            Some(Ecosystem::Packagist)
        );
    }
}
