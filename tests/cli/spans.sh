#!/usr/bin/env bash
# spans.sh — checkpoint spans (docs/format.md): an author signs a checkpoint
# at least every 1024 entries or 512 KiB of entries, also inside one append
# batch; bundles carry every checkpoint held (K records), so a replica can
# pass them on; a checkpoint inconsistent with the feed is a fork; and a
# feed can be replicated span by span, each batch proven to extend what the
# receiver holds (forge relay/announce play the peer).
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor relay:auditor third:auditor fourth:auditor fifth:auditor \
    sixth:auditor
INV=$(key_of inv)
cp -a "$T/inv" "$T/inv-copy" # the same key: a second history, signed below

# sizes HOME FEED — the sizes of every checkpoint of FEED held at HOME, on one line
sizes() { cf "$1" checkpoint "$2" --all | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//'; }

# ---- one append batch of 3,000 entries: a checkpoint every 1024 ------------------
OUT=$(forge batch "$T/inv" 3000 contribution --project robotics --round A --amount-fen 100000 \
    --program industrial)
expect_in "$OUT" "appended 3000: size 3000, checkpoints 3"
[ "$(sizes inv inv)" = "1024 2048 3000" ] || fail "inv's checkpoints: $(sizes inv inv)"
cf inv checkpoint inv --all >"$T/inv.ckpts"
[ "$(sed -n 3p "$T/inv.ckpts")" = "3000 $(cf inv checkpoint | sed -n 3p)" ] ||
    fail "--all does not end with the latest checkpoint"
cf inv verify >/dev/null || fail "verify at inv"
expect_exit 2 inv checkpoint inv --every
expect_exit 2 inv checkpoint inv fund --all

# ---- a replica's bundle carries them all ------------------------------------------
carry inv relay
cf relay checkpoint inv --all >"$T/relay.ckpts"
same_file "$T/inv.ckpts" "$T/relay.ckpts" "checkpoints at the author and at the replica"
cf relay export --out "$T/relay.bundle" >/dev/null
expect_exit 0 third import "$T/relay.bundle" # third never saw inv's own bundle
cf third checkpoint inv --all >"$T/third.ckpts"
same_file "$T/inv.ckpts" "$T/third.ckpts" "checkpoints at the author and at the replica's replica"
cf third verify >/dev/null || fail "verify at third"
if command -v python3 >/dev/null; then
    python3 - "$T/relay.bundle" "$INV" <<'EOF' || fail "K records of the replica's bundle"
import struct, sys
data, inv = open(sys.argv[1], "rb").read(), sys.argv[2]
off, feed, ks = 16, None, {}
while off < len(data):
    t, n = chr(data[off]), struct.unpack(">I", data[off + 1:off + 5])[0]
    body = data[off + 5:off + 5 + n]
    if t == "F":
        feed = body[body.index(b"author") + 8:][:32].hex()
    elif t == "K":
        ks.setdefault(feed, []).append(int(body.split(b"\n")[1]))
    off += 5 + n
assert ks.get(inv) == [1024, 2048], ks.get(inv)
EOF
fi

# ---- spans end at 512 KiB too: matches citing 64 contributions (~6 KB each) --------
carry inv fund
CITES=()
i=0
for leaf in $(cf fund log inv --format json | grep -o '"leaf": *"[0-9a-f]*"' | head -64 |
    grep -o '[0-9a-f]\{64\}'); do
    CITES+=(--cite "$INV:$i:$leaf:1")
    i=$((i + 1))
done
[ "$i" = 64 ] || fail "found $i leaf hashes of inv's contributions"
OUT=$(forge batch "$T/fund" 200 match --program industrial --project robotics --round A "${CITES[@]}")
expect_in "$OUT" "appended 200: size 200"
FUND_SIZES=$(sizes fund fund)
set -- $FUND_SIZES
[ "$#" -ge 3 ] && [ "${*: -1}" = 200 ] || fail "fund's checkpoints after 200 matches: $FUND_SIZES"
cf fund verify >/dev/null || fail "verify at fund"
if command -v python3 >/dev/null; then
    cf fund export --out "$T/fund.bundle" >/dev/null
    python3 - "$T/fund.bundle" "$(key_of fund)" "$FUND_SIZES" <<'EOF' || fail "fund's spans"
import struct, sys
data, fund, sizes = open(sys.argv[1], "rb").read(), sys.argv[2], [int(s) for s in sys.argv[3].split()]
off, feed, lens = 16, None, []
while off < len(data):
    t, n = chr(data[off]), struct.unpack(">I", data[off + 1:off + 5])[0]
    if t == "F":
        feed = data[off + 5:off + 5 + n]
        feed = feed[feed.index(b"author") + 8:][:32].hex()
    elif t == "E" and feed == fund:
        lens.append(n)
    off += 5 + n
assert len(lens) == sizes[-1], (len(lens), sizes)
start = 0
for k, end in enumerate(sizes):
    span = lens[start:end]
    assert 0 < len(span) <= 1024 and sum(span) < 512 * 1024 + 16384, (start, end, sum(span))
    if k + 1 < len(sizes):  # a span closed by the limit: at the first entry that reached it
        assert sum(span) >= 512 * 1024 > sum(span[:-1]), (start, end, sum(span))
    start = end
EOF
fi

# ---- a checkpoint inconsistent with the feed is a fork ------------------------------
forge k-fork "$T/relay.bundle" "$T/kfork.bundle" "$T/inv" 1024 || fail "forge k-fork"
for h in fourth third; do # fourth learns the feed from this bundle; third holds it
    expect_exit 1 "$h" import "$T/kfork.bundle"
    expect_in "$OUT" "FORK: feed $INV"
    F=$(cf "$h" forks --format json)
    expect_in "$F" '"member": "inv"'
    expect_in "$F" '"size_a": 1024'
    expect_in "$F" '"size_b": 3000'
    cf "$h" verify >/dev/null || fail "verify at $h after the fork"
done
# Signed by anyone but the author, a K record is refused with its bundle.
forge k-fork "$T/relay.bundle" "$T/kforged.bundle" "$T/relay" 2048 "$INV" || fail "forge k-fork"
expect_exit 1 fifth import "$T/kforged.bundle"
expect_in "$OUT" "not signed by its author"
expect_exit 3 fifth checkpoint inv

# ---- span by span, as a peer sends them ----------------------------------------------
OUT=$(forge announce "$T/inv" "$T/fifth" "$INV" 1024)
expect_in "$OUT" "appended 0, applied 0, ahead"
expect_exit 3 fifth checkpoint inv # ahead: nothing stored
expect_in "$(forge relay "$T/inv" "$T/fifth" "$INV" 0 1024)" "appended 1024, applied 1024, new checkpoint"
OUT=$(forge relay "$T/inv" "$T/fifth" "$INV" 1024 2048 --bad-proof 2>&1) &&
    fail "a batch with a bad consistency proof was taken: $OUT"
expect_in "$OUT" "does not verify"
[ "$(feed_size fifth inv)" = 1024 ] || fail "a refused batch left entries at fifth"
expect_in "$(forge relay "$T/inv" "$T/fifth" "$INV" 1024 2048)" "appended 1024, applied 1024, new checkpoint"
OUT=$(forge announce "$T/inv" "$T/fifth" "$INV" 1024)
[ "$OUT" = "announce: appended 0, applied 0" ] || fail "a held checkpoint announced again: $OUT"
# from an earlier size (the receiver's grew meanwhile): the overlap is compared
expect_in "$(forge relay "$T/inv" "$T/fifth" "$INV" 1024 3000)" "appended 952, applied 952, new checkpoint"
cf fifth checkpoint inv --all >"$T/fifth.ckpts"
same_file "$T/inv.ckpts" "$T/fifth.ckpts" "checkpoints at the author and at a home fed span by span"
cf fifth verify >/dev/null || fail "verify at fifth"

# ---- a prefix that is not ours: a fork, proven by the sender's proof -----------------
OUT=$(forge batch "$T/inv-copy" 3000 contribution --project robotics --round A \
    --amount-fen 200000 --program industrial)
expect_in "$OUT" "checkpoints 3"
expect_in "$(forge relay "$T/inv" "$T/sixth" "$INV" 0 1024)" "appended 1024"
expect_in "$(forge relay "$T/inv-copy" "$T/sixth" "$INV" 1024 2048)" "appended 0, applied [0-9]*, fork"
[ "$(feed_size sixth inv)" = 1024 ] || fail "entries of the other history were stored"
F=$(cf sixth forks --format json)
expect_in "$F" '"size_a": 1024'
expect_in "$F" '"size_b": 2048'
cf sixth verify >/dev/null || fail "verify at sixth"
# The same fork from a checkpoint alone, at a home that holds the feed.
expect_in "$(forge announce "$T/inv-copy" "$T/fifth" "$INV" 2048)" ", fork"
expect_in "$(cf fifth forks --format json)" '"size_a": 2048'
expect_in "$(forge announce "$T/inv-copy" "$T/fifth" "$INV" 3000)" ", skipped"
echo ok
