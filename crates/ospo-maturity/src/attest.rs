//! Attestations: what only a person can say, stored in a file of the organisation's policy
//! repository (`ospo-attestations.toml`) so that it is reviewed like code.
//!
//! ```toml
//! [[attestation]]
//! criterion = "ospo-stages:legal-developer-education"
//! answer = "met"                 # met | partial | unmet | not-applicable
//! by = "Ana Example <ana@example.com>"
//! date = 2026-01-15
//! statement = "Every engineer takes the licence and secure-software course at onboarding."
//! link = "https://wiki.example.com/ospo/training"   # optional
//! expires = 2027-01-15
//! ```
//!
//! Every entry is checked and every problem reported with its line and column: unknown keys and
//! criteria (with a suggestion), bad answers, malformed dates, missing fields, an expiry before
//! the statement's date. An entry with an error is dropped; an expired one is kept in the file's
//! history but no longer counts (a warning). Several entries for one criterion are its history:
//! the latest-dated live one counts. "Today" is the `as_of` parameter, never the clock.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use time::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::framework::Catalogue;

/// The default file name.
pub const FILE_NAME: &str = "ospo-attestations.toml";

/// A person's answer to a criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    Met,
    Partial,
    Unmet,
    NotApplicable,
}

impl Answer {
    pub const NAMES: [&str; 4] = ["met", "partial", "unmet", "not-applicable"];

    pub fn name(self) -> &'static str {
        match self {
            Answer::Met => "met",
            Answer::Partial => "partial",
            Answer::Unmet => "unmet",
            Answer::NotApplicable => "not-applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        match s {
            "met" => Some(Answer::Met),
            "partial" => Some(Answer::Partial),
            "unmet" => Some(Answer::Unmet),
            "not-applicable" => Some(Answer::NotApplicable),
            _ => None,
        }
    }
}

/// One attestation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attestation {
    pub criterion: String,
    pub answer: Answer,
    pub by: String,
    #[serde(serialize_with = "crate::date")]
    pub date: Date,
    pub statement: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(serialize_with = "crate::date")]
    pub expires: Date,
    /// `file:line:column` of the entry.
    pub place: String,
}

impl Attestation {
    /// Whether it still counts on `as_of` (through its expiry day).
    pub fn is_live(&self, as_of: Date) -> bool {
        as_of <= self.expires
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in the attestation file, with its place.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AttestDiagnostic {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for AttestDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// The attestations of a file that passed its checks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Attestations {
    pub entries: Vec<Attestation>,
}

impl Attestations {
    /// The attestation that counts for a criterion on `as_of`: the latest-dated live one (the
    /// later in the file on a tie).
    pub fn live(&self, criterion: &str, as_of: Date) -> Option<&Attestation> {
        self.entries
            .iter()
            .filter(|a| a.criterion == criterion && a.is_live(as_of))
            .max_by_key(|a| a.date)
    }

    /// The latest-dated entry for a criterion, live or not.
    pub fn latest(&self, criterion: &str) -> Option<&Attestation> {
        self.entries
            .iter()
            .filter(|a| a.criterion == criterion)
            .max_by_key(|a| a.date)
    }
}

/// The result of loading: the attestations that count and every diagnostic, sorted.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub attestations: Attestations,
    pub diagnostics: Vec<AttestDiagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Reads an attestation file. A file that does not exist is an empty one.
pub fn load(file: &Path, catalogue: &Catalogue, as_of: Date) -> Loaded {
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => load_str(file, &text, catalogue, as_of),
            Err(_) => Loaded {
                attestations: Attestations::default(),
                diagnostics: vec![AttestDiagnostic {
                    file: file.to_path_buf(),
                    line: 1,
                    column: 1,
                    severity: Severity::Error,
                    message: "the file is not UTF-8 text".into(),
                }],
            },
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::default(),
        Err(e) => Loaded {
            attestations: Attestations::default(),
            diagnostics: vec![AttestDiagnostic {
                file: file.to_path_buf(),
                line: 1,
                column: 1,
                severity: Severity::Error,
                message: format!("cannot read the attestation file: {e}"),
            }],
        },
    }
}

struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    starts: Vec<usize>,
    diagnostics: Vec<AttestDiagnostic>,
}

