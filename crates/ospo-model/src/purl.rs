//! Package URLs (<https://github.com/package-url/purl-spec>): parsing, per-type normalisation and
//! the canonical string form.
//!
//! Every component ospo reports is identified by its canonical purl, so the same package found by
//! two extractors (or read back from an SBOM) compares equal. Normalisation is applied in one place,
//! [`Purl::new`], never by the extractors.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Ecosystem;

/// Characters that are written as they are in a canonical purl: the unreserved set of RFC 3986
/// and `:`, which the purl specification says must not be encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

/// A subpath segment also keeps `+` (the spec's `#NSData+zlib`).
const ENCODE_SUBPATH: &AsciiSet = &ENCODE.remove(b'+');

/// A Package URL, normalised for its type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Purl {
    ty: String,
    namespace: Option<String>,
    name: String,
    version: Option<String>,
    qualifiers: BTreeMap<String, String>,
    subpath: Option<String>,
    /// The canonical string, rendered once when the parts are final: a purl is a component's
    /// key, compared, hashed and written many times per scan.
    canonical: String,
}

/// Why a string is not a valid Package URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    #[error("a package URL starts with `pkg:`")]
    MissingScheme,
    #[error("the package URL has no type")]
    MissingType,
    #[error("invalid package URL type `{0}`")]
    InvalidType(String),
    #[error("the package URL has no name")]
    MissingName,
    #[error("invalid qualifier key `{0}`")]
    InvalidQualifier(String),
    #[error("invalid percent-encoding in `{0}`")]
    InvalidEncoding(String),
    #[error("a `{0}` package URL needs a namespace")]
    MissingNamespace(String),
}

impl Purl {
    /// Builds a purl from its parts and applies the normalisation rules of its type.
    pub fn new(
        ty: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
    ) -> Result<Purl, PurlError> {
        Ok(Purl::unsealed(ty, namespace, name, version)?.sealed())
    }

