#!/usr/bin/env bash
# node_kill.sh — kill -9 in the middle of a large sync loses nothing
# (DESIGN §6: "nothing acknowledged is ever lost"; docs/protocol.md §4:
# every batch is one committed transaction).
#
# inv-a's feed holds N = 100,000 contributions (also under the sanitizers:
# the whole test takes ~20 s there, ~10 s otherwise). Two phases:
#   1. the receiver dies: inv-b fetches the feed from inv-a; once inv-b holds
#      between 10% and 90% of it, kill -9 inv-b's node. The store it left
#      holds at least what its status last showed and verifies; restarted,
#      it fetches the rest.
#   2. the sender dies: city fetches the feed from inv-a (which dials city);
#      mid-way, kill -9 inv-a's node, restart it, and city completes.
# Between them (1b), inv-b's store is rolled back to the copy taken after
# its kill and it fetches the rest again.
# Then every node holds the whole feed (size N, the author's root), every
# entry applied, the same positions, and verify passes everywhere.
source "$(dirname "$0")/node_lib.sh"

N=100000
echo "feed size: $N entries"

network inv-a:investor inv-b:investor
t0=$(now_ms)
forge batch "$T/inv-a" "$N" contribution --project robotics --round A --amount-fen 100 >/dev/null
echo "built inv-a's feed in $(($(now_ms) - t0)) ms"
SRC_ROOT=$(feed_field inv-a inv-a root)
[ "$(feed_field inv-a inv-a size)" = "$N" ] || fail "inv-a's feed holds $(feed_field inv-a inv-a size) entries"
LO=$((N / 10)) HI=$((N * 9 / 10))

# size_between HOME LO HI — HOME holds between LO and HI entries of inv-a's
# feed (remembered in $SEEN).
size_between() {
    SEEN=$(feed_field "$1" inv-a size)
    [ "$SEEN" -ge "$2" ] || return 1
    [ "$SEEN" -le "$3" ] || fail "$1 went from below $2 to $SEEN entries between two polls: no mid-sync moment to kill"
}
# complete HOME — HOME holds inv-a's whole feed, every entry applied.
complete() {
    [ "$(feed_field "$1" inv-a size)" = "$N" ] && [ "$(feed_field "$1" inv-a applied)" = "$N" ] &&
        [ "$(feed_field "$1" inv-a root)" = "$SRC_ROOT" ]
}
# after_kill HOME SEEN — what the killed node's store holds: at least what
# its status showed before the kill, and it verifies.
after_kill() {
    local held
    held=$(feed_field "$1" inv-a size)
    [ "$held" -ge "$2" ] || fail "$1 held $2 entries before kill -9 and $held after: acknowledged entries lost"
    cf "$1" verify >/dev/null || fail "verify failed at $1 after kill -9"
    echo "$1: $held of $N entries held after kill -9 (status showed $2), verify ok"
}

# ---- 1. kill -9 the receiver mid-sync -------------------------------------------
start_node inv-a
t0=$(now_ms)
start_node inv-b $(peer_of inv-a)
wait_until "inv-b holding 10%-90% of the feed" size_between inv-b "$LO" "$HI"
kill_node inv-b
after_kill inv-b "$SEEN"
cp -a "$T/inv-b" "$T/inv-b.early" # for 1b: a store that went back to an earlier commit
start_node inv-b $(peer_of inv-a)
wait_until "inv-b holding the whole feed after its restart" complete inv-b
echo "inv-b: whole feed of $N entries after kill -9 and restart, $(($(now_ms) - t0)) ms in all"
grep -q "batch does not verify" "$T/inv-b.log" && fail "inv-b refused a batch"

# ---- 1b. a store gone back to an earlier commit -----------------------------------
# What other members hold is fetched again whatever this home lost of it:
# inv-b's store restored from the copy taken after its kill (an earlier
# consistent store, below the whole feed it now holds), and restarted,
# fetches the rest again.
stop_node inv-b
cp -a "$T/inv-b.early/." "$T/inv-b/"
held=$(feed_field inv-b inv-a size)
[ "$held" -lt "$N" ] || fail "the early copy of inv-b's store holds the whole feed"
start_node inv-b $(peer_of inv-a)
wait_until "inv-b holding the whole feed again after its store went back to $held entries" complete inv-b
cf inv-b verify >/dev/null || fail "verify failed at inv-b after the rollback"
echo "inv-b: store rolled back to $held entries, whole feed fetched again"

# ---- 2. kill -9 the sender mid-sync ------------------------------------------------
stop_node inv-b
stop_node inv-a
start_node city
start_node inv-a $(peer_of city)
t0=$(now_ms)
wait_until "city holding 10%-90% of the feed" size_between city "$LO" "$HI"
kill_node inv-a
after_kill inv-a "$N"
after_kill city "$SEEN"
start_node inv-a $(peer_of city)
wait_until "city holding the whole feed after inv-a's restart" complete city
echo "city: whole feed of $N entries after the sender's kill -9 and restart, $(($(now_ms) - t0)) ms in all"

# ---- everyone agrees ----------------------------------------------------------------
start_node inv-b $(peer_of city)
wait_until "the same state at the three nodes" same_digest inv-a inv-b city
for h in inv-a inv-b city; do all_applied "$h" || fail "$h has entries not applied"; done
same_positions killed inv-a inv-b city
verify_all inv-a inv-b city
stop_all
echo ok
