//! A hand-written reader for the top level and the `packages` map of a package-lock, the
//! common case of every real file: about a tenth of serde's instructions per byte, mostly
//! because the v2 `dependencies` compatibility section (half of a v2 file) is checked and
//! stepped over instead of being driven through serde's `ignore_value`.
//!
//! It reads a strict subset of JSON and returns `None` on anything outside it (a number with a
//! fraction or an exponent, an entry that is not an object, a repeated field, a key of
//! `packages` with escapes, deep nesting, broken text): the caller then reads the file with the
//! serde readers, which give the old result, diagnostics and error lines. Where it returns a
//! value, it is the value the serde reader ([`super::FastLock`]) reads from the same text.

use std::borrow::Cow;

use super::{Entry, Licenses, V1Fast};
use crate::extractors::js::{DepNames, Keyed, Text};
use crate::extractors::json_cursor::{self, MAX_DEPTH, Spaced};

/// The JSON stepping of [`json_cursor`], with package-lock's string scan.
type Cursor<'a> = json_cursor::Cursor<'a, Spaced>;

/// The top level as read: `dependencies` is the raw text of an object, as
/// `super::FastLock` keeps it.
pub(super) struct Top<'a> {
    pub lockfile_version: Option<serde_json::Value>,
    pub packages: Option<Keyed<'a, Entry<'a>>>,
    pub dependencies: Option<&'a str>,
    /// `dependencies` read as a v1 tree, when `lockfileVersion: 1` came before it (as npm
    /// writes it): what [`read_v1`] reads from `dependencies`, without a second pass.
    pub v1: Option<Keyed<'a, V1Fast<'a>>>,
}

/// Which top-level keys are fields (read once each, a repeated one refused, as serde's derive
/// does) and which are only checked and stepped over.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Fields {
    /// `lockfileVersion`, `packages` and `dependencies` (a lockfile).
    Lock,
    /// Only `packages` (a hidden `node_modules/.package-lock.json`).
    Packages,
}

pub(super) fn read(text: &str, fields: Fields) -> Option<Top<'_>> {
    let mut c = Cursor::new(text);
    let mut top = Top {
        lockfile_version: None,
        packages: None,
        dependencies: None,
        v1: None,
    };
    let mut seen = [false; 3];
    c.open(b'{')?;
    let mut first = true;
    while let Some(key) = c.key(&mut first)? {
        let field = match (fields, key.as_ref()) {
            (Fields::Lock, "lockfileVersion") => 0,
            (_, "packages") => 1,
            (Fields::Lock, "dependencies") => 2,
            _ => {
                c.skip(1)?;
                continue;
            }
        };
        if std::mem::replace(&mut seen[field], true) {
            return None;
        }
        c.ws();
        if c.null() {
            continue;
        }
        match field {
            0 => {
                let start = c.pos;
                c.skip(1)?;
                let raw = text.get(start..c.pos)?;
                top.lockfile_version = Some(serde_json::from_str(raw).ok()?);
            }
            1 => top.packages = Some(c.packages()?),
            _ => {
                // Only an object is kept raw; anything else is left to the serde readers.
                if c.peek()? != b'{' {
                    return None;
                }
                let start = c.pos;
                let v1 = top
                    .lockfile_version
                    .as_ref()
                    .and_then(serde_json::Value::as_u64);
                if v1 == Some(1) {
                    top.v1 = c.v1_tree(0);
                    if top.v1.is_none() {
                        c.pos = start;
                    }
                }
                if top.v1.is_none() {
                    c.skip(1)?;
                }
                top.dependencies = Some(text.get(start..c.pos)?);
            }
        }
    }
    c.ws();
    (c.pos == c.bytes.len()).then_some(top)
}

/// A v1 `dependencies` tree (the raw text of an object), as serde reads it into
/// `Keyed<V1Fast>`.
pub(super) fn read_v1(raw: &str) -> Option<Keyed<'_, V1Fast<'_>>> {
    let mut c = Cursor::new(raw);
    let tree = c.v1_tree(0)?;
    c.ws();
    (c.pos == c.bytes.len()).then_some(tree)
}