    /// The parts, normalised; the canonical string is not rendered yet (see [`Purl::sealed`]).
    fn unsealed(
        ty: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
    ) -> Result<Purl, PurlError> {
        let ty = ty.to_ascii_lowercase();
        validate_type(&ty)?;
        let namespace = namespace
            .map(|ns| {
                ns.split('/')
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .filter(|ns| !ns.is_empty());
        let name = name.trim_matches('/');
        if name.is_empty() {
            return Err(PurlError::MissingName);
        }
        let mut purl = Purl {
            ty,
            namespace,
            name: name.to_owned(),
            version: version.filter(|v| !v.is_empty()).map(str::to_owned),
            qualifiers: BTreeMap::new(),
            subpath: None,
            canonical: String::new(),
        };
        purl.normalise()?;
        Ok(purl)
    }

    /// Renders the canonical string: called last by everything that builds or changes a purl.
    fn sealed(mut self) -> Purl {
        self.canonical = self.render();
        self
    }

    /// The canonical string (what `Display` writes).
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    /// The purl of a package named as its ecosystem names it (`@babel/core`,
    /// `org.slf4j:slf4j-api`, `github.com/pkg/errors`, `symfony/console`), so that extractors
    /// never split names themselves.
    pub fn for_package(
        ecosystem: Ecosystem,
        name: &str,
        version: Option<&str>,
    ) -> Result<Purl, PurlError> {
        let ty = ecosystem.purl_type();
        let (namespace, name, subpath) = match ecosystem {
            Ecosystem::Npm => match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
                Some((scope, rest)) => (Some(format!("@{scope}")), rest.to_owned(), None),
                None => (None, name.to_owned(), None),
            },
            Ecosystem::Maven => match name.split_once(':') {
                Some((group, artifact)) => (Some(group.to_owned()), artifact.to_owned(), None),
                None => (None, name.to_owned(), None),
            },
            Ecosystem::Go
            | Ecosystem::Packagist
            | Ecosystem::SwiftURL
            | Ecosystem::GitHubActions
            | Ecosystem::Generic => match name.rsplit_once('/') {
                Some((ns, n)) => (Some(ns.to_owned()), n.to_owned(), None),
                None => (None, name.to_owned(), None),
            },
            Ecosystem::CocoaPods => match name.split_once('/') {
                Some((pod, sub)) => (None, pod.to_owned(), Some(sub.to_owned())),
                None => (None, name.to_owned(), None),
            },
            _ => (None, name.to_owned(), None),
        };
        let mut purl = Purl::unsealed(ty, namespace.as_deref(), &name, version)?;
        purl.subpath = subpath.and_then(|s| clean_subpath(&s));
        Ok(purl.sealed())
    }

    /// Adds a qualifier (an empty value removes it).
    pub fn with_qualifier(mut self, key: &str, value: &str) -> Result<Purl, PurlError> {
        self.set_qualifier(key, value)?;
        Ok(self.sealed())
    }

    fn set_qualifier(&mut self, key: &str, value: &str) -> Result<(), PurlError> {
        let key = key.to_ascii_lowercase();
        if !valid_qualifier_key(&key) {
            return Err(PurlError::InvalidQualifier(key));
        }
        if value.is_empty() {
            self.qualifiers.remove(&key);
        } else {
            self.qualifiers.insert(key, value.to_owned());
        }
        Ok(())
    }

    /// Sets the subpath.
    pub fn with_subpath(mut self, subpath: &str) -> Purl {
        self.subpath = clean_subpath(subpath);
        self.sealed()
    }

    pub fn ty(&self) -> &str {
        &self.ty
    }
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    pub fn qualifiers(&self) -> &BTreeMap<String, String> {
        &self.qualifiers
    }
    pub fn subpath(&self) -> Option<&str> {
        self.subpath.as_deref()
    }

    /// The ecosystem of this purl's type, if ospo knows it.
    pub fn ecosystem(&self) -> Option<Ecosystem> {
        Ecosystem::from_purl_type(&self.ty)
    }

    /// The package name as its ecosystem writes it: the inverse of [`Purl::for_package`].
    pub fn package_name(&self) -> String {
        let ns = self.namespace.as_deref();
        match (self.ecosystem(), ns) {
            (Some(Ecosystem::Maven), Some(ns)) => format!("{ns}:{}", self.name),
            (Some(Ecosystem::CocoaPods), _) => match &self.subpath {
                Some(sub) => format!("{}/{sub}", self.name),
                None => self.name.clone(),
            },
            (_, Some(ns)) => format!("{ns}/{}", self.name),
            (_, None) => self.name.clone(),
        }
    }

    /// Whether this purl, read as a package spec, covers `other`: the same type, namespace and
    /// name, and the same version when this one has a version (qualifiers and subpath aside).
    /// `pkg:npm/left-pad` covers every version of left-pad; `pkg:npm/left-pad@1.3.0` only that.
    pub fn covers(&self, other: &Purl) -> bool {
        self.ty() == other.ty()
            && self.namespace() == other.namespace()
            && self.name() == other.name()
            && (self.version().is_none() || self.version() == other.version())
    }

    /// The same purl without its version, qualifiers and subpath: the package, not a release.
    pub fn without_version(&self) -> Purl {
        Purl {
            ty: self.ty.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
            canonical: String::new(),
        }
        .sealed()
    }

    fn normalise(&mut self) -> Result<(), PurlError> {
        let lower_ns = |p: &mut Purl| p.namespace = p.namespace.as_ref().map(|n| n.to_lowercase());
        match self.ty.as_str() {
            "bitbucket" | "github" | "gitlab" | "composer" | "hex" => {
                lower_ns(self);
                self.name = self.name.to_lowercase();
            }
            "pypi" => {
                self.name = self.name.to_lowercase().replace('_', "-");
            }
            "pub" => {
                self.name = self.name.to_lowercase();
            }
            "huggingface" => {
                self.version = self.version.as_ref().map(|v| v.to_lowercase());
            }
            "maven" | "swift" if self.namespace.is_none() => {
                return Err(PurlError::MissingNamespace(self.ty.clone()));
            }
            _ => {}
        }
        Ok(())
    }
}

fn validate_type(ty: &str) -> Result<(), PurlError> {
    if ty.is_empty() {
        return Err(PurlError::MissingType);
    }
    let ok = ty.starts_with(|c: char| c.is_ascii_alphabetic())
        && ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
    if ok {
        Ok(())
    } else {
        Err(PurlError::InvalidType(ty.to_owned()))
    }
}

fn valid_qualifier_key(key: &str) -> bool {
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn clean_subpath(subpath: &str) -> Option<String> {
    let s = subpath
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect::<Vec<_>>()
        .join("/");
    (!s.is_empty()).then_some(s)
}

fn decode(s: &str) -> Result<String, PurlError> {
    // Reject a `%` that does not start a valid escape: silently keeping it would make two
    // spellings of one package compare unequal.
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err(PurlError::InvalidEncoding(s.to_owned()));
        }
    }
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| PurlError::InvalidEncoding(s.to_owned()))
}

