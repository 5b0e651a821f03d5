//! `ospo policy init`: a policy file that lists every key with its default and a one-line
//! explanation, set to a profile's values; `[[…]]` entries are shown as commented examples.
//! Generated from the key table, like the schema and the reference in docs/policy.md.

use crate::keys::{self, Key, Type};
use crate::profiles;

/// Wraps a comment to about 100 columns, each line starting with `prefix`.
fn comment(out: &mut String, prefix: &str, text: &str) {
    let mut line = String::from(prefix);
    for word in text.split_whitespace() {
        if line.len() > prefix.len() && line.len() + word.len() + 1 > 100 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(prefix);
        }
        if line.len() > prefix.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// The profile's value of a key (as TOML), else the default.
fn value_of(profile: &toml::Table, section: &str, key: &Key) -> Option<String> {
    profile
        .get(section)
        .and_then(|s| s.get(key.name))
        .map(inline)
        .or_else(|| key.default.map(str::to_owned))
}

/// A value on one line.
fn inline(v: &toml::Value) -> String {
    match v {
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// The commented policy file for a profile; `None` for an unknown profile.
pub fn render(profile: &str) -> Option<String> {
    let text = profiles::get(profile)?;
    let values: toml::Table = toml::from_str(text).ok()?;
    let mut out = String::new();
    comment(
        &mut out,
        "# ",
        &format!(
            "ospo policy ({}: {}). Every key is listed with its meaning and default; remove a key \
             to get its default. Reference: docs/policy.md; check with `ospo policy check-file`.",
            profile,
            profiles::describe(profile)
        ),
    );
    comment(
        &mut out,
        "# ",
        "Exceptions (`[[…]]` entries) need a reason and an expiry date (YYYY-MM-DD); an expired \
         or unused one is itself a finding.",
    );
    out.push('\n');
    for key in keys::ROOT {
        match key.ty {
            Type::Table(sub) => {
                comment(&mut out, "# ", key.doc);
                out.push_str(&format!("[{}]\n", key.name));
                for k in sub {
                    match k.ty {
                        Type::Tables(fields) => {
                            out.push('\n');
                            example(&mut out, &format!("{}.{}", key.name, k.name), k, fields);
                        }
                        _ => {
                            comment(&mut out, "# ", k.doc);
                            if let Some(d) = k.default {
                                out.push_str(&format!("# default: {d}\n"));
                            }
                            match value_of(&values, key.name, k) {
                                Some(v) => out.push_str(&format!("{} = {v}\n", k.name)),
                                None => out.push_str(&format!(
                                    "# {} = {}\n",
                                    k.name,
                                    k.example.unwrap_or("\"\"")
                                )),
                            }
                        }
                    }
                }
                out.push('\n');
            }
            _ => {
                comment(&mut out, "# ", key.doc);
                out.push_str(&format!(
                    "# {} = {}\n\n",
                    key.name,
                    key.example.unwrap_or("\"\"")
                ));
            }
        }
    }
    Some(out.trim_end().to_owned() + "\n")
}

fn example(out: &mut String, path: &str, key: &Key, fields: &[Key]) {
    comment(out, "# ", key.doc);
    for f in fields {
        let required = if f.required { " (required)" } else { "" };
        comment(out, "#   ", &format!("{}{required}: {}", f.name, f.doc));
    }
    out.push_str(&format!("# [[{path}]]\n"));
    for f in fields {
        if let Some(e) = f.example {
            out.push_str(&format!("# {} = {e}\n", f.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_in_the_init_file() {
        let text = render("balanced").unwrap();
        for (path, key) in keys::all() {
            let name = path.rsplit('.').next().unwrap();
            assert!(
                text.contains(&format!("{name} = ")) || text.contains(&format!("[{path}]")),
                "{path} missing"
            );
            let first_words: String = key
                .doc
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(&first_words), "{path}: doc missing");
        }
        assert!(render("nope").is_none());
    }

    #[test]
    fn init_output_reads_back_as_its_profile() {
        use std::path::Path;
        for name in profiles::NAMES {
            let text = render(name).unwrap();
            let from_init = crate::load_str(Path::new("ospo.toml"), &text)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let profile =
                crate::load_str(Path::new("p.toml"), profiles::get(name).unwrap()).unwrap();
            assert_eq!(from_init.to_json(), profile.to_json(), "{name}");
            // The commented examples are valid entries once uncommented.
            let uncommented: String = text
                .lines()
                .map(|l| match l.strip_prefix("# ") {
                    Some(rest)
                        if rest.starts_with("[[")
                            || rest.contains(" = ")
                                && !rest.starts_with("default:")
                                && !rest.starts_with("extends") =>
                    {
                        rest
                    }
                    _ => l,
                })
                .map(|l| format!("{l}\n"))
                .collect();
            let p = crate::load_str(Path::new("ospo.toml"), &uncommented)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(p.exceptions.len(), 4, "{name}");
            assert_eq!(p.bans.deny.len(), 1);
        }
        // The profiles differ where they should.
        let strict = crate::load_str(Path::new("s"), profiles::get("strict").unwrap()).unwrap();
        assert!(!strict.sources.allow_url);
        assert_eq!(
            strict.vulnerabilities.fail_on,
            Some(ospo_vuln::severity::Severity::Medium)
        );
    }
}
