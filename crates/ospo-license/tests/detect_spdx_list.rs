//! Every licence and exception text of the SPDX list is detected as its own id.

use std::path::{Path, PathBuf};

use ospo_license::detect::{Detector, MatchKind, deprecated_replacement};

fn data_dir() -> Option<PathBuf> {
    let root = std::env::var_os("OSPO_TEST_DATA")
        .map_or_else(|| PathBuf::from("/work/shared/data"), PathBuf::from);
    let dir = root.join("spdx").join("text");
    dir.is_dir().then_some(dir)
}

#[test]
fn every_list_text_is_detected_as_itself() {
    let Some(dir) = data_dir() else {
        eprintln!("skipped: no SPDX texts (set OSPO_TEST_DATA to the folder holding spdx/text)");
        return;
    };
    let detector = Detector::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read spdx/text")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut wrong = Vec::new();
    for path in &files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let (id, deprecated) = match stem.strip_prefix("deprecated_") {
            Some(id) => (id, true),
            None => (stem, false),
        };
        let text = std::fs::read_to_string(path).expect("read text");
        let r = detector.detect(Path::new("LICENSE"), &text);
        // Tags inside a licence text (CAL-1.0 shows its own) are not what is tested here.
        let got: Vec<&str> = r
            .licenses
            .iter()
            .filter(|m| m.kind != MatchKind::SpdxTag)
            .map(|m| m.expression.as_str())
            .collect();
        let ok = got.len() == 1
            && (got[0] == id || (deprecated && Some(got[0]) == deprecated_replacement(id)));
        if !ok {
            wrong.push(format!(
                "{stem}: {:?}",
                r.licenses
                    .iter()
                    .map(|m| (m.expression.as_str(), m.confidence))
                    .collect::<Vec<_>>()
            ));
        }
    }
    eprintln!("{} texts, {} wrong", files.len(), wrong.len());
    for w in &wrong {
        eprintln!("  {w}");
    }
    assert!(wrong.is_empty());
}
