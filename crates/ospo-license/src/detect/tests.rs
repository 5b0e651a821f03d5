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
fn utf16_licence_files_are_text() {
    let d = Detector::new();
    let mut le = vec![0xFF, 0xFE];
    le.extend(text("MIT").encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text("MIT").encode_utf16().flat_map(u16::to_be_bytes));
    for bytes in [le, be] {
        let r = d.detect_bytes(Path::new("LICENSE.txt"), &bytes);
        assert_eq!(r.licenses.len(), 1, "{r:?}");
        assert_eq!(r.licenses[0].expression, "MIT");
    }
}

#[test]
fn only_the_first_max_bytes_are_read() {
    let filler = "x ".repeat(MAX_BYTES / 2);
    let late = format!("{filler}\n{}", text("MIT"));
    assert!(detect("README", &late).licenses.is_empty());
    let early = format!("{}\n{filler}", text("MIT"));
    assert_eq!(detect("README", &early).licenses.len(), 1);
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

#[test]
fn mit_then_apache_in_one_license_file() {
    let mit = text("MIT");
    let apache = text("Apache-2.0");
    let t = format!("This project is dual licensed.\n\n{mit}\n\n-----\n\n{apache}");
    let r = detect("LICENSE", &t);
    let got = exprs(&r);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].0, got[0].1), ("MIT", MatchKind::Text));
    assert_eq!((got[1].0, got[1].1), ("Apache-2.0", MatchKind::Text));
    let mit_lines = u32::try_from(mit.lines().count()).expect("small");
    // MIT starts on line 3 and ends before the separator; Apache follows it.
    assert_eq!(got[0].2, 3);
    assert!(
        got[0].3 >= mit_lines && got[0].3 < 3 + mit_lines + 1,
        "{got:?}"
    );
    assert!(got[1].2 > got[0].3 + 2, "{got:?}");
    assert!(r.licenses.iter().all(|m| m.confidence > 0.95), "{r:?}");
}

const BSD3_ACME: &str = "Copyright (c) 2019, Acme Corporation\nAll rights reserved.\n\nRedistribution and use in source and binary forms, with or without\nmodification, are permitted provided that the following conditions are met:\n\n* Redistributions of source code must retain the above copyright notice, this\n  list of conditions and the following disclaimer.\n\n* Redistributions in binary form must reproduce the above copyright notice,\n  this list of conditions and the following disclaimer in the documentation\n  and/or other materials provided with the distribution.\n\n* Neither the name of Acme Corporation nor the names of its\n  contributors may be used to endorse or promote products derived from\n  this software without specific prior written permission.\n\nTHIS SOFTWARE IS PROVIDED BY ACME CORPORATION AND CONTRIBUTORS \"AS IS\"\nAND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE\nIMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE\nDISCLAIMED. IN NO EVENT SHALL ACME CORPORATION OR CONTRIBUTORS BE LIABLE\nFOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL\nDAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR\nSERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER\nCAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,\nOR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE\nOF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.\n";

#[test]
fn readme_with_embedded_bsd3_naming_an_organisation() {
    let t = format!(
        "# Widget\n\nA library for widgets.\n\n## Usage\n\nCall `widget()` and be happy.\n\n## License\n\n{BSD3_ACME}"
    );
    let r = detect("README.md", &t);
    assert_eq!(
        exprs(&r),
        [("BSD-3-Clause", MatchKind::Text, 11, 37)],
        "{r:?}"
    );
    assert!(r.licenses[0].confidence > 0.9, "{r:?}");
    assert_eq!(
        r.copyrights[0].statement,
        "Copyright (c) 2019, Acme Corporation"
    );
    assert_eq!(r.copyrights[0].line, 11);
}

#[test]
fn bsd2_and_bsd3_are_told_apart() {
    // Without the third ("Neither the name…") clause it is BSD-2-Clause.
    let start = BSD3_ACME.find("* Neither").expect("clause");
    let end = BSD3_ACME.find("THIS SOFTWARE").expect("disclaimer");
    let bsd2 = format!("{}{}", &BSD3_ACME[..start], &BSD3_ACME[end..]);
    let r = detect("LICENSE", &bsd2);
    assert_eq!(r.licenses.len(), 1, "{r:?}");
    assert_eq!(r.licenses[0].expression, "BSD-2-Clause");
}

#[test]
fn mit_and_mit0_are_told_apart() {
    let r = detect("LICENSE", text("MIT-0"));
    assert_eq!(exprs(&r).first().map(|m| m.0), Some("MIT-0"), "{r:?}");
    let r = detect("LICENSE", text("MIT"));
    assert_eq!(exprs(&r).first().map(|m| m.0), Some("MIT"), "{r:?}");
}

