//! PyPI versions: PEP 440 (epochs, pre/post/dev releases, local versions), and PEP 503 project
//! name normalisation.
//!
//! The ordering is `pep440_rs` (uv's), which pads releases with zeros (`1.0` == `1.0.0`), accepts
//! the spellings PEP 440 normalises (`1.0-ALPHA1`, `v1.0`, `1.0.post`, `1.0-1`), and orders local
//! versions above their public version. Reference: Python's `packaging.version.Version`.

/// A PEP 440 version.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PyPIVersion(pub(crate) pep440_rs::Version);

impl PyPIVersion {
    pub fn parse(s: &str) -> Result<PyPIVersion, String> {
        s.parse::<pep440_rs::Version>()
            .map(PyPIVersion)
            .map_err(|e| e.to_string())
    }

    /// The `pep440_rs` version, for specifiers.
    pub fn as_pep440(&self) -> &pep440_rs::Version {
        &self.0
    }

    /// A pre-release or development release (`1.0a1`, `1.0.dev3`).
    pub fn is_prerelease(&self) -> bool {
        self.0.any_prerelease()
    }
}

/// PEP 503 name normalisation: lower case, every run of `-`, `_` and `.` becomes one `-`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PyPIVersion {
        PyPIVersion::parse(s).unwrap()
    }

    #[test]
    fn pep440_order() {
        let chain = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
            "1!0.1",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn normalised_spellings_are_equal() {
        assert_eq!(p("1.0"), p("1.0.0"));
        assert_eq!(p("1.0-ALPHA1"), p("1.0a1"));
        assert_eq!(p("1.0c1"), p("1.0rc1"));
        assert_eq!(p("1.0-1"), p("1.0.post1"));
        assert_eq!(p("v1.0"), p("1.0"));
        assert_eq!(p("0!1.0"), p("1.0"));
        assert!(PyPIVersion::parse("1.0.x").is_err());
        assert!(PyPIVersion::parse("2013-08-12T21:48:56+0200").is_err());
    }

    #[test]
    fn pep503_names() {
        assert_eq!(normalize_name("Friendly-Bard"), "friendly-bard");
        assert_eq!(normalize_name("FRIENDLY._-BARD"), "friendly-bard");
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
        assert_eq!(normalize_name("ruamel.yaml.clib"), "ruamel-yaml-clib");
    }
}
