# lib.sh — helpers for the scenario tests (sourced). Each test runs in its own
# temporary directory, removed on success or skip (exit 77), kept (and printed)
# on failure.
set -euo pipefail

: "${COFUND_BIN:?COFUND_BIN must point at the cofund binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/cofund-test.XXXXXX")
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$T"; else echo "kept $T for inspection" >&2; fi' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
cf() { local who=$1; shift; "$COFUND_BIN" --home "$T/$who" "$@"; }
# expect_exit CODE HOME ARGS... — run, require that exit code; output in $OUT
expect_exit() {
    local want=$1 rc=0; shift
    OUT=$(cf "$@" 2>&1) || rc=$?
    [ "$rc" -eq "$want" ] || fail "cofund --home $* exited $rc, wanted $want: $OUT"
}
expect_in() { # expect_in TEXT PATTERN
    grep -q -- "$2" <<<"$1" || fail "expected \"$2\" in: $1"
}
key_of() { cf "$1" whoami | awk '$1 == "key" {print $2}'; }

# forge — tests/tools/forge.c (appends to a home's own feed without the rules).
forge() { "${COFUND_FORGE:?COFUND_FORGE must point at the forge tool}" "$@"; }

# signed_part — a signed checkpoint (stdin) as its author signed it: the
# text, the blank line and the first signature line (the author's), without
# the cosignature lines homes add as they witness it (docs/format.md).
signed_part() { awk '{print} /^\xe2\x80\x94 / {exit}'; }
# origin_of MEMBER — the key name of MEMBER's signature lines in this network
# (the city's home knows the network).
net16() { cf city whoami | awk '$1 == "network" {print substr($2, 1, 16)}'; }
origin_of() { echo "cofund/$(net16)/$(key_of "$1")"; }
# cosigners HOME FEED — the key names of the cosignature lines on FEED's
# latest checkpoint at HOME, sorted, on one line (the author's line is the
# first signature line; the rest are cosignatures).
cosigners() {
    cf "$1" checkpoint "$2" 2>/dev/null | awk '/^\xe2\x80\x94 / {n++; if (n > 1) print $2}' |
        sort | tr '\n' ' '
}

# same_file A B WHAT — fail with a diff unless the files are identical.
same_file() {
    cmp -s "$1" "$2" || fail "$3 differ: $(diff "$1" "$2" | head -20)"
}

# feed_size HOME FEED — entries of FEED stored at HOME (from `log --format csv`).
feed_size() { cf "$1" log "$2" --format csv | tail -n +2 | wc -l | tr -d ' '; }

# snapshot HOME FILE — everything a home shows about its state, in one file:
# members, every member's feed (log), positions, program status, forks,
# violations and the result of verify. Two snapshots are equal only if
# nothing was stored, applied or held in between.
snapshot() {
    local who=$1 out=$2 m p
    {
        cf "$who" members --format csv
        for m in $(cf "$who" members --format csv | tail -n +2 | cut -d, -f1); do
            echo "== log $m"
            cf "$who" log "$m" --format csv
        done
        echo "== positions"
        cf "$who" positions --format csv
        for p in industrial incubation; do
            echo "== program $p"
            cf "$who" program status "$p" --format json 2>&1 || true
        done
        echo "== forks"
        cf "$who" forks --format json
        echo "== violations"
        cf "$who" violations --format json
        echo "== verify"
        cf "$who" verify
    } >"$out" 2>&1
}

# network HOME:ROLE... — the usual story's start. Creates the homes, makes
# "city" (always created, the governance) register every member, the two
# programs of the policy operated by "fund" (when a fund is among them) and
# two projects: robotics (equity) and sensors (incubation). Every other home
# then joins with the city's bundle. $NETWORK_ARGS (optional) are added to
# `network create`.
network() {
    local spec who role
    cf city init --name city >/dev/null
    # shellcheck disable=SC2086
    cf city network create --name "Test network" ${NETWORK_ARGS:-} >/dev/null
    for spec in "$@"; do
        who=${spec%%:*}
        role=${spec#*:}
        cf "$who" init --name "$who" >/dev/null
        cf city member add --key "$(key_of "$who")" --role "$role" --name "$who" >/dev/null
        if [ "$role" = fund ]; then
            cf city program add industrial --preset industrial --operator "$who" >/dev/null
            cf city program add incubation --preset incubation --operator "$who" >/dev/null
        fi
    done
    cf city project add robotics --name "Robotics Co." --kind equity >/dev/null
    cf city project add sensors --name "Sensor Startup" --kind incubation >/dev/null
    cf city export --out "$T/city.bundle" >/dev/null
    for spec in "$@"; do
        cf "${spec%%:*}" join "$T/city.bundle" >/dev/null
    done
}

# carry FROM TO... — FROM exports a bundle; each TO imports it (exit 0 required).
carry() {
    local from=$1 to
    shift
    cf "$from" export --out "$T/$from.bundle" >/dev/null
    for to in "$@"; do
        cf "$to" import "$T/$from.bundle" >/dev/null || fail "import of $from's bundle at $to failed"
    done
}
