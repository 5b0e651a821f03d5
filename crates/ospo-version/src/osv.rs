//! OSV range evaluation: is a version inside an advisory's `affected[].ranges` / `versions`?
//!
//! Follows the OSV schema's algorithm. Per range, the events are sorted by version (`introduced:
//! "0"` first; at one version, `introduced` before the others); walking them in order, an
//! `introduced` at or below the version turns "affected" on, a `fixed` at or below it (exclusive
//! bound) and a `last_affected` below it (inclusive bound) turn it off. `limit` events cap the
//! range: the version must be below one of them (`*` is no limit). An explicit `versions` list
//! match is affected.
//!
//! Never a silent miss or a false alarm: a `GIT` range (commit hashes) cannot be compared with a
//! version, so it makes the answer [`Verdict::Undecidable`] unless the `versions` list (which
//! OSV databases fill from the same commits) is present, or another range already says affected;
//! an event that does not parse as a version of the scheme makes its range undecidable, and so
//! does a version that does not parse (or a Composer `dev-` branch).
//!
//! `SEMVER` ranges are compared with SemVer precedence. The npm and Go schemes are SemVer
//! supersets and keep their own parsing; for any other ecosystem the version is re-read as
//! SemVer.
//!
//! For many components against many records, parse each record once ([`ParsedAffected::new`])
//! and each component version once ([`Scheme::parse`]), then call [`ParsedAffected::evaluate`].

use std::cmp::Ordering;
use std::collections::HashSet;

use crate::{Scheme, Version};

/// The type of an OSV range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RangeKind {
    Semver,
    Ecosystem,
    Git,
}

impl RangeKind {
    /// `SEMVER`, `ECOSYSTEM`, `GIT` (as OSV writes them); anything else is `None`.
    pub fn from_osv(s: &str) -> Option<RangeKind> {
        match s {
            "SEMVER" => Some(RangeKind::Semver),
            "ECOSYSTEM" => Some(RangeKind::Ecosystem),
            "GIT" => Some(RangeKind::Git),
            _ => None,
        }
    }
}

/// One OSV range event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl Event {
    fn text(&self) -> &str {
        match self {
            Event::Introduced(s) | Event::Fixed(s) | Event::LastAffected(s) | Event::Limit(s) => s,
        }
    }
    fn name(&self) -> &'static str {
        match self {
            Event::Introduced(_) => "introduced",
            Event::Fixed(_) => "fixed",
            Event::LastAffected(_) => "last_affected",
            Event::Limit(_) => "limit",
        }
    }
}

/// One OSV range.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Range {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

/// The answer for one version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Affected,
    NotAffected,
    /// The record cannot say (a GIT range, an event or a version that does not parse); the
    /// reason says which.
    Undecidable(String),
}

/// The scheme a range's events are read with.
fn range_scheme(scheme: Scheme, kind: RangeKind) -> Scheme {
    match (kind, scheme) {
        (RangeKind::Semver, Scheme::SemVer | Scheme::Npm | Scheme::Go) => scheme,
        (RangeKind::Semver, _) => Scheme::SemVer,
        _ => scheme,
    }
}

#[derive(Clone, Debug)]
enum Bound {
    /// `None`: `introduced: "0"`, below everything.
    Introduced(Option<Version>),
    Fixed(Version),
    LastAffected(Version),
}

impl Bound {
    fn version(&self) -> Option<&Version> {
        match self {
            Bound::Introduced(v) => v.as_ref(),
            Bound::Fixed(v) | Bound::LastAffected(v) => Some(v),
        }
    }
    fn rank(&self) -> u8 {
        match self {
            Bound::Introduced(_) => 0,
            Bound::Fixed(_) | Bound::LastAffected(_) => 1,
        }
    }
}

/// A range with its events parsed and sorted once.
#[derive(Clone, Debug)]
pub struct ParsedRange {
    scheme: Scheme,
    kind: RangeKind,
    /// The sorted bounds and limits, or why the range cannot be evaluated.
    parsed: Result<(Vec<Bound>, Vec<Version>), String>,
}

