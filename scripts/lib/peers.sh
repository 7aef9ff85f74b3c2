# shellcheck shell=bash
# peers.sh — the peer benchmark beside cofund's figures (scripts/bench --peers).
# Sourced, not run. The peers live outside the repository, in the folder
# $COFUND_PEERS (default: shared/peers next to the repository); only its
# hypercore/run.sh is used (it installs its pinned packages with npm ci and
# prints one JSON summary line last). docs/performance.md explains the table.

# peers_ready DIR — true when DIR/hypercore/run.sh can run; else says why
# the peer benchmark is skipped.
peers_ready() {
    if [ ! -x "$1/hypercore/run.sh" ]; then
        echo "peer benchmark skipped: no $1/hypercore/run.sh (set COFUND_PEERS to the peers folder)"
        return 1
    fi
    if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
        echo "peer benchmark skipped: node and npm are needed (Debian: apt-get install -y nodejs npm)"
        return 1
    fi
}

# peers_median METRIC — Hypercore's median entries/s of METRIC from its JSON
# summary line on stdin; nothing when the line lacks it.
peers_median() {
    node -e '
        let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
            try {
                const m = JSON.parse(s).summary[process.argv[1]];
                if (m && m.entries_per_s) process.stdout.write(String(Math.round(m.entries_per_s.median)));
            } catch (e) {}
        })' "$1"
}

# cell_number N — the first number of cell N of the table row on stdin
# ("23818 /s (8.4 s)" is 23818).
cell_number() {
    awk -F'|' -v n="$1" 'match($n, /[0-9.]+/) { print substr($n, RSTART, RLENGTH) }'
}

# peers_run COFUND_OUTPUT HYPERCORE_OUTPUT — run the Hypercore benchmark right
# after cofund's figures (already in COFUND_OUTPUT: cofund-bench's results
# table) and print both side by side. Never fails the bench: a missing npm or
# folder, or a failed peer run, prints "peer benchmark skipped: ...".
peers_run() {
    local ours=$1 theirs=$2
    local dir=${COFUND_PEERS:-$COFUND_ROOT/../shared/peers}
    echo
    echo "== peers: Hypercore (right after cofund's figures, same machine)"
    peers_ready "$dir" || return 0
    echo "load:   $(cut -d' ' -f1-3 /proc/loadavg)"
    if ! "$dir/hypercore/run.sh" | tee "$theirs"; then
        echo "peer benchmark skipped: $dir/hypercore/run.sh failed (output above)"
        return 0
    fi
    peers_table "$ours" "$theirs"
}

# peers_table COFUND_OUTPUT HYPERCORE_OUTPUT — one table: each work, cofund's
# rate, its in-run baseline and ratio, Hypercore's median, and cofund over
# Hypercore. Rows whose figure the run did not measure say so. Under each
# append row, the same append with the rules taken out (the bypass of figures
# 1 and 1b): what no speed-up of the rules can pass.
peers_table() {
    local ours=$1 theirs=$2
    local json
    json=$(grep '"summary"' "$theirs" | tail -n 1)
    if [ -z "$json" ]; then
        echo "peer benchmark skipped: no summary line in Hypercore's output"
        return 0
    fi
    # figure-label prefix | Hypercore metric | what
    local rows=(
        "1. appends/s, batch 1,|append_seq|single appends (cofund: durable; Hypercore: not fsynced)"
        "1. rules taken out (bypass), batch 1:|append_seq|... the same, the rules taken out (cofund's ceiling)"
        "1. appends/s, batch 1000 |append_batch|appends, batch of 1,000"
        "1. rules taken out (bypass), batch 1000:|append_batch|... the same, the rules taken out (cofund's ceiling)"
        "1b. appends/s, batch 10,000|append_batch|appends, batch of 10,000 (Hypercore: batch of 1,000)"
        "1b. rules taken out (bypass)|append_batch|... the same, the rules taken out (cofund's ceiling)"
        "7. replication of|replicate_tcp|replication, 2 processes, TCP"
        "6. audit of a|cold_read_verify|audit (2 threads) / Hypercore cold read + verify"
    )
    echo
    echo "| work | cofund | its in-run baseline | ratio | Hypercore $(printf '%s' "$json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).hypercore||"?"))') | cofund / Hypercore |"
    echo "|---|---:|---:|---:|---:|---:|"
    local r prefix metric what line ours_rate base ratio hc
    for r in "${rows[@]}"; do
        IFS='|' read -r prefix metric what <<<"$r"
        line=$(grep -F "| $prefix" "$ours" | grep -v "1 thread" | head -n 1 || true)
        hc=$(printf '%s' "$json" | peers_median "$metric")
        if [ -z "$line" ]; then
            echo "| $what | not measured | | | ${hc:-–} | |"
            continue
        fi
        ours_rate=$(cell_number 3 <<<"$line")
        base=$(cell_number 4 <<<"$line")
        ratio=$(awk -F'|' '{gsub(/ /, "", $5); print $5}' <<<"$line")
        local vs=""
        if [ -n "$hc" ] && [ -n "$ours_rate" ]; then
            vs=$(awk -v a="$ours_rate" -v b="$hc" 'BEGIN { if (b > 0) printf "%.2fx", a / b }')
        fi
        echo "| $what | $ours_rate /s | $base /s | $ratio | ${hc:-–} /s | $vs |"
    done
}

