//! From planned messages to bytes, with herald-wire's codec: the [`Sizer`] the packer uses
//! on a live session, and [`AdjRibOut::drain`].

use wire::message::RefreshSubtype;
use wire::{
    encode_attributes, Attribute, EncodeCtx, EncodeError, Family, Message, Nlri, RouteRefresh,
};

use crate::pack::{OutCtx, Outgoing, Sizer};
use crate::AdjRibOut;

/// Sizes from the wire codec itself, for one session's [`EncodeCtx`].
#[derive(Debug, Clone, Copy)]
pub struct WireSizer<'a> {
    ctx: &'a EncodeCtx,
}

impl<'a> WireSizer<'a> {
    /// Sizes for a session with `ctx`.
    pub fn new(ctx: &'a EncodeCtx) -> Self {
        Self { ctx }
    }
}

impl Sizer for WireSizer<'_> {
    fn attributes_len(&self, attrs: &[Attribute]) -> usize {
        let mut out = Vec::new();
        match encode_attributes(attrs, self.ctx, &mut out) {
            Ok(()) => out.len(),
            // Unencodable attributes can never be sent: report them as not fitting.
            Err(_) => usize::MAX / 2,
        }
    }

    fn nlri_len(&self, family: Family, nlri: &Nlri) -> usize {
        nlri.encoded_len(family, self.ctx.add_path(family))
    }
}

/// Encodes one planned message, appending it to `out`.
pub fn encode_outgoing(
    message: &Outgoing,
    ctx: &EncodeCtx,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    match message {
        Outgoing::Update(update) => Message::Update(update.clone()).encode(ctx, out),
        Outgoing::RefreshMarker { family, begin } => Message::RouteRefresh(RouteRefresh {
            family: *family,
            subtype: if *begin {
                RefreshSubtype::Begin
            } else {
                RefreshSubtype::End
            },
        })
        .encode(ctx, out),
    }
}

