#!/usr/bin/env bash
# tamper.sh — a damaged or forged bundle is refused as a whole: nothing from
# it is stored, applied or held. A good bundle imported again changes
# nothing.
#
# Exit codes asserted below:
#   3  the bundle's structure is broken (truncated, trailer hash or counts
#      wrong): CF_EBUNDLE, "bad input";
#   1  what it claims does not verify (entries that do not hash to the
#      signed root, a signature that does not verify or is by another key,
#      another network): CF_EVERIFY/CF_EWRONG_NETWORK. The importer checks
#      each feed as it streams by, so a changed entry or signature is caught
#      there (1) before the end record's hash is reached — with the hash left
#      stale or recomputed alike.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "skipped: python3 is needed to edit bundles"; exit 77; }

# ---- the bundle and the home it is fed to ---------------------------------
# "aud" joins at the start and then misses everything: the bundle would add
# three feeds and new governance entries to it.
network fund:fund inv:investor team:team aud:auditor
cf inv contribute --project robotics --round A --amount 5,000,000 --program industrial >/dev/null
cf team contribute --project sensors --round seed --amount 40万 --program incubation >/dev/null
carry inv fund
carry team fund
cf fund match --program industrial --project robotics --round A --auto 5,000,000 >/dev/null
cf fund match --program incubation --project sensors --round seed --auto 300000 >/dev/null
cf city project add drones --name "Drone Works" >/dev/null
carry fund city
cf city export --out "$T/good.bundle" >/dev/null
GOOD="$T/good.bundle"
SIZE=$(stat -c %s "$GOOD")
snapshot aud "$T/before"

# Edited copies of the good bundle, all made by one python3 run into $T/var/:
#   entry-<which>-<keep|fix>   one byte flipped in the middle of an entry
#                              record (which: first, middle, last)
#   sig-<F>-<keep|fix>         one base64 digit changed in the signature of
#                              feed record F's checkpoint
#   trailer-<K>                one byte flipped at offset K of the end record
# "fix" recomputes the end record's SHA-256, so that only the edit is wrong;
# "keep" leaves it stale.
mkdir "$T/var"
python3 - "$GOOD" "$T/var" <<'EOF'
import hashlib, struct, sys

src, out = sys.argv[1], sys.argv[2]
good = open(src, "rb").read()
recs, off = [], 16
while off < len(good):
    n = struct.unpack(">I", good[off + 1:off + 5])[0]
    recs.append((chr(good[off]), off + 5, n))
    off += 5 + n

def write(name, data, fix):
    data = bytearray(data)
    if fix:
        typ, start, n = recs[-1]
        assert typ == "Z"
        i = data.index(b"\x66sha256\x58\x20", start) + 9
        data[i:i + 32] = hashlib.sha256(bytes(data[:start - 5])).digest()
    open("%s/%s" % (out, name), "wb").write(data)

