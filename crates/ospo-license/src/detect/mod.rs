//! Licence detection in files: whole licence texts, licence notices in source headers and
//! `SPDX-License-Identifier` tags, matched against the SPDX licence list embedded in the binary,
//! plus copyright statements for attribution.
//!
//! How it works (docs/license-detection.md has the long version):
//! 1. [`token`]: the file's words, normalised per the SPDX matching guidelines (case,
//!    punctuation, quotes, dashes, whitespace, equivalent spellings), interned as `u32`.
//! 2. [`index`]: one rule per licence template, licence header template and exception template
//!    of the list; a bigram index picks the rules whose required word pairs the file contains.
//! 3. [`align`]: each candidate's template is aligned with the file like a diff (variables and
//!    optional parts of the template may differ or be absent), which gives every occurrence with
//!    its line span, a coverage and a confidence.
//! 4. Overlapping occurrences keep the one that explains most words; exceptions are joined to the
//!    licence they follow (`GPL-2.0-only WITH Classpath-exception-2.0`); deprecated ids become
//!    their current form.
//!
//! Limits: only the first [`MAX_BYTES`] of a file are read; input with NUL bytes in its first
//! 8 KiB is binary and yields nothing (see [`Detector::detect_bytes`]).

mod align;
mod copyright;
mod data;
mod index;
mod reference;
mod tag;
mod template;
mod token;

use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;

use index::{Index, RuleKind};

/// The SPDX licence list version the embedded data comes from.
pub const SPDX_LIST_VERSION: &str = include_str!("../../data/spdx/VERSION");

/// Only this much of a file is examined (larger files are cut at a character boundary).
pub const MAX_BYTES: usize = 4 << 20;

/// How a licence was found in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// An `SPDX-License-Identifier:` tag.
    SpdxTag,
    /// A whole licence text (LICENSE, COPYING…).
    Text,
    /// A standard licence notice or header (the "Licensed under the Apache License…" paragraph).
    Header,
    /// A short reference by name or URL ("released under the MIT license").
    Reference,
}

/// One licence found in a file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicenseMatch {
    /// An SPDX expression: a list id, `id WITH exception`, or `LicenseRef-…`. An exception text
    /// found with no licence text near it is reported by the exception's id alone.
    pub expression: String,
    /// 0.0–1.0: how much of the licence's template the matched text covers, and how exactly.
    pub confidence: f32,
    pub kind: MatchKind,
    /// 1-based, inclusive.
    pub start_line: u32,
    pub end_line: u32,
}

/// One copyright statement, for attribution.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Copyright {
    /// The statement as written, whitespace collapsed (`Copyright (c) 2015 The Rust Project Developers`).
    pub statement: String,
    /// 1-based line where it starts.
    pub line: u32,
}

/// Everything found in one file, sorted by start line.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FileLicenses {
    pub licenses: Vec<LicenseMatch>,
    pub copyrights: Vec<Copyright>,
}

/// The licence matcher: built once (from the embedded SPDX list), shared across threads.
/// The index is built on first use and shared by every `Detector` of the process.
#[derive(Clone, Copy)]
pub struct Detector {
    index: &'static Index,
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector")
            .field("rules", &self.index.rules.len())
            .field("words", &self.index.vocab.len())
            .finish()
    }
}

impl Default for Detector {
    fn default() -> Self {
        Self::new()
    }
}

/// A candidate must hold this share of a rule's required word pairs to be aligned.
const MIN_CONTAINMENT: f32 = 0.3;
/// At most this many candidates are aligned per file.
const MAX_CANDIDATES: usize = 200;
/// Words examined per file.
const MAX_TOKENS: usize = 1 << 20;

/// One rule occurrence before overlap resolution.
struct Found {
    rule: usize,
    a: align::Aligned,
    score: f32,
}

impl Detector {
    pub fn new() -> Self {
        static INDEX: OnceLock<Index> = OnceLock::new();
        Self {
            index: INDEX.get_or_init(|| Index::build(data::list())),
        }
    }

