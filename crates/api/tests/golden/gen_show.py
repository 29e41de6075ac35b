#!/usr/bin/env python3
"""Writes show.tsv: ExaBGP 5.0.15's `show neighbor summary|extensive|json` text for two
peers (one up, one down) and its `show adj-rib out [extensive]` lines for the routes of a
configuration, rendered by ExaBGP's own classes. Records are `name<TAB>line`. The inputs
mirror the Rust test `tests/show.rs`; the outputs are ExaBGP's, used as test data only.
"""
import json
import os

from exabgp.bgp.neighbor import NeighborTemplate
from exabgp.configuration.configuration import Configuration
from exabgp.environment import getenv
from exabgp.logger import log
from exabgp.protocol.family import AFI, SAFI

UP = {
    'down': 12, 'duration': 29, 'local-address': '127.0.0.1', 'peer-address': '127.0.0.2',
    'local-as': 65001, 'peer-as': 65002, 'local-id': '10.0.0.1', 'peer-id': '10.0.0.2',
    'local-hold': 180, 'peer-hold': 30, 'state': 'ESTABLISHED',
    'capabilities': {
        'asn4': (True, True), 'route-refresh': (True, True), 'multi-session': (False, False),
        'operational': (False, None), 'add-path': (True, True), 'extended-message': (True, True),
        'graceful-restart': (False, False),
    },
    'families': {
        (AFI.ipv4, SAFI.unicast): (True, True, True, False),
        (AFI.ipv6, SAFI.unicast): (True, False, False, False),
        (AFI.ipv4, SAFI.flow_ip): (True, True, False, True),
    },
    'messages': {'open': (1, 1), 'notification': (0, 0), 'keepalive': (4, 5), 'update': (32, 12),
                 'refresh': (1, 0), 'total': (38, 18)},
}

DOWN = {
    'down': 90061, 'duration': 0, 'local-address': 'None', 'peer-address': '2001:db8::2',
    'local-as': 65001, 'peer-as': 4200000000, 'local-id': '10.0.0.1', 'peer-id': None,
    'local-hold': 180, 'peer-hold': None, 'state': 'ACTIVE',
    'capabilities': {k: (True, None) for k in ('asn4', 'route-refresh', 'multi-session', 'operational', 'add-path', 'extended-message', 'graceful-restart')},
    'families': {(AFI.ipv6, SAFI.unicast): (True, None, None, False)},
    'messages': {k: (0, 0) for k in ('open', 'notification', 'keepalive', 'update', 'refresh', 'total')},
}

CONF = """
neighbor 127.0.0.2 {
    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002;
    static {
        route 10.1.0.0/24 next-hop 127.0.0.1 origin egp as-path [ 65001 65010 ] med 100 local-preference 200 atomic-aggregate aggregator ( 65001:10.0.0.1 ) community [ 65001:2 65001:1 ] originator-id 10.9.9.9 cluster-list [ 10.8.8.8 ] extended-community [ target:65001:10 origin:1.2.3.4:5 ] large-community 65001:1:1;
        route 2001:db8:1::/48 next-hop 2001:db8::1 community no-export;
        route 10.2.0.0/24 next-hop 127.0.0.1 path-information 0.0.0.7 attribute [ 0x99 0x80 0x0102 ];
    }
}
"""


def main():
    out = []
    out.append('summary\t' + NeighborTemplate.summary_header)
    for name, answer in (('up', UP), ('down', DOWN)):
        out.append(f'summary\t' + NeighborTemplate.summary(answer))
    for name, answer in (('up', UP), ('down', DOWN)):
        for line in NeighborTemplate.extensive(answer).split('\n'):
            out.append(f'extensive-{name}\t{line}')
    out.append('json\t' + json.dumps([NeighborTemplate.as_dict(UP), NeighborTemplate.as_dict(DOWN)]))
    log.silence()
    getenv().bgp.passive = True
    conf = Configuration([CONF], text=True)
    conf.reload()
    neighbor = list(conf.neighbors.values())[0]
    for change in neighbor.rib.outgoing.cached_changes(None):
        family = '{} {}'.format(*change.nlri.family().afi_safi())
        out.append(f'rib\t{neighbor["peer-address"]} {family} {change.nlri}')
        out.append(f'rib-extensive\t{neighbor.name()} {family} {change.extensive()}')
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'show.tsv')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
