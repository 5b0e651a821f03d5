//! The seeds are the specification: every stage, level, responsibility and activity they name
//! appears in the framework data as a citation, and every citation is a verbatim quote of its
//! seed (up to runs of white space: the seeds are transcripts whose sentences break across
//! lines). The seed files are read from `$OSPO_SEEDS` or `../shared/seeds` beside the repository;
//! the verbatim check skips with a message when they are missing, the coverage check never does.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::PathBuf;

use ospo_maturity::framework::{Catalogue, Citation, SEEDS, normalise_space};

/// The phrases of the seeds, written out from the seed texts: stages, levels, responsibilities,
/// activities and OKRs, the mindmap, the security steps.
const EXPECTED: &[(&str, &str)] = &[
    // Seed 002: the five-stage model, its stages and their activities.
    ("002", "Legal-Driven Stage"),
    ("002", "Community-Driven Stage"),
    ("002", "Engagement-Driven Stage"),
    ("002", "Leadership-Driven Stage"),
    (
        "002",
        "Organizations must identify their legal and security risks.",
    ),
    ("002", "Careful licensing"),
    ("002", "Developer education"),
    ("002", "Inventory-taking"),
    ("002", "Secure software fundamentals"),
    (
        "002",
        "Implementing open source license compliance management",
    ),
    (
        "002",
        "Implement ISO/IEC 5230 specification through the lens of an OSPO",
    ),
    ("002", "Open Source Policy Examples and Templates"),
    ("002", "SCA tooling"),
    ("002", "Metrics - Project quality"),
    (
        "002",
        "ambassadors who promote usage of approved OSS products",
    ),
    ("002", "educational programs on good OSS hygiene"),
    (
        "002",
        "technical training or skill building and certification in OSS",
    ),
    ("002", "implement innersource principles"),
    (
        "002",
        "incentivizing their developers to work on OSS projects critical to their operations",
    ),
    (
        "002",
        "developers become highly active contributors or primary maintainers",
    ),
    (
        "002",
        "streamline and optimize open outbound source contributions for their developers",
    ),
    ("002", "OSPOs create and launch open source projects"),
    ("002", "Defining OSPO policies"),
    ("002", "OSPO Metrics working group"),
    (
        "002",
        "support incubating and launching open source projects into the public sphere",
    ),
    (
        "002",
        "OSPO develops internal processes, playbooks, checklists, tooling, and other mechanisms to vet, organize, and operate open source projects",
    ),
    ("002", "prepare and coach their leaders"),
    ("002", "Participating in open source communities"),
    ("002", "Community health Metrics Standards"),
    ("002", "strategic partner for technology decisions"),
    (
        "002",
        "Advises the CTO and technology leadership on open source technologies to adopt / remove",
    ),
    (
        "002",
        "Take the lead on benchmarking what constitutes an acceptable OSS project",
    ),
    (
        "002",
        "Help organizations understand and navigate project governance",
    ),
    ("002", "shape long-term commitments to projects"),
    // Seed 002: the twelve OSPO responsibilities.
    ("002", "Develop and Execute Open Source Strategy"),
    (
        "002",
        "Eliminate Friction from Using and Contributing to Open Source",
    ),
    ("002", "Manage Open Source IT Infrastructure"),
    ("002", "Give Advice on Open Source"),
    (
        "002",
        "Grow and Retain Open Source Talent Inside the Organization",
    ),
    ("002", "Implement InnerSource Practices"),
    ("002", "Track Performance Metrics"),
    ("002", "Collaborate with Open Source Organizations"),
    (
        "002",
        "Prioritize and Drive Open Source Upstream Development",
    ),
    (
        "002",
        "Establish and Improve Open Source Policies and Processes",
    ),
    ("002", "Oversee Open Source Compliance"),
    ("002", "Support Corporate Development Activities"),
    // Seed 000: the five levels (CISO column), responsibilities, encouraged activities / OKRs.
    ("000", "No established policies or risk management for OSS"),
    (
        "000",
        "Developing the firms’ risk governance, policies, and compliance processes of how to leverage OSS.",
    ),
    (
        "000",
        "Knowledge of open source security and managing secure code programs",
    ),
    (
        "000",
        "OSS security integrated into cyber risk and compliance",
    ),
    (
        "000",
        "OSS security oriented to contributing not just consuming",
    ),
    (
        "000",
        "Security efforts support the firm as an outside maintainer, or security reviews of a contributed project on behalf of company.",
    ),
    (
        "000",
        "Has OSS work scoped into their role, participation in community and externally",
    ),
    ("000", "Assessing risk of OSS operations and compliance."),
    (
        "000",
        "Creating an understanding of OSS Licenses from a consumption perspective",
    ),
    ("000", "Developing secure code projects and education"),
    (
        "000",
        "Share process of leveraging secure open source with others",
    ),
    ("000", "Developing education and awareness of secure OSS"),
    (
        "000",
        "Guidelines for experimenting more with OSS outside of work.",
    ),
    ("000", "Understand permissions granted by an OSS License"),
    (
        "000",
        "Might be maintaining internal forks of external projects",
    ),
    ("000", "Fixing a bug in an open source project"),
    (
        "000",
        "Understanding OSS Licenses from the perspective of contributing",
    ),
    ("000", "OSS security incorporated into security metrics"),
    ("000", "Invested in OSS community."),
    (
        "000",
        "Contributing to security and secure code practices and tools.",
    ),
    ("000", "To have them differentiated to receive budget"),
    (
        "000",
        "Understand limiitations of OSS Licenses and maintains compliance",
    ),
    ("000", "Seen as OSS security SME"),
    ("000", "Maintaining a secure open source project"),
    ("000", "Understanding and getting started with patents."),
    (
        "000",
        "Proactively and strategically leverage OSS licensing models to maintain compliance",
    ),
    (
        "000",
        "Community Engagement/ Public Speaking/Content (Blogs, etc)",
    ),
    ("000", "OSS security is integrated into the security budget"),
    // Seed 003: the mindmap's groups and activities, and managing open source security.
    ("003", "Strategy, Partnerships"),
    ("003", "Policy, Risk"),
    ("003", "Measurement, Impact"),
    ("003", "Engineer Experience, Platform"),
    ("003", "Collaborate with Internal Stakeholders"),
    ("003", "Collaborate with Open Source Organizations"),
    (
        "003",
        "Prioritize and Drive Open Source Upstream Development",
    ),
    ("003", "Give Advice on Open Source"),
    ("003", "Support Corporate Development Activities"),
    ("003", "Establish and Improve Open Source Processes"),
    ("003", "Establish and Improve Open Source Policies"),
    ("003", "Oversee Open Source Compliance"),
    (
        "003",
        "Define and Track Performance Metrics / Technical Debt",
    ),
    ("003", "Implement InnerSource Practices"),
    (
        "003",
        "Eliminate Friction from Using and Contributing to Open Source",
    ),
    ("003", "Manage Open Source IT Infrastructure"),
    (
        "003",
        "Grow and Retain Open Source Talent Inside the Organization",
    ),
    (
        "003",
        "Use OpenSSF's guides and tools to make sure the OSS software you develop is secure.",
    ),
    (
        "003",
        "Choose and use open source components carefully with security in mind.",
    ),
    (
        "003",
        "Protect your environments, including development, build, test, and distribution.",
    ),
    (
        "003",
        "Use automated tools in your Continuous Integration (CI) pipeline to catch security issues early.",
    ),
    (
        "003",
        "Security training and education helps developers and managers",
    ),
    // Seed 004: the OSPO's objectives.
    ("004", "managing the open source software inventory"),
    ("004", "identifying and managing legal and compliance risks"),
    (
        "004",
        "setting code use, distribution, selection, auditing and other policies",
    ),
    ("004", "training developers"),
    ("004", "promoting and building community engagement"),
    (
        "004",
        "evaluating open source projects and components to determine whether they meet company standards and requirements",
    ),
    ("004", "contributing back to open source projects"),
    // Seed 001: the community angle.
    ("001", "better identify project health issues"),
    (
        "001",
        "Do they need help with infrastructure, project management tasks, staff, or funding?",
    ),
];

