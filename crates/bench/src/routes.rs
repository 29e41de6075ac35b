//! The prefixes and API command lines of a scenario.
//!
//! Route `i` of a run is `10.0.0.0/32 + i` (IPv4) or `2001:db8::/128 + i` (IPv6); its
//! attribute set is number `i % sets`, told apart by the MED (`med <set>`), so a run with
//! one set uses no MED at all and every route shares one attribute set.

use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The address family of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fam {
    /// IPv4 unicast, /32 host routes.
    V4,
    /// IPv6 unicast, /128 host routes.
    V6,
}

impl Fam {
    /// Parses `v4` / `ipv4` or `v6` / `ipv6`.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "v4" | "ipv4" | "4" => Some(Self::V4),
            "v6" | "ipv6" | "6" => Some(Self::V6),
            _ => None,
        }
    }

    /// The prefix length of the host routes.
    pub fn host_len(self) -> u8 {
        match self {
            Self::V4 => 32,
            Self::V6 => 128,
        }
    }

    /// The next hop announced (a documentation address: GoBGP refuses loopback next hops).
    pub fn next_hop(self) -> IpAddr {
        match self {
            Self::V4 => IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
            Self::V6 => IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 1)),
        }
    }
}

/// The address of route `i`.
pub fn address(fam: Fam, i: u64) -> IpAddr {
    match fam {
        Fam::V4 => IpAddr::V4(Ipv4Addr::from(0x0A00_0000u32.wrapping_add(i as u32))),
        Fam::V6 => IpAddr::V6(Ipv6Addr::from(
            0x2001_0db8_0000_0000_0000_0000_0000_0000u128 + u128::from(i),
        )),
    }
}

/// The attribute set (MED) of route `i` when `sets` sets are in use, `None` for one set.
pub fn med(i: u64, sets: u64) -> Option<u32> {
    (sets > 1).then(|| (i % sets) as u32)
}

/// Appends the API line announcing route `i` (ExaBGP 5 grammar) to `out`.
pub fn announce_line(out: &mut String, fam: Fam, i: u64, sets: u64) {
    let _ = write!(
        out,
        "announce route {}/{} next-hop {}",
        address(fam, i),
        fam.host_len(),
        fam.next_hop()
    );
    if let Some(med) = med(i, sets) {
        let _ = write!(out, " med {med}");
    }
    out.push('\n');
}

/// Appends the API line withdrawing route `i` to `out`.
pub fn withdraw_line(out: &mut String, fam: Fam, i: u64) {
    let _ = writeln!(
        out,
        "withdraw route {}/{} next-hop {}",
        address(fam, i),
        fam.host_len(),
        fam.next_hop()
    );
}

/// The `route …;` statements of a static configuration with the same routes (for S6 and
/// BIRD's own static-route ceiling use [`bird_static`]).
pub fn config_route(out: &mut String, fam: Fam, i: u64, sets: u64) {
    let _ = write!(
        out,
        "    route {}/{} next-hop {}",
        address(fam, i),
        fam.host_len(),
        fam.next_hop()
    );
    if let Some(med) = med(i, sets) {
        let _ = write!(out, " med {med}");
    }
    out.push_str(";\n");
}

/// BIRD's `route …` statement for route `i` inside a `protocol static`.
pub fn bird_static(out: &mut String, fam: Fam, i: u64) {
    let _ = writeln!(
        out,
        "  route {}/{} blackhole;",
        address(fam, i),
        fam.host_len()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let mut out = String::new();
        announce_line(&mut out, Fam::V4, 258, 1);
        announce_line(&mut out, Fam::V6, 1, 1000);
        withdraw_line(&mut out, Fam::V4, 0);
        assert_eq!(
            out,
            "announce route 10.0.1.2/32 next-hop 192.0.2.1\n\
             announce route 2001:db8::1/128 next-hop 2001:db8:ffff::1 med 1\n\
             withdraw route 10.0.0.0/32 next-hop 192.0.2.1\n"
        );
    }

    #[test]
    fn every_line_parses_with_herald_api() {
        let mut out = String::new();
        announce_line(&mut out, Fam::V6, 7, 10);
        withdraw_line(&mut out, Fam::V4, 7);
        for line in out.lines() {
            assert!(api::parse(line).is_ok(), "{line}");
        }
    }
}