impl ParsedRange {
    /// Parses a range's events with the scheme of the record's ecosystem.
    pub fn new(scheme: Scheme, range: &Range) -> ParsedRange {
        let scheme = range_scheme(scheme, range.kind);
        if range.kind == RangeKind::Git {
            return ParsedRange {
                scheme,
                kind: range.kind,
                parsed: Err("a GIT range names commits, which cannot be compared with a version and no `versions` list settles it".to_owned()),
            };
        }
        let parse = || -> Result<(Vec<Bound>, Vec<Version>), String> {
            let mut bounds = Vec::with_capacity(range.events.len());
            let mut limits = Vec::new();
            for e in &range.events {
                let text = e.text();
                let parse = |t: &str| {
                    scheme.parse(t).map_err(|err| {
                        format!("the record's `{}: {t}` cannot be read: {err}", e.name())
                    })
                };
                match e {
                    Event::Introduced(_) if text == "0" => bounds.push(Bound::Introduced(None)),
                    Event::Introduced(_) => bounds.push(Bound::Introduced(Some(parse(text)?))),
                    Event::Fixed(_) => bounds.push(Bound::Fixed(parse(text)?)),
                    Event::LastAffected(_) => bounds.push(Bound::LastAffected(parse(text)?)),
                    Event::Limit(_) if text == "*" => {}
                    Event::Limit(_) => limits.push(parse(text)?),
                }
            }
            if !bounds.iter().any(|b| matches!(b, Bound::Introduced(_))) {
                return Err("the range has no `introduced` event".to_owned());
            }
            crate::sort_by(&mut bounds, |a, b| match (a.version(), b.version()) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(x), Some(y)) => x.cmp(y).then_with(|| a.rank().cmp(&b.rank())),
            });
            Ok((bounds, limits))
        };
        ParsedRange {
            scheme,
            kind: range.kind,
            parsed: parse(),
        }
    }

    /// The range's type.
    pub fn kind(&self) -> RangeKind {
        self.kind
    }

    /// Whether the version (already parsed with this range's scheme) is in the range.
    fn contains_parsed(&self, v: &Version) -> Verdict {
        let (bounds, limits) = match &self.parsed {
            Ok(p) => p,
            Err(reason) => return Verdict::Undecidable(reason.clone()),
        };
        if !limits.is_empty() && !limits.iter().any(|l| v < l) {
            return Verdict::NotAffected;
        }
        let mut affected = false;
        for b in bounds {
            match b {
                Bound::Introduced(None) => affected = true,
                Bound::Introduced(Some(i)) if v >= i => affected = true,
                Bound::Fixed(f) if v >= f => affected = false,
                Bound::LastAffected(l) if v > l => affected = false,
                _ => {}
            }
        }
        if affected {
            Verdict::Affected
        } else {
            Verdict::NotAffected
        }
    }

    /// Whether the version is in the range; it is re-read when the range uses another scheme
    /// (SEMVER ranges of a non-SemVer ecosystem).
    pub fn contains(&self, v: &Version) -> Verdict {
        if let Some(reason) = undecidable_version(v) {
            return Verdict::Undecidable(reason);
        }
        if v.scheme() == self.scheme {
            return self.contains_parsed(v);
        }
        match self.scheme.parse(v.as_str()) {
            Ok(other) => self.contains_parsed(&other),
            Err(e) => Verdict::Undecidable(format!(
                "a {} range cannot be applied: {e}",
                if self.kind == RangeKind::Semver {
                    "SEMVER"
                } else {
                    "version"
                }
            )),
        }
    }

    /// The range's `fixed` versions.
    fn fixed(&self) -> impl Iterator<Item = &Version> {
        self.parsed
            .as_ref()
            .ok()
            .into_iter()
            .flat_map(|(b, _)| b.iter())
            .filter_map(|b| match b {
                Bound::Fixed(f) => Some(f),
                _ => None,
            })
    }
}

