//! Severity: a base score computed from the record's CVSS vectors (v2, v3.0, v3.1, v4.0), or the
//! database's own rating where no vector is given.
//!
//! The newest CVSS version present wins (v4 over v3.1 over v3.0 over v2), per-package vectors
//! before the record's; ratings are CVSS's qualitative scale (v2 has no Critical).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::record::{Advisory, AffectedPackage, SeverityEntry};

/// A qualitative severity, ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Neither a vector nor a rating says.
    Unknown,
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::None => "none",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// A rating as databases write it (`MODERATE` is GitHub's word for medium).
    pub fn from_rating(s: &str) -> Option<Severity> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "none" => Severity::None,
            "low" | "negligible" => Severity::Low,
            "medium" | "moderate" => Severity::Medium,
            "high" | "important" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }

    /// The CVSS v3/v4 qualitative rating of a base score.
    pub fn from_score(score: f64) -> Severity {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::None
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Severity, String> {
        match s.to_ascii_lowercase().as_str() {
            "unknown" => Ok(Severity::Unknown),
            other => Severity::from_rating(other).ok_or_else(|| {
                format!("`{s}` is not a severity (none, low, medium, high, critical, unknown)")
            }),
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The severity of an advisory for one affected package, with what it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rated {
    pub severity: Severity,
    /// The computed base score, when a vector gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The vector or rating used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
}

/// Rates an advisory for one of its affected packages.
pub fn rate(advisory: &Advisory, affected: Option<&AffectedPackage>) -> Rated {
    let entries = affected
        .map(|a| a.severity.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(&advisory.severity);
    let best = entries
        .filter_map(|e| score_entry(e).map(|(rank, score)| (rank, score, e)))
        .max_by_key(|(rank, _, _)| *rank);
    if let Some((_, score, entry)) = best {
        return Rated {
            severity: score.1,
            score: Some(score.0),
            vector: Some(entry.score.clone()),
        };
    }
    // A qualitative rating given as a severity entry (e.g. `Ubuntu`), then the database's own.
    let rating = affected
        .map(|a| a.severity.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(&advisory.severity)
        .find_map(|e| Severity::from_rating(&e.score).map(|s| (s, e.score.clone())))
        .or_else(|| {
            advisory
                .database_severity
                .as_deref()
                .and_then(|r| Severity::from_rating(r).map(|s| (s, r.to_owned())))
        });
    match rating {
        Some((severity, text)) => Rated {
            severity,
            score: None,
            vector: Some(text),
        },
        None => Rated {
            severity: Severity::Unknown,
            score: None,
            vector: None,
        },
    }
}

/// The base score of one entry and how preferred it is (newer CVSS versions rank higher).
fn score_entry(entry: &SeverityEntry) -> Option<(u8, (f64, Severity))> {
    let vector = entry.score.trim();
    match entry.kind.as_str() {
        "CVSS_V4" | "CVSS_V3" => {
            let cvss = cvss::Cvss::from_str(vector).ok()?;
            let rank = match cvss {
                cvss::Cvss::CvssV40(_) => 4,
                cvss::Cvss::CvssV31(_) => 3,
                _ => 2,
            };
            let score = cvss.score();
            Some((rank, (score, Severity::from_score(score))))
        }
        "CVSS_V2" => cvss2(vector).map(|s| (1, (s, cvss2_rating(s)))),
        _ => None,
    }
}

/// CVSS v2 base score (FIRST's CVSS v2 guide, section 3.2.1).
pub fn cvss2(vector: &str) -> Option<f64> {
    let mut av: Option<f64> = None;
    let mut ac = None;
    let mut au = None;
    let mut cia: [Option<f64>; 3] = [None; 3];
    for part in vector
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split('/')
    {
        let (k, v) = part.split_once(':')?;
        match (k, v) {
            ("AV", "L") => av = Some(0.395),
            ("AV", "A") => av = Some(0.646),
            ("AV", "N") => av = Some(1.0),
            ("AC", "H") => ac = Some(0.35),
            ("AC", "M") => ac = Some(0.61),
            ("AC", "L") => ac = Some(0.71),
            ("Au", "M") => au = Some(0.45),
            ("Au", "S") => au = Some(0.56),
            ("Au", "N") => au = Some(0.704),
            ("C" | "I" | "A", level) => {
                let i = match k {
                    "C" => 0,
                    "I" => 1,
                    _ => 2,
                };
                cia[i] = Some(match level {
                    "N" => 0.0,
                    "P" => 0.275,
                    "C" => 0.660,
                    _ => return None,
                });
            }
            // Temporal and environmental metrics do not change the base score.
            ("E" | "RL" | "RC" | "CDP" | "TD" | "CR" | "IR" | "AR", _) => {}
            _ => return None,
        }
    }
    let (c, i, a) = (cia[0]?, cia[1]?, cia[2]?);
    let impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
    let exploitability = 20.0 * av? * ac? * au?;
    let f = if impact == 0.0 { 0.0 } else { 1.176 };
    let base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
    Some((base * 10.0).round() / 10.0)
}

/// NVD's v2 rating: low below 4, medium below 7, high from 7 (no critical).
fn cvss2_rating(score: f64) -> Severity {
    if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisory(severity: &[(&str, &str)], db: Option<&str>) -> Advisory {
        Advisory {
            id: "X-1".into(),
            aliases: vec![],
            related: vec![],
            summary: String::new(),
            details: String::new(),
            published: None,
            modified: None,
            withdrawn: None,
            severity: severity
                .iter()
                .map(|(k, s)| SeverityEntry {
                    kind: (*k).into(),
                    score: (*s).into(),
                })
                .collect(),
            database_severity: db.map(str::to_owned),
            informational: None,
            references: vec![],
            affected: vec![],
        }
    }

    #[test]
    fn cvss2_scores_match_nvd() {
        // NVD's published v2 base scores for these vectors.
        assert_eq!(cvss2("AV:N/AC:L/Au:N/C:C/I:C/A:C"), Some(10.0));
        assert_eq!(cvss2("AV:N/AC:M/Au:N/C:P/I:P/A:P"), Some(6.8));
        assert_eq!(cvss2("AV:N/AC:L/Au:N/C:P/I:N/A:N"), Some(5.0));
        assert_eq!(cvss2("AV:L/AC:L/Au:N/C:N/I:N/A:P"), Some(2.1));
        assert_eq!(cvss2("AV:N/AC:L/Au:N/C:N/I:N/A:N"), Some(0.0));
        assert_eq!(
            cvss2("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF/RC:C"),
            Some(7.5)
        );
        assert_eq!(cvss2("AV:N/AC:L/Au:N/C:P/I:P"), None);
        assert_eq!(cvss2("AV:X/AC:L/Au:N/C:P/I:P/A:P"), None);
    }

    #[test]
    fn newest_vector_wins_then_rating_then_unknown() {
        let a = advisory(
            &[
                ("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:N/A:N"),
                ("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            ],
            Some("LOW"),
        );
        let r = rate(&a, None);
        assert_eq!(r.severity, Severity::Critical);
        assert_eq!(r.score, Some(9.8));
        let v4 = advisory(
            &[
                ("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                (
                    "CVSS_V4",
                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
                ),
            ],
            None,
        );
        let r = rate(&v4, None);
        assert_eq!(r.severity, Severity::Medium);
        assert_eq!(r.score, Some(6.9));
        let moderate = rate(&advisory(&[("CVSS_V3", "garbage")], Some("MODERATE")), None);
        assert_eq!(
            (moderate.severity, moderate.score),
            (Severity::Medium, None)
        );
        assert_eq!(rate(&advisory(&[], None), None).severity, Severity::Unknown);
        assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Unknown);
        assert_eq!("Moderate".parse::<Severity>(), Ok(Severity::Medium));
    }
}
