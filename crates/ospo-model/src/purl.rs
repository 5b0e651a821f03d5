//! Package URLs (<https://github.com/package-url/purl-spec>): parsing, per-type normalisation and
//! the canonical string form.
//!
//! Every component ospo reports is identified by its canonical purl, so the same package found by
//! two extractors (or read back from an SBOM) compares equal. Normalisation is applied in one place,
//! [`Purl::new`], never by the extractors.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Ecosystem;

/// Characters that are written as they are in a canonical purl: the unreserved set of RFC 3986
/// and `:`, which the purl specification says must not be encoded. A lookup table, byte by byte.
const ENCODE: &Keep = &keep_table(b"-._~:");

/// A subpath segment also keeps `+` (the spec's `#NSData+zlib`). Written through
/// [`ENCODE_SUBPATH_PATH`]; the segment set is the tests' oracle.
#[cfg(test)]
const ENCODE_SUBPATH: &Keep = &keep_table(b"-._~:+");

/// The sets of parts made of `/`-separated segments (namespace, qualifier value; subpath): each
/// segment is encoded and the `/` between them kept, which is the segment set plus `/` over the
/// whole part (`/` is outside the segment sets, so it never occurs inside a segment). One pass
/// over the part, not a split and a pass per segment.
const ENCODE_PATH: &Keep = &keep_table(b"-._~:/");
const ENCODE_SUBPATH_PATH: &Keep = &keep_table(b"-._~:+/");

/// Which bytes are written as they are (every other byte is written `%XX`).
type Keep = [bool; 256];

/// ASCII letters and digits, and `extra`.
const fn keep_table(extra: &[u8]) -> Keep {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
}

/// A Package URL, normalised for its type.
///
/// A purl is every component's key, built hundreds of thousands of times per scan: it holds its
/// canonical string and, only when some part needed percent-encoding, its decoded parts in one
/// more buffer (one allocation or two, qualifiers aside), never a string per part.
#[derive(Clone, Debug)]
pub struct Purl {
    /// The canonical string, rendered once when the parts are final: it is compared, hashed and
    /// written many times per scan.
    canonical: Arc<str>,
    /// The decoded parts one after another (type, namespace, name, version, subpath) when one
    /// of them is written encoded in `canonical`; `None` when all are written as they are, and
    /// the parts are read from `canonical` itself.
    parts: Option<Box<str>>,
    /// Where part `i` is, in `parts` or else in `canonical`; an optional part that is empty is
    /// absent. 32-bit offsets (a purl is sealed only when its canonical string fits them, which
    /// bounds every part): a smaller `Purl`, copied with every move of a component.
    spans: [(u32, u32); 5],
    /// `None` when there are none (nearly every purl of an inventory): eight bytes, not a
    /// map's 24, which brings a component to 256 bytes, a size every move copies in one step.
    /// The box is for the size, not the heap: the rare purl with qualifiers pays for it.
    qualifiers: Option<Qualifiers>,
}

/// A purl's qualifiers, boxed: a pointer in every purl, not a map's three words.
type Qualifiers = Box<BTreeMap<String, String>>;

/// What [`Purl::qualifiers`] gives for a purl without any.
static NO_QUALIFIERS: BTreeMap<String, String> = BTreeMap::new();

/// Qualifiers as a purl holds them.
fn boxed(qualifiers: BTreeMap<String, String>) -> Option<Qualifiers> {
    (!qualifiers.is_empty()).then(|| Box::new(qualifiers))
}

const TY: usize = 0;
const NAMESPACE: usize = 1;
const NAME: usize = 2;
const VERSION: usize = 3;
const SUBPATH: usize = 4;

/// The purl types whose rules or spelling are matched while a purl is built, derived once from
/// the type (or from the [`Ecosystem`], for [`Purl::for_package`]) so that normalising and
/// writing match a byte rather than compare strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    Npm,
    Pypi,
    Cargo,
    Golang,
    Maven,
    Swift,
    Pub,
    Huggingface,
    /// bitbucket, github, gitlab, composer and hex: namespace and name are lower-cased.
    CaseInsensitive,
    /// Any other type: no rule, written as it is.
    #[default]
    Other,
}

impl Kind {
    /// The kind of a lower-case purl type.
    fn of(ty: &str) -> Kind {
        match ty {
            "npm" => Kind::Npm,
            "pypi" => Kind::Pypi,
            "cargo" => Kind::Cargo,
            "golang" => Kind::Golang,
            "maven" => Kind::Maven,
            "swift" => Kind::Swift,
            "pub" => Kind::Pub,
            "huggingface" => Kind::Huggingface,
            "bitbucket" | "github" | "gitlab" | "composer" | "hex" => Kind::CaseInsensitive,
            _ => Kind::Other,
        }
    }

