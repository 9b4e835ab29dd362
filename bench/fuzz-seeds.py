#!/usr/bin/env python3
"""Writes the seed corpora of the Jazzer targets (the *FuzzTest classes) into their Inputs
directories under src/test/resources. Seeds come from real captures and published vectors:
the strongSwan IKEv1 captures (coati-protocol/src/test/resources/fixtures/strongswan), the RFC 2865
section 7 RADIUS examples, the Windows RAS and pppd PPP transcripts of PppSessionClientsTest, the
README's configuration and users-file examples; L2TP messages and ESP plaintexts are built here
from RFC 2661 / RFC 4303 layouts. Run from anywhere; re-running rewrites the seed-* files only
(findings Jazzer saved beside them stay)."""
import glob, hashlib, os, re, struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
P = os.path.join(ROOT, "coati-protocol/src/test/resources/dev/coati")
S = os.path.join(ROOT, "coati-server/src/test/resources/dev/coati")


def put(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# ---- ISAKMP: every datagram of the strongSwan captures, and each plaintext payload's body
isakmp = os.path.join(P, "ike/wire/IsakmpMessageFuzzTestInputs/decode")
payload = os.path.join(P, "ike/wire/IsakmpPayloadFuzzTestInputs/decodeBody")
TYPES = [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 20, 21, 130, 131, 132]
engine_records = {}
for mfile in sorted(glob.glob(os.path.join(ROOT, "coati-protocol/src/test/resources/fixtures/strongswan/*/messages.txt"))):
    scen = os.path.basename(os.path.dirname(mfile))
    for line in open(mfile):
        parts = line.split()
        if len(parts) != 5:
            continue
        msg = bytes.fromhex(parts[4])
        put(isakmp, f"{scen}-{parts[0]}", msg)
        if parts[1] == "i2r":
            engine_records.setdefault(scen, []).append(msg)
        if msg[19] & 1:  # encrypted: no plaintext payloads to cut out
            continue
        nxt, at, k = msg[16], 28, 0
        while nxt and at + 4 <= len(msg):
            ln = struct.unpack(">H", msg[at + 2:at + 4])[0]
            if nxt in TYPES:
                put(payload, f"{scen}-{parts[0]}-{k}-type{nxt}", bytes([TYPES.index(nxt)]) + msg[at + 4:at + ln])
            nxt, at, k = msg[at], at + ln, k + 1
# the engine: each scenario's client messages in order, as [u16 length][datagram] records
engine = os.path.join(P, "ike/IkeEngineFuzzTestInputs/receive")
for scen, msgs in engine_records.items():
    put(engine, scen, b"".join(struct.pack(">H", len(m)) + m for m in msgs))
    put(engine, scen + "-first", struct.pack(">H", len(msgs[0])) + msgs[0])
# fragments (payload 132, Cisco format: id, number, flags, data) and a NAT-OA
put(payload, "fragment-1-of-2", bytes([TYPES.index(132)]) + struct.pack(">HBB", 7, 1, 0) + b"\x01" * 32)
put(payload, "fragment-last", bytes([TYPES.index(132)]) + struct.pack(">HBB", 7, 2, 1) + b"\x02" * 16)
put(payload, "nat-oa-ipv4", bytes([TYPES.index(21), 1, 0, 0, 0]) + bytes([10, 0, 0, 2]))

# ---- ESP: [suite | 4 (sealed)] seq, then an inner IPv4 packet with RFC 4303 padding and next header
def ip_packet(n):
    h = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + n, 1, 0, 64, 1, 0, bytes([10, 0, 0, 1]), bytes([10, 99, 99, 2]))
    return h + bytes([8, 0, 0, 0, 0, 1, 0, 1]) + bytes(range(n - 8))

esp = os.path.join(P, "esp/EspDecapFuzzTestInputs/decapsulate")
for suite, block in ((0, 16), (1, 16), (2, 4), (3, 8)):
    for n in (8, 64):
        inner = ip_packet(n)
        padlen = (-(len(inner) + 2)) % block
        plain = inner + bytes(range(1, padlen + 1)) + bytes([padlen, 4])
        put(esp, f"suite{suite}-sealed-{n}", bytes([suite | 4]) + struct.pack(">I", 1) + plain)
    put(esp, f"suite{suite}-raw", bytes([suite]) + struct.pack(">II", 0x1234, 1) + bytes(64))

# ---- L2TP control messages (RFC 2661): SCCRQ, SCCCN with a hidden AVP, ICRQ, ICCN, HELLO, StopCCN, CDN
def avp(t, v, m=True, hidden=False, vendor=0):
    ln = 6 + len(v)
    return struct.pack(">HHH", (0x8000 if m else 0) | (0x4000 if hidden else 0) | ln, vendor, t) + v

