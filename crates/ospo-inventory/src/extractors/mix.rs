//! Elixir `mix.lock`, paired with the `mix.exs` beside it.
//!
//! The lockfile is an Elixir map literal, read here by a small tolerant parser of Elixir terms
//! (strings with escapes, atoms, numbers, lists, tuples, keyword lists, maps). Entries:
//!
//! - `"app": {:hex, :package, "1.2.3", "inner", [:mix], [deps…], "hexpm", "outer"}`: a Hex
//!   package; the outer checksum (sha256 of the tarball) is the hash; older entries with fewer
//!   elements are read as far as they go. The repository (`hexpm`, `hexpm:org`) is kept in the
//!   source only as "a registry": the file names no URL.
//! - `"app": {:git, "url", "rev", [opts]}`: a git checkout, unversioned.
//!
//! Each dependency `{:app, "req", [hex: :pkg, repo: "hexpm", optional: false]}` is an edge to the
//! lock entry keyed `app`. Direct dependencies and their scopes come from the `{:app, …}` tuples
//! of `mix.exs` (`only: :test` / `only: [:dev, :test]` → dev), propagated along the graph;
//! without `mix.exs` relationships are unknown and every scope is runtime.

use crate::HashMap;
use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Hash, Level, Relationship, Scope, Source};

use crate::extractors::graph;
use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

#[cfg(test)]
mod oracle;

pub struct MixLock;

const ID: &str = "mix-lock";

/// Nesting deeper than this is refused (real lockfiles nest four levels).
const MAX_DEPTH: usize = 64;

/// An Elixir term, its text borrowed from the file where it has no escapes. Lists, tuples and
/// maps name a range of [`Terms`]: one vector holds every item of the file, so reading a term
/// allocates nothing (a vector per tuple cost most of the parse).
#[derive(Debug, Clone, PartialEq)]
enum Term<'a> {
    Str(Cow<'a, str>),
    Atom(Cow<'a, str>),
    /// Numbers and other bare words, as written.
    Other(Cow<'a, str>),
    List(Range<usize>),
    Tuple(Range<usize>),
    /// Keys and values one after the other.
    Map(Range<usize>),
}

impl<'a> Term<'a> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Term::Str(s) => Some(s),
            _ => None,
        }
    }
    fn as_atom(&self) -> Option<&str> {
        match self {
            Term::Atom(s) => Some(s),
            _ => None,
        }
    }
    /// The string or atom name (map keys are either).
    fn as_name(&self) -> Option<&str> {
        match self {
            Term::Str(s) | Term::Atom(s) => Some(s),
            _ => None,
        }
    }
}

/// The items of every list, tuple and map of a file, each sequence's side by side, with the
/// byte offset where each begins.
#[derive(Debug, Default)]
struct Terms<'a> {
    items: Vec<Term<'a>>,
    at: Vec<usize>,
}

