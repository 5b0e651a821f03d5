//! The parts of a `Pipfile.lock` the extractor uses, read straight from the text.
//!
//! Building a `serde_json::Value` tree of the whole lock (every hash a `String`, every object an
//! `IndexMap`) and dropping it was most of the extractor's cost. [`Lock`]'s `Deserialize` keeps
//! only `_meta.pipfile-spec`, `_meta.sources` and the `default` / `develop` entries' fields the
//! extractor reads, borrowed from the text, and skips the rest unbuilt. It declines (an error,
//! after which the caller reads the `Value` tree and converts it with [`Lock::from_value`]) on
//! what it does not read exactly as the tree would: bad JSON, a top level that is not an object,
//! an escaped string where a string is kept, and `_meta`, `default`, `develop` or a package name
//! given twice (the tree keeps the first place and the last value). Both ways give one `Lock`.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::HashSet;

/// A `Pipfile.lock` as the extractor reads it.
#[derive(Debug, PartialEq)]
pub(super) struct Lock<'a> {
    /// `_meta.pipfile-spec` when it is an integer.
    pub spec: Option<i64>,
    /// `_meta.sources` as (name, url), where both are strings, in order.
    pub sources: Vec<(&'a str, &'a str)>,
    /// `default` and `develop` in document order: their entries (name, entry when it is an
    /// object) in order, or `None` when the section is not an object.
    pub sections: Vec<(&'a str, Option<Entries<'a>>)>,
}

/// One package of a section; the `Option`s are `None` where the field is missing or not a string.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Entry<'a> {
    pub version: Option<&'a str>,
    pub git: Option<&'a str>,
    /// `ref`
    pub rev: Option<&'a str>,
    pub path: Option<&'a str>,
    /// `editable` is `true`.
    pub editable: bool,
    pub file: Option<&'a str>,
    pub index: Option<&'a str>,
    /// The strings of `hashes` (an array).
    pub hashes: Vec<&'a str>,
}

/// A section's packages: (name, entry when it is an object), in order.
pub(super) type Entries<'a> = Vec<(&'a str, Option<Entry<'a>>)>;

impl<'a> Lock<'a> {
    /// The same from a whole `Value` tree; `None` when the top level is not an object.
    pub fn from_value(doc: &'a Value) -> Option<Lock<'a>> {
        let doc = doc.as_object()?;
        let meta = doc.get("_meta");
        let spec = meta
            .and_then(|m| m.get("pipfile-spec"))
            .and_then(Value::as_i64);
        let sources = meta
            .and_then(|m| m.get("sources"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| Some((s.get("name")?.as_str()?, s.get("url")?.as_str()?)))
            .collect();
        let sections = doc
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "default" | "develop"))
            .map(|(k, v)| {
                let entries = v.as_object().map(|entries| {
                    entries
                        .iter()
                        .map(|(name, e)| (name.as_str(), e.as_object().map(Entry::from_map)))
                        .collect()
                });
                (k.as_str(), entries)
            })
            .collect();
        Some(Lock {
            spec,
            sources,
            sections,
        })
    }
}

impl<'a> Entry<'a> {
    fn from_map(e: &'a serde_json::Map<String, Value>) -> Entry<'a> {
        let str_of = |k: &str| e.get(k).and_then(Value::as_str);
        Entry {
            version: str_of("version"),
            git: str_of("git"),
            rev: str_of("ref"),
            path: str_of("path"),
            editable: e.get("editable").and_then(Value::as_bool) == Some(true),
            file: str_of("file"),
            index: str_of("index"),
            hashes: e
                .get("hashes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect(),
        }
    }
}

/// Defines the `visit_*` of the JSON values a visitor takes as "not what I read": each gives
/// `$other`.
macro_rules! other_scalars {
    ($other:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($other)
        }
    };
}

/// Defines `visit_seq` and `visit_map` as "not what I read": skipped, giving `$other`.
macro_rules! other_containers {
    ($other:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($other)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($other)
        }
    };
}

/// Any JSON value, as the extractor looks at a field: a string (borrowed), an integer that fits
/// `i64`, a boolean, or something else.
enum Scalar<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
    Other,
}

impl<'a> Scalar<'a> {
    fn str(self) -> Option<&'a str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> de::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(s))
            }
            // An escaped string (not borrowable): decline, the `Value` tree reads it.
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Scalar<'de>, E> {
                Err(E::custom("escaped string"))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Int(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Scalar<'de>, E> {
                Ok(i64::try_from(n).map_or(Scalar::Other, Scalar::Int))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other)
            }
            other_containers!(Scalar::Other);
        }
        d.deserialize_any(V)
    }
}

/// A borrowed object key; an escaped one declines.
struct Key<'a>(&'a str);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&str>::deserialize(d).map(Key)
    }
}

