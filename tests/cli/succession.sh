#!/usr/bin/env bash
# succession.sh — R-SUCCEED: the governance continues under a new key.
#
# The city's genesis names three recovery keys, any two of which may sign a
# succession. The city's home is copied and both copies register a project
# (a fork of the governance feed at G): no home can register anything more
# under the city's key. Two recovery holders sign a new key (closing the
# city's feed at G); one signature, or a stranger's, is refused. The new
# home continues the governance: it registers a project, inv contributes to
# it, the fund matches. Then the new key is stolen: the thief registers a
# project that the fund applies; the holders sign a third key closing the
# second before the thief's entry, and every home forgets it (a rebuild).
# Homes that learn it all in other orders agree, verify, and so does the
# offline audit.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

for r in r1 r2 r3; do cf "$r" init --name "$r" >/dev/null; done
NETWORK_ARGS="--recovery-key $(key_of r1) --recovery-key $(key_of r2) --recovery-key $(key_of r3)"
NETWORK_ARGS+=" --recovery-quorum 2"
network fund:fund inv:investor aud:auditor aud2:auditor
NET=$(cf city whoami | awk '$1 == "network" {print $2}')
CITY=$(key_of city)
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
carry inv fund
cf fund match --program industrial --project robotics --round A --auto 1,000,000 >/dev/null
carry fund inv aud

# ---- genesis: the recovery keys and their quorum --------------------------------
expect_in "$(cf aud show city:0)" "^body.quorum  *2$"
cf bad init --name bad >/dev/null
expect_exit 2 bad network create --name X --recovery-key "$(key_of r1)" --recovery-quorum 2
expect_in "$OUT" "recovery-quorum 2: expected 1 to 1"
expect_exit 2 bad network create --name X --recovery-key "$(key_of r1)"
expect_in "$OUT" "go together"
expect_exit 1 bad network create --name X --recovery-key "$(key_of bad)" --recovery-quorum 1
expect_in "$OUT" "R-SUCCEED.1: the governance key is one of its own recovery keys"

# ---- the governance feed forks at G ----------------------------------------------
G=$(feed_size city city)
cp -a "$T/city" "$T/city-copy"
cf city project add p3 --name "Project three" --kind equity >/dev/null
cf city-copy project add p4 --name "Project four" --kind equity >/dev/null
cf city export --out "$T/city-a.bundle" >/dev/null
cf city-copy export --out "$T/city-b.bundle" >/dev/null
cf aud import "$T/city-a.bundle" >/dev/null
expect_exit 1 aud import "$T/city-b.bundle"
expect_in "$(cf aud forks --format json)" "\"point\": $G"
cf aud export --out "$T/aud.bundle" >/dev/null

# ---- a new governance home, signed by a quorum ------------------------------------
cf gov2 init --name gov2 >/dev/null
expect_exit 1 gov2 join "$T/aud.bundle" # joins; the fork is reported
GOV2=$(key_of gov2)
sign() { # sign HOLDER KEY CLOSE [PREV]
    cf "$1" recovery sign --network "$NET" --prev "${4:-$CITY}" --key "$2" --close "$3" 2>/dev/null
}
S1=$(sign r1 "$GOV2" "$G")
S2=$(sign r2 "$GOV2" "$G")
SX=$(sign inv "$GOV2" "$G")  # not a recovery key
SW=$(sign r3 "$GOV2" "$((G + 1))") # signs another close
expect_exit 1 gov2 network succeed --close "$G" --sig "$S1"
expect_in "$OUT" "R-SUCCEED.2: 1 valid recovery signatures; the network's quorum is 2"
expect_exit 1 gov2 network succeed --close "$G" --sig "$S1" --sig "$SX"
expect_in "$OUT" "R-SUCCEED.2: signature [12] is not a valid signature of a recovery key"
expect_exit 1 gov2 network succeed --close "$G" --sig "$S1" --sig "$SW"
expect_in "$OUT" "R-SUCCEED.2"
expect_exit 2 gov2 network succeed --close "$G" --sig "$S1" --sig "$S1"
expect_exit 1 inv network succeed --close "$G" --sig "$S1" --sig "$S2"
expect_in "$OUT" "R-SUCCEED.1"
expect_exit 0 gov2 network succeed --close "$G" --sig "$S1" --sig "$S2" --dry-run
expect_exit 0 gov2 network succeed --close "$G" --sig "$S1" --sig "$S2"
expect_in "$OUT" "continues the governance from governance entry $G"
expect_exit 0 gov2 project add p5 --name "Project five" --kind equity
cf gov2 export --out "$T/gov2.bundle" >/dev/null
for h in fund inv aud; do cf "$h" import "$T/gov2.bundle" >/dev/null 2>&1 || true; done
expect_in "$(cf fund members --format csv)" "^city,"
expect_exit 0 inv contribute --project p5 --round A --amount 300,000 --program industrial
carry inv fund
expect_exit 0 fund match --program industrial --project p5 --round A --auto 300,000
expect_in "$(cf fund log "$CITY")" "not counted"
# The city's old key writes nothing that counts any more, once its home
# learns the succession.
cf city import "$T/gov2.bundle" >/dev/null 2>&1 || true
expect_exit 1 city project add p9 --name "Project nine" --kind equity
expect_in "$OUT" "R-KEY.2"

