//! Alpine versions: apk-tools' version comparison (apk-tools 2.x `version.c`).
//!
//! `number{.number}...{letter}{_suffix{number}}...{-rN}`. A version is read as a stream of
//! tokens, each with a type (number after a dot, number, letter, suffix, suffix number,
//! revision) and a value; two versions compare token by token while their token types agree.
//! Suffixes `_alpha`, `_beta`, `_pre`, `_rc` rank below the release and `_cvs`, `_svn`, `_git`,
//! `_hg`, `_p` above it. A number after a dot that starts with zeros and goes on with other
//! digits is read as minus the count of zeros followed by the rest (`1.01` < `1.1`, `1.001` <
//! `1.01`); a lone `0` is the number zero (apk-tools' own handling of a bare `0` could not be
//! checked here, and reading it as a zero run would put `1.0_alpha` above `1.0`). When the token types part,
//! a pre-release suffix is the smaller, otherwise the version whose next token type comes later
//! in the order number, letter, suffix, suffix number, revision, end is the smaller: so
//! `1.0_rc1` < `1.0` < `1.0-r1` < `1.0_p1` < `1.0a` < `1.0.1`. There is no apk-tools where the
//! vectors are generated, so the Alpine vectors are hand-written from these rules (see the
//! vector file's header).

use std::cmp::Ordering;

use crate::Num;

/// An apk version as its token stream.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApkVersion {
    tokens: Vec<(Type, Value)>,
    pre: bool,
}

/// Token types in apk-tools' order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Type {
    DigitOrZero,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    RevisionNo,
    End,
}

/// A token value: small integers (negative for zero runs and pre-release suffixes) and
/// unbounded numbers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Value {
    Small(i64),
    Big(Num),
}

impl Value {
    fn number(digits: &str) -> Value {
        let t = digits.trim_start_matches('0');
        if t.len() <= 18 {
            Value::Small(t.parse::<i64>().unwrap_or(0))
        } else {
            Value::Big(Num::new(t))
        }
    }
}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Value::Small(a), Value::Small(b)) => a.cmp(b),
            (Value::Small(_), Value::Big(_)) => Ordering::Less,
            (Value::Big(_), Value::Small(_)) => Ordering::Greater,
            (Value::Big(a), Value::Big(b)) => a.cmp(b),
        }
    }
}
impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

const PRE_SUFFIXES: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn rest(&self) -> &[u8] {
        self.s.get(self.pos..).unwrap_or_default()
    }

    fn digits(&mut self) -> Value {
        let n = self
            .rest()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let value = Value::number(std::str::from_utf8(&self.rest()[..n]).unwrap_or("0"));
        self.pos += n;
        value
    }

    /// Reads the token of type `ty`; returns its value and the type of the next token
    /// (`None`: invalid).
    fn token(&mut self, ty: Type) -> (Value, Option<Type>) {
        let mut next = None;
        let value = match ty {
            Type::DigitOrZero if leading_zeros(self.rest()) > 0 => {
                let zeros = leading_zeros(self.rest());
                self.pos += zeros;
                next = Some(Type::Digit);
                Value::Small(-(zeros.min(i64::MAX as usize) as i64))
            }
            Type::DigitOrZero | Type::Digit | Type::SuffixNo | Type::RevisionNo => self.digits(),
            Type::Letter => {
                let c = self.rest().first().copied().unwrap_or(0);
                self.pos += 1;
                Value::Small(i64::from(c))
            }
            Type::Suffix => {
                let rest = self.rest();
                if let Some(i) = PRE_SUFFIXES
                    .iter()
                    .position(|x| rest.starts_with(x.as_bytes()))
                {
                    self.pos += PRE_SUFFIXES[i].len();
                    next = Some(Type::SuffixNo);
                    Value::Small(i as i64 - PRE_SUFFIXES.len() as i64)
                } else if let Some(i) = POST_SUFFIXES
                    .iter()
                    .position(|x| rest.starts_with(x.as_bytes()))
                {
                    self.pos += POST_SUFFIXES[i].len();
                    next = Some(Type::SuffixNo);
                    Value::Small(i as i64)
                } else {
                    return (Value::Small(0), None);
                }
            }
            Type::End => return (Value::Small(0), Some(Type::End)),
        };
        if self.rest().is_empty() {
            return (value, Some(Type::End));
        }
        if next.is_some() {
            return (value, next);
        }
        (value, self.next_type(ty))
    }

    /// apk-tools' `next_token`: the type of the next token, consuming its separator.
    fn next_type(&mut self, ty: Type) -> Option<Type> {
        let c = *self.rest().first()?;
        let n = if matches!(ty, Type::Digit | Type::DigitOrZero) && c.is_ascii_lowercase() {
            Some(Type::Letter)
        } else if ty == Type::Letter && c.is_ascii_digit() {
            Some(Type::Digit)
        } else if ty == Type::Suffix && c.is_ascii_digit() {
            Some(Type::SuffixNo)
        } else {
            let n = match c {
                b'.' => Some(Type::DigitOrZero),
                b'_' => Some(Type::Suffix),
                b'-' if self.rest().get(1) == Some(&b'r') => {
                    self.pos += 1;
                    Some(Type::RevisionNo)
                }
                _ => None,
            };
            self.pos += 1;
            n
        };
        let n = n?;
        if n < ty {
            let allowed = (n == Type::DigitOrZero && ty == Type::Digit)
                || (n == Type::Suffix && ty == Type::SuffixNo)
                || (n == Type::Digit && ty == Type::Letter);
            if !allowed {
                return None;
            }
        }
        Some(n)
    }
}

