//! SPDX licence expressions (`MIT OR Apache-2.0`, `GPL-2.0-or-later WITH Classpath-exception-2.0`,
//! `LicenseRef-foo`): parsed into a tree, validated against the SPDX list, repaired where the
//! intent is plain (each repair recorded), and evaluated against a preference (which side of an
//! `OR` to take).
//!
//! Strict parsing follows SPDX 2.3 Annex D: list ids exactly as the list spells them, `AND`, `OR`
//! and `WITH` in upper or lower case, parentheses, a postfix `+`, `LicenseRef-`/`DocumentRef-`
//! ids. Deprecated ids are read as their current form (`GPL-2.0` → `GPL-2.0-only`) with a note.
//! Lax parsing also accepts ids in any case, mixed-case operators, `/` for `OR`, and names made
//! of several words (`Apache 2.0 OR MIT`), looked up in the curated name table
//! ([`crate::normalise`]); each of these is a recorded fix. The canonical text of every parsed
//! expression is checked by the `spdx` crate's strict parser in the tests.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::OnceLock;

/// An expression tree. `And`/`Or` hold at least two children, flattened (no `And` directly in an
/// `And`) and without duplicates.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expr {
    License(Term),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// One licence: a list id or a `LicenseRef-`, with `+` and an exception.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term {
    /// A current SPDX list id (`MIT`), or `LicenseRef-…` / `DocumentRef-…:LicenseRef-…`.
    pub id: String,
    /// A postfix `+`: this version or any later one (never set on GNU ids, which say it with
    /// `-or-later`).
    pub or_later: bool,
    /// An SPDX exception id or an `AdditionRef-…`, after `WITH`.
    pub exception: Option<String>,
}

impl Term {
    pub fn new(id: &str) -> Term {
        Term {
            id: id.to_owned(),
            or_later: false,
            exception: None,
        }
    }

    /// Whether this is a `LicenseRef-` rather than a list id.
    pub fn is_ref(&self) -> bool {
        self.id.starts_with("LicenseRef-") || self.id.starts_with("DocumentRef-")
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)?;
        if self.or_later {
            f.write_str("+")?;
        }
        if let Some(e) = &self.exception {
            write!(f, " WITH {e}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, parts: &[Expr], op: &str| -> fmt::Result {
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    write!(f, " {op} ")?;
                }
                match p {
                    Expr::License(t) => write!(f, "{t}")?,
                    // Nested groups are always parenthesised: valid either way, clearer so.
                    _ => write!(f, "({p})")?,
                }
            }
            Ok(())
        };
        match self {
            Expr::License(t) => write!(f, "{t}"),
            Expr::And(parts) => join(f, parts, "AND"),
            Expr::Or(parts) => join(f, parts, "OR"),
        }
    }
}

impl Expr {
    /// Every licence term, left to right.
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        self.walk(&mut out);
        out
    }

    fn walk<'a>(&'a self, out: &mut Vec<&'a Term>) {
        match self {
            Expr::License(t) => out.push(t),
            Expr::And(p) | Expr::Or(p) => p.iter().for_each(|e| e.walk(out)),
        }
    }

    /// The distinct terms as text (`MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`), sorted:
    /// what two expressions are compared by when operators do not matter.
    pub fn term_set(&self) -> BTreeSet<String> {
        self.terms().into_iter().map(ToString::to_string).collect()
    }

    /// `a AND b AND …`, flattened and without duplicates; one part is itself.
    pub fn and(parts: Vec<Expr>) -> Expr {
        Expr::join(parts, true)
    }

    /// `a OR b OR …`, flattened and without duplicates; one part is itself.
    pub fn or(parts: Vec<Expr>) -> Expr {
        Expr::join(parts, false)
    }

    fn join(parts: Vec<Expr>, and: bool) -> Expr {
        let mut out: Vec<Expr> = Vec::new();
        for p in parts {
            let inner = match p {
                Expr::And(v) if and => v,
                Expr::Or(v) if !and => v,
                other => vec![other],
            };
            for e in inner {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        if out.len() == 1 {
            return out.swap_remove(0);
        }
        if and { Expr::And(out) } else { Expr::Or(out) }
    }
}

/// A parsed expression and the repairs that were needed to read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub expr: Expr,
    /// What was not written as SPDX says, and how it was read ("`apache-2.0` read as
    /// `Apache-2.0`"). Empty for a canonical expression.
    pub fixes: Vec<String>,
    /// Deprecated ids replaced by their current form (also valid SPDX, so not a fix).
    pub deprecated: Vec<String>,
}

