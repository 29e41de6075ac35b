//! Capability 68, Multisession (draft-ietf-idr-bgp-multisession): ExaBGP advertises it
//! when configured; its value is kept as received.
