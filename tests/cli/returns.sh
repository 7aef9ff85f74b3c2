#!/usr/bin/env bash
# returns.sh — exits with proceeds, valuation marks (R-MARK) and `cofund
# returns`: paid in, distributed, residual value, MOIC and IRR per holder and
# per program, checked against figures a Python computation derives on its
# own from the story below (docs/rules.md "Returns": the formulas, XIRR by
# its own bisection). Entries carry explicit times (zone +08:00).
source "$(dirname "$0")/lib.sh"

cf city init --name city >/dev/null
cf city network create --name "Returns town" --tz +08:00 >/dev/null
for spec in fund:fund inv:investor inv2:investor inv3:investor team:team; do
    cf "${spec%%:*}" init --name "${spec%%:*}" >/dev/null
    cf city member add --key "$(key_of "${spec%%:*}")" --role "${spec#*:}" --name "${spec%%:*}" >/dev/null
done
cf city program add seed --preset industrial --operator fund --start 2025-01-01 >/dev/null
cf city program add growth --preset industrial --operator fund --start 2025-01-01 >/dev/null
cf city program add pool --preset pool --operator fund >/dev/null
cf city project add robotics --name "Robotics Co." >/dev/null
cf city project add sensors --name "Sensor Startup" >/dev/null
cf city project add drones --name "Drone Works" >/dev/null
carry city fund inv inv2 inv3 team

# ---- the story -----------------------------------------------------------------
cf inv contribute --project robotics --round A --amount 1,000,000 --program seed --time 2025-01-01 >/dev/null
cf inv3 contribute --project robotics --round A --amount 500,000 --program growth --time 2025-02-01 >/dev/null
cf inv2 contribute --project sensors --round seed --amount 200,000 --program growth --time 2025-03-01 >/dev/null
cf inv contribute --project sensors --round seed --amount 300,000 --time 2025-07-01 >/dev/null
carry inv fund
carry inv2 fund
carry inv3 fund
cf fund match --program seed --project robotics --round A --cite inv:0=1000000 --time 2025-02-10 >/dev/null
cf fund match --program growth --project robotics --round A --cite inv3:0=500000 --time 2025-02-15 >/dev/null
cf fund match --program growth --project sensors --round seed --cite inv2:0=200000 --time 2025-03-10 >/dev/null

# R-MARK: a fund marks only a project it holds; an investor writes no mark (R-ROLE).
expect_exit 1 fund valuation --project drones --value 1,000,000 --time 2025-12-01
expect_in "$OUT" "R-MARK"
expect_in "$OUT" "fund holds no position in project drones"
expect_exit 1 inv valuation --project robotics --value 1,000,000 --time 2025-12-01
expect_in "$OUT" "R-ROLE"
expect_exit 3 fund valuation --project nowhere --value 1 --time 2025-12-01
expect_exit 2 fund valuation --project robotics --value -5 --time 2025-12-01
cf fund valuation --project robotics --value 4,500,000 --time 2026-01-01 >/dev/null
cf fund valuation --project sensors --value 0 --time 2026-01-02 >/dev/null # written off
expect_in "$(cf fund show fund:3 --format json)" '"value": "4500000.00"'
expect_in "$(cf fund log fund)" "valuation .* of sensors (Sensor Startup) at 0.00"
# A mark is never reversed: a later mark corrects it (R-REVERSE.1).
expect_exit 1 fund reverse fund:4 --reason "typo"
expect_in "$OUT" "R-REVERSE.1"
expect_in "$OUT" "fund#4 is a valuation mark: a mark is not reversed (a later mark corrects it)"

