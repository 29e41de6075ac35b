//! The few GoBGP 3.x gRPC messages `gobgp-feed` sends, written by hand with prost's derive.
//!
//! Field numbers are those of GoBGP 3.10's `api/gobgp.proto` and `api/attribute.proto`
//! (package `apipb`) and of `google/protobuf/any.proto`; only the fields used here are
//! declared (protobuf skips absent fields, and GoBGP ignores the ones we never set). Enums
//! are carried as `int32`, which is how protobuf encodes them (a varint).
//!
//! A path can be given two ways, both read by GoBGP's `apiutil.GetNativeNlri` and
//! `GetNativePathAttributes`:
//! - [`Encoding::Any`]: `nlri` and `pattrs` as `google.protobuf.Any` wrapping
//!   `apipb.IPAddressPrefix`, `apipb.OriginAttribute` and `apipb.NextHopAttribute` (what
//!   GoBGP's own CLI sends);
//! - [`Encoding::Binary`]: `nlri_binary` and `pattrs_binary`, the NLRI and the path
//!   attributes in their BGP wire form (RFC 4271 §4.3, RFC 4760 §3 for IPv6), which GoBGP
//!   decodes without protobuf reflection.

use std::net::IpAddr;

use prost::bytes::Bytes;
use prost::Message as _;

use crate::routes::{address, Fam};

/// The gRPC method of GoBGP's client-streaming `AddPathStream` RPC.
pub const ADD_PATH_STREAM: &str = "/apipb.GobgpApi/AddPathStream";

/// `apipb.TableType.GLOBAL`.
pub const TABLE_GLOBAL: i32 = 0;

/// `apipb.AddPathStreamRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AddPathStreamRequest {
    /// `TableType table_type = 1`.
    #[prost(int32, tag = "1")]
    pub table_type: i32,
    /// `string vrf_id = 2`.
    #[prost(string, tag = "2")]
    pub vrf_id: String,
    /// `repeated Path paths = 3`.
    #[prost(message, repeated, tag = "3")]
    pub paths: Vec<Path>,
}

/// `apipb.Path` (the fields an announcement needs).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Path {
    /// `google.protobuf.Any nlri = 1`.
    #[prost(message, optional, tag = "1")]
    pub nlri: Option<Any>,
    /// `repeated google.protobuf.Any pattrs = 2`.
    #[prost(message, repeated, tag = "2")]
    pub pattrs: Vec<Any>,
    /// `Family family = 9`.
    #[prost(message, optional, tag = "9")]
    pub family: Option<Family>,
    /// `bytes nlri_binary = 20`.
    #[prost(bytes = "bytes", tag = "20")]
    pub nlri_binary: Bytes,
    /// `repeated bytes pattrs_binary = 21`.
    #[prost(bytes = "bytes", repeated, tag = "21")]
    pub pattrs_binary: Vec<Bytes>,
}

/// `apipb.Family`.
#[derive(Clone, Copy, PartialEq, Eq, prost::Message)]
pub struct Family {
    /// `Afi afi = 1` (1 IPv4, 2 IPv6).
    #[prost(int32, tag = "1")]
    pub afi: i32,
    /// `Safi safi = 2` (1 unicast).
    #[prost(int32, tag = "2")]
    pub safi: i32,
}

/// `google.protobuf.Any`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Any {
    /// `string type_url = 1`: `type.googleapis.com/` and the message's full name.
    #[prost(string, tag = "1")]
    pub type_url: String,
    /// `bytes value = 2`: the message, encoded.
    #[prost(bytes = "bytes", tag = "2")]
    pub value: Bytes,
}

/// `apipb.IPAddressPrefix`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct IpAddressPrefix {
    /// `uint32 prefix_len = 1`.
    #[prost(uint32, tag = "1")]
    pub prefix_len: u32,
    /// `string prefix = 2`: the address as text.
    #[prost(string, tag = "2")]
    pub prefix: String,
}

