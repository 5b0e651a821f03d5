//! History metrics: what the commits reachable from HEAD and the version tags say about a
//! project's activity, its contributors and its practices.
//!
//! Only commit headers and messages are read (no tree diffs), one object read per commit, so a
//! walk of a long history costs about what `git log --format` costs. Identities are merged
//! through `.mailmap` (read from HEAD's tree), GitHub noreply logins and full names; bots are
//! kept apart and left out of every human metric. A shallow clone has no reliable history: its
//! history metrics are all unknown.
//!
//! Time: a commit belongs to a window by its committer date (when it landed on the branch), its
//! author is who wrote it. Commits and tags dated after `as_of` are ignored, so a report "as of"
//! a past date is what the repository looked like then.

use std::collections::{BTreeMap, HashMap, HashSet};

use gix::ObjectId;
use gix::objs::Find as _;
use serde::Serialize;
use serde_json::json;

use crate::identity::{Affiliation, Bot, Mailmap, OrgMap, People, bot_kind};
use crate::metric::{Metric, round2};
use crate::{Error, Options};

pub const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;
/// Scorecard's Code-Review looks at this many recent changesets.
pub const REVIEW_SAMPLE: usize = 30;
/// Signed-Releases looks at this many recent releases (as Scorecard does).
pub const SIGNED_RELEASE_SAMPLE: usize = 5;

/// One commit, reduced to what the metrics need.
#[derive(Clone, Debug)]
pub struct Commit {
    /// Person ids (after merging identities).
    pub author: usize,
    pub committer: usize,
    pub author_time: i64,
    pub commit_time: i64,
    /// Indices into [`History::commits`] (parents missing from the object database are left out).
    pub parents: Vec<u32>,
    pub signed_off: bool,
    /// A `Reviewed-by:`, `Acked-by:`, `Approved-by:` or `Reviewed-on:` trailer.
    pub review_trailer: bool,
    /// A `gpgsig` header (the signature is not verified: no keys offline).
    pub signed: bool,
}

/// One person (several raw identities merged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub email: String,
    #[serde(skip)]
    pub affiliation: Affiliation,
    #[serde(skip)]
    pub bot: Option<Bot>,
}

/// A tag that names a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Release {
    pub tag: String,
    /// The tagger date of an annotated tag, else the commit date.
    pub time: i64,
    pub prerelease: bool,
    pub annotated: bool,
    pub signed: bool,
    /// The tagged commit's index in the history, when it is reachable from HEAD.
    #[serde(skip)]
    pub commit: Option<u32>,
}

/// What was read from the repository.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub commits: Vec<Commit>,
    /// People, indexed by person id (ids that were merged into another are empty slots).
    pub people: Vec<Person>,
    pub releases: Vec<Release>,
    /// Version-less tags, counted for the report.
    pub other_tags: usize,
    pub shallow: bool,
    /// Whether HEAD points to a commit (an empty repository has none).
    pub has_head: bool,
    /// Whether a `.mailmap` was applied.
    pub mailmap: bool,
}

