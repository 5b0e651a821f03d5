//! SPDX licence templates (`standardLicenseTemplate`) turned into token sequences for matching.
//!
//! Template markup: `<<var;name="…";original="…";match="regex">>` is a replaceable part and
//! `<<beginOptional>> … <<endOptional>>` an omissible one (they nest). We never run the regexes:
//! the original words of a variable become optional tokens and the variable allows some unmatched
//! file words at its place (the allowance is estimated from the regex), which is what the SPDX
//! matching guidelines ask for at a fraction of the cost.

use super::token::{self, Vocabulary};

/// A template as the matcher sees it.
#[derive(Debug, Default)]
pub(crate) struct Compiled {
    /// Every word of the template: required ones, optional ones and variables' original text.
    pub toks: Vec<u32>,
    /// Whether each word must be present (not optional, not inside a variable).
    pub required: Vec<bool>,
    /// Unmatched file words allowed at each position (index = number of template words before),
    /// `toks.len() + 1` entries.
    pub gap: Vec<u32>,
}

impl Compiled {
    fn push(&mut self, id: u32, required: bool) {
        self.toks.push(id);
        self.required.push(required);
        self.gap.push(0);
    }

    fn allow_gap(&mut self, at: usize, words: u32) {
        if let Some(g) = self.gap.get_mut(at) {
            *g = g.saturating_add(words);
        }
    }
}

/// Compiles a template (plain text is a template without markup).
pub(crate) fn compile(template: &str, vocab: &mut Vocabulary) -> Compiled {
    let mut c = Compiled {
        gap: vec![0],
        ..Compiled::default()
    };
    let mut optional_depth = 0u32;
    let mut rest = template;
    loop {
        let Some(open) = rest.find("<<") else {
            literal(rest, optional_depth == 0, &mut c, vocab);
            break;
        };
        let (before, after) = rest.split_at(open);
        literal(before, optional_depth == 0, &mut c, vocab);
        let tag = &after[2..];
        if let Some(r) = tag.strip_prefix("beginOptional") {
            optional_depth += 1;
            rest = skip_close(r);
        } else if let Some(r) = tag.strip_prefix("endOptional") {
            optional_depth = optional_depth.saturating_sub(1);
            rest = skip_close(r);
        } else if let Some(r) = tag.strip_prefix("var;") {
            let (fields, r) = var_fields(r);
            let at = c.toks.len();
            let original = field(&fields, "original").unwrap_or("");
            literal(original, false, &mut c, vocab);
            let allowance = allowance(field(&fields, "match").unwrap_or(".+"));
            for pos in at..=c.toks.len() {
                c.allow_gap(pos, allowance);
            }
            rest = r;
        } else {
            // Not markup: "<<" in the licence text itself.
            literal("<<", optional_depth == 0, &mut c, vocab);
            rest = tag;
        }
    }
    c
}

fn literal(text: &str, required: bool, c: &mut Compiled, vocab: &mut Vocabulary) {
    token::words(text, 1, |w, _| {
        let id = vocab.intern(w);
        c.push(id, required);
    });
}

/// Skips to just after the next `>>`.
fn skip_close(s: &str) -> &str {
    s.find(">>").map_or("", |i| &s[i + 2..])
}

/// Parses `name="…";original="…";match="…">>`, returning the fields and the text after `>>`.
/// Values are double-quoted; a backslash escapes the next character.
fn var_fields(s: &str) -> (Vec<(&str, &str)>, &str) {
    let mut fields = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches([';', ' ']);
        if let Some(r) = rest.strip_prefix(">>") {
            return (fields, r);
        }
        let Some(eq) = rest.find('=') else {
            return (fields, skip_close(rest));
        };
        let key = rest[..eq].trim();
        let after = &rest[eq + 1..];
        let Some(body) = after.strip_prefix('"') else {
            return (fields, skip_close(after));
        };
        let bytes = body.as_bytes();
        let mut i = 0;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let end = i.min(body.len());
        fields.push((key, body.get(..end).unwrap_or("")));
        rest = body.get(end + 1..).unwrap_or("");
    }
}

fn field<'a>(fields: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
}

/// How many file words a variable's regex may stand for, roughly: `.{0,5000}` → by length,
/// `.+` → a line or two, a list of alternatives → a few words.
fn allowance(regex: &str) -> u32 {
    if let Some(i) = regex.find(".{") {
        let inner = &regex[i + 2..];
        let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
        let max = inner.rsplit(',').next().unwrap_or("").trim();
        if let Ok(chars) = max.parse::<u32>() {
            return (chars / 4 + 3).min(300);
        }
        return 80;
    }
    if regex.contains(".+") || regex.contains(".*") {
        return 80;
    }
    let longest = regex
        .split('|')
        .map(|alt| alt.split("\\s+").count() + alt.matches(' ').count())
        .max()
        .unwrap_or(1);
    u32::try_from(longest)
        .unwrap_or(8)
        .saturating_add(3)
        .min(40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_optional_words_and_gaps() {
        let mut v = Vocabulary::default();
        let c = compile(
            "<<beginOptional>>MIT License<<endOptional>> <<var;name=\"c\";original=\"Copyright (c) <year>\";match=\".{0,40}\">>\nPermission is<<beginOptional>> hereby<<endOptional>>granted",
            &mut v,
        );
        let req: Vec<bool> = c.required.clone();
        assert_eq!(c.toks.len(), 9);
        assert_eq!(
            req,
            [false, false, false, false, false, true, true, false, true]
        );
        // The variable spans positions 2..=5 with an allowance of 40/4+3 words.
        assert_eq!(&c.gap[..7], &[0, 0, 13, 13, 13, 13, 0]);
        assert_eq!(c.gap.len(), c.toks.len() + 1);
    }

    #[test]
    fn broken_markup_does_not_panic() {
        let mut v = Vocabulary::default();
        for t in [
            "<<var;name=\"x",
            "<<beginOptional",
            "a << b",
            "<<var;>>",
            "<<var;name=\"a\\",
        ] {
            let _ = compile(t, &mut v);
        }
    }
}
