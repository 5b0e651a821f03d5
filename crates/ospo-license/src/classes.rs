//! Classes and obligations of licences, as data: `data/licenses.toml` gives every id of the SPDX
//! list a class and its OSI/FSF flags (generated from the list, the classes of the important
//! ones set by hand), `data/obligations.toml` the obligations of each class and the licences
//! whose terms differ, each citing its source.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::expr::{Expr, Term};

/// What kind of licence, from the least to the most demanding (the order is used to pick the
/// easiest side of an `OR` and the hardest part of an `AND`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    PublicDomain,
    Permissive,
    WeakCopyleft,
    StrongCopyleft,
    NetworkCopyleft,
    SourceAvailable,
    Proprietary,
    Unknown,
}

impl Class {
    pub const ALL: &'static [Class] = &[
        Class::PublicDomain,
        Class::Permissive,
        Class::WeakCopyleft,
        Class::StrongCopyleft,
        Class::NetworkCopyleft,
        Class::SourceAvailable,
        Class::Proprietary,
        Class::Unknown,
    ];

    /// The kebab-case name used in the data files and the output.
    pub fn name(self) -> &'static str {
        match self {
            Class::PublicDomain => "public-domain",
            Class::Permissive => "permissive",
            Class::WeakCopyleft => "weak-copyleft",
            Class::StrongCopyleft => "strong-copyleft",
            Class::NetworkCopyleft => "network-copyleft",
            Class::SourceAvailable => "source-available",
            Class::Proprietary => "proprietary",
            Class::Unknown => "unknown",
        }
    }

    /// Whether the class obliges derived works to stay under the same licence.
    pub fn is_copyleft(self) -> bool {
        matches!(
            self,
            Class::WeakCopyleft | Class::StrongCopyleft | Class::NetworkCopyleft
        )
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a licence asks of those who redistribute the work (codes are stable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Obligation {
    Attribution,
    IncludeNotice,
    StateChanges,
    DiscloseSource,
    SameLicense,
    NetworkUseDisclosure,
    NoCommercialUse,
    RestrictedUse,
}

/// One licence of the SPDX list.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LicenseInfo {
    #[serde(skip)]
    pub id: String,
    pub name: String,
    pub class: Class,
    #[serde(default)]
    pub osi: bool,
    #[serde(default)]
    pub fsf: bool,
    #[serde(default)]
    pub deprecated: bool,
    /// The class was set by hand (the others follow id patterns).
    #[serde(default)]
    pub reviewed: bool,
}

/// Obligations, with the notes and sources they come from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Obligations {
    pub obligations: BTreeSet<Obligation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl Obligations {
    fn add(&mut self, other: Obligations) {
        self.obligations.extend(other.obligations);
        for n in other.notes {
            if !self.notes.contains(&n) {
                self.notes.push(n);
            }
        }
        for s in other.sources {
            if !s.is_empty() && !self.sources.contains(&s) {
                self.sources.push(s);
            }
        }
    }
}

#[derive(Deserialize)]
struct LicensesFile {
    #[serde(rename = "list-version")]
    list_version: String,
    licenses: BTreeMap<String, LicenseInfo>,
}

#[derive(Deserialize)]
struct ClassEntry {
    obligations: Vec<Obligation>,
    notes: Vec<String>,
    source: String,
}

#[derive(Deserialize)]
struct Override {
    #[serde(default)]
    add: Vec<Obligation>,
    #[serde(default)]
    notes: Vec<String>,
    source: String,
}

#[derive(Deserialize)]
struct ObligationsFile {
    classes: HashMap<Class, ClassEntry>,
    licenses: HashMap<String, Override>,
}

struct Data {
    list_version: String,
    licenses: BTreeMap<String, LicenseInfo>,
    obligations: ObligationsFile,
}

const LICENSES: &str = include_str!("../data/licenses.toml");
const OBLIGATIONS: &str = include_str!("../data/obligations.toml");

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        // Checked by the tests; a broken file means empty tables, never a panic.
        let file: LicensesFile = toml::from_str(LICENSES).unwrap_or(LicensesFile {
            list_version: String::new(),
            licenses: BTreeMap::new(),
        });
        let obligations = toml::from_str(OBLIGATIONS).unwrap_or(ObligationsFile {
            classes: HashMap::new(),
            licenses: HashMap::new(),
        });
        let licenses = file
            .licenses
            .into_iter()
            .map(|(id, mut info)| {
                info.id.clone_from(&id);
                (id, info)
            })
            .collect();
        Data {
            list_version: file.list_version,
            licenses,
            obligations,
        }
    })
}

