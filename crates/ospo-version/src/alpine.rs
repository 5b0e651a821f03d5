//! Alpine versions: apk-tools' version comparison.
//!
//! `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}`: dot-separated numbers, an
//! optional single letter, any number of suffixes each with an optional number, an optional
//! `~` commit hash (ignored), and an optional `-rN` package revision. Suffixes `_alpha`, `_beta`,
//! `_pre`, `_rc` sort below the release, `_cvs`, `_svn`, `_git`, `_hg`, `_p` above. A number
//! after a dot with a leading zero compares as a decimal fraction (`1.01` < `1.1`, `1.001` <
//! `1.01`). When one version runs out, the other is greater unless its next token is a
//! pre-release suffix. There is no apk-tools on the machines that generate the vectors, so the
//! Alpine vectors are hand-written from apk-tools' rules (see the vector file's header).

use std::cmp::Ordering;

/// An apk version as its token list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApkVersion {
    tokens: Vec<Token>,
    pre: bool,
}

/// Token kinds in the order apk-tools ranks them when one version runs out of the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    RevisionNo,
    End,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Token {
    kind: Kind,
    value: Value,
}

/// A token's value: numbers unbounded; a leading-zero number is a fraction compared by digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Value {
    Int(crate::Num),
    /// Digits after `.0`: compared as a decimal fraction (string order, shorter padded).
    Fraction(Box<str>),
    Small(i32),
}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Fraction(a), Value::Fraction(b)) => a.cmp(b),
            (Value::Small(a), Value::Small(b)) => a.cmp(b),
            // A fraction (leading zero) is below any integer in the same place.
            (Value::Fraction(_), Value::Int(_)) => Ordering::Less,
            (Value::Int(_), Value::Fraction(_)) => Ordering::Greater,
            (Value::Small(_), _) => Ordering::Less,
            (_, Value::Small(_)) => Ordering::Greater,
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

impl ApkVersion {
    pub fn parse(s: &str) -> Result<ApkVersion, String> {
        let b = s.as_bytes();
        let mut tokens = Vec::new();
        let mut i = 0;
        let mut pre = false;
        // The first number.
        let n = digits(b, 0);
        if n == 0 {
            return Err("must start with a number".to_owned());
        }
        tokens.push(Token {
            kind: Kind::Digit,
            value: Value::Int(crate::Num::new(&s[..n])),
        });
        i += n;
        let mut last = Kind::Digit;
        while i < b.len() {
            let c = b[i];
            if c == b'.' && last == Kind::Digit {
                let n = digits(b, i + 1);
                if n == 0 {
                    return Err(format!("expected a number after `.` at {}", i + 1));
                }
                let d = &s[i + 1..i + 1 + n];
                let value = if d.starts_with('0') && d.len() > 1 {
                    Value::Fraction(d.trim_end_matches('0').into())
                } else if d.starts_with('0') {
                    Value::Fraction("0".into())
                } else {
                    Value::Int(crate::Num::new(d))
                };
                tokens.push(Token {
                    kind: Kind::Digit,
                    value,
                });
                i += 1 + n;
            } else if c.is_ascii_lowercase() && last == Kind::Digit {
                tokens.push(Token {
                    kind: Kind::Letter,
                    value: Value::Small(i32::from(c)),
                });
                last = Kind::Letter;
                i += 1;
            } else if c == b'_'
                && matches!(
                    last,
                    Kind::Digit | Kind::Letter | Kind::SuffixNo | Kind::Suffix
                )
            {
                let rest = &s[i + 1..];
                let (rank, len) =
                    if let Some(p) = PRE_SUFFIXES.iter().position(|x| rest.starts_with(x)) {
                        pre = true;
                        (p as i32 - PRE_SUFFIXES.len() as i32, PRE_SUFFIXES[p].len())
                    } else if let Some(p) = POST_SUFFIXES.iter().position(|x| rest.starts_with(x)) {
                        (p as i32, POST_SUFFIXES[p].len())
                    } else {
                        return Err(format!("unknown suffix at `{}`", &s[i..]));
                    };
                tokens.push(Token {
                    kind: Kind::Suffix,
                    value: Value::Small(rank),
                });
                i += 1 + len;
                last = Kind::Suffix;
                let n = digits(b, i);
                if n > 0 {
                    tokens.push(Token {
                        kind: Kind::SuffixNo,
                        value: Value::Int(crate::Num::new(&s[i..i + n])),
                    });
                    i += n;
                    last = Kind::SuffixNo;
                }
            } else if c == b'~' {
                // A commit hash: `~` and hex digits, not compared.
                let hex = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
                    .count();
                if hex == 0 {
                    return Err("empty commit hash after `~`".to_owned());
                }
                i += 1 + hex;
                last = Kind::RevisionNo;
                if i < b.len() && b[i] != b'-' {
                    return Err(format!("unexpected `{}` after the commit hash", &s[i..]));
                }
            } else if c == b'-' && b.get(i + 1) == Some(&b'r') && last != Kind::End {
                let n = digits(b, i + 2);
                if n == 0 {
                    return Err("expected a number after `-r`".to_owned());
                }
                tokens.push(Token {
                    kind: Kind::RevisionNo,
                    value: Value::Int(crate::Num::new(&s[i + 2..i + 2 + n])),
                });
                i += 2 + n;
                last = Kind::End;
            } else {
                return Err(format!("unexpected `{}` at {}", char::from(c), i));
            }
            if last == Kind::End && i < b.len() {
                return Err("text after the `-r` revision".to_owned());
            }
        }
        Ok(ApkVersion { tokens, pre })
    }