impl<'a> Terms<'a> {
    /// The items of a list, tuple or map (a map's keys and values alternate).
    fn of(&self, range: &Range<usize>) -> &[Term<'a>] {
        self.items.get(range.clone()).unwrap_or(&[])
    }
    /// `key` of a keyword list (`[hex: :pkg, optional: true]`).
    fn keyword(&self, list: &Term<'a>, key: &str) -> Option<&Term<'a>> {
        let Term::List(items) = list else { return None };
        self.of(items).iter().find_map(|i| match i {
            Term::Tuple(kv) => match self.of(kv) {
                [Term::Atom(k), v] if k == key => Some(v),
                _ => None,
            },
            _ => None,
        })
    }
    /// A map's entries: key, value and the key's byte offset.
    fn entries(&self, map: &Range<usize>) -> impl Iterator<Item = (&Term<'a>, &Term<'a>, usize)> {
        let at = self.at.get(map.clone()).unwrap_or(&[]);
        self.of(map)
            .chunks_exact(2)
            .zip(at.iter().step_by(2))
            .map(|(kv, &at)| (&kv[0], &kv[1], at))
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
    terms: Terms<'a>,
    /// Items (with their offsets) of the sequences being read, the innermost last; a sequence
    /// moves its own into `terms` when it closes.
    open: Vec<(Term<'a>, usize)>,
}

type PResult<T> = Result<T, (usize, String)>;

/// How an item begins: a keyword key `name: `, a string that is not one (read once, not
/// again as a term), or anything else.
enum Lead<'a> {
    Key(Cow<'a, str>),
    Str(Cow<'a, str>),
    Other,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        // Lockfiles hold about one item in nine bytes (a hash is one item): room for all of
        // them at once, as growing the vectors by doubling copied each item twice.
        let items = text.len() / 8;
        Parser {
            text,
            pos: 0,
            depth: 0,
            terms: Terms {
                items: Vec::with_capacity(items),
                at: Vec::with_capacity(items),
            },
            open: Vec::new(),
        }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn err<T>(&self, msg: impl Into<String>) -> PResult<T> {
        Err((self.pos, msg.into()))
    }

    /// Skips spaces and `#` comments: ASCII spaces byte by byte (most calls find none),
    /// `trim_start` (Unicode's spaces) from any other byte.
    #[inline]
    fn skip_ws(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'#' => {
                    let rest = bytes.get(self.pos..).unwrap_or(&[]);
                    self.pos += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                }
                b if b.is_ascii() => return,
                _ => {
                    let rest = self.rest();
                    let skipped = rest.len() - rest.trim_start().len();
                    if skipped == 0 {
                        return;
                    }
                    self.pos += skipped;
                }
            }
        }
    }

    #[inline]
    fn eat(&mut self, s: &str) -> bool {
        self.skip_ws();
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, s: &str) -> PResult<()> {
        if self.eat(s) {
            Ok(())
        } else {
            let found: String = self.rest().chars().take(12).collect();
            self.err(format!("expected `{s}`, found `{found}`"))
        }
    }
    fn string(&mut self) -> PResult<Cow<'a, str>> {
        // at the opening quote
        self.pos += 1;
        // Most strings have no escape: then they are a slice of the text, found with `memchr`.
        let rest = self.rest();
        if let Some(i) = memchr::memchr2(b'"', b'\\', rest.as_bytes())
            && rest.as_bytes().get(i) == Some(&b'"')
        {
            self.pos += i + 1;
            return Ok(Cow::Borrowed(&rest[..i]));
        }
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(Cow::Owned(out));
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, e)) => out.push(e),
                    None => break,
                },
                c => out.push(c),
            }
        }
        self.pos = self.text.len();
        self.err("unterminated string")
    }

    fn word(&mut self) -> &'a str {
        let rest = self.rest();
        let in_word =
            |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '?' | '!' | '@' | '-' | '+');
        let in_ascii_word = |b: u8| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'?' | b'!' | b'@' | b'-' | b'+')
        };
        // Byte by byte while the word is ASCII (it always is in lockfiles); from the first
        // other byte on, by chars, as Unicode's alphanumerics count too.
        let ascii = rest
            .bytes()
            .position(|b| !in_ascii_word(b))
            .unwrap_or(rest.len());
        let end = match rest.as_bytes().get(ascii) {
            Some(b) if !b.is_ascii() => rest
                .get(ascii..)
                .and_then(|tail| tail.find(|c: char| !in_word(c)))
                .map_or(rest.len(), |i| ascii + i),
            _ => ascii,
        };
        self.pos += end;
        &rest[..end]
    }

    fn term(&mut self) -> PResult<Term<'a>> {
        self.skip_ws();
        if self.depth >= MAX_DEPTH {
            return self.err("terms nested too deeply");
        }
        let rest = self.rest();
        let Some(c) = rest.chars().next() else {
            return self.err("unexpected end of file");
        };
        match c {
            '"' => self.string().map(Term::Str),
            ':' => {
                self.pos += 1;
                if self.rest().starts_with('"') {
                    return self.string().map(Term::Atom);
                }
                let w = self.word();
                if w.is_empty() {
                    return self.err("empty atom");
                }
                Ok(Term::Atom(Cow::Borrowed(w)))
            }
            '[' => {
                self.pos += 1;
                self.depth += 1;
                let items = self.seq("]")?;
                self.depth -= 1;
                Ok(Term::List(items))
            }
            '{' => {
                self.pos += 1;
                self.depth += 1;
                let items = self.seq("}")?;
                self.depth -= 1;
                Ok(Term::Tuple(items))
            }
            '%' => {
                self.pos += 1;
                self.expect("{")?;
                self.depth += 1;
                let entries = self.map()?;
                self.depth -= 1;
                Ok(Term::Map(entries))
            }
            c if c.is_alphanumeric() || c == '_' || c == '-' => {
                let w = self.word();
                Ok(match w {
                    "true" | "false" | "nil" => Term::Atom(Cow::Borrowed(w)),
                    _ => Term::Other(Cow::Borrowed(w)),
                })
            }
            _ => self.err(format!("unexpected `{c}`")),
        }
    }

    /// A term and the offset where it begins.
    fn located(&mut self) -> PResult<(Term<'a>, usize)> {
        self.skip_ws();
        let at = self.pos;
        Ok((self.term()?, at))
    }

    /// How the item at the cursor begins; past a keyword key or a string, else not moved.
    fn lead(&mut self) -> PResult<Lead<'a>> {
        self.skip_ws();
        let start = self.pos;
        let rest = self.rest();
        if rest.starts_with('"') {
            let s = self.string()?;
            if self.rest().starts_with(':') && !self.rest().starts_with("::") {
                self.pos += 1;
                return Ok(Lead::Key(s));
            }
            if self.depth < MAX_DEPTH {
                return Ok(Lead::Str(s));
            }
            // Too deep: `term` refuses it, here.
            self.pos = start;
            return Ok(Lead::Other);
        }
        let w = self.word();
        let after = self.rest();
        let is_key =
            after.starts_with(": ") || after.starts_with(":\n") || after.starts_with(":\r");
        if !w.is_empty() && is_key {
            self.pos += 1;
            return Ok(Lead::Key(Cow::Borrowed(w)));
        }
        self.pos = start;
        Ok(Lead::Other)
    }

    /// Elements up to `close`; `key: value` items become `{:key, value}` tuples.
    fn seq(&mut self, close: &str) -> PResult<Range<usize>> {
        let base = self.open.len();
        loop {
            if self.eat(close) {
                break;
            }
            self.skip_ws();
            let at = self.pos;
            let item = match self.lead()? {
                Lead::Key(k) => {
                    let (v, v_at) = self.located()?;
                    let start = self.terms.items.len();
                    self.terms.items.extend([Term::Atom(k), v]);
                    self.terms.at.extend([at, v_at]);
                    Term::Tuple(start..start + 2)
                }
                Lead::Str(s) => Term::Str(s),
                Lead::Other => self.term()?,
            };
            self.open.push((item, at));
            if !self.eat(",") {
                self.expect(close)?;
                break;
            }
        }
        Ok(self.close(base))
    }

    /// Map entries (`"k": v` or `k => v`) up to `}`.
    fn map(&mut self) -> PResult<Range<usize>> {
        let base = self.open.len();
        loop {
            if self.eat("}") {
                break;
            }
            self.skip_ws();
            let at = self.pos;
            let key = match self.lead()? {
                Lead::Key(k) => Term::Str(k),
                Lead::Str(s) => {
                    self.expect("=>")?;
                    Term::Str(s)
                }
                Lead::Other => {
                    let k = self.term()?;
                    self.expect("=>")?;
                    k
                }
            };
            let value = self.located()?;
            self.open.extend([(key, at), value]);
            if !self.eat(",") {
                self.expect("}")?;
                break;
            }
        }
        Ok(self.close(base))
    }

    /// Moves the items of the sequence begun at `base` of `open` into `terms`, side by side.
    fn close(&mut self, base: usize) -> Range<usize> {
        let start = self.terms.items.len();
        for (term, at) in self.open.drain(base..) {
            self.terms.items.push(term);
            self.terms.at.push(at);
        }
        start..self.terms.items.len()
    }
}

