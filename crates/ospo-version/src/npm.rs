//! npm versions: node-semver's loose parsing, which npm uses to read versions.
//!
//! Loose means: surrounding whitespace, any run of `v`, `=` and spaces before the number
//! (`=v1.2.3`), leading zeros in numbers (`01.2.3` is `1.2.3`), and a pre-release without its
//! hyphen (`1.2.3beta.1`). Precedence is SemVer 2.0 (build metadata ignored). node-semver refuses
//! versions longer than 256 characters and numbers above 2^53 − 1; so do we. Numeric pre-release
//! identifiers compare as unbounded integers (node converts them to floats, which only differs
//! above 2^53). Reference: node's `semver` package, `semver.compare(a, b, true)`.

use std::cmp::Ordering;

use crate::semver::{Ident, cmp_pre};

const MAX_LENGTH: usize = 256;
const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// A node-semver version without its build metadata.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NpmVersion {
    pub(crate) major: u64,
    pub(crate) minor: u64,
    pub(crate) patch: u64,
    pub(crate) pre: Vec<Ident>,
}

impl NpmVersion {
    /// Parses as node-semver does with `loose: true`.
    pub fn parse(s: &str) -> Result<NpmVersion, String> {
        if s.len() > MAX_LENGTH {
            return Err(format!("longer than {MAX_LENGTH} characters"));
        }
        let t = s.trim_matches(is_js_space);
        let t = t.trim_start_matches(|c: char| c == 'v' || c == '=' || is_js_space(c));
        let mut cur = Cursor { s: t, pos: 0 };
        let major = cur.number("major")?;
        cur.expect('.')?;
        let minor = cur.number("minor")?;
        cur.expect('.')?;
        let rest = &t[cur.pos..];
        // The patch number is `\d+` followed by an optional hyphen-less pre-release, so like the
        // regular expression we give digits back to the pre-release when that is the only way to
        // match (`2.0.53.1` is `2.0.5-3.1`).
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Err(format!("expected the patch number at `{rest}`"));
        }
        let mut first_err = None;
        for len in (1..=n).rev() {
            match tail(&rest[len..]) {
                Ok(pre) => {
                    let patch = Cursor {
                        s: &rest[..len],
                        pos: 0,
                    }
                    .number("patch")?;
                    return Ok(NpmVersion {
                        major,
                        minor,
                        patch,
                        pre,
                    });
                }
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        Err(first_err.unwrap_or_default())
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    pub(crate) fn release(&self) -> (u64, u64, u64) {
        (self.major, self.minor, self.patch)
    }
}

/// What may follow the patch number: `-?PRE` and `+BUILD`, both optional.
fn tail(rest: &str) -> Result<Vec<Ident>, String> {
    let (pre_part, build) = match rest.split_once('+') {
        Some((p, b)) => (p, Some(b)),
        None => (rest, None),
    };
    let pre_text = pre_part.strip_prefix('-').unwrap_or(pre_part);
    let mut pre = Vec::new();
    if !pre_part.is_empty() {
        for id in pre_text.split('.') {
            if !is_loose_pre_ident(id) {
                return Err(format!("invalid pre-release identifier `{id}`"));
            }
            pre.push(Ident::new(id));
        }
    }
    if let Some(b) = build {
        crate::semver::check_idents(b, "build")?;
    }
    Ok(pre)
}

/// `\d+` or `\d*[a-zA-Z-][a-zA-Z0-9-]*`: digits, or anything of `[0-9A-Za-z-]` with a non-digit.
fn is_loose_pre_ident(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// JavaScript's `String.prototype.trim` whitespace (and `\s`), close enough: Unicode white space
/// plus the BOM.
fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn number(&mut self, what: &str) -> Result<u64, String> {
        let digits: &str = {
            let rest = &self.s[self.pos..];
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            &rest[..n]
        };
        if digits.is_empty() {
            return Err(format!(
                "expected the {what} number at `{}`",
                &self.s[self.pos..]
            ));
        }
        self.pos += digits.len();
        let trimmed = digits.trim_start_matches('0');
        let value = if trimmed.is_empty() {
            0
        } else if trimmed.len() > 16 {
            u64::MAX
        } else {
            trimmed.parse::<u64>().unwrap_or(u64::MAX)
        };
        if value > MAX_SAFE_INTEGER {
            return Err(format!("{what} number {digits} is above 2^53 - 1"));
        }
        Ok(value)
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.s[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(format!("expected `{c}` at `{}`", &self.s[self.pos..]))
        }
    }
}

impl Ord for NpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.release()
            .cmp(&other.release())
            .then_with(|| cmp_pre(&self.pre, &other.pre))
    }
}
impl PartialOrd for NpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> NpmVersion {
        NpmVersion::parse(s).unwrap()
    }

    #[test]
    fn loose_forms() {
        assert_eq!(p("=v1.2.3"), p("1.2.3"));
        assert_eq!(p("  v1.2.3  "), p("1.2.3"));
        assert_eq!(p("01.02.03"), p("1.2.3"));
        assert_eq!(p("1.2.3beta"), p("1.2.3-beta"));
        assert_eq!(p("1.2.3-01"), p("1.2.3-1"));
        assert_eq!(p("1.2.3+build.1"), p("1.2.3"));
    }

    #[test]
    fn ordering() {
        assert!(p("1.2.3-alpha.10") > p("1.2.3-alpha.9"));
        assert!(p("1.2.3-alpha") < p("1.2.3"));
        assert!(p("1.2.3-1") < p("1.2.3-a"));
        assert!(p("10.0.0") > p("9.99.99"));
    }

    #[test]
    fn refusals() {
        for bad in [
            "1.2",
            "1.2.3.4",
            "x",
            "1.2.3-",
            "1.2.3-a..b",
            "1.2.3+",
            "1.2.3_4",
            "",
            "9007199254740992.0.0",
        ] {
            assert!(NpmVersion::parse(bad).is_err(), "{bad}");
        }
        assert!(NpmVersion::parse(&"1".repeat(300)).is_err());
        assert!(NpmVersion::parse("9007199254740991.0.0").is_ok());
    }
}
