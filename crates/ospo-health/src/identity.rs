//! Who a commit is from: `.mailmap` rewriting, one person behind several addresses (GitHub's
//! noreply addresses, the same full name), bots told apart from people, and the organisation an
//! address belongs to (a configurable domain → organisation map, else the mail domain, with
//! free-mail and noreply domains counted as independent people).

use std::collections::{BTreeMap, HashMap};

/// A parsed `.mailmap` (git's format: `Proper Name <proper@email> Commit Name <commit@email>`,
/// with the proper name, the proper email and the commit name each optional).
#[derive(Clone, Debug, Default)]
pub struct Mailmap {
    /// Keyed by the lower-cased commit email; entries with a commit name first.
    by_email: HashMap<String, Vec<MailmapEntry>>,
}

#[derive(Clone, Debug)]
struct MailmapEntry {
    commit_name: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

impl Mailmap {
    /// Reads a `.mailmap`; lines that do not parse are skipped (as git does).
    pub fn parse(text: &str) -> Mailmap {
        let mut map = Mailmap::default();
        for line in text.lines() {
            let line = match line.find('#') {
                Some(i) => &line[..i],
                None => line,
            };
            let Some((first_name, first_email, rest)) = take_identity(line) else {
                continue;
            };
            let entry = match take_identity(rest) {
                // `Proper Name <proper@email> [Commit Name] <commit@email>`
                Some((commit_name, commit_email, _)) => (
                    commit_email,
                    MailmapEntry {
                        commit_name,
                        name: first_name,
                        email: Some(first_email),
                    },
                ),
                // `Proper Name <commit@email>`
                None => (
                    first_email,
                    MailmapEntry {
                        commit_name: None,
                        name: first_name,
                        email: None,
                    },
                ),
            };
            let slot = map.by_email.entry(entry.0.to_lowercase()).or_default();
            slot.push(entry.1);
            slot.sort_by_key(|e| e.commit_name.is_none());
        }
        map
    }

    pub fn is_empty(&self) -> bool {
        self.by_email.is_empty()
    }

    /// The canonical name and email of a commit identity.
    pub fn resolve(&self, name: &str, email: &str) -> (String, String) {
        let mut out = (name.to_owned(), email.to_owned());
        let Some(entries) = self.by_email.get(&email.to_lowercase()) else {
            return out;
        };
        let hit = entries.iter().find(|e| match &e.commit_name {
            Some(n) => n.eq_ignore_ascii_case(name),
            None => true,
        });
        if let Some(e) = hit {
            if let Some(n) = &e.name {
                out.0.clone_from(n);
            }
            if let Some(m) = &e.email {
                out.1.clone_from(m);
            }
        }
        out
    }
}

/// `Name <email>` at the start of `s`: the name (`None` when blank), the email and the rest.
fn take_identity(s: &str) -> Option<(Option<String>, String, &str)> {
    let open = s.find('<')?;
    let close = open + s[open..].find('>')?;
    let name = s[..open].trim();
    let email = s[open + 1..close].trim();
    Some((
        (!name.is_empty()).then(|| name.to_owned()),
        email.to_owned(),
        &s[close + 1..],
    ))
}

/// The GitHub login of a noreply address (`12345+login@users.noreply.github.com` or
/// `login@users.noreply.github.com`).
pub fn github_noreply_login(email: &str) -> Option<String> {
    let lower = email.to_ascii_lowercase();
    let local = lower.strip_suffix("@users.noreply.github.com")?;
    let login = match local.split_once('+') {
        Some((id, login)) if id.bytes().all(|b| b.is_ascii_digit()) => login,
        _ => local,
    };
    (!login.is_empty()).then(|| login.to_owned())
}

/// The kind of bot an identity is, if it is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bot {
    Dependabot,
    Renovate,
    /// Any other automation (`github-actions[bot]`, `pre-commit-ci[bot]`, a `*-bot` account).
    Other,
}

impl Bot {
    pub fn as_str(self) -> &'static str {
        match self {
            Bot::Dependabot => "dependabot",
            Bot::Renovate => "renovate",
            Bot::Other => "other",
        }
    }
}

/// Names of automation accounts that do not end in `[bot]` or `-bot`.
const KNOWN_BOTS: &[&str] = &[
    "dependabot",
    "dependabot-preview",
    "renovate",
    "renovatebot",
    "greenkeeper",
    "greenkeeperio-bot",
    "snyk-bot",
    "pyup-bot",
    "github-actions",
    "mergify",
    "imgbot",
    "imgbotapp",
    "semantic-release-bot",
    "allcontributors",
    "pre-commit-ci",
    "depfu",
    "whitesource-bolt-for-github",
    "mend-bolt-for-github",
    "copybara-service",
    "k8s-ci-robot",
];