    /// The kind of an ecosystem's purl type: `Kind::of(ecosystem.purl_type())`, with no string
    /// compared.
    fn of_ecosystem(ecosystem: Ecosystem) -> Kind {
        match ecosystem {
            Ecosystem::Npm => Kind::Npm,
            Ecosystem::PyPI => Kind::Pypi,
            Ecosystem::CratesIo => Kind::Cargo,
            Ecosystem::Go => Kind::Golang,
            Ecosystem::Maven => Kind::Maven,
            Ecosystem::SwiftURL => Kind::Swift,
            Ecosystem::Pub => Kind::Pub,
            Ecosystem::Packagist | Ecosystem::Hex => Kind::CaseInsensitive,
            Ecosystem::NuGet
            | Ecosystem::RubyGems
            | Ecosystem::CocoaPods
            | Ecosystem::ConanCenter
            | Ecosystem::GitHubActions
            | Ecosystem::Generic => Kind::Other,
        }
    }
}

/// A purl's parts while it is built: normalised for the type, borrowed where no change was
/// needed, then packed by [`Parts::seal`].
#[derive(Clone, Debug, Default)]
struct Parts<'a> {
    ty: Cow<'a, str>,
    /// `Kind::of(&ty)`.
    kind: Kind,
    namespace: Option<Cow<'a, str>>,
    name: Cow<'a, str>,
    version: Option<Cow<'a, str>>,
    qualifiers: BTreeMap<String, String>,
    subpath: Option<Cow<'a, str>>,
}

/// Why a string is not a valid Package URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    #[error("a package URL starts with `pkg:`")]
    MissingScheme,
    #[error("the package URL has no type")]
    MissingType,
    #[error("invalid package URL type `{0}`")]
    InvalidType(String),
    #[error("the package URL has no name")]
    MissingName,
    #[error("invalid qualifier key `{0}`")]
    InvalidQualifier(String),
    #[error("invalid percent-encoding in `{0}`")]
    InvalidEncoding(String),
    #[error("a `{0}` package URL needs a namespace")]
    MissingNamespace(String),
    #[error("the package URL is longer than 4 GiB")]
    TooLong,
}

impl Purl {
    /// Builds a purl from its parts and applies the normalisation rules of its type.
    pub fn new(
        ty: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
    ) -> Result<Purl, PurlError> {
        Parts::new(ty, namespace, name, version)?.seal()
    }

    /// The canonical string (what `Display` writes). Only printable ASCII without `"` or `\`
    /// (every part is percent-encoded but for letters, digits and `-._~:/+`; the type and
    /// qualifier keys are checked to be letters, digits and `.+-_`): it is written into JSON
    /// and other text as it is.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    /// The canonical string, shared: a component's key in graphs and indexes.
    pub fn shared(&self) -> Arc<str> {
        Arc::clone(&self.canonical)
    }

    /// The purl of a package named as its ecosystem names it (`@babel/core`,
    /// `org.slf4j:slf4j-api`, `github.com/pkg/errors`, `symfony/console`), so that extractors
    /// never split names themselves.
    pub fn for_package(
        ecosystem: Ecosystem,
        name: &str,
        version: Option<&str>,
    ) -> Result<Purl, PurlError> {
        let ty = ecosystem.purl_type();
        let (namespace, name, subpath) = match ecosystem {
            // The scope keeps its `@`: `@babel/core` is namespace `@babel`, name `core`.
            // The `/` found by a byte scan: scopes are short, and a search set up per name
            // (`split_once`) costs more than it scans.
            Ecosystem::Npm => match name
                .strip_prefix('@')
                .and_then(|n| n.bytes().position(|b| b == b'/'))
            {
                Some(slash) => (
                    name.get(..=slash),
                    name.get(slash + 2..).unwrap_or_default(),
                    None,
                ),
                None => (None, name, None),
            },
            Ecosystem::Maven => match name.split_once(':') {
                Some((group, artifact)) => (Some(group), artifact, None),
                None => (None, name, None),
            },
            Ecosystem::Go
            | Ecosystem::Packagist
            | Ecosystem::SwiftURL
            | Ecosystem::GitHubActions
            | Ecosystem::Generic => match name.rsplit_once('/') {
                Some((ns, n)) => (Some(ns), n, None),
                None => (None, name, None),
            },
            Ecosystem::CocoaPods => match name.split_once('/') {
                Some((pod, sub)) => (None, pod, Some(sub)),
                None => (None, name, None),
            },
            _ => (None, name, None),
        };
        let kind = Kind::of_ecosystem(ecosystem);
        let mut parts = Parts::typed(Cow::Borrowed(ty), kind, namespace, name, version)?;
        parts.subpath = subpath.and_then(clean_subpath);
        parts.seal()
    }

    /// Adds a qualifier (an empty value removes it).
    pub fn with_qualifier(self, key: &str, value: &str) -> Result<Purl, PurlError> {
        let mut parts = self.parts();
        parts.set_qualifier(key, value)?;
        parts.seal()
    }

    /// Sets the subpath (not set when it would make the purl longer than 4 GiB).
    pub fn with_subpath(self, subpath: &str) -> Purl {
        let mut parts = self.parts();
        parts.subpath = clean_subpath(subpath);
        match parts.seal() {
            Ok(purl) => purl,
            Err(_) => self,
        }
    }

    fn part(&self, i: usize) -> &str {
        let (start, end) = self.spans[i];
        let src = self.parts.as_deref().unwrap_or(&self.canonical);
        src.get(start as usize..end as usize).unwrap_or_default()
    }

