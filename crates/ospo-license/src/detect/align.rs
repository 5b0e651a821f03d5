//! Aligning a file's words with one rule's template: exact runs of words common to both
//! ("blocks", found from shared bigrams), chained in order like a diff, trimmed to the densest
//! stretch, and scored. This is what finds a licence inside a larger file, tells near-duplicate
//! licences apart, and gives each match its line span.

use std::collections::BTreeMap;

use super::index::Rule;
use super::token::{self, Token, UNKNOWN};

/// A run of identical words: file position, template position, length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Block {
    f: usize,
    t: usize,
    len: usize,
}

/// One occurrence of a rule in a file.
#[derive(Clone, Debug)]
pub(crate) struct Aligned {
    /// File word range, end exclusive.
    pub f_start: usize,
    pub f_end: usize,
    /// Template words matched.
    pub matched: u32,
    /// Share of the template's required words found.
    pub coverage: f32,
    /// coverage × exactness (matched words over matched + unexplained file words in the span).
    pub confidence: f32,
}

/// A template word pair occurring more often than this is not used as an anchor.
const COMMON_PAIR: usize = 24;

/// Work cap per (file, rule): block extension steps. Hostile repetitive input stops here.
const MAX_STEPS: usize = 4_000_000;
/// At most this many occurrences of one rule per file.
const MAX_OCCURRENCES: usize = 8;

/// Every occurrence of `rule` in `file` with at least `min_coverage`.
pub(crate) fn align(
    rule: &Rule,
    file: &[Token],
    fpairs: &[(u64, u32)],
    min_coverage: f32,
) -> Vec<Aligned> {
    let min_len = if rule.t.toks.len() < 60 { 2 } else { 3 };
    let mut blocks = find_blocks(rule, file, fpairs, min_len);
    blocks.sort_by(|a, b| b.len.cmp(&a.len).then(a.f.cmp(&b.f)).then(a.t.cmp(&b.t)));
    let mut out = Vec::new();
    let mut ranges = vec![(0usize, file.len())];
    while let Some((lo, hi)) = ranges.pop() {
        if out.len() >= MAX_OCCURRENCES {
            break;
        }
        // Cheap bound: the blocks inside the range must cover enough of the template.
        let inside: usize = blocks
            .iter()
            .filter(|b| b.f >= lo && b.f + b.len <= hi)
            .map(|b| b.len)
            .sum();
        // (Halved: the word-by-word gap filling adds matches the blocks do not show.)
        if (inside as f32) < 0.5 * min_coverage * rule.total_req as f32 {
            continue;
        }
        let chain = chain(&blocks, lo, hi, rule.t.toks.len(), min_len);
        let chain = slide(rule, file, chain);
        let chain = fill_gaps(rule, file, &chain, lo, hi);
        let Some(a) = score(rule, &chain) else {
            continue;
        };
        if a.coverage < min_coverage {
            continue;
        }
        ranges.push((lo, a.f_start));
        ranges.push((a.f_end, hi));
        out.push(a);
    }
    out
}

/// The file's word pairs as (bigram, position), sorted: computed once per file, merged with
/// each candidate rule's own sorted pairs.
pub(crate) fn file_pairs(file: &[Token]) -> Vec<(u64, u32)> {
    let mut v: Vec<(u64, u32)> = file
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0].id != UNKNOWN && w[1].id != UNKNOWN)
        .map(|(i, w)| {
            (
                token::bigram(w[0].id, w[1].id),
                u32::try_from(i).unwrap_or(u32::MAX),
            )
        })
        .collect();
    v.sort_unstable();
    v
}

