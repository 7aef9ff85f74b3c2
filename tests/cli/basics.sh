#!/usr/bin/env bash
# basics.sh — init, a network, members, and the first queries.
source "$(dirname "$0")/lib.sh"

cf city init --name city >/dev/null
expect_exit 3 city init --name city            # a home is never overwritten
expect_in "$OUT" "already holds a home"
cf city network create --name "Test network" >/dev/null
expect_exit 1 city network create --name again  # one genesis per network
expect_in "$OUT" "R-ENV"
cf inv init --name inv >/dev/null
cf city member add --key "$(key_of inv)" --role investor --name inv >/dev/null
expect_exit 1 city member add --key "$(key_of inv)" --role team --name inv2
expect_in "$OUT" "R-UNIQ"
expect_exit 2 city member add --key nothex --role team --name x
cf city verify >/dev/null
echo ok
