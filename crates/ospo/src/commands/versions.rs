//! `ospo versions compare|sort|satisfies`: the version orderings as plumbing.

use std::cmp::Ordering;
use std::io::BufRead;

use anyhow::Context;
use ospo_version::{Scheme, Version};

use super::Status;
use crate::cli::VersionsCommand;
use crate::output::{emit, error};

pub fn run(command: VersionsCommand) -> anyhow::Result<Status> {
    match command {
        VersionsCommand::Compare { scheme, a, b } => {
            compare(parse_scheme(&scheme.ecosystem)?, a, b)
        }
        VersionsCommand::Sort {
            scheme,
            reverse,
            versions,
        } => sort(parse_scheme(&scheme.ecosystem)?, reverse, versions),
        VersionsCommand::Satisfies {
            scheme,
            req,
            versions,
        } => satisfies(parse_scheme(&scheme.ecosystem)?, &req, versions),
    }
}

fn parse_scheme(s: &str) -> anyhow::Result<Scheme> {
    Ok(s.parse::<Scheme>()?)
}

/// Lines of standard input with their 1-based numbers, blank lines skipped.
fn stdin_lines() -> anyhow::Result<Vec<(usize, String)>> {
    let mut out = Vec::new();
    for (i, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.context("failed to read standard input")?;
        let t = line.trim();
        if !t.is_empty() {
            out.push((i + 1, t.to_owned()));
        }
    }
    Ok(out)
}

/// The inputs: the arguments (numbered by position), or stdin lines (numbered by line).
fn inputs(args: Vec<String>) -> anyhow::Result<(Vec<(usize, String)>, &'static str)> {
    if args.is_empty() {
        Ok((stdin_lines()?, "line"))
    } else {
        Ok((
            args.into_iter()
                .enumerate()
                .map(|(i, a)| (i + 1, a))
                .collect(),
            "argument",
        ))
    }
}

fn symbol(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

fn compare(scheme: Scheme, a: Option<String>, b: Option<String>) -> anyhow::Result<Status> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let o = ospo_version::compare(scheme, &a, &b)?;
            emit(None, symbol(o))?;
            Ok(Status::Clean)
        }
        (Some(_), None) => anyhow::bail!(
            "`versions compare` needs two versions, or none to read pairs from standard input"
        ),
        _ => {
            let mut out = String::new();
            let mut failed = false;
            for (n, line) in stdin_lines()? {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let result = match fields[..] {
                    [a, b] => ospo_version::compare(scheme, a, b).map_err(anyhow::Error::from),
                    _ => Err(anyhow::anyhow!(
                        "expected two versions separated by white space"
                    )),
                };
                match result {
                    Ok(o) => {
                        out.push_str(symbol(o));
                        out.push('\n');
                    }
                    Err(e) => {
                        failed = true;
                        error(&format!("line {n}: {e:#}"));
                    }
                }
            }
            emit_lines(&out)?;
            Ok(if failed { Status::Error } else { Status::Clean })
        }
    }
}

/// Parses every input, reporting the bad ones; returns the good ones in input order.
fn parse_all(scheme: Scheme, args: Vec<String>) -> anyhow::Result<(Vec<Version>, bool)> {
    let (items, what) = inputs(args)?;
    let mut out = Vec::with_capacity(items.len());
    let mut failed = false;
    for (n, text) in items {
        match scheme.parse(&text) {
            Ok(v) => out.push(v),
            Err(e) => {
                failed = true;
                error(&format!("{what} {n}: {e}"));
            }
        }
    }
    Ok((out, failed))
}

fn sort(scheme: Scheme, reverse: bool, versions: Vec<String>) -> anyhow::Result<Status> {
    let (mut vs, failed) = parse_all(scheme, versions)?;
    // Stable (equal versions keep their input order either way), and safe on Maven's few
    // intransitive versions.
    ospo_version::sort_versions(&mut vs);
    if reverse {
        vs.reverse();
        // Restore input order among equal versions.
        let mut start = 0;
        while start < vs.len() {
            let end = (start..vs.len())
                .find(|&k| vs[k] != vs[start])
                .unwrap_or(vs.len());
            vs[start..end].reverse();
            start = end;
        }
    }
    let out: String = vs.iter().map(|v| format!("{v}\n")).collect();
    emit_lines(&out)?;
    Ok(if failed { Status::Error } else { Status::Clean })
}

fn satisfies(scheme: Scheme, req: &str, versions: Vec<String>) -> anyhow::Result<Status> {
    let req = scheme.parse_req(req)?;
    let (vs, failed) = parse_all(scheme, versions)?;
    let matching: Vec<&Version> = vs.iter().filter(|v| req.matches(v)).collect();
    let out: String = matching.iter().map(|v| format!("{v}\n")).collect();
    emit_lines(&out)?;
    Ok(if failed {
        Status::Error
    } else if matching.is_empty() {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// Writes lines to stdout (nothing at all when there are none).
fn emit_lines(out: &str) -> anyhow::Result<()> {
    if out.is_empty() {
        return Ok(());
    }
    emit(None, out)
}
