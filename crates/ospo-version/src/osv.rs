//! OSV range evaluation: is a version affected, given an advisory's ranges and version list?
//!
//! Follows the OSV schema's algorithm: per range, events are sorted by version (`introduced: "0"`
//! first); walking them, `introduced` (inclusive) turns "affected" on, `fixed` (exclusive) and
//! `last_affected` (inclusive) turn it off, and a version at or above every `limit` is outside.
//! An explicit `versions` list entry is affected. `GIT` ranges speak of commits, not versions:
//! they are undecidable unless the version list settles the question. A version that the
//! ecosystem's rules cannot read makes the range undecidable, with the reason: never a silent miss,
//! never a false alarm.

use std::cmp::Ordering;

use crate::{Scheme, Version};

/// The type of an OSV range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    /// Versions are SemVer 2.0 (Go's module versions, with or without `v`, are read by Go's rules).
    Semver,
    /// Versions follow the ecosystem's own rules.
    Ecosystem,
    /// Events are commits.
    Git,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl Event {
    fn text(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
    /// Among events at the same version, the order they apply in.
    fn rank(&self) -> u8 {
        match self {
            Event::Introduced(_) => 0,
            Event::LastAffected(_) => 1,
            Event::Fixed(_) => 2,
            Event::Limit(_) => 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

/// Whether a version is affected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Affected,
    NotAffected,
    /// Cannot be decided from the version (commit ranges, unreadable versions); says why.
    Undecidable(String),
}

/// A parsed event: `None` is `introduced: "0"`, below every version.
#[derive(Clone, Debug)]
enum Bound {
    Zero,
    At(Version),
}

#[derive(Clone, Debug)]
struct ParsedEvent {
    event: Event,
    bound: Bound,
}

/// A range with its versions parsed once, for matching many components against one record.
#[derive(Clone, Debug)]
pub struct ParsedRange {
    kind: RangeKind,
    scheme: Scheme,
    /// Sorted by version, then by [`Event::rank`].
    events: Vec<ParsedEvent>,
    /// Why the range cannot be evaluated (a commit range, an unreadable version).
    undecidable: Option<String>,
}

/// The scheme a range's versions are read with.
fn range_scheme(scheme: Scheme, kind: RangeKind) -> Scheme {
    match (kind, scheme) {
        // Go module versions are SemVer with a `v`; keep Go's reading (pseudo-versions,
        // +incompatible). Everything else in a SEMVER range is plain SemVer.
        (RangeKind::Semver, Scheme::Go) => Scheme::Go,
        (RangeKind::Semver, _) => Scheme::SemVer,
        _ => scheme,
    }
}

impl ParsedRange {
    pub fn parse(scheme: Scheme, range: &Range) -> ParsedRange {
        let scheme = range_scheme(scheme, range.kind);
        let mut parsed = ParsedRange {
            kind: range.kind,
            scheme,
            events: Vec::with_capacity(range.events.len()),
            undecidable: None,
        };
        if range.kind == RangeKind::Git {
            parsed.undecidable = Some("a GIT range names commits, not versions".into());
            return parsed;
        }
        for event in &range.events {
            let bound = match event {
                Event::Introduced(v) if v == "0" => Bound::Zero,
                _ => match scheme.parse(event.text()) {
                    Ok(v) => Bound::At(v),
                    Err(e) => {
                        parsed.undecidable =
                            Some(format!("the advisory's range is unreadable: {e}"));
                        return parsed;
                    }
                },
            };
            parsed.events.push(ParsedEvent {
                event: event.clone(),
                bound,
            });
        }
        parsed.events.sort_by(|a, b| {
            let by_version = match (&a.bound, &b.bound) {
                (Bound::Zero, Bound::Zero) => Ordering::Equal,
                (Bound::Zero, _) => Ordering::Less,
                (_, Bound::Zero) => Ordering::Greater,
                (Bound::At(x), Bound::At(y)) => x.cmp(y),
            };
            by_version.then(a.event.rank().cmp(&b.event.rank()))
        });
        parsed
    }

    /// Whether `version` (read with this range's scheme) is inside; `Err` says why not decidable.
    fn contains(&self, version: &str) -> Result<bool, String> {
        if let Some(why) = &self.undecidable {
            return Err(why.clone());
        }
        let v = self
            .scheme
            .parse(version)
            .map_err(|e| format!("the version in use is unreadable: {e}"))?;
        Ok(self.contains_parsed(&v))
    }

    fn contains_parsed(&self, v: &Version) -> bool {
        let mut affected = false;
        let mut limits = false;
        let mut below_a_limit = false;
        for e in &self.events {
            let at_or_above = match &e.bound {
                Bound::Zero => true,
                Bound::At(b) => v >= b,
            };
            match e.event {
                Event::Introduced(_) if at_or_above => affected = true,
                Event::Fixed(_) if at_or_above => affected = false,
                Event::LastAffected(_) => {
                    if let Bound::At(b) = &e.bound
                        && v > b
                    {
                        affected = false;
                    }
                }
                Event::Limit(_) => {
                    limits = true;
                    below_a_limit |= !at_or_above;
                }
                _ => {}
            }
        }
        affected && (!limits || below_a_limit)
    }
}

/// Whether `version` is affected by an advisory's ranges and explicit version list.
pub fn evaluate(scheme: Scheme, version: &str, ranges: &[Range], versions: &[String]) -> Verdict {
    let parsed: Vec<ParsedRange> = ranges
        .iter()
        .map(|r| ParsedRange::parse(scheme, r))
        .collect();
    evaluate_parsed(scheme, version, &parsed, versions)
}

/// [`evaluate`] over ranges parsed once with [`ParsedRange::parse`].
pub fn evaluate_parsed(
    scheme: Scheme,
    version: &str,
    ranges: &[ParsedRange],
    versions: &[String],
) -> Verdict {
    if listed(scheme, version, versions) {
        return Verdict::Affected;
    }
    let mut undecidable: Option<String> = None;
    for range in ranges {
        match range.contains(version) {
            Ok(true) => return Verdict::Affected,
            Ok(false) => {}
            // A version list settles commit ranges: the versions they cover are listed.
            Err(_) if range.kind == RangeKind::Git && !versions.is_empty() => {}
            Err(why) => {
                undecidable.get_or_insert(why);
            }
        }
    }
    match undecidable {
        Some(why) => Verdict::Undecidable(why),
        None => Verdict::NotAffected,
    }
}

/// Whether the version list names `version` (by the scheme's equality, so PyPI `1.0` is `1.0.0`).
fn listed(scheme: Scheme, version: &str, versions: &[String]) -> bool {
    if versions.iter().any(|v| v == version) {
        return true;
    }
    let Ok(v) = scheme.parse(version) else {
        return false;
    };
    versions
        .iter()
        .any(|l| scheme.parse(l).is_ok_and(|l| l == v))
}

/// The `fixed` versions above `version` that are themselves outside every range, ascending: the
/// first is the smallest upgrade that fixes the advisory. Empty when none is known.
pub fn fixes(scheme: Scheme, version: &str, ranges: &[Range]) -> Vec<String> {
    let parsed: Vec<ParsedRange> = ranges
        .iter()
        .map(|r| ParsedRange::parse(scheme, r))
        .collect();
    let current = scheme.parse(version).ok();
    let mut out: Vec<Version> = Vec::new();
    for range in &parsed {
        for e in &range.events {
            let (Event::Fixed(_), Bound::At(fixed)) = (&e.event, &e.bound) else {
                continue;
            };
            let Ok(fixed) = scheme.parse(fixed.as_str()) else {
                continue;
            };
            if current.as_ref().is_some_and(|c| &fixed <= c) {
                continue;
            }
            let clean = parsed
                .iter()
                .all(|r| r.undecidable.is_some() || !r.contains(fixed.as_str()).unwrap_or(false));
            if clean && !out.contains(&fixed) {
                out.push(fixed);
            }
        }
    }
    out.sort();
    out.into_iter().map(|v| v.as_str().to_owned()).collect()
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

    fn verdict(scheme: Scheme, v: &str, ranges: &[Range], versions: &[&str]) -> Verdict {
        let versions: Vec<String> = versions.iter().map(|s| (*s).to_owned()).collect();
        evaluate(scheme, v, ranges, &versions)
    }

    #[test]
    fn introduced_is_inclusive_fixed_exclusive_last_affected_inclusive() {
        let r = [range(
            RangeKind::Ecosystem,
            &[
                ("introduced", "1.0"),
                ("fixed", "1.5"),
                ("introduced", "2.0"),
                ("last_affected", "2.3"),
            ],
        )];
        for (v, want) in [
            ("0.9", Verdict::NotAffected),
            ("1.0", Verdict::Affected),
            ("1.4.9", Verdict::Affected),
            ("1.5", Verdict::NotAffected),
            ("1.9", Verdict::NotAffected),
            ("2.0", Verdict::Affected),
            ("2.3", Verdict::Affected),
            ("2.3.1", Verdict::NotAffected),
        ] {
            assert_eq!(verdict(Scheme::PyPI, v, &r, &[]), want, "{v}");
        }
    }

    #[test]
    fn events_are_sorted_by_the_scheme_not_by_text_or_position() {
        // Out of order on purpose, and "1.10" sorts after "1.9" only by version rules.
        let r = [range(
            RangeKind::Semver,
            &[
                ("fixed", "1.10.0"),
                ("introduced", "0"),
                ("introduced", "2.0.0"),
                ("fixed", "2.0.1"),
            ],
        )];
        assert_eq!(verdict(Scheme::SemVer, "1.9.0", &r, &[]), Verdict::Affected);
        assert_eq!(
            verdict(Scheme::SemVer, "1.10.0", &r, &[]),
            Verdict::NotAffected
        );
        assert_eq!(verdict(Scheme::SemVer, "2.0.0", &r, &[]), Verdict::Affected);
        assert_eq!(
            verdict(Scheme::SemVer, "2.0.1", &r, &[]),
            Verdict::NotAffected
        );
        assert_eq!(fixes(Scheme::SemVer, "1.9.0", &r), ["1.10.0", "2.0.1"]);
        assert_eq!(fixes(Scheme::SemVer, "2.0.0", &r), ["2.0.1"]);
    }

    #[test]
    fn limits_cap_a_range() {
        let r = [range(
            RangeKind::Ecosystem,
            &[("introduced", "0"), ("limit", "3.0.0")],
        )];
        assert_eq!(verdict(Scheme::Npm, "2.9.9", &r, &[]), Verdict::Affected);
        assert_eq!(verdict(Scheme::Npm, "3.0.0", &r, &[]), Verdict::NotAffected);
    }

    #[test]
    fn version_lists_git_ranges_and_unreadable_versions() {
        let git = [range(
            RangeKind::Git,
            &[("introduced", "abc123"), ("fixed", "def456")],
        )];
        assert!(matches!(
            verdict(Scheme::PyPI, "1.0", &git, &[]),
            Verdict::Undecidable(_)
        ));
        // A version list settles a commit range, with PEP 440 equality (1.0 == 1.0.0).
        assert_eq!(
            verdict(Scheme::PyPI, "1.0.0", &git, &["1.0", "1.1"]),
            Verdict::Affected
        );
        assert_eq!(
            verdict(Scheme::PyPI, "1.2", &git, &["1.0", "1.1"]),
            Verdict::NotAffected
        );
        let bad = [range(
            RangeKind::Ecosystem,
            &[("introduced", "0"), ("fixed", "not a version!")],
        )];
        assert!(matches!(
            verdict(Scheme::PyPI, "1.0", &bad, &[]),
            Verdict::Undecidable(_)
        ));
        let ok = [range(
            RangeKind::Ecosystem,
            &[("introduced", "0"), ("fixed", "2.0")],
        )];
        assert!(matches!(
            verdict(Scheme::PyPI, "garbage version", &ok, &[]),
            Verdict::Undecidable(_)
        ));
        // One range affected is enough, even when another cannot be decided.
        let both = [bad[0].clone(), ok[0].clone()];
        assert_eq!(verdict(Scheme::PyPI, "1.0", &both, &[]), Verdict::Affected);
    }

    #[test]
    fn semver_ranges_keep_go_rules_for_go() {
        let r = [range(
            RangeKind::Semver,
            &[("introduced", "0"), ("fixed", "1.2.3")],
        )];
        assert_eq!(verdict(Scheme::Go, "v1.2.2", &r, &[]), Verdict::Affected);
        assert_eq!(verdict(Scheme::Go, "v1.2.3", &r, &[]), Verdict::NotAffected);
        assert_eq!(
            verdict(Scheme::Go, "v0.0.0-20200101000000-abcdefabcdef", &r, &[]),
            Verdict::Affected
        );
        // crates.io's pre-release floor.
        let c = [range(
            RangeKind::Semver,
            &[("introduced", "0.0.0-0"), ("fixed", "0.2.23")],
        )];
        assert_eq!(
            verdict(Scheme::SemVer, "0.1.43", &c, &[]),
            Verdict::Affected
        );
        assert_eq!(fixes(Scheme::SemVer, "0.1.43", &c), ["0.2.23"]);
    }
}
