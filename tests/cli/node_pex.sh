#!/usr/bin/env bash
# node_pex.sh — peer exchange (docs/protocol.md §4 "Peer exchange",
# docs/operations.md "Topology for a city"): five member nodes, each started
# with one --peer (m2 dials m1, m3 dials m2, ...) and `peers-target 4` in its
# config, learn where the others listen from their peers, dial them, and end
# with a session to every other member; one append each converges. Then m1
# restarts on another port, dialling only m3 (`peers-target 1`): m2, whose
# configured address of m1 is now dead, learns the new one (m1 announced it
# to m3, m3 relays it) and dials m1 there itself.
source "$(dirname "$0")/node_lib.sh"

M=(m1 m2 m3 m4 m5)
specs=()
for m in "${M[@]}"; do specs+=("$m:investor"); done
network "${specs[@]}"

for m in "${M[@]}"; do echo "peers-target 4" >"$T/$m/config"; done
start_node m1
for i in 1 2 3 4; do start_node "${M[$i]}" $(peer_of "${M[$((i - 1))]}"); done

# sessions_with HOME OTHER... — HOME has an established session with each OTHER.
sessions_with() {
    local have o
    have=$(peers_of "$1")
    for o in "${@:2}"; do grep -qw -- "$o" <<<"$have" || return 1; done
}
all_meshed() {
    local m o others
    for m in "${M[@]}"; do
        others=()
        for o in "${M[@]}"; do [ "$o" = "$m" ] || others+=("$o"); done
        sessions_with "$m" "${others[@]}" || return 1
    done
}
wait_until "a session between every two members (learned addresses)" all_meshed
learned=$(counter m5 peers_learned)
[ "$learned" -ge 3 ] || fail "m5 learned $learned addresses, want at least 3"

for m in "${M[@]}"; do cf "$m" contribute --project robotics --round A --amount 100 >/dev/null; done
wait_until "every member's feed at every node" same_digest "${M[@]}"
for m in "${M[@]}"; do all_applied "$m" || fail "$m has entries pending"; done

# m1 restarts on another port, dialling only m3.
old=$(port_of m1)
stop_node m1
new=$old
while [ "$new" = "$old" ]; do
    echo "peers-target 1" >"$T/m1/config"
    start_node m1 $(peer_of m3)
    new=$(port_of m1)
    [ "$new" != "$old" ] || stop_node m1
done
m2_dials_m1() {
    cf m2 node status --format json | python3 -c '
import json, sys
s = json.load(sys.stdin)
sys.exit(0 if any(p["state"] == "established" and p["member"] == "m1" and p["direction"] == "out"
                  and p["address"].endswith(":" + sys.argv[1]) for p in s["node"]["peers"]) else 1)' "$new"
}
wait_until "m2 dialling m1 at its new port $new (learned)" m2_dials_m1
cf m1 contribute --project robotics --round A --amount 100 >/dev/null
wait_until "m1's new entry at every node" same_digest "${M[@]}"
stop_all
echo ok
