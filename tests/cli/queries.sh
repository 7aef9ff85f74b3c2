#!/usr/bin/env bash
# queries.sh — what users type: amounts in their three spellings, ISO 8601
# times, and every query's filters and formats. Entries carry explicit times
# (2025-2026, zone +08:00) so the as-of and per-year answers are fixed.
source "$(dirname "$0")/lib.sh"

cf city init --name city >/dev/null
cf city network create --name "Query town" --tz +08:00 >/dev/null
for spec in fund:fund inv:investor team:team; do
    cf "${spec%%:*}" init --name "${spec%%:*}" >/dev/null
    cf city member add --key "$(key_of "${spec%%:*}")" --role "${spec#*:}" --name "${spec%%:*}" >/dev/null
done
cf city program add industrial --preset industrial --operator fund --start 2025-01-01 >/dev/null
cf city program add incubation --preset incubation --operator fund --start 2025-01-01 >/dev/null
cf city project add robotics --name "Robotics Co." >/dev/null
cf city project add sensors --name "Sensor Startup" --kind incubation >/dev/null
carry city fund inv team

# ---- amounts ---------------------------------------------------------------
# Three spellings of 300,000 yuan, at three spellings of a time.
cf inv contribute --project robotics --round A --amount 300000 --program industrial --time 2025-03-01 >/dev/null
cf inv contribute --project robotics --round A --amount 300,000.00 --program industrial --time 2025-06-01T09:30 >/dev/null
cf team contribute --project sensors --round seed --amount 30万 --program incubation --time "2025-04-01 10:00:00+08:00" >/dev/null
for i in 0 1; do expect_in "$(cf inv show "inv:$i" --format json)" '"amount": "300000.00"'; done
expect_in "$(cf team show team:0 --format json)" '"amount": "300000.00"'
for bad in 0 0.00 1,00 -5 abc 1e5 3.001 "" 10,000,000,000,000.01 300,0000; do
    expect_exit 2 inv contribute --project robotics --round A --amount "$bad"
    expect_in "$OUT" "amount\|\"$bad\""
done
[ "$(feed_size inv inv)" = 2 ] || fail "a refused amount was appended"

# ---- times -------------------------------------------------------------------
expect_exit 2 inv contribute --project robotics --round A --amount 1 --time 2025-02-30
expect_in "$OUT" "February 2025 has 28 days"
expect_exit 2 inv contribute --project robotics --round A --amount 1 --time yesterday
expect_exit 2 inv contribute --project robotics --round A --amount 1 --time 9999-01-01 # local check
expect_in "$OUT" "^cofund contribute: --time 9999-01-01T00:00:00.000+08:00 is more than 5 minutes ahead of this machine's clock (a local check, not a network rule"
expect_exit 1 inv contribute --project robotics --round A --amount 1 --time 2025-05-31 # R-TIME
expect_in "$OUT" "R-TIME"
cf inv contribute --project robotics --round B --amount 1,000,000 --program industrial --time 2026-02-01T04:00:00Z >/dev/null
expect_in "$(cf inv show inv:2 --format json)" '"time": "2026-02-01T12:00:00.000+08:00"'
expect_in "$(cf inv show inv:0 --format json)" '"time": "2025-03-01T00:00:00.000+08:00"'

carry inv fund
carry team fund
cf fund match --program industrial --project robotics --round A --cite inv:0=300000 --time 2025-03-15 >/dev/null
cf fund match --program incubation --project sensors --round seed --auto 300000 --time "2025-04-10T10:00:00+08:00" >/dev/null
cf fund match --program industrial --project robotics --round B --auto 1000000 --time "2026-02-15 08:00" >/dev/null
carry fund city inv team
carry inv city team
carry team city inv

