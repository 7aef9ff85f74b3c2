#!/usr/bin/env bash
# dashboard_metrics.sh — /metrics' replication figures (docs/operations.md
# "The dashboard"), parsed by a Prometheus text-format parser: per feed, the
# sync lag (the largest size a peer announced against the size held) and the
# time the feed last grew; this home's own appends; peers' batches ingested
# and the ingest and request latency histograms.
#
# Three nodes, each connected to both others: city (the dashboard), inv-a,
# inv-b. The lag is made deterministic with SIGSTOP, no timing involved:
#   1. everything converged: every feed's lag is 0;
#   2. city is frozen while inv-a appends three entries; once inv-b holds
#      them, inv-a has announced them to city as well (one broadcast, one
#      flush for every peer: the status waits in city's socket). inv-a and
#      inv-b are frozen in turn, city thawed: it reads the announcements and
#      cannot fetch (its gets wait on frozen peers, which it drops as silent
#      after 4 s; what they announced is remembered): inv-a's lag is 3;
#   3. inv-a and inv-b thawed: city fetches, the lag is 0 again.
source "$(dirname "$0")/node_lib.sh"
source "$(dirname "$0")/dashboard_lib.sh"
command -v curl >/dev/null || { echo "curl is missing: skipped"; exit 77; }
PROM_PY=$(python_with prometheus_client)
[ -n "$PROM_PY" ] || { echo "python3-prometheus-client is missing: skipped"; exit 77; }

NODES=(city inv-a inv-b)
network inv-a:investor inv-b:investor
dashboard_start city
join_triangle city inv-a inv-b
converged() {
    same_digest "${NODES[@]}" && all_applied city && all_applied inv-a && all_applied inv-b
}

# metric NAME [MEMBER] — one sample's value at city (a feed's, with MEMBER);
# the whole text is checked by the parser on the way.
metric() {
    curl -sf "$URL/metrics" >"$T/metrics" || return 1
    "$PROM_PY" - "$T/metrics" "$@" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
text, name = open(sys.argv[1]).read(), sys.argv[2]
member = sys.argv[3] if len(sys.argv) > 3 else None
for fam in text_string_to_metric_families(text):
    for s in fam.samples:
        if s.name == name and (member is None or s.labels.get("member") == member):
            print("%g" % s.value)
            sys.exit(0)
sys.exit(1)
PY
}
lag_is() { [ "$(metric cofund_feed_lag_entries "$1")" = "$2" ]; } # lag_is MEMBER N

# ---- 1. converged: no lag, counters that add up -----------------------------------
cf inv-a contribute --project robotics --round A --amount 1000 >/dev/null
cf inv-b contribute --project sensors --round A --amount 2000 >/dev/null
cf city project add drones --name Drones >/dev/null # city's own append, noticed by its node
wait_until "the same state at the three nodes" converged
for m in city inv-a inv-b; do wait_until "no lag of $m's feed at city" lag_is "$m" 0; done
"$PROM_PY" - "$T/metrics" <<'PY' || fail "/metrics after convergence: $(cat "$T/metrics")"
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
def one(name, sample=None):
    return {s.name: s.value for s in fams[name].samples}[sample or name]
def by_member(name):
    return {s.labels["member"]: s.value for s in fams[name].samples}
assert fams["cofund_feed_lag_entries"].type == "gauge"
entries = by_member("cofund_feed_entries")
assert by_member("cofund_feed_lag_entries") == {m: 0.0 for m in entries}, fams["cofund_feed_lag_entries"]
peer = by_member("cofund_feed_peer_entries")
assert all(peer[m] <= entries[m] for m in entries), (peer, entries)
assert peer["inv-a"] == entries["inv-a"] == 1.0, (peer, entries)
grew = by_member("cofund_feed_last_growth_timestamp_seconds")
assert set(grew) >= {"city", "inv-a", "inv-b"} and all(v > 1.7e9 for v in grew.values()), grew
assert one("cofund_own_appended_entries", "cofund_own_appended_entries_total") == 1.0
assert one("cofund_ingest_batches", "cofund_ingest_batches_total") >= 2
assert one("cofund_ingest_entries", "cofund_ingest_entries_total") >= 2
for h in ("cofund_ingest_seconds", "cofund_http_request_seconds"):
    assert fams[h].type == "histogram", fams[h].type
    s = fams[h].samples
    buckets = [x.value for x in s if x.name == h + "_bucket"]
    count = one(h, h + "_count")
    assert buckets == sorted(buckets) and buckets[-1] == count >= 1, (h, buckets, count)
    assert [x.labels["le"] for x in s if x.name == h + "_bucket"][-1] == "+Inf"
    assert one(h, h + "_sum") > 0, h
print("converged: lag 0 for %d feeds; histograms sane" % len(entries))
PY

# ---- 2. a peer ahead: lag > 0 ----------------------------------------------------------
frozen() { [ "$(awk '{print $3}' "/proc/${NODE_PID[$1]}/stat")" = T ]; }
kill -STOP "${NODE_PID[city]}"
for i in 1 2 3; do cf inv-a contribute --project robotics --round B --amount $((i * 1000)) >/dev/null; done
wait_until "inv-a's entries at inv-b while city is frozen" holds inv-b inv-a
kill -STOP "${NODE_PID[inv-a]}" "${NODE_PID[inv-b]}"
wait_until "inv-a frozen" frozen inv-a
wait_until "inv-b frozen" frozen inv-b
kill -CONT "${NODE_PID[city]}"
wait_until "inv-a's feed 3 entries behind at city" lag_is inv-a 3
[ "$(metric cofund_feed_peer_entries inv-a)" = 4 ] || fail "inv-a's peer entries: $(metric cofund_feed_peer_entries inv-a)"
[ "$(metric cofund_feed_entries inv-a)" = 1 ] || fail "city fetched from frozen nodes"
lag_is inv-b 0 || fail "inv-b's feed lags: $(metric cofund_feed_lag_entries inv-b)"
# Dropped as silent, the frozen peers' announcements are still what city knows.
dropped() { grep -q "peer $1 (.*) closed: silent" "$T/city.log"; }
wait_until "city dropping the frozen inv-a" dropped inv-a
wait_until "city dropping the frozen inv-b" dropped inv-b
lag_is inv-a 3 || fail "inv-a's lag after the drop: $(metric cofund_feed_lag_entries inv-a)"

# ---- 3. caught up: lag 0 again ------------------------------------------------------------
kill -CONT "${NODE_PID[inv-a]}" "${NODE_PID[inv-b]}"
wait_until "inv-a's feed caught up at city" lag_is inv-a 0
[ "$(metric cofund_feed_entries inv-a)" = 4 ] || fail "city holds $(metric cofund_feed_entries inv-a) of inv-a's entries"
wait_until "the same state at the three nodes" converged
stop_all
echo ok
