#!/usr/bin/env bash
# audit_partial.sh — partial bundles: `export --feed` (some feeds, always
# with the governance feed) and `export --as-of` (every feed cut at its
# largest checkpoint not later than a time). The audit checks what they
# hold, says what they do not let it check ("not checked"), and exits 0
# when nothing it checked is wrong; an import says the same.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

build_network

# ---- --feed: the fund's feed alone (and the city's, always) -----------------------
expect_exit 0 city export --out "$T/fund-only.bundle" --feed fund
expect_in "$OUT" "wrote .*: 2 feeds, "
expect_in "$OUT" "partial bundle"
expect_audit 0 "$T/fund-only.bundle"
expect_in "$OUT" "^read 2 feeds, "
expect_in "$OUT" "^NOT CHECKED fund#0\.\.16: entry 0 (match) waits: it cites inv#0 (read up to #[0-9]*), whose feed is not in the bundle"
expect_in "$OUT" "^not checked: 1 feed waits at a match that cites a feed not in the bundle (17 entries in all)"
expect_in "$OUT" "^result: ok, incomplete: 17 entries could not be checked with this bundle alone; everything checked holds"
"$COFUND_AUDIT" "$T/fund-only.bundle" --format json >"$T/fund-only.json"
python3 - "$T/fund-only.json" <<'PY' || fail "json of a partial audit"
import json, sys
a = json.load(open(sys.argv[1]))
assert a["ok"] and not a["complete"], a
assert a["counts"]["unchecked"] == 17 and a["unchecked"][0]["type"] == "match", a["unchecked"]
PY
# The investor's feed alone: every entry checks (contributions cite nothing).
expect_exit 0 city export --out "$T/inv-only.bundle" --feed inv --feed inv
expect_audit 0 "$T/inv-only.bundle"
expect_in "$OUT" "^result: ok: every signature, root and rule holds"
# Damage in a partial bundle is still damage.
rec=$(record_of "$T/fund-only.bundle" '$2 == "E" && $5 == "entry" && $6 == "1:3"')
edit xor "$T/fund-only.bundle" "$T/fund-bad.bundle" "$rec" 20
expect_audit 1 "$T/fund-bad.bundle"
expect_in "$OUT" "^FAIL feed "
expect_exit 3 city export --out "$T/x.bundle" --feed nobody
expect_in "$OUT" "no member named \"nobody\""

# A home that joins with the partial bundle says what it could not check.
cf fresh init --name fresh >/dev/null
expect_exit 0 fresh join "$T/fund-only.bundle"
expect_in "$OUT" "not checked: 17 entries wait; 1 match(es) cite feeds not held: not checked"

# ---- --as-of: the network as it stood at fund#5 ---------------------------------------
AT=$(cf city show fund:5 --format json | sed -n 's/^  "time": "\(.*\)",$/\1/p')
[ -n "$AT" ] || fail "no time for fund:5"
expect_exit 0 city export --out "$T/asof.bundle" --as-of "$AT"
expect_in "$OUT" "feeds cut at --as-of"
expect_audit 0 "$T/asof.bundle"
expect_in "$OUT" "^result: ok"
"$COFUND_AUDIT" "$T/asof.bundle" --format json >"$T/asof.json"
# Every append signed its own checkpoint, so the cut is exact: the audit of
# the cut bundle shows what the home shows as of that time.
cf city positions --as-of "$AT" --format json >"$T/positions.json"
for p in industrial incubation; do cf city program status "$p" --as-of "$AT" --format json >"$T/$p.json"; done
python3 - "$T" <<'PY' || fail "the cut bundle's figures differ from the home's --as-of figures"
import json, sys
t = sys.argv[1]
a = json.load(open(t + "/asof.json"))
assert a["ok"] and a["complete"], a
fund = [f for f in a["feeds"] if f["member"] == "fund"][0]
assert fund["entries"] == 6, fund
assert a["positions"] == [r for r in json.load(open(t + "/positions.json"))
                          if r["kind"] == "equity"]
progs = {p["program"]: p for p in a["programs"]}
for name in ("industrial", "incubation"):
    want = json.load(open("%s/%s.json" % (t, name)))
    assert progs[name] == want, (name, progs[name], want)
PY
# Before the network existed: only what had been signed by then (nothing).
expect_exit 0 city export --out "$T/early.bundle" --as-of 2000-01-01
expect_in "$OUT" ": 0 feeds, 0 entries"
expect_audit 0 "$T/early.bundle"
expect_in "$OUT" "^read 0 feeds"
# Both at once.
expect_exit 0 city export --out "$T/both.bundle" --as-of "$AT" --feed fund
expect_audit 0 "$T/both.bundle"
expect_in "$OUT" "^NOT CHECKED fund#0\.\.5: "
echo ok
