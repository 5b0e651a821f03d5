//! Reading a policy file: the TOML is parsed with spans (recovering from syntax errors), checked
//! against the key table of [`crate::keys`] — unknown keys, wrong types, bad values, missing
//! reasons and expiry dates — with every error collected, each with its file, line and column;
//! only a file without errors is read into the serde types of [`crate::raw`] and then into the
//! typed [`Policy`]. `extends` chains are followed (cycles are errors) and merged key by key.

use std::ops::Range;
use std::path::{Path, PathBuf};

use ospo_license::classes::Class;
use ospo_vuln::severity::Severity as VulnSeverity;
use time::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::keys::{self, Check, Key, Type};
use crate::policy::*;
use crate::profiles;
use crate::raw::*;

/// The policy file at a repository's root.
pub const FILE_NAME: &str = "ospo.toml";

/// How many files an `extends` chain may hold.
const MAX_CHAIN: usize = 16;

/// An error in a policy file, with its place.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, thiserror::Error)]
#[error("{}: {message}", place(file, *line, *column))]
pub struct PolicyError {
    pub file: PathBuf,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

fn place(file: &Path, line: Option<u32>, column: Option<u32>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", file.display()),
        (Some(l), None) => format!("{}:{l}", file.display()),
        _ => file.display().to_string(),
    }
}

