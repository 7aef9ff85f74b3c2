#!/usr/bin/env bash
# node_scale.sh — the cost of one append grows linearly with the members
# (docs/protocol.md §8, docs/performance.md "Scale"): 24 member nodes and the
# city's on 127.0.0.1, each member dialling 2 random earlier nodes (seed 1);
# every member appends one contribution at once. scripts/lib/scale.py (the
# bench's harness, --check) asserts, from the nodes' counters
# (`node status --format json` "counters"):
#   - every node holds every new entry; the homes that keep a sampled
#     feed's lines (its author, its witnesses, the city) hold the author's
#     checkpoint, with INGEST_WITNESSES (4) cosignatures, and the other
#     homes sampled its text and author's line;
#   - per append, over the whole network: 4 signatures made (the feed's
#     witnesses, not every member), at most 3 (N+1) signatures checked
#     (every node checks the batch, only the homes that keep the lines and
#     those between them check lines: ~2.2 (N+1); before, every node every
#     line: 5 (N+1)), at most 1.25 N batches and N+1 cosig messages (lines
#     climb the feed's fetch tree to its author and the full set comes down
#     to who asked: ~0.65 (N+1); down each link, before: ~1.3 (N+1); each
#     line down each link, before that: ~2.6 (N+1); before the tree, every
#     link: ~8.5 N),
#     at most 0.7 (N+1) store transactions (a node writes at most once per
#     NET_WRITE_GAP_MS, batches and cosig merges together: ~0.45 per node,
#     up to 0.62 under ASan; before, ~0.85);
#   - idle (2 s before the appends, after 1.5 s without CPU: longer than a
#     peer-exchange update waits, NET_TEST_PEX_MS + a tick): no message
#     sent, no refresh of the feed table, no signature checked.
# No time is asserted; the run prints its times.
source "$(dirname "$0")/node_lib.sh"

N=${COFUND_SCALE_MEMBERS:-24}
python3 "$(dirname "$0")/../../scripts/lib/scale.py" --bin "$COFUND_BIN" --members "$N" \
    --dir "$T" --quiet-ms 1500 --idle-s 2 --deadline "$((DEADLINE_S * 3))" --check ||
    fail "the scale check failed (above)"
echo ok
