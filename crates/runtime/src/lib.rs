//! Herald's runtime (work in progress).

pub mod event;
pub mod process;
