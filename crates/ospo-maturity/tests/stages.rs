//! Fixture portfolios, built here as folders of tiny repositories, that land exactly at stages 0,
//! 1 and 2 of the five-stage model for known reasons; adding the missing evidence moves each up
//! one stage. Also the JSON and Markdown output of one portfolio (snapshots).
#![allow(clippy::unwrap_used)]

use std::path::Path;

use ospo_maturity::assess::{Basis, Status};
use ospo_maturity::attest::{self, Answer, Attestation};
use ospo_maturity::facts::{DbEcosystem, Fact, PortfolioFacts, VulnDb};
use ospo_maturity::{Assessment, Catalogue, Options, assess, probe, render};
use time::Date;

const REPOS: [&str; 2] = ["api", "web"];

fn day(s: &str) -> Date {
    attest::parse_date(s).unwrap()
}

fn as_of() -> Date {
    day("2026-06-01")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CARGO_LOCK: &str = "version = 3\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

/// Stage 0: repositories with lockfiles and nothing else.
fn stage0(root: &Path) {
    for r in REPOS {
        std::fs::create_dir_all(root.join(r).join(".git")).unwrap();
        write(root, &format!("{r}/Cargo.lock"), CARGO_LOCK);
    }
}

/// The legal-driven stage's evidence: licence, policy, SCA and SBOM in CI.
fn stage1_files(root: &Path) {
    for r in REPOS {
        write(root, &format!("{r}/LICENSE"), "Apache-2.0");
        write(
            root,
            &format!("{r}/ospo.toml"),
            "[licenses]\nallow = [\"MIT\", \"Apache-2.0\"]\n",
        );
        write(
            root,
            &format!("{r}/.github/workflows/ci.yml"),
            "jobs:\n  ospo:\n    steps:\n      - run: ospo check\n      - run: ospo sbom -o sbom.cdx.json\n",
        );
    }
}

/// The community-driven stage's files.
fn stage2_files(root: &Path) {
    for r in REPOS {
        write(root, &format!("{r}/CONTRIBUTING.md"), "How to contribute.");
    }
}

/// The engagement-driven stage's files.
fn stage3_files(root: &Path) {
    for r in REPOS {
        write(root, &format!("{r}/.github/CODE_OF_CONDUCT.md"), "Be kind.");
        write(root, &format!("{r}/.github/CODEOWNERS"), "* @example/ospo");
        write(
            root,
            &format!("{r}/SECURITY.md"),
            "Report to security@example.com.",
        );
        write(
            root,
            &format!("{r}/.github/workflows/scorecard.yml"),
            "steps:\n  - uses: ossf/scorecard-action@v2\n",
        );
    }
}

const STAGE1_ATTESTED: &[&str] = &[
    "legal-developer-education",
    "legal-identify-risks",
    "legal-usage-policy",
    "legal-compliance-process",
    "legal-metrics",
];
const STAGE2_ATTESTED: &[&str] = &[
    "community-ambassadors",
    "community-hygiene-education",
    "community-training-certification",
    "community-incentives",
    "community-upstream",
    "community-outbound",
    "community-launch",
    "community-metrics",
];
const STAGE3_ATTESTED: &[&str] = &[
    "engagement-launch-public",
    "engagement-playbooks",
    "engagement-coach-leaders",
    "engagement-participation",
];

fn attestations(ids: &[&str]) -> String {
    let list: Vec<Attestation> = ids
        .iter()
        .map(|id| Attestation {
            criterion: format!("ospo-stages:{id}"),
            answer: Answer::Met,
            by: "OSPO lead <ospo@example.com>".into(),
            date: day("2026-01-15"),
            statement: format!("Reviewed {id} with the teams."),
            link: None,
            expires: day("2027-01-15"),
            place: String::new(),
        })
        .collect();
    attest::append("", &list)
}

fn run(root: &Path, attested: &[&str]) -> Assessment {
    let cat = Catalogue::builtin().unwrap();
    let scanned = ospo_inventory::scan(
        &[root.to_path_buf()],
        &ospo_inventory::ScanOptions::default(),
        &ospo_inventory::ScanProgress::default(),
    );
    let mut facts = PortfolioFacts::new(probe::portfolio(&scanned));
    facts.vuln_db = Fact::known(
        VulnDb {
            path: "db".into(),
            max_age_days: 7,
            ecosystems: vec![DbEcosystem {
                name: "crates.io".into(),
                age_days: Some(1),
                stale: false,
            }],
        },
        vec!["`ospo db status` of db: 1 ecosystem(s)".into()],
    );
    let loaded = attest::load_str(
        Path::new("ospo-attestations.toml"),
        &attestations(attested),
        &cat,
        as_of(),
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assess(
        &cat,
        &facts,
        &loaded.attestations,
        &Options {
            as_of: as_of(),
            frameworks: Vec::new(),
        },
    )
}

fn stages(a: &Assessment) -> &ospo_maturity::assess::FrameworkAssessment {
    a.frameworks.iter().find(|f| f.id == "ospo-stages").unwrap()
}

/// The criteria of a stage that are not done, with their status.
fn blockers(a: &Assessment, stage: u32) -> Vec<(String, Status)> {
    stages(a)
        .criteria
        .iter()
        .filter(|c| c.stage == stage && !c.status.done())
        .map(|c| (c.id.trim_start_matches("ospo-stages:").to_owned(), c.status))
        .collect()
}

fn ids(list: &[(&str, Status)]) -> Vec<(String, Status)> {
    list.iter().map(|(i, s)| ((*i).to_owned(), *s)).collect()
}

#[test]
fn stage_0_is_lockfiles_only_and_stage_1_evidence_moves_it_up() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    stage0(root);
    let a = run(root, &[]);
    assert_eq!(a.repositories, ["api", "web"]);
    assert_eq!(stages(&a).reached, 0);
    // Known reasons: the inventory is the only stage-1 criterion met.
    let mut want = vec![
        ("legal-sbom", Status::Unmet),
        ("legal-licence-policy", Status::Unmet),
        ("legal-own-licence", Status::Unmet),
        ("legal-sca-tooling", Status::Unmet),
    ];
    want.extend(STAGE1_ATTESTED.iter().map(|id| (*id, Status::Unknown)));
    let mut got = blockers(&a, 1);
    got.sort();
    let mut want = ids(&want);
    want.sort();
    assert_eq!(got, want);
    // The next activities are stage-1 work, and the first ones complete no stage alone but are
    // proven by a command; every activity names its how-to.
    assert!(
        a.next
            .iter()
            .any(|n| n.criterion == "ospo-stages:legal-licence-policy")
    );
    assert!(a.next.iter().all(|n| !n.how_to.is_empty()));

    stage1_files(root);
    let a = run(root, STAGE1_ATTESTED);
    assert_eq!(stages(&a).reached, 1, "{:#?}", blockers(&a, 1));
}

#[test]
fn stage_1_lacks_the_community_and_stage_2_evidence_moves_it_up() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    stage0(root);
    stage1_files(root);
    let a = run(root, STAGE1_ATTESTED);
    assert_eq!(stages(&a).reached, 1);
    let mut want = vec![("community-innersource", Status::Unmet)];
    want.extend(STAGE2_ATTESTED.iter().map(|id| (*id, Status::Unknown)));
    let mut got = blockers(&a, 2);
    got.sort();
    let mut want = ids(&want);
    want.sort();
    assert_eq!(got, want);
    // The policy has no exceptions, so `community-policies` is already met.
    let policies = stages(&a)
        .criteria
        .iter()
        .find(|c| c.id == "ospo-stages:community-policies")
        .unwrap();
    assert_eq!(policies.status, Status::Met);
    // Crosswalk: the stage-1 attestation of risks satisfies the security level 2 criterion.
    let sec = a
        .frameworks
        .iter()
        .find(|f| f.id == "security-levels")
        .unwrap();
    let risk = sec
        .criteria
        .iter()
        .find(|c| c.id == "security-levels:l2-assess-risk")
        .unwrap();
    assert_eq!(risk.status, Status::Met);
    assert_eq!(
        risk.basis,
        Basis::Crosswalk {
            from: "ospo-stages:legal-identify-risks".into()
        }
    );

    stage2_files(root);
    let both: Vec<&str> = STAGE1_ATTESTED
        .iter()
        .chain(STAGE2_ATTESTED)
        .copied()
        .collect();
    let a = run(root, &both);
    assert_eq!(stages(&a).reached, 2, "{:#?}", blockers(&a, 2));
}

