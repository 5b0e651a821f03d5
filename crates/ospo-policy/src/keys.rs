//! The one table of every key a policy file may hold: its type, what its values must be, its
//! default and a one-line explanation. The validator, the defaults, `ospo policy init`, the JSON
//! schema and docs/policy.md are all generated from it, so they cannot drift apart.

/// The TOML shape of a key's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Bool,
    String,
    /// An integer or a float.
    Number,
    /// A list of strings.
    Strings,
    /// `true`, `false`, or a list of strings.
    BoolOrStrings,
    /// A table (`[section]`) with these keys.
    Table(&'static [Key]),
    /// A list of tables (`[[section]]`) with these keys.
    Tables(&'static [Key]),
}

/// What a string (or each string of a list) must be, beyond its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Anything.
    Any,
    /// Not empty or blank (reasons, ids).
    NonEmpty,
    /// An SPDX licence id of the current list, or a `LicenseRef-…`.
    SpdxId,
    /// A licence class (`permissive`, `strong-copyleft`, …).
    Class,
    /// A valid SPDX licence expression.
    Expression,
    /// A vulnerability severity, or `never`.
    FailOn,
    /// A package: a purl (its version optional) or `<ecosystem>:<name>`.
    Package,
    /// A package without a version (a ban; versions go in `versions`).
    PackageNoVersion,
    /// A purl.
    Purl,
    /// A version requirement in the syntax of the sibling `package`'s ecosystem.
    Versions,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// An `http(s)://` URL.
    Url,
    /// A host name (`github.com`).
    Host,
    /// A glob pattern.
    Glob,
    /// A path (relative to the policy file).
    Path,
    /// A path relative to the policy file, or `ospo:<profile>`.
    Extends,
    /// A number from 0 to 10.
    Score,
    /// A whole number of days, 0 or more.
    Days,
}

/// One key of a policy file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub ty: Type,
    pub check: Check,
    /// Must be given (only inside `[[…]]` entries).
    pub required: bool,
    /// The default, as a TOML value; `None` for required keys, tables and optional keys whose
    /// absence means "not set".
    pub default: Option<&'static str>,
    /// One line: what the key means.
    pub doc: &'static str,
    /// An example value (for `[[…]]` entries, which `policy init` writes commented out).
    pub example: Option<&'static str>,
}

const fn key(
    name: &'static str,
    ty: Type,
    check: Check,
    default: &'static str,
    doc: &'static str,
) -> Key {
    Key {
        name,
        ty,
        check,
        required: false,
        default: Some(default),
        doc,
        example: None,
    }
}

const fn field(
    name: &'static str,
    ty: Type,
    check: Check,
    required: bool,
    example: &'static str,
    doc: &'static str,
) -> Key {
    Key {
        name,
        ty,
        check,
        required,
        default: None,
        doc,
        example: Some(example),
    }
}

const fn section(name: &'static str, ty: Type, doc: &'static str) -> Key {
    Key {
        name,
        ty,
        check: Check::Any,
        required: false,
        default: None,
        doc,
        example: None,
    }
}

const REASON: Key = field(
    "reason",
    Type::String,
    Check::NonEmpty,
    true,
    "\"why this is acceptable, and who decided\"",
    "Why; required.",
);

const EXPIRES: Key = field(
    "expires",
    Type::String,
    Check::Date,
    true,
    "\"2027-06-30\"",
    "The last day it applies (YYYY-MM-DD); required. After it, the exception no longer applies and is itself a finding.",
);

pub const CLARIFY: &[Key] = &[
    field(
        "package",
        Type::String,
        Check::Package,
        true,
        "\"pkg:npm/some-package\"",
        "The package: a purl (without a version: every version) or `<ecosystem>:<name>`.",
    ),
    field(
        "expression",
        Type::String,
        Check::Expression,
        true,
        "\"MIT AND BSD-3-Clause\"",
        "The SPDX expression the package is really licensed under.",
    ),
    REASON,
    Key {
        required: false,
        doc: "The last day it applies (YYYY-MM-DD); optional for clarifications.",
        ..EXPIRES
    },
];

pub const LICENSE_EXCEPTIONS: &[Key] = &[
    field(
        "package",
        Type::String,
        Check::Package,
        true,
        "\"pkg:cargo/ring\"",
        "The package: a purl (without a version: every version) or `<ecosystem>:<name>`.",
    ),
    field(
        "allow",
        Type::Strings,
        Check::SpdxId,
        true,
        "[\"OpenSSL\"]",
        "Licence ids allowed for this package only.",
    ),
    REASON,
    EXPIRES,
];

