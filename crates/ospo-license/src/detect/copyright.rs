//! Copyright statements for attribution: `Copyright (c) 2015-2020 Foo Ltd.`, `© 2019 Bar`,
//! `(C) 2001 Baz`, `Copyright 2010 The Go Authors. All rights reserved.`, a holder continued on
//! the next line, behind any comment marker. Sentences that merely talk about copyright ("the above
//! copyright notice…", "COPYRIGHT HOLDERS AND CONTRIBUTORS") and template placeholders
//! (`Copyright (C) <year> <name of author>`) are not statements. "All rights reserved" is
//! dropped; statements are deduplicated (case and whitespace ignored), first occurrence kept.

use super::Copyright;

/// Words that, right after "copyright", show a sentence about copyright rather than a statement.
const NOT_A_HOLDER: &[&str] = &[
    "notice",
    "notices",
    "holder",
    "holders",
    "owner",
    "owners",
    "law",
    "laws",
    "and",
    "or",
    "license",
    "licence",
    "licensing",
    "statement",
    "statements",
    "protection",
    "to",
    "in",
    "of",
    "is",
    "are",
    "may",
    "for",
    "on",
    "under",
    "claim",
    "claims",
    "disclaimer",
    "information",
    "file",
    "header",
    "line",
    "lines",
    "string",
    "text",
    "symbol",
    "sign",
    "year",
    "date",
    "the",
    "this",
    "that",
    "interest",
    "infringement",
    "status",
    "terms",
    "policy",
    "purposes",
    "act",
    "page",
    "field",
    "by",
    "as",
    "will",
    "remains",
    "belongs",
    "rights",
    "with",
    "ownership",
    "assignment",
    "agreement",
    "permission",
    "message",
    "template",
    "check",
    "tag",
    "dates",
    "convention",
];

/// Where a statement ends: a sentence about something else follows on the same line.
const SENTENCE_AFTER: &[&str] = &[
    ". see ",
    ". this ",
    ". licensed ",
    ". use ",
    ". released ",
    ". distributed ",
    ". for ",
    ". permission ",
    ". you ",
    ". it ",
    " and licensed under",
    " licensed under",
    "; see ",
];

const MAX_LINE: usize = 400;

pub(crate) fn find(text: &str) -> Vec<Copyright> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Copyright> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (n, raw) in lines.iter().enumerate() {
        if !may_hold(raw) {
            continue;
        }
        let Some(mut statement) = statement(raw) else {
            continue;
        };
        // A statement without a holder yet ("Copyright (c) 2015-2020", "… by") continues on the
        // next line or two.
        let mut k = n + 1;
        while k < lines.len() && k <= n + 2 && wants_more(&statement) {
            let next = strip_comment(lines[k]);
            if next.is_empty() || may_hold(next) || next.len() > 120 {
                break;
            }
            statement.push(' ');
            statement.push_str(next);
            k += 1;
        }
        let statement = finish(&statement);
        if statement.len() < 6 {
            continue;
        }
        let key = statement.to_lowercase();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(Copyright {
            statement,
            line: u32::try_from(n + 1).unwrap_or(u32::MAX),
        });
    }
    out
}

fn may_hold(line: &str) -> bool {
    line.contains('©')
        || line.contains("opyright")
        || line.contains("OPYRIGHT")
        || line.contains("(c)")
        || line.contains("(C)")
}

/// The line without leading comment markers and surrounding blanks.
fn strip_comment(line: &str) -> &str {
    let line = line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '/' | '*' | '#' | ';' | '!' | '%' | '-' | '|' | '>' | '<')
    });
    let line = line
        .strip_prefix("dnl ")
        .or_else(|| line.strip_prefix("rem "))
        .or_else(|| line.strip_prefix("REM "))
        .unwrap_or(line);
    line.trim_end()
}

