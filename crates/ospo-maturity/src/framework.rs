//! Frameworks as data: the TOML files under `frameworks/`, embedded in the binary, read in two
//! stages like the policy file — serde types that deny unknown fields, then semantic checks
//! (unique ids, stages in order, criteria that name an existing stage, responsibility and
//! crosswalk, a citation on everything) with every error collected.
//!
//! A framework is an ordered list of stages (or levels), the first a baseline with no criteria,
//! and atomic criteria, each in one stage and one of the four groups of the OSPO mindmap (seed
//! 003), citing the seed phrase it comes from. A criterion is proven automatically from a fact of
//! a scan ([`FactId`]) or attested by a person (the question to ask); `equivalent` names the
//! criteria of other frameworks that the same evidence satisfies (crosswalks).

use std::collections::{BTreeMap, BTreeSet};

use ospo_model::RiskCategory;
use serde::{Deserialize, Serialize};

/// The seeds the frameworks cite: id, file name under `shared/seeds`, title.
pub const SEEDS: &[(&str, &str, &str)] = &[
    (
        "000",
        "000_67b30981a2e0abb6.txt",
        "Security Expert (FINOS OSPO body of knowledge)",
    ),
    (
        "001",
        "001_a59b5d793b5a93dc.txt",
        "Looking at Open Source Security from the Community Angle (Ana Jiménez, 2024)",
    ),
    (
        "002",
        "002_94632fb69abadca8.txt",
        "A walk through the OSPO Five-Stage Model (Ana Jiménez, 2022)",
    ),
    (
        "003",
        "003_42618003fd554882.txt",
        "Kick-starting your OSPO: a practical approach (TODO Group workshop)",
    ),
    (
        "004",
        "004_bc5d9baa5073bc0a.txt",
        "Open Source Program Office (FINOS OSPO body of knowledge)",
    ),
];

/// The embedded files: the mindmap (groups and responsibilities) first, then each framework.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "frameworks/mindmap.toml",
        include_str!("../frameworks/mindmap.toml"),
    ),
    (
        "frameworks/ospo-stages.toml",
        include_str!("../frameworks/ospo-stages.toml"),
    ),
    (
        "frameworks/security-levels.toml",
        include_str!("../frameworks/security-levels.toml"),
    ),
];

/// The four groups of the OSPO mindmap's common activities (seed 003, "Common Activities in OSPO
/// Mindmap"): every criterion belongs to exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    StrategyPartnerships,
    PolicyRisk,
    MeasurementImpact,
    EngineerExperiencePlatform,
}

impl Group {
    pub const ALL: [Group; 4] = [
        Group::StrategyPartnerships,
        Group::PolicyRisk,
        Group::MeasurementImpact,
        Group::EngineerExperiencePlatform,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Group::StrategyPartnerships => "strategy-partnerships",
            Group::PolicyRisk => "policy-risk",
            Group::MeasurementImpact => "measurement-impact",
            Group::EngineerExperiencePlatform => "engineer-experience-platform",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Group::StrategyPartnerships => "Strategy & Partnerships",
            Group::PolicyRisk => "Policy & Risk",
            Group::MeasurementImpact => "Measurement & Impact",
            Group::EngineerExperiencePlatform => "Engineer Experience & Platform",
        }
    }
}

/// The facts of a scan a criterion can be proven from (see [`crate::facts`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactId {
    /// Lockfiles or manifests that ospo's extractors read (per repository).
    Inventory,
    /// An SBOM produced in CI (met) or only committed (partial) (per repository).
    Sbom,
    /// A valid `ospo.toml` licence policy (per repository).
    LicencePolicy,
    /// No expired exception in the policy (per repository; exceptions always carry reasons).
    PolicyExceptions,
    /// CI runs `ospo` or another SCA tool (per repository).
    ScaInCi,
    /// A SECURITY.md with a contact (per repository).
    SecurityContact,
    /// The repository's own licence file (per repository).
    LicenceFile,
    /// A CONTRIBUTING guide (per repository).
    Contributing,
    /// A CODE_OF_CONDUCT (per repository).
    CodeOfConduct,
    /// CODEOWNERS, GOVERNANCE, MAINTAINERS or OWNERS (per repository).
    Ownership,
    /// A third-party notices file, or notices generated in CI (per repository).
    Notice,
    /// Dependencies' health checked (Scorecard or `ospo health` in CI: met; an update bot only:
    /// partial) (per repository).
    DependencyHealth,
    /// The offline OSV database is present and fresh (portfolio).
    VulnDb,
    /// Commits from the organisation in its dependencies (portfolio).
    Upstream,
}

