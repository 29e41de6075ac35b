//! Just enough BGP for a benchmark peer (RFC 4271 §4): OPEN, KEEPALIVE, framing, counting
//! the NLRI of an UPDATE without decoding its attributes, and pre-encoding UPDATEs.
//!
//! ```text
//! header:  marker (16 × 0xFF) | length (2) | type (1)
//! UPDATE:  withdrawn len (2) | withdrawn | attributes len (2) | attributes | NLRI
//! attr:    flags (1) | code (1) | length (1, or 2 with the extended-length flag 0x10)
//! MP_REACH_NLRI (14):   AFI (2) | SAFI (1) | next-hop len (1) | next hop | reserved (1) | NLRI
//! MP_UNREACH_NLRI (15): AFI (2) | SAFI (1) | withdrawn NLRI
//! ```
//!
//! The counting is deliberately shallow (RFC 4760 §5 prefix walking only): the receiving
//! peer must cost far less than the speaker it measures. The tests check it against
//! herald-wire's full decoder.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr};

use crate::routes::{self, Fam};

/// Message types (RFC 4271 §4.1).
pub mod kind {
    /// OPEN.
    pub const OPEN: u8 = 1;
    /// UPDATE.
    pub const UPDATE: u8 = 2;
    /// NOTIFICATION.
    pub const NOTIFICATION: u8 = 3;
    /// KEEPALIVE.
    pub const KEEPALIVE: u8 = 4;
}

/// Header length.
pub const HEADER: usize = 19;
/// Largest message without the extended-message capability.
pub const MAX: usize = 4096;

fn header(out: &mut Vec<u8>, len: usize, kind: u8) {
    out.extend_from_slice(&[0xFF; 16]);
    out.extend_from_slice(&(len as u16).to_be_bytes());
    out.push(kind);
}

/// A KEEPALIVE.
pub fn keepalive() -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER);
    header(&mut out, HEADER, kind::KEEPALIVE);
    out
}

/// An OPEN for `asn` with the multiprotocol capability for IPv4 and IPv6 unicast, route
/// refresh and four-octet ASNs.
pub fn open(asn: u32, hold_time: u16, router_id: Ipv4Addr) -> Vec<u8> {
    let mut caps = Vec::new();
    for afi in [1u8, 2] {
        caps.extend_from_slice(&[1, 4, 0, afi, 0, 1]);
    }
    caps.extend_from_slice(&[2, 0]);
    caps.extend_from_slice(&[65, 4]);
    caps.extend_from_slice(&asn.to_be_bytes());
    let mut body = Vec::new();
    body.push(4);
    let my_as = u16::try_from(asn).unwrap_or(23456);
    body.extend_from_slice(&my_as.to_be_bytes());
    body.extend_from_slice(&hold_time.to_be_bytes());
    body.extend_from_slice(&router_id.octets());
    body.push((caps.len() + 2) as u8);
    body.push(2);
    body.push(caps.len() as u8);
    body.extend_from_slice(&caps);
    let mut out = Vec::with_capacity(HEADER + body.len());
    header(&mut out, HEADER + body.len(), kind::OPEN);
    out.extend_from_slice(&body);
    out
}

/// Hold time proposed in an OPEN body (after the header), if it is long enough.
pub fn open_hold_time(body: &[u8]) -> Option<u16> {
    Some(u16::from_be_bytes([*body.get(3)?, *body.get(4)?]))
}

/// Announced and withdrawn NLRI of one UPDATE.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Prefixes announced (NLRI field and MP_REACH_NLRI).
    pub announced: u64,
    /// Prefixes withdrawn (Withdrawn Routes field and MP_UNREACH_NLRI).
    pub withdrawn: u64,
}

/// Number of prefixes in a prefix field (RFC 4271 §4.3: length in bits, then the octets).
fn prefixes(mut field: &[u8]) -> Option<u64> {
    let mut n = 0;
    while let Some((&bits, rest)) = field.split_first() {
        let octets = usize::from(bits).div_ceil(8);
        field = rest.get(octets..)?;
        n += 1;
    }
    Some(n)
}

fn be16(bytes: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([
        *bytes.get(at)?,
        *bytes.get(at + 1)?,
    ])))
}

/// Counts the NLRI of an UPDATE body (the message without its header); `None` when the
/// fields do not add up. ADD-PATH is not supported (the benchmark peers never offer it).
pub fn count_update(body: &[u8]) -> Option<Counts> {
    let wlen = be16(body, 0)?;
    let withdrawn = body.get(2..2 + wlen)?;
    let alen = be16(body, 2 + wlen)?;
    let attrs_at = 4 + wlen;
    let mut attrs = body.get(attrs_at..attrs_at + alen)?;
    let nlri = body.get(attrs_at + alen..)?;
    let mut counts = Counts {
        announced: prefixes(nlri)?,
        withdrawn: prefixes(withdrawn)?,
    };
    while !attrs.is_empty() {
        let flags = *attrs.first()?;
        let code = *attrs.get(1)?;
        let (len, at) = if flags & 0x10 != 0 {
            (be16(attrs, 2)?, 4)
        } else {
            (usize::from(*attrs.get(2)?), 3)
        };
        let value = attrs.get(at..at + len)?;
        match code {
            14 => {
                let nh = usize::from(*value.get(3)?);
                counts.announced += prefixes(value.get(5 + nh..)?)?;
            }
            15 => counts.withdrawn += prefixes(value.get(3..)?)?,
            _ => {}
        }
        attrs = attrs.get(at + len..)?;
    }
    Some(counts)
}

