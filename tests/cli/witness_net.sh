#!/usr/bin/env bash
# witness_net.sh — witnesses over the network (docs/protocol.md "cosig"):
# three nodes, inv — city — fund (inv and fund never meet), replicate each
# other's feeds; each node cosigns the latest checkpoint of the others'
# feeds as it applies them, and the cosignatures spread hop by hop until
# every node holds every feed's checkpoint with the other two members'
# cosignatures, byte for byte the same — though the fourth member's line is
# missing from every set, so each node waits NET_LINES_WAIT_MS for it before
# it passes the lines down a feed's tree. A fourth member (an auditor) that
# joined with a passphrase-protected key and no passphrase (so it witnessed
# nothing) starts its node: it witnesses what it holds at once, and its
# cosignatures reach everyone. An append later is witnessed again.
source "$(dirname "$0")/node_lib.sh"
: "${COFUND_AUDIT:?COFUND_AUDIT must point at the cofund-audit binary}"
NODES=(city fund inv)

network fund:fund inv:investor
printf 'auditor passphrase\n' >"$T/pass"
chmod 600 "$T/pass"
cf aud init --name aud --passphrase-file "$T/pass" >/dev/null
cf city member add --key "$(key_of aud)" --role auditor --name aud >/dev/null
cf city export --out "$T/city.bundle" >/dev/null
cf aud join "$T/city.bundle" >"$T/aud.join" 2>&1 </dev/null || fail "aud's join: $(cat "$T/aud.join")"
expect_in "$(cat "$T/aud.join")" "importing without cosigning"
cf inv contribute --project robotics --round A --amount 2,000,000 --program industrial >/dev/null

# witnessed_by "FEED..." "WITNESS..." HOME... — at every HOME, every FEED's
# latest checkpoint carries exactly the cosignatures of the WITNESSes other
# than its author, and the homes hold the same bytes.
witnessed_by() {
    local feeds=$1 witnesses=$2 f w h want text
    shift 2
    for f in $feeds; do
        want=$(for w in $witnesses; do if [ "$w" != "$f" ]; then origin_of "$w"; fi; done |
            sort | tr '\n' ' ')
        text=$(cf "$1" checkpoint "$f") || return 1
        for h in "$@"; do
            [ "$(cosigners "$h" "$f")" = "$want" ] && [ "$(cf "$h" checkpoint "$f")" = "$text" ] ||
                return 1
        done
    done
}

start_node city
# shellcheck disable=SC2046 # peer_of prints the flag and its value
start_node inv $(peer_of city)
# shellcheck disable=SC2046
start_node fund $(peer_of city)
wait_until "inv's contribution at fund (through city)" holds fund inv
cf fund match --program industrial --project robotics --round A --auto 2,000,000 >/dev/null
wait_until "fund's match at inv (through city)" holds inv fund
wait_until "each feed cosigned by the two other nodes, at all three" \
    witnessed_by "city fund inv" "city fund inv" "${NODES[@]}"
# aud's node is not running, so no checkpoint gathers its full set (a line
# from each of the three other members): its lines went down the feeds' trees
# when the wait for the set ended (docs/protocol.md §4 "Witnesses").
waits=0
for h in "${NODES[@]}"; do waits=$((waits + $(counter "$h" lines_waits))); done
[ "$waits" -ge 1 ] || fail "no node ended a wait for a full set of lines (lines_waits 0)"

# ---- the auditor's node: it witnesses at start what it imported unwitnessed ----
[ -z "$(cosigners aud city)" ] || fail "aud cosigned without its key: $(cosigners aud city)"
export COFUND_PASSPHRASE_FILE=$T/pass
# shellcheck disable=SC2046
start_node aud $(peer_of city)
unset COFUND_PASSPHRASE_FILE
wait_until "aud's start-up witnessing" grep -q "witnessed the latest checkpoint of 1 feeds" "$T/aud.log"
wait_until "every feed cosigned by the three other members, at all four nodes" \
    witnessed_by "city fund inv" "city fund inv aud" city fund inv aud

# ---- a new checkpoint is witnessed again -------------------------------------------
cf inv contribute --project robotics --round B --amount 1,000,000 --program industrial >/dev/null
wait_until "inv's new checkpoint cosigned by the three others, at all four nodes" \
    witnessed_by "inv" "city fund inv aud" city fund inv aud
S=$(cf fund node status --format json | tr -d ' \n')
for f in city fund inv; do expect_in "$S" "\"member\":\"$f\",.*\"witnesses\":3"; done
expect_in "$(cf fund node status)" "WITNESSES"

# The audit of any node's bundle: three witnesses on every feed, not four.
cf fund export --out "$T/fund.bundle" >/dev/null
"$COFUND_AUDIT" "$T/fund.bundle" --witnesses 3 >"$T/audit.out" 2>&1 ||
    fail "audit --witnesses 3: $(tail -3 "$T/audit.out")"
rc=0
"$COFUND_AUDIT" "$T/fund.bundle" --witnesses 4 >"$T/audit.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "audit --witnesses 4 exited $rc: $(tail -3 "$T/audit.out")"
verify_all city fund inv aud
stop_all
echo ok