impl FactId {
    /// Whether the fact is read per repository (and aggregated) rather than once.
    pub fn per_repository(self) -> bool {
        !matches!(self, FactId::VulnDb | FactId::Upstream)
    }

    pub fn id(self) -> &'static str {
        match self {
            FactId::Inventory => "inventory",
            FactId::Sbom => "sbom",
            FactId::LicencePolicy => "licence-policy",
            FactId::PolicyExceptions => "policy-exceptions",
            FactId::ScaInCi => "sca-in-ci",
            FactId::SecurityContact => "security-contact",
            FactId::LicenceFile => "licence-file",
            FactId::Contributing => "contributing",
            FactId::CodeOfConduct => "code-of-conduct",
            FactId::Ownership => "ownership",
            FactId::Notice => "notice",
            FactId::DependencyHealth => "dependency-health",
            FactId::VulnDb => "vuln-db",
            FactId::Upstream => "upstream",
        }
    }
}

/// A seed phrase: the seed's id (`"002"`) and a quote, verbatim up to runs of white space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub seed: String,
    pub quote: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// Proven by a fact of the scan.
    Automatic,
    /// Only a person can say: answered in the attestation file.
    Attested,
}

// ---- stage 1: the raw files ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMindmap {
    groups: Vec<RawGroup>,
    responsibilities: Vec<Responsibility>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawGroup {
    id: Group,
    title: String,
    citations: Vec<Citation>,
}

/// An OSPO responsibility (seed 002's twelve, and the mindmap's activities of seed 003): the
/// cross-reference every criterion points into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Responsibility {
    pub id: String,
    pub title: String,
    pub group: Group,
    pub citations: Vec<Citation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFramework {
    id: String,
    version: String,
    title: String,
    source: String,
    /// What one step is called: `stage` or `level`.
    step: String,
    stages: Vec<Stage>,
    criteria: Vec<RawCriterion>,
}

/// One stage or level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Stage {
    pub number: u32,
    pub name: String,
    pub summary: String,
    /// Who leads it (seed 000's "Engagement:ISPO/OSPO" column), when the framework says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<String>,
    pub citations: Vec<Citation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCriterion {
    id: String,
    stage: u32,
    group: Group,
    #[serde(default)]
    responsibilities: Vec<String>,
    #[serde(default)]
    risks: Vec<RiskCategory>,
    statement: String,
    citations: Vec<Citation>,
    evidence: EvidenceKind,
    #[serde(default)]
    fact: Option<FactId>,
    #[serde(default)]
    question: Option<String>,
    how_to: String,
    #[serde(default)]
    equivalent: Vec<String>,
}

// ---- stage 2: the validated catalogue ----

/// One atomic criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Criterion {
    /// `framework:criterion`, stable: attestations refer to it.
    pub id: String,
    pub framework: String,
    pub stage: u32,
    pub group: Group,
    pub responsibilities: Vec<String>,
    pub risks: Vec<RiskCategory>,
    pub statement: String,
    pub citations: Vec<Citation>,
    pub evidence: EvidenceKind,
    /// The fact an automatic criterion reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fact: Option<FactId>,
    /// What to ask a person (attested criteria; automatic ones whose fact may be unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub how_to: String,
    /// Qualified ids of criteria the same evidence satisfies.
    pub equivalent: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Framework {
    pub id: String,
    pub version: String,
    pub title: String,
    pub source: String,
    pub step: String,
    pub stages: Vec<Stage>,
    pub criteria: Vec<Criterion>,
}

