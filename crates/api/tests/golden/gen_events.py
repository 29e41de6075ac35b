#!/usr/bin/env python3
"""Writes events.tsv: ExaBGP 5.0.15's JSON and text lines for the events that do not
come from a decoded message (state, fsm, negotiated, signal, shutdown) and for messages
given extras (keepalive, route-refresh, operational, packets, consolidate, negotiated).

Each record is `name<TAB>encoder<TAB>line`; the inputs are those of the Rust test
`tests/events.rs`. The outputs are ExaBGP's, used as test data only.
"""
import os
import struct

from exabgp.environment import getenv
from exabgp.reactor.api.response import Response
from exabgp.version import json as json_version
from exabgp.bgp.message import Open, Update
from exabgp.bgp.message.refresh import RouteRefresh
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.operational import Operational
from exabgp.bgp.message.direction import Direction
from exabgp.protocol.family import AFI, SAFI
from exabgp.bgp.message.open.capability.refresh import REFRESH

neighbor = {
    'local-address': '127.0.0.2', 'peer-address': '127.0.0.1',
    'local-as': 65002, 'peer-as': 65001, 'router-id': '10.0.0.2',
}


class FakeNeighbor(dict):
    uid = 'x'


N = FakeNeighbor(neighbor)


class AddPath:
    def __init__(self, send, receive):
        self._s, self._r = send, receive

    def send(self, afi, safi):
        return (afi, safi) in self._s

    def receive(self, afi, safi):
        return (afi, safi) in self._r


class Negotiated:
    msg_size = 65535
    holdtime = 30
    asn4 = True
    multisession = False
    operational = True
    refresh = REFRESH.ENHANCED
    families = [(AFI.ipv4, SAFI.unicast), (AFI.ipv4, SAFI.flow_ip), (AFI.ipv6, SAFI.unicast)]
    nexthop = [(AFI.ipv4, SAFI.unicast, AFI.ipv6)]
    addpath = AddPath([(AFI.ipv4, SAFI.unicast)], [(AFI.ipv4, SAFI.unicast), (AFI.ipv6, SAFI.unicast)])


class Fsm:
    def name(self):
        return 'OPENCONFIRM'


def update_bytes():
    # origin igp, next-hop 192.0.2.1, nlri 10.0.0.0/24
    attrs = bytes.fromhex('400101004003' + '04' + 'C0000201')
    body = struct.pack('!H', 0) + struct.pack('!H', len(attrs)) + attrs + bytes.fromhex('180A0000')
    return b'\xff' * 16 + struct.pack('!HB', 19 + len(body), 2) + body


def main():
    getenv().api.compact = False
    js = Response.JSON(json_version)
    tx = Response.Text(json_version)
    out = []

    def add(name, enc, line):
        if line is None:
            line = ''
        out.append(f'{name}\t{enc}\t{line.rstrip(chr(10))}')

    add('connected', 'json', js.connected(N)); add('connected', 'text', tx.connected(N))
    add('up', 'json', js.up(N)); add('up', 'text', tx.up(N))
    add('down', 'json', js.down(N, 'notification received (6,2)')); add('down', 'text', tx.down(N, 'notification received (6,2)'))
    add('down-escape', 'json', js.down(N, 'bad "x"\nneighbor 1.1.1.1 up')); add('down-escape', 'text', tx.down(N, 'bad "x"\nneighbor 1.1.1.1 up'))
    add('fsm', 'json', js.fsm(N, Fsm()))
    add('negotiated', 'json', js.negotiated(N, Negotiated()))
    add('signal', 'json', js.signal(N, 15))
    add('shutdown', 'json', js.shutdown())
    add('keepalive', 'json', js.keepalive(N, 'receive', None, '', '')); add('keepalive', 'text', tx.keepalive(N, 'receive', None, '', ''))
    ka = b'\xff' * 16 + bytes([0, 19, 4])
    add('keepalive-consolidate', 'json', js.keepalive(N, 'send', None, ka[:19], ka[19:]))
    add('keepalive-consolidate', 'text', tx.keepalive(N, 'send', None, ka[:19], ka[19:]))
    rr = RouteRefresh(AFI.ipv4, SAFI.unicast, 1)
    add('refresh', 'json', js.refresh(N, 'receive', rr, None, '', '')); add('refresh', 'text', tx.refresh(N, 'receive', rr, None, '', ''))
    upd = update_bytes()
    add('packets', 'json', js.packets(N, 'receive', 2, None, upd[:19], upd[19:]))
    add('packets', 'text', tx.packets(N, 'receive', 2, None, upd[:19], upd[19:]))
    add('packets-negotiated', 'json', js.packets(N, 'send', 2, Negotiated(), upd[:19], upd[19:]))
    update = Update.unpack_message(upd[19:], Direction.IN, None) if False else None
    from exabgp.configuration.check import _make_update
    from exabgp.configuration.configuration import Configuration
    from exabgp.logger import log
    log.silence()
    conf = Configuration(["neighbor 127.0.0.1 { router-id 10.0.0.2; local-address 127.0.0.1; local-as 65533; peer-as 65533; family { all; } }"], text=True)
    conf.reload()
    cn = list(conf.neighbors.values())[0]
    update = _make_update(cn, upd)
    add('update-consolidate', 'json', js.update(N, 'receive', update, None, upd[:19], upd[19:]))
    add('update-consolidate', 'text', tx.update(N, 'receive', update, None, upd[:19], upd[19:]).replace('\n', '|'))
    add('update-negotiated', 'json', js.update(N, 'receive', update, Negotiated(), '', ''))
    getenv().api.compact = True
    jc = Response.JSON(json_version)
    add('update-compact', 'json', jc.update(N, 'receive', update, None, '', ''))
    # operational
    from exabgp.bgp.message.operational import Advisory, Query, Response as OpResponse
    from exabgp.bgp.message.open import RouterID
    adm = Advisory.ADM(AFI.ipv4, SAFI.unicast, 'hello world')
    add('operational-adm', 'json', js.operational(N, 'receive', 'advisory', adm, None, '', ''))
    add('operational-adm', 'text', tx.operational(N, 'receive', 'advisory', adm, None, '', ''))
    q = Query.RPCQ(AFI.ipv4, SAFI.unicast, RouterID('10.0.0.1'), 9)
    add('operational-rpcq', 'json', js.operational(N, 'receive', 'query', q, None, '', ''))
    add('operational-rpcq', 'text', tx.operational(N, 'receive', 'query', q, None, '', ''))
    c = OpResponse.RPCP(AFI.ipv4, SAFI.unicast, RouterID('10.0.0.1'), 9, 1234)
    add('operational-rpcp', 'json', js.operational(N, 'receive', 'counter', c, None, '', ''))
    add('operational-rpcp', 'text', tx.operational(N, 'receive', 'counter', c, None, '', ''))
    for name, msg in (('adm', adm), ('rpcq', q), ('rpcp', c)):
        out.append(f'operational-{name}\tbody\t{msg.message(None)[19:].hex().upper()}')
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'events.tsv')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
