#!/usr/bin/env bash
# keys.sh — member keys on disk: a passphrase-protected key is used only
# with its passphrase (file or environment), never prompted for without a
# terminal; key and passphrase files readable by others are refused, as ssh
# refuses them. Every refusal is exit 3 with its own message.
source "$(dirname "$0")/lib.sh"

# notty ARGS... — run without a controlling terminal, so no prompt can work.
notty() {
    if command -v setsid >/dev/null; then setsid -w "$@" </dev/null; else "$@" </dev/null; fi
}

printf 'correct horse battery staple\n' >"$T/pass"
printf 'not the passphrase\n' >"$T/wrong"
chmod 600 "$T/pass" "$T/wrong"

OUT=$(cf city init --name city --passphrase-file "$T/pass")
expect_in "$OUT" "(passphrase-protected)"
[ "$(stat -c %a "$T/city/key")" = 600 ] || fail "key file mode $(stat -c %a "$T/city/key")"

# Signing needs the passphrase: none (and no terminal), a wrong one.
rc=0
OUT=$(notty "$COFUND_BIN" --home "$T/city" network create --name "Test network" 2>&1) || rc=$?
[ "$rc" -eq 3 ] || fail "no passphrase, no terminal: exit $rc, wanted 3: $OUT"
expect_in "$OUT" "passphrase-protected: give --passphrase-file"
expect_exit 3 city --passphrase-file "$T/wrong" network create --name "Test network"
expect_in "$OUT" "wrong passphrase"
expect_in "$(cf city whoami)" "network   (none yet" # nothing was appended
# With it: the global option, its = form, or the environment.
cf city --passphrase-file "$T/pass" network create --name "Test network" >/dev/null
cf inv init --name inv >/dev/null
cf city --passphrase-file="$T/pass" member add --key "$(key_of inv)" --role investor --name inv >/dev/null
COFUND_PASSPHRASE_FILE="$T/pass" cf city project add robotics --name "Robotics Co." >/dev/null
[ "$(feed_size city city)" = 3 ] || fail "city's feed holds $(feed_size city city) entries"
# Queries never need it.
cf city export --out "$T/city.bundle" >/dev/null
cf city verify >/dev/null
cf city log --format csv >/dev/null
cf city checkpoint >/dev/null

# ---- key files readable by others ------------------------------------------
cf inv join "$T/city.bundle" >/dev/null
chmod 644 "$T/inv/key"
expect_exit 3 inv contribute --project robotics --round A --amount 100
expect_in "$OUT" "key file $T/inv/key has mode 0644"
chmod 640 "$T/city/key"
expect_exit 3 city --passphrase-file "$T/pass" project add sensors --name "Sensors"
expect_in "$OUT" "has mode 0640"
chmod 600 "$T/inv/key" "$T/city/key"
cf inv whoami >/dev/null
# A symlink, or the key of another home, is not this home's key file.
mv "$T/inv/key" "$T/inv.key"
ln -s "$T/inv.key" "$T/inv/key"
expect_exit 3 inv contribute --project robotics --round A --amount 100
expect_in "$OUT" "not a regular file"
rm "$T/inv/key"
cp -p "$T/city/key" "$T/inv/key"
expect_exit 3 inv --passphrase-file "$T/pass" contribute --project robotics --round A --amount 100
expect_in "$OUT" "does not hold this home's key"
rm "$T/inv/key"
mv "$T/inv.key" "$T/inv/key"
cf inv contribute --project robotics --round A --amount 100 >/dev/null
[ "$(feed_size inv inv)" = 1 ] || fail "inv's only append should have been taken"

# ---- passphrase files -------------------------------------------------------
chmod 644 "$T/pass"
expect_exit 3 city --passphrase-file "$T/pass" project add sensors --name "Sensors"
expect_in "$OUT" "passphrase file $T/pass has mode 0644"
expect_exit 3 other init --name other --passphrase-file "$T/pass"
expect_in "$OUT" "passphrase file $T/pass has mode 0644"
[ ! -e "$T/other/key" ] || fail "init made a key with a passphrase file readable by others"
chmod 600 "$T/pass"
: >"$T/empty"
chmod 600 "$T/empty"
expect_exit 3 city --passphrase-file "$T/empty" project add sensors --name "Sensors"
expect_in "$OUT" "first line empty"
expect_exit 3 city --passphrase-file "$T/missing" project add sensors --name "Sensors"
expect_in "$OUT" "passphrase file $T/missing: not found"
expect_exit 2 city --passphrase-file # the option without its value
[ "$(feed_size city city)" = 3 ] || fail "a refused command appended to city's feed"
cf city verify >/dev/null
echo ok
