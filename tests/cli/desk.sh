#!/usr/bin/env bash
# desk.sh — the reports a fund manager expects (issue 15 part 1): projects,
# programs (terms in force, status), positions (invested, exited, net, by
# name, by round, what is not equity), register (every feed in time order,
# filtered), unmatched (what awaits a match, what each program can match);
# and machine formats that are machine-clean: JSON null where there is no
# value, CSV with the JSON's fields as columns and no placeholder. Every
# figure is computed here from the entries this test writes (the table
# ENTRIES below), not copied from the output.
source "$(dirname "$0")/lib.sh"

cf city init --name city >/dev/null
cf city network create --name "Desk town" --tz +08:00 >/dev/null
for spec in fund:fund inv:investor team:team; do
    cf "${spec%%:*}" init --name "${spec%%:*}" >/dev/null
    cf city member add --key "$(key_of "${spec%%:*}")" --role "${spec#*:}" --name "${spec%%:*}" >/dev/null
done
cf city program add industrial --preset industrial --operator fund --start 2026-01-01 >/dev/null
cf city program add incubation --preset incubation --operator fund --start 2026-01-01 >/dev/null
cf city program add awards --preset award --operator fund >/dev/null
cf city project add robotics --name "Robotics Co." >/dev/null
cf city project add sensors --name "Sensor Startup" --kind incubation >/dev/null
carry city fund inv team

# The entries, as this test knows them: feed index time type project round program amount.
ENTRIES="inv 0 2026-02-01 contribution robotics A industrial 500000
inv 1 2026-03-01 contribution robotics A industrial 300000
inv 2 2026-04-01 contribution robotics B - 200000
inv 3 2026-06-01 exit robotics - - 100000
inv 4 2026-06-05 contribution robotics A industrial 10000
inv 5 2026-06-06 reversal robotics - industrial 10000
team 0 2026-02-10 contribution sensors seed incubation 200000
team 1 2026-05-01 contribution sensors seed incubation 250000
fund 0 2026-02-20 match robotics A industrial 500000
fund 1 2026-02-25 match sensors seed incubation 200000
fund 2 2026-06-02 exit sensors - - 50000
fund 3 2026-06-10 award robotics - awards 100000"
cf inv contribute --project robotics --round A --amount 500,000 --program industrial --time 2026-02-01 >/dev/null
cf inv contribute --project robotics --round A --amount 300,000 --program industrial --time 2026-03-01 >/dev/null
cf inv contribute --project robotics --round B --amount 200,000 --time 2026-04-01 >/dev/null
cf team contribute --project sensors --round seed --amount 200,000 --program incubation --time 2026-02-10 >/dev/null
cf team contribute --project sensors --round seed --amount 250,000 --program incubation --time 2026-05-01 >/dev/null
carry inv fund
carry team fund
cf fund match --program industrial --project robotics --round A --cite inv:0=500,000 --time 2026-02-20 >/dev/null
cf fund match --program incubation --project sensors --round seed --cite team:0=200,000 --time 2026-02-25 >/dev/null
cf inv exit --project robotics --amount 100,000 --time 2026-06-01 >/dev/null
cf fund exit --project sensors --amount 50,000 --time 2026-06-02 >/dev/null
cf inv contribute --project robotics --round A --amount 10,000 --program industrial --time 2026-06-05 >/dev/null
cf inv reverse inv:4 --reason "typo" --time 2026-06-06 >/dev/null
cf fund award --program awards --project robotics --amount 100,000 --year 2026 --time 2026-06-10 >/dev/null
carry fund city inv team
carry inv city team
carry team city
# Governance, dated now: industrial's window becomes 60 days from 2026-07-01,
# incubation closes at the end of 2026-11-30.
cf city program amend industrial --from 2026-07-01 --window-days 60 >/dev/null
cf city program close incubation --at 2026-11-30 >/dev/null
echo "$ENTRIES" >"$T/entries"

