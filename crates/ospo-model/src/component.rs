//! A component: one package release a project uses, with everything the file that declared it
//! says about it.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{CompactString, Ecosystem, Purl};

/// How a component is used by the project.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Needed when the project runs (the default when a file does not say).
    #[default]
    Runtime,
    /// Only for developing or testing the project.
    Dev,
    /// Optional (an extra, a feature, an optional or peer dependency).
    Optional,
    /// Only to build the project (build scripts, annotation processors, `provided`).
    Build,
}

/// Whether the project asks for the component itself or gets it through another one.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Relationship {
    /// The project's own package (a workspace member, the package a lockfile belongs to).
    Root,
    /// Named in the project's manifest.
    Direct,
    /// Pulled in by another component.
    Transitive,
    /// The files read do not say.
    #[default]
    Unknown,
}

/// Where a component comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Source {
    /// A package registry; `url` when the file names one (a default registry may be left out).
    Registry {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
    /// A git repository, at a revision when the file pins one.
    Git {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rev: Option<String>,
    },
    /// A local path (a workspace member, a path dependency, an editable install).
    Path { path: String },
    /// A direct download URL (a tarball, a wheel).
    Url { url: String },
    /// The file does not say.
    #[default]
    Unknown,
}

/// A hash algorithm, named as CycloneDX names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HashAlgorithm {
    #[serde(rename = "MD5")]
    Md5,
    #[serde(rename = "SHA-1")]
    Sha1,
    #[serde(rename = "SHA-256")]
    Sha256,
    #[serde(rename = "SHA-384")]
    Sha384,
    #[serde(rename = "SHA-512")]
    Sha512,
    #[serde(rename = "BLAKE2b-256")]
    Blake2b256,
    #[serde(rename = "BLAKE3")]
    Blake3,
}

/// An integrity hash recorded by the file, as lower-case hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hash {
    pub algorithm: HashAlgorithm,
    pub value: String,
}

impl Hash {
    /// Decodes an SRI string (`sha512-<base64>`, as npm, yarn and pnpm write them). Every
    /// npm-family component has one: the base64 is decoded straight into hex digits, with no
    /// intermediate buffer.
    pub fn from_sri(sri: &str) -> Option<Hash> {
        // `trim` only when an end could be white space (never, in a lockfile), and the `-`
        // looked for in the first seven bytes: every known name is at most six letters, so a
        // later `-` (or none) is no known name either way.
        let ends_plain =
            |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'=');
        let sri = if ends_plain(sri.as_bytes().first()) && ends_plain(sri.as_bytes().last()) {
            sri
        } else {
            sri.trim()
        };
        let dash = sri.bytes().take(7).position(|b| b == b'-')?;
        let (alg, b64) = (sri.get(..dash)?, sri.get(dash + 1..)?);
        let algorithm = sri_algorithm(alg)?;
        Some(Hash {
            algorithm,
            value: base64_to_hex(b64)?,
        })
    }

    /// A hex digest with a named algorithm (`sha256`, `sha-256`, `SHA256`…). Cargo and Go
    /// components have one each: the name is matched without building a normalised copy, and
    /// the value is copied once, after it is checked.
    pub fn from_hex(alg: &str, value: &str) -> Option<Hash> {
        // The name lower-cased without `-` and `_`; every known name has at most 10 letters.
        let mut norm = [0u8; 10];
        let mut len = 0;
        for b in alg.bytes().filter(|b| !matches!(b, b'-' | b'_')) {
            *norm.get_mut(len)? = b.to_ascii_lowercase();
            len += 1;
        }
        let algorithm = match norm.get(..len)? {
            b"md5" => HashAlgorithm::Md5,
            b"sha1" => HashAlgorithm::Sha1,
            b"sha256" => HashAlgorithm::Sha256,
            b"sha384" => HashAlgorithm::Sha384,
            b"sha512" => HashAlgorithm::Sha512,
            b"blake2b256" => HashAlgorithm::Blake2b256,
            b"blake3" => HashAlgorithm::Blake3,
            _ => return None,
        };
        // `trim` only when an end could be white space (never, in a lockfile).
        let value = match (value.as_bytes().first(), value.as_bytes().last()) {
            (Some(a), Some(b)) if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() => value,
            _ => value.trim(),
        };
        let want = match algorithm {
            HashAlgorithm::Md5 => 32,
            HashAlgorithm::Sha1 => 40,
            HashAlgorithm::Sha256 | HashAlgorithm::Blake2b256 | HashAlgorithm::Blake3 => 64,
            HashAlgorithm::Sha384 => 96,
            HashAlgorithm::Sha512 => 128,
        };
        if value.len() != want {
            return None;
        }
        // Checked and lower-cased in one pass on the stack (with no branch or table, so the
        // compiler does it 32 bytes a step), then copied once. Setting bit 0x20 lower-cases a
        // letter and leaves a digit as it is.
        let mut digits = [0u8; 128];
        let out = digits.get_mut(..want)?;
        let mut ok = true;
        for (o, &b) in out.iter_mut().zip(value.as_bytes()) {
            let lower = b | 0x20;
            ok &= (b.wrapping_sub(b'0') < 10) | (lower.wrapping_sub(b'a') < 6);
            *o = lower;
        }
        if !ok {
            return None;
        }
        Some(Hash {
            algorithm,
            value: std::str::from_utf8(out).ok()?.to_owned(),
        })
    }
}

