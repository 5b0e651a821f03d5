//! `go.mod`, with the `go.sum` beside it for hashes.
//!
//! The module itself is the root; every `require` is a component, direct unless marked
//! `// indirect`. A `replace` changes the module that is actually built: the component is the
//! replacement (its second location is the `replace` line), or a local path without a version.
//! The Go standard library is reported as `stdlib` at the `toolchain` (else `go`) version, as
//! osv-scanner does, so that advisories against the standard library can be matched. `go.sum`
//! only supplies hashes: its other entries are checksums of the module graph, not components.

use crate::HashMap;
use std::path::{Path, PathBuf};

use ospo_model::{Component, Ecosystem, Edge, Hash, Level, Relationship, Scope, Source};

use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct GoMod;

const ID: &str = "go-mod";

/// One `require` line.
struct Require {
    path: String,
    version: String,
    indirect: bool,
    line: u32,
}

/// One `replace` line: `old [version] => new [version]`.
struct Replace {
    old: String,
    old_version: Option<String>,
    new: String,
    new_version: Option<String>,
    line: u32,
}

/// A parsed line: its tokens (quotes removed) and whether its comment says `indirect`.
struct Line {
    tokens: Vec<String>,
    indirect: bool,
}

impl Extractor for GoMod {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Go
    }
    fn files(&self) -> &'static str {
        "go.mod with the go.sum beside it"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("go.mod")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "go.mod")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let mut out = Extraction::default();
        let mut module: Option<(String, u32)> = None;
        let mut go: Option<(String, u32)> = None;
        let mut toolchain: Option<(String, u32)> = None;
        let mut requires: Vec<Require> = Vec::new();
        let mut replaces: Vec<Replace> = Vec::new();
        // The verb of the block we are in, and the line it opened on.
        let mut block: Option<(String, u32)> = None;

        for (n, raw) in text.lines().enumerate() {
            let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let Line { tokens, indirect } =
                lex(raw).map_err(|m| ExtractError::syntax(Some(line_no), m))?;
            let mut toks: &[String] = &tokens;
            let verb = match &block {
                Some((verb, _)) => {
                    if toks.first().is_some_and(|t| t == ")") {
                        if toks.len() > 1 {
                            return Err(ExtractError::syntax(
                                Some(line_no),
                                "unexpected text after `)`",
                            ));
                        }
                        block = None;
                        continue;
                    }
                    verb.clone()
                }
                None => {
                    let Some((first, rest)) = toks.split_first() else {
                        continue;
                    };
                    match rest {
                        [open] if open == "(" => {
                            block = Some((first.clone(), line_no));
                            continue;
                        }
                        [open, close] if open == "(" && close == ")" => continue,
                        _ => {}
                    }
                    if first == "(" || first == ")" {
                        return Err(ExtractError::syntax(
                            Some(line_no),
                            format!("unexpected `{first}`"),
                        ));
                    }
                    toks = rest;
                    first.clone()
                }
            };
            if toks.is_empty() {
                continue;
            }
            let bad = |what: &str| {
                input.diagnostic(
                    ID,
                    Level::Warning,
                    Some(line_no),
                    format!("ignored a malformed `{verb}` line: {what}"),
                )
            };
            match verb.as_str() {
                "module" => match toks {
                    [path] => module = Some((path.clone(), line_no)),
                    _ => out.diagnostics.push(bad("expected one module path")),
                },
                "go" => match toks {
                    [v] => go = Some((v.clone(), line_no)),
                    _ => out.diagnostics.push(bad("expected one version")),
                },
                "toolchain" => match toks {
                    [v] => toolchain = Some((v.clone(), line_no)),
                    _ => out.diagnostics.push(bad("expected one toolchain name")),
                },
                "require" => match toks {
                    [path, version] if version.starts_with('v') => requires.push(Require {
                        path: path.clone(),
                        version: version.clone(),
                        indirect,
                        line: line_no,
                    }),
                    _ => out.diagnostics.push(bad("expected `path vX.Y.Z`")),
                },
                "replace" => match parse_replace(toks, line_no) {
                    Some(r) => replaces.push(r),
                    None => out
                        .diagnostics
                        .push(bad("expected `old [version] => new [version]`")),
                },
                // Nothing here changes which modules are built: `exclude` only removes versions
                // the graph might otherwise pick, `retract` concerns users of this module.
                "exclude" | "retract" | "godebug" | "tool" | "ignore" => {}
                other => out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Warning,
                    Some(line_no),
                    format!("unknown go.mod directive `{other}` ignored"),
                )),
            }
        }
        if let Some((verb, line)) = block {
            return Err(ExtractError::syntax(
                Some(line),
                format!("the `{verb} (` block is never closed"),
            ));
        }

        let sum_text = read_go_sum(input, &mut out);
        let sums = GoSum::parse(sum_text.as_deref().unwrap_or(""));
        let dir = input.path.parent().unwrap_or(Path::new(""));

        let root_purl = match &module {
            Some((path, line)) => match Component::new(Ecosystem::Go, path, None) {
                Ok(c) => {
                    let c = c
                        .with_relationship(Relationship::Root)
                        .with_source(Source::Path { path: slash(dir) })
                        .at(input.path, Some(*line));
                    let key = c.key();
                    out.components.push(c);
                    Some(key)
                }
                Err(e) => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        Some(*line),
                        e.to_string(),
                    ));
                    None
                }
            },
            None => {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Warning,
                    None,
                    "no `module` directive: the project's own module is unknown",
                ));
                None
            }
        };

        // The standard library at the toolchain (else language) version, as OSV names it.
        let go_version = toolchain
            .as_ref()
            .and_then(|(t, l)| Some((t.strip_prefix("go")?.to_owned(), *l)))
            .or_else(|| go.clone());
        if let Some((version, line)) = go_version
            && let Ok(c) = Component::new(Ecosystem::Go, "stdlib", Some(&version))
        {
            out.components.push(
                c.with_relationship(Relationship::Direct)
                    .at(input.path, Some(line)),
            );
        }

        for req in &requires {
            // A version-specific replacement wins over a replacement of every version.
            let replace = replaces
                .iter()
                .rev()
                .find(|r| r.old == req.path && r.old_version.as_deref() == Some(&req.version))
                .or_else(|| {
                    replaces
                        .iter()
                        .rev()
                        .find(|r| r.old == req.path && r.old_version.is_none())
                });
            let (name, version, source) = match replace {
                Some(r) => match &r.new_version {
                    Some(v) => (r.new.as_str(), Some(v.as_str()), registry()),
                    None => {
                        let local =
                            confine(&dir.join(&r.new)).map_or_else(|| r.new.clone(), |p| slash(&p));
                        (req.path.as_str(), None, Source::Path { path: local })
                    }
                },
                None => (req.path.as_str(), Some(req.version.as_str()), registry()),
            };
            let mut c = match Component::new(Ecosystem::Go, name, version) {
                Ok(c) => c,
                Err(e) => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        Some(req.line),
                        e.to_string(),
                    ));
                    continue;
                }
            };
            c.relationship = if req.indirect {
                Relationship::Transitive
            } else {
                Relationship::Direct
            };
            c.scope = Scope::Runtime;
            c.source = source;
            if let Some(v) = version
                && let Some(h1) = sums.get(name, v)
            {
                c = c.with_hash(Hash::from_sri(&format!("sha256-{h1}")));
            }
            c = c.at(input.path, Some(req.line));
            if let Some(r) = replace {
                c = c.at(input.path, Some(r.line));
            }
            if let (Some(root), false) = (&root_purl, req.indirect) {
                out.edges.push(Edge {
                    from: root.clone(),
                    to: c.key(),
                });
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

fn registry() -> Source {
    Source::Registry { url: None }
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn confine(p: &Path) -> Option<PathBuf> {
    crate::fs::confine(p)
}

/// `old [version] => new [version]`; a replacement without a version is a local path.
fn parse_replace(toks: &[String], line: u32) -> Option<Replace> {
    let arrow = toks.iter().position(|t| t == "=>")?;
    let (left, right) = (toks.get(..arrow)?, toks.get(arrow + 1..)?);
    let (old, old_version) = match left {
        [old] => (old.clone(), None),
        [old, v] => (old.clone(), Some(v.clone())),
        _ => return None,
    };
    let (new, new_version) = match right {
        [new] => (new.clone(), None),
        [new, v] => (new.clone(), Some(v.clone())),
        _ => return None,
    };
    Some(Replace {
        old,
        old_version,
        new,
        new_version,
        line,
    })
}

/// Splits a go.mod line into tokens: `(`, `)`, `=>`, bare words and quoted strings
/// (interpreted `"…"` or raw `` `…` ``); a `//` comment ends the line.
fn lex(line: &str) -> Result<Line, String> {
    let mut tokens = Vec::new();
    let mut indirect = false;
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("//") {
            let c = comment.trim();
            indirect = c == "indirect" || c.starts_with("indirect;");
            break;
        }
        let mut chars = rest.chars();
        let Some(first) = chars.next() else { break };
        match first {
            '(' | ')' => {
                tokens.push(first.to_string());
                rest = chars.as_str();
            }
            '"' => {
                let mut s = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(c) => s.push(c),
                            None => break,
                        },
                        c => s.push(c),
                    }
                }
                if !closed {
                    return Err("unterminated quoted string".into());
                }
                tokens.push(s);
                rest = chars.as_str();
            }
            '`' => {
                let body = chars.as_str();
                let end = body.find('`').ok_or("unterminated raw string")?;
                tokens.push(body.get(..end).unwrap_or_default().to_owned());
                rest = body.get(end + 1..).unwrap_or_default();
            }
            _ => {
                // A word ends at a space, a bracket, a quote or a `//` comment.
                let ends = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"' | '`');
                // Byte by byte while ASCII (module paths and versions are); from the first
                // other byte on, by chars, as Unicode's spaces end a word too.
                let ascii = rest
                    .bytes()
                    .position(|b| !b.is_ascii() || ends(char::from(b)))
                    .unwrap_or(rest.len());
                let mut end = match rest.as_bytes().get(ascii) {
                    Some(b) if !b.is_ascii() => rest
                        .get(ascii..)
                        .and_then(|tail| tail.find(ends))
                        .map_or(rest.len(), |i| ascii + i),
                    _ => ascii,
                };
                if let Some(c) = rest.get(..end).and_then(|w| w.find("//")) {
                    end = c;
                }
                let (word, tail) = rest.split_at(end.max(first.len_utf8()));
                tokens.push(word.to_owned());
                rest = tail;
            }
        }
        rest = rest.trim_start();
    }
    Ok(Line { tokens, indirect })
}

