//! Where OSV records come from: osv.dev's `all.zip` exports, folders of OSV JSON files, single
//! files. Archives are read in memory and never extracted, and are guarded: an entry whose name
//! tries to leave the archive, that inflates past a limit or at a suspicious ratio (a zip bomb) is
//! rejected with a diagnostic naming it, and the rest of the archive is still read.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path};

use ospo_model::{Diagnostic, Level};

/// Where a diagnostic about importing comes from.
pub const ORIGIN: &str = "osv-import";

/// Limits on what an import reads.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest single OSV document, after decompression.
    pub max_document: u64,
    /// An entry inflating above `ratio_floor` bytes at more than this ratio is treated as a bomb.
    pub max_ratio: u64,
    pub ratio_floor: u64,
    /// The most entries read from one archive.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_document: 32 << 20,
            max_ratio: 200,
            ratio_floor: 1 << 20,
            max_entries: 4_000_000,
        }
    }
}

/// One OSV JSON document to import, and where it came from (`all.zip!GHSA-….json`).
pub struct Document {
    pub origin: String,
    pub bytes: Vec<u8>,
}

/// Reads every OSV document under `path` (a zip, a JSON file, or a folder of either), in a stable
/// order, handing each to `each`. Problems become diagnostics; only an unreadable `path` itself is
/// an error.
pub fn read_path(
    path: &Path,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(Document),
) -> io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        read_dir(path, limits, diagnostics, each);
        Ok(())
    } else {
        read_file(path, limits, diagnostics, each)
    }
}

fn read_dir(
    root: &Path,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(Document),
) {
    let walk = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    Level::Error,
                    ORIGIN,
                    root,
                    None,
                    e.to_string(),
                ));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let p = entry.path();
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !ext.eq_ignore_ascii_case("json") && !ext.eq_ignore_ascii_case("zip") {
            continue;
        }
        if let Err(e) = read_file(p, limits, diagnostics, each) {
            diagnostics.push(Diagnostic::new(
                Level::Error,
                ORIGIN,
                p,
                None,
                e.to_string(),
            ));
        }
    }
}

fn read_file(
    path: &Path,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(Document),
) -> io::Result<()> {
    let mut file = File::open(path)?;
    let mut magic = [0u8; 4];
    let n = read_up_to(&mut file, &mut magic)?;
    if magic[..n] == *b"PK\x03\x04" || magic[..n] == *b"PK\x05\x06" {
        let file = File::open(path)?;
        read_zip(path, file, limits, diagnostics, each);
        return Ok(());
    }
    let len = std::fs::metadata(path)?.len();
    if len > limits.max_document {
        diagnostics.push(Diagnostic::new(
            Level::Error,
            ORIGIN,
            path,
            None,
            format!(
                "{len} bytes is over the {} byte limit for one OSV document: not read",
                limits.max_document
            ),
        ));
        return Ok(());
    }
    let bytes = std::fs::read(path)?;
    // A JSON array of records is accepted as well as one record per file.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        match serde_json::from_slice::<Vec<Box<serde_json::value::RawValue>>>(&bytes) {
            Ok(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    each(Document {
                        origin: format!("{}[{i}]", path.display()),
                        bytes: item.get().as_bytes().to_vec(),
                    });
                }
            }
            Err(e) => diagnostics.push(Diagnostic::new(
                Level::Error,
                ORIGIN,
                path,
                u32::try_from(e.line()).ok(),
                format!("not a JSON array of OSV records: {e}"),
            )),
        }
        return Ok(());
    }
    each(Document {
        origin: path.display().to_string(),
        bytes,
    });
    Ok(())
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn read_zip(
    path: &Path,
    file: File,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(Document),
) {
    let diag = |level, message: String| Diagnostic::new(level, ORIGIN, path, None, message);
    let mut archive = match zip::ZipArchive::new(io::BufReader::new(file)) {
        Ok(a) => a,
        Err(e) => {
            diagnostics.push(diag(
                Level::Error,
                format!("not a readable zip archive: {e}"),
            ));
            return;
        }
    };
    if archive.len() > limits.max_entries {
        diagnostics.push(diag(
            Level::Error,
            format!(
                "{} entries is over the limit of {}: not read",
                archive.len(),
                limits.max_entries
            ),
        ));
        return;
    }
    // Entries in name order, so the import does not depend on how the archive was packed.
    let mut names: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|i| {
            let name = archive.name_for_index(i)?.to_owned();
            Some((name, i))
        })
        .collect();
    names.sort();
    let mut inflater = flate2::Decompress::new(false);
    let mut raw: Vec<u8> = Vec::new();
    for (name, i) in names {
        if name.ends_with('/') {
            continue;
        }
        if !safe_entry_name(&name) {
            diagnostics.push(diag(
                Level::Error,
                format!(
                    "entry `{}` has an unsafe name (absolute, `..`, or a drive): rejected",
                    name.escape_debug()
                ),
            ));
            continue;
        }
        if !name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        // Raw (compressed) bytes, inflated with one reused decompressor: inflating through a
        // fresh decoder per entry left the heap fragmented (12 KB per record at 300k records).
        let mut entry = match archive.by_index_raw(i) {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(diag(Level::Error, format!("entry `{name}`: {e}")));
                continue;
            }
        };
        let compressed = entry.compressed_size();
        let method = entry.compression();
        let crc = entry.crc32();
        raw.clear();
        // The declared sizes are not trusted: at most one byte more than the limit is read.
        if let Err(e) = (&mut entry)
            .take(limits.max_document + 1)
            .read_to_end(&mut raw)
        {
            diagnostics.push(diag(
                Level::Error,
                format!("entry `{name}` cannot be read: {e}"),
            ));
            continue;
        }
        drop(entry);
        let mut bytes = Vec::new();
        let inflated = match method {
            zip::CompressionMethod::Stored => {
                bytes.extend_from_slice(&raw);
                Ok(())
            }
            zip::CompressionMethod::Deflated => {
                inflate(&mut inflater, &raw, &mut bytes, limits.max_document + 1)
            }
            other => Err(format!("compression method {other:?} is not supported")),
        };
        if let Err(e) = inflated {
            diagnostics.push(diag(
                Level::Error,
                format!("entry `{name}` cannot be inflated: {e}"),
            ));
            continue;
        }
        if (bytes.len() as u64) <= limits.max_document && crc32fast::hash(&bytes) != crc {
            diagnostics.push(diag(
                Level::Error,
                format!("entry `{name}` is corrupt (CRC-32 mismatch): rejected"),
            ));
            continue;
        }
        let size = bytes.len() as u64;
        if size > limits.max_document {
            diagnostics.push(diag(
                Level::Error,
                format!(
                    "entry `{name}` inflates past the {} byte limit (a zip bomb?): rejected",
                    limits.max_document
                ),
            ));
            continue;
        }
        if size > limits.ratio_floor && size / compressed.max(1) > limits.max_ratio {
            diagnostics.push(diag(
                Level::Error,
                format!(
                    "entry `{name}` inflates {}× ({compressed} → {size} bytes; a zip bomb?): rejected",
                    size / compressed.max(1)
                ),
            ));
            continue;
        }
        each(Document {
            origin: format!("{}!{name}", path.display()),
            bytes,
        });
    }
}

