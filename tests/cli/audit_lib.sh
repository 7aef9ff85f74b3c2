# audit_lib.sh — what the audit scenarios (tests/cli/audit*.sh) share:
# the network they audit and helpers to run the audit (sourced after
# lib.sh). Skips (77) without python3, which the bundle editor needs.
: "${COFUND_AUDIT:?COFUND_AUDIT must point at the cofund-audit binary}"
: "${COFUND_TESTS:?COFUND_TESTS must point at the tests directory}"
command -v python3 >/dev/null || { echo "skipped: needs python3"; exit 77; }

edit() { python3 "$COFUND_TESTS/tools/bundle_edit.py" "$@"; }
# expect_audit CODE ARGS... — run cofund-audit; stdout and stderr in $OUT
expect_audit() {
    local want=$1 rc=0; shift
    OUT=$("$COFUND_AUDIT" "$@" 2>&1) || rc=$?
    [ "$rc" -eq "$want" ] || fail "cofund-audit $* exited $rc, wanted $want: $OUT"
}
# record_of BUNDLE AWK-CONDITION — the number of the first record that
# matches (fields of `bundle_edit.py list`: $1 number, $2 type, $5.. extra).
record_of() { edit list "$1" | awk "!done && $2 {print \$1; done = 1}"; }

# build_network — city (governance), fund, inv (investor), team (incubation
# team); both presets; 300-odd entries: bulk contributions through the
# honest append path (forge batch), then loops of contribute / match / exit
# through the CLI, every feed carried to the city. Leaves the city's export
# in $T/net-witnessed.bundle, with the cosignatures the homes added as they
# imported each other's feeds (docs/format.md "Cosignatures"), and the same
# without them in $T/net.bundle (bundle_edit.py strip): the audit scenarios
# make the cosignatures they need themselves.
build_network() {
    network fund:fund inv:investor team:team
    forge batch "$T/inv" 200 contribution --project robotics --round A \
        --amount-fen 100000000 --program industrial >/dev/null
    forge batch "$T/team" 60 contribution --project sensors --round seed \
        --amount-fen 1000000 --program incubation >/dev/null
    carry inv fund
    carry team fund
    local i
    for i in 1 2 3 4 5 6 7 8; do
        cf fund match --program industrial --project robotics --round A --auto 3,000,000 >/dev/null
        cf inv contribute --project robotics --round B --amount 50,000 --program industrial >/dev/null
        cf team contribute --project sensors --round seed --amount 10,000 --program incubation >/dev/null
        cf inv exit --project robotics --amount 1,000 >/dev/null
        carry team fund
        cf fund match --program incubation --project sensors --round seed --auto 20,000 >/dev/null
    done
    carry inv fund
    cf fund match --program industrial --project robotics --round B --auto 400,000 >/dev/null
    carry fund city
    carry inv city
    carry team city
    cf city export --out "$T/net-witnessed.bundle" >/dev/null
    edit strip "$T/net-witnessed.bundle" "$T/net.bundle"
}