/// Line starts of a text, to turn byte offsets into lines and columns.
struct Text<'a> {
    file: &'a Path,
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Text<'a> {
    fn new(file: &'a Path, text: &'a str) -> Text<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Text { file, text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    fn origin(&self, span: &Range<usize>) -> Origin {
        let (line, column) = self.position(span.start);
        Origin {
            file: self.file.to_path_buf(),
            line,
            column,
        }
    }

    fn error(&self, span: Option<&Range<usize>>, message: String) -> PolicyError {
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = self.position(s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        PolicyError {
            file: self.file.to_path_buf(),
            line,
            column,
            message,
        }
    }
}

/// Checks one file's text: every error, sorted by place. Does not follow `extends`.
pub fn validate(file: &Path, text: &str) -> Vec<PolicyError> {
    let t = Text::new(file, text);
    let (doc, syntax) = DeTable::parse_recoverable(text);
    let mut errors: Vec<PolicyError> = syntax
        .iter()
        .map(|e| t.error(e.span().as_ref(), e.message().to_owned()))
        .collect();
    // After a syntax error the recovered tree is a guess: checking it would report errors that
    // are not in the file.
    if errors.is_empty() {
        let mut v = Validator {
            t: &t,
            errors: &mut errors,
        };
        v.table(doc.get_ref(), keys::ROOT, "");
    }
    errors.sort();
    errors.dedup();
    errors
}

struct Validator<'a, 'b> {
    t: &'a Text<'a>,
    errors: &'b mut Vec<PolicyError>,
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

impl Validator<'_, '_> {
    fn err(&mut self, span: &Range<usize>, message: String) {
        self.errors.push(self.t.error(Some(span), message));
    }

    fn table(&mut self, table: &DeTable<'_>, keys: &'static [Key], path: &str) {
        for (k, v) in table.iter() {
            let name: &str = k.get_ref();
            let Some(key) = keys.iter().find(|key| key.name == name) else {
                let names: Vec<&str> = keys.iter().map(|k| k.name).collect();
                let hint = match crate::suggest::closest(name, names.iter().copied()).first() {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("expected one of: {}", names.join(", ")),
                };
                let place = if path.is_empty() {
                    "at the top level".to_owned()
                } else {
                    format!("in `[{path}]`")
                };
                self.err(&k.span(), format!("unknown key `{name}` {place}; {hint}"));
                continue;
            };
            self.value(key, &join(path, name), v);
        }
    }

    fn type_error(&mut self, path: &str, ty: Type, v: &Spanned<DeValue<'_>>) {
        self.err(
            &v.span(),
            format!(
                "`{path}` must be {}, not {}",
                ty.describe(),
                article(v.get_ref().type_str())
            ),
        );
    }

    fn value(&mut self, key: &Key, path: &str, v: &Spanned<DeValue<'_>>) {
        match key.ty {
            Type::Bool => {
                if !v.get_ref().is_bool() {
                    self.type_error(path, key.ty, v);
                }
            }
            Type::String => match v.get_ref().as_str() {
                Some(s) => self.string(key.check, path, s, &v.span()),
                None => self.type_error(path, key.ty, v),
            },
            Type::Number => self.number(key, path, v),
            Type::Strings => self.strings(key, path, v),
            Type::BoolOrStrings => {
                if !v.get_ref().is_bool() {
                    self.strings(key, path, v);
                }
            }
            Type::Table(sub) => match v.get_ref().as_table() {
                Some(t) => {
                    self.table(t, sub, path);
                    if path == "licenses" {
                        self.conflicts(t, path, "allow", "deny");
                        self.conflicts(t, path, "allow-classes", "deny-classes");
                    }
                }
                None => self.type_error(path, key.ty, v),
            },
            Type::Tables(sub) => match v.get_ref().as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        match item.get_ref().as_table() {
                            Some(t) => self.entry(t, sub, &format!("{path}[{i}]"), &item.span()),
                            None => self.type_error(path, key.ty, item),
                        }
                    }
                }
                None => self.type_error(path, key.ty, v),
            },
        }
    }

    /// One `[[…]]` entry: its keys, the required ones, and checks across keys.
    fn entry(&mut self, t: &DeTable<'_>, keys: &'static [Key], path: &str, span: &Range<usize>) {
        self.table(t, keys, path);
        for key in keys.iter().filter(|k| k.required) {
            if t.get(key.name).is_none() {
                let why = match key.check {
                    Check::Date => ": every exception needs an expiry date (YYYY-MM-DD)",
                    _ if key.name == "reason" => ": every exception and ban needs a reason",
                    _ => "",
                };
                self.err(span, format!("`{path}` is missing `{}`{why}", key.name));
            }
        }
        // A version requirement is read with the scheme of the entry's package.
        if let Some(versions) = t.get("versions")
            && let Some(text) = versions.get_ref().as_str()
            && let Some(package) = t.get("package").and_then(|p| p.get_ref().as_str())
            && let Ok(spec) = PackageSpec::parse(package)
        {
            match scheme_of(&spec.purl) {
                Some(scheme) => {
                    if let Err(e) = scheme.parse_req(text) {
                        self.err(
                            &versions.span(),
                            format!("`{path}.versions`: {e}"),
                        );
                    }
                }
                None => self.err(
                    &versions.span(),
                    format!(
                        "`{path}.versions`: ospo cannot compare versions of `{}` packages; ban the whole package",
                        spec.purl.ty()
                    ),
                ),
            }
        }
    }

    /// A value in both an allow list and a deny list of the same table is a mistake.
    fn conflicts(&mut self, t: &DeTable<'_>, path: &str, allow: &str, deny: &str) {
        let list = |name: &str| {
            t.get(name)
                .and_then(|v| v.get_ref().as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|i| Some((i.get_ref().as_str()?.to_owned(), i.span())))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let allowed = list(allow);
        for (i, (value, span)) in list(deny).iter().enumerate() {
            if allowed.iter().any(|(a, _)| a == value) {
                self.err(
                    span,
                    format!("`{path}.{deny}[{i}]`: `{value}` is also in `{path}.{allow}`; keep it in one"),
                );
            }
        }
    }

    fn strings(&mut self, key: &Key, path: &str, v: &Spanned<DeValue<'_>>) {
        let Some(items) = v.get_ref().as_array() else {
            return self.type_error(path, key.ty, v);
        };
        for (i, item) in items.iter().enumerate() {
            match item.get_ref().as_str() {
                Some(s) => self.string(key.check, &format!("{path}[{i}]"), s, &item.span()),
                None => self.err(
                    &item.span(),
                    format!(
                        "`{path}[{i}]` must be a string, not {}",
                        article(item.get_ref().type_str())
                    ),
                ),
            }
        }
    }

    fn number(&mut self, key: &Key, path: &str, v: &Spanned<DeValue<'_>>) {
        let value = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => return self.type_error(path, key.ty, v),
        };
        let ok = match (key.check, value) {
            (_, None) => false,
            (Check::Score, Some(n)) => (0.0..=10.0).contains(&n),
            (Check::Days, Some(n)) => {
                v.get_ref().is_integer() && (0.0..=f64::from(u32::MAX)).contains(&n)
            }
            _ => true,
        };
        if !ok {
            let want = match key.check {
                Check::Score => "a score from 0 to 10",
                Check::Days => "a whole number of days, 0 or more",
                _ => "a number",
            };
            self.err(&v.span(), format!("`{path}` must be {want}"));
        }
    }

    fn string(&mut self, check: Check, path: &str, s: &str, span: &Range<usize>) {
        if let Err(message) = check_str(check, s) {
            self.err(span, format!("`{path}`: {message}"));
        }
    }
}

fn article(type_str: &str) -> String {
    let a = if type_str.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{a} {type_str}")
}

