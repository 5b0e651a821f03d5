//! SemVer 2.0 precedence: crates.io, Hex, Pub and OSV `SEMVER` ranges.
//!
//! Parsing is strict SemVer 2.0 (the `semver` crate: three numeric parts without leading zeros,
//! dot-separated pre-release identifiers, build metadata), except that one leading `v` is
//! tolerated, as OSV records and tags write it. Build metadata is ignored for precedence and
//! equality, as the specification says (`1.0.0+a` == `1.0.0+b`). Reference: node's `semver`
//! package in strict mode.

use std::cmp::Ordering;

use crate::Num;

/// A SemVer 2.0 version without its build metadata.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SemVer {
    pub(crate) major: u64,
    pub(crate) minor: u64,
    pub(crate) patch: u64,
    /// `Prerelease::EMPTY` sorts above any pre-release in the `semver` crate's order.
    pub(crate) pre: ::semver::Prerelease,
}

impl SemVer {
    /// Parses a strict SemVer 2.0 version; one leading `v` is tolerated.
    pub fn parse(s: &str) -> Result<SemVer, String> {
        let t = s.strip_prefix('v').unwrap_or(s);
        let v = ::semver::Version::parse(t).map_err(|e| e.to_string())?;
        Ok(SemVer::from_crate(&v))
    }

    pub(crate) fn from_crate(v: &::semver::Version) -> SemVer {
        SemVer {
            major: v.major,
            minor: v.minor,
            patch: v.patch,
            pre: v.pre.clone(),
        }
    }

    /// The same version as the `semver` crate's type (without build metadata).
    pub fn to_crate(&self) -> ::semver::Version {
        ::semver::Version {
            major: self.major,
            minor: self.minor,
            patch: self.patch,
            pre: self.pre.clone(),
            build: ::semver::BuildMetadata::EMPTY,
        }
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }
}

/// One dot-separated pre-release identifier, ordered by SemVer 2.0 rule 11: numeric identifiers
/// numerically and below alphanumeric ones, alphanumeric ones by ASCII order. Shared by the
/// schemes that write SemVer-like pre-releases (npm, Go, NuGet).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ident {
    Num(Num),
    Alpha(Box<str>),
}

impl Ident {
    /// Classifies an identifier: all digits is numeric (compared as an unbounded number).
    pub(crate) fn new(s: &str) -> Ident {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            Ident::Num(Num::new(s))
        } else {
            Ident::Alpha(s.into())
        }
    }
}

impl Ord for Ident {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Ident::Num(a), Ident::Num(b)) => a.cmp(b),
            (Ident::Num(_), Ident::Alpha(_)) => Ordering::Less,
            (Ident::Alpha(_), Ident::Num(_)) => Ordering::Greater,
            (Ident::Alpha(a), Ident::Alpha(b)) => a.as_bytes().cmp(b.as_bytes()),
        }
    }
}
impl PartialOrd for Ident {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares pre-release identifier lists: no pre-release sorts above any pre-release; otherwise
/// identifier by identifier, a longer list above its prefix.
pub(crate) fn cmp_pre(a: &[Ident], b: &[Ident]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.cmp(b),
    }
}

/// Checks a dot-separated identifier list: non-empty identifiers of `[0-9A-Za-z-]`.
pub(crate) fn check_idents(s: &str, what: &str) -> Result<(), String> {
    for id in s.split('.') {
        if id.is_empty() {
            return Err(format!("empty {what} identifier"));
        }
        if let Some(c) = id
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!(
                "invalid character `{c}` in {what} identifier `{id}`"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> SemVer {
        SemVer::parse(s).unwrap()
    }

    #[test]
    fn spec_precedence_example() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn build_metadata_is_ignored_and_v_tolerated() {
        assert_eq!(p("1.0.0+a"), p("1.0.0+b"));
        assert_eq!(p("v1.2.3"), p("1.2.3"));
        assert_eq!(p("1.0.0-rc.1+build.5"), p("1.0.0-rc.1"));
    }

    #[test]
    fn strictness() {
        for bad in [
            "1.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", "vv1.0.0", " 1.0.0", "1.0.0.0", "",
        ] {
            assert!(SemVer::parse(bad).is_err(), "{bad}");
        }
        assert!(SemVer::parse("0.0.0-0").is_ok());
    }

    #[test]
    fn idents_order_numeric_below_alpha() {
        assert!(Ident::new("999") < Ident::new("a"));
        assert!(Ident::new("10") > Ident::new("9"));
        assert!(Ident::new("B") < Ident::new("a"), "ASCII order");
        assert_eq!(cmp_pre(&[], &[Ident::new("a")]), Ordering::Greater);
    }
}
