//! `herald healthcheck`: ExaBGP 5's anycast health checker, option for option.
//!
//! Run as a `process` of the daemon, it runs a check command periodically and prints
//! `announce route` / `withdraw route` API commands for the service addresses, raising
//! the MED (or withdrawing) when the service goes down, and setting up the addresses on
//! the loopback interface. A configuration line such as
//!
//! ```text
//! process monitor-myapp {
//!     run herald healthcheck --cmd "curl -s -f http://localhost" --ip 192.0.2.1 --next-hop 198.51.100.1;
//! }
//! ```
//!
//! behaves as the same line with `exabgp healthcheck` does. `crates/healthcheck/README.md`
//! lists every option with ExaBGP's meaning and the test that covers it.
//!
//! Modules:
//! - [`options`]: the command line and `--config` file;
//! - [`state`]: the INIT/DISABLED/RISING/FALLING/UP/DOWN/EXIT/END machine, no I/O;
//! - [`command`]: the exact command lines printed for a state;
//! - [`check`]: the check command with its timeout, and the execute hooks;
//! - [`netlink`], [`addresses`]: the service addresses on lo, over rtnetlink;
//! - [`runner`]: the loop, replies, signals; [`log`]: stderr and syslog lines;
//! - `sys`: process-group kill and privilege drop (the only `unsafe` code).

pub mod addresses;
pub mod check;
pub mod command;
pub mod log;
pub mod netlink;
pub mod options;
pub mod runner;
pub mod state;
mod sys;

use std::ffi::OsString;

use tracing_subscriber::layer::SubscriberExt;

/// Runs `herald healthcheck` with `args` (the options only, without the program name)
/// and returns the process exit code: 0 after a signal or `--interval 0`, 1 on a fatal
/// error (logged), 2 for bad options (usage printed on stderr), 0 for `--help`.
pub fn main_with_args(args: Vec<OsString>) -> i32 {
    let options = match options::parse(args) {
        Ok(options) => options,
        Err(refused) => return refused.report(),
    };
    let subscriber = tracing_subscriber::registry().with(log::Sinks::new(&options.logging));
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("cannot start the runtime: {e}");
            return 1;
        }
    };
    match runtime.block_on(runner::run(options)) {
        Ok(()) => 0,
        Err(e) => {
            tracing::error!("{e}");
            1
        }
    }
}
