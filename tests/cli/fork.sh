#!/usr/bin/env bash
# fork.sh — a member's home copied with its key (cp -a) signs two histories.
# A third home that sees both stores the fork proof, freezes the feed and
# still verifies; the proof travels in a bundle to a fourth home, which
# checks it and freezes the feed too. A copy that only lags behind is not a
# fork.
#
#   p  same size, different root (each copy appends one entry)
#   q  the diverging copy is shorter (2 entries against 1), seen in both
#      orders: longer first at aud, shorter first at aud2
#   r  a copy that merely lags (a prefix): no fork
source "$(dirname "$0")/lib.sh"

network fund:fund p:investor q:investor r:investor aud:auditor aud2:auditor team:team
for m in p q r; do
    cf "$m" contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
done
carry p aud aud2 team
carry q aud aud2 team
carry r aud aud2 team
for m in p q r; do cp -a "$T/$m" "$T/$m-copy"; done # same key, same history so far

cf p contribute --project robotics --round A --amount 100,000 >/dev/null
cf p-copy contribute --project robotics --round A --amount 200,000 >/dev/null
cf q contribute --project robotics --round A --amount 300,000 >/dev/null
cf q contribute --project robotics --round A --amount 300,000 >/dev/null
cf q-copy contribute --project sensors --round seed --amount 400,000 >/dev/null
cf r contribute --project robotics --round A --amount 500,000 >/dev/null
for h in p p-copy q q-copy r r-copy; do cf "$h" export --out "$T/$h.bundle" >/dev/null; done

fork_seen() { # fork_seen HOME BUNDLE — importing BUNDLE at HOME reveals a fork
    expect_exit 1 "$1" import "$2"
    expect_in "$OUT" "FORK: feed "
    expect_in "$OUT" "1 new fork"
}

# ---- p: same size, different roots ----------------------------------------
expect_exit 0 aud import "$T/p.bundle"
fork_seen aud "$T/p-copy.bundle"
F=$(cf aud forks --format json)
expect_in "$F" '"member": "p"'
expect_in "$F" '"size_a": 2'
expect_in "$F" '"size_b": 2'
expect_in "$F" '"point": 1' # entry 0 is shared; they part at entry 1
expect_in "$(cf aud forks)" "^FORK p .* at entry 1: entries below 1 stand"

# ---- q: the diverging copy is shorter ----------------------------------------
expect_exit 0 aud import "$T/q.bundle"     # 2 entries after the shared one
fork_seen aud "$T/q-copy.bundle"           # 1 different entry after it
expect_exit 0 aud2 import "$T/q-copy.bundle" # the other order
fork_seen aud2 "$T/q.bundle"
for h in aud aud2; do
    F=$(cf "$h" forks --format json)
    expect_in "$F" '"member": "q"'
    expect_in "$F" '"point": 1' # the same point, whichever history was held first
done
expect_in "$(cf aud forks --format json)" '"size_a": 3' # a: the held history (3 entries)
expect_in "$(cf aud2 forks --format json)" '"size_a": 2'

# ---- r: a lagging copy is consistent, in either order ------------------------
expect_exit 0 aud import "$T/r-copy.bundle"
expect_exit 0 aud import "$T/r.bundle"
expect_exit 0 aud2 import "$T/r.bundle"
expect_exit 0 aud2 import "$T/r-copy.bundle"
[ "$(feed_size aud r)" = 2 ] && [ "$(feed_size aud2 r)" = 2 ] || fail "r's second entry was not taken"
expect_in "$(cf aud forks --format json)" '"member": "q"'
grep -q '"member": "r"' <<<"$(cf aud forks --format json)" && fail "a lagging copy was taken for a fork"

cf aud verify >/dev/null || fail "verify at aud after the forks"
cf aud2 verify >/dev/null || fail "verify at aud2 after the forks"

# ---- frozen: nothing more from either copy is stored or applied --------------
snapshot aud "$T/aud.frozen"
cf p contribute --project robotics --round A --amount 1,000 >/dev/null
cf p-copy contribute --project robotics --round A --amount 2,000 >/dev/null
cf q contribute --project robotics --round A --amount 3,000 >/dev/null
cf q-copy contribute --project robotics --round A --amount 4,000 >/dev/null
for h in p p-copy q q-copy; do
    cf "$h" export --out "$T/$h.later.bundle" >/dev/null
    expect_exit 0 aud import "$T/$h.later.bundle" # not news: the fork is known
