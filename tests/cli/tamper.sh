#!/usr/bin/env bash
# tamper.sh — a damaged or forged bundle is refused as a whole: nothing from
# it is stored, applied or held. A good bundle imported again changes
# nothing.
#
# Exit codes asserted below:
#   3  the bundle's structure is broken (truncated, trailer hash or counts
#      wrong): CF_EBUNDLE, "bad input";
#   1  the structure is intact but what it claims does not verify (entries
#      that do not hash to the signed root, a signature that does not verify
#      or is by another key, another network): CF_EVERIFY/CF_EWRONG_NETWORK.
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

# bundle.py — read the records of a bundle and write edited copies, with the
# end record's SHA-256 recomputed (fix) so that only the edited part is wrong.
cat >"$T/bundle.py" <<'EOF'
import hashlib, struct, sys

def records(data):
    off, out = 16, []
    while off < len(data):
        typ, n = data[off], struct.unpack(">I", data[off + 1:off + 5])[0]
        out.append((chr(typ), off + 5, n))
        off += 5 + n
    return out

def fix_trailer(data):
    typ, start, n = records(data)[-1]
    assert typ == "Z"
    payload = data[start:start + n]
    i = payload.index(b"\x66sha256\x58\x20") + 9
    digest = hashlib.sha256(bytes(data[:start - 5])).digest()
    data[start + i:start + i + 32] = digest

cmd, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
data = bytearray(open(src, "rb").read())
recs = records(data)
if cmd == "entry":            # flip a byte in the middle of entry record N
    which = int(sys.argv[4])
    typ, start, n = [r for r in recs if r[0] == "E"][which]
    data[start + n // 2] ^= 0x01
    if sys.argv[5] == "fix":
        fix_trailer(data)
elif cmd == "sig":            # change a base64 character of a checkpoint's signature
    which = int(sys.argv[4])
    typ, start, n = [r for r in recs if r[0] == "F"][which]
    payload = data[start:start + n]
    dash = payload.index("\n\u2014 ".encode())
    sig = payload.index(b" ", payload.index(b" ", dash + 1) + 1) + 1 # base64 after the name
    pos = start + sig + 40
    data[pos] = ord("B") if data[pos] != ord("B") else ord("C")
    if sys.argv[5] == "fix":
        fix_trailer(data)
elif cmd == "trailer":        # flip a byte of the end record at offset K
    typ, start, n = recs[-1]
    data[start + int(sys.argv[4])] ^= 0x01
else:
    sys.exit("unknown command " + cmd)
open(dst, "wb").write(data)
EOF
edit() { python3 "$T/bundle.py" "$@" || fail "bundle.py $*"; }

# refuse CODE FILE PATTERN — the import exits CODE, says PATTERN, and aud's
# verify reports exactly what it reported before (the quick check; the full
# snapshot is compared after each group).
VERIFY0=$(cf aud verify)
refuse() {
    expect_exit "$1" aud import "$2"
    expect_in "$OUT" "$3"
    [ "$(cf aud verify)" = "$VERIFY0" ] || fail "import of $2 changed the store: $(cf aud verify)"
}
unchanged() {
    snapshot aud "$T/after"
    same_file "$T/before" "$T/after" "aud's state before and after $1"
}

# ---- truncated: every 97 bytes, and each of the last 40 ---------------------
OFFSETS=$(seq 0 97 $((SIZE - 1)); seq $((SIZE - 40)) $((SIZE - 1)))
for n in $OFFSETS; do
    head -c "$n" "$GOOD" >"$T/cut.bundle"
    refuse 3 "$T/cut.bundle" "bundle"
done
unchanged "truncated bundles"

# ---- one byte changed --------------------------------------------------------
NE=$(python3 -c 'import sys; exec(open(sys.argv[1]).read().split("cmd, src")[0]); print(sum(1 for r in records(open(sys.argv[2],"rb").read()) if r[0]=="E"))' "$T/bundle.py" "$GOOD")
for e in 0 $((NE / 2)) $((NE - 1)); do # a held governance entry, and new ones
    edit entry "$GOOD" "$T/e.bundle" "$e" keep
    refuse 3 "$T/e.bundle" "sha256\|hash"  # caught by the trailer
    edit entry "$GOOD" "$T/e.bundle" "$e" fix
    refuse 1 "$T/e.bundle" "root"          # trailer fixed: caught by the signed root
done
for f in 0 1 2 3; do
    edit sig "$GOOD" "$T/s.bundle" "$f" keep
    refuse 3 "$T/s.bundle" "sha256\|hash"
    edit sig "$GOOD" "$T/s.bundle" "$f" fix
    refuse 1 "$T/s.bundle" "signature\|signed"
done
for k in 0 5 20 40; do
    edit trailer "$GOOD" "$T/z.bundle" "$k"
    refuse 3 "$T/z.bundle" "bundle"
done
unchanged "bundles with a changed byte"

# ---- checkpoints signed by another key (a member's, under the right origin) --
forge resign "$GOOD" "$T/resigned.bundle" "$T/inv" || fail "forge resign"
refuse 1 "$T/resigned.bundle" "not signed by its author"

# ---- a bundle of another network ------------------------------------------
cf other init --name other >/dev/null
cf other network create --name "Another city" >/dev/null
cf other export --out "$T/other.bundle" >/dev/null
refuse 1 "$T/other.bundle" "bundle is from network"
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
snapshot city "$T/city"
same_file "$T/city" "$T/once" "the bundle's author and its importer" # aud now shows what city shows
echo ok
