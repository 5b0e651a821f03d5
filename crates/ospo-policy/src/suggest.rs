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

/// The candidates closest to `name` (within a third of its length, at least 2 edits; ties
/// kept), else those that start with it; at most three.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let lower = name.to_ascii_lowercase();
    let limit = (name.chars().count().div_ceil(3)).max(2);
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let mut close: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (distance(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    close.sort();
    if let Some(&(best, _)) = close.first() {
        return close
            .into_iter()
            .take_while(|(d, _)| *d == best)
            .take(3)
            .map(|(_, c)| c)
            .collect();
    }
    if lower.len() < 4 {
        return Vec::new();
    }
    let mut prefixed: Vec<&str> = candidates
        .into_iter()
        .filter(|c| c.to_ascii_lowercase().starts_with(&lower))
        .collect();
    prefixed.sort();
    prefixed.truncate(3);
    prefixed
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
