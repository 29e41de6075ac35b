//! IP prefixes written straight into the output, exactly as their `Display` writes them
//! (`10.0.0.0/24`, `2001:db8::/32`, `::ffff:192.0.2.1/128`), without going through
//! `core::fmt`: formatting the prefix of every route was about 40% of the time Herald
//! took to report a million received routes in JSON (`bench/README.md`, S2).
//!
//! The IPv6 form is RFC 5952's (§4: lower-case hex without leading zeros, the longest
//! run of two or more zero groups as `::`, the first one on a tie) with an IPv4-mapped
//! address as `::ffff:a.b.c.d`, which is what std's `Ipv6Addr` prints.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

/// Longest text: a full IPv6 address (39), `/128` (4).
const MAX: usize = 48;

/// A small stack buffer of ASCII.
struct Buf {
    bytes: [u8; MAX],
    len: usize,
}

impl Buf {
    fn new() -> Self {
        Self {
            bytes: [0; MAX],
            len: 0,
        }
    }

    #[inline]
    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// A decimal number without leading zeros.
    #[inline]
    fn decimal(&mut self, value: u8) {
        if value >= 100 {
            self.push(b'0' + value / 100);
        }
        if value >= 10 {
            self.push(b'0' + value / 10 % 10);
        }
        self.push(b'0' + value % 10);
    }

    /// A lower-case hex number without leading zeros.
    #[inline]
    fn hex(&mut self, value: u16) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let digits = (4 - value.leading_zeros() / 4).max(1);
        for i in (0..digits).rev() {
            self.push(DIGITS[usize::from((value >> (4 * i)) & 0xf)]);
        }
    }

    fn ipv4(&mut self, addr: Ipv4Addr) {
        let [a, b, c, d] = addr.octets();
        self.decimal(a);
        self.push(b'.');
        self.decimal(b);
        self.push(b'.');
        self.decimal(c);
        self.push(b'.');
        self.decimal(d);
    }

    fn groups(&mut self, groups: &[u16]) {
        for (i, group) in groups.iter().enumerate() {
            if i > 0 {
                self.push(b':');
            }
            self.hex(*group);
        }
    }

    fn ipv6(&mut self, addr: Ipv6Addr) {
        if let Some(v4) = addr.to_ipv4_mapped() {
            for &byte in b"::ffff:" {
                self.push(byte);
            }
            self.ipv4(v4);
            return;
        }
        let groups = addr.segments();
        // the first longest run of zero groups
        let (mut best, mut best_len, mut start, mut len) = (0, 0, 0, 0);
        for (i, group) in groups.iter().enumerate() {
            if *group == 0 {
                if len == 0 {
                    start = i;
                }
                len += 1;
                if len > best_len {
                    (best, best_len) = (start, len);
                }
            } else {
                len = 0;
            }
        }
        if best_len > 1 {
            self.groups(&groups[..best]);
            self.push(b':');
            self.push(b':');
            self.groups(&groups[best + best_len..]);
        } else {
            self.groups(&groups);
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII is ever pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// Appends `prefix` as its `Display` writes it.
pub(crate) fn push_prefix(out: &mut String, prefix: &IpNet) {
    let mut buf = Buf::new();
    match prefix {
        IpNet::V4(net) => buf.ipv4(net.addr()),
        IpNet::V6(net) => buf.ipv6(net.addr()),
    }
    buf.push(b'/');
    buf.decimal(prefix.prefix_len());
    out.push_str(buf.as_str());
}

#[cfg(test)]
mod tests {
    use ipnet::{Ipv4Net, Ipv6Net};
    use proptest::prelude::*;

    use super::*;

    fn text(prefix: &IpNet) -> String {
        let mut out = String::from("x");
        push_prefix(&mut out, prefix);
        out.split_off(1)
    }

    /// Addresses with zero runs where the compression rules differ: none, one group (not
    /// compressed), ties (the first wins), IPv4-mapped and IPv4-compatible.
    #[test]
    fn rfc_5952_examples_and_edge_cases() {
        for (addr, len, expected) in [
            ("2001:db8:0:0:1:0:0:1", 128, "2001:db8::1:0:0:1/128"),
            ("2001:db8:0:1:1:1:1:1", 64, "2001:db8:0:1:1:1:1:1/64"),
            ("2001:0:0:1:0:0:0:1", 128, "2001:0:0:1::1/128"),
            ("0:0:0:0:0:0:0:0", 0, "::/0"),
            ("::1", 128, "::1/128"),
            ("1::", 16, "1::/16"),
            ("::ffff:192.0.2.1", 128, "::ffff:192.0.2.1/128"),
            ("::192.0.2.1", 128, "::c000:201/128"),
            (
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                128,
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
            ),
        ] {
            let net = IpNet::V6(Ipv6Net::new(addr.parse().unwrap(), len).unwrap());
            assert_eq!(text(&net), expected);
            assert_eq!(text(&net), net.to_string());
        }
        let net = IpNet::V4(Ipv4Net::new(Ipv4Addr::new(10, 200, 0, 255), 9).unwrap());
        assert_eq!(text(&net), "10.200.0.255/9");
    }

    /// IPv6 addresses whose groups are mostly zero, so that every run shape occurs.
    fn sparse_v6() -> impl Strategy<Value = Ipv6Addr> {
        prop::array::uniform8(prop_oneof![Just(0u16), Just(1u16), any::<u16>()])
            .prop_map(Ipv6Addr::from)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn ipv4_is_written_as_display_writes_it(addr in any::<u32>(), len in 0u8..=32) {
            let net = IpNet::V4(Ipv4Net::new(Ipv4Addr::from(addr), len).unwrap());
            prop_assert_eq!(text(&net), net.to_string());
        }

        #[test]
        fn ipv6_is_written_as_display_writes_it(
            addr in prop_oneof![sparse_v6(), any::<u128>().prop_map(Ipv6Addr::from)],
            len in 0u8..=128,
        ) {
            let net = IpNet::V6(Ipv6Net::new(addr, len).unwrap());
            prop_assert_eq!(text(&net), net.to_string());
        }

        #[test]
        fn ipv4_mapped_is_written_as_display_writes_it(addr in any::<u32>(), len in 96u8..=128) {
            let net = IpNet::V6(Ipv6Net::new(Ipv4Addr::from(addr).to_ipv6_mapped(), len).unwrap());
            prop_assert_eq!(text(&net), net.to_string());
        }
    }
}
