#!/usr/bin/env bash
# audit.sh — the offline audit of a clean network: cofund-audit and
# `cofund audit` (the same library) accept it, and their figures equal what
# `positions` and `program status` print at a member's home; --trust and
# --witnesses; usage and input errors; and the audit binary links neither
# LMDB nor libuv.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

build_network
N=$(grep -c . <<<"$(for m in city fund inv team; do cf city log "$m" --format csv | tail -n +2; done)")
[ "$N" -ge 300 ] || fail "the network holds only $N entries"

# ---- clean: exit 0, every count right --------------------------------------
expect_audit 0 "$T/net.bundle"
expect_in "$OUT" "^read 4 feeds, $N entries, "
expect_in "$OUT" "^replayed the rules: $N entries applied, 0 violations, 0 entries not checked"
expect_in "$OUT" "^result: ok: every signature, root and rule holds"
grep -q "^FAIL\|^FORK\|^VIOLATION\|^NOT CHECKED" <<<"$OUT" && fail "findings in a clean audit: $OUT"
# What was audited, and when: the file's size and SHA-256 as sha256sum says,
# the period of the entries, the tool, and each feed's latest checkpoint.
expect_in "$OUT" "^bundle: $(stat -c %s "$T/net.bundle") bytes, SHA-256 $(sha256sum "$T/net.bundle" | cut -d' ' -f1)$"
expect_in "$OUT" "^audited: 20[0-9-]*T[0-9:.]*Z by cofund-audit [0-9]"
expect_in "$OUT" "^period: entries dated 20.* to 20.* (the entries replayed)$"
for m in city fund inv team; do
    root=$(cf city checkpoint "$m" | sed -n 3p | base64 -d | od -An -tx1 | tr -d ' \n')
    size=$(cf city checkpoint "$m" | sed -n 2p)
    expect_in "$OUT" "^$m  *size $size root $root"
done
expect_audit 0 "$T/net-witnessed.bundle" # the cosignatures the homes added: named
expect_in "$OUT" "^fund  *size [0-9]* root [0-9a-f]*  witnesses: [a-z]"
"$COFUND_AUDIT" "$T/net.bundle" >"$T/audit.txt"

# `cofund audit` is the same code: the same report, and no home needed.
env -u HOME -u COFUND_HOME "$COFUND_BIN" audit "$T/net.bundle" >"$T/cofund-audit.txt" ||
    fail "cofund audit failed"
same_file <(grep -v '^audited:' "$T/audit.txt") <(grep -v '^audited:' "$T/cofund-audit.txt") \
    "reports of cofund-audit and cofund audit"

# ---- the figures are the queries' own ---------------------------------------
"$COFUND_AUDIT" "$T/net.bundle" --format json >"$T/audit.json" || fail "json audit"
cf city positions --format json >"$T/positions.json"
for p in industrial incubation; do cf city program status "$p" --format json >"$T/$p.json"; done
python3 - "$T" <<'PY' || fail "the audit's figures differ from the home's queries"
import json, sys
t = sys.argv[1]
a = json.load(open(t + "/audit.json"))
assert a["ok"] and a["complete"], a.get("first_failure")
pos = json.load(open(t + "/positions.json"))
pos = [r for r in pos if r["kind"] == "equity"]
assert a["positions"] == pos, (a["positions"], pos)
progs = {p["program"]: p for p in a["programs"]}
for name in ("industrial", "incubation"):
    want = json.load(open("%s/%s.json" % (t, name)))
    assert progs[name] == want, (progs[name], want)
    assert want["deployed"] != "0.00", name
print("figures equal")
PY
# The table shows them as `positions` does.
cf city positions | sed '/^$/,$d' | grep -v '^[^ ].*  (total)  ' | tail -n +2 >"$T/positions.txt"
sed -n '/^== positions/,/^$/p' "$T/audit.txt" | sed '1,2d;/^$/d' >"$T/audit-positions.txt"
# (cell for cell: each table's columns fit its own headings, which name the unit)
same_file <(tr -s ' ' <"$T/positions.txt") <(tr -s ' ' <"$T/audit-positions.txt") "positions tables"

