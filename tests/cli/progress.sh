#!/usr/bin/env bash
# progress.sh — a long export or import shows progress on a terminal (one
# line on stderr, rewritten in place and cleared at the end), and prints
# nothing of it when stderr is not a terminal (a script, a log).
source "$(dirname "$0")/lib.sh"
command -v script >/dev/null || { echo "skipped: no script(1)"; exit 77; }

network fund:fund inv:investor
forge batch "$T/inv" 10000 contribution --project robotics --round A --amount-fen 100 >/dev/null ||
    fail "forge batch"
# On a terminal (script(1) gives the command a pseudo-terminal).
script -qec "'$COFUND_BIN' --home '$T/inv' export --out '$T/inv.bundle'" /dev/null >"$T/tty.out"
expect_in "$(cat "$T/tty.out")" "cofund export: 8,192 entries written"
expect_in "$(cat "$T/tty.out")" "wrote $T/inv.bundle: "
script -qec "'$COFUND_BIN' --home '$T/fund' import '$T/inv.bundle'" /dev/null >"$T/tty2.out"
expect_in "$(cat "$T/tty2.out")" "cofund import: 8,192 entries read"
expect_in "$(cat "$T/tty2.out")" "read 2 feeds, "
# Not on a terminal: no progress line.
cf inv export --out "$T/inv2.bundle" 2>"$T/err" >/dev/null
grep -q "entries written" "$T/err" && fail "progress without a terminal: $(cat "$T/err")"
cf city import "$T/inv2.bundle" 2>"$T/err" >/dev/null
grep -q "entries read" "$T/err" && fail "progress without a terminal: $(cat "$T/err")"
echo ok
