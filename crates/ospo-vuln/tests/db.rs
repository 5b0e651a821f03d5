//! The database over the real OSV exports in the shared data: import, update from a local HTTP
//! server (standing in for osv.dev), interruption, and status.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use common::{options, osv_data};
use ospo_vuln::Database;
use ospo_vuln::store::{StoreFile, package_key};

/// Counts `.json` entries of a zip with Python's zipfile, an independent reader.
fn entries_in_zip(zip: &Path) -> u64 {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys,zipfile; print(sum(n.endswith('.json') for n in zipfile.ZipFile(sys.argv[1]).namelist()))",
        ])
        .arg(zip)
        .output()
        .expect("python3 runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count")
}

#[test]
fn importing_the_shared_exports_stores_every_record_under_its_ecosystem() {
    let Some(osv) = osv_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = Database::at(dir.path().join("db"));
    let report = db.import(std::slice::from_ref(&osv), &options()).unwrap();
    // osv-schema.json is read and rejected (it is not a record); nothing else is.
    assert_eq!(report.rejected, 1, "{:#?}", report.diagnostics);
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    for eco in [
        "crates.io",
        "Go",
        "Maven",
        "npm",
        "Packagist",
        "PyPI",
        "RubyGems",
    ] {
        let expected = entries_in_zip(&osv.join(eco).join("all.zip"));
        let meta = &report.ecosystems[eco];
        assert_eq!(meta.records, expected, "{eco}");
    }
    // Withdrawn records are stored (and counted), so status can say so; matching skips them.
    assert_eq!(report.ecosystems["crates.io"].withdrawn, 10);
    assert_eq!(report.ecosystems["Go"].withdrawn, 15);

    let status = db
        .status(
            ospo_vuln::db::parse_time("2026-11-23T00:00:00Z").unwrap(),
            7,
        )
        .unwrap();
    assert_eq!(status.ecosystems.len(), 7);
    assert!(
        status
            .ecosystems
            .iter()
            .all(|e| e.age_days == Some(1) && !e.stale)
    );

    // A Drupal contrib record (ecosystem with a `:suffix`) is found under its base ecosystem.
    let packagist = StoreFile::open(&db.dir().join("Packagist.osvdb")).unwrap();
    let drupal_core = packagist.lookup(&package_key("Packagist", "drupal/core"));
    assert!(!drupal_core.is_empty());

    // Importing again adds nothing new: the same ids are kept once.
    let again = db
        .import(&[osv.join("crates.io/all.zip")], &options())
        .unwrap();
    assert_eq!(
        again.ecosystems["crates.io"].records,
        report.ecosystems["crates.io"].records
    );
}

/// Serves files under `root` over HTTP/1.1 for `requests` requests. `/cut/…` sends half of the
/// file while announcing all of it, as an interrupted download does.
fn serve(root: PathBuf, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let (cut, path) = match path.strip_prefix("/cut") {
                Some(rest) => (true, rest.to_owned()),
                None => (false, path),
            };
            let file = root.join(path.trim_start_matches('/').replace("%20", " "));
            match std::fs::read(&file) {
                Ok(bytes) => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        bytes.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let body = if cut {
                        &bytes[..bytes.len() / 2]
                    } else {
                        &bytes[..]
                    };
                    let _ = stream.write_all(body);
                }
                Err(_) => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
            }
        }
    });
    format!("http://{addr}")
}

#[test]
fn update_downloads_replaces_and_survives_interruption() {
    let Some(osv) = osv_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = Database::at(dir.path().join("db"));
    let url = serve(osv.clone(), 4);
    let ecos = vec!["crates.io".to_owned(), "npm".to_owned()];
    let report = db.update(&ecos, &url, &options()).unwrap();
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let crates = entries_in_zip(&osv.join("crates.io/all.zip"));
    assert_eq!(report.ecosystems["crates.io"].records, crates);
    assert_eq!(
        report.ecosystems["crates.io"].sources,
        [format!("{url}/crates.io/all.zip")]
    );
    let before = std::fs::read(db.dir().join("crates.io.osvdb")).unwrap();

    // An interrupted download and a missing export leave the stored records exactly as they were.
    let cut = db
        .update(&["crates.io".to_owned()], &format!("{url}/cut"), &options())
        .unwrap();
    assert!(cut.has_errors());
    assert!(
        cut.diagnostics[0].message.contains("unchanged"),
        "{:?}",
        cut.diagnostics
    );
    let missing = db.update(&["Nope".to_owned()], &url, &options()).unwrap();
    assert!(missing.has_errors());
    assert_eq!(
        std::fs::read(db.dir().join("crates.io.osvdb")).unwrap(),
        before
    );
    let names: Vec<_> = std::fs::read_dir(db.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, ["crates.io.osvdb", "npm.osvdb"]);
}

#[test]
fn update_replaces_wholesale_while_import_adds() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("npm")).unwrap();
    let record = |id: &str| {
        serde_json::json!({"id": id, "modified": "2024-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]})
        .to_string()
    };
    std::fs::write(src.join("a.json"), record("GHSA-aaaa-aaaa-aaaa")).unwrap();
    let db = Database::at(dir.path().join("db"));
    db.import(&[src.join("a.json")], &options()).unwrap();

    // An export holding only another record: update replaces, so the first one disappears.
    let zip_path = src.join("npm/all.zip");
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        w.start_file(
            "GHSA-bbbb-bbbb-bbbb.json",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(record("GHSA-bbbb-bbbb-bbbb").as_bytes())
            .unwrap();
        w.finish().unwrap();
    }
    let added = db
        .import(std::slice::from_ref(&zip_path), &options())
        .unwrap();
    assert_eq!(added.ecosystems["npm"].records, 2);
    let url = serve(src.clone(), 1);
    let replaced = db.update(&["npm".to_owned()], &url, &options()).unwrap();
    assert_eq!(replaced.ecosystems["npm"].records, 1);
    let f = StoreFile::open(&db.dir().join("npm.osvdb")).unwrap();
    assert_eq!(f.id(0), Some("GHSA-bbbb-bbbb-bbbb"));
}
