//! Go versions: module versions (`golang.org/x/mod/semver`) and Go toolchain versions (`go/version`).
//!
//! Module versions are SemVer 2.0 with a `v`: `v1.2.3`, pre-releases, pseudo-versions
//! (`v0.0.0-20210101000000-abcdef123456`, `v1.2.4-0.20210101000000-abcdef123456`, ordinary
//! pre-releases in SemVer terms), and `+incompatible` (build metadata, ignored). As x/mod/semver
//! does, `v1` and `v1.2` stand for `v1.0.0` and `v1.2.0`. OSV's Go records write the same
//! versions without the `v`, so the `v` is optional here.
//!
//! Toolchain versions (the `stdlib` and `toolchain` pseudo-modules) are read the way the Go
//! vulnerability database writes them: `go1.21.3` and `1.21.3` are `1.21.3`; `go1.21rc2` and
//! `1.21rc2` are `1.21.0-rc.2`; a Go 1.21+ language version `go1.21` is `1.21.0-0`, below its
//! release candidates as `go/version` orders it, while `go1.20` is the release `1.20.0`.
//! References: `golang.org/x/mod/semver.Compare` and `go/version.Compare`.

use std::cmp::Ordering;

use crate::Num;
use crate::semver::{Ident, check_idents, cmp_pre};

/// A Go module or toolchain version, as SemVer without build metadata.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GoVersion {
    pub(crate) major: Num,
    pub(crate) minor: Num,
    pub(crate) patch: Num,
    pub(crate) pre: Vec<Ident>,
}

impl GoVersion {
    pub fn parse(s: &str) -> Result<GoVersion, String> {
        if let Some(rest) = s.strip_prefix("go") {
            return parse_toolchain(rest).ok_or_else(|| "not a Go toolchain version".to_owned());
        }
        let t = s.strip_prefix('v').unwrap_or(s);
        match parse_semver(t) {
            Ok(v) => Ok(v),
            Err(e) => parse_toolchain(t).ok_or(e),
        }
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }
}

/// x/mod/semver's grammar, without the `v`.
fn parse_semver(t: &str) -> Result<GoVersion, String> {
    let (main, build) = match t.split_once('+') {
        Some((m, b)) => (m, Some(b)),
        None => (t, None),
    };
    let (core, pre) = match main.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (main, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3 {
        return Err("more than three numeric parts".to_owned());
    }
    if parts.len() < 3 && (pre.is_some() || build.is_some()) {
        return Err("a shorthand version (`v1`, `v1.2`) cannot have a pre-release or build".into());
    }
    let mut nums = Vec::with_capacity(3);
    for part in &parts {
        nums.push(number(part)?);
    }
    let mut ids = Vec::new();
    if let Some(p) = pre {
        check_idents(p, "pre-release")?;
        for id in p.split('.') {
            if id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("leading zero in pre-release identifier `{id}`"));
            }
            ids.push(Ident::new(id));
        }
    }
    if let Some(b) = build {
        check_idents(b, "build")?;
    }
    let mut it = nums.into_iter();
    Ok(GoVersion {
        major: it.next().unwrap_or_else(|| Num::new("0")),
        minor: it.next().unwrap_or_else(|| Num::new("0")),
        patch: it.next().unwrap_or_else(|| Num::new("0")),
        pre: ids,
    })
}

fn number(s: &str) -> Result<Num, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{s}` is not a number"));
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(format!("leading zero in `{s}`"));
    }
    Ok(Num::new(s))
}

/// `1`, `1.21`, `1.21.3`, `1.21rc2`, `1.19beta1`, `1.21alpha1` (the text after `go`).
fn parse_toolchain(t: &str) -> Option<GoVersion> {
    let digits = |s: &str| -> Option<(Num, usize)> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        let d = s.get(..n)?;
        (n > 0 && !(n > 1 && d.starts_with('0'))).then(|| (Num::new(d), n))
    };
    let (major, n) = digits(t)?;
    let mut rest = &t[n..];
    let mut minor = None;
    let mut patch = None;
    if let Some(r) = rest.strip_prefix('.') {
        let (m, n) = digits(r)?;
        minor = Some(m);
        rest = &r[n..];
        if let Some(r) = rest.strip_prefix('.') {
            let (p, n) = digits(r)?;
            patch = Some(p);
            rest = &r[n..];
        }
    }
    let mut pre = Vec::new();
    if !rest.is_empty() {
        // A pre-release follows a minor version only: go1.21rc2, never go1.21.1rc1.
        if minor.is_none() || patch.is_some() {
            return None;
        }
        let kind = ["alpha", "beta", "rc"]
            .into_iter()
            .find(|k| rest.starts_with(k))?;
        let num = &rest[kind.len()..];
        pre.push(Ident::Alpha(kind.into()));
        if !num.is_empty() {
            let (n, len) = digits(num)?;
            if len != num.len() {
                return None;
            }
            pre.push(Ident::Num(n));
        }
    }
    let minor_v = minor.clone().unwrap_or_else(|| Num::new("0"));
    // Since Go 1.21 a bare `go1.N` is a language version, below go1.N's release candidates;
    // go/version applies the rule to any major version with a minor of 21 or more.
    let is_language =
        patch.is_none() && pre.is_empty() && minor.is_some() && minor_v >= Num::new("21");
    if is_language {
        pre.push(Ident::Num(Num::new("0")));
    }
    Some(GoVersion {
        major,
        minor: minor_v,
        patch: patch.unwrap_or_else(|| Num::new("0")),
        pre,
    })
}

impl Ord for GoVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.major
            .cmp(&other.major)
            .then_with(|| self.minor.cmp(&other.minor))
            .then_with(|| self.patch.cmp(&other.patch))
            .then_with(|| cmp_pre(&self.pre, &other.pre))
    }
}
impl PartialOrd for GoVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> GoVersion {
        GoVersion::parse(s).unwrap()
    }

    #[test]
    fn module_versions() {
        assert_eq!(p("v1.2.3"), p("1.2.3"));
        assert_eq!(p("v2.0.0+incompatible"), p("2.0.0"));
        assert_eq!(p("v1"), p("v1.0.0"));
        assert_eq!(p("v1.2"), p("v1.2.0"));
        assert!(p("v0.0.0-20210101000000-abcdef123456") < p("v0.0.1"));
        assert!(p("v1.2.4-0.20210101000000-abcdef123456") > p("v1.2.3"));
        assert!(p("v1.2.4-0.20210101000000-abcdef123456") < p("v1.2.4-pre"));
        for bad in [
            "v1.2.3.4",
            "v01.2.3",
            "v1.2.3-01",
            "v1.2-pre",
            "vx",
            "",
            "v1.2.3-",
            "v1.2.3+",
        ] {
            assert!(GoVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn toolchain_versions() {
        assert_eq!(p("go1.21.3"), p("1.21.3"));
        assert_eq!(p("go1.21rc2"), p("1.21.0-rc.2"));
        assert_eq!(p("1.21rc2"), p("1.21.0-rc.2"));
        assert_eq!(p("go1.19beta1"), p("1.19.0-beta.1"));
        assert_eq!(p("go1.20"), p("1.20.0"));
        assert_eq!(p("go1"), p("1.0.0"));
        assert!(p("go1.21") < p("go1.21rc1"));
        assert!(p("go1.21rc1") < p("go1.21.0"));
        assert_eq!(p("go1.21"), p("1.21.0-0"));
        assert!(GoVersion::parse("go1.21.1rc1").is_err());
        assert!(GoVersion::parse("go1.02").is_err());
        assert!(GoVersion::parse("gox").is_err());
    }
}
