//! Tokens as the SPDX matching guidelines see them: words compared case-insensitively, all
//! punctuation, quotes, dashes and whitespace ignored, equivalent spellings folded to one
//! (`licence` = `license`, `https` = `http`, …), and each word interned as a `u32`.

use std::sync::OnceLock;

use super::index::FxMap;

/// Id of a word that no licence in the list uses: it never matches anything.
pub(crate) const UNKNOWN: u32 = u32::MAX;

/// The SPDX equivalent-words list (matching guidelines §8 and `equivalentwords.txt`), plus the
/// spelling variants common in real files. Left: a variant; right: the form we keep.
const EQUIVALENT: &[(&str, &str)] = &[
    ("acknowledgement", "acknowledgment"),
    ("acknowledgements", "acknowledgments"),
    ("analogue", "analog"),
    ("analyse", "analyze"),
    ("artefact", "artifact"),
    ("authorisation", "authorization"),
    ("authorised", "authorized"),
    ("calibre", "caliber"),
    ("cancelled", "canceled"),
    ("capitalisations", "capitalizations"),
    ("catalogue", "catalog"),
    ("categorise", "categorize"),
    ("centre", "center"),
    ("emphasised", "emphasized"),
    ("favour", "favor"),
    ("favourite", "favorite"),
    ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"),
    ("https", "http"),
    ("initialise", "initialize"),
    ("judgement", "judgment"),
    ("labelling", "labeling"),
    ("labour", "labor"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("licenced", "licensed"),
    ("licencee", "licensee"),
    ("licencor", "licensor"),
    ("licencing", "licensing"),
    ("licensor", "licensor"),
    ("maximise", "maximize"),
    ("modelled", "modeled"),
    ("modelling", "modeling"),
    ("offence", "offense"),
    ("optimise", "optimize"),
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("organise", "organize"),
    ("practise", "practice"),
    ("programme", "program"),
    ("realise", "realize"),
    ("recognise", "recognize"),
    ("signalling", "signaling"),
    ("sublicence", "sublicense"),
    ("utilisation", "utilization"),
    ("whilst", "while"),
    ("wilful", "willful"),
    ("noncommercial", "noncommercial"),
    ("copyrights", "copyright"),
];

/// A word of a text: its interned id and the 1-based line it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub id: u32,
    pub line: u32,
}

/// The words of every licence template, interned. A spelling variant (`licence`) maps to the
/// id of its equivalent (`license`), so the fold costs nothing when a file is tokenised.
#[derive(Debug)]
pub(crate) struct Vocabulary {
    ids: FxMap<Box<str>, u32>,
    next: u32,
}

impl Default for Vocabulary {
    fn default() -> Self {
        let mut v = Vocabulary {
            ids: FxMap::default(),
            next: 0,
        };
        for (variant, _) in EQUIVALENT {
            v.intern(variant);
        }
        v
    }
}

impl Vocabulary {
    /// The id of a lowercased `word`, adding it (and its equivalent spelling).
    pub fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let canonical = fold(word);
        let id = if canonical == word {
            let id = self.next;
            self.next = self.next.saturating_add(1).min(UNKNOWN - 1);
            id
        } else {
            self.intern(canonical)
        };
        self.ids.insert(word.into(), id);
        id
    }

    /// The id of a lowercased `word`, or [`UNKNOWN`].
    pub fn get(&self, word: &str) -> u32 {
        self.ids.get(word).copied().unwrap_or(UNKNOWN)
    }

    /// Distinct words (spelling variants counted once).
    pub fn len(&self) -> usize {
        self.next as usize
    }
}

