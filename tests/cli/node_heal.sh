#!/usr/bin/env bash
# node_heal.sh — a home restored from an old backup heals instead of forking
# (docs/operations.md "The backup rule"; docs/protocol.md §4 "Own feed"):
#
#   1. inv's home is backed up (cp -a, node stopped) at 2 entries; inv
#      appends 3 more, which its node gives the fund's node; inv's home is
#      restored from the backup.
#   2. A member's node shows inv's node its checkpoint of inv's feed (size 5,
#      signed by inv's key): inv's node records that its own feed is behind
#      (a checkpoint not signed by inv's key is refused and changes nothing).
#      An append is refused (exit 5) with the numbers, while the node runs
#      and after it stopped (the mark is in the store); `cofund restore` of
#      the fund's export takes the entries back and appending works again.
#   3. Restored from the backup once more, inv's node meets the fund's node:
#      the fund's node tells it that it is behind, inv's node fetches its own
#      entries back (verified under its signed checkpoint, applied by the
#      rules) and appending works at the right index.
#   No home holds a fork at the end; every home verifies.
# Before: inv's restored home appended at index 2 — a second history, which
# the fund's node proved a fork.
source "$(dirname "$0")/node_lib.sh"

HOSTILE=${COFUND_HOSTILE_PEER:?COFUND_HOSTILE_PEER must point at tests/tools/hostile_peer}
network fund:fund inv:investor aud:auditor
NET=$(cf inv whoami | awk '$1 == "network" {print $2}')
contribute() { cf inv contribute --project robotics --round A --amount "$1" 2>&1; }
for a in 1000 2000; do contribute $a >/dev/null; done

# ---- 1. a backup, later entries replicated, the backup restored -----------------
start_node fund
start_node inv $(peer_of fund)
size_at() { [ "$(feed_field "$1" "$2" size)" = "$3" ]; }
wait_until "inv's 2 entries at fund" size_at fund inv 2
stop_node inv
cp -a "$T/inv" "$T/inv.backup"
start_node inv $(peer_of fund)
for a in 3000 4000 5000; do contribute $a >/dev/null; done
wait_until "inv's 5 entries at fund" size_at fund inv 5
stop_node inv
mv "$T/inv" "$T/inv.lost"
cp -a "$T/inv.backup" "$T/inv"
[ "$(feed_size inv inv)" = 2 ] || fail "the backup holds $(feed_size inv inv) entries"

# ---- 2. shown a longer signed checkpoint of its own feed: appends refused -------
start_node inv # no peers: nothing fetches the entries back yet
cf fund checkpoint inv >"$T/inv.ckpt"
# Not signed by inv's key (its size changed under the signature): the peer
# is dropped for it and nothing is recorded.
sed '2s/^5$/9/' "$T/inv.ckpt" >"$T/inv.forged.ckpt"
"$HOSTILE" cosig "127.0.0.1:$(port_of inv)" "$NET" --key "$T/fund/key" --checkpoint "$T/inv.forged.ckpt" \
    --count 1 --timeout-s "$DEADLINE_S" >"$T/forged.out" 2>&1 || fail "hostile_peer cosig: $(cat "$T/forged.out")"
dropped() { grep -q "fund (127.0.0.1:[0-9]*) closed: cosig does not verify" "$T/inv.log"; }
wait_until "inv's node dropping a peer for a forged checkpoint of its feed" dropped
! grep -q "own feed is behind" "$T/inv.log" || fail "inv's node took a forged checkpoint for its own"
"$HOSTILE" cosig "127.0.0.1:$(port_of inv)" "$NET" --key "$T/aud/key" --checkpoint "$T/inv.ckpt" \
    --count 1 --timeout-s "$DEADLINE_S" >"$T/cosig.out" 2>&1 || fail "hostile_peer cosig: $(cat "$T/cosig.out")"
behind_logged() { grep -q "own feed is behind: peer aud holds 5 entries of it, signed by this home's key, this home 2" "$T/inv.log"; }
wait_until "inv's node learning that its own feed is behind" behind_logged
expect_exit 5 inv contribute --project robotics --round A --amount 6000
expect_in "$OUT" "this home's own feed is behind: peer aud holds 5 entries of it, this home 2"
expect_in "$OUT" "the node is fetching them back from its peers: wait, or \`cofund restore BUNDLE\`"
stop_node inv
expect_exit 5 inv contribute --project robotics --round A --amount 6000
expect_in "$OUT" "this home's own feed is behind: peer aud holds 5 entries of it, this home 2"
expect_in "$OUT" "no node runs on this home: start it"
# The node says so again when it starts.
start_node inv
grep -q "own feed is behind: peer aud holds 5 entries of it (learned .*), this home 2" "$T/inv.log" ||
    fail "inv's node did not log the behind mark at start"
stop_node inv
[ "$(feed_size inv inv)" = 2 ] || fail "inv's refused appends stored something"
# A peer's export brings the entries back.
cf fund export --out "$T/fund.bundle" >/dev/null
expect_exit 0 inv restore "$T/fund.bundle"
expect_in "$OUT" "restored: own feed inv from 2 to 5 entries"
expect_in "$OUT" "caught up: peer aud held 5 entries of it; appending is allowed again"
OUT=$(contribute 6000)
expect_in "$OUT" "appended as inv#5"
start_node inv $(peer_of fund)
wait_until "inv's 6 entries at fund" size_at fund inv 6
stop_node inv

# ---- 3. restored again; its node heals from the fund's node --------------------------
rm -rf "$T/inv"
cp -a "$T/inv.backup" "$T/inv"
start_node inv $(peer_of fund)
caught_up() { grep -q "this home's own feed caught up: it holds 6 entries of it again" "$T/inv.log"; }
wait_until "inv's node fetching its own 6 entries back" caught_up
grep -q "own feed is behind: peer fund holds 6 entries of it, signed by this home's key, this home 2" "$T/inv.log" ||
    fail "inv's node did not log that the fund showed it behind"
[ "$(feed_field inv inv size)" = 6 ] && [ "$(feed_field inv inv applied)" = 6 ] ||
    fail "inv holds $(feed_field inv inv size) of its 6 entries, $(feed_field inv inv applied) applied"
OUT=$(contribute 7000)
expect_in "$OUT" "appended as inv#6"
[ -z "$(grep -i warning <<<"$OUT")" ] || fail "an append with the node running warned: $OUT"
wait_until "inv's 7 entries at fund" size_at fund inv 7
start_node aud $(peer_of fund)
wait_until "inv's 7 entries at aud" size_at aud inv 7
wait_until "the same state at inv, fund and aud" same_digest inv fund aud
for h in inv fund aud; do
    [ "$(cf "$h" forks --format json)" = "[]" ] || fail "a fork at $h: $(cf "$h" forks)"
done
verify_all inv fund aud
expect_in "$(cf inv positions --holder inv --format csv)" "28000.00"
stop_all
echo ok