impl FromStr for Purl {
    type Err = PurlError;

    fn from_str(s: &str) -> Result<Purl, PurlError> {
        let rest = s
            .strip_prefix("pkg:")
            .or_else(|| s.strip_prefix("PKG:"))
            .ok_or(PurlError::MissingScheme)?;
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.split_once('#') {
            Some((r, sp)) => (r, Some(sp)),
            None => (rest, None),
        };
        let (rest, qualifiers) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let rest = rest.trim_end_matches('/');
        let (ty, rest) = rest.split_once('/').ok_or(PurlError::MissingName)?;
        // The version is after the last `@` of the last segment (an npm scope also starts with `@`).
        let (path, version) = match rest.rsplit_once('@') {
            Some((p, v)) if !p.is_empty() && !p.ends_with('/') => (p, Some(decode(v)?)),
            _ => (rest, None),
        };
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, n)) => {
                let segs = ns
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(decode)
                    .collect::<Result<Vec<_>, _>>()?;
                (Some(segs.join("/")), decode(n)?)
            }
            None => (None, decode(path)?),
        };
        let mut purl = Purl::unsealed(ty, namespace.as_deref(), &name, version.as_deref())?;
        if let Some(q) = qualifiers {
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                purl.set_qualifier(k, &decode(v)?)?;
            }
        }
        if let Some(sp) = subpath {
            let segs = sp.split('/').map(decode).collect::<Result<Vec<_>, _>>()?;
            purl.subpath = clean_subpath(&segs.join("/"));
        }
        Ok(purl.sealed())
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

/// The canonical form, as the purl specification writes it.
struct Render<'a>(&'a Purl);

impl Purl {
    fn render(&self) -> String {
        Render(self).to_string()
    }
}

impl fmt::Display for Render<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.0;
        write!(f, "pkg:{}/", p.ty)?;
        if let Some(ns) = &p.namespace {
            for seg in ns.split('/') {
                write!(f, "{}/", utf8_percent_encode(seg, ENCODE))?;
            }
        }
        write!(f, "{}", utf8_percent_encode(&p.name, ENCODE))?;
        if let Some(v) = &p.version {
            write!(f, "@{}", utf8_percent_encode(v, ENCODE))?;
        }
        let mut sep = '?';
        for (k, v) in &p.qualifiers {
            // A qualifier value keeps `/` readable (repository URLs, vcs_url) as the spec's
            // examples do; everything else is encoded.
            write!(f, "{sep}{k}=")?;
            for (i, part) in v.split('/').enumerate() {
                if i > 0 {
                    f.write_str("/")?;
                }
                write!(f, "{}", utf8_percent_encode(part, ENCODE))?;
            }
            sep = '&';
        }
        if let Some(sp) = &p.subpath {
            f.write_str("#")?;
            for (i, seg) in sp.split('/').enumerate() {
                if i > 0 {
                    f.write_str("/")?;
                }
                write!(f, "{}", utf8_percent_encode(seg, ENCODE_SUBPATH))?;
            }
        }
        Ok(())
    }
}

impl Serialize for Purl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical)
    }
}

