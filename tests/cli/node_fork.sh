#!/usr/bin/env bash
# node_fork.sh — a member's home copied with its key (cp -a) signs two
# histories while both copies run nodes. The fork is proven where the two
# histories meet, its proof is gossiped to every node (docs/protocol.md §4
# "Forks and violations"), located by fetching the other history from the
# peer that showed it, every node freezes the feed at that point, and —
# since a forked feed counts up to its point on every node (R-FORK,
# node/home/replica.h, replica_rebuild) — every node's state agrees
# afterwards.
#
#     p — city — inv-a — inv-b — p-copy
#
# p and p-copy hold the same key and history (one contribution); then each
# appends a different entry (same size, different roots). p-copy appends
# while its node is stopped: a running copy could first fetch p's new entry
# from its peers and then append after it, consistently — that is a home
# catching up, not a fork. p appends with its node running; once inv-b holds
# p's entry, p-copy's node starts again and meets the other history.
source "$(dirname "$0")/node_lib.sh"

NODES=(p city inv-a inv-b p-copy)
network inv-a:investor inv-b:investor p:investor
cf p contribute --project robotics --round A --amount 1,000,000 >/dev/null
cp -a "$T/p" "$T/p-copy" # same key, same history so far

start_node city
start_node p $(peer_of city)
start_node inv-a $(peer_of city)
start_node inv-b $(peer_of inv-a)
start_node p-copy $(peer_of inv-b)
line_up() {
    [ "$(peers_of city)" = "inv-a p" ] && [ "$(peers_of inv-a)" = "city inv-b" ] &&
        [ "$(peers_of inv-b)" = "inv-a p" ]
}
wait_until "line of connections p—city—inv-a—inv-b—p-copy" line_up
converged() { same_digest "${NODES[@]}" && for h in "${NODES[@]}"; do all_applied "$h" || return 1; done; }
wait_until "the same state at all five nodes before the fork" converged
same_positions before "${NODES[@]}"
expect_in "$(cat "$T/before.city.positions.csv")" "^equity,robotics,p,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,1000000.00,"

# ---- the fork ---------------------------------------------------------------------
stop_node p-copy
cf p-copy contribute --project robotics --round A --amount 200,000 >/dev/null
cf p contribute --project robotics --round A --amount 100,000 >/dev/null
wait_until "p's new entry at inv-b" holds inv-b p
start_node p-copy $(peer_of inv-b)
knows_fork() { cf "$1" forks --format json | grep -q '"member": "p"'; }
for h in "${NODES[@]}"; do wait_until "the fork proof at $h" knows_fork "$h"; done
grep -h "warn fork: p signed two histories" "$T"/*.log | head -3
grep -q "warn fork: p signed two histories (found in a batch" "$T"/*.log ||
    fail "no node logged proving the fork from a batch"

# ---- afterwards: frozen everywhere, the same state everywhere -------------------------
for h in "${NODES[@]}"; do
    [ "$(feed_field "$h" p state)" = forked ] || fail "p's feed is $(feed_field "$h" p state) at $h"
done
cf inv-a contribute --project robotics --round B --amount 500,000 >/dev/null # business goes on
# digest_but_p HOME — the digest without p's feed (its copies differ by design)
digest_but_p() { digest "$1" | grep -v '^p '; }
agree() {
    local first h
    first=$(digest_but_p p) || return 1
    for h in "${NODES[@]:1}"; do [ "$(digest_but_p "$h")" = "$first" ] || return 1; done
    for h in "${NODES[@]}"; do holds "$h" inv-a || return 1; done
}
wait_until "the same state (but p's copies) at all five nodes after the fork" agree
same_positions after "${NODES[@]}"
P=$(cat "$T/after.city.positions.csv")
# Contained at its point (R-FORK): p's first entry, which both histories
# hold, counts on every node; neither entry at index 1 does.
expect_in "$P" "^equity,robotics,p,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,1000000.00,"
expect_in "$P" "^equity,robotics,inv-a,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,500000.00,"
# Seen over the network as two checkpoints of one size, the fork is located
# by fetching the other history from the peer that showed it (sync.c,
# locate_fork): every node states the same point.
for h in "${NODES[@]}"; do
    expect_in "$(cf "$h" forks --format json)" '"point": 1'
done
for h in "${NODES[@]}"; do cf "$h" forks --format json | grep -o '"member": "[^"]*"' >"$T/$h.forks"; done
for h in "${NODES[@]}"; do same_file "$T/city.forks" "$T/$h.forks" "the forked members at city and at $h"; done
# The author's nodes know their own feed is forked: no more appends.
expect_exit 1 p contribute --project robotics --round A --amount 1
expect_in "$OUT" "own feed is forked"
verify_all "${NODES[@]}"
stop_all
echo ok