/// Reads the history reachable from HEAD, the tags and the people.
pub fn read(
    repo: &gix::Repository,
    path: &std::path::Path,
    mailmap: &Mailmap,
    orgs: &OrgMap,
) -> Result<History, Error> {
    let err = |message: String| Error::Read {
        path: path.to_owned(),
        message,
    };
    let mut history = History {
        shallow: repo.is_shallow(),
        mailmap: !mailmap.is_empty(),
        ..History::default()
    };
    let head = match repo.head() {
        Ok(mut head) => match head.try_peel_to_id() {
            Ok(Some(id)) => Some(id.detach()),
            Ok(None) => None,
            Err(e) => return Err(err(format!("cannot resolve HEAD: {e}"))),
        },
        Err(e) => return Err(err(format!("cannot read HEAD: {e}"))),
    };
    let Some(head) = head else {
        return Ok(history);
    };
    history.has_head = true;
    if history.shallow {
        return Ok(history);
    }

    // Raw identities, interned, then merged into people.
    let mut raw: HashMap<(String, String), usize> = HashMap::new();
    let mut raw_list: Vec<(String, String)> = Vec::new();
    let mut intern = |name: &[u8], email: &[u8]| -> usize {
        let key = (
            String::from_utf8_lossy(name).trim().to_owned(),
            String::from_utf8_lossy(email).trim().to_owned(),
        );
        if let Some(&id) = raw.get(&key) {
            return id;
        }
        let id = raw_list.len();
        raw_list.push(key.clone());
        raw.insert(key, id);
        id
    };

    let mut seen: HashSet<ObjectId> = HashSet::from([head]);
    let mut position: HashMap<ObjectId, u32> = HashMap::new();
    let mut pending_parents: Vec<Vec<ObjectId>> = Vec::new();
    let mut stack = vec![head];
    let mut buf = Vec::new();
    while let Some(id) = stack.pop() {
        let n = u32::try_from(history.commits.len())
            .map_err(|_| err("more than 4 billion commits".into()))?;
        position.insert(id, n);
        let data = match repo.objects.try_find(&id, &mut buf) {
            Ok(Some(data)) => data,
            Ok(None) => {
                return Err(err(format!(
                    "commit {id} is missing from the object database (a corrupted or partial clone)"
                )));
            }
            Err(e) => return Err(err(format!("cannot read commit {id}: {e}"))),
        };
        if data.kind != gix::objs::Kind::Commit {
            return Err(err(format!("{id} is a {}, not a commit", data.kind)));
        }
        let commit = gix::objs::CommitRef::from_bytes(data.data, id.kind())
            .map_err(|e| err(format!("cannot decode commit {id}: {e}")))?;
        let author = commit
            .author()
            .map_err(|e| err(format!("commit {id} has a bad author: {e}")))?;
        let committer = commit
            .committer()
            .map_err(|e| err(format!("commit {id} has a bad committer: {e}")))?;
        let mut flags = (false, false);
        for line in commit.message.split(|&b| b == b'\n') {
            let lower = line.trim_ascii_start().to_ascii_lowercase();
            if lower.starts_with(b"signed-off-by:") {
                flags.0 = true;
            } else if lower.starts_with(b"reviewed-by:")
                || lower.starts_with(b"acked-by:")
                || lower.starts_with(b"approved-by:")
                || lower.starts_with(b"reviewed-on:")
            {
                flags.1 = true;
            }
        }
        let signed = commit.extra_headers.iter().any(|(k, _)| {
            let k: &[u8] = k.as_ref();
            k == b"gpgsig" || k == b"gpgsig-sha256"
        });
        let parents: Vec<ObjectId> = commit.parents().collect();
        let c = Commit {
            author: intern(author.name, author.email),
            committer: intern(committer.name, committer.email),
            author_time: author.seconds(),
            commit_time: committer.seconds(),
            parents: Vec::new(),
            signed_off: flags.0,
            review_trailer: flags.1,
            signed,
        };
        history.commits.push(c);
        for p in &parents {
            if seen.insert(*p) {
                stack.push(*p);
            }
        }
        pending_parents.push(parents);
    }
    for (c, parents) in history.commits.iter_mut().zip(&pending_parents) {
        c.parents = parents
            .iter()
            .filter_map(|p| position.get(p).copied())
            .collect();
    }

    // People: mailmap, then merging.
    let mut people = People::default();
    let canonical: Vec<(String, String)> = raw_list
        .iter()
        .map(|(n, e)| mailmap.resolve(n, e))
        .collect();
    for (id, (n, e)) in canonical.iter().enumerate() {
        people.add(id, n, e);
    }
    let person_of: Vec<usize> = (0..canonical.len()).map(|i| people.person(i)).collect();
    // Each person's name and email: those of their identity with the most commits.
    let mut uses = vec![0u64; canonical.len()];
    for c in &history.commits {
        uses[c.author] += 1;
        uses[c.committer] += 1;
    }
    let mut best: BTreeMap<usize, usize> = BTreeMap::new();
    for (id, &p) in person_of.iter().enumerate() {
        let better = match best.get(&p) {
            None => true,
            Some(&b) => {
                (uses[id], std::cmp::Reverse(&canonical[id]))
                    > (uses[b], std::cmp::Reverse(&canonical[b]))
            }
        };
        if better {
            best.insert(p, id);
        }
    }
    // A person is a bot when any of their identities is.
    let mut bots: Vec<Option<Bot>> = vec![None; canonical.len()];
    for (id, (n, e)) in canonical.iter().enumerate() {
        let p = person_of[id];
        if bots[p].is_none() {
            bots[p] = bot_kind(n, e);
        }
    }
    history.people = (0..canonical.len())
        .map(|p| match best.get(&p) {
            Some(&id) => {
                let (name, email) = &canonical[id];
                let bot = bots[p];
                Person {
                    name: name.clone(),
                    email: email.clone(),
                    affiliation: orgs.affiliation(email),
                    bot,
                }
            }
            None => Person {
                name: String::new(),
                email: String::new(),
                affiliation: Affiliation::Independent,
                bot: None,
            },
        })
        .collect();
    for c in &mut history.commits {
        c.author = person_of[c.author];
        c.committer = person_of[c.committer];
    }

    history.releases = read_tags(repo, &position, &history.commits, &mut history.other_tags)
        .map_err(|e| err(format!("cannot read tags: {e}")))?;
    Ok(history)
}

