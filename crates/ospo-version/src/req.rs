//! Version requirements: `satisfies`, and the version patterns of policy bans and ignores.
//!
//! Every scheme reads a common syntax: comparators `=`/`==`, `!=`, `<`, `<=`, `>`, `>=` (a bare
//! version is `=`), joined with `,` (all must hold), alternatives joined with `||`, and `*` for
//! any version. Each ecosystem's native syntax is read too, tried first:
//!
//! | scheme | native syntax |
//! |---|---|
//! | semver | Cargo requirements (`^1.2`, `~1.2.3`, `1.*`, `>=1.2, <2`; a bare `1.2.3` means `^1.2.3`, as in Cargo), alternatives with `\|\|` |
//! | npm | node-semver ranges (`^1.2.3`, `~1.2`, `1.x`, `1.2.3 - 2.3`, `>=1 <2`, `\|\|`); pre-releases match only a comparator of the same `major.minor.patch` that has one, as npm does |
//! | pypi | PEP 440 specifiers (`~=1.4.2`, `==1.*`, `!=1.5`, `===1.0`, `>=1,<2`) |
//! | maven, nuget | interval notation (`[1.0,2.0)`, `(,1.0],[1.2,)`, `[1.0]`) |
//! | rubygems | `~> 2.1` (pessimistic), `>= 1.0, < 2` |
//! | packagist | Composer constraints (`^1.2`, `~1.2`, `1.2.*`, `>=1.0 <2.0`, `1.0 - 2.0`, `\|\|`, `@dev` flags ignored) |
//! | debian | also `<<` and `>>` (strictly less, greater) |

use std::fmt;

use crate::{Scheme, Version, VersionError};

/// A requirement that failed to parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid {scheme} version requirement: {reason}")]
pub struct ReqError {
    pub scheme: Scheme,
    pub text: String,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug)]
struct Comparator {
    op: Op,
    version: Version,
}

impl Comparator {
    fn matches(&self, v: &Version) -> bool {
        let o = v.cmp(&self.version);
        match self.op {
            Op::Eq => o.is_eq(),
            Op::Ne => o.is_ne(),
            Op::Lt => o.is_lt(),
            Op::Le => o.is_le(),
            Op::Gt => o.is_gt(),
            Op::Ge => o.is_ge(),
        }
    }
}

/// One alternative: all of its conditions must hold.
#[derive(Clone, Debug)]
enum Alt {
    All(Vec<Comparator>),
    /// node-semver's comparator set, with its pre-release rule.
    Npm(Vec<Comparator>),
    Cargo(::semver::VersionReq),
    Pep440(pep440_rs::VersionSpecifiers),
}

/// A parsed requirement of one scheme.
#[derive(Clone, Debug)]
pub struct VersionReq {
    scheme: Scheme,
    text: String,
    alts: Vec<Alt>,
}

impl fmt::Display for VersionReq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl VersionReq {
    /// The scheme the requirement was parsed with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Whether the version satisfies the requirement. A version of another scheme is re-read
    /// with this one (and does not match if it cannot be).
    pub fn matches(&self, v: &Version) -> bool {
        if v.scheme() != self.scheme {
            return self
                .scheme
                .parse(v.as_str())
                .is_ok_and(|v| self.matches(&v));
        }
        self.alts.iter().any(|alt| match alt {
            Alt::All(cs) => cs.iter().all(|c| c.matches(v)),
            Alt::Npm(cs) => npm_set_matches(cs, v),
            Alt::Cargo(req) => v.key_semver().is_some_and(|s| req.matches(&s.to_crate())),
            Alt::Pep440(spec) => v.key_pypi().is_some_and(|p| spec.contains(p.as_pep440())),
        })
    }
}