impl<'de> Deserialize<'de> for Purl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Purl, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canon(s: &str) -> String {
        s.parse::<Purl>().unwrap().to_string()
    }

    #[test]
    fn spec_examples_are_canonical() {
        for s in [
            "pkg:npm/%40angular/animation@12.3.1",
            "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&type=zip",
            "pkg:golang/google.golang.org/genproto#googleapis/api/annotations",
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
            "pkg:gem/ruby-advisory-db-check@0.12.4",
            "pkg:cargo/rand@0.7.2",
            "pkg:nuget/EnterpriseLibrary.Common@6.0.1304",
            "pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
            "pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib",
            "pkg:conan/openssl@3.0.3?channel=stable&user=bincrafters",
        ] {
            assert_eq!(canon(s), s, "{s}");
        }
    }

    #[test]
    fn per_type_normalisation() {
        assert_eq!(
            canon("pkg:PyPI/Django_Rest@1.0"),
            "pkg:pypi/django-rest@1.0"
        );
        assert_eq!(
            canon("pkg:GITHUB/Package-Url/Purl-Spec"),
            "pkg:github/package-url/purl-spec"
        );
        assert_eq!(
            canon("pkg:composer/Symfony/Console@1"),
            "pkg:composer/symfony/console@1"
        );
        assert_eq!(canon("pkg:hex/Phoenix@1.7.0"), "pkg:hex/phoenix@1.7.0");
        // npm and maven names are case-sensitive.
        assert_eq!(canon("pkg:npm/jQuery@1.0"), "pkg:npm/jQuery@1.0");
        assert_eq!(canon("pkg:maven/Org.A/B@1"), "pkg:maven/Org.A/B@1");
        // qualifier keys are lower-cased and sorted; empty values dropped; subpath cleaned.
        assert_eq!(
            canon("pkg:generic/x@1?B=2&a=1&c="),
            "pkg:generic/x@1?a=1&b=2"
        );
        assert_eq!(canon("pkg:generic/x#/a/./b/../c/"), "pkg:generic/x#a/b/c");
        // `+` in a version is encoded, `:` is not.
        assert_eq!(
            canon("pkg:cargo/x@1.0.0+build"),
            "pkg:cargo/x@1.0.0%2Bbuild"
        );
        assert_eq!(canon("pkg:deb/debian/a@1:2.3"), "pkg:deb/debian/a@1:2.3");
    }

    #[test]
    fn invalid_purls_are_errors() {
        assert_eq!("npm/a".parse::<Purl>(), Err(PurlError::MissingScheme));
        assert_eq!("pkg:npm".parse::<Purl>(), Err(PurlError::MissingName));
        assert!(matches!(
            "pkg:maven/a@1".parse::<Purl>(),
            Err(PurlError::MissingNamespace(_))
        ));
        assert!(matches!(
            "pkg:n%pm/a".parse::<Purl>(),
            Err(PurlError::InvalidType(_))
        ));
        assert!(matches!(
            "pkg:npm/a%zz".parse::<Purl>(),
            Err(PurlError::InvalidEncoding(_))
        ));
        assert!(matches!(
            "pkg:1x/a".parse::<Purl>(),
            Err(PurlError::InvalidType(_))
        ));
    }

    #[test]
    fn for_package_splits_native_names() {
        let cases = [
            (Ecosystem::Npm, "@babel/core", "pkg:npm/%40babel/core@7.0.0"),
            (Ecosystem::Npm, "lodash", "pkg:npm/lodash@7.0.0"),
            (
                Ecosystem::Maven,
                "org.slf4j:slf4j-api",
                "pkg:maven/org.slf4j/slf4j-api@7.0.0",
            ),
            (
                Ecosystem::Go,
                "github.com/pkg/errors",
                "pkg:golang/github.com/pkg/errors@7.0.0",
            ),
            (
                Ecosystem::Packagist,
                "symfony/console",
                "pkg:composer/symfony/console@7.0.0",
            ),
            (
                Ecosystem::PyPI,
                "Typing_Extensions",
                "pkg:pypi/typing-extensions@7.0.0",
            ),
            (
                Ecosystem::SwiftURL,
                "github.com/apple/swift-nio",
                "pkg:swift/github.com/apple/swift-nio@7.0.0",
            ),
            (
                Ecosystem::CocoaPods,
                "Firebase/Core",
                "pkg:cocoapods/Firebase@7.0.0#Core",
            ),
            (Ecosystem::RubyGems, "rails", "pkg:gem/rails@7.0.0"),
        ];
        for (eco, name, want) in cases {
            let p = Purl::for_package(eco, name, Some("7.0.0")).unwrap();
            assert_eq!(p.to_string(), want);
            assert_eq!(p.ecosystem(), Some(eco));
            if eco != Ecosystem::PyPI {
                assert_eq!(p.package_name(), name);
            }
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = s.parse::<Purl>();
            let _ = format!("pkg:{s}").parse::<Purl>();
        }

        #[test]
        fn display_parse_round_trip(
            ns in proptest::option::of("[a-zA-Z0-9@ %+._/-]{1,12}"),
            name in "[a-zA-Z0-9@ %+:._-]{1,12}",
            version in proptest::option::of("[a-zA-Z0-9 %+:._@-]{1,12}"),
        ) {
            if let Ok(p) = Purl::new("generic", ns.as_deref(), &name, version.as_deref()) {
                let again: Purl = p.to_string().parse().unwrap();
                prop_assert_eq!(&again, &p);
                prop_assert_eq!(again.to_string(), p.to_string());
            }
        }
    }
}