impl Framework {
    pub fn stage(&self, number: u32) -> Option<&Stage> {
        self.stages.iter().find(|s| s.number == number)
    }
}

/// Every framework, the mindmap's groups and the responsibilities, validated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    pub groups: Vec<(Group, String, Vec<Citation>)>,
    pub responsibilities: Vec<Responsibility>,
    pub frameworks: Vec<Framework>,
}

/// An error in a framework file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, thiserror::Error)]
#[error("{file}: {message}")]
pub struct FrameworkError {
    pub file: String,
    pub message: String,
}

fn kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, FrameworkError> {
    toml::from_str(text).map_err(|e| {
        let place = e
            .span()
            .map(|s| {
                let before = text.get(..s.start).unwrap_or("");
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        FrameworkError {
            file: format!("{file}{place}"),
            message: e.message().to_owned(),
        }
    })
}

struct Errors<'a> {
    file: &'a str,
    list: Vec<FrameworkError>,
}

impl Errors<'_> {
    fn push(&mut self, message: String) {
        self.list.push(FrameworkError {
            file: self.file.to_owned(),
            message,
        });
    }

    fn citations(&mut self, what: &str, citations: &[Citation]) {
        if citations.is_empty() {
            self.push(format!("{what} cites no seed"));
        }
        for c in citations {
            if !SEEDS.iter().any(|(id, _, _)| *id == c.seed) {
                self.push(format!("{what} cites an unknown seed `{}`", c.seed));
            }
            if c.quote.trim().is_empty() {
                self.push(format!("{what} has an empty quote from seed {}", c.seed));
            }
        }
    }
}

impl Catalogue {
    /// The frameworks built into ospo.
    pub fn builtin() -> Result<Catalogue, Vec<FrameworkError>> {
        Catalogue::load(EMBEDDED)
    }