# ---- the new key is stolen: a third key, closing before the thief's entry ---------
carry fund gov2 aud
cp -a "$T/gov2" "$T/thief"
K=$(feed_size thief "$GOV2")
cf thief project add p7 --name "Project seven" --kind equity >/dev/null
cf thief export --out "$T/thief.bundle" >/dev/null
cf fund import "$T/thief.bundle" >/dev/null
expect_exit 0 inv import "$T/thief.bundle"
expect_exit 0 inv contribute --project p7 --round A --amount 100,000 --program industrial
cf gov3 init --name gov3 >/dev/null
cf fund export --out "$T/fund.bundle" >/dev/null
expect_exit 1 gov3 join "$T/fund.bundle"
GOV3=$(key_of gov3)
T1=$(sign r2 "$GOV3" "$K" "$GOV2")
T2=$(sign r3 "$GOV3" "$K" "$GOV2")
expect_exit 0 gov3 network succeed --close "$K" --sig "$T1" --sig "$T2"
expect_exit 0 gov3 project add p8 --name "Project eight" --kind equity
cf gov3 export --out "$T/gov3.bundle" >/dev/null
expect_exit 0 fund import "$T/gov3.bundle"
expect_exit 3 fund positions --project p7
expect_in "$OUT" "project p7 is not registered"
expect_in "$(cf fund log "$GOV2")" "not counted"
# inv's contribution to p7 (registered only by the thief) breaks R-REF now.
cf inv export --out "$T/inv.bundle" >/dev/null
expect_exit 1 fund import "$T/inv.bundle"
expect_in "$OUT" "R-REF"
expect_exit 0 fund positions --format csv

# ---- any order, verify and the audit agree ---------------------------------------------
cf fund export --out "$T/fund-final.bundle" >/dev/null
cf late init --name late >/dev/null
cf late join "$T/gov3.bundle" >/dev/null 2>&1 || true
for b in thief city-b fund-final gov2 city-a; do
    cf late import "$T/$b.bundle" >/dev/null 2>&1 || true
done
for b in gov2 city-a gov3 city-b thief; do
    cf aud2 import "$T/$b.bundle" >/dev/null 2>&1 || true
done
cf aud2 import "$T/fund-final.bundle" >/dev/null 2>&1 || true
for h in fund late aud2; do
    cf "$h" positions --format csv >"$T/$h.positions"
    cf "$h" program status industrial --format json >"$T/$h.status"
    out=$(cf "$h" verify) || fail "verify at $h: $out"
    expect_in "$out" "^ok: [1-9]"
done
expect_in "$(cat "$T/fund.positions")" "^equity,p5,inv,[0-9a-f]*,investor,300000.00,0.00,300000.00,"
for h in late aud2; do
    same_file "$T/fund.positions" "$T/$h.positions" "positions at $h"
    same_file "$T/fund.status" "$T/$h.status" "program status at $h"
done
expect_audit 1 "$T/fund-final.bundle"
expect_in "$OUT" "^deployed  *1,300,000.00$"
echo ok
