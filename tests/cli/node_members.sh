#!/usr/bin/env bash
# node_members.sh — one member cannot exhaust a node (docs/protocol.md §2
# "Strangers and members", §5):
#
#   1. mallory's key opens 130 sessions to inv-a: inv-a keeps at most 3 of
#      them (each new one replaces the oldest) and another member (m-probe)
#      still gets in. Before: 127 sessions, then "128 connections already"
#      for everyone.
#   2. m-forge sends cosig messages carrying a forged cosignature line (named
#      after the city, signed by another key): after 3 such messages inv-a
#      drops it and backs its key off — a new session is refused. Before:
#      it was never dropped, every message cost a verification and a write.
#   3. m-flood sends valid cosig messages of inv-b's latest checkpoint that
#      add nothing, as fast as it can for 4 s: inv-a handles them within its
#      work budget for one peer (25% of the time, NET_PEER_WORK_PCT) — its
#      CPU time stays well under the flood's duration. Before: all of it.
source "$(dirname "$0")/node_lib.sh"

HOSTILE=${COFUND_HOSTILE_PEER:?COFUND_HOSTILE_PEER must point at tests/tools/hostile_peer}
network inv-a:investor inv-b:investor mallory:investor m-probe:investor m-forge:investor \
    m-flood:investor
NET=$(cf inv-a whoami | awk '$1 == "network" {print $2}')
start_node inv-a
start_node inv-b $(peer_of inv-a)
wait_until "inv-b connected to inv-a" connected inv-a inv-b
ADDR=127.0.0.1:$(port_of inv-a)
TOOL_TIMEOUT_S=$((DEADLINE_S * 2))