/// `apipb.OriginAttribute`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct OriginAttribute {
    /// `uint32 origin = 1` (0 IGP).
    #[prost(uint32, tag = "1")]
    pub origin: u32,
}

/// `apipb.NextHopAttribute`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NextHopAttribute {
    /// `string next_hop = 1`.
    #[prost(string, tag = "1")]
    pub next_hop: String,
}

/// `google.protobuf.Empty`, `AddPathStream`'s reply.
#[derive(Clone, Copy, PartialEq, Eq, prost::Message)]
pub struct Empty {}

/// How the paths are put in a request (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `google.protobuf.Any` messages, as GoBGP's CLI sends them.
    Any,
    /// `nlri_binary` / `pattrs_binary`, BGP wire form.
    Binary,
}

impl Encoding {
    /// Parses `any` or `binary`.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "any" => Some(Self::Any),
            "binary" => Some(Self::Binary),
            _ => None,
        }
    }
}

fn any(name: &str, message: &impl prost::Message) -> Any {
    Any {
        type_url: format!("type.googleapis.com/apipb.{name}"),
        value: message.encode_to_vec().into(),
    }
}

/// Builds the paths of one scenario's routes: route `i` is [`address`]`(fam, i)` as a host
/// route, every route with origin IGP and the family's next hop ([`Fam::next_hop`]).
#[derive(Debug, Clone)]
pub struct PathMaker {
    fam: Fam,
    encoding: Encoding,
    family: Family,
    /// The shared attributes: ORIGIN and NEXT_HOP as `Any`, or ORIGIN (and NEXT_HOP for
    /// IPv4) in wire form.
    shared: Vec<Any>,
    shared_binary: Vec<Bytes>,
    nlri_type_url: String,
}

impl PathMaker {
    /// The maker for `fam` routes in `encoding`.
    pub fn new(fam: Fam, encoding: Encoding) -> Self {
        let next_hop = fam.next_hop();
        let family = Family {
            afi: match fam {
                Fam::V4 => 1,
                Fam::V6 => 2,
            },
            safi: 1,
        };
        let shared = vec![
            any("OriginAttribute", &OriginAttribute { origin: 0 }),
            any(
                "NextHopAttribute",
                &NextHopAttribute {
                    next_hop: next_hop.to_string(),
                },
            ),
        ];
        // ORIGIN (RFC 4271 §4.3, type 1, well-known transitive: flags 0x40), value IGP.
        let mut shared_binary = vec![Bytes::from_static(&[0x40, 1, 1, 0])];
        if let IpAddr::V4(nh) = next_hop {
            // NEXT_HOP (type 3, well-known transitive), four octets.
            let mut attr = vec![0x40, 3, 4];
            attr.extend_from_slice(&nh.octets());
            shared_binary.push(attr.into());
        }
        Self {
            fam,
            encoding,
            family,
            shared,
            shared_binary,
            nlri_type_url: "type.googleapis.com/apipb.IPAddressPrefix".to_owned(),
        }
    }

    /// The path announcing route `i`.
    pub fn path(&self, i: u64) -> Path {
        let addr = address(self.fam, i);
        let len = self.fam.host_len();
        match self.encoding {
            Encoding::Any => Path {
                nlri: Some(Any {
                    type_url: self.nlri_type_url.clone(),
                    value: IpAddressPrefix {
                        prefix_len: u32::from(len),
                        prefix: addr.to_string(),
                    }
                    .encode_to_vec()
                    .into(),
                }),
                pattrs: self.shared.clone(),
                family: Some(self.family),
                ..Path::default()
            },
            Encoding::Binary => {
                // NLRI (RFC 4271 §4.3): the length in bits, then the address octets.
                let mut nlri = Vec::with_capacity(17);
                nlri.push(len);
                match addr {
                    IpAddr::V4(a) => nlri.extend_from_slice(&a.octets()),
                    IpAddr::V6(a) => nlri.extend_from_slice(&a.octets()),
                }
                let mut pattrs = self.shared_binary.clone();
                if let IpAddr::V6(nh) = self.fam.next_hop() {
                    pattrs.push(mp_reach_v6(&nh.octets(), &nlri));
                }
                Path {
                    family: Some(self.family),
                    nlri_binary: nlri.into(),
                    pattrs_binary: pattrs,
                    ..Path::default()
                }
            }
        }
    }
}