# ---- machine formats: null, no placeholder, CSV columns = JSON fields ------------------
# json_csv NAME ARGS... — the query in both formats, checked alike: the CSV's
# header is the JSON rows' fields (objects flattened, "holder.name"), every
# CSV line has as many fields, no value is "-" or "none".
json_csv() {
    local name=$1
    shift
    cf city "$@" --format json >"$T/$name.json" || fail "$* --format json"
    cf city "$@" --format csv >"$T/$name.csv" || fail "$* --format csv"
    python3 - "$T/$name.json" "$T/$name.csv" "$*" <<'PY' || fail "$name: not machine-clean"
import csv, json, sys
rows = json.load(open(sys.argv[1]))
lines = list(csv.reader(open(sys.argv[2])))
what = sys.argv[3]
def flat(o, prefix=""):
    out = []
    for k, v in o.items():
        if isinstance(v, dict): out += flat(v, prefix + k + ".")
        else: out.append((prefix + k, v))
    return out
def clean(v):
    if isinstance(v, str): assert v not in ("-", "none", ""), (what, v)
    if isinstance(v, list):
        for x in v: clean(x)
for r in rows:
    for k, v in flat(r): clean(v)
head = lines[0]
assert all(len(l) == len(head) for l in lines), (what, [l for l in lines if len(l) != len(head)])
assert len(lines) == len(rows) + 1, (what, len(lines), len(rows))
for r, l in zip(rows, lines[1:]):
    f = flat(r)
    assert [k for k, _ in f] == head, (what, [k for k, _ in f], head)
    for (k, v), c in zip(f, l):
        assert c not in ("-", "none"), (what, k, c)
        want = "" if v is None else ("true" if v is True else "false" if v is False else
               ":".join(str(x) for x in v) if isinstance(v, list) else str(v))
        assert c == want, (what, k, c, want)
PY
}
json_csv projects projects
json_csv programs programs
json_csv programs_then programs --as-of 2026-06-30
json_csv positions positions
json_csv by_round positions --by-round
json_csv positions_may positions --as-of 2026-05-31
json_csv register register
json_csv register_r register --project robotics --from 2026-01-01 --to 2026-06-30
json_csv unmatched unmatched --at 2026-05-15
json_csv unmatched_late unmatched --at 2026-06-15
json_csv members members
json_csv log log inv
json_csv leases leases
# The nested reports: no placeholder either (JSON null, CSV empty).
for p in industrial incubation awards; do
    cf city program status "$p" --format json >"$T/status-$p.json"
    cf city program status "$p" --format csv >"$T/status-$p.csv"
done
python3 - "$T" <<'PY' || fail "program status: a placeholder"
import glob, json, sys
def walk(v, where):
    if isinstance(v, dict):
        for k, x in v.items(): walk(x, where + "." + k)
    elif isinstance(v, list):
        for i, x in enumerate(v): walk(x, "%s[%d]" % (where, i))
    else: assert v not in ("-", "none"), where
for f in glob.glob(sys.argv[1] + "/status-*.json"): walk(json.load(open(f)), f)
for f in glob.glob(sys.argv[1] + "/status-*.csv"):
    for line in open(f):
        assert "-" not in line.strip().split(",") and "none" not in line.strip().split(","), (f, line)
inc = json.load(open(sys.argv[1] + "/status-industrial.json"))
assert inc["project_cap"] is None and inc["annual_budget"] is None, inc
PY

# ---- the figures, computed here from ENTRIES ------------------------------------------
python3 - "$T" <<'PY' || fail "the desk's figures differ from the entries'"
import json, sys
from decimal import Decimal as D
t = sys.argv[1]
E = [l.split() for l in open(t + "/entries")]
E = [dict(feed=f, index=int(i), time=tm, type=ty, project=pj, round=rd, program=pg, amount=D(a))
     for f, i, tm, ty, pj, rd, pg, a in E]
reversed_ = {(e["feed"], 4) for e in E if e["type"] == "reversal"}
money = lambda d: "%.2f" % d
load = lambda n: json.load(open("%s/%s.json" % (t, n)))

def positions(upto):
    inv, ex, rounds = {}, {}, {}
    for e in E:
        if e["time"] > upto or (e["feed"], e["index"]) in reversed_: continue
        k = (e["project"], e["feed"])
        if e["type"] in ("contribution", "match"):
            inv[k] = inv.get(k, 0) + e["amount"]
            r = (e["project"], e["feed"], e["round"])
            rounds[r] = rounds.get(r, 0) + e["amount"]
        elif e["type"] == "exit":
            ex[k] = ex.get(k, 0) + e["amount"]
    return inv, ex, rounds

