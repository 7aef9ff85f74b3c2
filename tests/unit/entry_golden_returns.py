#!/usr/bin/env python3
# entry_golden_returns.py — prints the golden CBOR of entry_golden_returns.c's entries
# (entry_golden_vectors.c): exits with proceeds and valuation marks, from this third,
# independent encoder (golden_cbor.py), as entry_golden_subsidy.py.
from golden_cbor import env, print_rows
P = "acme-robotics"
vecs = {
 "exit-proceeds": env("exit", 18, 6, {"project": P, "amount": 40000000, "proceeds": 70000000}),
 "exit-proceeds-zero": env("exit", 19, 6, {"project": P, "amount": 10000000, "proceeds": 0}),
 "valuation": env("valuation", 20, 6, {"project": P, "value": 450000000}),
 "valuation-zero": env("valuation", 21, 6, {"project": P, "value": 0}),
}
print_rows(vecs, "entry_golden_returns.c")
