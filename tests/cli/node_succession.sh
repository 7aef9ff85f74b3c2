#!/usr/bin/env bash
# node_succession.sh — a succession spreads over the network (R-SUCCEED,
# docs/protocol.md §4): the fund's and inv's nodes run, connected; the city's
# key is lost; a new governance home joins, two of three recovery holders
# sign, it writes the succession and registers a project; its bundle is
# imported at the fund alone. inv's node fetches the new key's feed from the
# fund's node (a feed it held nothing of, in a network with recovery keys,
# stored because it starts with a signed succession), rebuilds, and then
# contributes to the new project. Before: inv's node never asked for a
# non-member's feed, and the succession reached only homes that imported it.
source "$(dirname "$0")/node_lib.sh"

for r in r1 r2 r3; do cf "$r" init --name "$r" >/dev/null; done
NETWORK_ARGS="--recovery-key $(key_of r1) --recovery-key $(key_of r2) --recovery-key $(key_of r3)"
NETWORK_ARGS+=" --recovery-quorum 2"
network fund:fund inv:investor
NET=$(cf city whoami | awk '$1 == "network" {print $2}')
G=$(feed_size city city)
start_node fund
start_node inv $(peer_of fund)
wait_until "inv connected to fund" connected inv fund

cf gov2 init --name gov2 >/dev/null
cf gov2 join "$T/city.bundle" >/dev/null
GOV2=$(key_of gov2)
sigs=()
for r in r1 r3; do
    sigs+=(--sig "$(cf "$r" recovery sign --network "$NET" --prev "$(key_of city)" \
        --key "$GOV2" --close "$G" 2>/dev/null)")
done
cf gov2 network succeed --close "$G" "${sigs[@]}" >/dev/null
cf gov2 project add drones --name "Drone Works" --kind equity >/dev/null
cf gov2 export --out "$T/gov2.bundle" >/dev/null
cf fund import "$T/gov2.bundle" >/dev/null

registered() { cf inv positions --project drones >/dev/null 2>&1; }
wait_until "inv's node learned the succession from the fund's" registered
expect_exit 0 inv contribute --project drones --round A --amount 50,000 --program industrial
expect_in "$(cf inv log "$GOV2")" "succession"
verify_all fund inv
stop_all
echo ok