/// The text of the `go.sum` beside the file (invalid UTF-8 replaced), if there is one.
fn read_go_sum(input: &Input<'_>, out: &mut Extraction) -> Option<String> {
    match input.read_sibling("go.sum")? {
        Ok(bytes) => Some(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
        Err(e) => {
            out.diagnostics.push(input.diagnostic(
                ID,
                Level::Warning,
                None,
                format!("go.sum could not be read: {e}"),
            ));
            None
        }
    }
}

/// The `h1:` hashes of a `go.sum`, by module and version, borrowed from its text (no string
/// built per line). `/go.mod` lines hash only a module's go.mod and are skipped.
struct GoSum<'a> {
    map: HashMap<(&'a str, &'a str), &'a str>,
}

impl<'a> GoSum<'a> {
    fn parse(text: &'a str) -> GoSum<'a> {
        let mut map = HashMap::default();
        // Lines are cut at each `\n` found by one SIMD pass over the text (`str::lines` searches
        // afresh per line, costly for go.sum's many short lines); a `\r` before it, which
        // `lines` would drop, is whitespace to the field split. How to split fields is decided
        // once for the whole text: where its only whitespace is ` ` and `\n` (as go writes
        // it), by `split(' ')` without empty fields (a word-at-a-time search, not the byte loop
        // of `split_ascii_whitespace`), which finds the same fields.
        let spaces_only = spaces_only(text);
        let ascii = spaces_only || plain_ascii(text);
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
        for end in ends {
            // Both ends are at a `\n` or the text's ends: char boundaries.
            let line = text.get(start..end).unwrap_or_default();
            start = end + 1;
            let fields = if spaces_only {
                first_three(line.split(' ').filter(|f| !f.is_empty()))
            } else if ascii {
                first_three(line.split_ascii_whitespace())
            } else {
                three_fields(line)
            };
            let Some((m, v, h)) = fields else {
                continue;
            };
            if v.ends_with("/go.mod") {
                continue;
            }
            if let Some(h1) = h.strip_prefix("h1:") {
                map.insert((m, v), h1);
            }
        }
        GoSum { map }
    }

    /// A module and version with whitespace in them (quoted in go.mod) match nothing, as no
    /// go.sum field has any.
    fn get(&self, module: &str, version: &str) -> Option<&'a str> {
        self.map.get(&(module, version)).copied()
    }
}

