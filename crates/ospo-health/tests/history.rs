//! History metrics on repositories built by script, each value computed by hand from the table
//! of the fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ospo_health::{Options, OrgMap, assess};
use serde_json::json;

fn opts() -> Options {
    Options::new(AS_OF)
}

/// The team fixture (`common::team_repo`), d = days before the as-of date:
///
/// | #  | d   | author                               | notes                                   |
/// |----|-----|--------------------------------------|-----------------------------------------|
/// | 1  | 800 | alice <alice@old-laptop>             | .mailmap maps it to Alice Smith         |
/// | 2  | 700 | Bob Jones <bob@acme.example>         |                                         |
/// | 3  | 600 | Eve Old <eve@initech.example>        | never again: inactive                   |
/// | 4  | 500 | Alice Smith                          |                                         |
/// | 5  | 400 | Dan Brown <dan@eu.globex.example>    | tag v1.0.0 (annotated, signed, d=400)   |
/// | 6  | 300 | Carol White <…noreply.github.com>    | Carol's first commit                    |
/// | 7  | 200 | Alice Smith                          | Signed-off-by; tag 1.1.0 (lightweight)  |
/// | 8  | 100 | Bob Jones, committed by GitHub       | Signed-off-by; committer ≠ author       |
/// | 9  | 80  | dependabot[bot]                      | bot                                     |
/// | 10 | 60  | Carol White <carol@gmail.com>        | Reviewed-by; merged with 6 by full name |
/// | 11 | 50  | renovate[bot]                        | bot                                     |
/// | 12 | 40  | Dan Brown <dan@globex.example>       | merged with 5 by full name              |
/// | 13 | 30  | Alice Smith                          | Signed-off-by; tag v2.0.0-rc.1          |
/// | 14 | 10  | Alice Smith                          | gpgsig header                           |
/// | 15 | 5   | Alice Smith                          | tag `nightly` (not a version)           |
/// | 16 | -10 | Bob Jones                            | after the as-of date: ignored           |
#[test]
fn team_history_metrics_are_exact() {
    let repo = team_repo();
    let r = assess(&repo.path, &opts()).unwrap();
    let h = &r.history;
    assert!(h.complete);
    assert!(!r.shallow);
    // People's commits at or before the as-of date: 1-8, 10, 12-15.
    assert_eq!(h.commits.value, Some(13));
    assert_eq!(h.commits.inputs["bot_commits"], json!(2));
    assert_eq!(h.commits.inputs["commits_after_as_of"], json!(1));
    assert_eq!(h.last_commit_days.value, Some(5));
    assert_eq!(h.repository_age_days.value, Some(800));
    // d < 90: 10, 12, 13, 14, 15.
    assert_eq!(h.commits_90d.value, Some(5));
    // d < 365: 6, 7, 8, 10, 12, 13, 14, 15.
    assert_eq!(h.commits_365d.value, Some(8));
    // 8 / (365 / 7) = 0.1534…
    assert_eq!(h.commits_per_week.value, Some(0.15));
    // Weeks back (d / 7, floored): 42, 28, 14, 8, 5, 4, 1, 0: all distinct.
    assert_eq!(h.active_weeks_365d.value, Some(8));
    // Carol (10), Dan (12), Alice (13-15).
    assert_eq!(h.contributors_90d.value, Some(3));
    // Carol, Alice, Bob, Dan.
    assert_eq!(h.contributors_365d.value, Some(4));
    // Alice (both addresses), Bob, Eve, Dan (both addresses), Carol (both addresses).
    assert_eq!(h.contributors_all.value, Some(5));
    // Only Carol's first commit is within the year.
    assert_eq!(h.new_contributors_365d.value, Some(1));
    // Active 365-730 days ago: Bob, Eve, Alice, Dan; of them only Eve is absent since.
    assert_eq!(h.inactive_contributors_365d.value, Some(1));
    assert_eq!(
        h.inactive_contributors_365d.inputs["active_previous_year"],
        json!(4)
    );
    // Last year: Alice 4, Carol 2, Bob 1, Dan 1 of 8: Alice alone makes half.
    assert_eq!(h.bus_factor.value, Some(1));
    assert_eq!(
        h.bus_factor.inputs["top_authors"][0],
        json!({"name": "Alice Smith", "commits": 4, "share": 50.0})
    );
    // acme.example (Alice 4 + Bob 1 = 5 of 8) is more than half.
    assert_eq!(h.elephant_factor.value, Some(1));
    assert_eq!(h.top_organisation_share.value, Some(62.5));
    // Named organisations: acme.example, globex.example (Carol is independent).
    assert_eq!(h.organisations_365d.value, Some(2));
    assert_eq!(
        h.organisations_365d.inputs["organisations"],
        json!(["acme.example", "globex.example"])
    );
    // Releases: v1.0.0 (d=400), 1.1.0 (d=200), v2.0.0-rc.1 (d=30); `nightly` is not one.
    assert_eq!(h.releases.value, Some(3));
    assert_eq!(h.releases.inputs["other_tags"], json!(1));
    assert_eq!(h.releases_365d.value, Some(2));
    assert_eq!(h.last_release_days.value, Some(30));
    assert_eq!(h.last_release_days.inputs["tag"], json!("v2.0.0-rc.1"));
    // Commits 14 and 15 are not in v2.0.0-rc.1.
    assert_eq!(h.unreleased_commits.value, Some(2));
    // The last 3 releases, one signed (v1.0.0).
    assert_eq!(h.signed_releases_share.value, Some(33.33));
    // First-parent changesets by people at or before the as-of date: 13 (1-8, 10, 12-15);
    // reviewed: 10 (Reviewed-by) and 8 (committed by GitHub).
    assert_eq!(h.reviewed_changesets.inputs["changesets"], json!(13));
    assert_eq!(h.reviewed_changesets.inputs["review_trailer"], json!(1));
    assert_eq!(
        h.reviewed_changesets.inputs["committer_not_author"],
        json!(1)
    );
    assert_eq!(h.reviewed_changesets.value, Some(15.38));
    // Of the 8 commits of the year: 7, 8, 13 signed off; 14 signed.
    assert_eq!(h.signed_off_share.value, Some(37.5));
    assert_eq!(h.signed_commits_share.value, Some(12.5));
    assert_eq!(h.bot_commits_365d.value, Some(2));
    assert_eq!(h.bot_commits_365d.inputs["dependabot"], json!(1));
    assert_eq!(h.bot_commits_365d.inputs["renovate"], json!(1));

    // The checks built on them.
    let score = |name: &str| r.check(name).unwrap().score();
    // 5 commits in 90 days: 10 * 5 / 12, floored.
    assert_eq!(score("Maintained"), Some(4));
    // 2 of 13 changesets: 10 * 2 / 13, floored.
    assert_eq!(score("Code-Review"), Some(1));
    // 2 organisations of the 3 for a full score.
    assert_eq!(score("Contributors"), Some(6));
    // 1 of 3 release tags signed.
    assert_eq!(score("Signed-Releases"), Some(3));
    assert_eq!(r.flags.bus_factor_one.value, Some(true));
    assert_eq!(r.flags.abandoned.value, Some(false));
    // Every metric explains itself.
    let v = serde_json::to_value(&r).unwrap();
    for (name, m) in v["history"].as_object().unwrap() {
        if name == "complete" {
            continue;
        }
        assert!(
            m["reason"].as_str().is_some_and(|s| !s.is_empty()),
            "{name}"
        );
        assert!(m.get("value").is_some(), "{name}");
    }
}

