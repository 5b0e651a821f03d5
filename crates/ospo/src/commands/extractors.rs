//! `ospo extractors list`.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use ospo_inventory::REGISTRY;

use super::Status;
use crate::cli::ListFormat;
use crate::output::emit;

pub fn list(format: ListFormat) -> anyhow::Result<Status> {
    let text = match format {
        ListFormat::Json => {
            let rows: Vec<_> = REGISTRY
                .iter()
                .map(|e| serde_json::json!({"id": e.id(), "ecosystem": e.ecosystem(), "files": e.files()}))
                .collect();
            serde_json::to_string_pretty(&rows)?
        }
        ListFormat::Table => {
            let mut table = Table::new();
            table
                .load_preset(UTF8_FULL_CONDENSED)
                .set_header(["id", "ecosystem", "reads"]);
            for e in REGISTRY {
                table.add_row([e.id(), e.ecosystem().osv_name(), e.files()]);
            }
            table.to_string()
        }
    };
    emit(None, &text)?;
    Ok(Status::Clean)
}
