//! `ospo rules list`: every rule ospo reports, from the registry.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::Status;
use crate::cli::ListFormat;
use crate::output::emit;

pub fn list(format: ListFormat) -> anyhow::Result<Status> {
    let rules = ospo_policy::rules::all();
    let text = match format {
        ListFormat::Json => {
            let rows: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "severity": r.severity,
                        "category": r.category,
                        "summary": r.summary,
                        "documentation": r.documentation(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows)?
        }
        ListFormat::Markdown => ospo_policy::docs::rules_markdown(),
        ListFormat::Table => {
            let mut table = Table::new();
            table
                .load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(["code", "severity", "category", "summary"]);
            for r in rules {
                table.add_row([r.code, r.severity.as_str(), r.category.title(), r.summary]);
            }
            table.to_string()
        }
    };
    emit(None, &text)?;
    Ok(Status::Clean)
}
