#!/usr/bin/env bash
# state_upgrade.sh — a home whose ledger state an older cofund wrote (state
# version 1: without R-MATCH.6's holding records) is rebuilt from its stored
# feeds when it is next opened for writing; until then verify names what is
# missing. Without the rebuild the fund's next match would read "inv held
# 0.00" and be refused although inv holds its contribution.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
carry inv fund
forge old-state "$T/fund" >/dev/null
expect_exit 1 fund verify
expect_exit 0 fund match --program industrial --project robotics --round A --auto 1,000,000
cf fund verify >/dev/null || fail "verify after the upgrade"
expect_in "$(cf fund positions --project robotics --format csv)" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,1000000.00,"
echo ok
