//! Packagist versions: Composer's `VersionParser::normalize`, then PHP's `version_compare` on the
//! normalised forms, as `Composer\Semver\Comparator` does.
//!
//! Normalisation: surrounding white space, an ` as ` alias and an `@stability` flag are dropped;
//! a `v` prefix is allowed; one to four numeric parts are padded to four (`1.2` → `1.2.0.0`);
//! date versions (`2023.10.01`, `20231001`) are kept as numbers; a modifier `-alpha2`,
//! `beta`/`b`, `RC`, `patch`/`pl`/`p`, `stable` and a `-dev` suffix become `-alpha2`, `-beta`,
//! `-RC`, `-patch`, nothing, and `-dev`. Branches: `dev-<name>`, `master`/`trunk`/`default`, and
//! `1.2.x-dev` (which normalises to `1.2.9999999.9999999-dev`). Build metadata is ignored.
//!
//! Order: `version_compare` on the parts: numbers numerically (saturating at 2^63 − 1 like
//! `strtol`), `dev` < `alpha` < `beta` < `RC` < a number < `patch`; when one version runs out,
//! the other's next part decides (a number makes it greater, `dev`/`alpha`/`beta`/`RC` smaller).
//! Named branches (`dev-master`) cannot be ordered against versions by Composer; here they sort
//! after every version, by name, and OSV range evaluation reports them as undecidable.
//! Reference: `Composer\Semver\VersionParser` and `Comparator` (composer/semver 3.3, PHP 8.2).

use std::cmp::Ordering;

/// A normalised Composer version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ComposerVersion {
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Parts(Vec<Part>),
    /// `dev-<name>`: the name.
    Branch(Box<str>),
}

/// One part of a normalised version as `version_compare` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Part {
    Num(i64),
    /// `dev` 0, `alpha` 1, `beta` 2, `RC` 3, `patch` 5 (a number counts as 4), anything else −6.
    Special(i8),
}

const NUMBER_RANK: i8 = 4;

impl Part {
    fn rank(self) -> i8 {
        match self {
            Part::Num(_) => NUMBER_RANK,
            Part::Special(r) => r,
        }
    }
}

impl ComposerVersion {
    pub fn parse(s: &str) -> Result<ComposerVersion, String> {
        let normalized = normalize(s)?;
        if let Some(name) = normalized.strip_prefix("dev-") {
            return Ok(ComposerVersion {
                kind: Kind::Branch(name.into()),
            });
        }
        Ok(ComposerVersion {
            kind: Kind::Parts(canonical_parts(&normalized)),
        })
    }

    /// A named development branch (`dev-master`), which no version range can decide.
    pub fn is_branch(&self) -> bool {
        matches!(self.kind, Kind::Branch(_))
    }

    /// Below stable: `dev`, `alpha`, `beta` or `RC` appears.
    pub fn is_prerelease(&self) -> bool {
        match &self.kind {
            Kind::Parts(p) => p.iter().any(|p| p.rank() < NUMBER_RANK),
            Kind::Branch(_) => true,
        }
    }

    /// The normalised text, as Composer prints it.
    pub fn normalized(s: &str) -> Result<String, String> {
        normalize(s)
    }
}

const STABILITIES: [&str; 5] = ["stable", "rc", "beta", "alpha", "dev"];

