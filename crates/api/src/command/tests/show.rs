//! The `show` commands and their options.

use std::net::IpAddr;

use super::super::*;
use super::error;

#[test]
fn show_commands() {
    let addr = "127.0.0.2".parse::<IpAddr>().unwrap();
    let ip = Some(addr);
    let cases = [
        (
            "show neighbor summary",
            Show::Neighbor {
                view: Some(NeighborView::Summary),
                peer: None,
            },
        ),
        (
            "show neighbor extensive 127.0.0.2",
            Show::Neighbor {
                view: Some(NeighborView::Extensive),
                peer: ip,
            },
        ),
        (
            "show neighbor configuration",
            Show::Neighbor {
                view: Some(NeighborView::Configuration),
                peer: None,
            },
        ),
        (
            "show neighbor json",
            Show::Neighbor {
                view: Some(NeighborView::Json),
                peer: None,
            },
        ),
        (
            "show neighbor",
            Show::Neighbor {
                view: None,
                peer: None,
            },
        ),
        (
            "show adj-rib out",
            Show::AdjRib {
                side: RibSide::Out,
                extensive: false,
                json: false,
                filter: RibFilter::All,
            },
        ),
        (
            "show adj-rib out extensive",
            Show::AdjRib {
                side: RibSide::Out,
                extensive: true,
                json: false,
                filter: RibFilter::All,
            },
        ),
        (
            "show adj-rib in json 127.0.0.2",
            Show::AdjRib {
                side: RibSide::In,
                extensive: false,
                json: true,
                filter: RibFilter::Peer(addr),
            },
        ),
        (
            "show adj-rib out extensive json flow",
            Show::AdjRib {
                side: RibSide::Out,
                extensive: true,
                json: true,
                filter: RibFilter::Flow,
            },
        ),
        (
            "show adj-rib-in inet",
            Show::AdjRib {
                side: RibSide::In,
                extensive: false,
                json: false,
                filter: RibFilter::Inet,
            },
        ),
    ];
    for (line, want) in cases {
        assert_eq!(parse(line), Ok(Command::Show(want)), "{line}");
    }
    assert_eq!(error("show adj-rib sideways").token, "sideways");
    assert_eq!(error("show neighbor bogus").token, "bogus");
}