/// Whether an identity is automation, and which.
pub fn bot_kind(name: &str, email: &str) -> Option<Bot> {
    let name = name.trim().to_ascii_lowercase();
    let email = email.trim().to_ascii_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    let login = github_noreply_login(&email).unwrap_or_else(|| local.to_owned());
    let has = |needle: &str| name.contains(needle) || login.contains(needle);
    if has("dependabot") {
        return Some(Bot::Dependabot);
    }
    if has("renovate") || email.ends_with("@renovateapp.com") {
        return Some(Bot::Renovate);
    }
    let is_named_bot = |s: &str| {
        s.ends_with("[bot]")
            || s.ends_with("-bot")
            || s.ends_with(" bot")
            || s.ends_with("_bot")
            || KNOWN_BOTS.contains(&s)
    };
    if is_named_bot(&name) || is_named_bot(&login) || local.ends_with("[bot]") {
        return Some(Bot::Other);
    }
    None
}

/// Mail domains shared by unrelated people: an address there says nothing about an employer.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.fr",
    "yahoo.de",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "protonmail.com",
    "protonmail.ch",
    "proton.me",
    "pm.me",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "web.de",
    "posteo.de",
    "posteo.net",
    "mailbox.org",
    "fastmail.com",
    "fastmail.fm",
    "hey.com",
    "tutanota.com",
    "zoho.com",
    "yandex.ru",
    "yandex.com",
    "mail.ru",
    "qq.com",
    "163.com",
    "126.com",
    "foxmail.com",
    "naver.com",
    "free.fr",
    "orange.fr",
    "laposte.net",
    "seznam.cz",
    "users.noreply.github.com",
    "noreply.github.com",
    "users.noreply.gitlab.com",
    "localhost",
    "localhost.localdomain",
    "example.com",
    "none",
];

/// Second-level labels under which registrations happen (`example.co.uk`, `example.com.au`).
const PUBLIC_SECOND_LEVEL: &[&str] = &["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"];

/// Organisations of mail domains: exact domains and their subdomains map to a name
/// (`redhat.com` → `Red Hat` also covers `us.redhat.com`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrgMap {
    domains: BTreeMap<String, String>,
}

/// Whom a commit's author works for, as far as the address tells.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Affiliation {
    /// An organisation: a mapped name, or the registrable mail domain.
    Org(String),
    /// A free-mail, noreply or missing domain: the person counts as their own organisation.
    Independent,
}

impl OrgMap {
    pub fn new() -> OrgMap {
        OrgMap::default()
    }

    /// Maps a domain (and its subdomains) to an organisation; the last mapping of a domain wins.
    pub fn insert(&mut self, domain: &str, org: &str) {
        let domain = domain
            .trim()
            .trim_start_matches('@')
            .trim_start_matches("*.")
            .to_ascii_lowercase();
        if !domain.is_empty() && !org.trim().is_empty() {
            self.domains.insert(domain, org.trim().to_owned());
        }
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> OrgMap {
        let mut map = OrgMap::new();
        for (d, o) in pairs {
            map.insert(d, o);
        }
        map
    }

    pub fn len(&self) -> usize {
        self.domains.len()
    }

    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }

    /// The affiliation of an email address.
    pub fn affiliation(&self, email: &str) -> Affiliation {
        let Some((_, domain)) = email.trim().rsplit_once('@') else {
            return Affiliation::Independent;
        };
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        // The mapped domain itself or its closest mapped parent.
        let mut d = domain.as_str();
        loop {
            if let Some(org) = self.domains.get(d) {
                return Affiliation::Org(org.clone());
            }
            match d.split_once('.') {
                Some((_, parent)) if parent.contains('.') => d = parent,
                _ => break,
            }
        }
        if domain.is_empty()
            || !domain.contains('.')
            || FREE_MAIL.contains(&domain.as_str())
            || domain.ends_with(".local")
            || domain.ends_with(".localdomain")
            || domain.ends_with(".internal")
            || domain.ends_with(".(none)")
        {
            return Affiliation::Independent;
        }
        Affiliation::Org(registrable(&domain).to_owned())
    }
}

/// `us.ibm.com` → `ibm.com`; `mail.example.co.uk` → `example.co.uk`.
fn registrable(domain: &str) -> &str {
    let labels: Vec<&str> = domain.split('.').collect();
    let n = labels.len();
    if n <= 2 {
        return domain;
    }
    let keep = if labels[n - 1].len() == 2 && PUBLIC_SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    if n <= keep {
        return domain;
    }
    let skip: usize = labels[..n - keep].iter().map(|l| l.len() + 1).sum();
    &domain[skip..]
}