/// The organisation map merges domains: Dan's `eu.globex.example` is `Globex`, and a map of
/// `acme.example` to the same organisation makes one organisation of three people.
#[test]
fn org_map_changes_the_elephant_factor() {
    let repo = team_repo();
    let mut o = opts();
    o.org_map = OrgMap::from_pairs([("globex.example", "Globex"), ("acme.example", "Globex")]);
    let r = assess(&repo.path, &o).unwrap();
    assert_eq!(r.history.organisations_365d.value, Some(1));
    assert_eq!(
        r.history.organisations_365d.inputs["organisations"],
        json!(["Globex"])
    );
    // Globex: Alice 4 + Bob 1 + Dan 1 = 6 of 8 = 75 %.
    assert_eq!(r.history.top_organisation_share.value, Some(75.0));
    assert_eq!(r.history.elephant_factor.value, Some(1));
}

/// Bus factor 3 and elephant factor 3, and 2 with an organisation map; no tags at all.
///
/// Last year: three people at a.example, b.example, c.example with 2 commits each, three at
/// gmail.com with 1 each (9 commits): 2+2 = 4 < 4.5, 2+2+2 = 6 ≥ 4.5, so 3 people (and 3
/// organisations) make half. With a.example and b.example mapped to BigCo: BigCo 4, then c 2:
/// 6 ≥ 4.5 with 2 organisations.
#[test]
fn bus_factor_three_elephant_factor_and_no_tags() {
    let mut repo = Repo::new();
    let people = [
        Who("Ann One", "ann@a.example"),
        Who("Ben Two", "ben@b.example"),
        Who("Cat Three", "cat@c.example"),
        Who("Dee Four", "dee@gmail.com"),
        Who("Eli Five", "eli@gmail.com"),
        Who("Fay Six", "fay@gmail.com"),
    ];
    let mut d = 100;
    for (i, p) in people.iter().enumerate() {
        let n = if i < 3 { 2 } else { 1 };
        for _ in 0..n {
            repo.commit(*p, days_ago(d), "work");
            d -= 5;
        }
    }
    let r = assess(&repo.path, &opts()).unwrap();
    assert_eq!(r.history.commits.value, Some(9));
    assert_eq!(r.history.bus_factor.value, Some(3));
    assert_eq!(r.history.elephant_factor.value, Some(3));
    assert_eq!(r.history.organisations_365d.value, Some(3));
    assert_eq!(r.flags.bus_factor_one.value, Some(false));
    // No tags: release metrics are unknown, not zero.
    assert_eq!(r.history.releases.value, Some(0));
    assert_eq!(r.history.last_release_days.value, None);
    assert_eq!(r.history.unreleased_commits.value, None);
    assert!(
        r.history
            .unreleased_commits
            .reason
            .contains("no version tag")
    );
    assert_eq!(r.check("Signed-Releases").unwrap().score(), None);

    let mut o = opts();
    o.org_map = OrgMap::from_pairs([("a.example", "BigCo"), ("b.example", "BigCo")]);
    let r = assess(&repo.path, &o).unwrap();
    assert_eq!(r.history.elephant_factor.value, Some(2));
    assert_eq!(r.history.organisations_365d.value, Some(2));
}

