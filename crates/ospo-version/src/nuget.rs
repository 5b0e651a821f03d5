//! NuGet versions: `NuGet.Versioning.NuGetVersion` with `VersionComparer.Default`.
//!
//! One to four numeric parts (`1`, `1.2`, `1.2.3`, `1.2.3.4`; missing parts are zero, leading
//! zeros allowed, each at most 2^31 − 1), an optional pre-release of dot-separated labels and
//! optional build metadata, which is ignored. Labels compare one by one: numeric labels (those
//! `int.TryParse` reads) numerically and below text labels, text labels case-insensitively
//! (ordinal, upper-cased), a longer label list above its prefix; a release sorts above its
//! pre-releases. No .NET runtime is available where the vectors are made, so the NuGet vectors
//! are hand-written from the documented rules (see the vector file's header).

use std::cmp::Ordering;

/// A NuGet version without its metadata.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NuGetVersion {
    parts: [u32; 4],
    labels: Vec<Label>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Label {
    Num(u32),
    /// Upper-cased, as OrdinalIgnoreCase compares.
    Text(Box<str>),
}

impl Label {
    fn new(s: &str) -> Label {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            // int.TryParse: leading zeros are fine, values above int.MaxValue are text.
            let t = s.trim_start_matches('0');
            if t.len() <= 10
                && let Ok(n) = if t.is_empty() {
                    Ok(0)
                } else {
                    t.parse::<u32>()
                }
                && n <= i32::MAX as u32
            {
                return Label::Num(n);
            }
        }
        Label::Text(s.to_ascii_uppercase().into())
    }
}

impl Ord for Label {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Label::Num(a), Label::Num(b)) => a.cmp(b),
            (Label::Num(_), Label::Text(_)) => Ordering::Less,
            (Label::Text(_), Label::Num(_)) => Ordering::Greater,
            (Label::Text(a), Label::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
        }
    }
}
impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl NuGetVersion {
    pub fn parse(s: &str) -> Result<NuGetVersion, String> {
        let (main, metadata) = match s.split_once('+') {
            Some((m, b)) => (m, Some(b)),
            None => (s, None),
        };
        let (core, pre) = match main.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (main, None),
        };
        let mut parts = [0u32; 4];
        let nums: Vec<&str> = core.split('.').collect();
        if nums.len() > 4 {
            return Err("more than four numeric parts".to_owned());
        }
        for (slot, n) in parts.iter_mut().zip(&nums) {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{n}` is not a number"));
            }
            let t = n.trim_start_matches('0');
            let value = if t.is_empty() {
                0
            } else if t.len() > 10 {
                u64::MAX
            } else {
                t.parse::<u64>().unwrap_or(u64::MAX)
            };
            if value > i32::MAX as u64 {
                return Err(format!("`{n}` is larger than 2147483647"));
            }
            // Checked above: at most i32::MAX.
            *slot = value as u32;
        }
        let mut labels = Vec::new();
        if let Some(p) = pre {
            crate::semver::check_idents(p, "pre-release")?;
            labels = p.split('.').map(Label::new).collect();
        }
        if let Some(m) = metadata {
            crate::semver::check_idents(m, "metadata")?;
        }
        Ok(NuGetVersion { parts, labels })
    }

    pub fn is_prerelease(&self) -> bool {
        !self.labels.is_empty()
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.labels.cmp(&other.labels),
            }
        })
    }
}
impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> NuGetVersion {
        NuGetVersion::parse(s).unwrap()
    }

    #[test]
    fn normalisation() {
        assert_eq!(p("1"), p("1.0.0.0"));
        assert_eq!(p("1.01.1"), p("1.1.1"));
        assert_eq!(p("1.0.0+abc"), p("1.0.0"));
        assert_eq!(p("1.0.0-BETA"), p("1.0.0-beta"));
        assert_eq!(p("1.0.0-01"), p("1.0.0-1"));
    }

    #[test]
    fn ordering() {
        let chain = [
            "1.0.0-1",
            "1.0.0-2",
            "1.0.0-10",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-Beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.0.1",
            "1.0.1",
        ];
        for w in chain.windows(2) {
            assert!(p(w[0]) < p(w[1]), "{} < {}", w[0], w[1]);
        }
        // Above int.MaxValue a numeric-looking label is text.
        assert!(p("1.0.0-99999999999") > p("1.0.0-2"));
        assert!(p("1.0.0-99999999999") < p("1.0.0-a"));
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "1.2.3.4.5",
            "a",
            "1.-1",
            "1.0-",
            "1.0+",
            "1.0-a..b",
            "2147483648.0",
            "1.0 ",
        ] {
            assert!(NuGetVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
