#!/usr/bin/env bash
# bundle_input.sh — how `cofund import` and `cofund-audit` take a bundle:
#   - a bundle that lists one feed twice gets one verdict from both: refused
#     (exit 1, as every bundle that fails its checks past its header),
#     naming the feed (docs/format.md "Bundles"); the home stores nothing;
#   - a bundle from a pipe, a FIFO or /dev/stdin reads like the same bundle
#     from a file (both read it twice, so a pipe is copied to a temporary
#     file first: node/bundle/bundle.h bundle_input_open).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

network fund:fund inv:investor aud:auditor
cf inv contribute --project robotics --round A --amount 5,000,000 --program industrial >/dev/null
cf inv contribute --project robotics --round A --amount 70,000 >/dev/null
carry inv fund
cf fund match --program industrial --project robotics --round A --auto 5,000,000 >/dev/null
carry fund city
carry inv city
cf city export --out "$T/good.bundle" >/dev/null
GOOD=$T/good.bundle
KINV=$(key_of inv)

# ---- a feed listed twice ----------------------------------------------------------
# inv's feed (F, its E records, its K records) copied right after itself,
# the end record recomputed: only the repetition is wrong.
python3 - "$GOOD" "$T/dup.bundle" "$KINV" "$COFUND_TESTS" <<'PY'
import sys
sys.path.insert(0, sys.argv[4] + "/tools")
import bundle_edit as be
recs = be.read(sys.argv[1])
start = next(i for i, r in enumerate(recs)
             if r[0] == "F" and be.feed_fields(r[1])["author"].hex() == sys.argv[3])
end = start + 1
while recs[end][0] in "EK":
    end += 1
be.write(recs[:end] + recs[start:end] + recs[end:], sys.argv[2])
PY
snapshot aud "$T/aud.before"
expect_exit 1 aud import "$T/dup.bundle"  # as the audit: a bundle that fails its checks
expect_in "$OUT" "feed $KINV is listed twice"
snapshot aud "$T/aud.after"
same_file "$T/aud.before" "$T/aud.after" "aud's state before and after the refused bundle"
expect_audit 1 "$T/dup.bundle"
expect_in "$OUT" "feed $KINV is listed twice"
expect_in "$OUT" "^result: FAILED: .*feed $KINV is listed twice"
# The accepting side: the same bundle with the feed once.
expect_audit 0 "$GOOD"

# ---- pipes ---------------------------------------------------------------------------
# The audit of a pipe, a FIFO and the file say the same but for the path the
# report names (and the time of each audit), and exit 0.
untimed() { grep -v '^audited: '; }
same_report() { # same_report PATH WHAT — $OUT against $FROM_FILE
    local got
    got=$(untimed <<<"${OUT//"$1"/BUNDLE}")
    [ "$got" = "$FROM_FILE" ] ||
        fail "the audit of $2 differs from the file's: $(diff <(echo "$FROM_FILE") <(echo "$got") | head)"
}
expect_audit 0 "$GOOD"
FROM_FILE=$(untimed <<<"${OUT//"$GOOD"/BUNDLE}")
rc=0
OUT=$(cat "$GOOD" | "$COFUND_AUDIT" /dev/stdin 2>&1) || rc=$?
[ "$rc" -eq 0 ] || fail "cofund-audit /dev/stdin from a pipe exited $rc: $OUT"
same_report /dev/stdin "a pipe"
mkfifo "$T/fifo"
cat "$GOOD" >"$T/fifo" &
WRITER=$!
rc=0
OUT=$("$COFUND_AUDIT" "$T/fifo" 2>&1) || rc=$?
wait "$WRITER"
[ "$rc" -eq 0 ] || fail "cofund-audit FIFO exited $rc: $OUT"
same_report "$T/fifo" "a FIFO"
# A damaged bundle from a pipe fails as from a file.
edit flip "$GOOD" "$T/flipped.bundle" 400
expect_audit 1 "$T/flipped.bundle"
FROM_FILE=$(untimed <<<"${OUT//"$T/flipped.bundle"/BUNDLE}")
rc=0
OUT=$(cat "$T/flipped.bundle" | "$COFUND_AUDIT" /dev/stdin 2>&1) || rc=$?
[ "$rc" -eq 1 ] || fail "cofund-audit of a damaged bundle from a pipe exited $rc: $OUT"
same_report /dev/stdin "a damaged bundle from a pipe"
# An empty pipe is no bundle (exit 3), not a crash or a hang.
rc=0
OUT=$(: | "$COFUND_AUDIT" /dev/stdin 2>&1) || rc=$?
[ "$rc" -eq 3 ] || fail "cofund-audit of an empty pipe exited $rc: $OUT"
expect_in "$OUT" "not a cofund bundle"

# Import from a pipe: the same home as an import of the file.
cp -a "$T/aud" "$T/aud2"
cf aud import "$GOOD" >/dev/null || fail "import of the file"
rc=0
OUT=$(cat "$GOOD" | cf aud2 import /dev/stdin 2>&1) || rc=$?
[ "$rc" -eq 0 ] || fail "import from a pipe exited $rc: $OUT"
snapshot aud "$T/aud.file"
snapshot aud2 "$T/aud2.pipe"
same_file "$T/aud.file" "$T/aud2.pipe" "a home that imported the file and one that imported the pipe"
# A refused bundle from a pipe is refused as from the file, storing nothing.
rc=0
OUT=$(cat "$T/dup.bundle" | cf aud2 import /dev/stdin 2>&1) || rc=$?
[ "$rc" -eq 1 ] || fail "import of the duplicate-feed bundle from a pipe exited $rc: $OUT"
expect_in "$OUT" "feed $KINV is listed twice"
snapshot aud2 "$T/aud2.after"
same_file "$T/aud2.pipe" "$T/aud2.after" "aud2's state before and after the refused pipe"
echo ok
