//! The on-disk advisory store: one file per ecosystem, written whole and swapped in atomically.
//!
//! A file holds a small JSON header ([`Meta`]), a table of records (id → where its bytes are), a
//! sorted package index (ecosystem + normalised package name → records), then the advisories as
//! compact JSON. Opening a file reads the header and both tables only; an advisory is read from
//! disk when a component asks for its package, so memory stays bounded by what a scan touches,
//! not by the size of the database.
//!
//! ```text
//! "OSPO-OSV" u32 format  u32 0
//! u64 meta length, meta JSON
//! u32 records, then per record: u16 id length, id, u64 offset, u32 length
//! u32 keys,    then per key:    u16 key length, key, u32 count, count × u32 record number
//! blobs (offsets are relative to the first blob byte)
//! ```
//!
//! Every number read back is checked against the file's size, so a damaged file is an error that
//! says to re-import, never a panic or a huge allocation.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::record::Advisory;

const MAGIC: &[u8; 8] = b"OSPO-OSV";
const FORMAT: u32 = 1;
/// The file name ending of a store file.
pub const EXTENSION: &str = "osvdb";
/// Larger header or blob lengths than these mean a damaged file.
const MAX_META: u64 = 1 << 20;
const MAX_BLOB: u32 = 64 << 20;

/// What a store file says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The ecosystem (without any `:suffix`) whose packages this file indexes.
    pub ecosystem: String,
    /// When the file was written (RFC 3339, UTC).
    pub written_at: String,
    /// Where its records came from (paths or URLs), sorted.
    pub sources: Vec<String>,
    pub records: u64,
    pub withdrawn: u64,
    /// The newest `modified` (or `published`, where `modified` is a placeholder) of its records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_record: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: the database file is damaged ({why}); import or update it again")]
    Damaged { path: PathBuf, why: String },
}

impl StoreError {
    pub(crate) fn io(path: &Path, source: io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
    fn damaged(path: &Path, why: impl Into<String>) -> StoreError {
        StoreError::Damaged {
            path: path.to_path_buf(),
            why: why.into(),
        }
    }
}

/// The index key of a package: the ecosystem without its `:suffix`, and the name as the
/// ecosystem compares names (PyPI per PEP 503; NuGet and Packagist case-insensitively).
pub fn package_key(ecosystem: &str, name: &str) -> String {
    let base = ecosystem_base(ecosystem);
    let name = match base {
        "PyPI" => ospo_model::ecosystem::pep503_name(name),
        "NuGet" | "Packagist" => name.trim().to_lowercase(),
        _ => name.trim().to_owned(),
    };
    format!("{base}\u{0}{name}")
}

/// The ecosystem without a `:suffix` (`Debian:12` → `Debian`).
pub fn ecosystem_base(ecosystem: &str) -> &str {
    ecosystem
        .split_once(':')
        .map_or(ecosystem, |(b, _)| b)
        .trim()
}

/// The store file name of an ecosystem: its name with anything unusual replaced, so a hostile
/// ecosystem string cannot name a path outside the database folder.
pub fn file_name(ecosystem: &str) -> String {
    let safe: String = ecosystem
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    format!("{}.{EXTENSION}", if safe.is_empty() { "_" } else { safe })
}

struct Entry {
    id: String,
    offset: u64,
    len: u32,
    keys: Vec<String>,
    /// The date that decides which of two copies of a record is kept.
    modified: String,
}

/// Writes one ecosystem's store file: advisories go to a scratch file as they come, and
/// [`StoreWriter::finish`] writes the tables, copies the live advisories after them and renames
/// the result over the old file.
pub struct StoreWriter {
    ecosystem: String,
    target: PathBuf,
    scratch_path: PathBuf,
    scratch: BufWriter<File>,
    scratch_len: u64,
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    withdrawn: HashMap<String, bool>,
    sources: Vec<String>,
}

impl StoreWriter {
    /// Starts a new file for `ecosystem` in `dir`; nothing visible changes until `finish`.
    pub fn create(dir: &Path, ecosystem: &str) -> Result<StoreWriter, StoreError> {
        let target = dir.join(file_name(ecosystem));
        let scratch_path = dir.join(format!(
            ".{}.{}.blobs",
            file_name(ecosystem),
            std::process::id()
        ));
        let file = File::create(&scratch_path).map_err(|e| StoreError::io(&scratch_path, e))?;
        Ok(StoreWriter {
            ecosystem: ecosystem.to_owned(),
            target,
            scratch_path,
            scratch: BufWriter::new(file),
            scratch_len: 0,
            entries: Vec::new(),
            by_id: HashMap::new(),
            withdrawn: HashMap::new(),
            sources: Vec::new(),
        })
    }

