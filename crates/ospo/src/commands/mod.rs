//! One file per subcommand, and the one exit path.

mod assess;
mod check;
mod db;
mod explain;
mod extractors;
mod health;
mod licenses;
mod notice;
mod policy;
mod rules;
mod sbom;
mod scan;
mod versions;
mod vulns;

use std::process::ExitCode;

use crate::cli::{Cli, Command, ExtractorsCommand, RulesCommand};

/// The documented exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing at or above the threshold.
    Clean = 0,
    /// Findings at or above the threshold (`versions satisfies`: no version matched).
    Findings = 1,
    /// Something could not be done or read.
    Error = 2,
}

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Sbom(args) => sbom::run(&args),
        Command::Db(args) => db::run(args),
        Command::Vulns(args) => vulns::run(&args),
        Command::Licenses(args) => licenses::run(&args),
        Command::Notice(args) => notice::run(&args),
        Command::Extractors {
            command: ExtractorsCommand::List { format },
        } => extractors::list(format),
        Command::Versions { command } => versions::run(command),
        Command::Policy { command } => policy::run(command),
        Command::Rules {
            command: RulesCommand::List { format },
        } => rules::list(format),
        Command::Check(args) => check::run(&args),
        Command::Diff(args) => check::diff(&args),
        Command::Report(args) => check::report(&args),
        Command::Assess(args) => assess::run(&args),
        Command::Explain { code } => explain::run(&code),
        Command::Health(args) => health::run(&args),
    };
    match result {
        Ok(status) => ExitCode::from(status as u8),
        Err(e) => {
            crate::output::error(&format!("{e:#}"));
            ExitCode::from(Status::Error as u8)
        }
    }
}
