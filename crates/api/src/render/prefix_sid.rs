//! The BGP Prefix-SID attribute (RFC 8669, RFC 9252) in ExaBGP 5's JSON and text forms.
//!
//! JSON: `"bgp-prefix-sid": { "sr-label-index": 777, "sr-srgbs": [[800000, 4096]] }`, one
//! member per TLV in the order received; an SRv6 Service TLV is `"l3-service": [ … ]` or
//! `"l2-service": [ … ]` with one object per SID Information sub-TLV
//! (`{ "sid": …, "flags": 0, "endpoint_behavior": 72, "structure": {…} }`); another TLV
//! is `"attribute-not-implemented-<type>": "0x<HEX>"`.
//!
//! ExaBGP 5.0.15 leaves the SID and the behavior of its SID Information JSON as the
//! format placeholders `"%s"` and `%d` (not JSON at all); Herald prints the values
//! (`docs/decode-differences.md`). ExaBGP prints nothing for SRv6 sub-TLVs and sub-sub-TLVs
//! it does not know, which can leave a stray comma; Herald leaves them out.
//!
//! Text: ` bgp-prefix-sid [ 777, [ ( 800000,4096 ) ] ]` for SR-MPLS (Label-Index, then the
//! SRGB), else the SRv6 TLVs in ExaBGP's words.

use std::fmt::Write;

use wire::attr::{PrefixSid, PrefixSidTlv, SidInformation, Srv6SubSubTlv, Srv6SubTlv};

use super::hex_upper;

/// Appends the `"bgp-prefix-sid": { … }` member.
pub(crate) fn json(out: &mut String, sid: &PrefixSid) {
    out.push_str("\"bgp-prefix-sid\": { ");
    for (i, tlv) in sid.tlvs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match tlv {
            PrefixSidTlv::LabelIndex { index, .. } => {
                let _ = write!(out, "\"sr-label-index\": {index}");
            }
            PrefixSidTlv::OriginatorSrgb { ranges, .. } => {
                out.push_str("\"sr-srgbs\": [");
                for (j, r) in ranges.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "[{}, {}]", r.base, r.range);
                }
                out.push(']');
            }
            PrefixSidTlv::Srv6L3Service(s) | PrefixSidTlv::Srv6L2Service(s) => {
                let name = service_name(tlv);
                let _ = write!(out, "\"{name}\": [ ");
                let infos = s.sub_tlvs.iter().filter_map(|t| match t {
                    Srv6SubTlv::SidInformation(info) => Some(info),
                    Srv6SubTlv::Unknown { .. } => None,
                });
                for (j, info) in infos.enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    info_json(out, info);
                }
                out.push_str(" ]");
            }
            PrefixSidTlv::Unknown { kind, value } => {
                let _ = write!(out, "\"attribute-not-implemented-{kind}\": \"0x");
                hex_upper(out, value);
                out.push('"');
            }
        }
    }
    out.push_str(" }");
}

fn service_name(tlv: &PrefixSidTlv) -> &'static str {
    match tlv {
        PrefixSidTlv::Srv6L2Service(_) => "l2-service",
        _ => "l3-service",
    }
}

fn info_json(out: &mut String, info: &SidInformation) {
    let _ = write!(
        out,
        "{{ \"sid\": \"{}\", \"flags\": {}, \"endpoint_behavior\": {}",
        info.sid, info.flags, info.behavior
    );
    for sub in &info.sub_sub_tlvs {
        if let Srv6SubSubTlv::Structure(s) = sub {
            let _ = write!(
                out,
                ", \"structure\": {{\"locator-block-length\": {}, \"locator-node-length\": {}, \
                 \"function-length\": {}, \"argument-length\": {}, \"transposition-length\": {}, \
                 \"transposition-offset\": {}}}",
                s.locator_block_len,
                s.locator_node_len,
                s.function_len,
                s.argument_len,
                s.transposition_len,
                s.transposition_offset
            );
        }
    }
    out.push_str(" }");
}