/// MP_REACH_NLRI (RFC 4760 §3, type 14, optional non-transitive: flags 0x80) for IPv6
/// unicast with one next hop and one NLRI (GoBGP takes the next hop from it and refuses an
/// MP_REACH without NLRI).
fn mp_reach_v6(next_hop: &[u8; 16], nlri: &[u8]) -> Bytes {
    let body = 2 + 1 + 1 + 16 + 1 + nlri.len();
    let mut attr = Vec::with_capacity(3 + body);
    attr.extend_from_slice(&[0x80, 14, body as u8, 0, 2, 1, 16]);
    attr.extend_from_slice(next_hop);
    attr.push(0); // reserved
    attr.extend_from_slice(nlri);
    Bytes::from(attr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    /// The bytes follow from the protobuf encoding rules (key = field << 3 | wire type;
    /// varints; length-delimited strings), computed by hand, not from prost.
    #[test]
    fn any_path_wire_form() {
        let path = PathMaker::new(Fam::V4, Encoding::Any).path(1);
        let prefix = IpAddressPrefix::decode(path.nlri.as_ref().unwrap().value.clone()).unwrap();
        assert_eq!(prefix.prefix, "10.0.0.1");
        let mut want = vec![0x08, 32, 0x12, 8];
        want.extend_from_slice(b"10.0.0.1");
        assert_eq!(path.nlri.as_ref().unwrap().value.as_ref(), &want[..]);
        // NextHopAttribute { next_hop: "192.0.2.1" }: field 1, length 9.
        let mut nh = vec![0x0a, 9];
        nh.extend_from_slice(b"192.0.2.1");
        assert_eq!(path.pattrs[1].value.as_ref(), &nh[..]);
        assert_eq!(
            path.pattrs[1].type_url,
            "type.googleapis.com/apipb.NextHopAttribute"
        );
        // OriginAttribute { origin: 0 } is empty: proto3 omits default values.
        assert!(path.pattrs[0].value.is_empty());
        // Family { afi: 1, safi: 1 } as field 9 (key 0x4a), length 4.
        let bytes = path.encode_to_vec();
        assert!(bytes.windows(6).any(|w| w == [0x4a, 4, 0x08, 1, 0x10, 1]));
    }

    #[test]
    fn request_fields() {
        let request = AddPathStreamRequest {
            table_type: TABLE_GLOBAL,
            vrf_id: String::new(),
            paths: vec![Path::default(), Path::default()],
        };
        // GLOBAL is 0 and omitted; two empty paths as field 3 (key 0x1a), length 0.
        assert_eq!(request.encode_to_vec(), vec![0x1a, 0, 0x1a, 0]);
    }

    #[test]
    fn binary_path_wire_form() {
        let v4 = PathMaker::new(Fam::V4, Encoding::Binary).path(258);
        assert_eq!(v4.nlri_binary.as_ref(), &[32, 10, 0, 1, 2]);
        assert_eq!(v4.pattrs_binary[0].as_ref(), &[0x40, 1, 1, 0]);
        assert_eq!(v4.pattrs_binary[1].as_ref(), &[0x40, 3, 4, 192, 0, 2, 1]);
        let v6 = PathMaker::new(Fam::V6, Encoding::Binary).path(1);
        let mp = v6.pattrs_binary[1].as_ref();
        assert_eq!(&mp[..7], &[0x80, 14, 38, 0, 2, 1, 16]);
        assert_eq!(mp.len(), 3 + 38);
        assert_eq!(&mp[mp.len() - 17..mp.len() - 15], &[128, 0x20]);
        assert_eq!(mp[mp.len() - 1], 1);
    }
}