/// A shallow clone: every history metric is unknown (never 0), the file checks still run, and
/// the checks that need history leave the denominator.
#[test]
fn shallow_clone_history_is_unknown() {
    let repo = team_repo();
    let shallow = repo.shallow_clone(2);
    let r = assess(&shallow, &opts()).unwrap();
    assert!(r.shallow);
    assert!(!r.history.complete);
    assert_eq!(r.history.commits.value, None);
    assert_eq!(r.history.bus_factor.value, None);
    assert!(r.history.bus_factor.reason.contains("shallow"));
    assert_eq!(r.check("Maintained").unwrap().score(), None);
    assert_eq!(r.check("Code-Review").unwrap().score(), None);
    assert_eq!(r.flags.abandoned.value, None);
    // Binary-Artifacts still ran on HEAD's files.
    assert_eq!(r.check("Binary-Artifacts").unwrap().score(), Some(10));
    let left_out = r.score.inputs["left_out"].as_array().unwrap();
    assert!(left_out.iter().any(|c| c["check"] == "Maintained"));
}

/// An empty repository: no commits, no files; nothing is scored and nothing fails.
#[test]
fn empty_repository() {
    let repo = Repo::new();
    let r = assess(&repo.path, &opts()).unwrap();
    assert_eq!(r.head, None);
    assert_eq!(r.history.commits.value, Some(0));
    assert_eq!(r.history.last_commit_days.value, None);
    assert!(!r.files.has_tree);
    assert_eq!(r.score.value, None);
    assert!(
        r.checks.iter().all(|c| c.score().is_none()),
        "{:?}",
        r.checks
    );
}