/// Appends the text form, ` bgp-prefix-sid [ … ]`.
pub(crate) fn text(out: &mut String, sid: &PrefixSid) {
    out.push_str(" bgp-prefix-sid [ ");
    if let Some(index) = sid.label_index() {
        let _ = write!(out, "{index}");
        let srgb = sid.tlvs.iter().find_map(|t| match t {
            PrefixSidTlv::OriginatorSrgb { ranges, .. } => Some(ranges),
            _ => None,
        });
        if let Some(ranges) = srgb {
            out.push_str(", ");
            srgb_text(out, ranges);
        }
        out.push_str(" ]");
        return;
    }
    for (i, tlv) in sid.tlvs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match tlv {
            PrefixSidTlv::LabelIndex { index, .. } => {
                let _ = write!(out, "{index}");
            }
            PrefixSidTlv::OriginatorSrgb { ranges, .. } => srgb_text(out, ranges),
            PrefixSidTlv::Srv6L3Service(s) | PrefixSidTlv::Srv6L2Service(s) => {
                let _ = write!(out, "{} [ ", service_name(tlv));
                for (j, sub) in s.sub_tlvs.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    match sub {
                        Srv6SubTlv::SidInformation(info) => info_text(out, info),
                        Srv6SubTlv::Unknown { kind, .. } => {
                            let _ = write!(out, "SRv6 Service Sub-TLV type {kind} not implemented");
                        }
                    }
                }
                out.push_str(" ]");
            }
            PrefixSidTlv::Unknown { kind, .. } => {
                let _ = write!(out, "Attribute with code [ {kind} ] not implemented");
            }
        }
    }
    out.push_str(" ]");
}

fn srgb_text(out: &mut String, ranges: &[wire::attr::SrgbRange]) {
    out.push_str("[ ");
    for (i, r) in ranges.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "( {},{} )", r.base, r.range);
    }
    out.push_str(" ]");
}

/// ExaBGP's words for a SID Information sub-TLV (it never closes the bracket it opens).
fn info_text(out: &mut String, info: &SidInformation) {
    let _ = write!(
        out,
        "sid-information [ sid:{} flags:0 endpoint_behavior:0x{:x} ",
        info.sid, info.behavior
    );
    if info.sub_sub_tlvs.is_empty() {
        return;
    }
    out.push_str(" [ ");
    for (i, sub) in info.sub_sub_tlvs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match sub {
            Srv6SubSubTlv::Structure(s) => {
                let _ = write!(
                    out,
                    "sid-structure [{},{},{},{},{},{}]",
                    s.locator_block_len,
                    s.locator_node_len,
                    s.function_len,
                    s.argument_len,
                    s.transposition_len,
                    s.transposition_offset
                );
            }
            Srv6SubSubTlv::Unknown { kind, .. } => {
                let _ = write!(
                    out,
                    "SRv6 Service Data Sub-Sub-TLV type {kind} not implemented"
                );
            }
        }
    }
    out.push_str(" ]");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        wire::hex::decode(s).unwrap()
    }

    #[test]
    fn sr_mpls_as_exabgp_prints_it() {
        let sid = PrefixSid::decode(&hex(
            "0100070000000000012C03000E00000C35000010000F4240001388",
        ))
        .unwrap();
        let mut j = String::new();
        json(&mut j, &sid);
        assert_eq!(
            j,
            "\"bgp-prefix-sid\": { \"sr-label-index\": 300, \"sr-srgbs\": [[800000, 4096], [1000000, 5000]] }"
        );
        let mut t = String::new();
        text(&mut t, &sid);
        assert_eq!(
            t,
            " bgp-prefix-sid [ 300, [ ( 800000,4096 ), ( 1000000,5000 ) ] ]"
        );
    }

    #[test]
    fn srv6_l3_service() {
        let sid = PrefixSid::decode(&hex(
            "0500220001001E0020010DB800010001000000000000000000004800010006401810000000",
        ))
        .unwrap();
        let mut j = String::new();
        json(&mut j, &sid);
        assert_eq!(
            j,
            "\"bgp-prefix-sid\": { \"l3-service\": [ { \"sid\": \"2001:db8:1:1::\", \"flags\": 0, \"endpoint_behavior\": 72, \"structure\": {\"locator-block-length\": 64, \"locator-node-length\": 24, \"function-length\": 16, \"argument-length\": 0, \"transposition-length\": 0, \"transposition-offset\": 0} } ] }"
        );
        let mut t = String::new();
        text(&mut t, &sid);
        assert_eq!(
            t,
            " bgp-prefix-sid [ l3-service [ sid-information [ sid:2001:db8:1:1:: flags:0 endpoint_behavior:0x48  [ sid-structure [64,24,16,0,0,0] ] ] ]"
        );
    }
}
