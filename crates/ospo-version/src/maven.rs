//! Maven versions: `ComparableVersion` as Maven 3.9 orders them.
//!
//! A version is lower-cased and split into a tree of items: numbers, qualifiers (strings) and
//! lists. `.` separates items of one list; `-`, and every switch between letters and digits,
//! opens a nested list (since 3.9 `1.0.0.RC1` is `1-rc-1`). Qualifiers order
//! `alpha` (`a1`) < `beta` (`b1`) < `milestone` (`m1`) < `rc` = `cr` < `snapshot` < release
//! (``, `ga`, `final`, `release`) < `sp` < any other qualifier (alphabetically) < any number.
//! Trailing "null" items (`0`, the release qualifiers, empty lists) are dropped, so `1.0` == `1`
//! == `1-ga` and `1.0-alpha` == `1-alpha`. Any text is a version. Differences from Java: only
//! ASCII digits count as digits. Reference: `org.apache.maven.artifact.versioning.
//! ComparableVersion` from maven-artifact 3.9.9.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use crate::Num;

/// A Maven version as ComparableVersion's item tree.
#[derive(Clone, Debug)]
pub struct MavenVersion {
    items: Vec<Item>,
}

#[derive(Clone, Debug)]
enum Item {
    Int(Num),
    Str(Qualifier),
    List(Vec<Item>),
}

/// A qualifier after aliasing: a well-known one by its rank, or any other text (ranked above
/// all well-known ones, alphabetically among themselves).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Qualifier {
    Known(u8),
    Other(Box<str>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE: u8 = 5;

impl Qualifier {
    fn new(text: &str, followed_by_digit: bool) -> Qualifier {
        let text = match (followed_by_digit, text) {
            (true, "a") => "alpha",
            (true, "b") => "beta",
            (true, "m") => "milestone",
            (_, "ga" | "final" | "release") => "",
            (_, "cr") => "rc",
            (_, t) => t,
        };
        match QUALIFIERS.iter().position(|q| *q == text) {
            // The position is below 7.
            Some(i) => Qualifier::Known(i as u8),
            None => Qualifier::Other(text.into()),
        }
    }

    fn is_null(&self) -> bool {
        *self == Qualifier::Known(RELEASE)
    }

    fn is_pre(&self) -> bool {
        matches!(self, Qualifier::Known(i) if *i < RELEASE)
    }

    fn cmp(&self, other: &Qualifier) -> Ordering {
        match (self, other) {
            (Qualifier::Known(a), Qualifier::Known(b)) => a.cmp(b),
            (Qualifier::Known(_), Qualifier::Other(_)) => Ordering::Less,
            (Qualifier::Other(_), Qualifier::Known(_)) => Ordering::Greater,
            // Java compares strings by UTF-16 code units.
            (Qualifier::Other(a), Qualifier::Other(b)) => a.encode_utf16().cmp(b.encode_utf16()),
        }
    }
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Int(n) => n.is_zero(),
            Item::Str(q) => q.is_null(),
            Item::List(l) => l.is_empty(),
        }
    }

    /// Compares with a missing item (the other list ran out).
    fn cmp_null(&self) -> Ordering {
        match self {
            Item::Int(n) => {
                if n.is_zero() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            Item::Str(q) => q.cmp(&Qualifier::Known(RELEASE)),
            Item::List(l) => l
                .iter()
                .map(Item::cmp_null)
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal),
        }
    }

    fn cmp(&self, other: &Item) -> Ordering {
        match (self, other) {
            (Item::Int(a), Item::Int(b)) => a.cmp(b),
            (Item::Int(_), _) => Ordering::Greater,
            (Item::Str(_), Item::Int(_)) => Ordering::Less,
            (Item::Str(a), Item::Str(b)) => a.cmp(b),
            (Item::Str(_), Item::List(_)) => Ordering::Less,
            (Item::List(_), Item::Int(_)) => Ordering::Less,
            (Item::List(_), Item::Str(_)) => Ordering::Greater,
            (Item::List(a), Item::List(b)) => cmp_lists(a, b),
        }
    }
}

fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let r = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(x), None) => x.cmp_null(),
            (None, Some(y)) => y.cmp_null().reverse(),
            (None, None) => Ordering::Equal,
        };
        if r != Ordering::Equal {
            return r;
        }
    }
    Ordering::Equal
}

/// Drops trailing null items, looking past trailing lists (`1.0-alpha` → `1-alpha`).
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

fn parse_item(is_digit: bool, buf: &str) -> Item {
    if is_digit {
        Item::Int(Num::new(buf))
    } else {
        Item::Str(Qualifier::new(buf, false))
    }
}

