#!/usr/bin/env bash
# interop.sh — cofund's checkpoints, inclusion proofs (from a home and from a
# bundle, cofund-audit --proof), consistency proofs, fork proofs and the
# auditor's signed statement checked by an independent implementation: Go's golang.org/x/mod/sumdb/note
# and sumdb/tlog (and cosignature/v1 from its specification), through
# tests/interop/c2sp_verify.go. Skipped (77) when Go
# or those sources are missing (Debian: golang-go golang-golang-x-mod-dev).
source "$(dirname "$0")/lib.sh"
: "${COFUND_TESTS:?COFUND_TESTS must point at the tests directory}"

GOPATH_DIR=${COFUND_GOPATH:-/usr/share/gocode}
if ! command -v go >/dev/null || [ ! -d "$GOPATH_DIR/src/golang.org/x/mod/sumdb/tlog" ]; then
    echo "skipped: needs go and golang.org/x/mod in $GOPATH_DIR (apt-get install golang-go golang-golang-x-mod-dev)"
    exit 77
fi
command -v python3 >/dev/null || { echo "skipped: needs python3"; exit 77; }
GOPATH=$GOPATH_DIR GO111MODULE=off GOFLAGS= GOCACHE="$T/gocache" \
    go build -o "$T/c2sp_verify" "$COFUND_TESTS/interop/c2sp_verify.go" || fail "building c2sp_verify"
c2sp() { "$T/c2sp_verify" "$@"; }

# ---- a network with feeds of a few sizes ------------------------------------
network fund:fund inv:investor
for a in 100 200 300 400 500 600 700 800 900; do
    cf inv contribute --project robotics --round A --amount "$a,000" --program industrial >/dev/null
done
carry inv fund
cf fund match --program industrial --project robotics --round A --auto 4,500,000 >/dev/null
carry fund city
carry inv city

# vkey_of ORIGIN — the C2SP verifier key of a cofund feed, built from its
# origin alone (cofund/<net16>/<author hex>): name+keyid+base64(0x01||pk).
vkey_of() {
    python3 - "$1" <<'EOF'
import base64, hashlib, sys
name = sys.argv[1]
pk = bytes.fromhex(name.rsplit("/", 1)[1])
key_id = hashlib.sha256(name.encode() + b"\n\x01" + pk).digest()[:4]
print("%s+%s+%s" % (name, key_id.hex(), base64.b64encode(b"\x01" + pk).decode()))
EOF
}
NET16=$(cf city whoami | awk '$1 == "network" {print substr($2, 1, 16)}')
origin_of() { echo "cofund/$NET16/$(key_of "$1")"; }
declare -A VKEY
for h in city fund inv; do VKEY[$h]=$(vkey_of "$(origin_of "$h")"); done

# ---- checkpoints: each home's own, with the verifier whoami prints ----------
for h in city fund inv; do
    vk=$(cf "$h" whoami | awk '$1 == "verifier" {print $2}')
    [ "$vk" = "${VKEY[$h]}" ] || fail "whoami's verifier of $h is not the C2SP vkey of its origin"
    cf "$h" checkpoint >"$T/$h.ckpt"
    c2sp note "$vk" "$T/$h.ckpt" >/dev/null || fail "Go rejects $h's own checkpoint"
    # A checkpoint checked with another feed's key is refused.
    if c2sp note "${VKEY[fund]}" "$T/city.ckpt" >/dev/null 2>&1; then
        fail "Go accepted city's checkpoint under fund's key"
    fi
done
# ... and the replicas city holds of the others' feeds, with keys built from
# their origins.
for f in fund inv; do
    cf city checkpoint "$f" >"$T/city-$f.ckpt"
    c2sp note "${VKEY[$f]}" "$T/city-$f.ckpt" >/dev/null ||
        fail "Go rejects $f's checkpoint as held by city"
    # The author's signed part is the same; city has added its cosignature.
    signed_part <"$T/$f.ckpt" >"$T/$f.signed"
    signed_part <"$T/city-$f.ckpt" >"$T/city-$f.signed"
    same_file "$T/$f.signed" "$T/city-$f.signed" "$f's latest checkpoint at $f and at city"
    # city's cosignature/v1 line, checked by Go from the C2SP specification.
    c2sp cosig "$(origin_of city)" "$T/city-$f.ckpt" >/dev/null ||
        fail "Go rejects city's cosignature on $f's checkpoint"
    stranger="cofund/$NET16/$(printf '11%.0s' $(seq 32))"
    if c2sp cosig "$stranger" "$T/city-$f.ckpt" >/dev/null 2>&1; then
        fail "Go found a cosignature by a key that never signed on $f's checkpoint"
    fi
    # One bit of the signature's last byte flipped: refused.
    python3 - "$T/city-$f.ckpt" "$(origin_of city)" >"$T/city-$f.bad" <<'EOF2'
