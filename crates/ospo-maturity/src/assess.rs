//! The assessment: criterion results from facts and attestations, the stage reached in each
//! framework, progress per stage and per mindmap group, and the ranked next activities.
//!
//! The rules (docs/maturity.md says the same):
//! - **A criterion's result** is met, partial, unmet, unknown or not applicable. An automatic
//!   criterion reads its fact; when that is not met and a live attestation exists, the
//!   attestation decides (it covers what a scan cannot see). An attested criterion is its live
//!   attestation's answer, or unknown when there is none.
//! - **Per-repository facts aggregate** over the repositories in scope: met when every
//!   repository it applies to meets it, partial when at least one meets it (or partly), unmet
//!   when none does, unknown when nothing is known, not applicable when it applies to none.
//! - **Crosswalks**: a criterion that is not met takes the better result of an equivalent
//!   criterion of any framework (met > partial > unmet > unknown), saying where it came from.
//! - **A stage is complete** when every one of its criteria is met or not applicable: partial and
//!   unknown do not count, so a stage is never claimed without evidence. The stage reached is the
//!   highest complete stage with every lower stage complete (the baseline always is).
//! - **Progress** of a stage or group is (met + ½ partial) / (criteria − not applicable).
//! - **Next activities** are the criteria of each framework's lowest incomplete stage that are
//!   not met, merged across frameworks by crosswalk, ranked by how many frameworks' next stage
//!   they would complete, then how many criteria they would satisfy, then those a scan proves
//!   before those a person attests (a command fixes them), partial before unmet before unknown, then stage and id.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use time::Date;

use crate::attest::{Answer, Attestation, Attestations};
use crate::facts::{Fact, PortfolioFacts, RepoFacts, capped};
use crate::framework::{Catalogue, Citation, Criterion, EvidenceKind, FactId, Group};
use ospo_model::RiskCategory;

/// The version of the JSON document; bumped on any incompatible change.
pub const SCHEMA: &str = "ospo-assessment/1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    Partial,
    Unmet,
    Unknown,
    NotApplicable,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::Unmet => "unmet",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not applicable",
        }
    }

    /// Counts towards a complete stage.
    pub fn done(self) -> bool {
        matches!(self, Status::Met | Status::NotApplicable)
    }

    /// How good a result is, for crosswalks (not applicable is not comparable).
    fn strength(self) -> u8 {
        match self {
            Status::Met => 3,
            Status::Partial => 2,
            Status::Unmet => 1,
            Status::Unknown | Status::NotApplicable => 0,
        }
    }
}

impl From<Answer> for Status {
    fn from(a: Answer) -> Status {
        match a {
            Answer::Met => Status::Met,
            Answer::Partial => Status::Partial,
            Answer::Unmet => Status::Unmet,
            Answer::NotApplicable => Status::NotApplicable,
        }
    }
}

/// How much a result can be trusted: files read and checked (high), text heuristics or a
/// person's statement (medium), nothing known (low).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

/// Where a result comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Basis {
    /// A fact of the scan.
    Automatic { fact: FactId },
    /// A person's attestation.
    Attested,
    /// An equivalent criterion's result.
    Crosswalk { from: String },
    /// Nothing yet.
    None,
}

/// One repository's result for a per-repository criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RepoOutcome {
    pub repository: String,
    pub status: Status,
    pub evidence: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttestationRef {
    pub answer: Answer,
    pub by: String,
    #[serde(serialize_with = "crate::date")]
    pub date: Date,
    #[serde(serialize_with = "crate::date")]
    pub expires: Date,
    pub statement: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub place: String,
}

impl From<&Attestation> for AttestationRef {
    fn from(a: &Attestation) -> AttestationRef {
        AttestationRef {
            answer: a.answer,
            by: a.by.clone(),
            date: a.date,
            expires: a.expires,
            statement: a.statement.clone(),
            link: a.link.clone(),
            place: a.place.clone(),
        }
    }
}

/// A criterion's result, explained.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionResult {
    pub id: String,
    pub stage: u32,
    pub group: Group,
    pub statement: String,
    pub evidence_kind: EvidenceKind,
    pub status: Status,
    pub confidence: Confidence,
    pub basis: Basis,
    /// What the result rests on: paths, commands, statements.
    pub evidence: Vec<String>,
    /// Per repository, for criteria read from per-repository facts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<RepoOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation: Option<AttestationRef>,
    pub how_to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub responsibilities: Vec<String>,
    pub risks: Vec<RiskCategory>,
    pub citations: Vec<Citation>,
    pub equivalent: Vec<String>,
}