/// The algorithm an SRI string names before its `-` (`sha512-…`).
fn sri_algorithm(name: &str) -> Option<HashAlgorithm> {
    Some(match name {
        "sha1" => HashAlgorithm::Sha1,
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        "md5" => HashAlgorithm::Md5,
        _ => return None,
    })
}

/// The value of each base64 character (standard and URL-safe alphabets); 64: not one.
const BASE64: [u8; 256] = {
    let mut t = [64_u8; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'+' as usize] = 62;
    t[b'-' as usize] = 62;
    t[b'/' as usize] = 63;
    t[b'_' as usize] = 63;
    t
};

/// Each byte as its two lower-case hex digits.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// Three lower-case hex digits of twelve bits (two base64 characters), the first in the lowest
/// byte.
static HEX3: [u32; 4096] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [0u32; 4096];
    let mut i = 0;
    while i < 4096 {
        t[i] = DIGITS[i >> 8] as u32
            | (DIGITS[(i >> 4) & 15] as u32) << 8
            | (DIGITS[i & 15] as u32) << 16;
        i += 1;
    }
    t
};

/// Bit 12, set by [`PAIR_HIGH`] and [`PAIR_LOW`] for a character outside base64: above the
/// twelve bits of a pair, so the pairs of a whole string are checked with one test at the end.
const NOT_BASE64: u16 = 1 << 12;

/// A base64 character's value placed as the first of a pair (bits 6 to 11) or as the second
/// (bits 0 to 5), or [`NOT_BASE64`]: a pair is then one `|` of two table reads, no shift.
const PAIR_HIGH: [u16; 256] = pair_table(6);
const PAIR_LOW: [u16; 256] = pair_table(0);

const fn pair_table(shift: u32) -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if BASE64[i] > 63 {
            NOT_BASE64
        } else {
            (BASE64[i] as u16) << shift
        };
        i += 1;
    }
    t
}

/// Up to four base64 characters as their bits, the first highest; `None` for a character
/// outside base64.
fn sextets(chars: &[u8]) -> Option<u32> {
    // Each value is below 64, or 64 for a character outside base64.
    let (mut n, mut bad) = (0u32, 0u8);
    for &c in chars {
        let x = BASE64[usize::from(c)];
        n = (n << 6) | u32::from(x & 63);
        bad |= x;
    }
    (bad <= 63).then_some(n)
}

