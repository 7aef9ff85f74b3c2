#!/usr/bin/env bash
# audit_fork.sh — what the audit proves about authors: rule violations
# signed under valid checkpoints (named with rule ID and text), forks from
# fork proofs in the bundle and forks the audit finds itself between a
# feed's own checkpoints; and portable evidence of each (`cofund evidence`,
# `cofund audit --evidence`) round trips, while damaged evidence does not.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

build_network
KINV=$(key_of inv)
leaf_of() { cf city show "$1" --format json | grep -o '"leaf": "[0-9a-f]*"' | head -1 | cut -d'"' -f4; }

# ---- violations -------------------------------------------------------------------
# The fund's node signs a match that cites inv#150 twice (R-MATCH.1, which
# the entry alone decides); the team's an exit beyond its position (R-EXIT,
# which needs the history).
forge encode "$T/fund" match "$T/dup.cbor" --program industrial --project robotics --round A \
    --cite "$KINV:150:$(leaf_of inv:150):1000" --cite "$KINV:150:$(leaf_of inv:150):1000" ||
    fail "forge encode"
forge append "$T/fund" "$T/dup.cbor" >/dev/null || fail "forge append"
FBAD=$(($(feed_size fund fund) - 1))
forge encode "$T/team" exit "$T/exit.cbor" --project sensors --amount-fen 900000000 || fail "forge encode"
forge append "$T/team" "$T/exit.cbor" >/dev/null || fail "forge append"
TBAD=$(($(feed_size team team) - 1))
cf fund export --out "$T/fund.bundle" >/dev/null
cf team export --out "$T/team.bundle" >/dev/null
expect_exit 1 city import "$T/fund.bundle"
expect_exit 1 city import "$T/team.bundle"
cf city export --out "$T/violated.bundle" >/dev/null

expect_audit 1 "$T/violated.bundle"
expect_in "$OUT" "^VIOLATION fund#$FBAD rejected by R-MATCH.1: match cites inv#150 twice"
expect_in "$OUT" "^VIOLATION team#$TBAD rejected by R-EXIT: exit 9,000,000.00 exceeds team's position"
expect_in "$OUT" "^replayed the rules: .* 2 violations, 0 entries not checked"
expect_in "$OUT" "^result: FAILED: violation: "
# The same verdicts as the home's own.
cf city violations --format json >"$T/home-violations.json"
"$COFUND_AUDIT" "$T/violated.bundle" --format json >"$T/audit.json" && fail "json audit exited 0"
python3 - "$T" <<'PY' || fail "the audit's violations differ from the home's"
import json, sys
t = sys.argv[1]
home = sorted((v["member"], v["index"], v["rule"], v["text"]) for v in json.load(open(t + "/home-violations.json")))
a = json.load(open(t + "/audit.json"))
audit = sorted((v["member"], v["index"], v["rule"], v["text"]) for v in a["violations"])
assert home == audit, (home, audit)
assert not a["ok"] and a["complete"]
PY

# Evidence of each violation, checked offline.
cf city evidence "fund:$FBAD" --out "$T/dup.evidence" >/dev/null || fail "evidence fund:$FBAD"
expect_audit 0 --evidence "$T/dup.evidence"
expect_in "$OUT" "^proves: the author signed this entry at index $FBAD"
expect_in "$OUT" "^entry: match of 20.00 by program industrial in project robotics round A, citing 2 contributions"
expect_in "$OUT" "^claimed verdict: rejected by R-MATCH.1: match cites inv#150 twice"
expect_in "$OUT" "^from the entry alone: it breaks R-MATCH.1"
expect_in "$OUT" "^result: PROVEN: the author signed this entry, and it breaks R-MATCH.1 on its own"
env -u HOME "$COFUND_BIN" audit --evidence "$T/dup.evidence" >/dev/null || fail "cofund audit --evidence"
cf city evidence "team:$TBAD" --out "$T/exit.evidence" >/dev/null || fail "evidence team:$TBAD"
# R-EXIT needs the history: the file alone proves the signature, not the
# violation; with the network's bundle, the replay decides.
expect_audit 1 --evidence "$T/exit.evidence"
expect_in "$OUT" "^entry: exit of 9,000,000.00 from project sensors"
expect_in "$OUT" "^claimed verdict: rejected by R-EXIT: "
expect_in "$OUT" "^result: NOT PROVEN: the author signed this entry at this position; whether it breaks R-EXIT only the history decides"
expect_audit 1 --evidence "$T/exit.evidence" --format json
expect_in "$OUT" '"proven":false'
expect_in "$OUT" '"verdict":"needs-history"'
expect_audit 0 --evidence "$T/exit.evidence" "$T/violated.bundle"
expect_in "$OUT" "^result: PROVEN: the author signed this entry, and the replay of the network's bundle rejects it by R-EXIT"
expect_audit 0 --evidence "$T/exit.evidence" "$T/violated.bundle" --format json
expect_in "$OUT" '"verdict":"confirmed-by-history"'
# A real rule the entry does not break, by the history: not proven.
python3 - "$T/exit.evidence" "$T/cap-claim.evidence" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
d = d.replace(b"\x66R-EXIT", b"\x65R-CAP", 1)
open(sys.argv[2], "wb").write(d)
PY
expect_audit 1 --evidence "$T/cap-claim.evidence" "$T/violated.bundle"
expect_in "$OUT" "^result: NOT PROVEN: the author signed this entry at this position, but the bundle's replay rejects it by another rule"
# Damaged evidence proves nothing: a byte of the entry (inclusion fails) ...
python3 - "$T/exit.evidence" "$T/bad-entry.evidence" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.index(b"eentry") + 6 + 3 + 20   # into the entry's bytes
d[i] ^= 1
open(sys.argv[2], "wb").write(d)
PY
expect_audit 1 --evidence "$T/bad-entry.evidence"
expect_in "$OUT" "NOT PROVEN: "
# ... and a claim the entry alone refutes: this exit cites nothing, so it
# cannot break R-MATCH.1.
python3 - "$T/exit.evidence" "$T/bad-claim.evidence" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
d = d.replace(b"\x66R-EXIT", b"\x69R-MATCH.1", 1)
open(sys.argv[2], "wb").write(d)
PY
expect_audit 1 --evidence "$T/bad-claim.evidence"
expect_in "$OUT" "^result: NOT PROVEN: the entry does not break R-MATCH.1"
head -c 200 /dev/urandom >"$T/junk.evidence"
expect_audit 3 --evidence "$T/junk.evidence"
expect_exit 3 city evidence "fund:0" --out "$T/none.evidence"
expect_in "$OUT" "no violation is held at fund#0"