/// Parses a whole file holding one term: the term and the items of its sequences.
fn parse(text: &str) -> Result<(Term<'_>, Terms<'_>), ExtractError> {
    let mut p = Parser::new(text);
    let line = |pos: usize| Some(crate::text::line_of_offset(text, pos));
    let term = p
        .term()
        .map_err(|(pos, msg)| ExtractError::syntax(line(pos), msg))?;
    p.skip_ws();
    if !p.rest().is_empty() {
        return Err(ExtractError::syntax(
            line(p.pos),
            "unexpected text after the map",
        ));
    }
    Ok((term, p.terms))
}

/// One lock entry.
struct Entry<'t> {
    app: &'t str,
    line: u32,
    component: Component,
    deps: Vec<(&'t str, bool)>,
}

impl Extractor for MixLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Hex
    }
    fn files(&self) -> &'static str {
        "mix.lock with the mix.exs beside it"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("mix.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "mix.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let mut out = Extraction::default();
        if text.trim().is_empty() {
            return Ok(out);
        }
        let (Term::Map(map), terms) = parse(text)? else {
            return Err(ExtractError::syntax(Some(1), "expected a map `%{…}`"));
        };
        let index = LineIndex::new(text);

        let mut parsed: Vec<Entry<'_>> = Vec::new();
        for (key, value, at) in terms.entries(&map) {
            let line = index.line(at);
            let Some(app) = key.as_name() else {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    Some(line),
                    "a lock entry's key is not a name",
                ));
                continue;
            };
            match entry(app, value, &terms) {
                Ok((component, deps)) => parsed.push(Entry {
                    app,
                    line,
                    component: component.at(input.path, Some(line)),
                    deps,
                }),
                Err(msg) => out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    Some(line),
                    format!("`{app}` ignored: {msg}"),
                )),
            }
        }

        let by_app: HashMap<&str, usize> =
            parsed.iter().enumerate().map(|(i, e)| (e.app, i)).collect();
        let mut graph_edges: Vec<Vec<usize>> = vec![Vec::new(); parsed.len()];
        for (i, e) in parsed.iter().enumerate() {
            for &(dep, optional) in &e.deps {
                match by_app.get(dep) {
                    Some(&j) => graph_edges[i].push(j),
                    // An optional dependency the project did not pull in is not locked.
                    None if optional => {}
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        Some(e.line),
                        format!(
                            "`{}` depends on `{dep}`, which the lockfile does not list",
                            e.app
                        ),
                    )),
                }
            }
        }

        let manifest = match input.read_sibling("mix.exs") {
            Some(Ok(bytes)) => {
                out.manifest = Some(input.sibling("mix.exs"));
                Some(mix_exs_deps(&String::from_utf8_lossy(&bytes)))
            }
            Some(Err(e)) => {
                out.diagnostics.push(ospo_model::Diagnostic::new(
                    Level::Warning,
                    ID,
                    input.sibling("mix.exs"),
                    None,
                    format!("manifest ignored: {e}"),
                ));
                None
            }
            None => None,
        };
        let seeds: Vec<(usize, Scope)> = manifest
            .iter()
            .flatten()
            .filter_map(|(app, scope)| Some((*by_app.get(app.as_str())?, *scope)))
            .collect();
        let scopes = graph::propagate(&graph_edges, &seeds);

        let purls: Vec<Arc<str>> = parsed.iter().map(|e| e.component.key()).collect();
        out.edges.extend(graph::edges(&graph_edges, &purls));
        for (i, mut e) in parsed.into_iter().enumerate() {
            if let Some(m) = &manifest {
                e.component.relationship = if m.contains_key(e.app) {
                    Relationship::Direct
                } else {
                    Relationship::Transitive
                };
                e.component.scope = scopes.get(i).copied().flatten().unwrap_or(Scope::Runtime);
            }
            out.components.push(e.component);
        }
        Ok(out)
    }
}