fn catalogue() -> Catalogue {
    Catalogue::builtin().unwrap_or_else(|e| panic!("{e:#?}"))
}

/// Every citation of the catalogue, with what cites it.
fn citations(cat: &Catalogue) -> Vec<(String, Citation)> {
    let mut out = Vec::new();
    for (g, _, cs) in &cat.groups {
        out.extend(cs.iter().map(|c| (format!("group {}", g.id()), c.clone())));
    }
    for r in &cat.responsibilities {
        out.extend(
            r.citations
                .iter()
                .map(|c| (format!("responsibility {}", r.id), c.clone())),
        );
    }
    for f in &cat.frameworks {
        for s in &f.stages {
            out.extend(
                s.citations
                    .iter()
                    .map(|c| (format!("{} {} {}", f.id, f.step, s.number), c.clone())),
            );
        }
        for cr in &f.criteria {
            out.extend(cr.citations.iter().map(|c| (cr.id.clone(), c.clone())));
        }
    }
    out
}

#[test]
fn every_phrase_of_the_seeds_is_cited() {
    let cat = catalogue();
    let cited = citations(&cat);
    let mut missing = Vec::new();
    for (seed, phrase) in EXPECTED {
        let phrase = normalise_space(phrase);
        if !cited
            .iter()
            .any(|(_, c)| c.seed == *seed && normalise_space(&c.quote).contains(&phrase))
        {
            missing.push(format!("{seed}: {phrase}"));
        }
    }
    assert!(missing.is_empty(), "not cited: {missing:#?}");
    // Each stage of the five-stage model and each security level is in the data, in order.
    let stages: Vec<&str> = cat
        .framework("ospo-stages")
        .unwrap()
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        stages,
        [
            "Ad hoc",
            "Legal-driven",
            "Community-driven",
            "Engagement-driven",
            "Leadership-driven"
        ]
    );
    let levels: Vec<u32> = cat
        .framework("security-levels")
        .unwrap()
        .stages
        .iter()
        .map(|s| s.number)
        .collect();
    assert_eq!(levels, [1, 2, 3, 4, 5]);
}

fn seeds_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("OSPO_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: no seeds at {} (set OSPO_SEEDS)", dir.display());
        None
    }
}

#[test]
fn every_citation_is_a_verbatim_quote_of_its_seed() {
    let Some(dir) = seeds_dir() else { return };
    let mut texts = std::collections::BTreeMap::new();
    for (id, file, _) in SEEDS {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        texts.insert(*id, normalise_space(&text));
    }
    let mut wrong = Vec::new();
    for (who, c) in citations(&catalogue()) {
        if !texts[c.seed.as_str()].contains(&normalise_space(&c.quote)) {
            wrong.push(format!("{who}: seed {}: {}", c.seed, c.quote));
        }
    }
    assert!(wrong.is_empty(), "not in the seed: {wrong:#?}");
    // The expected phrases themselves are the seeds' words.
    for (seed, phrase) in EXPECTED {
        assert!(
            texts[seed].contains(&normalise_space(phrase)),
            "{seed}: {phrase}"
        );
    }
}
