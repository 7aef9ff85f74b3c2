#!/usr/bin/env python3
# entry_golden_subsidy.py — prints the golden CBOR of entry_golden_subsidy.c's entries
# (entry_golden_vectors.c), from this third, independent encoder.
# An independent canonical CBOR encoder (RFC 8949 §4.2.1 deterministic: shortest
# heads, map keys sorted by their encoded bytes) for the new golden vectors.
def head(major, n):
    if n < 24: return bytes([major << 5 | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size): return bytes([major << 5 | ai]) + n.to_bytes(size, 'big')
def enc(v):
    if isinstance(v, bool): raise TypeError
    if isinstance(v, int): return head(0, v)
    if isinstance(v, bytes): return head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode(); return head(3, len(b)) + b
    if isinstance(v, list): return head(4, len(v)) + b''.join(enc(x) for x in v)
    if isinstance(v, dict):
        items = sorted(((enc(k), enc(x)) for k, x in v.items()), key=lambda p: p[0])
        return head(5, len(items)) + b''.join(k + x for k, x in items)
def fill(first): return bytes((first + i) & 0xff for i in range(32))
T0 = 1767574800000
YEAR = 365 * 86400000
def env(t, index, gov, body):
    return {"v": 1, "net": fill(0x40), "author": fill(0xa0), "index": index,
            "time": T0 + index * 60000, "gov": gov, "type": t, "body": body}
P = "acme-robotics"; S = "first-set-2026"; PROD = "Welding robot 焊接机器人"
vecs = {
 "program-subsidy": env("program", 3, 3, {"id": S, "kind": "subsidy", "operator": fill(0x70),
     "basis": "first-set", "share": [3, 10], "cap": 500000000, "recipient_cap": 1000000000,
     "budget": 600000000}),
 "program-award-certified": env("program", 2, 2, {"id": "awards-2026", "kind": "award",
     "budget": 600000000, "levels": [10000000, 50000000], "operator": fill(0x70),
     "requires": "demonstration"}),
 "certify": env("certify", 15, 15, {"kind": "first-set", "project": P, "product": PROD,
     "price": 120000000, "from": T0, "until": T0 + YEAR}),
 "certify-demonstration": env("certify", 16, 16, {"kind": "demonstration", "project": P,
     "year": 2026, "batch": 2, "from": T0}),
 "revoke": env("revoke", 17, 17, {"certification": 15, "at": T0 + YEAR // 2}),
 "subsidy": env("subsidy", 14, 16, {"program": S, "project": P, "certification": 15,
     "units": 2, "price": 240000000, "amount": 72000000, "sale": "INV-2026-001"}),
 "subsidy-lease": env("subsidy", 15, 16, {"program": S, "project": P, "certification": 15,
     "units": 1, "price": 120000000, "amount": 12000000,
     "lease": {"author": fill(0x20), "index": 5, "leaf": fill(0x30)}}),
}
import sys
for name, v in vecs.items():
    h = enc(v).hex()
    lines = [h[i:i+68] for i in range(0, len(h), 68)]
    print('    {"%s", make_%s, doc_%s,' % (name, name.replace('-', '_'), name.replace('-', '_')))
    print('     /* python canonical CBOR, tests/unit/entry_golden_subsidy.c */')
    for i, l in enumerate(lines):
        print('     "%s"%s' % (l, '},' if i == len(lines) - 1 else ''))