/// The version tags: name, date, whether annotated and signed, and the commit they tag.
fn read_tags(
    repo: &gix::Repository,
    position: &HashMap<ObjectId, u32>,
    commits: &[Commit],
    other: &mut usize,
) -> Result<Vec<Release>, String> {
    let refs = repo.references().map_err(|e| e.to_string())?;
    let tags = refs.tags().map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for r in tags {
        let Ok(r) = r else { continue };
        let name = r.name().shorten().to_string();
        let Some((_, prerelease)) = version_of(&name) else {
            *other += 1;
            continue;
        };
        let Some(mut id) = r.try_id().map(|i| i.detach()) else {
            continue;
        };
        let (mut time, mut annotated, mut signed) = (None, false, false);
        // Peel annotated tags (possibly chained) to the commit.
        let mut target_commit = None;
        for _ in 0..8 {
            let Ok(Some(data)) = repo.objects.try_find(&id, &mut buf) else {
                break;
            };
            match data.kind {
                gix::objs::Kind::Tag => {
                    let Ok(tag) = gix::objs::TagRef::from_bytes(data.data, id.kind()) else {
                        break;
                    };
                    if !annotated {
                        annotated = true;
                        signed = tag.pgp_signature.is_some();
                        time = tag.tagger().ok().flatten().map(|t| t.seconds());
                    }
                    let Ok(next) = ObjectId::from_hex(tag.target) else {
                        break;
                    };
                    id = next;
                }
                gix::objs::Kind::Commit => {
                    target_commit = Some(id);
                    if time.is_none() {
                        time = gix::objs::CommitRef::from_bytes(data.data, id.kind())
                            .ok()
                            .and_then(|c| c.committer().ok().map(|s| s.seconds()));
                    }
                    break;
                }
                _ => break,
            }
        }
        let Some(time) = time else { continue };
        let commit = target_commit.and_then(|c| position.get(&c).copied());
        debug_assert!(commit.is_none_or(|i| (i as usize) < commits.len()));
        out.push(Release {
            tag: name,
            time,
            prerelease,
            annotated,
            signed,
            commit,
        });
    }
    out.sort_by(|a, b| (a.time, &a.tag).cmp(&(b.time, &b.tag)));
    Ok(out)
}

/// Whether a tag names a version (`1.2.3`, `v1.2`, `release-2.0`, `pkg@1.0.0`, `foo-v1.0`), and
/// whether that version is a pre-release (`-rc.1`, `beta`…). Returns the version part.
pub fn version_of(tag: &str) -> Option<(&str, bool)> {
    let bytes = tag.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if !b.is_ascii_digit() {
            continue;
        }
        let prev = if i == 0 { None } else { Some(bytes[i - 1]) };
        let v_prefixed = matches!(prev, Some(b'v' | b'V'))
            && (i == 1 || matches!(bytes[i - 2], b'-' | b'/' | b'_' | b'@' | b'.'));
        if !(prev.is_none() || matches!(prev, Some(b'-' | b'/' | b'_' | b'@')) || v_prefixed) {
            continue;
        }
        let rest = &tag[i..];
        let core_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let core = rest[..core_len].trim_end_matches('.');
        let parts: Vec<&str> = core.split('.').collect();
        let numeric = parts.iter().all(|p| !p.is_empty());
        if !numeric || (parts.len() < 2 && !v_prefixed) {
            continue;
        }
        // A date-like tag (`2024.01.15`) still counts: calendar versioning is versioning.
        let suffix = rest[core_len..].to_ascii_lowercase();
        let prerelease = [
            "alpha", "beta", "rc", "pre", "dev", "snapshot", "nightly", "preview",
        ]
        .iter()
        .any(|w| suffix.contains(w))
            || suffix.starts_with('a') && suffix[1..].starts_with(|c: char| c.is_ascii_digit())
            || suffix.starts_with('b') && suffix[1..].starts_with(|c: char| c.is_ascii_digit());
        return Some((rest, prerelease));
    }
    None
}