#[test]
fn apache_header_in_a_java_file() {
    let t = "/*\n * Copyright 2018 Example Inc.\n *\n * Licensed under the Apache License, Version 2.0 (the \"License\");\n * you may not use this file except in compliance with the License.\n * You may obtain a copy of the License at\n *\n *      http://www.apache.org/licenses/LICENSE-2.0\n *\n * Unless required by applicable law or agreed to in writing, software\n * distributed under the License is distributed on an \"AS IS\" BASIS,\n * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\n * See the License for the specific language governing permissions and\n * limitations under the License.\n */\npackage com.example;\n\npublic final class Main {\n    public static void main(String[] args) {}\n}\n";
    let r = detect("src/Main.java", t);
    assert_eq!(
        exprs(&r),
        [("Apache-2.0", MatchKind::Header, 2, 14)],
        "{r:?}"
    );
    assert!(r.licenses[0].confidence > 0.95);
    assert_eq!(r.copyrights[0].statement, "Copyright 2018 Example Inc.");
}

const GPL2_LATER_HEADER: &str = "/*\n * foo.c - a frobnicator\n * Copyright (C) 2004 Jane Hacker\n *\n * This program is free software; you can redistribute it and/or modify\n * it under the terms of the GNU General Public License as published by\n * the Free Software Foundation; either version 2 of the License, or\n * (at your option) any later version.\n *\n * This program is distributed in the hope that it will be useful,\n * but WITHOUT ANY WARRANTY; without even the implied warranty of\n * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n * GNU General Public License for more details.\n *\n * You should have received a copy of the GNU General Public License\n * along with this program; if not, write to the Free Software\n * Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA.\n */\n#include <stdio.h>\n";

#[test]
fn gpl2_or_later_header_versus_gpl2_only() {
    let r = detect("foo.c", GPL2_LATER_HEADER);
    assert_eq!(
        exprs(&r),
        [("GPL-2.0-or-later", MatchKind::Header, 3, 17)],
        "{r:?}"
    );
    let only = GPL2_LATER_HEADER.replace(
        "either version 2 of the License, or\n * (at your option) any later version.",
        "version 2.",
    );
    let r = detect("foo.c", &only);
    assert_eq!(
        exprs(&r).first().map(|m| m.0),
        Some("GPL-2.0-only"),
        "{r:?}"
    );
}

#[test]
fn gpl_text_with_the_classpath_exception() {
    let t = format!(
        "{}\n\n\"CLASSPATH\" EXCEPTION TO THE GPL\n\n{}",
        text("GPL-2.0-only"),
        text("Classpath-exception-2.0")
    );
    let r = detect("LICENSE", &t);
    let got = exprs(&r);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "GPL-2.0-only WITH Classpath-exception-2.0");
    assert_eq!(got[0].2, 1);
    assert!(r.licenses[0].confidence > 0.95, "{r:?}");
}

#[test]
fn spdx_tags_are_reported() {
    let t = "// SPDX-License-Identifier: MIT OR Apache-2.0\n// SPDX-License-Identifier: Not A Licence\nfn main() {}\n";
    let r = detect("src/main.rs", t);
    assert_eq!(
        exprs(&r),
        [
            ("MIT OR Apache-2.0", MatchKind::SpdxTag, 1, 1),
            (
                "LicenseRef-ospo-unknown-Not-A-Licence",
                MatchKind::SpdxTag,
                2,
                2
            )
        ]
    );
}

#[test]
fn rust_dual_licence_references() {
    let readme = "## License\n\nLicensed under either of\n\n * Apache License, Version 2.0\n   ([LICENSE-APACHE](LICENSE-APACHE) or http://www.apache.org/licenses/LICENSE-2.0)\n * MIT license\n   ([LICENSE-MIT](LICENSE-MIT) or http://opensource.org/licenses/MIT)\n\nat your option.\n";
    let r = detect("README.md", readme);
    assert_eq!(
        exprs(&r),
        [("Apache-2.0 OR MIT", MatchKind::Reference, 3, 10)],
        "{r:?}"
    );
    let header = "// Copyright 2015 The Rust Project Developers.\n//\n// Licensed under the Apache License, Version 2.0 <LICENSE-APACHE or\n// http://www.apache.org/licenses/LICENSE-2.0> or the MIT license\n// <LICENSE-MIT or http://opensource.org/licenses/MIT>, at your\n// option. This file may not be copied, modified, or distributed\n// except according to those terms.\n";
    let r = detect("src/lib.rs", header);
    assert_eq!(
        exprs(&r),
        [("Apache-2.0 OR MIT", MatchKind::Reference, 3, 6)],
        "{r:?}"
    );
}

#[test]
fn plain_code_has_no_licence() {
    let t = "fn main() {\n    // the licence check is done elsewhere; copyright is a word\n    println!(\"MIT and Apache are names\");\n}\n";
    assert_eq!(detect("src/main.rs", t), FileLicenses::default());
}

#[test]
fn whole_gnu_texts_are_reported_as_only() {
    // The list's -only and -or-later texts are identical; "or later" comes from a header.
    let r = detect("COPYING", text("GPL-3.0-or-later"));
    assert_eq!(
        exprs(&r).first().map(|m| m.0),
        Some("GPL-3.0-only"),
        "{r:?}"
    );
}