    fn optional(&self, i: usize) -> Option<&str> {
        Some(self.part(i)).filter(|p| !p.is_empty())
    }

    pub fn ty(&self) -> &str {
        self.part(TY)
    }
    pub fn namespace(&self) -> Option<&str> {
        self.optional(NAMESPACE)
    }
    pub fn name(&self) -> &str {
        self.part(NAME)
    }
    pub fn version(&self) -> Option<&str> {
        self.optional(VERSION)
    }
    pub fn qualifiers(&self) -> &BTreeMap<String, String> {
        self.qualifiers.as_deref().unwrap_or(&NO_QUALIFIERS)
    }
    pub fn subpath(&self) -> Option<&str> {
        self.optional(SUBPATH)
    }

    /// The parts, borrowed, to build a changed purl from.
    fn parts(&self) -> Parts<'_> {
        Parts {
            ty: Cow::Borrowed(self.ty()),
            kind: Kind::of(self.ty()),
            namespace: self.namespace().map(Cow::Borrowed),
            name: Cow::Borrowed(self.name()),
            version: self.version().map(Cow::Borrowed),
            qualifiers: self.qualifiers().clone(),
            subpath: self.subpath().map(Cow::Borrowed),
        }
    }

    /// The ecosystem of this purl's type, if ospo knows it.
    pub fn ecosystem(&self) -> Option<Ecosystem> {
        Ecosystem::from_purl_type(self.ty())
    }

    /// The package name as its ecosystem writes it: the inverse of [`Purl::for_package`].
    pub fn package_name(&self) -> String {
        let name = self.name();
        match (self.ecosystem(), self.namespace()) {
            (Some(Ecosystem::Maven), Some(ns)) => format!("{ns}:{name}"),
            (Some(Ecosystem::CocoaPods), _) => match self.subpath() {
                Some(sub) => format!("{name}/{sub}"),
                None => name.to_owned(),
            },
            (_, Some(ns)) => format!("{ns}/{name}"),
            (_, None) => name.to_owned(),
        }
    }

    /// Whether this purl, read as a package spec, covers `other`: the same type, namespace and
    /// name, and the same version when this one has a version (qualifiers and subpath aside).
    /// `pkg:npm/left-pad` covers every version of left-pad; `pkg:npm/left-pad@1.3.0` only that.
    pub fn covers(&self, other: &Purl) -> bool {
        self.ty() == other.ty()
            && self.namespace() == other.namespace()
            && self.name() == other.name()
            && (self.version().is_none() || self.version() == other.version())
    }

    /// The same purl without its version, qualifiers and subpath: the package, not a release.
    pub fn without_version(&self) -> Purl {
        Parts {
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
            ..self.parts()
        }
        .seal()
        // Never taken: the purl is shorter than this one, which was sealed.
        .unwrap_or_else(|_| self.clone())
    }
}

// The canonical string encodes every part (percent-encoding is one-to-one), so it decides
// equality alone; order goes part by part.
impl PartialEq for Purl {
    fn eq(&self, other: &Purl) -> bool {
        self.canonical == other.canonical
    }
}

impl Eq for Purl {}

impl std::hash::Hash for Purl {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.canonical.hash(state);
    }
}

impl PartialOrd for Purl {
    fn partial_cmp(&self, other: &Purl) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Purl {
    /// Type, namespace, name, version, qualifiers, subpath.
    fn cmp(&self, other: &Purl) -> std::cmp::Ordering {
        self.ty()
            .cmp(other.ty())
            .then_with(|| self.namespace().cmp(&other.namespace()))
            .then_with(|| self.name().cmp(other.name()))
            .then_with(|| self.version().cmp(&other.version()))
            .then_with(|| self.qualifiers().cmp(other.qualifiers()))
            .then_with(|| self.subpath().cmp(&other.subpath()))
    }
}

impl<'a> Parts<'a> {
    /// The parts, normalised for the type.
    fn new(
        ty: &'a str,
        namespace: Option<&'a str>,
        name: &'a str,
        version: Option<&'a str>,
    ) -> Result<Parts<'a>, PurlError> {
        let ty = lower_ascii(ty);
        validate_type(&ty)?;
        let kind = Kind::of(&ty);
        Parts::typed(ty, kind, namespace, name, version)
    }

