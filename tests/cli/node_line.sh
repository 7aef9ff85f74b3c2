#!/usr/bin/env bash
# node_line.sh — five nodes in a line replicate everything, hop by hop
# (docs/protocol.md §4 "Relay"): each node only knows its neighbours,
#
#     inv-a — city — fund — inv-b — team-x
#
# (city: governance; fund: operates both programs; two investors; an
# incubation team). The policy story runs over TCP: contributions at the
# ends reach the fund two hops away, its matches reach everyone. Then every
# node reports the same size and root for every feed and the same signed
# checkpoints (cosignatures included), everything applied, identical positions, and verify passes.
# An append at one end is timed until the other end holds it (4 hops).
source "$(dirname "$0")/node_lib.sh"

LINE=(inv-a city fund inv-b team-x)
network fund:fund inv-a:investor inv-b:investor team-x:team

# ---- the line: each node dials the one before it ----------------------------
start_node inv-a
for i in 1 2 3 4; do
    # shellcheck disable=SC2046 # peer_of prints the flag and its value
    start_node "${LINE[$i]}" $(peer_of "${LINE[$((i - 1))]}")
done
line_up() {
    [ "$(peers_of inv-a)" = "city" ] && [ "$(peers_of city)" = "fund inv-a" ] &&
        [ "$(peers_of fund)" = "city inv-b" ] && [ "$(peers_of inv-b)" = "fund team-x" ] &&
        [ "$(peers_of team-x)" = "inv-b" ]
}
wait_until "line of connections inv-a—city—fund—inv-b—team-x" line_up

# ---- an append at one end reaches the other, 4 hops away --------------------
t0=$(now_ms)
cf inv-a contribute --project robotics --round A --amount 5,000,000 --program industrial >/dev/null
wait_until "inv-a's contribution at team-x" holds team-x inv-a
t1=$(now_ms)
echo "latency: append at inv-a visible at team-x (4 hops) after $((t1 - t0)) ms"

# ---- the story: the fund matches what reaches it from both ends -------------
wait_until "inv-a's contribution at the fund" holds fund inv-a
cf fund match --program industrial --project robotics --round A --auto 5,000,000 >/dev/null
t0=$(now_ms)
cf team-x contribute --project sensors --round seed --amount 40万 --program incubation >/dev/null
wait_until "team-x's contribution at inv-a" holds inv-a team-x
t1=$(now_ms)
echo "latency: append at team-x visible at inv-a (4 hops) after $((t1 - t0)) ms"
wait_until "team-x's contribution at the fund" holds fund team-x
expect_exit 1 fund match --program incubation --project sensors --round seed --auto 400000
expect_in "$OUT" "R-CAP"
cf fund match --program incubation --project sensors --round seed --auto 300000 >/dev/null
cf inv-b contribute --project robotics --round A --amount 3,000,000 --program industrial >/dev/null
wait_until "inv-b's contribution at the fund" holds fund inv-b
cf fund match --program industrial --project robotics --round A --auto 3,000,000 >/dev/null
wait_until "the fund's matches at inv-b" holds inv-b fund
cf inv-b exit --project robotics --amount 1,000,000 >/dev/null # needs the match applied there

# ---- convergence ---------------------------------------------------------------
converged() {
    same_digest "${LINE[@]}" && for h in "${LINE[@]}"; do all_applied "$h" || return 1; done
}
wait_until "the same state at all five nodes" converged
digest city >"$T/digest"
for f in "${LINE[@]}"; do
    grep -q "^$f [1-9]" "$T/digest" || fail "no entries of $f in the converged state"
    for h in "${LINE[@]}"; do holds "$h" "$f" || fail "$h holds another checkpoint of $f than its author"; done
done
# The cosignatures spread hop by hop too: every node ends with the same
# lines on every checkpoint.
wait_until "the same cosigned checkpoints at all five nodes" same_checkpoints "${LINE[@]}"
grep -q ' ok$' "$T/digest" && ! grep -v '^forks' "$T/digest" | grep -qv ' ok$' ||
    fail "a feed is not ok: $(cat "$T/digest")"
same_positions line "${LINE[@]}"
P=$(cat "$T/line.city.positions.csv")
expect_in "$P" "^equity,robotics,inv-a,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,5000000.00,"
expect_in "$P" "^equity,robotics,inv-b,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,2000000.00,"
expect_in "$P" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,8000000.00,"
expect_in "$P" "^equity,sensors,team-x,[0-9a-f]*,team,[0-9.]*,[0-9.]*,400000.00,"
expect_in "$P" "^equity,sensors,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,300000.00,"
verify_all "${LINE[@]}"
# Nothing travelled but over the line's links: city and team-x never met.
grep -q "connected: team-x" "$T/city.log" && fail "city connected to team-x directly"
stop_all
echo ok
