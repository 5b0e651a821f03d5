//! Property tests: every scheme is a total order consistent with equality and hashing, on
//! versions drawn from the reference vectors and on generated ones; no input makes a parser,
//! a requirement parser or an evaluation panic.
#![allow(clippy::unwrap_used)]

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use ospo_version::{Event, Range, RangeKind, Scheme, Version, evaluate, fixes};
use proptest::prelude::*;

fn vector_file(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::SemVer => "semver.tsv",
        Scheme::Npm => "npm.tsv",
        Scheme::PyPI => "pypi.tsv",
        Scheme::Go => "go.tsv",
        Scheme::Maven => "maven.tsv",
        Scheme::NuGet => "nuget.tsv",
        Scheme::RubyGems => "rubygems.tsv",
        Scheme::Packagist => "packagist.tsv",
        Scheme::Debian => "debian.tsv",
        Scheme::Alpine => "alpine.tsv",
    }
}

/// Every distinct version text in a scheme's vectors.
fn pool(scheme: Scheme) -> &'static [String] {
    static POOLS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let pools = POOLS.get_or_init(|| {
        Scheme::ALL
            .iter()
            .map(|s| {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("testdata/vectors")
                    .join(vector_file(*s));
                let text = std::fs::read_to_string(path).unwrap();
                let mut v: Vec<String> = text
                    .lines()
                    .filter(|l| !l.starts_with('#'))
                    .flat_map(|l| l.split('\t').take(2).map(str::to_owned).collect::<Vec<_>>())
                    .filter(|v| !v.is_empty())
                    .collect();
                v.sort();
                v.dedup();
                v
            })
            .collect()
    });
    let i = Scheme::ALL.iter().position(|s| *s == scheme).unwrap();
    &pools[i]
}

/// Version-like text: digits, separators and the letters the schemes give meaning to.
fn generated() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        "[0-9]{1,3}",
        Just(".".to_owned()),
        Just("-".to_owned()),
        Just("+".to_owned()),
        Just("_".to_owned()),
        Just("~".to_owned()),
        Just(":".to_owned()),
        prop::sample::select(vec![
            "alpha",
            "beta",
            "rc",
            "a",
            "b",
            "c",
            "pre",
            "dev",
            "post",
            "SNAPSHOT",
            "sp",
            "ga",
            "final",
            "p",
            "pl",
            "patch",
            "r",
            "git",
            "v",
            "go",
            "incompatible",
            "x",
            "*",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(atom, 1..8).prop_map(|v| v.concat())
}

fn text(scheme: Scheme) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(pool(scheme).to_vec()),
        2 => "[0-9]{1,2}(\\.[0-9]{1,2}){0,3}".prop_map(|s| s),
        2 => generated(),
    ]
}

fn hash(v: &Version) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// Maven's ComparableVersion is not transitive when a qualifier sits inside a list, before
/// more items (`1.x-1` > `1` > `1-alpha` > `1.x-1`, as maven-artifact 3.9.9 itself says; see
/// `maven_is_intransitive_like_the_reference`). Such versions are left out of the transitivity
/// checks; every other law is checked on them too.
fn transitive_domain(scheme: Scheme, text: &str) -> bool {
    if scheme != Scheme::Maven {
        return true;
    }
    let t = text.to_ascii_lowercase();
    let b = t.as_bytes();
    // Well-formed: starts with a number, only letters, digits, `.` and `-`, no empty part. (A
    // leading qualifier or an empty version sits at the top level, where Maven orders it
    // inconsistently: `0-m1` < `.` < `+` < `0-m1`.)
    if !b.first().is_some_and(u8::is_ascii_digit)
        || !b
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'))
        || t.split(['.', '-']).any(str::is_empty)
    {
        return false;
    }
    // A null item (`0`, `ga`, `final`, `release`) before a `-` makes a list start with a list
    // (`1-release-SNAPSHOT`), which also breaks transitivity: `1` < `1-sp` <
    // `1-release-SNAPSHOT` < `1` in Maven.
    let segs: Vec<&str> = t.split('-').collect();
    if segs[..segs.len() - 1].iter().any(|s| {
        s.split('.').next_back().is_some_and(|last| {
            last.bytes().all(|c| c == b'0') || matches!(last, "ga" | "final" | "release")
        })
    }) {
        return false;
    }
    // `.<letters>` followed by `.` or `-`.
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'.' {
            let n = b[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            if n > 0 && matches!(b.get(i + 1 + n), Some(b'.' | b'-')) {
                return false;
            }
        }
        i += 1;
    }
    true
}

fn check_laws(scheme: Scheme, a: &str, b: &str, c: &str) -> Result<(), TestCaseError> {
    let transitive = [a, b, c].iter().all(|t| transitive_domain(scheme, t));
    let (Ok(a), Ok(b), Ok(c)) = (scheme.parse(a), scheme.parse(b), scheme.parse(c)) else {
        return Ok(());
    };
    for (x, y) in [(&a, &b), (&b, &c), (&a, &c)] {
        prop_assert_eq!(x.cmp(y), y.cmp(x).reverse(), "antisymmetry {} {}", x, y);
        prop_assert_eq!(
            x == y,
            x.cmp(y) == Ordering::Equal,
            "Eq agrees with Ord {} {}",
            x,
            y
        );
        if x == y {
            prop_assert_eq!(hash(x), hash(y), "equal versions hash alike: {} {}", x, y);
        }
    }
    prop_assert_eq!(a.cmp(&a), Ordering::Equal);
    if !transitive {
        return Ok(());
    }
    let mut v = [&a, &b, &c];
    v.sort();
    prop_assert!(v[0] <= v[2], "transitivity: {} {} {}", v[0], v[1], v[2]);
    prop_assert!(
        !(v[0] == v[1] && v[1] == v[2]) || v[0] == v[2],
        "equality is transitive"
    );
    Ok(())
}

