//! The three ready profiles, as policy files embedded in the binary: `permissive`, `balanced`
//! (the defaults, used when a repository has no policy file) and `strict`. A policy file can
//! extend one with `extends = "ospo:strict"`, and `ospo policy init --profile` starts from one.

/// The profile names, from the least to the most demanding.
pub const NAMES: [&str; 3] = ["permissive", "balanced", "strict"];

/// The default profile.
pub const DEFAULT: &str = "balanced";

/// A profile's policy file.
pub fn get(name: &str) -> Option<&'static str> {
    Some(match name {
        "permissive" => include_str!("../profiles/permissive.toml"),
        "balanced" => include_str!("../profiles/balanced.toml"),
        "strict" => include_str!("../profiles/strict.toml"),
        _ => return None,
    })
}

/// A one-line description of each profile.
pub fn describe(name: &str) -> &'static str {
    match name {
        "permissive" => {
            "fails on critical vulnerabilities and proprietary licences only; every source allowed"
        }
        "balanced" => {
            "fails on high vulnerabilities and network copyleft or proprietary licences (the default)"
        }
        "strict" => {
            "fails on medium vulnerabilities, any strong copyleft, unknown or non-open licence, and git or URL dependencies"
        }
        _ => "",
    }
}
