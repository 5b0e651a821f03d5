//! Arbitrary input never panics: `.mailmap` text, tag names, URLs, addresses, and any file at
//! HEAD (workflows, Dockerfiles, READMEs, security policies, manifests).
#![allow(clippy::unwrap_used)]

use ospo_health::files::{Tree, check};
use ospo_health::history::version_of;
use ospo_health::identity::{Mailmap, OrgMap, People, bot_kind, github_noreply_login};
use ospo_health::upstream::{go_module_repository, manifest_repository, normalise};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn identities_never_panic(text in "\\PC*", name in "\\PC{0,40}", email in "\\PC{0,40}") {
        let m = Mailmap::parse(&text);
        let (n, e) = m.resolve(&name, &email);
        let _ = bot_kind(&n, &e);
        let _ = github_noreply_login(&e);
        let _ = OrgMap::from_pairs([(name.as_str(), "X")]).affiliation(&e);
        let mut p = People::default();
        p.add(0, &n, &e);
        p.add(1, &name, &email);
        prop_assert!(p.person(1) <= 1);
    }

    #[test]
    fn tags_and_urls_never_panic(s in "\\PC{0,60}") {
        if let Some((v, _)) = version_of(&s) {
            prop_assert!(s.ends_with(v));
        }
        if let Some(k) = normalise(&s) {
            prop_assert!(k.contains('/'));
        }
        let _ = go_module_repository(&s);
        let _ = manifest_repository("Cargo.toml", &s);
        let _ = manifest_repository("package.json", &s);
        let _ = manifest_repository("METADATA", &s);
    }

    #[test]
    fn file_checks_never_panic(text in "(\\PC|\n|  |- |: |\\$\\{\\{ ){0,400}") {
        let bytes = text.as_bytes();
        let tree = Tree::from_files([
            (".github/workflows/x.yml", bytes),
            ("Dockerfile", bytes),
            ("README.md", bytes),
            ("SECURITY.md", bytes),
            ("Cargo.toml", bytes),
            ("fuzz/Cargo.toml", bytes),
            (".gitlab-ci.yml", bytes),
            ("package.json", bytes),
        ]);
        let f = check(&tree);
        prop_assert_eq!(f.files, 8);
    }
}