done
snapshot aud "$T/aud.later"
same_file "$T/aud.frozen" "$T/aud.later" "aud's state before and after later entries of forked feeds"

# ---- the proofs reach a fourth home in a bundle ------------------------------
cf aud export --out "$T/aud.bundle" >/dev/null
expect_in "$(cf aud export --out "$T/aud.bundle")" "2 fork proofs"
expect_exit 1 team import "$T/aud.bundle"
expect_in "$OUT" "2 new fork"
cf aud forks --format json >"$T/aud.forks"
cf team forks --format json >"$T/team.forks"
same_file "$T/aud.forks" "$T/team.forks" "fork proofs at aud and at team"
cf team verify >/dev/null || fail "verify at team after receiving the proofs"
expect_exit 0 team import "$T/aud.bundle" # the same proofs again: not news
snapshot team "$T/team.frozen"
for h in p p-copy q q-copy; do expect_exit 0 team import "$T/$h.later.bundle"; done
snapshot team "$T/team.later"
same_file "$T/team.frozen" "$T/team.later" "team's state before and after later entries of forked feeds"

# ---- the author's own node learns of its fork ---------------------------------
# p signed two histories (p and p-copy): once p sees the copy's, its own
# feed is frozen too, and it refuses to sign more.
expect_exit 1 p import "$T/p-copy.later.bundle"
expect_in "$OUT" "FORK: feed $(key_of p)"
expect_exit 1 p contribute --project robotics --round A --amount 1
expect_in "$OUT" "own feed is forked"
cf p verify >/dev/null

# ---- not a fork: a home restored from an old backup catches up ---------------
# r-copy lags two entries behind r. Put in r's place (r's disk lost, a
# backup restored), it takes r's newer entries back from the last bundle r
# sent out, then appends again — no fork anywhere.
cf r contribute --project robotics --round A --amount 600 >/dev/null
carry r aud
mv "$T/r" "$T/r.lost"
cp -a "$T/r-copy" "$T/r"
[ "$(feed_size r r)" = 1 ] || fail "the backup of r holds $(feed_size r r) entries"
expect_exit 0 r import "$T/r.bundle"
expect_in "$OUT" " 2 new, 2 applied"
[ "$(feed_size r r)" = 3 ] || fail "r restored from its backup holds $(feed_size r r) of its 3 entries"
cf r contribute --project robotics --round A --amount 700 >/dev/null
carry r aud
[ "$(feed_size aud r)" = 4 ] || fail "aud did not take r's entry after the restore"
grep -q '"member": "r"' <<<"$(cf aud forks --format json)" && fail "a restored home was taken for a fork"
cf r verify >/dev/null

# A fork proof that does not verify is refused with the bundle: flip one byte
# of the first hash in aud's X records (the trailer hash recomputed).
command -v python3 >/dev/null || { echo ok; exit 0; }
python3 - "$T/aud.bundle" "$T/bad-proof.bundle" <<'EOF'
import hashlib, struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
off, recs = 16, []
while off < len(data):
    n = struct.unpack(">I", data[off + 1:off + 5])[0]
    recs.append((chr(data[off]), off + 5, n))
    off += 5 + n
typ, start, n = [r for r in recs if r[0] == "X"][0]
la = data.index(b"\x62la\x58\x20", start) + 5   # leaf "la" of the located proof
data[la] ^= 0x01
typ, zs, zn = recs[-1]
i = data.index(b"\x66sha256\x58\x20", zs) + 9
data[i:i + 32] = hashlib.sha256(bytes(data[:zs - 5])).digest()
open(sys.argv[2], "wb").write(data)
EOF
cf fresh init --name fresh >/dev/null
cf fresh join "$T/city.bundle" >/dev/null
snapshot fresh "$T/fresh.before"
expect_exit 1 fresh import "$T/bad-proof.bundle"
expect_in "$OUT" "fork proof"
snapshot fresh "$T/fresh.after"
same_file "$T/fresh.before" "$T/fresh.after" "state after a bundle with a bad fork proof"
echo ok