carry fund inv
cf inv exit --project robotics --amount 400,000 --proceeds 700,000 --time 2026-06-30 >/dev/null
expect_in "$(cf inv show inv:2 --format json)" '"proceeds": "700000.00"'
expect_in "$(cf inv log inv)" "exit .* from robotics (Robotics Co.), proceeds 700,000.00"
cf fund exit --project robotics --amount 300,000 --proceeds 600,000 --time 2026-09-30 >/dev/null
# An exit without proceeds distributes its amount; reversed, it counts nowhere.
cf inv3 exit --project robotics --amount 100,000 --time 2026-10-01 >/dev/null
cf inv3 reverse inv3:1 --reason "entered twice" --time 2026-10-02 >/dev/null
cf inv3 exit --project robotics --amount 100,000 --proceeds 0 --time 2026-10-03 >/dev/null
for who in inv inv2 inv3; do carry "$who" city; done
carry fund city

# ---- the report ------------------------------------------------------------------
AS_OF=2026-12-31
cf city returns --as-of "$AS_OF" --format json >"$T/returns.json"
cf city returns --as-of "$AS_OF" --format csv >"$T/returns.csv"
cf city returns --as-of "$AS_OF" >"$T/returns.txt"
cf city returns --as-of 2025-12-31 --format json >"$T/before.json"
cf city returns --holder team --as-of "$AS_OF" --format json >"$T/team.json"
cf city returns --program growth --as-of "$AS_OF" --format json >"$T/growth.json"
head -1 "$T/returns.csv" | grep -qx "kind,holder,program,paid_in,distributed,residual,total_value,moic,irr,flows,valued_at" \
    || fail "returns csv header: $(head -1 "$T/returns.csv")"
expect_in "$(cat "$T/returns.txt")" "^KIND  *NAME  *PAID IN (yuan)"
expect_in "$(cat "$T/returns.txt")" "^holder  *inv2 .* 0.00x  *none$"
expect_in "$(cat "$T/returns.txt")" "^program  *seed "

python3 - "$T" <<'PY' || fail "returns differ from the independent computation"
import csv, json, sys
from datetime import datetime, timedelta, timezone

T = sys.argv[1]
Z = timezone(timedelta(hours=8))
def t(s, end=False):
    d = datetime.fromisoformat(s).replace(tzinfo=Z)
    if end:
        d += timedelta(days=1, milliseconds=-1)
    return int(d.timestamp() * 1000)
Y = 100  # fen per yuan

# The story, as (holder, project, program, kind, time, cost, proceeds) in fen.
E = [
    ("inv", "robotics", None, "in", t("2025-01-01"), 1_000_000 * Y, 0),
    ("inv3", "robotics", None, "in", t("2025-02-01"), 500_000 * Y, 0),
    ("inv2", "sensors", None, "in", t("2025-03-01"), 200_000 * Y, 0),
    ("inv", "sensors", None, "in", t("2025-07-01"), 300_000 * Y, 0),
    ("fund", "robotics", "seed", "in", t("2025-02-10"), 1_000_000 * Y, 0),
    ("fund", "robotics", "growth", "in", t("2025-02-15"), 500_000 * Y, 0),
    ("fund", "sensors", "growth", "in", t("2025-03-10"), 200_000 * Y, 0),
    ("inv", "robotics", None, "out", t("2026-06-30"), 400_000 * Y, 700_000 * Y),
    ("fund", "robotics", None, "out", t("2026-09-30"), 300_000 * Y, 600_000 * Y),
    ("inv3", "robotics", None, "out", t("2026-10-03"), 100_000 * Y, 0),
]
MARKS = [("robotics", t("2026-01-01"), 4_500_000 * Y), ("sensors", t("2026-01-02"), 0)]

def xirr(flows):
    """The rate r with sum(a / (1 + r) ** (days / 365)) = 0, by bisection."""
    if not any(a < 0 for _, a in flows) or not any(a > 0 for _, a in flows):
        return None
    t0 = min(x for x, _ in flows)
    def npv(r):
        return sum(a / 100 / (1 + r) ** ((x - t0) / 86_400_000 / 365) for x, a in flows)
    lo, hi = -0.999999, 1e6
    if (npv(lo) > 0) == (npv(hi) > 0):
        return None
    for _ in range(300):
        mid = (lo + hi) / 2
        if (npv(mid) > 0) == (npv(lo) > 0):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2