    /// Detects licences and copyrights in one file's text. `path` is only a hint (a file named
    /// LICENSE is expected to hold a whole text; a `.rs` file a header).
    pub fn detect(&self, path: &Path, text: &str) -> FileLicenses {
        let text = &text[..text.floor_char_boundary(MAX_BYTES)];
        let mut licenses = Vec::new();
        tag::find(text, &mut licenses);
        // A licence file that holds nothing but an expression (`MIT OR Apache-2.0`).
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let trimmed = text.trim();
        if is_license_file(name)
            && trimmed.len() < 200
            && !trimmed.contains('\n')
            && spdx::Expression::parse(trimmed).is_ok()
        {
            licenses.push(LicenseMatch {
                expression: trimmed.to_owned(),
                confidence: 1.0,
                kind: MatchKind::Reference,
                start_line: 1,
                end_line: 1,
            });
        }
        let toks = token::tokenize(&self.index.vocab, text, MAX_TOKENS);
        let texts = self.match_texts(&toks);
        // A one-line reference inside a matched text of the same licence adds nothing.
        licenses.retain(|r: &LicenseMatch| {
            r.kind != MatchKind::Reference
                || !texts.iter().any(|t| {
                    t.expression == r.expression
                        && t.start_line <= r.start_line
                        && r.end_line <= t.end_line
                })
        });
        licenses.extend(texts);
        licenses.sort_by(|a, b| {
            (a.start_line, a.end_line, &a.expression, a.kind).cmp(&(
                b.start_line,
                b.end_line,
                &b.expression,
                b.kind,
            ))
        });
        FileLicenses {
            licenses,
            copyrights: copyright::find(text),
        }
    }

    /// [`Detector::detect`] for raw bytes: UTF-16 with a byte-order mark is decoded; other input
    /// with a NUL byte in its first 8 KiB is taken as binary and yields nothing; invalid UTF-8 is
    /// replaced (U+FFFD) and the rest still matched.
    pub fn detect_bytes(&self, path: &Path, bytes: &[u8]) -> FileLicenses {
        // UTF-16 with a byte-order mark (some Windows LICENSE.txt files) is text, not binary.
        let utf16 = match bytes {
            [0xFF, 0xFE, rest @ ..] => Some((rest, u16::from_le_bytes as fn([u8; 2]) -> u16)),
            [0xFE, 0xFF, rest @ ..] => Some((rest, u16::from_be_bytes as fn([u8; 2]) -> u16)),
            _ => None,
        };
        if let Some((rest, read)) = utf16 {
            let rest = &rest[..rest.len().min(MAX_BYTES)];
            let units = rest.chunks_exact(2).map(|c| read([c[0], c[1]]));
            let text: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            return self.detect(path, &text);
        }
        let head = &bytes[..bytes.len().min(8192)];
        if head.contains(&0) {
            return FileLicenses::default();
        }
        let bytes = &bytes[..bytes.len().min(MAX_BYTES)];
        self.detect(path, &String::from_utf8_lossy(bytes))
    }

    fn match_texts(&self, toks: &[token::Token]) -> Vec<LicenseMatch> {
        let rules = &self.index.rules;
        let mut found = Vec::new();
        let candidates = self.index.candidates(toks, MIN_CONTAINMENT, MAX_CANDIDATES);
        if candidates.is_empty() {
            return Vec::new();
        }
        let fpairs = align::file_pairs(toks);
        // (score, span in words) of the best occurrence found so far.
        let mut best: Option<(f32, usize)> = None;
        for (r, containment) in candidates {
            let rule = &rules[r];
            let min = min_confidence(rule.total_req);
            // The share of required pairs present bounds the coverage (with slack for pairs
            // broken by a substituted word): a rule that cannot reach its threshold is skipped.
            if containment + 0.1 < min {
                continue;
            }
            // Nor is one that could only land on the best match so far and cannot beat it
            // there: too short to match as many words, and too little of the file left
            // outside it (the GPL headers inside a GPL text, the short MIT variants…).
            if let Some((score, span)) = best {
                let outside = toks.len().saturating_sub(span) as f32;
                // (3% below: a near-tie must still be aligned, see `near_tie`.)
                if (rule.t.toks.len() as f32) < score * 0.97
                    && outside < min * rule.total_req as f32
                {
                    continue;
                }
            }
            for a in align::align(rule, toks, &fpairs, min) {
                if a.confidence >= min {
                    let score = a.matched as f32 * a.confidence * a.confidence;
                    if best.is_none_or(|(s, _)| score > s) {
                        best = Some((score, a.f_end - a.f_start));
                    }
                    found.push(Found { rule: r, a, score });
                }
            }
        }
        // Best explanation first; on a tie a current id before a deprecated one, a whole text
        // before a header, then by id so the result is deterministic.
        found.sort_by(|x, y| {
            let (rx, ry) = (&rules[x.rule], &rules[y.rule]);
            y.score
                .total_cmp(&x.score)
                .then(rx.deprecated.cmp(&ry.deprecated))
                .then((rx.kind as u8).cmp(&(ry.kind as u8)))
                .then(rx.id.cmp(ry.id))
                .then(x.a.f_start.cmp(&y.a.f_start))
        });
        let mut kept: Vec<Found> = Vec::new();
        for f in found {
            let span = f.a.f_end - f.a.f_start;
            let overlap = |k: &Found| {
                f.a.f_end
                    .min(k.a.f_end)
                    .saturating_sub(f.a.f_start.max(k.a.f_start))
            };
            // A clash: the two share over 30% of the shorter one's words.
            let clash = |k: &Found| overlap(k) * 10 > span.min(k.a.f_end - k.a.f_start) * 3;
            match kept.iter().position(clash) {
                None => kept.push(f),
                // Texts the list itself makes identical (GPL-2.0-only / -or-later, the GFDL
                // invariants variants, OFL-1.1 / -RFN…) tie: keep the plainest id.
                Some(i)
                    if near_tie(&f, &kept[i], overlap(&kept[i]))
                        && plainer(&rules[f.rule], &rules[kept[i].rule]) =>
                {
                    kept[i] = f;
                }
                Some(_) => {}
            }
        }
        kept.sort_by_key(|f| f.a.f_start);
        self.into_matches(&kept, toks)
    }

