#!/usr/bin/env bash
# register_merge.sh — `register` with --last, --type, --from or --to reads
# only what it lists (a merge of each feed's applied entries read from its
# end, or of the register's index, with the entries not applied read whole:
# cmd_register.c); without them it reads every entry and sorts. The two must
# agree: on a network written at random (the seed is printed; REGISTER_SEED
# replays one), whose feeds' times interleave and tie across feeds, with a
# feed held behind an R-TIME violation (an entry dated before its feed's
# last, a later one after it) and a feed waiting on an entry that names
# governance entries not yet written (pending), every query is compared with
# the full listing filtered here — on the state this cofund writes (with the
# index) and on a state an older cofund wrote (no index, the old queue), which
# the first query rebuilds before it reads. Then `unmatched --limit`.
source "$(dirname "$0")/lib.sh"

SEED=${REGISTER_SEED:-$(((RANDOM << 15) | RANDOM))}
echo "seed $SEED"
RANDOM=$SEED

network fund:fund inv:investor inv2:investor team:team

# ---- a random history: times from a few slots, so feeds tie --------------
# Whole seconds from just after the programs' start (matches may not cite
# what came before it), a few minutes at most, as the CLI allows ahead of now.
BASE=$(($(date +%s) + 2))
declare -A slot=([inv]=0 [inv2]=0 [team]=0) held=([inv]=0 [inv2]=0)
at() { date -u -d "@$((BASE + $1))" +%Y-%m-%dT%H:%M:%SZ; }
for _ in $(seq 1 36); do
    who=$(printf 'inv\ninv2\nteam' | sed -n "$((RANDOM % 3 + 1))p")
    slot[$who]=$((slot[$who] + RANDOM % 3)) # equal times within a feed, and across feeds
    when=$(at "${slot[$who]}")
    thousands=$((RANDOM % 900 + 100))
    amount=$thousands,000
    if [ "$who" = team ]; then
        cf team contribute --project sensors --round seed --amount "$amount" --program incubation \
            --time "$when" >/dev/null || fail "team contribute at $when"
    elif [ $((RANDOM % 5)) -eq 0 ] && [ "${held[$who]}" -gt 10 ]; then
        held[$who]=$((held[$who] - 10))
        cf "$who" exit --project robotics --amount 10,000 --time "$when" >/dev/null ||
            fail "$who exit at $when"
    else
        held[$who]=$((held[$who] + thousands))
        cf "$who" contribute --project robotics --round A --amount "$amount" --program industrial \
            --time "$when" >/dev/null || fail "$who contribute at $when"
    fi
done
tie=$((slot[inv] > slot[inv2] ? slot[inv] : slot[inv2])) # one tie at least: feed order decides
for who in inv2 inv; do
    cf "$who" contribute --project robotics --round A --amount 1,000 --program industrial \
        --time "$(at $tie)" >/dev/null || fail "$who contribute at $(at $tie)"
done
carry inv fund
carry inv2 fund
carry team fund
mslot=80
for _ in 1 2 3 4 5; do
    mslot=$((mslot + RANDOM % 2))
    when=$(at $mslot)
    cf fund match --program industrial --project robotics --round A --auto 50,000 --time "$when" \
        >/dev/null || fail "match at $when"
    cf fund match --program incubation --project sensors --round seed --auto 20,000 --time "$when" \
        >/dev/null || fail "incubation match at $when"
done

# inv2 (its own node dishonest, tests/tools/forge): an entry dated before its
# feed's last (R-TIME: inv2 is held there), then one dated after everything
KEY2=$(key_of inv2)
N2=$(feed_size inv2 inv2)
forge encode "$T/inv2" contribution "$T/early.cbor" --time-ms $(((BASE - 60) * 1000)) \
    --project robotics --round A --amount-fen 100 || fail "forge encode"
forge encode "$T/inv2" contribution "$T/late.cbor" --index $((N2 + 1)) \
    --time-ms $(((BASE + 100) * 1000)) --project robotics --round A --amount-fen 200 ||
    fail "forge encode"
forge append "$T/inv2" "$T/early.cbor" "$T/late.cbor" >/dev/null || fail "forge append"
# team: an entry naming 999 governance entries (pending), one after it
NT=$(feed_size team team)
forge encode "$T/team" contribution "$T/pend.cbor" --gov 999 --time-ms $(((BASE + 90) * 1000)) \
    --project sensors --round seed --amount-fen 300 || fail "forge encode"
forge encode "$T/team" contribution "$T/after.cbor" --index $((NT + 1)) --gov 999 \
    --time-ms $(((BASE + 1) * 1000)) --project sensors --round seed --amount-fen 400 ||
    fail "forge encode"
forge append "$T/team" "$T/pend.cbor" "$T/after.cbor" >/dev/null || fail "forge append"
cf inv2 export --out "$T/inv2.bundle" >/dev/null
cf team export --out "$T/team.bundle" >/dev/null
cf fund import "$T/inv2.bundle" >/dev/null 2>&1 || true # exit 1: a violation found
cf fund import "$T/team.bundle" >/dev/null 2>&1 || true
expect_in "$(cf fund violations --format json)" "R-TIME"
[ "$(cf fund log "$KEY2" --format json | grep -c '"applied": false')" = 2 ] ||
    fail "inv2's last two entries should not be applied"

