//! The term reader before the items of a file shared one vector: a tree with a vector per list,
//! tuple and map, and each string read twice (once looking for a keyword key). Kept to check
//! that the flat reader reads the same terms and fails at the same place with the same message.

use std::borrow::Cow;

use super::{MAX_DEPTH, PResult, Parser, Term, Terms};

/// A term as a tree; map entries keep the byte offset of each key.
#[derive(Debug, PartialEq)]
pub(super) enum Tree<'a> {
    Str(Cow<'a, str>),
    Atom(Cow<'a, str>),
    Other(Cow<'a, str>),
    List(Vec<Tree<'a>>),
    Tuple(Vec<Tree<'a>>),
    Map(Vec<(Tree<'a>, Tree<'a>, usize)>),
}

/// The tree of a flat term.
pub(super) fn tree<'a>(t: &Term<'a>, terms: &Terms<'a>) -> Tree<'a> {
    let all = |r| terms.of(r).iter().map(|i| tree(i, terms)).collect();
    match t {
        Term::Str(s) => Tree::Str(s.clone()),
        Term::Atom(s) => Tree::Atom(s.clone()),
        Term::Other(s) => Tree::Other(s.clone()),
        Term::List(r) => Tree::List(all(r)),
        Term::Tuple(r) => Tree::Tuple(all(r)),
        Term::Map(r) => Tree::Map(
            terms
                .entries(r)
                .map(|(k, v, at)| (tree(k, terms), tree(v, terms), at))
                .collect(),
        ),
    }
}

pub(super) fn term<'a>(p: &mut Parser<'a>) -> PResult<Tree<'a>> {
    p.skip_ws();
    if p.depth >= MAX_DEPTH {
        return p.err("terms nested too deeply");
    }
    let Some(c) = p.rest().chars().next() else {
        return p.err("unexpected end of file");
    };
    match c {
        '"' => p.string().map(Tree::Str),
        ':' => {
            p.pos += 1;
            if p.rest().starts_with('"') {
                return p.string().map(Tree::Atom);
            }
            let w = p.word();
            if w.is_empty() {
                return p.err("empty atom");
            }
            Ok(Tree::Atom(Cow::Borrowed(w)))
        }
        '[' | '{' => {
            p.pos += 1;
            p.depth += 1;
            let items = seq(p, if c == '[' { "]" } else { "}" })?;
            p.depth -= 1;
            Ok(if c == '[' {
                Tree::List(items)
            } else {
                Tree::Tuple(items)
            })
        }
        '%' => {
            p.pos += 1;
            p.expect("{")?;
            p.depth += 1;
            let entries = map(p)?;
            p.depth -= 1;
            Ok(Tree::Map(entries))
        }
        c if c.is_alphanumeric() || c == '_' || c == '-' => {
            let w = p.word();
            Ok(match w {
                "true" | "false" | "nil" => Tree::Atom(Cow::Borrowed(w)),
                _ => Tree::Other(Cow::Borrowed(w)),
            })
        }
        _ => p.err(format!("unexpected `{c}`")),
    }
}

fn keyword_key<'a>(p: &mut Parser<'a>) -> PResult<Option<Cow<'a, str>>> {
    p.skip_ws();
    let start = p.pos;
    if p.rest().starts_with('"') {
        let s = p.string()?;
        if p.rest().starts_with(':') && !p.rest().starts_with("::") {
            p.pos += 1;
            return Ok(Some(s));
        }
        p.pos = start;
        return Ok(None);
    }
    let w = p.word();
    let after = p.rest();
    let is_key = after.starts_with(": ") || after.starts_with(":\n") || after.starts_with(":\r");
    if !w.is_empty() && is_key {
        p.pos += 1;
        return Ok(Some(Cow::Borrowed(w)));
    }
    p.pos = start;
    Ok(None)
}

fn seq<'a>(p: &mut Parser<'a>, close: &str) -> PResult<Vec<Tree<'a>>> {
    let mut items = Vec::new();
    loop {
        if p.eat(close) {
            return Ok(items);
        }
        let item = match keyword_key(p)? {
            Some(k) => Tree::Tuple(vec![Tree::Atom(k), term(p)?]),
            None => term(p)?,
        };
        items.push(item);
        if !p.eat(",") {
            p.expect(close)?;
            return Ok(items);
        }
    }
}

fn map<'a>(p: &mut Parser<'a>) -> PResult<Vec<(Tree<'a>, Tree<'a>, usize)>> {
    let mut entries = Vec::new();
    loop {
        if p.eat("}") {
            return Ok(entries);
        }
        p.skip_ws();
        let at = p.pos;
        let (k, v) = match keyword_key(p)? {
            Some(k) => (Tree::Str(k), term(p)?),
            None => {
                let k = term(p)?;
                p.expect("=>")?;
                (k, term(p)?)
            }
        };
        entries.push((k, v, at));
        if !p.eat(",") {
            p.expect("}")?;
            return Ok(entries);
        }
    }
}
