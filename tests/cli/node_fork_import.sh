#!/usr/bin/env bash
# node_fork_import.sh — a fork found by `import` on a home whose node is
# running reaches the other nodes at once (the forks issue, item 5): the
# CLI tells its node (control socket), the node gossips the proof to every
# peer on the connections it has — no reconnection needed — and each peer
# contains the fork at the same point (R-FORK).
#
#     city — inv-a        p and p-copy: one investor's home and its copy, no nodes
source "$(dirname "$0")/node_lib.sh"

NODES=(city inv-a)
network inv-a:investor p:investor
cf p contribute --project robotics --round A --amount 1,000,000 >/dev/null
cp -a "$T/p" "$T/p-copy" # same key, same history so far
cf p contribute --project robotics --round A --amount 100,000 >/dev/null
cf p-copy contribute --project robotics --round A --amount 200,000 >/dev/null
cf p export --out "$T/p.bundle" >/dev/null
cf p-copy export --out "$T/p-copy.bundle" >/dev/null

start_node city
start_node inv-a $(peer_of city)
wait_until "inv-a connected to city" connected inv-a city
expect_exit 0 city import "$T/p.bundle"
wait_until "p's feed at inv-a" holds inv-a p
CONNECTS=$(grep -c 'connected:' "$T/inv-a.log")

# The other history, imported at city while both nodes run.
expect_exit 1 city import "$T/p-copy.bundle"
expect_in "$OUT" "1 new fork"
knows_fork() { cf "$1" forks --format json | grep -q '"point": 1'; }
knows_fork city || fail "city's import did not locate the fork at entry 1"
wait_until "the fork proof at inv-a" knows_fork inv-a
[ "$(grep -c 'connected:' "$T/inv-a.log")" = "$CONNECTS" ] ||
    fail "inv-a reconnected before it learned the fork: $(grep 'connected:' "$T/inv-a.log" | tail -2)"
grep -q "warn fork: p signed two histories (proof from city)" "$T/inv-a.log" ||
    fail "inv-a did not log the proof from city"
# Contained at its point on both nodes: p#0 stands, neither entry at 1 counts.
for h in "${NODES[@]}"; do
    expect_in "$(cf "$h" positions --format csv)" "^equity,robotics,p,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,1000000.00,"
done
same_positions after "${NODES[@]}"
verify_all "${NODES[@]}"
stop_all
echo ok
