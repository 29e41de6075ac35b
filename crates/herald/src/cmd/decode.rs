//! `herald decode [-f "afi safi"] [-i] [--open|--update] HEX`: decode one BGP message and
//! print the JSON ExaBGP 5 prints for it (`exabgp decode`), with the same invented
//! neighbor (127.0.0.1 ↔ 127.0.0.1, AS 65533 ↔ 65533, router-id 10.0.0.2), counter 1 and
//! `"direction": "in"`.
//!
//! The hex may carry colons and spaces, and may lack the 16-octet marker and header: a
//! message without marker is an UPDATE body, as in ExaBGP. Decoding uses a four-octet-ASN,
//! extended-message context; `-i` turns ADD-PATH on for every family. `--nlri` (a bare
//! NLRI field) is not supported yet.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::bail;
use api::{Envelope, JsonEncoder, MessageEvent, NeighborInfo};
use wire::{Afi, Asn, DecodeCtx, Family, Message, Safi};

use crate::cli::DecodeArgs;

/// Decodes and prints.
pub(crate) fn run(args: &DecodeArgs) -> anyhow::Result<u8> {
    let text: String = args
        .payload
        .concat()
        .chars()
        .filter(|c| *c != ':' && !c.is_whitespace())
        .collect();
    let Some(bytes) = unhex(&text) else {
        println!("The BGP message must be an hexadecimal string.");
        println!();
        println!("All colons or spaces are ignored, for example:");
        println!();
        println!("  001E0200000007900F0003000101");
        println!("  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001E:02:0000:0007:900F:0003:0001:01");
        return Ok(1);
    };
    if args.nlri {
        bail!("decoding a bare NLRI field (--nlri) is not supported yet");
    }
    let families = match &args.family {
        Some(text) => parse_families(text)?,
        None => Vec::new(),
    };
    let frame = if bytes.starts_with(&[0xff; 16]) {
        bytes
    } else {
        // a body alone: an UPDATE (or an OPEN with --open)
        let kind = if args.open { 1 } else { 2 };
        let Ok(len) = u16::try_from(bytes.len() + 19) else {
            bail!("the message is too long");
        };
        let mut frame = vec![0xff; 16];
        frame.extend_from_slice(&len.to_be_bytes());
        frame.push(kind);
        frame.extend_from_slice(&bytes);
        frame
    };
    let ctx = DecodeCtx {
        asn4: true,
        extended_message: true,
        add_path: if args.path_information {
            add_path_families(&families)
        } else {
            Vec::new()
        },
        // A decode tool reads IPv6 next hops of IPv4 routes (RFC 8950) as if the capability
        // were negotiated (`exabgp decode` needs a configuration with `nexthop` for them).
        extended_next_hop: [Safi::UNICAST, Safi::MULTICAST, Safi::MPLS, Safi::MPLS_VPN]
            .into_iter()
            .map(|safi| (Family::new(Afi::IPV4, safi), Afi::IPV6))
            .collect(),
        ..DecodeCtx::default()
    };
    let decoded = match Message::decode(&frame, &ctx) {
        Ok(decoded) => decoded,
        Err(e) => {
            eprintln!("could not decode the message: {e}");
            println!("invalid payload");
            return Ok(1);
        }
    };
    let line = render(&decoded.message, decoded.treat_as_withdraw());
    print!("{line}");
    Ok(0)
}

/// The JSON line for a decoded message, as `exabgp decode` prints it.
fn render(message: &Message, treat_as_withdraw: bool) -> String {
    let peer = NeighborInfo {
        local_addr: [127, 0, 0, 1].into(),
        peer_addr: [127, 0, 0, 1].into(),
        local_as: Asn(65533),
        peer_as: Asn(65533),
        router_id: Some([10, 0, 0, 2].into()),
    };
    let time = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".to_owned());
    let env = Envelope {
        time,
        host: &host,
        pid: std::process::id(),
        ppid: std::os::unix::process::parent_id(),
        counter: 1,
    };
    let mut event = MessageEvent::new(api::Direction::Receive, message);
    event.treat_as_withdraw = treat_as_withdraw;
    let mut out = String::new();
    JsonEncoder::default().message(&mut out, &env, &peer, &event);
    // `exabgp decode` names the direction "in" (its internal Direction.IN), where the
    // daemon's events say "receive"
    out.replacen("\"direction\": \"receive\"", "\"direction\": \"in\"", 1)
}