    /// [`Parts::new`] with a type already lower-case and valid (an [`Ecosystem`]'s, for
    /// [`Purl::for_package`]: every component's purl, so the type is not checked again).
    /// Inlined: the parts are then built in place rather than returned and copied.
    #[inline(always)]
    fn typed(
        ty: Cow<'a, str>,
        kind: Kind,
        namespace: Option<&'a str>,
        name: &'a str,
        version: Option<&'a str>,
    ) -> Result<Parts<'a>, PurlError> {
        debug_assert!(validate_type(&ty).is_ok() && *ty == lower_ascii(&ty));
        debug_assert_eq!(kind, Kind::of(&ty));
        let namespace = namespace.and_then(clean_segments);
        // A name nearly never starts or ends with `/`: two byte tests before the trim.
        let name = if name.starts_with('/') || name.ends_with('/') {
            name.trim_matches('/')
        } else {
            name
        };
        if name.is_empty() {
            return Err(PurlError::MissingName);
        }
        let mut parts = Parts {
            ty,
            kind,
            namespace,
            name: Cow::Borrowed(name),
            version: version.filter(|v| !v.is_empty()).map(Cow::Borrowed),
            qualifiers: BTreeMap::new(),
            subpath: None,
        };
        parts.normalise()?;
        Ok(parts)
    }

    fn normalise(&mut self) -> Result<(), PurlError> {
        match self.kind {
            Kind::CaseInsensitive => {
                self.namespace = self.namespace.take().map(lower);
                self.name = lower(std::mem::take(&mut self.name));
            }
            Kind::Pypi => {
                let name = lower(std::mem::take(&mut self.name));
                self.name = if name.contains('_') {
                    Cow::Owned(name.replace('_', "-"))
                } else {
                    name
                };
            }
            Kind::Pub => {
                self.name = lower(std::mem::take(&mut self.name));
            }
            Kind::Huggingface => {
                self.version = self.version.take().map(lower);
            }
            Kind::Maven | Kind::Swift if self.namespace.is_none() => {
                return Err(PurlError::MissingNamespace(self.ty.clone().into_owned()));
            }
            _ => {}
        }
        Ok(())
    }

    fn set_qualifier(&mut self, key: &str, value: &str) -> Result<(), PurlError> {
        let key = key.to_ascii_lowercase();
        if !valid_qualifier_key(&key) {
            return Err(PurlError::InvalidQualifier(key));
        }
        if value.is_empty() {
            self.qualifiers.remove(&key);
        } else {
            self.qualifiers.insert(key, value.to_owned());
        }
        Ok(())
    }

    /// Packs the parts and renders the canonical string: called last by everything that builds
    /// or changes a purl. Fails only for a canonical string past 32-bit offsets.
    fn seal(self) -> Result<Purl, PurlError> {
        // Rendered into a buffer each thread keeps, then copied once into the shared string.
        thread_local! {
            static CANONICAL: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        let (canonical, spans, verbatim) = CANONICAL.with_borrow_mut(|buf| {
            buf.clear();
            let (spans, verbatim) = self.write_canonical(buf);
            // Every part is at most as long as it is written, so its span then fits too.
            u32::try_from(buf.len()).map_err(|_| PurlError::TooLong)?;
            Ok((Arc::from(buf.as_str()), spans, verbatim))
        })?;
        if verbatim {
            return Ok(Purl {
                canonical,
                parts: None,
                spans: spans.map(narrow),
                qualifiers: boxed(self.qualifiers),
            });
        }
        let pieces = [
            &*self.ty,
            self.namespace.as_deref().unwrap_or_default(),
            &*self.name,
            self.version.as_deref().unwrap_or_default(),
            self.subpath.as_deref().unwrap_or_default(),
        ];
        let mut parts = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
        let mut spans = [(0, 0); 5];
        for (span, piece) in spans.iter_mut().zip(pieces) {
            let start = parts.len();
            // An absent part is no copy (a call to `memcpy` each, otherwise).
            if !piece.is_empty() {
                parts.push_str(piece);
            }
            *span = narrow((start, parts.len()));
        }
        Ok(Purl {
            canonical,
            parts: Some(parts.into_boxed_str()),
            spans,
            qualifiers: boxed(self.qualifiers),
        })
    }

    /// The canonical form, as the purl specification writes it. Returns where each part (type,
    /// namespace, name, version, subpath) was written, and whether every part was written as
    /// it is: percent-encoding only lengthens, so a part that kept its length is unchanged.
    fn write_canonical(&self, f: &mut String) -> ([(usize, usize); 5], bool) {
        let mut spans = [(0, 0); 5];
        // The common types as one fixed-size copy each (`push_str` of a literal is inlined; of
        // the type, a call to `memcpy`): every component's purl starts here.
        let start = f.len() + "pkg:".len();
        match self.kind {
            Kind::Npm => f.push_str("pkg:npm/"),
            Kind::Pypi => f.push_str("pkg:pypi/"),
            Kind::Cargo => f.push_str("pkg:cargo/"),
            Kind::Golang => f.push_str("pkg:golang/"),
            Kind::Maven => f.push_str("pkg:maven/"),
            _ => {
                f.push_str("pkg:");
                f.push_str(&self.ty);
                f.push('/');
            }
        }
        spans[TY] = (start, start + self.ty.len());
        let mut verbatim = true;
        let mut track = |f: &String, i: usize, start: usize, raw: &str| {
            spans[i] = (start, f.len());
            verbatim &= f.len() - start == raw.len();
        };
        if let Some(ns) = &self.namespace {
            let start = f.len();
            encode(f, ns, ENCODE_PATH);
            track(f, NAMESPACE, start, ns);
            f.push('/');
        }
        let start = f.len();
        encode(f, &self.name, ENCODE);
        track(f, NAME, start, &self.name);
        if let Some(v) = &self.version {
            f.push('@');
            let start = f.len();
            encode(f, v, ENCODE);
            track(f, VERSION, start, v);
        }
        let mut sep = '?';
        for (k, v) in &self.qualifiers {
            // A qualifier value keeps `/` readable (repository URLs, vcs_url) as the spec's
            // examples do; everything else is encoded.
            f.push(sep);
            f.push_str(k);
            f.push('=');
            encode(f, v, ENCODE_PATH);
            sep = '&';
        }
        if let Some(sp) = &self.subpath {
            f.push('#');
            let start = f.len();
            encode(f, sp, ENCODE_SUBPATH_PATH);
            track(f, SUBPATH, start, sp);
        }
        (spans, verbatim)
    }
}