/// Checks a string value; the message says what is wrong and, where it can, what was meant.
pub fn check_str(check: Check, s: &str) -> Result<(), String> {
    match check {
        Check::Any | Check::Versions => Ok(()),
        Check::NonEmpty | Check::Path => {
            if s.trim().is_empty() {
                Err("must not be empty".into())
            } else {
                Ok(())
            }
        }
        Check::SpdxId => spdx_id(s),
        Check::Class => {
            if Class::ALL.iter().any(|c| c.name() == s) {
                Ok(())
            } else {
                let names: Vec<&str> = Class::ALL.iter().map(|c| c.name()).collect();
                Err(format!(
                    "`{s}` is not a licence class ({})",
                    names.join(", ")
                ))
            }
        }
        Check::Expression => ospo_license::expr::parse_strict(s)
            .map(|_| ())
            .map_err(|e| format!("`{s}` is not a valid SPDX expression: {e}")),
        Check::FailOn => fail_on(s).map(|_| ()),
        Check::Package => PackageSpec::parse(s).map(|_| ()),
        Check::PackageNoVersion => {
            let spec = PackageSpec::parse(s)?;
            if spec.purl.version().is_some() {
                Err(format!(
                    "`{s}` names a version: give the package alone and the versions in `versions`"
                ))
            } else {
                Ok(())
            }
        }
        Check::Purl => s
            .parse::<ospo_model::Purl>()
            .map(|_| ())
            .map_err(|e| format!("`{s}` is not a valid package URL: {e}")),
        Check::Date => parse_date(s).map(|_| ()),
        Check::Url => {
            let rest = s
                .strip_prefix("https://")
                .or_else(|| s.strip_prefix("http://"))
                .or_else(|| s.strip_prefix("sparse+https://"));
            match rest {
                Some(r) if !r.is_empty() && !r.contains(char::is_whitespace) => Ok(()),
                _ => Err(format!("`{s}` is not an http(s) URL")),
            }
        }
        Check::Host => {
            if s.is_empty() || s.contains(['/', ':', '@']) || s.contains(char::is_whitespace) {
                Err(format!("`{s}` is not a host name (like `github.com`)"))
            } else {
                Ok(())
            }
        }
        Check::Glob => globset::Glob::new(s)
            .map(|_| ())
            .map_err(|e| format!("`{s}` is not a glob pattern: {e}")),
        Check::Extends => match s.strip_prefix("ospo:") {
            Some(name) => profiles::get(name).map(|_| ()).ok_or_else(|| {
                format!(
                    "`{s}`: there is no built-in profile `{name}` ({})",
                    profiles::NAMES.map(|n| format!("ospo:{n}")).join(", ")
                )
            }),
            None if s.trim().is_empty() => Err("must not be empty".into()),
            None => Ok(()),
        },
        Check::Score | Check::Days => Ok(()),
    }
}

fn spdx_id(s: &str) -> Result<(), String> {
    if s.starts_with("LicenseRef-") && s.len() > "LicenseRef-".len() {
        return Ok(());
    }
    // Deprecated ids are read as their replacement everywhere else, so a policy naming one
    // would never match.
    if let Some(r) = ospo_license::expr::replacement(s) {
        return Err(format!("`{s}` is a deprecated SPDX id: write `{r}`"));
    }
    if ospo_license::classes::info(s).is_some() {
        return Ok(());
    }
    let ids: Vec<&str> = ospo_license::classes::all()
        .map(|l| l.id.as_str())
        .filter(|id| ospo_license::expr::replacement(id).is_none())
        .collect();
    if let Some(same) = ids.iter().find(|id| id.eq_ignore_ascii_case(s)) {
        return Err(format!(
            "`{s}` is not an SPDX licence id: did you mean `{same}`?"
        ));
    }
    // Compared without case and punctuation: `Apache2` is close to `Apache-2.0`.
    let squash = |x: &str| -> String {
        x.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wanted = squash(s);
    let best = ids
        .iter()
        .map(|id| {
            // A prefix counts too (`GPL3` → `GPL-3.0-only`), one edit worse than a whole match.
            let full = squash(id);
            let prefix = full.get(..wanted.len()).unwrap_or(&full);
            let d = crate::suggest::distance(&wanted, &full)
                .min(crate::suggest::distance(&wanted, prefix) + 1);
            (d, *id)
        })
        .filter(|(d, _)| *d <= 2)
        .min();
    match best {
        Some((_, id)) => Err(format!(
            "`{s}` is not an SPDX licence id: did you mean `{id}`?"
        )),
        None => Err(format!("`{s}` is not an SPDX licence id")),
    }
}

/// `fail-on`: a vulnerability severity, or `never` (`None`).
pub fn fail_on(s: &str) -> Result<Option<VulnSeverity>, String> {
    if s.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    s.parse::<VulnSeverity>()
        .map(Some)
        .map_err(|e| format!("{e}, or never"))
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(
        s,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| format!("`{s}` is not a date as YYYY-MM-DD"))
}

/// One file of a chain, read and validated.
struct Layer {
    file: PathBuf,
    text: String,
    raw: RawPolicy,
}

fn read_layer(file: &Path, text: String) -> Result<Layer, Vec<PolicyError>> {
    let errors = validate(file, &text);
    if !errors.is_empty() {
        return Err(errors);
    }
    match toml::from_str::<RawPolicy>(&text) {
        Ok(raw) => Ok(Layer {
            file: file.to_path_buf(),
            text,
            raw,
        }),
        Err(e) => {
            let t = Text::new(file, &text);
            Err(vec![t.error(e.span().as_ref(), e.message().to_owned())])
        }
    }
}

/// Where `extends` points, and the text there.
fn resolve_extends(from: &Path, target: &str) -> Result<(PathBuf, String), String> {
    if let Some(name) = target.strip_prefix("ospo:") {
        let text = profiles::get(name).ok_or_else(|| format!("no built-in profile `{name}`"))?;
        return Ok((PathBuf::from(target), text.to_owned()));
    }
    let path = from.parent().unwrap_or(Path::new("")).join(target);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    Ok((path, text))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Reads a file and every file it extends: the layers, the base first.
fn chain(file: &Path, text: String) -> Result<Vec<Layer>, Vec<PolicyError>> {
    let mut layers = vec![read_layer(file, text)?];
    while let Some(last) = layers.last() {
        let Some(ext) = last.raw.extends.clone() else {
            break;
        };
        let t = Text::new(&last.file, &last.text);
        let (target, text) = resolve_extends(&last.file, ext.get_ref())
            .map_err(|m| vec![t.error(Some(&ext.span()), format!("`extends`: {m}"))])?;
        if let Some(i) = layers.iter().position(|l| same_file(&l.file, &target)) {
            let cycle: Vec<String> = layers[i..]
                .iter()
                .map(|l| l.file.display().to_string())
                .chain(std::iter::once(target.display().to_string()))
                .collect();
            return Err(vec![t.error(
                Some(&ext.span()),
                format!("`extends` makes a cycle: {}", cycle.join(" → ")),
            )]);
        }
        if layers.len() >= MAX_CHAIN {
            return Err(vec![t.error(
                Some(&ext.span()),
                format!("`extends`: more than {MAX_CHAIN} files in the chain"),
            )]);
        }
        layers.push(read_layer(&target, text)?);
    }
    layers.reverse();
    Ok(layers)
}

/// Loads a policy file and the files it extends.
pub fn load(file: &Path) -> Result<Policy, Vec<PolicyError>> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        vec![PolicyError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: format!("cannot read the policy file: {e}"),
        }]
    })?;
    load_str(file, &text)
}

