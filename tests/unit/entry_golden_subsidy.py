#!/usr/bin/env python3
# entry_golden_subsidy.py — prints the golden CBOR of entry_golden_subsidy.c's entries
# (entry_golden_vectors.c), from this third, independent encoder (golden_cbor.py:
# RFC 8949 §4.2.1 deterministic CBOR).
from golden_cbor import T0, env, fill, print_rows
YEAR = 365 * 86400000
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
print_rows(vecs, "entry_golden_subsidy.c")
