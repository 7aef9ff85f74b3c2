#!/usr/bin/env bash
# witness_passphrase.sh — an import witnesses only with a key it can load
# without asking: a passphrase-protected home imports without cosigning
# when no passphrase file is given, and says so once; with the file it
# cosigns. (A node, which always has the key, witnesses what such an import
# left when it starts: tests/cli/witness_net.sh.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

printf 'correct horse battery staple\n' >"$T/pass"
chmod 600 "$T/pass"
cf city init --name city >/dev/null
cf city network create --name "Test network" >/dev/null
cf locked init --name locked --passphrase-file "$T/pass" >/dev/null
cf city member add --key "$(key_of locked)" --role investor --name locked >/dev/null
cf city export --out "$T/city.bundle" >/dev/null

# No passphrase file, no terminal: imported, not cosigned, said once.
rc=0
OUT=$(cf locked join "$T/city.bundle" 2>&1 </dev/null) || rc=$?
[ "$rc" -eq 0 ] || fail "join without a passphrase exited $rc: $OUT"
expect_in "$OUT" "joined network"
expect_in "$OUT" "the key is passphrase-protected and no passphrase file was given: importing without cosigning"
[ "$(grep -c "passphrase-protected" <<<"$OUT")" = 1 ] || fail "said more than once: $OUT"
[ -z "$(cosigners locked city)" ] || fail "locked cosigned without its key: $(cosigners locked city)"

# With the passphrase file the next import witnesses what the home holds.
cf city project add robotics --name "Robotics Co." >/dev/null
cf city export --out "$T/city2.bundle" >/dev/null
expect_exit 0 locked --passphrase-file "$T/pass" import "$T/city2.bundle"
expect_in "$OUT" "1 checkpoint(s) witnessed by this home"
[ "$(cosigners locked city)" = "$(origin_of locked) " ] ||
    fail "locked's cosignature: $(cosigners locked city)"
# A wrong passphrase file is an error, as for any command that signs.
printf 'wrong\n' >"$T/wrong"
chmod 600 "$T/wrong"
expect_exit 3 locked --passphrase-file "$T/wrong" import "$T/city2.bundle"
expect_in "$OUT" "wrong passphrase"
echo ok