def control(tid, sid, ns, nr, avps):
    body = b"".join(avps)
    return struct.pack(">HHHHHH", 0xc802, 12 + len(body), tid, sid, ns, nr) + body

u16 = lambda v: struct.pack(">H", v)
u32 = lambda v: struct.pack(">I", v)
l2c = os.path.join(P, "l2tp/wire/L2tpControlFuzzTestInputs/decode")
put(l2c, "sccrq", control(0, 0, 0, 0, [avp(0, u16(1)), avp(2, b"\x01\x00"), avp(3, u32(3)), avp(4, u32(0), False),
                                       avp(6, u16(0x0690), False), avp(7, b"lac.example.com"), avp(8, b"Microsoft", False),
                                       avp(9, u16(1)), avp(10, u16(8))]))
put(l2c, "scccn-hidden", control(5, 0, 1, 1, [avp(0, u16(3)), avp(36, bytes(range(16))),
                                             avp(13, bytes(range(32, 50)), hidden=True)]))
put(l2c, "icrq", control(5, 0, 2, 1, [avp(0, u16(10)), avp(14, u16(0x4321)), avp(15, u32(1)), avp(18, u32(2), False)]))
put(l2c, "iccn", control(5, 9, 3, 2, [avp(0, u16(12)), avp(24, u32(100000000)), avp(19, u32(1)),
                                     avp(26, bytes([1, 4, 5, 0xdc]), False), avp(39, b"", False)]))
put(l2c, "hello", control(5, 0, 4, 3, [avp(0, u16(6))]))
put(l2c, "zlb", control(5, 0, 5, 4, []))
put(l2c, "stopccn", control(5, 0, 6, 4, [avp(0, u16(4)), avp(9, u16(1)), avp(1, u16(1) + u16(0) + b"bye")]))
put(l2c, "cdn", control(5, 9, 7, 4, [avp(0, u16(14)), avp(1, u16(3)), avp(14, u16(0x4321)),
                                    avp(12, u16(16) + b"\x45" + b"normal", False)]))
# the tunnel: SCCRQ, SCCCN (as acked by the LAC), ICRQ, ICCN, HELLO, CDN, StopCCN in order
tunnel = os.path.join(P, "l2tp/L2tpTunnelFuzzTestInputs/receive")
conversation = [
    control(0, 0, 0, 0, [avp(0, u16(1)), avp(2, b"\x01\x00"), avp(3, u32(3)), avp(7, b"lac"), avp(9, u16(5)),
                         avp(10, u16(8))]),
    control(77, 0, 1, 1, [avp(0, u16(3))]),
    control(77, 0, 2, 1, [avp(0, u16(10)), avp(14, u16(9)), avp(15, u32(1))]),
    control(77, 1, 3, 2, [avp(0, u16(12)), avp(24, u32(100000000)), avp(19, u32(1))]),
    control(77, 0, 4, 3, [avp(0, u16(6))]),
    control(77, 1, 5, 4, [avp(0, u16(14)), avp(1, u16(3)), avp(14, u16(9))]),
    control(77, 0, 6, 5, [avp(0, u16(4)), avp(9, u16(5)), avp(1, u16(1))]),
]
for sec in (0, 1, 7):
    put(tunnel, f"conversation-security{sec}", bytes([sec]) + b"".join(struct.pack(">H", len(m)) + m for m in conversation))
l2d = os.path.join(P, "l2tp/wire/L2tpDataFuzzTestInputs/decode")
hdr = os.path.join(S, "server/l2tp/L2tpDataHeaderFuzzTestInputs/dataPayload")
ppp_lcp = bytes.fromhex("ff03c0210101000e0104057805063c1f5a22")
for name, d in (("plain", struct.pack(">HHH", 0x0002, 5, 9) + ppp_lcp),
                ("length", struct.pack(">HHHH", 0x4002, 8 + len(ppp_lcp), 5, 9) + ppp_lcp),
                ("sequence-offset", struct.pack(">HHHHHH", 0x0a02, 5, 9, 1, 0, 2) + b"\0\0" + ppp_lcp),
                ("control-hello", control(5, 0, 4, 3, [avp(0, u16(6))]))):
    put(l2d, name, d)
    put(hdr, name, d)

