//! OPEN (RFC 4271 §4.2), with the capabilities optional parameter (RFC 5492 §4) and the
//! extended optional parameters length (RFC 9072 §2).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+
//! |    Version    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     My Autonomous System      |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           Hold Time           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                         BGP Identifier                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Opt Parm Len  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |             Optional Parameters (variable)                    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//! RFC 9072: Opt Parm Len = 255 and a first parameter type of 255 announce a two-octet
//! "Extended Opt. Parm. Length"; every parameter length is then two octets too.
//! ```
//!
//! Errors (§6.2): version ≠ 4 (2,1), hold time 1 or 2 (2,6), BGP Identifier 0 (2,3), an
//! optional parameter other than Capabilities (2,4); lengths that overrun, in the
//! parameters or in a capability, or a Multiprotocol / 4-octet ASN capability of the wrong
//! length (2,0). The peer-AS and own-identifier checks need configuration and are left to
//! the session ([`WireErrorKind::BadPeerAs`], [`WireErrorKind::BadBgpIdentifier`]).
//!
//! Encoding puts each capability in its own optional parameter, as ExaBGP does, and
//! switches to the RFC 9072 form when the parameters reach 255 octets (as ExaBGP).

use std::net::Ipv4Addr;

use super::Open;
use crate::cap::Capability;
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::reader::Reader;

/// Optional parameter type 2: Capabilities (RFC 5492 §4).
const PARAM_CAPABILITIES: u8 = 2;
/// RFC 9072 marker in the Opt Parm Len and first type octets.
const EXTENDED: u8 = 0xff;

/// Turns structural errors inside an OPEN into "malformed OPEN" (2,0).
fn malformed(e: WireError) -> WireError {
    match e.kind {
        WireErrorKind::MissingData(what) | WireErrorKind::TrailingData(what) => {
            WireError::new(e.offset, WireErrorKind::MalformedOpen(what))
        }
        _ => e,
    }
}

/// Decodes an OPEN body (`r` starts after the header).
pub(crate) fn decode(r: Reader<'_>) -> Result<Open, WireError> {
    decode_inner(r).map_err(malformed)
}

fn decode_inner(mut r: Reader<'_>) -> Result<Open, WireError> {
    let at = r.offset();
    let version = r.u8("OPEN version")?;
    if version != 4 {
        return Err(WireError::new(
            at,
            WireErrorKind::UnsupportedVersion(version),
        ));
    }
    let asn = r.u16("OPEN my AS")?;
    let at = r.offset();
    let hold_time = r.u16("OPEN hold time")?;
    if hold_time == 1 || hold_time == 2 {
        return Err(WireError::new(
            at,
            WireErrorKind::UnacceptableHoldTime(hold_time),
        ));
    }
    let at = r.offset();
    let router_id = Ipv4Addr::from(r.array::<4>("OPEN BGP identifier")?);
    if router_id.is_unspecified() {
        return Err(WireError::new(
            at,
            WireErrorKind::BadBgpIdentifier(router_id),
        ));
    }
    let opt_len = r.u8("OPEN optional parameters length")?;
    let extended = opt_len == EXTENDED && r.peek_rest().first() == Some(&EXTENDED);
    let mut params = if extended {
        r.u8("OPEN extended parameters type")?;
        let len = r.u16("OPEN extended optional parameters length")?;
        r.sub(usize::from(len), "OPEN optional parameters")?
    } else {
        r.sub(usize::from(opt_len), "OPEN optional parameters")?
    };
    r.expect_empty("OPEN")?;
    let mut capabilities = Vec::new();
    while !params.is_empty() {
        let at = params.offset();
        let kind = params.u8("optional parameter type")?;
        let len = if extended {
            params.u16("optional parameter length")?
        } else {
            u16::from(params.u8("optional parameter length")?)
        };
        let mut value = params.sub(usize::from(len), "optional parameter")?;
        if kind != PARAM_CAPABILITIES {
            return Err(WireError::new(at, WireErrorKind::UnsupportedOptParam(kind)));
        }
        while !value.is_empty() {
            let code = value.u8("capability code")?;
            let len = value.u8("capability length")?;
            let cap = value.sub(usize::from(len), "capability")?;
            capabilities.push(Capability::decode(code, cap)?);
        }
    }
    Ok(Open {
        version,
        asn,
        hold_time,
        router_id,
        capabilities,
    })
}

/// Appends an OPEN body.
pub(crate) fn encode(open: &Open, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    out.push(open.version);
    out.extend_from_slice(&open.asn.to_be_bytes());
    out.extend_from_slice(&open.hold_time.to_be_bytes());
    out.extend_from_slice(&open.router_id.octets());
    let mut caps = Vec::with_capacity(open.capabilities.len());
    for cap in &open.capabilities {
        let mut tlv = Vec::new();
        cap.encode(&mut tlv)?;
        caps.push(tlv);
    }
    let short_len: usize = caps.iter().map(|c| c.len() + 2).sum();
    // ExaBGP switches to the RFC 9072 form from 255 octets on; do the same for identical
    // bytes.
    if short_len < 255 {
        out.push(short_len as u8);
        for tlv in caps {
            out.push(PARAM_CAPABILITIES);
            // A capability TLV is at most 2 + 255 octets, but a short form parameter
            // holds at most 255: `short_len < 255` bounds every one of them.
            out.push(tlv.len() as u8);
            out.extend_from_slice(&tlv);
        }
        return Ok(());
    }
    let long_len: usize = caps.iter().map(|c| c.len() + 3).sum();
    let long_len = u16::try_from(long_len)
        .map_err(|_| EncodeError::FieldTooLong("OPEN optional parameters"))?;
    out.extend_from_slice(&[EXTENDED, EXTENDED]);
    out.extend_from_slice(&long_len.to_be_bytes());
    for tlv in caps {
        out.push(PARAM_CAPABILITIES);
        // Each TLV is at most 257 octets.
        out.extend_from_slice(&(tlv.len() as u16).to_be_bytes());
        out.extend_from_slice(&tlv);
    }
    Ok(())
}
