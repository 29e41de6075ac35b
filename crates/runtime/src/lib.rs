//! Herald's runtime (work in progress).

pub mod bindings;
pub mod event;
pub mod pattern;
pub mod process;
pub mod reload;
pub mod socket;
#[cfg(test)]
mod testutil;