# ---- --trust ------------------------------------------------------------------
expect_audit 0 "$T/net.bundle" --trust "$(key_of city)"
expect_audit 0 "$T/net.bundle" --trust "$(cf city whoami | awk '$1 == "verifier" {print $2}')"
expect_audit 1 "$T/net.bundle" --trust "$(key_of fund)"
expect_in "$OUT" "^FAIL .*--trust: the network's genesis entry is by $(key_of city), not the trusted key $(key_of fund)"
expect_in "$OUT" "^result: FAILED: "

# ---- --witnesses: nobody cosigned (the lines stripped) -------------------------
expect_audit 0 "$T/net.bundle" --witnesses 0
expect_audit 1 "$T/net.bundle" --witnesses 1
expect_in "$OUT" "its latest checkpoint (size [0-9]*) carries 0 valid cosignatures by other members; --witnesses requires 1"
# As the city exported it: every feed witnessed by the homes that imported
# it — the fund's only by the city, which alone imported the fund's feed.
expect_audit 0 "$T/net-witnessed.bundle" --witnesses 1
expect_audit 1 "$T/net-witnessed.bundle" --witnesses 2
expect_in "$OUT" "FAIL feed fund ([0-9a-f]*): its latest checkpoint (size [0-9]*) carries 1 valid cosignature by other members; --witnesses requires 2"

# ---- usage and input errors ----------------------------------------------------
expect_audit 2 "$T/net.bundle" --witnesses x
expect_audit 2 "$T/net.bundle" --trust 1234
expect_audit 2 "$T/net.bundle" --format xml
expect_audit 2
expect_audit 3 "$T/no-such.bundle"
head -c 1000 /dev/urandom >"$T/random.bin"
expect_audit 3 "$T/random.bin"
expect_in "$OUT" "not a cofund bundle"
cp "$T/city/key" "$T/keyfile.txt" 2>/dev/null || true
expect_audit 3 "$T/keyfile.txt"

# ---- the doc's independent verifier (docs/auditing.md) checks our proofs ---------
DOC=$COFUND_TESTS/../docs/auditing.md
sed -n '/^```python verify_inclusion.py$/,/^```$/p' "$DOC" | sed '1d;$d' >"$T/verify_inclusion.py"
[ -s "$T/verify_inclusion.py" ] || fail "no verify_inclusion.py in $DOC"
for fi in inv:0 inv:1 inv:5 inv:199 inv:215 fund:16 city:7 team:33; do
    cf city proof inclusion "$fi" >"$T/proof.txt"
    python3 "$T/verify_inclusion.py" "$T/proof.txt" >/dev/null || fail "verify_inclusion.py rejects $fi"
done
sed -i '2s/^extra ./extra A/' "$T/proof.txt" # another entry: the proof must fail
if python3 "$T/verify_inclusion.py" "$T/proof.txt" >/dev/null 2>&1; then
    fail "verify_inclusion.py accepted a changed entry"
fi

# ---- what the audit binary links ------------------------------------------------
if command -v ldd >/dev/null; then
    L=$(ldd "$COFUND_AUDIT")
    grep -q "liblmdb\|libuv" <<<"$L" && fail "cofund-audit links LMDB or libuv: $L"
fi
if command -v nm >/dev/null; then
    S=$(nm "$COFUND_AUDIT" 2>/dev/null || true)
    [ -n "$S" ] || S=$(nm -D "$COFUND_AUDIT")
    grep -qE " (U|T) (mdb_|uv_|store_)" <<<"$S" && fail "cofund-audit holds LMDB, libuv or store symbols"
    grep -q " T ledger_process_entry" <<<"$S" || fail "cofund-audit does not hold the rule engine"
fi
echo ok
