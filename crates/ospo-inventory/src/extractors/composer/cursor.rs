//! A hand-written reader for the `packages` and `packages-dev` arrays of a composer.lock, the
//! common case of every real file: most of a package (`description`, `authors`, `autoload`,
//! `support`, `funding`, ...) is unused, and is checked and stepped over here with a loop over
//! its bytes instead of being driven through serde's `MapAccess` (about a third of serde's
//! instructions per byte).
//!
//! It reads a strict subset of JSON and returns `None` on anything outside it (a number with a
//! fraction or an exponent, a repeated member, a member of an unusual type, a `"name"` key with
//! escapes, deep nesting, broken text): the caller then leaves the file to the general reader,
//! which gives the old result, diagnostics and error lines. Where it returns a value, it is
//! what the serde visitors this replaced read from the same text (the JSON stepping is the one
//! of `extractors/json_cursor.rs`, shared with package-lock's reader).

use std::borrow::Cow;

use ospo_model::Scope;

use super::{Licenses, Location, Names, Package};
use crate::HashSet;
use crate::extractors::json_cursor::{self, Prose};

/// A package and its `"name"` key, borrowed from the input (for its offset).
pub(super) struct Entry<'a> {
    pub package: Package<'a>,
    pub name_key: &'a str,
}

/// The packages of `packages` (runtime) then those of `packages-dev`, in file order within each.
pub(super) fn read(text: &str) -> Option<Vec<(Entry<'_>, Scope)>> {
    let mut c = Cursor::new(text);
    let (mut runtime, mut dev) = (None, None);
    c.open(b'{')?;
    let mut first = true;
    while let Some(key) = c.key(&mut first)? {
        let slot = match key.as_ref() {
            "packages" => &mut runtime,
            "packages-dev" => &mut dev,
            _ => {
                c.skip(1)?;
                continue;
            }
        };
        // A repeated member is an error to serde's derive.
        if slot.is_some() {
            return None;
        }
        *slot = Some(c.entries()?);
    }
    c.ws();
    if c.pos != c.bytes.len() {
        return None;
    }
    let runtime = runtime.unwrap_or_default();
    let dev = dev.unwrap_or_default();
    let mut out = Vec::with_capacity(runtime.len() + dev.len());
    out.extend(runtime.into_iter().map(|e| (e, Scope::Runtime)));
    out.extend(dev.into_iter().map(|e| (e, Scope::Dev)));
    Some(out)
}

/// The JSON stepping of [`json_cursor`], with composer.lock's string scan.
type Cursor<'a> = json_cursor::Cursor<'a, Prose>;

impl<'a> Cursor<'a> {
    /// A string (escapes decoded), as `String` reads it.
    fn owned(&mut self) -> Option<Cow<'a, str>> {
        self.ws();
        self.string()
    }

    /// A string or `null`, as `Option<String>` reads it.
    fn opt_owned(&mut self) -> Option<Option<Cow<'a, str>>> {
        self.ws();
        if self.null() {
            return Some(None);
        }
        self.owned().map(Some)
    }

    /// An array of packages (`packages` or `packages-dev`).
    fn entries(&mut self) -> Option<Vec<Entry<'a>>> {
        self.open(b'[')?;
        let mut out = Vec::new();
        let mut first = true;
        while self.element(&mut first)? {
            out.push(self.entry()?);
        }
        Some(out)
    }

    /// One package: an object with at least `name` and `version`, each member once.
    fn entry(&mut self) -> Option<Entry<'a>> {
        // The nesting of a package's members: top level, array, package.
        const DEPTH: u32 = 3;
        let mut name_key = None;
        let (mut name, mut version) = (None, None);
        let (mut source, mut dist, mut notification_url) = (None, None, None);
        let mut license = Licenses::default();
        let (mut require, mut provide, mut replace) =
            (Names::default(), Names::default(), Names::default());
        let field = |key: &str| match key {
            "name" => Some(0),
            "version" => Some(1),
            "source" => Some(2),
            "dist" => Some(3),
            "notification-url" => Some(4),
            "license" => Some(5),
            "require" => Some(6),
            "provide" => Some(7),
            "replace" => Some(8),
            _ => None,
        };
        self.members(DEPTH, field, |c, field, key| {
            match field {
                0 => {
                    // The key's offset gives the package's line: it must be the text itself.
                    let Cow::Borrowed(k) = key else {
                        return None;
                    };
                    name_key = Some(k);
                    name = Some(c.owned()?);
                }
                1 => version = Some(c.owned()?),
                2 => source = c.location(DEPTH)?,
                3 => dist = c.location(DEPTH)?,
                4 => notification_url = c.opt_owned()?,
                5 => license = c.licenses()?,
                6 => require = c.names(DEPTH)?,
                7 => provide = c.names(DEPTH)?,
                _ => replace = c.names(DEPTH)?,
            }
            Some(())
        })?;
        Some(Entry {
            package: Package {
                name: name?,
                version: version?,
                source,
                dist,
                notification_url,
                license,
                require,
                provide,
                replace,
            },
            name_key: name_key?,
        })
    }

    /// A `source` or `dist`: `null`, or an object whose `type`, `url`, `reference` and
    /// `shasum` are each a string or `null` and given once.
    fn location(&mut self, depth: u32) -> Option<Option<Location<'a>>> {
        self.ws();
        if self.null() {
            return Some(None);
        }
        let mut l = Location {
            kind: None,
            url: None,
            reference: None,
            shasum: None,
        };
        let field = |key: &str| match key {
            "type" => Some(0),
            "url" => Some(1),
            "reference" => Some(2),
            "shasum" => Some(3),
            _ => None,
        };
        self.members(depth + 1, field, |c, field, _| {
            let slot = match field {
                0 => &mut l.kind,
                1 => &mut l.url,
                2 => &mut l.reference,
                _ => &mut l.shasum,
            };
            *slot = c.opt_owned()?;
            Some(())
        })?;
        Some(Some(l))
    }

    /// A `license`: a string, or an array of strings (anything else is refused).
    fn licenses(&mut self) -> Option<Licenses<'a>> {
        self.ws();
        if self.peek()? == b'"' {
            return self.owned().map(Licenses::One);
        }
        self.open(b'[')?;
        let mut all = Vec::new();
        let mut first = true;
        while self.element(&mut first)? {
            all.push(self.owned()?);
        }
        Some(Licenses::Many(all))
    }

    /// A `require`-like member: an object of names (values checked, then dropped; a repeated
    /// name keeps its first place, as in a `Value`), or an array (PHP's empty object), which
    /// names none; anything else is refused.
    fn names(&mut self, depth: u32) -> Option<Names<'a>> {
        /// Beyond this many names, repeats are found by hashing rather than by a search.
        const FEW: usize = 16;
        self.ws();
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut names = Vec::new();
                let mut seen: Option<HashSet<Cow<'a, str>>> = None;
                let mut first = true;
                while let Some(key) = self.key(&mut first)? {
                    self.skip(depth + 1)?;
                    let repeated = match &mut seen {
                        Some(seen) => !seen.insert(key.clone()),
                        None => names.contains(&key),
                    };
                    if !repeated {
                        names.push(key);
                        if seen.is_none() && names.len() > FEW {
                            seen = Some(names.iter().cloned().collect());
                        }
                    }
                }
                Some(Names::Keys(names))
            }
            b'[' => {
                self.skip(depth)?;
                Some(Names::default())
            }
            _ => None,
        }
    }
}
