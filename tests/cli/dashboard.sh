#!/usr/bin/env bash
# dashboard.sh — `node run --http` (issue 15 part 2; docs/operations.md "The
# dashboard"): the JSON API answers exactly what the queries' --format json
# print (byte for byte), a proof what `proof inclusion` prints; refusals
# (unknown route 404, unknown option 400, a name not registered 404, POST
# 405); loopback by default, a bearer token off it (401 without, with a
# wrong one); /metrics parsed by a Prometheus text-format parser; /healthz.
source "$(dirname "$0")/node_lib.sh"
source "$(dirname "$0")/dashboard_lib.sh"
command -v curl >/dev/null || { echo "curl is missing: skipped"; exit 77; }

dashboard_network
dashboard_start city
get() { curl -s -o "$T/body" -w '%{http_code}' "$@"; } # get URL... — status; body in $T/body

# A dashboard address in use stops the node that wanted it (exit 4), not the one serving it.
expect_exit 4 fund node run --http "${URL#http://}"
expect_in "$OUT" "cannot serve the dashboard on"

# ---- the API is the CLI's JSON -----------------------------------------------
same() { # same PATH CLI-ARGS... — /api/PATH's body equals `cofund CLI-ARGS --format json`
    local path=$1 code
    shift
    code=$(get "$URL/api/$path")
    [ "$code" = 200 ] || fail "/api/$path: HTTP $code: $(cat "$T/body")"
    cf city "$@" --format json >"$T/cli" || fail "cofund $*"
    cmp -s "$T/body" "$T/cli" || fail "/api/$path differs from cofund $*: $(diff "$T/body" "$T/cli" | head -5)"
}
same positions positions
same "positions?holder=inv" positions --holder inv
same "positions?by-round" positions --by-round
same projects projects
same programs programs
same register register
same "register?member=fund&type=match" register --member fund --type match
same "register?last=3" register --last 3
# --last N: the latest N of the journal, in its order (the register page asks for 1,000).
cf city register --format json >"$T/all"
cf city register --last 3 --format json >"$T/last"
python3 -c 'import json, sys; a = json.load(open(sys.argv[1])); l = json.load(open(sys.argv[2]))
assert len(a) > 3 and l == a[-3:], (len(a), l)' "$T/all" "$T/last" || fail "register --last 3"
expect_exit 2 city register --last 0
same unmatched unmatched
# (returns values the residual now unless --as-of: a fixed date compares)
same "returns?as-of=2030-01-01" returns --as-of 2030-01-01
same "returns?holder=inv&as-of=2030-01-01" returns --holder inv --as-of 2030-01-01
same leases leases
same members members
same forks forks
same violations violations
same program/industrial program status industrial
same program/awards program status awards
same pool/pool pool status pool
code=$(get "$URL/api/proof/inv/1")
[ "$code" = 200 ] || fail "/api/proof/inv/1: HTTP $code"
cf city proof inclusion inv:1 >"$T/cli"
cmp -s "$T/body" "$T/cli" || fail "/api/proof/inv/1 differs from proof inclusion inv:1"
code=$(get "$URL/api/pools")
[ "$code" = 200 ] || fail "/api/pools: HTTP $code"
python3 - "$T/body" <<'PY' || fail "/api/pools"
import json, sys
pools = json.load(open(sys.argv[1]))
assert [p["program"] for p in pools] == ["pool"], pools
PY
code=$(get "$URL/api/node")
[ "$code" = 200 ] || fail "/api/node: HTTP $code"
python3 - "$T/body" <<'PY' || fail "/api/node: $(cat "$T/body")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["name"] == "city" and s["node"]["running"] is True, s
assert sorted(f["member"] for f in s["feeds"]) == ["city", "fund", "inv", "team"], s["feeds"]
PY
# The hostile name is data: JSON carries it as it is (the pages escape it).
get "$URL/api/projects" >/dev/null
grep -qF '"name": "<script>alert(1)</script>"' "$T/body" || fail "the project's name in JSON"

# ---- refusals --------------------------------------------------------------------
[ "$(get "$URL/api/nothing")" = 404 ] || fail "an unknown route: not 404"
[ "$(get "$URL/api/program/nope")" = 404 ] || fail "a program not registered: not 404"
expect_in "$(cat "$T/body")" "program nope is not registered"
[ "$(get "$URL/api/positions?format=csv")" = 400 ] || fail "?format: not 400"
[ "$(get "$URL/api/positions?bogus=1")" = 400 ] || fail "an unknown option: not 400"
[ "$(get "$URL/api/positions?as-of=yesterday-ish")" = 400 ] || fail "a bad --as-of: not 400"
[ "$(get -X POST "$URL/api/positions")" = 405 ] || fail "POST: not 405"
[ "$(get -X DELETE "$URL/")" = 405 ] || fail "DELETE: not 405"
[ "$(get "$URL/static/nothing.js")" = 404 ] || fail "an unknown file: not 404"
# Every answer carries the strict policy.
curl -s -D "$T/headers" -o /dev/null "$URL/"
grep -qi "^Content-Security-Policy: default-src 'none'; script-src 'self'" "$T/headers" ||
    fail "no strict Content-Security-Policy: $(cat "$T/headers")"
