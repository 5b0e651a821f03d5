//! The gate and its reports. [`check`] evaluates a scanned portfolio against its policy — the
//! licence report judged by the licence rules, the vulnerability matches with VEX and ignores
//! applied, bans and sources, the exceptions that expired or matched nothing — into one
//! [`CheckReport`] value; [`baseline`] keeps only what a previous report did not have; [`diff`]
//! compares two reports or inventories; [`render`] writes a report in every format, all from the
//! same sorted findings. Nothing here reads the clock: the day is a parameter.

pub mod baseline;
pub mod check;
pub mod diff;
pub mod render;
mod report;

pub use report::{
    Baseline, CheckReport, Checked, ComponentRef, Reported, SCHEMA, Summary, count_components,
};