/// Base64 (padding optional) to lower-case hex; `None` for a character outside base64 or
/// nothing decoded. Four characters at a time into a buffer of the exact size, written by
/// index: every npm-family component has one of these.
fn base64_to_hex(s: &str) -> Option<String> {
    // `trim_end_matches('=')` byte by byte (`=` is ASCII: a trailing `=` byte is a whole char).
    let mut src = s.as_bytes();
    while let [head @ .., b'='] = src {
        src = head;
    }
    let (quads, rest) = src.split_at(src.len() / 4 * 4);
    // Two characters carry one byte, three carry two; a lone one carries none.
    let tail = match rest.len() {
        2 => 1,
        3 => 2,
        _ => 0,
    };
    let len = (quads.len() / 4 * 3 + tail) * 2;
    if len == 0 {
        // Nothing decoded (still `None` for a bad character, as before: there is none to see
        // when nothing decodes but a lone character, which is checked here).
        return None;
    }
    // Decoded on the stack (a SHA-512 is 128 digits) and validated there, then copied once
    // into a string of the exact size; a longer value gets a buffer of its own.
    let mut stack = [0u8; 128];
    let mut heap = Vec::new();
    let out = match stack.get_mut(..len) {
        Some(out) => out,
        None => {
            heap.resize(len, 0);
            &mut heap[..]
        }
    };
    let (body, tail_out) = out.split_at_mut(quads.len() / 4 * 6);
    // Four characters at a time as arrays (no length tests left in the loop): each pair is
    // one `|` of two table reads and indexes its three hex digits; the two threes are stored
    // as they are. A character outside base64 is remembered and answered after the loop: one
    // test, not one per quad.
    let mut bad = 0u16;
    let (quads, _) = quads.as_chunks::<4>();
    let (digits, _) = body.as_chunks_mut::<6>();
    for (&[c0, c1, c2, c3], dst) in quads.iter().zip(digits) {
        let hi = PAIR_HIGH[usize::from(c0)] | PAIR_LOW[usize::from(c1)];
        let lo = PAIR_HIGH[usize::from(c2)] | PAIR_LOW[usize::from(c3)];
        bad |= hi | lo;
        let six = u64::from(HEX3[usize::from(hi & 0xfff)])
            | u64::from(HEX3[usize::from(lo & 0xfff)]) << 24;
        dst.copy_from_slice(&six.to_le_bytes()[..6]);
    }
    if bad & NOT_BASE64 != 0 {
        return None;
    }
    let n = sextets(rest)?;
    let tail_bytes = match tail {
        1 => [(n >> 4) as u8, 0],
        _ => ((n >> 2) as u16).to_be_bytes(),
    };
    for (&b, dst) in tail_bytes.iter().zip(tail_out.chunks_exact_mut(2)) {
        dst.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    std::str::from_utf8(out).ok().map(str::to_owned)
}

/// A place in a file, relative to the repository root; `line` is 1-based. The path is shared:
/// every component a file declares points at one copy of its name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    pub path: Arc<Path>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// One package release used by a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub purl: Purl,
    pub ecosystem: Ecosystem,
    /// The name as the ecosystem writes it (`@babel/core`, `org.slf4j:slf4j-api`). Name and
    /// version are small strings: almost all fit the 24 bytes kept inline, so building a
    /// component allocates neither and dropping it frees neither; they serialise as strings.
    pub name: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<CompactString>,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub relationship: Relationship,
    #[serde(default)]
    pub source: Source,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
    /// Licences exactly as the file declares them (normalised later by the licence checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// Where the component was declared; the first is the primary location.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
}

impl Component {
    /// A component of `ecosystem` named as the ecosystem names it; the purl is derived here so that
    /// every extractor builds it the same way. Fails only for names no purl can hold.
    pub fn new(
        ecosystem: Ecosystem,
        name: &str,
        version: Option<&str>,
    ) -> Result<Component, crate::PurlError> {
        let purl = Purl::for_package(ecosystem, name, version)?;
        Ok(Component {
            purl,
            ecosystem,
            name: CompactString::from(name),
            version: version.filter(|v| !v.is_empty()).map(CompactString::from),
            scope: Scope::default(),
            relationship: Relationship::default(),
            source: Source::default(),
            hashes: Vec::new(),
            licenses: Vec::new(),
            locations: Vec::new(),
        })
    }

    /// The key a component is identified by inside a project: its canonical purl, shared (a
    /// key is a reference count, not a copy).
    pub fn key(&self) -> Arc<str> {
        self.purl.shared()
    }

    pub fn with_scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }
    pub fn with_relationship(mut self, relationship: Relationship) -> Self {
        self.relationship = relationship;
        self
    }
    pub fn with_source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }
    pub fn with_hash(mut self, hash: Option<Hash>) -> Self {
        if let Some(hash) = hash {
            // Most components have one: no room for four.
            if self.hashes.is_empty() {
                self.hashes.reserve_exact(1);
            }
            self.hashes.push(hash);
        }
        self
    }
    pub fn with_license(mut self, license: &str) -> Self {
        let license = license.trim();
        if !license.is_empty() && !self.licenses.iter().any(|l| l == license) {
            self.licenses.push(license.to_owned());
        }
        self
    }
    /// Adds a place the component was declared. Consecutive components of one file share its
    /// path: each thread keeps the last path it was given.
    pub fn at(mut self, path: impl AsRef<Path>, line: Option<u32>) -> Self {
        thread_local! {
            static LAST: std::cell::RefCell<Option<Arc<Path>>> = const { std::cell::RefCell::new(None) };
        }
        let path = path.as_ref();
        let path = LAST.with_borrow_mut(|last| match last {
            Some(p) if p.as_os_str() == path.as_os_str() => Arc::clone(p),
            _ => {
                let p: Arc<Path> = Arc::from(path);
                *last = Some(Arc::clone(&p));
                p
            }
        });
        // Most components have one location: no room for four.
        if self.locations.is_empty() {
            self.locations.reserve_exact(1);
        }
        self.locations.push(Location { path, line });
        self
    }

    /// Folds another sighting of the same package into this one: the strongest relationship
    /// and the most needed scope win, nothing recorded by either is lost.
    pub fn merge(&mut self, mut other: Component) {
        self.merge_from(&mut other);
    }

    /// [`Component::merge`], taking what `other` recorded (its source, hashes, licences and
    /// locations) and leaving the rest: for merging in place, where `other` is dropped after.
    pub fn merge_from(&mut self, other: &mut Component) {
        self.relationship = match (self.relationship, other.relationship) {
            (Relationship::Unknown, r) => r,
            (a, b) => a.min(b),
        };
        self.scope = self.scope.min(other.scope);
        if self.source == Source::Unknown {
            self.source = std::mem::take(&mut other.source);
        }
        for h in other.hashes.drain(..) {
            if !self.hashes.contains(&h) {
                self.hashes.push(h);
            }
        }
        for l in other.licenses.drain(..) {
            if !self.licenses.contains(&l) {
                self.licenses.push(l);
            }
        }
        for l in other.locations.drain(..) {
            if !self.locations.contains(&l) {
                self.locations.push(l);
            }
        }
    }
}

