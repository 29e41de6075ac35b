//! `herald decode [-c FILE | -f "afi safi"] [-i] [--nlri|--open|--update] HEX`: decode one
//! BGP message and print the JSON ExaBGP 5 prints for it (`exabgp decode`), with the same
//! invented neighbor (127.0.0.1 ↔ 127.0.0.1, AS 65533 ↔ 65533, router-id 10.0.0.2),
//! counter 1 and `"direction": "in"`.
//!
//! The hex may carry colons and spaces, and may lack the 16-octet marker and header: a
//! message without marker is an UPDATE body, as in ExaBGP. Decoding uses a four-octet-ASN,
//! extended-message context; `-i` turns ADD-PATH on for every family. `--nlri` reads a
//! bare NLRI field of the first family and prints one object per NLRI. `-c FILE` decodes
//! once for every neighbor of a configuration, with what that neighbor would negotiate
//! with a peer sending the same OPEN back.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::bail;
use api::{Envelope, JsonEncoder, MessageEvent, NeighborInfo};
use wire::{Afi, Asn, DecodeCtx, Family, Message, Nlri, Reader, Safi, WireErrorKind};

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
    let views = match &args.configuration {
        Some(path) => configured_views(path)?,
        None => vec![invented_view(args)?],
    };
    // as ExaBGP: the message is shown once per neighbor, and the first failure stops
    for view in &views {
        let mut out = String::new();
        let shown = if args.nlri {
            nlri_lines(&mut out, &bytes, view)
        } else {
            message_line(&mut out, &bytes, args.open, view)
        };
        if let Err(reason) = shown {
            eprintln!("could not decode the message: {reason}");
            println!("invalid payload");
            return Ok(1);
        }
        print!("{out}");
    }
    Ok(0)
}

/// The session a message is decoded for: who the JSON says it came from, and what was
/// negotiated.
struct View {
    peer: NeighborInfo,
    ctx: DecodeCtx,
    /// The negotiated families, in configuration order; `--nlri` decodes for the first.
    families: Vec<Family>,
}

/// `exabgp decode`'s invented neighbor: 127.0.0.1 ↔ 127.0.0.1, AS 65533 ↔ 65533,
/// router-id 10.0.0.2, the families of `--family` (all when absent), ADD-PATH on them with
/// `-i`, AIGP disabled (as ExaBGP's: no `aigp` there means none is read).
fn invented_view(args: &DecodeArgs) -> anyhow::Result<View> {
    let families = match &args.family {
        Some(text) => parse_families(text)?,
        None => Vec::new(),
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
        // `exabgp decode`'s neighbor has no `aigp`, which its decoder reads as AIGP
        // disabled (RFC 7311 §3.2: a received AIGP is ignored), internal session or not.
        aigp: false,
        ..DecodeCtx::default()
    };
    Ok(View {
        peer: NeighborInfo {
            local_addr: [127, 0, 0, 1].into(),
            peer_addr: [127, 0, 0, 1].into(),
            local_as: Asn(65533),
            peer_as: Asn(65533),
            router_id: Some([10, 0, 0, 2].into()),
        },
        ctx,
        families,
    })
}

/// `--configuration FILE`: one view per neighbor of the file, each as a session with a
/// peer that sent back the same OPEN (what ExaBGP assumes): its families, four-octet ASN
/// and extended-message capabilities, ADD-PATH where the neighbor both sends and
/// receives (one side alone negotiates nothing, RFC 7911 §4), and AIGP where its
/// AIGP_SESSION is enabled (RFC 7311 §3.1).
fn configured_views(path: &std::path::Path) -> anyhow::Result<Vec<View>> {
    let config = match config::load(&[path.to_path_buf()]) {
        Ok(config) => config,
        Err(errors) => {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            bail!("{}", reasons.join("\n"));
        }
    };
    if config.neighbors.is_empty() {
        bail!("{}: no neighbor to decode for", path.display());
    }
    Ok(config
        .neighbors
        .iter()
        .map(|n| {
            let asn = |setting: &config::AsnSetting| match setting {
                config::AsnSetting::Asn(asn) => Some(*asn),
                config::AsnSetting::Auto => None,
            };
            let peer_as = asn(&n.peer_as);
            let local_as = asn(&n.local_as).or(peer_as).unwrap_or(Asn(0));
            let both_ways = n.capability.add_path == Some(wire::cap::AddPathMode::Both);
            View {
                peer: NeighborInfo {
                    local_addr: n.local_address.unwrap_or(n.peer_address.addr()),
                    peer_addr: n.peer_address.addr(),
                    local_as,
                    peer_as: peer_as.unwrap_or(local_as),
                    router_id: n.router_id,
                },
                ctx: DecodeCtx {
                    asn4: n.capability.asn4,
                    extended_message: n.capability.extended_message,
                    add_path: if both_ways {
                        n.add_path.clone()
                    } else {
                        Vec::new()
                    },
                    // AIGP_SESSION: as configured, else the RFC 7311 §3.1 default.
                    aigp: n
                        .capability
                        .aigp
                        .unwrap_or(local_as == peer_as.unwrap_or(local_as)),
                    ..DecodeCtx::default()
                },
                families: n.families.clone(),
            }
        })
        .collect())
}