    pub fn add_source(&mut self, source: &str) {
        if !self.sources.iter().any(|s| s == source) {
            self.sources.push(source.to_owned());
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Adds an advisory under the given package keys. When the same id comes twice, the copy with
    /// the newer `modified` date is kept (the first one on a tie).
    pub fn add(&mut self, advisory: &Advisory, keys: Vec<String>) -> Result<(), StoreError> {
        let blob = serde_json::to_vec(advisory).map_err(|e| {
            StoreError::io(
                &self.scratch_path,
                io::Error::new(io::ErrorKind::InvalidData, e),
            )
        })?;
        let modified = record_date(advisory).unwrap_or_default().to_owned();
        self.withdrawn
            .insert(advisory.id.clone(), advisory.withdrawn.is_some());
        self.add_blob(&advisory.id, &blob, keys, modified)
    }

    fn add_blob(
        &mut self,
        id: &str,
        blob: &[u8],
        keys: Vec<String>,
        modified: String,
    ) -> Result<(), StoreError> {
        if let Some(&i) = self.by_id.get(id)
            && self.entries[i].modified >= modified
        {
            return Ok(());
        }
        let len = u32::try_from(blob.len())
            .ok()
            .filter(|&l| l <= MAX_BLOB)
            .ok_or_else(|| {
                StoreError::io(
                    &self.scratch_path,
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("record {id} is too large"),
                    ),
                )
            })?;
        self.scratch
            .write_all(blob)
            .map_err(|e| StoreError::io(&self.scratch_path, e))?;
        let entry = Entry {
            id: id.to_owned(),
            offset: self.scratch_len,
            len,
            keys,
            modified,
        };
        self.scratch_len += u64::from(len);
        match self.by_id.get(id) {
            Some(&i) => self.entries[i] = entry,
            None => {
                self.by_id.insert(id.to_owned(), self.entries.len());
                self.entries.push(entry);
            }
        }
        Ok(())
    }

    /// Carries over every record of an existing file that this writer does not already hold.
    pub fn keep_from(&mut self, old: &StoreFile) -> Result<(), StoreError> {
        let mut keys_of: Vec<Vec<String>> = vec![Vec::new(); old.records.len()];
        for (key, records) in &old.index {
            for &r in records {
                if let Some(k) = keys_of.get_mut(r as usize) {
                    k.push(key.clone());
                }
            }
        }
        for source in &old.meta.sources {
            self.add_source(source);
        }
        for (n, keys) in keys_of.into_iter().enumerate() {
            let id = &old.records[n].id;
            if self.by_id.contains_key(id) {
                continue;
            }
            let advisory = old.read(n)?;
            self.add(&advisory, keys)?;
        }
        Ok(())
    }

    /// Writes the file and swaps it in. `written_at` is the import time (RFC 3339).
    pub fn finish(mut self, written_at: &str) -> Result<Meta, StoreError> {
        self.scratch
            .flush()
            .map_err(|e| StoreError::io(&self.scratch_path, e))?;
        let result = self.write_final(written_at);
        let _ = std::fs::remove_file(&self.scratch_path);
        result
    }

    fn write_final(&mut self, written_at: &str) -> Result<Meta, StoreError> {
        // Sorted by id, so the file does not depend on the order records came in.
        self.entries.sort_by(|a, b| a.id.cmp(&b.id));
        let mut index: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (n, entry) in self.entries.iter().enumerate() {
            for key in &entry.keys {
                let records = index.entry(key.as_str()).or_default();
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                if records.last() != Some(&n) {
                    records.push(n);
                }
            }
        }
        let newest_record = self
            .entries
            .iter()
            .map(|e| e.modified.as_str())
            .filter(|m| !m.is_empty())
            .max()
            .map(str::to_owned);
        self.sources.sort();
        let meta = Meta {
            ecosystem: self.ecosystem.clone(),
            written_at: written_at.to_owned(),
            sources: std::mem::take(&mut self.sources),
            records: self.entries.len() as u64,
            withdrawn: self.withdrawn.values().filter(|w| **w).count() as u64,
            newest_record,
        };

        let dir = self.target.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile_in(dir, &self.target)?;
        let tmp_path = tmp.1.clone();
        let result = (|| -> io::Result<()> {
            let out = &mut tmp.0;
            out.write_all(MAGIC)?;
            out.write_all(&FORMAT.to_le_bytes())?;
            out.write_all(&0u32.to_le_bytes())?;
            let meta_json = serde_json::to_vec(&meta).map_err(io::Error::other)?;
            out.write_all(&(meta_json.len() as u64).to_le_bytes())?;
            out.write_all(&meta_json)?;
            out.write_all(&(self.entries.len() as u32).to_le_bytes())?;
            let mut offset = 0u64;
            for entry in &self.entries {
                write_str(out, &entry.id)?;
                out.write_all(&offset.to_le_bytes())?;
                out.write_all(&entry.len.to_le_bytes())?;
                offset += u64::from(entry.len);
            }
            out.write_all(&(index.len() as u32).to_le_bytes())?;
            for (key, records) in &index {
                write_str(out, key)?;
                out.write_all(&(records.len() as u32).to_le_bytes())?;
                for r in records {
                    out.write_all(&r.to_le_bytes())?;
                }
            }
            let mut scratch = File::open(&self.scratch_path)?;
            let mut buf = Vec::new();
            for entry in &self.entries {
                buf.resize(entry.len as usize, 0);
                scratch.seek(SeekFrom::Start(entry.offset))?;
                scratch.read_exact(&mut buf)?;
                out.write_all(&buf)?;
            }
            out.flush()?;
            out.get_ref().sync_all()?;
            Ok(())
        })();
        drop(tmp);
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp_path);
            return Err(StoreError::io(&tmp_path, e));
        }
        std::fs::rename(&tmp_path, &self.target).map_err(|e| {
            let _ = std::fs::remove_file(&tmp_path);
            StoreError::io(&self.target, e)
        })?;
        // Make the rename itself durable where the platform allows it.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(meta)
    }
}

