#!/usr/bin/env bash
# install.sh — what `cmake --install` puts under a prefix (docs/operations.md
# "Installing"): the Debian package cpack builds, both binaries, the Chinese catalogue, the manual pages cofund(1) and cofund-audit(1)
# written from the command table (every command of the listing has its
# section; man renders them without a warning), the systemd unit template
# naming the installed binary, and the config example, which a node accepts.
# Then the README's "first session", run as written with only the prefix's
# bin on PATH.
source "$(dirname "$0")/lib.sh"
BUILD=${COFUND_BUILD_DIR:?COFUND_BUILD_DIR must point at the build directory}
README="${COFUND_TESTS:?}/../README.md"
P="$T/prefix"
cmake --install "$BUILD" --prefix "$P" >"$T/install.log" || fail "cmake --install: $(cat "$T/install.log")"

for f in bin/cofund bin/cofund-audit share/man/man1/cofund.1 share/man/man1/cofund-audit.1 \
    share/man/man5/cofund.conf.5 \
    lib/systemd/system/cofund-node@.service share/doc/cofund/cofund.conf.example \
    share/bash-completion/completions/cofund share/locale/zh_CN/LC_MESSAGES/cofund.mo; do
    [ -s "$P/$f" ] || fail "not installed: $f"
done
grep -qx "ExecStart=$P/bin/cofund --home /var/lib/cofund/%i --passphrase-file %d/passphrase node run" \
    "$P/lib/systemd/system/cofund-node@.service" || fail "the unit's ExecStart: $(grep ExecStart "$P"/lib/systemd/system/*)"

# The installed binary finds the installed catalogue.
"$P/bin/cofund" --lang zh help | grep '^查询' >/dev/null || fail "the installed cofund speaks no Chinese: $("$P/bin/cofund" --lang zh help | head -3)"
"$P/bin/cofund" help --bash-completion >"$T/completion"
same_file "$T/completion" "$P/share/bash-completion/completions/cofund" "the installed completion"

# ---- the manual pages: from the table, every command --------------------------------
"$P/bin/cofund" help --man >"$T/cofund.1"
same_file "$T/cofund.1" "$P/share/man/man1/cofund.1" "cofund help --man and the installed page"
mapfile -t COMMANDS < <("$P/bin/cofund" help | sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\?\)  .*/\1/p')
[ "${#COMMANDS[@]}" -ge 30 ] || fail "only ${#COMMANDS[@]} commands in the listing"
for cmd in "${COMMANDS[@]}"; do
    grep -qx ".SS \"${cmd//-/\\\\-}\"" "$P/share/man/man1/cofund.1" || fail "cofund(1) has no section for $cmd"
done
grep -q '^\.BI "\\-\\-witnesses " "K"' "$P/share/man/man1/cofund-audit.1" ||
    fail "cofund-audit(1) does not list --witnesses"
if command -v man >/dev/null; then
    for page in cofund cofund-audit; do
        warn=$(MANWIDTH=80 man --warnings -l "$P/share/man/man1/$page.1" 2>&1 >/dev/null) || true
        [ -z "$warn" ] || fail "man $page: $warn"
        MANWIDTH=80 man -l "$P/share/man/man1/$page.1" 2>/dev/null | grep -q "^EXIT STATUS" ||
            fail "man $page has no EXIT STATUS"
    done
fi
# cofund.conf(5): every setting the parser takes, from its own table.
if command -v man >/dev/null; then
    warn=$(MANWIDTH=80 man --warnings -l "$P/share/man/man5/cofund.conf.5" 2>&1 >/dev/null) || true
    [ -z "$warn" ] || fail "man cofund.conf: $warn"
fi
"$P/bin/cofund" --home "$T/c" init --name c >/dev/null
echo "colour blue" >"$T/c/config"
SETTINGS=$("$P/bin/cofund" --home "$T/c" node run 2>&1 | sed -n 's/.*unknown setting "colour" (\(.*\)).*/\1/p') || true
[ -n "$SETTINGS" ] || fail "no list of settings in the config refusal"
for s in ${SETTINGS//,/}; do
    grep -qF ".BI \"${s//-/\\-} \"" "$P/share/man/man5/cofund.conf.5" || fail "cofund.conf(5) does not describe $s"
done
expect_exit 2 nowhere help --man cofund-bogus
expect_in "$OUT" 'no manual page "cofund-bogus"'

# ---- the config example: a node reads it (and goes on to need a network) -------------
"$P/bin/cofund" --home "$T/n" init --name n >/dev/null
cp "$P/share/doc/cofund/cofund.conf.example" "$T/n/config"
rc=0
OUT=$("$P/bin/cofund" --home "$T/n" node run 2>&1) || rc=$?
[ "$rc" -eq 3 ] && expect_in "$OUT" "has not joined a network" ||
    fail "node run with the config example: exit $rc: $OUT"

# ---- the Debian package: what cmake --install installs --------------------------------
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
    (cd "$BUILD" && cpack -G DEB -B "$T/deb" >"$T/cpack.log" 2>&1) || fail "cpack -G DEB: $(tail -5 "$T/cpack.log")"
    DEB=$(ls "$T"/deb/cofund_*_*.deb) || fail "no .deb written"
    dpkg-deb -c "$DEB" | awk '{print $6}' >"$T/deb.list"
    for f in usr/bin/cofund usr/bin/cofund-audit usr/share/man/man1/cofund.1 \
        usr/share/man/man1/cofund-audit.1 usr/share/man/man5/cofund.conf.5 \
        usr/lib/systemd/system/cofund-node@.service usr/share/doc/cofund/cofund.conf.example \
        usr/share/bash-completion/completions/cofund usr/share/locale/zh_CN/LC_MESSAGES/cofund.mo; do
        grep -qx "./$f" "$T/deb.list" || fail "the Debian package lacks $f"
    done
    dpkg-deb -f "$DEB" Depends | grep -q "libsodium" || fail "the package does not depend on libsodium"
fi

# ---- the README's first session, as written -------------------------------------------
awk '/^## A first session/ {s = 1} s && /^```sh$/ {c = 1; next} c && /^```$/ {exit} c' "$README" \
    >"$T/session.sh"
[ "$(wc -l <"$T/session.sh")" -ge 5 ] || fail "no first session found in README.md"
mkdir "$T/work"
(cd "$T/work" && env -u COFUND_HOME PATH="$P/bin:/usr/bin:/bin" bash -euo pipefail "$T/session.sh") \
    >"$T/session.out" 2>&1 || fail "the README's first session failed: $(tail -5 "$T/session.out")"
expect_in "$(cat "$T/session.out")" "incubation"
echo ok
