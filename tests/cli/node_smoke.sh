#!/usr/bin/env bash
# node_smoke.sh — two nodes replicate over TCP (docs/protocol.md): city
# listens on 127.0.0.1 port 0, inv-a dials it (from its config file). An
# append at either end reaches the other through the control-socket
# notification, byte for byte (the same signed checkpoint); `node status`
# shows the peer and the feeds; SIGTERM stops both cleanly (exit 0, which
# under AddressSanitizer also means no leak). Every wait polls with a
# deadline; nothing sleeps to synchronise.
source "$(dirname "$0")/lib.sh"

PIDS=()
trap 'rc=$?; for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
      if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$T"; else
      for f in "$T"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -30 "$f" >&2; }; done
      echo "kept $T for inspection" >&2; fi' EXIT

DEADLINE_S=20
# wait_until WHAT COMMAND... — poll COMMAND until it succeeds, at most DEADLINE_S.
wait_until() {
    local what=$1 deadline=$((SECONDS + DEADLINE_S))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "no $what within ${DEADLINE_S} s"
        sleep 0.02
    done
}
ready() { grep -q '^ready: listening on 127.0.0.1:' "$T/$1.out" && [ -s "$T/$1/node.port" ]; }
connected() { # connected HOME PEER — HOME's node has an established connection to PEER
    cf "$1" node status --format json | tr -d ' \n' |
        grep -q "\"state\":\"established\",\"member\":\"$2\""
}
same_checkpoint() { # same_checkpoint HOME FEED — HOME holds FEED's latest checkpoint
    # (as its author signed it; cosignatures aside)
    [ "$(cf "$1" checkpoint "$2" 2>/dev/null | signed_part)" = "$(cf "$2" checkpoint | signed_part)" ]
}
start_node() { # start_node HOME ARGS... — background daemon, stdout and log in $T
    local who=$1
    shift
    "$COFUND_BIN" --home "$T/$who" node run "$@" >"$T/$who.out" 2>"$T/$who.log" &
    PIDS+=($!)
}
stop_node() { # stop_node INDEX HOME — SIGTERM, then exit 0 and a clean log
    local pid=${PIDS[$1]} rc=0
    kill -TERM "$pid"
    wait "$pid" || rc=$?
    [ "$rc" -eq 0 ] || fail "$2's node exited $rc after SIGTERM"
    grep -q ' info stopped$' "$T/$2.log" || fail "$2's node did not log a clean stop"
    [ ! -e "$T/$2/node.sock" ] && [ ! -e "$T/$2/node.port" ] ||
        fail "$2's node left node.sock or node.port behind"
}

network inv-a:investor

# ---- before any node: usage and configuration errors, status from the store --
expect_exit 0 city node status
expect_in "$OUT" "node: not running"
printf 'listen 127.0.0.1:0\nbogus 1\n' >"$T/city/config"
expect_exit 3 city node run
expect_in "$OUT" "config:2: unknown setting"
printf 'peers-target 17\n' >"$T/city/config"
expect_exit 3 city node run
expect_in "$OUT" "config:1: peers-target: a number 0-16"
printf 'peers-target -1\n' >"$T/city/config"
expect_exit 3 city node run
expect_in "$OUT" "config:1: peers-target: a number 0-16"
rm "$T/city/config"
expect_exit 2 city node run --peer no-port-here
expect_exit 2 city node run --log-level loud
expect_exit 2 city node frobnicate

# ---- start: city listens, inv-a dials it (peer from its config file) -------
start_node city --listen 127.0.0.1:0
wait_until "ready line from city" ready city
PORT=$(cat "$T/city/node.port")
expect_in "$(cat "$T/city.out")" "ready: listening on 127.0.0.1:$PORT"
printf '# smoke test\nlisten 127.0.0.1:0   # any port\npeer 127.0.0.1:%s\n' "$PORT" >"$T/inv-a/config"
start_node inv-a --log-level debug
wait_until "ready line from inv-a" ready inv-a
wait_until "connection at city" connected city inv-a
wait_until "connection at inv-a" connected inv-a city

# A second node on the same home is refused (exit 3).
expect_exit 3 city node run --listen 127.0.0.1:0
expect_in "$OUT" "already running"

# ---- an append at inv-a reaches city -----------------------------------------
t0=$(date +%s%N)
cf inv-a contribute --project robotics --round A --amount 1,000,000 >/dev/null
wait_until "inv-a's contribution at city" same_checkpoint city inv-a
# The node logs its own appends as it notices them.
wait_until "inv-a's node logging its own append" \
    grep -q "own feed: 1 new entry appended here (1 in all)" "$T/inv-a.log"
t1=$(date +%s%N)
echo "append at inv-a visible at city after $(((t1 - t0) / 1000000)) ms"
[ "$(feed_size city inv-a)" = 1 ] || fail "city holds $(feed_size city inv-a) entries of inv-a"

# ---- and one at city (the governance feed) reaches inv-a ---------------------
cf city project add drones --name "Drone Co." >/dev/null
wait_until "city's project at inv-a" same_checkpoint inv-a city
cf inv-a contribute --project drones --round seed --amount 500000 >/dev/null # needs it applied
wait_until "inv-a's second contribution at city" same_checkpoint city inv-a
# Each node witnesses the other's feed, and the cosignature travels back:
# both ends hold the same bytes, the author's line and one cosignature.
cosigned() { # cosigned HOME FEED — as FEED's author holds it, with one cosignature
    [ "$(cf "$1" checkpoint "$2")" = "$(cf "$2" checkpoint)" ] &&
        [ "$(cf "$2" checkpoint | grep -c $'^\xe2\x80\x94 ')" = 2 ]
}
wait_until "city's cosignature on inv-a's checkpoint at both ends" cosigned city inv-a
wait_until "inv-a's cosignature on city's checkpoint at both ends" cosigned inv-a city

# ---- node status -----------------------------------------------------------------
S=$(cf city node status --format json)
expect_in "$S" '"running": true'
expect_in "$S" "\"listen\": \"127.0.0.1:$PORT\""
J=$(tr -d ' \n' <<<"$S")
expect_in "$J" '"member":"inv-a","key":"[0-9a-f]\{64\}","size":2,"applied":2,"pending":0,"root":"[0-9a-f]\{64\}","state":"ok"'
expect_in "$J" '"forks":\[\],"violations":\[\]'
S=$(cf inv-a node status)
expect_in "$S" "node: running"
expect_in "$S" "city .*established"
grep -q "info peer city: feed city" "$T/inv-a.log" || fail "inv-a logged no applied batch"
grep -q "debug peer city (127.0.0.1:$PORT): received batch" "$T/inv-a.log" ||
    fail "no debug line at --log-level debug"
cf city verify >/dev/null || fail "verify failed at city"
cf inv-a verify >/dev/null || fail "verify failed at inv-a"

# ---- SIGTERM stops both cleanly ------------------------------------------------------
stop_node 1 inv-a
stop_node 0 city
PIDS=()
S=$(cf city node status)
expect_in "$S" "node: not running"
expect_in "$S" "inv-a .* 2 .* 2 .* 0"
echo "ok"
