//! The JSON report: the [`CheckReport`] as is, pretty-printed, with a trailing newline.

use crate::CheckReport;

pub fn render(report: &CheckReport) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}
