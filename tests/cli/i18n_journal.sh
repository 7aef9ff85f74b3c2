#!/usr/bin/env bash
# i18n_journal — entries as people read them (issue 18): log, register and
# show in Chinese and English; tables with Chinese display names aligned by
# display width; --unit wan figures exactly the yuan figures / 10,000; JSON
# and CSV the same bytes whatever --lang and --unit.
. "$(dirname "$0")/lib.sh"

network fund:fund inv:investor
cf city project add robot --name "机器人产线" --kind equity >/dev/null
carry city fund inv
cf inv contribute --project robot --round A --amount 1,234,567.89 --program industrial --yes >/dev/null
cf inv contribute --project robotics --round A --amount 500,000 --yes >/dev/null
cf inv contribute --project sensors --round seed --amount 10,000,000,000,000 --yes >/dev/null
cf inv reverse inv:2 --reason "录入错误" --yes >/dev/null
carry inv fund city
cf fund match --program industrial --project robot --round A --auto 1,000,000 --yes >/dev/null
carry fund city

# check_aligned WHAT TABLE — TABLE's columns (FIRST TIME TYPE AMOUNT WHAT) start
# (AMOUNT: ends) at the same display column (a CJK character takes two) on
# every line; cells are two spaces or more apart.
check_aligned() {
    printf '%s\n' "$2" >"$T/table"
    python3 - "$1" "$T/table" <<'EOF' || fail "$1: columns do not line up: $2"
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
def cells(line):  # (start, end, text) by display column
    return [(width(line[:m.start()]), width(line[:m.end()]), m.group())
            for m in re.finditer(r"\S+(?: \S+)*", line)]
lines = [l for l in open(sys.argv[2], encoding="utf-8").read().split("\n") if l.strip()]
head = cells(lines[0])
assert len(head) == 5, head
time_at, type_at, amount_end, what_at = head[1][0], head[2][0], head[3][1], head[4][0]
rows = [l for l in lines[1:] if not l.startswith(("latest", "最新"))]
assert rows
for l in rows:
    c = cells(l)
    starts = [x[0] for x in c]
    assert time_at in starts and type_at in starts and what_at in starts, (sys.argv[1], l)
    between = [x for x in c if type_at < x[0] < what_at]
    assert all(x[1] == amount_end for x in between), (sys.argv[1], l)
print("aligned", sys.argv[1], len(rows), "rows")
EOF
}

# ---- English: unchanged words, amounts in yuan named in the heading -----------------
R=$(cf city register)
expect_in "$R" "^ENTRY  *TIME  *TYPE  *AMOUNT (yuan)  WHAT$"
expect_in "$R" "^inv#0  .*  contribution  *1,234,567.89  to robot (机器人产线) round A for program industrial$"
expect_in "$R" "project  *robot \"机器人产线\""
expect_in "$R" "\[reversed by inv#3\]"
check_aligned "register en" "$R"
check_aligned "log en" "$(cf city log inv)"
expect_in "$(cf city show inv:0)" "^contribution 1,234,567.89 to robot (机器人产线) round A for program industrial$"

# ---- Chinese: the glossary's words, times as people read them, still aligned ---------
Z=$(cf city --lang zh register)
expect_in "$Z" "^记录  *时间  *类型  *金额"
expect_in "$Z" "^inv#0  *[0-9]*年[0-9]*月[0-9]*日 [0-9:]* +08:00  *出资  *1,234,567.89  投入 robot（机器人产线） 第 A 轮，资金计划 industrial$"
expect_in "$Z" "项目  *robot“机器人产线”"
expect_in "$Z" "冲正"
expect_in "$Z" "跟投"
expect_in "$Z" "\[已被 inv#3 冲正\]"
check_aligned "register zh" "$Z"
L=$(cf city --lang zh log city)
expect_in "$L" "^序号  *时间"
expect_in "$L" "最新检查点"
check_aligned "log zh" "$L"
check_aligned "log zh wan" "$(cf city --lang zh --unit wan log inv)"
# The locale alone asks for Chinese.
Z2=$(env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 "$COFUND_BIN" --home "$T/city" register)
[ "$Z2" = "$Z" ] || fail "LANG=zh_CN.UTF-8 and --lang zh differ: $Z2"
S=$(cf city --lang zh show inv:0)
expect_in "$S" "^出资 1,234,567.89 .* 投入 robot（机器人产线） 第 A 轮，资金计划 industrial$"
expect_in "$S" "^time  *[0-9]*年[0-9]*月[0-9]*日 "
expect_in "$(cf city --lang zh members)" "^名称  *显示名称  *角色  *密钥"
expect_in "$(cf city --lang zh verify)" "^通过：已校验 "
expect_in "$(cf city --lang zh violations)" "^没有违规$"
# A rule's ID stays in a Chinese refusal.
expect_exit 1 fund --lang zh match --program industrial --project robot --round B --amount 1 --yes
expect_in "$OUT" "R-MATCH"

# ---- --unit wan: the yuan figures divided by 10,000, exactly -------------------------
amounts() { # the AMOUNT column of a register table: "member#index amount" lines
    python3 -c '
import re, sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.stdin.read().split("\n")
head = [(w(lines[0][:m.start()]), w(lines[0][:m.end()])) for m in re.finditer(r"\S+(?: \S+)*", lines[0])]
end = head[3][1]
for l in lines[1:]:
    for m in re.finditer(r"\S+(?: \S+)*", l):
        if w(l[:m.end()]) == end and m.start() > 0:
            print(l.split()[0], m.group())
'
}
Y=$(cf city register | amounts)
W=$(cf city --unit wan register | amounts)
WZ=$(cf city --lang zh --unit wan register | amounts)
[ "$W" = "$WZ" ] || fail "wan figures differ by language: $W / $WZ"
[ "$(wc -l <<<"$Y")" -ge 4 ] || fail "too few amounts: $Y"
python3 - "$Y" "$W" <<'EOF' || fail "wan is not yuan / 10,000: $Y / $W"
import sys
from decimal import Decimal
y = dict(l.split() for l in sys.argv[1].splitlines())
w = dict(l.split() for l in sys.argv[2].splitlines())
assert y.keys() == w.keys(), (y, w)
for k in y:
    a, b = Decimal(y[k].replace(",", "")), Decimal(w[k].replace(",", ""))
    assert a / 10000 == b, (k, a, b)
print("wan = yuan / 10000 on", len(y), "rows")
EOF
expect_in "$W" "^inv#0 123.456789$"
expect_in "$W" "^inv#1 50.00$"
expect_in "$(cf city --unit wan log inv)" "AMOUNT (10k yuan)"
expect_in "$(cf city --unit wan show inv:0)" "^body.amount  *123.456789 "

# ---- machines: JSON and CSV the same bytes in every language and unit ----------------
for args in "register --format json" "register --format csv" "log inv --format csv" \
            "log inv --format json" "show inv:0 --format json" "members --format csv"; do
    # shellcheck disable=SC2086
    cf city $args >"$T/en.out"
    # shellcheck disable=SC2086
    cf city --lang zh --unit wan $args >"$T/zh.out"
    same_file "$T/en.out" "$T/zh.out" "$args with --lang zh --unit wan and without"
done
J=$(cf city --lang zh --unit wan register --format json)
expect_in "$J" '"summary": "contribution 1,234,567.89 to robot round A for program industrial"'
expect_in "$J" '"amount": "1234567.89"'
expect_in "$(cf city --lang zh --unit wan register --format csv)" "reversed by inv#3"
echo ok