/// The same inputs give the same report, byte for byte; an earlier as-of date sees the
/// repository as it was then.
#[test]
fn as_of_is_the_only_clock() {
    let repo = team_repo();
    let a = serde_json::to_string(&assess(&repo.path, &opts()).unwrap()).unwrap();
    let b = serde_json::to_string(&assess(&repo.path, &opts()).unwrap()).unwrap();
    assert_eq!(a, b);

    // A year earlier: commits 1-5 only (d ≥ 365), the last 35 days before; v1.0.0 only.
    let r = assess(&repo.path, &Options::new(AS_OF - 365 * DAY)).unwrap();
    assert_eq!(r.as_of, "2024-01-02");
    assert_eq!(r.history.commits.value, Some(5));
    assert_eq!(r.history.commits.inputs["commits_after_as_of"], json!(11));
    assert_eq!(r.history.last_commit_days.value, Some(35));
    assert_eq!(r.history.releases.value, Some(1));
    assert_eq!(r.history.unreleased_commits.value, Some(0));
    assert_eq!(r.history.contributors_all.value, Some(4));
}

/// No commit for longer than the limit and no release since: abandoned; declared
/// feature-complete: not abandoned, and the activity checks are waived (left out).
#[test]
fn abandoned_and_the_feature_complete_waiver() {
    let mut repo = Repo::new();
    repo.write("README.md", "# old\n");
    repo.commit(ALICE, days_ago(1200), "start");
    repo.commit(BOB, days_ago(1000), "release");
    repo.tag("v1.0.0");
    let r = assess(&repo.path, &opts()).unwrap();
    assert_eq!(r.flags.abandoned.value, Some(true));
    assert_eq!(r.check("Maintained").unwrap().score(), Some(0));
    assert_eq!(r.flags.feature_complete_candidate.value, Some(true));

    let mut o = opts();
    o.feature_complete = true;
    let w = assess(&repo.path, &o).unwrap();
    assert_eq!(w.flags.abandoned.value, Some(false));
    let maintained = w.check("Maintained").unwrap();
    assert!(maintained.waived);
    assert_eq!(maintained.score(), None);
    assert_eq!(w.sustainability.activity.value, None);
    // Waiving a 0 of weight 7.5 raises the aggregate.
    assert!(w.score.value.unwrap() > r.score.value.unwrap());

    // A longer limit: not abandoned.
    let mut o = opts();
    o.abandoned_after_days = 2000;
    let r = assess(&repo.path, &o).unwrap();
    assert_eq!(r.flags.abandoned.value, Some(false));
}

/// A deprecation notice in the README: abandoned whatever the activity, and never waived.
#[test]
fn deprecation_notice_means_abandoned() {
    let mut repo = Repo::new();
    repo.write(
        "README.md",
        "# lib\n\n> **This project is no longer maintained.** Use `newlib` instead.\n",
    );
    repo.commit(ALICE, days_ago(3), "deprecate");
    let mut o = opts();
    o.feature_complete = true;
    let r = assess(&repo.path, &o).unwrap();
    assert_eq!(r.flags.abandoned.value, Some(true));
    assert!(r.flags.abandoned.reason.contains("README.md:3"));
    assert_eq!(r.check("Maintained").unwrap().score(), Some(0));
}

/// Merge commits: the first-parent line is the changesets; a merge made through a forge
/// (committed by GitHub) counts as reviewed, the branch's own commits are not changesets.
#[test]
fn merges_and_first_parent_changesets() {
    let mut repo = Repo::new();
    repo.commit(ALICE, days_ago(20), "base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit(BOB, days_ago(15), "feature work 1");
    repo.commit(BOB, days_ago(14), "feature work 2");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit(ALICE, days_ago(12), "main work");
    let date = format!("@{} +0000", days_ago(10));
    repo.git_in(
        &repo.path.clone(),
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge pull request #1",
            "feature",
        ],
        &[
            ("GIT_AUTHOR_NAME", ALICE.0.into()),
            ("GIT_AUTHOR_EMAIL", ALICE.1.into()),
            ("GIT_AUTHOR_DATE", date.clone()),
            ("GIT_COMMITTER_NAME", GITHUB.0.into()),
            ("GIT_COMMITTER_EMAIL", GITHUB.1.into()),
            ("GIT_COMMITTER_DATE", date),
        ],
    );
    let r = assess(&repo.path, &opts()).unwrap();
    // All five commits count as activity.
    assert_eq!(r.history.commits.value, Some(5));
    assert_eq!(r.history.contributors_all.value, Some(2));
    // Changesets: merge, main work, base; the merge is reviewed.
    assert_eq!(r.history.reviewed_changesets.inputs["changesets"], json!(3));
    assert_eq!(
        r.history.reviewed_changesets.inputs["committer_not_author"],
        json!(1)
    );
}