/// Counts of results and the progress they make.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    pub met: usize,
    pub partial: usize,
    pub unmet: usize,
    pub unknown: usize,
    pub not_applicable: usize,
    pub total: usize,
    /// (met + ½ partial) / (total − not applicable), to three decimals; 1 when nothing applies.
    pub progress: f64,
}

impl Tally {
    fn of(statuses: impl Iterator<Item = Status>) -> Tally {
        let mut t = Tally::default();
        for s in statuses {
            t.total += 1;
            match s {
                Status::Met => t.met += 1,
                Status::Partial => t.partial += 1,
                Status::Unmet => t.unmet += 1,
                Status::Unknown => t.unknown += 1,
                Status::NotApplicable => t.not_applicable += 1,
            }
        }
        let applicable = t.total - t.not_applicable;
        t.progress = if applicable == 0 {
            1.0
        } else {
            let p = (t.met as f64 + t.partial as f64 / 2.0) / applicable as f64;
            (p * 1000.0).round() / 1000.0
        };
        t
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageProgress {
    pub number: u32,
    pub name: String,
    pub complete: bool,
    #[serde(flatten)]
    pub tally: Tally,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupProgress {
    pub group: Group,
    pub title: String,
    #[serde(flatten)]
    pub tally: Tally,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameworkAssessment {
    pub id: String,
    pub title: String,
    pub version: String,
    /// `stage` or `level`.
    pub step: String,
    /// The stage reached: the highest with it and every lower one complete.
    pub reached: u32,
    pub reached_name: String,
    /// The lowest incomplete stage, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<u32>,
    pub stages: Vec<StageProgress>,
    pub groups: Vec<GroupProgress>,
    pub criteria: Vec<CriterionResult>,
}

/// A recommended next activity: one criterion (with its crosswalk equivalents) that blocks the
/// next stage of at least one framework.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Activity {
    pub rank: usize,
    /// The criterion the activity is named after.
    pub criterion: String,
    pub statement: String,
    pub status: Status,
    pub evidence_kind: EvidenceKind,
    /// How it gets proven: by a scan (an automatic criterion whose fact is known) or by a
    /// person's attestation (attested criteria, and automatic ones the scan cannot tell yet).
    pub proof: Proof,
    pub how_to: String,
    /// The question a person answers, when a person proves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The not-met criteria it would satisfy (itself and its equivalents).
    pub satisfies: Vec<String>,
    /// The framework stages it would complete (it is their last blocker), as `framework stage N`.
    pub completes: Vec<String>,
    /// The framework stages it blocks.
    pub blocks: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Proof {
    Scan,
    Attestation,
}

/// The whole assessment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    pub schema: &'static str,
    #[serde(serialize_with = "crate::date")]
    pub as_of: Date,
    pub repositories: Vec<String>,
    pub frameworks: Vec<FrameworkAssessment>,
    /// Progress per mindmap group over every framework shown.
    pub groups: Vec<GroupProgress>,
    pub next: Vec<Activity>,
}

/// What to assess.
#[derive(Clone, Debug)]
pub struct Options {
    /// The day attestations are checked against.
    pub as_of: Date,
    /// Only these frameworks (all when empty).
    pub frameworks: Vec<String>,
}

/// Assesses a portfolio.
pub fn assess(
    catalogue: &Catalogue,
    facts: &PortfolioFacts,
    attestations: &Attestations,
    options: &Options,
) -> Assessment {
    let as_of = options.as_of;
    // 1. Each criterion on its own evidence.
    let own: BTreeMap<String, CriterionResult> = catalogue
        .criteria()
        .map(|c| (c.id.clone(), own_result(c, facts, attestations, as_of)))
        .collect();
    // 2. Crosswalks.
    let classes = catalogue.equivalence_classes();
    let mut results = own.clone();
    for (id, r) in &mut results {
        if r.status.done() {
            continue;
        }
        let best = classes
            .get(id)
            .into_iter()
            .flatten()
            .filter(|other| *other != id)
            .filter_map(|other| own.get(other).map(|o| (other, o)))
            .filter(|(_, o)| o.status.strength() > r.status.strength())
            .max_by_key(|(other, o)| (o.status.strength(), std::cmp::Reverse(*other)));
        if let Some((other, o)) = best {
            let mut evidence = vec![format!(
                "equivalent to `{other}`, which is {}",
                o.status.name()
            )];
            evidence.extend(o.evidence.iter().cloned());
            r.status = o.status;
            r.confidence = o.confidence;
            r.basis = Basis::Crosswalk {
                from: other.clone(),
            };
            r.evidence = evidence;
            if r.attestation.is_none() {
                r.attestation = o.attestation.clone();
            }
        }
    }
    // 3. Stages and progress, per framework shown.
    let shown: Vec<_> = catalogue
        .frameworks
        .iter()
        .filter(|f| options.frameworks.is_empty() || options.frameworks.contains(&f.id))
        .collect();
    let mut frameworks = Vec::new();
    for f in &shown {
        let criteria: Vec<CriterionResult> = f
            .criteria
            .iter()
            .filter_map(|c| results.get(&c.id).cloned())
            .collect();
        let mut stages = Vec::new();
        let mut reached = f.stages.first().map_or(0, |s| s.number);
        let mut blocked = false;
        for (i, s) in f.stages.iter().enumerate() {
            let tally = Tally::of(
                criteria
                    .iter()
                    .filter(|c| c.stage == s.number)
                    .map(|c| c.status),
            );
            let complete = tally.met + tally.not_applicable == tally.total;
            if i > 0 && !blocked {
                if complete {
                    reached = s.number;
                } else {
                    blocked = true;
                }
            }
            stages.push(StageProgress {
                number: s.number,
                name: s.name.clone(),
                complete,
                tally,
            });
        }
        let next = f.stages.iter().map(|s| s.number).find(|n| *n > reached);
        let groups = group_progress(criteria.iter());
        frameworks.push(FrameworkAssessment {
            id: f.id.clone(),
            title: f.title.clone(),
            version: f.version.clone(),
            step: f.step.clone(),
            reached,
            reached_name: f.stage(reached).map(|s| s.name.clone()).unwrap_or_default(),
            next,
            stages,
            groups,
            criteria,
        });
    }
    let groups = group_progress(frameworks.iter().flat_map(|f| f.criteria.iter()));
    let next = next_activities(catalogue, &frameworks, &results, &classes);
    Assessment {
        schema: SCHEMA,
        as_of,
        repositories: facts.repositories.iter().map(|r| r.name.clone()).collect(),
        frameworks,
        groups,
        next,
    }
}

fn group_progress<'a>(
    criteria: impl Iterator<Item = &'a CriterionResult> + Clone,
) -> Vec<GroupProgress> {
    Group::ALL
        .iter()
        .map(|g| GroupProgress {
            group: *g,
            title: g.title().to_owned(),
            tally: Tally::of(criteria.clone().filter(|c| c.group == *g).map(|c| c.status)),
        })
        .collect()
}

fn step_label(f: &FrameworkAssessment, n: u32) -> String {
    format!("{} {} {n}", f.id, f.step)
}

fn next_activities(
    catalogue: &Catalogue,
    frameworks: &[FrameworkAssessment],
    results: &BTreeMap<String, CriterionResult>,
    classes: &BTreeMap<String, Vec<String>>,
) -> Vec<Activity> {
    // Blockers of each framework's next stage, keyed by crosswalk class.
    let mut by_class: BTreeMap<Vec<String>, Vec<(&FrameworkAssessment, &CriterionResult)>> =
        BTreeMap::new();
    let mut blockers_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for f in frameworks {
        let Some(next) = f.next else { continue };
        for c in f
            .criteria
            .iter()
            .filter(|c| c.stage == next && !c.status.done())
        {
            let class = classes
                .get(&c.id)
                .cloned()
                .unwrap_or_else(|| vec![c.id.clone()]);
            by_class.entry(class).or_default().push((f, c));
            blockers_of
                .entry(f.id.as_str())
                .or_default()
                .insert(c.id.as_str());
        }
    }
    let order: BTreeMap<&str, usize> = catalogue
        .criteria()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut activities: Vec<(Activity, (usize, u32))> = Vec::new();
    for (class, members) in by_class {
        let Some(&(_, primary)) = members
            .iter()
            .min_by_key(|(_, c)| order.get(c.id.as_str()).copied().unwrap_or(usize::MAX))
        else {
            continue;
        };
        let in_class: BTreeSet<&str> = class.iter().map(String::as_str).collect();
        let mut completes = Vec::new();
        let mut blocks = Vec::new();
        for f in frameworks {
            let (Some(next), Some(blockers)) = (f.next, blockers_of.get(f.id.as_str())) else {
                continue;
            };
            if blockers.iter().any(|b| in_class.contains(b)) {
                blocks.push(step_label(f, next));
                if blockers.iter().all(|b| in_class.contains(b)) {
                    completes.push(step_label(f, next));
                }
            }
        }
        let satisfies: Vec<String> = class
            .iter()
            .filter(|id| results.get(*id).is_some_and(|r| !r.status.done()))
            .cloned()
            .collect();
        activities.push((
            Activity {
                rank: 0,
                criterion: primary.id.clone(),
                statement: primary.statement.clone(),
                status: primary.status,
                evidence_kind: primary.evidence_kind,
                proof: if primary.evidence_kind == EvidenceKind::Automatic
                    && primary.status != Status::Unknown
                {
                    Proof::Scan
                } else {
                    Proof::Attestation
                },
                how_to: primary.how_to.clone(),
                question: primary.question.clone(),
                satisfies,
                completes,
                blocks,
            },
            (
                order
                    .get(primary.id.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
                primary.stage,
            ),
        ));
    }
    let status_rank = |s: Status| match s {
        Status::Partial => 0,
        Status::Unmet => 1,
        _ => 2,
    };
    activities.sort_by(|(a, (ao, ast)), (b, (bo, bst))| {
        b.completes
            .len()
            .cmp(&a.completes.len())
            .then(b.satisfies.len().cmp(&a.satisfies.len()))
            .then(
                (a.evidence_kind == EvidenceKind::Attested)
                    .cmp(&(b.evidence_kind == EvidenceKind::Attested)),
            )
            .then(status_rank(a.status).cmp(&status_rank(b.status)))
            .then(ast.cmp(bst))
            .then(ao.cmp(bo))
    });
    activities
        .into_iter()
        .enumerate()
        .map(|(i, (mut a, _))| {
            a.rank = i + 1;
            a
        })
        .collect()
}

fn own_result(
    c: &Criterion,
    facts: &PortfolioFacts,
    attestations: &Attestations,
    as_of: Date,
) -> CriterionResult {
    let mut r = CriterionResult {
        id: c.id.clone(),
        stage: c.stage,
        group: c.group,
        statement: c.statement.clone(),
        evidence_kind: c.evidence,
        status: Status::Unknown,
        confidence: Confidence::Low,
        basis: Basis::None,
        evidence: Vec::new(),
        repositories: Vec::new(),
        attestation: None,
        how_to: c.how_to.clone(),
        question: c.question.clone(),
        responsibilities: c.responsibilities.clone(),
        risks: c.risks.clone(),
        citations: c.citations.clone(),
        equivalent: c.equivalent.clone(),
    };
    if let Some(fact) = c.fact {
        let (status, evidence, repos) = if fact.per_repository() {
            aggregate(fact, &facts.repositories, as_of)
        } else {
            let (s, e) = portfolio_outcome(fact, facts);
            (s, e, Vec::new())
        };
        r.status = status;
        r.evidence = evidence;
        r.repositories = repos;
        r.basis = Basis::Automatic { fact };
        r.confidence = match status {
            Status::Unknown => Confidence::Low,
            _ => confidence_of(fact),
        };
    }
    let live = attestations.live(&c.id, as_of);
    match live {
        Some(a) if !r.status.done() => {
            let mut evidence = vec![attestation_line(a)];
            if !r.evidence.is_empty() {
                evidence.push(format!("the scan found it {}:", r.status.name()));
                evidence.append(&mut r.evidence);
            }
            r.status = a.answer.into();
            r.confidence = Confidence::Medium;
            r.basis = Basis::Attested;
            r.evidence = evidence;
            r.attestation = Some(a.into());
        }
        Some(_) => {}
        None if c.evidence == EvidenceKind::Attested => {
            r.evidence = match attestations.latest(&c.id) {
                Some(old) => vec![format!(
                    "the attestation at {} expired on {}: renew it with `ospo assess --interactive`",
                    old.place, old.expires
                )],
                None => vec!["not attested yet: answer it with `ospo assess --interactive`".into()],
            };
        }
        None => {}
    }
    r
}

fn attestation_line(a: &Attestation) -> String {
    let mut s = format!(
        "attested {} by {} on {} (until {}): {}",
        a.answer.name(),
        a.by,
        a.date,
        a.expires,
        a.statement
    );
    if let Some(link) = &a.link {
        s.push_str(&format!(" <{link}>"));
    }
    s.push_str(&format!(" [{}]", a.place));
    s
}

fn confidence_of(fact: FactId) -> Confidence {
    match fact {
        FactId::Inventory
        | FactId::LicencePolicy
        | FactId::PolicyExceptions
        | FactId::LicenceFile
        | FactId::Contributing
        | FactId::CodeOfConduct
        | FactId::Ownership
        | FactId::VulnDb => Confidence::High,
        FactId::Sbom
        | FactId::ScaInCi
        | FactId::SecurityContact
        | FactId::Notice
        | FactId::DependencyHealth
        | FactId::Upstream => Confidence::Medium,
    }
}

fn aggregate(
    fact: FactId,
    repos: &[RepoFacts],
    as_of: Date,
) -> (Status, Vec<String>, Vec<RepoOutcome>) {
    if repos.is_empty() {
        return (
            Status::Unknown,
            vec!["no repository was scanned".into()],
            Vec::new(),
        );
    }
    let outcomes: Vec<RepoOutcome> = repos
        .iter()
        .map(|r| {
            let (status, evidence) = repo_outcome(fact, r, as_of);
            RepoOutcome {
                repository: r.name.clone(),
                status,
                evidence,
            }
        })
        .collect();
    let applicable: Vec<&RepoOutcome> = outcomes
        .iter()
        .filter(|o| o.status != Status::NotApplicable)
        .collect();
    let n = applicable.len();
    let count = |s: Status| applicable.iter().filter(|o| o.status == s).count();
    let (met, partial, unknown) = (
        count(Status::Met),
        count(Status::Partial),
        count(Status::Unknown),
    );
    let names = |pred: &dyn Fn(Status) -> bool| -> String {
        let list: Vec<String> = applicable
            .iter()
            .filter(|o| pred(o.status))
            .map(|o| o.repository.clone())
            .collect();
        capped(list).join(", ")
    };
    let (status, mut evidence) = if n == 0 {
        (
            Status::NotApplicable,
            vec![format!(
                "applies to none of the {} repositories: {}",
                outcomes.len(),
                outcomes
                    .first()
                    .and_then(|o| o.evidence.first())
                    .cloned()
                    .unwrap_or_default()
            )],
        )
    } else if met == n {
        (
            Status::Met,
            vec![match n {
                1 => "the 1 repository in scope".to_owned(),
                n => format!("all {n} repositories in scope"),
            }],
        )
    } else if met + partial > 0 {
        (
            Status::Partial,
            vec![
                format!("{met} of {n} repositories meet it, {partial} in part"),
                format!("not met in: {}", names(&|s| s != Status::Met)),
            ],
        )
    } else if unknown == n {
        (
            Status::Unknown,
            vec![format!("unknown for all {n} repositories")],
        )
    } else {
        (
            Status::Unmet,
            vec![format!(
                "met in none of the repositories in scope: {}",
                names(&|_| true)
            )],
        )
    };
    let detail: Vec<String> = applicable
        .iter()
        .flat_map(|o| {
            o.evidence
                .iter()
                .map(move |e| format!("{}: {e}", o.repository))
        })
        .collect();
    evidence.extend(capped(detail));
    (status, evidence, outcomes)
}

fn unknown<T>(f: &Fact<T>) -> Option<(Status, Vec<String>)> {
    match f {
        Fact::Unknown { reason } => Some((Status::Unknown, vec![reason.clone()])),
        Fact::Known { .. } => None,
    }
}

fn files(f: &Fact<Vec<String>>, what: &str) -> (Status, Vec<String>) {
    match f {
        Fact::Known { value, .. } if !value.is_empty() => (Status::Met, value.clone()),
        Fact::Known { .. } => (Status::Unmet, vec![format!("no {what} found")]),
        Fact::Unknown { reason } => (Status::Unknown, vec![reason.clone()]),
    }
}

/// One repository's status and evidence for a per-repository fact.
pub fn repo_outcome(fact: FactId, r: &RepoFacts, as_of: Date) -> (Status, Vec<String>) {
    match fact {
        FactId::Inventory => match &r.inventory {
            Fact::Known { value, evidence } if value.projects > 0 => {
                (Status::Met, evidence.clone())
            }
            Fact::Known { value, evidence } if value.errors > 0 => {
                (Status::Unmet, evidence.clone())
            }
            Fact::Known { .. } => (
                Status::NotApplicable,
                vec!["no lockfile or manifest: nothing to inventory".into()],
            ),
            Fact::Unknown { reason } => (Status::Unknown, vec![reason.clone()]),
        },
        FactId::Sbom => {
            if let Some(u) = unknown(&r.ci) {
                return u;
            }
            let ci = r.ci.value().cloned().unwrap_or_default();
            if !ci.sbom.is_empty() {
                let e = ci
                    .sbom
                    .iter()
                    .map(|t| format!("{} generates an SBOM in {}", t.name, t.file))
                    .collect();
                return (Status::Met, e);
            }
            match r.sbom_files.value() {
                Some(v) if !v.is_empty() => {
                    let mut e: Vec<String> =
                        v.iter().map(|f| format!("committed SBOM {f}")).collect();
                    e.push("no CI step generates it, so it may be stale".into());
                    (Status::Partial, e)
                }
                _ => (Status::Unmet, vec!["no SBOM in CI or committed".into()]),
            }
        }
        FactId::LicencePolicy => match &r.policy {
            Fact::Known { value: Some(p), .. } if p.errors.is_empty() => {
                (Status::Met, vec![format!("{} is a valid policy", p.path)])
            }
            Fact::Known { value: Some(p), .. } => {
                let mut e = vec![format!(
                    "{} is not a valid policy ({} error(s))",
                    p.path,
                    p.errors.len()
                )];
                e.extend(p.errors.iter().take(3).cloned());
                (Status::Partial, e)
            }
            Fact::Known { value: None, .. } => (
                Status::Unmet,
                vec![format!("no {}", ospo_policy::FILE_NAME)],
            ),
            Fact::Unknown { reason } => (Status::Unknown, vec![reason.clone()]),
        },
        FactId::PolicyExceptions => match &r.policy {
            Fact::Known { value: None, .. } => (
                Status::NotApplicable,
                vec![format!("no {}: no exceptions", ospo_policy::FILE_NAME)],
            ),
            Fact::Known { value: Some(p), .. } if !p.errors.is_empty() => (
                Status::Unmet,
                vec![format!(
                    "{} does not validate (an exception may lack its reason or expiry)",
                    p.path
                )],
            ),
            Fact::Known { value: Some(p), .. } => {
                let expired: Vec<String> = p
                    .exceptions
                    .iter()
                    .filter(|e| e.expires.is_some_and(|d| d < as_of))
                    .map(|e| {
                        format!(
                            "{} expired on {} ({})",
                            e.subject,
                            e.expires.map(|d| d.to_string()).unwrap_or_default(),
                            e.place
                        )
                    })
                    .collect();
                if expired.is_empty() {
                    (
                        Status::Met,
                        vec![format!(
                            "{}: {} exception(s), each with a reason, none expired",
                            p.path,
                            p.exceptions.len()
                        )],
                    )
                } else {
                    (Status::Partial, capped(expired))
                }
            }
            Fact::Unknown { reason } => (Status::Unknown, vec![reason.clone()]),
        },
        FactId::ScaInCi => {
            if let Some(u) = unknown(&r.ci) {
                return u;
            }
            let ci = r.ci.value().cloned().unwrap_or_default();
            if !ci.sca.is_empty() {
                let e = ci
                    .sca
                    .iter()
                    .map(|t| format!("{} runs in {}", t.name, t.file))
                    .collect();
                (Status::Met, e)
            } else if !ci.update_bots.is_empty() {
                let mut e = vec![
                    "no SCA tool in CI; only an update bot alerts on vulnerable dependencies"
                        .to_owned(),
                ];
                e.extend(ci.update_bots.iter().cloned());
                (Status::Partial, e)
            } else if ci.files.is_empty() {
                (Status::Unmet, vec!["no CI configuration found".into()])
            } else {
                let mut e = vec!["CI runs no SCA tool:".to_owned()];
                e.extend(ci.files.iter().cloned());
                (Status::Unmet, capped(e))
            }
        }
        FactId::SecurityContact => match &r.security_policy {
            Fact::Known { value: Some(s), .. } if !s.contacts.is_empty() => (
                Status::Met,
                vec![format!("{} gives {}", s.file, s.contacts.join(", "))],
            ),
            Fact::Known { value: Some(s), .. } => (
                Status::Partial,
                vec![format!(
                    "{} names no e-mail address or link to report to",
                    s.file
                )],
            ),
            Fact::Known { value: None, .. } => (Status::Unmet, vec!["no SECURITY.md".into()]),
            Fact::Unknown { reason } => (Status::Unknown, vec![reason.clone()]),
        },
        FactId::LicenceFile => files(&r.licence_files, "LICENSE or COPYING file"),
        FactId::Contributing => files(&r.contributing, "CONTRIBUTING guide"),
        FactId::CodeOfConduct => files(&r.code_of_conduct, "CODE_OF_CONDUCT"),
        FactId::Ownership => files(
            &r.ownership,
            "CODEOWNERS, GOVERNANCE, MAINTAINERS or OWNERS file",
        ),
        FactId::Notice => {
            if let Fact::Known { value, .. } = &r.inventory
                && value.components == 0
                && value.errors == 0
            {
                return (
                    Status::NotApplicable,
                    vec!["no third-party components: no notices to give".into()],
                );
            }
            let from_ci: Vec<String> =
                r.ci.value()
                    .map(|c| {
                        c.notice
                            .iter()
                            .map(|t| format!("{} generates notices in {}", t.name, t.file))
                            .collect()
                    })
                    .unwrap_or_default();
            if !from_ci.is_empty() {
                return (Status::Met, from_ci);
            }
            files(&r.notice_files, "NOTICE or third-party notices file")
        }
        FactId::DependencyHealth => {
            if let Some(u) = unknown(&r.ci) {
                return u;
            }
            let ci = r.ci.value().cloned().unwrap_or_default();
            if !ci.health.is_empty() {
                let e = ci
                    .health
                    .iter()
                    .map(|t| format!("{} runs in {}", t.name, t.file))
                    .collect();
                (Status::Met, e)
            } else if !ci.update_bots.is_empty() {
                let mut e = vec![
                    "only an update bot keeps dependencies current; their health is not measured"
                        .to_owned(),
                ];
                e.extend(ci.update_bots.iter().cloned());
                (Status::Partial, e)
            } else {
                (
                    Status::Unmet,
                    vec!["no dependency health check or update bot".into()],
                )
            }
        }
        FactId::VulnDb | FactId::Upstream => (
            Status::Unknown,
            vec![format!("`{}` is a portfolio fact", fact.id())],
        ),
    }
}

fn portfolio_outcome(fact: FactId, facts: &PortfolioFacts) -> (Status, Vec<String>) {
    match fact {
        FactId::VulnDb => match &facts.vuln_db {
            Fact::Known { value, evidence } => {
                let mut e = evidence.clone();
                if value.ecosystems.is_empty() {
                    e.push(format!("no advisories at {}", value.path));
                    return (Status::Unmet, e);
                }
                let stale: Vec<String> = value
                    .ecosystems
                    .iter()
                    .filter(|x| x.stale)
                    .map(|x| match x.age_days {
                        Some(d) => format!("{} ({d} days old)", x.name),
                        None => format!("{} (age unknown)", x.name),
                    })
                    .collect();
                if stale.is_empty() {
                    e.push(format!(
                        "every ecosystem imported within {} days",
                        value.max_age_days
                    ));
                    (Status::Met, e)
                } else {
                    e.push(format!(
                        "stale (older than {} days): {}",
                        value.max_age_days,
                        stale.join(", ")
                    ));
                    (Status::Partial, e)
                }
            }
            Fact::Unknown { reason } => (Status::Unknown, vec![reason.clone()]),
        },
        FactId::Upstream => match &facts.upstream {
            Fact::Known { value, evidence } if value.commits > 0 => {
                let mut e = evidence.clone();
                e.insert(
                    0,
                    format!(
                        "{} commit(s) from {} in {} dependenc(ies)",
                        value.commits,
                        value.domains.join(", "),
                        value.projects.len()
                    ),
                );
                (Status::Met, e)
            }
            Fact::Known { value, .. } => (
                Status::Unmet,
                vec![format!(
                    "no commit from {} in the dependencies",
                    value.domains.join(", ")
                )],
            ),
            Fact::Unknown { reason } => (Status::Unknown, vec![reason.clone()]),
        },
        other => (
            Status::Unknown,
            vec![format!("`{}` is a per-repository fact", other.id())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{PolicyException, PolicyFile};

    fn day(s: &str) -> Date {
        crate::attest::parse_date(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn repo(name: &str) -> RepoFacts {
        let mut r = RepoFacts::unknown(name, name, "test");
        r.policy = Fact::known(
            Some(PolicyFile {
                path: "ospo.toml".into(),
                errors: Vec::new(),
                exceptions: vec![PolicyException {
                    subject: "[licenses] pkg:npm/x".into(),
                    expires: Some(day("2026-03-01")),
                    place: "ospo.toml:9:1".into(),
                }],
            }),
            Vec::new(),
        );
        r
    }

    /// An exception is live through its expiry day and makes the criterion partial after it.
    #[test]
    fn expired_policy_exceptions_are_partial() {
        let r = repo("a");
        let (s, _) = repo_outcome(FactId::PolicyExceptions, &r, day("2026-03-01"));
        assert_eq!(s, Status::Met);
        let (s, e) = repo_outcome(FactId::PolicyExceptions, &r, day("2026-03-02"));
        assert_eq!(s, Status::Partial);
        assert_eq!(
            e,
            ["[licenses] pkg:npm/x expired on 2026-03-01 (ospo.toml:9:1)"]
        );
    }

    /// Aggregation: all met is met, some is partial, none is unmet, nothing known is unknown.
    #[test]
    fn repositories_aggregate() {
        let as_of = day("2026-01-01");
        let mut with = repo("with");
        with.licence_files = Fact::known(vec!["LICENSE".into()], Vec::new());
        let mut without = repo("without");
        without.licence_files = Fact::known(Vec::new(), Vec::new());
        let unknown = repo("unknown");
        let status = |repos: &[RepoFacts]| aggregate(FactId::LicenceFile, repos, as_of).0;
        assert_eq!(status(&[with.clone()]), Status::Met);
        assert_eq!(status(&[with.clone(), without.clone()]), Status::Partial);
        assert_eq!(status(&[without.clone(), unknown.clone()]), Status::Unmet);
        assert_eq!(status(&[unknown]), Status::Unknown);
        assert_eq!(status(&[]), Status::Unknown);
    }

    /// A live attestation decides an automatic criterion the scan does not find met; an expired
    /// one no longer counts and the evidence says so.
    #[test]
    fn attestations_cover_what_the_scan_cannot_see() {
        let cat = Catalogue::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let text = "[[attestation]]\ncriterion = \"ospo-stages:community-upstream\"\nanswer = \"met\"\nby = \"x\"\ndate = 2026-01-01\nstatement = \"Commits upstream.\"\nexpires = 2026-12-31\n\n[[attestation]]\ncriterion = \"ospo-stages:legal-metrics\"\nanswer = \"met\"\nby = \"x\"\ndate = 2025-01-01\nstatement = \"Dashboards.\"\nexpires = 2025-12-31\n";
        let facts = PortfolioFacts::new(vec![repo("a")]);
        let options = Options {
            as_of: day("2026-06-01"),
            frameworks: Vec::new(),
        };
        let loaded = crate::attest::load_str(std::path::Path::new("f"), text, &cat, options.as_of);
        let a = assess(&cat, &facts, &loaded.attestations, &options);
        let find = |id: &str| {
            a.frameworks
                .iter()
                .flat_map(|f| &f.criteria)
                .find(|c| c.id == id)
                .cloned()
                .unwrap_or_else(|| panic!("{id}"))
        };
        let up = find("ospo-stages:community-upstream");
        assert_eq!((up.status, &up.basis), (Status::Met, &Basis::Attested));
        assert!(up.evidence[0].starts_with("attested met by x on 2026-01-01"));
        assert!(up.evidence.iter().any(|e| e.contains("not measured")));
        // Its crosswalk twin in the security levels is met through it.
        let fix = find("security-levels:l3-fix-upstream");
        assert_eq!(fix.status, Status::Met);
        let metrics = find("ospo-stages:legal-metrics");
        assert_eq!(metrics.status, Status::Unknown);
        assert!(
            metrics.evidence[0].contains("expired on 2025-12-31"),
            "{:?}",
            metrics.evidence
        );
    }
}
