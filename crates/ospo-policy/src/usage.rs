//! Which exceptions an evaluation used, and the findings for those that expired or matched
//! nothing. The evaluator marks an exception when it decides a case ([`Usage::mark`], callable
//! from many threads) and says which sections it evaluated; an exception of a section that was
//! not evaluated is never called unused. Time is a parameter: nothing here reads the clock.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use time::Date;

use crate::finding::{Finding, Location};
use crate::policy::{Policy, Section};
use crate::rules;

/// The exceptions used during one evaluation of a policy.
#[derive(Debug)]
pub struct Usage {
    used: Vec<AtomicBool>,
    evaluated: Mutex<BTreeSet<Section>>,
}

impl Usage {
    pub fn new(policy: &Policy) -> Usage {
        Usage {
            used: policy
                .exceptions
                .iter()
                .map(|_| AtomicBool::new(false))
                .collect(),
            evaluated: Mutex::new(BTreeSet::new()),
        }
    }

    /// Marks an exception (its index in [`Policy::exceptions`]) as used.
    pub fn mark(&self, exception: usize) {
        if let Some(u) = self.used.get(exception) {
            u.store(true, Ordering::Relaxed);
        }
    }

    pub fn is_used(&self, exception: usize) -> bool {
        self.used
            .get(exception)
            .is_some_and(|u| u.load(Ordering::Relaxed))
    }

    /// Records that a section was evaluated over the whole inventory.
    pub fn evaluated(&self, section: Section) {
        if let Ok(mut e) = self.evaluated.lock() {
            e.insert(section);
        }
    }

    fn was_evaluated(&self, section: Section) -> bool {
        self.evaluated
            .lock()
            .map(|e| e.contains(&section))
            .unwrap_or(false)
    }
}

impl Policy {
    /// The exceptions that have expired on `today` (they apply through their expiry day).
    pub fn expired(&self, today: Date) -> impl Iterator<Item = (usize, &crate::Exception)> {
        self.exceptions
            .iter()
            .enumerate()
            .filter(move |(_, e)| !e.is_live(today))
    }

    /// `policy-exception-expired` for every expired exception, and `policy-exception-unused`
    /// for every live one of an evaluated section that the evaluation did not use; each at the
    /// exception's own file, line and column. Sorted.
    pub fn exception_findings(&self, today: Date, usage: &Usage) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, e) in self.exceptions.iter().enumerate() {
            let what = format!("the {} entry for `{}`", e.kind.table(), e.subject);
            let finding = if !e.is_live(today) {
                let date = e.expires.map(|d| d.to_string()).unwrap_or_default();
                Finding::new(
                    rules::POLICY_EXCEPTION_EXPIRED.code,
                    format!("{what} expired on {date}: it no longer applies"),
                )
                .with_hint(format!(
                    "fix what it covered, or renew it with a new date (reason was: {})",
                    e.reason
                ))
            } else if usage.was_evaluated(e.kind.section()) && !usage.is_used(i) {
                Finding::new(
                    rules::POLICY_EXCEPTION_UNUSED.code,
                    format!("{what} matches nothing"),
                )
                .with_hint("remove it, so it cannot hide a future problem")
            } else {
                continue;
            };
            out.push(finding.at(Location::from(&e.origin)));
        }
        out.sort();
        out
    }
}
