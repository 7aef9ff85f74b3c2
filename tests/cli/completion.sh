#!/usr/bin/env bash
# completion.sh — the bash completion script (`cofund help
# --bash-completion`, installed by cmake --install) sourced in bash:
# COMPREPLY holds commands, their next words, options, a choice's values and
# the home's member, project and program names.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor
"$COFUND_BIN" help --bash-completion >"$T/completion.bash"
PATH="$(dirname "$COFUND_BIN"):$PATH"
# complete WORD... — COMPREPLY, sorted, one a line, for the words typed
# after `cofund --home $T/city` (the last one being completed).
complete_words() {
    bash -c 'source "$1"; shift
        COMP_WORDS=(cofund --home "$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _cofund; printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$T/completion.bash" "$T/city" "$@"
}
expect_words() { # expect_words "WANT (space-separated)" WORD...
    local want=$1 got
    shift
    got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$want" ] || fail "completing cofund $*: got \"$got\", wanted \"$want\""
}
expect_words "program programs project projects proof" pro
expect_words "add amend close status" program ""
expect_words "--as-of --format --help --year" program status "--"
expect_words "incubation industrial" program status ""
expect_words "csv json table" positions --format "" # a choice
expect_words "city fund inv" positions --holder ""
expect_words "robotics sensors" contribute --project ""
expect_words "industrial" match --program ind
expect_words "fund" log f
expect_words "city fund inv" log ""
expect_words "city fund inv" register --member ""
expect_words "robotics sensors" register --project ""
expect_words "incubation industrial" unmatched --program ""
expect_words "rekey release rename repay retire reversal revoke" register --type re
echo ok