fn undecidable_version(v: &Version) -> Option<String> {
    match v.key_packagist() {
        Some(c) if c.is_branch() => Some(format!(
            "`{v}` is a development branch, which no version range can place"
        )),
        _ => None,
    }
}

/// One `affected[]` entry (ranges and versions list) parsed once for repeated evaluation.
#[derive(Clone, Debug)]
pub struct ParsedAffected {
    scheme: Scheme,
    ranges: Vec<ParsedRange>,
    /// The explicit versions, as written and (where they parse) as versions.
    versions_text: Vec<String>,
    versions: HashSet<Version>,
}

impl ParsedAffected {
    pub fn new(scheme: Scheme, ranges: &[Range], versions: &[String]) -> ParsedAffected {
        let mut versions_text = versions.to_vec();
        versions_text.sort();
        versions_text.dedup();
        let parsed: HashSet<Version> = versions
            .iter()
            .filter_map(|v| scheme.parse(v).ok())
            .collect();
        ParsedAffected {
            scheme,
            ranges: ranges.iter().map(|r| ParsedRange::new(scheme, r)).collect(),
            versions_text,
            versions: parsed,
        }
    }

    /// The scheme the record is read with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Is the version affected? `version` should be parsed with [`ParsedAffected::scheme`].
    pub fn evaluate(&self, version: &Version) -> Verdict {
        if self
            .versions_text
            .binary_search_by(|t| t.as_str().cmp(version.as_str()))
            .is_ok()
            || (version.scheme() == self.scheme && self.versions.contains(version))
        {
            return Verdict::Affected;
        }
        let settled_by_list = !self.versions_text.is_empty();
        let mut undecidable: Option<String> = None;
        for r in &self.ranges {
            if r.kind == RangeKind::Git && settled_by_list {
                continue;
            }
            match r.contains(version) {
                Verdict::Affected => return Verdict::Affected,
                Verdict::NotAffected => {}
                Verdict::Undecidable(reason) => {
                    undecidable.get_or_insert(reason);
                }
            }
        }
        match undecidable {
            Some(reason) => Verdict::Undecidable(reason),
            None => Verdict::NotAffected,
        }
    }

    /// The `fixed` versions above `version` that are not themselves affected, smallest first:
    /// the first is the smallest upgrade that fixes it. Empty when the version is not affected
    /// or no fix is known.
    pub fn fixes(&self, version: &Version) -> Vec<&Version> {
        if self.evaluate(version) != Verdict::Affected {
            return Vec::new();
        }
        let mut out: Vec<&Version> = self
            .ranges
            .iter()
            .flat_map(ParsedRange::fixed)
            .filter(|f| {
                let above = if f.scheme() == version.scheme() {
                    *f > version
                } else {
                    f.scheme().parse(version.as_str()).is_ok_and(|v| **f > v)
                };
                above && self.evaluate(f) == Verdict::NotAffected
            })
            .collect();
        crate::sort_by(&mut out, |a, b| a.cmp(b));
        out.dedup_by(|a, b| a == b);
        out
    }
}

/// Is `version` affected by a record's ranges and explicit versions? See the module docs.
pub fn evaluate(scheme: Scheme, version: &str, ranges: &[Range], versions: &[String]) -> Verdict {
    let affected = ParsedAffected::new(scheme, ranges, versions);
    if versions.iter().any(|v| v == version) {
        return Verdict::Affected;
    }
    match scheme.parse(version) {
        Ok(v) => affected.evaluate(&v),
        Err(e) => Verdict::Undecidable(e.to_string()),
    }
}

/// Pre-parsed evaluation: the same as [`evaluate`] with the record parsed once.
pub fn evaluate_parsed(version: &Version, affected: &ParsedAffected) -> Verdict {
    affected.evaluate(version)
}