# the home of an older cofund: the same store, its state without the index
# (rebuilt, index included, by the first query that opens it)
cp -a "$T/fund" "$T/fund6"
forge old-state "$T/fund6" >/dev/null || fail "forge old-state"

# ---- every query against the full listing, filtered -----------------------
cf fund register --format json >"$T/full.json" 2>/dev/null || fail "register"
TIMES=$(python3 -c 'import json,sys; print("\n".join(sorted({r["time"] for r in json.load(open(sys.argv[1]))})))' "$T/full.json")
pick_time() { sed -n "$((RANDOM % $(wc -l <<<"$TIMES") + 1))p" <<<"$TIMES"; }
queries=(
    "--last 1" "--last 2" "--last 5" "--last 17" "--last 1000"
    "--type contribution" "--type match" "--type exit" "--type award" "--type member"
    "--type contribution --type exit --last 7" "--type match --type match --last 3"
    "--type match --program industrial --last 3" "--program incubation --last 4"
    "--project sensors --last 4" "--member inv2 --last 5" "--member team --type contribution"
    "--member inv2 --type contribution --last 2"
)
for _ in $(seq 1 12); do
    a=$(pick_time)
    b=$(pick_time)
    [[ "$a" > "$b" ]] && { c=$a; a=$b; b=$c; }
    case $((RANDOM % 4)) in
    0) queries+=("--from $a --to $b") ;;
    1) queries+=("--from $a --last $((RANDOM % 6 + 1))") ;;
    2) queries+=("--to $b --type contribution --last $((RANDOM % 6 + 1))") ;;
    3) queries+=("--from $a --to $b --type match --type exit") ;;
    esac
done
for home in fund fund6; do
    for q in "${queries[@]}"; do
        # shellcheck disable=SC2086
        cf "$home" register $q --format json >"$T/q.json" || fail "$home register $q"
        python3 - "$T/full.json" "$T/q.json" "$q" <<'EOF' || fail "$home register $q differs (seed $SEED)"
import json, sys
from datetime import datetime
full, got = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
args, opts = sys.argv[3].split(), {}
for k, v in zip(args[::2], args[1::2]):
    opts.setdefault(k[2:], []).append(v)
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
want = [r for r in full
        if ("type" not in opts or r["type"] in opts["type"])
        and ("program" not in opts or r["program"] == opts["program"][0])
        and ("project" not in opts or r["project"] == opts["project"][0])
        and ("member" not in opts or r["member"] == opts["member"][0])
        and ("from" not in opts or t(r["time"]) >= t(opts["from"][0]))
        and ("to" not in opts or t(r["time"]) <= t(opts["to"][0]))]
if "last" in opts:
    want = want[-int(opts["last"][0]):]
if got != want:
    print("got", [(r["member"], r["index"]) for r in got], file=sys.stderr)
    print("want", [(r["member"], r["index"]) for r in want], file=sys.stderr)
    sys.exit(1)
EOF
    done
done
# the table and CSV come from the same rows
[ "$(cf fund register --last 3 --format csv | wc -l)" = 4 ] || fail "register --last 3 --format csv"
expect_in "$(cf fund register --type exit --last 1)" "^inv2\?#[0-9]* "
# refused
expect_exit 2 fund register --last 0
expect_in "$OUT" "--last 0: a count of entries, 1 or more"
expect_exit 2 fund register --last many
expect_exit 2 fund register --type nosuch --last 3

# ---- unmatched --limit: the first N rows; the table's totals count every one
cf fund unmatched --format json >"$T/u.json"
ALL=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/u.json")
[ "$ALL" -gt 3 ] || fail "unmatched: only $ALL rows (seed $SEED)"
cf fund unmatched --limit 3 --format json >"$T/u3.json"
python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sys.exit(0 if b == a[:3] else 1)' "$T/u.json" "$T/u3.json" || fail "unmatched --limit 3 is not the first 3 rows"
[ "$(cf fund unmatched --limit 3 --format csv | wc -l)" = 4 ] || fail "unmatched --limit 3 --format csv"
[ "$(cf fund unmatched --limit 100000 --format csv | wc -l)" = $((ALL + 1)) ] || fail "unmatched --limit 100000"
FULL_T=$(cf fund unmatched)
LIM_T=$(cf fund unmatched --limit 1)
# the totals line of every program, the same with or without --limit
[ "$(grep '^  awaiting' <<<"$FULL_T")" = "$(grep '^  awaiting' <<<"$LIM_T")" ] ||
    fail "unmatched --limit changed the totals"
expect_in "$LIM_T" "more not listed: --limit)"
expect_exit 2 fund unmatched --limit 0
expect_in "$OUT" "--limit 0: a count of rows, 1 or more"
expect_exit 2 fund unmatched --limit -1
echo "ok"