/// Splits `text` into normalised words and calls `emit(word, line)` for each; `first_line` is
/// the line number of the text's first line. Words are maximal runs of alphanumeric characters,
/// lowercased (equivalent spellings are folded by [`Vocabulary`]); `sub-license`/`sub license`
/// become `sublicense` and `non-commercial` becomes `noncommercial`.
pub(crate) fn words(text: &str, first_line: u32, mut emit: impl FnMut(&str, u32)) {
    let mut line = first_line;
    let mut buf = String::with_capacity(32);
    let mut start_line = line;
    // A pending "sub" or "non" that may join the next word.
    let mut pending: Option<(&'static str, u32)> = None;
    let mut flush = |buf: &mut String, line: u32, pending: &mut Option<(&'static str, u32)>| {
        if buf.is_empty() {
            return;
        }
        let word = buf.as_str();
        if let Some((prefix, pline)) = pending.take() {
            let joined = match (prefix, fold(word)) {
                ("sub", w @ ("license" | "licenses" | "licensed" | "licensing" | "licensable")) => {
                    Some(["sub", w].concat())
                }
                ("non", "commercial") => Some("noncommercial".to_owned()),
                _ => None,
            };
            match joined {
                Some(j) => {
                    emit(&j, pline);
                    buf.clear();
                    return;
                }
                None => emit(prefix, pline),
            }
        }
        match word {
            "sub" => *pending = Some(("sub", line)),
            "non" => *pending = Some(("non", line)),
            w => emit(w, line),
        }
        buf.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            if buf.is_empty() {
                start_line = line;
            }
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
            if buf.len() > 64 {
                // Hostile input: one endless "word" is cut into pieces.
                flush(&mut buf, start_line, &mut pending);
            }
        } else {
            flush(&mut buf, start_line, &mut pending);
            if c == '\n' {
                line = line.saturating_add(1);
            }
        }
    }
    flush(&mut buf, start_line, &mut pending);
    if let Some((prefix, pline)) = pending {
        emit(prefix, pline);
    }
}

/// The equivalent-words fold of one lowercased word.
fn fold(word: &str) -> &str {
    static MAP: OnceLock<FxMap<&'static str, &'static str>> = OnceLock::new();
    // Every variant is 3 to 16 bytes long: short words skip the lookup.
    if !(3..=16).contains(&word.len()) {
        return word;
    }
    MAP.get_or_init(|| EQUIVALENT.iter().copied().collect())
        .get(word)
        .copied()
        .unwrap_or(word)
}

/// Tokenises a file against the vocabulary: words the licences never use become [`UNKNOWN`].
pub(crate) fn tokenize(vocab: &Vocabulary, text: &str, max_tokens: usize) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6);
    words(text, 1, |w, line| {
        if out.len() < max_tokens {
            out.push(Token {
                id: vocab.get(w),
                line,
            });
        }
    });
    out
}

/// A word pair as one key, for the candidate index and the alignment anchors.
#[inline]
pub(crate) fn bigram(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(String, u32)> {
        let mut v = Vec::new();
        words(text, 1, |w, l| v.push((w.to_owned(), l)));
        v
    }

    #[test]
    fn words_fold_case_punctuation_and_spellings() {
        let got: Vec<String> =
            all("The LICENCE's \u{201c}terms\u{201d}—sub-licence, https://x.org")
                .into_iter()
                .map(|(w, _)| w)
                .collect();
        assert_eq!(
            got,
            [
                "the",
                "licence",
                "s",
                "terms",
                "sublicense",
                "https",
                "x",
                "org"
            ]
        );
        // Equivalent spellings share one id.
        let mut v = Vocabulary::default();
        let license = v.intern("license");
        assert_eq!(v.get("licence"), license);
        assert_eq!(v.intern("licence"), license);
        assert_eq!(v.get("https"), v.intern("http"));
        assert_eq!(v.get("unheard"), UNKNOWN);
    }

    #[test]
    fn words_carry_lines() {
        let got = all("a\n\nb c\nsub\nlicense non");
        assert_eq!(
            got,
            [
                ("a".to_owned(), 1),
                ("b".to_owned(), 3),
                ("c".to_owned(), 3),
                ("sublicense".to_owned(), 4),
                ("non".to_owned(), 5)
            ]
        );
    }
}
