//! The conformance test peer: plays one case of ExaBGP's functional-test format (a `.msg`
//! file, see [`script`]) against a BGP speaker, the way ExaBGP's own test peer does:
//! listen on loopback, answer the speaker's OPEN with a mirrored OPEN (router-id + 1), then
//! compare every message the speaker sends, byte for byte, with the expected groups
//! ([`checker`]), performing the script's actions (NOTIFICATION, signal) when their group is
//! reached ([`peer`]).

pub mod checker;
pub mod peer;
pub mod script;
