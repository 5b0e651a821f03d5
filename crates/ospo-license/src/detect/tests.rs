//! Detector tests on small realistic files.

use super::*;

fn detect(name: &str, text: &str) -> FileLicenses {
    Detector::new().detect(Path::new(name), text)
}

fn exprs(r: &FileLicenses) -> Vec<(&str, MatchKind, u32, u32)> {
    r.licenses
        .iter()
        .map(|m| (m.expression.as_str(), m.kind, m.start_line, m.end_line))
        .collect()
}

fn text(id: &str) -> &'static str {
    license_text(id).unwrap_or_else(|| panic!("{id} is in the list"))
}

#[test]
fn empty_and_binary_input() {
    assert_eq!(detect("LICENSE", ""), FileLicenses::default());
    let d = Detector::new();
    let mut bin = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
    bin.extend_from_slice(text("MIT").as_bytes());
    assert_eq!(
        d.detect_bytes(Path::new("a.so"), &bin),
        FileLicenses::default()
    );
    // Invalid UTF-8 is replaced, the licence is still found.
    let mut latin1 = b"Copyright (c) 2020 J\xfcrgen\n\n".to_vec();
    latin1.extend_from_slice(text("MIT").as_bytes());
    let r = d.detect_bytes(Path::new("LICENSE"), &latin1);
    assert_eq!(r.licenses.len(), 1, "{r:?}");
    assert_eq!(r.licenses[0].expression, "MIT");
}

#[test]
fn mit_with_another_holder_is_exact() {
    let t = "MIT License\n\nCopyright (c) 2021 Acme Widgets GmbH\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";
    let r = detect("LICENSE", t);
    assert_eq!(exprs(&r), [("MIT", MatchKind::Text, 1, 21)]);
    assert!(r.licenses[0].confidence > 0.99, "{r:?}");
    assert_eq!(r.copyrights.len(), 1);
    assert_eq!(
        r.copyrights[0].statement,
        "Copyright (c) 2021 Acme Widgets GmbH"
    );
    assert_eq!(r.copyrights[0].line, 3);
}