#[test]
fn stage_2_lacks_engagement_and_stage_3_evidence_moves_it_up() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    stage0(root);
    stage1_files(root);
    stage2_files(root);
    let mut attested: Vec<&str> = STAGE1_ATTESTED
        .iter()
        .chain(STAGE2_ATTESTED)
        .copied()
        .collect();
    let a = run(root, &attested);
    assert_eq!(stages(&a).reached, 2);
    let mut want = vec![
        ("engagement-code-of-conduct", Status::Unmet),
        ("engagement-ownership", Status::Unmet),
        ("engagement-security-contact", Status::Unmet),
        ("engagement-health-metrics", Status::Unmet),
    ];
    want.extend(STAGE3_ATTESTED.iter().map(|id| (*id, Status::Unknown)));
    let mut got = blockers(&a, 3);
    got.sort();
    let mut want = ids(&want);
    want.sort();
    assert_eq!(got, want);

    // Half the evidence: one repository with a security policy is partial, not met.
    write(root, "api/SECURITY.md", "Mail security@example.com.");
    let a = run(root, &attested);
    let sec = stages(&a)
        .criteria
        .iter()
        .find(|c| c.id == "ospo-stages:engagement-security-contact")
        .unwrap();
    assert_eq!(sec.status, Status::Partial);
    assert_eq!(sec.evidence[1], "not met in: web");

    stage3_files(root);
    attested.extend(STAGE3_ATTESTED);
    let a = run(root, &attested);
    assert_eq!(stages(&a).reached, 3, "{:#?}", blockers(&a, 3));
    // Stage 4 is attested only: what remains is four questions for a person.
    assert!(blockers(&a, 4).iter().all(|(_, s)| *s == Status::Unknown));
}

/// The next activities are ranked by what they unlock: an activity that is the last blocker of
/// a stage comes first.
#[test]
fn the_last_blocker_of_a_stage_ranks_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    stage0(root);
    stage1_files(root);
    let a = run(root, &STAGE1_ATTESTED[1..]);
    assert_eq!(stages(&a).reached, 0);
    let first = &a.next[0];
    assert_eq!(first.criterion, "ospo-stages:legal-developer-education");
    assert_eq!(first.completes, ["ospo-stages stage 1"]);
    // It satisfies its security-level equivalent too.
    assert_eq!(
        first.satisfies,
        [
            "ospo-stages:legal-developer-education",
            "security-levels:l2-secure-code-education"
        ]
    );
}

#[test]
fn json_and_markdown_of_a_stage_1_portfolio() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    stage0(root);
    stage1_files(root);
    let a = run(root, STAGE1_ATTESTED);
    insta::assert_snapshot!("stage1-json", render::json(&a));
    insta::assert_snapshot!("stage1-md", render::markdown(&a));
    let html = render::html_page(&a);
    assert!(html.contains("<svg") && html.contains("Progress per mindmap group"));
    assert!(!html.contains("<script"));
}
