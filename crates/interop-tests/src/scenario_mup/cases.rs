//! The MUP routes of the scenarios: four route types of architecture 3gpp-5g for IPv4 and
//! IPv6, each with an SRv6 L3 Service Prefix-SID, and the fields ExaBGP 5 prints for them
//! (the key names of its `json()` methods, the values those of the route written).

use serde_json::{json, Value};

/// One MUP route: how it is written and what ExaBGP's JSON must show for it.
pub(super) struct Case {
    /// `ipv4` or `ipv6`.
    pub(super) afi: &'static str,
    /// The route type and its fields, as written after `mup`.
    pub(super) route: &'static str,
    /// `next-hop` as written.
    pub(super) next_hop: &'static str,
    /// The next hop as ExaBGP prints it (an IPv4 next hop of an IPv6 route is mapped).
    pub(super) printed_next_hop: &'static str,
    /// The SRv6 SID of the route's Prefix-SID.
    pub(super) sid: &'static str,
    /// Its endpoint behavior.
    pub(super) behavior: u16,
    /// The NLRI fields ExaBGP prints (its `json()` key names).
    pub(super) fields: fn() -> Value,
}

impl Case {
    /// The route in the shared grammar (configuration and API).
    pub(super) fn line(&self) -> String {
        format!(
            "mup {} next-hop {} extended-community [ target:10:10 mup:10:10 ] \
             bgp-prefix-sid-srv6 ( l3-service {} 0x{:x} [64,24,16,0,0,0] )",
            self.route, self.next_hop, self.sid, self.behavior
        )
    }
}

/// Four route types × two address families.
pub(super) fn cases() -> Vec<Case> {
    vec![
        Case {
            afi: "ipv4",
            route: "mup-isd 10.0.1.0/24 rd 100:100",
            next_hop: "2001::1",
            printed_next_hop: "2001::1",
            sid: "2001:db8:1:1::",
            behavior: 0x48,
            fields: || {
                json!({"name": "InterworkSegmentDiscoveryRoute", "arch": 1, "code": 1,
                       "prefix_ip_len": 24, "prefix_ip": "10.0.1.0", "rd": "100:100"})
            },
        },
        Case {
            afi: "ipv4",
            route: "mup-dsd 10.0.0.1 rd 100:200",
            next_hop: "10.0.0.2",
            printed_next_hop: "10.0.0.2",
            sid: "2001:db8:1:2::",
            behavior: 0x13,
            fields: || {
                json!({"name": "DirectSegmentDiscoveryRoute", "arch": 1, "code": 2,
                       "ip": "10.0.0.1", "rd": "100:200"})
            },
        },
        Case {
            afi: "ipv4",
            route: "mup-t1st 192.168.0.2/32 rd 100:100 teid 12345 qfi 9 endpoint 10.0.0.1 source 10.0.1.1",
            next_hop: "10.0.0.2",
            printed_next_hop: "10.0.0.2",
            sid: "2001:db8:1:3::",
            behavior: 0x14,
            fields: || {
                json!({"name": "Type1SessionTransformedRoute", "arch": 1, "code": 3,
                       "prefix_ip_len": 32, "prefix_ip": "192.168.0.2", "teid": "12345",
                       "qfi": "9", "rd": "100:100", "endpoint_ip_len": 32,
                       "endpoint_ip": "10.0.0.1", "source_ip_len": 32, "source_ip": "10.0.1.1"})
            },
        },
        Case {
            afi: "ipv4",
            route: "mup-t2st 10.0.0.1 rd 100:100 teid 12345/23",
            next_hop: "10.0.0.2",
            printed_next_hop: "10.0.0.2",
            sid: "2001:db8:1:4::",
            behavior: 0x15,
            fields: || {
                json!({"name": "Type2SessionTransformedRoute", "arch": 1, "code": 4,
                       "endpoint_len": 55, "endpoint_ip": "10.0.0.1", "rd": "100:100",
                       "teid": "12345"})
            },
        },
        Case {
            afi: "ipv6",
            route: "mup-isd 2001::/64 rd 100:100",
            next_hop: "2001::2",
            printed_next_hop: "2001::2",
            sid: "2001:db8:2:1::",
            behavior: 0x47,
            fields: || {
                json!({"name": "InterworkSegmentDiscoveryRoute", "arch": 1, "code": 1,
                       "prefix_ip_len": 64, "prefix_ip": "2001::", "rd": "100:100"})
            },
        },
        Case {
            afi: "ipv6",
            route: "mup-dsd 2001::1 rd 10.0.0.1:7",
            next_hop: "2001::2",
            printed_next_hop: "2001::2",
            sid: "2001:db8:2:2::",
            behavior: 0x18,
            fields: || {
                json!({"name": "DirectSegmentDiscoveryRoute", "arch": 1, "code": 2,
                       "ip": "2001::1", "rd": "10.0.0.1:7"})
            },
        },
        Case {
            afi: "ipv6",
            route: "mup-t1st 2001:db8:1:1::1/128 rd 100:100 teid 12345 qfi 9 endpoint 2001::1 source 2002::2",
            next_hop: "10.0.0.2",
            printed_next_hop: "::ffff:10.0.0.2",
            sid: "2001:db8:2:3::",
            behavior: 0x19,
            fields: || {
                json!({"name": "Type1SessionTransformedRoute", "arch": 1, "code": 3,
                       "prefix_ip_len": 128, "prefix_ip": "2001:db8:1:1::1", "teid": "12345",
                       "qfi": "9", "rd": "100:100", "endpoint_ip_len": 128,
                       "endpoint_ip": "2001::1", "source_ip_len": 128, "source_ip": "2002::2"})
            },
        },
        Case {
            afi: "ipv6",
            route: "mup-t2st 2001::1 rd 100:100 teid 12345/32",
            next_hop: "2001::2",
            printed_next_hop: "2001::2",
            sid: "2001:db8:2:4::",
            behavior: 0x1a,
            fields: || {
                json!({"name": "Type2SessionTransformedRoute", "arch": 1, "code": 4,
                       "endpoint_len": 160, "endpoint_ip": "2001::1", "rd": "100:100",
                       "teid": "12345"})
            },
        },
    ]
}