    pub fn is_prerelease(&self) -> bool {
        self.pre
    }
}

fn digits(b: &[u8], from: usize) -> usize {
    b.get(from..)
        .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.tokens, &other.tokens);
        let mut i = 0;
        while i < a.len() && i < b.len() {
            let (x, y) = (&a[i], &b[i]);
            if x.kind != y.kind {
                // Different kinds at the same place: the one further along apk's token order
                // is the lesser (a letter or suffix where the other has another number).
                return match (x.kind, y.kind) {
                    (Kind::Suffix, _) if is_pre_suffix(x) => Ordering::Less,
                    (_, Kind::Suffix) if is_pre_suffix(y) => Ordering::Greater,
                    _ => y.kind.cmp(&x.kind),
                };
            }
            match x.value.cmp(&y.value) {
                Ordering::Equal => {}
                o => return o,
            }
            i += 1;
        }
        // One ran out: it is smaller, unless the other continues with a pre-release suffix.
        match (a.get(i), b.get(i)) {
            (None, None) => Ordering::Equal,
            (Some(x), None) => {
                if is_pre_suffix(x) {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (None, Some(y)) => {
                if is_pre_suffix(y) {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Some(_), Some(_)) => Ordering::Equal,
        }
    }
}
impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn is_pre_suffix(t: &Token) -> bool {
    t.kind == Kind::Suffix && matches!(t.value, Value::Small(r) if r < 0)
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
            "1.0-r1",
            "1.0_p1",
            "1.0a",
            "1.0b",
            "1.0.1",
            "1.01",
            "1.1",
            "1.1_git20230101",
            "1.2",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
        assert!(p("1.001") < p("1.01"));
        assert!(p("1.2.3-r10") > p("1.2.3-r9"));
    }

    #[test]
    fn equalities_and_refusals() {
        assert_eq!(p("1.0-r0"), p("1.0-r0"));
        assert_eq!(p("1.2~abc123"), p("1.2"));
        for bad in [
            "",
            "a1",
            "1..2",
            "1.0_foo",
            "1.0-r",
            "1.0-r1-r2",
            "1.0-1",
            "1.0A",
            "1.0ab",
        ] {
            assert!(ApkVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