/// Dependencies of a lock entry: (app name, optional).
type Deps<'t> = Vec<(&'t str, bool)>;

/// A component and its dependencies from one lock value.
fn entry<'t>(
    app: &str,
    value: &Term<'_>,
    terms: &'t Terms<'_>,
) -> Result<(Component, Deps<'t>), String> {
    let Term::Tuple(items) = value else {
        return Err("expected a tuple".into());
    };
    let items = terms.of(items);
    let kind = items.first().and_then(Term::as_atom).unwrap_or("");
    match kind {
        "hex" => {
            let name = items
                .get(1)
                .and_then(Term::as_atom)
                .ok_or("no package name")?;
            let version = items.get(2).and_then(Term::as_str).ok_or("no version")?;
            let mut c = Component::new(Ecosystem::Hex, name, Some(version))
                .map_err(|e| e.to_string())?
                .with_relationship(Relationship::Unknown)
                .with_source(Source::Registry { url: None });
            if let Some(outer) = items.get(7).and_then(Term::as_str) {
                c = c.with_hash(Hash::from_hex("sha256", outer));
            }
            let deps = match items.get(5) {
                Some(Term::List(deps)) => terms
                    .of(deps)
                    .iter()
                    .filter_map(|d| dep_of(d, terms))
                    .collect(),
                _ => Vec::new(),
            };
            Ok((c, deps))
        }
        "git" => {
            let url = items.get(1).and_then(Term::as_str).ok_or("no git URL")?;
            let rev = items.get(2).and_then(Term::as_str);
            let c = Component::new(Ecosystem::Hex, app, None)
                .map_err(|e| e.to_string())?
                .with_source(Source::Git {
                    url: url.to_owned(),
                    rev: rev.map(str::to_owned),
                });
            Ok((c, Vec::new()))
        }
        other => Err(format!("unknown lock entry kind `{other}`")),
    }
}