/// `VersionParser::normalize`.
fn normalize(s: &str) -> Result<String, String> {
    let invalid = || format!("invalid Composer version `{}`", s.trim());
    let mut v = s.trim();
    if v.is_empty() {
        return Err("empty version".to_owned());
    }
    // `1.0 as 2.0`: the alias is dropped.
    if let Some((a, b)) = v.split_once(" as ") {
        let (a, b) = (a.trim_end_matches(' '), b.trim_start_matches(' '));
        let ok = |x: &str| !x.is_empty() && !x.contains(|c: char| c == ',' || c.is_whitespace());
        if ok(a) && ok(b) {
            v = a;
        }
    }
    // `@dev` and friends.
    if let Some(at) = v.rfind('@')
        && STABILITIES
            .iter()
            .any(|st| v[at + 1..].eq_ignore_ascii_case(st))
    {
        v = &v[..at];
    }
    if matches!(v, "master" | "trunk" | "default") {
        return Ok(format!("dev-{v}"));
    }
    if let Some(name) = v
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("dev-"))
        .and_then(|_| v.get(4..))
    {
        return Ok(format!("dev-{name}"));
    }
    // Build metadata.
    if let Some((head, tail)) = v.split_once('+')
        && !head.is_empty()
        && !head.contains(|c: char| c == ',' || c.is_whitespace())
        && !tail.is_empty()
        && !tail.contains(char::is_whitespace)
    {
        v = head;
    }
    if let Some(out) = classical(v).or_else(|| date(v)) {
        return Ok(out);
    }
    // `1.x-dev`, `2.1-dev`: a branch.
    if let Some(head) = strip_suffix_ci(v, "dev") {
        let head = head
            .strip_suffix('.')
            .or_else(|| head.strip_suffix('-'))
            .unwrap_or(head);
        if let Some(b) = numeric_branch(head) {
            return Ok(b);
        }
    }
    Err(invalid())
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let n = s.len().checked_sub(suffix.len())?;
    (s.is_char_boundary(n) && s[n..].eq_ignore_ascii_case(suffix)).then(|| &s[..n])
}

fn take_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

fn strip_v(s: &str) -> &str {
    s.strip_prefix(['v', 'V']).unwrap_or(s)
}

/// `v?(\d{1,5})(\.\d+)?(\.\d+)?(\.\d+)?` + modifier.
fn classical(v: &str) -> Option<String> {
    let s = strip_v(v);
    let (major, mut rest) = take_digits(s);
    if major.is_empty() || major.len() > 5 {
        return None;
    }
    let mut parts = vec![major];
    // Up to three more `.N`, taken greedily; the modifier regex may then take what is left.
    for _ in 0..3 {
        let Some(r) = rest.strip_prefix('.') else {
            break;
        };
        let (d, r2) = take_digits(r);
        if d.is_empty() {
            break;
        }
        parts.push(d);
        rest = r2;
    }
    let modifier = modifier(rest)?;
    let mut out = parts.join(".");
    for _ in parts.len()..4 {
        out.push_str(".0");
    }
    Some(finish(out, modifier))
}

/// `v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?)` + modifier: the date, separators as dots.
fn date(v: &str) -> Option<String> {
    let s = strip_v(v);
    let b = s.as_bytes();
    // Try every split between the date and the modifier, longest date first, as the regex's
    // backtracking would.
    let mut ends = Vec::new();
    date_ends(b, &mut ends);
    ends.sort_unstable();
    ends.dedup();
    for end in ends.into_iter().rev() {
        if let Some(m) = modifier(&s[end..]) {
            let date: String = s[..end]
                .chars()
                .map(|c| if c.is_ascii_digit() { c } else { '.' })
                .collect();
            return Some(finish(date, m));
        }
    }
    None
}

