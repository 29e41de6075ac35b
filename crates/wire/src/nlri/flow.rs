//! FlowSpec NLRI: IPv4 (RFC 8955 §4), IPv6 (RFC 8956 §3) and their VPN forms (RFC 8955
//! §8, SAFI 134).
//!
//! ```text
//! +--------------------------------+
//! | length (0xnn or 0xfnnn)        |  1 octet below 240, else 2 octets (12 bits)
//! +--------------------------------+
//! | Route Distinguisher (8)        |  flow-vpn (SAFI 134) only
//! +--------------------------------+
//! | component type (1) | value …   |  types in increasing order
//! +--------------------------------+
//! ```
//!
//! Components 1 and 2 are prefixes (IPv6: length, offset, pattern, RFC 8956 §3.1); the
//! others are lists of `<operator, value>` pairs (RFC 8955 §4.2.1):
//!
//! ```text
//!   0   1   2   3   4   5   6   7
//! +---+---+---+---+---+---+---+---+
//! | e | a |  len  | 0 |lt |gt |eq |   numeric operator (§4.2.1.1)
//! +---+---+---+---+---+---+---+---+
//! | e | a |  len  | 0 | 0 |not| m |   bitmask operator (§4.2.1.2)
//! +---+---+---+---+---+---+---+---+
//! ```
//!
//! An IPv6 prefix is sent as ExaBGP 5.0 sends it (the conformance corpus): length,
//! offset and the first ceil(length / 8) octets of the address, which is RFC 8956 §3.1's
//! pattern when the offset is 0 (the usual case) and longer otherwise.
//!
//! Reception follows ExaBGP 5.0.15: reserved operator bits and fragment bits a family does
//! not define are ignored; the AND bit of a list's first operator is cleared; destination
//! and source prefixes may repeat, other types may not; a value too large for its field
//! (a protocol of 262) is malformed. A length that overruns the field breaks the framing:
//! (3,10) Invalid Network Field. Any other fault leaves the framing intact: the entry is
//! kept as [`Nlri::Opaque`] and the UPDATE is treated as withdraw (RFC 8955 §10, RFC 7606
//! §2), see [`is_flow_family`] and [`Nlri::decode_field`].

pub mod text;

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use super::{Nlri, PathId, RouteDistinguisher};
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// A FlowSpec component type (RFC 8955 §4.2.2, RFC 8956 §3), in registry order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ComponentType(pub u8);

impl ComponentType {
    /// Type 1: destination prefix.
    pub const DESTINATION: Self = Self(1);
    /// Type 2: source prefix.
    pub const SOURCE: Self = Self(2);
    /// Type 3: IP protocol (IPv4) or next header (IPv6).
    pub const PROTOCOL: Self = Self(3);
    /// Type 4: source or destination port.
    pub const PORT: Self = Self(4);
    /// Type 5: destination port.
    pub const DESTINATION_PORT: Self = Self(5);
    /// Type 6: source port.
    pub const SOURCE_PORT: Self = Self(6);
    /// Type 7: ICMP type.
    pub const ICMP_TYPE: Self = Self(7);
    /// Type 8: ICMP code.
    pub const ICMP_CODE: Self = Self(8);
    /// Type 9: TCP flags (bitmask).
    pub const TCP_FLAGS: Self = Self(9);
    /// Type 10: packet length.
    pub const PACKET_LENGTH: Self = Self(10);
    /// Type 11: DSCP (IPv4) or traffic class (IPv6).
    pub const DSCP: Self = Self(11);
    /// Type 12: fragment (bitmask).
    pub const FRAGMENT: Self = Self(12);
    /// Type 13: flow label (IPv6 only, RFC 8956 §3.7).
    pub const FLOW_LABEL: Self = Self(13);

    /// True for the prefix types (1 and 2).
    pub fn is_prefix(self) -> bool {
        matches!(self.0, 1 | 2)
    }

    /// True for the bitmask types (TCP flags, fragment).
    pub fn is_bitmask(self) -> bool {
        matches!(self.0, 9 | 12)
    }