impl AdjRibOut {
    /// Takes every pending change and returns the encoded messages to send, in order
    /// ([`AdjRibOut::plan`] then the wire codec). A message the codec refuses (an
    /// attribute too long for its field) is skipped and its error returned alongside, so
    /// one bad route does not hold back the others.
    pub fn drain(&mut self, ctx: &OutCtx) -> (Vec<Vec<u8>>, Vec<EncodeError>) {
        let planned = self.plan(ctx, &WireSizer::new(&ctx.encode));
        let mut messages = Vec::with_capacity(planned.len());
        let mut errors = Vec::new();
        for message in &planned {
            let mut out = Vec::new();
            match encode_outgoing(message, &ctx.encode, &mut out) {
                Ok(()) => messages.push(out),
                Err(err) => errors.push(err),
            }
        }
        (messages, errors)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use wire::attr::{Community, LargeCommunity};
    use wire::{Asn, AttrCode, AttrFlags, DecodeCtx, Family, Nlri};

    use super::*;
    use crate::{AdjRibIn, AttrSet};

    fn ctx(local: u32, peer: u32, group: bool, families: Vec<Family>) -> OutCtx {
        OutCtx {
            encode: EncodeCtx {
                asn4: true,
                ..EncodeCtx::default()
            },
            local_as: Asn(local),
            peer_as: Asn(peer),
            group_updates: group,
            families,
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    fn corpus(line: &str) -> String {
        line.replace(':', "")
    }

    fn net(text: &str) -> Nlri {
        Nlri::prefix(text.parse().unwrap())
    }

    #[test]
    fn conf_group_bytes() {
        // conf-group.conf: iBGP 65533, group-updates false, four /8 via 1.1.1.1.
        let mut rib = AdjRibOut::new();
        let attrs = rib.intern(AttrSet::new(Some("1.1.1.1".parse().unwrap()), vec![]));
        for p in ["1.0.0.0/8", "2.0.0.0/8", "3.0.0.0/8", "4.0.0.0/8"] {
            rib.announce(Family::IPV4_UNICAST, &net(p), Arc::clone(&attrs));
        }
        let (sent, errors) = rib.drain(&ctx(65533, 65533, false, vec![Family::IPV4_UNICAST]));
        assert!(errors.is_empty());
        let sent: Vec<String> = sent.iter().map(|m| hex(m)).collect();
        let want: Vec<String> = (1..=4)
            .map(|i| corpus(&format!("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:002E:02:00000015400101004002004003040101010140050400000064080{i}")))
            .collect();
        assert_eq!(sent, want);
    }

    #[test]
    fn conf_watchdog_grouped_bytes() {
        // conf-watchdog.conf: 66.66.66.66 and 88.88.88.88 share one UPDATE.
        let mut rib = AdjRibOut::new();
        let a = rib.intern(AttrSet::new(Some("1.2.3.4".parse().unwrap()), vec![]));
        let b = rib.intern(AttrSet::new(Some("192.168.1.100".parse().unwrap()), vec![]));
        rib.announce(Family::IPV4_UNICAST, &net("66.66.66.66/32"), Arc::clone(&a));
        rib.announce(Family::IPV4_UNICAST, &net("88.88.88.88/32"), Arc::clone(&a));
        rib.announce(Family::IPV4_UNICAST, &net("100.100.100.100/32"), b);
        let (sent, _) = rib.drain(&ctx(65533, 65533, true, vec![Family::IPV4_UNICAST]));
        let sent: Vec<String> = sent.iter().map(|m| hex(m)).collect();
        assert_eq!(
            sent,
            vec![
                corpus("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0036:02:0000001540010100400200400304010203044005040000006420424242422058585858"),
                corpus("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0031:02:0000001540010100400200400304C0A80164400504000000642064646464"),
            ]
        );
        // The withdrawal of conf-watchdog group 2.
        rib.withdraw(Family::IPV4_UNICAST, &net("100.100.100.100/32"), None);
        let (sent, _) = rib.drain(&ctx(65533, 65533, true, vec![Family::IPV4_UNICAST]));
        assert_eq!(
            hex(&sent[0]),
            corpus("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001C:02:00052064646464:0000")
        );
    }

    #[test]
    fn conf_attributes_bytes() {
        // conf-attributes.conf: 10.0.0.7/32, next-hop 255.255.255.255, a raw large
        // community attribute; iBGP 1.
        let mut rib = AdjRibOut::new();
        let data = "0000000100000002000000030000000A0000000B0000000C";
        let data: Vec<u8> = (0..data.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&data[i..i + 2], 16).unwrap())
            .collect();
        let attrs = rib.intern(AttrSet::new(
            Some("255.255.255.255".parse().unwrap()),
            vec![Attribute::Raw {
                flags: AttrFlags(0xc0),
                code: AttrCode(0x20),
                data,
            }],
        ));
        rib.announce(Family::IPV4_UNICAST, &net("10.0.0.7/32"), attrs);
        let (sent, _) = rib.drain(&ctx(
            1,
            1,
            false,
            vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST],
        ));
        assert_eq!(
            hex(&sent[0]),
            corpus("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:004C:02:0000003040010100400200400304FFFFFFFF40050400000064C020180000000100000002000000030000000A0000000B0000000C200A000007")
        );
    }

    #[test]
    fn conf_new_v6_bytes() {
        // conf-new-v6.conf: two IPv6 /128 with the same attributes: one UPDATE each.
        let mut rib = AdjRibOut::new();
        let attrs = rib.intern(AttrSet::new(
            Some("2a02:b80:0:2::1".parse().unwrap()),
            vec![
                Attribute::Communities(vec![
                    Community(30740 << 16),
                    Community(30740 << 16 | 30740),
                ]),
                Attribute::LocalPref(200),
            ],
        ));
        rib.announce(
            Family::IPV6_UNICAST,
            &net("2a02:b80:0:1::1/128"),
            Arc::clone(&attrs),
        );
        rib.announce(Family::IPV6_UNICAST, &net("2a02:b80:0:1::2/128"), attrs);
        let (sent, errors) = rib.drain(&ctx(65533, 65533, true, vec![Family::IPV6_UNICAST]));
        assert!(errors.is_empty(), "{errors:?}");
        let prefix = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0059:02:0000004240010100400200400504000000C8C008087814000078147814800E26000201102A020B8000000002000000000000000100802A020B800000000100000000000000";
        let sent: Vec<String> = sent.iter().map(|m| hex(m)).collect();
        assert_eq!(
            sent,
            vec![
                corpus(&format!("{prefix}01")),
                corpus(&format!("{prefix}02"))
            ]
        );
    }

    #[test]
    fn decoded_updates_rebuild_a_large_table() {
        let mut rib = AdjRibOut::new();
        let attrs = rib.intern(AttrSet::new(
            Some("10.0.0.1".parse().unwrap()),
            vec![Attribute::LargeCommunities(vec![LargeCommunity {
                global: 1,
                local1: 2,
                local2: 3,
            }])],
        ));
        for i in 0..5000u32 {
            let p = format!("{}.{}.{}.0/24", 20 + i / 65536, (i / 256) % 256, i % 256);
            rib.announce(Family::IPV4_UNICAST, &net(&p), Arc::clone(&attrs));
        }
        let out = ctx(65000, 65001, true, vec![Family::IPV4_UNICAST]);
        let (sent, errors) = rib.drain(&out);
        assert!(errors.is_empty());
        let mut peer = AdjRibIn::new();
        let decode = DecodeCtx {
            asn4: true,
            ..DecodeCtx::default()
        };
        for bytes in &sent {
            assert!(bytes.len() <= 4096);
            let decoded = Message::decode(bytes, &decode).unwrap();
            match decoded.message {
                Message::Update(update) => peer.apply(&update),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(peer.len(), 5000);
        assert!(sent.len() < 30, "{} messages", sent.len());
    }

    mod property {
        use std::net::IpAddr;
        use std::sync::Arc;

        use proptest::prelude::*;
        use wire::attr::Community;
        use wire::{Afi, Asn, Attribute, DecodeCtx, EncodeCtx, Family, Message, Nlri, PathId};

        use crate::pack::wire_attributes;
        use crate::{AdjRibIn, AdjRibOut, AttrSet, OutCtx};

        #[derive(Debug, Clone)]
        enum Op {
            Announce(usize, usize),
            Bulk(u8, usize),
            Withdraw(usize),
            Flush,
            Clear,
            Resend,
        }

        /// Prefixes; some IPv4 ones with path identifiers when ADD-PATH is on.
        fn universe(add_path: bool) -> Vec<(Family, Nlri)> {
            let mut list = Vec::new();
            for i in 0..30u8 {
                let prefix = format!("10.{i}.0.0/16").parse().unwrap();
                let path_id = if add_path && i % 3 == 0 {
                    Some(PathId(u32::from(i)))
                } else {
                    None
                };
                list.push((Family::IPV4_UNICAST, Nlri::Prefix { path_id, prefix }));
            }
            for i in 0..10u8 {
                list.push((
                    Family::IPV6_UNICAST,
                    Nlri::prefix(format!("2001:db8:{i}::/48").parse().unwrap()),
                ));
            }
            list
        }

        /// Attribute sets: 0..4 for IPv4 routes (one with an IPv6 next hop, RFC 8950),
        /// 4..8 for IPv6 routes.
        fn sets() -> Vec<AttrSet> {
            let hop = |s: &str| Some(s.parse::<IpAddr>().unwrap());
            let med = vec![Attribute::Med(5), Attribute::LocalPref(300)];
            let communities = vec![Attribute::Communities(vec![Community(7); 200])];
            vec![
                AttrSet::new(hop("1.1.1.1"), vec![]),
                AttrSet::new(hop("1.1.1.2"), med.clone()),
                AttrSet::new(hop("2001:db8::1"), vec![]),
                AttrSet::new(hop("9.9.9.9"), communities.clone()),
                AttrSet::new(hop("2001:db8::1"), vec![]),
                AttrSet::new(hop("2001:db8::2"), med),
                AttrSet::new(hop("2001:db8::3"), vec![Attribute::Med(6)]),
                AttrSet::new(hop("2001:db8::9"), communities),
            ]
        }

        fn set_for(family: Family, index: usize) -> usize {
            if family == Family::IPV6_UNICAST {
                4 + index
            } else {
                index
            }
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                6 => (0..40usize, 0..4usize).prop_map(|(n, a)| Op::Announce(n, a)),
                1 => (0..4u8, 0..4usize).prop_map(|(n, a)| Op::Bulk(n, a)),
                3 => (0..40usize).prop_map(Op::Withdraw),
                2 => Just(Op::Flush),
                1 => Just(Op::Clear),
                1 => Just(Op::Resend),
            ]
        }

        fn bulk(n: u8) -> Vec<(Family, Nlri)> {
            (0..=255u8)
                .flat_map(|b| (0..4u8).map(move |c| (b, c)))
                .map(|(b, c)| {
                    let prefix = format!("{}.{b}.{c}.0/24", 100 + n).parse().unwrap();
                    (Family::IPV4_UNICAST, Nlri::prefix(prefix))
                })
                .collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]
            #[test]
            fn decoded_updates_reproduce_the_table(
                ops in prop::collection::vec(op(), 1..40),
                group in any::<bool>(),
                ebgp in any::<bool>(),
                asn4 in any::<bool>(),
                add_path in any::<bool>(),
            ) {
                let families = vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST];
                let add_path = if add_path { vec![Family::IPV4_UNICAST] } else { Vec::new() };
                let ctx = OutCtx {
                    encode: EncodeCtx {
                        asn4,
                        add_path: add_path.clone(),
                        extended_next_hop: vec![(Family::IPV4_UNICAST, Afi::IPV6)],
                        ..EncodeCtx::default()
                    },
                    local_as: Asn(65000),
                    peer_as: Asn(if ebgp { 65001 } else { 65000 }),
                    group_updates: group,
                    families,
                };
                let decode = DecodeCtx {
                    asn4,
                    add_path,
                    extended_next_hop: vec![(Family::IPV4_UNICAST, Afi::IPV6)],
                    ..DecodeCtx::default()
                };
                let nlri = universe(!decode.add_path.is_empty());
                let sets: Vec<Arc<AttrSet>> = sets().into_iter().map(Arc::new).collect();
                let mut rib = AdjRibOut::new();
                let mut peer = AdjRibIn::new();
                let flush = |rib: &mut AdjRibOut, peer: &mut AdjRibIn| -> Result<(), TestCaseError> {
                    let (sent, errors) = rib.drain(&ctx);
                    prop_assert!(errors.is_empty(), "{:?}", errors);
                    for bytes in sent {
                        prop_assert!(bytes.len() <= ctx.encode.max_message_len());
                        let decoded = Message::decode(&bytes, &decode)
                            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                        match decoded.message {
                            Message::Update(update) => peer.apply(&update),
                            other => prop_assert!(false, "{:?}", other),
                        }
                    }
                    Ok(())
                };
                for op in ops {
                    match op {
                        Op::Announce(n, a) => {
                            let set = &sets[set_for(nlri[n].0, a)];
                            rib.announce(nlri[n].0, &nlri[n].1, Arc::clone(set));
                        }
                        Op::Bulk(n, a) => {
                            for (family, prefix) in bulk(n) {
                                rib.announce(family, &prefix, Arc::clone(&sets[a]));
                            }
                        }
                        Op::Withdraw(n) => rib.withdraw(nlri[n].0, &nlri[n].1, None),
                        Op::Flush => flush(&mut rib, &mut peer)?,
                        Op::Clear => rib.clear(),
                        Op::Resend => {
                            rib.resend_all();
                            peer = AdjRibIn::new();
                        }
                    }
                }
                flush(&mut rib, &mut peer)?;
                let mut want: Vec<_> = rib
                    .routes()
                    .into_iter()
                    .map(|(f, mut n, a)| {
                        if ctx.encode.add_path(f) {
                            if let Nlri::Prefix { path_id, .. } = &mut n {
                                path_id.get_or_insert(PathId(0));
                            }
                        }
                        let attributes = wire_attributes(&a, &ctx)
                            .into_iter()
                            .filter(|x| !matches!(x, Attribute::NextHop(_)))
                            .collect();
                        (f, n, AttrSet::new(a.next_hop, attributes))
                    })
                    .collect();
                let mut got: Vec<_> = peer.routes().into_iter().map(|(f, n, a)| (f, n, (*a).clone())).collect();
                want.sort();
                got.sort();
                prop_assert_eq!(want, got);
            }
        }
    }
}
