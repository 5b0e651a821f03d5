//! RubyGems versions: `Gem::Version`.
//!
//! A version is digits followed by `.`-separated runs of letters and digits, optionally a
//! `-`-separated suffix (which becomes `.pre.`), surrounded by optional white space; blank is `0`.
//! It is compared as its segments (runs of digits, as integers, and runs of letters), after
//! dropping trailing zeros from the numeric head and from the part starting at the first letter
//! (`1.0.a.0` == `1.a`). A missing segment counts as 0; a number is above letters, so any
//! version with letters is a pre-release of the version without them. Letters compare by byte
//! (case-sensitive). Reference: Ruby's `Gem::Version#<=>`.

use std::cmp::Ordering;

use crate::Num;

/// A gem version as its canonical segments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GemVersion {
    segments: Vec<Segment>,
    prerelease: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Segment {
    Num(Num),
    Str(Box<str>),
}

fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

impl GemVersion {
    pub fn parse(s: &str) -> Result<GemVersion, String> {
        let t = s.trim_matches(is_ruby_space);
        check(t)?;
        let version = if t.is_empty() {
            "0".to_owned()
        } else {
            t.replace('-', ".pre.")
        };
        let mut segments = Vec::new();
        let bytes = version.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            if bytes[i].is_ascii_digit() {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                segments.push(Segment::Num(Num::new(&version[start..i])));
            } else if bytes[i].is_ascii_alphabetic() {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                segments.push(Segment::Str(version[start..i].into()));
            } else {
                i += 1;
            }
        }
        let prerelease = version.bytes().any(|b| b.is_ascii_alphabetic());
        // Canonical segments: trailing zeros dropped from the numeric head and from the rest.
        let split = segments
            .iter()
            .position(|s| matches!(s, Segment::Str(_)))
            .unwrap_or(segments.len());
        let mut tail = segments.split_off(split);
        drop_trailing_zeros(&mut segments);
        drop_trailing_zeros(&mut tail);
        segments.extend(tail);
        Ok(GemVersion {
            segments,
            prerelease,
        })
    }

    pub fn is_prerelease(&self) -> bool {
        self.prerelease
    }
}

fn drop_trailing_zeros(v: &mut Vec<Segment>) {
    while matches!(v.last(), Some(Segment::Num(n)) if n.is_zero()) {
        v.pop();
    }
}

/// `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`, or nothing.
fn check(t: &str) -> Result<(), String> {
    if t.is_empty() {
        return Ok(());
    }
    let (main, pre) = match t.split_once('-') {
        Some((m, p)) => (m, Some(p)),
        None => (t, None),
    };
    let mut parts = main.split('.');
    let first = parts.next().unwrap_or("");
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must start with a number".to_owned());
    }
    for part in parts {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("invalid segment `{part}`"));
        }
    }
    if let Some(p) = pre {
        for part in p.split('.') {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(format!("invalid pre-release segment `{part}`"));
            }
        }
    }
    Ok(())
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Num(Num::new("0"));
        let n = self.segments.len().max(other.segments.len());
        for i in 0..n {
            let a = self.segments.get(i).unwrap_or(&zero);
            let b = other.segments.get(i).unwrap_or(&zero);
            let r = match (a, b) {
                (Segment::Num(x), Segment::Num(y)) => x.cmp(y),
                (Segment::Str(_), Segment::Num(_)) => Ordering::Less,
                (Segment::Num(_), Segment::Str(_)) => Ordering::Greater,
                (Segment::Str(x), Segment::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
            };
            if r != Ordering::Equal {
                return r;
            }
        }
        Ordering::Equal
    }
}
impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> GemVersion {
        GemVersion::parse(s).unwrap()
    }

    #[test]
    fn ordering() {
        let chain = [
            "1.0.a", "1.0.a1", "1.0.b", "1.0.pre", "1.0.rc1", "1.0", "1.0.1", "1.1.a", "1.1",
            "1.10",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
        assert!(p("1.0.B") < p("1.0.a"), "case-sensitive");
    }

    #[test]
    fn equalities() {
        assert_eq!(p("1.0"), p("1"));
        assert_eq!(p("1.0.a.0"), p("1.a"));
        assert_eq!(p("1.0-rc1"), p("1.0.pre.rc1"));
        assert_eq!(p(""), p("0"));
        assert_eq!(p(" 1.2 "), p("1.2"));
        assert_eq!(p("1.2b3"), p("1.2.b.3"));
        assert!(p("1.0.a").is_prerelease());
        assert!(!p("1.0").is_prerelease());
    }

    #[test]
    fn refusals() {
        for bad in [
            "a", "1..2", "1.2.", "1.2-", ".1", "1.2 3", "1_2", "1.2-a..b",
        ] {
            assert!(GemVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