/// Maximal runs (at least `min_len` words) shared by the file and the template, anchored on
/// bigrams: a run starts where a file pair occurs in the template and the previous words differ
/// (or the previous pair was no anchor). Pairs are found by merging two sorted lists, which
/// reads memory in order instead of probing a hash map per word.
fn find_blocks(rule: &Rule, file: &[Token], fpairs: &[(u64, u32)], min_len: usize) -> Vec<Block> {
    let tpairs = rule.pairs();
    let t = &rule.t.toks;
    // (file position, template position) of every shared anchor pair.
    let mut hits: Vec<(u32, u32)> = Vec::new();
    let (mut x, mut y) = (0usize, 0usize);
    while x < fpairs.len() && y < tpairs.len() {
        let (fb, tb) = (fpairs[x].0, tpairs[y].0);
        if fb < tb {
            x += 1;
        } else if tb < fb {
            y += 1;
        } else {
            let xe = x + fpairs[x..].iter().take_while(|p| p.0 == fb).count();
            let ye = y + tpairs[y..].iter().take_while(|p| p.0 == tb).count();
            // A pair the template repeats a lot ("of the") anchors mostly chance runs: it is
            // not an anchor, so the runs through it start at the next rarer pair.
            if ye - y <= COMMON_PAIR {
                for fp in &fpairs[x..xe] {
                    for tp in &tpairs[y..ye] {
                        hits.push((fp.1, tp.1));
                    }
                }
            }
            if hits.len() > MAX_STEPS / 8 {
                break;
            }
            (x, y) = (xe, ye);
        }
    }
    let mut anchored = vec![false; file.len()];
    for &(i, _) in &hits {
        if let Some(a) = anchored.get_mut(i as usize) {
            *a = true;
        }
    }
    let mut out = Vec::new();
    let mut steps = 0usize;
    for &(i, j) in &hits {
        let (i, j) = (i as usize, j as usize);
        if i > 0 && j > 0 && anchored[i - 1] && file[i - 1].id == t[j - 1] {
            continue; // inside a longer run that started earlier
        }
        let mut k = 2;
        while i + k < file.len() && j + k < t.len() && file[i + k].id == t[j + k] {
            k += 1;
        }
        steps += k;
        if k >= min_len {
            out.push(Block { f: i, t: j, len: k });
        }
        if steps > MAX_STEPS {
            break;
        }
    }
    out
}

/// Picks an order-preserving chain of blocks within file range `lo..hi`, longest first: each
/// block is clipped to the room its accepted neighbours leave it (in file and template order)
/// and kept if still `min_len` long. `blocks` is sorted longest first. This is difflib's
/// "longest, then recursively each side" in O(n log n).
fn chain(blocks: &[Block], lo: usize, hi: usize, t_len: usize, min_len: usize) -> Vec<Block> {
    let mut acc: BTreeMap<usize, Block> = BTreeMap::new();
    for b in blocks {
        if b.f + b.len <= lo || b.f >= hi {
            continue;
        }
        let prev = acc.range(..=b.f).next_back().map(|(_, x)| *x);
        let next = acc.range(b.f + 1..).next().map(|(_, x)| *x);
        let (fl, tl) = prev.map_or((lo, 0), |p| (p.f + p.len, p.t + p.len));
        let (fh, th) = next.map_or((hi, t_len), |n| (n.f.min(hi), n.t));
        let fl = fl.max(lo);
        if fl >= fh || tl >= th {
            continue;
        }
        let shift = fl.saturating_sub(b.f).max(tl.saturating_sub(b.t));
        if shift >= b.len {
            continue;
        }
        let (f, t) = (b.f + shift, b.t + shift);
        if f >= fh || t >= th {
            continue;
        }
        let len = (b.len - shift).min(fh - f).min(th - t);
        if len >= min_len {
            acc.insert(f, Block { f, t, len });
        }
    }
    acc.into_values().collect()
}

