//! `herald env [-d] [-e]`: the `exabgp.*` settings, as `exabgp env` prints them.

use std::path::Path;

use crate::cli::EnvArgs;

/// Prints the settings (INI form, or `-e` environment form; `-d` only the changed ones).
pub(crate) fn run(args: &EnvArgs, env_file: Option<&Path>) -> anyhow::Result<u8> {
    let env = config::Env::from_process(env_file)?;
    print!("{}", env.list(args.env, args.diff));
    Ok(0)
}
