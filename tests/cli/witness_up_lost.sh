#!/usr/bin/env bash
# witness_up_lost.sh — a node that holds part of a checkpoint's lines sends
# them down the feed's tree at once when its link towards the author closes,
# not when its wait for the full set ends (docs/protocol.md §4 "Up at once,
# down as a full set").
#
#   inv — fund — aud           (bank is a member whose node never runs)
#          |
#         city
#
# inv's feed has four witnesses: city, fund, aud and bank. inv appends; fund
# fetches from inv, aud and city from fund, and each cosigns (fund before it
# serves the others, so they get its line with the batch). aud's and city's
# lines climb to fund. bank never cosigns, so no node ever holds the full set
# and fund keeps its lines from the links below it: aud lacks city's line.
# Then inv's node stops — fund's link up. fund sends what it holds down at
# once: aud holds city's line while fund's wait (NET_LINES_WAIT_MS, 10 s
# from when it got the checkpoint) has not ended (`lines_waits` 0). Had the
# link's loss not ended the wait, aud would get the line only when the
# wait's time passed (lines_waits 1).
source "$(dirname "$0")/node_lib.sh"

network fund:fund inv:investor aud:auditor bank:bank

start_node fund
# shellcheck disable=SC2046 # peer_of prints the flag and its value
start_node inv $(peer_of fund)
# shellcheck disable=SC2046
start_node city $(peer_of fund)
# shellcheck disable=SC2046
start_node aud $(peer_of fund)
wait_until "fund's node connected to aud, city and inv" eval '[ "$(peers_of fund)" = "aud city inv" ]'

cf inv contribute --project robotics --round A --amount 2,000,000 --program industrial >/dev/null
wait_until "inv's contribution at aud (through fund)" holds aud inv
wait_until "inv's contribution at city (through fund)" holds city inv

# fund holds its own line, aud's and city's (they came up to it); aud holds
# fund's (with the batch) and its own, not city's: fund keeps the lines it
# got from below while its set lacks bank's line.
lines() { for m in "$@"; do origin_of "$m"; done | sort | tr '\n' ' '; }
wait_until "aud's and city's lines up at fund" eval '[ "$(cosigners fund inv)" = "$(lines fund aud city)" ]'
[ "$(cosigners aud inv)" = "$(lines fund aud)" ] ||
    fail "aud holds [$(cosigners aud inv)] before the link's loss, not fund's and its own"
waits=$(counter fund lines_waits)
if [ "$waits" != 0 ]; then
    # The machine took the whole wait to get here: the loss can no longer be
    # told from the wait's end.
    echo "skipped: fund's wait for the full set ended before inv's node could stop ($waits)"
    stop_all
    exit 77
fi

stop_node inv
wait_until "city's line down at aud" eval '[ "$(cosigners aud inv)" = "$(lines fund aud city)" ]'
[ "$(counter fund lines_waits)" = 0 ] ||
    fail "aud got city's line when fund's wait ended, not when its link up closed"
stop_all
echo ok