/// The history metrics of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryMetrics {
    /// Whether the history could be read in full (not shallow, HEAD present).
    pub complete: bool,
    pub commits: Metric<u64>,
    pub last_commit_days: Metric<i64>,
    pub repository_age_days: Metric<i64>,
    pub commits_90d: Metric<u64>,
    pub commits_365d: Metric<u64>,
    pub commits_per_week: Metric<f64>,
    pub active_weeks_365d: Metric<u64>,
    pub contributors_90d: Metric<u64>,
    pub contributors_365d: Metric<u64>,
    pub contributors_all: Metric<u64>,
    pub new_contributors_365d: Metric<u64>,
    pub inactive_contributors_365d: Metric<u64>,
    /// CHAOSS Contributor Absence Factor (bus factor).
    pub bus_factor: Metric<u64>,
    /// CHAOSS Elephant Factor.
    pub elephant_factor: Metric<u64>,
    /// Share (percent) of commits from the largest organisation.
    pub top_organisation_share: Metric<f64>,
    /// Named organisations (not independent people) among recent authors.
    pub organisations_365d: Metric<u64>,
    pub releases: Metric<u64>,
    pub last_release_days: Metric<i64>,
    pub releases_365d: Metric<u64>,
    pub unreleased_commits: Metric<u64>,
    /// Share (percent) of recent changesets with review evidence.
    pub reviewed_changesets: Metric<f64>,
    pub signed_off_share: Metric<f64>,
    pub signed_commits_share: Metric<f64>,
    pub signed_releases_share: Metric<f64>,
    pub bot_commits_365d: Metric<u64>,
}

/// A window of commits: the indices of human commits whose commit time is in `(from, as_of]`.
struct Windows<'a> {
    h: &'a History,
    as_of: i64,
    /// Human commits dated at or before `as_of`.
    human: Vec<usize>,
}

impl Windows<'_> {
    fn within(&self, days: i64) -> impl Iterator<Item = &Commit> + '_ {
        let from = self.as_of.saturating_sub(days.saturating_mul(DAY));
        self.human
            .iter()
            .map(|&i| &self.h.commits[i])
            .filter(move |c| c.commit_time > from)
    }

    fn between(&self, newer_days: i64, older_days: i64) -> impl Iterator<Item = &Commit> + '_ {
        let to = self.as_of.saturating_sub(newer_days.saturating_mul(DAY));
        let from = self.as_of.saturating_sub(older_days.saturating_mul(DAY));
        self.human
            .iter()
            .map(|&i| &self.h.commits[i])
            .filter(move |c| c.commit_time > from && c.commit_time <= to)
    }
}

fn days_between(later: i64, earlier: i64) -> i64 {
    later.saturating_sub(earlier).max(0) / DAY
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round2(part as f64 * 100.0 / whole as f64)
    }
}

/// The smallest number of groups whose counts make up at least half of the total.
pub fn half_factor(mut counts: Vec<u64>) -> u64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0;
    }
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let mut acc = 0u64;
    for (i, c) in counts.iter().enumerate() {
        acc += c;
        if acc.saturating_mul(2) >= total {
            return i as u64 + 1;
        }
    }
    counts.len() as u64
}

