#!/usr/bin/env bash
# help.sh — the command table (node/cli/) walked from the binary's own
# listing, so that a new command cannot be left out: every command answers
# --help and `cofund help COMMAND` (exit 0, its usage on stdout, with no home
# at all), refuses an unknown option (exit 2, its usage on stderr, nothing
# created), and is documented in docs/cli.md with every option it takes; and
# every command row of docs/cli.md names a command of the binary, with options
# that command takes.
source "$(dirname "$0")/lib.sh"
DOC="${COFUND_TESTS:?}/../docs/cli.md"
[ -f "$DOC" ] || fail "no $DOC"

# run ARGS... — the binary with no home anywhere; $OUT, $ERR and $RC.
run() {
    RC=0
    OUT=$(env -u HOME -u COFUND_HOME "$COFUND_BIN" "$@" 2>"$T/stderr") || RC=$?
    ERR=$(cat "$T/stderr")
}

# ---- the listing ----------------------------------------------------------------
run help
[ "$RC" -eq 0 ] || fail "cofund help: exit $RC: $ERR"
LISTING=$OUT
run --help
[ "$RC" -eq 0 ] && [ "$OUT" = "$LISTING" ] || fail "cofund --help differs from cofund help"
expect_in "$LISTING" "^exit codes: 0 ok"
# A command line of the listing: two spaces, the name (one or two words),
# two or more spaces, its summary.
mapfile -t COMMANDS < <(sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\?\)  .*/\1/p' <<<"$LISTING")
[ "${#COMMANDS[@]}" -ge 30 ] || fail "only ${#COMMANDS[@]} commands parsed from the listing"
for known in init "program add" "proof inclusion" "node run" audit match; do
    printf '%s\n' "${COMMANDS[@]}" | grep -qx "$known" || fail "\"$known\" is not in the listing"
done
[ "$(printf '%s\n' "${COMMANDS[@]}" | sort | uniq -d)" = "" ] || fail "a command is listed twice"

# ---- every command ---------------------------------------------------------------
for cmd in "${COMMANDS[@]}"; do
    read -ra words <<<"$cmd"
    run "${words[@]}" --help
    [ "$RC" -eq 0 ] || fail "cofund $cmd --help: exit $RC: $ERR"
    [ -z "$ERR" ] || fail "cofund $cmd --help wrote to stderr: $ERR"
    [ "$(head -1 <<<"$OUT" | cut -c1-$((14 + ${#cmd})))" = "usage: cofund $cmd" ] ||
        fail "cofund $cmd --help does not start with its usage: $OUT"
    expect_in "$OUT" "^options:"
    expect_in "$OUT" "^example:"
    expect_in "$OUT" "^  cofund $cmd"      # the example runs this command
    HELP=$OUT
    run help "${words[@]}"
    [ "$RC" -eq 0 ] && [ "$OUT" = "$HELP" ] || fail "cofund help $cmd differs from --help"

    rc=0
    out=$(cf nowhere "${words[@]}" --no-such-option 2>"$T/stderr") || rc=$?
    err=$(cat "$T/stderr")
    [ "$rc" -eq 2 ] || fail "cofund $cmd --no-such-option: exit $rc, wanted 2: $err"
    [ -z "$out" ] || fail "cofund $cmd --no-such-option wrote to stdout: $out"
    expect_in "$err" "^usage: cofund $cmd"
    [ ! -e "$T/nowhere" ] || fail "cofund $cmd --no-such-option created a home"

    # Documented: a row of its own in a table of docs/cli.md, and every
    # option of its usage in its rows.
    rows=$(grep "^| \`$cmd[ \`]" "$DOC") || fail "docs/cli.md has no row for \"$cmd\""
    usage=$(sed -n '/^usage:/,/^$/p' <<<"$HELP")
    for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"$usage" | sort -u); do
        grep -q -- "$opt" <<<"$rows" || fail "docs/cli.md: no $opt in the rows of \"$cmd\""
    done
done