impl MavenVersion {
    /// Any non-empty text is a Maven version.
    pub fn parse(s: &str) -> Result<MavenVersion, String> {
        if s.trim().is_empty() {
            return Err("empty version".to_owned());
        }
        Ok(MavenVersion {
            items: parse_items(s),
        })
    }

    /// Whether a qualifier below the release (`alpha`, `beta`, `milestone`, `rc`, `snapshot`)
    /// appears anywhere.
    pub fn is_prerelease(&self) -> bool {
        fn any_pre(items: &[Item]) -> bool {
            items.iter().any(|i| match i {
                Item::Str(q) => q.is_pre(),
                Item::List(l) => any_pre(l),
                Item::Int(_) => false,
            })
        }
        any_pre(&self.items)
    }
}

fn parse_items(version: &str) -> Vec<Item> {
    let v = version.to_lowercase();
    // A stack of open lists: each list is the last item of the one below it.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0usize;
    for (i, c) in v.char_indices() {
        if c == '.' || c == '-' {
            let item = if i == start {
                Item::Int(Num::new("0"))
            } else {
                parse_item(is_digit, &v[start..i])
            };
            add(&mut stack, item);
            start = i + 1;
            if c == '-' {
                stack.push(Vec::new());
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // `.X1` is treated as `-X1`.
                if !top_is_empty(&stack) {
                    stack.push(Vec::new());
                }
                add(&mut stack, Item::Str(Qualifier::new(&v[start..i], true)));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                add(&mut stack, parse_item(true, &v[start..i]));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if v.len() > start {
        if !is_digit && !top_is_empty(&stack) {
            stack.push(Vec::new());
        }
        add(&mut stack, parse_item(is_digit, &v[start..]));
    }
    // Close the lists from the innermost out, normalising each.
    let mut inner: Option<Vec<Item>> = None;
    while let Some(mut list) = stack.pop() {
        if let Some(child) = inner.take() {
            list.push(Item::List(child));
        }
        normalize(&mut list);
        inner = Some(list);
    }
    inner.unwrap_or_default()
}

fn add(stack: &mut [Vec<Item>], item: Item) {
    if let Some(top) = stack.last_mut() {
        top.push(item);
    }
}

fn top_is_empty(stack: &[Vec<Item>]) -> bool {
    stack.last().is_none_or(Vec::is_empty)
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for MavenVersion {}
impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}
impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Hash for MavenVersion {
    /// Equal versions have equal leading runs of numbers once trailing zeros are dropped (a
    /// number never equals a qualifier or a list, and only a zero equals a missing item), so
    /// that run is hashed; the rest decides equality but not the hash.
    fn hash<H: Hasher>(&self, state: &mut H) {
        let ints: Vec<&Num> = self
            .items
            .iter()
            .map_while(|i| match i {
                Item::Int(n) => Some(n),
                _ => None,
            })
            .collect();
        let keep = ints.iter().rposition(|n| !n.is_zero()).map_or(0, |p| p + 1);
        for n in &ints[..keep] {
            n.hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> MavenVersion {
        MavenVersion::parse(s).unwrap()
    }

    #[test]
    fn qualifier_order() {
        let chain = [
            "1-alpha1",
            "1-alpha2",
            "1-beta1",
            "1-milestone1",
            "1-rc1",
            "1-snapshot",
            "1",
            "1-sp1",
            "1-abc",
            "1-xyz",
            "1.0.1",
            "1.1",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn equalities() {
        for (a, b) in [
            ("1.0", "1"),
            ("1.0.0", "1"),
            ("1-ga", "1"),
            ("1.final", "1"),
            ("1-RELEASE", "1"),
            ("1.0-alpha", "1-alpha"),
            ("1-cr1", "1-rc1"),
            ("1.a1", "1-alpha-1"),
            ("1.0.0.RC1", "1-rc-1"),
            ("1-ALPHA", "1-alpha"),
            ("1.0010", "1.10"),
        ] {
            assert_eq!(p(a), p(b), "{a} == {b}");
        }
        assert_ne!(p("1-a"), p("1-alpha"), "`a` is alpha only before a digit");
    }

    #[test]
    fn structure() {
        let v = p("1-2.3foo4.5");
        assert_eq!(v.items.len(), 2);
        assert!(p("1.0.0.x1") < p("1.0.0-x2"));
        assert!(p("1.2.3-SNAPSHOT").is_prerelease());
        assert!(!p("1.2.3.Final").is_prerelease());
        assert!(MavenVersion::parse(" ").is_err());
    }
}