/// The metrics of a history as of a date (Unix seconds).
pub fn metrics(h: &History, opts: &Options) -> HistoryMetrics {
    let as_of = opts.as_of;
    if !h.has_head {
        return all_unknown("the repository has no commits (HEAD is unborn)", Some(0));
    }
    if h.shallow {
        return all_unknown(
            "shallow clone: the history is cut off, so history metrics cannot be known (fetch with --unshallow)",
            None,
        );
    }
    let bot = |c: &Commit| h.people.get(c.author).and_then(|p| p.bot);
    let human: Vec<usize> = (0..h.commits.len())
        .filter(|&i| h.commits[i].commit_time <= as_of && bot(&h.commits[i]).is_none())
        .collect();
    let future = h.commits.iter().filter(|c| c.commit_time > as_of).count() as u64;
    let w = Windows { h, as_of, human };
    let total = w.human.len() as u64;
    let bot_total = h
        .commits
        .iter()
        .filter(|c| c.commit_time <= as_of && bot(c).is_some())
        .count() as u64;
    let mut m = all_unknown("no commit by a person at or before the as-of date", None);
    m.complete = true;
    m.commits = Metric::known(
        total,
        format!("{total} commit(s) by people reachable from HEAD (bots and commits after the as-of date excluded)"),
    )
    .input("bot_commits", bot_total)
    .input("commits_after_as_of", future);
    if total == 0 {
        let reason = "no commit by a person at or before the as-of date";
        m.last_commit_days = Metric::unknown(reason);
        m.repository_age_days = Metric::unknown(reason);
        set_zero_counts(&mut m, reason);
        bot_metric(&mut m, h, as_of);
        return m;
    }

    // Activity.
    let last = w
        .human
        .iter()
        .map(|&i| h.commits[i].commit_time)
        .max()
        .unwrap_or(as_of);
    let first = w
        .human
        .iter()
        .map(|&i| h.commits[i].author_time.min(h.commits[i].commit_time))
        .min()
        .unwrap_or(as_of);
    m.last_commit_days = Metric::known(
        days_between(as_of, last),
        format!(
            "the last commit by a person landed {} day(s) before the as-of date",
            days_between(as_of, last)
        ),
    )
    .input("last_commit", date(last));
    m.repository_age_days = Metric::known(
        days_between(as_of, first),
        "days since the earliest author date in the history",
    )
    .input("first_commit", date(first));
    let c90 = w.within(90).count() as u64;
    let c365 = w.within(365).count() as u64;
    m.commits_90d = Metric::known(
        c90,
        format!("{c90} commit(s) by people in the 90 days before the as-of date"),
    );
    m.commits_365d = Metric::known(
        c365,
        format!("{c365} commit(s) by people in the 365 days before the as-of date"),
    );
    let per_week = round2(c365 as f64 / (365.0 / 7.0));
    m.commits_per_week = Metric::known(
        per_week,
        "commits of the last 365 days divided by 52.14 weeks",
    )
    .input("commits_365d", c365);
    let weeks: HashSet<i64> = w
        .within(364)
        .map(|c| (as_of - c.commit_time) / WEEK)
        .collect();
    let active = weeks.len() as u64;
    m.active_weeks_365d = Metric::known(
        active,
        format!("{active} of the last 52 weeks had at least one commit by a person"),
    );

    // Contributors.
    let authors = |it: &mut dyn Iterator<Item = &Commit>| -> HashSet<usize> {
        it.map(|c| c.author).collect()
    };
    let a90 = authors(&mut w.within(90));
    let a365 = authors(&mut w.within(365));
    let a_prev = authors(&mut w.between(365, 730));
    let all: HashSet<usize> = w.human.iter().map(|&i| h.commits[i].author).collect();
    let mut first_seen: HashMap<usize, i64> = HashMap::new();
    for &i in &w.human {
        let c = &h.commits[i];
        let e = first_seen.entry(c.author).or_insert(c.commit_time);
        *e = (*e).min(c.commit_time);
    }
    let year_ago = as_of.saturating_sub(365 * DAY);
    let new = first_seen.values().filter(|&&t| t > year_ago).count() as u64;
    let inactive = a_prev.difference(&a365).count() as u64;
    m.contributors_90d = Metric::known(
        a90.len() as u64,
        "distinct authors (people, after merging identities) in the last 90 days",
    );
    m.contributors_365d = Metric::known(a365.len() as u64, "distinct authors in the last 365 days");
    m.contributors_all = Metric::known(all.len() as u64, "distinct authors in the whole history")
        .input("mailmap", h.mailmap);
    m.new_contributors_365d = Metric::known(
        new,
        format!("{new} author(s) whose first commit is in the last 365 days"),
    );
    m.inactive_contributors_365d = Metric::known(
        inactive,
        format!(
            "{inactive} of the {} author(s) active 365–730 days ago made no commit in the last 365 days",
            a_prev.len()
        ),
    )
    .input("active_previous_year", a_prev.len() as u64);

    // Concentration: bus factor and elephant factor over the last year (or all history when
    // the last year has no commit).
    let (window, window_name): (Vec<&Commit>, &str) = if c365 > 0 {
        (w.within(365).collect(), "the last 365 days")
    } else {
        (
            w.human.iter().map(|&i| &h.commits[i]).collect(),
            "the whole history (no commit in the last 365 days)",
        )
    };
    let mut by_author: BTreeMap<usize, u64> = BTreeMap::new();
    let mut by_org: BTreeMap<String, u64> = BTreeMap::new();
    let mut orgs_named: HashSet<String> = HashSet::new();
    for c in &window {
        *by_author.entry(c.author).or_default() += 1;
        let key = match h.people.get(c.author).map(|p| &p.affiliation) {
            Some(Affiliation::Org(o)) => {
                orgs_named.insert(o.clone());
                o.clone()
            }
            _ => format!(
                "independent: {}",
                h.people.get(c.author).map_or("", |p| p.name.as_str())
            ),
        };
        *by_org.entry(key).or_default() += 1;
    }
    let n = window.len() as u64;
    let bus = half_factor(by_author.values().copied().collect());
    let mut top_authors: Vec<(u64, &str)> = by_author
        .iter()
        .map(|(&p, &c)| (c, h.people.get(p).map_or("", |p| p.name.as_str())))
        .collect();
    top_authors.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let top_json: Vec<_> = top_authors
        .iter()
        .take(5)
        .map(|(c, name)| json!({"name": name, "commits": c, "share": percent(*c, n)}))
        .collect();
    m.bus_factor = Metric::known(
        bus,
        format!("{bus} author(s) made at least half of the {n} commit(s) of {window_name}"),
    )
    .input("window", window_name)
    .input("commits", n)
    .input("top_authors", top_json);
    let elephant = half_factor(by_org.values().copied().collect());
    let mut top_orgs: Vec<(u64, &str)> = by_org.iter().map(|(o, &c)| (c, o.as_str())).collect();
    top_orgs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let orgs_json: Vec<_> = top_orgs
        .iter()
        .take(5)
        .map(|(c, o)| json!({"organisation": o, "commits": c, "share": percent(*c, n)}))
        .collect();
    m.elephant_factor = Metric::known(
        elephant,
        format!("{elephant} organisation(s) made at least half of the {n} commit(s) of {window_name} (independent people count as their own organisation)"),
    )
    .input("window", window_name)
    .input("org_map_domains", opts.org_map.len() as u64)
    .input("top_organisations", orgs_json.clone());
    let top_share = top_orgs.first().map_or(0.0, |(c, _)| percent(*c, n));
    m.top_organisation_share = Metric::known(
        top_share,
        format!(
            "`{}` made {top_share}% of the commits of {window_name}",
            top_orgs.first().map_or("", |o| o.1)
        ),
    )
    .input("top_organisations", orgs_json);
    let named = orgs_named.len() as u64;
    let mut named_list: Vec<&String> = orgs_named.iter().collect();
    named_list.sort();
    m.organisations_365d = Metric::known(
        named,
        format!("{named} organisation(s) (by mail domain or the organisation map; free-mail and noreply addresses excluded) among the authors of {window_name}"),
    )
    .input("organisations", named_list.iter().take(20).map(|s| s.as_str()).collect::<Vec<_>>());

    release_metrics(&mut m, h, &w);
    practice_metrics(&mut m, h, &w);
    bot_metric(&mut m, h, as_of);
    m
}

