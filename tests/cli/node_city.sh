#!/usr/bin/env bash
# node_city.sh — many members at once (docs/operations.md "Topology"): 32
# nodes on loopback (127.0.0.1) in a sparse topology converge; a partition
# into two halves heals to identical checkpoints and positions. Prints the
# time to converge each time.
#
# Two halves, A = c00..c15 (c00 is the city, the governance) and
# B = c16..c31. Inside a half, node i dials i-1 and i-4 (a ladder: at most 4
# links a node, about 4 hops across a half); two bridges join the halves:
# c16 dials c15 and c24 dials c07. The partition restarts the bridges
# without their links across; the heal restarts them with.
# The same 32 nodes under the sanitizers (about 45 s there).
source "$(dirname "$0")/node_lib.sh"

HALF=16
N=$((2 * HALF))
NODES=()
for ((i = 0; i < N; i++)); do NODES+=("$(printf 'c%02d' "$i")"); done
A=("${NODES[@]:0:HALF}")
B=("${NODES[@]:HALF}")
BRIDGE1=$HALF              # dials HALF-1
BRIDGE2=$((HALF + HALF / 2)) # dials HALF/2-1

# The city is c00: `network` makes "city"; the others are investors.
specs=()
for n in "${NODES[@]:1}"; do specs+=("$n:investor"); done
network "${specs[@]}"
mv "$T/city" "$T/c00"

# Every member contributes before the nodes start: N feeds to spread.
for n in "${NODES[@]:1}"; do
    cf "$n" contribute --project robotics --round A --amount 1000 >/dev/null
done

# peers_in HALF-INDEX-BASE I — the --peer flags of node I inside its half.
inner_peers() {
    local i=$1 base=$(($1 / HALF * HALF)) j
    for j in $((i - 1)) $((i - 4)); do
        [ "$j" -ge "$base" ] && peer_of "${NODES[$j]}"
    done
    return 0
}
bridge_peer() { # the node across that bridge I dials, if I is a bridge
    if [ "$1" -eq "$BRIDGE1" ]; then peer_of "${NODES[$((HALF - 1))]}"; fi
    if [ "$1" -eq "$BRIDGE2" ]; then peer_of "${NODES[$((HALF / 2 - 1))]}"; fi
    return 0
}

# converged HOME... — every home reports the same size, root and applied
# count for every feed, nothing pending (one status per home, in parallel).
converged() {
    python3 - "$COFUND_BIN" "$T" "$@" <<'EOF'
import concurrent.futures, json, subprocess, sys
bin_, t, homes = sys.argv[1], sys.argv[2], sys.argv[3:]
def digest(h):
    out = subprocess.run([bin_, "--home", f"{t}/{h}", "node", "status", "--format", "json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None
    s = json.loads(out.stdout)
    return tuple(sorted((f["key"], f["size"], f["root"], f["applied"], f["state"])
                        for f in s["feeds"])), tuple(sorted(f["member"] for f in s["forks"]))
with concurrent.futures.ThreadPoolExecutor(8) as ex:
    ds = list(ex.map(digest, homes))
ok = ds[0] is not None and all(d == ds[0] for d in ds) and \
     all(f[1] == f[3] for f in ds[0][0]) and len(ds[0][0]) == int(__import__("os").environ["WANT_FEEDS"])
sys.exit(0 if ok else 1)
EOF
}
export WANT_FEEDS=$N

# ---- start: each node dials its neighbours that already run ----------------------
t0=$(now_ms)
for ((i = 0; i < N; i++)); do
    # shellcheck disable=SC2046 # the flags and their values
    start_node "${NODES[$i]}" $(inner_peers "$i") $(bridge_peer "$i")
done
t1=$(now_ms)
wait_until "the $N nodes converged" converged "${NODES[@]}"
echo "$N nodes ($N feeds, at most 4 links a node): started one after the other in $((t1 - t0)) ms, converged $(($(now_ms) - t1)) ms after the last one started"

# ---- partition: the bridges restart without their links across -------------------
# restart I WITH-BRIDGE — on the same port (its neighbours dial it there).
restart() {
    local who=${NODES[$1]} port
    port=$(port_of "$who")
    stop_node "$who"
    : >"$T/$who.out"
    # shellcheck disable=SC2046
    "$COFUND_BIN" --home "$T/$who" node run --listen "127.0.0.1:$port" $(inner_peers "$1") \
        $([ "$2" = 1 ] && bridge_peer "$1") >"$T/$who.out" 2>>"$T/$who.log" &
    NODE_PID[$who]=$!
    wait_until "ready line from $who's node" node_ready "$who"
}
restart "$BRIDGE1" 0
restart "$BRIDGE2" 0
no_links_across() {
    local n p
    for n in "${A[@]}"; do
        for p in $(peers_of "$n"); do [[ " ${B[*]} " == *" $p "* ]] && return 1; done
    done
    return 0
}
wait_until "no link between the halves" no_links_across
# Each half appends and converges on its own.
cf "${A[3]}" contribute --project robotics --round A --amount 2000 >/dev/null
cf "${B[3]}" contribute --project sensors --round seed --amount 3000 >/dev/null
cf "${A[0]}" project add drones --name "Drone Co." --kind equity >/dev/null
wait_until "half A converged" converged "${A[@]}"
wait_until "half B converged" converged "${B[@]}"
[ "$(feed_field "${A[1]}" "${B[3]}" size)" != "$(feed_field "${B[0]}" "${B[3]}" size)" ] ||
    fail "half A holds half B's append during the partition"
no_links_across || fail "a link between the halves during the partition"

# ---- heal ------------------------------------------------------------------------------
t0=$(now_ms)
restart "$BRIDGE1" 1
restart "$BRIDGE2" 1
wait_until "the $N nodes converged after the partition" converged "${NODES[@]}"
echo "partition healed: $N nodes converged $(($(now_ms) - t0)) ms after the bridges restarted"
# Identical checkpoints of the feeds written during the partition —
# cosignatures included at the homes that keep them — and identical
# positions everywhere. (The homes' and the feeds' member names are the same
# but for the city's, c00.)
wait_until "the same cosigned checkpoints after the heal" \
    kept_checkpoints "${A[3]}" "${B[3]}" c00:city -- "${NODES[@]}"
# Lines are kept by the feed's author, its 4 witnesses and the city's home
# (no auditor here): 5 or 6 of the 32 homes hold the full set of each feed
# written, and the others the author's line alone or what passed them.
for f in "${A[3]}" "${B[3]}"; do
    k=0
    for h in "${NODES[@]}"; do if keeps_lines "$h" "$f"; then k=$((k + 1)); fi; done
    [ "$k" -ge 5 ] && [ "$k" -le 6 ] && keeps_lines c00 "$f" ||
        fail "$k homes keep $f's lines (expected its author, its 4 witnesses and the city)"
    [ "$(cosigners "$f" "$f" | wc -w)" = 4 ] || fail "$f's checkpoint at its home: $(cosigners "$f" "$f")"
done
same_positions city "${NODES[@]}"
grep -q "^equity,robotics,${A[3]}," "$T/city.${NODES[$((N - 1))]}.positions.csv" ||
    fail "half A's append is not in the positions at ${NODES[$((N - 1))]}"
grep -q "^equity,sensors,${B[3]}," "$T/city.${NODES[0]}.positions.csv" ||
    fail "half B's append is not in the positions at ${NODES[0]}"
verify_all "${NODES[0]}" "${NODES[$((N - 1))]}"
echo "$N nodes: identical checkpoints and positions after the heal"
stop_all
echo ok