/// Why a text is not an expression, with the character offset where reading stopped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {offset})")]
pub struct ExprError {
    pub message: String,
    pub offset: usize,
}

/// Deprecated ids and what the SPDX list replaced them with.
const DEPRECATED: &[(&str, &str)] = &[
    ("AGPL-1.0", "AGPL-1.0-only"),
    ("AGPL-3.0", "AGPL-3.0-only"),
    ("BSD-2-Clause-FreeBSD", "BSD-2-Clause-Views"),
    ("BSD-2-Clause-NetBSD", "BSD-2-Clause"),
    ("bzip2-1.0.5", "bzip2-1.0.6"),
    ("eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"),
    ("GFDL-1.1", "GFDL-1.1-only"),
    ("GFDL-1.2", "GFDL-1.2-only"),
    ("GFDL-1.3", "GFDL-1.3-only"),
    ("GPL-1.0", "GPL-1.0-only"),
    ("GPL-1.0+", "GPL-1.0-or-later"),
    ("GPL-2.0", "GPL-2.0-only"),
    ("GPL-2.0+", "GPL-2.0-or-later"),
    (
        "GPL-2.0-with-autoconf-exception",
        "GPL-2.0-only WITH Autoconf-exception-2.0",
    ),
    (
        "GPL-2.0-with-bison-exception",
        "GPL-2.0-only WITH Bison-exception-2.2",
    ),
    (
        "GPL-2.0-with-classpath-exception",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    ),
    (
        "GPL-2.0-with-font-exception",
        "GPL-2.0-only WITH Font-exception-2.0",
    ),
    (
        "GPL-2.0-with-GCC-exception",
        "GPL-2.0-only WITH GCC-exception-2.0",
    ),
    ("GPL-3.0", "GPL-3.0-only"),
    ("GPL-3.0+", "GPL-3.0-or-later"),
    (
        "GPL-3.0-with-autoconf-exception",
        "GPL-3.0-only WITH Autoconf-exception-3.0",
    ),
    (
        "GPL-3.0-with-GCC-exception",
        "GPL-3.0-only WITH GCC-exception-3.1",
    ),
    ("LGPL-2.0", "LGPL-2.0-only"),
    ("LGPL-2.0+", "LGPL-2.0-or-later"),
    ("LGPL-2.1", "LGPL-2.1-only"),
    ("LGPL-2.1+", "LGPL-2.1-or-later"),
    ("LGPL-3.0", "LGPL-3.0-only"),
    ("LGPL-3.0+", "LGPL-3.0-or-later"),
    ("Nunit", "zlib-acknowledgement"),
    ("StandardML-NJ", "SMLNJ"),
    (
        "wxWindows",
        "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
    ),
];

/// Deprecated exceptions and their replacements.
const DEPRECATED_EXCEPTIONS: &[(&str, &str)] =
    &[("Nokia-Qt-exception-1.1", "Qt-LGPL-exception-1.1")];

/// The current form of a deprecated id, if it has one (`Net-SNMP` has none and stays).
pub fn replacement(id: &str) -> Option<&'static str> {
    DEPRECATED.iter().find(|(d, _)| *d == id).map(|(_, r)| *r)
}

/// How multi-word names are looked up in lax mode: returns the expression a name stands for and
/// a note on how it was read, or `None` for an unknown name.
pub type NameLookup<'a> = &'a dyn Fn(&str) -> Option<(Expr, String)>;