/// Merges raw identities (name, email) into people: same canonical email, same GitHub login,
/// or the same full name (two words or more, so `root` or `admin` do not merge strangers).
#[derive(Debug, Default)]
pub struct People {
    parent: Vec<usize>,
    by_email: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl People {
    /// Registers identity number `id` (ids are dense, from 0) with its canonical name and email.
    pub fn add(&mut self, id: usize, name: &str, email: &str) {
        while self.parent.len() <= id {
            self.parent.push(self.parent.len());
        }
        let email_key = match github_noreply_login(email) {
            Some(login) => format!("github:{login}"),
            None => email.trim().to_lowercase(),
        };
        if !email_key.is_empty() {
            match self.by_email.get(&email_key) {
                Some(&other) => self.union(id, other),
                None => {
                    self.by_email.insert(email_key, id);
                }
            }
        }
        let name_key: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        if name_key.len() >= 2 {
            let name_key = name_key.join(" ");
            match self.by_name.get(&name_key) {
                Some(&other) => self.union(id, other),
                None => {
                    self.by_name.insert(name_key, id);
                }
            }
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller id is the root: the result does not depend on the order of unions.
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }

    /// The person (the smallest identity id of the group) of identity `id`.
    pub fn person(&mut self, id: usize) -> usize {
        if id >= self.parent.len() {
            return id;
        }
        self.find(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailmap_forms() {
        let m = Mailmap::parse(
            "# comment\n\
             Alice Smith <alice@example.org>\n\
             <bob@example.org> <bob@old.example>\n\
             Carol C <carol@example.org> <carol@laptop>\n\
             Dan D <dan@example.org> dan <dan@shared>\n\
             broken line\n",
        );
        assert_eq!(
            m.resolve("alice", "alice@example.org"),
            ("Alice Smith".into(), "alice@example.org".into())
        );
        assert_eq!(
            m.resolve("Bob", "BOB@old.example"),
            ("Bob".into(), "bob@example.org".into())
        );
        assert_eq!(
            m.resolve("c", "carol@laptop"),
            ("Carol C".into(), "carol@example.org".into())
        );
        assert_eq!(
            m.resolve("Dan", "dan@shared"),
            ("Dan D".into(), "dan@example.org".into())
        );
        // The commit name does not match: unchanged.
        assert_eq!(
            m.resolve("Eve", "dan@shared"),
            ("Eve".into(), "dan@shared".into())
        );
    }

    #[test]
    fn noreply_logins() {
        assert_eq!(
            github_noreply_login("1234+Octo@users.noreply.github.com").as_deref(),
            Some("octo")
        );
        assert_eq!(
            github_noreply_login("octo@users.noreply.github.com").as_deref(),
            Some("octo")
        );
        assert_eq!(github_noreply_login("octo@github.com"), None);
    }

    #[test]
    fn bots() {
        assert_eq!(
            bot_kind(
                "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com"
            ),
            Some(Bot::Dependabot)
        );
        assert_eq!(
            bot_kind("Renovate Bot", "bot@renovateapp.com"),
            Some(Bot::Renovate)
        );
        assert_eq!(
            bot_kind(
                "github-actions[bot]",
                "41898282+github-actions[bot]@users.noreply.github.com"
            ),
            Some(Bot::Other)
        );
        assert_eq!(bot_kind("Alice Smith", "alice@example.org"), None);
        assert_eq!(bot_kind("Abbot Costello", "abbot@example.org"), None);
    }

    #[test]
    fn affiliations() {
        let map = OrgMap::from_pairs([("redhat.com", "Red Hat"), ("fedoraproject.org", "Red Hat")]);
        assert_eq!(
            map.affiliation("a@us.redhat.com"),
            Affiliation::Org("Red Hat".into())
        );
        assert_eq!(
            map.affiliation("a@fedoraproject.org"),
            Affiliation::Org("Red Hat".into())
        );
        assert_eq!(
            map.affiliation("a@eng.example.co.uk"),
            Affiliation::Org("example.co.uk".into())
        );
        assert_eq!(
            map.affiliation("a@dev.ibm.com"),
            Affiliation::Org("ibm.com".into())
        );
        assert_eq!(map.affiliation("a@gmail.com"), Affiliation::Independent);
        assert_eq!(
            map.affiliation("1+a@users.noreply.github.com"),
            Affiliation::Independent
        );
        assert_eq!(map.affiliation("root@localhost"), Affiliation::Independent);
        assert_eq!(map.affiliation("nobody"), Affiliation::Independent);
    }

    #[test]
    fn people_merge_by_email_login_and_full_name() {
        let mut p = People::default();
        p.add(0, "Alice Smith", "alice@work.example");
        p.add(1, "Alice Smith", "alice@gmail.com");
        p.add(2, "alice", "1+alice@users.noreply.github.com");
        p.add(3, "Alice", "alice@users.noreply.github.com");
        p.add(4, "root", "root@a");
        p.add(5, "root", "root@b");
        assert_eq!(p.person(1), 0);
        assert_eq!(p.person(3), 2);
        assert_ne!(p.person(2), 0);
        assert_ne!(p.person(5), p.person(4));
    }
}