    /// True when `afi` defines the type (13 is IPv6 only).
    pub fn known(self, afi: Afi) -> bool {
        match self.0 {
            1..=12 => true,
            13 => afi == Afi::IPV6,
            _ => false,
        }
    }

    /// One more than the largest value of the type, as ExaBGP bounds it: one octet for
    /// protocol, ICMP and DSCP, two for ports, flags, length and fragment, four for the
    /// flow label.
    pub fn value_limit(self) -> u64 {
        match self.0 {
            3 | 7 | 8 | 11 => 1 << 8,
            13 => 1 << 32,
            _ => 1 << 16,
        }
    }
}

/// Numeric operator bits (RFC 8955 §4.2.1.1).
pub mod numeric {
    /// lt: less than.
    pub const LT: u8 = 0x04;
    /// gt: greater than.
    pub const GT: u8 = 0x02;
    /// eq: equal.
    pub const EQ: u8 = 0x01;
}

/// Bitmask operator bits (RFC 8955 §4.2.1.2).
pub mod bitmask {
    /// not: logical negation of the operation.
    pub const NOT: u8 = 0x02;
    /// m: match (all bits set) instead of include (any bit set).
    pub const MATCH: u8 = 0x01;
}

const END: u8 = 0x80;
const AND: u8 = 0x40;

/// One `<operator, value>` pair of a numeric or bitmask component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Op {
    /// The `a` bit: ANDed with the previous pair (otherwise ORed).
    pub and: bool,
    /// The comparison bits: [`numeric`] or [`bitmask`] (3 and 2 low bits).
    pub bits: u8,
    /// Octets of the value on the wire: 1, 2, 4 or 8.
    pub len: u8,
    /// The value.
    pub value: u64,
}

impl Op {
    /// A pair with the smallest of 1, 2, 4 or 8 octets that holds `value` (ExaBGP's
    /// encoding widths).
    pub fn new(and: bool, bits: u8, value: u64) -> Self {
        let len = match value {
            0..=0xff => 1,
            0x100..=0xffff => 2,
            0x1_0000..=0xffff_ffff => 4,
            _ => 8,
        };
        Self {
            and,
            bits,
            len,
            value,
        }
    }
}

/// One component of a flow specification.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    /// Destination (type 1) or source (type 2) prefix. `offset` is the IPv6 pattern offset
    /// (RFC 8956 §3.1), always 0 for IPv4.
    Prefix {
        /// Type 1 or 2.
        kind: ComponentType,
        /// The prefix.
        prefix: IpNet,
        /// IPv6 offset in bits.
        offset: u8,
    },
    /// A numeric or bitmask component (types 3–13).
    Ops {
        /// The type.
        kind: ComponentType,
        /// The pairs, in order.
        ops: Vec<Op>,
    },
}

impl Component {
    /// A prefix component (host bits cleared).
    pub fn prefix(kind: ComponentType, prefix: IpNet, offset: u8) -> Self {
        Self::Prefix {
            kind,
            prefix: prefix.trunc(),
            offset,
        }
    }

    /// The component type.
    pub fn kind(&self) -> ComponentType {
        match self {
            Self::Prefix { kind, .. } | Self::Ops { kind, .. } => *kind,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.kind().0);
        match self {
            Self::Prefix {
                prefix: IpNet::V4(net),
                ..
            } => {
                let len = net.prefix_len();
                out.push(len);
                out.extend_from_slice(&net.network().octets()[..usize::from(len).div_ceil(8)]);
            }
            Self::Prefix {
                prefix: IpNet::V6(net),
                offset,
                ..
            } => {
                let len = net.prefix_len();
                out.push(len);
                out.push(*offset);
                out.extend_from_slice(&net.network().octets()[..usize::from(len).div_ceil(8)]);
            }
            Self::Ops { ops, .. } => {
                for (i, op) in ops.iter().enumerate() {
                    let mut byte = op.bits & 0x07;
                    if i + 1 == ops.len() {
                        byte |= END;
                    }
                    if op.and {
                        byte |= AND;
                    }
                    let (code, len) = match op.len {
                        1 => (0, 1),
                        2 => (1, 2),
                        4 => (2, 4),
                        _ => (3, 8),
                    };
                    out.push(byte | (code << 4));
                    out.extend_from_slice(&op.value.to_be_bytes()[8 - len..]);
                }
            }
        }
    }
}