impl<'a> Cursor<'a> {
    /// `true` or `false`.
    fn boolean(&mut self) -> Option<bool> {
        self.ws();
        match self.peek()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            _ => None,
        }
    }

    /// A string or `null`, as `Option<Text>` reads it.
    fn opt_text(&mut self) -> Option<Option<Text<'a>>> {
        self.ws();
        if self.null() {
            return Some(None);
        }
        self.string().map(|s| Some(Text(s)))
    }

    /// An object's keys or `null`, as `Option<DepNames<V>>` reads them (with `js::AnyValue`, its
    /// values are checked as JSON values, which `skip` does as strictly).
    fn opt_dep_names<V>(&mut self, depth: u32) -> Option<Option<DepNames<'a, V>>> {
        self.ws();
        if self.null() {
            return Some(None);
        }
        self.open(b'{')?;
        let mut names = DepNames::default();
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            self.skip(depth + 1)?;
            names.0.push(Text(key));
        }
        // npm writes the names sorted: then sorting and removing repeats changes nothing.
        if !names.0.is_sorted_by(|a, b| a < b) {
            names.0.sort();
            names.0.dedup();
        }
        Some(Some(names))
    }

    /// A v1 `dependencies` object: each key borrowed, each value an object read as [`V1Fast`]
    /// (`depth`: the nesting the object is in).
    fn v1_tree(&mut self, depth: u32) -> Option<Keyed<'a, V1Fast<'a>>> {
        if depth + 2 >= MAX_DEPTH {
            return None;
        }
        self.open(b'{')?;
        let mut out = Vec::new();
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let Cow::Borrowed(key) = key else {
                return None;
            };
            out.push((key, self.v1_entry(depth + 1)?));
        }
        Some(Keyed(out))
    }

    /// One v1 entry; a field given twice is refused, as serde's derive refuses it.
    fn v1_entry(&mut self, depth: u32) -> Option<V1Fast<'a>> {
        let mut e = V1Fast {
            version: None,
            resolved: None,
            integrity: None,
            dev: false,
            optional: false,
            requires: None,
            dependencies: None,
        };
        let field = |key: &str| match key {
            "version" => Some(0),
            "resolved" => Some(1),
            "integrity" => Some(2),
            "dev" => Some(3),
            "optional" => Some(4),
            "requires" => Some(5),
            "dependencies" => Some(6),
            _ => None,
        };
        self.members(depth + 1, field, |c, field, _| {
            match field {
                0 => e.version = c.opt_text()?,
                1 => e.resolved = c.opt_text()?,
                2 => e.integrity = c.opt_text()?,
                3 => e.dev = c.boolean()?,
                4 => e.optional = c.boolean()?,
                5 => e.requires = c.opt_dep_names(depth + 1)?,
                _ => {
                    c.ws();
                    if !c.null() {
                        e.dependencies = Some(c.v1_tree(depth + 1)?);
                    }
                }
            }
            Some(())
        })?;
        Some(e)
    }

    /// A `license` value, as [`Licenses`] reads it: a string, the last `type` of an object,
    /// the licences of each element of an array; any other value names none.
    fn licenses(&mut self, depth: u32, out: &mut Vec<Cow<'a, str>>) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => out.push(self.string()?),
            b'[' => {
                self.pos += 1;
                if depth >= MAX_DEPTH {
                    return None;
                }
                let mut first = true;
                while self.element(&mut first)? {
                    self.licenses(depth + 1, out)?;
                }
            }
            b'{' => {
                self.pos += 1;
                if depth >= MAX_DEPTH {
                    return None;
                }
                let mut of_type = Vec::new();
                let mut first = true;
                while let Some(key) = self.key(&mut first)? {
                    if key == "type" {
                        of_type.clear();
                        self.licenses(depth + 1, &mut of_type)?;
                    } else {
                        self.skip(depth + 1)?;
                    }
                }
                out.append(&mut of_type);
            }
            _ => self.skip(depth)?,
        }
        Some(())
    }

    /// The `packages` map: each key borrowed, each value an object read as [`Entry`].
    fn packages(&mut self) -> Option<Keyed<'a, Entry<'a>>> {
        self.open(b'{')?;
        let mut out = Vec::new();
        let mut first = true;
        while let Some(key) = self.key(&mut first)? {
            let Cow::Borrowed(key) = key else {
                return None;
            };
            out.push((key, self.entry()?));
        }
        Some(Keyed(out))
    }

    /// One `packages` entry; a field given twice is refused, as serde's derive refuses it.
    fn entry(&mut self) -> Option<Entry<'a>> {
        const DEPTH: u32 = 3;
        let mut e = Entry::default();
        let field = |key: &str| match key {
            "name" => Some(0),
            "version" => Some(1),
            "resolved" => Some(2),
            "integrity" => Some(3),
            "link" => Some(4),
            "dev" => Some(5),
            "optional" => Some(6),
            "devOptional" => Some(7),
            "peer" => Some(8),
            "license" => Some(9),
            "dependencies" => Some(10),
            "optionalDependencies" => Some(11),
            "peerDependencies" => Some(12),
            "devDependencies" => Some(13),
            _ => None,
        };
        self.members(DEPTH, field, |c, field, _| {
            match field {
                0 => e.name = c.opt_text()?,
                1 => e.version = c.opt_text()?,
                2 => e.resolved = c.opt_text()?,
                3 => e.integrity = c.opt_text()?,
                4 => e.link = c.boolean()?,
                5 => e.dev = c.boolean()?,
                6 => e.optional = c.boolean()?,
                7 => e.dev_optional = c.boolean()?,
                8 => e.peer = c.boolean()?,
                9 => {
                    let mut found = Vec::new();
                    c.licenses(DEPTH, &mut found)?;
                    e.license = Licenses(found);
                }
                10 => e.dependencies = c.opt_dep_names(DEPTH)?,
                11 => e.optional_dependencies = c.opt_dep_names(DEPTH)?,
                12 => e.peer_dependencies = c.opt_dep_names(DEPTH)?,
                _ => e.dev_dependencies = c.opt_dep_names(DEPTH)?,
            }
            Some(())
        })?;
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dependency names come out sorted and without repeats, whether written sorted or not.
    #[test]
    fn dep_names_sorted() {
        for (text, want) in [
            (r#"{"a": "1", "b": "2"}"#, &["a", "b"][..]),
            (r#"{"b": "1", "a": "2", "b": "3"}"#, &["a", "b"][..]),
            (r#"{"a": "1", "a": "2"}"#, &["a"][..]),
        ] {
            let mut c = Cursor::new(text);
            let names = c.opt_dep_names::<()>(1).flatten().expect(text);
            let got: Vec<&str> = names.0.iter().map(|t| t.0.as_ref()).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}