impl Drop for StoreWriter {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.scratch_path);
    }
}

fn tempfile_in(dir: &Path, target: &Path) -> Result<(BufWriter<File>, PathBuf), StoreError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let file = File::create(&path).map_err(|e| StoreError::io(&path, e))?;
    Ok((BufWriter::new(file), path))
}

fn write_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    let len = u16::try_from(s.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "key longer than 64 KiB"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(s.as_bytes())
}

/// The date a record was last changed: `modified`, or `published` where `modified` is missing or
/// a placeholder (the Go database's `0001-01-01`).
pub fn record_date(a: &Advisory) -> Option<&str> {
    let modified = a.modified.as_deref().filter(|m| !m.starts_with("0001-"));
    match (modified, a.published.as_deref()) {
        (Some(m), Some(p)) => Some(if m >= p { m } else { p }),
        (m, p) => m.or(p),
    }
}

/// One record's place in a store file.
struct RecordPos {
    id: String,
    offset: u64,
    len: u32,
}

/// An opened store file: header and tables in memory, advisories read on demand.
pub struct StoreFile {
    path: PathBuf,
    pub meta: Meta,
    records: Vec<RecordPos>,
    index: Vec<(String, Vec<u32>)>,
    blobs_start: u64,
    file: Mutex<File>,
}

