#!/usr/bin/env bash
# audit_tamper.sh — damaged and forged bundles: each is caught, named (feed,
# index, what) and exits 1. The bundle editor (tests/tools/bundle_edit.py)
# recomputes the end record after each edit, so that the trailer hash does
# not give the damage away and the signature and root checks must find it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

build_network
B=$T/net.bundle
expect_audit 0 "$B"
KINV=$(key_of inv)
KFUND=$(key_of fund)
edit list "$B" >"$T/records"
# The records of inv's feed: its F record, its entries, its K records.
inv_feed=$(awk -v k="${KINV:0:16}" '$2 == "F" && $6 == k {print $1}' "$T/records")
feedno=$(awk -v r="$inv_feed" '$2 == "F" {n++} $1 == r {print n - 1}' "$T/records")
entry_rec() { awk -v e="entry $feedno:$1" '$5 " " $6 == e {print $1}' "$T/records"; }
k_rec=$(awk -v r="$inv_feed" '$1 > r && $2 == "K" {print $1; exit}' "$T/records")
k_size=$(awk -v r="$k_rec" '$1 == r {print $7}' "$T/records")

failed_with() { # failed_with BUNDLE PATTERN... — exit 1, every pattern in the report
    local b=$1
    shift
    expect_audit 1 "$b"
    expect_in "$OUT" "^result: FAILED: "
    local p
    for p in "$@"; do expect_in "$OUT" "$p"; done
}

# ---- one byte changed anywhere --------------------------------------------------
# An entry (inv#7): its feed's root no longer matches.
edit xor "$B" "$T/entry.bundle" "$(entry_rec 7)" 30
failed_with "$T/entry.bundle" "^FAIL feed ${KINV:0:16} .*entries do not hash to the root their author signed"
expect_in "$OUT" "the rules were not replayed"
# The feed record's checkpoint signature (fund's latest checkpoint).
fund_feed=$(awk -v k="${KFUND:0:16}" '$2 == "F" && $6 == k {print $1}' "$T/records")
edit setb64 "$B" "$T/fsig.bundle" "$fund_feed"
failed_with "$T/fsig.bundle" "^FAIL feed ${KFUND:0:16}: checkpoint of size [0-9]* (feed record): .*signature does not verify"
# A K record (inv's earliest kept checkpoint).
edit setb64 "$B" "$T/ksig.bundle" "$k_rec"
failed_with "$T/ksig.bundle" "^FAIL feed ${KINV:0:16}: checkpoint of size $k_size (K record): .*signature does not verify"
# The root inside a K record (the signature covers it).
edit xor "$B" "$T/kroot.bundle" "$k_rec" 100 0x02
failed_with "$T/kroot.bundle" "^FAIL feed ${KINV:0:16}"
# The trailer: the end record's hash, the last bytes of the file.
size=$(stat -c %s "$B")
edit flip "$B" "$T/trailer.bundle" $((size - 1))
failed_with "$T/trailer.bundle" "^FAIL bundle: bundle: record [0-9]* (end) at byte [0-9]*: .*mismatch"
# A byte of the header's network id: in its first 8 bytes, no checkpoint's
# origin matches it; in the others, the genesis entry does not create it.
edit xor "$B" "$T/header.bundle" 0 12
failed_with "$T/header.bundle" "checkpoint origin .* is not "
edit xor "$B" "$T/header2.bundle" 0 40
failed_with "$T/header2.bundle" "^FAIL bundle: the bundle's header names a network its genesis entry does not create"

# ---- a removed entry (counts and trailer fixed up) ------------------------------
# The signed size says one entry is missing; nothing else is read as an
# entry of that feed.
edit drop "$B" "$T/dropped.bundle" "$(entry_rec 12)"
failed_with "$T/dropped.bundle" "^FAIL feed ${KINV:0:16}: bundle: record [0-9]* .*: out of order: feed $((feedno + 1)) still expects 1 entries"
# ... or replaced by a copy of its neighbour, so that the count holds: the
# root check finds it.
python3 - "$B" "$T/copied.bundle" "$(entry_rec 12)" "$(entry_rec 13)" "$COFUND_TESTS" <<'PY'
import sys
sys.path.insert(0, sys.argv[5] + "/tools")
import bundle_edit as be
recs = be.read(sys.argv[1])
recs[int(sys.argv[3])][1] = bytearray(recs[int(sys.argv[4])][1])
be.write(recs, sys.argv[2])
PY
failed_with "$T/copied.bundle" "^FAIL feed ${KINV:0:16} .*entries do not hash to the root"

# ---- a reordered feed: two entries swapped -----------------------------------
edit swap "$B" "$T/swapped.bundle" "$(entry_rec 40)" "$(entry_rec 41)"
failed_with "$T/swapped.bundle" "^FAIL feed ${KINV:0:16} .*entries do not hash to the root"

# ---- checkpoints signed by the wrong key ------------------------------------------
forge resign "$B" "$T/resigned.bundle" "$T/fund" || fail "forge resign"
failed_with "$T/resigned.bundle" "^FAIL feed ${KCITY:-$(key_of city | cut -c1-16)}: checkpoint of size [0-9]* (feed record): .*not signed by its author"

# ---- a forged cosignature: a member's name, a signature that is not its own --------
city_feed=$(record_of "$B" '$2 == "F"')
edit cosign "$B" "$T/cosig.bundle" "$city_feed" "$(origin_of fund)"
failed_with "$T/cosig.bundle" "^FAIL feed city ([0-9a-f]*): forged cosignature: the checkpoint of size [0-9]* carries a line named after member fund that does not verify under that member's key"
# ... on a K record too, and with --witnesses or without.
edit cosign "$B" "$T/cosig-k.bundle" "$k_rec" "$(origin_of team)"
failed_with "$T/cosig-k.bundle" "forged cosignature: the checkpoint of size $k_size carries a line named after member team"
# A line by a key that is no member is not a cosignature anyone vouched for:
# it is ignored, and the bundle still audits clean.
edit cosign "$B" "$T/stranger.bundle" "$city_feed" "cofund/$(net16)/$(printf '%064d' 7)"
expect_audit 0 "$T/stranger.bundle"
expect_in "$OUT" "0 valid by members, 1 lines by other keys ignored"
echo ok
