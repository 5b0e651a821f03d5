//! The generated parts of docs/policy.md: the key reference and the rule table. The doc holds
//! them between `<!-- generated:… -->` markers and a test fails when they are stale.

use crate::keys::{self, Type};
use crate::rules;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Every key: path, type, default, meaning.
pub fn keys_markdown() -> String {
    let mut out = String::from("| key | type | default | meaning |\n|---|---|---|---|\n");
    for (path, k) in keys::all() {
        let path = match k.ty {
            Type::Table(_) => format!("`[{path}]`"),
            Type::Tables(_) => format!("`[[{path}]]`"),
            _ => format!("`{path}`"),
        };
        let default = match (k.default, k.required) {
            (Some(d), _) => format!("`{d}`"),
            (None, true) => "required".to_owned(),
            (None, false) => "—".to_owned(),
        };
        let ty = match k.ty {
            Type::Table(_) => "table".to_owned(),
            Type::Tables(_) => "list of tables".to_owned(),
            t => t.describe().trim_start_matches("a ").to_owned(),
        };
        out.push_str(&format!(
            "| {path} | {ty} | {} | {} |\n",
            cell(&default),
            cell(k.doc)
        ));
    }
    out
}

/// Every rule: code, severity, category, summary.
pub fn rules_markdown() -> String {
    let mut out = String::from("| code | severity | category | summary |\n|---|---|---|---|\n");
    for r in rules::all() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.code,
            r.severity,
            r.category.title(),
            cell(r.summary)
        ));
    }
    out
}

/// Replaces the text between `<!-- generated:NAME -->` and `<!-- end:NAME -->`.
pub fn splice(doc: &str, name: &str, content: &str) -> Option<String> {
    let start = format!("<!-- generated:{name} -->\n");
    let end = format!("<!-- end:{name} -->");
    let a = doc.find(&start)? + start.len();
    let b = a + doc[a..].find(&end)?;
    Some(format!("{}{content}{}", &doc[..a], &doc[b..]))
}