# ---- a fork: two homes with one key --------------------------------------------------
cp -a "$T/inv" "$T/inv-copy"
cf inv contribute --project robotics --round A --amount 100,000 >/dev/null
cf inv-copy contribute --project robotics --round A --amount 200,000 >/dev/null
cf inv export --out "$T/inv.bundle" >/dev/null
cf inv-copy export --out "$T/inv-copy.bundle" >/dev/null
expect_exit 0 city import "$T/inv.bundle"
expect_exit 1 city import "$T/inv-copy.bundle"
cf city export --out "$T/forked.bundle" >/dev/null
expect_audit 1 "$T/forked.bundle"
N=$(feed_size city inv)
expect_in "$OUT" "^FORK feed inv ($KINV) at entry [0-9]*: its author signed size $N with root [0-9a-f]* and size $N (root [0-9a-f]*), which share their first [0-9]* entries — fork proof in the bundle (X record): the histories part at entry [0-9]*; entries below it stand"
expect_in "$OUT" "^inv .* forked$"
expect_in "$OUT" "1 fork proofs"
expect_in "$OUT" "^result: FAILED: fork: feed inv signed two inconsistent histories (sizes $N and $N)"
# The forked feed counts up to its point (R-FORK): the fund's matches of
# inv's contributions below it are checked and applied (as on every node).
expect_in "$OUT" "^inv .* $((N - 1)) .* forked$"
grep -q "^NOT CHECKED fund" <<<"$OUT" && fail "the fund's matches wait on a contained fork"
cf city evidence inv --out "$T/fork.evidence" >/dev/null || fail "evidence inv"
expect_audit 0 --evidence "$T/fork.evidence"
expect_in "$OUT" "^author: $KINV"
expect_in "$OUT" "^  checkpoint A: size $N, root "
expect_in "$OUT" "^result: PROVEN: fork by $KINV"
python3 - "$T/fork.evidence" "$T/bad-fork.evidence" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[d.index(b"\x62la\x58\x20") + 5] ^= 1  # leaf "la" of the located proof
open(sys.argv[2], "wb").write(d)
PY
expect_audit 1 --evidence "$T/bad-fork.evidence"
expect_in "$OUT" "NOT PROVEN: "

# ---- a fork the audit finds itself: a K record against the feed record ----------
edit list "$T/violated.bundle" >"$T/records"
KTEAM=$(key_of team)
team_feed=$(awk -v k="${KTEAM:0:16}" '$2 == "F" && $6 == k {print $1}' "$T/records")
ksize=$(awk -v r="$team_feed" '$1 > r && $2 == "K" {print $7; exit}' "$T/records")
forge k-fork "$T/violated.bundle" "$T/kfork.bundle" "$T/team" "$ksize" >/dev/null || fail "forge k-fork"
expect_audit 1 "$T/kfork.bundle"
expect_in "$OUT" "^FORK feed team ($KTEAM): its author signed size $ksize with root .* found by the audit: checkpoint $ksize (K record) against [0-9]* (feed record); fork proof checked"
# Signed by someone else, the same K record is a forgery, not a fork.
forge k-fork "$T/violated.bundle" "$T/kforged.bundle" "$T/fund" "$ksize" "$KTEAM" >/dev/null ||
    fail "forge k-fork"
expect_audit 1 "$T/kforged.bundle"
expect_in "$OUT" "^FAIL feed ${KTEAM:0:16}: checkpoint of size $ksize (K record): .*"
echo ok