/// The SPDX list version the class data was generated from.
pub fn list_version() -> &'static str {
    &data().list_version
}

/// A list licence by exact id.
pub fn info(id: &str) -> Option<&'static LicenseInfo> {
    data().licenses.get(id)
}

/// Every licence of the list, by id.
pub fn all() -> impl Iterator<Item = &'static LicenseInfo> {
    data().licenses.values()
}

/// The `LicenseRef-`s ospo itself writes for what SPDX has no id for.
pub const PUBLIC_DOMAIN_REF: &str = "LicenseRef-ospo-public-domain";
pub const PROPRIETARY_REF: &str = "LicenseRef-ospo-proprietary";

/// Exceptions that let works link to the licensed code without coming under its copyleft: a
/// strong copyleft licence with one of them is treated as weak copyleft.
/// Sources: the exception texts on https://spdx.org/licenses/exceptions-index.html.
const LINKING_EXCEPTIONS: &[&str] = &[
    "Autoconf-exception-2.0",
    "Autoconf-exception-3.0",
    "Bison-exception-2.2",
    "Classpath-exception-2.0",
    "eCos-exception-2.0",
    "Font-exception-2.0",
    "GCC-exception-2.0",
    "GCC-exception-3.1",
    "GNAT-exception",
    "gnu-javamail-exception",
    "LGPL-3.0-linking-exception",
    "Libtool-exception",
    "Linux-syscall-note",
    "LLVM-exception",
    "OpenJDK-assembly-exception-1.0",
    "Qt-LGPL-exception-1.1",
    "Universal-FOSS-exception-1.0",
    "WxWindows-exception-3.1",
];

/// The class of one term: the list's class, weakened by a linking exception; ospo's own refs;
/// `unknown` for any other `LicenseRef-`.
pub fn class_of_term(t: &Term) -> Class {
    let base = match t.id.as_str() {
        PUBLIC_DOMAIN_REF => Class::PublicDomain,
        PROPRIETARY_REF => Class::Proprietary,
        id => info(id).map_or(Class::Unknown, |i| i.class),
    };
    match &t.exception {
        Some(e) if base == Class::StrongCopyleft && LINKING_EXCEPTIONS.contains(&e.as_str()) => {
            Class::WeakCopyleft
        }
        _ => base,
    }
}

/// The class of an expression: an `AND` is as demanding as its most demanding part, an `OR` as
/// easy as its easiest side (the side an organisation would take).
pub fn class_of(e: &Expr) -> Class {
    match e {
        Expr::License(t) => class_of_term(t),
        Expr::And(p) => p.iter().map(class_of).max().unwrap_or(Class::Unknown),
        Expr::Or(p) => p.iter().map(class_of).min().unwrap_or(Class::Unknown),
    }
}

/// The default preference for choosing a side of an `OR`: the least demanding class.
pub fn default_cost(t: &Term) -> Option<u32> {
    Some(class_of_term(t) as u32)
}

/// An organisation's licence preference, for choosing sides of `OR` (the policy of issue 5
/// builds one from its configuration): ids it will not take, classes it allows, and ids it
/// prefers, in order. A term the preference does not allow costs `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preference {
    /// Ids never taken (compared on the id, without `+` or exception).
    pub denied: Vec<String>,
    /// When set, only licences of these classes are taken.
    pub allowed_classes: Option<Vec<Class>>,
    /// Ids taken first, in this order, before the class order decides.
    pub preferred: Vec<String>,
}

impl Preference {
    /// The cost of one term: a preferred id by its rank, else its class after all preferred ids.
    pub fn cost(&self, t: &Term) -> Option<u32> {
        if self.denied.contains(&t.id) {
            return None;
        }
        let class = class_of_term(t);
        if let Some(allowed) = &self.allowed_classes
            && !allowed.contains(&class)
        {
            return None;
        }
        let preferred = u32::try_from(self.preferred.len()).unwrap_or(u32::MAX);
        match self.preferred.iter().position(|p| *p == t.id) {
            Some(i) => Some(u32::try_from(i).unwrap_or(u32::MAX)),
            None => Some(preferred.saturating_add(class as u32)),
        }
    }