def expected(as_of):
    ev = [e for e in E if e[4] <= as_of]
    signed = lambda e: e[5] if e[3] == "in" else -e[5]
    res = {}
    for p in {e[1] for e in ev}:
        pe = [e for e in ev if e[1] == p]
        total = sum(signed(e) for e in pe)
        marks = [m for m in MARKS if m[0] == p and m[1] <= as_of]
        if marks:
            _, tm, v = max(marks, key=lambda m: m[1])
            value = max(0, v + sum(signed(e) for e in pe if e[4] > tm))
        else:
            value = total
        for h in {e[0] for e in pe}:
            pos = sum(signed(e) for e in pe if e[0] == h)
            if pos > 0 and total > 0:
                res[(h, p)] = value * pos // total
    rows = {}
    for h in sorted({e[0] for e in ev}):
        he = [e for e in ev if e[0] == h]
        paid = sum(e[5] for e in he if e[3] == "in")
        dist = sum(e[6] for e in he if e[3] == "out")
        r = sum(v for (x, _), v in res.items() if x == h)
        flows = [(e[4], -e[5] if e[3] == "in" else e[6]) for e in he]
        rows[("holder", h)] = (paid, dist, r, flows)
    for pg in ("seed", "growth"):
        dep = lambda p, g=None: sum(e[5] for e in ev if e[0] == "fund" and e[1] == p and e[2] and (g is None or e[2] == g))
        paid = sum(e[5] for e in ev if e[2] == pg)
        flows = [(e[4], -e[5]) for e in ev if e[2] == pg]
        dist = 0
        for e in ev:
            if e[0] == "fund" and e[3] == "out" and dep(e[1], pg) > 0:
                part = e[6] * dep(e[1], pg) // dep(e[1])
                dist += part
                flows.append((e[4], part))
        r = sum(v * dep(p, pg) // dep(p) for (x, p), v in res.items() if x == "fund" and dep(p, pg) > 0)
        rows[("program", pg)] = (paid, dist, r, flows)
    out = {}
    for k, (paid, dist, r, flows) in rows.items():
        flows = [f for f in flows if f[1] != 0] + ([(as_of, r)] if r else [])
        moic = (dist + r) / paid if paid > 0 else None
        out[k] = (paid, dist, r, moic, xirr(flows), len(flows))
    return out

def fen(s):
    return round(float(s) * 100)

def check(path, as_of, keys=None):
    got = json.load(open(f"{T}/{path}"))
    want = expected(as_of)
    if keys is not None:
        want = {k: want.get(k, (0, 0, 0, None, None, 0)) for k in keys}
    seen = set()
    for row in got:
        k = (row["kind"], row["holder"] if row["kind"] == "holder" else row["program"])
        seen.add(k)
        paid, dist, r, moic, irr, n = want[k]
        assert fen(row["paid_in"]) == paid, (k, row, paid)
        assert fen(row["distributed"]) == dist, (k, row, dist)
        assert fen(row["residual"]) == r, (k, row, r)
        assert fen(row["total_value"]) == dist + r, (k, row)
        assert row["flows"] == n, (k, row, n)
        if moic is None:
            assert row["moic"] is None, (k, row)
        else:
            assert abs(float(row["moic"]) - moic) < 1e-4, (k, row, moic)
        if irr is None:
            assert row["irr"] is None, (k, row)
        else:
            assert abs(float(row["irr"]) - irr) < 1e-6, (k, row, irr)
    assert seen == set(want), (path, seen, set(want))
    return want

w = check("returns.json", t("2026-12-31", end=True))
# The cases the story is there for: several flows and a defined IRR; a
# written-off holding (no sign change: IRR undefined, MOIC 0); the two
# programs splitting the fund's exit pro rata.
assert w[("holder", "inv")][5] == 4 and w[("holder", "inv")][4] is not None
assert w[("holder", "inv2")][4] is None and w[("holder", "inv2")][3] == 0
assert w[("program", "seed")][1] == 400_000 * Y and w[("program", "growth")][1] == 200_000 * Y
# Before any mark: cost, MOIC 1, IRR 0.
b = check("before.json", t("2025-12-31", end=True))
assert all(abs(v[3] - 1) < 1e-12 for v in b.values()), b
check("team.json", t("2026-12-31", end=True), keys=[("holder", "team")])
check("growth.json", t("2026-12-31", end=True), keys=[("program", "growth")])
rows = list(csv.DictReader(open(f"{T}/returns.csv")))
js = json.load(open(f"{T}/returns.json"))
assert len(rows) == len(js)
for c, j in zip(rows, js):
    for k, v in j.items():
        assert c[k] == ("" if v is None else str(v)), (k, c[k], v)
PY

# Filters that name nothing, or a program that is not a matching one.
expect_exit 3 city returns --program nowhere
expect_exit 3 city returns --program pool
expect_in "$OUT" "program pool is not a matching program"
expect_exit 3 city returns --holder nobody
# The audit replays marks and proceeds (the rules run there too).
cf city export --out "$T/all.bundle" >/dev/null
"$COFUND_AUDIT" "$T/all.bundle" >"$T/audit.txt" \
    || fail "the audit refused the story: $(cat "$T/audit.txt")"
expect_in "$(cat "$T/audit.txt")" "^== returns"
expect_in "$(cat "$T/audit.txt")" "^holder   inv2 .* 0.00x      none$"
# The audit's returns are the home's (valued at the last flow: 2026-10-03).
"$COFUND_AUDIT" "$T/all.bundle" --format json >"$T/audit.json"
cf city returns --as-of 2026-10-03T00:00 --format json >"$T/last.json"
python3 - "$T" <<'PY' || fail "the audit's returns differ from the home's"
import json, sys
T = sys.argv[1]
audit = json.load(open(f"{T}/audit.json"))["returns"]
home = json.load(open(f"{T}/last.json"))
assert audit == home, (audit, home)
PY
# ---- docs/rules.md's worked example, figure for figure ------------------------------
cf wcity init --name wcity >/dev/null
cf wcity network create --name "Worked example" --tz +08:00 >/dev/null
for spec in wfund:fund wa:investor; do
    cf "${spec%%:*}" init --name "${spec%%:*}" >/dev/null
    cf wcity member add --key "$(key_of "${spec%%:*}")" --role "${spec#*:}" --name "${spec%%:*}" >/dev/null
done
cf wcity program add seed --preset industrial --operator wfund --start 2025-01-01 >/dev/null
cf wcity project add robotics --name "Robotics Co." >/dev/null
carry wcity wfund wa
cf wa contribute --project robotics --round A --amount 1,000,000 --program seed --time 2025-01-01 >/dev/null
carry wa wfund
cf wfund match --program seed --project robotics --round A --cite wa:0=1000000 --time 2025-01-01 >/dev/null
cf wfund valuation --project robotics --value 3,000,000 --time 2025-12-31 >/dev/null
carry wfund wa
cf wa exit --project robotics --amount 400,000 --proceeds 700,000 --time 2026-07-01 >/dev/null
carry wa wcity
carry wfund wcity
W=$(cf wcity returns --as-of 2026-12-31)
expect_in "$W" "^holder  *wa  *1,000,000.00  *700,000.00  *975,000.00  *1.68x  *33.61%$"
expect_in "$W" "^holder  *wfund  *1,000,000.00  *0.00  *1,625,000.00  *1.62x  *27.48%$"
expect_in "$W" "^program  *seed  *1,000,000.00  *0.00  *1,625,000.00  *1.62x  *27.48%$"
expect_in "$(cf wcity returns --holder wa --as-of 2026-12-31 --format csv)" ",1.6750,0.336070,3,"
echo "ok"
