//! ExaBGP 5 configuration grammar → typed model (spec §1), and the `exabgp.*` environment
//! settings (spec §1.12).
//!
//! - [`model`]: the typed model ([`Config`], [`Neighbor`], [`Process`], [`Route`] …).
//! - [`route`]: the shared route-attribute grammar of spec §1.5, also used by the API.
//! - [`error`]: [`ConfigError`], displayed as `file:line:col: reason (near 'token')`.

pub mod error;
pub mod lexer;
pub mod model;
pub mod route;

pub use error::ConfigError;
pub use model::{
    AddPathMode, ApiBinding, AsnSetting, Capabilities, Config, Encoder, Location, Md5Base64,
    MessageFilter, Neighbor, NextHop, NextHopFamily, Process, RawSection, Route,
};
