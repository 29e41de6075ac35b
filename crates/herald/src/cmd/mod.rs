//! One module per subcommand; each `run` returns the process exit code.

pub(crate) mod cli;
pub(crate) mod decode;
pub(crate) mod docs;
pub(crate) mod encode;
pub(crate) mod env;
pub(crate) mod healthcheck;
pub(crate) mod server;
pub(crate) mod validate;
pub(crate) mod version;