/// A span in 32-bit offsets: exact for every span of a purl [`Parts::seal`] accepts, whose
/// canonical string is checked to fit them (a cast, not a checked conversion per offset).
fn narrow((start, end): (usize, usize)) -> (u32, u32) {
    (start as u32, end as u32)
}

/// Appends `s` percent-encoded: every byte outside `keep` as `%XX` in upper-case hex, as
/// `percent_encoding::utf8_percent_encode` writes it. Every component's purl is rendered once,
/// so this is on the scan's path: runs of kept bytes are copied whole, the set is a table.
fn encode(f: &mut String, s: &str, keep: &Keep) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Nearly every part is written as it is: one test per byte, then one copy.
    if all_kept(s.as_bytes(), keep) {
        f.push_str(s);
        return;
    }
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if !keep[usize::from(b)] {
            // `start..i` holds only kept (ASCII) bytes: empty, or starting on a char boundary.
            f.push_str(s.get(start..i).unwrap_or_default());
            f.push('%');
            f.push(char::from(HEX[usize::from(b >> 4)]));
            f.push(char::from(HEX[usize::from(b & 15)]));
            start = i + 1;
        }
    }
    f.push_str(s.get(start..).unwrap_or_default());
}

/// Whether every byte is in `keep`, by the table: eight bytes per step with no early exit inside
/// a step, a tighter loop than `all`.
fn all_kept(s: &[u8], keep: &Keep) -> bool {
    let (eights, rest) = s.as_chunks::<8>();
    let kept = |bytes: &[u8]| {
        bytes
            .iter()
            .fold(true, |kept, &b| kept & keep[usize::from(b)])
    };
    eights.iter().all(|eight| kept(eight)) && kept(rest)
}

/// ASCII lower case, borrowed when there is nothing to change.
fn lower_ascii(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Unicode lower case, kept as it is when there is nothing to change.
fn lower(s: Cow<'_, str>) -> Cow<'_, str> {
    // Names are nearly always ASCII: a byte test then (the same answer as `char::is_uppercase`
    // on ASCII), the Unicode one otherwise.
    let upper = if s.is_ascii() {
        s.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        s.chars().any(char::is_uppercase)
    };
    if upper {
        Cow::Owned(s.to_lowercase())
    } else {
        s
    }
}

/// `a//b/` as `a/b`; `None` when nothing is left. Borrowed when already clean.
fn clean_segments(s: &str) -> Option<Cow<'_, str>> {
    if s.is_empty() {
        return None;
    }
    if !s.starts_with('/') && !s.ends_with('/') && !s.contains("//") {
        return Some(Cow::Borrowed(s));
    }
    let joined = s
        .split('/')
        .filter(|seg| !seg.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    (!joined.is_empty()).then_some(Cow::Owned(joined))
}

fn validate_type(ty: &str) -> Result<(), PurlError> {
    if ty.is_empty() {
        return Err(PurlError::MissingType);
    }
    let ok = ty.starts_with(|c: char| c.is_ascii_alphabetic())
        && ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
    if ok {
        Ok(())
    } else {
        Err(PurlError::InvalidType(ty.to_owned()))
    }
}

fn valid_qualifier_key(key: &str) -> bool {
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// A subpath without empty, `.` and `..` segments; `None` when nothing is left.
fn clean_subpath(subpath: &str) -> Option<Cow<'_, str>> {
    let clean = |seg: &str| !seg.is_empty() && seg != "." && seg != "..";
    if subpath.split('/').all(clean) {
        return Some(Cow::Borrowed(subpath));
    }
    let s = subpath
        .split('/')
        .filter(|s| clean(s))
        .collect::<Vec<_>>()
        .join("/");
    (!s.is_empty()).then_some(Cow::Owned(s))
}

fn decode(s: &str) -> Result<Cow<'_, str>, PurlError> {
    // Reject a `%` that does not start a valid escape: silently keeping it would make two
    // spellings of one package compare unequal.
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err(PurlError::InvalidEncoding(s.to_owned()));
        }
    }
    percent_decode_str(s)
        .decode_utf8()
        .map_err(|_| PurlError::InvalidEncoding(s.to_owned()))
}

impl FromStr for Purl {
    type Err = PurlError;