    /// Chooses the sides of an expression by this preference.
    pub fn choose(&self, e: &Expr) -> crate::expr::Choice {
        crate::expr::choose(e, &|t| self.cost(t))
    }
}

/// The obligations of one licence: its class's, plus the licence's own.
pub fn obligations_of_term(t: &Term) -> Obligations {
    let d = &data().obligations;
    let mut out = Obligations::default();
    if let Some(c) = d.classes.get(&class_of_term(t)) {
        out.add(Obligations {
            obligations: c.obligations.iter().copied().collect(),
            notes: c.notes.clone(),
            sources: vec![c.source.clone()],
        });
    }
    if let Some(o) = d.licenses.get(&t.id) {
        out.add(Obligations {
            obligations: o.add.iter().copied().collect(),
            notes: o.notes.clone(),
            sources: vec![o.source.clone()],
        });
    }
    if matches!(t.id.as_str(), "0BSD" | "MIT-0") {
        out.obligations.remove(&Obligation::Attribution);
    }
    out
}

/// The obligations of every term (call it on the chosen side of an expression).
pub fn obligations<'a>(terms: impl IntoIterator<Item = &'a Term>) -> Obligations {
    let mut out = Obligations::default();
    for t in terms {
        out.add(obligations_of_term(t));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::expr::parse_strict;

    fn class(s: &str) -> Class {
        class_of(&parse_strict(s).unwrap().expr)
    }

    #[test]
    fn data_files_parse() {
        let _: LicensesFile = toml::from_str(LICENSES).unwrap();
        let o: ObligationsFile = toml::from_str(OBLIGATIONS).unwrap();
        for c in Class::ALL {
            assert!(o.classes.contains_key(c), "{c} has no obligations entry");
        }
        for id in o.licenses.keys() {
            assert!(
                info(id).is_some(),
                "override for `{id}` which is not a list id"
            );
        }
        assert_eq!(list_version(), crate::detect::SPDX_LIST_VERSION);
    }

    /// Every id of the SPDX list the binary knows has an entry, and nothing else does; the flags
    /// agree with the list embedded by the `spdx` crate.
    #[test]
    fn every_spdx_id_has_a_class() {
        // The `spdx` crate adds a few ids of its own (NOASSERTION, GFDL-x-invariants).
        let own = |id: &str| {
            id == "NOASSERTION" || (id.starts_with("GFDL-") && id.ends_with("invariants"))
        };
        let ids: BTreeSet<&str> = spdx::identifiers::LICENSES
            .iter()
            .map(|l| l.name)
            .filter(|id| !own(id))
            .collect();
        let have: BTreeSet<&str> = data().licenses.keys().map(String::as_str).collect();
        let missing: Vec<_> = ids.difference(&have).collect();
        let extra: Vec<_> = have.difference(&ids).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing {missing:?}, extra {extra:?}"
        );
        assert_eq!(have.len(), 740);
        for l in spdx::identifiers::LICENSES.iter().filter(|l| !own(l.name)) {
            let i = info(l.name).unwrap();
            assert_eq!(
                i.osi,
                l.flags & spdx::flags::IS_OSI_APPROVED != 0,
                "{}",
                l.name
            );
            assert_eq!(
                i.fsf,
                l.flags & spdx::flags::IS_FSF_LIBRE != 0,
                "{}",
                l.name
            );
            assert_eq!(
                i.deprecated,
                l.flags & spdx::flags::IS_DEPRECATED != 0,
                "{}",
                l.name
            );
        }
        let reviewed = all().filter(|i| i.reviewed).count();
        assert!(reviewed >= 150, "{reviewed} reviewed");
        // OSI-approved licences are open source: never source-available or proprietary.
        for i in all().filter(|i| i.osi) {
            assert!(
                i.class < Class::SourceAvailable || i.class == Class::Unknown,
                "{}",
                i.id
            );
        }
    }

    #[test]
    fn classes_of_the_usual_licences() {
        for (e, want) in [
            ("MIT", Class::Permissive),
            ("Apache-2.0", Class::Permissive),
            ("BSD-3-Clause", Class::Permissive),
            ("ISC", Class::Permissive),
            ("CC0-1.0", Class::PublicDomain),
            ("Unlicense", Class::PublicDomain),
            ("LGPL-2.1-only", Class::WeakCopyleft),
            ("MPL-2.0", Class::WeakCopyleft),
            ("EPL-2.0", Class::WeakCopyleft),
            ("GPL-2.0-only", Class::StrongCopyleft),
            ("GPL-3.0-or-later", Class::StrongCopyleft),
            ("AGPL-3.0-only", Class::NetworkCopyleft),
            ("SSPL-1.0", Class::SourceAvailable),
            ("BUSL-1.1", Class::SourceAvailable),
            ("CC-BY-NC-4.0", Class::SourceAvailable),
            (
                "GPL-2.0-only WITH Classpath-exception-2.0",
                Class::WeakCopyleft,
            ),
            ("MIT OR GPL-3.0-only", Class::Permissive),
            ("MIT AND GPL-3.0-only", Class::StrongCopyleft),
            ("LicenseRef-ospo-public-domain", Class::PublicDomain),
            ("LicenseRef-ospo-proprietary", Class::Proprietary),
            ("LicenseRef-whatever", Class::Unknown),
            ("GPL-2.0", Class::StrongCopyleft),
        ] {
            assert_eq!(class(e), want, "{e}");
        }
        for e in LINKING_EXCEPTIONS {
            assert!(spdx::exception_id(e).is_some(), "{e}");
        }
    }

    #[test]
    fn a_preference_decides_the_side() {
        let e = |s: &str| parse_strict(s).unwrap().expr;
        let pick = |p: &Preference, s: &str| {
            let c = p.choose(&e(s));
            (
                c.expression().map(|x| x.to_string()).unwrap_or_default(),
                c.cost.is_some(),
            )
        };
        let default = Preference::default();
        assert_eq!(pick(&default, "GPL-3.0-only OR MIT"), ("MIT".into(), true));
        assert_eq!(pick(&default, "MIT OR Apache-2.0"), ("MIT".into(), true));
        let apache_first = Preference {
            preferred: vec!["Apache-2.0".into()],
            ..Preference::default()
        };
        assert_eq!(
            pick(&apache_first, "MIT OR Apache-2.0"),
            ("Apache-2.0".into(), true)
        );
        let no_copyleft = Preference {
            allowed_classes: Some(vec![Class::PublicDomain, Class::Permissive]),
            ..Preference::default()
        };
        assert_eq!(
            pick(&no_copyleft, "LGPL-2.1-only OR BSD-3-Clause"),
            ("BSD-3-Clause".into(), true)
        );
        assert_eq!(
            pick(&no_copyleft, "GPL-3.0-only"),
            ("GPL-3.0-only".into(), false),
            "nothing allowed"
        );
        let no_mit = Preference {
            denied: vec!["MIT".into()],
            ..Preference::default()
        };
        assert_eq!(
            pick(&no_mit, "MIT OR GPL-2.0-only"),
            ("GPL-2.0-only".into(), true)
        );
        assert_eq!(pick(&no_mit, "MIT AND ISC"), ("MIT AND ISC".into(), false));
    }

    #[test]
    fn obligations_come_from_class_and_licence() {
        let apache = obligations_of_term(&Term::new("Apache-2.0"));
        assert!(apache.obligations.contains(&Obligation::Attribution));
        assert!(apache.obligations.contains(&Obligation::IncludeNotice));
        assert!(apache.notes.iter().any(|n| n.contains("patent")));
        assert!(apache.sources.iter().any(|s| s.contains("§4(d)")));
        let gpl = obligations_of_term(&Term::new("GPL-3.0-only"));
        assert!(gpl.obligations.contains(&Obligation::DiscloseSource));
        assert!(gpl.obligations.contains(&Obligation::SameLicense));
        let agpl = obligations_of_term(&Term::new("AGPL-3.0-only"));
        assert!(agpl.obligations.contains(&Obligation::NetworkUseDisclosure));
        assert!(
            obligations_of_term(&Term::new("MIT-0"))
                .obligations
                .is_empty()
        );
        assert!(
            obligations_of_term(&Term::new("CC0-1.0"))
                .obligations
                .is_empty()
        );
        let nc = obligations_of_term(&Term::new("CC-BY-NC-4.0"));
        assert!(nc.obligations.contains(&Obligation::NoCommercialUse));
        for c in Class::ALL {
            let entry = &data().obligations.classes[c];
            assert!(
                *c == Class::Unknown || !entry.source.is_empty(),
                "{c} cites no source"
            );
        }
    }
}
