//! A number with its explanation: every metric and score of a health report carries the value
//! (or `null` when it cannot be known), the inputs it was computed from and a one-line reason.

use serde::Serialize;
use serde_json::{Map, Value};

/// One explained value. `value: None` means unknown (a shallow clone, no data): never zero.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metric<T> {
    pub value: Option<T>,
    /// What the value was computed from, in a fixed order.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub inputs: Map<String, Value>,
    pub reason: String,
}

impl<T> Metric<T> {
    pub fn known(value: T, reason: impl Into<String>) -> Metric<T> {
        Metric {
            value: Some(value),
            inputs: Map::new(),
            reason: reason.into(),
        }
    }

    pub fn unknown(reason: impl Into<String>) -> Metric<T> {
        Metric {
            value: None,
            inputs: Map::new(),
            reason: reason.into(),
        }
    }

    /// Adds an input (kept in the order added).
    pub fn input(mut self, name: &str, value: impl Into<Value>) -> Metric<T> {
        self.inputs.insert(name.to_owned(), value.into());
        self
    }

    pub fn is_known(&self) -> bool {
        self.value.is_some()
    }
}

impl<T: Copy> Metric<T> {
    pub fn get(&self) -> Option<T> {
        self.value
    }
}

/// Rounds to two decimals, so that reports are stable across platforms and easy to read.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Rounds to one decimal (scores).
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