# peers_pairs ROUNDS WORK BENCH [cofund-bench options...] — the batched append
# beside Hypercore's, in alternated rounds: cofund-bench's figure 1 (its batch
# of 1,000), then Hypercore's append_batch (one run), ROUNDS times. This VM's
# speed moves by up to 2x within minutes, so a ratio of two figures measured
# minutes apart says as much about the host as about the two logs; each
# round's pair is measured within seconds. Prints each round (cofund's rate,
# its CPU per batch and its baseline's, Hypercore's rate, the ratio) and the
# median of the ratios. Skipped like peers_run when the peers are missing.
peers_pairs() {
    local rounds=$1 work=$2 bench=$3
    shift 3
    local dir=${COFUND_PEERS:-$COFUND_ROOT/../shared/peers}
    echo "== peers, paired: cofund's batch of 1,000 and Hypercore's, alternated, $rounds rounds"
    peers_ready "$dir" || return 0
    echo
    echo "| round | load | cofund, batch of 1,000 | its CPU per batch (baseline's) | Hypercore, batch of 1,000 | cofund / Hypercore |"
    echo "|---:|---:|---:|---:|---:|---:|"
    local k ratios=() out hc line rate cpu
    for ((k = 1; k <= rounds; k++)); do
        local load
        load=$(cut -d' ' -f1 /proc/loadavg)
        rm -rf "$work/pair"
        out=$("$bench" --dir "$work/pair" --figures 1 "$@")
        line=$(grep -F "| 1. appends/s, batch 1000 " <<<"$out" | head -n 1 || true)
        rate=$(cell_number 3 <<<"$line")
        cpu=$(grep -F "batch 1000, medians per batch" <<<"$out" |
            sed -E 's/.* ([0-9]+) us CPU.* ([0-9]+) us CPU.*/\1 \2/' |
            awk '{ printf "%.2f ms (%.2f)", $1 / 1000, $2 / 1000 }')
        hc=$(ONLY=append_batch RUNS=1 "$dir/hypercore/run.sh" 2>/dev/null | grep '"summary"' |
            tail -n 1 | peers_median append_batch || true)
        if [ -z "$rate" ] || [ -z "$hc" ]; then
            echo "| $k | $load | ${rate:-failed} | $cpu | ${hc:-failed} | |"
            continue
        fi
        local vs
        vs=$(awk -v a="$rate" -v b="$hc" 'BEGIN { printf "%.2f", a / b }')
        ratios+=("$vs")
        echo "| $k | $load | $rate /s | $cpu | $hc /s | ${vs}x |"
    done
    if [ "${#ratios[@]}" -gt 0 ]; then
        printf '%s\n' "${ratios[@]}" | sort -g | awk '{ r[NR] = $1 } END {
            m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
            printf "\nbatched append, cofund / Hypercore: median %.2fx of %d rounds (min %.2fx, max %.2fx)\n", m, NR, r[1], r[NR] }'
    fi
}