# ---- positions: as of, holder, project, formats -----------------------------
for f in table csv json; do cf city positions --format "$f" >"$T/pos.$f"; done
POS_HEAD="kind,project,holder.name,holder.key,holder.role,invested,exited,net,project_total,share,disputed,awards,awarded,leases,equipment_price,lessor_financed,loans,lent,repaid,losses,subsidies,subsidised"
head -1 "$T/pos.csv" | grep -qx "$POS_HEAD" || fail "positions csv header: $(head -1 "$T/pos.csv")"
# pos CSV PROJECT HOLDER ROLE NET [SHARE]: the holder's equity row (no exits here:
# invested = net, exited 0)
pos() {
    local re="^equity,$2,$3,[0-9a-f]\{64\},$4,$5,0.00,$5,[0-9.]*,${6:-[0-9.]*},0.00,,,,,,,,,,,$"
    expect_in "$1" "$re"
}
pos "$(cat "$T/pos.csv")" robotics inv investor 1600000.00
pos "$(cat "$T/pos.csv")" robotics fund fund 1300000.00
pos "$(cat "$T/pos.csv")" sensors team team 300000.00 0.5000
expect_in "$(cat "$T/pos.table")" "1,600,000.00"
[ "$(cf city positions --as-of 2025-02-28 --format csv)" = "$POS_HEAD" ] ||
    fail "positions before any entry"
expect_in "$(cf city positions --as-of 2025-02-28)" "(no positions)"
[ "$(cf city positions --as-of 2025-02-28 --format json | tr -d ' \n')" = "[]" ] || fail "json before any entry"
A=$(cf city positions --as-of 2025-03-01 --format csv) # a bare date: the end of that day
pos "$A" robotics inv investor 300000.00 1.0000
[ "$(grep -c '^equity,' <<<"$A")" = 1 ] || fail "as of 2025-03-01: $A"
# robotics' total and inv's: the one position's figures
expect_in "$A" "^project_total,robotics,,,,300000.00,0.00,300000.00,300000.00,1.0000,0.00,"
expect_in "$A" "^holder_total,,inv,[0-9a-f]*,investor,300000.00,0.00,300000.00,,,0.00,"
A=$(cf city positions --as-of "2025-03-14T23:59:59.999+08:00" --format csv) # just before the match
grep -q "^equity,robotics,fund" <<<"$A" && fail "the match of 2025-03-15 counted before it happened: $A"
A=$(cf city positions --as-of "2025-03-14T16:00:00Z" --format csv) # the very ms of the match
pos "$A" robotics fund fund 300000.00
A=$(cf city positions --as-of "2025-12-31T23:59" --format csv)
pos "$A" robotics inv investor 600000.00
pos "$A" robotics fund fund 300000.00
[ "$(cf city positions --as-of 2027-01-01 --format csv)" = "$(cat "$T/pos.csv")" ] || fail "as of the future"
H1=$(cf city positions --holder inv --format csv)
H2=$(cf city positions --holder "$(key_of inv)" --format csv)
[ "$H1" = "$H2" ] || fail "--holder by name and by key differ: $H1 / $H2"
[ "$(grep -c '^equity,robotics,inv,' <<<"$H1")" = 1 ] && [ "$(grep -c '^equity,' <<<"$H1")" = 1 ] ||
    fail "--holder inv: $H1"
grep -q '^project_total,' <<<"$H1" && fail "--holder inv lists a project's total: $H1"
expect_in "$H1" "^holder_total,,inv,[0-9a-f]*,investor,1600000.00,0.00,1600000.00,"
P=$(cf city positions --project sensors --format csv)
[ "$(grep -c '^equity,' <<<"$P")" = 2 ] && ! grep -q '^[a-z_]*,robotics' <<<"$P" || fail "--project sensors: $P"
# the fund's total: 1,300,000 in robotics + 300,000 in sensors
expect_in "$(cat "$T/pos.csv")" "^holder_total,,fund,[0-9a-f]*,fund,1600000.00,0.00,1600000.00,,,0.00,"
expect_exit 3 city positions --holder nobody
expect_in "$OUT" 'no member named "nobody"'
expect_exit 2 city positions --as-of tomorrow
expect_exit 2 city positions --format xml
expect_exit 2 city positions --project "no such/project"
expect_exit 3 city positions --project nosuch
expect_in "$OUT" "project nosuch is not registered"

