#!/usr/bin/env bash
# exit_codes.sh — every exit code of docs/cli.md "Exit codes", one meaning
# each, with the message naming the whole command and what is wrong:
#   0 ok; 1 a rule refused, or verification failed (a tampered bundle exits 1
#   from import and from cofund-audit alike); 2 usage (a malformed value is
#   named by its option); 3 not found / bad input (alike for queries and new
#   entries); 4 environment failure.
source "$(dirname "$0")/lib.sh"
AUDIT=${COFUND_AUDIT:?COFUND_AUDIT must point at the cofund-audit binary}
network fund:fund inv:investor

# expect CODE PATTERN HOME ARGS... — exit CODE, PATTERN in the output
expect() {
    local code=$1 pattern=$2
    shift 2
    expect_exit "$code" "$@"
    expect_in "$OUT" "$pattern"
}
# audit CODE ARGS... — cofund-audit exits CODE
audit() {
    local code=$1 rc=0
    shift
    OUT=$("$AUDIT" "$@" 2>&1) || rc=$?
    [ "$rc" -eq "$code" ] || fail "cofund-audit $* exited $rc, wanted $code: $OUT"
}

# ---- 0 ---------------------------------------------------------------------------
expect 0 "^name" inv whoami
expect 0 "appended as inv#" inv contribute --project robotics --round A --amount 100,000

# ---- 1: a rule refused -------------------------------------------------------------
expect 1 "^cofund member add: rejected by R-UNIQ" city member add --key "$(key_of inv)" \
    --role team --name inv2
expect 1 "^cofund program add: rejected by R-REF" city program add lease2 --kind leasing \
    --operator fund

# ---- 2: usage ------------------------------------------------------------------------
expect 2 "^cofund positions: unknown option --bogus" inv positions --bogus
expect 2 '^cofund positions: takes no arguments: "extra"' inv positions extra
expect 2 "^cofund positions: --format xml: expected table, json or csv" inv positions --format xml
expect 2 "^cofund positions: --format JSON: expected table, json or csv" inv positions --format JSON
expect 2 "^cofund contribute: --amount AMT is needed" inv contribute --project robotics --round A
expect 2 "^usage: cofund contribute" inv contribute --project robotics --round A
# A malformed value is named by its option, not by a field of the encoding.
expect 2 '^cofund contribute: --round "": an identifier is 1-64 characters' \
    inv contribute --project robotics --round "" --amount 100
! grep -q "R-ENV\|body\." <<<"$OUT" || fail "a usage error names the encoding: $OUT"
expect 2 '^cofund contribute: --project "robo tics": an identifier' \
    inv contribute --project "robo tics" --round A --amount 100
expect 2 '^cofund program add: ID "a b": an identifier' city program add "a b"
expect 2 '^cofund program status: ID "a/b": an identifier' city program status "a/b"
# The same name is refused alike by member add and init.
expect 2 '^cofund member add: --name "bad name": an identifier is 1-64 characters' \
    city member add --key "$(key_of fund)" --role team --name "bad name"
expect 2 '^cofund init: --name "city two": an identifier is 1-64 characters' new init --name "city two"
[ ! -e "$T/new" ] || fail "init with a bad name made a home"
expect 2 '^cofund contribute: "1.234" is not an amount' \
    inv contribute --project robotics --round A --amount 1.234
expect 2 "^cofund contribute: .*yesterday" \
    inv contribute --project robotics --round A --amount 1 --time yesterday
# A time ahead of the clock: a local check, so not "rejected by a rule" (1).
expect 2 "^cofund contribute: --time 2999-01-01T08:00:00.000+08:00 is more than 5 minutes ahead" \
    inv contribute --project robotics --round A --amount 1 --time 2999-01-01T00:00Z
expect 2 'cofund: unknown command "postions"; did you mean "positions"?' inv postions
audit 2 "$T/city.bundle" --witnesses 99
expect_in "$OUT" "^cofund-audit: --witnesses 99: expected a number of members from 0 to 64"
audit 2 "$T/city.bundle" --witnesses -1
expect_in "$OUT" "^cofund-audit: --witnesses -1: expected"
audit 2 "$T/city.bundle" --format xml
expect_in "$OUT" "^cofund-audit: --format xml: expected text or json"
audit 2 "$T/city.bundle" "$T/city.bundle"
expect_in "$OUT" "is one too many"

# ---- 3: not found, bad input ----------------------------------------------------------
# An unknown project or program exits 3 for a new entry as for a query.
expect 3 "^cofund contribute: project nosuch is not registered" \
    inv contribute --project nosuch --round A --amount 100
expect 3 "^cofund positions: project nosuch is not registered" inv positions --project nosuch
expect 3 "^cofund contribute: program nosuch is not registered" \
    inv contribute --project robotics --round A --amount 100 --program nosuch
expect 3 "^cofund match: program nosuch is not registered" fund match --program nosuch \
    --project robotics --round A --auto 100
expect 3 "^cofund program status: program nosuch is not registered" inv program status nosuch
expect 3 "^cofund members: .*is not a cofund home" nowhere members
expect 3 "^cofund import: " inv import "$T/no-such.bundle"
# A file that is not a cofund bundle at all: 3 from import and from the audit.
echo "not a bundle" >"$T/text.bundle"
expect 3 "^cofund import: " inv import "$T/text.bundle"
audit 3 "$T/text.bundle"

# ---- 1 again: a bundle that fails its checks, alike from import and the audit ---------
cf city export --out "$T/good.bundle" >/dev/null
size=$(stat -c %s "$T/good.bundle")
head -c $((size - 10)) "$T/good.bundle" >"$T/cut.bundle"           # the end record cut
python3 - "$T/good.bundle" "$T/flip.bundle" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[-3] ^= 1                                                          # in the end record
open(sys.argv[2], "wb").write(d)
PY
for b in cut flip; do
    expect 1 "^cofund import: .*bundle" inv import "$T/$b.bundle"
    audit 1 "$T/$b.bundle"
    expect_in "$OUT" "^result: FAILED"
done

# ---- 4: environment failure -----------------------------------------------------------
if [ -w /dev/full ]; then
    rc=0
    cf inv members >/dev/full 2>"$T/err" || rc=$?
    [ "$rc" -eq 4 ] || fail "members >/dev/full: exit $rc, wanted 4"
    expect_in "$(cat "$T/err")" "^cofund members: writing output"
fi
echo ok