import base64, sys
text, name = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
out = []
for line in text.split("\n"):
    if line.startswith("\u2014 " + name + " "):
        sig = bytearray(base64.b64decode(line.split(" ")[2]))
        sig[-1] ^= 1
        line = "\u2014 %s %s" % (name, base64.b64encode(bytes(sig)).decode())
    out.append(line)
sys.stdout.write("\n".join(out))
EOF2
    if c2sp cosig "$(origin_of city)" "$T/city-$f.bad" >/dev/null 2>&1; then
        fail "Go accepted city's cosignature on $f's checkpoint with a bit flipped"
    fi
done

# ---- inclusion proofs ---------------------------------------------------------
# LEAFHEX is computed here from the entry bytes in the proof's extra line:
# SHA-256(0x00 || bytes), RFC 6962.
leaf_from_proof() {
    local extra
    extra=$(sed -n 's/^extra //p' "$1")
    [ -n "$extra" ] || return 0
    { printf '\000'; base64 -d <<<"$extra"; } | sha256sum | cut -d' ' -f1
}
check_inclusion() { # check_inclusion HOME FEED INDEX
    local proof="$T/incl-$1-$2-$3" leaf
    cf "$1" proof inclusion "$2:$3" >"$proof"
    leaf=$(leaf_from_proof "$proof")
    [ -n "$leaf" ] || fail "no extra line in $proof"
    expect_in "$(cf "$1" show "$2:$3" --format json)" "\"leaf\": \"$leaf\""
    c2sp inclusion "${VKEY[$2]}" "$proof" "$leaf" >/dev/null ||
        fail "Go rejects the inclusion proof of $2:$3 from $1"
}
for i in 0 1 2 4 7 8; do check_inclusion inv inv "$i"; done
for i in 0 3 8; do check_inclusion city inv "$i"; done
for i in 0 1 3 4 5 6; do check_inclusion city city "$i"; done
check_inclusion fund fund 0
# The wrong leaf for an index is refused by Go.
cf inv proof inclusion inv:3 >"$T/p3"
wrong=$(leaf_from_proof "$T/incl-inv-inv-4")
if c2sp inclusion "${VKEY[inv]}" "$T/p3" "$wrong" >/dev/null 2>&1; then
    fail "Go accepted inv#4's leaf at index 3"
fi

# The same proofs straight from a bundle, by the offline audit: identical
# bytes, and Go accepts them.
cf city export --out "$T/net.bundle" >/dev/null
for spec in inv:0 inv:8 city:3 fund:0; do
    "$COFUND_AUDIT" "$T/net.bundle" --proof "$spec" >"$T/audit-proof" ||
        fail "cofund-audit --proof $spec"
    cf city proof inclusion "$spec" >"$T/home-proof"
    same_file "$T/home-proof" "$T/audit-proof" "the proofs of $spec from the home and the bundle"
    c2sp inclusion "${VKEY[${spec%%:*}]}" "$T/audit-proof" "$(leaf_from_proof "$T/audit-proof")" \
        >/dev/null || fail "Go rejects cofund-audit's proof of $spec"
done

# ---- the auditor's signed statement (docs/auditing.md §5) ----------------------
cf auditor init --name auditor >/dev/null
"$COFUND_AUDIT" "$T/net.bundle" --sign "$T/auditor/key" --out "$T/statement" \
    >"$T/report.txt" 2>"$T/sign.err" || fail "cofund-audit --sign: $(cat "$T/sign.err")"
avk=$(sed -n 's/.*its verifier key: //p' "$T/sign.err")
c2sp note "$avk" "$T/statement" >/dev/null || fail "Go rejects the audit statement"
expect_in "$(cat "$T/statement")" "^bundle $(sha256sum "$T/net.bundle" | cut -d' ' -f1) $(stat -c %s "$T/net.bundle")$"
expect_in "$(cat "$T/statement")" "^report $(sha256sum "$T/report.txt" | cut -d' ' -f1)$"
if c2sp note "${VKEY[city]}" "$T/statement" >/dev/null 2>&1; then
    fail "Go accepted the audit statement under another key"
fi
sed 's/^verdict ok$/verdict failed/' "$T/statement" >"$T/statement.bad"
if c2sp note "$avk" "$T/statement.bad" >/dev/null 2>&1; then
    fail "Go accepted an audit statement whose verdict was changed"
fi