/// Parses an SPDX expression strictly (see the module doc); deprecated ids are replaced and
/// listed in [`Parsed::deprecated`], nothing else is repaired.
pub fn parse_strict(text: &str) -> Result<Parsed, ExprError> {
    Parser::new(text, None).run()
}

/// Parses leniently: what strict parsing accepts, plus the repairs of the module doc, each
/// listed in [`Parsed::fixes`]. `names` resolves multi-word names (`None`: only ids).
pub fn parse_lax(text: &str, names: Option<NameLookup<'_>>) -> Result<Parsed, ExprError> {
    Parser::new(text, Some(names)).run()
}

#[derive(Clone, Debug, PartialEq)]
enum Tok<'a> {
    Word(&'a str),
    Open,
    Close,
    Slash,
}

struct Parser<'a, 'n> {
    toks: Vec<(Tok<'a>, usize)>,
    pos: usize,
    end: usize,
    /// `Some` in lax mode (with the optional name resolver).
    lax: Option<Option<NameLookup<'n>>>,
    fixes: Vec<String>,
    deprecated: Vec<String>,
    depth: usize,
}

/// Deeper nesting than this is refused (no stack overflow on hostile input).
const MAX_DEPTH: usize = 64;

fn tokenise(text: &str) -> Vec<(Tok<'_>, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let sep = match c {
            '(' => Some(Tok::Open),
            ')' => Some(Tok::Close),
            '/' => Some(Tok::Slash),
            c if c.is_whitespace() => None,
            _ => {
                if start.is_none() {
                    start = Some(i);
                }
                continue;
            }
        };
        if let Some(s) = start.take() {
            out.push((Tok::Word(&text[s..i]), s));
        }
        if let Some(t) = sep {
            out.push((t, i));
        }
    }
    if let Some(s) = start {
        out.push((Tok::Word(&text[s..]), s));
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    And,
    Or,
    With,
}