fn release_metrics(m: &mut HistoryMetrics, h: &History, w: &Windows<'_>) {
    let as_of = w.as_of;
    let releases: Vec<&Release> = h.releases.iter().filter(|r| r.time <= as_of).collect();
    let count = releases.len() as u64;
    let pre = releases.iter().filter(|r| r.prerelease).count() as u64;
    m.releases = Metric::known(
        count,
        format!("{count} version tag(s) at or before the as-of date ({pre} pre-release)"),
    )
    .input("other_tags", h.other_tags as u64);
    let year_ago = as_of.saturating_sub(365 * DAY);
    let r365 = releases.iter().filter(|r| r.time > year_ago).count() as u64;
    m.releases_365d = Metric::known(r365, format!("{r365} version tag(s) in the last 365 days"));
    let Some(last) = releases.last() else {
        let reason = "no version tag (`1.2.3`, `v1.2`, `name-1.0`…): no release to measure from";
        m.last_release_days = Metric::unknown(reason);
        m.unreleased_commits = Metric::unknown(reason);
        m.signed_releases_share = Metric::unknown(reason);
        return;
    };
    m.last_release_days = Metric::known(
        days_between(as_of, last.time),
        format!(
            "the last version tag `{}` is {} day(s) old",
            last.tag,
            days_between(as_of, last.time)
        ),
    )
    .input("tag", last.tag.as_str())
    .input("date", date(last.time));
    // Unreleased: human commits not reachable from the latest release reachable from HEAD.
    match releases.iter().rev().find_map(|r| r.commit.map(|c| (r, c))) {
        Some((r, c)) => {
            let released = ancestors(&h.commits, c);
            let unreleased = w.human.iter().filter(|&&i| !released[i]).count() as u64;
            m.unreleased_commits = Metric::known(
                unreleased,
                format!(
                    "{unreleased} commit(s) by people on HEAD are not in `{}`",
                    r.tag
                ),
            )
            .input("tag", r.tag.as_str());
        }
        None => {
            m.unreleased_commits = Metric::unknown(
                "no version tag is on HEAD's history (releases are made from other branches)",
            );
        }
    }
    let recent: Vec<&&Release> = releases.iter().rev().take(SIGNED_RELEASE_SAMPLE).collect();
    let signed = recent.iter().filter(|r| r.signed).count() as u64;
    m.signed_releases_share = Metric::known(
        percent(signed, recent.len() as u64),
        format!("{signed} of the last {} version tag(s) carry a PGP/SSH signature (not verified: no keys offline)", recent.len()),
    )
    .input("signed", signed)
    .input("tags", recent.iter().map(|r| r.tag.as_str()).collect::<Vec<_>>());
}

