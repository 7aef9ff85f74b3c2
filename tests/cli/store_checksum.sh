#!/usr/bin/env bash
# store_checksum.sh — the ledger state the rules read is checked end to end
# (docs/storage.md "Record checksums"):
#   - one byte written into the fund's position record of data.mdb (the
#     attack: the position then read 5,459,608,465.92, `verify` said ok, and
#     the fund could sign an exit of 5,000,000,000 that every replica
#     records as its violation) is found on every read: `positions` and the
#     append exit 1 "store corrupted", nothing is signed, `verify` fails;
#   - a state that lies consistently (a record deleted through the store,
#     checksums intact) is found by `verify`, which recomputes the state
#     from the feeds;
#   - the accepting side: the untouched home verifies, and its copy appends.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "skipped: python3 is needed to edit data.mdb"; exit 77; }

network fund:fund inv:investor
cf inv contribute --project robotics --round A --amount 7,654,321.09 --program industrial >/dev/null
carry inv fund
cf fund match --program industrial --project robotics --round A --auto 3,000,000.01 >/dev/null
OUT=$(cf fund positions --format csv)
expect_in "$OUT" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,3000000.01,"
OUT=$(cf fund verify) || fail "verify of the untouched home: $OUT"
expect_in "$OUT" "the ledger state recomputed from them equals the stored one"
cp -a "$T/fund" "$T/fund.orig"
N=$(feed_size fund fund)

# ---- one byte in the position record ------------------------------------------
# The fund's position, 300,000,001 fen, is an i64 big-endian in its series'
# records (head and point; the program's deployed total has the same value);
# entries hold amounts in CBOR, never in this form. The byte that adds about
# 5.4 billion yuan is changed in every copy.
python3 - "$T/fund/store/data.mdb" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
pat = struct.pack(">q", 300000001)
n, i = 0, data.find(pat)
while i >= 0:
    data[i + 3] ^= 0x02
    n += 1
    i = data.find(pat, i + 1)
assert n >= 1, "position record not found"
open(path, "wb").write(data)
print("changed", n, "copies", file=sys.stderr)
PY
expect_exit 1 fund positions
expect_in "$OUT" "store corrupted"
expect_in "$OUT" "restore this home from its peers or a backup"
expect_exit 1 fund exit --project robotics --amount 5,000,000,000 --yes
expect_in "$OUT" "store corrupted"
expect_exit 1 fund exit --project robotics --amount 1
expect_in "$OUT" "store corrupted"
[ "$(feed_size fund.orig fund)" = "$N" ] || fail "the original changed"
expect_exit 1 fund verify
expect_in "$OUT" "store corrupted"
# Nothing was signed: the feed's latest checkpoint is as long as before, in
# the damaged copy too (read from the feed's own tables: no state record).
[ "$(cf fund checkpoint | sed -n 2p)" = "$N" ] || fail "the damaged home signed an entry"

# ---- a consistent lie: a record gone, every checksum intact -------------------
rm -rf "$T/fund"
cp -a "$T/fund.orig" "$T/lie"
forge state-del "$T/lie" "54$(key_of inv)" || fail "forge state-del"
expect_exit 1 lie verify
expect_in "$OUT" "store corrupted"
expect_in "$OUT" "differs from the one its feeds give\|some are missing"

# ---- the accepting side --------------------------------------------------------
cp -a "$T/fund.orig" "$T/fund"
OUT=$(cf fund verify) || fail "verify of the copy: $OUT"
cf fund exit --project robotics --amount 1,000 >/dev/null || fail "an exit from the intact copy"
[ "$(feed_size fund fund)" = $((N + 1)) ] || fail "the exit was not appended"
OUT=$(cf fund verify) || fail "verify after the exit: $OUT"
echo ok
