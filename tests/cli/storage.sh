#!/usr/bin/env bash
# storage.sh — the store under pressure: a 64 KiB map that must grow many
# times (a big import in one transaction, then thousands of appends); a disk
# that fills up mid-commit (exit 4, nothing half-written, and appends work
# again once there is room); queries on a read-only copy of a home.
source "$(dirname "$0")/lib.sh"
: "${COFUND_CRASH_APPENDER:?COFUND_CRASH_APPENDER must point at the crash appender}"
BULK=$COFUND_CRASH_APPENDER # with --until it appends batches of 1..50 and stops

network inv:investor
"$BULK" "$T/inv" --seed 7 --until 3000 >/dev/null || fail "bulk append at inv"
carry inv city

# ---- map growth ----------------------------------------------------------------
# "small" lives under a 64 KiB map (COFUND_MAP_BYTES applies at creation and
# at every open; the map only ever grows). It joins with a bundle of
# thousands of entries — one transaction — then appends thousands of its
# own in batches, and a few through the CLI.
export COFUND_MAP_BYTES=65536
cf small init --name small >/dev/null
cf city member add --key "$(key_of small)" --role investor --name small >/dev/null
cf city export --out "$T/big.bundle" >/dev/null
N_INV=$(feed_size city inv)
[ "$N_INV" -ge 3000 ] || fail "inv holds $N_INV entries"
cf small join "$T/big.bundle" >/dev/null || fail "join with a big bundle under a 64 KiB map"
[ "$(feed_size small inv)" = "$N_INV" ] || fail "small holds $(feed_size small inv) of inv's $N_INV entries"
"$BULK" "$T/small" --seed 8 --until 2000 >/dev/null || fail "bulk append under a 64 KiB map"
for i in 1 2 3; do cf small contribute --project sensors --round seed --amount "$i" >/dev/null; done
N_SMALL=$(feed_size small small)
[ "$N_SMALL" -ge 2003 ] || fail "small holds $N_SMALL of its own entries"
cf small verify >/dev/null || fail "verify after the map grew"
[ "$(stat -c %s "$T/small/store/data.mdb")" -gt 65536 ] || fail "the map never grew"
unset COFUND_MAP_BYTES

# ---- disk full --------------------------------------------------------------------
# A file size limit of 8 KiB leaves LMDB room for its two meta pages only:
# any data page write fails (EFBIG, with SIGXFSZ ignored) — the same path as
# a full disk (ENOSPC). Exit 4, nothing half-written.
limited() { # limited BLOCKS HOME ARGS... — run cofund under ulimit -f BLOCKS
    local blocks=$1
    shift
    (trap '' XFSZ; ulimit -f "$blocks"; cf "$@")
}
snapshot inv "$T/inv.before"
N=$(feed_size inv inv)
rc=0
OUT=$(limited 8 inv contribute --project robotics --round A --amount 1,000 2>&1) || rc=$?
[ "$rc" -eq 4 ] || fail "append on a full disk exited $rc, wanted 4: $OUT"
expect_in "$OUT" "no space left"
snapshot inv "$T/inv.after"
same_file "$T/inv.before" "$T/inv.after" "inv's state before and after a failed append"
[ "$(feed_size inv inv)" = "$N" ] || fail "the feed grew on a full disk"
# An import that does not fit is rolled back as a whole, too.
cf late init --name late >/dev/null
rc=0
OUT=$(limited 8 late join "$T/big.bundle" 2>&1) || rc=$?
[ "$rc" -eq 4 ] || fail "import on a full disk exited $rc, wanted 4: $OUT"
expect_in "$OUT" "no space left"
expect_in "$(cf late whoami)" "network   (none yet"
# Room again: both work.
cf inv contribute --project robotics --round A --amount 1,000 >/dev/null || fail "append after the disk was freed"
[ "$(feed_size inv inv)" = $((N + 1)) ] || fail "append after the disk was freed"
cf inv verify >/dev/null
cf late join "$T/big.bundle" >/dev/null || fail "import after the disk was freed"
cf late verify >/dev/null

# ---- a read-only copy of a home ------------------------------------------------------
# Run as root, the copy is read by "nobody" (setpriv), for whom read-only
# files do bite; without setpriv, root only checks that the queries work.
AS=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
reader() { local who=$1; shift; "${AS[@]}" "$COFUND_BIN" --home "$T/$who" "$@"; }
queries() { # queries HOME — the read-only commands, one output
    reader "$1" log inv --format csv
    reader "$1" log small --format json
    reader "$1" positions --format csv
    reader "$1" members
    reader "$1" program status industrial 2>&1 || true
    reader "$1" checkpoint inv
    reader "$1" proof inclusion inv:17
    reader "$1" proof consistency inv 5 100
    reader "$1" show small:3
    reader "$1" verify
}
chmod -R a+rX "$T/small"
chmod a+x "$T"
queries small >"$T/q.orig"
cp -a "$T/small" "$T/ro"
rm -f "$T/ro/store/lock.mdb" # as a copy made without it (e.g. from a backup)
chmod -R a-w "$T/ro"
queries ro >"$T/q.ro" || fail "queries on a read-only copy"
same_file "$T/q.orig" "$T/q.ro" "queries on a home and on its read-only copy"
if [ "$(id -u)" -ne 0 ] || [ "${#AS[@]}" -gt 0 ]; then
    rc=0
    OUT=$(reader ro contribute --project robotics --round A --amount 1 2>&1) || rc=$?
    [ "$rc" -ne 0 ] || fail "an append to a read-only copy succeeded"
    expect_in "$OUT" "cannot open store"
    [ ! -e "$T/ro/store/lock.mdb" ] || fail "a lock file appeared in the read-only copy"
fi
chmod -R u+w "$T/ro"
echo ok