/// Every end offset at which `\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?` can stop.
fn date_ends(b: &[u8], ends: &mut Vec<usize>) {
    let digits =
        |i: usize, n: usize| i + n <= b.len() && b[i..i + n].iter().all(u8::is_ascii_digit);
    let seps = |i: usize| -> Vec<usize> {
        let mut v = vec![i];
        if i < b.len() && matches!(b[i], b'.' | b':' | b'-') {
            v.push(i + 1);
        }
        v
    };
    if !digits(0, 4) {
        return;
    }
    // Positions after k two-digit groups.
    let mut frontier = vec![4usize];
    for _ in 1..=6 {
        let mut next = Vec::new();
        for &p in &frontier {
            for q in seps(p) {
                if digits(q, 2) {
                    next.push(q + 2);
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        if next.is_empty() {
            break;
        }
        // Then at most one group of one to three digits.
        for &p in &next {
            ends.push(p);
            for q in seps(p) {
                for n1 in 1..=3 {
                    if digits(q, n1) {
                        ends.push(q + n1);
                    }
                }
            }
        }
        frontier = next;
    }
}

/// What the modifier regex captured: the stability word, its number, and `-dev`.
struct Modifier<'a> {
    stability: Option<&'a str>,
    number: &'a str,
    dev: bool,
}

/// `[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$`, case-insensitive.
fn modifier(rest: &str) -> Option<Modifier<'_>> {
    let lower = rest.to_ascii_lowercase();
    let try_from = |skip: usize| -> Option<Modifier<'_>> {
        let r = &rest[skip..];
        let l = &lower[skip..];
        // The stability alternatives in the regex's order.
        for word in [
            "stable", "beta", "b", "rc", "alpha", "a", "patch", "pl", "p", "",
        ] {
            if !l.starts_with(word) {
                continue;
            }
            let after = &r[word.len()..];
            // ((?:[.-]?\d+)*+): possessive, so it takes every group it can.
            let mut n = 0;
            let ab = after.as_bytes();
            loop {
                let mut i = n;
                if i < ab.len() && matches!(ab[i], b'.' | b'-') {
                    i += 1;
                }
                let d = ab[i.min(ab.len())..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if d == 0 {
                    break;
                }
                n = i + d;
            }
            if word.is_empty() && n > 0 {
                continue;
            }
            let tail = &after[n..];
            let tl = tail.to_ascii_lowercase();
            let dev = match tl.as_str() {
                "" => Some(false),
                "dev" | ".dev" | "-dev" => Some(true),
                _ => None,
            };
            if let Some(dev) = dev {
                return Some(Modifier {
                    stability: (!word.is_empty()).then_some(&r[..word.len()]),
                    number: &after[..n],
                    dev,
                });
            }
        }
        None
    };
    if rest.starts_with(['.', '_', '-'])
        && let Some(m) = try_from(1)
    {
        return Some(m);
    }
    try_from(0)
}

fn finish(mut version: String, m: Modifier<'_>) -> String {
    if let Some(st) = m.stability {
        // Composer compares with `stable` case-sensitively, then lower-cases to expand.
        if st == "stable" {
            return version;
        }
        let st = st.to_ascii_lowercase();
        let expanded = match st.as_str() {
            "a" => "alpha",
            "b" => "beta",
            "p" | "pl" => "patch",
            "rc" => "RC",
            other => other,
        };
        version.push('-');
        version.push_str(expanded);
        version.push_str(m.number.trim_start_matches(['.', '-']));
    }
    if m.dev {
        version.push_str("-dev");
    }
    version
}

/// `normalizeBranch` for numeric branches: `v?(\d+)(\.(?:\d+|[xX*])){0,3}` → `…9999999-dev`.
fn numeric_branch(name: &str) -> Option<String> {
    let s = strip_v(name.trim());
    let mut parts: Vec<String> = Vec::new();
    for (i, p) in s.split('.').enumerate() {
        let ok = !p.is_empty()
            && (p.bytes().all(|b| b.is_ascii_digit()) || (i > 0 && matches!(p, "x" | "X" | "*")));
        if !ok || i > 3 {
            return None;
        }
        parts.push(if p.bytes().all(|b| b.is_ascii_digit()) {
            p.to_owned()
        } else {
            "9999999".to_owned()
        });
    }
    while parts.len() < 4 {
        parts.push("9999999".to_owned());
    }
    Some(format!("{}-dev", parts.join(".")))
}

/// `version_compare`'s view of a normalised version: `-`, `_`, `+` become `.`, a switch between
/// digits and letters splits, and each piece is a number or a special word.
fn canonical_parts(normalized: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    for c in normalized.chars() {
        let same_class = cur
            .chars()
            .next()
            .is_none_or(|f| f.is_ascii_digit() == c.is_ascii_digit());
        if !c.is_ascii_alphanumeric() || !same_class {
            flush(&mut cur, &mut parts);
        }
        if c.is_ascii_alphanumeric() {
            cur.push(c);
        }
    }
    flush(&mut cur, &mut parts);
    parts
}

fn flush(cur: &mut String, parts: &mut Vec<Part>) {
    if cur.is_empty() {
        return;
    }
    parts.push(if cur.starts_with(|c: char| c.is_ascii_digit()) {
        Part::Num(strtol(cur))
    } else {
        Part::Special(special_rank(cur))
    });
    cur.clear();
}

fn strtol(digits: &str) -> i64 {
    let mut n: i64 = 0;
    for b in digits.bytes() {
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    n
}

/// PHP's special version forms, matched by prefix in table order.
fn special_rank(p: &str) -> i8 {
    const FORMS: [(&str, i8); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(f, _)| p.starts_with(f))
        .map_or(-6, |(_, r)| *r)
}

fn cmp_parts(a: &[Part], b: &[Part]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let r = match (x, y) {
            (Part::Num(x), Part::Num(y)) => x.cmp(y),
            _ => x.rank().cmp(&y.rank()),
        };
        if r != Ordering::Equal {
            return r;
        }
    }
    match (a.get(b.len()), b.get(a.len())) {
        (Some(x), _) => match x {
            Part::Num(_) => Ordering::Greater,
            Part::Special(r) => r.cmp(&NUMBER_RANK),
        },
        (None, Some(y)) => match y {
            Part::Num(_) => Ordering::Less,
            Part::Special(r) => NUMBER_RANK.cmp(r),
        },
        (None, None) => Ordering::Equal,
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.kind, &other.kind) {
            (Kind::Parts(a), Kind::Parts(b)) => cmp_parts(a, b),
            (Kind::Parts(_), Kind::Branch(_)) => Ordering::Less,
            (Kind::Branch(_), Kind::Parts(_)) => Ordering::Greater,
            (Kind::Branch(a), Kind::Branch(b)) => a.cmp(b),
        }
    }
}
impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).unwrap()
    }

    fn p(s: &str) -> ComposerVersion {
        ComposerVersion::parse(s).unwrap()
    }

    #[test]
    fn normalisation_as_composer() {
        for (input, want) in [
            ("1.0.0", "1.0.0.0"),
            ("1.2.3.4", "1.2.3.4"),
            ("v1.0.0", "1.0.0.0"),
            ("1", "1.0.0.0"),
            ("1.0.0RC1dev", "1.0.0.0-RC1-dev"),
            ("1.0.0-rC15-dev", "1.0.0.0-RC15-dev"),
            ("1.0.0.RC.15-dev", "1.0.0.0-RC15-dev"),
            ("1.0.0-rc1", "1.0.0.0-RC1"),
            ("1.0.0-pl3", "1.0.0.0-patch3"),
            ("1.0-dev", "1.0.0.0-dev"),
            ("1.0.0-beta.5+foo", "1.0.0.0-beta5"),
            ("1.0.0-stable", "1.0.0.0"),
            ("1.0.0-b2", "1.0.0.0-beta2"),
            ("2010.01.02", "2010.01.02.0"),
            ("20100102", "20100102"),
            ("2010-01-02", "2010.01.02"),
            ("20100102-203040", "20100102.203040"),
            ("dev-master", "dev-master"),
            ("master", "dev-master"),
            ("dev-feature/foo", "dev-feature/foo"),
            ("1.x-dev", "1.9999999.9999999.9999999-dev"),
            ("2.1.x-dev", "2.1.9999999.9999999-dev"),
            ("1.0.0@dev", "1.0.0.0"),
            ("1.0 as 2.0", "1.0.0.0"),
            (" 1.0.0 ", "1.0.0.0"),
            ("1.0.0-alpha.1.2", "1.0.0.0-alpha1.2"),
        ] {
            assert_eq!(n(input), want, "{input}");
        }
        for bad in ["", "1.0.0.0.0", "foo", "1.0.0-meh", "1.0.0-beta.x"] {
            assert!(normalize(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ordering() {
        let chain = [
            "1.0.0-dev",
            "1.0.0-alpha1",
            "1.0.0-alpha2",
            "1.0.0-beta1",
            "1.0.0-RC1",
            "1.0.0",
            "1.0.0-patch1",
            "1.0.0.1",
            "1.0.1",
            "1.2.x-dev",
            "dev-a",
            "dev-master",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(p("1.02"), p("1.2.0.0"));
        assert_eq!(p("v1.0"), p("1.0.0"));
        assert!(p("dev-master").is_branch());
        assert!(p("1.0.0-RC1").is_prerelease());
    }
}