/// `{:app, "req", [hex: :pkg, optional: false]}` → (`app`, optional).
fn dep_of<'t>(t: &Term<'_>, terms: &'t Terms<'_>) -> Option<(&'t str, bool)> {
    let Term::Tuple(parts) = t else { return None };
    let parts = terms.of(parts);
    let app = parts.first()?.as_atom()?;
    let optional = parts
        .get(2)
        .and_then(|o| terms.keyword(o, "optional"))
        .is_some_and(|v| v.as_atom() == Some("true"));
    Some((app, optional))
}

/// Dependencies named in `mix.exs`: each `{:app, …}` tuple opened on a line of the `deps`
/// function, with `only: :test` / `only: [:dev, :test]` making it dev. Elixir is not evaluated:
/// deps built by code are missed.
fn mix_exs_deps(text: &str) -> HashMap<String, Scope> {
    let mut deps = HashMap::default();
    let mut in_deps = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("defp deps") || t.starts_with("def deps") {
            in_deps = true;
            continue;
        }
        if in_deps && (t.starts_with("defp ") || t.starts_with("def ")) {
            in_deps = false;
        }
        if !in_deps {
            continue;
        }
        let Some(rest) = t.strip_prefix("{:") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let scope = match t.split_once("only:") {
            Some((_, only)) => {
                let only = only.trim_start();
                let only = if only.starts_with('[') {
                    only.split(']').next().unwrap_or("")
                } else {
                    only.split([',', '}']).next().unwrap_or("")
                };
                let envs: Vec<&str> = only
                    .split([',', '[', ' '])
                    .map(|s| s.trim().trim_start_matches(':'))
                    .filter(|s| !s.is_empty())
                    .collect();
                if !envs.is_empty() && envs.iter().all(|e| matches!(*e, "dev" | "test")) {
                    Scope::Dev
                } else {
                    Scope::Runtime
                }
            }
            None => Scope::Runtime,
        };
        let e = deps.entry(name).or_insert(scope);
        if scope == Scope::Runtime {
            *e = Scope::Runtime;
        }
    }
    deps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Edge;

    #[test]
    fn terms() {
        let (t, terms) =
            parse(r#"%{"a\"b": {:hex, :"x y", 1.5, [k: "v", other: [:a]], %{1 => nil}}}"#).unwrap();
        let Term::Map(map) = t else { panic!() };
        let entries: Vec<_> = terms.entries(&map).collect();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].0, &Term::Str("a\"b".into()));
        assert_eq!(entries[0].2, 2);
        let Term::Tuple(items) = entries[0].1 else {
            panic!()
        };
        let items = terms.of(items);
        assert_eq!(items[1], Term::Atom("x y".into()));
        assert_eq!(items[2], Term::Other("1.5".into()));
        assert_eq!(terms.keyword(&items[3], "k"), Some(&Term::Str("v".into())));
        assert!(matches!(items[4], Term::Map(_)));
        assert!(parse("%{\"a\": [1, 2}").is_err());
        assert!(parse(&"[".repeat(10_000)).is_err());
    }

    #[test]
    fn phoenix() {
        let Some((ex, p)) = extract_shared(&MixLock, "Hex/phoenix/mix.lock") else {
            return;
        };
        // grep -c '^  "' → 40 entries, all {:hex, …}
        assert_eq!(p.components.len(), 40);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let purls = purls(&p);
        for want in [
            "pkg:hex/bandit@1.12.4",
            "pkg:hex/castore@1.0.20",
            "pkg:hex/cowboy@2.18.0",
        ] {
            assert!(purls.contains(&want.to_owned()), "{want} not in {purls:?}");
        }
        let bandit = p.components.iter().find(|c| c.name == "bandit").unwrap();
        assert_eq!(bandit.locations[0].line, Some(2));
        assert_eq!(
            bandit.hashes[0].value,
            "84513318c5752a2a8017664450f889b47fae5d53d64698ddf1e4fb09a7449e8d"
        );
        assert!(
            p.edges.contains(&Edge {
                from: "pkg:hex/bandit@1.12.4".into(),
                to: p
                    .components
                    .iter()
                    .find(|c| c.name == "plug")
                    .unwrap()
                    .key()
            })
        );
    }

    #[test]
    fn hexpm_with_git_entries() {
        let Some((ex, p)) = extract_shared(&MixLock, "Hex/hexpm/mix.lock") else {
            return;
        };
        // grep -c '^  "' → 101 entries: grep -c '{:hex,' line starts 98 + '{:git,' 3
        assert_eq!(ex.components.len(), 101);
        assert_eq!(p.components.len(), 101);
        let warnings: Vec<_> = ex
            .diagnostics
            .iter()
            .filter(|d| d.level <= Level::Warning)
            .collect();
        assert!(warnings.is_empty(), "{warnings:?}");
        let git = p.components.iter().find(|c| c.name == "hex_core").unwrap();
        assert_eq!(git.version, None);
        assert_eq!(
            git.source,
            Source::Git {
                url: "https://github.com/hexpm/hex_core.git".into(),
                rev: Some("13f7b7811487035b252eca0b1c1dbbfec2ac8f51".into())
            }
        );
        let git_count = p
            .components
            .iter()
            .filter(|c| matches!(c.source, Source::Git { .. }))
            .count();
        assert_eq!(git_count, 3);
    }

    #[test]
    fn manifest_scopes_and_old_entries() {
        let lock = br#"%{
  "plug": {:hex, :plug, "1.14.0", "inner", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}, {:jason, "~> 1.0", [hex: :jason, repo: "hexpm", optional: true]}], "hexpm", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
  "mime": {:hex, :mime, "2.0.3", "3676436d3d1f7b81b5a2d2bd8405f412c677558c81b1c92be58c00562bb59095", [:mix], [], "hexpm"},
  "ex_doc": {:hex, :ex_doc, "0.29.0", "x", [:mix], [{:mime, ">= 0.0.0", [hex: :mime, repo: "hexpm", optional: false]}], "hexpm", "y"},
  "credo": {:hex, :credo, "1.7.0", "x", [:mix], [{:missing, ">= 0.0.0", [hex: :missing, repo: "hexpm", optional: false]}], "hexpm", "y"},
  "weird": {:svn, "x"},
}
"#;
        let mix_exs = br#"defmodule App.MixProject do
  defp deps do
    [
      {:plug, "~> 1.14"},
      {:ex_doc, "~> 0.29", only: :dev, runtime: false},
      {:credo, "~> 1.7", only: [:dev, :test]}
    ]
  end
