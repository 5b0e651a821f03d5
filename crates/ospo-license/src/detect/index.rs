//! The matching rules built from the embedded list (one per licence text, licence header and
//! exception) and the bigram index that picks the few worth aligning against a file.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::data::List;
use super::reference;
use super::template::{self, Compiled};
use super::token::{self, Token, UNKNOWN, Vocabulary};

/// A fast hasher for the u64 bigram keys (splitmix64); keys are not attacker controlled in a
/// way that matters: a collision only costs time inside one file's cap.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        // splitmix64's finaliser: every key bit reaches the low bits hashbrown indexes with (a
        // bare multiply leaves them depending on the second word only, and "X the" collides).
        let mut z = (self.0 ^ n).wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        self.0 = z ^ (z >> 31);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleKind {
    /// A licence's whole text (its standard template).
    Text,
    /// A licence's standard header (the notice put in source files).
    Header,
    /// An exception's text.
    Exception,
    /// A short reference by name ([`reference::REFERENCES`]).
    Reference,
}

#[derive(Debug)]
pub(crate) struct Rule {
    /// The list id, or the expression of a reference.
    pub id: &'static str,
    pub deprecated: bool,
    pub kind: RuleKind,
    pub t: Compiled,
    /// Prefix sums of `t.required` (len + 1 entries).
    pub req_prefix: Vec<u32>,
    /// Prefix sums of `t.gap` (len + 2 entries).
    pub gap_prefix: Vec<u32>,
    pub total_req: u32,
    /// Distinct bigrams of consecutive required words.
    pub n_bigrams: u32,
    /// (bigram, position) of every word pair of `t.toks`, sorted; built the first time a file is
    /// aligned against the rule.
    pairs: OnceLock<Vec<(u64, u32)>>,
}

impl Rule {
    fn new(id: &'static str, deprecated: bool, kind: RuleKind, t: Compiled) -> Self {
        let mut req_prefix = Vec::with_capacity(t.toks.len() + 1);
        let mut acc = 0u32;
        req_prefix.push(0);
        for &r in &t.required {
            acc += u32::from(r);
            req_prefix.push(acc);
        }
        let mut gap_prefix = Vec::with_capacity(t.gap.len() + 1);
        let mut g = 0u32;
        gap_prefix.push(0);
        for &x in &t.gap {
            g = g.saturating_add(x);
            gap_prefix.push(g);
        }
        Rule {
            id,
            deprecated,
            kind,
            t,
            req_prefix,
            gap_prefix,
            total_req: acc,
            n_bigrams: 0,
            pairs: OnceLock::new(),
        }
    }