# ---- program status: years, formats ---------------------------------------------
S=$(cf city program status industrial --format json)
expect_in "$S" '"deployed": "1300000.00"'
Y=$(cf city program status industrial --year 2025 --format json)
expect_in "$Y" '"year": 2025'
grep -q '"year": 2026' <<<"$Y" && fail "--year 2025 shows 2026: $Y"
expect_in "$(cf city program status industrial --year 2026 --format csv)" "^year,2026,1000000.00,"
expect_in "$(cf city program status industrial --as-of 2025-12-31 --format json)" '"deployed": "300000.00"'
I=$(cf city program status incubation --format csv)
head -1 <<<"$I" | grep -qx "scope,key,deployed,limit,used,left,exited,outstanding,counterpart,leverage" || fail "status csv header: $I"
expect_in "$I" "^project,sensors,300000.00,300000.00,"
expect_in "$(cf city program status incubation)" "6,000,000.00"
expect_exit 2 city program status industrial --year 1969
expect_exit 2 city program status industrial --year twenty
expect_exit 3 city program status nosuch
expect_in "$OUT" "not registered"

# ---- show, log ------------------------------------------------------------------
cf city show fund:0 --format json >"$T/show.json"
expect_in "$(cat "$T/show.json")" '"type": "match"'
expect_in "$(cat "$T/show.json")" '"leaf": "'
expect_in "$(cf city show fund:0)" "match 300,000.00 by program industrial"
expect_exit 2 city show fund:0 --format csv
expect_exit 3 city show fund:99
expect_in "$OUT" "no such entry"
expect_exit 2 city show fund
for f in city fund inv team; do
    cf city log "$f" --format json >"$T/log.$f.json"
    cf city log "$f" --format csv >"$T/log.$f.csv"
    head -1 "$T/log.$f.csv" | grep -qx "time,member,feed,index,type,amount,project,program,summary,applied,disputed,note,leaf" ||
        fail "log csv header"
done
[ "$(feed_size city fund)" = 3 ] || fail "fund's log"
expect_in "$(cf city log fund)" "  match  *1,000,000.00  by program industrial"
expect_in "$(cf inv log)" "contribution  *1,000,000.00" # no FEED: this home's own
expect_exit 3 city log nobody
expect_exit 2 city log inv fund

# ---- every json answer parses -----------------------------------------------------
cf city members --format json >"$T/members.json"
cf city forks --format json >"$T/forks.json"
cf city violations --format json >"$T/violations.json"
echo "$S" >"$T/status.json"
if command -v python3 >/dev/null; then
    python3 -c 'import json, sys
for f in sys.argv[1:]:
    json.load(open(f))' "$T"/*.json "$T/pos.json" || fail "a json answer does not parse"
    for f in "$T/pos.json" "$T/show.json"; do python3 -m json.tool "$f" >/dev/null || fail "$f"; done
fi

# ---- proofs -------------------------------------------------------------------------
expect_exit 3 city proof inclusion inv:3
expect_in "$OUT" "the latest checkpoint covers 3 entries"
expect_exit 3 city proof inclusion nobody:0
expect_exit 2 city proof inclusion inv
expect_exit 2 city proof inclusion inv:x
expect_exit 3 city proof consistency inv 1 4
expect_in "$OUT" "covers 3 entries"
expect_exit 2 city proof consistency inv 0 2
expect_exit 2 city proof consistency inv 3 2
expect_exit 2 city proof consistency inv one 2
expect_exit 2 city proof
cf city proof inclusion inv:2 >/dev/null
cf city proof consistency inv 1 3 >/dev/null
cf nobody-home init --name loner >/dev/null
expect_exit 3 nobody-home checkpoint
expect_exit 3 nobody-home positions
expect_in "$OUT" "not joined a network"
echo ok