/// Loads a policy from text; `file` names it in errors and anchors relative paths.
pub fn load_str(file: &Path, text: &str) -> Result<Policy, Vec<PolicyError>> {
    let mut layers = vec![defaults_layer()?];
    layers.extend(chain(file, text.to_owned())?);
    build(&layers)
}

/// The policy of a repository: its `ospo.toml`, or the defaults (the balanced profile) when it
/// has none.
pub fn load_for_root(root: &Path) -> Result<Policy, Vec<PolicyError>> {
    let file = root.join(FILE_NAME);
    if file.is_file() {
        load(&file)
    } else {
        Ok(Policy::default())
    }
}

fn defaults_layer() -> Result<Layer, Vec<PolicyError>> {
    read_layer(Path::new("<defaults>"), keys::defaults_toml())
}

impl Default for Policy {
    /// The built-in defaults (the key table's, which are the balanced profile).
    fn default() -> Policy {
        defaults_layer()
            .ok()
            .and_then(|l| build(&[l]).ok())
            .unwrap_or_else(|| Policy {
                files: Vec::new(),
                licenses: Licenses {
                    allow: vec![],
                    deny: vec![],
                    allow_classes: vec![],
                    deny_classes: vec![],
                    prefer: vec![],
                    clarify: vec![],
                    exceptions: vec![],
                },
                vulnerabilities: Vulnerabilities {
                    fail_on: Some(VulnSeverity::High),
                    vex: vec![],
                    ignore: vec![],
                },
                bans: Bans {
                    deny: vec![],
                    exceptions: vec![],
                },
                sources: Sources {
                    allow_registries: vec![],
                    allow_git: AllowGit::All,
                    allow_path: true,
                    allow_url: true,
                },
                health: Health {
                    min_score: 0.0,
                    max_inactive_days: 0,
                },
                secrets: Secrets {
                    allow_paths: vec![],
                    scan_history: false,
                },
                exceptions: Vec::new(),
            })
    }
}

/// The last layer that sets a value.
fn last<'a, T>(layers: &'a [Layer], get: impl Fn(&'a RawPolicy) -> Option<&'a T>) -> Option<&'a T> {
    layers.iter().rev().find_map(|l| get(&l.raw))
}

