//! The registry of extractors: one file per format, fixtures in `testdata/<id>/`.
//!
//! Adding one: write `extractors/<id>.rs` implementing [`Extractor`], add it to [`REGISTRY`]
//! (kept sorted by id), put real fixtures in `testdata/<id>/`, and the table tests below cover
//! the rest (unique sorted ids, no panic on arbitrary bytes).

use crate::Extractor;

pub mod cargo;
pub mod pdm;
pub mod pep508;
pub mod pipfile;
pub mod poetry;
pub mod pylock;
pub mod python_installed;
pub mod requirements;
pub mod uv;

/// Every extractor, sorted by id.
pub static REGISTRY: &[&dyn Extractor] = &[
    &cargo::CargoLock,
    &pdm::PdmLock,
    &requirements::PipRequirements,
    &pipfile::PipfileLock,
    &poetry::PoetryLock,
    &pylock::Pylock,
    &python_installed::PythonInstalled,
    &uv::UvLock,
];

/// The extractor with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Extractor> {
    REGISTRY.iter().copied().find(|e| e.id() == id)
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_kebab_case() {
        let ids: Vec<&str> = REGISTRY.iter().map(|e| e.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "REGISTRY must be sorted by id, ids unique");
        for id in ids {
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id} is not kebab-case"
            );
        }
    }
}