for name, upto in (("positions", "9999"), ("positions_may", "2026-05-31")):
    inv, ex, _ = positions(upto)
    keys = sorted(set(inv) | set(ex))  # project, then holder name
    rows = [r for r in load(name) if r["kind"] == "equity"]
    assert [(r["project"], r["holder"]["name"]) for r in rows] == keys, (name, rows, keys)
    total = {p: sum(inv.get(k, 0) - ex.get(k, 0) for k in keys if k[0] == p) for p, _ in keys}
    for r in rows:
        k = (r["project"], r["holder"]["name"])
        net = inv.get(k, 0) - ex.get(k, 0)
        assert r["invested"] == money(inv.get(k, 0)) and r["exited"] == money(ex.get(k, 0)), (k, r)
        assert r["net"] == money(net) and r["project_total"] == money(total[k[0]]), (k, r)
        assert r["share"] == "%.4f" % (net / total[k[0]]), (k, r)
    # totals: a project's over its holders, a holder's over its projects (by name)
    tot = {r["project"]: r for r in load(name) if r["kind"] == "project_total"}
    assert sorted(tot) == sorted(total), (tot, total)
    for p in tot:
        ks = [k for k in keys if k[0] == p]
        assert tot[p]["invested"] == money(sum(inv.get(k, 0) for k in ks)), tot[p]
        assert tot[p]["exited"] == money(sum(ex.get(k, 0) for k in ks)), tot[p]
        assert tot[p]["net"] == money(total[p]) and tot[p]["holder"]["name"] is None, tot[p]
    hs = [r for r in load(name) if r["kind"] == "holder_total"]
    names = sorted({h for _, h in keys})
    assert [r["holder"]["name"] for r in hs] == names, hs
    for r in hs:
        ks = [k for k in keys if k[1] == r["holder"]["name"]]
        assert r["project"] is None and r["share"] is None, r
        assert r["invested"] == money(sum(inv.get(k, 0) for k in ks)), r
        assert r["net"] == money(sum(inv.get(k, 0) - ex.get(k, 0) for k in ks)), r
    other = [r for r in load(name) if r["kind"] == "not_equity"]
    awards = [e for e in E if e["type"] == "award" and e["time"] <= upto]
    assert len(other) == (1 if awards else 0), other
    if awards:
        assert other[0]["project"] == "robotics" and other[0]["awards"] == 1, other
        assert other[0]["awarded"] == money(awards[0]["amount"]) and other[0]["holder"]["name"] is None
        assert other[0]["net"] is None and other[0]["share"] is None, other

# by round: each round's investments, the exits on a row of their own (round null), last
inv, ex, rounds = positions("9999")
want = []
for (p, h) in sorted(set(inv) | set(ex)):
    want += [(p, h, r, money(a), "0.00") for (pp, hh, r), a in sorted(rounds.items()) if (pp, hh) == (p, h)]
    if (p, h) in ex: want.append((p, h, None, "0.00", money(ex[(p, h)])))
got = [(r["project"], r["holder"]["name"], r["round"], r["invested"], r["exited"]) for r in load("by_round")]
assert got == want, (got, want)

# projects: holders with a position, and the sums of the positions
for p in load("projects"):
    ks = [k for k in set(inv) | set(ex) if k[0] == p["project"]]
    assert p["invested"] == money(sum(inv.get(k, 0) for k in ks)), p
    assert p["exited"] == money(sum(ex.get(k, 0) for k in ks)), p
    assert p["holders"] == sum(1 for k in ks if inv.get(k, 0) > ex.get(k, 0)), p
    assert p["kind"] == {"robotics": None, "sensors": "incubation"}[p["project"]], p

# programs: the terms in force and the status, now and as of 2026-06-30
now = {p["program"]: p for p in load("programs")}
then = {p["program"]: p for p in load("programs_then")}
assert now["industrial"]["window_days"] == 60 and now["industrial"]["amendments"] == 1, now
assert then["industrial"]["window_days"] == 90 and then["industrial"]["amendments"] == 0, then
assert now["industrial"]["ratio"] == [1, 1] and now["industrial"]["project_cap"] is None
assert now["incubation"]["project_cap"] == "300000.00" and now["incubation"]["annual_budget"] == "6000000.00"
assert now["incubation"]["status"] == "closed" and then["incubation"]["status"] == "closing", now
assert now["incubation"]["closed_at"] == "2026-11-30T23:59:59.999+08:00", now["incubation"]
assert now["awards"]["levels"] == ["100000.00", "500000.00"] and now["awards"]["ratio"] is None
assert now["industrial"]["status"] == "open" and now["industrial"]["closed_at"] is None

