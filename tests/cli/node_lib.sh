# node_lib.sh — helpers for the multi-process node tests (sourced after
# nothing: it sources lib.sh). Every node runs in its own home under $T,
# listens on 127.0.0.1 port 0 (the bound port is read from <home>/node.port)
# and logs to $T/HOME.log (appended across restarts; stdout to $T/HOME.out).
#
# Rules the tests follow (STYLE.md "Tests"): wait on readiness and on state,
# never on a sleep; every wait has a deadline and says what it waited for;
# nodes are stopped at exit whatever happens; a node that exits non-zero
# (other than by a kill -9 the test made) or whose log holds a sanitizer
# report fails the test.
#
# The nodes run with COFUND_NODE_TEST_TIMEOUTS=1 (docs/operations.md): a
# silent peer is dropped after 4 s instead of 60, reconnects back off from
# 0.1 s to at most 1 s, so fault scenarios take seconds.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v python3 >/dev/null || { echo "python3 is missing: skipped"; exit 77; }
export COFUND_NODE_TEST_TIMEOUTS=1
# Under the sanitizers everything is several times slower.
if [ "${COFUND_SANITIZED:-0}" = 1 ]; then DEADLINE_S=${COFUND_NODE_DEADLINE_S:-120}; else DEADLINE_S=${COFUND_NODE_DEADLINE_S:-40}; fi