/// Inflates raw deflate data into `out`, stopping once `max` bytes are out (the caller rejects
/// that as too large). The decompressor is reset and reused.
fn inflate(
    inflater: &mut flate2::Decompress,
    input: &[u8],
    out: &mut Vec<u8>,
    max: u64,
) -> Result<(), String> {
    inflater.reset(false);
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let consumed = inflater.total_in() as usize;
        let before = inflater.total_out();
        let status = inflater
            .decompress(
                input.get(consumed..).unwrap_or_default(),
                &mut chunk,
                flate2::FlushDecompress::None,
            )
            .map_err(|e| e.to_string())?;
        let produced = (inflater.total_out() - before) as usize;
        out.extend_from_slice(&chunk[..produced]);
        if out.len() as u64 >= max || status == flate2::Status::StreamEnd {
            return Ok(());
        }
        if produced == 0 && inflater.total_in() as usize == consumed {
            return Err("the deflate stream is truncated".into());
        }
    }
}

/// Whether an archive entry name stays inside the archive: relative, no `..`, no drive or root.
pub fn safe_entry_name(name: &str) -> bool {
    if name.is_empty() || name.contains('\0') || name.contains('\\') || name.starts_with('/') {
        return false;
    }
    if name.len() >= 2 && name.as_bytes()[1] == b':' {
        return false;
    }
    Path::new(name)
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, bytes) in entries {
                w.start_file(*name, opts).unwrap();
                w.write_all(bytes).unwrap();
            }
            w.finish().unwrap();
        }
        buf.into_inner()
    }

    fn read(path: &Path, limits: &Limits) -> (Vec<String>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut origins = Vec::new();
        read_path(path, limits, &mut diags, &mut |d| origins.push(d.origin)).unwrap();
        (origins, diags)
    }

    #[test]
    fn unsafe_names_are_recognised() {
        for bad in [
            "/etc/passwd",
            "../x.json",
            "a/../../x.json",
            "C:\\x.json",
            "c:x",
            "a\\..\\b",
            "",
        ] {
            assert!(!safe_entry_name(bad), "{bad}");
        }
        for good in ["GHSA-1.json", "./a/b.json", "vulns/x/PYSEC-1.json"] {
            assert!(safe_entry_name(good), "{good}");
        }
    }

    #[test]
    fn zip_guards_reject_the_entry_and_keep_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let zeros = vec![b' '; 4 << 20];
        let zip = zip_with(&[
            ("A-1.json", br#"{"id": "A-1"}"#),
            ("../evil.json", br#"{"id": "E-1"}"#),
            ("bomb.json", &zeros),
            ("README.md", b"not a record"),
            ("Z-1.json", br#"{"id": "Z-1"}"#),
        ]);
        let path = dir.path().join("all.zip");
        std::fs::write(&path, zip).unwrap();
        let (origins, diags) = read(&path, &Limits::default());
        let names: Vec<_> = origins
            .iter()
            .map(|o| o.rsplit('!').next().unwrap())
            .collect();
        assert_eq!(names, ["A-1.json", "Z-1.json"]);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags.iter().any(|d| d.message.contains("unsafe name")));
        assert!(diags.iter().any(|d| d.message.contains("zip bomb")));

        let small = Limits {
            max_document: 1000,
            ..Limits::default()
        };
        let (origins, diags) = read(&path, &small);
        assert_eq!(origins.len(), 2);
        assert!(
            diags
                .iter()
                .any(|d| d.message.contains("past the 1000 byte limit"))
        );
    }

    #[test]
    fn folders_arrays_and_broken_archives() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.json"), br#"{"id": "B"}"#).unwrap();
        std::fs::write(
            dir.path().join("a.json"),
            br#" [{"id": "A1"}, {"id": "A2"}]"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"ignored").unwrap();
        std::fs::write(dir.path().join("broken.zip"), b"PK\x03\x04 truncated").unwrap();
        let (origins, diags) = read(dir.path(), &Limits::default());
        let tails: Vec<_> = origins
            .iter()
            .map(|o| {
                o.strip_prefix(&dir.path().display().to_string())
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(tails, ["/a.json[0]", "/a.json[1]", "/sub/b.json"]);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].path.ends_with("broken.zip"));
    }
}
