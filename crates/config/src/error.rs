//! Configuration errors: every problem found, each with the place it was written.

use thiserror::Error;

use crate::model::Location;

/// One configuration problem, displayed as `file:line:col: reason (near 'token')`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{location}: {reason}{}", near_suffix(.near))]
pub struct ConfigError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong.
    pub reason: String,
    /// The token at fault, if there is one.
    pub near: Option<String>,
}

fn near_suffix(near: &Option<String>) -> String {
    match near {
        Some(token) => format!(" (near '{token}')"),
        None => String::new(),
    }
}

impl ConfigError {
    /// An error at `location` about `near`.
    pub fn new(location: Location, reason: impl Into<String>, near: Option<&str>) -> Self {
        Self {
            location,
            reason: reason.into(),
            near: near.map(str::to_owned),
        }
    }
}
