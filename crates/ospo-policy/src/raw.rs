//! Stage one: the policy file as serde reads it. Every field is optional (its default is in
//! [`crate::keys`]), unknown keys are rejected, names are kebab-case. These types are only read
//! after the spanned validator of [`mod@crate::load`] found no error, so their own errors are a
//! fallback, and they are written back by `ospo policy show`.

use serde::{Deserialize, Serialize};
use toml::Spanned;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses: Option<RawLicenses>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<RawVulnerabilities>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bans: Option<RawBans>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<RawSources>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<RawHealth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<RawSecrets>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLicenses {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_classes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny_classes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefer: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clarify: Vec<Spanned<RawClarify>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Spanned<RawLicenseException>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawClarify {
    pub package: String,
    pub expression: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLicenseException {
    pub package: String,
    pub allow: Vec<String>,
    pub reason: String,
    pub expires: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawVulnerabilities {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vex: Option<Vec<String>>,
    /// The same shape `ospo vulns` has always read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<Spanned<ospo_vuln::vex::Ignore>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBans {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<Spanned<RawBan>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Spanned<RawBanException>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBan {
    pub package: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBanException {
    pub package: String,
    pub reason: String,
    pub expires: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSources {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_registries: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_git: Option<RawAllowGit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_path: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_url: Option<bool>,
}

/// `allow-git = true | false | ["github.com"]`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RawAllowGit {
    All(bool),
    Hosts(Vec<String>),
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawHealth {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_inactive_days: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSecrets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_paths: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_history: Option<bool>,
}