impl Ctx<'_> {
    fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset.saturating_sub(start), |s| s.chars().count())
            + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    fn place(&self, span: &Range<usize>) -> String {
        let (l, c) = self.position(span.start);
        format!("{}:{l}:{c}", self.file.display())
    }

    fn push(&mut self, severity: Severity, span: &Range<usize>, message: String) {
        let (line, column) = self.position(span.start);
        self.diagnostics.push(AttestDiagnostic {
            file: self.file.to_path_buf(),
            line,
            column,
            severity,
            message,
        });
    }

    fn error(&mut self, span: &Range<usize>, message: String) {
        self.push(Severity::Error, span, message);
    }
}

const FIELDS: [&str; 7] = [
    "criterion",
    "answer",
    "by",
    "date",
    "statement",
    "link",
    "expires",
];

/// Reads attestations from text; `file` names it in diagnostics.
pub fn load_str(file: &Path, text: &str, catalogue: &Catalogue, as_of: Date) -> Loaded {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let mut cx = Ctx {
        file,
        text,
        starts,
        diagnostics: Vec::new(),
    };
    let (doc, syntax) = DeTable::parse_recoverable(text);
    for e in &syntax {
        let span = e.span().unwrap_or(0..0);
        cx.error(&span, e.message().trim().to_owned());
    }
    let mut entries = Vec::new();
    // After a syntax error the recovered tree is a guess: only the syntax is reported.
    if syntax.is_empty() {
        for (k, v) in doc.get_ref().iter() {
            let key: &str = k.get_ref();
            if key != "attestation" {
                let hint = suggest(key, ["attestation"].into_iter())
                    .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
                cx.error(
                    &k.span(),
                    format!("unknown key `{key}`: the file holds `[[attestation]]` entries{hint}"),
                );
                continue;
            }
            let Some(array) = v.get_ref().as_array() else {
                cx.error(
                    &v.span(),
                    "`attestation` must be an array of tables (`[[attestation]]`)".into(),
                );
                continue;
            };
            for item in array.iter() {
                match item.get_ref().as_table() {
                    Some(t) => {
                        if let Some(a) = entry(&mut cx, &item.span(), t, catalogue, as_of) {
                            entries.push(a);
                        }
                    }
                    None => cx.error(&item.span(), "an attestation must be a table".into()),
                }
            }
        }
    }
    cx.diagnostics.sort();
    cx.diagnostics.dedup();
    Loaded {
        attestations: Attestations { entries },
        diagnostics: cx.diagnostics,
    }
}

