#!/usr/bin/env bash
# audit_witness.sh — cosignatures (docs/format.md "Cosignatures"): members
# witness each other's checkpoints with cosignature/v1 lines named after
# their own feed origins. --witnesses K needs K distinct valid cosigners
# other than the author on every feed's latest checkpoint. The lines are
# made here with tests/tools/cosign_line (on a bundle whose own lines were
# stripped), as a witnessing node makes them: tests/cli/witness_*.sh.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"
: "${COFUND_COSIGN_LINE:?COFUND_COSIGN_LINE must point at the cosign_line tool}"

build_network
MEMBERS=(city fund inv team)
W=$T/witnessed.bundle
cp "$T/net.bundle" "$W"
# cosign BUNDLE RECORD WITNESS — add WITNESS's valid cosignature to the
# checkpoint of RECORD.
cosign() {
    edit note "$1" "$2" >"$T/note.txt"
    "$COFUND_COSIGN_LINE" "$T/$3/key" "$(origin_of "$3")" <"$T/note.txt" >"$T/line.txt" ||
        fail "cosign_line"
    edit addline "$1" "$1.new" "$2" "$T/line.txt"
    mv "$1.new" "$1"
}
member_of() { # member_of KEY16
    local m
    for m in "${MEMBERS[@]}"; do [ "$(key_of "$m" | cut -c1-16)" = "$1" ] && echo "$m"; done
    return 0
}
# Two witnesses on every feed's latest checkpoint (its F record): the two
# members after its author in MEMBERS.
edit list "$W" | awk '$2 == "F" {print $1, $6}' >"$T/feeds"
while read -r rec k16; do
    author=$(member_of "$k16")
    for i in 0 1 2 3; do [ "${MEMBERS[$i]}" = "$author" ] && at=$i; done
    cosign "$W" "$rec" "${MEMBERS[$(((at + 1) % 4))]}"
    cosign "$W" "$rec" "${MEMBERS[$(((at + 2) % 4))]}"
    cosign "$W" "$rec" "$author" # its own cosignature counts for nothing
done <"$T/feeds"
# And one on an earlier checkpoint (a K record): checked, not counted.
k_rec=$(record_of "$W" '$2 == "K"')
cosign "$W" "$k_rec" team

expect_audit 0 "$W" --witnesses 2
expect_in "$OUT" "^cosignatures: 9 valid by members, 0 lines by other keys ignored; witnesses required per feed: 2"
expect_in "$OUT" "^city .* 2  ok$"
expect_audit 1 "$W" --witnesses 3
expect_in "$OUT" "^FAIL feed city ([0-9a-f]*): its latest checkpoint (size 8) carries 2 valid cosignatures by other members; --witnesses requires 3"
expect_audit 0 "$W"

# A home that joins with the witnessed bundle keeps the cosignatures and
# passes them on.
cf fresh init --name fresh >/dev/null
expect_exit 0 fresh join "$W"
cf fresh export --out "$T/passed-on.bundle" >/dev/null
expect_audit 0 "$T/passed-on.bundle" --witnesses 2

# One witness line damaged: a forged cosignature, with or without --witnesses.
rec=$(head -1 "$T/feeds" | cut -d' ' -f1)
edit setb64 "$W" "$T/damaged.bundle" "$rec"
expect_audit 1 "$T/damaged.bundle"
expect_in "$OUT" "forged cosignature: the checkpoint of size 8 carries a line named after member "
# A cosignature line by a member, but of the wrong signature type (a plain
# note signature, key type 0x01): not a cosignature/v1, so a forgery too.
python3 - "$T/net.bundle" "$T/typed.bundle" "$(origin_of fund)" "$COFUND_TESTS" <<'PY'
import base64, hashlib, os, sys
sys.path.insert(0, sys.argv[4] + "/tools")
import bundle_edit as be
recs = be.read(sys.argv[1])
origin = sys.argv[3].encode()
pk = bytes.fromhex(sys.argv[3].rsplit("/", 1)[1])
key_id = hashlib.sha256(origin + b"\n\x01" + pk).digest()[:4]
line = "\u2014 ".encode() + origin + b" " + base64.b64encode(key_id + os.urandom(64)) + b"\n"
be.set_note(recs[1], be.get_note(recs[1]) + line)
be.write(recs, sys.argv[2])
PY
expect_audit 1 "$T/typed.bundle"
expect_in "$OUT" "forged cosignature: .* is not a cosignature/v1 by that member's key"
echo ok
