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
# verify never says ok when it verified nothing.
cf empty init --name empty >/dev/null
expect_exit 3 empty verify
expect_in "$OUT" "nothing to verify: this home holds no feed yet"
cf city verify >/dev/null

# ---- the command line itself ----------------------------------------------
"$COFUND_BIN" --help | grep -q "^exit codes: 0 ok" || fail "--help"
"$COFUND_BIN" --version | grep -q "^cofund " || fail "--version"
expect_exit 2 city frobnicate
expect_in "$OUT" 'unknown command "frobnicate"'
expect_exit 2 city init                       # --name missing
expect_exit 2 city members --format yaml
expect_exit 2 city --no-such-option members
rc=0
OUT=$("$COFUND_BIN" 2>&1) || rc=$?
[ "$rc" -eq 2 ] || fail "no command: exit $rc"
rc=0
OUT=$(env -u HOME -u COFUND_HOME "$COFUND_BIN" members 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "no home" <<<"$OUT" || fail "no home at all: exit $rc: $OUT"
COFUND_HOME="$T/city" "$COFUND_BIN" whoami | grep -q "^name      city$" || fail "COFUND_HOME"
expect_exit 3 nowhere members                # not a home
expect_in "$OUT" "is not a cofund home"
mkdir -p "$T/parent"
cf parent/child init --name child >/dev/null # inside an existing directory
expect_exit 2 fresh init --name "bad name!"  # a bad value, like a bad amount
[ ! -e "$T/fresh/key" ] || fail "init with a bad name made a key"
expect_exit 3 city import "$T/no-such.bundle"
expect_in "$OUT" "No such file"
expect_exit 4 city export --out "$T/no-such-dir/x.bundle"
expect_in "$OUT" "No such file"
# Exit 0 only when everything written reached stdout.
rc=0
cf city members >/dev/full 2>/dev/null || rc=$?
[ "$rc" -eq 4 ] || fail "members to a full stdout: exit $rc, wanted 4"

# ---- joining ------------------------------------------------------------------
cf city export --out "$T/city.bundle" >/dev/null
NET=$(cf city whoami | awk '$1 == "network" {print $2}')
expect_exit 1 inv join "$T/city.bundle" --network "$(printf '%064d' 0)"
expect_in "$OUT" "another network\|bundle is from network"
expect_exit 2 inv join "$T/city.bundle" --network xyz
OUT=$(cf inv join "$T/city.bundle" --network "$NET")
expect_in "$OUT" "joined network $NET"
expect_in "$(cf inv whoami)" "member    inv, investor"
cf inv verify >/dev/null
echo ok