impl<'de> de::Deserialize<'de> for Lock<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lock<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lock<'de>, A::Error> {
                let mut lock = Lock {
                    spec: None,
                    sources: Vec::new(),
                    sections: Vec::with_capacity(2),
                };
                let mut meta_seen = false;
                while let Some(Key(key)) = map.next_key()? {
                    match key {
                        "_meta" => {
                            if std::mem::replace(&mut meta_seen, true) {
                                return Err(de::Error::custom("`_meta` twice"));
                            }
                            let Meta { spec, sources } = map.next_value()?;
                            lock.spec = spec;
                            lock.sources = sources;
                        }
                        "default" | "develop" => {
                            if lock.sections.iter().any(|(k, _)| *k == key) {
                                return Err(de::Error::custom("a section twice"));
                            }
                            let Section(entries) = map.next_value()?;
                            lock.sections.push((key, entries));
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(lock)
            }
        }
        d.deserialize_map(V)
    }
}

/// `_meta`: what it holds when it is an object, nothing otherwise.
#[derive(Default)]
struct Meta<'a> {
    spec: Option<i64>,
    sources: Vec<(&'a str, &'a str)>,
}

impl<'de> de::Deserialize<'de> for Meta<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Meta<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            other_scalars!(Meta::default());
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Meta<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Meta::default())
            }
            // A repeated key: the last value counts, as in the tree.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Meta<'de>, A::Error> {
                let mut meta = Meta::default();
                while let Some(Key(key)) = map.next_key()? {
                    match key {
                        "pipfile-spec" => {
                            meta.spec = match map.next_value()? {
                                Scalar::Int(n) => Some(n),
                                _ => None,
                            };
                        }
                        "sources" => meta.sources = map.next_value::<Sources<'de>>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(meta)
            }
        }
        d.deserialize_any(V)
    }
}

/// `_meta.sources`: the (name, url) of its objects whose both are strings; empty when it is not
/// an array.
struct Sources<'a>(Vec<(&'a str, &'a str)>);

impl<'de> de::Deserialize<'de> for Sources<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Sources<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            other_scalars!(Sources(Vec::new()));
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Sources<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(source) = seq.next_element::<Source<'de>>()? {
                    if let (Some(name), Some(url)) = (source.name, source.url) {
                        out.push((name, url));
                    }
                }
                Ok(Sources(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sources<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Sources(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One of `_meta.sources`: its `name` and `url` where they are strings.
#[derive(Default)]
struct Source<'a> {
    name: Option<&'a str>,
    url: Option<&'a str>,
}

impl<'de> de::Deserialize<'de> for Source<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Source<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            other_scalars!(Source::default());
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Source<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Source::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Source<'de>, A::Error> {
                let mut source = Source::default();
                while let Some(Key(key)) = map.next_key()? {
                    match key {
                        "name" => source.name = map.next_value::<Scalar<'de>>()?.str(),
                        "url" => source.url = map.next_value::<Scalar<'de>>()?.str(),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(source)
            }
        }
        d.deserialize_any(V)
    }
}

/// `default` or `develop`: its entries when it is an object.
struct Section<'a>(Option<Entries<'a>>);

impl<'de> de::Deserialize<'de> for Section<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Section<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            other_scalars!(Section(None));
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Section<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Section(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Section<'de>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                let mut seen = HashSet::default();
                while let Some(Key(name)) = map.next_key()? {
                    if !seen.insert(name) {
                        return Err(de::Error::custom("a package twice"));
                    }
                    let EntryOr(entry) = map.next_value()?;
                    entries.push((name, entry));
                }
                Ok(Section(Some(entries)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A package's entry when it is an object.
struct EntryOr<'a>(Option<Entry<'a>>);

impl<'de> de::Deserialize<'de> for EntryOr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EntryOr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            other_scalars!(EntryOr(None));
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<EntryOr<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(EntryOr(None))
            }
            // A repeated key: the last value counts, as in the tree.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EntryOr<'de>, A::Error> {
                let mut e = Entry::default();
                while let Some(Key(key)) = map.next_key()? {
                    let field = match key {
                        "version" => &mut e.version,
                        "git" => &mut e.git,
                        "ref" => &mut e.rev,
                        "path" => &mut e.path,
                        "file" => &mut e.file,
                        "index" => &mut e.index,
                        "editable" => {
                            e.editable = matches!(map.next_value()?, Scalar::Bool(true));
                            continue;
                        }
                        "hashes" => {
                            e.hashes = map.next_value::<Strings<'de>>()?.0;
                            continue;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *field = map.next_value::<Scalar<'de>>()?.str();
                }
                Ok(EntryOr(Some(e)))
            }
        }
        d.deserialize_any(V)
    }
}

/// The strings of an array (its other items skipped); empty when it is not an array.
struct Strings<'a>(Vec<&'a str>);