    /// Turns kept occurrences into matches: line spans, current ids, exceptions joined.
    fn into_matches(self, kept: &[Found], toks: &[token::Token]) -> Vec<LicenseMatch> {
        let rules = &self.index.rules;
        let line = |i: usize| toks.get(i).map_or(1, |t| t.line);
        let mut out: Vec<(LicenseMatch, bool)> = kept
            .iter()
            .map(|f| {
                let rule = &rules[f.rule];
                let id = rule.id;
                let expression = deprecated_replacement(id).unwrap_or(id).to_owned();
                let m = LicenseMatch {
                    expression,
                    confidence: (f.a.confidence * 1000.0).round() / 1000.0,
                    kind: match rule.kind {
                        RuleKind::Header => MatchKind::Header,
                        RuleKind::Reference => MatchKind::Reference,
                        RuleKind::Text | RuleKind::Exception => MatchKind::Text,
                    },
                    start_line: line(f.a.f_start),
                    end_line: line(f.a.f_end.saturating_sub(1)),
                };
                (m, rule.kind == RuleKind::Exception)
            })
            .collect();
        // Join each exception to the nearest licence before it, else after it.
        let mut joined = vec![false; out.len()];
        for e in 0..out.len() {
            if !out[e].1 {
                continue;
            }
            let (es, ee) = (out[e].0.start_line, out[e].0.end_line);
            let near = |m: &LicenseMatch| {
                if m.end_line <= es {
                    es - m.end_line
                } else {
                    m.start_line.saturating_sub(ee) + 10_000
                }
            };
            let target = (0..out.len())
                .filter(|&l| !out[l].1 && !joined[l] && !out[l].0.expression.contains(" WITH "))
                .min_by_key(|&l| near(&out[l].0));
            if let Some(l) = target {
                let exc = out[e].0.clone();
                let lic = &mut out[l].0;
                lic.expression = format!("{} WITH {}", lic.expression, exc.expression);
                lic.confidence = lic.confidence.min(exc.confidence);
                lic.start_line = lic.start_line.min(exc.start_line);
                lic.end_line = lic.end_line.max(exc.end_line);
                joined[l] = true;
                out[e].1 = false;
                out[e].0.expression.clear();
            }
        }
        out.into_iter()
            .map(|(m, _)| m)
            .filter(|m| !m.expression.is_empty())
            .collect()
    }
}

/// Two occurrences over the same words that explain them equally well.
fn near_tie(a: &Found, b: &Found, overlap: usize) -> bool {
    let (sa, sb) = (a.a.f_end - a.a.f_start, b.a.f_end - b.a.f_start);
    overlap * 10 >= sa.max(sb) * 9
        && (a.a.confidence - b.a.confidence).abs() <= 0.0005
        && a.a.matched.abs_diff(b.a.matched) * 100 <= a.a.matched.max(b.a.matched)
}