/// The first three whitespace-separated fields of a line. `split_ascii_whitespace` splits as
/// `split_whitespace` does on ASCII text without a vertical tab (the one ASCII space it does not
/// know), for a fraction of the cost; other lines take the Unicode-aware split.
fn three_fields(line: &str) -> Option<(&str, &str, &str)> {
    if plain_ascii(line) {
        first_three(line.split_ascii_whitespace())
    } else {
        first_three(line.split_whitespace())
    }
}

/// ASCII whose only whitespace (Unicode's or ASCII's) is ` ` and `\n`. One pass without an early
/// exit, which the compiler vectorises.
fn spaces_only(text: &str) -> bool {
    let other = text.bytes().fold(false, |found, b| {
        found | (b >= 0x80) | matches!(b, b'\t' | 0x0B | 0x0C | b'\r')
    });
    !other
}

/// ASCII without a vertical tab: text `split_ascii_whitespace` splits as `split_whitespace`.
fn plain_ascii(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii() && b != 0x0B)
}

fn first_three<'a>(
    mut parts: impl Iterator<Item = &'a str>,
) -> Option<(&'a str, &'a str, &'a str)> {
    Some((parts.next()?, parts.next()?, parts.next()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use proptest::prelude::*;

    #[test]
    fn osv_scanner() {
        let Some((ex, p)) = extract_shared(&GoMod, "Go/osv-scanner/go.mod") else {
            return;
        };
        // 206 `require` lines in the two blocks (python: non-comment lines between `require (`
        // and `)`), 176 of them `// indirect`; plus the module itself and `stdlib`.
        assert_eq!(ex.components.len(), 208);
        assert_eq!(p.components.len(), 208);
        let rel = |r| p.components.iter().filter(|c| c.relationship == r).count();
        assert_eq!(rel(Relationship::Transitive), 176);
        assert_eq!(rel(Relationship::Direct), 30 + 1);
        assert_eq!(rel(Relationship::Root), 1);
        let root = find(&p, "pkg:golang/github.com/google/osv-scanner/v2");
        assert_eq!(root.relationship, Relationship::Root);
        assert_eq!(root.locations[0].line, Some(1));
        let stdlib = find(&p, "pkg:golang/stdlib@1.26.5");
        assert_eq!(stdlib.locations[0].line, Some(3));
        let term = find(&p, "pkg:golang/golang.org/x/term@v0.45.0");
        assert_eq!(term.relationship, Relationship::Direct);
        assert_eq!(term.locations[0].line, Some(30));
        // python: base64.b64decode("NwWyBmoJ…rf0=").hex() of go.sum line 573.
        assert_eq!(
            term.hashes[0].value,
            "3705b2066a0909b7d31e9c6b5a867d0bafd5c4e7fb89cdb5f48f3165915dadfd"
        );
        let cli = find(
            &p,
            "pkg:golang/github.com/docker/cli@v29.7.1%2Bincompatible",
        );
        assert_eq!(cli.relationship, Relationship::Transitive);
        find(
            &p,
            "pkg:golang/deps.dev/api/v3@v3.0.0-20260727054525-2946ae4a6141",
        );
        find(&p, "pkg:golang/go.yaml.in/yaml/v4@v4.0.0-rc.6");
        // Every required module@version has an `h1:` line in go.sum (python, same file).
        assert_eq!(
            p.components.iter().filter(|c| !c.hashes.is_empty()).count(),
            206
        );
        assert_eq!(ex.edges.len(), 30, "root → each direct requirement");
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
    }

    #[test]
    fn prometheus() {
        let Some((ex, p)) = extract_shared(&GoMod, "Go/prometheus/go.mod") else {
            return;
        };
        // 250 `require` lines (python, as above), 141 indirect; + module + stdlib. The
        // `replace cloud.google.com/go => …` names a module that is not required: no component.
        assert_eq!(ex.components.len(), 252);
        assert_eq!(p.components.len(), 252);
        let indirect = p
            .components
            .iter()
            .filter(|c| c.relationship == Relationship::Transitive)
            .count();
        assert_eq!(indirect, 141);
        find(&p, "pkg:golang/stdlib@1.25.10");
        let dns = find(&p, "pkg:golang/github.com/miekg/dns@v1.1.72");
        assert_eq!(dns.locations[0].line, Some(52));
        assert_eq!(dns.relationship, Relationship::Direct);
        find(&p, "pkg:golang/github.com/prometheus/common@v0.70.1");
        find(&p, "pkg:golang/k8s.io/client-go@v0.35.3");
        assert!(!purls(&p).iter().any(|u| u.contains("cloud.google.com/go@")));
        // `exclude …linodego v1.0.0` removes only that version from the graph.
        find(&p, "pkg:golang/github.com/linode/linodego@v1.69.1");
        assert!(!purls(&p).iter().any(|u| u.contains("linodego@v1.0.0")));
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
    }

    #[test]
    fn replace_exclude_retract_quotes() {
        let (ex, p) = extract_testdata(&GoMod, "go-mod/replace/go.mod");
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        // root, stdlib and 6 requirements.
        assert_eq!(p.components.len(), 8, "{:#?}", purls(&p));
        let stdlib = find(&p, "pkg:golang/stdlib@1.22.3");
        assert_eq!(stdlib.locations[0].line, Some(6), "toolchain wins over go");
        let errors = find(&p, "pkg:golang/github.com/pkg/errors@v0.9.1");
        assert_eq!(errors.relationship, Relationship::Direct);
        assert_eq!(errors.locations[0].line, Some(8));
        assert_eq!(errors.hashes.len(), 1);
        let text = find(&p, "pkg:golang/golang.org/x/text@v0.14.0");
        assert_eq!(text.relationship, Relationship::Transitive);
        // Replaced by another module: the replacement is what is built, with its own hash;
        // the replace line is its second location.
        let new = find(&p, "pkg:golang/github.com/new/lib@v1.1.0");
        assert_eq!(new.relationship, Relationship::Direct);
        assert_eq!(
            new.locations.iter().map(|l| l.line).collect::<Vec<_>>(),
            [Some(12), Some(18)]
        );
        assert_eq!(
            new.hashes[0].value,
            "3705b2066a0909b7d31e9c6b5a867d0bafd5c4e7fb89cdb5f48f3165915dadfd"
        );
        assert!(!purls(&p).iter().any(|u| u.contains("old/lib")));
        // A local replacement: the path, no version.
        let local = find(&p, "pkg:golang/example.com/local");
        assert_eq!(local.version, None);
        assert_eq!(
            local.source,
            Source::Path {
                path: "go-mod/local".into()
            }
        );
        // Version-specific replacements apply only to that version.
        let fork = find(&p, "pkg:golang/github.com/pinned/fork@v1.2.1");
        assert_eq!(
            fork.relationship,
            Relationship::Transitive,
            "`indirect;` form"
        );
        find(&p, "pkg:golang/github.com/pinned/only2@v1.3.0");
        assert!(
            !purls(&p).iter().any(|u| u.contains("unused")),
            "go.sum only"
        );
        let root = find(&p, "pkg:golang/example.com/app");
        assert_eq!(root.relationship, Relationship::Root);
        assert_eq!(ex.edges.len(), 4);
    }

    #[test]
    fn lexer_handles_comments_and_quotes() {
        let l = lex("\t\"a b\" `c d` e//indirect").unwrap();
        assert_eq!(l.tokens, ["a b", "c d", "e"]);
        assert!(l.indirect);
        assert!(lex("x \"open").is_err());
        assert_eq!(lex("require (").unwrap().tokens, ["require", "("]);
    }

    #[test]
    fn broken_files_name_the_line() {
        let err = extract_err(&GoMod, "go.mod", b"module m\n\nrequire (\n\ta v1.0.0\n");
        assert_eq!(err.line(), Some(3), "{err}");
        let err = extract_err(&GoMod, "go.mod", b"module m\nrequire \"a v1\n");
        assert_eq!(err.line(), Some(2), "{err}");
        let err = extract_err(&GoMod, "go.mod", b"module m\n)\n");
        assert_eq!(err.line(), Some(2), "{err}");
        // A bad entry is a diagnostic; the rest still counts.
        let ex = extract_bytes(
            &GoMod,
            "go.mod",
            b"module m\nrequire a\nrequire b v1.0.0\nfrobnicate x\n",
            &[],
        )
        .unwrap();
        assert_eq!(ex.components.len(), 2);
        let lines: Vec<_> = ex.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(2), Some(4)]);
    }

    proptest! {
        /// go.sum's lines give the same fields whichever split `GoSum::parse` chooses.
        #[test]
        fn go_sum_splits_agree(text in "(h1:|[ab/]|/go\\.mod| |  |\t|\r|\n|\u{b}|\u{c}|\u{a0}|\u{2003}|é){0,40}") {
            let parsed = GoSum::parse(&text);
            let mut want = HashMap::default();
            for line in text.lines() {
                if let Some((m, v, h)) = first_three(line.split_whitespace())
                    && !v.ends_with("/go.mod")
                    && let Some(h1) = h.strip_prefix("h1:")
                {
                    want.insert((m, v), h1);
                }
            }
            prop_assert_eq!(parsed.map, want);
        }

        /// The ASCII split finds the same fields as `split_whitespace`.
        #[test]
        fn three_fields_as_split_whitespace(line in "[a-z/ \t\r\u{b}\u{c}\u{a0}\u{2003}é:=]{0,24}") {
            let mut parts = line.split_whitespace();
            let expected = (|| Some((parts.next()?, parts.next()?, parts.next()?)))();
            prop_assert_eq!(three_fields(&line), expected);
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&GoMod, "go.mod", &bytes, &[("go.sum", &bytes)]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..2000) {
            let text = std::fs::read(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/go-mod/replace/go.mod"),
            ).unwrap();
            let cut = cut.min(text.len());
            let _ = extract_bytes(&GoMod, "go.mod", &text[..cut], &[]);
        }
    }
}
