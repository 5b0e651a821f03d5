//! How a declared licence string is written: an SPDX id, an SPDX expression, or free text.

/// What a raw declared licence is, in SPDX terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Declared<'a> {
    /// A license-list id, exactly as the list spells it (`MIT`).
    Id(&'a str),
    /// A valid SPDX expression that is not a single list id (`MIT OR Apache-2.0`, `LicenseRef-x`).
    Expression(&'a str),
    /// Anything else (`Apache 2`, `see LICENSE`).
    Text(&'a str),
}

pub(crate) fn classify(raw: &str) -> Declared<'_> {
    let raw = raw.trim();
    if let Some(id) = spdx::license_id(raw)
        && id.name == raw
    {
        return Declared::Id(raw);
    }
    if !raw.is_empty() && spdx::Expression::parse(raw).is_ok() {
        return Declared::Expression(raw);
    }
    Declared::Text(raw)
}

/// A `LicenseRef-` id for free licence text: the sanitised text, plus a short hash so two texts
/// that sanitise alike stay apart.
pub(crate) fn license_ref(text: &str) -> String {
    use sha2::Digest;
    let mut s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    let digest = sha2::Sha256::digest(text.as_bytes());
    let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    s.push('-');
    s.push_str(&short);
    format!("LicenseRef-{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        assert_eq!(classify("MIT"), Declared::Id("MIT"));
        assert_eq!(
            classify("MIT OR Apache-2.0"),
            Declared::Expression("MIT OR Apache-2.0")
        );
        assert_eq!(
            classify("LicenseRef-foo"),
            Declared::Expression("LicenseRef-foo")
        );
        assert_eq!(classify("Apache 2"), Declared::Text("Apache 2"));
        assert_eq!(classify("mit"), Declared::Text("mit"));
        assert_eq!(classify(""), Declared::Text(""));
        let r = license_ref("Apache 2");
        assert!(r.starts_with("LicenseRef-Apache-2-"), "{r}");
        assert_ne!(r, license_ref("Apache/2"));
    }
}