fn entry(
    cx: &mut Ctx<'_>,
    span: &Range<usize>,
    t: &DeTable<'_>,
    catalogue: &Catalogue,
    as_of: Date,
) -> Option<Attestation> {
    let before = cx.diagnostics.len();
    let get = |name: &str| -> Option<&Spanned<DeValue<'_>>> {
        t.iter().find(|(k, _)| k.get_ref() == name).map(|(_, v)| v)
    };
    let string = |cx: &mut Ctx<'_>, name: &str, v: Option<&Spanned<DeValue<'_>>>| {
        let v = v?;
        match v.get_ref().as_str() {
            Some(s) if !s.trim().is_empty() => Some(s.to_owned()),
            Some(_) => {
                cx.error(&v.span(), format!("`{name}` is empty"));
                None
            }
            None => {
                cx.error(
                    &v.span(),
                    format!("`{name}` must be a string, not {}", v.get_ref().type_str()),
                );
                None
            }
        }
    };
    for (k, _) in t.iter() {
        let key: &str = k.get_ref();
        if !FIELDS.contains(&key) {
            let hint = suggest(key, FIELDS.into_iter()).map_or_else(
                || format!("expected one of: {}", FIELDS.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            cx.error(&k.span(), format!("unknown key `{key}`; {hint}"));
        }
    }
    let mut missing = Vec::new();
    for f in FIELDS {
        if f != "link" && get(f).is_none() {
            missing.push(f);
        }
    }
    if !missing.is_empty() {
        cx.error(
            span,
            format!(
                "the attestation lacks {}",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let criterion_v = get("criterion");
    let criterion = string(cx, "criterion", criterion_v);
    if let (Some(c), Some(v)) = (&criterion, criterion_v)
        && catalogue.criterion(c).is_none()
    {
        let hint = suggest(c, catalogue.criteria().map(|c| c.id.as_str())).map_or_else(
            || " (`ospo assess -f md` lists them)".to_owned(),
            |s| format!("; did you mean `{s}`?"),
        );
        cx.error(&v.span(), format!("unknown criterion `{c}`{hint}"));
    }
    let answer_v = get("answer");
    let answer = string(cx, "answer", answer_v).and_then(|a| {
        let parsed = Answer::parse(&a);
        if parsed.is_none()
            && let Some(v) = answer_v
        {
            let hint = suggest(&a, Answer::NAMES.into_iter())
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
            cx.error(
                &v.span(),
                format!(
                    "`answer` must be one of {}, not `{a}`{hint}",
                    Answer::NAMES.join(", ")
                ),
            );
        }
        parsed
    });
    let by = string(cx, "by", get("by"));
    let statement = string(cx, "statement", get("statement"));
    let link = string(cx, "link", get("link"));
    let date_v = get("date");
    let date = date_v.and_then(|v| date_value(cx, "date", v));
    let expires_v = get("expires");
    let expires = expires_v.and_then(|v| date_value(cx, "expires", v));
    if let (Some(d), Some(e), Some(v)) = (date, expires, expires_v)
        && e < d
    {
        cx.error(
            &v.span(),
            format!("`expires` ({e}) is before the attestation's `date` ({d})"),
        );
    }
    if let (Some(d), Some(v)) = (date, date_v)
        && d > as_of
    {
        cx.push(
            Severity::Warning,
            &v.span(),
            format!("`date` ({d}) is after the assessment date ({as_of})"),
        );
    }
    if cx.diagnostics.len() > before
        && cx.diagnostics[before..]
            .iter()
            .any(|d| d.severity == Severity::Error)
    {
        return None;
    }
    let (criterion, answer, by, date, statement, expires) =
        (criterion?, answer?, by?, date?, statement?, expires?);
    if expires < as_of
        && let Some(v) = expires_v
    {
        cx.push(
            Severity::Warning,
            &v.span(),
            format!(
                "the attestation of `{criterion}` expired on {expires}: it no longer counts; renew it with `ospo assess --interactive`"
            ),
        );
    }
    Some(Attestation {
        criterion,
        answer,
        by,
        date,
        statement,
        link,
        expires,
        place: cx.place(span),
    })
}

/// A `YYYY-MM-DD` date, written as a TOML date or a string.
fn date_value(cx: &mut Ctx<'_>, name: &str, v: &Spanned<DeValue<'_>>) -> Option<Date> {
    let text = match v.get_ref() {
        DeValue::Datetime(dt) => {
            if dt.time.is_some() || dt.offset.is_some() || dt.date.is_none() {
                cx.error(
                    &v.span(),
                    format!("`{name}` must be a date as YYYY-MM-DD, not a date-time (`{dt}`)"),
                );
                return None;
            }
            dt.to_string()
        }
        DeValue::String(s) => s.to_string(),
        other => {
            cx.error(
                &v.span(),
                format!(
                    "`{name}` must be a date as YYYY-MM-DD, not {}",
                    other.type_str()
                ),
            );
            return None;
        }
    };
    match parse_date(&text) {
        Ok(d) => Some(d),
        Err(m) => {
            cx.error(&v.span(), format!("`{name}`: {m}"));
            None
        }
    }
}

/// A `YYYY-MM-DD` date (the policy file's reading of dates).
pub use ospo_policy::load::parse_date;

/// The closest candidate (within a third of the name's length, at least 2 edits), else the one
/// the name is a suffix of (a criterion id written without its framework).
fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = name.chars().count().div_ceil(3).max(2);
    let candidates: Vec<&str> = candidates.collect();
    let best = candidates
        .iter()
        .map(|c| (ospo_policy::suggest::distance(name, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min();
    best.map(|(_, c)| c).or_else(|| {
        candidates
            .into_iter()
            .find(|c| c.ends_with(&format!(":{name}")))
    })
}

/// An attestation as TOML text, to append to the file.
pub fn render(a: &Attestation) -> String {
    let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut out = format!(
        "[[attestation]]\ncriterion = {}\nanswer = {}\nby = {}\ndate = {}\nstatement = {}\n",
        q(&a.criterion),
        q(a.answer.name()),
        q(&a.by),
        a.date,
        q(&a.statement)
    );
    if let Some(link) = &a.link {
        out.push_str(&format!("link = {}\n", q(link)));
    }
    out.push_str(&format!("expires = {}\n", a.expires));
    out
}

/// The file's text with new attestations appended (the existing text, comments included, is
/// kept as it is).
pub fn append(existing: &str, new: &[Attestation]) -> String {
    let mut out = if existing.trim().is_empty() {
        "# Attestations for `ospo assess`: what only a person can say, reviewed like code.\n\
             # Each entry: criterion, answer (met | partial | unmet | not-applicable), by, date,\n\
             # statement, link (optional), expires. The latest-dated live entry of a criterion counts.\n"
            .to_owned()
    } else {
        existing.to_owned()
    };
    for a in new {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&render(a));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> Catalogue {
        Catalogue::builtin().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn day(s: &str) -> Date {
        parse_date(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn diagnostics(text: &str) -> String {
        let loaded = load_str(
            Path::new("ospo-attestations.toml"),
            text,
            &cat(),
            day("2026-06-01"),
        );
        loaded
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_good_file_loads_and_the_latest_live_entry_counts() {
        let text = r#"
# reviewed in the policy repository
[[attestation]]
criterion = "ospo-stages:legal-developer-education"
answer = "partial"
by = "Ana <ana@example.com>"
date = 2026-01-10
statement = "Half the teams took the course."
expires = 2027-01-10

[[attestation]]
criterion = "ospo-stages:legal-developer-education"
answer = "met"
by = "Ana <ana@example.com>"
date = "2026-03-01"
statement = "Every team took the course."
link = "https://wiki.example.com/training"
expires = 2027-03-01
"#;
        let loaded = load_str(Path::new("a.toml"), text, &cat(), day("2026-06-01"));
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let live = loaded
            .attestations
            .live("ospo-stages:legal-developer-education", day("2026-06-01"));
        assert_eq!(live.map(|a| a.answer), Some(Answer::Met));
        assert_eq!(live.map(|a| a.place.as_str()), Some("a.toml:11:1"));
        // A year later both have expired.
        assert!(
            loaded
                .attestations
                .live("ospo-stages:legal-developer-education", day("2027-06-01"))
                .is_none()
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = r#"[[attestation]]
criterion = "ospo-stages:legal-developer-educaton"
answer = "yes"
by = ""
date = "2026-13-01"
statement = "Trained."
expires = 2026-01-01
colour = "blue"

[[attestation]]
criterion = "legal-usage-policy"
answer = "met"
date = 2026-01-01
expires = 2026-02-01T10:00:00

[[attestation]]
criterion = "security-levels:l5-patents"
answer = "not-applicable"
by = "Legal"
date = 2025-01-01
statement = "No patents."
expires = 2026-01-01

[[attestation]]
criterion = "security-levels:l5-sme"
answer = "met"
by = "CISO"
date = 2026-05-01
statement = "Talks given."
expires = 2026-04-01

[extra]
"#;
        insta::assert_snapshot!(diagnostics(text));
    }

    #[test]
    fn syntax_errors_are_placed() {
        // A malformed bare date is a TOML syntax error: it is reported alone, with its place.
        insta::assert_snapshot!(format!(
            "{}\n{}",
            diagnostics("[[attestation]]\ncriterion = \"x\nanswer = met\n"),
            diagnostics("[[attestation]]\ndate = 2026-13-01\n")
        ));
    }

    #[test]
    fn appended_entries_round_trip() {
        let a = Attestation {
            criterion: "ospo-stages:legal-metrics".into(),
            answer: Answer::Partial,
            by: "Jo \"JJ\" O'Neil".into(),
            date: day("2026-02-03"),
            statement: "Line one.\nLine two with a \\ backslash.".into(),
            link: Some("https://example.com/x".into()),
            expires: day("2027-02-03"),
            place: String::new(),
        };
        let text = append("# mine\n", std::slice::from_ref(&a));
        assert!(text.starts_with("# mine\n"));
        let loaded = load_str(Path::new("f"), &text, &cat(), day("2026-03-01"));
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let got = &loaded.attestations.entries[0];
        assert_eq!(
            (&got.by, &got.statement, got.answer, got.expires),
            (&a.by, &a.statement, a.answer, a.expires)
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = load_str(Path::new("f"), &text, &cat(), day("2026-01-01"));
        }

        #[test]
        fn arbitrary_entries_never_panic(
            criterion in "[a-z:-]{0,40}",
            answer in "[a-z-]{0,15}",
            date in "[0-9-]{0,12}",
            expires in "[0-9T:-]{0,20}",
        ) {
            let text = format!(
                "[[attestation]]\ncriterion = \"{criterion}\"\nanswer = \"{answer}\"\nby = \"x\"\ndate = \"{date}\"\nstatement = \"s\"\nexpires = {expires}\n"
            );
            let _ = load_str(Path::new("f"), &text, &cat(), day("2026-01-01"));
        }
    }
}
