//! `ospo sbom`: the inventory as a CycloneDX or SPDX document.

use anyhow::Context;
use ospo_model::Portfolio;

use super::Status;
use crate::cli::{SbomArgs, SbomFormat};
use crate::output::{emit_stream, report_diagnostics, scan_with_progress};

pub fn run(args: &SbomArgs) -> anyhow::Result<Status> {
    let portfolio = scan_with_progress(&args.walk);
    write(
        &portfolio,
        args.format,
        args.name.clone(),
        args.reproducible,
        args.output.as_deref(),
    )?;
    let had_errors = report_diagnostics(&portfolio);
    Ok(if had_errors {
        Status::Error
    } else {
        Status::Clean
    })
}

/// Writes an SBOM to the file given or stdout, streamed. `SOURCE_DATE_EPOCH`, when set, fixes
/// the timestamp and makes the output reproducible, as reproducible-builds.org specifies.
pub fn write(
    portfolio: &Portfolio,
    format: SbomFormat,
    name: Option<String>,
    reproducible: bool,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let epoch = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => Some(
            v.trim()
                .parse::<i64>()
                .context("SOURCE_DATE_EPOCH must be a number of seconds")?,
        ),
        Err(_) => None,
    };
    let reproducible = reproducible || epoch.is_some();
    let opts = ospo_sbom::WriteOptions {
        tool_name: "ospo".to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        timestamp: if reproducible {
            Some(epoch.unwrap_or(0))
        } else {
            None
        },
        reproducible,
        name,
    };
    let format = match format {
        SbomFormat::CyclonedxJson => ospo_sbom::Format::CycloneDxJson,
        SbomFormat::SpdxJson => ospo_sbom::Format::SpdxJson,
        SbomFormat::SpdxTagValue => ospo_sbom::Format::SpdxTagValue,
    };
    emit_stream(output, |w| {
        Ok(ospo_sbom::write_to(portfolio, format, &opts, w)?)
    })
}