/// The statement starting on this line, if there is one.
fn statement(raw: &str) -> Option<String> {
    let line = strip_comment(raw);
    let line = &line[..line.floor_char_boundary(MAX_LINE)];
    let lower = line.to_ascii_lowercase();
    // Where the statement starts: "copyright", "©" or "(c)", the earliest of them.
    // ("copyright" inside a word, as in `SPDX-FileCopyrightText:`, does not start one.)
    let start = ["copyright", "©", "(c)"]
        .iter()
        .filter_map(|k| {
            lower.match_indices(k).map(|(i, _)| i).find(|&i| {
                *k != "copyright" || !lower[..i].ends_with(|c: char| c.is_alphanumeric())
            })
        })
        .min()?;
    let at_start = start == 0
        || lower.starts_with("portions")
        || lower[..start]
            .trim_end()
            .ends_with(['"', '\'', ':', '@', '='])
        || lower[..start].trim_end().ends_with("license");
    // reST/docstring fields: ":copyright: Copyright 2006 by …" starts at the second keyword.
    let start = match lower[start..].strip_prefix("copyright:") {
        Some(rest)
            if ["copyright", "©", "(c)"]
                .iter()
                .any(|k| rest.trim_start().starts_with(k)) =>
        {
            start + "copyright:".len() + (rest.len() - rest.trim_start().len())
        }
        _ => start,
    };
    let s = &line[start..];
    let rest = skip_markers(s);
    let rest_lower = rest.to_ascii_lowercase();
    if rest_lower.contains("<year")
        || rest_lower.contains("yyyy")
        || rest_lower.contains("[year")
        || rest_lower.contains("{year")
        || rest_lower.contains("<name")
        || rest_lower.contains("[name")
        || rest_lower.contains("<owner")
        || rest_lower.contains("<author")
        || rest_lower.contains("<copyright")
        || rest_lower.contains("[fullname")
        || rest_lower.contains("{{")
    {
        return None;
    }
    let first = rest_lower
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let has_year = has_year(rest);
    let had_symbol =
        s.len() - rest.len() > "copyright".len() || !lower[start..].starts_with("copyright");
    // After "(c)" or a year, "The Rust Project Developers" is a holder; after a bare
    // "copyright", "the" starts a sentence.
    let stop = NOT_A_HOLDER.contains(&first) && !((had_symbol || has_year) && first == "the");
    if first.is_empty() || stop || rest.contains("\\n") {
        return None;
    }
    let capitalised = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if !at_start && !has_year {
        return None;
    }
    // A bare "(c)" is as often a list item as a copyright sign: only with a year.
    if lower[start..].starts_with("(c)") && !has_year {
        return None;
    }
    if !(has_year || had_symbol || capitalised) {
        return None;
    }
    if s.len() > "copyright".len()
        && lower[start..].starts_with("copyright")
        && s["copyright".len()..].trim_start().starts_with(['=', '('])
        && !s["copyright".len()..]
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("(c)")
    {
        return None;
    }
    Some(s.to_owned())
}

/// Skips "Copyright", "(c)", "©", ":" at the start, in any order.
fn skip_markers(s: &str) -> &str {
    let mut rest = s;
    loop {
        let r = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ':' || c == ',');
        let lower = r.get(..9).map(str::to_ascii_lowercase).unwrap_or_default();
        let r2 = if lower == "copyright" {
            &r[9..]
        } else if let Some(x) = r.strip_prefix('©') {
            x
        } else if r.len() >= 3
            && r.as_bytes()[0] == b'('
            && r.as_bytes()[2] == b')'
            && matches!(r.as_bytes()[1], b'c' | b'C')
        {
            &r[3..]
        } else {
            return r;
        };
        if r2.len() == rest.len() {
            return r2;
        }
        rest = r2;
    }
}

fn has_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        (w.starts_with(b"19") || w.starts_with(b"20"))
            && w.iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
    })
}

/// Whether the statement still lacks a holder: only markers, years and separators, or a
/// trailing "by".
fn wants_more(statement: &str) -> bool {
    let rest = skip_markers(statement);
    let t = rest.trim_end();
    let lower = t.to_ascii_lowercase();
    lower.ends_with(" by")
        || lower.ends_with(" and")
        || lower.ends_with(',')
        || t.chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, ',' | '-' | '–'))
}

