#!/usr/bin/env bash
# reports.sh — the CLI's JSON and the offline audit's JSON carry the same
# reports (node/ledger/report.h) on the demo network: every program's status
# (matching programs, the pool, leasing, awards), `pool status`, positions
# and the leases under the same field names, in the same order, with the
# same values; and the "not equity" rows of the two tables agree.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"
source "$(dirname "$0")/demo_net.sh"

demo_network

"$COFUND_AUDIT" "$T/demo.bundle" --format json >"$T/audit.json" || fail "the audit of the demo network"
mkdir -p "$T/cli"
cf city log city --format json >"$T/cli/log.json"
for p in $(python3 -c 'import json, sys
print(" ".join(e["program"] for e in json.load(open(sys.argv[1])) if e["type"] == "program"))' \
    "$T/cli/log.json"); do
    cf city program status "$p" --format json >"$T/cli/program-$p.json" || fail "program status $p"
done
cf city pool status pool --format json >"$T/cli/pool.json" || fail "pool status"
cf city positions --format json >"$T/cli/positions.json" || fail "positions"
cf city leases --format json >"$T/cli/leases.json" || fail "leases"

python3 - "$T" <<'PY' || fail "the CLI's and the audit's reports differ"
import glob, json, os, sys

t = sys.argv[1]
audit = json.load(open(t + "/audit.json"))
assert audit["ok"] and audit["complete"], audit.get("first_failure")
load = lambda name: json.load(open("%s/cli/%s.json" % (t, name)))
bad = []

def same(cli, aud, path):
    """Same field names in the same order, same values; say where not."""
    if isinstance(cli, dict) and isinstance(aud, dict):
        if list(cli) != list(aud):
            bad.append("%s: fields differ: cli %s, audit %s" % (path, list(cli), list(aud)))
        for k in cli:
            if k in aud:
                same(cli[k], aud[k], "%s.%s" % (path, k))
    elif isinstance(cli, list) and isinstance(aud, list):
        if len(cli) != len(aud):
            bad.append("%s: %d rows in the cli, %d in the audit" % (path, len(cli), len(aud)))
        for i, (c, a) in enumerate(zip(cli, aud)):
            same(c, a, "%s[%d]" % (path, i))
    elif type(cli) != type(aud) or cli != aud:
        bad.append("%s: cli %r, audit %r" % (path, cli, aud))

# Programs: every one the city registered, each kind once at least.
ids = [e["program"] for e in load("log") if e["type"] == "program"]
progs = {p["program"]: p for p in audit["programs"]}
assert sorted(progs) == sorted(ids), (sorted(progs), sorted(ids))
kinds = set()
for p in ids:
    same(load("program-" + p), progs[p], "program " + p)
    kinds.add(progs[p]["kind"])
assert kinds == {"match", "pool", "leasing", "award"}, kinds
same(load("pool"), progs["pool"], "pool status pool")
# positions: its equity rows are the audit's positions; its not_equity rows
# carry the audit's not_equity figures under the same names.
equity = [r for r in load("positions") if r["kind"] == "equity"]
same(equity, audit["positions"], "positions")
other = [r for r in load("positions") if r["kind"] == "not_equity"]
same([{k: r[k] for k in a} for r, a in zip(other, audit["not_equity"])], audit["not_equity"],
     "positions' not_equity rows")
assert len(other) == len(audit["not_equity"]) > 0, (other, audit["not_equity"])

# Leases: the CLI lists each; the audit sums them by program and project
# under the same names.
sums = {}
for l in load("leases"):
    s = sums.setdefault((l["program"], l["project"]), {"leases": 0})
    s["leases"] += 1
    for k in ("price", "down", "financing", "advance"):
        s[k] = "%.2f" % (float(s.get(k, 0)) + float(l[k]))
rows = {(p["program"], r["project"]): {k: v for k, v in r.items() if k != "project"}
        for p in audit["programs"] if p["kind"] == "leasing" for r in p.get("projects", [])}
if set(sums) == set(rows):
    for k in sums:
        same(sums[k], rows[k], "leases of %s under %s" % (k[1], k[0]))
else:
    bad.append("leases: cli %s, audit %s" % (sorted(sums), sorted(rows)))

if bad:
    print("\n".join(bad[:20]), file=sys.stderr)
    sys.exit(1)
# Nothing compared is empty: the demo moved money through every instrument.
assert progs["industrial"]["deployed"] != "0.00" and progs["incubation"]["projects"]
assert progs["pool"]["compensation_paid"] != "0.00" and progs["pool"]["banks"]
assert progs["leasing"]["projects"] and progs["awards"]["years"][0]["levels"]
assert len(audit["positions"]) == 4 and len(sums) == 1

print("reports equal")
PY

# The "not equity" rows: `positions` (table) and the audit's text alike.
cf city positions | sed -n '/^not equity/,$p' | tail -n +3 >"$T/cli-not-equity.txt"
"$COFUND_AUDIT" "$T/demo.bundle" | sed -n '/^== not equity/,/^$/p' | sed '1,2d;/^$/d' \
    >"$T/audit-not-equity.txt"
[ "$(wc -l <"$T/cli-not-equity.txt")" -eq 2 ] || fail "not equity: $(cat "$T/cli-not-equity.txt")"
# The same cells (each table's columns fit its own headings, which name the unit).
same_file <(tr -s ' ' <"$T/cli-not-equity.txt") <(tr -s ' ' <"$T/audit-not-equity.txt") "not-equity tables"
echo ok
