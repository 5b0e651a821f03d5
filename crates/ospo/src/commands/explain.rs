//! `ospo explain CODE`: a rule's documentation (its doc comment in the registry).

use anyhow::bail;

use super::Status;
use crate::output::emit;

pub fn run(code: &str) -> anyhow::Result<Status> {
    let Some(rule) = ospo_policy::rules::get(code.trim()) else {
        let close = ospo_policy::rules::suggest(code.trim());
        if close.is_empty() {
            bail!("no rule `{code}`: `ospo rules list` shows them all");
        }
        bail!(
            "no rule `{code}`; did you mean {}?",
            close
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    let text = format!(
        "{}: {}\n\nseverity: {} (SARIF level {})\ncategory: {}\n\n{}\n",
        rule.code,
        rule.summary,
        rule.severity,
        rule.severity.sarif_level(),
        rule.category.title(),
        rule.documentation()
    );
    emit(None, &text)?;
    Ok(Status::Clean)
}
