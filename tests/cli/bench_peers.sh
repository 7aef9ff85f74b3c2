#!/usr/bin/env bash
# bench_peers.sh — scripts/lib/peers.sh, the peer comparison of scripts/bench
# (docs/performance.md "Method"): its one table and its paired rounds, read
# from stand-ins for cofund-bench and Hypercore's run.sh (the real ones run
# for minutes and only on demand). Each round's ratio and their median.
source "$(dirname "$0")/lib.sh"
command -v node >/dev/null || { echo "node missing: skipped"; exit 77; }
COFUND_ROOT="$COFUND_TESTS/.."
source "$COFUND_TESTS/../scripts/lib/peers.sh"

# Hypercore's stand-in: append_batch at a rate the round sets, one summary line.
mkdir -p "$T/peers/hypercore"
cat >"$T/peers/hypercore/run.sh" <<'SH'
#!/usr/bin/env bash
n=$(cat "$(dirname "$0")/round")
rate=$((50000 + 10000 * n))
echo '{"bench":"hypercore","run":1,"metric":"append_batch"}'
echo "{\"hypercore\":\"11.39.5\",\"summary\":{\"append_batch\":{\"entries_per_s\":{\"median\":$rate}},\"append_seq\":{\"entries_per_s\":{\"median\":2000}}}}"
SH
chmod +x "$T/peers/hypercore/run.sh"
# cofund-bench's stand-in: figure 1's lines, 100,000 /s in every round; counts rounds.
cat >"$T/bench" <<SH
#!/usr/bin/env bash
n=\$((\$(cat "$T/peers/hypercore/round" 2>/dev/null || echo 0) + 1))
echo \$n >"$T/peers/hypercore/round"
echo "  batch 1000, medians per batch: node_append 10000 us wall, 7500 us CPU, 1700.0 KB written; baseline 1400 us wall, 800 us CPU, 229.5 KB written"
echo "| 1. appends/s, batch 1, durable singles (median of 80 batches) | 1500 /s | 2400 /s | 0.625 | >= 0.8x baseline | **not met** |"
echo "| 1. rules taken out (bypass), batch 1: the ceiling | 1900 /s | 2400 /s | 0.792 |  |  |"
echo "| 1. rules taken out (bypass), batch 100: the ceiling | 150000 /s | 300000 /s | 0.500 |  |  |"
echo "| 1. appends/s, batch 1000 (median of 20 batches) | 100000 /s | 700000 /s | 0.143 | >= 0.5x baseline | **not met** |"
echo "| 1. rules taken out (bypass), batch 1000: the ceiling | 300000 /s | 700000 /s | 0.429 |  |  |"
echo "| 1b. appends/s, batch 10,000, building the big feed | 120000 /s | 1200000 /s | 0.100 | >= 0.5x baseline | **not met** |"
echo "| 1b. rules taken out (bypass), the same batches: the ceiling | 360000 /s | 1200000 /s | 0.300 |  |  |"
SH
chmod +x "$T/bench"

# Paired rounds: Hypercore at 60k, 70k, 80k /s against 100k: 1.67x, 1.43x, 1.25x.
OUT=$(COFUND_PEERS="$T/peers" peers_pairs 3 "$T" "$T/bench" --seed 7)
expect_in "$OUT" "^| 1 | [0-9.]* | 100000 /s | 7.50 ms (0.80) | 60000 /s | 1.67x |$"
expect_in "$OUT" "^| 2 | [0-9.]* | 100000 /s | 7.50 ms (0.80) | 70000 /s | 1.43x |$"
expect_in "$OUT" "^| 3 | [0-9.]* | 100000 /s | 7.50 ms (0.80) | 80000 /s | 1.25x |$"
expect_in "$OUT" "median 1.43x of 3 rounds (min 1.25x, max 1.67x)"

# One table after a full run: the rows measured, the others said to be missing.
echo 4 >"$T/peers/hypercore/round"
"$T/bench" >"$T/cofund.txt"
"$T/peers/hypercore/run.sh" >"$T/hypercore.txt"
OUT=$(peers_table "$T/cofund.txt" "$T/hypercore.txt")
expect_in "$OUT" "| appends, batch of 1,000 | 100000 /s | 700000 /s | 0.143 | 100000 /s | 1.00x |"
expect_in "$OUT" "| single appends (cofund: durable; Hypercore: not fsynced) | 1500 /s | 2400 /s | 0.625 | 2000 /s | 0.75x |"
# Each ceiling under its own row, not the batch of 100's.
expect_in "$OUT" "| ... the same, the rules taken out (cofund's ceiling) | 1900 /s | 2400 /s | 0.792 | 2000 /s | 0.95x |"
expect_in "$OUT" "| ... the same, the rules taken out (cofund's ceiling) | 300000 /s | 700000 /s | 0.429 | 100000 /s | 3.00x |"
expect_in "$OUT" "| ... the same, the rules taken out (cofund's ceiling) | 360000 /s | 1200000 /s | 0.300 | 100000 /s | 3.60x |"
expect_in "$OUT" "| replication, 2 processes, TCP | not measured |"

# No peers folder: skipped with a message, never a failure.
OUT=$(COFUND_PEERS="$T/none" peers_pairs 2 "$T" "$T/bench")
expect_in "$OUT" "peer benchmark skipped: no $T/none/hypercore/run.sh"
echo "$OUT"