# ---- docs/cli.md against the table: every row documents a command that exists,
# with options that command takes ------------------------------------------------
while IFS= read -r row; do
    cell=${row#| \`}
    cell=${cell%%\`*}
    name=""
    for cmd in "${COMMANDS[@]}"; do # the longest command the cell starts with
        if [ "$cell" = "$cmd" ] || [ "${cell#"$cmd "}" != "$cell" ]; then
            [ ${#cmd} -gt ${#name} ] && name=$cmd
        fi
    done
    [ -n "$name" ] || fail "docs/cli.md documents a command the binary does not have: $cell"
    read -ra words <<<"$name"
    run "${words[@]}" --help
    usage=$(sed -n '/^usage:/,/^$/p' <<<"$OUT")
    for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"$cell" | sort -u); do
        grep -q -- "$opt\b" <<<"$usage" ||
            fail "docs/cli.md: \"$cell\" shows $opt, which cofund $name does not take"
    done
done < <(grep '^| `[a-z]' "$DOC")

# Messages name the whole command; an unknown option is named.
expect_exit 2 city program add p1 --bogus
expect_in "$OUT" "^cofund program add: unknown option --bogus"
expect_exit 2 city positions --format xml
expect_in "$OUT" "^cofund positions: --format xml: expected table, json or csv"
expect_exit 2 city contribute --project p --round r
expect_in "$OUT" "^cofund contribute: --amount AMT is needed"
expect_exit 2 city member add --key x --role invester --name x
expect_in "$OUT" "expected fund, investor, team, auditor, bank or lessor"

# A repeatable option: up to its limit (then the home is looked for), not past it.
levels=()
for i in 1 2 3 4 5 6 7 8; do levels+=(--level "${i}0000"); done
expect_exit 3 nowhere program add a1 --kind award "${levels[@]}"
expect_in "$OUT" "is not a cofund home"
expect_exit 2 nowhere program add a1 --kind award "${levels[@]}" --level 90000
expect_in "$OUT" "^cofund program add: --level: at most 8 of them"
[ ! -e "$T/nowhere" ] || fail "a usage error created a home"

# ---- groups: the first word of two-word commands ---------------------------------
for group in $(printf '%s\n' "${COMMANDS[@]}" | awk 'NF == 2 {print $1}' | sort -u); do
    run "$group" --help
    [ "$RC" -eq 0 ] || fail "cofund $group --help: exit $RC: $ERR"
    for cmd in "${COMMANDS[@]}"; do
        [ "${cmd%% *}" = "$group" ] && [ "$cmd" != "$group" ] || continue
        expect_in "$OUT" "^usage: cofund $cmd"
    done
    run help "$group"
    [ "$RC" -eq 0 ] || fail "cofund help $group: exit $RC"
    run "$group"
    [ "$RC" -eq 2 ] || fail "cofund $group alone: exit $RC, wanted 2"
    expect_in "$ERR" "^usage: cofund $group "
done

# ---- unknown commands, the version -----------------------------------------------
run postions
[ "$RC" -eq 2 ] || fail "unknown command: exit $RC"
expect_in "$ERR" 'unknown command "postions"; did you mean "positions"?'
run help postions
[ "$RC" -eq 2 ] || fail "cofund help postions: exit $RC"
run frobnicate
[ "$RC" -eq 2 ] && ! grep -q "did you mean" <<<"$ERR" || fail "a suggestion for frobnicate: $ERR"
run --version
[ "$RC" -eq 0 ] && expect_in "$OUT" "^cofund [0-9]"

# ---- cofund-audit: its help is the same description as `cofund audit`'s -------
AUDIT=${COFUND_AUDIT:?COFUND_AUDIT must point at the cofund-audit binary}
audit_run() {
    RC=0
    OUT=$("$AUDIT" "$@" 2>"$T/stderr") || RC=$?
    ERR=$(cat "$T/stderr")
}
audit_run --help
[ "$RC" -eq 0 ] && [ -z "$ERR" ] || fail "cofund-audit --help: exit $RC: $ERR"
AHELP=$OUT
expect_in "$AHELP" "^usage: cofund-audit BUNDLE"
expect_in "$AHELP" "^options:"
expect_in "$AHELP" "^  cofund-audit network.bundle"
run audit --help
for opt in $(grep -o -- '^  --[a-z][a-z-]*' <<<"$OUT"); do
    expect_in "$AHELP" "^  $opt "
done
# The paragraph is the same text (wrapped alike).
[ "$(sed -n '/^$/,/^options:/{p;/^options:/q}' <<<"$AHELP")" = "$(sed -n '/^$/,/^options:/{p;/^options:/q}' <<<"$OUT")" ] ||
    fail "cofund-audit --help and cofund audit --help describe the audit differently"
audit_run --version
[ "$RC" -eq 0 ] && expect_in "$OUT" "^cofund-audit [0-9]"
[ "${OUT#cofund-audit }" = "$(env -u HOME "$COFUND_BIN" --version | sed 's/^cofund //')" ] ||
    fail "cofund-audit and cofund report different versions"
# A usage error says what is wrong, then the usage (exit 2).
audit_usage() { # audit_usage PATTERN ARGS...
    local want=$1
    shift
    audit_run "$@"
    [ "$RC" -eq 2 ] || fail "cofund-audit $*: exit $RC, wanted 2: $ERR"
    expect_in "$ERR" "^cofund-audit: $want"
    expect_in "$ERR" "^usage: cofund-audit BUNDLE"
}
audit_usage "--witnesses 99: expected a number of members from 0 to 64" x.bundle --witnesses 99
audit_usage "--witnesses -1: expected a number" x.bundle --witnesses -1
audit_usage "--format xml: expected text or json" x.bundle --format xml
audit_usage "--format JSON: expected text or json" x.bundle --format JSON
audit_usage 'takes one BUNDLE: "y.bundle" is one too many' x.bundle y.bundle
audit_usage "BUNDLE is needed" --format json
audit_usage "unknown option --bogus" x.bundle --bogus
audit_usage "--witnesses needs a value" x.bundle --witnesses
run audit x.bundle --format xml
[ "$RC" -eq 2 ] && expect_in "$ERR" "^cofund audit: --format xml: expected text or json"
echo ok