# ---- consistency proofs ---------------------------------------------------
# "cofund/consistency-proof@v1", "old N ROOT", "new N ROOT", hashes, then a
# blank line and the signed checkpoint of size NEW when the home holds it.
check_consistency() { # check_consistency HOME FEED OLD NEW
    local p="$T/cons-$1-$2-$3-$4"
    cf "$1" proof consistency "$2" "$3" "$4" >"$p"
    [ "$(sed -n 1p "$p")" = "cofund/consistency-proof@v1" ] || fail "consistency proof header: $(head -1 "$p")"
    read -r _ osize oroot < <(sed -n 2p "$p")
    read -r _ nsize nroot < <(sed -n 3p "$p")
    [ "$osize" = "$3" ] && [ "$nsize" = "$4" ] || fail "consistency proof sizes: $(head -3 "$p")"
    mapfile -t hashes < <(awk 'NR >= 4 && /^$/ {exit} NR >= 4 {print}' "$p")
    c2sp consistency "$osize" "$oroot" "$nsize" "$nroot" "${hashes[@]}" >/dev/null ||
        fail "Go rejects the consistency proof $2 $3 -> $4 from $1"
    # The checkpoint after the blank line, when present, signs the new root.
    if grep -q '^$' "$p"; then
        sed -n '/^$/,$p' "$p" | tail -n +2 >"$p.ckpt"
        c2sp note "${VKEY[$2]}" "$p.ckpt" >/dev/null || fail "checkpoint in $p"
        [ "$(sed -n 2p "$p.ckpt")" = "$4" ] && [ "$(sed -n 3p "$p.ckpt")" = "$nroot" ] ||
            fail "the checkpoint in $p is not of the new tree"
    fi
    if [ "${#hashes[@]}" -gt 0 ]; then # one changed hash, and Go refuses
        local bad
        bad=${hashes[0]} # its first base64 digit changed: a different first byte
        if [ "${bad:0:1}" = A ]; then bad=B${bad:1}; else bad=A${bad:1}; fi
        if c2sp consistency "$osize" "$oroot" "$nsize" "$nroot" "$bad" "${hashes[@]:1}" >/dev/null 2>&1; then
            fail "Go accepted a damaged consistency proof $2 $3 -> $4"
        fi
    fi
}
for pair in "1 2" "1 9" "2 3" "3 7" "4 8" "5 9" "6 6" "7 9" "8 9"; do
    check_consistency inv inv $pair
done
for pair in "1 7" "3 5" "4 7"; do check_consistency city city $pair; done
check_consistency city inv 2 9
# The latest root of every feed is the one its checkpoint signs.
for f in city fund inv; do
    n=$(sed -n 2p "$T/$f.ckpt")
    cf city proof consistency "$f" "$n" "$n" >"$T/latest"
    [ "$(sed -n 3p "$T/latest")" = "new $n $(sed -n 3p "$T/$f.ckpt")" ] || fail "latest root of $f"
done

# ---- a located fork proof (docs/format.md "Fork proofs") ----------------------
# inv's home copied with its key; each copy appends a different entry at
# index 9 (and one copy two more): fund sees both and proves where they part.
cp -a "$T/inv" "$T/inv-copy"
cf inv contribute --project robotics --round A --amount 1,000 >/dev/null
cf inv contribute --project robotics --round A --amount 2,000 >/dev/null
cf inv-copy contribute --project robotics --round A --amount 3,000 >/dev/null
carry inv fund
cf inv-copy export --out "$T/inv-copy.bundle" >/dev/null
cf fund import "$T/inv-copy.bundle" >/dev/null 2>&1 && fail "the fork was not found"
cf fund forks --format json >"$T/forks.json"
python3 - "$T/forks.json" "$T/fork.proof" "$T/fork-bad.proof" <<'EOF'
import base64, json, sys
row = json.load(open(sys.argv[1]))[0]
assert row["point"] == 9, row["point"]
json.dump(row["proof"], open(sys.argv[2], "w"))
bad = dict(row["proof"])
leaf = bytearray(base64.b64decode(bad["leaf_b"]))
leaf[0] ^= 1
bad["leaf_b"] = base64.b64encode(bytes(leaf)).decode()
json.dump(bad, open(sys.argv[3], "w"))
EOF
c2sp fork "${VKEY[inv]}" "$T/fork.proof" >"$T/fork.out" || fail "Go rejects the fork proof"
expect_in "$(cat "$T/fork.out")" "share 9 entries and differ at entry 9"
if c2sp fork "${VKEY[inv]}" "$T/fork-bad.proof" >/dev/null 2>&1; then
    fail "Go accepted a fork proof with a changed leaf"
fi
if c2sp fork "${VKEY[fund]}" "$T/fork.proof" >/dev/null 2>&1; then
    fail "Go accepted a fork proof under another member's key"
fi
echo ok