/// Collapses whitespace, drops comment closers, "All rights reserved" and trailing punctuation.
fn finish(statement: &str) -> String {
    let mut s = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    for closer in ["*/", "-->", "\"\"\""] {
        if let Some(i) = s.find(closer) {
            s.truncate(i);
        }
    }
    let lower = s.to_ascii_lowercase();
    if let Some(i) = lower.find("all rights reserved") {
        s.truncate(i);
    }
    // The statement ends where a sentence about something else starts on the same line.
    let lower = s.to_ascii_lowercase();
    if let Some(i) = SENTENCE_AFTER.iter().filter_map(|p| lower.find(p)).min() {
        s.truncate(i + 1);
    }
    let trimmed = s.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '"' | '\'' | '*' | '/')
    });
    let mut s = trimmed.to_owned();
    // Keep the final dot of "Ltd." / "Inc.", drop a sentence's.
    if s.ends_with('.') {
        let word = s.rsplit(' ').next().unwrap_or("");
        if !matches!(
            word,
            "Inc." | "Ltd." | "Co." | "Corp." | "L.L.C." | "S.A." | "e.V." | "Jr." | "al."
        ) {
            s.pop();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(text: &str) -> Vec<(String, u32)> {
        find(text)
            .into_iter()
            .map(|c| (c.statement, c.line))
            .collect()
    }

    fn one(s: &str, line: u32) -> (String, u32) {
        (s.to_owned(), line)
    }

    #[test]
    fn statements_are_found() {
        assert_eq!(
            statements("// Copyright (c) 2015-2020 Foo Ltd.\nfn x() {}"),
            [one("Copyright (c) 2015-2020 Foo Ltd.", 1)]
        );
        assert_eq!(statements("© 2019 Bar"), [one("© 2019 Bar", 1)]);
        assert_eq!(
            statements("    :copyright: Copyright 2006-2022 by the Pygments team, see AUTHORS."),
            [one(
                "Copyright 2006-2022 by the Pygments team, see AUTHORS",
                1
            )]
        );
        assert_eq!(
            statements(" * (C) 2001 Baz Inc.\n"),
            [one("(C) 2001 Baz Inc.", 1)]
        );
        assert_eq!(
            statements(
                "// Copyright 2010 The Go Authors. All rights reserved.\n// Use of this source code is governed by a BSD-style"
            ),
            [one("Copyright 2010 The Go Authors", 1)]
        );
        assert_eq!(
            statements("# Copyright Google LLC\n"),
            [one("Copyright Google LLC", 1)]
        );
        assert_eq!(
            statements("MIT License\n\nCopyright (c) 2018 Jane Doe <jane@example.com>\n"),
            [one("Copyright (c) 2018 Jane Doe <jane@example.com>", 3)]
        );
    }

    #[test]
    fn statements_end_before_the_next_sentence() {
        assert_eq!(
            statements("// Copyright 2019 The Rust Project Developers. See the COPYRIGHT\n"),
            [one("Copyright 2019 The Rust Project Developers", 1)]
        );
        assert_eq!(
            statements("// SPDX-FileCopyrightText: Copyright (c) 2023 Yegor Bugayenko\n"),
            [one("Copyright (c) 2023 Yegor Bugayenko", 1)]
        );
        assert_eq!(
            statements("Copyright (c) The rust-url developers\n"),
            [one("Copyright (c) The rust-url developers", 1)]
        );
        assert_eq!(
            statements("Copyright (c) 2014--2026, Kang Seonghoon and\n  contributors\n"),
            [one(
                "Copyright (c) 2014--2026, Kang Seonghoon and contributors",
                1
            )]
        );
        assert!(
            statements("the Universal Copyright Convention (as revised on July 24, 1971)")
                .is_empty()
        );
    }

    #[test]
    fn multi_line_holders_are_joined() {
        assert_eq!(
            statements(
                "Copyright (c) 2003-2010\n    The Foo Project Contributors\n\nPermission is"
            ),
            [one(
                "Copyright (c) 2003-2010 The Foo Project Contributors",
                1
            )]
        );
    }

    #[test]
    fn duplicates_are_dropped() {
        assert_eq!(
            statements("Copyright 2020 A\ncopyright   2020 a\nCopyright 2021 B"),
            [one("Copyright 2020 A", 1), one("Copyright 2021 B", 3)]
        );
    }

    #[test]
    fn licence_sentences_and_placeholders_are_not_statements() {
        for text in [
            "The above copyright notice and this permission notice shall be included",
            "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\"",
            "Copyright (C) <year>  <name of author>",
            "Copyright [yyyy] [name of copyright owner]",
            "copyright notice, this list of conditions and the following disclaimer.",
            "Copyright law does not protect ideas",
            "    (c) You must retain, in the Source form of any Derivative Works",
            "copyright = self.get_copyright()",
            "",
        ] {
            assert!(
                statements(text).is_empty(),
                "{text:?} -> {:?}",
                statements(text)
            );
        }
    }
}
