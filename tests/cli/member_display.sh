#!/usr/bin/env bash
# member_display.sh — members have display names (issue 18, R-RENAME): a member
# registered with a Chinese display name, its name (its identifier) unchanged;
# `members` shows it (table aligned by display width, JSON and CSV field
# `display`, null when none, the same whatever --lang); `member rename`
# corrects it on every key the member has had, a replica and the audit agree;
# the same name again is refused (R-RENAME), a member not registered is not
# found (exit 3), and a display name that is not one is a usage error naming
# the problem (exit 2).
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor
cf xj init --name xj >/dev/null
expect_exit 0 city member add --key "$(key_of xj)" --role investor --name xj --display "湘江资本"
expect_in "$OUT" "member xj (investor) added at governance entry"
ADDED=${OUT##* } # the governance entry: the city's feed index (no succession here)
expect_in "$(cf city log city)" "xj added as investor (\"湘江资本\")"

# ---- members: the display name in every format --------------------------------
M=$(cf city members)
expect_in "$M" "^NAME  *DISPLAY  *ROLE  *KEY"
expect_in "$M" "^xj  *湘江资本  *investor  *$(key_of xj)"
# Aligned by display width: every row's key starts in the heading's column.
python3 - "$M" <<'PY' || fail "members' columns are not aligned: $M"
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.argv[1].splitlines()
col = lambda l, i: width(l[:i])
key = col(lines[0], lines[0].index("KEY"))
for l in lines[1:]:
    hexat = next(i for i in range(len(l)) if l[i:i+64].isalnum() and len(l[i:i+64]) == 64
                 and all(c in "0123456789abcdef" for c in l[i:i+64]))
    assert col(l, hexat) == key, l
PY
J=$(cf city members --format json)
expect_in "$J" '"display": "湘江资本"'
expect_in "$J" '"display": null'
python3 - "$J" <<'PY' || fail "members JSON: $J"
import json, sys
m = {r["name"]: r for r in json.loads(sys.argv[1])}
assert m["xj"]["display"] == "湘江资本" and m["inv"]["display"] is None, m
assert list(m["xj"])[-1] == "display", list(m["xj"])  # a field added at the end
PY
C=$(cf city members --format csv)
expect_in "$(head -1 <<<"$C")" ",display$"
expect_in "$C" "^xj,investor,$(key_of xj),.*,湘江资本$"
# JSON and CSV are the same whatever the language and unit.
[ "$(cf city --lang zh --unit wan members --format json)" = "$J" ] || fail "members JSON differs in Chinese"
[ "$(LANG=zh_CN.UTF-8 cf city members --format csv)" = "$C" ] || fail "members CSV differs in Chinese"

# ---- member rename ------------------------------------------------------------------
expect_exit 0 city member rename xj --display "湘江资本（二期）"
expect_in "$OUT" "member xj renamed \"湘江资本（二期）\" at governance entry"
expect_exit 1 city member rename xj --display "湘江资本（二期）"
expect_in "$OUT" "rejected by R-RENAME: member xj is already named \"湘江资本（二期）\""
expect_exit 0 city member rename inv --display "Investor A Ltd."
expect_exit 3 city member rename nosuch --display "无"
expect_in "$OUT" "member nosuch is not registered"
expect_exit 2 city member rename "bad name" --display "x"
# Not a display name: each problem named.
expect_exit 2 city member rename xj --display $'\xe6\xb9'
expect_in "$OUT" -- "--display: it is not valid UTF-8 (byte 1)"
expect_exit 2 city member rename xj --display $'ab\xff'
expect_in "$OUT" "not valid UTF-8 (byte 3)"
expect_exit 2 city member rename xj --display ""
expect_in "$OUT" "it is empty"
expect_exit 2 city member rename xj --display $'a\tb'
expect_in "$OUT" "it holds a control character (byte 2)"
expect_exit 2 city member rename xj --display "$(printf '湘%.0s' $(seq 43))"
expect_in "$OUT" "it is 129 bytes long, more than 128"
expect_exit 2 city member add --key "$(key_of fund)" --role investor --name x2 --display $'\x1b[31m'
expect_in "$OUT" "--display: it holds a control character (byte 1)"
# The 128-byte limit itself is accepted (42 characters of 3 bytes and two letters).
expect_exit 0 city member rename inv --display "$(printf '湘%.0s' $(seq 42))ab"
expect_exit 0 city member rename inv --display "Investor A Ltd."
expect_in "$(cf city log city)" "member xj renamed \"湘江资本（二期）\""
expect_in "$(cf city show "city:$(( $(feed_size city city) - 1 ))" --format json)" '"member": "inv"'
expect_in "$(cf city show "city:$ADDED" --format json)" '"display": "湘江资本"'

# ---- a rekey carries it; a rename reaches every key --------------------------------
cf xj2 init --name xj2 >/dev/null
expect_exit 0 city member rekey xj --key "$(key_of xj2)"
expect_exit 0 city member rename xj --display "湘江资本"
M=$(cf city members)
[ "$(grep -c "^xj  *湘江资本  " <<<"$M")" = 2 ] || fail "both of xj's keys show its display name: $M"

# ---- a replica and the audit agree -------------------------------------------------
carry city fund
[ "$(cf fund members --format json)" = "$(cf city members --format json)" ] ||
    fail "the fund's members differ from the city's"
expect_exit 0 fund verify
cf city export --out "$T/all.bundle" >/dev/null
"${COFUND_BIN%/*}/cofund-audit" "$T/all.bundle" >/dev/null || fail "the audit rejects the bundle"
echo ok
