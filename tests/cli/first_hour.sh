#!/usr/bin/env bash
# first_hour.sh — the small things a new user meets first (issue "A new
# user's first hour"), each checked as it should be:
#   - init makes the home's directory 0700, also one that existed (0755);
#     a bundle (the whole ledger) is written 0600;
#   - --as-of 2025 and --as-of 2025-12 mean the start of that year / month,
#     said on stderr; an impossible date names its problem;
#   - join --network on a home that joined nothing names the pinned network;
#   - a home not yet a member is told to send its key to the governance;
#   - a back-dated entry's refusal says how history is entered;
#   - node run: an unresolvable peer is a warning; --log-format json.
source "$(dirname "$0")/node_lib.sh"
network fund:fund inv:investor

# ---- permissions ---------------------------------------------------------------
mkdir -m 0755 "$T/open"
cf open init --name open >/dev/null
[ "$(stat -c %a "$T/open")" = 700 ] || fail "init left $T/open $(stat -c %a "$T/open")"
[ "$(stat -c %a "$T/city")" = 700 ] || fail "a new home is $(stat -c %a "$T/city")"
(umask 022 && cf city export --out "$T/perm.bundle" >/dev/null)
[ "$(stat -c %a "$T/perm.bundle")" = 600 ] || fail "a bundle is $(stat -c %a "$T/perm.bundle")"

# ---- times -----------------------------------------------------------------------
cf inv contribute --project robotics --round A --amount 100 --time 2025-06-01 >/dev/null
expect_exit 0 inv positions --as-of 2025
expect_in "$OUT" "^cofund positions: as of 2025: taken as its start, 2025-01-01T00:00:00.000+08:00"
expect_in "$OUT" "no positions"
expect_exit 0 inv positions --as-of 2025-07
expect_in "$OUT" "as of 2025-07: taken as its start, 2025-07-01T00:00:00.000+08:00"
expect_in "$OUT" "robotics"
expect_exit 2 inv positions --as-of 2026-02-30
expect_in "$OUT" '^cofund positions: "2026-02-30": February 2026 has 28 days'
expect_exit 2 inv positions --as-of 2024-02-30
expect_in "$OUT" "February 2024 has 29 days"
expect_exit 2 inv positions --as-of 2026-13-01
expect_in "$OUT" '"2026-13-01": there is no month 13'
expect_exit 2 inv positions --as-of 1969-01-01
expect_in "$OUT" '"1969-01-01": times run from 1970-01-01 to 9999-12-31'
expect_exit 2 inv contribute --project robotics --round A --amount 1 --time 2025 # --time: exact
expect_in "$OUT" "is not an ISO 8601 time"

# ---- entering history ---------------------------------------------------------------
expect_exit 1 inv contribute --project robotics --round A --amount 100 --time 2025-01-01
expect_in "$OUT" "R-TIME"
expect_in "$OUT" "enter history oldest first, each with --time"
expect_in "$OUT" "program add ID --start TIME"

# ---- joining ------------------------------------------------------------------------
cf lone init --name lone >/dev/null
expect_exit 1 lone join "$T/city.bundle" --network "$(printf '0%.0s' {1..64})"
expect_in "$OUT" "not network 0000000000000000… (the one --network expects)"
! grep -q "this home belongs" <<<"$OUT" || fail "a home that joined nothing 'belongs': $OUT"
# Joined, not yet registered: told what to send, and to whom.
cf lone join "$T/city.bundle" >/dev/null
expect_exit 1 lone contribute --project robotics --round A --amount 100
expect_in "$OUT" "R-ROLE"
expect_in "$OUT" "this home is not a member of the network yet: send its key to the network's governance"
expect_in "$OUT" "cofund member add --key $(key_of lone) --role ROLE --name lone"
expect_in "$OUT" "key       $(key_of lone)"
cf lone whoami | grep -qx "key       $(key_of lone)" || fail "the whoami line quoted is not whoami's"

# ---- the node's log -------------------------------------------------------------------
start_node city --peer no-such-host.invalid:7400 --log-format json
wait_until "the unresolvable peer's warning" \
    grep -q '"level":"warn","msg":"peer no-such-host.invalid:7400: cannot resolve' "$T/city.log"
kill -TERM "${NODE_PID[city]}"
wait "${NODE_PID[city]}" || fail "the node exited $? after SIGTERM"
unset "NODE_PID[city]"
python3 - "$T/city.log" <<'PY' || fail "a log line is not a JSON object: $(head -3 "$T/city.log")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines, "no log"
for line in lines:
    o = json.loads(line)
    assert list(o) == ["time", "level", "msg"], o
    assert o["level"] in ("debug", "info", "warn", "error"), o
assert json.loads(lines[-1])["msg"] == "stopped", lines[-1]
PY
echo ok