/// Marks every ancestor of `start` (itself included).
fn ancestors(commits: &[Commit], start: u32) -> Vec<bool> {
    let mut seen = vec![false; commits.len()];
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        let Some(s) = seen.get_mut(i as usize) else {
            continue;
        };
        if *s {
            continue;
        }
        *s = true;
        if let Some(c) = commits.get(i as usize) {
            stack.extend(c.parents.iter().copied());
        }
    }
    seen
}

fn practice_metrics(m: &mut HistoryMetrics, h: &History, w: &Windows<'_>) {
    // Review evidence on the last changesets: first-parent commits from HEAD, people only.
    let mut changesets = Vec::new();
    let mut i = 0u32;
    let mut guard = 0usize;
    while changesets.len() < REVIEW_SAMPLE && guard <= h.commits.len() {
        guard += 1;
        let Some(c) = h.commits.get(i as usize) else {
            break;
        };
        let is_bot = h.people.get(c.author).and_then(|p| p.bot).is_some();
        if c.commit_time <= w.as_of && !is_bot {
            changesets.push(c);
        }
        match c.parents.first() {
            Some(&p) => i = p,
            None => break,
        }
    }
    if changesets.is_empty() {
        m.reviewed_changesets =
            Metric::unknown("no changeset by a person on HEAD's first-parent line");
    } else {
        let trailer = changesets.iter().filter(|c| c.review_trailer).count() as u64;
        let other_committer = changesets
            .iter()
            .filter(|c| !c.review_trailer && c.committer != c.author)
            .count() as u64;
        let reviewed = trailer + other_committer;
        let n = changesets.len() as u64;
        m.reviewed_changesets = Metric::known(
            percent(reviewed, n),
            format!("{reviewed} of the last {n} changeset(s) show review: a Reviewed-by/Acked-by trailer ({trailer}) or a committer other than the author, as a merge through a forge does ({other_committer})"),
        )
        .input("changesets", n)
        .input("review_trailer", trailer)
        .input("committer_not_author", other_committer);
    }
    let recent: Vec<&Commit> = w.within(365).collect();
    let (sample, name): (Vec<&Commit>, &str) = if recent.is_empty() {
        (
            w.human.iter().map(|&i| &h.commits[i]).collect(),
            "the whole history",
        )
    } else {
        (recent, "the last 365 days")
    };
    let n = sample.len() as u64;
    let so = sample.iter().filter(|c| c.signed_off).count() as u64;
    let sig = sample.iter().filter(|c| c.signed).count() as u64;
    m.signed_off_share = Metric::known(
        percent(so, n),
        format!("{so} of {n} commit(s) of {name} carry a Signed-off-by trailer (DCO)"),
    )
    .input("signed_off", so)
    .input("commits", n);
    m.signed_commits_share = Metric::known(
        percent(sig, n),
        format!(
            "{sig} of {n} commit(s) of {name} are signed (PGP/SSH; not verified: no keys offline)"
        ),
    )
    .input("signed", sig)
    .input("commits", n);
}