entries = [r for r in recs if r[0] == "E"]
feeds = [r for r in recs if r[0] == "F"]
for which, (typ, start, n) in (("first", entries[0]), ("middle", entries[len(entries) // 2]),
                               ("last", entries[-1])):
    data = bytearray(good)
    data[start + n // 2] ^= 0x01
    write("entry-%s-keep" % which, data, False)
    write("entry-%s-fix" % which, data, True)
for f, (typ, start, n) in enumerate(feeds):
    data = bytearray(good)
    dash = data.index("\n\u2014 ".encode(), start)             # the signature line
    sig = data.index(b" ", data.index(b" ", dash + 1) + 1) + 1 # its base64, after the name
    pos = sig + 40
    data[pos] = ord("B") if data[pos] != ord("B") else ord("C")
    write("sig-%d-keep" % f, data, False)
    write("sig-%d-fix" % f, data, True)
typ, start, n = recs[-1]
for k in (0, 5, 20, 40):
    data = bytearray(good)
    data[start + k] ^= 0x01
    write("trailer-%d" % k, data, False)
EOF
[ -e "$T/var/sig-3-fix" ] && [ ! -e "$T/var/sig-4-fix" ] || fail "expected 4 feed records in the bundle"

# refuse CODE FILE PATTERN — the import exits CODE, says PATTERN, and aud's
# verify reports exactly what it reported before (the quick check; the full
# snapshot is compared after each group).
VERIFY0=$(cf aud verify)
# The same bundle exits the same from cofund-audit (docs/cli.md "Exit codes":
# 1 for a cofund bundle that fails its checks, 3 for one without a header).
AUDIT=${COFUND_AUDIT:?COFUND_AUDIT must point at the cofund-audit binary}
# A fourth argument "sound": the bundle itself is sound (the audit passes it).
refuse() {
    expect_exit "$1" aud import "$2"
    expect_in "$OUT" "$3"
    local arc=0 want=$1
    [ "${4:-}" != sound ] || want=0
    "$AUDIT" "$2" >/dev/null 2>&1 || arc=$?
    [ "$arc" -eq "$want" ] || fail "import of $2 exits $1, cofund-audit $arc"
    [ "$(cf aud verify)" = "$VERIFY0" ] || fail "import of $2 changed the store: $(cf aud verify)"
}
unchanged() {
    snapshot aud "$T/after"
    same_file "$T/before" "$T/after" "aud's state before and after $1"
}

# ---- truncated: every 97 bytes, and each of the last 40 ---------------------
OFFSETS=$(seq 0 97 $((SIZE - 1)); seq $((SIZE - 40)) $((SIZE - 1)))
# Cut inside the magic or the header record: not a cofund bundle (exit 3);
# past it: a bundle that fails its checks (exit 1).
HEADER_END=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); print(16 + 5 + struct.unpack(">I", d[17:21])[0])' "$GOOD")
for n in $OFFSETS; do
    head -c "$n" "$GOOD" >"$T/cut.bundle"
    if [ "$n" -lt "$HEADER_END" ]; then refuse 3 "$T/cut.bundle" "bundle"
    else refuse 1 "$T/cut.bundle" "bundle"; fi
done
unchanged "truncated bundles"

# ---- one byte changed --------------------------------------------------------
for v in "$T"/var/entry-*; do # a held governance entry, and new ones
    refuse 1 "$v" "do not hash to the signed root"
done
for v in "$T"/var/sig-*; do
    refuse 1 "$v" "signature"
done
for v in "$T"/var/trailer-*; do
    refuse 1 "$v" "bundle"
done
unchanged "bundles with a changed byte"

# ---- checkpoints signed by another key (a member's, under the right origin) --
forge resign "$GOOD" "$T/resigned.bundle" "$T/inv" || fail "forge resign"
refuse 1 "$T/resigned.bundle" "not signed by its author"

# ---- a bundle of another network ------------------------------------------
cf other init --name other >/dev/null
cf other network create --name "Another city" >/dev/null
cf other export --out "$T/other.bundle" >/dev/null
refuse 1 "$T/other.bundle" "bundle is from network" sound
unchanged "forged bundles"

# ---- the good bundle applies, and applying it again changes nothing ---------
expect_exit 0 aud import "$GOOD"
snapshot aud "$T/once"
cmp -s "$T/before" "$T/once" && fail "the good bundle changed nothing at aud"
for i in 1 2; do
    expect_exit 0 aud import "$GOOD"
    expect_in "$OUT" " 0 new, 0 applied"
    snapshot aud "$T/again"
    same_file "$T/once" "$T/again" "aud's state after importing the good bundle once and $((i + 1)) times"
done
# aud now shows what city shows (city holds more checkpoints: verify differs)
snapshot city "$T/city.snap"
grep -v '^ok: ' "$T/city.snap" >"$T/city.state"
grep -v '^ok: ' "$T/once" >"$T/aud.state"
same_file "$T/city.state" "$T/aud.state" "the bundle's author and its importer"
echo ok
