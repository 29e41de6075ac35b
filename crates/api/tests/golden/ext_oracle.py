import random, json
from exabgp.bgp.message.update.attribute.community.extended.community import ExtendedCommunity
import exabgp.bgp.message.update.attribute.community.extended  # registers
random.seed(7)
keys = sorted(ExtendedCommunity.registered_extended.keys()) + [(0,4),(0,5),(5,5),(0xf,0xff)]
rows = []
payloads = [bytes(6), bytes([0xff]*6), bytes.fromhex('FDE90000000A'), bytes.fromhex('0102030400C8'), bytes.fromhex('00004B3EBC20'), bytes.fromhex('000044FA0000'), bytes.fromhex('000000000003'), bytes.fromhex('0000000000C1'), bytes.fromhex('0000000100A1'), bytes.fromhex('13000005DC6F'), bytes.fromhex('000000074001'), bytes.fromhex('00000000C00A'), bytes.fromhex('010000000005')]
for (t, s) in keys:
    for high in (0x00, 0x40, 0x80, 0xC0):
        for p in payloads + [bytes(random.getrandbits(8) for _ in range(6)) for _ in range(3)]:
            data = bytes([high | t, s]) + p
            try:
                c = ExtendedCommunity.unpack(data)
                rows.append((data.hex().upper(), json.loads(c.json())['string'], repr(c), json.loads(c.json())['value']))
            except Exception as e:
                rows.append((data.hex().upper(), None, type(e).__name__, None))
with open('/work/main/crates/api/tests/golden/extended-communities.tsv', 'w') as f:
    f.write('# hex\tjson-string\ttext  (generated from ExaBGP 5.0.15 by tests/golden/ext_oracle.py; "!" = ExaBGP refuses it)\n')
    for h, j, t, v in rows:
        if j is None:
            f.write(f'{h}\t!\t{t}\n')
        else:
            f.write(f'{h}\t{j}\t{t}\n')
print(len(rows), sum(1 for r in rows if r[1] is None))
