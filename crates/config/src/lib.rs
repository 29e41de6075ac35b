//! ExaBGP 5 configuration grammar → typed model (spec §1), and the `exabgp.*` environment
//! settings (spec §1.12).
//!
//! - [`parse`]: configuration text → [`Config`], every error collected as a
//!   [`ConfigError`] (`file:line:col: reason (near 'token')`). No I/O.
//! - [`load`]: reads the files, parses them, and checks the `run` programs
//!   ([`program::check_processes`]).
//! - [`model`]: the typed model ([`Config`], [`Neighbor`], [`Process`], [`Route`] …).
//! - [`route`]: the shared route-attribute grammar of spec §1.5, also used by the API.
//! - [`lexer`]: statements, blocks and lists with line:col positions.
//! - [`env`](mod@env): `exabgp.<section>.<key>` settings with ExaBGP's lookup order.

pub mod env;
pub mod error;
pub mod lexer;
pub mod model;
pub mod nexthop;
pub mod program;
pub mod route;

mod parser;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use env::Env;
pub use error::ConfigError;
pub use model::{
    AddPathMode, ApiBinding, AsnSetting, Capabilities, Config, Encoder, Location, Md5Base64,
    MessageFilter, Neighbor, NextHop, NextHopFamily, Process, RawSection, Route,
};

/// One configuration text and the name used for it in messages (usually its path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// File path (or any label) shown in error messages.
    pub name: String,
    /// The configuration text.
    pub text: String,
}

impl Source {
    /// A source from its name and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// Settings that change what the parser accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `exabgp.bgp.passive`: every peer is passive, so prefix neighbors are accepted
    /// without `passive`.
    pub bgp_passive: bool,
    /// [`load`] only: resolve and check the `run` programs (on by default, as ExaBGP).
    pub check_programs: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            bgp_passive: false,
            check_programs: true,
        }
    }
}

impl Options {
    /// The options implied by the environment settings.
    pub fn from_env(env: &Env) -> Self {
        Self {
            bgp_passive: env.bgp_passive(),
            check_programs: true,
        }
    }
}

/// Parses configuration texts (several files make one configuration). No I/O: `run`
/// programs are not checked (see [`program::check_processes`]).
pub fn parse(sources: &[Source]) -> Result<Config, Vec<ConfigError>> {
    parser::parse(sources, &Options::default())
}

/// [`parse`] with explicit [`Options`].
pub fn parse_with(sources: &[Source], options: &Options) -> Result<Config, Vec<ConfigError>> {
    parser::parse(sources, options)
}

/// Reads and parses the files, then resolves and checks the `run` programs.
pub fn load(paths: &[PathBuf]) -> Result<Config, Vec<ConfigError>> {
    load_with(paths, &Options::default())
}

/// [`load`] with explicit [`Options`] (`check_programs: false` skips the program check).
/// The files are read a line at a time as they are parsed.
pub fn load_with(paths: &[PathBuf], options: &Options) -> Result<Config, Vec<ConfigError>> {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::File::open(path) {
            Ok(file) => inputs.push(parser::Input::File { name, file }),
            Err(e) => errors.push(ConfigError::new(
                Location {
                    file: name.clone(),
                    line: 1,
                    col: 1,
                },
                format!("can not read the configuration: {e}"),
                None,
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut config = parser::parse_inputs(inputs, options)?;
    if options.check_programs {
        let path_var = std::env::var_os("PATH");
        program::check_processes(&mut config, path_var.as_deref())?;
    }
    Ok(config)
}

/// The directory a relative `run` program of a file is looked up in.
pub fn config_dir(file: &str) -> Option<&Path> {
    Path::new(file).parent()
}
