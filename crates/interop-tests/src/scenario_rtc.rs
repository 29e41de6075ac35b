//! Route target constraint (RFC 4684) from GoBGP, run with ExaBGP 5 beside the other
//! speaker:
//!
//! - [`receive_rtc_like_exabgp`]: GoBGP, with the `rtc` family negotiated, originates one
//!   RTC route for the import route target of a VRF it is given (`gobgp vrf add`), and
//!   withdraws it when the VRF is deleted. ExaBGP and the other speaker, side by side,
//!   print the same JSON for every UPDATE, which names the origin AS and route target.
//!
//! GoBGP 3.10's CLI cannot originate RTC (or BGP-LS) routes itself (`gobgp global rib -a
//! rtc add` answers "unsupported route family"); the VRF is how GoBGP sends RTC.

use crate::error::{HarnessError, Result};
use crate::json::{announced_in, withdrawn_in};
use crate::lab::{Lab, LabConfig, Peer, PeerKind};
use crate::scenario::{comparable_all, ebgp, same_updates_as_exabgp, wait_update, with_lab};
use crate::speaker::SpeakerKind;

/// The VRF given to GoBGP: its import route target becomes the RTC route.
const VRF: [&str; 8] = [
    "vrf",
    "add",
    "red",
    "rd",
    "65001:1",
    "rt",
    "both",
    "65001:100",
];

fn gobgp(lab: &Lab, args: &[&str]) -> Result<()> {
    let Peer::Gobgp(gobgp) = &lab.peer else {
        return Err(HarnessError::Parse {
            what: "the peer".into(),
            reason: "RTC scenarios run against GoBGP".into(),
        });
    };
    gobgp.cli(args).map(drop)
}

/// GoBGP originates an RTC route (a VRF's import route target) and withdraws it; ExaBGP
/// and `other` print the same JSON, and the announce names origin AS and route target as
/// ExaBGP does.
pub fn receive_rtc_like_exabgp(other: SpeakerKind) -> Result<(), String> {
    let kinds = [SpeakerKind::ExaBgp, other];
    let config = LabConfig {
        rtc: true,
        ..ebgp(PeerKind::Gobgp, &kinds)
    };
    with_lab("rtc-like-exabgp", &config, |lab| {
        lab.wait_established(0)?;
        lab.wait_established(1)?;
        gobgp(lab, &VRF)?;
        // GoBGP's AS (the origin) and the VRF's route target.
        let want = serde_json::json!({ "origin": 65001, "route-target": "target:65001:100" });
        for speaker in &lab.speakers {
            let what = format!("{} prints the RTC announce", speaker.kind().name());
            wait_update(speaker, &what, |u| {
                announced_in(u, "ipv4 rtc").contains(&want)
            })?;
        }
        gobgp(lab, &["vrf", "del", "red"])?;
        for speaker in &lab.speakers {
            let what = format!("{} prints the RTC withdraw", speaker.kind().name());
            wait_update(speaker, &what, |u| {
                withdrawn_in(u, "ipv4 rtc").contains(&want)
            })?;
        }
        same_updates_as_exabgp(lab, "RTC", comparable_all)
    })
}
