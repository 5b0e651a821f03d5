//! The effective policy written back in the file's own shape (`ospo policy show`): every key
//! with its value after `extends` and defaults, every exception of every file in the chain.

use toml::Spanned;

use crate::policy::{AllowGit, Policy};
use crate::raw::*;

fn spanned<T>(v: T) -> Spanned<T> {
    Spanned::new(0..0, v)
}

impl Policy {
    /// The policy as a complete policy file (no `extends`: everything is resolved).
    pub fn to_raw(&self) -> RawPolicy {
        let date = |i: usize| {
            self.exceptions
                .get(i)
                .and_then(|e| e.expires)
                .map(|d| d.to_string())
        };
        let reason = |i: usize| {
            self.exceptions
                .get(i)
                .map(|e| e.reason.clone())
                .unwrap_or_default()
        };
        let l = &self.licenses;
        let v = &self.vulnerabilities;
        RawPolicy {
            extends: None,
            licenses: Some(RawLicenses {
                allow: Some(l.allow.clone()),
                deny: Some(l.deny.clone()),
                allow_classes: Some(
                    l.allow_classes
                        .iter()
                        .map(|c| c.name().to_owned())
                        .collect(),
                ),
                deny_classes: Some(l.deny_classes.iter().map(|c| c.name().to_owned()).collect()),
                prefer: Some(l.prefer.clone()),
                clarify: l
                    .clarify
                    .iter()
                    .map(|c| {
                        spanned(RawClarify {
                            package: c.package.text.clone(),
                            expression: c.expression.to_string(),
                            reason: reason(c.exception),
                            expires: date(c.exception),
                        })
                    })
                    .collect(),
                exceptions: l
                    .exceptions
                    .iter()
                    .map(|x| {
                        spanned(RawLicenseException {
                            package: x.package.text.clone(),
                            allow: x.allow.clone(),
                            reason: reason(x.exception),
                            expires: date(x.exception).unwrap_or_default(),
                        })
                    })
                    .collect(),
            }),
            vulnerabilities: Some(RawVulnerabilities {
                fail_on: Some(
                    v.fail_on
                        .map_or_else(|| "never".to_owned(), |s| s.as_str().to_owned()),
                ),
                vex: Some(v.vex.iter().map(|p| p.display().to_string()).collect()),
                ignore: v.ignore.iter().map(|i| spanned(i.ignore.clone())).collect(),
            }),
            bans: Some(RawBans {
                deny: self
                    .bans
                    .deny
                    .iter()
                    .map(|b| {
                        spanned(RawBan {
                            package: b.package.text.clone(),
                            versions: b.versions.as_ref().map(|v| v.to_string()),
                            reason: b.reason.clone(),
                        })
                    })
                    .collect(),
                exceptions: self
                    .bans
                    .exceptions
                    .iter()
                    .map(|x| {
                        spanned(RawBanException {
                            package: x.package.text.clone(),
                            reason: reason(x.exception),
                            expires: date(x.exception).unwrap_or_default(),
                        })
                    })
                    .collect(),
            }),
            sources: Some(RawSources {
                allow_registries: Some(self.sources.allow_registries.clone()),
                allow_git: Some(match &self.sources.allow_git {
                    AllowGit::All => RawAllowGit::All(true),
                    AllowGit::None => RawAllowGit::All(false),
                    AllowGit::Hosts(h) => RawAllowGit::Hosts(h.clone()),
                }),
                allow_path: Some(self.sources.allow_path),
                allow_url: Some(self.sources.allow_url),
            }),
            health: Some(RawHealth {
                min_score: Some(self.health.min_score),
                max_inactive_days: Some(self.health.max_inactive_days),
            }),
            secrets: Some(RawSecrets {
                allow_paths: Some(self.secrets.allow_paths.clone()),
                scan_history: Some(self.secrets.scan_history),
            }),
        }
    }

    /// The effective policy as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.to_raw()).unwrap_or_default()
    }

    /// The effective policy as JSON (the shape of the schema).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.to_raw()).unwrap_or_default()
    }
}
