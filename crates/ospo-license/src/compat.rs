//! Outbound compatibility: the project's own licence against each dependency's, by the rules of
//! `data/compat.toml` (exact pairs first, then classes), each with its reason and source.
//!
//! A project offered under `A OR B` must be able to honour every option it offers, so each of
//! its terms is checked and the worst verdict counts; a dependency under `A OR B` is used under
//! the side that fits best. `AND` takes the worst on either side.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::classes::{self, Class};
use crate::expr::{Expr, Term};

/// How well a dependency's licence fits the project's, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Ok,
    /// Allowed with a condition (weak copyleft kept separate, the "or later" option taken).
    Caveat,
    /// ospo cannot tell: review by hand.
    Unknown,
    /// The dependency is not open source: its terms restrict use.
    Restricted,
    Incompatible,
}

/// A verdict with the pair of licences it is about and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Compatibility {
    pub verdict: Verdict,
    /// The project's licence term the verdict is about.
    pub project: String,
    /// The dependency's licence term the verdict is about.
    pub dependency: String,
    pub reason: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
}

#[derive(Deserialize)]
struct Rule {
    project: Vec<String>,
    dependency: Vec<String>,
    verdict: Verdict,
    reason: String,
    source: String,
}

#[derive(Deserialize)]
struct Rules {
    pair: Vec<Rule>,
    class: Vec<Rule>,
}

const COMPAT: &str = include_str!("../data/compat.toml");

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    // Checked by the tests; a broken file means no rules (every verdict unknown), never a panic.
    RULES.get_or_init(|| {
        toml::from_str(COMPAT).unwrap_or(Rules {
            pair: Vec::new(),
            class: Vec::new(),
        })
    })
}

/// One licence against another.
pub fn check_terms(project: &Term, dependency: &Term) -> Compatibility {
    let verdict = |v: Verdict, reason: &str, source: &str| Compatibility {
        verdict: v,
        project: project.to_string(),
        dependency: dependency.to_string(),
        reason: reason.to_owned(),
        source: source.to_owned(),
    };
    if project.id == dependency.id && !dependency.is_ref() {
        return verdict(Verdict::Ok, "the same licence", "");
    }
    let r = rules();
    if let Some(rule) = r
        .pair
        .iter()
        .find(|rule| rule.project.contains(&project.id) && rule.dependency.contains(&dependency.id))
    {
        return verdict(rule.verdict, &rule.reason, &rule.source);
    }
    let pc = match classes::class_of_term(project) {
        // Code with no licence is all rights reserved.
        Class::Unknown if project.is_ref() => Class::Proprietary,
        c => c,
    };
    let dc = classes::class_of_term(dependency);
    match r.class.iter().find(|rule| {
        rule.project.iter().any(|p| p == pc.name())
            && rule.dependency.iter().any(|d| d == dc.name())
    }) {
        Some(rule) => verdict(rule.verdict, &rule.reason, &rule.source),
        None => verdict(
            Verdict::Unknown,
            "no rule covers this pair: review it by hand",
            "",
        ),
    }
}

/// The project's licence (an expression, or `None` when it has none: all rights reserved)
/// against a dependency's.
pub fn check(project: Option<&Expr>, dependency: &Expr) -> Compatibility {
    let none = Term::new(classes::PROPRIETARY_REF);
    let project_terms: Vec<&Term> = match project {
        Some(e) => e.terms(),
        None => vec![&none],
    };
    project_terms
        .into_iter()
        .map(|p| against(p, dependency))
        .max_by_key(|c| c.verdict)
        .unwrap_or_else(|| against(&none, dependency))
}

fn against(project: &Term, dependency: &Expr) -> Compatibility {
    match dependency {
        Expr::License(t) => check_terms(project, t),
        Expr::Or(parts) => best(parts.iter().map(|d| against(project, d)), false),
        Expr::And(parts) => best(parts.iter().map(|d| against(project, d)), true),
    }
}

