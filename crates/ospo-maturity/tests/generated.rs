//! The criteria table of docs/maturity.md is current. Set `OSPO_BLESS=1` to rewrite it.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use ospo_maturity::{Catalogue, docs};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn docs_criteria_table_is_current_and_names_every_criterion() {
    let cat = Catalogue::builtin().unwrap();
    let path = repo().join("docs/maturity.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let Some(want) = docs::splice(&doc, "criteria", &docs::criteria_markdown(&cat)) else {
        panic!("docs/maturity.md lacks the <!-- generated:criteria --> markers");
    };
    let doc = if std::env::var_os("OSPO_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        want.clone()
    } else {
        doc
    };
    assert!(
        doc == want,
        "docs/maturity.md is stale: run `OSPO_BLESS=1 cargo test -p ospo-maturity --test generated`"
    );
    for c in cat.criteria() {
        assert!(doc.contains(&format!("`{}`", c.id)), "{}", c.id);
    }
}
