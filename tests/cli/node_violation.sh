#!/usr/bin/env bash
# node_violation.sh — an entry that breaks a rule, signed by its author
# under a valid checkpoint, is held as the same violation on every node
# (DESIGN §4 "Violation"; docs/protocol.md §4: every node finds violations
# itself when it applies entries).
#
# Star around the city: fund, inv-a and inv-b dial it. inv-a contributes
# 1,000,000, the fund matches it in full. Then the fund's node is stopped
# and the fund's home, dishonest, appends with tests/tools/forge (no rules;
# a checkpoint signed with the fund's key) a second match of 1,000,000
# against inv-a#0 — over the 1:1 ratio (R-MATCH.4) — and after it a valid
# one. The fund's node restarts; every node fetches the feed, rejects the
# entry, keeps it as evidence and holds the feed there; the fund's own node
# finds it at its next drain. `cofund violations --format json` is the
# same everywhere, and so are the positions (the bad match counts nowhere) —
# inv-b's node speaks Chinese (its config's `lang zh`): what it stores as
# evidence, and what `violations --format json` prints, is English all the same.
source "$(dirname "$0")/node_lib.sh"

NODES=(city fund inv-a inv-b)
network fund:fund inv-a:investor inv-b:investor
echo "lang zh" >>"$T/inv-b/config"
start_node city
for h in fund inv-a inv-b; do start_node "$h" $(peer_of city); done
wait_until "three nodes connected to city" eval '[ "$(peers_of city)" = "fund inv-a inv-b" ]'

cf inv-a contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
cf inv-a contribute --project robotics --round B --amount 2,000,000 --program industrial >/dev/null
wait_until "inv-a's contributions at the fund" holds fund inv-a
cf fund match --program industrial --project robotics --round A --auto 1,000,000 >/dev/null
converged() { same_digest "${NODES[@]}" && for h in "${NODES[@]}"; do all_applied "$h" || return 1; done; }
wait_until "the same state at the four nodes" converged
same_positions before "${NODES[@]}"

# ---- the fund's home signs what the rules refuse ----------------------------------
stop_node fund
KA=$(key_of inv-a)
leaf_of() { cf city show "$1" --format json | grep -o '"leaf": "[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
forge encode "$T/fund" match "$T/bad.cbor" --program industrial --project robotics --round A \
    --cite "$KA:0:$(leaf_of inv-a:0):100000000" || fail "forge encode"
forge append "$T/fund" "$T/bad.cbor" >/dev/null || fail "forge append"
forge encode "$T/fund" match "$T/next.cbor" --program industrial --project robotics --round B \
    --cite "$KA:1:$(leaf_of inv-a:1):200000000" || fail "forge encode"
forge append "$T/fund" "$T/next.cbor" >/dev/null || fail "forge append"
BAD=$(($(feed_size fund fund) - 2))
start_node fund $(peer_of city)

# The others hold it as soon as they have the feed; the fund's own node at
# its next drain (the next batch it applies: inv-b's contribution).
held_at() { [ "$(feed_field "$1" fund state)" = held ]; }
for h in city inv-a inv-b; do wait_until "the violation held at $h" held_at "$h"; done
cf inv-b contribute --project sensors --round seed --amount 10,000 >/dev/null
wait_until "the violation held at the fund's own node" held_at fund
everywhere() { local h; for h in city fund inv-a; do holds "$h" "$1" || return 1; done; }
wait_until "inv-b's contribution everywhere" everywhere inv-b
grep -q "warn violation: fund#$BAD rejected by R-MATCH.4" "$T/city.log" ||
    fail "city did not log the violation"

for h in "${NODES[@]}"; do cf "$h" violations --format json >"$T/$h.violations"; done
V=$(cat "$T/city.violations")
expect_in "$V" '"rule": "R-MATCH.4"'
expect_in "$V" "\"index\": $BAD"
[ "$(grep -c '"rule"' <<<"$V")" = 1 ] || fail "one violation expected: $V"
for h in "${NODES[@]}"; do same_file "$T/city.violations" "$T/$h.violations" "violations at city and at $h"; done
wait_until "the same state at the four nodes after the violation" same_digest "${NODES[@]}"
same_positions after "${NODES[@]}"
expect_in "$(cat "$T/after.city.positions.csv")" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,1000000.00,"
# Everything up to the bad entry is applied, nothing from it on.
[ "$(feed_field city fund applied)" = "$BAD" ] ||
    fail "city applied $(feed_field city fund applied) of the fund's entries, wanted $BAD"
verify_all "${NODES[@]}"
stop_all
echo ok
