//! The risk categories every finding belongs to, as the OSPO body of knowledge names them (seed
//! 004 tags the OSPO role with exactly these four: "Codebase Risk", "Data Leakage Risk",
//! "Dependency Risk", "Staff Risk").

use serde::{Deserialize, Serialize};

/// The kind of risk a finding stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskCategory {
    /// The organisation's own code: its licence obligations, what it ships.
    Codebase,
    /// Secrets and data that leave through code, history or packages.
    DataLeakage,
    /// What the code depends on: vulnerable, unmaintained or ill-licensed components.
    Dependency,
    /// People: bus factor, maintainer load, knowledge held by few.
    Staff,
}

impl RiskCategory {
    /// The name the seeds use ("Dependency Risk").
    pub fn title(self) -> &'static str {
        match self {
            RiskCategory::Codebase => "Codebase Risk",
            RiskCategory::DataLeakage => "Data Leakage Risk",
            RiskCategory::Dependency => "Dependency Risk",
            RiskCategory::Staff => "Staff Risk",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RiskCategory;

    #[test]
    fn serialised_names_are_stable() {
        let all = [
            RiskCategory::Codebase,
            RiskCategory::DataLeakage,
            RiskCategory::Dependency,
            RiskCategory::Staff,
        ];
        let names: Vec<String> = all
            .iter()
            .map(|c| serde_json::to_string(c).expect("serialises"))
            .collect();
        assert_eq!(
            names,
            [
                "\"codebase\"",
                "\"data-leakage\"",
                "\"dependency\"",
                "\"staff\""
            ]
        );
        assert_eq!(RiskCategory::DataLeakage.title(), "Data Leakage Risk");
    }
}
