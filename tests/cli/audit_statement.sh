#!/usr/bin/env bash
# audit_statement.sh — what an auditor hands on (docs/auditing.md §5): the
# report names the bundle (size, SHA-256), the time, the tool and the period;
# --sign KEYFILE --out STATEMENT signs a statement of the verdict over the
# bundle's and the report's SHA-256 (ok, and failed for a tampered bundle,
# never ok for what could not be checked); --proof FEED:INDEX prints an
# entry's proof from a bundle alone; `-` reads the bundle from standard
# input. Go's sumdb/note checks the statement's signature (interop.sh).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

build_network
B=$T/net.bundle
SHA=$(sha256sum "$B" | cut -d' ' -f1)
SIZE=$(stat -c %s "$B")
cf auditor init --name auditor >/dev/null
printf 'correct horse\n' >"$T/pass"
chmod 600 "$T/pass"
cf locked --passphrase-file "$T/pass" init --name locked >/dev/null

# ---- a clean bundle: signed "ok" ------------------------------------------------
expect_audit 0 "$B" --sign "$T/auditor/key" --out "$T/ok.statement"
"$COFUND_AUDIT" "$B" --sign "$T/auditor/key" --out "$T/ok.statement" >"$T/report.txt" 2>"$T/err"
expect_in "$(cat "$T/err")" "statement \"ok\" signed to $T/ok.statement; its verifier key: cofund-audit/$(key_of auditor)+"
st=$(cat "$T/ok.statement")
expect_in "$st" "^cofund-audit statement v1$"
expect_in "$st" "^bundle $SHA $SIZE$"
expect_in "$st" "^network $(cf city whoami | awk '$1 == "network" {print $2}')$"
expect_in "$st" "^verdict ok$"
expect_in "$st" "^report $(sha256sum "$T/report.txt" | cut -d' ' -f1)$"
expect_in "$st" "^tool cofund-audit [0-9]"
expect_in "$st" "^— cofund-audit/$(key_of auditor) "
# The JSON report names the same bundle, and its own digest is signed.
"$COFUND_AUDIT" "$B" --format json --sign "$T/auditor/key" --out "$T/json.statement" \
    >"$T/report.json" 2>/dev/null
expect_in "$(cat "$T/json.statement")" "^report $(sha256sum "$T/report.json" | cut -d' ' -f1)$"
python3 - "$T/report.json" "$SHA" "$SIZE" <<'PY' || fail "the JSON report's header"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["bundle_sha256"] == sys.argv[2], r["bundle_sha256"]
assert r["bundle_bytes"] == int(sys.argv[3])
assert r["tool"].startswith("cofund-audit "), r["tool"]
assert r["audited_at"].endswith("Z")
assert r["period"]["first"] <= r["period"]["last"]
for f in r["feeds"]:
    assert f["checkpoint"]["size"] == f["entries"], f
    assert len(f["checkpoint"]["root"]) == 64, f
PY
# A passphrase-protected key needs its passphrase.
expect_audit 3 "$B" --sign "$T/locked/key" --out "$T/x.statement"
expect_in "$OUT" "give --passphrase-file"
expect_audit 0 "$B" --sign "$T/locked/key" --passphrase-file "$T/pass" --out "$T/x.statement"
[ -s "$T/x.statement" ] || fail "no statement with a passphrase"
# Usage: --sign and --out together.
expect_audit 2 "$B" --sign "$T/auditor/key"
expect_in "$OUT" "go together"
expect_audit 2 "$B" --out "$T/y.statement"

# ---- a tampered bundle: signed "failed", never "ok" -----------------------------
edit list "$B" >"$T/records"
rec=$(awk '$2 == "E" {n++} $2 == "E" && n == 20 {print $1}' "$T/records")
edit xor "$B" "$T/bad.bundle" "$rec" 25
expect_audit 1 "$T/bad.bundle" --sign "$T/auditor/key" --out "$T/bad.statement"
expect_in "$(cat "$T/bad.statement")" "^verdict failed$"
expect_in "$(cat "$T/bad.statement")" "^bundle $(sha256sum "$T/bad.bundle" | cut -d' ' -f1) "
# A bundle cut short (no end record): the digest is of the bytes audited.
head -c $((SIZE - 40)) "$B" >"$T/short.bundle"
expect_audit 1 "$T/short.bundle" --sign "$T/auditor/key" --out "$T/short.statement"
expect_in "$(cat "$T/short.statement")" "^bundle $(sha256sum "$T/short.bundle" | cut -d' ' -f1) $((SIZE - 40))$"
expect_in "$(cat "$T/short.statement")" "^verdict failed$"

# ---- standard input --------------------------------------------------------------
OUT=$("$COFUND_AUDIT" - <"$B") || fail "cofund-audit - (standard input)"
expect_in "$OUT" "^audit of -$"
expect_in "$OUT" "^bundle: $SIZE bytes, SHA-256 $SHA$"
expect_in "$OUT" "^result: ok"

# ---- --proof from the bundle alone ------------------------------------------------
# (A bundle the city exports now: its checkpoints carry the city's
# cosignatures, as the city's own proof does.)
cf city export --out "$T/city.bundle" >/dev/null
"$COFUND_AUDIT" "$T/city.bundle" --proof inv:5 >"$T/audit.proof" || fail "--proof inv:5"
cf city proof inclusion inv:5 >"$T/home.proof"
same_file "$T/home.proof" "$T/audit.proof" "the proofs of inv:5 from the bundle and the home"
OUT=$("$COFUND_AUDIT" "$B" --proof "$(key_of fund):0") || fail "--proof by key"
expect_in "$OUT" "^index 0$"
expect_audit 3 "$B" --proof nobody:0
expect_in "$OUT" "no member named nobody"
expect_audit 3 "$B" --proof inv:100000
expect_in "$OUT" "latest checkpoint covers [0-9]* entries"
expect_audit 2 "$B" --proof inv
expect_audit 2 "$B" --proof inv:5 --sign "$T/auditor/key" --out "$T/z"
echo ok