    /// Reads the mindmap (the first file) and the frameworks (the others): every error at once.
    pub fn load(files: &[(&str, &str)]) -> Result<Catalogue, Vec<FrameworkError>> {
        let Some(((mindmap_file, mindmap_text), rest)) = files.split_first() else {
            return Err(vec![FrameworkError {
                file: "<none>".into(),
                message: "no mindmap file".into(),
            }]);
        };
        let mut all = Vec::new();
        let mut groups = Vec::new();
        let mut responsibilities = Vec::new();
        match parse::<RawMindmap>(mindmap_file, mindmap_text) {
            Ok(m) => {
                let mut e = Errors {
                    file: mindmap_file,
                    list: Vec::new(),
                };
                let ids: Vec<Group> = m.groups.iter().map(|g| g.id).collect();
                if ids != Group::ALL {
                    e.push(format!(
                        "the groups must be the mindmap's four, in order: {}",
                        Group::ALL.map(Group::id).join(", ")
                    ));
                }
                for g in &m.groups {
                    e.citations(&format!("group `{}`", g.id.id()), &g.citations);
                }
                let mut seen = BTreeSet::new();
                for r in &m.responsibilities {
                    if !kebab(&r.id) {
                        e.push(format!("responsibility id `{}` is not kebab-case", r.id));
                    }
                    if !seen.insert(r.id.clone()) {
                        e.push(format!("responsibility `{}` is defined twice", r.id));
                    }
                    e.citations(&format!("responsibility `{}`", r.id), &r.citations);
                }
                all.extend(e.list);
                groups = m
                    .groups
                    .into_iter()
                    .map(|g| (g.id, g.title, g.citations))
                    .collect();
                responsibilities = m.responsibilities;
            }
            Err(e) => all.push(e),
        }
        let resp_ids: BTreeSet<&str> = responsibilities.iter().map(|r| r.id.as_str()).collect();
        let mut frameworks = Vec::new();
        for (file, text) in rest {
            match parse::<RawFramework>(file, text) {
                Ok(raw) => {
                    let mut e = Errors {
                        file,
                        list: Vec::new(),
                    };
                    frameworks.push(framework(raw, &resp_ids, &mut e));
                    all.extend(e.list);
                }
                Err(e) => all.push(e),
            }
        }
        // Framework ids and crosswalk targets, across files.
        let mut ids = BTreeSet::new();
        for (f, (file, _)) in frameworks.iter().zip(rest) {
            if !ids.insert(f.id.as_str()) {
                all.push(FrameworkError {
                    file: (*file).to_owned(),
                    message: format!("framework `{}` is defined twice", f.id),
                });
            }
        }
        let known: BTreeSet<&str> = frameworks
            .iter()
            .flat_map(|f| f.criteria.iter().map(|c| c.id.as_str()))
            .collect();
        for (f, (file, _)) in frameworks.iter().zip(rest) {
            for c in &f.criteria {
                for eq in &c.equivalent {
                    if eq == &c.id {
                        all.push(FrameworkError {
                            file: (*file).to_owned(),
                            message: format!("criterion `{}` is equivalent to itself", c.id),
                        });
                    } else if !known.contains(eq.as_str()) {
                        all.push(FrameworkError {
                            file: (*file).to_owned(),
                            message: format!(
                                "criterion `{}`: crosswalk target `{eq}` does not exist",
                                c.id
                            ),
                        });
                    }
                }
            }
        }
        // Criteria that read the same fact are satisfied by the same evidence: the crosswalk
        // must say so, or the ranking of next activities would count them apart.
        if all.is_empty() {
            let cat = Catalogue {
                groups,
                responsibilities,
                frameworks,
            };
            let classes = cat.equivalence_classes();
            let mut by_fact: BTreeMap<FactId, Vec<&Criterion>> = BTreeMap::new();
            for c in cat.criteria() {
                if let Some(f) = c.fact {
                    by_fact.entry(f).or_default().push(c);
                }
            }
            for (fact, list) in by_fact {
                if let [first, rest @ ..] = list.as_slice() {
                    for c in rest {
                        if classes.get(&first.id) != classes.get(&c.id) {
                            all.push(FrameworkError {
                                file: c.framework.clone(),
                                message: format!(
                                    "criteria `{}` and `{}` read the same fact `{}` but are not declared `equivalent`",
                                    first.id,
                                    c.id,
                                    fact.id()
                                ),
                            });
                        }
                    }
                }
            }
            if all.is_empty() {
                return Ok(cat);
            }
        }
        all.sort();
        all.dedup();
        Err(all)
    }

    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria().find(|c| c.id == id)
    }

    /// Every criterion, framework by framework, in file order.
    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.frameworks.iter().flat_map(|f| f.criteria.iter())
    }

    /// The equivalence classes of the crosswalks (the symmetric, transitive closure of
    /// `equivalent`): for each criterion id, every id in its class, itself included, sorted.
    pub fn equivalence_classes(&self) -> BTreeMap<String, Vec<String>> {
        let ids: Vec<&str> = self.criteria().map(|c| c.id.as_str()).collect();
        let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut parent: Vec<usize> = (0..ids.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for c in self.criteria() {
            let Some(&a) = index.get(c.id.as_str()) else {
                continue;
            };
            for eq in &c.equivalent {
                if let Some(&b) = index.get(eq.as_str()) {
                    let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                    parent[ra] = rb;
                }
            }
        }
        let mut classes: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            let r = root(&mut parent, i);
            classes.entry(r).or_default().push((*id).to_owned());
        }
        let mut out = BTreeMap::new();
        for mut members in classes.into_values() {
            members.sort();
            for m in &members {
                out.insert(m.clone(), members.clone());
            }
        }
        out
    }
}