/// Reads whole BGP messages from a byte stream with one large buffer.
#[derive(Debug)]
pub struct Framer {
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Default for Framer {
    fn default() -> Self {
        Self::new()
    }
}

impl Framer {
    /// A framer with a 1 MiB buffer.
    pub fn new() -> Self {
        Self {
            buf: vec![0; 1 << 20],
            start: 0,
            end: 0,
        }
    }

    /// The next whole message (type and the whole message, header included), reading from
    /// `r` as needed; `Ok(None)` at end of stream.
    pub fn next<R: Read>(&mut self, r: &mut R) -> io::Result<Option<(u8, &[u8])>> {
        loop {
            let have = self.end - self.start;
            if have >= HEADER {
                let at = self.start;
                let len = usize::from(u16::from_be_bytes([self.buf[at + 16], self.buf[at + 17]]));
                if !(HEADER..=65535).contains(&len) || self.buf[at..at + 16] != [0xFF; 16] {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "bad BGP header"));
                }
                if have >= len {
                    self.start += len;
                    let kind = self.buf[at + 18];
                    return Ok(Some((kind, &self.buf[at..at + len])));
                }
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let n = r.read(&mut self.buf[self.end..])?;
            if n == 0 {
                return Ok(None);
            }
            self.end += n;
        }
    }
}

/// Pre-encodes UPDATEs announcing routes `0..count` of `fam`, packed up to 4096 octets per
/// message, grouped by attribute set (`sets` sets told apart by MED): IPv4 in the NLRI
/// field with NEXT_HOP, IPv6 in MP_REACH_NLRI. eBGP attributes: ORIGIN IGP, AS_PATH
/// `asn`.
pub fn encode_announcements(fam: Fam, count: u64, sets: u64, asn: u32) -> Vec<u8> {
    let sets = sets.max(1);
    let mut out = Vec::new();
    for set in 0..sets.min(count.max(1)) {
        let med = routes::med(set, sets);
        let mut i = set;
        while i < count {
            let mut nlri = Vec::new();
            let budget = MAX - HEADER - 4 - attributes(fam, med, asn, &[]).len();
            while i < count && nlri.len() + 1 + usize::from(fam.host_len()) / 8 <= budget {
                push_prefix(&mut nlri, routes::address(fam, i), fam.host_len());
                i += sets;
            }
            update(&mut out, fam, med, asn, &nlri);
        }
    }
    out
}

/// Pre-encodes UPDATEs withdrawing routes `0..count` of `fam`.
pub fn encode_withdrawals(fam: Fam, count: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < count {
        let mut nlri = Vec::new();
        let budget = MAX - HEADER - 4 - 16;
        while i < count && nlri.len() + 1 + usize::from(fam.host_len()) / 8 <= budget {
            push_prefix(&mut nlri, routes::address(fam, i), fam.host_len());
            i += 1;
        }
        let mut body = Vec::new();
        match fam {
            Fam::V4 => {
                body.extend_from_slice(&(nlri.len() as u16).to_be_bytes());
                body.extend_from_slice(&nlri);
                body.extend_from_slice(&[0, 0]);
            }
            Fam::V6 => {
                let mut value = vec![0, 2, 1];
                value.extend_from_slice(&nlri);
                let mut attrs = Vec::new();
                attr(&mut attrs, 0x80, 15, &value);
                body.extend_from_slice(&[0, 0]);
                body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
                body.extend_from_slice(&attrs);
            }
        }
        header(&mut out, HEADER + body.len(), kind::UPDATE);
        out.extend_from_slice(&body);
    }
    out
}

fn push_prefix(out: &mut Vec<u8>, addr: IpAddr, len: u8) {
    out.push(len);
    let octets = usize::from(len).div_ceil(8);
    match addr {
        IpAddr::V4(a) => out.extend_from_slice(&a.octets()[..octets]),
        IpAddr::V6(a) => out.extend_from_slice(&a.octets()[..octets]),
    }
}

fn attr(out: &mut Vec<u8>, flags: u8, code: u8, value: &[u8]) {
    if value.len() > 255 {
        out.extend_from_slice(&[flags | 0x10, code]);
        out.extend_from_slice(&(value.len() as u16).to_be_bytes());
    } else {
        out.extend_from_slice(&[flags, code, value.len() as u8]);
    }
    out.extend_from_slice(value);
}

fn attributes(fam: Fam, med: Option<u32>, asn: u32, mp_nlri: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    attr(&mut out, 0x40, 1, &[0]);
    let mut path = vec![2, 1];
    path.extend_from_slice(&asn.to_be_bytes());
    attr(&mut out, 0x40, 2, &path);
    if let (Fam::V4, IpAddr::V4(nh)) = (fam, fam.next_hop()) {
        attr(&mut out, 0x40, 3, &nh.octets());
    }
    if let Some(med) = med {
        attr(&mut out, 0x80, 4, &med.to_be_bytes());
    }
    if let (Fam::V6, IpAddr::V6(nh)) = (fam, fam.next_hop()) {
        let mut value = vec![0, 2, 1, 16];
        value.extend_from_slice(&nh.octets());
        value.push(0);
        value.extend_from_slice(mp_nlri);
        // Always two length octets: the MP_REACH of a full message exceeds 255 octets.
        out.extend_from_slice(&[0x90, 14]);
        out.extend_from_slice(&(value.len() as u16).to_be_bytes());
        out.extend_from_slice(&value);
    }
    out
}

fn update(out: &mut Vec<u8>, fam: Fam, med: Option<u32>, asn: u32, nlri: &[u8]) {
    let (attrs, nlri_field): (Vec<u8>, &[u8]) = match fam {
        Fam::V4 => (attributes(fam, med, asn, &[]), nlri),
        Fam::V6 => (attributes(fam, med, asn, nlri), &[]),
    };
    let len = HEADER + 4 + attrs.len() + nlri_field.len();
    header(out, len, kind::UPDATE);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    out.extend_from_slice(&attrs);
    out.extend_from_slice(nlri_field);
}

/// Writes all of `bytes`, for a stream shared by a keepalive thread (`lock` held).
pub fn send<W: Write>(w: &mut W, bytes: &[u8]) -> io::Result<()> {
    w.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::{DecodeCtx, Message};

    fn decode_counts(msg: &[u8], ctx: &DecodeCtx) -> Counts {
        let decoded = Message::decode(msg, ctx).expect("valid UPDATE");
        let Message::Update(update) = decoded.message else {
            panic!("not an UPDATE")
        };
        let mut counts = Counts {
            announced: update.nlri.len() as u64,
            withdrawn: update.withdrawn.len() as u64,
        };
        for a in &update.attributes {
            match a {
                wire::Attribute::MpReach(r) => counts.announced += r.nlri.len() as u64,
                wire::Attribute::MpUnreach(u) => counts.withdrawn += u.nlri.len() as u64,
                _ => {}
            }
        }
        counts
    }

    fn split(stream: &[u8]) -> Vec<Vec<u8>> {
        let mut framer = Framer::new();
        let mut r = stream;
        let mut out = Vec::new();
        while let Some((kind, msg)) = framer.next(&mut r).expect("frames") {
            assert_eq!(kind, kind::UPDATE);
            out.push(msg.to_vec());
        }
        out
    }

    #[test]
    fn shallow_counts_match_herald_wire() {
        let ctx = DecodeCtx {
            asn4: true,
            ..DecodeCtx::default()
        };
        for (fam, sets) in [(Fam::V4, 1), (Fam::V4, 7), (Fam::V6, 1), (Fam::V6, 3)] {
            let mut total = Counts::default();
            let stream = encode_announcements(fam, 2000, sets, 65001);
            let withdrawals = encode_withdrawals(fam, 2000);
            for msg in split(&stream).into_iter().chain(split(&withdrawals)) {
                assert!(msg.len() <= MAX);
                let counts = count_update(&msg[HEADER..]).expect("counts");
                assert_eq!(counts, decode_counts(&msg, &ctx), "{fam:?} {sets}");
                total.announced += counts.announced;
                total.withdrawn += counts.withdrawn;
            }
            assert_eq!(total.announced, 2000);
            assert_eq!(total.withdrawn, 2000);
        }
    }

    #[test]
    fn counts_a_hand_written_update() {
        // Written out by hand from RFC 4271 §4.3: withdrawn 10.0.0.0/8, ORIGIN IGP, NLRI
        // 192.0.2.0/24 and 192.0.2.128/25; then the same body cut short.
        let body = [
            0, 2, 8, 10, 0, 4, 0x40, 1, 1, 0, 24, 192, 0, 2, 25, 192, 0, 2, 128,
        ];
        assert_eq!(
            count_update(&body),
            Some(Counts {
                announced: 2,
                withdrawn: 1
            })
        );
        assert_eq!(count_update(&body[..5]), None);
    }

    #[test]
    fn open_is_accepted_by_herald_wire() {
        let msg = open(65001, 0, Ipv4Addr::new(127, 0, 0, 2));
        let decoded = Message::decode(&msg, &DecodeCtx::default()).expect("OPEN");
        assert!(matches!(decoded.message, Message::Open(_)));
        assert_eq!(open_hold_time(&msg[HEADER..]), Some(0));
        let ka = keepalive();
        assert!(matches!(
            Message::decode(&ka, &DecodeCtx::default()).map(|d| d.message),
            Ok(Message::Keepalive)
        ));
    }
}