impl<'a, 'n> Parser<'a, 'n> {
    fn new(text: &'a str, lax: Option<Option<NameLookup<'n>>>) -> Self {
        Parser {
            toks: tokenise(text),
            pos: 0,
            end: text.len(),
            lax,
            fixes: Vec::new(),
            deprecated: Vec::new(),
            depth: 0,
        }
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, ExprError> {
        let offset = self.toks.get(self.pos).map_or(self.end, |t| t.1);
        Err(ExprError {
            message: message.into(),
            offset,
        })
    }

    fn fix(&mut self, note: String) {
        if !self.fixes.contains(&note) {
            self.fixes.push(note);
        }
    }

    fn run(mut self) -> Result<Parsed, ExprError> {
        if self.toks.is_empty() {
            return self.err("empty expression");
        }
        let expr = self.or_expr()?;
        if self.pos < self.toks.len() {
            return self.err("unexpected text after the expression");
        }
        Ok(Parsed {
            expr,
            fixes: self.fixes,
            deprecated: self.deprecated,
        })
    }

    /// The operator at the cursor, if any (recording a fix for an unusual spelling).
    fn peek_op(&mut self) -> Option<Op> {
        let (tok, _) = self.toks.get(self.pos)?;
        let word = match tok {
            Tok::Slash if self.lax.is_some() => {
                self.fix("`/` read as OR".into());
                return Some(Op::Or);
            }
            Tok::Word(w) => *w,
            _ => return None,
        };
        let op = match word {
            "AND" | "and" => Op::And,
            "OR" | "or" => Op::Or,
            "WITH" | "with" => Op::With,
            w if self.lax.is_some() => {
                let op = match w.to_ascii_lowercase().as_str() {
                    "and" | "&" | "&&" => Op::And,
                    "or" | "||" => Op::Or,
                    "with" => Op::With,
                    _ => return None,
                };
                self.fix(format!("operator `{w}` read as {}", op_name(op)));
                op
            }
            _ => return None,
        };
        Some(op)
    }

    fn or_expr(&mut self) -> Result<Expr, ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("expression nested too deeply");
        }
        let mut parts = vec![self.and_expr()?];
        while self.peek_op() == Some(Op::Or) {
            self.pos += 1;
            parts.push(self.and_expr()?);
        }
        self.depth -= 1;
        Ok(Expr::or(parts))
    }

    fn and_expr(&mut self) -> Result<Expr, ExprError> {
        let mut parts = vec![self.with_expr()?];
        while self.peek_op() == Some(Op::And) {
            self.pos += 1;
            parts.push(self.with_expr()?);
        }
        Ok(Expr::and(parts))
    }

    fn with_expr(&mut self) -> Result<Expr, ExprError> {
        let e = self.primary()?;
        if self.peek_op() != Some(Op::With) {
            return Ok(e);
        }
        self.pos += 1;
        let Some((Tok::Word(w), _)) = self.toks.get(self.pos).cloned() else {
            return self.err("an exception id must follow WITH");
        };
        let exception = self.exception(w)?;
        self.pos += 1;
        match e {
            Expr::License(mut t) if t.exception.is_none() => {
                t.exception = Some(exception);
                Ok(Expr::License(t))
            }
            _ => self.err("WITH must follow a single licence"),
        }
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        match self.toks.get(self.pos).cloned() {
            None => self.err("a licence is missing at the end"),
            Some((Tok::Open, _)) => {
                self.pos += 1;
                let e = self.or_expr()?;
                match self.toks.get(self.pos) {
                    Some((Tok::Close, _)) => {
                        self.pos += 1;
                        Ok(e)
                    }
                    _ => self.err("`(` is not closed"),
                }
            }
            Some((Tok::Close, _)) => self.err("unexpected `)`"),
            Some((Tok::Slash, _)) => self.err("unexpected `/`"),
            Some((Tok::Word(w), _)) => {
                if self.peek_op().is_some() {
                    return self.err(format!("a licence is missing before `{w}`"));
                }
                // Lax: a licence may be several words ("Apache 2.0").
                let start = self.pos;
                self.pos += 1;
                if self.lax.is_some() {
                    while let Some((Tok::Word(_), _)) = self.toks.get(self.pos) {
                        if self.peek_op().is_some() {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                if self.pos - start == 1 {
                    self.license(w, start)
                } else {
                    let words: Vec<&str> = self.toks[start..self.pos]
                        .iter()
                        .filter_map(|(t, _)| match t {
                            Tok::Word(w) => Some(*w),
                            _ => None,
                        })
                        .collect();
                    let name = words.join(" ");
                    match self.lookup(&name) {
                        Some((e, note)) => {
                            self.fix(note);
                            Ok(e)
                        }
                        None => {
                            self.pos = start;
                            self.err(format!("unknown licence `{name}`"))
                        }
                    }
                }
            }
        }
    }

    fn lookup(&self, name: &str) -> Option<(Expr, String)> {
        match self.lax {
            Some(Some(f)) => f(name),
            _ => None,
        }
    }

    /// One word as a licence term.
    fn license(&mut self, word: &str, at: usize) -> Result<Expr, ExprError> {
        if let Some(r) = word.strip_prefix("LicenseRef-").or_else(|| {
            word.split_once(":LicenseRef-")
                .map(|(d, r)| if d.starts_with("DocumentRef-") { r } else { "" })
        }) {
            if !r.is_empty()
                && r.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            {
                return Ok(Expr::License(Term::new(word)));
            }
            self.pos = at;
            return self.err(format!(
                "`{word}` is not a valid LicenseRef (letters, digits, `.` and `-` only)"
            ));
        }
        let (base, plus) = match word.strip_suffix('+') {
            Some(b) if !b.is_empty() && static_id(word).is_none() => (b, true),
            _ => (word, false),
        };
        // Exact list id (a deprecated `GPL-2.0+` is an id of its own).
        let exact = [word, base]
            .into_iter()
            .find_map(|w| static_id(w).map(|name| (w, name)));
        let name = match exact {
            Some((w, name)) => {
                if w == word {
                    return self.term(name, false);
                }
                name
            }
            None => {
                let folded = self
                    .lax
                    .is_some()
                    .then(|| lower_ids().get(&base.to_ascii_lowercase()).copied())
                    .flatten();
                match folded {
                    Some(name) => {
                        self.fix(format!("`{base}` read as `{name}`"));
                        name
                    }
                    None => {
                        if let Some((e, note)) = self.lookup(word) {
                            self.fix(note);
                            return Ok(e);
                        }
                        self.pos = at;
                        return self.err(format!("`{word}` is not an SPDX licence id"));
                    }
                }
            }
        };
        self.term(name, plus)
    }

    /// A list id with an optional `+`, deprecated ids replaced, GNU `+` turned into `-or-later`.
    fn term(&mut self, id: &'static str, plus: bool) -> Result<Expr, ExprError> {
        if let Some(r) = replacement(id) {
            self.deprecated
                .push(format!("deprecated id `{id}` read as `{r}`"));
            let inner = parse_strict(r)?.expr;
            return match inner {
                Expr::License(t) if plus => {
                    let exception = t.exception;
                    match self.term(static_id(&t.id).unwrap_or(id), true)? {
                        Expr::License(mut nt) => {
                            nt.exception = exception;
                            Ok(Expr::License(nt))
                        }
                        e => Ok(e),
                    }
                }
                e => Ok(e),
            };
        }
        if !plus {
            return Ok(Expr::License(Term::new(id)));
        }
        if let Some(base) = id.strip_suffix("-only")
            && let Some(later) = static_id(&format!("{base}-or-later"))
        {
            self.fix(format!("`{id}+` read as `{later}`"));
            return Ok(Expr::License(Term::new(later)));
        }
        if id.ends_with("-or-later") {
            self.fix(format!("redundant `+` after `{id}` dropped"));
            return Ok(Expr::License(Term::new(id)));
        }
        Ok(Expr::License(Term {
            id: id.to_owned(),
            or_later: true,
            exception: None,
        }))
    }

    fn exception(&mut self, word: &str) -> Result<String, ExprError> {
        if let Some(r) = word
            .strip_prefix("AdditionRef-")
            .or_else(|| word.split_once(":AdditionRef-").map(|(_, r)| r))
        {
            if !r.is_empty()
                && r.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            {
                return Ok(word.to_owned());
            }
            return self.err(format!("`{word}` is not a valid AdditionRef"));
        }
        let name = match spdx::exception_id(word) {
            Some(e) => e.name,
            None => {
                let folded = self
                    .lax
                    .is_some()
                    .then(|| {
                        spdx::identifiers::EXCEPTIONS
                            .iter()
                            .find(|e| e.name.eq_ignore_ascii_case(word))
                            .map(|e| e.name)
                    })
                    .flatten();
                match folded {
                    Some(n) => {
                        self.fix(format!("`{word}` read as `{n}`"));
                        n
                    }
                    None => return self.err(format!("`{word}` is not an SPDX exception id")),
                }
            }
        };
        if let Some((_, r)) = DEPRECATED_EXCEPTIONS.iter().find(|(d, _)| *d == name) {
            self.deprecated
                .push(format!("deprecated exception `{name}` read as `{r}`"));
            return Ok((*r).to_owned());
        }
        Ok(name.to_owned())
    }
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::And => "AND",
        Op::Or => "OR",
        Op::With => "WITH",
    }
}

/// A list id by exact name, as the list's own `'static` string (`spdx::license_id` drops a
/// trailing `+`, and `GPL-2.0+` is an id of its own).
pub fn static_id(id: &str) -> Option<&'static str> {
    list().get(id).map(|l| l.name)
}

