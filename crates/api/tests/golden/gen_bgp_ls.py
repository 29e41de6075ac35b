"""Hand-made BGP-LS and RTC UPDATE bodies for `bgp-ls-rtc.tsv` (see README.md).

Prints `name hex` lines; `bgp-ls-rtc.tsv` holds each with the `"message": ...` part of
what `exabgp decode -f "bgp-ls bgp-ls" HEX` (RTC: `exabgp decode HEX`) printed for it.
"""
import struct, sys
def tlv(c, v): return struct.pack('!HH', c, len(v)) + v
def upd(attr_tlvs, nlri, nh=bytes([10,0,0,1]), safi=71):
    ls = b''.join(attr_tlvs)
    a = (bytes([0x90, 29]) + struct.pack('!H', len(ls)) + ls) if ls else b''
    nh = (bytes(8) + nh) if safi == 72 else nh
    mp = struct.pack('!HB', 16388, safi) + bytes([len(nh)]) + nh + b'\0' + nlri
    a = bytes.fromhex('40010100400200') + bytes([0x90, 14]) + struct.pack('!H', len(mp)) + mp + a
    return (b'\0\0' + struct.pack('!H', len(a)) + a).hex()
def nlri(code, proto, ident, tlvs, rd=b''):
    body = rd + bytes([proto]) + struct.pack('!Q', ident) + b''.join(tlvs)
    return tlv(code, body)
node = tlv(256, tlv(512, struct.pack('!I', 65001)) + tlv(515, bytes([1,2,3,4,5,6])))
n1 = nlri(1, 2, 0, [node])
sid = bytes.fromhex('fc000000000000000000000000000001')
cases = {
 'node-attrs': upd([tlv(1024, b'\xa0'), tlv(1025, b'op\xffaque'), tlv(1026, 'rö'.encode()), tlv(1027, bytes.fromhex('490001')),
   tlv(1028, bytes([1,1,1,1])), tlv(1029, bytes(15)+b'\1'), tlv(1028, bytes([2,2,2,2])), tlv(1035, b''), tlv(1038, b'\x40\0\0\0'),
   tlv(1034, bytes.fromhex('c000') + bytes.fromhex('000064') + tlv(1161, struct.pack('!I', 100000)))], n1),
 'link-attrs': upd([tlv(1088, b'\0\0\0\1'), tlv(1090, struct.pack('!f', 1.1)), tlv(1091, struct.pack('!8f', *[1e-7,0,3.5,1e20,5,6,7,8])),
   tlv(1093, b'\x81\0'), tlv(1094, b'\xc0'), tlv(1096, struct.pack('!II', 1, 2)), tlv(1097, b'abc'), tlv(1098, b'link'),
   tlv(1030, bytes([3,3,3,3])), tlv(1031, bytes(16)), tlv(1095, b'\x07'),
   tlv(1099, bytes([0x20, 1, 0, 0, 1, 2, 3])), tlv(1099, bytes([0, 2, 0, 0, 0, 0, 0, 5])),
   tlv(1100, bytes([0x30, 1, 0, 0, 1,2,3,4,5,6, 0, 1, 2])), tlv(1100, bytes([0x00, 1, 0, 0, 1,2,3,4,5,6])),
   tlv(1106, bytes([0, 57, 0x40, 1, 2, 0]) + sid + tlv(1252, bytes([1,2,3,4,5])) + tlv(77, b'\x01') + tlv(1252, bytes([9,9,9,9])) + b'\0'),
   tlv(1108, bytes([0, 58, 0x20, 1, 2, 0, 9, 9, 9, 9]) + sid + tlv(78, b'\x02')),
   tlv(3000, b'\1'), tlv(3001, b''), tlv(3000, b'\2')],
   nlri(2, 3, 5, [tlv(256, tlv(515, bytes([1,2,3,4]))), tlv(257, tlv(514, bytes(16)) + tlv(516, b'\1\2')), tlv(261, bytes(16)), tlv(262, bytes(15)+b'\2'), tlv(263, b'\x10\x05\x00\x07'), tlv(258, bytes(8)), tlv(258, struct.pack('!II', 7, 9)), tlv(999, b'')])),
 'prefix-attrs': upd([tlv(1152, b'\xf0'), tlv(1153, struct.pack('!II', 10, 20)), tlv(1154, struct.pack('!Q', 2**63)), tlv(1155, b'\0\0\0\5'),
   tlv(1156, bytes([4,4,4,4])), tlv(1157, b'\x00\x01'), tlv(1158, bytes([0x0c, 1, 0, 0, 0, 0, 9, 0, 0, 10])), tlv(1158, bytes([0x40, 0, 0, 0, 0, 0, 0, 3])),
   tlv(1162, bytes([0x80, 1, 0, 0, 0, 0, 0, 9])), tlv(1170, b'\xe0'), tlv(1171, bytes(16)), tlv(1250, bytes([0, 48, 0, 3])), tlv(1252, bytes([10, 20, 30, 40]))],
   nlri(4, 2, 0, [node, tlv(264, b'\x03'), tlv(265, bytes([64, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 1]))]) + nlri(3, 6, 1, [tlv(265, bytes([24, 10, 0]))])),
 'srv6sid': upd([], nlri(6, 2, 0, [node, tlv(263, b'\0\2'), tlv(518, sid), tlv(1000, b'\1'), tlv(263, b'\0\3'), tlv(1000, b'\2'), tlv(518, bytes(16))]) + nlri(9, 1, 0, []) ),
 'vpn': upd([], nlri(1, 3, 0, [tlv(256, tlv(515, bytes([1,2,3,4,5,6,7,8])))], rd=bytes([0,1,0,0,0,1,0,0,0,9][:8])) + nlri(3, 1, 0, [tlv(265, b'\x20\1\2\3\4')], rd=bytes([0,0,0,1,0,0,0,2])), safi=72),
}
for k, v in cases.items(): print(k, v)