/// Among tied ids: a current one, then the shortest (`GPL-2.0-only` before `GPL-2.0-or-later`,
/// `GFDL-1.3-only` before `GFDL-1.3-invariants-only`), then by name.
fn plainer(a: &index::Rule, b: &index::Rule) -> bool {
    (a.deprecated, a.id.len(), a.id) < (b.deprecated, b.id.len(), b.id)
}

/// Shorter rules need a closer match to be told from chance.
fn min_confidence(required_words: u32) -> f32 {
    match required_words {
        0..30 => 0.9,
        30..80 => 0.75,
        _ => 0.5,
    }
}

/// The current expression for a deprecated list id (`GPL-2.0+` → `GPL-2.0-or-later`,
/// `GPL-2.0-with-classpath-exception` → `GPL-2.0-only WITH Classpath-exception-2.0`), or `None`
/// for an id that is not deprecated or has no single replacement (`Net-SNMP`).
pub fn deprecated_replacement(id: &str) -> Option<&'static str> {
    Some(match id {
        "AGPL-1.0" => "AGPL-1.0-only",
        "AGPL-3.0" => "AGPL-3.0-only",
        "BSD-2-Clause-FreeBSD" => "BSD-2-Clause-Views",
        "BSD-2-Clause-NetBSD" => "BSD-2-Clause",
        "bzip2-1.0.5" => "bzip2-1.0.6",
        "eCos-2.0" => "GPL-2.0-or-later WITH eCos-exception-2.0",
        "GFDL-1.1" => "GFDL-1.1-only",
        "GFDL-1.2" => "GFDL-1.2-only",
        "GFDL-1.3" => "GFDL-1.3-only",
        "GPL-1.0" => "GPL-1.0-only",
        "GPL-1.0+" => "GPL-1.0-or-later",
        "GPL-2.0" => "GPL-2.0-only",
        "GPL-2.0+" => "GPL-2.0-or-later",
        "GPL-2.0-with-autoconf-exception" => "GPL-2.0-only WITH Autoconf-exception-2.0",
        "GPL-2.0-with-bison-exception" => "GPL-2.0-or-later WITH Bison-exception-2.2",
        "GPL-2.0-with-classpath-exception" => "GPL-2.0-only WITH Classpath-exception-2.0",
        "GPL-2.0-with-font-exception" => "GPL-2.0-only WITH Font-exception-2.0",
        "GPL-2.0-with-GCC-exception" => "GPL-2.0-only WITH GCC-exception-2.0",
        "GPL-3.0" => "GPL-3.0-only",
        "GPL-3.0+" => "GPL-3.0-or-later",
        "GPL-3.0-with-autoconf-exception" => "GPL-3.0-only WITH Autoconf-exception-3.0",
        "GPL-3.0-with-GCC-exception" => "GPL-3.0-only WITH GCC-exception-3.1",
        "LGPL-2.0" => "LGPL-2.0-only",
        "LGPL-2.0+" => "LGPL-2.0-or-later",
        "LGPL-2.1" => "LGPL-2.1-only",
        "LGPL-2.1+" => "LGPL-2.1-or-later",
        "LGPL-3.0" => "LGPL-3.0-only",
        "LGPL-3.0+" => "LGPL-3.0-or-later",
        "Nunit" => "zlib-acknowledgement",
        "StandardML-NJ" => "SMLNJ",
        "wxWindows" => "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
        _ => return None,
    })
}

/// The plain text of a licence or exception of the embedded list (for notices), by exact id.
pub fn license_text(id: &str) -> Option<&'static str> {
    data::list().get(id).map(|e| e.text)
}

/// The full name of a licence or exception of the embedded list (`MIT` → `MIT License`).
pub fn license_name(id: &str) -> Option<&'static str> {
    data::list().get(id).map(|e| e.name)
}

/// Whether a file name is one that holds licence or notice text (LICENSE, LICENCE-MIT,
/// COPYING.txt, NOTICE, UNLICENSE, …), case-insensitive.
pub fn is_license_file(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "LICENSE",
        "LICENCE",
        "COPYING",
        "NOTICE",
        "UNLICENSE",
        "COPYRIGHT",
    ]
    .iter()
    .any(|p| upper.starts_with(p))
}

#[cfg(test)]
mod tests;