impl Scheme {
    /// Parses a requirement: the scheme's native syntax, else the common syntax.
    pub fn parse_req(self, s: &str) -> Result<VersionReq, ReqError> {
        let err = |reason: String| ReqError {
            scheme: self,
            text: s.to_owned(),
            reason,
        };
        if s.trim().is_empty() {
            return Err(err("empty requirement".to_owned()));
        }
        let mut alts = Vec::new();
        let pieces: Vec<&str> = match self {
            // Composer also accepts a single `|`.
            Scheme::Packagist => s.split('|').filter(|p| !p.trim().is_empty()).collect(),
            _ => s.split("||").collect(),
        };
        for piece in pieces {
            let piece = piece.trim();
            // Interval notation is unambiguous: its errors are not retried as the common syntax
            // (where any text is a Maven version).
            let interval =
                matches!(self, Scheme::Maven | Scheme::NuGet) && piece.starts_with(['[', '(']);
            let native = match self {
                Scheme::SemVer => cargo(piece),
                Scheme::Npm => npm(piece),
                Scheme::PyPI => pep440(piece),
                Scheme::Maven | Scheme::NuGet if interval => intervals(self, piece),
                Scheme::RubyGems => rubygems(piece),
                Scheme::Packagist => composer(piece),
                _ => None,
            };
            match native {
                Some(Ok(mut a)) => alts.append(&mut a),
                Some(Err(native_err)) if interval => return Err(err(native_err)),
                Some(Err(native_err)) => match common(self, piece) {
                    Ok(a) => alts.push(a),
                    Err(_) => return Err(err(native_err)),
                },
                None => alts.push(common(self, piece).map_err(err)?),
            }
        }
        Ok(VersionReq {
            scheme: self,
            text: s.to_owned(),
            alts,
        })
    }
}

impl std::str::FromStr for Op {
    type Err = ();
    fn from_str(s: &str) -> Result<Op, ()> {
        Ok(match s {
            "=" | "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "<" | "<<" => Op::Lt,
            "<=" => Op::Le,
            ">" | ">>" => Op::Gt,
            ">=" => Op::Ge,
            _ => return Err(()),
        })
    }
}

/// Splits a leading operator off (`>=1.0` → `>=`, `1.0`).
fn split_op(s: &str) -> (&str, &str) {
    let n = s
        .find(|c: char| !matches!(c, '<' | '>' | '=' | '!'))
        .unwrap_or(s.len());
    (&s[..n], s[n..].trim_start())
}

fn parse_version(scheme: Scheme, s: &str) -> Result<Version, String> {
    scheme.parse(s).map_err(|e: VersionError| e.to_string())
}

/// `op version, op version` or `*`.
fn common(scheme: Scheme, s: &str) -> Result<Alt, String> {
    let mut cs = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        if part == "*" {
            continue;
        }
        if part.is_empty() {
            return Err("empty comparator".to_owned());
        }
        let (op, rest) = split_op(part);
        let op = if op.is_empty() {
            Op::Eq
        } else {
            op.parse::<Op>()
                .map_err(|()| format!("unknown operator `{op}`"))?
        };
        if op == Op::Lt && scheme != Scheme::Debian && part.starts_with("<<") {
            return Err("unknown operator `<<`".to_owned());
        }
        cs.push(Comparator {
            op,
            version: parse_version(scheme, rest)?,
        });
    }
    Ok(Alt::All(cs))
}

type Native = Option<Result<Vec<Alt>, String>>;

fn cargo(s: &str) -> Native {
    Some(
        ::semver::VersionReq::parse(s)
            .map(|r| vec![Alt::Cargo(r)])
            .map_err(|e| e.to_string()),
    )
}

fn pep440(s: &str) -> Native {
    if !s.starts_with(['=', '!', '<', '>', '~']) {
        return None;
    }
    Some(
        s.parse::<pep440_rs::VersionSpecifiers>()
            .map(|r| vec![Alt::Pep440(r)])
            .map_err(|e| e.to_string()),
    )
}