    fn from_str(s: &str) -> Result<Purl, PurlError> {
        let rest = s
            .strip_prefix("pkg:")
            .or_else(|| s.strip_prefix("PKG:"))
            .ok_or(PurlError::MissingScheme)?;
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.split_once('#') {
            Some((r, sp)) => (r, Some(sp)),
            None => (rest, None),
        };
        let (rest, qualifiers) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let rest = rest.trim_end_matches('/');
        let (ty, rest) = rest.split_once('/').ok_or(PurlError::MissingName)?;
        // The version is after the last `@` of the last segment (an npm scope also starts with `@`).
        let (path, version) = match rest.rsplit_once('@') {
            Some((p, v)) if !p.is_empty() && !p.ends_with('/') => (p, Some(decode(v)?)),
            _ => (rest, None),
        };
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, n)) => {
                let segs = ns
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(decode)
                    .collect::<Result<Vec<_>, _>>()?;
                (Some(segs.join("/")), decode(n)?)
            }
            None => (None, decode(path)?),
        };
        let mut parts = Parts::new(ty, namespace.as_deref(), &name, version.as_deref())?;
        if let Some(q) = qualifiers {
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                parts.set_qualifier(k, &decode(v)?)?;
            }
        }
        let subpath = match subpath {
            Some(sp) => {
                let segs = sp.split('/').map(decode).collect::<Result<Vec<_>, _>>()?;
                Some(segs.join("/"))
            }
            None => None,
        };
        parts.subpath = subpath.as_deref().and_then(clean_subpath);
        parts.seal()
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

impl Serialize for Purl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical)
    }
}