macro_rules! laws {
    ($name:ident, $scheme:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1500))]
            #[test]
            fn $name(a in text($scheme), b in text($scheme), c in text($scheme)) {
                check_laws($scheme, &a, &b, &c)?;
            }
        }
    };
}

laws!(semver_is_a_total_order, Scheme::SemVer);
laws!(npm_is_a_total_order, Scheme::Npm);
laws!(pypi_is_a_total_order, Scheme::PyPI);
laws!(go_is_a_total_order, Scheme::Go);
laws!(maven_is_a_total_order, Scheme::Maven);
laws!(nuget_is_a_total_order, Scheme::NuGet);
laws!(rubygems_is_a_total_order, Scheme::RubyGems);
laws!(packagist_is_a_total_order, Scheme::Packagist);
laws!(debian_is_a_total_order, Scheme::Debian);
laws!(alpine_is_a_total_order, Scheme::Alpine);

/// Triples that share most of their text, where orderings are most likely to disagree.
fn close_triple() -> impl Strategy<Value = (String, String, String)> {
    ("[0-9]{1,2}", generated(), generated(), generated())
        .prop_map(|(p, a, b, c)| (format!("{p}{a}"), format!("{p}{b}"), format!("{p}{c}")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn close_versions_keep_the_laws((a, b, c) in close_triple(), i in 0..Scheme::ALL.len()) {
        check_laws(Scheme::ALL[i], &a, &b, &c)?;
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,40}", i in 0..Scheme::ALL.len()) {
        let scheme = Scheme::ALL[i];
        let _ = scheme.parse(&s);
        let _ = scheme.parse_req(&s);
        if let Ok(r) = scheme.parse_req(&s)
            && let Ok(v) = scheme.parse("1.0.0") {
                let _ = r.matches(&v);
            }
    }

    #[test]
    fn arbitrary_ranges_never_panic(
        events in prop::collection::vec((0..4u8, text(Scheme::PyPI)), 0..6),
        version in text(Scheme::PyPI),
        i in 0..Scheme::ALL.len(),
        kind in 0..3u8,
    ) {
        let scheme = Scheme::ALL[i];
        let range = Range {
            kind: [RangeKind::Semver, RangeKind::Ecosystem, RangeKind::Git][usize::from(kind)],
            events: events
                .into_iter()
                .map(|(k, v)| match k {
                    0 => Event::Introduced(v),
                    1 => Event::Fixed(v),
                    2 => Event::LastAffected(v),
                    _ => Event::Limit(v),
                })
                .collect(),
        };
        let _ = evaluate(scheme, &version, std::slice::from_ref(&range), &[]);
        let f = fixes(scheme, &version, &[range]);
        prop_assert!(f.iter().all(|x| scheme.parse(x).is_ok()));
        if f.iter().all(|x| transitive_domain(scheme, x)) {
            prop_assert!(f.windows(2).all(|w| scheme.parse(&w[0]).unwrap() < scheme.parse(&w[1]).unwrap()));
        }
    }
}

/// All pairs of a few hundred real versions per scheme, after sorting, are in order: a sort
/// only produces that when the order is transitive on them.
#[test]
fn sorted_real_versions_are_pairwise_ordered() {
    for scheme in Scheme::ALL {
        let mut vs: Vec<Version> = pool(*scheme)
            .iter()
            .step_by((pool(*scheme).len() / 400).max(1))
            .filter(|t| transitive_domain(*scheme, t))
            .filter_map(|t| scheme.parse(t).ok())
            .collect();
        assert!(vs.len() > 50, "{scheme}: {} versions", vs.len());
        vs.sort();
        for i in 0..vs.len() {
            for j in i + 1..vs.len() {
                assert!(vs[i] <= vs[j], "{scheme}: {} then {}", vs[i], vs[j]);
            }
        }
    }
}

#[test]
fn maven_is_intransitive_like_the_reference() {
    // maven-artifact 3.9.9: `1.x-1 > 1`, `1 > 1-alpha`, `1-alpha > 1.x-1`.
    let p = |s| Scheme::Maven.parse(s).unwrap();
    assert!(p("1.x-1") > p("1"));
    assert!(p("1") > p("1-alpha"));
    assert!(p("1-alpha") > p("1.x-1"));
    // And `1` < `1-sp` < `1-release-SNAPSHOT` < `1`.
    assert!(p("1") < p("1-sp"));
    assert!(p("1-sp") < p("1-release-SNAPSHOT"));
    assert!(p("1-release-SNAPSHOT") < p("1"));
    // And `0-m1` < `.` < `+` < `0-m1`.
    assert!(p("0-m1") < p("."));
    assert!(p(".") < p("+"));
    assert!(p("+") < p("0-m1"));
}
