//! `ospo notice`: the third-party notices file a release ships.

use ospo_license::notice::{Format, NoticeOptions, render};

use super::Status;
use crate::cli::{NoticeArgs, NoticeFormat};
use crate::output::{emit, report_diagnostics, scan_with_progress, warning};

pub fn run(args: &NoticeArgs) -> anyhow::Result<Status> {
    let portfolio = scan_with_progress(&args.walk);
    let had_errors = report_diagnostics(&portfolio);
    let report = super::licenses::analyse(&portfolio, &args.sources);
    let title = args.title.clone().unwrap_or_else(|| {
        let names: Vec<&str> = portfolio
            .repositories
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        if names.is_empty() {
            "this software".to_owned()
        } else {
            names.join(", ")
        }
    });
    let opts = NoticeOptions {
        title,
        generator: format!("ospo {}", env!("CARGO_PKG_VERSION")),
        include_dev: args.include_dev,
    };
    let format = match args.format {
        NoticeFormat::Text => Format::Text,
        NoticeFormat::Md => Format::Markdown,
        NoticeFormat::Html => Format::Html,
    };
    emit(args.output.as_deref(), &render(&report, format, &opts))?;
    let unknown = report
        .components()
        .filter(|c| {
            c.basis == ospo_license::conclude::Basis::None
                && c.relationship != ospo_model::Relationship::Root
                && (args.include_dev || c.scope != ospo_model::Scope::Dev)
        })
        .count();
    if unknown > 0 {
        warning(&format!(
            "{unknown} component(s) have no known licence: the notices are incomplete (see `ospo licenses`)"
        ));
    }
    Ok(if had_errors {
        Status::Error
    } else if unknown > 0 {
        Status::Findings
    } else {
        Status::Clean
    })
}
