#!/usr/bin/env bash
# fork_governance.sh — R-FORK for the governance feed and for three histories.
#
# The city's home copied with its key (a restored backup) registers a
# different project in each copy: every home that learns both keeps the
# governance entries both histories share, so the network, its members,
# programs and projects stand; members go on appending; a new home still
# joins; verify still verifies everything stored.
#
# Three copies of one investor's home part at different points: whichever
# two a home sees first, once it has seen all three (or the proof of the
# earliest parting) it counts the investor's feed up to the smallest point.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor aud:auditor aud2:auditor
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
carry inv fund aud aud2

# ---- the governance feed forks -------------------------------------------------
G=$(feed_size city city)
cp -a "$T/city" "$T/city2"
cf city project add p3 --name "Project three" --kind equity >/dev/null
cf city2 project add p4 --name "Project four" --kind equity >/dev/null
cf city export --out "$T/city-a.bundle" >/dev/null
cf city2 export --out "$T/city-b.bundle" >/dev/null
expect_exit 0 aud import "$T/city-a.bundle"
expect_exit 1 aud import "$T/city-b.bundle"
expect_in "$(cf aud forks --format json)" "\"point\": $G"
expect_in "$(cf aud forks)" "^FORK city .* at entry $G: entries below $G stand"
# The network stands: members, programs, projects as both histories share them.
expect_exit 0 aud positions --format csv
expect_in "$OUT" "^equity,robotics,inv,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,1000000.00,"
expect_exit 0 aud program status industrial
expect_in "$(cf aud log city)" "not counted: this feed is forked from entry $G"
out=$(cf aud verify) || fail "verify at aud after the governance fork"
expect_in "$out" "^ok: [1-9][0-9]* feeds, [1-9][0-9]* entries"
# Members go on: inv (which learns the fork too) contributes, the fund matches.
cf aud export --out "$T/aud.bundle" >/dev/null
expect_exit 1 inv import "$T/aud.bundle"
expect_exit 0 inv contribute --project robotics --round B --amount 200,000 --program industrial
cf inv export --out "$T/inv.bundle" >/dev/null
expect_exit 1 fund import "$T/inv.bundle" # carries the proof of the governance fork
expect_exit 0 fund match --program industrial --project robotics --round B --auto 200,000
# A new home joins the network from a home that knows the fork.
cf newcomer init --name newcomer >/dev/null
expect_exit 1 newcomer join "$T/aud.bundle"
expect_exit 0 newcomer positions

# ---- three histories of one feed ---------------------------------------------------
cf inv contribute --project robotics --round A --amount 1 >/dev/null # inv#2
cp -a "$T/inv" "$T/inv-b"                                            # shares 0..2
cf inv contribute --project robotics --round A --amount 2 >/dev/null # inv#3 (history a)
cp -a "$T/inv" "$T/inv-c"                                            # shares 0..3 with a
cf inv contribute --project robotics --round A --amount 3 >/dev/null # a: inv#4
cf inv-b contribute --project robotics --round A --amount 4 >/dev/null # b: inv#3
cf inv-b contribute --project robotics --round A --amount 5 >/dev/null # b: inv#4
cf inv-c contribute --project robotics --round A --amount 6 >/dev/null # c: inv#4
for h in inv inv-b inv-c; do cf "$h" export --out "$T/$h.bundle" >/dev/null; done
cf aud import "$T/fund.bundle" >/dev/null 2>&1 || true
cf aud2 import "$T/aud.bundle" >/dev/null 2>&1 || true
# aud sees a and c first (they part at 4), then b (parts from both at 3);
# aud2 sees b first, then c, then a.
cf aud import "$T/inv.bundle" >/dev/null 2>&1 || true
expect_exit 1 aud import "$T/inv-c.bundle"
expect_in "$(cf aud forks --format json)" '"point": 4'
expect_exit 1 aud import "$T/inv-b.bundle"
expect_in "$(cf aud forks --format json)" '"point": 3'
cf aud2 import "$T/inv-b.bundle" >/dev/null 2>&1 || true
expect_exit 1 aud2 import "$T/inv-c.bundle"
cf aud2 import "$T/inv.bundle" >/dev/null 2>&1 || true
expect_in "$(cf aud2 forks --format json)" '"point": 3'
for h in aud aud2; do
    [ "$(cf "$h" log inv --format json | grep -c '"applied": true')" = 3 ] ||
        fail "$h does not count exactly inv#0..2"
done
same_file <(cf aud positions --format csv) <(cf aud2 positions --format csv) "positions at aud and aud2"
echo ok