/// A dependency edge, by canonical purl: `from` depends on `to`. The purls are shared with the
/// components' ([`Component::key`]): a graph holds two pointers per edge, not two strings.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Edge {
    pub from: Arc<str>,
    pub to: Arc<str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A component is moved by value many times while it is built and grouped; at 256 bytes or
    /// less a move is one fixed-size copy (a purl without qualifiers holds no map for them).
    #[test]
    fn a_component_fits_in_256_bytes() {
        assert!(
            std::mem::size_of::<Component>() <= 256,
            "{} bytes",
            std::mem::size_of::<Component>()
        );
    }

    #[test]
    fn sri_hashes_decode_to_hex() {
        let h = Hash::from_sri("sha1-2jmXXrKC7ch7i0gyAtLSq04HHcs=").unwrap();
        assert_eq!(h.algorithm, HashAlgorithm::Sha1);
        assert_eq!(h.value, "da39975eb282edc87b8b483202d2d2ab4e071dcb");
        assert!(Hash::from_sri("md4-abc").is_none());
        assert!(Hash::from_sri("sha512-***").is_none());
        assert!(Hash::from_sri("sha512-").is_none());
        // URL-safe alphabet too.
        assert_eq!(Hash::from_sri("sha1-_-8=").unwrap().value, "ffef");
    }

    proptest::proptest! {
        /// Any bytes, base64-encoded with or without padding, decode to their hex digits.
        #[test]
        fn sri_round_trips(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..80), pad in proptest::prelude::any::<bool>()) {
            const ALPHABET: &[u8; 64] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut b64 = String::new();
            for chunk in bytes.chunks(3) {
                let n = (u32::from(chunk[0]) << 16)
                    | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
                    | u32::from(*chunk.get(2).unwrap_or(&0));
                for i in 0..=chunk.len() {
                    b64.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                }
                if pad {
                    for _ in chunk.len()..3 {
                        b64.push('=');
                    }
                }
            }
            let want: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let got = Hash::from_sri(&format!("sha512-{b64}")).unwrap();
            proptest::prop_assert_eq!(got.value, want);
        }
    }

    /// The decoder before it wrote by index: the oracle for the one above.
    fn base64_to_hex_oracle(s: &str) -> Option<String> {
        let src = s.trim_end_matches('=').as_bytes();
        let mut out = Vec::new();
        let mut push = |bytes: &[u8]| {
            for &b in bytes {
                out.extend_from_slice(&HEX_PAIRS[usize::from(b)]);
            }
        };
        let mut quads = src.chunks_exact(4);
        for q in &mut quads {
            let (mut n, mut bad) = (0u32, 0u8);
            for &c in q {
                let x = BASE64[usize::from(c)];
                n = (n << 6) | u32::from(x & 63);
                bad |= x;
            }
            if bad > 63 {
                return None;
            }
            push(&n.to_be_bytes()[1..]);
        }
        let rest = quads.remainder();
        let (mut n, mut bad) = (0u32, 0u8);
        for &c in rest {
            let x = BASE64[usize::from(c)];
            n = (n << 6) | u32::from(x & 63);
            bad |= x;
        }
        if bad > 63 {
            return None;
        }
        match rest.len() {
            2 => push(&[(n >> 4) as u8]),
            3 => push(&((n >> 2) as u16).to_be_bytes()),
            _ => {}
        }
        if out.is_empty() {
            return None;
        }
        String::from_utf8(out).ok()
    }

    /// `from_sri` before it looked for the `-` in the first bytes only and trimmed only when
    /// needed: the oracle for the one above.
    fn from_sri_oracle(sri: &str) -> Option<Hash> {
        let (alg, b64) = sri.trim().split_once('-')?;
        let algorithm = sri_algorithm(alg)?;
        Some(Hash {
            algorithm,
            value: base64_to_hex_oracle(b64)?,
        })
    }

    proptest::proptest! {
        /// Any string shaped like an SRI value or not: the same answer as the oracle.
        #[test]
        fn from_sri_matches_oracle(
            pre in "\\PC{0,2}|[ \t\n\u{a0}]{0,2}",
            alg in "(md5|sha1|sha256|sha384|sha512|sha|sha5120|[a-z0-9-]{0,8})",
            dash in "-{0,2}",
            b64 in "[A-Za-z0-9+/_=*\\-]{0,40}|\\PC{0,12}",
            post in "\\PC{0,2}|[ \t\n\u{3000}]{0,2}",
        ) {
            let s = format!("{pre}{alg}{dash}{b64}{post}");
            proptest::prop_assert_eq!(Hash::from_sri(&s), from_sri_oracle(&s));
        }
    }

    /// `from_hex` before it matched the name without allocating: the oracle for the one above.
    fn from_hex_oracle(alg: &str, value: &str) -> Option<Hash> {
        let norm = alg.to_ascii_lowercase().replace(['-', '_'], "");
        let algorithm = match norm.as_str() {
            "md5" => HashAlgorithm::Md5,
            "sha1" => HashAlgorithm::Sha1,
            "sha256" => HashAlgorithm::Sha256,
            "sha384" => HashAlgorithm::Sha384,
            "sha512" => HashAlgorithm::Sha512,
            "blake2b256" => HashAlgorithm::Blake2b256,
            "blake3" => HashAlgorithm::Blake3,
            _ => return None,
        };
        let value = value.trim().to_ascii_lowercase();
        let want = match algorithm {
            HashAlgorithm::Md5 => 32,
            HashAlgorithm::Sha1 => 40,
            HashAlgorithm::Sha256 | HashAlgorithm::Blake2b256 | HashAlgorithm::Blake3 => 64,
            HashAlgorithm::Sha384 => 96,
            HashAlgorithm::Sha512 => 128,
        };
        (value.len() == want && value.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some(Hash { algorithm, value })
    }

    proptest::proptest! {
        /// Any string, base64 or nearly: the same answer as the oracle.
        #[test]
        fn base64_matches_oracle(s in "[A-Za-z0-9+/_=*\\-]{0,40}|\\PC{0,12}") {
            proptest::prop_assert_eq!(base64_to_hex(&s), base64_to_hex_oracle(&s));
        }

        /// Any name and value: the same answer as the oracle.
        #[test]
        fn from_hex_matches_oracle(
            alg in "(?i)[-_]{0,3}(md5|sha1|sha-?256|sha_384|sha512|blake2b-256|blake3|whirlpool|sha2)[-_]{0,3}|\\PC{0,12}",
            len in 0usize..130,
            upper in proptest::prelude::any::<bool>(),
            junk in "\\PC{0,3}",
        ) {
            let digits = if upper { "0123456789ABCDEF" } else { "0123456789abcdef" };
            let value: String = digits.chars().cycle().take(len).collect();
            for v in [value.clone(), format!(" {value}\n"), format!("{value}{junk}")] {
                proptest::prop_assert_eq!(Hash::from_hex(&alg, &v), from_hex_oracle(&alg, &v));
            }
        }
    }

    #[test]
    fn hex_hashes_are_checked() {
        let v = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            Hash::from_hex("sha256", v).unwrap().algorithm,
            HashAlgorithm::Sha256
        );
        assert!(Hash::from_hex("sha256", &v[1..]).is_none());
        assert!(Hash::from_hex("whirlpool", v).is_none());
    }

    #[test]
    fn components_of_one_file_share_its_path() {
        let a = Component::new(Ecosystem::Npm, "a", Some("1"))
            .unwrap()
            .at("web/package-lock.json", Some(3));
        let b = Component::new(Ecosystem::Npm, "b", Some("1"))
            .unwrap()
            .at(std::path::PathBuf::from("web/package-lock.json"), Some(9));
        let c = Component::new(Ecosystem::Npm, "c", Some("1"))
            .unwrap()
            .at("other/package-lock.json", None);
        assert!(Arc::ptr_eq(&a.locations[0].path, &b.locations[0].path));
        assert_eq!(&*c.locations[0].path, Path::new("other/package-lock.json"));
        assert_eq!(a.locations[0].line, Some(3));
    }

    #[test]
    fn merge_keeps_everything() {
        let mut a = Component::new(Ecosystem::Npm, "a", Some("1"))
            .unwrap()
            .with_scope(Scope::Dev)
            .at("x/package-lock.json", Some(3));
        let b = Component::new(Ecosystem::Npm, "a", Some("1"))
            .unwrap()
            .with_relationship(Relationship::Direct)
            .with_license("MIT")
            .at("x/package-lock.json", Some(9));
        a.merge(b);
        assert_eq!(a.scope, Scope::Runtime);
        assert_eq!(a.relationship, Relationship::Direct);
        assert_eq!(a.licenses, ["MIT"]);
        assert_eq!(a.locations.len(), 2);
    }
}