/// One flow specification: its components, the RD of a flow-vpn route, and the ADD-PATH
/// identifier when the family uses one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Flow {
    /// ADD-PATH identifier (RFC 7911), when negotiated for the family.
    pub path_id: Option<PathId>,
    /// Route Distinguisher (flow-vpn only, RFC 8955 §8).
    pub rd: Option<RouteDistinguisher>,
    /// Components in wire order.
    pub components: Vec<Component>,
}

/// The largest NLRI value the 12-bit length can carry (RFC 8955 §4.1).
pub const MAX_LEN: usize = 0x0fff;

impl Flow {
    /// Adds pairs to the component of `kind`, creating it in type order (ExaBGP gathers
    /// every condition on one type in one component).
    pub fn push_ops(&mut self, kind: ComponentType, new: Vec<Op>) {
        if let Some(Component::Ops { ops, .. }) =
            self.components.iter_mut().find(|c| c.kind() == kind)
        {
            ops.extend(new);
            return;
        }
        self.insert(Component::Ops { kind, ops: new });
    }

    /// Adds a component after those of a lower or equal type.
    pub fn insert(&mut self, component: Component) {
        let at = self
            .components
            .iter()
            .position(|c| c.kind() > component.kind())
            .unwrap_or(self.components.len());
        self.components.insert(at, component);
    }

    /// The NLRI value: RD and components, without the length.
    fn body(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(rd) = &self.rd {
            out.extend_from_slice(&rd.0);
        }
        for c in &self.components {
            c.encode(&mut out);
        }
        out
    }

    /// Octets on the wire, with a path identifier when `add_path`.
    pub fn encoded_len(&self, add_path: bool) -> usize {
        let body = self.body().len();
        let id = if add_path { 4 } else { 0 };
        id + body + if body < 240 { 1 } else { 2 }
    }

