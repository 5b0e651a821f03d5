//! `SPDX-License-Identifier:` tags, on any line, behind any comment marker.
//!
//! The value is parsed as an SPDX expression: a valid one is reported as written (confidence
//! 1.0); one the `spdx` crate's lax mode can fix (`MIT/Apache-2.0`, `GPL-2.0+`, `Apache 2`,
//! deprecated ids) is reported in canonical form (0.9); anything else is still reported, as
//! `LicenseRef-ospo-unknown-<value with every character outside [A-Za-z0-9.-] turned into ->`
//! with confidence 0.5, so an unknown tag stays visible and the expression stays valid.

use super::{LicenseMatch, MatchKind};

const TAG: &str = "spdx-license-identifier";
/// JSDoc / Closure's `@license MIT` (and a `License: MIT` line): a reference when the rest of the
/// line is a valid expression.
const AT_LICENSE: &str = "@license ";

pub(crate) fn find(text: &str, out: &mut Vec<LicenseMatch>) {
    for (n, line) in text.lines().enumerate() {
        let Some(pos) = find_ascii_ci(line, TAG) else {
            at_license(line, n, out);
            continue;
        };
        let rest = &line[pos + TAG.len()..];
        let Some(value) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let value = clean(value);
        if value.is_empty() {
            continue;
        }
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let (expression, confidence) = parse(value);
        out.push(LicenseMatch {
            expression,
            confidence,
            kind: MatchKind::SpdxTag,
            start_line: line_no,
            end_line: line_no,
        });
    }
}

fn at_license(line: &str, n: usize, out: &mut Vec<LicenseMatch>) {
    let value = if let Some(pos) = find_ascii_ci(line, AT_LICENSE) {
        &line[pos + AT_LICENSE.len()..]
    } else {
        // "License: MIT" as a header field, at the start of a (comment) line.
        let bare = line.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '/' | '*' | '#' | ';' | '-' | '!' | '%')
        });
        match bare.get(..8) {
            Some(head) if head.eq_ignore_ascii_case("license:") => &bare[8..],
            _ => return,
        }
    };
    let value = clean(value);
    let (expression, confidence) = parse(value);
    // Only a valid expression as written: a bare "BSD" or "GPL" is not guessed into a variant.
    if confidence < 1.0 || value.is_empty() {
        return;
    }
    let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
    out.push(LicenseMatch {
        expression,
        confidence,
        kind: MatchKind::Reference,
        start_line: line_no,
        end_line: line_no,
    });
}

/// The tag's value without comment closers, quotes and trailing punctuation.
fn clean(value: &str) -> &str {
    let mut v = value.trim();
    for closer in ["*/", "-->", "*)", "#}", "%>", "--}}", "\"\"\"", "'''"] {
        if let Some(i) = v.find(closer) {
            v = &v[..i];
        }
    }
    v.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '`'))
}

fn parse(value: &str) -> (String, f32) {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if spdx::Expression::parse(&collapsed).is_ok() {
        return (collapsed, 1.0);
    }
    if let Ok(Some(fixed)) = spdx::Expression::canonicalize(&collapsed)
        && spdx::Expression::parse(&fixed).is_ok()
    {
        return (fixed, 0.9);
    }
    if let Ok(e) = spdx::Expression::parse_mode(&collapsed, spdx::ParseMode::LAX) {
        return (e.to_string(), 0.9);
    }
    let mut id = String::from("LicenseRef-ospo-unknown-");
    let mut last_dash = true;
    for c in collapsed.chars().take(80) {
        if c.is_ascii_alphanumeric() || c == '.' {
            id.push(c);
            last_dash = false;
        } else if !last_dash {
            id.push('-');
            last_dash = true;
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    (id, 0.5)
}

/// Byte position of an ASCII `needle` (lowercase) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if h.len() < n.len() {
        return None;
    }
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<(String, f32, u32)> {
        let mut v = Vec::new();
        find(text, &mut v);
        v.into_iter()
            .map(|m| (m.expression, m.confidence, m.start_line))
            .collect()
    }

    #[test]
    fn tags_in_comments() {
        assert_eq!(
            tags("// SPDX-License-Identifier: MIT OR Apache-2.0\nfn main() {}\n"),
            [("MIT OR Apache-2.0".to_owned(), 1.0, 1)]
        );
        assert_eq!(
            tags("#!/bin/sh\n# spdx-license-identifier:   GPL-2.0-only WITH Linux-syscall-note\n"),
            [("GPL-2.0-only WITH Linux-syscall-note".to_owned(), 1.0, 2)]
        );
        assert_eq!(
            tags(
                "/* SPDX-License-Identifier: BSD-3-Clause */\n<!-- SPDX-License-Identifier: MIT -->"
            ),
            [
                ("BSD-3-Clause".to_owned(), 1.0, 1),
                ("MIT".to_owned(), 1.0, 2)
            ]
        );
    }

    #[test]
    fn lax_values_are_fixed() {
        assert_eq!(
            tags("SPDX-License-Identifier: MIT/Apache-2.0"),
            [("MIT OR Apache-2.0".to_owned(), 0.9, 1)]
        );
        assert_eq!(
            tags("SPDX-License-Identifier: GPL-2.0+"),
            [("GPL-2.0-or-later".to_owned(), 0.9, 1)]
        );
    }

    #[test]
    fn invalid_values_are_kept_as_license_refs() {
        assert_eq!(
            tags("# SPDX-License-Identifier: My Own Licence v2"),
            [(
                "LicenseRef-ospo-unknown-My-Own-Licence-v2".to_owned(),
                0.5,
                1
            )]
        );
        assert!(tags("SPDX-License-Identifier:\nSPDX-License-Identifier").is_empty());
    }

    #[test]
    fn jsdoc_license_references() {
        let mut v = Vec::new();
        find(
            " * @license MIT\n * @license see LICENSE.txt\n * License: ISC\nLicense: see below\n",
            &mut v,
        );
        assert_eq!(v.len(), 2);
        assert_eq!((v[1].expression.as_str(), v[1].start_line), ("ISC", 3));
        assert_eq!(
            (v[0].expression.as_str(), v[0].kind),
            ("MIT", MatchKind::Reference)
        );
    }
}
