//! The concluded licence of a component (or a project), from what is declared and what is
//! detected in its files:
//!
//! - both, and they agree (the detected licences are among the declared ones): the declared
//!   expression, which carries the operators the files cannot;
//! - only one of them: that one;
//! - both, and they disagree: the declared expression, with a `mismatch` note naming both (the
//!   declaration is the authors' statement; the extra texts may be bundled third-party code);
//! - neither: `NOASSERTION`.
//!
//! Several declared licences are combined by [`combine_declared`]; several detected texts with
//! `AND`, since files do not say whether they are alternatives.

use ospo_model::Ecosystem;
use serde::Serialize;

use crate::detect::MatchKind;
use crate::expr::{self, Expr};
use crate::normalise::{How, Normalised};

/// Detected matches below this confidence are listed but not used to conclude.
pub const MIN_CONFIDENCE: f32 = 0.8;

/// A licence found in a file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detected {
    pub expression: String,
    /// The file, relative to the repository (absolute for files in a cache).
    pub file: std::path::PathBuf,
    pub confidence: f32,
    pub kind: MatchKind,
    pub start_line: u32,
    pub end_line: u32,
}

impl Detected {
    /// Whether it counts for the conclusion: confident, and a whole text, header or tag (a
    /// passing mention of a licence name does not).
    pub fn counts(&self) -> bool {
        self.confidence >= MIN_CONFIDENCE && self.kind != MatchKind::Reference
    }
}

/// How the concluded licence was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Declared and detected agree.
    Agreed,
    /// Only declared.
    Declared,
    /// Only detected.
    Detected,
    /// Declared and detected disagree: the declared one is kept.
    Mismatch,
    /// The project's own licence (a root package that declares none).
    Project,
    /// Said by the policy (`[[licenses.clarify]]`): the metadata is wrong or missing and a
    /// person has read the package.
    Clarified,
    /// Nothing known: `NOASSERTION`.
    None,
}

/// The conclusion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conclusion {
    pub expression: Option<Expr>,
    pub basis: Basis,
    pub notes: Vec<String>,
}

impl Conclusion {
    /// The expression as SPDX writes it, or `NOASSERTION`.
    pub fn text(&self) -> String {
        self.expression
            .as_ref()
            .map_or_else(|| "NOASSERTION".to_owned(), ToString::to_string)
    }
}

/// One expression from several declared licences of one component. A Python trove classifier
/// only counts when no other declaration resolves (PEP 639: `License-Expression` supersedes
/// them). Composer's list of licences means a choice (`OR`, as its documentation says); any
/// other list is combined with `AND` (the files do not say whether they are alternatives, and
/// `AND` keeps every obligation), with a note.
pub fn combine_declared(
    ecosystem: Ecosystem,
    declared: &[&Normalised],
) -> (Option<Expr>, Vec<String>) {
    let resolved: Vec<&Normalised> = declared
        .iter()
        .copied()
        .filter(|n| n.expr.is_some())
        .collect();
    let primary: Vec<&Normalised> = resolved
        .iter()
        .copied()
        .filter(|n| n.how != How::Classifier)
        .collect();
    let used = if primary.is_empty() {
        resolved
    } else {
        primary
    };
    let mut exprs: Vec<Expr> = Vec::new();
    for n in used {
        if let Some(e) = &n.expr
            && !exprs.contains(e)
        {
            exprs.push(e.clone());
        }
    }
    // A plain id that another declaration already contains adds nothing ("MIT" beside
    // "MIT OR Apache-2.0" from the classifiers of the same package).
    let snapshot = exprs.clone();
    exprs.retain(|e| {
        !matches!(e, Expr::License(_))
            || !snapshot.iter().any(|o| {
                o != e
                    && !matches!(o, Expr::License(_))
                    && e.terms().first().is_some_and(|t| o.terms().contains(t))
            })
    });
    let mut notes = Vec::new();
    let expr = match exprs.len() {
        0 => None,
        1 => exprs.pop(),
        _ if ecosystem == Ecosystem::Packagist => Some(Expr::or(exprs)),
        _ => {
            let e = Expr::and(exprs);
            notes.push(format!(
                "several licences declared; read together as `{e}` (the files do not say whether they are alternatives)"
            ));
            Some(e)
        }
    };
    (expr, notes)
}

