//! Helpers the integration tests share (`mod common;`); each test binary uses a part.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use herald_wire::{Family, Nlri, Reader, WireError, WireErrorKind};
use proptest::prelude::*;

/// The octets of known-good hex (white space between digits allowed).
pub(crate) fn hex(s: &str) -> Vec<u8> {
    herald_wire::hex::decode(s).unwrap_or_else(|| panic!("not hex: {s:?}"))
}

/// Any IPv4 address, or any IPv6 address when `v6`.
pub(crate) fn addr(v6: bool) -> BoxedStrategy<IpAddr> {
    if v6 {
        any::<u128>()
            .prop_map(|a| IpAddr::V6(Ipv6Addr::from(a)))
            .boxed()
    } else {
        any::<u32>()
            .prop_map(|a| IpAddr::V4(Ipv4Addr::from(a)))
            .boxed()
    }
}

/// Decodes an NLRI field of `family` as MP_REACH_NLRI carries it (a cut entry is a
/// malformed attribute list).
pub(crate) fn decode(bytes: &[u8], family: Family, add_path: bool) -> Result<Vec<Nlri>, WireError> {
    Nlri::decode_field(
        &mut Reader::new(bytes),
        family,
        add_path,
        WireErrorKind::MalformedAttributeList,
    )
}