impl<'de> de::Deserialize<'de> for Strings<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Strings<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            other_scalars!(Strings(Vec::new()));
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strings<'de>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(2));
                while let Some(s) = seq.next_element::<Scalar<'de>>()? {
                    if let Scalar::Str(s) = s {
                        out.push(s);
                    }
                }
                Ok(Strings(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strings<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Strings(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::{damage, damage_args, shared_data};
    use proptest::prelude::*;

    /// The borrowed read, when it accepts `doc`, gives what the `Value` tree gives; it accepts
    /// only JSON.
    fn assert_agrees(doc: &str) -> bool {
        let Ok(quick) = serde_json::from_str::<Lock<'_>>(doc) else {
            return false;
        };
        let tree: Value = serde_json::from_str(doc)
            .unwrap_or_else(|e| panic!("accepted what serde_json rejects ({e}):\n{doc}"));
        assert_eq!(Some(quick), Lock::from_value(&tree), "{doc}");
        true
    }

    #[test]
    fn reads_every_corpus_lockfile_as_the_tree_does() {
        let testdata = include_str!("../../../testdata/pipfile-lock/Pipfile.lock");
        assert!(assert_agrees(testdata));
        let Some(data) = shared_data() else { return };
        for dir in ["pipenv", "requests-html"] {
            let path = data.join("lockfiles/PyPI").join(dir).join("Pipfile.lock");
            let doc = std::fs::read_to_string(&path).unwrap();
            assert!(assert_agrees(&doc), "{}: not read", path.display());
        }
    }

    #[test]
    fn leaves_the_rest_to_the_tree() {
        for doc in [
            "[]",
            "{\"default\": {}, \"default\": {}}",
            "{\"_meta\": {}, \"_meta\": 1}",
            "{\"default\": {\"a\": {}, \"a\": {}}}",
            "{\"default\": {\"a\": {\"version\": \"==1\\u0030\"}}}",
            "{\"default\": {\"\\u0061\": {}}}",
            "{\"default\": {}} x",
        ] {
            assert!(!assert_agrees(doc), "{doc}");
        }
        assert!(assert_agrees(
            "{\"_meta\": {\"pipfile-spec\": 6, \"pipfile-spec\": 6.0, \"sources\": 1}, \
             \"x\": [{\"y\": null}], \"x\": 2, \"develop\": [], \"default\": {\"a\": 1, \
             \"b\": {\"version\": 1, \"version\": \"==2\", \"editable\": \"true\", \
             \"hashes\": [\"sha256:00\", 3, [\"x\"]], \"git\": {\"u\": \"v\"}}}}"
        ));
    }

    /// Pipfile.lock-like documents with what JSON and a hand edit may vary: repeated keys,
    /// values of other types, escapes, sections in either order.
    fn doc_strategy() -> impl Strategy<Value = String> {
        let value = prop_oneof![
            Just("\"==1.0\"".to_owned()),
            Just("\"x\\\"y\"".to_owned()),
            Just("true".to_owned()),
            Just("18446744073709551615".to_owned()),
            Just("-3".to_owned()),
            Just("null".to_owned()),
            Just("[\"sha256:ab\", 1]".to_owned()),
            Just("{\"a\": [1]}".to_owned()),
        ];
        let key = proptest::sample::select(vec![
            "version", "git", "ref", "path", "editable", "file", "index", "hashes", "markers",
        ]);
        let entry = proptest::collection::vec((key, value.clone()), 0..5).prop_map(|fields| {
            let body: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            format!("{{{}}}", body.join(", "))
        });
        let entry = prop_oneof![4 => entry, 1 => value.clone()];
        let name = proptest::sample::select(vec!["a", "b", "c", "d-e", "f\\u0067"]);
        let section = proptest::collection::vec((name, entry), 0..4).prop_map(|es| {
            let body: Vec<String> = es.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            format!("{{\n{}\n}}", body.join(",\n"))
        });
        let section = prop_oneof![4 => section, 1 => value.clone()];
        let meta = prop_oneof![
            Just("{\"pipfile-spec\": 6, \"sources\": [{\"name\": \"pypi\", \"url\": \"u\"}, 1, {\"name\": 2}]}".to_owned()),
            Just("{\"sources\": {}, \"pipfile-spec\": 7.5}".to_owned()),
            value,
        ];
        let top = proptest::sample::select(vec!["_meta", "default", "develop", "other"]);
        proptest::collection::vec((top, section, meta), 0..4).prop_map(|parts| {
            let body: Vec<String> = parts
                .iter()
                .map(|(k, s, m)| {
                    let v = if *k == "_meta" { m } else { s };
                    format!("\"{k}\": {v}")
                })
                .collect();
            format!("{{\n{}\n}}", body.join(",\n"))
        })
    }

    proptest! {
        #[test]
        fn agrees_on_generated_documents(doc in doc_strategy()) {
            assert_agrees(&doc);
        }

        #[test]
        fn agrees_on_damaged_documents(doc in doc_strategy(), (at, how, byte) in damage_args()) {
            if let Some(doc) = damage(doc, at, how, byte) {
                assert_agrees(&doc);
            }
        }
    }
}
