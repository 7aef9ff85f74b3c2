#!/usr/bin/env bash
# i18n_audit.sh — the offline audit in Chinese and in wan (docs/auditing.md
# "Language and unit"): cofund-audit --lang zh, LANG=zh_CN.UTF-8 and
# `cofund --lang zh audit` print the same Chinese report, its times in the
# network's zone (2026年12月4日 09:30 +08:00), its tables aligned by display
# width; --unit wan shows every amount as the yuan figure ÷ 10,000 exactly,
# the unit named in the headings; a violation's rule ID stays in the Chinese
# report; the JSON report (and the evidence check's) is byte-identical in
# every language and unit, and the signed statement stays English; the HTML
# report is <html lang="zh-CN"> with Chinese headings and figures in wan
# (audit_html.sh has headless Chromium draw it).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

build_network
# A Chinese display name: the report's header and the HTML page name it.
cf city network rename --name "城市产业基金网络" >/dev/null
# Chinese display names of a project and a member: the reports name them so.
cf city project rename robotics --name "机器人产线" >/dev/null
cf city member rename inv --display "社会资本甲" >/dev/null
cf city export --out "$T/net.bundle" >/dev/null
B=$T/net.bundle
audit() { "$COFUND_AUDIT" "$B" "$@"; }
untimed() { grep -v '^audited: \|^审计时间：'; }

# ---- English unless told: the figures in yuan, the unit in the headings --------
env LANG=C LC_ALL= LC_MESSAGES= LANGUAGE= "$COFUND_AUDIT" "$B" >"$T/en.txt" || fail "audit in English"
EN=$(cat "$T/en.txt")
expect_in "$EN" "^== programs (amounts in yuan)$"
expect_in "$EN" "^  YEAR  *DEPLOYED (yuan)  *BUDGET (yuan)  *USED  *COUNTERPART (yuan)  *LEVERAGE$"
expect_in "$EN" "^PROJECT  *HOLDER  *ROLE  *INVESTED (yuan)  *EXITED (yuan)  *NET (yuan)  *SHARE$"
expect_in "$EN" "^period: entries dated 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] +08:00 to "
expect_in "$EN" "^result: ok: every signature, root and rule holds$"
same_file <(audit --lang en | untimed) <(untimed <"$T/en.txt") "--lang en and the C locale's reports"

# ---- Chinese: --lang zh, the locale, cofund's own --lang ------------------------
audit --lang zh >"$T/zh.txt" || fail "audit --lang zh"
ZH=$(cat "$T/zh.txt")
for word in "^审计对象 " "^数据包：" "^审计时间：" "网络 [0-9a-f]*“城市产业基金网络”，治理方 city" \
    "^== 资金计划（金额单位：元）$" "^已投放  *24,400,000.00$" "^已配套社会资本 " "^待跟投 " \
    "^  年度  *已投放(元)  *年度预算(元)  *使用率  *已配套社会资本(元)  *放大倍数$" \
    "^== 持仓$" "^项目  *持有人  *角色  *已投资(元)  *已退出(元)  *净额(元)  *占比$" \
    "^记录链  *角色  *记录  *检查点  *已生效  *见证  *状态$" "^== 回报" \
    "^结论：正常：所有签名、根哈希和规则均成立$"; do
    expect_in "$ZH" "$word"
done
# Display names where people read: a project with its identifier, a member alone (docs/i18n.md).
expect_in "$ZH" "^robotics（机器人产线）  *社会资本甲  *investor  "
expect_in "$ZH" "^robotics（机器人产线）  *fund  *fund  "
expect_in "$ZH" "^sensors（Sensor Startup）  *team  *team  "
expect_in "$ZH" "^holder  *社会资本甲  "
expect_in "$EN" "^robotics (机器人产线)  *社会资本甲  *investor  "
expect_in "$EN" "^  robotics (机器人产线)  "
# Times in the network's zone, the Chinese way.
expect_in "$ZH" "^期间：记录日期从 20[0-9][0-9]年[0-9]*月[0-9]*日 [0-9][0-9]:[0-9][0-9] +08:00 到 "
expect_in "$ZH" "^资金计划 industrial（match），运营方 fund，始于 20[0-9][0-9]年[0-9]*月[0-9]*日$"
grep -q "FEED\|DEPLOYED\|result:\|programs" <<<"$ZH" && fail "English words in the Chinese report: $ZH"
env LANG=zh_CN.UTF-8 LC_ALL= LC_MESSAGES= LANGUAGE= "$COFUND_AUDIT" "$B" >"$T/zh-env.txt" ||
    fail "audit under LANG=zh_CN.UTF-8"
