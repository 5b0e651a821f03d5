//! "Did you mean": the closest names to a misspelt one.

/// Edit distance (Levenshtein) between two strings, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j] + 1).min(row[j + 1] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The candidates close to `name` (a third of its length, at least 2 edits, or sharing a
/// prefix), the closest first, at most three.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let lower = name.to_ascii_lowercase();
    let limit = (name.chars().count().div_ceil(3)).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = distance(&lower, &c.to_ascii_lowercase());
            let related =
                d <= limit || (lower.len() >= 4 && c.to_ascii_lowercase().starts_with(&lower));
            related.then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(closest("alow", ["allow", "deny", "prefer"]), ["allow"]);
        assert!(closest("zzzzzz", ["allow", "deny"]).is_empty());
        assert_eq!(
            closest("license", ["license-unknown", "vulnerability-high"]),
            ["license-unknown"]
        );
    }
}
