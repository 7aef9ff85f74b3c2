#!/usr/bin/env bash
# crash.sh — nothing acknowledged is ever lost, and nothing half-written is
# ever seen. tests/tools/crash_appender.c appends contribution batches of
# 1..50 entries through append_entries and prints "acked <feed size>" after
# each commit; it is killed with kill -9 at random moments, again and again,
# then the home must verify, hold at least every acknowledged entry, and
# have applied exactly the entries it holds.
#
# Replay a run with CRASH_SEED=<the seed printed>; CRASH_KILLS sets the
# number of kills (default 200).
source "$(dirname "$0")/lib.sh"
: "${COFUND_CRASH_APPENDER:?COFUND_CRASH_APPENDER must point at the crash appender}"

SEED=${CRASH_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
KILLS=${CRASH_KILLS:-200}
echo "crash.sh: seed $SEED, $KILLS kills (replay: CRASH_SEED=$SEED)"
RANDOM=$SEED

network inv:investor

# wait_acked FILE — until the appender acknowledged a first commit (bounded).
wait_acked() {
    local deadline=$((SECONDS + 20))
    until grep -q '^acked ' "$1"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "no commit acknowledged within 20 s: $(cat "$1.err")"
        sleep 0.005
    done
}

max_acked=0
for i in $(seq 1 "$KILLS"); do
    out="$T/acks.$i"
    : >"$out" # (exists even if the kill lands before the redirection)
    : >"$out.err"
    "$COFUND_CRASH_APPENDER" "$T/inv" --seed "$((SEED * 1000 + i))" >"$out" 2>"$out.err" &
    pid=$!
    # Half of the kills land anywhere (also while the home is being opened),
    # half only after a first commit, somewhere in the middle of later ones.
    if [ $((i % 2)) -eq 0 ]; then wait_acked "$out"; fi
    sleep "$(printf '0.%03d' $((RANDOM % 40)))"
    kill -9 "$pid" 2>/dev/null || true
    rc=0
    wait "$pid" 2>/dev/null || rc=$? # (no "Killed" notice)
    [ "$rc" -eq 137 ] || fail "run $i: the appender ended by itself (exit $rc): $(cat "$out.err")"
    # Every acknowledgement of this run follows every earlier one: an
    # acknowledged commit was not lost by an earlier kill.
    while read -r word size; do
        [ "$word" = acked ] || continue
        [ "$size" -gt "$max_acked" ] ||
            fail "run $i acknowledged size $size after $max_acked was acknowledged (seed $SEED)"
        max_acked=$size
    done <"$out"
    if [ $((i % 10)) -eq 0 ]; then
        cf inv verify >/dev/null || fail "verify after kill $i (seed $SEED)"
    fi
done
[ "$max_acked" -gt 0 ] || fail "no commit was ever acknowledged (seed $SEED)"

# ---- after the last kill ------------------------------------------------------
cf inv verify >/dev/null || fail "verify failed after $KILLS kills (seed $SEED)"
cf inv log inv --format csv >"$T/log.csv"
size=$(($(wc -l <"$T/log.csv") - 1))
[ "$size" -ge "$max_acked" ] || fail "feed holds $size entries, $max_acked were acknowledged (seed $SEED)"
# Everything stored was applied, and the latest checkpoint covers it all.
notapplied=$(tail -n +2 "$T/log.csv" | grep -vc ',true,false,,[0-9a-f]*$' || true)
[ "$notapplied" -eq 0 ] || fail "$notapplied stored entries are not applied (seed $SEED)"
[ "$(cf inv checkpoint | sed -n 2p)" = "$size" ] || fail "the latest checkpoint is not of size $size"
# The state agrees with the entries: the position is the sum of them all.
if command -v python3 >/dev/null; then
    sum=$(cf inv log inv --format json | python3 -c '
import json, sys
from decimal import Decimal
print("%.2f" % sum(Decimal(e["amount"]) for e in json.load(sys.stdin)))')
    expect_in "$(cf inv positions --holder inv --format csv)" "^equity,robotics,inv,[0-9a-f]*,investor,$sum,0.00,$sum,"
fi
# And the home still takes appends.
cf inv contribute --project robotics --round A --amount 1 >/dev/null
[ "$(feed_size inv inv)" = $((size + 1)) ] || fail "append after the crashes"
echo "crash.sh: $KILLS kills, $max_acked acknowledged, $size held"
echo ok