same_file <(untimed <"$T/zh-env.txt") <(untimed <"$T/zh.txt") "LANG=zh_CN.UTF-8 and --lang zh reports"
"$COFUND_BIN" --lang zh audit "$B" >"$T/zh-cofund.txt" || fail "cofund --lang zh audit"
same_file <(untimed <"$T/zh-cofund.txt") <(untimed <"$T/zh.txt") "cofund --lang zh audit and cofund-audit --lang zh"
"$COFUND_BIN" audit "$B" --lang zh --unit wan >"$T/zh-wan-cofund.txt" || fail "cofund audit --lang zh --unit wan"
# --lang after the locale wins; usage errors speak the language.
env LANG=zh_CN.UTF-8 "$COFUND_AUDIT" "$B" --lang en | untimed >"$T/en2.txt"
same_file "$T/en2.txt" <(untimed <"$T/en.txt") "--lang en under LANG=zh_CN.UTF-8"
expect_audit 2 "$B" --lang fr
expect_in "$OUT" "^cofund-audit: --lang fr: expected zh or en$"
expect_audit 2 "$B" --lang zh --unit lakh
expect_in "$OUT" "^cofund-audit: --unit lakh：应为 yuan 或 wan$"
expect_in "$OUT" "^用法：cofund-audit BUNDLE"
OUT=$("$COFUND_AUDIT" --lang zh --help) || fail "--lang zh --help"
expect_in "$OUT" "^选项：$"
expect_in "$OUT" "^  --unit yuan|wan  *文本和 HTML 报告中金额的单位"

# ---- tables align by display width ----------------------------------------------
# Every row of a table ends at the same display column as its heading where
# the last column is right-aligned (a CJK character takes two columns).
python3 - "$T/zh.txt" <<'PY' || fail "the Chinese tables do not align"
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
tables = 0
for i, l in enumerate(lines):
    if l.lstrip().startswith(("年度 ", "项目 ", "类型 ")) and "(元)" in l:
        w = width(l)
        rows = []
        for r in lines[i + 1:]:
            if not r.strip():
                break
            rows.append(r)
        assert rows, l
        for r in rows:
            assert width(r) == w, (l, r, width(r), w)
        tables += 1
assert tables >= 4, tables
print("aligned:", tables, "tables")
PY

# ---- --unit wan: every figure is the yuan figure ÷ 10,000, exactly --------------
audit --unit wan >"$T/en-wan.txt" || fail "audit --unit wan"
audit --lang zh --unit wan >"$T/zh-wan.txt" || fail "audit --lang zh --unit wan"
same_file <(untimed <"$T/zh-wan-cofund.txt") <(untimed <"$T/zh-wan.txt") "cofund audit --lang zh --unit wan and cofund-audit's"
expect_in "$(cat "$T/en-wan.txt")" "^== programs (amounts in 10k yuan)$"
expect_in "$(cat "$T/en-wan.txt")" "DEPLOYED (10k yuan)"
expect_in "$(cat "$T/zh-wan.txt")" "^== 资金计划（金额单位：万元）$"
expect_in "$(cat "$T/zh-wan.txt")" "已投资(万元)"
python3 - "$T" <<'PY' || fail "the wan figures are not the yuan figures / 10,000"
import re, sys
from decimal import Decimal
t = sys.argv[1]
AMOUNT = re.compile(r"-?[0-9][0-9,]*\.[0-9]{2,6}")
for lang in ("en", "zh"):
    yuan = open(f"{t}/{lang}.txt", encoding="utf-8").read().split("\n")
    wan = open(f"{t}/{lang}-wan.txt", encoding="utf-8").read().split("\n")
    assert len(yuan) == len(wan), (lang, len(yuan), len(wan))
    n = 0
    for y, w in zip(yuan, wan):
        ya, wa = AMOUNT.findall(y), AMOUNT.findall(w)
        assert len(ya) == len(wa), (y, w)
        if y.startswith(("audited:", "审计时间")):
            continue  # (each run's own time)
        for a, b in zip(ya, wa):
            if a == b:
                # no amount: a share (%), a multiple (x), a leverage (the
                # last column, or its line); or zero
                assert a in ("0.00", "-0.00") or a + "%" in y or a + "x" in y or \
                    y.split()[-1] == a or y.split()[0] in ("leverage", "放大倍数"), (y, w, a)
                continue
            assert Decimal(a.replace(",", "")) / 10000 == Decimal(b.replace(",", "")), (y, w, a, b)
            n += 1
    assert n >= 30, (lang, n)
    print(lang, n, "amounts in wan = yuan / 10,000")
