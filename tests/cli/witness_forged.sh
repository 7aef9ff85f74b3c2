#!/usr/bin/env bash
# witness_forged.sh — a forged cosignature in a bundle (docs/format.md
# "Cosignatures"): a line named after a member that does not verify under
# its key is refused on import — reported, not stored — while the rest of
# the import is kept; the import exits 1 (verification failed). A line by
# a key that is not a member is dropped without a word.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

network fund:fund inv:investor team:team
carry city fund inv team # everybody has witnessed the governance feed
cf inv contribute --project robotics --round A --amount 500,000 --program industrial >/dev/null
carry inv fund           # fund holds inv's new checkpoint and cosigns it
cf fund export --out "$T/fund.bundle" >/dev/null

# In fund's bundle, add to inv's latest checkpoint (its F record) a line by
# the city that does not verify, and one by a stranger's key.
rec=$(record_of "$T/fund.bundle" "\$2 == \"F\" && \$6 == \"$(key_of inv | cut -c1-16)\"")
[ -n "$rec" ] || fail "no F record for inv in fund's bundle"
edit cosign "$T/fund.bundle" "$T/forged.bundle" "$rec" "$(origin_of city)"
STRANGER=cofund/$(net16)/$(printf '5%.0s' $(seq 64))
edit cosign "$T/forged.bundle" "$T/forged2.bundle" "$rec" "$STRANGER"
# The audit calls it what it is.
expect_audit 1 "$T/forged2.bundle"
expect_in "$OUT" "forged cosignature: the checkpoint of size 1 carries a line named after member city"

# team imports it: exit 1, the forged line named, the rest imported.
before=$(feed_size team inv)
expect_exit 1 team import "$T/forged2.bundle"
expect_in "$OUT" "forged cosignature refused: the checkpoint of size 1 of feed $(key_of inv | cut -c1-16)… carries a line named after member $(key_of city | cut -c1-16)… that does not verify"
expect_in "$OUT" "import refused 1 forged cosignature(s); everything else was imported"
[ "$(feed_size team inv)" = $((before + 1)) ] || fail "inv's contribution was not imported at team"
cf team checkpoint inv >"$T/inv.at.team"
grep -q "$(origin_of fund) " "$T/inv.at.team" || fail "fund's valid cosignature was not kept"
grep -q "$(origin_of team) " "$T/inv.at.team" || fail "team did not witness inv's checkpoint"
! grep -q "$(origin_of city) " "$T/inv.at.team" || fail "the forged line was stored"
! grep -q "$STRANGER" "$T/inv.at.team" || fail "a stranger's line was stored"
[ "$(grep -c $'^\xe2\x80\x94 ' "$T/inv.at.team")" = 3 ] ||
    fail "inv's checkpoint at team: $(cat "$T/inv.at.team")"
cf team verify >/dev/null || fail "verify after the import"

# Importing it again: the same refusal (nothing of it was stored).
expect_exit 1 team import "$T/forged2.bundle"
expect_in "$OUT" "import refused 1 forged cosignature(s)"
# A stranger's line alone is no forgery: dropped, exit 0.
edit cosign "$T/fund.bundle" "$T/stranger.bundle" "$rec" "$STRANGER"
expect_exit 0 team import "$T/stranger.bundle"
cf team checkpoint inv >"$T/inv.again"
same_file "$T/inv.at.team" "$T/inv.again" "inv's checkpoint at team after the stranger's line"

# What team passes on is clean: the audit of its export holds, with the two
# witnesses it kept (fund, team) on inv's feed.
cf team export --out "$T/team.bundle" >/dev/null
expect_audit 0 "$T/team.bundle"
expect_in "$OUT" "0 lines by other keys ignored"
echo ok