impl std::fmt::Debug for StoreFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreFile")
            .field("path", &self.path)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl StoreFile {
    pub fn open(path: &Path) -> Result<StoreFile, StoreError> {
        let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
        let size = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
        let mut r = Reader {
            inner: BufReader::with_capacity(1 << 16, &file),
            pos: 0,
            size,
            path,
        };
        let magic = r.bytes(8)?;
        if magic != MAGIC {
            return Err(StoreError::damaged(path, "not an ospo advisory store"));
        }
        let format = r.u32()?;
        if format != FORMAT {
            return Err(StoreError::damaged(
                path,
                format!("format {format}, this ospo reads format {FORMAT}"),
            ));
        }
        r.u32()?;
        let meta_len = r.u64()?;
        if meta_len > MAX_META {
            return Err(StoreError::damaged(path, "header too large"));
        }
        let meta: Meta = serde_json::from_slice(&r.bytes(meta_len as usize)?)
            .map_err(|e| StoreError::damaged(path, format!("header: {e}")))?;
        let count = r.count(14)?;
        let mut records = Vec::with_capacity(count);
        for _ in 0..count {
            let id = r.string()?;
            let offset = r.u64()?;
            let len = r.u32()?;
            records.push(RecordPos { id, offset, len });
        }
        let keys = r.count(6)?;
        let mut index = Vec::with_capacity(keys);
        for _ in 0..keys {
            let key = r.string()?;
            let n = r.count(4)?;
            let mut list = Vec::with_capacity(n);
            for _ in 0..n {
                let rec = r.u32()?;
                if rec as usize >= records.len() {
                    return Err(StoreError::damaged(path, "index points past the records"));
                }
                list.push(rec);
            }
            index.push((key, list));
        }
        let blobs_start = r.pos;
        for rec in &records {
            let end = blobs_start
                .checked_add(rec.offset)
                .and_then(|s| s.checked_add(u64::from(rec.len)));
            if end.is_none_or(|e| e > size) || rec.len > MAX_BLOB {
                return Err(StoreError::damaged(
                    path,
                    format!("record {} lies past the end", rec.id),
                ));
            }
        }
        if !index.windows(2).all(|w| w[0].0 < w[1].0) {
            return Err(StoreError::damaged(path, "index is not sorted"));
        }
        drop(r);
        Ok(StoreFile {
            path: path.to_path_buf(),
            meta,
            records,
            index,
            blobs_start,
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    pub fn package_count(&self) -> usize {
        self.index.len()
    }

    /// The record numbers indexed under a package key.
    pub fn lookup(&self, key: &str) -> &[u32] {
        match self.index.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => &self.index[i].1,
            Err(_) => &[],
        }
    }

    /// The id of record `n`.
    pub fn id(&self, n: usize) -> Option<&str> {
        self.records.get(n).map(|r| r.id.as_str())
    }

    /// Reads and decodes record `n`.
    pub fn read(&self, n: usize) -> Result<Advisory, StoreError> {
        let rec = self
            .records
            .get(n)
            .ok_or_else(|| StoreError::damaged(&self.path, format!("no record {n}")))?;
        let mut buf = vec![0; rec.len as usize];
        {
            let mut file = self
                .file
                .lock()
                .map_err(|_| StoreError::damaged(&self.path, "a reader panicked"))?;
            file.seek(SeekFrom::Start(self.blobs_start + rec.offset))
                .and_then(|_| file.read_exact(&mut buf))
                .map_err(|e| StoreError::io(&self.path, e))?;
        }
        serde_json::from_slice(&buf)
            .map_err(|e| StoreError::damaged(&self.path, format!("record {}: {e}", rec.id)))
    }
}

struct Reader<'a> {
    inner: BufReader<&'a File>,
    pos: u64,
    size: u64,
    path: &'a Path,
}

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> Result<Vec<u8>, StoreError> {
        if self.pos + n as u64 > self.size {
            return Err(StoreError::damaged(self.path, "truncated"));
        }
        let mut buf = vec![0; n];
        self.inner
            .read_exact(&mut buf)
            .map_err(|e| StoreError::io(self.path, e))?;
        self.pos += n as u64;
        Ok(buf)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], StoreError> {
        let v = self.bytes(N)?;
        let mut a = [0; N];
        a.copy_from_slice(&v);
        Ok(a)
    }
    fn u16(&mut self) -> Result<u16, StoreError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, StoreError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, StoreError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    /// A count of items at least `min_size` bytes each, checked against what is left of the file.
    fn count(&mut self, min_size: u64) -> Result<usize, StoreError> {
        let n = u64::from(self.u32()?);
        if n * min_size > self.size - self.pos {
            return Err(StoreError::damaged(
                self.path,
                "a table is longer than the file",
            ));
        }
        Ok(n as usize)
    }
    fn string(&mut self) -> Result<String, StoreError> {
        let len = self.u16()?;
        String::from_utf8(self.bytes(len as usize)?)
            .map_err(|_| StoreError::damaged(self.path, "a name is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse;

    fn advisory(id: &str, modified: &str, name: &str) -> Advisory {
        let json = serde_json::json!({
            "id": id, "modified": modified,
            "affected": [{"package": {"ecosystem": "PyPI", "name": name},
                          "versions": ["1.0"]}]
        });
        parse(json.to_string().as_bytes()).unwrap().advisory
    }

    #[test]
    fn keys_normalise_names_the_way_each_ecosystem_compares_them() {
        assert_eq!(
            package_key("PyPI", "Zope.Interface__x"),
            package_key("PyPI", "zope-interface-x")
        );
        assert_eq!(
            package_key("NuGet", "Newtonsoft.Json"),
            "NuGet\0newtonsoft.json"
        );
        assert_eq!(
            package_key("Packagist:https://packages.drupal.org/8", "drupal/Core"),
            "Packagist\0drupal/core"
        );
        assert_ne!(package_key("npm", "React"), package_key("npm", "react"));
        assert_eq!(file_name("../../etc"), "_.._etc.osvdb");
        assert_eq!(file_name("GitHub Actions"), "GitHub_Actions.osvdb");
    }

    #[test]
    fn write_open_lookup_and_newer_copies_win() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::create(dir.path(), "PyPI").unwrap();
        w.add_source("test");
        let key = package_key("PyPI", "requests");
        w.add(
            &advisory("PYSEC-2", "2024-01-01T00:00:00Z", "requests"),
            vec![key.clone()],
        )
        .unwrap();
        w.add(
            &advisory("PYSEC-1", "2023-01-01T00:00:00Z", "requests"),
            vec![key.clone()],
        )
        .unwrap();
        // An older copy of PYSEC-2 is ignored; a newer copy of PYSEC-1 replaces the first.
        w.add(&advisory("PYSEC-2", "2020-01-01T00:00:00Z", "old"), vec![])
            .unwrap();
        let mut newer = advisory("PYSEC-1", "2025-01-01T00:00:00Z", "requests");
        newer.summary = "newer".into();
        w.add(&newer, vec![key.clone()]).unwrap();
        let meta = w.finish("2026-11-22T00:00:00Z").unwrap();
        assert_eq!(meta.records, 2);
        assert_eq!(meta.newest_record.as_deref(), Some("2025-01-01T00:00:00Z"));

        let f = StoreFile::open(&dir.path().join("PyPI.osvdb")).unwrap();
        assert_eq!(f.meta, meta);
        let hits = f.lookup(&key);
        assert_eq!(hits, [0, 1]);
        assert_eq!(f.read(0).unwrap().summary, "newer");
        assert_eq!(f.read(1).unwrap().id, "PYSEC-2");
        assert!(f.lookup(&package_key("PyPI", "nope")).is_empty());
        // No scratch or temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["PyPI.osvdb"]);
    }

    #[test]
    fn damaged_files_are_errors_never_panics() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::create(dir.path(), "PyPI").unwrap();
        for i in 0..20 {
            let id = format!("PYSEC-{i}");
            w.add(
                &advisory(&id, "2024-01-01", "pkg"),
                vec![package_key("PyPI", &format!("pkg{}", i % 3))],
            )
            .unwrap();
        }
        w.finish("2026-11-22T00:00:00Z").unwrap();
        let path = dir.path().join("PyPI.osvdb");
        let good = std::fs::read(&path).unwrap();
        let broken = dir.path().join("broken.osvdb");
        for cut in (0..good.len()).step_by(7) {
            std::fs::write(&broken, &good[..cut]).unwrap();
            if let Ok(f) = StoreFile::open(&broken) {
                for n in 0..f.record_count() {
                    let _ = f.read(n);
                }
            }
        }
        for i in (0..good.len()).step_by(5) {
            let mut bad = good.clone();
            bad[i] ^= 0xa5;
            std::fs::write(&broken, &bad).unwrap();
            if let Ok(f) = StoreFile::open(&broken) {
                for n in 0..f.record_count() {
                    let _ = f.read(n);
                }
            }
        }
        assert!(matches!(
            StoreFile::open(&broken.with_extension("missing")),
            Err(StoreError::Io { .. })
        ));
    }
}
