//! OSPO maturity assessment: "which stage are we at, on what evidence, and what are the next
//! three things to do", answered from the organisation's repositories every time they are scanned.
//!
//! - [`framework`]: the frameworks as data (the five-stage OSPO model of seed 002, the security
//!   expert's maturity levels of seed 000, the mindmap's groups and the OSPO responsibilities of
//!   seeds 002 and 003), embedded TOML validated in two stages;
//! - [`facts`] and [`probe`]: the automatic evidence a scan gathers per repository and once per
//!   portfolio;
//! - [`attest`]: the attestation file, where people answer what a scan cannot see;
//! - [`assess`]: criterion results, stages, progress and the ranked next activities;
//! - [`render`]: terminal text, JSON (`ospo-assessment/1`), Markdown and an HTML section;
//! - [`docs`]: the generated criteria table of docs/maturity.md.
//!
//! Nothing here reads the clock: the assessment date is a parameter.

pub mod assess;
pub mod attest;
pub mod docs;
pub mod facts;
pub mod framework;
pub mod probe;
pub mod render;

pub use assess::{Assessment, Options, Status, assess};
pub use attest::{Answer, Attestation, Attestations};
pub use facts::{Fact, PortfolioFacts, RepoFacts};
pub use framework::{Catalogue, Criterion, Framework, Group};

pub(crate) fn date<S: serde::Serializer>(d: &time::Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

pub(crate) fn date_opt<S: serde::Serializer>(
    d: &Option<time::Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&d.to_string()),
        None => s.serialize_none(),
    }
}