/// `[1.0,2.0)`, `(,1.0],[1.2,)`, `[1.0]`: each interval is an alternative.
fn intervals(scheme: Scheme, s: &str) -> Native {
    let inner = || -> Result<Vec<Alt>, String> {
        let mut out = Vec::new();
        let mut rest = s.trim();
        while !rest.is_empty() {
            let open = rest.chars().next().unwrap_or('[');
            let close_at = rest
                .find([']', ')'])
                .ok_or_else(|| format!("unclosed interval `{rest}`"))?;
            let close = rest[close_at..].chars().next().unwrap_or(']');
            let body = &rest[1..close_at];
            let mut cs = Vec::new();
            match body.split_once(',') {
                None => {
                    if open != '[' || close != ']' {
                        return Err(format!("a single version needs `[{body}]`"));
                    }
                    cs.push(Comparator {
                        op: Op::Eq,
                        version: parse_version(scheme, body.trim())?,
                    });
                }
                Some((lo, hi)) => {
                    let (lo, hi) = (lo.trim(), hi.trim());
                    if !lo.is_empty() {
                        cs.push(Comparator {
                            op: if open == '[' { Op::Ge } else { Op::Gt },
                            version: parse_version(scheme, lo)?,
                        });
                    }
                    if !hi.is_empty() {
                        cs.push(Comparator {
                            op: if close == ']' { Op::Le } else { Op::Lt },
                            version: parse_version(scheme, hi)?,
                        });
                    }
                }
            }
            out.push(Alt::All(cs));
            rest = rest[close_at + 1..].trim_start();
            if let Some(r) = rest.strip_prefix(',') {
                rest = r.trim_start();
                if !rest.starts_with(['[', '(']) {
                    return Err(format!("expected an interval at `{rest}`"));
                }
            } else if !rest.is_empty() {
                return Err(format!("unexpected `{rest}`"));
            }
        }
        Ok(out)
    };
    Some(inner())
}

/// `~> 2.1, >= 2.1.3`.
fn rubygems(s: &str) -> Native {
    if !s.contains("~>") {
        return None;
    }
    let mut cs = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("~>") {
            let v = v.trim();
            let low = match parse_version(Scheme::RubyGems, v) {
                Ok(x) => x,
                Err(e) => return Some(Err(e)),
            };
            let Some(bump) = gem_bump(v) else {
                return Some(Err(format!("cannot bump `{v}`")));
            };
            let high = match parse_version(Scheme::RubyGems, &bump) {
                Ok(x) => x,
                Err(e) => return Some(Err(e)),
            };
            cs.push(Comparator {
                op: Op::Ge,
                version: low,
            });
            cs.push(Comparator {
                op: Op::Lt,
                version: high,
            });
        } else {
            match common(Scheme::RubyGems, part) {
                Ok(Alt::All(mut more)) => cs.append(&mut more),
                Ok(_) => {}
                Err(e) => return Some(Err(e)),
            }
        }
    }
    Some(Ok(vec![Alt::All(cs)]))
}

/// `Gem::Version#bump`: drop letter segments and the last number, increment the one before.
fn gem_bump(v: &str) -> Option<String> {
    let mut segs: Vec<&str> = v.split('.').collect();
    while segs.len() > 1 && segs.iter().any(|s| !s.bytes().all(|b| b.is_ascii_digit())) {
        segs.pop();
    }
    if segs.len() > 1 {
        segs.pop();
    }
    let last = segs.pop()?.parse::<u64>().ok()?.checked_add(1)?;
    let mut out: Vec<String> = segs.iter().map(|s| (*s).to_owned()).collect();
    out.push(last.to_string());
    Some(out.join("."))
}

// --- npm ----------------------------------------------------------------------------------------

/// A partial npm version: `1`, `1.2`, `1.2.3-pre`, with `x`/`X`/`*` wildcards.
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    rest: String,
}

