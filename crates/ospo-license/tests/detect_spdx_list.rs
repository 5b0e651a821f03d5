//! Every licence and exception text of the SPDX list (826 in list 3.29.0) is detected as its own
//! id, except the 40 that the list itself makes indistinguishable, listed below with the reason
//! and the id reported instead. Texts come from `$OSPO_TEST_DATA/spdx/text` (default
//! /work/shared/data/spdx/text); the test is skipped with a message when they are missing.

use std::path::{Path, PathBuf};

use ospo_license::detect::{Detector, MatchKind, deprecated_replacement};

/// Texts the list makes identical to another id's (after the SPDX matching guidelines):
/// (file stem, id reported, why).
const INDISTINGUISHABLE: &[(&str, &str, &str)] = &[
    // The GNU licences' -only and -or-later entries have the same text: "or later" is said in
    // a header or a tag, never by the licence text. A whole text is reported as -only (so does
    // ScanCode).
    ("AGPL-1.0-or-later", "AGPL-1.0-only", GNU),
    ("AGPL-3.0-or-later", "AGPL-3.0-only", GNU),
    ("GPL-1.0-or-later", "GPL-1.0-only", GNU),
    ("GPL-2.0-or-later", "GPL-2.0-only", GNU),
    ("GPL-3.0-or-later", "GPL-3.0-only", GNU),
    ("LGPL-2.0-or-later", "LGPL-2.0-only", GNU),
    ("LGPL-2.1-or-later", "LGPL-2.1-only", GNU),
    ("LGPL-3.0-or-later", "LGPL-3.0-only", GNU),
    ("deprecated_GPL-1.0+", "GPL-1.0-only", GNU),
    ("deprecated_GPL-2.0+", "GPL-2.0-only", GNU),
    ("deprecated_GPL-3.0+", "GPL-3.0-only", GNU),
    ("deprecated_LGPL-2.0+", "LGPL-2.0-only", GNU),
    ("deprecated_LGPL-2.1+", "LGPL-2.1-only", GNU),
    ("deprecated_LGPL-3.0+", "LGPL-3.0-only", GNU),
    // GFDL: whether there are invariant sections, and "or later", is said in the notice that
    // applies the licence, not in its text: six ids per version share one text.
    ("GFDL-1.1-invariants-only", "GFDL-1.1-only", GFDL),
    ("GFDL-1.1-invariants-or-later", "GFDL-1.1-only", GFDL),
    ("GFDL-1.1-no-invariants-only", "GFDL-1.1-only", GFDL),
    ("GFDL-1.1-no-invariants-or-later", "GFDL-1.1-only", GFDL),
    ("GFDL-1.1-or-later", "GFDL-1.1-only", GFDL),
    ("GFDL-1.2-invariants-only", "GFDL-1.2-only", GFDL),
    ("GFDL-1.2-invariants-or-later", "GFDL-1.2-only", GFDL),
    ("GFDL-1.2-no-invariants-only", "GFDL-1.2-only", GFDL),
    ("GFDL-1.2-no-invariants-or-later", "GFDL-1.2-only", GFDL),
    ("GFDL-1.2-or-later", "GFDL-1.2-only", GFDL),
    ("GFDL-1.3-invariants-only", "GFDL-1.3-only", GFDL),
    ("GFDL-1.3-invariants-or-later", "GFDL-1.3-only", GFDL),
    ("GFDL-1.3-no-invariants-only", "GFDL-1.3-only", GFDL),
    ("GFDL-1.3-no-invariants-or-later", "GFDL-1.3-only", GFDL),
    ("GFDL-1.3-or-later", "GFDL-1.3-only", GFDL),
    // OFL: whether a Reserved Font Name is declared is in the copyright notice, not the text.
    ("OFL-1.0-RFN", "OFL-1.0", OFL),
    ("OFL-1.0-no-RFN", "OFL-1.0", OFL),
    ("OFL-1.1-RFN", "OFL-1.1", OFL),
    ("OFL-1.1-no-RFN", "OFL-1.1", OFL),
    // Same text, told apart only by the notice (Exhibit B / the combined-work notice).
    ("MPL-2.0-no-copyleft-exception", "MPL-2.0", NOTICE),
    ("CAL-1.0-Combined-Work-Exception", "CAL-1.0", NOTICE),
    // Two list entries with the same text.
    ("OLDAP-1.1", "NBPL-1.0", SAME),
    // Deprecated "licence with exception" ids whose list text is the exception's text alone
    // (or a deprecated exception identical to its successor).
    (
        "deprecated_GPL-2.0-with-bison-exception",
        "Bison-exception-2.2",
        ONLY_EXCEPTION,
    ),
    (
        "deprecated_GPL-3.0-with-GCC-exception",
        "GCC-exception-3.1",
        ONLY_EXCEPTION,
    ),
    (
        "deprecated_wxWindows",
        "WxWindows-exception-3.1",
        ONLY_EXCEPTION,
    ),
    (
        "deprecated_Nokia-Qt-exception-1.1",
        "Qt-LGPL-exception-1.1",
        ONLY_EXCEPTION,
    ),
];

const GNU: &str = "GNU -only and -or-later share one text";
const GFDL: &str = "GFDL variants share one text";
const OFL: &str = "OFL RFN variants share one text";
const NOTICE: &str = "told apart by a notice, not the text";
const SAME: &str = "identical texts in the list";
const ONLY_EXCEPTION: &str = "the deprecated entry's text is only the exception";

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
    assert_eq!(
        files.len(),
        826,
        "SPDX list 3.29.0 has 740 licences and 86 exceptions"
    );
    let mut wrong = Vec::new();
    let mut indistinguishable = 0;
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
        let listed = INDISTINGUISHABLE.iter().find(|(s, _, _)| *s == stem);
        let ok = match listed {
            Some((_, instead, _)) => {
                indistinguishable += 1;
                got == [*instead]
            }
            None => {
                got.len() == 1
                    && (got[0] == id || (deprecated && Some(got[0]) == deprecated_replacement(id)))
            }
        };
        let confident = r.licenses.iter().all(|m| m.confidence >= 0.95);
        if !ok || !confident {
            wrong.push(format!(
                "{stem}: {:?}",
                r.licenses
                    .iter()
                    .map(|m| (m.expression.as_str(), m.confidence))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert_eq!(
        indistinguishable,
        INDISTINGUISHABLE.len(),
        "a listed file is missing"
    );
    assert_eq!(INDISTINGUISHABLE.len(), 40);
    assert!(
        wrong.is_empty(),
        "{} of {} texts not detected as listed:\n{}",
        wrong.len(),
        files.len(),
        wrong.join("\n")
    );
}