PY

# ---- JSON: the same bytes in every language and unit -----------------------------
untimed_json() { python3 -c 'import json,sys; r=json.load(sys.stdin); r.pop("audited_at"); print(json.dumps(r, ensure_ascii=False, indent=1))'; }
# (audited_at is each run's own time; everything else must match byte for byte)
audit --format json >"$T/en.json" || fail "json"
for args in "--lang zh" "--lang zh --unit wan" "--unit wan" "--lang en --unit yuan"; do
    # shellcheck disable=SC2086
    audit --format json $args >"$T/x.json" || fail "json $args"
    same_file <(sed 's/"audited_at":"[^"]*"//' "$T/x.json") <(sed 's/"audited_at":"[^"]*"//' "$T/en.json") \
        "the JSON reports in English and with $args"
done
env LANG=zh_CN.UTF-8 "$COFUND_BIN" --unit wan audit "$B" --format json >"$T/x.json" || fail "cofund audit json"
same_file <(sed 's/"audited_at":"[^"]*"//' "$T/x.json") <(sed 's/"audited_at":"[^"]*"//' "$T/en.json") \
    "the JSON reports of cofund-audit and LANG=zh_CN.UTF-8 cofund --unit wan audit"

# ---- a violation: its rule ID in the Chinese report; its JSON in English ---------
forge encode "$T/team" exit "$T/exit.cbor" --project sensors --amount-fen 900000000 || fail "forge encode"
forge append "$T/team" "$T/exit.cbor" >/dev/null || fail "forge append"
cf team export --out "$T/team.bundle" >/dev/null
expect_exit 1 city import "$T/team.bundle"
cf city export --out "$T/bad.bundle" >/dev/null
expect_audit 1 "$T/bad.bundle" --lang zh
expect_in "$OUT" "^违规 team#[0-9]* 被 R-EXIT 拒绝："
expect_in "$OUT" "^结论：未通过：违规：team#[0-9]* 被 R-EXIT 拒绝："
expect_audit 1 "$T/bad.bundle" --format json
EXPECT=$(sed 's/"audited_at":"[^"]*"//' <<<"$OUT")
expect_in "$OUT" '"rule":"R-EXIT"'
expect_in "$OUT" "\"first_failure\":\"violation: team#[0-9]* rejected by R-EXIT: "
expect_audit 1 "$T/bad.bundle" --format json --lang zh --unit wan
[ "$(sed 's/"audited_at":"[^"]*"//' <<<"$OUT")" = "$EXPECT" ] || fail "the violation's JSON differs in Chinese: $OUT"
# The evidence check's JSON too.
IDX=$(cf city violations --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["index"])')
cf city evidence "team:$IDX" --out "$T/v.evidence" >/dev/null || fail "evidence team:$IDX"
"$COFUND_AUDIT" --evidence "$T/v.evidence" "$T/bad.bundle" --format json >"$T/ev-en.json"
"$COFUND_AUDIT" --evidence "$T/v.evidence" "$T/bad.bundle" --format json --lang zh --unit wan >"$T/ev-zh.json"
same_file "$T/ev-en.json" "$T/ev-zh.json" "the evidence check's JSON in English and Chinese"
expect_audit 0 --evidence "$T/v.evidence" "$T/bad.bundle" --lang zh
expect_in "$OUT" "^证据：网络 [0-9a-f]* 中的违规$"
expect_in "$OUT" "^声称的结论：被 R-EXIT 拒绝："
expect_in "$OUT" "^结论：已证明：作者签署了该记录，且重放网络的数据包时它被 R-EXIT 拒绝$"

# ---- the signed statement stays English ----------------------------------------
cf auditor init --name auditor >/dev/null
audit --lang zh --unit wan --sign "$T/auditor/key" --out "$T/zh.statement" >"$T/signed-zh.txt" 2>"$T/err" ||
    fail "--sign in Chinese: $(cat "$T/err")"
expect_in "$(cat "$T/err")" "审计声明“ok”已签名并写入 $T/zh.statement"
audit --sign "$T/auditor/key" --out "$T/en.statement" >"$T/signed-en.txt" 2>/dev/null || fail "--sign"
st=$(cat "$T/zh.statement")
expect_in "$st" "^cofund-audit statement v1$"
expect_in "$st" "^verdict ok$"
expect_in "$st" "^report $(sha256sum "$T/signed-zh.txt" | cut -d' ' -f1)$"
# The same lines as in English but the report's digest, the time and the signature.
same_file <(grep -v '^report \|^time \|^— ' "$T/zh.statement") <(grep -v '^report \|^time \|^— ' "$T/en.statement") \
    "the statements signed in Chinese and in English"
# Over the JSON report, the statement signs the same report in every language.
audit --format json --lang zh --sign "$T/auditor/key" --out "$T/j.statement" >"$T/j.json" 2>/dev/null || fail "--sign json"
expect_in "$(cat "$T/j.statement")" "^report $(sha256sum "$T/j.json" | cut -d' ' -f1)$"
grep -q '[^ -~—]' <(grep -v '^— ' "$T/j.statement") && fail "non-ASCII in the statement: $(cat "$T/j.statement")"

# ---- the HTML report in Chinese ---------------------------------------------------
audit --lang zh --unit wan --html "$T/zh.html" >/dev/null || fail "--html in Chinese"
audit --html "$T/en.html" >/dev/null || fail "--html"
H=$(cat "$T/zh.html")
expect_in "$H" '^<html lang="zh-CN">'
expect_in "$H" '<td>robotics（机器人产线）</td><td>社会资本甲</td>'
grep -q '机器人产线\|社会资本甲' "$T/en.json" && fail "the JSON report names display names"
expect_in "$(cat "$T/en.html")" '^<html lang="en">'
for word in "<h1>审计报告：城市产业基金网络</h1>" "<h2>审计对象</h2>" "<h2>持仓</h2>" "<h2>资金计划</h2>" \
    "金额单位：万元。" "<dt>审计时间</dt><dd>20[0-9][0-9]年[0-9]*月[0-9]*日 [0-9:]* +08:00</dd>" \
    "<th>已投资 (万元)</th>" "<dt>单个项目上限 (万元)</dt><dd>30.00</dd>" "正常：所有签名、根哈希和规则均成立"; do
    expect_in "$H" "$word"
done
# The positions in wan: each the JSON's yuan / 10,000.
python3 - "$T/zh.html" "$T/en.json" <<'PY' || fail "the HTML report's wan figures"
import json, sys
from decimal import Decimal
html = open(sys.argv[1], encoding="utf-8").read()
r = json.load(open(sys.argv[2]))
for p in r["positions"]:
    for k in ("invested", "exited", "net"):
        w = Decimal(p[k]) / 10000
        text = format(w.normalize(), "f")
        if "." not in text or len(text.split(".")[1]) < 2:
            text = format(w.quantize(Decimal("0.01")), "f")
        assert ">%s<" % text in html, (k, p[k], text)
print("html wan ok")
PY
# (tests/cli/audit_html.sh has Chromium draw the Chinese page.)
echo ok