#[test]
fn list_data_and_helpers() {
    assert_eq!(SPDX_LIST_VERSION, "3.29.0");
    assert_eq!(license_name("MIT"), Some("MIT License"));
    assert!(license_text("Apache-2.0").is_some_and(|t| t.contains("TERMS AND CONDITIONS")));
    assert_eq!(license_text("No-Such-Licence"), None);
    assert_eq!(deprecated_replacement("GPL-2.0+"), Some("GPL-2.0-or-later"));
    assert_eq!(deprecated_replacement("MIT"), None);
    assert!(is_license_file("LICENSE-MIT") && is_license_file("copying.txt"));
    assert!(!is_license_file("main.rs"));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
            let _ = Detector::new().detect(Path::new("x"), &s);
        }

        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = Detector::new().detect_bytes(Path::new("x"), &b);
        }

        #[test]
        fn licence_words_shuffled_never_panic(words in proptest::collection::vec(
            prop::sample::select(vec!["copyright", "(c)", "2020", "license", "MIT", "the", "of",
                "Permission", "is", "hereby", "granted", "\n", "SPDX-License-Identifier:", "//",
                "<<var;", ">>", "©", "GPL", "version", "2", "any", "later", "or"]), 0..300)) {
            let _ = Detector::new().detect(Path::new("x"), &words.join(" "));
        }
    }
}

#[test]
fn a_licence_file_holding_only_an_expression() {
    let r = detect("LICENSE", "MIT OR Apache-2.0");
    assert_eq!(
        exprs(&r),
        [("MIT OR Apache-2.0", MatchKind::Reference, 1, 1)]
    );
    // Elsewhere a bare expression is not a licence statement.
    assert!(detect("notes.txt", "MIT OR Apache-2.0").licenses.is_empty());
}

#[test]
fn lgpl3_headers_are_not_taken_for_gpl_or_agpl() {
    let header = "# lazr.restfulclient is free software: you can redistribute it and/or modify\n# it under the terms of the GNU Lesser General Public License as\n# published by the Free Software Foundation, either version 3 of the\n# License, or (at your option) any later version.\n#\n# lazr.restfulclient is distributed in the hope that it will be useful, but\n# WITHOUT ANY WARRANTY; without even the implied warranty of\n# MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU\n# Lesser General Public License for more details.\n#\n# You should have received a copy of the GNU Lesser General Public\n# License along with lazr.restfulclient.  If not, see\n# <http://www.gnu.org/licenses/>.\n";
    let r = detect("oauth.py", header);
    assert_eq!(
        exprs(&r),
        [("LGPL-3.0-or-later", MatchKind::Header, 1, 12)],
        "{r:?}"
    );
}

#[test]
fn one_occurrence_does_not_swallow_others() {
    // Several BSD and MIT texts in a row: a loose match spanning them all (NCSA shares words
    // with both) must not hide them.
    let t = format!("{BSD3_ACME}\n\n{BSD3_ACME}\n\n{}\n", text("MIT"));
    let r = detect("LICENSE", &t);
    let got: Vec<&str> = r.licenses.iter().map(|m| m.expression.as_str()).collect();
    assert_eq!(got, ["BSD-3-Clause", "BSD-3-Clause", "MIT"], "{r:?}");
}

#[test]
fn triple_licence_header_with_links() {
    let t = "// Copyright 2024 The Fuchsia Authors\n//\n// Licensed under the 2-Clause BSD License <LICENSE-BSD or\n// https://opensource.org/license/bsd-2-clause>, Apache License, Version 2.0\n// <LICENSE-APACHE or https://www.apache.org/licenses/LICENSE-2.0>, or the MIT\n// license <LICENSE-MIT or https://opensource.org/licenses/MIT>, at your option.\n// This file may not be copied, modified, or distributed except according to\n// those terms.\n";
    let r = detect("macros.rs", t);
    assert_eq!(
        exprs(&r),
        [(
            "BSD-2-Clause OR Apache-2.0 OR MIT",
            MatchKind::Reference,
            3,
            6
        )],
        "{r:?}"
    );
}

#[test]
fn short_references() {
    for (text, expr) in [
        (
            " * Licensed under the MIT License. See License.txt in the project root.",
            "MIT",
        ),
        ("Released under the MIT license.", "MIT"),
        (
            "This code is released under the terms of the MIT license.",
            "MIT",
        ),
        (
            "# Licensed to the Python Software Foundation under a contributor agreement.",
            "Python-2.0",
        ),
        (
            "    :copyright: Copyright 2006 by the Pygments team.\n    :license: BSD, see LICENSE for details.",
            "BSD-3-Clause",
        ),
    ] {
        let r = detect("x.py", text);
        assert_eq!(
            r.licenses
                .iter()
                .map(|m| m.expression.as_str())
                .collect::<Vec<_>>(),
            [expr],
            "{text}"
        );
    }
}
