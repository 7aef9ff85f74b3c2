#!/usr/bin/env bash
# heal.sh — a home restored from an old backup takes its own feed back from
# a peer's export instead of forking (docs/operations.md "The backup rule"):
#
#   b. inv's home restored from a backup two entries behind: `cofund restore`
#      with the fund's export takes inv's own entries back (verified under
#      inv's signed checkpoint, applied by the rules); the next append lands
#      at the right index and no home sees a fork.
#   c. a bundle whose history of inv's feed is not inv's (a copy of the home
#      that appended something else), or that carries a fork proof of it, or
#      that holds nothing of it: restore refuses and changes nothing.
#   d. an append with no node running warns that the own feed was not
#      compared with a peer's (and when it last was); with a node running,
#      or in a network with no other member, it does not.
# Before `restore` existed, inv appended from the backup's size: a second
# history, which the fund's home proved a fork.
source "$(dirname "$0")/node_lib.sh" # (lib.sh, and a node for the last part)

WARN="warning: no node runs on this home, and its own feed"
network fund:fund inv:investor aud:auditor

# ---- d. the warning on a home that never compared its own feed ----------------
OUT=$(cf inv contribute --project robotics --round A --amount 1,000 2>&1 >/dev/null)
expect_in "$OUT" "$WARN was never compared with a peer's copy"
expect_in "$OUT" "The backup rule"
# A network of one member (no peer could hold more of its feed): no warning.
cf solo init --name solo >/dev/null
cf solo network create --name "Solo" >/dev/null
OUT=$(cf solo project add p1 --name "P1" 2>&1 >/dev/null)
[ -z "$OUT" ] || fail "an append in a one-member network warned: $OUT"

# ---- b. restore from a peer's export --------------------------------------------
cp -a "$T/inv" "$T/inv.backup" # the backup: inv's feed at 1 entry
cf inv contribute --project robotics --round A --amount 2,000 >/dev/null 2>&1
cf inv contribute --project robotics --round A --amount 3,000 >/dev/null 2>&1
carry inv fund aud
[ "$(feed_size fund inv)" = 3 ] || fail "fund holds $(feed_size fund inv) of inv's 3 entries"
rm -rf "$T/inv.lost" && mv "$T/inv" "$T/inv.lost"
cp -a "$T/inv.backup" "$T/inv"
[ "$(feed_size inv inv)" = 1 ] || fail "the backup holds $(feed_size inv inv) entries"

cf fund export --out "$T/fund.bundle" >/dev/null
expect_exit 0 inv restore "$T/fund.bundle"
expect_in "$OUT" "restored: own feed inv from 1 to 3 entries (the bundle holds 3)"
[ "$(feed_size inv inv)" = 3 ] || fail "inv holds $(feed_size inv inv) of its 3 entries after restore"
# Applied by the rules, as at the first append: the position counts them.
expect_in "$(cf inv positions --holder inv --format csv)" "6000.00"
cf inv verify >/dev/null || fail "verify at inv after the restore"
# The restore compared the own feed: the warning now names when, and with what.
expect_exit 0 inv contribute --project robotics --round A --amount 4,000
expect_in "$OUT" "appended as inv#3"
expect_in "$OUT" "$WARN was last compared with a peer's copy at .* (a bundle, 3 entries)"
# Restoring the same bundle again takes nothing back and changes nothing.
expect_exit 0 inv restore "$T/fund.bundle"
expect_in "$OUT" "own feed inv: this home holds 4 entries, the bundle 3: nothing to take back"
carry inv fund aud
for h in inv fund aud; do
    [ "$(cf "$h" forks --format json)" = "[]" ] || fail "a fork at $h after the restore: $(cf "$h" forks)"
    cf "$h" verify >/dev/null || fail "verify at $h"
done
[ "$(feed_size fund inv)" = 4 ] || fail "fund holds $(feed_size fund inv) of inv's 4 entries"

# ---- c. restore refuses a history of inv's feed that is not inv's ---------------
cp -a "$T/inv" "$T/inv-twin" # the same key and history, then each appends its own
cf inv-twin contribute --project robotics --round A --amount 5,000 >/dev/null 2>&1
cf inv-twin export --out "$T/twin.bundle" >/dev/null
cf inv contribute --project sensors --round seed --amount 6,000 >/dev/null 2>&1
snapshot inv "$T/inv.before"
expect_exit 1 inv restore "$T/twin.bundle"
expect_in "$OUT" "not consistent with this home's: a fork"
expect_in "$OUT" "nothing was changed"
snapshot inv "$T/inv.after"
same_file "$T/inv.before" "$T/inv.after" "inv's state before and after the refused restore"
# A bundle carrying a proof that inv's key signed two histories: refused too.
cf inv export --out "$T/inv.bundle" >/dev/null
expect_exit 0 aud import "$T/inv.bundle"
expect_exit 1 aud import "$T/twin.bundle" # aud proves the fork
cf aud export --out "$T/aud.bundle" >/dev/null
expect_exit 1 inv restore "$T/aud.bundle"
expect_in "$OUT" "not consistent with this home's: a fork"
snapshot inv "$T/inv.after2"
same_file "$T/inv.before" "$T/inv.after2" "inv's state before and after the restore of a fork proof"
# A bundle with nothing of inv's feed: nothing to restore from.
cf city export --out "$T/city2.bundle" >/dev/null
expect_exit 3 inv restore "$T/city2.bundle"
expect_in "$OUT" "the bundle holds nothing of this home's own feed (inv)"
snapshot inv "$T/inv.after3"
same_file "$T/inv.before" "$T/inv.after3" "inv's state before and after the restore of a bundle without its feed"
[ "$(cf inv forks --format json)" = "[]" ] || fail "inv holds a fork proof after refused restores"

# ---- d. no warning while a node runs ----------------------------------------------
start_node inv
OUT=$(cf inv contribute --project robotics --round A --amount 7,000 2>&1 >/dev/null)
[ -z "$OUT" ] || fail "an append with a node running warned: $OUT"
stop_node inv
echo ok