/// The SPDX list entry of an exact id.
pub fn list_entry(id: &str) -> Option<&'static spdx::License> {
    list().get(id).copied()
}

fn list() -> &'static HashMap<&'static str, &'static spdx::License> {
    static IDS: OnceLock<HashMap<&'static str, &'static spdx::License>> = OnceLock::new();
    IDS.get_or_init(|| {
        spdx::identifiers::LICENSES
            .iter()
            .map(|l| (l.name, l))
            .collect()
    })
}

/// Every list id by its lower-case form.
fn lower_ids() -> &'static HashMap<String, &'static str> {
    static IDS: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    IDS.get_or_init(|| {
        spdx::identifiers::LICENSES
            .iter()
            .map(|l| (l.name.to_ascii_lowercase(), l.name))
            .collect()
    })
}

/// What a choice over an expression took and left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The licences taken: the conjunction that must all be complied with.
    pub chosen: Vec<Term>,
    /// The alternatives not taken.
    pub declined: Vec<Term>,
    /// The cost of the choice (the highest cost among the chosen terms); `None` when no choice
    /// avoids a term the preference does not allow.
    pub cost: Option<u32>,
}

impl Choice {
    /// The chosen terms as an expression.
    pub fn expression(&self) -> Option<Expr> {
        let parts: Vec<Expr> = self.chosen.iter().cloned().map(Expr::License).collect();
        (!parts.is_empty()).then(|| Expr::and(parts))
    }
}