# ---- PPP: the Windows RAS and pppd transcripts (client frames, in order) as [u16 length][frame]
pst = open(os.path.join(ROOT, "coati-protocol/src/test/java/dev/coati/ppp/PppSessionClientsTest.java")).read()
consts = dict(re.findall(r'static final String (\w+) =\s*"([^"]*)"', pst))
def evaluate(expr):
    out = ""
    for tok in re.findall(r'hex\("([^"]*)"\)|"([^"]*)"|(\b[A-Z_]{3,}\b)|(\b[a-z]\w*\b)', expr):
        if tok[0]:
            out += tok[0].encode().hex()
        elif tok[1]:
            out += tok[1]
        elif tok[2] in consts:
            out += consts[tok[2]]
        elif tok[3]:
            return None  # a local variable: too clever for this script
    return bytes.fromhex(out.replace(" ", ""))
session = os.path.join(P, "ppp/PppSessionFuzzTestInputs/receive")
packets = os.path.join(P, "ppp/wire/PppPacketFuzzTestInputs/decode")
for m in re.finditer(r'@Test\s+void (\w+)\(\)(.*?)\n  }\n', pst, re.S):
    frames = []
    for call in re.finditer(r'h\.in\((.*?)\);', m.group(2), re.S):
        f = evaluate(call.group(1))
        if f:
            frames.append(f)
    if frames:
        put(session, m.group(1), b"".join(struct.pack(">H", len(f)) + f for f in frames))
        for i, f in enumerate(frames):
            proto = f[2:4] if f[:2] == b"\xff\x03" else None
            sel = {b"\xc0\x21": 1, b"\x80\x21": 2, b"\xc0\x23": 3, b"\xc2\x23": 4}.get(proto, 0)
            put(packets, f"{m.group(1)}-{i}", bytes([sel]) + (f[4:] if sel else f))

# ---- RADIUS: RFC 2865 section 7 examples, an Access-Accept with MS-CHAP2-Success, Disconnect-Requests
rc = open(os.path.join(ROOT, "coati-protocol/src/test/java/dev/coati/radius/RadiusCodecTest.java")).read()
radius = os.path.join(P, "radius/RadiusPacketFuzzTestInputs/decode")
for i, m in enumerate(re.finditer(r'hex\(\s*((?:"[0-9a-f ]+"\s*\+?\s*)+)\)', rc)):
    put(radius, f"rfc2865-{i}", bytes.fromhex("".join(re.findall(r'"([0-9a-f ]+)"', m.group(1))).replace(" ", "")))
def radius_packet(code, ident, attrs):
    body = b"".join(bytes([t, 2 + len(v)]) + v for t, v in attrs)
    return struct.pack(">BBH", code, ident, 20 + len(body)) + bytes(16) + body
ms_success = b"\x00\x00\x01\x37" + bytes([26, 45]) + b"\x01S=" + b"A" * 40
put(radius, "accept-mschapv2", radius_packet(2, 0, [(8, bytes([10, 99, 99, 7])), (27, u32(3600)),
                                                  (28, u32(600)), (85, u32(300)), (26, ms_success)]))
put(radius, "reject-mschap-error", radius_packet(3, 0, [(18, b"bad password"),
                                                      (26, b"\x00\x00\x01\x37" + bytes([2, 11]) + b"\x01E=691 R=0")]))
dm = os.path.join(P, "radius/DisconnectRequestFuzzTestInputs/parse")
put(dm, "by-session", radius_packet(40, 7, [(32, b"coati"), (44, b"0000002a"), (55, u32(1_750_000_000))]))
put(dm, "by-user-address", radius_packet(40, 8, [(1, b"alice"), (4, bytes([192, 0, 2, 1])), (8, bytes([10, 99, 99, 7]))]))
put(dm, "coa", radius_packet(43, 9, [(1, b"alice"), (27, u32(60))]))
put(dm, "message-authenticator", radius_packet(40, 10, [(1, b"alice"), (80, bytes(16))]))

# ---- users file: the README's example lines and LocalUsersTest's fields
users = os.path.join(P, "auth/LocalUsersFuzzTestInputs/parse")
salt = "AAECAwQFBgcICQoLDA0ODw"
put(users, "every-field", "# users of vpn.example.com\n\n"
    f"alice:$pbkdf2-sha256$i=1000${salt}$" + "A" * 43 + ":" + "0" * 32 + ":address=10.99.99.50,max_sessions=1\n"
    "  bob:{plain}se\\:cr\\\\et\ncarol::" + "AB" * 16 + ":max_sessions=2\n")
put(users, "plain", "alice:{plain}wonderland\n")

# ---- configuration: every YAML example of the README
readme = open(os.path.join(ROOT, "README.md")).read()
config = os.path.join(S, "config/ConfigLoaderFuzzTestInputs/load")
for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", readme, re.S)):
    put(config, f"readme-{i}", block)
