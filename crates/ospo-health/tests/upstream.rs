//! Finding dependencies' clones in a folder of mirrors: by the clone's `origin` URL, by its
//! path, by its folder name (only when unique), and nothing for the rest.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ospo_health::upstream::Mirrors;
use ospo_model::{Component, Ecosystem, Source};

#[test]
fn mirrors_are_found_by_origin_path_and_name() {
    let mut repo = Repo::new();
    repo.commit(ALICE, days_ago(1), "one");
    let dir = repo.path.parent().unwrap().to_owned();
    let m = dir.join("mirrors");
    std::fs::create_dir_all(m.join("github.com/acme")).unwrap();
    std::fs::create_dir_all(m.join("dup1")).unwrap();
    std::fs::create_dir_all(m.join("dup2")).unwrap();
    repo.git_in(
        &dir,
        &[
            "clone",
            "-q",
            "--bare",
            "repo",
            "mirrors/github.com/acme/widgets.git",
        ],
        &[],
    );
    repo.git_in(&dir, &["clone", "-q", "repo", "mirrors/cobra-fork"], &[]);
    repo.git_in(
        &m.join("cobra-fork"),
        &[
            "remote",
            "set-url",
            "origin",
            "https://github.com/spf13/Cobra.git",
        ],
        &[],
    );
    repo.git_in(&dir, &["clone", "-q", "repo", "mirrors/left-pad"], &[]);
    repo.git_in(&dir, &["clone", "-q", "repo", "mirrors/dup1/core"], &[]);
    repo.git_in(&dir, &["clone", "-q", "repo", "mirrors/dup2/core"], &[]);
    let mirrors = Mirrors::index(&m).unwrap();
    assert_eq!(mirrors.clones.len(), 5);

    let mut widgets = Component::new(Ecosystem::CratesIo, "widgets", Some("1.0.0")).unwrap();
    widgets.source = Source::Git {
        url: "https://github.com/acme/widgets".into(),
        rev: None,
    };
    let f = mirrors.find(&widgets, None).unwrap();
    assert_eq!(f.how, "path");
    assert!(f.path.ends_with("github.com/acme/widgets.git"));

    let cobra = Component::new(Ecosystem::Go, "github.com/spf13/cobra", Some("v1.8.0")).unwrap();
    let f = mirrors.find(&cobra, None).unwrap();
    assert_eq!((f.how, f.from), ("origin-url", Some("go-module")));
    assert!(f.path.ends_with("cobra-fork"));

    // From package metadata.
    let x = Component::new(Ecosystem::Npm, "x-widgets", Some("1.0.0")).unwrap();
    let f = mirrors
        .find(&x, Some("git+https://github.com/acme/widgets.git"))
        .unwrap();
    assert_eq!(f.from, Some("package-metadata"));

    let lp = Component::new(Ecosystem::Npm, "left-pad", Some("1.3.0")).unwrap();
    assert_eq!(mirrors.find(&lp, None).unwrap().how, "name");
    // Two clones named `core`: no guess.
    let core = Component::new(Ecosystem::Npm, "core", Some("1.0.0")).unwrap();
    assert_eq!(mirrors.find(&core, None), None);
    let none = Component::new(Ecosystem::Npm, "nothing", Some("1.0.0")).unwrap();
    assert_eq!(mirrors.find(&none, None), None);
    // A missing folder is an error.
    assert!(Mirrors::index(&dir.join("nope")).is_err());
}