/// The best (or, `worst`, the worst) verdict; ties go to the first.
fn best(it: impl Iterator<Item = Compatibility>, worst: bool) -> Compatibility {
    let mut out: Option<Compatibility> = None;
    for c in it {
        let better = match &out {
            None => true,
            Some(o) if worst => c.verdict > o.verdict,
            Some(o) => c.verdict < o.verdict,
        };
        if better {
            out = Some(c);
        }
    }
    out.unwrap_or(Compatibility {
        verdict: Verdict::Unknown,
        project: String::new(),
        dependency: String::new(),
        reason: "nothing to compare".into(),
        source: String::new(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::expr::parse_strict;

    fn verdict(project: &str, dep: &str) -> Verdict {
        let p = (!project.is_empty()).then(|| parse_strict(project).unwrap().expr);
        check(p.as_ref(), &parse_strict(dep).unwrap().expr).verdict
    }

    #[test]
    fn rules_parse_and_name_real_ids_and_classes() {
        let r: Rules = toml::from_str(COMPAT).unwrap();
        for rule in &r.pair {
            for id in rule.project.iter().chain(&rule.dependency) {
                assert!(classes::info(id).is_some_and(|i| !i.deprecated), "{id}");
            }
            assert!(!rule.source.is_empty(), "{:?}", rule.project);
        }
        let names: Vec<&str> = Class::ALL.iter().map(|c| c.name()).collect();
        for rule in &r.class {
            for c in rule.project.iter().chain(&rule.dependency) {
                assert!(names.contains(&c.as_str()), "{c}");
            }
        }
        // The class rules cover every pair of classes.
        for p in Class::ALL {
            for d in Class::ALL {
                assert!(
                    r.class
                        .iter()
                        .any(|rule| rule.project.iter().any(|x| x == p.name())
                            && rule.dependency.iter().any(|x| x == d.name())),
                    "{p} × {d}"
                );
            }
        }
    }

    #[test]
    fn compatibility_matrix() {
        use Verdict::*;
        for (project, dep, want) in [
            ("MIT", "MIT", Ok),
            ("MIT", "Apache-2.0", Ok),
            ("Apache-2.0", "BSD-3-Clause", Ok),
            ("Apache-2.0", "GPL-3.0-only", Incompatible),
            ("Apache-2.0", "GPL-2.0-only", Incompatible),
            ("MIT", "GPL-2.0-or-later", Incompatible),
            ("MIT", "AGPL-3.0-only", Incompatible),
            ("GPL-3.0-only", "AGPL-3.0-only", Caveat),
            ("MIT", "LGPL-2.1-only", Caveat),
            ("Apache-2.0", "MPL-2.0", Caveat),
            ("GPL-2.0-only", "Apache-2.0", Incompatible),
            ("GPL-3.0-only", "Apache-2.0", Ok),
            ("GPL-2.0-or-later", "Apache-2.0", Caveat),
            ("GPL-2.0-only", "GPL-3.0-only", Incompatible),
            ("GPL-3.0-or-later", "GPL-2.0-only", Incompatible),
            ("GPL-3.0-or-later", "GPL-2.0-or-later", Ok),
            ("GPL-2.0-only", "LGPL-2.1-only", Ok),
            ("GPL-3.0-only", "MPL-2.0", Ok),
            (
                "GPL-3.0-only",
                "MPL-2.0-no-copyleft-exception",
                Incompatible,
            ),
            ("GPL-2.0-only", "EPL-2.0", Incompatible),
            ("GPL-3.0-only", "CDDL-1.0", Incompatible),
            ("AGPL-3.0-only", "GPL-3.0-only", Ok),
            ("MIT", "SSPL-1.0", Restricted),
            ("MIT", "CC-BY-NC-4.0", Restricted),
            ("MIT", "LicenseRef-ospo-proprietary", Restricted),
            ("MIT", "LicenseRef-acme", Unknown),
            ("EUPL-1.2", "GPL-3.0-only", Unknown),
            // Dependency choices: the side that fits.
            ("MIT", "GPL-3.0-only OR MIT", Ok),
            ("MIT", "GPL-3.0-only AND MIT", Incompatible),
            ("Apache-2.0", "MIT OR Apache-2.0", Ok),
            // A dual-licensed project must honour both options.
            ("MIT OR GPL-2.0-only", "Apache-2.0", Incompatible),
            ("MIT OR Apache-2.0", "LGPL-3.0-only", Caveat),
            // No licence: all rights reserved.
            ("", "GPL-3.0-only", Incompatible),
            ("", "MIT", Ok),
            ("", "LGPL-3.0-only", Caveat),
            // Linking exceptions weaken the copyleft.
            (
                "Apache-2.0",
                "GPL-2.0-only WITH Classpath-exception-2.0",
                Caveat,
            ),
        ] {
            assert_eq!(verdict(project, dep), want, "{project:?} with {dep:?}");
        }
    }

    #[test]
    fn verdicts_name_the_terms_and_cite() {
        let c = check(
            Some(&parse_strict("Apache-2.0").unwrap().expr),
            &parse_strict("MIT AND GPL-2.0-only").unwrap().expr,
        );
        assert_eq!(c.project, "Apache-2.0");
        assert_eq!(c.dependency, "GPL-2.0-only");
        assert!(c.source.contains("gnu.org"), "{}", c.source);
    }
}
