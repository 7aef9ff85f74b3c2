#!/usr/bin/env bash
# node_stop.sh — a node frozen by SIGSTOP neither stops the others nor
# misses anything once it runs again (DESIGN §6; docs/protocol.md §5).
#
# Three nodes, each connected to both others: city, inv-a, inv-b.
#   1. a short stop: city is stopped while inv-a and inv-b append three
#      entries each; they exchange them directly meanwhile; SIGCONT, and
#      city catches up over its old connections.
#   2. a long stop: city stays stopped past the silence limit (4 s with
#      COFUND_NODE_TEST_TIMEOUTS=1, 60 s in production): inv-a and inv-b
#      drop it ("silent for 4 s") and keep working; SIGCONT, they reconnect,
#      and city catches up again.
# Each phase ends with every node in the same state, everything applied.
source "$(dirname "$0")/node_lib.sh"

NODES=(city inv-a inv-b)
network inv-a:investor inv-b:investor
start_node city
join_triangle city inv-a inv-b
stopped() { [ "$(awk '{print $3}' "/proc/${NODE_PID[city]}/stat")" = T ]; }
appends() { # appends ROUND — three contributions each at inv-a and inv-b
    local i
    for i in 1 2 3; do
        cf inv-a contribute --project robotics --round "$1" --amount $((i * 1000)) >/dev/null
        cf inv-b contribute --project sensors --round "$1" --amount $((i * 2000)) >/dev/null
    done
}
converged() {
    same_digest "${NODES[@]}" && all_applied city && all_applied inv-a && all_applied inv-b
}

# ---- 1. a short stop ----------------------------------------------------------------
kill -STOP "${NODE_PID[city]}"
appends A
wait_until "inv-b's entries at inv-a while city is stopped" holds inv-a inv-b
wait_until "inv-a's entries at inv-b while city is stopped" holds inv-b inv-a
stopped || fail "city's node is not stopped"
# (not `node status`: it would wait 5 s for the frozen node's answer)
[ "$(feed_size city inv-a)" = 0 ] || fail "city stored entries while stopped"
kill -CONT "${NODE_PID[city]}"
wait_until "city catching up after SIGCONT" converged
[ "$(feed_field city inv-a size)" = 3 ] && [ "$(feed_field city inv-b size)" = 3 ] ||
    fail "city holds $(feed_field city inv-a size) and $(feed_field city inv-b size) entries"
echo "short stop: converged"

# ---- 2. a stop longer than the silence limit ----------------------------------------
kill -STOP "${NODE_PID[city]}"
appends B
wait_until "inv-a and inv-b exchanging entries while city is stopped" \
    eval 'holds inv-a inv-b && holds inv-b inv-a'
dropped() { grep -q "peer city (.*) closed: silent for 4 s" "$T/$1.log"; }
wait_until "inv-a dropping the silent city" dropped inv-a
wait_until "inv-b dropping the silent city" dropped inv-b
stopped || fail "city's node is not stopped"
cf inv-a contribute --project robotics --round C --amount 7000 >/dev/null # after the drop
wait_until "inv-a's entry at inv-b" holds inv-b inv-a
kill -CONT "${NODE_PID[city]}"
wait_until "reconnected nodes" triangle_meshed city inv-a inv-b
wait_until "city catching up after the long stop" converged
[ "$(feed_field city inv-a size)" = 7 ] && [ "$(feed_field city inv-b size)" = 6 ] ||
    fail "city holds $(feed_field city inv-a size) and $(feed_field city inv-b size) entries"
echo "long stop: dropped as silent, reconnected, converged"

same_positions stopped "${NODES[@]}"
verify_all "${NODES[@]}"
stop_all
echo ok