declare -A NODE_PID=() # home -> pid of its running node
trap 'node_lib_exit' EXIT
node_lib_exit() {
    local rc=$? who f
    for who in "${!NODE_PID[@]}"; do kill -KILL "${NODE_PID[$who]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then
        rm -rf "$T"
    else
        for f in "$T"/*.log; do [ -f "$f" ] && { echo "== tail of $f" >&2; tail -25 "$f" >&2; }; done
        echo "kept $T for inspection" >&2
    fi
    exit $rc
}

# sanitizer_clean HOME — fail if HOME's node log holds a sanitizer report.
sanitizer_clean() {
    if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)' \
        "$T/$1.log" 2>/dev/null; then
        fail "$1's node reported a sanitizer error: $(grep -m3 -E 'Sanitizer|runtime error' "$T/$1.log")"
    fi
}

# nodes_alive — fail at once when a node the test did not stop has exited.
nodes_alive() {
    local who rc
    for who in "${!NODE_PID[@]}"; do
        if ! kill -0 "${NODE_PID[$who]}" 2>/dev/null; then
            rc=0
            wait "${NODE_PID[$who]}" || rc=$?
            unset "NODE_PID[$who]"
            sanitizer_clean "$who"
            fail "$who's node exited on its own (status $rc): $(tail -5 "$T/$who.log")"
        fi
    done
}

# wait_until WHAT COMMAND... — poll COMMAND until it succeeds; fail naming
# WHAT after DEADLINE_S seconds, or as soon as a node died.
wait_until() {
    local what=$1 deadline=$((SECONDS + DEADLINE_S))
    shift
    until "$@"; do
        nodes_alive
        [ "$SECONDS" -lt "$deadline" ] || fail "no $what within ${DEADLINE_S} s"
        sleep 0.02
    done
}

# start_node HOME ARGS... — run HOME's node in the background (listening on
# 127.0.0.1 port 0, ARGS added: --peer ...) and wait for its ready line and
# node.port.
start_node() {
    local who=$1
    shift
    : >"$T/$who.out"
    "$COFUND_BIN" --home "$T/$who" node run --listen 127.0.0.1:0 "$@" \
        >"$T/$who.out" 2>>"$T/$who.log" &
    NODE_PID[$who]=$!
    wait_until "ready line from $who's node" node_ready "$who"
}
node_ready() { grep -q '^ready: listening on 127.0.0.1:' "$T/$1.out" && [ -s "$T/$1/node.port" ]; }
port_of() { cat "$T/$1/node.port"; }
peer_of() { echo "--peer 127.0.0.1:$(port_of "$1")"; } # peer_of HOME — the flag to dial HOME

# stop_node HOME — SIGTERM; the node must exit 0 after a clean stop and
# leave no socket or port file.
stop_node() {
    local who=$1 pid=${NODE_PID[$1]:?"$1 has no running node"} rc=0
    kill -TERM "$pid"
    wait "$pid" || rc=$?
    unset "NODE_PID[$who]"
    sanitizer_clean "$who"
    [ "$rc" -eq 0 ] || fail "$who's node exited $rc after SIGTERM: $(tail -5 "$T/$who.log")"
    [ "$(grep -c ' info stopped$' "$T/$who.log")" -ge 1 ] || fail "$who's node did not log a clean stop"
    [ ! -e "$T/$who/node.sock" ] && [ ! -e "$T/$who/node.port" ] ||
        fail "$who's node left node.sock or node.port behind"
}
stop_all() { local who; for who in "${!NODE_PID[@]}"; do stop_node "$who"; done; }

# kill_node HOME — kill -9 (the test's own doing: status 137 expected).
kill_node() {
    local who=$1 pid=${NODE_PID[$1]:?"$1 has no running node"} rc=0
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || rc=$? # (no "Killed" job message)
    unset "NODE_PID[$who]"
    [ "$rc" -eq 137 ] || fail "$who's node exited $rc, not by the kill -9"
    sanitizer_clean "$who"
}

# digest HOME — HOME's state of every feed, one line each, from `node status
# --format json`: "member size root applied state", then the forked members.
# Two homes hold the same replicated state when their digests are equal.
digest() {
    cf "$1" node status --format json | python3 -c '
import json, sys
s = json.load(sys.stdin)
for f in sorted(s["feeds"], key=lambda f: f["key"]):
    print(f["member"], f["size"], f["root"], f["applied"], f["state"])
print("forks", " ".join(sorted(f["member"] for f in s["forks"])))'
}
# feed_field HOME MEMBER FIELD — size, applied, pending, root or state of one
# feed at HOME ("0" / "" when HOME holds nothing of it).
feed_field() {
    cf "$1" node status --format json | python3 -c '
import json, sys
s = json.load(sys.stdin)
f = [f for f in s["feeds"] if f["member"] == sys.argv[1]]
print(f[0][sys.argv[2]] if f else ("0" if sys.argv[2] in ("size", "applied", "pending") else ""))' "$2" "$3"
}
# counter HOME NAME — one of the counters of HOME's node (`node status`).
counter() {
    cf "$1" node status --format json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["node"]["counters"][sys.argv[1]])' "$2"
}
# peers_of HOME — names of HOME's established peers, sorted, one line.
peers_of() {
    cf "$1" node status --format json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(" ".join(sorted(p["member"] or "?" for p in s["node"].get("peers", []) if p["state"] == "established")))'
}
connected() { # connected HOME PEER — HOME has an established connection to PEER
    grep -qw -- "$2" <<<"$(peers_of "$1")"
}
# triangle_meshed A B C — each of the three has established sessions with
# exactly the two others.
triangle_meshed() {
    local x others
    for x in "$@"; do
        others=$(printf '%s\n' "$@" | grep -vx -- "$x" | LC_ALL=C sort | paste -sd' ')
        [ "$(peers_of "$x")" = "$others" ] || return 1
    done
}
# join_triangle A B C — with A's node running: start B's dialling A, C's
# dialling A and B, and wait until the three are meshed.
join_triangle() {
    start_node "$2" $(peer_of "$1")
    start_node "$3" $(peer_of "$1") $(peer_of "$2")
    wait_until "three connected nodes" triangle_meshed "$@"
}
# same_digest HOME... — every home shows the first one's digest.
same_digest() {
    local first h d
    first=$(digest "$1") || return 1
    for h in "${@:2}"; do
        d=$(digest "$h") || return 1
        [ "$d" = "$first" ] || return 1
    done
}
# holds HOME FEED — HOME holds FEED's latest checkpoint as its author signed it
# (cosignatures aside: they follow, see same_checkpoints).
holds() {
    [ "$(cf "$1" checkpoint "$2" 2>/dev/null | signed_part)" = "$(cf "$2" checkpoint | signed_part)" ]
}
# same_checkpoints HOME... — every home holds, byte for byte, the same latest
# checkpoint of every one of these homes' feeds, cosignatures included (the
# merged lines converge: docs/format.md "Cosignatures").
same_checkpoints() {
    local f h want
    for f in "$@"; do
        want=$(cf "$f" checkpoint) || return 1
        for h in "$@"; do [ "$(cf "$h" checkpoint "$f" 2>/dev/null)" = "$want" ] || return 1; done
    done
}
# keeps_lines HOME FEED — HOME keeps FEED's cosignature lines as its node
# replicates the feed (`node status` keeps_lines: its author, one of its
# witnesses, an auditor; docs/format.md "Who keeps the lines").
keeps_lines() { [ "$(feed_field "$1" "$2" keeps_lines)" = True ]; }
# kept_checkpoints FEED... -- HOME... — every HOME holds each FEED's latest
# checkpoint as FEED's own home does: byte for byte, cosignatures included,
# where HOME keeps the feed's lines; its text and author's line elsewhere.
# A FEED is its home's name, or AUTHOR-HOME:MEMBER where they differ.
kept_checkpoints() {
    local feeds=() f h want got
    while [ "$1" != -- ]; do feeds+=("$1"); shift; done
    shift
    for f in "${feeds[@]}"; do
        want=$(cf "${f%%:*}" checkpoint) || return 1
        f=${f#*:}
        for h in "$@"; do
            got=$(cf "$h" checkpoint "$f" 2>/dev/null) || return 1
            if keeps_lines "$h" "$f"; then
                [ "$got" = "$want" ] || return 1
            else
                [ "$(signed_part <<<"$got")" = "$(signed_part <<<"$want")" ] || return 1
            fi
        done
    done
}
# all_applied HOME — no feed at HOME has entries waiting (pending 0 everywhere).
all_applied() { ! digest "$1" | awk '$1 != "forks" && $2 != $4 {found=1} END {exit !found}'; }

# same_positions TAG HOME... — `positions --format csv` identical at every home.
same_positions() {
    local tag=$1 h
    shift
    for h in "$@"; do cf "$h" positions --format csv >"$T/$tag.$h.positions.csv"; done
    for h in "${@:2}"; do
        same_file "$T/$tag.$1.positions.csv" "$T/$tag.$h.positions.csv" "$tag: positions at $1 and $h"
    done
}
# verify_all HOME... — `cofund verify` passes at every home.
verify_all() { local h; for h in "$@"; do cf "$h" verify >/dev/null || fail "verify failed at $h"; done; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }
