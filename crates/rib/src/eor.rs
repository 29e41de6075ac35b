//! End-of-RIB markers (RFC 4724 §2): an empty UPDATE for IPv4 unicast, an UPDATE holding only
//! an empty MP_UNREACH_NLRI for other families.
//!
//! The bytes are ExaBGP's exactly: it sends the MP_UNREACH_NLRI of an End-of-RIB with the
//! extended-length flag set (0x90), which a generic encoder would not choose for a
//! three-octet value.

use wire::Family;

/// The whole End-of-RIB message for `family`, header included.
pub fn eor(family: Family) -> Vec<u8> {
    let mut out = vec![0xff; 16];
    if family == Family::IPV4_UNICAST {
        out.extend_from_slice(&[0x00, 0x17, 0x02, 0x00, 0x00, 0x00, 0x00]);
        return out;
    }
    out.extend_from_slice(&[
        0x00, 0x1e, 0x02, 0x00, 0x00, 0x00, 0x07, 0x90, 0x0f, 0x00, 0x03,
    ]);
    out.extend_from_slice(&family.afi.0.to_be_bytes());
    out.push(family.safi.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    #[test]
    fn matches_exabgp_corpus() {
        // conf-attributes.msg
        assert_eq!(
            hex(&eor(Family::IPV4_UNICAST)),
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170200000000"
        );
        assert_eq!(
            hex(&eor(Family::IPV6_UNICAST)),
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000201"
        );
    }
}
