//! Debian (and Ubuntu) versions: dpkg's `[epoch:]upstream[-revision]` and its `verrevcmp`.
//!
//! The epoch is a number (0 when absent); the revision is what follows the last hyphen. Upstream
//! and revision compare as alternating runs of non-digits and digits: non-digits character by
//! character, where `~` sorts before anything (even the end), the end and digits sort before
//! letters, and letters before other characters; digit runs compare as numbers. So `1.0~rc1` <
//! `1.0` < `1.0a` < `1.0+b1` < `1.0.1`, and `1.0` == `1.00` == `0:1.0` == `1.0-0`. As `dpkg
//! --compare-versions` does, a version that merely draws a warning (not starting with a digit,
//! unusual characters) still compares; the errors (empty parts, a bad epoch, white space inside)
//! are refused, and so is non-ASCII text. Reference: `dpkg --compare-versions`.

use std::cmp::Ordering;

/// A Debian version.
#[derive(Clone, Debug)]
pub struct DebianVersion {
    epoch: u32,
    upstream: Box<str>,
    revision: Box<str>,
    /// Upstream and revision with every run of digits stripped of its leading zeros: equal
    /// versions have equal keys, so this is what is hashed.
    hash_key: (Box<str>, Box<str>),
    tilde: bool,
}

impl DebianVersion {
    pub fn parse(s: &str) -> Result<DebianVersion, String> {
        if !s.is_ascii() {
            return Err("non-ASCII character".to_owned());
        }
        let t = s.trim_matches(|c| c == ' ' || c == '\t');
        if t.is_empty() {
            return Err("version string is empty".to_owned());
        }
        if t.contains(|c: char| c.is_ascii_whitespace()) {
            return Err("version string has embedded spaces".to_owned());
        }
        let (epoch, rest) = match t.split_once(':') {
            Some((e, rest)) => {
                if e.is_empty() {
                    return Err("epoch in version is empty".to_owned());
                }
                if !e.bytes().all(|b| b.is_ascii_digit()) {
                    return Err("epoch in version is not number".to_owned());
                }
                let epoch = e
                    .trim_start_matches('0')
                    .parse::<u32>()
                    .ok()
                    .or_else(|| e.bytes().all(|b| b == b'0').then_some(0))
                    .filter(|n| *n <= i32::MAX as u32)
                    .ok_or("epoch in version is too big")?;
                if rest.is_empty() {
                    return Err("nothing after colon in version number".to_owned());
                }
                (epoch, rest)
            }
            None => (0, t),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((u, r)) => {
                if r.is_empty() {
                    return Err("revision number is empty".to_owned());
                }
                (u, r)
            }
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err("version number is empty".to_owned());
        }
        Ok(DebianVersion {
            epoch,
            upstream: upstream.into(),
            revision: revision.into(),
            hash_key: (canonical(upstream), canonical(revision)),
            tilde: rest.contains('~'),
        })
    }

    /// A `~` anywhere marks a pre-release (`1.0~rc1`).
    pub fn is_prerelease(&self) -> bool {
        self.tilde
    }
}

/// Strips leading zeros from every run of digits (an all-zero run disappears): `verrevcmp` finds
/// two strings equal only when their non-digit runs are identical and their digit runs equal in
/// value (a missing run counting as zero), and then these forms are identical.
fn canonical(s: &str) -> Box<str> {
    let mut out = String::with_capacity(s.len());
    let mut in_leading_zeros = false;
    let mut prev_digit = false;
    for c in s.chars() {
        let digit = c.is_ascii_digit();
        if digit && !prev_digit {
            in_leading_zeros = true;
        }
        if digit && in_leading_zeros && c == '0' {
            prev_digit = true;
            continue;
        }
        if digit {
            in_leading_zeros = false;
        }
        out.push(c);
        prev_digit = digit;
    }
    out.into()
}

/// dpkg's character weight in non-digit runs: `~` < end/digit < letters < everything else.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while i < a.len() && j < b.len() && a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if i < a.len() && a[i].is_ascii_digit() {
            return Ordering::Greater;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

impl PartialEq for DebianVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for DebianVersion {}
impl std::hash::Hash for DebianVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.epoch.hash(state);
        self.hash_key.hash(state);
    }
}

impl Ord for DebianVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}
impl PartialOrd for DebianVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> DebianVersion {
        DebianVersion::parse(s).unwrap()
    }

    #[test]
    fn ordering() {
        let chain = [
            "1.0~~", "1.0~~a", "1.0~", "1.0~rc1", "1.0", "1.0-1", "1.0a", "1.0+b1", "1.0.1", "1.1",
            "1.10", "1:0.1",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
        assert!(p("2.30-1ubuntu1") > p("2.30-1"));
        assert!(
            p("1.2.3-1-2") > p("1.2.3-1-1"),
            "revision after the last hyphen"
        );
    }

    #[test]
    fn equalities() {
        for (a, b) in [
            ("1.0", "1.00"),
            ("0:1.0", "1.0"),
            ("1.0-0", "1.0"),
            ("1.", "1.0"),
            ("1.01", "1.1"),
            ("00:1.0", "1.0"),
        ] {
            assert_eq!(p(a), p(b), "{a} == {b}");
        }
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            ":1.0",
            "a:1.0",
            "1:",
            "1.0-",
            "1 .0",
            "-1",
            "9999999999:1",
            "1.0é",
        ] {
            assert!(DebianVersion::parse(bad).is_err(), "{bad}");
        }
        assert!(
            DebianVersion::parse("abc").is_ok(),
            "dpkg warns, still compares"
        );
    }
}
