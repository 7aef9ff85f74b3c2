#!/usr/bin/env bash
# subsidy.sh — certification and the subsidies resting on it end to end
# (docs/rules.md R-CERT, R-SUBSIDY, R-AWARD.5): the city certifies a
# demonstration project, a first-set robot's maker and a local machine maker;
# an award program that requires certification refuses an uncertified
# project; the fund subsidises a first-set robot's sale (the share exact to
# the fen, the unit cap, one subsidy per sale) and a local machine's lease
# (once per lease; a revoked certification one millisecond late); the share
# and the unit cap amended (R-AMEND) and applied from their date; every
# home shows the same figures and the audit replays them.
#
#   city    governance     fund    operates the awards and the subsidies
#   lessor  a leasing company
source "$(dirname "$0")/lib.sh"

HOMES=(city fund lessor)
network fund:fund lessor:lessor

cf city project add motors --name "Motors Co." >/dev/null || fail "project motors"
cf city project add machines --name "Machines Co." >/dev/null || fail "project machines"
cf city program add demo --preset award --requires demonstration >"$T/out" || fail "award program"
expect_in "$(cat "$T/out")" "requires a demonstration certification"
cf city program add first-set --preset first-set --annual-budget 1,000,000 >"$T/out" ||
    fail "first-set program"
expect_in "$(cat "$T/out")" "basis first-set; share 3:10 of the price, cap 5,000,000.00 per unit"
cf city program add local --kind subsidy --basis local --share 1:10 --recipient-cap 150,000 \
    >/dev/null || fail "local program"
cf city program add lease --kind leasing --operator lessor >/dev/null || fail "leasing program"
expect_exit 2 city program add bad --kind subsidy --share 1:10
expect_in "$OUT" "a subsidy program needs --basis"
expect_exit 2 city program add bad --kind subsidy --basis local --share 1:10 --level 100
expect_in "$OUT" "--level does not apply to a subsidy program"

# ---- certification ------------------------------------------------------------
cf city certify --kind demonstration --project robotics --year 2026 --batch 1 \
    --from 2026-01-01 >"$T/out" || fail "certify demonstration"
DEMO=$(awk '{print $2}' "$T/out" | tr -d :)
cf city certify --kind first-set --project robotics --product "Welding robot WR-1" \
    --price 1,000,000.01 --from 2026-01-01 >"$T/out" || fail "certify first-set"
ROBOT=$(awk '{print $2}' "$T/out" | tr -d :)
cf city certify --kind local --project machines --from 2026-01-01 >"$T/out" || fail "certify local"
LOCAL=$(awk '{print $2}' "$T/out" | tr -d :)
expect_exit 1 city certify --kind local --project machines --year 2026 --from 2026-01-01
expect_in "$OUT" "rejected by R-CERT.1: a local certification must not state a year"
expect_exit 1 fund certify --kind local --project robotics --from 2026-01-01
expect_in "$OUT" "rejected by R-ROLE"
cf city revoke "$LOCAL" --at 2026-09-01T00:00:00.000 >/dev/null || fail "revoke"
expect_exit 1 city revoke "$LOCAL" --at 2026-10-01
expect_in "$OUT" "rejected by R-CERT.2: certification $LOCAL is already revoked"
C=$(cf city certifications)
expect_in "$C" "first-set *robotics"
expect_in "$C" "Welding robot WR-1 at 1,000,000.01"
carry city fund lessor

# ---- an award refused to an uncertified project --------------------------------
expect_exit 1 fund award --program demo --project sensors --amount 100,000 --year 2026 \
    --time 2026-03-01
expect_in "$OUT" "rejected by R-AWARD.5: program demo requires certification: project sensors is not certified"
cf fund award --program demo --project robotics --amount 100,000 --year 2026 --time 2026-03-01 \
    >/dev/null || fail "award to a certified project"

# ---- a certified first-set robot sold and subsidised ----------------------------
# 3/10 of 1,000,000.01 is 300,000.003: at most 300,000.00.
expect_exit 1 fund subsidy --program first-set --project motors --certification "$ROBOT" \
    --sale INV-1 --price 1,000,000.01 --amount 300,000.01 --time 2026-03-02
expect_in "$OUT" "rejected by R-SUBSIDY.3: subsidy 300,000.01 is over program first-set's share 3/10 of the price 1,000,000.01: at most 300,000.00"
expect_exit 1 fund subsidy --program first-set --project motors --certification "$ROBOT" \
    --sale INV-1 --price 1,000,000.02 --time 2026-03-02
expect_in "$OUT" "rejected by R-SUBSIDY.4"
cf fund subsidy --program first-set --project motors --certification "$ROBOT" --sale INV-1 \
    --price 1,000,000.01 --time 2026-03-02 >"$T/out" || fail "first-set subsidy"
expect_in "$(cat "$T/out")" "3/10 × price 1,000,000.01 = 300,000.00 (rounded down to the fen"
expect_exit 1 fund subsidy --program first-set --project sensors --certification "$ROBOT" \
    --sale INV-1 --price 1,000,000 --time 2026-03-03
expect_in "$OUT" "rejected by R-SUBSIDY.8: sale INV-1 is already subsidised by program first-set"
expect_exit 1 fund subsidy --program first-set --project motors --certification "$LOCAL" \
    --sale INV-2 --price 1,000,000 --time 2026-03-03
