#!/usr/bin/env bash
# heal_fund.sh — the fund's own home restored from a backup (the forks
# issue's second case): a peer holds the fund's newer entries, so the fund
# takes them back with `cofund restore` from that peer's export and goes on
# appending at the right index — no fork anywhere, the program's figures
# whole. (When no peer holds them, the governance rekeys the fund:
# rekey_fund.sh.)
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null 2>&1
carry inv fund city
cp -a "$T/fund" "$T/fund.backup" # before the fund's match
cf fund match --program industrial --project robotics --round A --cite inv:0=400000 >/dev/null 2>&1
carry fund city
rm -rf "$T/fund" && cp -a "$T/fund.backup" "$T/fund"
[ "$(feed_size fund fund)" = 0 ] || fail "the backup holds $(feed_size fund fund) of the fund's entries"

cf city export --out "$T/city.bundle" >/dev/null
expect_exit 0 fund restore "$T/city.bundle"
[ "$(feed_size fund fund)" = 1 ] || fail "after restore the fund holds $(feed_size fund fund) of its 1 entry"
expect_exit 0 fund match --program industrial --project robotics --round A --cite inv:0=600000
expect_in "$OUT" "match appended as fund#1"
cf fund export --out "$T/fund.bundle" >/dev/null
expect_exit 0 city import "$T/fund.bundle"
expect_in "$(cf city forks)" "no fork"
expect_in "$(cf city program status industrial --format json)" '"deployed": "1000000.00"'
cf city verify >/dev/null || fail "verify at the city"
echo ok
