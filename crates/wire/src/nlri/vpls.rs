//! VPLS NLRI, AFI 25 (L2VPN) SAFI 65 (RFC 4761 §3.2.2).
//!
//! ```text
//! +------------------------------------+
//! |  Length (2 octets)                 |
//! +------------------------------------+
//! |  Route Distinguisher  (8 octets)   |
//! +------------------------------------+
//! |  VE ID (2 octets)                  |
//! +------------------------------------+
//! |  VE Block Offset (2 octets)        |
//! +------------------------------------+
//! |  VE Block Size (2 octets)          |
//! +------------------------------------+
//! |  Label Base (3 octets)             |
//! +------------------------------------+
//! ```
//!
//! The Length counts the octets after it: 17. As ExaBGP 5 does, a longer entry is read
//! (its first 17 octets; the rest is kept so that it re-encodes unchanged) and a shorter
//! one is an error (3,10) Invalid Network Field (RFC 7606 §5.3). The label base is the
//! 20 high bits of its three octets; the four low bits (traffic class and bottom of
//! stack, RFC 3032 §2.1) are kept too, and a route built from configuration sets the
//! bottom-of-stack bit as ExaBGP sends it. ExaBGP names the VE ID `endpoint`.

use super::{PathId, RouteDistinguisher};
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// The octets of a VPLS NLRI after its Length (RFC 4761 §3.2.2).
const VPLS_LEN: u16 = 17;

/// The low bits of the label field ExaBGP sends: bottom of stack (RFC 3032 §2.1).
pub const BOTTOM_OF_STACK: u8 = 0x1;

/// The largest label base (a 20-bit MPLS label, RFC 3032 §2.1).
pub const MAX_LABEL_BASE: u32 = 0xF_FFFF;

/// A VPLS route (one NLRI entry of L2VPN VPLS, RFC 4761 §3.2.2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Vpls {
    /// ADD-PATH identifier, when ADD-PATH is negotiated for the family.
    pub path_id: Option<PathId>,
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// VE ID (ExaBGP's `endpoint`).
    pub endpoint: u16,
    /// VE Block Offset.
    pub offset: u16,
    /// VE Block Size.
    pub size: u16,
    /// Label base: a 20-bit label (at most [`MAX_LABEL_BASE`]).
    pub base: u32,
    /// The four low bits of the label field (traffic class, bottom of stack).
    pub label_flags: u8,
}

/// True for L2VPN VPLS (AFI 25, SAFI 65).
pub fn is_vpls_family(family: Family) -> bool {
    family.afi == Afi::L2VPN && family.safi == Safi::VPLS
}

impl Vpls {
    /// A route as configured: no path identifier, bottom of stack set.
    pub fn new(rd: RouteDistinguisher, endpoint: u16, offset: u16, size: u16, base: u32) -> Self {
        Self {
            path_id: None,
            rd,
            endpoint,
            offset,
            size,
            base,
            label_flags: BOTTOM_OF_STACK,
        }
    }

