//! `ospo policy init | check-file | show`: write, validate and show the policy file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ospo_policy::{FILE_NAME, Policy, PolicyError};

use super::Status;
use crate::cli::{PolicyCommand, ShowFormat};
use crate::output::{emit, warning};

pub fn run(command: PolicyCommand) -> anyhow::Result<Status> {
    match command {
        PolicyCommand::Init {
            profile,
            force,
            path,
        } => init(profile.name(), force, &path),
        PolicyCommand::CheckFile { path, today } => check_file(&file_of(&path), today.as_deref()),
        PolicyCommand::Show { path, format } => show(path.as_deref(), format),
    }
}

/// A folder stands for its `ospo.toml`.
fn file_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    }
}

fn init(profile: &str, force: bool, path: &Path) -> anyhow::Result<Status> {
    let text =
        ospo_policy::init::render(profile).with_context(|| format!("no profile `{profile}`"))?;
    if path == Path::new("-") {
        emit(None, &text)?;
        return Ok(Status::Clean);
    }
    let file = file_of(path);
    if file.exists() && !force {
        bail!(
            "`{}` already exists: pass --force to overwrite it",
            file.display()
        );
    }
    std::fs::write(&file, &text)
        .with_context(|| format!("failed to write `{}`", file.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote `{}` ({profile} profile); check it with `ospo policy check-file`",
        file.display()
    );
    Ok(Status::Clean)
}

/// Prints every error of a policy to stderr, one per line; returns the exit status.
pub fn report_errors(errors: &[PolicyError]) -> Status {
    let mut stderr = std::io::stderr().lock();
    for e in errors {
        let _ = writeln!(stderr, "error: {e}");
    }
    let _ = writeln!(
        stderr,
        "{} error(s) in the policy: nothing was checked",
        errors.len()
    );
    Status::Error
}

/// Today, from the wall clock (read here, in the CLI, never in the libraries).
pub fn today() -> time::Date {
    time::OffsetDateTime::from_unix_timestamp(super::db::now())
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN)
}

fn check_file(file: &Path, today: Option<&str>) -> anyhow::Result<Status> {
    let today = match today {
        Some(t) => ospo_policy::load::parse_date(t).map_err(|e| anyhow::anyhow!("--today: {e}"))?,
        None => self::today(),
    };
    let policy = match ospo_policy::load(file) {
        Ok(p) => p,
        Err(errors) => return Ok(report_errors(&errors)),
    };
    for (_, e) in policy.expired(today) {
        warning(&format!(
            "{}: the {} entry for `{}` expired on {}: it no longer applies",
            e.origin,
            e.kind.table(),
            e.subject,
            e.expires.map(|d| d.to_string()).unwrap_or_default()
        ));
    }
    let chain: Vec<String> = policy
        .files
        .iter()
        .map(|f| format!("`{}`", f.display()))
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "ok: {} is a valid policy ({} exception(s))",
        chain.join(" ← "),
        policy.exceptions.len()
    );
    Ok(Status::Clean)
}

fn show(path: Option<&Path>, format: ShowFormat) -> anyhow::Result<Status> {
    let policy = match path {
        Some(p) => ospo_policy::load(&file_of(p)),
        None => ospo_policy::load_for_root(Path::new(".")),
    };
    let policy: Policy = match policy {
        Ok(p) => p,
        Err(errors) => return Ok(report_errors(&errors)),
    };
    let text = match format {
        ShowFormat::Toml => {
            let mut head = String::from("# The effective policy");
            if policy.files.is_empty() {
                head.push_str(": the defaults (balanced profile)");
            } else {
                for f in &policy.files {
                    head.push_str(&format!("\n#   from {}", f.display()));
                }
            }
            format!("{head}\n\n{}", policy.to_toml())
        }
        ShowFormat::Json => serde_json::to_string_pretty(&policy.to_json())?,
    };
    emit(None, &text)?;
    Ok(Status::Clean)
}