pub const LICENSES: &[Key] = &[
    key(
        "allow",
        Type::Strings,
        Check::SpdxId,
        "[]",
        "SPDX licence ids always allowed, whatever their class.",
    ),
    key(
        "deny",
        Type::Strings,
        Check::SpdxId,
        "[]",
        "SPDX licence ids never allowed.",
    ),
    key(
        "allow-classes",
        Type::Strings,
        Check::Class,
        "[]",
        "When not empty, only licences of these classes are allowed (besides `allow`).",
    ),
    key(
        "deny-classes",
        Type::Strings,
        Check::Class,
        "[\"network-copyleft\", \"proprietary\"]",
        "Licence classes never allowed (public-domain, permissive, weak-copyleft, strong-copyleft, network-copyleft, source-available, proprietary, unknown).",
    ),
    key(
        "prefer",
        Type::Strings,
        Check::SpdxId,
        "[]",
        "For `A OR B`: the ids to take first, in this order; then the least demanding allowed class.",
    ),
    section(
        "clarify",
        Type::Tables(CLARIFY),
        "Says what a package is really licensed under when its metadata is wrong or missing.",
    ),
    section(
        "exceptions",
        Type::Tables(LICENSE_EXCEPTIONS),
        "Allows otherwise denied licences for one package, for a while.",
    ),
];

pub const IGNORE: &[Key] = &[
    field(
        "id",
        Type::String,
        Check::NonEmpty,
        true,
        "\"RUSTSEC-2020-0071\"",
        "The advisory id or any of its aliases (CVE, GHSA).",
    ),
    REASON,
    EXPIRES,
    Key {
        default: Some("[]"),
        ..field(
            "packages",
            Type::Strings,
            Check::Purl,
            false,
            "[\"pkg:cargo/time\"]",
            "Only for these packages (purls; without a version: every version); empty: all.",
        )
    },
];

pub const VULNERABILITIES: &[Key] = &[
    key(
        "fail-on",
        Type::String,
        Check::FailOn,
        "\"high\"",
        "The lowest severity that fails the check: unknown (any), low, medium, high, critical, or never.",
    ),
    key(
        "vex",
        Type::Strings,
        Check::Path,
        "[]",
        "OpenVEX or CycloneDX VEX documents (paths relative to this file) saying which vulnerabilities do not apply.",
    ),
    section(
        "ignore",
        Type::Tables(IGNORE),
        "Ignores an advisory, for a while.",
    ),
];

pub const BAN: &[Key] = &[
    field(
        "package",
        Type::String,
        Check::PackageNoVersion,
        true,
        "\"pkg:npm/event-stream\"",
        "The package: a purl without a version, or `<ecosystem>:<name>`.",
    ),
    field(
        "versions",
        Type::String,
        Check::Versions,
        false,
        "\"=3.3.6\"",
        "Only these versions, as a requirement in the ecosystem's syntax; absent: every version.",
    ),
    field(
        "reason",
        Type::String,
        Check::NonEmpty,
        true,
        "\"compromised release\"",
        "Why the package is banned; required, shown in the finding.",
    ),
];

pub const BAN_EXCEPTIONS: &[Key] = &[
    field(
        "package",
        Type::String,
        Check::Package,
        true,
        "\"pkg:npm/event-stream@3.3.6\"",
        "The banned package (or one release) allowed anyway.",
    ),
    REASON,
    EXPIRES,
];

pub const BANS: &[Key] = &[
    section(
        "deny",
        Type::Tables(BAN),
        "Packages (or versions of them) that must not be used.",
    ),
    section(
        "exceptions",
        Type::Tables(BAN_EXCEPTIONS),
        "Allows a banned package, for a while.",
    ),
];

pub const SOURCES: &[Key] = &[
    key(
        "allow-registries",
        Type::Strings,
        Check::Url,
        "[]",
        "Registries packages may come from (URL prefixes); empty: any registry.",
    ),
    key(
        "allow-git",
        Type::BoolOrStrings,
        Check::Host,
        "true",
        "Git dependencies: true (any), false (none), or the hosts allowed ([\"github.com\"]).",
    ),
    key(
        "allow-path",
        Type::Bool,
        Check::Any,
        "true",
        "Path dependencies outside a workspace (a local folder).",
    ),
    key(
        "allow-url",
        Type::Bool,
        Check::Any,
        "true",
        "Direct URL dependencies (a tarball or wheel by URL).",
    ),
];