/// Picks a side of every `OR`: the cheapest by `cost` (`None`: not allowed), ties going to the
/// side written first. An `AND` costs its most expensive part.
pub fn choose(expr: &Expr, cost: &dyn Fn(&Term) -> Option<u32>) -> Choice {
    match expr {
        Expr::License(t) => Choice {
            chosen: vec![t.clone()],
            declined: Vec::new(),
            cost: cost(t),
        },
        Expr::And(parts) => {
            let mut out = Choice {
                chosen: Vec::new(),
                declined: Vec::new(),
                cost: Some(0),
            };
            for p in parts {
                let c = choose(p, cost);
                out.cost = match (out.cost, c.cost) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                for t in c.chosen {
                    if !out.chosen.contains(&t) {
                        out.chosen.push(t);
                    }
                }
                out.declined.extend(c.declined);
            }
            out.declined.retain(|t| !out.chosen.contains(t));
            out
        }
        Expr::Or(parts) => {
            let options: Vec<Choice> = parts.iter().map(|p| choose(p, cost)).collect();
            let best = options
                .iter()
                .enumerate()
                .min_by_key(|(i, c)| (c.cost.is_none(), c.cost, *i))
                .map_or(0, |(i, _)| i);
            let mut out = options.get(best).cloned().unwrap_or(Choice {
                chosen: Vec::new(),
                declined: Vec::new(),
                cost: None,
            });
            for (i, o) in options.into_iter().enumerate() {
                if i != best {
                    out.declined.extend(o.chosen);
                    out.declined.extend(o.declined);
                }
            }
            out.declined.retain(|t| !out.chosen.contains(t));
            out.declined.dedup();
            out
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn lax(s: &str) -> (String, Vec<String>) {
        let p = parse_lax(s, None).unwrap();
        (p.expr.to_string(), p.fixes)
    }

    #[test]
    fn strict_expressions() {
        for (input, want) in [
            ("MIT", "MIT"),
            ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
            ("mit", ""),
            (
                "(MIT OR Apache-2.0) AND BSD-3-Clause",
                "(MIT OR Apache-2.0) AND BSD-3-Clause",
            ),
            ("MIT or Apache-2.0", "MIT OR Apache-2.0"),
            (
                "Apache-2.0 WITH LLVM-exception",
                "Apache-2.0 WITH LLVM-exception",
            ),
            (
                "GPL-2.0-or-later WITH Classpath-exception-2.0",
                "GPL-2.0-or-later WITH Classpath-exception-2.0",
            ),
            ("LicenseRef-my-licence.1", "LicenseRef-my-licence.1"),
            ("DocumentRef-x:LicenseRef-y", "DocumentRef-x:LicenseRef-y"),
            ("MPL-1.1+", "MPL-1.1+"),
            ("MIT AND MIT", "MIT"),
            ("A OR B AND C", ""),
            (
                "MIT OR Apache-2.0 AND BSD-3-Clause",
                "MIT OR (Apache-2.0 AND BSD-3-Clause)",
            ),
            ("((MIT))", "MIT"),
            ("MIT OR", ""),
            ("(MIT", ""),
            ("MIT)", ""),
            ("MIT/Apache-2.0", ""),
            ("", ""),
            ("MIT WITH", ""),
            ("MIT WITH Nope-exception", ""),
            ("(MIT OR ISC) WITH LLVM-exception", ""),
            ("LicenseRef-", ""),
            ("LicenseRef-a_b", ""),
        ] {
            let got = parse_strict(input)
                .map(|p| p.expr.to_string())
                .unwrap_or_default();
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn deprecated_ids_are_replaced_with_a_note() {
        for (input, want) in [
            ("GPL-2.0", "GPL-2.0-only"),
            ("GPL-2.0+", "GPL-2.0-or-later"),
            ("LGPL-2.1+", "LGPL-2.1-or-later"),
            ("GPL-3.0 OR MIT", "GPL-3.0-only OR MIT"),
            (
                "GPL-2.0-with-classpath-exception",
                "GPL-2.0-only WITH Classpath-exception-2.0",
            ),
            (
                "wxWindows",
                "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
            ),
            ("StandardML-NJ", "SMLNJ"),
            ("Net-SNMP", "Net-SNMP"),
            (
                "GPL-2.0-only WITH Nokia-Qt-exception-1.1",
                "GPL-2.0-only WITH Qt-LGPL-exception-1.1",
            ),
        ] {
            let p = parse_strict(input).unwrap();
            assert_eq!(p.expr.to_string(), want, "{input}");
            assert!(p.fixes.is_empty(), "{input}");
            assert_eq!(
                p.deprecated.is_empty(),
                input == "Net-SNMP",
                "{input}: {:?}",
                p.deprecated
            );
        }
        // Every replacement is itself valid and current.
        for (old, new) in DEPRECATED {
            let p = parse_strict(new).unwrap();
            assert!(p.deprecated.is_empty(), "{old} -> {new}");
            assert!(
                list_entry(old).is_some_and(|l| l.flags & spdx::flags::IS_DEPRECATED != 0),
                "{old}"
            );
        }
    }

    #[test]
    fn lax_repairs_are_recorded() {
        assert_eq!(
            lax("mit"),
            ("MIT".into(), vec!["`mit` read as `MIT`".to_owned()])
        );
        assert_eq!(lax("MIT/Apache-2.0").0, "MIT OR Apache-2.0");
        assert_eq!(lax("MIT / Apache-2.0").1, ["`/` read as OR"]);
        assert_eq!(lax("apache-2.0 Or mit").0, "Apache-2.0 OR MIT");
        assert_eq!(lax("GPL-2.0-only+").0, "GPL-2.0-or-later");
        assert_eq!(lax("GPL-3.0-or-later+").0, "GPL-3.0-or-later");
        assert_eq!(lax("gpl-2.0+").0, "GPL-2.0-or-later");
        assert_eq!(lax("MIT WITH llvm-exception").0, "MIT WITH LLVM-exception");
        assert!(
            parse_lax("MIT OR Apache 2.0", None).is_err(),
            "needs the name table"
        );
        let names = |n: &str| {
            (n == "Apache 2.0").then(|| {
                (
                    Expr::License(Term::new("Apache-2.0")),
                    "`Apache 2.0` read as `Apache-2.0`".to_owned(),
                )
            })
        };
        let p = parse_lax("MIT OR Apache 2.0", Some(&names)).unwrap();
        assert_eq!(p.expr.to_string(), "MIT OR Apache-2.0");
        assert_eq!(p.fixes, ["`Apache 2.0` read as `Apache-2.0`"]);
        assert!(parse_lax("MIT OR Apache 3.0", Some(&names)).is_err());
    }

    #[test]
    fn errors_say_where() {
        let e = parse_strict("MIT OR Nope").unwrap_err();
        assert_eq!(e.offset, 7);
        assert!(e.message.contains("Nope"), "{e}");
        let e = parse_strict("MIT AND").unwrap_err();
        assert_eq!(e.offset, 7);
    }

    #[test]
    fn hostile_nesting_is_refused() {
        let deep = format!("{}MIT{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse_strict(&deep).is_err());
    }

    fn class_cost(t: &Term) -> Option<u32> {
        match t.id.as_str() {
            "MIT" | "Apache-2.0" | "BSD-3-Clause" => Some(1),
            "LGPL-2.1-only" | "MPL-2.0" => Some(2),
            "GPL-2.0-only" | "GPL-3.0-only" => Some(3),
            _ => None,
        }
    }

    #[test]
    fn choice_takes_the_cheapest_side() {
        let pick = |s: &str| {
            let c = choose(&parse_strict(s).unwrap().expr, &class_cost);
            (
                c.expression().map(|e| e.to_string()).unwrap_or_default(),
                c.declined
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
                c.cost,
            )
        };
        assert_eq!(
            pick("MIT OR Apache-2.0"),
            ("MIT".into(), vec!["Apache-2.0".into()], Some(1))
        );
        assert_eq!(
            pick("GPL-3.0-only OR MIT"),
            ("MIT".into(), vec!["GPL-3.0-only".into()], Some(1))
        );
        assert_eq!(
            pick("MPL-2.0 AND (GPL-2.0-only OR BSD-3-Clause)"),
            (
                "MPL-2.0 AND BSD-3-Clause".into(),
                vec!["GPL-2.0-only".into()],
                Some(2)
            )
        );
        assert_eq!(
            pick("Zed OR GPL-2.0-only"),
            ("GPL-2.0-only".into(), vec!["Zed".into()], Some(3))
        );
        assert_eq!(pick("Zed AND MIT"), ("Zed AND MIT".into(), vec![], None));
        assert_eq!(
            pick("(MIT AND Zed) OR (LGPL-2.1-only AND BSD-3-Clause)").0,
            "LGPL-2.1-only AND BSD-3-Clause"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_output_is_strict_spdx(s in "\\PC{0,80}") {
            for parsed in [parse_strict(&s), parse_lax(&s, None)].into_iter().flatten() {
                let text = parsed.expr.to_string();
                prop_assert!(spdx::Expression::parse(&text).is_ok(), "{} -> {}", s, text);
                let again = parse_strict(&text).unwrap();
                prop_assert_eq!(again.expr, parsed.expr);
            }
        }

        /// A choice partitions the terms: every term is chosen or declined, never both.
        #[test]
        fn choice_partitions_the_terms(parts in proptest::collection::vec(prop_oneof![
            Just("MIT"), Just("GPL-2.0-only"), Just("MPL-2.0"), Just("Zed"), Just("("), Just(")"),
            Just("OR"), Just("AND"),
        ], 1..12)) {
            let s = parts.join(" ");
            if let Ok(p) = parse_strict(&s) {
                let c = choose(&p.expr, &class_cost);
                let all: std::collections::BTreeSet<String> = p.expr.term_set();
                let chosen: std::collections::BTreeSet<String> = c.chosen.iter().map(ToString::to_string).collect();
                let declined: std::collections::BTreeSet<String> = c.declined.iter().map(ToString::to_string).collect();
                prop_assert!(chosen.is_disjoint(&declined), "{}", s);
                prop_assert_eq!(chosen.union(&declined).cloned().collect::<std::collections::BTreeSet<_>>(), all, "{}", s);
                prop_assert!(!chosen.is_empty());
            }
        }

        #[test]
        fn expression_shaped_input(parts in proptest::collection::vec(prop_oneof![
            Just("MIT"), Just("apache-2.0"), Just("GPL-2.0+"), Just("("), Just(")"), Just("OR"),
            Just("and"), Just("WITH"), Just("LLVM-exception"), Just("/"), Just("LicenseRef-x"), Just("+"),
        ], 0..12)) {
            let s = parts.join(" ");
            for parsed in [parse_strict(&s), parse_lax(&s, None)].into_iter().flatten() {
                let text = parsed.expr.to_string();
                prop_assert!(spdx::Expression::parse(&text).is_ok(), "{} -> {}", s, text);
            }
        }
    }
}
