#!/usr/bin/env python3
"""Regenerates the golden files of herald-api's encoder tests from ExaBGP itself.

Usage: python3 gen.py NAME HEX [--add-path] [--aigp] [--direction receive] [--family 'AFI SAFI']
Writes NAME.golden next to this script: line 1 options, line 2 the message hex, line 3
ExaBGP's JSON line for it (as `exabgp decode` prints it), then the text encoder's lines.
It drives the installed ExaBGP (5.0.15) through its public classes, the way
`exabgp decode` does; the outputs are ExaBGP's, used as test data only.
"""
import os
import sys
import struct

from exabgp.environment import getenv
from exabgp.configuration.configuration import Configuration
from exabgp.configuration import check
from exabgp.reactor.api.response import Response
from exabgp.version import json as json_version
from exabgp.logger import log

TEMPLATE = """\
neighbor 127.0.0.1 {
    router-id 10.0.0.2;
    local-address 127.0.0.1;
    local-as 65533;
    peer-as 65533;
    family { %s }
    capability { %s }
}
"""


def main():
    name, payload = sys.argv[1], sys.argv[2].replace(':', '').replace(' ', '')
    add_path = '--add-path' in sys.argv
    aigp = '--aigp' in sys.argv
    direction = 'in'
    if '--direction' in sys.argv:
        direction = sys.argv[sys.argv.index('--direction') + 1]
    env = getenv()
    env.bgp.passive = True
    env.tcp.bind = ''
    log.silence()
    caps = ('add-path send/receive;' if add_path else '') + (' aigp enable;' if aigp else '')
    family = 'all;'
    if '--family' in sys.argv:
        family = sys.argv[sys.argv.index('--family') + 1] + ';'
    conf = Configuration([TEMPLATE % (family, caps)], text=True)
    conf.reload()
    neighbor = list(conf.neighbors.values())[0]
    raw = bytes.fromhex(payload)
    if not raw.startswith(b'\xff' * 16):
        raw = b'\xff' * 16 + struct.pack('!HB', len(raw) + 19, 2) + raw
    kind = raw[18]
    js = Response.JSON(json_version)
    tx = Response.Text(json_version)
    if kind == 1:
        from exabgp.bgp.message import Open
        msg = Open.unpack_message(raw[19:])
        j = js.open(neighbor, direction, msg, None, '', '')
        t = tx.open(neighbor, direction, msg, None, '', '')
    elif kind == 2:
        msg = check._make_update(neighbor, raw)
        j = js.update(neighbor, direction, msg, None, '', '')
        t = tx.update(neighbor, direction, msg, None, '', '')
    elif kind == 3:
        msg = check._make_notification(neighbor, raw)
        j = js.notification(neighbor, direction, msg, None, '', '')
        t = tx.notification(neighbor, direction, msg, None, '', '')
    else:
        raise SystemExit(f'unsupported kind {kind}')
    opts = ('add-path ' if add_path else '') + ('aigp ' if aigp else '') + f'direction {direction}'
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + '.golden')
    with open(out, 'w') as f:
        f.write(opts + '\n' + raw.hex().upper() + '\n' + j + '\n' + t)
        if not t.endswith('\n'):
            f.write('\n')


if __name__ == '__main__':
    main()