/// Concludes from the declared expression and the detected licences.
pub fn conclude(declared: Option<&Expr>, detected: &[Detected]) -> Conclusion {
    let mut found: Vec<Expr> = Vec::new();
    for d in detected.iter().filter(|d| d.counts()) {
        if let Ok(p) = expr::parse_strict(&d.expression)
            && !found.contains(&p.expr)
        {
            found.push(p.expr);
        }
    }
    let detected_expr = (!found.is_empty()).then(|| Expr::and(found));
    match (declared, detected_expr) {
        (None, None) => Conclusion {
            expression: None,
            basis: Basis::None,
            notes: Vec::new(),
        },
        (Some(d), None) => Conclusion {
            expression: Some(d.clone()),
            basis: Basis::Declared,
            notes: Vec::new(),
        },
        (None, Some(f)) => {
            let notes = if matches!(f, Expr::And(_)) {
                vec![format!(
                    "several licence texts found; read together as `{f}`"
                )]
            } else {
                Vec::new()
            };
            Conclusion {
                expression: Some(f),
                basis: Basis::Detected,
                notes,
            }
        }
        (Some(d), Some(f)) => {
            let declared_terms = d.term_set();
            if f.term_set().is_subset(&declared_terms) {
                Conclusion {
                    expression: Some(d.clone()),
                    basis: Basis::Agreed,
                    notes: Vec::new(),
                }
            } else {
                Conclusion {
                    expression: Some(d.clone()),
                    basis: Basis::Mismatch,
                    notes: vec![format!("declared `{d}` but the files hold `{f}`")],
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::normalise::normalise;

    fn det(e: &str, confidence: f32, kind: MatchKind) -> Detected {
        Detected {
            expression: e.into(),
            file: "LICENSE".into(),
            confidence,
            kind,
            start_line: 1,
            end_line: 20,
        }
    }

    fn e(s: &str) -> Expr {
        expr::parse_strict(s).unwrap().expr
    }

    #[test]
    fn conclusions() {
        let mit = det("MIT", 0.99, MatchKind::Text);
        let apache = det("Apache-2.0", 0.97, MatchKind::Text);
        let c = conclude(
            Some(&e("MIT OR Apache-2.0")),
            &[mit.clone(), apache.clone()],
        );
        assert_eq!(
            (c.text().as_str(), c.basis),
            ("MIT OR Apache-2.0", Basis::Agreed)
        );
        let c = conclude(Some(&e("MIT OR Apache-2.0")), std::slice::from_ref(&mit));
        assert_eq!(c.basis, Basis::Agreed);
        let c = conclude(
            Some(&e("MIT")),
            &[det("GPL-3.0-only", 0.95, MatchKind::Text)],
        );
        assert_eq!((c.text().as_str(), c.basis), ("MIT", Basis::Mismatch));
        assert!(c.notes[0].contains("GPL-3.0-only"), "{:?}", c.notes);
        let c = conclude(None, &[mit.clone(), apache]);
        assert_eq!(
            (c.text().as_str(), c.basis),
            ("MIT AND Apache-2.0", Basis::Detected)
        );
        let c = conclude(Some(&e("ISC")), &[]);
        assert_eq!((c.text().as_str(), c.basis), ("ISC", Basis::Declared));
        let c = conclude(None, &[]);
        assert_eq!((c.text().as_str(), c.basis), ("NOASSERTION", Basis::None));
        // Weak evidence is not used.
        let c = conclude(
            None,
            &[
                det("MIT", 0.5, MatchKind::Text),
                det("BSD-3-Clause", 1.0, MatchKind::Reference),
            ],
        );
        assert_eq!(c.basis, Basis::None);
    }

    #[test]
    fn declared_lists() {
        let n = |s: &str| normalise(s);
        let (a, b, c) = (
            n("MIT"),
            n("Apache-2.0"),
            n("License :: OSI Approved :: BSD License"),
        );
        let (e1, notes) = combine_declared(Ecosystem::Packagist, &[&a, &b]);
        assert_eq!(e1.unwrap().to_string(), "MIT OR Apache-2.0");
        assert!(notes.is_empty());
        let (e2, notes) = combine_declared(Ecosystem::Npm, &[&a, &b]);
        assert_eq!(e2.unwrap().to_string(), "MIT AND Apache-2.0");
        assert_eq!(notes.len(), 1);
        // Classifiers count only when nothing else resolves.
        let cls = n("License :: OSI Approved :: Apache Software License 2.0 (Apache-2.0)");
        let (e3, _) = combine_declared(Ecosystem::PyPI, &[&a, &cls, &c]);
        assert_eq!(e3.unwrap().to_string(), "MIT");
        let (e4, _) = combine_declared(Ecosystem::PyPI, &[&cls, &c]);
        assert_eq!(e4.unwrap().to_string(), "Apache-2.0");
        let dual = n("MIT OR Apache-2.0");
        let (e5, notes) = combine_declared(Ecosystem::CratesIo, &[&dual, &a]);
        assert_eq!(e5.unwrap().to_string(), "MIT OR Apache-2.0");
        assert!(notes.is_empty());
        assert_eq!(combine_declared(Ecosystem::Npm, &[&c]).0, None);
    }
}