/// The zeros that start a number followed by more digits (`01`, `007`; not `0` or `00`).
fn leading_zeros(s: &[u8]) -> usize {
    let zeros = s.iter().take_while(|c| **c == b'0').count();
    if s.get(zeros).is_some_and(u8::is_ascii_digit) {
        zeros
    } else {
        0
    }
}

impl ApkVersion {
    pub fn parse(s: &str) -> Result<ApkVersion, String> {
        if s.is_empty() {
            return Err("empty version".to_owned());
        }
        if !s.starts_with(|c: char| c.is_ascii_digit()) {
            return Err("must start with a number".to_owned());
        }
        let mut lx = Lexer {
            s: s.as_bytes(),
            pos: 0,
        };
        let mut tokens = Vec::new();
        let mut ty = Type::Digit;
        let mut pre = false;
        while ty != Type::End {
            let (value, next) = lx.token(ty);
            if ty == Type::Suffix && matches!(value, Value::Small(v) if v < 0) {
                pre = true;
            }
            tokens.push((ty, value));
            ty = next.ok_or_else(|| {
                let at = s
                    .as_bytes()
                    .get(lx.pos.saturating_sub(1)..)
                    .unwrap_or_default();
                format!("invalid at `{}`", String::from_utf8_lossy(at))
            })?;
        }
        Ok(ApkVersion { tokens, pre })
    }

    pub fn is_prerelease(&self) -> bool {
        self.pre
    }

    fn ty(&self, i: usize) -> Type {
        self.tokens.get(i).map_or(Type::End, |t| t.0)
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let mut i = 0;
        while self.ty(i) == other.ty(i) && self.ty(i) != Type::End {
            match self.tokens[i].1.cmp(&other.tokens[i].1) {
                Ordering::Equal => i += 1,
                o => return o,
            }
        }
        let (a, b) = (self.ty(i), other.ty(i));
        if a == b {
            return Ordering::Equal;
        }
        let pre_suffix = |v: &ApkVersion| matches!(v.tokens.get(i), Some((Type::Suffix, Value::Small(x))) if *x < 0);
        if pre_suffix(self) {
            return Ordering::Less;
        }
        if pre_suffix(other) {
            return Ordering::Greater;
        }
        b.cmp(&a)
    }
}
impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ApkVersion {
        ApkVersion::parse(s).unwrap()
    }

    #[test]
    fn ordering() {
        let chain = [
            "1.0_alpha",
            "1.0_alpha1",
            "1.0_beta",
            "1.0_pre1",
            "1.0_rc1",
            "1.0",
            "1.0-r0",
            "1.0-r1",
            "1.0_cvs1",
            "1.0_p1",
            "1.0a",
            "1.0b",
            "1.0.0",
            "1.0.1",
            "1.1",
            "1.1_git20230101",
            "1.2",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
        assert!(p("1.2.3-r10") > p("1.2.3-r9"));
        assert!(p("1.001") < p("1.01") && p("1.01") < p("1.010") && p("1.010") < p("1.1"));
        assert_eq!(p("1.00"), p("1.0"));
        assert!(p("1.0_rc") < p("1.0_rc1"));
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "a1",
            "1.0_foo",
            "1.0-1",
            "1.0A",
            "1.0a.1",
            "1.0-r1_p1",
            "1.0-r1.1",
            "1.0~abc",
        ] {
            assert!(ApkVersion::parse(bad).is_err(), "{bad}");
        }
        assert!(
            ApkVersion::parse("1.0-r").is_ok(),
            "apk reads an empty revision as 0"
        );
    }
}
