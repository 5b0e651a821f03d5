//! Hostile input never panics the OSV record reader, the VEX reader or severity scoring.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use proptest::prelude::*;

const RECORD: &str = r#"{"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-1"], "severity": [{"type": "CVSS_V3",
 "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}], "affected": [{"package": {"ecosystem": "npm",
 "name": "x"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}"#;

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = ospo_vuln::record::parse(&bytes);
        let _ = ospo_vuln::vex::read(Path::new("x.json"), &bytes);
    }

    #[test]
    fn corrupted_records_never_panic(cut in 0..RECORD.len(), at in 0..RECORD.len(), byte in any::<u8>()) {
        let mut bytes = RECORD.as_bytes().to_vec();
        bytes[at] = byte;
        bytes.truncate(cut.max(at + 1));
        if let Ok(c) = ospo_vuln::record::parse(&bytes) {
            let _ = ospo_vuln::severity::rate(&c.advisory, c.advisory.affected.first());
        }
    }

    #[test]
    fn arbitrary_cvss_vectors_never_panic(v in "[A-Za-z:/.0-9]{0,80}") {
        let _ = ospo_vuln::severity::cvss2(&v);
    }
}
