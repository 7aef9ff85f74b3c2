#!/usr/bin/env bash
# import_nonmembers.sh — a bundle cannot fill a home with non-members' feeds
# (docs/protocol.md §4). Strangers that joined (they hold the governance
# feed, which anyone may) sign feeds of their own outside the rules — entries
# with gov 10^18 that would wait for ever — and export them: import stores
# none of them, counts none, witnesses none, and says so (before, each was
# stored and cosigned, and 4,092 of them filled a home); a member
# registered in the same bundle's governance feed is taken (the second pass).
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor
for s in s1 s2 s3; do
    cf "$s" init --name "$s" >/dev/null
    cf "$s" join "$T/city.bundle" >/dev/null
    forge encode "$T/$s" contribution "$T/$s.cbor" --gov 1000000000000000000 \
        --project robotics --round A --amount-fen 100 >/dev/null || fail "forge encode at $s"
    forge append "$T/$s" "$T/$s.cbor" >/dev/null || fail "forge append at $s"
done
# Each stranger's bundle carries its feed (and the governance feed). A
# stranger's home takes no other stranger's feed either.
for s in s1 s2 s3; do cf "$s" export --out "$T/$s.bundle" >/dev/null; done
expect_exit 0 s1 import "$T/s2.bundle"
expect_in "$OUT" "skipped 1 feed(s) whose keys are not members of the network"

snapshot fund "$T/before"
for s in s1 s2 s3; do
    expect_exit 0 fund import "$T/$s.bundle"
    expect_in "$OUT" "skipped 1 feed(s) whose keys are not members of the network"
done
snapshot fund "$T/after"
same_file "$T/before" "$T/after" "the fund's home after the strangers' bundles"
for s in s1 s2 s3; do
    expect_in "$(cf fund log "$(key_of "$s")")" "is empty here"
done

# A member registered in the bundle's own governance feed is taken.
cf x init --name x >/dev/null
cf city member add --key "$(key_of x)" --role investor --name x >/dev/null
cf city export --out "$T/city.bundle" >/dev/null
cf x join "$T/city.bundle" >/dev/null
cf x contribute --project robotics --round A --amount 5,000 --program industrial >/dev/null 2>&1
cf x export --out "$T/x.bundle" >/dev/null
expect_exit 0 fund import "$T/x.bundle"
expect_in "$(cf fund positions --project robotics --format csv)" "^equity,robotics,x,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,5000.00,"
cf fund verify >/dev/null || fail "verify at the fund"
echo ok