    /// Decodes one entry (path identifier when `add_path`, then the NLRI). `truncated` is
    /// the error kind of an entry that overruns the field.
    pub(crate) fn decode(
        r: &mut Reader<'_>,
        add_path: bool,
        truncated: fn(&'static str) -> WireErrorKind,
    ) -> Result<Self, WireError> {
        let short = |e: WireError| WireError::new(e.offset, truncated("VPLS NLRI"));
        let path_id = PathId::read(r, add_path).map_err(short)?;
        let at = r.offset();
        let len = r.u16("VPLS length").map_err(short)?;
        // RFC 4761 §3.2.2: 17 octets; a field holding another length is kept whole and
        // treated as withdraw before this is called (`nlri::decode`, malformed row 50)
        if len != VPLS_LEN {
            return Err(WireError::new(
                at,
                WireErrorKind::InvalidNetworkField("VPLS length is not 17"),
            ));
        }
        let mut v = r.sub(usize::from(len), "VPLS NLRI").map_err(short)?;
        let rd = RouteDistinguisher(v.array::<8>("VPLS RD").map_err(short)?);
        let endpoint = v.u16("VPLS VE ID").map_err(short)?;
        let offset = v.u16("VPLS VE block offset").map_err(short)?;
        let size = v.u16("VPLS VE block size").map_err(short)?;
        let label = v.array::<3>("VPLS label base").map_err(short)?;
        let field = u32::from_be_bytes([0, label[0], label[1], label[2]]);
        Ok(Self {
            path_id,
            rd,
            endpoint,
            offset,
            size,
            base: field >> 4,
            label_flags: (field & 0xF) as u8,
        })
    }

    /// Octets of the entry, with the path identifier when `add_path`.
    pub fn encoded_len(&self, add_path: bool) -> usize {
        let id = if add_path { 4 } else { 0 };
        id + 2 + usize::from(VPLS_LEN)
    }

    /// Appends the entry (path identifier when `add_path`; a missing one is sent as 0).
    pub fn encode(&self, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.base > MAX_LABEL_BASE {
            return Err(EncodeError::Unencodable("VPLS label base above 20 bits"));
        }
        if add_path {
            out.extend_from_slice(&self.path_id.unwrap_or_default().0.to_be_bytes());
        }
        out.extend_from_slice(&VPLS_LEN.to_be_bytes());
        out.extend_from_slice(&self.rd.0);
        out.extend_from_slice(&self.endpoint.to_be_bytes());
        out.extend_from_slice(&self.offset.to_be_bytes());
        out.extend_from_slice(&self.size.to_be_bytes());
        let field = (self.base << 4) | u32::from(self.label_flags & 0xF);
        out.extend_from_slice(&field.to_be_bytes()[1..]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::hex::bytes as hex;

    /// The NLRI of ExaBGP's conformance case conf-l2vpn (its encoder's bytes).
    const CORPUS: &str = "0011 0001 C0A8C901 007B 0005 0001 0008 029CE1";

    #[test]
    fn corpus_entry_decodes_and_re_encodes() {
        let bytes = hex(CORPUS);
        let mut r = Reader::new(&bytes);
        let v = Vpls::decode(&mut r, false, WireErrorKind::MalformedAttributeList).unwrap();
        assert!(r.is_empty());
        let rd = RouteDistinguisher::ipv4(Ipv4Addr::new(192, 168, 201, 1), 123);
        assert_eq!(v, Vpls::new(rd, 5, 1, 8, 10702));
        let mut out = Vec::new();
        v.encode(false, &mut out).unwrap();
        assert_eq!(out, bytes);
        assert_eq!(v.encoded_len(false), bytes.len());
    }

    #[test]
    fn short_length_is_invalid_network_field() {
        let mut bytes = hex(CORPUS);
        bytes[1] = 16;
        bytes.pop();
        let e = Vpls::decode(
            &mut Reader::new(&bytes),
            false,
            WireErrorKind::MalformedAttributeList,
        )
        .unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("VPLS length is not 17")
        );
        assert_eq!(e.offset, 0);
    }

    #[test]
    fn overrun_uses_the_callers_kind() {
        let bytes = hex(CORPUS);
        let e = Vpls::decode(
            &mut Reader::new(&bytes[..10]),
            false,
            WireErrorKind::MalformedAttributeList,
        )
        .unwrap_err();
        assert_eq!(e.kind, WireErrorKind::MalformedAttributeList("VPLS NLRI"));
    }

    #[test]
    fn longer_entry_is_refused() {
        let mut bytes = hex(CORPUS);
        bytes[1] = 19;
        bytes.extend_from_slice(&[0xAA, 0xBB]);
        let e = Vpls::decode(
            &mut Reader::new(&bytes),
            false,
            WireErrorKind::MalformedAttributeList,
        )
        .unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("VPLS length is not 17")
        );
    }

    #[test]
    fn label_base_beyond_20_bits_is_refused() {
        let mut v = Vpls::new(RouteDistinguisher::default(), 1, 1, 1, 0);
        v.base = MAX_LABEL_BASE + 1;
        assert!(v.encode(false, &mut Vec::new()).is_err());
    }
}
