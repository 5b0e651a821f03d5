//! The SPDX licence list embedded in the binary: `data/spdx/list.bin.z`, made by
//! `scripts/gen-license-list.py` (its header documents the format and how to regenerate).

use std::io::Read;
use std::sync::OnceLock;

static LIST: &[u8] = include_bytes!("../../data/spdx/list.bin.z");

/// A licence or an exception of the list.
#[derive(Debug)]
pub(crate) struct Entry {
    pub exception: bool,
    pub id: &'static str,
    pub name: &'static str,
    pub deprecated: bool,
    pub text: &'static str,
    pub template: &'static str,
    pub header: &'static str,
}

#[derive(Debug, Default)]
pub(crate) struct List {
    #[cfg_attr(not(test), allow(dead_code))] // checked against data/spdx/VERSION in the tests
    pub version: &'static str,
    /// Licences then exceptions, each sorted by id.
    pub entries: Vec<Entry>,
}

impl List {
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// The list, decompressed and split once per process.
pub(crate) fn list() -> &'static List {
    static LIST_CELL: OnceLock<List> = OnceLock::new();
    LIST_CELL.get_or_init(|| parse(LIST).unwrap_or_default())
}

fn parse(compressed: &[u8]) -> Option<List> {
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(compressed)
        .read_to_string(&mut text)
        .ok()?;
    // Leaked once: the list lives as long as the process and every entry borrows it.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let body = text.strip_prefix("ospo-spdx 1\n")?;
    let (version, records) = body.split_once('\n')?;
    let mut entries = Vec::new();
    for record in records.split('\u{1e}') {
        let f: Vec<&'static str> = record.split('\u{1f}').collect();
        let [kind, id, name, deprecated, text, template, header] = f[..] else {
            continue;
        };
        entries.push(Entry {
            exception: kind == "E",
            id,
            name,
            deprecated: deprecated == "1",
            text,
            template,
            header,
        });
    }
    Some(List { version, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_loads() {
        let l = list();
        assert_eq!(l.version, include_str!("../../data/spdx/VERSION"));
        assert!(l.entries.len() > 800, "{}", l.entries.len());
        let mit = l.get("MIT").expect("MIT");
        assert!(!mit.exception && !mit.deprecated);
        assert!(mit.text.contains("Permission is hereby granted"));
        assert!(
            l.get("Classpath-exception-2.0")
                .is_some_and(|e| e.exception)
        );
        assert!(l.get("GPL-2.0").is_some_and(|e| e.deprecated));
        assert!(!l.get("Apache-2.0").expect("Apache").header.is_empty());
    }
}