pub const HEALTH: &[Key] = &[
    key(
        "min-score",
        Type::Number,
        Check::Score,
        "0",
        "The lowest health score (0 to 10) a dependency may have; 0: not checked.",
    ),
    key(
        "max-inactive-days",
        Type::Number,
        Check::Days,
        "0",
        "Days without a commit after which a dependency counts as abandoned; 0: not checked.",
    ),
];

pub const SECRETS: &[Key] = &[
    key(
        "allow-paths",
        Type::Strings,
        Check::Glob,
        "[]",
        "Glob patterns of files where secrets are expected (test fixtures); no finding there.",
    ),
    key(
        "scan-history",
        Type::Bool,
        Check::Any,
        "false",
        "Also search the git history, not only the working tree.",
    ),
];

/// The keys at the top of the file.
pub const ROOT: &[Key] = &[
    Key {
        name: "extends",
        ty: Type::String,
        check: Check::Extends,
        required: false,
        default: None,
        doc: "A base policy this file extends: a path relative to this file (an organisation-wide policy), or a built-in profile `ospo:permissive`, `ospo:balanced`, `ospo:strict`.",
        example: Some("\"../org/ospo-policy.toml\""),
    },
    section(
        "licenses",
        Type::Table(LICENSES),
        "Which licences dependencies may have.",
    ),
    section(
        "vulnerabilities",
        Type::Table(VULNERABILITIES),
        "Known vulnerabilities (from the offline OSV database): when they fail, and triage.",
    ),
    section("bans", Type::Table(BANS), "Packages that must not be used."),
    section(
        "sources",
        Type::Table(SOURCES),
        "Where packages may come from.",
    ),
    section(
        "health",
        Type::Table(HEALTH),
        "How healthy dependencies must be (project health checks).",
    ),
    section(
        "secrets",
        Type::Table(SECRETS),
        "Secrets and credentials in code.",
    ),
];

/// Every key with its dotted path (`licenses.allow`, `bans.deny.package`), depth first, in the
/// table's order.
pub fn all() -> Vec<(String, &'static Key)> {
    fn walk(prefix: &str, keys: &'static [Key], out: &mut Vec<(String, &'static Key)>) {
        for k in keys {
            let path = if prefix.is_empty() {
                k.name.to_owned()
            } else {
                format!("{prefix}.{}", k.name)
            };
            out.push((path.clone(), k));
            if let Type::Table(sub) | Type::Tables(sub) = k.ty {
                walk(&path, sub, out);
            }
        }
    }
    let mut out = Vec::new();
    walk("", ROOT, &mut out);
    out
}

/// A TOML document with every default: the policy when no file exists.
pub fn defaults_toml() -> String {
    let mut out = String::new();
    for k in ROOT {
        if let Type::Table(sub) = k.ty {
            out.push_str(&format!("[{}]\n", k.name));
            for s in sub {
                if let Some(d) = s.default {
                    out.push_str(&format!("{} = {d}\n", s.name));
                }
            }
        }
    }
    out
}

impl Type {
    /// How the type is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Type::Bool => "a boolean",
            Type::String => "a string",
            Type::Number => "a number",
            Type::Strings => "a list of strings",
            Type::BoolOrStrings => "a boolean or a list of strings",
            Type::Table(_) => "a table",
            Type::Tables(_) => "a list of tables",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_kebab_case_unique_and_documented() {
        let all = all();
        let mut seen = std::collections::BTreeSet::new();
        for (path, k) in &all {
            assert!(seen.insert(path.clone()), "duplicate key {path}");
            assert!(
                k.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{path} is not kebab-case"
            );
            assert!(k.doc.ends_with('.') || k.doc.ends_with(')'), "{path}: doc");
            match k.ty {
                Type::Table(_) | Type::Tables(_) => assert!(k.default.is_none()),
                _ if k.required => assert!(k.default.is_none() && k.example.is_some()),
                _ => assert!(k.default.is_some() || k.example.is_some(), "{path}"),
            }
        }
        // Every default is valid TOML.
        let doc: toml::Table = toml::from_str(&defaults_toml()).unwrap();
        assert!(doc.contains_key("licenses"));
    }
}