fn framework(raw: RawFramework, resp_ids: &BTreeSet<&str>, e: &mut Errors<'_>) -> Framework {
    if !kebab(&raw.id) {
        e.push(format!("framework id `{}` is not kebab-case", raw.id));
    }
    for (field, value) in [
        ("version", &raw.version),
        ("title", &raw.title),
        ("source", &raw.source),
    ] {
        if value.trim().is_empty() {
            e.push(format!("`{field}` is empty"));
        }
    }
    if !matches!(raw.step.as_str(), "stage" | "level") {
        e.push(format!(
            "`step` must be `stage` or `level`, not `{}`",
            raw.step
        ));
    }
    if raw.stages.len() < 2 {
        e.push("a framework needs a baseline and at least one stage above it".into());
    }
    for pair in raw.stages.windows(2) {
        if let [a, b] = pair
            && a.number.checked_add(1) != Some(b.number)
        {
            e.push(format!(
                "stages must be numbered consecutively: {} follows {}",
                b.number, a.number
            ));
        }
    }
    for s in &raw.stages {
        e.citations(&format!("stage {}", s.number), &s.citations);
        if s.name.trim().is_empty() || s.summary.trim().is_empty() {
            e.push(format!("stage {} needs a name and a summary", s.number));
        }
    }
    let baseline = raw.stages.first().map(|s| s.number);
    let mut seen = BTreeSet::new();
    let mut criteria = Vec::new();
    for c in raw.criteria {
        let what = format!("criterion `{}`", c.id);
        if !kebab(&c.id) {
            e.push(format!("{what}: the id is not kebab-case"));
        }
        if !seen.insert(c.id.clone()) {
            e.push(format!("{what} is defined twice"));
        }
        if !raw.stages.iter().any(|s| s.number == c.stage) {
            e.push(format!(
                "{what} names stage {}, which does not exist",
                c.stage
            ));
        } else if Some(c.stage) == baseline {
            e.push(format!(
                "{what} is in the baseline stage {}, which has no criteria",
                c.stage
            ));
        }
        for r in &c.responsibilities {
            if !resp_ids.contains(r.as_str()) {
                e.push(format!("{what} names an unknown responsibility `{r}`"));
            }
        }
        if c.responsibilities.is_empty() {
            e.push(format!("{what} names no responsibility"));
        }
        e.citations(&what, &c.citations);
        if c.statement.trim().is_empty() || c.how_to.trim().is_empty() {
            e.push(format!("{what} needs a statement and a how-to"));
        }
        match c.evidence {
            EvidenceKind::Automatic if c.fact.is_none() => {
                e.push(format!("{what} is automatic but names no `fact`"));
            }
            EvidenceKind::Attested if c.fact.is_some() => {
                e.push(format!("{what} is attested but names a `fact`"));
            }
            EvidenceKind::Attested if c.question.as_deref().is_none_or(|q| q.trim().is_empty()) => {
                e.push(format!("{what} is attested but asks no `question`"));
            }
            _ => {}
        }
        for eq in &c.equivalent {
            if !eq.contains(':') {
                e.push(format!(
                    "{what}: crosswalk `{eq}` must be `framework:criterion`"
                ));
            }
        }
        criteria.push(Criterion {
            id: format!("{}:{}", raw.id, c.id),
            framework: raw.id.clone(),
            stage: c.stage,
            group: c.group,
            responsibilities: c.responsibilities,
            risks: c.risks,
            statement: c.statement,
            citations: c.citations,
            evidence: c.evidence,
            fact: c.fact,
            question: c.question,
            how_to: c.how_to,
            equivalent: c.equivalent,
        });
    }
    for s in raw.stages.iter().skip(1) {
        if !criteria.iter().any(|c| c.stage == s.number) {
            e.push(format!("stage {} has no criteria", s.number));
        }
    }
    Framework {
        id: raw.id,
        version: raw.version,
        title: raw.title,
        source: raw.source,
        step: raw.step,
        stages: raw.stages,
        criteria,
    }
}