    /// Distinct bigrams of consecutive required words (the candidate filter's view).
    fn required_bigrams(&self) -> Vec<u64> {
        let t = &self.t;
        let mut v: Vec<u64> = (1..t.toks.len())
            .filter(|&i| t.required[i - 1] && t.required[i] && t.gap[i] == 0)
            .map(|i| token::bigram(t.toks[i - 1], t.toks[i]))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    pub fn pairs(&self) -> &[(u64, u32)] {
        self.pairs.get_or_init(|| {
            let mut v: Vec<(u64, u32)> = self
                .t
                .toks
                .windows(2)
                .enumerate()
                .map(|(i, w)| {
                    (
                        token::bigram(w[0], w[1]),
                        u32::try_from(i).unwrap_or(u32::MAX),
                    )
                })
                .collect();
            v.sort_unstable();
            v
        })
    }

    /// Required words between template positions `a..b`.
    pub fn required_in(&self, a: usize, b: usize) -> u32 {
        let hi = self.req_prefix.get(b).copied().unwrap_or(self.total_req);
        let lo = self.req_prefix.get(a).copied().unwrap_or(0);
        hi.saturating_sub(lo)
    }

    /// Unmatched file words allowed between template positions `a..=b`.
    pub fn allowed_gap(&self, a: usize, b: usize) -> u32 {
        let last = self.gap_prefix.len().saturating_sub(1);
        let hi = self.gap_prefix[(b + 1).min(last)];
        let lo = self.gap_prefix[a.min(last)];
        hi.saturating_sub(lo)
    }
}

/// Merges rules whose compiled templates are identical (a deprecated id and its successor,
/// GFDL variants, …): they can only tie, so the list keeps one, under the plainest id (a current
/// one, then the shortest, then by name). Halves the work on GNU texts.
fn dedup(rules: Vec<Rule>) -> Vec<Rule> {
    use std::hash::{DefaultHasher, Hash};
    let plainer =
        |a: &Rule, b: &Rule| (a.deprecated, a.id.len(), a.id) < (b.deprecated, b.id.len(), b.id);
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut out: Vec<Rule> = Vec::with_capacity(rules.len());
    for rule in rules {
        let mut h = DefaultHasher::new();
        (rule.kind as u8, &rule.t.toks, &rule.t.required, &rule.t.gap).hash(&mut h);
        let key = h.finish();
        let same = seen.get(&key).and_then(|ks| {
            ks.iter().copied().find(|&k| {
                let o = &out[k];
                o.kind == rule.kind
                    && o.t.toks == rule.t.toks
                    && o.t.required == rule.t.required
                    && o.t.gap == rule.t.gap
            })
        });
        match same {
            Some(k) => {
                if plainer(&rule, &out[k]) {
                    out[k].id = rule.id;
                    out[k].deprecated = rule.deprecated;
                }
            }
            None => {
                seen.entry(key).or_default().push(out.len());
                out.push(rule);
            }
        }
    }
    out
}

#[derive(Debug)]
pub(crate) struct Index {
    pub vocab: Vocabulary,
    pub rules: Vec<Rule>,
    /// Bigram → rules whose required words hold it.
    postings: FxMap<u64, Vec<u32>>,
}

/// Rules with fewer required words than this are too short to be told from chance.
const MIN_RULE_WORDS: u32 = 6;

impl Index {
    pub fn build(list: &'static List) -> Self {
        let mut vocab = Vocabulary::default();
        let mut rules = Vec::with_capacity(list.entries.len() + 100);
        for entry in &list.entries {
            let kind = if entry.exception {
                RuleKind::Exception
            } else {
                RuleKind::Text
            };
            let t = template::compile(entry.template, &mut vocab);
            rules.push(Rule::new(entry.id, entry.deprecated, kind, t));
            if !entry.header.is_empty() {
                let h = template::compile(entry.header, &mut vocab);
                rules.push(Rule::new(entry.id, entry.deprecated, RuleKind::Header, h));
            }
        }
        rules.retain(|r| r.total_req >= MIN_RULE_WORDS);
        let rules = dedup(rules);
        let mut rules = rules;
        for (expression, t) in reference::REFERENCES {
            let t = template::compile(&reference::template(t), &mut vocab);
            rules.push(Rule::new(expression, false, RuleKind::Reference, t));
        }
        for (expression, t) in reference::HEADERS {
            let t = template::compile(&reference::template(t), &mut vocab);
            rules.push(Rule::new(expression, false, RuleKind::Header, t));
        }
        let mut postings: FxMap<u64, Vec<u32>> = FxMap::default();
        for (i, rule) in rules.iter_mut().enumerate() {
            let bigrams = rule.required_bigrams();
            rule.n_bigrams = u32::try_from(bigrams.len()).unwrap_or(u32::MAX);
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for b in bigrams {
                postings.entry(b).or_default().push(i);
            }
        }
        Index {
            vocab,
            rules,
            postings,
        }
    }

    /// Rules whose required bigrams appear in the file's words for at least `min_containment`
    /// of them, best first, at most `max`. Returns `(rule index, containment)`.
    pub fn candidates(
        &self,
        toks: &[Token],
        min_containment: f32,
        max: usize,
    ) -> Vec<(usize, f32)> {
        let mut grams: Vec<u64> = toks
            .windows(2)
            .filter(|w| w[0].id != UNKNOWN && w[1].id != UNKNOWN)
            .map(|w| token::bigram(w[0].id, w[1].id))
            .collect();
        grams.sort_unstable();
        grams.dedup();
        let mut counts = vec![0u32; self.rules.len()];
        for g in &grams {
            if let Some(rules) = self.postings.get(g) {
                for &r in rules {
                    if let Some(c) = counts.get_mut(r as usize) {
                        *c += 1;
                    }
                }
            }
        }
        let mut out: Vec<(usize, f32)> = counts
            .iter()
            .enumerate()
            .filter_map(|(i, &c)| {
                let n = self.rules[i].n_bigrams.max(1);
                let containment = c as f32 / n as f32;
                (c > 0 && containment >= min_containment).then_some((i, containment))
            })
            .collect();
        // Best first by containment, then the longer rule (more evidence).
        out.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(self.rules[b.0].n_bigrams.cmp(&self.rules[a.0].n_bigrams))
                .then(a.0.cmp(&b.0))
        });
        out.truncate(max);
        out
    }
}