/// Merges the layers (defaults first): a later file overrides an earlier one key by key; the
/// lists of `[[…]]` entries (clarifications, exceptions, ignores, bans) are concatenated.
fn build(layers: &[Layer]) -> Result<Policy, Vec<PolicyError>> {
    let mut errors = Vec::new();
    let mut exceptions = Vec::new();
    let strings = |get: &dyn Fn(&RawPolicy) -> Option<&Vec<String>>| -> Vec<String> {
        layers
            .iter()
            .rev()
            .find_map(|l| get(&l.raw))
            .cloned()
            .unwrap_or_default()
    };
    let classes = |v: Vec<String>| -> Vec<Class> {
        v.iter()
            .filter_map(|n| Class::ALL.iter().copied().find(|c| c.name() == n))
            .collect()
    };

    let mut clarify = Vec::new();
    let mut license_exceptions = Vec::new();
    let mut ignore = Vec::new();
    let mut deny = Vec::new();
    let mut ban_exceptions = Vec::new();
    let mut vex = Vec::new();
    for layer in layers {
        let t = Text::new(&layer.file, &layer.text);
        let mut exception = |kind: ExceptionKind,
                             subject: &str,
                             reason: &str,
                             expires: Option<&str>,
                             span: &Range<usize>|
         -> Result<usize, PolicyError> {
            let expires = match expires {
                Some(e) => Some(parse_date(e).map_err(|m| t.error(Some(span), m))?),
                None => None,
            };
            exceptions.push(Exception {
                kind,
                subject: subject.to_owned(),
                reason: reason.to_owned(),
                expires,
                origin: t.origin(span),
            });
            Ok(exceptions.len() - 1)
        };
        let package = |s: &str, span: &Range<usize>| {
            PackageSpec::parse(s).map_err(|m| t.error(Some(span), m))
        };
        if let Some(l) = &layer.raw.licenses {
            for c in &l.clarify {
                let (span, c) = (c.span(), c.get_ref());
                let parsed = package(&c.package, &span).and_then(|p| {
                    let e = ospo_license::expr::parse_strict(&c.expression)
                        .map_err(|e| t.error(Some(&span), e.to_string()))?;
                    Ok((p, e))
                });
                match parsed.and_then(|(p, e)| {
                    let i = exception(
                        ExceptionKind::LicenseClarification,
                        &c.package,
                        &c.reason,
                        c.expires.as_deref(),
                        &span,
                    )?;
                    Ok((p, e, i))
                }) {
                    Ok((package, parsed, exception)) => clarify.push(Clarification {
                        package,
                        expression: parsed.expr,
                        exception,
                    }),
                    Err(e) => errors.push(e),
                }
            }
            for x in &l.exceptions {
                let (span, x) = (x.span(), x.get_ref());
                match package(&x.package, &span).and_then(|p| {
                    let i = exception(
                        ExceptionKind::LicenseException,
                        &x.package,
                        &x.reason,
                        Some(&x.expires),
                        &span,
                    )?;
                    Ok((p, i))
                }) {
                    Ok((package, exception)) => license_exceptions.push(LicenseException {
                        package,
                        allow: x.allow.clone(),
                        exception,
                    }),
                    Err(e) => errors.push(e),
                }
            }
        }
        if let Some(v) = &layer.raw.vulnerabilities {
            if let Some(paths) = &v.vex {
                let base = layer.file.parent().unwrap_or(Path::new(""));
                vex = paths.iter().map(|p| base.join(p)).collect();
            }
            for i in &v.ignore {
                let (span, i) = (i.span(), i.get_ref());
                match exception(
                    ExceptionKind::VulnerabilityIgnore,
                    &i.id,
                    &i.reason,
                    Some(&i.expires),
                    &span,
                ) {
                    Ok(exception) => ignore.push(VulnerabilityIgnore {
                        ignore: i.clone(),
                        exception,
                    }),
                    Err(e) => errors.push(e),
                }
            }
        }
        if let Some(b) = &layer.raw.bans {
            for d in &b.deny {
                let (span, d) = (d.span(), d.get_ref());
                let ban = package(&d.package, &span).and_then(|p| {
                    let versions = match &d.versions {
                        Some(v) => {
                            let scheme = scheme_of(&p.purl).ok_or_else(|| {
                                t.error(
                                    Some(&span),
                                    "versions of this ecosystem cannot be compared".into(),
                                )
                            })?;
                            Some(
                                scheme
                                    .parse_req(v)
                                    .map_err(|e| t.error(Some(&span), e.to_string()))?,
                            )
                        }
                        None => None,
                    };
                    Ok(Ban {
                        package: p,
                        versions,
                        reason: d.reason.clone(),
                        origin: t.origin(&span),
                    })
                });
                match ban {
                    Ok(b) => deny.push(b),
                    Err(e) => errors.push(e),
                }
            }
            for x in &b.exceptions {
                let (span, x) = (x.span(), x.get_ref());
                match package(&x.package, &span).and_then(|p| {
                    let i = exception(
                        ExceptionKind::BanException,
                        &x.package,
                        &x.reason,
                        Some(&x.expires),
                        &span,
                    )?;
                    Ok((p, i))
                }) {
                    Ok((package, exception)) => {
                        ban_exceptions.push(BanException { package, exception })
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
    }

    let fail_on_text = last(layers, |r| r.vulnerabilities.as_ref()?.fail_on.as_ref());
    let fail_on = match fail_on_text.map(|s| fail_on(s)) {
        Some(Ok(f)) => f,
        Some(Err(m)) => {
            errors.push(PolicyError {
                file: layers.last().map(|l| l.file.clone()).unwrap_or_default(),
                line: None,
                column: None,
                message: m,
            });
            None
        }
        None => Some(VulnSeverity::High),
    };
    let allow_git = match last(layers, |r| r.sources.as_ref()?.allow_git.as_ref()) {
        Some(RawAllowGit::All(true)) | None => AllowGit::All,
        Some(RawAllowGit::All(false)) => AllowGit::None,
        Some(RawAllowGit::Hosts(h)) => {
            AllowGit::Hosts(h.iter().map(|h| h.to_ascii_lowercase()).collect())
        }
    };
    if !errors.is_empty() {
        errors.sort();
        return Err(errors);
    }
    Ok(Policy {
        files: layers.iter().skip(1).map(|l| l.file.clone()).collect(),
        licenses: Licenses {
            allow: strings(&|r| r.licenses.as_ref()?.allow.as_ref()),
            deny: strings(&|r| r.licenses.as_ref()?.deny.as_ref()),
            allow_classes: classes(strings(&|r| r.licenses.as_ref()?.allow_classes.as_ref())),
            deny_classes: classes(strings(&|r| r.licenses.as_ref()?.deny_classes.as_ref())),
            prefer: strings(&|r| r.licenses.as_ref()?.prefer.as_ref()),
            clarify,
            exceptions: license_exceptions,
        },
        vulnerabilities: Vulnerabilities {
            fail_on,
            vex,
            ignore,
        },
        bans: Bans {
            deny,
            exceptions: ban_exceptions,
        },
        sources: Sources {
            allow_registries: strings(&|r| r.sources.as_ref()?.allow_registries.as_ref()),
            allow_git,
            allow_path: last(layers, |r| r.sources.as_ref()?.allow_path.as_ref())
                .copied()
                .unwrap_or(true),
            allow_url: last(layers, |r| r.sources.as_ref()?.allow_url.as_ref())
                .copied()
                .unwrap_or(true),
        },
        health: Health {
            min_score: last(layers, |r| r.health.as_ref()?.min_score.as_ref())
                .copied()
                .unwrap_or(0.0),
            max_inactive_days: last(layers, |r| r.health.as_ref()?.max_inactive_days.as_ref())
                .copied()
                .unwrap_or(0),
        },
        secrets: Secrets {
            allow_paths: strings(&|r| r.secrets.as_ref()?.allow_paths.as_ref()),
            scan_history: last(layers, |r| r.secrets.as_ref()?.scan_history.as_ref())
                .copied()
                .unwrap_or(false),
        },
        exceptions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usage::Usage;
    use time::macros::date;

    fn errors(text: &str) -> Vec<String> {
        validate(Path::new("ospo.toml"), text)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn every_error_is_reported_with_its_place() {
        let text = r#"extend = "x"
[licenses]
allow = ["MIT", "Apache2"]
deny-classes = ["copyleft"]
prefer = "MIT"

[[licenses.exceptions]]
package = "pkg:npm/foo"
allow = ["GPL-3.0-only"]
reason = ""

[vulnerabilities]
fail-on = "severe"

[[vulnerabilities.ignore]]
id = "RUSTSEC-2020-0071"
reason = "not reachable"
expires = "2027-13-01"

[[bans.deny]]
package = "pkg:cargo/openssl"
versions = ">=0.10 <<"
reason = "use rustls"

[sources]
allow-git = "yes"

[health]
min-score = 11
"#;
        let got = errors(text);
        assert_eq!(
            got,
            [
                "ospo.toml:1:1: unknown key `extend` at the top level; did you mean `extends`?",
                "ospo.toml:3:17: `licenses.allow[1]`: `Apache2` is not an SPDX licence id: did you mean `Apache-2.0`?",
                "ospo.toml:4:17: `licenses.deny-classes[0]`: `copyleft` is not a licence class (public-domain, permissive, weak-copyleft, strong-copyleft, network-copyleft, source-available, proprietary, unknown)",
                "ospo.toml:5:10: `licenses.prefer` must be a list of strings, not a string",
                "ospo.toml:7:1: `licenses.exceptions[0]` is missing `expires`: every exception needs an expiry date (YYYY-MM-DD)",
                "ospo.toml:10:10: `licenses.exceptions[0].reason`: must not be empty",
                "ospo.toml:13:11: `vulnerabilities.fail-on`: `severe` is not a severity (none, low, medium, high, critical, unknown), or never",
                "ospo.toml:18:11: `vulnerabilities.ignore[0].expires`: `2027-13-01` is not a date as YYYY-MM-DD",
                "ospo.toml:22:12: `bans.deny[0].versions`: `>=0.10 <<` is not a valid semver version requirement: expected comma after minor version number, found '<'",
                "ospo.toml:26:13: `sources.allow-git` must be a boolean or a list of strings, not a string",
                "ospo.toml:29:13: `health.min-score` must be a score from 0 to 10",
            ]
        );
    }

    #[test]
    fn a_licence_both_allowed_and_denied_is_an_error() {
        let got = errors(
            "[licenses]\nallow = [\"MIT\"]\ndeny = [\"0BSD\", \"MIT\"]\nallow-classes = [\"permissive\"]\ndeny-classes = [\"permissive\"]\n",
        );
        assert_eq!(
            got,
            [
                "ospo.toml:3:17: `licenses.deny[1]`: `MIT` is also in `licenses.allow`; keep it in one",
                "ospo.toml:5:17: `licenses.deny-classes[0]`: `permissive` is also in `licenses.allow-classes`; keep it in one",
            ]
        );
    }

    #[test]
    fn syntax_errors_are_placed() {
        let got = errors("[licenses]\nallow = [\"MIT\"\n");
        assert!(!got.is_empty());
        assert!(got[0].starts_with("ospo.toml:2:"), "{got:?}");
        assert_eq!(errors(""), Vec::<String>::new());
    }

    #[test]
    fn defaults_are_the_balanced_profile() {
        let p = Policy::default();
        let balanced = load_str(Path::new("b.toml"), profiles::get("balanced").unwrap()).unwrap();
        assert_eq!(p.to_json(), balanced.to_json());
        assert_eq!(p.vulnerabilities.fail_on, Some(VulnSeverity::High));
        assert_eq!(
            p.licenses.deny_classes,
            [Class::NetworkCopyleft, Class::Proprietary]
        );
        for name in profiles::NAMES {
            let text = profiles::get(name).unwrap();
            assert!(validate(Path::new(name), text).is_empty(), "{name}");
            assert!(!text.contains("extends"));
        }
    }

    #[test]
    fn extends_chain_merges_key_by_key_and_concatenates_exceptions() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("org")).unwrap();
        std::fs::write(
            dir.path().join("org/base.toml"),
            "extends = \"ospo:strict\"\n[licenses]\ndeny = [\"WTFPL\"]\n[[vulnerabilities.ignore]]\nid = \"CVE-1\"\nreason = \"org-wide\"\nexpires = \"2027-01-01\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("ospo.toml"),
            "extends = \"org/base.toml\"\n[vulnerabilities]\nfail-on = \"critical\"\n[[vulnerabilities.ignore]]\nid = \"CVE-2\"\nreason = \"local\"\nexpires = \"2026-01-01\"\n",
        )
        .unwrap();
        let p = load(&dir.path().join("ospo.toml")).unwrap();
        assert_eq!(p.files.len(), 3);
        assert_eq!(p.files[0], Path::new("ospo:strict"));
        // From the repository file, from the base, and from the profile.
        assert_eq!(p.vulnerabilities.fail_on, Some(VulnSeverity::Critical));
        assert_eq!(p.licenses.deny, ["WTFPL"]);
        assert!(!p.sources.allow_url);
        assert_eq!(p.vulnerabilities.ignore.len(), 2);
        assert_eq!(p.exceptions[0].origin.line, 4);
        assert!(p.exceptions[0].origin.file.ends_with("org/base.toml"));
        assert!(p.exceptions[1].origin.file.ends_with("ospo.toml"));

        // Time is a parameter: CVE-2 expired on 2026-01-01, CVE-1 is unused once evaluated.
        let usage = Usage::new(&p);
        let today = date!(2026 - 06 - 01);
        assert_eq!(p.expired(today).count(), 1);
        assert_eq!(p.exception_findings(today, &usage).len(), 1);
        usage.evaluated(crate::Section::Vulnerabilities);
        let findings = p.exception_findings(today, &usage);
        let codes: Vec<_> = findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            ["policy-exception-unused", "policy-exception-expired"]
        );
        assert_eq!(findings[0].location.as_ref().unwrap().line, Some(4));
        usage.mark(0);
        assert_eq!(p.exception_findings(today, &usage).len(), 1);
        // On its expiry day an exception still applies.
        assert_eq!(p.expired(date!(2026 - 01 - 01)).count(), 0);
        assert_eq!(p.expired(date!(2026 - 01 - 02)).count(), 1);
    }

    #[test]
    fn extends_cycles_and_missing_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), "extends = \"b.toml\"\n").unwrap();
        std::fs::write(dir.path().join("b.toml"), "\nextends = \"a.toml\"\n").unwrap();
        let e = load(&dir.path().join("a.toml")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (Some(2), Some(11)));
        assert!(e[0].message.contains("cycle"), "{}", e[0]);
        std::fs::write(dir.path().join("c.toml"), "extends = \"c.toml\"\n").unwrap();
        assert!(
            load(&dir.path().join("c.toml")).unwrap_err()[0]
                .message
                .contains("cycle")
        );
        std::fs::write(dir.path().join("d.toml"), "extends = \"nope.toml\"\n").unwrap();
        let e = load(&dir.path().join("d.toml")).unwrap_err();
        assert!(e[0].message.contains("cannot read"), "{}", e[0]);
        // Errors in a base file are reported in that file.
        std::fs::write(dir.path().join("e.toml"), "extends = \"f.toml\"\n").unwrap();
        std::fs::write(dir.path().join("f.toml"), "[bans]\nnope = 1\n").unwrap();
        let e = load(&dir.path().join("e.toml")).unwrap_err();
        assert!(e[0].file.ends_with("f.toml") && e[0].line == Some(2));
        assert!(
            load_str(Path::new("x.toml"), "extends = \"ospo:lenient\"\n").unwrap_err()[0]
                .message
                .contains("no built-in profile")
        );
    }

    #[test]
    fn bans_match_versions_with_the_ecosystem_rules() {
        let p = load_str(
            Path::new("ospo.toml"),
            "[[bans.deny]]\npackage = \"npm:event-stream\"\nversions = \"3.3.6\"\nreason = \"compromised\"\n[[bans.deny]]\npackage = \"pkg:pypi/Requests_OAuth\"\nreason = \"x\"\n",
        )
        .unwrap();
        let purl = |s: &str| s.parse::<ospo_model::Purl>().unwrap();
        assert!(p.bans.ban_of(&purl("pkg:npm/event-stream@3.3.6")).is_some());
        assert!(p.bans.ban_of(&purl("pkg:npm/event-stream@3.3.5")).is_none());
        assert!(
            p.bans
                .ban_of(&purl("pkg:pypi/requests-oauth@1.0"))
                .is_some()
        );
        assert_eq!(p.bans.deny[0].origin.line, 1);
        let e = errors("[[bans.deny]]\npackage = \"pkg:npm/a@1.0.0\"\nreason = \"x\"\n");
        assert!(e[0].contains("names a version"), "{e:?}");
    }

    #[test]
    fn licence_exceptions_and_clarifications_are_found_and_marked() {
        let p = load_str(
            Path::new("ospo.toml"),
            r#"[[licenses.exceptions]]
package = "pkg:cargo/ring"
allow = ["OpenSSL"]
reason = "legal reviewed 2026-03"
expires = "2026-12-31"

[[licenses.clarify]]
package = "crates.io:foo"
expression = "MIT OR Apache-2.0"
reason = "Cargo.toml says MIT/Apache-2.0"
"#,
        )
        .unwrap();
        let usage = Usage::new(&p);
        let ring: ospo_model::Purl = "pkg:cargo/ring@0.16.20".parse().unwrap();
        let today = date!(2026 - 06 - 01);
        assert!(p.license_exception(&ring, "ISC", today, &usage).is_none());
        // Clarifications come first in the list of exceptions.
        assert_eq!(p.exceptions[1].kind, crate::ExceptionKind::LicenseException);
        assert!(!usage.is_used(1));
        assert!(
            p.license_exception(&ring, "OpenSSL", today, &usage)
                .is_some()
        );
        assert!(usage.is_used(1));
        assert!(
            p.license_exception(&ring, "OpenSSL", date!(2027 - 01 - 01), &usage)
                .is_none()
        );
        let foo: ospo_model::Purl = "pkg:cargo/foo@1.0.0".parse().unwrap();
        let c = p
            .license_clarification(&foo, date!(2099 - 01 - 01), &usage)
            .unwrap();
        assert_eq!(c.expression.to_string(), "MIT OR Apache-2.0");
        assert!(usage.is_used(0));
        usage.evaluated(crate::Section::Licenses);
        assert!(p.exception_findings(today, &usage).is_empty());
    }

    #[test]
    fn licence_decisions_and_the_preference() {
        let p = load_str(
            Path::new("ospo.toml"),
            "[licenses]\nallow = [\"AGPL-3.0-only\"]\ndeny = [\"WTFPL\"]\nprefer = [\"Apache-2.0\"]\n",
        )
        .unwrap();
        let l = &p.licenses;
        use crate::policy::LicenseDecision::*;
        assert_eq!(l.decide("AGPL-3.0-only", Class::NetworkCopyleft), Allowed);
        assert!(matches!(l.decide("WTFPL", Class::Permissive), Denied(_)));
        assert!(matches!(
            l.decide("SSPL-1.0", Class::NetworkCopyleft),
            Denied(_)
        ));
        assert_eq!(l.decide("MIT", Class::Permissive), Allowed);
        let pref = l.preference();
        assert_eq!(pref.denied, ["WTFPL"]);
        assert_eq!(pref.preferred, ["Apache-2.0"]);
        assert!(!pref.allowed_classes.unwrap().contains(&Class::Proprietary));
    }
}