/// The fixed versions that apply to `version`, sorted ascending: the first is the smallest
/// upgrade that fixes it. Empty when it is not affected or no fix is known.
pub fn fixes(scheme: Scheme, version: &str, ranges: &[Range]) -> Vec<String> {
    let affected = ParsedAffected::new(scheme, ranges, &[]);
    match scheme.parse(version) {
        Ok(v) => affected
            .fixes(&v)
            .into_iter()
            .map(|f| f.as_str().to_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(kind: RangeKind, events: &[(&str, &str)]) -> Range {
        Range {
            kind,
            events: events
                .iter()
                .map(|(k, v)| {
                    let v = (*v).to_owned();
                    match *k {
                        "introduced" => Event::Introduced(v),
                        "fixed" => Event::Fixed(v),
                        "last_affected" => Event::LastAffected(v),
                        _ => Event::Limit(v),
                    }
                })
                .collect(),
        }
    }

    fn eco(events: &[(&str, &str)]) -> Range {
        range(RangeKind::Ecosystem, events)
    }

    #[test]
    fn introduced_fixed_are_inclusive_exclusive() {
        let r = [eco(&[("introduced", "1.0.0"), ("fixed", "1.2.0")])];
        let e = |v| evaluate(Scheme::Npm, v, &r, &[]);
        assert_eq!(e("0.9.9"), Verdict::NotAffected);
        assert_eq!(e("1.0.0"), Verdict::Affected);
        assert_eq!(e("1.1.9"), Verdict::Affected);
        assert_eq!(e("1.2.0-rc.1"), Verdict::Affected);
        assert_eq!(e("1.2.0"), Verdict::NotAffected);
    }

    #[test]
    fn zero_last_affected_and_limit() {
        let r = [eco(&[("introduced", "0"), ("last_affected", "2.0")])];
        assert_eq!(
            evaluate(Scheme::PyPI, "2.0.0", &r, &[]),
            Verdict::Affected,
            "PEP 440: 2.0.0 == 2.0"
        );
        assert_eq!(
            evaluate(Scheme::PyPI, "2.0.post1", &r, &[]),
            Verdict::NotAffected
        );
        let r = [eco(&[("introduced", "0"), ("limit", "1.5")])];
        assert_eq!(evaluate(Scheme::PyPI, "1.4", &r, &[]), Verdict::Affected);
        assert_eq!(evaluate(Scheme::PyPI, "1.5", &r, &[]), Verdict::NotAffected);
    }

    #[test]
    fn several_intervals_and_unsorted_events() {
        let r = [eco(&[
            ("fixed", "2.5"),
            ("introduced", "2.0"),
            ("fixed", "1.5"),
            ("introduced", "1.0"),
        ])];
        let e = |v| evaluate(Scheme::Maven, v, &r, &[]);
        assert_eq!(e("1.2"), Verdict::Affected);
        assert_eq!(e("1.7"), Verdict::NotAffected);
        assert_eq!(e("2.0-SNAPSHOT"), Verdict::NotAffected);
        assert_eq!(e("2.0"), Verdict::Affected);
        assert_eq!(e("2.5.0"), Verdict::NotAffected);
        assert_eq!(fixes(Scheme::Maven, "1.2", &r), ["1.5", "2.5"]);
        assert_eq!(fixes(Scheme::Maven, "2.1", &r), ["2.5"]);
        assert!(fixes(Scheme::Maven, "1.7", &r).is_empty());
    }

    #[test]
    fn an_empty_range_affects_nothing() {
        let r = [eco(&[("introduced", "1.0"), ("fixed", "1.0")])];
        assert_eq!(
            evaluate(Scheme::RubyGems, "1.0", &r, &[]),
            Verdict::NotAffected
        );
    }

    #[test]
    fn smallest_upgrade_skips_a_fix_another_range_affects() {
        let r = [
            eco(&[("introduced", "1.0"), ("fixed", "1.5")]),
            eco(&[("introduced", "1.4"), ("fixed", "1.8")]),
        ];
        assert_eq!(fixes(Scheme::PyPI, "1.2", &r), ["1.8"]);
    }

    #[test]
    fn git_ranges_need_the_versions_list() {
        let git = range(RangeKind::Git, &[("introduced", "0"), ("fixed", "abc123")]);
        let r = [git.clone()];
        assert!(matches!(
            evaluate(Scheme::PyPI, "1.0", &r, &[]),
            Verdict::Undecidable(_)
        ));
        let listed = ["1.0".to_owned(), "1.1".to_owned()];
        assert_eq!(
            evaluate(Scheme::PyPI, "1.1", &r, &listed),
            Verdict::Affected
        );
        assert_eq!(
            evaluate(Scheme::PyPI, "1.1.0", &r, &listed),
            Verdict::Affected
        );
        assert_eq!(
            evaluate(Scheme::PyPI, "1.2", &r, &listed),
            Verdict::NotAffected
        );
        // Another range saying "affected" settles it too.
        let both = [git, eco(&[("introduced", "0"), ("fixed", "2.0")])];
        assert_eq!(evaluate(Scheme::PyPI, "1.5", &both, &[]), Verdict::Affected);
        assert!(matches!(
            evaluate(Scheme::PyPI, "2.5", &both, &[]),
            Verdict::Undecidable(_)
        ));
    }

    #[test]
    fn unreadable_events_and_versions_are_undecidable() {
        let r = [eco(&[("introduced", "0"), ("fixed", "not a version!")])];
        match evaluate(Scheme::SemVer, "1.0.0", &r, &[]) {
            Verdict::Undecidable(reason) => {
                assert!(reason.contains("fixed: not a version!"), "{reason}")
            }
            v => panic!("{v:?}"),
        }
        let r = [eco(&[("introduced", "0"), ("fixed", "1.0.0")])];
        assert!(matches!(
            evaluate(Scheme::SemVer, "garbage", &r, &[]),
            Verdict::Undecidable(_)
        ));
        assert!(matches!(
            evaluate(Scheme::Packagist, "dev-master", &r, &[]),
            Verdict::Undecidable(_)
        ));
    }

    #[test]
    fn go_semver_ranges_keep_go_versions() {
        let r = [range(
            RangeKind::Semver,
            &[("introduced", "0"), ("fixed", "1.21.3")],
        )];
        assert_eq!(
            evaluate(Scheme::Go, "go1.21rc2", &r, &[]),
            Verdict::Affected
        );
        assert_eq!(
            evaluate(Scheme::Go, "v1.21.3", &r, &[]),
            Verdict::NotAffected
        );
        let r = [range(
            RangeKind::Semver,
            &[
                ("introduced", "0"),
                ("fixed", "0.0.0-20210101000000-abcdef123456"),
            ],
        )];
        assert_eq!(
            evaluate(Scheme::Go, "v0.0.0-20200101000000-abcdef123456", &r, &[]),
            Verdict::Affected
        );
        let r = [range(
            RangeKind::Semver,
            &[
                ("introduced", "2.0.0+incompatible"),
                ("fixed", "2.3.0+incompatible"),
            ],
        )];
        assert_eq!(
            evaluate(Scheme::Go, "v2.1.0+incompatible", &r, &[]),
            Verdict::Affected
        );
    }

    #[test]
    fn semver_ranges_of_other_ecosystems_reread_the_version() {
        let r = [range(
            RangeKind::Semver,
            &[("introduced", "1.0.0"), ("fixed", "1.2.0")],
        )];
        assert_eq!(evaluate(Scheme::Maven, "1.1.0", &r, &[]), Verdict::Affected);
        assert!(matches!(
            evaluate(Scheme::Maven, "1.1", &r, &[]),
            Verdict::Undecidable(_)
        ));
    }
}
