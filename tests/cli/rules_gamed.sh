#!/usr/bin/env bash
# rules_gamed.sh — issue 12's "rules that can be gamed", end to end through
# the CLI, each member in its own home: a default whose share rounds down to
# nothing still settles (the pool's capacity is not locked for ever), a loan
# guaranteed after its default is owed nothing, a feed's volume is bounded
# (so no total a query sums can leave int64) — refused at the author's
# append, and caught at the city's import and by the audit when a dishonest
# node signs it anyway — and evidence naming a rule that does not exist
# proves nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

network fund:fund bank-a:bank inv:investor inv2:investor
cf city program add pool --preset pool --operator fund >/dev/null || fail "pool program"
carry city fund bank-a inv inv2

# ---- a default with nothing due settles (item 9) ------------------------------
cf fund deposit --program pool --amount 1,000,000 >/dev/null || fail "deposit"
cf bank-a loan --program pool --project robotics --amount 10,000,000 --term-months 36 >/dev/null ||
    fail "loan"
carry bank-a fund
cf fund guarantee --program pool --loan bank-a:0 >/dev/null || fail "guarantee at exactly 10x"
cf bank-a default --loan 0 --loss 0.01 >/dev/null || fail "default"
carry bank-a fund
expect_exit 1 fund withdraw --program pool --amount 0.01
expect_in "$OUT" "rejected by R-POOL.2"
cf fund compensate --program pool --default bank-a:1 >"$T/out" || fail "compensation of 0.00: $(cat "$T/out")"
expect_in "$(cat "$T/out")" "compensation due: 0.00: 7/10 × loss 0.01 = 0.00 (rounded down to the fen)"
S=$(cf fund pool status pool --format json)
expect_in "$S" '"outstanding": "0.00"'
expect_in "$S" '"headroom": "10000000.00"'
cf fund withdraw --program pool --amount 1,000,000 >/dev/null || fail "withdrawal after the settlement"

# ---- a guarantee after the default is owed nothing (item 10) -------------------
cf fund deposit --program pool --amount 1,000,000 >/dev/null || fail "deposit"
cf bank-a loan --program pool --project sensors --amount 1,000,000 --term-months 12 >/dev/null ||
    fail "loan"
cf bank-a default --loan 2 --loss 1,000,000 >/dev/null || fail "default"
carry bank-a fund
cf fund guarantee --program pool --loan bank-a:2 >/dev/null || fail "guarantee after the default"
expect_exit 1 fund compensate --program pool --default bank-a:3 --amount 700,000
expect_in "$OUT" "rejected by R-POOL.9: compensation 700,000.00 for default bank-a#3 is not 0.00: the loan was guaranteed (fund#"
cf fund compensate --program pool --default bank-a:3 >"$T/out" || fail "settlement: $(cat "$T/out")"
expect_in "$(cat "$T/out")" "compensation due: 0.00: the loan was guaranteed"
S=$(cf fund pool status pool --format json)
expect_in "$S" '"compensation_paid": "0.00"'
expect_in "$S" '"outstanding": "0.00"'
expect_in "$S" '"balance": "1000000.00"'

# ---- a feed's volume is bounded (item 11) ---------------------------------------
# Two contributions of 10^15 fen fill inv's volume; the issue's 9,223 are
# refused from the third on, at the author's own append.
forge batch "$T/inv" 2 contribution --project robotics --round A \
    --amount-fen 1000000000000000 >/dev/null || fail "two contributions of 10^15 fen"
rc=0
OUT=$(forge batch "$T/inv" 9221 contribution --project robotics --round A \
    --amount-fen 1000000000000000 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "a third contribution of 10^15 fen was appended: $OUT"
expect_in "$OUT" "would take inv's volume (the amounts of its entries, 20,000,000,000,000.00 so far) over the limit"
[ "$(feed_size inv inv)" -eq 2 ] || fail "inv's feed holds $(feed_size inv inv) entries"
cf inv2 contribute --project robotics --round A --amount 10,000,000,000,000 --yes >/dev/null ||
    fail "inv2's contribution"
# A dishonest node signs the third anyway: the city refuses it (a violation
# kept as evidence) and every figure still computes.
forge encode "$T/inv" contribution "$T/third.cbor" --project robotics --round A \
    --amount-fen 1000000000000000 || fail "forge encode"
forge append "$T/inv" "$T/third.cbor" >/dev/null || fail "forge append"
cf inv export --out "$T/inv.bundle" >/dev/null
expect_exit 1 city import "$T/inv.bundle"
carry inv2 city
carry fund city
carry bank-a city
cf city positions >"$T/positions" || fail "positions: $(cat "$T/positions")"
expect_in "$(cat "$T/positions")" "inv  *investor  *20,000,000,000,000.00  *0.00  *20,000,000,000,000.00  *66.67%"
cf city violations >"$T/violations"
expect_in "$(cat "$T/violations")" "R-VOLUME"
cf city export --out "$T/net.bundle" >/dev/null
expect_audit 1 "$T/net.bundle"
expect_in "$OUT" "^VIOLATION inv#2 rejected by R-VOLUME: contribution of 10,000,000,000,000.00 would take inv's volume"
expect_in "$OUT" "^result: FAILED: violation: "
grep -q "could not be computed" <<<"$OUT" && fail "the figures failed: $OUT"

# ---- evidence naming no rule proves nothing (item 7) ----------------------------
cf city evidence inv:2 --out "$T/v.evidence" >/dev/null || fail "evidence inv:2"
for claim in R-NONSENSE ""; do
    python3 - "$T/v.evidence" "$T/bad.evidence" "$claim" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
new = sys.argv[3].encode()
d = d.replace(b"\x68R-VOLUME", bytes([0x60 + len(new)]) + new, 1)
open(sys.argv[2], "wb").write(d)
PY
    expect_audit 1 --evidence "$T/bad.evidence"
    expect_in "$OUT" "^result: NOT PROVEN: \"$claim\" is not a rule"
    grep -q "PROVEN:" <<<"${OUT//NOT PROVEN/}" && fail "evidence for \"$claim\" proven: $OUT"
    expect_audit 1 --evidence "$T/bad.evidence" --format json
    expect_in "$OUT" '"proven":false'
done
echo ok