grep -qi "^X-Content-Type-Options: nosniff" "$T/headers" || fail "no nosniff"
# A request larger than the connection's memory is refused, and the node lives on.
big=$(head -c 40000 /dev/zero | tr '\0' a)
code=$(get "$URL/api/positions?holder=$big")
case "$code" in 414 | 431 | 400 | 000) ;; *) fail "a 40 kB request line: HTTP $code" ;; esac
[ "$(get "$URL/healthz")" = 200 ] || fail "healthz after a large request"

# ---- /metrics and /healthz ------------------------------------------------------------
[ "$(get "$URL/healthz")" = 200 ] || fail "/healthz: $(cat "$T/body")"
[ "$(cat "$T/body")" = ok ] || fail "/healthz body: $(cat "$T/body")"
[ "$(get "$URL/metrics")" = 200 ] || fail "/metrics"
cf city node status --format json >"$T/status"
PROM_PY=$(python_with prometheus_client)
if [ -n "$PROM_PY" ]; then
    "$PROM_PY" - "$T/body" "$T/status" <<'PY' || fail "/metrics: $(head -40 "$T/body")"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
status = json.load(open(sys.argv[2]))
def samples(name):
    return {tuple(sorted(s.labels.items())): s.value for s in fams[name].samples}
assert samples("cofund_up") == {(): 1.0}
assert samples("cofund_feeds") == {(): float(len(status["feeds"]))}
entries = {dict(k)["member"]: v for k, v in samples("cofund_feed_entries").items()}
assert entries == {f["member"]: float(f["size"]) for f in status["feeds"]}, entries
wit = {dict(k)["member"]: v for k, v in samples("cofund_feed_witnesses").items()}
assert wit == {f["member"]: float(f["witnesses"]) for f in status["feeds"]}, wit
assert samples("cofund_forks") == {(): 0.0} and samples("cofund_violations") == {(): 0.0}
assert fams["cofund_messages_received"].type == "counter"
assert "cofund_http_requests" in fams, sorted(fams)
for name in ("cofund_feed_lag_entries", "cofund_feed_peer_entries", "cofund_own_appended_entries",
             "cofund_ingest_batches", "cofund_ingest_entries"):
    assert name in fams, (name, sorted(fams))
assert {dict(k)["member"] for k in samples("cofund_feed_lag_entries")} == set(entries)
assert all(v == 0 for v in samples("cofund_feed_lag_entries").values())  # no peers: nothing ahead
assert fams["cofund_ingest_seconds"].type == fams["cofund_http_request_seconds"].type == "histogram"
print("metrics: %d families parsed" % len(fams))
PY
else
    echo "python3-prometheus-client is missing: /metrics not parsed"
fi

# ---- latency: every API route and a page, on this home ---------------------------------
for path in api/positions api/register api/programs api/program/industrial api/node metrics /; do
    curl -s -o /dev/null -w "latency ${path}: %{time_total} s\n" "$URL/${path#/}"
done
stop_node city

# ---- loopback by default; a token off it ------------------------------------------
expect_exit 2 city node run --http 0.0.0.0:0
expect_in "$OUT" "not a loopback address"
expect_exit 2 city node run --http 127.0.0.1:0 --http-token short
expect_in "$OUT" "at least 16 characters"
TOKEN=0123456789abcdef-token
dashboard_start city --http-token "$TOKEN"
[ "$(get "$URL/api/projects")" = 401 ] || fail "no token: not 401"
[ "$(get -H "Authorization: Bearer wrong-$TOKEN" "$URL/api/projects")" = 401 ] || fail "a wrong token: not 401"
[ "$(get -H "Authorization: Bearer ${TOKEN%?}" "$URL/api/projects")" = 401 ] || fail "a prefix of the token: not 401"
[ "$(get -H "Authorization: Bearer $TOKEN" "$URL/api/projects")" = 200 ] || fail "the token: not 200"
[ "$(get -u "anyone:$TOKEN" "$URL/")" = 200 ] || fail "basic authentication with the token: not 200"
stop_node city
# The config file's keys.
printf 'http 127.0.0.1:0\nhttp-token %s\n' "$TOKEN" >"$T/city/config"
start_node city
URL=$(sed -n 's#^dashboard: \(http://127\.0\.0\.1:[0-9]*\)/.*#\1#p' "$T/city.out")
[ -n "$URL" ] || fail "http= in the config: no dashboard"
[ "$(get "$URL/healthz")" = 401 ] || fail "http-token= in the config: not asked for"
stop_node city
echo "dashboard: ok"