impl<'de> Deserialize<'de> for Purl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Purl, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The canonical writer before it encoded `/`-separated parts in one pass: each segment
    /// encoded on its own. The oracle for `write_canonical`.
    fn canonical_oracle(p: &Parts) -> String {
        let segments = |f: &mut String, s: &str, keep: &Keep| {
            for (i, seg) in s.split('/').enumerate() {
                if i > 0 {
                    f.push('/');
                }
                encode(f, seg, keep);
            }
        };
        let mut f = format!("pkg:{}/", p.ty);
        if let Some(ns) = &p.namespace {
            segments(&mut f, ns, ENCODE);
            f.push('/');
        }
        encode(&mut f, &p.name, ENCODE);
        if let Some(v) = &p.version {
            f.push('@');
            encode(&mut f, v, ENCODE);
        }
        let mut sep = '?';
        for (k, v) in &p.qualifiers {
            f.push(sep);
            f.push_str(k);
            f.push('=');
            segments(&mut f, v, ENCODE);
            sep = '&';
        }
        if let Some(sp) = &p.subpath {
            f.push('#');
            segments(&mut f, sp, ENCODE_SUBPATH);
        }
        f
    }

    /// `for_package` derives the kind from the ecosystem, everything else from the type.
    #[test]
    fn kind_of_ecosystem_is_kind_of_its_type() {
        for &e in Ecosystem::ALL {
            assert_eq!(Kind::of_ecosystem(e), Kind::of(e.purl_type()), "{e}");
        }
    }

    /// Every component holds a purl and is moved many times per scan: keep it small.
    #[test]
    fn purl_is_small() {
        assert_eq!(std::mem::size_of::<Purl>(), 80);
    }

    fn canon(s: &str) -> String {
        s.parse::<Purl>().unwrap().to_string()
    }

    #[test]
    fn spec_examples_are_canonical() {
        for s in [
            "pkg:npm/%40angular/animation@12.3.1",
            "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&type=zip",
            "pkg:golang/google.golang.org/genproto#googleapis/api/annotations",
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
            "pkg:gem/ruby-advisory-db-check@0.12.4",
            "pkg:cargo/rand@0.7.2",
            "pkg:nuget/EnterpriseLibrary.Common@6.0.1304",
            "pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
            "pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib",
            "pkg:conan/openssl@3.0.3?channel=stable&user=bincrafters",
        ] {
            assert_eq!(canon(s), s, "{s}");
        }
    }

    #[test]
    fn per_type_normalisation() {
        assert_eq!(
            canon("pkg:PyPI/Django_Rest@1.0"),
            "pkg:pypi/django-rest@1.0"
        );
        assert_eq!(
            canon("pkg:GITHUB/Package-Url/Purl-Spec"),
            "pkg:github/package-url/purl-spec"
        );
        assert_eq!(
            canon("pkg:composer/Symfony/Console@1"),
            "pkg:composer/symfony/console@1"
        );
        assert_eq!(canon("pkg:hex/Phoenix@1.7.0"), "pkg:hex/phoenix@1.7.0");
        // npm and maven names are case-sensitive.
        assert_eq!(canon("pkg:npm/jQuery@1.0"), "pkg:npm/jQuery@1.0");
        assert_eq!(canon("pkg:maven/Org.A/B@1"), "pkg:maven/Org.A/B@1");
        // qualifier keys are lower-cased and sorted; empty values dropped; subpath cleaned.
        assert_eq!(
            canon("pkg:generic/x@1?B=2&a=1&c="),
            "pkg:generic/x@1?a=1&b=2"
        );
        assert_eq!(canon("pkg:generic/x#/a/./b/../c/"), "pkg:generic/x#a/b/c");
        // `+` in a version is encoded, `:` is not.
        assert_eq!(
            canon("pkg:cargo/x@1.0.0+build"),
            "pkg:cargo/x@1.0.0%2Bbuild"
        );
        assert_eq!(canon("pkg:deb/debian/a@1:2.3"), "pkg:deb/debian/a@1:2.3");
    }

    #[test]
    fn parts_are_decoded_and_order_goes_part_by_part() {
        let p: Purl = "pkg:npm/%40types/node@20.1.0?arch=x%2064#lib/a"
            .parse()
            .unwrap();
        assert_eq!(p.ty(), "npm");
        assert_eq!(p.namespace(), Some("@types"));
        assert_eq!(p.name(), "node");
        assert_eq!(p.version(), Some("20.1.0"));
        assert_eq!(p.qualifiers().get("arch").map(String::as_str), Some("x 64"));
        assert_eq!(p.subpath(), Some("lib/a"));
        let bare: Purl = "pkg:generic/x".parse().unwrap();
        assert_eq!(
            (bare.namespace(), bare.version(), bare.subpath()),
            (None, None, None)
        );
        assert_eq!(p.without_version().as_str(), "pkg:npm/%40types/node");
        // By name first: `a` sorts before `a-b` although `pkg:npm/a-b@1` is the smaller string.
        let a: Purl = "pkg:npm/a@2".parse().unwrap();
        let ab: Purl = "pkg:npm/a-b@1".parse().unwrap();
        assert!(a < ab);
        assert!(ab.as_str() < a.as_str());
        let again = p.clone().with_qualifier("arch", "").unwrap();
        assert_eq!(again.as_str(), "pkg:npm/%40types/node@20.1.0#lib/a");
        assert_eq!(
            again.with_subpath("").as_str(),
            "pkg:npm/%40types/node@20.1.0"
        );
    }

    #[test]
    fn invalid_purls_are_errors() {
        assert_eq!("npm/a".parse::<Purl>(), Err(PurlError::MissingScheme));
        assert_eq!("pkg:npm".parse::<Purl>(), Err(PurlError::MissingName));
        assert!(matches!(
            "pkg:maven/a@1".parse::<Purl>(),
            Err(PurlError::MissingNamespace(_))
        ));
        assert!(matches!(
            "pkg:n%pm/a".parse::<Purl>(),
            Err(PurlError::InvalidType(_))
        ));
        assert!(matches!(
            "pkg:npm/a%zz".parse::<Purl>(),
            Err(PurlError::InvalidEncoding(_))
        ));
        assert!(matches!(
            "pkg:1x/a".parse::<Purl>(),
            Err(PurlError::InvalidType(_))
        ));
    }

    #[test]
    fn for_package_splits_native_names() {
        let cases = [
            (Ecosystem::Npm, "@babel/core", "pkg:npm/%40babel/core@7.0.0"),
            (Ecosystem::Npm, "lodash", "pkg:npm/lodash@7.0.0"),
            (
                Ecosystem::Maven,
                "org.slf4j:slf4j-api",
                "pkg:maven/org.slf4j/slf4j-api@7.0.0",
            ),
            (
                Ecosystem::Go,
                "github.com/pkg/errors",
                "pkg:golang/github.com/pkg/errors@7.0.0",
            ),
            (
                Ecosystem::Packagist,
                "symfony/console",
                "pkg:composer/symfony/console@7.0.0",
            ),
            (
                Ecosystem::PyPI,
                "Typing_Extensions",
                "pkg:pypi/typing-extensions@7.0.0",
            ),
            (
                Ecosystem::SwiftURL,
                "github.com/apple/swift-nio",
                "pkg:swift/github.com/apple/swift-nio@7.0.0",
            ),
            (
                Ecosystem::CocoaPods,
                "Firebase/Core",
                "pkg:cocoapods/Firebase@7.0.0#Core",
            ),
            (Ecosystem::RubyGems, "rails", "pkg:gem/rails@7.0.0"),
        ];
        for (eco, name, want) in cases {
            let p = Purl::for_package(eco, name, Some("7.0.0")).unwrap();
            assert_eq!(p.to_string(), want);
            assert_eq!(p.ecosystem(), Some(eco));
            if eco != Ecosystem::PyPI {
                assert_eq!(p.package_name(), name);
            }
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = s.parse::<Purl>();
            let _ = format!("pkg:{s}").parse::<Purl>();
        }

        /// Whatever a purl is built from, its canonical string is printable ASCII without a
        /// quote or a backslash (the JSON writer copies it without escaping).
        #[test]
        fn canonical_strings_need_no_escaping(
            s in "\\PC*",
            ty in "[a-zA-Z][a-zA-Z0-9.+-]{0,6}",
            parts in proptest::collection::vec("\\PC{0,12}|[\"\\\\\\x00-\\x1f @%?#&=]{0,6}", 4),
        ) {
            let plain = |p: &Purl| p.as_str().bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\');
            for p in [s.parse::<Purl>(), format!("pkg:{s}").parse::<Purl>()].into_iter().flatten() {
                proptest::prop_assert!(plain(&p), "{}", p.as_str());
            }
            let built = Purl::new(&ty, Some(&parts[0]), &parts[1], Some(&parts[2]))
                .and_then(|p| p.with_qualifier("repository_url", &parts[3]));
            if let Ok(p) = built {
                proptest::prop_assert!(plain(&p), "{}", p.as_str());
            }
            for &e in crate::Ecosystem::ALL {
                if let Ok(p) = Purl::for_package(e, &parts[1], Some(&parts[2])) {
                    proptest::prop_assert!(plain(&p), "{}", p.as_str());
                }
            }
        }

        /// The encoder writes what `utf8_percent_encode` writes with the sets it replaced.
        #[test]
        fn encode_matches_percent_encoding(s in "\\PC*|[a-zA-Z0-9 %+:~._@/-]*") {
            use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
            const SET: &AsciiSet = &NON_ALPHANUMERIC
                .remove(b'-')
                .remove(b'.')
                .remove(b'_')
                .remove(b'~')
                .remove(b':');
            const SUBPATH: &AsciiSet = &SET.remove(b'+');
            for (keep, set) in [(ENCODE, SET), (ENCODE_SUBPATH, SUBPATH)] {
                let mut got = String::from("x");
                encode(&mut got, &s, keep);
                prop_assert_eq!(got, format!("x{}", utf8_percent_encode(&s, set)));
            }
        }

        /// The canonical string is what the writer that split segments on `/` wrote, for
        /// any parts, qualifiers and subpath.
        #[test]
        fn canonical_matches_segment_oracle(
            ns in proptest::option::of("[a-zA-Z0-9@ %+:~._/-]{1,12}|\\PC{1,6}"),
            name in "[a-zA-Z0-9@ %+:~._/-]{1,12}|\\PC{1,6}",
            version in proptest::option::of("[a-zA-Z0-9 %+:._@/-]{1,12}|\\PC{1,6}"),
            quals in proptest::collection::btree_map("[a-z]{1,3}", "[a-zA-Z0-9 %+:._@/-]{1,12}|\\PC{1,6}", 0..3),
            subpath in "[a-zA-Z0-9 %+:~._/-]{0,12}|\\PC{0,6}",
        ) {
            if let Ok(mut parts) = Parts::new("generic", ns.as_deref(), &name, version.as_deref()) {
                parts.qualifiers = quals;
                parts.subpath = clean_subpath(&subpath);
                let mut got = String::new();
                let (spans, verbatim) = parts.write_canonical(&mut got);
                let want = canonical_oracle(&parts);
                prop_assert_eq!(&got, &want);
                let unchanged = |i: usize, raw: Option<&str>| {
                    raw.is_none_or(|raw| got.get(spans[i].0..spans[i].1) == Some(raw))
                };
                prop_assert_eq!(
                    verbatim,
                    unchanged(NAMESPACE, parts.namespace.as_deref())
                        && unchanged(NAME, Some(&parts.name))
                        && unchanged(VERSION, parts.version.as_deref())
                        && unchanged(SUBPATH, parts.subpath.as_deref())
                );
            }
        }

        /// The parts read back are the parts given, whether they are read from the canonical
        /// string (nothing encoded) or from their own buffer.
        #[test]
        fn parts_read_back(
            ns in proptest::option::of("[a-zA-Z0-9 %+._/-]{1,12}"),
            name in "[a-zA-Z0-9 %+:._-]{1,12}",
            version in proptest::option::of("[a-zA-Z0-9 %+:._@-]{1,12}"),
            subpath in "[a-zA-Z0-9 %+._/-]{0,12}",
        ) {
            if let Ok(parts) = Parts::new("generic", ns.as_deref(), &name, version.as_deref()) {
                let subpath = clean_subpath(&subpath);
                let p = Purl::new("generic", ns.as_deref(), &name, version.as_deref())
                    .unwrap()
                    .with_subpath(subpath.as_deref().unwrap_or_default());
                prop_assert_eq!(p.ty(), "generic");
                prop_assert_eq!(p.namespace(), parts.namespace.as_deref());
                prop_assert_eq!(p.name(), &*parts.name);
                prop_assert_eq!(p.version(), parts.version.as_deref());
                prop_assert_eq!(p.subpath(), subpath.as_deref());
                let again: Purl = p.to_string().parse().unwrap();
                prop_assert_eq!(
                    (again.namespace(), again.name(), again.version(), again.subpath()),
                    (p.namespace(), p.name(), p.version(), p.subpath())
                );
            }
        }

        #[test]
        fn display_parse_round_trip(
            ns in proptest::option::of("[a-zA-Z0-9@ %+._/-]{1,12}"),
            name in "[a-zA-Z0-9@ %+:._-]{1,12}",
            version in proptest::option::of("[a-zA-Z0-9 %+:._@-]{1,12}"),
        ) {
            if let Ok(p) = Purl::new("generic", ns.as_deref(), &name, version.as_deref()) {
                let again: Purl = p.to_string().parse().unwrap();
                prop_assert_eq!(&again, &p);
                prop_assert_eq!(again.to_string(), p.to_string());
            }
        }
    }
}