/// Moves the boundary between two blocks that are consecutive in the template: the longest
/// block taken first may have claimed words that belong to its left neighbour ("…Version 2.0
/// <link>, or the MIT license": the run "2 0 or the MIT license" inside the link beats "Apache
/// License Version 2 0"). The earlier block is extended into the later one when that leaves
/// fewer unexplained words (the gap moves to where a variable allows it).
fn slide(rule: &Rule, file: &[Token], mut chain: Vec<Block>) -> Vec<Block> {
    let t = &rule.t.toks;
    for k in 1..chain.len() {
        let (a, b) = (chain[k - 1], chain[k]);
        if b.t != a.t + a.len || b.f <= a.f + a.len {
            continue;
        }
        let mut n = 0;
        while n + 1 < b.len
            && a.f + a.len + n < file.len()
            && file[a.f + a.len + n].id == t[a.t + a.len + n]
        {
            n += 1;
        }
        if n == 0 {
            continue;
        }
        let a2 = Block {
            len: a.len + n,
            ..a
        };
        let b2 = Block {
            f: b.f + n,
            t: b.t + n,
            len: b.len - n,
        };
        if extra(rule, &a2, &b2) < extra(rule, &a, &b) {
            chain[k - 1] = a2;
            chain[k] = b2;
        }
    }
    chain
}

/// Largest gap (file words × template words) aligned word by word.
const MAX_GAP_CELLS: usize = 4096;

/// Matches single words the block search cannot see (runs shorter than `min_len`, or words
/// next to an optional part that offers two paths): every small gap between consecutive blocks,
/// and the template words before the first and after the last block, are aligned exactly
/// (longest common subsequence).
fn fill_gaps(rule: &Rule, file: &[Token], chain: &[Block], lo: usize, hi: usize) -> Vec<Block> {
    let (Some(first), Some(last)) = (chain.first(), chain.last()) else {
        return Vec::new();
    };
    let t = &rule.t.toks;
    let mut out = Vec::with_capacity(chain.len() * 2);
    // Before the first block: the template's head against as many file words (plus slack).
    let head_f = first.f.saturating_sub(first.t + 8).max(lo);
    let mut head = Vec::new();
    lcs(file, t, (head_f, first.f), (0, first.t), &mut head);
    // Only words that stay close to the block: a scattered match would pull the span back
    // into a neighbouring text.
    let mut anchor = *first;
    let keep = head
        .iter()
        .rev()
        .take_while(|p| {
            let allowed = rule.allowed_gap(p.t + 1, anchor.t) as usize;
            let close = anchor.f - p.f <= anchor.t - p.t + 3 + allowed;
            if close {
                anchor = **p;
            }
            close
        })
        .count();
    out.extend_from_slice(&head[head.len() - keep..]);
    for (k, b) in chain.iter().enumerate() {
        if k > 0 {
            let a = &chain[k - 1];
            lcs(file, t, (a.f + a.len, b.f), (a.t + a.len, b.t), &mut out);
        }
        out.push(*b);
    }
    let (tail_f, tail_t) = (last.f + last.len, last.t + last.len);
    let tail_end = (tail_f + (t.len() - tail_t.min(t.len())) + 8)
        .min(hi)
        .min(file.len());
    let mut tail = Vec::new();
    lcs(file, t, (tail_f, tail_end), (tail_t, t.len()), &mut tail);
    let mut end = (tail_f, tail_t);
    for p in tail {
        if p.f - end.0 > p.t - end.1 + 3 + rule.allowed_gap(end.1, p.t) as usize {
            break;
        }
        end = (p.f + 1, p.t + 1);
        out.push(p);
    }
    out
}