# sessions_of HOME MEMBER — established sessions of MEMBER at HOME.
sessions_of() {
    cf "$1" node status --format json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(sum(1 for p in s["node"]["peers"] if p["state"] == "established" and p["member"] == sys.argv[1]))' "$2"
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/${NODE_PID[$1]}/status"; }

# ---- 1. many sessions of one key ------------------------------------------------------
"$HOSTILE" sessions "$ADDR" "$NET" --key "$T/mallory/key" --count 130 \
    --stop-file "$T/stop-sessions" --timeout-s "$TOOL_TIMEOUT_S" >"$T/sessions.out" 2>&1 &
SESSIONS=$!
opened() { grep -q '^opened 130 sessions' "$T/sessions.out"; }
wait_until "130 sessions of mallory opened at inv-a" opened
n=$(sessions_of inv-a mallory)
[ "$n" -le 3 ] || fail "inv-a holds $n sessions of mallory (at most 3)"
# (from another address: mallory's handshakes used up 127.0.0.1's rate)
out=$("$HOSTILE" probe "$ADDR" "$NET" --key "$T/m-probe/key" --count 5 --from 127.0.0.7 \
    --timeout-s "$TOOL_TIMEOUT_S")
grep -q "^probe: 5 of 5 sessions taken" <<<"$out" || fail "m-probe after mallory's sessions: $out"
connected inv-a inv-b || fail "inv-b lost its session with inv-a"
touch "$T/stop-sessions"
rc=0
wait "$SESSIONS" || rc=$?
[ "$rc" -eq 0 ] || fail "hostile_peer sessions exited $rc: $(cat "$T/sessions.out")"
echo "sessions: mallory opened 130, inv-a holds $n; m-probe: $out; inv-a's RSS $(rss_kib inv-a) KiB"
grep -q 'replaced by a newer session of the same member (at most 3 a member)' "$T/inv-a.log" ||
    fail "inv-a did not log the replaced sessions"

# ---- 2. forged cosignatures -------------------------------------------------------------
cf inv-b contribute --project sensors --round r1 --amount 1000 >/dev/null
wait_until "inv-b's append at inv-a" holds inv-a inv-b
# inv-a's own copy of inv-b's latest checkpoint: what a cosig must carry
# (cosigned or not: of the 6 other members, 4 witness inv-b's feed, and the
# nodes of inv-a and inv-b are the only ones running; ingest.h).
cf inv-a checkpoint inv-b >"$T/inv-b.ckpt"
CITY_ORIGIN=cofund/${NET:0:16}/$(key_of city)
FROM=$(($(wc -l <"$T/inv-a.log") + 1))
out=$("$HOSTILE" cosig "$ADDR" "$NET" --key "$T/m-forge/key" --checkpoint "$T/inv-b.ckpt" \
    --from 127.0.0.9 --forge "$CITY_ORIGIN" --count 1000 --timeout-s "$TOOL_TIMEOUT_S") ||
    fail "hostile_peer cosig --forge: $out"
grep -q '^cosig: a new session was refused' <<<"$out" || fail "m-forge was not backed off: $out"
tail -n "+$FROM" "$T/inv-a.log" | grep -q 'm-forge (127.0.0.9:[0-9]*) closed: forged cosignatures: 3 messages carried lines that do not verify' ||
    fail "inv-a did not drop m-forge for its forged lines"
tail -n "+$FROM" "$T/inv-a.log" | grep -q 'm-forge (127.0.0.9:[0-9]*) closed: refused: backed off for [0-9]* s more after: forged cosignatures' ||
    fail "inv-a did not refuse m-forge's next session"
echo "forged cosignatures: $(tr '\n' ' ' <<<"$out")"
# The forged line was never stored.
! cf inv-a checkpoint inv-b | grep -q "^— $CITY_ORIGIN " || fail "inv-a stored the forged line"

# ---- 3. a flood of valid cosig messages ---------------------------------------------------
cf inv-a checkpoint inv-b >"$T/inv-b.ckpt"
# From an address of its own: 127.0.0.1's handshake rate was spent by the
# sessions above, and how soon it refills depends on how fast they ran.
"$HOSTILE" cosig "$ADDR" "$NET" --key "$T/m-flood/key" --checkpoint "$T/inv-b.ckpt" \
    --from 127.0.0.8 --count 10000000 --for-ms 4000 --stop-file "$T/stop-cosig" --timeout-s "$TOOL_TIMEOUT_S" \
    >"$T/flood.out" 2>&1 &
FLOOD=$!
flooded() { grep -q '^cosig: sent' "$T/flood.out"; }
wait_until "m-flood's 4 s of cosig messages" flooded
# m-flood's session at inv-a: the time inv-a spent on its messages, and the
# session's age. The budget: a 500 ms burst and 25% of the time after it
# (one message may overrun it by its own cost).
read -r work age handled < <(cf inv-a node status --format json | python3 -c '
import datetime, json, sys
s = json.load(sys.stdin)
p = [p for p in s["node"]["peers"] if p["member"] == "m-flood"][0]
since = datetime.datetime.strptime(p["connected_since"], "%Y-%m-%dT%H:%M:%S.%fZ")
age = (datetime.datetime.utcnow() - since).total_seconds() * 1000
print(p["work_ms"], int(age), p["messages_in"])')
touch "$T/stop-cosig"
rc=0
wait "$FLOOD" || rc=$?
[ "$rc" -eq 0 ] || fail "hostile_peer cosig exited $rc: $(cat "$T/flood.out")"
bound=$((500 + age / 4 + 100))
echo "cosig flood: $(grep '^cosig' "$T/flood.out"); inv-a handled $handled of them in $work ms of work over $age ms (bound $bound)"
[ "$work" -le "$bound" ] ||
    fail "inv-a spent $work ms on one peer's cosig messages in $age ms (at most $bound)"
cf inv-b contribute --project sensors --round r2 --amount 1000 >/dev/null
wait_until "inv-b's append at inv-a after the cosig flood" holds inv-a inv-b

nodes_alive
wait_until "the same state at inv-a and inv-b" same_digest inv-a inv-b
stop_all
echo ok