/// Collapses runs of white space to one space: the seeds are transcripts whose sentences break
/// across lines, so a quote is verbatim up to white space.
pub fn normalise_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_framework_loads() {
        let cat = match Catalogue::builtin() {
            Ok(c) => c,
            Err(errors) => panic!("{errors:#?}"),
        };
        assert_eq!(cat.frameworks.len(), EMBEDDED.len() - 1);
        assert!(cat.framework("ospo-stages").is_some());
        assert!(cat.framework("security-levels").is_some());
        // Criteria sit in every group, and every responsibility is used by some criterion.
        for g in Group::ALL {
            assert!(cat.criteria().any(|c| c.group == g), "{g:?}");
        }
    }

    const MINDMAP: &str = include_str!("../frameworks/mindmap.toml");

    fn load_one(text: &str) -> Vec<String> {
        match Catalogue::load(&[("mindmap.toml", MINDMAP), ("bad.toml", text)]) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    const GOOD: &str = r#"
id = "tiny"
version = "1"
title = "Tiny"
source = "test"
step = "stage"
[[stages]]
number = 0
name = "Base"
summary = "Nothing yet."
citations = [{ seed = "002", quote = "Inventory-taking" }]
[[stages]]
number = 1
name = "One"
summary = "Something."
citations = [{ seed = "002", quote = "Inventory-taking" }]
[[criteria]]
id = "inventory"
stage = 1
group = "policy-risk"
responsibilities = ["oversee-open-source-compliance"]
statement = "An inventory."
citations = [{ seed = "002", quote = "Inventory-taking" }]
evidence = "automatic"
fact = "inventory"
how-to = "Run `ospo scan`."
"#;

    #[test]
    fn a_good_tiny_framework_loads() {
        assert_eq!(load_one(GOOD), Vec::<String>::new());
    }

    /// A framework that breaks its schema fails: unknown fields and bad enums at the first
    /// stage (with line and column), broken references at the second, every error at once.
    #[test]
    fn a_framework_breaking_its_schema_fails() {
        let unknown_field = GOOD.replace("how-to =", "howto =");
        let errors = load_one(&unknown_field);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("bad.toml:") && errors[0].contains("unknown field `howto`"),
            "{errors:?}"
        );

        let bad_group = GOOD.replace("\"policy-risk\"", "\"legal\"");
        assert!(load_one(&bad_group)[0].contains("unknown variant `legal`"));

        let broken = GOOD
            .replace("stage = 1\n", "stage = 7\n")
            .replace("oversee-open-source-compliance", "oversee-things")
            .replace("fact = \"inventory\"\n", "equivalent = [\"nowhere:x\"]\n")
            .replace(
                "seed = \"002\", quote = \"Inventory-taking\" }]\nevidence",
                "seed = \"099\", quote = \" \" }]\nevidence",
            );
        let errors = load_one(&broken);
        let want = [
            "criterion `inventory` names stage 7, which does not exist",
            "names an unknown responsibility `oversee-things`",
            "cites an unknown seed `099`",
            "has an empty quote",
            "is automatic but names no `fact`",
            "crosswalk target `nowhere:x` does not exist",
            "stage 1 has no criteria",
        ];
        for w in want {
            assert!(errors.iter().any(|e| e.contains(w)), "{w}: {errors:#?}");
        }

        let twice = format!(
            "{GOOD}\n{}",
            &GOOD[GOOD.find("[[criteria]]").unwrap_or(0)..]
        );
        assert!(
            load_one(&twice)
                .iter()
                .any(|e| e.contains("`tiny:inventory` is defined twice")
                    || e.contains("`inventory` is defined twice"))
        );
    }

    #[test]
    fn crosswalks_close_into_classes() {
        let cat = Catalogue::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let classes = cat.equivalence_classes();
        for c in cat.criteria() {
            let class = &classes[&c.id];
            assert!(class.contains(&c.id));
            for eq in &c.equivalent {
                assert_eq!(&classes[eq], class, "{} ~ {eq}", c.id);
            }
        }
    }
}
