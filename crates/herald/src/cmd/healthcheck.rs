//! `herald healthcheck`: ExaBGP's health checker (the `healthcheck` crate), given every
//! argument after `healthcheck` untouched, so that its own parser (ExaBGP's option names,
//! `-sF`, abbreviations, usage errors with exit code 2) sees exactly what a user typed.

use std::ffi::OsString;

/// The subcommand's name.
pub(crate) const NAME: &str = "healthcheck";

/// Runs the checker with `args` (the options after `healthcheck`); returns the exit code.
pub(crate) fn run(args: Vec<OsString>) -> u8 {
    exit_code(healthcheck::main_with_args(args))
}

/// `herald healthcheck …` is recognised before the main parser runs, so that nothing of
/// `herald`'s own options or help touches the checker's arguments. Returns the exit code
/// when `argv` names the subcommand.
pub(crate) fn intercept(mut argv: impl Iterator<Item = OsString>) -> Option<u8> {
    let _program = argv.next()?;
    let first = argv.next()?;
    if first != NAME {
        return None;
    }
    Some(run(argv.collect()))
}

/// The checker's codes are 0, 1 and 2; anything outside a byte is a failure.
fn exit_code(code: i32) -> u8 {
    u8::try_from(code).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_subcommands_are_not_intercepted() {
        let argv = ["herald", "server", "x.conf"].map(OsString::from);
        assert_eq!(intercept(argv.into_iter()), None);
        let argv = ["herald"].map(OsString::from);
        assert_eq!(intercept(argv.into_iter()), None);
    }

    #[test]
    fn codes_outside_a_byte_are_failures() {
        assert_eq!(exit_code(2), 2);
        assert_eq!(exit_code(-1), 1);
        assert_eq!(exit_code(300), 1);
    }
}