/// Appends the longest common subsequence of `file[f.0..f.1]` and `t[tr.0..tr.1]` as one-word
/// blocks, in order; nothing when the gap is empty or too large.
fn lcs(file: &[Token], t: &[u32], f: (usize, usize), tr: (usize, usize), out: &mut Vec<Block>) {
    let (m, n) = (f.1.saturating_sub(f.0), tr.1.saturating_sub(tr.0));
    if m == 0 || n == 0 || m * n > MAX_GAP_CELLS || f.1 > file.len() || tr.1 > t.len() {
        return;
    }
    let w = n + 1;
    let mut dp = vec![0u16; (m + 1) * w];
    for i in (0..m).rev() {
        for j in (0..n).rev() {
            dp[i * w + j] = if file[f.0 + i].id == t[tr.0 + j] {
                dp[(i + 1) * w + j + 1] + 1
            } else {
                dp[(i + 1) * w + j].max(dp[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < m && j < n {
        if file[f.0 + i].id == t[tr.0 + j] {
            out.push(Block {
                f: f.0 + i,
                t: tr.0 + j,
                len: 1,
            });
            i += 1;
            j += 1;
        } else if dp[(i + 1) * w + j] >= dp[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// Unexplained file words between two consecutive blocks: the file gap minus what the
/// template allows there (variables) and minus the template words skipped (a substitution
/// is counted once, by the coverage).
fn extra(rule: &Rule, a: &Block, b: &Block) -> usize {
    let f_gap = b.f.saturating_sub(a.f + a.len);
    let t_gap = b.t.saturating_sub(a.t + a.len);
    let allowed = rule.allowed_gap(a.t + a.len, b.t) as usize;
    f_gap.saturating_sub(allowed + t_gap)
}

/// Keeps the densest stretch of the chain (max of matched words minus unexplained words,
/// Kadane's algorithm) and scores it.
fn score(rule: &Rule, chain: &[Block]) -> Option<Aligned> {
    let first = chain.first()?;
    let (mut best, mut best_range) = (first.len as i64, (0usize, 0usize));
    let (mut cur, mut cur_start) = (first.len as i64, 0usize);
    for k in 1..chain.len() {
        let gain = chain[k].len as i64;
        let cost = extra(rule, &chain[k - 1], &chain[k]) as i64;
        if cur - cost > 0 {
            cur += gain - cost;
        } else {
            cur = gain;
            cur_start = k;
        }
        if cur > best {
            best = cur;
            best_range = (cur_start, k);
        }
    }
    let mut part = &chain[best_range.0..=best_range.1];
    // A match neither starts nor ends on optional words only when they sit far from the rest:
    // a title or a variable's original text followed by a large allowed gap would otherwise
    // pull in a neighbouring text.
    let optional_only = |b: &Block| rule.required_in(b.t, b.t + b.len) == 0;
    let far = |a: &Block, b: &Block| {
        b.f.saturating_sub(a.f + a.len) > b.t.saturating_sub(a.t + a.len) + 10
    };
    // Leading optional-only blocks: cut after the last far gap before the first required word.
    let first_req = part.iter().position(|b| !optional_only(b)).unwrap_or(0);
    if let Some(cut) = (0..first_req).rev().find(|&i| far(&part[i], &part[i + 1])) {
        part = &part[cut + 1..];
    }
    // Trailing ones likewise, after the last required word.
    let last_req = part
        .iter()
        .rposition(|b| !optional_only(b))
        .unwrap_or(part.len() - 1);
    if let Some(cut) = (last_req + 1..part.len()).find(|&i| far(&part[i - 1], &part[i])) {
        part = &part[..cut];
    }
    let mut matched = 0u32;
    let mut matched_req = 0u32;
    let mut unexplained = 0usize;
    for (k, b) in part.iter().enumerate() {
        matched += u32::try_from(b.len).unwrap_or(u32::MAX);
        matched_req += rule.required_in(b.t, b.t + b.len);
        if k > 0 {
            unexplained += extra(rule, &part[k - 1], b);
        }
    }
    let total = rule.total_req.max(1);
    let coverage = (matched_req as f32 / total as f32).min(1.0);
    let exactness = matched as f32 / (matched as f32 + unexplained as f32);
    let last = part.last()?;
    Some(Aligned {
        f_start: part.first()?.f,
        f_end: last.f + last.len,
        matched,
        coverage,
        confidence: coverage * exactness,
    })
}