/// A whole message (or an UPDATE body without header) → its JSON line.
fn message_line(out: &mut String, bytes: &[u8], open: bool, view: &View) -> Result<(), String> {
    let frame = if bytes.starts_with(&[0xff; 16]) {
        bytes.to_vec()
    } else {
        // a body alone: an UPDATE (or an OPEN with --open)
        let kind = if open { 1 } else { 2 };
        let len = u16::try_from(bytes.len() + 19).map_err(|_| "the message is too long")?;
        let mut frame = vec![0xff; 16];
        frame.extend_from_slice(&len.to_be_bytes());
        frame.push(kind);
        frame.extend_from_slice(bytes);
        frame
    };
    let decoded = Message::decode(&frame, &view.ctx).map_err(|e| e.to_string())?;
    out.push_str(&render(
        &decoded.message,
        decoded.treat_as_withdraw(),
        &view.peer,
    ));
    Ok(())
}

/// A bare NLRI field of the view's first family → one JSON object per NLRI, as ExaBGP's
/// `decode --nlri` prints them.
fn nlri_lines(out: &mut String, bytes: &[u8], view: &View) -> Result<(), String> {
    let family = view
        .families
        .first()
        .copied()
        .unwrap_or(Family::IPV4_UNICAST);
    let mut reader = Reader::new(bytes);
    let nlris = Nlri::decode_field(
        &mut reader,
        family,
        view.ctx.add_path(family),
        WireErrorKind::InvalidNetworkField,
    )
    .map_err(|e| e.to_string())?;
    if nlris.is_empty() {
        return Err("no NLRI".to_owned());
    }
    for nlri in &nlris {
        if let Nlri::Opaque(_) = nlri {
            return Err(format!("NLRI of {family} are not decoded"));
        }
        JsonEncoder::default().nlri(out, family, nlri);
    }
    Ok(())
}

/// The JSON line for a decoded message, as `exabgp decode` prints it.
fn render(message: &Message, treat_as_withdraw: bool, peer: &NeighborInfo) -> String {
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
    JsonEncoder::default().message(&mut out, &env, peer, &event);
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
            "rtc" => Safi::RTC,
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

/// The octets of the payload's hex digits (colons and spaces already removed); `None` for
/// an empty payload or anything but pairs of hex digits, as ExaBGP's `is_bgp` refuses.
fn unhex(text: &str) -> Option<Vec<u8>> {
    wire::hex::decode(text).filter(|bytes| !bytes.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `herald decode` with no option.
    fn no_options() -> DecodeArgs {
        DecodeArgs {
            nlri: false,
            update: true,
            open: false,
            family: None,
            path_information: false,
            configuration: None,
            payload: Vec::new(),
        }
    }

    #[test]
    fn hex_with_separators() {
        assert_eq!(unhex("001E02"), Some(vec![0x00, 0x1e, 0x02]));
        assert_eq!(unhex("0G"), None);
        assert_eq!(unhex("123"), None);
        assert_eq!(unhex("+1"), None);
        assert_eq!(unhex(""), None);
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

    /// `-c FILE`: AIGP_SESSION (RFC 7311 §3.1) as each neighbor configures it, else on for
    /// iBGP and off for eBGP; `exabgp decode`'s invented session has it off.
    #[test]
    fn aigp_session_of_each_view() {
        let path =
            std::env::temp_dir().join(format!("herald-decode-aigp-{}.conf", std::process::id()));
        let neighbor = |peer: &str, peer_as: u32, caps: &str| {
            format!(
                "neighbor {peer} {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
                 local-as 65001;\n  peer-as {peer_as};\n  {caps}\n}}\n"
            )
        };
        let text = [
            neighbor("127.0.0.2", 65001, ""),
            neighbor("127.0.0.3", 65001, "capability { aigp disable; }"),
            neighbor("127.0.0.4", 65002, ""),
            neighbor("127.0.0.5", 65002, "capability { aigp enable; }"),
        ]
        .concat();
        std::fs::write(&path, text).unwrap();
        let views = configured_views(&path);
        let _ = std::fs::remove_file(&path);
        let aigp: Vec<bool> = views.unwrap().iter().map(|v| v.ctx.aigp).collect();
        assert_eq!(aigp, [true, false, false, true]);
        assert!(!invented_view(&no_options()).unwrap().ctx.aigp);
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
        let view = invented_view(&no_options()).unwrap();
        let line = render(&decoded.message, decoded.treat_as_withdraw(), &view.peer);
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