# register: every entry in time order; filtered by project and time
reg = load("register_r")
want = sorted((e["time"], e["feed"], e["index"]) for e in E if e["project"] == "robotics")
got = [(r["time"][:10], r["member"], r["index"]) for r in reg]
assert got == want, (got, want)
all_ = load("register")
assert [r["time"] for r in all_] == sorted(r["time"] for r in all_), "not in time order"
assert len(all_) >= len(E) and all(r["amount"] is None for r in all_ if r["type"] == "project")

# unmatched at 2026-05-15: inv#1 (window open), team#1; at 2026-06-15 inv#1's window has closed
u = {(r["program"], r["contributor"], r["index"]): r for r in load("unmatched")}
assert sorted(u) == [("incubation", "team", 1), ("industrial", "inv", 1)], sorted(u)
i = u[("industrial", "inv", 1)]
# holds 1,000,000 - 100,000 in robotics, 500,000 of it matched: 400,000 >= 300,000
assert i["awaiting"] == "300000.00" and i["matchable"] == "300000.00" and i["in_window"], i
assert i["window_closes"] == "2026-05-30T00:00:00.000+08:00" and i["cap_left"] is None, i
c = u[("incubation", "team", 1)]
assert c["awaiting"] == "250000.00" and c["matchable"] == "250000.00", c
assert c["cap_left"] == "100000.00" and c["budget_left"] == "5800000.00", c
late = {(r["program"], r["contributor"], r["index"]): r for r in load("unmatched_late")}
assert not late[("industrial", "inv", 1)]["in_window"] and late[("industrial", "inv", 1)]["matchable"] == "0.00"
print("figures equal")
PY

# ---- the tables ------------------------------------------------------------------------
P=$(cf city positions)
expect_in "$P" "^PROJECT  *HOLDER  *ROLE  *INVESTED (yuan)  *EXITED (yuan)  *NET (yuan)  *SHARE$"
expect_in "$P" "^robotics (Robotics Co.)  *inv  *investor  *1,000,000.00  *100,000.00  *900,000.00  *64.29%$"
expect_in "$P" "^sensors (Sensor Startup)  *fund  *fund  *200,000.00  *50,000.00  *150,000.00  *25.00%$"
expect_in "$(cf city positions --by-round)" "^robotics (Robotics Co.)  *(exits)  *inv  *0.00  *100,000.00  *-100,000.00$"
U=$(cf city unmatched --at 2026-05-15)
expect_in "$U" "^program incubation (ratio 1:1, window 90 days)$"
expect_in "$U" "the program can match 100,000.00 now (no more than each project's cap left, and the budget left for 2026, 5,800,000.00)"
expect_in "$(cf city unmatched --program incubation)" "closed (R-CLOSE), it matches nothing more"
expect_in "$(cf city unmatched --program incubation)" "the program can match 0.00 now"
R=$(cf city register --member inv --type exit)
expect_in "$R" "^inv#3  *2026-06-01 00:00 +08:00  *exit  *100,000.00  *from robotics (Robotics Co.)$"
[ "$(wc -l <<<"$R")" = 2 ] || fail "register --member inv --type exit: $R"
expect_in "$(cf city register --program incubation --to 2026-06-30)" "^team#1 "
expect_in "$(cf city programs)" "^industrial  *match  *fund  *open  .*window 60 days.*(amended)$"
expect_in "$(cf city projects)" "^sensors  *Sensor Startup  *incubation "

# ---- refusals ---------------------------------------------------------------------------
expect_exit 2 city register --type nosuch
expect_in "$OUT" "not an entry type"
expect_exit 3 city register --member nobody
expect_exit 3 city register --project nosuch
expect_exit 3 city unmatched --program nosuch
expect_exit 2 city unmatched --program awards # as `pool status` of another kind
expect_in "$OUT" "program awards is an award program, not a matching program"
expect_exit 2 city register --from someday
expect_exit 2 city programs --as-of tomorrow
echo ok