    /// Appends the NLRI (RFC 8955 §4.1 length, then the value).
    pub fn encode(&self, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let body = self.body();
        if body.len() > MAX_LEN {
            return Err(EncodeError::FieldTooLong("FlowSpec NLRI"));
        }
        if add_path {
            out.extend_from_slice(&self.path_id.unwrap_or_default().0.to_be_bytes());
        }
        if body.len() < 240 {
            out.push(body.len() as u8);
        } else {
            out.extend_from_slice(&(0xf000 | body.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(&body);
        Ok(())
    }
}

/// True for the FlowSpec families: IPv4/IPv6 flow (SAFI 133) and flow-vpn (SAFI 134).
pub fn is_flow_family(family: Family) -> bool {
    matches!(family.afi, Afi::IPV4 | Afi::IPV6)
        && matches!(family.safi, Safi::FLOW | Safi::FLOW_VPN)
}

/// Reads one FlowSpec NLRI of `family` (after its path identifier). A length overrunning
/// the field is (3,10); a malformed value gives the entry's octets as [`Nlri::Opaque`].
pub(super) fn decode_one(
    r: &mut Reader<'_>,
    family: Family,
    path_id: Option<PathId>,
) -> Result<Nlri, WireError> {
    let at = r.offset();
    let invalid = |what| WireError::new(at, WireErrorKind::InvalidNetworkField(what));
    let head = r.peek_rest();
    let first = *head.first().ok_or_else(|| invalid("FlowSpec length"))?;
    let (len, head_len) = if first & 0xf0 == 0xf0 {
        let second = *head
            .get(1)
            .ok_or_else(|| invalid("FlowSpec extended length"))?;
        ((usize::from(first & 0x0f) << 8) | usize::from(second), 2)
    } else {
        (usize::from(first), 1)
    };
    let entry = r
        .take(head_len + len, "FlowSpec NLRI")
        .map_err(|_| invalid("FlowSpec length overruns the NLRI field"))?;
    let value = &entry[head_len..];
    Ok(match parse_value(value, family) {
        Some((rd, components)) => Nlri::Flow(Flow {
            path_id,
            rd,
            components,
        }),
        None => {
            // The path identifier stays in front so that the entry re-encodes as read.
            let mut raw = path_id
                .map(|id| id.0.to_be_bytes().to_vec())
                .unwrap_or_default();
            raw.extend_from_slice(entry);
            Nlri::Opaque(raw)
        }
    })
}

/// Parses an NLRI value (RD and components); `None` when malformed (RFC 8955 §4.2).
pub fn parse_value(
    mut value: &[u8],
    family: Family,
) -> Option<(Option<RouteDistinguisher>, Vec<Component>)> {
    let rd = if family.safi == Safi::FLOW_VPN {
        let (rd, rest) = value.split_first_chunk::<8>()?;
        value = rest;
        Some(RouteDistinguisher(*rd))
    } else {
        None
    };
    let components = parse_components(value, family.afi)?;
    Some((rd, components))
}

/// Parses the components of one NLRI; `None` when malformed.
pub fn parse_components(mut value: &[u8], afi: Afi) -> Option<Vec<Component>> {
    let mut out: Vec<Component> = Vec::new();
    while let Some((&code, rest)) = value.split_first() {
        value = rest;
        let kind = ComponentType(code);
        if !kind.known(afi) {
            return None;
        }
        if let Some(last) = out.last() {
            let prev = last.kind();
            if prev > kind || (prev == kind && !kind.is_prefix()) {
                return None;
            }
        }
        let component = if kind.is_prefix() {
            let (c, rest) = parse_prefix(kind, value, afi)?;
            value = rest;
            c
        } else {
            let (ops, rest) = parse_ops(kind, value, afi)?;
            value = rest;
            Component::Ops { kind, ops }
        };
        out.push(component);
    }
    (!out.is_empty()).then_some(out)
}

fn parse_prefix(kind: ComponentType, value: &[u8], afi: Afi) -> Option<(Component, &[u8])> {
    let (&len, rest) = value.split_first()?;
    if afi == Afi::IPV4 {
        if len > 32 {
            return None;
        }
        let size = usize::from(len).div_ceil(8);
        let bytes = rest.get(..size)?;
        let mut a = [0u8; 4];
        a[..size].copy_from_slice(bytes);
        let net = Ipv4Net::new(Ipv4Addr::from(a), len).ok()?;
        return Some((Component::prefix(kind, IpNet::V4(net), 0), &rest[size..]));
    }
    let (&offset, rest) = rest.split_first()?;
    if (len, offset) != (0, 0) && !(offset < len && len <= 128) {
        return None;
    }
    // ExaBGP 5.0 (the conformance corpus) sends the first ceil(length / 8) octets of the
    // address whatever the offset, not RFC 8956 §3.1's (length - offset)-bit pattern; the
    // two agree when the offset is 0.
    let size = usize::from(len).div_ceil(8);
    let bytes = rest.get(..size)?;
    let mut a = [0u8; 16];
    a[..size].copy_from_slice(bytes);
    let net = Ipv6Net::new(Ipv6Addr::from(a), len).ok()?;
    Some((
        Component::prefix(kind, IpNet::V6(net), offset),
        &rest[size..],
    ))
}

fn parse_ops(kind: ComponentType, mut value: &[u8], afi: Afi) -> Option<(Vec<Op>, &[u8])> {
    let mask = if kind.is_bitmask() { 0x03 } else { 0x07 };
    let mut ops = Vec::new();
    loop {
        let (&byte, rest) = value.split_first()?;
        let len = 1usize << ((byte >> 4) & 0x03);
        let bytes = rest.get(..len)?;
        value = &rest[len..];
        let mut v = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        if kind == ComponentType::FRAGMENT {
            v &= if afi == Afi::IPV4 { 0x0f } else { 0x0e };
        }
        if v >= kind.value_limit() {
            return None;
        }
        ops.push(Op {
            and: !ops.is_empty() && byte & AND != 0,
            bits: byte & mask,
            len: len as u8,
            value: v,
        });
        if byte & END != 0 {
            return Some((ops, value));
        }
    }
}

#[cfg(test)]
mod tests;