end
"#;
        let ex = extract_bytes(&MixLock, "mix.lock", lock, &[("mix.exs", mix_exs)]).unwrap();
        let get = |n: &str| ex.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("plug").relationship, Relationship::Direct);
        assert_eq!(get("plug").scope, Scope::Runtime);
        assert_eq!(get("plug").hashes.len(), 1);
        assert_eq!(get("mime").relationship, Relationship::Transitive);
        assert_eq!(get("mime").scope, Scope::Runtime);
        assert!(
            get("mime").hashes.is_empty(),
            "old entry: no outer checksum"
        );
        assert_eq!(get("ex_doc").scope, Scope::Dev);
        assert_eq!(get("credo").scope, Scope::Dev);
        assert_eq!(get("credo").locations[0].line, Some(5));
        let lines: Vec<_> = ex.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(6), Some(5)]);
        assert_eq!(ex.edges.len(), 2);

        let err = extract_err(&MixLock, "mix.lock", b"%{\n  \"a\": {:hex, :a,\n");
        assert_eq!(err.line(), Some(3), "{err}");
    }

    fn flat_as_tree(s: &str) -> PResult<oracle::Tree<'_>> {
        let mut p = Parser::new(s);
        p.term().map(|t| oracle::tree(&t, &p.terms))
    }

    fn tree_read(s: &str) -> PResult<oracle::Tree<'_>> {
        oracle::term(&mut Parser::new(s))
    }

    /// Around the depth limit, a string is refused where `term` refuses it.
    #[test]
    fn strings_at_the_depth_limit() {
        for depth in MAX_DEPTH - 2..MAX_DEPTH + 2 {
            for leaf in [r#""x""#, r#""x": 1"#, r#""x"#, "x: 1", ":x"] {
                let s = format!("{}{leaf}{}", "[".repeat(depth), "]".repeat(depth));
                assert_eq!(flat_as_tree(&s), tree_read(&s), "{s}");
            }
        }
    }

    proptest::proptest! {
        /// `skip_ws` skips ASCII spaces byte by byte: the same position as `trim_start`.
        #[test]
        fn skip_ws_as_trim_start(text in "[ \t\r\n\u{b}\u{c}\u{a0}\u{2003}#a:é]{0,16}") {
            let mut expected = 0;
            loop {
                let rest = &text[expected..];
                let trimmed = rest.trim_start();
                expected += rest.len() - trimmed.len();
                if trimmed.starts_with('#') {
                    expected += trimmed.find('\n').unwrap_or(trimmed.len());
                } else {
                    break;
                }
            }
            let mut p = Parser::new(&text);
            p.skip_ws();
            proptest::prop_assert_eq!(p.pos, expected);
        }

        /// `word` reads ASCII bytes directly: the same word as the char-by-char search.
        #[test]
        fn word_as_by_chars(text in "[a-z0-9_.?!@+ :,é日\\-]{0,12}") {
            let by_chars = text
                .find(|c: char| {
                    !(c.is_alphanumeric() || matches!(c, '_' | '.' | '?' | '!' | '@' | '-' | '+'))
                })
                .unwrap_or(text.len());
            let mut p = Parser::new(&text);
            proptest::prop_assert_eq!(p.word(), &text[..by_chars]);
            proptest::prop_assert_eq!(p.pos, by_chars);
        }

        /// Strings are borrowed when they have no escape, built when they do: the same text.
        #[test]
        fn strings_borrowed_or_built(body in "[a-z\"\\\\n]{0,10}") {
            let text = format!("\"{body}");
            let mut p = Parser::new(&text);
            let got = p.string();
            let mut expected = String::new();
            let mut chars = body.chars();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '"' => { closed = true; break; }
                    '\\' => match chars.next() {
                        Some('n') => expected.push('\n'),
                        Some('t') => expected.push('\t'),
                        Some('r') => expected.push('\r'),
                        Some(e) => expected.push(e),
                        None => break,
                    },
                    c => expected.push(c),
                }
            }
            match got {
                Ok(s) => { proptest::prop_assert!(closed); proptest::prop_assert_eq!(s, expected); }
                Err(_) => proptest::prop_assert!(!closed),
            }
        }

        /// The flat terms are the tree the vector-per-sequence reader built, and a broken file
        /// fails at the same place with the same message.
        #[test]
        fn terms_as_tree(s in proptest::prop_oneof![
            "[%{}\\[\\]:\"a-z0-9,=> \\\\\n#]{0,200}",
            "%\\{(\n *\"[a-z]{1,3}\": \\{:(hex|git), :[a-z]{1,3}, \"[0-9.]{1,5}\", \\[:mix\\], \\[(\\{:[a-z], \"~> 1\", \\[hex: :[a-z], (optional|\"k\"): (true|false)\\]\\}, ?){0,3}\\], \"hex\\\\\"pm\", %\\{1 => nil\\}\\},?){0,4}\\s*\\}",
        ]) {
            proptest::prop_assert_eq!(flat_as_tree(&s), tree_read(&s));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&MixLock, "mix.lock", &bytes, &[("mix.exs", &bytes)]);
        }

        #[test]
        fn term_soup_never_panics(s in "[%{}\\[\\]:\"a-z0-9,=> \\\\\n]{0,200}") {
            let _ = extract_bytes(&MixLock, "mix.lock", s.as_bytes(), &[]);
        }
    }
}
