#!/usr/bin/env python3
# entry_golden_names.py — prints the golden CBOR of entry_golden_names.c's entries
# (entry_golden_vectors.c): a member registered with a display name and a member's
# display name corrected (R-RENAME), from this third, independent encoder
# (golden_cbor.py), as entry_golden_subsidy.py.
from golden_cbor import env, fill, print_rows
vecs = {
 "member-display": env("member", 22, 6, {"key": fill(0x10), "name": "investor-a",
                                         "role": "investor", "display": "湘江资本"}),
 "rename-member": env("rename", 23, 6, {"name": "湘江资本（二期）", "member": "investor-a"}),
}
print_rows(vecs, "entry_golden_names.c")