fn bot_metric(m: &mut HistoryMetrics, h: &History, as_of: i64) {
    let year_ago = as_of.saturating_sub(365 * DAY);
    let mut by: BTreeMap<&str, u64> = BTreeMap::new();
    for c in &h.commits {
        if c.commit_time > as_of || c.commit_time <= year_ago {
            continue;
        }
        if let Some(b) = h.people.get(c.author).and_then(|p| p.bot) {
            *by.entry(b.as_str()).or_default() += 1;
        }
    }
    let n: u64 = by.values().sum();
    let mut metric = Metric::known(
        n,
        format!(
            "{n} commit(s) by bots (dependabot, renovate, other automation) in the last 365 days; excluded from every other metric"
        ),
    );
    for (k, v) in by {
        metric = metric.input(k, v);
    }
    m.bot_commits_365d = metric;
}

fn set_zero_counts(m: &mut HistoryMetrics, reason: &str) {
    m.commits_90d = Metric::known(0, reason);
    m.commits_365d = Metric::known(0, reason);
    m.commits_per_week = Metric::known(0.0, reason);
    m.active_weeks_365d = Metric::known(0, reason);
    m.contributors_90d = Metric::known(0, reason);
    m.contributors_365d = Metric::known(0, reason);
    m.contributors_all = Metric::known(0, reason);
    m.new_contributors_365d = Metric::known(0, reason);
}

fn all_unknown(reason: &str, commits: Option<u64>) -> HistoryMetrics {
    HistoryMetrics {
        complete: false,
        commits: match commits {
            Some(n) => Metric::known(n, reason),
            None => Metric::unknown(reason),
        },
        last_commit_days: Metric::unknown(reason),
        repository_age_days: Metric::unknown(reason),
        commits_90d: Metric::unknown(reason),
        commits_365d: Metric::unknown(reason),
        commits_per_week: Metric::unknown(reason),
        active_weeks_365d: Metric::unknown(reason),
        contributors_90d: Metric::unknown(reason),
        contributors_365d: Metric::unknown(reason),
        contributors_all: Metric::unknown(reason),
        new_contributors_365d: Metric::unknown(reason),
        inactive_contributors_365d: Metric::unknown(reason),
        bus_factor: Metric::unknown(reason),
        elephant_factor: Metric::unknown(reason),
        top_organisation_share: Metric::unknown(reason),
        organisations_365d: Metric::unknown(reason),
        releases: Metric::unknown(reason),
        last_release_days: Metric::unknown(reason),
        releases_365d: Metric::unknown(reason),
        unreleased_commits: Metric::unknown(reason),
        reviewed_changesets: Metric::unknown(reason),
        signed_off_share: Metric::unknown(reason),
        signed_commits_share: Metric::unknown(reason),
        signed_releases_share: Metric::unknown(reason),
        bot_commits_365d: Metric::unknown(reason),
    }
}

/// `YYYY-MM-DD` of a Unix time (UTC).
pub fn date(t: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(t) {
        Ok(d) => {
            let d = d.date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        }
        Err(_) => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_tags() {
        for (tag, want) in [
            ("1.2.3", Some(false)),
            ("v1.2.3", Some(false)),
            ("v2", Some(false)),
            ("release-2.0", Some(false)),
            ("pkg@1.0.0", Some(false)),
            ("foo-v1.0", Some(false)),
            ("v1.0.0-rc.1", Some(true)),
            ("1.0b2", Some(true)),
            ("2024.01.15", Some(false)),
            ("latest", None),
            ("build42", None),
            ("x86", None),
            ("2", None),
        ] {
            assert_eq!(version_of(tag).map(|v| v.1), want, "{tag}");
        }
    }

    #[test]
    fn half_factors() {
        assert_eq!(half_factor(vec![]), 0);
        assert_eq!(half_factor(vec![10]), 1);
        assert_eq!(half_factor(vec![5, 5]), 1);
        assert_eq!(half_factor(vec![3, 3, 3]), 2);
        assert_eq!(half_factor(vec![1, 1, 1, 1, 1, 1]), 3);
    }

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_700_000_000), "2023-11-14");
    }
}