/// `ipv4 unicast` (several pairs allowed, as ExaBGP) → families.
fn parse_families(text: &str) -> anyhow::Result<Vec<Family>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() & 1 == 1 {
        bail!("families provided are invalid");
    }
    let mut families = Vec::new();
    for pair in words.chunks(2) {
        let (Some(afi), Some(safi)) = (pair.first(), pair.get(1)) else {
            bail!("families provided are invalid");
        };
        let afi = match *afi {
            "ipv4" => Afi::IPV4,
            "ipv6" => Afi::IPV6,
            "l2vpn" => Afi::L2VPN,
            "bgp-ls" => Afi::BGP_LS,
            other => bail!("unknown afi {other}"),
        };
        let safi = match *safi {
            "unicast" => Safi::UNICAST,
            "multicast" => Safi::MULTICAST,
            "nlri-mpls" | "labeled-unicast" => Safi::MPLS,
            "mpls-vpn" => Safi::MPLS_VPN,
            "flow" => Safi::FLOW,
            "flow-vpn" => Safi::FLOW_VPN,
            "evpn" => Safi::EVPN,
            "vpls" => Safi::VPLS,
            "bgp-ls" => Safi::BGP_LS,
            "bgp-ls-vpn" => Safi::BGP_LS_VPN,
            "mup" => Safi::MUP,
            "mcast-vpn" => Safi::MCAST_VPN,
            other => bail!("unknown safi {other}"),
        };
        families.push(Family::new(afi, safi));
    }
    Ok(families)
}

/// Families with ADD-PATH for `-i`: the ones given, or the usual unicast/labeled/VPN ones.
fn add_path_families(given: &[Family]) -> Vec<Family> {
    if !given.is_empty() {
        return given.to_vec();
    }
    [Afi::IPV4, Afi::IPV6]
        .into_iter()
        .flat_map(|afi| {
            [Safi::UNICAST, Safi::MULTICAST, Safi::MPLS, Safi::MPLS_VPN]
                .into_iter()
                .map(move |safi| Family::new(afi, safi))
        })
        .collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || text.len() & 1 == 1 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_with_separators() {
        assert_eq!(unhex("001E02"), Some(vec![0x00, 0x1e, 0x02]));
        assert_eq!(unhex("0G"), None);
        assert_eq!(unhex("123"), None);
    }

    #[test]
    fn families_are_read_in_pairs() {
        assert_eq!(
            parse_families("ipv4 unicast ipv6 flow").unwrap(),
            vec![
                Family::new(Afi::IPV4, Safi::UNICAST),
                Family::new(Afi::IPV6, Safi::FLOW)
            ]
        );
        assert!(parse_families("ipv4").is_err());
    }

    /// The conformance corpus case `ipv4-unicast-1` (ExaBGP's own decoding test).
    #[test]
    fn corpus_ipv4_unicast_update() {
        let hex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003C020000001C4001010040020040030465016501800404000000C840050400000064000000002001010101";
        let frame = unhex(hex).unwrap();
        let ctx = DecodeCtx {
            asn4: true,
            extended_message: true,
            ..DecodeCtx::default()
        };
        let decoded = Message::decode(&frame, &ctx).unwrap();
        let line = render(&decoded.message, decoded.treat_as_withdraw());
        let got: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        let expected: serde_json::Value = serde_json::from_str(
            r#"{ "exabgp": "5.0.0", "time": 1653384088.2516758, "host" : "MacBook-Pro-2.local", "pid" : 32060, "ppid" : 55846, "counter": 1, "type": "update", "neighbor": {     "address": { "local": "127.0.0.1", "peer": "127.0.0.1" },     "asn": { "local": 65533, "peer": 65533 }, "router-id": "10.0.0.2" , "direction": "in", "message": { "update": { "attribute": { "origin": "igp", "med": 200, "local-preference": 100 }, "announce": { "ipv4 unicast": { "101.1.101.1": [ { "nlri": "0.0.0.0/0" }, { "nlri": "0.0.0.0/0" }, { "nlri": "0.0.0.0/0" }, { "nlri": "0.0.0.0/0" }, { "nlri": "1.1.1.1/32" } ] } } } } } }"#,
        )
        .unwrap();
        let strip = |mut v: serde_json::Value| {
            if let Some(o) = v.as_object_mut() {
                for k in ["time", "host", "pid", "ppid"] {
                    o.remove(k);
                }
            }
            v
        };
        assert_eq!(strip(got), strip(expected));
    }
}