fn partial(s: &str) -> Result<Partial, String> {
    let s = s.trim_start_matches(['v', '=']).trim();
    let (main, rest) = match s.find(['-', '+']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mut nums = [None, None, None];
    let parts: Vec<&str> = if main.is_empty() {
        Vec::new()
    } else {
        main.split('.').collect()
    };
    if parts.len() > 3 {
        return Err(format!("`{s}` has more than three parts"));
    }
    for (slot, p) in nums.iter_mut().zip(&parts) {
        *slot = match *p {
            "x" | "X" | "*" => None,
            d => Some(
                d.parse::<u64>()
                    .map_err(|_| format!("`{d}` is not a number"))?,
            ),
        };
    }
    // Anything after a wildcard is a wildcard too.
    if let Some(i) = nums.iter().position(Option::is_none) {
        for n in &mut nums[i..] {
            *n = None;
        }
    }
    Ok(Partial {
        major: nums[0],
        minor: nums[1],
        patch: nums[2],
        rest: if nums[2].is_some() {
            rest.to_owned()
        } else {
            String::new()
        },
    })
}

fn npm_v(major: u64, minor: u64, patch: u64, rest: &str) -> Result<Version, String> {
    parse_version(Scheme::Npm, &format!("{major}.{minor}.{patch}{rest}"))
}

fn cmp(op: Op, v: Version) -> Comparator {
    Comparator { op, version: v }
}

/// The comparators one npm range term stands for.
fn npm_term(term: &str, out: &mut Vec<Comparator>) -> Result<(), String> {
    let (op, rest) = if let Some(r) = term.strip_prefix("~>").or_else(|| term.strip_prefix('~')) {
        ("~", r)
    } else if let Some(r) = term.strip_prefix('^') {
        ("^", r)
    } else {
        split_op(term)
    };
    let p = partial(rest)?;
    let inc = |n: u64| n.checked_add(1).ok_or("number too large");
    match (op, p.major, p.minor, p.patch) {
        (_, None, _, _) => {
            if matches!(op, "<" | ">") {
                // `<*`, `>*`: nothing.
                out.push(cmp(Op::Lt, npm_v(0, 0, 0, "-0")?));
            }
            // Otherwise any version (not pre-releases).
        }
        ("~", Some(ma), mi, pa) => {
            out.push(cmp(
                Op::Ge,
                npm_v(ma, mi.unwrap_or(0), pa.unwrap_or(0), &p.rest)?,
            ));
            out.push(cmp(
                Op::Lt,
                match mi {
                    Some(mi) => npm_v(ma, inc(mi)?, 0, "-0")?,
                    None => npm_v(inc(ma)?, 0, 0, "-0")?,
                },
            ));
        }
        ("^", Some(ma), mi, pa) => {
            out.push(cmp(
                Op::Ge,
                npm_v(ma, mi.unwrap_or(0), pa.unwrap_or(0), &p.rest)?,
            ));
            let upper = match (ma, mi, pa) {
                (0, None, _) => npm_v(1, 0, 0, "-0")?,
                (0, Some(0), None) => npm_v(0, 1, 0, "-0")?,
                (0, Some(0), Some(pa)) => npm_v(0, 0, inc(pa)?, "-0")?,
                (0, Some(mi), _) => npm_v(0, inc(mi)?, 0, "-0")?,
                (ma, _, _) => npm_v(inc(ma)?, 0, 0, "-0")?,
            };
            out.push(cmp(Op::Lt, upper));
        }
        (op, Some(ma), mi, pa) => {
            let op = if op.is_empty() {
                Op::Eq
            } else {
                op.parse::<Op>()
                    .map_err(|()| format!("unknown operator `{op}`"))?
            };
            match (op, mi, pa) {
                (_, Some(mi), Some(pa)) => out.push(cmp(op, npm_v(ma, mi, pa, &p.rest)?)),
                // Partial versions: X-ranges.
                (Op::Eq, _, _) => {
                    out.push(cmp(Op::Ge, npm_v(ma, mi.unwrap_or(0), 0, "")?));
                    out.push(cmp(
                        Op::Lt,
                        match mi {
                            Some(mi) => npm_v(ma, inc(mi)?, 0, "-0")?,
                            None => npm_v(inc(ma)?, 0, 0, "-0")?,
                        },
                    ));
                }
                (Op::Gt, Some(mi), None) => out.push(cmp(Op::Ge, npm_v(ma, inc(mi)?, 0, "")?)),
                (Op::Gt, None, _) => out.push(cmp(Op::Ge, npm_v(inc(ma)?, 0, 0, "")?)),
                (Op::Ge, mi, _) => out.push(cmp(Op::Ge, npm_v(ma, mi.unwrap_or(0), 0, "")?)),
                (Op::Lt, mi, _) => out.push(cmp(Op::Lt, npm_v(ma, mi.unwrap_or(0), 0, "-0")?)),
                (Op::Le, Some(mi), None) => out.push(cmp(Op::Lt, npm_v(ma, inc(mi)?, 0, "-0")?)),
                (Op::Le, None, _) => out.push(cmp(Op::Lt, npm_v(inc(ma)?, 0, 0, "-0")?)),
                (Op::Ne, _, _) => return Err("`!=` needs a full version".to_owned()),
            }
        }
    }
    Ok(())
}

/// One node-semver comparator set (no `||`).
fn npm(s: &str) -> Native {
    let inner = || -> Result<Alt, String> {
        let mut out = Vec::new();
        // Hyphen range `A - B`.
        if let Some((a, b)) = s.split_once(" - ") {
            let (a, b) = (partial(a.trim())?, partial(b.trim())?);
            if let Some(ma) = a.major {
                out.push(cmp(
                    Op::Ge,
                    npm_v(ma, a.minor.unwrap_or(0), a.patch.unwrap_or(0), &a.rest)?,
                ));
            }
            match (b.major, b.minor, b.patch) {
                (None, _, _) => {}
                (Some(ma), Some(mi), Some(pa)) => {
                    out.push(cmp(Op::Le, npm_v(ma, mi, pa, &b.rest)?))
                }
                (Some(ma), Some(mi), None) => {
                    out.push(cmp(Op::Lt, npm_v(ma, mi.saturating_add(1), 0, "-0")?))
                }
                (Some(ma), None, _) => {
                    out.push(cmp(Op::Lt, npm_v(ma.saturating_add(1), 0, 0, "-0")?))
                }
            }
            return Ok(Alt::Npm(out));
        }
        // Operators may be separated from their version by spaces: `>= 1.2`.
        let mut terms: Vec<String> = Vec::new();
        let mut pending = String::new();
        for tok in s.split_whitespace() {
            if tok
                .chars()
                .all(|c| matches!(c, '<' | '>' | '=' | '~' | '^'))
            {
                pending.push_str(tok);
                continue;
            }
            terms.push(format!("{pending}{tok}"));
            pending.clear();
        }
        if !pending.is_empty() {
            return Err(format!("operator `{pending}` without a version"));
        }
        for t in &terms {
            npm_term(t, &mut out)?;
        }
        Ok(Alt::Npm(out))
    };
    Some(inner().map(|a| vec![a]))
}

/// node-semver's `testSet`: every comparator holds, and a pre-release version only matches if
/// some comparator names a pre-release of the same `major.minor.patch`.
fn npm_set_matches(cs: &[Comparator], v: &Version) -> bool {
    if !cs.iter().all(|c| c.matches(v)) {
        return false;
    }
    let Some(nv) = v.key_npm() else {
        return false;
    };
    if !nv.is_prerelease() {
        return true;
    }
    cs.iter().any(|c| {
        c.version
            .key_npm()
            .is_some_and(|cv| cv.is_prerelease() && cv.release() == nv.release())
    })
}

// --- Composer -------------------------------------------------------------------------------

fn composer(s: &str) -> Native {
    let inner = || -> Result<Vec<Alt>, String> {
        let mut out = Vec::new();
        let s = s.trim();
        // Hyphen range.
        if let Some((a, b)) = s.split_once(" - ") {
            out.push(cmp(Op::Ge, composer_v(strip_flag(a.trim()), true)?));
            let b = strip_flag(b.trim());
            let parts = b.trim_start_matches(['v', 'V']).split('.').count();
            if parts < 3
                && b.bytes()
                    .all(|c| c.is_ascii_digit() || c == b'.' || c == b'v')
            {
                out.push(cmp(Op::Lt, composer_v(&composer_bump(b, parts)?, true)?));
            } else {
                out.push(cmp(Op::Le, composer_v(b, false)?));
            }
            return Ok(vec![Alt::All(out)]);
        }
        let mut pending = String::new();
        for tok in s.split([' ', ',']).filter(|t| !t.is_empty()) {
            if tok
                .chars()
                .all(|c| matches!(c, '<' | '>' | '=' | '!' | '~' | '^'))
            {
                pending.push_str(tok);
                continue;
            }
            let term = format!("{pending}{tok}");
            pending.clear();
            composer_term(strip_flag(&term), &mut out)?;
        }
        if !pending.is_empty() {
            return Err(format!("operator `{pending}` without a version"));
        }
        Ok(vec![Alt::All(out)])
    };
    Some(inner())
}

fn strip_flag(s: &str) -> &str {
    match s.rfind('@') {
        Some(i) => &s[..i],
        None => s,
    }
}

/// A version for a bound; `dev` bounds (`>=1.2` means `>=1.2.0.0-dev`) include the dev
/// pre-releases of a stable version.
fn composer_v(s: &str, dev: bool) -> Result<Version, String> {
    let n = crate::packagist::ComposerVersion::normalized(s)?;
    let t = if dev && !n.contains('-') {
        format!("{n}-dev")
    } else {
        n
    };
    parse_version(Scheme::Packagist, &t)
}

/// `1.2` → `1.3` (the next at the given number of parts).
fn composer_bump(s: &str, parts: usize) -> Result<String, String> {
    let mut nums: Vec<u64> = s
        .trim_start_matches(['v', 'V'])
        .split('.')
        .map(|p| {
            p.parse::<u64>()
                .map_err(|_| format!("`{s}` is not a version"))
        })
        .collect::<Result<_, _>>()?;
    nums.truncate(parts.max(1));
    let last = nums.len() - 1;
    nums[last] = nums[last].checked_add(1).ok_or("number too large")?;
    Ok(nums
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join("."))
}

fn composer_term(term: &str, out: &mut Vec<Comparator>) -> Result<(), String> {
    if matches!(term, "*" | "x" | "X" | "v*") {
        return Ok(());
    }
    let numeric = |s: &str| -> Result<Vec<u64>, String> {
        s.trim_start_matches(['v', 'V'])
            .split('.')
            .filter(|p| !matches!(*p, "*" | "x" | "X"))
            .map(|p| {
                p.parse::<u64>()
                    .map_err(|_| format!("`{s}` is not a version"))
            })
            .collect()
    };
    // Wildcards: `1.2.*`.
    if term.ends_with(".*") || term.ends_with(".x") || term.ends_with(".X") {
        let nums = numeric(term)?;
        let lo = nums
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".");
        out.push(cmp(Op::Ge, composer_v(&lo, true)?));
        out.push(cmp(
            Op::Lt,
            composer_v(&composer_bump(&lo, nums.len())?, true)?,
        ));
        return Ok(());
    }
    if let Some(v) = term.strip_prefix('^') {
        out.push(cmp(Op::Ge, composer_v(v, true)?));
        let nums = numeric(v.split(['-', '+']).next().unwrap_or(v))?;
        // The first non-zero part is the one that may not change.
        let pos = nums
            .iter()
            .position(|n| *n != 0)
            .unwrap_or(nums.len().saturating_sub(1));
        let upper = composer_bump(
            &nums
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join("."),
            pos + 1,
        )?;
        out.push(cmp(Op::Lt, composer_v(&upper, true)?));
        return Ok(());
    }
    if let Some(v) = term.strip_prefix("~>").or_else(|| term.strip_prefix('~')) {
        out.push(cmp(Op::Ge, composer_v(v, true)?));
        let nums = numeric(v.split(['-', '+']).next().unwrap_or(v))?;
        let keep = if nums.len() > 1 { nums.len() - 1 } else { 1 };
        let upper = composer_bump(
            &nums
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join("."),
            keep,
        )?;
        out.push(cmp(Op::Lt, composer_v(&upper, true)?));
        return Ok(());
    }
    let (op, rest) = split_op(term);
    let op = if op.is_empty() {
        Op::Eq
    } else {
        op.parse::<Op>()
            .map_err(|()| format!("unknown operator `{op}`"))?
    };
    let dev = matches!(op, Op::Lt | Op::Ge);
    out.push(cmp(op, composer_v(rest, dev)?));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(scheme: Scheme, req: &str, yes: &[&str], no: &[&str]) {
        let r = scheme.parse_req(req).unwrap_or_else(|e| panic!("{e}"));
        for v in yes {
            assert!(
                r.matches(&scheme.parse(v).unwrap()),
                "{req} should match {v}"
            );
        }
        for v in no {
            assert!(
                !r.matches(&scheme.parse(v).unwrap()),
                "{req} should not match {v}"
            );
        }
    }

    #[test]
    fn common_syntax_for_every_scheme() {
        ok(
            Scheme::Maven,
            ">=1.2, <2.0",
            &["1.2", "1.9.9", "2.0-rc1"],
            &["1.1", "2.0", "2"],
        );
        ok(Scheme::Maven, "=1.0", &["1", "1.0.0"], &["1.0.1"]);
        ok(Scheme::Maven, "1.0", &["1.0.0"], &["1.1"]);
        ok(Scheme::Debian, "!=1.0-1", &["1.0-2"], &["1.0-1"]);
        ok(Scheme::Debian, ">> 1.0", &["1.0-1"], &["1.0"]);
        ok(
            Scheme::Alpine,
            "<1.2 || >=2.0",
            &["1.1", "2.0-r1"],
            &["1.2", "1.9"],
        );
        ok(
            Scheme::Go,
            "*",
            &["v1.0.0", "v0.0.0-20210101000000-abcdef123456"],
            &[],
        );
        ok(
            Scheme::NuGet,
            ">=1.0, <2.0",
            &["1.0.0.0", "1.5-beta"],
            &["2.0"],
        );
        assert!(Scheme::Go.parse_req(">=x").is_err());
        assert!(Scheme::Go.parse_req("").is_err());
    }

    #[test]
    fn cargo_requirements() {
        ok(
            Scheme::SemVer,
            "1.2.3",
            &["1.2.3", "1.9.0"],
            &["2.0.0", "1.2.2", "1.3.0-alpha"],
        );
        ok(Scheme::SemVer, "~1.2", &["1.2.0", "1.2.9"], &["1.3.0"]);
        ok(
            Scheme::SemVer,
            ">=1.2, <1.5 || =2.0.0",
            &["1.4.0", "2.0.0"],
            &["1.5.0", "2.0.1"],
        );
        ok(Scheme::SemVer, "=1.0.0", &["1.0.0+build"], &["1.0.1"]);
    }

    #[test]
    fn npm_ranges() {
        ok(
            Scheme::Npm,
            "^1.2.3",
            &["1.2.3", "1.9.9"],
            &["2.0.0", "1.2.2", "1.5.0-beta"],
        );
        ok(Scheme::Npm, "^0.2.3", &["0.2.9"], &["0.3.0"]);
        ok(Scheme::Npm, "^0.0.3", &["0.0.3"], &["0.0.4"]);
        ok(Scheme::Npm, "~1.2", &["1.2.0", "1.2.99"], &["1.3.0"]);
        ok(
            Scheme::Npm,
            "1.x",
            &["1.0.0", "1.99.0"],
            &["2.0.0", "0.9.0"],
        );
        ok(
            Scheme::Npm,
            "1.2.3 - 2.3",
            &["1.2.3", "2.3.99"],
            &["2.4.0", "1.2.2"],
        );
        ok(
            Scheme::Npm,
            ">=1.2.3-beta.1 <2",
            &["1.2.3-beta.2", "1.5.0"],
            &["1.3.0-beta.1"],
        );
        ok(
            Scheme::Npm,
            "<1.2 || >= 3",
            &["1.1.9", "3.0.0"],
            &["1.2.0", "2.0.0"],
        );
        ok(Scheme::Npm, "*", &["1.0.0"], &["1.0.0-rc.1"]);
        ok(Scheme::Npm, "<=1.2", &["1.2.9"], &["1.3.0"]);
        ok(Scheme::Npm, ">1.2", &["1.3.0"], &["1.2.9"]);
    }

    #[test]
    fn pep440_specifiers() {
        ok(
            Scheme::PyPI,
            "~=1.4.2",
            &["1.4.2", "1.4.9"],
            &["1.5.0", "1.4.1"],
        );
        ok(Scheme::PyPI, "==1.*", &["1.0", "1.9.post1"], &["2.0"]);
        ok(
            Scheme::PyPI,
            ">=1.0,!=1.5",
            &["1.4", "1.6"],
            &["1.5", "0.9"],
        );
        ok(Scheme::PyPI, "1.0", &["1.0.0"], &["1.0.1"]);
    }

    #[test]
    fn maven_intervals() {
        ok(
            Scheme::Maven,
            "[1.0,2.0)",
            &["1.0", "1.5", "2.0-SNAPSHOT"],
            &["2.0", "0.9"],
        );
        ok(
            Scheme::Maven,
            "(,1.0],[1.2,)",
            &["0.1", "1.0", "1.2", "5"],
            &["1.1"],
        );
        ok(Scheme::Maven, "[1.5]", &["1.5.0"], &["1.5.1"]);
        ok(Scheme::NuGet, "(1.0,2.0]", &["2.0", "1.0.1"], &["1.0"]);
        assert!(Scheme::Maven.parse_req("[1.0,2.0").is_err());
        assert!(Scheme::Maven.parse_req("(1.0)").is_err());
    }

    #[test]
    fn rubygems_requirements() {
        ok(
            Scheme::RubyGems,
            "~> 2.1",
            &["2.1", "2.9.9"],
            &["3.0", "2.0"],
        );
        ok(
            Scheme::RubyGems,
            "~> 2.1.3",
            &["2.1.3", "2.1.9"],
            &["2.2", "2.1.2"],
        );
        ok(
            Scheme::RubyGems,
            "~> 2.1, >= 2.1.5",
            &["2.1.5", "2.5"],
            &["2.1.4"],
        );
        ok(Scheme::RubyGems, ">= 1.0, < 2", &["1.5"], &["2.0"]);
    }

    #[test]
    fn composer_constraints() {
        ok(
            Scheme::Packagist,
            "^1.2",
            &["1.2.0", "1.9", "v1.2.1"],
            &["2.0.0", "1.1.9"],
        );
        ok(Scheme::Packagist, "^0.3", &["0.3.5"], &["0.4.0"]);
        ok(Scheme::Packagist, "~1.2", &["1.2", "1.9.9"], &["2.0"]);
        ok(Scheme::Packagist, "~1.2.3", &["1.2.3", "1.2.9"], &["1.3.0"]);
        ok(Scheme::Packagist, "1.2.*", &["1.2.0", "1.2.99"], &["1.3.0"]);
        ok(
            Scheme::Packagist,
            ">=8.0 <9.5.11 || >=10.0,<10.1.8",
            &["8.9.19", "10.1.7"],
            &["9.5.11", "10.1.8"],
        );
        ok(Scheme::Packagist, "1.0 - 2.0", &["1.0", "2.0.9"], &["2.1"]);
        ok(Scheme::Packagist, "<2.0", &["1.9"], &["2.0", "2.0-beta"]);
        ok(Scheme::Packagist, "^1.2@dev", &["1.3.0"], &[]);
    }

    #[test]
    fn other_scheme_versions_are_reread() {
        let r = Scheme::Maven.parse_req("[1.0,2.0)").unwrap();
        assert!(r.matches(&Scheme::SemVer.parse("1.5.0").unwrap()));
    }
}
