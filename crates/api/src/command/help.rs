//! The answer to `help`: ExaBGP 5.0's command list, plus Herald's run-time neighbor
//! commands and `announce|withdraw evpn`.

/// The lines written for `help` (before `done`), each ended by `\n`.
pub const HELP: &str = "\n\
available API commands are listed here:\n\
=======================================\n\
\n\
filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]\n\
\n\
command are:\n\
------------\n\
\n\
# \n\
[neighbor <ip> [filters]] announce attribute\n\
[neighbor <ip> [filters]] announce attributes\n\
[neighbor <ip> [filters]] announce eor\n\
[neighbor <ip> [filters]] announce evpn\n\
[neighbor <ip> [filters]] announce flow\n\
[neighbor <ip> [filters]] announce ipv4\n\
[neighbor <ip> [filters]] announce ipv6\n\
[neighbor <ip> [filters]] announce operational\n\
[neighbor <ip> [filters]] announce route\n\
[neighbor <ip> [filters]] announce route-refresh\n\
[neighbor <ip> [filters]] announce vpls\n\
[neighbor <ip> [filters]] announce watchdog\n\
[neighbor <ip> [filters]] clear adj-rib\n\
[neighbor <ip> [filters]] crash\n\
[neighbor <ip> [filters]] flush adj-rib out\n\
[neighbor <ip> [filters]] teardown\n\
[neighbor <ip> [filters]] withdraw attribute\n\
[neighbor <ip> [filters]] withdraw attributes\n\
[neighbor <ip> [filters]] withdraw evpn\n\
[neighbor <ip> [filters]] withdraw flow\n\
[neighbor <ip> [filters]] withdraw ipv4\n\
[neighbor <ip> [filters]] withdraw ipv6\n\
[neighbor <ip> [filters]] withdraw route\n\
[neighbor <ip> [filters]] withdraw vpls\n\
[neighbor <ip> [filters]] withdraw watchdog\n\
disable-ack \n\
enable-ack \n\
help \n\
neighbor <ip> create { <neighbor configuration> } \n\
neighbor <ip> delete \n\
reload \n\
reset \n\
restart \n\
show adj-rib in [ extensive ] \n\
show adj-rib out [ extensive ] \n\
show neighbor [ summary | extensive | configuration ] \n\
shutdown \n\
silence-ack \n\
version \n\
\n";
