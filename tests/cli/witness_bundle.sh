#!/usr/bin/env bash
# witness_bundle.sh — witnesses by bundles (docs/format.md "Cosignatures"):
# four homes exchange bundles; each home cosigns the latest checkpoint of
# every other member's feed as it imports it, and merges the cosignatures
# the bundles carry. After two full rounds every feed's latest checkpoint
# carries the cosignatures of the three other members, byte for byte the
# same at every home, and the audit's --witnesses 3 holds (4 does not).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"
HOMES=(city fund inv team)

network fund:fund inv:investor team:team
cf inv contribute --project robotics --round A --amount 500,000 --program industrial >/dev/null
cf team contribute --project sensors --round seed --amount 100,000 --program incubation >/dev/null

# round — every home exports, then imports every other home's bundle.
round() {
    local h o
    for h in "${HOMES[@]}"; do cf "$h" export --out "$T/$h.bundle" >/dev/null; done
    for h in "${HOMES[@]}"; do
        for o in "${HOMES[@]}"; do
            [ "$h" = "$o" ] && continue
            cf "$h" import "$T/$o.bundle" >"$T/import.out" 2>&1 ||
                fail "$h importing $o's bundle: $(cat "$T/import.out")"
        done
    done
}

# The first import of a feed is witnessed at once: fund cosigned inv's new
# checkpoint, and merged inv's cosignature of the city's feed (inv made it
# when it joined).
cf inv export --out "$T/inv0.bundle" >/dev/null
expect_exit 0 fund import "$T/inv0.bundle"
expect_in "$OUT" "^cosignatures: 1 new, 1 checkpoint(s) witnessed by this home"
[ "$(cosigners fund inv)" = "$(origin_of fund) " ] || fail "fund's cosignature on inv: $(cosigners fund inv)"
# A home never cosigns its own feed: inv's own copy has only its signature.
[ -z "$(cosigners inv inv)" ] || fail "inv cosigned its own feed: $(cosigners inv inv)"
# Every member writes: the fund matches inv's contribution.
cf fund match --program industrial --project robotics --round A --auto 500,000 >/dev/null

round
round
for f in "${HOMES[@]}"; do
    # The three other members, in key order, and nobody else.
    want=$(for h in "${HOMES[@]}"; do if [ "$h" != "$f" ]; then origin_of "$h"; fi; done |
        sort | tr '\n' ' ')
    for h in "${HOMES[@]}"; do
        [ "$(cosigners "$h" "$f")" = "$want" ] ||
            fail "$f's checkpoint at $h is cosigned by [$(cosigners "$h" "$f")], not [$want]"
    done
    # Converged: every home holds the same bytes.
    cf "$f" checkpoint >"$T/$f.ckpt"
    for h in "${HOMES[@]}"; do
        cf "$h" checkpoint "$f" >"$T/$f.at.$h.ckpt"
        same_file "$T/$f.ckpt" "$T/$f.at.$h.ckpt" "$f's checkpoint at $f and at $h"
    done
    # The author's signature stays first.
    [ "$(awk '/^\xe2\x80\x94 / {print $2; exit}' "$T/$f.ckpt")" = "$(origin_of "$f")" ] ||
        fail "$f's checkpoint does not start with its author's signature"
done

# Shown where one looks: node status and the log.
cf fund node status --format json >"$T/status.json"
python3 - "$T/status.json" <<'PY' || fail "node status witnesses: $(cat "$T/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert len(s["feeds"]) == 4 and all(f["witnesses"] == 3 for f in s["feeds"]), s["feeds"]
PY
expect_in "$(cf fund node status)" "WITNESSES"
expect_in "$(cf team log inv)" "^latest checkpoint: size [0-9]*, witnessed by 3 members: "

# Nothing more to merge: importing again changes nothing.
round
for f in "${HOMES[@]}"; do
    cf "$f" checkpoint >"$T/$f.again"
    same_file "$T/$f.ckpt" "$T/$f.again" "$f's checkpoint after another round"
done

# The audit counts them: three witnesses on every feed, not four.
cf team export --out "$T/witnessed.bundle" >/dev/null
expect_audit 0 "$T/witnessed.bundle" --witnesses 3
expect_in "$OUT" "^cosignatures: .* valid by members, 0 lines by other keys ignored; witnesses required per feed: 3"
expect_audit 1 "$T/witnessed.bundle" --witnesses 4
expect_in "$OUT" "carries 3 valid cosignatures by other members; --witnesses requires 4"

# A new home joins with the witnessed bundle: it keeps every cosignature
# (the members are known only once the bundle's governance feed applied).
cf late init --name late >/dev/null
expect_exit 0 late join "$T/witnessed.bundle"
for f in "${HOMES[@]}"; do
    cf late checkpoint "$f" >"$T/$f.at.late"
    same_file "$T/$f.ckpt" "$T/$f.at.late" "$f's checkpoint at late"
done
echo ok