expect_in "$OUT" "rejected by R-SUBSIDY.2"

# ---- a locally made machine leased and subsidised --------------------------------
cf lessor lease --program lease --project motors --equipment "CNC lathe (Machines Co.)" \
    --price 1,000,000 --down 200,000 --financing 600,000 --advance 200,000 \
    --time 2026-04-01 >/dev/null || fail "lease"
cf lessor lease --program lease --project motors --equipment "Press (Machines Co.)" \
    --price 800,000 --down 200,000 --financing 400,000 --advance 200,000 \
    --time 2026-09-01 >/dev/null || fail "second lease"
carry lessor fund
cf fund subsidy --program local --project motors --certification "$LOCAL" --lease lessor:0 \
    --time 2026-04-02 >"$T/out" || fail "lease subsidy"
expect_in "$(cat "$T/out")" "1/10 × price 1,000,000.00 = 100,000.00"
expect_exit 1 fund subsidy --program local --project motors --certification "$LOCAL" \
    --lease lessor:0 --time 2026-04-03
expect_in "$OUT" "rejected by R-SUBSIDY.8: lease lessor#0 is already subsidised by program local"
# The recipient cap: 100,000 of 150,000 used this year.
expect_exit 1 fund subsidy --program local --project motors --certification "$LOCAL" \
    --sale M-2 --price 500,000.10 --time 2026-05-01
expect_in "$OUT" "rejected by R-SUBSIDY.6: subsidy 50,000.01 would take project motors's subsidies from program local over 150,000.00 for 2026 (100,000.00 already)"
# Revoked from 2026-09-01T00:00: one millisecond late is refused.
expect_exit 1 fund subsidy --program local --project motors --certification "$LOCAL" \
    --lease lessor:1 --amount 10,000 --time 2026-09-01T00:00:00.000
expect_in "$OUT" "rejected by R-SUBSIDY.2: certification $LOCAL (machines) is not in force: it was revoked from"
cf fund subsidy --program local --project motors --certification "$LOCAL" --sale M-2 \
    --price 500,000 --time 2026-08-31T23:59:59.999 >/dev/null || fail "subsidy at the last ms"

# ---- the share amended (R-AMEND): 2:10 from 2026-10-01 ---------------------------------
cf city program amend local --from 2026-10-01 --share 2:10 >"$T/out" || fail "amend"
expect_in "$(cat "$T/out")" "share 2:10 of the price"
expect_exit 2 city program amend local --from 2026-10-01 --unit-cap 1 --project-cap 1
expect_in "$OUT" "one cap"
cf city program amend first-set --from 2026-10-01 --unit-cap 250,000 >"$T/out" || fail "amend cap"
expect_in "$(cat "$T/out")" "cap 250,000.00 per unit"
cf city certify --kind local --project machines --from 2026-09-01 >"$T/out" || fail "certify again"
LOCAL2=$(awk '{print $2}' "$T/out" | tr -d :)
carry city fund
cf fund subsidy --program local --project sensors --certification "$LOCAL2" --sale M-3 \
    --price 100,000 --time 2026-10-01 >"$T/out" || fail "subsidy under the amended share"
expect_in "$(cat "$T/out")" "2/10 × price 100,000.00 = 20,000.00"
expect_exit 1 fund subsidy --program first-set --project sensors --certification "$ROBOT" \
    --sale INV-9 --price 2,000,000.02 --units 2 --amount 500,000.01 --time 2026-10-02
expect_in "$OUT" "rejected by R-SUBSIDY.5: subsidy 500,000.01 is over program first-set's cap of 250,000.00 per unit × 2 units"

# ---- every home shows the same -----------------------------------------------------
carry fund city lessor
carry lessor city
for h in "${HOMES[@]}"; do
    mkdir -p "$T/show-$h"
    cf "$h" program status first-set --format json >"$T/show-$h/fs.json"
    cf "$h" program status local >"$T/show-$h/local.txt"
    cf "$h" certifications --format csv >"$T/show-$h/certs.csv"
    cf "$h" positions >"$T/show-$h/positions.txt"
    cf "$h" log --format json >/dev/null || fail "log at $h"
    cf "$h" verify >/dev/null || fail "verify at $h"
done
for h in fund lessor; do
    for f in "$T/show-city"/*; do same_file "$f" "$T/show-$h/${f##*/}" "${f##*/} at city and at $h"; done
done
expect_in "$(cat "$T/show-city/local.txt")" "150,000.00"
expect_in "$(cat "$T/show-city/fs.json")" '"paid": "300000.00"'
expect_in "$(cat "$T/show-city/positions.txt")" "SUBSIDIES"
L=$(cf city log fund)
expect_in "$L" "300,000.00  to motors (Motors Co.) by program first-set for sale INV-1 (1 unit at 1,000,000.01), certification $ROBOT"
expect_in "$L" "subsidy  *300,000.00"
expect_in "$(cf city log)" "machines (Machines Co.) certified a local equipment maker from"

# ---- the audit ----------------------------------------------------------------------
cf city export --out "$T/net.bundle" >/dev/null
A=$(cf city audit "$T/net.bundle") || fail "audit: $A"
expect_in "$A" "result: ok"
expect_in "$A" "program first-set (subsidy), operated by fund"
expect_in "$A" "program local (subsidy), operated by fund"
echo ok
