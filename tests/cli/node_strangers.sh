#!/usr/bin/env bash
# node_strangers.sh — strangers cannot lock members out (docs/protocol.md §2
# "Strangers and members"). Against inv-a's node, from loopback addresses no
# member uses:
#
#   1. five addresses (127.0.0.2-.6) open five connections each, send the
#      HELLO of this network (its id is public) and stall, reconnecting
#      whenever dropped. Meanwhile every member handshake must succeed: a
#      member on an address no member used yet (m-new, 127.0.0.7), members
#      from 127.0.0.1 (an address members use: the reserved slots), and
#      inv-b's node, restarted, must reach inv-a again.
#   2. four addresses (127.0.0.8-.11) send HELLO after HELLO: the node's
#      public-key work (ACCEPTs) stays within its rates — at most
#      NET_HS_BURST_UNKNOWN + NET_HS_RATE_UNKNOWN a second per address —
#      while members' handshakes still succeed.
#   3. the log stays short: lines about the strangers are limited per cause
#      and interval (a summary line counts the rest).
#
# Before the admission rules, (1) took every handshake slot: no member
# handshake succeeded; (2) ran thousands of handshakes a second.
source "$(dirname "$0")/node_lib.sh"

HOSTILE=${COFUND_HOSTILE_PEER:?COFUND_HOSTILE_PEER must point at tests/tools/hostile_peer}
# net_internal.h: per unknown address, a burst of 8 handshakes and 1 a second.
HS_BURST_UNKNOWN=8
HS_RATE_UNKNOWN=1
# The log's limiter with test timeouts: 5 s intervals, 3 lines per cause.
LOG_INTERVAL_S=5
LOG_BURST=3

network inv-a:investor inv-b:investor mallory:investor m-new:investor
NET=$(cf inv-a whoami | awk '$1 == "network" {print $2}')
start_node inv-a
start_node inv-b $(peer_of inv-a)
wait_until "inv-b connected to inv-a" connected inv-a inv-b
ADDR=127.0.0.1:$(port_of inv-a)
TOOL_TIMEOUT_S=$((DEADLINE_S * 3))
LOG_FROM=$(($(wc -l <"$T/inv-a.log") + 1))
T_START=$SECONDS

# handshakes_from_strangers N — inv-a has at least N inbound handshakes in
# progress from 127.0.0.2-.6.
handshakes_from_strangers() {
    cf inv-a node status --format json | python3 -c '
import json, sys
s = json.load(sys.stdin)
k = sum(1 for p in s["node"]["peers"] if p["state"] == "handshake" and p["direction"] == "in"
        and p["address"].split(":")[0] in ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"))
sys.exit(0 if k >= int(sys.argv[1]) else 1)' "$1"
}
# probe WHO COUNT [FROM] — COUNT sessions of WHO's key one after the other;
# every one must be taken.
probe() {
    local who=$1 count=$2 from=${3:-} out
    out=$("$HOSTILE" probe "$ADDR" "$NET" --key "$T/$who/key" --count "$count" \
        --timeout-s "$TOOL_TIMEOUT_S" ${from:+--from "$from"}) || fail "hostile_peer probe: $out"
    grep -q "^probe: $count of $count sessions taken" <<<"$out" ||
        fail "$who's handshakes from ${from:-127.0.0.1} during the attack: $out"
    echo "$who from ${from:-127.0.0.1}: $out"
}

# ---- 1. stalled handshakes from five addresses ---------------------------------
"$HOSTILE" stall "$ADDR" "$NET" --from 127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6 \
    --per 5 --stop-file "$T/stop-stall" --timeout-s "$TOOL_TIMEOUT_S" >"$T/stall.out" 2>&1 &
STALL=$!
wait_until "the strangers holding 10 handshake slots at inv-a" handshakes_from_strangers 10
probe m-new 5 127.0.0.7
probe mallory 20
t0=$(now_ms)
stop_node inv-b
start_node inv-b $(peer_of inv-a)
wait_until "restarted inv-b connected to inv-a during the attack" connected inv-a inv-b
echo "inv-b restarted and connected to inv-a in $(($(now_ms) - t0)) ms during the attack"
cf inv-b contribute --project sensors --round r1 --amount 1000 >/dev/null
wait_until "inv-b's append at inv-a during the attack" holds inv-a inv-b
touch "$T/stop-stall"
rc=0
wait "$STALL" || rc=$?
[ "$rc" -eq 0 ] || fail "hostile_peer stall exited $rc: $(cat "$T/stall.out")"
cat "$T/stall.out"

# ---- 2. a HELLO flood from four addresses --------------------------------------------
"$HOSTILE" hello-flood "$ADDR" "$NET" --from 127.0.0.8,127.0.0.9,127.0.0.10,127.0.0.11 \
    --stop-file "$T/stop-flood" --timeout-s "$TOOL_TIMEOUT_S" >"$T/flood.out" 2>&1 &
FLOOD=$!
probe m-new 10 127.0.0.7
probe mallory 20
cf inv-b contribute --project sensors --round r2 --amount 1000 >/dev/null
wait_until "inv-b's append at inv-a during the flood" holds inv-a inv-b
touch "$T/stop-flood"
rc=0
wait "$FLOOD" || rc=$?
[ "$rc" -eq 0 ] || fail "hostile_peer hello-flood exited $rc: $(cat "$T/flood.out")"
read -r hellos accepts ms < <(awk '/^hello-flood:/ {print $2, $4, $9}' "$T/flood.out")
[ -n "$ms" ] || fail "hostile_peer hello-flood printed no counts: $(cat "$T/flood.out")"
# The node's work: what each address's bucket allows over the flood's time.
bound=$((4 * (HS_BURST_UNKNOWN + HS_RATE_UNKNOWN * (ms / 1000 + 1))))
echo "HELLO flood: $hellos HELLOs in $ms ms, $accepts answered (bound $bound)"
[ "$accepts" -le "$bound" ] || fail "inv-a answered $accepts HELLOs of the flood (at most $bound)"
[ "$accepts" -ge 4 ] || fail "inv-a answered no HELLO of the flood: is the flood reaching it?"

# ---- 3. the log ------------------------------------------------------------------------
# Lines about the strangers' addresses, and the limiter's summaries: per
# cause at most LOG_BURST lines and one summary an interval. Eight causes
# can be at work (refusals: rate, strangers' rate, per address, every slot;
# slot given away; handshake not finished; closed by the peer; read failed).
elapsed=$((SECONDS - T_START + 1))
windows=$((elapsed / LOG_INTERVAL_S + 2))
lines=$(tail -n "+$LOG_FROM" "$T/inv-a.log" |
    grep -cE 'peer 127\.0\.0\.([2-9]|1[01]):|log: [0-9]+ more lines like' || true)
lbound=$((8 * (LOG_BURST + 1) * windows))
echo "log: $lines lines about the strangers in ${elapsed} s (bound $lbound)"
[ "$lines" -le "$lbound" ] || fail "inv-a wrote $lines lines about the strangers (at most $lbound)"
summarised() { grep -q 'log: [0-9]* more lines like' "$T/inv-a.log"; }
wait_until "a summary line in inv-a's log" summarised
grep 'log: [0-9]* more lines like' "$T/inv-a.log" | cut -d' ' -f2- | head -3

nodes_alive
wait_until "the same state at inv-a and inv-b" same_digest inv-a inv-b
stop_all
echo ok
