//! `ospo`: the open source program office in one binary. This crate is only the command line;
//! everything it does lives in the library crates, which the web server will call too.

mod cli;
mod commands;
mod json;
mod output;

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    commands::run(<cli::Cli as clap::Parser>::parse())
}
